//! What a manager is measured against: `[targets]` (satisfaction, closure, on-time, contact
//! and household-coverage rates), with overrides per department and per site.

use serde::Deserialize;
use std::collections::BTreeMap;

/// The rates a target can be set for, each a share between 0 and 1. A missing one has no target.
#[derive(Debug, Clone, Copy, Default, PartialEq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct TargetValues {
    /// 满意率.
    pub satisfied_rate: Option<f64>,
    /// 整改完成率.
    pub closure_rate: Option<f64>,
    /// 整改及时率: complaints closed by their deadline ÷ complaints closed.
    pub on_time_rate: Option<f64>,
    /// 回访成功率.
    pub contact_rate: Option<f64>,
    /// 走访覆盖率: households visited in the period ÷ the site's households.
    pub household_coverage: Option<f64>,
}

/// `[targets]`: organisation-wide values, and `[targets.departments."工程部"]` /
/// `[targets.sites."翠湖苑"]` tables that replace some of them for one department or site.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Targets {
    #[serde(flatten)]
    pub overall: TargetValues,
    pub departments: BTreeMap<String, TargetValues>,
    pub sites: BTreeMap<String, TargetValues>,
}

impl TargetValues {
    /// Each value of `self`, else the one of `base`.
    fn over(self, base: TargetValues) -> TargetValues {
        TargetValues {
            satisfied_rate: self.satisfied_rate.or(base.satisfied_rate),
            closure_rate: self.closure_rate.or(base.closure_rate),
            on_time_rate: self.on_time_rate.or(base.on_time_rate),
            contact_rate: self.contact_rate.or(base.contact_rate),
            household_coverage: self.household_coverage.or(base.household_coverage),
        }
    }

    /// The target for a metric by its catalogue name, if one is set.
    pub fn get(&self, metric: &str) -> Option<f64> {
        match metric {
            "satisfied_rate" => self.satisfied_rate,
            "closure_rate" => self.closure_rate,
            "on_time_rate" => self.on_time_rate,
            "contact_rate" => self.contact_rate,
            "household_coverage" => self.household_coverage,
            _ => None,
        }
    }

    fn all(&self) -> [(&'static str, Option<f64>); 5] {
        [
            ("satisfied_rate", self.satisfied_rate),
            ("closure_rate", self.closure_rate),
            ("on_time_rate", self.on_time_rate),
            ("contact_rate", self.contact_rate),
            ("household_coverage", self.household_coverage),
        ]
    }
}

impl Targets {
    /// The targets of one department, by the name the reports give it.
    pub fn department(&self, name: &str) -> TargetValues {
        self.departments
            .get(name)
            .map_or(self.overall, |d| d.over(self.overall))
    }

    /// The targets of one site, by the name the reports give it.
    pub fn site(&self, name: &str) -> TargetValues {
        self.sites
            .get(name)
            .map_or(self.overall, |s| s.over(self.overall))
    }

    /// Every value is a share: a target of `90` meant 90 % and would never be met.
    pub(super) fn validate(&self) -> Result<(), String> {
        let scopes = std::iter::once(("targets".to_owned(), &self.overall))
            .chain(
                self.departments
                    .iter()
                    .map(|(n, v)| (format!("targets.departments.\"{n}\""), v)),
            )
            .chain(
                self.sites
                    .iter()
                    .map(|(n, v)| (format!("targets.sites.\"{n}\""), v)),
            );
        for (scope, values) in scopes {
            for (key, value) in values.all() {
                if let Some(v) = value
                    && !(0.0..=1.0).contains(&v)
                {
                    return Err(format!(
                        "{scope}: {key} = {v} is not a share between 0 and 1 (write 90 % as 0.9)"
                    ));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Targets, String> {
        let t: Targets = toml::from_str(text).map_err(|e| e.to_string())?;
        t.validate()?;
        Ok(t)
    }

    #[test]
    fn overrides_replace_only_the_values_they_set() {
        let t = parse(
            "satisfied_rate = 0.9\nclosure_rate = 0.95\n\
             [departments.\"工程部\"]\nclosure_rate = 0.8\n\
             [sites.\"翠湖苑\"]\nsatisfied_rate = 0.85\n",
        )
        .unwrap();
        let d = t.department("工程部");
        assert_eq!((d.satisfied_rate, d.closure_rate), (Some(0.9), Some(0.8)));
        let s = t.site("翠湖苑");
        assert_eq!((s.satisfied_rate, s.closure_rate), (Some(0.85), Some(0.95)));
        assert_eq!(t.department("客服部"), t.overall);
        assert_eq!(t.site("翠湖苑").on_time_rate, None);
        assert_eq!(s.get("closure_rate"), Some(0.95));
        assert_eq!(s.get("visits"), None);
    }

    #[test]
    fn percent_written_as_a_whole_number_is_refused() {
        let e = parse("[departments.\"工程部\"]\non_time_rate = 95\n").unwrap_err();
        assert!(
            e.contains("targets.departments.\"工程部\": on_time_rate = 95"),
            "{e}"
        );
        assert!(parse("contact_rate = 0.85").is_ok());
        assert!(parse("contact_rate = 85").is_err());
        assert!(parse("closure = 0.9").is_err(), "unknown keys are refused");
    }
}
