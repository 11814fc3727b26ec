//! Marketing use cases: campaigns (members, costs, responses), segments, plans and
//! plan-versus-actual, attribution and the reports over the stored leads, touchpoints,
//! purchases and opportunities, and the automation engine run from the event log with its
//! outbox of actions — each write one transaction with its events.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::customer::{Account, Contact, Purchase};
use crate::error::{Error, Result};
use crate::event::DomainEvent;
use crate::id::{
    AccountId, CampaignId, ContactId, LeadId, MarketingPlanId, OpportunityId, RecordRef,
    SalesOrderId, SegmentId,
};
use crate::lead::{Lead, LeadStatus};
use crate::marketing::attribution::{self, AttributionModel, Touch};
use crate::marketing::reports::{
    self, DealRow, DemographicsRow, Funnel, LeadRow, PerformanceRow, PipelineReport, PlanActualRow,
    ProductSalesRow, ReportFilter, SaleRow, TouchRow,
};
use crate::marketing::{
    Ad, Campaign, CampaignStatus, MarketingPlan, NewCampaign, PlanTarget, Predicate, Profile,
    Response, Segment, SegmentSubject,
};
use crate::money::{Currency, Money};
use crate::quote::document::SalesOrder;
use crate::quote::order::SalesOrderStatus;
use crate::sales::forecast::Period;
use crate::sales::{Opportunity, StageKind};
use crate::store::{EntityKind, ReadExt, ReadTx, RecordId, Store, WriteExt, WriteTx};
use crate::tracking::Touchpoint;

use super::{Crm, ensure_exists};

/// A campaign member and how far they went.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberResponse {
    /// The lead or contact.
    pub subject: RecordRef,
    /// Their furthest response.
    pub response: Response,
    /// When they last touched the campaign.
    #[serde(with = "crate::time::rfc3339_opt")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<chrono::DateTime<chrono::Utc>>")
    )]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub last_touch_at: Option<DateTime<Utc>>,
}

/// A segment after an evaluation.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentEvaluation {
    /// The segment, with its members.
    pub segment: Segment,
    /// Who joined.
    pub added: Vec<RecordRef>,
    /// Who left.
    pub removed: Vec<RecordRef>,
}

/// Revenue credited to one ad, affiliate, campaign or channel.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreditRow {
    /// `ad`, `affiliate`, `campaign` or `channel`.
    pub dimension: String,
    /// Its key.
    pub key: String,
    /// Revenue credited (exact).
    pub revenue: rust_decimal::Decimal,
    /// Touches credited.
    pub touches: usize,
    /// Deals it shares in.
    pub deals: usize,
}

/// Attribution of won revenue.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttributionReport {
    /// The model.
    pub model: AttributionModel,
    /// Won deals in the period with touches.
    pub deals: usize,
    /// Their revenue (equal to the sum of every dimension's credits).
    pub revenue: rust_decimal::Decimal,
    /// Won deals without any touch before the close (their revenue is not credited).
    pub deals_without_touches: usize,
    /// Deals in another currency than the report's, left out.
    pub skipped_other_currency: usize,
    /// Credits by ad, affiliate, campaign and channel.
    pub rows: Vec<CreditRow>,
}

/// The marketing reports at once.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MarketingReport {
    /// By ad, affiliate, campaign and channel.
    pub performance: Vec<PerformanceRow>,
    /// Lead → qualified → opportunity → won.
    pub funnel: Funnel,
    /// Pipeline by stage, win rates, sales cycle.
    pub pipeline: PipelineReport,
    /// Leads won in another currency, left out of revenue.
    pub skipped_other_currency: usize,
}

/// The sales reports at once.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SalesReport {
    /// Products × price by period.
    pub products: Vec<ProductSalesRow>,
    /// Customer demographics by product.
    pub demographics: Vec<DemographicsRow>,
    /// Sales in another currency, left out of the amounts.
    pub skipped_other_currency: usize,
}

/// The reads every report needs, gathered once.
struct Data {
    leads: Vec<Lead>,
    opportunities: HashMap<OpportunityId, Opportunity>,
    campaigns: Vec<Campaign>,
}

fn gather(tx: &dyn ReadTx) -> Result<Data> {
    Ok(Data {
        leads: tx.all()?,
        opportunities: tx
            .all::<Opportunity>()?
            .into_iter()
            .map(|o| (o.id, o))
            .collect(),
        campaigns: tx.all()?,
    })
}

fn channel_of(
    campaigns: &HashMap<&str, &Campaign>,
    campaign: Option<&str>,
    medium: Option<&str>,
    fallback: &str,
) -> String {
    campaign
        .and_then(|c| campaigns.get(c))
        .map(|c| c.channel.to_string())
        .or_else(|| medium.map(str::to_string))
        .unwrap_or_else(|| fallback.to_string())
}

