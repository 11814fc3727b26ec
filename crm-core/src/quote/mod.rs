//! Quotations: the product catalog and its configuration rules ([`catalog`]), quotes with
//! revisions and a status machine, and the sales orders they become ([`document`]), and the
//! pricing of a document's lines — discounts, taxes included in or excluded from the price,
//! compounding, and rounding to the currency's minor unit with a named mode and a named
//! strategy ([`pricing`]).

pub mod catalog;
pub mod document;
pub mod order;
pub mod pricing;

pub use document::{
    Quote, QuoteContent, QuoteLine, QuoteStatus, SALES_ORDER_FORMAT_VERSION, SalesOrder,
};

pub use catalog::{
    Choice, Configuration, Constraint, OptionGroup, PriceBook, PriceBookEntry, Product,
    ProductOption, WarrantyTerms,
};
pub use pricing::{
    Discount, LineTax, PriceLine, PricedDocument, PricedLine, Rounding, RoundingStrategy, TaxRate,
    TaxTable, TaxTotal, price_document,
};
