//! The marketing and sales reports, each one pass over its inputs (plus a sort of the
//! groups it produced), with filters by period, owner and campaign.
//!
//! Inputs are plain rows ([`TouchRow`], [`LeadRow`], [`DealRow`], [`SaleRow`]) that the
//! facade reads from the store and that hosts can build from their own data. Money is
//! summed exactly in the reporting currency; rows in other currencies are left out and
//! counted (`skipped_other_currency`), never mixed. Rates are `None` when their
//! denominator is zero and otherwise in [0, 1] (ROI excepted: it is a ratio of money).

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::money::{Currency, Money};
use crate::sales::forecast::Period;

use super::campaign::Campaign;

/// Which rows a report reads.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportFilter {
    /// From this instant on.
    #[serde(default, with = "crate::time::rfc3339_opt")]
    pub from: Option<DateTime<Utc>>,
    /// Before this instant.
    #[serde(default, with = "crate::time::rfc3339_opt")]
    pub until: Option<DateTime<Utc>>,
    /// Only this owner's leads and deals.
    #[serde(default)]
    pub owner: Option<String>,
    /// Only this campaign's touches, leads and deals.
    #[serde(default)]
    pub campaign: Option<String>,
}

impl ReportFilter {
    /// Whether `at` is in the period.
    pub fn in_period(&self, at: DateTime<Utc>) -> bool {
        self.from.is_none_or(|f| at >= f) && self.until.is_none_or(|u| at < u)
    }

    fn owner_ok(&self, owner: Option<&str>) -> bool {
        self.owner
            .as_deref()
            .is_none_or(|o| owner.is_some_and(|x| x.eq_ignore_ascii_case(o)))
    }

    fn campaign_ok(&self, campaign: Option<&str>) -> bool {
        self.campaign.as_deref().is_none_or(|c| campaign == Some(c))
    }
}

/// A touchpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TouchRow {
    /// When.
    #[serde(with = "crate::time::rfc3339")]
    pub at: DateTime<Utc>,
    /// Its kind (`ad_click`, …).
    pub kind: String,
    /// Campaign code.
    pub campaign: Option<String>,
    /// Ad code.
    pub ad: Option<String>,
    /// Affiliate.
    pub affiliate: Option<String>,
    /// Channel (the campaign's, else `utm_medium`, else the kind).
    pub channel: String,
}

impl TouchRow {
    /// Whether it is a click (ad, affiliate or e-mail click).
    pub fn is_click(&self) -> bool {
        matches!(
            self.kind.as_str(),
            "ad_click" | "affiliate_click" | "email_click"
        )
    }
}

/// A lead and how far it went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeadRow {
    /// When it was captured.
    #[serde(with = "crate::time::rfc3339")]
    pub created_at: DateTime<Utc>,
    /// Its owner.
    pub owner: Option<String>,
    /// Its source (`web_form`, `csv_import`, …).
    pub source: String,
    /// Campaign that brought it.
    pub campaign: Option<String>,
    /// Ad that brought it.
    pub ad: Option<String>,
    /// Affiliate that brought it.
    pub affiliate: Option<String>,
    /// Channel that brought it.
    pub channel: String,
    /// When it was qualified (or converted, if never qualified first).
    #[serde(with = "crate::time::rfc3339_opt")]
    pub qualified_at: Option<DateTime<Utc>>,
    /// When it became an opportunity.
    #[serde(with = "crate::time::rfc3339_opt")]
    pub opportunity_at: Option<DateTime<Utc>>,
    /// When that opportunity was won.
    #[serde(with = "crate::time::rfc3339_opt")]
    pub won_at: Option<DateTime<Utc>>,
    /// What was won.
    pub won_amount: Option<Money>,
}

/// An opportunity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DealRow {
    /// When it was opened.
    #[serde(with = "crate::time::rfc3339")]
    pub created_at: DateTime<Utc>,
    /// When it was closed.
    #[serde(with = "crate::time::rfc3339_opt")]
    pub closed_at: Option<DateTime<Utc>>,
    /// `open`, `won` or `lost`.
    pub state: String,
    /// Its stage.
    pub stage: String,
    /// Its owner.
    pub owner: Option<String>,
    /// Its source.
    pub source: Option<String>,
    /// The campaign of its lead.
    pub campaign: Option<String>,
    /// Its amount.
    pub amount: Money,
}

