//! The CRM facade for Python: `NativeCrm` over crm-core's `Crm` on the SQLite store (a file,
//! or in memory). Records cross as JSON — the serde form every crm-core type has — and
//! `crm_core.crm` turns them into typed Python records; structured inputs arrive the same
//! way. Store work runs with the GIL released.

use std::path::PathBuf;

use chrono::NaiveDate;
use crm_core::crm::convert::ConvertOptions;
use crm_core::crm::import::ImportOptions;
use crm_core::scoring::features::FeatureSpec;
use crm_core::scoring::model_file::ModelFile;
use crm_core::scoring::rules::RuleSet;
use crm_core::{Crm, Region};
use crm_sqlite::SqliteStore;
use pyo3::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::convert::{self, instant, json, parse};
use crate::errors::OrRaise;

/// Prices lines without a store: (lines, document discount percent, taxes, currency,
/// rounding), all JSON but the currency; the priced document as JSON.
#[pyfunction]
pub fn price_document(
    py: Python<'_>,
    lines: &str,
    document_discount: &str,
    taxes: &str,
    currency: &str,
    rounding: &str,
) -> PyResult<String> {
    use crm_core::quote::pricing;
    let lines: Vec<pricing::PriceLine> = parse(py, "lines", lines)?;
    let discount = crm_core::Percent::parse(document_discount).or_raise(py)?;
    let taxes: pricing::TaxTable = parse(py, "taxes", taxes)?;
    let currency = crm_core::Currency::parse(currency).or_raise(py)?;
    let rounding: pricing::Rounding = parse(py, "rounding", rounding)?;
    let priced = py
        .detach(|| pricing::price_document(&lines, discount, &taxes, currency, rounding))
        .or_raise(py)?;
    json(py, &priced)
}

/// A value from plain JSON data (an id from an int, a date from a string…).
pub(crate) fn value<T: DeserializeOwned>(
    py: Python<'_>,
    what: &str,
    v: impl Serialize,
) -> PyResult<T> {
    serde_json::to_value(v)
        .and_then(serde_json::from_value)
        .map_err(|e| crm_core::Error::invalid(what, "", e.to_string()))
        .or_raise(py)
}

pub(crate) fn date(py: Python<'_>, text: &str) -> PyResult<NaiveDate> {
    value(py, "date", text)
}

/// The CRM on SQLite (`crm_core.Crm` wraps it).
#[pyclass(frozen, module = "crm_core._crm_core", name = "NativeCrm")]
pub struct NativeCrm(pub(crate) std::sync::Arc<Crm<SqliteStore>>);

/// The CRM behind a native class, and the one way every method calls it: with the GIL
/// released, errors raised as `CrmError`s, the result as JSON.
pub(crate) trait OnCrm {
    /// The CRM.
    fn crm(&self) -> &Crm<SqliteStore>;

    /// Runs `f` on the CRM with the GIL released and returns its result as JSON.
    fn run<T: Serialize + Send>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&Crm<SqliteStore>) -> crm_core::Result<T> + Send,
    ) -> PyResult<String> {
        let crm = self.crm();
        // a panic inside crm-core becomes `InternalError`, never pyo3's PanicException
        let result = py
            .detach(|| crm_core::error::catch_panic(|| f(crm)))
            .or_raise(py)?;
        json(py, &result)
    }
}

impl OnCrm for NativeCrm {
    fn crm(&self) -> &Crm<SqliteStore> {
        &self.0
    }
}

#[pymethods]
impl NativeCrm {
    /// The marketing use cases on the same store.
    fn marketing(&self) -> crate::marketing::NativeMarketing {
        crate::marketing::NativeMarketing(self.0.clone())
    }

    /// The service-desk use cases on the same store.
    fn service_desk(&self) -> crate::service_desk::NativeServiceDesk {
        crate::service_desk::NativeServiceDesk(self.0.clone())
    }

