//! Service cases: what a customer asked or reported, with a human-readable tracking number
//! (`CASE-2026-000123`, never reused), channel, category, priority, a status lifecycle with
//! its full history, links to the contact, account, asset and contract concerned, and
//! comments from agents and customers — the history the SLA engine ([`super::sla`]) reads.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Problems, Result};
use crate::id::{AccountId, AssetId, CaseId, ContactId, ContractId};
use crate::store::{EntityKind, impl_entity};

use crate::lead::text_enum;

text_enum!(
    /// How a case reached the desk.
    CaseChannel, "case channel", {
        /// A phone call.
        Phone => "phone",
        /// An e-mail.
        Email => "email",
        /// A web form or portal.
        Web => "web",
        /// A chat.
        Chat => "chat",
        /// On site, at the customer's.
        OnSite => "on_site" | "on site" | "on-site",
    }
);

text_enum!(
    /// What kind of case it is.
    CaseCategory, "case category", {
        /// A complaint.
        Complaint => "complaint",
        /// A question.
        Question => "question",
        /// Something broke.
        Incident => "incident",
        /// A request for service.
        Request => "request",
    }
);

text_enum!(
    /// How urgent a case is (ordered: low < normal < high < urgent).
    CasePriority, "case priority", {
        /// Low.
        Low => "low",
        /// Normal.
        Normal => "normal",
        /// High.
        High => "high",
        /// Urgent.
        Urgent => "urgent",
    }
);

text_enum!(
    /// Where a case is in its lifecycle.
    CaseStatus, "case status", {
        /// Just recorded, nobody has looked at it.
        New => "new",
        /// Being worked.
        Open => "open",
        /// Waiting for the customer.
        PendingCustomer => "pending_customer" | "pending customer" | "pending-customer",
        /// Parked (waiting for a part, a third party).
        OnHold => "on_hold" | "on hold" | "on-hold",
        /// Solved; the customer may still object.
        Resolved => "resolved",
        /// Done for good.
        Closed => "closed",
        /// Resolved, then opened again.
        Reopened => "reopened",
    }
);

impl CaseStatus {
    /// Whether the lifecycle allows going from `self` to `to`: any working status to any
    /// other working status or to resolved / closed; resolved to closed or reopened;
    /// closed is final.
    pub fn can_become(self, to: CaseStatus) -> bool {
        use CaseStatus as S;
        match self {
            S::Closed => false,
            S::Resolved => matches!(to, S::Closed | S::Reopened),
            _ => to != self && to != S::New && to != S::Reopened,
        }
    }

    /// Whether the case is still being worked (not resolved or closed).
    pub fn is_active(self) -> bool {
        !matches!(self, CaseStatus::Resolved | CaseStatus::Closed)
    }
}

text_enum!(
    /// Who wrote a comment.
    CommentAuthor, "comment author", {
        /// Someone of the support team.
        Agent => "agent",
        /// The customer.
        Customer => "customer",
    }
);

/// A case's tracking number: `CASE-<year>-<six or more digits>`, from the year the case
/// was opened and its store id (which is never reused), so numbers are never reused either.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CaseNumber(String);

impl CaseNumber {
    /// The number of case `id` opened in `year`.
    pub fn new(year: i32, id: CaseId) -> Self {
        CaseNumber(format!("CASE-{year}-{:06}", id.get()))
    }

    /// The number as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for CaseNumber {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let t = s.trim().to_ascii_uppercase();
        let bad = || Error::invalid("case number", s, "expected CASE-YYYY-NNNNNN");
        let rest = t.strip_prefix("CASE-").ok_or_else(bad)?;
        let (year, seq) = rest.split_once('-').ok_or_else(bad)?;
        let digits = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit());
        if year.len() != 4 || !digits(year) || seq.len() < 6 || !digits(seq) {
            return Err(bad());
        }
        Ok(CaseNumber(t))
    }
}

impl TryFrom<String> for CaseNumber {
    type Error = Error;
    fn try_from(s: String) -> Result<Self> {
        s.parse()
    }
}

