/* The records of crm-core as the Node binding hands them over, and the namespaces of Crm:
 * rendered from crm-core's model of its surface (the JSON Schema derived from its Rust
 * types) by tests/node_types.rs (do not edit by hand).
 * - Keys of records are camelCase; the keys of maps (custom fields, lead fields, days),
 *   enumeration values and variant names stay as crm-core writes them ("pending_customer").
 * - Money is { amount, currency } with the amount a decimal string; never a JS number.
 * - Instants are ISO-8601 strings in records (UTC, "2026-03-02T09:30:00Z"); days are
 *   "YYYY-MM-DD". Instant arguments accept a Date too.
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

/** The stable code of every error kind (`CrmError.code`). */
export type ErrorCode = 'invalid_value' | 'validation_failed' | 'not_found' | 'conflict' | 'illegal_transition' | 'in_use' | 'currency_mismatch' | 'missing_exchange_rate' | 'duplicate' | 'spam' | 'unsupported_version' | 'storage' | 'corrupt_record' | 'input' | 'not_converged' | 'cancelled' | 'forbidden' | 'internal'

export interface Crm {
  /**
   * Leads: capture by hand, through web forms and from CSV files; qualification,
   * scores, duplicates, edits, conversion, merges and touchpoints.
   */
  readonly leads: Leads
  /** Customers: accounts, contacts and their purchases. */
  readonly customers: Customers
  /** Sales: pipelines, opportunities, activities, exchange rates and the forecast. */
  readonly sales: Sales
  /**
   * Quotes: products, price books, configuration, quotes and their revisions,
   * sales orders.
   */
  readonly quotes: Quotes
  /**
   * Service: calendars, SLA policies, installed base, warranties, contracts, cases,
   * field service and the knowledge base.
   */
  readonly service: Service
  /**
   * The service desk's operations: queues of agents with skills, languages,
   * availability and capacity; routing rules that file new cases into queues and
   * pick their agents; assignment, transfer and each queue's worklist.
   */
  readonly desk: Desk
  /** Marketing: campaigns, segments, plans, attribution, reports and automation. */
  readonly marketing: Marketing
  /**
   * Scoring of stored leads and customers: rules, model files, training sets,
   * feature rows; customer models (cross-sell, churn, value) fitted, evaluated,
   * ranked, recommended and written back.
   */
  readonly scoring: Scoring
  /** The event log: every change, in order. */
  readonly events: Events
  /**
   * The outbox: what the CRM owes other systems (sales orders to the ERP), taken
   * by the host's worker, sent, and reported back; retried with backoff, dead
   * after too many failures until retried by hand.
   */
  readonly outbox: Outbox
  /**
   * Every kind of record alike: archive and restore, delete with what depends on
   * it, and history.
   */
  readonly records: Records
  /**
   * Personal data of one person (by lead, contact or e-mail address): export and
   * erase (GDPR articles 15, 17 and 20).
   */
  readonly privacy: Privacy
  /** Duplicate rules per kind and the review list of possible duplicates. */
  readonly duplicates: Duplicates
  /**
   * Typed custom fields: definitions per record kind, checked on every write, and
   * their versioned redefinition.
   */
  readonly customFields: CustomFields
  /**
   * Access control: users, teams, roles, permission sets, organisation-wide
   * defaults, sharing rules and manual shares, and how far the handle's user may go
   * with a record. A handle bound to a user (`as_user`) is refused (`forbidden`)
   * what that user may not do.
   */
  readonly access: Access
}

/**
 * Leads: capture by hand, through web forms and from CSV files; qualification,
 * scores, duplicates, edits, conversion, merges and touchpoints.
 */
export interface Leads {
  /**
   * Captures a lead typed in by a person (source `manual`): parsed, checked for
   * spam signals and duplicates, stored.
   */
  capture(input: LeadInput, now?: Instant | null): Captured
  /** Captures already-parsed lead data from any source. */
  captureParsed(source: LeadSource, data: LeadData, now?: Instant | null): Captured
  /**
   * Defines a web form: field mapping, required fields, honeypot, minimum fill
   * time, resubmission window.
   */
  defineWebForm(spec: WebFormSpec, now?: Instant | null): WebForm
  /** The web form called `name` (case-insensitive), if any. */
  webFormNamed(name: string): WebForm | null
  /**
   * Takes a web-form submission: checked, a resubmission inside the form's window
   * refused, the lead stored with a form-submission touchpoint.
   */
  submitWebForm(form: WebFormId, submission: Submission): Captured
  /** A lead (`not_found` when there is none with this id). */
  get(id: LeadId): Lead
  /** Every lead, in id order. */
  list(): Array<Lead>
  /**
   * The leads with a status: `new`, `working`, `qualified`, `converted`,
   * `disqualified`.
   */
  withStatus(status: LeadStatusKind): Array<Lead>
  /**
   * Edits a lead read at `expected_version`: only the fields the patch names change
   * (null clears one); `conflict` when someone changed the lead since.
   */
  update(id: LeadId, expectedVersion: Version, patch: LeadDataPatch, now?: Instant | null): Lead
  /** Starts working a new lead. */
  startWorking(id: LeadId, now?: Instant | null): Lead
  /** Qualifies a lead. */
  qualify(id: LeadId, now?: Instant | null): Lead
  /** Disqualifies a lead, with the reason. */
  disqualify(id: LeadId, reason: string, now?: Instant | null): Lead
  /** Sets a lead's score and rating; an event only when something changed. */
  setScore(id: LeadId, score: number, rating?: Rating | null, now?: Instant | null): Lead
  /** The stored leads and contacts a lead may duplicate. */
  duplicatesOf(id: LeadId): Array<DuplicateMatch>
  /**
   * Imports leads from CSV text: every row judged, good rows stored in batches,
   * bad rows reported with their line and column.
   */
  importCsv(csv: string, mapping: CsvMapping, options: ImportOptions, now?: Instant | null): ImportReport
  /**
   * Imports leads from CSV text: every row judged, good rows stored in batches,
   * bad rows reported with their line and column.
   * Runs off the JS thread; the Promise resolves with the result. A `Job` as the last argument reports its progress and can cancel it (the Promise then rejects with code `cancelled`).
   */
  importCsvAsync(csv: string, mapping: CsvMapping, options: ImportOptions, now?: Instant | null, job?: Job): Promise<ImportReport>
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
  /** The touchpoints of a lead or contact, oldest first. */
  touchpointsOf(subject: RecordRef): Array<Touchpoint>
}

/** Customers: accounts, contacts and their purchases. */
export interface Customers {
  /** Creates an account. */
  createAccount(account: NewAccount, now?: Instant | null): Account
  /** Edits an account read at `expected_version`: only the fields the patch names. */
  updateAccount(id: AccountId, expectedVersion: Version, patch: AccountPatch, now?: Instant | null): Account
  /** Edits a contact read at `expected_version`: only the fields the patch names. */
  updateContact(id: ContactId, expectedVersion: Version, patch: ContactPatch, now?: Instant | null): Contact
  /** Edits a purchase read at `expected_version`: only the fields the patch names. */
  updatePurchase(id: PurchaseId, expectedVersion: Version, patch: PurchasePatch, now?: Instant | null): Purchase
  /** Creates a contact. */
  createContact(contact: NewContact, now?: Instant | null): Contact
  /** An account. */
  account(id: AccountId): Account
  /** A contact. */
  contact(id: ContactId): Contact
  /** Every account. */
  accounts(): Array<Account>
  /** Every contact. */
  contacts(): Array<Contact>
  /** The contacts of an account. */
  contactsOf(account: AccountId): Array<Contact>
  /**
   * Everything that happened with a contact or an account (its contacts' and
   * opportunities' too), newest first: touchpoints, activities, purchases,
   * quotes, orders, cases, installed assets. `before`: a page's `next`.
   */
  timeline(subject: RecordRef, limit: number, before?: string | null): TimelinePage
  /** Records a purchase of a contact. */
  recordPurchase(purchase: NewPurchase, now?: Instant | null): Purchase
  /** The purchases of a contact. */
  purchasesOf(contact: ContactId): Array<Purchase>
  /** Merges contact `merged` into `survivor`. */
  mergeContacts(survivor: ContactId, merged: ContactId, choices: MergeChoices, now?: Instant | null): MergedContact
  /** Merges account `merged` into `survivor`. */
  mergeAccounts(survivor: AccountId, merged: AccountId, choices: MergeChoices, now?: Instant | null): MergedAccount
}

/** Sales: pipelines, opportunities, activities, exchange rates and the forecast. */
export interface Sales {
  /**
   * Defines a pipeline with its stages (the default stages when none are given:
   * prospecting, qualification, proposal, negotiation, won, lost).
   */
  definePipeline(name: string, stages?: Array<Stage> | null, now?: Instant | null): Pipeline
  /** A pipeline. */
  pipeline(id: PipelineId): Pipeline
  /** The pipeline called `name`, if any. */
  pipelineNamed(name: string): Pipeline | null
  /**
   * Prices catalog products into an open opportunity from a price book: the
   * line items replace the earlier ones and their nets make its amount.
   */
  setLineItems(id: OpportunityId, items: Array<LineItemInput>, priceBook: string, now?: Instant | null): Opportunity
  /**
   * Sets what accepting a quote does to a pipeline's opportunities: the amount
   * following the quote, a move to a stage (the won stage wins the deal).
   */
  setQuoteAcceptance(pipeline: PipelineId, rule: OnQuoteAccepted, now?: Instant | null): Pipeline
  /** Opens an opportunity on a pipeline's first stage. */
  openOpportunity(opportunity: NewOpportunity, now?: Instant | null): Opportunity
  /**
   * Edits an opportunity read at `expected_version`: name, contact, expected close,
   * owner, source, products, key players (the stage, amount and probability have
   * their own use cases).
   */
  updateOpportunity(id: OpportunityId, expectedVersion: Version, patch: OpportunityPatch, now?: Instant | null): Opportunity
  /** Moves an open opportunity to another stage. */
  advance(id: OpportunityId, stage: string, now?: Instant | null): Opportunity
  /** Wins an opportunity (optionally at a final amount). */
  win(id: OpportunityId, amount?: Money | null, now?: Instant | null): Opportunity
  /** Loses an opportunity, with the reason. */
  lose(id: OpportunityId, reason: string, now?: Instant | null): Opportunity
  /** Sets an opportunity's probability by hand (it no longer follows its stage). */
  setProbability(id: OpportunityId, probability: Percent, now?: Instant | null): Opportunity
  /** Lets an opportunity's probability follow its stage again. */
  releaseProbability(id: OpportunityId, now?: Instant | null): Opportunity
  /** Revises an opportunity's amount and expected close day. */
  revise(id: OpportunityId, amount?: Money | null, expectedClose?: string | null, now?: Instant | null): Opportunity
  /** Names a contact as a key player of an opportunity, in a role. */
  setKeyPlayer(id: OpportunityId, contact: ContactId, role: string, now?: Instant | null): Opportunity
  /** An opportunity. */
  opportunity(id: OpportunityId): Opportunity
  /** Every opportunity. */
  opportunities(): Array<Opportunity>
  /** The opportunities of an account. */
  opportunitiesOf(account: AccountId): Array<Opportunity>
  /** Logs an activity (call, meeting, e-mail, task). */
  logActivity(activity: NewActivity, now?: Instant | null): Activity
  /**
   * Edits an activity read at `expected_version`: title, notes, owner, due time,
   * duration.
   */
  updateActivity(id: ActivityId, expectedVersion: Version, patch: ActivityPatch, now?: Instant | null): Activity
  /** Completes an activity, with its outcome. */
  completeActivity(id: ActivityId, outcome?: string | null, now?: Instant | null): Activity
  /** Cancels an open activity, with the reason. */
  cancelActivity(id: ActivityId, reason?: string | null, now?: Instant | null): Activity
  /**
   * Logs a call that took place as one record (number, direction, time,
   * duration, purpose, outcome, follow-up); it counts as engagement.
   */
  logCall(call: NewCall, now?: Instant | null): Activity
  /**
   * The occurrences of an activity in `[start, until]`: its due time, or
   * every due time of its recurrence (RRULE).
   */
  activityOccurrences(id: ActivityId, start: Instant, until: Instant, limit: number): Array<string>
  /** The reminders of open activities that fall in `[start, until]`. */
  dueReminders(start: Instant, until: Instant): Array<Reminder>
  /** The activities about a record. */
  activitiesOf(subject: RecordRef): Array<Activity>
  /** The open activities of an owner that were due before `now`. */
  overdueActivities(owner: string, now?: Instant | null): Array<Activity>
  /** Stores the exchange rate on a day: one unit of `base` is `rate` units of `quote`. */
  setExchangeRate(base: Currency, quote: Currency, on: string, rate: string, now?: Instant | null): ExchangeRate
  /** Converts an amount at the stored rate of the day (the latest before it). */
  convertMoney(amount: Money, to: Currency, on: string): Money
  /** The weighted forecast by period and owner, in one currency, as of a day. */
  forecast(currency: Currency, period: Period, asOf: string): Forecast
  /**
   * The weighted forecast by period and owner, in one currency, as of a day.
   * Runs off the JS thread; the Promise resolves with the result. A `Job` as the last argument reports its progress and can cancel it (the Promise then rejects with code `cancelled`).
   */
  forecastAsync(currency: Currency, period: Period, asOf: string, job?: Job): Promise<Forecast>
}

/**
 * Quotes: products, price books, configuration, quotes and their revisions,
 * sales orders.
 */
export interface Quotes {
  /** Defines a product (a SKU already defined is refused as `duplicate`). */
  defineProduct(product: Product, now?: Instant | null): ProductRecord
  /** The product with this SKU, if any. */
  product(sku: string): ProductRecord | null
  /** Defines a price book (a name already defined is refused as `duplicate`). */
  definePriceBook(book: PriceBook, now?: Instant | null): PriceBookRecord
  /** The price book called `name`, if any. */
  priceBook(name: string): PriceBookRecord | null
  /** Configures a product with options, priced from a price book on a day. */
  configureProduct(sku: string, options: Array<string>, priceBook: string, on: string): Configuration
  /** Creates a quote (revision 1, draft). */
  create(content: QuoteContent, now?: Instant | null): Quote
  /** Revises a quote: a new revision with the new content. */
  revise(id: QuoteId, content: QuoteContent, now?: Instant | null): Quote
  /** Sends a draft quote. */
  send(id: QuoteId, now?: Instant | null): Quote
  /** Accepts a sent quote (refused once it expired). */
  accept(id: QuoteId, now?: Instant | null): Quote
  /** Rejects a sent quote, with the reason. */
  reject(id: QuoteId, reason: string, now?: Instant | null): Quote
  /** Marks every sent quote past its validity as expired; returns them. */
  expire(now?: Instant | null): Array<Quote>
  /** A quote revision. */
  get(id: QuoteId): Quote
  /** Every revision of the quote numbered `number`. */
  revisions(number: QuoteId): Array<Quote>
  /** The quotes of an opportunity. */
  ofOpportunity(opportunity: OpportunityId): Array<Quote>
  /**
   * Turns an accepted quote into a sales order (once), and in the same
   * transaction records the customer's purchases (one per line, at the price
   * sold) and queues the order's hand-off to the ERP in the outbox.
   */
  convertToOrder(id: QuoteId, now?: Instant | null): SalesOrder
  /** The ERP confirmed an order under its own reference. */
  acknowledgeOrder(id: SalesOrderId, erpReference: string, now?: Instant | null): SalesOrder
  /**
   * Records what was delivered on an order's lines (serial numbers for a
   * serialised product: each unit becomes an asset with the product's warranty).
   */
  fulfilOrder(id: SalesOrderId, deliveries: Array<LineFulfilment>, now?: Instant | null): Fulfilment
  /**
   * Cancels an order nothing of which was delivered (the ERP is told when it had
   * the order).
   */
  cancelOrder(id: SalesOrderId, reason: string, now?: Instant | null): SalesOrder
  /**
   * The sales orders with a status (`open`, `sent`, `acknowledged`,
   * `partly_fulfilled`, `fulfilled`, `cancelled`).
   */
  ordersWithStatus(status: SalesOrderStatus): Array<SalesOrder>
  /** The purchases an order recorded. */
  purchasesOfOrder(id: SalesOrderId): Array<Purchase>
  /** A sales order. */
  salesOrder(id: SalesOrderId): SalesOrder
  /** Every sales order. */
  salesOrders(): Array<SalesOrder>
  /** A sales order's versioned ERP payload (every amount a decimal string). */
  salesOrderPayload(id: SalesOrderId): unknown
  /** Sets an opportunity's amount to its quote's subtotal. */
  followAmount(id: QuoteId, now?: Instant | null): Opportunity
  /**
   * Prices lines without storing anything: discounts, taxes (included or added,
   * compound) and rounding per line or on the totals, to the cent.
   */
  price(lines: Array<PriceLine>, currency: Currency, rounding: Rounding, documentDiscount?: Percent | null, taxes?: TaxTable | null): PricedDocument
}

/**
 * Service: calendars, SLA policies, installed base, warranties, contracts, cases,
 * field service and the knowledge base.
 */
export interface Service {
  /** Defines (or redefines) a business calendar. */
  defineCalendar(name: string, calendar: BusinessCalendarDefinition, now?: Instant | null): CalendarRecord
  /** The business calendar called `name`, if any. */
  calendar(name: string): BusinessCalendarDefinition | null
  /** Defines (or redefines) an SLA policy. */
  defineSlaPolicy(policy: SlaPolicy, now?: Instant | null): SlaPolicyRecord
  /** The SLA policies, in the order they are matched. */
  slaPolicies(): Array<SlaPolicy>
  /** Registers an asset of the installed base (serial unique). */
  registerAsset(input: NewAsset, now?: Instant | null): Asset
  /** Edits an asset read at `expected_version`: name, installation day, location. */
  updateAsset(id: AssetId, expectedVersion: Version, patch: AssetPatch, now?: Instant | null): Asset
  /** An asset. */
  asset(id: AssetId): Asset
  /** The asset with this serial number, if any. */
  assetBySerial(serial: string): Asset | null
  /** The assets of an account. */
  assetsOf(account: AccountId): Array<Asset>
  /** Sets an asset's status. */
  setAssetStatus(id: AssetId, status: AssetStatus, now?: Instant | null): Asset
  /** Adds a warranty to an asset. */
  addWarranty(asset: AssetId, startsOn: string, endsOn: string, terms: string, now?: Instant | null): Warranty
  /** Creates a service contract. */
  createContract(input: NewContract, now?: Instant | null): Contract
  /** Edits a service contract read at `expected_version`: name, SLA policy. */
  updateContract(id: ContractId, expectedVersion: Version, patch: ContractPatch, now?: Instant | null): Contract
  /** A service contract. */
  contract(id: ContractId): Contract
  /** Cancels a service contract. */
  cancelContract(id: ContractId, now?: Instant | null): Contract
  /** The warranties and contracts covering an asset on a day, and what is left. */
  coverage(asset: AssetId, on: string): Coverage
  /** Opens a case (numbered `CASE-<year>-<number>`). */
  openCase(input: NewCase, now?: Instant | null): Case
  /**
   * Edits a case read at `expected_version`: subject, description, category,
   * contact, asset, contract, owner (status and priority have their own use cases).
   */
  updateCase(id: CaseId, expectedVersion: Version, patch: CasePatch, now?: Instant | null): Case
  /** A case. */
  case(id: CaseId): Case
  /** The case with this tracking number. */
  caseByNumber(number: string): Case
  /** The cases of an account. */
  casesOf(account: AccountId): Array<Case>
  /** Every case not closed. */
  activeCases(): Array<Case>
  /** Moves a case to another status (illegal moves refused). */
  setCaseStatus(id: CaseId, to: CaseStatus, now?: Instant | null): Case
  /** Changes a case's priority. */
  setCasePriority(id: CaseId, to: CasePriority, now?: Instant | null): Case
  /** Adds a comment to a case (a customer reply reopens a pending case). */
  commentOnCase(id: CaseId, comment: CaseComment): Case
  /** A case's SLA state at an instant. */
  caseSla(id: CaseId, at: Instant): CaseSla
  /** The SLA state of every active case at an instant. */
  slaReport(at: Instant): Array<CaseSla>
  /**
   * The SLA state of every active case at an instant.
   * Runs off the JS thread; the Promise resolves with the result. A `Job` as the last argument reports its progress and can cancel it (the Promise then rejects with code `cancelled`).
   */
  slaReportAsync(at: Instant, job?: Job): Promise<Array<CaseSla>>
  /** Raises each SLA warning and breach due at an instant, once. */
  checkSlas(at: Instant): Array<RaisedAlert>
  /**
   * Raises each SLA warning and breach due at an instant, once.
   * Runs off the JS thread; the Promise resolves with the result. A `Job` as the last argument reports its progress and can cancel it (the Promise then rejects with code `cancelled`).
   */
  checkSlasAsync(at: Instant, job?: Job): Promise<Array<RaisedAlert>>
  /** Defines a technician (skills, calendar). */
  defineTechnician(input: NewTechnician, now?: Instant | null): Technician
  /** Edits a technician read at `expected_version`: name, skills, calendar. */
  updateTechnician(id: TechnicianId, expectedVersion: Version, patch: TechnicianPatch, now?: Instant | null): Technician
  /** Every technician. */
  technicians(): Array<Technician>
  /** Creates a service order. */
  createServiceOrder(input: NewServiceOrder, now?: Instant | null): ServiceOrder
  /** A service order. */
  serviceOrder(id: ServiceOrderId): ServiceOrder
  /** The orders assigned to a technician. */
  ordersOfTechnician(id: TechnicianId): Array<ServiceOrder>
  /**
   * Schedules the open service orders between two instants; reports what it
   * cannot place.
   */
  scheduleServiceOrders(start: Instant, until: Instant, now?: Instant | null): Schedule
  /**
   * Schedules the open service orders between two instants; reports what it
   * cannot place.
   * Runs off the JS thread; the Promise resolves with the result. A `Job` as the last argument reports its progress and can cancel it (the Promise then rejects with code `cancelled`).
   */
  scheduleServiceOrdersAsync(start: Instant, until: Instant, now?: Instant | null, job?: Job): Promise<Schedule>
  /** Completes a service order with the hours worked. */
  completeServiceOrder(id: ServiceOrderId, hours: string, now?: Instant | null): ServiceOrder
  /** Cancels a service order. */
  cancelServiceOrder(id: ServiceOrderId, now?: Instant | null): ServiceOrder
  /** Defines a planned-maintenance plan. */
  defineMaintenancePlan(plan: NewMaintenancePlan, now?: Instant | null): MaintenancePlan
  /** Generates the maintenance orders due through a day (each visit once). */
  generateMaintenanceOrders(through: string, now?: Instant | null): Array<ServiceOrder>
  /** Writes a knowledge-base article. */
  writeArticle(content: ArticleContent, status: ArticleStatus, now?: Instant | null): Article
  /** Changes an article: the given fields replace the stored ones. */
  updateArticle(id: ArticleId, change: ArticleChange, now?: Instant | null): Article
  /** An article. */
  article(id: ArticleId): Article
  /**
   * An account's service standing on a day: contracts with what is left of them
   * and their renewals, assets with their coverage, cases being worked.
   */
  serviceOverview(account: AccountId, on: string): ServiceOverview
  /**
   * Opens a renewal opportunity for each contract in force ending within
   * `days_before` days that has none yet.
   */
  generateRenewals(spec: RenewalSpec, now?: Instant | null): Array<Opportunity>
  /** Searches the published articles (BM25), best `k` first, within `filter` if given. */
  searchArticles(query: string, k: number, filter?: SearchFilter | null): Array<SearchHit>
}

