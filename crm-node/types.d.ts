/* The records of crm-core as the Node binding hands them over: generated from the Rust
 * sources by scripts/gen_node_types.py (do not edit by hand).
 * - Keys are camelCase; enumeration values stay as crm-core writes them ("pending_customer").
 * - Money is { amount, currency } with the amount a decimal string; never a JS number.
 * - Instants are ISO-8601 strings in records (UTC, "2026-03-02T09:30:00Z"); days are
 *   "YYYY-MM-DD". Arguments named `now`, `at`, `from`… accept a Date too.
 * - Ids are numbers.
 */

/** An instant: a Date, or an ISO-8601 string with an offset. */
export type Instant = Date | string

/** How a CRM opens. */
export interface CrmOptions {
  /** The region national phone numbers are read in when a lead names no country (default US). */
  region?: string
}

/** Options of `priceDocument`. */
export interface PricingOptions {
  /** A discount on the whole document, in percent (decimal string). */
  documentDiscount?: string
  /** The tax rates the lines name. */
  taxes?: TaxRate[]
}

/** What every error thrown by crm-core carries. */
export interface CrmError extends Error {
  /** crm-core's stable error code: `validation_failed`, `not_found`, `conflict`, … */
  code: ErrorCode
  /** The error's fields (the bad value, the problems by field, the versions…). */
  details: Record<string, unknown>
}

/** A company we sell to. */
export interface Account {
  /** Id, assigned by the store. */
  id: AccountId
  /** Version. */
  version: number
  /** Company name. */
  name: string
  /** Web site or e-mail domain (`acme.com`), lower case. */
  domain?: string | null
  /** Main phone. */
  phone?: string | null
  /** Postal address. */
  address?: Address
  /** Industry. */
  industry?: string | null
  /** Owner (account manager). */
  owner?: string | null
  /** Custom fields. */
  custom?: Record<string, string>
  /** Created. */
  createdAt: string
  /** Last changed. */
  updatedAt: string
}

export type AccountId = number

/** An action of a rule. */
export type Action =
  /** Send an e-mail. */
  | { do: 'send_email' } & {
    /** The template. */
    template: Template
  }
  /** Create a task. */
  | { do: 'create_task' } & {
    /** Its title (merge fields allowed). */
    title: string
    /** Due this many days after the event. */
    dueInDays: number
    /** Its owner (none: the record's owner). */
    owner?: string | null
  }
  /** Assign the record to the next owner in turn. */
  | { do: 'assign_round_robin' } & {
    /** The owners, in turn. */
    owners: string[]
  }
  /** Assign the record by its country. */
  | { do: 'assign_by_territory' } & {
    /** Country (ISO code) → owner. */
    territories: Record<string, string>
    /** Owner for other countries (none: leave it). */
    default?: string | null
  }
  /** Set the lead's rating (`hot`, `warm`, `cold`). */
  | { do: 'set_rating' } & {
    /** The rating. */
    rating: string
  }
  /** Add the record to a campaign's members. */
  | { do: 'add_to_campaign' } & {
    /** The campaign code. */
    campaign: string
  }
  /** Pin the record in a segment. */
  | { do: 'add_to_segment' } & {
    /** The segment name. */
    segment: string
  }
  /** Wait, then re-check `conditions` on the record as it is then, and do `then`. */
  | { do: 'wait' } & {
    /** How long. */
    days: number
    /** Conditions checked after the wait. */
    conditions?: Condition[]
    /** What to do if they hold. */
    then: Action[]
  }

/** A call, meeting, e-mail or task. */
export interface Activity {
  /** Id, assigned by the store. */
  id: ActivityId
  /** Version. */
  version: number
  /** Kind. */
  kind: ActivityKind
  /** What it is about. */
  subject: { kind: 'lead' | 'contact' | 'account' | 'opportunity' | 'quote' | 'case' | 'asset' | 'campaign' | string; id: number }
  /** A one-line summary. */
  title: string
  /** Details. */
  notes?: string | null
  /** Who does it. */
  owner?: string | null
  /** When it is due (or starts). */
  dueAt?: string | null
  /** Planned or actual length in minutes. */
  durationMinutes?: number | null
  /** When it was completed. */
  completedAt?: string | null
  /** What came of it. */
  outcome?: string | null
  /** Created. */
  createdAt: string
}

export type ActivityId = number

/** A knowledge-base article. */
export type Article = {
  /** Its id. */
  id: ArticleId
  /** Its version. */
  version?: number
  /** Where it is. */
  status: ArticleStatus
  /** When it last changed. */
  updatedAt: string
} & ArticleContent

/** A change to an article: the fields given replace the article's, the rest stay. */
export interface ArticleChange {
  /** A new title. */
  title?: string | null
  /** A new body. */
  body?: string | null
  /** New tags. */
  tags?: string[] | null
  /** New products. */
  products?: string[] | null
  /** A new status. */
  status?: ArticleStatus | null
}

/** What an article says. */
export interface ArticleContent {
  /** Its title. */
  title: string
  /** Its text. */
  body: string
  /** Tags. */
  tags?: string[]
  /** Products (SKUs) it is about. */
  products?: string[]
}

export type ArticleId = number

/** Where an article is in its life. */
export type ArticleStatus = 'draft' | 'published' | 'archived'

/** A piece of equipment at a customer's site. */
export interface Asset {
  /** Its id. */
  id: AssetId
  /** Its version. */
  version?: number
  /** The manufacturer's serial number. */
  serialNumber: string
  /** The product's SKU. */
  product: string
  /** The owner. */
  account: AccountId
  /** A display name. */
  name: string
  /** When it was installed. */
  installedOn?: string | null
  /** Where it is. */
  location?: string | null
  /** Its status. */
  status: AssetStatus
}

export type AssetId = number

/** Where an asset is in its life. */
export type AssetStatus = 'active' | 'in_repair' | 'retired'

/** An attribution model. */
export type AttributionModel =
  /** Everything to the first touch. */
  | { model: 'first_touch' }
  /** Everything to the last touch. */
  | { model: 'last_touch' }
  /** Equal shares. */
  | { model: 'linear' }
  /** Shares halving every `half_life_days` before the close. */
  | { model: 'time_decay' } & {
    /** The half-life in days (positive). */
    halfLifeDays: number
  }
  /** 40 % first, 40 % last, 20 % shared by the middle. */
  | { model: 'position_based' }

/** Attribution of won revenue. */
export interface AttributionReport {
  /** The model. */
  model: AttributionModel
  /** Won deals in the period with touches. */
  deals: number
  /** Their revenue (equal to the sum of every dimension's credits). */
  revenue: string
  /** Won deals without any touch before the close (their revenue is not credited). */
  dealsWithoutTouches: number
  /** Deals in another currency than the report's, left out. */
  skippedOtherCurrency: number
  /** Credits by ad, affiliate, campaign and channel. */
  rows: CreditRow[]
}

/** A planned action as stored (the outbox). */
export type AutomationAction = {
  /** Its id. */
  id: AutomationActionId
  /** Its version. */
  version?: number
  /** Where it is. */
  status: ActionStatus
  /** When it was planned. */
  plannedAt: string
  /** Why it failed or was skipped. */
  note?: string | null
  /** When the host marked it done or failed. */
  finishedAt?: string | null
} & PlannedAction

export type AutomationActionId = number

/** A rule. */
export interface AutomationRule {
  /** Its id. */
  id: AutomationRuleId
  /** Its version. */
  version?: number
  /** Its name (unique, case-insensitive). */
  name: string
  /** Whether it runs. */
  active: boolean
  /** What starts it. */
  trigger: Trigger
  /** What it does. */
  actions: Action[]
  /** Fire at most once per record (a score *crossing* a threshold, a welcome e-mail). */
  oncePerRecord?: boolean
}

/** What a run of the automation engine did. */
export interface AutomationRun {
  /** Events read. */
  events: number
  /** The cursor after the run. */
  cursor: number
  /** Actions stored by this run (pending, waiting or skipped). */
  actions: AutomationAction[]
}

/** A team's working time. */
export interface BusinessCalendarDefinition {
  /** The time zone of the wall-clock times. */
  timeZone: string
  /** The working intervals of a week. */
  intervals: WorkingInterval[]
  /** Days off (local dates). */
  holidays?: string[]
  /** One-off exceptions: the working hours of a date, instead of its weekday's (and instead of a holiday on it). An end not after its start runs into the next day. */
  exceptions?: Record<string, ([string, string])[]>
}

/** A named calendar as stored. */
export interface CalendarRecord {
  /** Its id. */
  id: CalendarId
  /** Its version. */
  version?: number
  /** Its name (lower case; unique). */
  name: string
  /** The calendar. */
  calendar: BusinessCalendarDefinition
}

/** A campaign. */
export interface Campaign {
  /** Its id. */
  id: CampaignId
  /** Its version. */
  version?: number
  /** Its code. */
  code: string
  /** A display name. */
  name: string
  /** Its channel. */
  channel: CampaignChannel
  /** Where it is. */
  status: CampaignStatus
  /** First day. */
  startsOn: string
  /** Last day. */
  endsOn: string
  /** The budget. */
  budget: Money
  /** Costs recorded beyond the ads' (printing, venue…). */
  otherCost: Money
  /** Ads and tracked links. */
  ads: Ad[]
  /** Products it promotes. */
  targetProducts: string[]
  /** Segments it targets. */
  segments: string[]
  /** Countries it targets. */
  geographies: string[]
  /** Who it was sent to. */
  members?: CampaignMember[]
}

/** Where a campaign is. */
export type CampaignStatus = 'planned' | 'active' | 'completed' | 'cancelled'

/** A captured lead and the existing records it may duplicate. */
export interface Captured {
  /** The stored lead. */
  lead: Lead
  /** Possible duplicates among stored leads and contacts. */
  duplicates: DuplicateMatch[]
}

/** A service case. */
export interface Case {
  /** Its id. */
  id: CaseId
  /** Its version. */
  version?: number
  /** Its tracking number. */
  number: string
  /** A one-line summary. */
  subject: string
  /** The full description. */
  description: string
  /** How it came in. */
  channel: CaseChannel
  /** What kind of case. */
  category: CaseCategory
  /** How urgent. */
  priority: CasePriority
  /** Where it is. */
  status: CaseStatus
  /** The customer's account. */
  account?: AccountId | null
  /** The person who reported it. */
  contact?: ContactId | null
  /** The equipment concerned. */
  asset?: AssetId | null
  /** The contract it is worked under. */
  contract?: ContractId | null
  /** Who works it. */
  owner?: string | null
  /** When it was opened. */
  openedAt: string
  /** Every change, oldest first. */
  history: CaseHistoryEntry[]
  /** Comments, oldest first. */
  comments?: CaseComment[]
  /** SLA alerts already raised (`metric/cycle/state`), so each is raised once. */
  slaAlerts?: string[]
}

/** A comment on a case. */
export interface CaseComment {
  /** Agent or customer. */
  author: CommentAuthor
  /** The author's name. */
  name: string
  /** Whether the customer sees it (internal notes are not responses). */
  public: boolean
  /** The text. */
  body: string
  /** When it was written. */
  at: string
}

export type CaseId = number

/** How urgent a case is (ordered: low < normal < high < urgent). */
export type CasePriority = 'low' | 'normal' | 'high' | 'urgent'

/** A case's SLA at an instant. */
export interface CaseSla {
  /** The case. */
  case: CaseId
  /** The policy that applies (none: no policy matched). */
  policy?: string | null
  /** When it was evaluated. */
  at: string
  /** Each measured metric. */
  metrics: MetricStatus[]
  /** The state needing the most attention. */
  state: SlaState
}

/** Where a case is in its lifecycle. */
export type CaseStatus = 'new' | 'open' | 'pending_customer' | 'on_hold' | 'resolved' | 'closed' | 'reopened'

/** A configured product: the options chosen and its unit price. */
export interface Configuration {
  /** The product. */
  sku: string
  /** The options chosen, in catalog order. */
  options: string[]
  /** List price plus the options' deltas. */
  unitPrice: Money
}

/** A person at an account (or on their own). */
export interface Contact {
  /** Id, assigned by the store. */
  id: ContactId
  /** Version. */
  version: number
  /** Their account, if any. */
  account?: AccountId | null
  /** Given name. */
  firstName?: string | null
  /** Family name. */
  lastName?: string | null
  /** Job title. */
  jobTitle?: string | null
  /** E-mail. */
  email?: string | null
  /** Phone numbers, the first the preferred one. */
  phones?: ContactPhone[]
  /** Postal addresses, the first the preferred one. */
  addresses?: Address[]
  /** When they like to be called. */
  bestTimeToCall?: BestTimeToCall | null
  /** Demographics. */
  demographics?: Demographics
  /** Owner. */
  owner?: string | null
  /** The lead this contact was converted from, if any. */
  fromLeads?: LeadId[]
  /** Custom fields. */
  custom?: Record<string, string>
  /** Created. */
  createdAt: string
  /** Last changed. */
  updatedAt: string
}

export type ContactId = number

/** A service contract. */
export interface Contract {
  /** Its id. */
  id: ContractId
  /** Its version. */
  version?: number
  /** A display name. */
  name: string
  /** The customer. */
  account: AccountId
  /** First day of the term. */
  startsOn: string
  /** Last day of the term. */
  endsOn: string
  /** Assets covered by name. */
  assets: AssetId[]
  /** Products covered. */
  products: string[]
  /** What it entitles to. */
  entitlement: Entitlement
  /** Cases opened under it. */
  casesUsed: number
  /** Hours of service work done under it. */
  hoursUsed: string
  /** The SLA policy its cases are worked under. */
  slaPolicy?: string | null
  /** Whether it was cancelled. */
  cancelled?: boolean
}

export type ContractId = number

