"""Record lifecycle from Python: patches, actors and history, archive, deletes."""

import pytest

import crm_core
from crm_core import Crm


def test_a_patch_changes_only_what_it_names_and_history_says_who():
    with Crm.in_memory("DE") as crm:
        alice = crm.as_actor("user:alice")
        assert (alice.actor, crm.actor) == ("user:alice", "system:host")
        lead = crm.leads.capture(
            {"values": {"first_name": "Ada", "last_name": "Lovelace", "company": "Engines",
                        "job_title": "Analyst", "email": "ada@example.com"}}
        ).lead
        edited = alice.leads.update(lead.id, lead.version, {"job_title": "CTO", "company": None})
        assert (edited.data.first_name, edited.data.last_name) == ("Ada", "Lovelace")
        assert (edited.data.company, edited.data.job_title) == (None, "CTO")
        assert edited.data.email == "ada@example.com"
        # a misspelt field is named; a patch that leaves no way to reach the lead is refused
        with pytest.raises(crm_core.InputError, match=r"patch\.job_titel"):
            crm.leads.update(lead.id, edited.version, {"job_titel": "CEO"})
        with pytest.raises(crm_core.ValidationError):
            crm.leads.update(lead.id, edited.version, {"email": None})
        with pytest.raises(crm_core.ConflictError):
            crm.leads.update(lead.id, lead.version, {"job_title": "CEO"})
        history = crm.records.history(f"lead:{lead.id}")
        assert [(h.event, h.actor) for h in history] == [
            ("LeadCaptured", "system:host"),
            ("RecordEdited", "user:alice"),
        ]
        changes = {c.field: (c.old, c.new) for c in history[1].changes}
        assert changes == {"company": ("Engines", None), "job_title": ("Analyst", "CTO")}
        with pytest.raises(crm_core.InvalidValueError):
            crm.as_actor("alice")


def test_archived_records_leave_listings_and_deletes_respect_dependants():
    with Crm.in_memory("DE") as crm:
        lead = crm.leads.capture({"values": {"last_name": "Hopper", "email": "grace@example.com"}}).lead
        version = crm.records.archive(f"lead:{lead.id}", lead.version)
        assert version == lead.version + 1
        assert crm.leads.list() == []
        assert crm.leads.get(lead.id).data.last_name == "Hopper"
        assert [d["id"] for d in crm.records.archived("lead", 0, 10)] == [lead.id]
        crm.records.restore(f"lead:{lead.id}", version)
        assert [l.id for l in crm.leads.list()] == [lead.id]

        account = crm.customers.create_account({"name": "Engines"})
        contact = crm.customers.create_contact({"account": account.id, "last_name": "Babbage"})
        with pytest.raises(crm_core.InUseError) as refused:
            crm.records.delete(f"account:{account.id}", account.version)
        assert refused.value.details["dependants"] == [f"contact:{contact.id}"]
        assert crm.customers.contact(contact.id).last_name == "Babbage"
        done = crm.records.delete(f"account:{account.id}", account.version, {"mode": "cascade"})
        assert done.deleted == [f"contact:{contact.id}", f"account:{account.id}"]
        with pytest.raises(crm_core.NotFoundError):
            crm.customers.contact(contact.id)