fn lead_rows(d: &Data) -> Vec<LeadRow> {
    let by_code: HashMap<&str, &Campaign> =
        d.campaigns.iter().map(|c| (c.code.as_str(), c)).collect();
    d.leads
        .iter()
        .map(|l| {
            let a = &l.data.attribution;
            let conv = l.conversion.as_ref();
            let opp = conv
                .and_then(|c| c.opportunity)
                .and_then(|o| d.opportunities.get(&o));
            let won = opp.filter(|o| o.state == StageKind::Won);
            LeadRow {
                created_at: l.created_at,
                owner: l.data.owner.clone(),
                source: l.source.kind().to_string(),
                campaign: a.campaign.clone(),
                ad: a.ad.clone(),
                affiliate: a.affiliate.clone(),
                channel: channel_of(
                    &by_code,
                    a.campaign.as_deref(),
                    a.utm_medium.as_deref(),
                    "direct",
                ),
                qualified_at: l.qualified_at.or(conv.map(|c| c.at)),
                opportunity_at: opp.map(|_| conv.map_or(l.created_at, |c| c.at)),
                won_at: won.and_then(|o| o.closed_at),
                won_amount: won.map(|o| o.amount),
            }
        })
        .collect()
}

fn deal_rows(d: &Data) -> Vec<DealRow> {
    let campaign_of: HashMap<LeadId, Option<String>> = d
        .leads
        .iter()
        .map(|l| (l.id, l.data.attribution.campaign.clone()))
        .collect();
    let mut deals: Vec<&Opportunity> = d.opportunities.values().collect();
    deals.sort_by_key(|o| o.id);
    deals
        .into_iter()
        .map(|o| DealRow {
            created_at: o.created_at,
            closed_at: o.closed_at,
            state: match o.state {
                StageKind::Open => "open",
                StageKind::Won => "won",
                StageKind::Lost => "lost",
            }
            .into(),
            stage: o.stage.clone(),
            owner: o.owner.clone(),
            source: o.source.clone(),
            campaign: o
                .source_lead
                .and_then(|l| campaign_of.get(&l).cloned().flatten()),
            amount: o.amount,
        })
        .collect()
}

fn touch_rows(touchpoints: &[Touchpoint], campaigns: &[Campaign]) -> Vec<TouchRow> {
    let by_code: HashMap<&str, &Campaign> =
        campaigns.iter().map(|c| (c.code.as_str(), c)).collect();
    touchpoints
        .iter()
        .map(|t| {
            let a = &t.attribution;
            TouchRow {
                at: t.at,
                kind: t.kind.name().to_string(),
                campaign: a.campaign.clone(),
                ad: a.ad.clone(),
                affiliate: a.affiliate.clone(),
                channel: channel_of(
                    &by_code,
                    a.campaign.as_deref(),
                    a.utm_medium.as_deref(),
                    t.kind.name(),
                ),
            }
        })
        .collect()
}

pub(super) fn json_name<T: Serialize>(v: &T) -> Option<String> {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
}

pub(super) fn lead_fields(l: &Lead) -> BTreeMap<String, String> {
    let d = &l.data;
    let mut f = BTreeMap::new();
    let mut put = |k: &str, v: Option<String>| {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            f.insert(k.to_string(), v);
        }
    };
    put("first_name", d.first_name.clone());
    put("last_name", d.last_name.clone());
    put("company", d.company.clone());
    put("job_title", d.job_title.clone());
    put("email", d.email.as_ref().map(ToString::to_string));
    put("phone", d.phone.as_ref().map(ToString::to_string));
    put("website", d.website.clone());
    put("country", d.address.country.clone());
    put("city", d.address.city.clone());
    put("region", d.address.region.clone());
    put("owner", d.owner.clone());
    put("status", Some(l.status.name().to_string()));
    put("rating", d.rating.map(|r| r.to_string()));
    put("source", Some(l.source.kind().to_string()));
    put("campaign", d.attribution.campaign.clone());
    put("utm_source", d.attribution.utm_source.clone());
    put("utm_medium", d.attribution.utm_medium.clone());
    put("utm_campaign", d.attribution.utm_campaign.clone());
    put(
        "age_band",
        d.demographics.age_band.and_then(|x| json_name(&x)),
    );
    put("gender", d.demographics.gender.and_then(|x| json_name(&x)));
    put(
        "income_band",
        d.demographics.income_band.and_then(|x| json_name(&x)),
    );
    put("score", l.score.map(|s| s.to_string()));
    for (k, v) in &d.custom {
        put(
            &format!("custom:{}", k.to_lowercase()),
            Some(crate::custom::text_of(v)),
        );
    }
    f
}