/** What a conversion did. */
export interface Conversion {
  /** The converted lead. */
  lead: Lead
  /** Its account. */
  account: Account
  /** Whether the account was created (false: an existing one was linked). */
  accountCreated: boolean
  /** Its contact. */
  contact: Contact
  /** Whether the contact was created. */
  contactCreated: boolean
  /** The opportunity opened, if any. */
  opportunity?: Opportunity | null
  /** Touchpoints moved from the lead to the contact. */
  movedTouchpoints: number
  /** Activities moved from the lead to the contact. */
  movedActivities: number
}

/** How to convert. */
export interface ConvertOptions {
  /** The account. */
  account?: LinkChoice<AccountId>
  /** The contact. */
  contact?: LinkChoice<ContactId>
  /** The opportunity, if one is to be opened. */
  opportunity?: OpportunityDraft | null
}

/** Whether an asset is covered on a date, and by what. */
export interface Coverage {
  /** The asset. */
  asset: Asset
  /** The day asked about. */
  on: string
  /** Warranties in force that day. */
  warranties: Warranty[]
  /** Contracts in force that day that cover the asset. */
  contracts: ContractCoverage[]
  /** Whether anything covers it: a warranty, or a contract with entitlement left. */
  covered: boolean
}

/** How a CSV file maps onto leads. */
export interface CsvMapping {
  /** Lead field per header name. */
  columns?: ([string, string])[]
  /** Whether headers not in `columns` are mapped by [`LeadField::guess`] (unknown ones become custom fields) or ignored. */
  guessOthers?: boolean
  /** Region for phone numbers without a country code. */
  defaultRegion: string
  /** Field delimiter (`b','`, `b';'`, `b'\t'`). */
  delimiter?: number
  /** Text encoding. */
  encoding?: TextEncoding
}

/** An existing record that an input may duplicate. */
export interface DuplicateMatch {
  /** The existing lead or contact. */
  record: { kind: 'lead' | 'contact' | 'account' | 'opportunity' | 'quote' | 'case' | 'asset' | 'campaign' | string; id: number }
  /** Why it matches. */
  reason: MatchReason
}

/** An event as stored in the log. */
export interface EventEnvelope {
  /** Position in the log: 1, 2, 3… with no gaps within one store. */
  sequence: number
  /** The kind of aggregate. */
  aggregate: string
  /** The aggregate's id. */
  aggregateId: number
  /** The event type name. */
  eventType: string
  /** The payload format version. */
  eventVersion: number
  /** The payload: the JSON of a [`DomainEvent`]. */
  payload: unknown
  /** When it happened. */
  at: string
}

/** One dated rate: 1 `from` = `rate` `to`, from `on` until the next rate of the pair. */
export interface ExchangeRate {
  /** Id, assigned by the store. */
  id: ExchangeRateId
  /** Version. */
  version: number
  /** Source currency. */
  from: string
  /** Target currency. */
  to: string
  /** The first day it applies. */
  on: string
  /** Units of `to` per unit of `from` (positive). */
  rate: string
}

/** Feature rows of chosen leads, as a spec builds them at one instant. */
export interface FeatureRows {
  /** Column names, in order. */
  columns: string[]
  /** The features, row-major (`leads.len() × columns.len()`). */
  x: number[]
  /** The lead of each row. */
  leads: LeadId[]
}

/** An ordered list of features. */
export interface FeatureSpec {
  /** The features, in column order. */
  features: Feature[]
}

/** The forecast table. */
export interface Forecast {
  /** Reporting currency. */
  currency: string
  /** The day whose exchange rates were used. */
  asOf: string
  /** Grouping. */
  period: Period
  /** Rows by period, then owner. */
  rows: ForecastRow[]
  /** Sum of `pipeline`. */
  totalPipeline: Money
  /** Sum of `weighted`. */
  totalWeighted: Money
  /** Sum of `won`. */
  totalWon: Money
}

/** How to import. */
export interface ImportOptions {
  /** A label for this import (usually the file name); kept in each lead's source. */
  batchLabel: string
  /** Rows per transaction. */
  batchSize: number
  /** Duplicates. */
  duplicates: DuplicatePolicy
  /** At most this many row errors and duplicates are kept in the report (counts are always exact), so a huge bad file cannot exhaust memory. */
  maxReported: number
}

/** The outcome of an import. */
export interface ImportReport {
  /** Final counts. */
  progress: ImportProgress
  /** Problems of invalid rows (up to `max_reported`). */
  errors: RowError[]
  /** Rows left out as duplicates (up to `max_reported`). */
  duplicates: DuplicateRow[]
  /** The first lead imported. */
  firstLead?: LeadId | null
  /** The last lead imported. */
  lastLead?: LeadId | null
}

/** A lead as stored. */
export interface Lead {
  /** Id, assigned by the store. */
  id: LeadId
  /** Optimistic-concurrency version (1 after the first write). */
  version: number
  /** When it was captured. */
  createdAt: string
  /** When it last changed. */
  updatedAt: string
  /** Where it came from. */
  source: LeadSource
  /** What it says about the prospect. */
  data: LeadData
  /** Qualification status. */
  status: LeadStatus
  /** Score from rules or a model, when scored. */
  score?: number | null
  /** Genuineness signals found at capture. */
  spamSignals?: SpamSignal[]
  /** What it became, once converted. */
  conversion?: ConversionLinks | null
  /** When it was qualified (for the funnel report). */
  qualifiedAt?: string | null
}

/** What a lead tells about the prospect, parsed. */
export interface LeadData {
  /** Given name. */
  firstName?: string | null
  /** Family name. */
  lastName?: string | null
  /** Company. */
  company?: string | null
  /** Job title. */
  jobTitle?: string | null
  /** E-mail. */
  email?: string | null
  /** Phone, E.164. */
  phone?: string | null
  /** Web site. */
  website?: string | null
  /** Postal address. */
  address?: Address
  /** Demographics. */
  demographics?: Demographics
  /** Campaign, ad, affiliate and UTM fields. */
  attribution?: Attribution
  /** The sales rep who owns the lead. */
  owner?: string | null
  /** Free text the prospect or the rep wrote. */
  description?: string | null
  /** A rating given with the input. */
  rating?: Rating | null
  /** Custom fields, verbatim. */
  custom?: Record<string, string>
}

export type LeadId = number

/** Raw lead input: text per field, as typed, posted or imported. Parse it with [`LeadInput::parse`]. */
export interface LeadInput {
  /** The values, by field. */
  values: Record<string, string>
}

/** Where a lead came from. */
export type LeadSource =
  /** Typed in by a person. */
  | 'manual'
  /** Posted through a web form. */
  | { web_form: {
    /** The form's id. */
    form: WebFormId
  } }
  /** Imported from a CSV file. */
  | { csv_import: {
    /** The import batch label the host gave (usually the file name). */
    batch: string
    /** The 1-based data row in that file. */
    row: number
  } }
  /** Created through the host's API. */
  | 'api'

/** A recurring maintenance plan on an asset. */
export interface MaintenancePlan {
  /** Its id. */
  id: MaintenancePlanId
  /** Its version. */
  version?: number
  /** What it says. */
  plan: NewMaintenancePlan
  /** How many visits have been turned into orders. */
  generated: number
}

/** A marketing plan. */
export interface MarketingPlan {
  /** Its id. */
  id: MarketingPlanId
  /** Its version. */
  version?: number
  /** Its name. */
  name: string
  /** Its targets. */
  targets: PlanTarget[]
}

/** The marketing reports at once. */
export interface MarketingReport {
  /** By ad, affiliate, campaign and channel. */
  performance: PerformanceRow[]
  /** Lead → qualified → opportunity → won. */
  funnel: Funnel
  /** Pipeline by stage, win rates, sales cycle. */
  pipeline: PipelineReport
  /** Leads won in another currency, left out of revenue. */
  skippedOtherCurrency: number
}

/** A campaign member and how far they went. */
export interface MemberResponse {
  /** The lead or contact. */
  subject: { kind: 'lead' | 'contact' | 'account' | 'opportunity' | 'quote' | 'case' | 'asset' | 'campaign' | string; id: number }
  /** Their furthest response. */
  response: Response
  /** When they last touched the campaign. */
  lastTouchAt?: string | null
}

/** Which fields take the merged record's value. */
export interface MergeChoices {
  /** Top-level field names (`email`, `phones`, `data`…) whose value comes from the merged record. For leads, person fields live under `data`, so name them `data.email`. */
  takeFromMerged?: string[]
}

/** A merge of two accounts, as the API surface returns it. */
export interface MergedAccount {
  /** The survivor, as stored after the merge. */
  survivor: Account
  /** How many related records were re-pointed to it. */
  repointed: number
}

/** A merge of two contacts, as the API surface returns it. */
export interface MergedContact {
  /** The survivor, as stored after the merge. */
  survivor: Contact
  /** How many related records were re-pointed to it. */
  repointed: number
}

/** A merge of two leads, as the API surface returns it (a concrete record every binding can name). */
export interface MergedLead {
  /** The survivor, as stored after the merge. */
  survivor: Lead
  /** How many related records were re-pointed to it. */
  repointed: number
}

/** A model file. */
export interface ModelFile {
  /** The format version ([`MODEL_FORMAT_VERSION`] when written by this build). */
  formatVersion: number
  /** How rows are built from leads (used by logistic models). */
  features?: FeatureSpec
  /** The model. */
  model: Model
  /** Probability (or, for rules, score) thresholds for hot / warm / cold. */
  thresholds: Thresholds
}

/** An exact amount: a decimal string and an ISO 4217 currency code. */
export interface Money {
  amount: string
  currency: string
}

/** An account to create. */
export interface NewAccount {
  /** Company name. */
  name: string
  /** Web or e-mail domain. */
  domain?: string | null
  /** Main phone. */
  phone?: string | null
  /** Address. */
  address?: Address
  /** Industry. */
  industry?: string | null
  /** Owner. */
  owner?: string | null
}

/** An activity to log or schedule. */
export interface NewActivity {
  /** Kind. */
  kind: ActivityKind
  /** What it is about. */
  subject: { kind: 'lead' | 'contact' | 'account' | 'opportunity' | 'quote' | 'case' | 'asset' | 'campaign' | string; id: number }
  /** Summary. */
  title: string
  /** Details. */
  notes?: string | null
  /** Who. */
  owner?: string | null
  /** Due or start time. */
  dueAt?: string | null
  /** Minutes. */
  durationMinutes?: number | null
}

/** What a new asset is. */
export interface NewAsset {
  /** The manufacturer's serial number (unique in the installed base). */
  serialNumber: string
  /** The product's SKU. */
  product: string
  /** The owner. */
  account: AccountId
  /** A display name. */
  name?: string
  /** When it was installed. */
  installedOn?: string | null
  /** Where it is. */
  location?: string | null
}

/** What a new campaign says. */
export interface NewCampaign {
  /** Its code (unique), as touchpoints carry it in `attribution.campaign`. */
  code: string
  /** A display name. */
  name: string
  /** Its channel. */
  channel: CampaignChannel
  /** First day. */
  startsOn: string
  /** Last day. */
  endsOn: string
  /** The budget. */
  budget: Money
  /** Ads and tracked links. */
  ads?: Ad[]
  /** Products it promotes (SKUs). */
  targetProducts?: string[]
  /** Segments it targets (by name). */
  segments?: string[]
  /** Countries it targets (ISO codes). */
  geographies?: string[]
}

/** What a new case says. */
export interface NewCase {
  /** A one-line summary. */
  subject: string
  /** The full description. */
  description?: string
  /** How it came in. */
  channel: CaseChannel
  /** What kind of case. */
  category: CaseCategory
  /** How urgent. */
  priority?: CasePriority
  /** The customer's account. */
  account?: AccountId | null
  /** The person who reported it. */
  contact?: ContactId | null
  /** The equipment concerned. */
  asset?: AssetId | null
  /** The contract it is worked under; when absent and the asset is covered by a contract, that contract is linked. */
  contract?: ContractId | null
  /** Who works it. */
  owner?: string | null
}

/** A contact to create. */
export interface NewContact {
  /** Account. */
  account?: AccountId | null
  /** Given name. */
  firstName?: string | null
  /** Family name. */
  lastName?: string | null
  /** Job title. */
  jobTitle?: string | null
  /** E-mail. */
  email?: string | null
  /** Phones. */
  phones?: ContactPhone[]
  /** Addresses. */
  addresses?: Address[]
  /** Best time to call. */
  bestTimeToCall?: BestTimeToCall | null
  /** Demographics. */
  demographics?: Demographics
  /** Owner. */
  owner?: string | null
}

/** What a new service contract says. */
export interface NewContract {
  /** A display name ("Gold support 2026"). */
  name: string
  /** The customer. */
  account: AccountId
  /** First day of the term. */
  startsOn: string
  /** Last day of the term. */
  endsOn: string
  /** Assets covered by name. */
  assets?: AssetId[]
  /** Products (SKUs) covered: every asset of the account with one of them. */
  products?: string[]
  /** What it entitles to. */
  entitlement?: Entitlement
  /** The SLA policy (by name) its cases are worked under. */
  slaPolicy?: string | null
}

/** What a new maintenance plan says. */
export interface NewMaintenancePlan {
  /** The asset maintained. */
  asset: AssetId
  /** The work to do each time. */
  work: string
  /** The skills it needs. */
  skills?: string[]
  /** Minutes of work each time. */
  durationMinutes: number
  /** Every how many units. */
  every: number
  /** The unit. */
  unit: RecurrenceUnit
  /** The first visit's day. */
  firstDue: string
  /** The last day a visit may fall on. */
  until?: string | null
  /** Days after the visit's day by which it must be done (0: that day). */
  windowDays?: number
}

