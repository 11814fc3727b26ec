//! Naive Bayes over categorical lead fields with Laplace smoothing — the approach Odoo's
//! predictive lead scoring takes: for each field, how often each value occurred among won
//! and lost leads.
//!
//! `P(v | class) = (count(v, class) + α) / (count(class, field given) + α · (V + 1))`, with
//! `V` the field's vocabulary plus one *other* bucket. Policies, both tested: a value never
//! seen in training counts as *other*; a missing value (`None`) says nothing and adds 0 to
//! the log-odds.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// One categorical field of a fitted model.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoricalField {
    /// The field's name.
    pub name: String,
    /// The values seen in training, in first-seen order; index `len` is *other*.
    pub vocabulary: Vec<String>,
    /// Log-likelihood ratio `log P(v | 1) − log P(v | 0)` per vocabulary entry, then *other*.
    pub log_ratio: Vec<f64>,
}

impl CategoricalField {
    fn index(&self, value: &str) -> usize {
        self.vocabulary
            .iter()
            .position(|v| v == value)
            .unwrap_or(self.vocabulary.len())
    }
}

/// A fitted naive Bayes model.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NaiveBayesModel {
    /// Laplace smoothing.
    pub alpha: f64,
    /// `log P(1) − log P(0)` from the class counts.
    pub prior_log_odds: f64,
    /// The fields, in input order.
    pub fields: Vec<CategoricalField>,
}

/// A categorical column: a name and one optional value per row.
pub type Column<'a> = (&'a str, &'a [Option<&'a str>]);

