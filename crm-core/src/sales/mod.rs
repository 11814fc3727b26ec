//! Sales: configurable pipelines and the opportunities that move along them, with stage
//! history and probability that follows the stage until a person sets it; exchange rates
//! ([`fx`]) and the weighted forecast ([`forecast`]).

pub mod forecast;
pub mod fx;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Problems, Result};
use crate::id::{AccountId, ContactId, LeadId, OpportunityId, PipelineId};
use crate::money::{Money, Percent};
use crate::store::{EntityKind, impl_entity};

/// Whether a stage is still open, or closes the deal as won or lost.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StageKind {
    /// The deal is being worked.
    Open,
    /// The deal was won.
    Won,
    /// The deal was lost.
    Lost,
}

/// One stage of a pipeline.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stage {
    /// Its name, unique in the pipeline.
    pub name: String,
    /// The probability an opportunity gets on entering it.
    pub probability: Percent,
    /// Open, won or lost.
    pub kind: StageKind,
}

impl Stage {
    /// An open stage.
    pub fn open(name: &str, probability: Percent) -> Self {
        Stage {
            name: name.into(),
            probability,
            kind: StageKind::Open,
        }
    }
}

/// An ordered list of stages.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pipeline {
    /// Id, assigned by the store.
    pub id: PipelineId,
    /// Version.
    pub version: crate::id::Version,
    /// Its name.
    pub name: String,
    /// The stages in order: open ones first, then the closing ones.
    pub stages: Vec<Stage>,
    /// What accepting a quote does to the quote's opportunity (by default nothing).
    #[serde(default)]
    pub on_quote_accepted: OnQuoteAccepted,
}

/// Another company bidding for a deal.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Competitor {
    /// Its name.
    pub name: String,
    /// What the rep knows of its offer (price, strengths, weaknesses).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub notes: Option<String>,
}

/// A catalog product priced into a deal from a price book.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineItem {
    /// The product's SKU.
    pub sku: String,
    /// The product's name.
    pub name: String,
    /// How many (above zero).
    pub quantity: rust_decimal::Decimal,
    /// Its list price in the book on the day it was priced.
    pub list_price: Money,
    /// The discount granted.
    pub discount: Percent,
    /// Quantity × list price less the discount, rounded half-even to the currency.
    pub net: Money,
}

/// A product to price into a deal.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineItemInput {
    /// The product's SKU.
    pub sku: String,
    /// How many (above zero).
    pub quantity: rust_decimal::Decimal,
    /// The discount granted (none: no discount).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub discount: Option<Percent>,
}

/// What accepting a quote does to its opportunity, per pipeline: the amount can follow
/// the quote (its subtotal, before tax) and the deal can move to a stage — the won stage
/// closes it as won at that amount. A closed opportunity is left as it is.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct OnQuoteAccepted {
    /// Whether the opportunity's amount becomes the quote's subtotal.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = false))]
    pub follow_amount: bool,
    /// The stage the opportunity moves to (an open stage, or the won stage).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub stage: Option<String>,
}

impl_entity!(Pipeline, PipelineId, EntityKind::Pipeline, |p| [
    Some(p.name.to_lowercase()),
    None,
    None,
    None,
    None,
    None
]);

impl Pipeline {
    /// Checks a quote-acceptance rule against the stages: its stage exists and is not the
    /// lost stage.
    ///
    /// # Errors
    /// [`Error::InvalidValue`].
    pub fn check_quote_rule(&self, rule: &OnQuoteAccepted) -> Result<()> {
        let Some(name) = &rule.stage else {
            return Ok(());
        };
        if self.stage(name)?.kind == StageKind::Lost {
            return Err(Error::invalid(
                "stage",
                name.as_str(),
                "accepting a quote cannot lose the deal",
            ));
        }
        Ok(())
    }

