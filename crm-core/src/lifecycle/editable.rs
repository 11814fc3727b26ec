//! [`Editable`]: what an edit may change on each kind, and the rules an edited record
//! keeps. The lists name fields by their serde names; state that has its own use cases
//! (a lead's status, an opportunity's stage, a case's status) is not edited here.

use chrono::{DateTime, Utc};

use crate::activity::Activity;
use crate::contact_info::clean_text;
use crate::customer::{Account, Contact, Purchase, normalize_domain};
use crate::error::{Error, FieldProblem, Result};
use crate::lead::{Lead, LeadData};
use crate::marketing::campaign::Campaign;
use crate::money::Money;
use crate::sales::Opportunity;
use crate::service::case::Case;
use crate::service::field::Technician;
use crate::service::installed::{Asset, Contract};
use crate::store::Entity;

/// A type whose fields a [`super::Patch`] names: the record itself, or the part of it
/// edits change (a lead's [`LeadData`]).
pub trait EditableFields {
    /// The fields an edit may set or clear, by serde name.
    const EDITABLE: &'static [&'static str];
}

/// A kind of record that can be edited by patch ([`super::Patch`]).
pub trait Editable: Entity + Clone {
    /// The type a patch of it is written against.
    type Fields: EditableFields;
    /// Where the editable fields sit in the record's JSON: `""` for the top level, or the
    /// name of the object that holds them (a lead's `data`).
    const FIELDS_AT: &'static str = "";
    /// Checks the rules an edited record keeps beyond what reading its values checks, and
    /// recomputes what derives from its fields.
    ///
    /// # Errors
    /// [`Error::Validation`] / [`Error::InvalidValue`] naming what is wrong.
    fn check_edit(&mut self, now: DateTime<Utc>) -> Result<()>;
}

fn required(field: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        Err(Error::Validation {
            problems: vec![FieldProblem::new(field, "is required")],
        })
    } else {
        Ok(())
    }
}

impl EditableFields for LeadData {
    const EDITABLE: &'static [&'static str] = &[
        "first_name",
        "last_name",
        "company",
        "job_title",
        "email",
        "phone",
        "website",
        "address",
        "demographics",
        "attribution",
        "owner",
        "description",
        "rating",
        "custom",
    ];
}

impl Editable for Lead {
    type Fields = LeadData;
    const FIELDS_AT: &'static str = "data";
    fn check_edit(&mut self, _now: DateTime<Utc>) -> Result<()> {
        // the capture rules hold after an edit too, and spam signals follow the data
        self.data.check()?;
        self.spam_signals = self.data.spam_signals();
        Ok(())
    }
}

impl EditableFields for Account {
    const EDITABLE: &'static [&'static str] = &[
        "name", "domain", "phone", "address", "industry", "owner", "tier", "custom",
    ];
}

impl Editable for Account {
    type Fields = Account;
    fn check_edit(&mut self, _now: DateTime<Utc>) -> Result<()> {
        self.name = clean_text(Some(&self.name))
            .ok_or_else(|| Error::invalid("name", &self.name, "an account needs a name"))?;
        if let Some(d) = &self.domain {
            self.domain = Some(normalize_domain(d)?);
        }
        self.tier = crate::customer::tier_of(self.tier.as_deref());
        Ok(())
    }
}

impl EditableFields for Contact {
    const EDITABLE: &'static [&'static str] = &[
        "account",
        "first_name",
        "last_name",
        "job_title",
        "email",
        "phones",
        "addresses",
        "best_time_to_call",
        "demographics",
        "owner",
        "custom",
    ];
}

impl Editable for Contact {
    type Fields = Contact;
    fn check_edit(&mut self, _now: DateTime<Utc>) -> Result<()> {
        self.first_name = clean_text(self.first_name.as_deref());
        self.last_name = clean_text(self.last_name.as_deref());
        if self.last_name.is_none() && self.email.is_none() {
            return Err(Error::Validation {
                problems: vec![FieldProblem::new(
                    "last_name",
                    "a contact needs a last name or an e-mail",
                )],
            });
        }
        Ok(())
    }
}

