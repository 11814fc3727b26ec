//! The shared scoring vectors: a model file, a feature matrix and the probabilities crm-core
//! gives for it, in `tests/vectors/logistic_scores.json` at the repository root. Every
//! binding's suite loads the file and must reproduce the probabilities bit for bit; this
//! test keeps the file in step with the engine (`CRM_BLESS=1` rewrites it after an
//! intended change of results).

use crm_core::scoring::features::FeatureSpec;
use crm_core::scoring::model_file::{Model, ModelFile};
use crm_core::scoring::rules::Thresholds;
use crm_core::scoring::{Layout, LogisticConfig, LogisticModel, Matrix};

const ROWS: usize = 64;
const COLS: usize = 7;

fn data() -> (Vec<f64>, Vec<f64>) {
    // splitmix64: the same numbers on every platform.
    let mut state = 0x5eed_u64;
    let mut uniform = move || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    };
    let truth = [1.5, -2.0, 0.5, 0.0, 3.0, -0.7, 0.25];
    let mut x = Vec::with_capacity(ROWS * COLS);
    let mut y = Vec::with_capacity(ROWS);
    for _ in 0..ROWS {
        let row: Vec<f64> = (0..COLS).map(|_| uniform() * 4.0 - 2.0).collect();
        let z: f64 = row.iter().zip(truth).map(|(a, b)| a * b).sum::<f64>() - 0.2;
        y.push(if uniform() < 1.0 / (1.0 + (-z).exp()) {
            1.0
        } else {
            0.0
        });
        x.extend(row);
    }
    (x, y)
}

fn vectors() -> serde_json::Value {
    let (x, y) = data();
    let m = Matrix::new(&x, ROWS, COLS, Layout::RowMajor).unwrap();
    let model = LogisticModel::fit(m, &y, None, &LogisticConfig::default()).unwrap();
    let names: Vec<String> = ["visits", "pages", "emails", "age", "fit", "bounce", "calls"]
        .map(String::from)
        .to_vec();
    let file = ModelFile::new(
        FeatureSpec::columns(names),
        Model::Logistic(model.clone()),
        Thresholds {
            hot: 0.7,
            warm: 0.4,
        },
    )
    .unwrap();
    let p = file.score_matrix(m).unwrap();
    let decision = model.decision_function(m).unwrap();
    serde_json::json!({
        "about": "crm-core scoring vectors: score `x` (row-major, rows × cols) with `model_file`; every binding must reproduce `probabilities` and `decision` bit for bit. Regenerate with CRM_BLESS=1 cargo test -p crm-core --test scoring_vectors.",
        "model_file": file.to_json().unwrap(),
        "rows": ROWS,
        "cols": COLS,
        "x": x,
        "probabilities": p,
        "decision": decision,
    })
}

#[test]
fn the_shared_vectors_match_the_engine() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/vectors/logistic_scores.json"
    );
    let text = serde_json::to_string_pretty(&vectors()).unwrap() + "\n";
    if std::env::var_os("CRM_BLESS").is_some() {
        std::fs::write(path, &text).unwrap();
    }
    let stored = std::fs::read_to_string(path).expect("tests/vectors/logistic_scores.json");
    assert!(
        stored == text,
        "{path} is out of date with the engine; if the change of results is intended, rerun with CRM_BLESS=1"
    );
    // The stored numbers read back as the same bits.
    let back: serde_json::Value = serde_json::from_str(&stored).unwrap();
    let file = ModelFile::from_json(back["model_file"].as_str().unwrap()).unwrap();
    let x: Vec<f64> = serde_json::from_value(back["x"].clone()).unwrap();
    let p: Vec<f64> = serde_json::from_value(back["probabilities"].clone()).unwrap();
    let m = Matrix::new(&x, ROWS, COLS, Layout::RowMajor).unwrap();
    let again = file.score_matrix(m).unwrap();
    assert!(
        again
            .iter()
            .zip(&p)
            .all(|(a, b)| a.to_bits() == b.to_bits())
    );
}
