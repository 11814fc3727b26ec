//! The SLA engine, in the shape Salesforce entitlements, Zendesk SLA policies and Jira
//! Service Management SLAs share.
//!
//! - A **policy** ([`SlaPolicy`]) has a filter (priorities, categories, channels, accounts,
//!   contracts, whether a contract is linked), a warning threshold and **metric rules**.
//!   Policies are checked in order (`position`, then name) and the first that matches a
//!   case applies — unless the case's contract names its policy, which then wins.
//! - A **metric** ([`SlaMetric`]: first response, next response, resolution) has start,
//!   pause and stop **conditions** ([`SlaConditions`]; each metric has the usual defaults)
//!   and **targets** per priority in business minutes, each on a named calendar (none:
//!   round the clock).
//! - From a case's history ([`Case::history`]) the engine replays every change up to the
//!   instant asked about and gives, per metric, the completed **cycles** (start, stop,
//!   elapsed, breached) and at most one ongoing cycle (due instant, elapsed, remaining,
//!   paused, within calendar hours), and a state: on track, warning, breached, paused, met
//!   (or inactive: no cycle yet, e.g. no customer reply waiting for an answer).
//!
//! Time in a pause status never counts; elapsed time is business time on the target's
//! calendar. A cycle is breached when its elapsed time exceeds the target (answering at
//! the due instant meets it). Targets follow the priority: a completed cycle keeps the
//! target of the priority when it stopped, an ongoing one uses the current priority.
//! Next-response cycles start on a customer reply only once an agent has replied
//! publicly (before that the customer is still waiting for the first response).

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Problems, Result};
use crate::id::{AccountId, CaseId, ContractId, SlaPolicyId};
use crate::store::{EntityKind, impl_entity};

use super::calendar::BusinessCalendar;
use super::case::{
    Case, CaseCategory, CaseChange, CaseChannel, CasePriority, CaseStatus, CommentAuthor,
};
use super::installed::Contract;
use crate::lead::text_enum;

text_enum!(
    /// What an SLA measures.
    SlaMetric, "SLA metric", {
        /// From opening to the first public agent reply.
        FirstResponse => "first_response",
        /// From each customer reply to the agent's answer (a new cycle each time).
        NextResponse => "next_response",
        /// From opening (or reopening) to resolution.
        Resolution => "resolution",
    }
);

/// A change in a case that starts or stops a metric.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "on", content = "status", rename_all = "snake_case")]
pub enum SlaTrigger {
    /// The case was opened.
    Opened,
    /// An agent replied publicly.
    AgentReply,
    /// The customer replied.
    CustomerReply,
    /// The case entered a status.
    Status(CaseStatus),
}

impl SlaTrigger {
    fn fires(self, change: &CaseChange) -> bool {
        match (self, change) {
            (SlaTrigger::Opened, CaseChange::Opened { .. }) => true,
            (
                SlaTrigger::AgentReply,
                CaseChange::Comment {
                    author: CommentAuthor::Agent,
                    public: true,
                },
            ) => true,
            (
                SlaTrigger::CustomerReply,
                CaseChange::Comment {
                    author: CommentAuthor::Customer,
                    ..
                },
            ) => true,
            (SlaTrigger::Status(s), CaseChange::Status { to, .. }) => s == *to,
            (SlaTrigger::Status(s), CaseChange::Opened { status, .. }) => s == *status,
            _ => false,
        }
    }
}

/// When a metric starts, pauses and stops.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaConditions {
    /// Any of these starts a cycle (when none is running).
    pub start: Vec<SlaTrigger>,
    /// While the case is in one of these, the clock stops.
    #[serde(default)]
    pub pause: BTreeSet<CaseStatus>,
    /// Any of these completes the running cycle.
    pub stop: Vec<SlaTrigger>,
    /// At most this many cycles (first response: 1).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub max_cycles: Option<u32>,
}

