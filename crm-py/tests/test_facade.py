"""The CRM facade end to end on a temporary SQLite file."""

import datetime as dt
import json
from decimal import Decimal

import numpy as np
import pandas as pd
import polars as pl
import pytest

import crm_core
from crm_core import Crm, Money

T0 = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.timezone.utc)


def at(days=0, hours=0):
    return T0 + dt.timedelta(days=days, hours=hours)


@pytest.fixture
def crm(tmp_path):
    return Crm.open(tmp_path / "crm.db", region="US")


def test_capture_validate_and_reopen(tmp_path):
    path = tmp_path / "crm.db"
    crm = Crm.open(path)
    captured = crm.capture_lead(
        first_name="Ada",
        last_name="Lovelace",
        email="Ada@Engines.example.com",
        phone="(415) 555-0100",
        company="Analytical Engines",
        custom={"industry": "computing"},
        now=at(),
    )
    lead = captured.lead
    assert lead.id == 1 and lead.status == "new"
    assert lead.data.phone == "+14155550100"
    assert lead.data.custom == {"industry": "computing"}
    assert lead.created_at == at() and lead.created_at.tzinfo is not None
    with pytest.raises(crm_core.ValidationError) as e:
        crm.capture_lead(email="not-an-email", phone="12", now=at())
    assert {p["field"] for p in e.value.problems} >= {"email", "phone"}
    assert e.value.code == "validation_failed"
    again = crm.capture_lead(first_name="Ada", last_name="Lovelace", email="ada@engines.example.com", now=at(1))
    assert [d.record for d in again.duplicates] == [{"kind": "lead", "id": 1}]
    del crm
    reopened = Crm.open(path)
    assert [l.id for l in reopened.leads()] == [1, 2]
    with pytest.raises(crm_core.NotFoundError):
        reopened.lead(99)
    with pytest.raises(crm_core.InvalidValueError, match="time zone"):
        reopened.capture_lead(last_name="X", now=dt.datetime(2026, 1, 1))


def test_edits_are_checked_against_the_version_read(crm):
    lead = crm.capture_lead(last_name="Lovelace", email="ada@example.com", now=T0).lead
    edited = crm.update_lead(lead.id, lead.version, {**lead.data.to_dict(), "job_title": "CTO"}, now=at(hours=1))
    assert edited.data.job_title == "CTO"
    assert edited.version == lead.version + 1
    with pytest.raises(crm_core.ConflictError) as stale:
        crm.update_lead(lead.id, lead.version, lead.data, now=at(hours=2))
    assert stale.value.code == "conflict"
    assert crm.lead(lead.id).data.job_title == "CTO"
    with pytest.raises(crm_core.ValidationError):
        crm.update_lead(lead.id, edited.version, {"email": "ada@example.com"}, now=at(hours=2))
    assert crm.events_since(0)[-1].event_type == "LeadEdited"


def test_web_forms(crm):
    form = crm.define_web_form(
        "Contact us",
        [("name", "full_name", True), ("email", "email", True), ("company", "company", False)],
        honeypot="fax",
        resubmission_window=dt.timedelta(hours=24),
        defaults={"campaign": "website"},
        now=at(),
    )
    assert crm.web_form_named("contact US").id == form.id
    got = crm.submit_web_form(form, {"name": "Mary Jackson", "email": "mary@langley.example.com"}, submitted_at=at(1))
    assert got.lead.data.attribution["campaign"] == "website"
    assert got.lead.source == {"web_form": {"form": form.id}}
    with pytest.raises(crm_core.DuplicateError):
        crm.submit_web_form(form, {"name": "Mary Jackson", "email": "mary@langley.example.com"}, submitted_at=at(1, 2))
    with pytest.raises(crm_core.SpamError):
        crm.submit_web_form(form, {"name": "Bot", "email": "b@spam.example.com", "fax": "buy"}, submitted_at=at(1))
    with pytest.raises(crm_core.ValidationError):
        crm.submit_web_form(form, {"name": "No Mail"}, submitted_at=at(1))
    touches = crm.touchpoints_of(got.lead)
    assert [t.kind["kind"] for t in touches] == ["form_submission"]


