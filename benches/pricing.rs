//! Pricing 1M quote lines (discounts, an excluded and a compound tax on some, an included
//! tax on others), per line and globally, against a hand-written loop over the same lines
//! with rust_decimal (what an app writing its own pricing would do: no validation, no
//! included taxes, no per-rate totals).
//!
//! `cargo bench --bench pricing`

mod common;
use common::{Rng, best_time};

use crm::quote::{
    Discount, PriceLine, Rounding, RoundingStrategy, TaxRate, TaxTable, price_document,
};
use crm::{Currency, Money, Percent, RoundingMode};
use rust_decimal::Decimal;

const LINES: usize = 1_000_000;

fn main() {
    let eur = Currency::parse("EUR").unwrap();
    let rate = |code: &str, pct: &str, included: bool, compound: bool| TaxRate {
        code: code.into(),
        rate: Percent::parse(pct).unwrap(),
        included_in_price: included,
        compound,
    };
    let taxes = TaxTable::new(vec![
        rate("VAT20", "20", false, false),
        rate("VAT20I", "20", true, false),
        rate("GST5", "5", false, false),
        rate("PST7C", "7", false, true),
    ])
    .unwrap();
    let mut rng = Rng(7);
    let lines: Vec<PriceLine> = (0..LINES)
        .map(|_| {
            let codes: Vec<String> = match rng.below(3) {
                0 => vec!["VAT20".into()],
                1 => vec!["VAT20I".into()],
                _ => vec!["GST5".into(), "PST7C".into()],
            };
            PriceLine {
                quantity: Decimal::from(1 + rng.below(20)),
                unit_price: Money::new(Decimal::new(100 + rng.below(100_000) as i64, 2), eur),
                discount: Discount::Percent(Percent::new(Decimal::from(rng.below(30))).unwrap()),
                tax_codes: codes,
            }
        })
        .collect();
    for strategy in [RoundingStrategy::PerLine, RoundingStrategy::Global] {
        let rounding = Rounding {
            mode: RoundingMode::HalfUp,
            strategy,
        };
        let t = best_time(3, || {
            price_document(&lines, Percent::ZERO, &taxes, eur, rounding).unwrap()
        });
        println!(
            "== price {LINES} lines, {strategy:?}: {:.0} ms = {:.2} M lines/s",
            t.as_secs_f64() * 1e3,
            LINES as f64 / t.as_secs_f64() / 1e6
        );
    }
    // The hand-written baseline: quantity × price × (1 − discount), one tax rate, rounded
    // per line half-up, summed.
    let baseline = best_time(3, || {
        let mut total = Decimal::ZERO;
        for l in &lines {
            let pct = match l.discount {
                Discount::Percent(p) => p.as_fraction(),
                _ => Decimal::ZERO,
            };
            let net = l.quantity * l.unit_price.amount() * (Decimal::ONE - pct);
            let net =
                net.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
            let tax = (net * Decimal::new(2, 1))
                .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
            total += net + tax;
        }
        total
    });
    println!(
        "== hand-written rust_decimal loop (one tax, no checks): {:.0} ms = {:.2} M lines/s",
        baseline.as_secs_f64() * 1e3,
        LINES as f64 / baseline.as_secs_f64() / 1e6
    );
}
