//! The facade end to end, on MemoryStore and on SqliteStore (one temporary file per test).

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use crm::activity::{ActivityKind, NewActivity};
use crm::crm::convert::{ConvertOptions, LinkChoice, OpportunityDraft};
use crm::crm::import::{DuplicatePolicy, ImportOptions};
use crm::crm::merge::MergeChoices;
use crm::customer::{NewAccount, NewContact, NewPurchase};
use crm::event::DomainEvent;
use crm::id::RecordRef;
use crm::lead::import::{CsvMapping, TextEncoding};
use crm::lead::webform::{Submission, WebFormSpec};
use crm::lifecycle::LeadPatch;
use crm::sales::Pipeline;
use crm::sales::forecast::Period;
use crm::store::Store;
use crm::tracking::{NewTouchpoint, TouchpointKind};
use crm::{Crm, Currency, Error, ErrorKind, LeadField, LeadInput, Money, Percent, Region};
use rust_decimal::Decimal;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
}

fn us() -> Region {
    Region::parse("US").unwrap()
}

fn input(first: &str, last: &str, company: &str, email: &str) -> LeadInput {
    LeadInput::new()
        .with(LeadField::FirstName, first)
        .with(LeadField::LastName, last)
        .with(LeadField::Company, company)
        .with(LeadField::Email, email)
}

fn event_count<S: Store>(crm: &Crm<S>) -> usize {
    crm.events_since(0, usize::MAX).unwrap().len()
}

fn edits_are_checked_against_the_version_read<S: Store>(crm: Crm<S>) {
    let lead = crm
        .capture_lead(
            &input("Ada", "Lovelace", "Analytical", "ada@example.com"),
            now(),
        )
        .unwrap()
        .lead;
    let events = event_count(&crm);
    // the patch names two fields; every other field is kept
    let patch = LeadPatch::new()
        .set("job_title", "CTO")
        .unwrap()
        .clear("company");
    let later = now() + Duration::hours(1);
    let edited = crm
        .update_lead(lead.id, lead.version, &patch, later)
        .unwrap();
    assert_eq!(edited.version, lead.version.next());
    assert_eq!(edited.data.job_title.as_deref(), Some("CTO"));
    assert_eq!(edited.data.company, None);
    assert_eq!(edited.data.first_name.as_deref(), Some("Ada"));
    assert_eq!(edited.data.email, lead.data.email);
    assert_eq!(edited.updated_at, later);
    let last = crm.events_since(0, usize::MAX).unwrap().pop().unwrap();
    assert_eq!(last.event_type, "RecordEdited");
    assert_eq!(
        last.payload["changes"],
        serde_json::json!([
            {"field": "company", "old": "Analytical", "new": null},
            {"field": "job_title", "old": null, "new": "CTO"},
        ])
    );

    // a second editor who read the first version is refused; nothing is written
    let stale = LeadPatch::new().set("first_name", "Augusta").unwrap();
    let err = crm
        .update_lead(lead.id, lead.version, &stale, later)
        .unwrap_err();
    assert!(
        matches!(err, Error::Conflict { expected, actual, .. } if lead.version == expected && edited.version == actual),
        "{err:?}"
    );
    assert_eq!(crm.lead(lead.id).unwrap(), edited);

    // the capture rules still hold; a misspelt field is refused by name; saving the same
    // values writes nothing
    let nameless = LeadPatch::new().clear("last_name").clear("first_name");
    let err = crm
        .update_lead(lead.id, edited.version, &nameless, later)
        .unwrap_err();
    assert_eq!(err.code(), "validation_failed");
    let err = crm
        .update_lead(
            lead.id,
            edited.version,
            &LeadPatch::new().set("job_titel", "CEO").unwrap(),
            later,
        )
        .unwrap_err();
    assert_eq!(err.code(), "input");
    assert!(err.to_string().contains("patch.job_titel"), "{err}");
    let same = crm
        .update_lead(lead.id, edited.version, &patch, later)
        .unwrap();
    assert_eq!(same.version, edited.version);
    assert_eq!(event_count(&crm), events + 1);
}