pub(super) fn contact_fields(c: &Contact, account: Option<&Account>) -> BTreeMap<String, String> {
    let mut f = BTreeMap::new();
    let mut put = |k: &str, v: Option<String>| {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            f.insert(k.to_string(), v);
        }
    };
    put("first_name", c.first_name.clone());
    put("last_name", c.last_name.clone());
    put("job_title", c.job_title.clone());
    put("email", c.email.as_ref().map(ToString::to_string));
    let address = c.addresses.first();
    put(
        "country",
        address
            .and_then(|a| a.country.clone())
            .or_else(|| account.and_then(|a| a.address.country.clone())),
    );
    put("city", address.and_then(|a| a.city.clone()));
    put("owner", c.owner.clone());
    put(
        "age_band",
        c.demographics.age_band.and_then(|x| json_name(&x)),
    );
    put("gender", c.demographics.gender.and_then(|x| json_name(&x)));
    put(
        "income_band",
        c.demographics.income_band.and_then(|x| json_name(&x)),
    );
    if let Some(a) = account {
        put("company", Some(a.name.clone()));
        put("account.name", Some(a.name.clone()));
        put("account.industry", a.industry.clone());
        put("account.country", a.address.country.clone());
        put("industry", a.industry.clone());
    }
    for (model, value) in &c.predictions {
        put(
            &format!("prediction:{}", model.to_lowercase()),
            Some(value.to_string()),
        );
    }
    for (k, v) in &c.custom {
        put(
            &format!("custom:{}", k.to_lowercase()),
            Some(crate::custom::text_of(v)),
        );
    }
    f
}

/// Every lead's or contact's profile, from one pass over each kind of record.
fn profiles(tx: &dyn ReadTx, subject: SegmentSubject) -> Result<Vec<(RecordRef, Profile)>> {
    let mut touches: HashMap<RecordRef, Vec<(String, DateTime<Utc>)>> = HashMap::new();
    tx.for_each::<Touchpoint>(|t| {
        touches
            .entry(t.subject)
            .or_default()
            .push((t.kind.name().to_string(), t.at));
        Ok(())
    })?;
    let mut out = Vec::new();
    match subject {
        SegmentSubject::Leads => {
            tx.for_each::<Lead>(|l| {
                let r = RecordRef::Lead(l.id);
                out.push((
                    r,
                    Profile {
                        fields: lead_fields(&l),
                        purchases: Vec::new(),
                        touches: touches.remove(&r).unwrap_or_default(),
                        score: l.score,
                    },
                ));
                Ok(())
            })?;
        }
        SegmentSubject::Contacts => {
            let mut bought: HashMap<ContactId, Vec<(String, DateTime<Utc>)>> = HashMap::new();
            tx.for_each::<Purchase>(|p| {
                bought
                    .entry(p.contact)
                    .or_default()
                    .push((p.product.clone(), p.purchased_at));
                Ok(())
            })?;
            let accounts: HashMap<AccountId, Account> = tx
                .all::<Account>()?
                .into_iter()
                .map(|a| (a.id, a))
                .collect();
            tx.for_each::<Contact>(|c| {
                let r = RecordRef::Contact(c.id);
                let account = c.account.and_then(|a| accounts.get(&a));
                out.push((
                    r,
                    Profile {
                        fields: contact_fields(&c, account),
                        purchases: bought.remove(&c.id).unwrap_or_default(),
                        touches: touches.remove(&r).unwrap_or_default(),
                        score: None,
                    },
                ));
                Ok(())
            })?;
        }
    }
    Ok(out)
}

fn load_campaign(tx: &dyn ReadTx, code: &str) -> Result<Campaign> {
    tx.find::<Campaign>(Campaign::BY_CODE, code.trim())?
        .into_iter()
        .next()
        .ok_or_else(|| Error::not_found("campaign", code))
}

pub(super) fn load_segment(tx: &dyn ReadTx, name: &str) -> Result<Segment> {
    tx.find::<Segment>(Segment::BY_NAME, &name.trim().to_lowercase())?
        .into_iter()
        .next()
        .ok_or_else(|| Error::not_found("segment", name))
}