    /// Checks a stage list: names unique and non-blank, at least one open stage, exactly
    /// one won stage (100 %) and one lost stage (0 %).
    ///
    /// # Errors
    /// [`Error::Validation`] listing every problem.
    pub fn check_stages(name: &str, stages: &[Stage]) -> Result<()> {
        let mut p = Problems::new();
        if name.trim().is_empty() {
            p.push("name", "a pipeline needs a name");
        }
        let mut seen = std::collections::HashSet::new();
        for s in stages {
            if s.name.trim().is_empty() {
                p.push("stages", "a stage has a blank name");
            } else if !seen.insert(s.name.to_lowercase()) {
                p.push(s.name.clone(), "stage name used twice");
            }
        }
        let count = |k| stages.iter().filter(|s| s.kind == k).count();
        if count(StageKind::Open) == 0 {
            p.push("stages", "needs at least one open stage");
        }
        if count(StageKind::Won) != 1 {
            p.push("stages", "needs exactly one won stage");
        }
        if count(StageKind::Lost) != 1 {
            p.push("stages", "needs exactly one lost stage");
        }
        for s in stages {
            if s.kind == StageKind::Won && s.probability != Percent::HUNDRED {
                p.push(s.name.clone(), "a won stage has probability 100");
            }
            if s.kind == StageKind::Lost && s.probability != Percent::ZERO {
                p.push(s.name.clone(), "a lost stage has probability 0");
            }
        }
        p.finish(())
    }

    /// The usual B2B pipeline: Prospecting 10 %, Qualification 20 %, Proposal 50 %,
    /// Negotiation 80 %, Won, Lost.
    pub fn default_stages() -> Vec<Stage> {
        let pct = |v: i64| Percent::new(rust_decimal::Decimal::from(v)).unwrap_or(Percent::ZERO);
        vec![
            Stage::open("Prospecting", pct(10)),
            Stage::open("Qualification", pct(20)),
            Stage::open("Proposal", pct(50)),
            Stage::open("Negotiation", pct(80)),
            Stage {
                name: "Won".into(),
                probability: Percent::HUNDRED,
                kind: StageKind::Won,
            },
            Stage {
                name: "Lost".into(),
                probability: Percent::ZERO,
                kind: StageKind::Lost,
            },
        ]
    }

    /// The stage called `name` (case-insensitive).
    ///
    /// # Errors
    /// [`Error::InvalidValue`] when there is none.
    pub fn stage(&self, name: &str) -> Result<&Stage> {
        self.stages
            .iter()
            .find(|s| s.name.eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| {
                Error::invalid(
                    "stage",
                    name,
                    format!("not a stage of pipeline {:?}", self.name),
                )
            })
    }

    /// The first open stage.
    pub fn first_stage(&self) -> &Stage {
        self.stages
            .iter()
            .find(|s| s.kind == StageKind::Open)
            .unwrap_or(&self.stages[0])
    }

    fn stage_of_kind(&self, kind: StageKind) -> &Stage {
        self.stages
            .iter()
            .find(|s| s.kind == kind)
            .unwrap_or(&self.stages[0])
    }
}

/// Where an opportunity's probability comes from.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProbabilitySource {
    /// The stage's default; follows stage changes.
    Stage,
    /// Set by a person; kept across stage changes until released.
    Manual,
    /// Set by a scoring model; follows the model until a person overrides it.
    Model,
}

/// A contact's role in a deal.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyPlayer {
    /// Who.
    pub contact: ContactId,
    /// Their role (`decision maker`, `champion`, `influencer`…).
    pub role: String,
}

/// One entry of an opportunity's stage history: the values after a change and before it.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageChange {
    /// When.
    #[serde(with = "crate::time::rfc3339")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::DateTime<chrono::Utc>"))]
    pub at: DateTime<Utc>,
    /// Stage after.
    pub stage: String,
    /// Amount after.
    pub amount: Money,
    /// Probability after.
    pub probability: Percent,
    /// Expected close after.
    pub expected_close: NaiveDate,
    /// Stage before (none for the first entry).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub previous_stage: Option<String>,
    /// Amount before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub previous_amount: Option<Money>,
    /// Probability before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub previous_probability: Option<Percent>,
    /// Expected close before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub previous_close: Option<NaiveDate>,
}

