//! `ScoringModel`: a crm-core model file (the same JSON Rust and Python write) scoring
//! `Float64Array` feature matrices. Matrices are row-major with the number of features
//! given, and read in place (the slice napi hands over, no copy); results come back as new
//! `Float64Array`s that take over the Rust buffer. Logistic models score matrices; rule
//! and naive Bayes models score stored leads through `Crm.rescoreLeadsWithModel`.

use crm_core::scoring::model_file::{Model, ModelFile};
use crm_core::scoring::{Layout, LogisticModel, Matrix};
use napi::bindgen_prelude::*;
use napi::{Env, JsValue, ValueType};
use napi_derive::napi;

use crate::edge::{self, arg, js_error};

/// A model file loaded for scoring.
#[napi]
pub struct ScoringModel {
    pub(crate) file: ModelFile,
}

/// A feature matrix argument: a `Float64Array` read in place.
fn matrix_arg<'a>(name: &str, value: Unknown<'a>) -> crm_core::Result<Float64ArraySlice<'a>> {
    let refuse = |what: &str| crm_core::Error::Input {
        message: format!("{name}: expected a Float64Array, got {what}"),
    };
    let kind = value.get_type().map_err(|e| refuse(&e.reason))?;
    if kind != ValueType::Object || !value.is_typedarray().unwrap_or(false) {
        return Err(refuse(&format!("a {kind}")));
    }
    Float64ArraySlice::from_unknown(value).map_err(|_| refuse("another typed array"))
}

fn width(n_features: Unknown<'_>) -> crm_core::Result<usize> {
    let n: usize = arg("nFeatures", n_features)?;
    if n == 0 {
        return Err(crm_core::Error::invalid(
            "nFeatures",
            "0",
            "a matrix has at least one column",
        ));
    }
    Ok(n)
}

impl ScoringModel {
    fn logistic(&self) -> crm_core::Result<&LogisticModel> {
        match &self.file.model {
            Model::Logistic(m) => Ok(m),
            _ => Err(crm_core::Error::invalid(
                "model",
                self.kind(),
                "only logistic models score a feature matrix; score stored leads with Crm.rescoreLeadsWithModel",
            )),
        }
    }

    /// Runs `f` on the logistic model and the matrix `x` (`nFeatures` wide), panics caught.
    fn on_matrix<T>(
        &self,
        env: &Env,
        x: Unknown<'_>,
        n_features: Unknown<'_>,
        f: impl FnOnce(&LogisticModel, Matrix<'_>) -> crm_core::Result<T>,
    ) -> Result<T> {
        edge::guarded(|| {
            let m = self.logistic()?;
            let data = matrix_arg("x", x)?;
            let cols = width(n_features)?;
            if data.len() % cols != 0 {
                return Err(crm_core::Error::invalid(
                    "x",
                    format!("{} values", data.len()),
                    format!("not a whole number of rows of {cols} features"),
                ));
            }
            // shape only: scoring finds a value that is not finite as it goes (one pass)
            f(
                m,
                Matrix::with_shape(&data, data.len() / cols, cols, Layout::RowMajor)?,
            )
        })
        .map_err(|e| js_error(env, &e))
    }
}

#[napi]
impl ScoringModel {
    /// Reads a model file's JSON text (newer format versions: `unsupported_version`).
    #[napi(factory, ts_args_type = "text: string")]
    pub fn from_json(env: &Env, text: Unknown<'_>) -> Result<ScoringModel> {
        edge::guarded(|| ModelFile::from_json(&arg::<String>("text", text)?))
            .map(|file| ScoringModel { file })
            .map_err(|e| js_error(env, &e))
    }

    /// Reads the model file at `path`.
    #[napi(factory, ts_args_type = "path: string")]
    pub fn load(env: &Env, path: Unknown<'_>) -> Result<ScoringModel> {
        edge::guarded(|| {
            let path: String = arg("path", path)?;
            let text = std::fs::read_to_string(&path).map_err(|e| crm_core::Error::Input {
                message: format!("{path}: {e}"),
            })?;
            ModelFile::from_json(&text)
        })
        .map(|file| ScoringModel { file })
        .map_err(|e| js_error(env, &e))
    }

    /// The model file as JSON text.
    #[napi]
    pub fn to_json(&self, env: &Env) -> Result<String> {
        self.file.to_json().map_err(|e| js_error(env, &e))
    }

