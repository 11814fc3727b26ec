# Rendered from crm-core's schema by crm-py (src/stubs.rs); do not edit.
# Regenerate: CRM_WRITE_GENERATED=1 pytest crm-py/tests/test_stubs.py
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, Dict, Iterable, List, Literal, NamedTuple, Optional, Tuple, Union

# The id of a stored `lead` (from 1).
LeadId = int
# The optimistic-concurrency version of a stored record (1 after its first write).
Version = int
LeadSource = Union[LeadSourceManual, LeadSourceWebForm, LeadSourceCsvImport, LeadSourceApi]
# The id of a stored `web form` (from 1).
WebFormId = int
# An e-mail address, checked and normalised (`ada@example.com`).
Email = str
# A phone number, stored in E.164 form (`+493012345678`).
Phone = str
# Age band, for demographics reports and scoring.
AgeBand = Literal["18-24", "25-34", "35-44", "45-54", "55-64", "65+"]
# Gender as the person stated it.
Gender = Literal["female", "male", "other", "undisclosed"]
# Household income band.
IncomeBand = Literal["low", "lower_middle", "middle", "upper_middle", "high"]
# How promising a lead looks.
Rating = Literal["hot", "warm", "cold"]
LeadStatus = Union[LeadStatusNew, LeadStatusWorking, LeadStatusQualified, LeadStatusConverted, LeadStatusDisqualified]
SpamSignal = Union[SpamSignalDisposableEmail, SpamSignalLinkInName, SpamSignalLinkStuffedText, SpamSignalGibberishName, SpamSignalSubmittedTooFast]
# The id of a stored `account` (from 1).
AccountId = int
# The id of a stored `contact` (from 1).
ContactId = int
# The id of a stored `opportunity` (from 1).
OpportunityId = int
RecordRef = Union[RecordRefLead, RecordRefContact, RecordRefAccount, RecordRefOpportunity, RecordRefServiceCase]
# The id of a stored `case` (from 1).
CaseId = int
MatchReason = Union[MatchReasonSameEmail, MatchReasonSamePhone, MatchReasonSimilarName]
# A lead field (`email`, `company`, `custom:industry`).
LeadField = str
# A two-letter region code (`DE`, `US`), the default for phone numbers.
Region = str
# How a person is reached.
Channel = Literal["email", "sms", "phone", "post"]
# What a person is contacted for.
Purpose = Literal["marketing", "newsletter", "service"]
# A lead status without its details (a disqualification's reason): what a listing by
LeadStatusKind = Literal["new", "working", "qualified", "converted", "disqualified"]
# How the bytes of the file are to be read as text.
TextEncoding = Literal["utf8", "latin1"]
# What to do with a row that duplicates a stored lead or contact (or an earlier row).
DuplicatePolicy = Literal["skip", "keep"]
LinkChoiceAccountId = Union[LinkChoiceAccountIdAuto, LinkChoiceAccountIdExisting, LinkChoiceAccountIdNew]
LinkChoiceContactId = Union[LinkChoiceContactIdAuto, LinkChoiceContactIdExisting, LinkChoiceContactIdNew]
# The id of a stored `pipeline` (from 1).
PipelineId = int
# An ISO 4217 currency code (`EUR`).
Currency = str
# What kind of phone a number is.
PhoneKind = Literal["work", "mobile", "home", "other"]
# Whether a stage is still open, or closes the deal as won or lost.
StageKind = Literal["open", "won", "lost"]
# A percentage from 0 to 100, as decimal text (`12.5`).
Percent = Decimal
# Where an opportunity's probability comes from.
ProbabilitySource = Literal["stage", "manual", "model"]
TouchpointKind = Union[TouchpointKindAdClick, TouchpointKindAffiliateClick, TouchpointKindEmailOpen, TouchpointKindEmailClick, TouchpointKindFormSubmission, TouchpointKindWebVisit, TouchpointKindOnSiteVisit, TouchpointKindPhoneCall]
# Direction of a phone call.
CallDirection = Literal["inbound", "outbound"]
# The id of a stored `touchpoint` (from 1).
TouchpointId = int
# The id of a stored `purchase` (from 1).
PurchaseId = int
# The id of a stored `sales order` (from 1).
SalesOrderId = int
# A record of any kind, written kind:id (`lead:42`).
RecordKey = str
# What kind of activity.
ActivityKind = Literal["call", "meeting", "email", "task"]
Attendee = Union[AttendeeContact, AttendeeLead, AttendeeUser]
# The id of a stored `activity` (from 1).
ActivityId = int
# The id of a stored `exchange rate` (from 1).
ExchangeRateId = int
# How the forecast groups dates.
Period = Literal["month", "quarter", "year"]
# How many options of a group can be chosen.
Choice = Literal["single", "multiple"]
Constraint = Union[ConstraintRequires, ConstraintExcludes]
# The id of a stored `product` (from 1).
ProductId = int
# The id of a stored `price book` (from 1).
PriceBookId = int
Discount = Union[DiscountNone, DiscountPercent, DiscountAmount]
# The tax rates known to a document, by code.
TaxTable = List[TaxRate]
# How a value exactly halfway between two representable values is rounded.
RoundingMode = Literal["half_even", "half_up"]
# Where amounts are rounded.
RoundingStrategy = Literal["per_line", "global"]
# The id of a stored `quote` (from 1).
QuoteId = int
# Where a quote is in its life.
QuoteStatus = Literal["draft", "sent", "accepted", "rejected", "expired"]
# Where a sales order stands with the ERP.
SalesOrderStatus = Literal["open", "sent", "acknowledged", "partly_fulfilled", "fulfilled", "cancelled"]
# The id of a stored `asset` (from 1).
AssetId = int
# Where an asset is in its life.
AssetStatus = Literal["active", "in_repair", "retired"]
# The id of a stored `warranty` (from 1).
WarrantyId = int
# The id of a stored `calendar` (from 1).
CalendarId = int
# How urgent a case is (ordered: low < normal < high < urgent).
CasePriority = Literal["low", "normal", "high", "urgent"]
# What kind of case it is.
CaseCategory = Literal["complaint", "question", "incident", "request"]
# How a case reached the desk.
CaseChannel = Literal["phone", "email", "web", "chat", "on_site"]
# The id of a stored `contract` (from 1).
ContractId = int
# What an SLA measures.
SlaMetric = Literal["first_response", "next_response", "resolution"]
SlaTrigger = Union[SlaTriggerOpened, SlaTriggerAgentReply, SlaTriggerCustomerReply, SlaTriggerStatus]
# Where a case is in its lifecycle.
CaseStatus = Literal["new", "open", "pending_customer", "on_hold", "resolved", "closed", "reopened"]
# The id of a stored `SLA policy` (from 1).
SlaPolicyId = int
# A service case's number (`CASE-000042`).
CaseNumber = str
CaseHistoryEntry = Union[CaseHistoryEntryOpened, CaseHistoryEntryStatus, CaseHistoryEntryPriority, CaseHistoryEntryComment, CaseHistoryEntryRouted, CaseHistoryEntryEscalated, CaseHistoryEntrySlaBreached]
# Who wrote a comment.
CommentAuthor = Literal["agent", "customer"]
# Where a metric or a case stands (ordered by how much attention it needs).
SlaState = Literal["inactive", "met", "paused", "on_track", "warning", "breached"]
# The id of a stored `technician` (from 1).
TechnicianId = int
# The id of a stored `service order` (from 1).
ServiceOrderId = int
# The id of a stored `maintenance plan` (from 1).
MaintenancePlanId = int
# Where a service order is.
ServiceOrderStatus = Literal["open", "scheduled", "completed", "cancelled"]
Unplaced = Union[UnplacedNoQualifiedTechnician, UnplacedNoFreeSlot]
# The unit of a maintenance recurrence.
RecurrenceUnit = Literal["days", "weeks", "months"]
# Where an article is in its life.
ArticleStatus = Literal["draft", "published", "archived"]
# The id of a stored `article` (from 1).
ArticleId = int
# Where a contract stands on a day.
ContractState = Literal["upcoming", "in_force", "ended", "cancelled"]
# How a queue gives its cases out.
QueueStrategy = Literal["round_robin", "least_loaded", "manual"]
# The id of a stored `queue` (from 1).
QueueId = int
# The id of a stored `agent` (from 1).
AgentId = int
RouteCondition = Union[RouteConditionChannel, RouteConditionCategory, RouteConditionPriority, RouteConditionProduct, RouteConditionAccountTier, RouteConditionLanguage, RouteConditionKeywords, RouteConditionEntitled, RouteConditionField]
# How a condition compares.
Op = Literal["eq", "ne", "lt", "le", "gt", "ge", "contains", "starts_with", "in", "exists"]
# The id of a stored `routing rule` (from 1).
RoutingRuleId = int
EscalationTrigger = Union[EscalationTriggerSla, EscalationTriggerAge]
# How far an SLA target has gone.
AlertLevel = Literal["warning", "breached"]
EscalationAction = Union[EscalationActionTransfer, EscalationActionAssign, EscalationActionRaisePriority, EscalationActionNotify, EscalationActionOpenTask]
# The id of a stored `escalation rule` (from 1).
EscalationRuleId = int
# The id of a stored `survey` (from 1).
SurveyId = int
# What a survey asks.
SurveyKind = Literal["csat", "nps"]
# What CSAT answers are grouped by.
SatisfactionBy = Literal["agent", "queue", "product"]
# How a campaign reaches people.
CampaignChannel = Literal["email", "paid_search", "social", "display", "affiliate", "event", "direct_mail", "phone"]
# The id of a stored `campaign` (from 1).
CampaignId = int
# Where a campaign is.
CampaignStatus = Literal["planned", "active", "completed", "cancelled"]
# The id of a stored `consent` (from 1).
ConsentId = int
# How far a campaign member went, in order.
Response = Literal["sent", "opened", "clicked", "responded", "converted"]
# What a segment's members are.
SegmentSubject = Literal["leads", "contacts"]
Predicate = Union[PredicateAll, PredicateAny, PredicateNot, PredicateEquals, PredicateOneOf, PredicateContains, PredicateExists, PredicateAtLeast, PredicateAtMost, PredicatePurchased, PredicateNotPurchased, PredicateEngaged, PredicateScoreAtLeast]
# The id of a stored `segment` (from 1).
SegmentId = int
# The id of a stored `marketing plan` (from 1).
MarketingPlanId = int
AttributionModel = Union[AttributionModelFirstTouch, AttributionModelLastTouch, AttributionModelLinear, AttributionModelTimeDecay, AttributionModelPositionBased]
Trigger = Union[TriggerEvent, TriggerQuoteExpiring]
Condition = Union[ConditionFieldEquals, ConditionPayloadEquals, ConditionScoreAtLeast]
Action = Union[ActionSendEmail, ActionCreateTask, ActionAssignRoundRobin, ActionAssignByTerritory, ActionSetRating, ActionAddToCampaign, ActionAddToSegment, ActionWait]
# What to do when missing merge fields are met.
MissingFields = Literal["blank", "skip"]
# The id of a stored `automation rule` (from 1).
AutomationRuleId = int
# The id of a stored `automation action` (from 1).
AutomationActionId = int
Planned = Union[PlannedSendEmail, PlannedCreateTask, PlannedAssignOwner, PlannedSetRating, PlannedAddToCampaign, PlannedAddToSegment, PlannedWait, PlannedSkipped]
# Where a stored action is.
ActionStatus = Literal["pending", "waiting", "done", "failed", "skipped"]
Feature = Union[FeatureScore, FeatureCustomNumber, FeaturePresent, FeatureOneHot, FeatureEngagement, FeatureTouchCount, FeatureDaysSinceLastTouch, FeaturePurchaseCount, FeatureDaysSinceLastPurchase, FeatureDaysSinceFirstPurchase, FeaturePurchases, FeatureSpend, FeatureBought, FeatureCases, FeatureSlaBreaches, FeatureActiveContracts, FeatureEndedContracts, FeatureColumn]
Attribute = Union[AttributeJobTitle, AttributeCompany, AttributeCountry, AttributeEmailDomain, AttributeEmailKind, AttributeSource, AttributeCampaign, AttributeAd, AttributeUtmSource, AttributeUtmMedium, AttributeAffiliate, AttributeAgeBand, AttributeGender, AttributeIncomeBand, AttributeCustom]
# What a model scores.
ModelSubject = Literal["leads", "customers"]
CustomerTarget = Union[CustomerTargetBuys, CustomerTargetChurn, CustomerTargetValue]
Model = Union[ModelLogistic, ModelNaiveBayes, ModelRules, ModelValue]
# The kinds of record a store keeps.
EntityKind = Literal["lead", "account", "contact", "touchpoint", "activity", "purchase", "opportunity", "pipeline", "web_form", "exchange_rate", "product", "price_book", "quote", "sales_order", "service_case", "asset", "warranty", "contract", "technician", "service_order", "maintenance_plan", "article", "calendar", "sla_policy", "campaign", "segment", "marketing_plan", "automation_rule", "automation_action", "automation_state", "external_link", "consent", "do_not_contact", "unsubscribe_token", "custom_field", "duplicate_rules", "duplicate_review", "user", "team", "role", "permission_set", "sharing_rule", "share", "org_default", "assignment_rule", "delivery", "queue", "service_agent", "routing_rule", "escalation_rule", "survey"]
# Who made a change: `user:<id>` or `system:<name>`.
Actor = str
# The id of a stored `delivery` (from 1).
DeliveryId = int
# Where a delivery stands.
DeliveryStatus = Literal["pending", "in_flight", "delivered", "dead", "cancelled"]
OnDependants = Union[OnDependantsRefuse, OnDependantsCascade, OnDependantsRepoint]
# The id of a stored `external link` (from 1).
ExternalLinkId = int
# The shape of an export.
ExportFormat = Literal["csv", "json_lines", "parquet"]
# The shape of an import file.
ImportFormat = Literal["csv", "json_lines"]
Person = Union[PersonLead, PersonContact, PersonEmail]
# Where a review stands.
ReviewStatus = Literal["open", "merged", "not_duplicate"]
# The id of a stored `duplicate review` (from 1).
DuplicateReviewId = int
Resolution = Union[ResolutionMerge, ResolutionNotDuplicate]
FieldType = Union[FieldTypeText, FieldTypeNumber, FieldTypeDecimal, FieldTypeMoney, FieldTypeDate, FieldTypeInstant, FieldTypeBoolean, FieldTypePicklist, FieldTypeMultiPicklist, FieldTypeEmail, FieldTypePhone, FieldTypeUrl]
# The id of a stored `custom field` (from 1).
CustomFieldId = int
# The id of a stored `user` (from 1).
UserId = int
# The id of a stored `team` (from 1).
TeamId = int
# How a field is restricted for a role.
FieldAccess = Literal["hidden", "read_only"]
# The id of a stored `role` (from 1).
RoleId = int
# A permission beyond records of one kind.
SystemPermission = Literal["import", "erase_personal_data", "manage_users", "manage_sharing", "manage_custom_fields", "run_automation", "view_audit"]
# The id of a stored `permission set` (from 1).
PermissionSetId = int
# The organisation-wide default of a kind: what everybody may do with a record nobody
OrgDefault = Literal["private", "public_read", "public_read_write"]
# The id of a stored `org default` (from 1).
OrgDefaultId = int
GranteeRef = Union[GranteeRefUser, GranteeRefTeam, GranteeRefRole, GranteeRefRoleAndBelow]
# What a share or a sharing rule grants.
ShareAccess = Literal["read", "edit"]
# The id of a stored `sharing rule` (from 1).
SharingRuleId = int
# The id of a stored `share` (from 1).
ShareId = int
Assignee = Union[AssigneeUser, AssigneeTeam, AssigneeRoundRobin, AssigneeLeastLoaded]
# The id of a stored `assignment rule` (from 1).
AssignmentRuleId = int
# How far a user may go with one record, weakest first.
Level = Literal["none", "read", "edit", "full"]

