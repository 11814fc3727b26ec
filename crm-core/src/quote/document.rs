//! Quotes and sales orders: a quote is one revision of a priced offer to an account (for an
//! opportunity), with a status machine — draft → sent → accepted / rejected / expired; a
//! revision copies the quote into a new draft with the next revision number and leaves
//! the earlier one as it was. Only an accepted quote becomes a [`SalesOrder`]: an
//! immutable snapshot whose ERP hand-off payload ([`SalesOrder::erp_payload`]) is
//! versioned JSON with every amount as a decimal string (schema:
//! `schemas/sales-order.v1.json` at the repository root).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::id::{AccountId, ContactId, OpportunityId, QuoteId, SalesOrderId};
use crate::money::{Currency, Percent};

use super::pricing::{Discount, PriceLine, PricedDocument, Rounding, TaxTable, price_document};
use crate::store::{EntityKind, impl_entity};

/// Where a quote is in its life.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuoteStatus {
    /// Being prepared.
    Draft,
    /// Sent to the customer.
    Sent,
    /// Accepted by the customer (final).
    Accepted,
    /// Rejected by the customer (final for this revision).
    Rejected,
    /// Past its validity without an answer (final for this revision).
    Expired,
}

impl QuoteStatus {
    /// The status's name.
    pub fn as_str(self) -> &'static str {
        match self {
            QuoteStatus::Draft => "draft",
            QuoteStatus::Sent => "sent",
            QuoteStatus::Accepted => "accepted",
            QuoteStatus::Rejected => "rejected",
            QuoteStatus::Expired => "expired",
        }
    }
}

/// A line of a quote.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuoteLine {
    /// What the customer reads.
    pub description: String,
    /// The catalog product, if any.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub sku: Option<String>,
    /// The configured options, if any.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub options: Vec<String>,
    /// The unit it is sold by.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub unit: Option<String>,
    /// Quantity, unit price, discount and taxes.
    #[serde(flatten)]
    pub price: PriceLine,
    /// What the customer asked for with it (delivery, installation); carried to the
    /// purchase the order records.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub special_instructions: Option<String>,
}

/// What a quote is made of (to create one, or a revision).
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuoteContent {
    /// The customer.
    pub account: AccountId,
    /// The opportunity it answers, if any.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub opportunity: Option<OpportunityId>,
    /// The person at the account it is addressed to: the buyer its order's purchases are
    /// recorded on (none: the opportunity's contact, else the account's first contact).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub contact: Option<ContactId>,
    /// The currency of every amount.
    pub currency: Currency,
    /// The last day the offer holds.
    pub valid_until: NaiveDate,
    /// The lines.
    pub lines: Vec<QuoteLine>,
    /// A discount on every line.
    #[serde(default = "no_discount")]
    pub document_discount: Percent,
    /// The tax rates the lines refer to.
    pub taxes: TaxTable,
    /// How amounts are rounded (always chosen explicitly).
    pub rounding: Rounding,
}

fn no_discount() -> Percent {
    Percent::ZERO
}

impl QuoteContent {
    /// Prices the content.
    ///
    /// # Errors
    /// As [`price_document`].
    pub fn price(&self) -> Result<PricedDocument> {
        let lines: Vec<PriceLine> = self.lines.iter().map(|l| l.price.clone()).collect();
        price_document(
            &lines,
            self.document_discount,
            &self.taxes,
            self.currency,
            self.rounding,
        )
    }
}

/// One revision of a quote.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    /// This revision's id.
    pub id: QuoteId,
    /// Optimistic-concurrency version of the record.
    pub version: crate::id::Version,
    /// The id of the first revision: what all revisions of the quote share.
    pub number: QuoteId,
    /// 1 for the first revision, then 2, 3…
    pub revision: u32,
    /// Where it is in its life.
    pub status: QuoteStatus,
    /// What it offers.
    pub content: QuoteContent,
    /// Its prices, as computed when the revision was made.
    pub priced: PricedDocument,
    /// Why it was rejected, if it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub rejection_reason: Option<String>,
    /// When it was created.
    #[serde(with = "crate::time::rfc3339")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::DateTime<chrono::Utc>"))]
    pub created_at: DateTime<Utc>,
    /// When it last changed status.
    #[serde(with = "crate::time::rfc3339")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::DateTime<chrono::Utc>"))]
    pub updated_at: DateTime<Utc>,
}

