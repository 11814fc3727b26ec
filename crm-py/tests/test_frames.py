"""Listings as Arrow tables: ``crm.table(kind)`` (every stored record of a kind,
read from the store's bytes) and ``crm.frame(call, **args)`` (any use case's result), into
pandas and polars without a copy."""

import datetime as dt
from decimal import Decimal

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

from crm_core import Crm, InputError, InvalidValueError, StorageError

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.timezone.utc)


@pytest.fixture
def crm():
    crm = Crm.in_memory("DE")
    for first, email in [("Ada", "ada@example.com"), ("Bob", "bob@example.com"), ("Cy", "cy@example.com")]:
        crm.leads.capture({"values": {"first_name": first, "last_name": "X", "email": email}}, now=NOW)
    crm.leads.disqualify(2, "no budget", now=NOW)
    yield crm
    crm.close()


def test_a_table_is_a_flat_typed_arrow_table(crm):
    batch = crm.table("lead")
    assert isinstance(batch, pa.Table)
    assert batch.num_rows == 3
    assert batch.column("id").to_pylist() == [1, 2, 3]
    assert batch.column("data.first_name").to_pylist() == ["Ada", "Bob", "Cy"]
    assert batch.column("status").to_pylist() == ["new", "disqualified", "new"]
    assert batch.column("status.reason").to_pylist() == [None, "no budget", None]
    assert batch.schema.field("created_at").type == pa.timestamp("us", tz="UTC")
    assert batch.column("created_at").to_pylist()[0] == NOW


def test_tables_go_to_polars_and_pandas(crm):
    frame = pl.from_arrow(crm.table("lead"), rechunk=False)
    assert frame.height == 3
    assert frame.filter(pl.col("status") == "disqualified")["data.first_name"].to_list() == ["Bob"]
    assert frame.schema["created_at"] == pl.Datetime("us", "UTC")

    df = crm.table("lead").to_pandas()
    assert list(crm.table("lead").to_pandas(types_mapper=pd.ArrowDtype)["status"]) == ["new", "disqualified", "new"]
    assert list(df["status"]) == ["new", "disqualified", "new"]
    assert str(df["created_at"].dtype) == "datetime64[us, UTC]"


def test_an_empty_table_keeps_its_columns():
    crm = Crm.in_memory()
    batch = crm.table("opportunity")
    assert batch.num_rows == 0
    assert "amount.amount" in batch.schema.names
    assert pl.from_arrow(batch).width == len(batch.schema.names)


def test_decimals_are_exact_decimal_columns(crm):
    account = crm.customers.create_account({"name": "Engines"}, now=NOW)
    contact = crm.customers.create_contact({"account": account.id, "first_name": "Ada", "last_name": "L"}, now=NOW)
    for price in ("12000.50", "0.125"):
        crm.customers.record_purchase(
            {"contact": contact.id, "product": "Engine", "purchased_at": NOW, "quantity": "1",
             "unit_price": {"amount": price, "currency": "EUR"}},
            now=NOW,
        )
    prices = crm.table("purchase").column("unit_price.amount")
    assert prices.type == pa.decimal128(38, 3)
    assert prices.to_pylist() == [Decimal("12000.500"), Decimal("0.125")]


def test_any_use_case_result_comes_as_a_frame(crm):
    qualified = crm.frame("leads.with_status", status="disqualified")
    assert qualified.column("id").to_pylist() == [2]
    events = crm.frame("events.since", after_sequence=0, limit=100)
    assert events.num_rows == len(crm.events.since(0, 100)) > 0
    one = crm.frame("leads.get", id=1)
    assert one.column("data.first_name").to_pylist() == ["Ada"]


def test_bad_calls_raise_typed_errors(crm):
    with pytest.raises(InvalidValueError):
        crm.table("unicorn")
    with pytest.raises(InputError):
        crm.frame("leads.nope")
    with pytest.raises(InputError):
        crm.frame("leads.get", id="one")
    crm.close()
    with pytest.raises(StorageError):
        crm.table("lead")
