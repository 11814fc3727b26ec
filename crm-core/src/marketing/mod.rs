//! Marketing: campaigns and planning ([`campaign`]), segments ([`segment`]), attribution
//! of won revenue to touchpoints ([`attribution`]) and the marketing and sales reports
//! ([`reports`]).

pub mod attribution;
pub mod automation;
pub mod campaign;
pub mod columns;
pub mod reports;
pub mod segment;

pub use attribution::{AttributionModel, Credit, Touch, attribute};
pub use campaign::{
    Ad, Campaign, CampaignChannel, CampaignMember, CampaignStatus, MarketingPlan, NewCampaign,
    PlanTarget, Response,
};
pub use segment::{Predicate, Profile, Segment, SegmentSubject};
