//! Leads: what a prospect told us, where they came from, and how far qualification got.
//!
//! A [`LeadInput`] is raw text keyed by [`LeadField`] — what a person typed, a web form
//! posted or a CSV row held. [`LeadInput::parse`] turns it into [`LeadData`] (parsed
//! e-mail, E.164 phone, demographics…) or an [`Error::Validation`] listing every problem.
//! A [`Lead`] is stored `LeadData` plus its source, status machine, rating and score.

pub mod dedup;
pub mod import;
pub mod webform;

use std::collections::BTreeMap;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::contact_info::{Address, Email, Phone, Region, clean_text};
use crate::error::{Error, Problems, Result};
use crate::id::{AccountId, ContactId, LeadId, OpportunityId, RecordRef, WebFormId};
use crate::store::{EntityKind, impl_entity};
use dedup::DedupRecord;

/// Where a lead came from.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeadSource {
    /// Typed in by a person.
    Manual,
    /// Posted through a web form.
    WebForm {
        /// The form's id.
        form: WebFormId,
    },
    /// Imported from a CSV file.
    CsvImport {
        /// The import batch label the host gave (usually the file name).
        batch: String,
        /// The 1-based data row in that file.
        row: u64,
    },
    /// Created through the host's API.
    Api,
}

impl LeadSource {
    /// A short name of the kind of source (`manual`, `web_form`, `csv_import`, `api`).
    pub fn kind(&self) -> &'static str {
        match self {
            LeadSource::Manual => "manual",
            LeadSource::WebForm { .. } => "web_form",
            LeadSource::CsvImport { .. } => "csv_import",
            LeadSource::Api => "api",
        }
    }
}

macro_rules! text_enum {
    ($(#[$doc:meta])* $name:ident, $what:literal, { $($(#[$vdoc:meta])* $variant:ident => $text:literal $(| $alias:literal)*),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        pub enum $name {
            $($(#[$vdoc])* #[serde(rename = $text)] $variant,)+
        }

        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The canonical text form.
            pub const fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)+ }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::error::Error;
            fn from_str(s: &str) -> $crate::error::Result<Self> {
                let t = s.trim().to_ascii_lowercase();
                match t.as_str() {
                    $($text $(| $alias)* => Ok($name::$variant),)+
                    _ => Err($crate::error::Error::invalid($what, s, concat!("expected one of:" $(, " ", $text)+))),
                }
            }
        }
    };
}
pub(crate) use text_enum;

text_enum!(
    /// How promising a lead looks.
    Rating, "rating", {
        /// Ready to buy.
        Hot => "hot",
        /// Interested.
        Warm => "warm",
        /// Little sign of interest.
        Cold => "cold",
    }
);

text_enum!(
    /// Age band, for demographics reports and scoring.
    AgeBand, "age band", {
        /// 18–24.
        From18To24 => "18-24",
        /// 25–34.
        From25To34 => "25-34",
        /// 35–44.
        From35To44 => "35-44",
        /// 45–54.
        From45To54 => "45-54",
        /// 55–64.
        From55To64 => "55-64",
        /// 65 and over.
        From65 => "65+" | "65-",
    }
);

text_enum!(
    /// Gender as the person stated it.
    Gender, "gender", {
        /// Female.
        Female => "female" | "f",
        /// Male.
        Male => "male" | "m",
        /// Non-binary or another gender.
        Other => "other" | "non-binary" | "nonbinary",
        /// Chose not to say.
        Undisclosed => "undisclosed" | "prefer not to say",
    }
);

text_enum!(
    /// Household income band.
    IncomeBand, "income band", {
        /// Low income.
        Low => "low",
        /// Lower-middle income.
        LowerMiddle => "lower_middle" | "lower-middle",
        /// Middle income.
        Middle => "middle",
        /// Upper-middle income.
        UpperMiddle => "upper_middle" | "upper-middle",
        /// High income.
        High => "high",
    }
);

