//! Web-to-lead forms: a form definition maps submitted field names onto lead fields, with
//! required fields, a honeypot field, a minimum fill time and a resubmission window.
//!
//! [`WebForm::read_submission`] turns a submission into a [`LeadInput`] and then into
//! [`LeadData`] or an error listing every problem; the facade
//! ([`crate::Crm::submit_web_form`]) adds the resubmission check against stored leads.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::consent::{Channel, Purpose};

use crate::contact_info::Region;
use crate::error::{Error, Problems, Result};
use crate::id::WebFormId;
use crate::lead::{LeadData, LeadField, LeadInput};
use crate::store::impl_entity;

/// One field of a form.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormField {
    /// The name the form posts (`your-email`).
    pub name: String,
    /// The lead field it fills.
    pub maps_to: LeadField,
    /// Whether a submission without it is refused.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub required: bool,
}

/// A web form's definition, as stored.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebForm {
    /// Id, assigned by the store.
    pub id: WebFormId,
    /// Version.
    pub version: crate::id::Version,
    /// A name people recognise ("Contact us").
    pub name: String,
    /// The fields it posts.
    pub fields: Vec<FormField>,
    /// A field hidden from people: a submission that fills it is spam.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub honeypot: Option<String>,
    /// A second submission with the same e-mail within this many seconds is refused as a
    /// duplicate (0: never).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub resubmission_window_secs: i64,
    /// Submissions made faster than this many seconds after the form was shown are spam
    /// (checked when the host passes the time the form was rendered).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub min_fill_secs: Option<i64>,
    /// Region for phone numbers given without a country code.
    pub default_region: Region,
    /// Values every lead from this form gets unless the submission sets them
    /// (campaign, owner…).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub defaults: BTreeMap<LeadField, String>,
    /// Consent checkboxes: a submission that ticks one grants that consent to the lead,
    /// with the form, the address and the wording as proof.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub consents: Vec<FormConsent>,
}

impl_entity!(WebForm, WebFormId, crate::store::EntityKind::WebForm, |f| [
    Some(f.name.trim().to_lowercase()),
    None,
    None,
    None,
    None,
    None
]);

impl WebForm {
    /// Slot of the lower-cased name.
    pub const BY_NAME: usize = 0;
}

/// A form definition before it is stored.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebFormSpec {
    /// See [`WebForm::name`].
    pub name: String,
    /// See [`WebForm::fields`].
    pub fields: Vec<FormField>,
    /// See [`WebForm::honeypot`].
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub honeypot: Option<String>,
    /// See [`WebForm::resubmission_window_secs`].
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub resubmission_window_secs: i64,
    /// See [`WebForm::min_fill_secs`].
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub min_fill_secs: Option<i64>,
    /// See [`WebForm::default_region`].
    pub default_region: Region,
    /// See [`WebForm::defaults`].
    #[serde(default)]
    pub defaults: BTreeMap<LeadField, String>,
    /// See [`WebForm::consents`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub consents: Vec<FormConsent>,
}

impl WebFormSpec {
    /// A form named `name` reading phone numbers in `region`, with no fields yet.
    pub fn new(name: impl Into<String>, region: Region) -> Self {
        WebFormSpec {
            name: name.into(),
            fields: Vec::new(),
            honeypot: None,
            resubmission_window_secs: 0,
            min_fill_secs: None,
            default_region: region,
            defaults: BTreeMap::new(),
            consents: Vec::new(),
        }
    }

    /// Adds a consent checkbox (builder style): ticking `field` grants consent for
    /// `channel` and `purpose`.
    pub fn consent(mut self, field: &str, channel: Channel, purpose: Purpose) -> Self {
        self.consents.push(FormConsent {
            field: field.to_string(),
            channel,
            purpose,
            text: None,
        });
        self
    }

    /// Adds a field (builder style).
    #[must_use]
    pub fn field(mut self, name: &str, maps_to: LeadField, required: bool) -> Self {
        self.fields.push(FormField {
            name: name.to_string(),
            maps_to,
            required,
        });
        self
    }

    /// Sets the honeypot field (builder style).
    #[must_use]
    pub fn honeypot(mut self, name: &str) -> Self {
        self.honeypot = Some(name.to_string());
        self
    }

    /// Sets the resubmission window (builder style).
    #[must_use]
    pub fn resubmission_window(mut self, window: Duration) -> Self {
        self.resubmission_window_secs = window.num_seconds();
        self
    }

    /// Sets a default value (builder style).
    #[must_use]
    pub fn default_value(mut self, field: LeadField, value: &str) -> Self {
        self.defaults.insert(field, value.to_string());
        self
    }

