//! Model files: one versioned JSON document holding the feature spec, the fitted model
//! (logistic regression, naive Bayes, a rule set or an RFM value grid), what it scores
//! (leads or customers, and for customers the predicted outcome) and the rating
//! thresholds. Loading the
//! same file anywhere — Rust, Python, Node, a phone — gives the same scores for the same
//! input: floats are written so they read back bit for bit, and every step after loading
//! is deterministic.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::lead::Rating;
use crate::scoring::customer::CustomerTarget;
use crate::scoring::features::{Feature, FeatureSpec};
use crate::scoring::logistic::LogisticModel;
use crate::scoring::matrix::{Features, Layout, Matrix};
use crate::scoring::naive_bayes::NaiveBayesModel;
use crate::scoring::record::{Person, Record};
use crate::scoring::rules::{Attribute, RuleSet, Thresholds};
use crate::scoring::value::ValueModel;

/// The newest model-file format this build writes and reads.
pub const MODEL_FORMAT_VERSION: u32 = 1;

/// The model inside a file.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Model {
    /// Logistic regression over the file's feature spec.
    Logistic(LogisticModel),
    /// Naive Bayes over categorical lead attributes (values lower-cased).
    NaiveBayes {
        /// The attribute of each model field, in order.
        attributes: Vec<Attribute>,
        /// The model.
        model: NaiveBayesModel,
    },
    /// A rule set (its own thresholds rate the score); scores leads only.
    Rules(RuleSet),
    /// An RFM value grid over the file's three feature columns (recency, frequency,
    /// monetary): expected revenue, not a probability.
    Value(ValueModel),
}

impl Model {
    /// The kind's name: `logistic`, `naive_bayes`, `rules` or `value`.
    pub fn kind(&self) -> &'static str {
        match self {
            Model::Logistic(_) => "logistic",
            Model::NaiveBayes { .. } => "naive_bayes",
            Model::Rules(_) => "rules",
            Model::Value(_) => "value",
        }
    }
}

/// Who fitted a model and how: what a file needs to be turned back into the estimator
/// that wrote it (scikit-learn's `get_params()` and `classes_`).
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Estimator {
    /// The estimator (`LogisticLeadScorer`, `NaiveBayesLeadScorer`, `fit_customer_model`).
    pub name: String,
    /// Its hyper-parameters, a JSON object (`{"C": 0.1, "class_weight": "balanced"}`).
    pub params: serde_json::Value,
    /// Its classes as they were given, negative first (`["lost", "won"]`); empty for 0
    /// and 1, or for a model that predicts an amount.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub classes: Vec<serde_json::Value>,
}

/// What a model scores.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModelSubject {
    /// Leads (lead scoring).
    #[default]
    Leads,
    /// Customers (contacts): cross-sell, churn, value.
    Customers,
}

/// One feature's part in a score: its contribution to the log-odds (logistic, naive
/// Bayes), or for a value model the customer's RFM bin (1 = most recent / least).
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reason {
    /// The feature column (or attribute, or RFM dimension).
    pub feature: String,
    /// Its contribution (or bin).
    pub contribution: f64,
}

/// A model file.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelFile {
    /// The format version ([`MODEL_FORMAT_VERSION`] when written by this build).
    pub format_version: u32,
    /// How rows are built (used by logistic and value models).
    #[serde(default)]
    pub features: FeatureSpec,
    /// What it scores (leads when absent: files written before customer models).
    #[serde(default)]
    pub subject: ModelSubject,
    /// For a customer model: the outcome it predicts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<CustomerTarget>,
    /// Who fitted the model, with its hyper-parameters and classes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimator: Option<Estimator>,
    /// The model.
    pub model: Model,
    /// Probability (or, for rules, score) thresholds for hot / warm / cold.
    pub thresholds: Thresholds,
}

fn bad_file(reason: impl Into<String>) -> Error {
    Error::invalid("model file", "", reason)
}

impl ModelFile {
    /// A file for `model` at the current format version, checked.
    ///
    /// # Errors
    /// As [`ModelFile::check`].
    pub fn new(features: FeatureSpec, model: Model, thresholds: Thresholds) -> Result<Self> {
        let file = ModelFile {
            format_version: MODEL_FORMAT_VERSION,
            features,
            subject: ModelSubject::Leads,
            target: None,
            estimator: None,
            model,
            thresholds,
        };
        file.check()?;
        Ok(file)
    }