CSV = b"""First Name,Last Name,E-mail,Company,Phone,Branche
Grace,Hopper,grace@navy.example.com,US Navy,415-555-0101,defense
Alan,Turing,not-an-email,Bletchley,,crypto
Grace,Hopper,grace@navy.example.com,US Navy,,defense
Katherine,Johnson,kj@nasa.example.com,NASA,,space
"""


def test_csv_import_reports_rows(crm):
    seen = []
    report = crm.import_leads_csv(
        CSV, columns={"Branche": "custom:industry"}, batch_size=2, progress=seen.append, now=at()
    )
    assert report.imported == 2
    assert report.progress["invalid"] == 1 and report.progress["duplicates"] == 1
    assert report.errors[0]["row"] == 2 and report.errors[0]["column"] == "E-mail"
    assert seen and seen[-1]["rows_read"] == 4
    leads = crm.leads()
    assert {l.data.custom.get("industry") for l in leads} == {"defense", "space"}
    frame = crm_core.to_pandas(leads)
    assert list(frame["data.last_name"]) == ["Hopper", "Johnson"]
    assert crm_core.to_polars(leads).height == 2
    with pytest.raises(crm_core.InputError, match="delimiter"):
        crm.import_leads_csv(CSV, delimiter=";;")
    with pytest.raises(crm_core.InputError):
        crm.import_leads_csv(CSV, duplicates="sometimes")


def test_qualify_convert_and_sell(crm):
    pipeline = crm.define_pipeline("Sales", now=at())
    assert [s.name for s in pipeline.stages][:2] == ["Prospecting", "Qualification"]
    assert pipeline.stages[0].probability == Decimal("10")
    lead = crm.capture_lead(first_name="Hedy", last_name="Lamarr", email="hedy@radio.example.com", company="Radio Inc", now=at()).lead
    crm.record_touchpoint(lead, "web_visit", url="/pricing", duration_secs=90, at=at(1), now=at(1))
    crm.log_activity("call", lead, "Intro call", owner="sam", due_at=at(2), now=at(1))
    with pytest.raises(crm_core.IllegalTransitionError):
        crm.convert_lead(lead.id, now=at(2))
    crm.start_working(lead.id, now=at(2))
    crm.qualify(lead.id, now=at(2))
    conv = crm.convert_lead(
        lead.id,
        opportunity={"pipeline": pipeline, "amount": ("12000", "USD"), "expected_close": dt.date(2026, 12, 20), "products": ["CRM Suite"]},
        now=at(3),
    )
    assert conv.account_created and conv.contact_created
    assert conv.lead.status == "converted" and conv.moved_touchpoints == 1 and conv.moved_activities == 1
    opp = conv.opportunity
    assert opp.amount == Money(Decimal("12000"), "USD") and opp.stage == "Prospecting"
    assert crm.touchpoints_of(conv.contact)[0].kind["url"] == "/pricing"
    opp = crm.advance_opportunity(opp.id, "Proposal", now=at(4))
    assert opp.probability == Decimal("50")
    with pytest.raises(crm_core.InvalidValueError, match="not a stage"):
        crm.advance_opportunity(opp.id, "Nowhere", now=at(4))
    crm.set_exchange_rate("USD", "EUR", dt.date(2026, 1, 1), "0.92", now=at())
    fc = crm.forecast("EUR", "quarter", as_of=dt.date(2026, 11, 10))
    assert fc.total_weighted == Money(Decimal("5520.00"), "EUR")
    won = crm.win_opportunity(opp.id, now=at(5))
    assert won.state == "won"
    other = crm.open_opportunity(
        "Second deal", account=conv.account, pipeline=pipeline, amount=Money.of(500, "USD"), expected_close=dt.date(2027, 1, 5), now=at(5)
    )
    lost = crm.lose_opportunity(other.id, "budget", now=at(6))
    assert lost.state == "lost" and lost.lost_reason == "budget"
    purchase = crm.record_purchase(conv.contact, "CRM Suite", quantity=2, unit_price=("49.50", "USD"), now=at(6))
    assert purchase.unit_price.amount == Decimal("49.50")
    assert [p.id for p in crm.purchases_of(conv.contact)] == [purchase.id]
    act = crm.activities_of(conv.contact)[0]
    assert crm.complete_activity(act.id, "went well", now=at(7)).outcome == "went well"
    events = crm.events_since(0)
    types = [e.event_type for e in events]
    assert "LeadConverted" in types and "OpportunityWon" in types
    assert [e.sequence for e in events] == sorted(e.sequence for e in events)
    assert crm.events_since(events[-2].sequence)[0].sequence == events[-1].sequence