/// A deal being worked.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Opportunity {
    /// Id, assigned by the store.
    pub id: OpportunityId,
    /// Version.
    pub version: crate::id::Version,
    /// Its name.
    pub name: String,
    /// The account.
    pub account: AccountId,
    /// The main contact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub contact: Option<ContactId>,
    /// The pipeline.
    pub pipeline: PipelineId,
    /// The current stage's name.
    pub stage: String,
    /// Open, won or lost (the current stage's kind).
    pub state: StageKind,
    /// The amount.
    pub amount: Money,
    /// Expected close date.
    pub expected_close: NaiveDate,
    /// Win probability.
    pub probability: Percent,
    /// Where the probability comes from.
    pub probability_source: ProbabilitySource,
    /// Owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub owner: Option<String>,
    /// The lead it came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub source_lead: Option<LeadId>,
    /// Lead source kind, kept for reports (`web_form`…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub source: Option<String>,
    /// Products of interest.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub products: Vec<String>,
    /// Key players.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub key_players: Vec<KeyPlayer>,
    /// The prospect's expected budget for the deal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub budget: Option<Money>,
    /// What the customer spends in all on what the deal covers (with us and others, over
    /// the life of a contract), as the rep learnt it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub total_spending: Option<Money>,
    /// Who else is bidding.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub competitors: Vec<Competitor>,
    /// The catalog products priced into the deal; while there are any, they make its
    /// amount ([`crate::Crm::set_line_items`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub line_items: Vec<LineItem>,
    /// Every change of stage, amount, probability or close date.
    pub history: Vec<StageChange>,
    /// Why it was lost.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub lost_reason: Option<String>,
    /// When it was won or lost.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(with = "crate::time::rfc3339_opt")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<chrono::DateTime<chrono::Utc>>")
    )]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub closed_at: Option<DateTime<Utc>>,
    /// Created.
    #[serde(with = "crate::time::rfc3339")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::DateTime<chrono::Utc>"))]
    pub created_at: DateTime<Utc>,
    /// Last changed.
    #[serde(with = "crate::time::rfc3339")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::DateTime<chrono::Utc>"))]
    pub updated_at: DateTime<Utc>,
    /// Custom field values by name ([`crate::custom`]).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub custom: crate::custom::CustomValues,
}

impl_entity!(Opportunity, OpportunityId, EntityKind::Opportunity, |o| [
    Some(o.account.to_string()),
    o.owner.clone(),
    Some(o.pipeline.to_string()),
    Some(
        match o.state {
            StageKind::Open => "open",
            StageKind::Won => "won",
            StageKind::Lost => "lost",
        }
        .to_string()
    ),
    o.source_lead.map(|l| l.to_string()),
    None
]);

/// An opportunity to open.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewOpportunity {
    /// Name.
    pub name: String,
    /// Account.
    pub account: AccountId,
    /// Main contact.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub contact: Option<ContactId>,
    /// Pipeline.
    pub pipeline: PipelineId,
    /// Starting stage; the pipeline's first open stage when `None`.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub stage: Option<String>,
    /// Amount.
    pub amount: Money,
    /// Expected close date.
    pub expected_close: NaiveDate,
    /// Owner.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub owner: Option<String>,
    /// Products of interest.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub products: Vec<String>,
    /// Custom field values by name ([`crate::custom`]).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub custom: crate::custom::CustomValues,
}

impl Opportunity {
    /// Slot of the account.
    pub const BY_ACCOUNT: usize = 0;
    /// Slot of the owner.
    pub const BY_OWNER: usize = 1;
    /// Slot of the pipeline.
    pub const BY_PIPELINE: usize = 2;
    /// Slot of the state (`open`, `won`, `lost`).
    pub const BY_STATE: usize = 3;
    /// Slot of the source lead.
    pub const BY_LEAD: usize = 4;

    /// Opens an opportunity on `pipeline`.
    ///
    /// # Errors
    /// [`Error::Validation`] when the name is blank, the amount negative, or the stage
    /// unknown or not open.
    pub fn open(
        id: OpportunityId,
        new: NewOpportunity,
        pipeline: &Pipeline,
        at: DateTime<Utc>,
    ) -> Result<Self> {
        let mut p = Problems::new();
        if new.name.trim().is_empty() {
            p.push("name", "must not be blank");
        }
        if new.amount.is_negative() {
            p.push(
                "amount",
                format!("must not be negative, got {}", new.amount),
            );
        }
        let stage = match &new.stage {
            Some(name) => p.take("stage", pipeline.stage(name)).cloned(),
            None => Some(pipeline.first_stage().clone()),
        };
        if let Some(s) = &stage
            && s.kind != StageKind::Open
        {
            p.push("stage", "an opportunity opens in an open stage");
        }
        p.finish(())?;
        let stage = stage.unwrap_or_else(|| pipeline.first_stage().clone());
        Ok(Opportunity {
            id,
            custom: new.custom.clone(),
            version: crate::id::Version::NEW,
            name: new.name.trim().to_string(),
            account: new.account,
            contact: new.contact,
            pipeline: pipeline.id,
            stage: stage.name.clone(),
            state: StageKind::Open,
            amount: new.amount,
            expected_close: new.expected_close,
            probability: stage.probability,
            probability_source: ProbabilitySource::Stage,
            owner: new.owner,
            source_lead: None,
            source: None,
            products: new.products,
            key_players: Vec::new(),
            budget: None,
            total_spending: None,
            competitors: Vec::new(),
            line_items: Vec::new(),
            history: vec![StageChange {
                at,
                stage: stage.name,
                amount: new.amount,
                probability: stage.probability,
                expected_close: new.expected_close,
                previous_stage: None,
                previous_amount: None,
                previous_probability: None,
                previous_close: None,
            }],
            lost_reason: None,
            closed_at: None,
            created_at: at,
            updated_at: at,
        })
    }

