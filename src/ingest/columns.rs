//! Which source column holds which canonical field. Headers are matched by their normalised
//! key against the explicit mappings first (a source's own, then the global `[columns]`),
//! then against the built-in synonyms: a mapping adds a name that comes first, it does not
//! take the built-in names away, so a file without the mapped header still finds its column.

use crate::chars::header_key;
use crate::model::{Field, OrderField};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

/// The canonical fields of one kind of source and the names their columns go by: what
/// finding the columns of a file needs to know. Visit logs are read by [`Field`], work
/// orders by [`OrderField`]; the rest of reading is the same for both.
pub trait Columns:
    Copy + Eq + Ord + std::hash::Hash + std::fmt::Debug + std::fmt::Display + Send + Sync + 'static
{
    /// Every field, in the order their columns are looked for.
    const ALL: &'static [Self];
    /// The fields the plausibility guard counts (see [`super::guard`]).
    const DEPARTMENT: Self;
    const SITE: Self;
    /// The field whose cells are free text, which may hold line breaks.
    const FREE_TEXT: Option<Self>;
    /// The config table a mapping for these fields is written in, for messages.
    const MAPPING_TABLE: &'static str;
    fn name(self) -> &'static str;
    /// Below [`MAX_FIELDS`].
    fn index(self) -> usize;
    fn is_required(self) -> bool;
    fn synonyms(self) -> &'static [&'static str];
    /// Words a header holding the field is likely to have, for the mapping a message suggests.
    fn hints(self) -> &'static [&'static str] {
        &[]
    }

    /// The required fields as a message lists them: `date and department`.
    fn required_names() -> String {
        let names: Vec<&str> = Self::ALL
            .iter()
            .filter(|f| f.is_required())
            .map(|f| f.name())
            .collect();
        match names.split_last() {
            Some((last, [])) => (*last).to_owned(),
            Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
            None => String::new(),
        }
    }
}

/// Room for the fields of every kind: positions are kept in an array, as they were when there
/// was one kind, so the visit log's per-cell lookups stay one indexed load.
pub const MAX_FIELDS: usize = Field::COUNT;
const _: () = assert!(OrderField::ALL.len() <= MAX_FIELDS);

impl Columns for Field {
    const ALL: &'static [Field] = &Field::ALL;
    const DEPARTMENT: Field = Field::Department;
    const SITE: Field = Field::Site;
    const FREE_TEXT: Option<Field> = Some(Field::Comment);
    const MAPPING_TABLE: &'static str = "[columns]";
    fn name(self) -> &'static str {
        Field::name(self)
    }
    fn index(self) -> usize {
        Field::index(self)
    }
    fn is_required(self) -> bool {
        Field::is_required(self)
    }
    fn synonyms(self) -> &'static [&'static str] {
        synonyms(self)
    }
    fn hints(self) -> &'static [&'static str] {
        match self {
            Field::Date => DATE_HINTS,
            Field::Department => DEPARTMENT_HINTS,
            _ => &[],
        }
    }
}

impl Columns for OrderField {
    const ALL: &'static [OrderField] = &OrderField::ALL;
    const DEPARTMENT: OrderField = OrderField::Department;
    const SITE: OrderField = OrderField::Site;
    const FREE_TEXT: Option<OrderField> = None;
    // A table of that name after an `[[orders]]` entry is that entry's `columns`.
    const MAPPING_TABLE: &'static str = "[orders.columns]";
    fn name(self) -> &'static str {
        OrderField::name(self)
    }
    fn index(self) -> usize {
        OrderField::index(self)
    }
    fn is_required(self) -> bool {
        OrderField::is_required(self)
    }
    fn synonyms(self) -> &'static [&'static str] {
        order_synonyms(self)
    }
    fn hints(self) -> &'static [&'static str] {
        match self {
            OrderField::Created => DATE_HINTS,
            OrderField::Department => DEPARTMENT_HINTS,
            OrderField::OrderType => &["类型", "类别", "分类", "type"],
            _ => &[],
        }
    }
}

const DATE_HINTS: &[&str] = &["日期", "时间", "时刻", "日", "时", "date", "time"];
const DEPARTMENT_HINTS: &[&str] = &["部门", "科室", "单位", "部", "dept"];

