//! `CrmStore`: the CRM on a SQLite file the app names (its data directory), offline.
//! Methods take and return crm-core's records; instants are timestamps (UTC).

use std::sync::Arc;
use std::time::SystemTime;

use chrono::NaiveDate;
use crm_core::Currency;
use crm_core::Money;
use crm_core::Percent;
use crm_core::Rating;
use crm_core::activity::Activity;
use crm_core::activity::NewActivity;
use crm_core::crm::Captured;
use crm_core::crm::convert::Conversion;
use crm_core::crm::convert::ConvertOptions;
use crm_core::crm::duplicates::DuplicateMatch;
use crm_core::crm::import::ImportOptions;
use crm_core::crm::import::ImportReport;
use crm_core::crm::merge::MergeChoices;
use crm_core::crm::scoring_cases::RescoreReport;
use crm_core::crm::scoring_cases::{FeatureRows, TrainingSet};
use crm_core::customer::Account;
use crm_core::customer::Contact;
use crm_core::customer::NewAccount;
use crm_core::customer::NewContact;
use crm_core::customer::NewPurchase;
use crm_core::customer::Purchase;
use crm_core::event::EventEnvelope;
use crm_core::id::LeadId;
use crm_core::id::RecordRef;
use crm_core::id::{AccountId, ActivityId, ContactId, OpportunityId, PipelineId, WebFormId};
use crm_core::lead::LeadData;
use crm_core::lead::import::CsvMapping;
use crm_core::lead::webform::Submission;
use crm_core::lead::webform::WebForm;
use crm_core::lead::webform::WebFormSpec;
use crm_core::sales::NewOpportunity;
use crm_core::sales::Opportunity;
use crm_core::sales::Pipeline;
use crm_core::sales::Stage;
use crm_core::sales::forecast::Forecast;
use crm_core::sales::forecast::Period;
use crm_core::sales::fx::ExchangeRate;
use crm_core::scoring::features::FeatureSpec;
use crm_core::scoring::rules::RuleSet;
use crm_core::tracking::NewTouchpoint;
use crm_core::tracking::Touchpoint;
use crm_core::uniffi_types::{CrmError, guarded};
use crm_core::{Crm, Lead, LeadInput, Region};
use crm_sqlite::SqliteStore;
use rust_decimal::Decimal;

use crate::scoring::ScoringModel;

/// A merge of two leads: the survivor as stored, and how many related records followed it.
#[derive(uniffi::Record)]
pub struct MergedLead {
    /// The survivor.
    pub survivor: Lead,
    /// Related records re-pointed to it.
    pub repointed: u64,
}

/// A merge of two contacts.
#[derive(uniffi::Record)]
pub struct MergedContact {
    /// The survivor.
    pub survivor: Contact,
    /// Related records re-pointed to it.
    pub repointed: u64,
}

/// A merge of two accounts.
#[derive(uniffi::Record)]
pub struct MergedAccount {
    /// The survivor.
    pub survivor: Account,
    /// Related records re-pointed to it.
    pub repointed: u64,
}

/// The CRM on a SQLite file.
#[derive(uniffi::Object)]
pub struct CrmStore {
    pub(crate) crm: Crm<SqliteStore>,
}

/// The instant of a change: the one given, or now.
pub(crate) fn at(t: Option<SystemTime>) -> chrono::DateTime<chrono::Utc> {
    t.map_or_else(chrono::Utc::now, chrono::DateTime::from)
}

#[uniffi::export]
impl CrmStore {
    /// Opens (or creates) the SQLite file at `path`; `region` reads national phone numbers
    /// when a lead names no country (`"US"`, `"DE"`).
    #[uniffi::constructor]
    pub fn open(path: String, region: String) -> Result<Arc<Self>, CrmError> {
        guarded(|| {
            let region = Region::parse(&region)?;
            Ok(Arc::new(CrmStore {
                crm: Crm::new(SqliteStore::open(&path)?, region),
            }))
        })
    }

    /// A CRM in memory (gone with the object).
    #[uniffi::constructor]
    pub fn in_memory(region: String) -> Result<Arc<Self>, CrmError> {
        guarded(|| {
            let region = Region::parse(&region)?;
            Ok(Arc::new(CrmStore {
                crm: Crm::new(SqliteStore::open_in_memory()?, region),
            }))
        })
    }

