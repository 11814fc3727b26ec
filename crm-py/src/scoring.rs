//! The scoring engine for Python: logistic regression and naive Bayes models, model files
//! and evaluation metrics. The scikit-learn–style estimators are Python classes
//! (`crm_core.scoring`) over these.

use crm_core::scoring::evaluate;
use crm_core::scoring::features::FeatureSpec;
use crm_core::scoring::model_file::{Estimator, Model, ModelFile};
use crm_core::scoring::rules::{Attribute, RuleSet, Thresholds};
use crm_core::scoring::{
    ClassWeight, Features, Layout, LogisticConfig, LogisticModel, Matrix, NaiveBayesModel,
};
use numpy::{PyArray1, PyArray2, PyReadonlyArray1};
use pyo3::prelude::*;

use crate::convert;
use crate::errors::{OrRaise, input};
use crate::features::{Dense, Input, Parts};

fn vec_of(py: Python<'_>, name: &str, a: &PyReadonlyArray1<'_, f64>) -> PyResult<Vec<f64>> {
    match a.as_slice() {
        Ok(s) => Ok(s.to_vec()),
        Err(_) => Err(input(
            py,
            format!("{name} must be a contiguous float64 vector"),
        )),
    }
}

/// Runs `f` on every part of `parts` with the GIL released, writing `width` values per
/// row into one output.
fn score_parts(
    py: Python<'_>,
    parts: &Parts<'_>,
    width: usize,
    f: impl Fn(&dyn Features, &mut [f64]) -> crm_core::Result<()> + Sync,
) -> PyResult<Vec<f64>> {
    py.detach(|| {
        let mut out = vec![0.0; parts.rows * width];
        for (start, part) in &parts.parts {
            f(
                part.as_ref(),
                &mut out[start * width..(start + part.rows()) * width],
            )?;
        }
        Ok(out)
    })
    .or_raise(py)
}

fn class_weight(py: Python<'_>, w: Option<&Bound<'_, PyAny>>) -> PyResult<ClassWeight> {
    let Some(w) = w else {
        return Ok(ClassWeight::None);
    };
    if w.is_none() {
        return Ok(ClassWeight::None);
    }
    if let Ok(s) = w.extract::<String>() {
        return if s == "balanced" {
            Ok(ClassWeight::Balanced)
        } else {
            Err(input(
                py,
                format!("class_weight {s:?}: use \"balanced\", None or (negative, positive)"),
            ))
        };
    }
    let (negative, positive): (f64, f64) = w.extract().map_err(|_| {
        input(
            py,
            "class_weight must be \"balanced\", None or (negative, positive)",
        )
    })?;
    Ok(ClassWeight::Manual { negative, positive })
}

/// A fitted logistic regression (crm-core's `LogisticModel`).
#[pyclass(frozen, module = "crm_core._crm_core", name = "LogisticModel")]
pub struct PyLogisticModel(pub LogisticModel);

#[pymethods]
impl PyLogisticModel {
    /// Fits on `x` (2-D numpy array, DataFrame columns or Arrow table) and 0/1 labels.
    #[staticmethod]
    #[pyo3(signature = (x, y, sample_weight=None, *, c=1.0, fit_intercept=true, max_iter=100, tol=1e-8, class_weight=None))]
    #[allow(clippy::too_many_arguments)]
    fn fit(
        py: Python<'_>,
        x: &Bound<'_, PyAny>,
        y: PyReadonlyArray1<'_, f64>,
        sample_weight: Option<PyReadonlyArray1<'_, f64>>,
        c: f64,
        fit_intercept: bool,
        max_iter: usize,
        tol: f64,
        class_weight: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let config = LogisticConfig {
            c,
            fit_intercept,
            max_iter,
            tol,
            class_weight: self::class_weight(py, class_weight)?,
        };
        let y = vec_of(py, "y", &y)?;
        let w = sample_weight
            .map(|w| vec_of(py, "sample_weight", &w))
            .transpose()?;
        let x = Input::extract(x)?;
        // numpy input is fitted in place; column sets are gathered into one buffer first.
        let model = match x.dense(py)? {
            Dense::F64(m) => fit_matrix(py, m, &y, w.as_deref(), &config)?,
            Dense::F32(m) => fit_matrix(py, m, &y, w.as_deref(), &config)?,
            Dense::Copied(data, rows, cols) => {
                let m = Matrix::with_shape(&data, rows, cols, Layout::ColMajor).or_raise(py)?;
                fit_matrix(py, m, &y, w.as_deref(), &config)?
            }
        };
        Ok(PyLogisticModel(model))
    }

