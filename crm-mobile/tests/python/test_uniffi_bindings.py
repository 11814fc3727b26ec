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
    captured = store.capture_lead(
        core.LeadInput(values={"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com", "phone": "030 1234567"}),
        NOW,
    )
    lead = captured.lead
    assert lead.id == 1
    assert lead.data.phone == "+49301234567"
    assert lead.created_at == NOW
    assert lead.status == core.LeadStatus.NEW()
    lead.data.job_title = "Countess"
    edited = store.update_lead(lead.id, lead.version, lead.data, NOW)
    assert edited.version == lead.version + 1
    with pytest.raises(core.CrmError.Conflict) as stale:
        store.update_lead(lead.id, lead.version, lead.data, NOW)
    assert stale.value.code == "conflict"
    assert store.qualify(lead.id, NOW).status == core.LeadStatus.QUALIFIED()
    del store
    assert mobile.CrmStore.open(path, "DE").lead(1).data.job_title == "Countess"


def test_bad_input_raises_the_typed_error():
    store = mobile.CrmStore.in_memory("US")
    with pytest.raises(core.CrmError.Validation) as invalid:
        store.capture_lead(core.LeadInput(values={"email": "not-an-email"}))
    assert invalid.value.code == "validation_failed"
    with pytest.raises(core.CrmError.NotFound):
        store.lead(42)
    with pytest.raises(core.CrmError.InvalidValue, match="ids start at 1"):
        store.lead(0)
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
            store.capture_lead(core.LeadInput(values={"last_name": f"W{t}", "email": f"w{t}.{i}@example.com"}))

    threads = [threading.Thread(target=work, args=(t,)) for t in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert len({lead.id for lead in store.leads()}) == 100
