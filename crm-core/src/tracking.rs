//! Prospect tracking: touchpoints — what a lead or contact did, where and when — with
//! source, campaign, ad, affiliate and UTM fields, for engagement scoring and attribution.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::id::{RecordRef, TouchpointId};
use crate::lead::Attribution;
use crate::store::{EntityKind, impl_entity};

/// Direction of a phone call.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallDirection {
    /// The prospect called us.
    Inbound,
    /// We called the prospect.
    Outbound,
}

/// What happened, with what only that kind of touch carries.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TouchpointKind {
    /// Clicked an ad.
    AdClick,
    /// Clicked an affiliate's link.
    AffiliateClick,
    /// Opened one of our e-mails (a tracking pixel loaded).
    EmailOpen {
        /// The e-mail (template or message id), if known.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        email: Option<String>,
    },
    /// Clicked a link in one of our e-mails.
    EmailClick {
        /// The e-mail (template or message id), if known.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        email: Option<String>,
        /// The link's URL.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        url: Option<String>,
    },
    /// Submitted a web form.
    FormSubmission {
        /// The form's name.
        form: String,
    },
    /// Visited a page of our site.
    WebVisit {
        /// The page.
        url: String,
        /// Seconds on the page, if measured.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        duration_secs: Option<u32>,
    },
    /// Came to one of our sites or a trade-show booth in person.
    OnSiteVisit {
        /// Where.
        location: String,
    },
    /// A phone call.
    PhoneCall {
        /// Who called.
        direction: CallDirection,
        /// Seconds.
        duration_secs: u32,
        /// What came of it, in a word or two.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        outcome: Option<String>,
    },
}

impl TouchpointKind {
    /// The kind's name (`ad_click`, `web_visit`, …).
    pub fn name(&self) -> &'static str {
        match self {
            TouchpointKind::AdClick => "ad_click",
            TouchpointKind::AffiliateClick => "affiliate_click",
            TouchpointKind::EmailOpen { .. } => "email_open",
            TouchpointKind::EmailClick { .. } => "email_click",
            TouchpointKind::FormSubmission { .. } => "form_submission",
            TouchpointKind::WebVisit { .. } => "web_visit",
            TouchpointKind::OnSiteVisit { .. } => "on_site_visit",
            TouchpointKind::PhoneCall { .. } => "phone_call",
        }
    }

    /// Every kind name, in a stable order (the engagement-feature order of scoring).
    pub const NAMES: [&'static str; 8] = [
        "ad_click",
        "affiliate_click",
        "email_open",
        "email_click",
        "form_submission",
        "web_visit",
        "on_site_visit",
        "phone_call",
    ];
}

/// One touch, as stored.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Touchpoint {
    /// Id, assigned by the store.
    pub id: TouchpointId,
    /// Version.
    pub version: crate::id::Version,
    /// Whose touch (a lead or a contact; conversion moves it to the contact).
    pub subject: RecordRef,
    /// When it happened.
    #[serde(with = "crate::time::rfc3339")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::DateTime<chrono::Utc>"))]
    pub at: DateTime<Utc>,
    /// What happened.
    pub kind: TouchpointKind,
    /// Where it came from: campaign, ad, affiliate, UTM fields.
    #[serde(default)]
    pub attribution: Attribution,
}

impl_entity!(Touchpoint, TouchpointId, EntityKind::Touchpoint, |t| [
    Some(t.subject.key()),
    t.attribution.campaign.clone(),
    t.attribution.ad.clone(),
    t.attribution.affiliate.clone(),
    None,
    None
]);

/// Index slots of touchpoints.
impl Touchpoint {
    /// Slot of the subject key (`lead:7`).
    pub const BY_SUBJECT: usize = 0;
    /// Slot of the campaign.
    pub const BY_CAMPAIGN: usize = 1;
    /// Slot of the ad.
    pub const BY_AD: usize = 2;
    /// Slot of the affiliate.
    pub const BY_AFFILIATE: usize = 3;
}

/// A touch to record: everything but the id.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewTouchpoint {
    /// Whose touch. Touches hang on leads and contacts only.
    pub subject: RecordRef,
    /// When.
    #[serde(with = "crate::time::rfc3339")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::DateTime<chrono::Utc>"))]
    pub at: DateTime<Utc>,
    /// What.
    pub kind: TouchpointKind,
    /// Campaign, ad, affiliate, UTM fields.
    #[serde(default)]
    pub attribution: Attribution,
}

impl NewTouchpoint {
    /// Checks the touch.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] when the subject is not a lead or contact, or a URL, form or
    /// location is blank.
    pub fn check(&self) -> Result<()> {
        if !matches!(self.subject, RecordRef::Lead(_) | RecordRef::Contact(_)) {
            return Err(Error::invalid(
                "subject",
                self.subject.key(),
                "touchpoints belong to a lead or a contact",
            ));
        }
        let blank = |field: &str, v: &str| {
            if v.trim().is_empty() {
                Err(Error::invalid(field, v, "must not be blank"))
            } else {
                Ok(())
            }
        };
        match &self.kind {
            TouchpointKind::WebVisit { url, .. } => blank("url", url),
            TouchpointKind::FormSubmission { form } => blank("form", form),
            TouchpointKind::OnSiteVisit { location } => blank("location", location),
            _ => Ok(()),
        }
    }
}
