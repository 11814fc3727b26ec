//! The one error type of crm-core: every failure a caller can meet, each with a stable code.
//!
//! Bindings map [`ErrorKind`] to their own idiom (Python exception classes, JS `code`,
//! Kotlin/Swift sealed errors); the string from [`ErrorKind::code`] never changes once
//! published, so hosts can branch on it.

use serde::{Deserialize, Serialize};

/// The result type of every fallible crm-core operation.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// One problem with one input field, as listed by [`Error::Validation`].
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldProblem {
    /// The field (or form field, or CSV column) that was wrong.
    pub field: String,
    /// Why it was refused, in words a person can act on.
    pub reason: String,
}

impl FieldProblem {
    /// A problem with `field`, explained by `reason`.
    pub fn new(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            reason: reason.into(),
        }
    }
}

impl std::fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.reason)
    }
}

/// Everything that can go wrong in crm-core.
///
/// Serialised (for bindings, logs and APIs) as an object whose `code` is
/// [`ErrorKind::code`] and whose other members are the variant's fields.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Error {
    /// A single value could not be parsed or is out of its allowed range.
    #[error("invalid {field} {value:?}: {reason}")]
    InvalidValue {
        /// What the value was meant to be (`email`, `phone`, `currency`, …).
        field: String,
        /// The value as given.
        value: String,
        /// Why it was refused.
        reason: String,
    },
    /// A whole input (a form submission, a new lead) had one or more problems; all are listed.
    #[error("validation failed: {}", list_problems(.problems))]
    #[serde(rename = "validation_failed")]
    Validation {
        /// Every problem found, not only the first.
        problems: Vec<FieldProblem>,
    },
    /// A record that was asked for does not exist.
    #[error("{kind} {id} not found")]
    NotFound {
        /// The kind of record (`lead`, `contact`, …).
        kind: String,
        /// Its id.
        id: String,
    },
    /// A write was based on a stale version of a record: someone else changed it first.
    #[error("{kind} {id} was changed concurrently: expected version {expected}, found {actual}")]
    Conflict {
        /// The kind of record.
        kind: String,
        /// Its id.
        id: u64,
        /// The version the writer had read.
        expected: u64,
        /// The version in the store (0 when the record is gone).
        actual: u64,
    },
    /// A state machine refused a transition.
    #[error("{kind} cannot go from {from} to {to}")]
    IllegalTransition {
        /// Which state machine (`lead`, `opportunity`, …).
        kind: String,
        /// The current state.
        from: String,
        /// The state that was asked for.
        to: String,
    },
    /// A record cannot be deleted while other records depend on it (an account with
    /// contacts or open opportunities): delete them with it (cascade) or point them at
    /// another record (re-point), or archive it instead.
    #[error("{kind} {id} is in use by {}", dependants.join(", "))]
    InUse {
        /// The kind of record.
        kind: String,
        /// Its id.
        id: u64,
        /// The records that depend on it, as `kind:id` (at most the first 20).
        dependants: Vec<String>,
    },
    /// Arithmetic or comparison across two currencies.
    #[error("currency mismatch: {left} and {right}")]
    CurrencyMismatch {
        /// The currency of the left operand.
        left: String,
        /// The currency of the right operand.
        right: String,
    },
    /// No exchange rate is known for a conversion on a date.
    #[error("no exchange rate from {from} to {to} on or before {on}")]
    MissingExchangeRate {
        /// Source currency.
        from: String,
        /// Target currency.
        to: String,
        /// The date the rate was needed for.
        on: String,
    },
    /// The input duplicates something that already exists (for example a form resubmitted
    /// inside its resubmission window).
    #[error("duplicate {kind}: {reason}")]
    Duplicate {
        /// What was duplicated.
        kind: String,
        /// Which existing record it duplicates, and how.
        reason: String,
    },
    /// The input was judged to be spam and refused.
    #[error("rejected as spam: {reason}")]
    Spam {
        /// The signal that fired.
        reason: String,
    },
    /// A file or payload is of a format version this build does not know.
    #[error("unsupported {what} version {found} (this build reads up to {supported})")]
    UnsupportedVersion {
        /// The kind of document.
        what: String,
        /// The version found.
        found: u32,
        /// The newest version this build reads.
        supported: u32,
    },
    /// The storage layer failed (I/O, locking, a broken database).
    #[error("storage error: {message}")]
    Storage {
        /// What the store reported, with its own wording of the cause.
        message: String,
        /// The store's own name for the failure when it has one (SQLite's result code:
        /// `SQLITE_BUSY`, `SQLITE_FULL`, `SQLITE_CORRUPT`…).
        store_code: Option<String>,
        /// Whether the same call may succeed if tried again: the database was busy or
        /// locked by another connection. A full disk, a corrupt file or a refused
        /// statement will fail again.
        retryable: bool,
    },
    /// A stored record could not be decoded.
    #[error("stored {kind} {id} is corrupt: {message}")]
    #[serde(rename = "corrupt_record")]
    Corrupt {
        /// The kind of record.
        kind: String,
        /// Its id.
        id: u64,
        /// What could not be decoded.
        message: String,
    },
    /// Reading an input stream (a CSV file) failed before its rows could be judged.
    #[error("input error: {message}")]
    Input {
        /// What went wrong.
        message: String,
    },
    /// A model fit did not converge within its iteration budget.
    #[error(
        "fit did not converge in {iterations} iterations (gradient norm {gradient_norm:e}, tolerance {tolerance:e})"
    )]
    NotConverged {
        /// Iterations run.
        iterations: usize,
        /// The largest gradient component at the end.
        gradient_norm: f64,
        /// The tolerance asked for.
        tolerance: f64,
    },
    /// Long work stopped because its [`crate::job::Job`] was cancelled. What was committed
    /// before (an import's earlier batches) stays; `done` says how far it got.
    #[error("cancelled after {done} of {}", total.map_or_else(|| "an unknown number".to_string(), |t| t.to_string()))]
    Cancelled {
        /// Units done when it stopped (rows, records).
        done: usize,
        /// Units in all, when known.
        total: Option<usize>,
    },
    /// The user a handle acts for ([`crate::Crm::as_user`]) may not do this: their
    /// permissions or the record's sharing refuse it. Never disguised as `not_found`, and
    /// recorded in the audit log.
    #[error("{user} may not {operation} {kind}{}: {reason}", id.map(|i| format!(" {i}")).unwrap_or_default())]
    Forbidden {
        /// The user refused (their login).
        user: String,
        /// What was refused: `read`, `create`, `edit`, `delete`, `export`, or a system
        /// permission (`import`, `erase_personal_data`, `manage_users`, …).
        operation: String,
        /// The kind of record.
        kind: String,
        /// The record, when one was named.
        id: Option<u64>,
        /// Which rule refused it, in words.
        reason: String,
    },
    /// A bug in crm-core: a panic caught at a binding's boundary ([`catch_panic`]).
    #[error("internal error in crm-core (please report it): {message}")]
    Internal {
        /// The panic's message.
        message: String,
    },
}

