//! Activities in full: recurring meetings with attendees and reminders, rescheduled and
//! cancelled; a call logged as one record that counts as engagement in scoring and shows
//! on the customer's timeline.

use chrono::{DateTime, Duration, TimeZone, Utc};
use crm::activity::{ActivityKind, Attendee, NewActivity, NewCall};
use crm::customer::NewContact;
use crm::id::RecordRef;
use crm::scoring::features::{Feature, FeatureSpec};
use crm::scoring::rules::{EngagementRule, RuleSet, Thresholds};
use crm::store::MemoryStore;
use crm::tracking::CallDirection;
use crm::{Crm, ErrorKind, LeadField, LeadInput, Region};

fn t(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, day, hour, 0, 0).unwrap()
}

fn call(subject: RecordRef, at: DateTime<Utc>) -> NewCall {
    NewCall {
        subject,
        direction: CallDirection::Outbound,
        at,
        duration_secs: 300,
        number: Some("+1 555 0100".into()),
        title: None,
        purpose: Some("Discovery".into()),
        outcome: Some("Interested".into()),
        follow_up_at: Some(at + Duration::days(7)),
        owner: Some("rita".into()),
        notes: None,
    }
}

#[test]
fn recurring_meetings_remind_and_cancel() {
    let crm = Crm::new(MemoryStore::new(), Region::parse("US").unwrap());
    let c = crm
        .create_contact(
            NewContact {
                last_name: Some("Lovelace".into()),
                ..Default::default()
            },
            t(1, 9),
        )
        .unwrap();
    let mut new = NewActivity::new(
        ActivityKind::Meeting,
        RecordRef::Contact(c.id),
        "Daily stand-up",
    );
    new.due_at = Some(t(1, 10));
    new.recurrence = Some("FREQ=DAILY;INTERVAL=2".into());
    new.reminders = vec![30];
    new.attendees = vec![
        Attendee::Contact { id: c.id },
        Attendee::User {
            login: "rita".into(),
        },
    ];
    let a = crm.log_activity(new.clone(), t(1, 9)).unwrap();
    let days = crm
        .activity_occurrences(a.id, t(1, 0), t(10, 23), 100)
        .unwrap();
    assert_eq!(days, [t(1, 10), t(3, 10), t(5, 10), t(7, 10), t(9, 10)]);
    let limited = crm
        .activity_occurrences(a.id, t(1, 0), t(30, 0), 2)
        .unwrap();
    assert_eq!(limited.len(), 2, "at most the limit");
    let reminders = crm.due_reminders(t(4, 0), t(6, 0)).unwrap();
    assert_eq!(reminders.len(), 1);
    assert_eq!(reminders[0].remind_at, t(5, 10) - Duration::minutes(30));
    // the same attendee twice is refused, nothing stored
    let mut twice = new.clone();
    twice.attendees.push(Attendee::Contact { id: c.id });
    let err = crm.log_activity(twice, t(1, 9)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    let cancelled = crm
        .cancel_activity(a.id, Some("moved to chat".into()), t(2, 9))
        .unwrap();
    assert!(cancelled.is_cancelled() && !cancelled.is_open());
    assert!(crm.due_reminders(t(4, 0), t(6, 0)).unwrap().is_empty());
    assert_eq!(
        crm.cancel_activity(a.id, None, t(2, 9)).unwrap_err().kind(),
        ErrorKind::IllegalTransition
    );
}

#[test]
fn a_call_is_one_record_that_counts_as_engagement() {
    let crm = Crm::new(MemoryStore::new(), Region::parse("US").unwrap());
    let lead = crm
        .capture_lead(
            &LeadInput::new()
                .with(LeadField::LastName, "Hopper")
                .with(LeadField::Email, "grace@navy.example.com"),
            t(1, 9),
        )
        .unwrap()
        .lead;
    let spec = FeatureSpec {
        features: vec![Feature::TouchCount {
            kind: "phone_call".into(),
            days: 30.0,
        }],
    };
    let before = crm.lead_features(&spec, &[lead.id], t(3, 9)).unwrap();
    assert_eq!(before.x, [0.0]);
    let logged = crm
        .log_call(call(RecordRef::Lead(lead.id), t(2, 15)), t(2, 16))
        .unwrap();
    assert_eq!(logged.kind, ActivityKind::Call);
    assert_eq!(logged.completed_at, Some(t(2, 15) + Duration::seconds(300)));
    assert_eq!(logged.duration_minutes, Some(5));
    let after = crm.lead_features(&spec, &[lead.id], t(3, 9)).unwrap();
    assert_eq!(
        after.x,
        [1.0],
        "the call counts once, as a phone-call touch"
    );
    // a rule on phone calls scores it
    let rules = RuleSet {
        fit: vec![],
        engagement: vec![EngagementRule {
            name: "Calls".into(),
            kind: "phone_call".into(),
            points: 20.0,
            half_life_days: 30.0,
            max_points: None,
        }],
        max_score: None,
        min_score: None,
        thresholds: Thresholds {
            hot: 50.0,
            warm: 10.0,
        },
    };
    let report = crm.rescore_leads(&rules, t(2, 16)).unwrap();
    assert_eq!(report.changed, 1);
    assert!(crm.lead(lead.id).unwrap().score.unwrap() > 19.0);
    // a logged call took place: it is done, and cannot be cancelled
    assert_eq!(
        crm.cancel_activity(logged.id, None, t(2, 17))
            .unwrap_err()
            .kind(),
        ErrorKind::IllegalTransition
    );

    // On a contact: the timeline shows the call once, with what it was.
    let c = crm
        .create_contact(
            NewContact {
                last_name: Some("Hopper".into()),
                ..Default::default()
            },
            t(1, 9),
        )
        .unwrap();
    crm.log_call(call(RecordRef::Contact(c.id), t(4, 11)), t(4, 12))
        .unwrap();
    let page = crm.timeline(RecordRef::Contact(c.id), 10, None).unwrap();
    let calls: Vec<&str> = page
        .entries
        .iter()
        .map(|e| e.summary.as_str())
        .filter(|s| s.contains("call"))
        .collect();
    assert_eq!(calls, ["outbound call, +1 555 0100, Call: Interested"]);
}
