"""Cross-sell from Python: which customers will buy the support plan next quarter?

Generates two years of purchase history for a few hundred customers (women with a high
income who bought the engine tend to add the support plan afterwards), builds a training
set as of a cut-off, fits a LogisticLeadScorer on it (scikit-learn conventions),
evaluates it on the following quarter (AUC, calibration) against recency alone, then fits
the same model natively, ranks the likeliest buyers with the reasons, writes the
predictions to the contacts and targets them with a segment; last, a churn model ranks
the accounts most at risk.

    .venv/bin/python examples/python/cross_sell.py [CRM.db]     (after bash scripts/test.sh)
"""

from __future__ import annotations

import datetime as dt
import pathlib
import sys
import tempfile

import numpy as np

from crm_core import Crm, LogisticLeadScorer, metrics
from crm_core import records as r

START = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
NOW = START + dt.timedelta(days=640)
TRAIN_CUTOFF = START + dt.timedelta(days=365)
TEST_CUTOFF = START + dt.timedelta(days=455)
PLAN = "SUPPORT-PLAN"
TARGET = {"target": "buys", "products": [PLAN], "horizon_days": 90}


# The feature spec as typed records (records.pyi types them; a dict of the same shape
# works too): a record's tag and optional fields need not be spelt.
SPEC = r.FeatureSpec(features=[
    r.FeatureOneHot(attribute=r.AttributeGender(), max_values=5),
    r.FeatureOneHot(attribute=r.AttributeIncomeBand(), max_values=5),
    r.FeatureDaysSinceLastPurchase(cap_days=365.0),
    r.FeaturePurchases(days=90.0),
    r.FeatureSpend(days=90.0),
    r.FeatureBought(products=["ENGINE"]),
    r.FeatureBought(products=[PLAN]),
])
CHURN = {"target": "churn", "horizon_days": 90}


def generate(crm: Crm, customers: int) -> None:
    rng = np.random.default_rng(11)
    accounts = [crm.customers.create_account({"name": f"Company {k}"}, now=START).id for k in range(40)]
    for i in range(customers):
        joined = int(rng.integers(0, 300))
        gender = ["female", "male"][int(rng.integers(0, 2))]
        income = ["low", "lower_middle", "middle", "upper_middle", "high"][int(rng.integers(0, 5))]
        contact = crm.customers.create_contact(
            {"last_name": f"Customer {i}", "account": accounts[i % len(accounts)],
             "demographics": {"gender": gender, "income_band": income}},
            now=START + dt.timedelta(days=joined))
        group = gender == "female" and income in ("upper_middle", "high")
        rate = [0.1, 0.25, 0.5][int(rng.integers(0, 3))]
        bought_engine = False

        def buy(product: str, day: int, price: str) -> None:
            at = START + dt.timedelta(days=day, hours=10)
            crm.customers.record_purchase(
                {"contact": contact.id, "product": product, "purchased_at": at, "quantity": "1",
                 "unit_price": {"amount": price, "currency": "USD"}}, now=at)

        # some customers stop buying for good
        stop = int(rng.integers(joined + 60, 700)) if rng.uniform() < 0.3 else 640
        for day in range(joined, stop, 10):
            if rng.uniform() < rate:
                product = ["ENGINE", "SPARE-KIT", "MANUAL"][int(rng.integers(0, 3))]
                bought_engine |= product == "ENGINE"
                buy(product, day, {"ENGINE": "1200.00", "SPARE-KIT": "90.00", "MANUAL": "25.00"}[product])
            if rng.uniform() < (0.12 if group and bought_engine else 0.005):
                buy(PLAN, day + 1, "300.00")


def main() -> int:
    workdir = pathlib.Path(tempfile.mkdtemp(prefix="crm-py-"))
    path = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else workdir / "crm.db"
    crm = Crm.open(path, region="US")
    generate(crm, 600)

    # Training set as of the cut-off: features from what was known then, labels from the
    # quarter after it. The spec comes back with its vocabularies learned.
    train = crm.scoring.customer_training_set(SPEC, TARGET, TRAIN_CUTOFF, now=NOW)
    x = np.asarray(train.x).reshape(len(train.contacts), len(train.columns))
    y = np.asarray(train.y)
    print(f"training set: {x.shape[0]} customers × {x.shape[1]} features, "
          f"{int(y.sum())} bought the plan in the quarter after {TRAIN_CUTOFF.date()}")

    # scikit-learn conventions: standardise, fit, predict_proba.
    mean, sd = x.mean(axis=0), x.std(axis=0)
    sd[sd == 0] = 1.0
    scorer = LogisticLeadScorer(C=1.0).fit((x - mean) / sd, y)

    # Evaluate on the next quarter, with the spec the training set learned.
    test = crm.scoring.customer_training_set(train.spec, TARGET, TEST_CUTOFF, now=NOW)
    xt = (np.asarray(test.x).reshape(len(test.contacts), len(test.columns)) - mean) / sd
    yt = np.asarray(test.y)
    p = scorer.predict_proba(xt)[:, 1]
    recency = np.asarray(test.x).reshape(len(test.contacts), -1)[:, test.columns.index("days_since_last_purchase")]
    recency_auc = max(metrics.roc_auc_score(yt, recency), metrics.roc_auc_score(yt, -recency))
    print(f"next quarter: AUC {metrics.roc_auc_score(yt, p):.3f} (recency alone {recency_auc:.3f}), "
          f"log-loss {metrics.log_loss(yt, p):.3f}")
    for b in metrics.calibration_table(yt, p, bins=5):
        print(f"  predicted {b['mean_predicted']:.2f}  observed {b['observed_rate']:.2f}  ({b['count']} customers)")

    # The same model fitted natively: a model file every language scores bit for bit.
    model = crm.scoring.fit_customer_model(SPEC, TARGET, TRAIN_CUTOFF, now=NOW)
    report = crm.scoring.evaluate_customer_model(model, TEST_CUTOFF, now=NOW)
    print(f"native model: AUC {report.auc:.3f}, calibration error {report.calibration_error:.3f}")
    top = crm.scoring.predict_customers(model, 5, now=NOW)
    print("likeliest to buy the support plan now:")
    for pred in top:
        name = crm.customers.contact(pred.contact).last_name
        why = ", ".join(f"{r.feature} ({r.contribution:+.2f})" for r in pred.reasons)
        print(f"  {name}: {pred.value:.0%} [{pred.rating}] because {why}")

    # Written to the contacts (only what changed), and targeted by a segment.
    written = crm.scoring.rescore_customers("support_plan", model, now=NOW)
    seg = crm.marketing.define_segment(
        "Likely to buy the support plan", "contacts",
        {"op": "at_least", "field": "prediction:support_plan", "value": 0.4}, now=NOW)
    print(f"re-scored {written.scored} contacts ({written.changed} changed); "
          f"segment '{seg.segment.name}' has {len(seg.segment.members)} members")

    # Churn, rolled up to the accounts: who is most at risk, what is at stake, and why.
    churn = crm.scoring.fit_customer_model(SPEC, CHURN, TRAIN_CUTOFF, now=NOW)
    print("accounts most at risk of buying nothing next quarter:")
    for a in crm.scoring.accounts_at_risk(churn, 3, now=NOW):
        why = ", ".join(f"{x.feature} ({x.contribution:+.2f})" for x in a.reasons)
        print(f"  {a.name}: risk {a.risk:.0%}, ${a.revenue_at_risk:,.0f} of ${a.revenue:,.0f} at stake, because {why}")
    assert report.auc is not None and report.auc >= 0.8
    assert len(seg.segment.members) > 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
