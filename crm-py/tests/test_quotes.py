"""Quotes from Python: catalog, configuration, pricing to the cent, the status machine,
revisions, and the sales order with its ERP payload."""

import datetime as dt
import json
from decimal import Decimal

import pytest

import crm_core
from crm_core import Crm, Money
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


def test_a_quote_from_catalog_to_order(tmp_path, root):
    crm = Crm.open(tmp_path / "crm.db")
    crm.define_product(
        "SRV-1", "Server",
        option_groups=[{"name": "Support", "choice": "single", "required": True,
                        "options": [{"code": "basic", "name": "Basic"},
                                    {"code": "premium", "name": "Premium", "price_delta": Decimal("499.00")}]}],
        now=T0)
    with pytest.raises(crm_core.DuplicateError):
        crm.define_product("SRV-1", "Again", now=T0)
    crm.define_price_book("EUR 2026", "EUR", [("SRV-1", "4200.00", dt.date(2026, 1, 1), None)], now=T0)
    with pytest.raises(crm_core.ValidationError, match="requires a choice"):
        crm.configure_product("SRV-1", [], "EUR 2026", on=dt.date(2026, 11, 20))
    config = crm.configure_product("SRV-1", ["premium"], "EUR 2026", on=dt.date(2026, 11, 20))
    assert config.unit_price == Money(Decimal("4699.00"), "EUR")

    account = crm.create_account("Globex", now=T0)
    pipeline = crm.define_pipeline("Sales", now=T0)
    opp = crm.open_opportunity("Servers", account=account, pipeline=pipeline, amount=("1000", "EUR"),
                               expected_close=dt.date(2026, 12, 31), now=T0)
    content = dict(
        account=account.id, opportunity=opp.id, currency="EUR", valid_until=dt.date(2026, 11, 28),
        taxes=VAT, rounding=("half_up", "per_line"),
    )
    server = lambda pct: line("Server, premium support", 2, config.unit_price.amount, "EUR",
                              tax_codes=["VAT20"], discount_percent=pct, sku="SRV-1", options=config.options)
    first = crm.create_quote(lines=[server("0")], now=T0, **content)
    assert first.priced.grand_total.amount == Decimal("11277.60")
    crm.send_quote(first.id, now=T0)
    second = crm.revise_quote(first.id, lines=[server("10")], now=T0 + dt.timedelta(days=1), **content)
    assert (second.revision, second.number, second.status) == (2, first.id, "draft")
    assert crm.quote(first.id).priced == first.priced, "an earlier revision stays as it was"
    crm.send_quote(second.id, now=T0 + dt.timedelta(days=1))
    with pytest.raises(crm_core.IllegalTransitionError):
        crm.accept_quote(second.id, now=dt.datetime(2026, 11, 29, 9, tzinfo=dt.timezone.utc))
    accepted = crm.accept_quote(second.id, now=T0 + dt.timedelta(days=2))
    assert accepted.status == "accepted"
    with pytest.raises(crm_core.IllegalTransitionError):
        crm.revise_quote(second.id, lines=[server("0")], **content)
    order = crm.convert_quote_to_order(second.id, now=T0 + dt.timedelta(days=2))
    # 2 × 4699.00 = 9398.00, 10 % off = 8458.20, VAT 1691.64, total 10149.84.
    assert order.priced.subtotal.amount == Decimal("8458.20")
    assert order.priced.tax_total.amount == Decimal("1691.64")
    assert order.priced.grand_total.amount == Decimal("10149.84")
    payload = crm.sales_order_payload(order.id)
    assert payload["totals"]["grand_total"] == "10149.84"
    assert payload["lines"][0]["options"] == ["premium"]
    schema = json.loads((root / "schemas/sales-order.v1.json").read_text())
    assert set(schema["required"]) <= set(payload)
    with pytest.raises(crm_core.DuplicateError):
        crm.convert_quote_to_order(second.id)
    assert [o.id for o in crm.sales_orders()] == [order.id]
    assert crm.follow_quote_amount(second.id, now=T0).amount == Money(Decimal("8458.20"), "EUR")
    assert [q.id for q in crm.expire_quotes(now=dt.datetime(2026, 11, 29, tzinfo=dt.timezone.utc))] == [first.id]
    assert {e.event_type for e in crm.events_since(0)} >= {"QuoteCreated", "QuoteStatusChanged", "SalesOrderCreated"}