/// Optional demographics of a person (used by reports and scoring).
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Demographics {
    /// Age band.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub age_band: Option<AgeBand>,
    /// Gender.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub gender: Option<Gender>,
    /// Household income band.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub income_band: Option<IncomeBand>,
}

impl Demographics {
    /// Whether nothing is known.
    pub fn is_empty(&self) -> bool {
        *self == Demographics::default()
    }
}

/// Which campaign, ad or affiliate brought the lead, with the UTM fields of its landing URL.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Attribution {
    /// Campaign name or code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub campaign: Option<String>,
    /// Ad identifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub ad: Option<String>,
    /// Affiliate identifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub affiliate: Option<String>,
    /// `utm_source`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub utm_source: Option<String>,
    /// `utm_medium`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub utm_medium: Option<String>,
    /// `utm_campaign`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub utm_campaign: Option<String>,
    /// `utm_term`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub utm_term: Option<String>,
    /// `utm_content`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub utm_content: Option<String>,
}

impl Attribution {
    /// Whether nothing is known.
    pub fn is_empty(&self) -> bool {
        *self == Attribution::default()
    }
}

/// A field of a lead that raw input (a form, a CSV column) can be mapped onto.
///
/// Serialised as its [`LeadField::name`] (`"email"`, `"custom:industry"`), so that it can
/// be a JSON object key (lead inputs and form defaults are maps keyed by field).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LeadField {
    /// Given name.
    FirstName,
    /// Family name.
    LastName,
    /// Given and family name in one field ("Ada Lovelace"); split at the last space.
    FullName,
    /// Company name.
    Company,
    /// Job title.
    JobTitle,
    /// E-mail address.
    Email,
    /// Phone number.
    Phone,
    /// Web site.
    Website,
    /// Street.
    Street,
    /// City.
    City,
    /// Postal code.
    PostalCode,
    /// State or region.
    Region,
    /// Country (ISO 3166-1 alpha-2); also the region phone numbers are read in.
    Country,
    /// Age band (`25-34`).
    AgeBand,
    /// Gender.
    Gender,
    /// Income band.
    IncomeBand,
    /// Campaign.
    Campaign,
    /// Ad.
    Ad,
    /// Affiliate.
    Affiliate,
    /// `utm_source`.
    UtmSource,
    /// `utm_medium`.
    UtmMedium,
    /// `utm_campaign`.
    UtmCampaign,
    /// `utm_term`.
    UtmTerm,
    /// `utm_content`.
    UtmContent,
    /// Owner (sales rep).
    Owner,
    /// Free-text description or message.
    Description,
    /// Rating (hot / warm / cold).
    Rating,
    /// A custom field, kept verbatim under this name.
    Custom(String),
}

impl LeadField {
    /// The field's name as used in mappings (`first_name`, `custom:industry`).
    pub fn name(&self) -> String {
        match self {
            LeadField::Custom(name) => format!("custom:{name}"),
            other => NAMED
                .iter()
                .find(|(f, _)| f == other)
                .map(|(_, n)| (*n).to_string())
                .unwrap_or_default(),
        }
    }