    /// Captures a lead (`now`: when, the current time if null).
    #[uniffi::method(default(now = None))]
    pub fn capture_lead(
        &self,
        input: LeadInput,
        now: Option<SystemTime>,
    ) -> Result<Captured, CrmError> {
        guarded(|| self.crm.capture_lead(&input, at(now)))
    }

    /// A lead.
    pub fn lead(&self, id: LeadId) -> Result<Lead, CrmError> {
        guarded(|| self.crm.lead(id))
    }

    /// Every lead.
    pub fn leads(&self) -> Result<Vec<Lead>, CrmError> {
        guarded(|| self.crm.all_leads())
    }

    /// Saves an edit of a lead's data made on `expected_version` (`Conflict` when it
    /// changed since).
    #[uniffi::method(default(now = None))]
    pub fn update_lead(
        &self,
        id: LeadId,
        expected_version: u64,
        data: LeadData,
        now: Option<SystemTime>,
    ) -> Result<Lead, CrmError> {
        guarded(|| self.crm.update_lead(id, expected_version, data, at(now)))
    }

    /// Moves a new lead to working.
    #[uniffi::method(default(now = None))]
    pub fn start_working(&self, id: LeadId, now: Option<SystemTime>) -> Result<Lead, CrmError> {
        guarded(|| self.crm.start_working(id, at(now)))
    }

    /// Qualifies a lead.
    #[uniffi::method(default(now = None))]
    pub fn qualify(&self, id: LeadId, now: Option<SystemTime>) -> Result<Lead, CrmError> {
        guarded(|| self.crm.qualify(id, at(now)))
    }

    /// Disqualifies a lead, with the reason.
    #[uniffi::method(default(now = None))]
    pub fn disqualify(
        &self,
        id: LeadId,
        reason: String,
        now: Option<SystemTime>,
    ) -> Result<Lead, CrmError> {
        guarded(|| self.crm.disqualify(id, &reason, at(now)))
    }

    /// Defines a web form.
    #[uniffi::method(default(now = None))]
    pub fn define_web_form(
        &self,
        spec: WebFormSpec,
        now: Option<SystemTime>,
    ) -> Result<WebForm, CrmError> {
        guarded(|| self.crm.define_web_form(spec, at(now)))
    }

    /// The web form called `name` (case-insensitive), if any.
    pub fn web_form_named(&self, name: String) -> Result<Option<WebForm>, CrmError> {
        guarded(|| self.crm.web_form_named(&name))
    }

    /// Takes a web-form submission: checks it, refuses a resubmission inside the form's
    /// window, stores the lead and records a form-submission touchpoint.
    pub fn submit_web_form(
        &self,
        form: WebFormId,
        submission: Submission,
    ) -> Result<Captured, CrmError> {
        guarded(|| self.crm.submit_web_form(form, &submission))
    }

    /// The leads with a status (`new`, `working`, `qualified`, `converted`, `disqualified`).
    pub fn leads_with_status(&self, status: String) -> Result<Vec<Lead>, CrmError> {
        guarded(|| self.crm.leads_with_status(&status))
    }

    /// Sets a lead's score and rating (from rules, a model or a person); records an event
    /// only when something changed.
    #[uniffi::method(default(now = None))]
    pub fn set_lead_score(
        &self,
        id: LeadId,
        score: f64,
        rating: Option<Rating>,
        now: Option<SystemTime>,
    ) -> Result<Lead, CrmError> {
        guarded(|| self.crm.set_lead_score(id, score, rating, at(now)))
    }

    /// Possible duplicates of a stored lead among the other leads and the contacts.
    pub fn duplicates_of_lead(&self, id: LeadId) -> Result<Vec<DuplicateMatch>, CrmError> {
        guarded(|| self.crm.duplicates_of_lead(id))
    }

    /// Records a touchpoint on a lead or contact.
    #[uniffi::method(default(now = None))]
    pub fn record_touchpoint(
        &self,
        touch: NewTouchpoint,
        now: Option<SystemTime>,
    ) -> Result<Touchpoint, CrmError> {
        guarded(|| self.crm.record_touchpoint(touch, at(now)))
    }

    /// The touchpoints of a lead or contact, in the order recorded.
    pub fn touchpoints_of(&self, subject: RecordRef) -> Result<Vec<Touchpoint>, CrmError> {
        guarded(|| self.crm.touchpoints_of(subject))
    }

