"""Typed records of the CRM, built from crm-core's JSON form.

Every record is a frozen dataclass whose attributes carry Python types: instants are
timezone-aware ``datetime`` (UTC), days ``date``, money :class:`Money` with a
``decimal.Decimal`` amount, probabilities ``Decimal`` percent. ``to_dict()`` gives plain
data; :func:`to_pandas` / :func:`to_polars` turn a list of records into a DataFrame
(nested fields flattened as ``data.email``, ``amount.currency``…).
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import json
import sys
import typing
from decimal import Decimal
from typing import Any, Dict, List, Optional, Sequence, Type, TypeVar

__all__ = [
    "Money",
    "Record",
    "Lead",
    "LeadData",
    "Captured",
    "DuplicateMatch",
    "WebForm",
    "ImportReport",
    "Touchpoint",
    "Account",
    "Contact",
    "Purchase",
    "Conversion",
    "Pipeline",
    "Stage",
    "Opportunity",
    "Activity",
    "ExchangeRate",
    "Forecast",
    "ForecastRow",
    "Event",
    "RescoreReport",
    "RuleScore",
    "FiredRule",
    "Product",
    "PriceBook",
    "Configuration",
    "LineTax",
    "PricedLine",
    "TaxTotal",
    "PricedDocument",
    "Quote",
    "SalesOrder",
    "to_pandas",
    "to_polars",
]

R = TypeVar("R", bound="Record")


def parse_instant(text: str) -> _dt.datetime:
    """An RFC 3339 instant (any number of fraction digits, ``Z`` or an offset) in UTC."""
    text = text.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    main, sep, rest = text.partition(".")
    if sep:
        digits = "".join(c for c in rest[: len(rest) - len(rest.lstrip("0123456789"))])
        zone = rest[len(digits):]
        text = f"{main}.{(digits + '000000')[:6]}{zone}"
    value = _dt.datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise ValueError(f"instant {text!r} has no time zone")
    return value.astimezone(_dt.timezone.utc)


def format_instant(value: _dt.datetime) -> str:
    """``value`` as RFC 3339; naive datetimes are refused (time is explicit)."""
    from .errors import InvalidValueError

    if not isinstance(value, _dt.datetime):
        raise InvalidValueError(f"expected a datetime, got {type(value).__name__}", {"field": "now"})
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidValueError(
            f"naive datetime {value.isoformat()}: give it a time zone (e.g. timezone.utc)",
            {"field": "now", "value": value.isoformat()},
        )
    return value.astimezone(_dt.timezone.utc).isoformat().replace("+00:00", "Z")


@dataclasses.dataclass(frozen=True)
class Money:
    """An exact amount in an ISO 4217 currency."""

    amount: Decimal
    currency: str

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"

    def to_json(self) -> Dict[str, str]:
        return {"amount": str(self.amount), "currency": self.currency}

    @classmethod
    def of(cls, amount: Any, currency: str) -> "Money":
        return cls(Decimal(str(amount)), currency)


def now_text(now: Optional[_dt.datetime]) -> str:
    """``now`` (default: the current UTC time) as RFC 3339 for the native layer."""
    return format_instant(now if now is not None else _dt.datetime.now(_dt.timezone.utc))


def one(cls: Type[R], text: str) -> Any:
    """A record of ``cls`` from native JSON (``None`` for JSON null)."""
    data = json.loads(text)
    return None if data is None else cls.from_json(data)


def many(cls: Type[R], text: str) -> List[Any]:
    """Records of ``cls`` from a native JSON list."""
    return [cls.from_json(d) for d in json.loads(text)]


def _hints(cls: type) -> Dict[str, Any]:
    module = sys.modules[cls.__module__]
    return typing.get_type_hints(cls, vars(module))


def _convert(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is typing.Union:  # Optional[X]
        inner = [a for a in args if a is not type(None)]
        return _convert(inner[0], value) if len(inner) == 1 else value
    if origin in (list, List, Sequence):
        return [_convert(args[0], v) for v in value] if args else list(value)
    if origin in (dict, Dict):
        return {k: _convert(args[1], v) for k, v in value.items()} if args else dict(value)
    if tp is _dt.datetime:
        return parse_instant(value)
    if tp is _dt.date:
        return _dt.date.fromisoformat(value)
    if tp is Decimal:
        return Decimal(str(value))
    if tp is Money:
        return Money(Decimal(str(value["amount"])), value["currency"])
    if isinstance(tp, type) and issubclass(tp, Record):
        return tp.from_json(value)
    if tp is float and isinstance(value, (int, float)):
        return float(value)
    return value


class Record:
    """Base of every record: built from crm-core's JSON form."""

    @classmethod
    def from_json(cls: Type[R], data: Dict[str, Any]) -> R:
        fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
        hints = _hints(cls)
        kwargs = {}
        for name, field in fields.items():
            key = field.metadata.get("json", name)
            if key in data:
                kwargs[name] = _convert(hints[name], data[key])
        record = cls(**kwargs)
        # The JSON form it came from, so that it can go back to crm-core unchanged.
        object.__setattr__(record, "_json", data)
        return record

    def to_json(self) -> Dict[str, Any]:
        """The crm-core JSON form of the record (as it was read)."""
        data = getattr(self, "_json", None)
        if data is None:
            raise TypeError(f"this {type(self).__name__} was not read from crm-core")
        return dict(data)

    def to_dict(self) -> Dict[str, Any]:
        """The record as plain data (nested records as dicts; Decimal and datetime kept)."""
        return dataclasses.asdict(self)  # type: ignore[call-overload]


