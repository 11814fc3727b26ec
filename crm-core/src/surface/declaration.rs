//! The declaration: every public use case of the CRM, once, grouped by namespace.
//!
//! [`for_each_use_case!`](crate::for_each_use_case) hands this list to a callback macro;
//! crm-core expands it into the namespace views and the by-name invoker
//! ([`super`]), and every binding expands it into its own entry points. Adding a use case
//! means writing it in crm-core and adding one entry here; nothing else by hand.
//!
//! The grammar of one entry:
//!
//! ```text
//! /// What it does (the doc comment every language shows).
//! fn name(arg: Type, ...) [at now] -> Returned [, async name_async] [, every Record]
//!     => |crm| body;
//! ```
//!
//! - Types are named as [`super::prelude`] exports them, owned and serde-readable, so that
//!   every binding can read them from its own values.
//! - Optional parameters (`Option<…>`) come last: the bindings let them be left out (Python
//!   and Kotlin defaults need them trailing; crm-py fails to build otherwise).
//! - `at now` marks the instant the change happens: required in Rust, optional in the
//!   bindings (the current time when omitted).
//! - `async name_async` marks a long use case; bindings add a variant that runs off the
//!   caller's thread (a Promise in JS).
//! - `every Record` marks a listing: the result is every stored `Record`, in id order
//!   (`Vec<Record>`). A binding may then read the stored documents
//!   ([`crate::Crm::documents`]) and build its own objects from their JSON in place of
//!   typed values; the parity test proves the body returns exactly those records.
//! - The body runs the use case on `crm: &Crm<S>` and returns `Result<Returned>`; only
//!   crm-core reads it.

