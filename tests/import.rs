//! Imports of every importable kind, on both stores: exports that import back, encodings
//! and delimiters, links by natural key, upserts by external id, created-at, strict and
//! lenient problems, and rows whose write fails in the middle of a batch.

#[macro_use]
mod both_stores;

use std::io::Cursor;

use chrono::{DateTime, TimeZone, Utc};
use crm::custom::{CustomFieldSpec, FieldType, NewCustomField};
use crm::customer::NewAccount;
use crm::id::RecordKey;
use crm::store::{EntityKind, MemoryStore, Store};
use crm::transfer::{
    ExportFormat, ExportOptions, ImportFormat, ImportRecordsOptions, ImportRecordsReport,
};
use crm::{Crm, Region};
use serde_json::json;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap()
}

fn import<S: Store>(
    crm: &Crm<S>,
    kind: EntityKind,
    bytes: impl Into<Vec<u8>>,
    options: &ImportRecordsOptions,
) -> ImportRecordsReport {
    crm.import_records(
        kind,
        Box::new(Cursor::new(bytes.into())),
        options,
        "test.csv",
        now(),
    )
    .unwrap()
}

fn define_seats<S: Store>(crm: &Crm<S>) {
    crm.define_custom_field(
        NewCustomField {
            kind: EntityKind::Account,
            name: "seats".into(),
            spec: CustomFieldSpec {
                label: "Seats".into(),
                field_type: FieldType::Number,
                required: false,
                default: None,
                description: None,
            },
        },
        now(),
    )
    .unwrap();
}

fn an_export_imports_back<S: Store>(crm: Crm<S>) {
    define_seats(&crm);
    let mut a = NewAccount::named("Analytical Engines");
    a.address.city = Some("London".into());
    a.domain = Some("engines.example".into());
    a.custom.insert("seats".into(), json!(12));
    crm.create_account(a, now()).unwrap();
    crm.create_account(NewAccount::named("Difference, \"Engines\" Ltd"), now())
        .unwrap();
    for format in [ExportFormat::Csv, ExportFormat::JsonLines] {
        let mut out = Vec::new();
        let options = ExportOptions {
            format,
            ..ExportOptions::default()
        };
        crm.export_records(EntityKind::Account, &options, &mut out)
            .unwrap();
        let copy = Crm::new(MemoryStore::new(), Region::parse("DE").unwrap());
        define_seats(&copy);
        let options = ImportRecordsOptions {
            format: Some(if format == ExportFormat::Csv {
                ImportFormat::Csv
            } else {
                ImportFormat::JsonLines
            }),
            ..Default::default()
        };
        let report = import(&copy, EntityKind::Account, out, &options);
        assert_eq!(
            (report.rows, report.created, report.refused),
            (2, 2, 0),
            "{report:?}"
        );
        assert!(report.problems.is_empty(), "{:?}", report.problems);
        assert!(
            report.ignored_columns.is_empty(),
            "{:?}",
            report.ignored_columns
        );
        let (a, b) = (crm.accounts().unwrap(), copy.accounts().unwrap());
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(
                (&x.name, &x.domain, &x.address, &x.custom),
                (&y.name, &y.domain, &y.address, &y.custom)
            );
            assert_eq!(x.created_at, y.created_at, "created_at is honoured");
        }
        assert_eq!(b[0].custom["seats"], json!(12), "a number read from text");
    }
}

