"""A crm_core.Job on a long call: progress, and cancellation at the next checkpoint
(CancelledError; what was committed before stays)."""

import asyncio
import threading
import time

import pytest

import crm_core

MAPPING = {"columns": [["First", "first_name"], ["Last", "last_name"], ["Email", "email"]], "default_region": "DE"}


def csv(rows: int) -> str:
    lines = ["First,Last,Email"] + [f"Lead{i},Person{i},lead{i}@example{i % 97}.com" for i in range(rows)]
    return "\n".join(lines) + "\n"


def options(batch_size: int) -> dict:
    return {"batch_label": "jobs", "batch_size": batch_size, "duplicates": "keep"}


def test_progress_and_a_job_cancelled_before_it_starts():
    with crm_core.Crm.in_memory(region="DE") as crm:
        job = crm_core.Job()
        assert job.progress == (0, None) and not job.cancelled
        report = crm.leads.import_csv(csv(1200), MAPPING, options(500), job=job)
        assert report.progress.imported == 1200
        assert job.progress == (1000, None)
        early = crm_core.Job()
        early.cancel()
        with pytest.raises(crm_core.CancelledError) as e:
            crm.leads.import_csv(csv(10), MAPPING, options(5), job=early)
        assert e.value.details["done"] == 0
        assert len(crm.leads.list()) == 1200


def test_cancelling_from_another_thread_stops_the_import_at_a_batch():
    with crm_core.Crm.in_memory(region="DE") as crm:
        job = crm_core.Job()
        outcome = {}

        def work():
            try:
                crm.leads.import_csv(csv(60_000), MAPPING, options(500), job=job)
            except crm_core.CancelledError as e:
                outcome["error"] = e

        worker = threading.Thread(target=work)
        worker.start()
        while job.progress[0] == 0:
            time.sleep(0.001)
        job.cancel()
        worker.join()
        done = outcome["error"].details["done"]
        assert 0 < done < 60_000 and done % 500 == 0
        assert len(crm.leads.list()) == done


def test_the_awaitable_twin_takes_the_job():
    with crm_core.Crm.in_memory(region="DE") as crm:
        job = crm_core.Job()
        job.cancel()
        with pytest.raises(crm_core.CancelledError):
            asyncio.run(crm.leads.import_csv_async(csv(10), MAPPING, options(5), job=job))
