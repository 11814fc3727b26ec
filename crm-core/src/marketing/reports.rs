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
use super::columns::{self, ColumnFilter, Dictionary};

/// Which rows a report reads.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportFilter {
    /// From this instant on.
    #[serde(default, with = "crate::time::rfc3339_opt")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<chrono::DateTime<chrono::Utc>>")
    )]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub from: Option<DateTime<Utc>>,
    /// Before this instant.
    #[serde(default, with = "crate::time::rfc3339_opt")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<chrono::DateTime<chrono::Utc>>")
    )]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub until: Option<DateTime<Utc>>,
    /// Only this owner's leads and deals.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub owner: Option<String>,
    /// Only this campaign's touches, leads and deals.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
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
    /// The line's revenue when it is known exactly (a priced order line: net of discounts
    /// and included taxes); otherwise quantity × unit price − discount.
    #[serde(default)]
    pub net: Option<Money>,
}

fn ratio(n: u64, d: u64) -> Option<f64> {
    (d > 0).then(|| n as f64 / d as f64)
}

fn div_money(n: Decimal, d: u64) -> Option<Decimal> {
    (d > 0).then(|| (n / Decimal::from(d)).round_dp(4))
}

/// Performance of ads, affiliates, campaigns or channels.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PerformanceRow {
    /// `ad`, `affiliate`, `campaign` or `channel`.
    pub dimension: String,
    /// The ad code, affiliate, campaign code or channel.
    pub key: String,
    /// Impressions (ads and campaigns: from the ads).
    pub impressions: usize,
    /// Clicks.
    pub clicks: usize,
    /// Leads it brought.
    pub leads: usize,
    /// Of those, won customers.
    pub customers: usize,
    /// Revenue won from them.
    pub revenue: Decimal,
    /// What it cost (ads and campaigns).
    pub cost: Decimal,
    /// Clicks ÷ impressions.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub click_through_rate: Option<f64>,
    /// Leads ÷ clicks (a lead can come without a click: can exceed 1 only if so; clamped).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub conversion_rate: Option<f64>,
    /// Customers ÷ leads.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub win_rate: Option<f64>,
    /// Cost ÷ leads.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub cost_per_lead: Option<Decimal>,
    /// Cost ÷ customers.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub cost_per_acquisition: Option<Decimal>,
    /// (Revenue − cost) ÷ cost.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub roi: Option<f64>,
    /// Campaign members (campaigns only).
    pub members: usize,
    /// Members who responded beyond opening (campaigns only).
    pub responders: usize,
    /// Responders ÷ members.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub response_rate: Option<f64>,
}

/// Money as integer units at one scale, for the columnar engine.
struct Units {
    scale: u32,
}

impl Units {
    fn for_amounts<'a>(currency: Currency, amounts: impl Iterator<Item = &'a Money>) -> Self {
        let scale = amounts
            .filter(|m| m.currency() == currency)
            .map(|m| m.amount().scale())
            .fold(currency.minor_units(), u32::max)
            .min(12);
        Units { scale }
    }

    fn of(&self, m: &Money) -> i64 {
        let mut a = m.amount();
        a.rescale(self.scale);
        i64::try_from(a.mantissa()).unwrap_or(if a.is_sign_negative() {
            i64::MIN + 1
        } else {
            i64::MAX
        })
    }

    fn decimal(&self, units: i128) -> Decimal {
        Decimal::try_from_i128_with_scale(units, self.scale).unwrap_or(Decimal::MAX)
    }
}

fn secs(t: Option<DateTime<Utc>>) -> i64 {
    t.map_or(columns::NO_TIME, |t| t.timestamp())
}

/// The filter as codes (an owner or campaign nobody has matches nothing).
fn column_filter(
    filter: &ReportFilter,
    owners: &Dictionary,
    campaigns: &Dictionary,
) -> ColumnFilter {
    const NOBODY: u32 = columns::NO_CODE - 1;
    ColumnFilter {
        from: filter.from.map(|t| t.timestamp()),
        until: filter.until.map(|t| t.timestamp()),
        owner: filter
            .owner
            .as_deref()
            .map(|o| owners.get(o).unwrap_or(NOBODY)),
        campaign: filter
            .campaign
            .as_deref()
            .map(|c| campaigns.get(c).unwrap_or(NOBODY)),
    }
}