impl From<CaseNumber> for String {
    fn from(n: CaseNumber) -> String {
        n.0
    }
}

impl fmt::Display for CaseNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A comment on a case.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseComment {
    /// Agent or customer.
    pub author: CommentAuthor,
    /// The author's name.
    pub name: String,
    /// Whether the customer sees it (internal notes are not responses).
    pub public: bool,
    /// The text.
    pub body: String,
    /// When it was written.
    #[serde(with = "crate::time::rfc3339")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::DateTime<chrono::Utc>"))]
    pub at: DateTime<Utc>,
}

/// One change in a case's history.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum CaseChange {
    /// The case was opened.
    Opened {
        /// Its first status.
        status: CaseStatus,
        /// Its first priority.
        priority: CasePriority,
    },
    /// Its status changed.
    Status {
        /// Before.
        from: CaseStatus,
        /// After.
        to: CaseStatus,
    },
    /// Its priority changed.
    Priority {
        /// Before.
        from: CasePriority,
        /// After.
        to: CasePriority,
    },
    /// A comment was added (the comment itself is in [`Case::comments`]).
    Comment {
        /// Who wrote it.
        author: CommentAuthor,
        /// Whether it is public.
        public: bool,
    },
    /// It was filed into a queue or given to an agent (or both), or taken from them.
    Routed {
        /// Why: `rule:<name>`, `queue`, `transfer`, `assign` or `escalation:<name>`.
        by: String,
        /// Its queue after the change.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "uniffi", uniffi(default))]
        queue: Option<String>,
        /// Its owner after the change.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "uniffi", uniffi(default))]
        owner: Option<String>,
    },
    /// An escalation rule fired.
    Escalated {
        /// The rule.
        rule: String,
        /// What set it off (`resolution/0/warning`, `age`).
        trigger: String,
    },
    /// An SLA target was found breached (dated when the breach was noticed).
    SlaBreached {
        /// The metric (`first_response`, `resolution`…).
        metric: String,
        /// Which cycle (0-based).
        cycle: u32,
    },
}

/// A dated change.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseHistoryEntry {
    /// When.
    #[serde(with = "crate::time::rfc3339")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::DateTime<chrono::Utc>"))]
    pub at: DateTime<Utc>,
    /// What.
    #[serde(flatten)]
    pub change: CaseChange,
}

/// What a new case says.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewCase {
    /// A one-line summary.
    pub subject: String,
    /// The full description.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub description: String,
    /// How it came in.
    pub channel: CaseChannel,
    /// What kind of case.
    pub category: CaseCategory,
    /// How urgent.
    #[serde(default = "normal")]
    pub priority: CasePriority,
    /// The customer's account.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub account: Option<AccountId>,
    /// The person who reported it.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub contact: Option<ContactId>,
    /// The equipment concerned.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub asset: Option<AssetId>,
    /// The contract it is worked under; when absent and the asset is covered by a
    /// contract, that contract is linked.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub contract: Option<ContractId>,
    /// Who works it.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub owner: Option<String>,
    /// The queue it is filed into; when absent (and no owner is given), routing rules
    /// choose one.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub queue: Option<String>,
    /// The product (SKU) it is about, when no asset says.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub product: Option<String>,
    /// The language it is written in (ISO 639-1: `en`, `da`).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub language: Option<String>,
    /// Custom field values by name ([`crate::custom`]).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub custom: crate::custom::CustomValues,
}

/// A language code as stored: two or three ASCII letters, lower-case.
///
/// # Errors
/// [`Error::InvalidValue`] for anything else.
pub fn language_code(text: &str) -> Result<String> {
    let t = text.trim().to_ascii_lowercase();
    if (2..=3).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_lowercase()) {
        Ok(t)
    } else {
        Err(Error::invalid(
            "language",
            text,
            "expected an ISO 639-1 code such as en or da",
        ))
    }
}

fn normal() -> CasePriority {
    CasePriority::Normal
}