impl EditableFields for Opportunity {
    const EDITABLE: &'static [&'static str] = &[
        "name",
        "contact",
        "expected_close",
        "owner",
        "source",
        "products",
        "key_players",
        "budget",
        "total_spending",
        "competitors",
        "custom",
    ];
}

impl Editable for Opportunity {
    type Fields = Opportunity;
    fn check_edit(&mut self, _now: DateTime<Utc>) -> Result<()> {
        required("name", &self.name)?;
        let mut p = crate::error::Problems::new();
        for (field, m) in [
            ("budget", &self.budget),
            ("total_spending", &self.total_spending),
        ] {
            if m.as_ref().is_some_and(Money::is_negative) {
                p.push(field, "must not be negative");
            }
        }
        for (i, c) in self.competitors.iter_mut().enumerate() {
            c.name = c.name.trim().to_string();
            if c.name.is_empty() {
                p.push(format!("competitors[{i}].name"), "must not be blank");
            }
        }
        p.finish(())
    }
}

impl EditableFields for Activity {
    const EDITABLE: &'static [&'static str] = &[
        "title",
        "notes",
        "owner",
        "due_at",
        "duration_minutes",
        "attendees",
        "reminders",
        "recurrence",
        "call",
        "custom",
    ];
}

impl Editable for Activity {
    type Fields = Activity;
    fn check_edit(&mut self, _now: DateTime<Utc>) -> Result<()> {
        required("title", &self.title)?;
        self.check_schedule()
    }
}

impl EditableFields for Purchase {
    const EDITABLE: &'static [&'static str] = &[
        "product",
        "purchased_at",
        "sales_rep",
        "quantity",
        "unit_price",
        "special_instructions",
        "feedback",
        "custom",
    ];
}

impl Editable for Purchase {
    type Fields = Purchase;
    fn check_edit(&mut self, _now: DateTime<Utc>) -> Result<()> {
        required("product", &self.product)?;
        crate::customer::NewPurchase {
            contact: self.contact,
            product: self.product.clone(),
            purchased_at: self.purchased_at,
            sales_rep: self.sales_rep.clone(),
            quantity: self.quantity,
            unit_price: self.unit_price,
            special_instructions: None,
            feedback: None,
            custom: Default::default(),
        }
        .check()
    }
}

impl EditableFields for Asset {
    const EDITABLE: &'static [&'static str] = &["name", "installed_on", "location", "custom"];
}

impl Editable for Asset {
    type Fields = Asset;
    fn check_edit(&mut self, _now: DateTime<Utc>) -> Result<()> {
        required("name", &self.name)
    }
}

impl EditableFields for Contract {
    const EDITABLE: &'static [&'static str] = &["name", "sla_policy", "custom"];
}

impl Editable for Contract {
    type Fields = Contract;
    fn check_edit(&mut self, _now: DateTime<Utc>) -> Result<()> {
        required("name", &self.name)
    }
}

impl EditableFields for Case {
    const EDITABLE: &'static [&'static str] = &[
        "subject",
        "description",
        "category",
        "contact",
        "asset",
        "contract",
        "owner",
        "product",
        "language",
        "custom",
    ];
}

impl Editable for Case {
    type Fields = Case;
    fn check_edit(&mut self, _now: DateTime<Utc>) -> Result<()> {
        required("subject", &self.subject)
    }
}

impl EditableFields for Technician {
    const EDITABLE: &'static [&'static str] = &["name", "skills", "calendar"];
}

impl Editable for Technician {
    type Fields = Technician;
    fn check_edit(&mut self, _now: DateTime<Utc>) -> Result<()> {
        required("name", &self.name)?;
        required("calendar", &self.calendar)?;
        // as defining a technician does: skills and calendar names compare lower-case
        self.skills = self
            .skills
            .iter()
            .map(|s| s.trim().to_lowercase())
            .filter(|s| !s.is_empty())
            .collect();
        self.calendar = self.calendar.trim().to_lowercase();
        Ok(())
    }
}

impl EditableFields for Campaign {
    const EDITABLE: &'static [&'static str] = &[
        "name",
        "target_products",
        "segments",
        "geographies",
        "custom",
    ];
}

impl Editable for Campaign {
    type Fields = Campaign;
    fn check_edit(&mut self, _now: DateTime<Utc>) -> Result<()> {
        required("name", &self.name)
    }
}
