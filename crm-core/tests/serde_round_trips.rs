//! Every stored record and event survives JSON unchanged (serde round-trips), whatever the
//! text, amounts and instants in it.

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use crm_core::activity::{Activity, ActivityKind};
use crm_core::customer::{
    BestTimeToCall, CallWindow, Contact, ContactPhone, Feedback, NewContact, PhoneKind, Purchase,
};
use crm_core::event::DomainEvent;
use crm_core::id::{
    AccountId, ActivityId, ContactId, OpportunityId, PipelineId, PurchaseId, RecordRef,
    TouchpointId,
};
use crm_core::lead::Attribution;
use crm_core::sales::{KeyPlayer, NewOpportunity, Opportunity, Pipeline};
use crm_core::tracking::{CallDirection, Touchpoint, TouchpointKind};
use crm_core::{Currency, Email, Money, Percent, Phone, Region};
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde::Serialize;
use serde::de::DeserializeOwned;

fn round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(
    value: &T,
) -> Result<(), TestCaseError> {
    let json = serde_json::to_string(value).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let back: T =
        serde_json::from_str(&json).map_err(|e| TestCaseError::fail(format!("{e}: {json}")))?;
    prop_assert_eq!(&back, value);
    Ok(())
}

fn instant(secs: i64, nanos: u32) -> DateTime<Utc> {
    Utc.timestamp_opt(secs, nanos).unwrap()
}

proptest! {
    #[test]
    fn opportunities(name in "\\PC{1,30}", cents in 0i64..10_000_000_000, pct in 0u32..=100, secs in 0i64..4_000_000_000, nanos in 0u32..1_000_000_000, reason in "\\PC{1,20}") {
        let pipeline = Pipeline { id: PipelineId::new(1).unwrap(), version: crm_core::Version::new(1), name: "P".into(), stages: Pipeline::default_stages(), on_quote_accepted: crm_core::sales::OnQuoteAccepted { follow_amount: pct % 2 == 0, stage: Some(reason.clone()) } };
        let at = instant(secs, nanos);
        let new = NewOpportunity {
            custom: Default::default(),
            name,
            account: AccountId::new(2).unwrap(),
            contact: Some(ContactId::new(3).unwrap()),
            pipeline: pipeline.id,
            stage: None,
            amount: Money::new(Decimal::new(cents, 2), Currency::parse("EUR").unwrap()),
            expected_close: NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
            owner: Some("sam".into()),
            products: vec!["A".into()],
        };
        prop_assume!(!new.name.trim().is_empty());
        let mut o = Opportunity::open(OpportunityId::new(4).unwrap(), new, &pipeline, at).unwrap();
        o.key_players.push(KeyPlayer { contact: ContactId::new(3).unwrap(), role: "champion".into() });
        o.set_probability(Percent::new(Decimal::from(pct)).unwrap(), at).unwrap();
        o.advance(&pipeline, "Proposal", at).unwrap();
        o.lose(&pipeline, &reason, at).ok();
        round_trip(&o)?;
    }

    #[test]
    fn contacts_touchpoints_activities_purchases(text in "\\PC{0,30}", secs in 0i64..4_000_000_000, qty in 1i64..1_000_000, rating in 1u8..=5) {
        let at = instant(secs, 0);
        let best = BestTimeToCall::new(chrono_tz::Europe::Paris, vec![CallWindow {
            weekday: Weekday::Wed, start: NaiveTime::from_hms_opt(9, 0, 0).unwrap(), end: NaiveTime::from_hms_opt(12, 30, 0).unwrap(),
        }]).unwrap();
        let contact: Contact = NewContact {
            account: Some(AccountId::new(1).unwrap()),
            first_name: Some(text.clone()),
            last_name: Some("Curie".into()),
            email: Some(Email::parse("marie@example.com").unwrap()),
            phones: vec![ContactPhone { kind: PhoneKind::Mobile, number: Phone::parse("+33 6 12 34 56 78", Region::parse("FR").unwrap()).unwrap() }],
            best_time_to_call: Some(best),
            ..NewContact::default()
        }.build(ContactId::new(5).unwrap(), at).unwrap();
        round_trip(&contact)?;

        let touch = Touchpoint {
            id: TouchpointId::new(6).unwrap(), version: crm_core::Version::new(1), subject: RecordRef::Contact(contact.id), at,
            kind: TouchpointKind::PhoneCall { direction: CallDirection::Outbound, duration_secs: 61, outcome: Some(text.clone()) },
            attribution: Attribution { campaign: Some(text.clone()), utm_source: Some("x".into()), ..Attribution::default() },
        };
        round_trip(&touch)?;

        let activity = Activity {
            custom: Default::default(),
            id: ActivityId::new(7).unwrap(), version: crm_core::Version::new(2), kind: ActivityKind::Meeting, subject: RecordRef::Opportunity(OpportunityId::new(1).unwrap()),
            title: "Demo".into(), notes: Some(text.clone()), owner: None, due_at: Some(at), duration_minutes: Some(45),
            completed_at: Some(at), outcome: Some("ok".into()), created_at: at,
            attendees: vec![
                crm_core::activity::Attendee::Contact { id: contact.id },
                crm_core::activity::Attendee::User { login: text.clone() },
            ],
            reminders: vec![15, 60], recurrence: Some("FREQ=WEEKLY;COUNT=3".into()),
            call: Some(crm_core::activity::CallDetails {
                number: Some(text.clone()), direction: CallDirection::Inbound, purpose: None,
                follow_up_at: Some(at),
            }),
            cancelled_at: None, cancel_reason: Some(text.clone()),
        };
        round_trip(&activity)?;

        let purchase = Purchase {
            custom: Default::default(),
            id: PurchaseId::new(8).unwrap(), version: crm_core::Version::new(1), contact: contact.id, account: contact.account, product: "Widget".into(),
            purchased_at: at, sales_rep: Some("kim".into()), quantity: Decimal::new(qty, 3),
            unit_price: Money::parse("19.99", "USD").unwrap(), special_instructions: Some(text.clone()),
            feedback: Some(Feedback::new(rating, Some(text)).unwrap()),
            sales_order: crm_core::id::SalesOrderId::new(u64::from(rating)).ok(),
            net: Some(Money::parse("59.97", "USD").unwrap()),
        };
        round_trip(&purchase)?;
    }

    #[test]
    fn events(secs in 0i64..4_000_000_000, text in "\\PC{0,20}") {
        let at = instant(secs, 0);
        for event in [
            DomainEvent::OpportunityLost { opportunity: OpportunityId::new(1).unwrap(), reason: text.clone() },
            DomainEvent::TouchpointRecorded { touchpoint: TouchpointId::new(2).unwrap(), subject: RecordRef::Lead(crm_core::id::LeadId::new(3).unwrap()), kind: text.clone() },
            DomainEvent::StageChanged { opportunity: OpportunityId::new(1).unwrap(), from: "a".into(), to: text.clone(), probability: Percent::HUNDRED },
        ] {
            let envelope = crm_core::event::EventEnvelope::from_new(9, &event.to_new_event(at).unwrap());
            round_trip(&envelope)?;
            prop_assert_eq!(envelope.decode().unwrap(), event);
        }
    }
}

