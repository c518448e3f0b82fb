//! Canonical visit records: what every later stage works on. Raw strings from the source files
//! are resolved into these typed values at the ingest edge and never travel further.

use chrono::NaiveDate;
// FxHash: these maps are hit several times per row with short keys; SipHash showed in
// profiles and flooding resistance buys nothing for local files.
use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;
use std::fmt;

/// A canonical field of the visit record, as DOMAIN.md names it.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Date,
    Department,
    Id,
    Site,
    VisitType,
    Channel,
    ContactResult,
    Satisfaction,
    ComplaintCategory,
    Severity,
    Status,
    DueDate,
    ClosedDate,
    RevisitSatisfaction,
    Comment,
    Staff,
    /// The work order (工单) a visit follows up, when the log names it apart from its own id.
    Order,
    /// The household (房号, customer id) a visit was to: hashed for counting coverage, never kept
    /// as text.
    Household,
}

impl Field {
    pub const ALL: [Field; 18] = [
        Field::Date,
        Field::Department,
        Field::Id,
        Field::Site,
        Field::VisitType,
        Field::Channel,
        Field::ContactResult,
        Field::Satisfaction,
        Field::ComplaintCategory,
        Field::Severity,
        Field::Status,
        Field::DueDate,
        Field::ClosedDate,
        Field::RevisitSatisfaction,
        Field::Comment,
        Field::Staff,
        Field::Order,
        Field::Household,
    ];
    pub const COUNT: usize = Self::ALL.len();

    pub fn name(self) -> &'static str {
        match self {
            Field::Date => "date",
            Field::Department => "department",
            Field::Id => "id",
            Field::Site => "site",
            Field::VisitType => "visit_type",
            Field::Channel => "channel",
            Field::ContactResult => "contact_result",
            Field::Satisfaction => "satisfaction",
            Field::ComplaintCategory => "complaint_category",
            Field::Severity => "severity",
            Field::Status => "status",
            Field::DueDate => "due_date",
            Field::ClosedDate => "closed_date",
            Field::RevisitSatisfaction => "revisit_satisfaction",
            Field::Comment => "comment",
            Field::Staff => "staff",
            Field::Order => "order",
            Field::Household => "household",
        }
    }

    pub fn is_required(self) -> bool {
        matches!(self, Field::Date | Field::Department)
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A field of a work-order (工单) row, read from `[[orders]]` sources as [`Field`] is from
/// visit logs: the same reading rules, its own columns.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum OrderField {
    Id,
    OrderType,
    Department,
    Site,
    Created,
    Completed,
    /// The 回访人 the order's follow-up is assigned to, where the ticketing system records one.
    Staff,
}

impl OrderField {
    pub const ALL: [OrderField; 7] = [
        OrderField::Id,
        OrderField::OrderType,
        OrderField::Department,
        OrderField::Site,
        OrderField::Created,
        OrderField::Completed,
        OrderField::Staff,
    ];

    pub fn name(self) -> &'static str {
        match self {
            OrderField::Id => "id",
            OrderField::OrderType => "order_type",
            OrderField::Department => "department",
            OrderField::Site => "site",
            OrderField::Created => "created",
            OrderField::Completed => "completed",
            OrderField::Staff => "staff",
        }
    }

    pub fn is_required(self) -> bool {
        matches!(
            self,
            OrderField::OrderType | OrderField::Department | OrderField::Created
        )
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for OrderField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Complaint level (投诉等级). The rectification deadline depends on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// 重大
    Major,
    /// 重要
    Important,
    /// 轻微
    Minor,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Major, Severity::Important, Severity::Minor];

    pub fn label_zh(self) -> &'static str {
        match self {
            Severity::Major => "重大",
            Severity::Important => "重要",
            Severity::Minor => "轻微",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Severity::Major => "major",
            Severity::Important => "important",
            Severity::Minor => "minor",
        }
    }

    /// Reads a normalised cell. Source systems write the level alone or with 投诉 after it.
    pub fn parse(value: &str) -> Option<Severity> {
        let value = value.strip_suffix("投诉").unwrap_or(value);
        match value.to_ascii_lowercase().as_str() {
            "重大" | "major" => Some(Severity::Major),
            "重要" | "important" => Some(Severity::Important),
            "轻微" | "一般" | "minor" => Some(Severity::Minor),
            _ => None,
        }
    }
}

