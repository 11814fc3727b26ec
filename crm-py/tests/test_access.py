"""Access control from Python: a team, a role hierarchy and a sharing rule set up through
``crm.access``; what a user sees through ``crm.as_user``; refusals as ``ForbiddenError``
(a ``PermissionError``); hidden fields and the audit."""

import pytest

import crm_core
from crm_core import Crm


def _set_up(crm: Crm) -> None:
    crm.access.set_permission_set({"name": "sales", "objects": [
        {"kind": "lead", "read": True, "create": True, "edit": True, "export": True}]})
    crm.access.set_permission_set({"name": "audit", "system": ["view_audit"]})
    crm.access.set_role({"name": "manager", "permission_sets": ["sales", "audit"]})
    crm.access.set_role({"name": "rep", "parent": "manager", "permission_sets": ["sales"],
                         "fields": [{"kind": "lead", "field": "data.description", "access": "hidden"}]})
    for login, role in [("mia", "manager"), ("rep1", "rep"), ("rep2", "rep")]:
        crm.access.set_user({"login": login, "role": role})
    crm.access.set_team({"name": "inside", "members": ["rep2"]})
    crm.access.set_sharing_rule({
        "name": "german", "kind": "lead",
        "filter": [{"field": "data.address.country", "op": "eq", "value": "DE"}],
        "grantee": {"type": "team", "name": "inside"}, "access": "read"})


def _lead(crm: Crm, name: str, country: str, owner: str) -> int:
    return crm.leads.capture({"values": {
        "last_name": name, "email": f"{name.lower()}@example.com", "country": country,
        "owner": owner, "description": "call in March"}}).lead.id


def test_a_user_sees_what_is_theirs_shared_or_below_them():
    with Crm.in_memory("DE") as crm:
        _set_up(crm)
        ada = _lead(crm, "Ada", "DE", "rep1")
        grace = _lead(crm, "Grace", "US", "rep1")
        alan = _lead(crm, "Alan", "GB", "rep2")
        rep1, rep2, mia = crm.as_user("rep1"), crm.as_user("rep2"), crm.as_user("mia")
        assert (rep1.user, crm.user, rep1.actor) == ("rep1", None, "user:rep1")
        assert [lead.id for lead in rep1.leads.list()] == [ada, grace]
        assert [lead.id for lead in rep2.leads.list()] == [ada, alan]
        assert [lead.id for lead in mia.leads.list()] == [ada, grace, alan]
        # the hidden field is left out for reps, not for their manager
        assert rep1.leads.get(ada).data.description is None
        assert mia.leads.get(ada).data.description == "call in March"
        # rep2 reads Ada through the rule, and may not change her
        assert rep2.access.access_to(f"lead:{ada}") == "read"
        with pytest.raises(crm_core.ForbiddenError) as refused:
            rep2.leads.start_working(ada)
        assert isinstance(refused.value, PermissionError)
        assert refused.value.details["operation"] == "edit"
        with pytest.raises(crm_core.ForbiddenError):
            rep1.leads.get(alan)
        # the refusals are audited, for those who may read the audit
        refusals = [e for e in mia.events.since(0, 1000) if e.event_type == "AccessRefused"]
        assert [e.actor for e in refusals] == ["user:rep2", "user:rep1"]
        assert [e for e in rep1.events.since(0, 1000) if e.event_type == "AccessRefused"] == []
        with pytest.raises(crm_core.ForbiddenError):
            crm.as_user("nobody")


def test_records_owned_by_an_old_name_move_to_a_user():
    with Crm.in_memory("DE") as crm:
        _set_up(crm)
        old = _lead(crm, "Ada", "US", "Alice Smith")
        assert crm.as_user("rep1").leads.list() == []
        assert crm.access.transfer_records("Alice Smith", "rep1") == [f"lead:{old}"]
        assert [lead.id for lead in crm.as_user("rep1").leads.list()] == [old]
        with pytest.raises(crm_core.ValidationError):
            crm.access.transfer_records("rep1", "nobody")
