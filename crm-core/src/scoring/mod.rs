//! Lead scoring and customer models: rules, and predictive models over feature matrices.
//!
//! - [`record`]: what a row is built from — a lead or a customer and the records around
//!   them.
//! - [`features`]: a declared feature spec turning records into a numeric matrix.
//! - [`customer`]: the outcomes customer models predict (cross-sell, churn, value).
//! - [`value`]: the RFM grid that predicts customer value.
//! - [`fastmath`]: a platform-independent, vectorisable logistic function.
//! - [`matrix`]: borrowed feature matrices (row- or column-major) and column sets (Arrow,
//!   DataFrames), read in place.
//! - [`logistic`]: L2-penalised logistic regression (scikit-learn's `C` convention) fitted
//!   by Newton's method, with bulk probabilities and per-feature explanations.
//! - [`naive_bayes`]: naive Bayes over categorical fields with Laplace smoothing.
//! - [`rules`]: rule-based scoring — fit rules, engagement rules with half-life decay,
//!   caps and rating thresholds, every score explained.
//! - [`model_file`]: versioned JSON model files (spec + model + thresholds) that score the
//!   same everywhere.
//! - [`evaluate`]: ROC AUC, log-loss, calibration, lift and gain at top k.
pub mod customer;
pub mod evaluate;
pub mod fastmath;
pub mod features;
pub mod logistic;
pub mod matrix;
pub mod model_file;
pub mod naive_bayes;
pub mod record;
pub mod rules;
mod simd;
pub mod value;

pub use logistic::{ClassWeight, FitReport, LogisticConfig, LogisticModel};
pub use matrix::{ColumnValues, Columns, Element, Features, Layout, Matrix};
pub use naive_bayes::NaiveBayesModel;
pub use record::{Person, Record};
