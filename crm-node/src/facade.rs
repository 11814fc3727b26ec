//! The `Crm` class: crm-core's facade on the SQLite store. Leads, web forms, CSV import,
//! touchpoints, customers, opportunities, activities, forecasts, events and the scoring of
//! stored leads here; quotes ([`crate::quotes`]), the service desk ([`crate::service`]) and
//! marketing ([`crate::marketing`]) add their own `impl` blocks to the same class.
//!
//! Every method reads its arguments through [`crate::edge`] and returns crm-core's record
//! as a camelCase plain object typed in `index.d.ts`. `now` (the instant a change happens)
//! is optional everywhere: a `Date` or an ISO-8601 string, the current time when omitted.

use std::sync::Arc;

use crm_core::Region;
use crm_core::crm::import::ImportOptions;
use crm_core::id::{AccountId, ActivityId, ContactId, LeadId, OpportunityId, WebFormId};
use crm_core::scoring::features::FeatureSpec;
use crm_core::scoring::rules::RuleSet;
use crm_sqlite::SqliteStore;
use napi::Env;
use napi::bindgen_prelude::*;
use napi_derive::napi;
use serde_json::Value;

use crate::edge::{self, CrmTask, SharedCrm, arg, call, date, js_error, opt};
use crate::scoring::ScoringModel;

/// The CRM on SQLite: every crm-core use case, one method each.
#[napi]
pub struct Crm {
    pub(crate) inner: SharedCrm,
}

#[napi]
impl Crm {
    /// Opens (or creates) the SQLite file at `path`.
    #[napi(factory, ts_args_type = "path: string, options?: CrmOptions")]
    pub fn open(env: &Env, path: Unknown<'_>, options: Option<Unknown<'_>>) -> Result<Crm> {
        let opened = edge::guarded(|| {
            let path: String = arg("path", path)?;
            let region = region(options)?;
            let store = SqliteStore::open(&path)?;
            Ok(Crm {
                inner: Arc::new(crm_core::Crm::new(store, region)),
            })
        });
        opened.map_err(|e| js_error(env, &e))
    }

    /// A CRM in memory (SQLite without a file): gone when the object is.
    #[napi(factory, ts_args_type = "options?: CrmOptions")]
    pub fn in_memory(env: &Env, options: Option<Unknown<'_>>) -> Result<Crm> {
        let opened = edge::guarded(|| {
            let region = region(options)?;
            let store = SqliteStore::open_in_memory()?;
            Ok(Crm {
                inner: Arc::new(crm_core::Crm::new(store, region)),
            })
        });
        opened.map_err(|e| js_error(env, &e))
    }

    /// The region national phone numbers are read in when a lead names no country.
    #[napi(getter)]
    pub fn default_region(&self) -> String {
        self.inner.default_region().code().to_string()
    }

    // ---- leads ----------------------------------------------------------------------------