    /// Creates an account.
    #[uniffi::method(default(now = None))]
    pub fn create_account(
        &self,
        new: NewAccount,
        now: Option<SystemTime>,
    ) -> Result<Account, CrmError> {
        guarded(|| self.crm.create_account(new, at(now)))
    }

    /// Creates a contact.
    #[uniffi::method(default(now = None))]
    pub fn create_contact(
        &self,
        new: NewContact,
        now: Option<SystemTime>,
    ) -> Result<Contact, CrmError> {
        guarded(|| self.crm.create_contact(new, at(now)))
    }

    /// An account.
    pub fn account(&self, id: AccountId) -> Result<Account, CrmError> {
        guarded(|| self.crm.account(id))
    }

    /// A contact.
    pub fn contact(&self, id: ContactId) -> Result<Contact, CrmError> {
        guarded(|| self.crm.contact(id))
    }

    /// Every account, in id order.
    pub fn accounts(&self) -> Result<Vec<Account>, CrmError> {
        guarded(|| self.crm.accounts())
    }

    /// Every contact, in id order.
    pub fn contacts(&self) -> Result<Vec<Contact>, CrmError> {
        guarded(|| self.crm.contacts())
    }

    /// The contacts of an account.
    pub fn contacts_of(&self, account: AccountId) -> Result<Vec<Contact>, CrmError> {
        guarded(|| self.crm.contacts_of(account))
    }

    /// Records a purchase.
    #[uniffi::method(default(now = None))]
    pub fn record_purchase(
        &self,
        new: NewPurchase,
        now: Option<SystemTime>,
    ) -> Result<Purchase, CrmError> {
        guarded(|| self.crm.record_purchase(new, at(now)))
    }

    /// The purchases of a contact.
    pub fn purchases_of(&self, contact: ContactId) -> Result<Vec<Purchase>, CrmError> {
        guarded(|| self.crm.purchases_of(contact))
    }

    /// Up to `limit` events after the cursor `after_sequence` (0: from the start).
    pub fn events_since(
        &self,
        after_sequence: u64,
        limit: u32,
    ) -> Result<Vec<EventEnvelope>, CrmError> {
        guarded(|| self.crm.events_since(after_sequence, limit as usize))
    }

    /// Converts a qualified lead; see the module docs.
    #[uniffi::method(default(now = None))]
    pub fn convert_lead(
        &self,
        id: LeadId,
        options: ConvertOptions,
        now: Option<SystemTime>,
    ) -> Result<Conversion, CrmError> {
        guarded(|| self.crm.convert_lead(id, &options, at(now)))
    }

    /// Defines a pipeline; the default stages when `stages` is null.
    #[uniffi::method(default(stages = None, now = None))]
    pub fn define_pipeline(
        &self,
        name: String,
        stages: Option<Vec<Stage>>,
        now: Option<SystemTime>,
    ) -> Result<Pipeline, CrmError> {
        let stages = stages.unwrap_or_else(crm_core::sales::Pipeline::default_stages);
        guarded(|| self.crm.define_pipeline(&name, stages, at(now)))
    }

    /// A pipeline.
    pub fn pipeline(&self, id: PipelineId) -> Result<Pipeline, CrmError> {
        guarded(|| self.crm.pipeline(id))
    }

    /// The pipeline called `name` (case-insensitive), if any.
    pub fn pipeline_named(&self, name: String) -> Result<Option<Pipeline>, CrmError> {
        guarded(|| self.crm.pipeline_named(&name))
    }

    /// Opens an opportunity.
    #[uniffi::method(default(now = None))]
    pub fn open_opportunity(
        &self,
        new: NewOpportunity,
        now: Option<SystemTime>,
    ) -> Result<Opportunity, CrmError> {
        guarded(|| self.crm.open_opportunity(new, at(now)))
    }

    /// Moves an opportunity to another open stage.
    #[uniffi::method(default(now = None))]
    pub fn advance_opportunity(
        &self,
        id: OpportunityId,
        stage: String,
        now: Option<SystemTime>,
    ) -> Result<Opportunity, CrmError> {
        guarded(|| self.crm.advance_opportunity(id, &stage, at(now)))
    }

