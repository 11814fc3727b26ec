"""The service desk from Python: a business calendar, an SLA policy, a case worked against
its targets, the SLA table as a DataFrame, and a knowledge-base search.

    python examples/python/service_desk.py
"""

import datetime as dt
from zoneinfo import ZoneInfo

from crm_core import BusinessCalendar, Crm

BERLIN = ZoneInfo("Europe/Berlin")


def at(day: int, h: int, m: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, h, m, tzinfo=BERLIN)


crm = Crm.in_memory(region="DE")
weekdays = ["mon", "tue", "wed", "thu", "fri"]
office = BusinessCalendar(
    "Europe/Berlin",
    [(d, "09:00", "12:30") for d in weekdays] + [(d, "13:30", "18:00") for d in weekdays],
    holidays=[dt.date(2026, 12, 25)],
    exceptions={dt.date(2026, 12, 24): [("09:00", "12:00")]},
)
crm.define_calendar("office", office, now=at(23, 8))
crm.define_sla_policy(
    "standard",
    {"first_response": {"high": 30, "normal": 120}, "resolution": {"high": 480, "normal": 1440}},
    calendar="office",
    now=at(23, 8),
)

acme = crm.create_account(name="Acme Logistics", now=at(23, 8))
case = crm.open_case(
    "Label printer prints blank labels", channel="phone", category="incident",
    priority="high", account=acme, now=at(23, 11, 50),
)
sla = crm.case_sla(case, at=at(23, 12, 0))
print(case.number, "first response due", sla.metric("first_response").ongoing.due_at.astimezone(BERLIN))
assert sla.metric("first_response").ongoing.due_at == at(23, 12, 20)

for alert in crm.check_slas(at=at(23, 12, 25)):
    print("alert:", alert.number, alert.metric, alert.state)

crm.comment_on_case(case, "Which ribbon did you load?", author="agent", at=at(23, 14))
crm.set_case_status(case, "pending_customer", now=at(23, 14))
crm.comment_on_case(case, "Wax, 110 mm", author="customer", at=at(24, 10))

frame = crm.sla_frame(at=at(24, 11))
print(frame[["case", "metric", "state", "elapsed_seconds", "remaining_seconds", "due_at"]].to_string(index=False))

crm.write_article(
    "Blank labels after a ribbon change",
    "The PX9 prints with resin ribbons only; wax ribbons leave labels blank.",
    tags=["printer"], now=at(23, 8),
)
crm.write_article("Resetting the Wi-Fi bridge", "Unplug it for ten seconds.", tags=["network"], now=at(23, 8))
for hit in crm.search_articles("blank labels wax ribbon", k=3):
    print(f"{hit.score:.2f}  {hit.title}")