    /// Guesses the lead field for a CSV header or form field name (`"E-mail"`, `"first name"`,
    /// `"utm_source"`); unknown names map to [`LeadField::Custom`].
    pub fn guess(header: &str) -> LeadField {
        let key: String = header
            .trim()
            .to_ascii_lowercase()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        match key.as_str() {
            "firstname" | "givenname" | "first" | "forename" => LeadField::FirstName,
            "lastname" | "surname" | "familyname" | "last" => LeadField::LastName,
            "name" | "fullname" | "contactname" => LeadField::FullName,
            "company" | "companyname" | "organization" | "organisation" | "account" => {
                LeadField::Company
            }
            "title" | "jobtitle" | "position" | "role" => LeadField::JobTitle,
            "email" | "emailaddress" | "mail" => LeadField::Email,
            "phone" | "phonenumber" | "telephone" | "tel" | "mobile" => LeadField::Phone,
            "website" | "web" | "url" | "site" => LeadField::Website,
            "street" | "address" | "streetaddress" => LeadField::Street,
            "city" | "town" => LeadField::City,
            "zip" | "zipcode" | "postcode" | "postalcode" => LeadField::PostalCode,
            "state" | "region" | "province" => LeadField::Region,
            "country" | "countrycode" => LeadField::Country,
            "age" | "ageband" | "agegroup" => LeadField::AgeBand,
            "gender" | "sex" => LeadField::Gender,
            "income" | "incomeband" | "householdincome" => LeadField::IncomeBand,
            "campaign" => LeadField::Campaign,
            "ad" | "adid" => LeadField::Ad,
            "affiliate" | "affiliateid" | "partner" => LeadField::Affiliate,
            "utmsource" => LeadField::UtmSource,
            "utmmedium" => LeadField::UtmMedium,
            "utmcampaign" => LeadField::UtmCampaign,
            "utmterm" => LeadField::UtmTerm,
            "utmcontent" => LeadField::UtmContent,
            "owner" | "salesrep" | "rep" => LeadField::Owner,
            "description" | "message" | "comments" | "notes" => LeadField::Description,
            "rating" => LeadField::Rating,
            _ => LeadField::Custom(header.trim().to_string()),
        }
    }
}

impl FromStr for LeadField {
    type Err = Error;
    /// Parses the names [`LeadField::name`] gives.
    fn from_str(s: &str) -> Result<Self> {
        if let Some(custom) = s.strip_prefix("custom:") {
            if custom.trim().is_empty() {
                return Err(Error::invalid(
                    "lead field",
                    s,
                    "custom field without a name",
                ));
            }
            return Ok(LeadField::Custom(custom.trim().to_string()));
        }
        let s = s.trim();
        NAMED
            .iter()
            .find(|(_, n)| *n == s)
            .map(|(f, _)| f.clone())
            .ok_or_else(|| Error::invalid("lead field", s, "not a lead field name"))
    }
}

/// The named (non-custom) fields and their names.
const NAMED: [(LeadField, &str); 27] = [
    (LeadField::FirstName, "first_name"),
    (LeadField::LastName, "last_name"),
    (LeadField::FullName, "full_name"),
    (LeadField::Company, "company"),
    (LeadField::JobTitle, "job_title"),
    (LeadField::Email, "email"),
    (LeadField::Phone, "phone"),
    (LeadField::Website, "website"),
    (LeadField::Street, "street"),
    (LeadField::City, "city"),
    (LeadField::PostalCode, "postal_code"),
    (LeadField::Region, "region"),
    (LeadField::Country, "country"),
    (LeadField::AgeBand, "age_band"),
    (LeadField::Gender, "gender"),
    (LeadField::IncomeBand, "income_band"),
    (LeadField::Campaign, "campaign"),
    (LeadField::Ad, "ad"),
    (LeadField::Affiliate, "affiliate"),
    (LeadField::UtmSource, "utm_source"),
    (LeadField::UtmMedium, "utm_medium"),
    (LeadField::UtmCampaign, "utm_campaign"),
    (LeadField::UtmTerm, "utm_term"),
    (LeadField::UtmContent, "utm_content"),
    (LeadField::Owner, "owner"),
    (LeadField::Description, "description"),
    (LeadField::Rating, "rating"),
];

impl Serialize for LeadField {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.name())
    }
}