/**
 * The service desk's operations: queues of agents with skills, languages,
 * availability and capacity; routing rules that file new cases into queues and
 * pick their agents; assignment, transfer and each queue's worklist.
 */
export interface Desk {
  /**
   * Creates or replaces (by name) a queue: its members and how it gives cases
   * out (`round_robin`, `least_loaded`, `manual`).
   */
  defineQueue(spec: QueueSpec, now?: Instant | null): Queue
  /** Removes a queue no routing rule files into and no case being worked is in. */
  removeQueue(name: string, now?: Instant | null): Queue
  /** Every queue, by name. */
  queues(): Array<Queue>
  /**
   * Creates or replaces (by login) an agent's profile: skills, languages,
   * availability and capacity.
   */
  setAgent(spec: AgentSpec, now?: Instant | null): Agent
  /** Every agent's profile, by login. */
  agents(): Array<Agent>
  /**
   * Creates or replaces (by name) a routing rule: the new cases meeting its
   * conditions go to its queue, to an agent with its skills.
   */
  defineRoutingRule(spec: RoutingRuleSpec, now?: Instant | null): RoutingRule
  /** Removes a routing rule. */
  removeRoutingRule(name: string, now?: Instant | null): RoutingRule
  /** The routing rules in the order they are tried. */
  routingRules(): Array<RoutingRule>
  /** Gives a case to an agent (none: back to its queue). */
  assignCase(id: CaseId, owner?: string | null, now?: Instant | null): Case
  /** Moves a case to another queue, which gives it to one of its agents. */
  transferCase(id: CaseId, queue: string, now?: Instant | null): Case
  /** Routes a case again by the routing rules. */
  routeCase(id: CaseId, now?: Instant | null): Case
  /** The cases being worked in a queue, most urgent first, then oldest. */
  queueCases(queue: string): Array<Case>
  /**
   * Creates or replaces (by name) an escalation rule: on an SLA warning or
   * breach, or a case's age, it transfers, assigns, raises the priority,
   * notifies (an outbox delivery) or opens a task; `service.check_slas` runs
   * the rules, each once per case and trigger.
   */
  defineEscalationRule(spec: EscalationRuleSpec, now?: Instant | null): EscalationRule
  /** Removes an escalation rule. */
  removeEscalationRule(name: string, now?: Instant | null): EscalationRule
  /** Every escalation rule, by name. */
  escalationRules(): Array<EscalationRule>
  /**
   * Sends a CSAT survey (1–5) for a solved case, open `valid_days`; its token
   * goes in the link the host mails. One per case.
   */
  sendCsatSurvey(id: CaseId, validDays: number, now?: Instant | null): Survey
  /** Sends an NPS survey (0–10) for an account, to one of its contacts if given. */
  sendNpsSurvey(account: AccountId, validDays: number, contact?: ContactId | null, now?: Instant | null): Survey
  /** The survey behind a token. */
  survey(token: string): Survey
  /** Takes the answer to a survey: once, before it expires. */
  answerSurvey(token: string, score: number, comment?: string | null, now?: Instant | null): Survey
  /** CSAT over the surveys sent in `[start, until)`, by agent, queue or product. */
  csatReport(start: Instant, until: Instant, by: SatisfactionBy): Array<SatisfactionRow>
  /** NPS over the surveys sent in `[start, until)`. */
  npsReport(start: Instant, until: Instant): NpsReport
}

/** Marketing: campaigns, segments, plans, attribution, reports and automation. */
export interface Marketing {
  /** Creates a campaign (code unique). */
  createCampaign(input: NewCampaign, now?: Instant | null): Campaign
  /**
   * Edits a campaign read at `expected_version`: name, target products, segments,
   * geographies.
   */
  updateCampaign(id: CampaignId, expectedVersion: Version, patch: CampaignPatch, now?: Instant | null): Campaign
  /**
   * Records a person's consent for a channel and purpose, with its source and
   * proof (granting again renews it).
   */
  grantConsent(consent: NewConsent, now?: Instant | null): Consent
  /** Records a person's withdrawal of a consent, with its source. */
  withdrawConsent(subject: RecordRef, channel: Channel, purpose: Purpose, source: string, now?: Instant | null): Consent
  /** A person's consents. */
  consentsOf(subject: RecordRef): Array<Consent>
  /**
   * Whether a person may be contacted by a channel for a purpose, and why:
   * never when marked do-not-contact or withdrawn; marketing and newsletters
   * only with a consent granted; service messages without one.
   */
  mayContact(subject: RecordRef, channel: Channel, purpose: Purpose): ContactDecision
  /** Marks a person do-not-contact, or lifts the mark; whether it changed. */
  setDoNotContact(subject: RecordRef, on: boolean, reason?: string | null, now?: Instant | null): boolean
  /**
   * The unsubscribe token of a person for a campaign, for the link in its
   * e-mails (the same token every time).
   */
  unsubscribeToken(subject: RecordRef, campaign: string, now?: Instant | null): string
  /**
   * Takes an unsubscribe posted back with its token: the person's e-mail
   * marketing consent is withdrawn (`not_found` for a token never given out).
   */
  unsubscribe(token: string, now?: Instant | null): Consent
  /** The campaign with this code. */
  campaign(code: string): Campaign
  /** Every campaign. */
  campaigns(): Array<Campaign>
  /** Moves a campaign to another status. */
  setCampaignStatus(code: string, status: CampaignStatus, now?: Instant | null): Campaign
  /** Records an ad's cost and impressions. */
  recordAdStats(code: string, ad: string, cost: Money, impressions: number, now?: Instant | null): Campaign
  /** Adds a cost to a campaign. */
  addCampaignCost(code: string, cost: Money, now?: Instant | null): Campaign
  /** Adds leads or contacts to a campaign. */
  addCampaignMembers(code: string, subjects: Array<RecordRef>, now?: Instant | null): Campaign
  /** Targets a segment with a campaign (its members join). */
  targetSegment(code: string, segment: string, now?: Instant | null): Campaign
  /** A campaign's members and how each responded. */
  campaignMembers(code: string): Array<MemberResponse>
  /** Defines (or redefines) a segment and evaluates it. */
  defineSegment(name: string, subject: SegmentSubject, rule: Predicate, now?: Instant | null): SegmentEvaluation
  /** Evaluates a segment again. */
  evaluateSegment(name: string, now?: Instant | null): SegmentEvaluation
  /**
   * Evaluates a segment again.
   * Runs off the JS thread; the Promise resolves with the result. A `Job` as the last argument reports its progress and can cancel it (the Promise then rejects with code `cancelled`).
   */
  evaluateSegmentAsync(name: string, now?: Instant | null, job?: Job): Promise<SegmentEvaluation>
  /** A segment. */
  segment(name: string): Segment
  /** Defines (or redefines) a marketing plan. */
  definePlan(name: string, targets: Array<PlanTarget>, now?: Instant | null): MarketingPlan
  /** A plan's targets against what happened. */
  planVsActual(name: string): Array<PlanActualRow>
  /** Credits won deals to touches with an attribution model. */
  attribution(model: AttributionModel, currency: Currency, filter?: ReportFilter | null): AttributionReport
  /**
   * Credits won deals to touches with an attribution model.
   * Runs off the JS thread; the Promise resolves with the result. A `Job` as the last argument reports its progress and can cancel it (the Promise then rejects with code `cancelled`).
   */
  attributionAsync(model: AttributionModel, currency: Currency, filter?: ReportFilter | null, job?: Job): Promise<AttributionReport>
  /** Click-through, conversion, cost and ROI by ad, affiliate, campaign and channel. */
  report(currency: Currency, filter?: ReportFilter | null): MarketingReport
  /**
   * Click-through, conversion, cost and ROI by ad, affiliate, campaign and channel.
   * Runs off the JS thread; the Promise resolves with the result. A `Job` as the last argument reports its progress and can cancel it (the Promise then rejects with code `cancelled`).
   */
  reportAsync(currency: Currency, filter?: ReportFilter | null, job?: Job): Promise<MarketingReport>
  /** Products sold by period, prices, demographics, pipeline and win rates. */
  salesReport(period: Period, currency: Currency, filter?: ReportFilter | null): SalesReport
  /**
   * Products sold by period, prices, demographics, pipeline and win rates.
   * Runs off the JS thread; the Promise resolves with the result. A `Job` as the last argument reports its progress and can cancel it (the Promise then rejects with code `cancelled`).
   */
  salesReportAsync(period: Period, currency: Currency, filter?: ReportFilter | null, job?: Job): Promise<SalesReport>
  /** Defines (or redefines) an automation rule. */
  defineAutomationRule(name: string, trigger: Trigger, actions: Array<Action>, oncePerRecord: boolean, now?: Instant | null): AutomationRule
  /** Runs the automation rules over the events since the last run. */
  runAutomation(maxEvents: number, now?: Instant | null): AutomationRun
  /**
   * Runs the automation rules over the events since the last run.
   * Runs off the JS thread; the Promise resolves with the result. A `Job` as the last argument reports its progress and can cancel it (the Promise then rejects with code `cancelled`).
   */
  runAutomationAsync(maxEvents: number, now?: Instant | null, job?: Job): Promise<AutomationRun>
  /** The actions waiting for the host to carry them out. */
  pendingActions(): Array<AutomationAction>
  /** Marks an action carried out (or failed, with the reason). */
  finishAction(id: AutomationActionId, failure?: string | null, now?: Instant | null): AutomationAction
  /** Applies a built-in action (a field update, a task) in the CRM itself. */
  applyAction(id: AutomationActionId, now?: Instant | null): AutomationAction
}

/**
 * Scoring of stored leads and customers: rules, model files, training sets,
 * feature rows; customer models (cross-sell, churn, value) fitted, evaluated,
 * ranked, recommended and written back.
 */
export interface Scoring {
  /** Re-scores every open lead with a rule set; writes only changed scores. */
  rescoreLeads(rules: RuleSet, now?: Instant | null): RescoreReport
  /**
   * Re-scores every open lead with a rule set; writes only changed scores.
   * Runs off the JS thread; the Promise resolves with the result. A `Job` as the last argument reports its progress and can cancel it (the Promise then rejects with code `cancelled`).
   */
  rescoreLeadsAsync(rules: RuleSet, now?: Instant | null, job?: Job): Promise<RescoreReport>
  /** Re-scores every open lead with a model file. */
  rescoreLeadsWithModel(model: ModelFile, now?: Instant | null): RescoreReport
  /**
   * Re-scores every open lead with a model file.
   * Runs off the JS thread; the Promise resolves with the result. A `Job` as the last argument reports its progress and can cancel it (the Promise then rejects with code `cancelled`).
   */
  rescoreLeadsWithModelAsync(model: ModelFile, now?: Instant | null, job?: Job): Promise<RescoreReport>
  /** The decided leads as a training set (features as of each decision). */
  trainingSet(spec: FeatureSpec): TrainingSet
  /** The feature rows of some leads as of `now`. */
  leadFeatures(spec: FeatureSpec, leads: Array<LeadId>, now?: Instant | null): FeatureRows
  /**
   * The customers at `cutoff` as a training set for `target`: features as of the
   * cut-off, labels from the period after it (which must have passed by `now`).
   */
  customerTrainingSet(spec: FeatureSpec, target: CustomerTarget, cutoff: Instant, now?: Instant | null): CustomerTrainingSet
  /**
   * The customers at `cutoff` as a training set for `target`: features as of the
   * cut-off, labels from the period after it (which must have passed by `now`).
   * Runs off the JS thread; the Promise resolves with the result. A `Job` as the last argument reports its progress and can cancel it (the Promise then rejects with code `cancelled`).
   */
  customerTrainingSetAsync(spec: FeatureSpec, target: CustomerTarget, cutoff: Instant, now?: Instant | null, job?: Job): Promise<CustomerTrainingSet>
  /** The feature rows of some customers as of `now`. */
  customerFeatures(spec: FeatureSpec, contacts: Array<ContactId>, now?: Instant | null): CustomerRows
  /**
   * Fits a customer model (cross-sell, churn: logistic; value: an RFM grid) on
   * the customers at `cutoff`; a model file that scores customers.
   */
  fitCustomerModel(spec: FeatureSpec, target: CustomerTarget, cutoff: Instant, options?: CustomerFitOptions | null, now?: Instant | null): ModelFile
  /**
   * Fits a customer model (cross-sell, churn: logistic; value: an RFM grid) on
   * the customers at `cutoff`; a model file that scores customers.
   * Runs off the JS thread; the Promise resolves with the result. A `Job` as the last argument reports its progress and can cancel it (the Promise then rejects with code `cancelled`).
   */
  fitCustomerModelAsync(spec: FeatureSpec, target: CustomerTarget, cutoff: Instant, options?: CustomerFitOptions | null, now?: Instant | null, job?: Job): Promise<ModelFile>
  /**
   * How a customer model does on the period after `cutoff`: AUC, log-loss,
   * calibration and the recency baseline; or errors against last period's.
   */
  evaluateCustomerModel(model: ModelFile, cutoff: Instant, now?: Instant | null): CustomerModelEvaluation
  /**
   * How a customer model does on the period after `cutoff`: AUC, log-loss,
   * calibration and the recency baseline; or errors against last period's.
   * Runs off the JS thread; the Promise resolves with the result. A `Job` as the last argument reports its progress and can cancel it (the Promise then rejects with code `cancelled`).
   */
  evaluateCustomerModelAsync(model: ModelFile, cutoff: Instant, now?: Instant | null, job?: Job): Promise<CustomerModelEvaluation>
  /**
   * The customers a model rates highest (likeliest to buy, most at risk, most
   * valuable), with reasons; among `contacts` when given.
   */
  predictCustomers(model: ModelFile, limit: number, contacts?: Array<ContactId> | null, now?: Instant | null): Array<CustomerPrediction>
  /**
   * The customers a model rates highest (likeliest to buy, most at risk, most
   * valuable), with reasons; among `contacts` when given.
   * Runs off the JS thread; the Promise resolves with the result. A `Job` as the last argument reports its progress and can cancel it (the Promise then rejects with code `cancelled`).
   */
  predictCustomersAsync(model: ModelFile, limit: number, contacts?: Array<ContactId> | null, now?: Instant | null, job?: Job): Promise<Array<CustomerPrediction>>
  /**
   * Each model's prediction for one customer with its reasons, strongest
   * first: the products to offer, the risks to act on.
   */
  recommend(contact: ContactId, models: Array<NamedModel>, now?: Instant | null): Array<Recommendation>
  /**
   * Re-scores every contact with a customer model; writes the prediction under
   * `name` only where it changed (segments read `prediction:<name>`).
   */
  rescoreCustomers(name: string, model: ModelFile, now?: Instant | null): RescoreReport
  /**
   * Re-scores every contact with a customer model; writes the prediction under
   * `name` only where it changed (segments read `prediction:<name>`).
   * Runs off the JS thread; the Promise resolves with the result. A `Job` as the last argument reports its progress and can cancel it (the Promise then rejects with code `cancelled`).
   */
  rescoreCustomersAsync(name: string, model: ModelFile, now?: Instant | null, job?: Job): Promise<RescoreReport>
  /**
   * The accounts a churn model puts most at risk, riskiest first: each
   * account's risk weighted by its customers' recent revenue, the revenue at
   * stake, its riskiest customer and the reasons.
   */
  accountsAtRisk(model: ModelFile, limit: number, now?: Instant | null): Array<AccountRisk>
  /**
   * The accounts a churn model puts most at risk, riskiest first: each
   * account's risk weighted by its customers' recent revenue, the revenue at
   * stake, its riskiest customer and the reasons.
   * Runs off the JS thread; the Promise resolves with the result. A `Job` as the last argument reports its progress and can cancel it (the Promise then rejects with code `cancelled`).
   */
  accountsAtRiskAsync(model: ModelFile, limit: number, now?: Instant | null, job?: Job): Promise<Array<AccountRisk>>
}

/** The event log: every change, in order. */
export interface Events {
  /** Up to `limit` events after the cursor `after_sequence` (0: from the start). */
  since(afterSequence: number, limit: number): Array<EventEnvelope>
  /**
   * Up to `limit` events after `after_sequence`, waiting up to `timeout_ms` for
   * the first when there are none yet (woken by commits of every process on
   * the database); empty when the time is up.
   */
  waitFor(afterSequence: number, limit: number, timeoutMs: number): Array<EventEnvelope>
  /**
   * Up to `limit` events after `after_sequence`, waiting up to `timeout_ms` for
   * the first when there are none yet (woken by commits of every process on
   * the database); empty when the time is up.
   * Runs off the JS thread; the Promise resolves with the result. A `Job` as the last argument reports its progress and can cancel it (the Promise then rejects with code `cancelled`).
   */
  waitForAsync(afterSequence: number, limit: number, timeoutMs: number, job?: Job): Promise<Array<EventEnvelope>>
}

/**
 * The outbox: what the CRM owes other systems (sales orders to the ERP), taken
 * by the host's worker, sent, and reported back; retried with backoff, dead
 * after too many failures until retried by hand.
 */
export interface Outbox {
  /**
   * Takes up to `limit` deliveries due now (for one target when given), each
   * leased to the caller until it reports.
   */
  take(limit: number, target?: string | null, now?: Instant | null): Array<Delivery>
  /** The receiver has a delivery (with what it answered). */
  succeed(id: DeliveryId, reply?: unknown | null, now?: Instant | null): Delivery
  /** A delivery's attempt failed: due again after a backoff, or dead. */
  fail(id: DeliveryId, error: string, now?: Instant | null): Delivery
  /** Makes a dead delivery due again. */
  retry(id: DeliveryId, now?: Instant | null): Delivery
  /** A delivery. */
  get(id: DeliveryId): Delivery
  /**
   * The deliveries with a status (`pending`, `in_flight`, `delivered`, `dead`,
   * `cancelled`).
   */
  withStatus(status: DeliveryStatus): Array<Delivery>
}

/**
 * Every kind of record alike: archive and restore, delete with what depends on
 * it, and history.
 */
