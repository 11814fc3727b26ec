//! The SLA engine on case histories: a golden week in Berlin with the arithmetic written
//! out, and properties (pauses never count; the same local calendar gives the same results
//! in every zone).

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use crm_core::id::CaseId;
use crm_core::service::sla::{SlaState, evaluate};
use crm_core::service::{
    BusinessCalendar, Case, CaseCategory, CaseChannel, CaseComment, CasePriority, CaseStatus,
    CommentAuthor, MetricRule, NewCase, SlaMetric, SlaPolicy, SlaTarget, WorkingInterval,
};
use proptest::prelude::*;

fn office(tz: Tz) -> BusinessCalendar {
    let hm = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
    let intervals = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
    ]
    .into_iter()
    .map(|weekday| WorkingInterval {
        weekday,
        start: hm(9),
        end: hm(17),
    })
    .collect();
    BusinessCalendar::new(tz, intervals, BTreeSet::new()).unwrap()
}

fn policy(calendar: Option<&str>) -> SlaPolicy {
    let target = |minutes| {
        vec![SlaTarget {
            priority: CasePriority::High,
            minutes,
            calendar: calendar.map(str::to_string),
        }]
    };
    SlaPolicy {
        name: "standard".into(),
        position: 0,
        applies_to: Default::default(),
        warning_percent: 75,
        metrics: vec![
            MetricRule {
                metric: SlaMetric::FirstResponse,
                conditions: None,
                targets: target(60),
            },
            MetricRule {
                metric: SlaMetric::NextResponse,
                conditions: None,
                targets: target(120),
            },
            MetricRule {
                metric: SlaMetric::Resolution,
                conditions: None,
                targets: target(480),
            },
        ],
    }
}

fn new_case(at: DateTime<Utc>) -> Case {
    Case::open(
        CaseId::new(1).unwrap(),
        NewCase {
            custom: Default::default(),
            subject: "Scanner offline".into(),
            description: String::new(),
            channel: CaseChannel::Email,
            category: CaseCategory::Incident,
            priority: CasePriority::High,
            account: None,
            contact: None,
            asset: None,
            contract: None,
            owner: None,
            queue: None,
            product: None,
            language: None,
        },
        at,
    )
}

fn comment(author: CommentAuthor, at: DateTime<Utc>) -> CaseComment {
    CaseComment {
        author,
        name: "x".into(),
        public: true,
        body: "text".into(),
        at,
    }
}

fn berlin(d: u32, h: u32, m: u32) -> DateTime<Utc> {
    let tz = chrono_tz::Europe::Berlin;
    let month = if d >= 27 { 11 } else { 12 };
    tz.with_ymd_and_hms(2026, month, d, h, m, 0)
        .unwrap()
        .with_timezone(&Utc)
}

