"""Typed records of the service desk (cases, installed base, contracts, SLAs, field
service, knowledge base), built from crm-core's JSON form like every record of
:mod:`crm_core.records`: instants are UTC ``datetime``, days ``date``, hours ``Decimal``,
durations whole seconds (``elapsed_seconds``…)."""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import Any, Dict, List, Optional

from .records import Record, _field, record

__all__ = [
    "CaseComment",
    "CaseHistoryEntry",
    "Case",
    "Asset",
    "Warranty",
    "Entitlement",
    "Contract",
    "ContractCoverage",
    "Coverage",
    "CompletedCycle",
    "OngoingCycle",
    "MetricStatus",
    "CaseSla",
    "SlaAlert",
    "SlaPolicy",
    "Technician",
    "Assignment",
    "ServiceOrder",
    "Placement",
    "Unplaced",
    "Schedule",
    "MaintenancePlan",
    "Article",
    "SearchHit",
]


@record
class CaseComment(Record):
    author: str
    name: str
    public: bool
    body: str
    at: _dt.datetime


@record
class CaseHistoryEntry(Record):
    """One change: ``change`` is ``opened``, ``status``, ``priority`` or ``comment``; the
    other fields depend on it (``from``/``to`` are ``from_``/``to``)."""

    at: _dt.datetime
    change: str
    status: Optional[str] = None
    priority: Optional[str] = None
    from_: Optional[str] = _field(json="from")
    to: Optional[str] = None
    author: Optional[str] = None
    public: Optional[bool] = None


@record
class Case(Record):
    """A service case; ``number`` is its tracking number (``CASE-2026-000123``)."""

    id: int
    version: int
    number: str
    subject: str
    description: str
    channel: str
    category: str
    priority: str
    status: str
    opened_at: _dt.datetime
    account: Optional[int] = None
    contact: Optional[int] = None
    asset: Optional[int] = None
    contract: Optional[int] = None
    owner: Optional[str] = None
    history: List[CaseHistoryEntry] = _field(factory=list)
    comments: List[CaseComment] = _field(factory=list)
    sla_alerts: List[str] = _field(factory=list)


@record
class Asset(Record):
    """Equipment at a customer's site."""

    id: int
    version: int
    serial_number: str
    product: str
    account: int
    name: str
    status: str
    installed_on: Optional[_dt.date] = None
    location: Optional[str] = None


@record
class Warranty(Record):
    id: int
    version: int
    asset: int
    starts_on: _dt.date
    ends_on: _dt.date
    terms: str


@record
class Entitlement(Record):
    """What a contract includes; ``None`` is unlimited."""

    cases: Optional[int] = None
    hours: Optional[Decimal] = None


@record
class Contract(Record):
    id: int
    version: int
    name: str
    account: int
    starts_on: _dt.date
    ends_on: _dt.date
    entitlement: Entitlement
    cases_used: int
    hours_used: Decimal
    assets: List[int] = _field(factory=list)
    products: List[str] = _field(factory=list)
    sla_policy: Optional[str] = None
    cancelled: bool = False


@record
class ContractCoverage(Record):
    contract: Contract
    exhausted: bool
    cases_left: Optional[int] = None
    hours_left: Optional[Decimal] = None


@record
class Coverage(Record):
    """Whether an asset is covered on a day (``covered``), and by what."""

    asset: Asset
    on: _dt.date
    covered: bool
    warranties: List[Warranty] = _field(factory=list)
    contracts: List[ContractCoverage] = _field(factory=list)


@record
class CompletedCycle(Record):
    started_at: _dt.datetime
    stopped_at: _dt.datetime
    elapsed_seconds: int
    target_seconds: int
    breached: bool


@record
class OngoingCycle(Record):
    """The running cycle: ``due_at`` is when the target runs (or ran) out, ``None`` while
    paused before that."""

    started_at: _dt.datetime
    elapsed_seconds: int
    target_seconds: int
    remaining_seconds: int
    paused: bool
    within_calendar_hours: bool
    state: str
    due_at: Optional[_dt.datetime] = None


@record
class MetricStatus(Record):
    """One metric (``first_response``, ``next_response``, ``resolution``) of a case:
    ``state`` is ``inactive``, ``met``, ``paused``, ``on_track``, ``warning`` or
    ``breached``."""

    metric: str
    state: str
    calendar: Optional[str] = None
    completed: List[CompletedCycle] = _field(factory=list)
    ongoing: Optional[OngoingCycle] = None


@record
class CaseSla(Record):
    """A case's SLA at an instant; ``state`` is the one needing most attention."""

    case: int
    at: _dt.datetime
    state: str
    policy: Optional[str] = None
    metrics: List[MetricStatus] = _field(factory=list)

    def metric(self, name: str) -> Optional[MetricStatus]:
        """The metric called ``name``, if measured."""
        return next((m for m in self.metrics if m.metric == name), None)


@record
class SlaAlert(Record):
    """An alert raised once by ``check_slas``: ``state`` is ``warning`` or ``breached``."""

    case: int
    number: str
    metric: str
    cycle: int
    state: str
    due_at: Optional[_dt.datetime] = None


@record
class SlaPolicy(Record):
    name: str
    position: int
    warning_percent: int
    applies_to: Dict[str, Any] = _field(factory=dict)
    metrics: List[Dict[str, Any]] = _field(factory=list)


@record
class Technician(Record):
    id: int
    version: int
    name: str
    calendar: str
    active: bool
    skills: List[str] = _field(factory=list)


@record
class Assignment(Record):
    technician: int
    start: _dt.datetime
    end: _dt.datetime


@record
class ServiceOrder(Record):
    """Work to do on site: ``status`` is ``open``, ``scheduled``, ``completed`` or
    ``cancelled``; ``assignment`` once scheduled."""

    id: int
    version: int
    work: str
    duration_minutes: int
    earliest_start: _dt.datetime
    priority: str
    status: str
    skills: List[str] = _field(factory=list)
    due_by: Optional[_dt.datetime] = None
    account: Optional[int] = None
    asset: Optional[int] = None
    case: Optional[int] = None
    plan: Optional[int] = None
    assignment: Optional[Assignment] = None
    hours_worked: Optional[Decimal] = None


@record
class Placement(Record):
    order: int
    technician: int
    start: _dt.datetime
    end: _dt.datetime


@record
class Unplaced(Record):
    """An order the scheduler could not place: ``reason`` is ``no_qualified_technician``
    (with the ``skills`` it needs) or ``no_free_slot`` (``qualified`` technicians, none
    free before ``latest_end``)."""

    order: int
    reason: str
    skills: List[str] = _field(factory=list)
    qualified: Optional[int] = None
    latest_end: Optional[_dt.datetime] = None


@record
class Schedule(Record):
    placed: List[Placement] = _field(factory=list)
    unplaced: List[Unplaced] = _field(factory=list)


@record
class MaintenancePlan(Record):
    """A recurring maintenance plan; ``plan`` is what it says, ``generated`` how many
    visits became service orders."""

    id: int
    version: int
    plan: Dict[str, Any]
    generated: int


@record
class Article(Record):
    id: int
    version: int
    title: str
    body: str
    status: str
    updated_at: _dt.datetime
    tags: List[str] = _field(factory=list)
    products: List[str] = _field(factory=list)


@record
class SearchHit(Record):
    """A knowledge-base search result; ``score`` is its BM25 score."""

    article: int
    title: str
    score: float
