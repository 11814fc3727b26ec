//! A customer's timeline: everything that happened with a contact or an account, newest
//! first, in pages — touchpoints (campaign responses among them), activities, purchases,
//! quotes, sales orders, cases and installed assets. An account's timeline holds its own
//! records, its contacts' and its opportunities'. A handle bound to a user shows only what
//! that user may see.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::activity::Activity;
use crate::customer::{Contact, Purchase};
use crate::error::{Error, Result};
use crate::id::{RecordKey, RecordRef};
use crate::quote::document::{Quote, SalesOrder};
use crate::sales::Opportunity;
use crate::service::case::Case;
use crate::service::installed::Asset;
use crate::store::{EntityKind, ReadExt, ReadTx, Store};
use crate::tracking::Touchpoint;

use super::Crm;
use super::marketing_cases::json_name;

/// The most entries one page holds.
pub const MAX_PAGE: usize = 500;

/// One thing that happened with a customer.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    /// When it happened (an activity: when it was done, else when it is due, else when it
    /// was logged; an asset: the day it was installed).
    #[serde(with = "crate::time::rfc3339")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::DateTime<chrono::Utc>"))]
    pub at: DateTime<Utc>,
    /// The record (`purchase:12`, `service_case:3`, …).
    pub record: RecordKey,
    /// What happened, in a line.
    pub summary: String,
}

/// A page of a timeline, newest first.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelinePage {
    /// The entries.
    pub entries: Vec<TimelineEntry>,
    /// The cursor of the next (older) page, if there is one.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub next: Option<String>,
}

impl<S: Store> Crm<S> {
    /// Up to `limit` entries of a contact's or an account's timeline, newest first, older
    /// than the cursor `before` (a page's `next`; none: from the newest).
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for a subject that is neither a contact nor an account, a
    /// limit of 0 or above [`MAX_PAGE`], or a cursor this did not hand out;
    /// [`Error::NotFound`] for an unknown subject; [`Error::Storage`].
    pub fn timeline(
        &self,
        subject: RecordRef,
        limit: usize,
        before: Option<&str>,
    ) -> Result<TimelinePage> {
        if limit == 0 || limit > MAX_PAGE {
            return Err(Error::invalid(
                "limit",
                limit.to_string(),
                format!("a page holds 1 to {MAX_PAGE} entries"),
            ));
        }
        let before = before.map(parse_cursor).transpose()?;
        self.read(|tx| {
            let mut entries = entries_of(tx, subject)?;
            entries.sort_by_key(|e| std::cmp::Reverse((e.at, e.record)));
            let mut page: Vec<TimelineEntry> = entries
                .into_iter()
                .filter(|e| before.is_none_or(|c| (e.at, e.record) < c))
                .take(limit + 1)
                .collect();
            let next = if page.len() > limit {
                page.truncate(limit);
                page.last().map(|e| cursor(e.at, e.record))
            } else {
                None
            };
            Ok(TimelinePage {
                entries: page,
                next,
            })
        })
    }
}

fn cursor(at: DateTime<Utc>, record: RecordKey) -> String {
    format!("{}|{record}", crate::time::format_rfc3339(at))
}

fn parse_cursor(text: &str) -> Result<(DateTime<Utc>, RecordKey)> {
    let bad = || Error::invalid("before", text, "not a timeline cursor");
    let (at, record) = text.split_once('|').ok_or_else(bad)?;
    let at = DateTime::parse_from_rfc3339(at)
        .map_err(|_| bad())?
        .with_timezone(&Utc);
    let record: RecordKey = record.parse().map_err(|_| bad())?;
    Ok((at, record))
}

