//! Marketing on `CrmStore`: campaigns, segments, plans, attribution, reports and automation.

use std::time::SystemTime;

use crm_core::uniffi_types::{CrmError, guarded};

use crate::store::{CrmStore, at};
use crm_core::Currency;
use crm_core::Money;
use crm_core::crm::automation_cases::AutomationRun;
use crm_core::crm::marketing_cases::AttributionReport;
use crm_core::crm::marketing_cases::MarketingReport;
use crm_core::crm::marketing_cases::MemberResponse;
use crm_core::crm::marketing_cases::SalesReport;
use crm_core::crm::marketing_cases::SegmentEvaluation;
use crm_core::id::AutomationActionId;
use crm_core::id::RecordRef;
use crm_core::marketing::attribution::AttributionModel;
use crm_core::marketing::automation::Action;
use crm_core::marketing::automation::AutomationAction;
use crm_core::marketing::automation::AutomationRule;
use crm_core::marketing::automation::Trigger;
use crm_core::marketing::campaign::Campaign;
use crm_core::marketing::campaign::CampaignStatus;
use crm_core::marketing::campaign::MarketingPlan;
use crm_core::marketing::campaign::NewCampaign;
use crm_core::marketing::campaign::PlanTarget;
use crm_core::marketing::reports::PlanActualRow;
use crm_core::marketing::reports::ReportFilter;
use crm_core::marketing::segment::Predicate;
use crm_core::marketing::segment::Segment;
use crm_core::marketing::segment::SegmentSubject;
use crm_core::sales::forecast::Period;

#[uniffi::export]
impl CrmStore {
    #[uniffi::method(default(now = None))]
    pub fn create_campaign(
        &self,
        input: NewCampaign,
        now: Option<SystemTime>,
    ) -> Result<Campaign, CrmError> {
        guarded(|| self.crm.create_campaign(input, at(now)))
    }

    pub fn campaign(&self, code: String) -> Result<Campaign, CrmError> {
        guarded(|| self.crm.campaign(&code))
    }

    pub fn campaigns(&self) -> Result<Vec<Campaign>, CrmError> {
        guarded(|| self.crm.campaigns())
    }

    #[uniffi::method(default(now = None))]
    pub fn set_campaign_status(
        &self,
        code: String,
        status: CampaignStatus,
        now: Option<SystemTime>,
    ) -> Result<Campaign, CrmError> {
        guarded(|| self.crm.set_campaign_status(&code, status, at(now)))
    }

    #[uniffi::method(default(now = None))]
    pub fn record_ad_stats(
        &self,
        code: String,
        ad: String,
        cost: Money,
        impressions: u64,
        now: Option<SystemTime>,
    ) -> Result<Campaign, CrmError> {
        guarded(|| {
            self.crm
                .record_ad_stats(&code, &ad, cost, impressions, at(now))
        })
    }

    #[uniffi::method(default(now = None))]
    pub fn add_campaign_cost(
        &self,
        code: String,
        cost: Money,
        now: Option<SystemTime>,
    ) -> Result<Campaign, CrmError> {
        guarded(|| self.crm.add_campaign_cost(&code, cost, at(now)))
    }

    #[uniffi::method(default(now = None))]
    pub fn add_campaign_members(
        &self,
        code: String,
        subjects: Vec<RecordRef>,
        now: Option<SystemTime>,
    ) -> Result<Campaign, CrmError> {
        guarded(|| self.crm.add_campaign_members(&code, &subjects, at(now)))
    }

    #[uniffi::method(default(now = None))]
    pub fn target_segment(
        &self,
        code: String,
        segment: String,
        now: Option<SystemTime>,
    ) -> Result<Campaign, CrmError> {
        guarded(|| self.crm.target_segment(&code, &segment, at(now)))
    }

    pub fn campaign_members(&self, code: String) -> Result<Vec<MemberResponse>, CrmError> {
        guarded(|| self.crm.campaign_members(&code))
    }

    #[uniffi::method(default(now = None))]
    pub fn define_segment(
        &self,
        name: String,
        subject: SegmentSubject,
        rule: Predicate,
        now: Option<SystemTime>,
    ) -> Result<SegmentEvaluation, CrmError> {
        guarded(|| self.crm.define_segment(&name, subject, rule, at(now)))
    }

    #[uniffi::method(default(now = None))]
    pub fn evaluate_segment(
        &self,
        name: String,
        now: Option<SystemTime>,
    ) -> Result<SegmentEvaluation, CrmError> {
        guarded(|| self.crm.evaluate_segment(&name, at(now)))
    }

    pub fn segment(&self, name: String) -> Result<Segment, CrmError> {
        guarded(|| self.crm.segment(&name))
    }

    #[uniffi::method(default(now = None))]
    pub fn define_marketing_plan(
        &self,
        name: String,
        targets: Vec<PlanTarget>,
        now: Option<SystemTime>,
    ) -> Result<MarketingPlan, CrmError> {
        guarded(|| self.crm.define_marketing_plan(&name, targets, at(now)))
    }

    pub fn plan_vs_actual(&self, name: String) -> Result<Vec<PlanActualRow>, CrmError> {
        guarded(|| self.crm.plan_vs_actual(&name))
    }

    pub fn attribution(
        &self,
        model: AttributionModel,
        currency: Currency,
        filter: ReportFilter,
    ) -> Result<AttributionReport, CrmError> {
        guarded(|| self.crm.attribution(model, currency, &filter))
    }

    pub fn marketing_report(
        &self,
        currency: Currency,
        filter: ReportFilter,
    ) -> Result<MarketingReport, CrmError> {
        guarded(|| self.crm.marketing_report(currency, &filter))
    }

    pub fn sales_report(
        &self,
        period: Period,
        currency: Currency,
        filter: ReportFilter,
    ) -> Result<SalesReport, CrmError> {
        guarded(|| self.crm.sales_report(period, currency, &filter))
    }
    #[uniffi::method(default(now = None))]
    pub fn define_automation_rule(
        &self,
        name: String,
        trigger: Trigger,
        actions: Vec<Action>,
        once_per_record: bool,
        now: Option<SystemTime>,
    ) -> Result<AutomationRule, CrmError> {
        guarded(|| {
            self.crm
                .define_automation_rule(&name, trigger, actions, once_per_record, at(now))
        })
    }

    #[uniffi::method(default(now = None))]
    pub fn run_automation(
        &self,
        max_events: u32,
        now: Option<SystemTime>,
    ) -> Result<AutomationRun, CrmError> {
        guarded(|| self.crm.run_automation(at(now), max_events as usize))
    }

    pub fn pending_automation_actions(&self) -> Result<Vec<AutomationAction>, CrmError> {
        guarded(|| self.crm.pending_automation_actions())
    }

    #[uniffi::method(default(now = None))]
    pub fn finish_automation_action(
        &self,
        id: AutomationActionId,
        failure: Option<String>,
        now: Option<SystemTime>,
    ) -> Result<AutomationAction, CrmError> {
        guarded(|| self.crm.finish_automation_action(id, failure, at(now)))
    }

    #[uniffi::method(default(now = None))]
    pub fn apply_automation_action(
        &self,
        id: AutomationActionId,
        now: Option<SystemTime>,
    ) -> Result<AutomationAction, CrmError> {
        guarded(|| self.crm.apply_automation_action(id, at(now)))
    }
}
