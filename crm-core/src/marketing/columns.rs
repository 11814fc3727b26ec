//! The columnar engine behind the reports: inputs as parallel arrays (instants in seconds
//! since the epoch, keys as dictionary codes, money as integer units at a fixed scale),
//! aggregated in one pass into dense arrays indexed by code. The row-based functions of
//! [`super::reports`] encode their rows into these columns and call it, and the bindings
//! hand it numpy / Arrow memory directly (a million touchpoints in milliseconds).

use serde::{Deserialize, Serialize};

/// "No value" for an instant column.
pub const NO_TIME: i64 = i64::MIN;
/// "No value" for a code column.
pub const NO_CODE: u32 = u32::MAX;

/// The period, owner and campaign a report reads, as columns see them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ColumnFilter {
    /// From this instant (seconds) on.
    pub from: Option<i64>,
    /// Before this instant (seconds).
    pub until: Option<i64>,
    /// Only this owner code.
    pub owner: Option<u32>,
    /// Only this campaign code (the third key of touches and leads).
    pub campaign: Option<u32>,
}

impl ColumnFilter {
    fn in_period(&self, t: i64) -> bool {
        self.from.is_none_or(|f| t >= f) && self.until.is_none_or(|u| t < u)
    }
}

/// Touchpoints: when, whether a click, and their keys (ad, affiliate, campaign, channel).
#[derive(Debug, Clone, Copy)]
pub struct Touches<'a> {
    /// Seconds since the epoch.
    pub at: &'a [i64],
    /// 1 for a click (ad, affiliate, e-mail click), else 0.
    pub click: &'a [u8],
    /// Codes of ad, affiliate, campaign and channel ([`NO_CODE`]: none).
    pub keys: [&'a [u32]; 4],
}

/// Leads: when captured, owner, keys, how far they went and what was won.
#[derive(Debug, Clone, Copy)]
pub struct Leads<'a> {
    /// Seconds since the epoch.
    pub created_at: &'a [i64],
    /// Owner code.
    pub owner: &'a [u32],
    /// Codes of ad, affiliate, campaign and channel.
    pub keys: [&'a [u32]; 4],
    /// When qualified ([`NO_TIME`]: never).
    pub qualified_at: &'a [i64],
    /// When it became an opportunity.
    pub opportunity_at: &'a [i64],
    /// When that was won.
    pub won_at: &'a [i64],
    /// Amount won, in units of the report's scale (0 when not won).
    pub won_units: &'a [i64],
}

/// Opportunities.
#[derive(Debug, Clone, Copy)]
pub struct Deals<'a> {
    /// Opened (seconds).
    pub created_at: &'a [i64],
    /// Closed ([`NO_TIME`]: open).
    pub closed_at: &'a [i64],
    /// 0 open, 1 won, 2 lost.
    pub state: &'a [u8],
    /// Stage code.
    pub stage: &'a [u32],
    /// Owner code.
    pub owner: &'a [u32],
    /// Source code.
    pub source: &'a [u32],
    /// Campaign code.
    pub campaign: &'a [u32],
    /// Amount, in units of the report's scale.
    pub units: &'a [i64],
}

/// Per key of one dimension: clicks, leads, customers, revenue units.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyTotals {
    /// Clicks per code.
    pub clicks: Vec<u64>,
    /// Leads per code.
    pub leads: Vec<u64>,
    /// Won customers per code.
    pub customers: Vec<u64>,
    /// Revenue units per code.
    pub revenue: Vec<i128>,
}

impl KeyTotals {
    fn new(n: usize) -> Self {
        KeyTotals {
            clicks: vec![0; n],
            leads: vec![0; n],
            customers: vec![0; n],
            revenue: vec![0; n],
        }
    }
}