/// A sold line (a purchase or a sales-order line).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SaleRow {
    /// When.
    #[serde(with = "crate::time::rfc3339")]
    pub at: DateTime<Utc>,
    /// The product.
    pub product: String,
    /// How many.
    pub quantity: Decimal,
    /// The list unit price.
    pub unit_price: Money,
    /// The discount given on the line.
    pub discount: Money,
    /// The buyer's demographics and country, by name (`age_band`, `gender`,
    /// `income_band`, `country`).
    #[serde(default)]
    pub buyer: BTreeMap<String, String>,
    /// Who sold it.
    pub owner: Option<String>,
}

fn ratio(n: u64, d: u64) -> Option<f64> {
    (d > 0).then(|| n as f64 / d as f64)
}

fn div_money(n: Decimal, d: u64) -> Option<Decimal> {
    (d > 0).then(|| (n / Decimal::from(d)).round_dp(4))
}

/// Performance of ads, affiliates, campaigns or channels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PerformanceRow {
    /// `ad`, `affiliate`, `campaign` or `channel`.
    pub dimension: String,
    /// The ad code, affiliate, campaign code or channel.
    pub key: String,
    /// Impressions (ads and campaigns: from the ads).
    pub impressions: u64,
    /// Clicks.
    pub clicks: u64,
    /// Leads it brought.
    pub leads: u64,
    /// Of those, won customers.
    pub customers: u64,
    /// Revenue won from them.
    pub revenue: Decimal,
    /// What it cost (ads and campaigns).
    pub cost: Decimal,
    /// Clicks ÷ impressions.
    pub click_through_rate: Option<f64>,
    /// Leads ÷ clicks (a lead can come without a click: can exceed 1 only if so; clamped).
    pub conversion_rate: Option<f64>,
    /// Customers ÷ leads.
    pub win_rate: Option<f64>,
    /// Cost ÷ leads.
    pub cost_per_lead: Option<Decimal>,
    /// Cost ÷ customers.
    pub cost_per_acquisition: Option<Decimal>,
    /// (Revenue − cost) ÷ cost.
    pub roi: Option<f64>,
    /// Campaign members (campaigns only).
    pub members: u64,
    /// Members who responded beyond opening (campaigns only).
    pub responders: u64,
    /// Responders ÷ members.
    pub response_rate: Option<f64>,
}

#[derive(Default)]
struct Acc {
    impressions: u64,
    clicks: u64,
    leads: u64,
    customers: u64,
    revenue: Decimal,
    cost: Decimal,
    members: u64,
    responders: u64,
}

