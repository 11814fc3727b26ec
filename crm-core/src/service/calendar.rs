//! Business calendars: the working time of a team in its time zone — working intervals
//! per weekday (several a day, overnight shifts), holidays — and the arithmetic SLA targets
//! need: add a business duration to an instant, and the business time between two
//! instants.
//!
//! Intervals are wall-clock times in the calendar's zone: a shift from 22:00 to 06:00 is
//! eight hours on most nights, seven on the night clocks spring forward and nine when they
//! fall back — the real time worked. A wall-clock start that does not exist (a
//! spring-forward gap) begins at the first instant after the gap; one that happens twice (a
//! fall-back overlap) at its first occurrence. A holiday removes the intervals that start
//! on that local date; a one-off exception replaces them for one date (a Saturday worked,
//! a half day on Christmas Eve; an exception with no intervals closes the day).
//!
//! The arithmetic walks the calendar a day at a time (each day's intervals resolved to
//! UTC once), never a minute at a time; a calendar with no working time at all is refused
//! when it is built, and a search that finds no working time in ten years (holidays
//! everywhere) is an error, not a hang.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone,
    Timelike, Utc, Weekday,
};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Problems, Result};
use crate::id::CalendarId;
use crate::store::{EntityKind, impl_entity};

/// A working interval on a weekday, in wall-clock time.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkingInterval {
    /// The weekday it starts on.
    pub weekday: Weekday,
    /// Its start.
    pub start: NaiveTime,
    /// Its end: later the same day, or — when not after the start — the next day (an
    /// overnight shift).
    pub end: NaiveTime,
}

/// A named calendar as stored.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalendarRecord {
    /// Its id.
    pub id: CalendarId,
    /// Its version.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub version: crate::id::Version,
    /// Its name (lower case; unique).
    pub name: String,
    /// The calendar.
    pub calendar: BusinessCalendar,
}

impl CalendarRecord {
    /// Index slot: the name.
    pub const BY_NAME: usize = 0;
}

impl_entity!(CalendarRecord, CalendarId, EntityKind::Calendar, |c| [
    Some(c.name.clone()),
    None,
    None,
    None,
    None,
    None
]);

/// How far the arithmetic searches for working time before giving up.
const SEARCH_DAYS: i64 = 3660;

/// A team's working time.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BusinessCalendar {
    /// The time zone of the wall-clock times.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub time_zone: Tz,
    /// The working intervals of a week.
    pub intervals: Vec<WorkingInterval>,
    /// Days off (local dates).
    #[serde(default)]
    pub holidays: BTreeSet<NaiveDate>,
    /// One-off exceptions: the working hours of a date, instead of its weekday's (and
    /// instead of a holiday on it). An end not after its start runs into the next day.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub exceptions: BTreeMap<NaiveDate, Vec<(NaiveTime, NaiveTime)>>,
}

impl BusinessCalendar {
    /// A calendar.
    ///
    /// # Errors
    /// [`Error::Validation`] without working time, or with intervals of a weekday that
    /// overlap.
    pub fn new(
        time_zone: Tz,
        intervals: Vec<WorkingInterval>,
        holidays: BTreeSet<NaiveDate>,
    ) -> Result<Self> {
        let mut p = Problems::new();
        if intervals.is_empty() {
            p.push("intervals", "a calendar needs working time");
        }
        // Overlaps, in minutes from Monday 00:00 (overnight shifts run past their day).
        let mut spans: Vec<(i64, i64)> = intervals
            .iter()
            .map(|i| {
                let day = i64::from(i.weekday.num_days_from_monday()) * 1440;
                let start = day + minutes(i.start);
                let mut end = day + minutes(i.end);
                if end <= start {
                    end += 1440;
                }
                (start, end)
            })
            .collect();
        spans.sort_unstable();
        for w in spans.windows(2) {
            if w[1].0 < w[0].1 {
                p.push("intervals", "working intervals overlap");
                break;
            }
        }
        // The last interval of Sunday may run into Monday.
        if let (Some(first), Some(last)) = (spans.first(), spans.last())
            && last.1 > 7 * 1440
            && first.0 < last.1 - 7 * 1440
        {
            p.push("intervals", "working intervals overlap");
        }
        p.finish(BusinessCalendar {
            time_zone,
            intervals,
            holidays,
            exceptions: BTreeMap::new(),
        })
    }

