"""Instants as RFC 3339 text for the few native calls that take text (business calendars,
columnar report filters, rule scoring)."""

from __future__ import annotations

import datetime as _dt
from typing import Optional


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


def now_text(now: Optional[_dt.datetime]) -> str:
    """``now`` (default: the current UTC time) as RFC 3339 for the native layer."""
    return format_instant(now if now is not None else _dt.datetime.now(_dt.timezone.utc))