    /// Closes an opportunity as won, optionally at a final amount.
    #[uniffi::method(default(now = None))]
    pub fn win_opportunity(
        &self,
        id: OpportunityId,
        amount: Option<Money>,
        now: Option<SystemTime>,
    ) -> Result<Opportunity, CrmError> {
        guarded(|| self.crm.win_opportunity(id, amount, at(now)))
    }

    /// Closes an opportunity as lost.
    #[uniffi::method(default(now = None))]
    pub fn lose_opportunity(
        &self,
        id: OpportunityId,
        reason: String,
        now: Option<SystemTime>,
    ) -> Result<Opportunity, CrmError> {
        guarded(|| self.crm.lose_opportunity(id, &reason, at(now)))
    }

    /// Sets an opportunity's probability by hand (kept until released).
    #[uniffi::method(default(now = None))]
    pub fn set_opportunity_probability(
        &self,
        id: OpportunityId,
        probability: Percent,
        now: Option<SystemTime>,
    ) -> Result<Opportunity, CrmError> {
        guarded(|| {
            self.crm
                .set_opportunity_probability(id, probability, at(now))
        })
    }

    /// Lets an opportunity's probability follow its stage again.
    #[uniffi::method(default(now = None))]
    pub fn release_opportunity_probability(
        &self,
        id: OpportunityId,
        now: Option<SystemTime>,
    ) -> Result<Opportunity, CrmError> {
        guarded(|| self.crm.release_opportunity_probability(id, at(now)))
    }

    /// Changes an opportunity's amount and/or expected close date.
    #[uniffi::method(default(now = None))]
    pub fn revise_opportunity(
        &self,
        id: OpportunityId,
        amount: Option<Money>,
        expected_close: Option<NaiveDate>,
        now: Option<SystemTime>,
    ) -> Result<Opportunity, CrmError> {
        guarded(|| {
            self.crm
                .revise_opportunity(id, amount, expected_close, at(now))
        })
    }

    /// Adds a contact to an opportunity's key players with a role (or changes their role).
    #[uniffi::method(default(now = None))]
    pub fn set_key_player(
        &self,
        id: OpportunityId,
        contact: ContactId,
        role: String,
        now: Option<SystemTime>,
    ) -> Result<Opportunity, CrmError> {
        guarded(|| self.crm.set_key_player(id, contact, &role, at(now)))
    }

    /// An opportunity.
    pub fn opportunity(&self, id: OpportunityId) -> Result<Opportunity, CrmError> {
        guarded(|| self.crm.opportunity(id))
    }

    /// Every opportunity, in id order.
    pub fn opportunities(&self) -> Result<Vec<Opportunity>, CrmError> {
        guarded(|| self.crm.opportunities())
    }

    /// The opportunities of an account.
    pub fn opportunities_of(&self, account: AccountId) -> Result<Vec<Opportunity>, CrmError> {
        guarded(|| self.crm.opportunities_of(account))
    }

    /// Logs or schedules an activity on any record.
    #[uniffi::method(default(now = None))]
    pub fn log_activity(
        &self,
        new: NewActivity,
        now: Option<SystemTime>,
    ) -> Result<Activity, CrmError> {
        guarded(|| self.crm.log_activity(new, at(now)))
    }

    /// Completes an activity with an outcome.
    #[uniffi::method(default(now = None))]
    pub fn complete_activity(
        &self,
        id: ActivityId,
        outcome: Option<String>,
        now: Option<SystemTime>,
    ) -> Result<Activity, CrmError> {
        guarded(|| self.crm.complete_activity(id, outcome, at(now)))
    }

    /// The activities about a record.
    pub fn activities_of(&self, subject: RecordRef) -> Result<Vec<Activity>, CrmError> {
        guarded(|| self.crm.activities_of(subject))
    }

    /// The open activities of an owner that are past due at `now`.
    #[uniffi::method(default(now = None))]
    pub fn overdue_activities(
        &self,
        owner: String,
        now: Option<SystemTime>,
    ) -> Result<Vec<Activity>, CrmError> {
        guarded(|| self.crm.overdue_activities(&owner, at(now)))
    }

    /// Records the exchange rate of a pair from a day on (replacing that day's rate).
    #[uniffi::method(default(now = None))]
    pub fn set_exchange_rate(
        &self,
        from: Currency,
        to: Currency,
        on: NaiveDate,
        rate: Decimal,
        now: Option<SystemTime>,
    ) -> Result<ExchangeRate, CrmError> {
        guarded(|| self.crm.set_exchange_rate(from, to, on, rate, at(now)))
    }

