//! Whether to colour text output.
//!
//! `--color always|never` win. Otherwise (`auto`): `CLICOLOR_FORCE` set to anything
//! but empty or `0` forces colour; else `NO_COLOR` set and not empty turns it off;
//! else `TERM=dumb` turns it off; else colour only when the output is a terminal.

use std::ffi::OsString;

use crate::cli::ColorChoice;

/// Whether to colour output going to a stream that `is_terminal` or not.
pub fn enabled(choice: ColorChoice, is_terminal: bool) -> bool {
    decide(choice, |name| std::env::var_os(name), is_terminal)
}

fn decide(choice: ColorChoice, env: impl Fn(&str) -> Option<OsString>, is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            let set = |name: &str| env(name).filter(|v| !v.is_empty());
            if set("CLICOLOR_FORCE").is_some_and(|v| v != "0") {
                true
            } else if set("NO_COLOR").is_some() || env("TERM").is_some_and(|t| t == "dumb") {
                false
            } else {
                is_terminal
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ColorChoice::{Always, Auto, Never};

    fn with(vars: &[(&str, &str)], choice: ColorChoice, tty: bool) -> bool {
        let vars: Vec<(String, OsString)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), OsString::from(v)))
            .collect();
        decide(
            choice,
            |name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()),
            tty,
        )
    }

    #[test]
    fn the_rule_in_order() {
        assert!(with(&[], Auto, true));
        assert!(!with(&[], Auto, false));
        assert!(!with(&[("TERM", "dumb")], Auto, true));
        assert!(!with(&[("NO_COLOR", "1")], Auto, true));
        assert!(with(&[("NO_COLOR", "")], Auto, true));
        assert!(with(&[("CLICOLOR_FORCE", "1")], Auto, false));
        assert!(!with(&[("CLICOLOR_FORCE", "0")], Auto, false));
        assert!(!with(&[("CLICOLOR_FORCE", "")], Auto, false));
        assert!(with(
            &[
                ("CLICOLOR_FORCE", "yes"),
                ("NO_COLOR", "1"),
                ("TERM", "dumb")
            ],
            Auto,
            false
        ));
        assert!(!with(&[("CLICOLOR_FORCE", "1")], Never, true));
        assert!(with(&[("NO_COLOR", "1"), ("TERM", "dumb")], Always, false));
    }
}
