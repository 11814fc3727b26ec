//! Quotation use cases: the catalog (products, price books, configuration), quotes (create,
//! revise, send, accept, reject, expire), sales orders from accepted quotes, and an
//! opportunity's amount following its quote — each write one transaction with its events.

use chrono::{DateTime, NaiveDate, Utc};

use crate::customer::Contact;
use crate::error::{Error, Result};
use crate::event::DomainEvent;
use crate::id::{OpportunityId, PriceBookId, ProductId, QuoteId, RecordRef, SalesOrderId};
use crate::quote::catalog::{Configuration, PriceBook, PriceBookRecord, Product, ProductRecord};
use crate::quote::document::{Quote, QuoteContent, QuoteStatus, SalesOrder};
use crate::sales::{Opportunity, Pipeline, StageKind};
use crate::store::{EntityKind, ReadExt, RecordId, Store, WriteExt, WriteTx};

use super::sales_cases::change_opportunity_in;
use super::{Crm, ensure_exists};

impl<S: Store> Crm<S> {
    /// Adds a product to the catalog.
    ///
    /// # Errors
    /// [`Error::Validation`] for an inconsistent definition; [`Error::Duplicate`] for a
    /// SKU already in the catalog; [`Error::Storage`].
    pub fn define_product(&self, product: Product, now: DateTime<Utc>) -> Result<ProductRecord> {
        product.check()?;
        self.write(|tx| {
            if !tx
                .find::<ProductRecord>(ProductRecord::BY_SKU, &product.sku)?
                .is_empty()
            {
                return Err(Error::Duplicate {
                    kind: "product".into(),
                    reason: format!("SKU {} is already in the catalog", product.sku),
                });
            }
            let id = ProductId::from_raw(tx.next_id(EntityKind::Product)?);
            let mut record = ProductRecord {
                id,
                version: crate::id::Version::NEW,
                product,
            };
            tx.update(&mut record)?;
            tx.emit(
                &DomainEvent::ProductDefined {
                    product: id,
                    sku: record.product.sku.clone(),
                },
                now,
            )?;
            Ok(record)
        })
    }

