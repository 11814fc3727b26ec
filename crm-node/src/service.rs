//! `BusinessCalendar`: due dates in business time without a store (the service desk on the
//! store is the `crm.service` namespace).

use crm_core::service::calendar;
use napi::Env;
use napi::bindgen_prelude::*;
use napi_derive::napi;

use crate::edge::{self, arg, call, instant, js_error};

/// A business calendar (zone, working hours per weekday, holidays, exceptions): business
/// time added to and measured between instants, exact across DST changes.
#[napi]
pub struct BusinessCalendar {
    inner: calendar::BusinessCalendar,
}

#[napi]
impl BusinessCalendar {
    /// A calendar from its definition (checked: it must have working time).
    #[napi(constructor, ts_args_type = "definition: BusinessCalendarDefinition")]
    pub fn new(env: &Env, definition: Unknown<'_>) -> Result<Self> {
        edge::guarded(|| {
            let inner: calendar::BusinessCalendar =
                edge::arg_as("definition", edge::plan_of("BusinessCalendar"), definition)?;
            Ok(BusinessCalendar {
                inner: inner.checked()?,
            })
        })
        .map_err(|e| js_error(env, &e))
    }

    /// The instant `minutes` business minutes after `start`, as an ISO-8601 UTC string.
    #[napi(ts_args_type = "start: Instant, minutes: number")]
    pub fn add(&self, env: &Env, start: Unknown<'_>, minutes: Unknown<'_>) -> Result<String> {
        edge::guarded(|| {
            let start = instant("start", start)?;
            let minutes: i64 = arg("minutes", minutes)?;
            let due = self.inner.add_minutes(start, minutes)?;
            Ok(crm_core::time::format_rfc3339(due))
        })
        .map_err(|e| js_error(env, &e))
    }

    /// The business minutes between two instants (negative when `to` is before `from`).
    #[napi(ts_args_type = "from: Instant, to: Instant")]
    pub fn between(&self, env: &Env, from: Unknown<'_>, to: Unknown<'_>) -> Result<f64> {
        edge::guarded(|| {
            let d = self
                .inner
                .between(instant("from", from)?, instant("to", to)?);
            #[allow(clippy::cast_precision_loss)]
            Ok(d.num_seconds() as f64 / 60.0)
        })
        .map_err(|e| js_error(env, &e))
    }

    /// Whether `at` falls in working time.
    #[napi(ts_args_type = "at: Instant")]
    pub fn is_working(&self, env: &Env, at: Unknown<'_>) -> Result<bool> {
        edge::guarded(|| Ok(self.inner.is_working(instant("at", at)?)))
            .map_err(|e| js_error(env, &e))
    }

    /// The calendar's definition.
    #[napi(ts_return_type = "BusinessCalendarDefinition")]
    pub fn definition<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        call(env, edge::plan_of("BusinessCalendar"), || Ok(&self.inner))
    }
}
