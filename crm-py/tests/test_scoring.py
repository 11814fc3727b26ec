"""LogisticLeadScorer against scikit-learn, and its own behaviour."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

import crm_core
from crm_core import LogisticLeadScorer
from conftest import make_leads


def sklearn_fit(X, y, **kw):
    return LogisticRegression(tol=1e-12, max_iter=10_000, **kw).fit(X, y)


@pytest.mark.parametrize("C", [0.01, 1.0, 100.0])
def test_matches_sklearn(C, leads):
    X, y, _ = leads
    ours = LogisticLeadScorer(C=C).fit(X, y)
    ref = sklearn_fit(X, y, C=C)
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-4)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, atol=1e-4)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-6)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))
    assert ours.n_iter_[0] >= 1
    assert ours.score(X, y) == pytest.approx(ref.score(X, y))


def test_matches_sklearn_with_weights_and_without_intercept(leads):
    X, y, _ = leads
    w = np.random.default_rng(3).uniform(0.2, 3.0, size=len(y))
    for kw in (
        dict(class_weight="balanced"),
        dict(class_weight={0: 1.0, 1: 4.0}),
        dict(fit_intercept=False),
    ):
        ours = LogisticLeadScorer(**kw).fit(X, y, sample_weight=w)
        ref = sklearn_fit(X, y, **kw, ).fit(X, y, sample_weight=w)
        np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-4, err_msg=str(kw))
        np.testing.assert_allclose(
            ours.predict_proba(X), ref.predict_proba(X), atol=1e-6, err_msg=str(kw)
        )


def test_string_labels_and_classes(leads):
    X, y, _ = leads
    labels = np.where(y == 1, "won", "lost")
    m = LogisticLeadScorer().fit(X, labels)
    assert list(m.classes_) == ["lost", "won"]
    assert set(m.predict(X)) <= {"lost", "won"}
    p = m.predict_proba(X)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    np.testing.assert_allclose(np.exp(m.predict_log_proba(X)), p, rtol=1e-9)


def test_explanations_sum_to_the_log_odds(leads):
    X, y, _ = leads
    m = LogisticLeadScorer().fit(X, y)
    contributions = m.explain(X[:50])
    assert contributions.shape == (50, X.shape[1])
    np.testing.assert_allclose(
        contributions.sum(axis=1) + m.intercept_[0], m.decision_function(X[:50]), atol=1e-12
    )


def test_probabilities_equal_a_reference_computation(leads):
    X, y, _ = leads
    m = LogisticLeadScorer().fit(X, y)
    z = X @ m.coef_[0] + m.intercept_[0]
    np.testing.assert_allclose(m.predict_proba_positive(X), 1 / (1 + np.exp(-z)), rtol=1e-12)


def test_threads_give_identical_scores():
    X, y, _ = make_leads(n=20_001)
    one = LogisticLeadScorer().fit(X, y)
    two = LogisticLeadScorer(threads=2).fit(X, y)
    assert np.array_equal(one.predict_proba(X), two.predict_proba(X))


def test_sklearn_pipeline_and_cross_validation(leads):
    from sklearn.model_selection import cross_val_score, GridSearchCV
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, y, _ = leads
    pipe = make_pipeline(StandardScaler(), LogisticLeadScorer(C=0.5))
    scores = cross_val_score(pipe, X, y, cv=3, scoring="roc_auc")
    assert scores.shape == (3,) and scores.min() > 0.8
    grid = GridSearchCV(LogisticLeadScorer(), {"C": [0.1, 1.0]}, cv=3).fit(X, y)
    assert grid.best_params_["C"] in (0.1, 1.0)
    assert LogisticLeadScorer(C=3.0).get_params()["C"] == 3.0


def test_pickle_round_trip(leads):
    import pickle

    X, y, _ = leads
    m = LogisticLeadScorer().fit(X, y)
    back = pickle.loads(pickle.dumps(m))
    assert np.array_equal(back.predict_proba(X), m.predict_proba(X))


def test_naive_bayes_on_categorical_columns():
    import pandas as pd

    df = pd.DataFrame(
        {
            "source": ["web", "web", "fair", "fair", "web", "ads"],
            "industry": ["it", "retail", "it", "it", None, "retail"],
        }
    )
    y = np.array([1, 0, 1, 0, 1, 0])
    m = crm_core.NaiveBayesLeadScorer(alpha=1.0).fit(df, y)
    # Hand-computed: prior 3/3 → log-odds 0. P(web|won)=(2+1)/(3+4), P(web|lost)=(1+1)/(3+4);
    # industry "it" among given values: won 2 of 2, lost 1 of 3, vocabulary it/retail + other.
    p_web = np.log(3 / 7) - np.log(2 / 7)
    p_it = np.log((2 + 1) / (2 + 3)) - np.log((1 + 1) / (3 + 3))
    expected = p_web + p_it
    assert m.decision_function(df.iloc[[0]])[0] == pytest.approx(expected, abs=1e-12)
    contributions = m.explain(df)
    np.testing.assert_allclose(
        contributions.sum(axis=1) + m.model_.prior_log_odds, m.decision_function(df)
    )
    # An unseen value counts as "other"; a missing one says nothing.
    unseen = pd.DataFrame({"source": ["radio"], "industry": [None]})
    assert np.isfinite(m.predict_proba(unseen)).all()
