//! "Did you mean ...?" suggestions for misspelled names.

/// Edit distance (Levenshtein, in characters), case-insensitive.
pub(crate) fn distance(a: &str, b: &str) -> usize {
    strsim::levenshtein(&a.to_lowercase(), &b.to_lowercase())
}

/// The candidate closest to `wrong`, if it is close enough to be a likely
/// typo: a few edits away, and not every character of `wrong` replaced (an
/// empty or one-letter name suggests nothing).
pub(crate) fn closest<'a>(
    wrong: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let length = wrong.chars().count();
    let limit = (length / 3).max(2).min(length.saturating_sub(1));
    candidates
        .into_iter()
        .map(|c| (distance(wrong, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        let cases = [
            ("", "abc", 3),
            ("kitten", "sitting", 3),
            ("Berlin", "berlin", 0),
            ("abc", "abc", 0),
        ];
        for (a, b, want) in cases {
            assert_eq!(distance(a, b), want, "{a} {b}");
        }
    }

    #[test]
    fn suggests_only_close_names() {
        let names = ["Europe/Berlin", "Europe/Bern", "America/New_York"];
        assert_eq!(closest("Europe/Berln", names), Some("Europe/Berlin"));
        assert_eq!(closest("america/new york", names), Some("America/New_York"));
        assert_eq!(closest("Mars/Olympus", names), None);
        let zones = ["GB", "NZ", "UTC", "Europe/Berlin"];
        let cases = [
            ("", None),
            ("X", None),
            ("XY", None),
            ("G", None),
            ("GBB", Some("GB")),
            ("UTX", Some("UTC")),
            ("Europe/Berln", Some("Europe/Berlin")),
        ];
        for (wrong, want) in cases {
            assert_eq!(closest(wrong, zones), want, "{wrong:?}");
        }
    }
}