impl<'de> Deserialize<'de> for LeadField {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = LeadField;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a lead field name such as \"email\" or \"custom:industry\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<LeadField, E> {
                v.parse().map_err(|e: Error| E::custom(e))
            }
            // The form written before fields were serialised as names: {"custom": "x"}.
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<LeadField, A::Error> {
                match map.next_entry::<String, String>()? {
                    Some((k, v)) if k == "custom" => Ok(LeadField::Custom(v)),
                    _ => Err(serde::de::Error::custom("expected {\"custom\": name}")),
                }
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// Raw lead input: text per field, as typed, posted or imported. Parse it with
/// [`LeadInput::parse`].
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadInput {
    /// The values, by field.
    pub values: BTreeMap<LeadField, String>,
}

impl LeadInput {
    /// An empty input.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `field` to `value` (builder style).
    #[must_use]
    pub fn with(mut self, field: LeadField, value: impl Into<String>) -> Self {
        self.values.insert(field, value.into());
        self
    }

    /// Sets `field` to `value`.
    pub fn set(&mut self, field: LeadField, value: impl Into<String>) {
        self.values.insert(field, value.into());
    }

    fn text(&self, field: &LeadField) -> Option<String> {
        clean_text(self.values.get(field).map(String::as_str))
    }

    /// Parses the input into lead data, reading national phone numbers in the input's
    /// country when it has one, else in `default_region`.
    ///
    /// Rules: a last name or a company is required, and an e-mail or a phone to reach the
    /// person; every given value must parse.
    ///
    /// # Errors
    /// [`Error::Validation`] listing every problem, by field name.
    pub fn parse(&self, default_region: Region) -> Result<LeadData> {
        let mut problems = Problems::new();
        let mut data = LeadData::default();

        let (mut first, mut last) = (
            self.text(&LeadField::FirstName),
            self.text(&LeadField::LastName),
        );
        if let Some(full) = self.text(&LeadField::FullName) {
            let (f, l) = match full.rsplit_once(' ') {
                Some((f, l)) => (Some(f.to_string()), Some(l.to_string())),
                None => (None, Some(full.clone())),
            };
            first = first.or(f);
            last = last.or(l);
        }
        data.first_name = first;
        data.last_name = last;
        data.company = self.text(&LeadField::Company);
        data.job_title = self.text(&LeadField::JobTitle);
        data.website = self.text(&LeadField::Website);
        data.description = self.text(&LeadField::Description);
        data.owner = self.text(&LeadField::Owner);

        let country = match self.text(&LeadField::Country) {
            Some(c) => problems.take("country", Region::parse(&c)),
            None => None,
        };
        data.address = Address {
            street: self.text(&LeadField::Street),
            city: self.text(&LeadField::City),
            postal_code: self.text(&LeadField::PostalCode),
            region: self.text(&LeadField::Region),
            country: country.map(|r| r.code().to_string()),
        };
        if let Some(e) = self.text(&LeadField::Email) {
            data.email = problems.take("email", Email::parse(&e));
        }
        if let Some(p) = self.text(&LeadField::Phone) {
            data.phone =
                problems.take("phone", Phone::parse(&p, country.unwrap_or(default_region)));
        }
        if let Some(v) = self.text(&LeadField::AgeBand) {
            data.demographics.age_band = problems.take("age_band", v.parse());
        }
        if let Some(v) = self.text(&LeadField::Gender) {
            data.demographics.gender = problems.take("gender", v.parse());
        }
        if let Some(v) = self.text(&LeadField::IncomeBand) {
            data.demographics.income_band = problems.take("income_band", v.parse());
        }
        if let Some(v) = self.text(&LeadField::Rating) {
            data.rating = problems.take("rating", v.parse());
        }
        data.attribution = Attribution {
            campaign: self.text(&LeadField::Campaign),
            ad: self.text(&LeadField::Ad),
            affiliate: self.text(&LeadField::Affiliate),
            utm_source: self.text(&LeadField::UtmSource),
            utm_medium: self.text(&LeadField::UtmMedium),
            utm_campaign: self.text(&LeadField::UtmCampaign),
            utm_term: self.text(&LeadField::UtmTerm),
            utm_content: self.text(&LeadField::UtmContent),
        };
        for (field, value) in &self.values {
            if let LeadField::Custom(name) = field
                && let Some(v) = clean_text(Some(value))
            {
                data.custom
                    .insert(name.clone(), serde_json::Value::String(v));
            }
        }

        if data.last_name.is_none() && data.company.is_none() {
            problems.push("last_name", "a last name or a company is required");
        }
        let channel_given =
            self.text(&LeadField::Email).is_some() || self.text(&LeadField::Phone).is_some();
        if !channel_given {
            problems.push("email", "an e-mail address or a phone number is required");
        }
        problems.finish(data)
    }
}

/// What a lead tells about the prospect, parsed.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct LeadData {
    /// Given name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub first_name: Option<String>,
    /// Family name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub last_name: Option<String>,
    /// Company.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub company: Option<String>,
    /// Job title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub job_title: Option<String>,
    /// E-mail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub email: Option<Email>,
    /// Phone, E.164.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub phone: Option<Phone>,
    /// Web site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub website: Option<String>,
    /// Postal address.
    #[serde(default, skip_serializing_if = "Address::is_empty")]
    pub address: Address,
    /// Demographics.
    #[serde(default, skip_serializing_if = "Demographics::is_empty")]
    pub demographics: Demographics,
    /// Campaign, ad, affiliate and UTM fields.
    #[serde(default, skip_serializing_if = "Attribution::is_empty")]
    pub attribution: Attribution,
    /// The sales rep who owns the lead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub owner: Option<String>,
    /// Free text the prospect or the rep wrote.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub description: Option<String>,
    /// A rating given with the input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub rating: Option<Rating>,
    /// Custom fields, verbatim.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub custom: crate::custom::CustomValues,
}

