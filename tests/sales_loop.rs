//! The sales loop closed, end to end on the SQLite store with crashes between steps: a
//! lead converts, its quote is accepted (winning the deal, as the pipeline says), the
//! order records the customer's purchases and reaches a fake ERP that fails twice, takes
//! the order while the worker crashes before reporting, and dedupes the second sending;
//! the ERP acknowledges, the delivery installs the serialised units as assets with their
//! warranty. Every "crash" drops the handle and reopens the file: nothing is lost and
//! nothing is done twice.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use crm::crm::convert::{ConvertOptions, OpportunityDraft};
use crm::id::{QuoteId, RecordRef, SalesOrderId};
use crm::outbox::{Delivery, DeliveryStatus};
use crm::quote::catalog::{Product, WarrantyTerms};
use crm::quote::order::{LineFulfilment, SalesOrderStatus};
use crm::quote::pricing::{Discount, PriceLine, Rounding, RoundingStrategy, TaxRate, TaxTable};
use crm::quote::{QuoteContent, QuoteLine};
use crm::sales::{OnQuoteAccepted, Pipeline, StageKind};
use crm::store::{EntityKind, Store};
use crm::{
    Crm, Currency, ErrorKind, LeadField, LeadInput, Money, Percent, Region, RoundingMode,
    SqliteStore,
};
use rust_decimal::Decimal;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap()
}

fn open(path: &Path) -> Crm<SqliteStore> {
    Crm::new(
        SqliteStore::open(path).unwrap(),
        Region::parse("DE").unwrap(),
    )
}

/// An ERP that is down for its first `down` calls and keeps one order per idempotency key.
struct FakeErp {
    down: u32,
    calls: u32,
    orders: BTreeMap<String, String>,
}

impl FakeErp {
    fn receive(&mut self, d: &Delivery) -> Result<serde_json::Value, String> {
        self.calls += 1;
        if self.calls <= self.down {
            return Err(format!("503 from the ERP (call {})", self.calls));
        }
        let n = self.orders.len() + 1;
        let id = self
            .orders
            .entry(d.idempotency_key.clone())
            .or_insert_with(|| format!("SO-{n:04}"))
            .clone();
        Ok(serde_json::json!({ "erp_id": id }))
    }
}

/// A converted lead's accepted quote: 2 serialised servers and 10 hours of installation.
fn sell<S: Store>(crm: &Crm<S>) -> QuoteId {
    let pipeline = crm
        .define_pipeline("Sales", Pipeline::default_stages(), t0())
        .unwrap();
    crm.set_quote_acceptance(
        pipeline.id,
        OnQuoteAccepted {
            follow_amount: true,
            stage: Some("won".into()),
        },
        t0(),
    )
    .unwrap();
    crm.define_product(
        Product {
            sku: "SRV-9".into(),
            name: "Server 9".into(),
            unit: "each".into(),
            active: true,
            option_groups: vec![],
            constraints: vec![],
            serialised: true,
            warranty: Some(WarrantyTerms {
                months: 24,
                terms: "Parts and labour".into(),
            }),
        },
        t0(),
    )
    .unwrap();
    let lead = crm
        .capture_lead(
            &LeadInput::new()
                .with(LeadField::FirstName, "Grace")
                .with(LeadField::LastName, "Hopper")
                .with(LeadField::Company, "Navy Labs")
                .with(LeadField::Email, "grace@navylabs.example"),
            t0(),
        )
        .unwrap()
        .lead;
    crm.qualify(lead.id, t0()).unwrap();
    let conversion = crm
        .convert_lead(
            lead.id,
            &ConvertOptions {
                opportunity: Some(OpportunityDraft {
                    name: None,
                    pipeline: pipeline.id,
                    stage: None,
                    amount: Money::parse("5000", "EUR").unwrap(),
                    expected_close: NaiveDate::from_ymd_opt(2027, 1, 31).unwrap(),
                    products: vec!["SRV-9".into()],
                }),
                ..ConvertOptions::default()
            },
            t0(),
        )
        .unwrap();
    let opportunity = conversion.opportunity.unwrap();
    let eur = |a: &str| Money::parse(a, "EUR").unwrap();
    let line = |sku: &str, qty: u32, price: &str| QuoteLine {
        description: sku.into(),
        sku: Some(sku.into()),
        options: vec![],
        unit: None,
        price: PriceLine {
            quantity: Decimal::from(qty),
            unit_price: eur(price),
            discount: Discount::Percent(Percent::parse("5").unwrap()),
            tax_codes: vec!["VAT19".into()],
        },
        special_instructions: Some("Rack 4".into()),
    };
    let quote = crm
        .create_quote(
            QuoteContent {
                account: conversion.account.id,
                opportunity: Some(opportunity.id),
                contact: Some(conversion.contact.id),
                currency: Currency::parse("EUR").unwrap(),
                valid_until: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
                lines: vec![line("SRV-9", 2, "3333.33"), line("INSTALL", 10, "95.00")],
                document_discount: Percent::ZERO,
                taxes: TaxTable::new(vec![TaxRate {
                    code: "VAT19".into(),
                    rate: Percent::parse("19").unwrap(),
                    included_in_price: false,
                    compound: false,
                }])
                .unwrap(),
                rounding: Rounding {
                    mode: RoundingMode::HalfUp,
                    strategy: RoundingStrategy::PerLine,
                },
            },
            t0(),
        )
        .unwrap();
    crm.send_quote(quote.id, t0()).unwrap();
    let accepted = crm.accept_quote(quote.id, t0()).unwrap();
    let won = crm.opportunity(opportunity.id).unwrap();
    assert_eq!(
        won.state,
        StageKind::Won,
        "the pipeline's rule wins the deal"
    );
    assert_eq!(won.amount, accepted.priced.subtotal);
    quote.id
}