/// Runs `f` and turns a panic inside it (a bug in crm-core) into [`Error::Internal`], so
/// that a binding never lets one cross into the host language.
///
/// # Errors
/// What `f` returns, or [`Error::Internal`] when it panicked.
pub fn catch_panic<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".into());
        Err(Error::Internal { message })
    })
}

/// An example error of the kind whose code is `code` (an [`Error::InvalidValue`] naming
/// the code when no kind has it). The bindings' tests raise one of every kind
/// ([`ErrorKind::ALL`]) through their own error mapping to prove each kind reaches its
/// exception class with its code and fields.
pub fn sample_error(code: &str) -> Error {
    let s = |text: &str| text.to_string();
    match ErrorKind::ALL.into_iter().find(|k| k.code() == code) {
        Some(ErrorKind::InvalidValue) => Error::invalid("email", "ada@", "no domain"),
        Some(ErrorKind::Validation) => Error::Validation {
            problems: vec![FieldProblem::new("phone", "too short")],
        },
        Some(ErrorKind::NotFound) => Error::not_found("lead", 42),
        Some(ErrorKind::Conflict) => Error::Conflict {
            kind: s("lead"),
            id: 7,
            expected: 2,
            actual: 3,
        },
        Some(ErrorKind::IllegalTransition) => Error::IllegalTransition {
            kind: s("lead"),
            from: s("converted"),
            to: s("working"),
        },
        Some(ErrorKind::InUse) => Error::InUse {
            kind: s("account"),
            id: 3,
            dependants: vec![s("contact:4"), s("opportunity:9")],
        },
        Some(ErrorKind::CurrencyMismatch) => Error::CurrencyMismatch {
            left: s("EUR"),
            right: s("USD"),
        },
        Some(ErrorKind::MissingExchangeRate) => Error::MissingExchangeRate {
            from: s("EUR"),
            to: s("JPY"),
            on: s("2026-01-01"),
        },
        Some(ErrorKind::Duplicate) => Error::Duplicate {
            kind: s("product"),
            reason: s("SKU X-1 is defined"),
        },
        Some(ErrorKind::Spam) => Error::Spam {
            reason: s("honeypot filled"),
        },
        Some(ErrorKind::UnsupportedVersion) => Error::UnsupportedVersion {
            what: s("model file"),
            found: 2,
            supported: 1,
        },
        Some(ErrorKind::Storage) => Error::Storage {
            message: s("database is locked"),
            store_code: Some(s("SQLITE_BUSY")),
            retryable: true,
        },
        Some(ErrorKind::Corrupt) => Error::Corrupt {
            kind: s("lead"),
            id: 1,
            message: s("not JSON"),
        },
        Some(ErrorKind::Input) => Error::Input {
            message: s("id: expected a number"),
        },
        Some(ErrorKind::NotConverged) => Error::NotConverged {
            iterations: 100,
            gradient_norm: 0.5,
            tolerance: 0.1,
        },
        Some(ErrorKind::Cancelled) => Error::Cancelled {
            done: 5000,
            total: Some(20000),
        },
        Some(ErrorKind::Forbidden) => Error::Forbidden {
            user: s("rep1"),
            operation: s("edit"),
            kind: s("account"),
            id: Some(12),
            reason: s("the account is private to its owner"),
        },
        Some(ErrorKind::Internal) => Error::Internal {
            message: s("index out of range"),
        },
        None => Error::invalid("error code", code, "no error kind has this code"),
    }
}

