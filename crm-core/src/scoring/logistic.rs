//! Logistic regression with an L2 penalty, fitted by Newton's method with a backtracking
//! line search, in scikit-learn's convention: minimise
//! `½‖w‖² + C · Σᵢ sᵢ · (log(1 + e^{zᵢ}) − yᵢ zᵢ)` with `zᵢ = xᵢ·w + b`, the intercept `b`
//! not penalised, `sᵢ` the sample weight times the class weight.
//!
//! Newton's method suits lead scoring: a few dozen features make the Hessian tiny
//! (`(d+1)²`), each iteration is one pass over the data, and it converges in a handful of
//! iterations to a gradient at machine precision — so two fits of the same data agree
//! closely, whatever the platform.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

use super::matrix::{Element, Features, Layout, Matrix, bad_value_in_row, dot};

/// How the two classes are weighted.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ClassWeight {
    /// Both classes weigh 1.
    #[default]
    None,
    /// `n / (2 · n_class)`, scikit-learn's `"balanced"`, with `n` and `n_class` summed
    /// sample weights.
    Balanced,
    /// Given weights.
    Manual {
        /// Weight of class 0.
        negative: f64,
        /// Weight of class 1.
        positive: f64,
    },
}

/// How to fit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LogisticConfig {
    /// Inverse regularisation strength (`C` of scikit-learn): larger is less penalty.
    pub c: f64,
    /// Whether to fit an intercept.
    pub fit_intercept: bool,
    /// Newton iterations at most.
    pub max_iter: usize,
    /// Stop when every gradient component, divided by `C · Σ weights` (the loss per
    /// unit of weight, as scikit-learn scales it), is at most this.
    pub tol: f64,
    /// Class weights.
    pub class_weight: ClassWeight,
}

impl Default for LogisticConfig {
    fn default() -> Self {
        LogisticConfig {
            c: 1.0,
            fit_intercept: true,
            max_iter: 100,
            tol: 1e-8,
            class_weight: ClassWeight::None,
        }
    }
}

/// How a fit went.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FitReport {
    /// Newton iterations run.
    pub iterations: usize,
    /// The penalised objective at the end.
    pub objective: f64,
    /// The largest gradient component at the end, divided by `C · Σ weights`.
    pub gradient_norm: f64,
}

/// A fitted logistic regression.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogisticModel {
    /// One coefficient per feature.
    pub coef: Vec<f64>,
    /// The intercept (0 when not fitted).
    pub intercept: f64,
    /// How the fit went.
    pub report: FitReport,
}

pub use super::fastmath::sigmoid;

fn check_labels(y: &[f64], rows: usize) -> Result<()> {
    if y.len() != rows {
        return Err(Error::invalid(
            "y",
            format!("{} labels", y.len()),
            format!("X has {rows} rows"),
        ));
    }
    if let Some(i) = y.iter().position(|v| *v != 0.0 && *v != 1.0) {
        return Err(Error::invalid(
            "y",
            y[i].to_string(),
            format!("label {i} is not 0 or 1"),
        ));
    }
    Ok(())
}

fn sample_weights(y: &[f64], given: Option<&[f64]>, class: ClassWeight) -> Result<Vec<f64>> {
    let n = y.len();
    let mut s = match given {
        Some(w) if w.len() != n => {
            return Err(Error::invalid(
                "sample_weight",
                format!("{} weights", w.len()),
                format!("X has {n} rows"),
            ));
        }
        Some(w) => {
            if let Some(i) = w.iter().position(|v| !v.is_finite() || *v < 0.0) {
                return Err(Error::invalid(
                    "sample_weight",
                    w[i].to_string(),
                    format!("weight {i} must be a finite number ≥ 0"),
                ));
            }
            w.to_vec()
        }
        None => vec![1.0; n],
    };
    // Balanced weights count each class by its sample weights (as scikit-learn ≥ 1.6
    // does): a weight of 2 stands for two samples.
    let total: f64 = s.iter().sum();
    let positive_weight: f64 = s
        .iter()
        .zip(y)
        .filter(|(_, y)| **y == 1.0)
        .map(|(w, _)| w)
        .sum();
    let (neg, pos) = match class {
        ClassWeight::None => (1.0, 1.0),
        ClassWeight::Balanced => (
            total / (2.0 * (total - positive_weight)),
            total / (2.0 * positive_weight),
        ),
        ClassWeight::Manual { negative, positive } => {
            if !(negative.is_finite() && positive.is_finite() && negative > 0.0 && positive > 0.0) {
                return Err(Error::invalid(
                    "class_weight",
                    format!("{negative}, {positive}"),
                    "class weights must be finite and positive",
                ));
            }
            (negative, positive)
        }
    };
    for (si, yi) in s.iter_mut().zip(y) {
        *si *= if *yi == 1.0 { pos } else { neg };
    }
    Ok(s)
}

/// Solves `h · x = g` for a symmetric positive-definite `h` (`n × n`, row-major) by
/// Cholesky; `None` when `h` is not positive definite.
fn cholesky_solve(h: &[f64], g: &[f64], n: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..=i {
            let mut sum = h[i * n + j];
            for k in 0..j {
                sum -= l[i * n + k] * l[j * n + k];
            }
            if i == j {
                if sum <= 0.0 || !sum.is_finite() {
                    return None;
                }
                l[i * n + i] = sum.sqrt();
            } else {
                l[i * n + j] = sum / l[j * n + j];
            }
        }
    }
    let mut y = vec![0.0; n];
    for i in 0..n {
        let mut sum = g[i];
        for k in 0..i {
            sum -= l[i * n + k] * y[k];
        }
        y[i] = sum / l[i * n + i];
    }
    let mut x = vec![0.0; n];
    for i in (0..n).rev() {
        let mut sum = y[i];
        for k in i + 1..n {
            sum -= l[k * n + i] * x[k];
        }
        x[i] = sum / l[i * n + i];
    }
    Some(x)
}

