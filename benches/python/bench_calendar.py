"""Business-calendar due dates: crm_core against pandas' CustomBusinessHour offsets with
the same working hours (09-12, 13-17, Monday to Friday) and holidays.

1M due dates with crm_core (one call, a precomputed timeline); pandas applies an offset per
timestamp in Python, so it is timed on a sample and compared per due date. Answers are
compared on the sample; where they differ, the first difference is printed.

    .venv/bin/python benches/python/bench_calendar.py
"""

from __future__ import annotations

import datetime as dt
import time
import warnings

import numpy as np
import pandas as pd

from crm_core import BusinessCalendar

N = 1_000_000
SAMPLE = 20_000
HOLIDAYS = [dt.date(2026, 1, 1), dt.date(2026, 4, 3), dt.date(2026, 5, 1), dt.date(2026, 12, 25), dt.date(2026, 12, 28)]


def main() -> None:
    days = ["mon", "tue", "wed", "thu", "fri"]
    cal = BusinessCalendar("UTC", [(d, "09:00", "12:00") for d in days] + [(d, "13:00", "17:00") for d in days], HOLIDAYS)
    rng = np.random.default_rng(1)
    base = np.datetime64("2026-01-01T00:00:00")
    # Starts inside working hours on working days (pandas and crm_core then agree on what
    # "adding business time" means), durations 1-40 whole hours.
    starts = base + rng.integers(0, 330 * 24, size=N).astype("timedelta64[h]") + rng.integers(0, 60, size=N).astype("timedelta64[m]")
    hours = rng.integers(1, 41, size=N)

    t = time.perf_counter()
    due = cal.add_many(starts, hours * 3600)
    ours = time.perf_counter() - t
    per_ours = ours / N

    offsets = {h: pd.offsets.CustomBusinessHour(n=int(h), start=["09:00", "13:00"], end=["12:00", "17:00"], holidays=HOLIDAYS) for h in range(1, 41)}
    sample = [pd.Timestamp(s) for s in starts[:SAMPLE]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = time.perf_counter()
        theirs = [s + offsets[int(h)] for s, h in zip(sample, hours[:SAMPLE])]
        pandas_time = time.perf_counter() - t
    per_pandas = pandas_time / SAMPLE

    ours_sample = [pd.Timestamp(d) for d in due[:SAMPLE]]
    differ = [(i, s, h, a, b) for i, (s, h, a, b) in enumerate(zip(sample, hours[:SAMPLE], ours_sample, theirs)) if a != b]
    print(f"crm_core add_many: {N} due dates in {ours * 1e3:.0f} ms = {per_ours * 1e9:.0f} ns each")
    print(f"pandas CustomBusinessHour: {SAMPLE} due dates in {pandas_time * 1e3:.0f} ms = {per_pandas * 1e6:.1f} µs each")
    print(f"speed-up per due date: {per_pandas / per_ours:.0f}× (goal ≥ 100×: {'met' if per_pandas / per_ours >= 100 else 'NOT met'})")
    utc = dt.timezone.utc
    same_instant = sum(
        1
        for _, _, _, a, b in differ
        if cal.between(a.to_pydatetime().replace(tzinfo=utc), b.to_pydatetime().replace(tzinfo=utc)) == dt.timedelta(0)
    )
    print(f"answers on the sample: {SAMPLE - len(differ)} equal, {len(differ)} different")
    print(f"  of the different ones, {same_instant} are the same business instant: a due date at the"
          " end of a working interval is that closing time for crm_core and the next opening"
          " for pandas (no working time lies between them)")
    for i, s, h, a, b in differ[:3]:
        print(f"  start {s} + {h} business hours: crm_core {a}, pandas {b}")
    pandas_issue_16867()


def pandas_issue_16867() -> None:
    """pandas issue 16867: from Friday 17 January 2014 15:00, the day before Martin Luther
    King Day (a holiday), 8 business hours (09-17) must land on Tuesday 21st 15:00; pandas
    0.19-era versions answered Monday 20th 15:00 (the holiday) once the offset reached a
    full business day. Both answers are printed with the pandas installed here."""
    holiday = dt.date(2014, 1, 20)
    cal = BusinessCalendar("UTC", [(d, "09:00", "17:00") for d in ["mon", "tue", "wed", "thu", "fri"]], [holiday])
    start = dt.datetime(2014, 1, 17, 15, tzinfo=dt.timezone.utc)
    expected = dt.datetime(2014, 1, 21, 15, tzinfo=dt.timezone.utc)
    ours = cal.add(start, dt.timedelta(hours=8))
    assert ours == expected, ours
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = pd.Timestamp(2014, 1, 17, 15) + 8 * pd.offsets.CustomBusinessHour(holidays=[holiday])
    verdict = "right (fixed in this version)" if theirs == pd.Timestamp(2014, 1, 21, 15) else "WRONG (the bug)"
    print(f"pandas issue 16867 (Fri 2014-01-17 15:00 + 8 business hours, Mon 20th a holiday): "
          f"crm_core {ours:%a %Y-%m-%d %H:%M}, pandas {pd.__version__} {theirs:%a %Y-%m-%d %H:%M}: {verdict}")


if __name__ == "__main__":
    main()