    /// Opens (or creates) the SQLite file at `path`.
    #[staticmethod]
    fn open(py: Python<'_>, path: PathBuf, region: &str) -> PyResult<Self> {
        let region = Region::parse(region).or_raise(py)?;
        let store = py.detach(|| SqliteStore::open(&path)).or_raise(py)?;
        Ok(NativeCrm(std::sync::Arc::new(Crm::new(store, region))))
    }

    /// A CRM in memory (SQLite without a file).
    #[staticmethod]
    fn in_memory(py: Python<'_>, region: &str) -> PyResult<Self> {
        let region = Region::parse(region).or_raise(py)?;
        let store = SqliteStore::open_in_memory().or_raise(py)?;
        Ok(NativeCrm(std::sync::Arc::new(Crm::new(store, region))))
    }

    #[getter]
    fn default_region(&self) -> String {
        self.0.default_region().code().to_string()
    }

    // ---- leads --------------------------------------------------------------------------

    fn capture_lead(&self, py: Python<'_>, input: &str, now: &str) -> PyResult<String> {
        let input: crm_core::LeadInput = parse(py, "lead input", input)?;
        let now = instant(py, now)?;
        self.run(py, |c| c.capture_lead(&input, now))
    }

    fn define_web_form(&self, py: Python<'_>, spec: &str, now: &str) -> PyResult<String> {
        let spec = parse(py, "web form", spec)?;
        let now = instant(py, now)?;
        self.run(py, |c| c.define_web_form(spec, now))
    }

    fn web_form_named(&self, py: Python<'_>, name: &str) -> PyResult<String> {
        self.run(py, |c| c.web_form_named(name))
    }

    fn submit_web_form(&self, py: Python<'_>, form: u64, submission: &str) -> PyResult<String> {
        let form = value(py, "web form id", form)?;
        let submission = parse(py, "submission", submission)?;
        self.run(py, |c| c.submit_web_form(form, &submission))
    }

    /// Imports leads from CSV bytes; `progress` (if given) is called with a JSON progress
    /// object after each batch.
    #[pyo3(signature = (data, mapping, options, now, progress=None))]
    fn import_leads_csv(
        &self,
        py: Python<'_>,
        data: Vec<u8>,
        mapping: &str,
        options: &str,
        now: &str,
        progress: Option<Bound<'_, PyAny>>,
    ) -> PyResult<String> {
        let mapping = parse(py, "CSV mapping", mapping)?;
        let options: ImportOptions = parse(py, "import options", options)?;
        let now = instant(py, now)?;
        let mut callback_error = None;
        let report = self.0.import_leads_csv(
            data.as_slice(),
            mapping,
            &options,
            |p| {
                if let (Some(f), None) = (&progress, &callback_error) {
                    let called = json(py, p).and_then(|text| f.call1((text,)));
                    if let Err(e) = called {
                        callback_error = Some(e);
                    }
                }
            },
            now,
        );
        if let Some(e) = callback_error {
            return Err(e);
        }
        json(py, &report.or_raise(py)?)
    }

    fn lead(&self, py: Python<'_>, id: u64) -> PyResult<String> {
        let id = value(py, "lead id", id)?;
        self.run(py, |c| c.lead(id))
    }

    fn leads(&self, py: Python<'_>) -> PyResult<String> {
        self.run(py, |c| c.all_leads())
    }

    fn leads_with_status(&self, py: Python<'_>, status: &str) -> PyResult<String> {
        self.run(py, |c| c.leads_with_status(status))
    }

    /// Saves an edit of a lead's data (`data`: JSON) made on `expected_version`.
    fn update_lead(
        &self,
        py: Python<'_>,
        id: u64,
        expected_version: u64,
        data: &str,
        now: &str,
    ) -> PyResult<String> {
        let (id, now) = (value(py, "lead id", id)?, instant(py, now)?);
        let data = parse(py, "lead data", data)?;
        self.run(py, |c| c.update_lead(id, expected_version, data, now))
    }

