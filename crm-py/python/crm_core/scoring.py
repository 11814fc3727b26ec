"""Lead-scoring estimators with scikit-learn's conventions, over the Rust engine.

- :class:`LogisticLeadScorer`: L2 logistic regression (``C`` as in scikit-learn), fitted by
  Newton's method; bulk probabilities read numpy, pandas, polars and Arrow input in place,
  with the GIL released.
- :class:`NaiveBayesLeadScorer`: naive Bayes over categorical columns (Laplace smoothing).
- :class:`RuleScorer`: rule-based scoring (fit rules, engagement rules that decay, caps,
  hot / warm / cold thresholds), every score explained by the rules that fired.
- :class:`ModelFile`: the versioned JSON model files shared with Rust, Node and mobile.
"""

from __future__ import annotations

import json
import os
import warnings
from typing import Any, Dict, List, Optional, Sequence, Type, TypeVar, Union

import numpy as np

from . import _crm_core
from ._crm_core import LogisticModel, ModelFile, NaiveBayesModel, RuleSet
from ._input import as_features, as_labels, as_weights
from ._sklearn_compat import BaseEstimator, ClassifierMixin, warn_column_vector
from .errors import InputError, NotFittedError

__all__ = [
    "RuleScorer",
    "LogisticLeadScorer",
    "NaiveBayesLeadScorer",
    "LogisticModel",
    "NaiveBayesModel",
    "ModelFile",
]

PathLike = Union[str, "os.PathLike[str]"]


_Scorer = TypeVar("_Scorer", bound="_BinaryScorer")