/** An opportunity to open. */
export interface NewOpportunity {
  /** Name. */
  name: string
  /** Account. */
  account: AccountId
  /** Main contact. */
  contact?: ContactId | null
  /** Pipeline. */
  pipeline: PipelineId
  /** Starting stage; the pipeline's first open stage when `None`. */
  stage?: string | null
  /** Amount. */
  amount: Money
  /** Expected close date. */
  expectedClose: string
  /** Owner. */
  owner?: string | null
  /** Products of interest. */
  products?: string[]
}

/** A purchase to record. */
export interface NewPurchase {
  /** Who bought. */
  contact: ContactId
  /** Product. */
  product: string
  /** When. */
  purchasedAt: string
  /** Rep. */
  salesRep?: string | null
  /** Quantity. */
  quantity: string
  /** Unit price. */
  unitPrice: Money
  /** Special instructions. */
  specialInstructions?: string | null
  /** Feedback. */
  feedback?: Feedback | null
}

/** What a new service order asks for. */
export interface NewServiceOrder {
  /** The work to do. */
  work: string
  /** The skills it needs. */
  skills?: string[]
  /** How long it takes, in minutes of working time (done in one stretch). */
  durationMinutes: number
  /** The earliest start. */
  earliestStart: string
  /** When it must be done by. */
  dueBy?: string | null
  /** How urgent. */
  priority?: CasePriority
  /** The customer. */
  account?: AccountId | null
  /** The equipment. */
  asset?: AssetId | null
  /** The case it comes from. */
  case?: CaseId | null
}

/** What a new technician is. */
export interface NewTechnician {
  /** Their name. */
  name: string
  /** What they can do. */
  skills: string[]
  /** The name of their working calendar. */
  calendar: string
}

/** A touch to record: everything but the id. */
export interface NewTouchpoint {
  /** Whose touch. Touches hang on leads and contacts only. */
  subject: { kind: 'lead' | 'contact' | 'account' | 'opportunity' | 'quote' | 'case' | 'asset' | 'campaign' | string; id: number }
  /** When. */
  at: string
  /** What. */
  kind: TouchpointKind
  /** Campaign, ad, affiliate, UTM fields. */
  attribution?: Attribution
}

/** A deal being worked. */
export interface Opportunity {
  /** Id, assigned by the store. */
  id: OpportunityId
  /** Version. */
  version: number
  /** Its name. */
  name: string
  /** The account. */
  account: AccountId
  /** The main contact. */
  contact?: ContactId | null
  /** The pipeline. */
  pipeline: PipelineId
  /** The current stage's name. */
  stage: string
  /** Open, won or lost (the current stage's kind). */
  state: StageKind
  /** The amount. */
  amount: Money
  /** Expected close date. */
  expectedClose: string
  /** Win probability. */
  probability: string
  /** Where the probability comes from. */
  probabilitySource: ProbabilitySource
  /** Owner. */
  owner?: string | null
  /** The lead it came from. */
  sourceLead?: LeadId | null
  /** Lead source kind, kept for reports (`web_form`…). */
  source?: string | null
  /** Products of interest. */
  products?: string[]
  /** Key players. */
  keyPlayers?: KeyPlayer[]
  /** Every change of stage, amount, probability or close date. */
  history: StageChange[]
  /** Why it was lost. */
  lostReason?: string | null
  /** When it was won or lost. */
  closedAt?: string | null
  /** Created. */
  createdAt: string
  /** Last changed. */
  updatedAt: string
}

export type OpportunityId = number

/** How the forecast groups dates. */
export type Period =
  /** `2026-03`. */
  | 'month'
  /** `2026-Q1`. */
  | 'quarter'
  /** `2026`. */
  | 'year'

/** An ordered list of stages. */
export interface Pipeline {
  /** Id, assigned by the store. */
  id: PipelineId
  /** Version. */
  version: number
  /** Its name. */
  name: string
  /** The stages in order: open ones first, then the closing ones. */
  stages: Stage[]
}

export type PipelineId = number

/** A plan target next to what happened. */
export interface PlanActualRow {
  /** The period's first day. */
  startsOn: string
  /** The period's last day. */
  endsOn: string
  /** The product group. */
  productGroup: string
  /** The geography. */
  geography: string
  /** Leads planned and actual. */
  leads: [number, number]
  /** Responses planned and actual. */
  responses: [number, number]
  /** Revenue planned and actual. */
  revenue: [string, string]
}

/** A target of a marketing plan: for a period (`2026-Q4`, `2026-11`), a product group and a geography, the leads, responses and revenue expected. */
export interface PlanTarget {
  /** First day of the period. */
  startsOn: string
  /** Last day of the period. */
  endsOn: string
  /** The product group (a product SKU prefix or a catalog group name). */
  productGroup: string
  /** The country (ISO code), or `*` for all. */
  geography: string
  /** Leads expected. */
  leads: number
  /** Campaign responses expected. */
  responses: number
  /** Won revenue expected. */
  revenue: Money
}

/** A condition on a profile. */
export type Predicate =
  /** Every one holds. */
  | { op: 'all' } & {
    /** The conditions. */
    all: Predicate[]
  }
  /** At least one holds. */
  | { op: 'any' } & {
    /** The conditions. */
    any: Predicate[]
  }
  /** It does not hold. */
  | { op: 'not' } & {
    /** The condition. */
    not: Predicate
  }
  /** The field equals the value (case-insensitive). */
  | { op: 'equals' } & {
    /** The field. */
    field: string
    /** The value. */
    value: string
  }
  /** The field is one of the values (case-insensitive). */
  | { op: 'one_of' } & {
    /** The field. */
    field: string
    /** The values. */
    values: string[]
  }
  /** The field contains the text (case-insensitive). */
  | { op: 'contains' } & {
    /** The field. */
    field: string
    /** The text. */
    value: string
  }
  /** The field has a value. */
  | { op: 'exists' } & {
    /** The field. */
    field: string
  }
  /** The field is a number at least this. */
  | { op: 'at_least' } & {
    /** The field. */
    field: string
    /** The bound. */
    value: number
  }
  /** The field is a number at most this. */
  | { op: 'at_most' } & {
    /** The field. */
    field: string
    /** The bound. */
    value: number
  }
  /** Bought the product (in the last `within_days`, if given). */
  | { op: 'purchased' } & {
    /** The product SKU. */
    product: string
    /** How recent. */
    withinDays?: number | null
  }
  /** Never bought the product. */
  | { op: 'not_purchased' } & {
    /** The product SKU. */
    product: string
  }
  /** At least `at_least` touchpoints of `kind` (`any` for every kind) in the last `within_days`, if given. */
  | { op: 'engaged' } & {
    /** The touchpoint kind. */
    kind: string
    /** How many. */
    atLeast: number
    /** How recent. */
    withinDays?: number | null
  }
  /** A score at least this. */
  | { op: 'score_at_least' } & {
    /** The bound. */
    score: number
  }

/** List prices in one currency. */
export interface PriceBook {
  /** Its name (`"EUR list 2027"`). */
  name: string
  /** The currency of every price. */
  currency: string
  /** The entries. */
  entries: PriceBookEntry[]
}

/** A price book as stored. */
export type PriceBookRecord = {
  /** Its id. */
  id: PriceBookId
  /** Optimistic-concurrency version. */
  version: number
} & PriceBook

/** A line to price. */
export interface PriceLine {
  /** How many (≥ 0; fractions allowed). */
  quantity: string
  /** The price of one, in the document's currency (including the line's included taxes). */
  unitPrice: Money
  /** The line's discount. */
  discount?: Discount
  /** Tax codes, in the order they apply. */
  taxCodes?: string[]
}

/** A priced document. It always adds up: `gross − discount = subtotal` and `subtotal + Σ taxes[].amount = grand_total`. */
export interface PricedDocument {
  /** The currency. */
  currency: string
  /** How it was rounded. */
  rounding: Rounding
  /** The lines. */
  lines: PricedLine[]
  /** Σ quantity × unit price, without included taxes. */
  gross: Money
  /** All discounts, line and document, without included taxes. */
  discount: Money
  /** The taxable amount: gross − discount. */
  subtotal: Money
  /** Taxes per rate, in code order. */
  taxes: TaxTotal[]
  /** Σ taxes. */
  taxTotal: Money
  /** Subtotal + taxes. */
  grandTotal: Money
}

/** A product of the catalog. */
export interface Product {
  /** Its stock-keeping unit, unique in the catalog. */
  sku: string
  /** What customers read. */
  name: string
  /** The unit it is sold by (`"each"`, `"hour"`, `"seat/month"`). */
  unit: string
  /** Whether it can be quoted. */
  active: boolean
  /** Option groups, for configurable products. */
  optionGroups?: OptionGroup[]
  /** Rules between options. */
  constraints?: Constraint[]
}

/** A product as stored in the catalog. */
export type ProductRecord = {
  /** Its id. */
  id: ProductId
  /** Optimistic-concurrency version. */
  version: number
} & Product

/** Something a customer bought. */
export interface Purchase {
  /** Id, assigned by the store. */
  id: PurchaseId
  /** Version. */
  version: number
  /** Who bought. */
  contact: ContactId
  /** For which account, if any. */
  account?: AccountId | null
  /** Product (SKU or name). */
  product: string
  /** When. */
  purchasedAt: string
  /** The rep who sold it. */
  salesRep?: string | null
  /** Quantity (positive). */
  quantity: string
  /** Price per unit. */
  unitPrice: Money
  /** Special instructions. */
  specialInstructions?: string | null
  /** The customer's feedback. */
  feedback?: Feedback | null
}

/** One revision of a quote. */
export interface Quote {
  /** This revision's id. */
  id: QuoteId
  /** Optimistic-concurrency version of the record. */
  version: number
  /** The id of the first revision: what all revisions of the quote share. */
  number: QuoteId
  /** 1 for the first revision, then 2, 3… */
  revision: number
  /** Where it is in its life. */
  status: QuoteStatus
  /** What it offers. */
  content: QuoteContent
  /** Its prices, as computed when the revision was made. */
  priced: PricedDocument
  /** Why it was rejected, if it was. */
  rejectionReason?: string | null
  /** When it was created. */
  createdAt: string
  /** When it last changed status. */
  updatedAt: string
}

/** What a quote is made of (to create one, or a revision). */
export interface QuoteContent {
  /** The customer. */
  account: AccountId
  /** The opportunity it answers, if any. */
  opportunity?: OpportunityId | null
  /** The currency of every amount. */
  currency: string
  /** The last day the offer holds. */
  validUntil: string
  /** The lines. */
  lines: QuoteLine[]
  /** A discount on every line. */
  documentDiscount?: string
  /** The tax rates the lines refer to. */
  taxes: TaxRate[]
  /** How amounts are rounded (always chosen explicitly). */
  rounding: Rounding
}

export type QuoteId = number

/** An SLA alert raised for a case by [`Crm::check_slas`]. */
export type RaisedAlert = {
  /** The case. */
  case: CaseId
  /** Its tracking number. */
  number: string
} & SlaAlert

/** How promising a lead looks. */
export type Rating = 'hot' | 'warm' | 'cold'

export type RecordRef = { kind: 'lead' | 'contact' | 'account' | 'opportunity' | 'quote' | 'case' | 'asset' | 'campaign' | string; id: number }

/** Which rows a report reads. */
export interface ReportFilter {
  /** From this instant on. */
  from?: string | null
  /** Before this instant. */
  until?: string | null
  /** Only this owner's leads and deals. */
  owner?: string | null
  /** Only this campaign's touches, leads and deals. */
  campaign?: string | null
}

/** What a re-scoring did. */
export interface RescoreReport {
  /** Open leads scored. */
  scored: number
  /** Leads whose score or rating changed (and were written, with an event). */
  changed: number
}

/** How rounding is done: the mode for halfway values and where amounts are rounded. Both are always chosen by the caller. */
export interface Rounding {
  /** Half-even or half-up. */
  mode: RoundingMode
  /** Per line or globally. */
  strategy: RoundingStrategy
}

/** A set of scoring rules. # Examples ``` use crm_core::scoring::rules::{RuleSet, EngagementRule, Thresholds}; use crm_core::{Lead, lead::{LeadData, LeadSource}, id::{LeadId, RecordRef}}; use crm_core::tracking::{Touchpoint, TouchpointKind}; use chrono::{Duration, TimeZone, Utc}; let now = Utc.with_ymd_and_hms(2026, 11, 23, 0, 0, 0).unwrap(); let rules = RuleSet { fit: vec![], engagement: vec![EngagementRule { name: "Ad clicks".into(), kind: "ad_click".into(), points: 10.0, half_life_days: 7.0, max_points: None }], max_score: Some(100.0), min_score: None, thresholds: Thresholds { hot: 50.0, warm: 5.0 }, }; rules.check()?; let lead = Lead::new(LeadId::new(1)?, LeadSource::Manual, LeadData::default(), now); let week_old = Touchpoint { id: crm_core::id::TouchpointId::new(1)?, version: 1, subject: RecordRef::Lead(lead.id), at: now - Duration::days(7), kind: TouchpointKind::AdClick, attribution: Default::default() }; let s = rules.score(&lead, &[week_old], now); assert!((s.score - 5.0).abs() < 1e-12); // one half-life old: half the points # Ok::<(), crm_core::Error>(()) ``` */
export interface RuleSet {
  /** Fit rules. */
  fit?: FitRule[]
  /** Engagement rules. */
  engagement?: EngagementRule[]
  /** The score never goes above this. */
  maxScore?: number | null
  /** The score never goes below this. */
  minScore?: number | null
  /** Rating thresholds. */
  thresholds: Thresholds
}

