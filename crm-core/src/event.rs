//! Domain events: what happened, appended to the store's log in the same transaction as the
//! change, and readable in order from a cursor.
//!
//! The log holds [`EventEnvelope`]s (`{sequence, aggregate, aggregate_id, event_type,
//! event_version, payload, at}`); the payload is the JSON of a [`DomainEvent`], so hosts in
//! any language can read it without this crate, and [`EventEnvelope::decode`] gives the
//! typed event back.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::id::{
    AccountId, ActivityId, ArticleId, AssetId, AutomationRuleId, CalendarId, CampaignId, CaseId,
    ContactId, ContractId, DeliveryId, ExchangeRateId, LeadId, MaintenancePlanId, MarketingPlanId,
    OpportunityId, PipelineId, PriceBookId, ProductId, PurchaseId, QuoteId, RecordRef,
    SalesOrderId, SegmentId, ServiceOrderId, SlaPolicyId, TechnicianId, TouchpointId, WarrantyId,
    WebFormId,
};
use crate::money::{Money, Percent};
use crate::store::EntityKind;

/// The version of the event payloads this build writes and reads.
pub const EVENT_VERSION: u32 = 1;

/// Something that happened in the CRM.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
#[non_exhaustive]
pub enum DomainEvent {
    /// A lead was captured (typed in, posted, imported or created through the API).
    LeadCaptured {
        /// The lead.
        lead: LeadId,
        /// Its source kind (`manual`, `web_form`, `csv_import`, `api`).
        source: String,
        /// Possible duplicates found at capture.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        possible_duplicates: Vec<RecordRef>,
    },
    /// A lead's status changed.
    LeadStatusChanged {
        /// The lead.
        lead: LeadId,
        /// Status before.
        from: String,
        /// Status after.
        to: String,
        /// The disqualification reason, when disqualified.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// A lead's score or rating changed.
    LeadScored {
        /// The lead.
        lead: LeadId,
        /// New score.
        score: f64,
        /// New rating, when one applies.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        rating: Option<String>,
    },
    /// A customer model's prediction for a contact changed (written by re-scoring).
    ContactScored {
        /// The contact.
        contact: ContactId,
        /// The model's name (the key in [`crate::Contact::predictions`]).
        model: String,
        /// The new prediction.
        value: f64,
    },
    /// A lead was converted.
    LeadConverted {
        /// The lead.
        lead: LeadId,
        /// The account it went to.
        account: AccountId,
        /// Whether that account was created (false: linked to an existing one).
        account_created: bool,
        /// The contact it went to.
        contact: ContactId,
        /// Whether that contact was created.
        contact_created: bool,
        /// The opportunity opened, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        opportunity: Option<OpportunityId>,
    },
    /// A record was edited ([`crate::Crm::edit`]): each changed field with its old and
    /// new value.
    RecordEdited {
        /// The record.
        record: crate::id::RecordKey,
        /// The fields that changed.
        changes: Vec<crate::lifecycle::FieldChange>,
    },
    /// A record was archived: out of listings, reports and lookups, readable by id.
    RecordArchived {
        /// The record.
        record: crate::id::RecordKey,
    },
    /// An archived record was restored.
    RecordRestored {
        /// The record.
        record: crate::id::RecordKey,
    },
    /// A record was deleted. Holds no personal data: the record's kind and id only.
    RecordDeleted {
        /// The record.
        record: crate::id::RecordKey,
        /// Whether it went with a record it depended on (a cascade).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        cascaded: bool,
    },
    /// A record was given its id in another system (or a new one).
    ExternalIdLinked {
        /// The record.
        record: crate::id::RecordKey,
        /// The other system.
        system: String,
        /// The record's id there.
        external_id: String,
    },
    /// A record's id in another system was removed.
    ExternalIdUnlinked {
        /// The record.
        record: crate::id::RecordKey,
        /// The other system.
        system: String,
    },
    /// A person granted a consent (or renewed it).
    ConsentGranted {
        /// The lead or contact.
        record: crate::id::RecordKey,
        /// The channel.
        channel: crate::consent::Channel,
        /// The purpose.
        purpose: crate::consent::Purpose,
    },
    /// A person withdrew a consent.
    ConsentWithdrawn {
        /// The lead or contact.
        record: crate::id::RecordKey,
        /// The channel.
        channel: crate::consent::Channel,
        /// The purpose.
        purpose: crate::consent::Purpose,
    },
    /// A person was marked do-not-contact (`on`), or the mark was lifted.
    DoNotContactSet {
        /// The lead or contact.
        record: crate::id::RecordKey,
        /// Whether the mark is on.
        on: bool,
    },
    /// A person's personal data was erased. Holds no personal data: the records by kind and
    /// id only.
    PersonErased {
        /// The person's first lead or contact.
        record: crate::id::RecordKey,
        /// Every record anonymised, deleted or scrubbed.
        records: Vec<crate::id::RecordKey>,
        /// How many events were redacted.
        events_redacted: u64,
    },
    /// A custom field was defined.
    CustomFieldDefined {
        /// The definition.
        field: crate::id::CustomFieldId,
        /// The record kind.
        kind: String,
        /// The field's name.
        name: String,
    },
    /// A custom field's definition changed (label, type, values, required, default).
    CustomFieldRedefined {
        /// The definition.
        field: crate::id::CustomFieldId,
        /// The record kind.
        kind: String,
        /// The field's name.
        name: String,
    },
    /// A custom field was renamed; every record's value moved with it.
    CustomFieldRenamed {
        /// The definition.
        field: crate::id::CustomFieldId,
        /// The record kind.
        kind: String,
        /// The old name.
        from: String,
        /// The new name.
        to: String,
    },
    /// A custom field was removed, with the values of `purged` records.
    CustomFieldRemoved {
        /// The definition.
        field: crate::id::CustomFieldId,
        /// The record kind.
        kind: String,
        /// The field's name.
        name: String,
        /// How many records lost their value.
        purged: u64,
    },
    /// The duplicate rules of a kind were set.
    DuplicateRulesSet {
        /// The rules record.
        rules: crate::id::DuplicateRulesId,
        /// The kind they match (`lead`, `contact`).
        kind: String,
    },
    /// A pair of possible duplicates was put on the review list.
    DuplicateReviewOpened {
        /// The review.
        review: crate::id::DuplicateReviewId,
        /// The record stored first.
        first: crate::id::RecordKey,
        /// The record that matched it.
        second: crate::id::RecordKey,
    },
    /// A review was decided (`merged`, `not_duplicate`).
    DuplicateReviewed {
        /// The review.
        review: crate::id::DuplicateReviewId,
        /// The decision.
        decision: String,
    },
    /// A lead's data was edited (written by releases before `RecordEdited`; read only).
    LeadEdited {
        /// The lead.
        lead: LeadId,
        /// The data fields that changed (`email`, `address`…).
        fields: Vec<String>,
    },
    /// Two records were merged; the loser's last state is kept here.
    RecordsMerged {
        /// The record that survives.
        survivor: RecordRef,
        /// The record merged into it (deleted).
        merged: RecordRef,
        /// The merged record as it was, JSON.
        snapshot: serde_json::Value,
        /// How many related records were re-pointed.
        repointed: u64,
    },
    /// An account was created.
    AccountCreated {
        /// The account.
        account: AccountId,
    },
    /// A contact was created.
    ContactCreated {
        /// The contact.
        contact: ContactId,
        /// Its account.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        account: Option<AccountId>,
    },
    /// A touchpoint was recorded.
    TouchpointRecorded {
        /// The touchpoint.
        touchpoint: TouchpointId,
        /// Whose.
        subject: RecordRef,
        /// Its kind (`ad_click`, `web_visit`, …).
        kind: String,
    },
    /// An opportunity was opened.
    OpportunityOpened {
        /// The opportunity.
        opportunity: OpportunityId,
        /// Its account.
        account: AccountId,
        /// Its amount.
        amount: Money,
    },
    /// An opportunity moved to another stage.
    StageChanged {
        /// The opportunity.
        opportunity: OpportunityId,
        /// Stage before.
        from: String,
        /// Stage after.
        to: String,
        /// Probability after.
        probability: Percent,
    },
    /// An opportunity's amount, close date or probability changed without a stage change.
    OpportunityUpdated {
        /// The opportunity.
        opportunity: OpportunityId,
    },
    /// An opportunity was won.
    OpportunityWon {
        /// The opportunity.
        opportunity: OpportunityId,
        /// The amount won.
        amount: Money,
    },
    /// An opportunity was lost.
    OpportunityLost {
        /// The opportunity.
        opportunity: OpportunityId,
        /// Why.
        reason: String,
    },
    /// An activity was logged or scheduled.
    ActivityLogged {
        /// The activity.
        activity: ActivityId,
        /// What it is about.
        subject: RecordRef,
        /// `call`, `meeting`, `email` or `task`.
        kind: String,
    },
    /// An activity was completed.
    ActivityCompleted {
        /// The activity.
        activity: ActivityId,
    },
    /// An activity was cancelled.
    ActivityCancelled {
        /// The activity.
        activity: ActivityId,
    },
    /// A purchase was recorded.
    PurchaseRecorded {
        /// The purchase.
        purchase: PurchaseId,
        /// The buyer.
        contact: ContactId,
        /// Quantity × unit price.
        total: Money,
    },
    /// A pipeline was defined or redefined.
    PipelineDefined {
        /// The pipeline.
        pipeline: PipelineId,
    },
    /// A web form was defined or redefined.
    WebFormDefined {
        /// The form.
        form: WebFormId,
    },
    /// An exchange rate was recorded.
    ExchangeRateSet {
        /// The stored rate.
        rate_id: ExchangeRateId,
        /// Source currency.
        from: String,
        /// Target currency.
        to: String,
        /// The rate, as a decimal string.
        rate: String,
        /// The day it applies from.
        on: String,
    },
    /// A product was added to the catalog.
    ProductDefined {
        /// The product.
        product: ProductId,
        /// Its SKU.
        sku: String,
    },
    /// A price book was defined.
    PriceBookDefined {
        /// The book.
        price_book: PriceBookId,
    },
    /// A quote revision was created (the first, or a revision of an earlier one).
    QuoteCreated {
        /// The revision.
        quote: QuoteId,
        /// The quote's number (its first revision).
        number: QuoteId,
        /// 1, 2, …
        revision: u32,
        /// Its grand total.
        grand_total: Money,
    },
    /// A quote changed status (sent, accepted, rejected, expired).
    QuoteStatusChanged {
        /// The revision.
        quote: QuoteId,
        /// The new status.
        status: String,
    },
    /// An accepted quote became a sales order.
    SalesOrderCreated {
        /// The order.
        order: SalesOrderId,
        /// The accepted revision.
        quote: QuoteId,
        /// Its grand total.
        grand_total: Money,
    },
    /// A sales order moved on with the ERP (sent, acknowledged, partly fulfilled,
    /// fulfilled, cancelled).
    SalesOrderStatusChanged {
        /// The order.
        order: SalesOrderId,
        /// Its new status.
        status: String,
    },
    /// A delivery to another system was queued in the outbox.
    DeliveryQueued {
        /// The delivery.
        delivery: DeliveryId,
        /// Where it goes (`erp`).
        target: String,
        /// The key its receiver tells a second sending by.
        idempotency_key: String,
    },
    /// A delivery was delivered, died after its last attempt, was retried or cancelled.
    DeliveryChanged {
        /// The delivery.
        delivery: DeliveryId,
        /// Its new status.
        status: String,
    },
    /// A business calendar was defined or redefined.
    CalendarDefined {
        /// The calendar.
        calendar: CalendarId,
        /// Its name.
        name: String,
    },
    /// An SLA policy was defined or redefined.
    SlaPolicyDefined {
        /// The policy.
        policy: SlaPolicyId,
        /// Its name.
        name: String,
    },
    /// An asset joined the installed base.
    AssetRegistered {
        /// The asset.
        asset: AssetId,
        /// Its serial number.
        serial_number: String,
    },
    /// An asset's status changed.
    AssetStatusChanged {
        /// The asset.
        asset: AssetId,
        /// The new status.
        status: String,
    },
    /// A warranty was recorded.
    WarrantyAdded {
        /// The warranty.
        warranty: WarrantyId,
        /// Its asset.
        asset: AssetId,
    },
    /// A service contract was created.
    ContractCreated {
        /// The contract.
        contract: ContractId,
        /// The customer.
        account: AccountId,
    },
    /// A service contract was cancelled.
    ContractCancelled {
        /// The contract.
        contract: ContractId,
    },
    /// A renewal opportunity was opened for a contract about to end.
    ContractRenewalOpened {
        /// The contract.
        contract: ContractId,
        /// The opportunity.
        opportunity: crate::id::OpportunityId,
    },
    /// A case was opened.
    CaseOpened {
        /// The case.
        case: CaseId,
        /// Its tracking number.
        number: String,
        /// The contract it is worked under, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        contract: Option<ContractId>,
    },
    /// A case changed status.
    CaseStatusChanged {
        /// The case.
        case: CaseId,
        /// Before.
        from: String,
        /// After.
        to: String,
    },
    /// A case changed priority.
    CasePriorityChanged {
        /// The case.
        case: CaseId,
        /// After.
        to: String,
    },
    /// A comment was added to a case.
    CaseCommented {
        /// The case.
        case: CaseId,
        /// `agent` or `customer`.
        author: String,
        /// Whether the customer sees it.
        public: bool,
    },
    /// A case's SLA cycle passed its warning threshold.
    SlaWarning {
        /// The case.
        case: CaseId,
        /// The metric.
        metric: String,
        /// Which cycle (0-based).
        cycle: usize,
        /// When the target runs out.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        due_at: Option<String>,
    },
    /// A case's SLA cycle exceeded its target.
    SlaBreached {
        /// The case.
        case: CaseId,
        /// The metric.
        metric: String,
        /// Which cycle (0-based).
        cycle: usize,
        /// When the target ran out, if known.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        due_at: Option<String>,
    },
    /// A technician was added.
    TechnicianDefined {
        /// The technician.
        technician: TechnicianId,
    },
    /// A service order was created.
    ServiceOrderCreated {
        /// The order.
        order: ServiceOrderId,
        /// The maintenance plan it comes from, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        plan: Option<MaintenancePlanId>,
    },
    /// A service order was assigned to a technician and a time.
    ServiceOrderScheduled {
        /// The order.
        order: ServiceOrderId,
        /// Who.
        technician: TechnicianId,
        /// From (RFC 3339).
        start: String,
        /// To (RFC 3339).
        end: String,
    },
    /// A service order was completed.
    ServiceOrderCompleted {
        /// The order.
        order: ServiceOrderId,
        /// Hours worked, as a decimal string.
        hours: String,
    },
    /// A service order was cancelled.
    ServiceOrderCancelled {
        /// The order.
        order: ServiceOrderId,
    },
    /// A maintenance plan was defined.
    MaintenancePlanDefined {
        /// The plan.
        plan: MaintenancePlanId,
        /// Its asset.
        asset: AssetId,
    },
    /// A campaign was created.
    CampaignCreated {
        /// The campaign.
        campaign: CampaignId,
        /// Its code.
        code: String,
    },
    /// A campaign changed (status, costs, ads, members).
    CampaignUpdated {
        /// The campaign.
        campaign: CampaignId,
        /// Its status after the change.
        status: String,
    },
    /// A segment was (re-)evaluated.
    SegmentEvaluated {
        /// The segment.
        segment: SegmentId,
        /// Members now.
        members: u64,
        /// Members who joined.
        added: u64,
        /// Members who left.
        removed: u64,
    },
    /// A marketing plan was defined.
    MarketingPlanDefined {
        /// The plan.
        plan: MarketingPlanId,
    },
    /// An automation rule was defined.
    AutomationRuleDefined {
        /// The rule.
        rule: AutomationRuleId,
    },
    /// Access control changed: a user, team, role, permission set, organisation-wide
    /// default, sharing rule or share was saved or removed.
    AccessChanged {
        /// The record changed (`user:3`, `sharing_rule:1`).
        record: crate::id::RecordKey,
        /// Its name (a login, a team's name, the shared record).
        name: String,
        /// `saved` or `removed`.
        change: String,
    },
    /// The service desk's set-up changed: a queue, an agent's profile or a routing rule
    /// was saved or removed.
    DeskConfigured {
        /// The record changed (`queue:2`, `routing_rule:1`).
        record: crate::id::RecordKey,
        /// Its name (a queue's or rule's name, an agent's login).
        name: String,
        /// `saved` or `removed`.
        change: String,
    },
    /// A case was filed into a queue or given to an agent (or both), or taken from them.
    CaseRouted {
        /// The case.
        case: CaseId,
        /// Its queue now.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        queue: Option<String>,
        /// Its owner now.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        owner: Option<String>,
        /// Why: `rule:<name>`, `queue`, `transfer`, `assign` or `escalation:<name>`.
        by: String,
    },
    /// A satisfaction survey was sent.
    SurveySent {
        /// The survey.
        survey: crate::id::SurveyId,
        /// `csat` or `nps`.
        kind: String,
    },
    /// A satisfaction survey was answered.
    SurveyAnswered {
        /// The survey.
        survey: crate::id::SurveyId,
        /// `csat` or `nps`.
        kind: String,
        /// The score.
        score: u32,
    },
    /// An escalation rule fired for a case.
    CaseEscalated {
        /// The case.
        case: CaseId,
        /// The rule.
        rule: String,
        /// What set it off (`resolution/0/warning`, `age`).
        trigger: String,
    },
    /// A new record was given an owner by an assignment rule.
    RecordAssigned {
        /// The record.
        record: crate::id::RecordKey,
        /// Its owner now (a login or `team:<name>`).
        owner: String,
        /// The rule that fired.
        rule: String,
    },
    /// A user was refused something (recorded in a transaction of its own: what was
    /// refused left nothing else behind).
    AccessRefused {
        /// The user.
        user: crate::id::UserId,
        /// Their login.
        login: String,
        /// What was refused (`read`, `edit`, `import`, …).
        operation: String,
        /// The kind of record.
        kind: String,
        /// The record, when one was named.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<u64>,
        /// Which rule refused it.
        reason: String,
    },
    /// A knowledge-base article was written, changed or changed status.
    ArticleSaved {
        /// The article.
        article: ArticleId,
        /// Its status after the change.
        status: String,
    },
}

impl DomainEvent {
    /// The event's type name (`LeadCaptured`, …), as stored in the envelope.
    pub fn event_type(&self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.get("type").and_then(|t| t.as_str()).map(str::to_string))
            .unwrap_or_default()
    }

