//! `[coverage]`: per kind of work order (工单类型), what share must be followed up (回访率,
//! seed 003 §5.3: 安装后回访 100%, 维修后回访 20% …) and within how many days of its completion a
//! follow-up is on time (a property manager's 回访制度: complaints within 3 days, repairs
//! between one and two months).
//!
//! ```toml
//! [coverage]
//! "安装" = 1.0                       # shorthand: a target, the default window
//!
//! [coverage."投诉"]
//! target = 1.0
//! window = [0, 3]                  # on time: 0–3 days after completion
//! visit_types = ["投诉回访"]        # visits that follow it up when no order id links them
//! aliases = ["客诉", "投诉工单"]
//! ```

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use std::collections::BTreeMap;
use std::fmt;

/// Days after completion a follow-up is on time when `window` is not given: a week.
pub const DEFAULT_WINDOW: [u32; 2] = [0, 7];

/// `[coverage]`: the rule of each order type, by its name in the reports.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(from = "BTreeMap<String, Wrapped>")]
pub struct Coverage {
    pub types: BTreeMap<String, OrderTypeRule>,
}

/// How one kind of work order is followed up.
#[derive(Debug, Clone, PartialEq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderTypeRule {
    /// 回访率 to reach: a share between 0 and 1. None: counted, measured against nothing.
    #[serde(default)]
    pub target: Option<f64>,
    /// First and last day after completion on which a follow-up is on time.
    #[serde(default = "default_window")]
    pub window: [u32; 2],
    /// Visit types (回访类型) that follow up this kind of order, for visits that name no
    /// order: they link by rule (same department and site, within `link_days`).
    #[serde(default)]
    pub visit_types: Vec<String>,
    /// Other spellings of the order type in the order files.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// How many days after completion a visit may still link by rule; default: twice the
    /// window's last day, at least 7.
    #[serde(default)]
    pub link_days: Option<u32>,
}

fn default_window() -> [u32; 2] {
    DEFAULT_WINDOW
}

impl Default for OrderTypeRule {
    fn default() -> Self {
        OrderTypeRule {
            target: None,
            window: DEFAULT_WINDOW,
            visit_types: Vec::new(),
            aliases: Vec::new(),
            link_days: None,
        }
    }
}

impl OrderTypeRule {
    /// The last day after completion on which a visit links to an order by rule.
    pub fn link_days(&self) -> u32 {
        self.link_days
            .unwrap_or_else(|| self.window[1].saturating_mul(2).max(7))
    }
}

/// A bare number is the target (`"安装" = 1.0`); a table is the whole rule, read with its own
/// messages for unknown keys and wrong types.
impl<'de> Deserialize<'de> for Wrapped {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct RuleVisitor;
        impl<'de> Visitor<'de> for RuleVisitor {
            type Value = Wrapped;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a target share such as 0.3, or a table with target, window, visit_types, aliases, link_days")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Wrapped, E> {
                Ok(Wrapped(OrderTypeRule {
                    target: Some(v),
                    ..OrderTypeRule::default()
                }))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Wrapped, E> {
                self.visit_f64(v as f64)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Wrapped, E> {
                self.visit_f64(v as f64)
            }
            fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<Wrapped, M::Error> {
                OrderTypeRule::deserialize(de::value::MapAccessDeserializer::new(map)).map(Wrapped)
            }
        }
        d.deserialize_any(RuleVisitor)
    }
}

/// [`OrderTypeRule`] as `[coverage]` writes it: a number or a table.
struct Wrapped(OrderTypeRule);

impl schemars::JsonSchema for Wrapped {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "OrderTypeRuleOrTarget".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let rule = generator.subschema_for::<OrderTypeRule>();
        schemars::json_schema!({
            "description": "A target share such as 0.3, or the whole rule as a table.",
            "anyOf": [{ "type": "number" }, rule]
        })
    }
}

impl From<BTreeMap<String, Wrapped>> for Coverage {
    fn from(map: BTreeMap<String, Wrapped>) -> Coverage {
        Coverage {
            types: map.into_iter().map(|(k, v)| (k, v.0)).collect(),
        }
    }
}