    fn start_working(&self, py: Python<'_>, id: u64, now: &str) -> PyResult<String> {
        let (id, now) = (value(py, "lead id", id)?, instant(py, now)?);
        self.run(py, |c| c.start_working(id, now))
    }

    fn qualify(&self, py: Python<'_>, id: u64, now: &str) -> PyResult<String> {
        let (id, now) = (value(py, "lead id", id)?, instant(py, now)?);
        self.run(py, |c| c.qualify(id, now))
    }

    fn disqualify(&self, py: Python<'_>, id: u64, reason: &str, now: &str) -> PyResult<String> {
        let (id, now) = (value(py, "lead id", id)?, instant(py, now)?);
        self.run(py, |c| c.disqualify(id, reason, now))
    }

    #[pyo3(signature = (id, score, rating, now))]
    fn set_lead_score(
        &self,
        py: Python<'_>,
        id: u64,
        score: f64,
        rating: Option<&str>,
        now: &str,
    ) -> PyResult<String> {
        let (id, now) = (value(py, "lead id", id)?, instant(py, now)?);
        let rating = rating.map(|r| value(py, "rating", r)).transpose()?;
        self.run(py, |c| c.set_lead_score(id, score, rating, now))
    }

    fn duplicates_of_lead(&self, py: Python<'_>, id: u64) -> PyResult<String> {
        let id = value(py, "lead id", id)?;
        self.run(py, |c| c.duplicates_of_lead(id))
    }

    fn convert_lead(&self, py: Python<'_>, id: u64, options: &str, now: &str) -> PyResult<String> {
        let (id, now) = (value(py, "lead id", id)?, instant(py, now)?);
        let options: ConvertOptions = parse(py, "conversion options", options)?;
        self.run(py, |c| c.convert_lead(id, &options, now))
    }

    // ---- touchpoints, accounts, contacts, purchases ---------------------------------------

    fn record_touchpoint(&self, py: Python<'_>, touch: &str, now: &str) -> PyResult<String> {
        let touch = parse(py, "touchpoint", touch)?;
        let now = instant(py, now)?;
        self.run(py, |c| c.record_touchpoint(touch, now))
    }

    fn touchpoints_of(&self, py: Python<'_>, subject: &str) -> PyResult<String> {
        let subject = parse(py, "record reference", subject)?;
        self.run(py, |c| c.touchpoints_of(subject))
    }

    fn create_account(&self, py: Python<'_>, new: &str, now: &str) -> PyResult<String> {
        let new = parse(py, "account", new)?;
        let now = instant(py, now)?;
        self.run(py, |c| c.create_account(new, now))
    }

    fn create_contact(&self, py: Python<'_>, new: &str, now: &str) -> PyResult<String> {
        let new = parse(py, "contact", new)?;
        let now = instant(py, now)?;
        self.run(py, |c| c.create_contact(new, now))
    }

    fn account(&self, py: Python<'_>, id: u64) -> PyResult<String> {
        let id = value(py, "account id", id)?;
        self.run(py, |c| c.account(id))
    }

    fn accounts(&self, py: Python<'_>) -> PyResult<String> {
        self.run(py, |c| c.accounts())
    }

    fn contact(&self, py: Python<'_>, id: u64) -> PyResult<String> {
        let id = value(py, "contact id", id)?;
        self.run(py, |c| c.contact(id))
    }

    fn contacts(&self, py: Python<'_>) -> PyResult<String> {
        self.run(py, |c| c.contacts())
    }

    fn contacts_of(&self, py: Python<'_>, account: u64) -> PyResult<String> {
        let account = value(py, "account id", account)?;
        self.run(py, |c| c.contacts_of(account))
    }

    fn record_purchase(&self, py: Python<'_>, new: &str, now: &str) -> PyResult<String> {
        let new = parse(py, "purchase", new)?;
        let now = instant(py, now)?;
        self.run(py, |c| c.record_purchase(new, now))
    }

    fn purchases_of(&self, py: Python<'_>, contact: u64) -> PyResult<String> {
        let contact = value(py, "contact id", contact)?;
        self.run(py, |c| c.purchases_of(contact))
    }