impl SlaMetric {
    /// The usual conditions: first response from opening to the first public agent reply
    /// (or resolution); next response from a customer reply to the next agent reply (or
    /// resolution); resolution from opening or reopening to resolved or closed, paused
    /// while pending the customer or on hold.
    pub fn default_conditions(self) -> SlaConditions {
        use SlaTrigger as T;
        let done = [
            T::Status(CaseStatus::Resolved),
            T::Status(CaseStatus::Closed),
        ];
        match self {
            SlaMetric::FirstResponse => SlaConditions {
                start: vec![T::Opened],
                pause: BTreeSet::new(),
                stop: [T::AgentReply].into_iter().chain(done).collect(),
                max_cycles: Some(1),
            },
            SlaMetric::NextResponse => SlaConditions {
                start: vec![T::CustomerReply],
                pause: BTreeSet::new(),
                stop: [T::AgentReply].into_iter().chain(done).collect(),
                max_cycles: None,
            },
            SlaMetric::Resolution => SlaConditions {
                start: vec![T::Opened, T::Status(CaseStatus::Reopened)],
                pause: [CaseStatus::PendingCustomer, CaseStatus::OnHold].into(),
                stop: done.to_vec(),
                max_cycles: None,
            },
        }
    }
}

/// A target: business minutes for a priority, on a calendar.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaTarget {
    /// The priority it applies to.
    pub priority: CasePriority,
    /// Business minutes allowed.
    pub minutes: u32,
    /// The calendar (by name) the minutes run on; none: round the clock.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub calendar: Option<String>,
}

/// One metric of a policy.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetricRule {
    /// What it measures.
    pub metric: SlaMetric,
    /// Its conditions (none: the metric's defaults).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub conditions: Option<SlaConditions>,
    /// Targets per priority (a priority without one is not measured).
    pub targets: Vec<SlaTarget>,
}

/// Which cases a policy applies to; an empty list matches anything.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaFilter {
    /// Priorities.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub priorities: Vec<CasePriority>,
    /// Categories.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub categories: Vec<CaseCategory>,
    /// Channels.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub channels: Vec<CaseChannel>,
    /// Accounts.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub accounts: Vec<AccountId>,
    /// Contracts.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub contracts: Vec<ContractId>,
    /// Only cases with (true) or without (false) a contract.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub under_contract: Option<bool>,
}

impl SlaFilter {
    /// Whether `case` passes.
    pub fn matches(&self, case: &Case) -> bool {
        fn any<T: PartialEq>(list: &[T], v: Option<&T>) -> bool {
            list.is_empty() || v.is_some_and(|v| list.contains(v))
        }
        any(&self.priorities, Some(&case.priority))
            && any(&self.categories, Some(&case.category))
            && any(&self.channels, Some(&case.channel))
            && any(&self.accounts, case.account.as_ref())
            && any(&self.contracts, case.contract.as_ref())
            && self
                .under_contract
                .is_none_or(|u| u == case.contract.is_some())
    }
}

fn default_warning() -> u8 {
    75
}

/// An SLA policy.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaPolicy {
    /// Its name (unique, case-insensitive).
    pub name: String,
    /// Where it comes in the order policies are checked (lower first).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub position: i32,
    /// Which cases it applies to.
    #[serde(default)]
    pub applies_to: SlaFilter,
    /// The share of a target (percent) after which a cycle is in warning.
    #[serde(default = "default_warning")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub warning_percent: u8,
    /// What it measures.
    pub metrics: Vec<MetricRule>,
}