fn list_problems(problems: &[FieldProblem]) -> String {
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// The kind of an [`Error`], without its details: what hosts branch on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum ErrorKind {
    /// See [`Error::InvalidValue`].
    InvalidValue,
    /// See [`Error::Validation`].
    Validation,
    /// See [`Error::NotFound`].
    NotFound,
    /// See [`Error::Conflict`].
    Conflict,
    /// See [`Error::IllegalTransition`].
    IllegalTransition,
    /// See [`Error::InUse`].
    InUse,
    /// See [`Error::CurrencyMismatch`].
    CurrencyMismatch,
    /// See [`Error::MissingExchangeRate`].
    MissingExchangeRate,
    /// See [`Error::Duplicate`].
    Duplicate,
    /// See [`Error::Spam`].
    Spam,
    /// See [`Error::UnsupportedVersion`].
    UnsupportedVersion,
    /// See [`Error::Storage`].
    Storage,
    /// See [`Error::Corrupt`].
    Corrupt,
    /// See [`Error::Input`].
    Input,
    /// See [`Error::NotConverged`].
    NotConverged,
    /// See [`Error::Cancelled`].
    Cancelled,
    /// See [`Error::Forbidden`].
    Forbidden,
    /// See [`Error::Internal`].
    Internal,
}

impl ErrorKind {
    /// Every kind, in a stable order.
    pub const ALL: [ErrorKind; 18] = [
        ErrorKind::InvalidValue,
        ErrorKind::Validation,
        ErrorKind::NotFound,
        ErrorKind::Conflict,
        ErrorKind::IllegalTransition,
        ErrorKind::InUse,
        ErrorKind::CurrencyMismatch,
        ErrorKind::MissingExchangeRate,
        ErrorKind::Duplicate,
        ErrorKind::Spam,
        ErrorKind::UnsupportedVersion,
        ErrorKind::Storage,
        ErrorKind::Corrupt,
        ErrorKind::Input,
        ErrorKind::NotConverged,
        ErrorKind::Cancelled,
        ErrorKind::Forbidden,
        ErrorKind::Internal,
    ];