fn member_responses(tx: &dyn ReadTx, c: &Campaign) -> Result<Vec<MemberResponse>> {
    let mut by: BTreeMap<RecordRef, (Response, Option<DateTime<Utc>>)> = c
        .members
        .iter()
        .map(|m| (m.subject, (Response::Sent, None)))
        .collect();
    for t in tx.find::<Touchpoint>(Touchpoint::BY_CAMPAIGN, &c.code)? {
        let r = Response::of_touch(&t.kind);
        let e = by.entry(t.subject).or_insert((Response::Sent, None));
        e.0 = e.0.max(r);
        e.1 = Some(e.1.map_or(t.at, |x| x.max(t.at)));
    }
    let mut out = Vec::with_capacity(by.len());
    for (subject, (mut response, last)) in by {
        let converted = match subject {
            RecordRef::Lead(id) => tx
                .get::<Lead>(id)?
                .is_some_and(|l| l.status == LeadStatus::Converted),
            RecordRef::Contact(id) => match tx.get::<Contact>(id)?.and_then(|c| c.account) {
                Some(account) => tx
                    .find::<Opportunity>(Opportunity::BY_ACCOUNT, &account.to_string())?
                    .iter()
                    .any(|o| o.contact == Some(id) && o.state == StageKind::Won),
                None => false,
            },
            _ => false,
        };
        if converted {
            response = Response::Converted;
        }
        out.push(MemberResponse {
            subject,
            response,
            last_touch_at: last,
        });
    }
    Ok(out)
}

impl<S: Store> Crm<S> {
    // ---- campaigns -----------------------------------------------------------------------

    /// Creates a campaign (planned).
    ///
    /// # Errors
    /// [`Error::Validation`]; [`Error::Duplicate`] for a code in use; [`Error::NotFound`]
    /// for a segment that is not defined; [`Error::Storage`].
    pub fn create_campaign(&self, input: NewCampaign, now: DateTime<Utc>) -> Result<Campaign> {
        self.write(|tx| create_campaign_in(tx, input, now))
    }