/// Built-in header spellings per work-order field, from 报修, 投诉 and 工单 exports. The
/// department and the site go by the names they have in visit logs.
pub fn order_synonyms(field: OrderField) -> &'static [&'static str] {
    match field {
        OrderField::Id => &[
            "工单号",
            "工单编号",
            "报修单号",
            "投诉编号",
            "投诉单号",
            "单号",
            "编号",
            "订单号",
            "orderid",
            "id",
        ],
        OrderField::OrderType => &[
            "工单类型",
            "工单分类",
            "服务类型",
            "报修类型",
            "业务类型",
            "类型",
            "类别",
            "ordertype",
            "type",
        ],
        OrderField::Department => synonyms(Field::Department),
        OrderField::Site => synonyms(Field::Site),
        OrderField::Created => &[
            "创建时间",
            "创建日期",
            "报修时间",
            "受理时间",
            "下单时间",
            "派单时间",
            "登记时间",
            "created",
        ],
        OrderField::Completed => &[
            "完成时间",
            "完成日期",
            "结单时间",
            "关闭时间",
            "办结时间",
            "处理完成时间",
            "completed",
        ],
        // Not 处理人: that is who did the work, not who calls the customer after it.
        OrderField::Staff => &[
            "回访人",
            "回访责任人",
            "指派回访人",
            "回访员",
            "回访专员",
            "staff",
        ],
    }
}

/// Built-in header spellings per field, from the record tables and CRM exports in the seeds.
pub fn synonyms(field: Field) -> &'static [&'static str] {
    match field {
        Field::Date => &[
            "回访日期",
            "回访时间",
            "日期",
            "走访日期",
            "走访时间",
            "拜访日期",
            "访问日期",
            "时间",
            "date",
            "visitdate",
            "visittime",
        ],
        Field::Department => &[
            "责任部门",
            "部门",
            "所属部门",
            "处理部门",
            "负责部门",
            "责任单位",
            "department",
            "dept",
        ],
        Field::Id => &[
            "编号",
            "回访编号",
            "工单号",
            "工单编号",
            "序号",
            "记录编号",
            "id",
            "recordid",
        ],
        Field::Site => &[
            "项目",
            "小区",
            "网点",
            "营业部",
            "项目名称",
            "小区名称",
            "楼盘",
            "site",
            "estate",
        ],
        Field::VisitType => &["回访类型", "回访分类", "走访类型", "visittype", "type"],
        Field::Channel => &["回访方式", "走访方式", "联系方式", "渠道", "channel"],
        Field::ContactResult => &[
            "回访结果",
            "接通情况",
            "联系结果",
            "回访状态",
            "contactresult",
            "result",
        ],
        Field::Satisfaction => &[
            "满意度",
            "满意程度",
            "客户评价",
            "满意度评价",
            "评价",
            "satisfaction",
        ],
        Field::ComplaintCategory => &[
            "问题类别",
            "投诉类别",
            "问题分类",
            "投诉分类",
            "问题类型",
            "投诉类型",
            "complaintcategory",
            "category",
        ],
        Field::Severity => &["投诉等级", "问题等级", "严重程度", "投诉级别", "severity"],
        Field::Status => &["整改状态", "处理状态", "整改情况", "处理进度", "status"],
        Field::DueDate => &[
            "整改期限",
            "要求完成日期",
            "整改时限",
            "处理期限",
            "截止日期",
            "duedate",
        ],
        Field::ClosedDate => &[
            "完成日期",
            "整改完成日期",
            "整改完成时间",
            "处理完成日期",
            "关闭日期",
            "closeddate",
        ],
        Field::RevisitSatisfaction => &[
            "整改后回访满意度",
            "复访满意度",
            "整改满意度",
            "复访评价",
            "revisitsatisfaction",
        ],
        Field::Comment => &[
            "客户意见",
            "回访内容",
            "备注",
            "业主意见",
            "意见建议",
            "客户反馈",
            "comment",
            "comments",
            "remark",
        ],
        Field::Staff => &["回访人", "客服专员", "回访人员", "走访人", "staff"],
        // 工单号 alone is the visit's own number (a CRM's call-back record keyed by its
        // order); these name the order beside it.
        Field::Order => &[
            "关联工单",
            "关联工单号",
            "来源工单",
            "来源工单号",
            "报修单号",
            "投诉编号",
            "投诉单号",
            "orderid",
            "order",
        ],
        // 编号 alone is the record's id, 工单号 the visit's own order: these name the household
        // or the customer, never the visit.
        Field::Household => &[
            "房号",
            "房屋编号",
            "房间号",
            "户号",
            "门牌号",
            "客户编号",
            "客户号",
            "业主编号",
            "household",
            "customerid",
            "room",
        ],
    }
}

