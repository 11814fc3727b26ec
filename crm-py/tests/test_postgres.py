"""The PostgreSQL store from Python: ``Crm.open`` with a ``postgresql://`` URL, two
handles on one database as two app servers would be, and events pushed from one to the
other (``crm.events.wait_for``)."""

import threading
import time

import pytest

from crm_core import ConflictError, Crm, ValidationError


def _lead(crm: Crm, name: str) -> int:
    return crm.leads.capture({"values": {"last_name": name, "email": f"{name.lower()}@example.com"}}).lead.id


def test_two_servers_share_one_database(postgres_url: str) -> None:
    a, b = Crm.open(postgres_url), Crm.open(postgres_url)
    lead = _lead(a, "Hopper")
    assert b.leads.get(lead).data.last_name == "Hopper"
    # a stale write from the other server is a conflict, never a lost update
    read = b.leads.get(lead)
    a.leads.update(lead, read.version, {"company": "Navy"})
    with pytest.raises(ConflictError):
        b.leads.update(lead, read.version, {"company": "Army"})
    assert a.leads.get(lead).data.company == "Navy"
    assert [h.record for h in b.records.search({"text": "hopper"})] == [f"lead:{lead}"]


def test_events_are_pushed_to_a_waiting_server(postgres_url: str) -> None:
    a, b = Crm.open(postgres_url), Crm.open(postgres_url)
    _lead(a, "First")
    last = a.events.since(0, 1000)[-1].sequence
    assert b.events.wait_for(last, 10, 100) == []
    threading.Timer(0.3, lambda: _lead(a, "Second")).start()
    started = time.monotonic()
    got = b.events.wait_for(last, 10, 30_000)
    assert got and got[0].sequence == last + 1 and got[0].event_type == "LeadCaptured"
    assert time.monotonic() - started < 10


def test_bad_input_is_refused_and_nothing_is_written(postgres_url: str) -> None:
    crm = Crm.open(postgres_url)
    with pytest.raises(ValidationError):
        crm.leads.capture({"values": {"last_name": "Nobody"}})
    assert crm.leads.list() == []