    /// The calendar with every date of `first..=last` a holiday.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] when `last` is before `first` or the range is over ten years.
    pub fn with_holiday_range(mut self, first: NaiveDate, last: NaiveDate) -> Result<Self> {
        let days = (last - first).num_days();
        if !(0..=SEARCH_DAYS).contains(&days) {
            return Err(Error::invalid(
                "holiday range",
                format!("{first}..{last}"),
                "must run forwards, for at most ten years",
            ));
        }
        self.holidays
            .extend((0..=days).map(|d| first + Duration::days(d)));
        Ok(self)
    }

    /// The calendar with `date` worked during `intervals` (wall-clock times; none closes
    /// the day) instead of its usual hours.
    ///
    /// # Errors
    /// [`Error::Validation`] when the intervals overlap.
    pub fn with_exception(
        mut self,
        date: NaiveDate,
        intervals: Vec<(NaiveTime, NaiveTime)>,
    ) -> Result<Self> {
        check_day_spans(&intervals)?;
        self.exceptions.insert(date, intervals);
        Ok(self)
    }

    /// Checks a calendar that arrived through serde as [`BusinessCalendar::new`] and
    /// [`BusinessCalendar::with_exception`] would.
    ///
    /// # Errors
    /// As those.
    pub fn checked(self) -> Result<Self> {
        let mut out = BusinessCalendar::new(self.time_zone, self.intervals, self.holidays)?;
        for (date, spans) in self.exceptions {
            out = out.with_exception(date, spans)?;
        }
        Ok(out)
    }

    /// The first instant at or after `local` wall-clock time that exists in the zone.
    fn resolve(&self, local: NaiveDateTime) -> DateTime<Utc> {
        let mut t = local;
        for _ in 0..(4 * 60) {
            match self.time_zone.from_local_datetime(&t) {
                LocalResult::Single(x) => return x.with_timezone(&Utc),
                LocalResult::Ambiguous(first, _) => return first.with_timezone(&Utc),
                // A gap: the wall clock skips ahead; try a minute later.
                LocalResult::None => t += Duration::minutes(1),
            }
        }
        // No zone has a gap of four hours; fall back to reading the time as UTC.
        Utc.from_utc_datetime(&local)
    }