    /// The stable, published code of this kind (`snake_case`, never changed once released).
    pub const fn code(self) -> &'static str {
        match self {
            ErrorKind::InvalidValue => "invalid_value",
            ErrorKind::Validation => "validation_failed",
            ErrorKind::NotFound => "not_found",
            ErrorKind::Conflict => "conflict",
            ErrorKind::IllegalTransition => "illegal_transition",
            ErrorKind::InUse => "in_use",
            ErrorKind::CurrencyMismatch => "currency_mismatch",
            ErrorKind::MissingExchangeRate => "missing_exchange_rate",
            ErrorKind::Duplicate => "duplicate",
            ErrorKind::Spam => "spam",
            ErrorKind::UnsupportedVersion => "unsupported_version",
            ErrorKind::Storage => "storage",
            ErrorKind::Corrupt => "corrupt_record",
            ErrorKind::Input => "input",
            ErrorKind::NotConverged => "not_converged",
            ErrorKind::Cancelled => "cancelled",
            ErrorKind::Forbidden => "forbidden",
            ErrorKind::Internal => "internal",
        }
    }
}

impl Error {
    /// The error's fields with its `code`, as a JSON object: what bindings hand their
    /// callers besides the message, so that they can branch on details.
    pub fn details(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_else(|_| serde_json::json!({ "code": self.code() }))
    }

    /// The kind of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::InvalidValue { .. } => ErrorKind::InvalidValue,
            Error::Validation { .. } => ErrorKind::Validation,
            Error::NotFound { .. } => ErrorKind::NotFound,
            Error::Conflict { .. } => ErrorKind::Conflict,
            Error::IllegalTransition { .. } => ErrorKind::IllegalTransition,
            Error::InUse { .. } => ErrorKind::InUse,
            Error::CurrencyMismatch { .. } => ErrorKind::CurrencyMismatch,
            Error::MissingExchangeRate { .. } => ErrorKind::MissingExchangeRate,
            Error::Duplicate { .. } => ErrorKind::Duplicate,
            Error::Spam { .. } => ErrorKind::Spam,
            Error::UnsupportedVersion { .. } => ErrorKind::UnsupportedVersion,
            Error::Storage { .. } => ErrorKind::Storage,
            Error::Corrupt { .. } => ErrorKind::Corrupt,
            Error::Input { .. } => ErrorKind::Input,
            Error::NotConverged { .. } => ErrorKind::NotConverged,
            Error::Cancelled { .. } => ErrorKind::Cancelled,
            Error::Forbidden { .. } => ErrorKind::Forbidden,
            Error::Internal { .. } => ErrorKind::Internal,
        }
    }

    /// The stable code of this error's kind; see [`ErrorKind::code`].
    pub fn code(&self) -> &'static str {
        self.kind().code()
    }

    /// An [`Error::InvalidValue`] for `field`.
    pub fn invalid(
        field: impl Into<String>,
        value: impl Into<String>,
        reason: impl Into<String>,
    ) -> Self {
        Error::InvalidValue {
            field: field.into(),
            value: value.into(),
            reason: reason.into(),
        }
    }

    /// An [`Error::NotFound`] for a record of `kind`.
    pub fn not_found(kind: impl Into<String>, id: impl ToString) -> Self {
        Error::NotFound {
            kind: kind.into(),
            id: id.to_string(),
        }
    }

    /// An [`Error::Storage`] carrying a store's message, not worth retrying.
    pub fn storage(message: impl ToString) -> Self {
        Error::Storage {
            message: message.to_string(),
            store_code: None,
            retryable: false,
        }
    }

    /// Whether the same call may succeed if tried again (a busy or locked store).
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            Error::Storage {
                retryable: true,
                ..
            }
        )
    }

    /// The problems of a [`Error::Validation`], or this error as a single problem.
    pub fn problems(&self) -> Vec<FieldProblem> {
        match self {
            Error::Validation { problems } => problems.clone(),
            Error::InvalidValue { field, reason, .. } => {
                vec![FieldProblem::new(field.clone(), reason.clone())]
            }
            other => vec![FieldProblem::new("", other.to_string())],
        }
    }
}

