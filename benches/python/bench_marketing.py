"""The marketing reports over 1M touchpoints, 100k leads and 100k opportunities: crm_core's
columnar engine (``crm_core.marketing.performance`` / ``funnel`` / ``pipeline``) against
the same reports written with pandas groupby, same run, same frames; the numbers are
compared and must be identical.

Key columns are pandas categoricals (how a data scientist keeps a million repeated
campaign and ad names) in the main run, and plain object strings in a second run.

    .venv/bin/python benches/python/bench_marketing.py
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from crm_core import marketing

N_TOUCH = 1_000_000
N_LEADS = 100_000
N_DEALS = 100_000
DIMS = ["ad", "affiliate", "campaign", "channel"]


def frames(categorical: bool, seed: int = 7):
    rng = np.random.default_rng(seed)
    base = np.datetime64("2026-01-01T00:00:00")

    def secs(n):
        return base + rng.integers(0, 330 * 86400, n).astype("timedelta64[s]")

    def pick(keys, n):
        col = pd.Series(np.array(keys, dtype=object)[rng.integers(0, len(keys), n)])
        return col.astype("category") if categorical else col

    ads = [f"ad-{i:04d}" for i in range(2000)] + [None] * 200
    camps = [f"campaign-{i:03d}" for i in range(120)] + [None] * 10
    affs = [f"affiliate-{i:03d}" for i in range(300)] + [None] * 600
    chans = ["email", "paid_search", "social", "display", "affiliate", "event"]
    touches = pd.DataFrame(
        {
            "at": secs(N_TOUCH),
            "click": rng.random(N_TOUCH) < 0.55,
            "ad": pick(ads, N_TOUCH),
            "affiliate": pick(affs, N_TOUCH),
            "campaign": pick(camps, N_TOUCH),
            "channel": pick(chans, N_TOUCH),
        }
    )
    created = secs(N_LEADS)
    qualified = rng.random(N_LEADS) < 0.45
    opp = qualified & (rng.random(N_LEADS) < 0.6)
    won = opp & (rng.random(N_LEADS) < 0.35)
    nat = np.datetime64("NaT")
    q_at = np.where(qualified, created + rng.integers(3600, 20 * 86400, N_LEADS).astype("timedelta64[s]"), nat)
    o_at = np.where(opp, q_at + rng.integers(3600, 30 * 86400, N_LEADS).astype("timedelta64[s]"), nat)
    w_at = np.where(won, o_at + rng.integers(86400, 90 * 86400, N_LEADS).astype("timedelta64[s]"), nat)
    leads = pd.DataFrame(
        {
            "created_at": created,
            "ad": pick(ads, N_LEADS),
            "affiliate": pick(affs, N_LEADS),
            "campaign": pick(camps, N_LEADS),
            "channel": pick(chans, N_LEADS),
            "qualified_at": q_at,
            "opportunity_at": o_at,
            "won_at": w_at,
            "won_cents": np.where(won, rng.integers(10_000, 50_000_000, N_LEADS), 0),
        }
    )
    opened = secs(N_DEALS)
    state = np.array(["open", "won", "lost"], dtype=object)[rng.integers(0, 3, N_DEALS)]
    deals = pd.DataFrame(
        {
            "created_at": opened,
            "closed_at": np.where(state == "open", nat, opened + rng.integers(3600, 200 * 86400, N_DEALS).astype("timedelta64[s]")),
            "state": state,
            "stage": pick(["Prospecting", "Qualification", "Proposal", "Negotiation"], N_DEALS),
            "owner": pick([f"rep-{i:02d}" for i in range(40)], N_DEALS),
            "source": pick(["web", "fair", "partner", "referral", None], N_DEALS),
            "amount_cents": rng.integers(100_000, 100_000_000, N_DEALS),
        }
    )
    return touches, leads, deals


def ours(touches, leads, deals):
    return marketing.performance(touches, leads), marketing.funnel(leads), marketing.pipeline(deals)


def theirs(touches, leads, deals):
    """The same reports with pandas groupby."""
    clicks = touches[touches["click"]]
    won = leads[leads["won_at"].notna()]
    perf = {}
    for d in DIMS:
        perf[d] = pd.DataFrame(
            {
                "clicks": clicks.groupby(d, observed=True).size(),
                "leads": leads.groupby(d, observed=True).size(),
                "customers": won.groupby(d, observed=True).size(),
                "revenue_cents": won.groupby(d, observed=True)["won_cents"].sum(),
            }
        ).fillna(0).astype(np.int64)
    q = leads["qualified_at"].notna()
    o = leads["opportunity_at"].notna() & q
    w = leads["won_at"].notna() & o
    day = pd.Timedelta(days=1)
    funnel = {
        "counts": (len(leads), int(q.sum()), int(o.sum()), int(w.sum())),
        "median_days": (
            ((leads.loc[q, "qualified_at"] - leads.loc[q, "created_at"]) / day).median(),
            ((leads.loc[o, "opportunity_at"] - leads.loc[o, "qualified_at"]) / day).median(),
            ((leads.loc[w, "won_at"] - leads.loc[w, "opportunity_at"]) / day).median(),
        ),
    }
    open_ = deals[deals["state"] == "open"]
    closed = deals[deals["state"] != "open"].copy()
    closed["is_won"] = closed["state"] == "won"
    closed["won_cents"] = closed["amount_cents"].where(closed["is_won"], 0)
    closed["cycle"] = (closed["closed_at"] - closed["created_at"]) / day
    wins = closed[closed["is_won"]]
    pipeline = {
        "stages": open_.groupby("stage", observed=True)["amount_cents"].agg(["size", "sum"]),
        "owners": closed.groupby("owner", observed=True).agg(closed=("is_won", "size"), won=("is_won", "sum"), won_cents=("won_cents", "sum")),
        "owner_cycle": wins.groupby("owner", observed=True)["cycle"].median(),
        "sources": closed.groupby("source", observed=True).agg(closed=("is_won", "size"), won=("is_won", "sum"), won_cents=("won_cents", "sum")),
        "median_cycle_days": wins["cycle"].median(),
    }
    return perf, funnel, pipeline


def compare(a, b) -> None:
    perf, funnel, pipeline = a
    tperf, tfunnel, tpipe = b
    for d in DIMS:
        mine = perf[perf["dimension"] == d].set_index("key")[["clicks", "leads", "customers", "revenue_cents"]]
        mine = mine[(mine != 0).any(axis=1)]
        other = tperf[d]
        other.index = other.index.astype(object)
        assert sorted(mine.index) == sorted(other.index), d
        assert (mine.loc[other.index].to_numpy() == other.to_numpy()).all(), d
    assert tuple(funnel["counts"].values()) == tfunnel["counts"]
    for x, y in zip(funnel["median_days"].values(), tfunnel["median_days"]):
        assert abs(x - y) < 1e-9, (x, y)
    st = pipeline["stages"].set_index("stage")
    for stage, row in tpipe["stages"].iterrows():
        assert (st.loc[stage, "deals"], st.loc[stage, "cents"]) == (row["size"], row["sum"])
    own = pipeline["owners"].set_index("owner")
    for owner, row in tpipe["owners"].iterrows():
        assert (own.loc[owner, "closed"], own.loc[owner, "won"], own.loc[owner, "won_cents"]) == (row["closed"], row["won"], row["won_cents"])
        assert abs(own.loc[owner, "median_cycle_days"] - tpipe["owner_cycle"][owner]) < 1e-9
    src = pipeline["sources"].set_index("source")
    for source, row in tpipe["sources"].iterrows():
        assert (src.loc[source, "closed"], src.loc[source, "won"]) == (row["closed"], row["won"])
    assert abs(pipeline["median_cycle_days"] - tpipe["median_cycle_days"]) < 1e-9


def best(f, runs=3):
    t = float("inf")
    out = None
    for _ in range(runs):
        s = time.perf_counter()
        out = f()
        t = min(t, time.perf_counter() - s)
    return t, out


def main() -> None:
    for categorical in (True, False):
        touches, leads, deals = frames(categorical)
        t_ours, a = best(lambda: ours(touches, leads, deals))
        t_pd, b = best(lambda: theirs(touches, leads, deals))
        compare(a, b)
        kind = "categorical keys" if categorical else "object-string keys"
        ratio = t_pd / t_ours
        goal = "met" if ratio >= 5 else "NOT met"
        print(
            f"{kind}: {N_TOUCH:,} touchpoints, {N_LEADS:,} leads, {N_DEALS:,} opportunities — "
            f"crm_core {t_ours * 1e3:.0f} ms, pandas groupby {t_pd * 1e3:.0f} ms: {ratio:.1f}× "
            f"(goal ≥ 5×: {goal}); numbers identical"
        )


if __name__ == "__main__":
    main()
