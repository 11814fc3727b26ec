"""The generated surface as a Python user meets it: namespaces, typed immutable records
with Python's own values (aware datetimes, dates, Decimals), records passed back as they
are, errors as exception classes, a closable store, awaitable twins that leave the event
loop free, frames with one column per field."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

import crm_core
from crm_core import Crm, records

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def crm():
    with Crm.in_memory("DE") as c:
        yield c


def capture(crm, name="Ada Lovelace", email="ada@engines.example.com"):
    return crm.leads.capture({"values": {"full_name": name, "email": email, "company": "Engines"}}, NOW).lead


def test_records_are_typed_immutable_and_carry_python_values(crm):
    lead = capture(crm)
    assert isinstance(lead, records.Lead) and isinstance(lead.data, records.LeadData)
    assert lead.created_at == NOW and lead.created_at.tzinfo is not None
    assert lead.status == records.LeadStatusNew(kind="new")
    assert lead.spam_signals == [] and lead.data.custom == {}
    with pytest.raises(AttributeError):
        lead.score = 1.0  # type: ignore[misc]
    crm.sales.set_exchange_rate("EUR", "USD", dt.date(2026, 11, 1), Decimal("1.10"), now=NOW)
    usd = crm.sales.convert_money({"amount": Decimal("10.00"), "currency": "EUR"}, "USD", dt.date(2026, 11, 20))
    assert isinstance(usd, records.Money) and isinstance(usd.amount, Decimal)
    assert (usd.amount, usd.currency) == (Decimal("11"), "USD")
    # an enum with data: one class per variant, the variant's name in `kind`
    gone = crm.leads.disqualify(lead.id, "no budget", now=NOW)
    assert gone.status == records.LeadStatusDisqualified(kind="disqualified", reason="no budget")
    # docs come from the Rust doc comments
    assert "lead" in (records.Lead.__doc__ or "").lower()
    assert records.Lead.created_at.__doc__ == "When it was captured."


def test_records_of_plain_values_stay_out_of_the_cyclic_gc(crm):
    import gc

    lead = capture(crm)
    # texts, numbers, datetimes and records of them cannot form a cycle: untracked, as
    # CPython untracks such tuples itself at their first collection
    assert not gc.is_tracked(lead.status) and not gc.is_tracked(lead.data)
    # a record holding a list (or anything else tracked) stays tracked
    assert gc.is_tracked(lead.spam_signals) and gc.is_tracked(lead)
    assert lead.status == records.LeadStatusNew(kind="new") and lead.data == records.LeadData(*lead.data)


def test_listings_are_made_from_the_stored_documents_and_fall_back_on_unknown_shapes(tmp_path):
    """`crm.leads.list()` builds its records straight from the stored JSON (debug builds
    check each listing against the typed path); a document of a shape the model does not
    know (a key an older version wrote) is read through the typed records instead."""
    import sqlite3

    path = tmp_path / "crm.db"
    with Crm.open(path, region="DE") as crm:
        first = capture(crm)
        second = capture(crm, "Grace Hopper", "grace@navy.example.com")
        crm.leads.disqualify(second.id, "no budget", now=NOW)
        made, fell_back = crm_core._crm_core._listing_stats()
        leads = crm.leads.list()
        assert [l.id for l in leads] == [first.id, second.id]
        assert leads[1].status == records.LeadStatusDisqualified(kind="disqualified", reason="no budget")
        assert leads[1].version == 2 and leads[0].created_at == NOW
        assert crm_core._crm_core._listing_stats() == (made + 2, fell_back)
    con = sqlite3.connect(path)
    con.execute("UPDATE rec_lead SET data = json_set(data, '$.legacy_note', 'x') WHERE id = ?", (first.id,))
    con.commit()
    con.close()
    with Crm.open(path) as crm:
        made, fell_back = crm_core._crm_core._listing_stats()
        assert crm.leads.list() == leads
        assert crm_core._crm_core._listing_stats() == (made, fell_back + 1)


def test_a_record_read_is_passed_back_as_it_is(crm):
    lead = capture(crm)
    edited = crm.leads.update(lead.id, lead.version, lead.data._replace(job_title="CTO"), now=NOW)
    assert (edited.data.job_title, edited.version) == ("CTO", lead.version + 1)
    with pytest.raises(crm_core.ConflictError) as stale:
        crm.leads.update(lead.id, lead.version, lead.data._replace(job_title="CEO"), now=NOW)
    assert stale.value.code == "conflict"


def test_bad_input_is_a_typed_error_naming_the_argument(crm):
    with pytest.raises(crm_core.NotFoundError):
        crm.leads.get(999)
    with pytest.raises(TypeError):
        crm.leads.get()  # a required argument left out: Python's own error
    with pytest.raises(crm_core.InputError, match="score"):
        crm.leads.set_score(capture(crm).id, "high")
    with pytest.raises(crm_core.InvalidValueError, match="naive"):
        crm.leads.capture({"values": {"email": "x@y.example.com"}}, dt.datetime(2026, 1, 1))
    with pytest.raises(crm_core.InvalidValueError):
        crm.sales.convert_money({"amount": "ten", "currency": "EUR"}, "USD", dt.date(2026, 1, 1))
    with pytest.raises(crm_core.InputError, match="object"):
        crm.leads.capture(object(), NOW)
    with pytest.raises(crm_core.InvalidValueError):
        Crm.open(":memory:", busy_timeout=-1)


def test_a_closed_crm_refuses_calls_and_a_file_store_keeps_its_records(tmp_path):
    path = tmp_path / "crm.db"
    with Crm.open(path, region="DE", busy_timeout=2.5) as crm:
        lead = capture(crm)
        assert crm.default_region == "DE" and not crm.closed
    assert crm.closed
    with pytest.raises(crm_core.StorageError) as closed:
        crm.leads.list()
    assert closed.value.code == "storage"
    again = Crm.open(path)
    assert again.leads.get(lead.id) == lead
    again.close()


def test_an_awaitable_twin_leaves_the_event_loop_free(crm):
    rows = "\n".join(f"Person {i},p{i}@example{i % 50}.com" for i in range(3000))
    csv = "name,email\n" + rows + "\n"
    mapping = {"columns": [["name", "full_name"], ["email", "email"]], "default_region": "DE"}

    async def main():
        ticks = 0
        done = False

        async def ticker():
            nonlocal ticks
            while not done:
                await asyncio.sleep(0.001)
                ticks += 1

        t = asyncio.create_task(ticker())
        report = await crm.leads.import_csv_async(csv, mapping, {"batch_label": "fair", "batch_size": 500, "duplicates": "skip", "max_reported": 10}, now=NOW)
        done = True
        await t
        return report, ticks

    report, ticks = asyncio.run(main())
    assert isinstance(report, records.ImportReport)
    assert ticks > 0, "the event loop was blocked during the import"
    assert len(crm.leads.list()) > 0


def test_records_lay_out_as_frames_with_one_column_per_field(crm):
    pd = pytest.importorskip("pandas")
    a = capture(crm)
    b = capture(crm, "Grace Hopper", "grace@navy.example.com")
    crm.leads.disqualify(b.id, "student", now=NOW)
    frame = crm_core.to_pandas(crm.leads.list())
    assert list(frame["status"]) == ["new", "disqualified"]
    assert list(frame["status.reason"].fillna("")) == ["", "student"]
    assert frame.loc[0, "data.email"] == "ada@engines.example.com"
    assert isinstance(frame.loc[0, "created_at"], (dt.datetime, pd.Timestamp))


def test_every_use_case_is_reachable_by_name(crm):
    lead = capture(crm)
    assert crm.invoke("leads", "get", {"id": lead.id}) == lead
    with pytest.raises(crm_core.InputError, match="no use case"):
        crm.invoke("leads", "nope")
    names = {(c["namespace"], c["name"]) for c in crm_core.use_cases()}
    assert ("quotes", "convert_to_order") in names and len(names) == len(crm_core.use_cases())
