//! Recognises the lines news sites add around an article: editor's notes, credits,
//! copyright lines. They are indexed (a reader may look for them) but ranked below
//! every real paragraph.

use std::sync::OnceLock;

use regex::Regex;

/// Longer lines are prose, even if they start like a credit.
const MAX_BOILERPLATE_BYTES: usize = 300;

fn patterns() -> &'static [Regex] {
    static PATTERNS: OnceLock<Vec<Regex>> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        [
            r"^editor[’']?s note\b",
            r"^(this|the) (story|article|report|post) (is being|has been|was|will be) updated\b",
            r"\bcontributed (to )?(this )?(report|reporting|story|article)\b",
            r"^[(\[]?(additional )?(reporting|writing|editing) by\b",
            r"^(this|the) (story|article|report|piece|post) (was )?(originally|first) (published|appeared) (in|on|at|by)\b",
            r"^(originally|first) (published|appeared) (in|by|on)\b",
            r"\brepublished (here )?with (the )?permission\b",
            r"^(©|\(c\)|copyright\b)",
            r"\ball rights reserved\b",
            r"^(click here|sign up|subscribe|follow us|read more|related:|watch:|share this|advertisement$)",
        ]
        .iter()
        .map(|p| Regex::new(&format!("(?i){p}")).expect("boilerplate pattern compiles"))
        .collect()
    })
}

/// True when `paragraph` is a line the site added rather than article prose.
pub fn is_boilerplate(paragraph: &str) -> bool {
    paragraph.len() <= MAX_BOILERPLATE_BYTES && patterns().iter().any(|p| p.is_match(paragraph))
}

/// The outlet named by a copyright line: `© 2025 Newsmax. All rights reserved.` gives
/// `Newsmax`.
pub fn copyright_holder(paragraph: &str) -> Option<String> {
    static COPYRIGHT: OnceLock<Regex> = OnceLock::new();
    let re = COPYRIGHT.get_or_init(|| {
        Regex::new(
            r"(?i)^(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}\s*(?:[-–]\s*\d{4}\s*)?)?(?:by\s+)?(?P<holder>[^.,;©]+?)\s*(?:[.,;]|$)",
        )
        .expect("copyright pattern compiles")
    });
    if paragraph.len() > MAX_BOILERPLATE_BYTES {
        return None;
    }
    let holder = re.captures(paragraph)?.name("holder")?.as_str().trim();
    let lower = holder.to_lowercase();
    if holder.is_empty()
        || lower.starts_with("all rights")
        || holder.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    Some(holder.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_the_seed_boilerplate() {
        assert!(is_boilerplate(
            "Editor's note: This story is being updated."
        ));
        assert!(is_boilerplate("Reuters contributed to this report."));
        assert!(is_boilerplate("© 2025 Newsmax. All rights reserved."));
        assert!(is_boilerplate("Editor’s Note: corrected the date."));
    }

    #[test]
    fn recognises_syndication_credits() {
        assert!(is_boilerplate(
            "This article was originally published by Reuters."
        ));
        assert!(is_boilerplate(
            "(Reporting by Jane Doe; Editing by John Roe)"
        ));
        assert!(is_boilerplate(
            "This story first appeared in The Daily Ledger and is republished with permission."
        ));
        assert!(is_boilerplate(
            "Originally published in The Northern Courier."
        ));
        assert!(!is_boilerplate(
            "The article first appeared to confirm the rumours, officials said."
        ));
    }

    #[test]
    fn leaves_prose_alone() {
        assert!(!is_boilerplate(
            "Ukraine's negotiators arrived in Miami on Dec. 4 to meet with U.S. envoys."
        ));
        assert!(!is_boilerplate("The editor said the note was contributed by a reader and never checked, which started the whole affair about the report."));
    }

    #[test]
    fn copyright_names_the_source() {
        assert_eq!(
            copyright_holder("© 2025 Newsmax. All rights reserved.").as_deref(),
            Some("Newsmax")
        );
        assert_eq!(
            copyright_holder("Copyright 2019-2024 The Associated Press").as_deref(),
            Some("The Associated Press")
        );
        assert_eq!(copyright_holder("© All rights reserved."), None);
        assert_eq!(
            copyright_holder("Reuters contributed to this report."),
            None
        );
    }
}
