//! `priceDocument`: crm-core's pricing without a store (quotes on the store are the
//! `crm.quotes` namespace).

use crm_core::quote::pricing;
use crm_core::surface::model::Plan;
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
    let line_plan = Plan::List(Box::new(edge::plan_of("PriceLine").clone()));
    let tax_plan = Plan::List(Box::new(edge::plan_of("TaxRate").clone()));
    call(env, edge::plan_of("PricedDocument"), || {
        let lines: Vec<pricing::PriceLine> = edge::arg_as("lines", &line_plan, lines)?;
        let currency = arg("currency", currency)?;
        let rounding: pricing::Rounding =
            edge::arg_as("rounding", edge::plan_of("Rounding"), rounding)?;
        let options: serde_json::Map<String, serde_json::Value> =
            edge::opt("options", &Plan::Any, options)?.unwrap_or_default();
        if let Some(unknown) = options
            .keys()
            .find(|k| !["documentDiscount", "taxes"].contains(&k.as_str()))
        {
            return Err(crm_core::Error::Input {
                message: format!("options: no option `{unknown}` (documentDiscount, taxes)"),
            });
        }
        let discount: Option<crm_core::Percent> = match options.get("documentDiscount") {
            Some(v) => edge::from_json("options.documentDiscount", &Plan::Any, v.clone())?,
            None => None,
        };
        let taxes: Option<pricing::TaxTable> = match options.get("taxes") {
            Some(v) => edge::from_json("options.taxes", &tax_plan, v.clone())?,
            None => None,
        };
        pricing::price_document(
            &lines,
            discount.unwrap_or(crm_core::Percent::ZERO),
            &taxes.unwrap_or_default(),
            currency,
            rounding,
        )
    })
}
