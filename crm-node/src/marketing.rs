//! Marketing on the `Crm` class: campaigns (ads, costs, members and their responses),
//! segments, marketing plans, attribution, the marketing and sales reports, and automation
//! rules with their actions.

use crm_core::id::AutomationActionId;
use crm_core::marketing::reports::ReportFilter;
use napi::Env;
use napi::bindgen_prelude::*;
use napi_derive::napi;
use serde_json::Value;

use crate::edge::{self, CrmTask, arg, call, opt};
use crate::facade::Crm;

fn filter(value: Option<Unknown<'_>>) -> crm_core::Result<ReportFilter> {
    Ok(opt("filter", value)?.unwrap_or_default())
}

#[napi]
impl Crm {
    /// Creates a campaign (channel, budget, ads, period, targets).
    #[napi(
        ts_args_type = "campaign: NewCampaign, now?: Instant",
        ts_return_type = "Campaign"
    )]
    pub fn create_campaign(
        &self,
        env: &Env,
        campaign: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            self.inner
                .create_campaign(arg("campaign", campaign)?, edge::now(now)?)
        })
    }

    /// A campaign by code.
    #[napi(ts_args_type = "code: string", ts_return_type = "Campaign")]
    pub fn campaign(&self, env: &Env, code: Unknown<'_>) -> Result<Value> {
        call(env, || self.inner.campaign(&arg::<String>("code", code)?))
    }

    /// Every campaign.
    #[napi(ts_return_type = "Campaign[]")]
    pub fn campaigns(&self, env: &Env) -> Result<Value> {
        call(env, || self.inner.campaigns())
    }

    /// Moves a campaign to a status (planned → active → paused/completed, cancelled).
    #[napi(
        ts_args_type = "code: string, status: CampaignStatus, now?: Instant",
        ts_return_type = "Campaign"
    )]
    pub fn set_campaign_status(
        &self,
        env: &Env,
        code: Unknown<'_>,
        status: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            let code: String = arg("code", code)?;
            self.inner
                .set_campaign_status(&code, arg("status", status)?, edge::now(now)?)
        })
    }

    /// Adds an ad's spend and impressions.
    #[napi(
        ts_args_type = "code: string, ad: string, cost: Money, impressions: number, now?: Instant",
        ts_return_type = "Campaign"
    )]
    pub fn record_ad_stats(
        &self,
        env: &Env,
        code: Unknown<'_>,
        ad: Unknown<'_>,
        cost: Unknown<'_>,
        impressions: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            let (code, ad): (String, String) = (arg("code", code)?, arg("ad", ad)?);
            let cost = arg("cost", cost)?;
            let impressions = arg("impressions", impressions)?;
            self.inner
                .record_ad_stats(&code, &ad, cost, impressions, edge::now(now)?)
        })
    }

    /// Adds a cost that belongs to no ad (printing, a venue…).
    #[napi(
        ts_args_type = "code: string, cost: Money, now?: Instant",
        ts_return_type = "Campaign"
    )]
    pub fn add_campaign_cost(
        &self,
        env: &Env,
        code: Unknown<'_>,
        cost: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            let code: String = arg("code", code)?;
            self.inner
                .add_campaign_cost(&code, arg("cost", cost)?, edge::now(now)?)
        })
    }

    /// Adds leads or contacts to a campaign.
    #[napi(
        ts_args_type = "code: string, subjects: RecordRef[], now?: Instant",
        ts_return_type = "Campaign"
    )]
    pub fn add_campaign_members(
        &self,
        env: &Env,
        code: Unknown<'_>,
        subjects: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            let code: String = arg("code", code)?;
            let subjects: Vec<crm_core::id::RecordRef> = arg("subjects", subjects)?;
            self.inner
                .add_campaign_members(&code, &subjects, edge::now(now)?)
        })
    }

    /// Adds a saved segment's members to a campaign.
    #[napi(
        ts_args_type = "code: string, segment: string, now?: Instant",
        ts_return_type = "Campaign"
    )]
    pub fn target_segment(
        &self,
        env: &Env,
        code: Unknown<'_>,
        segment: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            let (code, segment): (String, String) = (arg("code", code)?, arg("segment", segment)?);
            self.inner.target_segment(&code, &segment, edge::now(now)?)
        })
    }

    /// A campaign's members with their response (sent < opened < clicked < responded <
    /// converted).
    #[napi(ts_args_type = "code: string", ts_return_type = "MemberResponse[]")]
    pub fn campaign_members(&self, env: &Env, code: Unknown<'_>) -> Result<Value> {
        call(env, || {
            self.inner.campaign_members(&arg::<String>("code", code)?)
        })
    }

    /// Defines (or redefines) a segment and evaluates it.
    #[napi(
        ts_args_type = "name: string, subject: SegmentSubject, rule: Predicate, now?: Instant",
        ts_return_type = "SegmentEvaluation"
    )]
    pub fn define_segment(
        &self,
        env: &Env,
        name: Unknown<'_>,
        subject: Unknown<'_>,
        rule: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            let name: String = arg("name", name)?;
            let subject = arg("subject", subject)?;
            self.inner
                .define_segment(&name, subject, arg("rule", rule)?, edge::now(now)?)
        })
    }

    /// Re-evaluates a segment: who joined and who left since the last time.
    #[napi(
        ts_args_type = "name: string, now?: Instant",
        ts_return_type = "SegmentEvaluation"
    )]
    pub fn evaluate_segment(
        &self,
        env: &Env,
        name: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            let name: String = arg("name", name)?;
            self.inner.evaluate_segment(&name, edge::now(now)?)
        })
    }

    /// `evaluateSegment` off the JS thread.
    #[napi(
        ts_args_type = "name: string, now?: Instant",
        ts_return_type = "Promise<SegmentEvaluation>"
    )]
    pub fn evaluate_segment_async(
        &self,
        name: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> AsyncTask<CrmTask> {
        let args = (|| Ok((arg::<String>("name", name)?, edge::now(now)?)))();
        CrmTask::new(&self.inner, args, |c, (name, now)| {
            c.evaluate_segment(&name, now)
        })
    }

    /// A saved segment.
    #[napi(ts_args_type = "name: string", ts_return_type = "Segment")]
    pub fn segment(&self, env: &Env, name: Unknown<'_>) -> Result<Value> {
        call(env, || self.inner.segment(&arg::<String>("name", name)?))
    }

    /// Defines (or redefines) a marketing plan: targets per period, product group and
    /// geography.
    #[napi(
        ts_args_type = "name: string, targets: PlanTarget[], now?: Instant",
        ts_return_type = "MarketingPlan"
    )]
    pub fn define_marketing_plan(
        &self,
        env: &Env,
        name: Unknown<'_>,
        targets: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            let name: String = arg("name", name)?;
            self.inner
                .define_marketing_plan(&name, arg("targets", targets)?, edge::now(now)?)
        })
    }

    /// A plan's targets beside what happened.
    #[napi(ts_args_type = "name: string", ts_return_type = "PlanActualRow[]")]
    pub fn plan_vs_actual(&self, env: &Env, name: Unknown<'_>) -> Result<Value> {
        call(env, || {
            self.inner.plan_vs_actual(&arg::<String>("name", name)?)
        })
    }

    /// Credits won revenue to the touches before each close, by a model; sums by ad,
    /// affiliate, campaign and channel. Credits add up to the revenue exactly.
    #[napi(
        ts_args_type = "model: AttributionModel, currency: string, filter?: ReportFilter",
        ts_return_type = "AttributionReport"
    )]
    pub fn attribution(
        &self,
        env: &Env,
        model: Unknown<'_>,
        currency: Unknown<'_>,
        filter_: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            let (model, currency) = (arg("model", model)?, arg("currency", currency)?);
            self.inner.attribution(model, currency, &filter(filter_)?)
        })
    }

    /// `attribution` off the JS thread.
    #[napi(
        ts_args_type = "model: AttributionModel, currency: string, filter?: ReportFilter",
        ts_return_type = "Promise<AttributionReport>"
    )]
    pub fn attribution_async(
        &self,
        model: Unknown<'_>,
        currency: Unknown<'_>,
        filter_: Option<Unknown<'_>>,
    ) -> AsyncTask<CrmTask> {
        let args = (|| {
            Ok((
                arg("model", model)?,
                arg("currency", currency)?,
                filter(filter_)?,
            ))
        })();
        CrmTask::new(&self.inner, args, |c, (model, currency, f)| {
            c.attribution(model, currency, &f)
        })
    }

    /// Performance by ad, affiliate, campaign and channel, the funnel, and the pipeline by
    /// stage and owner, in one pass.
    #[napi(
        ts_args_type = "currency: string, filter?: ReportFilter",
        ts_return_type = "MarketingReport"
    )]
    pub fn marketing_report(
        &self,
        env: &Env,
        currency: Unknown<'_>,
        filter_: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            self.inner
                .marketing_report(arg("currency", currency)?, &filter(filter_)?)
        })
    }

    /// `marketingReport` off the JS thread.
    #[napi(
        ts_args_type = "currency: string, filter?: ReportFilter",
        ts_return_type = "Promise<MarketingReport>"
    )]
    pub fn marketing_report_async(
        &self,
        currency: Unknown<'_>,
        filter_: Option<Unknown<'_>>,
    ) -> AsyncTask<CrmTask> {
        let args = (|| Ok((arg("currency", currency)?, filter(filter_)?)))();
        CrmTask::new(&self.inner, args, |c, (currency, f)| {
            c.marketing_report(currency, &f)
        })
    }

    /// Products sold × price by period, and the buyers' demographics by product.
    #[napi(
        ts_args_type = "period: Period, currency: string, filter?: ReportFilter",
        ts_return_type = "SalesReport"
    )]
    pub fn sales_report(
        &self,
        env: &Env,
        period: Unknown<'_>,
        currency: Unknown<'_>,
        filter_: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            let (period, currency) = (arg("period", period)?, arg("currency", currency)?);
            self.inner.sales_report(period, currency, &filter(filter_)?)
        })
    }

    /// `salesReport` off the JS thread.
    #[napi(
        ts_args_type = "period: Period, currency: string, filter?: ReportFilter",
        ts_return_type = "Promise<SalesReport>"
    )]
    pub fn sales_report_async(
        &self,
        period: Unknown<'_>,
        currency: Unknown<'_>,
        filter_: Option<Unknown<'_>>,
    ) -> AsyncTask<CrmTask> {
        let args = (|| {
            Ok((
                arg("period", period)?,
                arg("currency", currency)?,
                filter(filter_)?,
            ))
        })();
        CrmTask::new(&self.inner, args, |c, (period, currency, f)| {
            c.sales_report(period, currency, &f)
        })
    }

    /// Defines (or redefines) an automation rule: a trigger and its actions.
    #[napi(
        ts_args_type = "name: string, trigger: Trigger, actions: Action[], oncePerRecord?: boolean, now?: Instant",
        ts_return_type = "AutomationRule"
    )]
    pub fn define_automation_rule(
        &self,
        env: &Env,
        name: Unknown<'_>,
        trigger: Unknown<'_>,
        actions: Unknown<'_>,
        once_per_record: Option<Unknown<'_>>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            let name: String = arg("name", name)?;
            let (trigger, actions) = (arg("trigger", trigger)?, arg("actions", actions)?);
            let once = opt("oncePerRecord", once_per_record)?.unwrap_or(false);
            self.inner
                .define_automation_rule(&name, trigger, actions, once, edge::now(now)?)
        })
    }

    /// Runs the rules over the events since the last run (at most `maxEvents`): plans and
    /// stores their actions, each once.
    #[napi(
        ts_args_type = "now?: Instant, maxEvents?: number",
        ts_return_type = "AutomationRun"
    )]
    pub fn run_automation(
        &self,
        env: &Env,
        now: Option<Unknown<'_>>,
        max_events: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            let max = opt("maxEvents", max_events)?.unwrap_or(10_000);
            self.inner.run_automation(edge::now(now)?, max)
        })
    }

    /// `runAutomation` off the JS thread.
    #[napi(
        ts_args_type = "now?: Instant, maxEvents?: number",
        ts_return_type = "Promise<AutomationRun>"
    )]
    pub fn run_automation_async(
        &self,
        now: Option<Unknown<'_>>,
        max_events: Option<Unknown<'_>>,
    ) -> AsyncTask<CrmTask> {
        let args = (|| {
            Ok((
                edge::now(now)?,
                opt("maxEvents", max_events)?.unwrap_or(10_000),
            ))
        })();
        CrmTask::new(&self.inner, args, |c, (now, max)| {
            c.run_automation(now, max)
        })
    }

    /// The planned actions not finished yet (e-mails to send, tasks to create…).
    #[napi(ts_return_type = "AutomationAction[]")]
    pub fn pending_automation_actions(&self, env: &Env) -> Result<Value> {
        call(env, || self.inner.pending_automation_actions())
    }

    /// Marks an action done by the app (or failed, with the reason).
    #[napi(
        ts_args_type = "id: number, failure?: string | null, now?: Instant",
        ts_return_type = "AutomationAction"
    )]
    pub fn finish_automation_action(
        &self,
        env: &Env,
        id: Unknown<'_>,
        failure: Option<Unknown<'_>>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            let id: AutomationActionId = arg("id", id)?;
            let failure = opt("failure", failure)?;
            self.inner
                .finish_automation_action(id, failure, edge::now(now)?)
        })
    }

    /// Applies an action the CRM carries out itself (assignments, ratings, memberships).
    #[napi(
        ts_args_type = "id: number, now?: Instant",
        ts_return_type = "AutomationAction"
    )]
    pub fn apply_automation_action(
        &self,
        env: &Env,
        id: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            self.inner
                .apply_automation_action(arg("id", id)?, edge::now(now)?)
        })
    }
}