class _BinaryScorer(ClassifierMixin, BaseEstimator):
    """What both estimators share: labels, feature-name checks, probabilities, reading
    model files."""

    @classmethod
    def from_model_file(cls: Type[_Scorer], file: ModelFile) -> _Scorer:
        """A fitted scorer from a model file; each estimator reads its own kind."""
        raise InputError(f"{cls.__name__} reads no model files; use LogisticLeadScorer or NaiveBayesLeadScorer")

    @classmethod
    def from_json(cls: Type[_Scorer], text: str) -> _Scorer:
        """A fitted scorer from a model file's JSON (see :meth:`from_model_file`)."""
        return cls.from_model_file(ModelFile.from_json(text))

    @classmethod
    def load(cls: Type[_Scorer], path: PathLike) -> _Scorer:
        """A fitted scorer from a model file at ``path``."""
        with open(path, encoding="utf-8") as f:
            return cls.from_json(f.read())

    def _check_fitted(self) -> None:
        if not hasattr(self, "model_"):
            raise NotFittedError(
                f"This {type(self).__name__} instance is not fitted yet. Call 'fit' with "
                "appropriate arguments before using this estimator."
            )

    def __sklearn_is_fitted__(self) -> bool:
        return hasattr(self, "model_")

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()  # type: ignore[misc]
        tags.classifier_tags.multi_class = False
        tags.input_tags.allow_nan = False
        tags.input_tags.sparse = False
        return tags

    def _labels(self, y: Any, sample_weight: Any) -> tuple:
        if y is None:
            raise InputError(
                f"{type(self).__name__} requires y to be passed, but the target y is None."
            )
        raw = np.asarray(y)
        if raw.ndim == 2 and raw.shape[1] == 1:
            warn_column_vector()
        y = as_labels(y)
        if y.dtype.kind == "f" and not np.all(np.mod(y[np.isfinite(y)], 1) == 0):
            raise InputError("Unknown label type: continuous. Lead scorers are binary classifiers.")
        if y.dtype.kind == "f" and not np.all(np.isfinite(y)):
            raise InputError("y contains NaN or infinity")
        classes = np.unique(y)
        if len(classes) < 2:
            raise InputError(
                f"y has 1 class ({classes[0] if len(classes) else 'none'!r}); fitting needs "
                "two classes (found one class)"
            )
        if len(classes) > 2:
            raise InputError(
                "Only binary classification is supported. The type of the target is "
                f"multiclass ({len(classes)} classes); lead scorers are binary (won / lost)."
            )
        y01 = np.ascontiguousarray((y == classes[1]).astype(np.float64))
        w = as_weights(sample_weight, len(y01))
        if w is not None and not np.any(w > 0):
            raise InputError("sample_weight: all weights are zero; there is nothing to fit")
        if w is not None:
            present = {float(c) for c, wc in ((0.0, w[y01 == 0].sum()), (1.0, w[y01 == 1].sum())) if wc > 0}
            if len(present) < 2:
                raise InputError(
                    "after sample_weight only one class has weight; fitting needs two classes"
                )
        self.classes_ = classes
        return y01, w

    def _features_for_fit(self, X: Any) -> tuple:
        native, names, shape = as_features(X)
        if shape[1] == 0:
            raise InputError(
                f"0 feature(s) (shape=({shape[0]}, 0)) while a minimum of 1 is required."
            )
        if shape[0] == 0:
            raise InputError(
                f"0 sample(s) (shape=(0, {shape[1]})) while a minimum of 1 is required."
            )
        self.n_features_in_ = shape[1]
        if names is not None:
            self.feature_names_in_ = np.asarray(names, dtype=object)
        elif hasattr(self, "feature_names_in_"):
            del self.feature_names_in_
        return native

    def _features_for_predict(self, X: Any) -> Any:
        self._check_fitted()
        native, names, shape = as_features(X)
        fitted = getattr(self, "feature_names_in_", None)
        cls = type(self).__name__
        if fitted is None and names is not None:
            warnings.warn(
                f"X has feature names, but {cls} was fitted without feature names",
                UserWarning,
                stacklevel=3,
            )
        elif fitted is not None and names is None:
            warnings.warn(
                f"X does not have valid feature names, but {cls} was fitted with feature names",
                UserWarning,
                stacklevel=3,
            )
        elif fitted is not None and names is not None and list(fitted) != list(names):
            raise InputError(
                "The feature names should match those that were passed during fit.\n"
                f"Fitted with: {list(fitted)}\nGot: {list(names)}"
            )
        if shape[1] >= 0 and shape[1] != self.n_features_in_:
            raise InputError(
                f"X has {shape[1]} features, but {cls} is expecting "
                f"{self.n_features_in_} features as input."
            )
        return native

    # -- what a model file keeps of the estimator ---------------------------------
    def _estimator_json(self) -> str:
        """Who fitted the model: the class, ``get_params()`` and ``classes_``."""
        params = {k: _plain(v) for k, v in self.get_params().items()}
        return json.dumps({"name": type(self).__name__, "params": params,
                           "classes": [_plain(c) for c in self.classes_]})

    def _restore(self, file: ModelFile) -> None:
        """Hyper-parameters and classes from a model file written by this class."""
        known = self.get_params()
        est = json.loads(file.estimator) if file.estimator else None
        if est and est.get("name") == type(self).__name__:
            params = {k: v for k, v in est.get("params", {}).items() if k in known}
            cw = params.get("class_weight")
            if isinstance(cw, list):  # a dict of label → weight, written as pairs
                params["class_weight"] = {k: w for k, w in cw}
            self.set_params(**params)
        classes = est.get("classes") if est else None
        self.classes_ = np.array(classes) if classes else np.array([0, 1])

    def predict(self, X: Any) -> np.ndarray:
        """The more likely class of every row."""
        self._check_fitted()
        return self.classes_[(self.decision_function(X) > 0).astype(np.intp)]

    def predict_proba(self, X: Any) -> np.ndarray:
        """Probabilities of both classes, shape ``(n, 2)`` (column 1: ``classes_[1]``)."""
        p = self.predict_proba_positive(X)
        return np.column_stack([1.0 - p, p])

    def predict_log_proba(self, X: Any) -> np.ndarray:
        """Log-probabilities of both classes, from the log-odds (no log of 0)."""
        z = self.decision_function(X)
        return np.column_stack([-np.logaddexp(0.0, z), -np.logaddexp(0.0, -z)])

    def __getstate__(self) -> Dict[str, Any]:
        state = dict(super().__getstate__() if hasattr(super(), "__getstate__") else self.__dict__)
        if "model_" in state:
            state["model_"] = state["model_"].to_json()
        return state

    def __setstate__(self, state: Dict[str, Any]) -> None:
        state = dict(state)
        if "model_" in state:
            state["model_"] = self._model_class.from_json(state["model_"])
        if hasattr(super(), "__setstate__"):
            super().__setstate__(state)  # type: ignore[misc]
        else:
            self.__dict__.update(state)