impl LeadData {
    /// "First Last", or whichever part is known.
    pub fn display_name(&self) -> String {
        match (&self.first_name, &self.last_name) {
            (Some(f), Some(l)) => format!("{f} {l}"),
            (Some(f), None) => f.clone(),
            (None, Some(l)) => l.clone(),
            (None, None) => self.company.clone().unwrap_or_default(),
        }
    }
}

/// The status of a lead: a state machine.
///
/// ```text
/// new ──► working ──► qualified ──► converted
///  │         │  ▲        │
///  └─────────┴──┼────────┴──► disqualified ──► working (reopened)
///               └──────── qualified (back to working)
/// ```
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeadStatus {
    /// Just captured, nobody worked it yet.
    New,
    /// A rep is working it.
    Working,
    /// Judged worth converting.
    Qualified,
    /// Converted into account, contact and maybe an opportunity; final.
    Converted,
    /// Not worth pursuing, for a reason.
    Disqualified {
        /// Why.
        reason: String,
    },
}

/// A lead status without its details (a disqualification's reason): what a listing by
/// status asks for.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeadStatusKind {
    /// Captured, not yet worked.
    New,
    /// Being worked.
    Working,
    /// Qualified.
    Qualified,
    /// Converted into an account, contact and opportunity.
    Converted,
    /// Disqualified.
    Disqualified,
}

impl LeadStatusKind {
    /// Its name (`new`, `working`, …), as statuses are stored and indexed.
    pub fn as_str(self) -> &'static str {
        match self {
            LeadStatusKind::New => "new",
            LeadStatusKind::Working => "working",
            LeadStatusKind::Qualified => "qualified",
            LeadStatusKind::Converted => "converted",
            LeadStatusKind::Disqualified => "disqualified",
        }
    }
}

impl LeadStatus {
    /// The status without its details.
    pub fn kind(&self) -> LeadStatusKind {
        match self {
            LeadStatus::New => LeadStatusKind::New,
            LeadStatus::Working => LeadStatusKind::Working,
            LeadStatus::Qualified => LeadStatusKind::Qualified,
            LeadStatus::Converted => LeadStatusKind::Converted,
            LeadStatus::Disqualified { .. } => LeadStatusKind::Disqualified,
        }
    }