    /// The aggregate the event belongs to: its kind and id.
    pub fn aggregate(&self) -> (EntityKind, u64) {
        use DomainEvent as E;
        match self {
            E::LeadCaptured { lead, .. }
            | E::LeadStatusChanged { lead, .. }
            | E::LeadScored { lead, .. }
            | E::LeadConverted { lead, .. }
            | E::LeadEdited { lead, .. } => (EntityKind::Lead, lead.get()),
            E::RecordsMerged { survivor, .. } => record_ref_aggregate(survivor),
            E::RecordEdited { record, .. }
            | E::RecordArchived { record }
            | E::RecordRestored { record }
            | E::RecordDeleted { record, .. }
            | E::ExternalIdLinked { record, .. }
            | E::ExternalIdUnlinked { record, .. }
            | E::ConsentGranted { record, .. }
            | E::ConsentWithdrawn { record, .. }
            | E::DoNotContactSet { record, .. }
            | E::PersonErased { record, .. } => (record.kind(), record.id()),
            E::CustomFieldDefined { field, .. }
            | E::CustomFieldRedefined { field, .. }
            | E::CustomFieldRenamed { field, .. }
            | E::CustomFieldRemoved { field, .. } => (EntityKind::CustomField, field.get()),
            E::DuplicateRulesSet { rules, .. } => (EntityKind::DuplicateRules, rules.get()),
            E::DuplicateReviewOpened { review, .. } | E::DuplicateReviewed { review, .. } => {
                (EntityKind::DuplicateReview, review.get())
            }
            E::AccountCreated { account } => (EntityKind::Account, account.get()),
            E::ContactCreated { contact, .. } | E::ContactScored { contact, .. } => {
                (EntityKind::Contact, contact.get())
            }
            E::TouchpointRecorded { touchpoint, .. } => (EntityKind::Touchpoint, touchpoint.get()),
            E::OpportunityOpened { opportunity, .. }
            | E::StageChanged { opportunity, .. }
            | E::OpportunityUpdated { opportunity }
            | E::OpportunityWon { opportunity, .. }
            | E::OpportunityLost { opportunity, .. } => {
                (EntityKind::Opportunity, opportunity.get())
            }
            E::ActivityLogged { activity, .. }
            | E::ActivityCompleted { activity }
            | E::ActivityCancelled { activity } => (EntityKind::Activity, activity.get()),
            E::PurchaseRecorded { purchase, .. } => (EntityKind::Purchase, purchase.get()),
            E::PipelineDefined { pipeline } => (EntityKind::Pipeline, pipeline.get()),
            E::WebFormDefined { form } => (EntityKind::WebForm, form.get()),
            E::ExchangeRateSet { rate_id, .. } => (EntityKind::ExchangeRate, rate_id.get()),
            E::ProductDefined { product, .. } => (EntityKind::Product, product.get()),
            E::PriceBookDefined { price_book } => (EntityKind::PriceBook, price_book.get()),
            E::QuoteCreated { quote, .. } | E::QuoteStatusChanged { quote, .. } => {
                (EntityKind::Quote, quote.get())
            }
            E::SalesOrderCreated { order, .. } | E::SalesOrderStatusChanged { order, .. } => {
                (EntityKind::SalesOrder, order.get())
            }
            E::DeliveryQueued { delivery, .. } | E::DeliveryChanged { delivery, .. } => {
                (EntityKind::Delivery, delivery.get())
            }
            E::CalendarDefined { calendar, .. } => (EntityKind::Calendar, calendar.get()),
            E::SlaPolicyDefined { policy, .. } => (EntityKind::SlaPolicy, policy.get()),
            E::AssetRegistered { asset, .. } | E::AssetStatusChanged { asset, .. } => {
                (EntityKind::Asset, asset.get())
            }
            E::WarrantyAdded { warranty, .. } => (EntityKind::Warranty, warranty.get()),
            E::ContractCreated { contract, .. }
            | E::ContractCancelled { contract }
            | E::ContractRenewalOpened { contract, .. } => (EntityKind::Contract, contract.get()),
            E::CaseOpened { case, .. }
            | E::CaseStatusChanged { case, .. }
            | E::CasePriorityChanged { case, .. }
            | E::CaseCommented { case, .. }
            | E::SlaWarning { case, .. }
            | E::SlaBreached { case, .. } => (EntityKind::Case, case.get()),
            E::TechnicianDefined { technician } => (EntityKind::Technician, technician.get()),
            E::ServiceOrderCreated { order, .. }
            | E::ServiceOrderScheduled { order, .. }
            | E::ServiceOrderCompleted { order, .. }
            | E::ServiceOrderCancelled { order } => (EntityKind::ServiceOrder, order.get()),
            E::MaintenancePlanDefined { plan, .. } => (EntityKind::MaintenancePlan, plan.get()),
            E::ArticleSaved { article, .. } => (EntityKind::Article, article.get()),
            E::CampaignCreated { campaign, .. } | E::CampaignUpdated { campaign, .. } => {
                (EntityKind::Campaign, campaign.get())
            }
            E::SegmentEvaluated { segment, .. } => (EntityKind::Segment, segment.get()),
            E::MarketingPlanDefined { plan } => (EntityKind::MarketingPlan, plan.get()),
            E::AutomationRuleDefined { rule } => (EntityKind::AutomationRule, rule.get()),
            E::SurveySent { survey, .. } | E::SurveyAnswered { survey, .. } => {
                (EntityKind::Survey, survey.get())
            }
            E::CaseRouted { case, .. } | E::CaseEscalated { case, .. } => {
                (EntityKind::Case, case.get())
            }
            E::AccessChanged { record, .. }
            | E::RecordAssigned { record, .. }
            | E::DeskConfigured { record, .. } => (record.kind(), record.id()),
            E::AccessRefused { user, .. } => (EntityKind::User, user.get()),
        }
    }