    /// The product with `sku`, if any.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn product(&self, sku: &str) -> Result<Option<ProductRecord>> {
        self.read(|tx| {
            Ok(tx
                .find::<ProductRecord>(ProductRecord::BY_SKU, sku)?
                .into_iter()
                .next())
        })
    }

    /// Defines a price book.
    ///
    /// # Errors
    /// [`Error::Validation`] for bad entries; [`Error::Duplicate`] for a name in use;
    /// [`Error::Storage`].
    pub fn define_price_book(
        &self,
        book: PriceBook,
        now: DateTime<Utc>,
    ) -> Result<PriceBookRecord> {
        book.check()?;
        self.write(|tx| {
            let key = book.name.trim().to_lowercase();
            if !tx
                .find::<PriceBookRecord>(PriceBookRecord::BY_NAME, &key)?
                .is_empty()
            {
                return Err(Error::Duplicate {
                    kind: "price book".into(),
                    reason: format!("{:?} is already defined", book.name),
                });
            }
            let id = PriceBookId::from_raw(tx.next_id(EntityKind::PriceBook)?);
            let mut record = PriceBookRecord {
                id,
                version: crate::id::Version::NEW,
                book,
            };
            tx.update(&mut record)?;
            tx.emit(&DomainEvent::PriceBookDefined { price_book: id }, now)?;
            Ok(record)
        })
    }

    /// The price book called `name` (case-insensitive), if any.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn price_book(&self, name: &str) -> Result<Option<PriceBookRecord>> {
        self.read(|tx| {
            Ok(tx
                .find::<PriceBookRecord>(PriceBookRecord::BY_NAME, &name.trim().to_lowercase())?
                .into_iter()
                .next())
        })
    }

    /// Configures the product `sku` with `options`, priced from the book `price_book` on
    /// `on`.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown product or book, or no price that day;
    /// [`Error::Validation`] naming every violated rule; [`Error::Storage`].
    pub fn configure_product(
        &self,
        sku: &str,
        options: &[&str],
        price_book: &str,
        on: NaiveDate,
    ) -> Result<Configuration> {
        let product = self.product(sku)?.ok_or_else(|| Error::NotFound {
            kind: "product".into(),
            id: sku.into(),
        })?;
        let book = self
            .price_book(price_book)?
            .ok_or_else(|| Error::NotFound {
                kind: "price book".into(),
                id: price_book.into(),
            })?;
        product.product.configure(options, &book.book, on)
    }

    /// Creates a quote (its first revision, a draft) for an account and, optionally, an
    /// opportunity of that account.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown account or opportunity; [`Error::InvalidValue`]
    /// for an opportunity of another account; [`Error::Validation`] for bad lines (nothing
    /// is written); [`Error::Storage`].
    pub fn create_quote(&self, content: QuoteContent, now: DateTime<Utc>) -> Result<Quote> {
        content.price()?;
        self.write(|tx| {
            check_parties(tx, &content)?;
            let id = QuoteId::from_raw(tx.next_id(EntityKind::Quote)?);
            let quote = Quote::new(id, content, now)?;
            insert_quote(tx, quote, now)
        })
    }

    /// Revises a quote: a new draft revision with `content`; the earlier revision stays as
    /// it was.
    ///
    /// # Errors
    /// [`Error::IllegalTransition`] for an accepted quote; as [`Crm::create_quote`].
    pub fn revise_quote(
        &self,
        id: QuoteId,
        content: QuoteContent,
        now: DateTime<Utc>,
    ) -> Result<Quote> {
        content.price()?;
        self.write(|tx| {
            check_parties(tx, &content)?;
            let earlier: Quote = tx.load(id)?;
            let new_id = QuoteId::from_raw(tx.next_id(EntityKind::Quote)?);
            let quote = earlier.revise(new_id, content, now)?;
            insert_quote(tx, quote, now)
        })
    }

    fn change_quote(
        &self,
        id: QuoteId,
        now: DateTime<Utc>,
        change: impl FnOnce(&mut Quote) -> Result<()>,
    ) -> Result<Quote> {
        self.write(|tx| change_quote_in(tx, id, now, change))
    }

    /// Sends a draft quote.
    ///
    /// # Errors
    /// [`Error::IllegalTransition`]; [`Error::NotFound`]; [`Error::Storage`].
    pub fn send_quote(&self, id: QuoteId, now: DateTime<Utc>) -> Result<Quote> {
        self.change_quote(id, now, |q| q.send(now))
    }

    /// Records the customer's acceptance of a sent quote, on or before its last valid day.
    /// The quote's open opportunity then changes as its pipeline says
    /// ([`crate::sales::OnQuoteAccepted`]), in the same transaction.
    ///
    /// # Errors
    /// [`Error::IllegalTransition`] when it is not sent or has expired by `now`;
    /// [`Error::CurrencyMismatch`] when the amount follows the quote and the opportunity
    /// is in another currency (nothing is written then); [`Error::NotFound`];
    /// [`Error::Storage`].
    pub fn accept_quote(&self, id: QuoteId, now: DateTime<Utc>) -> Result<Quote> {
        self.write(|tx| {
            let q = change_quote_in(tx, id, now, |q| q.accept(now))?;
            if let Some(o) = q.content.opportunity {
                follow_accepted_quote(tx, o, &q, now)?;
            }
            Ok(q)
        })
    }

    /// Records the customer's rejection of a sent quote.
    ///
    /// # Errors
    /// [`Error::IllegalTransition`]; [`Error::NotFound`]; [`Error::Storage`].
    pub fn reject_quote(&self, id: QuoteId, reason: &str, now: DateTime<Utc>) -> Result<Quote> {
        self.change_quote(id, now, |q| q.reject(reason, now))
    }

    /// Marks every sent quote past its validity at `now` as expired; returns them.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn expire_quotes(&self, now: DateTime<Utc>) -> Result<Vec<Quote>> {
        self.write(|tx| {
            let mut expired = Vec::new();
            for mut q in tx.find::<Quote>(Quote::BY_STATUS, QuoteStatus::Sent.as_str())? {
                if q.expire_if_due(now) {
                    tx.update(&mut q)?;
                    tx.emit(
                        &DomainEvent::QuoteStatusChanged {
                            quote: q.id,
                            status: q.status.as_str().into(),
                        },
                        now,
                    )?;
                    expired.push(q);
                }
            }
            Ok(expired)
        })
    }

    /// One quote revision.
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::Storage`].
    pub fn quote(&self, id: QuoteId) -> Result<Quote> {
        self.read(|tx| tx.load(id))
    }

    /// Every revision of the quote numbered `number`, oldest first.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn quote_revisions(&self, number: QuoteId) -> Result<Vec<Quote>> {
        self.read(|tx| tx.find(Quote::BY_NUMBER, &number.to_string()))
    }

    /// The quotes of an opportunity (every revision), oldest first.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn quotes_of(&self, opportunity: OpportunityId) -> Result<Vec<Quote>> {
        self.read(|tx| tx.find(Quote::BY_OPPORTUNITY, &opportunity.to_string()))
    }

    /// Turns an accepted quote into a sales order (once). In the same transaction the sale
    /// closes itself out: one purchase per line is recorded on the buyer (the quote's
    /// contact, else the opportunity's, else the account's first), at the price the line
    /// was sold at, with the opportunity owner as rep; and the order's hand-off to the ERP
    /// is queued in the outbox (`erp`, key `sales_order:<id>`).
    ///
    /// # Errors
    /// [`Error::IllegalTransition`] unless the quote is accepted; [`Error::Duplicate`] if
    /// it already has an order; [`Error::InvalidValue`] when there is no buyer to record
    /// the purchases on; [`Error::NotFound`]; [`Error::Storage`].
    pub fn convert_quote_to_order(&self, id: QuoteId, now: DateTime<Utc>) -> Result<SalesOrder> {
        self.write(|tx| {
            let quote: Quote = tx.load(id)?;
            if let Some(existing) = tx
                .find::<SalesOrder>(SalesOrder::BY_QUOTE, &id.to_string())?
                .first()
            {
                return Err(Error::Duplicate {
                    kind: "sales order".into(),
                    reason: format!("quote {id} is already order {}", existing.id),
                });
            }
            let order_id = SalesOrderId::from_raw(tx.next_id(EntityKind::SalesOrder)?);
            let mut order = SalesOrder::from_accepted(order_id, &quote, now)?;
            tx.update(&mut order)?;
            tx.emit(
                &DomainEvent::SalesOrderCreated {
                    order: order_id,
                    quote: id,
                    grand_total: order.priced.grand_total,
                },
                now,
            )?;
            super::order_cases::close_sale_in(tx, &order, now)?;
            Ok(order)
        })
    }

    /// A sales order.
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::Storage`].
    pub fn sales_order(&self, id: SalesOrderId) -> Result<SalesOrder> {
        self.read(|tx| tx.load(id))
    }

    /// Every sales order, oldest first.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn sales_orders(&self) -> Result<Vec<SalesOrder>> {
        self.read(|tx| tx.all())
    }

    /// Sets the amount of the quote's opportunity to the quote's subtotal (its amount
    /// before tax), as hosts do for the primary quote of a deal.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for a quote without an opportunity;
    /// [`Error::CurrencyMismatch`] when the opportunity is in another currency;
    /// [`Error::IllegalTransition`] for a closed opportunity; [`Error::NotFound`];
    /// [`Error::Storage`].
    pub fn follow_quote_amount(&self, id: QuoteId, now: DateTime<Utc>) -> Result<Opportunity> {
        let quote = self.quote(id)?;
        let opportunity = quote.content.opportunity.ok_or_else(|| {
            Error::invalid("quote", id.to_string(), "is not linked to an opportunity")
        })?;
        self.revise_opportunity(opportunity, Some(quote.priced.subtotal), None, now)
    }
}