fn illegal(from: QuoteStatus, to: &str) -> Error {
    Error::IllegalTransition {
        kind: "quote".into(),
        from: from.as_str().into(),
        to: to.into(),
    }
}

impl Quote {
    /// The first revision of a quote, a draft, priced.
    ///
    /// # Errors
    /// As [`price_document`]; [`Error::InvalidValue`] for a quote without lines.
    pub fn new(id: QuoteId, content: QuoteContent, now: DateTime<Utc>) -> Result<Quote> {
        Self::revision_of(id, id, 1, content, now)
    }

    fn revision_of(
        id: QuoteId,
        number: QuoteId,
        revision: u32,
        content: QuoteContent,
        now: DateTime<Utc>,
    ) -> Result<Quote> {
        if content.lines.is_empty() {
            return Err(Error::invalid(
                "lines",
                "[]",
                "a quote needs at least one line",
            ));
        }
        let priced = content.price()?;
        Ok(Quote {
            id,
            version: crate::id::Version::NEW,
            number,
            revision,
            status: QuoteStatus::Draft,
            content,
            priced,
            rejection_reason: None,
            created_at: now,
            updated_at: now,
        })
    }

    /// Whether the offer has lapsed on `now`'s day.
    pub fn is_past_validity(&self, now: DateTime<Utc>) -> bool {
        now.date_naive() > self.content.valid_until
    }

    /// Draft → sent.
    ///
    /// # Errors
    /// [`Error::IllegalTransition`] from any other status, or past its validity.
    pub fn send(&mut self, now: DateTime<Utc>) -> Result<()> {
        if self.status != QuoteStatus::Draft || self.is_past_validity(now) {
            return Err(illegal(self.status, "sent"));
        }
        self.status = QuoteStatus::Sent;
        self.updated_at = now;
        Ok(())
    }

    /// Sent → accepted, on or before its last valid day.
    ///
    /// # Errors
    /// [`Error::IllegalTransition`] when it is not sent or has expired (checked against
    /// `now`; nothing changes).
    pub fn accept(&mut self, now: DateTime<Utc>) -> Result<()> {
        if self.status != QuoteStatus::Sent {
            return Err(illegal(self.status, "accepted"));
        }
        if self.is_past_validity(now) {
            return Err(Error::IllegalTransition {
                kind: "quote".into(),
                from: format!("sent (valid until {}, expired)", self.content.valid_until),
                to: "accepted".into(),
            });
        }
        self.status = QuoteStatus::Accepted;
        self.updated_at = now;
        Ok(())
    }

    /// Sent → rejected.
    ///
    /// # Errors
    /// [`Error::IllegalTransition`] when it is not sent.
    pub fn reject(&mut self, reason: &str, now: DateTime<Utc>) -> Result<()> {
        if self.status != QuoteStatus::Sent {
            return Err(illegal(self.status, "rejected"));
        }
        self.status = QuoteStatus::Rejected;
        self.rejection_reason = Some(reason.to_string());
        self.updated_at = now;
        Ok(())
    }

    /// Sent → expired, when `now` is past its validity; `false` (nothing changes) when it
    /// is not due.
    pub fn expire_if_due(&mut self, now: DateTime<Utc>) -> bool {
        if self.status == QuoteStatus::Sent && self.is_past_validity(now) {
            self.status = QuoteStatus::Expired;
            self.updated_at = now;
            true
        } else {
            false
        }
    }

    /// A new revision (a draft numbered `revision + 1`, id `id`) with `content`; this one
    /// is left as it is.
    ///
    /// # Errors
    /// [`Error::IllegalTransition`] for an accepted quote; [`Error::InvalidValue`] for a
    /// change of account; as [`price_document`].
    pub fn revise(&self, id: QuoteId, content: QuoteContent, now: DateTime<Utc>) -> Result<Quote> {
        if self.status == QuoteStatus::Accepted {
            return Err(illegal(self.status, "revised"));
        }
        if content.account != self.content.account {
            return Err(Error::invalid(
                "account",
                content.account.to_string(),
                "a revision quotes the same account",
            ));
        }
        Self::revision_of(id, self.number, self.revision + 1, content, now)
    }
}

