"""Stored leads into a data frame: ``crm.table("lead")`` (an Arrow table read from the
store's bytes) into polars and pandas, against what a Python user would otherwise write
— ``sqlite3`` over the same file, ``json.loads`` of each stored row and
``pandas.json_normalize`` into flat columns.

    .venv/bin/python benches/python/bench_frames.py [N]      # N leads, default 1 000 000
"""

from __future__ import annotations

import json
import pathlib
import sqlite3
import sys

import pandas as pd
import polars as pl

from crm_core import Crm

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from bench_records import best_of, stored_leads  # noqa: E402


def main() -> None:
    n, path = stored_leads()
    crm = Crm.open(path)
    batch_time, batch = best_of(3, lambda: crm.table("lead"))
    assert batch.num_rows == n
    polars_time, frame = best_of(3, lambda: pl.from_arrow(crm.table("lead"), rechunk=False))
    assert frame.height == n and frame.schema["created_at"] == pl.Datetime("us", "UTC")
    arrow_pd_time, df = best_of(3, lambda: crm.table("lead").to_pandas(types_mapper=pd.ArrowDtype))
    assert len(df) == n
    numpy_pd_time, df = best_of(1, lambda: crm.table("lead").to_pandas())
    assert len(df) == n

    con = sqlite3.connect(path)

    def plain():
        rows = [json.loads(d) for (d,) in con.execute("SELECT data FROM rec_lead ORDER BY id")]
        return pd.json_normalize(rows)

    theirs, frame = best_of(1, plain)
    assert len(frame) == n

    def rate(seconds: float) -> str:
        return f"{seconds:.2f} s = {n / seconds / 1e6:.2f} M rows/s"

    print(f"crm.table('lead') (Arrow table):                 {rate(batch_time)}")
    print(f"  into polars (pl.from_arrow, rechunk=False):   {rate(polars_time)}")
    print(f"  into pandas, Arrow-backed columns:             {rate(arrow_pd_time)}")
    print(f"  into pandas, NumPy/object columns:             {rate(numpy_pd_time)}")
    print(f"sqlite3 + json.loads + pandas.json_normalize:    {rate(theirs)}")
    print(f"ratio: {theirs / polars_time:.1f}x (polars frame vs json_normalize)")


if __name__ == "__main__":
    main()