    /// The status name (`new`, `working`, …).
    pub fn name(&self) -> &'static str {
        self.kind().as_str()
    }

    /// Whether the machine allows going from `self` to `next`.
    pub fn can_become(&self, next: &LeadStatus) -> bool {
        use LeadStatus::{Converted, Disqualified, New, Qualified, Working};
        matches!(
            (self, next),
            (New, Working)
                | (New, Qualified)
                | (New, Disqualified { .. })
                | (Working, Qualified)
                | (Working, Disqualified { .. })
                | (Qualified, Working)
                | (Qualified, Converted)
                | (Qualified, Disqualified { .. })
                | (Disqualified { .. }, Working)
        )
    }

    /// Whether the lead can still change status.
    pub fn is_final(&self) -> bool {
        matches!(self, LeadStatus::Converted)
    }
}

/// What a converted lead became.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversionLinks {
    /// The account (created or linked).
    pub account: AccountId,
    /// The contact (created or linked).
    pub contact: ContactId,
    /// The opportunity, when one was opened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub opportunity: Option<OpportunityId>,
    /// When.
    #[serde(with = "crate::time::rfc3339")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::DateTime<chrono::Utc>"))]
    pub at: DateTime<Utc>,
}

/// A signal that a lead may not be genuine.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "signal", rename_all = "snake_case")]
pub enum SpamSignal {
    /// The e-mail domain is a known disposable-mail service.
    DisposableEmail,
    /// A name field contains a URL or markup.
    LinkInName,
    /// The description is mostly links.
    LinkStuffedText,
    /// A name has no vowels or repeats one character (keyboard mashing).
    GibberishName,
    /// The form was submitted faster than a person types.
    SubmittedTooFast {
        /// Seconds between showing the form and submitting it.
        seconds: i64,
    },
}

impl LeadData {
    /// Checks the rules every lead's data keeps (as [`LeadInput::parse`] does on capture):
    /// a last name or a company, and an e-mail or a phone to reach the person.
    ///
    /// # Errors
    /// [`Error::Validation`] listing every problem, by field name.
    pub fn check(&self) -> Result<()> {
        let mut problems = Problems::new();
        let blank = |v: &Option<String>| v.as_deref().is_none_or(|t| t.trim().is_empty());
        if blank(&self.last_name) && blank(&self.company) {
            problems.push("last_name", "a last name or a company is required");
        }
        if self.email.is_none() && self.phone.is_none() {
            problems.push("email", "an e-mail address or a phone number is required");
        }
        problems.finish(())
    }

    /// The signals that this input may not come from a genuine prospect.
    pub fn spam_signals(&self) -> Vec<SpamSignal> {
        const DISPOSABLE: [&str; 8] = [
            "mailinator.com",
            "guerrillamail.com",
            "10minutemail.com",
            "tempmail.com",
            "trashmail.com",
            "yopmail.com",
            "sharklasers.com",
            "getnada.com",
        ];
        let mut signals = Vec::new();
        if self
            .email
            .as_ref()
            .is_some_and(|e| DISPOSABLE.contains(&e.domain()))
        {
            signals.push(SpamSignal::DisposableEmail);
        }
        let names = [&self.first_name, &self.last_name, &self.company];
        let has_link = |s: &str| {
            let l = s.to_ascii_lowercase();
            l.contains("http://") || l.contains("https://") || l.contains("www.") || l.contains('<')
        };
        if names.iter().any(|n| n.as_deref().is_some_and(has_link)) {
            signals.push(SpamSignal::LinkInName);
        }
        if let Some(text) = &self.description {
            let words = text.split_whitespace().count().max(1);
            let links = text.matches("http").count();
            if links >= 3 && links * 3 >= words {
                signals.push(SpamSignal::LinkStuffedText);
            }
        }
        let gibberish = |s: &str| {
            let letters: Vec<char> = s.chars().filter(|c| c.is_alphabetic()).collect();
            letters.len() >= 6
                && (!letters
                    .iter()
                    .any(|c| "aeiouyäöüéèáàíóú".contains(c.to_ascii_lowercase()))
                    || letters.iter().all(|c| c.eq_ignore_ascii_case(&letters[0])))
        };
        if [&self.first_name, &self.last_name]
            .iter()
            .any(|n| n.as_deref().is_some_and(gibberish))
        {
            signals.push(SpamSignal::GibberishName);
        }
        signals
    }
}

