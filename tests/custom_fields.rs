//! Typed custom fields on both stores: definitions checked on every write, defaults,
//! every problem reported at once, filters on custom values, and versioned redefinition
//! (new type, new picklist values, rename, removal) checked against every stored value.

#[macro_use]
mod both_stores;

use chrono::{DateTime, TimeZone, Utc};
use crm::custom::{CustomFieldSpec, FieldType, NewCustomField};
use crm::customer::NewAccount;
use crm::lead::LeadField;
use crm::lifecycle::{FieldCondition, LeadPatch, ListQuery, Op};
use crm::store::{EntityKind, MemoryStore, Store};
use crm::{Crm, Error, LeadInput, RecordKey, Region};
use serde_json::json;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 6, 9, 0, 0).unwrap()
}

fn spec(label: &str, field_type: FieldType) -> CustomFieldSpec {
    CustomFieldSpec {
        label: label.into(),
        field_type,
        required: false,
        default: None,
        description: None,
    }
}

fn define<S: Store>(crm: &Crm<S>, kind: EntityKind, name: &str, spec: CustomFieldSpec) {
    crm.define_custom_field(
        NewCustomField {
            kind,
            name: name.into(),
            spec,
        },
        now(),
    )
    .unwrap();
}

fn lead_input(last: &str, custom: &[(&str, &str)]) -> LeadInput {
    let mut input = LeadInput::new().with(LeadField::LastName, last).with(
        LeadField::Email,
        format!("{}@example.com", last.to_lowercase()),
    );
    for (k, v) in custom {
        input.set(LeadField::Custom((*k).into()), *v);
    }
    input
}

fn problems(err: Error) -> Vec<String> {
    match err {
        Error::Validation { problems } => problems.into_iter().map(|p| p.field).collect(),
        other => panic!("expected validation_failed, got {other:?}"),
    }
}

