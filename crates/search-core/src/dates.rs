//! Dates: an article's date as the corpus writes it, and a date as a query names it.
//!
//! An article's date is stored as an instant (seconds since the Unix epoch, UTC), for
//! filtering and sorting, and shown in a normalised ISO 8601 form:
//!
//! - `2025-12-04` (a date alone) is midnight UTC of that day, shown as `2025-12-04`;
//! - `2025-12-04T10:30:00+02:00`, `2025-12-04T08:30Z`, `2025-12-04 08:30:00` (no
//!   offset means UTC) are shown in UTC: `2025-12-04T08:30:00Z`;
//! - `Thu, 04 Dec 2025 08:30:00 +0000` (RFC 2822, the RSS `pubDate` form) likewise.
//!
//! A query names a *period*: a year (`2025`), a month (`2025-12`), a day
//! (`2025-12-04`) or an instant (a date-time, to the second). A date filter is a
//! half-open range of instants built from periods ([`DateRange`]); days, months and
//! years are UTC.

use std::fmt;

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ZonedDateTime};

/// An article's date: the instant, and how citations show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleDate {
    /// Seconds since the Unix epoch (UTC).
    pub timestamp: i64,
    /// The normalised ISO 8601 form: `YYYY-MM-DD` for a date alone, else
    /// `YYYY-MM-DDTHH:MM:SSZ` (UTC).
    pub iso: String,
}

/// A date value that is not one of the accepted forms.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not a date (expected ISO 8601, such as 2025-12-04 or 2025-12-04T10:30:00Z, or RFC 2822, such as Thu, 04 Dec 2025 10:30:00 +0000)")]
pub struct BadDate {
    /// The value as written.
    pub value: String,
}

/// Parses an article's date: ISO 8601 (date, or date-time with or without an
/// offset; none means UTC) or RFC 2822.
pub fn parse_article_date(value: &str) -> Result<ArticleDate, BadDate> {
    let trimmed = value.trim();
    let bad = || BadDate {
        value: value.to_string(),
    };
    if trimmed.is_empty() {
        return Err(bad());
    }
    if let Ok(date) = trimmed.parse::<Date>() {
        if trimmed.len() <= 10 {
            let timestamp = day_start(date).ok_or_else(bad)?;
            return Ok(ArticleDate {
                timestamp,
                iso: date.to_string(),
            });
        }
    }
    let instant = parse_instant(trimmed).ok_or_else(bad)?;
    Ok(ArticleDate {
        timestamp: instant.as_second(),
        iso: iso_of_timestamp(instant.as_second()),
    })
}

/// A date-time with an offset (ISO 8601 or RFC 2822), or without one (UTC).
fn parse_instant(value: &str) -> Option<Timestamp> {
    if let Ok(ts) = value.parse::<Timestamp>() {
        return Some(ts);
    }
    if let Ok(zoned) = value.parse::<ZonedDateTime>() {
        return Some(zoned.timestamp());
    }
    if let Ok(zoned) = jiff::fmt::rfc2822::parse(value) {
        return Some(zoned.timestamp());
    }
    let civil = value.parse::<DateTime>().ok()?;
    civil
        .to_zoned_datetime(TimeZone::UTC)
        .ok()
        .map(|z| z.timestamp())
}

/// Midnight UTC of `date`, in seconds.
fn day_start(date: Date) -> Option<i64> {
    date.to_zoned_datetime(TimeZone::UTC)
        .ok()
        .map(|z| z.timestamp().as_second())
}

/// `YYYY-MM-DDTHH:MM:SSZ` for `timestamp` (seconds, UTC).
pub fn iso_of_timestamp(timestamp: i64) -> String {
    match Timestamp::from_second(timestamp) {
        Ok(ts) => ts
            .to_zoned_datetime(TimeZone::UTC)
            .strftime("%Y-%m-%dT%H:%M:%SZ")
            .to_string(),
        Err(_) => timestamp.to_string(),
    }
}

/// The UTC civil day of `timestamp`: (year, month, day).
pub fn civil_day(timestamp: i64) -> (i16, i8, i8) {
    let ts = Timestamp::from_second(timestamp).unwrap_or(Timestamp::UNIX_EPOCH);
    let date = ts.to_zoned_datetime(TimeZone::UTC).date();
    (date.year(), date.month(), date.day())
}

/// `YYYY-MM` of `timestamp` (UTC).
pub fn month_label(timestamp: i64) -> String {
    let (y, m, _) = civil_day(timestamp);
    format!("{y:04}-{m:02}")
}

/// `YYYY-MM-DD` of `timestamp` (UTC).
pub fn day_label(timestamp: i64) -> String {
    let (y, m, d) = civil_day(timestamp);
    format!("{y:04}-{m:02}-{d:02}")
}

/// A half-open range of instants, in seconds since the epoch: `start <= t < end`.
/// `None` leaves that side open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DateRange {
    /// First instant in the range.
    pub start: Option<i64>,
    /// First instant after the range.
    pub end: Option<i64>,
}

impl DateRange {
    /// Whether `timestamp` is in the range.
    pub fn contains(&self, timestamp: i64) -> bool {
        self.start.is_none_or(|s| timestamp >= s) && self.end.is_none_or(|e| timestamp < e)
    }