fn legacy_files_link_by_natural_key<S: Store>(crm: Crm<S>) {
    crm.create_account(NewAccount::named("Müller GmbH"), now())
        .unwrap();
    // Windows-1252, semicolons, headers mapped onto paths and links
    let file = b"Firma;Vorname;Nachname;E-Mail;Seit\n\
        M\xFCller GmbH;J\xFCrgen;Wei\xDF;jw@example.com;2019-03-01\n\
        Nobody AG;Eva;Ohne;eva@example.com;\n";
    let columns = [
        ("Firma", "account@name"),
        ("Vorname", "first_name"),
        ("Nachname", "last_name"),
        ("E-Mail", "email"),
        ("Seit", "created_at"),
    ];
    let mut options = ImportRecordsOptions {
        columns: columns
            .iter()
            .map(|(h, p)| (h.to_string(), p.to_string()))
            .collect(),
        ..Default::default()
    };
    let report = import(&crm, EntityKind::Contact, file.to_vec(), &options);
    assert_eq!(report.encoding, "windows-1252");
    assert_eq!(report.delimiter.as_deref(), Some(";"));
    assert_eq!((report.created, report.refused), (1, 1), "{report:?}");
    let p = &report.problems[0];
    assert_eq!(
        (p.row, p.column.as_deref(), p.code.as_str(), p.left_out),
        (2, Some("Firma"), "not_found", false)
    );
    assert!(p.message.contains("Nobody AG"), "{}", p.message);
    let contacts = crm.contacts().unwrap();
    assert_eq!(contacts[0].last_name.as_deref(), Some("Weiß"));
    assert_eq!(contacts[0].account, Some(crm.accounts().unwrap()[0].id));
    assert_eq!(
        contacts[0].created_at,
        Utc.with_ymd_and_hms(2019, 3, 1, 0, 0, 0).unwrap()
    );

    // lenient: the row comes in without the link it could not make
    options.lenient = true;
    let report = import(&crm, EntityKind::Contact, file.to_vec(), &options);
    assert_eq!((report.created, report.refused), (2, 0), "{report:?}");
    assert!(report.problems[0].left_out);
    let eva = crm.contacts().unwrap().pop().unwrap();
    assert_eq!(
        (eva.first_name.as_deref(), eva.account),
        (Some("Eva"), None)
    );
}

fn upserts_by_external_id<S: Store>(crm: Crm<S>) {
    let options = ImportRecordsOptions {
        external_system: Some("erp".into()),
        ..Default::default()
    };
    let first = "external_id,name,industry,phone\nC-1,Acme,tools,030 1234567\nC-2,Globex,energy,\n";
    let report = import(&crm, EntityKind::Account, first, &options);
    assert_eq!((report.created, report.updated), (2, 0), "{report:?}");
    let acme = crm
        .find_external(EntityKind::Account, "erp", "C-1")
        .unwrap()
        .unwrap();
    let second =
        "external_id,name,industry,created_at\nC-1,Acme Corp,,2001-01-01\nC-3,Initech,software,\n";
    let report = import(&crm, EntityKind::Account, second, &options);
    assert_eq!(
        (report.created, report.updated, report.refused),
        (1, 1, 0),
        "{report:?}"
    );
    let updated = crm
        .account(crm::id::AccountId::new(acme.id()).unwrap())
        .unwrap();
    assert_eq!(updated.name, "Acme Corp");
    assert_eq!(
        updated.industry.as_deref(),
        Some("tools"),
        "an empty cell changes nothing"
    );
    assert_eq!(
        updated.created_at,
        now(),
        "an update keeps when it was created"
    );
    let phone = updated.phone.as_ref().map(ToString::to_string);
    assert_eq!(
        phone.as_deref(),
        Some("+49301234567"),
        "read in the CRM's region"
    );
    assert_eq!(crm.accounts().unwrap().len(), 3);
    let history = crm
        .history(RecordKey::new(EntityKind::Account, acme.id()))
        .unwrap();
    assert_eq!(history.len(), 3, "created, linked, edited: {history:?}");
}