fn capture_reports_duplicates_and_refuses_bad_input<S: Store>(crm: Crm<S>) {
    let first = crm
        .capture_lead(
            &input("Ada", "Lovelace", "Engines Ltd", "ada@engines.example.com"),
            now(),
        )
        .unwrap();
    assert!(first.duplicates.is_empty());
    let same_mailbox = crm
        .capture_lead(
            &input("A.", "King", "Other", "ADA+web@engines.example.com"),
            now(),
        )
        .unwrap();
    assert_eq!(same_mailbox.duplicates.len(), 1);
    assert_eq!(
        same_mailbox.duplicates[0].record,
        RecordRef::Lead(first.lead.id)
    );
    let typo = crm
        .capture_lead(
            &input("Ada", "Lovelance", "Engines Ltd", "a.l@engines.example.com"),
            now(),
        )
        .unwrap();
    assert!(
        typo.duplicates
            .iter()
            .any(|d| d.record == RecordRef::Lead(first.lead.id))
    );

    let events = event_count(&crm);
    let leads = crm.all_leads().unwrap().len();
    let bad = LeadInput::new()
        .with(LeadField::Email, "nope")
        .with(LeadField::Phone, "12");
    let err = crm.capture_lead(&bad, now()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert_eq!(err.problems().len(), 3, "{err}");
    assert_eq!(
        crm.all_leads().unwrap().len(),
        leads,
        "a refused lead is not stored"
    );
    assert_eq!(event_count(&crm), events, "a refused lead records no event");
}

fn web_forms_capture_refuse_spam_and_resubmissions<S: Store>(crm: Crm<S>) {
    let form = crm
        .define_web_form(
            WebFormSpec::new("Demo request", us())
                .field("name", LeadField::FullName, true)
                .field("email", LeadField::Email, true)
                .honeypot("website")
                .resubmission_window(Duration::hours(1)),
            now(),
        )
        .unwrap();
    assert_eq!(
        crm.web_form_named("demo REQUEST").unwrap().unwrap().id,
        form.id
    );
    let sub = Submission::new(
        [
            ("name", "Grace Hopper"),
            ("email", "grace@navy.example.com"),
        ],
        now(),
    );
    let captured = crm.submit_web_form(form.id, &sub).unwrap();
    let touches = crm
        .touchpoints_of(RecordRef::Lead(captured.lead.id))
        .unwrap();
    assert_eq!(touches.len(), 1);
    assert!(matches!(
        touches[0].kind,
        TouchpointKind::FormSubmission { .. }
    ));

    let again = crm.submit_web_form(form.id, &sub).unwrap_err();
    assert_eq!(again.kind(), ErrorKind::Duplicate);
    let later = Submission {
        submitted_at: now() + Duration::hours(2),
        ..sub.clone()
    };
    assert!(
        crm.submit_web_form(form.id, &later).is_ok(),
        "outside the window it is a new lead"
    );

    let bot = Submission::new(
        [
            ("name", "Bot"),
            ("email", "b@x.example.com"),
            ("website", "spam"),
        ],
        now(),
    );
    assert_eq!(
        crm.submit_web_form(form.id, &bot).unwrap_err().kind(),
        ErrorKind::Spam
    );
    let missing = Submission::new([("email", "x@y.example.com")], now());
    let err = crm.submit_web_form(form.id, &missing).unwrap_err();
    assert_eq!(err.problems()[0].field, "name");
    assert_eq!(crm.all_leads().unwrap().len(), 2);
}

fn csv_import_reports_rows_and_stores_text_verbatim<S: Store>(crm: Crm<S>) {
    let mut csv = b"First Name,Last Name,E-mail,Company,Phone\n".to_vec();
    csv.extend_from_slice(b"Ada,Lovelace,ada@engines.example.com,Engines Ltd,+1 415 555 2671\n");
    csv.extend_from_slice(
        b"Robert'); DROP TABLE rec_lead;--,Tables,bobby@school.example.com,\"x' OR '1'='1\",\n",
    );
    csv.extend_from_slice(b"Bad,Email,not-an-email,Acme,\n");
    csv.extend_from_slice(b"J\xFCrgen,M\xFCller,jm@example.com,Latin GmbH,\n"); // Latin-1 bytes
    csv.extend_from_slice(b"Ada,Lovelace,ADA+csv@engines.example.com,Engines Ltd,\n"); // duplicate
    csv.extend_from_slice(b"Short,row\n");
    let mut progress = Vec::new();
    let mut options = ImportOptions::new("test.csv");
    options.batch_size = 2;
    let report = crm
        .import_leads_csv(
            &csv[..],
            CsvMapping::guess(us()),
            &options,
            |p| progress.push(*p),
            now(),
        )
        .unwrap();
    assert_eq!(report.progress.rows_read, 6);
    assert_eq!(report.progress.imported, 2);
    assert_eq!(report.progress.invalid, 3);
    assert_eq!(report.progress.duplicates, 1);
    let rows: Vec<usize> = report.errors.iter().map(|e| e.row).collect();
    assert_eq!(
        rows,
        [3, 4, 4, 6],
        "row 4 has two columns that are not UTF-8"
    );
    assert_eq!(report.errors[0].column.as_deref(), Some("E-mail"));
    assert_eq!(report.errors[1].column.as_deref(), Some("First Name"));
    assert_eq!(report.errors[2].column.as_deref(), Some("Last Name"));
    assert_eq!(report.duplicates[0].row, 5);
    assert!(progress.len() >= 2 && progress.last() == Some(&report.progress));
    let bobby = crm.lead(report.last_lead.unwrap()).unwrap();
    assert_eq!(
        bobby.data.first_name.as_deref(),
        Some("Robert'); DROP TABLE rec_lead;--")
    );
    assert_eq!(bobby.data.company.as_deref(), Some("x' OR '1'='1"));

    // The same file read as Latin-1 takes the Müller row; the rest are now duplicates.
    let mut mapping = CsvMapping::guess(us());
    mapping.encoding = TextEncoding::Latin1;
    let mut keep = ImportOptions::new("test.csv");
    keep.duplicates = DuplicatePolicy::Skip;
    let again = crm
        .import_leads_csv(&csv[..], mapping, &keep, |_| {}, now())
        .unwrap();
    assert_eq!(again.progress.imported, 1);
    let muller = crm.lead(again.first_lead.unwrap()).unwrap();
    assert_eq!(muller.data.last_name.as_deref(), Some("Müller"));

    // A header that cannot be used writes nothing.
    let before = crm.all_leads().unwrap().len();
    let mapping = CsvMapping::guess(us()).column("Missing", LeadField::LastName);
    let err = crm
        .import_leads_csv(&csv[..], mapping, &options, |_| {}, now())
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert_eq!(crm.all_leads().unwrap().len(), before);
}

fn sales_pipeline<S: Store>(crm: &Crm<S>) -> Pipeline {
    crm.define_pipeline("Sales", Pipeline::default_stages(), now())
        .unwrap()
}

fn conversion_links_instead_of_duplicating<S: Store>(crm: Crm<S>) {
    let pipeline = sales_pipeline(&crm);
    let lead = crm
        .capture_lead(
            &input("Ada", "Lovelace", "Engines Ltd", "ada@engines.example.com"),
            now(),
        )
        .unwrap()
        .lead;
    crm.record_touchpoint(
        NewTouchpoint {
            subject: RecordRef::Lead(lead.id),
            at: now(),
            kind: TouchpointKind::WebVisit {
                url: "/pricing".into(),
                duration_secs: Some(30),
            },
            attribution: Default::default(),
        },
        now(),
    )
    .unwrap();
    crm.log_activity(
        NewActivity::new(ActivityKind::Call, RecordRef::Lead(lead.id), "Intro call"),
        now(),
    )
    .unwrap();

    let err = crm
        .convert_lead(lead.id, &ConvertOptions::default(), now())
        .unwrap_err();
    assert_eq!(
        err.kind(),
        ErrorKind::IllegalTransition,
        "a new lead is not converted"
    );
    assert!(
        crm.accounts().unwrap().is_empty(),
        "a refused conversion writes nothing"
    );

    crm.qualify(lead.id, now()).unwrap();
    let options = ConvertOptions {
        opportunity: Some(OpportunityDraft {
            name: None,
            pipeline: pipeline.id,
            stage: None,
            amount: Money::parse("12000", "EUR").unwrap(),
            expected_close: NaiveDate::from_ymd_opt(2027, 1, 31).unwrap(),
            products: vec!["Engine".into()],
        }),
        ..ConvertOptions::default()
    };
    let c = crm.convert_lead(lead.id, &options, now()).unwrap();
    assert!(c.account_created && c.contact_created);
    assert_eq!((c.moved_touchpoints, c.moved_activities), (1, 1));
    let contact_ref = RecordRef::Contact(c.contact.id);
    assert_eq!(crm.touchpoints_of(contact_ref).unwrap().len(), 1);
    assert!(
        crm.touchpoints_of(RecordRef::Lead(lead.id))
            .unwrap()
            .is_empty()
    );
    assert_eq!(crm.activities_of(contact_ref).unwrap().len(), 1);
    let stored = crm.lead(lead.id).unwrap();
    assert_eq!(stored.status.name(), "converted");
    assert_eq!(stored.conversion.as_ref().unwrap().contact, c.contact.id);
    let opp = c.opportunity.unwrap();
    assert_eq!(
        (opp.source_lead, opp.stage.as_str()),
        (Some(lead.id), "Prospecting")
    );

    // The same person again, and a colleague at the same company: linked, not duplicated.
    let again = crm
        .capture_lead(
            &input("Ada", "Lovelace", "ENGINES LTD.", "ada@engines.example.com"),
            now(),
        )
        .unwrap()
        .lead;
    crm.qualify(again.id, now()).unwrap();
    let c2 = crm
        .convert_lead(again.id, &ConvertOptions::default(), now())
        .unwrap();
    assert!(!c2.account_created && !c2.contact_created);
    assert_eq!((c2.account.id, c2.contact.id), (c.account.id, c.contact.id));
    assert_eq!(
        crm.contact(c.contact.id).unwrap().from_leads,
        vec![lead.id, again.id]
    );

    let colleague = crm
        .capture_lead(
            &input(
                "Charles",
                "Babbage",
                "Engines Ltd",
                "cb@engines.example.com",
            ),
            now(),
        )
        .unwrap()
        .lead;
    crm.qualify(colleague.id, now()).unwrap();
    let c3 = crm
        .convert_lead(colleague.id, &ConvertOptions::default(), now())
        .unwrap();
    assert!(!c3.account_created && c3.contact_created);
    assert_eq!(crm.accounts().unwrap().len(), 1);
    assert_eq!(crm.contacts_of(c.account.id).unwrap().len(), 2);

    // Explicit choices: an existing account, a new contact even though one matches.
    let other = crm
        .create_account(NewAccount::named("Elsewhere"), now())
        .unwrap();
    let fourth = crm
        .capture_lead(
            &input("Ada", "Lovelace", "Engines Ltd", "ada@engines.example.com"),
            now(),
        )
        .unwrap()
        .lead;
    crm.qualify(fourth.id, now()).unwrap();
    let wrong = ConvertOptions {
        account: LinkChoice::Existing(other.id),
        contact: LinkChoice::Existing(c.contact.id),
        opportunity: None,
    };
    let err = crm.convert_lead(fourth.id, &wrong, now()).unwrap_err();
    assert_eq!(
        err.kind(),
        ErrorKind::InvalidValue,
        "that contact belongs to another account"
    );
    let explicit = ConvertOptions {
        account: LinkChoice::Existing(other.id),
        contact: LinkChoice::New,
        opportunity: None,
    };
    let c4 = crm.convert_lead(fourth.id, &explicit, now()).unwrap();
    assert!(!c4.account_created && c4.contact_created);
    assert_eq!(c4.contact.account, Some(other.id));

    let converted = crm
        .events_since(0, usize::MAX)
        .unwrap()
        .iter()
        .filter(|e| e.event_type == "LeadConverted")
        .count();
    assert_eq!(converted, 4);
}

fn merging_repoints_related_records<S: Store>(crm: Crm<S>) {
    let a = crm
        .capture_lead(
            &input("Ada", "Lovelace", "Engines", "ada@engines.example.com"),
            now(),
        )
        .unwrap()
        .lead;
    let b = crm
        .capture_lead(
            &input("Ada", "Lovelace", "Engines", "ada.l@engines.example.com")
                .with(LeadField::JobTitle, "CTO"),
            now(),
        )
        .unwrap()
        .lead;
    crm.record_touchpoint(
        NewTouchpoint {
            subject: RecordRef::Lead(b.id),
            at: now(),
            kind: TouchpointKind::AdClick,
            attribution: Default::default(),
        },
        now(),
    )
    .unwrap();
    let merged = crm
        .merge_leads(
            a.id,
            b.id,
            &MergeChoices::default().take("data.email"),
            now(),
        )
        .unwrap();
    assert_eq!(merged.repointed, 1);
    let survivor = merged.survivor;
    assert_eq!(
        survivor.data.email.as_ref().unwrap().as_str(),
        "ada.l@engines.example.com"
    );
    assert_eq!(
        survivor.data.job_title.as_deref(),
        Some("CTO"),
        "blanks are filled from the merged lead"
    );
    assert_eq!(crm.lead(b.id).unwrap_err().kind(), ErrorKind::NotFound);
    assert_eq!(crm.touchpoints_of(RecordRef::Lead(a.id)).unwrap().len(), 1);
    let mut events = crm.events_since(0, usize::MAX).unwrap();
    // the merge settles the pair's duplicate review, right after the merge itself
    let settled = events.pop().unwrap();
    assert!(
        matches!(settled.decode().unwrap(), DomainEvent::DuplicateReviewed { ref decision, .. } if decision == "merged"),
        "{settled:?}"
    );
    let last = events.pop().unwrap();
    match last.decode().unwrap() {
        DomainEvent::RecordsMerged {
            merged, snapshot, ..
        } => {
            assert_eq!(merged, RecordRef::Lead(b.id));
            assert_eq!(snapshot["data"]["job_title"], "CTO");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(
        crm.merge_leads(a.id, a.id, &MergeChoices::default(), now())
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidValue
    );
    let bad = MergeChoices::default().take("id");
    let c = crm
        .capture_lead(&input("C", "D", "E", "c@d.example.com"), now())
        .unwrap()
        .lead;
    assert_eq!(
        crm.merge_leads(a.id, c.id, &bad, now()).unwrap_err().kind(),
        ErrorKind::InvalidValue
    );

    // Accounts: contacts, opportunities and purchases follow the survivor.
    let pipeline = sales_pipeline(&crm);
    let acme = crm
        .create_account(NewAccount::named("Acme"), now())
        .unwrap();
    let acme2 = crm
        .create_account(
            NewAccount {
                domain: Some("https://www.acme.example.com/x".into()),
                ..NewAccount::named("ACME Inc")
            },
            now(),
        )
        .unwrap();
    assert_eq!(acme2.domain.as_deref(), Some("acme.example.com"));
    let contact = crm
        .create_contact(
            NewContact {
                account: Some(acme2.id),
                last_name: Some("Coyote".into()),
                ..NewContact::default()
            },
            now(),
        )
        .unwrap();
    let opp = crm
        .open_opportunity(
            crm::sales::NewOpportunity {
                custom: Default::default(),
                name: "Rockets".into(),
                account: acme2.id,
                contact: Some(contact.id),
                pipeline: pipeline.id,
                stage: None,
                amount: Money::parse("100", "USD").unwrap(),
                expected_close: NaiveDate::from_ymd_opt(2027, 3, 1).unwrap(),
                owner: None,
                products: vec![],
            },
            now(),
        )
        .unwrap();
    crm.set_key_player(opp.id, contact.id, "decision maker", now())
        .unwrap();
    assert_eq!(
        crm.set_key_player(opp.id, contact.id, " ", now())
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidValue
    );
    // what the service desk holds of the merged account follows it
    let asset = crm
        .register_asset(
            serde_json::from_value(serde_json::json!({
                "serial_number": "RKT-1", "product": "ROCKET", "account": acme2.id, "name": "Rocket"
            }))
            .unwrap(),
            now(),
        )
        .unwrap();
    let case = crm
        .open_case(
            serde_json::from_value(serde_json::json!({
                "subject": "Rocket misfires", "channel": "phone", "category": "incident",
                "account": acme2.id, "contact": contact.id, "asset": asset.id
            }))
            .unwrap(),
            now(),
        )
        .unwrap();
    let m = crm
        .merge_accounts(acme.id, acme2.id, &MergeChoices::default(), now())
        .unwrap();
    assert_eq!(m.survivor.domain.as_deref(), Some("acme.example.com"));
    assert_eq!(crm.asset(asset.id).unwrap().account, acme.id);
    assert_eq!(crm.case(case.id).unwrap().account, Some(acme.id));
    assert_eq!(crm.assets_of(acme.id).unwrap().len(), 1);
    assert_eq!(crm.cases_of(acme.id).unwrap().len(), 1);
    assert_eq!(crm.contact(contact.id).unwrap().account, Some(acme.id));
    assert_eq!(crm.opportunity(opp.id).unwrap().account, acme.id);
    assert_eq!(
        crm.account(acme2.id).unwrap_err().kind(),
        ErrorKind::NotFound
    );
}

fn opportunities_forecast_and_activities<S: Store>(crm: Crm<S>) {
    let pipeline = sales_pipeline(&crm);
    let account = crm
        .create_account(NewAccount::named("Globex"), now())
        .unwrap();
    let open = |amount: &str, currency: &str, owner: &str| {
        crm.open_opportunity(
            crm::sales::NewOpportunity {
                custom: Default::default(),
                name: format!("{owner} deal"),
                account: account.id,
                contact: None,
                pipeline: pipeline.id,
                stage: None,
                amount: Money::parse(amount, currency).unwrap(),
                expected_close: NaiveDate::from_ymd_opt(2027, 2, 15).unwrap(),
                owner: Some(owner.into()),
                products: vec![],
            },
            now(),
        )
        .unwrap()
    };
    let a = open("1000", "EUR", "sam");
    let b = open("2000", "USD", "kim");
    let c = open("500", "EUR", "sam");
    crm.advance_opportunity(a.id, "Proposal", now()).unwrap();
    let b2 = crm
        .set_opportunity_probability(b.id, Percent::parse("40").unwrap(), now())
        .unwrap();
    assert_eq!(b2.probability_source, crm::sales::ProbabilitySource::Manual);
    crm.win_opportunity(c.id, None, now()).unwrap();
    assert_eq!(
        crm.advance_opportunity(c.id, "Proposal", now())
            .unwrap_err()
            .kind(),
        ErrorKind::IllegalTransition
    );
    assert_eq!(
        crm.lose_opportunity(a.id, "  ", now()).unwrap_err().kind(),
        ErrorKind::InvalidValue
    );
    let a = crm.opportunity(a.id).unwrap();
    assert_eq!(a.history.len(), 2);
    assert_eq!(a.history[1].previous_stage.as_deref(), Some("Prospecting"));

    let eur = Currency::parse("EUR").unwrap();
    let err = crm
        .forecast(eur, Period::Quarter, now().date_naive())
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::MissingExchangeRate);
    crm.set_exchange_rate(
        Currency::parse("USD").unwrap(),
        eur,
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        Decimal::new(9, 1),
        now(),
    )
    .unwrap();
    let f = crm
        .forecast(eur, Period::Quarter, now().date_naive())
        .unwrap();
    let q1: Vec<_> = f.rows.iter().filter(|r| r.period == "2027-Q1").collect();
    let sam = q1.iter().find(|r| r.owner == "sam").unwrap();
    assert_eq!(
        (
            sam.open_count,
            sam.pipeline.to_string(),
            sam.weighted.to_string()
        ),
        (1, "1000.00 EUR".into(), "500.00 EUR".into())
    );
    let kim = q1.iter().find(|r| r.owner == "kim").unwrap();
    assert_eq!(
        (kim.pipeline.to_string(), kim.weighted.to_string()),
        ("1800.00 EUR".into(), "720.00 EUR".into())
    );
    assert_eq!(f.total_won.to_string(), "500.00 EUR");
    assert_eq!(f.total_weighted.to_string(), "1220.00 EUR");

    let call = crm
        .log_activity(
            NewActivity {
                owner: Some("sam".into()),
                due_at: Some(now() - Duration::hours(1)),
                ..NewActivity::new(
                    ActivityKind::Call,
                    RecordRef::Opportunity(a.id),
                    "Follow up",
                )
            },
            now(),
        )
        .unwrap();
    assert_eq!(crm.overdue_activities("sam", now()).unwrap().len(), 1);
    crm.complete_activity(call.id, Some("sent proposal".into()), now())
        .unwrap();
    assert!(crm.overdue_activities("sam", now()).unwrap().is_empty());
    assert_eq!(
        crm.complete_activity(call.id, None, now())
            .unwrap_err()
            .kind(),
        ErrorKind::IllegalTransition
    );
    let meeting = NewActivity::new(
        ActivityKind::Meeting,
        RecordRef::Account(account.id),
        "Kick-off",
    );
    assert_eq!(
        crm.log_activity(meeting, now()).unwrap_err().kind(),
        ErrorKind::Validation
    );
    let ghost = NewActivity::new(
        ActivityKind::Task,
        RecordRef::Account(crm::id::AccountId::new(999).unwrap()),
        "x",
    );
    assert_eq!(
        crm.log_activity(ghost, now()).unwrap_err().kind(),
        ErrorKind::NotFound
    );
}

fn purchases_are_checked<S: Store>(crm: Crm<S>) {
    let contact = crm
        .create_contact(
            NewContact {
                last_name: Some("Buyer".into()),
                ..NewContact::default()
            },
            now(),
        )
        .unwrap();
    let new = |qty: i64| NewPurchase {
        custom: Default::default(),
        contact: contact.id,
        product: "Widget".into(),
        purchased_at: now(),
        sales_rep: Some("sam".into()),
        quantity: Decimal::from(qty),
        unit_price: Money::parse("9.99", "EUR").unwrap(),
        special_instructions: None,
        feedback: Some(crm::customer::Feedback::new(5, Some("great".into())).unwrap()),
    };
    let p = crm.record_purchase(new(3), now()).unwrap();
    assert_eq!(p.total().to_string(), "29.97 EUR");
    assert_eq!(
        crm.record_purchase(new(-1), now()).unwrap_err().kind(),
        ErrorKind::Validation
    );
    assert_eq!(crm.purchases_of(contact.id).unwrap().len(), 1);
    assert!(crm::customer::Feedback::new(6, None).is_err());
}

fn events_read_in_order_from_a_cursor<S: Store>(crm: Crm<S>) {
    for i in 0..5 {
        crm.capture_lead(
            &input("P", &format!("Person{i}"), "", &format!("p{i}@example.com")),
            now(),
        )
        .unwrap();
    }
    let all = crm.events_since(0, usize::MAX).unwrap();
    assert_eq!(all.len(), 5);
    assert!(all.windows(2).all(|w| w[1].sequence == w[0].sequence + 1));
    let tail = crm.events_since(all[2].sequence, 10).unwrap();
    assert_eq!(tail.len(), 2);
    assert_eq!(tail[0].sequence, all[3].sequence);
    assert!(matches!(
        tail[0].decode().unwrap(),
        DomainEvent::LeadCaptured { .. }
    ));
}

fn rescoring_writes_only_what_changed<S: Store>(crm: Crm<S>) {
    use crm::scoring::rules::{Attribute, EngagementRule, FitRule, RuleSet, Test, Thresholds};
    let exec = crm
        .capture_lead(
            &input("Ada", "Lovelace", "Engines", "ada@engines.example.com")
                .with(LeadField::JobTitle, "CTO"),
            now(),
        )
        .unwrap()
        .lead;
    let other = crm
        .capture_lead(&input("Bo", "Peep", "Sheep", "bo@gmail.com"), now())
        .unwrap()
        .lead;
    let gone = crm
        .capture_lead(&input("Cy", "Gone", "Old", "cy@old.example.com"), now())
        .unwrap()
        .lead;
    crm.disqualify(gone.id, "no budget", now()).unwrap();
    crm.record_touchpoint(
        NewTouchpoint {
            subject: RecordRef::Lead(exec.id),
            at: now() - Duration::days(14),
            kind: TouchpointKind::AdClick,
            attribution: Default::default(),
        },
        now(),
    )
    .unwrap();
    let rules = RuleSet {
        fit: vec![FitRule {
            name: "Executive".into(),
            attribute: Attribute::JobTitle,
            test: Test::Contains(vec!["cto".into()]),
            points: 40.0,
        }],
        engagement: vec![EngagementRule {
            name: "Ad clicks".into(),
            kind: "ad_click".into(),
            points: 20.0,
            half_life_days: 14.0,
            max_points: None,
        }],
        max_score: None,
        min_score: None,
        thresholds: Thresholds {
            hot: 45.0,
            warm: 10.0,
        },
    };
    let events = event_count(&crm);
    let report = crm.rescore_leads(&rules, now()).unwrap();
    assert_eq!(
        (report.scored, report.changed),
        (2, 2),
        "the disqualified lead is not scored"
    );
    let exec = crm.lead(exec.id).unwrap();
    assert_eq!(
        (exec.score, exec.data.rating),
        (Some(50.0), Some(crm::Rating::Hot))
    );
    assert_eq!(
        crm.lead(other.id).unwrap().data.rating,
        Some(crm::Rating::Cold)
    );
    assert_eq!(crm.lead(gone.id).unwrap().score, None);
    assert_eq!(event_count(&crm), events + 2);
    let again = crm.rescore_leads(&rules, now()).unwrap();
    assert_eq!(
        (again.scored, again.changed),
        (2, 0),
        "nothing changed, nothing written"
    );
    assert_eq!(event_count(&crm), events + 2);
    let mut bad = rules.clone();
    bad.engagement[0].kind = "telepathy".into();
    assert_eq!(
        crm.rescore_leads(&bad, now()).unwrap_err().kind(),
        ErrorKind::Validation
    );

    // The same rules in a model file, through JSON, rate the same way.
    use crm::scoring::model_file::{Model, ModelFile};
    let file = ModelFile::new(
        Default::default(),
        Model::Rules(rules.clone()),
        rules.thresholds,
    )
    .unwrap();
    let file = ModelFile::from_json(&file.to_json().unwrap()).unwrap();
    let via_file = crm.rescore_leads_with_model(&file, now()).unwrap();
    assert_eq!((via_file.scored, via_file.changed), (2, 0));
}

fn training_sets_use_what_was_known_at_the_decision<S: Store>(crm: Crm<S>) {
    use crm::scoring::features::{Feature, FeatureSpec};
    let touch = |lead: crm::id::LeadId, days: i64| {
        crm.record_touchpoint(
            NewTouchpoint {
                subject: RecordRef::Lead(lead),
                at: now() + Duration::days(days),
                kind: TouchpointKind::AdClick,
                attribution: Default::default(),
            },
            now(),
        )
        .unwrap();
    };
    let won = crm
        .capture_lead(&input("A", "Won", "W", "won@w.example.com"), now())
        .unwrap()
        .lead;
    let lost = crm
        .capture_lead(&input("B", "Lost", "L", "lost@l.example.com"), now())
        .unwrap()
        .lead;
    let open = crm
        .capture_lead(&input("C", "Open", "O", "open@o.example.com"), now())
        .unwrap()
        .lead;
    touch(won.id, 1);
    touch(won.id, 2);
    touch(lost.id, 1);
    let decided = now() + Duration::days(5);
    crm.qualify(won.id, decided).unwrap();
    crm.convert_lead(won.id, &ConvertOptions::default(), decided)
        .unwrap();
    crm.disqualify(lost.id, "no budget", decided).unwrap();
    // After the decision: must not count.
    let contact = crm.lead(won.id).unwrap().conversion.unwrap().contact;
    crm.record_touchpoint(
        NewTouchpoint {
            subject: RecordRef::Contact(contact),
            at: decided + Duration::days(1),
            kind: TouchpointKind::AdClick,
            attribution: Default::default(),
        },
        now(),
    )
    .unwrap();
    touch(open.id, 1);
    let spec = FeatureSpec {
        features: vec![Feature::TouchCount {
            kind: "ad_click".into(),
            days: 365.0,
        }],
    };
    let set = crm.training_set(spec).unwrap();
    assert_eq!(
        set.leads,
        vec![won.id, lost.id],
        "only decided leads, in id order"
    );
    assert_eq!(set.y, vec![1.0, 0.0]);
    assert_eq!(
        set.x,
        vec![2.0, 1.0],
        "touches moved to the contact count, later ones do not"
    );
    // Features of chosen leads at one instant count every touch up to it, the converted
    // lead's contact's included.
    let later = decided + Duration::days(2);
    let rows = crm
        .lead_features(&set.spec, &[open.id, won.id], later)
        .unwrap();
    assert_eq!(rows.leads, vec![open.id, won.id]);
    assert_eq!(rows.x, vec![1.0, 3.0]);
    let missing = crm::id::LeadId::new(999).unwrap();
    assert_eq!(
        crm.lead_features(&set.spec, &[missing], later)
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );
    let bad = FeatureSpec {
        features: vec![Feature::TouchCount {
            kind: "x".into(),
            days: 1.0,
        }],
    };
    assert_eq!(
        crm.training_set(bad).unwrap_err().kind(),
        ErrorKind::Validation
    );
}

fn quotes_from_catalog_to_sales_order<S: Store>(crm: Crm<S>) {
    use crm::RoundingMode;
    use crm::quote::catalog::{
        Choice, Constraint, OptionGroup, PriceBook, PriceBookEntry, Product, ProductOption,
        WarrantyTerms,
    };
    use crm::quote::pricing::{Discount, PriceLine, Rounding, RoundingStrategy, TaxRate, TaxTable};
    use crm::quote::{QuoteContent, QuoteLine, QuoteStatus};
    let day = |d: u32| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
    let opt = |code: &str, delta: &str| ProductOption {
        code: code.into(),
        name: code.into(),
        price_delta: delta.parse().unwrap(),
    };
    let product = crm
        .define_product(
            Product {
                sku: "SRV-1".into(),
                name: "Server".into(),
                unit: "each".into(),
                active: true,
                option_groups: vec![OptionGroup {
                    name: "Support".into(),
                    choice: Choice::Single,
                    required: true,
                    options: vec![opt("basic", "0"), opt("premium", "499.00")],
                }],
                constraints: vec![Constraint::Excludes {
                    option: "basic".into(),
                    excludes: "premium".into(),
                }],
                serialised: true,
                warranty: Some(WarrantyTerms {
                    months: 24,
                    terms: "Parts and labour".into(),
                }),
            },
            now(),
        )
        .unwrap();
    assert_eq!(crm.product("SRV-1").unwrap().unwrap().id, product.id);
    let duplicate = crm
        .define_product(product.product.clone(), now())
        .unwrap_err();
    assert_eq!(duplicate.kind(), ErrorKind::Duplicate);
    crm.define_price_book(
        PriceBook {
            name: "EUR 2026".into(),
            currency: Currency::parse("EUR").unwrap(),
            entries: vec![PriceBookEntry {
                sku: "SRV-1".into(),
                list_price: "4200.00".parse().unwrap(),
                valid_from: day(1),
                valid_to: None,
            }],
        },
        now(),
    )
    .unwrap();
    let config = crm
        .configure_product("SRV-1", &["premium"], "eur 2026", day(23))
        .unwrap();
    assert_eq!(config.unit_price.to_string(), "4699.00 EUR");
    assert_eq!(
        crm.configure_product("SRV-1", &[], "EUR 2026", day(23))
            .unwrap_err()
            .kind(),
        ErrorKind::Validation
    );

    let account = crm
        .create_account(NewAccount::named("Globex"), now())
        .unwrap();
    let buyer = crm
        .create_contact(
            NewContact {
                account: Some(account.id),
                last_name: Some("Buyer".into()),
                ..NewContact::default()
            },
            now(),
        )
        .unwrap();
    let pipeline = crm
        .define_pipeline("Sales", Pipeline::default_stages(), now())
        .unwrap();
    let opp = crm
        .open_opportunity(
            crm::sales::NewOpportunity {
                custom: Default::default(),
                name: "Globex servers".into(),
                account: account.id,
                contact: None,
                pipeline: pipeline.id,
                stage: None,
                amount: Money::parse("1000", "EUR").unwrap(),
                expected_close: day(30),
                owner: None,
                products: vec![],
            },
            now(),
        )
        .unwrap();
    let taxes = TaxTable::new(vec![TaxRate {
        code: "VAT20".into(),
        rate: Percent::parse("20").unwrap(),
        included_in_price: false,
        compound: false,
    }])
    .unwrap();
    let content = |qty: u32, discount: &str| QuoteContent {
        account: account.id,
        opportunity: Some(opp.id),
        contact: Some(buyer.id),
        currency: Currency::parse("EUR").unwrap(),
        valid_until: day(28),
        lines: vec![QuoteLine {
            description: "Server, premium support".into(),
            sku: Some(config.sku.clone()),
            options: config.options.clone(),
            unit: Some("each".into()),
            price: PriceLine {
                quantity: Decimal::from(qty),
                unit_price: config.unit_price,
                discount: Discount::Percent(Percent::parse(discount).unwrap()),
                tax_codes: vec!["VAT20".into()],
            },
            special_instructions: None,
        }],
        document_discount: Percent::ZERO,
        taxes: taxes.clone(),
        rounding: Rounding {
            mode: RoundingMode::HalfUp,
            strategy: RoundingStrategy::PerLine,
        },
    };
    let events_before = event_count(&crm);
    let mut bad = content(1, "0");
    bad.lines[0].price.tax_codes = vec!["NOPE".into()];
    assert_eq!(
        crm.create_quote(bad, now()).unwrap_err().kind(),
        ErrorKind::Validation
    );
    assert_eq!(event_count(&crm), events_before, "nothing half-written");

    // 2 × 4699.00 = 9398.00; VAT 1879.60; 11277.60.
    let first = crm.create_quote(content(2, "0"), now()).unwrap();
    assert_eq!(first.priced.grand_total.to_string(), "11277.60 EUR");
    crm.send_quote(first.id, now()).unwrap();
    // 10 % off: 8458.20; VAT 1691.64; 10149.84.
    let second = crm
        .revise_quote(first.id, content(2, "10"), now() + Duration::days(1))
        .unwrap();
    assert_eq!((second.revision, second.number), (2, first.id));
    assert_eq!(crm.quote(first.id).unwrap(), {
        let mut f = first.clone();
        f.status = QuoteStatus::Sent;
        f.version = crm.quote(first.id).unwrap().version;
        f
    });
    assert_eq!(crm.quote_revisions(first.id).unwrap().len(), 2);
    assert_eq!(crm.quotes_of(opp.id).unwrap().len(), 2);
    crm.send_quote(second.id, now() + Duration::days(1))
        .unwrap();
    // Past its validity: refused, and nothing changes.
    let late = now() + Duration::days(6);
    assert_eq!(
        crm.accept_quote(second.id, late).unwrap_err().kind(),
        ErrorKind::IllegalTransition
    );
    assert_eq!(crm.quote(second.id).unwrap().status, QuoteStatus::Sent);
    let accepted = crm
        .accept_quote(second.id, now() + Duration::days(2))
        .unwrap();
    assert_eq!(accepted.status, QuoteStatus::Accepted);
    assert_eq!(
        crm.revise_quote(second.id, content(1, "0"), now())
            .unwrap_err()
            .kind(),
        ErrorKind::IllegalTransition
    );
    assert_eq!(
        crm.convert_quote_to_order(first.id, now())
            .unwrap_err()
            .kind(),
        ErrorKind::IllegalTransition,
        "only an accepted quote becomes an order"
    );
    let order = crm
        .convert_quote_to_order(second.id, now() + Duration::days(2))
        .unwrap();
    assert_eq!(order.erp_payload()["totals"]["grand_total"], "10149.84");
    // The sale is the buyer's purchase, at the price sold (8458.20 for 2).
    let bought = crm.purchases_of(buyer.id).unwrap();
    assert_eq!(bought.len(), 1);
    assert_eq!(
        (bought[0].unit_price.to_string(), bought[0].sales_order),
        ("4229.10 EUR".to_string(), Some(order.id))
    );
    assert_eq!(
        crm.convert_quote_to_order(second.id, now())
            .unwrap_err()
            .kind(),
        ErrorKind::Duplicate
    );
    assert_eq!(crm.sales_orders().unwrap(), vec![order.clone()]);
    // The order's priced lines reach the sales report: revenue is their net, discounts
    // as priced.
    let sales = crm
        .sales_report(
            crm::sales::forecast::Period::Month,
            Currency::parse("EUR").unwrap(),
            &Default::default(),
        )
        .unwrap();
    let net: Decimal = order.priced.lines.iter().map(|l| l.net.amount()).sum();
    let discounts: Decimal = order.priced.lines.iter().map(|l| l.discount.amount()).sum();
    assert_eq!(
        sales.products.iter().map(|p| p.revenue).sum::<Decimal>(),
        net
    );
    assert_eq!(
        sales.products.iter().map(|p| p.discounts).sum::<Decimal>(),
        discounts
    );
    assert!(discounts > Decimal::ZERO);
    let followed = crm.follow_quote_amount(second.id, now()).unwrap();
    assert_eq!(followed.amount.to_string(), "8458.20 EUR");
    // The first revision, still sent, expires when its day has passed.
    let expired = crm.expire_quotes(late).unwrap();
    assert_eq!(
        expired.iter().map(|q| q.id).collect::<Vec<_>>(),
        vec![first.id]
    );
    let types: Vec<String> = crm
        .events_since(events_before as u64, usize::MAX)
        .unwrap()
        .into_iter()
        .map(|e| e.event_type)
        .collect();
    for t in [
        "QuoteCreated",
        "QuoteStatusChanged",
        "SalesOrderCreated",
        "OpportunityUpdated",
    ] {
        assert!(types.iter().any(|x| x == t), "{t} in {types:?}");
    }
}

macro_rules! facade_tests {
    ($store:ident, $make:expr) => {
        mod $store {
            use super::*;
            /// A fresh CRM (`None`: no server for this store here).
            fn crm() -> Option<Crm<impl Store>> {
                let store = $make;
                store.map(|s| Crm::new(s, us()))
            }
            #[test]
            fn capture() {
                if let Some(crm) = crm() {
                    capture_reports_duplicates_and_refuses_bad_input(crm);
                }
            }
            #[test]
            fn web_forms() {
                if let Some(crm) = crm() {
                    web_forms_capture_refuse_spam_and_resubmissions(crm);
                }
            }
            #[test]
            fn csv_import() {
                if let Some(crm) = crm() {
                    csv_import_reports_rows_and_stores_text_verbatim(crm);
                }
            }
            #[test]
            fn conversion() {
                if let Some(crm) = crm() {
                    conversion_links_instead_of_duplicating(crm);
                }
            }
            #[test]
            fn merging() {
                if let Some(crm) = crm() {
                    merging_repoints_related_records(crm);
                }
            }
            #[test]
            fn sales() {
                if let Some(crm) = crm() {
                    opportunities_forecast_and_activities(crm);
                }
            }
            #[test]
            fn purchases() {
                if let Some(crm) = crm() {
                    purchases_are_checked(crm);
                }
            }
            #[test]
            fn rescoring() {
                if let Some(crm) = crm() {
                    rescoring_writes_only_what_changed(crm);
                }
            }
            #[test]
            fn quotes() {
                if let Some(crm) = crm() {
                    quotes_from_catalog_to_sales_order(crm);
                }
            }
            #[test]
            fn training() {
                if let Some(crm) = crm() {
                    training_sets_use_what_was_known_at_the_decision(crm);
                }
            }
            #[test]
            fn events() {
                if let Some(crm) = crm() {
                    events_read_in_order_from_a_cursor(crm);
                }
            }
            #[test]
            fn edits() {
                if let Some(crm) = crm() {
                    edits_are_checked_against_the_version_read(crm);
                }
            }
        }
    };
}

facade_tests!(memory, Some(crm::store::MemoryStore::new()));
facade_tests!(sqlite, {
    let dir = tempfile::tempdir().unwrap().keep();
    Some(crm::SqliteStore::open(dir.join("crm.db")).unwrap())
});
facade_tests!(postgres, crm_postgres::testing::scratch());
