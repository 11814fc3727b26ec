//! Quotes and sales orders on `CrmStore`: the catalog, price books, configuration, quotes
//! and their revisions, sales orders.

use std::time::SystemTime;

use crm_core::uniffi_types::{CrmError, guarded};

use crate::store::{CrmStore, at};
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
use crm_core::sales::Opportunity;

#[uniffi::export]
impl CrmStore {
    #[uniffi::method(default(now = None))]
    pub fn define_product(
        &self,
        product: Product,
        now: Option<SystemTime>,
    ) -> Result<ProductRecord, CrmError> {
        guarded(|| self.crm.define_product(product, at(now)))
    }

    pub fn product(&self, sku: String) -> Result<Option<ProductRecord>, CrmError> {
        guarded(|| self.crm.product(&sku))
    }

    #[uniffi::method(default(now = None))]
    pub fn define_price_book(
        &self,
        book: PriceBook,
        now: Option<SystemTime>,
    ) -> Result<PriceBookRecord, CrmError> {
        guarded(|| self.crm.define_price_book(book, at(now)))
    }

    pub fn price_book(&self, name: String) -> Result<Option<PriceBookRecord>, CrmError> {
        guarded(|| self.crm.price_book(&name))
    }

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

    #[uniffi::method(default(now = None))]
    pub fn create_quote(
        &self,
        content: QuoteContent,
        now: Option<SystemTime>,
    ) -> Result<Quote, CrmError> {
        guarded(|| self.crm.create_quote(content, at(now)))
    }

    #[uniffi::method(default(now = None))]
    pub fn revise_quote(
        &self,
        id: QuoteId,
        content: QuoteContent,
        now: Option<SystemTime>,
    ) -> Result<Quote, CrmError> {
        guarded(|| self.crm.revise_quote(id, content, at(now)))
    }

    #[uniffi::method(default(now = None))]
    pub fn send_quote(&self, id: QuoteId, now: Option<SystemTime>) -> Result<Quote, CrmError> {
        guarded(|| self.crm.send_quote(id, at(now)))
    }

    #[uniffi::method(default(now = None))]
    pub fn accept_quote(&self, id: QuoteId, now: Option<SystemTime>) -> Result<Quote, CrmError> {
        guarded(|| self.crm.accept_quote(id, at(now)))
    }

    #[uniffi::method(default(now = None))]
    pub fn reject_quote(
        &self,
        id: QuoteId,
        reason: String,
        now: Option<SystemTime>,
    ) -> Result<Quote, CrmError> {
        guarded(|| self.crm.reject_quote(id, &reason, at(now)))
    }

    #[uniffi::method(default(now = None))]
    pub fn expire_quotes(&self, now: Option<SystemTime>) -> Result<Vec<Quote>, CrmError> {
        guarded(|| self.crm.expire_quotes(at(now)))
    }

    pub fn quote(&self, id: QuoteId) -> Result<Quote, CrmError> {
        guarded(|| self.crm.quote(id))
    }

    pub fn quote_revisions(&self, number: QuoteId) -> Result<Vec<Quote>, CrmError> {
        guarded(|| self.crm.quote_revisions(number))
    }

    pub fn quotes_of(&self, opportunity: OpportunityId) -> Result<Vec<Quote>, CrmError> {
        guarded(|| self.crm.quotes_of(opportunity))
    }

    #[uniffi::method(default(now = None))]
    pub fn convert_quote_to_order(
        &self,
        id: QuoteId,
        now: Option<SystemTime>,
    ) -> Result<SalesOrder, CrmError> {
        guarded(|| self.crm.convert_quote_to_order(id, at(now)))
    }

    pub fn sales_order(&self, id: SalesOrderId) -> Result<SalesOrder, CrmError> {
        guarded(|| self.crm.sales_order(id))
    }

    pub fn sales_orders(&self) -> Result<Vec<SalesOrder>, CrmError> {
        guarded(|| self.crm.sales_orders())
    }

    #[uniffi::method(default(now = None))]
    pub fn follow_quote_amount(
        &self,
        id: QuoteId,
        now: Option<SystemTime>,
    ) -> Result<Opportunity, CrmError> {
        guarded(|| self.crm.follow_quote_amount(id, at(now)))
    }
}