    fn ensure_open(&self, to: &str) -> Result<()> {
        if self.state == StageKind::Open {
            Ok(())
        } else {
            Err(Error::IllegalTransition {
                kind: "opportunity".into(),
                from: self.stage.clone(),
                to: to.into(),
            })
        }
    }

    fn record(&mut self, at: DateTime<Utc>, before: (String, Money, Percent, NaiveDate)) {
        let (stage, amount, probability, close) = before;
        self.history.push(StageChange {
            at,
            stage: self.stage.clone(),
            amount: self.amount,
            probability: self.probability,
            expected_close: self.expected_close,
            previous_stage: Some(stage),
            previous_amount: Some(amount),
            previous_probability: Some(probability),
            previous_close: Some(close),
        });
        self.updated_at = at;
    }

    fn snapshot(&self) -> (String, Money, Percent, NaiveDate) {
        (
            self.stage.clone(),
            self.amount,
            self.probability,
            self.expected_close,
        )
    }

    /// Enters an open stage: the probability follows the stage unless a person set it.
    fn enter_open(&mut self, stage: &Stage, at: DateTime<Utc>) {
        let before = self.snapshot();
        self.stage = stage.name.clone();
        if self.probability_source != ProbabilitySource::Manual {
            self.probability = stage.probability;
            self.probability_source = ProbabilitySource::Stage;
        }
        self.record(at, before);
    }

    /// Moves to another open stage of its pipeline (forward or back).
    ///
    /// # Errors
    /// [`Error::IllegalTransition`] when the deal is closed, the stage is the current one,
    /// or the stage closes the deal (use [`Opportunity::win`] / [`Opportunity::lose`]);
    /// [`Error::InvalidValue`] for an unknown stage or another pipeline.
    pub fn advance(&mut self, pipeline: &Pipeline, stage: &str, at: DateTime<Utc>) -> Result<()> {
        self.check_pipeline(pipeline)?;
        let target = pipeline.stage(stage)?.clone();
        self.ensure_open(&target.name)?;
        if target.kind != StageKind::Open || target.name == self.stage {
            return Err(Error::IllegalTransition {
                kind: "opportunity".into(),
                from: self.stage.clone(),
                to: target.name,
            });
        }
        self.enter_open(&target, at);
        Ok(())
    }

    fn check_pipeline(&self, pipeline: &Pipeline) -> Result<()> {
        if pipeline.id == self.pipeline {
            Ok(())
        } else {
            Err(Error::invalid(
                "pipeline",
                pipeline.id.to_string(),
                format!("the opportunity is on pipeline {}", self.pipeline),
            ))
        }
    }

    /// Closes the deal as won, optionally at a final amount.
    ///
    /// # Errors
    /// [`Error::IllegalTransition`] when it is already closed; [`Error::CurrencyMismatch`]
    /// or [`Error::InvalidValue`] for a bad final amount.
    pub fn win(
        &mut self,
        pipeline: &Pipeline,
        amount: Option<Money>,
        at: DateTime<Utc>,
    ) -> Result<()> {
        self.check_pipeline(pipeline)?;
        let won = pipeline.stage_of_kind(StageKind::Won).clone();
        self.ensure_open(&won.name)?;
        if let Some(a) = amount {
            self.amount.checked_cmp(&a)?;
            if a.is_negative() {
                return Err(Error::invalid(
                    "amount",
                    a.to_string(),
                    "must not be negative",
                ));
            }
        }
        let before = self.snapshot();
        if let Some(a) = amount {
            self.amount = a;
        }
        self.history_enter_closed(&won, before, at);
        Ok(())
    }