/// Where a mapped header comes from, for messages.
pub const SOURCE_MAPPING: &str = "[[sources]] columns";
pub const GLOBAL_MAPPING: &str = "[columns]";
pub const ORDERS_MAPPING: &str = "[[orders]] columns";
const BUILT_IN: &str = "built-in";

/// Mapped headers per field, in the order they are tried, each with where it is configured.
pub type Mapping<F = Field> = BTreeMap<F, Vec<(String, &'static str)>>;

/// Which header a field was read from in one file, and by which name it was found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ColumnUse {
    pub field: &'static str,
    pub header: String,
    /// `[[sources]] columns`, `[columns]` or `built-in`.
    pub by: &'static str,
}

/// A mapped header the file does not have: (field, header, where it is configured).
pub type Missed<F = Field> = (F, String, &'static str);

/// Resolved positions: for each canonical field, the 0-based column holding it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnMap<F = Field> {
    positions: [Option<usize>; MAX_FIELDS],
    /// Headers that map to no field, in file order (reported, never an error).
    pub unused: Vec<String>,
    /// Fields claimed by more than one column: (field, header used, header ignored).
    pub duplicates: Vec<(F, String, String)>,
    /// Columns in the header.
    width: usize,
    /// Every field found, in field order, with its header and how it was found.
    pub used: Vec<ColumnUse>,
    /// Mapped headers this file lacks; the field was then looked for by the next name.
    pub missed: Vec<Missed<F>>,
}

impl<F> Default for ColumnMap<F> {
    fn default() -> Self {
        ColumnMap {
            positions: [None; MAX_FIELDS],
            unused: Vec::new(),
            duplicates: Vec::new(),
            width: 0,
            used: Vec::new(),
            missed: Vec::new(),
        }
    }
}

impl<F: Columns> ColumnMap<F> {
    pub fn get(&self, field: F) -> Option<usize> {
        self.positions[field.index()]
    }

    pub fn has(&self, field: F) -> bool {
        self.get(field).is_some()
    }

    /// Per column: whether its cells are free text, which may hold line breaks: the comment,
    /// and columns no field is read from (a second comment column such as 备注 beside 客户意见
    /// included).
    pub fn free_text(&self) -> Vec<bool> {
        let comment = F::FREE_TEXT.and_then(|f| self.get(f));
        let read = |col| F::ALL.iter().any(|&f| self.get(f) == Some(col));
        (0..self.width)
            .map(|col| !read(col) || Some(col) == comment)
            .collect()
    }
}

/// A required field a file has no column for, with what a message says about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingField {
    pub name: &'static str,
    pub synonyms: &'static [&'static str],
    /// A header of the file that may hold it.
    pub guess: Option<String>,
}

/// A file whose headers lack a required field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingColumns {
    pub missing: Vec<MissingField>,
    /// Mapped headers the file lacks, by field name.
    pub missed: Vec<Missed<&'static str>>,
    pub headers: Vec<String>,
    /// The encoding the headers were read in.
    pub encoding: &'static str,
    /// Where a mapping is written (`[columns]`).
    pub mapping_table: &'static str,
}