class LeadInput(NamedTuple):
    """Raw lead input: text per field, as typed, posted or imported. Parse it with
    `LeadInput::parse`.
    """
    values: Dict[str, str]

class Captured(NamedTuple):
    """A captured lead and the existing records it may duplicate.
    """
    lead: Lead
    duplicates: List[DuplicateMatch]

class Lead(NamedTuple):
    """A lead as stored.
    """
    id: LeadId
    version: Version
    created_at: datetime
    updated_at: datetime
    source: LeadSource
    data: LeadData
    status: LeadStatus
    score: Optional[float] = ...
    spam_signals: List[SpamSignal] = ...
    conversion: Optional[ConversionLinks] = ...
    qualified_at: Optional[datetime] = ...

class LeadSourceManual(NamedTuple):
    """Typed in by a person.
    """
    kind: Literal["manual"] = "manual"

class LeadSourceWebForm(NamedTuple):
    """Posted through a web form.
    """
    form: WebFormId
    kind: Literal["web_form"] = "web_form"

class LeadSourceCsvImport(NamedTuple):
    """Imported from a CSV file.
    """
    batch: str
    row: int
    kind: Literal["csv_import"] = "csv_import"

class LeadSourceApi(NamedTuple):
    """Created through the host's API.
    """
    kind: Literal["api"] = "api"

class LeadData(NamedTuple):
    """What a lead tells about the prospect, parsed.
    """
    first_name: Optional[str] = ...
    last_name: Optional[str] = ...
    company: Optional[str] = ...
    job_title: Optional[str] = ...
    email: Optional[Email] = ...
    phone: Optional[Phone] = ...
    website: Optional[str] = ...
    address: Address = ...
    demographics: Demographics = ...
    attribution: Attribution = ...
    owner: Optional[str] = ...
    description: Optional[str] = ...
    rating: Optional[Rating] = ...
    custom: Dict[str, Any] = ...

class Address(NamedTuple):
    """A postal address; every part optional, as forms and imports deliver them.
    """
    street: Optional[str] = ...
    city: Optional[str] = ...
    postal_code: Optional[str] = ...
    region: Optional[str] = ...
    country: Optional[str] = ...

class Demographics(NamedTuple):
    """Optional demographics of a person (used by reports and scoring).
    """
    age_band: Optional[AgeBand] = ...
    gender: Optional[Gender] = ...
    income_band: Optional[IncomeBand] = ...

class Attribution(NamedTuple):
    """Which campaign, ad or affiliate brought the lead, with the UTM fields of its landing URL.
    """
    campaign: Optional[str] = ...
    ad: Optional[str] = ...
    affiliate: Optional[str] = ...
    utm_source: Optional[str] = ...
    utm_medium: Optional[str] = ...
    utm_campaign: Optional[str] = ...
    utm_term: Optional[str] = ...
    utm_content: Optional[str] = ...

class LeadStatusNew(NamedTuple):
    """Just captured, nobody worked it yet.
    """
    kind: Literal["new"] = "new"

class LeadStatusWorking(NamedTuple):
    """A rep is working it.
    """
    kind: Literal["working"] = "working"

class LeadStatusQualified(NamedTuple):
    """Judged worth converting.
    """
    kind: Literal["qualified"] = "qualified"

class LeadStatusConverted(NamedTuple):
    """Converted into account, contact and maybe an opportunity; final.
    """
    kind: Literal["converted"] = "converted"

class LeadStatusDisqualified(NamedTuple):
    """Not worth pursuing, for a reason.
    """
    reason: str
    kind: Literal["disqualified"] = "disqualified"

class SpamSignalDisposableEmail(NamedTuple):
    """The e-mail domain is a known disposable-mail service.
    """
    signal: Literal["disposable_email"] = "disposable_email"

class SpamSignalLinkInName(NamedTuple):
    """A name field contains a URL or markup.
    """
    signal: Literal["link_in_name"] = "link_in_name"

class SpamSignalLinkStuffedText(NamedTuple):
    """The description is mostly links.
    """
    signal: Literal["link_stuffed_text"] = "link_stuffed_text"

class SpamSignalGibberishName(NamedTuple):
    """A name has no vowels or repeats one character (keyboard mashing).
    """
    signal: Literal["gibberish_name"] = "gibberish_name"

class SpamSignalSubmittedTooFast(NamedTuple):
    """The form was submitted faster than a person types.
    """
    seconds: int
    signal: Literal["submitted_too_fast"] = "submitted_too_fast"

class ConversionLinks(NamedTuple):
    """What a converted lead became.
    """
    account: AccountId
    contact: ContactId
    at: datetime
    opportunity: Optional[OpportunityId] = ...

class DuplicateMatch(NamedTuple):
    """An existing record that an input may duplicate.
    """
    record: RecordRef
    reason: MatchReason
    possible: bool

class RecordRefLead(NamedTuple):
    """A lead.
    """
    id: LeadId
    kind: Literal["lead"] = "lead"

class RecordRefContact(NamedTuple):
    """A contact.
    """
    id: ContactId
    kind: Literal["contact"] = "contact"

class RecordRefAccount(NamedTuple):
    """An account.
    """
    id: AccountId
    kind: Literal["account"] = "account"

class RecordRefOpportunity(NamedTuple):
    """An opportunity.
    """
    id: OpportunityId
    kind: Literal["opportunity"] = "opportunity"

class RecordRefServiceCase(NamedTuple):
    """A service case.
    """
    id: CaseId
    kind: Literal["service_case"] = "service_case"

class MatchReasonSameEmail(NamedTuple):
    """Same mailbox.
    """
    reason: Literal["same_email"] = "same_email"

class MatchReasonSamePhone(NamedTuple):
    """Same phone number.
    """
    reason: Literal["same_phone"] = "same_phone"

class MatchReasonSimilarName(NamedTuple):
    """Similar name and company.
    """
    similarity: float
    reason: Literal["similar_name"] = "similar_name"

class WebFormSpec(NamedTuple):
    """A form definition before it is stored.
    """
    name: str
    fields: List[FormField]
    resubmission_window_secs: int
    default_region: Region
    honeypot: Optional[str] = ...
    min_fill_secs: Optional[int] = ...
    defaults: Dict[str, str] = ...
    consents: List[FormConsent] = ...

class FormField(NamedTuple):
    """One field of a form.
    """
    name: str
    maps_to: LeadField
    required: bool

class FormConsent(NamedTuple):
    """A consent checkbox of a web form.
    """
    field: str
    channel: Channel
    purpose: Purpose
    text: Optional[str] = ...

class WebForm(NamedTuple):
    """A web form's definition, as stored.
    """
    id: WebFormId
    version: Version
    name: str
    fields: List[FormField]
    resubmission_window_secs: int
    default_region: Region
    honeypot: Optional[str] = ...
    min_fill_secs: Optional[int] = ...
    defaults: Dict[str, str] = ...
    consents: List[FormConsent] = ...

class Submission(NamedTuple):
    """One posted form.
    """
    fields: Dict[str, str]
    submitted_at: datetime
    rendered_at: Optional[datetime] = ...
    ip: Optional[str] = ...

class LeadDataPatch(NamedTuple):
    """An edit of a LeadData: the fields it changes (null clears one); a field not named is kept.
    """
    first_name: Optional[Optional[str]] = ...
    last_name: Optional[Optional[str]] = ...
    company: Optional[Optional[str]] = ...
    job_title: Optional[Optional[str]] = ...
    email: Optional[Optional[Email]] = ...
    phone: Optional[Optional[Phone]] = ...
    website: Optional[Optional[str]] = ...
    address: Optional[Address] = ...
    demographics: Optional[Demographics] = ...
    attribution: Optional[Attribution] = ...
    owner: Optional[Optional[str]] = ...
    description: Optional[Optional[str]] = ...
    rating: Optional[Optional[Rating]] = ...
    custom: Optional[Dict[str, Any]] = ...

class CsvMapping(NamedTuple):
    """How a CSV file maps onto leads.
    """
    guess_others: bool
    default_region: Region
    delimiter: int
    encoding: TextEncoding
    columns: List[Tuple[str, LeadField]] = ...

class ImportOptions(NamedTuple):
    """How to import.
    """
    batch_label: str
    batch_size: int
    duplicates: DuplicatePolicy
    max_reported: int

class ImportReport(NamedTuple):
    """The outcome of an import.
    """
    progress: ImportProgress
    errors: List[RowError]
    duplicates: List[DuplicateRow]
    first_lead: Optional[LeadId] = ...
    last_lead: Optional[LeadId] = ...

class ImportProgress(NamedTuple):
    """Where an import stands; passed to the progress callback after every batch.
    """
    rows_read: int
    imported: int
    invalid: int
    duplicates: int

class RowError(NamedTuple):
    """One problem with one row of an import.
    """
    row: int
    reason: str
    column: Optional[str] = ...

class DuplicateRow(NamedTuple):
    """A row left out as a duplicate.
    """
    row: int
    matches: List[DuplicateMatch]

class ConvertOptions(NamedTuple):
    """How to convert.
    """
    account: LinkChoiceAccountId
    contact: LinkChoiceContactId
    opportunity: Optional[OpportunityDraft] = ...

class LinkChoiceAccountIdAuto(NamedTuple):
    """Link to the matching record when one is found, else create one.
    """
    choice: Literal["auto"] = "auto"

class LinkChoiceAccountIdExisting(NamedTuple):
    """Link to this record.
    """
    id: AccountId
    choice: Literal["existing"] = "existing"

class LinkChoiceAccountIdNew(NamedTuple):
    """Always create a new record.
    """
    choice: Literal["new"] = "new"

class LinkChoiceContactIdAuto(NamedTuple):
    """Link to the matching record when one is found, else create one.
    """
    choice: Literal["auto"] = "auto"

class LinkChoiceContactIdExisting(NamedTuple):
    """Link to this record.
    """
    id: ContactId
    choice: Literal["existing"] = "existing"

class LinkChoiceContactIdNew(NamedTuple):
    """Always create a new record.
    """
    choice: Literal["new"] = "new"

class OpportunityDraft(NamedTuple):
    """The opportunity to open on conversion.
    """
    pipeline: PipelineId
    amount: Money
    expected_close: date
    name: Optional[str] = ...
    stage: Optional[str] = ...
    products: List[str] = ...

class Money(NamedTuple):
    """An exact amount of one currency.
    """
    amount: Decimal
    currency: Currency

class Conversion(NamedTuple):
    """What a conversion did.
    """
    lead: Lead
    account: Account
    account_created: bool
    contact: Contact
    contact_created: bool
    moved_touchpoints: int
    moved_activities: int
    opportunity: Optional[Opportunity] = ...

class Account(NamedTuple):
    """A company we sell to.
    """
    id: AccountId
    version: Version
    name: str
    created_at: datetime
    updated_at: datetime
    domain: Optional[str] = ...
    phone: Optional[Phone] = ...
    address: Address = ...
    industry: Optional[str] = ...
    owner: Optional[str] = ...
    tier: Optional[str] = ...
    custom: Dict[str, Any] = ...