impl SlaPolicy {
    /// Checks the policy (calendar names are checked by the facade against the store).
    ///
    /// # Errors
    /// [`crate::Error::Validation`] listing every problem.
    pub fn check(&self) -> Result<()> {
        let mut p = Problems::new();
        if self.name.trim().is_empty() {
            p.push("name", "a policy needs a name");
        }
        if !(1..=100).contains(&self.warning_percent) {
            p.push("warning_percent", "between 1 and 100");
        }
        if self.metrics.is_empty() {
            p.push("metrics", "a policy needs at least one metric");
        }
        let mut seen = BTreeSet::new();
        for (i, m) in self.metrics.iter().enumerate() {
            if !seen.insert(m.metric) {
                p.push(
                    format!("metrics[{i}]"),
                    format!("{} appears twice", m.metric),
                );
            }
            if m.targets.is_empty() {
                p.push(format!("metrics[{i}].targets"), "at least one target");
            }
            let mut prios = BTreeSet::new();
            for (j, t) in m.targets.iter().enumerate() {
                if t.minutes == 0 {
                    p.push(
                        format!("metrics[{i}].targets[{j}].minutes"),
                        "must be positive",
                    );
                }
                if !prios.insert(t.priority) {
                    p.push(
                        format!("metrics[{i}].targets[{j}].priority"),
                        format!("{} has two targets", t.priority),
                    );
                }
            }
            if let Some(c) = &m.conditions
                && (c.start.is_empty() || c.stop.is_empty())
            {
                p.push(
                    format!("metrics[{i}].conditions"),
                    "needs start and stop conditions",
                );
            }
        }
        p.finish(())
    }

    /// The calendar names its targets use.
    pub fn calendars(&self) -> BTreeSet<String> {
        self.metrics
            .iter()
            .flat_map(|m| &m.targets)
            .filter_map(|t| t.calendar.as_ref().map(|c| c.trim().to_lowercase()))
            .collect()
    }
}

impl MetricRule {
    /// The target for `priority`, if any.
    pub fn target(&self, priority: CasePriority) -> Option<&SlaTarget> {
        self.targets.iter().find(|t| t.priority == priority)
    }
}

/// A policy as stored.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaPolicyRecord {
    /// Its id.
    pub id: SlaPolicyId,
    /// Its version.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub version: crate::id::Version,
    /// The policy.
    pub policy: SlaPolicy,
}

impl SlaPolicyRecord {
    /// Index slot: the name, lower case.
    pub const BY_NAME: usize = 0;
}

impl_entity!(SlaPolicyRecord, SlaPolicyId, EntityKind::SlaPolicy, |p| [
    Some(p.policy.name.trim().to_lowercase()),
    None,
    None,
    None,
    None,
    None
]);

/// The policy for `case`: its contract's, if that names one; otherwise the first of
/// `policies` (ordered by position, then name) whose filter matches.
pub fn select_policy<'a>(
    policies: &'a [SlaPolicy],
    case: &Case,
    contract: Option<&Contract>,
) -> Option<&'a SlaPolicy> {
    if let Some(name) = contract.and_then(|c| c.sla_policy.as_ref())
        && let Some(p) = policies
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name.trim()))
    {
        return Some(p);
    }
    let mut ordered: Vec<&SlaPolicy> = policies.iter().collect();
    ordered.sort_by(|a, b| (a.position, &a.name).cmp(&(b.position, &b.name)));
    ordered.into_iter().find(|p| p.applies_to.matches(case))
}

/// Where a metric or a case stands (ordered by how much attention it needs).
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlaState {
    /// No cycle has started.
    Inactive,
    /// The last cycle completed within its target.
    Met,
    /// The running cycle is paused.
    Paused,
    /// The running cycle is within its warning threshold.
    OnTrack,
    /// The running cycle has used more than the warning share of its target.
    Warning,
    /// A cycle exceeded its target.
    Breached,
}

/// A completed cycle.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompletedCycle {
    /// When it started.
    #[serde(with = "crate::time::rfc3339")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::DateTime<chrono::Utc>"))]
    pub started_at: DateTime<Utc>,
    /// When it stopped.
    #[serde(with = "crate::time::rfc3339")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::DateTime<chrono::Utc>"))]
    pub stopped_at: DateTime<Utc>,
    /// Business seconds it ran (pauses excluded).
    pub elapsed_seconds: i64,
    /// Business seconds allowed.
    pub target_seconds: i64,
    /// Whether it took longer than allowed.
    pub breached: bool,
}