/// Leads as columns (owners lower-cased for the filter), with wins in other currencies
/// than `currency` left out when `only_currency`.
struct LeadColumns {
    created_at: Vec<i64>,
    owner: Vec<u32>,
    keys: [Vec<u32>; 4],
    qualified_at: Vec<i64>,
    opportunity_at: Vec<i64>,
    won_at: Vec<i64>,
    won_units: Vec<i64>,
}

impl LeadColumns {
    fn view(&self) -> columns::Leads<'_> {
        columns::Leads {
            created_at: &self.created_at,
            owner: &self.owner,
            keys: [&self.keys[0], &self.keys[1], &self.keys[2], &self.keys[3]],
            qualified_at: &self.qualified_at,
            opportunity_at: &self.opportunity_at,
            won_at: &self.won_at,
            won_units: &self.won_units,
        }
    }
}

fn encode_leads(
    leads: &[LeadRow],
    dicts: &mut [Dictionary; 4],
    owners: &mut Dictionary,
    units: &Units,
    currency: Option<Currency>,
    skipped: &mut u64,
) -> LeadColumns {
    let n = leads.len();
    let mut c = LeadColumns {
        created_at: Vec::with_capacity(n),
        owner: Vec::with_capacity(n),
        keys: Default::default(),
        qualified_at: Vec::with_capacity(n),
        opportunity_at: Vec::with_capacity(n),
        won_at: Vec::with_capacity(n),
        won_units: Vec::with_capacity(n),
    };
    for l in leads {
        c.created_at.push(l.created_at.timestamp());
        c.owner
            .push(owners.code(l.owner.as_deref().map(str::to_lowercase).as_deref()));
        let keys = [
            l.ad.as_deref(),
            l.affiliate.as_deref(),
            l.campaign.as_deref(),
            Some(l.channel.as_str()),
        ];
        for (d, k) in keys.into_iter().enumerate() {
            c.keys[d].push(dicts[d].code(k));
        }
        c.qualified_at.push(secs(l.qualified_at));
        c.opportunity_at.push(secs(l.opportunity_at));
        let counted = match (currency, &l.won_amount) {
            (Some(cur), Some(m)) if m.currency() != cur => {
                if l.won_at.is_some() {
                    *skipped += 1;
                }
                false
            }
            _ => true,
        };
        c.won_at.push(if counted {
            secs(l.won_at)
        } else {
            columns::NO_TIME
        });
        c.won_units.push(
            l.won_amount
                .as_ref()
                .filter(|_| counted)
                .map_or(0, |m| units.of(m)),
        );
    }
    c
}

