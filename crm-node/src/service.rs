//! The service desk on the `Crm` class: business calendars and SLA policies, the installed
//! base (assets, warranties, contracts, coverage), cases and their SLAs, field service
//! (technicians, service orders, scheduling, maintenance plans) and the knowledge base;
//! and `BusinessCalendar`, due dates in business time without a store.

use crm_core::id::{AccountId, ArticleId, AssetId, CaseId, ContractId, ServiceOrderId};
use crm_core::service::calendar;
use napi::Env;
use napi::bindgen_prelude::*;
use napi_derive::napi;
use serde_json::Value;

use crate::edge::{self, CrmTask, arg, call, date, instant, js_error, opt};
use crate::facade::Crm;

/// A business calendar (zone, working hours per weekday, holidays, exceptions): business
/// time added to and measured between instants, exact across DST changes.
#[napi]
pub struct BusinessCalendar {
    inner: calendar::BusinessCalendar,
}

#[napi]
impl BusinessCalendar {
    /// A calendar from its definition (checked: it must have working time).
    #[napi(constructor, ts_args_type = "definition: BusinessCalendarDefinition")]
    pub fn new(env: &Env, definition: Unknown<'_>) -> Result<Self> {
        edge::guarded(|| {
            let inner: calendar::BusinessCalendar = arg("definition", definition)?;
            Ok(BusinessCalendar {
                inner: inner.checked()?,
            })
        })
        .map_err(|e| js_error(env, &e))
    }

    /// The instant `minutes` business minutes after `start`, as an ISO-8601 UTC string.
    #[napi(ts_args_type = "start: Instant, minutes: number")]
    pub fn add(&self, env: &Env, start: Unknown<'_>, minutes: Unknown<'_>) -> Result<String> {
        edge::guarded(|| {
            let start = instant("start", start)?;
            let minutes: i64 = arg("minutes", minutes)?;
            let due = self.inner.add(start, chrono::Duration::minutes(minutes))?;
            Ok(crm_core::time::format_rfc3339(due))
        })
        .map_err(|e| js_error(env, &e))
    }

    /// The business minutes between two instants (negative when `to` is before `from`).
    #[napi(ts_args_type = "from: Instant, to: Instant")]
    pub fn between(&self, env: &Env, from: Unknown<'_>, to: Unknown<'_>) -> Result<f64> {
        edge::guarded(|| {
            let d = self
                .inner
                .between(instant("from", from)?, instant("to", to)?);
            #[allow(clippy::cast_precision_loss)]
            Ok(d.num_seconds() as f64 / 60.0)
        })
        .map_err(|e| js_error(env, &e))
    }

    /// Whether `at` falls in working time.
    #[napi(ts_args_type = "at: Instant")]
    pub fn is_working(&self, env: &Env, at: Unknown<'_>) -> Result<bool> {
        edge::guarded(|| Ok(self.inner.is_working(instant("at", at)?)))
            .map_err(|e| js_error(env, &e))
    }

    /// The calendar's definition.
    #[napi(ts_return_type = "BusinessCalendarDefinition")]
    pub fn definition(&self, env: &Env) -> Result<Value> {
        call(env, || Ok(&self.inner))
    }
}