impl NewCase {
    /// Checks the input.
    ///
    /// # Errors
    /// [`Error::Validation`] listing every problem.
    pub fn check(&self) -> Result<()> {
        let mut p = Problems::new();
        if self.subject.trim().is_empty() {
            p.push("subject", "a case needs a subject");
        }
        if self.subject.chars().count() > 500 {
            p.push("subject", "at most 500 characters");
        }
        if let Some(l) = &self.language
            && let Err(e) = language_code(l)
        {
            p.push("language", e.to_string());
        }
        for (field, v) in [("queue", &self.queue), ("product", &self.product)] {
            if v.as_deref().is_some_and(|v| v.trim().is_empty()) {
                p.push(field, "blank");
            }
        }
        p.finish(())
    }
}

/// A service case.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Case {
    /// Its id.
    pub id: CaseId,
    /// Its version.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub version: crate::id::Version,
    /// Its tracking number.
    pub number: CaseNumber,
    /// A one-line summary.
    pub subject: String,
    /// The full description.
    pub description: String,
    /// How it came in.
    pub channel: CaseChannel,
    /// What kind of case.
    pub category: CaseCategory,
    /// How urgent.
    pub priority: CasePriority,
    /// Where it is.
    pub status: CaseStatus,
    /// The customer's account.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub account: Option<AccountId>,
    /// The person who reported it.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub contact: Option<ContactId>,
    /// The equipment concerned.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub asset: Option<AssetId>,
    /// The contract it is worked under.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub contract: Option<ContractId>,
    /// Who works it.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub owner: Option<String>,
    /// The queue it is filed into (lower-case).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub queue: Option<String>,
    /// The product (SKU) it is about, when no asset says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub product: Option<String>,
    /// The language it is written in (ISO 639-1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub language: Option<String>,
    /// When it was opened.
    #[serde(with = "crate::time::rfc3339")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::DateTime<chrono::Utc>"))]
    pub opened_at: DateTime<Utc>,
    /// Every change, oldest first.
    pub history: Vec<CaseHistoryEntry>,
    /// Comments, oldest first.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub comments: Vec<CaseComment>,
    /// SLA alerts already raised (`metric/cycle/state`), so each is raised once.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub sla_alerts: BTreeSet<String>,
    /// Escalations already made (`rule/trigger`), so each rule fires once per trigger.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub escalations: BTreeSet<String>,
    /// Custom field values by name ([`crate::custom`]).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub custom: crate::custom::CustomValues,
}

impl Case {
    /// Index slot: the tracking number.
    pub const BY_NUMBER: usize = 0;
    /// Index slot: the account.
    pub const BY_ACCOUNT: usize = 1;
    /// Index slot: `active` while the case is not closed.
    pub const BY_OPEN: usize = 2;
    /// Index slot: the asset.
    pub const BY_ASSET: usize = 3;
    /// Index slot: the contract.
    pub const BY_CONTRACT: usize = 4;
    /// Index slot: the queue, while the case is being worked.
    pub const BY_QUEUE: usize = 5;

    /// A new case with id `id`, opened at `at`.
    pub fn open(id: CaseId, input: NewCase, at: DateTime<Utc>) -> Case {
        Case {
            id,
            custom: input.custom.clone(),
            version: crate::id::Version::NEW,
            number: CaseNumber::new(at.year(), id),
            subject: input.subject.trim().to_string(),
            description: input.description,
            channel: input.channel,
            category: input.category,
            priority: input.priority,
            status: CaseStatus::New,
            account: input.account,
            contact: input.contact,
            asset: input.asset,
            contract: input.contract,
            owner: input.owner,
            queue: input.queue.map(|q| q.trim().to_lowercase()),
            product: input.product.map(|p| p.trim().to_string()),
            language: input
                .language
                .map(|l| language_code(&l).unwrap_or_else(|_| l.trim().to_lowercase())),
            opened_at: at,
            history: vec![CaseHistoryEntry {
                at,
                change: CaseChange::Opened {
                    status: CaseStatus::New,
                    priority: input.priority,
                },
            }],
            comments: Vec::new(),
            sla_alerts: BTreeSet::new(),
            escalations: BTreeSet::new(),
        }
    }