/// The performance report: one row per ad, affiliate, campaign and channel with any
/// activity or cost, in that order of dimensions, keys sorted. Revenue in `currency`
/// (wins in others skipped and counted). `responders` gives each campaign code's
/// (members, responders).
pub fn performance(
    touches: &[TouchRow],
    leads: &[LeadRow],
    campaigns: &[Campaign],
    responders: &HashMap<String, (u64, u64)>,
    currency: Currency,
    filter: &ReportFilter,
) -> (Vec<PerformanceRow>, u64) {
    let mut dicts: [Dictionary; 4] = Default::default();
    let mut owners = Dictionary::default();
    let units = Units::for_amounts(currency, leads.iter().filter_map(|l| l.won_amount.as_ref()));
    let mut t_keys: [Vec<u32>; 4] = Default::default();
    let mut t_at = Vec::with_capacity(touches.len());
    let mut t_click = Vec::with_capacity(touches.len());
    for t in touches {
        t_at.push(t.at.timestamp());
        t_click.push(u8::from(t.is_click()));
        let keys = [
            t.ad.as_deref(),
            t.affiliate.as_deref(),
            t.campaign.as_deref(),
            Some(t.channel.as_str()),
        ];
        for (d, k) in keys.into_iter().enumerate() {
            t_keys[d].push(dicts[d].code(k));
        }
    }
    let mut skipped = 0;
    // Leads count under the channel of their campaign when it is known.
    let channel_of: HashMap<&str, &str> = campaigns
        .iter()
        .map(|c| (c.code.as_str(), c.channel.as_str()))
        .collect();
    let leads: Vec<LeadRow> = leads
        .iter()
        .map(|l| {
            let mut l = l.clone();
            if let Some(ch) = l.campaign.as_deref().and_then(|c| channel_of.get(c)) {
                l.channel = (*ch).to_string();
            }
            l
        })
        .collect();
    let lc = encode_leads(
        &leads,
        &mut dicts,
        &mut owners,
        &units,
        Some(currency),
        &mut skipped,
    );
    // Campaign costs, impressions and members by the same codes.
    let mut extra: [BTreeMap<u32, (u64, Decimal, u64, u64)>; 4] = Default::default();
    for c in campaigns {
        if filter.campaign.as_deref().is_some_and(|x| x != c.code)
            || c.budget.currency() != currency
        {
            continue;
        }
        let impressions: u64 = c.ads.iter().map(|a| a.impressions as u64).sum();
        let cost = c.actual_cost().amount();
        let (members, resp) = responders.get(&c.code).copied().unwrap_or((0, 0));
        for (d, key) in [(2usize, c.code.as_str()), (3, c.channel.as_str())] {
            let e = extra[d].entry(dicts[d].code(Some(key))).or_default();
            e.0 += impressions;
            e.1 += cost;
            e.2 += members;
            e.3 += resp;
        }
        for ad in &c.ads {
            let e = extra[0].entry(dicts[0].code(Some(&ad.code))).or_default();
            e.0 += ad.impressions as u64;
            e.1 += ad.cost.amount();
        }
    }
    let owner_filter = ReportFilter {
        owner: filter.owner.as_ref().map(|o| o.to_lowercase()),
        ..filter.clone()
    };
    let cf = column_filter(&owner_filter, &owners, &dicts[2]);
    let view = columns::Touches {
        at: &t_at,
        click: &t_click,
        keys: [&t_keys[0], &t_keys[1], &t_keys[2], &t_keys[3]],
    };
    let sizes = [
        dicts[0].len(),
        dicts[1].len(),
        dicts[2].len(),
        dicts[3].len(),
    ];
    let totals = columns::key_totals(&view, &lc.view(), sizes, &cf);
    let names = ["ad", "affiliate", "campaign", "channel"];
    let mut rows = Vec::new();
    for (d, t) in totals.iter().enumerate() {
        let mut order: Vec<usize> = (0..sizes[d]).collect();
        order.sort_by(|a, b| dicts[d].keys[*a].cmp(&dicts[d].keys[*b]));
        for k in order {
            let (impressions, cost, members, resp) =
                extra[d].get(&(k as u32)).cloned().unwrap_or_default();
            let (clicks, leads, customers) = (t.clicks[k], t.leads[k], t.customers[k]);
            if clicks == 0 && leads == 0 && impressions == 0 && cost.is_zero() && members == 0 {
                continue;
            }
            let revenue = units.decimal(t.revenue[k]);
            rows.push(PerformanceRow {
                dimension: names[d].into(),
                key: dicts[d].keys[k].clone(),
                impressions: crate::tally(impressions),
                clicks: crate::tally(clicks),
                leads: crate::tally(leads),
                customers: crate::tally(customers),
                revenue,
                cost,
                click_through_rate: ratio(clicks, impressions).map(|r| r.min(1.0)),
                conversion_rate: ratio(leads, clicks).map(|r| r.min(1.0)),
                win_rate: ratio(customers, leads),
                cost_per_lead: div_money(cost, leads),
                cost_per_acquisition: div_money(cost, customers),
                roi: (!cost.is_zero()).then(|| {
                    use rust_decimal::prelude::ToPrimitive;
                    ((revenue - cost) / cost).to_f64().unwrap_or(0.0)
                }),
                members: crate::tally(members),
                responders: crate::tally(resp),
                response_rate: ratio(resp, members),
            });
        }
    }
    (rows, skipped)
}

/// The funnel lead → qualified → opportunity → won.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Funnel {
    /// Leads captured in the period.
    pub leads: usize,
    /// Of those, qualified.
    pub qualified: usize,
    /// Of those, turned into an opportunity.
    pub opportunities: usize,
    /// Of those, won.
    pub won: usize,
    /// qualified ÷ leads, opportunities ÷ qualified, won ÷ opportunities, won ÷ leads.
    pub rates: [Option<f64>; 4],
    /// Median days lead → qualified, qualified → opportunity, opportunity → won.
    pub median_days: [Option<f64>; 3],
}