/** An order made from an accepted quote: an immutable snapshot of that revision. */
export interface SalesOrder {
  /** Its id. */
  id: SalesOrderId
  /** Optimistic-concurrency version of the record. */
  version: number
  /** The accepted revision. */
  quote: QuoteId
  /** The quote's number (its first revision). */
  quoteNumber: QuoteId
  /** Which revision was accepted. */
  revision: number
  /** What was accepted. */
  content: QuoteContent
  /** Its prices. */
  priced: PricedDocument
  /** When the quote was accepted. */
  acceptedAt: string
  /** When the order was made. */
  createdAt: string
}

export type SalesOrderId = number

/** The sales reports at once. */
export interface SalesReport {
  /** Products × price by period. */
  products: ProductSalesRow[]
  /** Customer demographics by product. */
  demographics: DemographicsRow[]
  /** Sales in another currency, left out of the amounts. */
  skippedOtherCurrency: number
}

/** What the scheduler did. */
export interface Schedule {
  /** Orders placed, with their slot, in the order they were placed. */
  placed: ([ServiceOrderId, Assignment])[]
  /** Orders left out, and why. */
  unplaced: Unplaced[]
}

/** Narrows a search. */
export interface SearchFilter {
  /** Only articles with this tag. */
  tag?: string | null
  /** Only articles about this product. */
  product?: string | null
}

/** A search result. */
export interface SearchHit {
  /** The article. */
  article: ArticleId
  /** Its title. */
  title: string
  /** Its BM25 score (higher is better). */
  score: number
}

/** A saved segment and its members at its last evaluation. */
export interface Segment {
  /** Its id. */
  id: SegmentId
  /** Its version. */
  version?: number
  /** Its name (unique, case-insensitive). */
  name: string
  /** Leads or contacts. */
  subject: SegmentSubject
  /** Who belongs. */
  rule: Predicate
  /** Members at the last evaluation, in id order. */
  members?: ({ kind: 'lead' | 'contact' | 'account' | 'opportunity' | 'quote' | 'case' | 'asset' | 'campaign' | string; id: number })[]
  /** Members added by hand (automation's "add to segment"); kept on re-evaluation. */
  pinned?: ({ kind: 'lead' | 'contact' | 'account' | 'opportunity' | 'quote' | 'case' | 'asset' | 'campaign' | string; id: number })[]
  /** When it was last evaluated. */
  evaluatedAt?: string | null
}

/** A segment after an evaluation. */
export interface SegmentEvaluation {
  /** The segment, with its members. */
  segment: Segment
  /** Who joined. */
  added: ({ kind: 'lead' | 'contact' | 'account' | 'opportunity' | 'quote' | 'case' | 'asset' | 'campaign' | string; id: number })[]
  /** Who left. */
  removed: ({ kind: 'lead' | 'contact' | 'account' | 'opportunity' | 'quote' | 'case' | 'asset' | 'campaign' | string; id: number })[]
}

/** What a segment's members are. */
export type SegmentSubject =
  /** Leads (not converted or disqualified ones too: filter on `status`). */
  | 'leads'
  /** Contacts (customers). */
  | 'contacts'

/** A service order. */
export interface ServiceOrder {
  /** Its id. */
  id: ServiceOrderId
  /** Its version. */
  version?: number
  /** The work to do. */
  work: string
  /** The skills it needs (lower case). */
  skills: string[]
  /** Minutes of work, in one stretch. */
  durationMinutes: number
  /** The earliest start. */
  earliestStart: string
  /** When it must be done by. */
  dueBy?: string | null
  /** How urgent. */
  priority: CasePriority
  /** The customer. */
  account?: AccountId | null
  /** The equipment. */
  asset?: AssetId | null
  /** The case it comes from. */
  case?: CaseId | null
  /** The maintenance plan that generated it. */
  plan?: MaintenancePlanId | null
  /** Where it is. */
  status: ServiceOrderStatus
  /** Who does it, when (once scheduled). */
  assignment?: Assignment | null
  /** Hours worked, once completed. */
  hoursWorked?: string | null
}

export type ServiceOrderId = number

/** An SLA policy. */
export interface SlaPolicy {
  /** Its name (unique, case-insensitive). */
  name: string
  /** Where it comes in the order policies are checked (lower first). */
  position?: number
  /** Which cases it applies to. */
  appliesTo?: SlaFilter
  /** The share of a target (percent) after which a cycle is in warning. */
  warningPercent?: number
  /** What it measures. */
  metrics: MetricRule[]
}

/** A policy as stored. */
export interface SlaPolicyRecord {
  /** Its id. */
  id: SlaPolicyId
  /** Its version. */
  version?: number
  /** The policy. */
  policy: SlaPolicy
}

/** One stage of a pipeline. */
export interface Stage {
  /** Its name, unique in the pipeline. */
  name: string
  /** The probability an opportunity gets on entering it. */
  probability: string
  /** Open, won or lost. */
  kind: StageKind
}

/** One posted form. */
export interface Submission {
  /** The posted values by field name. */
  fields: Record<string, string>
  /** When it was posted. */
  submittedAt: string
  /** When the form was shown, if the host knows (enables the minimum-fill-time check). */
  renderedAt?: string | null
}

/** A tax rate a line can carry, by its code. */
export interface TaxRate {
  /** The code lines refer to (`"VAT20"`). */
  code: string
  /** The rate. */
  rate: string
  /** Whether prices already include this tax. */
  includedInPrice?: boolean
  /** Whether the tax applies on top of the taxes listed before it on a line. */
  compound?: boolean
}

export type TaxTable = TaxRate[]

/** A field technician (a schedulable resource). */
export interface Technician {
  /** Their id. */
  id: TechnicianId
  /** Their version. */
  version?: number
  /** Their name. */
  name: string
  /** What they can do (lower case). */
  skills: string[]
  /** The name of their working calendar. */
  calendar: string
  /** Whether they take work. */
  active: boolean
}

export type TechnicianId = number

/** One touch, as stored. */
export interface Touchpoint {
  /** Id, assigned by the store. */
  id: TouchpointId
  /** Version. */
  version: number
  /** Whose touch (a lead or a contact; conversion moves it to the contact). */
  subject: { kind: 'lead' | 'contact' | 'account' | 'opportunity' | 'quote' | 'case' | 'asset' | 'campaign' | string; id: number }
  /** When it happened. */
  at: string
  /** What happened. */
  kind: TouchpointKind
  /** Where it came from: campaign, ad, affiliate, UTM fields. */
  attribution?: Attribution
}

/** Past leads as a training set: one row per decided lead. */
export interface TrainingSet {
  /** The feature spec, with its vocabularies learned from these leads. */
  spec: FeatureSpec
  /** Column names, in order. */
  columns: string[]
  /** The features, row-major (`leads.len() × columns.len()`). */
  x: number[]
  /** 1 for converted leads, 0 for disqualified ones. */
  y: number[]
  /** The lead of each row. */
  leads: LeadId[]
}

/** What starts a rule. */
export type Trigger =
  /** An event of the log. */
  | { on: 'event' } & {
    /** Its type (`LeadCaptured`, `TouchpointRecorded`, `LeadScored`, `SlaWarning`…). */
    eventType: string
    /** Every condition must hold. */
    conditions?: Condition[]
  }
  /** A sent quote whose validity ends within `within_days` (checked on every run). */
  | { on: 'quote_expiring' } & {
    /** How close to the end. */
    withinDays: number
  }

/** A warranty on an asset. */
export interface Warranty {
  /** Its id. */
  id: WarrantyId
  /** Its version. */
  version?: number
  /** The asset. */
  asset: AssetId
  /** First day covered. */
  startsOn: string
  /** Last day covered. */
  endsOn: string
  /** What it covers ("parts and labour", "parts only", …). */
  terms: string
}

/** A web form's definition, as stored. */
export interface WebForm {
  /** Id, assigned by the store. */
  id: WebFormId
  /** Version. */
  version: number
  /** A name people recognise ("Contact us"). */
  name: string
  /** The fields it posts. */
  fields: FormField[]
  /** A field hidden from people: a submission that fills it is spam. */
  honeypot?: string | null
  /** A second submission with the same e-mail within this many seconds is refused as a duplicate (0: never). */
  resubmissionWindowSecs?: number
  /** Submissions made faster than this many seconds after the form was shown are spam (checked when the host passes the time the form was rendered). */
  minFillSecs?: number | null
  /** Region for phone numbers given without a country code. */
  defaultRegion: string
  /** Values every lead from this form gets unless the submission sets them (campaign, owner…). */
  defaults?: Record<string, string>
}

export type WebFormId = number

/** A form definition before it is stored. */
export interface WebFormSpec {
  /** See [`WebForm::name`]. */
  name: string
  /** See [`WebForm::fields`]. */
  fields: FormField[]
  /** See [`WebForm::honeypot`]. */
  honeypot?: string | null
  /** See [`WebForm::resubmission_window_secs`]. */
  resubmissionWindowSecs?: number
  /** See [`WebForm::min_fill_secs`]. */
  minFillSecs?: number | null
  /** See [`WebForm::default_region`]. */
  defaultRegion: string
  /** See [`WebForm::defaults`]. */
  defaults?: Record<string, string>
}

/** A postal address; every part optional, as forms and imports deliver them. */
export interface Address {
  /** Street and number. */
  street?: string | null
  /** City. */
  city?: string | null
  /** Postal code. */
  postalCode?: string | null
  /** State, province or region. */
  region?: string | null
  /** ISO 3166-1 alpha-2 country code, upper case. */
  country?: string | null
}

/** A condition on the event and the record it is about. */
export type Condition =
  /** A field of the record equals the value (case-insensitive): `source`, `utm_source`, `country`, `status`… */
  | { if: 'field_equals' } & {
    /** The field. */
    field: string
    /** The value. */
    value: string
  }
  /** A member of the event payload equals the value (`kind`, `metric`, `source`…). */
  | { if: 'payload_equals' } & {
    /** The payload member. */
    member: string
    /** The value. */
    value: string
  }
  /** The event's score (`LeadScored`) is at least this. */
  | { if: 'score_at_least' } & {
    /** The threshold. */
    score: number
  }

/** An e-mail template. */
export interface Template {
  /** Its name. */
  name: string
  /** The subject line, with `{{field}}`s. */
  subject: string
  /** The HTML body, with `{{field}}`s (values are HTML-escaped). */
  body: string
  /** The policy for missing fields. */
  missing?: MissingFields
}

/** What kind of activity. */
export type ActivityKind = 'call' | 'meeting' | 'email' | 'task'

/** Revenue credited to one ad, affiliate, campaign or channel. */
export interface CreditRow {
  /** `ad`, `affiliate`, `campaign` or `channel`. */
  dimension: string
  /** Its key. */
  key: string
  /** Revenue credited (exact). */
  revenue: string
  /** Touches credited. */
  touches: number
  /** Deals it shares in. */
  deals: number
}

/** Where a stored action is. */
export type ActionStatus =
  /** For the host to carry out. */
  | 'pending'
  /** A wait not due yet. */
  | 'waiting'
  /** Carried out. */
  | 'done'
  /** Failed (the host said why). */
  | 'failed'
  /** Nothing to do. */
  | 'skipped'

/** An action planned by a rule, with its idempotency key. */
export interface PlannedAction {
  /** Unique per rule, event and action: the same event never plans the same action twice. */
  key: string
  /** The rule. */
  rule: AutomationRuleId
  /** The record it is about (`lead`, `contact`, `service_case`, `quote`…). */
  subjectKind: string
  /** Its id. */
  subjectId: number
  /** What to do. */
  planned: Planned
}

export type AutomationRuleId = number

/** A working interval on a weekday, in wall-clock time. */
export interface WorkingInterval {
  /** The weekday it starts on. */
  weekday: 'Mon' | 'Tue' | 'Wed' | 'Thu' | 'Fri' | 'Sat' | 'Sun'
  /** Its start. */
  start: string
  /** Its end: later the same day, or — when not after the start — the next day (an overnight shift). */
  end: string
}

export type CalendarId = number

/** An ad (or tracked link) of a campaign. */
export interface Ad {
  /** Its code, as touchpoints carry it in `attribution.ad`. */
  code: string
  /** A display name. */
  name?: string
  /** The landing page; [`Ad::tracked_url`] adds the UTM parameters. */
  url?: string | null
  /** What it cost so far. */
  cost: Money
  /** Impressions reported by the ad platform. */
  impressions?: number
}

/** How a campaign reaches people. */
export type CampaignChannel = 'email' | 'paid_search' | 'social' | 'display' | 'affiliate' | 'event' | 'direct_mail' | 'phone'

export type CampaignId = number

/** A member of a campaign: who was sent it (or responded without being sent it). */
export interface CampaignMember {
  /** The lead or contact. */
  subject: { kind: 'lead' | 'contact' | 'account' | 'opportunity' | 'quote' | 'case' | 'asset' | 'campaign' | string; id: number }
  /** When they were added. */
  addedAt: string
}

/** What kind of case it is. */
export type CaseCategory = 'complaint' | 'question' | 'incident' | 'request'

/** How a case reached the desk. */
export type CaseChannel = 'phone' | 'email' | 'web' | 'chat' | 'on_site'

/** A dated change. */
export type CaseHistoryEntry = {
  /** When. */
  at: string
} & CaseChange

/** Who wrote a comment. */
export type CommentAuthor = 'agent' | 'customer'

/** One metric of a case. */
export interface MetricStatus {
  /** What it measures. */
  metric: SlaMetric
  /** The calendar of its target (none: round the clock). */
  calendar?: string | null
  /** Completed cycles, oldest first. */
  completed: CompletedCycle[]
  /** The running cycle. */
  ongoing?: OngoingCycle | null
  /** Its state. */
  state: SlaState
}

/** Where a metric or a case stands (ordered by how much attention it needs). */
export type SlaState =
  /** No cycle has started. */
  | 'inactive'
  /** The last cycle completed within its target. */
  | 'met'
  /** The running cycle is paused. */
  | 'paused'
  /** The running cycle is within its warning threshold. */
  | 'on_track'
  /** The running cycle has used more than the warning share of its target. */
  | 'warning'
  /** A cycle exceeded its target. */
  | 'breached'

