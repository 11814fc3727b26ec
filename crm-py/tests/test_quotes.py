"""Pricing from Python without a store, to the cent, and bad lines as typed errors. (The
stored catalog, quotes and orders are exercised by the parity scenario and test_surface.)"""

import datetime as dt
import json
from decimal import Decimal

import pytest

import crm_core
from crm_core.records import Money
from crm_core.quotes import line, tax

T0 = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone.utc)
VAT = [tax("VAT20", "20")]


def test_pricing_golden_examples():
    lines = [line("a", 1, "6.32", "EUR", tax_codes=["VAT20"]), line("b", 1, Decimal("21.62"), "EUR", tax_codes=["VAT20"])]
    per_line = crm_core.price_document(lines, currency="EUR", taxes=VAT, rounding=("half_up", "per_line"))
    assert per_line.tax_total == Money(Decimal("5.58"), "EUR")
    assert [t.amount.amount for t in per_line.lines[0].taxes] == [Decimal("1.26")]
    glob = crm_core.price_document(lines, currency="EUR", taxes=VAT, rounding=("half_up", "global"))
    assert glob.tax_total.amount == Decimal("5.59") and glob.grand_total.amount == Decimal("33.53")
    # 24.99 including 20 %: the net rounds, the tax takes the rest, the price holds.
    incl = crm_core.price_document(
        [line("c", 1, "24.99", "EUR", tax_codes=["VAT20I"])],
        currency="EUR",
        taxes=[tax("VAT20I", "20", included_in_price=True)],
        rounding=("half_up", "per_line"),
    )
    assert (incl.subtotal.amount, incl.tax_total.amount, incl.grand_total.amount) == (
        Decimal("20.83"), Decimal("4.16"), Decimal("24.99"))
    assert incl.subtotal.amount + incl.tax_total.amount == incl.grand_total.amount


def test_bad_quotes_raise_typed_errors():
    with pytest.raises(crm_core.InputError, match="float"):
        line("x", 1, 9.99, "EUR")
    with pytest.raises(crm_core.InputError, match="rounding mode"):
        crm_core.quotes.rounding("nearest", "per_line")
    with pytest.raises(crm_core.ValidationError) as e:
        crm_core.price_document(
            [line("x", -1, "10", "EUR", tax_codes=["NOPE"]), line("y", 1, "10", "USD")],
            currency="EUR", taxes=VAT, rounding=("half_up", "per_line"))
    assert {p["field"] for p in e.value.problems} == {"lines[0].quantity", "lines[0].tax_codes", "lines[1].unit_price"}
    with pytest.raises(crm_core.InputError, match="must be between 0 and 100"):
        crm_core.price_document([line("x", 1, "10", "EUR", discount_percent="120")],
                                currency="EUR", taxes=VAT, rounding=("half_up", "per_line"))
