//! Quotes and sales orders on `CrmStore`: the catalog, price books, configuration, quotes
//! and their revisions, sales orders.

use std::time::SystemTime;

use chrono::NaiveDate;
use crm_core::id::{OpportunityId, QuoteId, SalesOrderId};
use crm_core::quote::catalog::Configuration;
use crm_core::quote::catalog::PriceBook;
use crm_core::quote::catalog::PriceBookRecord;
use crm_core::quote::catalog::Product;
use crm_core::quote::catalog::ProductRecord;
use crm_core::quote::document::Quote;
use crm_core::quote::document::QuoteContent;
use crm_core::quote::document::SalesOrder;
use crm_core::quote::pricing::{self, PriceLine, PricedDocument, Rounding, TaxTable};
use crm_core::sales::Opportunity;
use crm_core::uniffi_types::{CrmError, guarded};
use crm_core::{Currency, Percent};

use crate::store::{CrmStore, at};

/// Prices lines without a store: discounts, taxes by rate, rounding per line or on the
/// total, exactly (decimal strings in and out).
#[uniffi::export(default(document_discount = None, taxes = None))]
pub fn price_document(
    lines: Vec<PriceLine>,
    currency: Currency,
    rounding: Rounding,
    document_discount: Option<Percent>,
    taxes: Option<TaxTable>,
) -> Result<PricedDocument, CrmError> {
    guarded(|| {
        pricing::price_document(
            &lines,
            document_discount.unwrap_or(Percent::ZERO),
            &taxes.unwrap_or_default(),
            currency,
            rounding,
        )
    })
}

#[uniffi::export]
impl CrmStore {
    /// Adds a product to the catalog.
    #[uniffi::method(default(now = None))]
    pub fn define_product(
        &self,
        product: Product,
        now: Option<SystemTime>,
    ) -> Result<ProductRecord, CrmError> {
        guarded(|| self.crm.define_product(product, at(now)))
    }

    /// The product with `sku`, if any.
    pub fn product(&self, sku: String) -> Result<Option<ProductRecord>, CrmError> {
        guarded(|| self.crm.product(&sku))
    }

    /// Defines a price book.
    #[uniffi::method(default(now = None))]
    pub fn define_price_book(
        &self,
        book: PriceBook,
        now: Option<SystemTime>,
    ) -> Result<PriceBookRecord, CrmError> {
        guarded(|| self.crm.define_price_book(book, at(now)))
    }

    /// The price book called `name` (case-insensitive), if any.
    pub fn price_book(&self, name: String) -> Result<Option<PriceBookRecord>, CrmError> {
        guarded(|| self.crm.price_book(&name))
    }

    /// Configures the product `sku` with `options`, priced from the book `price_book` on
    /// `on`.
    pub fn configure_product(
        &self,
        sku: String,
        options: Vec<String>,
        price_book: String,
        on: NaiveDate,
    ) -> Result<Configuration, CrmError> {
        guarded(|| {
            let options: Vec<&str> = options.iter().map(String::as_str).collect();
            self.crm.configure_product(&sku, &options, &price_book, on)
        })
    }

    /// Creates a quote (its first revision, a draft) for an account and, optionally, an
    /// opportunity of that account.
    #[uniffi::method(default(now = None))]
    pub fn create_quote(
        &self,
        content: QuoteContent,
        now: Option<SystemTime>,
    ) -> Result<Quote, CrmError> {
        guarded(|| self.crm.create_quote(content, at(now)))
    }

    /// Revises a quote: a new draft revision with `content`; the earlier revision stays as
    /// it was.
    #[uniffi::method(default(now = None))]
    pub fn revise_quote(
        &self,
        id: QuoteId,
        content: QuoteContent,
        now: Option<SystemTime>,
    ) -> Result<Quote, CrmError> {
        guarded(|| self.crm.revise_quote(id, content, at(now)))
    }

    /// Sends a draft quote.
    #[uniffi::method(default(now = None))]
    pub fn send_quote(&self, id: QuoteId, now: Option<SystemTime>) -> Result<Quote, CrmError> {
        guarded(|| self.crm.send_quote(id, at(now)))
    }

    /// Records the customer's acceptance of a sent quote, on or before its last valid day.
    #[uniffi::method(default(now = None))]
    pub fn accept_quote(&self, id: QuoteId, now: Option<SystemTime>) -> Result<Quote, CrmError> {
        guarded(|| self.crm.accept_quote(id, at(now)))
    }

    /// Records the customer's rejection of a sent quote.
    #[uniffi::method(default(now = None))]
    pub fn reject_quote(
        &self,
        id: QuoteId,
        reason: String,
        now: Option<SystemTime>,
    ) -> Result<Quote, CrmError> {
        guarded(|| self.crm.reject_quote(id, &reason, at(now)))
    }

    /// Marks every sent quote past its validity at `now` as expired; returns them.
    #[uniffi::method(default(now = None))]
    pub fn expire_quotes(&self, now: Option<SystemTime>) -> Result<Vec<Quote>, CrmError> {
        guarded(|| self.crm.expire_quotes(at(now)))
    }

    /// One quote revision.
    pub fn quote(&self, id: QuoteId) -> Result<Quote, CrmError> {
        guarded(|| self.crm.quote(id))
    }

    /// Every revision of the quote numbered `number`, oldest first.
    pub fn quote_revisions(&self, number: QuoteId) -> Result<Vec<Quote>, CrmError> {
        guarded(|| self.crm.quote_revisions(number))
    }

    /// The quotes of an opportunity (every revision), oldest first.
    pub fn quotes_of(&self, opportunity: OpportunityId) -> Result<Vec<Quote>, CrmError> {
        guarded(|| self.crm.quotes_of(opportunity))
    }

    /// Turns an accepted quote into a sales order (once).
    #[uniffi::method(default(now = None))]
    pub fn convert_quote_to_order(
        &self,
        id: QuoteId,
        now: Option<SystemTime>,
    ) -> Result<SalesOrder, CrmError> {
        guarded(|| self.crm.convert_quote_to_order(id, at(now)))
    }

    /// A sales order.
    pub fn sales_order(&self, id: SalesOrderId) -> Result<SalesOrder, CrmError> {
        guarded(|| self.crm.sales_order(id))
    }

    /// Every sales order, oldest first.
    pub fn sales_orders(&self) -> Result<Vec<SalesOrder>, CrmError> {
        guarded(|| self.crm.sales_orders())
    }

    /// Sets the amount of the quote's opportunity to the quote's subtotal (its amount
    /// before tax), as hosts do for the primary quote of a deal.
    #[uniffi::method(default(now = None))]
    pub fn follow_quote_amount(
        &self,
        id: QuoteId,
        now: Option<SystemTime>,
    ) -> Result<Opportunity, CrmError> {
        guarded(|| self.crm.follow_quote_amount(id, at(now)))
    }
}
