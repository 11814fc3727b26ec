"""scikit-learn compatibility without requiring scikit-learn: when it is installed the
estimators derive from its ``BaseEstimator`` and ``ClassifierMixin`` (so ``clone``,
``Pipeline``, ``GridSearchCV`` and its estimator checks work); otherwise from small
stand-ins with the same ``get_params`` / ``set_params`` / ``score`` behaviour."""

from __future__ import annotations

import inspect
import warnings
from typing import Any, Dict

import numpy as np

try:
    from sklearn.base import BaseEstimator, ClassifierMixin
    from sklearn.exceptions import DataConversionWarning

    HAVE_SKLEARN = True
except ImportError:  # pragma: no cover - exercised only without scikit-learn
    HAVE_SKLEARN = False

    class DataConversionWarning(UserWarning):  # type: ignore[no-redef]
        """A column vector was passed where a 1-D array was expected."""

    class BaseEstimator:  # type: ignore[no-redef]
        """Parameters are the keyword arguments of ``__init__``, stored as given."""

        @classmethod
        def _get_param_names(cls) -> list:
            sig = inspect.signature(cls.__init__)
            return sorted(p for p in sig.parameters if p != "self")

        def get_params(self, deep: bool = True) -> Dict[str, Any]:
            return {k: getattr(self, k) for k in self._get_param_names()}

        def set_params(self, **params: Any) -> "BaseEstimator":
            valid = self._get_param_names()
            for k, v in params.items():
                if k not in valid:
                    raise ValueError(f"Invalid parameter {k!r} for estimator {self}")
                setattr(self, k, v)
            return self

        def __repr__(self) -> str:
            args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
            return f"{type(self).__name__}({args})"

    class ClassifierMixin:  # type: ignore[no-redef]
        """``score`` is the mean accuracy."""

        _estimator_type = "classifier"

        def score(self, X: Any, y: Any, sample_weight: Any = None) -> float:
            y = np.asarray(y)
            correct = (self.predict(X) == y).astype(np.float64)  # type: ignore[attr-defined]
            if sample_weight is None:
                return float(correct.mean())
            w = np.asarray(sample_weight, dtype=np.float64)
            return float((correct * w).sum() / w.sum())


def warn_column_vector() -> None:
    warnings.warn(
        "A column-vector y was passed when a 1d array was expected. Please change the "
        "shape of y to (n_samples,), for example using ravel().",
        DataConversionWarning,
        stacklevel=3,
    )