fn strict_and_lenient_problems<S: Store>(crm: Crm<S>) {
    define_seats(&crm);
    let file = "name,domain,custom.seats,emial\n\
        Good,good.example,5,x\n\
        Bad domain,not a host,6,\n\
        Bad seats,seats.example,many,\n\
        ,nameless.example,,\n\
        Short\n\
        Last,last.example,7,\n";
    let report = import(
        &crm,
        EntityKind::Account,
        file,
        &ImportRecordsOptions::default(),
    );
    assert_eq!(
        (report.rows, report.created, report.refused),
        (6, 2, 4),
        "{report:?}"
    );
    assert_eq!(report.ignored_columns, ["emial"]);
    let got: Vec<(u64, Option<&str>, &str)> = report
        .problems
        .iter()
        .map(|p| (p.row, p.column.as_deref(), p.code.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (2, Some("domain"), "invalid_value"),
            (3, Some("custom.seats"), "validation_failed"),
            (4, None, "invalid_value"),
            (5, None, "input"),
        ]
    );
    assert!(report.problems.iter().all(|p| !p.left_out));
    let names: Vec<String> = crm
        .accounts()
        .unwrap()
        .into_iter()
        .map(|a| a.name)
        .collect();
    assert_eq!(
        names,
        ["Good", "Last"],
        "nothing of a refused row is written"
    );

    let lenient = ImportRecordsOptions {
        lenient: true,
        batch_size: Some(2),
        ..Default::default()
    };
    let report = import(&crm, EntityKind::Account, file, &lenient);
    assert_eq!((report.created, report.refused), (4, 2), "{report:?}");
    let left_out: Vec<(u64, Option<&str>)> = report
        .problems
        .iter()
        .filter(|p| p.left_out)
        .map(|p| (p.row, p.column.as_deref()))
        .collect();
    assert_eq!(left_out, [(2, Some("domain")), (3, Some("custom.seats"))]);
    let accounts = crm.accounts().unwrap();
    let bad = accounts.iter().find(|a| a.name == "Bad domain").unwrap();
    assert_eq!(bad.domain, None);
    assert_eq!(bad.custom["seats"], json!(6));
}

fn opportunities_and_activities_link_their_records<S: Store>(crm: Crm<S>) {
    let account = crm
        .create_account(NewAccount::named("Acme"), now())
        .unwrap();
    let contact = crm
        .create_contact(
            serde_json::from_value(
                json!({"account": account.id.get(), "last_name": "Ng", "email": "ng@acme.example"}),
            )
            .unwrap(),
            now(),
        )
        .unwrap();
    crm.define_pipeline("Direct", crm::sales::Pipeline::default_stages(), now())
        .unwrap();
    let lines = concat!(
        r#"{"name":"Anvils","account@name":"ACME","pipeline@name":"direct","amount":{"amount":"1200.50","currency":"EUR"},"expected_close":"2027-01-31","contact@email":"NG@acme.example"}"#,
        "\n",
        r#"{"name":"Rockets","account@name":"Acme","pipeline@name":"Nope","amount":{"amount":"1","currency":"EUR"},"expected_close":"2027-01-31"}"#,
        "\n"
    );
    let options = ImportRecordsOptions {
        format: Some(ImportFormat::JsonLines),
        ..Default::default()
    };
    let report = import(&crm, EntityKind::Opportunity, lines, &options);
    assert_eq!((report.created, report.refused), (1, 1), "{report:?}");
    assert_eq!(report.problems[0].column.as_deref(), Some("pipeline@name"));
    let opp = &crm.opportunities().unwrap()[0];
    assert_eq!((opp.account, opp.contact), (account.id, Some(contact.id)));
    assert_eq!(opp.amount.amount().to_string(), "1200.50");

    let csv =
        "kind,subject@contact.email,title,duration_minutes\ncall,ng@acme.example,Intro call,30\n";
    let report = import(
        &crm,
        EntityKind::Activity,
        csv,
        &ImportRecordsOptions::default(),
    );
    assert_eq!(report.created, 1, "{report:?}");
    let activity = &crm
        .activities_of(crm::id::RecordRef::Contact(contact.id))
        .unwrap()[0];
    assert_eq!(
        (activity.title.as_str(), activity.duration_minutes),
        ("Intro call", Some(30))
    );
}

