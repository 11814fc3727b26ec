//! Business time without a store: `add_business_minutes` and `business_minutes_between`
//! (the service desk on the store is the `service` namespace of `CrmStore`).

use std::time::SystemTime;

use chrono::DateTime;
use crm_core::service::calendar::BusinessCalendar;
use crm_core::uniffi_types::{CrmError, guarded};

/// The instant `minutes` business minutes after `start` on `calendar` (an SLA due date
/// without a store).
#[uniffi::export]
pub fn add_business_minutes(
    calendar: BusinessCalendar,
    start: SystemTime,
    minutes: i64,
) -> Result<SystemTime, CrmError> {
    guarded(|| {
        let due = calendar
            .checked()?
            .add_minutes(DateTime::from(start), minutes)?;
        Ok(due.into())
    })
}

/// The business minutes on `calendar` between two instants (negative when `to` is first).
#[uniffi::export]
pub fn business_minutes_between(
    calendar: BusinessCalendar,
    from: SystemTime,
    to: SystemTime,
) -> Result<i64, CrmError> {
    guarded(|| {
        let calendar = calendar.checked()?;
        Ok(calendar
            .between(DateTime::from(from), DateTime::from(to))
            .num_minutes())
    })
}
