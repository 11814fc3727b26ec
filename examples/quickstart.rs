//! The quickstart: a small sales team's day on the embedded SQLite store.
//!
//! Opens (or creates) a SQLite file, defines a pipeline and a web form, imports ~200
//! web-form submissions from a CSV file (reporting its bad rows and duplicates), takes a
//! live form submission, records what the prospects did, scores, qualifies and converts the
//! promising leads, works their opportunities, and prints the pipeline and the weighted
//! forecast. Re-runnable: a second run finds everything already imported and carries on.
//!
//! ```text
//! cargo run --example quickstart                 # uses target/quickstart.db
//! cargo run --example quickstart -- my-crm.db
//! ```

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::{Duration, NaiveDate, Utc};
use crm::activity::{ActivityKind, NewActivity};
use crm::crm::convert::{ConvertOptions, OpportunityDraft};
use crm::crm::import::ImportOptions;
use crm::customer::NewPurchase;
use crm::id::RecordRef;
use crm::lead::import::CsvMapping;
use crm::lead::webform::{Submission, WebFormSpec};
use crm::sales::forecast::Period;
use crm::sales::{Pipeline, StageKind};
use crm::tracking::{NewTouchpoint, TouchpointKind};
use crm::{Crm, Currency, Lead, LeadField, LeadStatusKind, Money, Rating, Region, SqliteStore};
use rust_decimal::Decimal;

type SalesCrm = Crm<SqliteStore>;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/quickstart.db"));
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let crm = Crm::new(SqliteStore::open(&path)?, Region::parse("US")?);
    let now = Utc::now();
    println!("crm-core quickstart — store: {}\n", path.display());

    let pipeline = match crm.pipeline_named("Sales")? {
        Some(p) => p,
        None => crm.define_pipeline("Sales", Pipeline::default_stages(), now)?,
    };
    setup_exchange_rates(&crm, now)?;

    import_csv(&crm, now)?;
    live_web_form(&crm, now)?;
    record_touchpoints(&crm, now)?;
    let converted = qualify_and_convert(&crm, &pipeline, now)?;
    work_opportunities(&crm, &converted, now)?;

    print_pipeline(&crm, &pipeline)?;
    print_forecast(&crm, now.date_naive())?;
    let events = crm.events_since(0, usize::MAX)?;
    println!("\n{} domain events recorded; the last three:", events.len());
    for e in events.iter().rev().take(3).rev() {
        println!(
            "  #{:<5} {:<20} {} {}",
            e.sequence, e.event_type, e.aggregate, e.aggregate_id
        );
    }
    Ok(())
}

fn setup_exchange_rates(crm: &SalesCrm, now: chrono::DateTime<Utc>) -> crm::Result<()> {
    let eur = Currency::parse("EUR")?;
    let first_of_year = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or(now.date_naive());
    crm.set_exchange_rate(
        Currency::parse("USD")?,
        eur,
        first_of_year,
        Decimal::new(92, 2),
        now,
    )?;
    crm.set_exchange_rate(
        Currency::parse("GBP")?,
        eur,
        first_of_year,
        Decimal::new(117, 2),
        now,
    )?;
    Ok(())
}

fn import_csv(
    crm: &SalesCrm,
    now: chrono::DateTime<Utc>,
) -> Result<(), Box<dyn std::error::Error>> {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/data/web_leads.csv");
    // Headers are guessed ("E-mail" → email, "utm_source" → UTM source…); one is named.
    let mapping = CsvMapping::guess(crm.default_region()).column("Message", LeadField::Description);
    let mut options = ImportOptions::new("web_leads.csv");
    options.batch_size = 50;
    let report = crm.import_leads_csv(
        std::fs::File::open(&file)?,
        mapping,
        &options,
        |p| {
            println!(
                "  import: {:>3} rows read, {:>3} imported",
                p.rows_read, p.imported
            )
        },
        now,
    )?;
    let p = report.progress;
    println!(
        "imported {} of {} rows; {} invalid, {} duplicates left out",
        p.imported, p.rows_read, p.invalid, p.duplicates
    );
    for e in report.errors.iter().take(8) {
        println!(
            "  row {:>3} {:<10} {}",
            e.row,
            e.column.as_deref().unwrap_or("-"),
            e.reason
        );
    }
    for d in report.duplicates.iter().take(5) {
        let m = &d.matches[0];
        println!(
            "  row {:>3} duplicates {} ({:?})",
            d.row, m.record, m.reason
        );
    }
    println!();
    Ok(())
}