/// From this many rows a fit starts from a sample's answer and samples the Hessian.
const LARGE_ROWS: usize = 200_000;
/// Rows of the warm-start sample (about).
const WARM_START_ROWS: usize = 25_000;
/// The warm start needs no more precision than the sample's noise.
const WARM_START_TOL: f64 = 1e-4;
/// Rows the sampled Hessian is taken from (about).
const HESSIAN_SAMPLE_ROWS: usize = 50_000;
/// Newton iterations with a sampled Hessian before every row is used.
const SAMPLED_HESSIAN_ITERATIONS: usize = 6;

struct Problem<'a, T: Element> {
    x: Matrix<'a, T>,
    y: &'a [f64],
    s: Vec<f64>,
    c: f64,
    fit_intercept: bool,
    /// `C · Σ sᵢ`: the objective's scale, for a scale-free stopping rule.
    scale: f64,
}

impl<T: Element> Problem<'_, T> {
    /// Parameters: `d` coefficients, then the intercept.
    fn dim(&self) -> usize {
        self.x.cols() + 1
    }

    /// The objective and its gradient at `theta`, with `z` set to the logits there: one
    /// pass over X, block by block (each block's rows are still in cache when its
    /// residuals are multiplied back into the gradient).
    fn objective_gradient(&self, theta: &[f64], z: &mut [f64]) -> (f64, Vec<f64>) {
        const BLOCK: usize = 128;
        let d = self.x.cols();
        let n = self.dim();
        let mut g = vec![0.0; n];
        let mut loss = 0.0;
        let mut residuals = [0.0f64; BLOCK];
        let mut terms = [0.0f64; BLOCK];
        for (i, zb) in z.chunks_mut(BLOCK).enumerate() {
            let start = i * BLOCK;
            self.x.affine_rows(start, &theta[..d], theta[d], zb);
            let len = zb.len();
            let (res, term) = (&mut residuals[..len], &mut terms[..len]);
            let (y, s) = (&self.y[start..start + len], &self.s[start..start + len]);
            // Branch-free, so that it vectorises; one exponential serves both the loss
            // term and the residual.
            for k in 0..len {
                let zi = zb[k];
                let e = super::fastmath::exp_nonpositive(-zi.abs());
                let inv = 1.0 / (1.0 + e);
                let p = if zi >= 0.0 { inv } else { e * inv };
                let softplus = zi.max(0.0) + super::fastmath::ln_1p_unit(e);
                term[k] = s[k] * (softplus - y[k] * zi);
                res[k] = s[k] * (p - y[k]);
            }
            loss += term.iter().sum::<f64>();
            self.x.add_transposed_rows(start, res, &mut g[..d]);
            g[d] += res.iter().sum::<f64>();
        }
        let penalty = 0.5 * theta[..d].iter().map(|w| w * w).sum::<f64>();
        self.finish_gradient(theta, &mut g);
        (penalty + self.c * loss, g)
    }

    /// `C ·` the loss gradient, plus the penalty's; the intercept's is 0 when pinned.
    fn finish_gradient(&self, theta: &[f64], g: &mut [f64]) {
        let d = self.x.cols();
        for v in g.iter_mut() {
            *v *= self.c;
        }
        for (gi, t) in g.iter_mut().zip(&theta[..d]) {
            *gi += t;
        }
        if !self.fit_intercept {
            g[d] = 0.0;
        }
    }

    /// Newton's method from `theta` with a backtracking (Armijo) line search, until every
    /// gradient component per unit of weight is at most `tol`. On large data the first
    /// iterations take the Hessian from a regular sample of the rows (the gradient is
    /// always exact, so the answer is the same; only the rate is linear instead of
    /// quadratic); later ones, if still needed, use every row.
    fn newton(&self, mut theta: Vec<f64>, max_iter: usize, tol: f64) -> Result<LogisticModel> {
        let n = self.dim();
        let rows = self.x.rows();
        let sampled_stride = if rows >= LARGE_ROWS {
            rows / HESSIAN_SAMPLE_ROWS
        } else {
            1
        };
        let mut z = vec![0.0; rows];
        let mut trial_z = vec![0.0; rows];
        let (mut objective, mut g) = self.objective_gradient(&theta, &mut z);
        if !objective.is_finite() || !g.iter().all(|v| v.is_finite()) {
            // Values are checked here rather than up front, saving a pass over X: a NaN or
            // infinite feature makes the objective non-finite.
            self.x.check_values()?;
            return Err(Error::invalid(
                "X",
                "",
                "the log-odds overflow: scale the features down",
            ));
        }
        let mut iterations = 0;
        loop {
            let stride = if iterations < SAMPLED_HESSIAN_ITERATIONS {
                sampled_stride
            } else {
                1
            };
            // In units of the average loss, as scikit-learn scales its objective, so the
            // tolerance means the same whatever C and the number of rows.
            let gradient_norm = g.iter().fold(0.0f64, |m, v| m.max(v.abs())) / self.scale;
            if gradient_norm <= tol {
                let d = self.x.cols();
                return Ok(LogisticModel {
                    coef: theta[..d].to_vec(),
                    intercept: theta[d],
                    report: FitReport {
                        iterations,
                        objective,
                        gradient_norm,
                    },
                });
            }
            if iterations >= max_iter {
                return Err(Error::NotConverged {
                    iterations,
                    gradient_norm,
                    tolerance: tol,
                });
            }
            iterations += 1;
            let h = self.hessian(&z, stride);
            let step = cholesky_solve(&h, &g, n).ok_or(Error::NotConverged {
                iterations,
                gradient_norm,
                tolerance: tol,
            })?;
            let slope: f64 = g.iter().zip(&step).map(|(a, b)| a * b).sum();
            let mut t = 1.0;
            let mut trial = vec![0.0; n];
            loop {
                for i in 0..n {
                    trial[i] = theta[i] - t * step[i];
                }
                let (value, trial_g) = self.objective_gradient(&trial, &mut trial_z);
                // Near the optimum the objective stops changing within rounding; the full
                // Newton step is then taken on the strength of the quadratic model.
                let flat = (value - objective).abs() <= 1e-13 * objective.abs().max(1.0);
                if value <= objective - 1e-4 * t * slope || flat || t < 1e-10 {
                    theta.copy_from_slice(&trial);
                    std::mem::swap(&mut z, &mut trial_z);
                    objective = value;
                    g = trial_g;
                    break;
                }
                t *= 0.5;
            }
        }
    }

    /// On large data, a starting point: the same problem fitted on a regular sample of the
    /// rows (weights scaled up to stand for the rest), which lands within sampling noise of
    /// the answer for a few percent of the work. `None` on small data or if the sample
    /// cannot be fitted (one class in it, say): Newton then starts from zero.
    fn warm_start(&self, tol: f64) -> Option<Vec<f64>> {
        let rows = self.x.rows();
        if rows < LARGE_ROWS {
            return None;
        }
        let every = rows / WARM_START_ROWS;
        let d = self.x.cols();
        let picked: Vec<usize> = (0..rows).step_by(every).collect();
        let mut data = Vec::with_capacity(picked.len() * d);
        for &r in &picked {
            data.extend((0..d).map(|c| self.x.get(r, c)));
        }
        let y: Vec<f64> = picked.iter().map(|&r| self.y[r]).collect();
        let s: Vec<f64> = picked.iter().map(|&r| self.s[r] * every as f64).collect();
        let positives = y.iter().filter(|v| **v == 1.0).count();
        if positives == 0 || positives == y.len() {
            return None;
        }
        let sample = Problem {
            scale: self.c * s.iter().sum::<f64>(),
            x: Matrix::with_shape(&data, picked.len(), d, Layout::RowMajor).ok()?,
            y: &y,
            s,
            c: self.c,
            fit_intercept: self.fit_intercept,
        };
        let fitted = sample
            .newton(vec![0.0; self.dim()], 50, tol.max(WARM_START_TOL))
            .ok()?;
        let mut theta = fitted.coef;
        theta.push(fitted.intercept);
        Some(theta)
    }

    /// The Hessian over every `stride`-th row, scaled by `stride`: an unbiased estimate
    /// that costs `1/stride` of the exact one (which `stride == 1` gives).
    fn hessian(&self, z: &[f64], stride: usize) -> Vec<f64> {
        let d = self.x.cols();
        let n = self.dim();
        let rows = z.len();
        // The Hessian over every `stride`-th row. Sampled rows are taken in blocks: each
        // block's rows, scaled by √curvature, are laid out feature by feature (`u[i·B + k]`),
        // so every Hessian entry of the block is one long dot product — vectorised, with the
        // entry kept in a register — instead of 33 short read-modify-write passes per row.
        let mut h = vec![0.0; n * n];
        const BLOCK: usize = 256;
        let mut u = vec![0.0; n * BLOCK];
        let sampled: Vec<usize> = (0..rows).step_by(stride).collect();
        let weight = stride as f64;
        for block in sampled.chunks(BLOCK) {
            for (k, &r) in block.iter().enumerate() {
                let p = sigmoid(z[r]);
                let root = (weight * self.s[r] * p * (1.0 - p)).sqrt();
                for c in 0..d {
                    u[c * BLOCK + k] = root * self.x.get(r, c);
                }
                u[d * BLOCK + k] = root;
            }
            let len = block.len();
            for i in 0..n {
                let ui = &u[i * BLOCK..i * BLOCK + len];
                for j in 0..=i {
                    h[i * n + j] += dot(ui, &u[j * BLOCK..j * BLOCK + len]);
                }
            }
        }
        for i in 0..n {
            for j in 0..=i {
                h[i * n + j] *= self.c;
                h[j * n + i] = h[i * n + j];
            }
        }
        for i in 0..d {
            h[i * n + i] += 1.0;
        }
        if !self.fit_intercept {
            // The intercept is pinned at 0: its row and column become the identity.
            for j in 0..n {
                h[d * n + j] = 0.0;
                h[j * n + d] = 0.0;
            }
            h[d * n + d] = 1.0;
        }
        h
    }
}