fn values_are_typed_checked_and_defaulted<S: Store>(crm: Crm<S>) {
    // a lead written before any definition keeps its free value
    let legacy = crm
        .capture_lead(&lead_input("Early", &[("legacy", "kept")]), now())
        .unwrap()
        .lead;
    define(
        &crm,
        EntityKind::Lead,
        "employees",
        spec("Employees", FieldType::Number),
    );
    define(
        &crm,
        EntityKind::Lead,
        "tier",
        CustomFieldSpec {
            required: true,
            default: Some(json!("silver")),
            ..spec(
                "Tier",
                FieldType::Picklist {
                    values: vec!["Gold".into(), "Silver".into()],
                },
            )
        },
    );
    let fields = crm.custom_fields_of(EntityKind::Lead).unwrap();
    assert_eq!(
        fields.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(),
        ["employees", "tier"]
    );
    // the required field was filled in on the stored lead, whose free value stays
    let early = crm.lead(legacy.id).unwrap();
    assert_eq!(early.data.custom["tier"], json!("Silver"));
    assert_eq!(early.data.custom["legacy"], json!("kept"));

    // a text typed as a number is stored as one; the default fills the picklist
    let lead = crm
        .capture_lead(&lead_input("Lovelace", &[("employees", "250")]), now())
        .unwrap()
        .lead;
    assert_eq!(lead.data.custom["employees"], json!(250));
    assert_eq!(lead.data.custom["tier"], json!("Silver"));
    assert_eq!(
        crm.lead(lead.id).unwrap().data.custom["employees"],
        json!(250)
    );

    // every problem at once, nothing stored
    let before = crm.count_records(EntityKind::Lead, &[]).unwrap();
    let err = crm
        .capture_lead(
            &lead_input(
                "Babbage",
                &[
                    ("employees", "many"),
                    ("tier", "platinum"),
                    ("industy", "x"),
                ],
            ),
            now(),
        )
        .unwrap_err();
    assert_eq!(
        problems(err),
        ["custom.employees", "custom.industy", "custom.tier"]
    );
    assert_eq!(crm.count_records(EntityKind::Lead, &[]).unwrap(), before);

    // edits: a picklist value in any case is stored as the list spells it; clearing a
    // required field is refused; the free legacy value rides along an edit
    let patch: LeadPatch = serde_json::from_value(json!({"custom": {"tier": "gold"}})).unwrap();
    let gold = crm
        .update_lead(lead.id, lead.version, &patch, now())
        .unwrap();
    assert_eq!(gold.data.custom["tier"], json!("Gold"));
    let clear: LeadPatch = serde_json::from_value(json!({"custom": {"tier": null}})).unwrap();
    let err = crm
        .update_lead(gold.id, gold.version, &clear, now())
        .unwrap_err();
    assert_eq!(problems(err), ["custom.tier"]);
    let rename: LeadPatch = serde_json::from_value(json!({"job_title": "Founder"})).unwrap();
    let early = crm
        .update_lead(early.id, early.version, &rename, now())
        .unwrap();
    assert_eq!(early.data.custom["legacy"], json!("kept"));
    let more: LeadPatch = serde_json::from_value(json!({"custom": {"legacy2": "new"}})).unwrap();
    assert_eq!(
        problems(
            crm.update_lead(early.id, early.version, &more, now())
                .unwrap_err()
        ),
        ["custom.legacy2"]
    );

    // a listing filters on custom values
    let page = crm
        .list_page(
            EntityKind::Lead,
            &ListQuery {
                filter: vec![FieldCondition {
                    field: "data.custom.tier".into(),
                    op: Op::Eq,
                    value: json!("Gold"),
                }],
                ..ListQuery::default()
            },
        )
        .unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0]["id"], json!(gold.id.get()));

    // accounts: custom values on creation, a date read into its one form
    define(
        &crm,
        EntityKind::Account,
        "renewal",
        spec("Renewal", FieldType::Date),
    );
    let account = crm
        .create_account(
            NewAccount {
                custom: [("renewal".to_string(), json!("2027-03-31"))].into(),
                ..NewAccount::named("Engines")
            },
            now(),
        )
        .unwrap();
    assert_eq!(account.custom["renewal"], json!("2027-03-31"));
    let err = crm
        .create_account(
            NewAccount {
                custom: [("renewal".to_string(), json!("31/03/2027"))].into(),
                ..NewAccount::named("Engines 2")
            },
            now(),
        )
        .unwrap_err();
    assert_eq!(problems(err), ["custom.renewal"]);
}

