//! Marketing on `CrmStore`: campaigns, segments, plans, attribution, reports and automation.

use std::time::SystemTime;

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
use crm_core::uniffi_types::{CrmError, guarded};

use crate::store::{CrmStore, at};

#[uniffi::export]
impl CrmStore {
    /// Creates a campaign (planned).
    #[uniffi::method(default(now = None))]
    pub fn create_campaign(
        &self,
        input: NewCampaign,
        now: Option<SystemTime>,
    ) -> Result<Campaign, CrmError> {
        guarded(|| self.crm.create_campaign(input, at(now)))
    }

    /// The campaign with `code`.
    pub fn campaign(&self, code: String) -> Result<Campaign, CrmError> {
        guarded(|| self.crm.campaign(&code))
    }

    /// Every campaign.
    pub fn campaigns(&self) -> Result<Vec<Campaign>, CrmError> {
        guarded(|| self.crm.campaigns())
    }

    /// Moves a campaign to another status.
    #[uniffi::method(default(now = None))]
    pub fn set_campaign_status(
        &self,
        code: String,
        status: CampaignStatus,
        now: Option<SystemTime>,
    ) -> Result<Campaign, CrmError> {
        guarded(|| self.crm.set_campaign_status(&code, status, at(now)))
    }

    /// Records an ad's cost and impressions so far (adding the ad if it is new).
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

    /// Adds a cost beyond the ads' (printing, a venue).
    #[uniffi::method(default(now = None))]
    pub fn add_campaign_cost(
        &self,
        code: String,
        cost: Money,
        now: Option<SystemTime>,
    ) -> Result<Campaign, CrmError> {
        guarded(|| self.crm.add_campaign_cost(&code, cost, at(now)))
    }

    /// Adds leads or contacts to a campaign's members (those already in are kept once).
    #[uniffi::method(default(now = None))]
    pub fn add_campaign_members(
        &self,
        code: String,
        subjects: Vec<RecordRef>,
        now: Option<SystemTime>,
    ) -> Result<Campaign, CrmError> {
        guarded(|| self.crm.add_campaign_members(&code, &subjects, at(now)))
    }

    /// Adds the members of a segment (evaluated now) to a campaign.
    #[uniffi::method(default(now = None))]
    pub fn target_segment(
        &self,
        code: String,
        segment: String,
        now: Option<SystemTime>,
    ) -> Result<Campaign, CrmError> {
        guarded(|| self.crm.target_segment(&code, &segment, at(now)))
    }

    /// Each member's furthest response (sent, opened, clicked, responded, converted),
    /// from their touchpoints with the campaign's code; people who touched the campaign
    /// without being sent it are included.
    pub fn campaign_members(&self, code: String) -> Result<Vec<MemberResponse>, CrmError> {
        guarded(|| self.crm.campaign_members(&code))
    }

    /// Defines (or redefines) a segment and evaluates it.
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

    /// Re-evaluates a saved segment against the records as they are now.
    #[uniffi::method(default(now = None))]
    pub fn evaluate_segment(
        &self,
        name: String,
        now: Option<SystemTime>,
    ) -> Result<SegmentEvaluation, CrmError> {
        guarded(|| self.crm.evaluate_segment(&name, at(now)))
    }

    /// A saved segment with its members at the last evaluation.
    pub fn segment(&self, name: String) -> Result<Segment, CrmError> {
        guarded(|| self.crm.segment(&name))
    }

    /// Defines (or redefines) a marketing plan.
    #[uniffi::method(default(now = None))]
    pub fn define_marketing_plan(
        &self,
        name: String,
        targets: Vec<PlanTarget>,
        now: Option<SystemTime>,
    ) -> Result<MarketingPlan, CrmError> {
        guarded(|| self.crm.define_marketing_plan(&name, targets, at(now)))
    }

    /// Each target of a plan next to what happened: leads captured in its period from
    /// campaigns promoting the product group (a SKU prefix) in its geography (the lead's
    /// country; `*` for all), campaign responses of those campaigns in the period, and
    /// revenue won in the period on opportunities with a product of the group, for accounts
    /// in the geography (in the target's currency).
    pub fn plan_vs_actual(&self, name: String) -> Result<Vec<PlanActualRow>, CrmError> {
        guarded(|| self.crm.plan_vs_actual(&name))
    }

    /// Credits the revenue of deals won in the filter's period (in `currency`) to the
    /// touchpoints of their lead and contact before the close, under `model`, and sums the
    /// credits by ad, affiliate, campaign and channel. Each dimension's credits add up to
    /// the revenue of the deals whose touches carry that dimension.
    pub fn attribution(
        &self,
        model: AttributionModel,
        currency: Currency,
        filter: ReportFilter,
    ) -> Result<AttributionReport, CrmError> {
        guarded(|| self.crm.attribution(model, currency, &filter))
    }

    /// The marketing reports over the stored data: performance by ad, affiliate, campaign
    /// and channel (click-through and conversion rates, cost per lead and per acquisition,
    /// ROI, response rates), the funnel, and the pipeline (by stage, win rates by owner and
    /// source, sales cycle); amounts in `currency`.
    pub fn marketing_report(
        &self,
        currency: Currency,
        filter: ReportFilter,
    ) -> Result<MarketingReport, CrmError> {
        guarded(|| self.crm.marketing_report(currency, &filter))
    }

    /// Products sold × price by period and customer demographics by product, from the
    /// recorded purchases (amounts in `currency`).
    pub fn sales_report(
        &self,
        period: Period,
        currency: Currency,
        filter: ReportFilter,
    ) -> Result<SalesReport, CrmError> {
        guarded(|| self.crm.sales_report(period, currency, &filter))
    }
    /// Defines (or redefines, by name) an automation rule.
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

    /// Runs the rules over up to `max_events` events after the stored cursor, the waits
    /// that are due and the quotes about to expire, and stores the planned actions and the
    /// new cursor in one transaction (an action whose key is already stored is not stored
    /// again). Call it as often as you like; carry out the pending actions with
    /// [`Crm::pending_automation_actions`] and [`Crm::finish_automation_action`].
    #[uniffi::method(default(now = None))]
    pub fn run_automation(
        &self,
        max_events: u32,
        now: Option<SystemTime>,
    ) -> Result<AutomationRun, CrmError> {
        guarded(|| self.crm.run_automation(at(now), max_events as usize))
    }

    /// Actions waiting for the host to carry them out, oldest first.
    pub fn pending_automation_actions(&self) -> Result<Vec<AutomationAction>, CrmError> {
        guarded(|| self.crm.pending_automation_actions())
    }

    /// Marks an action done (`failure` none) or failed (with why).
    #[uniffi::method(default(now = None))]
    pub fn finish_automation_action(
        &self,
        id: AutomationActionId,
        failure: Option<String>,
        now: Option<SystemTime>,
    ) -> Result<AutomationAction, CrmError> {
        guarded(|| self.crm.finish_automation_action(id, failure, at(now)))
    }

    /// Carries out a pending action that lives in the CRM (assign an owner, set a rating,
    /// add to a campaign or segment) and marks it done; e-mails and tasks are the host's.
    #[uniffi::method(default(now = None))]
    pub fn apply_automation_action(
        &self,
        id: AutomationActionId,
        now: Option<SystemTime>,
    ) -> Result<AutomationAction, CrmError> {
        guarded(|| self.crm.apply_automation_action(id, at(now)))
    }
}
