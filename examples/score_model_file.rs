//! Scores a feature matrix with a model file, as any host would after loading a model
//! trained elsewhere (the Python suite saves a model and checks this gives its scores).
//!
//! `cargo run --example score_model_file -- MODEL.json MATRIX.json`
//!
//! MATRIX.json is `{"rows": n, "cols": d, "x": [row-major values]}`; the probabilities
//! are printed as one JSON array (floats written so they read back bit for bit).

use crm::scoring::model_file::ModelFile;
use crm::scoring::{Layout, Matrix};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(model), Some(matrix)) = (args.next(), args.next()) else {
        return Err("usage: score_model_file MODEL.json MATRIX.json".into());
    };
    let file = ModelFile::from_json(&std::fs::read_to_string(model)?)?;
    let m: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(matrix)?)?;
    let rows = m["rows"].as_u64().ok_or("rows")? as usize;
    let cols = m["cols"].as_u64().ok_or("cols")? as usize;
    let x: Vec<f64> = serde_json::from_value(m["x"].clone())?;
    let p = file.score_matrix(Matrix::new(&x, rows, cols, Layout::RowMajor)?)?;
    println!("{}", serde_json::to_string(&p)?);
    Ok(())
}