    /// The file with who fitted it.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] when the parameters are not a JSON object.
    pub fn with_estimator(mut self, estimator: Estimator) -> Result<Self> {
        if !estimator.params.is_object() {
            return Err(bad_file("an estimator's params are a JSON object"));
        }
        if !(estimator.classes.is_empty() || estimator.classes.len() == 2) {
            return Err(bad_file("a binary model has two classes"));
        }
        self.estimator = Some(estimator);
        Ok(self)
    }

    /// Checks that the parts fit together: the spec is valid, a logistic model has one
    /// finite coefficient per feature column, a naive Bayes model one attribute per field.
    ///
    /// # Errors
    /// [`Error::UnsupportedVersion`] for a format newer than this build;
    /// [`Error::InvalidValue`] or [`Error::Validation`] naming what does not fit.
    pub fn check(&self) -> Result<()> {
        // A file read field by field (a binding's record) gets the same version check as
        // one read from JSON text.
        if self.format_version > MODEL_FORMAT_VERSION {
            return Err(Error::UnsupportedVersion {
                what: "model file".into(),
                found: self.format_version,
                supported: MODEL_FORMAT_VERSION,
            });
        }
        self.features.check()?;
        match &self.model {
            Model::Logistic(m) => {
                let cols = self.features.column_names().len();
                if m.coef.len() != cols {
                    return Err(bad_file(format!(
                        "the logistic model has {} coefficients, the feature spec {cols} columns",
                        m.coef.len()
                    )));
                }
                if !m.coef.iter().chain([&m.intercept]).all(|v| v.is_finite()) {
                    return Err(bad_file("a coefficient is not a finite number"));
                }
            }
            Model::NaiveBayes { attributes, model } => {
                if attributes.len() != model.fields.len() {
                    return Err(bad_file(format!(
                        "{} attributes for {} naive Bayes fields",
                        attributes.len(),
                        model.fields.len()
                    )));
                }
            }
            Model::Rules(rules) => rules.check()?,
            Model::Value(m) => {
                m.check()?;
                let rfm = matches!(
                    self.features.features.as_slice(),
                    [
                        Feature::DaysSinceLastPurchase { .. },
                        Feature::Purchases { .. },
                        Feature::Spend { .. }
                    ]
                );
                if !rfm {
                    return Err(bad_file(
                        "a value model's features are days_since_last_purchase, purchases \
                         and spend, in that order",
                    ));
                }
            }
        }
        match (&self.subject, &self.target) {
            (ModelSubject::Leads, Some(_)) => {
                return Err(bad_file("a lead model has no customer target"));
            }
            (ModelSubject::Customers, None) => {
                return Err(bad_file("a customer model names its target"));
            }
            (ModelSubject::Customers, Some(t)) => {
                t.check()?;
                if t.is_probability() == matches!(self.model, Model::Value(_)) {
                    return Err(bad_file(format!(
                        "a {} model cannot predict this target",
                        self.model.kind()
                    )));
                }
                if matches!(self.model, Model::Rules(_)) {
                    return Err(bad_file("rule sets score leads, not customers"));
                }
            }
            (ModelSubject::Leads, None) if matches!(self.model, Model::Value(_)) => {
                return Err(bad_file("a value model scores customers"));
            }
            _ => {}
        }
        Ok(())
    }

