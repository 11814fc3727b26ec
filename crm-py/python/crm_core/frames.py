"""Feature matrices of the CRM as frames for scikit-learn: :func:`feature_frame` lays a
``crm.scoring.training_set(...)`` or ``crm.scoring.lead_features(...)`` result out as a
pandas DataFrame indexed by lead id (a numpy array without pandas)."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["feature_frame"]


def feature_frame(rows: Any) -> Any:
    """The row-major features ``rows.x`` (``len(rows.leads)`` × ``len(rows.columns)``) as a
    DataFrame with ``rows.columns`` as columns and the lead ids as index (``lead_id``);
    a 2-D numpy array when pandas is not installed. Labels, for a training set, are
    ``numpy.asarray(rows.y)``."""
    x = np.asarray(rows.x, dtype=np.float64).reshape(len(rows.leads), len(rows.columns))
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover
        return x
    return pd.DataFrame(x, columns=list(rows.columns), index=pd.Index(list(rows.leads), name="lead_id"))
