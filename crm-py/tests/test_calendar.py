"""Business calendars from Python: due dates across DST and holidays, one and many."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

import crm_core
from crm_core import BusinessCalendar

BERLIN = dt.timezone(dt.timedelta(hours=1))


def office(holidays=()):
    days = ["mon", "tue", "wed", "thu", "fri"]
    return BusinessCalendar(
        "Europe/Berlin",
        [(d, "09:00", "12:00") for d in days] + [(d, "13:00", "17:00") for d in days],
        holidays,
    )


def test_due_dates_skip_lunch_weekends_and_holidays():
    cal = office([dt.date(2026, 12, 25)])
    friday = dt.datetime(2026, 11, 27, 16, 0, tzinfo=BERLIN)
    assert cal.add(friday, dt.timedelta(hours=3)) == dt.datetime(2026, 11, 30, 11, 0, tzinfo=BERLIN)
    eve = dt.datetime(2026, 12, 24, 16, 0, tzinfo=BERLIN)
    due = cal.add(eve, dt.timedelta(hours=2))
    assert due == dt.datetime(2026, 12, 28, 10, 0, tzinfo=BERLIN)
    assert cal.between(eve, due) == dt.timedelta(hours=2)


def test_night_shifts_across_dst():
    cal = BusinessCalendar("Europe/Berlin", [("sat", "22:00", "06:00")])
    spring = dt.datetime(2026, 3, 28, 21, 0, tzinfo=dt.timezone.utc)  # 22:00 CET
    assert cal.between(spring, spring + dt.timedelta(hours=12)) == dt.timedelta(hours=7)


def test_many_due_dates_match_one_at_a_time():
    cal = office([dt.date(2026, 5, 1)])
    rng = np.random.default_rng(3)
    base = np.datetime64("2026-01-01T00:00:00")
    starts = base + rng.integers(0, 300 * 86400, size=500).astype("timedelta64[s]")
    secs = rng.integers(0, 80 * 3600, size=500)
    due = cal.add_many(starts, secs)
    for s, d, got in zip(starts[:50], secs[:50], due[:50]):
        start = pd.Timestamp(s).tz_localize("UTC").to_pydatetime()
        one = cal.add(start, dt.timedelta(seconds=int(d)))
        assert pd.Timestamp(got).tz_localize("UTC").to_pydatetime() == one


def test_bad_calendars():
    with pytest.raises(crm_core.ValidationError):
        BusinessCalendar("Europe/Berlin", [])
    with pytest.raises(crm_core.InputError):
        BusinessCalendar("Mars/Olympus", [("mon", "09:00", "17:00")])
    with pytest.raises(crm_core.InputError):
        BusinessCalendar("UTC", [("someday", "09:00", "17:00")])