    /// Closes the deal as lost, with a reason.
    ///
    /// # Errors
    /// [`Error::IllegalTransition`] when it is already closed; [`Error::InvalidValue`] for
    /// a blank reason.
    pub fn lose(&mut self, pipeline: &Pipeline, reason: &str, at: DateTime<Utc>) -> Result<()> {
        self.check_pipeline(pipeline)?;
        let lost = pipeline.stage_of_kind(StageKind::Lost).clone();
        self.ensure_open(&lost.name)?;
        if reason.trim().is_empty() {
            return Err(Error::invalid(
                "reason",
                reason,
                "a lost deal needs a reason",
            ));
        }
        let before = self.snapshot();
        self.lost_reason = Some(reason.trim().to_string());
        self.history_enter_closed(&lost, before, at);
        Ok(())
    }

    fn history_enter_closed(
        &mut self,
        stage: &Stage,
        before: (String, Money, Percent, NaiveDate),
        at: DateTime<Utc>,
    ) {
        self.stage = stage.name.clone();
        self.state = stage.kind;
        self.probability = stage.probability;
        self.closed_at = Some(at);
        self.record(at, before);
    }

    /// Sets the probability by hand; it is kept across stage changes until released.
    ///
    /// # Errors
    /// [`Error::IllegalTransition`] when the deal is closed.
    pub fn set_probability(&mut self, probability: Percent, at: DateTime<Utc>) -> Result<()> {
        self.ensure_open(&self.stage.clone())?;
        let before = self.snapshot();
        self.probability = probability;
        self.probability_source = ProbabilitySource::Manual;
        self.record(at, before);
        Ok(())
    }

    /// Sets the probability from a model, unless a person set it by hand.
    /// Returns whether it changed.
    ///
    /// # Errors
    /// [`Error::IllegalTransition`] when the deal is closed.
    pub fn set_model_probability(
        &mut self,
        probability: Percent,
        at: DateTime<Utc>,
    ) -> Result<bool> {
        self.ensure_open(&self.stage.clone())?;
        if self.probability_source == ProbabilitySource::Manual || self.probability == probability {
            return Ok(false);
        }
        let before = self.snapshot();
        self.probability = probability;
        self.probability_source = ProbabilitySource::Model;
        self.record(at, before);
        Ok(true)
    }

    /// Releases a manual probability: it follows the current stage again.
    ///
    /// # Errors
    /// [`Error::IllegalTransition`] when the deal is closed.
    pub fn release_probability(&mut self, pipeline: &Pipeline, at: DateTime<Utc>) -> Result<()> {
        self.check_pipeline(pipeline)?;
        self.ensure_open(&self.stage.clone())?;
        let stage = pipeline.stage(&self.stage)?.clone();
        let before = self.snapshot();
        self.probability = stage.probability;
        self.probability_source = ProbabilitySource::Stage;
        self.record(at, before);
        Ok(())
    }

    /// Changes amount and/or expected close date.
    ///
    /// # Errors
    /// [`Error::IllegalTransition`] when the deal is closed; [`Error::CurrencyMismatch`]
    /// when the amount changes currency; [`Error::InvalidValue`] for a negative amount.
    pub fn revise(
        &mut self,
        amount: Option<Money>,
        expected_close: Option<NaiveDate>,
        at: DateTime<Utc>,
    ) -> Result<()> {
        self.ensure_open(&self.stage.clone())?;
        if let Some(a) = amount {
            self.amount.checked_cmp(&a)?;
            if a.is_negative() {
                return Err(Error::invalid(
                    "amount",
                    a.to_string(),
                    "must not be negative",
                ));
            }
        }
        let before = self.snapshot();
        if let Some(a) = amount {
            self.amount = a;
        }
        if let Some(d) = expected_close {
            self.expected_close = d;
        }
        self.record(at, before);
        Ok(())
    }