/// The running cycle.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OngoingCycle {
    /// When it started.
    #[serde(with = "crate::time::rfc3339")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::DateTime<chrono::Utc>"))]
    pub started_at: DateTime<Utc>,
    /// When the target runs out (for a breached cycle: when it ran out); none while
    /// paused before the target ran out.
    #[serde(with = "crate::time::rfc3339_opt")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<chrono::DateTime<chrono::Utc>>")
    )]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub due_at: Option<DateTime<Utc>>,
    /// Business seconds so far (pauses excluded).
    pub elapsed_seconds: i64,
    /// Business seconds allowed.
    pub target_seconds: i64,
    /// Business seconds left (negative once breached).
    pub remaining_seconds: i64,
    /// Whether the clock is stopped.
    pub paused: bool,
    /// Whether the instant asked about is within the calendar's working time.
    pub within_calendar_hours: bool,
    /// Its state.
    pub state: SlaState,
}

/// One metric of a case.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetricStatus {
    /// What it measures.
    pub metric: SlaMetric,
    /// The calendar of its target (none: round the clock).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub calendar: Option<String>,
    /// Completed cycles, oldest first.
    pub completed: Vec<CompletedCycle>,
    /// The running cycle.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub ongoing: Option<OngoingCycle>,
    /// Its state.
    pub state: SlaState,
}

/// A case's SLA at an instant.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseSla {
    /// The case.
    pub case: CaseId,
    /// The policy that applies (none: no policy matched).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub policy: Option<String>,
    /// When it was evaluated.
    #[serde(with = "crate::time::rfc3339")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::DateTime<chrono::Utc>"))]
    pub at: DateTime<Utc>,
    /// Each measured metric.
    pub metrics: Vec<MetricStatus>,
    /// The state needing the most attention.
    pub state: SlaState,
}

/// An alert the facade raises once: a cycle entered warning or was breached.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaAlert {
    /// The metric.
    pub metric: SlaMetric,
    /// Which cycle (0-based).
    pub cycle: usize,
    /// `warning` or `breached`.
    pub state: SlaState,
    /// When the target runs (or ran) out, if known.
    #[serde(with = "crate::time::rfc3339_opt")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<chrono::DateTime<chrono::Utc>>")
    )]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub due_at: Option<DateTime<Utc>>,
}

impl SlaAlert {
    /// The key a case remembers the alert by (`resolution/0/breached`).
    pub fn key(&self) -> String {
        let state = match self.state {
            SlaState::Warning => "warning",
            _ => "breached",
        };
        format!("{}/{}/{state}", self.metric, self.cycle)
    }
}

impl CaseSla {
    /// The alerts this evaluation calls for: every breached cycle, and a running cycle in
    /// warning. The facade raises each once.
    pub fn alerts(&self) -> Vec<SlaAlert> {
        let mut out = Vec::new();
        for m in &self.metrics {
            for (i, c) in m.completed.iter().enumerate() {
                if c.breached {
                    out.push(SlaAlert {
                        metric: m.metric,
                        cycle: i,
                        state: SlaState::Breached,
                        due_at: None,
                    });
                }
            }
            if let Some(o) = &m.ongoing
                && matches!(o.state, SlaState::Warning | SlaState::Breached)
            {
                out.push(SlaAlert {
                    metric: m.metric,
                    cycle: m.completed.len(),
                    state: o.state,
                    due_at: o.due_at,
                });
            }
        }
        out
    }
}

/// The clock a target runs on.
#[derive(Clone, Copy)]
enum Clock<'a> {
    Always,
    Calendar(&'a BusinessCalendar),
}

