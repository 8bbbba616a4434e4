//! Calendar buckets: how a date range is answered from postings.
//!
//! Every dated passage is indexed under three keys of its UTC calendar: its year,
//! its month and its day ([`bucket_keys`]). A date range is then the union of the
//! postings of the few buckets that cover it ([`DateRange::bucket_cover`]): whole
//! years, then whole months, then whole days, and at most two days only partly in
//! the range (a range that starts or ends inside a day), whose passages are checked
//! against the date column. A half-year is six month buckets and any range within
//! the dates present needs at most a few dozen, so a date filter leapfrogs like a
//! term filter instead of scanning the date column.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::Timestamp;

use super::DateRange;

const DAY: i64 = 86_400;

/// The year, month and day buckets (UTC) of `timestamp`: `y2025`, `m2025-12`,
/// `d2025-12-04`.
pub fn bucket_keys(timestamp: i64) -> [String; 3] {
    let (y, m, d) = super::civil_day(timestamp);
    [
        format!("y{y:04}"),
        format!("m{y:04}-{m:02}"),
        format!("d{y:04}-{m:02}-{d:02}"),
    ]
}

/// The buckets whose union is a date range.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BucketCover {
    /// Buckets wholly inside the range: all their passages are in it.
    pub whole: Vec<String>,
    /// Day buckets only partly inside the range (its first and last day when the
    /// range starts or ends within a day): their passages must be checked.
    pub partial: Vec<String>,
}

impl BucketCover {
    /// True when the range holds no instant between the bounds given.
    pub fn is_empty(&self) -> bool {
        self.whole.is_empty() && self.partial.is_empty()
    }
}

impl DateRange {
    /// The buckets covering this range, limited to the years of the instants
    /// `first..=last` (the dates present, which close an open side; whole years,
    /// so that the limit itself never cuts a bucket).
    pub fn bucket_cover(&self, first: i64, last: i64) -> BucketCover {
        let mut cover = BucketCover::default();
        let (Some(floor), Some(ceiling)) = (year_start(first, 0), year_start(last, 1)) else {
            return cover;
        };
        let start = self.start.map_or(floor, |s| s.max(floor));
        let end = self.end.map_or(ceiling, |e| e.min(ceiling));
        if start >= end {
            return cover;
        }
        let (mut lo, mut hi) = (start.div_euclid(DAY), (end - 1).div_euclid(DAY));
        if start.rem_euclid(DAY) != 0 {
            cover.partial.push(day_key(lo));
            lo += 1;
        }
        if hi >= lo && end.rem_euclid(DAY) != 0 {
            cover.partial.push(day_key(hi));
            hi -= 1;
        }
        if hi < lo {
            return cover;
        }
        let (Some(mut day), Some(last_day)) = (date_of_day(lo), date_of_day(hi)) else {
            return cover;
        };
        while day <= last_day {
            let (key, next) =
                if day.day() == 1 && day.month() == 1 && day.last_of_year() <= last_day {
                    (format!("y{:04}", day.year()), day.last_of_year().tomorrow())
                } else if day.day() == 1 && day.last_of_month() <= last_day {
                    (
                        format!("m{:04}-{:02}", day.year(), day.month()),
                        day.last_of_month().tomorrow(),
                    )
                } else {
                    (
                        format!("d{:04}-{:02}-{:02}", day.year(), day.month(), day.day()),
                        day.tomorrow(),
                    )
                };
            cover.whole.push(key);
            match next {
                Ok(next) => day = next,
                Err(_) => break,
            }
        }
        cover
    }
}

/// The civil date of day number `day` (days since 1970-01-01, UTC).
fn date_of_day(day: i64) -> Option<Date> {
    let ts = Timestamp::from_second(day.checked_mul(DAY)?).ok()?;
    Some(ts.to_zoned_datetime(TimeZone::UTC).date())
}

/// The first instant of the year `years` after the one of `timestamp` (UTC).
fn year_start(timestamp: i64, years: i16) -> Option<i64> {
    let date = Timestamp::from_second(timestamp)
        .ok()?
        .to_zoned_datetime(TimeZone::UTC)
        .date()
        .first_of_year();
    let year = Date::new(date.year().checked_add(years)?, 1, 1).ok()?;
    Some(
        year.to_zoned_datetime(TimeZone::UTC)
            .ok()?
            .timestamp()
            .as_second(),
    )
}

