"""Bulk work releases the GIL: Python threads keep running while crm_core scores."""

import threading
import time

import numpy as np

from crm_core import LogisticLeadScorer
from conftest import make_leads


def count_for(seconds, stop=None):
    """Pure-Python work: how many loop turns fit in `seconds`."""
    n, end = 0, time.perf_counter() + seconds
    while time.perf_counter() < end:
        n += 1
    return n


def test_scoring_lets_other_threads_run():
    X, y, _ = make_leads(n=2000, d=32)
    model = LogisticLeadScorer().fit(X, y)
    big = np.random.default_rng(0).normal(size=(300_000, 32))
    model.predict_proba_positive(big)  # warm up
    alone = count_for(0.3)
    done = threading.Event()

    def score():
        while not done.is_set():
            model.predict_proba_positive(big)

    worker = threading.Thread(target=score)
    worker.start()
    try:
        time.sleep(0.05)
        together = count_for(0.3)
    finally:
        done.set()
        worker.join()
    # Holding the GIL through each call would leave this thread at most about half the
    # time (it could only run between calls); released, it keeps most of its pace.
    assert together > 0.6 * alone, (together, alone)
