//! The columnar marketing report engine for Python: touchpoint and lead columns read from
//! numpy arrays in place with the GIL released (`performance_columns`, `funnel_columns`,
//! `pipeline_columns`), so DataFrames of a million touchpoints are reported on directly.
//! (The stored campaigns, segments, plans, reports and automation are the `marketing`
//! namespace of `Crm`, generated from the declaration.)

use crm_core::marketing::columns::{self, ColumnFilter};
use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::errors::input;

/// A read-only contiguous numpy vector, or an `InputError` naming it.
fn slice<'a, T: numpy::Element>(
    py: Python<'_>,
    what: &str,
    a: &'a PyReadonlyArray1<'_, T>,
    n: usize,
) -> PyResult<&'a [T]> {
    let s = a
        .as_slice()
        .map_err(|_| input(py, format!("{what} must be a contiguous 1-D array")))?;
    if s.len() != n {
        return Err(input(
            py,
            format!("{what} has {} values for {n} rows", s.len()),
        ));
    }
    Ok(s)
}

fn filter(
    from: Option<i64>,
    until: Option<i64>,
    owner: Option<u32>,
    campaign: Option<u32>,
) -> ColumnFilter {
    ColumnFilter {
        from,
        until,
        owner,
        campaign,
    }
}

/// Per-code totals of the columnar engine: touch columns (at, click, ad, affiliate,
/// campaign, channel codes), lead columns (created, owner, the four codes, qualified,
/// opportunity, won, won units), the four dictionary sizes and the filter; a dict of
/// numpy arrays `clicks_<d>`, `leads_<d>`, `customers_<d>`, `revenue_<d>` (d = 0 … 3).
#[pyfunction]
#[pyo3(signature = (touch_at, touch_click, touch_keys, lead_created, lead_owner, lead_keys, qualified_at, opportunity_at, won_at, won_units, sizes, from_=None, until=None, owner=None, campaign=None))]
#[allow(clippy::too_many_arguments)]
pub fn performance_columns<'py>(
    py: Python<'py>,
    touch_at: PyReadonlyArray1<'py, i64>,
    touch_click: PyReadonlyArray1<'py, u8>,
    touch_keys: [PyReadonlyArray1<'py, u32>; 4],
    lead_created: PyReadonlyArray1<'py, i64>,
    lead_owner: PyReadonlyArray1<'py, u32>,
    lead_keys: [PyReadonlyArray1<'py, u32>; 4],
    qualified_at: PyReadonlyArray1<'py, i64>,
    opportunity_at: PyReadonlyArray1<'py, i64>,
    won_at: PyReadonlyArray1<'py, i64>,
    won_units: PyReadonlyArray1<'py, i64>,
    sizes: [usize; 4],
    from_: Option<i64>,
    until: Option<i64>,
    owner: Option<u32>,
    campaign: Option<u32>,
) -> PyResult<Bound<'py, PyDict>> {
    let nt = touch_at.len()?;
    let nl = lead_created.len()?;
    let tk = [
        slice(py, "touch ad codes", &touch_keys[0], nt)?,
        slice(py, "touch affiliate codes", &touch_keys[1], nt)?,
        slice(py, "touch campaign codes", &touch_keys[2], nt)?,
        slice(py, "touch channel codes", &touch_keys[3], nt)?,
    ];
    let touches = columns::Touches {
        at: slice(py, "touch instants", &touch_at, nt)?,
        click: slice(py, "touch clicks", &touch_click, nt)?,
        keys: tk,
    };
    let lk = [
        slice(py, "lead ad codes", &lead_keys[0], nl)?,
        slice(py, "lead affiliate codes", &lead_keys[1], nl)?,
        slice(py, "lead campaign codes", &lead_keys[2], nl)?,
        slice(py, "lead channel codes", &lead_keys[3], nl)?,
    ];
    let leads = columns::Leads {
        created_at: slice(py, "lead instants", &lead_created, nl)?,
        owner: slice(py, "lead owners", &lead_owner, nl)?,
        keys: lk,
        qualified_at: slice(py, "qualified_at", &qualified_at, nl)?,
        opportunity_at: slice(py, "opportunity_at", &opportunity_at, nl)?,
        won_at: slice(py, "won_at", &won_at, nl)?,
        won_units: slice(py, "won_units", &won_units, nl)?,
    };
    let f = filter(from_, until, owner, campaign);
    let totals = py.detach(|| columns::key_totals(&touches, &leads, sizes, &f));
    let out = PyDict::new(py);
    for (d, t) in totals.into_iter().enumerate() {
        out.set_item(format!("clicks_{d}"), PyArray1::from_vec(py, t.clicks))?;
        out.set_item(format!("leads_{d}"), PyArray1::from_vec(py, t.leads))?;
        out.set_item(
            format!("customers_{d}"),
            PyArray1::from_vec(py, t.customers),
        )?;
        let revenue: Vec<i64> = t
            .revenue
            .into_iter()
            .map(|r| i64::try_from(r).unwrap_or(i64::MAX))
            .collect();
        out.set_item(format!("revenue_{d}"), PyArray1::from_vec(py, revenue))?;
    }
    Ok(out)
}