    /// The envelope to append for this event, at `at`.
    ///
    /// # Errors
    /// [`Error::Storage`] if the event cannot be encoded (it always can for these types).
    pub fn to_new_event(&self, at: DateTime<Utc>) -> Result<NewEvent> {
        let payload = serde_json::to_value(self).map_err(Error::storage)?;
        let event_type = payload
            .get("type")
            .and_then(|t| t.as_str())
            .unwrap_or_default()
            .to_string();
        let (aggregate, aggregate_id) = self.aggregate();
        Ok(NewEvent {
            aggregate,
            aggregate_id,
            event_type,
            event_version: EVENT_VERSION,
            payload,
            at,
            actor: crate::actor::Actor::host(),
        })
    }
}

pub(crate) fn record_ref_aggregate(r: &RecordRef) -> (EntityKind, u64) {
    r.entity()
}

/// An event about to be appended (the store assigns its sequence).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewEvent {
    /// The kind of aggregate.
    pub aggregate: EntityKind,
    /// The aggregate's id.
    pub aggregate_id: u64,
    /// The event type name.
    pub event_type: String,
    /// The payload format version.
    pub event_version: u32,
    /// The payload.
    pub payload: serde_json::Value,
    /// When it happened.
    #[serde(with = "crate::time::rfc3339")]
    pub at: DateTime<Utc>,
    /// Who did it.
    #[serde(default)]
    pub actor: crate::actor::Actor,
}