class Contact(NamedTuple):
    """A person at an account (or on their own).
    """
    id: ContactId
    version: Version
    created_at: datetime
    updated_at: datetime
    account: Optional[AccountId] = ...
    first_name: Optional[str] = ...
    last_name: Optional[str] = ...
    job_title: Optional[str] = ...
    email: Optional[Email] = ...
    phones: List[ContactPhone] = ...
    addresses: List[Address] = ...
    best_time_to_call: Optional[BestTimeToCall] = ...
    demographics: Demographics = ...
    owner: Optional[str] = ...
    from_leads: List[LeadId] = ...
    custom: Dict[str, Any] = ...
    predictions: Dict[str, float] = ...

class ContactPhone(NamedTuple):
    """A contact's phone number with its kind.
    """
    kind: PhoneKind
    number: Phone

class BestTimeToCall(NamedTuple):
    """When a contact likes to be called: weekly windows in the contact's time zone.
    """
    time_zone: str
    windows: List[CallWindow]

class CallWindow(NamedTuple):
    """One weekly window in which a contact likes to be called.
    """
    weekday: Literal["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    start: time
    end: time

class Opportunity(NamedTuple):
    """A deal being worked.
    """
    id: OpportunityId
    version: Version
    name: str
    account: AccountId
    pipeline: PipelineId
    stage: str
    state: StageKind
    amount: Money
    expected_close: date
    probability: Percent
    probability_source: ProbabilitySource
    history: List[StageChange]
    created_at: datetime
    updated_at: datetime
    contact: Optional[ContactId] = ...
    owner: Optional[str] = ...
    source_lead: Optional[LeadId] = ...
    source: Optional[str] = ...
    products: List[str] = ...
    key_players: List[KeyPlayer] = ...
    budget: Optional[Money] = ...
    total_spending: Optional[Money] = ...
    competitors: List[Competitor] = ...
    line_items: List[LineItem] = ...
    lost_reason: Optional[str] = ...
    closed_at: Optional[datetime] = ...
    custom: Dict[str, Any] = ...

class KeyPlayer(NamedTuple):
    """A contact's role in a deal.
    """
    contact: ContactId
    role: str

class Competitor(NamedTuple):
    """Another company bidding for a deal.
    """
    name: str
    notes: Optional[str] = ...

class LineItem(NamedTuple):
    """A catalog product priced into a deal from a price book.
    """
    sku: str
    name: str
    quantity: Decimal
    list_price: Money
    discount: Percent
    net: Money

class StageChange(NamedTuple):
    """One entry of an opportunity's stage history: the values after a change and before it.
    """
    at: datetime
    stage: str
    amount: Money
    probability: Percent
    expected_close: date
    previous_stage: Optional[str] = ...
    previous_amount: Optional[Money] = ...
    previous_probability: Optional[Percent] = ...
    previous_close: Optional[date] = ...

class MergeChoices(NamedTuple):
    """Which fields take the merged record's value.
    """
    take_from_merged: List[str] = ...

class MergedLead(NamedTuple):
    """A merge of two leads, as the API surface returns it (a concrete record every binding
    can name).
    """
    survivor: Lead
    repointed: int

class NewTouchpoint(NamedTuple):
    """A touch to record: everything but the id.
    """
    subject: RecordRef
    at: datetime
    kind: TouchpointKind
    attribution: Attribution = ...

class TouchpointKindAdClick(NamedTuple):
    """Clicked an ad.
    """
    kind: Literal["ad_click"] = "ad_click"

class TouchpointKindAffiliateClick(NamedTuple):
    """Clicked an affiliate's link.
    """
    kind: Literal["affiliate_click"] = "affiliate_click"

class TouchpointKindEmailOpen(NamedTuple):
    """Opened one of our e-mails (a tracking pixel loaded).
    """
    email: Optional[str] = ...
    kind: Literal["email_open"] = "email_open"

class TouchpointKindEmailClick(NamedTuple):
    """Clicked a link in one of our e-mails.
    """
    email: Optional[str] = ...
    url: Optional[str] = ...
    kind: Literal["email_click"] = "email_click"

class TouchpointKindFormSubmission(NamedTuple):
    """Submitted a web form.
    """
    form: str
    kind: Literal["form_submission"] = "form_submission"

class TouchpointKindWebVisit(NamedTuple):
    """Visited a page of our site.
    """
    url: str
    duration_secs: Optional[int] = ...
    kind: Literal["web_visit"] = "web_visit"

class TouchpointKindOnSiteVisit(NamedTuple):
    """Came to one of our sites or a trade-show booth in person.
    """
    location: str
    kind: Literal["on_site_visit"] = "on_site_visit"

class TouchpointKindPhoneCall(NamedTuple):
    """A phone call.
    """
    direction: CallDirection
    duration_secs: int
    outcome: Optional[str] = ...
    kind: Literal["phone_call"] = "phone_call"

class Touchpoint(NamedTuple):
    """One touch, as stored.
    """
    id: TouchpointId
    version: Version
    subject: RecordRef
    at: datetime
    kind: TouchpointKind
    attribution: Attribution = ...

class NewAccount(NamedTuple):
    """An account to create.
    """
    name: str
    domain: Optional[str] = ...
    phone: Optional[Phone] = ...
    address: Address = ...
    industry: Optional[str] = ...
    owner: Optional[str] = ...
    tier: Optional[str] = ...
    custom: Dict[str, Any] = ...

class AccountPatch(NamedTuple):
    """An edit of a Account: the fields it changes (null clears one); a field not named is kept.
    """
    name: Optional[str] = ...
    domain: Optional[Optional[str]] = ...
    phone: Optional[Optional[Phone]] = ...
    address: Optional[Address] = ...
    industry: Optional[Optional[str]] = ...
    owner: Optional[Optional[str]] = ...
    tier: Optional[Optional[str]] = ...
    custom: Optional[Dict[str, Any]] = ...

class ContactPatch(NamedTuple):
    """An edit of a Contact: the fields it changes (null clears one); a field not named is kept.
    """
    account: Optional[Optional[AccountId]] = ...
    first_name: Optional[Optional[str]] = ...
    last_name: Optional[Optional[str]] = ...
    job_title: Optional[Optional[str]] = ...
    email: Optional[Optional[Email]] = ...
    phones: Optional[List[ContactPhone]] = ...
    addresses: Optional[List[Address]] = ...
    best_time_to_call: Optional[Optional[BestTimeToCall]] = ...
    demographics: Optional[Demographics] = ...
    owner: Optional[Optional[str]] = ...
    custom: Optional[Dict[str, Any]] = ...

class PurchasePatch(NamedTuple):
    """An edit of a Purchase: the fields it changes (null clears one); a field not named is kept.
    """
    product: Optional[str] = ...
    purchased_at: Optional[datetime] = ...
    sales_rep: Optional[Optional[str]] = ...
    quantity: Optional[Decimal] = ...
    unit_price: Optional[Money] = ...
    special_instructions: Optional[Optional[str]] = ...
    feedback: Optional[Optional[Feedback]] = ...
    custom: Optional[Dict[str, Any]] = ...

class Feedback(NamedTuple):
    """A customer's rating of a purchase.
    """
    rating: int
    text: Optional[str] = ...

class Purchase(NamedTuple):
    """Something a customer bought.
    """
    id: PurchaseId
    version: Version
    contact: ContactId
    product: str
    purchased_at: datetime
    quantity: Decimal
    unit_price: Money
    account: Optional[AccountId] = ...
    sales_rep: Optional[str] = ...
    special_instructions: Optional[str] = ...
    feedback: Optional[Feedback] = ...
    sales_order: Optional[SalesOrderId] = ...
    net: Optional[Money] = ...
    custom: Dict[str, Any] = ...

class NewContact(NamedTuple):
    """A contact to create.
    """
    account: Optional[AccountId] = ...
    first_name: Optional[str] = ...
    last_name: Optional[str] = ...
    job_title: Optional[str] = ...
    email: Optional[Email] = ...
    phones: List[ContactPhone] = ...
    addresses: List[Address] = ...
    best_time_to_call: Optional[BestTimeToCall] = ...
    demographics: Demographics = ...
    owner: Optional[str] = ...
    custom: Dict[str, Any] = ...

class TimelinePage(NamedTuple):
    """A page of a timeline, newest first.
    """
    entries: List[TimelineEntry]
    next: Optional[str] = ...

class TimelineEntry(NamedTuple):
    """One thing that happened with a customer.
    """
    at: datetime
    record: RecordKey
    summary: str

class NewPurchase(NamedTuple):
    """A purchase to record.
    """
    contact: ContactId
    product: str
    purchased_at: datetime
    quantity: Decimal
    unit_price: Money
    sales_rep: Optional[str] = ...
    special_instructions: Optional[str] = ...
    feedback: Optional[Feedback] = ...
    custom: Dict[str, Any] = ...

class MergedContact(NamedTuple):
    """A merge of two contacts, as the API surface returns it.
    """
    survivor: Contact
    repointed: int

class MergedAccount(NamedTuple):
    """A merge of two accounts, as the API surface returns it.
    """
    survivor: Account
    repointed: int

class Stage(NamedTuple):
    """One stage of a pipeline.
    """
    name: str
    probability: Percent
    kind: StageKind

class Pipeline(NamedTuple):
    """An ordered list of stages.
    """
    id: PipelineId
    version: Version
    name: str
    stages: List[Stage]
    on_quote_accepted: OnQuoteAccepted

class OnQuoteAccepted(NamedTuple):
    """What accepting a quote does to its opportunity, per pipeline: the amount can follow
    the quote (its subtotal, before tax) and the deal can move to a stage — the won stage
    closes it as won at that amount. A closed opportunity is left as it is.
    """
    follow_amount: bool
    stage: Optional[str] = ...

class LineItemInput(NamedTuple):
    """A product to price into a deal.
    """
    sku: str
    quantity: Decimal
    discount: Optional[Percent] = ...

class NewOpportunity(NamedTuple):
    """An opportunity to open.
    """
    name: str
    account: AccountId
    pipeline: PipelineId
    amount: Money
    expected_close: date
    contact: Optional[ContactId] = ...
    stage: Optional[str] = ...
    owner: Optional[str] = ...
    products: List[str] = ...
    custom: Dict[str, Any] = ...

class OpportunityPatch(NamedTuple):
    """An edit of a Opportunity: the fields it changes (null clears one); a field not named is kept.
    """
    name: Optional[str] = ...
    contact: Optional[Optional[ContactId]] = ...
    expected_close: Optional[date] = ...
    owner: Optional[Optional[str]] = ...
    source: Optional[Optional[str]] = ...
    products: Optional[List[str]] = ...
    key_players: Optional[List[KeyPlayer]] = ...
    budget: Optional[Optional[Money]] = ...
    total_spending: Optional[Optional[Money]] = ...
    competitors: Optional[List[Competitor]] = ...
    custom: Optional[Dict[str, Any]] = ...

class NewActivity(NamedTuple):
    """An activity to log or schedule.
    """
    kind: ActivityKind
    subject: RecordRef
    title: str
    notes: Optional[str] = ...
    owner: Optional[str] = ...
    due_at: Optional[datetime] = ...
    duration_minutes: Optional[int] = ...
    attendees: List[Attendee] = ...
    reminders: List[int] = ...
    recurrence: Optional[str] = ...
    custom: Dict[str, Any] = ...

class AttendeeContact(NamedTuple):
    """A contact.
    """
    id: ContactId
    kind: Literal["contact"] = "contact"

class AttendeeLead(NamedTuple):
    """A lead.
    """
    id: LeadId
    kind: Literal["lead"] = "lead"

class AttendeeUser(NamedTuple):
    """A user of the CRM.
    """
    login: str
    kind: Literal["user"] = "user"

class Activity(NamedTuple):
    """A call, meeting, e-mail or task.
    """
    id: ActivityId
    version: Version
    kind: ActivityKind
    subject: RecordRef
    title: str
    created_at: datetime
    notes: Optional[str] = ...
    owner: Optional[str] = ...
    due_at: Optional[datetime] = ...
    duration_minutes: Optional[int] = ...
    completed_at: Optional[datetime] = ...
    outcome: Optional[str] = ...
    attendees: List[Attendee] = ...
    reminders: List[int] = ...
    recurrence: Optional[str] = ...
    call: Optional[CallDetails] = ...
    cancelled_at: Optional[datetime] = ...
    cancel_reason: Optional[str] = ...
    custom: Dict[str, Any] = ...

class CallDetails(NamedTuple):
    """What a call records beyond an activity's own fields (time, duration, outcome, notes).
    """
    direction: CallDirection
    number: Optional[str] = ...
    purpose: Optional[str] = ...
    follow_up_at: Optional[datetime] = ...

class ActivityPatch(NamedTuple):
    """An edit of a Activity: the fields it changes (null clears one); a field not named is kept.
    """
    title: Optional[str] = ...
    notes: Optional[Optional[str]] = ...
    owner: Optional[Optional[str]] = ...
    due_at: Optional[Optional[datetime]] = ...
    duration_minutes: Optional[Optional[int]] = ...
    attendees: Optional[List[Attendee]] = ...
    reminders: Optional[List[int]] = ...
    recurrence: Optional[Optional[str]] = ...
    call: Optional[Optional[CallDetails]] = ...
    custom: Optional[Dict[str, Any]] = ...

class NewCall(NamedTuple):
    """A call that took place, to log as one record.
    """
    subject: RecordRef
    direction: CallDirection
    at: datetime
    duration_secs: int
    number: Optional[str] = ...
    title: Optional[str] = ...
    purpose: Optional[str] = ...
    outcome: Optional[str] = ...
    follow_up_at: Optional[datetime] = ...
    owner: Optional[str] = ...
    notes: Optional[str] = ...

class Reminder(NamedTuple):
    """A reminder due in a window: which activity, which occurrence, when to remind.
    """
    activity: ActivityId
    title: str
    occurrence: datetime
    remind_at: datetime
    owner: Optional[str] = ...

class ExchangeRate(NamedTuple):
    """One dated rate: 1 `from` = `rate` `to`, from `on` until the next rate of the pair.
    """
    id: ExchangeRateId
    version: Version
    from_: Currency
    to: Currency
    on: date
    rate: Decimal

class Forecast(NamedTuple):
    """The forecast table.
    """
    currency: Currency
    as_of: date
    period: Period
    rows: List[ForecastRow]
    total_pipeline: Money
    total_weighted: Money
    total_won: Money

class ForecastRow(NamedTuple):
    """One cell of the forecast: a period and an owner.
    """
    period: str
    owner: str
    open_count: int
    pipeline: Money
    weighted: Money
    won_count: int
    won: Money

class Product(NamedTuple):
    """A product of the catalog.
    """
    sku: str
    name: str
    unit: str
    active: bool
    serialised: bool
    option_groups: List[OptionGroup] = ...
    constraints: List[Constraint] = ...
    warranty: Optional[WarrantyTerms] = ...

class OptionGroup(NamedTuple):
    """A group of options (`"Memory"`: 16 / 32 / 64 GB).
    """
    name: str
    choice: Choice
    required: bool
    options: List[ProductOption]

class ProductOption(NamedTuple):
    """An option of a product, with what it adds to the unit price.
    """
    code: str
    name: str
    price_delta: Decimal

class ConstraintRequires(NamedTuple):
    """Choosing `option` requires choosing `requires`.
    """
    option: str
    requires: str
    rule: Literal["requires"] = "requires"

class ConstraintExcludes(NamedTuple):
    """`option` and `excludes` cannot both be chosen.
    """
    option: str
    excludes: str
    rule: Literal["excludes"] = "excludes"

class WarrantyTerms(NamedTuple):
    """A product's standard warranty.
    """
    months: int
    terms: str

class ProductRecord(NamedTuple):
    """A product as stored in the catalog.
    """
    id: ProductId
    version: Version
    sku: str
    name: str
    unit: str
    active: bool
    serialised: bool
    option_groups: List[OptionGroup] = ...
    constraints: List[Constraint] = ...
    warranty: Optional[WarrantyTerms] = ...

class PriceBook(NamedTuple):
    """List prices in one currency.
    """
    name: str
    currency: Currency
    entries: List[PriceBookEntry]

class PriceBookEntry(NamedTuple):
    """A list price valid over a period.
    """
    sku: str
    list_price: Decimal
    valid_from: date
    valid_to: Optional[date] = ...

class PriceBookRecord(NamedTuple):
    """A price book as stored.
    """
    id: PriceBookId
    version: Version
    name: str
    currency: Currency
    entries: List[PriceBookEntry]

class Configuration(NamedTuple):
    """A configured product: the options chosen and its unit price.
    """
    sku: str
    options: List[str]
    unit_price: Money

class QuoteContent(NamedTuple):
    """What a quote is made of (to create one, or a revision).
    """
    account: AccountId
    currency: Currency
    valid_until: date
    lines: List[QuoteLine]
    document_discount: Percent
    taxes: TaxTable
    rounding: Rounding
    opportunity: Optional[OpportunityId] = ...
    contact: Optional[ContactId] = ...

class QuoteLine(NamedTuple):
    """A line of a quote.
    """
    description: str
    quantity: Decimal
    unit_price: Money
    discount: Discount
    sku: Optional[str] = ...
    options: List[str] = ...
    unit: Optional[str] = ...
    tax_codes: List[str] = ...
    special_instructions: Optional[str] = ...

class DiscountNone(NamedTuple):
    """None.
    """
    kind: Literal["none"] = "none"

class DiscountPercent(NamedTuple):
    """A share of the line's amount.
    """
    value: Percent
    kind: Literal["percent"] = "percent"

class DiscountAmount(NamedTuple):
    """An amount off the line (in the document's currency, at most the line's amount).
    """
    value: Decimal
    kind: Literal["amount"] = "amount"

class TaxRate(NamedTuple):
    """A tax rate a line can carry, by its code.
    """
    code: str
    rate: Percent
    included_in_price: bool
    compound: bool

class Rounding(NamedTuple):
    """How rounding is done: the mode for halfway values and where amounts are rounded.
    Both are always chosen by the caller.
    """
    mode: RoundingMode
    strategy: RoundingStrategy

class Quote(NamedTuple):
    """One revision of a quote.
    """
    id: QuoteId
    version: Version
    number: QuoteId
    revision: int
    status: QuoteStatus
    content: QuoteContent
    priced: PricedDocument
    created_at: datetime
    updated_at: datetime
    rejection_reason: Optional[str] = ...

class PricedDocument(NamedTuple):
    """A priced document. It always adds up: `gross − discount = subtotal` and
    `subtotal + Σ taxes[].amount = grand_total`.
    """
    currency: Currency
    rounding: Rounding
    lines: List[PricedLine]
    gross: Money
    discount: Money
    subtotal: Money
    taxes: List[TaxTotal]
    tax_total: Money
    grand_total: Money

class PricedLine(NamedTuple):
    """A priced line (amounts rounded; see the module documentation for what they add up to).
    """
    gross: Money
    discount: Money
    net: Money
    taxes: List[LineTax]
    total: Money

class LineTax(NamedTuple):
    """One tax of a priced line.
    """
    code: str
    base: Money
    amount: Money

class TaxTotal(NamedTuple):
    """The taxes of one rate over the document.
    """
    code: str
    rate: Percent
    base: Money
    amount: Money

class SalesOrder(NamedTuple):
    """An order made from an accepted quote: an immutable snapshot of that revision.
    """
    id: SalesOrderId
    version: Version
    quote: QuoteId
    quote_number: QuoteId
    revision: int
    content: QuoteContent
    priced: PricedDocument
    accepted_at: datetime
    created_at: datetime
    status: SalesOrderStatus
    fulfilled: List[Decimal] = ...
    erp_reference: Optional[str] = ...
    cancel_reason: Optional[str] = ...
    status_changed_at: Optional[datetime] = ...

class LineFulfilment(NamedTuple):
    """A quantity delivered on one line of an order (`line`: 0-based, in the order's line
    order).
    """
    line: int
    quantity: Decimal
    serials: List[str] = ...

class Fulfilment(NamedTuple):
    """What delivering part of an order did: the order as it now stands, and the assets and
    warranties installed for its serialised products.
    """
    order: SalesOrder
    assets: List[Asset]
    warranties: List[Warranty]

class Asset(NamedTuple):
    """A piece of equipment at a customer's site.
    """
    id: AssetId
    version: Version
    serial_number: str
    product: str
    account: AccountId
    name: str
    status: AssetStatus
    installed_on: Optional[date] = ...
    location: Optional[str] = ...
    sales_order: Optional[SalesOrderId] = ...
    custom: Dict[str, Any] = ...

class Warranty(NamedTuple):
    """A warranty on an asset.
    """
    id: WarrantyId
    version: Version
    asset: AssetId
    starts_on: date
    ends_on: date
    terms: str

class PriceLine(NamedTuple):
    """A line to price.
    """
    quantity: Decimal
    unit_price: Money
    discount: Discount
    tax_codes: List[str] = ...

class BusinessCalendar(NamedTuple):
    """A team's working time.
    """
    time_zone: str
    intervals: List[WorkingInterval]
    holidays: List[date] = ...
    exceptions: Dict[str, List[Tuple[time, time]]] = ...

class WorkingInterval(NamedTuple):
    """A working interval on a weekday, in wall-clock time.
    """
    weekday: Literal["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    start: time
    end: time

class CalendarRecord(NamedTuple):
    """A named calendar as stored.
    """
    id: CalendarId
    version: Version
    name: str
    calendar: BusinessCalendar

class SlaPolicy(NamedTuple):
    """An SLA policy.
    """
    name: str
    position: int
    warning_percent: int
    metrics: List[MetricRule]
    applies_to: SlaFilter = ...

class SlaFilter(NamedTuple):
    """Which cases a policy applies to; an empty list matches anything.
    """
    priorities: List[CasePriority] = ...
    categories: List[CaseCategory] = ...
    channels: List[CaseChannel] = ...
    accounts: List[AccountId] = ...
    contracts: List[ContractId] = ...
    under_contract: Optional[bool] = ...

class MetricRule(NamedTuple):
    """One metric of a policy.
    """
    metric: SlaMetric
    targets: List[SlaTarget]
    conditions: Optional[SlaConditions] = ...

class SlaConditions(NamedTuple):
    """When a metric starts, pauses and stops.
    """
    start: List[SlaTrigger]
    stop: List[SlaTrigger]
    pause: List[CaseStatus] = ...
    max_cycles: Optional[int] = ...

class SlaTriggerOpened(NamedTuple):
    """The case was opened.
    """
    on: Literal["opened"] = "opened"

class SlaTriggerAgentReply(NamedTuple):
    """An agent replied publicly.
    """
    on: Literal["agent_reply"] = "agent_reply"

class SlaTriggerCustomerReply(NamedTuple):
    """The customer replied.
    """
    on: Literal["customer_reply"] = "customer_reply"

class SlaTriggerStatus(NamedTuple):
    """The case entered a status.
    """
    status: CaseStatus
    on: Literal["status"] = "status"

class SlaTarget(NamedTuple):
    """A target: business minutes for a priority, on a calendar.
    """
    priority: CasePriority
    minutes: int
    calendar: Optional[str] = ...

class SlaPolicyRecord(NamedTuple):
    """A policy as stored.
    """
    id: SlaPolicyId
    version: Version
    policy: SlaPolicy

class NewAsset(NamedTuple):
    """What a new asset is.
    """
    serial_number: str
    product: str
    account: AccountId
    name: str
    installed_on: Optional[date] = ...
    location: Optional[str] = ...
    custom: Dict[str, Any] = ...

class AssetPatch(NamedTuple):
    """An edit of a Asset: the fields it changes (null clears one); a field not named is kept.
    """
    name: Optional[str] = ...
    installed_on: Optional[Optional[date]] = ...
    location: Optional[Optional[str]] = ...
    custom: Optional[Dict[str, Any]] = ...

class NewContract(NamedTuple):
    """What a new service contract says.
    """
    name: str
    account: AccountId
    starts_on: date
    ends_on: date
    assets: List[AssetId] = ...
    products: List[str] = ...
    entitlement: Entitlement = ...
    sla_policy: Optional[str] = ...
    value: Optional[Money] = ...
    custom: Dict[str, Any] = ...

class Entitlement(NamedTuple):
    """What a contract entitles the customer to; `None` is unlimited.
    """
    cases: Optional[int] = ...
    hours: Optional[Decimal] = ...

class Contract(NamedTuple):
    """A service contract.
    """
    id: ContractId
    version: Version
    name: str
    account: AccountId
    starts_on: date
    ends_on: date
    assets: List[AssetId]
    products: List[str]
    entitlement: Entitlement
    cases_used: int
    hours_used: Decimal
    cancelled: bool
    sla_policy: Optional[str] = ...
    value: Optional[Money] = ...
    renewal: Optional[OpportunityId] = ...
    custom: Dict[str, Any] = ...

class ContractPatch(NamedTuple):
    """An edit of a Contract: the fields it changes (null clears one); a field not named is kept.
    """
    name: Optional[str] = ...
    sla_policy: Optional[Optional[str]] = ...
    custom: Optional[Dict[str, Any]] = ...

class Coverage(NamedTuple):
    """Whether an asset is covered on a date, and by what.
    """
    asset: Asset
    on: date
    warranties: List[Warranty]
    contracts: List[ContractCoverage]
    covered: bool

class ContractCoverage(NamedTuple):
    """A contract that covers an asset on a date, and what is left of it.
    """
    contract: Contract
    exhausted: bool
    cases_left: Optional[int] = ...
    hours_left: Optional[Decimal] = ...

class NewCase(NamedTuple):
    """What a new case says.
    """
    subject: str
    description: str
    channel: CaseChannel
    category: CaseCategory
    priority: CasePriority
    account: Optional[AccountId] = ...
    contact: Optional[ContactId] = ...
    asset: Optional[AssetId] = ...
    contract: Optional[ContractId] = ...
    owner: Optional[str] = ...
    queue: Optional[str] = ...
    product: Optional[str] = ...
    language: Optional[str] = ...
    custom: Dict[str, Any] = ...

class Case(NamedTuple):
    """A service case.
    """
    id: CaseId
    version: Version
    number: CaseNumber
    subject: str
    description: str
    channel: CaseChannel
    category: CaseCategory
    priority: CasePriority
    status: CaseStatus
    opened_at: datetime
    history: List[CaseHistoryEntry]
    account: Optional[AccountId] = ...
    contact: Optional[ContactId] = ...
    asset: Optional[AssetId] = ...
    contract: Optional[ContractId] = ...
    owner: Optional[str] = ...
    queue: Optional[str] = ...
    product: Optional[str] = ...
    language: Optional[str] = ...
    comments: List[CaseComment] = ...
    sla_alerts: List[str] = ...
    escalations: List[str] = ...
    custom: Dict[str, Any] = ...

class CaseHistoryEntryOpened(NamedTuple):
    """The case was opened.
    """
    at: datetime
    status: CaseStatus
    priority: CasePriority
    change: Literal["opened"] = "opened"

class CaseHistoryEntryStatus(NamedTuple):
    """Its status changed.
    """
    at: datetime
    from_: CaseStatus
    to: CaseStatus
    change: Literal["status"] = "status"

class CaseHistoryEntryPriority(NamedTuple):
    """Its priority changed.
    """
    at: datetime
    from_: CasePriority
    to: CasePriority
    change: Literal["priority"] = "priority"

class CaseHistoryEntryComment(NamedTuple):
    """A comment was added (the comment itself is in `Case::comments`).
    """
    at: datetime
    author: CommentAuthor
    public: bool
    change: Literal["comment"] = "comment"

class CaseHistoryEntryRouted(NamedTuple):
    """It was filed into a queue or given to an agent (or both), or taken from them.
    """
    at: datetime
    by: str
    queue: Optional[str] = ...
    owner: Optional[str] = ...
    change: Literal["routed"] = "routed"

class CaseHistoryEntryEscalated(NamedTuple):
    """An escalation rule fired.
    """
    at: datetime
    rule: str
    trigger: str
    change: Literal["escalated"] = "escalated"

class CaseHistoryEntrySlaBreached(NamedTuple):
    """An SLA target was found breached (dated when the breach was noticed).
    """
    at: datetime
    metric: str
    cycle: int
    change: Literal["sla_breached"] = "sla_breached"

class CaseComment(NamedTuple):
    """A comment on a case.
    """
    author: CommentAuthor
    name: str
    public: bool
    body: str
    at: datetime

class CasePatch(NamedTuple):
    """An edit of a Case: the fields it changes (null clears one); a field not named is kept.
    """
    subject: Optional[str] = ...
    description: Optional[str] = ...
    category: Optional[CaseCategory] = ...
    contact: Optional[Optional[ContactId]] = ...
    asset: Optional[Optional[AssetId]] = ...
    contract: Optional[Optional[ContractId]] = ...
    owner: Optional[Optional[str]] = ...
    product: Optional[Optional[str]] = ...
    language: Optional[Optional[str]] = ...
    custom: Optional[Dict[str, Any]] = ...

class CaseSla(NamedTuple):
    """A case's SLA at an instant.
    """
    case: CaseId
    at: datetime
    metrics: List[MetricStatus]
    state: SlaState
    policy: Optional[str] = ...

class MetricStatus(NamedTuple):
    """One metric of a case.
    """
    metric: SlaMetric
    completed: List[CompletedCycle]
    state: SlaState
    calendar: Optional[str] = ...
    ongoing: Optional[OngoingCycle] = ...

class CompletedCycle(NamedTuple):
    """A completed cycle.
    """
    started_at: datetime
    stopped_at: datetime
    elapsed_seconds: int
    target_seconds: int
    breached: bool

class OngoingCycle(NamedTuple):
    """The running cycle.
    """
    started_at: datetime
    elapsed_seconds: int
    target_seconds: int
    remaining_seconds: int
    paused: bool
    within_calendar_hours: bool
    state: SlaState
    due_at: Optional[datetime] = ...

class RaisedAlert(NamedTuple):
    """An SLA alert raised for a case by `Crm::check_slas`.
    """
    case: CaseId
    number: CaseNumber
    metric: SlaMetric
    cycle: int
    state: SlaState
    due_at: Optional[datetime] = ...

class NewTechnician(NamedTuple):
    """What a new technician is.
    """
    name: str
    skills: List[str]
    calendar: str

class Technician(NamedTuple):
    """A field technician (a schedulable resource).
    """
    id: TechnicianId
    version: Version
    name: str
    skills: List[str]
    calendar: str
    active: bool

class TechnicianPatch(NamedTuple):
    """An edit of a Technician: the fields it changes (null clears one); a field not named is kept.
    """
    name: Optional[str] = ...
    skills: Optional[List[str]] = ...
    calendar: Optional[str] = ...

class NewServiceOrder(NamedTuple):
    """What a new service order asks for.
    """
    work: str
    duration_minutes: int
    earliest_start: datetime
    priority: CasePriority
    skills: List[str] = ...
    due_by: Optional[datetime] = ...
    account: Optional[AccountId] = ...
    asset: Optional[AssetId] = ...
    case: Optional[CaseId] = ...

class ServiceOrder(NamedTuple):
    """A service order.
    """
    id: ServiceOrderId
    version: Version
    work: str
    skills: List[str]
    duration_minutes: int
    earliest_start: datetime
    priority: CasePriority
    status: ServiceOrderStatus
    due_by: Optional[datetime] = ...
    account: Optional[AccountId] = ...
    asset: Optional[AssetId] = ...
    case: Optional[CaseId] = ...
    plan: Optional[MaintenancePlanId] = ...
    assignment: Optional[Assignment] = ...
    hours_worked: Optional[Decimal] = ...

class Assignment(NamedTuple):
    """A booked slot.
    """
    technician: TechnicianId
    start: datetime
    end: datetime

class Schedule(NamedTuple):
    """What the scheduler did.
    """
    placed: List[Tuple[ServiceOrderId, Assignment]]
    unplaced: List[Unplaced]

class UnplacedNoQualifiedTechnician(NamedTuple):
    """No active technician has every skill it needs.
    """
    order: ServiceOrderId
    skills: List[str]
    reason: Literal["no_qualified_technician"] = "no_qualified_technician"

class UnplacedNoFreeSlot(NamedTuple):
    """Qualified technicians exist but none has a free stretch long enough before the
    order's due instant (or the end of the horizon).
    """
    order: ServiceOrderId
    qualified: int
    latest_end: datetime
    reason: Literal["no_free_slot"] = "no_free_slot"

class NewMaintenancePlan(NamedTuple):
    """What a new maintenance plan says.
    """
    asset: AssetId
    work: str
    duration_minutes: int
    every: int
    unit: RecurrenceUnit
    first_due: date
    window_days: int
    skills: List[str] = ...
    until: Optional[date] = ...

class MaintenancePlan(NamedTuple):
    """A recurring maintenance plan on an asset.
    """
    id: MaintenancePlanId
    version: Version
    plan: NewMaintenancePlan
    generated: int

class ArticleContent(NamedTuple):
    """What an article says.
    """
    title: str
    body: str
    tags: List[str] = ...
    products: List[str] = ...

class Article(NamedTuple):
    """A knowledge-base article.
    """
    id: ArticleId
    version: Version
    title: str
    body: str
    status: ArticleStatus
    updated_at: datetime
    tags: List[str] = ...
    products: List[str] = ...

class ArticleChange(NamedTuple):
    """A change to an article: the fields given replace the article's, the rest stay.
    """
    title: Optional[str] = ...
    body: Optional[str] = ...
    tags: Optional[List[str]] = ...
    products: Optional[List[str]] = ...
    status: Optional[ArticleStatus] = ...

class ServiceOverview(NamedTuple):
    """An account's service standing on a day.
    """
    account: AccountId
    name: str
    on: date
    contracts: List[ContractStanding]
    assets: List[Coverage]
    open_cases: int

class ContractStanding(NamedTuple):
    """A contract and where it stands.
    """
    contract: Contract
    state: ContractState
    exhausted: bool
    cases_left: Optional[int] = ...
    hours_left: Optional[Decimal] = ...
    days_left: Optional[int] = ...
    renewal: Optional[OpportunityId] = ...

class RenewalSpec(NamedTuple):
    """Which contracts get a renewal opportunity, and how.
    """
    days_before: int
    pipeline: PipelineId
    amount: Optional[Money] = ...
    owner: Optional[str] = ...

class SearchFilter(NamedTuple):
    """Narrows a search.
    """
    tag: Optional[str] = ...
    product: Optional[str] = ...

class SearchHit(NamedTuple):
    """A search result.
    """
    article: ArticleId
    title: str
    score: float

class QueueSpec(NamedTuple):
    """A queue to create or replace, by name.
    """
    name: str
    description: str
    strategy: QueueStrategy
    members: List[str] = ...

class Queue(NamedTuple):
    """A queue of agents that cases are filed into.
    """
    id: QueueId
    version: Version
    name: str
    description: str
    members: List[str]
    strategy: QueueStrategy
    turn: int

class AgentSpec(NamedTuple):
    """An agent's profile to create or replace, by login.
    """
    login: str
    available: bool
    skills: List[str] = ...
    languages: List[str] = ...
    capacity: Optional[int] = ...

class Agent(NamedTuple):
    """An agent's profile: what routing knows of a desk member. A member without one counts
    as available, without skills, for any language and without a limit.
    """
    id: AgentId
    version: Version
    login: str
    skills: List[str]
    languages: List[str]
    available: bool
    capacity: Optional[int] = ...

class RoutingRuleSpec(NamedTuple):
    """A routing rule to create or replace, by name.
    """
    name: str
    order: int
    queue: str
    when: List[RouteCondition] = ...
    skills: List[str] = ...
    raise_to: Optional[CasePriority] = ...

class RouteConditionChannel(NamedTuple):
    """It came in by one of these channels.
    """
    any: List[CaseChannel]
    when: Literal["channel"] = "channel"

class RouteConditionCategory(NamedTuple):
    """It is of one of these categories.
    """
    any: List[CaseCategory]
    when: Literal["category"] = "category"

class RouteConditionPriority(NamedTuple):
    """It is at least this urgent.
    """
    at_least: CasePriority
    when: Literal["priority"] = "priority"

class RouteConditionProduct(NamedTuple):
    """It is about one of these products (the case's, else its asset's).
    """
    any: List[str]
    when: Literal["product"] = "product"

class RouteConditionAccountTier(NamedTuple):
    """Its account is of one of these tiers.
    """
    any: List[str]
    when: Literal["account_tier"] = "account_tier"

class RouteConditionLanguage(NamedTuple):
    """It is written in one of these languages.
    """
    any: List[str]
    when: Literal["language"] = "language"

class RouteConditionKeywords(NamedTuple):
    """Its subject or description holds one of these words (whole words, any case,
    accents ignored).
    """
    any: List[str]
    when: Literal["keywords"] = "keywords"

class RouteConditionEntitled(NamedTuple):
    """It is worked under a contract (an entitlement), or not.
    """
    is_: bool
    when: Literal["entitled"] = "entitled"

class RouteConditionField(NamedTuple):
    """A field of the case's document meets a condition (`custom.region`).
    """
    condition: FieldCondition
    when: Literal["field"] = "field"

class FieldCondition(NamedTuple):
    """One condition on a field.
    """
    field: str
    op: Op
    value: Any

class RoutingRule(NamedTuple):
    """A stored routing rule.
    """
    id: RoutingRuleId
    version: Version
    name: str
    order: int
    when: List[RouteCondition]
    queue: str
    skills: List[str]
    raise_to: Optional[CasePriority] = ...

class EscalationRuleSpec(NamedTuple):
    """An escalation rule to create or replace, by name.
    """
    name: str
    on: EscalationTrigger
    actions: List[EscalationAction]
    when: List[RouteCondition] = ...

class EscalationTriggerSla(NamedTuple):
    """An SLA alert: a metric's target (any metric when none is named) reaching a level.
    """
    level: AlertLevel
    metric: Optional[SlaMetric] = ...
    on: Literal["sla"] = "sla"

class EscalationTriggerAge(NamedTuple):
    """The case is still being worked this many hours after it was opened (wall-clock).
    """
    hours: int
    on: Literal["age"] = "age"

class EscalationActionTransfer(NamedTuple):
    """Move the case to a queue, which gives it to one of its agents.
    """
    queue: str
    do: Literal["transfer"] = "transfer"

class EscalationActionAssign(NamedTuple):
    """Give the case to someone.
    """
    owner: str
    do: Literal["assign"] = "assign"

class EscalationActionRaisePriority(NamedTuple):
    """Raise the case's priority (never lowered).
    """
    to: CasePriority
    do: Literal["raise_priority"] = "raise_priority"

class EscalationActionNotify(NamedTuple):
    """Tell people: a delivery to the outbox's `notification` target, for the host to
    send. The message may name `{{number}}`, `{{subject}}`, `{{priority}}`,
    `{{owner}}`, `{{queue}}` and `{{trigger}}`.
    """
    to: List[str]
    message: str
    do: Literal["notify"] = "notify"

class EscalationActionOpenTask(NamedTuple):
    """Open a task on the case.
    """
    title: str
    due_in_minutes: int
    owner: Optional[str] = ...
    do: Literal["open_task"] = "open_task"

class EscalationRule(NamedTuple):
    """A stored escalation rule.
    """
    id: EscalationRuleId
    version: Version
    name: str
    on: EscalationTrigger
    when: List[RouteCondition]
    actions: List[EscalationAction]

class Survey(NamedTuple):
    """A survey sent to a customer.
    """
    id: SurveyId
    version: Version
    token: str
    kind: SurveyKind
    sent_at: datetime
    expires_at: datetime
    case: Optional[CaseId] = ...
    account: Optional[AccountId] = ...
    contact: Optional[ContactId] = ...
    agent: Optional[str] = ...
    queue: Optional[str] = ...
    product: Optional[str] = ...
    response: Optional[SurveyResponse] = ...

class SurveyResponse(NamedTuple):
    """A customer's answer.
    """
    score: int
    at: datetime
    comment: Optional[str] = ...

class SatisfactionRow(NamedTuple):
    """CSAT answers of one group.
    """
    group: str
    sent: int
    answered: int
    response_rate: float
    average: Optional[float] = ...
    satisfied: Optional[float] = ...

class NpsReport(NamedTuple):
    """The NPS of a set of surveys.
    """
    sent: int
    answered: int
    promoters: int
    passives: int
    detractors: int
    score: Optional[float] = ...

class NewCampaign(NamedTuple):
    """What a new campaign says.
    """
    code: str
    name: str
    channel: CampaignChannel
    starts_on: date
    ends_on: date
    budget: Money
    ads: List[Ad] = ...
    target_products: List[str] = ...
    segments: List[str] = ...
    geographies: List[str] = ...
    custom: Dict[str, Any] = ...

class Ad(NamedTuple):
    """An ad (or tracked link) of a campaign.
    """
    code: str
    name: str
    cost: Money
    impressions: int
    url: Optional[str] = ...

class Campaign(NamedTuple):
    """A campaign.
    """
    id: CampaignId
    version: Version
    code: str
    name: str
    channel: CampaignChannel
    status: CampaignStatus
    starts_on: date
    ends_on: date
    budget: Money
    other_cost: Money
    ads: List[Ad]
    target_products: List[str]
    segments: List[str]
    geographies: List[str]
    members: List[CampaignMember] = ...
    custom: Dict[str, Any] = ...

class CampaignMember(NamedTuple):
    """A member of a campaign: who was sent it (or responded without being sent it).
    """
    subject: RecordRef
    added_at: datetime

class CampaignPatch(NamedTuple):
    """An edit of a Campaign: the fields it changes (null clears one); a field not named is kept.
    """
    name: Optional[str] = ...
    target_products: Optional[List[str]] = ...
    segments: Optional[List[str]] = ...
    geographies: Optional[List[str]] = ...
    custom: Optional[Dict[str, Any]] = ...

class NewConsent(NamedTuple):
    """A consent a person gives.
    """
    subject: RecordRef
    channel: Channel
    purpose: Purpose
    source: str
    proof: ConsentProof = ...

class ConsentProof(NamedTuple):
    """How a consent was given: what a regulator asks to see.
    """
    form: Optional[str] = ...
    ip: Optional[str] = ...
    confirmed_at: Optional[datetime] = ...
    text: Optional[str] = ...

class Consent(NamedTuple):
    """A person's consent for one channel and purpose, granted or withdrawn.
    """
    id: ConsentId
    version: Version
    subject: RecordRef
    channel: Channel
    purpose: Purpose
    granted: bool
    source: str
    proof: ConsentProof
    granted_at: Optional[datetime] = ...
    withdrawn_at: Optional[datetime] = ...

class ContactDecision(NamedTuple):
    """Whether a person may be contacted, and why.
    """
    allowed: bool
    reason: str

class MemberResponse(NamedTuple):
    """A campaign member and how far they went.
    """
    subject: RecordRef
    response: Response
    last_touch_at: Optional[datetime] = ...

class PredicateAll(NamedTuple):
    """Every one holds.
    """
    all: List[Predicate]
    op: Literal["all"] = "all"

class PredicateAny(NamedTuple):
    """At least one holds.
    """
    any: List[Predicate]
    op: Literal["any"] = "any"

class PredicateNot(NamedTuple):
    """It does not hold.
    """
    not_: Predicate
    op: Literal["not"] = "not"

class PredicateEquals(NamedTuple):
    """The field equals the value (case-insensitive).
    """
    field: str
    value: str
    op: Literal["equals"] = "equals"

class PredicateOneOf(NamedTuple):
    """The field is one of the values (case-insensitive).
    """
    field: str
    values: List[str]
    op: Literal["one_of"] = "one_of"

class PredicateContains(NamedTuple):
    """The field contains the text (case-insensitive).
    """
    field: str
    value: str
    op: Literal["contains"] = "contains"

class PredicateExists(NamedTuple):
    """The field has a value.
    """
    field: str
    op: Literal["exists"] = "exists"

class PredicateAtLeast(NamedTuple):
    """The field is a number at least this.
    """
    field: str
    value: float
    op: Literal["at_least"] = "at_least"

class PredicateAtMost(NamedTuple):
    """The field is a number at most this.
    """
    field: str
    value: float
    op: Literal["at_most"] = "at_most"

class PredicatePurchased(NamedTuple):
    """Bought the product (in the last `within_days`, if given).
    """
    product: str
    within_days: Optional[int] = ...
    op: Literal["purchased"] = "purchased"

class PredicateNotPurchased(NamedTuple):
    """Never bought the product.
    """
    product: str
    op: Literal["not_purchased"] = "not_purchased"

class PredicateEngaged(NamedTuple):
    """At least `at_least` touchpoints of `kind` (`any` for every kind) in the last
    `within_days`, if given.
    """
    kind: str
    at_least: int
    within_days: Optional[int] = ...
    op: Literal["engaged"] = "engaged"

class PredicateScoreAtLeast(NamedTuple):
    """A score at least this.
    """
    score: float
    op: Literal["score_at_least"] = "score_at_least"

class SegmentEvaluation(NamedTuple):
    """A segment after an evaluation.
    """
    segment: Segment
    added: List[RecordRef]
    removed: List[RecordRef]

class Segment(NamedTuple):
    """A saved segment and its members at its last evaluation.
    """
    id: SegmentId
    version: Version
    name: str
    subject: SegmentSubject
    rule: Predicate
    members: List[RecordRef] = ...
    pinned: List[RecordRef] = ...
    evaluated_at: Optional[datetime] = ...

class PlanTarget(NamedTuple):
    """A target of a marketing plan: for a period (`2026-Q4`, `2026-11`), a product group and
    a geography, the leads, responses and revenue expected.
    """
    starts_on: date
    ends_on: date
    product_group: str
    geography: str
    leads: int
    responses: int
    revenue: Money

class MarketingPlan(NamedTuple):
    """A marketing plan.
    """
    id: MarketingPlanId
    version: Version
    name: str
    targets: List[PlanTarget]

class PlanActualRow(NamedTuple):
    """A plan target next to what happened.
    """
    starts_on: date
    ends_on: date
    product_group: str
    geography: str
    leads: Tuple[int, int]
    responses: Tuple[int, int]
    revenue: Tuple[Decimal, Decimal]

class AttributionModelFirstTouch(NamedTuple):
    """Everything to the first touch.
    """
    model: Literal["first_touch"] = "first_touch"

class AttributionModelLastTouch(NamedTuple):
    """Everything to the last touch.
    """
    model: Literal["last_touch"] = "last_touch"

class AttributionModelLinear(NamedTuple):
    """Equal shares.
    """
    model: Literal["linear"] = "linear"

class AttributionModelTimeDecay(NamedTuple):
    """Shares halving every `half_life_days` before the close.
    """
    half_life_days: float
    model: Literal["time_decay"] = "time_decay"

class AttributionModelPositionBased(NamedTuple):
    """40 % first, 40 % last, 20 % shared by the middle.
    """
    model: Literal["position_based"] = "position_based"

class ReportFilter(NamedTuple):
    """Which rows a report reads.
    """
    from_: Optional[datetime] = ...
    until: Optional[datetime] = ...
    owner: Optional[str] = ...
    campaign: Optional[str] = ...

class AttributionReport(NamedTuple):
    """Attribution of won revenue.
    """
    model: AttributionModel
    deals: int
    revenue: Decimal
    deals_without_touches: int
    skipped_other_currency: int
    rows: List[CreditRow]

class CreditRow(NamedTuple):
    """Revenue credited to one ad, affiliate, campaign or channel.
    """
    dimension: str
    key: str
    revenue: Decimal
    touches: int
    deals: int

class MarketingReport(NamedTuple):
    """The marketing reports at once.
    """
    performance: List[PerformanceRow]
    funnel: Funnel
    pipeline: PipelineReport
    skipped_other_currency: int

class PerformanceRow(NamedTuple):
    """Performance of ads, affiliates, campaigns or channels.
    """
    dimension: str
    key: str
    impressions: int
    clicks: int
    leads: int
    customers: int
    revenue: Decimal
    cost: Decimal
    members: int
    responders: int
    click_through_rate: Optional[float] = ...
    conversion_rate: Optional[float] = ...
    win_rate: Optional[float] = ...
    cost_per_lead: Optional[Decimal] = ...
    cost_per_acquisition: Optional[Decimal] = ...
    roi: Optional[float] = ...
    response_rate: Optional[float] = ...

class Funnel(NamedTuple):
    """The funnel lead → qualified → opportunity → won.
    """
    leads: int
    qualified: int
    opportunities: int
    won: int
    rates: List[Optional[float]]
    median_days: List[Optional[float]]

class PipelineReport(NamedTuple):
    """The pipeline report: open deals by stage, win rates by owner and by source, and the
    sales cycle (median days opening → won) — deals closed in the filter's period.
    """
    stages: List[StageRow]
    win_rates: List[WinRateRow]
    skipped_other_currency: int
    median_cycle_days: Optional[float] = ...

class StageRow(NamedTuple):
    """Open pipeline by stage.
    """
    stage: str
    deals: int
    amount: Decimal

class WinRateRow(NamedTuple):
    """Win rate by a key (owner or source).
    """
    dimension: str
    key: str
    closed: int
    won: int
    won_amount: Decimal
    win_rate: Optional[float] = ...
    median_cycle_days: Optional[float] = ...

class SalesReport(NamedTuple):
    """The sales reports at once.
    """
    products: List[ProductSalesRow]
    demographics: List[DemographicsRow]
    skipped_other_currency: int

class ProductSalesRow(NamedTuple):
    """Products sold by period.
    """
    period: str
    product: str
    lines: int
    quantity: Decimal
    revenue: Decimal
    min_unit_price: Decimal
    median_unit_price: Decimal
    max_unit_price: Decimal
    discounts: Decimal

class DemographicsRow(NamedTuple):
    """Buyers of a product by one demographic.
    """
    product: str
    dimension: str
    value: str
    lines: int
    share: float

class TriggerEvent(NamedTuple):
    """An event of the log.
    """
    event_type: str
    conditions: List[Condition] = ...
    on: Literal["event"] = "event"

class TriggerQuoteExpiring(NamedTuple):
    """A sent quote whose validity ends within `within_days` (checked on every run).
    """
    within_days: int
    on: Literal["quote_expiring"] = "quote_expiring"

class ConditionFieldEquals(NamedTuple):
    """A field of the record equals the value (case-insensitive): `source`, `utm_source`,
    `country`, `status`…
    """
    field: str
    value: str
    if_: Literal["field_equals"] = "field_equals"

class ConditionPayloadEquals(NamedTuple):
    """A member of the event payload equals the value (`kind`, `metric`, `source`…).
    """
    member: str
    value: str
    if_: Literal["payload_equals"] = "payload_equals"

class ConditionScoreAtLeast(NamedTuple):
    """The event's score (`LeadScored`) is at least this.
    """
    score: float
    if_: Literal["score_at_least"] = "score_at_least"

class ActionSendEmail(NamedTuple):
    """Send an e-mail.
    """
    template: Template
    do: Literal["send_email"] = "send_email"

class ActionCreateTask(NamedTuple):
    """Create a task.
    """
    title: str
    due_in_days: int
    owner: Optional[str] = ...
    do: Literal["create_task"] = "create_task"

class ActionAssignRoundRobin(NamedTuple):
    """Assign the record to the next owner in turn.
    """
    owners: List[str]
    do: Literal["assign_round_robin"] = "assign_round_robin"

class ActionAssignByTerritory(NamedTuple):
    """Assign the record by its country.
    """
    territories: Dict[str, str]
    default: Optional[str] = ...
    do: Literal["assign_by_territory"] = "assign_by_territory"

class ActionSetRating(NamedTuple):
    """Set the lead's rating (`hot`, `warm`, `cold`).
    """
    rating: str
    do: Literal["set_rating"] = "set_rating"

class ActionAddToCampaign(NamedTuple):
    """Add the record to a campaign's members.
    """
    campaign: str
    do: Literal["add_to_campaign"] = "add_to_campaign"

class ActionAddToSegment(NamedTuple):
    """Pin the record in a segment.
    """
    segment: str
    do: Literal["add_to_segment"] = "add_to_segment"

class ActionWait(NamedTuple):
    """Wait, then re-check `conditions` on the record as it is then, and do `then`.
    """
    days: int
    then: List[Action]
    conditions: List[Condition] = ...
    do: Literal["wait"] = "wait"

class Template(NamedTuple):
    """An e-mail template.
    """
    name: str
    subject: str
    body: str
    missing: MissingFields

class AutomationRule(NamedTuple):
    """A rule.
    """
    id: AutomationRuleId
    version: Version
    name: str
    active: bool
    trigger: Trigger
    actions: List[Action]
    once_per_record: bool

class AutomationRun(NamedTuple):
    """What a run of the automation engine did.
    """
    events: int
    cursor: int
    actions: List[AutomationAction]

class AutomationAction(NamedTuple):
    """A planned action as stored (the outbox).
    """
    id: AutomationActionId
    version: Version
    key: str
    rule: AutomationRuleId
    subject_kind: str
    subject_id: int
    planned: Planned
    status: ActionStatus
    planned_at: datetime
    note: Optional[str] = ...
    finished_at: Optional[datetime] = ...

class PlannedSendEmail(NamedTuple):
    """Send this e-mail.
    """
    email: RenderedEmail
    do: Literal["send_email"] = "send_email"

class PlannedCreateTask(NamedTuple):
    """Create this task.
    """
    title: str
    due_at: datetime
    owner: Optional[str] = ...
    do: Literal["create_task"] = "create_task"

class PlannedAssignOwner(NamedTuple):
    """Make `owner` the record's owner.
    """
    owner: str
    do: Literal["assign_owner"] = "assign_owner"

class PlannedSetRating(NamedTuple):
    """Set the lead's rating.
    """
    rating: str
    do: Literal["set_rating"] = "set_rating"

class PlannedAddToCampaign(NamedTuple):
    """Add the record to a campaign.
    """
    campaign: str
    do: Literal["add_to_campaign"] = "add_to_campaign"

class PlannedAddToSegment(NamedTuple):
    """Pin the record in a segment.
    """
    segment: str
    do: Literal["add_to_segment"] = "add_to_segment"

class PlannedWait(NamedTuple):
    """Re-check later.
    """
    until: datetime
    conditions: List[Condition]
    then: List[Action]
    do: Literal["wait"] = "wait"

class PlannedSkipped(NamedTuple):
    """Nothing: the action was skipped (why).
    """
    reason: str
    do: Literal["skipped"] = "skipped"

class RenderedEmail(NamedTuple):
    """A rendered e-mail.
    """
    template: str
    subject: str
    body: str
    missing: List[str]
    to: Optional[str] = ...

class RuleSet(NamedTuple):
    """A set of scoring rules.
    """
    thresholds: Thresholds
    fit: List[FitRule] = ...
    engagement: List[EngagementRule] = ...
    max_score: Optional[float] = ...
    min_score: Optional[float] = ...

class FitRule(NamedTuple):
    """Points for leads whose attribute passes a test.
    """
    name: str
    points: float

class EngagementRule(NamedTuple):
    """Points per touchpoint of a kind, halving every `half_life_days`.
    """
    name: str
    kind: str
    points: float
    half_life_days: float
    max_points: Optional[float] = ...

class Thresholds(NamedTuple):
    """Score thresholds for ratings.
    """
    hot: float
    warm: float

class RescoreReport(NamedTuple):
    """What a re-scoring did.
    """
    scored: int
    changed: int

class ModelFile(NamedTuple):
    """A model file.
    """
    format_version: int
    features: FeatureSpec
    subject: ModelSubject
    model: Model
    thresholds: Thresholds
    target: Optional[CustomerTarget] = ...
    estimator: Optional[Estimator] = ...

class FeatureSpec(NamedTuple):
    """An ordered list of features.
    """
    features: List[Feature]

class FeatureScore(NamedTuple):
    """The lead's current score (0 when unscored).
    """
    feature: Literal["score"] = "score"

class FeatureCustomNumber(NamedTuple):
    """A custom field read as a number (0 when absent or not a number).
    """
    field: str
    feature: Literal["custom_number"] = "custom_number"

class FeaturePresent(NamedTuple):
    """Whether the attribute has a value (1 or 0).
    """
    attribute: Attribute
    feature: Literal["present"] = "present"

class FeatureOneHot(NamedTuple):
    """One column per vocabulary value and one for *other* (1 in the value's column).
    A missing value gives all zeros.
    """
    attribute: Attribute
    max_values: int
    vocabulary: List[str] = ...
    feature: Literal["one_hot"] = "one_hot"

class FeatureEngagement(NamedTuple):
    """Σ 0.5^(age / half-life) over touches of a kind: a touch now counts 1.
    """
    kind: str
    half_life_days: float
    feature: Literal["engagement"] = "engagement"

class FeatureTouchCount(NamedTuple):
    """Touches of a kind in the last `days` days.
    """
    kind: str
    days: float
    feature: Literal["touch_count"] = "touch_count"

class FeatureDaysSinceLastTouch(NamedTuple):
    """Days since the last touch of any kind, capped at `cap_days` (also when none).
    """
    cap_days: float
    feature: Literal["days_since_last_touch"] = "days_since_last_touch"

class FeaturePurchaseCount(NamedTuple):
    """Purchases recorded (for a lead: its converted contact's).
    """
    feature: Literal["purchase_count"] = "purchase_count"

class FeatureDaysSinceLastPurchase(NamedTuple):
    """Days since the last purchase, capped at `cap_days` (also when none): recency.
    """
    cap_days: float
    feature: Literal["days_since_last_purchase"] = "days_since_last_purchase"

class FeatureDaysSinceFirstPurchase(NamedTuple):
    """Days since the first purchase, capped at `cap_days` (0 when none): tenure.
    """
    cap_days: float
    feature: Literal["days_since_first_purchase"] = "days_since_first_purchase"

class FeaturePurchases(NamedTuple):
    """Purchases in the last `days` days: frequency.
    """
    days: float
    feature: Literal["purchases"] = "purchases"

class FeatureSpend(NamedTuple):
    """What was paid in the last `days` days (order line nets, else quantity × unit
    price, in the purchases' own currencies): monetary value.
    """
    days: float
    feature: Literal["spend"] = "spend"

class FeatureBought(NamedTuple):
    """Purchases of any of these products (SKUs; a product group), ever or in the last
    `days` days.
    """
    products: List[str]
    days: Optional[float] = ...
    feature: Literal["bought"] = "bought"

class FeatureCases(NamedTuple):
    """Service cases opened in the last `days` days, of one category (`complaint`,
    `question`, `incident`, `request`) or all.
    """
    days: float
    category: Optional[str] = ...
    feature: Literal["cases"] = "cases"

class FeatureSlaBreaches(NamedTuple):
    """SLA breaches recorded on the customer's cases in the last `days` days.
    """
    days: float
    feature: Literal["sla_breaches"] = "sla_breaches"

class FeatureActiveContracts(NamedTuple):
    """Contracts of the customer's account in force (started, not ended, not cancelled).
    """
    feature: Literal["active_contracts"] = "active_contracts"

class FeatureEndedContracts(NamedTuple):
    """Contracts of the customer's account that ended in the last `days` days.
    """
    days: float
    feature: Literal["ended_contracts"] = "ended_contracts"

class FeatureColumn(NamedTuple):
    """A value the caller supplies in a column of its own matrix (a model trained on a
    data scientist's own features). Leads cannot fill it: a spec with such columns
    scores matrices, not leads.
    """
    name: str
    feature: Literal["column"] = "column"

class AttributeJobTitle(NamedTuple):
    """The job title.
    """
    attribute: Literal["job_title"] = "job_title"

class AttributeCompany(NamedTuple):
    """The company name.
    """
    attribute: Literal["company"] = "company"

class AttributeCountry(NamedTuple):
    """The ISO country code of the address.
    """
    attribute: Literal["country"] = "country"

class AttributeEmailDomain(NamedTuple):
    """The e-mail domain.
    """
    attribute: Literal["email_domain"] = "email_domain"

class AttributeEmailKind(NamedTuple):
    """`free` for free-mail addresses (gmail…), else `business`.
    """
    attribute: Literal["email_kind"] = "email_kind"

class AttributeSource(NamedTuple):
    """The source kind (`manual`, `web_form`, `csv_import`, `api`).
    """
    attribute: Literal["source"] = "source"

class AttributeCampaign(NamedTuple):
    """The campaign.
    """
    attribute: Literal["campaign"] = "campaign"

class AttributeAd(NamedTuple):
    """The ad (the creative the lead came from).
    """
    attribute: Literal["ad"] = "ad"

class AttributeUtmSource(NamedTuple):
    """`utm_source`.
    """
    attribute: Literal["utm_source"] = "utm_source"

class AttributeUtmMedium(NamedTuple):
    """`utm_medium`.
    """
    attribute: Literal["utm_medium"] = "utm_medium"

class AttributeAffiliate(NamedTuple):
    """The affiliate.
    """
    attribute: Literal["affiliate"] = "affiliate"

class AttributeAgeBand(NamedTuple):
    """The age band (`25-34`…).
    """
    attribute: Literal["age_band"] = "age_band"

class AttributeGender(NamedTuple):
    """The gender.
    """
    attribute: Literal["gender"] = "gender"

class AttributeIncomeBand(NamedTuple):
    """The income band.
    """
    attribute: Literal["income_band"] = "income_band"

class AttributeCustom(NamedTuple):
    """A custom field, by name.
    """
    name: str
    attribute: Literal["custom"] = "custom"

class CustomerTargetBuys(NamedTuple):
    """1 when the customer buys any of the products (a product or a product group).
    """
    products: List[str]
    horizon_days: int
    target: Literal["buys"] = "buys"

class CustomerTargetChurn(NamedTuple):
    """1 when the customer buys nothing.
    """
    horizon_days: int
    target: Literal["churn"] = "churn"

class CustomerTargetValue(NamedTuple):
    """The revenue the customer brings (order line nets, else quantity × unit price).
    """
    horizon_days: int
    target: Literal["value"] = "value"

class Estimator(NamedTuple):
    """Who fitted a model and how: what a file needs to be turned back into the estimator
    that wrote it (scikit-learn's `get_params()` and `classes_`).
    """
    name: str
    params: Any
    classes: List[Any] = ...

class ModelLogistic(NamedTuple):
    """Logistic regression over the file's feature spec.
    """
    coef: List[float]
    intercept: float
    report: FitReport
    kind: Literal["logistic"] = "logistic"

class ModelNaiveBayes(NamedTuple):
    """Naive Bayes over categorical lead attributes (values lower-cased).
    """
    attributes: List[Attribute]
    model: NaiveBayesModel
    kind: Literal["naive_bayes"] = "naive_bayes"

class ModelRules(NamedTuple):
    """A rule set (its own thresholds rate the score); scores leads only.
    """
    thresholds: Thresholds
    fit: List[FitRule] = ...
    engagement: List[EngagementRule] = ...
    max_score: Optional[float] = ...
    min_score: Optional[float] = ...
    kind: Literal["rules"] = "rules"

class ModelValue(NamedTuple):
    """An RFM value grid over the file's three feature columns (recency, frequency,
    monetary): expected revenue, not a probability.
    """
    recency_edges: List[float]
    frequency_edges: List[float]
    monetary_edges: List[float]
    cells: List[float]
    counts: List[int]
    overall: float
    kind: Literal["value"] = "value"

class FitReport(NamedTuple):
    """How a fit went.
    """
    iterations: int
    objective: float
    gradient_norm: float

class LogisticModel(NamedTuple):
    """A fitted logistic regression.
    """
    coef: List[float]
    intercept: float
    report: FitReport

class NaiveBayesModel(NamedTuple):
    """A fitted naive Bayes model.
    """
    alpha: float
    prior_log_odds: float
    fields: List[CategoricalField]

class CategoricalField(NamedTuple):
    """One categorical field of a fitted model.
    """
    name: str
    vocabulary: List[str]
    log_ratio: List[float]

class ValueModel(NamedTuple):
    """A fitted RFM value model over three feature columns: recency (days since the last
    purchase), frequency (purchases in the window) and monetary value (spend in the
    window), in that order.
    """
    recency_edges: List[float]
    frequency_edges: List[float]
    monetary_edges: List[float]
    cells: List[float]
    counts: List[int]
    overall: float

class TrainingSet(NamedTuple):
    """Past leads as a training set: one row per decided lead.
    """
    spec: FeatureSpec
    columns: List[str]
    x: List[float]
    y: List[float]
    leads: List[LeadId]

class FeatureRows(NamedTuple):
    """Feature rows of chosen leads, as a spec builds them at one instant.
    """
    columns: List[str]
    x: List[float]
    leads: List[LeadId]

class CustomerTrainingSet(NamedTuple):
    """Customers as a training set: one row per customer at the cut-off, labelled with what
    they did in the period after it.
    """
    spec: FeatureSpec
    target: CustomerTarget
    cutoff: datetime
    columns: List[str]
    x: List[float]
    y: List[float]
    contacts: List[ContactId]

class CustomerRows(NamedTuple):
    """Feature rows of chosen customers at one instant.
    """
    columns: List[str]
    x: List[float]
    contacts: List[ContactId]

class CustomerFitOptions(NamedTuple):
    """How to fit a customer model.
    """
    c: float
    bins: int

class CustomerModelEvaluation(NamedTuple):
    """How a customer model did on a period it was not trained on.
    """
    rows: int
    mean_label: float
    calibration: List[CalibrationBin]
    auc: Optional[float] = ...
    log_loss: Optional[float] = ...
    calibration_error: Optional[float] = ...
    recency_auc: Optional[float] = ...
    mae: Optional[float] = ...
    rmse: Optional[float] = ...
    baseline_mae: Optional[float] = ...
    predicted_total: Optional[float] = ...
    actual_total: Optional[float] = ...

class CalibrationBin(NamedTuple):
    """One bin of a calibration table.
    """
    lower: float
    upper: float
    count: int  # type: ignore[assignment]
    mean_predicted: float
    observed_rate: float

class CustomerPrediction(NamedTuple):
    """A customer's prediction with the reasons for it.
    """
    contact: ContactId
    value: float
    rating: str
    reasons: List[Reason]

class Reason(NamedTuple):
    """One feature's part in a score: its contribution to the log-odds (logistic, naive
    Bayes), or for a value model the customer's RFM bin (1 = most recent / least).
    """
    feature: str
    contribution: float

class NamedModel(NamedTuple):
    """A model with the name its predictions go by.
    """
    name: str
    model: ModelFile

class Recommendation(NamedTuple):
    """One recommendation for a customer: a model (a product to offer, a risk to act on) and
    how strongly it applies.
    """
    name: str
    value: float
    rating: str
    reasons: List[Reason]

class AccountRisk(NamedTuple):
    """An account's churn risk, with what is at stake and why.
    """
    account: AccountId
    name: str
    risk: float
    rating: str
    revenue: float
    revenue_at_risk: float
    customers: int
    most_at_risk: ContactId
    reasons: List[Reason]

class EventEnvelope(NamedTuple):
    """An event as stored in the log.
    """
    sequence: int
    aggregate: EntityKind
    aggregate_id: int
    event_type: str
    event_version: int
    payload: Any
    at: datetime
    actor: Actor

class Delivery(NamedTuple):
    """One hand-off owed to another system.
    """
    id: DeliveryId
    version: Version
    target: str
    idempotency_key: str
    payload: Any
    policy: RetryPolicy
    created_at: datetime
    status: DeliveryStatus
    attempts: int
    failures: int
    next_attempt_at: datetime
    reply: Any
    subject: Optional[RecordKey] = ...
    lease_until: Optional[datetime] = ...
    last_error: Optional[str] = ...
    delivered_at: Optional[datetime] = ...

class RetryPolicy(NamedTuple):
    """How often and how long a delivery is tried.
    """
    first_delay_secs: int
    max_delay_secs: int
    max_attempts: int
    lease_secs: int

class OnDependantsRefuse(NamedTuple):
    """Refuse (`in_use`) while records that block the delete exist; owned records go with
    it and optional references are cleared.
    """
    mode: Literal["refuse"] = "refuse"

class OnDependantsCascade(NamedTuple):
    """Delete every dependant too, and theirs.
    """
    mode: Literal["cascade"] = "cascade"

class OnDependantsRepoint(NamedTuple):
    """Point every dependant at another record of the same kind, then delete.
    """
    to: RecordKey
    mode: Literal["repoint"] = "repoint"

class Deleted(NamedTuple):
    """What a delete did.
    """
    deleted: List[RecordKey]
    repointed: List[RecordKey]
    detached: List[RecordKey]

class HistoryEntry(NamedTuple):
    """One entry of a record's history: an event about it, with who did it and, for an edit,
    which fields changed from what to what.
    """
    sequence: int
    at: datetime
    actor: Actor
    event: str
    changes: List[FieldChange]

class FieldChange(NamedTuple):
    """One field's change in an edit: its old and new values in their serde form (`null`
    when the field was or became empty).
    """
    field: str
    old: Any
    new: Any

class ExternalLink(NamedTuple):
    """A record's id in another system.
    """
    id: ExternalLinkId
    version: Version
    record: RecordKey
    system: str
    external_id: str
    linked_at: datetime

class ListQuery(NamedTuple):
    """What a listing returns: which records, in which order, from where, how many.
    """
    filter: List[FieldCondition] = ...
    sort: List[SortKey] = ...
    after: Optional[str] = ...
    limit: Optional[int] = ...

class SortKey(NamedTuple):
    """One sort key.
    """
    field: str
    descending: bool

class Page(NamedTuple):
    """One page of a listing.
    """
    items: List[Any]
    next: Optional[str] = ...

class SearchQuery(NamedTuple):
    """A search across records.
    """
    text: str
    kinds: List[EntityKind] = ...
    limit: Optional[int] = ...

class SearchResult(NamedTuple):
    """A record a search found.
    """
    record: RecordKey
    title: str
    field: str
    snippet: str
    score: float

class ExportOptions(NamedTuple):
    """What to export, and how.
    """
    format: ExportFormat
    filter: List[FieldCondition] = ...
    columns: List[str] = ...
    delimiter: Optional[str] = ...

class ExportReport(NamedTuple):
    """What an export wrote.
    """
    records: int
    columns: List[str]

class ImportRecordsOptions(NamedTuple):
    """How to import a file.
    """
    lenient: bool
    format: Optional[ImportFormat] = ...
    encoding: Optional[str] = ...
    delimiter: Optional[str] = ...
    columns: Dict[str, str] = ...
    external_system: Optional[str] = ...
    external_id_column: Optional[str] = ...
    created_at_column: Optional[str] = ...
    batch_size: Optional[int] = ...
    duplicates: Optional[DuplicatePolicy] = ...
    label: Optional[str] = ...

class ImportRecordsReport(NamedTuple):
    """What an import did.
    """
    rows: int
    created: int
    updated: int
    refused: int
    problems: List[ImportProblem]
    ignored_columns: List[str]
    format: ImportFormat
    encoding: str
    delimiter: Optional[str] = ...

class ImportProblem(NamedTuple):
    """One problem of an import.
    """
    row: int
    code: str
    message: str
    left_out: bool
    column: Optional[str] = ...

class PersonLead(NamedTuple):
    """The person a lead is about.
    """
    id: LeadId
    by: Literal["lead"] = "lead"

class PersonContact(NamedTuple):
    """The person a contact is.
    """
    id: ContactId
    by: Literal["contact"] = "contact"

class PersonEmail(NamedTuple):
    """Whoever has this e-mail address.
    """
    address: Email
    by: Literal["email"] = "email"

class Erasure(NamedTuple):
    """What an erasure did.
    """
    anonymised: List[RecordKey]
    deleted: List[RecordKey]
    scrubbed: List[RecordKey]
    events_redacted: int

class DuplicateRules(NamedTuple):
    """How records of one kind are matched: which keys count, and whether names match
    exactly or fuzzily, at which thresholds. `DuplicateRules::DEFAULT` is the rule set
    the module docs describe.
    """
    email: bool
    phone: bool
    name: Optional[NameRule] = ...

class NameRule(NamedTuple):
    """How names match.
    """
    exact: bool
    name_threshold: float
    company_threshold: float
    require_company: bool

class DuplicateReview(NamedTuple):
    """A pair of records that may be one person, for a person to judge.
    """
    id: DuplicateReviewId
    version: Version
    first: RecordKey
    second: RecordKey
    reason: MatchReason
    possible: bool
    status: ReviewStatus
    found_at: datetime
    survivor: Optional[RecordKey] = ...
    decided_at: Optional[datetime] = ...
    decided_by: Optional[str] = ...

class ResolutionMerge(NamedTuple):
    """The two are one: merge them into `survivor` (one of the pair; both leads or both
    contacts — a lead that duplicates a contact is converted onto it instead).
    """
    survivor: RecordKey
    choices: MergeChoices = ...
    decision: Literal["merge"] = "merge"

class ResolutionNotDuplicate(NamedTuple):
    """Different people: remembered, never reported again.
    """
    decision: Literal["not_duplicate"] = "not_duplicate"

class NewCustomField(NamedTuple):
    """A new custom field.
    """
    kind: EntityKind
    name: str
    spec: CustomFieldSpec

class CustomFieldSpec(NamedTuple):
    """What defines a custom field (all of it but its kind and name, which a redefinition
    keeps).
    """
    label: str
    field_type: FieldType
    required: bool
    default: Any
    description: Optional[str] = ...

class FieldTypeText(NamedTuple):
    """One line of text.
    """
    max_length: Optional[int] = ...
    type: Literal["text"] = "text"

class FieldTypeNumber(NamedTuple):
    """A number (JSON number; `"250"` is read as 250).
    """
    type: Literal["number"] = "number"

class FieldTypeDecimal(NamedTuple):
    """An exact decimal, stored as text (`"12.50"`).
    """
    type: Literal["decimal"] = "decimal"

class FieldTypeMoney(NamedTuple):
    """An amount of one currency, stored as `{"amount": "12.50", "currency": "EUR"}`;
    a bare amount is read in the field's currency.
    """
    currency: str
    type: Literal["money"] = "money"

class FieldTypeDate(NamedTuple):
    """A calendar day, `YYYY-MM-DD`.
    """
    type: Literal["date"] = "date"

class FieldTypeInstant(NamedTuple):
    """An instant, RFC 3339, stored in UTC.
    """
    type: Literal["instant"] = "instant"

class FieldTypeBoolean(NamedTuple):
    """Yes or no (`true`/`false`; `"yes"`, `"no"`, `"1"`, `"0"` are read too).
    """
    type: Literal["boolean"] = "boolean"

class FieldTypePicklist(NamedTuple):
    """One of a list of values (matched ignoring case, stored as the list spells it).
    """
    values: List[str]
    type: Literal["picklist"] = "picklist"

class FieldTypeMultiPicklist(NamedTuple):
    """Any of a list of values: a list (or a text with `;` between values), stored in the
    list's order without repeats.
    """
    values: List[str]
    type: Literal["multi_picklist"] = "multi_picklist"

class FieldTypeEmail(NamedTuple):
    """An e-mail address, stored in its normal form.
    """
    type: Literal["email"] = "email"

class FieldTypePhone(NamedTuple):
    """A phone number, stored in E.164; national numbers are read in the CRM's region.
    """
    type: Literal["phone"] = "phone"

class FieldTypeUrl(NamedTuple):
    """An `http` or `https` address.
    """
    type: Literal["url"] = "url"

class CustomField(NamedTuple):
    """A custom field of a record kind.
    """
    id: CustomFieldId
    version: Version
    kind: EntityKind
    name: str
    spec: CustomFieldSpec
    created_at: datetime
    updated_at: datetime

class CustomFieldChange(NamedTuple):
    """What a redefinition did to the stored records.
    """
    field: CustomField
    records_changed: int

class UserSpec(NamedTuple):
    """A user to create or replace, by login.
    """
    login: str
    active: bool
    name: Optional[str] = ...
    locale: Optional[str] = ...
    time_zone: Optional[str] = ...
    manager: Optional[str] = ...
    role: Optional[str] = ...
    permission_sets: List[str] = ...

class User(NamedTuple):
    """A stored user.
    """
    id: UserId
    version: Version
    login: str
    active: bool
    permission_sets: List[str]
    name: Optional[str] = ...
    locale: Optional[str] = ...
    time_zone: Optional[str] = ...
    manager: Optional[str] = ...
    role: Optional[str] = ...

class TeamSpec(NamedTuple):
    """A team to create or replace, by name.
    """
    name: str
    members: List[str] = ...

class Team(NamedTuple):
    """A stored team.
    """
    id: TeamId
    version: Version
    name: str
    members: List[str]

class RoleSpec(NamedTuple):
    """A role to create or replace, by name.
    """
    name: str
    parent: Optional[str] = ...
    permission_sets: List[str] = ...
    fields: List[FieldRule] = ...

class FieldRule(NamedTuple):
    """One field restricted for a role.
    """
    kind: EntityKind
    field: str
    access: FieldAccess

class Role(NamedTuple):
    """A stored role.
    """
    id: RoleId
    version: Version
    name: str
    permission_sets: List[str]
    fields: List[FieldRule]
    parent: Optional[str] = ...

class PermissionSetSpec(NamedTuple):
    """A permission set to create or replace, by name.
    """
    name: str
    objects: List[ObjectPermission] = ...
    system: List[SystemPermission] = ...

class ObjectPermission(NamedTuple):
    """What a permission set allows on one record kind.
    """
    kind: EntityKind
    read: bool
    create: bool
    edit: bool
    delete: bool
    export: bool
    view_all: bool
    modify_all: bool

class PermissionSet(NamedTuple):
    """A stored permission set.
    """
    id: PermissionSetId
    version: Version
    name: str
    objects: List[ObjectPermission]
    system: List[SystemPermission]

class OrgDefaultSetting(NamedTuple):
    """The organisation-wide default of one kind, as stored.
    """
    id: OrgDefaultId
    version: Version
    kind: EntityKind
    default: OrgDefault

class SharingRuleSpec(NamedTuple):
    """A sharing rule to create or replace, by name.
    """
    name: str
    kind: EntityKind
    grantee: GranteeRef
    access: ShareAccess
    filter: List[FieldCondition] = ...

class GranteeRefUser(NamedTuple):
    """One user, by login.
    """
    name: str
    type: Literal["user"] = "user"

class GranteeRefTeam(NamedTuple):
    """The members of a team.
    """
    name: str
    type: Literal["team"] = "team"

class GranteeRefRole(NamedTuple):
    """The users in one role.
    """
    name: str
    type: Literal["role"] = "role"

class GranteeRefRoleAndBelow(NamedTuple):
    """The users in a role and in every role below it.
    """
    name: str
    type: Literal["role_and_below"] = "role_and_below"

class SharingRule(NamedTuple):
    """A stored sharing rule.
    """
    id: SharingRuleId
    version: Version
    name: str
    kind: EntityKind
    filter: List[FieldCondition]
    grantee: GranteeRef
    access: ShareAccess

class Share(NamedTuple):
    """A record shared by hand with a user or a team.
    """
    id: ShareId
    version: Version
    record: RecordKey
    grantee: GranteeRef
    access: ShareAccess

class AssignmentRuleSpec(NamedTuple):
    """An assignment rule to create or replace, by name.
    """
    name: str
    kind: EntityKind
    order: int
    assign: Assignee
    filter: List[FieldCondition] = ...

class AssigneeUser(NamedTuple):
    """One user, by login.
    """
    name: str
    type: Literal["user"] = "user"

class AssigneeTeam(NamedTuple):
    """A team: the record's owner is `team:<name>`.
    """
    name: str
    type: Literal["team"] = "team"

class AssigneeRoundRobin(NamedTuple):
    """The members of a team, each in turn.
    """
    name: str
    type: Literal["round_robin"] = "round_robin"

class AssigneeLeastLoaded(NamedTuple):
    """The member of a team with the fewest open records of the kind (leads new or being
    worked, cases not closed); the first in the team's order on a tie.
    """
    name: str
    type: Literal["least_loaded"] = "least_loaded"

class AssignmentRule(NamedTuple):
    """A stored assignment rule.
    """
    id: AssignmentRuleId
    version: Version
    name: str
    kind: EntityKind
    order: int
    filter: List[FieldCondition]
    assign: Assignee
    turn: int

def to_rows(records: Iterable[Any]) -> List[Dict[str, Any]]: ...
def to_pandas(records: Iterable[Any]) -> Any: ...
def to_polars(records: Iterable[Any]) -> Any: ...