impl_entity!(Quote, QuoteId, EntityKind::Quote, |q| [
    Some(q.number.to_string()),
    Some(q.content.account.to_string()),
    q.content.opportunity.map(|o| o.to_string()),
    Some(q.status.as_str().to_string()),
    None,
    None
]);

impl Quote {
    /// Slot of the quote number (all revisions share it).
    pub const BY_NUMBER: usize = 0;
    /// Slot of the account.
    pub const BY_ACCOUNT: usize = 1;
    /// Slot of the opportunity.
    pub const BY_OPPORTUNITY: usize = 2;
    /// Slot of the status.
    pub const BY_STATUS: usize = 3;
}

/// The ERP hand-off format's version.
pub const SALES_ORDER_FORMAT_VERSION: u32 = 1;

/// An order made from an accepted quote: an immutable snapshot of that revision.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SalesOrder {
    /// Its id.
    pub id: SalesOrderId,
    /// Optimistic-concurrency version of the record.
    pub version: crate::id::Version,
    /// The accepted revision.
    pub quote: QuoteId,
    /// The quote's number (its first revision).
    pub quote_number: QuoteId,
    /// Which revision was accepted.
    pub revision: u32,
    /// What was accepted.
    pub content: QuoteContent,
    /// Its prices.
    pub priced: PricedDocument,
    /// When the quote was accepted.
    #[serde(with = "crate::time::rfc3339")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::DateTime<chrono::Utc>"))]
    pub accepted_at: DateTime<Utc>,
    /// When the order was made.
    #[serde(with = "crate::time::rfc3339")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::DateTime<chrono::Utc>"))]
    pub created_at: DateTime<Utc>,
    /// Where it stands with the ERP: open, sent, acknowledged, partly fulfilled, fulfilled
    /// or cancelled.
    #[serde(default)]
    pub status: super::order::SalesOrderStatus,
    /// The quantity fulfilled per line, in line order (empty: nothing yet).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub fulfilled: Vec<rust_decimal::Decimal>,
    /// The ERP's own reference for the order, once it acknowledged it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub erp_reference: Option<String>,
    /// Why it was cancelled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub cancel_reason: Option<String>,
    /// When its status last changed.
    #[serde(default, with = "crate::time::rfc3339_opt")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<chrono::DateTime<chrono::Utc>>")
    )]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub status_changed_at: Option<DateTime<Utc>>,
}

impl_entity!(SalesOrder, SalesOrderId, EntityKind::SalesOrder, |o| [
    Some(o.quote.to_string()),
    Some(o.content.account.to_string()),
    o.content.opportunity.map(|x| x.to_string()),
    None,
    None,
    None
]);

impl SalesOrder {
    /// Slot of the accepted quote revision.
    pub const BY_QUOTE: usize = 0;
    /// Slot of the account.
    pub const BY_ACCOUNT: usize = 1;
    /// Slot of the opportunity.
    pub const BY_OPPORTUNITY: usize = 2;

    /// The order for `quote`.
    ///
    /// # Errors
    /// [`Error::IllegalTransition`] unless the quote is accepted.
    pub fn from_accepted(
        id: SalesOrderId,
        quote: &Quote,
        now: DateTime<Utc>,
    ) -> Result<SalesOrder> {
        if quote.status != QuoteStatus::Accepted {
            return Err(illegal(quote.status, "ordered"));
        }
        Ok(SalesOrder {
            id,
            version: crate::id::Version::NEW,
            quote: quote.id,
            quote_number: quote.number,
            revision: quote.revision,
            content: quote.content.clone(),
            priced: quote.priced.clone(),
            accepted_at: quote.updated_at,
            created_at: now,
            status: super::order::SalesOrderStatus::Open,
            fulfilled: Vec::new(),
            erp_reference: None,
            cancel_reason: None,
            status_changed_at: None,
        })
    }