impl LogisticModel {
    /// Fits the model to `x` (rows are leads, columns features) and 0/1 labels `y`.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for an empty training set, labels that are not 0/1 or all
    /// one class, mismatched lengths, bad weights or a non-positive `C`;
    /// [`Error::NotConverged`] when `max_iter` Newton steps do not bring every gradient
    /// component under `tol`.
    pub fn fit<T: Element>(
        x: Matrix<'_, T>,
        y: &[f64],
        sample_weight: Option<&[f64]>,
        config: &LogisticConfig,
    ) -> Result<Self> {
        if x.rows() == 0 {
            return Err(Error::invalid(
                "X",
                "0 rows",
                "cannot fit on an empty training set",
            ));
        }
        if !(config.c.is_finite() && config.c > 0.0) {
            return Err(Error::invalid(
                "C",
                config.c.to_string(),
                "must be a positive number",
            ));
        }
        if !(config.tol.is_finite() && config.tol > 0.0) {
            return Err(Error::invalid(
                "tol",
                config.tol.to_string(),
                "must be a positive number",
            ));
        }
        check_labels(y, x.rows())?;
        let positives = y.iter().filter(|v| **v == 1.0).count();
        if positives == 0 || positives == y.len() {
            return Err(Error::invalid(
                "y",
                format!("{positives} of {} positive", y.len()),
                "both classes must be present to fit",
            ));
        }
        let s = sample_weights(y, sample_weight, config.class_weight)?;
        let total: f64 = s.iter().sum();
        if total <= 0.0 {
            return Err(Error::invalid(
                "sample_weight",
                "0",
                "the weights sum to zero",
            ));
        }
        let problem = Problem {
            scale: config.c * total,
            x,
            y,
            s,
            c: config.c,
            fit_intercept: config.fit_intercept,
        };
        let start = problem
            .warm_start(config.tol)
            .unwrap_or_else(|| vec![0.0; problem.dim()]);
        problem.newton(start, config.max_iter, config.tol)
    }

