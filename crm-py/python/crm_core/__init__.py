"""crm_core: an embeddable CRM engine (Rust) for Python.

:class:`Crm` runs the CRM's use cases (leads, web forms, CSV import, touchpoints,
conversion, opportunities, activities, purchases, forecasts, events, re-scoring, quotes
and orders, and the service desk: cases with SLAs on business calendars, assets,
warranties, contracts, technicians and scheduling, maintenance plans, the knowledge base)
on the embedded SQLite store, returning typed records (:mod:`crm_core.records`,
:mod:`crm_core.service_records`).

Lead scoring for data scientists — :class:`LogisticLeadScorer` and
:class:`NaiveBayesLeadScorer` with scikit-learn's conventions, reading numpy, pandas,
polars and Arrow input in place — model files shared with Rust, Node and mobile, and
evaluation metrics. Errors are :class:`CrmError` subclasses with a stable ``.code``.
"""

from __future__ import annotations

from . import errors, marketing, metrics, quotes, records, service_records
from .crm import Crm, TrainingSet
from .quotes import price_document
from .service import BusinessCalendar
from .records import Money, to_pandas, to_polars
from ._crm_core import MODEL_FORMAT_VERSION, __version__, copied_feature_bytes
from .errors import (
    ConflictError,
    CorruptRecordError,
    CrmError,
    CurrencyMismatchError,
    DuplicateError,
    IllegalTransitionError,
    InputError,
    InvalidValueError,
    MissingExchangeRateError,
    NotConvergedError,
    InternalError,
    NotFittedError,
    NotFoundError,
    SpamError,
    StorageError,
    UnsupportedVersionError,
    ValidationError,
)
from .metrics import calibration_table, lift_at_k, log_loss, roc_auc_score
from .scoring import (
    LogisticLeadScorer,
    LogisticModel,
    ModelFile,
    NaiveBayesLeadScorer,
    NaiveBayesModel,
    RuleScorer,
    RuleSet,
)

__all__ = [
    "__version__",
    "MODEL_FORMAT_VERSION",
    "copied_feature_bytes",
    "errors",
    "metrics",
    "marketing",
    "records",
    "service_records",
    "quotes",
    "price_document",
    "BusinessCalendar",
    "Crm",
    "TrainingSet",
    "Money",
    "to_pandas",
    "to_polars",
    "LogisticLeadScorer",
    "NaiveBayesLeadScorer",
    "RuleScorer",
    "RuleSet",
    "LogisticModel",
    "NaiveBayesModel",
    "ModelFile",
    "roc_auc_score",
    "log_loss",
    "calibration_table",
    "lift_at_k",
    "CrmError",
    "InvalidValueError",
    "ValidationError",
    "NotFoundError",
    "ConflictError",
    "IllegalTransitionError",
    "CurrencyMismatchError",
    "MissingExchangeRateError",
    "DuplicateError",
    "SpamError",
    "UnsupportedVersionError",
    "StorageError",
    "CorruptRecordError",
    "InputError",
    "NotConvergedError",
    "InternalError",
    "NotFittedError",
]