    /// The range both `self` and `other` allow.
    pub fn intersect(&self, other: &DateRange) -> DateRange {
        DateRange {
            start: match (self.start, other.start) {
                (Some(a), Some(b)) => Some(a.max(b)),
                (a, b) => a.or(b),
            },
            end: match (self.end, other.end) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            },
        }
    }

    /// True when no instant can be in the range.
    pub fn is_empty(&self) -> bool {
        matches!((self.start, self.end), (Some(s), Some(e)) if s >= e)
    }

    /// From the start of `value`'s period on (`--since`, `date:>=VALUE`).
    pub fn since(value: &str) -> Result<DateRange, BadDateFilter> {
        let period = Period::parse(value)?;
        Ok(DateRange {
            start: Some(period.start),
            end: None,
        })
    }

    /// Up to the end of `value`'s period, inclusive (`--until`, `date:<=VALUE`).
    pub fn until(value: &str) -> Result<DateRange, BadDateFilter> {
        let period = Period::parse(value)?;
        Ok(DateRange {
            start: None,
            end: Some(period.end),
        })
    }

    /// Parses a query's date value:
    ///
    /// - `2025`, `2025-12`, `2025-12-04`, `2025-12-04T10:30:00Z`: that period;
    /// - `A..B`: from the start of A's period to the end of B's (inclusive); `A..`
    ///   and `..B` leave one side open;
    /// - `>=A`, `>A`, `<=A`, `<A`: from the start of A's period, after its end, up
    ///   to its end, before its start.
    pub fn parse(value: &str) -> Result<DateRange, BadDateFilter> {
        let value = value.trim();
        let bad = |reason: &str| BadDateFilter {
            value: value.to_string(),
            reason: reason.to_string(),
        };
        if let Some((from, to)) = value.split_once("..") {
            if from.is_empty() && to.is_empty() {
                return Err(bad("a range needs at least one end"));
            }
            let start = if from.is_empty() {
                None
            } else {
                Some(Period::parse(from)?.start)
            };
            let end = if to.is_empty() {
                None
            } else {
                Some(Period::parse(to)?.end)
            };
            let range = DateRange { start, end };
            if range.is_empty() {
                return Err(bad("the range ends before it starts"));
            }
            return Ok(range);
        }
        for (op, make) in [
            (">=", (|p: Period| (Some(p.start), None)) as fn(Period) -> _),
            ("<=", |p: Period| (None, Some(p.end))),
            (">", |p: Period| (Some(p.end), None)),
            ("<", |p: Period| (None, Some(p.start))),
        ] {
            if let Some(rest) = value.strip_prefix(op) {
                let (start, end) = make(Period::parse(rest)?);
                return Ok(DateRange { start, end });
            }
        }
        let period = Period::parse(value)?;
        Ok(DateRange {
            start: Some(period.start),
            end: Some(period.end),
        })
    }
}

impl fmt::Display for DateRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let show = |t: i64| iso_of_timestamp(t);
        match (self.start, self.end) {
            (Some(s), Some(e)) => write!(f, "{} to before {}", show(s), show(e)),
            (Some(s), None) => write!(f, "from {}", show(s)),
            (None, Some(e)) => write!(f, "before {}", show(e)),
            (None, None) => write!(f, "any date"),
        }
    }
}

/// A date value in a query that is not a period we know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not a date ({reason}; use 2025, 2025-12, 2025-12-04, 2025-12-01..2025-12-04, >=2025-12-01 or <2025-12-05)")]
pub struct BadDateFilter {
    /// The value as written.
    pub value: String,
    /// What is wrong with it.
    pub reason: String,
}

/// A year, month, day or second, as `start..end` in seconds.
#[derive(Debug, Clone, Copy)]
struct Period {
    start: i64,
    end: i64,
}

impl Period {
    fn parse(value: &str) -> Result<Period, BadDateFilter> {
        let value = value.trim();
        let bad = |reason: &str| BadDateFilter {
            value: value.to_string(),
            reason: reason.to_string(),
        };
        let number = |s: &str| -> Option<i16> {
            (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse().ok())
                .flatten()
        };
        let parts: Vec<&str> = value.split('-').collect();
        match parts.as_slice() {
            [y] if y.len() == 4 => {
                let year = number(y).ok_or_else(|| bad("not a year"))?;
                let start = Date::new(year, 1, 1).map_err(|_| bad("no such year"))?;
                let end = start
                    .checked_add(jiff::Span::new().years(1))
                    .map_err(|_| bad("year out of range"))?;
                Self::of_days(start, end).ok_or_else(|| bad("year out of range"))
            }
            [y, m] if y.len() == 4 && m.len() == 2 => {
                let year = number(y).ok_or_else(|| bad("not a year"))?;
                let month = number(m).ok_or_else(|| bad("not a month"))?;
                let month = i8::try_from(month).map_err(|_| bad("no such month"))?;
                let start = Date::new(year, month, 1).map_err(|_| bad("no such month"))?;
                let end = start
                    .checked_add(jiff::Span::new().months(1))
                    .map_err(|_| bad("month out of range"))?;
                Self::of_days(start, end).ok_or_else(|| bad("month out of range"))
            }
            _ if value.len() == 10 => {
                let date = value.parse::<Date>().map_err(|_| bad("no such day"))?;
                let end = date.tomorrow().map_err(|_| bad("day out of range"))?;
                Self::of_days(date, end).ok_or_else(|| bad("day out of range"))
            }
            _ => {
                let instant = parse_instant(value).ok_or_else(|| bad("not a date"))?;
                let start = instant.as_second();
                Ok(Period {
                    start,
                    end: start + 1,
                })
            }
        }
    }

    fn of_days(start: Date, end: Date) -> Option<Period> {
        Some(Period {
            start: day_start(start)?,
            end: day_start(end)?,
        })
    }
}

mod buckets;

pub use buckets::{bucket_keys, BucketCover};

#[cfg(test)]
mod tests;