#[test]
fn lead_fields_are_names_and_can_key_a_json_object() {
    use crm_core::{LeadField, LeadInput};
    let input = LeadInput::new()
        .with(LeadField::Email, "ada@example.com")
        .with(LeadField::Custom("industry".into()), "aviation");
    let text = serde_json::to_string(&input).unwrap();
    assert_eq!(
        text,
        r#"{"values":{"email":"ada@example.com","custom:industry":"aviation"}}"#
    );
    assert_eq!(serde_json::from_str::<LeadInput>(&text).unwrap(), input);
    // The earlier form of a custom field still reads.
    let legacy: LeadField = serde_json::from_str(r#"{"custom":"industry"}"#).unwrap();
    assert_eq!(legacy, LeadField::Custom("industry".into()));
    assert!(serde_json::from_str::<LeadField>(r#""no_such_field""#).is_err());
}

proptest! {
    /// Service records: cases with history and comments, contracts with decimal hours,
    /// service orders with assignments, articles, and the SLA of a case.
    #[test]
    fn service_records(subject in "\\PC{1,40}", body in "\\PC{1,60}", secs in 1_000_000_000i64..3_000_000_000, nanos in 0u32..1_000_000_000, hours in 0i64..100_000) {
        use crm_core::id::{ArticleId, AssetId, CaseId, ContractId, ServiceOrderId, TechnicianId};
        use crm_core::service::*;
        let at = instant(secs, nanos);
        let mut case = Case::open(CaseId::new(9).unwrap(), NewCase {
            custom: Default::default(),
            subject: subject.clone(),
            description: body.clone(),
            channel: CaseChannel::OnSite,
            category: CaseCategory::Request,
            priority: CasePriority::Urgent,
            account: Some(AccountId::new(1).unwrap()),
            contact: None,
            asset: Some(AssetId::new(2).unwrap()),
            contract: Some(ContractId::new(3).unwrap()),
            owner: Some("sam".into()),
            queue: None,
            product: None,
            language: None,
        }, at);
        if !body.trim().is_empty() {
            case.add_comment(CaseComment { author: CommentAuthor::Customer, name: "c".into(), public: false, body: body.clone(), at }).unwrap();
        }
        case.set_priority(CasePriority::Low, at).unwrap();
        case.sla_alerts.insert("resolution/0/warning".into());
        round_trip(&case)?;
        let mut contract = Contract::new(ContractId::new(3).unwrap(), NewContract {
            custom: Default::default(),
            name: subject.clone(),
            account: AccountId::new(1).unwrap(),
            starts_on: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            ends_on: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
            assets: vec![AssetId::new(2).unwrap()],
            products: vec!["P".into()],
            entitlement: Entitlement { cases: Some(3), hours: Some(Decimal::new(hours, 2)) },
            sla_policy: Some("gold".into()),
            value: None,
        });
        contract.use_hours(Decimal::new(hours, 3)).unwrap();
        round_trip(&contract)?;
        let mut order = ServiceOrder::new(ServiceOrderId::new(4).unwrap(), NewServiceOrder {
            work: body.clone(),
            skills: vec!["a".into()],
            duration_minutes: 30,
            earliest_start: at,
            due_by: Some(at + chrono::Duration::hours(1)),
            priority: CasePriority::High,
            account: None,
            asset: None,
            case: Some(case.id),
        });
        order.assignment = Some(Assignment { technician: TechnicianId::new(5).unwrap(), start: at, end: at + chrono::Duration::minutes(30) });
        order.complete(Decimal::new(hours, 1)).unwrap();
        round_trip(&order)?;
        round_trip(&Article { id: ArticleId::new(6).unwrap(), version: crm_core::Version::new(2), content: ArticleContent { title: subject, body, tags: vec!["t".into()], products: vec![] }, status: ArticleStatus::Archived, updated_at: at })?;
    }
}
