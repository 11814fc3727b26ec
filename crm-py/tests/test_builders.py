"""Records as builders: a caller gives only what has no default, never a variant's tag."""

import subprocess
import sys
import textwrap

from crm_core import Crm
from crm_core import records as r


def test_a_typed_spec_needs_no_tags_and_reads_as_its_dict():
    typed = r.FeatureSpec(features=[
        r.FeaturePresent(attribute=r.AttributeJobTitle()),
        r.FeatureOneHot(attribute=r.AttributeEmailDomain(), max_values=2),
        r.FeatureBought(products=["ENGINE"]),
        r.FeatureCases(days=90.0),
    ])
    plain = {"features": [
        {"feature": "present", "attribute": {"attribute": "job_title"}},
        {"feature": "one_hot", "attribute": {"attribute": "email_domain"}, "max_values": 2},
        {"feature": "bought", "products": ["ENGINE"]},
        {"feature": "cases", "days": 90},
    ]}
    with Crm.in_memory() as crm:
        for i in range(6):
            lead = crm.leads.capture({"values": {"last_name": f"L{i}", "email": f"l{i}@corp{i % 3}.example.com",
                                                "job_title": "CTO" if i % 2 else "Intern"}}).lead
            if i % 2:
                crm.leads.disqualify(lead.id, "no budget")
            else:
                crm.leads.qualify(lead.id)
                crm.leads.convert(lead.id, {})
        ts = crm.scoring.training_set(typed)
        assert ts.columns == crm.scoring.training_set(plain).columns
        assert ts.columns[0] == "present:job_title" and len(ts.columns) == 6
        # the learned spec comes back as the same records, tags filled in
        learned = ts.spec.features[1]
        assert isinstance(learned, r.FeatureOneHot) and learned.feature == "one_hot"
        assert learned.vocabulary and learned.max_values == 2


def test_defaults_are_new_for_each_record():
    a = r.FeatureOneHot(attribute=r.AttributeCountry(), max_values=3)
    b = r.FeatureOneHot(attribute=r.AttributeCountry(), max_values=3)
    a.vocabulary.append("DE")
    assert b.vocabulary == [] and a.vocabulary == ["DE"]
    assert r.LeadData(last_name="X").custom == {} and r.LeadData().address == r.Address()
    # positionally: the fields without a default first
    assert r.FeatureOneHot(r.AttributeCountry(), 3) == b
    assert r.LeadStatusNew() == r.LeadStatusNew(kind="new")
    assert r.LeadStatusDisqualified(reason="spam").kind == "disqualified"


def test_a_type_checker_knows_the_builders(tmp_path):
    good = tmp_path / "good.py"
    good.write_text(textwrap.dedent("""
        from crm_core import records as r
        spec = r.FeatureSpec(features=[r.FeatureBought(products=["B"]), r.FeatureSpend(days=365.0)])
        status = r.LeadStatusDisqualified(reason="spam")
    """))
    bad = tmp_path / "bad.py"
    bad.write_text(textwrap.dedent("""
        from crm_core import records as r
        spec = r.FeatureSpend()
        other = r.FeatureBought(products=["B"], feature="spend")
    """))
    run = [sys.executable, "-m", "mypy", "--no-incremental", "--ignore-missing-imports", "--follow-imports=silent"]
    ok = subprocess.run([*run, str(good)], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout
    wrong = subprocess.run([*run, str(bad)], capture_output=True, text=True)
    assert wrong.returncode == 1
    assert 'Missing positional argument "days"' in wrong.stdout
    assert 'incompatible type "Literal[\'spend\']"' in wrong.stdout
