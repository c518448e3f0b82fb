//! "Did you mean": a misspelt key or value in `huifang.toml` gets the closest valid one named
//! after the list serde already prints (`unknown field `min_samle`, expected one of …`).

/// The line to add to a config error that names an unknown key or value, when one of the
/// expected ones is close enough to be the intended spelling.
pub(super) fn did_you_mean(message: &str) -> Option<String> {
    let (found, expected) = unknown_and_expected(message)?;
    let closest = closest(found, &expected)?;
    Some(format!("did you mean `{closest}`?"))
}

/// The unknown word and the words serde expected instead, from the last line of its message.
fn unknown_and_expected(message: &str) -> Option<(&str, Vec<&str>)> {
    let line = message
        .lines()
        .find(|l| l.starts_with("unknown field `") || l.starts_with("unknown variant `"))?;
    let rest = &line[line.find('`')? + 1..];
    let (found, rest) = rest.split_once("`, expected ")?;
    // serde writes `one of `a`, `b`, `c``, `` `a` or `b` `` or `` `a` ``.
    let list = rest.strip_prefix("one of ").unwrap_or(rest);
    let expected = list
        .split(", ")
        .flat_map(|item| item.split(" or "))
        .filter_map(|item| item.strip_prefix('`')?.strip_suffix('`'))
        .collect();
    Some((found, expected))
}

/// The expected word nearest to `found` by edit distance (a swap of two neighbours counts as
/// one edit), if it is within a third of the word's length, at least one edit; the first of
/// equals wins, so the answer does not depend on anything but the list.
fn closest<'a>(found: &str, expected: &[&'a str]) -> Option<&'a str> {
    let limit = (found.chars().count() / 3).max(1);
    let lower = found.to_lowercase();
    expected
        .iter()
        .map(|&word| (strsim::damerau_levenshtein(&lower, word), word))
        .filter(|&(distance, _)| distance <= limit)
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, word)| word)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEYS: &str = "unknown field `min_samle`, expected one of `title`, `min_sample`, \
                        `long_open_days`";

    #[test]
    fn a_typo_names_the_key_it_is_closest_to() {
        assert_eq!(
            did_you_mean(KEYS).as_deref(),
            Some("did you mean `min_sample`?")
        );
    }

    #[test]
    fn the_list_is_read_from_the_line_after_toml_s_excerpt() {
        let message = "TOML parse error at line 3, column 1\n  |\n3 | titel = \"x\"\n  | \
                       ^^^^^\nunknown field `titel`, expected one of `title`, `theme`";
        assert_eq!(
            did_you_mean(message).as_deref(),
            Some("did you mean `title`?")
        );
    }

    #[test]
    fn a_single_expected_word_and_an_unknown_variant_are_read_too() {
        let one = "unknown field `lables`, expected `labels`";
        assert_eq!(did_you_mean(one).as_deref(), Some("did you mean `labels`?"));
        let variant = "unknown variant `PDF`, expected `docx` or `pdf`";
        assert_eq!(
            unknown_and_expected(variant),
            Some(("PDF", vec!["docx", "pdf"]))
        );
        assert_eq!(
            did_you_mean(variant).as_deref(),
            Some("did you mean `pdf`?")
        );
    }

    #[test]
    fn nothing_close_means_no_suggestion() {
        let far = "unknown field `colour`, expected one of `title`, `min_sample`";
        assert_eq!(did_you_mean(far), None);
        assert_eq!(did_you_mean("expected a month 1-12, found 13"), None);
        assert_eq!(did_you_mean("unknown field `x`"), None);
    }

    #[test]
    fn ties_go_to_the_first_listed() {
        // `mi` is one edit from both `mx` and `ma`.
        assert_eq!(closest("mi", &["mx", "ma"]), Some("mx"));
    }
}
