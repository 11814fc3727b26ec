//! Predictive lead scoring on stored data: learn from past conversions, check the model on
//! held-out leads, save it as a model file, re-score the open leads, explain the top ones.
//!
//! `cargo run --example lead_scoring` (an in-memory store; about a second)

use chrono::{Duration, TimeZone, Utc};
use crm::id::RecordRef;
use crm::lead::LeadStatus;
use crm::scoring::evaluate::{lift_at_k, log_loss, roc_auc};
use crm::scoring::features::{Feature, FeatureSpec};
use crm::scoring::logistic::rows;
use crm::scoring::model_file::{Model, ModelFile};
use crm::scoring::rules::{Attribute, Thresholds};
use crm::scoring::{LogisticConfig, LogisticModel};
use crm::store::MemoryStore;
use crm::tracking::{NewTouchpoint, TouchpointKind};
use crm::{Crm, LeadField, LeadInput, Region};

/// Deterministic pseudo-random numbers in [0, 1).
fn uniform(i: u64, salt: u64) -> f64 {
    let mut x = i.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ salt.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= x >> 31;
    x = x.wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^= x >> 29;
    (x >> 11) as f64 / (1u64 << 53) as f64
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let crm = Crm::new(MemoryStore::new(), Region::parse("US")?);
    let start = Utc.with_ymd_and_hms(2026, 6, 1, 9, 0, 0).unwrap();
    let titles = ["CTO", "VP Sales", "Engineer", "Student", "Procurement"];
    let sources = ["google", "linkedin", "partner", "newsletter"];

    // 2 000 past leads: executives who clicked ads and visited pricing convert more often.
    for i in 0..2_400u64 {
        let title = titles[(uniform(i, 1) * 5.0) as usize];
        let source = sources[(uniform(i, 2) * 4.0) as usize];
        let input = LeadInput::new()
            .with(LeadField::LastName, format!("Lead{i}"))
            .with(
                LeadField::Email,
                format!("lead{i}@co{}.example.com", i % 300),
            )
            .with(LeadField::JobTitle, title)
            .with(LeadField::UtmSource, source);
        let at = start + Duration::hours(i as i64);
        let lead = crm.capture_lead(&input, at)?.lead;
        let visits = (uniform(i, 3) * 4.0) as u64;
        for v in 0..visits {
            let kind = if v % 2 == 0 {
                TouchpointKind::WebVisit {
                    url: "/pricing".into(),
                    duration_secs: Some(60),
                }
            } else {
                TouchpointKind::AdClick
            };
            crm.record_touchpoint(
                NewTouchpoint {
                    subject: RecordRef::Lead(lead.id),
                    at: at + Duration::days(v as i64),
                    kind,
                    attribution: Default::default(),
                },
                at,
            )?;
        }
        if i >= 2_000 {
            continue; // the last 400 stay open, to be scored
        }
        let fit = match title {
            "CTO" | "VP Sales" => 1.2,
            "Procurement" => 0.4,
            "Student" => -1.5,
            _ => 0.0,
        };
        let z = -1.0 + fit + 0.6 * visits as f64 + if source == "partner" { 0.5 } else { 0.0 };
        let decided = at + Duration::days(10);
        crm.start_working(lead.id, decided)?;
        if uniform(i, 4) < 1.0 / (1.0 + (-z).exp()) {
            crm.qualify(lead.id, decided)?;
            crm.convert_lead(lead.id, &Default::default(), decided)?;
        } else {
            crm.disqualify(lead.id, "no project", decided)?;
        }
    }

    // Features as of each decision; vocabularies learned from the data.
    let spec = FeatureSpec {
        features: vec![
            Feature::OneHot {
                attribute: Attribute::JobTitle,
                vocabulary: vec![],
                max_values: 5,
            },
            Feature::OneHot {
                attribute: Attribute::UtmSource,
                vocabulary: vec![],
                max_values: 4,
            },
            Feature::Engagement {
                kind: "web_visit".into(),
                half_life_days: 30.0,
            },
            Feature::Engagement {
                kind: "ad_click".into(),
                half_life_days: 30.0,
            },
            Feature::TouchCount {
                kind: "any".into(),
                days: 90.0,
            },
        ],
    };
    let set = crm.training_set(spec)?;
    let cols = set.columns.len();
    let split = set.y.len() * 3 / 4;
    let (train_x, test_x) = set.x.split_at(split * cols);
    let (train_y, test_y) = set.y.split_at(split);
    let model = LogisticModel::fit(
        rows(train_x, cols)?,
        train_y,
        None,
        &LogisticConfig::default(),
    )?;
    println!(
        "trained on {} decided leads ({} converted), {} features, {} Newton iterations",
        split,
        train_y.iter().filter(|y| **y == 1.0).count(),
        cols,
        model.report.iterations
    );
    let p = model.predict_proba(rows(test_x, cols)?)?;
    let lift = lift_at_k(&p, test_y, test_y.len() / 10)?;
    println!(
        "held out {} leads: AUC {:.3}, log-loss {:.3}, top decile converts {:.1}× the average ({:.0} % of conversions)",
        test_y.len(),
        roc_auc(&p, test_y)?,
        log_loss(&p, test_y)?,
        lift.lift,
        lift.gain * 100.0
    );
    for (name, w) in set.columns.iter().zip(&model.coef) {
        println!("  {name:<28} {w:+.3}");
    }

    // One file to ship: the same scores in Rust, Python, Node and on a phone.
    let file = ModelFile::new(
        set.spec,
        Model::Logistic(model),
        Thresholds {
            hot: 0.6,
            warm: 0.3,
        },
    )?;
    let path = std::env::temp_dir().join("crm-lead-model.json");
    std::fs::write(&path, file.to_json()?)?;
    let file = ModelFile::from_json(&std::fs::read_to_string(&path)?)?;
    println!("model saved to {}", path.display());

    let now = start + Duration::days(120);
    let report = crm.rescore_leads_with_model(&file, now)?;
    println!(
        "re-scored {} open leads, {} changed",
        report.scored, report.changed
    );
    let mut open: Vec<_> = crm
        .all_leads()?
        .into_iter()
        .filter(|l| matches!(l.status, LeadStatus::New))
        .collect();
    open.sort_by(|a, b| b.score.unwrap_or(0.0).total_cmp(&a.score.unwrap_or(0.0)));
    println!("hottest open leads:");
    for lead in open.iter().take(5) {
        println!(
            "  {:<10} {:<12} p = {:.2} {}",
            lead.data.last_name.as_deref().unwrap_or(""),
            lead.data.job_title.as_deref().unwrap_or(""),
            lead.score.unwrap_or(0.0),
            lead.data.rating.map(|r| r.as_str()).unwrap_or("")
        );
    }
    Ok(())
}