fn redefinitions_are_versioned_and_checked<S: Store>(crm: Crm<S>) {
    define(
        &crm,
        EntityKind::Lead,
        "tier",
        spec(
            "Tier",
            FieldType::Picklist {
                values: vec!["Gold".into(), "Silver".into()],
            },
        ),
    );
    define(
        &crm,
        EntityKind::Lead,
        "seats",
        spec("Seats", FieldType::Text { max_length: None }),
    );
    let a = crm
        .capture_lead(
            &lead_input("Ada", &[("tier", "Gold"), ("seats", "12")]),
            now(),
        )
        .unwrap()
        .lead;
    let b = crm
        .capture_lead(&lead_input("Bea", &[("seats", "3")]), now())
        .unwrap()
        .lead;
    let b_version = crm.archive(
        RecordKey::new(EntityKind::Lead, b.id.get()),
        b.version,
        now(),
    );
    assert!(b_version.is_ok());
    let tier = crm.custom_field(EntityKind::Lead, "tier").unwrap().unwrap();

    // taking out a value in use is refused, naming the lead; nothing changes
    let err = crm
        .redefine_custom_field(
            EntityKind::Lead,
            "tier",
            tier.version.get(),
            spec(
                "Tier",
                FieldType::Picklist {
                    values: vec!["Silver".into()],
                },
            ),
            now(),
        )
        .unwrap_err();
    assert_eq!(problems(err), [format!("lead:{}", a.id)]);
    // adding one is fine and bumps the version; a stale version is a conflict
    let change = crm
        .redefine_custom_field(
            EntityKind::Lead,
            "tier",
            tier.version.get(),
            spec(
                "Tier",
                FieldType::Picklist {
                    values: vec!["Gold".into(), "Silver".into(), "Bronze".into()],
                },
            ),
            now(),
        )
        .unwrap();
    assert_eq!(change.field.version.get(), tier.version.get() + 1);
    assert_eq!(change.records_changed, 0);
    assert!(matches!(
        crm.rename_custom_field(EntityKind::Lead, "tier", tier.version.get(), "level", now()),
        Err(Error::Conflict { .. })
    ));

    // a text field becomes a number: every stored text is read as one, archived too
    let seats = crm
        .custom_field(EntityKind::Lead, "seats")
        .unwrap()
        .unwrap();
    let change = crm
        .redefine_custom_field(
            EntityKind::Lead,
            "seats",
            seats.version.get(),
            spec("Seats", FieldType::Number),
            now(),
        )
        .unwrap();
    assert_eq!(change.records_changed, 2);
    assert_eq!(crm.lead(a.id).unwrap().data.custom["seats"], json!(12));
    assert_eq!(crm.lead(b.id).unwrap().data.custom["seats"], json!(3));

    // a rename moves every value, and the archived lead stays archived
    let change = crm
        .rename_custom_field(
            EntityKind::Lead,
            "seats",
            change.field.version.get(),
            "licences",
            now(),
        )
        .unwrap();
    assert_eq!(change.records_changed, 2);
    let moved = crm.lead(b.id).unwrap();
    assert_eq!(moved.data.custom.get("seats"), None);
    assert_eq!(moved.data.custom["licences"], json!(3));
    assert!(
        crm.is_archived(RecordKey::new(EntityKind::Lead, b.id.get()))
            .unwrap()
    );

    // removal: refused while values exist, unless purged
    let licences = change.field;
    assert!(matches!(
        crm.remove_custom_field(
            EntityKind::Lead,
            "licences",
            licences.version.get(),
            false,
            now()
        ),
        Err(Error::InUse { .. })
    ));
    let removed = crm
        .remove_custom_field(
            EntityKind::Lead,
            "licences",
            licences.version.get(),
            true,
            now(),
        )
        .unwrap();
    assert_eq!(removed.records_changed, 2);
    assert_eq!(crm.lead(a.id).unwrap().data.custom.get("licences"), None);
    assert!(
        crm.custom_field(EntityKind::Lead, "licences")
            .unwrap()
            .is_none()
    );

    // a required field without a default cannot be added over stored records
    let err = crm
        .define_custom_field(
            NewCustomField {
                kind: EntityKind::Lead,
                name: "region".into(),
                spec: CustomFieldSpec {
                    required: true,
                    ..spec("Region", FieldType::Text { max_length: None })
                },
            },
            now(),
        )
        .unwrap_err();
    assert_eq!(problems(err).len(), 2);
    // bad definitions are refused by name
    for (kind, name, ty) in [
        (EntityKind::Technician, "x", FieldType::Number),
        (EntityKind::Lead, "Bad Name", FieldType::Number),
        (EntityKind::Lead, "tier", FieldType::Number),
        (
            EntityKind::Lead,
            "p",
            FieldType::Picklist { values: vec![] },
        ),
        (
            EntityKind::Lead,
            "m",
            FieldType::Money {
                currency: "XXQ".into(),
            },
        ),
    ] {
        assert!(
            crm.define_custom_field(
                NewCustomField {
                    kind,
                    name: name.into(),
                    spec: spec("X", ty),
                },
                now(),
            )
            .is_err()
        );
    }
    // every change is in the log
    let types: Vec<String> = crm
        .events_since(0, 1000)
        .unwrap()
        .into_iter()
        .map(|e| e.event_type)
        .filter(|t| t.starts_with("CustomField"))
        .collect();
    assert_eq!(
        types,
        [
            "CustomFieldDefined",
            "CustomFieldDefined",
            "CustomFieldRedefined",
            "CustomFieldRedefined",
            "CustomFieldRenamed",
            "CustomFieldRemoved"
        ]
    );
}

on_both_stores!(
    values_are_typed_checked_and_defaulted,
    redefinitions_are_versioned_and_checked
);
