"""Exceptions of crm_core: one class per crm-core error kind, all under :class:`CrmError`.

Each carries ``.code`` (the stable code of the Rust error kind, e.g. ``"not_found"``) and
``.details`` (the error's fields as a dict). Each also subclasses the builtin exception
Python code expects for its kind: bad values are ``ValueError``, missing records
``LookupError``, storage failures ``OSError``.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Type

try:  # scikit-learn's checks expect its own NotFittedError; subclass it when present.
    from sklearn.exceptions import NotFittedError as _SklearnNotFitted

    _NOT_FITTED_BASES: tuple = (_SklearnNotFitted,)
except ImportError:  # pragma: no cover - exercised only without scikit-learn
    _NOT_FITTED_BASES = (ValueError, AttributeError)

__all__ = [
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


class CrmError(Exception):
    """Base class of every crm_core error."""

    code: str = "crm_error"

    def __init__(self, message: str, details: Optional[Dict[str, Any]] = None) -> None:
        super().__init__(message)
        self.message = message
        self.details: Dict[str, Any] = dict(details or {})

    def __reduce__(self) -> Any:
        return (type(self), (self.message, self.details))


class InvalidValueError(CrmError, ValueError):
    """A value could not be parsed or is out of range (``.details['field']`` names it)."""

    code = "invalid_value"


class ValidationError(CrmError, ValueError):
    """A record failed validation; ``.problems`` lists every problem."""

    code = "validation_failed"

    @property
    def problems(self) -> List[Dict[str, str]]:
        return list(self.details.get("problems", []))


class NotFoundError(CrmError, LookupError):
    """No record with that id."""

    code = "not_found"


class ConflictError(CrmError):
    """The record was changed concurrently (a stale version): reload and retry."""

    code = "conflict"


class IllegalTransitionError(CrmError):
    """A state machine refused the transition (e.g. a lost lead cannot be qualified)."""

    code = "illegal_transition"


class InUseError(CrmError):
    """Other records depend on the record (delete with cascade or re-point, or archive)."""

    code = "in_use"


class ForbiddenError(CrmError, PermissionError):
    """The user the handle acts for (``Crm.as_user``) may not do this: their permissions or
    the record's sharing refuse it."""

    code = "forbidden"


class CurrencyMismatchError(CrmError, ValueError):
    """Money of two currencies was combined."""

    code = "currency_mismatch"


class MissingExchangeRateError(CrmError, LookupError):
    """No exchange rate on or before the date asked."""

    code = "missing_exchange_rate"


class DuplicateError(CrmError):
    """The record duplicates an existing one."""

    code = "duplicate"


class SpamError(CrmError, ValueError):
    """A submission was rejected as spam."""

    code = "spam"


class UnsupportedVersionError(CrmError, ValueError):
    """A file or store was written by a newer version."""

    code = "unsupported_version"


class StorageError(CrmError, OSError):
    """The store failed (I/O, locking, a broken database)."""

    code = "storage"


class CorruptRecordError(CrmError):
    """A stored record could not be read back."""

    code = "corrupt_record"


class InputError(CrmError, ValueError):
    """Input of the wrong type or shape (a dtype, a column that is not numeric, a CSV)."""

    code = "input"


class NotConvergedError(CrmError, RuntimeError):
    """A fit did not converge within ``max_iter`` iterations."""

    code = "not_converged"


class CancelledError(CrmError):
    """Long work stopped because its :class:`crm_core.Job` was cancelled; what it committed
    before stays (``.details['done']`` says how far it got, ``['total']`` of how many)."""

    code = "cancelled"


class InternalError(CrmError, RuntimeError):
    """A bug in crm-core (a panic caught at the boundary): please report it."""

    code = "internal"


class NotFittedError(CrmError, *_NOT_FITTED_BASES):  # type: ignore[misc]
    """An estimator was used before ``fit``."""

    code = "not_fitted"


_BY_CODE: Dict[str, Type[CrmError]] = {
    cls.code: cls
    for cls in (
        InvalidValueError,
        ValidationError,
        NotFoundError,
        ConflictError,
        IllegalTransitionError,
        InUseError,
        CurrencyMismatchError,
        MissingExchangeRateError,
        DuplicateError,
        SpamError,
        UnsupportedVersionError,
        StorageError,
        CorruptRecordError,
        InputError,
        NotConvergedError,
        CancelledError,
        ForbiddenError,
        InternalError,
    )
}


def _from_native(code: str, message: str, details: Dict[str, Any]) -> CrmError:
    """The exception for a crm-core error (called by the native module)."""
    return _BY_CODE.get(code, CrmError)(message, details)