class LogisticLeadScorer(_BinaryScorer):
    """L2-penalised logistic regression for lead scoring, in scikit-learn's conventions.

    Minimises ``½‖w‖² + C · Σ sᵢ · logloss(yᵢ, xᵢ·w + b)`` (the intercept not penalised)
    by Newton's method with a line search; ``tol`` bounds every gradient component per
    unit of sample weight. ``X`` may be a numpy array (float64 or float32, C- or F-order,
    read in place), a pandas or polars DataFrame, or a pyarrow Table / RecordBatch.

    Parameters
    ----------
    C: inverse regularisation strength (larger: less penalty).
    fit_intercept: whether to fit an intercept.
    max_iter: Newton iterations at most (``NotConvergedError`` past them).
    tol: the convergence tolerance.
    class_weight: None, ``"balanced"`` or a dict ``{label: weight}``.
    threads: threads for bulk scoring (results identical to one thread).
    """

    _model_class = LogisticModel

    def __init__(
        self,
        C: float = 1.0,
        fit_intercept: bool = True,
        max_iter: int = 100,
        tol: float = 1e-8,
        class_weight: Any = None,
        threads: int = 1,
    ) -> None:
        self.C = C
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.class_weight = class_weight
        self.threads = threads

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> "LogisticLeadScorer":
        """Fits the model; returns ``self``."""
        native = self._features_for_fit(X)
        y01, w = self._labels(y, sample_weight)
        self.model_ = LogisticModel.fit(
            native,
            y01,
            w,
            c=float(self.C),
            fit_intercept=bool(self.fit_intercept),
            max_iter=int(self.max_iter),
            tol=float(self.tol),
            class_weight=self._class_weight(),
        )
        self.coef_ = self.model_.coef.reshape(1, -1)
        self.intercept_ = np.array([self.model_.intercept])
        self.n_iter_ = np.array([self.model_.n_iter], dtype=np.int32)
        return self

    def _class_weight(self) -> Any:
        cw = self.class_weight
        if cw is None or cw == "balanced":
            return cw
        if isinstance(cw, dict):
            neg, pos = self.classes_
            return (float(cw.get(neg, 1.0)), float(cw.get(pos, 1.0)))
        raise InputError(f"class_weight must be None, 'balanced' or a dict, not {cw!r}")

    def decision_function(self, X: Any) -> np.ndarray:
        """The log-odds of ``classes_[1]`` for every row."""
        native = self._features_for_predict(X)
        return self.model_.decision_function(native)

    def predict_proba(self, X: Any) -> np.ndarray:
        """Probabilities of both classes, shape ``(n, 2)`` (column 1: ``classes_[1]``):
        one pass over ``X`` with the GIL released, on ``threads`` threads."""
        native = self._features_for_predict(X)
        return self.model_.predict_proba_pairs(native, threads=int(self.threads))

    def predict_proba_positive(self, X: Any) -> np.ndarray:
        """The probability of ``classes_[1]`` for every row: the bulk path (one pass over
        ``X``, GIL released, ``threads`` threads)."""
        native = self._features_for_predict(X)
        return self.model_.predict_proba(native, threads=int(self.threads))

    def explain(self, X: Any) -> np.ndarray:
        """Each feature's contribution to each row's log-odds, shape ``(n, features)``;
        a row plus ``intercept_[0]`` sums to its ``decision_function``."""
        native = self._features_for_predict(X)
        return self.model_.explain(native)

    # -- model files ---------------------------------------------------------------
    def to_model_file(
        self, hot: float = 0.7, warm: float = 0.4, features: Optional[Any] = None
    ) -> ModelFile:
        """A model file of this model with rating thresholds on the probability, keeping
        the hyper-parameters (``get_params()``) and ``classes_``. With ``features`` (the
        feature spec of a training set, e.g. ``ts.spec``, as a record or a dict) the file
        builds its rows from stored records, so it re-scores them
        (``crm.scoring.rescore_leads_with_model``); without, its columns are named by
        ``feature_names_in_`` (or ``x0, x1, …``) and it scores matrices."""
        self._check_fitted()
        estimator = self._estimator_json()
        if features is not None:
            return ModelFile.for_spec(self.model_, _spec_json(features), hot, warm, estimator)
        names = getattr(self, "feature_names_in_", None)
        names = [str(n) for n in names] if names is not None else [f"x{i}" for i in range(self.n_features_in_)]
        return ModelFile.for_columns(self.model_, names, hot, warm, estimator)

    def to_json(self, features: Optional[Any] = None, hot: float = 0.7, warm: float = 0.4) -> str:
        """The model file as JSON (the same format Rust, Node and mobile read)."""
        return self.to_model_file(hot, warm, features).to_json()

    def save(self, path: PathLike, features: Optional[Any] = None, hot: float = 0.7, warm: float = 0.4) -> None:
        """Writes the model file to ``path`` (see :meth:`to_model_file`)."""
        with open(path, "w", encoding="utf-8") as f:
            f.write(self.to_json(features, hot, warm))

    @classmethod
    def from_model_file(cls, file: ModelFile) -> "LogisticLeadScorer":
        """A fitted scorer from a logistic model file, with the hyper-parameters and
        classes it was saved with (classes 0 and 1 for a file that does not say)."""
        model = file.logistic
        if model is None:
            raise InputError(f"the model file holds a {file.kind} model, not a logistic one")
        scorer = cls()
        scorer._restore(file)
        scorer.model_ = model
        scorer.coef_ = model.coef.reshape(1, -1)
        scorer.intercept_ = np.array([model.intercept])
        scorer.n_iter_ = np.array([model.n_iter], dtype=np.int32)
        names = file.column_names
        scorer.n_features_in_ = len(names)
        if names != [f"x{i}" for i in range(len(names))]:
            scorer.feature_names_in_ = np.asarray(names, dtype=object)
        return scorer



