"""The CRM from Python: :class:`Crm` over crm-core's use cases on the embedded SQLite store.

Every call takes keyword arguments, returns typed records (:mod:`crm_core.records`) and
raises :class:`~crm_core.errors.CrmError` subclasses. ``now`` (or ``at``) is an explicit,
timezone-aware ``datetime``; it defaults to the current UTC time.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from collections import namedtuple
from decimal import Decimal
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Type, Union

import numpy as np

from . import _crm_core
from .errors import InputError
from .quotes import decimal_text, quote_content
from .marketing import Marketing
from .service_desk import ServiceDesk
from .records import (
    Configuration,
    PriceBook,
    Product,
    Quote,
    SalesOrder,
    Account,
    Activity,
    Captured,
    Contact,
    Conversion,
    DuplicateMatch,
    Event,
    ExchangeRate,
    Forecast,
    ImportReport,
    Lead,
    LeadData,
    Money,
    Opportunity,
    Pipeline,
    Purchase,
    Record,
    RescoreReport,
    Touchpoint,
    WebForm,
    format_instant,
)
from .records import many as _many, now_text as _now, one as _one

__all__ = ["Crm", "TrainingSet", "Subject"]

#: A record reference: a record (Lead, Contact, Account, Opportunity) or ``("lead", 3)``.
Subject = Union[Record, Tuple[str, int]]

TrainingSet = namedtuple("TrainingSet", ["X", "y", "lead_ids", "columns", "spec"])
TrainingSet.__doc__ = """Features (a DataFrame if pandas is installed, else a numpy array),
0/1 labels, the id of each row's lead, the column names and the learned feature spec."""

_KINDS: Dict[type, str] = {
    Lead: "lead",
    Contact: "contact",
    Account: "account",
    Opportunity: "opportunity",
}



def _subject(subject: Subject) -> str:
    if isinstance(subject, tuple) and len(subject) == 2:
        kind, id_ = subject
    else:
        found = _KINDS.get(type(subject))
        if found is None:
            raise InputError(
                f"a subject is a Lead, Contact, Account or Opportunity, or ('lead', id); "
                f"got {type(subject).__name__}"
            )
        kind, id_ = found, getattr(subject, "id")
    return json.dumps({"kind": kind, "id": int(id_)})


def _money(value: Any) -> Optional[Dict[str, str]]:
    if value is None:
        return None
    if isinstance(value, Money):
        return value.to_json()
    if isinstance(value, tuple) and len(value) == 2:
        return {"amount": str(Decimal(str(value[0]))), "currency": str(value[1])}
    raise InputError(f"money is a Money or (amount, currency), got {value!r}")


def _seconds(value: Any) -> int:
    if isinstance(value, _dt.timedelta):
        return int(value.total_seconds())
    return int(value)


def _clean(d: Dict[str, Any]) -> Dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None}