export interface Records {
  /**
   * Archives a record (`lead:42`) read at `expected_version`: it leaves listings,
   * reports, segments and duplicate checks and stays readable by id. Returns its
   * new version.
   */
  archive(record: RecordKey, expectedVersion: Version, now?: Instant | null): Version
  /** Restores an archived record. Returns its new version. */
  restore(record: RecordKey, expectedVersion: Version, now?: Instant | null): Version
  /** Whether a record is archived. */
  isArchived(record: RecordKey): boolean
  /**
   * Archived records of a kind as their stored documents, in id order: up to
   * `limit` after the id `after` (0: from the first).
   */
  archived(kind: EntityKind, after: number, limit: number): Array<unknown>
  /**
   * Deletes a record read at `expected_version`. While records depend on it the
   * delete is refused (`in_use`) unless `on_dependants` cascades or re-points;
   * owned records (a lead's touchpoints) go with it.
   */
  delete(record: RecordKey, expectedVersion: Version, onDependants?: OnDependants | null, now?: Instant | null): Deleted
  /**
   * A record's history, oldest first: every event about it with who did it and,
   * for edits, each field's old and new value.
   */
  history(record: RecordKey): Array<HistoryEntry>
  /**
   * Links a record to its id in another system (`erp`, `shop`): one id per record
   * and system, and an id names one record of the kind in its system
   * (`duplicate` otherwise). Linking again with a new id replaces the old one.
   */
  linkExternal(record: RecordKey, system: string, externalId: string, now?: Instant | null): ExternalLink
  /** Removes a record's id in a system; whether it had one. */
  unlinkExternal(record: RecordKey, system: string, now?: Instant | null): boolean
  /** The record of a kind that has this id in a system, if any. */
  findExternal(kind: EntityKind, system: string, externalId: string): RecordKey | null
  /** A record's ids in other systems. */
  externalIds(record: RecordKey): Array<ExternalLink>
  /**
   * One page of the records of a kind, as their stored documents: filtered (every
   * condition holds), sorted (the id breaks ties) and paged by cursor (`next` is
   * where the next page starts; stable while records are written). At most 1000 a
   * page (50 when the query does not say).
   */
  page(kind: EntityKind, query?: ListQuery | null): Page
  /**
   * Searches records by their words (leads, contacts, accounts, opportunities,
   * cases, published articles, or the kinds asked for): records holding every
   * word first, best first, each with the field that matched and a snippet;
   * archived records are not found.
   */
  search(query: SearchQuery): Array<SearchResult>
  /**
   * Exports the live records of a kind that the options select into a new file
   * at `path`: CSV (one column per field, nested fields as dotted paths), JSON
   * lines (the stored documents) or Parquet (typed columns), in id order,
   * streamed.
   */
  export(kind: EntityKind, path: string, options: ExportOptions): ExportReport
  /**
   * Exports the live records of a kind that the options select into a new file
   * at `path`: CSV (one column per field, nested fields as dotted paths), JSON
   * lines (the stored documents) or Parquet (typed columns), in id order,
   * streamed.
   * Runs off the JS thread; the Promise resolves with the result. A `Job` as the last argument reports its progress and can cancel it (the Promise then rejects with code `cancelled`).
   */
  exportAsync(kind: EntityKind, path: string, options: ExportOptions, job?: Job): Promise<ExportReport>
  /**
   * Imports records of a kind (lead, account, contact, purchase, activity,
   * opportunity, asset, contract, service_case, campaign) from the CSV or JSON
   * lines file at `path`, in any text encoding: columns are dotted field paths
   * (an export imports back), `path@key` links by natural key
   * (`account@name`), `external_system` upserts by external id, `created_at`
   * is honoured; bad rows (or, lenient, bad values) are left out and every
   * problem reported.
   */
  importFile(kind: EntityKind, path: string, options?: ImportRecordsOptions | null, now?: Instant | null): ImportRecordsReport
  /**
   * Imports records of a kind (lead, account, contact, purchase, activity,
   * opportunity, asset, contract, service_case, campaign) from the CSV or JSON
   * lines file at `path`, in any text encoding: columns are dotted field paths
   * (an export imports back), `path@key` links by natural key
   * (`account@name`), `external_system` upserts by external id, `created_at`
   * is honoured; bad rows (or, lenient, bad values) are left out and every
   * problem reported.
   * Runs off the JS thread; the Promise resolves with the result. A `Job` as the last argument reports its progress and can cancel it (the Promise then rejects with code `cancelled`).
   */
  importFileAsync(kind: EntityKind, path: string, options?: ImportRecordsOptions | null, now?: Instant | null, job?: Job): Promise<ImportRecordsReport>
  /** How many records of a kind match a filter (every condition holds). */
  count(kind: EntityKind, filter?: Array<FieldCondition> | null): number
}

/**
 * Personal data of one person (by lead, contact or e-mail address): export and
 * erase (GDPR articles 15, 17 and 20).
 */
export interface Privacy {
  /**
   * Everything held about a person as one JSON document: their leads and
   * contacts, every record hanging on them, every event about them.
   */
  exportPerson(person: Person, now?: Instant | null): unknown
  /**
   * Erases a person: their leads and contacts blanked, what exists only
   * because of them deleted, their identifiers removed from kept records and
   * from the event log; afterwards nothing of them is left in the store's
   * files.
   */
  erasePerson(person: Person, now?: Instant | null): Erasure
}

/** Duplicate rules per kind and the review list of possible duplicates. */
export interface Duplicates {
  /**
   * The rules stored records of `kind` (`lead`, `contact`) are matched by: which
   * keys (e-mail, phone, name), exact or fuzzy names, thresholds.
   */
  rules(kind: EntityKind): DuplicateRules
  /** Sets the rules stored records of `kind` are matched by. */
  setRules(kind: EntityKind, rules: DuplicateRules, now?: Instant | null): DuplicateRules
  /**
   * One page of the review list in a status (`open`, `merged`,
   * `not_duplicate`), as stored documents; the query may filter further.
   */
  reviews(status: ReviewStatus, query?: ListQuery | null): Page
  /** One review. */
  review(id: DuplicateReviewId): DuplicateReview
  /**
   * Resolves an open review read at `expected_version`: merge the pair into the
   * survivor, or remember that they are different people (never reported
   * again).
   */
  resolve(id: DuplicateReviewId, expectedVersion: Version, resolution: Resolution, now?: Instant | null): DuplicateReview
}

/**
 * Typed custom fields: definitions per record kind, checked on every write, and
 * their versioned redefinition.
 */
export interface CustomFields {
  /**
   * Defines a custom field of a kind (`lead`, `account`, `contact`,
   * `opportunity`, `activity`, `purchase`, `service_case`, `asset`, `contract`,
   * `campaign`). A required field is filled in with its default on the stored
   * records.
   */
  define(field: NewCustomField, now?: Instant | null): CustomField
  /**
   * Redefines a field read at `expected_version` (label, type, picklist values,
   * required, default): every stored value must fit the new definition, or the
   * change is refused naming the records.
   */
  redefine(kind: EntityKind, name: string, expectedVersion: Version, spec: CustomFieldSpec, now?: Instant | null): CustomFieldChange
  /** Renames a field, moving every record's value with it. */
  rename(kind: EntityKind, name: string, expectedVersion: Version, to: string, now?: Instant | null): CustomFieldChange
  /**
   * Removes a field; `in_use` while records hold values unless `purge` removes
   * them too.
   */
  remove(kind: EntityKind, name: string, expectedVersion: Version, purge: boolean, now?: Instant | null): CustomFieldChange
  /** The custom fields of a kind, by name. */
  list(kind: EntityKind): Array<CustomField>
  /** One custom field, if the kind has it. */
  get(kind: EntityKind, name: string): CustomField | null
}

/**
 * Access control: users, teams, roles, permission sets, organisation-wide
 * defaults, sharing rules and manual shares, and how far the handle's user may go
 * with a record. A handle bound to a user (`as_user`) is refused (`forbidden`)
 * what that user may not do.
 */
export interface Access {
  /**
   * Creates or replaces the user with this login (active, locale, time zone,
   * manager, role, permission sets).
   */
  setUser(spec: UserSpec, now?: Instant | null): User
  /** The user with a login, if any. */
  user(login: string): User | null
  /** Every user, in id order. */
  users(): Array<User>
  /**
   * Creates or replaces a team and its members; records it owns name
   * `team:<name>` as their owner.
   */
  setTeam(spec: TeamSpec, now?: Instant | null): Team
  /** Every team, in id order. */
  teams(): Array<Team>
  /**
   * Creates or replaces a role: the role above it, its permission sets, the
   * fields hidden or read-only for its users.
   */
  setRole(spec: RoleSpec, now?: Instant | null): Role
  /** Every role, in id order. */
  roles(): Array<Role>
  /**
   * Creates or replaces a permission set: read / create / edit / delete /
   * export, view all and modify all per kind, and system permissions.
   */
  setPermissionSet(spec: PermissionSetSpec, now?: Instant | null): PermissionSet
  /** Every permission set, in id order. */
  permissionSets(): Array<PermissionSet>
  /**
   * Sets the organisation-wide default of a kind with owners: `private`,
   * `public_read` or `public_read_write`.
   */
  setOrgDefault(kind: EntityKind, access: OrgDefault, now?: Instant | null): OrgDefaultSetting
  /** The organisation-wide defaults that were set (the others are private). */
  orgDefaults(): Array<OrgDefaultSetting>
  /**
   * Creates or replaces a sharing rule: the records of a kind matching its
   * filter shared, read or edit, with a user, team, role or role and below.
   */
  setSharingRule(spec: SharingRuleSpec, now?: Instant | null): SharingRule
  /** Removes a sharing rule. */
  removeSharingRule(name: string, now?: Instant | null): SharingRule
  /** Every sharing rule, in id order. */
  sharingRules(): Array<SharingRule>
  /** Shares one record (`lead:7`), read or edit, with a user or a team. */
  share(record: RecordKey, grantee: GranteeRef, access: ShareAccess, now?: Instant | null): Share
  /** Takes a manual share back. */
  unshare(share: ShareId, now?: Instant | null): Share
  /** The manual shares of one record. */
  sharesOf(record: RecordKey): Array<Share>
  /**
   * Creates or replaces an assignment rule: new leads or service cases without an
   * owner matching its filter go to a user, a team, a team's members in turn
   * (`round_robin`) or the member with the fewest open records
   * (`least_loaded`); rules are tried by `order`.
   */
  setAssignmentRule(spec: AssignmentRuleSpec, now?: Instant | null): AssignmentRule
  /** Removes an assignment rule. */
  removeAssignmentRule(name: string, now?: Instant | null): AssignmentRule
  /** Every assignment rule, in id order. */
  assignmentRules(): Array<AssignmentRule>
  /**
   * Gives every lead, account, contact, opportunity, activity and case owned by
   * `owner` (a login, `team:<name>`, or an owner text from before users
   * existed) to the user or `team:<name>` `new_owner`; the records given.
   */
  transferRecords(owner: string, newOwner: string, now?: Instant | null): Array<RecordKey>
  /**
   * How far the handle's user may go with a record: `none`, `read`, `edit` or
   * `full`.
   */
  accessTo(record: RecordKey): Level
}

/**
 * Raw lead input: text per field, as typed, posted or imported. Parse it with
 * `LeadInput::parse`.
 */
export interface LeadInput {
  /** The values, by field. */
  values: Record<string, string>
}

/** A captured lead and the existing records it may duplicate. */
export interface Captured {
  /** The stored lead. */
  lead: Lead
  /** Possible duplicates among stored leads and contacts. */
  duplicates: Array<DuplicateMatch>
}

/** A lead as stored. */
export interface Lead {
  /** Id, assigned by the store. */
  id: LeadId
  /** Optimistic-concurrency version (1 after the first write). */
  version: Version
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
  spamSignals?: Array<SpamSignal>
  /** What it became, once converted. */
  conversion?: ConversionLinks | null
  /** When it was qualified (for the funnel report). */
  qualifiedAt?: string | null
}

/** The id of a stored `lead` (from 1). */
export type LeadId = number

/** The optimistic-concurrency version of a stored record (1 after its first write). */
export type Version = number

/** Where a lead came from. */
export type LeadSource =
  /** Typed in by a person. */
  | 'manual'
  /** Posted through a web form. */
  | { web_form: { form: WebFormId } }
  /** Imported from a CSV file. */
  | { csv_import: { batch: string; row: number } }
  /** Created through the host's API. */
  | 'api'

/** The id of a stored `web form` (from 1). */
export type WebFormId = number

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
  email?: Email | null
  /** Phone, E.164. */
  phone?: Phone | null
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
  custom?: Record<string, unknown>
}

/** An e-mail address, checked and normalised (`ada@example.com`). */
export type Email = string

/** A phone number, stored in E.164 form (`+493012345678`). */
export type Phone = string

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

/** Optional demographics of a person (used by reports and scoring). */
export interface Demographics {
  /** Age band. */
  ageBand?: AgeBand | null
  /** Gender. */
  gender?: Gender | null
  /** Household income band. */
  incomeBand?: IncomeBand | null
}

/** Age band, for demographics reports and scoring. */
export type AgeBand = '18-24' | '25-34' | '35-44' | '45-54' | '55-64' | '65+'

/** Gender as the person stated it. */
export type Gender = 'female' | 'male' | 'other' | 'undisclosed'

/** Household income band. */
export type IncomeBand = 'low' | 'lower_middle' | 'middle' | 'upper_middle' | 'high'

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

/** How promising a lead looks. */
export type Rating = 'hot' | 'warm' | 'cold'

/**
 * The status of a lead: a state machine.
 *
 * ```text
 * new ──► working ──► qualified ──► converted
 *  │         │  ▲        │
 *  └─────────┴──┼────────┴──► disqualified ──► working (reopened)
 *               └──────── qualified (back to working)
 * ```
 */
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
  | { disqualified: { reason: string } }

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
  | { signal: 'submitted_too_fast'; seconds: number }

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

/** The id of a stored `account` (from 1). */
export type AccountId = number

/** The id of a stored `contact` (from 1). */
export type ContactId = number

/** The id of a stored `opportunity` (from 1). */
export type OpportunityId = number

/** An existing record that an input may duplicate. */
export interface DuplicateMatch {
  /** The existing lead or contact. */
  record: RecordRef
  /** Why it matches. */
  reason: MatchReason
  /**
   * Only a possible duplicate, for a person to judge: the names are similar but the
   * incoming record has an e-mail or phone the stored one does not (a different one,
   * or one where the stored record has none). An import never leaves such a row out.
   */
  possible?: boolean
}

/** A reference to a record that activities and touchpoints can hang on. */
export type RecordRef =
  /** A lead. */
  | { kind: 'lead'; id: LeadId }
  /** A contact. */
  | { kind: 'contact'; id: ContactId }
  /** An account. */
  | { kind: 'account'; id: AccountId }
  /** An opportunity. */
  | { kind: 'opportunity'; id: OpportunityId }
  /** A service case. */
  | { kind: 'service_case'; id: CaseId }

/** The id of a stored `case` (from 1). */
export type CaseId = number

/** Why two records were judged duplicates. */
export type MatchReason =
  /** Same mailbox. */
  | { reason: 'same_email' }
  /** Same phone number. */
  | { reason: 'same_phone' }
  /** Similar name and company. */
  | { reason: 'similar_name'; similarity: number }

/** A form definition before it is stored. */
export interface WebFormSpec {
  /** See `WebForm::name`. */
  name: string
  /** See `WebForm::fields`. */
  fields: Array<FormField>
  /** See `WebForm::honeypot`. */
  honeypot?: string | null
  /** See `WebForm::resubmission_window_secs`. */
  resubmissionWindowSecs?: number
  /** See `WebForm::min_fill_secs`. */
  minFillSecs?: number | null
  /** See `WebForm::default_region`. */
  defaultRegion: Region
  /** See `WebForm::defaults`. */
  defaults?: Record<string, string>
  /** See `WebForm::consents`. */
  consents?: Array<FormConsent>
}

/** One field of a form. */
export interface FormField {
  /** The name the form posts (`your-email`). */
  name: string
  /** The lead field it fills. */
  mapsTo: LeadField
  /** Whether a submission without it is refused. */
  required?: boolean
}

/** A lead field (`email`, `company`, `custom:industry`). */
export type LeadField = string

/** A two-letter region code (`DE`, `US`), the default for phone numbers. */
export type Region = string

/** A consent checkbox of a web form. */
export interface FormConsent {
  /** The name the checkbox posts (`newsletter-optin`). */
  field: string
  /** The channel it consents to. */
  channel: Channel
  /** What for. */
  purpose: Purpose
  /** The wording next to the checkbox, kept as proof. */
  text?: string | null
}

/** How a person is reached. */
export type Channel = 'email' | 'sms' | 'phone' | 'post'

/** What a person is contacted for. */
export type Purpose = 'marketing' | 'newsletter' | 'service'

/** A web form's definition, as stored. */
export interface WebForm {
  /** Id, assigned by the store. */
  id: WebFormId
  /** Version. */
  version: Version
  /** A name people recognise ("Contact us"). */
  name: string
  /** The fields it posts. */
  fields: Array<FormField>
  /** A field hidden from people: a submission that fills it is spam. */
  honeypot?: string | null
  /**
   * A second submission with the same e-mail within this many seconds is refused as a
   * duplicate (0: never).
   */
  resubmissionWindowSecs?: number
  /**
   * Submissions made faster than this many seconds after the form was shown are spam
   * (checked when the host passes the time the form was rendered).
   */
  minFillSecs?: number | null
  /** Region for phone numbers given without a country code. */
  defaultRegion: Region
  /**
   * Values every lead from this form gets unless the submission sets them
   * (campaign, owner…).
   */
  defaults?: Record<string, string>
  /**
   * Consent checkboxes: a submission that ticks one grants that consent to the lead,
   * with the form, the address and the wording as proof.
   */
  consents?: Array<FormConsent>
}

/** One posted form. */
export interface Submission {
  /** The posted values by field name. */
  fields: Record<string, string>
  /** When it was posted. */
  submittedAt: string
  /** When the form was shown, if the host knows (enables the minimum-fill-time check). */
  renderedAt?: string | null
  /** The address it came from, if the host knows (kept as proof of consents given). */
  ip?: string | null
}

/**
 * A lead status without its details (a disqualification's reason): what a listing by
 * status asks for.
 */
export type LeadStatusKind = 'new' | 'working' | 'qualified' | 'converted' | 'disqualified'

/** An edit of a LeadData: the fields it changes (null clears one); a field not named is kept. */
export interface LeadDataPatch {
  firstName?: string | null | null
  lastName?: string | null | null
  company?: string | null | null
  jobTitle?: string | null | null
  email?: Email | null | null
  phone?: Phone | null | null
  website?: string | null | null
  address?: Address | null
  demographics?: Demographics | null
  attribution?: Attribution | null
  owner?: string | null | null
  description?: string | null | null
  rating?: Rating | null | null
  custom?: Record<string, unknown> | null
}

/** How a CSV file maps onto leads. */
export interface CsvMapping {
  /** Lead field per header name. */
  columns?: Array<[string, LeadField]>
  /**
   * Whether headers not in `columns` are mapped by `LeadField::guess` (unknown ones
   * become custom fields) or ignored.
   */
  guessOthers?: boolean
  /** Region for phone numbers without a country code. */
  defaultRegion: Region
  /** Field delimiter (`b','`, `b';'`, `b'\t'`). */
  delimiter?: number
  /** Text encoding. */
  encoding?: TextEncoding
}

/** How the bytes of the file are to be read as text. */
export type TextEncoding = 'utf8' | 'latin1'

/** How to import. */
export interface ImportOptions {
  /** A label for this import (usually the file name); kept in each lead's source. */
  batchLabel: string
  /** Rows per transaction (1 000 when left out). */
  batchSize?: number
  /** Duplicates (`skip` when left out). */
  duplicates?: DuplicatePolicy
  /**
   * At most this many row errors and duplicates are kept in the report (counts are
   * always exact), so a huge bad file cannot exhaust memory (10 000 when left out).
   */
  maxReported?: number
}

/** What to do with a row that duplicates a stored lead or contact (or an earlier row). */
export type DuplicatePolicy = 'skip' | 'keep'

/** The outcome of an import. */
export interface ImportReport {
  /** Final counts. */
  progress: ImportProgress
  /** Problems of invalid rows (up to `max_reported`). */
  errors: Array<RowError>
  /** Rows left out as duplicates (up to `max_reported`). */
  duplicates: Array<DuplicateRow>
  /** The first lead imported. */
  firstLead?: LeadId | null
  /** The last lead imported. */
  lastLead?: LeadId | null
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

/** A row left out as a duplicate. */
export interface DuplicateRow {
  /** The 1-based data row. */
  row: number
  /** What it duplicates. */
  matches: Array<DuplicateMatch>
}

/** How to convert. */
export interface ConvertOptions {
  /** The account. */
  account?: LinkChoiceAccountId
  /** The contact. */
  contact?: LinkChoiceContactId
  /** The opportunity, if one is to be opened. */
  opportunity?: OpportunityDraft | null
}

/** Which existing record to link, or whether to create one. */
export type LinkChoiceAccountId =
  /** Link to the matching record when one is found, else create one. */
  | { choice: 'auto' }
  /** Link to this record. */
  | { choice: 'existing'; id: AccountId }
  /** Always create a new record. */
  | { choice: 'new' }

/** Which existing record to link, or whether to create one. */
export type LinkChoiceContactId =
  /** Link to the matching record when one is found, else create one. */
  | { choice: 'auto' }
  /** Link to this record. */
  | { choice: 'existing'; id: ContactId }
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
  products?: Array<string>
}

/** The id of a stored `pipeline` (from 1). */
export type PipelineId = number

/** An exact amount of one currency. */
export interface Money {
  amount: string
  currency: Currency
}

/** An ISO 4217 currency code (`EUR`). */
export type Currency = string

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

/** A company we sell to. */
export interface Account {
  /** Id, assigned by the store. */
  id: AccountId
  /** Version. */
  version: Version
  /** Company name. */
  name: string
  /** Web site or e-mail domain (`acme.com`), lower case. */
  domain?: string | null
  /** Main phone. */
  phone?: Phone | null
  /** Postal address. */
  address?: Address
  /** Industry. */
  industry?: string | null
  /** Owner (account manager). */
  owner?: string | null
  /** Service tier (`gold`, `enterprise`), lower-case: what the desk routes on. */
  tier?: string | null
  /** Custom fields. */
  custom?: Record<string, unknown>
  /** Created. */
  createdAt: string
  /** Last changed. */
  updatedAt: string
}

/** A person at an account (or on their own). */
export interface Contact {
  /** Id, assigned by the store. */
  id: ContactId
  /** Version. */
  version: Version
  /** Their account, if any. */
  account?: AccountId | null
  /** Given name. */
  firstName?: string | null
  /** Family name. */
  lastName?: string | null
  /** Job title. */
  jobTitle?: string | null
  /** E-mail. */
  email?: Email | null
  /** Phone numbers, the first the preferred one. */
  phones?: Array<ContactPhone>
  /** Postal addresses, the first the preferred one. */
  addresses?: Array<Address>
  /** When they like to be called. */
  bestTimeToCall?: BestTimeToCall | null
  /** Demographics. */
  demographics?: Demographics
  /** Owner. */
  owner?: string | null
  /** The lead this contact was converted from, if any. */
  fromLeads?: Array<LeadId>
  /** Custom fields. */
  custom?: Record<string, unknown>
  /**
   * The latest prediction of each customer model re-scored on the stored customers
   * (`customers.rescore`), by model name: a probability, or for value models expected
   * revenue. Segments read them as `prediction:<name>`.
   */
  predictions?: Record<string, number>
  /** Created. */
  createdAt: string
  /** Last changed. */
  updatedAt: string
}

