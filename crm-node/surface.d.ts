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