/// Office hours Mon–Fri 9–17 in Berlin; targets (high): first response 60 min, next
/// response 120 min, resolution 480 min; warning at 75 %.
#[test]
fn a_golden_week_in_berlin() {
    let cal = office(chrono_tz::Europe::Berlin);
    let find = |name: &str| (name == "office").then_some(&cal);
    let p = policy(Some("office"));
    // Opened Friday 27 November 16:30.
    let mut c = new_case(berlin(27, 16, 30));
    // First response Monday 30th 9:20: 30 min on Friday + 20 min = 50 min ≤ 60: met.
    c.add_comment(comment(CommentAuthor::Agent, berlin(30, 9, 20)))
        .unwrap();
    // Pending the customer from Monday 10:00: resolution 30 + 60 = 90 min, then paused.
    c.set_status(CaseStatus::PendingCustomer, berlin(30, 10, 0))
        .unwrap();
    let sla = evaluate(&p, &c, &find, berlin(1, 12, 0)).unwrap();
    let res = &sla.metrics[2];
    assert_eq!(res.state, SlaState::Paused);
    let o = res.ongoing.as_ref().unwrap();
    assert_eq!(
        (o.elapsed_seconds, o.paused, o.due_at),
        (90 * 60, true, None)
    );
    assert_eq!(sla.metrics[0].state, SlaState::Met);
    assert_eq!(sla.metrics[0].completed[0].elapsed_seconds, 50 * 60);
    assert_eq!(sla.metrics[1].state, SlaState::Inactive);
    // The customer answers Tuesday 1 December 14:00: the case reopens (open), a next-
    // response cycle starts, resolution resumes.
    c.add_comment(comment(CommentAuthor::Customer, berlin(1, 14, 0)))
        .unwrap();
    assert_eq!(c.status, CaseStatus::Open);
    // Tuesday 15:30: next response 90 of 120 min = 75 %: warning, due 16:00.
    let sla = evaluate(&p, &c, &find, berlin(1, 15, 30)).unwrap();
    let next = sla.metrics[1].ongoing.as_ref().unwrap();
    assert_eq!(sla.metrics[1].state, SlaState::Warning);
    assert_eq!(next.due_at, Some(berlin(1, 16, 0)));
    assert_eq!(next.remaining_seconds, 30 * 60);
    // Resolution: 90 + 90 = 180 of 480 min; 300 left = Tuesday 15:30–17:00 (90) +
    // Wednesday 9:00 + 210 min = 12:30.
    let res = sla.metrics[2].ongoing.as_ref().unwrap();
    assert_eq!(
        (res.elapsed_seconds, res.state),
        (180 * 60, SlaState::OnTrack)
    );
    assert_eq!(res.due_at, Some(berlin(2, 12, 30)));
    assert_eq!(sla.state, SlaState::Warning);
    // Tuesday 16:30: breached (due 16:00).
    let sla = evaluate(&p, &c, &find, berlin(1, 16, 30)).unwrap();
    let next = sla.metrics[1].ongoing.as_ref().unwrap();
    assert_eq!(
        (next.state, next.due_at, next.remaining_seconds),
        (SlaState::Breached, Some(berlin(1, 16, 0)), -30 * 60)
    );
    // Overnight nothing counts and the clock is outside calendar hours.
    let night = evaluate(&p, &c, &find, berlin(1, 22, 0)).unwrap();
    let n = night.metrics[1].ongoing.as_ref().unwrap();
    assert_eq!(
        (n.elapsed_seconds, n.within_calendar_hours),
        (180 * 60, false)
    );
    // Agent answers Wednesday 9:15 (180 + 15 = 195 min: breached); resolved at 11:00
    // (resolution 90 + 180 + 120 = 390 ≤ 480: met).
    c.add_comment(comment(CommentAuthor::Agent, berlin(2, 9, 15)))
        .unwrap();
    c.set_status(CaseStatus::Resolved, berlin(2, 11, 0))
        .unwrap();
    let sla = evaluate(&p, &c, &find, berlin(2, 12, 0)).unwrap();
    let states: Vec<SlaState> = sla.metrics.iter().map(|m| m.state).collect();
    assert_eq!(states, [SlaState::Met, SlaState::Breached, SlaState::Met]);
    assert_eq!(sla.metrics[1].completed[0].elapsed_seconds, 195 * 60);
    assert_eq!(sla.metrics[2].completed[0].elapsed_seconds, 390 * 60);
    assert_eq!(sla.state, SlaState::Breached);
    let keys: Vec<String> = sla.alerts().iter().map(|a| a.key()).collect();
    assert_eq!(keys, ["next_response/0/breached"]);
    // Reopened Thursday 10:00: a second resolution cycle.
    c.set_status(CaseStatus::Reopened, berlin(3, 10, 0))
        .unwrap();
    let sla = evaluate(&p, &c, &find, berlin(3, 11, 0)).unwrap();
    assert_eq!(sla.metrics[2].completed.len(), 1);
    assert_eq!(
        sla.metrics[2].ongoing.as_ref().unwrap().elapsed_seconds,
        3600
    );
    // An unknown calendar is an error, not a silent 24×7.
    let none = |_: &str| None;
    assert_eq!(
        evaluate(&p, &c, &none, berlin(3, 11, 0))
            .unwrap_err()
            .code(),
        "not_found"
    );
}