impl Clock<'_> {
    fn between(self, a: DateTime<Utc>, b: DateTime<Utc>) -> i64 {
        match self {
            Clock::Always => (b - a).num_seconds().max(0),
            Clock::Calendar(c) => c.between(a, b).num_seconds(),
        }
    }

    fn add(self, a: DateTime<Utc>, secs: i64) -> Result<DateTime<Utc>> {
        match self {
            Clock::Always => Ok(a + Duration::seconds(secs)),
            Clock::Calendar(c) => c.add(a, Duration::seconds(secs)),
        }
    }

    fn is_working(self, at: DateTime<Utc>) -> bool {
        match self {
            Clock::Always => true,
            Clock::Calendar(c) => c.is_working(at),
        }
    }
}

/// A running cycle during the replay.
struct Run {
    started_at: DateTime<Utc>,
    accrued: i64,
    /// When the clock last resumed (none: paused).
    resumed: Option<DateTime<Utc>>,
    /// When the accrued time passed the target (for the target of the moment).
    crossed_at: Option<DateTime<Utc>>,
}

impl Run {
    fn accrue(&mut self, clock: Clock<'_>, to: DateTime<Utc>, target: Option<i64>) -> Result<()> {
        if let Some(from) = self.resumed {
            let span = clock.between(from, to);
            if let Some(t) = target
                && self.crossed_at.is_none()
                && self.accrued + span > t
            {
                self.crossed_at = Some(clock.add(from, t - self.accrued)?);
            }
            self.accrued += span;
            self.resumed = Some(to);
        }
        Ok(())
    }
}

/// The SLA of `case` under `policy` at `at`; `calendar` finds a calendar by (lower-case)
/// name. Only changes up to `at` are replayed.
///
/// # Errors
/// [`crate::Error::NotFound`] for a target calendar `calendar` does not know;
/// [`crate::Error::InvalidValue`] when a calendar has no working time for a due instant.
pub fn evaluate<'c>(
    policy: &SlaPolicy,
    case: &Case,
    calendar: &dyn Fn(&str) -> Option<&'c BusinessCalendar>,
    at: DateTime<Utc>,
) -> Result<CaseSla> {
    let mut metrics = Vec::new();
    for rule in &policy.metrics {
        if let Some(m) = evaluate_metric(policy, rule, case, calendar, at)? {
            metrics.push(m);
        }
    }
    let state = metrics
        .iter()
        .map(|m| m.state)
        .max()
        .unwrap_or(SlaState::Inactive);
    Ok(CaseSla {
        case: case.id,
        policy: Some(policy.name.clone()),
        at,
        metrics,
        state,
    })
}

