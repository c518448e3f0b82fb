//! Plausibility guards: more distinct departments or sites than any organisation has means
//! the column mapped to them holds something else (comments, phone numbers, record ids), and
//! every one of those values would get pages of its own. The count is kept as pieces are
//! merged, so the build stops while reading, long before such a site is built.

use super::columns::Columns;
use crate::config::Limits;
use crate::model::{Sym, Symbols};
use rustc_hash::FxHashSet as HashSet;

/// Values quoted back in the message.
const SAMPLES: usize = 5;

/// The distinct departments and sites of one piece, in the piece's symbols.
#[derive(Debug, Default)]
pub struct Seen {
    pub departments: HashSet<Sym>,
    pub sites: HashSet<Sym>,
}

/// Why a file stopped the build: a field with far more distinct values than the limit.
#[derive(Debug)]
pub struct Implausible {
    /// The field's name: `department` or `site`.
    pub field: &'static str,
    /// The header of the column the field is read from.
    pub header: String,
    pub limit: usize,
    pub samples: Vec<String>,
    /// Where its mapping is written (`[columns]`).
    pub mapping_table: &'static str,
}

impl std::fmt::Display for Implausible {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The key of the field's limit in `[limits]`.
        let key = match self.field {
            "site" => "sites",
            _ => "departments",
        };
        let samples: Vec<String> = self
            .samples
            .iter()
            .map(|s| format!("`{}`", super::text::shown(s)))
            .collect();
        write!(
            f,
            "column `{}` (read as {}) holds more than {} distinct values, more than a build \
             accepts; among them {}. The column is probably not the {}: map the right header \
             in {} (`{} = \"…\"`), or, if there really are this many, raise [limits] \
             {key}",
            super::text::shown(&self.header),
            self.field,
            self.limit,
            samples.join(", "),
            self.field,
            self.mapping_table,
            self.field
        )
    }
}

/// The guarded fields, each with its limit and the two things `a` and `b` hold for it.
fn guarded<F: Columns, A, B>(
    limits: &Limits,
    [a0, a1]: [A; 2],
    [b0, b1]: [B; 2],
) -> [(F, A, B, usize); 2] {
    [
        (F::DEPARTMENT, a0, b0, limits.departments),
        (F::SITE, a1, b1, limits.sites),
    ]
}

fn implausible<F: Columns>(
    field: F,
    header: String,
    limit: usize,
    samples: Vec<String>,
) -> Implausible {
    Implausible {
        field: field.name(),
        header,
        limit,
        samples,
        mapping_table: F::MAPPING_TABLE,
    }
}

/// The distinct departments and sites of the files read so far, by name.
#[derive(Debug, Default)]
pub struct Guard {
    departments: std::collections::HashSet<String>,
    sites: std::collections::HashSet<String>,
}

impl Guard {
    /// Adds a whole file's values; an error when, with the files before it, a field has more
    /// than its limit (each file may be plausible on its own).
    pub fn add_file<F: Columns>(
        &mut self,
        file: &FileGuard,
        symbols: &Symbols,
        limits: &Limits,
        header: impl Fn(F) -> String,
    ) -> Result<(), Implausible> {
        let fields = guarded(
            limits,
            [&file.seen.departments, &file.seen.sites],
            [&mut self.departments, &mut self.sites],
        );
        for (field, from, into, limit) in fields {
            let mut new: Vec<Sym> = from.iter().copied().collect();
            new.sort_unstable();
            let names = new.iter().map(|&s| symbols.name(s));
            let fresh: Vec<&str> = names.filter(|n| !into.contains(*n)).collect();
            if into.len() + fresh.len() > limit {
                let samples = fresh.iter().take(SAMPLES).map(|s| s.to_string()).collect();
                return Err(implausible(field, header(field), limit, samples));
            }
            into.extend(fresh.into_iter().map(str::to_owned));
        }
        Ok(())
    }
}

/// The distinct values of one file so far, in the file's symbols.
#[derive(Debug, Default)]
pub struct FileGuard {
    seen: Seen,
}

impl FileGuard {
    /// Adds a piece's values (`map` translates its symbols into the file's); an error once a
    /// field has more than its limit.
    pub fn add<F: Columns>(
        &mut self,
        piece: &Seen,
        map: &[Sym],
        symbols: &Symbols,
        limits: &Limits,
        header: impl Fn(F) -> String,
    ) -> Result<(), Implausible> {
        let fields = guarded(
            limits,
            [&piece.departments, &piece.sites],
            [&mut self.seen.departments, &mut self.seen.sites],
        );
        for (field, from, into, limit) in fields {
            into.extend(from.iter().map(|s| map[s.0 as usize]));
            if into.len() > limit {
                let mut samples: Vec<Sym> = into.iter().copied().collect();
                samples.sort_unstable();
                let samples = samples
                    .iter()
                    .take(SAMPLES)
                    .map(|&s| symbols.name(s).to_owned())
                    .collect();
                return Err(implausible(field, header(field), limit, samples));
            }
        }
        Ok(())
    }
}
