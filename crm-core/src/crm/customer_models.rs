//! Customer models on the stored customer base: training sets as of a cut-off, fitting
//! (logistic regression for cross-sell and churn, an RFM grid for value), evaluation on a
//! later period, predictions ranked with their reasons, recommendations per customer, and
//! re-scoring that writes each contact's prediction only where it changed.
//!
//! A *customer* is a contact with at least one purchase. Rows are built as of an instant
//! from the contact, their touchpoints, purchases, service cases (their own and their
//! account's) and their account's contracts; see [`crate::scoring::features`].

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::customer::{Contact, Purchase};
use crate::error::{Error, Result};
use crate::event::DomainEvent;
use crate::id::{AccountId, ContactId, RecordRef};
use crate::scoring::customer::CustomerTarget;
use crate::scoring::evaluate::{self, CalibrationBin};
use crate::scoring::features::{Feature, FeatureSpec};
use crate::scoring::logistic::{LogisticConfig, LogisticModel};
use crate::scoring::matrix::{Layout, Matrix};
use crate::scoring::model_file::{Estimator, Model, ModelFile, ModelSubject, Reason};
use crate::scoring::record::{Person, Record};
use crate::scoring::rules::Thresholds;
use crate::scoring::value::{DEFAULT_BINS, ValueModel};
use crate::service::{Case, Contract};
use crate::store::{ReadExt, ReadTx, Store, WriteExt};
use crate::tracking::Touchpoint;

use super::Crm;
use super::scoring_cases::RescoreReport;

/// Customers as a training set: one row per customer at the cut-off, labelled with what
/// they did in the period after it.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerTrainingSet {
    /// The feature spec, with its vocabularies learned from these customers.
    pub spec: FeatureSpec,
    /// The outcome.
    pub target: CustomerTarget,
    /// The cut-off: features as of it, labels from the period after it.
    #[serde(with = "crate::time::rfc3339")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::DateTime<chrono::Utc>"))]
    pub cutoff: DateTime<Utc>,
    /// Column names, in order.
    pub columns: Vec<String>,
    /// The features, row-major (`contacts.len() × columns.len()`).
    pub x: Vec<f64>,
    /// The labels: 1 / 0 for buys and churn, revenue for value.
    pub y: Vec<f64>,
    /// The customer of each row.
    pub contacts: Vec<ContactId>,
}

/// Feature rows of chosen customers at one instant.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerRows {
    /// Column names, in order.
    pub columns: Vec<String>,
    /// The features, row-major.
    pub x: Vec<f64>,
    /// The customer of each row.
    pub contacts: Vec<ContactId>,
}

/// How to fit a customer model.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CustomerFitOptions {
    /// Inverse regularisation strength of the logistic fit (scikit-learn's `C`), applied
    /// to standardised features.
    pub c: f64,
    /// Bins per RFM dimension of a value model.
    pub bins: u32,
}

impl Default for CustomerFitOptions {
    fn default() -> Self {
        CustomerFitOptions {
            c: 1.0,
            bins: DEFAULT_BINS as u32,
        }
    }
}

/// How a customer model did on a period it was not trained on.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerModelEvaluation {
    /// Customers evaluated.
    pub rows: usize,
    /// Mean label: the positive rate, or mean revenue for value.
    pub mean_label: f64,
    /// ROC AUC (probability models).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub auc: Option<f64>,
    /// Log-loss (probability models).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub log_loss: Option<f64>,
    /// Predicted against observed rates in ten probability bins (probability models).
    pub calibration: Vec<CalibrationBin>,
    /// Expected calibration error: the bins' |observed − predicted|, weighted by their
    /// share of customers (probability models; 0 is perfectly calibrated).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub calibration_error: Option<f64>,
    /// The AUC of recency alone (days since the last purchase, in whichever direction
    /// ranks better): what the model has to beat.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub recency_auc: Option<f64>,
    /// Mean absolute error (value models).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub mae: Option<f64>,
    /// Root mean squared error (value models).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub rmse: Option<f64>,
    /// Mean absolute error of "the same as the period before" (value models).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub baseline_mae: Option<f64>,
    /// Predicted revenue in total (value models).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub predicted_total: Option<f64>,
    /// Revenue in total (value models).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub actual_total: Option<f64>,
}