/// One round of the host's ERP worker at `now`: every due delivery sent and reported,
/// unless `crash_after_send` (the worker dies between sending and reporting).
fn worker_round<S: Store>(
    crm: &Crm<S>,
    erp: &mut FakeErp,
    now: DateTime<Utc>,
    crash_after_send: bool,
) -> usize {
    let due = crm.take_deliveries(Some("erp"), 10, now).unwrap();
    for d in &due {
        match erp.receive(d) {
            _ if crash_after_send => return due.len(),
            Ok(reply) => {
                crm.delivery_succeeded(d.id, Some(reply), now).unwrap();
            }
            Err(e) => {
                crm.delivery_failed(d.id, &e, now).unwrap();
            }
        }
    }
    due.len()
}

#[test]
fn a_sale_closes_itself_out_through_crashes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crm.db");
    let quote = sell(&open(&path));

    // crash between acceptance and the order: the order is made once
    let crm = open(&path);
    let order = crm.convert_quote_to_order(quote, t0()).unwrap();
    assert_eq!(
        crm.convert_quote_to_order(quote, t0()).unwrap_err().kind(),
        ErrorKind::Duplicate
    );
    let purchases = crm.purchases_of_order(order.id).unwrap();
    let totals: Vec<String> = purchases.iter().map(|p| p.total().to_string()).collect();
    // 2 × 3333.33 less 5 % = 6333.33 (per-line rounding), 10 × 95 less 5 % = 902.50
    assert_eq!(totals, ["6333.33 EUR", "902.50 EUR"]);
    assert_eq!(purchases[0].unit_price.to_string(), "3166.67 EUR");
    assert!(purchases.iter().all(|p| {
        p.sales_order == Some(order.id) && p.special_instructions.as_deref() == Some("Rack 4")
    }));
    let buyer = purchases[0].contact;
    assert_eq!(crm.purchases_of(buyer).unwrap().len(), 2);
    drop(crm);

    // the ERP is down twice, then takes the order while the worker crashes
    let mut erp = FakeErp {
        down: 2,
        calls: 0,
        orders: BTreeMap::new(),
    };
    let crm = open(&path);
    let mut now = t0();
    for _ in 0..2 {
        assert_eq!(worker_round(&crm, &mut erp, now, false), 1);
        let d = &crm.deliveries(DeliveryStatus::Pending).unwrap()[0];
        assert!(d.next_attempt_at > now, "backs off");
        assert_eq!(worker_round(&crm, &mut erp, now, false), 0, "not due yet");
        now = d.next_attempt_at;
    }
    assert_eq!(worker_round(&crm, &mut erp, now, true), 1);
    drop(crm);

    // after the crash: nothing due until the lease runs out, then sent again and deduped
    let crm = open(&path);
    assert_eq!(worker_round(&crm, &mut erp, now, false), 0);
    now += Duration::seconds(300);
    assert_eq!(worker_round(&crm, &mut erp, now, false), 1);
    assert_eq!(erp.orders.len(), 1, "the ERP has the order once");
    let delivered = crm.deliveries(DeliveryStatus::Delivered).unwrap();
    assert_eq!(
        (
            delivered.len(),
            delivered[0].attempts,
            delivered[0].failures
        ),
        (1, 4, 2)
    );
    let erp_id = delivered[0].reply.as_ref().unwrap()["erp_id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        crm.sales_order(order.id).unwrap().status,
        SalesOrderStatus::Sent
    );
    crm.acknowledge_order(order.id, &erp_id, now).unwrap();
    drop(crm);

    // the servers arrive one at a time; a bad delivery note changes nothing
    let crm = open(&path);
    let part = |line: u32, qty: u32, serials: &[&str]| LineFulfilment {
        line,
        quantity: Decimal::from(qty),
        serials: serials.iter().map(|s| s.to_string()).collect(),
    };
    let events = crm.events_since(0, usize::MAX).unwrap().len();
    for bad in [
        vec![part(0, 2, &["S-1"])],
        vec![part(0, 2, &["S-1", "s-1 "])],
        vec![part(1, 1, &["S-9"])],
    ] {
        assert_eq!(
            crm.fulfil_order(order.id, bad, now).unwrap_err().kind(),
            ErrorKind::Validation
        );
    }
    assert_eq!(crm.events_since(0, usize::MAX).unwrap().len(), events);
    let day = NaiveDate::from_ymd_opt(2026, 12, 10).unwrap();
    let delivery_day = day.and_hms_opt(8, 0, 0).unwrap().and_utc();
    let first = crm
        .fulfil_order(order.id, vec![part(0, 1, &["S-1"])], delivery_day)
        .unwrap();
    assert_eq!(first.order.status, SalesOrderStatus::PartlyFulfilled);
    assert_eq!(first.assets.len(), 1);
    drop(crm);
    let crm = open(&path);
    assert_eq!(
        crm.fulfil_order(order.id, vec![part(0, 1, &["S-1"])], delivery_day)
            .unwrap_err()
            .kind(),
        ErrorKind::Duplicate,
        "a serial number is installed once"
    );
    let rest = crm
        .fulfil_order(
            order.id,
            vec![part(0, 1, &["S-2"]), part(1, 10, &[])],
            delivery_day,
        )
        .unwrap();
    assert_eq!(rest.order.status, SalesOrderStatus::Fulfilled);
    let assets = crm.assets_of(order.content.account).unwrap();
    assert_eq!(assets.len(), 2);
    for a in &assets {
        assert_eq!(
            (a.product.as_str(), a.sales_order, a.installed_on),
            ("SRV-9", Some(order.id), Some(day))
        );
        let coverage = crm
            .coverage(a.id, NaiveDate::from_ymd_opt(2028, 12, 9).unwrap())
            .unwrap();
        assert!(!coverage.warranties.is_empty(), "covered for 24 months");
        let after = crm
            .coverage(a.id, NaiveDate::from_ymd_opt(2028, 12, 10).unwrap())
            .unwrap();
        assert!(after.warranties.is_empty(), "and not a day longer");
    }
    // everything happened once, with its events
    let types: Vec<String> = crm
        .events_since(0, usize::MAX)
        .unwrap()
        .into_iter()
        .map(|e| e.event_type)
        .collect();
    let count = |t: &str| types.iter().filter(|x| *x == t).count();
    assert_eq!(count("SalesOrderCreated"), 1);
    assert_eq!(count("PurchaseRecorded"), 2);
    assert_eq!(count("DeliveryQueued"), 1);
    assert_eq!(count("AssetRegistered"), 2);
    assert_eq!(count("WarrantyAdded"), 2);
    assert_eq!(count("OpportunityWon"), 1);
    assert_eq!(count("SalesOrderStatusChanged"), 4);
    assert_eq!(crm.purchases_of(buyer).unwrap().len(), 2);

    // the customer's timeline shows all of it, newest first, in pages
    let account = RecordRef::Account(order.content.account);
    let all = crm.timeline(account, 100, None).unwrap();
    assert!(all.next.is_none());
    let kinds: BTreeMap<EntityKind, usize> =
        all.entries.iter().fold(BTreeMap::new(), |mut m, e| {
            *m.entry(e.record.kind()).or_default() += 1;
            m
        });
    assert_eq!(kinds[&EntityKind::Purchase], 2);
    assert_eq!(kinds[&EntityKind::Quote], 1);
    assert_eq!(kinds[&EntityKind::SalesOrder], 1);
    assert_eq!(kinds[&EntityKind::Asset], 2);
    assert!(all.entries.windows(2).all(|w| w[0].at >= w[1].at));
    let mut paged = Vec::new();
    let mut before = None;
    loop {
        let page = crm.timeline(account, 2, before.as_deref()).unwrap();
        assert!(page.entries.len() <= 2);
        paged.extend(page.entries);
        match page.next {
            Some(next) => before = Some(next),
            None => break,
        }
    }
    assert_eq!(paged, all.entries, "pages add up to the whole");
    let mine = crm.timeline(RecordRef::Contact(buyer), 100, None).unwrap();
    assert_eq!(
        mine.entries
            .iter()
            .filter(|e| e.record.kind() == EntityKind::Purchase)
            .count(),
        2
    );
    assert_eq!(
        crm.timeline(account, 10, Some("yesterday"))
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidValue
    );
}