/// The performance report: one row per ad, affiliate, campaign and channel seen, in that
/// order of dimensions, keys sorted. Revenue in `currency` (others skipped and counted).
pub fn performance(
    touches: &[TouchRow],
    leads: &[LeadRow],
    campaigns: &[Campaign],
    responders: &HashMap<String, (u64, u64)>,
    currency: Currency,
    filter: &ReportFilter,
) -> (Vec<PerformanceRow>, u64) {
    let mut acc: [BTreeMap<String, Acc>; 4] = Default::default();
    let channel_of: HashMap<&str, &str> = campaigns
        .iter()
        .map(|c| (c.code.as_str(), c.channel.as_str()))
        .collect();
    let keys = |campaign: &Option<String>,
                ad: &Option<String>,
                affiliate: &Option<String>,
                channel: &str| {
        [
            ad.clone(),
            affiliate.clone(),
            campaign.clone(),
            Some(channel.to_string()),
        ]
    };
    for t in touches {
        if !t.is_click() || !filter.in_period(t.at) || !filter.campaign_ok(t.campaign.as_deref()) {
            continue;
        }
        for (d, k) in keys(&t.campaign, &t.ad, &t.affiliate, &t.channel)
            .into_iter()
            .enumerate()
        {
            if let Some(k) = k {
                acc[d].entry(k).or_default().clicks += 1;
            }
        }
    }
    let mut skipped = 0;
    for l in leads {
        if !filter.in_period(l.created_at)
            || !filter.owner_ok(l.owner.as_deref())
            || !filter.campaign_ok(l.campaign.as_deref())
        {
            continue;
        }
        let won = match l.won_amount {
            Some(m) if m.currency() == currency => Some(m.amount()),
            Some(_) => {
                skipped += 1;
                None
            }
            None => None,
        };
        let channel = l
            .campaign
            .as_deref()
            .and_then(|c| channel_of.get(c).copied())
            .unwrap_or(&l.channel);
        for (d, k) in keys(&l.campaign, &l.ad, &l.affiliate, channel)
            .into_iter()
            .enumerate()
        {
            if let Some(k) = k {
                let a = acc[d].entry(k).or_default();
                a.leads += 1;
                if let Some(w) = won {
                    a.customers += 1;
                    a.revenue += w;
                }
            }
        }
    }
    for c in campaigns {
        if !filter.campaign_ok(Some(&c.code)) || c.budget.currency() != currency {
            continue;
        }
        let impressions: u64 = c.ads.iter().map(|a| a.impressions).sum();
        let cost = c.actual_cost().amount();
        let (members, resp) = responders.get(&c.code).copied().unwrap_or((0, 0));
        for (d, key) in [(2usize, c.code.clone()), (3, c.channel.to_string())] {
            let a = acc[d].entry(key).or_default();
            a.impressions += impressions;
            a.cost += cost;
            a.members += members;
            a.responders += resp;
        }
        for ad in &c.ads {
            let a = acc[0].entry(ad.code.clone()).or_default();
            a.impressions += ad.impressions;
            a.cost += ad.cost.amount();
        }
    }
    let names = ["ad", "affiliate", "campaign", "channel"];
    let mut rows = Vec::new();
    for (d, groups) in acc.into_iter().enumerate() {
        for (key, a) in groups {
            rows.push(PerformanceRow {
                dimension: names[d].into(),
                key,
                impressions: a.impressions,
                clicks: a.clicks,
                leads: a.leads,
                customers: a.customers,
                revenue: a.revenue,
                cost: a.cost,
                click_through_rate: ratio(a.clicks, a.impressions).map(|r| r.min(1.0)),
                conversion_rate: ratio(a.leads, a.clicks).map(|r| r.min(1.0)),
                win_rate: ratio(a.customers, a.leads),
                cost_per_lead: div_money(a.cost, a.leads),
                cost_per_acquisition: div_money(a.cost, a.customers),
                roi: (!a.cost.is_zero()).then(|| {
                    use rust_decimal::prelude::ToPrimitive;
                    ((a.revenue - a.cost) / a.cost).to_f64().unwrap_or(0.0)
                }),
                members: a.members,
                responders: a.responders,
                response_rate: ratio(a.responders, a.members),
            });
        }
    }
    (rows, skipped)
}

/// The funnel lead → qualified → opportunity → won.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Funnel {
    /// Leads captured in the period.
    pub leads: u64,
    /// Of those, qualified.
    pub qualified: u64,
    /// Of those, turned into an opportunity.
    pub opportunities: u64,
    /// Of those, won.
    pub won: u64,
    /// qualified ÷ leads, opportunities ÷ qualified, won ÷ opportunities, won ÷ leads.
    pub rates: [Option<f64>; 4],
    /// Median days lead → qualified, qualified → opportunity, opportunity → won.
    pub median_days: [Option<f64>; 3],
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

fn days(a: DateTime<Utc>, b: DateTime<Utc>) -> f64 {
    (b - a).num_seconds() as f64 / 86_400.0
}

