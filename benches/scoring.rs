//! Logistic-regression lead scoring on 1M rows × 32 f64 features: bulk probabilities
//! against a plain sum over the same matrix (the memory-read bound: scoring reads every
//! byte once), and the time to fit.
//!
//! `cargo bench --bench scoring`

use std::time::Instant;

mod common;
use common::{Rng, best_time};

use crm::scoring::{ColumnValues, Columns, Layout, LogisticConfig, LogisticModel, Matrix};

const ROWS: usize = 1_000_000;
const COLS: usize = 32;

fn main() {
    let mut rng = Rng(11);
    let truth: Vec<f64> = (0..COLS).map(|c| (c as f64 - 16.0) / 16.0).collect();
    let mut x = Vec::with_capacity(ROWS * COLS);
    let mut y = Vec::with_capacity(ROWS);
    for _ in 0..ROWS {
        let row: Vec<f64> = (0..COLS).map(|_| rng.uniform() * 2.0 - 1.0).collect();
        let z: f64 = row.iter().zip(&truth).map(|(a, b)| a * b).sum::<f64>() - 0.3;
        y.push(if rng.uniform() < 1.0 / (1.0 + (-z).exp()) {
            1.0
        } else {
            0.0
        });
        x.extend(row);
    }
    let m = Matrix::new(&x, ROWS, COLS, Layout::RowMajor).unwrap();

    let t = Instant::now();
    let model = LogisticModel::fit(m, &y, None, &LogisticConfig::default()).unwrap();
    let fit = t.elapsed();
    println!(
        "== fit {ROWS} × {COLS}: {:.2} s, {} Newton iterations, gradient {:.1e} (goal < 2 s on one core: {})",
        fit.as_secs_f64(),
        model.report.iterations,
        model.report.gradient_norm,
        if fit.as_secs_f64() < 2.0 {
            "met"
        } else {
            "NOT met"
        }
    );

    let mut out = vec![0.0; ROWS];
    let score = best_time(5, || model.predict_proba_into(m, &mut out).unwrap());
    // Eight independent accumulators, so the sum runs at memory speed rather than at the
    // latency of one long chain of additions.
    let sum = best_time(5, || {
        let mut acc = [0.0f64; 8];
        for chunk in x.chunks_exact(8) {
            for (a, v) in acc.iter_mut().zip(chunk) {
                *a += v;
            }
        }
        acc.iter().sum::<f64>()
    });
    let bytes = (ROWS * COLS * 8) as f64;
    println!(
        "== score {ROWS} × {COLS}: {:.1} ms = {:.1} M rows/s = {:.2} GB/s; plain sum {:.1} ms = {:.2} GB/s; score / sum time = {:.2} (goal ≤ 1.25)",
        score.as_secs_f64() * 1e3,
        ROWS as f64 / score.as_secs_f64() / 1e6,
        bytes / score.as_secs_f64() / 1e9,
        sum.as_secs_f64() * 1e3,
        bytes / sum.as_secs_f64() / 1e9,
        score.as_secs_f64() / sum.as_secs_f64()
    );

    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let parallel = best_time(5, || {
        model.predict_proba_parallel(m, &mut out, threads).unwrap()
    });
    println!(
        "== score on {threads} threads: {:.1} ms = {:.1} M rows/s ({:.2}× the one-thread time)",
        parallel.as_secs_f64() * 1e3,
        ROWS as f64 / parallel.as_secs_f64() / 1e6,
        parallel.as_secs_f64() / score.as_secs_f64()
    );

    // The same values as separate columns (what Arrow tables and DataFrames hold).
    let by_column: Vec<Vec<f64>> = (0..COLS)
        .map(|c| x.iter().skip(c).step_by(COLS).copied().collect())
        .collect();
    let columns = Columns::new(
        by_column.iter().map(|c| ColumnValues::F64(c)).collect(),
        vec![],
    )
    .unwrap();
    let from_columns = best_time(5, || model.predict_proba_into(&columns, &mut out).unwrap());
    println!(
        "== score {ROWS} × {COLS} from separate columns: {:.1} ms ({:.2}× the row-major time); score / sum time = {:.2}",
        from_columns.as_secs_f64() * 1e3,
        from_columns.as_secs_f64() / score.as_secs_f64(),
        from_columns.as_secs_f64() / sum.as_secs_f64()
    );

    // f32 input: half the bytes to read, widened to f64 as it is read.
    let x32: Vec<f32> = x.iter().map(|v| *v as f32).collect();
    let m32 = Matrix::new(&x32, ROWS, COLS, Layout::RowMajor).unwrap();
    let score32 = best_time(5, || model.predict_proba_into(m32, &mut out).unwrap());
    let sum32 = best_time(5, || {
        let mut acc = [0.0f64; 8];
        for chunk in x32.chunks_exact(8) {
            for (a, v) in acc.iter_mut().zip(chunk) {
                *a += f64::from(*v);
            }
        }
        acc.iter().sum::<f64>()
    });
    println!(
        "== score f32 {ROWS} × {COLS}: {:.1} ms = {:.1} M rows/s ({:.2}× the f64 time); f32 sum {:.1} ms; score / sum time = {:.2}",
        score32.as_secs_f64() * 1e3,
        ROWS as f64 / score32.as_secs_f64() / 1e6,
        score32.as_secs_f64() / score.as_secs_f64(),
        sum32.as_secs_f64() * 1e3,
        score32.as_secs_f64() / sum32.as_secs_f64()
    );
}