def _field(default: Any = None, json: Optional[str] = None, factory: Any = None) -> Any:
    meta = {"json": json} if json else {}
    if factory is not None:
        return dataclasses.field(default_factory=factory, metadata=meta)
    return dataclasses.field(default=default, metadata=meta)


record = dataclasses.dataclass(frozen=True)


@record
class LeadData(Record):
    first_name: Optional[str] = None
    last_name: Optional[str] = None
    company: Optional[str] = None
    job_title: Optional[str] = None
    email: Optional[str] = None
    phone: Optional[str] = None
    website: Optional[str] = None
    address: Dict[str, Any] = _field(factory=dict)
    demographics: Dict[str, Any] = _field(factory=dict)
    attribution: Dict[str, Any] = _field(factory=dict)
    owner: Optional[str] = None
    description: Optional[str] = None
    rating: Optional[str] = None
    custom: Dict[str, str] = _field(factory=dict)


@record
class Lead(Record):
    """A lead: who, from where, how far along (``status``), how promising (``score``)."""

    id: int
    version: int
    created_at: _dt.datetime
    updated_at: _dt.datetime
    source: Any
    data: LeadData
    status: str
    score: Optional[float] = None
    spam_signals: List[Any] = _field(factory=list)
    conversion: Optional[Dict[str, Any]] = None

    @property
    def email(self) -> Optional[str]:
        return self.data.email

    @property
    def rating(self) -> Optional[str]:
        return self.data.rating


@record
class DuplicateMatch(Record):
    record: Dict[str, Any]
    reason: Any


@record
class Captured(Record):
    """A captured lead and the stored records it may duplicate."""

    lead: Lead
    duplicates: List[DuplicateMatch] = _field(factory=list)


@record
class WebForm(Record):
    id: int
    version: int
    name: str
    fields: List[Dict[str, Any]] = _field(factory=list)
    honeypot: Optional[str] = None
    resubmission_window_secs: int = 0
    default_region: Optional[str] = None
    defaults: Dict[str, str] = _field(factory=dict)
    min_fill_secs: Optional[int] = None