    /// The number of features.
    pub fn features(&self) -> usize {
        self.coef.len()
    }

    fn check_width<X: Features + ?Sized>(&self, x: &X) -> Result<()> {
        if x.cols() == self.coef.len() {
            Ok(())
        } else {
            Err(Error::invalid(
                "X",
                format!("{} columns", x.cols()),
                format!("the model has {} features", self.coef.len()),
            ))
        }
    }

    fn check_output<X: Features + ?Sized>(&self, x: &X, out: &[f64]) -> Result<()> {
        self.check_width(x)?;
        if out.len() == x.rows() {
            Ok(())
        } else {
            Err(Error::invalid(
                "out",
                format!("{} values", out.len()),
                format!("X has {} rows", x.rows()),
            ))
        }
    }

    /// Logits, probabilities or probability pairs (as `output` says) of the rows from
    /// `start`, block by block, each block's logits checked: a non-finite one means a
    /// non-finite feature.
    fn score_rows<X: Features + ?Sized>(
        &self,
        x: &X,
        start: usize,
        out: &mut [f64],
        output: Output,
    ) -> Result<()> {
        const MAX_BLOCK: usize = 256;
        let block = x.block_rows().clamp(1, MAX_BLOCK);
        let width = output.width();
        let mut buffer = [0.0f64; MAX_BLOCK];
        for (i, dest) in out.chunks_mut(block * width).enumerate() {
            let first = start + i * block;
            let part = &mut buffer[..dest.len() / width];
            x.affine_rows(first, &self.coef, self.intercept, part);
            if let Some(k) = part.iter().position(|z| !z.is_finite()) {
                // Finite features whose products overflow are not the caller's error: the
                // logit is then ±∞ (a probability of 0 or 1), or NaN when two overflow
                // with opposite signs, which is refused as the row it is.
                if let Some(e) = bad_value_in_row(x, first + k) {
                    return Err(e);
                }
                if part[k].is_nan() {
                    return Err(Error::invalid(
                        "features",
                        format!("row {}", first + k),
                        "the row's log-odds overflow",
                    ));
                }
            }
            match output {
                Output::Logits => dest.copy_from_slice(part),
                Output::Probabilities => {
                    super::fastmath::sigmoid_in_place(part);
                    dest.copy_from_slice(part);
                }
                Output::Pairs => {
                    super::fastmath::sigmoid_in_place(part);
                    for (pair, p) in dest.chunks_exact_mut(2).zip(part.iter()) {
                        pair[0] = 1.0 - p;
                        pair[1] = *p;
                    }
                }
            }
        }
        Ok(())
    }

    /// [`LogisticModel::score_rows`] over `threads` scoped threads, rows in contiguous
    /// shares.
    fn score_parallel<X: Features>(
        &self,
        x: &X,
        out: &mut [f64],
        threads: usize,
        output: Output,
    ) -> Result<()> {
        if threads == 0 {
            return Err(Error::invalid("threads", "0", "needs at least one thread"));
        }
        if threads == 1 || x.rows() < 2 * threads {
            return self.score_rows(x, 0, out, output);
        }
        let share = x.rows().div_ceil(threads);
        std::thread::scope(|scope| {
            let handles: Vec<_> = out
                .chunks_mut(share * output.width())
                .enumerate()
                .map(|(i, part)| scope.spawn(move || self.score_rows(x, i * share, part, output)))
                .collect();
            handles.into_iter().try_for_each(|h| {
                h.join().unwrap_or_else(|_| {
                    Err(Error::invalid("threads", "", "a scoring thread panicked"))
                })
            })
        })
    }

    /// The log-odds `x·w + b` of every row.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] when `x` has another number of columns or a value is not
    /// finite (naming its row and column).
    pub fn decision_function<X: Features>(&self, x: X) -> Result<Vec<f64>> {
        self.check_width(&x)?;
        let mut out = vec![0.0; x.rows()];
        self.score_rows(&x, 0, &mut out, Output::Logits)?;
        Ok(out)
    }

    /// The probability of class 1 for every row, written into `out`: one pass over `x`.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] when `x` has another number of columns, `out` another
    /// length than `x` has rows, or a value of `x` is not finite (naming its row and
    /// column; `out` is then partly written).
    pub fn predict_proba_into<X: Features>(&self, x: X, out: &mut [f64]) -> Result<()> {
        self.check_output(&x, out)?;
        self.score_rows(&x, 0, out, Output::Probabilities)
    }

