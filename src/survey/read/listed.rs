//! Multiple choices joined in one cell — Google Forms (`;` in its own download, `, ` in a
//! Sheets download), Microsoft Forms (`;` with a trailing `;`), SurveyMonkey and others (`; `,
//! `|`) — and how to tell from a column's answers which separator it uses, if any.
//!
//! The rule, per column: try `;`, then `|`, then `, `. A separator is the column's when
//! splitting every answer by it (pieces trimmed, empty ones dropped) gives some answer two or
//! more pieces, at most [`MAX_LISTED_OPTIONS`] distinct pieces, and more than half of the
//! distinct pieces chosen in two answers or more: options recur, prose does not. `, ` also
//! needs a piece that is a whole answer elsewhere (someone chose only it), since commas are
//! common in prose and in option texts (`$50,000 - $99,999`, `Math, concentration in …`).
//! When splitting, an answer given whole that holds the separator stays one option when its
//! pieces never occur in the column but inside it: `Yes, often` is one option when `Yes` and
//! `often` are never chosen apart from it, while `Never, Sometimes` is two when `Never` is
//! also an answer on its own.

use std::collections::{BTreeMap, BTreeSet};

/// Most distinct options a joined multiple-choice column is taken to have.
pub const MAX_LISTED_OPTIONS: usize = 30;
/// In the order tried: the unambiguous separators before the comma.
const SEPARATORS: [&str; 3] = [";", "|", ", "];

/// How one column joins its choices.
pub struct Listing {
    separator: &'static str,
    /// Answers given whole that are one option holding the separator (see the module).
    joined_options: BTreeSet<String>,
}

impl Listing {
    /// The column's separator, when its answers read as joined choices; `values` are its
    /// answered cells.
    pub fn detect(values: &[&str]) -> Option<Listing> {
        SEPARATORS.iter().find_map(|&separator| {
            if !values.iter().any(|v| v.contains(separator)) {
                return None;
            }
            let listing = Listing::new(separator, values);
            listing.fits(values).then_some(listing)
        })
    }

    fn new(separator: &'static str, values: &[&str]) -> Listing {
        let cells: BTreeSet<&str> = values.iter().map(|v| v.trim()).collect();
        let tokens = |cell: &str| -> Vec<String> {
            cell.split(separator)
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .collect()
        };
        let joined_options = cells
            .iter()
            .filter(|cell| cell.contains(separator))
            .filter(|cell| {
                let own = tokens(cell);
                own.len() > 1
                    && cells.iter().all(|other| {
                        other.contains(**cell) || !tokens(other).iter().any(|t| own.contains(t))
                    })
            })
            .map(|cell| tokens(cell).join(separator))
            .collect();
        Listing {
            separator,
            joined_options,
        }
    }

    /// The separator a forced multiple choice is split by when its answers did not show one:
    /// `;` if any answer holds it, else none (each answer one option).
    pub fn fallback(values: &[&str]) -> Listing {
        let separator = if values.iter().any(|v| v.contains(';')) {
            ";"
        } else {
            // Found in no cell: each answer is one option.
            "\u{0}"
        };
        Listing::new(separator, values)
    }

    fn fits(&self, values: &[&str]) -> bool {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        let mut joined = false;
        for value in values {
            let pieces = self.split(value);
            joined |= pieces.len() > 1;
            let distinct: BTreeSet<String> = pieces.into_iter().collect();
            for piece in distinct {
                *counts.entry(piece).or_default() += 1;
            }
        }
        let recurring = counts.values().filter(|&&n| n >= 2).count();
        let whole_elsewhere = self.separator != ", "
            || counts
                .keys()
                .any(|piece| values.iter().any(|v| v.trim() == piece));
        joined
            && counts.len() <= MAX_LISTED_OPTIONS
            && recurring * 2 > counts.len()
            && whole_elsewhere
    }

    /// The options one cell names, in the order written.
    pub fn split(&self, value: &str) -> Vec<String> {
        let tokens: Vec<&str> = value
            .split(self.separator)
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .collect();
        let mut pieces = Vec::with_capacity(tokens.len());
        let mut i = 0;
        while i < tokens.len() {
            // The longest run from here that is one option holding the separator, else one
            // token.
            let end = (i + 2..=tokens.len())
                .rev()
                .find(|&end| {
                    self.joined_options
                        .contains(&tokens[i..end].join(self.separator))
                })
                .unwrap_or(i + 1);
            pieces.push(tokens[i..end].join(self.separator));
            i = end;
        }
        pieces
    }
}

#[cfg(test)]
mod tests {
    use super::Listing;

    fn separator(values: &[&str]) -> Option<&'static str> {
        Listing::detect(values).map(|l| l.separator)
    }

    #[test]
    fn the_separator_is_told_from_the_answers() {
        // Microsoft Forms: `;` and a trailing `;`.
        let forms = ["Tea;Coffee;", "Tea;", "Coffee;Juice;", "Juice;"];
        assert_eq!(separator(&forms), Some(";"));
        assert_eq!(
            Listing::detect(&forms).unwrap().split(forms[0]),
            ["Tea", "Coffee"]
        );
        let piped = ["保洁|停车", "绿化", "保洁|绿化", "停车"];
        assert_eq!(separator(&piped), Some("|"));
        let sheet = ["保洁, 停车", "绿化", "保洁, 绿化", "停车"];
        assert_eq!(separator(&sheet), Some(", "));
        // Prose and single answers with commas are not lists.
        let prose = ["电梯老旧, 需要更换", "服务很好", "门禁坏了, 请尽快修"];
        assert_eq!(separator(&prose), None);
        let majors = [
            "Economics",
            "Math, concentration in statistics",
            "Economics",
        ];
        assert_eq!(separator(&majors), None);
        let incomes = ["$50,000 - $99,999", "$0 - $24,999", "$50,000 - $99,999"];
        assert_eq!(separator(&incomes), None);
    }

    #[test]
    fn an_option_holding_a_comma_stays_whole() {
        let values = [
            "Yes, often, Sometimes",
            "Yes, often",
            "Never, Sometimes",
            "Never",
            "Sometimes",
        ];
        let listing = Listing::detect(&values).unwrap();
        assert_eq!(listing.split(values[0]), ["Yes, often", "Sometimes"]);
        assert_eq!(listing.split(values[2]), ["Never", "Sometimes"]);
    }
}