    /// Checks the definition.
    ///
    /// # Errors
    /// [`Error::Validation`] when the name is blank, a field name is blank or repeated, two
    /// fields fill the same lead field, the honeypot is also a field, or a duration is
    /// negative.
    pub fn check(&self) -> Result<()> {
        let mut p = Problems::new();
        if self.name.trim().is_empty() {
            p.push("name", "a form needs a name");
        }
        if self.fields.is_empty() {
            p.push("fields", "a form needs at least one field");
        }
        let mut names = std::collections::HashSet::new();
        let mut targets = std::collections::HashSet::new();
        for f in &self.fields {
            if f.name.trim().is_empty() {
                p.push("fields", "a field has a blank name");
            } else if !names.insert(f.name.as_str()) {
                p.push(f.name.clone(), "field name used twice");
            }
            if !targets.insert(&f.maps_to) {
                p.push(
                    f.name.clone(),
                    format!("{} is filled by two fields", f.maps_to.name()),
                );
            }
        }
        if let Some(h) = &self.honeypot
            && names.contains(h.as_str())
        {
            p.push(h.clone(), "the honeypot cannot also be a field");
        }
        for c in &self.consents {
            if c.field.trim().is_empty() {
                p.push("consents", "a consent checkbox has a blank name");
            } else if !names.insert(c.field.as_str())
                || self.honeypot.as_deref() == Some(c.field.as_str())
            {
                p.push(
                    c.field.clone(),
                    "a consent checkbox needs a field name of its own",
                );
            }
        }
        if self.resubmission_window_secs < 0 {
            p.push("resubmission_window_secs", "must not be negative");
        }
        if self.min_fill_secs.is_some_and(|s| s < 0) {
            p.push("min_fill_secs", "must not be negative");
        }
        p.finish(())
    }
}

impl WebForm {
    /// The stored form for a checked `spec`.
    pub fn from_spec(id: WebFormId, spec: WebFormSpec) -> Self {
        WebForm {
            id,
            version: crate::id::Version::NEW,
            name: spec.name,
            fields: spec.fields,
            honeypot: spec.honeypot,
            resubmission_window_secs: spec.resubmission_window_secs,
            min_fill_secs: spec.min_fill_secs,
            default_region: spec.default_region,
            defaults: spec.defaults,
            consents: spec.consents,
        }
    }

    /// The consents a submission's ticked checkboxes give (`on`, `true`, `yes`, `1`,
    /// `checked`, as browsers and form tools post them).
    pub fn consents_given<'a>(&'a self, submission: &Submission) -> Vec<&'a FormConsent> {
        self.consents
            .iter()
            .filter(|c| {
                submission.fields.get(&c.field).is_some_and(|v| {
                    matches!(
                        v.trim().to_lowercase().as_str(),
                        "on" | "true" | "yes" | "1" | "checked" | "y"
                    )
                })
            })
            .collect()
    }

    /// Reads a submission into lead data.
    ///
    /// Field names the form does not declare are ignored (forms carry buttons and
    /// tracking fields); declared fields fill their lead fields; defaults fill what the
    /// submission left empty.
    ///
    /// # Errors
    /// [`Error::Spam`] when the honeypot is filled or the form was filled faster than
    /// `min_fill_secs`; [`Error::Validation`] listing every missing required field and
    /// every value that does not parse, by the form's field names.
    pub fn read_submission(&self, submission: &Submission) -> Result<LeadData> {
        if let Some(h) = &self.honeypot
            && submission
                .fields
                .get(h)
                .is_some_and(|v| !v.trim().is_empty())
        {
            return Err(Error::Spam {
                reason: format!("honeypot field {h:?} was filled"),
            });
        }
        if let (Some(min), Some(shown)) = (self.min_fill_secs, submission.rendered_at) {
            let took = (submission.submitted_at - shown).num_seconds();
            if took < min {
                return Err(Error::Spam {
                    reason: format!("form filled in {took} s, faster than {min} s"),
                });
            }
        }
        let mut problems = Problems::new();
        let mut missing: Vec<&str> = Vec::new();
        let mut input = LeadInput::new();
        for (field, value) in &self.defaults {
            input.set(field.clone(), value.clone());
        }
        for f in &self.fields {
            match submission
                .fields
                .get(&f.name)
                .filter(|v| !v.trim().is_empty())
            {
                Some(v) => input.set(f.maps_to.clone(), v.clone()),
                None if f.required => {
                    missing.push(&f.name);
                    problems.push(f.name.clone(), "is required");
                }
                None => {}
            }
        }
        let parsed = input.parse(self.default_region);
        match parsed {
            Ok(data) => problems.finish(data),
            Err(err) => {
                // Report parse problems under the form's own field names.
                for pr in err.problems() {
                    let name = self
                        .fields
                        .iter()
                        .find(|f| f.maps_to.name() == pr.field)
                        .map_or(pr.field.clone(), |f| f.name.clone());
                    // A missing required field is reported once, in the form's words.
                    if !missing.contains(&name.as_str()) {
                        problems.push(name, pr.reason);
                    }
                }
                Err(Error::Validation {
                    problems: problems.into_vec(),
                })
            }
        }
    }
}