/** A contact's phone number with its kind. */
export interface ContactPhone {
  /** Kind. */
  kind: PhoneKind
  /** Number. */
  number: Phone
}

/** What kind of phone a number is. */
export type PhoneKind = 'work' | 'mobile' | 'home' | 'other'

/** When a contact likes to be called: weekly windows in the contact's time zone. */
export interface BestTimeToCall {
  /** The contact's time zone. */
  timeZone: string
  /** The windows. */
  windows: Array<CallWindow>
}

/** One weekly window in which a contact likes to be called. */
export interface CallWindow {
  /** Day of the week. */
  weekday: 'Mon' | 'Tue' | 'Wed' | 'Thu' | 'Fri' | 'Sat' | 'Sun'
  /** Start, local time. */
  start: string
  /** End, local time (after start). */
  end: string
}

/** A deal being worked. */
export interface Opportunity {
  /** Id, assigned by the store. */
  id: OpportunityId
  /** Version. */
  version: Version
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
  probability: Percent
  /** Where the probability comes from. */
  probabilitySource: ProbabilitySource
  /** Owner. */
  owner?: string | null
  /** The lead it came from. */
  sourceLead?: LeadId | null
  /** Lead source kind, kept for reports (`web_form`…). */
  source?: string | null
  /** Products of interest. */
  products?: Array<string>
  /** Key players. */
  keyPlayers?: Array<KeyPlayer>
  /** The prospect's expected budget for the deal. */
  budget?: Money | null
  /**
   * What the customer spends in all on what the deal covers (with us and others, over
   * the life of a contract), as the rep learnt it.
   */
  totalSpending?: Money | null
  /** Who else is bidding. */
  competitors?: Array<Competitor>
  /**
   * The catalog products priced into the deal; while there are any, they make its
   * amount (`crate::Crm::set_line_items`).
   */
  lineItems?: Array<LineItem>
  /** Every change of stage, amount, probability or close date. */
  history: Array<StageChange>
  /** Why it was lost. */
  lostReason?: string | null
  /** When it was won or lost. */
  closedAt?: string | null
  /** Created. */
  createdAt: string
  /** Last changed. */
  updatedAt: string
  /** Custom field values by name (`crate::custom`). */
  custom?: Record<string, unknown>
}

/** Whether a stage is still open, or closes the deal as won or lost. */
export type StageKind = 'open' | 'won' | 'lost'

/** A percentage from 0 to 100, as decimal text (`12.5`). */
export type Percent = string

/** Where an opportunity's probability comes from. */
export type ProbabilitySource = 'stage' | 'manual' | 'model'

/** A contact's role in a deal. */
export interface KeyPlayer {
  /** Who. */
  contact: ContactId
  /** Their role (`decision maker`, `champion`, `influencer`…). */
  role: string
}

/** Another company bidding for a deal. */
export interface Competitor {
  /** Its name. */
  name: string
  /** What the rep knows of its offer (price, strengths, weaknesses). */
  notes?: string | null
}

/** A catalog product priced into a deal from a price book. */
export interface LineItem {
  /** The product's SKU. */
  sku: string
  /** The product's name. */
  name: string
  /** How many (above zero). */
  quantity: string
  /** Its list price in the book on the day it was priced. */
  listPrice: Money
  /** The discount granted. */
  discount: Percent
  /** Quantity × list price less the discount, rounded half-even to the currency. */
  net: Money
}

/** One entry of an opportunity's stage history: the values after a change and before it. */
export interface StageChange {
  /** When. */
  at: string
  /** Stage after. */
  stage: string
  /** Amount after. */
  amount: Money
  /** Probability after. */
  probability: Percent
  /** Expected close after. */
  expectedClose: string
  /** Stage before (none for the first entry). */
  previousStage?: string | null
  /** Amount before. */
  previousAmount?: Money | null
  /** Probability before. */
  previousProbability?: Percent | null
  /** Expected close before. */
  previousClose?: string | null
}

/** Which fields take the merged record's value. */
export interface MergeChoices {
  /**
   * Top-level field names (`email`, `phones`, `data`…) whose value comes from the merged
   * record. For leads, person fields live under `data`, so name them `data.email`.
   */
  takeFromMerged?: Array<string>
}

/**
 * A merge of two leads, as the API surface returns it (a concrete record every binding
 * can name).
 */
export interface MergedLead {
  /** The survivor, as stored after the merge. */
  survivor: Lead
  /** How many related records were re-pointed to it. */
  repointed: number
}

/** A touch to record: everything but the id. */
export interface NewTouchpoint {
  /** Whose touch. Touches hang on leads and contacts only. */
  subject: RecordRef
  /** When. */
  at: string
  /** What. */
  kind: TouchpointKind
  /** Campaign, ad, affiliate, UTM fields. */
  attribution?: Attribution
}

/** What happened, with what only that kind of touch carries. */
export type TouchpointKind =
  /** Clicked an ad. */
  | { kind: 'ad_click' }
  /** Clicked an affiliate's link. */
  | { kind: 'affiliate_click' }
  /** Opened one of our e-mails (a tracking pixel loaded). */
  | { kind: 'email_open'; email?: string | null }
  /** Clicked a link in one of our e-mails. */
  | { kind: 'email_click'; email?: string | null; url?: string | null }
  /** Submitted a web form. */
  | { kind: 'form_submission'; form: string }
  /** Visited a page of our site. */
  | { kind: 'web_visit'; url: string; durationSecs?: number | null }
  /** Came to one of our sites or a trade-show booth in person. */
  | { kind: 'on_site_visit'; location: string }
  /** A phone call. */
  | { kind: 'phone_call'; direction: CallDirection; durationSecs: number; outcome?: string | null }

/** Direction of a phone call. */
export type CallDirection = 'inbound' | 'outbound'

/** One touch, as stored. */
export interface Touchpoint {
  /** Id, assigned by the store. */
  id: TouchpointId
  /** Version. */
  version: Version
  /** Whose touch (a lead or a contact; conversion moves it to the contact). */
  subject: RecordRef
  /** When it happened. */
  at: string
  /** What happened. */
  kind: TouchpointKind
  /** Where it came from: campaign, ad, affiliate, UTM fields. */
  attribution?: Attribution
}

/** The id of a stored `touchpoint` (from 1). */
export type TouchpointId = number

/** An account to create. */
export interface NewAccount {
  /** Company name. */
  name: string
  /** Web or e-mail domain. */
  domain?: string | null
  /** Main phone. */
  phone?: Phone | null
  /** Address. */
  address?: Address
  /** Industry. */
  industry?: string | null
  /** Owner. */
  owner?: string | null
  /** Service tier (`gold`, `enterprise`). */
  tier?: string | null
  /** Custom field values by name (`crate::custom`). */
  custom?: Record<string, unknown>
}

/** An edit of a Account: the fields it changes (null clears one); a field not named is kept. */
export interface AccountPatch {
  name?: string | null
  domain?: string | null | null
  phone?: Phone | null | null
  address?: Address | null
  industry?: string | null | null
  owner?: string | null | null
  tier?: string | null | null
  custom?: Record<string, unknown> | null
}

/** An edit of a Contact: the fields it changes (null clears one); a field not named is kept. */
export interface ContactPatch {
  account?: AccountId | null | null
  firstName?: string | null | null
  lastName?: string | null | null
  jobTitle?: string | null | null
  email?: Email | null | null
  phones?: Array<ContactPhone> | null
  addresses?: Array<Address> | null
  bestTimeToCall?: BestTimeToCall | null | null
  demographics?: Demographics | null
  owner?: string | null | null
  custom?: Record<string, unknown> | null
}

/** The id of a stored `purchase` (from 1). */
export type PurchaseId = number

/** An edit of a Purchase: the fields it changes (null clears one); a field not named is kept. */
export interface PurchasePatch {
  product?: string | null
  purchasedAt?: string | null
  salesRep?: string | null | null
  quantity?: string | null
  unitPrice?: Money | null
  specialInstructions?: string | null | null
  feedback?: Feedback | null | null
  custom?: Record<string, unknown> | null
}

/** A customer's rating of a purchase. */
export interface Feedback {
  /** 1 (poor) to 5 (excellent). */
  rating: number
  /** What they said. */
  text?: string | null
}

/** The id of a stored `sales order` (from 1). */
export type SalesOrderId = number

/** Something a customer bought. */
export interface Purchase {
  /** Id, assigned by the store. */
  id: PurchaseId
  /** Version. */
  version: Version
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
  /** The sales order it was sold on, when the CRM made the sale. */
  salesOrder?: SalesOrderId | null
  /**
   * The order line's net amount, exact, when it was sold on an order (the unit price
   * is that divided by the quantity, rounded to the currency, so their product may be
   * a cent away from it).
   */
  net?: Money | null
  /** Custom field values by name (`crate::custom`). */
  custom?: Record<string, unknown>
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
  email?: Email | null
  /** Phones. */
  phones?: Array<ContactPhone>
  /** Addresses. */
  addresses?: Array<Address>
  /** Best time to call. */
  bestTimeToCall?: BestTimeToCall | null
  /** Demographics. */
  demographics?: Demographics
  /** Owner. */
  owner?: string | null
  /** Custom field values by name (`crate::custom`). */
  custom?: Record<string, unknown>
}

/** A page of a timeline, newest first. */
export interface TimelinePage {
  /** The entries. */
  entries: Array<TimelineEntry>
  /** The cursor of the next (older) page, if there is one. */
  next?: string | null
}

/** One thing that happened with a customer. */
export interface TimelineEntry {
  /**
   * When it happened (an activity: when it was done, else when it is due, else when it
   * was logged; an asset: the day it was installed).
   */
  at: string
  /** The record (`purchase:12`, `service_case:3`, …). */
  record: RecordKey
  /** What happened, in a line. */
  summary: string
}

/** A record of any kind, written kind:id (`lead:42`). */
export type RecordKey = string

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
  /** Custom field values by name (`crate::custom`). */
  custom?: Record<string, unknown>
}

/** A merge of two contacts, as the API surface returns it. */
export interface MergedContact {
  /** The survivor, as stored after the merge. */
  survivor: Contact
  /** How many related records were re-pointed to it. */
  repointed: number
}

/** A merge of two accounts, as the API surface returns it. */
export interface MergedAccount {
  /** The survivor, as stored after the merge. */
  survivor: Account
  /** How many related records were re-pointed to it. */
  repointed: number
}

/** One stage of a pipeline. */
export interface Stage {
  /** Its name, unique in the pipeline. */
  name: string
  /** The probability an opportunity gets on entering it. */
  probability: Percent
  /** Open, won or lost. */
  kind: StageKind
}

/** An ordered list of stages. */
export interface Pipeline {
  /** Id, assigned by the store. */
  id: PipelineId
  /** Version. */
  version: Version
  /** Its name. */
  name: string
  /** The stages in order: open ones first, then the closing ones. */
  stages: Array<Stage>
  /** What accepting a quote does to the quote's opportunity (by default nothing). */
  onQuoteAccepted?: OnQuoteAccepted
}

/**
 * What accepting a quote does to its opportunity, per pipeline: the amount can follow
 * the quote (its subtotal, before tax) and the deal can move to a stage — the won stage
 * closes it as won at that amount. A closed opportunity is left as it is.
 */
export interface OnQuoteAccepted {
  /** Whether the opportunity's amount becomes the quote's subtotal. */
  followAmount?: boolean
  /** The stage the opportunity moves to (an open stage, or the won stage). */
  stage?: string | null
}

/** A product to price into a deal. */
export interface LineItemInput {
  /** The product's SKU. */
  sku: string
  /** How many (above zero). */
  quantity: string
  /** The discount granted (none: no discount). */
  discount?: Percent | null
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
  products?: Array<string>
  /** Custom field values by name (`crate::custom`). */
  custom?: Record<string, unknown>
}

/** An edit of a Opportunity: the fields it changes (null clears one); a field not named is kept. */
export interface OpportunityPatch {
  name?: string | null
  contact?: ContactId | null | null
  expectedClose?: string | null
  owner?: string | null | null
  source?: string | null | null
  products?: Array<string> | null
  keyPlayers?: Array<KeyPlayer> | null
  budget?: Money | null | null
  totalSpending?: Money | null | null
  competitors?: Array<Competitor> | null
  custom?: Record<string, unknown> | null
}

/** An activity to log or schedule. */
export interface NewActivity {
  /** Kind. */
  kind: ActivityKind
  /** What it is about. */
  subject: RecordRef
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
  /** Who takes part. */
  attendees?: Array<Attendee>
  /** Reminders, in minutes before the due time. */
  reminders?: Array<number>
  /** How it repeats: an iCalendar RRULE from the due time (`FREQ=WEEKLY;COUNT=10`). */
  recurrence?: string | null
  /** Custom field values by name (`crate::custom`). */
  custom?: Record<string, unknown>
}

/** What kind of activity. */
export type ActivityKind = 'call' | 'meeting' | 'email' | 'task'

/** Someone who takes part in an activity. */
export type Attendee =
  /** A contact. */
  | { kind: 'contact'; id: ContactId }
  /** A lead. */
  | { kind: 'lead'; id: LeadId }
  /** A user of the CRM. */
  | { kind: 'user'; login: string }

/** A call, meeting, e-mail or task. */
export interface Activity {
  /** Id, assigned by the store. */
  id: ActivityId
  /** Version. */
  version: Version
  /** Kind. */
  kind: ActivityKind
  /** What it is about. */
  subject: RecordRef
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
  /** Who takes part. */
  attendees?: Array<Attendee>
  /** Reminders, in minutes before the due time (of each occurrence). */
  reminders?: Array<number>
  /** How it repeats: an iCalendar RRULE from the due time (`FREQ=WEEKLY;COUNT=10`). */
  recurrence?: string | null
  /** For a call: the number, direction, purpose and follow-up. */
  call?: CallDetails | null
  /** When it was cancelled. */
  cancelledAt?: string | null
  /** Why it was cancelled. */
  cancelReason?: string | null
  /** Created. */
  createdAt: string
  /** Custom field values by name (`crate::custom`). */
  custom?: Record<string, unknown>
}

/** The id of a stored `activity` (from 1). */
export type ActivityId = number

/** What a call records beyond an activity's own fields (time, duration, outcome, notes). */
export interface CallDetails {
  /** The number dialled (or that called), as given. */
  number?: string | null
  /** Who called. */
  direction: CallDirection
  /** What it was for. */
  purpose?: string | null
  /** When to follow up. */
  followUpAt?: string | null
}

/** An edit of a Activity: the fields it changes (null clears one); a field not named is kept. */
export interface ActivityPatch {
  title?: string | null
  notes?: string | null | null
  owner?: string | null | null
  dueAt?: string | null | null
  durationMinutes?: number | null | null
  attendees?: Array<Attendee> | null
  reminders?: Array<number> | null
  recurrence?: string | null | null
  call?: CallDetails | null | null
  custom?: Record<string, unknown> | null
}

/** A call that took place, to log as one record. */
export interface NewCall {
  /** Who or what it was with (a lead, contact, account or opportunity). */
  subject: RecordRef
  /** Who called. */
  direction: CallDirection
  /** When it started. */
  at: string
  /** How long it took, in seconds. */
  durationSecs: number
  /** The number dialled (or that called). */
  number?: string | null
  /** A summary (default: `Call`). */
  title?: string | null
  /** What it was for. */
  purpose?: string | null
  /** What came of it. */
  outcome?: string | null
  /** When to follow up. */
  followUpAt?: string | null
  /** Who made or took it. */
  owner?: string | null
  /** Notes. */
  notes?: string | null
}

/** A reminder due in a window: which activity, which occurrence, when to remind. */
export interface Reminder {
  /** The activity. */
  activity: ActivityId
  /** Its title. */
  title: string
  /** Its owner. */
  owner?: string | null
  /** The occurrence it is for. */
  occurrence: string
  /** When to remind. */
  remindAt: string
}

/** One dated rate: 1 `from` = `rate` `to`, from `on` until the next rate of the pair. */
export interface ExchangeRate {
  /** Id, assigned by the store. */
  id: ExchangeRateId
  /** Version. */
  version: Version
  /** Source currency. */
  from: Currency
  /** Target currency. */
  to: Currency
  /** The first day it applies. */
  on: string
  /** Units of `to` per unit of `from` (positive). */
  rate: string
}

/** The id of a stored `exchange rate` (from 1). */
export type ExchangeRateId = number

/** How the forecast groups dates. */
export type Period = 'month' | 'quarter' | 'year'

/** The forecast table. */
export interface Forecast {
  /** Reporting currency. */
  currency: Currency
  /** The day whose exchange rates were used. */
  asOf: string
  /** Grouping. */
  period: Period
  /** Rows by period, then owner. */
  rows: Array<ForecastRow>
  /** Sum of `pipeline`. */
  totalPipeline: Money
  /** Sum of `weighted`. */
  totalWeighted: Money
  /** Sum of `won`. */
  totalWon: Money
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
  optionGroups?: Array<OptionGroup>
  /** Rules between options. */
  constraints?: Array<Constraint>
  /**
   * Whether each unit sold carries a serial number: its delivery installs one asset
   * per unit at the customer (`crate::service::installed`).
   */
  serialised?: boolean
  /** The warranty every unit gets from its delivery day. */
  warranty?: WarrantyTerms | null
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
  options: Array<ProductOption>
}

/** How many options of a group can be chosen. */
export type Choice = 'single' | 'multiple'

/** An option of a product, with what it adds to the unit price. */
export interface ProductOption {
  /** Its code, unique within the product (`"ram-32"`). */
  code: string
  /** What customers read. */
  name: string
  /** Added to the unit price (may be negative), in the price book's currency. */
  priceDelta?: string
}

/** A rule between options. */
export type Constraint =
  /** Choosing `option` requires choosing `requires`. */
  | { rule: 'requires'; option: string; requires: string }
  /** `option` and `excludes` cannot both be chosen. */
  | { rule: 'excludes'; option: string; excludes: string }

/** A product's standard warranty. */
export interface WarrantyTerms {
  /** How long it runs, in months from the delivery day (at least 1). */
  months: number
  /** What it covers, as the customer reads it. */
  terms: string
}

/** A product as stored in the catalog. */
export interface ProductRecord {
  /** Its id. */
  id: ProductId
  /** Optimistic-concurrency version. */
  version: Version
  /** Its stock-keeping unit, unique in the catalog. */
  sku: string
  /** What customers read. */
  name: string
  /** The unit it is sold by (`"each"`, `"hour"`, `"seat/month"`). */
  unit: string
  /** Whether it can be quoted. */
  active: boolean
  /** Option groups, for configurable products. */
  optionGroups?: Array<OptionGroup>
  /** Rules between options. */
  constraints?: Array<Constraint>
  /**
   * Whether each unit sold carries a serial number: its delivery installs one asset
   * per unit at the customer (`crate::service::installed`).
   */
  serialised?: boolean
  /** The warranty every unit gets from its delivery day. */
  warranty?: WarrantyTerms | null
}

/** The id of a stored `product` (from 1). */
export type ProductId = number

/** List prices in one currency. */
export interface PriceBook {
  /** Its name (`"EUR list 2027"`). */
  name: string
  /** The currency of every price. */
  currency: Currency
  /** The entries. */
  entries: Array<PriceBookEntry>
}

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

/** A price book as stored. */
export interface PriceBookRecord {
  /** Its id. */
  id: PriceBookId
  /** Optimistic-concurrency version. */
  version: Version
  /** Its name (`"EUR list 2027"`). */
  name: string
  /** The currency of every price. */
  currency: Currency
  /** The entries. */
  entries: Array<PriceBookEntry>
}

/** The id of a stored `price book` (from 1). */
export type PriceBookId = number

/** A configured product: the options chosen and its unit price. */
export interface Configuration {
  /** The product. */
  sku: string
  /** The options chosen, in catalog order. */
  options: Array<string>
  /** List price plus the options' deltas. */
  unitPrice: Money
}

/** What a quote is made of (to create one, or a revision). */
export interface QuoteContent {
  /** The customer. */
  account: AccountId
  /** The opportunity it answers, if any. */
  opportunity?: OpportunityId | null
  /**
   * The person at the account it is addressed to: the buyer its order's purchases are
   * recorded on (none: the opportunity's contact, else the account's first contact).
   */
  contact?: ContactId | null
  /** The currency of every amount. */
  currency: Currency
  /** The last day the offer holds. */
  validUntil: string
  /** The lines. */
  lines: Array<QuoteLine>
  /** A discount on every line. */
  documentDiscount?: Percent
  /** The tax rates the lines refer to. */
  taxes: TaxTable
  /** How amounts are rounded (always chosen explicitly). */
  rounding: Rounding
}

/** A line of a quote. */
export interface QuoteLine {
  /** What the customer reads. */
  description: string
  /** The catalog product, if any. */
  sku?: string | null
  /** The configured options, if any. */
  options?: Array<string>
  /** The unit it is sold by. */
  unit?: string | null
  /** How many (≥ 0; fractions allowed). */
  quantity: string
  /** The price of one, in the document's currency (including the line's included taxes). */
  unitPrice: Money
  /** The line's discount. */
  discount?: Discount
  /** Tax codes, in the order they apply. */
  taxCodes?: Array<string>
  /**
   * What the customer asked for with it (delivery, installation); carried to the
   * purchase the order records.
   */
  specialInstructions?: string | null
}

/** A discount on a line. */
export type Discount =
  /** None. */
  | { kind: 'none' }
  /** A share of the line's amount. */
  | { kind: 'percent'; value: Percent }
  /** An amount off the line (in the document's currency, at most the line's amount). */
  | { kind: 'amount'; value: string }

/** The tax rates known to a document, by code. */
export type TaxTable = Array<TaxRate>

