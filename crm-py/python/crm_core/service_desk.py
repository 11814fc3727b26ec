"""The service desk on :class:`crm_core.Crm`: calendars and SLA policies, the installed
base (assets, warranties, contracts, coverage), cases with their SLA states and alerts,
technicians, service orders and scheduling, planned maintenance, and the knowledge base.

:class:`ServiceDesk` is mixed into :class:`crm_core.Crm`; every method takes keyword
arguments, returns typed records (:mod:`crm_core.service_records`) and raises
:class:`~crm_core.errors.CrmError` subclasses. ``now`` / ``at`` default to the current UTC
time and must be timezone-aware.
"""

from __future__ import annotations

import datetime as _dt
import json
from decimal import Decimal
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Type, Union

from . import _crm_core
from .errors import InputError
from .records import format_instant, many as _many, now_text as _now, one as _one
from .service import BusinessCalendar
from .service_records import (
    Article,
    Asset,
    Case,
    CaseSla,
    Contract,
    Coverage,
    MaintenancePlan,
    Schedule,
    SearchHit,
    ServiceOrder,
    SlaAlert,
    SlaPolicy,
    Technician,
    Warranty,
)

__all__ = ["ServiceDesk"]

#: A target: minutes, or ``(minutes, calendar name)``.
Target = Union[int, Tuple[int, Optional[str]]]



def _day(value: _dt.date, what: str) -> str:
    if isinstance(value, _dt.datetime) or not isinstance(value, _dt.date):
        raise InputError(f"{what} must be a datetime.date, not {type(value).__name__}")
    return value.isoformat()




def _opt_id(value: Any) -> Optional[int]:
    """An optional link: ``None``, an int, or a record with ``id``."""
    return None if value is None else _id(value)


def _id(value: Any) -> int:
    """An id from an int or a record with ``id``."""
    if value is None:
        raise InputError("an id is required")
    return int(getattr(value, "id", value))


def _hours(value: Any) -> str:
    if isinstance(value, float):
        raise InputError("hours must be a Decimal, an int or a decimal string, not a float")
    return str(Decimal(str(value)))


def _policy_json(
    name: str,
    targets: Mapping[str, Mapping[str, Target]],
    calendar: Optional[str],
    position: int,
    warning_percent: int,
    applies_to: Optional[Mapping[str, Any]],
    conditions: Optional[Mapping[str, Any]],
) -> Dict[str, Any]:
    metrics = []
    for metric, per_priority in targets.items():
        rows = []
        for priority, target in per_priority.items():
            minutes, cal = target if isinstance(target, tuple) else (target, calendar)
            rows.append({"priority": priority, "minutes": int(minutes), "calendar": cal})
        rule: Dict[str, Any] = {"metric": metric, "targets": rows}
        if conditions and metric in conditions:
            rule["conditions"] = conditions[metric]
        metrics.append(rule)
    return {
        "name": name,
        "position": int(position),
        "warning_percent": int(warning_percent),
        "applies_to": dict(applies_to or {}),
        "metrics": metrics,
    }