fn day_key(day: i64) -> String {
    match day.checked_mul(DAY) {
        Some(seconds) => bucket_keys(seconds)[2].clone(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(value: &str) -> DateRange {
        DateRange::parse(value).unwrap()
    }

    fn at(value: &str) -> i64 {
        crate::dates::parse_article_date(value).unwrap().timestamp
    }

    #[test]
    fn an_instant_has_a_year_a_month_and_a_day() {
        assert_eq!(
            bucket_keys(at("2025-12-04T23:59:59Z")),
            ["y2025", "m2025-12", "d2025-12-04"]
        );
        assert_eq!(bucket_keys(at("1969-12-31T12:00:00Z"))[2], "d1969-12-31");
    }

    #[test]
    fn aligned_ranges_take_the_largest_buckets() {
        let (first, last) = (at("2020-01-01"), at("2025-12-31T23:00:00Z"));
        let cover = range("2024-01..2024-06").bucket_cover(first, last);
        let months: Vec<String> = (1..=6).map(|m| format!("m2024-{m:02}")).collect();
        assert_eq!((cover.whole, cover.partial.len()), (months, 0));
        let cover = range("2021").bucket_cover(first, last);
        assert_eq!(cover.whole, ["y2021"]);
        let cover = range("2023-12-30..2024-02-02").bucket_cover(first, last);
        assert_eq!(
            cover.whole,
            [
                "d2023-12-30",
                "d2023-12-31",
                "m2024-01",
                "d2024-02-01",
                "d2024-02-02"
            ]
        );
        // An open side stops at the dates present.
        let cover = range(">=2025").bucket_cover(first, last);
        assert_eq!(cover.whole, ["y2025"]);
        let cover = range("<2021-02").bucket_cover(first, last);
        assert_eq!(cover.whole, ["y2020", "m2021-01"]);
    }

    #[test]
    fn days_cut_by_the_range_are_partial() {
        let (first, last) = (at("2025-01-01"), at("2025-12-31"));
        let cover = DateRange {
            start: Some(at("2025-12-01T10:00:00Z")),
            end: Some(at("2025-12-04T08:00:00Z")),
        }
        .bucket_cover(first, last);
        assert_eq!(cover.partial, ["d2025-12-01", "d2025-12-04"]);
        assert_eq!(cover.whole, ["d2025-12-02", "d2025-12-03"]);
        let one = DateRange {
            start: Some(at("2025-06-01T10:00:00Z")),
            end: Some(at("2025-06-01T11:00:00Z")),
        }
        .bucket_cover(first, last);
        assert_eq!(
            (one.whole.len(), one.partial),
            (0, vec!["d2025-06-01".to_string()])
        );
    }

    #[test]
    fn ranges_outside_the_dates_present_are_empty() {
        let (first, last) = (at("2025-03-01"), at("2025-10-31"));
        assert!(range("2024").bucket_cover(first, last).is_empty());
        assert!(range(">2025").bucket_cover(first, last).is_empty());
        assert_eq!(range("2025").bucket_cover(first, last).whole, ["y2025"]);
        assert_eq!(
            range(">=2025-12").bucket_cover(first, last).whole,
            ["m2025-12"]
        );
    }

    /// Every instant in the clamped range is in exactly one bucket of the cover,
    /// and no instant outside it is in a whole bucket.
    #[test]
    fn the_cover_is_exact() {
        let (first, last) = (at("2023-11-20"), at("2024-03-10T05:00:00Z"));
        let ranges = [
            range("2023-12-15..2024-02-20"),
            range(">=2024-01-31"),
            range("<2024"),
            DateRange {
                start: Some(at("2023-12-31T23:30:00Z")),
                end: Some(at("2024-01-01T00:30:00Z")),
            },
        ];
        for r in ranges {
            let cover = r.bucket_cover(first, last);
            let mut t = first - DAY;
            while t <= last + DAY {
                let keys = bucket_keys(t);
                let whole = keys.iter().filter(|k| cover.whole.contains(k)).count();
                let partial = cover.partial.contains(&keys[2]);
                assert!(whole <= 1, "{r}: {t} in {whole} whole buckets");
                if r.contains(t) && (first..=last).contains(&t) {
                    assert!(whole == 1 || partial, "{r}: {t} not covered");
                }
                if !r.contains(t) {
                    assert_eq!(whole, 0, "{r}: {t} wrongly covered");
                }
                t += 3_600;
            }
        }
    }
}