/** When a contact likes to be called: weekly windows in the contact's time zone. # Examples ``` use crm_core::customer::{BestTimeToCall, CallWindow}; use chrono::{NaiveTime, TimeZone, Utc, Weekday}; let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap(); let best = BestTimeToCall::new(chrono_tz::Europe::Berlin, vec![CallWindow { weekday: Weekday::Tue, start: t(9), end: t(11) }])?; // 08:30 UTC on Tuesday 2026-03-03 is 09:30 in Berlin. assert!(best.is_good_time(Utc.with_ymd_and_hms(2026, 3, 3, 8, 30, 0).unwrap())); assert!(!best.is_good_time(Utc.with_ymd_and_hms(2026, 3, 3, 10, 30, 0).unwrap())); # Ok::<(), crm_core::Error>(()) ``` */
export interface BestTimeToCall {
  /** The contact's time zone. */
  timeZone: string
  /** The windows. */
  windows: CallWindow[]
}

/** A contact's phone number with its kind. */
export interface ContactPhone {
  /** Kind. */
  kind: PhoneKind
  /** Number. */
  number: string
}

/** Optional demographics of a person (used by reports and scoring). */
export interface Demographics {
  /** Age band. */
  ageBand?: AgeBand | null
  /** Gender. */
  gender?: Gender | null
  /** Household income band. */
  incomeBand?: IncomeBand | null
}

/** What a contract entitles the customer to; `None` is unlimited. */
export interface Entitlement {
  /** How many cases may be opened under it. */
  cases?: number | null
  /** How many hours of service work it includes. */
  hours?: string | null
}

/** Which existing record to link, or whether to create one. */
export type LinkChoice<Id> =
  /** Link to the matching record when one is found, else create one. */
  | { choice: 'auto' }
  /** Link to this record. */
  | { choice: 'existing'; id: Id }
  /** Always create a new record. */
  | { choice: 'new' }

/** The opportunity to open on conversion. */
export interface OpportunityDraft {
  /** Name; `"<company> – <lead name>"` when `None`. */
  name?: string | null
  /** Pipeline. */
  pipeline: PipelineId
  /** Starting stage (the first open stage when `None`). */
  stage?: string | null
  /** Amount. */
  amount: Money
  /** Expected close. */
  expectedClose: string
  /** Products of interest. */
  products?: string[]
}

/** A contract that covers an asset on a date, and what is left of it. */
export interface ContractCoverage {
  /** The contract. */
  contract: Contract
  /** Cases still allowed (`None`: unlimited). */
  casesLeft?: number | null
  /** Hours still included (`None`: unlimited). */
  hoursLeft?: string | null
  /** Whether its entitlement is used up. */
  exhausted: boolean
}

/** How the bytes of the file are to be read as text. */
export type TextEncoding =
  /** UTF-8 (a leading byte-order mark is skipped); a field that is not valid UTF-8 makes its row an error rather than being guessed at. */
  | 'utf8'
  /** ISO-8859-1 (Latin-1): every byte is a character, so nothing is refused. */
  | 'latin1'

/** Why two records were judged duplicates. */
export type MatchReason =
  /** Same mailbox. */
  | { reason: 'same_email' }
  /** Same phone number. */
  | { reason: 'same_phone' }
  /** Similar name and company. */
  | { reason: 'similar_name' } & {
    /** Jaro–Winkler similarity of the names, in `[NAME_THRESHOLD, 1]`. */
    similarity: number
  }

export type ExchangeRateId = number

/** One declared feature. */
export type Feature =
  /** The lead's current score (0 when unscored). */
  | { feature: 'score' }
  /** A custom field read as a number (0 when absent or not a number). */
  | { feature: 'custom_number' } & {
    /** The custom field. */
    field: string
  }
  /** Whether the attribute has a value (1 or 0). */
  | { feature: 'present' } & {
    /** The attribute. */
    attribute: Attribute
  }
  /** One column per vocabulary value and one for *other* (1 in the value's column). A missing value gives all zeros. */
  | { feature: 'one_hot' } & {
    /** The attribute. */
    attribute: Attribute
    /** The values with a column of their own (lower-cased); learned by [`FeatureSpec::learn`] when empty. */
    vocabulary?: string[]
    /** At most this many values are learned (the most frequent). */
    maxValues: number
  }
  /** Σ 0.5^(age / half-life) over touches of a kind: a touch now counts 1. */
  | { feature: 'engagement' } & {
    /** The touchpoint kind. */
    kind: string
    /** Days for a touch to count half. */
    halfLifeDays: number
  }
  /** Touches of a kind in the last `days` days. */
  | { feature: 'touch_count' } & {
    /** The touchpoint kind (`any` for all). */
    kind: string
    /** The window in days. */
    days: number
  }
  /** Days since the last touch of any kind, capped at `cap_days` (also when none). */
  | { feature: 'days_since_last_touch' } & {
    /** The cap. */
    capDays: number
  }
  /** Purchases recorded for the lead's contact. */
  | { feature: 'purchase_count' }
  /** Days since the last purchase, capped at `cap_days` (also when none). */
  | { feature: 'days_since_last_purchase' } & {
    /** The cap. */
    capDays: number
  }
  /** A value the caller supplies in a column of its own matrix (a model trained on a data scientist's own features). Leads cannot fill it: a spec with such columns scores matrices, not leads. */
  | { feature: 'column' } & {
    /** The column's name. */
    name: string
  }

/** One cell of the forecast: a period and an owner. */
export interface ForecastRow {
  /** Period label. */
  period: string
  /** Owner (`(unassigned)` when none). */
  owner: string
  /** Open opportunities expected to close in the period. */
  openCount: number
  /** Their amounts, unweighted. */
  pipeline: Money
  /** Their amounts weighted by probability. */
  weighted: Money
  /** Opportunities won in the period. */
  wonCount: number
  /** Their amounts. */
  won: Money
}

/** What to do with a row that duplicates a stored lead or contact (or an earlier row). */
export type DuplicatePolicy =
  /** Report it and leave it out. */
  | 'skip'
  /** Import it; the `LeadCaptured` event lists what it may duplicate. */
  | 'keep'

/** A row left out as a duplicate. */
export interface DuplicateRow {
  /** The 1-based data row. */
  row: number
  /** What it duplicates. */
  matches: DuplicateMatch[]
}

/** Where an import stands; passed to the progress callback after every batch. */
export interface ImportProgress {
  /** Data rows read so far. */
  rowsRead: number
  /** Leads written (committed) so far. */
  imported: number
  /** Rows refused as invalid. */
  invalid: number
  /** Rows left out as duplicates. */
  duplicates: number
}

/** One problem with one row of an import. */
export interface RowError {
  /** The 1-based data row (the header is row 0). */
  row: number
  /** The column header, when the problem is with one column. */
  column?: string | null
  /** What was wrong. */
  reason: string
}

/** What a converted lead became. */
export interface ConversionLinks {
  /** The account (created or linked). */
  account: AccountId
  /** The contact (created or linked). */
  contact: ContactId
  /** The opportunity, when one was opened. */
  opportunity?: OpportunityId | null
  /** When. */
  at: string
}

/** The status of a lead: a state machine. ```text new ──► working ──► qualified ──► converted │         │  ▲        │ └─────────┴──┼────────┴──► disqualified ──► working (reopened) └──────── qualified (back to working) ``` */
export type LeadStatus =
  /** Just captured, nobody worked it yet. */
  | 'new'
  /** A rep is working it. */
  | 'working'
  /** Judged worth converting. */
  | 'qualified'
  /** Converted into account, contact and maybe an opportunity; final. */
  | 'converted'
  /** Not worth pursuing, for a reason. */
  | { disqualified: {
    /** Why. */
    reason: string
  } }

/** A signal that a lead may not be genuine. */
export type SpamSignal =
  /** The e-mail domain is a known disposable-mail service. */
  | { signal: 'disposable_email' }
  /** A name field contains a URL or markup. */
  | { signal: 'link_in_name' }
  /** The description is mostly links. */
  | { signal: 'link_stuffed_text' }
  /** A name has no vowels or repeats one character (keyboard mashing). */
  | { signal: 'gibberish_name' }
  /** The form was submitted faster than a person types. */
  | { signal: 'submitted_too_fast' } & {
    /** Seconds between showing the form and submitting it. */
    seconds: number
  }

/** Which campaign, ad or affiliate brought the lead, with the UTM fields of its landing URL. */
export interface Attribution {
  /** Campaign name or code. */
  campaign?: string | null
  /** Ad identifier. */
  ad?: string | null
  /** Affiliate identifier. */
  affiliate?: string | null
  /** `utm_source`. */
  utmSource?: string | null
  /** `utm_medium`. */
  utmMedium?: string | null
  /** `utm_campaign`. */
  utmCampaign?: string | null
  /** `utm_term`. */
  utmTerm?: string | null
  /** `utm_content`. */
  utmContent?: string | null
}

export type MaintenancePlanId = number

export type MarketingPlanId = number

/** The funnel lead → qualified → opportunity → won. */
export interface Funnel {
  /** Leads captured in the period. */
  leads: number
  /** Of those, qualified. */
  qualified: number
  /** Of those, turned into an opportunity. */
  opportunities: number
  /** Of those, won. */
  won: number
  /** qualified ÷ leads, opportunities ÷ qualified, won ÷ opportunities, won ÷ leads. */
  rates: (number | null)[]
  /** Median days lead → qualified, qualified → opportunity, opportunity → won. */
  medianDays: (number | null)[]
}

/** Performance of ads, affiliates, campaigns or channels. */
export interface PerformanceRow {
  /** `ad`, `affiliate`, `campaign` or `channel`. */
  dimension: string
  /** The ad code, affiliate, campaign code or channel. */
  key: string
  /** Impressions (ads and campaigns: from the ads). */
  impressions: number
  /** Clicks. */
  clicks: number
  /** Leads it brought. */
  leads: number
  /** Of those, won customers. */
  customers: number
  /** Revenue won from them. */
  revenue: string
  /** What it cost (ads and campaigns). */
  cost: string
  /** Clicks ÷ impressions. */
  clickThroughRate?: number | null
  /** Leads ÷ clicks (a lead can come without a click: can exceed 1 only if so; clamped). */
  conversionRate?: number | null
  /** Customers ÷ leads. */
  winRate?: number | null
  /** Cost ÷ leads. */
  costPerLead?: string | null
  /** Cost ÷ customers. */
  costPerAcquisition?: string | null
  /** (Revenue − cost) ÷ cost. */
  roi?: number | null
  /** Campaign members (campaigns only). */
  members: number
  /** Members who responded beyond opening (campaigns only). */
  responders: number
  /** Responders ÷ members. */
  responseRate?: number | null
}

/** The pipeline report: open deals by stage, win rates by owner and by source, and the sales cycle (median days opening → won) — deals closed in the filter's period. */
export interface PipelineReport {
  /** Open deals by stage (any period), stages sorted by name. */
  stages: StageRow[]
  /** Win rates by owner, then by source. */
  winRates: WinRateRow[]
  /** Median days from opening to winning, all deals won in the period. */
  medianCycleDays?: number | null
  /** Deals in other currencies, left out of the amounts. */
  skippedOtherCurrency: number
}

/** How far a campaign member went, in order. */
export type Response =
  /** Sent the campaign, nothing seen since. */
  | 'sent'
  /** Opened it (an e-mail open). */
  | 'opened'
  /** Clicked (an ad, affiliate or e-mail click, a visit). */
  | 'clicked'
  /** Responded (a form, a call in, a visit on site). */
  | 'responded'
  /** Converted (the lead converted, or the contact won a deal). */
  | 'converted'

/** The model inside a file. */
export type Model =
  /** Logistic regression over the file's feature spec. */
  | { kind: 'logistic' } & LogisticModel
  /** Naive Bayes over categorical lead attributes (values lower-cased). */
  | { kind: 'naive_bayes' } & {
    /** The attribute of each model field, in order. */
    attributes: Attribute[]
    /** The model. */
    model: NaiveBayesModel
  }
  /** A rule set (its own thresholds rate the score). */
  | { kind: 'rules' } & RuleSet

/** Score thresholds for ratings. */
export interface Thresholds {
  /** At or above: hot. */
  hot: number
  /** At or above (and below hot): warm; below: cold. */
  warm: number
}

/** The unit of a maintenance recurrence. */
export type RecurrenceUnit = 'days' | 'weeks' | 'months'

/** A customer's rating of a purchase. */
export interface Feedback {
  /** 1 (poor) to 5 (excellent). */
  rating: number
  /** What they said. */
  text?: string | null
}

/** What happened, with what only that kind of touch carries. */
export type TouchpointKind =
  /** Clicked an ad. */
  | { kind: 'ad_click' }
  /** Clicked an affiliate's link. */
  | { kind: 'affiliate_click' }
  /** Opened one of our e-mails (a tracking pixel loaded). */
  | { kind: 'email_open' } & {
    /** The e-mail (template or message id), if known. */
    email?: string | null
  }
  /** Clicked a link in one of our e-mails. */
  | { kind: 'email_click' } & {
    /** The e-mail (template or message id), if known. */
    email?: string | null
    /** The link's URL. */
    url?: string | null
  }
  /** Submitted a web form. */
  | { kind: 'form_submission' } & {
    /** The form's name. */
    form: string
  }
  /** Visited a page of our site. */
  | { kind: 'web_visit' } & {
    /** The page. */
    url: string
    /** Seconds on the page, if measured. */
    durationSecs?: number | null
  }
  /** Came to one of our sites or a trade-show booth in person. */
  | { kind: 'on_site_visit' } & {
    /** Where. */
    location: string
  }
  /** A phone call. */
  | { kind: 'phone_call' } & {
    /** Who called. */
    direction: CallDirection
    /** Seconds. */
    durationSecs: number
    /** What came of it, in a word or two. */
    outcome?: string | null
  }

