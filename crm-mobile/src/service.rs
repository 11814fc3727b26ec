//! The service desk on `CrmStore`: calendars, SLA policies, the installed base, cases and
//! their SLAs, field service and the knowledge base.

use std::time::SystemTime;

use chrono::DateTime;
use chrono::NaiveDate;
use crm_core::crm::service_cases::RaisedAlert;
use crm_core::id::{
    AccountId, ArticleId, AssetId, CaseId, ContractId, ServiceOrderId, TechnicianId,
};
use crm_core::service::calendar::BusinessCalendar;
use crm_core::service::calendar::CalendarRecord;
use crm_core::service::case::Case;
use crm_core::service::case::CaseComment;
use crm_core::service::case::NewCase;
use crm_core::service::case::{CasePriority, CaseStatus};
use crm_core::service::field::MaintenancePlan;
use crm_core::service::field::NewMaintenancePlan;
use crm_core::service::field::NewServiceOrder;
use crm_core::service::field::NewTechnician;
use crm_core::service::field::Schedule;
use crm_core::service::field::ServiceOrder;
use crm_core::service::field::Technician;
use crm_core::service::installed::Asset;
use crm_core::service::installed::AssetStatus;
use crm_core::service::installed::Contract;
use crm_core::service::installed::Coverage;
use crm_core::service::installed::NewAsset;
use crm_core::service::installed::NewContract;
use crm_core::service::installed::Warranty;
use crm_core::service::knowledge::Article;
use crm_core::service::knowledge::ArticleChange;
use crm_core::service::knowledge::ArticleContent;
use crm_core::service::knowledge::ArticleStatus;
use crm_core::service::knowledge::SearchFilter;
use crm_core::service::knowledge::SearchHit;
use crm_core::service::sla::CaseSla;
use crm_core::service::sla::SlaPolicy;
use crm_core::service::sla::SlaPolicyRecord;
use crm_core::uniffi_types::{CrmError, guarded};
use rust_decimal::Decimal;

use crate::store::{CrmStore, at};

/// The instant `minutes` business minutes after `start` on `calendar` (an SLA due date
/// without a store).
#[uniffi::export]
pub fn add_business_minutes(
    calendar: BusinessCalendar,
    start: SystemTime,
    minutes: i64,
) -> Result<SystemTime, CrmError> {
    guarded(|| {
        let due = calendar
            .checked()?
            .add(DateTime::from(start), chrono::Duration::minutes(minutes))?;
        Ok(due.into())
    })
}

/// The business minutes on `calendar` between two instants (negative when `to` is first).
#[uniffi::export]
pub fn business_minutes_between(
    calendar: BusinessCalendar,
    from: SystemTime,
    to: SystemTime,
) -> Result<i64, CrmError> {
    guarded(|| {
        let calendar = calendar.checked()?;
        Ok(calendar
            .between(DateTime::from(from), DateTime::from(to))
            .num_minutes())
    })
}

#[uniffi::export]
impl CrmStore {
    /// Defines (or redefines) the business calendar called `name` (case-insensitive).
    #[uniffi::method(default(now = None))]
    pub fn define_calendar(
        &self,
        name: String,
        calendar: BusinessCalendar,
        now: Option<SystemTime>,
    ) -> Result<CalendarRecord, CrmError> {
        guarded(|| self.crm.define_calendar(&name, calendar, at(now)))
    }

    /// The calendar called `name`, if any.
    pub fn calendar(&self, name: String) -> Result<Option<BusinessCalendar>, CrmError> {
        guarded(|| self.crm.calendar(&name))
    }

    /// Defines (or redefines, by name) an SLA policy.
    #[uniffi::method(default(now = None))]
    pub fn define_sla_policy(
        &self,
        policy: SlaPolicy,
        now: Option<SystemTime>,
    ) -> Result<SlaPolicyRecord, CrmError> {
        guarded(|| self.crm.define_sla_policy(policy, at(now)))
    }

    /// Every SLA policy, in the order they are checked.
    pub fn sla_policies(&self) -> Result<Vec<SlaPolicy>, CrmError> {
        guarded(|| self.crm.sla_policies())
    }

    /// Registers an asset at a customer's.
    #[uniffi::method(default(now = None))]
    pub fn register_asset(
        &self,
        input: NewAsset,
        now: Option<SystemTime>,
    ) -> Result<Asset, CrmError> {
        guarded(|| self.crm.register_asset(input, at(now)))
    }

    /// An asset.
    pub fn asset(&self, id: AssetId) -> Result<Asset, CrmError> {
        guarded(|| self.crm.asset(id))
    }

    /// The asset with a serial number, if any.
    pub fn asset_by_serial(&self, serial: String) -> Result<Option<Asset>, CrmError> {
        guarded(|| self.crm.asset_by_serial(&serial))
    }

