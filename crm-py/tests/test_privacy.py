"""GDPR export and erase from Python."""

import pytest

import crm_core
from crm_core import Crm


def test_a_person_is_exported_then_erased():
    with Crm.in_memory("DE") as crm:
        lead = crm.leads.capture({"values": {"first_name": "Ada", "last_name": "Lovelace",
                                             "email": "ada@engines.example", "phone": "030 901820"}}).lead
        crm.marketing.grant_consent({"subject": {"kind": "lead", "id": lead.id}, "channel": "email",
                                     "purpose": "marketing", "source": "fair"})
        doc = crm.privacy.export_person({"by": "email", "address": "ADA@engines.example"})
        assert sorted(doc["records"]) == ["consent", "lead"]
        assert {e["event_type"] for e in doc["events"]} >= {"LeadCaptured", "ConsentGranted"}
        erasure = crm.privacy.erase_person({"by": "lead", "id": lead.id})
        assert erasure.anonymised == [f"lead:{lead.id}"]
        assert [k.split(":")[0] for k in erasure.deleted] == ["consent"]
        assert crm.leads.get(lead.id).data.email is None
        log = crm_core.to_json(crm.events.since(0, 1000))
        assert "ada@engines.example" not in log and "Lovelace" not in log
        with pytest.raises(crm_core.NotFoundError):
            crm.privacy.export_person({"by": "lead", "id": 999})
