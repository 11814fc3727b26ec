import pathlib

import numpy as np
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def make_leads(n=3000, d=6, seed=0, intercept=-0.4):
    """Features and won/lost labels drawn from known coefficients."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    w = np.linspace(-1.5, 2.0, d)
    p = 1.0 / (1.0 + np.exp(-(X @ w + intercept)))
    y = (rng.uniform(size=n) < p).astype(np.int64)
    return X, y, w


@pytest.fixture
def leads():
    return make_leads()


@pytest.fixture
def root():
    return ROOT


@pytest.fixture
def postgres_url():
    """The test server's URL (``scripts/test.sh`` starts one) with a fresh schema of this
    test's own; skipped without a server, except under CI where that fails."""
    import os
    import uuid

    url = os.environ.get("CRM_TEST_POSTGRES_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("CRM_TEST_POSTGRES_URL is not set: run the tests through scripts/test.sh")
        pytest.skip("no PostgreSQL server (scripts/test.sh starts one)")
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}schema=py_{uuid.uuid4().hex}"