    // ---- sales ------------------------------------------------------------------------------

    /// Defines a pipeline; `stages` is JSON (null for the default stages).
    fn define_pipeline(
        &self,
        py: Python<'_>,
        name: &str,
        stages: &str,
        now: &str,
    ) -> PyResult<String> {
        let stages: Option<Vec<crm_core::sales::Stage>> = parse(py, "stages", stages)?;
        let stages = stages.unwrap_or_else(crm_core::sales::Pipeline::default_stages);
        let now = instant(py, now)?;
        self.run(py, |c| c.define_pipeline(name, stages, now))
    }

    fn pipeline_named(&self, py: Python<'_>, name: &str) -> PyResult<String> {
        self.run(py, |c| c.pipeline_named(name))
    }

    fn open_opportunity(&self, py: Python<'_>, new: &str, now: &str) -> PyResult<String> {
        let new = parse(py, "opportunity", new)?;
        let now = instant(py, now)?;
        self.run(py, |c| c.open_opportunity(new, now))
    }

    fn advance_opportunity(
        &self,
        py: Python<'_>,
        id: u64,
        stage: &str,
        now: &str,
    ) -> PyResult<String> {
        let (id, now) = (value(py, "opportunity id", id)?, instant(py, now)?);
        self.run(py, |c| c.advance_opportunity(id, stage, now))
    }

    /// Wins an opportunity; `amount` is a JSON money object or null.
    fn win_opportunity(
        &self,
        py: Python<'_>,
        id: u64,
        amount: &str,
        now: &str,
    ) -> PyResult<String> {
        let (id, now) = (value(py, "opportunity id", id)?, instant(py, now)?);
        let amount = parse(py, "amount", amount)?;
        self.run(py, |c| c.win_opportunity(id, amount, now))
    }

    fn lose_opportunity(
        &self,
        py: Python<'_>,
        id: u64,
        reason: &str,
        now: &str,
    ) -> PyResult<String> {
        let (id, now) = (value(py, "opportunity id", id)?, instant(py, now)?);
        self.run(py, |c| c.lose_opportunity(id, reason, now))
    }

    fn opportunity(&self, py: Python<'_>, id: u64) -> PyResult<String> {
        let id = value(py, "opportunity id", id)?;
        self.run(py, |c| c.opportunity(id))
    }

    fn opportunities(&self, py: Python<'_>) -> PyResult<String> {
        self.run(py, |c| c.opportunities())
    }

    fn log_activity(&self, py: Python<'_>, new: &str, now: &str) -> PyResult<String> {
        let new = parse(py, "activity", new)?;
        let now = instant(py, now)?;
        self.run(py, |c| c.log_activity(new, now))
    }

    #[pyo3(signature = (id, outcome, now))]
    fn complete_activity(
        &self,
        py: Python<'_>,
        id: u64,
        outcome: Option<String>,
        now: &str,
    ) -> PyResult<String> {
        let (id, now) = (value(py, "activity id", id)?, instant(py, now)?);
        self.run(py, |c| c.complete_activity(id, outcome, now))
    }

    fn activities_of(&self, py: Python<'_>, subject: &str) -> PyResult<String> {
        let subject = parse(py, "record reference", subject)?;
        self.run(py, |c| c.activities_of(subject))
    }

    fn overdue_activities(&self, py: Python<'_>, owner: &str, now: &str) -> PyResult<String> {
        let now = instant(py, now)?;
        self.run(py, |c| c.overdue_activities(owner, now))
    }

    /// Sets the rate from one currency to another from a day on; `rate` is a decimal string.
    fn set_exchange_rate(
        &self,
        py: Python<'_>,
        from: &str,
        to: &str,
        on: &str,
        rate: &str,
        now: &str,
    ) -> PyResult<String> {
        let from = crm_core::Currency::parse(from).or_raise(py)?;
        let to = crm_core::Currency::parse(to).or_raise(py)?;
        let on = date(py, on)?;
        let rate = crm_core::money::parse_decimal("rate", rate).or_raise(py)?;
        let now = instant(py, now)?;
        self.run(py, |c| c.set_exchange_rate(from, to, on, rate, now))
    }