/** A contact's role in a deal. */
export interface KeyPlayer {
  /** Who. */
  contact: ContactId
  /** Their role (`decision maker`, `champion`, `influencer`…). */
  role: string
}

/** Where an opportunity's probability comes from. */
export type ProbabilitySource =
  /** The stage's default; follows stage changes. */
  | 'stage'
  /** Set by a person; kept across stage changes until released. */
  | 'manual'
  /** Set by a scoring model; follows the model until a person overrides it. */
  | 'model'

/** One entry of an opportunity's stage history: the values after a change and before it. */
export interface StageChange {
  /** When. */
  at: string
  /** Stage after. */
  stage: string
  /** Amount after. */
  amount: Money
  /** Probability after. */
  probability: string
  /** Expected close after. */
  expectedClose: string
  /** Stage before (none for the first entry). */
  previousStage?: string | null
  /** Amount before. */
  previousAmount?: Money | null
  /** Probability before. */
  previousProbability?: string | null
  /** Expected close before. */
  previousClose?: string | null
}

/** Whether a stage is still open, or closes the deal as won or lost. */
export type StageKind =
  /** The deal is being worked. */
  | 'open'
  /** The deal was won. */
  | 'won'
  /** The deal was lost. */
  | 'lost'

/** A list price valid over a period. */
export interface PriceBookEntry {
  /** The product. */
  sku: string
  /** Its list price. */
  listPrice: string
  /** First day it applies. */
  validFrom: string
  /** Last day it applies (open-ended when absent). */
  validTo?: string | null
}

export type PriceBookId = number

/** A discount on a line. */
export type Discount =
  /** None. */
  | { kind: 'none' }
  /** A share of the line's amount. */
  | { kind: 'percent'; value: string }
  /** An amount off the line (in the document's currency, at most the line's amount). */
  | { kind: 'amount'; value: string }

/** A priced line (amounts rounded; see the module documentation for what they add up to). */
export interface PricedLine {
  /** Quantity × unit price, without the included taxes. */
  gross: Money
  /** Line and document discounts, without the included taxes. */
  discount: Money
  /** What the line is taxed on: gross − discount. */
  net: Money
  /** Its taxes, in order. */
  taxes: LineTax[]
  /** Net plus taxes. */
  total: Money
}

/** The taxes of one rate over the document. */
export interface TaxTotal {
  /** The tax code. */
  code: string
  /** The rate. */
  rate: string
  /** The amount taxed. */
  base: Money
  /** The tax. */
  amount: Money
}

/** A rule between options. */
export type Constraint =
  /** Choosing `option` requires choosing `requires`. */
  | { rule: 'requires' } & {
    /** The option. */
    option: string
    /** What it needs. */
    requires: string
  }
  /** `option` and `excludes` cannot both be chosen. */
  | { rule: 'excludes' } & {
    /** The option. */
    option: string
    /** What it rules out. */
    excludes: string
  }

/** A group of options (`"Memory"`: 16 / 32 / 64 GB). */
export interface OptionGroup {
  /** Its name. */
  name: string
  /** Single or multiple choice. */
  choice: Choice
  /** Whether an option of the group must be chosen. */
  required?: boolean
  /** The options. */
  options: ProductOption[]
}

export type ProductId = number

export type PurchaseId = number

/** Where a quote is in its life. */
export type QuoteStatus =
  /** Being prepared. */
  | 'draft'
  /** Sent to the customer. */
  | 'sent'
  /** Accepted by the customer (final). */
  | 'accepted'
  /** Rejected by the customer (final for this revision). */
  | 'rejected'
  /** Past its validity without an answer (final for this revision). */
  | 'expired'

/** A line of a quote. */
export type QuoteLine = {
  /** What the customer reads. */
  description: string
  /** The catalog product, if any. */
  sku?: string | null
  /** The configured options, if any. */
  options?: string[]
  /** The unit it is sold by. */
  unit?: string | null
} & PriceLine

/** An alert the facade raises once: a cycle entered warning or was breached. */
export interface SlaAlert {
  /** The metric. */
  metric: SlaMetric
  /** Which cycle (0-based). */
  cycle: number
  /** `warning` or `breached`. */
  state: SlaState
  /** When the target runs (or ran) out, if known. */
  dueAt?: string | null
}

/** How a value exactly halfway between two representable values is rounded. */
export type RoundingMode =
  /** Half to even ("banker's rounding"): 0.125 → 0.12, 0.135 → 0.14. */
  | 'half_even'
  /** Half away from zero (commercial rounding): 0.125 → 0.13, -0.125 → -0.13. */
  | 'half_up'

/** Where amounts are rounded. */
export type RoundingStrategy =
  /** Each line's net amount and taxes; totals are sums of rounded amounts. */
  | 'per_line'
  /** Exact lines; the document's net amount and each rate's tax are rounded once. */
  | 'global'

/** Points per touchpoint of a kind, halving every `half_life_days`. */
export interface EngagementRule {
  /** A name people recognise ("Pricing page visits"). */
  name: string
  /** The touchpoint kind (`ad_click`, `web_visit`, … — [`TouchpointKind::NAMES`]). */
  kind: string
  /** Points for a touch that happened just now. */
  points: number
  /** Days after which a touch is worth half as much. */
  halfLifeDays: number
  /** At most this many points from this rule, whatever the number of touches. */
  maxPoints?: number | null
}

/** Points for leads whose attribute passes a test. */
export type FitRule = {
  /** A name people recognise ("Decision maker title"). */
  name: string
  /** Points given (negative to take away). */
  points: number
} & Attribute & Test

/** Buyers of a product by one demographic. */
export interface DemographicsRow {
  /** The product. */
  product: string
  /** `age_band`, `gender`, `income_band` or `country`. */
  dimension: string
  /** Its value (`unknown` when not recorded). */
  value: string
  /** Lines bought. */
  lines: number
  /** Share of the product's lines. */
  share: number
}

/** Products sold by period. */
export interface ProductSalesRow {
  /** The period label (`2026-11`, `2026-Q4`). */
  period: string
  /** The product. */
  product: string
  /** How many lines. */
  lines: number
  /** Units sold. */
  quantity: string
  /** Quantity × unit price − discount. */
  revenue: string
  /** Lowest unit price. */
  minUnitPrice: string
  /** Median unit price. */
  medianUnitPrice: string
  /** Highest unit price. */
  maxUnitPrice: string
  /** Discounts given. */
  discounts: string
}

/** A booked slot. */
export interface Assignment {
  /** Who. */
  technician: TechnicianId
  /** From. */
  start: string
  /** To. */
  end: string
}

/** Why an order was not placed. */
export type Unplaced =
  /** No active technician has every skill it needs. */
  | { reason: 'no_qualified_technician' } & {
    /** The order. */
    order: ServiceOrderId
    /** The skills it needs. */
    skills: string[]
  }
  /** Qualified technicians exist but none has a free stretch long enough before the order's due instant (or the end of the horizon). */
  | { reason: 'no_free_slot' } & {
    /** The order. */
    order: ServiceOrderId
    /** How many technicians were qualified. */
    qualified: number
    /** The latest end considered. */
    latestEnd: string
  }

export type SegmentId = number

/** Where a service order is. */
export type ServiceOrderStatus = 'open' | 'scheduled' | 'completed' | 'cancelled'

/** One metric of a policy. */
export interface MetricRule {
  /** What it measures. */
  metric: SlaMetric
  /** Its conditions (none: the metric's defaults). */
  conditions?: SlaConditions | null
  /** Targets per priority (a priority without one is not measured). */
  targets: SlaTarget[]
}

/** Which cases a policy applies to; an empty list matches anything. */
export interface SlaFilter {
  /** Priorities. */
  priorities?: CasePriority[]
  /** Categories. */
  categories?: CaseCategory[]
  /** Channels. */
  channels?: CaseChannel[]
  /** Accounts. */
  accounts?: AccountId[]
  /** Contracts. */
  contracts?: ContractId[]
  /** Only cases with (true) or without (false) a contract. */
  underContract?: boolean | null
}

export type SlaPolicyId = number

export type TouchpointId = number

export type WarrantyId = number

/** One field of a form. */
export interface FormField {
  /** The name the form posts (`your-email`). */
  name: string
  /** The lead field it fills. */
  mapsTo: string
  /** Whether a submission without it is refused. */
  required?: boolean
}

/** What to do when missing merge fields are met. */
export type MissingFields =
  /** Render nothing in their place and list them. */
  | 'blank'
  /** Do not send; record the action as skipped. */
  | 'skip'

/** What an action resolved to, for the host to carry out. */
export type Planned =
  /** Send this e-mail. */
  | { do: 'send_email' } & {
    /** It. */
    email: RenderedEmail
  }
  /** Create this task. */
  | { do: 'create_task' } & {
    /** Its title. */
    title: string
    /** When it is due. */
    dueAt: string
    /** Its owner. */
    owner?: string | null
  }
  /** Make `owner` the record's owner. */
  | { do: 'assign_owner' } & {
    /** The owner. */
    owner: string
  }
  /** Set the lead's rating. */
  | { do: 'set_rating' } & {
    /** The rating. */
    rating: string
  }
  /** Add the record to a campaign. */
  | { do: 'add_to_campaign' } & {
    /** The campaign code. */
    campaign: string
  }
  /** Pin the record in a segment. */
  | { do: 'add_to_segment' } & {
    /** The segment name. */
    segment: string
  }
  /** Re-check later. */
  | { do: 'wait' } & {
    /** When. */
    until: string
    /** The conditions then. */
    conditions: Condition[]
    /** What to do then. */
    then: Action[]
  }
  /** Nothing: the action was skipped (why). */
  | { do: 'skipped' } & {
    /** Why. */
    reason: string
  }

/** One change in a case's history. */
export type CaseChange =
  /** The case was opened. */
  | { change: 'opened' } & {
    /** Its first status. */
    status: CaseStatus
    /** Its first priority. */
    priority: CasePriority
  }
  /** Its status changed. */
  | { change: 'status' } & {
    /** Before. */
    from: CaseStatus
    /** After. */
    to: CaseStatus
  }
  /** Its priority changed. */
  | { change: 'priority' } & {
    /** Before. */
    from: CasePriority
    /** After. */
    to: CasePriority
  }
  /** A comment was added (the comment itself is in [`Case::comments`]). */
  | { change: 'comment' } & {
    /** Who wrote it. */
    author: CommentAuthor
    /** Whether it is public. */
    public: boolean
  }

/** A completed cycle. */
export interface CompletedCycle {
  /** When it started. */
  startedAt: string
  /** When it stopped. */
  stoppedAt: string
  /** Business seconds it ran (pauses excluded). */
  elapsedSeconds: number
  /** Business seconds allowed. */
  targetSeconds: number
  /** Whether it took longer than allowed. */
  breached: boolean
}

/** The running cycle. */
export interface OngoingCycle {
  /** When it started. */
  startedAt: string
  /** When the target runs out (for a breached cycle: when it ran out); none while paused before the target ran out. */
  dueAt?: string | null
  /** Business seconds so far (pauses excluded). */
  elapsedSeconds: number
  /** Business seconds allowed. */
  targetSeconds: number
  /** Business seconds left (negative once breached). */
  remainingSeconds: number
  /** Whether the clock is stopped. */
  paused: boolean
  /** Whether the instant asked about is within the calendar's working time. */
  withinCalendarHours: boolean
  /** Its state. */
  state: SlaState
}

/** What an SLA measures. */
export type SlaMetric = 'first_response' | 'next_response' | 'resolution'

/** One weekly window in which a contact likes to be called. */
export interface CallWindow {
  /** Day of the week. */
  weekday: 'Mon' | 'Tue' | 'Wed' | 'Thu' | 'Fri' | 'Sat' | 'Sun'
  /** Start, local time. */
  start: string
  /** End, local time (after start). */
  end: string
}

/** What kind of phone a number is. */
export type PhoneKind =
  /** Work line. */
  | 'work'
  /** Mobile. */
  | 'mobile'
  /** Home. */
  | 'home'
  /** Anything else. */
  | 'other'

/** Age band, for demographics reports and scoring. */
export type AgeBand = '18-24' | '25-34' | '35-44' | '45-54' | '55-64' | '65+'

/** Gender as the person stated it. */
export type Gender = 'female' | 'male' | 'other' | 'undisclosed'

/** Household income band. */
export type IncomeBand = 'low' | 'lower_middle' | 'middle' | 'upper_middle' | 'high'

/** A lead attribute a fit rule tests. */
export type Attribute =
  /** The job title. */
  | { attribute: 'job_title' }
  /** The company name. */
  | { attribute: 'company' }
  /** The ISO country code of the address. */
  | { attribute: 'country' }
  /** The e-mail domain. */
  | { attribute: 'email_domain' }
  /** `free` for free-mail addresses (gmail…), else `business`. */
  | { attribute: 'email_kind' }
  /** The source kind (`manual`, `web_form`, `csv_import`, `api`). */
  | { attribute: 'source' }
  /** The campaign. */
  | { attribute: 'campaign' }
  /** `utm_source`. */
  | { attribute: 'utm_source' }
  /** `utm_medium`. */
  | { attribute: 'utm_medium' }
  /** The affiliate. */
  | { attribute: 'affiliate' }
  /** The age band (`25-34`…). */
  | { attribute: 'age_band' }
  /** The gender. */
  | { attribute: 'gender' }
  /** The income band. */
  | { attribute: 'income_band' }
  /** A custom field, by name. */
  | { attribute: 'custom'; name: string }

