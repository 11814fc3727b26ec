"""Pricing from Python without a store, to the cent, and bad lines as typed errors; a sale
closing itself out (purchases, the ERP hand-off through the outbox, delivery installing
serialised units). (The rest of the stored catalog, quotes and orders is exercised by the
parity scenario and test_surface.)"""

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


def test_a_sale_closes_itself_out_through_the_outbox():
    crm = crm_core.Crm.in_memory()
    pipeline = crm.sales.define_pipeline("Sales", now=T0)
    crm.sales.set_quote_acceptance(pipeline.id, {"follow_amount": True, "stage": "Won"}, now=T0)
    crm.quotes.define_product({"sku": "SRV", "name": "Server", "unit": "each", "active": True,
                               "serialised": True, "warranty": {"months": 12, "terms": "Parts"}}, now=T0)
    account = crm.customers.create_account({"name": "Engines"}, now=T0)
    buyer = crm.customers.create_contact({"account": account.id, "last_name": "Babbage"}, now=T0)
    opp = crm.sales.open_opportunity({"name": "Servers", "account": account.id, "pipeline": pipeline.id,
                                      "amount": {"amount": "1", "currency": "EUR"},
                                      "expected_close": "2026-12-31", "owner": "kim"}, now=T0)
    crm.quotes.define_price_book({"name": "List", "currency": "EUR",
                                  "entries": [{"sku": "SRV", "list_price": "1000.00", "valid_from": "2026-01-01"}]}, now=T0)
    facts = crm.sales.update_opportunity(opp.id, opp.version, {"budget": {"amount": "2500", "currency": "EUR"},
                                                              "competitors": [{"name": "Globex"}]}, now=T0)
    assert (facts.budget.amount, facts.competitors[0].name) == (Decimal("2500"), "Globex")
    with pytest.raises(crm_core.ValidationError):
        crm.sales.set_line_items(opp.id, [{"sku": "NOPE", "quantity": "1"}], "List", now=T0)
    priced = crm.sales.set_line_items(opp.id, [{"sku": "SRV", "quantity": "2"}], "List", now=T0)
    assert priced.amount == Money(Decimal("2000.00"), "EUR") and priced.line_items[0].net.amount == Decimal("2000.00")
    quote = crm.quotes.create({
        "account": account.id, "opportunity": opp.id, "contact": buyer.id, "currency": "EUR",
        "valid_until": "2026-12-31", "taxes": VAT, "rounding": {"mode": "half_up", "strategy": "per_line"},
        "lines": [line("Server", 2, "1000.00", "EUR", sku="SRV", tax_codes=["VAT20"], special_instructions="Rack 4")],
    }, now=T0)
    crm.quotes.send(quote.id, now=T0)
    crm.quotes.accept(quote.id, now=T0)
    won = crm.sales.opportunity(opp.id)
    assert (won.state, won.amount) == ("won", Money(Decimal("2000.00"), "EUR"))
    order = crm.quotes.convert_to_order(quote.id, now=T0)
    [purchase] = crm.customers.purchases_of(buyer.id)
    assert (purchase.sales_order, purchase.sales_rep, purchase.special_instructions) == (order.id, "kim", "Rack 4")

    # the host's worker: the ERP fails once, then takes the order
    [delivery] = crm.outbox.take(10, "erp", now=T0)
    assert delivery.idempotency_key == f"sales_order:{order.id}" and delivery.payload["order_id"] == order.id
    failed = crm.outbox.fail(delivery.id, "ERP down", now=T0)
    assert failed.status == "pending" and failed.next_attempt_at > T0
    assert crm.outbox.take(10, now=T0) == []
    [again] = crm.outbox.take(10, now=failed.next_attempt_at)
    crm.outbox.succeed(again.id, {"erp_id": "SO-1"}, now=failed.next_attempt_at)
    with pytest.raises(crm_core.IllegalTransitionError):
        crm.outbox.succeed(again.id, now=failed.next_attempt_at)
    assert crm.quotes.orders_with_status("sent")[0].id == order.id
    crm.quotes.acknowledge_order(order.id, "SO-1", now=T0)
    with pytest.raises(crm_core.ValidationError):
        crm.quotes.fulfil_order(order.id, [{"line": 0, "quantity": "2", "serials": ["A"]}], now=T0)
    done = crm.quotes.fulfil_order(order.id, [{"line": 0, "quantity": "2", "serials": ["A", "B"]}], now=T0)
    assert done.order.status == "fulfilled"
    assert sorted(a.serial_number for a in done.assets) == ["A", "B"]
    assert [w.ends_on for w in done.warranties] == [dt.date(2027, 11, 19)] * 2  # 12 months from the delivery day
    page = crm.customers.timeline({"kind": "account", "id": account.id}, 3)
    older = crm.customers.timeline({"kind": "account", "id": account.id}, 50, page.next)
    records = [e.record for e in page.entries + older.entries]
    assert f"purchase:{purchase.id}" in records and f"sales_order:{order.id}" in records
    assert all(a.at >= b.at for a, b in zip(page.entries, page.entries[1:]))