/// What a visit row says about reaching the customer, before any rule counts it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Contact {
    /// `contact_result` is one of the configured success values.
    Reached,
    /// `contact_result` holds another value (未接通, 拒访 …).
    NotReached,
    /// The file has a `contact_result` column and this row left it blank.
    Blank,
    /// The file has no `contact_result` column.
    NoColumn,
}

/// Index of a level in the configured satisfaction scale (0 = best).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LevelId(pub u8);

/// Index of a status in the configured status vocabulary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StatusId(pub u8);

/// An interned string: departments, sites, categories and the like repeat on every row, so a
/// record carries a small copyable handle instead of its own copy of the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sym(pub u32);

#[derive(Debug, Default, Clone)]
pub struct Symbols {
    names: Vec<Box<str>>,
    /// Names of up to 16 bytes (departments, sites, staff: five CJK characters), keyed by
    /// value: interning runs for several cells of every row, and this spares a string compare.
    short: HashMap<ShortKey, Sym>,
    long: HashMap<Box<str>, Sym>,
}

/// A name of up to 16 bytes as a fixed-size key: hashing and comparing it costs a few word
/// operations, never a string compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ShortKey {
    head: u64,
    tail: u64,
    len: u8,
}

impl std::hash::Hash for ShortKey {
    /// One word for the hasher instead of three: these keys are looked up for most cells of
    /// every row, and equal hashes of different keys are still told apart by `Eq`.
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_u64(self.head ^ self.tail.rotate_left(23) ^ u64::from(self.len) << 59);
    }
}

impl ShortKey {
    /// Whole-word loads of the first and last bytes (overlapping when shorter than 16): with
    /// the length they determine the name, and no byte-by-byte copy stalls the load.
    pub(crate) fn of(b: &[u8]) -> Option<ShortKey> {
        let n = b.len();
        let word = |at: usize| u64::from_le_bytes(b[at..at + 8].try_into().unwrap_or_default());
        let half = |at: usize| {
            u64::from(u32::from_le_bytes(
                b[at..at + 4].try_into().unwrap_or_default(),
            ))
        };
        let (head, tail) = match n {
            0 => (0, 0),
            1..=3 => (
                u64::from(b[0]) | u64::from(b[n / 2]) << 8 | u64::from(b[n - 1]) << 16,
                0,
            ),
            4..=7 => (half(0), half(n - 4)),
            8..=16 => (word(0), word(n - 8)),
            _ => return None,
        };
        Some(ShortKey {
            head,
            tail,
            len: n as u8,
        })
    }
}

impl Symbols {
    pub fn intern(&mut self, name: &str) -> Sym {
        if let Some(sym) = self.get(name) {
            return sym;
        }
        let sym = Sym(u32::try_from(self.names.len()).expect("fewer than 2^32 distinct values"));
        self.names.push(name.into());
        match ShortKey::of(name.as_bytes()) {
            Some(key) => self.short.insert(key, sym),
            None => self.long.insert(name.into(), sym),
        };
        sym
    }

    pub fn get(&self, name: &str) -> Option<Sym> {
        match ShortKey::of(name.as_bytes()) {
            Some(key) => self.short.get(&key),
            None => self.long.get(name),
        }
        .copied()
    }