fn evaluate_metric<'c>(
    policy: &SlaPolicy,
    rule: &MetricRule,
    case: &Case,
    calendar: &dyn Fn(&str) -> Option<&'c BusinessCalendar>,
    at: DateTime<Utc>,
) -> Result<Option<MetricStatus>> {
    // Targets follow the priority; the metric is measured when the current one has a target.
    let Some(current) = rule.target(case_priority_at(case, at)) else {
        return Ok(None);
    };
    let clock_of = |t: &SlaTarget| -> Result<Clock<'c>> {
        match &t.calendar {
            None => Ok(Clock::Always),
            Some(name) => {
                let key = name.trim().to_lowercase();
                calendar(&key)
                    .map(Clock::Calendar)
                    .ok_or_else(|| crate::Error::not_found("calendar", name))
            }
        }
    };
    let clock = clock_of(current)?;
    let conditions = rule
        .conditions
        .clone()
        .unwrap_or_else(|| rule.metric.default_conditions());
    let secs = |t: &SlaTarget| i64::from(t.minutes) * 60;

    let mut status = CaseStatus::New;
    let mut priority = case.priority;
    let mut agent_replied = false;
    let mut run: Option<Run> = None;
    let mut completed: Vec<CompletedCycle> = Vec::new();
    let mut started = 0u32;
    for entry in case.history.iter().take_while(|e| e.at <= at) {
        let t = entry.at;
        match entry.change {
            CaseChange::Opened {
                status: s,
                priority: p,
            } => {
                status = s;
                priority = p;
            }
            CaseChange::Status { to, .. } => status = to,
            CaseChange::Priority { to, .. } => priority = to,
            CaseChange::Comment { .. }
            | CaseChange::SlaBreached { .. }
            | CaseChange::Routed { .. }
            | CaseChange::Escalated { .. } => {}
        }
        let target_now = rule.target(priority).unwrap_or(current);
        // Stop.
        if conditions.stop.iter().any(|s| s.fires(&entry.change))
            && let Some(mut r) = run.take()
        {
            r.accrue(clock, t, None)?;
            let target = secs(target_now);
            completed.push(CompletedCycle {
                started_at: r.started_at,
                stopped_at: t,
                elapsed_seconds: r.accrued,
                target_seconds: target,
                breached: r.accrued > target,
            });
        }
        // Start.
        let may_start = conditions.max_cycles.is_none_or(|m| started < m)
            && (rule.metric != SlaMetric::NextResponse || agent_replied);
        if run.is_none() && may_start && conditions.start.iter().any(|s| s.fires(&entry.change)) {
            started += 1;
            run = Some(Run {
                started_at: t,
                accrued: 0,
                resumed: (!conditions.pause.contains(&status)).then_some(t),
                crossed_at: None,
            });
        }
        // Pause or resume.
        if let Some(r) = run.as_mut() {
            let paused = conditions.pause.contains(&status);
            match (paused, r.resumed) {
                (true, Some(_)) => {
                    r.accrue(clock, t, Some(secs(target_now)))?;
                    r.resumed = None;
                }
                (false, None) => r.resumed = Some(t),
                _ => {}
            }
        }
        if matches!(
            entry.change,
            CaseChange::Comment {
                author: CommentAuthor::Agent,
                public: true
            }
        ) {
            agent_replied = true;
        }
    }
    let target = secs(current);
    let ongoing = match run {
        None => None,
        Some(mut r) => {
            let paused = r.resumed.is_none();
            r.accrue(clock, at, Some(target))?;
            let elapsed = r.accrued;
            let due_at = match (r.crossed_at, paused) {
                (Some(c), _) => Some(c),
                (None, false) => Some(clock.add(at, target - elapsed)?),
                (None, true) => None,
            };
            let state = if elapsed > target {
                SlaState::Breached
            } else if paused {
                SlaState::Paused
            } else if elapsed * 100 >= i64::from(policy.warning_percent) * target {
                SlaState::Warning
            } else {
                SlaState::OnTrack
            };
            Some(OngoingCycle {
                started_at: r.started_at,
                due_at,
                elapsed_seconds: elapsed,
                target_seconds: target,
                remaining_seconds: target - elapsed,
                paused,
                within_calendar_hours: clock.is_working(at),
                state,
            })
        }
    };
    let state = match (&ongoing, completed.last()) {
        (Some(o), _) => o.state,
        (None, Some(c)) if c.breached => SlaState::Breached,
        (None, Some(_)) => SlaState::Met,
        (None, None) => SlaState::Inactive,
    };
    Ok(Some(MetricStatus {
        metric: rule.metric,
        calendar: current.calendar.clone(),
        completed,
        ongoing,
        state,
    }))
}

/// The case's priority as of `at` (its history replayed).
fn case_priority_at(case: &Case, at: DateTime<Utc>) -> CasePriority {
    let mut p = case.priority;
    for e in case.history.iter().take_while(|e| e.at <= at) {
        match e.change {
            CaseChange::Opened { priority, .. } => p = priority,
            CaseChange::Priority { to, .. } => p = to,
            _ => {}
        }
    }
    p
}
