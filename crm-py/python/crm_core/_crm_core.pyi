"""Native half of crm_core (Rust, pyo3). The Pythonic API is in the package itself."""

from datetime import date, datetime, time
from decimal import Decimal
from os import PathLike
from typing import Any, Callable, Coroutine, Dict, List, Mapping, Optional, Sequence, Tuple, Union, final

import numpy as np
import numpy.typing as npt

from . import records as _r

__all__ = [
    "BusinessCalendar",
    "LogisticModel",
    "MODEL_FORMAT_VERSION",
    "ModelFile",
    "NaiveBayesModel",
    "Crm",
    "Job",
    "Leads",
    "Customers",
    "Sales",
    "Quotes",
    "Service",
    "Desk",
    "Marketing",
    "Scoring",
    "Events",
    "Outbox",
    "Records",
    "CustomFields",
    "Privacy",
    "Duplicates",
    "Access",
    "use_cases",
    "record_classes",
    "surface_schema",
    "to_json",
    "_render_stubs",
    "funnel_columns",
    "performance_columns",
    "pipeline_columns",
    "RuleSet",
    "__version__",
    "_count_copy",
    "_listing_stats",
    "_provoke_panic",
    "_raise_sample_error",
    "calibration",
    "copied_feature_bytes",
    "error_codes",
    "lift_at_k",
    "log_loss",
    "price_document",
    "roc_auc",
]

__version__: str
MODEL_FORMAT_VERSION: int

# A 2-D numpy array, a ("columns", [1-D arrays], [names]) tuple, or an Arrow stream object.
_X = Any
_F64 = npt.NDArray[np.float64]
_Categorical = Sequence[Sequence[Optional[str]]]

def copied_feature_bytes() -> int: ...
def _count_copy(bytes: int) -> None: ...
def _listing_stats() -> tuple[int, int]: ...

@final
class LogisticModel:
    @staticmethod
    def fit(
        x: _X,
        y: _F64,
        sample_weight: Optional[_F64] = None,
        *,
        c: float = 1.0,
        fit_intercept: bool = True,
        max_iter: int = 100,
        tol: float = 1e-8,
        class_weight: Union[None, str, Tuple[float, float]] = None,
    ) -> LogisticModel: ...
    def predict_proba(self, x: _X, threads: int = 1) -> _F64: ...
    def predict_proba_pairs(self, x: _X, threads: int = 1) -> _F64: ...
    def decision_function(self, x: _X) -> _F64: ...
    def explain(self, x: _X) -> _F64: ...
    @property
    def coef(self) -> _F64: ...
    @property
    def intercept(self) -> float: ...
    @property
    def n_iter(self) -> int: ...
    @property
    def objective(self) -> float: ...
    @property
    def gradient_norm(self) -> float: ...
    def to_json(self) -> str: ...
    @staticmethod
    def from_json(text: str) -> LogisticModel: ...
    def __eq__(self, value: object, /) -> bool: ...

@final
class NaiveBayesModel:
    @staticmethod
    def fit(
        names: Sequence[str], columns: _Categorical, y: _F64, alpha: float = 1.0
    ) -> NaiveBayesModel: ...
    def predict_proba(self, names: Sequence[str], columns: _Categorical) -> _F64: ...
    def decision_function(self, names: Sequence[str], columns: _Categorical) -> _F64: ...
    def explain(self, names: Sequence[str], columns: _Categorical) -> _F64: ...
    @property
    def prior_log_odds(self) -> float: ...
    @property
    def alpha(self) -> float: ...
    @property
    def fields(self) -> List[Dict[str, Any]]: ...
    def to_json(self) -> str: ...
    @staticmethod
    def from_json(text: str) -> NaiveBayesModel: ...
    def __eq__(self, value: object, /) -> bool: ...