def _plain(v: Any) -> Any:
    """A hyper-parameter or class as JSON: numpy scalars as Python ones, a dict with
    non-text keys (a class weight per label) as pairs."""
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, dict):
        if all(isinstance(k, str) for k in v):
            return {k: _plain(x) for k, x in v.items()}
        return [[_plain(k), _plain(x)] for k, x in v.items()]
    return v


def _spec_json(features: Any) -> str:
    """A feature spec (a record, a dict or JSON text) as JSON text."""
    if isinstance(features, str):
        return features
    if hasattr(features, "_fields"):
        return _crm_core.to_json(features)
    return json.dumps(features)


def _attribute(name: str) -> Dict[str, str]:
    """The lead attribute a categorical column is named after (``job_title``,
    ``custom:industry``)."""
    if name.startswith("custom:"):
        return {"attribute": "custom", "name": name[len("custom:"):]}
    return {"attribute": name}


def _categorical_columns(X: Any) -> tuple:
    """Names and per-column values (str or None) of a categorical table."""
    if hasattr(X, "columns") and hasattr(X, "__getitem__") and not isinstance(X, np.ndarray):
        names = [str(c) for c in X.columns]
        cols = [[_category(v) for v in _to_list(X[c])] for c in X.columns]
        return names, cols
    a = np.asarray(X, dtype=object)
    if a.ndim != 2:
        raise InputError(
            f"Expected 2D array, got {a.ndim}D array instead. Reshape your data either "
            "using array.reshape(-1, 1) if your data has a single feature or "
            "array.reshape(1, -1) if it contains a single sample."
        )
    names = [f"x{i}" for i in range(a.shape[1])]
    return names, [[_category(v) for v in a[:, i]] for i in range(a.shape[1])]


def _to_list(col: Any) -> list:
    return col.to_list() if hasattr(col, "to_list") else list(col)


def _category(v: Any) -> Optional[str]:
    if v is None:
        return None
    if isinstance(v, float) and v != v:  # NaN: missing
        return None
    return str(v)


class NaiveBayesLeadScorer(_BinaryScorer):
    """Naive Bayes over categorical columns with Laplace smoothing (Odoo's approach to
    predictive lead scoring). Values are compared as strings; a missing value (None / NaN)
    says nothing; a value never seen in training counts as *other*.

    Parameters
    ----------
    alpha: Laplace smoothing (> 0).
    """

    _model_class = NaiveBayesModel

    def __init__(self, alpha: float = 1.0) -> None:
        self.alpha = alpha

    def fit(self, X: Any, y: Any) -> "NaiveBayesLeadScorer":
        names, cols = _categorical_columns(X)
        y01, _ = self._labels(y, None)
        self.n_features_in_ = len(names)
        if hasattr(X, "columns") and all(isinstance(c, str) for c in X.columns):
            self.feature_names_in_ = np.asarray(names, dtype=object)
        self.model_ = NaiveBayesModel.fit(names, cols, y01, float(self.alpha))
        return self

    def _columns(self, X: Any) -> tuple:
        self._check_fitted()
        names, cols = _categorical_columns(X)
        if len(names) != self.n_features_in_:
            raise InputError(
                f"X has {len(names)} features, but {type(self).__name__} is expecting "
                f"{self.n_features_in_} features as input."
            )
        return [f["name"] for f in self.model_.fields], cols

    def decision_function(self, X: Any) -> np.ndarray:
        return self.model_.decision_function(*self._columns(X))

    def predict_proba_positive(self, X: Any) -> np.ndarray:
        return self.model_.predict_proba(*self._columns(X))

    def explain(self, X: Any) -> np.ndarray:
        """Each column's contribution to each row's log-odds; a row plus
        ``model_.prior_log_odds`` sums to its ``decision_function``."""
        return self.model_.explain(*self._columns(X))

    # -- model files ---------------------------------------------------------------
    def to_model_file(
        self, hot: float = 0.7, warm: float = 0.4, attributes: Optional[Sequence[Any]] = None
    ) -> ModelFile:
        """A model file of this model, keeping ``alpha`` and ``classes_``. Each column reads
        a lead attribute so that the file re-scores stored leads: ``attributes`` names
        them (``"job_title"``, ``"custom:industry"`` or ``{"attribute": …}``), by default
        the column names themselves."""
        self._check_fitted()
        if attributes is None:
            attributes = [f["name"] for f in self.model_.fields]
        attrs = [_attribute(a) if isinstance(a, str) else a for a in attributes]
        return ModelFile.for_naive_bayes(self.model_, json.dumps(attrs), hot, warm, self._estimator_json())

    def to_json(self, attributes: Optional[Sequence[Any]] = None, hot: float = 0.7, warm: float = 0.4) -> str:
        """The model file as JSON."""
        return self.to_model_file(hot, warm, attributes).to_json()

    def save(self, path: PathLike, attributes: Optional[Sequence[Any]] = None, hot: float = 0.7, warm: float = 0.4) -> None:
        """Writes the model file to ``path`` (see :meth:`to_model_file`)."""
        with open(path, "w", encoding="utf-8") as f:
            f.write(self.to_json(attributes, hot, warm))

    @classmethod
    def from_model_file(cls, file: ModelFile) -> "NaiveBayesLeadScorer":
        """A fitted scorer from a naive Bayes model file, with its ``alpha`` and classes."""
        model = file.naive_bayes
        if model is None:
            raise InputError(f"the model file holds a {file.kind} model, not a naive Bayes one")
        scorer = cls()
        scorer._restore(file)
        scorer.model_ = model
        names = [f["name"] for f in model.fields]
        scorer.n_features_in_ = len(names)
        if names != [f"x{i}" for i in range(len(names))]:
            scorer.feature_names_in_ = np.asarray(names, dtype=object)
        return scorer