/// The funnel of the leads captured in the filter's period.
pub fn funnel(leads: &[LeadRow], filter: &ReportFilter) -> Funnel {
    let (mut n, mut q, mut o, mut w) = (0u64, 0u64, 0u64, 0u64);
    let (mut d1, mut d2, mut d3) = (Vec::new(), Vec::new(), Vec::new());
    for l in leads {
        if !filter.in_period(l.created_at)
            || !filter.owner_ok(l.owner.as_deref())
            || !filter.campaign_ok(l.campaign.as_deref())
        {
            continue;
        }
        n += 1;
        let Some(qa) = l.qualified_at else { continue };
        q += 1;
        d1.push(days(l.created_at, qa));
        let Some(oa) = l.opportunity_at else { continue };
        o += 1;
        d2.push(days(qa, oa));
        let Some(wa) = l.won_at else { continue };
        w += 1;
        d3.push(days(oa, wa));
    }
    Funnel {
        leads: n,
        qualified: q,
        opportunities: o,
        won: w,
        rates: [ratio(q, n), ratio(o, q), ratio(w, o), ratio(w, n)],
        median_days: [median(d1), median(d2), median(d3)],
    }
}

/// Products sold by period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductSalesRow {
    /// The period label (`2026-11`, `2026-Q4`).
    pub period: String,
    /// The product.
    pub product: String,
    /// How many lines.
    pub lines: u64,
    /// Units sold.
    pub quantity: Decimal,
    /// Quantity × unit price − discount.
    pub revenue: Decimal,
    /// Lowest unit price.
    pub min_unit_price: Decimal,
    /// Median unit price.
    pub median_unit_price: Decimal,
    /// Highest unit price.
    pub max_unit_price: Decimal,
    /// Discounts given.
    pub discounts: Decimal,
}

/// Products × price by period (sales in `currency`; others skipped and counted).
pub fn products_sold(
    sales: &[SaleRow],
    period: Period,
    currency: Currency,
    filter: &ReportFilter,
) -> (Vec<ProductSalesRow>, u64) {
    // (lines, quantity, revenue, discounts, unit prices) per (period, product).
    type Group = (u64, Decimal, Decimal, Decimal, Vec<Decimal>);
    let mut groups: BTreeMap<(String, String), Group> = BTreeMap::new();
    let mut skipped = 0;
    for s in sales {
        if !filter.in_period(s.at) || !filter.owner_ok(s.owner.as_deref()) {
            continue;
        }
        if s.unit_price.currency() != currency || s.discount.currency() != currency {
            skipped += 1;
            continue;
        }
        let key = (period.label(s.at.date_naive()), s.product.clone());
        let g = groups.entry(key).or_default();
        g.0 += 1;
        g.1 += s.quantity;
        g.2 += s.quantity * s.unit_price.amount() - s.discount.amount();
        g.3 += s.discount.amount();
        g.4.push(s.unit_price.amount());
    }
    let rows = groups
        .into_iter()
        .map(
            |((period, product), (lines, quantity, revenue, discounts, mut prices))| {
                prices.sort_unstable();
                let n = prices.len();
                let median = if n % 2 == 1 {
                    prices[n / 2]
                } else {
                    (prices[n / 2 - 1] + prices[n / 2]) / Decimal::TWO
                };
                ProductSalesRow {
                    period,
                    product,
                    lines,
                    quantity,
                    revenue,
                    min_unit_price: prices[0],
                    median_unit_price: median,
                    max_unit_price: prices[n - 1],
                    discounts,
                }
            },
        )
        .collect();
    (rows, skipped)
}

/// Buyers of a product by one demographic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DemographicsRow {
    /// The product.
    pub product: String,
    /// `age_band`, `gender`, `income_band` or `country`.
    pub dimension: String,
    /// Its value (`unknown` when not recorded).
    pub value: String,
    /// Lines bought.
    pub lines: u64,
    /// Share of the product's lines.
    pub share: f64,
}

