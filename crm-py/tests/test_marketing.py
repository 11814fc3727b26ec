"""Marketing from Python: a campaign with costs, leads and clicks, a won deal; attribution,
the marketing and sales reports as DataFrames, segments, automation with its outbox; the
columnar reports on DataFrames checked against pandas; bad input as typed errors."""

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from crm_core import Crm, CurrencyMismatchError, IllegalTransitionError, InputError, NotFoundError, ValidationError
from crm_core import marketing

UTC = dt.timezone.utc


def day(d, h=9):
    return dt.datetime(2026, 10, 1, h, tzinfo=UTC) + dt.timedelta(days=d)


@pytest.fixture
def crm():
    c = Crm.in_memory(region="DE")
    c.create_campaign(
        "AUTUMN", "Autumn cameras", channel="email", starts_on=dt.date(2026, 10, 1), ends_on=dt.date(2026, 10, 31),
        budget=Decimal("1000"), currency="EUR",
        ads=[{"code": "A1", "cost": Decimal("200"), "impressions": 10_000}, {"code": "A2", "cost": "100", "impressions": 5_000}],
        target_products=["CAM-1"], now=day(0),
    )
    c.add_campaign_cost("AUTUMN", Decimal("50"), "EUR", now=day(0))
    return c


def test_campaign_reports_attribution_and_automation(crm):
    crm.define_automation_rule(
        "welcome",
        trigger={"on": "event", "event_type": "LeadCaptured", "conditions": [{"if": "field_equals", "field": "campaign", "value": "AUTUMN"}]},
        actions=[
            {"do": "send_email", "template": {"name": "welcome", "subject": "Hi {{first_name}}", "body": "<b>{{company}}</b>"}},
            {"do": "assign_round_robin", "owners": ["ann", "bob"]},
        ],
        now=day(0),
    )
    pipeline = crm.define_pipeline("Sales", now=day(0))
    leads = []
    for n, ad in enumerate(["A1", "A1", "A2"]):
        lead = crm.capture_lead(
            first_name=f"P{n}", last_name="Buyer", company=f"Shop <{n}>", email=f"p{n}@shop{n}.example.com",
            country="DE", campaign="AUTUMN", ad=ad, now=day(1),
        ).lead
        leads.append(lead)
        crm.record_touchpoint(lead, "ad_click", at=day(1, 10 + n), attribution={"campaign": "AUTUMN", "ad": ad}, now=day(1))
    crm.capture_lead(first_name="Q", last_name="Other", email="q@other.example.com", affiliate="partner-x", now=day(1))

    run = crm.run_automation(now=day(1))
    assert len(run["actions"]) == 6
    assert crm.run_automation(now=day(1))["actions"] == []
    emails = [a for a in crm.pending_automation_actions() if a["planned"]["do"] == "send_email"]
    assert emails[0]["planned"]["email"]["body"] == "<b>Shop &lt;0&gt;</b>"
    for a in crm.pending_automation_actions():
        if a["planned"]["do"] == "assign_owner":
            crm.apply_automation_action(a["id"], now=day(1))
        else:
            crm.finish_automation_action(a["id"], now=day(1))
    assert crm.lead(leads[0].id).data.owner == "ann"
    assert crm.pending_automation_actions() == []

    crm.qualify(leads[0].id, now=day(3))
    conv = crm.convert_lead(
        leads[0].id,
        opportunity={"pipeline": pipeline, "amount": ("1000", "EUR"), "expected_close": dt.date(2026, 12, 31), "products": ["CAM-1"]},
        now=day(4),
    )
    crm.win_opportunity(conv.opportunity.id, now=day(20))

    attr = crm.attribution("position_based", currency="EUR")
    assert attr.attrs["revenue"] == Decimal("1000")
    campaign_row = attr[(attr["dimension"] == "campaign") & (attr["key"] == "AUTUMN")].iloc[0]
    assert campaign_row["revenue"] == Decimal("1000")
    for dim, rows in attr.groupby("dimension"):
        if dim in ("campaign", "channel"):
            assert sum(rows["revenue"]) == Decimal("1000")

    report = crm.marketing_report(currency="EUR")
    perf = report["performance"]
    row = perf[(perf["dimension"] == "campaign") & (perf["key"] == "AUTUMN")].iloc[0]
    # 3 clicks on 15 000 impressions; 3 leads; 1 customer; cost 350; CPL 116.6667.
    assert (row["clicks"], row["leads"], row["customers"], row["impressions"]) == (3, 3, 1, 15_000)
    assert row["cost"] == Decimal("350") and row["cost_per_lead"] == Decimal("116.6667")
    assert row["roi"] == pytest.approx(650 / 350)
    funnel = report["funnel"].set_index("stage")
    assert funnel.loc["lead", "count"] == 4 and funnel.loc["won", "count"] == 1
    assert report["lead_to_won_rate"] == 0.25

    members = crm.campaign_members("AUTUMN")
    assert set(members["response"]) == {"clicked", "converted"}

    with pytest.raises(CurrencyMismatchError):
        crm.add_campaign_cost("AUTUMN", "5", "USD")
    with pytest.raises(InputError):
        crm.add_campaign_cost("AUTUMN", 5.5, "EUR")  # a float is not money
    with pytest.raises(NotFoundError):
        crm.campaign("NOPE")
    with pytest.raises(IllegalTransitionError):
        crm.set_campaign_status("AUTUMN", "completed")
    with pytest.raises(InputError, match="carrier_pigeon"):
        crm.create_campaign("X", "X", channel="carrier_pigeon", starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 1, 2), budget=1, currency="EUR")
    with pytest.raises(ValidationError):
        crm.define_automation_rule("bad", trigger={"on": "event", "event_type": "LeadCaptured"}, actions=[])


def test_segments_and_sales_report(crm):
    acme = crm.create_account(name="Acme", now=day(0))
    x = crm.create_contact(account=acme.id, first_name="X", last_name="C", now=day(0))
    y = crm.create_contact(account=acme.id, first_name="Y", last_name="C", now=day(0))
    crm.record_purchase(x, "CAM-1", quantity=1, unit_price=("500", "EUR"), purchased_at=day(2), now=day(2))
    crm.record_purchase(y, "CAM-1", quantity=2, unit_price=("450", "EUR"), purchased_at=day(3), now=day(3))
    crm.record_purchase(y, "LENS-1", quantity=1, unit_price=("200", "EUR"), purchased_at=day(3), now=day(3))
    rule = {"op": "all", "all": [{"op": "purchased", "product": "CAM-1"}, {"op": "not_purchased", "product": "LENS-1"}]}
    seg = crm.define_segment("lens cross-sell", rule, now=day(5))
    assert seg["segment"]["members"] == [{"kind": "contact", "id": x.id}]
    crm.target_segment("AUTUMN", "lens cross-sell", now=day(5))
    assert len(crm.campaign("AUTUMN")["members"]) == 1
    with pytest.raises(ValidationError):
        crm.define_segment("bad", {"op": "any", "any": []})
    sales = crm.sales_report(currency="EUR")
    cam = sales["products"].set_index("product").loc["CAM-1"]
    # 500 + 2 × 450 = 1 400; unit prices 450, 500: median 475.
    assert cam["revenue"] == Decimal("1400") and cam["median_unit_price"] == Decimal("475")


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
