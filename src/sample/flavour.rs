//! The three source systems a year's file imitates, and how each spells a record: its
//! header, ids, date styles, line ends and encoding.

use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};

use super::SampleEncoding;
use super::row::Row;
use super::vocabulary::{Category, STAFF, Severity, Status, department_name, site_name};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Flavour {
    /// Excel 客服台账.
    A,
    /// CRM 导出.
    B,
    /// 移动端导出.
    C,
}

impl Flavour {
    pub(super) fn for_year(year: i32, first_year: i32) -> Flavour {
        match (year - first_year).rem_euclid(3) {
            0 => Flavour::A,
            1 => Flavour::B,
            _ => Flavour::C,
        }
    }

    pub(super) fn headers(self) -> &'static [&'static str] {
        match self {
            Flavour::A => &[
                "序号",
                "回访日期",
                "责任部门",
                "项目",
                "回访类型",
                "回访方式",
                "回访结果",
                "满意度",
                "问题类别",
                "投诉等级",
                "整改状态",
                "整改期限",
                "完成日期",
                "整改后回访满意度",
                "客户意见",
                "回访人",
                "", // Excel's trailing empty column
            ],
            Flavour::B => &[
                "工单号",
                "回访时间",
                "处理部门",
                "小区",
                "回访分类",
                "回访方式",
                "接通情况",
                "客户评价",
                "投诉类别",
                "投诉等级",
                "处理状态",
                "要求完成日期",
                "整改完成日期",
                "复访满意度",
                "回访内容",
                "客服专员",
            ],
            Flavour::C => &[
                "编号",
                "走访日期",
                "所属 部门",
                "网点",
                "回访类型",
                "回访方式",
                "回访结果",
                "满意程度：",
                "问题分类",
                "投诉等级",
                "整改状态",
                "整改期限",
                "整改完成日期",
                "整改后回访满意度",
                "备注",
                "回访人",
            ],
        }
    }

    /// Whether the file is GB18030 (else UTF-8).
    pub(super) fn writes_gb18030(self, encoding: SampleEncoding) -> bool {
        match encoding {
            SampleEncoding::Native => self == Flavour::A,
            SampleEncoding::Utf8 => false,
            SampleEncoding::Gb18030 => true,
        }
    }

    /// Whether the file starts with a UTF-8 byte order mark.
    pub(super) fn writes_bom(self, encoding: SampleEncoding) -> bool {
        encoding == SampleEncoding::Native && self == Flavour::B
    }
}

/// The formatted fields of one record (canonical order; flavour A adds an empty 17th).
#[derive(Default)]
pub(super) struct Fields {
    f: [String; 17],
    len: usize,
}

impl Fields {
    pub(super) fn fill(
        &mut self,
        flavour: Flavour,
        row: &Row,
        seq: u64,
        day_seq: u32,
        date: NaiveDate,
    ) {
        for s in &mut self.f {
            s.clear();
        }
        let (y, m, d) = (date.year(), date.month(), date.day());
        let (hh, mm, ss) = (row.secs / 3600, row.secs / 60 % 60, row.secs % 60);
        let [
            id,
            visit_date,
            department,
            site,
            visit_type,
            channel,
            contact_result,
            satisfaction,
            category,
            severity,
            status,
            due,
            closed,
            revisit,
            comment,
            staff,
            _excel_trailing,
        ] = &mut self.f;
        let _ = match flavour {
            Flavour::A => {
                write!(id, "{seq}").and_then(|_| write!(visit_date, "{y}/{m}/{d} {hh}:{mm:02}"))
            }
            Flavour::B => write!(id, "GD{y}{m:02}{d:02}{day_seq:04}")
                .and_then(|_| write!(visit_date, "{y}-{m:02}-{d:02} {hh:02}:{mm:02}:{ss:02}")),
            Flavour::C => write!(id, "HF-{y}-{seq:06}").and_then(|_| {
                if row.excel_serial {
                    write!(visit_date, "{}", date.num_days_from_ce() - EXCEL_EPOCH_CE)
                } else {
                    write!(visit_date, "{y}年{m}月{d}日")
                }
            }),
        };
        department.push_str(&department_name(row.department, row.department_index));
        site.push_str(&site_name(row.site));
        visit_type.push_str(row.visit_type.name());
        channel.push_str(row.channel.name());
        contact_result.push_str(row.contact_result.name());
        if let Some(level) = row.satisfaction {
            satisfaction.push_str(if flavour == Flavour::B && row.satisfaction_as_digit {
                level.digit()
            } else {
                level.name()
            });
        }
        if let Some(name) = row.category.map(Category::name) {
            category.push_str(name);
        }
        if let Some(name) = row.severity.map(Severity::name) {
            severity.push_str(name);
        }
        if let Some(name) = row.status.map(Status::name) {
            status.push_str(name);
        }
        if let Some(day) = row.due {
            short_date(flavour, day, due);
        }
        if let Some(day) = row.closed {
            short_date(flavour, day, closed);
        }
        if let Some(level) = row.revisit {
            revisit.push_str(level.name());
        }
        comment.push_str(&row.comment);
        staff.push_str(STAFF[row.staff]);
        self.len = if flavour == Flavour::A { 17 } else { 16 };
    }

    /// The fields of the record as [`Fields::fill`] left them.
    pub(super) fn record(&self) -> &[String] {
        &self.f[..self.len]
    }
}

/// Days from 0001-01-01 (CE day 1) to Excel's day 0, 1899-12-30.
const EXCEL_EPOCH_CE: i32 = 693_594;

/// A due or closing date: `2024/3/8` in flavour A, `2025-03-08` otherwise.
/// Left empty past chrono's last date, which only a deadline after an `end` near it reaches.
fn short_date(flavour: Flavour, day: i32, out: &mut String) {
    let Some(date) = NaiveDate::from_num_days_from_ce_opt(day) else {
        return;
    };
    let (y, m, d) = (date.year(), date.month(), date.day());
    let _ = match flavour {
        Flavour::A => write!(out, "{y}/{m}/{d}"),
        Flavour::B | Flavour::C => write!(out, "{y}-{m:02}-{d:02}"),
    };
}
