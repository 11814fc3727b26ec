//! Customer models on a generated customer base with planted signals
//! (`benches/common/customer_base.rs`), on the embedded SQLite store: how well the
//! cross-sell, churn and value models do on the quarter after the one they were trained
//! for, against what a user would otherwise rank by (recency alone; "same as last
//! quarter"), and how long building, fitting and re-scoring take.
//!
//! `cargo bench --bench customer_models` (`CRM_BENCH_CUSTOMERS`, default 10 000)

use std::time::Instant;

mod common;
use common::cpu_model;
use common::customer_base::{day, populate, spec};

use crm::crm::customer_models::{CustomerFitOptions, rfm_spec};
use crm::scoring::customer::CustomerTarget;
use crm::{Crm, Region, SqliteStore};

fn main() {
    let n: usize = std::env::var("CRM_BENCH_CUSTOMERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    println!("CPU: {}", cpu_model());
    let crm = Crm::new(
        SqliteStore::open_in_memory().unwrap(),
        Region::parse("US").unwrap(),
    );
    let t = Instant::now();
    let g = populate(&crm, n, 11);
    println!(
        "generated {} customers, {} purchases, {} complaint cases in {:.1} s",
        g.customers,
        g.purchases,
        g.cases,
        t.elapsed().as_secs_f64()
    );
    let (train, test, now) = (day(365), day(455), day(640));
    let opts = CustomerFitOptions::default();

    let buys = CustomerTarget::Buys {
        products: vec!["B".into()],
        horizon_days: 90,
    };
    let t = Instant::now();
    let ts = crm
        .customer_training_set(spec(), buys.clone(), train, now)
        .unwrap();
    let build = t.elapsed();
    let t = Instant::now();
    let model = crm
        .fit_customer_model(spec(), buys, train, opts, now)
        .unwrap();
    let fit = t.elapsed();
    let e = crm.evaluate_customer_model(&model, test, now).unwrap();
    let (auc, recency) = (e.auc.unwrap(), e.recency_auc.unwrap());
    println!(
        "== cross-sell (buys B in 90 days): AUC {auc:.3} on the next quarter (goal ≥ 0.8: {}), \
         recency alone {recency:.3} (×{:.2}), log-loss {:.3}, calibration error {:.3}",
        if auc >= 0.8 { "met" } else { "NOT met" },
        auc / recency,
        e.log_loss.unwrap(),
        e.calibration_error.unwrap()
    );
    for b in &e.calibration {
        println!(
            "   predicted {:.2}–{:.2}: mean {:.3}, observed {:.3} ({} customers)",
            b.lower, b.upper, b.mean_predicted, b.observed_rate, b.count
        );
    }
    println!(
        "   training set {} × {} built in {:.0} ms; fit (set included) {:.0} ms",
        ts.contacts.len(),
        ts.columns.len(),
        build.as_secs_f64() * 1e3,
        fit.as_secs_f64() * 1e3
    );

    let churn = crm
        .fit_customer_model(
            spec(),
            CustomerTarget::Churn { horizon_days: 90 },
            train,
            opts,
            now,
        )
        .unwrap();
    let e = crm.evaluate_customer_model(&churn, test, now).unwrap();
    let (auc, recency) = (e.auc.unwrap(), e.recency_auc.unwrap());
    println!(
        "== churn (buys nothing in 90 days): AUC {auc:.3}, recency alone {recency:.3} \
         (beats it: {}), calibration error {:.3}",
        if auc > recency { "met" } else { "NOT met" },
        e.calibration_error.unwrap()
    );

    let value = crm
        .fit_customer_model(
            rfm_spec(90.0, 365.0),
            CustomerTarget::Value { horizon_days: 90 },
            train,
            opts,
            now,
        )
        .unwrap();
    let e = crm.evaluate_customer_model(&value, test, now).unwrap();
    println!(
        "== value (revenue in 90 days, RFM 3×3×3): MAE {:.1}, \"same as last quarter\" {:.1} \
         (×{:.2}), RMSE {:.1}; predicted {:.0} in total, actual {:.0}",
        e.mae.unwrap(),
        e.baseline_mae.unwrap(),
        e.mae.unwrap() / e.baseline_mae.unwrap(),
        e.rmse.unwrap(),
        e.predicted_total.unwrap(),
        e.actual_total.unwrap()
    );

    let t = Instant::now();
    let first = crm.rescore_customers("buys_b", &model, now).unwrap();
    let rescore = t.elapsed();
    let t = Instant::now();
    let again = crm.rescore_customers("buys_b", &model, now).unwrap();
    let unchanged = t.elapsed();
    println!(
        "== re-scoring {} contacts: {:.0} ms writing {} ({:.0} contacts/s); again {:.0} ms \
         writing {}",
        first.scored,
        rescore.as_secs_f64() * 1e3,
        first.changed,
        first.scored as f64 / rescore.as_secs_f64(),
        unchanged.as_secs_f64() * 1e3,
        again.changed
    );
}