    pub fn name(&self, sym: Sym) -> &str {
        &self.names[sym.0 as usize]
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Interns every name of `other` and returns the translation: `map[local.0]` is the
    /// symbol here of `other`'s `local`.
    pub fn absorb(&mut self, other: &Symbols) -> Vec<Sym> {
        other.names.iter().map(|name| self.intern(name)).collect()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// Translates a symbol through a table made by [`Symbols::absorb`].
pub fn remap(sym: Sym, map: &[Sym]) -> Sym {
    map[sym.0 as usize]
}

/// A work order (工单): what a follow-up visit follows up. Read from `[[orders]]` sources.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderRecord {
    /// 工单号 as the source gives it, or `<file>:<line>` when the file has no id column.
    pub id: String,
    /// 维修, 投诉, 安装 … as written (normalised), interned.
    pub order_type: Sym,
    pub department: Sym,
    pub site: Option<Sym>,
    pub created: NaiveDate,
    /// When the work was done; an order not yet completed needs no follow-up yet.
    pub completed: Option<NaiveDate>,
    /// Who is to follow it up (回访人), where the export says.
    pub staff: Option<Sym>,
}

impl OrderRecord {
    /// The same order with its symbols translated (see [`Symbols::absorb`]).
    pub fn remap(mut self, map: &[Sym]) -> Self {
        self.order_type = remap(self.order_type, map);
        self.department = remap(self.department, map);
        self.site = self.site.map(|s| remap(s, map));
        self.staff = self.staff.map(|s| remap(s, map));
        self
    }
}

/// A household's key within its site (房号 `3-1-201`, a customer id) as a 64-bit hash: enough
/// to tell households apart for counting (two of a million collide with odds near 10⁻⁸), and
/// no text that could reach a page. Spaces are dropped and ASCII letters folded, as clerks
/// type `3栋 201` and `3栋201`, `A101` and `a101` for one door; other characters are kept, so
/// `3-12-01` and `31-2-01` stay apart. The cell is already width-folded and trimmed.
pub fn household_key(cell: &str) -> u64 {
    use std::hash::Hasher;
    let folded: Cow<'_, str> = if cell
        .chars()
        .any(|c| c.is_whitespace() || c.is_ascii_uppercase())
    {
        let kept = cell.chars().filter(|c| !c.is_whitespace());
        Cow::Owned(kept.map(|c| c.to_ascii_lowercase()).collect())
    } else {
        Cow::Borrowed(cell)
    };
    // FxHasher has no random seed: the same key hashes alike on every run and thread.
    let mut hasher = rustc_hash::FxHasher::default();
    hasher.write(folded.as_bytes());
    hasher.finish()
}

/// The complaint (投诉/问题) a visit raised, with its rectification (整改) state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Complaint {
    pub category: Sym,
    pub severity: Option<Severity>,
    pub status: Option<StatusId>,
    pub due_date: Option<NaiveDate>,
    pub closed_date: Option<NaiveDate>,
    pub revisit_satisfaction: Option<LevelId>,
}

/// One accepted visit row. Its text borrows from the row being read, so reading allocates
/// only for the rare value that needs folding; [`VisitRecord::into_owned`] keeps a copy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VisitRecord<'a> {
    /// Given by the source, or `<file>:<line>` when the file has no id column.
    pub id: Cow<'a, str>,
    pub date: NaiveDate,
    pub department: Sym,
    pub site: Option<Sym>,
    pub visit_type: Option<Sym>,
    pub channel: Option<Sym>,
    pub contact_result: Option<Sym>,
    /// What the row says about reaching the customer; whether that counts as contacted is
    /// [`crate::metrics::rules::is_contacted`].
    pub contact: Contact,
    pub satisfaction: Option<LevelId>,
    pub complaint: Option<Complaint>,
    pub comment: Option<Cow<'a, str>>,
    pub staff: Option<Sym>,
    /// The work order the visit follows up, as the log's order column names it.
    pub order: Option<Cow<'a, str>>,
    /// The household visited, as [`household_key`] hashes it: the text is never kept.
    pub household: Option<u64>,
}

impl VisitRecord<'_> {
    pub fn into_owned(self) -> VisitRecord<'static> {
        VisitRecord {
            id: Cow::Owned(self.id.into_owned()),
            comment: self.comment.map(|c| Cow::Owned(c.into_owned())),
            order: self.order.map(|o| Cow::Owned(o.into_owned())),
            ..self
        }
    }

    /// The same record with its symbols translated (see [`Symbols::absorb`]).
    pub fn remap(mut self, map: &[Sym]) -> Self {
        let r = |s: Sym| remap(s, map);
        self.department = r(self.department);
        self.site = self.site.map(r);
        self.visit_type = self.visit_type.map(r);
        self.channel = self.channel.map(r);
        self.contact_result = self.contact_result.map(r);
        self.staff = self.staff.map(r);
        if let Some(c) = &mut self.complaint {
            c.category = r(c.category);
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Two names share a symbol exactly when they are equal, at every length around the
        /// 16-byte boundary of the inline keys; a small alphabet makes near-misses common.
        #[test]
        fn symbols_are_equal_exactly_when_names_are(
            names in proptest::collection::vec("[ab工]{0,7}|[ab]{7,18}", 1..40)
        ) {
            let mut symbols = Symbols::default();
            let syms: Vec<Sym> = names.iter().map(|n| symbols.intern(n)).collect();
            for (i, a) in names.iter().enumerate() {
                proptest::prop_assert_eq!(symbols.name(syms[i]), a.as_str());
                proptest::prop_assert_eq!(symbols.get(a), Some(syms[i]));
                for (j, b) in names.iter().enumerate() {
                    proptest::prop_assert_eq!(syms[i] == syms[j], a == b);
                }
            }
        }
    }
}