/// The funnel over lead columns: (counts[4], median days[3] with NaN for none).
#[pyfunction]
#[pyo3(signature = (created, owner, campaign_codes, qualified_at, opportunity_at, won_at, from_=None, until=None, owner_code=None, campaign=None))]
#[allow(clippy::too_many_arguments)]
pub fn funnel_columns<'py>(
    py: Python<'py>,
    created: PyReadonlyArray1<'py, i64>,
    owner: PyReadonlyArray1<'py, u32>,
    campaign_codes: PyReadonlyArray1<'py, u32>,
    qualified_at: PyReadonlyArray1<'py, i64>,
    opportunity_at: PyReadonlyArray1<'py, i64>,
    won_at: PyReadonlyArray1<'py, i64>,
    from_: Option<i64>,
    until: Option<i64>,
    owner_code: Option<u32>,
    campaign: Option<u32>,
) -> PyResult<([u64; 4], [f64; 3])> {
    let n = created.len()?;
    let camp = slice(py, "campaign codes", &campaign_codes, n)?;
    let zeros = vec![0i64; n];
    let leads = columns::Leads {
        created_at: slice(py, "created", &created, n)?,
        owner: slice(py, "owners", &owner, n)?,
        keys: [camp, camp, camp, camp],
        qualified_at: slice(py, "qualified_at", &qualified_at, n)?,
        opportunity_at: slice(py, "opportunity_at", &opportunity_at, n)?,
        won_at: slice(py, "won_at", &won_at, n)?,
        won_units: &zeros,
    };
    let f = filter(from_, until, owner_code, campaign);
    let r = py.detach(|| columns::funnel(&leads, &f));
    Ok((r.counts, r.median_days.map(|d| d.unwrap_or(f64::NAN))))
}

/// The pipeline over deal columns; a dict of numpy arrays: `open`, `open_units` per stage
/// code; `closed_<g>`, `won_<g>`, `won_units_<g>`, `median_cycle_<g>` per owner (g = 0)
/// and source (g = 1) code; and `median_cycle_days`.
#[pyfunction]
#[pyo3(signature = (created, closed, state, stage, owner, source, campaign_codes, units, sizes, from_=None, until=None, owner_code=None, campaign=None))]
#[allow(clippy::too_many_arguments)]
pub fn pipeline_columns<'py>(
    py: Python<'py>,
    created: PyReadonlyArray1<'py, i64>,
    closed: PyReadonlyArray1<'py, i64>,
    state: PyReadonlyArray1<'py, u8>,
    stage: PyReadonlyArray1<'py, u32>,
    owner: PyReadonlyArray1<'py, u32>,
    source: PyReadonlyArray1<'py, u32>,
    campaign_codes: PyReadonlyArray1<'py, u32>,
    units: PyReadonlyArray1<'py, i64>,
    sizes: [usize; 3],
    from_: Option<i64>,
    until: Option<i64>,
    owner_code: Option<u32>,
    campaign: Option<u32>,
) -> PyResult<Bound<'py, PyDict>> {
    let n = created.len()?;
    let deals = columns::Deals {
        created_at: slice(py, "created", &created, n)?,
        closed_at: slice(py, "closed", &closed, n)?,
        state: slice(py, "state", &state, n)?,
        stage: slice(py, "stage codes", &stage, n)?,
        owner: slice(py, "owner codes", &owner, n)?,
        source: slice(py, "source codes", &source, n)?,
        campaign: slice(py, "campaign codes", &campaign_codes, n)?,
        units: slice(py, "units", &units, n)?,
    };
    let f = filter(from_, until, owner_code, campaign);
    let p = py.detach(|| columns::pipeline(&deals, sizes, &f));
    let out = PyDict::new(py);
    let to_i64 = |v: Vec<i128>| -> Vec<i64> {
        v.into_iter()
            .map(|x| i64::try_from(x).unwrap_or(i64::MAX))
            .collect()
    };
    out.set_item("open", PyArray1::from_vec(py, p.open))?;
    out.set_item("open_units", PyArray1::from_vec(py, to_i64(p.open_units)))?;
    for (g, groups) in p.by.into_iter().enumerate() {
        out.set_item(
            format!("closed_{g}"),
            PyArray1::from_vec(py, groups.iter().map(|x| x.0).collect()),
        )?;
        out.set_item(
            format!("won_{g}"),
            PyArray1::from_vec(py, groups.iter().map(|x| x.1).collect()),
        )?;
        out.set_item(
            format!("won_units_{g}"),
            PyArray1::from_vec(py, to_i64(groups.iter().map(|x| x.2).collect())),
        )?;
        out.set_item(
            format!("median_cycle_{g}"),
            PyArray1::from_vec(py, groups.iter().map(|x| x.3.unwrap_or(f64::NAN)).collect()),
        )?;
    }
    out.set_item("median_cycle_days", p.median_cycle_days.unwrap_or(f64::NAN))?;
    Ok(out)
}
