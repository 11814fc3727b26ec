"""Duplicate rules per kind and the review list, from Python."""

import pytest

import crm_core
from crm_core import Crm


def capture(crm, first, last, email):
    return crm.leads.capture({"values": {"first_name": first, "last_name": last,
                                         "company": "Analytical Engines", "email": email}}).lead


def test_rules_and_the_review_list():
    with Crm.in_memory("DE") as crm:
        assert crm.duplicates.rules("lead").name.name_threshold == pytest.approx(0.92)
        a = capture(crm, "John", "Smith", "john@engines.example")
        b = capture(crm, "John", "Smith", "j.smith@engines.example")
        page = crm.duplicates.reviews("open")
        assert len(page.items) == 1
        review = crm.duplicates.review(page.items[0]["id"])
        assert (review.first, review.second, review.possible) == (f"lead:{a.id}", f"lead:{b.id}", True)
        with pytest.raises(crm_core.ConflictError):
            crm.duplicates.resolve(review.id, review.version + 1, {"decision": "not_duplicate"})
        decided = crm.duplicates.resolve(review.id, review.version, {"decision": "not_duplicate"})
        assert decided.status == "not_duplicate"
        # remembered: the pair is no longer reported
        assert crm.leads.duplicates_of(b.id) == []
        # exact names only: a typo no longer matches
        crm.duplicates.set_rules("lead", {"name": {"exact": True}})
        c = capture(crm, "John", "Smyth", "smyth@engines.example")
        assert crm.leads.duplicates_of(c.id) == []
        with pytest.raises(crm_core.InvalidValueError):
            crm.duplicates.set_rules("account", {})
        with pytest.raises(crm_core.InputError):
            crm.duplicates.set_rules("lead", {"emails": False})


def test_merge_from_the_review_list():
    with Crm.in_memory("DE") as crm:
        a = capture(crm, "Grace", "Hopper", "grace@navy.example")
        b = capture(crm, "Grace", "Hoper", "ghopper@navy.example")
        review = crm.duplicates.review(crm.duplicates.reviews("open").items[0]["id"])
        merged = crm.duplicates.resolve(review.id, review.version,
                                        {"decision": "merge", "survivor": f"lead:{a.id}",
                                         "choices": {"take_from_merged": ["data.email"]}})
        assert merged.status == "merged" and merged.survivor == f"lead:{a.id}"
        assert crm.leads.get(a.id).data.email == "ghopper@navy.example"
        with pytest.raises(crm_core.NotFoundError):
            crm.leads.get(b.id)