/// The funnel of the leads captured in the filter's period.
pub fn funnel(leads: &[LeadRow], filter: &ReportFilter) -> Funnel {
    let mut dicts: [Dictionary; 4] = Default::default();
    let mut owners = Dictionary::default();
    let units = Units { scale: 0 };
    let lc = encode_leads(leads, &mut dicts, &mut owners, &units, None, &mut 0);
    let owner_filter = ReportFilter {
        owner: filter.owner.as_ref().map(|o| o.to_lowercase()),
        ..filter.clone()
    };
    let f = columns::funnel(
        &lc.view(),
        &column_filter(&owner_filter, &owners, &dicts[2]),
    );
    funnel_of(&f)
}

/// A [`Funnel`] from the columnar counts.
pub fn funnel_of(f: &columns::FunnelColumns) -> Funnel {
    let [n, q, o, w] = f.counts;
    Funnel {
        leads: crate::tally(n),
        qualified: crate::tally(q),
        opportunities: crate::tally(o),
        won: crate::tally(w),
        rates: [ratio(q, n), ratio(o, q), ratio(w, o), ratio(w, n)],
        median_days: f.median_days,
    }
}

/// Products sold by period.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductSalesRow {
    /// The period label (`2026-11`, `2026-Q4`).
    pub period: String,
    /// The product.
    pub product: String,
    /// How many lines.
    pub lines: usize,
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
        if s.unit_price.currency() != currency
            || s.discount.currency() != currency
            || s.net.is_some_and(|n| n.currency() != currency)
        {
            skipped += 1;
            continue;
        }
        let key = (period.label(s.at.date_naive()), s.product.clone());
        let g = groups.entry(key).or_default();
        g.0 += 1;
        g.1 += s.quantity;
        g.2 += s.net.map_or(
            s.quantity * s.unit_price.amount() - s.discount.amount(),
            |n| n.amount(),
        );
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
                    lines: crate::tally(lines),
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
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DemographicsRow {
    /// The product.
    pub product: String,
    /// `age_band`, `gender`, `income_band` or `country`.
    pub dimension: String,
    /// Its value (`unknown` when not recorded).
    pub value: String,
    /// Lines bought.
    pub lines: usize,
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
            lines: crate::tally(lines),
        })
        .collect()
}

/// Open pipeline by stage.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageRow {
    /// The stage.
    pub stage: String,
    /// Open deals in it.
    pub deals: usize,
    /// Their amount.
    pub amount: Decimal,
}

/// Win rate by a key (owner or source).
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WinRateRow {
    /// `owner` or `source`.
    pub dimension: String,
    /// The owner or source (`(none)` when missing).
    pub key: String,
    /// Deals closed (won or lost) in the period.
    pub closed: usize,
    /// Of those, won.
    pub won: usize,
    /// won ÷ closed.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub win_rate: Option<f64>,
    /// Amount won.
    pub won_amount: Decimal,
    /// Median days from opening to winning.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub median_cycle_days: Option<f64>,
}

/// The pipeline report: open deals by stage, win rates by owner and by source, and the
/// sales cycle (median days opening → won) — deals closed in the filter's period.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PipelineReport {
    /// Open deals by stage (any period), stages sorted by name.
    pub stages: Vec<StageRow>,
    /// Win rates by owner, then by source.
    pub win_rates: Vec<WinRateRow>,
    /// Median days from opening to winning, all deals won in the period.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub median_cycle_days: Option<f64>,
    /// Deals in other currencies, left out of the amounts.
    pub skipped_other_currency: usize,
}