/// An event as stored in the log.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventEnvelope {
    /// Position in the log: 1, 2, 3… with no gaps within one store.
    pub sequence: u64,
    /// The kind of aggregate.
    pub aggregate: EntityKind,
    /// The aggregate's id.
    pub aggregate_id: u64,
    /// The event type name.
    pub event_type: String,
    /// The payload format version.
    pub event_version: u32,
    /// The payload: the JSON of a [`DomainEvent`].
    pub payload: serde_json::Value,
    /// When it happened.
    #[serde(with = "crate::time::rfc3339")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::DateTime<chrono::Utc>"))]
    pub at: DateTime<Utc>,
    /// Who did it: `user:<id>` or `system:<name>` (`system:host` when the handle that
    /// wrote it was not given an actor).
    #[serde(default)]
    pub actor: crate::actor::Actor,
}

/// An event as a store keeps it in its columns: the kind, payload, instant and actor as
/// text. [`StoredEvent::decode`] is the one way every store reads a row back.
#[derive(Debug, Clone, Copy)]
pub struct StoredEvent<'a> {
    /// Position in the log.
    pub sequence: u64,
    /// The kind of aggregate ([`EntityKind::as_str`]).
    pub aggregate: &'a str,
    /// The aggregate's id.
    pub aggregate_id: u64,
    /// The event type name.
    pub event_type: &'a str,
    /// The payload format version.
    pub event_version: u32,
    /// The payload's JSON.
    pub payload: &'a str,
    /// When it happened (RFC 3339).
    pub at: &'a str,
    /// Who did it ([`crate::actor::Actor`]'s text).
    pub actor: &'a str,
}