class RuleScorer:
    """Rule-based lead scoring, as HubSpot and Marketo users know it: fit rules (a lead
    attribute passes a test → points, negative allowed), engagement rules (a touchpoint
    kind → points that halve every half-life, optionally capped), an overall cap and
    hot / warm thresholds. Every score lists the rules that fired.

    ``rules`` is the rule set as a dict (or its JSON text), e.g.::

        {"fit": [{"name": "exec", "attribute": "job_title", "test": "one_of",
                  "values": ["cto", "ceo"], "points": 30}],
         "engagement": [{"name": "visits", "kind": "web_visit", "points": 10,
                         "half_life_days": 14}],
         "thresholds": {"hot": 40, "warm": 15}}

    An inconsistent rule set raises :class:`~crm_core.ValidationError`.
    """

    def __init__(self, rules: Union[str, Dict[str, Any]]) -> None:
        text = rules if isinstance(rules, str) else json.dumps(rules)
        self._rules = RuleSet.from_json(text)

    def to_json(self) -> str:
        return self._rules.to_json()

    @classmethod
    def from_json(cls, text: str) -> "RuleScorer":
        return cls(text)

    def save(self, path: PathLike) -> None:
        with open(path, "w", encoding="utf-8") as f:
            f.write(self.to_json())

    @classmethod
    def load(cls, path: PathLike) -> "RuleScorer":
        with open(path, encoding="utf-8") as f:
            return cls(f.read())

    def score(self, leads: Sequence[Any], touchpoints: Optional[Sequence[Sequence[Any]]] = None, now: Any = None) -> List[Any]:
        """Scores leads (records from :class:`~crm_core.Crm`), each with its touchpoints
        (records; none if omitted), at ``now`` (default: the current UTC time)."""
        from ._time import format_instant
        import datetime as _dt

        leads = list(leads)
        touches = [[] for _ in leads] if touchpoints is None else [list(t) for t in touchpoints]
        moment = now if now is not None else _dt.datetime.now(_dt.timezone.utc)
        text = self._rules.score(
            _crm_core.to_json(leads),
            _crm_core.to_json(touches),
            format_instant(moment),
        )
        return list(json.loads(text))

    def score_stored(self, crm: Any, status: Optional[str] = None, now: Any = None) -> List[Any]:
        """Scores the leads stored in ``crm`` (all, or those with ``status``) with their
        touchpoints, without writing anything (``crm.scoring.rescore_leads`` writes)."""
        leads = crm.leads.list() if status is None else crm.leads.with_status(status)
        touches = [crm.leads.touchpoints_of({"kind": "lead", "id": lead.id}) for lead in leads]
        return self.score(leads, touches, now)

    def rate(self, score: float) -> str:
        """``hot``, ``warm`` or ``cold``."""
        return self._rules.rate(float(score))

    def __repr__(self) -> str:
        return f"RuleScorer({self.to_json()})"