fn check_columns(columns: &[Column<'_>], rows: usize) -> Result<()> {
    for (name, values) in columns {
        if values.len() != rows {
            return Err(Error::invalid(
                "column",
                (*name).to_string(),
                format!("has {} values, expected {rows}", values.len()),
            ));
        }
    }
    Ok(())
}

impl NaiveBayesModel {
    /// Fits the model on categorical `columns` and 0/1 labels `y`.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for no rows, a column of another length, labels other than
    /// 0/1, only one class, or `alpha` not positive.
    pub fn fit(columns: &[Column<'_>], y: &[f64], alpha: f64) -> Result<Self> {
        if y.is_empty() {
            return Err(Error::invalid(
                "y",
                "0 rows",
                "cannot fit on an empty training set",
            ));
        }
        if !(alpha.is_finite() && alpha > 0.0) {
            return Err(Error::invalid(
                "alpha",
                alpha.to_string(),
                "must be a positive number",
            ));
        }
        if let Some(i) = y.iter().position(|v| *v != 0.0 && *v != 1.0) {
            return Err(Error::invalid(
                "y",
                y[i].to_string(),
                format!("label {i} is not 0 or 1"),
            ));
        }
        check_columns(columns, y.len())?;
        let positives = y.iter().filter(|v| **v == 1.0).count() as f64;
        let negatives = y.len() as f64 - positives;
        if positives == 0.0 || negatives == 0.0 {
            return Err(Error::invalid(
                "y",
                format!("{positives} positive"),
                "both classes must be present to fit",
            ));
        }
        let fields = columns
            .iter()
            .map(|(name, values)| {
                let mut vocabulary: Vec<String> = Vec::new();
                let mut index: HashMap<&str, usize> = HashMap::new();
                let mut counts: Vec<[f64; 2]> = Vec::new();
                let mut given = [0.0f64; 2];
                for (v, yi) in values.iter().zip(y) {
                    let Some(v) = v else { continue };
                    let k = *index.entry(v).or_insert_with(|| {
                        vocabulary.push((*v).to_string());
                        counts.push([0.0; 2]);
                        vocabulary.len() - 1
                    });
                    let class = usize::from(*yi == 1.0);
                    counts[k][class] += 1.0;
                    given[class] += 1.0;
                }
                counts.push([0.0; 2]); // the "other" bucket
                let buckets = counts.len() as f64;
                let log_ratio = counts
                    .iter()
                    .map(|c| {
                        let p1 = (c[1] + alpha) / (given[1] + alpha * buckets);
                        let p0 = (c[0] + alpha) / (given[0] + alpha * buckets);
                        p1.ln() - p0.ln()
                    })
                    .collect();
                CategoricalField {
                    name: (*name).to_string(),
                    vocabulary,
                    log_ratio,
                }
            })
            .collect();
        Ok(NaiveBayesModel {
            alpha,
            prior_log_odds: positives.ln() - negatives.ln(),
            fields,
        })
    }

    fn check_input(&self, columns: &[Column<'_>]) -> Result<usize> {
        if columns.len() != self.fields.len() {
            return Err(Error::invalid(
                "columns",
                format!("{} columns", columns.len()),
                format!("the model has {} fields", self.fields.len()),
            ));
        }
        for ((name, _), field) in columns.iter().zip(&self.fields) {
            if *name != field.name {
                return Err(Error::invalid(
                    "column",
                    (*name).to_string(),
                    format!("expected field {:?}", field.name),
                ));
            }
        }
        let rows = columns.first().map_or(0, |(_, v)| v.len());
        check_columns(columns, rows)?;
        Ok(rows)
    }

    /// Each field's contribution to each row's log-odds (rows × fields, row-major); with
    /// [`NaiveBayesModel::prior_log_odds`] a row's contributions sum to its log-odds.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] when the columns are not the model's fields in order, or of
    /// different lengths.
    pub fn explain(&self, columns: &[Column<'_>]) -> Result<Vec<f64>> {
        let rows = self.check_input(columns)?;
        let d = self.fields.len();
        let mut out = vec![0.0; rows * d];
        for (f, ((_, values), field)) in columns.iter().zip(&self.fields).enumerate() {
            for (r, v) in values.iter().enumerate() {
                if let Some(v) = v {
                    out[r * d + f] = field.log_ratio[field.index(v)];
                }
            }
        }
        Ok(out)
    }

    /// The log-odds of class 1 for every row.
    ///
    /// # Errors
    /// As [`NaiveBayesModel::explain`].
    pub fn decision_function(&self, columns: &[Column<'_>]) -> Result<Vec<f64>> {
        let rows = self.check_input(columns)?;
        let mut out = vec![self.prior_log_odds; rows];
        for ((_, values), field) in columns.iter().zip(&self.fields) {
            let lookup: HashMap<&str, f64> = field
                .vocabulary
                .iter()
                .map(String::as_str)
                .zip(field.log_ratio.iter().copied())
                .collect();
            let other = field.log_ratio[field.vocabulary.len()];
            for (o, v) in out.iter_mut().zip(values.iter()) {
                if let Some(v) = v {
                    *o += lookup.get(v).copied().unwrap_or(other);
                }
            }
        }
        Ok(out)
    }

    /// The probability of class 1 for every row.
    ///
    /// # Errors
    /// As [`NaiveBayesModel::explain`].
    pub fn predict_proba(&self, columns: &[Column<'_>]) -> Result<Vec<f64>> {
        Ok(self
            .decision_function(columns)?
            .into_iter()
            .map(super::logistic::sigmoid)
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Source × industry of 6 past leads, 3 won.
    fn table() -> (
        Vec<Option<&'static str>>,
        Vec<Option<&'static str>>,
        Vec<f64>,
    ) {
        (
            vec![
                Some("web"),
                Some("web"),
                Some("fair"),
                Some("fair"),
                Some("web"),
                None,
            ],
            vec![
                Some("it"),
                Some("retail"),
                Some("it"),
                Some("it"),
                Some("retail"),
                Some("it"),
            ],
            vec![1.0, 1.0, 0.0, 1.0, 0.0, 0.0],
        )
    }

    #[test]
    fn probabilities_match_a_hand_computation() {
        let (source, industry, y) = table();
        let m =
            NaiveBayesModel::fit(&[("source", &source), ("industry", &industry)], &y, 1.0).unwrap();
        // Prior 3:3. Source given on 5 rows: won 3 (web 2, fair 1), lost 2 (web 1, fair 1);
        // buckets web, fair, other = 3. P(web|1) = 3/6, P(web|0) = 2/5.
        // Industry: won it 2, retail 1; lost it 2, retail 1. P(it|1) = 3/6, P(it|0) = 3/6.
        let p = m
            .predict_proba(&[("source", &[Some("web")]), ("industry", &[Some("it")])])
            .unwrap();
        let odds = (3.0 / 6.0) / (2.0 / 5.0) * ((3.0 / 6.0) / (3.0 / 6.0));
        assert!((p[0] - odds / (1.0 + odds)).abs() < 1e-12, "{p:?}");
        // An unseen value is "other": P(other|1) = 1/6, P(other|0) = 1/5; missing adds 0.
        let p = m
            .predict_proba(&[("source", &[Some("podcast")]), ("industry", &[None])])
            .unwrap();
        let odds = (1.0 / 6.0) / (1.0 / 5.0);
        assert!((p[0] - odds / (1.0 + odds)).abs() < 1e-12);
        let parts = m
            .explain(&[("source", &[Some("web")]), ("industry", &[Some("retail")])])
            .unwrap();
        let logit = m
            .decision_function(&[("source", &[Some("web")]), ("industry", &[Some("retail")])])
            .unwrap()[0];
        assert!((parts.iter().sum::<f64>() + m.prior_log_odds - logit).abs() < 1e-12);
    }

    #[test]
    fn bad_input_is_refused() {
        let (source, industry, y) = table();
        assert!(NaiveBayesModel::fit(&[("source", &source)], &y[..3], 1.0).is_err());
        assert!(NaiveBayesModel::fit(&[("source", &source)], &y, 0.0).is_err());
        assert!(NaiveBayesModel::fit(&[("source", &source)], &[1.0; 6], 1.0).is_err());
        let m =
            NaiveBayesModel::fit(&[("source", &source), ("industry", &industry)], &y, 1.0).unwrap();
        assert!(m.predict_proba(&[("source", &source)]).is_err());
        assert!(
            m.predict_proba(&[("industry", &industry), ("source", &source)])
                .is_err()
        );
        assert!(
            m.predict_proba(&[("source", &source[..2]), ("industry", &industry)])
                .is_err()
        );
    }
}