fn check_parties(tx: &mut dyn WriteTx, content: &QuoteContent) -> Result<()> {
    ensure_exists(&*tx, RecordRef::Account(content.account))?;
    if let Some(c) = content.contact {
        let contact: Contact = tx.load(c)?;
        if contact.account != Some(content.account) {
            return Err(Error::invalid(
                "contact",
                c.to_string(),
                format!("is not a contact of account {}", content.account),
            ));
        }
    }
    if let Some(o) = content.opportunity {
        let opp: Opportunity = tx.load(o)?;
        if opp.account != content.account {
            return Err(Error::invalid(
                "opportunity",
                o.to_string(),
                format!(
                    "belongs to account {}, not {}",
                    opp.account, content.account
                ),
            ));
        }
    }
    Ok(())
}

fn insert_quote(tx: &mut dyn WriteTx, mut quote: Quote, now: DateTime<Utc>) -> Result<Quote> {
    tx.update(&mut quote)?;
    tx.emit(
        &DomainEvent::QuoteCreated {
            quote: quote.id,
            number: quote.number,
            revision: quote.revision,
            grand_total: quote.priced.grand_total,
        },
        now,
    )?;
    Ok(quote)
}

fn change_quote_in(
    tx: &mut dyn WriteTx,
    id: QuoteId,
    now: DateTime<Utc>,
    change: impl FnOnce(&mut Quote) -> Result<()>,
) -> Result<Quote> {
    let mut q: Quote = tx.load(id)?;
    change(&mut q)?;
    tx.update(&mut q)?;
    tx.emit(
        &DomainEvent::QuoteStatusChanged {
            quote: id,
            status: q.status.as_str().into(),
        },
        now,
    )?;
    Ok(q)
}

