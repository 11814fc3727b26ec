//! The service desk for Python: `NativeServiceDesk` shares the `NativeCrm`'s store and
//! exposes crm-core's service use cases — calendars, SLA policies, assets, warranties,
//! contracts, coverage, cases and their SLAs, technicians, service orders and scheduling,
//! maintenance plans, the knowledge base. Inputs and records cross as JSON (the serde form
//! of crm-core's types); `crm_core.service_desk` turns them into typed records. Store work
//! runs with the GIL released.

use std::sync::Arc;

use crm_core::Crm;
use crm_core::service::knowledge::SearchFilter;
use crm_core::service::{
    ArticleChange, ArticleContent, ArticleStatus, AssetStatus, CaseComment, CasePriority,
    CaseStatus, NewAsset, NewCase, NewContract, NewMaintenancePlan, NewServiceOrder, NewTechnician,
    SlaPolicy,
};
use crm_sqlite::SqliteStore;
use pyo3::prelude::*;

use crate::convert::{instant, parse};
use crate::errors::OrRaise;
use crate::facade::{OnCrm, date, value};
use crate::service::PyBusinessCalendar;

/// The service desk on a `NativeCrm`'s store.
#[pyclass(frozen, module = "crm_core._crm_core", name = "NativeServiceDesk")]
pub struct NativeServiceDesk(pub(crate) Arc<Crm<SqliteStore>>);

impl crate::facade::OnCrm for NativeServiceDesk {
    fn crm(&self) -> &Crm<SqliteStore> {
        &self.0
    }
}

/// A status/priority-like value from its name.
fn named<T: std::str::FromStr<Err = crm_core::Error>>(py: Python<'_>, text: &str) -> PyResult<T> {
    text.parse().or_raise(py)
}

#[pymethods]
impl NativeServiceDesk {
    // ---- calendars and policies --------------------------------------------------------

    fn define_calendar(
        &self,
        py: Python<'_>,
        name: &str,
        calendar: &PyBusinessCalendar,
        now: &str,
    ) -> PyResult<String> {
        let (cal, now) = (calendar.0.clone(), instant(py, now)?);
        self.run(py, |c| c.define_calendar(name, cal, now))
    }

    fn define_sla_policy(&self, py: Python<'_>, policy: &str, now: &str) -> PyResult<String> {
        let policy: SlaPolicy = parse(py, "SLA policy", policy)?;
        let now = instant(py, now)?;
        self.run(py, |c| c.define_sla_policy(policy, now))
    }

    fn sla_policies(&self, py: Python<'_>) -> PyResult<String> {
        self.run(py, |c| c.sla_policies())
    }

    // ---- installed base ----------------------------------------------------------------

    fn register_asset(&self, py: Python<'_>, new: &str, now: &str) -> PyResult<String> {
        let new: NewAsset = parse(py, "asset", new)?;
        let now = instant(py, now)?;
        self.run(py, |c| c.register_asset(new, now))
    }

    fn asset(&self, py: Python<'_>, id: u64) -> PyResult<String> {
        let id = value(py, "asset id", id)?;
        self.run(py, |c| c.asset(id))
    }

    fn asset_by_serial(&self, py: Python<'_>, serial: &str) -> PyResult<String> {
        self.run(py, |c| c.asset_by_serial(serial))
    }

    fn assets_of(&self, py: Python<'_>, account: u64) -> PyResult<String> {
        let account = value(py, "account id", account)?;
        self.run(py, |c| c.assets_of(account))
    }

    fn set_asset_status(
        &self,
        py: Python<'_>,
        id: u64,
        status: &str,
        now: &str,
    ) -> PyResult<String> {
        let id = value(py, "asset id", id)?;
        let status: AssetStatus = named(py, status)?;
        let now = instant(py, now)?;
        self.run(py, |c| c.set_asset_status(id, status, now))
    }

