//! A quotation, end to end on the embedded SQLite store: a catalog product with options, a
//! price book, a quote with a discount and VAT, a revision, acceptance (which wins the
//! deal, as the pipeline says), the sales order with the customer's purchases, its
//! hand-off to the ERP through the outbox (a failed attempt, a retry), the ERP's
//! acknowledgement and the delivery that installs each serialised unit as an asset with
//! its warranty — every amount exact, every rounding named.
//!
//! `cargo run --example quotation [CRM.db]`

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use crm::activity::{ActivityKind, NewActivity, NewCall};
use crm::customer::{NewAccount, NewContact};
use crm::id::RecordRef;
use crm::quote::catalog::{
    Choice, Constraint, OptionGroup, PriceBook, PriceBookEntry, Product, ProductOption,
    WarrantyTerms,
};
use crm::quote::order::LineFulfilment;
use crm::quote::pricing::{Discount, PriceLine, Rounding, RoundingStrategy, TaxRate, TaxTable};
use crm::quote::{QuoteContent, QuoteLine};
use crm::sales::{NewOpportunity, OnQuoteAccepted, Pipeline};
use crm::tracking::CallDirection;
use crm::{Crm, Currency, Money, Percent, Region, RoundingMode, SqliteStore};
use rust_decimal::Decimal;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1);
    let store = match &path {
        Some(p) => SqliteStore::open(p)?,
        None => SqliteStore::open_in_memory()?,
    };
    let crm = Crm::new(store, Region::parse("DE")?);
    let now = Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap();
    let today = now.date_naive();
    let eur = Currency::parse("EUR")?;

    let option = |code: &str, delta: &str| -> Result<ProductOption, rust_decimal::Error> {
        Ok(ProductOption {
            code: code.into(),
            name: code.into(),
            price_delta: delta.parse()?,
        })
    };
    if crm.product("WS-15")?.is_none() {
        crm.define_product(
            Product {
                sku: "WS-15".into(),
                name: "Workstation 15".into(),
                unit: "each".into(),
                active: true,
                option_groups: vec![
                    OptionGroup {
                        name: "Memory".into(),
                        choice: Choice::Single,
                        required: true,
                        options: vec![option("ram-32", "0")?, option("ram-64", "380.00")?],
                    },
                    OptionGroup {
                        name: "Extras".into(),
                        choice: Choice::Multiple,
                        required: false,
                        options: vec![option("gpu", "1150.00")?, option("dock", "189.90")?],
                    },
                ],
                constraints: vec![Constraint::Requires {
                    option: "gpu".into(),
                    requires: "ram-64".into(),
                }],
                // each unit has a serial number: its delivery installs an asset
                serialised: true,
                warranty: Some(WarrantyTerms {
                    months: 36,
                    terms: "On-site parts and labour, next business day".into(),
                }),
            },
            now,
        )?;
        crm.define_price_book(
            PriceBook {
                name: "EUR list".into(),
                currency: eur,
                entries: vec![PriceBookEntry {
                    sku: "WS-15".into(),
                    list_price: "2490.00".parse()?,
                    valid_from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
                    valid_to: None,
                }],
            },
            now,
        )?;
    }
    match crm.configure_product("WS-15", &["ram-32", "gpu"], "EUR list", today) {
        Err(e) => println!("configuration refused [{}]: {e}", e.code()),
        Ok(_) => println!("configuration accepted (unexpected)"),
    }
    let config = crm.configure_product("WS-15", &["ram-64", "gpu", "dock"], "EUR list", today)?;
    println!(
        "configured {} {:?}: {} each",
        config.sku, config.options, config.unit_price
    );

    let account = crm.create_account(NewAccount::named("Initech GmbH"), now)?;
    let buyer = crm.create_contact(
        NewContact {
            account: Some(account.id),
            first_name: Some("Bill".into()),
            last_name: Some("Lumbergh".into()),
            ..NewContact::default()
        },
        now,
    )?;
    let pipeline = match crm.pipeline_named("Sales")? {
        Some(p) => p,
        None => crm.define_pipeline("Sales", Pipeline::default_stages(), now)?,
    };
    // In this pipeline an accepted quote wins its deal at the quote's amount.
    crm.set_quote_acceptance(
        pipeline.id,
        OnQuoteAccepted {
            follow_amount: true,
            stage: Some("Won".into()),
        },
        now,
    )?;
    let opportunity = crm.open_opportunity(
        NewOpportunity {
            custom: Default::default(),
            name: "Initech workstations".into(),
            account: account.id,
            contact: None,
            pipeline: pipeline.id,
            stage: None,
            amount: Money::parse("10000", "EUR")?,
            expected_close: today + Duration::days(30),
            owner: Some("kim".into()),
            products: vec![],
        },
        now,
    )?;
    let taxes = TaxTable::new(vec![TaxRate {
        code: "VAT19".into(),
        rate: Percent::parse("19")?,
        included_in_price: false,
        compound: false,
    }])?;
    let content = |quantity: i64, discount: &str| -> Result<QuoteContent, crm::Error> {
        Ok(QuoteContent {
            account: account.id,
            opportunity: Some(opportunity.id),
            contact: Some(buyer.id),
            currency: eur,
            valid_until: today + Duration::days(14),
            lines: vec![QuoteLine {
                description: "Workstation 15, 64 GB, GPU, dock".into(),
                sku: Some(config.sku.clone()),
                options: config.options.clone(),
                unit: Some("each".into()),
                price: PriceLine {
                    quantity: Decimal::from(quantity),
                    unit_price: config.unit_price,
                    discount: Discount::Percent(Percent::parse(discount)?),
                    tax_codes: vec!["VAT19".into()],
                },
                special_instructions: Some("Deliver to the lab, 2nd floor".into()),
            }],
            document_discount: Percent::ZERO,
            taxes: taxes.clone(),
            rounding: Rounding {
                mode: RoundingMode::HalfUp,
                strategy: RoundingStrategy::PerLine,
            },
        })
    };
    let first = crm.create_quote(content(3, "0")?, now)?;
    crm.send_quote(first.id, now)?;
    println!(
        "quote {} rev {}: {} (VAT {})",
        first.number, first.revision, first.priced.grand_total, first.priced.tax_total
    );
    let second = crm.revise_quote(first.id, content(4, "7.5")?, now + Duration::days(2))?;
    crm.send_quote(second.id, now + Duration::days(2))?;
    println!(
        "quote {} rev {}: {} (VAT {}, discount {})",
        second.number,
        second.revision,
        second.priced.grand_total,
        second.priced.tax_total,
        second.priced.discount
    );
    let accepted_at = now + Duration::days(5);
    crm.accept_quote(second.id, accepted_at)?;
    let opportunity = crm.opportunity(opportunity.id)?;
    println!(
        "quote accepted: opportunity {} is {} at {}",
        opportunity.name, opportunity.stage, opportunity.amount
    );
    let order = crm.convert_quote_to_order(second.id, accepted_at)?;
    for p in crm.purchases_of_order(order.id)? {
        println!(
            "purchase by contact {}: {} × {} at {} ({})",
            p.contact,
            p.quantity,
            p.product,
            p.unit_price,
            p.special_instructions.unwrap_or_default()
        );
    }

    // The host's ERP worker: take what is due, send it, report back.
    let mut at = accepted_at;
    loop {
        let due = crm.take_deliveries(Some("erp"), 10, at)?;
        let Some(d) = due.first() else { break };
        if d.attempts == 1 {
            let d = crm.delivery_failed(d.id, "ERP timed out", at)?;
            println!(
                "delivery {} failed, next attempt {}",
                d.id, d.next_attempt_at
            );
            at = d.next_attempt_at;
        } else {
            crm.delivery_succeeded(d.id, Some(serde_json::json!({"erp_id": "SO-4711"})), at)?;
            println!("delivery {} delivered on attempt {}", d.id, d.attempts);
        }
    }
    crm.acknowledge_order(order.id, "SO-4711", at)?;
    let serials: Vec<String> = (1..=4)
        .map(|n| format!("WS15-{}-{n:03}", order.id))
        .collect();
    let done = crm.fulfil_order(
        order.id,
        vec![LineFulfilment {
            line: 0,
            quantity: Decimal::from(4),
            serials,
        }],
        at + Duration::days(3),
    )?;
    println!(
        "order {} {}: {} assets installed, warranty until {}",
        done.order.id,
        done.order.status.as_str(),
        done.assets.len(),
        done.warranties[0].ends_on
    );
    let payload = order.erp_payload();
    println!(
        "ERP payload totals: {}",
        serde_json::to_string(&payload["totals"])?
    );
    let p = &order.priced;
    assert_eq!(
        p.subtotal.checked_add(&p.tax_total)?,
        p.grand_total,
        "the order adds up"
    );

    // After the sale: a call logged as one record, and a recurring check-in with a
    // reminder; both show on the customer's timeline, the call counts as engagement.
    let call = crm.log_call(
        NewCall {
            subject: RecordRef::Contact(buyer.id),
            direction: CallDirection::Outbound,
            at: at + Duration::days(4),
            duration_secs: 420,
            number: Some("+49 30 901820".into()),
            title: Some("Installation follow-up".into()),
            purpose: Some("Check the installation".into()),
            outcome: Some("All four running".into()),
            follow_up_at: Some(at + Duration::days(30)),
            owner: Some("rita".into()),
            notes: None,
        },
        at + Duration::days(4),
    )?;
    let mut check_in = NewActivity::new(
        ActivityKind::Meeting,
        RecordRef::Contact(buyer.id),
        "Monthly check-in",
    );
    check_in.due_at = Some(at + Duration::days(30));
    check_in.recurrence = Some("FREQ=MONTHLY;COUNT=6".into());
    check_in.reminders = vec![60];
    let meeting = crm.log_activity(check_in, at + Duration::days(4))?;
    let dates = crm.activity_occurrences(meeting.id, at, at + Duration::days(400), 10)?;
    println!(
        "call {} logged ({} min); check-ins on {} dates, the first {}",
        call.id,
        call.duration_minutes.unwrap_or(0),
        dates.len(),
        dates[0].date_naive()
    );
    let timeline = crm.timeline(RecordRef::Contact(buyer.id), 3, None)?;
    for e in &timeline.entries {
        println!("  {} {}", e.at.date_naive(), e.summary);
    }
    Ok(())
}
