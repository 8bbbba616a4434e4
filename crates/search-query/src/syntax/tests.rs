use super::*;

fn clause(occur: Occur, target: Target, text: &str, phrase: bool) -> Clause {
    Clause {
        occur,
        target,
        text: text.into(),
        phrase,
    }
}

#[test]
fn free_text_words() {
    let p = parse("frozen  assets");
    assert_eq!(
        p.clauses,
        vec![
            clause(Occur::Should, Target::Text, "frozen", false),
            clause(Occur::Should, Target::Text, "assets", false)
        ]
    );
    assert!(p.warnings.is_empty());
}

#[test]
fn phrases_signs_and_fields() {
    let p = parse(r#"+Miami -Moscow "peace deal" title:Ukraine source:"New York Times" id:000_x"#);
    assert_eq!(
        p.clauses,
        vec![
            clause(Occur::Must, Target::Text, "Miami", false),
            clause(Occur::MustNot, Target::Text, "Moscow", false),
            clause(Occur::Should, Target::Text, "peace deal", true),
            clause(Occur::Should, Target::Title, "Ukraine", false),
            clause(Occur::Should, Target::Source, "New York Times", true),
            clause(Occur::Should, Target::Id, "000_x", false),
        ]
    );
}

#[test]
fn stray_quote_degrades_with_a_warning() {
    let p = parse(r#"peace "deal talks"#);
    assert_eq!(p.clauses.len(), 3);
    assert!(p.clauses.iter().all(|c| !c.phrase));
    assert_eq!(p.warnings.len(), 1);
    let p = parse(r#"peace"deal"#);
    assert_eq!(p.warnings.len(), 1);
    assert_eq!(p.clauses[0].text, "peace deal");
}

#[test]
fn unknown_field_is_text_with_a_warning_listing_the_fields() {
    let p = parse("byline:Smith");
    assert_eq!(
        p.clauses,
        vec![clause(Occur::Should, Target::Text, "byline:Smith", false)]
    );
    assert!(p.warnings[0].contains("byline"));
    for field in ["title:", "source:", "author:", "id:", "url:", "date:"] {
        assert!(p.warnings[0].contains(field), "{field}: {:?}", p.warnings);
    }
}

#[test]
fn filter_fields_with_signs_and_quotes() {
    let p = parse(
        r#"assets source:Reuters +author:"Olena Kovalenko" -url:bbc.co.uk date:2025-12-01..2025-12-04 DATE:>=2025 url:https://apnews.com/world"#,
    );
    assert_eq!(
        p.clauses,
        vec![
            clause(Occur::Should, Target::Text, "assets", false),
            clause(Occur::Should, Target::Source, "Reuters", false),
            clause(Occur::Must, Target::Author, "Olena Kovalenko", true),
            clause(Occur::MustNot, Target::Url, "bbc.co.uk", false),
            clause(Occur::Should, Target::Date, "2025-12-01..2025-12-04", false),
            clause(Occur::Should, Target::Date, ">=2025", false),
            clause(
                Occur::Should,
                Target::Url,
                "https://apnews.com/world",
                false
            ),
        ]
    );
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
}

#[test]
fn colons_that_are_not_fields_stay_quiet() {
    for q in ["note: this", "at 10:30", "https://example.com", "title:"] {
        let p = parse(q);
        assert!(p.warnings.is_empty(), "{q}: {:?}", p.warnings);
        assert!(p.clauses.iter().all(|c| c.target == Target::Text), "{q}");
    }
}

#[test]
fn odd_input_never_panics() {
    for q in [
        "", " ", "+", "-", "+ -", "\"", "\"\"", "“", "title:\"", "::::", "-\"", "+-+a", "é\"ü",
        "id:",
    ] {
        let _ = parse(q);
    }
    assert!(parse("+ -").clauses.is_empty());
}

#[test]
fn hyphenated_words_are_not_exclusions() {
    let p = parse("U.S.-Russia 28-point");
    assert!(p.clauses.iter().all(|c| c.occur == Occur::Should));
}

#[test]
fn warnings_are_few_however_many_words_need_one() {
    let query = "a\"b ".repeat(1000);
    let p = parse(&query);
    assert_eq!(p.clauses.len(), 1000);
    assert_eq!(p.warnings.len(), MAX_WARNINGS + 1);
    assert!(
        p.warnings[MAX_WARNINGS].contains("992 more"),
        "{:?}",
        p.warnings
    );
}