/// The totals by ad, affiliate, campaign and channel; `sizes` are the dictionaries'
/// sizes. Codes at or above a size are ignored (as are [`NO_CODE`]s). One pass over each
/// input; the instants are read only when the filter has a period.
pub fn key_totals(
    touches: &Touches<'_>,
    leads: &Leads<'_>,
    sizes: [usize; 4],
    filter: &ColumnFilter,
) -> [KeyTotals; 4] {
    let mut out = sizes.map(KeyTotals::new);
    let period = filter.from.is_some() || filter.until.is_some();
    let campaign_ok = |c: u32| filter.campaign.is_none_or(|x| x == c);
    let [k0, k1, k2, k3] = touches.keys;
    let n = touches.at.len();
    let (k0, k1, k2, k3, click) = (&k0[..n], &k1[..n], &k2[..n], &k3[..n], &touches.click[..n]);
    // Clicks are counted in four lanes per key (by row index), so that runs of rows with
    // the same key (a handful of channels) do not wait on one counter; lanes are summed
    // at the end. A million rows or so are split between two threads (integer counts:
    // the same totals either way).
    const LANES: usize = 4;
    let count = |rows: std::ops::Range<usize>| -> [Vec<u32>; 4] {
        let mut lanes: [Vec<u32>; 4] = sizes.map(|s| vec![0u32; s * LANES]);
        let filtered = period || filter.campaign.is_some();
        for i in rows {
            // Branch-free on the click flag (half the rows, in no order): every row adds
            // 0 or 1, so the loop never mispredicts on it.
            let mut inc = u32::from(click[i] != 0);
            if filtered && ((period && !filter.in_period(touches.at[i])) || !campaign_ok(k2[i])) {
                inc = 0;
            }
            let lane = i % LANES;
            for (counts, k) in lanes.iter_mut().zip([k0[i], k1[i], k2[i], k3[i]]) {
                if let Some(c) = counts.get_mut(k as usize * LANES + lane) {
                    *c += inc;
                }
            }
        }
        lanes
    };
    let lanes = if n >= 400_000 {
        std::thread::scope(|s| {
            let second = s.spawn(|| count(n / 2..n));
            let mut first = count(0..n / 2);
            let second = second.join().unwrap_or_else(|_| count(n / 2..n));
            for (a, b) in first.iter_mut().zip(second) {
                for (x, y) in a.iter_mut().zip(b) {
                    *x += y;
                }
            }
            first
        })
    } else {
        count(0..n)
    };
    for (totals, counts) in out.iter_mut().zip(&lanes) {
        for (k, chunk) in counts.chunks_exact(LANES).enumerate() {
            totals.clicks[k] = chunk.iter().map(|&c| u64::from(c)).sum();
        }
    }
    for i in 0..leads.created_at.len() {
        if (period && !filter.in_period(leads.created_at[i]))
            || filter.owner.is_some_and(|o| leads.owner[i] != o)
            || !campaign_ok(leads.keys[2][i])
        {
            continue;
        }
        let won = leads.won_at[i] != NO_TIME;
        for (d, totals) in out.iter_mut().enumerate() {
            let k = leads.keys[d][i] as usize;
            if k < totals.leads.len() {
                totals.leads[k] += 1;
                if won {
                    totals.customers[k] += 1;
                    totals.revenue[k] += i128::from(leads.won_units[i]);
                }
            }
        }
    }
    out
}

/// Funnel counts and the stage-to-stage durations (days) it found.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FunnelColumns {
    /// Leads, qualified, opportunities, won.
    pub counts: [u64; 4],
    /// Median days lead → qualified, qualified → opportunity, opportunity → won.
    pub median_days: [Option<f64>; 3],
}

/// The median of `v` (the mean of the two middle values for an even count), found by
/// selection in O(n).
pub fn median(mut v: Vec<f64>) -> Option<f64> {
    let n = v.len();
    if n == 0 {
        return None;
    }
    let (lower, mid, _) = v.select_nth_unstable_by(n / 2, f64::total_cmp);
    let mid = *mid;
    Some(if n % 2 == 1 {
        mid
    } else {
        let below = lower.iter().copied().max_by(f64::total_cmp).unwrap_or(mid);
        (below + mid) / 2.0
    })
}

fn days(a: i64, b: i64) -> f64 {
    (b - a) as f64 / 86_400.0
}

/// The funnel over the leads captured in the filter's period.
pub fn funnel(leads: &Leads<'_>, filter: &ColumnFilter) -> FunnelColumns {
    let mut counts = [0u64; 4];
    let mut spans: [Vec<f64>; 3] = Default::default();
    for i in 0..leads.created_at.len() {
        if !filter.in_period(leads.created_at[i])
            || filter.owner.is_some_and(|o| leads.owner[i] != o)
            || filter.campaign.is_some_and(|c| leads.keys[2][i] != c)
        {
            continue;
        }
        counts[0] += 1;
        let stages = [
            leads.created_at[i],
            leads.qualified_at[i],
            leads.opportunity_at[i],
            leads.won_at[i],
        ];
        for s in 1..4 {
            if stages[s] == NO_TIME {
                break;
            }
            counts[s] += 1;
            spans[s - 1].push(days(stages[s - 1], stages[s]));
        }
    }
    let [a, b, c] = spans;
    FunnelColumns {
        counts,
        median_days: [median(a), median(b), median(c)],
    }
}

/// Deals closed, won, units won and the median cycle (days) of one owner or source.
pub type WinTotals = (u64, u64, i128, Option<f64>);

/// Pipeline totals: open deals and amounts by stage; closed, won, won units and cycles by
/// owner and by source; every won cycle.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PipelineColumns {
    /// Open deals per stage code.
    pub open: Vec<u64>,
    /// Open units per stage code.
    pub open_units: Vec<i128>,
    /// Per owner code, then per source code.
    pub by: [Vec<WinTotals>; 2],
    /// Median days opening → won over all deals won in the period.
    pub median_cycle_days: Option<f64>,
}