def test_scoring_stored_leads(crm):
    rng = np.random.default_rng(5)
    titles = ["CTO", "Intern", "CEO", "Student", "VP Sales", "Analyst"]
    for i in range(60):
        title = titles[i % len(titles)]
        lead = crm.capture_lead(last_name=f"L{i}", email=f"l{i}@corp{i}.example.com", job_title=title, now=at()).lead
        for k in range(int(rng.integers(0, 5))):
            crm.record_touchpoint(lead, "web_visit", url="/pricing", at=at(k), now=at(k))
        if i % 3 == 0:
            crm.disqualify(lead.id, "no budget", now=at(9))
        elif i % 3 == 1:
            crm.qualify(lead.id, now=at(9))
            crm.convert_lead(lead.id, now=at(9))
    rules = {
        "fit": [{"name": "exec", "attribute": "job_title", "test": "one_of", "values": ["cto", "ceo"], "points": 30}],
        "engagement": [{"name": "visits", "kind": "web_visit", "points": 10, "half_life_days": 14}],
        "thresholds": {"hot": 40, "warm": 15},
    }
    scorer = crm_core.RuleScorer(rules)
    preview = scorer.score_stored(crm, "new", now=at(10))
    assert len(preview) == 20
    exec_lead = next(l for l in crm.leads("new") if l.data.job_title == "CEO")
    explained = scorer.score([exec_lead], [crm.touchpoints_of(exec_lead)], now=at(10))[0]
    assert explained.fired[0].rule == "exec" and explained.fired[0].points == 30
    assert explained.score == pytest.approx(sum(f.points for f in explained.fired))
    assert explained.rating == scorer.rate(explained.score)
    report = crm.rescore_leads(scorer, now=at(10))
    assert report.scored == 20 and report.changed > 0
    stored = {l.id: l.score for l in crm.leads("new")}
    assert sorted(stored.values()) == sorted(s.score for s in preview)
    assert crm.rescore_leads(rules, now=at(10)).changed == 0
    with pytest.raises(crm_core.CrmError):
        crm.rescore_leads({"fit": [], "thresholds": {"hot": 1, "warm": 5}}, now=at(10))
    with pytest.raises(crm_core.ValidationError):
        crm_core.RuleScorer({"fit": [], "thresholds": {"hot": 1, "warm": 5}})
    with pytest.raises(crm_core.InputError):
        crm_core.RuleScorer({"fit": [{"name": "x"}], "thresholds": {"hot": 5, "warm": 1}})
    ts = crm.training_set(
        [
            {"feature": "engagement", "kind": "web_visit", "half_life_days": 14},
            {"feature": "one_hot", "attribute": {"attribute": "job_title"}, "max_values": 4},
        ]
    )
    assert isinstance(ts.X, pd.DataFrame) and len(ts.X) == 40 and set(ts.y) == {0.0, 1.0}
    scorer = crm_core.LogisticLeadScorer(C=0.5).fit(ts.X, ts.y)
    open_before = {l.id: l.score for l in crm.leads("new")}
    with pytest.raises(crm_core.InputError, match="features="):
        crm.rescore_leads(scorer, now=at(11))
    report = crm.rescore_leads(scorer, features=ts.spec, now=at(11))
    assert report.scored == len(open_before) == 20
    file = scorer.to_model_file(features=ts.spec)
    scored = {l.id: l.score for l in crm.leads("new")}
    assert all(0.0 <= s <= 1.0 for s in scored.values())
    assert crm.rescore_leads(file, now=at(11)).changed == 0
    # The same rows in Python: features of the open leads, scored by the same model.
    rows = crm.features(ts.spec, now=at(11))
    assert list(rows.columns) == list(ts.columns) and len(rows) == 20
    p = scorer.predict_proba(rows)[:, 1]
    stored = np.array([crm.lead(i).score for i in rows.index])
    assert np.array_equal(p, stored)
    with pytest.raises(crm_core.NotFoundError):
        crm.features(ts.spec, leads=[12345], now=at(11))
