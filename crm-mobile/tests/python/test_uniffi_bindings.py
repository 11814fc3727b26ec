"""The mobile scenario through the uniffi-generated Python bindings (target/mobile/python):
the same FFI layer Kotlin and Swift use, checked independently of the pyo3 package."""

import datetime as dt
import json
import pathlib
import threading

import pytest

# the generated package (PYTHONPATH=target/mobile/python), not the pyo3 package crm_core
from crm_ffi import crm_core as core
from crm_ffi import crm_mobile as mobile

ROOT = pathlib.Path(__file__).resolve().parents[3]
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone.utc)


def test_a_lead_is_captured_edited_and_kept(tmp_path):
    path = str(tmp_path / "crm.db")
    store = mobile.CrmStore.open(path, "DE")
    captured = store.leads().capture(
        core.LeadInput(values={"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com", "phone": "030 1234567"}),
        NOW,
    )
    lead = captured.lead
    assert lead.id == 1
    assert lead.data.phone == "+49301234567"
    assert lead.created_at == NOW
    assert lead.status == core.LeadStatus.NEW()
    edited = store.leads().update(lead.id, lead.version, '{"job_title": "Countess"}', NOW)
    assert edited.version == lead.version + 1
    assert edited.data.job_title == "Countess" and edited.data.phone == lead.data.phone
    with pytest.raises(core.CrmError.Conflict) as stale:
        store.leads().update(lead.id, lead.version, '{"job_title": "Engineer"}', NOW)
    assert stale.value.code == "conflict"
    assert store.leads().qualify(lead.id, NOW).status == core.LeadStatus.QUALIFIED()
    del store
    assert mobile.CrmStore.open(path, "DE").leads().get(1).data.job_title == "Countess"


def test_a_lead_is_converted_and_a_case_gets_its_sla_due_instant():
    store = mobile.CrmStore.in_memory("DE")
    lead = store.leads().capture(
        core.LeadInput(values={"last_name": "Lovelace", "company": "Analytical Engines", "email": "ada@example.com"}), NOW
    ).lead
    store.leads().qualify(lead.id, NOW)
    pipeline = store.sales().define_pipeline("sales", None)
    draft = core.OpportunityDraft(
        name=None, pipeline=pipeline.id, stage=None, amount=core.Money(amount="12000.00", currency="EUR"),
        expected_close="2026-06-30", products=[],
    )
    conversion = store.leads().convert(lead.id, core.ConvertOptions(account=core.Link.AUTO(), contact=core.Link.AUTO(), opportunity=draft), NOW)
    assert conversion.account.name == "Analytical Engines"
    assert conversion.opportunity.amount == core.Money(amount="12000.00", currency="EUR")

    week = [core.WorkingInterval(weekday=d, start="09:00", end="17:00") for d in ("Mon", "Tue", "Wed", "Thu", "Fri")]
    store.service().define_calendar("office", core.BusinessCalendar(time_zone="Europe/Berlin", intervals=week, holidays=[], exceptions=[]), NOW)
    any_case = core.SlaFilter(priorities=[], categories=[], channels=[], accounts=[], contracts=[], under_contract=None)
    rule = core.MetricRule(
        metric=core.SlaMetric.FIRST_RESPONSE, conditions=None,
        targets=[core.SlaTarget(priority=core.CasePriority.HIGH, minutes=240, calendar="office")],
    )
    store.service().define_sla_policy(core.SlaPolicy(name="standard", position=0, applies_to=any_case, warning_percent=80, metrics=[rule]), NOW)
    opened = dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.timezone.utc)
    case = store.service().open_case(
        core.NewCase(subject="Engine jammed", description="", channel=core.CaseChannel.PHONE, category=core.CaseCategory.INCIDENT,
                     priority=core.CasePriority.HIGH, account=conversion.account.id, contact=None, asset=None, contract=None, owner=None),
        opened,
    )
    due = store.service().case_sla(case.id, opened).metrics[0].ongoing.due_at
    assert due == dt.datetime(2026, 3, 3, 11, 0, tzinfo=dt.timezone.utc)
    office = core.BusinessCalendar(time_zone="Europe/Berlin", intervals=week, holidays=[], exceptions=[])
    assert mobile.add_business_minutes(office, opened, 240) == due
    assert mobile.business_minutes_between(office, opened, due) == 240
    with pytest.raises(core.CrmError.InvalidValue):
        store.service().define_calendar("mars", core.BusinessCalendar(time_zone="Mars/Olympus", intervals=week, holidays=[], exceptions=[]), NOW)