impl StoredEvent<'_> {
    /// The envelope the row holds.
    ///
    /// # Errors
    /// [`Error::Corrupt`] naming the event when a column does not read back.
    pub fn decode(&self) -> Result<EventEnvelope> {
        let corrupt = |message: String| Error::Corrupt {
            kind: "event".into(),
            id: self.sequence,
            message,
        };
        Ok(EventEnvelope {
            sequence: self.sequence,
            aggregate: self
                .aggregate
                .parse()
                .map_err(|e: Error| corrupt(e.to_string()))?,
            aggregate_id: self.aggregate_id,
            event_type: self.event_type.to_string(),
            event_version: self.event_version,
            payload: serde_json::from_str(self.payload).map_err(|e| corrupt(e.to_string()))?,
            at: DateTime::parse_from_rfc3339(self.at)
                .map(|d| d.with_timezone(&Utc))
                .map_err(|_| corrupt(format!("bad instant {:?}", self.at)))?,
            actor: self
                .actor
                .parse()
                .map_err(|e: Error| corrupt(e.to_string()))?,
        })
    }
}

impl EventEnvelope {
    /// The envelope `event` becomes at `sequence`.
    pub fn from_new(sequence: u64, event: &NewEvent) -> Self {
        EventEnvelope {
            sequence,
            aggregate: event.aggregate,
            aggregate_id: event.aggregate_id,
            event_type: event.event_type.clone(),
            event_version: event.event_version,
            payload: event.payload.clone(),
            at: event.at,
            actor: event.actor.clone(),
        }
    }