@final
class ModelFile:
    @staticmethod
    def for_columns(
        model: LogisticModel,
        column_names: Sequence[str],
        hot: float = 0.7,
        warm: float = 0.4,
        estimator: Optional[str] = None,
    ) -> ModelFile: ...
    @staticmethod
    def for_spec(
        model: LogisticModel,
        spec: str,
        hot: float = 0.7,
        warm: float = 0.4,
        estimator: Optional[str] = None,
    ) -> ModelFile: ...
    @staticmethod
    def for_naive_bayes(
        model: NaiveBayesModel,
        attributes: str,
        hot: float = 0.7,
        warm: float = 0.4,
        estimator: Optional[str] = None,
    ) -> ModelFile: ...
    @staticmethod
    def from_json(text: str) -> ModelFile: ...
    def to_json(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def format_version(self) -> int: ...
    @property
    def column_names(self) -> List[str]: ...
    @property
    def logistic(self) -> Optional[LogisticModel]: ...
    @property
    def naive_bayes(self) -> Optional[NaiveBayesModel]: ...
    @property
    def estimator(self) -> Optional[str]: ...
    @property
    def thresholds(self) -> Tuple[float, float]: ...
    def score_matrix(self, x: _X) -> _F64: ...
    def rate(self, score: float) -> str: ...

@final
class BusinessCalendar:
    @staticmethod
    def from_json(text: str) -> BusinessCalendar: ...
    def to_json(self) -> str: ...
    def add(self, start: str, seconds: int) -> str: ...
    def between(self, start: str, end: str) -> int: ...
    def add_many(
        self, starts: npt.NDArray[np.int64], seconds: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.int64]: ...

@final
class RuleSet:
    @staticmethod
    def from_json(text: str) -> RuleSet: ...
    def to_json(self) -> str: ...
    def score(self, leads: str, touchpoints: str, now: str) -> str: ...
    def rate(self, score: float) -> str: ...

def price_document(
    lines: str, document_discount: str, taxes: str, currency: str, rounding: str
) -> _r.PricedDocument: ...
def roc_auc(scores: _F64, labels: _F64) -> float: ...
def error_codes() -> list[str]: ...
def _raise_sample_error(code: str) -> None: ...
def _provoke_panic() -> None: ...
def log_loss(p: _F64, labels: _F64) -> float: ...
def calibration(p: _F64, labels: _F64, bins: int = 10) -> List[Dict[str, Any]]: ...
def lift_at_k(scores: _F64, labels: _F64, k: int) -> Dict[str, Any]: ...

def performance_columns(
    touch_at: npt.NDArray[np.int64],
    touch_click: npt.NDArray[np.uint8],
    touch_keys: Sequence[npt.NDArray[np.uint32]],
    lead_created: npt.NDArray[np.int64],
    lead_owner: npt.NDArray[np.uint32],
    lead_keys: Sequence[npt.NDArray[np.uint32]],
    qualified_at: npt.NDArray[np.int64],
    opportunity_at: npt.NDArray[np.int64],
    won_at: npt.NDArray[np.int64],
    won_units: npt.NDArray[np.int64],
    sizes: Sequence[int],
    from_: Optional[int] = None,
    until: Optional[int] = None,
    owner: Optional[int] = None,
    campaign: Optional[int] = None,
) -> Dict[str, Any]: ...
def funnel_columns(
    created: npt.NDArray[np.int64],
    owner: npt.NDArray[np.uint32],
    campaign_codes: npt.NDArray[np.uint32],
    qualified_at: npt.NDArray[np.int64],
    opportunity_at: npt.NDArray[np.int64],
    won_at: npt.NDArray[np.int64],
    from_: Optional[int] = None,
    until: Optional[int] = None,
    owner_code: Optional[int] = None,
    campaign: Optional[int] = None,
) -> Tuple[Tuple[int, int, int, int], Tuple[float, float, float]]: ...
def pipeline_columns(
    created: npt.NDArray[np.int64],
    closed: npt.NDArray[np.int64],
    state: npt.NDArray[np.uint8],
    stage: npt.NDArray[np.uint32],
    owner: npt.NDArray[np.uint32],
    source: npt.NDArray[np.uint32],
    campaign_codes: npt.NDArray[np.uint32],
    units: npt.NDArray[np.int64],
    sizes: Sequence[int],
    from_: Optional[int] = None,
    until: Optional[int] = None,
    owner_code: Optional[int] = None,
    campaign: Optional[int] = None,
) -> Dict[str, Any]: ...

def use_cases() -> List[Dict[str, Any]]: ...
def record_classes() -> Dict[str, type]: ...
def surface_schema() -> str: ...
def to_json(value: Any) -> str: ...
def _render_stubs() -> Tuple[str, str]: ...

# ---- generated: the surface (crm-py/src/stubs.rs); regenerate with
# CRM_WRITE_GENERATED=1 pytest crm-py/tests/test_stubs.py
@final
class Leads:
    """Leads: capture by hand, through web forms and from CSV files; qualification,
    scores, duplicates, edits, conversion, merges and touchpoints.
    """
    def capture(self, input: Union[_r.LeadInput, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.Captured:
        """Captures a lead typed in by a person (source `manual`): parsed, checked for
        spam signals and duplicates, stored.
        """
        ...
    def capture_parsed(self, source: Union[_r.LeadSource, Mapping[str, Any]], data: Union[_r.LeadData, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.Captured:
        """Captures already-parsed lead data from any source.
        """
        ...
    def define_web_form(self, spec: Union[_r.WebFormSpec, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.WebForm:
        """Defines a web form: field mapping, required fields, honeypot, minimum fill
        time, resubmission window.
        """
        ...
    def web_form_named(self, name: str) -> Optional[_r.WebForm]:
        """The web form called `name` (case-insensitive), if any.
        """
        ...
    def submit_web_form(self, form: int, submission: Union[_r.Submission, Mapping[str, Any]]) -> _r.Captured:
        """Takes a web-form submission: checked, a resubmission inside the form's window
        refused, the lead stored with a form-submission touchpoint.
        """
        ...
    def get(self, id: int) -> _r.Lead:
        """A lead (`not_found` when there is none with this id).
        """
        ...
    def list(self) -> List[_r.Lead]:
        """Every lead, in id order.
        """
        ...
    def with_status(self, status: _r.LeadStatusKind) -> List[_r.Lead]:
        """The leads with a status: `new`, `working`, `qualified`, `converted`,
        `disqualified`.
        """
        ...
    def update(self, id: int, expected_version: int, patch: Union[_r.LeadDataPatch, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.Lead:
        """Edits a lead read at `expected_version`: only the fields the patch names change
        (null clears one); `conflict` when someone changed the lead since.
        """
        ...
    def start_working(self, id: int, now: Optional[datetime] = None) -> _r.Lead:
        """Starts working a new lead.
        """
        ...
    def qualify(self, id: int, now: Optional[datetime] = None) -> _r.Lead:
        """Qualifies a lead.
        """
        ...
    def disqualify(self, id: int, reason: str, now: Optional[datetime] = None) -> _r.Lead:
        """Disqualifies a lead, with the reason.
        """
        ...
    def set_score(self, id: int, score: float, rating: Optional[_r.Rating] = None, now: Optional[datetime] = None) -> _r.Lead:
        """Sets a lead's score and rating; an event only when something changed.
        """
        ...
    def duplicates_of(self, id: int) -> List[_r.DuplicateMatch]:
        """The stored leads and contacts a lead may duplicate.
        """
        ...
    def import_csv(self, csv: str, mapping: Union[_r.CsvMapping, Mapping[str, Any]], options: Union[_r.ImportOptions, Mapping[str, Any]], now: Optional[datetime] = None, *, job: Optional[Job] = None) -> _r.ImportReport:
        """Imports leads from CSV text: every row judged, good rows stored in batches,
        bad rows reported with their line and column.
        """
        ...
    def import_csv_async(self, csv: str, mapping: Union[_r.CsvMapping, Mapping[str, Any]], options: Union[_r.ImportOptions, Mapping[str, Any]], now: Optional[datetime] = None, *, job: Optional[Job] = None) -> Coroutine[Any, Any, _r.ImportReport]: ...
    def convert(self, id: int, options: Union[_r.ConvertOptions, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.Conversion:
        """Converts a qualified lead into an account, a contact and (optionally) an
        opportunity, linking to existing records where they match.
        """
        ...
    def merge(self, survivor: int, merged: int, choices: Union[_r.MergeChoices, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.MergedLead:
        """Merges lead `merged` into `survivor`, field by field as `choices` says;
        related records follow the survivor.
        """
        ...
    def record_touchpoint(self, touch: Union[_r.NewTouchpoint, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.Touchpoint:
        """Records an engagement touch (click, visit, call, form, e-mail) on a lead or
        contact.
        """
        ...
    def touchpoints_of(self, subject: Union[_r.RecordRef, Mapping[str, Any]]) -> List[_r.Touchpoint]:
        """The touchpoints of a lead or contact, oldest first.
        """
        ...

@final
class Customers:
    """Customers: accounts, contacts and their purchases.
    """
    def create_account(self, account: Union[_r.NewAccount, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.Account:
        """Creates an account.
        """
        ...
    def update_account(self, id: int, expected_version: int, patch: Union[_r.AccountPatch, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.Account:
        """Edits an account read at `expected_version`: only the fields the patch names.
        """
        ...
    def update_contact(self, id: int, expected_version: int, patch: Union[_r.ContactPatch, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.Contact:
        """Edits a contact read at `expected_version`: only the fields the patch names.
        """
        ...
    def update_purchase(self, id: int, expected_version: int, patch: Union[_r.PurchasePatch, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.Purchase:
        """Edits a purchase read at `expected_version`: only the fields the patch names.
        """
        ...
    def create_contact(self, contact: Union[_r.NewContact, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.Contact:
        """Creates a contact.
        """
        ...
    def account(self, id: int) -> _r.Account:
        """An account.
        """
        ...
    def contact(self, id: int) -> _r.Contact:
        """A contact.
        """
        ...
    def accounts(self) -> List[_r.Account]:
        """Every account.
        """
        ...
    def contacts(self) -> List[_r.Contact]:
        """Every contact.
        """
        ...
    def contacts_of(self, account: int) -> List[_r.Contact]:
        """The contacts of an account.
        """
        ...
    def timeline(self, subject: Union[_r.RecordRef, Mapping[str, Any]], limit: int, before: Optional[str] = None) -> _r.TimelinePage:
        """Everything that happened with a contact or an account (its contacts' and
        opportunities' too), newest first: touchpoints, activities, purchases,
        quotes, orders, cases, installed assets. `before`: a page's `next`.
        """
        ...
    def record_purchase(self, purchase: Union[_r.NewPurchase, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.Purchase:
        """Records a purchase of a contact.
        """
        ...
    def purchases_of(self, contact: int) -> List[_r.Purchase]:
        """The purchases of a contact.
        """
        ...
    def merge_contacts(self, survivor: int, merged: int, choices: Union[_r.MergeChoices, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.MergedContact:
        """Merges contact `merged` into `survivor`.
        """
        ...
    def merge_accounts(self, survivor: int, merged: int, choices: Union[_r.MergeChoices, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.MergedAccount:
        """Merges account `merged` into `survivor`.
        """
        ...

@final
class Sales:
    """Sales: pipelines, opportunities, activities, exchange rates and the forecast.
    """
    def define_pipeline(self, name: str, stages: Optional[Sequence[Union[_r.Stage, Mapping[str, Any]]]] = None, now: Optional[datetime] = None) -> _r.Pipeline:
        """Defines a pipeline with its stages (the default stages when none are given:
        prospecting, qualification, proposal, negotiation, won, lost).
        """
        ...
    def pipeline(self, id: int) -> _r.Pipeline:
        """A pipeline.
        """
        ...
    def pipeline_named(self, name: str) -> Optional[_r.Pipeline]:
        """The pipeline called `name`, if any.
        """
        ...
    def set_line_items(self, id: int, items: Sequence[Union[_r.LineItemInput, Mapping[str, Any]]], price_book: str, now: Optional[datetime] = None) -> _r.Opportunity:
        """Prices catalog products into an open opportunity from a price book: the
        line items replace the earlier ones and their nets make its amount.
        """
        ...
    def set_quote_acceptance(self, pipeline: int, rule: Union[_r.OnQuoteAccepted, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.Pipeline:
        """Sets what accepting a quote does to a pipeline's opportunities: the amount
        following the quote, a move to a stage (the won stage wins the deal).
        """
        ...
    def open_opportunity(self, opportunity: Union[_r.NewOpportunity, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.Opportunity:
        """Opens an opportunity on a pipeline's first stage.
        """
        ...
    def update_opportunity(self, id: int, expected_version: int, patch: Union[_r.OpportunityPatch, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.Opportunity:
        """Edits an opportunity read at `expected_version`: name, contact, expected close,
        owner, source, products, key players (the stage, amount and probability have
        their own use cases).
        """
        ...
    def advance(self, id: int, stage: str, now: Optional[datetime] = None) -> _r.Opportunity:
        """Moves an open opportunity to another stage.
        """
        ...
    def win(self, id: int, amount: Optional[Union[_r.Money, Mapping[str, Any]]] = None, now: Optional[datetime] = None) -> _r.Opportunity:
        """Wins an opportunity (optionally at a final amount).
        """
        ...
    def lose(self, id: int, reason: str, now: Optional[datetime] = None) -> _r.Opportunity:
        """Loses an opportunity, with the reason.
        """
        ...
    def set_probability(self, id: int, probability: Union[Decimal, str, int], now: Optional[datetime] = None) -> _r.Opportunity:
        """Sets an opportunity's probability by hand (it no longer follows its stage).
        """
        ...
    def release_probability(self, id: int, now: Optional[datetime] = None) -> _r.Opportunity:
        """Lets an opportunity's probability follow its stage again.
        """
        ...
    def revise(self, id: int, amount: Optional[Union[_r.Money, Mapping[str, Any]]] = None, expected_close: Optional[Union[date, str]] = None, now: Optional[datetime] = None) -> _r.Opportunity:
        """Revises an opportunity's amount and expected close day.
        """
        ...
    def set_key_player(self, id: int, contact: int, role: str, now: Optional[datetime] = None) -> _r.Opportunity:
        """Names a contact as a key player of an opportunity, in a role.
        """
        ...
    def opportunity(self, id: int) -> _r.Opportunity:
        """An opportunity.
        """
        ...
    def opportunities(self) -> List[_r.Opportunity]:
        """Every opportunity.
        """
        ...
    def opportunities_of(self, account: int) -> List[_r.Opportunity]:
        """The opportunities of an account.
        """
        ...
    def log_activity(self, activity: Union[_r.NewActivity, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.Activity:
        """Logs an activity (call, meeting, e-mail, task).
        """
        ...
    def update_activity(self, id: int, expected_version: int, patch: Union[_r.ActivityPatch, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.Activity:
        """Edits an activity read at `expected_version`: title, notes, owner, due time,
        duration.
        """
        ...
    def complete_activity(self, id: int, outcome: Optional[str] = None, now: Optional[datetime] = None) -> _r.Activity:
        """Completes an activity, with its outcome.
        """
        ...
    def cancel_activity(self, id: int, reason: Optional[str] = None, now: Optional[datetime] = None) -> _r.Activity:
        """Cancels an open activity, with the reason.
        """
        ...
    def log_call(self, call: Union[_r.NewCall, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.Activity:
        """Logs a call that took place as one record (number, direction, time,
        duration, purpose, outcome, follow-up); it counts as engagement.
        """
        ...
    def activity_occurrences(self, id: int, start: datetime, until: datetime, limit: int) -> List[datetime]:
        """The occurrences of an activity in `[start, until]`: its due time, or
        every due time of its recurrence (RRULE).
        """
        ...
    def due_reminders(self, start: datetime, until: datetime) -> List[_r.Reminder]:
        """The reminders of open activities that fall in `[start, until]`.
        """
        ...
    def activities_of(self, subject: Union[_r.RecordRef, Mapping[str, Any]]) -> List[_r.Activity]:
        """The activities about a record.
        """
        ...
    def overdue_activities(self, owner: str, now: Optional[datetime] = None) -> List[_r.Activity]:
        """The open activities of an owner that were due before `now`.
        """
        ...
    def set_exchange_rate(self, base: str, quote: str, on: Union[date, str], rate: Union[Decimal, str, int], now: Optional[datetime] = None) -> _r.ExchangeRate:
        """Stores the exchange rate on a day: one unit of `base` is `rate` units of `quote`.
        """
        ...
    def convert_money(self, amount: Union[_r.Money, Mapping[str, Any]], to: str, on: Union[date, str]) -> _r.Money:
        """Converts an amount at the stored rate of the day (the latest before it).
        """
        ...
    def forecast(self, currency: str, period: _r.Period, as_of: Union[date, str], *, job: Optional[Job] = None) -> _r.Forecast:
        """The weighted forecast by period and owner, in one currency, as of a day.
        """
        ...
    def forecast_async(self, currency: str, period: _r.Period, as_of: Union[date, str], *, job: Optional[Job] = None) -> Coroutine[Any, Any, _r.Forecast]: ...

@final
class Quotes:
    """Quotes: products, price books, configuration, quotes and their revisions,
    sales orders.
    """
    def define_product(self, product: Union[_r.Product, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.ProductRecord:
        """Defines a product (a SKU already defined is refused as `duplicate`).
        """
        ...
    def product(self, sku: str) -> Optional[_r.ProductRecord]:
        """The product with this SKU, if any.
        """
        ...
    def define_price_book(self, book: Union[_r.PriceBook, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.PriceBookRecord:
        """Defines a price book (a name already defined is refused as `duplicate`).
        """
        ...
    def price_book(self, name: str) -> Optional[_r.PriceBookRecord]:
        """The price book called `name`, if any.
        """
        ...
    def configure_product(self, sku: str, options: Sequence[str], price_book: str, on: Union[date, str]) -> _r.Configuration:
        """Configures a product with options, priced from a price book on a day.
        """
        ...
    def create(self, content: Union[_r.QuoteContent, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.Quote:
        """Creates a quote (revision 1, draft).
        """
        ...
    def revise(self, id: int, content: Union[_r.QuoteContent, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.Quote:
        """Revises a quote: a new revision with the new content.
        """
        ...
    def send(self, id: int, now: Optional[datetime] = None) -> _r.Quote:
        """Sends a draft quote.
        """
        ...
    def accept(self, id: int, now: Optional[datetime] = None) -> _r.Quote:
        """Accepts a sent quote (refused once it expired).
        """
        ...
    def reject(self, id: int, reason: str, now: Optional[datetime] = None) -> _r.Quote:
        """Rejects a sent quote, with the reason.
        """
        ...
    def expire(self, now: Optional[datetime] = None) -> List[_r.Quote]:
        """Marks every sent quote past its validity as expired; returns them.
        """
        ...
    def get(self, id: int) -> _r.Quote:
        """A quote revision.
        """
        ...
    def revisions(self, number: int) -> List[_r.Quote]:
        """Every revision of the quote numbered `number`.
        """
        ...
    def of_opportunity(self, opportunity: int) -> List[_r.Quote]:
        """The quotes of an opportunity.
        """
        ...
    def convert_to_order(self, id: int, now: Optional[datetime] = None) -> _r.SalesOrder:
        """Turns an accepted quote into a sales order (once), and in the same
        transaction records the customer's purchases (one per line, at the price
        sold) and queues the order's hand-off to the ERP in the outbox.
        """
        ...
    def acknowledge_order(self, id: int, erp_reference: str, now: Optional[datetime] = None) -> _r.SalesOrder:
        """The ERP confirmed an order under its own reference.
        """
        ...
    def fulfil_order(self, id: int, deliveries: Sequence[Union[_r.LineFulfilment, Mapping[str, Any]]], now: Optional[datetime] = None) -> _r.Fulfilment:
        """Records what was delivered on an order's lines (serial numbers for a
        serialised product: each unit becomes an asset with the product's warranty).
        """
        ...
    def cancel_order(self, id: int, reason: str, now: Optional[datetime] = None) -> _r.SalesOrder:
        """Cancels an order nothing of which was delivered (the ERP is told when it had
        the order).
        """
        ...
    def orders_with_status(self, status: _r.SalesOrderStatus) -> List[_r.SalesOrder]:
        """The sales orders with a status (`open`, `sent`, `acknowledged`,
        `partly_fulfilled`, `fulfilled`, `cancelled`).
        """
        ...
    def purchases_of_order(self, id: int) -> List[_r.Purchase]:
        """The purchases an order recorded.
        """
        ...
    def sales_order(self, id: int) -> _r.SalesOrder:
        """A sales order.
        """
        ...
    def sales_orders(self) -> List[_r.SalesOrder]:
        """Every sales order.
        """
        ...
    def sales_order_payload(self, id: int) -> Any:
        """A sales order's versioned ERP payload (every amount a decimal string).
        """
        ...
    def follow_amount(self, id: int, now: Optional[datetime] = None) -> _r.Opportunity:
        """Sets an opportunity's amount to its quote's subtotal.
        """
        ...
    def price(self, lines: Sequence[Union[_r.PriceLine, Mapping[str, Any]]], currency: str, rounding: Union[_r.Rounding, Mapping[str, Any]], document_discount: Optional[Union[Decimal, str, int]] = None, taxes: Optional[Sequence[Union[_r.TaxRate, Mapping[str, Any]]]] = None) -> _r.PricedDocument:
        """Prices lines without storing anything: discounts, taxes (included or added,
        compound) and rounding per line or on the totals, to the cent.
        """
        ...

@final
class Service:
    """Service: calendars, SLA policies, installed base, warranties, contracts, cases,
    field service and the knowledge base.
    """
    def define_calendar(self, name: str, calendar: Union[_r.BusinessCalendar, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.CalendarRecord:
        """Defines (or redefines) a business calendar.
        """
        ...
    def calendar(self, name: str) -> Optional[_r.BusinessCalendar]:
        """The business calendar called `name`, if any.
        """
        ...
    def define_sla_policy(self, policy: Union[_r.SlaPolicy, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.SlaPolicyRecord:
        """Defines (or redefines) an SLA policy.
        """
        ...
    def sla_policies(self) -> List[_r.SlaPolicy]:
        """The SLA policies, in the order they are matched.
        """
        ...
    def register_asset(self, input: Union[_r.NewAsset, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.Asset:
        """Registers an asset of the installed base (serial unique).
        """
        ...
    def update_asset(self, id: int, expected_version: int, patch: Union[_r.AssetPatch, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.Asset:
        """Edits an asset read at `expected_version`: name, installation day, location.
        """
        ...
    def asset(self, id: int) -> _r.Asset:
        """An asset.
        """
        ...
    def asset_by_serial(self, serial: str) -> Optional[_r.Asset]:
        """The asset with this serial number, if any.
        """
        ...
    def assets_of(self, account: int) -> List[_r.Asset]:
        """The assets of an account.
        """
        ...
    def set_asset_status(self, id: int, status: _r.AssetStatus, now: Optional[datetime] = None) -> _r.Asset:
        """Sets an asset's status.
        """
        ...
    def add_warranty(self, asset: int, starts_on: Union[date, str], ends_on: Union[date, str], terms: str, now: Optional[datetime] = None) -> _r.Warranty:
        """Adds a warranty to an asset.
        """
        ...
    def create_contract(self, input: Union[_r.NewContract, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.Contract:
        """Creates a service contract.
        """
        ...
    def update_contract(self, id: int, expected_version: int, patch: Union[_r.ContractPatch, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.Contract:
        """Edits a service contract read at `expected_version`: name, SLA policy.
        """
        ...
    def contract(self, id: int) -> _r.Contract:
        """A service contract.
        """
        ...
    def cancel_contract(self, id: int, now: Optional[datetime] = None) -> _r.Contract:
        """Cancels a service contract.
        """
        ...
    def coverage(self, asset: int, on: Union[date, str]) -> _r.Coverage:
        """The warranties and contracts covering an asset on a day, and what is left.
        """
        ...
    def open_case(self, input: Union[_r.NewCase, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.Case:
        """Opens a case (numbered `CASE-<year>-<number>`).
        """
        ...
    def update_case(self, id: int, expected_version: int, patch: Union[_r.CasePatch, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.Case:
        """Edits a case read at `expected_version`: subject, description, category,
        contact, asset, contract, owner (status and priority have their own use cases).
        """
        ...
    def case(self, id: int) -> _r.Case:
        """A case.
        """
        ...
    def case_by_number(self, number: str) -> _r.Case:
        """The case with this tracking number.
        """
        ...
    def cases_of(self, account: int) -> List[_r.Case]:
        """The cases of an account.
        """
        ...
    def active_cases(self) -> List[_r.Case]:
        """Every case not closed.
        """
        ...
    def set_case_status(self, id: int, to: _r.CaseStatus, now: Optional[datetime] = None) -> _r.Case:
        """Moves a case to another status (illegal moves refused).
        """
        ...
    def set_case_priority(self, id: int, to: _r.CasePriority, now: Optional[datetime] = None) -> _r.Case:
        """Changes a case's priority.
        """
        ...
    def comment_on_case(self, id: int, comment: Union[_r.CaseComment, Mapping[str, Any]]) -> _r.Case:
        """Adds a comment to a case (a customer reply reopens a pending case).
        """
        ...
    def case_sla(self, id: int, at: datetime) -> _r.CaseSla:
        """A case's SLA state at an instant.
        """
        ...
    def sla_report(self, at: datetime, *, job: Optional[Job] = None) -> List[_r.CaseSla]:
        """The SLA state of every active case at an instant.
        """
        ...
    def sla_report_async(self, at: datetime, *, job: Optional[Job] = None) -> Coroutine[Any, Any, List[_r.CaseSla]]: ...
    def check_slas(self, at: datetime, *, job: Optional[Job] = None) -> List[_r.RaisedAlert]:
        """Raises each SLA warning and breach due at an instant, once.
        """
        ...
    def check_slas_async(self, at: datetime, *, job: Optional[Job] = None) -> Coroutine[Any, Any, List[_r.RaisedAlert]]: ...
    def define_technician(self, input: Union[_r.NewTechnician, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.Technician:
        """Defines a technician (skills, calendar).
        """
        ...
    def update_technician(self, id: int, expected_version: int, patch: Union[_r.TechnicianPatch, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.Technician:
        """Edits a technician read at `expected_version`: name, skills, calendar.
        """
        ...
    def technicians(self) -> List[_r.Technician]:
        """Every technician.
        """
        ...
    def create_service_order(self, input: Union[_r.NewServiceOrder, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.ServiceOrder:
        """Creates a service order.
        """
        ...
    def service_order(self, id: int) -> _r.ServiceOrder:
        """A service order.
        """
        ...
    def orders_of_technician(self, id: int) -> List[_r.ServiceOrder]:
        """The orders assigned to a technician.
        """
        ...
    def schedule_service_orders(self, start: datetime, until: datetime, now: Optional[datetime] = None, *, job: Optional[Job] = None) -> _r.Schedule:
        """Schedules the open service orders between two instants; reports what it
        cannot place.
        """
        ...
    def schedule_service_orders_async(self, start: datetime, until: datetime, now: Optional[datetime] = None, *, job: Optional[Job] = None) -> Coroutine[Any, Any, _r.Schedule]: ...
    def complete_service_order(self, id: int, hours: Union[Decimal, str, int], now: Optional[datetime] = None) -> _r.ServiceOrder:
        """Completes a service order with the hours worked.
        """
        ...
    def cancel_service_order(self, id: int, now: Optional[datetime] = None) -> _r.ServiceOrder:
        """Cancels a service order.
        """
        ...
    def define_maintenance_plan(self, plan: Union[_r.NewMaintenancePlan, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.MaintenancePlan:
        """Defines a planned-maintenance plan.
        """
        ...
    def generate_maintenance_orders(self, through: Union[date, str], now: Optional[datetime] = None) -> List[_r.ServiceOrder]:
        """Generates the maintenance orders due through a day (each visit once).
        """
        ...
    def write_article(self, content: Union[_r.ArticleContent, Mapping[str, Any]], status: _r.ArticleStatus, now: Optional[datetime] = None) -> _r.Article:
        """Writes a knowledge-base article.
        """
        ...
    def update_article(self, id: int, change: Union[_r.ArticleChange, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.Article:
        """Changes an article: the given fields replace the stored ones.
        """
        ...
    def article(self, id: int) -> _r.Article:
        """An article.
        """
        ...
    def service_overview(self, account: int, on: Union[date, str]) -> _r.ServiceOverview:
        """An account's service standing on a day: contracts with what is left of them
        and their renewals, assets with their coverage, cases being worked.
        """
        ...
    def generate_renewals(self, spec: Union[_r.RenewalSpec, Mapping[str, Any]], now: Optional[datetime] = None) -> List[_r.Opportunity]:
        """Opens a renewal opportunity for each contract in force ending within
        `days_before` days that has none yet.
        """
        ...
    def search_articles(self, query: str, k: int, filter: Optional[Union[_r.SearchFilter, Mapping[str, Any]]] = None) -> List[_r.SearchHit]:
        """Searches the published articles (BM25), best `k` first, within `filter` if given.
        """
        ...

@final
class Desk:
    """The service desk's operations: queues of agents with skills, languages,
    availability and capacity; routing rules that file new cases into queues and
    pick their agents; assignment, transfer and each queue's worklist.
    """
    def define_queue(self, spec: Union[_r.QueueSpec, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.Queue:
        """Creates or replaces (by name) a queue: its members and how it gives cases
        out (`round_robin`, `least_loaded`, `manual`).
        """
        ...
    def remove_queue(self, name: str, now: Optional[datetime] = None) -> _r.Queue:
        """Removes a queue no routing rule files into and no case being worked is in.
        """
        ...
    def queues(self) -> List[_r.Queue]:
        """Every queue, by name.
        """
        ...
    def set_agent(self, spec: Union[_r.AgentSpec, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.Agent:
        """Creates or replaces (by login) an agent's profile: skills, languages,
        availability and capacity.
        """
        ...
    def agents(self) -> List[_r.Agent]:
        """Every agent's profile, by login.
        """
        ...
    def define_routing_rule(self, spec: Union[_r.RoutingRuleSpec, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.RoutingRule:
        """Creates or replaces (by name) a routing rule: the new cases meeting its
        conditions go to its queue, to an agent with its skills.
        """
        ...
    def remove_routing_rule(self, name: str, now: Optional[datetime] = None) -> _r.RoutingRule:
        """Removes a routing rule.
        """
        ...
    def routing_rules(self) -> List[_r.RoutingRule]:
        """The routing rules in the order they are tried.
        """
        ...
    def assign_case(self, id: int, owner: Optional[str] = None, now: Optional[datetime] = None) -> _r.Case:
        """Gives a case to an agent (none: back to its queue).
        """
        ...
    def transfer_case(self, id: int, queue: str, now: Optional[datetime] = None) -> _r.Case:
        """Moves a case to another queue, which gives it to one of its agents.
        """
        ...
    def route_case(self, id: int, now: Optional[datetime] = None) -> _r.Case:
        """Routes a case again by the routing rules.
        """
        ...
    def queue_cases(self, queue: str) -> List[_r.Case]:
        """The cases being worked in a queue, most urgent first, then oldest.
        """
        ...
    def define_escalation_rule(self, spec: Union[_r.EscalationRuleSpec, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.EscalationRule:
        """Creates or replaces (by name) an escalation rule: on an SLA warning or
        breach, or a case's age, it transfers, assigns, raises the priority,
        notifies (an outbox delivery) or opens a task; `service.check_slas` runs
        the rules, each once per case and trigger.
        """
        ...
    def remove_escalation_rule(self, name: str, now: Optional[datetime] = None) -> _r.EscalationRule:
        """Removes an escalation rule.
        """
        ...
    def escalation_rules(self) -> List[_r.EscalationRule]:
        """Every escalation rule, by name.
        """
        ...
    def send_csat_survey(self, id: int, valid_days: int, now: Optional[datetime] = None) -> _r.Survey:
        """Sends a CSAT survey (1–5) for a solved case, open `valid_days`; its token
        goes in the link the host mails. One per case.
        """
        ...
    def send_nps_survey(self, account: int, valid_days: int, contact: Optional[int] = None, now: Optional[datetime] = None) -> _r.Survey:
        """Sends an NPS survey (0–10) for an account, to one of its contacts if given.
        """
        ...
    def survey(self, token: str) -> _r.Survey:
        """The survey behind a token.
        """
        ...
    def answer_survey(self, token: str, score: int, comment: Optional[str] = None, now: Optional[datetime] = None) -> _r.Survey:
        """Takes the answer to a survey: once, before it expires.
        """
        ...
    def csat_report(self, start: datetime, until: datetime, by: _r.SatisfactionBy) -> List[_r.SatisfactionRow]:
        """CSAT over the surveys sent in `[start, until)`, by agent, queue or product.
        """
        ...
    def nps_report(self, start: datetime, until: datetime) -> _r.NpsReport:
        """NPS over the surveys sent in `[start, until)`.
        """
        ...

@final
class Marketing:
    """Marketing: campaigns, segments, plans, attribution, reports and automation.
    """
    def create_campaign(self, input: Union[_r.NewCampaign, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.Campaign:
        """Creates a campaign (code unique).
        """
        ...
    def update_campaign(self, id: int, expected_version: int, patch: Union[_r.CampaignPatch, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.Campaign:
        """Edits a campaign read at `expected_version`: name, target products, segments,
        geographies.
        """
        ...
    def grant_consent(self, consent: Union[_r.NewConsent, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.Consent:
        """Records a person's consent for a channel and purpose, with its source and
        proof (granting again renews it).
        """
        ...
    def withdraw_consent(self, subject: Union[_r.RecordRef, Mapping[str, Any]], channel: _r.Channel, purpose: _r.Purpose, source: str, now: Optional[datetime] = None) -> _r.Consent:
        """Records a person's withdrawal of a consent, with its source.
        """
        ...
    def consents_of(self, subject: Union[_r.RecordRef, Mapping[str, Any]]) -> List[_r.Consent]:
        """A person's consents.
        """
        ...
    def may_contact(self, subject: Union[_r.RecordRef, Mapping[str, Any]], channel: _r.Channel, purpose: _r.Purpose) -> _r.ContactDecision:
        """Whether a person may be contacted by a channel for a purpose, and why:
        never when marked do-not-contact or withdrawn; marketing and newsletters
        only with a consent granted; service messages without one.
        """
        ...
    def set_do_not_contact(self, subject: Union[_r.RecordRef, Mapping[str, Any]], on: bool, reason: Optional[str] = None, now: Optional[datetime] = None) -> bool:
        """Marks a person do-not-contact, or lifts the mark; whether it changed.
        """
        ...
    def unsubscribe_token(self, subject: Union[_r.RecordRef, Mapping[str, Any]], campaign: str, now: Optional[datetime] = None) -> str:
        """The unsubscribe token of a person for a campaign, for the link in its
        e-mails (the same token every time).
        """
        ...
    def unsubscribe(self, token: str, now: Optional[datetime] = None) -> _r.Consent:
        """Takes an unsubscribe posted back with its token: the person's e-mail
        marketing consent is withdrawn (`not_found` for a token never given out).
        """
        ...
    def campaign(self, code: str) -> _r.Campaign:
        """The campaign with this code.
        """
        ...
    def campaigns(self) -> List[_r.Campaign]:
        """Every campaign.
        """
        ...
    def set_campaign_status(self, code: str, status: _r.CampaignStatus, now: Optional[datetime] = None) -> _r.Campaign:
        """Moves a campaign to another status.
        """
        ...
    def record_ad_stats(self, code: str, ad: str, cost: Union[_r.Money, Mapping[str, Any]], impressions: int, now: Optional[datetime] = None) -> _r.Campaign:
        """Records an ad's cost and impressions.
        """
        ...
    def add_campaign_cost(self, code: str, cost: Union[_r.Money, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.Campaign:
        """Adds a cost to a campaign.
        """
        ...
    def add_campaign_members(self, code: str, subjects: Sequence[Union[_r.RecordRef, Mapping[str, Any]]], now: Optional[datetime] = None) -> _r.Campaign:
        """Adds leads or contacts to a campaign.
        """
        ...
    def target_segment(self, code: str, segment: str, now: Optional[datetime] = None) -> _r.Campaign:
        """Targets a segment with a campaign (its members join).
        """
        ...
    def campaign_members(self, code: str) -> List[_r.MemberResponse]:
        """A campaign's members and how each responded.
        """
        ...
    def define_segment(self, name: str, subject: _r.SegmentSubject, rule: Union[_r.Predicate, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.SegmentEvaluation:
        """Defines (or redefines) a segment and evaluates it.
        """
        ...
    def evaluate_segment(self, name: str, now: Optional[datetime] = None, *, job: Optional[Job] = None) -> _r.SegmentEvaluation:
        """Evaluates a segment again.
        """
        ...
    def evaluate_segment_async(self, name: str, now: Optional[datetime] = None, *, job: Optional[Job] = None) -> Coroutine[Any, Any, _r.SegmentEvaluation]: ...
    def segment(self, name: str) -> _r.Segment:
        """A segment.
        """
        ...
    def define_plan(self, name: str, targets: Sequence[Union[_r.PlanTarget, Mapping[str, Any]]], now: Optional[datetime] = None) -> _r.MarketingPlan:
        """Defines (or redefines) a marketing plan.
        """
        ...
    def plan_vs_actual(self, name: str) -> List[_r.PlanActualRow]:
        """A plan's targets against what happened.
        """
        ...
    def attribution(self, model: Union[_r.AttributionModel, Mapping[str, Any]], currency: str, filter: Optional[Union[_r.ReportFilter, Mapping[str, Any]]] = None, *, job: Optional[Job] = None) -> _r.AttributionReport:
        """Credits won deals to touches with an attribution model.
        """
        ...
    def attribution_async(self, model: Union[_r.AttributionModel, Mapping[str, Any]], currency: str, filter: Optional[Union[_r.ReportFilter, Mapping[str, Any]]] = None, *, job: Optional[Job] = None) -> Coroutine[Any, Any, _r.AttributionReport]: ...
    def report(self, currency: str, filter: Optional[Union[_r.ReportFilter, Mapping[str, Any]]] = None, *, job: Optional[Job] = None) -> _r.MarketingReport:
        """Click-through, conversion, cost and ROI by ad, affiliate, campaign and channel.
        """
        ...
    def report_async(self, currency: str, filter: Optional[Union[_r.ReportFilter, Mapping[str, Any]]] = None, *, job: Optional[Job] = None) -> Coroutine[Any, Any, _r.MarketingReport]: ...
    def sales_report(self, period: _r.Period, currency: str, filter: Optional[Union[_r.ReportFilter, Mapping[str, Any]]] = None, *, job: Optional[Job] = None) -> _r.SalesReport:
        """Products sold by period, prices, demographics, pipeline and win rates.
        """
        ...
    def sales_report_async(self, period: _r.Period, currency: str, filter: Optional[Union[_r.ReportFilter, Mapping[str, Any]]] = None, *, job: Optional[Job] = None) -> Coroutine[Any, Any, _r.SalesReport]: ...
    def define_automation_rule(self, name: str, trigger: Union[_r.Trigger, Mapping[str, Any]], actions: Sequence[Union[_r.Action, Mapping[str, Any]]], once_per_record: bool, now: Optional[datetime] = None) -> _r.AutomationRule:
        """Defines (or redefines) an automation rule.
        """
        ...
    def run_automation(self, max_events: int, now: Optional[datetime] = None, *, job: Optional[Job] = None) -> _r.AutomationRun:
        """Runs the automation rules over the events since the last run.
        """
        ...
    def run_automation_async(self, max_events: int, now: Optional[datetime] = None, *, job: Optional[Job] = None) -> Coroutine[Any, Any, _r.AutomationRun]: ...
    def pending_actions(self) -> List[_r.AutomationAction]:
        """The actions waiting for the host to carry them out.
        """
        ...
    def finish_action(self, id: int, failure: Optional[str] = None, now: Optional[datetime] = None) -> _r.AutomationAction:
        """Marks an action carried out (or failed, with the reason).
        """
        ...
    def apply_action(self, id: int, now: Optional[datetime] = None) -> _r.AutomationAction:
        """Applies a built-in action (a field update, a task) in the CRM itself.
        """
        ...

@final
class Scoring:
    """Scoring of stored leads and customers: rules, model files, training sets,
    feature rows; customer models (cross-sell, churn, value) fitted, evaluated,
    ranked, recommended and written back.
    """
    def rescore_leads(self, rules: Union[_r.RuleSet, Mapping[str, Any]], now: Optional[datetime] = None, *, job: Optional[Job] = None) -> _r.RescoreReport:
        """Re-scores every open lead with a rule set; writes only changed scores.
        """
        ...
    def rescore_leads_async(self, rules: Union[_r.RuleSet, Mapping[str, Any]], now: Optional[datetime] = None, *, job: Optional[Job] = None) -> Coroutine[Any, Any, _r.RescoreReport]: ...
    def rescore_leads_with_model(self, model: Union[_r.ModelFile, Mapping[str, Any]], now: Optional[datetime] = None, *, job: Optional[Job] = None) -> _r.RescoreReport:
        """Re-scores every open lead with a model file.
        """
        ...
    def rescore_leads_with_model_async(self, model: Union[_r.ModelFile, Mapping[str, Any]], now: Optional[datetime] = None, *, job: Optional[Job] = None) -> Coroutine[Any, Any, _r.RescoreReport]: ...
    def training_set(self, spec: Union[_r.FeatureSpec, Mapping[str, Any]]) -> _r.TrainingSet:
        """The decided leads as a training set (features as of each decision).
        """
        ...
    def lead_features(self, spec: Union[_r.FeatureSpec, Mapping[str, Any]], leads: Sequence[int], now: Optional[datetime] = None) -> _r.FeatureRows:
        """The feature rows of some leads as of `now`.
        """
        ...
    def customer_training_set(self, spec: Union[_r.FeatureSpec, Mapping[str, Any]], target: Union[_r.CustomerTarget, Mapping[str, Any]], cutoff: datetime, now: Optional[datetime] = None, *, job: Optional[Job] = None) -> _r.CustomerTrainingSet:
        """The customers at `cutoff` as a training set for `target`: features as of the
        cut-off, labels from the period after it (which must have passed by `now`).
        """
        ...
    def customer_training_set_async(self, spec: Union[_r.FeatureSpec, Mapping[str, Any]], target: Union[_r.CustomerTarget, Mapping[str, Any]], cutoff: datetime, now: Optional[datetime] = None, *, job: Optional[Job] = None) -> Coroutine[Any, Any, _r.CustomerTrainingSet]: ...
    def customer_features(self, spec: Union[_r.FeatureSpec, Mapping[str, Any]], contacts: Sequence[int], now: Optional[datetime] = None) -> _r.CustomerRows:
        """The feature rows of some customers as of `now`.
        """
        ...
    def fit_customer_model(self, spec: Union[_r.FeatureSpec, Mapping[str, Any]], target: Union[_r.CustomerTarget, Mapping[str, Any]], cutoff: datetime, options: Optional[Union[_r.CustomerFitOptions, Mapping[str, Any]]] = None, now: Optional[datetime] = None, *, job: Optional[Job] = None) -> _r.ModelFile:
        """Fits a customer model (cross-sell, churn: logistic; value: an RFM grid) on
        the customers at `cutoff`; a model file that scores customers.
        """
        ...
    def fit_customer_model_async(self, spec: Union[_r.FeatureSpec, Mapping[str, Any]], target: Union[_r.CustomerTarget, Mapping[str, Any]], cutoff: datetime, options: Optional[Union[_r.CustomerFitOptions, Mapping[str, Any]]] = None, now: Optional[datetime] = None, *, job: Optional[Job] = None) -> Coroutine[Any, Any, _r.ModelFile]: ...
    def evaluate_customer_model(self, model: Union[_r.ModelFile, Mapping[str, Any]], cutoff: datetime, now: Optional[datetime] = None, *, job: Optional[Job] = None) -> _r.CustomerModelEvaluation:
        """How a customer model does on the period after `cutoff`: AUC, log-loss,
        calibration and the recency baseline; or errors against last period's.
        """
        ...
    def evaluate_customer_model_async(self, model: Union[_r.ModelFile, Mapping[str, Any]], cutoff: datetime, now: Optional[datetime] = None, *, job: Optional[Job] = None) -> Coroutine[Any, Any, _r.CustomerModelEvaluation]: ...
    def predict_customers(self, model: Union[_r.ModelFile, Mapping[str, Any]], limit: int, contacts: Optional[Sequence[int]] = None, now: Optional[datetime] = None, *, job: Optional[Job] = None) -> List[_r.CustomerPrediction]:
        """The customers a model rates highest (likeliest to buy, most at risk, most
        valuable), with reasons; among `contacts` when given.
        """
        ...
    def predict_customers_async(self, model: Union[_r.ModelFile, Mapping[str, Any]], limit: int, contacts: Optional[Sequence[int]] = None, now: Optional[datetime] = None, *, job: Optional[Job] = None) -> Coroutine[Any, Any, List[_r.CustomerPrediction]]: ...
    def recommend(self, contact: int, models: Sequence[Union[_r.NamedModel, Mapping[str, Any]]], now: Optional[datetime] = None) -> List[_r.Recommendation]:
        """Each model's prediction for one customer with its reasons, strongest
        first: the products to offer, the risks to act on.
        """
        ...
    def rescore_customers(self, name: str, model: Union[_r.ModelFile, Mapping[str, Any]], now: Optional[datetime] = None, *, job: Optional[Job] = None) -> _r.RescoreReport:
        """Re-scores every contact with a customer model; writes the prediction under
        `name` only where it changed (segments read `prediction:<name>`).
        """
        ...
    def rescore_customers_async(self, name: str, model: Union[_r.ModelFile, Mapping[str, Any]], now: Optional[datetime] = None, *, job: Optional[Job] = None) -> Coroutine[Any, Any, _r.RescoreReport]: ...
    def accounts_at_risk(self, model: Union[_r.ModelFile, Mapping[str, Any]], limit: int, now: Optional[datetime] = None, *, job: Optional[Job] = None) -> List[_r.AccountRisk]:
        """The accounts a churn model puts most at risk, riskiest first: each
        account's risk weighted by its customers' recent revenue, the revenue at
        stake, its riskiest customer and the reasons.
        """
        ...
    def accounts_at_risk_async(self, model: Union[_r.ModelFile, Mapping[str, Any]], limit: int, now: Optional[datetime] = None, *, job: Optional[Job] = None) -> Coroutine[Any, Any, List[_r.AccountRisk]]: ...

@final
class Events:
    """The event log: every change, in order.
    """
    def since(self, after_sequence: int, limit: int) -> List[_r.EventEnvelope]:
        """Up to `limit` events after the cursor `after_sequence` (0: from the start).
        """
        ...
    def wait_for(self, after_sequence: int, limit: int, timeout_ms: int, *, job: Optional[Job] = None) -> List[_r.EventEnvelope]:
        """Up to `limit` events after `after_sequence`, waiting up to `timeout_ms` for
        the first when there are none yet (woken by commits of every process on
        the database); empty when the time is up.
        """
        ...
    def wait_for_async(self, after_sequence: int, limit: int, timeout_ms: int, *, job: Optional[Job] = None) -> Coroutine[Any, Any, List[_r.EventEnvelope]]: ...

@final
class Outbox:
    """The outbox: what the CRM owes other systems (sales orders to the ERP), taken
    by the host's worker, sent, and reported back; retried with backoff, dead
    after too many failures until retried by hand.
    """
    def take(self, limit: int, target: Optional[str] = None, now: Optional[datetime] = None) -> List[_r.Delivery]:
        """Takes up to `limit` deliveries due now (for one target when given), each
        leased to the caller until it reports.
        """
        ...
    def succeed(self, id: int, reply: Optional[Any] = None, now: Optional[datetime] = None) -> _r.Delivery:
        """The receiver has a delivery (with what it answered).
        """
        ...
    def fail(self, id: int, error: str, now: Optional[datetime] = None) -> _r.Delivery:
        """A delivery's attempt failed: due again after a backoff, or dead.
        """
        ...
    def retry(self, id: int, now: Optional[datetime] = None) -> _r.Delivery:
        """Makes a dead delivery due again.
        """
        ...
    def get(self, id: int) -> _r.Delivery:
        """A delivery.
        """
        ...
    def with_status(self, status: _r.DeliveryStatus) -> List[_r.Delivery]:
        """The deliveries with a status (`pending`, `in_flight`, `delivered`, `dead`,
        `cancelled`).
        """
        ...

@final
class Records:
    """Every kind of record alike: archive and restore, delete with what depends on
    it, and history.
    """
    def archive(self, record: str, expected_version: int, now: Optional[datetime] = None) -> _r.Version:
        """Archives a record (`lead:42`) read at `expected_version`: it leaves listings,
        reports, segments and duplicate checks and stays readable by id. Returns its
        new version.
        """
        ...
    def restore(self, record: str, expected_version: int, now: Optional[datetime] = None) -> _r.Version:
        """Restores an archived record. Returns its new version.
        """
        ...
    def is_archived(self, record: str) -> bool:
        """Whether a record is archived.
        """
        ...
    def archived(self, kind: _r.EntityKind, after: int, limit: int) -> List[Any]:
        """Archived records of a kind as their stored documents, in id order: up to
        `limit` after the id `after` (0: from the first).
        """
        ...
    def delete(self, record: str, expected_version: int, on_dependants: Optional[Union[_r.OnDependants, Mapping[str, Any]]] = None, now: Optional[datetime] = None) -> _r.Deleted:
        """Deletes a record read at `expected_version`. While records depend on it the
        delete is refused (`in_use`) unless `on_dependants` cascades or re-points;
        owned records (a lead's touchpoints) go with it.
        """
        ...
    def history(self, record: str) -> List[_r.HistoryEntry]:
        """A record's history, oldest first: every event about it with who did it and,
        for edits, each field's old and new value.
        """
        ...
    def link_external(self, record: str, system: str, external_id: str, now: Optional[datetime] = None) -> _r.ExternalLink:
        """Links a record to its id in another system (`erp`, `shop`): one id per record
        and system, and an id names one record of the kind in its system
        (`duplicate` otherwise). Linking again with a new id replaces the old one.
        """
        ...
    def unlink_external(self, record: str, system: str, now: Optional[datetime] = None) -> bool:
        """Removes a record's id in a system; whether it had one.
        """
        ...
    def find_external(self, kind: _r.EntityKind, system: str, external_id: str) -> Optional[_r.RecordKey]:
        """The record of a kind that has this id in a system, if any.
        """
        ...
    def external_ids(self, record: str) -> List[_r.ExternalLink]:
        """A record's ids in other systems.
        """
        ...
    def page(self, kind: _r.EntityKind, query: Optional[Union[_r.ListQuery, Mapping[str, Any]]] = None) -> _r.Page:
        """One page of the records of a kind, as their stored documents: filtered (every
        condition holds), sorted (the id breaks ties) and paged by cursor (`next` is
        where the next page starts; stable while records are written). At most 1000 a
        page (50 when the query does not say).
        """
        ...
    def search(self, query: Union[_r.SearchQuery, Mapping[str, Any]]) -> List[_r.SearchResult]:
        """Searches records by their words (leads, contacts, accounts, opportunities,
        cases, published articles, or the kinds asked for): records holding every
        word first, best first, each with the field that matched and a snippet;
        archived records are not found.
        """
        ...
    def export(self, kind: _r.EntityKind, path: str, options: Union[_r.ExportOptions, Mapping[str, Any]], *, job: Optional[Job] = None) -> _r.ExportReport:
        """Exports the live records of a kind that the options select into a new file
        at `path`: CSV (one column per field, nested fields as dotted paths), JSON
        lines (the stored documents) or Parquet (typed columns), in id order,
        streamed.
        """
        ...
    def export_async(self, kind: _r.EntityKind, path: str, options: Union[_r.ExportOptions, Mapping[str, Any]], *, job: Optional[Job] = None) -> Coroutine[Any, Any, _r.ExportReport]: ...
    def import_file(self, kind: _r.EntityKind, path: str, options: Optional[Union[_r.ImportRecordsOptions, Mapping[str, Any]]] = None, now: Optional[datetime] = None, *, job: Optional[Job] = None) -> _r.ImportRecordsReport:
        """Imports records of a kind (lead, account, contact, purchase, activity,
        opportunity, asset, contract, service_case, campaign) from the CSV or JSON
        lines file at `path`, in any text encoding: columns are dotted field paths
        (an export imports back), `path@key` links by natural key
        (`account@name`), `external_system` upserts by external id, `created_at`
        is honoured; bad rows (or, lenient, bad values) are left out and every
        problem reported.
        """
        ...
    def import_file_async(self, kind: _r.EntityKind, path: str, options: Optional[Union[_r.ImportRecordsOptions, Mapping[str, Any]]] = None, now: Optional[datetime] = None, *, job: Optional[Job] = None) -> Coroutine[Any, Any, _r.ImportRecordsReport]: ...
    def count(self, kind: _r.EntityKind, filter: Optional[Sequence[Union[_r.FieldCondition, Mapping[str, Any]]]] = None) -> int:
        """How many records of a kind match a filter (every condition holds).
        """
        ...

@final
class Privacy:
    """Personal data of one person (by lead, contact or e-mail address): export and
    erase (GDPR articles 15, 17 and 20).
    """
    def export_person(self, person: Union[_r.Person, Mapping[str, Any]], now: Optional[datetime] = None) -> Any:
        """Everything held about a person as one JSON document: their leads and
        contacts, every record hanging on them, every event about them.
        """
        ...
    def erase_person(self, person: Union[_r.Person, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.Erasure:
        """Erases a person: their leads and contacts blanked, what exists only
        because of them deleted, their identifiers removed from kept records and
        from the event log; afterwards nothing of them is left in the store's
        files.
        """
        ...

@final
class Duplicates:
    """Duplicate rules per kind and the review list of possible duplicates.
    """
    def rules(self, kind: _r.EntityKind) -> _r.DuplicateRules:
        """The rules stored records of `kind` (`lead`, `contact`) are matched by: which
        keys (e-mail, phone, name), exact or fuzzy names, thresholds.
        """
        ...
    def set_rules(self, kind: _r.EntityKind, rules: Union[_r.DuplicateRules, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.DuplicateRules:
        """Sets the rules stored records of `kind` are matched by.
        """
        ...
    def reviews(self, status: _r.ReviewStatus, query: Optional[Union[_r.ListQuery, Mapping[str, Any]]] = None) -> _r.Page:
        """One page of the review list in a status (`open`, `merged`,
        `not_duplicate`), as stored documents; the query may filter further.
        """
        ...
    def review(self, id: int) -> _r.DuplicateReview:
        """One review.
        """
        ...
    def resolve(self, id: int, expected_version: int, resolution: Union[_r.Resolution, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.DuplicateReview:
        """Resolves an open review read at `expected_version`: merge the pair into the
        survivor, or remember that they are different people (never reported
        again).
        """
        ...

@final
class CustomFields:
    """Typed custom fields: definitions per record kind, checked on every write, and
    their versioned redefinition.
    """
    def define(self, field: Union[_r.NewCustomField, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.CustomField:
        """Defines a custom field of a kind (`lead`, `account`, `contact`,
        `opportunity`, `activity`, `purchase`, `service_case`, `asset`, `contract`,
        `campaign`). A required field is filled in with its default on the stored
        records.
        """
        ...
    def redefine(self, kind: _r.EntityKind, name: str, expected_version: int, spec: Union[_r.CustomFieldSpec, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.CustomFieldChange:
        """Redefines a field read at `expected_version` (label, type, picklist values,
        required, default): every stored value must fit the new definition, or the
        change is refused naming the records.
        """
        ...
    def rename(self, kind: _r.EntityKind, name: str, expected_version: int, to: str, now: Optional[datetime] = None) -> _r.CustomFieldChange:
        """Renames a field, moving every record's value with it.
        """
        ...
    def remove(self, kind: _r.EntityKind, name: str, expected_version: int, purge: bool, now: Optional[datetime] = None) -> _r.CustomFieldChange:
        """Removes a field; `in_use` while records hold values unless `purge` removes
        them too.
        """
        ...
    def list(self, kind: _r.EntityKind) -> List[_r.CustomField]:
        """The custom fields of a kind, by name.
        """
        ...
    def get(self, kind: _r.EntityKind, name: str) -> Optional[_r.CustomField]:
        """One custom field, if the kind has it.
        """
        ...

@final
class Access:
    """Access control: users, teams, roles, permission sets, organisation-wide
    defaults, sharing rules and manual shares, and how far the handle's user may go
    with a record. A handle bound to a user (`as_user`) is refused (`forbidden`)
    what that user may not do.
    """
    def set_user(self, spec: Union[_r.UserSpec, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.User:
        """Creates or replaces the user with this login (active, locale, time zone,
        manager, role, permission sets).
        """
        ...
    def user(self, login: str) -> Optional[_r.User]:
        """The user with a login, if any.
        """
        ...
    def users(self) -> List[_r.User]:
        """Every user, in id order.
        """
        ...
    def set_team(self, spec: Union[_r.TeamSpec, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.Team:
        """Creates or replaces a team and its members; records it owns name
        `team:<name>` as their owner.
        """
        ...
    def teams(self) -> List[_r.Team]:
        """Every team, in id order.
        """
        ...
    def set_role(self, spec: Union[_r.RoleSpec, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.Role:
        """Creates or replaces a role: the role above it, its permission sets, the
        fields hidden or read-only for its users.
        """
        ...
    def roles(self) -> List[_r.Role]:
        """Every role, in id order.
        """
        ...
    def set_permission_set(self, spec: Union[_r.PermissionSetSpec, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.PermissionSet:
        """Creates or replaces a permission set: read / create / edit / delete /
        export, view all and modify all per kind, and system permissions.
        """
        ...
    def permission_sets(self) -> List[_r.PermissionSet]:
        """Every permission set, in id order.
        """
        ...
    def set_org_default(self, kind: _r.EntityKind, access: _r.OrgDefault, now: Optional[datetime] = None) -> _r.OrgDefaultSetting:
        """Sets the organisation-wide default of a kind with owners: `private`,
        `public_read` or `public_read_write`.
        """
        ...
    def org_defaults(self) -> List[_r.OrgDefaultSetting]:
        """The organisation-wide defaults that were set (the others are private).
        """
        ...
    def set_sharing_rule(self, spec: Union[_r.SharingRuleSpec, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.SharingRule:
        """Creates or replaces a sharing rule: the records of a kind matching its
        filter shared, read or edit, with a user, team, role or role and below.
        """
        ...
    def remove_sharing_rule(self, name: str, now: Optional[datetime] = None) -> _r.SharingRule:
        """Removes a sharing rule.
        """
        ...
    def sharing_rules(self) -> List[_r.SharingRule]:
        """Every sharing rule, in id order.
        """
        ...
    def share(self, record: str, grantee: Union[_r.GranteeRef, Mapping[str, Any]], access: _r.ShareAccess, now: Optional[datetime] = None) -> _r.Share:
        """Shares one record (`lead:7`), read or edit, with a user or a team.
        """
        ...
    def unshare(self, share: int, now: Optional[datetime] = None) -> _r.Share:
        """Takes a manual share back.
        """
        ...
    def shares_of(self, record: str) -> List[_r.Share]:
        """The manual shares of one record.
        """
        ...
    def set_assignment_rule(self, spec: Union[_r.AssignmentRuleSpec, Mapping[str, Any]], now: Optional[datetime] = None) -> _r.AssignmentRule:
        """Creates or replaces an assignment rule: new leads or service cases without an
        owner matching its filter go to a user, a team, a team's members in turn
        (`round_robin`) or the member with the fewest open records
        (`least_loaded`); rules are tried by `order`.
        """
        ...
    def remove_assignment_rule(self, name: str, now: Optional[datetime] = None) -> _r.AssignmentRule:
        """Removes an assignment rule.
        """
        ...
    def assignment_rules(self) -> List[_r.AssignmentRule]:
        """Every assignment rule, in id order.
        """
        ...
    def transfer_records(self, owner: str, new_owner: str, now: Optional[datetime] = None) -> List[_r.RecordKey]:
        """Gives every lead, account, contact, opportunity, activity and case owned by
        `owner` (a login, `team:<name>`, or an owner text from before users
        existed) to the user or `team:<name>` `new_owner`; the records given.
        """
        ...
    def access_to(self, record: str) -> _r.Level:
        """How far the handle's user may go with a record: `none`, `read`, `edit` or
        `full`.
        """
        ...

@final
class Job:
    """A handle on a long call (`job=`): its progress, and a way to stop it."""
    def __init__(self) -> None: ...
    def cancel(self) -> None: ...
    @property
    def cancelled(self) -> bool: ...
    @property
    def progress(self) -> Tuple[int, Optional[int]]: ...

@final
class Crm:
    """The CRM on the embedded SQLite store; its use cases are in its namespaces."""
    @staticmethod
    def open(path: Union[str, PathLike[str]], region: str = "US", busy_timeout: float = 30.0) -> Crm: ...
    @staticmethod
    def in_memory(region: str = "US") -> Crm: ...
    @property
    def default_region(self) -> str: ...
    def close(self) -> None: ...
    def as_actor(self, actor: str) -> Crm: ...
    def as_user(self, login: str) -> Crm: ...
    @property
    def user(self) -> Optional[str]: ...
    @property
    def actor(self) -> str: ...
    @property
    def closed(self) -> bool: ...
    def __enter__(self) -> Crm: ...
    def __exit__(self, *_exc: object) -> bool: ...
    def invoke(self, namespace: str, name: str, args: Optional[Dict[str, Any]] = None) -> Any: ...
    def table(self, kind: str) -> Any: ...
    def frame(self, call: str, **args: Any) -> Any: ...
    @property
    def leads(self) -> Leads: ...
    @property
    def customers(self) -> Customers: ...
    @property
    def sales(self) -> Sales: ...
    @property
    def quotes(self) -> Quotes: ...
    @property
    def service(self) -> Service: ...
    @property
    def desk(self) -> Desk: ...
    @property
    def marketing(self) -> Marketing: ...
    @property
    def scoring(self) -> Scoring: ...
    @property
    def events(self) -> Events: ...
    @property
    def outbox(self) -> Outbox: ...
    @property
    def records(self) -> Records: ...
    @property
    def privacy(self) -> Privacy: ...
    @property
    def duplicates(self) -> Duplicates: ...
    @property
    def custom_fields(self) -> CustomFields: ...
    @property
    def access(self) -> Access: ...
# ---- end of generated
