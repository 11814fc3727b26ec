//! Quotes and sales orders on the `Crm` class: products and price books, configuration,
//! quotes with their revisions and lifecycle, orders and their ERP hand-off; and
//! `priceDocument`, crm-core's pricing without a store.

use crm_core::id::{OpportunityId, QuoteId, SalesOrderId};
use crm_core::quote::pricing;
use napi::Env;
use napi::bindgen_prelude::*;
use napi_derive::napi;
use serde_json::Value;

use crate::edge::{self, arg, call, date};
use crate::facade::Crm;

/// Prices lines without a store: discounts, taxes by rate, rounding per line or on the
/// total, exactly (decimal strings in, decimal strings out).
#[napi(
    ts_args_type = "lines: PriceLine[], currency: string, rounding: Rounding, options?: PricingOptions",
    ts_return_type = "PricedDocument"
)]
pub fn price_document(
    env: &Env,
    lines: Unknown<'_>,
    currency: Unknown<'_>,
    rounding: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> Result<Value> {
    #[derive(serde::Deserialize, Default)]
    #[serde(deny_unknown_fields)]
    struct Options {
        #[serde(default)]
        document_discount: Option<crm_core::Percent>,
        #[serde(default)]
        taxes: Option<pricing::TaxTable>,
    }
    call(env, || {
        let lines: Vec<pricing::PriceLine> = arg("lines", lines)?;
        let currency = arg("currency", currency)?;
        let rounding: pricing::Rounding = arg("rounding", rounding)?;
        let o: Options = edge::opt("options", options)?.unwrap_or_default();
        pricing::price_document(
            &lines,
            o.document_discount.unwrap_or(crm_core::Percent::ZERO),
            &o.taxes.unwrap_or_default(),
            currency,
            rounding,
        )
    })
}

#[napi]
impl Crm {
    /// Defines (or redefines) a product of the catalog.
    #[napi(
        ts_args_type = "product: Product, now?: Instant",
        ts_return_type = "ProductRecord"
    )]
    pub fn define_product(
        &self,
        env: &Env,
        product: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            self.inner
                .define_product(arg("product", product)?, edge::now(now)?)
        })
    }

    /// The product with this SKU, or null.
    #[napi(ts_args_type = "sku: string", ts_return_type = "ProductRecord | null")]
    pub fn product(&self, env: &Env, sku: Unknown<'_>) -> Result<Value> {
        call(env, || self.inner.product(&arg::<String>("sku", sku)?))
    }

    /// Defines (or redefines) a price book.
    #[napi(
        ts_args_type = "book: PriceBook, now?: Instant",
        ts_return_type = "PriceBookRecord"
    )]
    pub fn define_price_book(
        &self,
        env: &Env,
        book: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            self.inner
                .define_price_book(arg("book", book)?, edge::now(now)?)
        })
    }

    /// The price book with this name, or null.
    #[napi(
        ts_args_type = "name: string",
        ts_return_type = "PriceBookRecord | null"
    )]
    pub fn price_book(&self, env: &Env, name: Unknown<'_>) -> Result<Value> {
        call(env, || self.inner.price_book(&arg::<String>("name", name)?))
    }

    /// Configures a product with options (checked against its rules) and prices it from a
    /// price book on a day (`YYYY-MM-DD`).
    #[napi(
        ts_args_type = "sku: string, options: string[], priceBook: string, on: string",
        ts_return_type = "Configuration"
    )]
    pub fn configure_product(
        &self,
        env: &Env,
        sku: Unknown<'_>,
        options: Unknown<'_>,
        price_book: Unknown<'_>,
        on: Unknown<'_>,
    ) -> Result<Value> {
        call(env, || {
            let sku: String = arg("sku", sku)?;
            let options: Vec<String> = arg("options", options)?;
            let options: Vec<&str> = options.iter().map(String::as_str).collect();
            let book: String = arg("priceBook", price_book)?;
            self.inner
                .configure_product(&sku, &options, &book, date("on", on)?)
        })
    }

    /// Creates a draft quote.
    #[napi(
        ts_args_type = "content: QuoteContent, now?: Instant",
        ts_return_type = "Quote"
    )]
    pub fn create_quote(
        &self,
        env: &Env,
        content: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            self.inner
                .create_quote(arg("content", content)?, edge::now(now)?)
        })
    }

    /// A new revision of a quote (the previous one is superseded).
    #[napi(
        ts_args_type = "id: number, content: QuoteContent, now?: Instant",
        ts_return_type = "Quote"
    )]
    pub fn revise_quote(
        &self,
        env: &Env,
        id: Unknown<'_>,
        content: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            let id: QuoteId = arg("id", id)?;
            self.inner
                .revise_quote(id, arg("content", content)?, edge::now(now)?)
        })
    }

    /// Sends a quote to the customer.
    #[napi(ts_args_type = "id: number, now?: Instant", ts_return_type = "Quote")]
    pub fn send_quote(
        &self,
        env: &Env,
        id: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            self.inner.send_quote(arg("id", id)?, edge::now(now)?)
        })
    }

    /// Records the customer's acceptance.
    #[napi(ts_args_type = "id: number, now?: Instant", ts_return_type = "Quote")]
    pub fn accept_quote(
        &self,
        env: &Env,
        id: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            self.inner.accept_quote(arg("id", id)?, edge::now(now)?)
        })
    }

    /// Records the customer's refusal, with the reason.
    #[napi(
        ts_args_type = "id: number, reason: string, now?: Instant",
        ts_return_type = "Quote"
    )]
    pub fn reject_quote(
        &self,
        env: &Env,
        id: Unknown<'_>,
        reason: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            let id: QuoteId = arg("id", id)?;
            let reason: String = arg("reason", reason)?;
            self.inner.reject_quote(id, &reason, edge::now(now)?)
        })
    }

    /// Expires the sent quotes whose validity ended before `now`.
    #[napi(ts_args_type = "now?: Instant", ts_return_type = "Quote[]")]
    pub fn expire_quotes(&self, env: &Env, now: Option<Unknown<'_>>) -> Result<Value> {
        call(env, || self.inner.expire_quotes(edge::now(now)?))
    }

    /// A quote (one revision).
    #[napi(ts_args_type = "id: number", ts_return_type = "Quote")]
    pub fn quote(&self, env: &Env, id: Unknown<'_>) -> Result<Value> {
        call(env, || self.inner.quote(arg("id", id)?))
    }

    /// Every revision of the quote with this number, oldest first.
    #[napi(ts_args_type = "number: number", ts_return_type = "Quote[]")]
    pub fn quote_revisions(&self, env: &Env, number: Unknown<'_>) -> Result<Value> {
        call(env, || self.inner.quote_revisions(arg("number", number)?))
    }

    /// The quotes of an opportunity.
    #[napi(ts_args_type = "opportunity: number", ts_return_type = "Quote[]")]
    pub fn quotes_of(&self, env: &Env, opportunity: Unknown<'_>) -> Result<Value> {
        call(env, || {
            self.inner
                .quotes_of(arg::<OpportunityId>("opportunity", opportunity)?)
        })
    }

    /// Turns an accepted quote into a sales order.
    #[napi(
        ts_args_type = "id: number, now?: Instant",
        ts_return_type = "SalesOrder"
    )]
    pub fn convert_quote_to_order(
        &self,
        env: &Env,
        id: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            self.inner
                .convert_quote_to_order(arg("id", id)?, edge::now(now)?)
        })
    }

    /// A sales order.
    #[napi(ts_args_type = "id: number", ts_return_type = "SalesOrder")]
    pub fn sales_order(&self, env: &Env, id: Unknown<'_>) -> Result<Value> {
        call(env, || self.inner.sales_order(arg("id", id)?))
    }

    /// Every sales order.
    #[napi(ts_return_type = "SalesOrder[]")]
    pub fn sales_orders(&self, env: &Env) -> Result<Value> {
        call(env, || self.inner.sales_orders())
    }

    /// A sales order's ERP hand-off document, exactly as `schemas/sales-order.v1.json`
    /// describes it (its keys stay snake_case: it is a file format, not a record).
    #[napi(
        ts_args_type = "id: number",
        ts_return_type = "Record<string, unknown>"
    )]
    pub fn sales_order_payload(&self, env: &Env, id: Unknown<'_>) -> Result<Value> {
        edge::guarded(|| {
            let order = self.inner.sales_order(arg::<SalesOrderId>("id", id)?)?;
            Ok(order.erp_payload())
        })
        .map_err(|e| edge::js_error(env, &e))
    }

    /// Sets an opportunity's amount to its quote's total.
    #[napi(
        ts_args_type = "id: number, now?: Instant",
        ts_return_type = "Opportunity"
    )]
    pub fn follow_quote_amount(
        &self,
        env: &Env,
        id: Unknown<'_>,
        now: Option<Unknown<'_>>,
    ) -> Result<Value> {
        call(env, || {
            self.inner
                .follow_quote_amount(arg("id", id)?, edge::now(now)?)
        })
    }
}