/** A tax rate a line can carry, by its code. */
export interface TaxRate {
  /** The code lines refer to (`"VAT20"`). */
  code: string
  /** The rate. */
  rate: Percent
  /** Whether prices already include this tax. */
  includedInPrice?: boolean
  /** Whether the tax applies on top of the taxes listed before it on a line. */
  compound?: boolean
}

/**
 * How rounding is done: the mode for halfway values and where amounts are rounded.
 * Both are always chosen by the caller.
 */
export interface Rounding {
  /** Half-even or half-up. */
  mode: RoundingMode
  /** Per line or globally. */
  strategy: RoundingStrategy
}

/** How a value exactly halfway between two representable values is rounded. */
export type RoundingMode = 'half_even' | 'half_up'

/** Where amounts are rounded. */
export type RoundingStrategy = 'per_line' | 'global'

/** One revision of a quote. */
export interface Quote {
  /** This revision's id. */
  id: QuoteId
  /** Optimistic-concurrency version of the record. */
  version: Version
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

/** The id of a stored `quote` (from 1). */
export type QuoteId = number

/** Where a quote is in its life. */
export type QuoteStatus = 'draft' | 'sent' | 'accepted' | 'rejected' | 'expired'

/**
 * A priced document. It always adds up: `gross − discount = subtotal` and
 * `subtotal + Σ taxes[].amount = grand_total`.
 */
export interface PricedDocument {
  /** The currency. */
  currency: Currency
  /** How it was rounded. */
  rounding: Rounding
  /** The lines. */
  lines: Array<PricedLine>
  /** Σ quantity × unit price, without included taxes. */
  gross: Money
  /** All discounts, line and document, without included taxes. */
  discount: Money
  /** The taxable amount: gross − discount. */
  subtotal: Money
  /** Taxes per rate, in code order. */
  taxes: Array<TaxTotal>
  /** Σ taxes. */
  taxTotal: Money
  /** Subtotal + taxes. */
  grandTotal: Money
}

/** A priced line (amounts rounded; see the module documentation for what they add up to). */
export interface PricedLine {
  /** Quantity × unit price, without the included taxes. */
  gross: Money
  /** Line and document discounts, without the included taxes. */
  discount: Money
  /** What the line is taxed on: gross − discount. */
  net: Money
  /** Its taxes, in order. */
  taxes: Array<LineTax>
  /** Net plus taxes. */
  total: Money
}

/** One tax of a priced line. */
export interface LineTax {
  /** The tax code. */
  code: string
  /** The amount it applied to. */
  base: Money
  /** The tax. */
  amount: Money
}

/** The taxes of one rate over the document. */
export interface TaxTotal {
  /** The tax code. */
  code: string
  /** The rate. */
  rate: Percent
  /** The amount taxed. */
  base: Money
  /** The tax. */
  amount: Money
}

/** An order made from an accepted quote: an immutable snapshot of that revision. */
export interface SalesOrder {
  /** Its id. */
  id: SalesOrderId
  /** Optimistic-concurrency version of the record. */
  version: Version
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
  /**
   * Where it stands with the ERP: open, sent, acknowledged, partly fulfilled, fulfilled
   * or cancelled.
   */
  status?: SalesOrderStatus
  /** The quantity fulfilled per line, in line order (empty: nothing yet). */
  fulfilled?: Array<string>
  /** The ERP's own reference for the order, once it acknowledged it. */
  erpReference?: string | null
  /** Why it was cancelled. */
  cancelReason?: string | null
  /** When its status last changed. */
  statusChangedAt?: string | null
}

/** Where a sales order stands with the ERP. */
export type SalesOrderStatus = 'open' | 'sent' | 'acknowledged' | 'partly_fulfilled' | 'fulfilled' | 'cancelled'

/**
 * A quantity delivered on one line of an order (`line`: 0-based, in the order's line
 * order).
 */
export interface LineFulfilment {
  /** The line, 0-based. */
  line: number
  /** How many were delivered now (> 0). */
  quantity: string
  /**
   * The serial number of each unit delivered, for a serialised product (one per
   * unit); empty otherwise.
   */
  serials?: Array<string>
}

/**
 * What delivering part of an order did: the order as it now stands, and the assets and
 * warranties installed for its serialised products.
 */
export interface Fulfilment {
  /** The order after the delivery. */
  order: SalesOrder
  /** One asset per serialised unit delivered. */
  assets: Array<Asset>
  /** The warranties those units came with. */
  warranties: Array<Warranty>
}

/** A piece of equipment at a customer's site. */
export interface Asset {
  /** Its id. */
  id: AssetId
  /** Its version. */
  version?: Version
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
  /** The sales order that delivered it, when the CRM made the sale. */
  salesOrder?: SalesOrderId | null
  /** Custom field values by name (`crate::custom`). */
  custom?: Record<string, unknown>
}

/** The id of a stored `asset` (from 1). */
export type AssetId = number

/** Where an asset is in its life. */
export type AssetStatus = 'active' | 'in_repair' | 'retired'

/** A warranty on an asset. */
export interface Warranty {
  /** Its id. */
  id: WarrantyId
  /** Its version. */
  version?: Version
  /** The asset. */
  asset: AssetId
  /** First day covered. */
  startsOn: string
  /** Last day covered. */
  endsOn: string
  /** What it covers ("parts and labour", "parts only", …). */
  terms: string
}

/** The id of a stored `warranty` (from 1). */
export type WarrantyId = number

/** A line to price. */
export interface PriceLine {
  /** How many (≥ 0; fractions allowed). */
  quantity: string
  /** The price of one, in the document's currency (including the line's included taxes). */
  unitPrice: Money
  /** The line's discount. */
  discount?: Discount
  /** Tax codes, in the order they apply. */
  taxCodes?: Array<string>
}

/** A team's working time. */
export interface BusinessCalendarDefinition {
  /** The time zone of the wall-clock times. */
  timeZone: string
  /** The working intervals of a week. */
  intervals: Array<WorkingInterval>
  /** Days off (local dates). */
  holidays?: Array<string>
  /**
   * One-off exceptions: the working hours of a date, instead of its weekday's (and
   * instead of a holiday on it). An end not after its start runs into the next day.
   */
  exceptions?: Record<string, Array<[string, string]>>
}

/** A working interval on a weekday, in wall-clock time. */
export interface WorkingInterval {
  /** The weekday it starts on. */
  weekday: 'Mon' | 'Tue' | 'Wed' | 'Thu' | 'Fri' | 'Sat' | 'Sun'
  /** Its start. */
  start: string
  /**
   * Its end: later the same day, or — when not after the start — the next day (an
   * overnight shift).
   */
  end: string
}

/** A named calendar as stored. */
export interface CalendarRecord {
  /** Its id. */
  id: CalendarId
  /** Its version. */
  version?: Version
  /** Its name (lower case; unique). */
  name: string
  /** The calendar. */
  calendar: BusinessCalendarDefinition
}

/** The id of a stored `calendar` (from 1). */
export type CalendarId = number

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
  metrics: Array<MetricRule>
}

/** Which cases a policy applies to; an empty list matches anything. */
export interface SlaFilter {
  /** Priorities. */
  priorities?: Array<CasePriority>
  /** Categories. */
  categories?: Array<CaseCategory>
  /** Channels. */
  channels?: Array<CaseChannel>
  /** Accounts. */
  accounts?: Array<AccountId>
  /** Contracts. */
  contracts?: Array<ContractId>
  /** Only cases with (true) or without (false) a contract. */
  underContract?: boolean | null
}

/** How urgent a case is (ordered: low < normal < high < urgent). */
export type CasePriority = 'low' | 'normal' | 'high' | 'urgent'

/** What kind of case it is. */
export type CaseCategory = 'complaint' | 'question' | 'incident' | 'request'

/** How a case reached the desk. */
export type CaseChannel = 'phone' | 'email' | 'web' | 'chat' | 'on_site'

/** The id of a stored `contract` (from 1). */
export type ContractId = number

/** One metric of a policy. */
export interface MetricRule {
  /** What it measures. */
  metric: SlaMetric
  /** Its conditions (none: the metric's defaults). */
  conditions?: SlaConditions | null
  /** Targets per priority (a priority without one is not measured). */
  targets: Array<SlaTarget>
}

/** What an SLA measures. */
export type SlaMetric = 'first_response' | 'next_response' | 'resolution'

/** When a metric starts, pauses and stops. */
export interface SlaConditions {
  /** Any of these starts a cycle (when none is running). */
  start: Array<SlaTrigger>
  /** While the case is in one of these, the clock stops. */
  pause?: Array<CaseStatus>
  /** Any of these completes the running cycle. */
  stop: Array<SlaTrigger>
  /** At most this many cycles (first response: 1). */
  maxCycles?: number | null
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

/** Where a case is in its lifecycle. */
export type CaseStatus = 'new' | 'open' | 'pending_customer' | 'on_hold' | 'resolved' | 'closed' | 'reopened'

/** A target: business minutes for a priority, on a calendar. */
export interface SlaTarget {
  /** The priority it applies to. */
  priority: CasePriority
  /** Business minutes allowed. */
  minutes: number
  /** The calendar (by name) the minutes run on; none: round the clock. */
  calendar?: string | null
}

/** A policy as stored. */
export interface SlaPolicyRecord {
  /** Its id. */
  id: SlaPolicyId
  /** Its version. */
  version?: Version
  /** The policy. */
  policy: SlaPolicy
}

/** The id of a stored `SLA policy` (from 1). */
export type SlaPolicyId = number

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
  /** Custom field values by name (`crate::custom`). */
  custom?: Record<string, unknown>
}

/** An edit of a Asset: the fields it changes (null clears one); a field not named is kept. */
export interface AssetPatch {
  name?: string | null
  installedOn?: string | null | null
  location?: string | null | null
  custom?: Record<string, unknown> | null
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
  assets?: Array<AssetId>
  /** Products (SKUs) covered: every asset of the account with one of them. */
  products?: Array<string>
  /** What it entitles to. */
  entitlement?: Entitlement
  /** The SLA policy (by name) its cases are worked under. */
  slaPolicy?: string | null
  /** What it is worth for its term: the amount its renewal opportunity starts from. */
  value?: Money | null
  /** Custom field values by name (`crate::custom`). */
  custom?: Record<string, unknown>
}

/** What a contract entitles the customer to; `None` is unlimited. */
export interface Entitlement {
  /** How many cases may be opened under it. */
  cases?: number | null
  /** How many hours of service work it includes. */
  hours?: string | null
}

/** A service contract. */
export interface Contract {
  /** Its id. */
  id: ContractId
  /** Its version. */
  version?: Version
  /** A display name. */
  name: string
  /** The customer. */
  account: AccountId
  /** First day of the term. */
  startsOn: string
  /** Last day of the term. */
  endsOn: string
  /** Assets covered by name. */
  assets: Array<AssetId>
  /** Products covered. */
  products: Array<string>
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
  /** What it is worth for its term. */
  value?: Money | null
  /** The opportunity opened to renew it, once one is. */
  renewal?: OpportunityId | null
  /** Custom field values by name (`crate::custom`). */
  custom?: Record<string, unknown>
}

/** An edit of a Contract: the fields it changes (null clears one); a field not named is kept. */
export interface ContractPatch {
  name?: string | null
  slaPolicy?: string | null | null
  custom?: Record<string, unknown> | null
}

/** Whether an asset is covered on a date, and by what. */
export interface Coverage {
  /** The asset. */
  asset: Asset
  /** The day asked about. */
  on: string
  /** Warranties in force that day. */
  warranties: Array<Warranty>
  /** Contracts in force that day that cover the asset. */
  contracts: Array<ContractCoverage>
  /** Whether anything covers it: a warranty, or a contract with entitlement left. */
  covered: boolean
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
  /**
   * The contract it is worked under; when absent and the asset is covered by a
   * contract, that contract is linked.
   */
  contract?: ContractId | null
  /** Who works it. */
  owner?: string | null
  /**
   * The queue it is filed into; when absent (and no owner is given), routing rules
   * choose one.
   */
  queue?: string | null
  /** The product (SKU) it is about, when no asset says. */
  product?: string | null
  /** The language it is written in (ISO 639-1: `en`, `da`). */
  language?: string | null
  /** Custom field values by name (`crate::custom`). */
  custom?: Record<string, unknown>
}

/** A service case. */
export interface Case {
  /** Its id. */
  id: CaseId
  /** Its version. */
  version?: Version
  /** Its tracking number. */
  number: CaseNumber
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
  /** The queue it is filed into (lower-case). */
  queue?: string | null
  /** The product (SKU) it is about, when no asset says. */
  product?: string | null
  /** The language it is written in (ISO 639-1). */
  language?: string | null
  /** When it was opened. */
  openedAt: string
  /** Every change, oldest first. */
  history: Array<CaseHistoryEntry>
  /** Comments, oldest first. */
  comments?: Array<CaseComment>
  /** SLA alerts already raised (`metric/cycle/state`), so each is raised once. */
  slaAlerts?: Array<string>
  /** Escalations already made (`rule/trigger`), so each rule fires once per trigger. */
  escalations?: Array<string>
  /** Custom field values by name (`crate::custom`). */
  custom?: Record<string, unknown>
}

/** A service case's number (`CASE-000042`). */
export type CaseNumber = string

/** A dated change. */
export type CaseHistoryEntry =
  /** The case was opened. */
  | { at: string; change: 'opened'; status: CaseStatus; priority: CasePriority }
  /** Its status changed. */
  | { at: string; change: 'status'; from: CaseStatus; to: CaseStatus }
  /** Its priority changed. */
  | { at: string; change: 'priority'; from: CasePriority; to: CasePriority }
  /** A comment was added (the comment itself is in `Case::comments`). */
  | { at: string; change: 'comment'; author: CommentAuthor; public: boolean }
  /** It was filed into a queue or given to an agent (or both), or taken from them. */
  | { at: string; change: 'routed'; by: string; queue?: string | null; owner?: string | null }
  /** An escalation rule fired. */
  | { at: string; change: 'escalated'; rule: string; trigger: string }
  /** An SLA target was found breached (dated when the breach was noticed). */
  | { at: string; change: 'sla_breached'; metric: string; cycle: number }

/** Who wrote a comment. */
export type CommentAuthor = 'agent' | 'customer'

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

/** An edit of a Case: the fields it changes (null clears one); a field not named is kept. */
export interface CasePatch {
  subject?: string | null
  description?: string | null
  category?: CaseCategory | null
  contact?: ContactId | null | null
  asset?: AssetId | null | null
  contract?: ContractId | null | null
  owner?: string | null | null
  product?: string | null | null
  language?: string | null | null
  custom?: Record<string, unknown> | null
}

/** A case's SLA at an instant. */
export interface CaseSla {
  /** The case. */
  case: CaseId
  /** The policy that applies (none: no policy matched). */
  policy?: string | null
  /** When it was evaluated. */
  at: string
  /** Each measured metric. */
  metrics: Array<MetricStatus>
  /** The state needing the most attention. */
  state: SlaState
}

