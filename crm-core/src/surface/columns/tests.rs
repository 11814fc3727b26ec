//! The column layout and reading, on records made through the declared use cases.

use super::*;
use crate::Region;
use crate::crm::Crm;
use crate::store::{EntityKind, MemoryStore};
use arrow_array::Array;
use arrow_array::cast::AsArray;
use arrow_array::types::{Decimal128Type, Int64Type, TimestampMicrosecondType};
use arrow_schema::{DataType, TimeUnit};
use serde_json::{Value, json};

fn call(crm: &Crm<MemoryStore>, call: &str, args: Value) -> Value {
    let (ns, name) = call.split_once('.').unwrap();
    let now = "2026-11-23T09:00:00Z".parse().unwrap();
    crate::surface::invoke(crm, ns, name, args.as_object().unwrap(), now).unwrap()
}

/// The chunks of a table as one batch.
fn whole((schema, batches): Table) -> RecordBatch {
    arrow_select::concat::concat_batches(&schema, &batches).unwrap()
}

fn text(batch: &RecordBatch, column: &str) -> Vec<Option<String>> {
    let array = batch
        .column_by_name(column)
        .unwrap_or_else(|| panic!("no {column}"));
    let strings = array.as_string::<i32>();
    (0..array.len())
        .map(|i| (!strings.is_null(i)).then(|| strings.value(i).to_string()))
        .collect()
}

#[test]
fn leads_lie_flat_with_their_status_and_its_reason() {
    let model = Model::build();
    let crm = Crm::new(MemoryStore::new(), Region::parse("DE").unwrap());
    let empty = whole(stored(&crm, &model, EntityKind::Lead).unwrap());
    assert_eq!(empty.num_rows(), 0);
    assert!(empty.column_by_name("data.first_name").is_some());
    for (first, email) in [("Ada", "ada@example.com"), ("Bob", "bob@example.com")] {
        let values = json!({ "first_name": first, "last_name": "X", "email": email });
        call(
            &crm,
            "leads.capture",
            json!({ "input": { "values": values } }),
        );
    }
    call(
        &crm,
        "leads.disqualify",
        json!({ "id": 2, "reason": "no budget" }),
    );

    let batch = whole(stored(&crm, &model, EntityKind::Lead).unwrap());
    assert_eq!(batch.num_rows(), 2);
    let ids = batch
        .column_by_name("id")
        .unwrap()
        .as_primitive::<Int64Type>();
    assert_eq!(ids.values().to_vec(), vec![1, 2]);
    assert_eq!(
        text(&batch, "data.first_name"),
        [Some("Ada".into()), Some("Bob".into())]
    );
    assert_eq!(
        text(&batch, "status"),
        [Some("new".into()), Some("disqualified".into())]
    );
    assert_eq!(
        text(&batch, "status.reason"),
        [None, Some("no budget".into())]
    );
    let created = batch.column_by_name("created_at").unwrap();
    assert_eq!(
        created.data_type(),
        &DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()))
    );
    let micros = created.as_primitive::<TimestampMicrosecondType>().value(0);
    assert_eq!(micros, 1_795_424_400_000_000);
}

#[test]
fn tagged_enums_and_money_get_their_own_columns() {
    let model = Model::build();
    let crm = Crm::new(MemoryStore::new(), Region::parse("DE").unwrap());
    call(
        &crm,
        "customers.create_account",
        json!({ "account": { "name": "Engines" } }),
    );
    let contact = json!({ "account": 1, "first_name": "Ada", "last_name": "Lovelace" });
    call(
        &crm,
        "customers.create_contact",
        json!({ "contact": contact }),
    );
    let visit =
        json!({ "kind": "web_visit", "url": "https://x.example/pricing", "duration_secs": 95 });
    let touch = json!({ "subject": { "kind": "contact", "id": 1 }, "at": "2026-11-22T15:00:00Z", "kind": visit });
    call(&crm, "leads.record_touchpoint", json!({ "touch": touch }));
    let batch = whole(stored(&crm, &model, EntityKind::Touchpoint).unwrap());
    assert_eq!(text(&batch, "subject"), [Some("contact".into())]);
    assert_eq!(text(&batch, "kind"), [Some("web_visit".into())]);
    assert_eq!(
        text(&batch, "kind.url"),
        [Some("https://x.example/pricing".into())]
    );
    let secs = batch.column_by_name("kind.duration_secs").unwrap();
    assert_eq!(secs.as_primitive::<Int64Type>().value(0), 95);

    let purchase = json!({ "contact": 1, "product": "Engine", "purchased_at": "2026-11-01T10:00:00Z",
        "quantity": "1", "unit_price": { "amount": "12000.5", "currency": "EUR" } });
    call(
        &crm,
        "customers.record_purchase",
        json!({ "purchase": purchase }),
    );
    let purchase = json!({ "contact": 1, "product": "Gear", "purchased_at": "2026-11-02T10:00:00Z",
        "quantity": "2.5", "unit_price": { "amount": "0.125", "currency": "EUR" } });
    call(
        &crm,
        "customers.record_purchase",
        json!({ "purchase": purchase }),
    );
    let batch = whole(stored(&crm, &model, EntityKind::Purchase).unwrap());
    let prices = batch.column_by_name("unit_price.amount").unwrap();
    assert_eq!(prices.data_type(), &DataType::Decimal128(38, 3));
    let prices = prices.as_primitive::<Decimal128Type>();
    assert_eq!((prices.value(0), prices.value(1)), (12_000_500, 125));
    let quantities = batch.column_by_name("quantity").unwrap();
    assert_eq!(quantities.data_type(), &DataType::Decimal128(38, 1));
}

#[test]
fn parts_filled_apart_share_one_schema() {
    let model = Model::build();
    let plan = model.def_named("Money").unwrap();
    let mut a = Columns::new(&model, &plan);
    a.push_json(r#"{"amount": "1.5", "currency": "EUR"}"#)
        .unwrap();
    let mut b = Columns::with_capacity(&model, &plan, 2);
    b.push_json(r#"{"amount": "0.125", "currency": "EUR"}"#)
        .unwrap();
    b.push_json(r#"{"currency": "USD"}"#).unwrap();
    let (schema, batches) = Columns::finish_parts(vec![a, b]).unwrap();
    assert_eq!(schema.field(0).data_type(), &DataType::Decimal128(38, 3));
    assert!(batches.iter().all(|b| b.schema() == schema));
    let all = whole((schema, batches));
    let amounts = all.column(0).as_primitive::<Decimal128Type>();
    assert_eq!((amounts.value(0), amounts.value(1)), (1_500, 125));
    assert!(amounts.is_null(2));
    assert_eq!(
        text(&all, "currency"),
        [Some("EUR".into()), Some("EUR".into()), Some("USD".into())]
    );
}

#[test]
fn a_row_that_does_not_fit_is_an_error_not_a_skewed_batch() {
    let model = Model::build();
    let plan = model.def_named("Lead").unwrap();
    let mut columns = Columns::new(&model, &plan);
    let bad = columns
        .push_json(r#"{"id": 1, "created_at": "yesterday"}"#)
        .unwrap_err();
    assert_eq!(bad.code(), "input");
    assert!(bad.to_string().contains("created_at"), "{bad}");
    assert!(columns.push_json(r#"{"id": 2}"#).is_err());
    assert!(columns.finish().is_err());
}