    /// The weighted forecast by period and owner in `currency` (`period`: JSON).
    fn forecast(
        &self,
        py: Python<'_>,
        currency: &str,
        period: &str,
        as_of: &str,
    ) -> PyResult<String> {
        let currency = crm_core::Currency::parse(currency).or_raise(py)?;
        let period = parse(py, "period", period)?;
        let as_of = date(py, as_of)?;
        self.run(py, |c| c.forecast(currency, period, as_of))
    }

    fn events_since(&self, py: Python<'_>, after_sequence: u64, limit: usize) -> PyResult<String> {
        self.run(py, |c| c.events_since(after_sequence, limit))
    }

    // ---- quotes ------------------------------------------------------------------------------

    fn define_product(&self, py: Python<'_>, product: &str, now: &str) -> PyResult<String> {
        let product = parse(py, "product", product)?;
        let now = instant(py, now)?;
        self.run(py, |c| c.define_product(product, now))
    }

    fn product(&self, py: Python<'_>, sku: &str) -> PyResult<String> {
        self.run(py, |c| c.product(sku))
    }

    fn define_price_book(&self, py: Python<'_>, book: &str, now: &str) -> PyResult<String> {
        let book = parse(py, "price book", book)?;
        let now = instant(py, now)?;
        self.run(py, |c| c.define_price_book(book, now))
    }

    fn price_book(&self, py: Python<'_>, name: &str) -> PyResult<String> {
        self.run(py, |c| c.price_book(name))
    }

    fn configure_product(
        &self,
        py: Python<'_>,
        sku: &str,
        options: Vec<String>,
        price_book: &str,
        on: &str,
    ) -> PyResult<String> {
        let on = date(py, on)?;
        let options: Vec<&str> = options.iter().map(String::as_str).collect();
        self.run(py, |c| c.configure_product(sku, &options, price_book, on))
    }

    fn create_quote(&self, py: Python<'_>, content: &str, now: &str) -> PyResult<String> {
        let content = parse(py, "quote", content)?;
        let now = instant(py, now)?;
        self.run(py, |c| c.create_quote(content, now))
    }

    fn revise_quote(&self, py: Python<'_>, id: u64, content: &str, now: &str) -> PyResult<String> {
        let (id, now) = (value(py, "quote id", id)?, instant(py, now)?);
        let content = parse(py, "quote", content)?;
        self.run(py, |c| c.revise_quote(id, content, now))
    }

    fn send_quote(&self, py: Python<'_>, id: u64, now: &str) -> PyResult<String> {
        let (id, now) = (value(py, "quote id", id)?, instant(py, now)?);
        self.run(py, |c| c.send_quote(id, now))
    }

    fn accept_quote(&self, py: Python<'_>, id: u64, now: &str) -> PyResult<String> {
        let (id, now) = (value(py, "quote id", id)?, instant(py, now)?);
        self.run(py, |c| c.accept_quote(id, now))
    }

    fn reject_quote(&self, py: Python<'_>, id: u64, reason: &str, now: &str) -> PyResult<String> {
        let (id, now) = (value(py, "quote id", id)?, instant(py, now)?);
        self.run(py, |c| c.reject_quote(id, reason, now))
    }

    fn expire_quotes(&self, py: Python<'_>, now: &str) -> PyResult<String> {
        let now = instant(py, now)?;
        self.run(py, |c| c.expire_quotes(now))
    }

    fn quote(&self, py: Python<'_>, id: u64) -> PyResult<String> {
        let id = value(py, "quote id", id)?;
        self.run(py, |c| c.quote(id))
    }

    fn quote_revisions(&self, py: Python<'_>, number: u64) -> PyResult<String> {
        let number = value(py, "quote id", number)?;
        self.run(py, |c| c.quote_revisions(number))
    }