    /// The campaign with `code`.
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::Storage`].
    pub fn campaign(&self, code: &str) -> Result<Campaign> {
        self.read(|tx| load_campaign(tx, code))
    }

    /// Every campaign.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn campaigns(&self) -> Result<Vec<Campaign>> {
        self.read(|tx| tx.all())
    }

    fn change_campaign(
        &self,
        code: &str,
        now: DateTime<Utc>,
        f: impl FnOnce(&mut dyn WriteTx, &mut Campaign) -> Result<()>,
    ) -> Result<Campaign> {
        self.write(|tx| {
            let mut c = load_campaign(tx, code)?;
            f(tx, &mut c)?;
            tx.update(&mut c)?;
            tx.emit(
                &DomainEvent::CampaignUpdated {
                    campaign: c.id,
                    status: c.status.to_string(),
                },
                now,
            )?;
            Ok(c)
        })
    }

    /// Moves a campaign to another status.
    ///
    /// # Errors
    /// [`Error::IllegalTransition`]; [`Error::NotFound`]; [`Error::Storage`].
    pub fn set_campaign_status(
        &self,
        code: &str,
        status: CampaignStatus,
        now: DateTime<Utc>,
    ) -> Result<Campaign> {
        self.change_campaign(code, now, |_, c| c.set_status(status))
    }

    /// Records an ad's cost and impressions so far (adding the ad if it is new).
    ///
    /// # Errors
    /// [`Error::CurrencyMismatch`] for a cost in another currency than the budget;
    /// [`Error::InvalidValue`] for a negative cost; [`Error::NotFound`]; [`Error::Storage`].
    pub fn record_ad_stats(
        &self,
        code: &str,
        ad: &str,
        cost: Money,
        impressions: usize,
        now: DateTime<Utc>,
    ) -> Result<Campaign> {
        self.change_campaign(code, now, |_, c| {
            check_cost(c, cost)?;
            match c.ads.iter_mut().find(|a| a.code == ad.trim()) {
                Some(a) => {
                    a.cost = cost;
                    a.impressions = impressions;
                }
                None => c.ads.push(Ad {
                    code: ad.trim().to_string(),
                    name: String::new(),
                    url: None,
                    cost,
                    impressions,
                }),
            }
            Ok(())
        })
    }

    /// Adds a cost beyond the ads' (printing, a venue).
    ///
    /// # Errors
    /// As [`Crm::record_ad_stats`].
    pub fn add_campaign_cost(
        &self,
        code: &str,
        cost: Money,
        now: DateTime<Utc>,
    ) -> Result<Campaign> {
        self.change_campaign(code, now, |_, c| {
            check_cost(c, cost)?;
            c.other_cost = c.other_cost.checked_add(&cost)?;
            Ok(())
        })
    }

    /// Adds leads or contacts to a campaign's members (those already in are kept once).
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown campaign or record; [`Error::InvalidValue`] for
    /// an account or opportunity; [`Error::Storage`].
    pub fn add_campaign_members(
        &self,
        code: &str,
        subjects: &[RecordRef],
        now: DateTime<Utc>,
    ) -> Result<Campaign> {
        self.change_campaign(code, now, |tx, c| {
            for s in subjects {
                if !matches!(s, RecordRef::Lead(_) | RecordRef::Contact(_)) {
                    return Err(Error::invalid(
                        "member",
                        s.key(),
                        "members are leads or contacts",
                    ));
                }
                ensure_exists(tx, *s)?;
            }
            c.add_members(subjects, now);
            Ok(())
        })
    }

    /// Adds the members of a segment (evaluated now) to a campaign.
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::Storage`].
    pub fn target_segment(
        &self,
        code: &str,
        segment: &str,
        now: DateTime<Utc>,
    ) -> Result<Campaign> {
        let members = self.evaluate_segment(segment, now)?.segment.members;
        self.change_campaign(code, now, |_, c| {
            if !c
                .segments
                .iter()
                .any(|s| s.eq_ignore_ascii_case(segment.trim()))
            {
                c.segments.push(segment.trim().to_string());
            }
            c.add_members(&members, now);
            Ok(())
        })
    }

    /// Each member's furthest response (sent, opened, clicked, responded, converted),
    /// from their touchpoints with the campaign's code; people who touched the campaign
    /// without being sent it are included.
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::Storage`].
    pub fn campaign_members(&self, code: &str) -> Result<Vec<MemberResponse>> {
        self.read(|tx| {
            let c = load_campaign(tx, code)?;
            member_responses(tx, &c)
        })
    }

    // ---- segments ------------------------------------------------------------------------

    /// Defines (or redefines) a segment and evaluates it.
    ///
    /// # Errors
    /// [`Error::Validation`] for a bad rule; [`Error::Storage`].
    pub fn define_segment(
        &self,
        name: &str,
        subject: SegmentSubject,
        rule: Predicate,
        now: DateTime<Utc>,
    ) -> Result<SegmentEvaluation> {
        Segment::check(name, &rule)?;
        self.write(|tx| {
            let existing = tx
                .find::<Segment>(Segment::BY_NAME, &name.trim().to_lowercase())?
                .into_iter()
                .next();
            let mut seg = match existing {
                Some(mut s) => {
                    s.subject = subject;
                    s.rule = rule;
                    s
                }
                None => Segment {
                    id: SegmentId::from_raw(tx.next_id(EntityKind::Segment)?),
                    version: crate::id::Version::NEW,
                    name: name.trim().to_string(),
                    subject,
                    rule,
                    members: Vec::new(),
                    pinned: Vec::new(),
                    evaluated_at: None,
                },
            };
            evaluate_in(tx, &mut seg, now)
        })
    }

    /// Re-evaluates a saved segment against the records as they are now.
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::Storage`].
    pub fn evaluate_segment(&self, name: &str, now: DateTime<Utc>) -> Result<SegmentEvaluation> {
        self.write(|tx| {
            let mut seg = load_segment(tx, name)?;
            evaluate_in(tx, &mut seg, now)
        })
    }

    /// A saved segment with its members at the last evaluation.
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::Storage`].
    pub fn segment(&self, name: &str) -> Result<Segment> {
        self.read(|tx| load_segment(tx, name))
    }

    // ---- plans ----------------------------------------------------------------------------

    /// Defines (or redefines) a marketing plan.
    ///
    /// # Errors
    /// [`Error::Validation`]; [`Error::Storage`].
    pub fn define_marketing_plan(
        &self,
        name: &str,
        targets: Vec<PlanTarget>,
        now: DateTime<Utc>,
    ) -> Result<MarketingPlan> {
        MarketingPlan::check(name, &targets)?;
        self.write(|tx| {
            let existing = tx
                .find::<MarketingPlan>(MarketingPlan::BY_NAME, &name.trim().to_lowercase())?
                .into_iter()
                .next();
            let mut plan = match existing {
                Some(mut p) => {
                    p.targets = targets;
                    p
                }
                None => MarketingPlan {
                    id: MarketingPlanId::from_raw(tx.next_id(EntityKind::MarketingPlan)?),
                    version: crate::id::Version::NEW,
                    name: name.trim().to_string(),
                    targets,
                },
            };
            tx.update(&mut plan)?;
            tx.emit(&DomainEvent::MarketingPlanDefined { plan: plan.id }, now)?;
            Ok(plan)
        })
    }

    /// Each target of a plan next to what happened: leads captured in its period from
    /// campaigns promoting the product group (a SKU prefix) in its geography (the lead's
    /// country; `*` for all), campaign responses of those campaigns in the period, and
    /// revenue won in the period on opportunities with a product of the group, for accounts
    /// in the geography (in the target's currency).
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::Storage`].
    pub fn plan_vs_actual(&self, name: &str) -> Result<Vec<PlanActualRow>> {
        self.read(|tx| {
            let plan = tx
                .find::<MarketingPlan>(MarketingPlan::BY_NAME, &name.trim().to_lowercase())?
                .into_iter()
                .next()
                .ok_or_else(|| Error::not_found("marketing plan", name))?;
            let d = gather(tx)?;
            let touches: Vec<Touchpoint> = tx.all()?;
            let accounts: HashMap<AccountId, Account> = tx
                .all::<Account>()?
                .into_iter()
                .map(|a| (a.id, a))
                .collect();
            let mut rows = Vec::new();
            for t in &plan.targets {
                let group = t.product_group.trim();
                let geo_ok = |c: Option<&str>| {
                    t.geography == "*"
                        || c.is_some_and(|c| c.eq_ignore_ascii_case(t.geography.trim()))
                };
                let in_day = |at: DateTime<Utc>| {
                    let day = at.date_naive();
                    t.starts_on <= day && day <= t.ends_on
                };
                let promoting: Vec<&str> = d
                    .campaigns
                    .iter()
                    .filter(|c| c.target_products.iter().any(|p| p.starts_with(group)))
                    .map(|c| c.code.as_str())
                    .collect();
                let leads = d
                    .leads
                    .iter()
                    .filter(|l| {
                        in_day(l.created_at)
                            && l.data
                                .attribution
                                .campaign
                                .as_deref()
                                .is_some_and(|c| promoting.contains(&c))
                            && geo_ok(l.data.address.country.as_deref())
                    })
                    .count() as u64;
                let responses = touches
                    .iter()
                    .filter(|x| {
                        in_day(x.at)
                            && x.attribution
                                .campaign
                                .as_deref()
                                .is_some_and(|c| promoting.contains(&c))
                            && Response::of_touch(&x.kind) >= Response::Clicked
                    })
                    .count() as u64;
                let mut revenue = rust_decimal::Decimal::ZERO;
                for o in d.opportunities.values() {
                    if o.state == StageKind::Won
                        && o.closed_at.is_some_and(in_day)
                        && o.amount.currency() == t.revenue.currency()
                        && o.products.iter().any(|p| p.starts_with(group))
                        && geo_ok(
                            accounts
                                .get(&o.account)
                                .and_then(|a| a.address.country.as_deref()),
                        )
                    {
                        revenue += o.amount.amount();
                    }
                }
                rows.push(PlanActualRow {
                    starts_on: t.starts_on,
                    ends_on: t.ends_on,
                    product_group: t.product_group.clone(),
                    geography: t.geography.clone(),
                    leads: (t.leads as u64, leads),
                    responses: (t.responses as u64, responses),
                    revenue: (t.revenue.amount(), revenue),
                });
            }
            Ok(rows)
        })
    }

    // ---- attribution and reports -----------------------------------------------------------

    /// Credits the revenue of deals won in the filter's period (in `currency`) to the
    /// touchpoints of their lead and contact before the close, under `model`, and sums the
    /// credits by ad, affiliate, campaign and channel. Each dimension's credits add up to
    /// the revenue of the deals whose touches carry that dimension.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for a bad model; [`Error::Storage`].
    pub fn attribution(
        &self,
        model: AttributionModel,
        currency: Currency,
        filter: &ReportFilter,
    ) -> Result<AttributionReport> {
        model.check()?;
        self.read(|tx| {
            let d = gather(tx)?;
            let by_code: HashMap<&str, &Campaign> =
                d.campaigns.iter().map(|c| (c.code.as_str(), c)).collect();
            let mut touches_of: HashMap<RecordRef, Vec<Touch>> = HashMap::new();
            tx.for_each::<Touchpoint>(|t| {
                let a = &t.attribution;
                touches_of.entry(t.subject).or_default().push(Touch {
                    at: t.at,
                    campaign: a.campaign.clone(),
                    ad: a.ad.clone(),
                    affiliate: a.affiliate.clone(),
                    channel: channel_of(
                        &by_code,
                        a.campaign.as_deref(),
                        a.utm_medium.as_deref(),
                        t.kind.name(),
                    ),
                });
                Ok(())
            })?;
            // (revenue, touches, deals) per key, per dimension.
            type Credits =
                BTreeMap<String, (rust_decimal::Decimal, u64, std::collections::BTreeSet<u64>)>;
            let mut acc: [Credits; 4] = Default::default();
            let (mut deals, mut without, mut skipped) = (0u64, 0u64, 0u64);
            let mut revenue = rust_decimal::Decimal::ZERO;
            let mut ids: Vec<&OpportunityId> = d.opportunities.keys().collect();
            ids.sort();
            for id in ids {
                let o = &d.opportunities[id];
                let Some(closed) = o.closed_at else { continue };
                if o.state != StageKind::Won || !filter.in_period(closed) {
                    continue;
                }
                if filter
                    .owner
                    .as_deref()
                    .is_some_and(|w| o.owner.as_deref() != Some(w))
                {
                    continue;
                }
                if o.amount.currency() != currency {
                    skipped += 1;
                    continue;
                }
                let mut touches: Vec<Touch> = Vec::new();
                if let Some(c) = o.contact {
                    touches.extend(
                        touches_of
                            .get(&RecordRef::Contact(c))
                            .cloned()
                            .unwrap_or_default(),
                    );
                }
                if let Some(l) = o.source_lead {
                    touches.extend(
                        touches_of
                            .get(&RecordRef::Lead(l))
                            .cloned()
                            .unwrap_or_default(),
                    );
                }
                if let Some(c) = &filter.campaign {
                    touches.retain(|t| t.campaign.as_deref() == Some(c.as_str()));
                }
                let credits = attribution::attribute(model, o.amount, &touches, closed)?;
                if credits.is_empty() {
                    without += 1;
                    continue;
                }
                deals += 1;
                revenue += o.amount.amount();
                for c in credits {
                    let t = &touches[c.touch];
                    let keys = [
                        t.ad.clone(),
                        t.affiliate.clone(),
                        t.campaign.clone(),
                        Some(t.channel.clone()),
                    ];
                    for (dim, k) in keys.into_iter().enumerate() {
                        if let Some(k) = k {
                            let e = acc[dim].entry(k).or_default();
                            e.0 += c.amount.amount();
                            e.1 += 1;
                            e.2.insert(id.get());
                        }
                    }
                }
            }
            let names = ["ad", "affiliate", "campaign", "channel"];
            let rows = acc
                .into_iter()
                .enumerate()
                .flat_map(|(i, m)| {
                    m.into_iter()
                        .map(move |(key, (revenue, touches, deals))| CreditRow {
                            dimension: names[i].into(),
                            key,
                            revenue,
                            touches: crate::tally(touches),
                            deals: deals.len(),
                        })
                })
                .collect();
            Ok(AttributionReport {
                model,
                deals: crate::tally(deals),
                revenue,
                deals_without_touches: crate::tally(without),
                skipped_other_currency: crate::tally(skipped),
                rows,
            })
        })
    }

    /// The marketing reports over the stored data: performance by ad, affiliate, campaign
    /// and channel (click-through and conversion rates, cost per lead and per acquisition,
    /// ROI, response rates), the funnel, and the pipeline (by stage, win rates by owner and
    /// source, sales cycle); amounts in `currency`.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn marketing_report(
        &self,
        currency: Currency,
        filter: &ReportFilter,
    ) -> Result<MarketingReport> {
        self.read(|tx| {
            let d = gather(tx)?;
            let touches = touch_rows(&tx.all::<Touchpoint>()?, &d.campaigns);
            let leads = lead_rows(&d);
            let mut responders = HashMap::new();
            for c in &d.campaigns {
                let members = member_responses(tx, c)?;
                let n = members.len() as u64;
                let r = members
                    .iter()
                    .filter(|m| m.response >= Response::Clicked)
                    .count() as u64;
                responders.insert(c.code.clone(), (n, r));
            }
            let (performance, skipped) = reports::performance(
                &touches,
                &leads,
                &d.campaigns,
                &responders,
                currency,
                filter,
            );
            Ok(MarketingReport {
                performance,
                funnel: reports::funnel(&leads, filter),
                pipeline: reports::pipeline(&deal_rows(&d), currency, filter),
                skipped_other_currency: crate::tally(skipped),
            })
        })
    }

    /// Products sold × price by period and customer demographics by product, from the
    /// recorded purchases (amounts in `currency`).
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn sales_report(
        &self,
        period: Period,
        currency: Currency,
        filter: &ReportFilter,
    ) -> Result<SalesReport> {
        self.read(|tx| {
            let accounts: HashMap<AccountId, Account> = tx
                .all::<Account>()?
                .into_iter()
                .map(|a| (a.id, a))
                .collect();
            let contacts: HashMap<ContactId, BTreeMap<String, String>> = tx
                .all::<Contact>()?
                .into_iter()
                .map(|c| {
                    let a = c.account.and_then(|a| accounts.get(&a));
                    (c.id, contact_fields(&c, a))
                })
                .collect();
            let mut sales = Vec::new();
            // an order's purchases are its lines, reported below with their discounts;
            // they give the order its buyer and rep
            let mut order_buyers: HashMap<
                SalesOrderId,
                (BTreeMap<String, String>, Option<String>),
            > = HashMap::new();
            tx.for_each::<Purchase>(|p| {
                let f = contacts.get(&p.contact);
                let buyer: BTreeMap<String, String> =
                    ["age_band", "gender", "income_band", "country"]
                        .into_iter()
                        .filter_map(|k| {
                            f.and_then(|f| f.get(k)).map(|v| (k.to_string(), v.clone()))
                        })
                        .collect();
                if let Some(order) = p.sales_order {
                    order_buyers.insert(order, (buyer, p.sales_rep.clone()));
                    return Ok(());
                }
                sales.push(SaleRow {
                    at: p.purchased_at,
                    product: p.product.clone(),
                    quantity: p.quantity,
                    unit_price: p.unit_price,
                    discount: Money::zero(p.unit_price.currency()),
                    buyer,
                    owner: p.sales_rep.clone(),
                    net: None,
                });
                Ok(())
            })?;
            // Sales-order lines, priced: their discounts and net amounts as ordered.
            tx.for_each::<SalesOrder>(|o| {
                if o.status == SalesOrderStatus::Cancelled {
                    return Ok(());
                }
                let account = accounts.get(&o.content.account);
                let (mut buyer, rep) = order_buyers.remove(&o.id).unwrap_or_default();
                if let Some(c) = account.and_then(|a| a.address.country.clone()) {
                    buyer.entry("country".to_string()).or_insert(c);
                }
                let owner = rep.or_else(|| account.and_then(|a| a.owner.clone()));
                for (line, priced) in o.content.lines.iter().zip(&o.priced.lines) {
                    sales.push(SaleRow {
                        at: o.created_at,
                        product: line.sku.clone().unwrap_or_else(|| line.description.clone()),
                        quantity: line.price.quantity,
                        unit_price: line.price.unit_price,
                        discount: priced.discount,
                        buyer: buyer.clone(),
                        owner: owner.clone(),
                        net: Some(priced.net),
                    });
                }
                Ok(())
            })?;
            let (products, skipped) = reports::products_sold(&sales, period, currency, filter);
            Ok(SalesReport {
                products,
                demographics: reports::demographics_by_product(&sales, filter),
                skipped_other_currency: crate::tally(skipped),
            })
        })
    }
}

