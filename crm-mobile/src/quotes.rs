//! `price_document`: crm-core's pricing without a store (quotes on the store are the
//! `quotes` namespace of `CrmStore`).

use crm_core::quote::pricing::{self, PriceLine, PricedDocument, Rounding, TaxTable};
use crm_core::uniffi_types::{CrmError, guarded};
use crm_core::{Currency, Percent};

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