fn live_web_form(crm: &SalesCrm, now: chrono::DateTime<Utc>) -> crm::Result<()> {
    let form = match crm.web_form_named("Contact us")? {
        Some(f) => f,
        None => crm.define_web_form(
            WebFormSpec::new("Contact us", crm.default_region())
                .field("name", LeadField::FullName, true)
                .field("email", LeadField::Email, true)
                .field("company", LeadField::Company, false)
                .honeypot("fax")
                .resubmission_window(Duration::hours(24))
                .default_value(LeadField::Campaign, "website"),
            now,
        )?,
    };
    let submission = Submission::new(
        [
            ("name", "Mary Jackson"),
            ("email", "mary@langley.example.com"),
            ("company", "Langley Research"),
        ],
        now,
    );
    let outcome = |label: &str, result: crm::Result<crm::crm::Captured>| match result {
        Ok(c) => println!(
            "web form: {label}: lead {} captured ({} possible duplicates)",
            c.lead.id,
            c.duplicates.len()
        ),
        Err(e) => println!("web form: {label}: refused [{}] {e}", e.code()),
    };
    outcome("submission", crm.submit_web_form(form.id, &submission));
    outcome("same again", crm.submit_web_form(form.id, &submission));
    let bot = Submission::new(
        [
            ("name", "Bot"),
            ("email", "bot@spam.example.com"),
            ("fax", "buy now"),
        ],
        now,
    );
    outcome("bot", crm.submit_web_form(form.id, &bot));
    println!();
    Ok(())
}

/// Deterministic pseudo-random numbers from a lead id, so reruns behave the same.
fn hash(id: u64, salt: u64) -> u64 {
    let mut x = id.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ salt.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= x >> 31;
    x.wrapping_mul(0x94D0_49BB_1331_11EB) >> 7
}

fn record_touchpoints(crm: &SalesCrm, now: chrono::DateTime<Utc>) -> crm::Result<()> {
    let mut recorded = 0;
    for lead in crm.leads_with_status(LeadStatusKind::New)? {
        let subject = RecordRef::Lead(lead.id);
        if !crm.touchpoints_of(subject)?.is_empty() {
            continue;
        }
        let touches = hash(lead.id.get(), 1) % 6;
        for i in 0..touches {
            let kind = match hash(lead.id.get(), 10 + i) % 5 {
                0 => TouchpointKind::AdClick,
                1 => TouchpointKind::EmailClick {
                    email: Some("newsletter-11".into()),
                    url: None,
                },
                2 => TouchpointKind::WebVisit {
                    url: "/pricing".into(),
                    duration_secs: Some(95),
                },
                3 => TouchpointKind::WebVisit {
                    url: "/product".into(),
                    duration_secs: Some(40),
                },
                _ => TouchpointKind::PhoneCall {
                    direction: crm::tracking::CallDirection::Inbound,
                    duration_secs: 300,
                    outcome: Some("asked for a demo".into()),
                },
            };
            crm.record_touchpoint(
                NewTouchpoint {
                    subject,
                    at: now - Duration::days(i64::try_from(i).unwrap_or(0) * 3),
                    kind,
                    attribution: lead.data.attribution.clone(),
                },
                now,
            )?;
            recorded += 1;
        }
    }
    println!("recorded {recorded} touchpoints");
    Ok(())
}

/// Fit (title, company) plus engagement (touches): a simple rule score for the tour.
fn score(crm: &SalesCrm, lead: &Lead) -> crm::Result<f64> {
    let touches = crm.touchpoints_of(RecordRef::Lead(lead.id))?.len() as f64;
    let title = lead.data.job_title.as_deref().unwrap_or("");
    let fit = match title {
        "CTO" | "CEO" | "VP Engineering" => 30.0,
        "Head of Sales" | "Procurement Manager" => 20.0,
        "Student" => -20.0,
        _ => 0.0,
    };
    Ok(fit
        + 12.0 * touches
        + if lead.spam_signals.is_empty() {
            0.0
        } else {
            -50.0
        })
}

fn qualify_and_convert(
    crm: &SalesCrm,
    pipeline: &Pipeline,
    now: chrono::DateTime<Utc>,
) -> crm::Result<Vec<crm::id::OpportunityId>> {
    let (mut converted, mut disqualified, mut working) = (Vec::new(), 0, 0);
    for lead in crm.leads_with_status(LeadStatusKind::New)? {
        let s = score(crm, &lead)?;
        let rating = if s >= 50.0 {
            Rating::Hot
        } else if s >= 20.0 {
            Rating::Warm
        } else {
            Rating::Cold
        };
        crm.set_lead_score(lead.id, s, Some(rating), now)?;
        match rating {
            Rating::Hot => {
                crm.start_working(lead.id, now)?;
                crm.qualify(lead.id, now)?;
                let currency = match lead.data.address.country.as_deref() {
                    Some("US") => "USD",
                    Some("GB") => "GBP",
                    _ => "EUR",
                };
                let amount = Money::new(
                    Decimal::from(5_000 + hash(lead.id.get(), 7) % 40 * 1_000),
                    Currency::parse(currency)?,
                );
                let options = ConvertOptions {
                    opportunity: Some(OpportunityDraft {
                        name: None,
                        pipeline: pipeline.id,
                        stage: None,
                        amount,
                        expected_close: now.date_naive()
                            + Duration::days(30 + (hash(lead.id.get(), 8) % 150) as i64),
                        products: vec!["CRM Suite".into()],
                    }),
                    ..ConvertOptions::default()
                };
                let c = crm.convert_lead(lead.id, &options, now)?;
                if let Some(o) = c.opportunity {
                    converted.push(o.id);
                }
            }
            Rating::Warm => {
                crm.start_working(lead.id, now)?;
                working += 1;
            }
            Rating::Cold => {
                crm.disqualify(lead.id, "no fit or engagement", now)?;
                disqualified += 1;
            }
        }
    }
    let statuses: BTreeMap<&str, usize> =
        crm.all_leads()?.iter().fold(BTreeMap::new(), |mut m, l| {
            *m.entry(l.status.name()).or_default() += 1;
            m
        });
    println!(
        "this run: {} converted, {working} being worked, {disqualified} disqualified; all leads by status: {statuses:?}",
        converted.len()
    );
    let accounts = crm.accounts()?.len();
    let contacts = crm.contacts()?.len();
    println!(
        "{accounts} accounts and {contacts} contacts (conversions link to existing ones instead of duplicating)\n"
    );
    Ok(converted)
}