def test_quotes_are_priced_exactly():
    rounding = core.Rounding(mode=core.RoundingMode.HALF_EVEN, strategy=core.RoundingStrategy.PER_LINE)
    line = core.PriceLine(quantity="3", unit_price=core.Money(amount="19.99", currency="EUR"), discount=core.Discount.NONE(), tax_codes=["VAT"])
    vat = core.TaxRate(code="VAT", rate="19", included_in_price=False, compound=False)
    priced = mobile.price_document([line], "EUR", rounding, None, [vat])
    assert priced.grand_total == core.Money(amount="71.36", currency="EUR")
    with pytest.raises(core.CrmError.InvalidValue):
        mobile.price_document([core.PriceLine(quantity="3,5", unit_price=line.unit_price, discount=line.discount, tax_codes=[])], "EUR", rounding)


def test_bad_input_raises_the_typed_error():
    store = mobile.CrmStore.in_memory("US")
    with pytest.raises(core.CrmError.Validation) as invalid:
        store.leads().capture(core.LeadInput(values={"email": "not-an-email"}))
    assert invalid.value.code == "validation_failed"
    with pytest.raises(core.CrmError.NotFound):
        store.leads().get(42)
    with pytest.raises(core.CrmError.InvalidValue, match="ids start at 1"):
        store.leads().get(0)
    with pytest.raises(core.CrmError.InvalidValue):
        mobile.CrmStore.in_memory("XX")


def test_scoring_matches_the_shared_vectors():
    v = json.loads((ROOT / "tests/vectors/logistic_scores.json").read_text())
    model = mobile.ScoringModel.from_json(v["model_file"])
    p = model.score(v["x"], v["cols"])
    assert p == v["probabilities"]  # bit for bit
    assert model.decision_function(v["x"], v["cols"]) == v["decision"]
    assert model.rate(0.95) == core.Rating.HOT
    with pytest.raises(core.CrmError.InvalidValue):
        model.score(v["x"][:-1], v["cols"])


def test_two_threads_share_one_store():
    store = mobile.CrmStore.in_memory("US")

    def work(t):
        for i in range(50):
            store.leads().capture(core.LeadInput(values={"last_name": f"W{t}", "email": f"w{t}.{i}@example.com"}))

    threads = [threading.Thread(target=work, args=(t,)) for t in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert len({lead.id for lead in store.leads().list()}) == 100


def test_every_error_kind_is_its_own_exception():
    codes = core.error_codes()
    assert len(codes) == 18
    raised = [core.sample_error(code) for code in codes]
    assert [e.code for e in raised] == codes
    assert len({type(e) for e in raised}) == len(codes)
    assert all(isinstance(e, core.CrmError) for e in raised)
    storage = core.sample_error("storage")
    assert isinstance(storage, core.CrmError.Storage)
    assert storage.retryable and storage.store_code == "SQLITE_BUSY"
    problems = core.sample_error("validation_failed").problems
    assert problems[0].field == "phone"
    cancelled = core.sample_error("cancelled")
    assert (cancelled.done, cancelled.total) == (5000, 20000)


def test_long_calls_have_awaitable_twins():
    import asyncio

    store = mobile.CrmStore.in_memory("DE")
    store.leads().capture(core.LeadInput(values={"last_name": "Lovelace", "email": "ada@example.com"}), NOW)

    async def go():
        ticks = 0

        async def tick():
            nonlocal ticks
            while True:
                ticks += 1
                await asyncio.sleep(0)

        ticker = asyncio.ensure_future(tick())
        alerts = await store.service().check_slas_async(NOW)
        ticker.cancel()
        assert alerts == store.service().check_slas(NOW)
        assert ticks > 0, "the event loop was blocked"
        with pytest.raises(core.CrmError.NotFound):
            await store.marketing().evaluate_segment_async("nope", NOW)

    asyncio.run(go())