    /// Captures a lead: parsed, checked for spam signals and duplicates, stored.
    #[napi(
        ts_args_type = "input: LeadInput, now?: Instant",
        ts_return_type = "Captured"
    )]
    pub fn capture_lead(
        &self,
        env: &Env,
        input: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            self.inner
                .capture_lead(&arg("input", input)?, edge::now(now)?)
        })
    }

    /// Saves an edit of a lead's data made on the version `expectedVersion` that was read:
    /// `conflict` when someone changed the lead since (reload and edit again).
    #[napi(
        ts_args_type = "id: number, expectedVersion: number, data: LeadData, now?: Instant",
        ts_return_type = "Lead"
    )]
    pub fn update_lead(
        &self,
        env: &Env,
        id: Unknown<'_>,
        expected_version: Unknown<'_>,
        data: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            let id: LeadId = arg("id", id)?;
            let version: u64 = arg("expectedVersion", expected_version)?;
            self.inner
                .update_lead(id, version, arg("data", data)?, edge::now(now)?)
        })
    }

    /// Defines (or redefines) a web form.
    #[napi(
        ts_args_type = "spec: WebFormSpec, now?: Instant",
        ts_return_type = "WebForm"
    )]
    pub fn define_web_form(
        &self,
        env: &Env,
        spec: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            self.inner
                .define_web_form(arg("spec", spec)?, edge::now(now)?)
        })
    }

    /// The web form with this name, or null.
    #[napi(ts_args_type = "name: string", ts_return_type = "WebForm | null")]
    pub fn web_form_named(&self, env: &Env, name: Unknown<'_>) -> Result<Value> {
        call(env, || {
            self.inner.web_form_named(&arg::<String>("name", name)?)
        })
    }

    /// Captures the lead a posted web form describes.
    #[napi(
        ts_args_type = "form: number, submission: Submission",
        ts_return_type = "Captured"
    )]
    pub fn submit_web_form(
        &self,
        env: &Env,
        form: Unknown<'_>,
        submission: Unknown<'_>,
    ) -> Result<Value> {
        call(env, || {
            let form: WebFormId = arg("form", form)?;
            self.inner
                .submit_web_form(form, &arg("submission", submission)?)
        })
    }

    /// Imports leads from CSV (a Buffer or a string). `onProgress` is called after each
    /// committed batch. Blocks the JS thread: see `importLeadsCsvAsync`.
    #[napi(
        ts_args_type = "data: Buffer | string, mapping: CsvMapping, options: ImportOptions, now?: Instant, onProgress?: (progress: ImportProgress) => void",
        ts_return_type = "ImportReport"
    )]
    pub fn import_leads_csv(
        &self,
        env: &Env,
        data: Unknown<'_>,
        mapping: Unknown<'_>,
        options: Unknown<'_>,
        now: Option<Unknown<'_>>,
        on_progress: Option<Function<'_, Value, Unknown<'_>>>,
    ) -> Result<Value> {
        let mut callback_error = None;
        let report = call(env, || {
            let data = edge::bytes("data", data)?;
            let mapping = arg("mapping", mapping)?;
            let options: ImportOptions = arg("options", options)?;
            let now = edge::now(now)?;
            self.inner.import_leads_csv(
                data.as_slice(),
                mapping,
                &options,
                |p| {
                    if let (Some(f), None) = (&on_progress, &callback_error) {
                        let called = edge::to_js(p)
                            .map_err(|e| js_error(env, &e))
                            .and_then(|v| f.call(v));
                        if let Err(e) = called {
                            callback_error = Some(e);
                        }
                    }
                },
                now,
            )
        });
        match callback_error {
            Some(e) => Err(e),
            None => report,
        }
    }

    /// `importLeadsCsv` off the JS thread (no progress callback).
    #[napi(
        ts_args_type = "data: Buffer | string, mapping: CsvMapping, options: ImportOptions, now?: Instant",
        ts_return_type = "Promise<ImportReport>"
    )]
    pub fn import_leads_csv_async(
        &self,
        data: Unknown<'_>,
        mapping: Unknown<'_>,
        options: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> AsyncTask<CrmTask> {
        let args = (|| {
            let data = edge::bytes("data", data)?;
            let options: ImportOptions = arg("options", options)?;
            Ok((data, arg("mapping", mapping)?, options, edge::now(now)?))
        })();
        CrmTask::new(&self.inner, args, |c, (data, mapping, options, now)| {
            c.import_leads_csv(data.as_slice(), mapping, &options, |_| {}, now)
        })
    }

    /// A lead.
    #[napi(ts_args_type = "id: number", ts_return_type = "Lead")]
    pub fn lead(&self, env: &Env, id: Unknown<'_>) -> Result<Value> {
        call(env, || self.inner.lead(arg::<LeadId>("id", id)?))
    }

    /// Every lead.
    #[napi(ts_return_type = "Lead[]")]
    pub fn leads(&self, env: &Env) -> Result<Value> {
        call(env, || self.inner.all_leads())
    }

    /// The leads with a status (`new`, `working`, `qualified`, `disqualified`, `converted`).
    #[napi(ts_args_type = "status: LeadStatus", ts_return_type = "Lead[]")]
    pub fn leads_with_status(&self, env: &Env, status: Unknown<'_>) -> Result<Value> {
        call(env, || {
            self.inner
                .leads_with_status(&arg::<String>("status", status)?)
        })
    }

    /// Moves a new lead to `working`.
    #[napi(ts_args_type = "id: number, now?: Instant", ts_return_type = "Lead")]
    pub fn start_working(
        &self,
        env: &Env,
        id: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            self.inner
                .start_working(arg::<LeadId>("id", id)?, edge::now(now)?)
        })
    }

    /// Qualifies a lead.
    #[napi(ts_args_type = "id: number, now?: Instant", ts_return_type = "Lead")]
    pub fn qualify(&self, env: &Env, id: Unknown<'_>, now: Option<Unknown<'_>>) -> Result<Value> {
        call(env, || {
            self.inner
                .qualify(arg::<LeadId>("id", id)?, edge::now(now)?)
        })
    }

    /// Disqualifies a lead, with the reason.
    #[napi(
        ts_args_type = "id: number, reason: string, now?: Instant",
        ts_return_type = "Lead"
    )]
    pub fn disqualify(
        &self,
        env: &Env,
        id: Unknown<'_>,
        reason: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            let reason: String = arg("reason", reason)?;
            self.inner
                .disqualify(arg::<LeadId>("id", id)?, &reason, edge::now(now)?)
        })
    }

    /// Sets a lead's score (and rating, when given).
    #[napi(
        ts_args_type = "id: number, score: number, rating?: Rating | null, now?: Instant",
        ts_return_type = "Lead"
    )]
    pub fn set_lead_score(
        &self,
        env: &Env,
        id: Unknown<'_>,
        score: Unknown<'_>,
        rating: Option<Unknown<'_>>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            let id: LeadId = arg("id", id)?;
            let score: f64 = arg("score", score)?;
            let rating = opt("rating", rating)?;
            self.inner
                .set_lead_score(id, score, rating, edge::now(now)?)
        })
    }

    /// The stored leads that look like the same person or company.
    #[napi(ts_args_type = "id: number", ts_return_type = "DuplicateMatch[]")]
    pub fn duplicates_of_lead(&self, env: &Env, id: Unknown<'_>) -> Result<Value> {
        call(env, || {
            self.inner.duplicates_of_lead(arg::<LeadId>("id", id)?)
        })
    }

    /// Converts a qualified lead into an account, a contact and (optionally) an opportunity,
    /// in one transaction.
    #[napi(
        ts_args_type = "id: number, options?: ConvertOptions, now?: Instant",
        ts_return_type = "Conversion"
    )]
    pub fn convert_lead(
        &self,
        env: &Env,
        id: Unknown<'_>,
        options: Option<Unknown<'_>>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            let id: LeadId = arg("id", id)?;
            let options = opt("options", options)?.unwrap_or_default();
            self.inner.convert_lead(id, &options, edge::now(now)?)
        })
    }

    /// Merges lead `merged` into `survivor` (related records follow).
    #[napi(
        ts_args_type = "survivor: number, merged: number, choices?: MergeChoices, now?: Instant",
        ts_return_type = "Merged<Lead>"
    )]
    pub fn merge_leads(
        &self,
        env: &Env,
        survivor: Unknown<'_>,
        merged: Unknown<'_>,
        choices: Option<Unknown<'_>>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            let (s, m): (LeadId, LeadId) = (arg("survivor", survivor)?, arg("merged", merged)?);
            let choices = opt("choices", choices)?.unwrap_or_default();
            self.inner.merge_leads(s, m, &choices, edge::now(now)?)
        })
    }

    /// Merges contact `merged` into `survivor` (related records follow).
    #[napi(
        ts_args_type = "survivor: number, merged: number, choices?: MergeChoices, now?: Instant",
        ts_return_type = "Merged<Contact>"
    )]
    pub fn merge_contacts(
        &self,
        env: &Env,
        survivor: Unknown<'_>,
        merged: Unknown<'_>,
        choices: Option<Unknown<'_>>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            let (s, m): (ContactId, ContactId) =
                (arg("survivor", survivor)?, arg("merged", merged)?);
            let choices = opt("choices", choices)?.unwrap_or_default();
            self.inner.merge_contacts(s, m, &choices, edge::now(now)?)
        })
    }

    /// Merges account `merged` into `survivor` (related records follow).
    #[napi(
        ts_args_type = "survivor: number, merged: number, choices?: MergeChoices, now?: Instant",
        ts_return_type = "Merged<Account>"
    )]
    pub fn merge_accounts(
        &self,
        env: &Env,
        survivor: Unknown<'_>,
        merged: Unknown<'_>,
        choices: Option<Unknown<'_>>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            let (s, m): (AccountId, AccountId) =
                (arg("survivor", survivor)?, arg("merged", merged)?);
            let choices = opt("choices", choices)?.unwrap_or_default();
            self.inner.merge_accounts(s, m, &choices, edge::now(now)?)
        })
    }

    // ---- touchpoints, accounts, contacts, purchases --------------------------------------

    /// Records a touchpoint (a visit, a click, an e-mail open…).
    #[napi(
        ts_args_type = "touch: NewTouchpoint, now?: Instant",
        ts_return_type = "Touchpoint"
    )]
    pub fn record_touchpoint(
        &self,
        env: &Env,
        touch: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            self.inner
                .record_touchpoint(arg("touch", touch)?, edge::now(now)?)
        })
    }

    /// The touchpoints of a lead or contact, oldest first.
    #[napi(ts_args_type = "subject: RecordRef", ts_return_type = "Touchpoint[]")]
    pub fn touchpoints_of(&self, env: &Env, subject: Unknown<'_>) -> Result<Value> {
        call(env, || self.inner.touchpoints_of(arg("subject", subject)?))
    }

    /// Creates an account.
    #[napi(
        ts_args_type = "account: NewAccount, now?: Instant",
        ts_return_type = "Account"
    )]
    pub fn create_account(
        &self,
        env: &Env,
        account: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            self.inner
                .create_account(arg("account", account)?, edge::now(now)?)
        })
    }

    /// Creates a contact.
    #[napi(
        ts_args_type = "contact: NewContact, now?: Instant",
        ts_return_type = "Contact"
    )]
    pub fn create_contact(
        &self,
        env: &Env,
        contact: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            self.inner
                .create_contact(arg("contact", contact)?, edge::now(now)?)
        })
    }

    /// An account.
    #[napi(ts_args_type = "id: number", ts_return_type = "Account")]
    pub fn account(&self, env: &Env, id: Unknown<'_>) -> Result<Value> {
        call(env, || self.inner.account(arg::<AccountId>("id", id)?))
    }

    /// Every account.
    #[napi(ts_return_type = "Account[]")]
    pub fn accounts(&self, env: &Env) -> Result<Value> {
        call(env, || self.inner.accounts())
    }

    /// A contact.
    #[napi(ts_args_type = "id: number", ts_return_type = "Contact")]
    pub fn contact(&self, env: &Env, id: Unknown<'_>) -> Result<Value> {
        call(env, || self.inner.contact(arg::<ContactId>("id", id)?))
    }

    /// Every contact.
    #[napi(ts_return_type = "Contact[]")]
    pub fn contacts(&self, env: &Env) -> Result<Value> {
        call(env, || self.inner.contacts())
    }

    /// The contacts of an account.
    #[napi(ts_args_type = "account: number", ts_return_type = "Contact[]")]
    pub fn contacts_of(&self, env: &Env, account: Unknown<'_>) -> Result<Value> {
        call(env, || {
            self.inner
                .contacts_of(arg::<AccountId>("account", account)?)
        })
    }

    /// Records a purchase by a contact.
    #[napi(
        ts_args_type = "purchase: NewPurchase, now?: Instant",
        ts_return_type = "Purchase"
    )]
    pub fn record_purchase(
        &self,
        env: &Env,
        purchase: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            self.inner
                .record_purchase(arg("purchase", purchase)?, edge::now(now)?)
        })
    }

    /// The purchases of a contact.
    #[napi(ts_args_type = "contact: number", ts_return_type = "Purchase[]")]
    pub fn purchases_of(&self, env: &Env, contact: Unknown<'_>) -> Result<Value> {
        call(env, || {
            self.inner
                .purchases_of(arg::<ContactId>("contact", contact)?)
        })
    }

    // ---- pipelines, opportunities, activities, forecast -------------------------------------

    /// Defines a pipeline; the default stages when `stages` is omitted.
    #[napi(
        ts_args_type = "name: string, stages?: Stage[] | null, now?: Instant",
        ts_return_type = "Pipeline"
    )]
    pub fn define_pipeline(
        &self,
        env: &Env,
        name: Unknown<'_>,
        stages: Option<Unknown<'_>>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            let name: String = arg("name", name)?;
            let stages =
                opt("stages", stages)?.unwrap_or_else(crm_core::sales::Pipeline::default_stages);
            self.inner.define_pipeline(&name, stages, edge::now(now)?)
        })
    }

    /// A pipeline by id.
    #[napi(ts_args_type = "id: number", ts_return_type = "Pipeline")]
    pub fn pipeline(&self, env: &Env, id: Unknown<'_>) -> Result<Value> {
        call(env, || self.inner.pipeline(arg("id", id)?))
    }

    /// The pipeline with this name, or null.
    #[napi(ts_args_type = "name: string", ts_return_type = "Pipeline | null")]
    pub fn pipeline_named(&self, env: &Env, name: Unknown<'_>) -> Result<Value> {
        call(env, || {
            self.inner.pipeline_named(&arg::<String>("name", name)?)
        })
    }

    /// Opens an opportunity.
    #[napi(
        ts_args_type = "opportunity: NewOpportunity, now?: Instant",
        ts_return_type = "Opportunity"
    )]
    pub fn open_opportunity(
        &self,
        env: &Env,
        opportunity: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            self.inner
                .open_opportunity(arg("opportunity", opportunity)?, edge::now(now)?)
        })
    }

    /// Moves an opportunity to a stage of its pipeline.
    #[napi(
        ts_args_type = "id: number, stage: string, now?: Instant",
        ts_return_type = "Opportunity"
    )]
    pub fn advance_opportunity(
        &self,
        env: &Env,
        id: Unknown<'_>,
        stage: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            let id: OpportunityId = arg("id", id)?;
            let stage: String = arg("stage", stage)?;
            self.inner.advance_opportunity(id, &stage, edge::now(now)?)
        })
    }

    /// Wins an opportunity, at its amount or the one given.
    #[napi(
        ts_args_type = "id: number, amount?: Money | null, now?: Instant",
        ts_return_type = "Opportunity"
    )]
    pub fn win_opportunity(
        &self,
        env: &Env,
        id: Unknown<'_>,
        amount: Option<Unknown<'_>>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            let id: OpportunityId = arg("id", id)?;
            let amount = opt("amount", amount)?;
            self.inner.win_opportunity(id, amount, edge::now(now)?)
        })
    }

    /// Loses an opportunity, with the reason.
    #[napi(
        ts_args_type = "id: number, reason: string, now?: Instant",
        ts_return_type = "Opportunity"
    )]
    pub fn lose_opportunity(
        &self,
        env: &Env,
        id: Unknown<'_>,
        reason: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            let id: OpportunityId = arg("id", id)?;
            let reason: String = arg("reason", reason)?;
            self.inner.lose_opportunity(id, &reason, edge::now(now)?)
        })
    }

    /// Overrides an opportunity's probability (a percent as a decimal string, `"35"`).
    #[napi(
        ts_args_type = "id: number, probability: string, now?: Instant",
        ts_return_type = "Opportunity"
    )]
    pub fn set_opportunity_probability(
        &self,
        env: &Env,
        id: Unknown<'_>,
        probability: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            let id: OpportunityId = arg("id", id)?;
            let p = arg("probability", probability)?;
            self.inner
                .set_opportunity_probability(id, p, edge::now(now)?)
        })
    }

    /// Lets the stage set the probability again.
    #[napi(
        ts_args_type = "id: number, now?: Instant",
        ts_return_type = "Opportunity"
    )]
    pub fn release_opportunity_probability(
        &self,
        env: &Env,
        id: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            self.inner
                .release_opportunity_probability(arg("id", id)?, edge::now(now)?)
        })
    }

    /// Revises an opportunity's amount and/or expected close day (`YYYY-MM-DD`).
    #[napi(
        ts_args_type = "id: number, amount?: Money | null, expectedClose?: string | null, now?: Instant",
        ts_return_type = "Opportunity"
    )]
    pub fn revise_opportunity(
        &self,
        env: &Env,
        id: Unknown<'_>,
        amount: Option<Unknown<'_>>,
        expected_close: Option<Unknown<'_>>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            let id: OpportunityId = arg("id", id)?;
            let amount = opt("amount", amount)?;
            let close = edge::date_opt("expectedClose", expected_close)?;
            self.inner
                .revise_opportunity(id, amount, close, edge::now(now)?)
        })
    }

    /// Names a contact's role in a deal (decision maker, champion…).
    #[napi(
        ts_args_type = "id: number, contact: number, role: string, now?: Instant",
        ts_return_type = "Opportunity"
    )]
    pub fn set_key_player(
        &self,
        env: &Env,
        id: Unknown<'_>,
        contact: Unknown<'_>,
        role: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            let id: OpportunityId = arg("id", id)?;
            let contact: ContactId = arg("contact", contact)?;
            let role: String = arg("role", role)?;
            self.inner
                .set_key_player(id, contact, &role, edge::now(now)?)
        })
    }

    /// An opportunity.
    #[napi(ts_args_type = "id: number", ts_return_type = "Opportunity")]
    pub fn opportunity(&self, env: &Env, id: Unknown<'_>) -> Result<Value> {
        call(env, || self.inner.opportunity(arg("id", id)?))
    }

    /// Every opportunity.
    #[napi(ts_return_type = "Opportunity[]")]
    pub fn opportunities(&self, env: &Env) -> Result<Value> {
        call(env, || self.inner.opportunities())
    }

    /// The opportunities of an account.
    #[napi(ts_args_type = "account: number", ts_return_type = "Opportunity[]")]
    pub fn opportunities_of(&self, env: &Env, account: Unknown<'_>) -> Result<Value> {
        call(env, || {
            self.inner.opportunities_of(arg("account", account)?)
        })
    }

    /// Logs an activity (a call, a meeting, a task…).
    #[napi(
        ts_args_type = "activity: NewActivity, now?: Instant",
        ts_return_type = "Activity"
    )]
    pub fn log_activity(
        &self,
        env: &Env,
        activity: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            self.inner
                .log_activity(arg("activity", activity)?, edge::now(now)?)
        })
    }

    /// Completes an activity, with its outcome.
    #[napi(
        ts_args_type = "id: number, outcome?: string | null, now?: Instant",
        ts_return_type = "Activity"
    )]
    pub fn complete_activity(
        &self,
        env: &Env,
        id: Unknown<'_>,
        outcome: Option<Unknown<'_>>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            let id: ActivityId = arg("id", id)?;
            let outcome = opt("outcome", outcome)?;
            self.inner.complete_activity(id, outcome, edge::now(now)?)
        })
    }

    /// The activities about a record.
    #[napi(ts_args_type = "subject: RecordRef", ts_return_type = "Activity[]")]
    pub fn activities_of(&self, env: &Env, subject: Unknown<'_>) -> Result<Value> {
        call(env, || self.inner.activities_of(arg("subject", subject)?))
    }

    /// An owner's open activities past their due instant.
    #[napi(
        ts_args_type = "owner: string, now?: Instant",
        ts_return_type = "Activity[]"
    )]
    pub fn overdue_activities(
        &self,
        env: &Env,
        owner: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            let owner: String = arg("owner", owner)?;
            self.inner.overdue_activities(&owner, edge::now(now)?)
        })
    }

    /// Sets the rate from one currency to another from a day on (`rate`: decimal string).
    #[napi(
        ts_args_type = "from: string, to: string, on: string, rate: string, now?: Instant",
        ts_return_type = "ExchangeRate"
    )]
    pub fn set_exchange_rate(
        &self,
        env: &Env,
        from: Unknown<'_>,
        to: Unknown<'_>,
        on: Unknown<'_>,
        rate: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            let (from, to) = (arg("from", from)?, arg("to", to)?);
            let on = date("on", on)?;
            let rate = crm_core::money::parse_decimal("rate", &arg::<String>("rate", rate)?)?;
            self.inner
                .set_exchange_rate(from, to, on, rate, edge::now(now)?)
        })
    }

    /// An amount in another currency at the stored rate in force on a day (`YYYY-MM-DD`);
    /// the inverse pair is used when only one direction is stored.
    #[napi(
        ts_args_type = "amount: Money, to: string, on: string",
        ts_return_type = "Money"
    )]
    pub fn convert_money(
        &self,
        env: &Env,
        amount: Unknown<'_>,
        to: Unknown<'_>,
        on: Unknown<'_>,
    ) -> Result<Value> {
        call(env, || {
            let amount: crm_core::Money = arg("amount", amount)?;
            let (to, on) = (arg("to", to)?, date("on", on)?);
            self.inner.rate_table()?.convert(&amount, to, on)
        })
    }

    /// The weighted forecast of open opportunities by period and owner in `currency`, as of
    /// a day (`YYYY-MM-DD`).
    #[napi(
        ts_args_type = "currency: string, period: Period, asOf: string",
        ts_return_type = "Forecast"
    )]
    pub fn forecast(
        &self,
        env: &Env,
        currency: Unknown<'_>,
        period: Unknown<'_>,
        as_of: Unknown<'_>,
    ) -> Result<Value> {
        call(env, || {
            let (currency, period) = (arg("currency", currency)?, arg("period", period)?);
            self.inner.forecast(currency, period, date("asOf", as_of)?)
        })
    }

    /// `forecast` off the JS thread.
    #[napi(
        ts_args_type = "currency: string, period: Period, asOf: string",
        ts_return_type = "Promise<Forecast>"
    )]
    pub fn forecast_async(
        &self,
        currency: Unknown<'_>,
        period: Unknown<'_>,
        as_of: Unknown<'_>,
    ) -> AsyncTask<CrmTask> {
        let args = (|| {
            Ok((
                arg("currency", currency)?,
                arg("period", period)?,
                date("asOf", as_of)?,
            ))
        })();
        CrmTask::new(&self.inner, args, |c, (currency, period, as_of)| {
            c.forecast(currency, period, as_of)
        })
    }

    /// The change log after `afterSequence` (0: from the start), at most `limit` events.
    #[napi(
        ts_args_type = "afterSequence?: number, limit?: number",
        ts_return_type = "EventEnvelope[]"
    )]
    pub fn events_since(
        &self,
        env: &Env,
        after_sequence: Option<Unknown<'_>>,
        limit: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            let after = opt("afterSequence", after_sequence)?.unwrap_or(0);
            let limit = opt("limit", limit)?.unwrap_or(1000);
            self.inner.events_since(after, limit)
        })
    }

    // ---- scoring stored leads ---------------------------------------------------------------

    /// Re-scores every open lead with a rule set; writes the leads whose score changed.
    #[napi(
        ts_args_type = "rules: RuleSet, now?: Instant",
        ts_return_type = "RescoreReport"
    )]
    pub fn rescore_leads(
        &self,
        env: &Env,
        rules: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            let rules = rule_set(rules)?;
            self.inner.rescore_leads(&rules, edge::now(now)?)
        })
    }

    /// `rescoreLeads` off the JS thread.
    #[napi(
        ts_args_type = "rules: RuleSet, now?: Instant",
        ts_return_type = "Promise<RescoreReport>"
    )]
    pub fn rescore_leads_async(
        &self,
        rules: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> AsyncTask<CrmTask> {
        let args = (|| Ok((rule_set(rules)?, edge::now(now)?)))();
        CrmTask::new(&self.inner, args, |c, (rules, now)| {
            c.rescore_leads(&rules, now)
        })
    }

    /// Re-scores every open lead with a model file; writes the leads whose score changed.
    #[napi(
        ts_args_type = "model: ScoringModel, now?: Instant",
        ts_return_type = "RescoreReport"
    )]
    pub fn rescore_leads_with_model(
        &self,
        env: &Env,
        model: &ScoringModel,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            self.inner
                .rescore_leads_with_model(&model.file, edge::now(now)?)
        })
    }

    /// `rescoreLeadsWithModel` off the JS thread.
    #[napi(
        ts_args_type = "model: ScoringModel, now?: Instant",
        ts_return_type = "Promise<RescoreReport>"
    )]
    pub fn rescore_leads_with_model_async(
        &self,
        model: &ScoringModel,
        now: Option<Unknown<'_>>,
    ) -> AsyncTask<CrmTask> {
        let args = edge::now(now).map(|now| (model.file.clone(), now));
        CrmTask::new(&self.inner, args, |c, (model, now)| {
            c.rescore_leads_with_model(&model, now)
        })
    }

    /// The decided leads (converted = 1, disqualified = 0) as a training set for `spec`.
    #[napi(ts_args_type = "spec: FeatureSpec", ts_return_type = "TrainingSet")]
    pub fn training_set(&self, env: &Env, spec: Unknown<'_>) -> Result<Object<'_>> {
        let set = edge::guarded(|| {
            let spec: FeatureSpec = arg("spec", spec)?;
            self.inner.training_set(spec)
        })
        .map_err(|e| js_error(env, &e))?;
        let mut out = Object::new(env)?;
        out.set(
            "spec",
            edge::to_js(&set.spec).map_err(|e| js_error(env, &e))?,
        )?;
        out.set("columns", set.columns)?;
        out.set("x", Float64Array::new(set.x))?;
        out.set("y", Float64Array::new(set.y))?;
        out.set("leads", ids(&set.leads))?;
        Ok(out)
    }

    /// Feature rows of leads at `now` (row-major, one row per lead).
    #[napi(
        ts_args_type = "spec: FeatureSpec, leads: number[], now?: Instant",
        ts_return_type = "FeatureRows"
    )]
    pub fn lead_features<'env>(
        &self,
        env: &'env Env,
        spec: Unknown<'_>,
        leads: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Object<'env>> {
        let rows = edge::guarded(|| {
            let spec: FeatureSpec = arg("spec", spec)?;
            let leads: Vec<LeadId> = arg("leads", leads)?;
            self.inner.lead_features(&spec, &leads, edge::now(now)?)
        })
        .map_err(|e| js_error(env, &e))?;
        let mut out = Object::new(env)?;
        out.set("columns", rows.columns)?;
        out.set("x", Float64Array::new(rows.x))?;
        out.set("leads", ids(&rows.leads))?;
        Ok(out)
    }
}

fn ids(leads: &[LeadId]) -> Vec<f64> {
    #[allow(clippy::cast_precision_loss)]
    leads.iter().map(|id| id.get() as f64).collect()
}

fn rule_set(rules: Unknown<'_>) -> crm_core::Result<RuleSet> {
    let rules: RuleSet = arg("rules", rules)?;
    rules.check()?;
    Ok(rules)
}

#[derive(serde::Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Options {
    #[serde(default)]
    region: Option<String>,
}

fn region(options: Option<Unknown<'_>>) -> crm_core::Result<Region> {
    let options: Options = opt("options", options)?.unwrap_or_default();
    Region::parse(options.region.as_deref().unwrap_or("US"))
}