/// Builds the pipeline report over `deals` in one pass.
pub fn pipeline(deals: &[DealRow], currency: Currency, filter: &ReportFilter) -> PipelineReport {
    let units = Units::for_amounts(currency, deals.iter().map(|d| &d.amount));
    let (mut stages, mut owners, mut sources, mut campaigns) = (
        Dictionary::default(),
        Dictionary::default(),
        Dictionary::default(),
        Dictionary::default(),
    );
    let n = deals.len();
    let (
        mut created,
        mut closed,
        mut state,
        mut stage,
        mut owner,
        mut source,
        mut campaign,
        mut amount,
    ) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    let mut skipped = 0;
    for d in deals {
        created.push(d.created_at.timestamp());
        closed.push(secs(d.closed_at));
        state.push(match d.state.as_str() {
            "won" => 1u8,
            "lost" => 2,
            _ => 0,
        });
        stage.push(stages.code(Some(&d.stage)));
        owner.push(owners.code(Some(d.owner.as_deref().unwrap_or("(none)"))));
        source.push(sources.code(Some(d.source.as_deref().unwrap_or("(none)"))));
        campaign.push(campaigns.code(d.campaign.as_deref()));
        if d.amount.currency() == currency {
            amount.push(units.of(&d.amount));
        } else {
            skipped += 1;
            amount.push(0);
        }
    }
    let view = columns::Deals {
        created_at: &created,
        closed_at: &closed,
        state: &state,
        stage: &stage,
        owner: &owner,
        source: &source,
        campaign: &campaign,
        units: &amount,
    };
    let cf = column_filter(filter, &owners, &campaigns);
    let p = columns::pipeline(&view, [stages.len(), owners.len(), sources.len()], &cf);
    pipeline_of(
        &p,
        [&stages.keys, &owners.keys, &sources.keys],
        &units,
        skipped,
    )
}

fn pipeline_of(
    p: &columns::PipelineColumns,
    keys: [&[String]; 3],
    units: &Units,
    skipped: u64,
) -> PipelineReport {
    let mut stages: Vec<StageRow> = (0..keys[0].len())
        .filter(|k| p.open[*k] > 0)
        .map(|k| StageRow {
            stage: keys[0][k].clone(),
            deals: crate::tally(p.open[k]),
            amount: units.decimal(p.open_units[k]),
        })
        .collect();
    stages.sort_by(|a, b| a.stage.cmp(&b.stage));
    let names = ["owner", "source"];
    let mut win_rates = Vec::new();
    for (g, groups) in p.by.iter().enumerate() {
        let mut rows: Vec<WinRateRow> = groups
            .iter()
            .enumerate()
            .filter(|(_, (closed, ..))| *closed > 0)
            .map(|(k, (closed, won, u, cycle))| WinRateRow {
                dimension: names[g].into(),
                key: keys[g + 1][k].clone(),
                closed: crate::tally(*closed),
                won: crate::tally(*won),
                win_rate: ratio(*won, *closed),
                won_amount: units.decimal(*u),
                median_cycle_days: *cycle,
            })
            .collect();
        rows.sort_by(|a, b| a.key.cmp(&b.key));
        win_rates.extend(rows);
    }
    PipelineReport {
        stages,
        win_rates,
        median_cycle_days: p.median_cycle_days,
        skipped_other_currency: crate::tally(skipped),
    }
}

/// A plan target next to what happened.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
            net: None,
        };
        let sales = vec![
            sale(0, "100", 1, "0"),
            sale(1, "90", 2, "10"),
            sale(2, "120", 1, "0"),
            sale(40, "100", 1, "0"),
            // An order line priced with an included tax: its net (83.33) is the revenue.
            SaleRow {
                net: Some(eur("83.33")),
                ..sale(45, "100", 1, "0")
            },
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
        assert_eq!(rows[1].revenue, Decimal::new(18333, 2)); // November: 100 + 83.33
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
        assert_eq!((de.lines, de.share), (6, 1.0)); // demographics count lines in any currency
    }

    proptest::proptest! {
        /// Every rate of the funnel, the performance and the pipeline reports is in [0, 1].
        #[test]
        fn rates_stay_in_the_unit_interval(
            rows in proptest::collection::vec((0i64..60, 0u8..4, 0u8..3, proptest::option::of(0u8..3), 0u8..3), 0..80),
            clicks in proptest::collection::vec((0i64..60, 0u8..3, 0u8..4), 0..80),
            impressions in 0usize..50,
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
            let mut camp = crate::marketing::Campaign::new(crate::id::CampaignId::new(1).unwrap(), crate::marketing::NewCampaign { custom: Default::default(),
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
