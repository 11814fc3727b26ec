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


def test_records_import_links_upserts_and_reports_every_problem(tmp_path):
    with Crm.in_memory("DE") as crm:
        crm.customers.create_account({"name": "Müller GmbH"})
        # a spreadsheet saved as Windows-1252 with semicolons
        path = tmp_path / "kontakte.csv"
        path.write_bytes("Firma;Nachname;E-Mail;external_id\n"
                         "Müller GmbH;Weiß;jw@example.com;K-1\n"
                         "Nobody AG;Ohne;eva@example.com;K-2\n".encode("cp1252"))
        options = {"columns": {"Firma": "account@name", "Nachname": "last_name", "E-Mail": "email"},
                   "external_system": "erp"}
        report = crm.records.import_file("contact", str(path), options)
        assert (report.encoding, report.delimiter) == ("windows-1252", ";")
        assert (report.created, report.refused) == (1, 1)
        problem = report.problems[0]
        assert (problem.row, problem.column, problem.code, problem.left_out) == (2, "Firma", "not_found", False)
        contact = crm.customers.contacts()[0]
        assert contact.last_name == "Weiß" and contact.account == crm.customers.accounts()[0].id
        # again, lenient: K-1 is updated, K-2 comes in without the account it names
        report = crm.records.import_file("contact", str(path), {**options, "lenient": True})
        assert (report.created, report.updated, report.refused) == (1, 1, 0)
        assert [p.left_out for p in report.problems] == [True]
        assert crm.records.find_external("contact", "erp", "K-2") is not None
        with pytest.raises(crm_core.InvalidValueError):
            crm.records.import_file("pipeline", str(path))


def test_records_import_reads_an_export_back_off_the_thread(tmp_path):
    import asyncio
    with Crm.in_memory("DE") as crm:
        crm.customers.create_account({"name": "Analytical Engines", "address": {"city": "London"}})
        lines = tmp_path / "accounts.jsonl"
        crm.records.export("account", str(lines), {"format": "json_lines"})
        with Crm.in_memory("DE") as copy:
            report = asyncio.run(copy.records.import_file_async("account", str(lines)))
            assert (report.format, report.created) == ("json_lines", 1)
            assert copy.customers.accounts()[0].address.city == "London"