    /// [`LogisticModel::predict_proba_into`] split over `threads` scoped threads (rows in
    /// contiguous shares), for hosts that want both cores; the results are identical to
    /// the single-threaded ones, bit for bit.
    ///
    /// # Errors
    /// As [`LogisticModel::predict_proba_into`], or `threads == 0`.
    pub fn predict_proba_parallel<X: Features>(
        &self,
        x: X,
        out: &mut [f64],
        threads: usize,
    ) -> Result<()> {
        self.check_output(&x, out)?;
        self.score_parallel(&x, out, threads, Output::Probabilities)
    }

    /// The probabilities of class 0 and class 1 of every row, interleaved (a row-major
    /// `rows × 2` matrix, as scikit-learn's `predict_proba` returns them), on `threads`
    /// threads; written in the same pass as the probabilities themselves.
    ///
    /// # Errors
    /// As [`LogisticModel::predict_proba_parallel`], with `out` of `2 · rows` values.
    pub fn predict_proba_pairs_into<X: Features>(
        &self,
        x: X,
        out: &mut [f64],
        threads: usize,
    ) -> Result<()> {
        self.check_width(&x)?;
        if out.len() != 2 * x.rows() {
            return Err(Error::invalid(
                "out",
                format!("{} values", out.len()),
                format!("X has {} rows: 2 values each", x.rows()),
            ));
        }
        self.score_parallel(&x, out, threads, Output::Pairs)
    }

    /// The probability of class 1 for every row.
    ///
    /// # Errors
    /// As [`LogisticModel::predict_proba_into`].
    pub fn predict_proba<X: Features>(&self, x: X) -> Result<Vec<f64>> {
        let mut out = vec![0.0; x.rows()];
        self.predict_proba_into(x, &mut out)?;
        Ok(out)
    }

    /// Each feature's contribution `x[r, c] · w[c]` to row `r`'s log-odds; with the
    /// intercept they sum to [`LogisticModel::decision_function`]'s value for the row.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] when `x` has another number of columns, `r` is out of
    /// range, or a value of the row is not finite.
    pub fn explain<X: Features>(&self, x: X, r: usize) -> Result<Vec<f64>> {
        self.check_width(&x)?;
        if r >= x.rows() {
            return Err(Error::invalid(
                "row",
                r.to_string(),
                format!("X has {} rows", x.rows()),
            ));
        }
        if let Some(e) = bad_value_in_row(&x, r) {
            return Err(e);
        }
        Ok(self
            .coef
            .iter()
            .enumerate()
            .map(|(c, w)| x.value(r, c) * w)
            .collect())
    }

    /// [`LogisticModel::explain`] for every row at once: a row-major `rows × cols` matrix
    /// of contributions.
    ///
    /// # Errors
    /// As [`LogisticModel::explain`].
    pub fn explain_all<X: Features>(&self, x: X) -> Result<Vec<f64>> {
        self.check_width(&x)?;
        let mut out = Vec::with_capacity(x.rows() * x.cols());
        for r in 0..x.rows() {
            for (c, w) in self.coef.iter().enumerate() {
                let v = x.value(r, c);
                if !v.is_finite() {
                    return Err(bad_value_in_row(&x, r).unwrap_or_else(|| {
                        Error::invalid("feature", v.to_string(), "not a finite number")
                    }));
                }
                out.push(v * w);
            }
        }
        Ok(out)
    }
}

/// What [`LogisticModel::score_rows`] writes per row.
#[derive(Debug, Clone, Copy)]
enum Output {
    Logits,
    Probabilities,
    /// `1 − p, p`.
    Pairs,
}

impl Output {
    fn width(self) -> usize {
        match self {
            Output::Pairs => 2,
            _ => 1,
        }
    }
}

