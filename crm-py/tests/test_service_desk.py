"""The service desk from Python: installed base and coverage, cases under SLA on a business
calendar (due instants and states computed in Rust), alerts raised once, scheduling,
maintenance plans and knowledge-base search — and every kind of bad input as a typed
error."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

import crm_core
from crm_core import (
    BusinessCalendar,
    Crm,
    DuplicateError,
    IllegalTransitionError,
    InputError,
    InvalidValueError,
    NotFoundError,
    ValidationError,
)

BERLIN = ZoneInfo("Europe/Berlin")


def t(day, h, m=0):
    """November 2026 in Berlin (Monday 23rd … Friday 27th)."""
    return dt.datetime(2026, 11, day, h, m, tzinfo=BERLIN)


NOW = t(23, 9)


def office():
    days = ["mon", "tue", "wed", "thu", "fri"]
    return BusinessCalendar("Europe/Berlin", [(d, "09:00", "17:00") for d in days])


@pytest.fixture
def crm():
    c = Crm.in_memory(region="DE")
    c.define_calendar("Office", office(), now=NOW)
    c.define_sla_policy(
        "gold",
        {"first_response": {"high": 60}, "resolution": {"high": 240, "urgent": 120}},
        calendar="office",
        applies_to={"under_contract": True},
        now=NOW,
    )
    c.define_sla_policy("standard", {"first_response": {"high": 240, "normal": 480}}, calendar="office", position=10, now=NOW)
    return c


@pytest.fixture
def acme(crm):
    account = crm.create_account(name="Acme", now=NOW)
    printer = crm.register_asset("SN-100", "PRN-9", account, installed_on=dt.date(2026, 1, 10), now=NOW)
    crm.add_warranty(printer, dt.date(2026, 1, 10), dt.date(2027, 1, 9), "parts and labour", now=NOW)
    contract = crm.create_contract(
        "Gold 2026", account, dt.date(2026, 1, 1), dt.date(2026, 12, 31),
        products=["PRN-9"], cases=2, hours="10", now=NOW,
    )
    return account, printer, contract


def test_policies_and_calendars(crm):
    assert [p.name for p in crm.sla_policies()] == ["gold", "standard"]
    with pytest.raises(NotFoundError):
        crm.define_sla_policy("x", {"first_response": {"high": 10}}, calendar="nowhere", now=NOW)
    with pytest.raises(ValidationError) as e:
        crm.define_sla_policy("", {"first_response": {"high": 0}}, now=NOW)
    assert e.value.code == "validation_failed"
    with pytest.raises(InputError, match="highest"):
        crm.define_sla_policy("y", {"first_response": {"highest": 10}}, now=NOW)
    with pytest.raises(InputError):
        crm.define_calendar("bad", "not a calendar", now=NOW)


def test_coverage_and_cases_under_contract(crm, acme):
    account, printer, contract = acme
    cov = crm.coverage(printer, on=dt.date(2026, 11, 23))
    assert cov.covered and len(cov.warranties) == 1
    assert cov.contracts[0].contract.id == contract.id and cov.contracts[0].cases_left == 2
    assert cov.contracts[0].hours_left == Decimal("10")
    with pytest.raises(DuplicateError):
        crm.register_asset(" sn-100 ", "PRN-9", account, now=NOW)

    case = crm.open_case("Printer down", channel="phone", category="incident", priority="high", asset=printer, now=NOW)
    assert case.number.startswith("CASE-2026-") and case.account == account.id
    assert case.contract == contract.id
    assert crm.case_by_number(case.number).id == case.id
    assert crm.contract(contract.id).cases_used == 1
    assert crm.cases_of(account)[0].id == case.id
    with pytest.raises(InvalidValueError):
        crm.case_by_number("TICKET-7")
    with pytest.raises(InputError, match="pigeon"):
        crm.open_case("x", channel="pigeon", category="incident", now=NOW)
    with pytest.raises(ValidationError):
        crm.open_case("  ", channel="phone", category="incident", now=NOW)

    # SLA on office hours: first response due 10:00, warning from 09:45.
    sla = crm.case_sla(case, at=t(23, 9, 50))
    assert sla.policy == "gold" and sla.state == "warning"
    first = sla.metric("first_response")
    assert first.ongoing.due_at == t(23, 10)
    assert first.ongoing.remaining_seconds == 600
    alerts = crm.check_slas(at=t(23, 9, 50))
    assert [(a.number, a.metric, a.state) for a in alerts] == [(case.number, "first_response", "warning")]
    assert crm.check_slas(at=t(23, 9, 55)) == []
    assert [a.state for a in crm.check_slas(at=t(23, 10, 30))] == ["breached"]

    crm.comment_on_case(case, "On it", author="agent", name="Sam", at=t(23, 11))
    crm.set_case_status(case, "pending_customer", now=t(23, 11))
    back = crm.comment_on_case(case, "Photo attached", author="customer", at=t(24, 9))
    assert back.status == "open"
    sla = crm.case_sla(case, at=t(24, 10))
    res = sla.metric("resolution").ongoing
    # Monday 9–11 (120 min) + Tuesday 9–10 (60 min); 60 of 240 left: due 11:00.
    assert res.elapsed_seconds == 180 * 60 and res.due_at == t(24, 11)
    frame = crm.sla_frame(at=t(24, 10))
    assert isinstance(frame, pd.DataFrame)
    row = frame[(frame["case"] == case.id) & (frame["metric"] == "resolution")].iloc[0]
    assert row["state"] == "warning" and row["elapsed_seconds"] == 180 * 60  # 75 % of 240
    assert str(frame["due_at"].dt.tz) == "UTC"

    crm.set_case_status(case, "resolved", now=t(24, 10, 30))
    with pytest.raises(IllegalTransitionError):
        crm.set_case_status(case, "open", now=t(24, 11))
    with pytest.raises(InvalidValueError):
        crm.set_case_status(case, "closed", now=t(24, 10))  # before the last change
    with pytest.raises(InvalidValueError):
        crm.set_case_status(case, "closed", now=dt.datetime(2026, 11, 24, 12))  # naive
    history = [h.change for h in crm.case(case.id).history]
    assert history[0] == "opened" and "comment" in history


def test_scheduling_and_maintenance(crm, acme):
    account, printer, contract = acme
    ann = crm.define_technician("Ann", skills=["printers"], calendar="office", now=NOW)
    with pytest.raises(NotFoundError):
        crm.define_technician("Bob", calendar="mars", now=NOW)
    o1 = crm.create_service_order("Replace fuser", duration_minutes=120, earliest_start=t(25, 9), skills=["printers"], asset=printer, now=NOW)
    o2 = crm.create_service_order("Rewire", duration_minutes=60, earliest_start=t(25, 9), skills=["electrical"], now=NOW)
    with pytest.raises(ValidationError):
        crm.create_service_order("", duration_minutes=0, earliest_start=t(25, 9), now=NOW)
    plan = crm.schedule_service_orders(t(25, 0), t(28, 0), now=NOW)
    assert [(p.order, p.technician, p.start, p.end) for p in plan.placed] == [(o1.id, ann.id, t(25, 9), t(25, 11))]
    assert [(u.order, u.reason, u.skills) for u in plan.unplaced] == [(o2.id, "no_qualified_technician", ["electrical"])]
    assert crm.service_order(o1.id).status == "scheduled"
    done = crm.complete_service_order(o1, Decimal("2.5"), now=NOW)
    assert done.hours_worked == Decimal("2.5")
    assert crm.contract(contract.id).hours_used == Decimal("2.5")
    with pytest.raises(InputError):
        crm.complete_service_order(o2, 1.5, now=NOW)  # floats are not exact hours
    with pytest.raises(IllegalTransitionError):
        crm.cancel_service_order(o1, now=NOW)

    crm.define_maintenance_plan(
        printer, "Quarterly service", duration_minutes=90, every=3, unit="months",
        first_due=dt.date(2026, 12, 1), skills=["printers"], window_days=13, now=NOW,
    )
    orders = crm.generate_maintenance_orders(dt.date(2027, 6, 30), now=NOW)
    assert [o.earliest_start.date() for o in orders] == [dt.date(2026, 12, 1), dt.date(2027, 3, 1), dt.date(2027, 6, 1)]
    assert crm.generate_maintenance_orders(dt.date(2027, 6, 30), now=NOW) == []
    with pytest.raises(InputError, match="fortnights"):
        crm.define_maintenance_plan(printer, "x", duration_minutes=10, every=1, unit="fortnights", first_due=dt.date(2026, 12, 1), now=NOW)


def test_knowledge_base(crm):
    jam = crm.write_article("Clearing a paper jam", "Open tray 2 and pull the sheet.", tags=["printer"], products=["PRN-9"], now=NOW)
    crm.write_article("Router reset", "Hold the reset button for ten seconds.", tags=["network"], now=NOW)
    draft = crm.write_article("Fuser error E5", "Replace the fuser.", status="draft", now=NOW)
    hits = crm.search_articles("paper jam")
    assert [h.article for h in hits] == [jam.id] and hits[0].score > 0
    assert crm.search_articles("fuser") == []
    crm.update_article(draft, status="published", now=NOW)
    assert crm.search_articles("fuser")[0].article == draft.id
    crm.update_article(jam, body="Open tray 3.", now=NOW)
    assert crm.article(jam.id).body == "Open tray 3."
    assert crm.article(jam.id).title == "Clearing a paper jam"
    with pytest.raises(ValidationError):
        crm.update_article(jam, title=" ", now=NOW)  # nothing is lost
    assert crm.article(jam.id).title == "Clearing a paper jam"
    assert crm.search_articles("reset", tag="printer") == []
    assert crm.search_articles("paper", product="PRN-9")[0].article == jam.id
    with pytest.raises(ValidationError):
        crm.write_article("", "", now=NOW)
    with pytest.raises(InvalidValueError):
        crm.write_article("t", "b", status="secret", now=NOW)


def test_store_file_keeps_the_desk(tmp_path):
    path = tmp_path / "crm.db"
    c = Crm.open(path, region="DE")
    c.define_calendar("office", office(), now=NOW)
    c.define_sla_policy("std", {"first_response": {"normal": 30}}, calendar="office", now=NOW)
    case = c.open_case("Question", channel="email", category="question", now=NOW)
    again = Crm.open(path, region="DE")
    assert again.case_sla(case.id, at=t(23, 9, 40)).state == "breached"


def test_calendar_exceptions_from_python():
    cal = BusinessCalendar(
        "Europe/Berlin",
        [(d, "09:00", "17:00") for d in ["mon", "tue", "wed", "thu", "fri"]],
        holidays=[dt.date(2026, 12, 25)],
        exceptions={dt.date(2026, 12, 24): [("09:00", "12:00")], dt.date(2026, 12, 5): [("10:00", "14:00")]},
    )
    # Thursday 24 Dec 11:00 + 2 h: 1 h to noon, Christmas off, Saturday 26th closed, Monday 9:00 + 1 h.
    start = dt.datetime(2026, 12, 24, 11, tzinfo=BERLIN)
    assert cal.add(start, dt.timedelta(hours=2)) == dt.datetime(2026, 12, 28, 10, tzinfo=BERLIN)
    # Saturday 5 December is worked 10–14.
    fri = dt.datetime(2026, 12, 4, 16, tzinfo=BERLIN)
    assert cal.add(fri, dt.timedelta(hours=3)) == dt.datetime(2026, 12, 5, 12, tzinfo=BERLIN)
    with pytest.raises(ValidationError):
        BusinessCalendar("UTC", [("mon", "09:00", "17:00")], exceptions={dt.date(2026, 1, 5): [("09:00", "12:00"), ("11:00", "13:00")]})
