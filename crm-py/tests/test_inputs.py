"""Every kind of X gives the same scores; float64 C-ordered input is never copied."""

import tracemalloc

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import crm_core
from crm_core import LogisticLeadScorer
from conftest import make_leads


@pytest.fixture(scope="module")
def fitted():
    X, y, _ = make_leads(n=5000, d=5)
    names = [f"f{i}" for i in range(5)]
    df = pd.DataFrame(X, columns=names)
    return X, y, df, LogisticLeadScorer().fit(df, y)


def test_every_input_kind_scores_the_same(fitted):
    X, _, df, m = fitted
    expected = m.predict_proba_positive(df)
    table = pa.Table.from_pandas(df, preserve_index=False)
    chunked = pa.concat_tables([table.slice(0, 1234), table.slice(1234)])
    assert chunked.column(0).num_chunks == 2
    inputs = {
        "polars": pl.from_pandas(df),
        "pyarrow table": table,
        "pyarrow table in two chunks": chunked,
        "record batch": pa.RecordBatch.from_pandas(df, preserve_index=False),
    }
    for name, x in inputs.items():
        np.testing.assert_allclose(m.predict_proba_positive(x), expected, rtol=1e-14, err_msg=name)
    with pytest.warns(UserWarning, match="does not have valid feature names"):
        c_order = m.predict_proba_positive(X)
    with pytest.warns(UserWarning):
        f_order = m.predict_proba_positive(np.asfortranarray(X))
    np.testing.assert_allclose(c_order, expected, rtol=1e-14)
    np.testing.assert_allclose(f_order, expected, rtol=1e-14)


def test_float32_and_integer_input(fitted):
    X, y, _, _ = fitted
    m = LogisticLeadScorer().fit(X, y)
    x32 = X.astype(np.float32)
    np.testing.assert_allclose(
        m.predict_proba_positive(x32), m.predict_proba_positive(x32.astype(np.float64)), rtol=1e-15
    )
    xi = np.round(X * 10).astype(np.int64)
    np.testing.assert_allclose(
        m.predict_proba_positive(xi), m.predict_proba_positive(xi.astype(np.float64))
    )
    t32 = pa.table({f"f{i}": pa.array(x32[:, i]) for i in range(5)})
    mt = LogisticLeadScorer().fit(pa.table({f"f{i}": X[:, i] for i in range(5)}), y)
    np.testing.assert_allclose(mt.predict_proba_positive(t32), m.predict_proba_positive(x32), rtol=1e-14)


def test_c_ordered_float64_is_read_in_place(fitted):
    X, y, _, _ = fitted
    m = LogisticLeadScorer().fit(X, y)
    big = np.random.default_rng(1).normal(size=(200_000, 5))
    before = crm_core.copied_feature_bytes()
    tracemalloc.start()
    p = m.predict_proba_positive(big)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert crm_core.copied_feature_bytes() == before
    # Only the output (200k float64) is allocated, not a copy of X (8 MB).
    assert peak < big.nbytes / 4, peak
    assert p.shape == (200_000,)
    # Polars and Arrow float columns are read in place too.
    frame = pl.DataFrame({f"f{i}": big[:, i] for i in range(5)})
    ml = LogisticLeadScorer().fit(frame.head(5000), y)
    before = crm_core.copied_feature_bytes()
    ml.predict_proba_positive(frame)
    ml.predict_proba_positive(frame.to_arrow())
    assert crm_core.copied_feature_bytes() == before
    # Converting integers is a copy, and is counted.
    m.predict_proba_positive(np.ones((10, 5), dtype=np.int32))
    assert crm_core.copied_feature_bytes() == before + 10 * 5 * 8