    fn add_warranty(
        &self,
        py: Python<'_>,
        asset: u64,
        starts_on: &str,
        ends_on: &str,
        terms: &str,
        now: &str,
    ) -> PyResult<String> {
        let asset = value(py, "asset id", asset)?;
        let (starts_on, ends_on) = (date(py, starts_on)?, date(py, ends_on)?);
        let now = instant(py, now)?;
        self.run(py, |c| {
            c.add_warranty(asset, starts_on, ends_on, terms, now)
        })
    }

    fn create_contract(&self, py: Python<'_>, new: &str, now: &str) -> PyResult<String> {
        let new: NewContract = parse(py, "contract", new)?;
        let now = instant(py, now)?;
        self.run(py, |c| c.create_contract(new, now))
    }

    fn contract(&self, py: Python<'_>, id: u64) -> PyResult<String> {
        let id = value(py, "contract id", id)?;
        self.run(py, |c| c.contract(id))
    }

    fn cancel_contract(&self, py: Python<'_>, id: u64, now: &str) -> PyResult<String> {
        let (id, now) = (value(py, "contract id", id)?, instant(py, now)?);
        self.run(py, |c| c.cancel_contract(id, now))
    }

    fn coverage(&self, py: Python<'_>, asset: u64, on: &str) -> PyResult<String> {
        let (asset, on) = (value(py, "asset id", asset)?, date(py, on)?);
        self.run(py, |c| c.coverage(asset, on))
    }

    // ---- cases ---------------------------------------------------------------------------

    fn open_case(&self, py: Python<'_>, new: &str, now: &str) -> PyResult<String> {
        let new: NewCase = parse(py, "case", new)?;
        let now = instant(py, now)?;
        self.run(py, |c| c.open_case(new, now))
    }

    fn case(&self, py: Python<'_>, id: u64) -> PyResult<String> {
        let id = value(py, "case id", id)?;
        self.run(py, |c| c.case(id))
    }

    fn case_by_number(&self, py: Python<'_>, number: &str) -> PyResult<String> {
        self.run(py, |c| c.case_by_number(number))
    }

    fn cases_of(&self, py: Python<'_>, account: u64) -> PyResult<String> {
        let account = value(py, "account id", account)?;
        self.run(py, |c| c.cases_of(account))
    }

    fn active_cases(&self, py: Python<'_>) -> PyResult<String> {
        self.run(py, |c| c.active_cases())
    }

    fn set_case_status(
        &self,
        py: Python<'_>,
        id: u64,
        status: &str,
        now: &str,
    ) -> PyResult<String> {
        let id = value(py, "case id", id)?;
        let status: CaseStatus = named(py, status)?;
        let now = instant(py, now)?;
        self.run(py, |c| c.set_case_status(id, status, now))
    }

    fn set_case_priority(
        &self,
        py: Python<'_>,
        id: u64,
        priority: &str,
        now: &str,
    ) -> PyResult<String> {
        let id = value(py, "case id", id)?;
        let priority: CasePriority = named(py, priority)?;
        let now = instant(py, now)?;
        self.run(py, |c| c.set_case_priority(id, priority, now))
    }

    fn comment_on_case(&self, py: Python<'_>, id: u64, comment: &str) -> PyResult<String> {
        let id = value(py, "case id", id)?;
        let comment: CaseComment = parse(py, "comment", comment)?;
        self.run(py, |c| c.comment_on_case(id, comment))
    }

    fn case_sla(&self, py: Python<'_>, id: u64, at: &str) -> PyResult<String> {
        let (id, at) = (value(py, "case id", id)?, instant(py, at)?);
        self.run(py, |c| c.case_sla(id, at))
    }

    fn sla_report(&self, py: Python<'_>, at: &str) -> PyResult<String> {
        let at = instant(py, at)?;
        self.run(py, |c| c.sla_report(at))
    }

    fn check_slas(&self, py: Python<'_>, at: &str) -> PyResult<String> {
        let at = instant(py, at)?;
        self.run(py, |c| c.check_slas(at))
    }

    // ---- field service -------------------------------------------------------------------

