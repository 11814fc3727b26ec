//! Service desk: business calendars ([`calendar`]), cases ([`case`]), the installed base
//! with warranties and contracts ([`installed`]), field service — technicians, service
//! orders, scheduling, planned maintenance ([`field`]) — the knowledge base
//! ([`knowledge`]), an account's service standing ([`overview`]), the SLA engine ([`sla`]), the desk's queues, agents and routing
//! ([`desk`]), escalation rules ([`escalation`]) and satisfaction surveys ([`survey`]).

pub mod calendar;
pub mod case;
pub mod desk;
pub mod escalation;
pub mod field;
pub mod installed;
pub mod knowledge;
pub mod overview;
pub mod sla;
pub mod survey;

pub use calendar::{BusinessCalendar, Timeline, WorkingInterval};
pub use case::{
    Case, CaseCategory, CaseChange, CaseChannel, CaseComment, CaseHistoryEntry, CaseNumber,
    CasePriority, CaseStatus, CommentAuthor, NewCase,
};
pub use desk::{
    Agent, AgentSpec, Queue, QueueSpec, QueueStrategy, RouteCondition, RoutingRule, RoutingRuleSpec,
};
pub use escalation::{
    AlertLevel, EscalationAction, EscalationRule, EscalationRuleSpec, EscalationTrigger,
};
pub use field::{
    Assignment, MaintenancePlan, NewMaintenancePlan, NewServiceOrder, NewTechnician,
    RecurrenceUnit, Schedule, ServiceOrder, ServiceOrderStatus, Technician, Unplaced,
};
pub use installed::{
    Asset, AssetStatus, Contract, ContractCoverage, Coverage, Entitlement, NewAsset, NewContract,
    Warranty,
};
pub use knowledge::{
    Article, ArticleChange, ArticleContent, ArticleStatus, SearchFilter, SearchHit,
};
pub use sla::{
    CaseSla, CompletedCycle, MetricRule, MetricStatus, OngoingCycle, SlaAlert, SlaConditions,
    SlaFilter, SlaMetric, SlaPolicy, SlaState, SlaTarget, SlaTrigger,
};
