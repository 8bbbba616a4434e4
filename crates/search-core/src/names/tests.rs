use super::*;

#[test]
fn names_match_whole_without_case_diacritics_or_punctuation() {
    assert_eq!(name_key("Associated Press"), "associated press");
    assert_eq!(name_key("  associated   PRESS "), "associated press");
    assert_eq!(name_key("Zoë Park"), "zoe park");
    assert_eq!(name_key("Agence France-Presse"), "agence france presse");
    assert_eq!(name_key("Олена Коваленко"), name_key("олена коваленко"));
    assert_ne!(name_key("Associated Press"), name_key("Press"));
    assert_eq!(name_key(" -- "), "");
}

#[test]
fn url_keys_cover_the_page_its_sections_and_domains() {
    let keys = url_keys("https://www.Reuters.com/world/europe/frozen-assets-2025-12-04/?utm=x#top");
    for key in [
        "reuters.com/world/europe/frozen-assets-2025-12-04/?utm=x",
        "reuters.com/world",
        "reuters.com/world/europe",
        "reuters.com/world/europe/frozen-assets-2025-12-04",
        "reuters.com",
    ] {
        assert!(
            keys.contains(&key.to_string()),
            "{key} missing from {keys:?}"
        );
    }
    assert!(!keys.contains(&"com".to_string()), "{keys:?}");
    let keys = url_keys("http://news.bbc.co.uk:8080/a");
    assert!(keys.contains(&"news.bbc.co.uk".to_string()), "{keys:?}");
    assert!(keys.contains(&"bbc.co.uk".to_string()), "{keys:?}");
    assert!(
        keys.contains(&"news.bbc.co.uk:8080/a".to_string()),
        "{keys:?}"
    );
    assert_eq!(
        url_key("HTTPS://WWW.Reuters.com/World/"),
        "reuters.com/World"
    );
    assert_eq!(url_key("reuters.com"), "reuters.com");
    assert!(url_keys("").is_empty());
}
