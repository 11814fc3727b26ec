"""crm_core: an embeddable CRM engine (Rust) for Python.

:class:`Crm` runs the CRM's use cases on the embedded SQLite store, grouped in namespaces
as a user thinks of them: ``crm.leads``, ``crm.customers``, ``crm.sales`` (opportunities,
activities, forecasts), ``crm.quotes``, ``crm.service``, ``crm.marketing``,
``crm.scoring`` and ``crm.events``. Every method is generated from crm-core's one
declaration of its use cases and returns the typed, immutable records of
:mod:`crm_core.records` (made from the Rust types' schema).

Lead scoring for data scientists — :class:`LogisticLeadScorer` and
:class:`NaiveBayesLeadScorer` with scikit-learn's conventions, reading numpy, pandas,
polars and Arrow input in place — model files shared with Rust, Node and mobile, and
evaluation metrics. Errors are :class:`CrmError` subclasses with a stable ``.code``.
"""

from __future__ import annotations

from . import errors, marketing, metrics, quotes, records
from ._crm_core import (
    MODEL_FORMAT_VERSION,
    Crm,
    Customers,
    Events,
    Job,
    Leads,
    Marketing,
    Outbox,
    Quotes,
    Records,
    CustomFields,
    Privacy,
    Access,
    Duplicates,
    Sales,
    Scoring,
    Service,
    __version__,
    copied_feature_bytes,
    error_codes,
    to_json,
    use_cases,
)
from .frames import feature_frame
from .quotes import price_document
from .records import to_pandas, to_polars, to_rows
from .service import BusinessCalendar
from .errors import (
    ConflictError,
    CorruptRecordError,
    CrmError,
    CurrencyMismatchError,
    DuplicateError,
    IllegalTransitionError,
    InUseError,
    ForbiddenError,
    InputError,
    InvalidValueError,
    MissingExchangeRateError,
    NotConvergedError,
    CancelledError,
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
    "quotes",
    "price_document",
    "BusinessCalendar",
    "Crm",
    "Job",
    "Leads",
    "Customers",
    "Sales",
    "Quotes",
    "Service",
    "Marketing",
    "Scoring",
    "Events",
    "Outbox",
    "Records",
    "CustomFields",
    "Privacy",
    "Access",
    "Duplicates",
    "use_cases",
    "to_json",
    "error_codes",
    "feature_frame",
    "to_rows",
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
    "InUseError",
    "ForbiddenError",
    "CurrencyMismatchError",
    "MissingExchangeRateError",
    "DuplicateError",
    "SpamError",
    "UnsupportedVersionError",
    "StorageError",
    "CorruptRecordError",
    "InputError",
    "NotConvergedError",
    "CancelledError",
    "InternalError",
    "NotFittedError",
]
