//! `priceDocument`: crm-core's pricing without a store (quotes on the store are the
//! `crm.quotes` namespace).

use crm_core::quote::pricing;
use napi::Env;
use napi::bindgen_prelude::*;
use napi_derive::napi;

use crate::edge::{self, arg, call};

/// Prices lines without a store: discounts, taxes by rate, rounding per line or on the
/// total, exactly (decimal strings in, decimal strings out).
#[napi(
    ts_args_type = "lines: PriceLine[], currency: string, rounding: Rounding, options?: PricingOptions",
    ts_return_type = "PricedDocument"
)]
pub fn price_document<'env>(
    env: &'env Env,
    lines: Unknown<'_>,
    currency: Unknown<'_>,
    rounding: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> Result<Unknown<'env>> {
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