    fn define_technician(&self, py: Python<'_>, new: &str, now: &str) -> PyResult<String> {
        let new: NewTechnician = parse(py, "technician", new)?;
        let now = instant(py, now)?;
        self.run(py, |c| c.define_technician(new, now))
    }

    fn technicians(&self, py: Python<'_>) -> PyResult<String> {
        self.run(py, |c| c.technicians())
    }

    fn create_service_order(&self, py: Python<'_>, new: &str, now: &str) -> PyResult<String> {
        let new: NewServiceOrder = parse(py, "service order", new)?;
        let now = instant(py, now)?;
        self.run(py, |c| c.create_service_order(new, now))
    }

    fn service_order(&self, py: Python<'_>, id: u64) -> PyResult<String> {
        let id = value(py, "service order id", id)?;
        self.run(py, |c| c.service_order(id))
    }

    fn orders_of_technician(&self, py: Python<'_>, id: u64) -> PyResult<String> {
        let id = value(py, "technician id", id)?;
        self.run(py, |c| c.orders_of_technician(id))
    }

    fn schedule_service_orders(
        &self,
        py: Python<'_>,
        start: &str,
        until: &str,
        now: &str,
    ) -> PyResult<String> {
        let (start, until, now) = (instant(py, start)?, instant(py, until)?, instant(py, now)?);
        self.run(py, |c| c.schedule_service_orders(start, until, now))
    }

    fn complete_service_order(
        &self,
        py: Python<'_>,
        id: u64,
        hours: &str,
        now: &str,
    ) -> PyResult<String> {
        let id = value(py, "service order id", id)?;
        let hours: rust_decimal::Decimal = hours
            .trim()
            .parse()
            .map_err(|_| crm_core::Error::invalid("hours", hours, "not a decimal number"))
            .or_raise(py)?;
        let now = instant(py, now)?;
        self.run(py, |c| c.complete_service_order(id, hours, now))
    }

    fn cancel_service_order(&self, py: Python<'_>, id: u64, now: &str) -> PyResult<String> {
        let (id, now) = (value(py, "service order id", id)?, instant(py, now)?);
        self.run(py, |c| c.cancel_service_order(id, now))
    }

    fn define_maintenance_plan(&self, py: Python<'_>, plan: &str, now: &str) -> PyResult<String> {
        let plan: NewMaintenancePlan = parse(py, "maintenance plan", plan)?;
        let now = instant(py, now)?;
        self.run(py, |c| c.define_maintenance_plan(plan, now))
    }

    fn generate_maintenance_orders(
        &self,
        py: Python<'_>,
        through: &str,
        now: &str,
    ) -> PyResult<String> {
        let (through, now) = (date(py, through)?, instant(py, now)?);
        self.run(py, |c| c.generate_maintenance_orders(through, now))
    }

    // ---- knowledge base ------------------------------------------------------------------

    fn write_article(
        &self,
        py: Python<'_>,
        content: &str,
        status: &str,
        now: &str,
    ) -> PyResult<String> {
        let content: ArticleContent = parse(py, "article", content)?;
        let status: ArticleStatus = named(py, status)?;
        let now = instant(py, now)?;
        self.run(py, |c| c.write_article(content, status, now))
    }

    fn update_article(&self, py: Python<'_>, id: u64, change: &str, now: &str) -> PyResult<String> {
        let id = value(py, "article id", id)?;
        let change: ArticleChange = parse(py, "article change", change)?;
        let now = instant(py, now)?;
        self.run(py, |c| c.update_article(id, change, now))
    }

    fn article(&self, py: Python<'_>, id: u64) -> PyResult<String> {
        let id = value(py, "article id", id)?;
        self.run(py, |c| c.article(id))
    }

    #[pyo3(signature = (query, tag, product, k))]
    fn search_articles(
        &self,
        py: Python<'_>,
        query: &str,
        tag: Option<String>,
        product: Option<String>,
        k: usize,
    ) -> PyResult<String> {
        let filter = SearchFilter { tag, product };
        self.run(py, |c| c.search_articles(query, &filter, k))
    }
}