/// A customer's prediction with the reasons for it.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerPrediction {
    /// The customer.
    pub contact: ContactId,
    /// The probability (or expected revenue).
    pub value: f64,
    /// Its rating by the model's thresholds (`hot`, `warm`, `cold`).
    pub rating: String,
    /// The strongest reasons, strongest first.
    pub reasons: Vec<Reason>,
}

/// A model with the name its predictions go by.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NamedModel {
    /// The name (`buys_support_plan`, `churn`…).
    pub name: String,
    /// The model file.
    pub model: ModelFile,
}

/// One recommendation for a customer: a model (a product to offer, a risk to act on) and
/// how strongly it applies.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recommendation {
    /// The model's name.
    pub name: String,
    /// Its prediction for the customer.
    pub value: f64,
    /// Its rating.
    pub rating: String,
    /// The strongest reasons.
    pub reasons: Vec<Reason>,
}

/// Reasons given with each prediction.
pub(super) const REASONS: usize = 3;
/// Customers per write transaction when re-scoring.
const RESCORE_BATCH: usize = 500;
/// Calibration bins in an evaluation.
const CALIBRATION_BINS: usize = 10;

/// The records around a set of contacts, loaded once.
#[derive(Default)]
pub(super) struct Base {
    pub(super) contacts: Vec<Contact>,
    touches: HashMap<ContactId, Vec<Touchpoint>>,
    pub(super) purchases: HashMap<ContactId, Vec<Purchase>>,
    cases: HashMap<ContactId, Vec<Case>>,
    contracts: HashMap<AccountId, Vec<Contract>>,
}

impl Base {
    /// Every contact and what is around them.
    pub(super) fn load_all(tx: &dyn ReadTx) -> Result<Base> {
        let contacts: Vec<Contact> = tx.all()?;
        Base::load(tx, contacts)
    }

    fn load(tx: &dyn ReadTx, mut contacts: Vec<Contact>) -> Result<Base> {
        contacts.sort_by_key(|c| c.id);
        let mut base = Base::default();
        let account_of: HashMap<ContactId, Option<AccountId>> =
            contacts.iter().map(|c| (c.id, c.account)).collect();
        let mut by_account: HashMap<AccountId, Vec<ContactId>> = HashMap::new();
        for c in &contacts {
            if let Some(a) = c.account {
                by_account.entry(a).or_default().push(c.id);
            }
        }
        tx.for_each::<Purchase>(|p| {
            if account_of.contains_key(&p.contact) {
                base.purchases.entry(p.contact).or_default().push(p);
            }
            Ok(())
        })?;
        tx.for_each::<Touchpoint>(|t| {
            if let RecordRef::Contact(c) = t.subject
                && account_of.contains_key(&c)
            {
                base.touches.entry(c).or_default().push(t);
            }
            Ok(())
        })?;
        tx.for_each::<crate::activity::Activity>(|a| {
            // logged calls count as phone-call engagement
            if let RecordRef::Contact(c) = a.subject
                && a.call.is_some()
                && account_of.contains_key(&c)
            {
                base.touches
                    .entry(c)
                    .or_default()
                    .extend(crate::activity::call_touches(std::slice::from_ref(&a)));
            }
            Ok(())
        })?;
        tx.for_each::<Case>(|case| {
            // A case counts for its contact, or for every contact of its account when it
            // names none.
            let about: Vec<ContactId> = match (case.contact, case.account) {
                (Some(c), _) if account_of.contains_key(&c) => vec![c],
                (None, Some(a)) => by_account.get(&a).cloned().unwrap_or_default(),
                _ => Vec::new(),
            };
            for c in about {
                base.cases.entry(c).or_default().push(case.clone());
            }
            Ok(())
        })?;
        tx.for_each::<Contract>(|k| {
            if by_account.contains_key(&k.account) {
                base.contracts.entry(k.account).or_default().push(k);
            }
            Ok(())
        })?;
        base.contacts = contacts;
        Ok(base)
    }

    pub(super) fn record<'a>(&'a self, c: &'a Contact) -> Record<'a> {
        Record {
            person: Person::Customer(c),
            touchpoints: self.touches.get(&c.id).map_or(&[], Vec::as_slice),
            purchases: self.purchases.get(&c.id).map_or(&[], Vec::as_slice),
            cases: self.cases.get(&c.id).map_or(&[], Vec::as_slice),
            contracts: c
                .account
                .and_then(|a| self.contracts.get(&a))
                .map_or(&[], Vec::as_slice),
        }
    }