/// Hands the declaration of every use case to `$callback!`; see [`crate::surface`].
#[macro_export]
macro_rules! for_each_use_case {
    ($callback:path) => {
        $callback! {
            /// Leads: capture by hand, through web forms and from CSV files; qualification,
            /// scores, duplicates, edits, conversion, merges and touchpoints.
            leads Leads {
                /// Captures a lead typed in by a person (source `manual`): parsed, checked for
                /// spam signals and duplicates, stored.
                fn capture(input: LeadInput) at now -> Captured
                    => |crm| crm.capture_lead(&input, now);
                /// Captures already-parsed lead data from any source.
                fn capture_parsed(source: LeadSource, data: LeadData) at now -> Captured
                    => |crm| crm.capture_parsed(source, data, now);
                /// Defines a web form: field mapping, required fields, honeypot, minimum fill
                /// time, resubmission window.
                fn define_web_form(spec: WebFormSpec) at now -> WebForm
                    => |crm| crm.define_web_form(spec, now);
                /// The web form called `name` (case-insensitive), if any.
                fn web_form_named(name: String) -> Option<WebForm>
                    => |crm| crm.web_form_named(&name);
                /// Takes a web-form submission: checked, a resubmission inside the form's window
                /// refused, the lead stored with a form-submission touchpoint.
                fn submit_web_form(form: WebFormId, submission: Submission) -> Captured
                    => |crm| crm.submit_web_form(form, &submission);
                /// A lead (`not_found` when there is none with this id).
                fn get(id: LeadId) -> Lead => |crm| crm.lead(id);
                /// Every lead, in id order.
                fn list() -> Vec<Lead>, every Lead => |crm| crm.all_leads();
                /// The leads with a status: `new`, `working`, `qualified`, `converted`,
                /// `disqualified`.
                fn with_status(status: LeadStatusKind) -> Vec<Lead>
                    => |crm| crm.leads_with_status(status);
                /// Edits a lead read at `expected_version`: only the fields the patch names change
                /// (null clears one); `conflict` when someone changed the lead since.
                fn update(id: LeadId, expected_version: Version, patch: LeadPatch) at now -> Lead
                    => |crm| crm.update_lead(id, expected_version, &patch, now);
                /// Starts working a new lead.
                fn start_working(id: LeadId) at now -> Lead => |crm| crm.start_working(id, now);
                /// Qualifies a lead.
                fn qualify(id: LeadId) at now -> Lead => |crm| crm.qualify(id, now);
                /// Disqualifies a lead, with the reason.
                fn disqualify(id: LeadId, reason: String) at now -> Lead
                    => |crm| crm.disqualify(id, &reason, now);
                /// Sets a lead's score and rating; an event only when something changed.
                fn set_score(id: LeadId, score: f64, rating: Option<Rating>) at now -> Lead
                    => |crm| crm.set_lead_score(id, score, rating, now);
                /// The stored leads and contacts a lead may duplicate.
                fn duplicates_of(id: LeadId) -> Vec<DuplicateMatch>
                    => |crm| crm.duplicates_of_lead(id);
                /// Imports leads from CSV text: every row judged, good rows stored in batches,
                /// bad rows reported with their line and column.
                fn import_csv(csv: String, mapping: CsvMapping, options: ImportOptions) at now
                    -> ImportReport, async import_csv_async
                    => |crm| crm.import_leads_csv(csv.as_bytes(), mapping, &options, |_| {}, now);
                /// Converts a qualified lead into an account, a contact and (optionally) an
                /// opportunity, linking to existing records where they match.
                fn convert(id: LeadId, options: ConvertOptions) at now -> Conversion
                    => |crm| crm.convert_lead(id, &options, now);
                /// Merges lead `merged` into `survivor`, field by field as `choices` says;
                /// related records follow the survivor.
                fn merge(survivor: LeadId, merged: LeadId, choices: MergeChoices) at now
                    -> MergedLead
                    => |crm| crm.merge_leads(survivor, merged, &choices, now).map(Into::into);
                /// Records an engagement touch (click, visit, call, form, e-mail) on a lead or
                /// contact.
                fn record_touchpoint(touch: NewTouchpoint) at now -> Touchpoint
                    => |crm| crm.record_touchpoint(touch, now);
                /// The touchpoints of a lead or contact, oldest first.
                fn touchpoints_of(subject: RecordRef) -> Vec<Touchpoint>
                    => |crm| crm.touchpoints_of(subject);
            }
            /// Customers: accounts, contacts and their purchases.
            customers Customers {
                /// Creates an account.
                fn create_account(account: NewAccount) at now -> Account
                    => |crm| crm.create_account(account, now);
                /// Edits an account read at `expected_version`: only the fields the patch names.
                fn update_account(id: AccountId, expected_version: Version, patch: AccountPatch)
                    at now -> Account => |crm| crm.edit(id, expected_version, &patch, now);
                /// Edits a contact read at `expected_version`: only the fields the patch names.
                fn update_contact(id: ContactId, expected_version: Version, patch: ContactPatch)
                    at now -> Contact => |crm| crm.edit(id, expected_version, &patch, now);
                /// Edits a purchase read at `expected_version`: only the fields the patch names.
                fn update_purchase(id: PurchaseId, expected_version: Version, patch: PurchasePatch)
                    at now -> Purchase => |crm| crm.edit(id, expected_version, &patch, now);
                /// Creates a contact.
                fn create_contact(contact: NewContact) at now -> Contact
                    => |crm| crm.create_contact(contact, now);
                /// An account.
                fn account(id: AccountId) -> Account => |crm| crm.account(id);
                /// A contact.
                fn contact(id: ContactId) -> Contact => |crm| crm.contact(id);
                /// Every account.
                fn accounts() -> Vec<Account>, every Account => |crm| crm.accounts();
                /// Every contact.
                fn contacts() -> Vec<Contact>, every Contact => |crm| crm.contacts();
                /// The contacts of an account.
                fn contacts_of(account: AccountId) -> Vec<Contact> => |crm| crm.contacts_of(account);
                /// Everything that happened with a contact or an account (its contacts' and
                /// opportunities' too), newest first: touchpoints, activities, purchases,
                /// quotes, orders, cases, installed assets. `before`: a page's `next`.
                fn timeline(subject: RecordRef, limit: usize, before: Option<String>)
                    -> TimelinePage
                    => |crm| crm.timeline(subject, limit, before.as_deref());
                /// Records a purchase of a contact.
                fn record_purchase(purchase: NewPurchase) at now -> Purchase
                    => |crm| crm.record_purchase(purchase, now);
                /// The purchases of a contact.
                fn purchases_of(contact: ContactId) -> Vec<Purchase>
                    => |crm| crm.purchases_of(contact);
                /// Merges contact `merged` into `survivor`.
                fn merge_contacts(survivor: ContactId, merged: ContactId, choices: MergeChoices)
                    at now -> MergedContact
                    => |crm| crm.merge_contacts(survivor, merged, &choices, now).map(Into::into);
                /// Merges account `merged` into `survivor`.
                fn merge_accounts(survivor: AccountId, merged: AccountId, choices: MergeChoices)
                    at now -> MergedAccount
                    => |crm| crm.merge_accounts(survivor, merged, &choices, now).map(Into::into);
            }
            /// Sales: pipelines, opportunities, activities, exchange rates and the forecast.
            sales Sales {
                /// Defines a pipeline with its stages (the default stages when none are given:
                /// prospecting, qualification, proposal, negotiation, won, lost).
                fn define_pipeline(name: String, stages: Option<Vec<Stage>>) at now -> Pipeline
                    => |crm| crm.define_pipeline(
                        &name,
                        stages.unwrap_or_else(Pipeline::default_stages),
                        now,
                    );
                /// A pipeline.
                fn pipeline(id: PipelineId) -> Pipeline => |crm| crm.pipeline(id);
                /// The pipeline called `name`, if any.
                fn pipeline_named(name: String) -> Option<Pipeline>
                    => |crm| crm.pipeline_named(&name);
                /// Prices catalog products into an open opportunity from a price book: the
                /// line items replace the earlier ones and their nets make its amount.
                fn set_line_items(id: OpportunityId, items: Vec<LineItemInput>, price_book: String)
                    at now -> Opportunity
                    => |crm| crm.set_line_items(id, items, &price_book, now);
                /// Sets what accepting a quote does to a pipeline's opportunities: the amount
                /// following the quote, a move to a stage (the won stage wins the deal).
                fn set_quote_acceptance(pipeline: PipelineId, rule: OnQuoteAccepted) at now
                    -> Pipeline
                    => |crm| crm.set_quote_acceptance(pipeline, rule, now);
                /// Opens an opportunity on a pipeline's first stage.
                fn open_opportunity(opportunity: NewOpportunity) at now -> Opportunity
                    => |crm| crm.open_opportunity(opportunity, now);
                /// Edits an opportunity read at `expected_version`: name, contact, expected close,
                /// owner, source, products, key players (the stage, amount and probability have
                /// their own use cases).
                fn update_opportunity(
                    id: OpportunityId,
                    expected_version: Version,
                    patch: OpportunityPatch
                ) at now -> Opportunity => |crm| crm.edit(id, expected_version, &patch, now);
                /// Moves an open opportunity to another stage.
                fn advance(id: OpportunityId, stage: String) at now -> Opportunity
                    => |crm| crm.advance_opportunity(id, &stage, now);
                /// Wins an opportunity (optionally at a final amount).
                fn win(id: OpportunityId, amount: Option<Money>) at now -> Opportunity
                    => |crm| crm.win_opportunity(id, amount, now);
                /// Loses an opportunity, with the reason.
                fn lose(id: OpportunityId, reason: String) at now -> Opportunity
                    => |crm| crm.lose_opportunity(id, &reason, now);
                /// Sets an opportunity's probability by hand (it no longer follows its stage).
                fn set_probability(id: OpportunityId, probability: Percent) at now -> Opportunity
                    => |crm| crm.set_opportunity_probability(id, probability, now);
                /// Lets an opportunity's probability follow its stage again.
                fn release_probability(id: OpportunityId) at now -> Opportunity
                    => |crm| crm.release_opportunity_probability(id, now);
                /// Revises an opportunity's amount and expected close day.
                fn revise(id: OpportunityId, amount: Option<Money>, expected_close: Option<NaiveDate>)
                    at now -> Opportunity
                    => |crm| crm.revise_opportunity(id, amount, expected_close, now);
                /// Names a contact as a key player of an opportunity, in a role.
                fn set_key_player(id: OpportunityId, contact: ContactId, role: String) at now
                    -> Opportunity
                    => |crm| crm.set_key_player(id, contact, &role, now);
                /// An opportunity.
                fn opportunity(id: OpportunityId) -> Opportunity => |crm| crm.opportunity(id);
                /// Every opportunity.
                fn opportunities() -> Vec<Opportunity>, every Opportunity
                    => |crm| crm.opportunities();
                /// The opportunities of an account.
                fn opportunities_of(account: AccountId) -> Vec<Opportunity>
                    => |crm| crm.opportunities_of(account);
                /// Logs an activity (call, meeting, e-mail, task).
                fn log_activity(activity: NewActivity) at now -> Activity
                    => |crm| crm.log_activity(activity, now);
                /// Edits an activity read at `expected_version`: title, notes, owner, due time,
                /// duration.
                fn update_activity(id: ActivityId, expected_version: Version, patch: ActivityPatch)
                    at now -> Activity => |crm| crm.edit(id, expected_version, &patch, now);
                /// Completes an activity, with its outcome.
                fn complete_activity(id: ActivityId, outcome: Option<String>) at now -> Activity
                    => |crm| crm.complete_activity(id, outcome, now);
                /// Cancels an open activity, with the reason.
                fn cancel_activity(id: ActivityId, reason: Option<String>) at now -> Activity
                    => |crm| crm.cancel_activity(id, reason, now);
                /// Logs a call that took place as one record (number, direction, time,
                /// duration, purpose, outcome, follow-up); it counts as engagement.
                fn log_call(call: NewCall) at now -> Activity => |crm| crm.log_call(call, now);
                /// The occurrences of an activity in `[start, until]`: its due time, or
                /// every due time of its recurrence (RRULE).
                fn activity_occurrences(id: ActivityId, start: DateTime<Utc>,
                    until: DateTime<Utc>, limit: usize) -> Vec<DateTime<Utc>>
                    => |crm| crm.activity_occurrences(id, start, until, limit);
                /// The reminders of open activities that fall in `[start, until]`.
                fn due_reminders(start: DateTime<Utc>, until: DateTime<Utc>) -> Vec<Reminder>
                    => |crm| crm.due_reminders(start, until);
                /// The activities about a record.
                fn activities_of(subject: RecordRef) -> Vec<Activity>
                    => |crm| crm.activities_of(subject);
                /// The open activities of an owner that were due before `now`.
                fn overdue_activities(owner: String) at now -> Vec<Activity>
                    => |crm| crm.overdue_activities(&owner, now);
                /// Stores the exchange rate on a day: one unit of `base` is `rate` units of `quote`.
                fn set_exchange_rate(base: Currency, quote: Currency, on: NaiveDate, rate: Decimal)
                    at now -> ExchangeRate
                    => |crm| crm.set_exchange_rate(base, quote, on, rate, now);
                /// Converts an amount at the stored rate of the day (the latest before it).
                fn convert_money(amount: Money, to: Currency, on: NaiveDate) -> Money
                    => |crm| crm.rate_table()?.convert(&amount, to, on);
                /// The weighted forecast by period and owner, in one currency, as of a day.
                fn forecast(currency: Currency, period: Period, as_of: NaiveDate) -> Forecast,
                    async forecast_async
                    => |crm| crm.forecast(currency, period, as_of);
            }
            /// Quotes: products, price books, configuration, quotes and their revisions,
            /// sales orders.
            quotes Quotes {
                /// Defines a product (a SKU already defined is refused as `duplicate`).
                fn define_product(product: Product) at now -> ProductRecord
                    => |crm| crm.define_product(product, now);
                /// The product with this SKU, if any.
                fn product(sku: String) -> Option<ProductRecord> => |crm| crm.product(&sku);
                /// Defines a price book (a name already defined is refused as `duplicate`).
                fn define_price_book(book: PriceBook) at now -> PriceBookRecord
                    => |crm| crm.define_price_book(book, now);
                /// The price book called `name`, if any.
                fn price_book(name: String) -> Option<PriceBookRecord>
                    => |crm| crm.price_book(&name);
                /// Configures a product with options, priced from a price book on a day.
                fn configure_product(sku: String, options: Vec<String>, price_book: String,
                    on: NaiveDate) -> Configuration
                    => |crm| {
                        let options: Vec<&str> = options.iter().map(String::as_str).collect();
                        crm.configure_product(&sku, &options, &price_book, on)
                    };
                /// Creates a quote (revision 1, draft).
                fn create(content: QuoteContent) at now -> Quote
                    => |crm| crm.create_quote(content, now);
                /// Revises a quote: a new revision with the new content.
                fn revise(id: QuoteId, content: QuoteContent) at now -> Quote
                    => |crm| crm.revise_quote(id, content, now);
                /// Sends a draft quote.
                fn send(id: QuoteId) at now -> Quote => |crm| crm.send_quote(id, now);
                /// Accepts a sent quote (refused once it expired).
                fn accept(id: QuoteId) at now -> Quote => |crm| crm.accept_quote(id, now);
                /// Rejects a sent quote, with the reason.
                fn reject(id: QuoteId, reason: String) at now -> Quote
                    => |crm| crm.reject_quote(id, &reason, now);
                /// Marks every sent quote past its validity as expired; returns them.
                fn expire() at now -> Vec<Quote> => |crm| crm.expire_quotes(now);
                /// A quote revision.
                fn get(id: QuoteId) -> Quote => |crm| crm.quote(id);
                /// Every revision of the quote numbered `number`.
                fn revisions(number: QuoteId) -> Vec<Quote> => |crm| crm.quote_revisions(number);
                /// The quotes of an opportunity.
                fn of_opportunity(opportunity: OpportunityId) -> Vec<Quote>
                    => |crm| crm.quotes_of(opportunity);
                /// Turns an accepted quote into a sales order (once), and in the same
                /// transaction records the customer's purchases (one per line, at the price
                /// sold) and queues the order's hand-off to the ERP in the outbox.
                fn convert_to_order(id: QuoteId) at now -> SalesOrder
                    => |crm| crm.convert_quote_to_order(id, now);
                /// The ERP confirmed an order under its own reference.
                fn acknowledge_order(id: SalesOrderId, erp_reference: String) at now -> SalesOrder
                    => |crm| crm.acknowledge_order(id, &erp_reference, now);
                /// Records what was delivered on an order's lines (serial numbers for a
                /// serialised product: each unit becomes an asset with the product's warranty).
                fn fulfil_order(id: SalesOrderId, deliveries: Vec<LineFulfilment>) at now
                    -> Fulfilment
                    => |crm| crm.fulfil_order(id, deliveries, now);
                /// Cancels an order nothing of which was delivered (the ERP is told when it had
                /// the order).
                fn cancel_order(id: SalesOrderId, reason: String) at now -> SalesOrder
                    => |crm| crm.cancel_order(id, &reason, now);
                /// The sales orders with a status (`open`, `sent`, `acknowledged`,
                /// `partly_fulfilled`, `fulfilled`, `cancelled`).
                fn orders_with_status(status: SalesOrderStatus) -> Vec<SalesOrder>
                    => |crm| crm.orders_with_status(status);
                /// The purchases an order recorded.
                fn purchases_of_order(id: SalesOrderId) -> Vec<Purchase>
                    => |crm| crm.purchases_of_order(id);
                /// A sales order.
                fn sales_order(id: SalesOrderId) -> SalesOrder => |crm| crm.sales_order(id);
                /// Every sales order.
                fn sales_orders() -> Vec<SalesOrder>, every SalesOrder
                    => |crm| crm.sales_orders();
                /// A sales order's versioned ERP payload (every amount a decimal string).
                fn sales_order_payload(id: SalesOrderId) -> Json
                    => |crm| Ok(crm.sales_order(id)?.erp_payload());
                /// Sets an opportunity's amount to its quote's subtotal.
                fn follow_amount(id: QuoteId) at now -> Opportunity
                    => |crm| crm.follow_quote_amount(id, now);
                /// Prices lines without storing anything: discounts, taxes (included or added,
                /// compound) and rounding per line or on the totals, to the cent.
                fn price(
                    lines: Vec<PriceLine>,
                    currency: Currency,
                    rounding: Rounding,
                    document_discount: Option<Percent>,
                    taxes: Option<TaxTable>
                ) -> PricedDocument
                    => |_crm| $crate::quote::pricing::price_document(
                        &lines,
                        document_discount.unwrap_or(Percent::ZERO),
                        &taxes.unwrap_or_default(),
                        currency,
                        rounding,
                    );
            }
            /// Service: calendars, SLA policies, installed base, warranties, contracts, cases,
            /// field service and the knowledge base.
            service Service {
                /// Defines (or redefines) a business calendar.
                fn define_calendar(name: String, calendar: BusinessCalendar) at now -> CalendarRecord
                    => |crm| crm.define_calendar(&name, calendar, now);
                /// The business calendar called `name`, if any.
                fn calendar(name: String) -> Option<BusinessCalendar> => |crm| crm.calendar(&name);
                /// Defines (or redefines) an SLA policy.
                fn define_sla_policy(policy: SlaPolicy) at now -> SlaPolicyRecord
                    => |crm| crm.define_sla_policy(policy, now);
                /// The SLA policies, in the order they are matched.
                fn sla_policies() -> Vec<SlaPolicy> => |crm| crm.sla_policies();
                /// Registers an asset of the installed base (serial unique).
                fn register_asset(input: NewAsset) at now -> Asset
                    => |crm| crm.register_asset(input, now);
                /// Edits an asset read at `expected_version`: name, installation day, location.
                fn update_asset(id: AssetId, expected_version: Version, patch: AssetPatch)
                    at now -> Asset => |crm| crm.edit(id, expected_version, &patch, now);
                /// An asset.
                fn asset(id: AssetId) -> Asset => |crm| crm.asset(id);
                /// The asset with this serial number, if any.
                fn asset_by_serial(serial: String) -> Option<Asset>
                    => |crm| crm.asset_by_serial(&serial);
                /// The assets of an account.
                fn assets_of(account: AccountId) -> Vec<Asset> => |crm| crm.assets_of(account);
                /// Sets an asset's status.
                fn set_asset_status(id: AssetId, status: AssetStatus) at now -> Asset
                    => |crm| crm.set_asset_status(id, status, now);
                /// Adds a warranty to an asset.
                fn add_warranty(asset: AssetId, starts_on: NaiveDate, ends_on: NaiveDate,
                    terms: String) at now -> Warranty
                    => |crm| crm.add_warranty(asset, starts_on, ends_on, &terms, now);
                /// Creates a service contract.
                fn create_contract(input: NewContract) at now -> Contract
                    => |crm| crm.create_contract(input, now);
                /// Edits a service contract read at `expected_version`: name, SLA policy.
                fn update_contract(id: ContractId, expected_version: Version, patch: ContractPatch)
                    at now -> Contract => |crm| crm.edit(id, expected_version, &patch, now);
                /// A service contract.
                fn contract(id: ContractId) -> Contract => |crm| crm.contract(id);
                /// Cancels a service contract.
                fn cancel_contract(id: ContractId) at now -> Contract
                    => |crm| crm.cancel_contract(id, now);
                /// The warranties and contracts covering an asset on a day, and what is left.
                fn coverage(asset: AssetId, on: NaiveDate) -> Coverage
                    => |crm| crm.coverage(asset, on);
                /// Opens a case (numbered `CASE-<year>-<number>`).
                fn open_case(input: NewCase) at now -> Case => |crm| crm.open_case(input, now);
                /// Edits a case read at `expected_version`: subject, description, category,
                /// contact, asset, contract, owner (status and priority have their own use cases).
                fn update_case(id: CaseId, expected_version: Version, patch: CasePatch)
                    at now -> Case => |crm| crm.edit(id, expected_version, &patch, now);
                /// A case.
                fn case(id: CaseId) -> Case => |crm| crm.case(id);
                /// The case with this tracking number.
                fn case_by_number(number: String) -> Case => |crm| crm.case_by_number(&number);
                /// The cases of an account.
                fn cases_of(account: AccountId) -> Vec<Case> => |crm| crm.cases_of(account);
                /// Every case not closed.
                fn active_cases() -> Vec<Case> => |crm| crm.active_cases();
                /// Moves a case to another status (illegal moves refused).
                fn set_case_status(id: CaseId, to: CaseStatus) at now -> Case
                    => |crm| crm.set_case_status(id, to, now);
                /// Changes a case's priority.
                fn set_case_priority(id: CaseId, to: CasePriority) at now -> Case
                    => |crm| crm.set_case_priority(id, to, now);
                /// Adds a comment to a case (a customer reply reopens a pending case).
                fn comment_on_case(id: CaseId, comment: CaseComment) -> Case
                    => |crm| crm.comment_on_case(id, comment);
                /// A case's SLA state at an instant.
                fn case_sla(id: CaseId, at: DateTime<Utc>) -> CaseSla => |crm| crm.case_sla(id, at);
                /// The SLA state of every active case at an instant.
                fn sla_report(at: DateTime<Utc>) -> Vec<CaseSla>, async sla_report_async
                    => |crm| crm.sla_report(at);
                /// Raises each SLA warning and breach due at an instant, once.
                fn check_slas(at: DateTime<Utc>) -> Vec<RaisedAlert>, async check_slas_async
                    => |crm| crm.check_slas(at);
                /// Defines a technician (skills, calendar).
                fn define_technician(input: NewTechnician) at now -> Technician
                    => |crm| crm.define_technician(input, now);
                /// Edits a technician read at `expected_version`: name, skills, calendar.
                fn update_technician(
                    id: TechnicianId,
                    expected_version: Version,
                    patch: TechnicianPatch
                ) at now -> Technician => |crm| crm.edit(id, expected_version, &patch, now);
                /// Every technician.
                fn technicians() -> Vec<Technician>, every Technician
                    => |crm| crm.technicians();
                /// Creates a service order.
                fn create_service_order(input: NewServiceOrder) at now -> ServiceOrder
                    => |crm| crm.create_service_order(input, now);
                /// A service order.
                fn service_order(id: ServiceOrderId) -> ServiceOrder => |crm| crm.service_order(id);
                /// The orders assigned to a technician.
                fn orders_of_technician(id: TechnicianId) -> Vec<ServiceOrder>
                    => |crm| crm.orders_of_technician(id);
                /// Schedules the open service orders between two instants; reports what it
                /// cannot place.
                fn schedule_service_orders(start: DateTime<Utc>, until: DateTime<Utc>) at now
                    -> Schedule, async schedule_service_orders_async
                    => |crm| crm.schedule_service_orders(start, until, now);
                /// Completes a service order with the hours worked.
                fn complete_service_order(id: ServiceOrderId, hours: Decimal) at now -> ServiceOrder
                    => |crm| crm.complete_service_order(id, hours, now);
                /// Cancels a service order.
                fn cancel_service_order(id: ServiceOrderId) at now -> ServiceOrder
                    => |crm| crm.cancel_service_order(id, now);
                /// Defines a planned-maintenance plan.
                fn define_maintenance_plan(plan: NewMaintenancePlan) at now -> MaintenancePlan
                    => |crm| crm.define_maintenance_plan(plan, now);
                /// Generates the maintenance orders due through a day (each visit once).
                fn generate_maintenance_orders(through: NaiveDate) at now -> Vec<ServiceOrder>
                    => |crm| crm.generate_maintenance_orders(through, now);
                /// Writes a knowledge-base article.
                fn write_article(content: ArticleContent, status: ArticleStatus) at now -> Article
                    => |crm| crm.write_article(content, status, now);
                /// Changes an article: the given fields replace the stored ones.
                fn update_article(id: ArticleId, change: ArticleChange) at now -> Article
                    => |crm| crm.update_article(id, change, now);
                /// An article.
                fn article(id: ArticleId) -> Article => |crm| crm.article(id);
                /// An account's service standing on a day: contracts with what is left of them
                /// and their renewals, assets with their coverage, cases being worked.
                fn service_overview(account: AccountId, on: NaiveDate) -> ServiceOverview
                    => |crm| crm.service_overview(account, on);
                /// Opens a renewal opportunity for each contract in force ending within
                /// `days_before` days that has none yet.
                fn generate_renewals(spec: RenewalSpec) at now -> Vec<Opportunity>
                    => |crm| crm.generate_renewals(spec, now);
                /// Searches the published articles (BM25), best `k` first, within `filter` if given.
                fn search_articles(query: String, k: usize, filter: Option<SearchFilter>) -> Vec<SearchHit>
                    => |crm| crm.search_articles(&query, &filter.unwrap_or_default(), k);
            }
            /// The service desk's operations: queues of agents with skills, languages,
            /// availability and capacity; routing rules that file new cases into queues and
            /// pick their agents; assignment, transfer and each queue's worklist.
            desk Desk {
                /// Creates or replaces (by name) a queue: its members and how it gives cases
                /// out (`round_robin`, `least_loaded`, `manual`).
                fn define_queue(spec: QueueSpec) at now -> Queue
                    => |crm| crm.define_queue(spec, now);
                /// Removes a queue no routing rule files into and no case being worked is in.
                fn remove_queue(name: String) at now -> Queue
                    => |crm| crm.remove_queue(&name, now);
                /// Every queue, by name.
                fn queues() -> Vec<Queue> => |crm| crm.queues();
                /// Creates or replaces (by login) an agent's profile: skills, languages,
                /// availability and capacity.
                fn set_agent(spec: AgentSpec) at now -> Agent => |crm| crm.set_agent(spec, now);
                /// Every agent's profile, by login.
                fn agents() -> Vec<Agent> => |crm| crm.agents();
                /// Creates or replaces (by name) a routing rule: the new cases meeting its
                /// conditions go to its queue, to an agent with its skills.
                fn define_routing_rule(spec: RoutingRuleSpec) at now -> RoutingRule
                    => |crm| crm.define_routing_rule(spec, now);
                /// Removes a routing rule.
                fn remove_routing_rule(name: String) at now -> RoutingRule
                    => |crm| crm.remove_routing_rule(&name, now);
                /// The routing rules in the order they are tried.
                fn routing_rules() -> Vec<RoutingRule> => |crm| crm.routing_rules();
                /// Gives a case to an agent (none: back to its queue).
                fn assign_case(id: CaseId, owner: Option<String>) at now -> Case
                    => |crm| crm.assign_case(id, owner, now);
                /// Moves a case to another queue, which gives it to one of its agents.
                fn transfer_case(id: CaseId, queue: String) at now -> Case
                    => |crm| crm.transfer_case(id, &queue, now);
                /// Routes a case again by the routing rules.
                fn route_case(id: CaseId) at now -> Case => |crm| crm.route_case(id, now);
                /// The cases being worked in a queue, most urgent first, then oldest.
                fn queue_cases(queue: String) -> Vec<Case> => |crm| crm.queue_cases(&queue);
                /// Creates or replaces (by name) an escalation rule: on an SLA warning or
                /// breach, or a case's age, it transfers, assigns, raises the priority,
                /// notifies (an outbox delivery) or opens a task; `service.check_slas` runs
                /// the rules, each once per case and trigger.
                fn define_escalation_rule(spec: EscalationRuleSpec) at now -> EscalationRule
                    => |crm| crm.define_escalation_rule(spec, now);
                /// Removes an escalation rule.
                fn remove_escalation_rule(name: String) at now -> EscalationRule
                    => |crm| crm.remove_escalation_rule(&name, now);
                /// Every escalation rule, by name.
                fn escalation_rules() -> Vec<EscalationRule> => |crm| crm.escalation_rules();
                /// Sends a CSAT survey (1–5) for a solved case, open `valid_days`; its token
                /// goes in the link the host mails. One per case.
                fn send_csat_survey(id: CaseId, valid_days: u32) at now -> Survey
                    => |crm| crm.send_csat_survey(id, valid_days, now);
                /// Sends an NPS survey (0–10) for an account, to one of its contacts if given.
                fn send_nps_survey(account: AccountId, valid_days: u32,
                    contact: Option<ContactId>) at now -> Survey
                    => |crm| crm.send_nps_survey(account, contact, valid_days, now);
                /// The survey behind a token.
                fn survey(token: String) -> Survey => |crm| crm.survey(&token);
                /// Takes the answer to a survey: once, before it expires.
                fn answer_survey(token: String, score: u32, comment: Option<String>) at now
                    -> Survey => |crm| crm.answer_survey(&token, score, comment, now);
                /// CSAT over the surveys sent in `[start, until)`, by agent, queue or product.
                fn csat_report(start: DateTime<Utc>, until: DateTime<Utc>, by: SatisfactionBy)
                    -> Vec<SatisfactionRow> => |crm| crm.csat_report(start, until, by);
                /// NPS over the surveys sent in `[start, until)`.
                fn nps_report(start: DateTime<Utc>, until: DateTime<Utc>) -> NpsReport
                    => |crm| crm.nps_report(start, until);
            }
            /// Marketing: campaigns, segments, plans, attribution, reports and automation.
            marketing Marketing {
                /// Creates a campaign (code unique).
                fn create_campaign(input: NewCampaign) at now -> Campaign
                    => |crm| crm.create_campaign(input, now);
                /// Edits a campaign read at `expected_version`: name, target products, segments,
                /// geographies.
                fn update_campaign(id: CampaignId, expected_version: Version, patch: CampaignPatch)
                    at now -> Campaign => |crm| crm.edit(id, expected_version, &patch, now);
                /// Records a person's consent for a channel and purpose, with its source and
                /// proof (granting again renews it).
                fn grant_consent(consent: NewConsent) at now -> Consent
                    => |crm| crm.grant_consent(consent, now);
                /// Records a person's withdrawal of a consent, with its source.
                fn withdraw_consent(subject: RecordRef, channel: Channel, purpose: Purpose,
                    source: String) at now -> Consent
                    => |crm| crm.withdraw_consent(subject, channel, purpose, &source, now);
                /// A person's consents.
                fn consents_of(subject: RecordRef) -> Vec<Consent> => |crm| crm.consents_of(subject);
                /// Whether a person may be contacted by a channel for a purpose, and why:
                /// never when marked do-not-contact or withdrawn; marketing and newsletters
                /// only with a consent granted; service messages without one.
                fn may_contact(subject: RecordRef, channel: Channel, purpose: Purpose)
                    -> ContactDecision => |crm| crm.may_contact(subject, channel, purpose);
                /// Marks a person do-not-contact, or lifts the mark; whether it changed.
                fn set_do_not_contact(subject: RecordRef, on: bool, reason: Option<String>) at now
                    -> bool => |crm| crm.set_do_not_contact(subject, on, reason, now);
                /// The unsubscribe token of a person for a campaign, for the link in its
                /// e-mails (the same token every time).
                fn unsubscribe_token(subject: RecordRef, campaign: String) at now -> String
                    => |crm| crm.unsubscribe_token(subject, &campaign, now);
                /// Takes an unsubscribe posted back with its token: the person's e-mail
                /// marketing consent is withdrawn (`not_found` for a token never given out).
                fn unsubscribe(token: String) at now -> Consent => |crm| crm.unsubscribe(&token, now);
                /// The campaign with this code.
                fn campaign(code: String) -> Campaign => |crm| crm.campaign(&code);
                /// Every campaign.
                fn campaigns() -> Vec<Campaign>, every Campaign => |crm| crm.campaigns();
                /// Moves a campaign to another status.
                fn set_campaign_status(code: String, status: CampaignStatus) at now -> Campaign
                    => |crm| crm.set_campaign_status(&code, status, now);
                /// Records an ad's cost and impressions.
                fn record_ad_stats(code: String, ad: String, cost: Money, impressions: usize) at now
                    -> Campaign
                    => |crm| crm.record_ad_stats(&code, &ad, cost, impressions, now);
                /// Adds a cost to a campaign.
                fn add_campaign_cost(code: String, cost: Money) at now -> Campaign
                    => |crm| crm.add_campaign_cost(&code, cost, now);
                /// Adds leads or contacts to a campaign.
                fn add_campaign_members(code: String, subjects: Vec<RecordRef>) at now -> Campaign
                    => |crm| crm.add_campaign_members(&code, &subjects, now);
                /// Targets a segment with a campaign (its members join).
                fn target_segment(code: String, segment: String) at now -> Campaign
                    => |crm| crm.target_segment(&code, &segment, now);
                /// A campaign's members and how each responded.
                fn campaign_members(code: String) -> Vec<MemberResponse>
                    => |crm| crm.campaign_members(&code);
                /// Defines (or redefines) a segment and evaluates it.
                fn define_segment(name: String, subject: SegmentSubject, rule: Predicate) at now
                    -> SegmentEvaluation
                    => |crm| crm.define_segment(&name, subject, rule, now);
                /// Evaluates a segment again.
                fn evaluate_segment(name: String) at now -> SegmentEvaluation,
                    async evaluate_segment_async
                    => |crm| crm.evaluate_segment(&name, now);
                /// A segment.
                fn segment(name: String) -> Segment => |crm| crm.segment(&name);
                /// Defines (or redefines) a marketing plan.
                fn define_plan(name: String, targets: Vec<PlanTarget>) at now -> MarketingPlan
                    => |crm| crm.define_marketing_plan(&name, targets, now);
                /// A plan's targets against what happened.
                fn plan_vs_actual(name: String) -> Vec<PlanActualRow>
                    => |crm| crm.plan_vs_actual(&name);
                /// Credits won deals to touches with an attribution model.
                fn attribution(model: AttributionModel, currency: Currency, filter: Option<ReportFilter>)
                    -> AttributionReport, async attribution_async
                    => |crm| crm.attribution(model, currency, &filter.unwrap_or_default());
                /// Click-through, conversion, cost and ROI by ad, affiliate, campaign and channel.
                fn report(currency: Currency, filter: Option<ReportFilter>) -> MarketingReport,
                    async report_async
                    => |crm| crm.marketing_report(currency, &filter.unwrap_or_default());
                /// Products sold by period, prices, demographics, pipeline and win rates.
                fn sales_report(period: Period, currency: Currency, filter: Option<ReportFilter>)
                    -> SalesReport, async sales_report_async
                    => |crm| crm.sales_report(period, currency, &filter.unwrap_or_default());
                /// Defines (or redefines) an automation rule.
                fn define_automation_rule(name: String, trigger: Trigger, actions: Vec<Action>,
                    once_per_record: bool) at now -> AutomationRule
                    => |crm| crm.define_automation_rule(&name, trigger, actions, once_per_record, now);
                /// Runs the automation rules over the events since the last run.
                fn run_automation(max_events: usize) at now -> AutomationRun,
                    async run_automation_async
                    => |crm| crm.run_automation(now, max_events);
                /// The actions waiting for the host to carry them out.
                fn pending_actions() -> Vec<AutomationAction>
                    => |crm| crm.pending_automation_actions();
                /// Marks an action carried out (or failed, with the reason).
                fn finish_action(id: AutomationActionId, failure: Option<String>) at now
                    -> AutomationAction
                    => |crm| crm.finish_automation_action(id, failure, now);
                /// Applies a built-in action (a field update, a task) in the CRM itself.
                fn apply_action(id: AutomationActionId) at now -> AutomationAction
                    => |crm| crm.apply_automation_action(id, now);
            }
            /// Scoring of stored leads and customers: rules, model files, training sets,
            /// feature rows; customer models (cross-sell, churn, value) fitted, evaluated,
            /// ranked, recommended and written back.
            scoring Scoring {
                /// Re-scores every open lead with a rule set; writes only changed scores.
                fn rescore_leads(rules: RuleSet) at now -> RescoreReport,
                    async rescore_leads_async
                    => |crm| crm.rescore_leads(&rules, now);
                /// Re-scores every open lead with a model file.
                fn rescore_leads_with_model(model: ModelFile) at now -> RescoreReport,
                    async rescore_leads_with_model_async
                    => |crm| crm.rescore_leads_with_model(&model, now);
                /// The decided leads as a training set (features as of each decision).
                fn training_set(spec: FeatureSpec) -> TrainingSet => |crm| crm.training_set(spec);
                /// The feature rows of some leads as of `now`.
                fn lead_features(spec: FeatureSpec, leads: Vec<LeadId>) at now -> FeatureRows
                    => |crm| crm.lead_features(&spec, &leads, now);
                /// The customers at `cutoff` as a training set for `target`: features as of the
                /// cut-off, labels from the period after it (which must have passed by `now`).
                fn customer_training_set(spec: FeatureSpec, target: CustomerTarget,
                    cutoff: DateTime<Utc>) at now -> CustomerTrainingSet,
                    async customer_training_set_async
                    => |crm| crm.customer_training_set(spec, target, cutoff, now);
                /// The feature rows of some customers as of `now`.
                fn customer_features(spec: FeatureSpec, contacts: Vec<ContactId>) at now
                    -> CustomerRows
                    => |crm| crm.customer_features(&spec, &contacts, now);
                /// Fits a customer model (cross-sell, churn: logistic; value: an RFM grid) on
                /// the customers at `cutoff`; a model file that scores customers.
                fn fit_customer_model(spec: FeatureSpec, target: CustomerTarget,
                    cutoff: DateTime<Utc>, options: Option<CustomerFitOptions>) at now
                    -> ModelFile, async fit_customer_model_async
                    => |crm| crm.fit_customer_model(spec, target, cutoff,
                        options.unwrap_or_default(), now);
                /// How a customer model does on the period after `cutoff`: AUC, log-loss,
                /// calibration and the recency baseline; or errors against last period's.
                fn evaluate_customer_model(model: ModelFile, cutoff: DateTime<Utc>) at now
                    -> CustomerModelEvaluation, async evaluate_customer_model_async
                    => |crm| crm.evaluate_customer_model(&model, cutoff, now);
                /// The customers a model rates highest (likeliest to buy, most at risk, most
                /// valuable), with reasons; among `contacts` when given.
                fn predict_customers(model: ModelFile, limit: usize,
                    contacts: Option<Vec<ContactId>>) at now -> Vec<CustomerPrediction>,
                    async predict_customers_async
                    => |crm| crm.predict_customers(&model, contacts.as_deref(), limit, now);
                /// Each model's prediction for one customer with its reasons, strongest
                /// first: the products to offer, the risks to act on.
                fn recommend(contact: ContactId, models: Vec<NamedModel>) at now
                    -> Vec<Recommendation>
                    => |crm| crm.recommend(contact, &models, now);
                /// Re-scores every contact with a customer model; writes the prediction under
                /// `name` only where it changed (segments read `prediction:<name>`).
                fn rescore_customers(name: String, model: ModelFile) at now -> RescoreReport,
                    async rescore_customers_async
                    => |crm| crm.rescore_customers(&name, &model, now);
                /// The accounts a churn model puts most at risk, riskiest first: each
                /// account's risk weighted by its customers' recent revenue, the revenue at
                /// stake, its riskiest customer and the reasons.
                fn accounts_at_risk(model: ModelFile, limit: usize) at now
                    -> Vec<AccountRisk>, async accounts_at_risk_async
                    => |crm| crm.accounts_at_risk(&model, limit, now);
            }
            /// The event log: every change, in order.
            events Events {
                /// Up to `limit` events after the cursor `after_sequence` (0: from the start).
                fn since(after_sequence: u64, limit: usize) -> Vec<EventEnvelope>
                    => |crm| crm.events_since(after_sequence, limit);
                /// Up to `limit` events after `after_sequence`, waiting up to `timeout_ms` for
                /// the first when there are none yet (woken by commits of every process on
                /// the database); empty when the time is up.
                fn wait_for(after_sequence: u64, limit: usize, timeout_ms: u64)
                    -> Vec<EventEnvelope>, async wait_for_async
                    => |crm| crm.wait_for_events(after_sequence, limit, timeout_ms);
            }
            /// The outbox: what the CRM owes other systems (sales orders to the ERP), taken
            /// by the host's worker, sent, and reported back; retried with backoff, dead
            /// after too many failures until retried by hand.
            outbox Outbox {
                /// Takes up to `limit` deliveries due now (for one target when given), each
                /// leased to the caller until it reports.
                fn take(limit: usize, target: Option<String>) at now -> Vec<Delivery>
                    => |crm| crm.take_deliveries(target.as_deref(), limit, now);
                /// The receiver has a delivery (with what it answered).
                fn succeed(id: DeliveryId, reply: Option<Json>) at now -> Delivery
                    => |crm| crm.delivery_succeeded(id, reply, now);
                /// A delivery's attempt failed: due again after a backoff, or dead.
                fn fail(id: DeliveryId, error: String) at now -> Delivery
                    => |crm| crm.delivery_failed(id, &error, now);
                /// Makes a dead delivery due again.
                fn retry(id: DeliveryId) at now -> Delivery => |crm| crm.retry_delivery(id, now);
                /// A delivery.
                fn get(id: DeliveryId) -> Delivery => |crm| crm.delivery(id);
                /// The deliveries with a status (`pending`, `in_flight`, `delivered`, `dead`,
                /// `cancelled`).
                fn with_status(status: DeliveryStatus) -> Vec<Delivery>
                    => |crm| crm.deliveries(status);
            }
            /// Every kind of record alike: archive and restore, delete with what depends on
            /// it, and history.
            records Records {
                /// Archives a record (`lead:42`) read at `expected_version`: it leaves listings,
                /// reports, segments and duplicate checks and stays readable by id. Returns its
                /// new version.
                fn archive(record: RecordKey, expected_version: Version) at now -> Version
                    => |crm| crm.archive(record, expected_version, now);
                /// Restores an archived record. Returns its new version.
                fn restore(record: RecordKey, expected_version: Version) at now -> Version
                    => |crm| crm.restore(record, expected_version, now);
                /// Whether a record is archived.
                fn is_archived(record: RecordKey) -> bool => |crm| crm.is_archived(record);
                /// Archived records of a kind as their stored documents, in id order: up to
                /// `limit` after the id `after` (0: from the first).
                fn archived(kind: EntityKind, after: u64, limit: usize) -> Vec<Json>
                    => |crm| crm.archived(kind, after, limit);
                /// Deletes a record read at `expected_version`. While records depend on it the
                /// delete is refused (`in_use`) unless `on_dependants` cascades or re-points;
                /// owned records (a lead's touchpoints) go with it.
                fn delete(record: RecordKey, expected_version: Version,
                    on_dependants: Option<OnDependants>) at now -> Deleted
                    => |crm| crm.delete(
                        record,
                        expected_version,
                        on_dependants.unwrap_or_default(),
                        now,
                    );
                /// A record's history, oldest first: every event about it with who did it and,
                /// for edits, each field's old and new value.
                fn history(record: RecordKey) -> Vec<HistoryEntry> => |crm| crm.history(record);
                /// Links a record to its id in another system (`erp`, `shop`): one id per record
                /// and system, and an id names one record of the kind in its system
                /// (`duplicate` otherwise). Linking again with a new id replaces the old one.
                fn link_external(record: RecordKey, system: String, external_id: String) at now
                    -> ExternalLink => |crm| crm.link_external(record, &system, &external_id, now);
                /// Removes a record's id in a system; whether it had one.
                fn unlink_external(record: RecordKey, system: String) at now -> bool
                    => |crm| crm.unlink_external(record, &system, now);
                /// The record of a kind that has this id in a system, if any.
                fn find_external(kind: EntityKind, system: String, external_id: String)
                    -> Option<RecordKey> => |crm| crm.find_external(kind, &system, &external_id);
                /// A record's ids in other systems.
                fn external_ids(record: RecordKey) -> Vec<ExternalLink>
                    => |crm| crm.external_ids(record);
                /// One page of the records of a kind, as their stored documents: filtered (every
                /// condition holds), sorted (the id breaks ties) and paged by cursor (`next` is
                /// where the next page starts; stable while records are written). At most 1000 a
                /// page (50 when the query does not say).
                fn page(kind: EntityKind, query: Option<ListQuery>) -> Page
                    => |crm| crm.list_page(kind, &query.unwrap_or_default());
                /// Searches records by their words (leads, contacts, accounts, opportunities,
                /// cases, published articles, or the kinds asked for): records holding every
                /// word first, best first, each with the field that matched and a snippet;
                /// archived records are not found.
                fn search(query: SearchQuery) -> Vec<SearchResult> => |crm| crm.search(&query);
                /// Exports the live records of a kind that the options select into a new file
                /// at `path`: CSV (one column per field, nested fields as dotted paths), JSON
                /// lines (the stored documents) or Parquet (typed columns), in id order,
                /// streamed.
                fn export(kind: EntityKind, path: String, options: ExportOptions) -> ExportReport,
                    async export_async
                    => |crm| crm.export_to_file(kind, &path, &options);
                /// Imports records of a kind (lead, account, contact, purchase, activity,
                /// opportunity, asset, contract, service_case, campaign) from the CSV or JSON
                /// lines file at `path`, in any text encoding: columns are dotted field paths
                /// (an export imports back), `path@key` links by natural key
                /// (`account@name`), `external_system` upserts by external id, `created_at`
                /// is honoured; bad rows (or, lenient, bad values) are left out and every
                /// problem reported.
                fn import_file(kind: EntityKind, path: String, options: Option<ImportRecordsOptions>)
                    at now -> ImportRecordsReport, async import_file_async
                    => |crm| crm.import_file(kind, &path, &options.unwrap_or_default(), now);
                /// How many records of a kind match a filter (every condition holds).
                fn count(kind: EntityKind, filter: Option<Vec<FieldCondition>>) -> usize
                    => |crm| crm.count_records(kind, &filter.unwrap_or_default());
            }
            /// Personal data of one person (by lead, contact or e-mail address): export and
            /// erase (GDPR articles 15, 17 and 20).
            privacy Privacy {
                /// Everything held about a person as one JSON document: their leads and
                /// contacts, every record hanging on them, every event about them.
                fn export_person(person: Person) at now -> Json
                    => |crm| crm.export_person(&person, now);
                /// Erases a person: their leads and contacts blanked, what exists only
                /// because of them deleted, their identifiers removed from kept records and
                /// from the event log; afterwards nothing of them is left in the store's
                /// files.
                fn erase_person(person: Person) at now -> Erasure
                    => |crm| crm.erase_person(&person, now);
            }
            /// Duplicate rules per kind and the review list of possible duplicates.
            duplicates Duplicates {
                /// The rules stored records of `kind` (`lead`, `contact`) are matched by: which
                /// keys (e-mail, phone, name), exact or fuzzy names, thresholds.
                fn rules(kind: EntityKind) -> DuplicateRules => |crm| crm.duplicate_rules(kind);
                /// Sets the rules stored records of `kind` are matched by.
                fn set_rules(kind: EntityKind, rules: DuplicateRules) at now -> DuplicateRules
                    => |crm| crm.set_duplicate_rules(kind, rules, now);
                /// One page of the review list in a status (`open`, `merged`,
                /// `not_duplicate`), as stored documents; the query may filter further.
                fn reviews(status: ReviewStatus, query: Option<ListQuery>) -> Page
                    => |crm| crm.duplicate_reviews(status, query);
                /// One review.
                fn review(id: DuplicateReviewId) -> DuplicateReview
                    => |crm| crm.duplicate_review(id);
                /// Resolves an open review read at `expected_version`: merge the pair into the
                /// survivor, or remember that they are different people (never reported
                /// again).
                fn resolve(id: DuplicateReviewId, expected_version: Version,
                    resolution: Resolution) at now -> DuplicateReview
                    => |crm| crm.resolve_duplicate(id, expected_version, &resolution, now);
            }
            /// Typed custom fields: definitions per record kind, checked on every write, and
            /// their versioned redefinition.
            custom_fields CustomFields {
                /// Defines a custom field of a kind (`lead`, `account`, `contact`,
                /// `opportunity`, `activity`, `purchase`, `service_case`, `asset`, `contract`,
                /// `campaign`). A required field is filled in with its default on the stored
                /// records.
                fn define(field: NewCustomField) at now -> CustomField
                    => |crm| crm.define_custom_field(field, now);
                /// Redefines a field read at `expected_version` (label, type, picklist values,
                /// required, default): every stored value must fit the new definition, or the
                /// change is refused naming the records.
                fn redefine(kind: EntityKind, name: String, expected_version: Version,
                    spec: CustomFieldSpec) at now -> CustomFieldChange
                    => |crm| crm.redefine_custom_field(kind, &name, expected_version.get(), spec, now);
                /// Renames a field, moving every record's value with it.
                fn rename(kind: EntityKind, name: String, expected_version: Version, to: String)
                    at now -> CustomFieldChange
                    => |crm| crm.rename_custom_field(kind, &name, expected_version.get(), &to, now);
                /// Removes a field; `in_use` while records hold values unless `purge` removes
                /// them too.
                fn remove(kind: EntityKind, name: String, expected_version: Version,
                    purge: bool) at now -> CustomFieldChange
                    => |crm| crm.remove_custom_field(kind, &name, expected_version.get(), purge, now);
                /// The custom fields of a kind, by name.
                fn list(kind: EntityKind) -> Vec<CustomField> => |crm| crm.custom_fields_of(kind);
                /// One custom field, if the kind has it.
                fn get(kind: EntityKind, name: String) -> Option<CustomField>
                    => |crm| crm.custom_field(kind, &name);
            }
            /// Access control: users, teams, roles, permission sets, organisation-wide
            /// defaults, sharing rules and manual shares, and how far the handle's user may go
            /// with a record. A handle bound to a user (`as_user`) is refused (`forbidden`)
            /// what that user may not do.
            access Access {
                /// Creates or replaces the user with this login (active, locale, time zone,
                /// manager, role, permission sets).
                fn set_user(spec: UserSpec) at now -> User => |crm| crm.set_user(spec, now);
                /// The user with a login, if any.
                fn user(login: String) -> Option<User> => |crm| crm.user(&login);
                /// Every user, in id order.
                fn users() -> Vec<User>, every User => |crm| crm.users();
                /// Creates or replaces a team and its members; records it owns name
                /// `team:<name>` as their owner.
                fn set_team(spec: TeamSpec) at now -> Team => |crm| crm.set_team(spec, now);
                /// Every team, in id order.
                fn teams() -> Vec<Team>, every Team => |crm| crm.teams();
                /// Creates or replaces a role: the role above it, its permission sets, the
                /// fields hidden or read-only for its users.
                fn set_role(spec: RoleSpec) at now -> Role => |crm| crm.set_role(spec, now);
                /// Every role, in id order.
                fn roles() -> Vec<Role>, every Role => |crm| crm.roles();
                /// Creates or replaces a permission set: read / create / edit / delete /
                /// export, view all and modify all per kind, and system permissions.
                fn set_permission_set(spec: PermissionSetSpec) at now -> PermissionSet
                    => |crm| crm.set_permission_set(spec, now);
                /// Every permission set, in id order.
                fn permission_sets() -> Vec<PermissionSet>, every PermissionSet
                    => |crm| crm.permission_sets();
                /// Sets the organisation-wide default of a kind with owners: `private`,
                /// `public_read` or `public_read_write`.
                fn set_org_default(kind: EntityKind, access: OrgDefault) at now
                    -> OrgDefaultSetting => |crm| crm.set_org_default(kind, access, now);
                /// The organisation-wide defaults that were set (the others are private).
                fn org_defaults() -> Vec<OrgDefaultSetting>, every OrgDefaultSetting
                    => |crm| crm.org_defaults();
                /// Creates or replaces a sharing rule: the records of a kind matching its
                /// filter shared, read or edit, with a user, team, role or role and below.
                fn set_sharing_rule(spec: SharingRuleSpec) at now -> SharingRule
                    => |crm| crm.set_sharing_rule(spec, now);
                /// Removes a sharing rule.
                fn remove_sharing_rule(name: String) at now -> SharingRule
                    => |crm| crm.remove_sharing_rule(&name, now);
                /// Every sharing rule, in id order.
                fn sharing_rules() -> Vec<SharingRule>, every SharingRule
                    => |crm| crm.sharing_rules();
                /// Shares one record (`lead:7`), read or edit, with a user or a team.
                fn share(record: RecordKey, grantee: GranteeRef, access: ShareAccess) at now
                    -> Share => |crm| crm.share_record(record, grantee, access, now);
                /// Takes a manual share back.
                fn unshare(share: ShareId) at now -> Share => |crm| crm.unshare(share, now);
                /// The manual shares of one record.
                fn shares_of(record: RecordKey) -> Vec<Share> => |crm| crm.shares_of(record);
                /// Creates or replaces an assignment rule: new leads or service cases without an
                /// owner matching its filter go to a user, a team, a team's members in turn
                /// (`round_robin`) or the member with the fewest open records
                /// (`least_loaded`); rules are tried by `order`.
                fn set_assignment_rule(spec: AssignmentRuleSpec) at now -> AssignmentRule
                    => |crm| crm.set_assignment_rule(spec, now);
                /// Removes an assignment rule.
                fn remove_assignment_rule(name: String) at now -> AssignmentRule
                    => |crm| crm.remove_assignment_rule(&name, now);
                /// Every assignment rule, in id order.
                fn assignment_rules() -> Vec<AssignmentRule>, every AssignmentRule
                    => |crm| crm.assignment_rules();
                /// Gives every lead, account, contact, opportunity, activity and case owned by
                /// `owner` (a login, `team:<name>`, or an owner text from before users
                /// existed) to the user or `team:<name>` `new_owner`; the records given.
                fn transfer_records(owner: String, new_owner: String) at now -> Vec<RecordKey>
                    => |crm| crm.transfer_records(&owner, &new_owner, now);
                /// How far the handle's user may go with a record: `none`, `read`, `edit` or
                /// `full`.
                fn access_to(record: RecordKey) -> Level => |crm| crm.access_to(record);
            }
        }
    };
}