/// Customer demographics by product.
pub fn demographics_by_product(sales: &[SaleRow], filter: &ReportFilter) -> Vec<DemographicsRow> {
    const DIMS: [&str; 4] = ["age_band", "gender", "income_band", "country"];
    let mut counts: BTreeMap<(String, usize, String), u64> = BTreeMap::new();
    let mut totals: HashMap<String, u64> = HashMap::new();
    for s in sales {
        if !filter.in_period(s.at) || !filter.owner_ok(s.owner.as_deref()) {
            continue;
        }
        *totals.entry(s.product.clone()).or_default() += 1;
        for (d, dim) in DIMS.iter().enumerate() {
            let v = s
                .buyer
                .get(*dim)
                .cloned()
                .unwrap_or_else(|| "unknown".into());
            *counts.entry((s.product.clone(), d, v)).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .map(|((product, d, value), lines)| DemographicsRow {
            share: lines as f64 / totals[&product] as f64,
            product,
            dimension: DIMS[d].into(),
            value,
            lines,
        })
        .collect()
}

/// Open pipeline by stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageRow {
    /// The stage.
    pub stage: String,
    /// Open deals in it.
    pub deals: u64,
    /// Their amount.
    pub amount: Decimal,
}

/// Win rate by a key (owner or source).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WinRateRow {
    /// `owner` or `source`.
    pub dimension: String,
    /// The owner or source (`(none)` when missing).
    pub key: String,
    /// Deals closed (won or lost) in the period.
    pub closed: u64,
    /// Of those, won.
    pub won: u64,
    /// won ÷ closed.
    pub win_rate: Option<f64>,
    /// Amount won.
    pub won_amount: Decimal,
    /// Median days from opening to winning.
    pub median_cycle_days: Option<f64>,
}

/// The pipeline report: open deals by stage, win rates by owner and by source, and the
/// sales cycle (median days opening → won) — deals closed in the filter's period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PipelineReport {
    /// Open deals by stage (any period), stages sorted by name.
    pub stages: Vec<StageRow>,
    /// Win rates by owner, then by source.
    pub win_rates: Vec<WinRateRow>,
    /// Median days from opening to winning, all deals won in the period.
    pub median_cycle_days: Option<f64>,
    /// Deals in other currencies, left out of the amounts.
    pub skipped_other_currency: u64,
}

/// Builds the pipeline report over `deals` in one pass.
pub fn pipeline(deals: &[DealRow], currency: Currency, filter: &ReportFilter) -> PipelineReport {
    let mut stages: BTreeMap<String, (u64, Decimal)> = BTreeMap::new();
    type Group = (u64, u64, Decimal, Vec<f64>);
    let mut by: [BTreeMap<String, Group>; 2] = Default::default();
    let mut cycles = Vec::new();
    let mut skipped = 0;
    for d in deals {
        if !filter.owner_ok(d.owner.as_deref()) || !filter.campaign_ok(d.campaign.as_deref()) {
            continue;
        }
        let same = d.amount.currency() == currency;
        if !same {
            skipped += 1;
        }
        let amount = if same {
            d.amount.amount()
        } else {
            Decimal::ZERO
        };
        if d.state == "open" {
            let s = stages.entry(d.stage.clone()).or_default();
            s.0 += 1;
            s.1 += amount;
            continue;
        }
        let Some(closed) = d.closed_at else { continue };
        if !filter.in_period(closed) {
            continue;
        }
        let won = d.state == "won";
        let cycle = days(d.created_at, closed);
        if won {
            cycles.push(cycle);
        }
        let keys = [
            d.owner.clone().unwrap_or_else(|| "(none)".into()),
            d.source.clone().unwrap_or_else(|| "(none)".into()),
        ];
        for (i, k) in keys.into_iter().enumerate() {
            let g = by[i].entry(k).or_default();
            g.0 += 1;
            if won {
                g.1 += 1;
                g.2 += amount;
                g.3.push(cycle);
            }
        }
    }
    let names = ["owner", "source"];
    let win_rates = by
        .into_iter()
        .enumerate()
        .flat_map(|(i, groups)| {
            groups
                .into_iter()
                .map(move |(key, (closed, won, amount, cyc))| WinRateRow {
                    dimension: names[i].into(),
                    key,
                    closed,
                    won,
                    win_rate: ratio(won, closed),
                    won_amount: amount,
                    median_cycle_days: median(cyc),
                })
        })
        .collect();
    PipelineReport {
        stages: stages
            .into_iter()
            .map(|(stage, (deals, amount))| StageRow {
                stage,
                deals,
                amount,
            })
            .collect(),
        win_rates,
        median_cycle_days: median(cycles),
        skipped_other_currency: skipped,
    }
}