/// The pipeline report over `deals`; `sizes` are the stage, owner and source dictionaries'
/// sizes.
pub fn pipeline(deals: &Deals<'_>, sizes: [usize; 3], filter: &ColumnFilter) -> PipelineColumns {
    let mut open = vec![0u64; sizes[0]];
    let mut open_units = vec![0i128; sizes[0]];
    type Group = (u64, u64, i128, Vec<f64>);
    let mut acc: [Vec<Group>; 2] = [
        vec![(0, 0, 0, Vec::new()); sizes[1]],
        vec![(0, 0, 0, Vec::new()); sizes[2]],
    ];
    let mut cycles = Vec::new();
    for i in 0..deals.created_at.len() {
        if filter.owner.is_some_and(|o| deals.owner[i] != o)
            || filter.campaign.is_some_and(|c| deals.campaign[i] != c)
        {
            continue;
        }
        if deals.state[i] == 0 {
            let s = deals.stage[i] as usize;
            if s < sizes[0] {
                open[s] += 1;
                open_units[s] += i128::from(deals.units[i]);
            }
            continue;
        }
        let closed = deals.closed_at[i];
        if closed == NO_TIME || !filter.in_period(closed) {
            continue;
        }
        let won = deals.state[i] == 1;
        let cycle = days(deals.created_at[i], closed);
        if won {
            cycles.push(cycle);
        }
        for (g, code) in [deals.owner[i], deals.source[i]].into_iter().enumerate() {
            let k = code as usize;
            if k < sizes[g + 1] {
                let e = &mut acc[g][k];
                e.0 += 1;
                if won {
                    e.1 += 1;
                    e.2 += i128::from(deals.units[i]);
                    e.3.push(cycle);
                }
            }
        }
    }
    let [owners, sources] = acc.map(|v| {
        v.into_iter()
            .map(|(c, w, u, cyc)| (c, w, u, median(cyc)))
            .collect::<Vec<_>>()
    });
    PipelineColumns {
        open,
        open_units,
        by: [owners, sources],
        median_cycle_days: median(cycles),
    }
}

/// A dictionary: assigns codes to keys in order of first appearance.
#[derive(Debug, Clone, Default)]
pub struct Dictionary {
    codes: std::collections::HashMap<String, u32>,
    /// The keys, by code.
    pub keys: Vec<String>,
}

impl Dictionary {
    /// The code of `key` (a new one if unseen); [`NO_CODE`] for none.
    pub fn code(&mut self, key: Option<&str>) -> u32 {
        let Some(key) = key else { return NO_CODE };
        if let Some(c) = self.codes.get(key) {
            return *c;
        }
        let c = u32::try_from(self.keys.len()).expect("fewer than 4 billion keys");
        self.codes.insert(key.to_string(), c);
        self.keys.push(key.to_string());
        c
    }

    /// The code of `key` if it is known.
    pub fn get(&self, key: &str) -> Option<u32> {
        self.codes.get(key).copied()
    }

    /// How many keys.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether it has no key.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Half a million touches (the two-thread path) against a plain count.
    #[test]
    fn totals_match_a_plain_count_on_both_paths() {
        for n in [1_000usize, 500_000] {
            let mut x = 7u64;
            let mut next = |m: u64| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (x >> 33) % m
            };
            let at: Vec<i64> = (0..n).map(|_| next(1000) as i64).collect();
            let click: Vec<u8> = (0..n).map(|_| (next(2)) as u8).collect();
            let sizes = [50usize, 3, 7, 2];
            let keys: Vec<Vec<u32>> = sizes
                .iter()
                .map(|&s| {
                    (0..n)
                        .map(|_| {
                            let v = next(s as u64 + 1) as u32;
                            if v as usize == s { NO_CODE } else { v }
                        })
                        .collect()
                })
                .collect();
            let touches = Touches {
                at: &at,
                click: &click,
                keys: [&keys[0], &keys[1], &keys[2], &keys[3]],
            };
            let empty_i: Vec<i64> = Vec::new();
            let empty_u: Vec<u32> = Vec::new();
            let leads = Leads {
                created_at: &empty_i,
                owner: &empty_u,
                keys: [&empty_u, &empty_u, &empty_u, &empty_u],
                qualified_at: &empty_i,
                opportunity_at: &empty_i,
                won_at: &empty_i,
                won_units: &empty_i,
            };
            for filter in [
                ColumnFilter::default(),
                ColumnFilter {
                    from: Some(100),
                    until: Some(700),
                    owner: None,
                    campaign: Some(3),
                },
            ] {
                let totals = key_totals(&touches, &leads, sizes, &filter);
                for d in 0..4 {
                    let mut expected = vec![0u64; sizes[d]];
                    for i in 0..n {
                        let ok = click[i] == 1
                            && filter.in_period(at[i])
                            && filter.campaign.is_none_or(|c| keys[2][i] == c);
                        if ok && (keys[d][i] as usize) < sizes[d] {
                            expected[keys[d][i] as usize] += 1;
                        }
                    }
                    assert_eq!(totals[d].clicks, expected, "n {n}, dimension {d}");
                }
            }
        }
    }

    #[test]
    fn medians_by_selection() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![3.0]), Some(3.0));
        assert_eq!(median(vec![4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(vec![5.0, 1.0, 4.0]), Some(4.0));
    }
}
