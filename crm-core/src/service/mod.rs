//! Service desk: business calendars for SLA targets ([`calendar`]).

pub mod calendar;

pub use calendar::{BusinessCalendar, Timeline, WorkingInterval};