@record
class ImportReport(Record):
    """What a CSV import did: counts, the rows refused (with column and reason) and the
    duplicates left out."""

    progress: Dict[str, int]
    errors: List[Dict[str, Any]] = _field(factory=list)
    duplicates: List[Dict[str, Any]] = _field(factory=list)
    first_lead: Optional[int] = None
    last_lead: Optional[int] = None

    @property
    def imported(self) -> int:
        return int(self.progress.get("imported", 0))


@record
class Touchpoint(Record):
    id: int
    version: int
    subject: Dict[str, Any]
    at: _dt.datetime
    kind: Dict[str, Any]
    attribution: Dict[str, Any] = _field(factory=dict)


@record
class Account(Record):
    id: int
    version: int
    name: str
    created_at: _dt.datetime
    updated_at: _dt.datetime
    domain: Optional[str] = None
    phone: Optional[str] = None
    address: Dict[str, Any] = _field(factory=dict)
    industry: Optional[str] = None
    owner: Optional[str] = None


@record
class Contact(Record):
    id: int
    version: int
    created_at: _dt.datetime
    updated_at: _dt.datetime
    account: Optional[int] = None
    first_name: Optional[str] = None
    last_name: Optional[str] = None
    job_title: Optional[str] = None
    email: Optional[str] = None
    phones: List[Dict[str, Any]] = _field(factory=list)
    addresses: List[Dict[str, Any]] = _field(factory=list)
    demographics: Dict[str, Any] = _field(factory=dict)
    best_time_to_call: Optional[Dict[str, Any]] = None
    owner: Optional[str] = None
    from_leads: List[int] = _field(factory=list)


@record
class Purchase(Record):
    id: int
    version: int
    contact: int
    product: str
    purchased_at: _dt.datetime
    quantity: Decimal
    unit_price: Money
    account: Optional[int] = None
    sales_rep: Optional[str] = None
    special_instructions: Optional[str] = None
    feedback: Optional[Dict[str, Any]] = None


@record
class Stage(Record):
    name: str
    probability: Decimal
    kind: str = "open"


@record
class Pipeline(Record):
    id: int
    version: int
    name: str
    stages: List[Stage] = _field(factory=list)


@record
class Opportunity(Record):
    id: int
    version: int
    name: str
    account: int
    pipeline: int
    stage: str
    state: str
    amount: Money
    expected_close: _dt.date
    probability: Decimal
    created_at: _dt.datetime
    updated_at: _dt.datetime
    contact: Optional[int] = None
    probability_source: Optional[str] = None
    owner: Optional[str] = None
    source_lead: Optional[int] = None
    source: Optional[str] = None
    products: List[str] = _field(factory=list)
    key_players: List[Dict[str, Any]] = _field(factory=list)
    history: List[Dict[str, Any]] = _field(factory=list)
    lost_reason: Optional[str] = None
    closed_at: Optional[_dt.datetime] = None


@record
class Conversion(Record):
    """A converted lead: its account and contact (found or created) and opportunity."""

    lead: Lead
    account: Account
    account_created: bool
    contact: Contact
    contact_created: bool
    opportunity: Optional[Opportunity] = None
    moved_touchpoints: int = 0
    moved_activities: int = 0


@record
class Activity(Record):
    id: int
    version: int
    kind: str
    subject: Dict[str, Any]
    title: str
    created_at: _dt.datetime
    notes: Optional[str] = None
    owner: Optional[str] = None
    due_at: Optional[_dt.datetime] = None
    duration_minutes: Optional[int] = None
    completed_at: Optional[_dt.datetime] = None
    outcome: Optional[str] = None


@record
class ExchangeRate(Record):
    id: int
    version: int
    from_currency: str = _field(json="from")
    to_currency: str = _field(json="to")
    on: Optional[_dt.date] = None
    rate: Optional[Decimal] = None


@record
class ForecastRow(Record):
    period: str
    owner: str
    pipeline: Money
    weighted: Money
    won: Money
    open_count: int = 0
    won_count: int = 0


