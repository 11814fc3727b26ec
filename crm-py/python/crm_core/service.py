"""Business calendars: SLA due dates on a team's working time, one at a time or a million
at once from numpy / pandas."""

from __future__ import annotations

import datetime as _dt
import json
from typing import Any, Iterable, Mapping, Sequence, Tuple

import numpy as np

from . import _crm_core
from .errors import InputError
from ._time import format_instant, parse_instant

__all__ = ["BusinessCalendar"]

_DAYS = {"mon": "Mon", "tue": "Tue", "wed": "Wed", "thu": "Thu", "fri": "Fri", "sat": "Sat", "sun": "Sun"}


def _time(text: str) -> str:
    parts = text.split(":")
    if len(parts) == 2:
        parts.append("00")
    return ":".join(p.zfill(2) for p in parts)


class BusinessCalendar:
    """A team's working time: ``intervals`` are ``(weekday, "09:00", "17:00")`` in the
    ``time_zone`` (an end not after the start is an overnight shift), ``holidays`` local
    dates, ``exceptions`` one-off hours for a date (``{date(2026, 12, 24): [("09:00",
    "12:00")]}``; an empty list closes the day). Arithmetic is exact across daylight-saving
    changes."""

    def __init__(
        self,
        time_zone: str,
        intervals: Iterable[Tuple[str, str, str]],
        holidays: Iterable[_dt.date] = (),
        exceptions: Mapping[_dt.date, Iterable[Tuple[str, str]]] = {},
    ) -> None:
        items = []
        for day, start, end in intervals:
            key = day.strip().lower()[:3]
            if key not in _DAYS:
                raise InputError(f"weekday {day!r}: use mon … sun")
            items.append({"weekday": _DAYS[key], "start": _time(start), "end": _time(end)})
        spec = {
            "time_zone": time_zone,
            "intervals": items,
            "holidays": sorted(d.isoformat() for d in holidays),
            "exceptions": {
                d.isoformat(): [[_time(a), _time(b)] for a, b in spans] for d, spans in exceptions.items()
            },
        }
        self._native = _crm_core.BusinessCalendar.from_json(json.dumps(spec))

    def add(self, start: _dt.datetime, duration: _dt.timedelta) -> _dt.datetime:
        """The instant ``duration`` of working time after ``start`` (timezone-aware)."""
        return parse_instant(self._native.add(format_instant(start), int(duration.total_seconds())))

    def between(self, start: _dt.datetime, end: _dt.datetime) -> _dt.timedelta:
        """The working time between two instants."""
        return _dt.timedelta(seconds=self._native.between(format_instant(start), format_instant(end)))

    def add_many(self, starts: Any, durations: Any) -> np.ndarray:
        """Due instants for many starts (``datetime64`` values, read as UTC, or a tz-aware
        pandas Series) and working durations (``timedelta64`` or seconds), as a UTC
        ``datetime64[s]`` array. One precomputed timeline, the GIL released."""
        s = np.asarray(starts)
        if s.dtype.kind == "O" and hasattr(starts, "dt"):  # tz-aware pandas Series
            s = starts.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy()
        if s.dtype.kind != "M":
            raise InputError(f"starts must be datetime64 values, not {s.dtype}")
        secs_start = np.ascontiguousarray(s.astype("datetime64[s]").view(np.int64))
        d = np.asarray(durations)
        secs = d.astype("timedelta64[s]").view(np.int64) if d.dtype.kind == "m" else d.astype(np.int64)
        out = self._native.add_many(secs_start, np.ascontiguousarray(secs))
        return out.view("datetime64[s]")