    fn quotes_of(&self, py: Python<'_>, opportunity: u64) -> PyResult<String> {
        let opportunity = value(py, "opportunity id", opportunity)?;
        self.run(py, |c| c.quotes_of(opportunity))
    }

    fn convert_quote_to_order(&self, py: Python<'_>, id: u64, now: &str) -> PyResult<String> {
        let (id, now) = (value(py, "quote id", id)?, instant(py, now)?);
        self.run(py, |c| c.convert_quote_to_order(id, now))
    }

    fn sales_order(&self, py: Python<'_>, id: u64) -> PyResult<String> {
        let id = value(py, "sales order id", id)?;
        self.run(py, |c| c.sales_order(id))
    }

    fn sales_orders(&self, py: Python<'_>) -> PyResult<String> {
        self.run(py, |c| c.sales_orders())
    }

    /// The ERP hand-off payload of a sales order (JSON).
    fn sales_order_payload(&self, py: Python<'_>, id: u64) -> PyResult<String> {
        let id = value(py, "sales order id", id)?;
        self.run(py, |c| c.sales_order(id).map(|o| o.erp_payload()))
    }

    fn follow_quote_amount(&self, py: Python<'_>, id: u64, now: &str) -> PyResult<String> {
        let (id, now) = (value(py, "quote id", id)?, instant(py, now)?);
        self.run(py, |c| c.follow_quote_amount(id, now))
    }

    // ---- scoring on stored leads -------------------------------------------------------------

    fn rescore_leads(&self, py: Python<'_>, rules: &str, now: &str) -> PyResult<String> {
        let rules: RuleSet = parse(py, "rule set", rules)?;
        rules.check().or_raise(py)?;
        let now = instant(py, now)?;
        self.run(py, |c| c.rescore_leads(&rules, now))
    }

    fn rescore_leads_with_model(
        &self,
        py: Python<'_>,
        model: &crate::scoring::PyModelFile,
        now: &str,
    ) -> PyResult<String> {
        let model: &ModelFile = &model.0;
        let now = instant(py, now)?;
        self.run(py, |c| c.rescore_leads_with_model(model, now))
    }

    /// Feature rows of `leads` at `now`: (column names, X rows × columns).
    fn lead_features<'py>(
        &self,
        py: Python<'py>,
        spec: &str,
        leads: Vec<u64>,
        now: &str,
    ) -> PyResult<(Vec<String>, Bound<'py, numpy::PyArray2<f64>>)> {
        let spec: FeatureSpec = parse(py, "feature spec", spec)?;
        let ids: Vec<crm_core::id::LeadId> = leads
            .iter()
            .map(|id| value(py, "lead id", id))
            .collect::<PyResult<_>>()?;
        let now = instant(py, now)?;
        let rows = py
            .detach(|| self.0.lead_features(&spec, &ids, now))
            .or_raise(py)?;
        let cols = rows.columns.len();
        Ok((rows.columns, convert::matrix(py, rows.x, ids.len(), cols)?))
    }

    /// The training set of decided leads: (spec JSON, column names, X rows × columns, y,
    /// lead ids).
    #[allow(clippy::type_complexity)]
    fn training_set<'py>(
        &self,
        py: Python<'py>,
        spec: &str,
    ) -> PyResult<(
        String,
        Vec<String>,
        Bound<'py, numpy::PyArray2<f64>>,
        Bound<'py, numpy::PyArray1<f64>>,
        Vec<u64>,
    )> {
        let spec: FeatureSpec = parse(py, "feature spec", spec)?;
        let set = py.detach(|| self.0.training_set(spec)).or_raise(py)?;
        let rows = set.y.len();
        let cols = set.columns.len();
        Ok((
            json(py, &set.spec)?,
            set.columns,
            convert::matrix(py, set.x, rows, cols)?,
            convert::vector(py, set.y),
            set.leads.iter().map(|id| id.get()).collect(),
        ))
    }
}