    /// The customers at a training or evaluation cut-off: refused when there are none.
    fn customers_by_cutoff(&self, cutoff: DateTime<Utc>) -> Result<Vec<&Contact>> {
        let customers = self.customers_at(cutoff);
        if customers.is_empty() {
            return Err(Error::invalid(
                "cutoff",
                crate::time::format_rfc3339(cutoff),
                "no customer had bought anything by then",
            ));
        }
        Ok(customers)
    }

    /// The contacts who had bought something by `at` (a contact entered later with an
    /// older purchase history counts: the history says they were a customer).
    pub(super) fn customers_at(&self, at: DateTime<Utc>) -> Vec<&Contact> {
        self.contacts
            .iter()
            .filter(|c| {
                self.purchases
                    .get(&c.id)
                    .is_some_and(|ps| ps.iter().any(|p| p.purchased_at <= at))
            })
            .collect()
    }
}

/// The spec a value model reads: recency (capped at `cap_days`), frequency and spend in
/// the last `window_days`.
pub fn rfm_spec(window_days: f64, cap_days: f64) -> FeatureSpec {
    FeatureSpec {
        features: vec![
            Feature::DaysSinceLastPurchase { cap_days },
            Feature::Purchases { days: window_days },
            Feature::Spend { days: window_days },
        ],
    }
}