/// Priorities without a target are not measured; a priority change moves the target.
#[test]
fn targets_follow_the_priority() {
    let p = policy(None);
    let mut c = new_case(berlin(27, 9, 0));
    c.set_priority(CasePriority::Low, berlin(27, 9, 10))
        .unwrap();
    let none = |_: &str| None;
    assert!(
        evaluate(&p, &c, &none, berlin(27, 10, 0))
            .unwrap()
            .metrics
            .is_empty()
    );
    c.set_priority(CasePriority::High, berlin(27, 9, 30))
        .unwrap();
    let sla = evaluate(&p, &c, &none, berlin(27, 10, 0)).unwrap();
    // Round the clock: 60 min since opening = the first-response target, not yet breached.
    let first = sla.metrics[0].ongoing.as_ref().unwrap();
    assert_eq!(
        (first.elapsed_seconds, first.state),
        (3600, SlaState::Warning)
    );
    assert_eq!(first.due_at, Some(berlin(27, 10, 0)));
}

proptest! {
    /// Time in a pause status never counts: with a round-the-clock target, resolution
    /// time is exactly the time spent outside pending/on-hold, computed independently.
    #[test]
    fn pauses_never_count(steps in prop::collection::vec((1i64..600, 0usize..3), 1..20)) {
        let p = policy(None);
        let start = berlin(27, 9, 0);
        let mut c = new_case(start);
        let mut t = start;
        let mut counted = 0i64;
        let mut status = CaseStatus::New;
        for (minutes, choice) in steps {
            let next = t + Duration::minutes(minutes);
            if !matches!(status, CaseStatus::PendingCustomer | CaseStatus::OnHold) {
                counted += minutes * 60;
            }
            let to = [CaseStatus::Open, CaseStatus::PendingCustomer, CaseStatus::OnHold][choice];
            if c.status.can_become(to) {
                c.set_status(to, next).unwrap();
                status = to;
            }
            t = next;
        }
        let end = t + Duration::minutes(5);
        if !matches!(status, CaseStatus::PendingCustomer | CaseStatus::OnHold) {
            counted += 300;
        }
        let none = |_: &str| None;
        let sla = evaluate(&p, &c, &none, end).unwrap();
        let res = sla.metrics.iter().find(|m| m.metric == SlaMetric::Resolution).unwrap();
        let o = res.ongoing.as_ref().unwrap();
        prop_assert_eq!(o.elapsed_seconds, counted);
        prop_assert_eq!(o.paused, matches!(status, CaseStatus::PendingCustomer | CaseStatus::OnHold));
        prop_assert_eq!(o.remaining_seconds, 480 * 60 - counted);
    }

    /// The same local office hours and the same local case history give the same elapsed
    /// and remaining times, and the same local due instants, in every zone.
    #[test]
    fn the_same_in_every_zone(open_min in 0i64..(14 * 1440), pend in 1i64..3000, back in 1i64..3000, look in 1i64..5000) {
        let zones = [chrono_tz::UTC, chrono_tz::Asia::Tokyo, chrono_tz::America::Bogota, chrono_tz::Asia::Kolkata];
        let local0 = NaiveDate::from_ymd_opt(2026, 2, 2).unwrap().and_hms_opt(0, 0, 0).unwrap();
        let mut seen = None;
        for tz in zones {
            let cal = office(tz);
            let find = |name: &str| (name == "office").then_some(&cal);
            let at = |m: i64| tz.from_local_datetime(&(local0 + Duration::minutes(m))).single().unwrap().with_timezone(&Utc);
            let mut c = new_case(at(open_min));
            c.set_status(CaseStatus::PendingCustomer, at(open_min + pend)).unwrap();
            c.set_status(CaseStatus::Open, at(open_min + pend + back)).unwrap();
            let sla = evaluate(&policy(Some("office")), &c, &find, at(open_min + pend + back + look)).unwrap();
            let summary: Vec<(i64, i64, Option<chrono::NaiveDateTime>, SlaState)> = sla
                .metrics
                .iter()
                .filter_map(|m| m.ongoing.as_ref())
                .map(|o| (o.elapsed_seconds, o.remaining_seconds, o.due_at.map(|d| d.with_timezone(&tz).naive_local()), o.state))
                .collect();
            match &seen {
                None => seen = Some(summary),
                Some(s) => prop_assert_eq!(s, &summary),
            }
        }
    }
}