/// A row-major matrix view, for the common case.
///
/// # Errors
/// As [`Matrix::new`].
pub fn rows(data: &[f64], cols: usize) -> Result<Matrix<'_>> {
    let rows = data.len().checked_div(cols).unwrap_or(0);
    Matrix::new(data, rows, cols, Layout::RowMajor)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Deterministic pseudo-random numbers (splitmix64) in [0, 1).
    struct Rng(u64);
    impl Rng {
        fn uniform(&mut self) -> f64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
        }
        fn normal(&mut self) -> f64 {
            let (u, v) = (self.uniform().max(1e-300), self.uniform());
            (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
        }
    }

    fn generate(n: usize, coef: &[f64], intercept: f64, seed: u64) -> (Vec<f64>, Vec<f64>) {
        let mut rng = Rng(seed);
        let d = coef.len();
        let mut x = Vec::with_capacity(n * d);
        let mut y = Vec::with_capacity(n);
        for _ in 0..n {
            let row: Vec<f64> = (0..d).map(|_| rng.normal()).collect();
            let z: f64 = intercept + row.iter().zip(coef).map(|(a, b)| a * b).sum::<f64>();
            y.push(if rng.uniform() < sigmoid(z) { 1.0 } else { 0.0 });
            x.extend(row);
        }
        (x, y)
    }

    #[test]
    fn recovers_known_coefficients_with_a_zero_gradient() {
        let truth = [1.5, -2.0, 0.5, 0.0];
        let (x, y) = generate(40_000, &truth, -0.75, 7);
        let config = LogisticConfig {
            c: 1e6,
            ..LogisticConfig::default()
        };
        let m = LogisticModel::fit(rows(&x, 4).unwrap(), &y, None, &config).unwrap();
        for (got, want) in m.coef.iter().zip(truth) {
            assert!((got - want).abs() < 0.06, "coef {got} vs {want}");
        }
        assert!(
            (m.intercept + 0.75).abs() < 0.06,
            "intercept {}",
            m.intercept
        );
        assert!(m.report.gradient_norm <= 1e-8);
        // The gradient of the average penalised loss, computed here independently, is ≈ 0.
        let n = y.len() as f64;
        let mut grad = [0.0; 5];
        for (r, yr) in y.iter().enumerate() {
            let row = &x[r * 4..r * 4 + 4];
            let z = m.intercept + row.iter().zip(&m.coef).map(|(a, b)| a * b).sum::<f64>();
            let residual = 1.0 / (1.0 + (-z).exp()) - yr;
            for c in 0..4 {
                grad[c] += residual * row[c] / n;
            }
            grad[4] += residual / n;
        }
        for (g, w) in grad.iter_mut().zip(&m.coef) {
            *g += w / (config.c * n);
        }
        assert!(grad.iter().all(|g| g.abs() < 1e-8), "{grad:?}");
        assert!(
            m.report.iterations < 15,
            "{} Newton iterations",
            m.report.iterations
        );
    }

    #[test]
    fn probabilities_match_a_reference_computation_in_both_layouts() {
        let (x, y) = generate(500, &[0.8, -0.3, 1.1], 0.2, 3);
        let m =
            LogisticModel::fit(rows(&x, 3).unwrap(), &y, None, &LogisticConfig::default()).unwrap();
        let p = m.predict_proba(rows(&x, 3).unwrap()).unwrap();
        let mut col_major = vec![0.0; x.len()];
        for r in 0..500 {
            for c in 0..3 {
                col_major[c * 500 + r] = x[r * 3 + c];
            }
        }
        let pc = m
            .predict_proba(Matrix::new(&col_major, 500, 3, Layout::ColMajor).unwrap())
            .unwrap();
        for r in 0..500 {
            let z = m.intercept + (0..3).map(|c| x[r * 3 + c] * m.coef[c]).sum::<f64>();
            let reference = 1.0 / (1.0 + (-z).exp());
            assert!((p[r] - reference).abs() < 1e-12);
            assert!((pc[r] - reference).abs() < 1e-12);
        }
    }

    #[test]
    fn matches_scikit_learn_conventions_on_a_tiny_problem() {
        // Without penalty the fitted probabilities reproduce the class rates exactly.
        let x = [0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0];
        let y = [0.0, 0.0, 0.0, 1.0, 0.0, 1.0, 1.0, 1.0];
        let config = LogisticConfig {
            c: 1e12,
            tol: 1e-10,
            ..LogisticConfig::default()
        };
        let m = LogisticModel::fit(rows(&x, 1).unwrap(), &y, None, &config).unwrap();
        let p = m.predict_proba(rows(&[0.0, 1.0], 1).unwrap()).unwrap();
        assert!(
            (p[0] - 0.25).abs() < 1e-9 && (p[1] - 0.75).abs() < 1e-9,
            "{p:?}"
        );
        // Doubling every weight is the same as doubling C.
        let w = [2.0; 8];
        let a = LogisticModel::fit(
            rows(&x, 1).unwrap(),
            &y,
            Some(&w),
            &LogisticConfig::default(),
        )
        .unwrap();
        let b = LogisticModel::fit(
            rows(&x, 1).unwrap(),
            &y,
            None,
            &LogisticConfig {
                c: 2.0,
                ..LogisticConfig::default()
            },
        )
        .unwrap();
        assert!((a.coef[0] - b.coef[0]).abs() < 1e-9 && (a.intercept - b.intercept).abs() < 1e-9);
        // Without an intercept it stays 0.
        let no_b = LogisticModel::fit(
            rows(&x, 1).unwrap(),
            &y,
            None,
            &LogisticConfig {
                fit_intercept: false,
                ..LogisticConfig::default()
            },
        )
        .unwrap();
        assert_eq!(no_b.intercept, 0.0);
    }

    #[test]
    fn f32_input_scores_like_the_same_values_in_f64() {
        let (x, y) = generate(300, &[0.7, -0.4], 0.1, 5);
        // Values that f32 holds exactly, so both inputs are the same numbers.
        let x: Vec<f64> = x.iter().map(|v| f64::from(*v as f32)).collect();
        let x32: Vec<f32> = x.iter().map(|v| *v as f32).collect();
        let m =
            LogisticModel::fit(rows(&x, 2).unwrap(), &y, None, &LogisticConfig::default()).unwrap();
        let m32 = LogisticModel::fit(
            Matrix::new(&x32, 300, 2, Layout::RowMajor).unwrap(),
            &y,
            None,
            &LogisticConfig::default(),
        )
        .unwrap();
        assert_eq!(m, m32);
        let p = m.predict_proba(rows(&x, 2).unwrap()).unwrap();
        let p32 = m
            .predict_proba(Matrix::new(&x32, 300, 2, Layout::RowMajor).unwrap())
            .unwrap();
        assert_eq!(p, p32);
    }

    #[test]
    fn parallel_scoring_is_bit_identical() {
        let (x, y) = generate(5_001, &[0.3, -0.8, 1.2], 0.4, 9);
        let m =
            LogisticModel::fit(rows(&x, 3).unwrap(), &y, None, &LogisticConfig::default()).unwrap();
        let one = m.predict_proba(rows(&x, 3).unwrap()).unwrap();
        for threads in [1, 2, 3, 8] {
            let mut many = vec![0.0; 5_001];
            m.predict_proba_parallel(rows(&x, 3).unwrap(), &mut many, threads)
                .unwrap();
            assert!(
                one.iter()
                    .zip(&many)
                    .all(|(a, b)| a.to_bits() == b.to_bits()),
                "{threads} threads"
            );
        }
        let mut out = vec![0.0; 5_001];
        assert!(
            m.predict_proba_parallel(rows(&x, 3).unwrap(), &mut out, 0)
                .is_err()
        );
        assert!(
            m.predict_proba_parallel(rows(&x, 3).unwrap(), &mut out[..10], 2)
                .is_err()
        );
    }

    #[test]
    fn bad_input_is_refused() {
        let cfg = LogisticConfig::default();
        let x = [1.0, 2.0, 3.0, 4.0];
        let code = |r: Result<LogisticModel>| r.unwrap_err().code();
        assert_eq!(
            code(LogisticModel::fit(rows(&[], 2).unwrap(), &[], None, &cfg)),
            "invalid_value"
        );
        assert_eq!(
            code(LogisticModel::fit(
                rows(&x, 2).unwrap(),
                &[1.0, 1.0],
                None,
                &cfg
            )),
            "invalid_value"
        );
        assert_eq!(
            code(LogisticModel::fit(
                rows(&x, 2).unwrap(),
                &[0.0, 2.0],
                None,
                &cfg
            )),
            "invalid_value"
        );
        assert_eq!(
            code(LogisticModel::fit(rows(&x, 2).unwrap(), &[0.0], None, &cfg)),
            "invalid_value"
        );
        assert_eq!(
            code(LogisticModel::fit(
                rows(&x, 2).unwrap(),
                &[0.0, 1.0],
                Some(&[1.0, -1.0]),
                &cfg
            )),
            "invalid_value"
        );
        let bad_c = LogisticConfig { c: 0.0, ..cfg };
        assert_eq!(
            code(LogisticModel::fit(
                rows(&x, 2).unwrap(),
                &[0.0, 1.0],
                None,
                &bad_c
            )),
            "invalid_value"
        );
        let one_step = LogisticConfig {
            max_iter: 1,
            tol: 1e-300,
            ..cfg
        };
        assert_eq!(
            code(LogisticModel::fit(
                rows(&x, 2).unwrap(),
                &[0.0, 1.0],
                None,
                &one_step
            )),
            "not_converged"
        );
        let m = LogisticModel::fit(rows(&x, 2).unwrap(), &[0.0, 1.0], None, &cfg).unwrap();
        assert!(m.predict_proba(rows(&[1.0, 2.0, 3.0], 3).unwrap()).is_err());
        assert!(m.explain(rows(&x, 2).unwrap(), 5).is_err());
    }

    proptest! {
        #[test]
        fn explanations_sum_to_the_logit(values in proptest::collection::vec(-5.0f64..5.0, 12), coef in proptest::collection::vec(-3.0f64..3.0, 3), b in -2.0f64..2.0) {
            let m = LogisticModel { coef, intercept: b, report: FitReport { iterations: 0, objective: 0.0, gradient_norm: 0.0 } };
            let x = rows(&values, 3).unwrap();
            let logits = m.decision_function(x).unwrap();
            for (r, logit) in logits.iter().enumerate() {
                let parts = m.explain(x, r).unwrap();
                let sum: f64 = parts.iter().sum::<f64>() + m.intercept;
                prop_assert!((sum - logit).abs() < 1e-12);
            }
        }

        #[test]
        fn balanced_weights_fit_without_error(n in 4usize..60, seed in 0u64..1000) {
            let (x, mut y) = generate(n, &[1.0, -1.0], 0.0, seed);
            y[0] = 0.0;
            y[1] = 1.0;
            let cfg = LogisticConfig { class_weight: ClassWeight::Balanced, ..LogisticConfig::default() };
            let m = LogisticModel::fit(rows(&x, 2).unwrap(), &y, None, &cfg).unwrap();
            prop_assert!(m.coef.iter().all(|c| c.is_finite()));
        }
    }

    #[test]
    fn every_layout_scores_the_same_rows() {
        use crate::scoring::matrix::{ColumnValues, Columns};
        let (x, y) = generate(1_003, &[0.3, -0.8, 1.2, 0.5, -0.1], 0.4, 21);
        let m =
            LogisticModel::fit(rows(&x, 5).unwrap(), &y, None, &LogisticConfig::default()).unwrap();
        let row_major = m.predict_proba(rows(&x, 5).unwrap()).unwrap();
        let col_major: Vec<f64> = (0..5)
            .flat_map(|c| x.iter().skip(c).step_by(5).copied().collect::<Vec<_>>())
            .collect();
        let by_cols = m
            .predict_proba(Matrix::new(&col_major, 1_003, 5, Layout::ColMajor).unwrap())
            .unwrap();
        let as32: Vec<f32> = col_major[1_003..2_006].iter().map(|v| *v as f32).collect();
        let mut columns: Vec<ColumnValues> = col_major
            .chunks_exact(1_003)
            .map(ColumnValues::F64)
            .collect();
        let columns64 = Columns::new(columns.clone(), vec![]).unwrap();
        let from_columns = m.predict_proba(&columns64).unwrap();
        // Every layout sums a row in the same order: the same bits.
        assert_eq!(by_cols, from_columns);
        assert_eq!(row_major, by_cols);
        // Pairs are 1 − p and p, on any number of threads.
        let mut pairs = vec![0.0; 2 * 1_003];
        m.predict_proba_pairs_into(&columns64, &mut pairs, 2)
            .unwrap();
        for (pair, p) in pairs.chunks_exact(2).zip(&from_columns) {
            assert_eq!((pair[0], pair[1]), (1.0 - p, *p));
        }
        assert!(
            m.predict_proba_pairs_into(&columns64, &mut pairs[1..], 1)
                .is_err()
        );
        // Threads split a column set by rows, bit-identically.
        let mut two = vec![0.0; 1_003];
        m.predict_proba_parallel(&columns64, &mut two, 2).unwrap();
        assert_eq!(two, from_columns);
        // A column of f32 reads as the same numbers widened.
        columns[1] = ColumnValues::F32(&as32);
        let mixed = Columns::new(columns, vec![]).unwrap();
        let widened: Vec<f64> = col_major
            .iter()
            .enumerate()
            .map(|(i, v)| {
                if (1_003..2_006).contains(&i) {
                    f64::from(*v as f32)
                } else {
                    *v
                }
            })
            .collect();
        assert_eq!(
            m.predict_proba(&mixed).unwrap(),
            m.predict_proba(Matrix::new(&widened, 1_003, 5, Layout::ColMajor).unwrap())
                .unwrap()
        );
        // Explanations of every row at once are the per-row ones.
        let all = m.explain_all(&columns64).unwrap();
        assert_eq!(
            &all[5 * 7..5 * 8],
            m.explain(&columns64, 7).unwrap().as_slice()
        );
    }

    #[test]
    fn scoring_finds_non_finite_values_without_a_separate_pass() {
        use crate::scoring::matrix::{ColumnValues, Columns};
        let m = LogisticModel {
            coef: vec![1.0, 0.0, -2.0],
            intercept: 0.5,
            report: FitReport {
                iterations: 0,
                objective: 0.0,
                gradient_norm: 0.0,
            },
        };
        for (bad, column) in [(f64::NAN, 2), (f64::INFINITY, 1), (f64::NEG_INFINITY, 0)] {
            let mut x = vec![0.5; 3 * 40];
            x[3 * 37 + column] = bad;
            let unchecked = Matrix::with_shape(&x, 40, 3, Layout::RowMajor).unwrap();
            let err = m.predict_proba(unchecked).unwrap_err().to_string();
            assert!(err.contains(&format!("row 37, column {column}")), "{err}");
            // An infinite value times a zero coefficient is still found.
            let mut out = vec![0.0; 40];
            assert!(m.predict_proba_parallel(unchecked, &mut out, 2).is_err());
            assert!(m.decision_function(unchecked).is_err());
            assert!(m.explain(unchecked, 37).is_err());
            assert!(m.explain(unchecked, 36).is_ok());
        }
        let (a, b, mut c) = (vec![1.0; 300], vec![2.0f32; 300], vec![3.0; 300]);
        c[299] = f64::NAN;
        let names = vec!["visits".to_string(), "pages".into(), "age".into()];
        let cols = Columns::new(
            vec![
                ColumnValues::F64(&a),
                ColumnValues::F32(&b),
                ColumnValues::F64(&c),
            ],
            names.clone(),
        )
        .unwrap();
        let err = m.predict_proba(&cols).unwrap_err().to_string();
        assert!(err.contains("row 299, column 'age'"), "{err}");
        assert!(
            cols.to_col_major()
                .unwrap_err()
                .to_string()
                .contains("'age'")
        );
        // Finite values whose products overflow to opposite infinities are refused too.
        let huge = LogisticModel {
            coef: vec![1e300, 1e300],
            ..m.clone()
        };
        let x = [1e300, -1e300];
        assert!(huge.predict_proba(rows(&x, 2).unwrap()).is_err());
        // Columns of different lengths, or names that do not fit, are refused.
        let short = vec![1.0; 299];
        assert!(
            Columns::new(
                vec![ColumnValues::F64(&a), ColumnValues::F64(&short)],
                vec![]
            )
            .is_err()
        );
        assert!(Columns::new(vec![ColumnValues::F64(&a)], names).is_err());
    }

    #[test]
    fn large_fits_sample_the_hessian_and_reach_the_exact_answer() {
        // Past LARGE_ROWS the fit starts from a sample's answer and samples the Hessian;
        // the gradient is exact, so it lands where exact Newton from zero does.
        let (x, y) = generate(LARGE_ROWS + 1_000, &[0.8, -1.1, 0.3], -0.2, 17);
        let m = rows(&x, 3).unwrap();
        let config = LogisticConfig::default();
        let fast = LogisticModel::fit(m, &y, None, &config).unwrap();
        let s = vec![1.0; y.len()];
        let exact = Problem {
            scale: config.c * s.len() as f64,
            x: m,
            y: &y,
            s,
            c: config.c,
            fit_intercept: true,
        };
        assert!(exact.warm_start(config.tol).is_some());
        let mut reference = vec![0.0; 4];
        // Exact Newton from zero: every iteration uses every row.
        for _ in 0..10 {
            let mut z = vec![0.0; y.len()];
            let (_, g) = exact.objective_gradient(&reference, &mut z);
            let h = exact.hessian(&z, 1);
            let step = cholesky_solve(&h, &g, 4).unwrap();
            for (t, d) in reference.iter_mut().zip(&step) {
                *t -= d;
            }
        }
        for (a, b) in fast.coef.iter().chain([&fast.intercept]).zip(&reference) {
            assert!((a - b).abs() < 1e-7, "{a} vs {b}");
        }
        assert!(fast.report.gradient_norm <= config.tol);
    }
}