#[napi]
impl Crm {
    /// Defines (or redefines) a named business calendar.
    #[napi(
        ts_args_type = "name: string, calendar: BusinessCalendarDefinition, now?: Instant",
        ts_return_type = "CalendarRecord"
    )]
    pub fn define_calendar(
        &self,
        env: &Env,
        name: Unknown<'_>,
        calendar: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            let name: String = arg("name", name)?;
            self.inner
                .define_calendar(&name, arg("calendar", calendar)?, edge::now(now)?)
        })
    }

    /// The calendar with this name, or null.
    #[napi(
        ts_args_type = "name: string",
        ts_return_type = "BusinessCalendarDefinition | null"
    )]
    pub fn calendar(&self, env: &Env, name: Unknown<'_>) -> Result<Value> {
        call(env, || self.inner.calendar(&arg::<String>("name", name)?))
    }

    /// Defines (or redefines) an SLA policy.
    #[napi(
        ts_args_type = "policy: SlaPolicy, now?: Instant",
        ts_return_type = "SlaPolicyRecord"
    )]
    pub fn define_sla_policy(
        &self,
        env: &Env,
        policy: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            self.inner
                .define_sla_policy(arg("policy", policy)?, edge::now(now)?)
        })
    }

    /// The SLA policies, in the order they are matched.
    #[napi(ts_return_type = "SlaPolicy[]")]
    pub fn sla_policies(&self, env: &Env) -> Result<Value> {
        call(env, || self.inner.sla_policies())
    }

    /// Registers an installed asset.
    #[napi(
        ts_args_type = "asset: NewAsset, now?: Instant",
        ts_return_type = "Asset"
    )]
    pub fn register_asset(
        &self,
        env: &Env,
        asset: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            self.inner
                .register_asset(arg("asset", asset)?, edge::now(now)?)
        })
    }

    /// An asset.
    #[napi(ts_args_type = "id: number", ts_return_type = "Asset")]
    pub fn asset(&self, env: &Env, id: Unknown<'_>) -> Result<Value> {
        call(env, || self.inner.asset(arg("id", id)?))
    }

    /// The asset with this serial number, or null.
    #[napi(ts_args_type = "serial: string", ts_return_type = "Asset | null")]
    pub fn asset_by_serial(&self, env: &Env, serial: Unknown<'_>) -> Result<Value> {
        call(env, || {
            self.inner
                .asset_by_serial(&arg::<String>("serial", serial)?)
        })
    }

    /// The assets of an account.
    #[napi(ts_args_type = "account: number", ts_return_type = "Asset[]")]
    pub fn assets_of(&self, env: &Env, account: Unknown<'_>) -> Result<Value> {
        call(env, || {
            self.inner.assets_of(arg::<AccountId>("account", account)?)
        })
    }

    /// Sets an asset's status.
    #[napi(
        ts_args_type = "id: number, status: AssetStatus, now?: Instant",
        ts_return_type = "Asset"
    )]
    pub fn set_asset_status(
        &self,
        env: &Env,
        id: Unknown<'_>,
        status: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            let id: AssetId = arg("id", id)?;
            self.inner
                .set_asset_status(id, arg("status", status)?, edge::now(now)?)
        })
    }

    /// Adds a warranty to an asset (days as `YYYY-MM-DD`).
    #[napi(
        ts_args_type = "asset: number, startsOn: string, endsOn: string, terms: string, now?: Instant",
        ts_return_type = "Warranty"
    )]
    pub fn add_warranty(
        &self,
        env: &Env,
        asset: Unknown<'_>,
        starts_on: Unknown<'_>,
        ends_on: Unknown<'_>,
        terms: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            let asset: AssetId = arg("asset", asset)?;
            let (from, to) = (date("startsOn", starts_on)?, date("endsOn", ends_on)?);
            let terms: String = arg("terms", terms)?;
            self.inner
                .add_warranty(asset, from, to, &terms, edge::now(now)?)
        })
    }

    /// Creates a service contract.
    #[napi(
        ts_args_type = "contract: NewContract, now?: Instant",
        ts_return_type = "Contract"
    )]
    pub fn create_contract(
        &self,
        env: &Env,
        contract: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            self.inner
                .create_contract(arg("contract", contract)?, edge::now(now)?)
        })
    }

    /// A contract.
    #[napi(ts_args_type = "id: number", ts_return_type = "Contract")]
    pub fn contract(&self, env: &Env, id: Unknown<'_>) -> Result<Value> {
        call(env, || self.inner.contract(arg("id", id)?))
    }

    /// Cancels a contract.
    #[napi(
        ts_args_type = "id: number, now?: Instant",
        ts_return_type = "Contract"
    )]
    pub fn cancel_contract(
        &self,
        env: &Env,
        id: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            self.inner
                .cancel_contract(arg::<ContractId>("id", id)?, edge::now(now)?)
        })
    }

    /// The warranties and contracts covering an asset on a day, and what is left of them.
    #[napi(
        ts_args_type = "asset: number, on: string",
        ts_return_type = "Coverage"
    )]
    pub fn coverage(&self, env: &Env, asset: Unknown<'_>, on: Unknown<'_>) -> Result<Value> {
        call(env, || {
            self.inner.coverage(arg("asset", asset)?, date("on", on)?)
        })
    }

    /// Opens a case (linked to the contract covering its asset, if any).
    #[napi(
        ts_args_type = "input: NewCase, now?: Instant",
        ts_return_type = "Case"
    )]
    pub fn open_case(
        &self,
        env: &Env,
        input: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            self.inner.open_case(arg("input", input)?, edge::now(now)?)
        })
    }

    /// A case by id.
    #[napi(ts_args_type = "id: number", ts_return_type = "Case")]
    pub fn case(&self, env: &Env, id: Unknown<'_>) -> Result<Value> {
        call(env, || self.inner.case(arg::<CaseId>("id", id)?))
    }

    /// A case by tracking number (`CASE-2026-000042`, any case).
    #[napi(ts_args_type = "number: string", ts_return_type = "Case")]
    pub fn case_by_number(&self, env: &Env, number: Unknown<'_>) -> Result<Value> {
        call(env, || {
            self.inner.case_by_number(&arg::<String>("number", number)?)
        })
    }

    /// The cases of an account.
    #[napi(ts_args_type = "account: number", ts_return_type = "Case[]")]
    pub fn cases_of(&self, env: &Env, account: Unknown<'_>) -> Result<Value> {
        call(env, || self.inner.cases_of(arg("account", account)?))
    }

    /// The cases not closed.
    #[napi(ts_return_type = "Case[]")]
    pub fn active_cases(&self, env: &Env) -> Result<Value> {
        call(env, || self.inner.active_cases())
    }

    /// Moves a case to a status (the lifecycle refuses illegal moves).
    #[napi(
        ts_args_type = "id: number, status: CaseStatus, now?: Instant",
        ts_return_type = "Case"
    )]
    pub fn set_case_status(
        &self,
        env: &Env,
        id: Unknown<'_>,
        status: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            let id: CaseId = arg("id", id)?;
            self.inner
                .set_case_status(id, arg("status", status)?, edge::now(now)?)
        })
    }

    /// Changes a case's priority.
    #[napi(
        ts_args_type = "id: number, priority: CasePriority, now?: Instant",
        ts_return_type = "Case"
    )]
    pub fn set_case_priority(
        &self,
        env: &Env,
        id: Unknown<'_>,
        priority: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            let id: CaseId = arg("id", id)?;
            self.inner
                .set_case_priority(id, arg("priority", priority)?, edge::now(now)?)
        })
    }

    /// Adds a comment (an agent's or the customer's, public or internal).
    #[napi(
        ts_args_type = "id: number, comment: CaseComment",
        ts_return_type = "Case"
    )]
    pub fn comment_on_case(
        &self,
        env: &Env,
        id: Unknown<'_>,
        comment: Unknown<'_>,
    ) -> Result<Value> {
        call(env, || {
            let id: CaseId = arg("id", id)?;
            self.inner.comment_on_case(id, arg("comment", comment)?)
        })
    }

    /// A case's SLA metrics at an instant (default: now).
    #[napi(ts_args_type = "id: number, at?: Instant", ts_return_type = "CaseSla")]
    pub fn case_sla(&self, env: &Env, id: Unknown<'_>, at: Option<Unknown<'_>>) -> Result<Value> {
        call(env, || self.inner.case_sla(arg("id", id)?, edge::now(at)?))
    }

    /// The SLA metrics of every active case at an instant.
    #[napi(ts_args_type = "at?: Instant", ts_return_type = "CaseSla[]")]
    pub fn sla_report(&self, env: &Env, at: Option<Unknown<'_>>) -> Result<Value> {
        call(env, || self.inner.sla_report(edge::now(at)?))
    }

    /// `slaReport` off the JS thread.
    #[napi(ts_args_type = "at?: Instant", ts_return_type = "Promise<CaseSla[]>")]
    pub fn sla_report_async(&self, at: Option<Unknown<'_>>) -> AsyncTask<CrmTask> {
        CrmTask::new(&self.inner, edge::now(at), |c, at| c.sla_report(at))
    }

    /// Raises each SLA warning and breach once (as events) and returns the new ones.
    #[napi(ts_args_type = "at?: Instant", ts_return_type = "RaisedAlert[]")]
    pub fn check_slas(&self, env: &Env, at: Option<Unknown<'_>>) -> Result<Value> {
        call(env, || self.inner.check_slas(edge::now(at)?))
    }

    /// `checkSlas` off the JS thread.
    #[napi(
        ts_args_type = "at?: Instant",
        ts_return_type = "Promise<RaisedAlert[]>"
    )]
    pub fn check_slas_async(&self, at: Option<Unknown<'_>>) -> AsyncTask<CrmTask> {
        CrmTask::new(&self.inner, edge::now(at), |c, at| c.check_slas(at))
    }

    /// Defines (or redefines) a technician.
    #[napi(
        ts_args_type = "technician: NewTechnician, now?: Instant",
        ts_return_type = "Technician"
    )]
    pub fn define_technician(
        &self,
        env: &Env,
        technician: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            self.inner
                .define_technician(arg("technician", technician)?, edge::now(now)?)
        })
    }

    /// Every technician.
    #[napi(ts_return_type = "Technician[]")]
    pub fn technicians(&self, env: &Env) -> Result<Value> {
        call(env, || self.inner.technicians())
    }

    /// Creates a service order.
    #[napi(
        ts_args_type = "order: NewServiceOrder, now?: Instant",
        ts_return_type = "ServiceOrder"
    )]
    pub fn create_service_order(
        &self,
        env: &Env,
        order: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            self.inner
                .create_service_order(arg("order", order)?, edge::now(now)?)
        })
    }

    /// A service order.
    #[napi(ts_args_type = "id: number", ts_return_type = "ServiceOrder")]
    pub fn service_order(&self, env: &Env, id: Unknown<'_>) -> Result<Value> {
        call(env, || self.inner.service_order(arg("id", id)?))
    }

    /// A technician's service orders.
    #[napi(ts_args_type = "technician: number", ts_return_type = "ServiceOrder[]")]
    pub fn orders_of_technician(&self, env: &Env, technician: Unknown<'_>) -> Result<Value> {
        call(env, || {
            self.inner
                .orders_of_technician(arg("technician", technician)?)
        })
    }

    /// Schedules the open service orders between two instants (greedy, never
    /// double-booking); says why each order left out was.
    #[napi(
        ts_args_type = "from: Instant, until: Instant, now?: Instant",
        ts_return_type = "Schedule"
    )]
    pub fn schedule_service_orders(
        &self,
        env: &Env,
        from: Unknown<'_>,
        until: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            let (from, until) = (instant("from", from)?, instant("until", until)?);
            self.inner
                .schedule_service_orders(from, until, edge::now(now)?)
        })
    }

    /// `scheduleServiceOrders` off the JS thread.
    #[napi(
        ts_args_type = "from: Instant, until: Instant, now?: Instant",
        ts_return_type = "Promise<Schedule>"
    )]
    pub fn schedule_service_orders_async(
        &self,
        from: Unknown<'_>,
        until: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> AsyncTask<CrmTask> {
        let args = (|| {
            Ok((
                instant("from", from)?,
                instant("until", until)?,
                edge::now(now)?,
            ))
        })();
        CrmTask::new(&self.inner, args, |c, (from, until, now)| {
            c.schedule_service_orders(from, until, now)
        })
    }

    /// Completes a service order with the hours worked (a decimal string).
    #[napi(
        ts_args_type = "id: number, hours: string, now?: Instant",
        ts_return_type = "ServiceOrder"
    )]
    pub fn complete_service_order(
        &self,
        env: &Env,
        id: Unknown<'_>,
        hours: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            let id: ServiceOrderId = arg("id", id)?;
            let hours = crm_core::money::parse_decimal("hours", &arg::<String>("hours", hours)?)?;
            self.inner
                .complete_service_order(id, hours, edge::now(now)?)
        })
    }

    /// Cancels a service order.
    #[napi(
        ts_args_type = "id: number, now?: Instant",
        ts_return_type = "ServiceOrder"
    )]
    pub fn cancel_service_order(
        &self,
        env: &Env,
        id: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            self.inner
                .cancel_service_order(arg("id", id)?, edge::now(now)?)
        })
    }

    /// Defines a maintenance plan (visits every N days, weeks or months).
    #[napi(
        ts_args_type = "plan: NewMaintenancePlan, now?: Instant",
        ts_return_type = "MaintenancePlan"
    )]
    pub fn define_maintenance_plan(
        &self,
        env: &Env,
        plan: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            self.inner
                .define_maintenance_plan(arg("plan", plan)?, edge::now(now)?)
        })
    }

    /// Creates the service orders of every plan's visits due through a day (each once).
    #[napi(
        ts_args_type = "through: string, now?: Instant",
        ts_return_type = "ServiceOrder[]"
    )]
    pub fn generate_maintenance_orders(
        &self,
        env: &Env,
        through: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            self.inner
                .generate_maintenance_orders(date("through", through)?, edge::now(now)?)
        })
    }

    /// Writes a knowledge-base article.
    #[napi(
        ts_args_type = "content: ArticleContent, status?: ArticleStatus, now?: Instant",
        ts_return_type = "Article"
    )]
    pub fn write_article(
        &self,
        env: &Env,
        content: Unknown<'_>,
        status: Option<Unknown<'_>>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            let content = arg("content", content)?;
            let status = opt("status", status)?
                .unwrap_or(crm_core::service::knowledge::ArticleStatus::Draft);
            self.inner.write_article(content, status, edge::now(now)?)
        })
    }

    /// Changes an article: the fields given replace the stored ones.
    #[napi(
        ts_args_type = "id: number, change: ArticleChange, now?: Instant",
        ts_return_type = "Article"
    )]
    pub fn update_article(
        &self,
        env: &Env,
        id: Unknown<'_>,
        change: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            let id: ArticleId = arg("id", id)?;
            self.inner
                .update_article(id, arg("change", change)?, edge::now(now)?)
        })
    }

    /// An article.
    #[napi(ts_args_type = "id: number", ts_return_type = "Article")]
    pub fn article(&self, env: &Env, id: Unknown<'_>) -> Result<Value> {
        call(env, || self.inner.article(arg("id", id)?))
    }

    /// The `k` published articles best matching a query (BM25), best first.
    #[napi(
        ts_args_type = "query: string, filter?: SearchFilter, k?: number",
        ts_return_type = "SearchHit[]"
    )]
    pub fn search_articles(
        &self,
        env: &Env,
        query: Unknown<'_>,
        filter: Option<Unknown<'_>>,
        k: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            let query: String = arg("query", query)?;
            let filter = opt("filter", filter)?.unwrap_or_default();
            let k = opt("k", k)?.unwrap_or(10);
            self.inner.search_articles(&query, &filter, k)
        })
    }
}