/// An accepted quote's opportunity, changed as its pipeline says: the amount from the
/// quote, then the stage (the won stage wins it at that amount). A closed deal stays.
fn follow_accepted_quote(
    tx: &mut dyn WriteTx,
    id: OpportunityId,
    quote: &Quote,
    now: DateTime<Utc>,
) -> Result<()> {
    let opp: Opportunity = tx.load(id)?;
    let pipeline: Pipeline = tx.load(opp.pipeline)?;
    let rule = pipeline.on_quote_accepted.clone();
    if opp.state != StageKind::Open {
        return Ok(());
    }
    let amount = rule.follow_amount.then_some(quote.priced.subtotal);
    let stage = match &rule.stage {
        Some(name) => Some(pipeline.stage(name)?.clone()),
        None => None,
    };
    match stage {
        Some(s) if s.kind == StageKind::Won => {
            change_opportunity_in(tx, id, now, |o, p| {
                o.win(p, amount, now)?;
                Ok(DomainEvent::OpportunityWon {
                    opportunity: id,
                    amount: o.amount,
                })
            })?;
        }
        stage => {
            if amount.is_some() {
                change_opportunity_in(tx, id, now, |o, _| {
                    o.revise(amount, None, now)?;
                    Ok(DomainEvent::OpportunityUpdated { opportunity: id })
                })?;
            }
            if let Some(s) = stage.filter(|s| !s.name.eq_ignore_ascii_case(&opp.stage)) {
                change_opportunity_in(tx, id, now, |o, p| {
                    let from = o.stage.clone();
                    o.advance(p, &s.name, now)?;
                    Ok(DomainEvent::StageChanged {
                        opportunity: id,
                        from,
                        to: o.stage.clone(),
                        probability: o.probability,
                    })
                })?;
            }
        }
    }
    Ok(())
}