/** Open pipeline by stage. */
export interface StageRow {
  /** The stage. */
  stage: string
  /** Open deals in it. */
  deals: number
  /** Their amount. */
  amount: string
}

/** Win rate by a key (owner or source). */
export interface WinRateRow {
  /** `owner` or `source`. */
  dimension: string
  /** The owner or source (`(none)` when missing). */
  key: string
  /** Deals closed (won or lost) in the period. */
  closed: number
  /** Of those, won. */
  won: number
  /** won ÷ closed. */
  winRate?: number | null
  /** Amount won. */
  wonAmount: string
  /** Median days from opening to winning. */
  medianCycleDays?: number | null
}

/** A fitted logistic regression. */
export interface LogisticModel {
  /** One coefficient per feature. */
  coef: number[]
  /** The intercept (0 when not fitted). */
  intercept: number
  /** How the fit went. */
  report: FitReport
}

/** A fitted naive Bayes model. */
export interface NaiveBayesModel {
  /** Laplace smoothing. */
  alpha: number
  /** `log P(1) − log P(0)` from the class counts. */
  priorLogOdds: number
  /** The fields, in input order. */
  fields: CategoricalField[]
}

/** Direction of a phone call. */
export type CallDirection =
  /** The prospect called us. */
  | 'inbound'
  /** We called the prospect. */
  | 'outbound'

/** One tax of a priced line. */
export interface LineTax {
  /** The tax code. */
  code: string
  /** The amount it applied to. */
  base: Money
  /** The tax. */
  amount: Money
}

/** How many options of a group can be chosen. */
export type Choice =
  /** At most one. */
  | 'single'
  /** Any number. */
  | 'multiple'

/** An option of a product, with what it adds to the unit price. */
export interface ProductOption {
  /** Its code, unique within the product (`"ram-32"`). */
  code: string
  /** What customers read. */
  name: string
  /** Added to the unit price (may be negative), in the price book's currency. */
  priceDelta?: string
}

/** What a fit rule checks about an attribute's value (case-insensitive for text). */
export type Test =
  /** The attribute has a value. */
  | { test: 'present' }
  /** The attribute has no value. */
  | { test: 'absent' }
  /** The value is one of these. */
  | { test: 'one_of'; values: string[] }
  /** The value contains one of these. */
  | { test: 'contains'; values: string[] }

/** When a metric starts, pauses and stops. */
export interface SlaConditions {
  /** Any of these starts a cycle (when none is running). */
  start: SlaTrigger[]
  /** While the case is in one of these, the clock stops. */
  pause?: CaseStatus[]
  /** Any of these completes the running cycle. */
  stop: SlaTrigger[]
  /** At most this many cycles (first response: 1). */
  maxCycles?: number | null
}

/** A target: business minutes for a priority, on a calendar. */
export interface SlaTarget {
  /** The priority it applies to. */
  priority: CasePriority
  /** Business minutes allowed. */
  minutes: number
  /** The calendar (by name) the minutes run on; none: round the clock. */
  calendar?: string | null
}

/** A rendered e-mail. */
export interface RenderedEmail {
  /** The template. */
  template: string
  /** The recipient (the record's `email` field). */
  to?: string | null
  /** The subject line. */
  subject: string
  /** The body. */
  body: string
  /** Merge fields that had no value. */
  missing: string[]
}

/** How a fit went. */
export interface FitReport {
  /** Newton iterations run. */
  iterations: number
  /** The penalised objective at the end. */
  objective: number
  /** The largest gradient component at the end, divided by `C · Σ weights`. */
  gradientNorm: number
}

/** One categorical field of a fitted model. */
export interface CategoricalField {
  /** The field's name. */
  name: string
  /** The values seen in training, in first-seen order; index `len` is *other*. */
  vocabulary: string[]
  /** Log-likelihood ratio `log P(v | 1) − log P(v | 0)` per vocabulary entry, then *other*. */
  logRatio: number[]
}

/** A change in a case that starts or stops a metric. */
export type SlaTrigger =
  /** The case was opened. */
  | { on: 'opened' }
  /** An agent replied publicly. */
  | { on: 'agent_reply' }
  /** The customer replied. */
  | { on: 'customer_reply' }
  /** The case entered a status. */
  | { on: 'status'; status: CaseStatus }

/* The namespaces of Crm (crm.leads, crm.sales, …): rendered from crm-core's declared
 * surface by tests/node_surface_types.rs (do not edit by hand). */

/** The stable code of every error kind (`CrmError.code`). */
export type ErrorCode = 'invalid_value' | 'validation_failed' | 'not_found' | 'conflict' | 'illegal_transition' | 'currency_mismatch' | 'missing_exchange_rate' | 'duplicate' | 'spam' | 'unsupported_version' | 'storage' | 'corrupt_record' | 'input' | 'not_converged' | 'internal'

export interface Crm {
  /** The leads use cases. */
  readonly leads: Leads
  /** The customers use cases. */
  readonly customers: Customers
  /** The sales use cases. */
  readonly sales: Sales
  /** The quotes use cases. */
  readonly quotes: Quotes
  /** The service use cases. */
  readonly service: Service
  /** The marketing use cases. */
  readonly marketing: Marketing
  /** The scoring use cases. */
  readonly scoring: Scoring
  /** The events use cases. */
  readonly events: Events
}

/** The leads use cases of a Crm (`crm.leads`). */
export interface Leads {
  /**
   * Captures a lead typed in by a person (source `manual`): parsed, checked for
   * spam signals and duplicates, stored.
   */
  capture(input: LeadInput, now?: Instant | null): Captured
  /**
   * Captures already-parsed lead data from any source.
   */
  captureParsed(source: LeadSource, data: LeadData, now?: Instant | null): Captured
  /**
   * Defines a web form: field mapping, required fields, honeypot, minimum fill
   * time, resubmission window.
   */
  defineWebForm(spec: WebFormSpec, now?: Instant | null): WebForm
  /**
   * The web form called `name` (case-insensitive), if any.
   */
  webFormNamed(name: string): WebForm | null
  /**
   * Takes a web-form submission: checked, a resubmission inside the form's window
   * refused, the lead stored with a form-submission touchpoint.
   */
  submitWebForm(form: WebFormId, submission: Submission): Captured
  /**
   * A lead (`not_found` when there is none with this id).
   */
  get(id: LeadId): Lead
  /**
   * Every lead, in id order.
   */
  list(): Array<Lead>
  /**
   * The leads with a status: `new`, `working`, `qualified`, `converted`,
   * `disqualified`.
   */
  withStatus(status: string): Array<Lead>
  /**
   * Saves an edit of a lead's data made on the version `expected_version` that was
   * read: `conflict` when someone changed the lead since.
   */
  update(id: LeadId, expectedVersion: number, data: LeadData, now?: Instant | null): Lead
  /**
   * Starts working a new lead.
   */
  startWorking(id: LeadId, now?: Instant | null): Lead
  /**
   * Qualifies a lead.
   */
  qualify(id: LeadId, now?: Instant | null): Lead
  /**
   * Disqualifies a lead, with the reason.
   */
  disqualify(id: LeadId, reason: string, now?: Instant | null): Lead
  /**
   * Sets a lead's score and rating; an event only when something changed.
   */
  setScore(id: LeadId, score: number, rating?: Rating | null, now?: Instant | null): Lead
  /**
   * The stored leads and contacts a lead may duplicate.
   */
  duplicatesOf(id: LeadId): Array<DuplicateMatch>
  /**
   * Imports leads from CSV text: every row judged, good rows stored in batches,
   * bad rows reported with their line and column.
   */
  importCsv(csv: string, mapping: CsvMapping, options: ImportOptions, now?: Instant | null): ImportReport
  /**
   * Imports leads from CSV text: every row judged, good rows stored in batches,
   * bad rows reported with their line and column.
   * Runs off the JS thread; the Promise resolves with the result.
   */
  importCsvAsync(csv: string, mapping: CsvMapping, options: ImportOptions, now?: Instant | null): Promise<ImportReport>
  /**
   * Converts a qualified lead into an account, a contact and (optionally) an
   * opportunity, linking to existing records where they match.
   */
  convert(id: LeadId, options: ConvertOptions, now?: Instant | null): Conversion
  /**
   * Merges lead `merged` into `survivor`, field by field as `choices` says;
   * related records follow the survivor.
   */
  merge(survivor: LeadId, merged: LeadId, choices: MergeChoices, now?: Instant | null): MergedLead
  /**
   * Records an engagement touch (click, visit, call, form, e-mail) on a lead or
   * contact.
   */
  recordTouchpoint(touch: NewTouchpoint, now?: Instant | null): Touchpoint
  /**
   * The touchpoints of a lead or contact, oldest first.
   */
  touchpointsOf(subject: RecordRef): Array<Touchpoint>
}

/** The customers use cases of a Crm (`crm.customers`). */
export interface Customers {
  /**
   * Creates an account.
   */
  createAccount(account: NewAccount, now?: Instant | null): Account
  /**
   * Creates a contact.
   */
  createContact(contact: NewContact, now?: Instant | null): Contact
  /**
   * An account.
   */
  account(id: AccountId): Account
  /**
   * A contact.
   */
  contact(id: ContactId): Contact
  /**
   * Every account.
   */
  accounts(): Array<Account>
  /**
   * Every contact.
   */
  contacts(): Array<Contact>
  /**
   * The contacts of an account.
   */
  contactsOf(account: AccountId): Array<Contact>
  /**
   * Records a purchase of a contact.
   */
  recordPurchase(purchase: NewPurchase, now?: Instant | null): Purchase
  /**
   * The purchases of a contact.
   */
  purchasesOf(contact: ContactId): Array<Purchase>
  /**
   * Merges contact `merged` into `survivor`.
   */
  mergeContacts(survivor: ContactId, merged: ContactId, choices: MergeChoices, now?: Instant | null): MergedContact
  /**
   * Merges account `merged` into `survivor`.
   */
  mergeAccounts(survivor: AccountId, merged: AccountId, choices: MergeChoices, now?: Instant | null): MergedAccount
}

/** The sales use cases of a Crm (`crm.sales`). */
export interface Sales {
  /**
   * Defines a pipeline with its stages (the default stages when none are given:
   * prospecting, qualification, proposal, negotiation, won, lost).
   */
  definePipeline(name: string, stages?: Array<Stage> | null, now?: Instant | null): Pipeline
  /**
   * A pipeline.
   */
  pipeline(id: PipelineId): Pipeline
  /**
   * The pipeline called `name`, if any.
   */
  pipelineNamed(name: string): Pipeline | null
  /**
   * Opens an opportunity on a pipeline's first stage.
   */
  openOpportunity(opportunity: NewOpportunity, now?: Instant | null): Opportunity
  /**
   * Moves an open opportunity to another stage.
   */
  advance(id: OpportunityId, stage: string, now?: Instant | null): Opportunity
  /**
   * Wins an opportunity (optionally at a final amount).
   */
  win(id: OpportunityId, amount?: Money | null, now?: Instant | null): Opportunity
  /**
   * Loses an opportunity, with the reason.
   */
  lose(id: OpportunityId, reason: string, now?: Instant | null): Opportunity
  /**
   * Sets an opportunity's probability by hand (it no longer follows its stage).
   */
  setProbability(id: OpportunityId, probability: string, now?: Instant | null): Opportunity
  /**
   * Lets an opportunity's probability follow its stage again.
   */
  releaseProbability(id: OpportunityId, now?: Instant | null): Opportunity
  /**
   * Revises an opportunity's amount and expected close day.
   */
  revise(id: OpportunityId, amount?: Money | null, expectedClose?: string | null, now?: Instant | null): Opportunity
  /**
   * Names a contact as a key player of an opportunity, in a role.
   */
  setKeyPlayer(id: OpportunityId, contact: ContactId, role: string, now?: Instant | null): Opportunity
  /**
   * An opportunity.
   */
  opportunity(id: OpportunityId): Opportunity
  /**
   * Every opportunity.
   */
  opportunities(): Array<Opportunity>
  /**
   * The opportunities of an account.
   */
  opportunitiesOf(account: AccountId): Array<Opportunity>
  /**
   * Logs an activity (call, meeting, e-mail, task).
   */
  logActivity(activity: NewActivity, now?: Instant | null): Activity
  /**
   * Completes an activity, with its outcome.
   */
  completeActivity(id: ActivityId, outcome?: string | null, now?: Instant | null): Activity
  /**
   * The activities about a record.
   */
  activitiesOf(subject: RecordRef): Array<Activity>
  /**
   * The open activities of an owner that were due before `now`.
   */
  overdueActivities(owner: string, now?: Instant | null): Array<Activity>
  /**
   * Stores the exchange rate on a day: one unit of `base` is `rate` units of `quote`.
   */
  setExchangeRate(base: string, quote: string, on: string, rate: string, now?: Instant | null): ExchangeRate
  /**
   * Converts an amount at the stored rate of the day (the latest before it).
   */
  convertMoney(amount: Money, to: string, on: string): Money
  /**
   * The weighted forecast by period and owner, in one currency, as of a day.
   */
  forecast(currency: string, period: Period, asOf: string): Forecast
  /**
   * The weighted forecast by period and owner, in one currency, as of a day.
   * Runs off the JS thread; the Promise resolves with the result.
   */
  forecastAsync(currency: string, period: Period, asOf: string): Promise<Forecast>
}