    fn check_time(&self, at: DateTime<Utc>) -> Result<()> {
        match self.history.last() {
            Some(last) if at < last.at => Err(Error::invalid(
                "instant",
                crate::time::format_rfc3339(at),
                format!(
                    "case {} changed last at {}; its history only moves forward",
                    self.number,
                    crate::time::format_rfc3339(last.at)
                ),
            )),
            _ => Ok(()),
        }
    }

    /// Moves the case to `to` at `at`.
    ///
    /// # Errors
    /// [`Error::IllegalTransition`] when the lifecycle forbids it; [`Error::InvalidValue`]
    /// when `at` is before the case's last change.
    pub fn set_status(&mut self, to: CaseStatus, at: DateTime<Utc>) -> Result<()> {
        if !self.status.can_become(to) {
            return Err(Error::IllegalTransition {
                kind: "case".into(),
                from: self.status.to_string(),
                to: to.to_string(),
            });
        }
        self.check_time(at)?;
        self.history.push(CaseHistoryEntry {
            at,
            change: CaseChange::Status {
                from: self.status,
                to,
            },
        });
        self.status = to;
        Ok(())
    }

    /// Changes the priority at `at` (a no-op when unchanged).
    ///
    /// # Errors
    /// [`Error::IllegalTransition`] on a closed case; [`Error::InvalidValue`] when `at` is
    /// before the case's last change.
    pub fn set_priority(&mut self, to: CasePriority, at: DateTime<Utc>) -> Result<()> {
        if to == self.priority {
            return Ok(());
        }
        self.ensure_not_closed("reprioritised")?;
        self.check_time(at)?;
        self.history.push(CaseHistoryEntry {
            at,
            change: CaseChange::Priority {
                from: self.priority,
                to,
            },
        });
        self.priority = to;
        Ok(())
    }