/** One metric of a case. */
export interface MetricStatus {
  /** What it measures. */
  metric: SlaMetric
  /** The calendar of its target (none: round the clock). */
  calendar?: string | null
  /** Completed cycles, oldest first. */
  completed: Array<CompletedCycle>
  /** The running cycle. */
  ongoing?: OngoingCycle | null
  /** Its state. */
  state: SlaState
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
  /**
   * When the target runs out (for a breached cycle: when it ran out); none while
   * paused before the target ran out.
   */
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

/** Where a metric or a case stands (ordered by how much attention it needs). */
export type SlaState = 'inactive' | 'met' | 'paused' | 'on_track' | 'warning' | 'breached'

/** An SLA alert raised for a case by `Crm::check_slas`. */
export interface RaisedAlert {
  /** The case. */
  case: CaseId
  /** Its tracking number. */
  number: CaseNumber
  /** The metric. */
  metric: SlaMetric
  /** Which cycle (0-based). */
  cycle: number
  /** `warning` or `breached`. */
  state: SlaState
  /** When the target runs (or ran) out, if known. */
  dueAt?: string | null
}

/** What a new technician is. */
export interface NewTechnician {
  /** Their name. */
  name: string
  /** What they can do. */
  skills: Array<string>
  /** The name of their working calendar. */
  calendar: string
}

/** A field technician (a schedulable resource). */
export interface Technician {
  /** Their id. */
  id: TechnicianId
  /** Their version. */
  version?: Version
  /** Their name. */
  name: string
  /** What they can do (lower case). */
  skills: Array<string>
  /** The name of their working calendar. */
  calendar: string
  /** Whether they take work. */
  active: boolean
}

/** The id of a stored `technician` (from 1). */
export type TechnicianId = number

/** An edit of a Technician: the fields it changes (null clears one); a field not named is kept. */
export interface TechnicianPatch {
  name?: string | null
  skills?: Array<string> | null
  calendar?: string | null
}

/** What a new service order asks for. */
export interface NewServiceOrder {
  /** The work to do. */
  work: string
  /** The skills it needs. */
  skills?: Array<string>
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

/** A service order. */
export interface ServiceOrder {
  /** Its id. */
  id: ServiceOrderId
  /** Its version. */
  version?: Version
  /** The work to do. */
  work: string
  /** The skills it needs (lower case). */
  skills: Array<string>
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

/** The id of a stored `service order` (from 1). */
export type ServiceOrderId = number

/** The id of a stored `maintenance plan` (from 1). */
export type MaintenancePlanId = number

/** Where a service order is. */
export type ServiceOrderStatus = 'open' | 'scheduled' | 'completed' | 'cancelled'

/** A booked slot. */
export interface Assignment {
  /** Who. */
  technician: TechnicianId
  /** From. */
  start: string
  /** To. */
  end: string
}

/** What the scheduler did. */
export interface Schedule {
  /** Orders placed, with their slot, in the order they were placed. */
  placed: Array<[ServiceOrderId, Assignment]>
  /** Orders left out, and why. */
  unplaced: Array<Unplaced>
}

/** Why an order was not placed. */
export type Unplaced =
  /** No active technician has every skill it needs. */
  | { reason: 'no_qualified_technician'; order: ServiceOrderId; skills: Array<string> }
  /**
   * Qualified technicians exist but none has a free stretch long enough before the
   * order's due instant (or the end of the horizon).
   */
  | { reason: 'no_free_slot'; order: ServiceOrderId; qualified: number; latestEnd: string }

/** What a new maintenance plan says. */
export interface NewMaintenancePlan {
  /** The asset maintained. */
  asset: AssetId
  /** The work to do each time. */
  work: string
  /** The skills it needs. */
  skills?: Array<string>
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

/** The unit of a maintenance recurrence. */
export type RecurrenceUnit = 'days' | 'weeks' | 'months'

/** A recurring maintenance plan on an asset. */
export interface MaintenancePlan {
  /** Its id. */
  id: MaintenancePlanId
  /** Its version. */
  version?: Version
  /** What it says. */
  plan: NewMaintenancePlan
  /** How many visits have been turned into orders. */
  generated: number
}

/** What an article says. */
export interface ArticleContent {
  /** Its title. */
  title: string
  /** Its text. */
  body: string
  /** Tags. */
  tags?: Array<string>
  /** Products (SKUs) it is about. */
  products?: Array<string>
}

/** Where an article is in its life. */
export type ArticleStatus = 'draft' | 'published' | 'archived'

/** A knowledge-base article. */
export interface Article {
  /** Its id. */
  id: ArticleId
  /** Its version. */
  version?: Version
  /** Its title. */
  title: string
  /** Its text. */
  body: string
  /** Tags. */
  tags?: Array<string>
  /** Products (SKUs) it is about. */
  products?: Array<string>
  /** Where it is. */
  status: ArticleStatus
  /** When it last changed. */
  updatedAt: string
}

/** The id of a stored `article` (from 1). */
export type ArticleId = number

/** A change to an article: the fields given replace the article's, the rest stay. */
export interface ArticleChange {
  /** A new title. */
  title?: string | null
  /** A new body. */
  body?: string | null
  /** New tags. */
  tags?: Array<string> | null
  /** New products. */
  products?: Array<string> | null
  /** A new status. */
  status?: ArticleStatus | null
}

/** An account's service standing on a day. */
export interface ServiceOverview {
  /** The account. */
  account: AccountId
  /** Its name. */
  name: string
  /** The day. */
  on: string
  /**
   * Its contracts: in force first (soonest to end first), then upcoming, ended and
   * cancelled.
   */
  contracts: Array<ContractStanding>
  /** Its assets (by serial number) with what covers each that day. */
  assets: Array<Coverage>
  /** How many of its cases are being worked (not resolved or closed). */
  openCases: number
}

/** A contract and where it stands. */
export interface ContractStanding {
  /** The contract. */
  contract: Contract
  /** Where it stands on the day. */
  state: ContractState
  /** Cases still allowed (`None`: unlimited). */
  casesLeft?: number | null
  /** Hours still included (`None`: unlimited). */
  hoursLeft?: string | null
  /** Whether its entitlement is used up. */
  exhausted: boolean
  /** Days from the day to its last day (in force or upcoming only). */
  daysLeft?: number | null
  /** Its renewal opportunity, once one is opened. */
  renewal?: OpportunityId | null
}

/** Where a contract stands on a day. */
export type ContractState = 'upcoming' | 'in_force' | 'ended' | 'cancelled'

/** Which contracts get a renewal opportunity, and how. */
export interface RenewalSpec {
  /** Contracts ending within this many days. */
  daysBefore: number
  /** The pipeline the opportunities open in (at its first stage). */
  pipeline: PipelineId
  /** The amount of a renewal whose contract has no value. */
  amount?: Money | null
  /** Their owner; none: the account's. */
  owner?: string | null
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

/** A queue to create or replace, by name. */
export interface QueueSpec {
  /** Its name (unique, case-insensitive). */
  name: string
  /** What it handles. */
  description?: string
  /** Its agents (logins), in the order ties are broken. */
  members?: Array<string>
  /** How it gives its cases out. */
  strategy: QueueStrategy
}

/** How a queue gives its cases out. */
export type QueueStrategy = 'round_robin' | 'least_loaded' | 'manual'

/** A queue of agents that cases are filed into. */
export interface Queue {
  /** Its id. */
  id: QueueId
  /** Its version. */
  version?: Version
  /** Its name, lower-case. */
  name: string
  /** What it handles. */
  description: string
  /** Its agents (logins). */
  members: Array<string>
  /** How it gives its cases out. */
  strategy: QueueStrategy
  /** Cases given out in turn so far (round robin: whose turn it is). */
  turn?: number
}

/** The id of a stored `queue` (from 1). */
export type QueueId = number

/** An agent's profile to create or replace, by login. */
export interface AgentSpec {
  /** The agent's login. */
  login: string
  /** What they can handle (`billing`, `hydraulics`). */
  skills?: Array<string>
  /** The languages they answer in (ISO 639-1: `en`, `da`); none: any. */
  languages?: Array<string>
  /** Whether they take cases now. */
  available: boolean
  /** The most active cases they hold before routing passes them by; none: no limit. */
  capacity?: number | null
}

/**
 * An agent's profile: what routing knows of a desk member. A member without one counts
 * as available, without skills, for any language and without a limit.
 */
export interface Agent {
  /** Its id. */
  id: AgentId
  /** Its version. */
  version?: Version
  /** The login. */
  login: string
  /** Skills, lower-case. */
  skills: Array<string>
  /** Languages, lower-case; empty: any. */
  languages: Array<string>
  /** Whether they take cases now. */
  available: boolean
  /** The most active cases they hold; none: no limit. */
  capacity?: number | null
}

/** The id of a stored `agent` (from 1). */
export type AgentId = number

/** A routing rule to create or replace, by name. */
export interface RoutingRuleSpec {
  /** Its name (unique, case-insensitive). */
  name: string
  /** Where it stands: lower first (then by name). */
  order?: number
  /** The cases it routes: those meeting every condition (none: every case). */
  when?: Array<RouteCondition>
  /** The queue it files them into. */
  queue: string
  /** The skills the agent must have. */
  skills?: Array<string>
  /** A priority the case is raised to (never lowered). */
  raiseTo?: CasePriority | null
}

/** One condition of a routing rule on a new case. */
export type RouteCondition =
  /** It came in by one of these channels. */
  | { when: 'channel'; any: Array<CaseChannel> }
  /** It is of one of these categories. */
  | { when: 'category'; any: Array<CaseCategory> }
  /** It is at least this urgent. */
  | { when: 'priority'; atLeast: CasePriority }
  /** It is about one of these products (the case's, else its asset's). */
  | { when: 'product'; any: Array<string> }
  /** Its account is of one of these tiers. */
  | { when: 'account_tier'; any: Array<string> }
  /** It is written in one of these languages. */
  | { when: 'language'; any: Array<string> }
  /**
   * Its subject or description holds one of these words (whole words, any case,
   * accents ignored).
   */
  | { when: 'keywords'; any: Array<string> }
  /** It is worked under a contract (an entitlement), or not. */
  | { when: 'entitled'; is: boolean }
  /** A field of the case's document meets a condition (`custom.region`). */
  | { when: 'field'; condition: FieldCondition }

/** One condition on a field. */
export interface FieldCondition {
  /** The field's path in the record's document, dotted (`data.email`, `custom.tier`). */
  field: string
  /** How it compares. */
  op: Op
  /** The value it is compared with (a list for `in`, a boolean for `exists`). */
  value: unknown
}

/** How a condition compares. */
export type Op = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'contains' | 'starts_with' | 'in' | 'exists'

/** A stored routing rule. */
export interface RoutingRule {
  /** Its id. */
  id: RoutingRuleId
  /** Its version. */
  version?: Version
  /** Its name, lower-case. */
  name: string
  /** Its order. */
  order: number
  /** Its conditions. */
  when: Array<RouteCondition>
  /** Its queue (lower-case). */
  queue: string
  /** The skills the agent must have, lower-case. */
  skills: Array<string>
  /** The priority the case is raised to. */
  raiseTo?: CasePriority | null
}

/** The id of a stored `routing rule` (from 1). */
export type RoutingRuleId = number

/** An escalation rule to create or replace, by name. */
export interface EscalationRuleSpec {
  /** Its name (unique, case-insensitive). */
  name: string
  /** What sets it off. */
  on: EscalationTrigger
  /** The cases it applies to: those meeting every condition (none: every case). */
  when?: Array<RouteCondition>
  /** What it does, in order. */
  actions: Array<EscalationAction>
}

/** What sets a rule off. */
export type EscalationTrigger =
  /** An SLA alert: a metric's target (any metric when none is named) reaching a level. */
  | { on: 'sla'; level: AlertLevel; metric?: SlaMetric | null }
  /** The case is still being worked this many hours after it was opened (wall-clock). */
  | { on: 'age'; hours: number }

/** How far an SLA target has gone. */
export type AlertLevel = 'warning' | 'breached'

/** What a rule does. */
export type EscalationAction =
  /** Move the case to a queue, which gives it to one of its agents. */
  | { do: 'transfer'; queue: string }
  /** Give the case to someone. */
  | { do: 'assign'; owner: string }
  /** Raise the case's priority (never lowered). */
  | { do: 'raise_priority'; to: CasePriority }
  /**
   * Tell people: a delivery to the outbox's `notification` target, for the host to
   * send. The message may name `{{number}}`, `{{subject}}`, `{{priority}}`,
   * `{{owner}}`, `{{queue}}` and `{{trigger}}`.
   */
  | { do: 'notify'; to: Array<string>; message: string }
  /** Open a task on the case. */
  | { do: 'open_task'; title: string; dueInMinutes: number; owner?: string | null }

/** A stored escalation rule. */
export interface EscalationRule {
  /** Its id. */
  id: EscalationRuleId
  /** Its version. */
  version?: Version
  /** Its name, lower-case. */
  name: string
  /** What sets it off. */
  on: EscalationTrigger
  /** Its conditions. */
  when: Array<RouteCondition>
  /** What it does. */
  actions: Array<EscalationAction>
}

/** The id of a stored `escalation rule` (from 1). */
export type EscalationRuleId = number

/** A survey sent to a customer. */
export interface Survey {
  /** Its id. */
  id: SurveyId
  /** Its version. */
  version?: Version
  /** The token for the link (128 random bits, hex). */
  token: string
  /** What it asks. */
  kind: SurveyKind
  /** The case it is about (CSAT). */
  case?: CaseId | null
  /** The account. */
  account?: AccountId | null
  /** The person asked. */
  contact?: ContactId | null
  /** The case's owner when it was sent. */
  agent?: string | null
  /** The case's queue when it was sent. */
  queue?: string | null
  /** The case's product. */
  product?: string | null
  /** When it was sent. */
  sentAt: string
  /** The last instant it can be answered. */
  expiresAt: string
  /** The answer, once given. */
  response?: SurveyResponse | null
}

/** The id of a stored `survey` (from 1). */
export type SurveyId = number

/** What a survey asks. */
export type SurveyKind = 'csat' | 'nps'

/** A customer's answer. */
export interface SurveyResponse {
  /** The score (CSAT 1–5, NPS 0–10). */
  score: number
  /** What they wrote. */
  comment?: string | null
  /** When they answered. */
  at: string
}

/** What CSAT answers are grouped by. */
export type SatisfactionBy = 'agent' | 'queue' | 'product'

/** CSAT answers of one group. */
export interface SatisfactionRow {
  /** The agent, queue or product (`(none)` for surveys without one). */
  group: string
  /** Surveys sent. */
  sent: number
  /** Surveys answered. */
  answered: number
  /** answered / sent. */
  responseRate: number
  /** The mean score of the answers (none without answers). */
  average?: number | null
  /** The share of answers scoring 4 or 5: the CSAT figure (none without answers). */
  satisfied?: number | null
}

/** The NPS of a set of surveys. */
export interface NpsReport {
  /** Surveys sent. */
  sent: number
  /** Surveys answered. */
  answered: number
  /** Answers of 9 or 10. */
  promoters: number
  /** Answers of 7 or 8. */
  passives: number
  /** Answers of 0 to 6. */
  detractors: number
  /** % promoters − % detractors, −100 to 100 (none without answers). */
  score?: number | null
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
  ads?: Array<Ad>
  /** Products it promotes (SKUs). */
  targetProducts?: Array<string>
  /** Segments it targets (by name). */
  segments?: Array<string>
  /** Countries it targets (ISO codes). */
  geographies?: Array<string>
  /** Custom field values by name (`crate::custom`). */
  custom?: Record<string, unknown>
}

/** How a campaign reaches people. */
export type CampaignChannel = 'email' | 'paid_search' | 'social' | 'display' | 'affiliate' | 'event' | 'direct_mail' | 'phone'

/** An ad (or tracked link) of a campaign. */
export interface Ad {
  /** Its code, as touchpoints carry it in `attribution.ad`. */
  code: string
  /** A display name. */
  name?: string
  /** The landing page; `Ad::tracked_url` adds the UTM parameters. */
  url?: string | null
  /** What it cost so far. */
  cost: Money
  /** Impressions reported by the ad platform. */
  impressions?: number
}

/** A campaign. */
export interface Campaign {
  /** Its id. */
  id: CampaignId
  /** Its version. */
  version?: Version
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
  ads: Array<Ad>
  /** Products it promotes. */
  targetProducts: Array<string>
  /** Segments it targets. */
  segments: Array<string>
  /** Countries it targets. */
  geographies: Array<string>
  /** Who it was sent to. */
  members?: Array<CampaignMember>
  /** Custom field values by name (`crate::custom`). */
  custom?: Record<string, unknown>
}

/** The id of a stored `campaign` (from 1). */
export type CampaignId = number

/** Where a campaign is. */
export type CampaignStatus = 'planned' | 'active' | 'completed' | 'cancelled'

/** A member of a campaign: who was sent it (or responded without being sent it). */
export interface CampaignMember {
  /** The lead or contact. */
  subject: RecordRef
  /** When they were added. */
  addedAt: string
}

/** An edit of a Campaign: the fields it changes (null clears one); a field not named is kept. */
export interface CampaignPatch {
  name?: string | null
  targetProducts?: Array<string> | null
  segments?: Array<string> | null
  geographies?: Array<string> | null
  custom?: Record<string, unknown> | null
}

/** A consent a person gives. */
export interface NewConsent {
  /** The lead or contact. */
  subject: RecordRef
  /** The channel. */
  channel: Channel
  /** The purpose. */
  purpose: Purpose
  /** Where it was given (`web form`, `trade fair`, `phone call`). */
  source: string
  /** The proof. */
  proof?: ConsentProof
}

/** How a consent was given: what a regulator asks to see. */
export interface ConsentProof {
  /** The form or page it was given on (`newsletter-footer`). */
  form?: string | null
  /** The address it came from. */
  ip?: string | null
  /** When the person confirmed it (double opt-in), if they did. */
  confirmedAt?: string | null
  /** The wording the person agreed to, or a reference to it. */
  text?: string | null
}

/** A person's consent for one channel and purpose, granted or withdrawn. */
export interface Consent {
  /** Id, assigned by the store. */
  id: ConsentId
  /** Version. */
  version: Version
  /** The lead or contact. */
  subject: RecordRef
  /** The channel. */
  channel: Channel
  /** The purpose. */
  purpose: Purpose
  /** Whether it stands. */
  granted: boolean
  /** Where it was last granted or withdrawn. */
  source: string
  /** The proof of the grant. */
  proof: ConsentProof
  /** When it was granted. */
  grantedAt?: string | null
  /** When it was withdrawn. */
  withdrawnAt?: string | null
}

/** The id of a stored `consent` (from 1). */
export type ConsentId = number

/** Whether a person may be contacted, and why. */
export interface ContactDecision {
  /** Whether they may. */
  allowed: boolean
  /** Why (`consent granted on 2026-11-02 (web form)`, `do not contact`, `no consent`). */
  reason: string
}

/** A campaign member and how far they went. */
export interface MemberResponse {
  /** The lead or contact. */
  subject: RecordRef
  /** Their furthest response. */
  response: Response
  /** When they last touched the campaign. */
  lastTouchAt?: string | null
}

/** How far a campaign member went, in order. */
export type Response = 'sent' | 'opened' | 'clicked' | 'responded' | 'converted'

/** What a segment's members are. */
export type SegmentSubject = 'leads' | 'contacts'

/** A condition on a profile. */
export type Predicate =
  /** Every one holds. */
  | { op: 'all'; all: Array<Predicate> }
  /** At least one holds. */
  | { op: 'any'; any: Array<Predicate> }
  /** It does not hold. */
  | { op: 'not'; not: Predicate }
  /** The field equals the value (case-insensitive). */
  | { op: 'equals'; field: string; value: string }
  /** The field is one of the values (case-insensitive). */
  | { op: 'one_of'; field: string; values: Array<string> }
  /** The field contains the text (case-insensitive). */
  | { op: 'contains'; field: string; value: string }
  /** The field has a value. */
  | { op: 'exists'; field: string }
  /** The field is a number at least this. */
  | { op: 'at_least'; field: string; value: number }
  /** The field is a number at most this. */
  | { op: 'at_most'; field: string; value: number }
  /** Bought the product (in the last `within_days`, if given). */
  | { op: 'purchased'; product: string; withinDays?: number | null }
  /** Never bought the product. */
  | { op: 'not_purchased'; product: string }
  /**
   * At least `at_least` touchpoints of `kind` (`any` for every kind) in the last
   * `within_days`, if given.
   */
  | { op: 'engaged'; kind: string; atLeast: number; withinDays?: number | null }
  /** A score at least this. */
  | { op: 'score_at_least'; score: number }

/** A segment after an evaluation. */
export interface SegmentEvaluation {
  /** The segment, with its members. */
  segment: Segment
  /** Who joined. */
  added: Array<RecordRef>
  /** Who left. */
  removed: Array<RecordRef>
}

/** A saved segment and its members at its last evaluation. */
export interface Segment {
  /** Its id. */
  id: SegmentId
  /** Its version. */
  version?: Version
  /** Its name (unique, case-insensitive). */
  name: string
  /** Leads or contacts. */
  subject: SegmentSubject
  /** Who belongs. */
  rule: Predicate
  /** Members at the last evaluation, in id order. */
  members?: Array<RecordRef>
  /** Members added by hand (automation's "add to segment"); kept on re-evaluation. */
  pinned?: Array<RecordRef>
  /** When it was last evaluated. */
  evaluatedAt?: string | null
}

/** The id of a stored `segment` (from 1). */
export type SegmentId = number

/**
 * A target of a marketing plan: for a period (`2026-Q4`, `2026-11`), a product group and
 * a geography, the leads, responses and revenue expected.
 */
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

/** A marketing plan. */
export interface MarketingPlan {
  /** Its id. */
  id: MarketingPlanId
  /** Its version. */
  version?: Version
  /** Its name. */
  name: string
  /** Its targets. */
  targets: Array<PlanTarget>
}

/** The id of a stored `marketing plan` (from 1). */
export type MarketingPlanId = number

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

/** An attribution model. */
export type AttributionModel =
  /** Everything to the first touch. */
  | { model: 'first_touch' }
  /** Everything to the last touch. */
  | { model: 'last_touch' }
  /** Equal shares. */
  | { model: 'linear' }
  /** Shares halving every `half_life_days` before the close. */
  | { model: 'time_decay'; halfLifeDays: number }
  /** 40 % first, 40 % last, 20 % shared by the middle. */
  | { model: 'position_based' }

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
  rows: Array<CreditRow>
}

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

/** The marketing reports at once. */
export interface MarketingReport {
  /** By ad, affiliate, campaign and channel. */
  performance: Array<PerformanceRow>
  /** Lead → qualified → opportunity → won. */
  funnel: Funnel
  /** Pipeline by stage, win rates, sales cycle. */
  pipeline: PipelineReport
  /** Leads won in another currency, left out of revenue. */
  skippedOtherCurrency: number
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
  rates: Array<number | null>
  /** Median days lead → qualified, qualified → opportunity, opportunity → won. */
  medianDays: Array<number | null>
}

/**
 * The pipeline report: open deals by stage, win rates by owner and by source, and the
 * sales cycle (median days opening → won) — deals closed in the filter's period.
 */
export interface PipelineReport {
  /** Open deals by stage (any period), stages sorted by name. */
  stages: Array<StageRow>
  /** Win rates by owner, then by source. */
  winRates: Array<WinRateRow>
  /** Median days from opening to winning, all deals won in the period. */
  medianCycleDays?: number | null
  /** Deals in other currencies, left out of the amounts. */
  skippedOtherCurrency: number
}

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

/** The sales reports at once. */
export interface SalesReport {
  /** Products × price by period. */
  products: Array<ProductSalesRow>
  /** Customer demographics by product. */
  demographics: Array<DemographicsRow>
  /** Sales in another currency, left out of the amounts. */
  skippedOtherCurrency: number
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

/** What starts a rule. */
export type Trigger =
  /** An event of the log. */
  | { on: 'event'; eventType: string; conditions?: Array<Condition> }
  /** A sent quote whose validity ends within `within_days` (checked on every run). */
  | { on: 'quote_expiring'; withinDays: number }

/** A condition on the event and the record it is about. */
export type Condition =
  /**
   * A field of the record equals the value (case-insensitive): `source`, `utm_source`,
   * `country`, `status`…
   */
  | { if: 'field_equals'; field: string; value: string }
  /** A member of the event payload equals the value (`kind`, `metric`, `source`…). */
  | { if: 'payload_equals'; member: string; value: string }
  /** The event's score (`LeadScored`) is at least this. */
  | { if: 'score_at_least'; score: number }

/** An action of a rule. */
export type Action =
  /** Send an e-mail. */
  | { do: 'send_email'; template: Template }
  /** Create a task. */
  | { do: 'create_task'; title: string; dueInDays: number; owner?: string | null }
  /** Assign the record to the next owner in turn. */
  | { do: 'assign_round_robin'; owners: Array<string> }
  /** Assign the record by its country. */
  | { do: 'assign_by_territory'; territories: Record<string, string>; default?: string | null }
  /** Set the lead's rating (`hot`, `warm`, `cold`). */
  | { do: 'set_rating'; rating: string }
  /** Add the record to a campaign's members. */
  | { do: 'add_to_campaign'; campaign: string }
  /** Pin the record in a segment. */
  | { do: 'add_to_segment'; segment: string }
  /** Wait, then re-check `conditions` on the record as it is then, and do `then`. */
  | { do: 'wait'; days: number; conditions?: Array<Condition>; then: Array<Action> }

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

/** What to do when missing merge fields are met. */
export type MissingFields = 'blank' | 'skip'

/** A rule. */
export interface AutomationRule {
  /** Its id. */
  id: AutomationRuleId
  /** Its version. */
  version?: Version
  /** Its name (unique, case-insensitive). */
  name: string
  /** Whether it runs. */
  active: boolean
  /** What starts it. */
  trigger: Trigger
  /** What it does. */
  actions: Array<Action>
  /** Fire at most once per record (a score *crossing* a threshold, a welcome e-mail). */
  oncePerRecord?: boolean
}

/** The id of a stored `automation rule` (from 1). */
export type AutomationRuleId = number

/** What a run of the automation engine did. */
export interface AutomationRun {
  /** Events read. */
  events: number
  /** The cursor after the run. */
  cursor: number
  /** Actions stored by this run (pending, waiting or skipped). */
  actions: Array<AutomationAction>
}

/** A planned action as stored (the outbox). */
export interface AutomationAction {
  /** Its id. */
  id: AutomationActionId
  /** Its version. */
  version?: Version
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
  /** Where it is. */
  status: ActionStatus
  /** When it was planned. */
  plannedAt: string
  /** Why it failed or was skipped. */
  note?: string | null
  /** When the host marked it done or failed. */
  finishedAt?: string | null
}

/** The id of a stored `automation action` (from 1). */
export type AutomationActionId = number

/** What an action resolved to, for the host to carry out. */
export type Planned =
  /** Send this e-mail. */
  | { do: 'send_email'; email: RenderedEmail }
  /** Create this task. */
  | { do: 'create_task'; title: string; dueAt: string; owner?: string | null }
  /** Make `owner` the record's owner. */
  | { do: 'assign_owner'; owner: string }
  /** Set the lead's rating. */
  | { do: 'set_rating'; rating: string }
  /** Add the record to a campaign. */
  | { do: 'add_to_campaign'; campaign: string }
  /** Pin the record in a segment. */
  | { do: 'add_to_segment'; segment: string }
  /** Re-check later. */
  | { do: 'wait'; until: string; conditions: Array<Condition>; then: Array<Action> }
  /** Nothing: the action was skipped (why). */
  | { do: 'skipped'; reason: string }

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
  missing: Array<string>
}

/** Where a stored action is. */
export type ActionStatus = 'pending' | 'waiting' | 'done' | 'failed' | 'skipped'

/** A set of scoring rules. */
export interface RuleSet {
  /** Fit rules. */
  fit?: Array<FitRule>
  /** Engagement rules. */
  engagement?: Array<EngagementRule>
  /** The score never goes above this. */
  maxScore?: number | null
  /** The score never goes below this. */
  minScore?: number | null
  /** Rating thresholds. */
  thresholds: Thresholds
}

/** Points for leads whose attribute passes a test. */
export interface FitRule {
  /** A name people recognise ("Decision maker title"). */
  name: string
  /** Points given (negative to take away). */
  points: number
}

/** Points per touchpoint of a kind, halving every `half_life_days`. */
export interface EngagementRule {
  /** A name people recognise ("Pricing page visits"). */
  name: string
  /** The touchpoint kind (`ad_click`, `web_visit`, … — `TouchpointKind::NAMES`). */
  kind: string
  /** Points for a touch that happened just now. */
  points: number
  /** Days after which a touch is worth half as much. */
  halfLifeDays: number
  /** At most this many points from this rule, whatever the number of touches. */
  maxPoints?: number | null
}

/** Score thresholds for ratings. */
export interface Thresholds {
  /** At or above: hot. */
  hot: number
  /** At or above (and below hot): warm; below: cold. */
  warm: number
}

/** What a re-scoring did. */
export interface RescoreReport {
  /** Open leads scored. */
  scored: number
  /** Leads whose score or rating changed (and were written, with an event). */
  changed: number
}

/** A model file. */
export interface ModelFile {
  /** The format version (`MODEL_FORMAT_VERSION` when written by this build). */
  formatVersion: number
  /** How rows are built (used by logistic and value models). */
  features?: FeatureSpec
  /** What it scores (leads when absent: files written before customer models). */
  subject?: ModelSubject
  /** For a customer model: the outcome it predicts. */
  target?: CustomerTarget | null
  /** Who fitted the model, with its hyper-parameters and classes. */
  estimator?: Estimator | null
  /** The model. */
  model: Model
  /** Probability (or, for rules, score) thresholds for hot / warm / cold. */
  thresholds: Thresholds
}

/** An ordered list of features. */
export interface FeatureSpec {
  /** The features, in column order. */
  features: Array<Feature>
}

/** One declared feature. */
export type Feature =
  /** The lead's current score (0 when unscored). */
  | { feature: 'score' }
  /** A custom field read as a number (0 when absent or not a number). */
  | { feature: 'custom_number'; field: string }
  /** Whether the attribute has a value (1 or 0). */
  | { feature: 'present'; attribute: Attribute }
  /**
   * One column per vocabulary value and one for *other* (1 in the value's column).
   * A missing value gives all zeros.
   */
  | { feature: 'one_hot'; attribute: Attribute; vocabulary?: Array<string>; maxValues: number }
  /** Σ 0.5^(age / half-life) over touches of a kind: a touch now counts 1. */
  | { feature: 'engagement'; kind: string; halfLifeDays: number }
  /** Touches of a kind in the last `days` days. */
  | { feature: 'touch_count'; kind: string; days: number }
  /** Days since the last touch of any kind, capped at `cap_days` (also when none). */
  | { feature: 'days_since_last_touch'; capDays: number }
  /** Purchases recorded (for a lead: its converted contact's). */
  | { feature: 'purchase_count' }
  /** Days since the last purchase, capped at `cap_days` (also when none): recency. */
  | { feature: 'days_since_last_purchase'; capDays: number }
  /** Days since the first purchase, capped at `cap_days` (0 when none): tenure. */
  | { feature: 'days_since_first_purchase'; capDays: number }
  /** Purchases in the last `days` days: frequency. */
  | { feature: 'purchases'; days: number }
  /**
   * What was paid in the last `days` days (order line nets, else quantity × unit
   * price, in the purchases' own currencies): monetary value.
   */
  | { feature: 'spend'; days: number }
  /**
   * Purchases of any of these products (SKUs; a product group), ever or in the last
   * `days` days.
   */
  | { feature: 'bought'; products: Array<string>; days?: number | null }
  /**
   * Service cases opened in the last `days` days, of one category (`complaint`,
   * `question`, `incident`, `request`) or all.
   */
  | { feature: 'cases'; category?: string | null; days: number }
  /** SLA breaches recorded on the customer's cases in the last `days` days. */
  | { feature: 'sla_breaches'; days: number }
  /** Contracts of the customer's account in force (started, not ended, not cancelled). */
  | { feature: 'active_contracts' }
  /** Contracts of the customer's account that ended in the last `days` days. */
  | { feature: 'ended_contracts'; days: number }
  /**
   * A value the caller supplies in a column of its own matrix (a model trained on a
   * data scientist's own features). Leads cannot fill it: a spec with such columns
   * scores matrices, not leads.
   */
  | { feature: 'column'; name: string }

/**
 * An attribute of a lead (or of a customer, where they have it) that rules and
 * features read.
 */
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
  /** The ad (the creative the lead came from). */
  | { attribute: 'ad' }
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

/** What a model scores. */
export type ModelSubject = 'leads' | 'customers'

/** A customer model's outcome, over the `horizon_days` after the cut-off. */
export type CustomerTarget =
  /** 1 when the customer buys any of the products (a product or a product group). */
  | { target: 'buys'; products: Array<string>; horizonDays: number }
  /** 1 when the customer buys nothing. */
  | { target: 'churn'; horizonDays: number }
  /** The revenue the customer brings (order line nets, else quantity × unit price). */
  | { target: 'value'; horizonDays: number }

/**
 * Who fitted a model and how: what a file needs to be turned back into the estimator
 * that wrote it (scikit-learn's `get_params()` and `classes_`).
 */
export interface Estimator {
  /** The estimator (`LogisticLeadScorer`, `NaiveBayesLeadScorer`, `fit_customer_model`). */
  name: string
  /** Its hyper-parameters, a JSON object (`{"C": 0.1, "class_weight": "balanced"}`). */
  params: unknown
  /**
   * Its classes as they were given, negative first (`["lost", "won"]`); empty for 0
   * and 1, or for a model that predicts an amount.
   */
  classes?: Array<unknown>
}

/** The model inside a file. */
export type Model =
  /** Logistic regression over the file's feature spec. */
  | { kind: 'logistic'; coef: Array<number>; intercept: number; report: FitReport }
  /** Naive Bayes over categorical lead attributes (values lower-cased). */
  | { kind: 'naive_bayes'; attributes: Array<Attribute>; model: NaiveBayesModel }
  /** A rule set (its own thresholds rate the score); scores leads only. */
  | { kind: 'rules'; fit?: Array<FitRule>; engagement?: Array<EngagementRule>; maxScore?: number | null; minScore?: number | null; thresholds: Thresholds }
  /**
   * An RFM value grid over the file's three feature columns (recency, frequency,
   * monetary): expected revenue, not a probability.
   */
  | { kind: 'value'; recencyEdges: Array<number>; frequencyEdges: Array<number>; monetaryEdges: Array<number>; cells: Array<number>; counts: Array<number>; overall: number }

/** How a fit went. */
export interface FitReport {
  /** Newton iterations run. */
  iterations: number
  /** The penalised objective at the end. */
  objective: number
  /** The largest gradient component at the end, divided by `C · Σ weights`. */
  gradientNorm: number
}

/** A fitted logistic regression. */
export interface LogisticModel {
  /** One coefficient per feature. */
  coef: Array<number>
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
  fields: Array<CategoricalField>
}

/** One categorical field of a fitted model. */
export interface CategoricalField {
  /** The field's name. */
  name: string
  /** The values seen in training, in first-seen order; index `len` is *other*. */
  vocabulary: Array<string>
  /** Log-likelihood ratio `log P(v | 1) − log P(v | 0)` per vocabulary entry, then *other*. */
  logRatio: Array<number>
}

/**
 * A fitted RFM value model over three feature columns: recency (days since the last
 * purchase), frequency (purchases in the window) and monetary value (spend in the
 * window), in that order.
 */
export interface ValueModel {
  /**
   * Upper edges of the recency bins (ascending; a value above the last is in the
   * last bin).
   */
  recencyEdges: Array<number>
  /** Upper edges of the frequency bins. */
  frequencyEdges: Array<number>
  /** Upper edges of the monetary bins. */
  monetaryEdges: Array<number>
  /** The value of each cell, recency-major (`r × F × M + f × M + m`). */
  cells: Array<number>
  /** Training customers in each cell. */
  counts: Array<number>
  /** The mean over all training customers. */
  overall: number
}

/** Past leads as a training set: one row per decided lead. */
export interface TrainingSet {
  /** The feature spec, with its vocabularies learned from these leads. */
  spec: FeatureSpec
  /** Column names, in order. */
  columns: Array<string>
  /** The features, row-major (`leads.len() × columns.len()`). */
  x: Array<number>
  /** 1 for converted leads, 0 for disqualified ones. */
  y: Array<number>
  /** The lead of each row. */
  leads: Array<LeadId>
}

/** Feature rows of chosen leads, as a spec builds them at one instant. */
export interface FeatureRows {
  /** Column names, in order. */
  columns: Array<string>
  /** The features, row-major (`leads.len() × columns.len()`). */
  x: Array<number>
  /** The lead of each row. */
  leads: Array<LeadId>
}

/**
 * Customers as a training set: one row per customer at the cut-off, labelled with what
 * they did in the period after it.
 */
export interface CustomerTrainingSet {
  /** The feature spec, with its vocabularies learned from these customers. */
  spec: FeatureSpec
  /** The outcome. */
  target: CustomerTarget
  /** The cut-off: features as of it, labels from the period after it. */
  cutoff: string
  /** Column names, in order. */
  columns: Array<string>
  /** The features, row-major (`contacts.len() × columns.len()`). */
  x: Array<number>
  /** The labels: 1 / 0 for buys and churn, revenue for value. */
  y: Array<number>
  /** The customer of each row. */
  contacts: Array<ContactId>
}

/** Feature rows of chosen customers at one instant. */
export interface CustomerRows {
  /** Column names, in order. */
  columns: Array<string>
  /** The features, row-major. */
  x: Array<number>
  /** The customer of each row. */
  contacts: Array<ContactId>
}

/** How to fit a customer model. */
export interface CustomerFitOptions {
  /**
   * Inverse regularisation strength of the logistic fit (scikit-learn's `C`), applied
   * to standardised features.
   */
  c: number
  /** Bins per RFM dimension of a value model. */
  bins: number
}

/** How a customer model did on a period it was not trained on. */
export interface CustomerModelEvaluation {
  /** Customers evaluated. */
  rows: number
  /** Mean label: the positive rate, or mean revenue for value. */
  meanLabel: number
  /** ROC AUC (probability models). */
  auc?: number | null
  /** Log-loss (probability models). */
  logLoss?: number | null
  /** Predicted against observed rates in ten probability bins (probability models). */
  calibration: Array<CalibrationBin>
  /**
   * Expected calibration error: the bins' |observed − predicted|, weighted by their
   * share of customers (probability models; 0 is perfectly calibrated).
   */
  calibrationError?: number | null
  /**
   * The AUC of recency alone (days since the last purchase, in whichever direction
   * ranks better): what the model has to beat.
   */
  recencyAuc?: number | null
  /** Mean absolute error (value models). */
  mae?: number | null
  /** Root mean squared error (value models). */
  rmse?: number | null
  /** Mean absolute error of "the same as the period before" (value models). */
  baselineMae?: number | null
  /** Predicted revenue in total (value models). */
  predictedTotal?: number | null
  /** Revenue in total (value models). */
  actualTotal?: number | null
}

/** One bin of a calibration table. */
export interface CalibrationBin {
  /** Lower edge of the predicted probability (inclusive). */
  lower: number
  /** Upper edge (exclusive, except 1.0 for the last bin). */
  upper: number
  /** Rows in the bin. */
  count: number
  /** Mean predicted probability in the bin. */
  meanPredicted: number
  /** Observed share of positives in the bin. */
  observedRate: number
}

/** A customer's prediction with the reasons for it. */
export interface CustomerPrediction {
  /** The customer. */
  contact: ContactId
  /** The probability (or expected revenue). */
  value: number
  /** Its rating by the model's thresholds (`hot`, `warm`, `cold`). */
  rating: string
  /** The strongest reasons, strongest first. */
  reasons: Array<Reason>
}

/**
 * One feature's part in a score: its contribution to the log-odds (logistic, naive
 * Bayes), or for a value model the customer's RFM bin (1 = most recent / least).
 */
export interface Reason {
  /** The feature column (or attribute, or RFM dimension). */
  feature: string
  /** Its contribution (or bin). */
  contribution: number
}

/** A model with the name its predictions go by. */
export interface NamedModel {
  /** The name (`buys_support_plan`, `churn`…). */
  name: string
  /** The model file. */
  model: ModelFile
}

/**
 * One recommendation for a customer: a model (a product to offer, a risk to act on) and
 * how strongly it applies.
 */
export interface Recommendation {
  /** The model's name. */
  name: string
  /** Its prediction for the customer. */
  value: number
  /** Its rating. */
  rating: string
  /** The strongest reasons. */
  reasons: Array<Reason>
}

/** An account's churn risk, with what is at stake and why. */
export interface AccountRisk {
  /** The account. */
  account: AccountId
  /** Its name. */
  name: string
  /**
   * The probability that its customers buy nothing in the model's horizon, weighted by
   * what each bought in the trailing period.
   */
  risk: number
  /** Its rating by the model's thresholds (`hot` is most at risk). */
  rating: string
  /**
   * What its customers bought in the trailing period (the model's horizon), in the
   * amounts' own units.
   */
  revenue: number
  /** The revenue expected to be lost: Σ each customer's probability × their revenue. */
  revenueAtRisk: number
  /** Its customers (contacts who have bought something). */
  customers: number
  /** The customer most likely to stop buying. */
  mostAtRisk: ContactId
  /**
   * What pushes its risk up most across its customers (features with a positive
   * weighted contribution to the log-odds of churn), strongest first.
   */
  reasons: Array<Reason>
}

/** An event as stored in the log. */
export interface EventEnvelope {
  /** Position in the log: 1, 2, 3… with no gaps within one store. */
  sequence: number
  /** The kind of aggregate. */
  aggregate: EntityKind
  /** The aggregate's id. */
  aggregateId: number
  /** The event type name. */
  eventType: string
  /** The payload format version. */
  eventVersion: number
  /** The payload: the JSON of a `DomainEvent`. */
  payload: unknown
  /** When it happened. */
  at: string
  /**
   * Who did it: `user:<id>` or `system:<name>` (`system:host` when the handle that
   * wrote it was not given an actor).
   */
  actor?: Actor
}

/** The kinds of record a store keeps. */
export type EntityKind = 'lead' | 'account' | 'contact' | 'touchpoint' | 'activity' | 'purchase' | 'opportunity' | 'pipeline' | 'web_form' | 'exchange_rate' | 'product' | 'price_book' | 'quote' | 'sales_order' | 'service_case' | 'asset' | 'warranty' | 'contract' | 'technician' | 'service_order' | 'maintenance_plan' | 'article' | 'calendar' | 'sla_policy' | 'campaign' | 'segment' | 'marketing_plan' | 'automation_rule' | 'automation_action' | 'automation_state' | 'external_link' | 'consent' | 'do_not_contact' | 'unsubscribe_token' | 'custom_field' | 'duplicate_rules' | 'duplicate_review' | 'user' | 'team' | 'role' | 'permission_set' | 'sharing_rule' | 'share' | 'org_default' | 'assignment_rule' | 'delivery' | 'queue' | 'service_agent' | 'routing_rule' | 'escalation_rule' | 'survey'

/** Who made a change: `user:<id>` or `system:<name>`. */
export type Actor = string

/** One hand-off owed to another system. */
export interface Delivery {
  /** Id, assigned by the store. */
  id: DeliveryId
  /** Version. */
  version: Version
  /** The system it goes to (`erp`). */
  target: string
  /** The key the receiver tells a second sending by (`sales_order:12`). */
  idempotencyKey: string
  /** The record it is about (`sales_order:12`), if any. */
  subject?: RecordKey | null
  /** What is sent. */
  payload: unknown
  /** How often and how long it is tried. */
  policy?: RetryPolicy
  /** When it was made. */
  createdAt: string
  /** Where it stands. */
  status: DeliveryStatus
  /** Attempts so far (taken, then failed or still out). */
  attempts: number
  /** Failures in a row (reset by a retry of a dead delivery). */
  failures: number
  /** When it is due next (pending). */
  nextAttemptAt: string
  /** Until when the worker that took it may report (in flight). */
  leaseUntil?: string | null
  /** The last failure's message. */
  lastError?: string | null
  /** What the receiver answered when it took it (its own id for the order, say). */
  reply?: unknown
  /** When it was delivered. */
  deliveredAt?: string | null
}

/** The id of a stored `delivery` (from 1). */
export type DeliveryId = number

/** How often and how long a delivery is tried. */
export interface RetryPolicy {
  /** The wait after the first failure, in seconds; each further failure doubles it. */
  firstDelaySecs: number
  /** The longest wait between attempts, in seconds. */
  maxDelaySecs: number
  /** Attempts before the delivery is dead. */
  maxAttempts: number
  /** How long a worker has to report on a delivery it took, in seconds. */
  leaseSecs: number
}

/** Where a delivery stands. */
export type DeliveryStatus = 'pending' | 'in_flight' | 'delivered' | 'dead' | 'cancelled'

/** What a delete does with records that depend on the deleted one. */
export type OnDependants =
  /**
   * Refuse (`in_use`) while records that block the delete exist; owned records go with
   * it and optional references are cleared.
   */
  | { mode: 'refuse' }
  /** Delete every dependant too, and theirs. */
  | { mode: 'cascade' }
  /** Point every dependant at another record of the same kind, then delete. */
  | { mode: 'repoint'; to: RecordKey }

/** What a delete did. */
export interface Deleted {
  /** Every record deleted, dependants first, the one asked for last. */
  deleted: Array<RecordKey>
  /** Records that now point at the re-point target. */
  repointed: Array<RecordKey>
  /** Records whose optional reference to a deleted record was cleared. */
  detached: Array<RecordKey>
}

/**
 * One entry of a record's history: an event about it, with who did it and, for an edit,
 * which fields changed from what to what.
 */
export interface HistoryEntry {
  /** The event's position in the log. */
  sequence: number
  /** When it happened. */
  at: string
  /** Who did it. */
  actor: Actor
  /** The event type (`RecordEdited`, `LeadStatusChanged`, `RecordArchived` …). */
  event: string
  /** The fields an edit changed, with old and new values (empty for other events). */
  changes: Array<FieldChange>
}

/**
 * One field's change in an edit: its old and new values in their serde form (`null`
 * when the field was or became empty).
 */
export interface FieldChange {
  /** The field, by its serde name (`job_title`, `address`). */
  field: string
  /** Its value before. */
  old: unknown
  /** Its value after. */
  new: unknown
}

/** A record's id in another system. */
export interface ExternalLink {
  /** Id, assigned by the store. */
  id: ExternalLinkId
  /** Version. */
  version: Version
  /** The record. */
  record: RecordKey
  /** The other system, lower-case (`erp`, `shopify`). */
  system: string
  /** The record's id there, as that system writes it. */
  externalId: string
  /** When the link was made or last changed. */
  linkedAt: string
}

/** The id of a stored `external link` (from 1). */
export type ExternalLinkId = number

/** What a listing returns: which records, in which order, from where, how many. */
export interface ListQuery {
  /** Conditions that must all hold. */
  filter?: Array<FieldCondition>
  /** Sort keys, in order; the id breaks ties (no keys: id order). */
  sort?: Array<SortKey>
  /** The `next` cursor of the page before (none: the first page). */
  after?: string | null
  /** Records per page (default 50, at most 1000). */
  limit?: number | null
}

/** One sort key. */
export interface SortKey {
  /** The field's path, dotted. */
  field: string
  /** Largest first. */
  descending?: boolean
}

/** One page of a listing. */
export interface Page {
  /** The records, as their stored documents. */
  items: Array<unknown>
  /** Where the next page starts (pass it as `after`); none on the last page. */
  next?: string | null
}

/** A search across records. */
export interface SearchQuery {
  /** What to look for, as a person types it (`ada lov`, `acme pump`). */
  text: string
  /**
   * The kinds to search (`lead`, `contact`, `account`, `opportunity`, `service_case`,
   * `article`); all of them when empty.
   */
  kinds?: Array<EntityKind>
  /** The most results (20 when not said, at most 1000). */
  limit?: number | null
}

/** A record a search found. */
export interface SearchResult {
  /** The record (`lead:42`). */
  record: RecordKey
  /** What names it: its first searched field (a name, a subject, a title). */
  title: string
  /** The field that matched best (`name`, `email`, `custom`, `body`…). */
  field: string
  /** That field's text around the first word that matched. */
  snippet: string
  /** How well it matched (BM25; higher is better; comparable within one search). */
  score: number
}

/** What to export, and how. */
export interface ExportOptions {
  /** CSV (when left out), JSON lines or Parquet. */
  format?: ExportFormat
  /** Conditions every exported record meets, as in a listing. */
  filter?: Array<FieldCondition>
  /** The fields to export, as dotted paths, in this order (every field when empty). */
  columns?: Array<string>
  /** The CSV field delimiter (`,` when left out; `;` for spreadsheets in many locales). */
  delimiter?: string | null
}

/** The shape of an export. */
export type ExportFormat = 'csv' | 'json_lines' | 'parquet'

/** What an export wrote. */
export interface ExportReport {
  /** Records written. */
  records: number
  /**
   * The CSV columns, in order (the asked-for paths for JSON lines; empty: whole
   * documents).
   */
  columns: Array<string>
}

/** How to import a file. */
export interface ImportRecordsOptions {
  /**
   * CSV or JSON lines (by the file name when left out: `.jsonl`, `.ndjson` are JSON
   * lines).
   */
  format?: ImportFormat | null
  /**
   * The text encoding, by name (`utf-8`, `windows-1252`, `utf-16le`, …); detected when
   * left out (a byte-order mark, else UTF-8, else the likeliest legacy encoding).
   */
  encoding?: string | null
  /** The CSV delimiter; detected when left out (`,` `;` tab `|`). */
  delimiter?: string | null
  /**
   * Field path per header, for headers that are not paths (`{"Company": "name",
   * "Firma": "account@name", "Notes": ""}`; `""` skips the column).
   */
  columns?: Record<string, string>
  /**
   * Upsert by external id: the other system (`erp`) whose ids the `external_id`
   * column holds.
   */
  externalSystem?: string | null
  /** The column of external ids (`external_id` when left out). */
  externalIdColumn?: string | null
  /** The column of creation instants (`created_at` when left out). */
  createdAtColumn?: string | null
  /**
   * Leave a bad value out and import its row without it, rather than leaving the row
   * out.
   */
  lenient?: boolean
  /** Rows per transaction (20 000 when left out). */
  batchSize?: number | null
  /** Leads that duplicate a stored lead or contact (`skip` when left out). */
  duplicates?: DuplicatePolicy | null
  /** A label kept in each imported lead's source (the file name when left out). */
  label?: string | null
}

/** The shape of an import file. */
export type ImportFormat = 'csv' | 'json_lines'

/** What an import did. */
export interface ImportRecordsReport {
  /** Data rows read. */
  rows: number
  /** Records created. */
  created: number
  /** Records updated (upserts). */
  updated: number
  /** Rows not imported (bad, or duplicates of stored leads). */
  refused: number
  /** Every problem, by row. */
  problems: Array<ImportProblem>
  /** Columns that are no field of the kind, skipped. */
  ignoredColumns: Array<string>
  /** The format read. */
  format: ImportFormat
  /** The encoding read (given or detected). */
  encoding: string
  /** The CSV delimiter (given or detected). */
  delimiter?: string | null
}

/** One problem of an import. */
export interface ImportProblem {
  /** The 1-based data row (the CSV header is row 0). */
  row: number
  /** The column, when the problem is with one. */
  column?: string | null
  /**
   * The error's stable code (`invalid_value`, `validation_failed`, `not_found`,
   * `duplicate`, `input`, …).
   */
  code: string
  /** What was wrong. */
  message: string
  /**
   * The value was left out and the row imported without it (lenient mode); `false`:
   * the row was not imported.
   */
  leftOut: boolean
}

/** Who a request is about. */
export type Person =
  /** The person a lead is about. */
  | { by: 'lead'; id: LeadId }
  /** The person a contact is. */
  | { by: 'contact'; id: ContactId }
  /** Whoever has this e-mail address. */
  | { by: 'email'; address: Email }

/** What an erasure did. */
export interface Erasure {
  /** The person's leads and contacts, kept with their personal fields blanked. */
  anonymised: Array<RecordKey>
  /** Records that existed only because of the person, deleted. */
  deleted: Array<RecordKey>
  /** Records kept for the business whose texts held the person's identifiers. */
  scrubbed: Array<RecordKey>
  /** Events whose payloads were redacted. */
  eventsRedacted: number
}

/**
 * How records of one kind are matched: which keys count, and whether names match
 * exactly or fuzzily, at which thresholds. `DuplicateRules::DEFAULT` is the rule set
 * the module docs describe.
 */
export interface DuplicateRules {
  /** Two records reaching the same mailbox match (`true` when left out). */
  email?: boolean
  /** Two records with the same phone number match (`true` when left out). */
  phone?: boolean
  /** How names match; `null` turns name matching off (the default rule when left out). */
  name?: NameRule | null
}

/** How names match. */
export interface NameRule {
  /**
   * The normalised names must be equal (`false`: similar by Jaro–Winkler at least
   * `name_threshold`).
   */
  exact?: boolean
  /** Minimum Jaro–Winkler similarity of the names, in `[0.5, 1]` (0.92). */
  nameThreshold?: number
  /**
   * Minimum similarity of the companies when both records have one, in `[0, 1]`
   * (0.88; 0 ignores companies).
   */
  companyThreshold?: number
  /** A record without a company never matches by name (`false`). */
  requireCompany?: boolean
}

/** Where a review stands. */
export type ReviewStatus = 'open' | 'merged' | 'not_duplicate'

/** The id of a stored `duplicate review` (from 1). */
export type DuplicateReviewId = number

/** A pair of records that may be one person, for a person to judge. */
export interface DuplicateReview {
  /** Id, assigned by the store. */
  id: DuplicateReviewId
  /** Version: pass it to `Crm::resolve_duplicate`. */
  version: Version
  /** The record stored first (the survivor a merge keeps by default). */
  first: RecordKey
  /** The record found to duplicate it. */
  second: RecordKey
  /** Why they matched. */
  reason: MatchReason
  /**
   * Only a possible duplicate: similar names, but the second record has an e-mail or
   * phone the first does not.
   */
  possible: boolean
  /** Where it stands. */
  status: ReviewStatus
  /** The record that remained, once merged. */
  survivor?: RecordKey | null
  /** Found. */
  foundAt: string
  /** Decided. */
  decidedAt?: string | null
  /** Who decided (a user or a system process). */
  decidedBy?: string | null
}

/** How a person resolves a review. */
export type Resolution =
  /**
   * The two are one: merge them into `survivor` (one of the pair; both leads or both
   * contacts — a lead that duplicates a contact is converted onto it instead).
   */
  | { decision: 'merge'; survivor: RecordKey; choices?: MergeChoices }
  /** Different people: remembered, never reported again. */
  | { decision: 'not_duplicate' }

/** A new custom field. */
export interface NewCustomField {
  /** The kind of record it belongs to (`lead`, `account`, …). */
  kind: EntityKind
  /**
   * Its name in records and filters: lower case letters, digits and `_`, starting with
   * a letter (`employees`, `renewal_date`).
   */
  name: string
  /** The rest of the definition. */
  spec: CustomFieldSpec
}

/**
 * What defines a custom field (all of it but its kind and name, which a redefinition
 * keeps).
 */
export interface CustomFieldSpec {
  /** The label people see (`Employees`). */
  label: string
  /** The type of its values. */
  fieldType: FieldType
  /** Whether every record needs a value. */
  required?: boolean
  /** The value a new record gets when it gives none (as the type reads it). */
  default?: unknown
  /** What the field is for. */
  description?: string | null
}

/** The type of a custom field's values, and how they are written. */
export type FieldType =
  /** One line of text. */
  | { type: 'text'; maxLength?: number | null }
  /** A number (JSON number; `"250"` is read as 250). */
  | { type: 'number' }
  /** An exact decimal, stored as text (`"12.50"`). */
  | { type: 'decimal' }
  /**
   * An amount of one currency, stored as `{"amount": "12.50", "currency": "EUR"}`;
   * a bare amount is read in the field's currency.
   */
  | { type: 'money'; currency: string }
  /** A calendar day, `YYYY-MM-DD`. */
  | { type: 'date' }
  /** An instant, RFC 3339, stored in UTC. */
  | { type: 'instant' }
  /** Yes or no (`true`/`false`; `"yes"`, `"no"`, `"1"`, `"0"` are read too). */
  | { type: 'boolean' }
  /** One of a list of values (matched ignoring case, stored as the list spells it). */
  | { type: 'picklist'; values: Array<string> }
  /**
   * Any of a list of values: a list (or a text with `;` between values), stored in the
   * list's order without repeats.
   */
  | { type: 'multi_picklist'; values: Array<string> }
  /** An e-mail address, stored in its normal form. */
  | { type: 'email' }
  /** A phone number, stored in E.164; national numbers are read in the CRM's region. */
  | { type: 'phone' }
  /** An `http` or `https` address. */
  | { type: 'url' }

/** A custom field of a record kind. */
export interface CustomField {
  /** Id, assigned by the store. */
  id: CustomFieldId
  /** Version: bumped by every redefinition. */
  version: Version
  /** The kind of record it belongs to. */
  kind: EntityKind
  /** Its name in records. */
  name: string
  /** The definition. */
  spec: CustomFieldSpec
  /** Defined. */
  createdAt: string
  /** Last redefined. */
  updatedAt: string
}

/** The id of a stored `custom field` (from 1). */
export type CustomFieldId = number

/** What a redefinition did to the stored records. */
export interface CustomFieldChange {
  /** The field as it is now (its last state, for a removal). */
  field: CustomField
  /** How many records had a value rewritten (converted, moved, filled in or removed). */
  recordsChanged: number
}

/** A user to create or replace, by login. */
export interface UserSpec {
  /**
   * The host's id for them: what `as_user` takes, what owner fields hold, what
   * `user:<login>` actors name.
   */
  login: string
  /** Their name, for people. */
  name?: string | null
  /** Whether they may act at all (a deactivated user keeps their records, sees nothing). */
  active?: boolean
  /** Their locale (`en-GB`). */
  locale?: string | null
  /** Their IANA time zone (`Europe/London`). */
  timeZone?: string | null
  /** Their manager's login. */
  manager?: string | null
  /** Their role's name: who sees what they own (everyone above it). */
  role?: string | null
  /** The permission sets they hold besides their role's, by name. */
  permissionSets?: Array<string>
}

/** A stored user. */
export interface User {
  /** Id, assigned by the store. */
  id: UserId
  /** Version. */
  version: Version
  /** The host's id for them. */
  login: string
  /** Their name. */
  name?: string | null
  /** Whether they may act at all. */
  active: boolean
  /** Their locale. */
  locale?: string | null
  /** Their time zone. */
  timeZone?: string | null
  /** Their manager's login. */
  manager?: string | null
  /** Their role's name. */
  role?: string | null
  /** Their own permission sets, by name. */
  permissionSets: Array<string>
}

/** The id of a stored `user` (from 1). */
export type UserId = number

/** A team to create or replace, by name. */
export interface TeamSpec {
  /** Its name (unique); records it owns say `team:<name>` as their owner. */
  name: string
  /** Its members' logins. */
  members?: Array<string>
}

/** A stored team. */
export interface Team {
  /** Id, assigned by the store. */
  id: TeamId
  /** Version. */
  version: Version
  /** Its name. */
  name: string
  /** Its members' logins. */
  members: Array<string>
}

/** The id of a stored `team` (from 1). */
export type TeamId = number

/** A role to create or replace, by name. */
export interface RoleSpec {
  /** Its name (unique). */
  name: string
  /** The role above it (its users see what this role's users own). */
  parent?: string | null
  /** The permission sets every user in the role holds, by name. */
  permissionSets?: Array<string>
  /** Fields hidden or read-only for its users. */
  fields?: Array<FieldRule>
}

/** One field restricted for a role. */
export interface FieldRule {
  /** The record kind. */
  kind: EntityKind
  /**
   * The field's path in the record's document, dotted as in filters
   * (`data.annual_revenue`, `custom.income`).
   */
  field: string
  /** Hidden or read-only. */
  access: FieldAccess
}

/** How a field is restricted for a role. */
export type FieldAccess = 'hidden' | 'read_only'

/** A stored role. */
export interface Role {
  /** Id, assigned by the store. */
  id: RoleId
  /** Version. */
  version: Version
  /** Its name. */
  name: string
  /** The role above it. */
  parent?: string | null
  /** Its permission sets, by name. */
  permissionSets: Array<string>
  /** Its field restrictions. */
  fields: Array<FieldRule>
}

/** The id of a stored `role` (from 1). */
export type RoleId = number

/** A permission set to create or replace, by name. */
export interface PermissionSetSpec {
  /** Its name (unique). */
  name: string
  /** What it allows per kind. */
  objects?: Array<ObjectPermission>
  /** What it allows beyond records. */
  system?: Array<SystemPermission>
}

/** What a permission set allows on one record kind. */
export interface ObjectPermission {
  /** The kind (`lead`, `account`, …). */
  kind: EntityKind
  /** Read the records the user's sharing lets them see. */
  read?: boolean
  /** Create records. */
  create?: boolean
  /** Change the records the user's sharing lets them change. */
  edit?: boolean
  /** Delete the records the user has full access to. */
  delete?: boolean
  /** Export records of the kind to files. */
  export?: boolean
  /** Read every record of the kind, whatever its sharing. */
  viewAll?: boolean
  /** Read, change and delete every record of the kind. */
  modifyAll?: boolean
}

/** A permission beyond records of one kind. */
export type SystemPermission = 'import' | 'erase_personal_data' | 'manage_users' | 'manage_sharing' | 'manage_custom_fields' | 'run_automation' | 'view_audit'

/** A stored permission set. */
export interface PermissionSet {
  /** Id, assigned by the store. */
  id: PermissionSetId
  /** Version. */
  version: Version
  /** Its name (unique). */
  name: string
  /** What it allows per kind. */
  objects: Array<ObjectPermission>
  /** What it allows beyond records. */
  system: Array<SystemPermission>
}

/** The id of a stored `permission set` (from 1). */
export type PermissionSetId = number

/**
 * The organisation-wide default of a kind: what everybody may do with a record nobody
 * shared with them.
 */
export type OrgDefault = 'private' | 'public_read' | 'public_read_write'

/** The organisation-wide default of one kind, as stored. */
export interface OrgDefaultSetting {
  /** Id, assigned by the store. */
  id: OrgDefaultId
  /** Version. */
  version: Version
  /** The kind. */
  kind: EntityKind
  /** Its default. */
  default: OrgDefault
}

/** The id of a stored `org default` (from 1). */
export type OrgDefaultId = number

/** A sharing rule to create or replace, by name. */
export interface SharingRuleSpec {
  /** Its name (unique). */
  name: string
  /** The kind of records it shares. */
  kind: EntityKind
  /** The records it shares: those matching every condition (none: every record). */
  filter?: Array<FieldCondition>
  /** With whom. */
  grantee: GranteeRef
  /** Read or edit. */
  access: ShareAccess
}

/** Whom a sharing rule or a share grants access, by name. */
export type GranteeRef =
  /** One user, by login. */
  | { type: 'user'; name: string }
  /** The members of a team. */
  | { type: 'team'; name: string }
  /** The users in one role. */
  | { type: 'role'; name: string }
  /** The users in a role and in every role below it. */
  | { type: 'role_and_below'; name: string }

/** What a share or a sharing rule grants. */
export type ShareAccess = 'read' | 'edit'

/** A stored sharing rule. */
export interface SharingRule {
  /** Id, assigned by the store. */
  id: SharingRuleId
  /** Version. */
  version: Version
  /** Its name. */
  name: string
  /** The kind of records it shares. */
  kind: EntityKind
  /** The records it shares. */
  filter: Array<FieldCondition>
  /** With whom. */
  grantee: GranteeRef
  /** Read or edit. */
  access: ShareAccess
}

/** The id of a stored `sharing rule` (from 1). */
export type SharingRuleId = number

/** A record shared by hand with a user or a team. */
export interface Share {
  /** Id, assigned by the store. */
  id: ShareId
  /** Version. */
  version: Version
  /** The record shared. */
  record: RecordKey
  /** With whom. */
  grantee: GranteeRef
  /** Read or edit. */
  access: ShareAccess
}

/** The id of a stored `share` (from 1). */
export type ShareId = number

/** An assignment rule to create or replace, by name. */
export interface AssignmentRuleSpec {
  /** Its name (unique). */
  name: string
  /** What it routes: `lead` or `service_case`. */
  kind: EntityKind
  /** Where it stands among the kind's rules: lower first (then by creation). */
  order?: number
  /**
   * The records it routes: those matching every condition (none: every record), on
   * the record's document (`data.address.country`, `data.address.postal_code`,
   * `source`, `category`).
   */
  filter?: Array<FieldCondition>
  /** To whom. */
  assign: Assignee
}

/** Whom a rule gives a record to. */
export type Assignee =
  /** One user, by login. */
  | { type: 'user'; name: string }
  /** A team: the record's owner is `team:<name>`. */
  | { type: 'team'; name: string }
  /** The members of a team, each in turn. */
  | { type: 'round_robin'; name: string }
  /**
   * The member of a team with the fewest open records of the kind (leads new or being
   * worked, cases not closed); the first in the team's order on a tie.
   */
  | { type: 'least_loaded'; name: string }

/** A stored assignment rule. */
export interface AssignmentRule {
  /** Id, assigned by the store. */
  id: AssignmentRuleId
  /** Version. */
  version: Version
  /** Its name. */
  name: string
  /** What it routes. */
  kind: EntityKind
  /** Its order. */
  order: number
  /** The records it routes. */
  filter: Array<FieldCondition>
  /** To whom. */
  assign: Assignee
  /** How many records it has given out in turn (round robin: the next member). */
  turn?: number
}

/** The id of a stored `assignment rule` (from 1). */
export type AssignmentRuleId = number

/** How far a user may go with one record, weakest first. */
export type Level = 'none' | 'read' | 'edit' | 'full'

/**
 * Which binding artifact the generated loader actually loaded: `'native'` for
 * a native addon, otherwise the `platformArchABI` of the WASI flavor. Every
 * flavor napi-rs can build is listed, because `NAPI_RS_NATIVE_LIBRARY_PATH`
 * can point the loader at a WASI artifact this package does not build itself.
 */
export declare const __napiBindingTarget: 'native' | 'wasm32-wasi' | 'wasm32-wasip1'

export declare class Access {}

/**
 * A business calendar (zone, working hours per weekday, holidays, exceptions): business
 * time added to and measured between instants, exact across DST changes.
 */
export declare class BusinessCalendar {
  /** A calendar from its definition (checked: it must have working time). */
  constructor(definition: BusinessCalendarDefinition)
  /** The instant `minutes` business minutes after `start`, as an ISO-8601 UTC string. */
  add(start: Instant, minutes: number): string
  /** The business minutes between two instants (negative when `to` is before `from`). */
  between(from: Instant, to: Instant): number
  /** Whether `at` falls in working time. */
  isWorking(at: Instant): boolean
  /** The calendar's definition. */
  definition(): BusinessCalendarDefinition
}

/** The CRM on SQLite or PostgreSQL: every crm-core use case, in namespaces (`crm.leads.capture(…)`). */
export declare class Crm {
  /**
   * Opens the CRM at `path`: a SQLite file (made when missing), or a PostgreSQL
   * database for a `postgresql://user:password@host/db` URL (several processes and
   * servers share it).
   */
  static open(path: string, options?: CrmOptions): Crm
  /** A CRM in memory (SQLite without a file): gone when the object is. */
  static inMemory(options?: CrmOptions): Crm
  /**
   * A handle on the same store acting as `actor` (`'user:alice'`, `'system:import'`):
   * every event its calls record names them. Cheap: the store is shared.
   */
  asActor(actor: string): Crm
  /**
   * A handle on the same store bound to the user with `login`: every call through it
   * sees only what that user may see and changes only what they may change, and is
   * refused the rest (`code: 'forbidden'`). Throws `forbidden` for an unknown or
   * deactivated user.
   */
  asUser(login: string): Crm
  /** The login of the user whose access this handle enforces (`null`: the host app). */
  get user(): string | null
  /** Who this handle acts as (`'system:host'` unless made by `asActor`). */
  get actor(): string
  /** The region national phone numbers are read in when a lead names no country. */
  get defaultRegion(): string

}

export declare class Customers {}

export declare class CustomFields {}

export declare class Desk {}

export declare class Duplicates {}

export declare class Events {}

/** A handle on a long call: its progress, and a way to stop it. */
export declare class Job {
  /** A job for one call: nothing done yet, not cancelled. */
  constructor()
  /** Stops the call at its next checkpoint (between batches, pages, chunks). */
  cancel(): void
  /** Whether `cancel()` was called. */
  get cancelled(): boolean
  /** How far the call got at its last checkpoint. */
  get progress(): JobProgress
}

export declare class Leads {}

export declare class Marketing {}

export declare class Outbox {}

export declare class Privacy {}

export declare class Quotes {}

export declare class Records {}

export declare class Sales {}

export declare class Scoring {}

/** A model file loaded for scoring. */
export declare class ScoringModel {
  /** Reads a model file's JSON text (newer format versions: `unsupported_version`). */
  static fromJson(text: string): ScoringModel
  /** Reads the model file at `path`. */
  static load(path: string): ScoringModel
  /** The model file as JSON text. */
  toJson(): string
  /** `logistic`, `naive_bayes`, `rules` or `value`. */
  get kind(): 'logistic' | 'naive_bayes' | 'rules' | 'value'
  /** The file's format version. */
  get formatVersion(): number
  /** The feature columns, in order (the width of the matrices it scores). */
  get columnNames(): Array<string>
  /** The probability thresholds of the `hot` and `warm` ratings. */
  get thresholds(): { hot: number; warm: number }
  /**
   * The probability of every row of `x` (row-major, `nFeatures` wide); `threads` > 1
   * splits the rows between threads (same results, bit for bit).
   */
  score(x: Float64Array, nFeatures: number, threads?: number): Float64Array
  /** The probability of one lead's feature row. */
  scoreOne(row: Float64Array): number
  /** The log-odds of every row of `x`. */
  decisionFunction(x: Float64Array, nFeatures: number): Float64Array
  /**
   * Each feature's contribution to row `row`'s log-odds (with `intercept` they add up
   * to its decision value), in the order of `columnNames`.
   */
  explain(x: Float64Array, nFeatures: number, row: number): Float64Array
  /** The intercept of a logistic model (null for other kinds). */
  get intercept(): number | null
  /** `hot`, `warm` or `cold` for a score from this model. */
  rate(score: number): Rating
}

export declare class Service {}

/** The stable code of every error kind, in crm-core's order (`ErrorKind::ALL`). */
export declare function errorCodes(): Array<ErrorCode>

/** How far a job got: units done (rows, records) and, when known, in all. */
export interface JobProgress {
  /** Units done. */
  done: number
  /** Units in all, when known. */
  total?: number
}

/**
 * Prices lines without a store: discounts, taxes by rate, rounding per line or on the
 * total, exactly (decimal strings in, decimal strings out).
 */
export declare function priceDocument(lines: PriceLine[], currency: string, rounding: Rounding, options?: PricingOptions): PricedDocument

/**
 * Throws an example error of the kind whose code is `code`, as every method throws it (for
 * tests of the error mapping: every kind reaches JS with its code and details).
 */
export declare function throwSampleError(code: ErrorCode): never

/**
 * Every declared use case (namespace, name, parameters in order, whether it takes `now`,
 * what it returns, its Promise twin, its doc): what a tool needs to call them by name.
 */
export declare function useCases(): Array<{ namespace: string; name: string; doc: string; params: Array<{ name: string; ty: string }>; takesNow: boolean; returns: string; asyncName: string | null }>
