"""Marketing reports from Python: a campaign in the CRM with its performance report as a
DataFrame, and the columnar reports straight from your own DataFrames.

    python examples/python/marketing.py
"""

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd

import crm_core
from crm_core import Crm, marketing

UTC = dt.timezone.utc
day = lambda d: dt.datetime(2026, 10, 1, 9, tzinfo=UTC) + dt.timedelta(days=d)  # noqa: E731

crm = Crm.in_memory(region="DE")
eur = lambda amount: {"amount": Decimal(amount), "currency": "EUR"}  # noqa: E731
crm.marketing.create_campaign(
    {"code": "AUTUMN", "name": "Autumn cameras", "channel": "display",
     "starts_on": dt.date(2026, 10, 1), "ends_on": dt.date(2026, 10, 31), "budget": eur("2000"),
     "ads": [{"code": "A1", "name": "Autumn banner", "cost": eur("400"), "impressions": 40_000}]},
    now=day(0),
)
for n in range(5):
    values = {"first_name": f"Kim{n}", "last_name": "Schmidt", "email": f"kim{n}@example.com",
              "campaign": "AUTUMN", "ad": "A1"}
    lead = crm.leads.capture({"values": values}, now=day(1)).lead
    crm.leads.record_touchpoint({"subject": {"kind": "lead", "id": lead.id}, "at": day(1), "kind": {"kind": "ad_click"},
                                 "attribution": {"campaign": "AUTUMN", "ad": "A1"}}, now=day(1))
report = crm.marketing.report("EUR")
perf = crm_core.to_pandas(report.performance)
print(perf[["dimension", "key", "impressions", "clicks", "leads", "cost", "cost_per_lead"]].to_string(index=False))
autumn = next(r for r in report.performance if r.dimension == "campaign" and r.key == "AUTUMN")
assert autumn.cost_per_lead == Decimal("80")

rng = np.random.default_rng(0)
n = 1_000_000
touches = pd.DataFrame({
    "at": np.datetime64("2026-01-01") + rng.integers(0, 300 * 86400, n).astype("timedelta64[s]"),
    "click": rng.random(n) < 0.5,
    "ad": pd.Categorical(rng.choice([f"ad{i}" for i in range(100)], n)),
    "affiliate": pd.Categorical(rng.choice(["aff1", "aff2"], n)),
    "campaign": pd.Categorical(rng.choice(["spring", "summer", "autumn"], n)),
    "channel": pd.Categorical(rng.choice(["email", "social"], n)),
})
leads = touches.sample(50_000, random_state=1).rename(columns={"at": "created_at"}).drop(columns="click")
leads["won_at"] = pd.NaT
leads["won_cents"] = 0
frame = marketing.performance(touches, leads)
print(frame[frame["dimension"] == "campaign"].to_string(index=False))