#[test]
fn a_delivery_that_keeps_failing_dies_and_is_retried_by_hand() {
    let crm = Crm::new(crm::store::MemoryStore::new(), Region::parse("DE").unwrap());
    let quote = sell(&crm);
    let order = crm.convert_quote_to_order(quote, t0()).unwrap();
    let mut erp = FakeErp {
        down: u32::MAX,
        calls: 0,
        orders: BTreeMap::new(),
    };
    let mut now = t0();
    let mut waits = Vec::new();
    while let Some(d) = crm.deliveries(DeliveryStatus::Pending).unwrap().first() {
        waits.push((d.next_attempt_at - now).num_seconds());
        now = d.next_attempt_at;
        worker_round(&crm, &mut erp, now, false);
    }
    assert_eq!(waits, [0, 60, 120, 240, 480, 960, 1920, 3840]);
    let dead = crm.deliveries(DeliveryStatus::Dead).unwrap();
    assert_eq!((dead.len(), dead[0].attempts), (1, 8));
    assert!(dead[0].last_error.as_deref().unwrap().contains("503"));
    let much_later = now + Duration::days(30);
    assert!(
        crm.take_deliveries(None, 10, much_later)
            .unwrap()
            .is_empty()
    );
    let types: Vec<String> = crm
        .events_since(0, usize::MAX)
        .unwrap()
        .into_iter()
        .map(|e| e.event_type)
        .collect();
    assert!(
        types.iter().any(|t| t == "DeliveryChanged"),
        "dying is news"
    );

    // fixed: retried by hand, delivered, the order sent
    erp.down = 0;
    crm.retry_delivery(dead[0].id, much_later).unwrap();
    assert_eq!(worker_round(&crm, &mut erp, much_later, false), 1);
    assert_eq!(
        crm.sales_order(order.id).unwrap().status,
        SalesOrderStatus::Sent
    );
    // cancelled after the ERP had it: the ERP is told, through the outbox
    crm.cancel_order(order.id, "Customer withdrew", much_later)
        .unwrap();
    let due = crm.take_deliveries(None, 10, much_later).unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(
        due[0].idempotency_key,
        format!("sales_order:{}:cancel", order.id)
    );
    assert_eq!(due[0].payload["reason"], "Customer withdrew");
    assert!(
        crm.purchases_of_order(order.id).unwrap().is_empty(),
        "a cancelled sale is no purchase"
    );
    let _: SalesOrderId = order.id;
}

