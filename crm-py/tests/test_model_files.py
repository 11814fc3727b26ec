"""Model files: the same scores in Python as in Rust, both ways, bit for bit."""

import json
import subprocess

import numpy as np
import pandas as pd
import pytest

from crm_core import LogisticLeadScorer, ModelFile
from conftest import make_leads


def bits(a):
    return np.asarray(a, dtype=np.float64).view(np.uint64)


def test_rust_vectors_score_the_same_here(root):
    v = json.loads((root / "tests/vectors/logistic_scores.json").read_text())
    x = np.array(v["x"], dtype=np.float64).reshape(v["rows"], v["cols"])
    file = ModelFile.from_json(v["model_file"])
    assert np.array_equal(bits(file.score_matrix(x)), bits(v["probabilities"]))
    scorer = LogisticLeadScorer.from_json(v["model_file"])
    frame = pd.DataFrame(x, columns=file.column_names)
    assert np.array_equal(bits(scorer.predict_proba_positive(frame)), bits(v["probabilities"]))
    assert np.array_equal(bits(scorer.decision_function(frame)), bits(v["decision"]))
    assert file.rate(0.9) == "hot" and file.rate(0.5) == "warm" and file.rate(0.1) == "cold"


def test_save_and_load(tmp_path):
    X, y, _ = make_leads(n=800, d=4)
    df = pd.DataFrame(X, columns=["a", "b", "c", "d"])
    m = LogisticLeadScorer(C=0.3).fit(df, y)
    m.save(tmp_path / "model.json")
    back = LogisticLeadScorer.load(tmp_path / "model.json")
    assert list(back.feature_names_in_) == ["a", "b", "c", "d"]
    assert np.array_equal(bits(back.predict_proba(df)), bits(m.predict_proba(df)))
    assert json.loads(m.to_json())["format_version"] == 1


def test_a_model_saved_here_scores_the_same_in_rust(tmp_path, root):
    binary = root / "target/debug/examples/score_model_file"
    if not binary.exists():
        pytest.skip("build the examples first (cargo build --examples)")
    X, y, _ = make_leads(n=300, d=5, seed=7)
    m = LogisticLeadScorer(C=2.0).fit(X, y)
    m.save(tmp_path / "model.json")
    (tmp_path / "x.json").write_text(
        json.dumps({"rows": 300, "cols": 5, "x": X.ravel().tolist()})
    )
    out = subprocess.run(
        [binary, tmp_path / "model.json", tmp_path / "x.json"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rust = np.array(json.loads(out), dtype=np.float64)
    assert np.array_equal(bits(rust), bits(m.predict_proba_positive(X)))


def test_a_saved_scorer_keeps_its_hyper_parameters_and_classes(tmp_path):
    X, y01, _ = make_leads(n=600, d=3, seed=3)
    y = np.where(y01 == 1, "won", "lost")
    m = LogisticLeadScorer(C=0.1, max_iter=50, class_weight="balanced").fit(X, y)
    m.save(tmp_path / "model.json")
    back = LogisticLeadScorer.load(tmp_path / "model.json")
    assert back.C == 0.1 and back.max_iter == 50 and back.class_weight == "balanced"
    assert list(back.classes_) == ["lost", "won"]
    assert list(back.predict(X[:20])) == list(m.predict(X[:20]))
    # a class weight per label survives too
    w = LogisticLeadScorer(class_weight={"lost": 1.0, "won": 3.0}).fit(X, y)
    assert LogisticLeadScorer.from_json(w.to_json()).class_weight == {"lost": 1.0, "won": 3.0}
    # a file without an estimator (written by Rust) reads as classes 0 and 1, C = 1
    file = json.loads(m.to_json())
    del file["estimator"]
    old = LogisticLeadScorer.from_json(json.dumps(file))
    assert list(old.classes_) == [0, 1] and old.C == 1.0


def test_a_scorer_saved_with_its_spec_rescores_the_store(tmp_path):
    from crm_core import Crm

    crm = Crm.in_memory("US")
    for i in range(40):
        lead = crm.leads.capture({"values": {"last_name": f"L{i}", "email": f"l{i}@corp{i % 3}.example.com",
                                            "job_title": "CTO" if i % 2 else "Intern"}}).lead
        if i % 4 == 0:
            crm.leads.disqualify(lead.id, "no budget")
        elif i % 4 == 1:
            crm.leads.qualify(lead.id)
            crm.leads.convert(lead.id, {})
    spec = {"features": [{"feature": "present", "attribute": {"attribute": "job_title"}},
                         {"feature": "one_hot", "attribute": {"attribute": "job_title"}, "max_values": 2},
                         {"feature": "one_hot", "attribute": {"attribute": "ad"}, "max_values": 2}]}
    ts = crm.scoring.training_set(spec)
    x = np.asarray(ts.x).reshape(len(ts.leads), len(ts.columns))
    scorer = LogisticLeadScorer(C=0.5).fit(x, ts.y)
    scorer.save(tmp_path / "model.json", features=ts.spec)
    file = ModelFile.from_json((tmp_path / "model.json").read_text())
    report = crm.scoring.rescore_leads_with_model(json.loads(file.to_json()))
    assert report.scored == 20 and report.changed == 20
    # the same spec is read the same way by training_set and lead_features
    again = crm.scoring.training_set(ts.spec)
    assert again.columns == ts.columns
    rows = crm.scoring.lead_features(ts.spec, again.leads)
    assert rows.columns == ts.columns and len(rows.x) == len(again.x)


def test_naive_bayes_has_a_model_file(tmp_path):
    from crm_core import NaiveBayesLeadScorer

    df = pd.DataFrame({"job_title": ["cto", "intern", "cto", "ceo", "intern", "cto"] * 10,
                       "country": ["us", "de", "us", "fr", "de", "gb"] * 10})
    y = np.array(["won", "lost", "won", "won", "lost", "lost"] * 10)
    m = NaiveBayesLeadScorer(alpha=0.5).fit(df, y)
    m.save(tmp_path / "nb.json")
    back = NaiveBayesLeadScorer.load(tmp_path / "nb.json")
    assert back.alpha == 0.5 and list(back.classes_) == ["lost", "won"]
    assert np.array_equal(bits(back.predict_proba(df)), bits(m.predict_proba(df)))
    file = json.loads((tmp_path / "nb.json").read_text())
    assert file["model"]["kind"] == "naive_bayes"
    assert file["model"]["attributes"] == [{"attribute": "job_title"}, {"attribute": "country"}]