    /// An account's installed base.
    pub fn assets_of(&self, account: AccountId) -> Result<Vec<Asset>, CrmError> {
        guarded(|| self.crm.assets_of(account))
    }

    /// Changes an asset's status.
    #[uniffi::method(default(now = None))]
    pub fn set_asset_status(
        &self,
        id: AssetId,
        status: AssetStatus,
        now: Option<SystemTime>,
    ) -> Result<Asset, CrmError> {
        guarded(|| self.crm.set_asset_status(id, status, at(now)))
    }

    /// Records a warranty on an asset.
    #[uniffi::method(default(now = None))]
    pub fn add_warranty(
        &self,
        asset: AssetId,
        starts_on: NaiveDate,
        ends_on: NaiveDate,
        terms: String,
        now: Option<SystemTime>,
    ) -> Result<Warranty, CrmError> {
        guarded(|| {
            self.crm
                .add_warranty(asset, starts_on, ends_on, &terms, at(now))
        })
    }

    /// Creates a service contract.
    #[uniffi::method(default(now = None))]
    pub fn create_contract(
        &self,
        input: NewContract,
        now: Option<SystemTime>,
    ) -> Result<Contract, CrmError> {
        guarded(|| self.crm.create_contract(input, at(now)))
    }

    /// A contract.
    pub fn contract(&self, id: ContractId) -> Result<Contract, CrmError> {
        guarded(|| self.crm.contract(id))
    }

    /// Cancels a contract (it covers nothing from then on).
    #[uniffi::method(default(now = None))]
    pub fn cancel_contract(
        &self,
        id: ContractId,
        now: Option<SystemTime>,
    ) -> Result<Contract, CrmError> {
        guarded(|| self.crm.cancel_contract(id, at(now)))
    }

    /// Whether `asset` is covered on `on`, and by what warranties and contracts.
    pub fn coverage(&self, asset: AssetId, on: NaiveDate) -> Result<Coverage, CrmError> {
        guarded(|| self.crm.coverage(asset, on))
    }

    /// Opens a case. The account defaults to the asset's owner; when no contract is given
    /// and the asset is covered by one with entitlement left, that contract is linked; a
    /// linked contract counts the case against its entitlement.
    #[uniffi::method(default(now = None))]
    pub fn open_case(&self, input: NewCase, now: Option<SystemTime>) -> Result<Case, CrmError> {
        guarded(|| self.crm.open_case(input, at(now)))
    }

    /// A case.
    pub fn case(&self, id: CaseId) -> Result<Case, CrmError> {
        guarded(|| self.crm.case(id))
    }

    /// The case with a tracking number.
    pub fn case_by_number(&self, number: String) -> Result<Case, CrmError> {
        guarded(|| self.crm.case_by_number(&number))
    }

    /// An account's cases.
    pub fn cases_of(&self, account: AccountId) -> Result<Vec<Case>, CrmError> {
        guarded(|| self.crm.cases_of(account))
    }

    /// Cases that are not closed.
    pub fn active_cases(&self) -> Result<Vec<Case>, CrmError> {
        guarded(|| self.crm.active_cases())
    }

    /// Moves a case to another status.
    #[uniffi::method(default(now = None))]
    pub fn set_case_status(
        &self,
        id: CaseId,
        to: CaseStatus,
        now: Option<SystemTime>,
    ) -> Result<Case, CrmError> {
        guarded(|| self.crm.set_case_status(id, to, at(now)))
    }

    /// Changes a case's priority.
    #[uniffi::method(default(now = None))]
    pub fn set_case_priority(
        &self,
        id: CaseId,
        to: CasePriority,
        now: Option<SystemTime>,
    ) -> Result<Case, CrmError> {
        guarded(|| self.crm.set_case_priority(id, to, at(now)))
    }

    /// Adds a comment (which may move the case: see [`Case::add_comment`]).
    pub fn comment_on_case(&self, id: CaseId, comment: CaseComment) -> Result<Case, CrmError> {
        guarded(|| self.crm.comment_on_case(id, comment))
    }

    /// A case's SLA at `at`: the policy that applies, each metric's cycles and state.
    pub fn case_sla(&self, id: CaseId, at: SystemTime) -> Result<CaseSla, CrmError> {
        guarded(|| self.crm.case_sla(id, DateTime::from(at)))
    }

    /// The SLA of every case that is not closed, at `at`.
    pub fn sla_report(&self, at: SystemTime) -> Result<Vec<CaseSla>, CrmError> {
        guarded(|| self.crm.sla_report(DateTime::from(at)))
    }

    /// Checks every case that is not closed at `at` and raises each SLA warning and breach
    /// once: an `SlaWarning` / `SlaBreached` event, remembered on the case. Returns the
    /// alerts raised by this call.
    pub fn check_slas(&self, at: SystemTime) -> Result<Vec<RaisedAlert>, CrmError> {
        guarded(|| self.crm.check_slas(DateTime::from(at)))
    }