    /// An amount in another currency at the stored rate in force on a day (the inverse
    /// pair is used when only one direction is stored).
    pub fn convert_money(
        &self,
        amount: Money,
        to: Currency,
        on: NaiveDate,
    ) -> Result<Money, CrmError> {
        guarded(|| self.crm.rate_table()?.convert(&amount, to, on))
    }

    /// The weighted forecast of open and won opportunities in `currency`, by `period` and
    /// owner, at the exchange rates in force on `as_of`; see [`crate::sales::forecast`].
    pub fn forecast(
        &self,
        currency: Currency,
        period: Period,
        as_of: NaiveDate,
    ) -> Result<Forecast, CrmError> {
        guarded(|| self.crm.forecast(currency, period, as_of))
    }

    /// Re-scores every open lead (new, working, qualified) with `rules` at `now`.
    #[uniffi::method(default(now = None))]
    pub fn rescore_leads(
        &self,
        rules: RuleSet,
        now: Option<SystemTime>,
    ) -> Result<RescoreReport, CrmError> {
        guarded(|| self.crm.rescore_leads(&rules, at(now)))
    }

    /// Imports leads from CSV bytes (a file the app read), with the row report.
    #[uniffi::method(default(now = None))]
    pub fn import_leads_csv(
        &self,
        data: Vec<u8>,
        mapping: CsvMapping,
        options: ImportOptions,
        now: Option<SystemTime>,
    ) -> Result<ImportReport, CrmError> {
        guarded(|| {
            self.crm
                .import_leads_csv(data.as_slice(), mapping, &options, |_| {}, at(now))
        })
    }

    /// Merges lead `merged` into `survivor` (related records follow).
    #[uniffi::method(default(now = None))]
    pub fn merge_leads(
        &self,
        survivor: LeadId,
        merged: LeadId,
        choices: MergeChoices,
        now: Option<SystemTime>,
    ) -> Result<MergedLead, CrmError> {
        guarded(|| {
            let m = self.crm.merge_leads(survivor, merged, &choices, at(now))?;
            Ok(MergedLead {
                survivor: m.survivor,
                repointed: m.repointed,
            })
        })
    }

    /// Merges contact `merged` into `survivor`.
    #[uniffi::method(default(now = None))]
    pub fn merge_contacts(
        &self,
        survivor: ContactId,
        merged: ContactId,
        choices: MergeChoices,
        now: Option<SystemTime>,
    ) -> Result<MergedContact, CrmError> {
        guarded(|| {
            let m = self
                .crm
                .merge_contacts(survivor, merged, &choices, at(now))?;
            Ok(MergedContact {
                survivor: m.survivor,
                repointed: m.repointed,
            })
        })
    }

    /// Merges account `merged` into `survivor`.
    #[uniffi::method(default(now = None))]
    pub fn merge_accounts(
        &self,
        survivor: AccountId,
        merged: AccountId,
        choices: MergeChoices,
        now: Option<SystemTime>,
    ) -> Result<MergedAccount, CrmError> {
        guarded(|| {
            let m = self
                .crm
                .merge_accounts(survivor, merged, &choices, at(now))?;
            Ok(MergedAccount {
                survivor: m.survivor,
                repointed: m.repointed,
            })
        })
    }

    /// Re-scores every open lead with a model file (offline, on the device).
    #[uniffi::method(default(now = None))]
    pub fn rescore_leads_with_model(
        &self,
        model: Arc<ScoringModel>,
        now: Option<SystemTime>,
    ) -> Result<RescoreReport, CrmError> {
        guarded(|| self.crm.rescore_leads_with_model(model.file(), at(now)))
    }

    /// The decided leads as a training set for `spec`.
    pub fn training_set(&self, spec: FeatureSpec) -> Result<TrainingSet, CrmError> {
        guarded(|| self.crm.training_set(spec))
    }

    /// Feature rows of leads (row-major, one row per lead).
    #[uniffi::method(default(now = None))]
    pub fn lead_features(
        &self,
        spec: FeatureSpec,
        leads: Vec<LeadId>,
        now: Option<SystemTime>,
    ) -> Result<FeatureRows, CrmError> {
        guarded(|| self.crm.lead_features(&spec, &leads, at(now)))
    }
}