    /// The ERP hand-off payload: versioned JSON, every amount a decimal string with the
    /// currency's minor digits, lines with their taxes, totals per tax rate.
    pub fn erp_payload(&self) -> serde_json::Value {
        let amount = |m: &crate::money::Money| m.amount().to_string();
        let lines: Vec<serde_json::Value> = self
            .content
            .lines
            .iter()
            .zip(&self.priced.lines)
            .enumerate()
            .map(|(i, (l, p))| {
                serde_json::json!({
                    "line": i + 1,
                    "description": l.description,
                    "sku": l.sku,
                    "options": l.options,
                    "unit": l.unit,
                    "quantity": l.price.quantity.to_string(),
                    "unit_price": l.price.unit_price.amount().to_string(),
                    "discount": match l.price.discount {
                        Discount::None => serde_json::Value::Null,
                        Discount::Percent(p) => serde_json::json!({ "percent": p.value().to_string() }),
                        Discount::Amount(a) => serde_json::json!({ "amount": a.to_string() }),
                    },
                    "gross": amount(&p.gross),
                    "net": amount(&p.net),
                    "taxes": p.taxes.iter().map(|t| serde_json::json!({
                        "code": t.code, "base": amount(&t.base), "amount": amount(&t.amount),
                    })).collect::<Vec<_>>(),
                    "total": amount(&p.total),
                })
            })
            .collect();
        serde_json::json!({
            "format": "crm-core/sales-order",
            "format_version": SALES_ORDER_FORMAT_VERSION,
            "order_id": self.id.get(),
            "quote": { "id": self.quote.get(), "number": self.quote_number.get(), "revision": self.revision },
            "account_id": self.content.account.get(),
            "opportunity_id": self.content.opportunity.map(|o| o.get()),
            "currency": self.content.currency.code(),
            "rounding": {
                "mode": self.content.rounding.mode,
                "strategy": self.content.rounding.strategy,
            },
            "accepted_at": crate::time::format_rfc3339(self.accepted_at),
            "created_at": crate::time::format_rfc3339(self.created_at),
            "lines": lines,
            "document_discount_percent": self.content.document_discount.value().to_string(),
            "totals": {
                "gross": amount(&self.priced.gross),
                "discount": amount(&self.priced.discount),
                "subtotal": amount(&self.priced.subtotal),
                "taxes": self.priced.taxes.iter().map(|t| serde_json::json!({
                    "code": t.code, "rate_percent": t.rate.value().to_string(),
                    "base": amount(&t.base), "amount": amount(&t.amount),
                })).collect::<Vec<_>>(),
                "tax_total": amount(&self.priced.tax_total),
                "grand_total": amount(&self.priced.grand_total),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::{Money, RoundingMode};
    use crate::quote::pricing::{RoundingStrategy, TaxRate};
    use chrono::TimeZone;
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    fn at(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, day, 10, 0, 0).unwrap()
    }

    fn content(prices: &[&str]) -> QuoteContent {
        QuoteContent {
            account: AccountId::new(1).unwrap(),
            opportunity: OpportunityId::new(7).ok(),
            contact: None,
            currency: Currency::parse("EUR").unwrap(),
            valid_until: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
            lines: prices
                .iter()
                .map(|p| QuoteLine {
                    description: format!("item at {p}"),
                    sku: Some("SKU-1".into()),
                    options: vec![],
                    unit: Some("each".into()),
                    price: PriceLine {
                        quantity: Decimal::ONE,
                        unit_price: Money::parse(p, "EUR").unwrap(),
                        discount: Discount::None,
                        tax_codes: vec!["VAT20".into()],
                    },
                    special_instructions: None,
                })
                .collect(),
            document_discount: Percent::ZERO,
            taxes: TaxTable::new(vec![TaxRate {
                code: "VAT20".into(),
                rate: Percent::parse("20").unwrap(),
                included_in_price: false,
                compound: false,
            }])
            .unwrap(),
            rounding: Rounding {
                mode: RoundingMode::HalfUp,
                strategy: RoundingStrategy::PerLine,
            },
        }
    }

    fn id(n: u64) -> QuoteId {
        QuoteId::new(n).unwrap()
    }

    #[test]
    fn an_order_goes_to_the_erp_and_is_fulfilled_line_by_line() {
        use crate::error::ErrorKind;
        use crate::quote::order::{LineFulfilment, SalesOrderStatus};
        let mut q = Quote::new(id(1), content(&["10.00", "20.00"]), at(20)).unwrap();
        q.send(at(21)).unwrap();
        q.accept(at(22)).unwrap();
        let new_order = || SalesOrder::from_accepted(SalesOrderId::new(1).unwrap(), &q, at(22));
        let mut o = new_order().unwrap();
        let part = |line, qty: &str| LineFulfilment {
            line,
            quantity: qty.parse().unwrap(),
            serials: Vec::new(),
        };
        assert_eq!(o.status, SalesOrderStatus::Open);
        assert!(
            o.fulfil(&[part(0, "1")], at(23)).is_err(),
            "not acknowledged yet"
        );
        o.mark_sent(at(23)).unwrap();
        o.mark_sent(at(23)).unwrap();
        assert_eq!(o.status, SalesOrderStatus::Sent);
        assert!(o.acknowledge("  ", at(24)).is_err());
        o.acknowledge("SO-77", at(24)).unwrap();
        assert_eq!(o.erp_reference.as_deref(), Some("SO-77"));
        // a line that does not exist and more than a line has: nothing is recorded
        let err = o
            .fulfil(&[part(0, "0.5"), part(5, "1"), part(1, "2")], at(25))
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Validation);
        assert!(o.fulfilled.is_empty());
        o.fulfil(&[part(0, "0.5")], at(25)).unwrap();
        assert_eq!(o.status, SalesOrderStatus::PartlyFulfilled);
        assert!(o.cancel("too late", at(25)).is_err());
        o.fulfil(&[part(0, "0.5"), part(1, "1")], at(26)).unwrap();
        assert_eq!(o.status, SalesOrderStatus::Fulfilled);
        assert_eq!(o.status_changed_at, Some(at(26)));
        assert!(o.fulfil(&[part(0, "0.1")], at(27)).is_err());
        // another order, cancelled before anything was fulfilled
        let mut other = new_order().unwrap();
        other.cancel(" customer withdrew ", at(23)).unwrap();
        assert_eq!(other.cancel_reason.as_deref(), Some("customer withdrew"));
        assert!(other.mark_sent(at(24)).is_err());
        assert!(other.cancel("again", at(24)).is_err());
        // an order stored before it had a status reads back open
        let mut json = serde_json::to_value(new_order().unwrap()).unwrap();
        for key in ["status", "fulfilled", "status_changed_at"] {
            json.as_object_mut().unwrap().remove(key);
        }
        let old: SalesOrder = serde_json::from_value(json).unwrap();
        assert_eq!(old.status, SalesOrderStatus::Open);
    }

    #[test]
    fn a_quote_goes_from_draft_to_an_order() {
        let mut q = Quote::new(id(1), content(&["6.32", "21.62"]), at(20)).unwrap();
        assert_eq!(
            (q.status, q.revision, q.number),
            (QuoteStatus::Draft, 1, id(1))
        );
        assert_eq!(q.priced.grand_total.to_string(), "33.52 EUR");
        assert!(SalesOrder::from_accepted(SalesOrderId::new(1).unwrap(), &q, at(20)).is_err());
        assert!(q.accept(at(21)).is_err(), "a draft cannot be accepted");
        q.send(at(21)).unwrap();
        assert!(q.send(at(21)).is_err());
        q.accept(at(30)).unwrap();
        let order = SalesOrder::from_accepted(SalesOrderId::new(9).unwrap(), &q, at(30)).unwrap();
        let payload = order.erp_payload();
        assert_eq!(payload["format_version"], 1);
        assert_eq!(payload["totals"]["grand_total"], "33.52");
        assert_eq!(payload["totals"]["taxes"][0]["amount"], "5.58");
        assert_eq!(payload["lines"][1]["taxes"][0]["amount"], "4.32");
        assert_eq!(payload["lines"][0]["quantity"], "1");
        assert!(
            q.revise(id(2), content(&["1"]), at(30)).is_err(),
            "an accepted quote is final"
        );
    }

    #[test]
    fn expiry_is_checked_against_the_clock_given() {
        let mut q = Quote::new(id(1), content(&["10"]), at(20)).unwrap();
        q.send(at(21)).unwrap();
        let before = q.clone();
        let err = q.accept(at(30) + chrono::Duration::days(1)).unwrap_err();
        assert_eq!(err.code(), "illegal_transition");
        assert_eq!(q, before, "nothing changes");
        assert!(!q.expire_if_due(at(30)));
        assert!(q.expire_if_due(at(30) + chrono::Duration::days(1)));
        assert_eq!(q.status, QuoteStatus::Expired);
        // An expired quote can be revised into a new draft.
        let mut fresh = content(&["10"]);
        fresh.valid_until = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
        let r = q
            .revise(id(2), fresh, at(30) + chrono::Duration::days(1))
            .unwrap();
        assert_eq!(
            (r.revision, r.number, r.status),
            (2, id(1), QuoteStatus::Draft)
        );
        let mut other = content(&["10"]);
        other.account = AccountId::new(2).unwrap();
        assert_eq!(
            q.revise(id(3), other, at(25)).unwrap_err().code(),
            "invalid_value"
        );
        assert!(Quote::new(id(4), content(&[]), at(20)).is_err(), "no lines");
    }

    #[test]
    fn the_payload_has_every_field_the_schema_requires() {
        let schema: serde_json::Value =
            serde_json::from_str(include_str!("../../../schemas/sales-order.v1.json")).unwrap();
        let mut q = Quote::new(id(1), content(&["6.32", "21.62"]), at(20)).unwrap();
        q.send(at(20)).unwrap();
        q.accept(at(21)).unwrap();
        let payload = SalesOrder::from_accepted(SalesOrderId::new(1).unwrap(), &q, at(21))
            .unwrap()
            .erp_payload();
        fn check(schema: &serde_json::Value, value: &serde_json::Value, path: &str) {
            if let Some(required) = schema["required"].as_array() {
                for key in required {
                    let key = key.as_str().unwrap();
                    assert!(value.get(key).is_some(), "{path}.{key} is missing");
                    check(
                        &schema["properties"][key],
                        &value[key],
                        &format!("{path}.{key}"),
                    );
                }
            }
            if schema["$ref"] == "#/$defs/decimal" {
                let text = value
                    .as_str()
                    .unwrap_or_else(|| panic!("{path} is not a string"));
                assert!(text.parse::<Decimal>().is_ok(), "{path}: {text}");
            }
            if let (Some(items), Some(values)) = (schema.get("items"), value.as_array()) {
                for (i, v) in values.iter().enumerate() {
                    check(items, v, &format!("{path}[{i}]"));
                }
            }
        }
        check(&schema, &payload, "$");
    }

    proptest! {
        #[test]
        fn a_revision_never_changes_an_earlier_one(
            cents in prop::collection::vec(1i64..1_000_000, 1..6),
            new_cents in prop::collection::vec(1i64..1_000_000, 1..6),
            send in any::<bool>(),
            reject in any::<bool>(),
        ) {
            let prices: Vec<String> = cents.iter().map(|c| Decimal::new(*c, 2).to_string()).collect();
            let refs: Vec<&str> = prices.iter().map(String::as_str).collect();
            let mut q = Quote::new(id(1), content(&refs), at(20)).unwrap();
            if send { q.send(at(21)).unwrap(); if reject { q.reject("too dear", at(22)).unwrap(); } }
            let before = serde_json::to_string(&q).unwrap();
            let new_prices: Vec<String> = new_cents.iter().map(|c| Decimal::new(*c, 2).to_string()).collect();
            let new_refs: Vec<&str> = new_prices.iter().map(String::as_str).collect();
            let r = q.revise(id(2), content(&new_refs), at(23)).unwrap();
            prop_assert_eq!(serde_json::to_string(&q).unwrap(), before);
            prop_assert_eq!(r.revision, q.revision + 1);
            prop_assert_eq!(r.number, q.number);
            prop_assert_eq!(r.status, QuoteStatus::Draft);
        }
    }
}