    /// Files the case into `queue` and gives it to `owner` (either may be none), noting
    /// why in its history; nothing changes when both are as they were.
    ///
    /// # Errors
    /// [`Error::IllegalTransition`] for a closed case; [`Error::InvalidValue`] for an
    /// instant before its last change.
    pub fn route(
        &mut self,
        queue: Option<String>,
        owner: Option<String>,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<bool> {
        if queue == self.queue && owner == self.owner {
            return Ok(false);
        }
        self.ensure_not_closed("routed")?;
        self.check_time(at)?;
        self.history.push(CaseHistoryEntry {
            at,
            change: CaseChange::Routed {
                queue: queue.clone(),
                owner: owner.clone(),
                by: by.to_string(),
            },
        });
        self.queue = queue;
        self.owner = owner;
        Ok(true)
    }

    fn ensure_not_closed(&self, what: &str) -> Result<()> {
        if self.status == CaseStatus::Closed {
            Err(Error::IllegalTransition {
                kind: "case".into(),
                from: "closed".into(),
                to: what.into(),
            })
        } else {
            Ok(())
        }
    }

    /// Adds a comment. A public agent comment on a new case opens it; a customer comment on
    /// a case pending the customer (or resolved) puts it back to open (reopened).
    ///
    /// # Errors
    /// [`Error::Validation`] for an empty body; [`Error::IllegalTransition`] on a closed
    /// case; [`Error::InvalidValue`] when `comment.at` is before the case's last change.
    pub fn add_comment(&mut self, comment: CaseComment) -> Result<()> {
        let mut p = Problems::new();
        if comment.body.trim().is_empty() {
            p.push("body", "a comment needs text");
        }
        p.finish(())?;
        self.ensure_not_closed("commented")?;
        self.check_time(comment.at)?;
        let at = comment.at;
        self.history.push(CaseHistoryEntry {
            at,
            change: CaseChange::Comment {
                author: comment.author,
                public: comment.public,
            },
        });
        let (author, public) = (comment.author, comment.public);
        self.comments.push(comment);
        match (author, public, self.status) {
            (CommentAuthor::Agent, true, CaseStatus::New) => self.set_status(CaseStatus::Open, at),
            (CommentAuthor::Customer, _, CaseStatus::PendingCustomer) => {
                self.set_status(CaseStatus::Open, at)
            }
            (CommentAuthor::Customer, _, CaseStatus::Resolved) => {
                self.set_status(CaseStatus::Reopened, at)
            }
            _ => Ok(()),
        }
    }
}

impl_entity!(Case, CaseId, EntityKind::Case, |c| [
    Some(c.number.to_string()),
    c.account.map(|a| a.to_string()),
    (c.status != CaseStatus::Closed).then(|| "active".to_string()),
    c.asset.map(|a| a.to_string()),
    c.contract.map(|a| a.to_string()),
    c.queue.clone().filter(|_| c.status.is_active())
]);

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 24, h, 0, 0).unwrap()
    }

    fn new_case() -> Case {
        let input = NewCase {
            custom: Default::default(),
            subject: "Printer jams".into(),
            description: String::new(),
            channel: CaseChannel::Phone,
            category: CaseCategory::Incident,
            priority: CasePriority::High,
            account: None,
            contact: None,
            asset: None,
            contract: None,
            owner: None,
            queue: None,
            product: None,
            language: None,
        };
        Case::open(CaseId::new(123).unwrap(), input, t(9))
    }

    #[test]
    fn numbers_are_readable_and_parsed() {
        let c = new_case();
        assert_eq!(c.number.as_str(), "CASE-2026-000123");
        assert_eq!("case-2026-000123".parse::<CaseNumber>().unwrap(), c.number);
        assert_eq!(
            CaseNumber::new(2026, CaseId::new(1_234_567).unwrap()).as_str(),
            "CASE-2026-1234567"
        );
        for bad in [
            "CASE-26-000001",
            "CASE-2026-1",
            "TICKET-2026-000001",
            "CASE-2026-00000x",
        ] {
            assert_eq!(
                bad.parse::<CaseNumber>().unwrap_err().code(),
                "invalid_value"
            );
        }
    }

    #[test]
    fn the_lifecycle_keeps_its_history() {
        let mut c = new_case();
        c.add_comment(CaseComment {
            author: CommentAuthor::Agent,
            name: "Sam".into(),
            public: true,
            body: "Looking into it".into(),
            at: t(10),
        })
        .unwrap();
        assert_eq!(c.status, CaseStatus::Open);
        c.set_status(CaseStatus::PendingCustomer, t(11)).unwrap();
        c.add_comment(CaseComment {
            author: CommentAuthor::Customer,
            name: "Ada".into(),
            public: true,
            body: "Here is the photo".into(),
            at: t(12),
        })
        .unwrap();
        assert_eq!(c.status, CaseStatus::Open);
        c.set_status(CaseStatus::Resolved, t(13)).unwrap();
        assert_eq!(
            c.set_status(CaseStatus::Open, t(14)).unwrap_err().code(),
            "illegal_transition"
        );
        c.set_status(CaseStatus::Reopened, t(14)).unwrap();
        c.set_status(CaseStatus::Closed, t(15)).unwrap();
        assert!(c.set_status(CaseStatus::Reopened, t(16)).is_err());
        let statuses: Vec<String> = c
            .history
            .iter()
            .filter_map(|h| match h.change {
                CaseChange::Status { to, .. } => Some(to.to_string()),
                _ => None,
            })
            .collect();
        assert_eq!(
            statuses,
            [
                "open",
                "pending_customer",
                "open",
                "resolved",
                "reopened",
                "closed"
            ]
        );
        // History never moves backwards.
        let mut d = new_case();
        assert_eq!(
            d.set_status(CaseStatus::Open, t(8)).unwrap_err().code(),
            "invalid_value"
        );
        assert_eq!(d.history.len(), 1);
        assert!("waiting".parse::<CaseStatus>().is_err());
        assert_eq!(
            "Pending customer".parse::<CaseStatus>().unwrap(),
            CaseStatus::PendingCustomer
        );
    }
}
