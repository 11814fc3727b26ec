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