@record
class Forecast(Record):
    currency: str
    as_of: _dt.date
    period: str
    rows: List[ForecastRow] = _field(factory=list)
    total_pipeline: Optional[Money] = None
    total_weighted: Optional[Money] = None
    total_won: Optional[Money] = None


@record
class Event(Record):
    """A domain event in its envelope, in the order the store recorded it."""

    sequence: int
    aggregate: str
    aggregate_id: int
    event_type: str
    event_version: int
    payload: Dict[str, Any]
    at: _dt.datetime


@record
class Product(Record):
    """A catalog product with its option groups and rules."""

    id: int
    version: int
    sku: str
    name: str
    unit: str
    active: bool
    option_groups: List[Dict[str, Any]] = _field(factory=list)
    constraints: List[Dict[str, Any]] = _field(factory=list)


@record
class PriceBook(Record):
    """List prices in one currency, with validity periods."""

    id: int
    version: int
    name: str
    currency: str
    entries: List[Dict[str, Any]] = _field(factory=list)


@record
class Configuration(Record):
    """A configured product: the options chosen and its unit price."""

    sku: str
    unit_price: Money
    options: List[str] = _field(factory=list)


@record
class LineTax(Record):
    code: str
    base: Money
    amount: Money


@record
class PricedLine(Record):
    gross: Money
    discount: Money
    net: Money
    total: Money
    taxes: List[LineTax] = _field(factory=list)


@record
class TaxTotal(Record):
    code: str
    rate: Decimal
    base: Money
    amount: Money


@record
class PricedDocument(Record):
    """A priced quote or order. It adds up: ``gross - discount == subtotal`` and
    ``subtotal + Σ taxes == grand_total``, to the cent."""

    currency: str
    rounding: Dict[str, str]
    gross: Money
    discount: Money
    subtotal: Money
    tax_total: Money
    grand_total: Money
    lines: List[PricedLine] = _field(factory=list)
    taxes: List[TaxTotal] = _field(factory=list)


@record
class Quote(Record):
    """One revision of a quote: ``number`` is its first revision's id."""

    id: int
    version: int
    number: int
    revision: int
    status: str
    content: Dict[str, Any]
    priced: PricedDocument
    created_at: _dt.datetime
    updated_at: _dt.datetime
    rejection_reason: Optional[str] = None


@record
class SalesOrder(Record):
    """An order made from an accepted quote: a snapshot of that revision."""

    id: int
    version: int
    quote: int
    quote_number: int
    revision: int
    content: Dict[str, Any]
    priced: PricedDocument
    accepted_at: _dt.datetime
    created_at: _dt.datetime


@record
class FiredRule(Record):
    rule: str
    points: float


@record
class RuleScore(Record):
    """A rule score, explained: the rules that fired and their points."""

    score: float
    rating: str
    fired: List[FiredRule] = _field(factory=list)


@record
class RescoreReport(Record):
    scored: int
    changed: int


def _flatten(d: Dict[str, Any], prefix: str = "") -> Dict[str, Any]:
    out: Dict[str, Any] = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(_flatten(v, key + "."))
        else:
            out[key] = v
    return out


def _rows(records: Sequence[Record]) -> List[Dict[str, Any]]:
    return [_flatten(r.to_dict()) for r in records]


def to_pandas(records: Sequence[Record]) -> Any:
    """The records as a pandas DataFrame, one row each, nested fields flattened."""
    import pandas as pd

    return pd.DataFrame(_rows(records))


def to_polars(records: Sequence[Record]) -> Any:
    """The records as a polars DataFrame, one row each, nested fields flattened."""
    import polars as pl

    rows = _rows(records)
    columns: Dict[str, List[Any]] = {}
    for row in rows:
        for k in row:
            columns.setdefault(k, [])
    for row in rows:
        for k, col in columns.items():
            col.append(row.get(k))
    return pl.DataFrame(columns, strict=False)