    /// The working intervals that start on local date `day`, in UTC, in order.
    pub(crate) fn day_intervals(&self, day: NaiveDate) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        let spans: Vec<(NaiveTime, NaiveTime)> = if let Some(spans) = self.exceptions.get(&day) {
            spans.clone()
        } else if self.holidays.contains(&day) {
            return Vec::new();
        } else {
            self.intervals
                .iter()
                .filter(|i| i.weekday == day.weekday())
                .map(|i| (i.start, i.end))
                .collect()
        };
        let mut out: Vec<(DateTime<Utc>, DateTime<Utc>)> = spans
            .into_iter()
            .map(|(start, end)| {
                let end_day = if end > start {
                    day
                } else {
                    day + Duration::days(1)
                };
                (
                    self.resolve(day.and_time(start)),
                    self.resolve(end_day.and_time(end)),
                )
            })
            .filter(|(s, e)| e > s)
            .collect();
        out.sort_unstable();
        out
    }

    /// The working intervals (UTC) that overlap `from..to`, clipped to it, in order.
    pub fn working_spans(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        let mut out = Vec::new();
        if to <= from {
            return out;
        }
        let mut day = self.local_date(from) - Duration::days(1);
        let last = self.local_date(to);
        while day <= last {
            for (s, e) in self.day_intervals(day) {
                let (a, b) = (s.max(from), e.min(to));
                if b > a {
                    out.push((a, b));
                }
            }
            day += Duration::days(1);
        }
        out
    }

    fn local_date(&self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.time_zone).date_naive()
    }

    /// The instant `minutes` business minutes after `start`: [`Self::add`] for a count
    /// from outside (a binding's integer), where any `i64` may arrive.
    ///
    /// # Errors
    /// As [`Self::add`]; [`Error::InvalidValue`] for a count beyond what a duration holds.
    pub fn add_minutes(&self, start: DateTime<Utc>, minutes: i64) -> Result<DateTime<Utc>> {
        let duration = Duration::try_minutes(minutes).ok_or_else(|| {
            Error::invalid(
                "minutes",
                minutes.to_string(),
                "beyond the range of a duration",
            )
        })?;
        self.add(start, duration)
    }

    /// The instant `duration` of working time after `start` (`start` itself for zero).
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for a negative duration, or when the calendar has no
    /// working time within ten years of `start`.
    pub fn add(&self, start: DateTime<Utc>, duration: Duration) -> Result<DateTime<Utc>> {
        if duration < Duration::zero() {
            return Err(Error::invalid(
                "duration",
                duration.to_string(),
                "must not be negative",
            ));
        }
        if duration.is_zero() {
            return Ok(start);
        }
        let mut left = duration;
        // Start a day early: an overnight shift of the day before may still be running.
        let first_day = self.local_date(start) - Duration::days(1);
        let mut idle_days = 0;
        for offset in 0..SEARCH_DAYS + 2 {
            let day = first_day + Duration::days(offset);
            let intervals = self.day_intervals(day);
            let mut worked = false;
            for (s, e) in intervals {
                let from = s.max(start);
                if from >= e {
                    continue;
                }
                worked = true;
                let available = e - from;
                if left <= available {
                    return Ok(from + left);
                }
                left -= available;
            }
            idle_days = if worked { 0 } else { idle_days + 1 };
            if idle_days > SEARCH_DAYS {
                break;
            }
        }
        Err(Error::invalid(
            "business calendar",
            self.time_zone.name(),
            "no working time within ten years",
        ))
    }

    /// The working time between `from` and `to` (zero when `to` is not after `from`).
    pub fn between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Duration {
        self.working_spans(from, to)
            .into_iter()
            .fold(Duration::zero(), |total, (a, b)| total + (b - a))
    }

    /// Whether `at` falls within working time.
    pub fn is_working(&self, at: DateTime<Utc>) -> bool {
        let day = self.local_date(at);
        [day - Duration::days(1), day]
            .into_iter()
            .flat_map(|d| self.day_intervals(d))
            .any(|(s, e)| s <= at && at < e)
    }
}

/// The working intervals of a calendar over a range of days, resolved to UTC once, with
/// running totals: each [`Timeline::add`] or [`Timeline::between`] is a binary search.
/// For bulk work (a million due dates) over the same period.
#[derive(Debug, Clone)]
pub struct Timeline {
    starts: Vec<i64>,
    ends: Vec<i64>,
    /// Working seconds before each interval.
    before: Vec<i64>,
}

impl BusinessCalendar {
    /// The calendar's working intervals that start on local dates `first..=last` (and the
    /// overnight shift running into `first`).
    pub fn timeline(&self, first: NaiveDate, last: NaiveDate) -> Timeline {
        let mut starts = Vec::new();
        let mut ends = Vec::new();
        let mut before = Vec::new();
        let mut total = 0i64;
        let mut day = first - Duration::days(1);
        while day <= last {
            for (s, e) in self.day_intervals(day) {
                starts.push(s.timestamp());
                ends.push(e.timestamp());
                before.push(total);
                total += e.timestamp() - s.timestamp();
            }
            day += Duration::days(1);
        }
        Timeline {
            starts,
            ends,
            before,
        }
    }
}

impl BusinessCalendar {
    /// Due instants for many starts (seconds since the epoch, UTC) and working durations
    /// (seconds): one [`Timeline`] covers them all, each due date a binary search; the
    /// rare one beyond it is computed by [`BusinessCalendar::add`].
    ///
    /// # Errors
    /// As [`BusinessCalendar::add`]; [`Error::InvalidValue`] for a start out of range.
    pub fn add_many(&self, starts: &[i64], seconds: &[i64]) -> Result<Vec<i64>> {
        let (Some(&lo), Some(&hi)) = (starts.iter().min(), starts.iter().max()) else {
            return Ok(Vec::new());
        };
        let to_instant = |t: i64| {
            DateTime::from_timestamp(t, 0)
                .ok_or_else(|| Error::invalid("start", t.to_string(), "out of range"))
        };
        let longest = seconds.iter().copied().max().unwrap_or(0).max(0);
        // Enough days for the longest duration at the calendar's weekly working time, plus
        // a margin for holidays; anything beyond is computed the slow way.
        let weekly: i64 = self
            .intervals
            .iter()
            .map(|i| {
                let mut m = minutes(i.end) - minutes(i.start);
                if m <= 0 {
                    m += 1440;
                }
                m * 60
            })
            .sum();
        let span_days = (longest / weekly.max(1) + 2) * 7 + 30;
        let first = self.local_date(to_instant(lo)?);
        let last = self.local_date(to_instant(hi)?) + Duration::days(span_days);
        let timeline = self.timeline(first, last);
        starts
            .iter()
            .zip(seconds)
            .map(|(&s, &d)| match timeline.add(s, d) {
                Some(t) => Ok(t),
                None => Ok(self.add(to_instant(s)?, Duration::seconds(d))?.timestamp()),
            })
            .collect()
    }
}