    /// Probabilities of class 1, one per row (the GIL is released while scoring).
    #[pyo3(signature = (x, threads=1))]
    fn predict_proba<'py>(
        &self,
        py: Python<'py>,
        x: &Bound<'py, PyAny>,
        threads: usize,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let x = Input::extract(x)?;
        let parts = x.parts(py)?;
        check_width(py, &self.0, parts.cols)?;
        let out = score_parts(py, &parts, 1, |f, out| {
            self.0.predict_proba_parallel(f, out, threads)
        })?;
        Ok(convert::vector(py, out))
    }

    /// Probabilities of class 0 and class 1 (rows × 2, scikit-learn's `predict_proba`),
    /// written in the scoring pass.
    #[pyo3(signature = (x, threads=1))]
    fn predict_proba_pairs<'py>(
        &self,
        py: Python<'py>,
        x: &Bound<'py, PyAny>,
        threads: usize,
    ) -> PyResult<Bound<'py, PyArray2<f64>>> {
        let x = Input::extract(x)?;
        let parts = x.parts(py)?;
        check_width(py, &self.0, parts.cols)?;
        let out = score_parts(py, &parts, 2, |f, out| {
            self.0.predict_proba_pairs_into(f, out, threads)
        })?;
        convert::matrix(py, out, parts.rows, 2)
    }

    /// Log-odds, one per row.
    fn decision_function<'py>(
        &self,
        py: Python<'py>,
        x: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let x = Input::extract(x)?;
        let parts = x.parts(py)?;
        check_width(py, &self.0, parts.cols)?;
        let out = score_parts(py, &parts, 1, |f, out| {
            out.copy_from_slice(&self.0.decision_function(f)?);
            Ok(())
        })?;
        Ok(convert::vector(py, out))
    }

    /// Each feature's contribution to each row's log-odds (rows × features); with the
    /// intercept a row sums to its log-odds.
    fn explain<'py>(
        &self,
        py: Python<'py>,
        x: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyArray2<f64>>> {
        let x = Input::extract(x)?;
        let parts = x.parts(py)?;
        check_width(py, &self.0, parts.cols)?;
        let cols = parts.cols;
        let out = py
            .detach(|| {
                let mut out = Vec::with_capacity(parts.rows * cols);
                for (_, part) in &parts.parts {
                    out.extend(self.0.explain_all(part.as_ref())?);
                }
                Ok(out)
            })
            .or_raise(py)?;
        convert::matrix(py, out, parts.rows, cols)
    }

    /// The coefficients (a copy).
    #[getter]
    fn coef<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        convert::vector(py, self.0.coef.clone())
    }

    #[getter]
    fn intercept(&self) -> f64 {
        self.0.intercept
    }

    /// Newton iterations the fit took.
    #[getter]
    fn n_iter(&self) -> usize {
        self.0.report.iterations
    }

    /// The penalised objective at the end of the fit.
    #[getter]
    fn objective(&self) -> f64 {
        self.0.report.objective
    }

    /// The largest gradient component at the end of the fit (per unit of weight).
    #[getter]
    fn gradient_norm(&self) -> f64 {
        self.0.report.gradient_norm
    }

    /// The model as JSON (crm-core's serde form).
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        convert::json(py, &self.0)
    }

    #[staticmethod]
    fn from_json(py: Python<'_>, text: &str) -> PyResult<Self> {
        convert::parse(py, "logistic model", text).map(PyLogisticModel)
    }

    fn __eq__(&self, other: &Self) -> bool {
        self.0 == other.0
    }

    fn __repr__(&self) -> String {
        format!(
            "LogisticModel(features={}, intercept={}, n_iter={})",
            self.0.coef.len(),
            self.0.intercept,
            self.0.report.iterations
        )
    }
}

fn fit_matrix<T: crm_core::scoring::Element>(
    py: Python<'_>,
    x: Matrix<'_, T>,
    y: &[f64],
    w: Option<&[f64]>,
    config: &LogisticConfig,
) -> PyResult<LogisticModel> {
    py.detach(|| LogisticModel::fit(x, y, w, config))
        .or_raise(py)
}

fn check_width(py: Python<'_>, m: &LogisticModel, cols: usize) -> PyResult<()> {
    if cols == m.coef.len() {
        Ok(())
    } else {
        Err(crate::errors::to_py(
            py,
            &crm_core::Error::invalid(
                "X",
                format!("{cols} columns"),
                format!("the model has {} features", m.coef.len()),
            ),
        ))
    }
}

