"""Stored leads into Python: crm_core's typed records (``crm.leads.list()``) against what a
Python user would otherwise write — ``sqlite3`` over the same file, ``json.loads`` of each
stored row into plain dicts (no types, no datetimes or Decimals).

    .venv/bin/python benches/python/bench_records.py [N]      # N leads, default 1 000 000
"""

from __future__ import annotations

import datetime as dt
import json
import pathlib
import sqlite3
import sys
import tempfile
import time

from crm_core import Crm, records

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.timezone.utc)


def store(path: pathlib.Path, n: int) -> None:
    crm = Crm.open(path, region="DE")
    header = "First Name,Last Name,Email,Company,Job Title,Campaign\n"
    chunk = 100_000
    for start in range(0, n, chunk):
        rows = "".join(
            f"P{i},Person {i},p{i}@company{i % 9973}.example.com,Company {i % 9973},Engineer,spring\n"
            for i in range(start, min(n, start + chunk))
        )
        crm.leads.import_csv(
            header + rows,
            {"default_region": "DE", "guess_others": True},
            {"batch_label": f"bench-{start}", "batch_size": 5_000, "duplicates": "keep", "max_reported": 10},
            now=NOW,
        )
    crm.close()


def best_of(runs: int, f):
    """The best time of `runs` calls, and the last result. The previous result is freed
    before each timed call: freeing 200k records is not part of reading them."""
    best, out = float("inf"), None
    for _ in range(runs):
        out = None
        t = time.perf_counter()
        out = f()
        best = min(best, time.perf_counter() - t)
    return best, out


def stored_leads() -> tuple[int, pathlib.Path]:
    """N leads (the first argument, default 1 000 000) imported into a fresh SQLite file."""
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    path = pathlib.Path(tempfile.mkdtemp(prefix="crm-bench-")) / "crm.db"
    t = time.perf_counter()
    store(path, n)
    print(f"stored {n} leads in {time.perf_counter() - t:.1f} s")
    return n, path


def main() -> None:
    n, path = stored_leads()
    crm = Crm.open(path)
    ours, leads = best_of(3, crm.leads.list)
    assert len(leads) == n and isinstance(leads[0], records.Lead)
    assert isinstance(leads[0].created_at, dt.datetime)

    con = sqlite3.connect(path)
    def plain():
        return [json.loads(d) for (d,) in con.execute("SELECT data FROM rec_lead ORDER BY id")]
    theirs, rows = best_of(3, plain)
    assert len(rows) == n

    print(f"typed records (crm.leads.list):   {ours:.2f} s = {n / ours / 1000:.0f} k records/s")
    print(f"sqlite3 + json.loads into dicts:  {theirs:.2f} s = {n / theirs / 1000:.0f} k rows/s")
    print(f"ratio: {theirs / ours:.2f}x (typed records vs untyped dicts)")


if __name__ == "__main__":
    main()
