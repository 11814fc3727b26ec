"""Feature matrices at the edge: what a caller passes as ``X`` becomes what the native
module reads in place.

- numpy float64/float32 arrays, C- or F-contiguous: passed as they are (no copy).
- other numpy dtypes (integers, booleans, objects holding numbers): converted to float64
  (a copy, counted by ``copied_feature_bytes``); strings and complex numbers are refused.
- pandas DataFrames: one 1-D view per column, with the column names (no copy for float
  columns); a non-numeric column is refused by name.
- anything with the Arrow PyCapsule stream interface (pyarrow Table / RecordBatch, polars
  DataFrame, …): read by the native module through the Arrow C stream, in place.
"""

from __future__ import annotations

from typing import Any, List, Optional, Sequence, Tuple

import numpy as np

from . import _crm_core
from .errors import InputError

_FLOATS = (np.dtype(np.float64), np.dtype(np.float32))


def _is_pandas_frame(x: Any) -> bool:
    return type(x).__module__.startswith("pandas") and type(x).__name__ == "DataFrame"


def _is_sparse(x: Any) -> bool:
    return hasattr(x, "tocsr") or type(x).__module__.startswith("scipy.sparse")


def _string_names(names: Sequence[Any]) -> Optional[List[str]]:
    """Column names when all are strings (scikit-learn's rule), else None."""
    if len(names) and all(isinstance(n, str) for n in names):
        return list(names)
    return None


def _as_float(a: np.ndarray, what: str) -> np.ndarray:
    if a.dtype in _FLOATS:
        return a
    if np.iscomplexobj(a):
        raise InputError(f"Complex data not supported: {what} has dtype {a.dtype}")
    if a.dtype.kind in "biu":
        out = a.astype(np.float64)
    elif a.dtype.kind == "O":
        # Numbers held as objects convert; text is refused by column, and other objects
        # (dicts, lists) raise numpy's own TypeError.
        try:
            out = a.astype(np.float64)
        except ValueError:
            raise InputError(f"{what} has {_first_text(a)}; features must be numbers") from None
    else:
        raise InputError(f"{what} has dtype {a.dtype}; features must be numbers")
    _crm_core._count_copy(out.nbytes)
    return out


def _first_text(a: np.ndarray) -> str:
    for index, value in np.ndenumerate(a):
        try:
            float(value)
        except (TypeError, ValueError):
            where = f"column {index[1]}" if len(index) == 2 else f"index {index}"
            return f"{value!r} in {where} (row {index[0]})"
    return "values that are not numbers"


def _pandas_columns(df: Any) -> Tuple[Any, Optional[List[str]]]:
    names = [str(c) for c in df.columns]
    arrays = []
    for label, name in zip(df.columns, names):
        col = df[label]
        dtype = col.dtype
        kind = getattr(dtype, "kind", "O")
        if kind == "f" and np.dtype(dtype) in _FLOATS:
            arrays.append(col.to_numpy(copy=False))
        elif kind in "biuf":
            arrays.append(_as_float(col.to_numpy(), f"column '{name}'"))
        elif str(dtype) in ("Float64", "Float32", "Int64", "Int32", "Int16", "Int8",
                            "UInt64", "UInt32", "UInt16", "UInt8", "boolean"):
            # Nullable extension dtypes: a missing value becomes NaN, refused by the scorer
            # with the row and column.
            out = col.to_numpy(dtype=np.float64, na_value=np.nan)
            _crm_core._count_copy(out.nbytes)
            arrays.append(out)
        else:
            raise InputError(
                f"column '{name}' has dtype {dtype}; features must be numbers"
            )
    return ("columns", arrays, names), _string_names(list(df.columns))


def as_features(X: Any) -> Tuple[Any, Optional[List[str]], Tuple[int, int]]:
    """``X`` as the native module reads it, its column names (or None) and its shape.

    Raises :class:`InputError` (a ``ValueError``) for input that is not a 2-D table of
    numbers, ``TypeError`` for sparse matrices.
    """
    if X is None:
        raise InputError("X is None; expected a 2-D array, a DataFrame or an Arrow table")
    if _is_sparse(X):
        raise TypeError(
            "sparse input is not supported: pass a dense array (X.toarray())"
        )
    if _is_pandas_frame(X):
        native, names = _pandas_columns(X)
        return native, names, (len(X), len(native[1]))
    if hasattr(X, "__arrow_c_stream__") and not isinstance(X, np.ndarray):
        names = _arrow_names(X)
        shape = getattr(X, "shape", None)
        rows = int(shape[0]) if shape is not None else -1
        return X, names, (rows, len(names) if names is not None else -1)
    a = X if isinstance(X, np.ndarray) else np.asarray(X)
    if a.ndim != 2:
        raise InputError(
            f"Expected 2D array, got {a.ndim}D array instead. Reshape your data either "
            "using array.reshape(-1, 1) if your data has a single feature or "
            "array.reshape(1, -1) if it contains a single sample."
        )
    a = _as_float(a, "X")
    if not (a.flags.c_contiguous or a.flags.f_contiguous):
        a = np.ascontiguousarray(a)
        _crm_core._count_copy(a.nbytes)
    return a, None, (a.shape[0], a.shape[1])


def _arrow_names(X: Any) -> Optional[List[str]]:
    for attr in ("column_names", "columns"):
        names = getattr(X, attr, None)
        if names is not None and all(isinstance(n, str) for n in names):
            return list(names)
    schema = getattr(X, "schema", None)
    names = getattr(schema, "names", None)
    return list(names) if names is not None else None


def as_labels(y: Any, what: str = "y") -> np.ndarray:
    """``y`` as a 1-D array (a column vector is flattened)."""
    if y is None:
        raise InputError(f"{what} is None")
    a = np.asarray(y)
    if a.ndim == 2 and a.shape[1] == 1:
        a = a.ravel()
    if a.ndim != 1:
        raise InputError(f"{what} should be a 1d array, got shape {a.shape}")
    return a


def as_weights(w: Any, n: int) -> Optional[np.ndarray]:
    """Sample weights as a contiguous float64 vector of ``n`` values (or None)."""
    if w is None:
        return None
    a = np.asarray(w, dtype=np.float64)
    a = np.full(n, float(a)) if a.ndim == 0 else np.ascontiguousarray(a.ravel())
    if a.shape[0] != n:
        raise InputError(f"sample_weight has {a.shape[0]} values for {n} samples")
    return a