/// A plan target next to what happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanActualRow {
    /// The period's first day.
    pub starts_on: NaiveDate,
    /// The period's last day.
    pub ends_on: NaiveDate,
    /// The product group.
    pub product_group: String,
    /// The geography.
    pub geography: String,
    /// Leads planned and actual.
    pub leads: (u64, u64),
    /// Responses planned and actual.
    pub responses: (u64, u64),
    /// Revenue planned and actual.
    pub revenue: (Decimal, Decimal),
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn eur(s: &str) -> Money {
        Money::parse(s, "EUR").unwrap()
    }

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 10, 1, 0, 0, 0).unwrap()
    }

    fn lead(
        day: i64,
        campaign: &str,
        q: Option<i64>,
        o: Option<i64>,
        w: Option<(i64, &str)>,
    ) -> LeadRow {
        let at = |d: i64| t0() + Duration::days(d);
        LeadRow {
            created_at: at(day),
            owner: Some("ann".into()),
            source: "web_form".into(),
            campaign: Some(campaign.into()),
            ad: None,
            affiliate: None,
            channel: "email".into(),
            qualified_at: q.map(at),
            opportunity_at: o.map(at),
            won_at: w.map(|(d, _)| at(d)),
            won_amount: w.map(|(_, a)| eur(a)),
        }
    }

    /// Four leads: all qualified but one; two opportunities; one won.
    /// Rates 3/4, 2/3, 1/2, 1/4; median days lead→qualified of 1, 2, 4 = 2;
    /// qualified→opportunity of 3 and 5 = 4; opportunity→won 10.
    #[test]
    fn the_funnel_with_the_arithmetic_written_out() {
        let leads = vec![
            lead(0, "a", Some(1), Some(4), Some((14, "500"))),
            lead(0, "a", Some(2), Some(7), None),
            lead(0, "b", Some(4), None, None),
            lead(0, "b", None, None, None),
        ];
        let f = funnel(&leads, &ReportFilter::default());
        assert_eq!((f.leads, f.qualified, f.opportunities, f.won), (4, 3, 2, 1));
        assert_eq!(
            f.rates,
            [Some(0.75), Some(2.0 / 3.0), Some(0.5), Some(0.25)]
        );
        assert_eq!(f.median_days, [Some(2.0), Some(4.0), Some(10.0)]);
        let only_b = ReportFilter {
            campaign: Some("b".into()),
            ..Default::default()
        };
        assert_eq!(funnel(&leads, &only_b).leads, 2);
        assert_eq!(funnel(&[], &only_b).rates, [None; 4]);
    }

    #[test]
    fn products_sold_by_month() {
        let sale = |day: i64, price: &str, q: i64, disc: &str| SaleRow {
            at: t0() + Duration::days(day),
            product: "CAM-1".into(),
            quantity: Decimal::from(q),
            unit_price: eur(price),
            discount: eur(disc),
            buyer: [("country".to_string(), "DE".to_string())].into(),
            owner: None,
        };
        let sales = vec![
            sale(0, "100", 1, "0"),
            sale(1, "90", 2, "10"),
            sale(2, "120", 1, "0"),
            sale(40, "100", 1, "0"),
            SaleRow {
                unit_price: Money::parse("1", "USD").unwrap(),
                discount: Money::parse("0", "USD").unwrap(),
                ..sale(3, "1", 1, "0")
            },
        ];
        let (rows, skipped) = products_sold(
            &sales,
            Period::Month,
            Currency::parse("EUR").unwrap(),
            &ReportFilter::default(),
        );
        assert_eq!(skipped, 1);
        assert_eq!(rows.len(), 2);
        let oct = &rows[0];
        assert_eq!(oct.period, "2026-10");
        // 100 + 2 × 90 − 10 + 120 = 390.
        assert_eq!(oct.revenue, Decimal::from(390));
        assert_eq!(
            (
                oct.min_unit_price,
                oct.median_unit_price,
                oct.max_unit_price
            ),
            (Decimal::from(90), Decimal::from(100), Decimal::from(120))
        );
        assert_eq!(oct.discounts, Decimal::from(10));
        let demo = demographics_by_product(&sales, &ReportFilter::default());
        let de = demo
            .iter()
            .find(|r| r.dimension == "country" && r.value == "DE")
            .unwrap();
        assert_eq!((de.lines, de.share), (5, 1.0)); // demographics count lines in any currency
    }

    proptest::proptest! {
        /// Every rate of the funnel, the performance and the pipeline reports is in [0, 1].
        #[test]
        fn rates_stay_in_the_unit_interval(
            rows in proptest::collection::vec((0i64..60, 0u8..4, 0u8..3, proptest::option::of(0u8..3), 0u8..3), 0..80),
            clicks in proptest::collection::vec((0i64..60, 0u8..3, 0u8..4), 0..80),
            impressions in 0u64..50,
        ) {
            let codes = ["a", "b", "c"];
            let leads: Vec<LeadRow> = rows.iter().map(|&(day, stage, c, ad, owner)| {
                let q = (stage >= 1).then_some(day + 1);
                let o = (stage >= 2).then_some(day + 2);
                let w = (stage >= 3).then_some((day + 3, "100"));
                let mut l = lead(day, codes[c as usize], q, o, w);
                l.ad = ad.map(|a| format!("ad{a}"));
                l.owner = Some(["ann", "bob", "cy"][owner as usize].into());
                l
            }).collect();
            let touches: Vec<TouchRow> = clicks.iter().map(|&(day, c, k)| TouchRow {
                at: t0() + Duration::days(day),
                kind: ["ad_click", "email_click", "web_visit", "affiliate_click"][k as usize].into(),
                campaign: Some(codes[c as usize].into()),
                ad: Some(format!("ad{c}")),
                affiliate: None,
                channel: "email".into(),
            }).collect();
            let mut camp = crate::marketing::Campaign::new(crate::id::CampaignId::new(1).unwrap(), crate::marketing::NewCampaign {
                code: "a".into(), name: "A".into(), channel: crate::marketing::CampaignChannel::Email,
                starts_on: t0().date_naive(), ends_on: t0().date_naive(), budget: eur("1000"),
                ads: vec![crate::marketing::Ad { code: "ad0".into(), name: String::new(), url: None, cost: eur("50"), impressions }],
                target_products: vec![], segments: vec![], geographies: vec![],
            });
            camp.other_cost = eur("10");
            let responders: HashMap<String, (u64, u64)> = [("a".to_string(), (10, 3))].into();
            let filter = ReportFilter { from: Some(t0() + Duration::days(5)), until: Some(t0() + Duration::days(50)), ..Default::default() };
            let f = funnel(&leads, &filter);
            for r in f.rates.iter().flatten() {
                proptest::prop_assert!((0.0..=1.0).contains(r));
            }
            let (perf, _) = performance(&touches, &leads, &[camp], &responders, Currency::parse("EUR").unwrap(), &filter);
            for r in &perf {
                for x in [r.click_through_rate, r.conversion_rate, r.win_rate, r.response_rate].into_iter().flatten() {
                    proptest::prop_assert!((0.0..=1.0).contains(&x), "{:?}", r);
                }
            }
            let deals: Vec<DealRow> = leads.iter().map(|l| DealRow {
                created_at: l.created_at, closed_at: l.won_at.or(l.opportunity_at),
                state: if l.won_at.is_some() { "won" } else if l.opportunity_at.is_some() { "lost" } else { "open" }.into(),
                stage: "s".into(), owner: l.owner.clone(), source: Some(l.source.clone()), campaign: l.campaign.clone(), amount: eur("100"),
            }).collect();
            for w in pipeline(&deals, Currency::parse("EUR").unwrap(), &filter).win_rates {
                proptest::prop_assert!(w.win_rate.is_none_or(|r| (0.0..=1.0).contains(&r)));
            }
        }
    }
}