/// A lead as stored.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lead {
    /// Id, assigned by the store.
    pub id: LeadId,
    /// Optimistic-concurrency version (1 after the first write).
    pub version: crate::id::Version,
    /// When it was captured.
    #[serde(with = "crate::time::rfc3339")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::DateTime<chrono::Utc>"))]
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    #[serde(with = "crate::time::rfc3339")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::DateTime<chrono::Utc>"))]
    pub updated_at: DateTime<Utc>,
    /// Where it came from.
    pub source: LeadSource,
    /// What it says about the prospect.
    pub data: LeadData,
    /// Qualification status.
    pub status: LeadStatus,
    /// Score from rules or a model, when scored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub score: Option<f64>,
    /// Genuineness signals found at capture.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub spam_signals: Vec<SpamSignal>,
    /// What it became, once converted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub conversion: Option<ConversionLinks>,
    /// When it was qualified (for the funnel report).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::time::rfc3339_opt"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<chrono::DateTime<chrono::Utc>>")
    )]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub qualified_at: Option<DateTime<Utc>>,
}

impl Lead {
    /// A new lead, not yet stored (id and version are set by the store).
    pub fn new(id: LeadId, source: LeadSource, data: LeadData, at: DateTime<Utc>) -> Self {
        let spam_signals = data.spam_signals();
        Lead {
            id,
            version: crate::id::Version::NEW,
            created_at: at,
            updated_at: at,
            source,
            data,
            status: LeadStatus::New,
            score: None,
            spam_signals,
            conversion: None,
            qualified_at: None,
        }
    }

    /// Moves the status machine to `next`.
    ///
    /// # Errors
    /// [`Error::IllegalTransition`] when the machine does not allow it; the lead is unchanged.
    pub fn transition(&mut self, next: LeadStatus, at: DateTime<Utc>) -> Result<()> {
        if let LeadStatus::Disqualified { reason } = &next
            && reason.trim().is_empty()
        {
            return Err(Error::invalid(
                "reason",
                reason,
                "a disqualification needs a reason",
            ));
        }
        if !self.status.can_become(&next) {
            return Err(Error::IllegalTransition {
                kind: "lead".into(),
                from: self.status.name().into(),
                to: next.name().into(),
            });
        }
        if next == LeadStatus::Qualified {
            self.qualified_at = Some(at);
        }
        self.status = next;
        self.updated_at = at;
        Ok(())
    }
}

impl Lead {
    /// Slot of the e-mail dedup key.
    pub const BY_EMAIL: usize = 0;
    /// Slot of the phone.
    pub const BY_PHONE: usize = 1;
    /// Slot of the status name.
    pub const BY_STATUS: usize = 5;

    /// What duplicate detection compares.
    pub fn dedup_record(&self) -> DedupRecord {
        self.data.dedup_record(RecordRef::Lead(self.id))
    }
}

impl LeadData {
    /// What duplicate detection compares, for the record `record`.
    pub fn dedup_record(&self, record: RecordRef) -> DedupRecord {
        DedupRecord::new(
            record,
            self.first_name.as_deref(),
            self.last_name.as_deref(),
            self.company.as_deref(),
            self.email.as_ref(),
            self.phone.as_ref(),
        )
    }
}

