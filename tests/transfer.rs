//! Exports of any kind, on both stores: CSV with nested fields flattened to dotted paths,
//! JSON lines, filters, chosen columns, delimiters, files.

#[macro_use]
mod both_stores;

use chrono::{DateTime, TimeZone, Utc};
use crm::customer::NewAccount;
use crm::lifecycle::{FieldCondition, Op};
use crm::store::{EntityKind, MemoryStore, Store};
use crm::transfer::{ExportFormat, ExportOptions};
use crm::{Crm, Error, Region};
use serde_json::{Value, json};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap()
}

fn accounts<S: Store>(crm: &Crm<S>) {
    let mut a = NewAccount::named("Analytical Engines");
    a.industry = Some("machinery".into());
    a.address.city = Some("London".into());
    a.custom.insert("tier".into(), json!("gold"));
    crm.create_account(a, now()).unwrap();
    let mut b = NewAccount::named("Difference, \"Engines\" Ltd");
    b.custom.insert("seats".into(), json!(12));
    crm.create_account(b, now()).unwrap();
}

fn csv_of<S: Store>(crm: &Crm<S>, options: &ExportOptions) -> (Vec<String>, Vec<Vec<String>>) {
    let mut out = Vec::new();
    let report = crm
        .export_records(EntityKind::Account, options, &mut out)
        .unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(
            options
                .delimiter
                .as_deref()
                .map_or(b',', |d| d.as_bytes()[0]),
        )
        .from_reader(out.as_slice());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, report.columns);
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    assert_eq!(rows.len() as u64, report.records);
    (header, rows)
}

fn csv_flattens_every_field<S: Store>(crm: Crm<S>) {
    accounts(&crm);
    let (header, rows) = csv_of(&crm, &ExportOptions::default());
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0][col("name")], "Analytical Engines");
    assert_eq!(rows[0][col("address.city")], "London");
    assert_eq!(rows[0][col("custom.tier")], "gold");
    assert_eq!(
        rows[0][col("custom.seats")],
        "",
        "a field another record has"
    );
    assert_eq!(rows[1][col("custom.seats")], "12");
    assert_eq!(rows[1][col("name")], "Difference, \"Engines\" Ltd");
    assert_eq!(rows[1][col("id")], "2");
    // chosen columns, a filter and a delimiter
    let options = ExportOptions {
        columns: vec!["name".into(), "custom.tier".into(), "address.city".into()],
        filter: vec![FieldCondition {
            field: "custom.tier".into(),
            op: Op::Eq,
            value: json!("gold"),
        }],
        delimiter: Some(";".into()),
        ..ExportOptions::default()
    };
    let (header, rows) = csv_of(&crm, &options);
    assert_eq!(header, ["name", "custom.tier", "address.city"]);
    assert_eq!(rows, [["Analytical Engines", "gold", "London"]]);
}

fn json_lines_are_the_stored_documents<S: Store>(crm: Crm<S>) {
    accounts(&crm);
    let mut out = Vec::new();
    let options = ExportOptions {
        format: ExportFormat::JsonLines,
        ..ExportOptions::default()
    };
    let report = crm
        .export_records(EntityKind::Account, &options, &mut out)
        .unwrap();
    assert_eq!(report.records, 2);
    let docs: Vec<Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let stored = crm.account(crm::id::AccountId::new(1).unwrap()).unwrap();
    assert_eq!(docs[0], serde_json::to_value(&stored).unwrap());
    // picked paths
    let mut out = Vec::new();
    let options = ExportOptions {
        format: ExportFormat::JsonLines,
        columns: vec!["name".into(), "custom.seats".into()],
        ..ExportOptions::default()
    };
    crm.export_records(EntityKind::Account, &options, &mut out)
        .unwrap();
    let second: Value =
        serde_json::from_str(String::from_utf8(out).unwrap().lines().nth(1).unwrap()).unwrap();
    assert_eq!(
        second,
        json!({"name": "Difference, \"Engines\" Ltd", "custom.seats": 12})
    );
}

fn bad_options_are_refused_and_files_written<S: Store>(crm: Crm<S>) {
    accounts(&crm);
    for bad in [
        ExportOptions {
            delimiter: Some("ab".into()),
            ..ExportOptions::default()
        },
        ExportOptions {
            columns: vec![" ".into()],
            ..ExportOptions::default()
        },
    ] {
        let err = crm
            .export_records(EntityKind::Account, &bad, &mut Vec::new())
            .unwrap_err();
        assert!(matches!(err, Error::InvalidValue { .. }), "{err}");
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("accounts.csv");
    let report = crm
        .export_to_file(
            EntityKind::Account,
            path.to_str().unwrap(),
            &ExportOptions::default(),
        )
        .unwrap();
    assert_eq!(report.records, 2);
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.lines().count(), 3);
    let err = crm
        .export_to_file(
            EntityKind::Account,
            "/nonexistent/dir/x.csv",
            &ExportOptions::default(),
        )
        .unwrap_err();
    assert!(matches!(err, Error::Storage { .. }), "{err}");
}

fn parquet_columns_are_typed<S: Store>(crm: Crm<S>) {
    use arrow_array::Array;
    use arrow_array::cast::AsArray;
    use arrow_array::types::Int64Type;
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

    accounts(&crm);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("accounts.parquet");
    let options = ExportOptions {
        format: ExportFormat::Parquet,
        ..ExportOptions::default()
    };
    let report = crm
        .export_to_file(EntityKind::Account, path.to_str().unwrap(), &options)
        .unwrap();
    assert_eq!(report.records, 2);
    let reader = ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(&path).unwrap())
        .unwrap()
        .build()
        .unwrap();
    let batches: Vec<_> = reader.map(Result::unwrap).collect();
    let batch = &batches[0];
    assert_eq!(batch.num_rows(), 2);
    let schema = batch.schema();
    let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    assert_eq!(
        names,
        report
            .columns
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
    );
    let column = |name: &str| batch.column(names.iter().position(|n| *n == name).unwrap());
    let ids = column("id").as_primitive::<Int64Type>();
    assert_eq!((ids.value(0), ids.value(1)), (1, 2));
    let seats = column("custom.seats").as_primitive::<Int64Type>();
    assert!(seats.is_null(0));
    assert_eq!(seats.value(1), 12);
    let city = column("address.city").as_string::<i32>();
    assert_eq!(city.value(0), "London");
    assert!(city.is_null(1));
}

on_both_stores!(
    csv_flattens_every_field,
    json_lines_are_the_stored_documents,
    bad_options_are_refused_and_files_written,
    parquet_columns_are_typed,
);
