"""Marketing reports from Python: a campaign in the CRM with its performance report as a
DataFrame, and the columnar reports straight from your own DataFrames.

    python examples/python/marketing.py
"""

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd

from crm_core import Crm, marketing

UTC = dt.timezone.utc
day = lambda d: dt.datetime(2026, 10, 1, 9, tzinfo=UTC) + dt.timedelta(days=d)  # noqa: E731

crm = Crm.in_memory(region="DE")
crm.create_campaign(
    "AUTUMN", "Autumn cameras", channel="display", starts_on=dt.date(2026, 10, 1), ends_on=dt.date(2026, 10, 31),
    budget=Decimal("2000"), currency="EUR", ads=[{"code": "A1", "cost": Decimal("400"), "impressions": 40_000}], now=day(0),
)
for n in range(5):
    lead = crm.capture_lead(first_name=f"Kim{n}", last_name="Schmidt", email=f"kim{n}@example.com", campaign="AUTUMN", ad="A1", now=day(1)).lead
    crm.record_touchpoint(lead, "ad_click", at=day(1), attribution={"campaign": "AUTUMN", "ad": "A1"}, now=day(1))
report = crm.marketing_report(currency="EUR")
perf = report["performance"]
print(perf[["dimension", "key", "impressions", "clicks", "leads", "cost", "cost_per_lead"]].to_string(index=False))
assert perf.set_index("key").loc["AUTUMN", "cost_per_lead"] == Decimal("80")

# The same engine on your own data: a million touchpoints in a few tens of milliseconds.
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