type Categorical = Vec<Option<String>>;

fn with_columns<R>(
    names: &[String],
    columns: &[Categorical],
    f: impl FnOnce(&[(&str, &[Option<&str>])]) -> R,
) -> R {
    let refs: Vec<Vec<Option<&str>>> = columns
        .iter()
        .map(|c| c.iter().map(Option::as_deref).collect())
        .collect();
    let cols: Vec<(&str, &[Option<&str>])> = names
        .iter()
        .map(String::as_str)
        .zip(refs.iter().map(Vec::as_slice))
        .collect();
    f(&cols)
}

/// A fitted naive Bayes model over categorical columns.
#[pyclass(frozen, module = "crm_core._crm_core", name = "NaiveBayesModel")]
pub struct PyNaiveBayesModel(pub NaiveBayesModel);

#[pymethods]
impl PyNaiveBayesModel {
    /// Fits on categorical columns (`None` is a missing value) and 0/1 labels.
    #[staticmethod]
    #[pyo3(signature = (names, columns, y, alpha=1.0))]
    fn fit(
        py: Python<'_>,
        names: Vec<String>,
        columns: Vec<Categorical>,
        y: PyReadonlyArray1<'_, f64>,
        alpha: f64,
    ) -> PyResult<Self> {
        if names.len() != columns.len() {
            return Err(input(
                py,
                format!("{} names for {} columns", names.len(), columns.len()),
            ));
        }
        let y = vec_of(py, "y", &y)?;
        with_columns(&names, &columns, |cols| {
            NaiveBayesModel::fit(cols, &y, alpha)
        })
        .map(PyNaiveBayesModel)
        .or_raise(py)
    }