/// Collects problems while checking an input, so that every problem is reported at once.
#[derive(Debug, Default)]
pub struct Problems(Vec<FieldProblem>);

impl Problems {
    /// No problems yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a problem with `field`.
    pub fn push(&mut self, field: impl Into<String>, reason: impl Into<String>) {
        self.0.push(FieldProblem::new(field, reason));
    }

    /// Keeps the value of `result`, or records its error against `field`.
    pub fn take<T>(&mut self, field: &str, result: Result<T>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(Error::InvalidValue { reason, .. }) => {
                self.push(field, reason);
                None
            }
            Err(other) => {
                for p in other.problems() {
                    let name = if p.field.is_empty() {
                        field.to_string()
                    } else {
                        p.field
                    };
                    self.push(name, p.reason);
                }
                None
            }
        }
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(value)` when no problem was recorded, else an [`Error::Validation`] listing them.
    ///
    /// # Errors
    /// [`Error::Validation`] with every recorded problem.
    pub fn finish<T>(self, value: T) -> Result<T> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(Error::Validation { problems: self.0 })
        }
    }

    /// The recorded problems.
    pub fn into_vec(self) -> Vec<FieldProblem> {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_snake_case() {
        let mut seen = std::collections::HashSet::new();
        for kind in ErrorKind::ALL {
            let code = kind.code();
            assert!(seen.insert(code), "duplicate code {code}");
            assert!(code.chars().all(|c| c.is_ascii_lowercase() || c == '_'));
        }
    }

    #[test]
    fn validation_lists_every_problem() {
        let mut p = Problems::new();
        p.push("email", "missing @");
        p.push("phone", "too short");
        let err = p.finish(()).unwrap_err();
        assert_eq!(err.code(), "validation_failed");
        assert_eq!(
            err.to_string(),
            "validation failed: email: missing @; phone: too short"
        );
        assert_eq!(err.problems().len(), 2);
    }

    #[test]
    fn details_carry_the_code_and_the_fields() {
        let every: Vec<Error> = ErrorKind::ALL
            .iter()
            .map(|k| sample_error(k.code()))
            .collect();
        for (e, kind) in every.iter().zip(ErrorKind::ALL) {
            assert_eq!(e.kind(), kind, "{e:?}");
            assert_eq!(e.details()["code"], e.code(), "{e:?}");
        }
        assert_eq!(every[0].details()["field"], "email");
        assert_eq!(every[1].details()["problems"][0]["reason"], "too short");
        assert_eq!(every[11].details()["retryable"], true);
        assert_eq!(sample_error("no_such_code").kind(), ErrorKind::InvalidValue);
    }

    #[test]
    fn a_panic_becomes_an_internal_error() {
        let caught = catch_panic::<()>(|| panic!("index out of range"));
        assert!(
            matches!(&caught, Err(Error::Internal { message }) if message == "index out of range")
        );
        assert_eq!(caught.unwrap_err().code(), "internal");
        assert_eq!(catch_panic(|| Ok(7)).unwrap(), 7);
    }
}