#[test]
fn a_deal_holds_its_budget_competitors_and_priced_products() {
    use crm::lifecycle::OpportunityPatch;
    use crm::quote::catalog::{PriceBook, PriceBookEntry};
    use crm::sales::{LineItemInput, NewOpportunity};

    let crm = Crm::new(crm::store::MemoryStore::new(), Region::parse("DE").unwrap());
    let pipeline = crm
        .define_pipeline("Sales", Pipeline::default_stages(), t0())
        .unwrap();
    let product = |sku: &str, active: bool| Product {
        sku: sku.into(),
        name: format!("Product {sku}"),
        unit: "each".into(),
        active,
        option_groups: vec![],
        constraints: vec![],
        serialised: false,
        warranty: None,
    };
    crm.define_product(product("A", true), t0()).unwrap();
    crm.define_product(product("OLD", false), t0()).unwrap();
    let entry = |sku: &str, price: &str| PriceBookEntry {
        sku: sku.into(),
        list_price: price.parse().unwrap(),
        valid_from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        valid_to: None,
    };
    for (name, currency) in [("EUR list", "EUR"), ("USD list", "USD")] {
        crm.define_price_book(
            PriceBook {
                name: name.into(),
                currency: Currency::parse(currency).unwrap(),
                entries: vec![entry("A", "99.99"), entry("OLD", "5")],
            },
            t0(),
        )
        .unwrap();
    }
    let account = crm
        .create_account(crm::customer::NewAccount::named("Initech"), t0())
        .unwrap();
    let opp = crm
        .open_opportunity(
            NewOpportunity {
                custom: Default::default(),
                name: "Initech A".into(),
                account: account.id,
                contact: None,
                pipeline: pipeline.id,
                stage: None,
                amount: Money::parse("1", "EUR").unwrap(),
                expected_close: NaiveDate::from_ymd_opt(2027, 1, 31).unwrap(),
                owner: Some("kim".into()),
                products: vec![],
            },
            t0(),
        )
        .unwrap();

    // budget, total spending, competitors and a new owner, as edits
    let patch = OpportunityPatch::new()
        .set(
            "budget",
            serde_json::json!({"amount": "2500.00", "currency": "EUR"}),
        )
        .unwrap()
        .set(
            "total_spending",
            serde_json::json!({"amount": "40000", "currency": "EUR"}),
        )
        .unwrap()
        .set(
            "competitors",
            serde_json::json!([{"name": " Globex ", "notes": "10 % cheaper"}]),
        )
        .unwrap()
        .set("owner", "lee")
        .unwrap();
    let edited: crm::sales::Opportunity = crm.edit(opp.id, opp.version, &patch, t0()).unwrap();
    assert_eq!(edited.budget, Some(Money::parse("2500.00", "EUR").unwrap()));
    assert_eq!(edited.competitors[0].name, "Globex");
    assert_eq!(edited.owner.as_deref(), Some("lee"));
    let blank = OpportunityPatch::new()
        .set("competitors", serde_json::json!([{"name": " "}]))
        .unwrap();
    assert_eq!(
        crm.edit::<crm::sales::Opportunity>(opp.id, edited.version, &blank, t0())
            .unwrap_err()
            .kind(),
        ErrorKind::Validation
    );

    // products priced from the book make the amount
    let item = |sku: &str, qty: i64, discount: Option<&str>| LineItemInput {
        sku: sku.into(),
        quantity: Decimal::from(qty),
        discount: discount.map(|d| Percent::parse(d).unwrap()),
    };
    let Err(crm::Error::Validation { problems }) = crm.set_line_items(
        opp.id,
        vec![
            item("A", 0, None),
            item("OLD", 1, None),
            item("NOPE", 1, None),
        ],
        "EUR list",
        t0(),
    ) else {
        panic!("bad items are refused");
    };
    let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(
        fields,
        ["items[0].quantity", "items[1].sku", "items[2].sku"]
    );
    assert_eq!(
        crm.set_line_items(opp.id, vec![item("A", 1, None)], "USD list", t0())
            .unwrap_err()
            .kind(),
        ErrorKind::CurrencyMismatch
    );
    let priced = crm
        .set_line_items(opp.id, vec![item("A", 3, Some("10"))], "EUR list", t0())
        .unwrap();
    // 3 × 99.99 = 299.97, less 10 % = 269.973 → 269.97
    assert_eq!(priced.amount.to_string(), "269.97 EUR");
    assert_eq!(priced.line_items[0].net.to_string(), "269.97 EUR");
    assert_eq!(priced.products, ["A"]);
    let cleared = crm
        .set_line_items(opp.id, vec![], "EUR list", t0())
        .unwrap();
    assert!(cleared.line_items.is_empty());
    assert_eq!(cleared.amount.to_string(), "269.97 EUR", "the amount stays");
}