    /// Probabilities of class 1, one per row.
    fn predict_proba<'py>(
        &self,
        py: Python<'py>,
        names: Vec<String>,
        columns: Vec<Categorical>,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let out = with_columns(&names, &columns, |c| self.0.predict_proba(c)).or_raise(py)?;
        Ok(convert::vector(py, out))
    }

    /// Log-odds, one per row.
    fn decision_function<'py>(
        &self,
        py: Python<'py>,
        names: Vec<String>,
        columns: Vec<Categorical>,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let out = with_columns(&names, &columns, |c| self.0.decision_function(c)).or_raise(py)?;
        Ok(convert::vector(py, out))
    }

    /// Each field's contribution to each row's log-odds (rows × fields).
    fn explain<'py>(
        &self,
        py: Python<'py>,
        names: Vec<String>,
        columns: Vec<Categorical>,
    ) -> PyResult<Bound<'py, PyArray2<f64>>> {
        let rows = columns.first().map_or(0, Vec::len);
        let out = with_columns(&names, &columns, |c| self.0.explain(c)).or_raise(py)?;
        convert::matrix(py, out, rows, self.0.fields.len())
    }

    #[getter]
    fn prior_log_odds(&self) -> f64 {
        self.0.prior_log_odds
    }

    #[getter]
    fn alpha(&self) -> f64 {
        self.0.alpha
    }

    /// The fields: name, vocabulary and log-likelihood ratios (plain data).
    #[getter]
    fn fields<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::to_py(py, &self.0.fields)
    }

    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        convert::json(py, &self.0)
    }

    #[staticmethod]
    fn from_json(py: Python<'_>, text: &str) -> PyResult<Self> {
        convert::parse(py, "naive Bayes model", text).map(PyNaiveBayesModel)
    }

    fn __eq__(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

/// A model file: feature spec, model and rating thresholds, versioned JSON that scores the
/// same in every binding.
#[pyclass(frozen, module = "crm_core._crm_core", name = "ModelFile")]
pub struct PyModelFile(pub ModelFile);

#[pymethods]
impl PyModelFile {
    /// A file for a logistic model fitted on the caller's own columns (named); with
    /// `estimator` (JSON: name, params, classes), who fitted it.
    #[staticmethod]
    #[pyo3(signature = (model, column_names, hot=0.7, warm=0.4, estimator=None))]
    fn for_columns(
        py: Python<'_>,
        model: &PyLogisticModel,
        column_names: Vec<String>,
        hot: f64,
        warm: f64,
        estimator: Option<&str>,
    ) -> PyResult<Self> {
        let file = ModelFile::new(
            FeatureSpec::columns(column_names),
            Model::Logistic(model.0.clone()),
            Thresholds { hot, warm },
        )
        .or_raise(py)?;
        with_estimator(py, file, estimator)
    }

    /// A file for a logistic model fitted on rows built by a feature spec (JSON), so that
    /// it scores stored leads.
    #[staticmethod]
    #[pyo3(signature = (model, spec, hot=0.7, warm=0.4, estimator=None))]
    fn for_spec(
        py: Python<'_>,
        model: &PyLogisticModel,
        spec: &str,
        hot: f64,
        warm: f64,
        estimator: Option<&str>,
    ) -> PyResult<Self> {
        let spec: FeatureSpec = convert::parse(py, "feature spec", spec)?;
        let file = ModelFile::new(
            spec,
            Model::Logistic(model.0.clone()),
            Thresholds { hot, warm },
        )
        .or_raise(py)?;
        with_estimator(py, file, estimator)
    }

    /// A file for a naive Bayes model whose fields read these lead attributes (JSON list,
    /// one per field: `[{"attribute": "job_title"}, …]`), so that it scores stored leads.
    #[staticmethod]
    #[pyo3(signature = (model, attributes, hot=0.7, warm=0.4, estimator=None))]
    fn for_naive_bayes(
        py: Python<'_>,
        model: &PyNaiveBayesModel,
        attributes: &str,
        hot: f64,
        warm: f64,
        estimator: Option<&str>,
    ) -> PyResult<Self> {
        let attributes: Vec<Attribute> = convert::parse(py, "attributes", attributes)?;
        let file = ModelFile::new(
            FeatureSpec::default(),
            Model::NaiveBayes {
                attributes,
                model: model.0.clone(),
            },
            Thresholds { hot, warm },
        )
        .or_raise(py)?;
        with_estimator(py, file, estimator)
    }

    /// Reads a file; newer format versions raise `UnsupportedVersionError`.
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &str) -> PyResult<Self> {
        ModelFile::from_json(text).map(PyModelFile).or_raise(py)
    }

    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        self.0.to_json().or_raise(py)
    }

    /// `logistic`, `naive_bayes`, `rules` or `value`.
    #[getter]
    fn kind(&self) -> &'static str {
        self.0.model.kind()
    }

    #[getter]
    fn format_version(&self) -> u32 {
        self.0.format_version
    }

    /// The feature columns, in order.
    #[getter]
    fn column_names(&self) -> Vec<String> {
        self.0.features.column_names()
    }

    /// The logistic model inside, if it is one.
    #[getter]
    fn logistic(&self) -> Option<PyLogisticModel> {
        match &self.0.model {
            Model::Logistic(m) => Some(PyLogisticModel(m.clone())),
            _ => None,
        }
    }

    /// The naive Bayes model inside, if it is one.
    #[getter]
    fn naive_bayes(&self) -> Option<PyNaiveBayesModel> {
        match &self.0.model {
            Model::NaiveBayes { model, .. } => Some(PyNaiveBayesModel(model.clone())),
            _ => None,
        }
    }

    /// Who fitted the model (JSON: name, params, classes), if the file says.
    #[getter]
    fn estimator(&self, py: Python<'_>) -> PyResult<Option<String>> {
        self.0
            .estimator
            .as_ref()
            .map(|e| convert::json(py, e))
            .transpose()
    }

    /// The (hot, warm) thresholds.
    #[getter]
    fn thresholds(&self) -> (f64, f64) {
        (self.0.thresholds.hot, self.0.thresholds.warm)
    }

    /// Probabilities for a feature matrix (logistic models).
    fn score_matrix<'py>(
        &self,
        py: Python<'py>,
        x: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let x = Input::extract(x)?;
        let parts = x.parts(py)?;
        let out = score_parts(py, &parts, 1, |f, out| {
            out.copy_from_slice(&self.0.score_matrix(f)?);
            Ok(())
        })?;
        Ok(convert::vector(py, out))
    }

    /// `hot`, `warm` or `cold` for a score from this file's model.
    fn rate(&self, score: f64) -> String {
        let r = self.0.rate(score);
        serde_json::to_value(r)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }
}

/// `file` with the estimator read from JSON, if given.
fn with_estimator(
    py: Python<'_>,
    file: ModelFile,
    estimator: Option<&str>,
) -> PyResult<PyModelFile> {
    let file = match estimator {
        Some(text) => {
            let e: Estimator = convert::parse(py, "estimator", text)?;
            file.with_estimator(e).or_raise(py)?
        }
        None => file,
    };
    Ok(PyModelFile(file))
}