impl Timeline {
    /// Working seconds from the first interval up to `t` (seconds since the epoch).
    fn worked_until(&self, t: i64) -> i64 {
        // The last interval starting at or before t.
        let i = self.starts.partition_point(|s| *s <= t);
        if i == 0 {
            return 0;
        }
        let k = i - 1;
        self.before[k] + (t.min(self.ends[k]) - self.starts[k])
    }

    /// `start + seconds` of working time, or `None` when it falls outside the timeline
    /// (then use [`BusinessCalendar::add`]). Times are seconds since the epoch.
    pub fn add(&self, start: i64, seconds: i64) -> Option<i64> {
        if seconds == 0 {
            return Some(start);
        }
        let (first, last) = (*self.starts.first()?, *self.ends.last()?);
        if start < first - 86_400 || start > last {
            return None;
        }
        let target = self.worked_until(start) + seconds;
        // The first interval whose running total reaches the target.
        let k = self
            .before
            .partition_point(|b| *b < target)
            .checked_sub(1)?;
        let length = self.ends[k] - self.starts[k];
        let into = target - self.before[k];
        if into > length {
            return None; // beyond the timeline
        }
        Some(self.starts[k] + into)
    }

    /// Working seconds between `from` and `to` (seconds since the epoch) within the timeline.
    pub fn between(&self, from: i64, to: i64) -> i64 {
        if to <= from {
            0
        } else {
            self.worked_until(to) - self.worked_until(from)
        }
    }
}

/// Refuses overlapping spans of one day (wall-clock; an end not after its start runs into
/// the next day).
fn check_day_spans(spans: &[(NaiveTime, NaiveTime)]) -> Result<()> {
    let mut p = Problems::new();
    let mut sorted: Vec<(i64, i64)> = spans
        .iter()
        .map(|(s, e)| {
            let (a, mut b) = (minutes(*s), minutes(*e));
            if b <= a {
                b += 1440;
            }
            (a, b)
        })
        .collect();
    sorted.sort_unstable();
    if sorted.windows(2).any(|w| w[1].0 < w[0].1) {
        p.push("exceptions", "working intervals of an exception overlap");
    }
    p.finish(())
}

