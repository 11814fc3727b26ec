import numpy as np
import pytest
from sklearn import metrics as sk

import crm_core
from conftest import make_leads


def test_metrics_agree_with_sklearn():
    X, y, _ = make_leads(n=2000)
    m = crm_core.LogisticLeadScorer().fit(X, y)
    p = m.predict_proba_positive(X)
    assert crm_core.roc_auc_score(y, p) == pytest.approx(sk.roc_auc_score(y, p), abs=1e-12)
    assert crm_core.log_loss(y, p) == pytest.approx(sk.log_loss(y, p), rel=1e-12)
    table = crm_core.calibration_table(y, p, bins=10)
    assert sum(b["count"] for b in table) == len(y)
    observed = [b["observed_rate"] for b in table if b["count"] > 50]
    predicted = [b["mean_predicted"] for b in table if b["count"] > 50]
    np.testing.assert_allclose(observed, predicted, atol=0.1)
    lift = crm_core.lift_at_k(y, p, 200)
    top = np.argsort(-p, kind="stable")[:200]
    assert lift["positives"] == int(y[top].sum())
    assert lift["gain"] == pytest.approx(y[top].sum() / y.sum())
    assert lift["lift"] == pytest.approx(y[top].mean() / y.mean())


def test_metric_errors():
    with pytest.raises(crm_core.InvalidValueError):
        crm_core.roc_auc_score([1, 1, 1], [0.1, 0.2, 0.3])
    with pytest.raises(crm_core.InvalidValueError):
        crm_core.log_loss([0, 1], [0.5])