fn a_failing_write_mid_batch_leaves_nothing<S: Store>(crm: Crm<S>) {
    let account = crm
        .create_account(NewAccount::named("Acme"), now())
        .unwrap();
    // the third row repeats a serial number: its write is refused inside the batch
    let file = "serial_number,product,name,account@name\nA-1,Drill,Drill 1,Acme\nA-2,Drill,Drill 2,Acme\na-1,Drill,Again,Acme\nA-3,Drill,Drill 3,Acme\n";
    let report = import(
        &crm,
        EntityKind::Asset,
        file,
        &ImportRecordsOptions::default(),
    );
    assert_eq!((report.created, report.refused), (3, 1), "{report:?}");
    assert_eq!(
        (report.problems[0].row, report.problems[0].code.as_str()),
        (3, "duplicate")
    );
    let serials: Vec<String> = crm
        .assets_of(account.id)
        .unwrap()
        .into_iter()
        .map(|a| a.serial_number)
        .collect();
    assert_eq!(serials, ["A-1", "A-2", "A-3"]);
    let events = crm.events_since(0, 1000).unwrap();
    let registered = events
        .iter()
        .filter(|e| e.event_type == "AssetRegistered")
        .count();
    assert_eq!(registered, 3, "the rolled-back attempt left no event");
}

fn leads_skip_duplicates_and_keep_their_source<S: Store>(crm: Crm<S>) {
    let file = "data.first_name,data.last_name,data.email,status\nAda,Lovelace,ada@example.com,new\nAda,Lovelace,ADA@example.com,new\n";
    let report = import(
        &crm,
        EntityKind::Lead,
        file,
        &ImportRecordsOptions::default(),
    );
    assert_eq!((report.created, report.refused), (1, 1), "{report:?}");
    assert_eq!(report.problems[0].code, "duplicate");
    assert_eq!(report.ignored_columns, ["status"]);
    let lead = &crm.all_leads().unwrap()[0];
    assert_eq!(lead.source.kind(), "csv_import");
}

fn bad_requests_are_refused_before_reading<S: Store>(crm: Crm<S>) {
    let refuse = |kind, options: &ImportRecordsOptions, file: &str| {
        crm.import_records(
            kind,
            Box::new(Cursor::new(file.as_bytes().to_vec())),
            options,
            "f",
            now(),
        )
        .unwrap_err()
    };
    let defaults = ImportRecordsOptions::default();
    assert_eq!(
        refuse(EntityKind::Pipeline, &defaults, "name\nx\n").code(),
        "invalid_value"
    );
    let klingon = ImportRecordsOptions {
        encoding: Some("klingon".into()),
        ..Default::default()
    };
    assert_eq!(
        refuse(EntityKind::Account, &klingon, "name\nx\n").code(),
        "invalid_value"
    );
    let err = refuse(EntityKind::Contact, &defaults, "account@colour\nx\n");
    assert!(err.to_string().contains("natural key"), "{err}");
    let zero = ImportRecordsOptions {
        batch_size: Some(0),
        ..Default::default()
    };
    assert_eq!(
        refuse(EntityKind::Account, &zero, "name\nx\n").code(),
        "invalid_value"
    );
    let bad_system = ImportRecordsOptions {
        external_system: Some(" ".into()),
        ..Default::default()
    };
    let err = refuse(EntityKind::Account, &bad_system, "name\nx\n");
    assert_eq!(err.code(), "invalid_value", "{err}");
    assert!(crm.accounts().unwrap().is_empty());
    let err = crm
        .import_file(EntityKind::Account, "/no/such/file.csv", &defaults, now())
        .unwrap_err();
    assert_eq!(err.code(), "input");
}

on_both_stores!(
    an_export_imports_back,
    legacy_files_link_by_natural_key,
    upserts_by_external_id,
    strict_and_lenient_problems,
    opportunities_and_activities_link_their_records,
    a_failing_write_mid_batch_leaves_nothing,
    leads_skip_duplicates_and_keep_their_source,
    bad_requests_are_refused_before_reading,
);