/// A rule set: fit rules, engagement rules with half-life decay, caps and thresholds.
#[pyclass(frozen, module = "crm_core._crm_core", name = "RuleSet")]
pub struct PyRuleSet(pub RuleSet);

#[pymethods]
impl PyRuleSet {
    /// Reads and checks a rule set (JSON).
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &str) -> PyResult<Self> {
        let rules: RuleSet = convert::parse(py, "rule set", text)?;
        rules.check().or_raise(py)?;
        Ok(PyRuleSet(rules))
    }

    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        convert::json(py, &self.0)
    }

    /// Scores leads (JSON array of leads) each with its touchpoints (JSON array of arrays)
    /// at `now` (RFC 3339): a JSON array of scores with the rules that fired.
    fn score(&self, py: Python<'_>, leads: &str, touchpoints: &str, now: &str) -> PyResult<String> {
        let leads: Vec<crm_core::Lead> = convert::parse(py, "leads", leads)?;
        let touches: Vec<Vec<crm_core::tracking::Touchpoint>> =
            convert::parse(py, "touchpoints", touchpoints)?;
        if touches.len() != leads.len() {
            return Err(input(
                py,
                format!(
                    "{} touchpoint lists for {} leads",
                    touches.len(),
                    leads.len()
                ),
            ));
        }
        let now = convert::instant(py, now)?;
        let scores: Vec<_> = leads
            .iter()
            .zip(&touches)
            .map(|(l, t)| self.0.score(l, t, now))
            .collect();
        convert::json(py, &scores)
    }

    /// `hot`, `warm` or `cold` for a score.
    fn rate(&self, score: f64) -> String {
        self.0.thresholds.rate(score).as_str().to_string()
    }
}

fn pair<'py>(
    py: Python<'py>,
    scores: &PyReadonlyArray1<'py, f64>,
    labels: &PyReadonlyArray1<'py, f64>,
) -> PyResult<(Vec<f64>, Vec<f64>)> {
    Ok((vec_of(py, "scores", scores)?, vec_of(py, "labels", labels)?))
}

/// ROC AUC of `scores` against 0/1 `labels`.
#[pyfunction]
pub fn roc_auc(
    py: Python<'_>,
    scores: PyReadonlyArray1<'_, f64>,
    labels: PyReadonlyArray1<'_, f64>,
) -> PyResult<f64> {
    let (s, l) = pair(py, &scores, &labels)?;
    evaluate::roc_auc(&s, &l).or_raise(py)
}

/// Mean log-loss of probabilities `p` against 0/1 `labels`.
#[pyfunction]
pub fn log_loss(
    py: Python<'_>,
    p: PyReadonlyArray1<'_, f64>,
    labels: PyReadonlyArray1<'_, f64>,
) -> PyResult<f64> {
    let (s, l) = pair(py, &p, &labels)?;
    evaluate::log_loss(&s, &l).or_raise(py)
}

/// Calibration table: `bins` equal-width probability bins (plain dicts).
#[pyfunction]
#[pyo3(signature = (p, labels, bins=10))]
pub fn calibration<'py>(
    py: Python<'py>,
    p: PyReadonlyArray1<'py, f64>,
    labels: PyReadonlyArray1<'py, f64>,
    bins: usize,
) -> PyResult<Bound<'py, PyAny>> {
    let (s, l) = pair(py, &p, &labels)?;
    let table = evaluate::calibration(&s, &l, bins).or_raise(py)?;
    convert::to_py(py, &table)
}

/// Lift and gain among the `k` best-scored rows (a dict).
#[pyfunction]
pub fn lift_at_k<'py>(
    py: Python<'py>,
    scores: PyReadonlyArray1<'py, f64>,
    labels: PyReadonlyArray1<'py, f64>,
    k: usize,
) -> PyResult<Bound<'py, PyAny>> {
    let (s, l) = pair(py, &scores, &labels)?;
    let lift = evaluate::lift_at_k(&s, &l, k).or_raise(py)?;
    convert::to_py(py, &lift)
}

/// Registers this module's classes and functions.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyLogisticModel>()?;
    m.add_class::<PyNaiveBayesModel>()?;
    m.add_class::<PyModelFile>()?;
    m.add_class::<PyRuleSet>()?;
    m.add_function(wrap_pyfunction!(roc_auc, m)?)?;
    m.add_function(wrap_pyfunction!(log_loss, m)?)?;
    m.add_function(wrap_pyfunction!(calibration, m)?)?;
    m.add_function(wrap_pyfunction!(lift_at_k, m)?)?;
    Ok(())
}
