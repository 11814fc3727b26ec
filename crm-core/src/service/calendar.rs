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
//! on that local date.
//!
//! The arithmetic walks the calendar a day at a time (each day's intervals resolved to
//! UTC once), never a minute at a time; a calendar with no working time at all is refused
//! when it is built, and a search that finds no working time in ten years (holidays
//! everywhere) is an error, not a hang.

use std::collections::BTreeSet;

use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone,
    Timelike, Utc, Weekday,
};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Problems, Result};

/// A working interval on a weekday, in wall-clock time.
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

/// How far the arithmetic searches for working time before giving up.
const SEARCH_DAYS: i64 = 3660;

/// A team's working time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BusinessCalendar {
    /// The time zone of the wall-clock times.
    pub time_zone: Tz,
    /// The working intervals of a week.
    pub intervals: Vec<WorkingInterval>,
    /// Days off (local dates).
    #[serde(default)]
    pub holidays: BTreeSet<NaiveDate>,
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
        })
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
    fn day_intervals(&self, day: NaiveDate) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        if self.holidays.contains(&day) {
            return Vec::new();
        }
        let mut out: Vec<(DateTime<Utc>, DateTime<Utc>)> = self
            .intervals
            .iter()
            .filter(|i| i.weekday == day.weekday())
            .map(|i| {
                let start = day.and_time(i.start);
                let end_day = if i.end > i.start {
                    day
                } else {
                    day + Duration::days(1)
                };
                let end = end_day.and_time(i.end);
                (self.resolve(start), self.resolve(end))
            })
            .filter(|(s, e)| e > s)
            .collect();
        out.sort_unstable();
        out
    }

    fn local_date(&self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.time_zone).date_naive()
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
        if to <= from {
            return Duration::zero();
        }
        let mut total = Duration::zero();
        let mut day = self.local_date(from) - Duration::days(1);
        let last = self.local_date(to);
        while day <= last {
            for (s, e) in self.day_intervals(day) {
                let (a, b) = (s.max(from), e.min(to));
                if b > a {
                    total += b - a;
                }
            }
            day += Duration::days(1);
        }
        total
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
    }
}