class Crm(ServiceDesk, Marketing):
    """A CRM on the embedded SQLite store. Use :meth:`open` or :meth:`in_memory`."""

    def __init__(self, native: _crm_core.NativeCrm) -> None:
        self._native = native

    @classmethod
    def open(cls, path: Union[str, "os.PathLike[str]"], region: str = "US") -> "Crm":
        """Opens (or creates) the SQLite file at ``path``; national phone numbers are read
        in ``region`` (ISO 3166 code)."""
        return cls(_crm_core.NativeCrm.open(os.fspath(path), region))

    @classmethod
    def in_memory(cls, region: str = "US") -> "Crm":
        """A CRM kept in memory (for tests and notebooks)."""
        return cls(_crm_core.NativeCrm.in_memory(region))

    @property
    def default_region(self) -> str:
        return self._native.default_region

    # ---- leads -------------------------------------------------------------------------
    def capture_lead(self, now: Optional[_dt.datetime] = None, **fields: Any) -> Captured:
        """Captures a lead typed in by a person. Keyword arguments are lead fields
        (``first_name``, ``last_name``, ``full_name``, ``company``, ``job_title``, ``email``,
        ``phone``, ``website``, address, demographics, attribution, ``owner``,
        ``description``, ``rating``) or ``custom={"name": value}``; every problem of the
        input is listed by one :class:`~crm_core.ValidationError`."""
        custom = fields.pop("custom", None) or {}
        values = {k: str(v) for k, v in fields.items() if v is not None}
        values.update({f"custom:{k}": str(v) for k, v in custom.items()})
        return _one(Captured, self._native.capture_lead(json.dumps({"values": values}), _now(now)))

    def define_web_form(
        self,
        name: str,
        fields: Sequence[Union[Tuple[str, str, bool], Mapping[str, Any]]],
        *,
        honeypot: Optional[str] = None,
        resubmission_window: Union[_dt.timedelta, int] = 0,
        min_fill_time: Union[_dt.timedelta, int, None] = None,
        defaults: Optional[Mapping[str, str]] = None,
        region: Optional[str] = None,
        now: Optional[_dt.datetime] = None,
    ) -> WebForm:
        """Defines a web form: ``fields`` are ``(form field, lead field, required)``."""
        spec = {
            "name": name,
            "fields": [
                dict(f) if isinstance(f, Mapping) else {"name": f[0], "maps_to": f[1], "required": bool(f[2])}
                for f in fields
            ],
            "honeypot": honeypot,
            "resubmission_window_secs": _seconds(resubmission_window),
            "min_fill_secs": None if min_fill_time is None else _seconds(min_fill_time),
            "default_region": region or self.default_region,
            "defaults": dict(defaults or {}),
        }
        return _one(WebForm, self._native.define_web_form(json.dumps(spec), _now(now)))

    def web_form_named(self, name: str) -> Optional[WebForm]:
        return _one(WebForm, self._native.web_form_named(name))

    def submit_web_form(
        self,
        form: Union[int, WebForm],
        fields: Mapping[str, str],
        *,
        submitted_at: Optional[_dt.datetime] = None,
        rendered_at: Optional[_dt.datetime] = None,
    ) -> Captured:
        """Takes a submission (spam, duplicates within the form's window and invalid input
        raise :class:`~crm_core.SpamError`, :class:`~crm_core.DuplicateError`,
        :class:`~crm_core.ValidationError`)."""
        form_id = form.id if isinstance(form, WebForm) else int(form)
        submission = _clean(
            {
                "fields": {k: str(v) for k, v in fields.items()},
                "submitted_at": _now(submitted_at),
                "rendered_at": None if rendered_at is None else format_instant(rendered_at),
            }
        )
        return _one(Captured, self._native.submit_web_form(form_id, json.dumps(submission)))

    def import_leads_csv(
        self,
        source: Union[str, "os.PathLike[str]", bytes],
        *,
        columns: Optional[Mapping[str, str]] = None,
        guess_others: bool = True,
        delimiter: str = ",",
        encoding: str = "utf8",
        batch_label: Optional[str] = None,
        batch_size: int = 500,
        duplicates: str = "skip",
        max_reported: int = 1000,
        progress: Optional[Callable[[Dict[str, int]], Any]] = None,
        now: Optional[_dt.datetime] = None,
    ) -> ImportReport:
        """Imports leads from a CSV file (a path, or the bytes). Headers are guessed
        (``E-mail`` → email…) unless ``columns`` maps them (``{"Branche": "custom:industry"}``);
        bad rows are reported, not imported; ``duplicates`` is ``"skip"`` or ``"keep"``;
        ``progress`` is called with the counts after each batch (one transaction each)."""
        if isinstance(source, bytes):
            data, label = source, batch_label or "csv"
        else:
            with open(source, "rb") as f:
                data = f.read()
            label = batch_label or os.path.basename(os.fspath(source))
        if len(delimiter) != 1 or not delimiter.isascii():
            raise InputError(f"delimiter must be one ASCII character, got {delimiter!r}")
        mapping = {
            "columns": [[k, v] for k, v in (columns or {}).items()],
            "guess_others": bool(guess_others) or not columns,
            "default_region": self.default_region,
            "delimiter": ord(delimiter),
            "encoding": encoding,
        }
        options = {
            "batch_label": label,
            "batch_size": int(batch_size),
            "duplicates": duplicates,
            "max_reported": int(max_reported),
        }
        callback = None if progress is None else (lambda text: progress(json.loads(text)))
        return _one(
            ImportReport,
            self._native.import_leads_csv(data, json.dumps(mapping), json.dumps(options), _now(now), callback),
        )

    def lead(self, id: int) -> Lead:
        return _one(Lead, self._native.lead(int(id)))

    def leads(self, status: Optional[str] = None) -> List[Lead]:
        """All leads, or those with ``status`` (new, working, qualified, disqualified,
        converted)."""
        text = self._native.leads() if status is None else self._native.leads_with_status(status)
        return _many(Lead, text)

    def update_lead(
        self,
        id: int,
        expected_version: int,
        data: Union[LeadData, Mapping[str, Any]],
        now: Optional[_dt.datetime] = None,
    ) -> Lead:
        """Saves an edit of a lead's data made on ``expected_version`` (the version read):
        ``ConflictError`` when someone changed the lead since — reload and edit again."""
        plain = data.to_dict() if isinstance(data, LeadData) else dict(data)
        payload = json.dumps({k: v for k, v in plain.items() if v is not None}, default=str)
        return _one(Lead, self._native.update_lead(int(id), int(expected_version), payload, _now(now)))

    def start_working(self, id: int, now: Optional[_dt.datetime] = None) -> Lead:
        return _one(Lead, self._native.start_working(int(id), _now(now)))

    def qualify(self, id: int, now: Optional[_dt.datetime] = None) -> Lead:
        return _one(Lead, self._native.qualify(int(id), _now(now)))

    def disqualify(self, id: int, reason: str, now: Optional[_dt.datetime] = None) -> Lead:
        return _one(Lead, self._native.disqualify(int(id), reason, _now(now)))

    def set_lead_score(
        self, id: int, score: float, rating: Optional[str] = None, now: Optional[_dt.datetime] = None
    ) -> Lead:
        return _one(Lead, self._native.set_lead_score(int(id), float(score), rating, _now(now)))

    def duplicates_of_lead(self, id: int) -> List[DuplicateMatch]:
        return _many(DuplicateMatch, self._native.duplicates_of_lead(int(id)))

    def convert_lead(
        self,
        id: int,
        *,
        account: Union[None, str, int] = None,
        contact: Union[None, str, int] = None,
        opportunity: Optional[Mapping[str, Any]] = None,
        now: Optional[_dt.datetime] = None,
    ) -> Conversion:
        """Converts a qualified lead: ``account`` / ``contact`` are ``None`` (find a match or
        create), ``"new"`` or an existing id; ``opportunity`` (optional) has ``pipeline``,
        ``amount`` (Money or ``(amount, currency)``), ``expected_close`` (date) and optionally
        ``name``, ``stage``, ``products``."""

        def link(v: Union[None, str, int]) -> Dict[str, Any]:
            if v is None or v == "auto":
                return {"choice": "auto"}
            if v == "new":
                return {"choice": "new"}
            return {"choice": "existing", "id": int(v)}

        options: Dict[str, Any] = {"account": link(account), "contact": link(contact)}
        if opportunity is not None:
            o = dict(opportunity)
            pipeline = o["pipeline"]
            options["opportunity"] = _clean(
                {
                    "name": o.get("name"),
                    "pipeline": pipeline.id if isinstance(pipeline, Pipeline) else int(pipeline),
                    "stage": o.get("stage"),
                    "amount": _money(o["amount"]),
                    "expected_close": o["expected_close"].isoformat(),
                    "products": list(o.get("products", [])),
                }
            )
        return _one(Conversion, self._native.convert_lead(int(id), json.dumps(options), _now(now)))

    # ---- touchpoints ---------------------------------------------------------------------
    def record_touchpoint(
        self,
        subject: Subject,
        kind: str,
        *,
        at: Optional[_dt.datetime] = None,
        attribution: Optional[Mapping[str, str]] = None,
        now: Optional[_dt.datetime] = None,
        **details: Any,
    ) -> Touchpoint:
        """Records what a prospect did: ``kind`` is ad_click, affiliate_click, email_click
        (``email``, ``url``), form_submission (``form``), web_visit (``url``,
        ``duration_secs``), on_site_visit (``place``…) or phone_call (``direction``,
        ``duration_secs``, ``outcome``)."""
        touch = {
            "subject": json.loads(_subject(subject)),
            "at": _now(at if at is not None else now),
            "kind": {"kind": kind, **details},
            "attribution": dict(attribution or {}),
        }
        return _one(Touchpoint, self._native.record_touchpoint(json.dumps(touch), _now(now)))

    def touchpoints_of(self, subject: Subject) -> List[Touchpoint]:
        return _many(Touchpoint, self._native.touchpoints_of(_subject(subject)))

    # ---- accounts, contacts, purchases ---------------------------------------------------
    def create_account(self, name: str, now: Optional[_dt.datetime] = None, **fields: Any) -> Account:
        """Creates an account (``domain``, ``phone``, ``address``, ``industry``, ``owner``)."""
        return _one(Account, self._native.create_account(json.dumps(_clean({"name": name, **fields})), _now(now)))

    def create_contact(self, now: Optional[_dt.datetime] = None, **fields: Any) -> Contact:
        """Creates a contact (``account``, ``first_name``, ``last_name``, ``job_title``,
        ``email``, ``phones``, ``addresses``, ``best_time_to_call``, ``owner``…)."""
        return _one(Contact, self._native.create_contact(json.dumps(_clean(fields)), _now(now)))

    def account(self, id: int) -> Account:
        return _one(Account, self._native.account(int(id)))

    def accounts(self) -> List[Account]:
        return _many(Account, self._native.accounts())

    def contact(self, id: int) -> Contact:
        return _one(Contact, self._native.contact(int(id)))

    def contacts(self, account: Optional[int] = None) -> List[Contact]:
        if account is None:
            return _many(Contact, self._native.contacts())
        return _many(Contact, self._native.contacts_of(int(account)))

    def record_purchase(
        self,
        contact: Union[int, Contact],
        product: str,
        *,
        quantity: Any,
        unit_price: Any,
        purchased_at: Optional[_dt.datetime] = None,
        sales_rep: Optional[str] = None,
        special_instructions: Optional[str] = None,
        feedback: Optional[Mapping[str, Any]] = None,
        now: Optional[_dt.datetime] = None,
    ) -> Purchase:
        """Records a purchase by a contact (``unit_price``: Money or ``(amount, currency)``)."""
        new = _clean(
            {
                "contact": contact.id if isinstance(contact, Contact) else int(contact),
                "product": product,
                "purchased_at": _now(purchased_at if purchased_at is not None else now),
                "sales_rep": sales_rep,
                "quantity": str(Decimal(str(quantity))),
                "unit_price": _money(unit_price),
                "special_instructions": special_instructions,
                "feedback": dict(feedback) if feedback else None,
            }
        )
        return _one(Purchase, self._native.record_purchase(json.dumps(new), _now(now)))

    def purchases_of(self, contact: Union[int, Contact]) -> List[Purchase]:
        cid = contact.id if isinstance(contact, Contact) else int(contact)
        return _many(Purchase, self._native.purchases_of(cid))

    # ---- sales -----------------------------------------------------------------------------
    def define_pipeline(
        self,
        name: str,
        stages: Optional[Sequence[Tuple[str, Any, str]]] = None,
        now: Optional[_dt.datetime] = None,
    ) -> Pipeline:
        """Defines a pipeline: ``stages`` are ``(name, probability %, kind)`` with kind
        open, won or lost (None: Prospecting … Won, Lost)."""
        payload = None if stages is None else [
            {"name": n, "probability": str(Decimal(str(p))), "kind": k} for n, p, k in stages
        ]
        return _one(Pipeline, self._native.define_pipeline(name, json.dumps(payload), _now(now)))

    def pipeline_named(self, name: str) -> Optional[Pipeline]:
        return _one(Pipeline, self._native.pipeline_named(name))

    def open_opportunity(
        self,
        name: str,
        *,
        account: Union[int, Account],
        pipeline: Union[int, Pipeline],
        amount: Any,
        expected_close: _dt.date,
        contact: Optional[int] = None,
        stage: Optional[str] = None,
        owner: Optional[str] = None,
        products: Iterable[str] = (),
        now: Optional[_dt.datetime] = None,
    ) -> Opportunity:
        new = _clean(
            {
                "name": name,
                "account": account.id if isinstance(account, Account) else int(account),
                "contact": contact,
                "pipeline": pipeline.id if isinstance(pipeline, Pipeline) else int(pipeline),
                "stage": stage,
                "amount": _money(amount),
                "expected_close": expected_close.isoformat(),
                "owner": owner,
                "products": list(products),
            }
        )
        return _one(Opportunity, self._native.open_opportunity(json.dumps(new), _now(now)))

    def advance_opportunity(self, id: int, stage: str, now: Optional[_dt.datetime] = None) -> Opportunity:
        return _one(Opportunity, self._native.advance_opportunity(int(id), stage, _now(now)))

    def win_opportunity(self, id: int, amount: Any = None, now: Optional[_dt.datetime] = None) -> Opportunity:
        return _one(Opportunity, self._native.win_opportunity(int(id), json.dumps(_money(amount)), _now(now)))

    def lose_opportunity(self, id: int, reason: str, now: Optional[_dt.datetime] = None) -> Opportunity:
        return _one(Opportunity, self._native.lose_opportunity(int(id), reason, _now(now)))

    def opportunity(self, id: int) -> Opportunity:
        return _one(Opportunity, self._native.opportunity(int(id)))

    def opportunities(self) -> List[Opportunity]:
        return _many(Opportunity, self._native.opportunities())

    def log_activity(
        self,
        kind: str,
        subject: Subject,
        title: str,
        *,
        notes: Optional[str] = None,
        owner: Optional[str] = None,
        due_at: Optional[_dt.datetime] = None,
        duration_minutes: Optional[int] = None,
        now: Optional[_dt.datetime] = None,
    ) -> Activity:
        """Logs a call, meeting, email, task… on a lead, contact, account or opportunity."""
        new = _clean(
            {
                "kind": kind,
                "subject": json.loads(_subject(subject)),
                "title": title,
                "notes": notes,
                "owner": owner,
                "due_at": None if due_at is None else format_instant(due_at),
                "duration_minutes": duration_minutes,
            }
        )
        return _one(Activity, self._native.log_activity(json.dumps(new), _now(now)))

    def complete_activity(
        self, id: int, outcome: Optional[str] = None, now: Optional[_dt.datetime] = None
    ) -> Activity:
        return _one(Activity, self._native.complete_activity(int(id), outcome, _now(now)))

    def activities_of(self, subject: Subject) -> List[Activity]:
        return _many(Activity, self._native.activities_of(_subject(subject)))

    def overdue_activities(self, owner: str, now: Optional[_dt.datetime] = None) -> List[Activity]:
        return _many(Activity, self._native.overdue_activities(owner, _now(now)))

    def set_exchange_rate(
        self, from_currency: str, to_currency: str, on: _dt.date, rate: Any, now: Optional[_dt.datetime] = None
    ) -> ExchangeRate:
        """One ``from_currency`` is worth ``rate`` ``to_currency`` from day ``on``."""
        return _one(
            ExchangeRate,
            self._native.set_exchange_rate(from_currency, to_currency, on.isoformat(), str(rate), _now(now)),
        )

    def forecast(self, currency: str, period: str = "quarter", as_of: Optional[_dt.date] = None) -> Forecast:
        """The weighted pipeline by period (month, quarter, year) and owner in ``currency``."""
        day = as_of if as_of is not None else _dt.datetime.now(_dt.timezone.utc).date()
        return _one(Forecast, self._native.forecast(currency, json.dumps(period), day.isoformat()))

    def events_since(self, after_sequence: int = 0, limit: int = 1000) -> List[Event]:
        """Domain events after ``after_sequence``, in order (at most ``limit``)."""
        return _many(Event, self._native.events_since(int(after_sequence), int(limit)))

    # ---- quotes ------------------------------------------------------------------------------
    def define_product(
        self,
        sku: str,
        name: str,
        *,
        unit: str = "each",
        active: bool = True,
        option_groups: Sequence[Mapping[str, Any]] = (),
        constraints: Sequence[Mapping[str, Any]] = (),
        now: Optional[_dt.datetime] = None,
    ) -> Product:
        """Adds a product: ``option_groups`` are ``{"name", "choice": "single" | "multiple",
        "required", "options": [{"code", "name", "price_delta"}]}``, ``constraints``
        ``{"rule": "requires" | "excludes", "option", "requires" | "excludes"}``."""
        groups = []
        for g in option_groups:
            g = dict(g)
            g["options"] = [
                {**o, "price_delta": decimal_text(o.get("price_delta", "0"), "price_delta")}
                for o in g.get("options", [])
            ]
            groups.append(g)
        product = {
            "sku": sku,
            "name": name,
            "unit": unit,
            "active": active,
            "option_groups": groups,
            "constraints": [dict(c) for c in constraints],
        }
        return _one(Product, self._native.define_product(json.dumps(product), _now(now)))

    def product(self, sku: str) -> Optional[Product]:
        return _one(Product, self._native.product(sku))

    def define_price_book(
        self,
        name: str,
        currency: str,
        entries: Sequence[Tuple[str, Any, _dt.date, Optional[_dt.date]]],
        now: Optional[_dt.datetime] = None,
    ) -> PriceBook:
        """Defines a price book: ``entries`` are ``(sku, list price, valid from, valid to
        or None)``."""
        book = {
            "name": name,
            "currency": currency,
            "entries": [
                {
                    "sku": sku,
                    "list_price": decimal_text(price, "list_price"),
                    "valid_from": start.isoformat(),
                    "valid_to": None if end is None else end.isoformat(),
                }
                for sku, price, start, end in entries
            ],
        }
        return _one(PriceBook, self._native.define_price_book(json.dumps(book), _now(now)))

    def price_book(self, name: str) -> Optional[PriceBook]:
        return _one(PriceBook, self._native.price_book(name))

    def configure_product(
        self, sku: str, options: Sequence[str], price_book: str, on: Optional[_dt.date] = None
    ) -> Configuration:
        """Configures a product; every violated rule is named by one ValidationError."""
        day = on if on is not None else _dt.datetime.now(_dt.timezone.utc).date()
        return _one(
            Configuration,
            self._native.configure_product(sku, list(options), price_book, day.isoformat()),
        )

    def create_quote(self, now: Optional[_dt.datetime] = None, **content: Any) -> Quote:
        """Creates a quote (a draft, revision 1): ``account``, ``currency``,
        ``valid_until``, ``lines`` (:func:`crm_core.quotes.line`), ``taxes``
        (:func:`crm_core.quotes.tax`), ``rounding`` (required: ``("half_up", "per_line")``…),
        optionally ``opportunity`` and ``document_discount_percent``."""
        text = json.dumps(quote_content(**content))
        return _one(Quote, self._native.create_quote(text, _now(now)))

    def revise_quote(self, id: int, now: Optional[_dt.datetime] = None, **content: Any) -> Quote:
        """A new draft revision with this content; the earlier one stays as it was."""
        text = json.dumps(quote_content(**content))
        return _one(Quote, self._native.revise_quote(int(id), text, _now(now)))

    def send_quote(self, id: int, now: Optional[_dt.datetime] = None) -> Quote:
        return _one(Quote, self._native.send_quote(int(id), _now(now)))

    def accept_quote(self, id: int, now: Optional[_dt.datetime] = None) -> Quote:
        """Records the acceptance (refused past the quote's validity at ``now``)."""
        return _one(Quote, self._native.accept_quote(int(id), _now(now)))

    def reject_quote(self, id: int, reason: str, now: Optional[_dt.datetime] = None) -> Quote:
        return _one(Quote, self._native.reject_quote(int(id), reason, _now(now)))

    def expire_quotes(self, now: Optional[_dt.datetime] = None) -> List[Quote]:
        return _many(Quote, self._native.expire_quotes(_now(now)))

    def quote(self, id: int) -> Quote:
        return _one(Quote, self._native.quote(int(id)))

    def quote_revisions(self, number: int) -> List[Quote]:
        return _many(Quote, self._native.quote_revisions(int(number)))

    def quotes_of(self, opportunity: int) -> List[Quote]:
        return _many(Quote, self._native.quotes_of(int(opportunity)))

    def convert_quote_to_order(self, id: int, now: Optional[_dt.datetime] = None) -> SalesOrder:
        """The sales order of an accepted quote (once per quote)."""
        return _one(SalesOrder, self._native.convert_quote_to_order(int(id), _now(now)))

    def sales_order(self, id: int) -> SalesOrder:
        return _one(SalesOrder, self._native.sales_order(int(id)))

    def sales_orders(self) -> List[SalesOrder]:
        return _many(SalesOrder, self._native.sales_orders())

    def sales_order_payload(self, id: int) -> Dict[str, Any]:
        """The ERP hand-off payload (versioned JSON; amounts as decimal strings)."""
        return json.loads(self._native.sales_order_payload(int(id)), parse_float=Decimal)

    def follow_quote_amount(self, id: int, now: Optional[_dt.datetime] = None) -> Opportunity:
        """Sets the quote's opportunity's amount to the quote's subtotal."""
        return _one(Opportunity, self._native.follow_quote_amount(int(id), _now(now)))

    # ---- scoring on stored leads -------------------------------------------------------------
    def rescore_leads(
        self,
        rules: Union[str, Mapping[str, Any], Any],
        *,
        features: Optional[Mapping[str, Any]] = None,
        now: Optional[_dt.datetime] = None,
    ) -> RescoreReport:
        """Re-scores every open lead with a rule set (JSON text or a dict), a
        :class:`~crm_core.ModelFile`, or a fitted :class:`~crm_core.LogisticLeadScorer`
        with the ``features`` spec it was trained on (``training_set(...).spec``). Score and
        rating change only where they differ, each change recorded as an event."""
        from .scoring import LogisticLeadScorer, ModelFile, RuleScorer

        if isinstance(rules, RuleScorer):
            rules = rules.to_json()
        if isinstance(rules, LogisticLeadScorer):
            if features is None:
                raise InputError(
                    "re-scoring with a fitted scorer needs features= (the spec of its training set)"
                )
            rules = rules.to_model_file(features=dict(features))
        if isinstance(rules, ModelFile):
            return _one(RescoreReport, self._native.rescore_leads_with_model(rules, _now(now)))
        text = rules if isinstance(rules, str) else json.dumps(rules)
        return _one(RescoreReport, self._native.rescore_leads(text, _now(now)))

    def features(
        self,
        spec: Union[Mapping[str, Any], Sequence[Mapping[str, Any]]],
        leads: Union[None, str, Sequence[Union[int, Lead]]] = None,
        now: Optional[_dt.datetime] = None,
    ) -> Any:
        """The feature rows of leads at ``now``, built by a feature spec (a training set's
        ``spec``, or a list of features): a DataFrame indexed by lead id (a numpy array
        without pandas). ``leads`` is None (the open leads), a status, or ids / leads."""
        if isinstance(spec, Mapping):
            spec_json = json.dumps(dict(spec))
        else:
            spec_json = json.dumps({"features": list(spec)})
        if leads is None:
            chosen = [l.id for s in ("new", "working", "qualified") for l in self.leads(s)]
            chosen.sort()
        elif isinstance(leads, str):
            chosen = [l.id for l in self.leads(leads)]
        else:
            chosen = [l.id if isinstance(l, Lead) else int(l) for l in leads]
        columns, x = self._native.lead_features(spec_json, chosen, _now(now))
        try:
            import pandas as pd

            return pd.DataFrame(x, columns=columns, index=pd.Index(chosen, name="lead_id"))
        except ImportError:  # pragma: no cover
            return x

    def training_set(self, features: Sequence[Mapping[str, Any]]) -> TrainingSet:
        """Features and won (1) / lost (0) labels of every decided lead, built by the feature
        spec ``features`` (e.g. ``[{"feature": "engagement", "kind": "web_visit",
        "half_life_days": 14}]``); one-hot vocabularies are learned."""
        spec_text, columns, x, y, ids = self._native.training_set(json.dumps({"features": list(features)}))
        try:
            import pandas as pd

            X: Any = pd.DataFrame(x, columns=columns)
        except ImportError:  # pragma: no cover
            X = x
        return TrainingSet(X, y, np.asarray(ids, dtype=np.int64), columns, json.loads(spec_text))
