//! Customer models on a generated customer base with planted signals (the generator is
//! `benches/common/customer_base.rs`; the bench measures a bigger base for RESULTS.md):
//! the cross-sell model finds the planted group, is calibrated and explains itself; the
//! churn model beats recency alone; the value model beats "same as last period";
//! re-scoring writes only changes and segments read the predictions; accounts are ranked
//! by churn risk.

#[path = "../benches/common/mod.rs"]
mod common;

use common::customer_base::{day, populate, spec};
use crm::crm::customer_models::{CustomerFitOptions, NamedModel, rfm_spec};
use crm::customer::{NewAccount, NewContact, NewPurchase};
use crm::id::{AccountId, ContactId, RecordRef};
use crm::marketing::segment::{Predicate, SegmentSubject};
use crm::scoring::customer::CustomerTarget;
use crm::scoring::model_file::ModelFile;
use crm::service::case::{CaseCategory, CaseChannel, CasePriority, NewCase};
use crm::store::MemoryStore;
use crm::{Crm, Region};
use crm::{Currency, Money};
use rust_decimal::Decimal;

#[test]
fn customer_models_find_the_planted_signals() {
    let crm = Crm::new(MemoryStore::new(), Region::parse("US").unwrap());
    let generated = populate(&crm, 1_500, 11);
    assert!(generated.purchases > 10_000, "{generated:?}");
    let (train, test, now) = (day(365), day(455), day(640));
    let opts = CustomerFitOptions::default();

    // Cross-sell: buys B in the next 90 days.
    let buys_b = CustomerTarget::Buys {
        products: vec!["B".into()],
        horizon_days: 90,
    };
    let ts = crm
        .customer_training_set(spec(), buys_b.clone(), train, now)
        .unwrap();
    assert_eq!(ts.x.len(), ts.contacts.len() * ts.columns.len());
    assert!(
        ts.columns.contains(&"gender=female".to_string()),
        "{:?}",
        ts.columns
    );
    let model = crm
        .fit_customer_model(spec(), buys_b, train, opts, now)
        .unwrap();
    let back = ModelFile::from_json(&model.to_json().unwrap()).unwrap();
    assert_eq!(back, model, "the model file keeps the customer target");
    let eval = crm.evaluate_customer_model(&model, test, now).unwrap();
    println!("cross-sell: {eval:?}");
    assert!(eval.auc.unwrap() >= 0.8, "{eval:?}");
    // calibrated: predicted and observed rates agree within a few points overall, and
    // within 0.1 in every bin of at least 100 customers
    assert!(eval.calibration_error.unwrap() < 0.05, "{eval:?}");
    for b in eval.calibration.iter().filter(|b| b.count >= 100) {
        assert!(
            (b.observed_rate - b.mean_predicted).abs() < 0.1,
            "calibration {b:?}"
        );
    }
    // the likeliest buyers are the planted group, and the reasons say why
    let top = crm.predict_customers(&model, None, 20, now).unwrap();
    assert_eq!(top.len(), 20);
    assert!(top.windows(2).all(|w| w[0].value >= w[1].value));
    let reasons: Vec<&str> = top[0].reasons.iter().map(|r| r.feature.as_str()).collect();
    assert!(
        reasons.iter().any(|r| r.starts_with("bought:")
            || r.starts_with("gender=")
            || r.starts_with("income_band=")),
        "{reasons:?}"
    );

    // Churn: buys nothing in the next 90 days; beats recency alone.
    let churn = CustomerTarget::Churn { horizon_days: 90 };
    let churn_model = crm
        .fit_customer_model(spec(), churn, train, opts, now)
        .unwrap();
    let eval = crm
        .evaluate_customer_model(&churn_model, test, now)
        .unwrap();
    println!("churn: {eval:?}");
    assert!(
        eval.auc.unwrap() > eval.recency_auc.unwrap(),
        "churn must beat recency alone: {eval:?}"
    );

    // Value: revenue in the next 90 days, on an RFM grid.
    let value = CustomerTarget::Value { horizon_days: 90 };
    let value_model = crm
        .fit_customer_model(rfm_spec(90.0, 365.0), value.clone(), train, opts, now)
        .unwrap();
    let eval = crm
        .evaluate_customer_model(&value_model, test, now)
        .unwrap();
    println!("value: {eval:?}");
    assert!(eval.mae.unwrap() < eval.baseline_mae.unwrap(), "{eval:?}");
    // a value model needs the RFM spec
    let err = crm
        .fit_customer_model(spec(), value, train, opts, now)
        .unwrap_err();
    assert_eq!(err.code(), "invalid_value");

    // Recommendations for one customer: one per model, strongest first.
    let someone = top[0].contact;
    let recs = crm
        .recommend(
            someone,
            &[
                NamedModel {
                    name: "buys_b".into(),
                    model: model.clone(),
                },
                NamedModel {
                    name: "churn".into(),
                    model: churn_model.clone(),
                },
            ],
            now,
        )
        .unwrap();
    assert_eq!(recs.len(), 2);
    assert!(recs[0].value >= recs[1].value);

    // Re-scoring writes predictions once; a segment reads them.
    let first = crm.rescore_customers("buys_b", &model, now).unwrap();
    assert_eq!(first.scored, generated.customers);
    assert_eq!(first.changed, generated.customers);
    let again = crm.rescore_customers("Buys_B ", &model, now).unwrap();
    assert_eq!(again.changed, 0, "nothing changed, nothing written");
    let stored = crm.contact(someone).unwrap();
    assert_eq!(stored.predictions.get("buys_b"), Some(&top[0].value));
    // "likely to buy B": a segment over the stored predictions
    let likely = crm
        .define_segment(
            "Likely to buy B",
            SegmentSubject::Contacts,
            Predicate::AtLeast {
                field: "prediction:buys_b".into(),
                value: 0.5,
            },
            now,
        )
        .unwrap();
    let expected = top.iter().filter(|p| p.value >= 0.5).count();
    assert!(expected > 0);
    assert!(likely.segment.members.len() >= expected);
    assert!(
        likely
            .segment
            .members
            .contains(&RecordRef::Contact(someone))
    );

    // A lead model is refused where a customer model is needed, and the reverse.
    let lead_model = ModelFile {
        subject: Default::default(),
        target: None,
        ..model.clone()
    };
    assert_eq!(
        crm.rescore_customers("x", &lead_model, now)
            .unwrap_err()
            .code(),
        "invalid_value"
    );
    assert_eq!(
        crm.rescore_leads_with_model(&model, now)
            .unwrap_err()
            .code(),
        "invalid_value"
    );
    // A cut-off whose period has not passed yet is refused.
    let err = crm
        .customer_training_set(
            spec(),
            CustomerTarget::Churn { horizon_days: 90 },
            day(600),
            now,
        )
        .unwrap_err();
    assert!(err.to_string().contains("have not passed"), "{err}");

    // Accounts at risk: one whose customers complained lately and stopped buying ranks
    // above one whose customers keep buying, with the complaints among the reasons.
    let unhappy = account_with_customers(&crm, "Unhappy Inc", 540, true);
    let calm = account_with_customers(&crm, "Calm Co", 635, false);
    let risks = crm.accounts_at_risk(&churn_model, 10, now).unwrap();
    assert_eq!(risks.len(), 2, "only accounts with customers: {risks:?}");
    assert_eq!(risks[0].account, unhappy.0, "{risks:?}");
    assert_eq!(risks[1].account, calm.0);
    assert_eq!(risks[0].name, "Unhappy Inc");
    assert!(risks[0].risk > risks[1].risk);
    assert_eq!(risks[0].customers, 2);
    assert!(unhappy.1.contains(&risks[0].most_at_risk));
    assert!(
        risks[0]
            .reasons
            .iter()
            .any(|r| r.feature.starts_with("cases:complaint") && r.contribution > 0.0),
        "{:?}",
        risks[0].reasons
    );
    // revenue in the model's horizon: none left at the unhappy account, some at the calm one
    assert_eq!(risks[0].revenue, 0.0);
    assert!(risks[1].revenue > 0.0);
    assert!(risks[1].revenue_at_risk > 0.0 && risks[1].revenue_at_risk < risks[1].revenue);
    assert_eq!(crm.accounts_at_risk(&churn_model, 1, now).unwrap().len(), 1);
    // only a churn model says what is at risk
    assert_eq!(
        crm.accounts_at_risk(&model, 10, now).unwrap_err().code(),
        "invalid_value"
    );
}