fn check_cost(c: &Campaign, cost: Money) -> Result<()> {
    if cost.currency() != c.budget.currency() {
        return Err(Error::CurrencyMismatch {
            left: c.budget.currency().code().into(),
            right: cost.currency().code().into(),
        });
    }
    if cost.is_negative() {
        return Err(Error::invalid(
            "cost",
            cost.to_string(),
            "must not be negative",
        ));
    }
    Ok(())
}

fn evaluate_in(
    tx: &mut dyn WriteTx,
    seg: &mut Segment,
    now: DateTime<Utc>,
) -> Result<SegmentEvaluation> {
    let mut members: Vec<RecordRef> = profiles(tx, seg.subject)?
        .into_iter()
        .filter(|(_, p)| seg.rule.matches(p, now))
        .map(|(r, _)| r)
        .collect();
    for p in &seg.pinned {
        if !members.contains(p) {
            members.push(*p);
        }
    }
    members.sort();
    let added: Vec<RecordRef> = members
        .iter()
        .filter(|m| seg.members.binary_search(m).is_err())
        .copied()
        .collect();
    let removed: Vec<RecordRef> = seg
        .members
        .iter()
        .filter(|m| members.binary_search(m).is_err())
        .copied()
        .collect();
    seg.members = members;
    seg.evaluated_at = Some(now);
    tx.update(seg)?;
    tx.emit(
        &DomainEvent::SegmentEvaluated {
            segment: seg.id,
            members: seg.members.len() as u64,
            added: added.len() as u64,
            removed: removed.len() as u64,
        },
        now,
    )?;
    Ok(SegmentEvaluation {
        segment: seg.clone(),
        added,
        removed,
    })
}

/// [`Crm::create_campaign`] inside a write transaction.
pub(crate) fn create_campaign_in(
    tx: &mut dyn WriteTx,
    input: NewCampaign,
    now: DateTime<Utc>,
) -> Result<Campaign> {
    input.check()?;
    if !tx
        .find_ids(EntityKind::Campaign, Campaign::BY_CODE, input.code.trim())?
        .is_empty()
    {
        return Err(Error::Duplicate {
            kind: "campaign".into(),
            reason: format!("code {:?} is in use", input.code.trim()),
        });
    }
    for s in &input.segments {
        load_segment(tx, s)?;
    }
    let c = tx.insert(|id: CampaignId| Campaign::new(id, input))?;
    tx.emit(
        &DomainEvent::CampaignCreated {
            campaign: c.id,
            code: c.code.clone(),
        },
        now,
    )?;
    Ok(c)
}
