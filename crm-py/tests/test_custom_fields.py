"""Typed custom fields from Python: native values in and out, every problem named."""

import pytest

import crm_core
from crm_core import Crm


def test_custom_values_are_typed_checked_and_redefined():
    with Crm.in_memory("DE") as crm:
        crm.custom_fields.define({"kind": "account", "name": "employees",
                                  "spec": {"label": "Employees", "field_type": {"type": "number"}}})
        crm.custom_fields.define({"kind": "account", "name": "tags", "spec": {
            "label": "Tags", "field_type": {"type": "multi_picklist", "values": ["oem", "reseller", "partner"]},
            "default": ["partner"]}})
        account = crm.customers.create_account({"name": "Engines", "custom": {"employees": "250"}})
        # a text typed as a number is stored as one; the default fills the list
        assert account.custom == {"employees": 250, "tags": ["partner"]}
        edited = crm.customers.update_account(account.id, account.version,
                                              {"custom": {"tags": "reseller; OEM"}})
        assert edited.custom == {"employees": 250, "tags": ["oem", "reseller"]}
        with pytest.raises(crm_core.ValidationError) as refused:
            crm.customers.update_account(account.id, edited.version,
                                         {"custom": {"employees": "many", "tags": ["distributor"], "sise": 1}})
        assert sorted(p["field"] for p in refused.value.problems) == [
            "custom.employees", "custom.sise", "custom.tags"]
        assert crm.customers.account(account.id).custom == edited.custom
        assert crm.records.count("account", [{"field": "custom.employees", "op": "ge", "value": 100}]) == 1

        field = crm.custom_fields.get("account", "employees")
        assert (field.version, field.spec.label) == (1, "Employees")
        change = crm.custom_fields.rename("account", "employees", field.version, "headcount")
        assert (change.field.name, change.records_changed) == ("headcount", 1)
        assert crm.customers.account(account.id).custom["headcount"] == 250
        with pytest.raises(crm_core.ConflictError):
            crm.custom_fields.remove("account", "headcount", field.version, True)
        with pytest.raises(crm_core.InUseError):
            crm.custom_fields.remove("account", "headcount", change.field.version, False)
        assert [f.name for f in crm.custom_fields.list("account")] == ["headcount", "tags"]


def test_search_finds_records_by_their_words_and_custom_values():
    with Crm.in_memory("DE") as crm:
        crm.custom_fields.define({"kind": "lead", "name": "interest",
                                  "spec": {"label": "Interest", "field_type": {"type": "text"}}})
        lead = crm.leads.capture({"values": {"first_name": "Jörg", "last_name": "Müller", "company": "Pumpenwerk",
                                             "email": "joerg@pumpenwerk.example",
                                             "custom:interest": "hydraulic presses"}}).lead
        hits = crm.records.search({"text": "muller"})
        assert [(h.record, h.field, h.title) for h in hits] == [(f"lead:{lead.id}", "name", "Jörg Müller")]
        assert crm.records.search({"text": "presses", "kinds": ["lead"]})[0].field == "custom"
        assert crm.records.search({"text": "pumpenw"})[0].snippet == "Pumpenwerk"
        crm.records.archive(f"lead:{lead.id}", lead.version)
        assert crm.records.search({"text": "muller"}) == []
        with pytest.raises(crm_core.InvalidValueError):
            crm.records.search({"text": "x", "kinds": ["touchpoint"]})