/// Every entry of a subject's timeline, unordered.
fn entries_of(tx: &dyn ReadTx, subject: RecordRef) -> Result<Vec<TimelineEntry>> {
    let (contacts, account) = match subject {
        RecordRef::Contact(c) => {
            let _: Contact = tx.load(c)?;
            (vec![c], None)
        }
        RecordRef::Account(a) => {
            let _: crate::customer::Account = tx.load(a)?;
            let ids = tx
                .find::<Contact>(Contact::BY_ACCOUNT, &a.to_string())?
                .into_iter()
                .map(|c| c.id)
                .collect();
            (ids, Some(a))
        }
        other => {
            return Err(Error::invalid(
                "subject",
                other.key(),
                "a timeline is a contact's or an account's",
            ));
        }
    };
    let mut subjects: Vec<RecordRef> = contacts.iter().map(|c| RecordRef::Contact(*c)).collect();
    let mut out = Vec::new();
    // the same record reached twice (a contact's quote is also its account's) is one entry
    let mut seen = BTreeSet::new();
    let mut push = |out: &mut Vec<TimelineEntry>, at, record: RecordKey, summary: String| {
        if seen.insert(record) {
            out.push(TimelineEntry {
                at,
                record,
                summary,
            });
        }
    };
    if let Some(a) = account {
        subjects.push(RecordRef::Account(a));
        let key = a.to_string();
        for o in tx.find::<Opportunity>(Opportunity::BY_ACCOUNT, &key)? {
            subjects.push(RecordRef::Opportunity(o.id));
        }
        for p in tx.find::<Purchase>(Purchase::BY_ACCOUNT, &key)? {
            push(
                &mut out,
                p.purchased_at,
                key_of(EntityKind::Purchase, p.id.get()),
                purchase_line(&p),
            );
        }
        for q in tx.find::<Quote>(Quote::BY_ACCOUNT, &key)? {
            push(
                &mut out,
                q.created_at,
                key_of(EntityKind::Quote, q.id.get()),
                quote_line(&q),
            );
        }
        for o in tx.find::<SalesOrder>(SalesOrder::BY_ACCOUNT, &key)? {
            push(
                &mut out,
                o.created_at,
                key_of(EntityKind::SalesOrder, o.id.get()),
                order_line(&o),
            );
        }
        for c in tx.find::<Case>(Case::BY_ACCOUNT, &key)? {
            push(
                &mut out,
                c.opened_at,
                key_of(EntityKind::Case, c.id.get()),
                case_line(&c),
            );
        }
        for asset in tx.find::<Asset>(Asset::BY_ACCOUNT, &key)? {
            if let Some(day) = asset.installed_on {
                let at = day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
                let summary = format!("{} installed ({})", asset.name, asset.serial_number);
                push(
                    &mut out,
                    at,
                    key_of(EntityKind::Asset, asset.id.get()),
                    summary,
                );
            }
        }
    }
    for c in &contacts {
        for p in tx.find::<Purchase>(Purchase::BY_CONTACT, &c.to_string())? {
            push(
                &mut out,
                p.purchased_at,
                key_of(EntityKind::Purchase, p.id.get()),
                purchase_line(&p),
            );
        }
    }
    if account.is_none() {
        // a contact's quotes, orders and cases name it; there is no index by contact
        let named = |c: Option<crate::id::ContactId>| c.is_some_and(|c| contacts.contains(&c));
        for q in tx
            .all::<Quote>()?
            .into_iter()
            .filter(|q| named(q.content.contact))
        {
            push(
                &mut out,
                q.created_at,
                key_of(EntityKind::Quote, q.id.get()),
                quote_line(&q),
            );
        }
        for o in tx
            .all::<SalesOrder>()?
            .into_iter()
            .filter(|o| named(o.content.contact))
        {
            push(
                &mut out,
                o.created_at,
                key_of(EntityKind::SalesOrder, o.id.get()),
                order_line(&o),
            );
        }
        for c in tx.all::<Case>()?.into_iter().filter(|c| named(c.contact)) {
            push(
                &mut out,
                c.opened_at,
                key_of(EntityKind::Case, c.id.get()),
                case_line(&c),
            );
        }
    }
    for s in &subjects {
        for t in tx.find::<Touchpoint>(Touchpoint::BY_SUBJECT, &s.key())? {
            let mut summary = t.kind.name().replace('_', " ");
            if let Some(campaign) = &t.attribution.campaign {
                summary.push_str(&format!(" (campaign {campaign})"));
            }
            push(
                &mut out,
                t.at,
                key_of(EntityKind::Touchpoint, t.id.get()),
                summary,
            );
        }
        for a in tx.find::<Activity>(Activity::BY_SUBJECT, &s.key())? {
            let at = a.completed_at.or(a.due_at).unwrap_or(a.created_at);
            let kind = json_name(&a.kind).unwrap_or_default();
            let state = match a.state() {
                "open" => String::new(),
                other => format!(" ({other})"),
            };
            let summary = match &a.call {
                Some(call) => {
                    let direction = json_name(&call.direction).unwrap_or_default();
                    let number = call
                        .number
                        .as_deref()
                        .map(|n| format!(", {n}"))
                        .unwrap_or_default();
                    let outcome = a
                        .outcome
                        .as_deref()
                        .map(|o| format!(": {o}"))
                        .unwrap_or_default();
                    format!("{direction} call{number}, {}{outcome}", a.title)
                }
                None => format!("{kind}: {}{state}", a.title),
            };
            push(
                &mut out,
                at,
                key_of(EntityKind::Activity, a.id.get()),
                summary,
            );
        }
    }
    Ok(out)
}

fn key_of(kind: EntityKind, id: u64) -> RecordKey {
    RecordKey::new(kind, id)
}

fn purchase_line(p: &Purchase) -> String {
    format!("bought {} × {} for {}", p.quantity, p.product, p.total())
}

fn quote_line(q: &Quote) -> String {
    format!(
        "quote {} rev {} {}: {}",
        q.number,
        q.revision,
        q.status.as_str(),
        q.priced.grand_total
    )
}

fn order_line(o: &SalesOrder) -> String {
    format!(
        "sales order {} {}: {}",
        o.id,
        o.status.as_str(),
        o.priced.grand_total
    )
}

fn case_line(c: &Case) -> String {
    format!("case {} {}: {}", c.number, c.status.as_str(), c.subject)
}
