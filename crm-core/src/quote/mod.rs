//! Quotations: pricing a document's lines — discounts, taxes included in or excluded from
//! the price, compounding, and rounding to the currency's minor unit with a named mode and
//! a named strategy ([`pricing`]).

pub mod pricing;

pub use pricing::{
    Discount, LineTax, PriceLine, PricedDocument, PricedLine, Rounding, RoundingStrategy, TaxRate,
    TaxTable, TaxTotal, price_document,
};