    /// The file as JSON.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] if it cannot be encoded (it always can).
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(self).map_err(|e| bad_file(e.to_string()))
    }

    /// Reads a file.
    ///
    /// # Errors
    /// [`Error::UnsupportedVersion`] for a format newer than this build;
    /// [`Error::InvalidValue`] for text that is not a model file (truncated, corrupt, a
    /// missing version) or whose parts do not fit ([`ModelFile::check`]).
    pub fn from_json(text: &str) -> Result<Self> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| bad_file(format!("not valid JSON: {e}")))?;
        let version = value
            .get("format_version")
            .and_then(serde_json::Value::as_u64)
            .ok_or_else(|| bad_file("no format_version"))?;
        let version = u32::try_from(version).unwrap_or(u32::MAX);
        if version > MODEL_FORMAT_VERSION {
            return Err(Error::UnsupportedVersion {
                what: "model file".into(),
                found: version,
                supported: MODEL_FORMAT_VERSION,
            });
        }
        let file: ModelFile = serde_json::from_value(value).map_err(|e| bad_file(e.to_string()))?;
        file.check()?;
        Ok(file)
    }

    /// Scores records at `now`: a probability for predictive models, the rule score for
    /// rule sets, expected revenue for value models.
    ///
    /// # Errors
    /// As [`FeatureSpec::build`]; [`Error::InvalidValue`] for a rule set asked to score a
    /// customer.
    pub fn score(&self, records: &[Record<'_>], now: DateTime<Utc>) -> Result<Vec<f64>> {
        match &self.model {
            Model::Logistic(m) => m.predict_proba(self.matrix(records, now)?.as_matrix()?),
            Model::NaiveBayes { attributes, model } => {
                with_columns(attributes, model, records, |c| model.predict_proba(c))
            }
            Model::Rules(rules) => records
                .iter()
                .map(|r| match r.person {
                    Person::Lead(lead) => Ok(rules.score(lead, r.touchpoints, now).score),
                    Person::Customer(_) => Err(bad_file("rule sets score leads, not customers")),
                })
                .collect(),
            Model::Value(m) => m.predict(&self.matrix(records, now)?.x),
        }
    }

    /// Why each record scores as it does: up to `top` reasons per record, the strongest
    /// first (by absolute contribution; for a value model, its RFM bins).
    ///
    /// # Errors
    /// As [`ModelFile::score`].
    pub fn explain(
        &self,
        records: &[Record<'_>],
        now: DateTime<Utc>,
        top: usize,
    ) -> Result<Vec<Vec<Reason>>> {
        let (names, contributions): (Vec<String>, Vec<f64>) = match &self.model {
            Model::Logistic(m) => (
                self.features.column_names(),
                m.explain_all(self.matrix(records, now)?.as_matrix()?)?,
            ),
            Model::NaiveBayes { attributes, model } => (
                model.fields.iter().map(|f| f.name.clone()).collect(),
                with_columns(attributes, model, records, |c| model.explain(c))?,
            ),
            Model::Rules(rules) => {
                return records
                    .iter()
                    .map(|r| match r.person {
                        Person::Lead(lead) => Ok(rules
                            .score(lead, r.touchpoints, now)
                            .fired
                            .into_iter()
                            .take(top)
                            .map(|x| Reason {
                                feature: x.rule,
                                contribution: x.points,
                            })
                            .collect()),
                        Person::Customer(_) => {
                            Err(bad_file("rule sets score leads, not customers"))
                        }
                    })
                    .collect();
            }
            Model::Value(m) => {
                let rows = self.matrix(records, now)?;
                return Ok(rows
                    .x
                    .chunks_exact(3)
                    .map(|row| {
                        ["recency", "frequency", "monetary"]
                            .iter()
                            .zip(m.code(row))
                            .take(top)
                            .map(|(name, bin)| Reason {
                                feature: (*name).to_string(),
                                contribution: bin as f64,
                            })
                            .collect()
                    })
                    .collect());
            }
        };
        let width = names.len().max(1);
        Ok(contributions
            .chunks(width)
            .map(|row| {
                let mut reasons: Vec<Reason> = names
                    .iter()
                    .zip(row)
                    .filter(|(_, c)| **c != 0.0)
                    .map(|(n, c)| Reason {
                        feature: n.clone(),
                        contribution: *c,
                    })
                    .collect();
                reasons.sort_by(|a, b| {
                    b.contribution
                        .abs()
                        .total_cmp(&a.contribution.abs())
                        .then_with(|| a.feature.cmp(&b.feature))
                });
                reasons.truncate(top);
                reasons
            })
            .collect())
    }

    fn matrix(&self, records: &[Record<'_>], now: DateTime<Utc>) -> Result<Rows> {
        Ok(Rows {
            x: self.features.build(records, now)?,
            rows: records.len(),
            cols: self.features.column_names().len(),
        })
    }

    /// Probabilities for a feature matrix the caller built (columns in the order of
    /// [`FeatureSpec::column_names`]): logistic models only, whose features are numbers.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for a naive Bayes or rule model (they read leads), a matrix
    /// of another width, or a value that is not finite.
    pub fn score_matrix<X: Features>(&self, x: X) -> Result<Vec<f64>> {
        match &self.model {
            Model::Logistic(m) => m.predict_proba(x),
            Model::Value(m) => {
                let mut row_major = Vec::with_capacity(x.rows() * x.cols());
                for r in 0..x.rows() {
                    row_major.extend((0..x.cols()).map(|c| x.value(r, c)));
                }
                m.predict(&row_major)
            }
            _ => Err(bad_file(
                "only logistic and value models score a feature matrix; this model reads \
                 records",
            )),
        }
    }

    /// The rating of a score from [`ModelFile::score`].
    pub fn rate(&self, score: f64) -> Rating {
        match &self.model {
            Model::Rules(rules) => rules.thresholds.rate(score),
            _ => self.thresholds.rate(score),
        }
    }
}

/// A built feature matrix.
struct Rows {
    x: Vec<f64>,
    rows: usize,
    cols: usize,
}

impl Rows {
    fn as_matrix(&self) -> Result<Matrix<'_>> {
        Matrix::new(&self.x, self.rows, self.cols, Layout::RowMajor)
    }
}

/// Calls `f` with the categorical columns a naive Bayes model reads (values lower-cased).
fn with_columns<T>(
    attributes: &[Attribute],
    model: &NaiveBayesModel,
    records: &[Record<'_>],
    f: impl FnOnce(&[crate::scoring::naive_bayes::Column<'_>]) -> Result<T>,
) -> Result<T> {
    let values: Vec<Vec<Option<String>>> = attributes
        .iter()
        .map(|a| {
            records
                .iter()
                .map(|r| r.person.attribute(a).map(|v| v.to_lowercase()))
                .collect()
        })
        .collect();
    let refs: Vec<Vec<Option<&str>>> = values
        .iter()
        .map(|col| col.iter().map(|v| v.as_deref()).collect())
        .collect();
    let columns: Vec<(&str, &[Option<&str>])> = model
        .fields
        .iter()
        .zip(&refs)
        .map(|(f, col)| (f.name.as_str(), col.as_slice()))
        .collect();
    f(&columns)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Region;
    use crate::id::{LeadId, RecordRef, TouchpointId};
    use crate::lead::{Lead, LeadField, LeadInput, LeadSource};
    use crate::scoring::logistic::{LogisticConfig, rows};
    use crate::tracking::{Touchpoint, TouchpointKind};
    use chrono::{Duration, TimeZone};

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 0, 0, 0).unwrap()
    }

    fn lead(n: u64, title: &str) -> Lead {
        let data = LeadInput::new()
            .with(LeadField::LastName, "X")
            .with(LeadField::Email, "x@corp.example.com")
            .with(LeadField::JobTitle, title)
            .parse(Region::parse("US").unwrap())
            .unwrap();
        Lead::new(LeadId::new(n).unwrap(), LeadSource::Manual, data, now())
    }

    fn touches(n: usize) -> Vec<Touchpoint> {
        (0..n)
            .map(|i| Touchpoint {
                id: TouchpointId::new(i as u64 + 1).unwrap(),
                version: crate::id::Version::new(1),
                subject: RecordRef::Lead(LeadId::new(1).unwrap()),
                at: now() - Duration::days(i as i64 * 3),
                kind: TouchpointKind::AdClick,
                attribution: Default::default(),
            })
            .collect()
    }

    fn records<'a>(leads: &'a [Lead], tps: &'a [Vec<Touchpoint>]) -> Vec<Record<'a>> {
        leads
            .iter()
            .zip(tps)
            .map(|(l, t)| Record::lead(l, t, &[]))
            .collect()
    }

    fn logistic_file() -> (ModelFile, Vec<Lead>, Vec<Vec<Touchpoint>>) {
        let titles = [
            "cto", "intern", "ceo", "student", "cto", "intern", "vp", "cto",
        ];
        let leads: Vec<Lead> = titles
            .iter()
            .enumerate()
            .map(|(i, t)| lead(i as u64 + 1, t))
            .collect();
        let tps: Vec<Vec<Touchpoint>> = (0..leads.len()).map(|i| touches(i % 4)).collect();
        let mut spec = FeatureSpec {
            features: vec![
                Feature::OneHot {
                    attribute: Attribute::JobTitle,
                    vocabulary: vec![],
                    max_values: 3,
                },
                Feature::Engagement {
                    kind: "ad_click".into(),
                    half_life_days: 7.0,
                },
            ],
        };
        spec.learn(&leads.iter().map(Person::Lead).collect::<Vec<_>>());
        let records = records(&leads, &tps);
        let x = spec.build(&records, now()).unwrap();
        let y = [1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 1.0];
        let cols = spec.column_names().len();
        let m = LogisticModel::fit(
            rows(&x, cols).unwrap(),
            &y,
            None,
            &LogisticConfig::default(),
        )
        .unwrap();
        let file = ModelFile::new(
            spec,
            Model::Logistic(m),
            Thresholds {
                hot: 0.7,
                warm: 0.4,
            },
        )
        .unwrap();
        (file, leads, tps)
    }

    #[test]
    fn a_round_trip_gives_bit_identical_scores() {
        let (file, leads, tps) = logistic_file();
        let records = records(&leads, &tps);
        let before = file.score(&records, now()).unwrap();
        let loaded = ModelFile::from_json(&file.to_json().unwrap()).unwrap();
        assert_eq!(loaded, file);
        let after = loaded.score(&records, now()).unwrap();
        assert!(
            before
                .iter()
                .zip(&after)
                .all(|(a, b)| a.to_bits() == b.to_bits())
        );
        assert!(before.iter().all(|p| (0.0..=1.0).contains(p)));
    }

    #[test]
    fn bad_files_are_refused() {
        let (file, _, _) = logistic_file();
        let json = file.to_json().unwrap();
        let code = |text: &str| ModelFile::from_json(text).unwrap_err().code();
        assert_eq!(code(&json[..json.len() / 2]), "invalid_value", "truncated");
        assert_eq!(code("{}"), "invalid_value", "no version");
        assert_eq!(
            code(&json.replacen("\"format_version\": 1", "\"format_version\": 2", 1)),
            "unsupported_version"
        );
        let mut wrong = file.clone();
        if let Model::Logistic(m) = &mut wrong.model {
            m.coef.pop();
        }
        assert_eq!(
            code(&serde_json::to_string(&wrong).unwrap()),
            "invalid_value",
            "coefficients do not fit the spec"
        );
    }

    #[test]
    fn a_model_of_caller_supplied_columns_scores_matrices_not_leads() {
        let (x, y) = (
            [0.0, 1.0, 1.0, 0.0, 2.0, 1.0, 0.5, 3.0, 1.5, 0.2],
            [0.0, 1.0, 1.0, 0.0, 1.0],
        );
        let m =
            LogisticModel::fit(rows(&x, 2).unwrap(), &y, None, &LogisticConfig::default()).unwrap();
        let spec = FeatureSpec::columns(["visits", "pages"]);
        assert_eq!(spec.column_names(), ["visits", "pages"]);
        assert!(!spec.builds_from_leads());
        let file = ModelFile::new(
            spec,
            Model::Logistic(m.clone()),
            Thresholds {
                hot: 0.7,
                warm: 0.4,
            },
        )
        .unwrap();
        let back = ModelFile::from_json(&file.to_json().unwrap()).unwrap();
        assert_eq!(
            back.score_matrix(rows(&x, 2).unwrap()).unwrap(),
            m.predict_proba(rows(&x, 2).unwrap()).unwrap()
        );
        let leads = [lead(1, "cto")];
        let err = back.score(&records(&leads, &[vec![]]), now()).unwrap_err();
        assert!(err.to_string().contains("score a matrix"), "{err}");
        // Two columns of one name are refused.
        let twice = FeatureSpec::columns(["a", "a"]);
        assert_eq!(twice.check().unwrap_err().code(), "validation_failed");
        // Models that read leads do not score matrices.
        let (nb_free, ..) = logistic_file();
        assert!(nb_free.score_matrix(rows(&[0.0; 5], 5).unwrap()).is_ok());
        let rules = ModelFile {
            model: Model::Rules(RuleSet {
                fit: vec![],
                engagement: vec![],
                max_score: None,
                min_score: None,
                thresholds: Thresholds {
                    hot: 50.0,
                    warm: 20.0,
                },
            }),
            ..nb_free
        };
        assert!(rules.score_matrix(rows(&[0.0; 5], 5).unwrap()).is_err());
    }
}
