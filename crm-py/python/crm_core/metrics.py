"""What a sales-ops analyst reads about a scoring model: ROC AUC, log-loss, a calibration
table and lift / gain among the best-scored leads. Computed by crm-core (the same numbers
as in Rust); labels may be 0/1 or booleans."""

from __future__ import annotations

from typing import Any, Dict, List

import numpy as np

from . import _crm_core
from ._input import as_labels

__all__ = ["roc_auc_score", "log_loss", "calibration_table", "lift_at_k"]


def _vectors(scores: Any, labels: Any) -> tuple:
    s = np.ascontiguousarray(as_labels(scores, "scores"), dtype=np.float64)
    y = np.ascontiguousarray(as_labels(labels, "labels"), dtype=np.float64)
    return s, y


def roc_auc_score(labels: Any, scores: Any) -> float:
    """Area under the ROC curve (ties count half); argument order as scikit-learn's."""
    s, y = _vectors(scores, labels)
    return _crm_core.roc_auc(s, y)


def log_loss(labels: Any, probabilities: Any) -> float:
    """Mean negative log-likelihood of 0/1 labels under the probabilities."""
    p, y = _vectors(probabilities, labels)
    return _crm_core.log_loss(p, y)


def calibration_table(labels: Any, probabilities: Any, bins: int = 10) -> List[Dict[str, Any]]:
    """Equal-width probability bins: ``lower``, ``upper``, ``count``, ``mean_predicted``
    and ``observed_rate`` of each."""
    p, y = _vectors(probabilities, labels)
    return _crm_core.calibration(p, y, bins)


def lift_at_k(labels: Any, scores: Any, k: int) -> Dict[str, Any]:
    """Among the ``k`` best-scored rows: ``positives``, ``gain`` (share of all positives
    found) and ``lift`` (their positive rate over the base rate)."""
    s, y = _vectors(scores, labels)
    return _crm_core.lift_at_k(s, y, k)