fn minutes(t: NaiveTime) -> i64 {
    i64::from(Timelike::num_seconds_from_midnight(&t)) / 60
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn hm(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn office(tz: Tz, holidays: &[NaiveDate]) -> BusinessCalendar {
        let mut intervals = Vec::new();
        for d in [
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
        ] {
            intervals.push(WorkingInterval {
                weekday: d,
                start: hm(9, 0),
                end: hm(12, 0),
            });
            intervals.push(WorkingInterval {
                weekday: d,
                start: hm(13, 0),
                end: hm(17, 0),
            });
        }
        BusinessCalendar::new(tz, intervals, holidays.iter().copied().collect()).unwrap()
    }

    fn local(tz: Tz, y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        tz.with_ymd_and_hms(y, mo, d, h, mi, 0)
            .earliest()
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn lunch_breaks_weekends_and_holidays() {
        let tz = chrono_tz::Europe::Berlin;
        let cal = office(tz, &[NaiveDate::from_ymd_opt(2026, 12, 25).unwrap()]);
        // Friday 16:00 + 3 h: 1 h on Friday, then Monday 9:00 + 2 h = 11:00.
        let fri = local(tz, 2026, 11, 27, 16, 0);
        assert_eq!(
            cal.add(fri, Duration::hours(3)).unwrap(),
            local(tz, 2026, 11, 30, 11, 0)
        );
        // Monday 11:00 + 2 h: 1 h to noon, lunch, 13:00 + 1 h = 14:00.
        let mon = local(tz, 2026, 11, 30, 11, 0);
        assert_eq!(
            cal.add(mon, Duration::hours(2)).unwrap(),
            local(tz, 2026, 11, 30, 14, 0)
        );
        // Thursday 24 Dec 16:00 + 2 h: Christmas (Friday) is off, so Monday 28th 10:00.
        let eve = local(tz, 2026, 12, 24, 16, 0);
        assert_eq!(
            cal.add(eve, Duration::hours(2)).unwrap(),
            local(tz, 2026, 12, 28, 10, 0)
        );
        assert_eq!(
            cal.between(eve, local(tz, 2026, 12, 28, 10, 0)),
            Duration::hours(2)
        );
        // Starting outside working time counts from the next interval.
        let sat = local(tz, 2026, 11, 28, 10, 0);
        assert_eq!(cal.add(sat, Duration::zero()).unwrap(), sat);
        assert_eq!(
            cal.add(sat, Duration::minutes(1)).unwrap(),
            local(tz, 2026, 11, 30, 9, 1)
        );
    }

    #[test]
    fn minutes_from_outside_are_checked_not_panicked_on() {
        // 10^15 minutes from Node's BusinessCalendar.add panicked in chrono's Duration
        let tz = chrono_tz::Europe::Berlin;
        let cal = office(tz, &[]);
        let mon = local(tz, 2026, 11, 30, 11, 0);
        assert!(matches!(
            cal.add_minutes(mon, 1_000_000_000_000_000),
            Err(Error::InvalidValue { .. })
        ));
        assert!(matches!(
            cal.add_minutes(mon, i64::MIN),
            Err(Error::InvalidValue { .. })
        ));
        assert_eq!(
            cal.add_minutes(mon, 60).unwrap(),
            local(tz, 2026, 11, 30, 12, 0)
        );
    }

    /// Europe/Berlin springs forward on Sunday 29 March 2026 (02:00 → 03:00) and falls
    /// back on Sunday 25 October 2026 (03:00 → 02:00). A night shift from 22:00 to 06:00
    /// is 7 h that night in spring and 9 h in autumn.
    #[test]
    fn overnight_shifts_across_dst_in_berlin() {
        let tz = chrono_tz::Europe::Berlin;
        let nights: Vec<WorkingInterval> = [Weekday::Sat, Weekday::Sun]
            .into_iter()
            .map(|d| WorkingInterval {
                weekday: d,
                start: hm(22, 0),
                end: hm(6, 0),
            })
            .collect();
        let cal = BusinessCalendar::new(tz, nights, BTreeSet::new()).unwrap();
        let spring = local(tz, 2026, 3, 28, 22, 0);
        assert_eq!(
            cal.between(spring, local(tz, 2026, 3, 29, 6, 0)),
            Duration::hours(7)
        );
        let autumn = local(tz, 2026, 10, 24, 22, 0);
        assert_eq!(
            cal.between(autumn, local(tz, 2026, 10, 25, 6, 0)),
            Duration::hours(9)
        );
        // 8 h of work from Saturday 22:00 in spring: 7 h that night, 1 h Sunday night.
        assert_eq!(
            cal.add(spring, Duration::hours(8)).unwrap(),
            local(tz, 2026, 3, 29, 23, 0)
        );
    }

    /// America/New_York springs forward on 8 March 2026 at 02:00: a shift starting at
    /// 02:30 (which does not exist that day) starts at 03:00.
    #[test]
    fn a_start_in_the_spring_gap_begins_after_it() {
        let tz = chrono_tz::America::New_York;
        let cal = BusinessCalendar::new(
            tz,
            vec![WorkingInterval {
                weekday: Weekday::Sun,
                start: hm(2, 30),
                end: hm(4, 30),
            }],
            BTreeSet::new(),
        )
        .unwrap();
        let sunday = local(tz, 2026, 3, 8, 0, 0);
        assert_eq!(cal.add(sunday, Duration::zero()).unwrap(), sunday);
        assert_eq!(
            cal.add(sunday, Duration::minutes(1)).unwrap(),
            local(tz, 2026, 3, 8, 3, 1)
        );
        assert_eq!(
            cal.between(sunday, local(tz, 2026, 3, 8, 6, 0)),
            Duration::minutes(90)
        );
    }

    #[test]
    fn calendars_without_working_time_are_refused() {
        let tz = chrono_tz::UTC;
        assert!(BusinessCalendar::new(tz, vec![], BTreeSet::new()).is_err());
        let overlapping = vec![
            WorkingInterval {
                weekday: Weekday::Mon,
                start: hm(9, 0),
                end: hm(12, 0),
            },
            WorkingInterval {
                weekday: Weekday::Mon,
                start: hm(11, 0),
                end: hm(13, 0),
            },
        ];
        assert!(BusinessCalendar::new(tz, overlapping, BTreeSet::new()).is_err());
        // Holidays on every Monday for ten years: an error, not a hang.
        let only_monday = vec![WorkingInterval {
            weekday: Weekday::Mon,
            start: hm(9, 0),
            end: hm(10, 0),
        }];
        let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let mondays: BTreeSet<NaiveDate> = (0..4000)
            .map(|d| start + Duration::days(d))
            .filter(|d| d.weekday() == Weekday::Mon)
            .collect();
        let cal = BusinessCalendar::new(tz, only_monday, mondays).unwrap();
        assert!(
            cal.add(
                Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
                Duration::hours(1)
            )
            .is_err()
        );
        assert!(cal.add(Utc::now(), Duration::hours(-1)).is_err());
    }

    /// Holidays on both sides of a weekend: Friday 1 May and Monday 4 May 2026 off, so
    /// Thursday 16:00 + 2 h runs Thursday 16–17 then Tuesday 9–10.
    #[test]
    fn holidays_on_both_sides_of_a_weekend() {
        let tz = chrono_tz::Europe::Berlin;
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let cal = office(tz, &[d(5, 1), d(5, 4)]);
        let thu = local(tz, 2026, 4, 30, 16, 0);
        let due = cal.add(thu, Duration::hours(2)).unwrap();
        assert_eq!(due, local(tz, 2026, 5, 5, 10, 0));
        assert_eq!(cal.between(thu, due), Duration::hours(2));
        // The same through a range of holidays.
        let ranged = office(tz, &[])
            .with_holiday_range(d(5, 1), d(5, 4))
            .unwrap();
        assert_eq!(ranged.add(thu, Duration::hours(2)).unwrap(), due);
        assert!(
            office(tz, &[])
                .with_holiday_range(d(5, 4), d(5, 1))
                .is_err()
        );
    }

    /// A one-off exception: Saturday 5 December worked 10:00–14:00, Thursday 24 December
    /// only 9:00–12:00 (a half day), and an exception on a holiday opens it.
    #[test]
    fn one_off_exceptions_replace_a_dates_hours() {
        let tz = chrono_tz::Europe::Berlin;
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let cal = office(tz, &[d(12, 25)])
            .with_exception(d(12, 5), vec![(hm(10, 0), hm(14, 0))])
            .unwrap()
            .with_exception(d(12, 24), vec![(hm(9, 0), hm(12, 0))])
            .unwrap();
        // Friday 4 Dec 16:00 + 3 h: 1 h Friday, then Saturday 10:00 + 2 h.
        assert_eq!(
            cal.add(local(tz, 2026, 12, 4, 16, 0), Duration::hours(3))
                .unwrap(),
            local(tz, 2026, 12, 5, 12, 0)
        );
        assert!(cal.is_working(local(tz, 2026, 12, 5, 13, 59)));
        assert!(!cal.is_working(local(tz, 2026, 12, 5, 14, 0)));
        // Christmas Eve 11:00 + 2 h: 1 h to noon, Christmas off, then Monday 9:00 + 1 h.
        assert_eq!(
            cal.add(local(tz, 2026, 12, 24, 11, 0), Duration::hours(2))
                .unwrap(),
            local(tz, 2026, 12, 28, 10, 0)
        );
        let opened = cal
            .clone()
            .with_exception(d(12, 25), vec![(hm(9, 0), hm(10, 0))])
            .unwrap();
        assert_eq!(
            opened
                .add(local(tz, 2026, 12, 24, 11, 0), Duration::hours(2))
                .unwrap(),
            local(tz, 2026, 12, 25, 10, 0)
        );
        // Closing a day, and refusing overlaps.
        let closed = cal.clone().with_exception(d(12, 7), vec![]).unwrap();
        assert_eq!(
            closed
                .add(local(tz, 2026, 12, 4, 17, 0), Duration::hours(1))
                .unwrap(),
            local(tz, 2026, 12, 5, 11, 0)
        );
        assert!(
            cal.clone()
                .with_exception(
                    d(12, 8),
                    vec![(hm(9, 0), hm(12, 0)), (hm(11, 0), hm(13, 0))]
                )
                .is_err()
        );
        // Exceptions survive serde and are checked on the way in.
        let text = serde_json::to_string(&cal).unwrap();
        let back: BusinessCalendar = serde_json::from_str(&text).unwrap();
        assert_eq!(back.clone().checked().unwrap(), cal);
    }

    proptest! {
        #[test]
        fn the_timeline_agrees_with_the_calendar(
            start_minutes in 0i64..(300 * 24 * 60),
            work_minutes in 0i64..(100 * 60),
            zone in 0usize..3,
        ) {
            let tz = [chrono_tz::Europe::Berlin, chrono_tz::America::New_York, chrono_tz::Asia::Tokyo][zone];
            let cal = office(tz, &[NaiveDate::from_ymd_opt(2026, 5, 1).unwrap()]);
            let timeline = cal.timeline(
                NaiveDate::from_ymd_opt(2025, 12, 30).unwrap(),
                NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
            );
            let start = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap() + Duration::minutes(start_minutes);
            let due = cal.add(start, Duration::minutes(work_minutes)).unwrap();
            if let Some(fast) = timeline.add(start.timestamp(), work_minutes * 60) {
                prop_assert_eq!(fast, due.timestamp());
            }
            prop_assert_eq!(
                timeline.between(start.timestamp(), due.timestamp()),
                cal.between(start, due).num_seconds()
            );
            let many = cal.add_many(&[start.timestamp()], &[work_minutes * 60]).unwrap();
            prop_assert_eq!(many[0], due.timestamp());
        }

        #[test]
        fn adding_then_measuring_gives_the_duration_back(
            start_minutes in 0i64..(366 * 24 * 60),
            work_minutes in 0i64..(200 * 60),
            zone in 0usize..3,
        ) {
            let tz = [chrono_tz::Europe::Berlin, chrono_tz::America::New_York, chrono_tz::Asia::Tokyo][zone];
            let cal = office(tz, &[NaiveDate::from_ymd_opt(2026, 5, 1).unwrap(), NaiveDate::from_ymd_opt(2026, 12, 25).unwrap()]);
            let start = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap() + Duration::minutes(start_minutes);
            let d = Duration::minutes(work_minutes);
            let due = cal.add(start, d).unwrap();
            prop_assert_eq!(cal.between(start, due), d);
            // Due dates are monotonic in the target.
            let later = cal.add(start, d + Duration::minutes(1)).unwrap();
            prop_assert!(later > due);
        }

        /// The same local calendar in zones without daylight saving gives the same local
        /// due dates and durations, whatever the zone's offset.
        #[test]
        fn results_are_the_same_in_every_zone(
            start_minutes in 0i64..(366 * 24 * 60),
            work_minutes in 0i64..(120 * 60),
        ) {
            let zones = [chrono_tz::UTC, chrono_tz::Asia::Tokyo, chrono_tz::Asia::Kolkata, chrono_tz::America::Bogota];
            let start_local = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap()
                + Duration::minutes(start_minutes);
            let mut seen = None;
            for tz in zones {
                let cal = office(tz, &[NaiveDate::from_ymd_opt(2026, 5, 1).unwrap()]);
                let start = tz.from_local_datetime(&start_local).single().unwrap().with_timezone(&Utc);
                let due = cal.add(start, Duration::minutes(work_minutes)).unwrap();
                let due_local = due.with_timezone(&tz).naive_local();
                let week = cal.between(start, start + Duration::days(7));
                match seen {
                    None => seen = Some((due_local, week)),
                    Some(s) => prop_assert_eq!(s, (due_local, week)),
                }
            }
        }
    }
}