/// A consent checkbox of a web form.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormConsent {
    /// The name the checkbox posts (`newsletter-optin`).
    pub field: String,
    /// The channel it consents to.
    pub channel: Channel,
    /// What for.
    pub purpose: Purpose,
    /// The wording next to the checkbox, kept as proof.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub text: Option<String>,
}

/// One posted form.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Submission {
    /// The posted values by field name.
    pub fields: BTreeMap<String, String>,
    /// When it was posted.
    #[serde(with = "crate::time::rfc3339")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::DateTime<chrono::Utc>"))]
    pub submitted_at: DateTime<Utc>,
    /// When the form was shown, if the host knows (enables the minimum-fill-time check).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(with = "crate::time::rfc3339_opt")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<chrono::DateTime<chrono::Utc>>")
    )]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub rendered_at: Option<DateTime<Utc>>,
    /// The address it came from, if the host knows (kept as proof of consents given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub ip: Option<String>,
}

impl Submission {
    /// A submission of `fields` at `submitted_at`.
    pub fn new<'a>(
        fields: impl IntoIterator<Item = (&'a str, &'a str)>,
        submitted_at: DateTime<Utc>,
    ) -> Self {
        Submission {
            fields: fields
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            submitted_at,
            rendered_at: None,
            ip: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> WebForm {
        let spec = WebFormSpec::new("Contact us", Region::parse("US").unwrap())
            .field("your-name", LeadField::FullName, true)
            .field("your-email", LeadField::Email, true)
            .field("company", LeadField::Company, false)
            .field("tel", LeadField::Phone, false)
            .honeypot("website2")
            .default_value(LeadField::Campaign, "spring-webinar");
        spec.check().unwrap();
        WebForm::from_spec(WebFormId::new(1).unwrap(), spec)
    }

    #[test]
    fn a_good_submission_becomes_lead_data() {
        let s = Submission::new(
            [
                ("your-name", "Grace Hopper"),
                ("your-email", "grace@navy.mil"),
                ("submit", "Send"),
            ],
            DateTime::<Utc>::UNIX_EPOCH,
        );
        let data = form().read_submission(&s).unwrap();
        assert_eq!(data.last_name.as_deref(), Some("Hopper"));
        assert_eq!(data.attribution.campaign.as_deref(), Some("spring-webinar"));
    }

    #[test]
    fn every_problem_is_listed_under_form_names() {
        let s = Submission::new(
            [("your-email", "nope"), ("tel", "12")],
            DateTime::<Utc>::UNIX_EPOCH,
        );
        let err = form().read_submission(&s).unwrap_err();
        let fields: Vec<String> = err.problems().into_iter().map(|p| p.field).collect();
        assert!(fields.contains(&"your-name".to_string()), "{fields:?}");
        assert!(fields.contains(&"your-email".to_string()), "{fields:?}");
        assert!(fields.contains(&"tel".to_string()), "{fields:?}");
    }

    #[test]
    fn honeypot_and_speed_are_spam() {
        let mut s = Submission::new(
            [
                ("your-name", "Bot"),
                ("your-email", "b@bot.com"),
                ("website2", "x"),
            ],
            DateTime::<Utc>::UNIX_EPOCH,
        );
        assert_eq!(form().read_submission(&s).unwrap_err().code(), "spam");
        s.fields.remove("website2");
        let mut f = form();
        f.min_fill_secs = Some(3);
        s.rendered_at = Some(s.submitted_at - Duration::seconds(1));
        assert_eq!(f.read_submission(&s).unwrap_err().code(), "spam");
    }

    #[test]
    fn bad_definitions_are_refused() {
        let spec = WebFormSpec::new(" ", Region::parse("US").unwrap())
            .field("a", LeadField::Email, true)
            .field("a", LeadField::Email, false)
            .honeypot("a");
        assert_eq!(spec.check().unwrap_err().problems().len(), 4);
    }
}