impl Coverage {
    /// The configured type an order's type names, by its name or an alias (compared as
    /// headers are: width, case, spaces and punctuation aside).
    pub fn type_of(&self, written: &str) -> Option<&str> {
        let key = crate::chars::header_key(written);
        self.types
            .iter()
            .find(|(name, rule)| {
                std::iter::once(*name)
                    .chain(&rule.aliases)
                    .any(|n| crate::chars::header_key(n) == key)
            })
            .map(|(name, _)| name.as_str())
    }

    /// Every type a visit type follows up by rule.
    pub fn followed_by(&self, visit_type: &str) -> impl Iterator<Item = &str> {
        let key = crate::chars::header_key(visit_type);
        self.types
            .iter()
            .filter(move |(_, rule)| {
                rule.visit_types
                    .iter()
                    .any(|v| crate::chars::header_key(v) == key)
            })
            .map(|(name, _)| name.as_str())
    }

    /// Whether any type links visits by rule.
    pub fn links_by_rule(&self) -> bool {
        self.types.values().any(|r| !r.visit_types.is_empty())
    }

    pub(super) fn validate(&self) -> Result<(), String> {
        let mut names: BTreeMap<String, &str> = BTreeMap::new();
        for (name, rule) in &self.types {
            let at = format!("coverage.\"{name}\"");
            if let Some(t) = rule.target
                && !(0.0..=1.0).contains(&t)
            {
                return Err(format!(
                    "{at}: target = {t} is not a share between 0 and 1 (write 30 % as 0.3)"
                ));
            }
            let [first, last] = rule.window;
            if first > last {
                return Err(format!(
                    "{at}: window = [{first}, {last}] ends before it starts; write [first day, last day] after completion"
                ));
            }
            if let Some(days) = rule.link_days
                && days < last
            {
                return Err(format!(
                    "{at}: link_days = {days} is shorter than the window's last day ({last}); \
                     a follow-up on time could not link"
                ));
            }
            for spelling in std::iter::once(name).chain(&rule.aliases) {
                let key = crate::chars::header_key(spelling);
                if let Some(other) = names.insert(key, name)
                    && other != name
                {
                    return Err(format!(
                        "{at}: `{spelling}` also names coverage.\"{other}\"; an order type can \
                         have one rule"
                    ));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Config;

    fn parse(text: &str) -> Result<Config, String> {
        Config::parse(text, std::path::Path::new("huifang.toml")).map_err(|e| e.to_string())
    }

    #[test]
    fn a_number_is_a_target_and_a_table_a_whole_rule() {
        let config = parse(
            "[coverage]\n\"安装\" = 1\n\"巡检\" = 0.2\n\n[coverage.\"维修\"]\ntarget = 0.3\n\
             window = [30, 60]\nvisit_types = [\"维修回访\"]\naliases = [\"报修\"]\n",
        )
        .unwrap();
        let types = &config.coverage.types;
        assert_eq!(types["安装"].target, Some(1.0));
        assert_eq!(types["安装"].window, super::DEFAULT_WINDOW);
        assert_eq!(types["巡检"].target, Some(0.2));
        let repair = &types["维修"];
        assert_eq!((repair.window, repair.link_days()), ([30, 60], 120));
        assert_eq!(types["安装"].link_days(), 14);
        assert_eq!(config.coverage.type_of(" 报修 "), Some("维修"));
        assert_eq!(config.coverage.type_of("维修工单"), None);
        assert!(config.coverage.links_by_rule());
    }

    #[test]
    fn bad_rules_say_what_is_wrong() {
        let err = |text: &str| parse(text).unwrap_err();
        assert!(err("[coverage]\n\"投诉\" = 100\n").contains("write 30 % as 0.3"));
        assert!(err("[coverage.\"投诉\"]\nwindow = [3, 0]\n").contains("ends before it starts"));
        assert!(err("[coverage.\"投诉\"]\nwindow = [0, 3]\nlink_days = 2\n").contains("shorter"));
        let twice =
            err("[coverage.\"投诉\"]\naliases = [\"维修\"]\n[coverage.\"维修\"]\ntarget = 0.3\n");
        assert!(twice.contains("also names"), "{twice}");
        let unknown = err("[coverage.\"投诉\"]\ntarge = 1.0\n");
        assert!(unknown.contains("targe"), "{unknown}");
        assert!(err("[coverage]\n\"投诉\" = \"all\"\n").contains("a target share"));
    }
}
