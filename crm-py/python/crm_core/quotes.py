"""Quotations from Python: the JSON forms of lines, taxes and rounding that
:class:`~crm_core.Crm` and :func:`price_document` send to crm-core. Money is
``decimal.Decimal`` (or a string), never a float: a float price is refused."""

from __future__ import annotations

import datetime as _dt
import json
from decimal import Decimal
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

from . import _crm_core, records
from .errors import InputError

__all__ = ["price_document", "line", "tax", "rounding"]

Amount = Union[Decimal, str, int]


def decimal_text(value: Amount, what: str) -> str:
    """An exact amount as text; floats are refused (they are not exact)."""
    if isinstance(value, float):
        raise InputError(f"{what} is a float ({value!r}); pass a Decimal or a string")
    if isinstance(value, bool) or not isinstance(value, (Decimal, str, int)):
        raise InputError(f"{what} must be a Decimal, a string or an int, not {type(value).__name__}")
    return str(Decimal(value)) if not isinstance(value, str) else value


def line(
    description: str,
    quantity: Amount,
    unit_price: Amount,
    currency: str,
    *,
    tax_codes: Sequence[str] = (),
    discount_percent: Optional[Amount] = None,
    discount_amount: Optional[Amount] = None,
    sku: Optional[str] = None,
    options: Sequence[str] = (),
    unit: Optional[str] = None,
    special_instructions: Optional[str] = None,
) -> Dict[str, Any]:
    """A quote line (its JSON form); ``special_instructions`` go to the purchase its order
    records."""
    if discount_percent is not None and discount_amount is not None:
        raise InputError("a line has a discount in percent or an amount, not both")
    if discount_percent is not None:
        discount: Dict[str, Any] = {"kind": "percent", "value": decimal_text(discount_percent, "discount_percent")}
    elif discount_amount is not None:
        discount = {"kind": "amount", "value": decimal_text(discount_amount, "discount_amount")}
    else:
        discount = {"kind": "none"}
    return {
        "description": description,
        "sku": sku,
        "options": list(options),
        "unit": unit,
        "quantity": decimal_text(quantity, "quantity"),
        "unit_price": {"amount": decimal_text(unit_price, "unit_price"), "currency": currency},
        "discount": discount,
        "tax_codes": list(tax_codes),
        "special_instructions": special_instructions,
    }


def tax(code: str, rate: Amount, *, included_in_price: bool = False, compound: bool = False) -> Dict[str, Any]:
    """A tax rate (its JSON form): ``rate`` in percent."""
    return {
        "code": code,
        "rate": decimal_text(rate, "rate"),
        "included_in_price": included_in_price,
        "compound": compound,
    }


def rounding(mode: str, strategy: str) -> Dict[str, str]:
    """How amounts are rounded, always chosen: ``mode`` half_even or half_up, ``strategy``
    per_line or global."""
    if mode not in ("half_even", "half_up"):
        raise InputError(f"rounding mode {mode!r}: use 'half_even' or 'half_up'")
    if strategy not in ("per_line", "global"):
        raise InputError(f"rounding strategy {strategy!r}: use 'per_line' or 'global'")
    return {"mode": mode, "strategy": strategy}


def _rounding(value: Union[Mapping[str, str], Tuple[str, str]]) -> Dict[str, str]:
    if isinstance(value, tuple):
        return rounding(*value)
    return rounding(value["mode"], value["strategy"])


def price_document(
    lines: Sequence[Mapping[str, Any]],
    *,
    currency: str,
    taxes: Sequence[Mapping[str, Any]] = (),
    rounding: Union[Mapping[str, str], Tuple[str, str]],
    document_discount_percent: Amount = "0",
) -> "records.PricedDocument":
    """Prices lines without a store (see :func:`line`, :func:`tax`, :func:`rounding`)."""
    price_lines = [
        {k: l[k] for k in ("quantity", "unit_price", "discount", "tax_codes")} for l in lines
    ]
    return _crm_core.price_document(
        json.dumps(price_lines),
        decimal_text(document_discount_percent, "document_discount_percent"),
        json.dumps(list(taxes)),
        currency,
        json.dumps(_rounding(rounding)),
    )


def quote_content(
    *,
    account: int,
    currency: str,
    valid_until: _dt.date,
    lines: Sequence[Mapping[str, Any]],
    taxes: Sequence[Mapping[str, Any]],
    rounding: Union[Mapping[str, str], Tuple[str, str]],
    opportunity: Optional[int] = None,
    document_discount_percent: Amount = "0",
) -> Dict[str, Any]:
    """A quote's content (its JSON form)."""
    return {
        "account": int(account),
        "opportunity": None if opportunity is None else int(opportunity),
        "currency": currency,
        "valid_until": valid_until.isoformat(),
        "lines": [dict(l) for l in lines],
        "document_discount": decimal_text(document_discount_percent, "document_discount_percent"),
        "taxes": list(taxes),
        "rounding": _rounding(rounding),
    }
