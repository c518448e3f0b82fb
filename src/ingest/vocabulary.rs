//! The configured value spellings, compiled once into lookups: satisfaction levels (labels,
//! aliases and scores), contact success values, rectification statuses, department and site aliases.

use crate::chars::{normalize, value_key};
use crate::config::Config;
use crate::model::{LevelId, StatusId};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::borrow::Cow;

#[derive(Debug, Clone)]
pub struct Vocabulary {
    satisfaction: HashMap<String, LevelId>,
    scores: Vec<f64>,
    contact_success: HashSet<String>,
    status: HashMap<String, StatusId>,
    department: HashMap<String, String>,
    site: HashMap<String, String>,
}

impl Vocabulary {
    pub fn new(config: &Config) -> Self {
        let mut satisfaction = HashMap::default();
        for (i, level) in config.satisfaction.levels.iter().enumerate() {
            let id = LevelId(i as u8);
            for spelling in std::iter::once(&level.label).chain(&level.aliases) {
                satisfaction.insert(value_key(spelling), id);
            }
        }
        let status = config
            .status
            .all()
            .enumerate()
            .map(|(i, (label, _))| (value_key(label), StatusId(i as u8)))
            .collect();
        let aliases = |list: &[crate::config::EntityDef]| {
            let pairs = list
                .iter()
                .flat_map(|d| d.aliases.iter().map(|a| (a, &d.name)));
            pairs.map(|(a, n)| (a.clone(), n.clone())).collect()
        };
        Vocabulary {
            satisfaction,
            scores: config.satisfaction.levels.iter().map(|l| l.score).collect(),
            contact_success: config
                .contact
                .success
                .iter()
                .map(|s| value_key(s))
                .collect(),
            status,
            department: aliases(&config.departments),
            site: aliases(&config.sites),
        }
    }

    /// A level by label, alias, or score written as a number (`5`, `4.0`).
    pub fn satisfaction(&self, value: &str) -> Option<LevelId> {
        if let Some(&level) = by_key(value, |key| self.satisfaction.get(key)) {
            return Some(level);
        }
        let number: f64 = value.parse().ok()?;
        self.scores
            .iter()
            .position(|&s| s == number)
            .map(|i| LevelId(i as u8))
    }

    pub fn is_contact_success(&self, value: &str) -> bool {
        by_key(value, |key| self.contact_success.get(key)).is_some()
    }

    pub fn status(&self, value: &str) -> Option<StatusId> {
        by_key(value, |key| self.status.get(key)).copied()
    }

    /// The configured name for a department spelling (aliases resolve to their department).
    pub fn department<'a>(&'a self, value: &'a str) -> &'a str {
        self.department.get(value).map_or(value, String::as_str)
    }

    /// The configured name for a site spelling (aliases resolve to their site).
    pub fn site<'a>(&'a self, value: &'a str) -> &'a str {
        self.site.get(value).map_or(value, String::as_str)
    }

    /// Labels shown in a message when a value matches nothing.
    pub fn satisfaction_expected(config: &Config) -> String {
        let labels: Vec<String> = config
            .satisfaction
            .levels
            .iter()
            .map(|l| format!("{} ({})", l.label, l.score))
            .collect();
        labels.join(", ")
    }
}

/// Looks `value` up as written, then by its [`value_key`] when that differs. Every row passes
/// here, and most values miss as written only because they are not in the vocabulary at all
/// (a failed contact): those must not cost an allocation each.
fn by_key<'m, T>(value: &str, find: impl Fn(&str) -> Option<&'m T>) -> Option<&'m T> {
    if let Some(found) = find(value) {
        return Some(found);
    }
    let same_key = matches!(normalize(value), Cow::Borrowed(n) if n.len() == value.len())
        && !value.bytes().any(|b| b.is_ascii_uppercase());
    if same_key {
        None
    } else {
        find(&value_key(value))
    }
}
