"""Lead scoring from Python, end to end on the embedded SQLite store.

Imports past leads from the quickstart's CSV, records what they did, decides some of them
(converted or disqualified), builds a training set with a feature spec, fits a
LogisticLeadScorer (scikit-learn conventions), evaluates it, saves the model file, scores
the open leads in Python and writes the scores back with the same model in Rust.

    .venv/bin/python examples/python/lead_scoring.py [CRM.db]     (after bash scripts/test.sh)
"""

from __future__ import annotations

import datetime as dt
import json
import pathlib
import sys
import tempfile

import numpy as np

import crm_core
from crm_core import Crm, LogisticLeadScorer

ROOT = pathlib.Path(__file__).resolve().parents[2]
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone.utc)


def main() -> int:
    workdir = pathlib.Path(tempfile.mkdtemp(prefix="crm-py-"))
    path = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else workdir / "crm.db"
    crm = Crm.open(path, region="US")

    csv = (ROOT / "examples/data/web_leads.csv").read_text()
    mapping = {"default_region": "US", "guess_others": True}
    options = {"batch_label": "web_leads.csv", "batch_size": 500, "duplicates": "skip", "max_reported": 100}
    report = crm.leads.import_csv(csv, mapping, options, now=NOW - dt.timedelta(days=60))
    print(f"imported {report.progress.imported} leads; {len(report.errors)} rows refused")
    for e in report.errors[:3]:
        print(f"  row {e.row} {e.column or '-'}: {e.reason}")

    # What the prospects did, and which of them were decided: engaged, senior prospects
    # convert more often (a deterministic story, so the example prints the same each run).
    rng = np.random.default_rng(7)
    leads = crm.leads.with_status("new")
    for lead in leads:
        visits = int(rng.poisson(2.0))
        for k in range(visits):
            touch = {"subject": {"kind": "lead", "id": lead.id}, "at": NOW - dt.timedelta(days=40 - k),
                     "kind": {"kind": "web_visit", "url": "/pricing"}}
            crm.leads.record_touchpoint(touch, now=NOW - dt.timedelta(days=30))
        senior = (lead.data.job_title or "") in {"CTO", "CEO", "VP Engineering", "Head of Sales"}
        if lead.id % 3 == 0:
            continue  # still open
        p = 1 / (1 + np.exp(-(-1.5 + 0.8 * visits + 1.2 * senior)))
        if rng.uniform() < p:
            crm.leads.qualify(lead.id, now=NOW - dt.timedelta(days=20))
            crm.leads.convert(lead.id, {}, now=NOW - dt.timedelta(days=20))
        else:
            crm.leads.disqualify(lead.id, "not now", now=NOW - dt.timedelta(days=20))

    spec = [
        {"feature": "engagement", "kind": "web_visit", "half_life_days": 30},
        {"feature": "one_hot", "attribute": {"attribute": "job_title"}, "max_values": 6},
        {"feature": "present", "attribute": {"attribute": "company"}},
    ]
    ts = crm.scoring.training_set({"features": spec})
    X, y = crm_core.feature_frame(ts), np.asarray(ts.y)
    print(f"training set: {len(y)} decided leads, {int(y.sum())} converted, {len(ts.columns)} columns")

    scorer = LogisticLeadScorer(C=1.0).fit(X, y)
    p = scorer.predict_proba(X)[:, 1]
    print(f"fit in {scorer.n_iter_[0]} Newton iterations; AUC {crm_core.roc_auc_score(y, p):.3f}, log-loss {crm_core.log_loss(y, p):.3f}")
    top = np.argsort(-np.abs(scorer.coef_[0]))[:3]
    print("strongest features: " + ", ".join(f"{ts.columns[i]} ({scorer.coef_[0][i]:+.2f})" for i in top))

    model_path = workdir / "lead_model.json"
    with open(model_path, "w", encoding="utf-8") as f:
        f.write(scorer.to_model_file(features=json.loads(crm_core.to_json(ts.spec))).to_json())
    print(f"model file: {model_path}")

    open_ids = sorted(l.id for s in ("new", "working", "qualified") for l in crm.leads.with_status(s))
    open_rows = crm_core.feature_frame(crm.scoring.lead_features(ts.spec, open_ids, now=NOW))
    scores = scorer.predict_proba(open_rows)[:, 1]
    contributions = scorer.explain(open_rows)
    best = int(np.argmax(scores))
    lead = crm.leads.get(int(open_rows.index[best]))
    why = sorted(zip(ts.columns, contributions[best]), key=lambda c: -abs(c[1]))[:2]
    print(f"best open lead: {lead.data.first_name} {lead.data.last_name} ({lead.data.job_title}), p = {scores[best]:.2f}; "
          + ", ".join(f"{n} {v:+.2f}" for n, v in why))

    done = crm.scoring.rescore_leads_with_model(crm_core.ModelFile.from_json(model_path.read_text()), now=NOW)
    stored = np.array([crm.leads.get(int(i)).score for i in open_rows.index])
    print(f"re-scored {done.scored} open leads in Rust ({done.changed} changed); same as Python: {bool(np.array_equal(stored, scores))}")
    frame = crm_core.to_pandas(crm.leads.with_status("new"))
    print(frame[["id", "data.last_name", "score", "data.rating"]].sort_values("score", ascending=False).head(3).to_string(index=False))
    # every stored lead as Arrow columns (read from the store's bytes): the bulk path to a frame
    table = crm.table("lead")
    by_status = table.group_by("status").aggregate([("id", "count")]).sort_by("status")
    print("leads by status: " + ", ".join(f"{s} {n}" for s, n in zip(by_status["status"].to_pylist(), by_status["id_count"].to_pylist())))
    return 0 if np.array_equal(stored, scores) else 1


if __name__ == "__main__":
    sys.exit(main())