class ServiceDesk:
    """The service-desk use cases (mixed into :class:`crm_core.Crm`)."""

    _native: _crm_core.NativeCrm

    @property
    def _desk(self) -> _crm_core.NativeServiceDesk:
        desk = self.__dict__.get("_desk_native")
        if desk is None:
            desk = self._native.service_desk()
            self.__dict__["_desk_native"] = desk
        return desk

    # ---- calendars and policies ----------------------------------------------------------

    def define_calendar(
        self, name: str, calendar: BusinessCalendar, now: Optional[_dt.datetime] = None
    ) -> None:
        """Stores ``calendar`` under ``name`` (case-insensitive) for SLA targets and
        technicians; redefining replaces it."""
        if not isinstance(calendar, BusinessCalendar):
            raise InputError("calendar must be a crm_core.BusinessCalendar")
        self._desk.define_calendar(name, calendar._native, _now(now))

    def define_sla_policy(
        self,
        name: str,
        targets: Mapping[str, Mapping[str, Target]],
        *,
        calendar: Optional[str] = None,
        position: int = 0,
        warning_percent: int = 75,
        applies_to: Optional[Mapping[str, Any]] = None,
        conditions: Optional[Mapping[str, Any]] = None,
        now: Optional[_dt.datetime] = None,
    ) -> SlaPolicy:
        """Defines (or redefines) an SLA policy. ``targets`` maps a metric
        (``first_response``, ``next_response``, ``resolution``) to business minutes per
        priority (``{"high": 60}``, or ``{"high": (60, "office")}`` for a calendar of its
        own); ``calendar`` is the default calendar of the targets (``None``: round the
        clock). ``applies_to`` filters cases (``priorities``, ``categories``, ``channels``,
        ``accounts``, ``contracts``, ``under_contract``); policies are checked by
        ``position`` and the first match applies, unless the case's contract names one.
        ``conditions`` overrides a metric's start / pause / stop conditions."""
        spec = _policy_json(name, targets, calendar, position, warning_percent, applies_to, conditions)
        out = json.loads(self._desk.define_sla_policy(json.dumps(spec), _now(now)))
        return SlaPolicy.from_json(out["policy"])

    def sla_policies(self) -> List[SlaPolicy]:
        """The policies, in the order they are checked."""
        return _many(SlaPolicy, self._desk.sla_policies())

    # ---- installed base ------------------------------------------------------------------

    def register_asset(
        self,
        serial_number: str,
        product: str,
        account: Any,
        *,
        name: str = "",
        installed_on: Optional[_dt.date] = None,
        location: Optional[str] = None,
        now: Optional[_dt.datetime] = None,
    ) -> Asset:
        """Registers equipment at a customer's (serial numbers are unique)."""
        new = {
            "serial_number": serial_number,
            "product": product,
            "account": _id(account),
            "name": name,
            "installed_on": None if installed_on is None else _day(installed_on, "installed_on"),
            "location": location,
        }
        return _one(Asset, self._desk.register_asset(json.dumps(new), _now(now)))

    def asset(self, id: int) -> Asset:
        return _one(Asset, self._desk.asset(int(id)))

    def asset_by_serial(self, serial_number: str) -> Optional[Asset]:
        return _one(Asset, self._desk.asset_by_serial(serial_number))

    def assets_of(self, account: Any) -> List[Asset]:
        return _many(Asset, self._desk.assets_of(_id(account)))

    def set_asset_status(self, id: int, status: str, now: Optional[_dt.datetime] = None) -> Asset:
        """``active``, ``in_repair`` or ``retired``."""
        return _one(Asset, self._desk.set_asset_status(_id(id), status, _now(now)))

    def add_warranty(
        self,
        asset: Any,
        starts_on: _dt.date,
        ends_on: _dt.date,
        terms: str,
        now: Optional[_dt.datetime] = None,
    ) -> Warranty:
        return _one(
            Warranty,
            self._desk.add_warranty(
                _id(asset), _day(starts_on, "starts_on"), _day(ends_on, "ends_on"), terms, _now(now)
            ),
        )

    def create_contract(
        self,
        name: str,
        account: Any,
        starts_on: _dt.date,
        ends_on: _dt.date,
        *,
        assets: Iterable[Any] = (),
        products: Iterable[str] = (),
        cases: Optional[int] = None,
        hours: Any = None,
        sla_policy: Optional[str] = None,
        now: Optional[_dt.datetime] = None,
    ) -> Contract:
        """A service contract covering ``assets`` (by id) and/or every asset of the
        account with one of ``products``; ``cases`` / ``hours`` limit the entitlement
        (``None``: unlimited); ``sla_policy`` names the policy its cases are worked under."""
        new = {
            "name": name,
            "account": _id(account),
            "starts_on": _day(starts_on, "starts_on"),
            "ends_on": _day(ends_on, "ends_on"),
            "assets": [_id(a) for a in assets],
            "products": list(products),
            "entitlement": {
                "cases": cases,
                "hours": None if hours is None else _hours(hours),
            },
            "sla_policy": sla_policy,
        }
        return _one(Contract, self._desk.create_contract(json.dumps(new), _now(now)))

    def contract(self, id: int) -> Contract:
        return _one(Contract, self._desk.contract(int(id)))

    def cancel_contract(self, id: int, now: Optional[_dt.datetime] = None) -> Contract:
        return _one(Contract, self._desk.cancel_contract(_id(id), _now(now)))

    def coverage(self, asset: Any, on: Optional[_dt.date] = None) -> Coverage:
        """Whether ``asset`` is covered on ``on`` (default today, UTC) and by which
        warranties and contracts, with what is left of each entitlement."""
        day = on if on is not None else _dt.datetime.now(_dt.timezone.utc).date()
        return _one(Coverage, self._desk.coverage(_id(asset), _day(day, "on")))

    # ---- cases ---------------------------------------------------------------------------

    def open_case(
        self,
        subject: str,
        *,
        channel: str,
        category: str,
        priority: str = "normal",
        description: str = "",
        account: Any = None,
        contact: Any = None,
        asset: Any = None,
        contract: Any = None,
        owner: Optional[str] = None,
        now: Optional[_dt.datetime] = None,
    ) -> Case:
        """Opens a case (``channel``: phone, email, web, chat, on_site; ``category``:
        complaint, question, incident, request; ``priority``: low, normal, high, urgent).
        The account defaults to the asset's owner and a covering contract is linked."""
        new = {
            "subject": subject,
            "description": description,
            "channel": channel,
            "category": category,
            "priority": priority,
            "account": _opt_id(account),
            "contact": _opt_id(contact),
            "asset": _opt_id(asset),
            "contract": _opt_id(contract),
            "owner": owner,
        }
        return _one(Case, self._desk.open_case(json.dumps(new), _now(now)))

    def case(self, id: int) -> Case:
        return _one(Case, self._desk.case(int(id)))

    def case_by_number(self, number: str) -> Case:
        """The case with tracking number ``CASE-YYYY-NNNNNN``."""
        return _one(Case, self._desk.case_by_number(number))

    def cases_of(self, account: Any) -> List[Case]:
        return _many(Case, self._desk.cases_of(_id(account)))

    def active_cases(self) -> List[Case]:
        """Cases not closed."""
        return _many(Case, self._desk.active_cases())

    def set_case_status(self, id: Any, status: str, now: Optional[_dt.datetime] = None) -> Case:
        """``open``, ``pending_customer``, ``on_hold``, ``resolved``, ``closed`` or
        ``reopened`` (a resolved case); the lifecycle refuses the rest."""
        return _one(Case, self._desk.set_case_status(_id(id), status, _now(now)))

    def set_case_priority(self, id: Any, priority: str, now: Optional[_dt.datetime] = None) -> Case:
        return _one(Case, self._desk.set_case_priority(_id(id), priority, _now(now)))

    def comment_on_case(
        self,
        id: Any,
        body: str,
        *,
        author: str,
        name: str = "",
        public: bool = True,
        at: Optional[_dt.datetime] = None,
    ) -> Case:
        """Adds a comment by ``author`` (``agent`` or ``customer``). A public agent reply
        answers the customer (first / next response); a customer reply on a case pending
        the customer opens it again."""
        comment = {"author": author, "name": name, "public": bool(public), "body": body, "at": _now(at)}
        return _one(Case, self._desk.comment_on_case(_id(id), json.dumps(comment)))

    def case_sla(self, id: Any, at: Optional[_dt.datetime] = None) -> CaseSla:
        """The case's SLA at ``at``: its policy, each metric's cycles, due instants and
        state."""
        return _one(CaseSla, self._desk.case_sla(_id(id), _now(at)))

    def sla_report(self, at: Optional[_dt.datetime] = None) -> List[CaseSla]:
        """The SLA of every case not closed."""
        return _many(CaseSla, self._desk.sla_report(_now(at)))

    def sla_frame(self, at: Optional[_dt.datetime] = None) -> Any:
        """:meth:`sla_report` as a pandas DataFrame: one row per case and metric (case,
        policy, metric, state, due_at, elapsed / remaining / target seconds, paused,
        completed and breached cycles)."""
        import pandas as pd

        rows = []
        for sla in self.sla_report(at):
            for m in sla.metrics:
                o = m.ongoing
                rows.append(
                    {
                        "case": sla.case,
                        "policy": sla.policy,
                        "metric": m.metric,
                        "state": m.state,
                        "due_at": None if o is None else o.due_at,
                        "elapsed_seconds": None if o is None else o.elapsed_seconds,
                        "remaining_seconds": None if o is None else o.remaining_seconds,
                        "target_seconds": None if o is None else o.target_seconds,
                        "paused": None if o is None else o.paused,
                        "completed_cycles": len(m.completed),
                        "breached_cycles": sum(c.breached for c in m.completed),
                    }
                )
        columns = [
            "case", "policy", "metric", "state", "due_at", "elapsed_seconds",
            "remaining_seconds", "target_seconds", "paused", "completed_cycles", "breached_cycles",
        ]
        frame = pd.DataFrame(rows, columns=columns)
        frame["due_at"] = pd.to_datetime(frame["due_at"], utc=True)
        for name in ("elapsed_seconds", "remaining_seconds", "target_seconds"):
            frame[name] = frame[name].astype("Int64")
        frame["paused"] = frame["paused"].astype("boolean")
        return frame

    def check_slas(self, at: Optional[_dt.datetime] = None) -> List[SlaAlert]:
        """Raises every SLA warning and breach due at ``at`` once (an ``SlaWarning`` /
        ``SlaBreached`` event each) and returns those raised by this call."""
        return _many(SlaAlert, self._desk.check_slas(_now(at)))

    # ---- field service -------------------------------------------------------------------

    def define_technician(
        self,
        name: str,
        *,
        skills: Iterable[str] = (),
        calendar: str,
        now: Optional[_dt.datetime] = None,
    ) -> Technician:
        """A technician working on the calendar called ``calendar``."""
        new = {"name": name, "skills": list(skills), "calendar": calendar}
        return _one(Technician, self._desk.define_technician(json.dumps(new), _now(now)))

    def technicians(self) -> List[Technician]:
        return _many(Technician, self._desk.technicians())

    def create_service_order(
        self,
        work: str,
        *,
        duration_minutes: int,
        earliest_start: _dt.datetime,
        skills: Iterable[str] = (),
        due_by: Optional[_dt.datetime] = None,
        priority: str = "normal",
        account: Any = None,
        asset: Any = None,
        case: Any = None,
        now: Optional[_dt.datetime] = None,
    ) -> ServiceOrder:
        """Work to be done in one stretch of ``duration_minutes`` by a technician with
        every skill in ``skills``, from ``earliest_start`` and by ``due_by``."""
        new = {
            "work": work,
            "skills": list(skills),
            "duration_minutes": int(duration_minutes),
            "earliest_start": format_instant(earliest_start),
            "due_by": None if due_by is None else format_instant(due_by),
            "priority": priority,
            "account": _opt_id(account),
            "asset": _opt_id(asset),
            "case": _opt_id(case),
        }
        return _one(ServiceOrder, self._desk.create_service_order(json.dumps(new), _now(now)))

    def service_order(self, id: int) -> ServiceOrder:
        return _one(ServiceOrder, self._desk.service_order(int(id)))

    def orders_of_technician(self, technician: Any) -> List[ServiceOrder]:
        return _many(ServiceOrder, self._desk.orders_of_technician(_id(technician)))

    def schedule_service_orders(
        self, start: _dt.datetime, until: _dt.datetime, now: Optional[_dt.datetime] = None
    ) -> Schedule:
        """Assigns every open order to a qualified, free technician within ``start`` …
        ``until`` (greedy, earliest finish first; see crm-core's ``service::field``) and
        reports the orders it could not place, with the reason."""
        data = json.loads(
            self._desk.schedule_service_orders(format_instant(start), format_instant(until), _now(now))
        )
        data["placed"] = [{"order": order, **slot} for order, slot in data["placed"]]
        return Schedule.from_json(data)

    def complete_service_order(self, id: Any, hours: Any, now: Optional[_dt.datetime] = None) -> ServiceOrder:
        """Marks an order done with the ``hours`` worked (a Decimal or decimal string),
        counted against the covering contract's entitlement."""
        return _one(ServiceOrder, self._desk.complete_service_order(_id(id), _hours(hours), _now(now)))

    def cancel_service_order(self, id: Any, now: Optional[_dt.datetime] = None) -> ServiceOrder:
        return _one(ServiceOrder, self._desk.cancel_service_order(_id(id), _now(now)))

    def define_maintenance_plan(
        self,
        asset: Any,
        work: str,
        *,
        duration_minutes: int,
        every: int,
        unit: str,
        first_due: _dt.date,
        skills: Iterable[str] = (),
        until: Optional[_dt.date] = None,
        window_days: int = 0,
        now: Optional[_dt.datetime] = None,
    ) -> MaintenancePlan:
        """Recurring maintenance on an asset: a visit every ``every`` ``unit`` (``days``,
        ``weeks``, ``months``) from ``first_due``, each to be done within ``window_days``."""
        plan = {
            "asset": _opt_id(asset),
            "work": work,
            "skills": list(skills),
            "duration_minutes": int(duration_minutes),
            "every": int(every),
            "unit": unit,
            "first_due": _day(first_due, "first_due"),
            "until": None if until is None else _day(until, "until"),
            "window_days": int(window_days),
        }
        return _one(MaintenancePlan, self._desk.define_maintenance_plan(json.dumps(plan), _now(now)))

    def generate_maintenance_orders(
        self, through: _dt.date, now: Optional[_dt.datetime] = None
    ) -> List[ServiceOrder]:
        """Service orders for every planned visit due by ``through`` (each visit once)."""
        return _many(ServiceOrder, self._desk.generate_maintenance_orders(_day(through, "through"), _now(now)))

    # ---- knowledge base ------------------------------------------------------------------

    def write_article(
        self,
        title: str,
        body: str,
        *,
        tags: Sequence[str] = (),
        products: Sequence[str] = (),
        status: str = "published",
        now: Optional[_dt.datetime] = None,
    ) -> Article:
        """A knowledge-base article (``draft``, ``published`` or ``archived``)."""
        content = {"title": title, "body": body, "tags": list(tags), "products": list(products)}
        return _one(Article, self._desk.write_article(json.dumps(content), status, _now(now)))

    def update_article(
        self,
        id: Any,
        *,
        title: Optional[str] = None,
        body: Optional[str] = None,
        tags: Optional[Sequence[str]] = None,
        products: Optional[Sequence[str]] = None,
        status: Optional[str] = None,
        now: Optional[_dt.datetime] = None,
    ) -> Article:
        """Changes an article: the fields given replace the article's, the rest stay (one
        transaction in crm-core, under the article's version)."""
        change = {
            "title": title,
            "body": body,
            "tags": None if tags is None else list(tags),
            "products": None if products is None else list(products),
            "status": status,
        }
        return _one(Article, self._desk.update_article(_id(id), json.dumps(change), _now(now)))

    def article(self, id: int) -> Article:
        return _one(Article, self._desk.article(int(id)))

    def search_articles(
        self, query: str, *, tag: Optional[str] = None, product: Optional[str] = None, k: int = 10
    ) -> List[SearchHit]:
        """The best ``k`` published articles for ``query`` (BM25), optionally only those
        with ``tag`` or about ``product``."""
        if k < 0:
            raise InputError("k must not be negative")
        return _many(SearchHit, self._desk.search_articles(query, tag, product, int(k)))