impl_entity!(Lead, LeadId, EntityKind::Lead, |l| {
    let rec = l.dedup_record();
    let [a, b, c] = rec.blocking_keys();
    [
        rec.email_key,
        rec.phone,
        a,
        b,
        c,
        Some(l.status.name().to_string()),
    ]
});

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn us() -> Region {
        Region::parse("US").unwrap()
    }

    #[test]
    fn parse_collects_every_problem() {
        let input = LeadInput::new()
            .with(LeadField::Email, "not-an-email")
            .with(LeadField::Phone, "12")
            .with(LeadField::AgeBand, "ancient");
        let err = input.parse(us()).unwrap_err();
        let fields: Vec<String> = err.problems().into_iter().map(|p| p.field).collect();
        assert_eq!(fields, ["email", "phone", "age_band", "last_name"]);
    }

    #[test]
    fn parse_reads_phone_in_the_country_given() {
        let data = LeadInput::new()
            .with(LeadField::FullName, "Ada King Lovelace")
            .with(LeadField::Phone, "030 901820")
            .with(LeadField::Country, "de")
            .with(LeadField::Custom("industry".into()), " Software ")
            .parse(us())
            .unwrap();
        assert_eq!(data.phone.unwrap().as_str(), "+4930901820");
        assert_eq!(data.first_name.as_deref(), Some("Ada King"));
        assert_eq!(data.last_name.as_deref(), Some("Lovelace"));
        assert_eq!(data.custom["industry"], "Software");
    }

    #[test]
    fn field_names_round_trip() {
        for f in [
            LeadField::FirstName,
            LeadField::UtmSource,
            LeadField::Custom("x y".into()),
        ] {
            assert_eq!(f.name().parse::<LeadField>().unwrap(), f);
        }
        assert_eq!(LeadField::guess("E-Mail"), LeadField::Email);
        assert_eq!(LeadField::guess("Zip Code"), LeadField::PostalCode);
        assert_eq!(
            LeadField::guess("Industry"),
            LeadField::Custom("Industry".into())
        );
    }

    #[test]
    fn spam_signals_fire() {
        let data = LeadInput::new()
            .with(LeadField::FirstName, "xzqwrtk")
            .with(LeadField::LastName, "Buy now http://spam.example")
            .with(LeadField::Email, "x@mailinator.com")
            .parse(us())
            .unwrap();
        let s = data.spam_signals();
        assert!(s.contains(&SpamSignal::DisposableEmail));
        assert!(s.contains(&SpamSignal::LinkInName));
        assert!(s.contains(&SpamSignal::GibberishName));
    }

    fn any_status() -> impl Strategy<Value = LeadStatus> {
        prop_oneof![
            Just(LeadStatus::New),
            Just(LeadStatus::Working),
            Just(LeadStatus::Qualified),
            Just(LeadStatus::Converted),
            "[a-z ]{0,5}".prop_map(|reason| LeadStatus::Disqualified { reason }),
        ]
    }

    proptest! {
        #[test]
        fn no_sequence_reaches_an_illegal_state(steps in proptest::collection::vec(any_status(), 0..30)) {
            let data = LeadData { last_name: Some("X".into()), ..LeadData::default() };
            let at = DateTime::<Utc>::UNIX_EPOCH;
            let mut lead = Lead::new(LeadId::from_store(1), LeadSource::Manual, data, at);
            for next in steps {
                let before = lead.status.clone();
                match lead.transition(next.clone(), at) {
                    Ok(()) => {
                        prop_assert!(before.can_become(&next));
                        prop_assert!(!before.is_final());
                        if let LeadStatus::Disqualified { reason } = &lead.status {
                            prop_assert!(!reason.trim().is_empty());
                        }
                    }
                    Err(_) => prop_assert_eq!(&lead.status, &before),
                }
            }
        }

        #[test]
        fn leads_round_trip_through_json(first in "[A-Za-z]{1,10}", score in proptest::option::of(0.0f64..1.0)) {
            let data = LeadData { first_name: Some(first), last_name: Some("Doe".into()),
                email: Some(Email::parse("a@example.com").unwrap()), ..LeadData::default() };
            let mut lead = Lead::new(LeadId::from_store(3), LeadSource::CsvImport { batch: "b".into(), row: 2 }, data, DateTime::<Utc>::UNIX_EPOCH);
            lead.score = score;
            lead.status = LeadStatus::Disqualified { reason: "no budget".into() };
            let json = serde_json::to_string(&lead).unwrap();
            prop_assert_eq!(serde_json::from_str::<Lead>(&json).unwrap(), lead);
        }
    }
}
