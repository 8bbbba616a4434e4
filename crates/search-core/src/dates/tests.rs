use super::*;

fn at(s: &str) -> i64 {
    s.parse::<Timestamp>().unwrap().as_second()
}

#[test]
fn article_dates_in_every_accepted_form() {
    let d = parse_article_date("2025-12-04").unwrap();
    assert_eq!(d.iso, "2025-12-04");
    assert_eq!(d.timestamp, at("2025-12-04T00:00:00Z"));

    let d = parse_article_date("2025-12-04T10:30:00+02:00").unwrap();
    assert_eq!(d.iso, "2025-12-04T08:30:00Z");
    assert_eq!(d.timestamp, at("2025-12-04T08:30:00Z"));

    // No offset means UTC.
    let d = parse_article_date("2025-12-04T10:30:00").unwrap();
    assert_eq!(d.iso, "2025-12-04T10:30:00Z");
    let d = parse_article_date("2025-12-04 10:30").unwrap();
    assert_eq!(d.iso, "2025-12-04T10:30:00Z");

    let d = parse_article_date("2025-12-04T10:30:00.250Z").unwrap();
    assert_eq!(d.iso, "2025-12-04T10:30:00Z");

    // RFC 2822, the RSS pubDate form.
    let d = parse_article_date("Thu, 04 Dec 2025 10:30:00 +0100").unwrap();
    assert_eq!(d.iso, "2025-12-04T09:30:00Z");
    let d = parse_article_date("Thu, 4 Dec 2025 10:30:00 GMT").unwrap();
    assert_eq!(d.iso, "2025-12-04T10:30:00Z");
}

#[test]
fn bad_article_dates_are_refused() {
    for value in [
        "",
        "yesterday",
        "2025-13-01",
        "2025-02-30",
        "04/12/2025",
        "2025-12",
    ] {
        let err = parse_article_date(value).unwrap_err();
        assert_eq!(err.value, value);
        assert!(err.to_string().contains("ISO 8601"), "{err}");
    }
}

#[test]
fn query_periods() {
    let day = DateRange::parse("2025-12-04").unwrap();
    assert_eq!(day.start, Some(at("2025-12-04T00:00:00Z")));
    assert_eq!(day.end, Some(at("2025-12-05T00:00:00Z")));

    let month = DateRange::parse("2025-12").unwrap();
    assert_eq!(month.start, Some(at("2025-12-01T00:00:00Z")));
    assert_eq!(month.end, Some(at("2026-01-01T00:00:00Z")));

    let year = DateRange::parse("2024").unwrap();
    assert_eq!(year.start, Some(at("2024-01-01T00:00:00Z")));
    assert_eq!(year.end, Some(at("2025-01-01T00:00:00Z")));

    let range = DateRange::parse("2025-12-01..2025-12-04").unwrap();
    assert_eq!(range.start, Some(at("2025-12-01T00:00:00Z")));
    assert_eq!(range.end, Some(at("2025-12-05T00:00:00Z")));
    assert!(range.contains(at("2025-12-04T23:59:59Z")));
    assert!(!range.contains(at("2025-12-05T00:00:00Z")));

    let open = DateRange::parse("2025-12..").unwrap();
    assert_eq!(
        (open.start, open.end),
        (Some(at("2025-12-01T00:00:00Z")), None)
    );
    let open = DateRange::parse("..2025").unwrap();
    assert_eq!(
        (open.start, open.end),
        (None, Some(at("2026-01-01T00:00:00Z")))
    );

    assert_eq!(
        DateRange::parse(">=2025-12-01").unwrap(),
        DateRange {
            start: Some(at("2025-12-01T00:00:00Z")),
            end: None
        }
    );
    assert_eq!(
        DateRange::parse(">2025-12-01").unwrap(),
        DateRange {
            start: Some(at("2025-12-02T00:00:00Z")),
            end: None
        }
    );
    assert_eq!(
        DateRange::parse("<2025-12-05").unwrap(),
        DateRange {
            start: None,
            end: Some(at("2025-12-05T00:00:00Z"))
        }
    );
    assert_eq!(
        DateRange::parse("<=2025-12").unwrap(),
        DateRange {
            start: None,
            end: Some(at("2026-01-01T00:00:00Z"))
        }
    );
    let instant = DateRange::parse("2025-12-04T10:30:00Z").unwrap();
    assert_eq!(instant.end.unwrap() - instant.start.unwrap(), 1);

    assert_eq!(
        DateRange::since("2025-12-01").unwrap(),
        DateRange::parse(">=2025-12-01").unwrap()
    );
    assert_eq!(
        DateRange::until("2025-12-04").unwrap(),
        DateRange::parse("<=2025-12-04").unwrap()
    );
}

#[test]
fn bad_query_dates_say_why() {
    for value in [
        "",
        "december",
        "2025-13",
        "2025-12-32",
        "..",
        "2025-12-05..2025-12-01",
        ">=soon",
        "25-12-01",
    ] {
        let err = DateRange::parse(value).unwrap_err();
        assert!(err.to_string().contains("is not a date"), "{value}: {err}");
    }
}

#[test]
fn labels_are_utc() {
    let t = at("2025-12-31T23:30:00Z");
    assert_eq!(month_label(t), "2025-12");
    assert_eq!(day_label(t), "2025-12-31");
    assert_eq!(iso_of_timestamp(t), "2025-12-31T23:30:00Z");
    assert_eq!(day_label(at("1969-12-31T12:00:00Z")), "1969-12-31");
}