    /// Adds a technician.
    #[uniffi::method(default(now = None))]
    pub fn define_technician(
        &self,
        input: NewTechnician,
        now: Option<SystemTime>,
    ) -> Result<Technician, CrmError> {
        guarded(|| self.crm.define_technician(input, at(now)))
    }

    /// Every technician.
    pub fn technicians(&self) -> Result<Vec<Technician>, CrmError> {
        guarded(|| self.crm.technicians())
    }

    /// Creates a service order.
    #[uniffi::method(default(now = None))]
    pub fn create_service_order(
        &self,
        input: NewServiceOrder,
        now: Option<SystemTime>,
    ) -> Result<ServiceOrder, CrmError> {
        guarded(|| self.crm.create_service_order(input, at(now)))
    }

    /// A service order.
    pub fn service_order(&self, id: ServiceOrderId) -> Result<ServiceOrder, CrmError> {
        guarded(|| self.crm.service_order(id))
    }

    /// A technician's orders (scheduled and done).
    pub fn orders_of_technician(&self, id: TechnicianId) -> Result<Vec<ServiceOrder>, CrmError> {
        guarded(|| self.crm.orders_of_technician(id))
    }

    /// Schedules every open order within `from..until` (see [`field::schedule`]): placed
    /// orders become scheduled with their technician and slot; the rest are reported.
    #[uniffi::method(default(now = None))]
    pub fn schedule_service_orders(
        &self,
        from: SystemTime,
        until: SystemTime,
        now: Option<SystemTime>,
    ) -> Result<Schedule, CrmError> {
        guarded(|| {
            self.crm
                .schedule_service_orders(DateTime::from(from), DateTime::from(until), at(now))
        })
    }

    /// Completes an order with the hours worked; when the order's case (or asset) is under
    /// a contract, the hours count against its entitlement.
    #[uniffi::method(default(now = None))]
    pub fn complete_service_order(
        &self,
        id: ServiceOrderId,
        hours: Decimal,
        now: Option<SystemTime>,
    ) -> Result<ServiceOrder, CrmError> {
        guarded(|| self.crm.complete_service_order(id, hours, at(now)))
    }

    /// Cancels an order (freeing its slot).
    #[uniffi::method(default(now = None))]
    pub fn cancel_service_order(
        &self,
        id: ServiceOrderId,
        now: Option<SystemTime>,
    ) -> Result<ServiceOrder, CrmError> {
        guarded(|| self.crm.cancel_service_order(id, at(now)))
    }

    /// Defines a recurring maintenance plan on an asset.
    #[uniffi::method(default(now = None))]
    pub fn define_maintenance_plan(
        &self,
        plan: NewMaintenancePlan,
        now: Option<SystemTime>,
    ) -> Result<MaintenancePlan, CrmError> {
        guarded(|| self.crm.define_maintenance_plan(plan, at(now)))
    }

    /// Turns every planned visit due on or before `through` into a service order (each
    /// visit once, however often this is called).
    #[uniffi::method(default(now = None))]
    pub fn generate_maintenance_orders(
        &self,
        through: NaiveDate,
        now: Option<SystemTime>,
    ) -> Result<Vec<ServiceOrder>, CrmError> {
        guarded(|| self.crm.generate_maintenance_orders(through, at(now)))
    }

    /// Writes a new article with a status (published articles are searchable at once).
    #[uniffi::method(default(now = None))]
    pub fn write_article(
        &self,
        content: ArticleContent,
        status: ArticleStatus,
        now: Option<SystemTime>,
    ) -> Result<Article, CrmError> {
        guarded(|| self.crm.write_article(content, status, at(now)))
    }

    /// Changes an article: the fields `change` gives replace the article's, in one
    /// transaction under the article's version.
    #[uniffi::method(default(now = None))]
    pub fn update_article(
        &self,
        id: ArticleId,
        change: ArticleChange,
        now: Option<SystemTime>,
    ) -> Result<Article, CrmError> {
        guarded(|| self.crm.update_article(id, change, at(now)))
    }

    /// An article.
    pub fn article(&self, id: ArticleId) -> Result<Article, CrmError> {
        guarded(|| self.crm.article(id))
    }

    /// The best `k` published articles for `query`, ranked by BM25 (see
    /// [`crate::service::knowledge`]). The index is built on first use and then fed only
    /// the articles changed since (found through the event log), so it stays current even
    /// when another process writes to the same store.
    pub fn search_articles(
        &self,
        query: String,
        filter: SearchFilter,
        k: u32,
    ) -> Result<Vec<SearchHit>, CrmError> {
        guarded(|| self.crm.search_articles(&query, &filter, k as usize))
    }
}