impl std::fmt::Display for MissingColumns {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.missing.iter().map(|m| m.name).collect();
        writeln!(f, "no column for required field {}", names.join(", "))?;
        for (field, header, by) in &self.missed {
            let (shown, why) = (
                super::text::shown(header),
                missed_why(header, &self.headers),
            );
            writeln!(f, "  {field} is mapped to `{shown}` ({by}), which {why}")?;
        }
        writeln!(f, "  headers found: {}", shown_list(&self.headers))?;
        if self.headers.iter().any(|h| h.contains('\u{fffd}')) {
            writeln!(
                f,
                "  the headers hold bytes that are not valid {} (shown as �): the file is in \
                 another encoding; set `encoding = \"gb18030\"` or `encoding = \"utf-8\"` on \
                 this source",
                self.encoding
            )?;
        }
        writeln!(f, "  built-in names: {}", {
            let mut s = String::new();
            for m in &self.missing {
                let _ = write!(s, "{}: {}; ", m.name, m.synonyms.join("/"));
            }
            s.trim_end_matches("; ").to_owned()
        })?;
        write!(
            f,
            "  fix: map the header in huifang.toml, e.g.\n    {}",
            self.mapping_table
        )?;
        for m in &self.missing {
            let guess = m
                .guess
                .as_deref()
                .map_or_else(|| "<header in your file>".to_owned(), super::text::shown);
            write!(f, "\n    {} = \"{guess}\"", m.name)?;
        }
        Ok(())
    }
}

/// Why a mapped header was not used: the file lacks it, or another field's mapping took it.
pub fn missed_why(header: &str, headers: &[String]) -> &'static str {
    let wanted = header_key(header);
    if headers.iter().any(|h| header_key(h) == wanted) {
        "is already the column of another field in this file"
    } else {
        "is not in this file"
    }
}

/// Headers as a message lists them: the first few, each cut short, never a whole line of a
/// file that was not what it seemed.
pub fn shown_list(headers: &[String]) -> String {
    const SHOWN: usize = 30;
    let mut list: Vec<String> = headers
        .iter()
        .take(SHOWN)
        .map(|h| super::text::shown(h))
        .collect();
    if headers.len() > SHOWN {
        list.push(format!("… ({} in all)", headers.len()));
    }
    list.join(", ")
}

/// A header that may hold `field`: one that names no other field by a built-in name (so
/// `完成日期`, the closed date, is never offered for the visit date) and has a telling word.
fn guess_header<F: Columns>(field: F, headers: &[String]) -> Option<&str> {
    let hints = field.hints();
    let named = |key: &str| F::ALL.iter().any(|&f| f.synonyms().contains(&key));
    // A real header has a few dozen columns; a "header" of a million is no header at all.
    headers
        .iter()
        .take(1000)
        .map(|h| (h, header_key(h)))
        .filter(|(_, key)| !named(key))
        .find(|(_, key)| hints.iter().any(|k| key.contains(k)))
        .map(|(h, _)| h.as_str())
}

