"""Exports of any record kind from Python: CSV, JSON lines, Parquet."""

import pytest

import crm_core
from crm_core import Crm


def test_records_export_as_csv_and_json_lines(tmp_path):
    import csv
    import json
    with Crm.in_memory("DE") as crm:
        crm.customers.create_account({"name": "Analytical Engines", "address": {"city": "London"},
                                      "custom": {"tier": "gold"}})
        crm.customers.create_account({"name": "Babbage; Sons"})
        path = tmp_path / "accounts.csv"
        report = crm.records.export("account", str(path), {"delimiter": ";"})
        assert report.records == 2
        rows = list(csv.DictReader(path.open(newline=""), delimiter=";"))
        assert [r["name"] for r in rows] == ["Analytical Engines", "Babbage; Sons"]
        assert rows[0]["address.city"] == "London" and rows[1]["custom.tier"] == ""
        lines = tmp_path / "accounts.jsonl"
        crm.records.export("account", str(lines), {"format": "json_lines", "columns": ["name"]})
        assert [json.loads(l) for l in lines.read_text().splitlines()] == [
            {"name": "Analytical Engines"}, {"name": "Babbage; Sons"}]
        with pytest.raises(crm_core.InvalidValueError):
            crm.records.export("account", str(path), {"delimiter": "ab"})


def test_records_export_as_parquet_reads_in_pandas(tmp_path):
    import pandas as pd
    with Crm.in_memory("DE") as crm:
        crm.customers.create_account({"name": "Analytical Engines", "custom": {"seats": 12}})
        crm.customers.create_account({"name": "Babbage"})
        path = tmp_path / "accounts.parquet"
        report = crm.records.export("account", str(path), {"format": "parquet"})
        frame = pd.read_parquet(path)
        assert list(frame.columns) == report.columns
        assert list(frame["name"]) == ["Analytical Engines", "Babbage"]
        assert frame["id"].dtype == "int64"
        assert frame["custom.seats"].iloc[0] == 12 and pd.isna(frame["custom.seats"].iloc[1])