    /// `logistic`, `naive_bayes`, `rules` or `value`.
    #[napi(
        getter,
        ts_return_type = "'logistic' | 'naive_bayes' | 'rules' | 'value'"
    )]
    pub fn kind(&self) -> &'static str {
        self.file.model.kind()
    }

    /// The file's format version.
    #[napi(getter)]
    pub fn format_version(&self) -> u32 {
        self.file.format_version
    }

    /// The feature columns, in order (the width of the matrices it scores).
    #[napi(getter)]
    pub fn column_names(&self) -> Vec<String> {
        self.file.features.column_names()
    }

    /// The probability thresholds of the `hot` and `warm` ratings.
    #[napi(getter, ts_return_type = "{ hot: number; warm: number }")]
    pub fn thresholds(&self, env: &Env) -> Result<Object<'_>> {
        let mut out = Object::new(env)?;
        out.set("hot", self.file.thresholds.hot)?;
        out.set("warm", self.file.thresholds.warm)?;
        Ok(out)
    }

    /// The probability of every row of `x` (row-major, `nFeatures` wide); `threads` > 1
    /// splits the rows between threads (same results, bit for bit).
    #[napi(ts_args_type = "x: Float64Array, nFeatures: number, threads?: number")]
    pub fn score(
        &self,
        env: &Env,
        x: Unknown<'_>,
        n_features: Unknown<'_>,
        threads: Option<Unknown<'_>>,
    ) -> Result<Float64Array> {
        let out = self.on_matrix(env, x, n_features, |m, x| {
            let threads: usize =
                edge::opt("threads", &crm_core::surface::model::Plan::Any, threads)?.unwrap_or(1);
            let mut out = vec![0.0; x.rows()];
            if threads > 1 {
                m.predict_proba_parallel(x, &mut out, threads)?;
            } else {
                m.predict_proba_into(x, &mut out)?;
            }
            Ok(out)
        })?;
        Ok(Float64Array::new(out))
    }

    /// The probability of one lead's feature row.
    #[napi(ts_args_type = "row: Float64Array")]
    pub fn score_one(&self, env: &Env, row: Unknown<'_>) -> Result<f64> {
        edge::guarded(|| {
            let m = self.logistic()?;
            let data = matrix_arg("row", row)?;
            let x = Matrix::with_shape(&data, 1, data.len(), Layout::RowMajor)?;
            let mut out = [0.0];
            m.predict_proba_into(x, &mut out)?;
            Ok(out[0])
        })
        .map_err(|e| js_error(env, &e))
    }

    /// The log-odds of every row of `x`.
    #[napi(ts_args_type = "x: Float64Array, nFeatures: number")]
    pub fn decision_function(
        &self,
        env: &Env,
        x: Unknown<'_>,
        n_features: Unknown<'_>,
    ) -> Result<Float64Array> {
        let out = self.on_matrix(env, x, n_features, |m, x| m.decision_function(x))?;
        Ok(Float64Array::new(out))
    }

    /// Each feature's contribution to row `row`'s log-odds (with `intercept` they add up
    /// to its decision value), in the order of `columnNames`.
    #[napi(ts_args_type = "x: Float64Array, nFeatures: number, row: number")]
    pub fn explain(
        &self,
        env: &Env,
        x: Unknown<'_>,
        n_features: Unknown<'_>,
        row: Unknown<'_>,
    ) -> Result<Float64Array> {
        let out = self.on_matrix(env, x, n_features, |m, x| m.explain(x, arg("row", row)?))?;
        Ok(Float64Array::new(out))
    }

    /// The intercept of a logistic model (null for other kinds).
    #[napi(getter)]
    pub fn intercept(&self) -> Option<f64> {
        self.logistic().ok().map(|m| m.intercept)
    }

    /// `hot`, `warm` or `cold` for a score from this model.
    #[napi(ts_args_type = "score: number", ts_return_type = "Rating")]
    pub fn rate(&self, env: &Env, score: Unknown<'_>) -> Result<String> {
        edge::guarded(|| {
            let score: f64 = arg("score", score)?;
            let rating = self.file.rate(score);
            Ok(rating.as_str().to_string())
        })
        .map_err(|e| js_error(env, &e))
    }
}