/// An account with two customers who bought every 10 days until `last_day`; with
/// complaints in the last weeks when `complaining`. Returns its id and the customers.
fn account_with_customers(
    crm: &Crm<MemoryStore>,
    name: &str,
    last_day: i64,
    complaining: bool,
) -> (AccountId, Vec<ContactId>) {
    let account = crm
        .create_account(
            NewAccount {
                name: name.into(),
                ..Default::default()
            },
            day(300),
        )
        .unwrap();
    let mut contacts = Vec::new();
    for i in 0..2 {
        let c = crm
            .create_contact(
                NewContact {
                    account: Some(account.id),
                    last_name: Some(format!("{name} {i}")),
                    ..Default::default()
                },
                day(300),
            )
            .unwrap();
        let mut t = 300;
        while t <= last_day {
            crm.record_purchase(
                NewPurchase {
                    contact: c.id,
                    product: "C".into(),
                    purchased_at: day(t),
                    sales_rep: None,
                    quantity: Decimal::ONE,
                    unit_price: Money::new(Decimal::from(40), Currency::parse("USD").unwrap()),
                    special_instructions: None,
                    feedback: None,
                    custom: Default::default(),
                },
                day(t),
            )
            .unwrap();
            t += 10;
        }
        if complaining {
            for at in [600, 620] {
                crm.open_case(
                    NewCase {
                        subject: "Not happy".into(),
                        description: String::new(),
                        channel: CaseChannel::Email,
                        category: CaseCategory::Complaint,
                        priority: CasePriority::Normal,
                        account: None,
                        contact: Some(c.id),
                        asset: None,
                        contract: None,
                        owner: None,
                        queue: None,
                        product: None,
                        language: None,
                        custom: Default::default(),
                    },
                    day(at),
                )
                .unwrap();
            }
        }
        contacts.push(c.id);
    }
    (account.id, contacts)
}
