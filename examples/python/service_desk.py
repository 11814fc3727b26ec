"""The service desk from Python: a business calendar, an SLA policy, a queue with a routing
rule and an escalation rule, a case routed to a skilled agent and worked against its
targets, the SLA table as a DataFrame, and a knowledge-base search.

    python examples/python/service_desk.py
"""

import datetime as dt
from zoneinfo import ZoneInfo

from crm_core import Crm

BERLIN = ZoneInfo("Europe/Berlin")


def at(day: int, h: int, m: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, h, m, tzinfo=BERLIN)


def hours(weekday: str, start: int, end: int, start_min: int = 0) -> dict:
    return {"weekday": weekday, "start": dt.time(start, start_min), "end": dt.time(end, 0)}


crm = Crm.in_memory(region="DE")
weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri"]
crm.service.define_calendar(
    "office",
    {
        "time_zone": "Europe/Berlin",
        "intervals": [hours(d, 9, 12) for d in weekdays] + [hours(d, 13, 18, 30) for d in weekdays],
        "holidays": [dt.date(2026, 12, 25)],
        "exceptions": {"2026-12-24": [[dt.time(9), dt.time(12)]]},
    },
    now=at(23, 8),
)
crm.service.define_sla_policy(
    {"name": "standard", "position": 0, "metrics": [
        {"metric": "first_response", "targets": [
            {"priority": "high", "minutes": 30, "calendar": "office"},
            {"priority": "normal", "minutes": 120, "calendar": "office"}]},
        {"metric": "resolution", "targets": [
            {"priority": "high", "minutes": 480, "calendar": "office"},
            {"priority": "normal", "minutes": 1440, "calendar": "office"}]},
    ]},
    now=at(23, 8),
)
# The desk: printer cases go to the printer queue, to an agent who knows label printers;
# a first response at risk tells the team lead.
crm.desk.define_queue({"name": "Printers", "members": ["kim", "sam"], "strategy": "round_robin"}, now=at(23, 8))
crm.desk.set_agent({"login": "sam", "skills": ["labels"], "available": True}, now=at(23, 8))
crm.desk.define_routing_rule({"name": "Label printers", "queue": "printers", "skills": ["labels"],
                              "when": [{"when": "keywords", "any": ["printer"]}]}, now=at(23, 8))
crm.desk.define_escalation_rule({"name": "First response at risk",
                                 "on": {"on": "sla", "level": "warning", "metric": "first_response"},
                                 "actions": [{"do": "notify", "to": ["lead"], "message": "{{number}}: {{trigger}}"}]},
                                now=at(23, 8))
case = crm.service.open_case(
    {"subject": "Label printer prints blank labels", "channel": "phone", "category": "incident", "priority": "high"},
    now=at(23, 11, 50),
)
print(case.number, "routed to", case.queue, "/", case.owner)
assert case.owner == "sam"
sla = crm.service.case_sla(case.id, at(23, 12, 0))
first = next(m for m in sla.metrics if m.metric == "first_response")
print(case.number, "first response due", first.ongoing.due_at.astimezone(BERLIN))
for alert in crm.service.check_slas(at(23, 13, 45)):
    print("alert:", alert.number, alert.metric, alert.state)
for note in crm.outbox.take(10, "notification", now=at(23, 13, 45)):   # the host sends these
    print("notify", note.payload["to"], note.payload["message"])
    crm.outbox.succeed(note.id, None, now=at(23, 13, 46))

crm.service.comment_on_case(case.id, {"author": "agent", "name": "Sam", "public": True,
                                      "body": "Which ribbon did you load?", "at": at(23, 14)})
crm.service.set_case_status(case.id, "pending_customer", now=at(23, 14))
report = crm.service.sla_report(at(24, 11))
print(f"{len(report)} SLA rows at Tuesday 11:00")

crm.service.write_article(
    {"title": "Blank labels after a ribbon change",
     "body": "The PX9 prints with resin ribbons only; wax ribbons leave labels blank.", "tags": ["printer"]},
    "published", now=at(23, 8),
)
crm.service.write_article({"title": "Resetting the Wi-Fi bridge", "body": "Unplug it for ten seconds.",
                           "tags": ["network"]}, "published", now=at(23, 8))
for hit in crm.service.search_articles("blank labels wax ribbon", 3):
    print(f"{hit.score:.2f}  {hit.title}")