/** The quotes use cases of a Crm (`crm.quotes`). */
export interface Quotes {
  /**
   * Defines a product (a SKU already defined is refused as `duplicate`).
   */
  defineProduct(product: Product, now?: Instant | null): ProductRecord
  /**
   * The product with this SKU, if any.
   */
  product(sku: string): ProductRecord | null
  /**
   * Defines a price book (a name already defined is refused as `duplicate`).
   */
  definePriceBook(book: PriceBook, now?: Instant | null): PriceBookRecord
  /**
   * The price book called `name`, if any.
   */
  priceBook(name: string): PriceBookRecord | null
  /**
   * Configures a product with options, priced from a price book on a day.
   */
  configureProduct(sku: string, options: Array<string>, priceBook: string, on: string): Configuration
  /**
   * Creates a quote (revision 1, draft).
   */
  create(content: QuoteContent, now?: Instant | null): Quote
  /**
   * Revises a quote: a new revision with the new content.
   */
  revise(id: QuoteId, content: QuoteContent, now?: Instant | null): Quote
  /**
   * Sends a draft quote.
   */
  send(id: QuoteId, now?: Instant | null): Quote
  /**
   * Accepts a sent quote (refused once it expired).
   */
  accept(id: QuoteId, now?: Instant | null): Quote
  /**
   * Rejects a sent quote, with the reason.
   */
  reject(id: QuoteId, reason: string, now?: Instant | null): Quote
  /**
   * Marks every sent quote past its validity as expired; returns them.
   */
  expire(now?: Instant | null): Array<Quote>
  /**
   * A quote revision.
   */
  get(id: QuoteId): Quote
  /**
   * Every revision of the quote numbered `number`.
   */
  revisions(number: QuoteId): Array<Quote>
  /**
   * The quotes of an opportunity.
   */
  ofOpportunity(opportunity: OpportunityId): Array<Quote>
  /**
   * Turns an accepted quote into a sales order (once).
   */
  convertToOrder(id: QuoteId, now?: Instant | null): SalesOrder
  /**
   * A sales order.
   */
  salesOrder(id: SalesOrderId): SalesOrder
  /**
   * Every sales order.
   */
  salesOrders(): Array<SalesOrder>
  /**
   * A sales order's versioned ERP payload (every amount a decimal string).
   */
  salesOrderPayload(id: SalesOrderId): unknown
  /**
   * Sets an opportunity's amount to its quote's subtotal.
   */
  followAmount(id: QuoteId, now?: Instant | null): Opportunity
  /**
   * Prices lines without storing anything: discounts, taxes (included or added,
   * compound) and rounding per line or on the totals, to the cent.
   */
  price(lines: Array<PriceLine>, currency: string, rounding: Rounding, documentDiscount?: string | null, taxes?: TaxTable | null): PricedDocument
}

/** The service use cases of a Crm (`crm.service`). */
export interface Service {
  /**
   * Defines (or redefines) a business calendar.
   */
  defineCalendar(name: string, calendar: BusinessCalendarDefinition, now?: Instant | null): CalendarRecord
  /**
   * The business calendar called `name`, if any.
   */
  calendar(name: string): BusinessCalendarDefinition | null
  /**
   * Defines (or redefines) an SLA policy.
   */
  defineSlaPolicy(policy: SlaPolicy, now?: Instant | null): SlaPolicyRecord
  /**
   * The SLA policies, in the order they are matched.
   */
  slaPolicies(): Array<SlaPolicy>
  /**
   * Registers an asset of the installed base (serial unique).
   */
  registerAsset(input: NewAsset, now?: Instant | null): Asset
  /**
   * An asset.
   */
  asset(id: AssetId): Asset
  /**
   * The asset with this serial number, if any.
   */
  assetBySerial(serial: string): Asset | null
  /**
   * The assets of an account.
   */
  assetsOf(account: AccountId): Array<Asset>
  /**
   * Sets an asset's status.
   */
  setAssetStatus(id: AssetId, status: AssetStatus, now?: Instant | null): Asset
  /**
   * Adds a warranty to an asset.
   */
  addWarranty(asset: AssetId, startsOn: string, endsOn: string, terms: string, now?: Instant | null): Warranty
  /**
   * Creates a service contract.
   */
  createContract(input: NewContract, now?: Instant | null): Contract
  /**
   * A service contract.
   */
  contract(id: ContractId): Contract
  /**
   * Cancels a service contract.
   */
  cancelContract(id: ContractId, now?: Instant | null): Contract
  /**
   * The warranties and contracts covering an asset on a day, and what is left.
   */
  coverage(asset: AssetId, on: string): Coverage
  /**
   * Opens a case (numbered `CASE-<year>-<number>`).
   */
  openCase(input: NewCase, now?: Instant | null): Case
  /**
   * A case.
   */
  case(id: CaseId): Case
  /**
   * The case with this tracking number.
   */
  caseByNumber(number: string): Case
  /**
   * The cases of an account.
   */
  casesOf(account: AccountId): Array<Case>
  /**
   * Every case not closed.
   */
  activeCases(): Array<Case>
  /**
   * Moves a case to another status (illegal moves refused).
   */
  setCaseStatus(id: CaseId, to: CaseStatus, now?: Instant | null): Case
  /**
   * Changes a case's priority.
   */
  setCasePriority(id: CaseId, to: CasePriority, now?: Instant | null): Case
  /**
   * Adds a comment to a case (a customer reply reopens a pending case).
   */
  commentOnCase(id: CaseId, comment: CaseComment): Case
  /**
   * A case's SLA state at an instant.
   */
  caseSla(id: CaseId, at: Instant): CaseSla
  /**
   * The SLA state of every active case at an instant.
   */
  slaReport(at: Instant): Array<CaseSla>
  /**
   * The SLA state of every active case at an instant.
   * Runs off the JS thread; the Promise resolves with the result.
   */
  slaReportAsync(at: Instant): Promise<Array<CaseSla>>
  /**
   * Raises each SLA warning and breach due at an instant, once.
   */
  checkSlas(at: Instant): Array<RaisedAlert>
  /**
   * Raises each SLA warning and breach due at an instant, once.
   * Runs off the JS thread; the Promise resolves with the result.
   */
  checkSlasAsync(at: Instant): Promise<Array<RaisedAlert>>
  /**
   * Defines a technician (skills, calendar).
   */
  defineTechnician(input: NewTechnician, now?: Instant | null): Technician
  /**
   * Every technician.
   */
  technicians(): Array<Technician>
  /**
   * Creates a service order.
   */
  createServiceOrder(input: NewServiceOrder, now?: Instant | null): ServiceOrder
  /**
   * A service order.
   */
  serviceOrder(id: ServiceOrderId): ServiceOrder
  /**
   * The orders assigned to a technician.
   */
  ordersOfTechnician(id: TechnicianId): Array<ServiceOrder>
  /**
   * Schedules the open service orders between two instants; reports what it
   * cannot place.
   */
  scheduleServiceOrders(start: Instant, until: Instant, now?: Instant | null): Schedule
  /**
   * Schedules the open service orders between two instants; reports what it
   * cannot place.
   * Runs off the JS thread; the Promise resolves with the result.
   */
  scheduleServiceOrdersAsync(start: Instant, until: Instant, now?: Instant | null): Promise<Schedule>
  /**
   * Completes a service order with the hours worked.
   */
  completeServiceOrder(id: ServiceOrderId, hours: string, now?: Instant | null): ServiceOrder
  /**
   * Cancels a service order.
   */
  cancelServiceOrder(id: ServiceOrderId, now?: Instant | null): ServiceOrder
  /**
   * Defines a planned-maintenance plan.
   */
  defineMaintenancePlan(plan: NewMaintenancePlan, now?: Instant | null): MaintenancePlan
  /**
   * Generates the maintenance orders due through a day (each visit once).
   */
  generateMaintenanceOrders(through: string, now?: Instant | null): Array<ServiceOrder>
  /**
   * Writes a knowledge-base article.
   */
  writeArticle(content: ArticleContent, status: ArticleStatus, now?: Instant | null): Article
  /**
   * Changes an article: the given fields replace the stored ones.
   */
  updateArticle(id: ArticleId, change: ArticleChange, now?: Instant | null): Article
  /**
   * An article.
   */
  article(id: ArticleId): Article
  /**
   * Searches the published articles (BM25), best `k` first, within `filter` if given.
   */
  searchArticles(query: string, k: number, filter?: SearchFilter | null): Array<SearchHit>
}

/** The marketing use cases of a Crm (`crm.marketing`). */
export interface Marketing {
  /**
   * Creates a campaign (code unique).
   */
  createCampaign(input: NewCampaign, now?: Instant | null): Campaign
  /**
   * The campaign with this code.
   */
  campaign(code: string): Campaign
  /**
   * Every campaign.
   */
  campaigns(): Array<Campaign>
  /**
   * Moves a campaign to another status.
   */
  setCampaignStatus(code: string, status: CampaignStatus, now?: Instant | null): Campaign
  /**
   * Records an ad's cost and impressions.
   */
  recordAdStats(code: string, ad: string, cost: Money, impressions: number, now?: Instant | null): Campaign
  /**
   * Adds a cost to a campaign.
   */
  addCampaignCost(code: string, cost: Money, now?: Instant | null): Campaign
  /**
   * Adds leads or contacts to a campaign.
   */
  addCampaignMembers(code: string, subjects: Array<RecordRef>, now?: Instant | null): Campaign
  /**
   * Targets a segment with a campaign (its members join).
   */
  targetSegment(code: string, segment: string, now?: Instant | null): Campaign
  /**
   * A campaign's members and how each responded.
   */
  campaignMembers(code: string): Array<MemberResponse>
  /**
   * Defines (or redefines) a segment and evaluates it.
   */
  defineSegment(name: string, subject: SegmentSubject, rule: Predicate, now?: Instant | null): SegmentEvaluation
  /**
   * Evaluates a segment again.
   */
  evaluateSegment(name: string, now?: Instant | null): SegmentEvaluation
  /**
   * Evaluates a segment again.
   * Runs off the JS thread; the Promise resolves with the result.
   */
  evaluateSegmentAsync(name: string, now?: Instant | null): Promise<SegmentEvaluation>
  /**
   * A segment.
   */
  segment(name: string): Segment
  /**
   * Defines (or redefines) a marketing plan.
   */
  definePlan(name: string, targets: Array<PlanTarget>, now?: Instant | null): MarketingPlan
  /**
   * A plan's targets against what happened.
   */
  planVsActual(name: string): Array<PlanActualRow>
  /**
   * Credits won deals to touches with an attribution model.
   */
  attribution(model: AttributionModel, currency: string, filter?: ReportFilter | null): AttributionReport
  /**
   * Credits won deals to touches with an attribution model.
   * Runs off the JS thread; the Promise resolves with the result.
   */
  attributionAsync(model: AttributionModel, currency: string, filter?: ReportFilter | null): Promise<AttributionReport>
  /**
   * Click-through, conversion, cost and ROI by ad, affiliate, campaign and channel.
   */
  report(currency: string, filter?: ReportFilter | null): MarketingReport
  /**
   * Click-through, conversion, cost and ROI by ad, affiliate, campaign and channel.
   * Runs off the JS thread; the Promise resolves with the result.
   */
  reportAsync(currency: string, filter?: ReportFilter | null): Promise<MarketingReport>
  /**
   * Products sold by period, prices, demographics, pipeline and win rates.
   */
  salesReport(period: Period, currency: string, filter?: ReportFilter | null): SalesReport
  /**
   * Products sold by period, prices, demographics, pipeline and win rates.
   * Runs off the JS thread; the Promise resolves with the result.
   */
  salesReportAsync(period: Period, currency: string, filter?: ReportFilter | null): Promise<SalesReport>
  /**
   * Defines (or redefines) an automation rule.
   */
  defineAutomationRule(name: string, trigger: Trigger, actions: Array<Action>, oncePerRecord: boolean, now?: Instant | null): AutomationRule
  /**
   * Runs the automation rules over the events since the last run.
   */
  runAutomation(maxEvents: number, now?: Instant | null): AutomationRun
  /**
   * Runs the automation rules over the events since the last run.
   * Runs off the JS thread; the Promise resolves with the result.
   */
  runAutomationAsync(maxEvents: number, now?: Instant | null): Promise<AutomationRun>
  /**
   * The actions waiting for the host to carry them out.
   */
  pendingActions(): Array<AutomationAction>
  /**
   * Marks an action carried out (or failed, with the reason).
   */
  finishAction(id: AutomationActionId, failure?: string | null, now?: Instant | null): AutomationAction
  /**
   * Applies a built-in action (a field update, a task) in the CRM itself.
   */
  applyAction(id: AutomationActionId, now?: Instant | null): AutomationAction
}

/** The scoring use cases of a Crm (`crm.scoring`). */
export interface Scoring {
  /**
   * Re-scores every open lead with a rule set; writes only changed scores.
   */
  rescoreLeads(rules: RuleSet, now?: Instant | null): RescoreReport
  /**
   * Re-scores every open lead with a rule set; writes only changed scores.
   * Runs off the JS thread; the Promise resolves with the result.
   */
  rescoreLeadsAsync(rules: RuleSet, now?: Instant | null): Promise<RescoreReport>
  /**
   * Re-scores every open lead with a model file.
   */
  rescoreLeadsWithModel(model: ModelFile, now?: Instant | null): RescoreReport
  /**
   * Re-scores every open lead with a model file.
   * Runs off the JS thread; the Promise resolves with the result.
   */
  rescoreLeadsWithModelAsync(model: ModelFile, now?: Instant | null): Promise<RescoreReport>
  /**
   * The decided leads as a training set (features as of each decision).
   */
  trainingSet(spec: FeatureSpec): TrainingSet
  /**
   * The feature rows of some leads as of `now`.
   */
  leadFeatures(spec: FeatureSpec, leads: Array<LeadId>, now?: Instant | null): FeatureRows
}

/** The events use cases of a Crm (`crm.events`). */
export interface Events {
  /**
   * Up to `limit` events after the cursor `after_sequence` (0: from the start).
   */
  since(afterSequence: number, limit: number): Array<EventEnvelope>
}
