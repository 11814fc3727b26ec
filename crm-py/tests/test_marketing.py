"""Marketing from Python: the columnar reports on DataFrames checked against pandas. (The
stored campaigns, reports and automation are exercised by the parity scenario.)"""

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from crm_core import InputError, marketing

UTC = dt.timezone.utc


def day(d, h=9):
    return dt.datetime(2026, 10, 1, h, tzinfo=UTC) + dt.timedelta(days=d)


def frames(n_touch=20_000, n_leads=3_000, n_deals=2_000, seed=3):
    rng = np.random.default_rng(seed)
    base = np.datetime64("2026-01-01T00:00:00")
    secs = lambda n: base + rng.integers(0, 300 * 86400, n).astype("timedelta64[s]")  # noqa: E731
    pick = lambda keys, n: np.array(keys, dtype=object)[rng.integers(0, len(keys), n)]  # noqa: E731
    ads = [f"ad{i}" for i in range(40)] + [None]
    camps = [f"c{i}" for i in range(8)] + [None]
    touches = pd.DataFrame({
        "at": secs(n_touch), "click": rng.random(n_touch) < 0.6, "ad": pick(ads, n_touch),
        "affiliate": pick(["aff1", "aff2", None, None], n_touch), "campaign": pick(camps, n_touch),
        "channel": pick(["email", "social", "display"], n_touch),
    })
    created = secs(n_leads)
    won = rng.random(n_leads) < 0.2
    leads = pd.DataFrame({
        "created_at": created, "ad": pick(ads, n_leads), "affiliate": pick(["aff1", None], n_leads),
        "campaign": pick(camps, n_leads), "channel": pick(["email", "social"], n_leads),
        "qualified_at": np.where(rng.random(n_leads) < 0.5, created + np.timedelta64(3, "D"), np.datetime64("NaT")),
        "won_at": np.where(won, created + np.timedelta64(30, "D"), np.datetime64("NaT")),
        "won_cents": np.where(won, rng.integers(100, 10_000_000, n_leads), 0),
    })
    leads["opportunity_at"] = np.where(leads["qualified_at"].notna(), leads["qualified_at"] + pd.Timedelta(days=2), pd.NaT)
    leads.loc[leads["opportunity_at"].isna(), "won_at"] = pd.NaT
    leads.loc[leads["won_at"].isna(), "won_cents"] = 0
    opened = secs(n_deals)
    state = pick(["open", "won", "lost"], n_deals)
    deals = pd.DataFrame({
        "created_at": opened, "state": state,
        "closed_at": np.where(state == "open", np.datetime64("NaT"), opened + rng.integers(1, 90 * 86400, n_deals).astype("timedelta64[s]")),
        "stage": pick(["Prospect", "Proposal", "Negotiation"], n_deals), "owner": pick(["ann", "bob", "cy"], n_deals),
        "source": pick(["web", "fair", None], n_deals), "amount_cents": rng.integers(1000, 5_000_000, n_deals),
    })
    return touches, leads, deals


def test_columnar_reports_equal_pandas():
    touches, leads, deals = frames()
    perf = marketing.performance(touches, leads)
    for dim in ["ad", "affiliate", "campaign", "channel"]:
        ours = perf[perf["dimension"] == dim].set_index("key")
        clicks = touches[touches["click"]].groupby(dim).size()
        nleads = leads.groupby(dim).size()
        won = leads[leads["won_at"].notna()]
        cust = won.groupby(dim).size()
        rev = won.groupby(dim)["won_cents"].sum()
        for key in ours.index:
            assert ours.loc[key, "clicks"] == clicks.get(key, 0)
            assert ours.loc[key, "leads"] == nleads.get(key, 0)
            assert ours.loc[key, "customers"] == cust.get(key, 0)
            assert ours.loc[key, "revenue_cents"] == rev.get(key, 0)
        assert set(ours.index) == set(clicks.index) | set(nleads.index) | set(touches[dim].dropna())
    f = marketing.funnel(leads)
    assert f["counts"] == {
        "leads": len(leads), "qualified": int(leads["qualified_at"].notna().sum()),
        "opportunities": int(leads["opportunity_at"].notna().sum()), "won": int(leads["won_at"].notna().sum()),
    }
    assert f["median_days"]["to_qualified"] == pytest.approx(3.0)
    p = marketing.pipeline(deals)
    closed = deals[deals["state"] != "open"]
    by_owner = closed.groupby("owner").agg(closed=("state", "size"), won=("state", lambda s: (s == "won").sum()))
    ours = p["owners"].set_index("owner")
    for owner, row in by_owner.iterrows():
        assert (ours.loc[owner, "closed"], ours.loc[owner, "won"]) == (row["closed"], row["won"])
    w = closed[closed["state"] == "won"]
    cycle = ((w["closed_at"] - w["created_at"]).dt.total_seconds() / 86400).median()
    assert p["median_cycle_days"] == pytest.approx(cycle)
    open_ = deals[deals["state"] == "open"].groupby("stage")["amount_cents"].sum()
    assert dict(zip(p["stages"]["stage"], p["stages"]["cents"])) == open_.to_dict()
    with pytest.raises(InputError):
        marketing.pipeline(deals.assign(state="maybe"))
