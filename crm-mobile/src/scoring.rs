//! `ScoringModel`: a crm-core model file (the JSON Rust and Python write) scoring leads on
//! the device, offline, with the same results as the server.

use std::sync::Arc;

use crm_core::scoring::model_file::{Model, ModelFile};
use crm_core::scoring::{Layout, Matrix};
use crm_core::uniffi_types::{CrmError, guarded};

/// A model file loaded for scoring.
#[derive(uniffi::Object)]
pub struct ScoringModel {
    file: ModelFile,
}

impl ScoringModel {
    fn logistic(&self) -> crm_core::Result<&crm_core::scoring::LogisticModel> {
        match &self.file.model {
            Model::Logistic(m) => Ok(m),
            _ => Err(crm_core::Error::invalid(
                "model",
                self.kind(),
                "only logistic models score feature rows",
            )),
        }
    }

    fn matrix(x: &[f64], n_features: u32) -> crm_core::Result<Matrix<'_>> {
        let cols = n_features as usize;
        if cols == 0 || !x.len().is_multiple_of(cols) {
            return Err(crm_core::Error::invalid(
                "x",
                format!("{} values", x.len()),
                format!("not a whole number of rows of {cols} features"),
            ));
        }
        Matrix::with_shape(x, x.len() / cols, cols, Layout::RowMajor)
    }
}

#[uniffi::export]
impl ScoringModel {
    /// The model file, as `store.scoring().rescoreLeadsWithModel` takes it.
    pub fn model_file(&self) -> ModelFile {
        self.file.clone()
    }

    /// Reads a model file's JSON text.
    #[uniffi::constructor]
    pub fn from_json(text: String) -> Result<Arc<Self>, CrmError> {
        guarded(|| {
            Ok(Arc::new(ScoringModel {
                file: ModelFile::from_json(&text)?,
            }))
        })
    }

    /// Reads the model file at `path`.
    #[uniffi::constructor]
    pub fn load(path: String) -> Result<Arc<Self>, CrmError> {
        guarded(|| {
            let text = std::fs::read_to_string(&path).map_err(|e| crm_core::Error::Input {
                message: format!("{path}: {e}"),
            })?;
            Ok(Arc::new(ScoringModel {
                file: ModelFile::from_json(&text)?,
            }))
        })
    }

    /// `logistic`, `naive_bayes`, `rules` or `value`.
    pub fn kind(&self) -> String {
        self.file.model.kind().to_string()
    }

    /// The feature columns, in order.
    pub fn column_names(&self) -> Vec<String> {
        self.file.features.column_names()
    }

    /// The probability of every row of `x` (row-major, `n_features` wide).
    pub fn score(&self, x: Vec<f64>, n_features: u32) -> Result<Vec<f64>, CrmError> {
        guarded(|| {
            let m = self.logistic()?;
            let x = Self::matrix(&x, n_features)?;
            let mut out = vec![0.0; x.rows()];
            m.predict_proba_into(x, &mut out)?;
            Ok(out)
        })
    }

    /// The log-odds of every row of `x`.
    pub fn decision_function(&self, x: Vec<f64>, n_features: u32) -> Result<Vec<f64>, CrmError> {
        guarded(|| {
            self.logistic()?
                .decision_function(Self::matrix(&x, n_features)?)
        })
    }

    /// Each feature's contribution to row `row`'s log-odds.
    pub fn explain(&self, x: Vec<f64>, n_features: u32, row: u32) -> Result<Vec<f64>, CrmError> {
        guarded(|| {
            self.logistic()?
                .explain(Self::matrix(&x, n_features)?, row as usize)
        })
    }

    /// `hot`, `warm` or `cold` for a score from this model.
    pub fn rate(&self, score: f64) -> crm_core::Rating {
        self.file.rate(score)
    }
}
