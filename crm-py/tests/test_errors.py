"""Bad input of every kind raises the right exception class, with a message naming it."""

import json

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import crm_core
from crm_core import (
    CrmError,
    InputError,
    InvalidValueError,
    LogisticLeadScorer,
    ModelFile,
    NotConvergedError,
    NotFittedError,
    UnsupportedVersionError,
)
from conftest import make_leads


@pytest.fixture(scope="module")
def model():
    X, y, _ = make_leads(n=500, d=3)
    df = pd.DataFrame(X, columns=["visits", "pages", "age"])
    return LogisticLeadScorer().fit(df, y), df, y


def test_the_exception_tree():
    assert issubclass(crm_core.ValidationError, ValueError)
    assert issubclass(crm_core.InvalidValueError, ValueError)
    assert issubclass(crm_core.NotFoundError, LookupError)
    assert issubclass(crm_core.StorageError, OSError)
    for cls in (crm_core.ConflictError, crm_core.IllegalTransitionError, NotConvergedError):
        assert issubclass(cls, CrmError)
    codes = {cls.code for cls in crm_core.errors._BY_CODE.values()}
    assert "not_found" in codes and "validation_failed" in codes and len(codes) == 18
    assert crm_core.errors._BY_CODE["internal"] is crm_core.InternalError


def test_every_error_kind_is_raised_as_its_own_class():
    from crm_core import _crm_core

    codes = _crm_core.error_codes()
    assert len(codes) == 18
    raised = []
    for code in codes:
        with pytest.raises(CrmError) as e:
            _crm_core._raise_sample_error(code)
        assert e.value.code == code
        raised.append(type(e.value))
    assert len(set(raised)) == len(codes)
    with pytest.raises(crm_core.StorageError) as e:
        _crm_core._raise_sample_error("storage")
    assert e.value.details["retryable"] is True and e.value.details["store_code"] == "SQLITE_BUSY"
    with pytest.raises(crm_core.ForbiddenError) as e:
        _crm_core._raise_sample_error("forbidden")
    assert isinstance(e.value, PermissionError)
    assert e.value.details["operation"] == "edit" and e.value.details["id"] == 12
    with pytest.raises(crm_core.CancelledError) as e:
        _crm_core._raise_sample_error("cancelled")
    assert (e.value.details["done"], e.value.details["total"]) == (5000, 20000)


def test_a_panic_in_crm_core_is_an_internal_error_not_a_panic_exception():
    from crm_core import _crm_core

    with pytest.raises(crm_core.InternalError, match="provoked by a test") as e:
        _crm_core._provoke_panic()
    assert e.value.code == "internal"
    assert isinstance(e.value, RuntimeError)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_features_name_row_and_column(model, bad):
    m, df, _ = model
    broken = df.copy()
    broken.loc[42, "pages"] = bad
    for x in (broken, pl.from_pandas(broken), pa.Table.from_pandas(broken)):
        with pytest.raises(InvalidValueError, match=r"row 42, column 'pages'") as e:
            m.predict_proba(x)
        assert e.value.code == "invalid_value"
    with pytest.raises(InvalidValueError, match=r"row 42, column 1"), pytest.warns(UserWarning):
        m.predict_proba(broken.to_numpy())
    with pytest.raises(InvalidValueError, match="row 42"):
        LogisticLeadScorer().fit(broken, model[2])


def test_arrow_nulls_and_text_columns(model):
    m, df, _ = model
    t = pa.table({"visits": [1.0, None], "pages": [1.0, 2.0], "age": [3.0, 4.0]})
    with pytest.raises(InvalidValueError, match=r"row 1, column 'visits' is missing"):
        m.predict_proba(t)
    text = df.assign(pages=["many"] * len(df))
    with pytest.raises(InputError, match="column 'pages'"):
        m.predict_proba(text)
    with pytest.raises(InputError, match="column 'pages'"):
        m.predict_proba(pl.from_pandas(text))
    with pytest.raises(InputError, match="'b' in column 1"):
        m.predict_proba(np.array([[1.0, "b", 3.0]], dtype=object))


def test_shapes(model):
    m, df, y = model
    unnamed = LogisticLeadScorer().fit(df.to_numpy(), y)
    with pytest.raises(InputError, match="X has 2 features, but LogisticLeadScorer is expecting 3"):
        unnamed.predict_proba(np.ones((4, 2)))
    with pytest.raises(InputError, match="Reshape your data"):
        m.predict_proba(np.ones(3))
    with pytest.raises(InputError, match="X has 2 features"), pytest.warns(UserWarning):
        m.predict_proba(np.ones((4, 2)))
    with pytest.raises(InputError, match="feature names should match"):
        m.predict_proba(df[["pages", "visits", "age"]])
    with pytest.raises(InvalidValueError, match="labels"):
        LogisticLeadScorer().fit(df, y[:-1])
    with pytest.raises(InputError, match="0 feature"):
        LogisticLeadScorer().fit(np.ones((5, 0)), [0, 1, 0, 1, 0])
    with pytest.raises(InputError, match="Complex data not supported"):
        LogisticLeadScorer().fit(np.ones((4, 2), dtype=complex), [0, 1, 0, 1])
    with pytest.raises(TypeError, match="sparse"):
        import scipy.sparse

        m.predict_proba(scipy.sparse.csr_matrix(np.ones((2, 3))))


def test_labels_and_fitting(model):
    _, df, y = model
    with pytest.raises(InputError, match="one class"):
        LogisticLeadScorer().fit(df, np.ones(len(df)))
    with pytest.raises(InputError, match="binary"):
        LogisticLeadScorer().fit(df, np.arange(len(df)) % 3)
    with pytest.raises(InputError, match="Unknown label type"):
        LogisticLeadScorer().fit(df, np.linspace(0, 1, len(df)))
    with pytest.raises(NotConvergedError) as e:
        LogisticLeadScorer(max_iter=1, tol=1e-15).fit(df, y)
    assert e.value.details["iterations"] == 1
    with pytest.raises(InvalidValueError, match="C"):
        LogisticLeadScorer(C=-1).fit(df, y)
    with pytest.raises(NotFittedError):
        LogisticLeadScorer().predict(df)
    assert isinstance(NotFittedError("x"), (ValueError, AttributeError))


def test_model_files_that_cannot_be_read(model):
    m, _, _ = model
    text = m.to_json()
    with pytest.raises(InvalidValueError, match="not valid JSON"):
        ModelFile.from_json(text[: len(text) // 2])
    newer = json.loads(text)
    newer["format_version"] = crm_core.MODEL_FORMAT_VERSION + 1
    with pytest.raises(UnsupportedVersionError) as e:
        ModelFile.from_json(json.dumps(newer))
    assert e.value.details["found"] == crm_core.MODEL_FORMAT_VERSION + 1
    wrong = json.loads(text)
    wrong["model"]["coef"] = wrong["model"]["coef"][:-1]
    with pytest.raises(InvalidValueError, match="coefficients"):
        ModelFile.from_json(json.dumps(wrong))