    /// The typed event.
    ///
    /// # Errors
    /// [`Error::UnsupportedVersion`] for payloads newer than this build;
    /// [`Error::Corrupt`] when the payload does not decode.
    pub fn decode(&self) -> Result<DomainEvent> {
        if self.event_version > EVENT_VERSION {
            return Err(Error::UnsupportedVersion {
                what: "event".into(),
                found: self.event_version,
                supported: EVENT_VERSION,
            });
        }
        serde_json::from_value(self.payload.clone()).map_err(|e| Error::Corrupt {
            kind: "event".into(),
            id: self.sequence,
            message: e.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelopes_round_trip() {
        let ev = DomainEvent::LeadStatusChanged {
            lead: LeadId::new(4).unwrap(),
            from: "new".into(),
            to: "working".into(),
            reason: None,
        };
        let at = DateTime::<Utc>::UNIX_EPOCH;
        let new = ev.to_new_event(at).unwrap();
        assert_eq!(new.event_type, "LeadStatusChanged");
        assert_eq!((new.aggregate, new.aggregate_id), (EntityKind::Lead, 4));
        let env = EventEnvelope::from_new(1, &new);
        assert_eq!(env.decode().unwrap(), ev);
        let future = EventEnvelope {
            event_version: EVENT_VERSION + 1,
            ..env
        };
        assert_eq!(future.decode().unwrap_err().code(), "unsupported_version");
    }
}