fn check_period_over(
    target: &CustomerTarget,
    cutoff: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<()> {
    target.check()?;
    let end = target.period_end(cutoff);
    if end > now {
        return Err(Error::invalid(
            "cutoff",
            crate::time::format_rfc3339(cutoff),
            format!(
                "the {} days after it have not passed yet: choose a cut-off at least that long ago",
                target.horizon_days()
            ),
        ));
    }
    Ok(())
}

/// Thresholds at the top 10 % (hot) and top 30 % (warm) of `scores`.
fn quantile_thresholds(scores: &[f64]) -> Thresholds {
    let mut s = scores.to_vec();
    s.sort_by(f64::total_cmp);
    let at = |q: f64| {
        s.get(((s.len() as f64 * q) as usize).min(s.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0.0)
    };
    Thresholds {
        hot: at(0.9),
        warm: at(0.7),
    }
}

impl<S: Store> Crm<S> {
    /// The customers at `cutoff` as a training set for `target`: features as of the
    /// cut-off from what was recorded by then, labels from the `horizon_days` after it.
    ///
    /// # Errors
    /// As [`FeatureSpec::check`] and [`CustomerTarget::check`];
    /// [`Error::InvalidValue`] when the period after the cut-off has not passed by `now`,
    /// or no customer had bought anything by the cut-off; [`Error::Storage`].
    pub fn customer_training_set(
        &self,
        mut spec: FeatureSpec,
        target: CustomerTarget,
        cutoff: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<CustomerTrainingSet> {
        spec.check()?;
        check_period_over(&target, cutoff, now)?;
        let base = self.read(|tx| Base::load_all(tx))?;
        let customers = base.customers_by_cutoff(cutoff)?;
        spec.learn(
            &customers
                .iter()
                .map(|c| Person::Customer(c))
                .collect::<Vec<_>>(),
        );
        let records: Vec<Record<'_>> = customers.iter().map(|c| base.record(c)).collect();
        let x = spec.build(&records, cutoff)?;
        let y = records
            .iter()
            .map(|r| target.label(r.purchases, cutoff))
            .collect();
        Ok(CustomerTrainingSet {
            columns: spec.column_names(),
            spec,
            target,
            cutoff,
            x,
            y,
            contacts: customers.iter().map(|c| c.id).collect(),
        })
    }

    /// The feature rows of `contacts` (in that order) at `now`.
    ///
    /// # Errors
    /// As [`FeatureSpec::build`]; [`Error::NotFound`] for an unknown contact.
    pub fn customer_features(
        &self,
        spec: &FeatureSpec,
        contacts: &[ContactId],
        now: DateTime<Utc>,
    ) -> Result<CustomerRows> {
        spec.check()?;
        let base = self.read(|tx| {
            let loaded = contacts
                .iter()
                .map(|id| tx.load::<Contact>(*id))
                .collect::<Result<Vec<_>>>()?;
            Base::load(tx, loaded)
        })?;
        let by_id: HashMap<ContactId, &Contact> = base.contacts.iter().map(|c| (c.id, c)).collect();
        let records: Vec<Record<'_>> = contacts.iter().map(|id| base.record(by_id[id])).collect();
        Ok(CustomerRows {
            columns: spec.column_names(),
            x: spec.build(&records, now)?,
            contacts: contacts.to_vec(),
        })
    }

    /// Fits a customer model on the customers at `cutoff`: logistic regression on
    /// standardised features for buys and churn (the coefficients are mapped back to the
    /// raw features, so the file scores raw rows), an RFM grid for value (whose spec must
    /// be [`rfm_spec`]'s). Its thresholds rate the top 10 % of the training customers hot
    /// and the next 20 % warm.
    ///
    /// # Errors
    /// As [`Crm::customer_training_set`]; [`Error::InvalidValue`] when the labels are all
    /// one class or `c` is not positive; [`Error::NotConverged`].
    pub fn fit_customer_model(
        &self,
        spec: FeatureSpec,
        target: CustomerTarget,
        cutoff: DateTime<Utc>,
        options: CustomerFitOptions,
        now: DateTime<Utc>,
    ) -> Result<ModelFile> {
        let ts = self.customer_training_set(spec, target, cutoff, now)?;
        let (rows, cols) = (ts.contacts.len(), ts.columns.len());
        let (model, scores) = if ts.target.is_probability() {
            let m = fit_standardised(&ts.x, &ts.y, rows, cols, options.c)?;
            let p = m.predict_proba(Matrix::new(&ts.x, rows, cols, Layout::RowMajor)?)?;
            (Model::Logistic(m), p)
        } else {
            if cols != 3 {
                return Err(Error::invalid(
                    "spec",
                    format!("{cols} columns"),
                    "a value model reads recency, frequency and spend (see rfm_spec)",
                ));
            }
            let m = ValueModel::fit(&ts.x, &ts.y, options.bins.max(1) as usize)?;
            let p = m.predict(&ts.x)?;
            (Model::Value(m), p)
        };
        let file = ModelFile {
            format_version: crate::scoring::model_file::MODEL_FORMAT_VERSION,
            features: ts.spec,
            subject: ModelSubject::Customers,
            estimator: Some(Estimator {
                name: "fit_customer_model".into(),
                params: serde_json::json!({"c": options.c, "bins": options.bins}),
                classes: if ts.target.is_probability() {
                    vec![0.into(), 1.into()]
                } else {
                    Vec::new()
                },
            }),
            target: Some(ts.target),
            model,
            thresholds: quantile_thresholds(&scores),
        };
        file.check()?;
        Ok(file)
    }

    /// How a customer model does on the period after `cutoff` (one it was not trained
    /// on): AUC, log-loss, calibration and the recency-only AUC to beat for buys and churn;
    /// errors against the "same as the period before" forecast for value.
    ///
    /// # Errors
    /// As [`Crm::customer_training_set`]; [`Error::InvalidValue`] for a lead model, or
    /// when the period's labels are all one class (no AUC).
    pub fn evaluate_customer_model(
        &self,
        model: &ModelFile,
        cutoff: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<CustomerModelEvaluation> {
        let target = customer_target(model)?;
        check_period_over(target, cutoff, now)?;
        let base = self.read(|tx| Base::load_all(tx))?;
        let customers = base.customers_by_cutoff(cutoff)?;
        let records: Vec<Record<'_>> = customers.iter().map(|c| base.record(c)).collect();
        let p = model.score(&records, cutoff)?;
        let y: Vec<f64> = records
            .iter()
            .map(|r| target.label(r.purchases, cutoff))
            .collect();
        let mean_label = y.iter().sum::<f64>() / y.len() as f64;
        let mut out = CustomerModelEvaluation {
            rows: y.len(),
            mean_label,
            auc: None,
            log_loss: None,
            calibration: Vec::new(),
            calibration_error: None,
            recency_auc: None,
            mae: None,
            rmse: None,
            baseline_mae: None,
            predicted_total: None,
            actual_total: None,
        };
        if target.is_probability() {
            let recency = rfm_spec(365.0, 3650.0).build(&records, cutoff)?;
            let days: Vec<f64> = recency.chunks_exact(3).map(|r| r[0]).collect();
            let r = evaluate::roc_auc(&days, &y)?;
            out.auc = Some(evaluate::roc_auc(&p, &y)?);
            out.log_loss = Some(evaluate::log_loss(&p, &y)?);
            out.calibration = evaluate::calibration(&p, &y, CALIBRATION_BINS)?;
            out.calibration_error = Some(
                out.calibration
                    .iter()
                    .map(|b| b.count as f64 * (b.observed_rate - b.mean_predicted).abs())
                    .sum::<f64>()
                    / y.len() as f64,
            );
            out.recency_auc = Some(r.max(1.0 - r));
        } else {
            // The naive forecast: what the customer spent in the period before.
            let h = f64::from(target.horizon_days());
            let before = FeatureSpec {
                features: vec![Feature::Spend { days: h }],
            }
            .build(&records, cutoff)?;
            let n = y.len() as f64;
            let abs = |a: &[f64]| a.iter().zip(&y).map(|(q, v)| (q - v).abs()).sum::<f64>() / n;
            out.mae = Some(abs(&p));
            out.rmse =
                Some((p.iter().zip(&y).map(|(q, v)| (q - v).powi(2)).sum::<f64>() / n).sqrt());
            out.baseline_mae = Some(abs(&before));
            out.predicted_total = Some(p.iter().sum());
            out.actual_total = Some(y.iter().sum());
        }
        Ok(out)
    }

    /// The customers a model rates highest at `now` — most likely to buy, most at risk,
    /// most valuable — with the reasons for each, best first; among `contacts` when given,
    /// else among every customer. At most `limit`.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for a lead model; [`Error::NotFound`] for an unknown
    /// contact; as [`ModelFile::score`].
    pub fn predict_customers(
        &self,
        model: &ModelFile,
        contacts: Option<&[ContactId]>,
        limit: usize,
        now: DateTime<Utc>,
    ) -> Result<Vec<CustomerPrediction>> {
        customer_target(model)?;
        let base = self.read(|tx| match contacts {
            Some(ids) => {
                let loaded = ids
                    .iter()
                    .map(|id| tx.load::<Contact>(*id))
                    .collect::<Result<Vec<_>>>()?;
                Base::load(tx, loaded)
            }
            None => Base::load_all(tx),
        })?;
        let chosen: Vec<&Contact> = match contacts {
            Some(_) => base.contacts.iter().collect(),
            None => base.customers_at(now),
        };
        let records: Vec<Record<'_>> = chosen.iter().map(|c| base.record(c)).collect();
        let scores = model.score(&records, now)?;
        let mut order: Vec<usize> = (0..records.len()).collect();
        order.sort_by(|&a, &b| {
            scores[b]
                .total_cmp(&scores[a])
                .then_with(|| chosen[a].id.cmp(&chosen[b].id))
        });
        order.truncate(limit);
        let top: Vec<Record<'_>> = order.iter().map(|&i| records[i]).collect();
        let reasons = model.explain(&top, now, REASONS)?;
        Ok(order
            .iter()
            .zip(reasons)
            .map(|(&i, reasons)| CustomerPrediction {
                contact: chosen[i].id,
                value: scores[i],
                rating: model.rate(scores[i]).as_str().to_string(),
                reasons,
            })
            .collect())
    }

    /// What to offer (or act on) for one customer: each model's prediction for them with
    /// its reasons, strongest first — the cross-sell models rank the products to offer.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for a lead model or two models of one name;
    /// [`Error::NotFound`] for an unknown contact.
    pub fn recommend(
        &self,
        contact: ContactId,
        models: &[NamedModel],
        now: DateTime<Utc>,
    ) -> Result<Vec<Recommendation>> {
        check_names(models)?;
        let base = self.read(|tx| {
            let c = tx.load::<Contact>(contact)?;
            Base::load(tx, vec![c])
        })?;
        let record = [base.record(&base.contacts[0])];
        let mut out = Vec::with_capacity(models.len());
        for m in models {
            customer_target(&m.model)?;
            let value = m.model.score(&record, now)?[0];
            let reasons = m.model.explain(&record, now, REASONS)?.remove(0);
            out.push(Recommendation {
                name: m.name.clone(),
                value,
                rating: m.model.rate(value).as_str().to_string(),
                reasons,
            });
        }
        out.sort_by(|a, b| {
            b.value
                .total_cmp(&a.value)
                .then_with(|| a.name.cmp(&b.name))
        });
        Ok(out)
    }

    /// Re-scores every contact with a customer model at `now`, writing the prediction to
    /// [`Contact::predictions`] under `name` only where it changed (with a
    /// `ContactScored` event): everyone is read and scored in one pass, the changes are
    /// written a batch per transaction.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for a lead model or a blank name; as
    /// [`ModelFile::score`]; [`Error::Storage`] — batches before the failing one stay
    /// written.
    pub fn rescore_customers(
        &self,
        name: &str,
        model: &ModelFile,
        now: DateTime<Utc>,
    ) -> Result<RescoreReport> {
        customer_target(model)?;
        let name = model_name(name)?;
        // One pass to read and score everyone; then only the changes are written, each
        // checked against the contact as it is when written.
        let scored: Vec<(ContactId, f64, bool)> = {
            let base = self.read(|tx| Base::load_all(tx))?;
            let records: Vec<Record<'_>> = base.contacts.iter().map(|c| base.record(c)).collect();
            let scores = model.score(&records, now)?;
            base.contacts
                .iter()
                .zip(scores)
                .map(|(c, v)| (c.id, v, c.predictions.get(&name) != Some(&v)))
                .collect()
        };
        let mut report = RescoreReport {
            scored: scored.len(),
            changed: 0,
        };
        let changes: Vec<(ContactId, f64)> = scored
            .into_iter()
            .filter(|(.., changed)| *changed)
            .map(|(id, v, _)| (id, v))
            .collect();
        let total = Some(changes.len());
        for (i, chunk) in changes.chunks(RESCORE_BATCH).enumerate() {
            crate::job::checkpoint(i * RESCORE_BATCH, total)?;
            report.changed += self.write(|tx| {
                let mut changed = 0;
                for (id, value) in chunk {
                    let Some(mut c) = tx.get::<Contact>(*id)? else {
                        continue; // deleted since it was read
                    };
                    if c.predictions.get(&name) == Some(value) {
                        continue;
                    }
                    c.predictions.insert(name.clone(), *value);
                    c.updated_at = now;
                    tx.update(&mut c)?;
                    tx.emit(
                        &DomainEvent::ContactScored {
                            contact: c.id,
                            model: name.clone(),
                            value: *value,
                        },
                        now,
                    )?;
                    changed += 1;
                }
                Ok(changed)
            })?;
        }
        Ok(report)
    }
}

/// A customer model's target, or why the model is not one.
pub(super) fn customer_target(model: &ModelFile) -> Result<&CustomerTarget> {
    model.check()?;
    match (&model.subject, &model.target) {
        (ModelSubject::Customers, Some(t)) => Ok(t),
        _ => Err(Error::invalid(
            "model",
            model.model.kind(),
            "is a lead model: customer predictions need a customer model",
        )),
    }
}

/// A model name as predictions are stored under it: trimmed, lower-case, not blank.
fn model_name(name: &str) -> Result<String> {
    let n = name.trim().to_lowercase();
    if n.is_empty() || n.len() > 64 {
        return Err(Error::invalid(
            "name",
            name,
            "a model name is 1 to 64 characters",
        ));
    }
    Ok(n)
}

fn check_names(models: &[NamedModel]) -> Result<()> {
    let mut seen = std::collections::HashSet::new();
    for m in models {
        let n = model_name(&m.name)?;
        if !seen.insert(n) {
            return Err(Error::invalid("name", &m.name, "two models have this name"));
        }
    }
    Ok(())
}

/// Fits a logistic model on standardised columns and maps it back to the raw features,
/// so that `C` penalises every feature alike whatever its unit (days, money, counts).
fn fit_standardised(
    x: &[f64],
    y: &[f64],
    rows: usize,
    cols: usize,
    c: f64,
) -> Result<LogisticModel> {
    let n = rows.max(1) as f64;
    let mut mean = vec![0.0; cols];
    let mut sd = vec![0.0; cols];
    for r in 0..rows {
        for j in 0..cols {
            mean[j] += x[r * cols + j] / n;
        }
    }
    for r in 0..rows {
        for j in 0..cols {
            sd[j] += (x[r * cols + j] - mean[j]).powi(2) / n;
        }
    }
    let sd: Vec<f64> = sd
        .into_iter()
        .map(|v| if v > 1e-12 { v.sqrt() } else { 1.0 })
        .collect();
    let z: Vec<f64> = (0..rows * cols)
        .map(|i| (x[i] - mean[i % cols]) / sd[i % cols])
        .collect();
    let config = LogisticConfig {
        c,
        ..LogisticConfig::default()
    };
    let mut m = LogisticModel::fit(
        Matrix::new(&z, rows, cols, Layout::RowMajor)?,
        y,
        None,
        &config,
    )?;
    for j in 0..cols {
        m.coef[j] /= sd[j];
        m.intercept -= m.coef[j] * mean[j];
    }
    Ok(m)
}