fn work_opportunities(
    crm: &SalesCrm,
    opportunities: &[crm::id::OpportunityId],
    now: chrono::DateTime<Utc>,
) -> crm::Result<()> {
    for id in opportunities {
        let h = hash(id.get(), 3) % 10;
        crm.log_activity(
            NewActivity {
                due_at: Some(now + Duration::days(2)),
                duration_minutes: Some(30),
                owner: Some("sam".into()),
                ..NewActivity::new(
                    ActivityKind::Meeting,
                    RecordRef::Opportunity(*id),
                    "Discovery call",
                )
            },
            now,
        )?;
        if h >= 2 {
            crm.advance_opportunity(*id, "Qualification", now)?;
        }
        if h >= 4 {
            crm.advance_opportunity(*id, "Proposal", now)?;
        }
        if h >= 6 {
            crm.advance_opportunity(*id, "Negotiation", now)?;
        }
        match h {
            8 => {
                let won = crm.win_opportunity(*id, None, now)?;
                if let Some(contact) = won.contact {
                    crm.record_purchase(
                        NewPurchase {
                            custom: Default::default(),
                            contact,
                            product: "CRM Suite".into(),
                            purchased_at: now,
                            sales_rep: Some("sam".into()),
                            quantity: Decimal::ONE,
                            unit_price: won.amount,
                            special_instructions: Some("Onboarding in January".into()),
                            feedback: None,
                        },
                        now,
                    )?;
                }
            }
            9 => {
                crm.lose_opportunity(*id, "went with a competitor", now)?;
            }
            5 => {
                crm.set_opportunity_probability(*id, crm::Percent::parse("65")?, now)?;
            }
            _ => {}
        }
    }
    Ok(())
}

fn print_pipeline(crm: &SalesCrm, pipeline: &Pipeline) -> crm::Result<()> {
    let opps = crm.opportunities()?;
    println!("Pipeline {:?}", pipeline.name);
    println!("  {:<14} {:>5} {:>14}", "stage", "deals", "amount (orig.)");
    for stage in &pipeline.stages {
        let in_stage: Vec<_> = opps.iter().filter(|o| o.stage == stage.name).collect();
        let mut by_currency: BTreeMap<Currency, Decimal> = BTreeMap::new();
        for o in &in_stage {
            *by_currency.entry(o.amount.currency()).or_default() += o.amount.amount();
        }
        let amounts: Vec<String> = by_currency
            .iter()
            .map(|(c, a)| format!("{a} {c}"))
            .collect();
        let marker = match stage.kind {
            StageKind::Open => format!("{}", stage.probability),
            StageKind::Won => "won".into(),
            StageKind::Lost => "lost".into(),
        };
        println!(
            "  {:<14} {:>5}  {}   [{marker}]",
            stage.name,
            in_stage.len(),
            amounts.join(", ")
        );
    }
    Ok(())
}

fn print_forecast(crm: &SalesCrm, today: NaiveDate) -> crm::Result<()> {
    let f = crm.forecast(Currency::parse("EUR")?, Period::Quarter, today)?;
    println!(
        "\nWeighted forecast in {} (rates as of {})",
        f.currency, f.as_of
    );
    println!(
        "  {:<8} {:<14} {:>5} {:>16} {:>16} {:>16}",
        "period", "owner", "open", "pipeline", "weighted", "won"
    );
    for r in &f.rows {
        println!(
            "  {:<8} {:<14} {:>5} {:>16} {:>16} {:>16}",
            r.period,
            r.owner,
            r.open_count,
            r.pipeline.to_string(),
            r.weighted.to_string(),
            r.won.to_string()
        );
    }
    println!(
        "  {:<8} {:<14} {:>5} {:>16} {:>16} {:>16}",
        "total",
        "",
        "",
        f.total_pipeline.to_string(),
        f.total_weighted.to_string(),
        f.total_won.to_string()
    );
    Ok(())
}