/// Maps `headers` to fields: for each field, its mapped headers in order, then the built-in
/// synonyms.
pub fn resolve<F: Columns>(
    headers: &[String],
    mapping: &Mapping<F>,
) -> Result<ColumnMap<F>, MissingColumns> {
    let keys: Vec<String> = headers.iter().map(|h| header_key(h)).collect();
    // A heading over several lines (`客户意见⏎(限200字)`) is known by its first line when the
    // whole of it is no built-in name.
    let known = |key: &str| F::ALL.iter().any(|&f| f.synonyms().contains(&key));
    let synonym_keys: Vec<String> = headers
        .iter()
        .zip(&keys)
        .map(|(h, key)| match h.split_once('\n') {
            Some((first, _)) if !known(key) => header_key(first),
            _ => key.clone(),
        })
        .collect();
    let mut map = ColumnMap::default();
    let mut claimed = vec![false; headers.len()];

    for (&field, candidates) in mapping {
        for (header, by) in candidates {
            let wanted = header_key(header);
            let found =
                (0..keys.len()).find(|&c| !claimed[c] && !wanted.is_empty() && keys[c] == wanted);
            match found {
                Some(col) => {
                    map.positions[field.index()] = Some(col);
                    claimed[col] = true;
                    map.used.push(ColumnUse {
                        field: field.name(),
                        header: headers[col].clone(),
                        by,
                    });
                    break;
                }
                None => map.missed.push((field, header.clone(), by)),
            }
        }
    }
    // Columns by key, so a line of a million cells is not compared with every name.
    let mut by_key: HashMap<&str, Vec<usize>> = HashMap::new();
    for (col, key) in synonym_keys.iter().enumerate() {
        by_key.entry(key.as_str()).or_default().push(col);
    }
    for &field in F::ALL {
        if map.has(field) {
            continue;
        }
        // Earlier synonyms are the more specific names, so they win over later ones.
        for synonym in field.synonyms() {
            for &col in by_key.get(synonym).map_or(&[][..], Vec::as_slice) {
                if claimed[col] {
                    continue;
                }
                match map.positions[field.index()] {
                    None => {
                        map.positions[field.index()] = Some(col);
                        claimed[col] = true;
                        map.used.push(ColumnUse {
                            field: field.name(),
                            header: headers[col].clone(),
                            by: BUILT_IN,
                        });
                    }
                    Some(used) => {
                        map.duplicates
                            .push((field, headers[used].clone(), headers[col].clone()));
                        claimed[col] = true;
                    }
                }
            }
        }
    }
    map.used
        .sort_by_key(|u| F::ALL.iter().position(|f| f.name() == u.field));
    map.unused = headers
        .iter()
        .zip(&claimed)
        .filter(|(h, c)| !**c && !header_key(h).is_empty())
        .map(|(h, _)| h.clone())
        .collect();
    map.width = headers.len();

    let missing: Vec<MissingField> = F::ALL
        .iter()
        .filter(|f| f.is_required() && !map.has(**f))
        .map(|&f| MissingField {
            name: f.name(),
            synonyms: f.synonyms(),
            guess: guess_header(f, headers).map(str::to_owned),
        })
        .collect();
    if missing.is_empty() {
        Ok(map)
    } else {
        Err(MissingColumns {
            missed: map
                .missed
                .iter()
                .map(|(f, header, by)| (f.name(), header.clone(), *by))
                .collect(),
            missing,
            headers: headers.to_vec(),
            encoding: "UTF-8",
            mapping_table: F::MAPPING_TABLE,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn synonyms_and_noise() {
        let map = resolve(
            &headers(&["序号", "回访日期：", "所属 部门", "满意程度", "电话"]),
            &Mapping::<Field>::new(),
        )
        .unwrap();
        assert_eq!(map.get(Field::Id), Some(0));
        assert_eq!(map.get(Field::Date), Some(1));
        assert_eq!(map.get(Field::Department), Some(2));
        assert_eq!(map.get(Field::Satisfaction), Some(3));
        assert_eq!(map.get(Field::Comment), None);
        assert_eq!(map.unused, vec!["电话"]);
    }

    #[test]
    fn explicit_mapping_wins_over_synonyms() {
        let mapping = Mapping::from([(Field::Date, vec![("受理日期".to_owned(), GLOBAL_MAPPING)])]);
        let map = resolve(&headers(&["日期", "受理日期", "部门"]), &mapping).unwrap();
        assert_eq!(map.get(Field::Date), Some(1));
        assert_eq!(map.unused, vec!["日期"]);
        // A file without the mapped header finds the column by its built-in name.
        let map = resolve(&headers(&["日期", "部门"]), &mapping).unwrap();
        assert_eq!(map.get(Field::Date), Some(0));
        assert_eq!(
            map.missed,
            vec![(Field::Date, "受理日期".to_owned(), GLOBAL_MAPPING)]
        );
        assert_eq!(map.used[0].by, "built-in");
    }

    #[test]
    fn the_more_specific_synonym_wins() {
        let map = resolve(
            &headers(&["日期", "回访日期", "部门"]),
            &Mapping::<Field>::new(),
        )
        .unwrap();
        assert_eq!(map.get(Field::Date), Some(1));
        assert_eq!(
            map.duplicates,
            vec![(Field::Date, "回访日期".into(), "日期".into())]
        );
    }

    #[test]
    fn missing_required_column_suggests_a_mapping() {
        let err = resolve(
            &headers(&["回访日期", "负责科室", "满意度"]),
            &Mapping::<Field>::new(),
        )
        .unwrap_err();
        let missing: Vec<&str> = err.missing.iter().map(|m| m.name).collect();
        assert_eq!(missing, ["department"]);
        let text = err.to_string();
        assert!(
            text.contains("headers found: 回访日期, 负责科室, 满意度"),
            "{text}"
        );
        assert!(text.contains("department = \"负责科室\""), "{text}");
        // The closed date's header is never offered for the visit date.
        let err = resolve(
            &headers(&["完成日期", "走访时刻", "部门"]),
            &Mapping::<Field>::new(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("date = \"走访时刻\""), "{err}");
    }
}