    /// The amount weighted by probability, unrounded.
    pub fn weighted_amount(&self) -> Money {
        self.amount.times(self.probability.as_fraction())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn pipeline() -> Pipeline {
        let stages = Pipeline::default_stages();
        Pipeline::check_stages("Sales", &stages).unwrap();
        Pipeline {
            id: PipelineId::new(1).unwrap(),
            version: crate::id::Version::new(1),
            name: "Sales".into(),
            stages,
            on_quote_accepted: OnQuoteAccepted::default(),
        }
    }

    fn opp(p: &Pipeline) -> Opportunity {
        let new = NewOpportunity {
            custom: Default::default(),
            name: "Deal".into(),
            account: AccountId::new(1).unwrap(),
            contact: None,
            pipeline: p.id,
            stage: None,
            amount: Money::parse("1000", "EUR").unwrap(),
            expected_close: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
            owner: None,
            products: vec![],
        };
        Opportunity::open(
            OpportunityId::new(1).unwrap(),
            new,
            p,
            DateTime::<Utc>::UNIX_EPOCH,
        )
        .unwrap()
    }

    #[test]
    fn manual_probability_survives_stage_changes_until_released() {
        let p = pipeline();
        let mut o = opp(&p);
        let at = DateTime::<Utc>::UNIX_EPOCH;
        assert_eq!(o.probability.value().to_string(), "10");
        o.set_probability(Percent::parse("35").unwrap(), at)
            .unwrap();
        o.advance(&p, "proposal", at).unwrap();
        assert_eq!(o.probability.value().to_string(), "35");
        assert_eq!(o.probability_source, ProbabilitySource::Manual);
        o.release_probability(&p, at).unwrap();
        assert_eq!(o.probability.value().to_string(), "50");
        assert_eq!(
            o.weighted_amount()
                .round(crate::RoundingMode::HalfEven)
                .to_string(),
            "500.00 EUR"
        );
        let last = o.history.last().unwrap();
        assert_eq!(last.previous_probability.unwrap().value().to_string(), "35");
    }

    #[test]
    fn closed_deals_refuse_changes() {
        let p = pipeline();
        let mut o = opp(&p);
        let at = DateTime::<Utc>::UNIX_EPOCH;
        o.lose(&p, "price", at).unwrap();
        assert_eq!(
            o.advance(&p, "Proposal", at).unwrap_err().code(),
            "illegal_transition"
        );
        assert_eq!(
            o.win(&p, None, at).unwrap_err().code(),
            "illegal_transition"
        );
        assert_eq!(o.probability, Percent::ZERO);
        let mut o = opp(&p);
        assert_eq!(
            o.advance(&p, "Won", at).unwrap_err().code(),
            "illegal_transition"
        );
        assert_eq!(
            o.advance(&p, "Nope", at).unwrap_err().code(),
            "invalid_value"
        );
        assert_eq!(
            o.win(&p, Some(Money::parse("5", "USD").unwrap()), at)
                .unwrap_err()
                .code(),
            "currency_mismatch"
        );
    }

    #[test]
    fn bad_pipelines_are_refused() {
        let stages = vec![
            Stage::open("A", Percent::ZERO),
            Stage::open("a", Percent::ZERO),
        ];
        let err = Pipeline::check_stages("", &stages).unwrap_err();
        assert_eq!(err.problems().len(), 4);
    }

    proptest! {
        #[test]
        fn no_sequence_reopens_a_closed_deal(ops in proptest::collection::vec(0u8..6, 0..25)) {
            let p = pipeline();
            let mut o = opp(&p);
            let at = DateTime::<Utc>::UNIX_EPOCH;
            for op in ops {
                let was = o.state;
                let history = o.history.len();
                let result = match op {
                    0 => o.advance(&p, "Qualification", at),
                    1 => o.advance(&p, "Negotiation", at),
                    2 => o.win(&p, None, at),
                    3 => o.lose(&p, "no budget", at),
                    4 => o.set_probability(Percent::parse("42").unwrap(), at),
                    _ => o.release_probability(&p, at),
                };
                if was != StageKind::Open {
                    prop_assert!(result.is_err());
                    prop_assert_eq!(o.state, was);
                }
                match &result {
                    Ok(()) => prop_assert_eq!(o.history.len(), history + 1),
                    Err(_) => prop_assert_eq!(o.history.len(), history),
                }
                match o.state {
                    StageKind::Won => prop_assert_eq!(o.probability, Percent::HUNDRED),
                    StageKind::Lost => prop_assert_eq!(o.probability, Percent::ZERO),
                    StageKind::Open => prop_assert!(o.closed_at.is_none()),
                }
            }
        }
    }
}
