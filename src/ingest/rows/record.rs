//! The rules a row is read by: which fields it cannot do without, what each value may be,
//! and when a complaint's cells make a complaint.

use super::*;

impl<K: Kind> RowReader<'_, K> {
    pub(super) fn read<'r, 'p: 'r>(
        &mut self,
        record: &'r Record<'r>,
        line: u64,
        piece: &mut PieceText<'p>,
        symbols: &mut Symbols,
        report: &mut PieceReport,
    ) -> Option<K::Record<'r>> {
        self.lossy.clear();
        self.blanked.clear();
        // Blank cells are ASCII spaces or nothing; no need to decode them to know.
        if record.iter().all(|b| b.trim_ascii().is_empty()) {
            report.push(Diagnostic {
                line,
                column: None,
                impact: Impact::Rejected,
                message: "the row is empty".to_owned(),
                reason: Reason::new("row_empty"),
            });
            return None;
        }
        let utf8 = match self.encoding {
            Encoding::Utf8 => piece
                .row(record)
                .or_else(|| simdutf8::basic::from_utf8(record.text()).ok()),
            Encoding::Gb18030 | Encoding::Windows1252 => None,
        };
        let wide = match utf8 {
            None => true,
            Some(_) if record.in_piece() => piece.wide(record.start, record.end),
            Some(row) => may_need_folding(row.as_bytes()),
        };
        K::read(self, &Row { record, utf8, wide }, line, symbols, report)
    }

    /// The date of a field a row cannot do without; the row is rejected when it is empty
    /// (with the reason `empty`), not a date, or not guessed from broken bytes.
    pub(super) fn required_date(
        &mut self,
        record: &Row<'_>,
        line: u64,
        field: K::Field,
        empty: &'static str,
        report: &mut PieceReport,
    ) -> Option<NaiveDate> {
        match self.cell(record, field) {
            None => {
                let message = format!("{field} is empty");
                self.reject(report, line, field, message, Reason::new(empty))
            }
            Some(value) => self.date_of(record, line, field, &value, report),
        }
    }

    /// `value`, the cell of `field`, as a date; the row is rejected when it is not one.
    pub(super) fn date_of(
        &mut self,
        record: &Row<'_>,
        line: u64,
        field: K::Field,
        value: &str,
        report: &mut PieceReport,
    ) -> Option<NaiveDate> {
        if self.broken(field).is_some() {
            return self.reject_broken(record.record, line, field, report);
        }
        match parse_date(value, self.ctx.config.timezone.0) {
            Ok(d) => Some(d),
            Err(e) => {
                let message = format!("`{}` is not a date: {e}", shown(value));
                let reason = Reason::new("not_a_date").with("value", shown(value));
                self.reject(report, line, field, message, reason)
            }
        }
    }

    /// The name in a field a row cannot do without (the department, an order's type); the
    /// row is rejected when it is empty (with the reason `empty`) or not read from broken
    /// bytes.
    pub(super) fn required_name(
        &mut self,
        record: &Row<'_>,
        line: u64,
        field: K::Field,
        empty: &'static str,
        symbols: &mut Symbols,
        report: &mut PieceReport,
    ) -> Option<Sym> {
        let sym = self.memo(record, field, Memos::sym, |this| {
            let name = this.cell(record, field)?;
            if this.broken(field).is_some() {
                return None;
            }
            Some(this.intern(field, &name, symbols))
        });
        if sym.is_none() {
            if self.broken(field).is_some() {
                return self.reject_broken(record.record, line, field, report);
            }
            let message = format!("{field} is empty");
            return self.reject(report, line, field, message, Reason::new(empty));
        }
        sym
    }

    pub(super) fn check_width(&self, record: &Record<'_>, line: u64, report: &mut PieceReport) {
        let width = self.layout.headers.len();
        let extra_values = record
            .iter()
            .skip(width)
            .any(|b| !b.trim_ascii().is_empty());
        if extra_values {
            report.push(Diagnostic {
                line,
                column: None,
                impact: Impact::Warning,
                message: format!(
                    "the row has {} fields but the header has {width}; values past column {width} are ignored",
                    record.len()
                ),
                reason: Reason::new("extra_fields")
                    .with("fields", record.len())
                    .with("width", width),
            });
        }
    }

    /// The vocabulary value of a cell, as `lookup` finds it (remembered per piece); a value it
    /// does not know is left blank, with the message `unknown` gives for the quoted value.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn known<V: Copy>(
        &mut self,
        record: &Row<'_>,
        line: u64,
        field: K::Field,
        report: &mut PieceReport,
        memo: fn(&mut Memos, K::Field) -> &mut Memo<V>,
        lookup: impl Fn(&Self, &str) -> Option<V>,
        unknown: impl Fn(&Self, &str) -> (String, Reason),
    ) -> Option<V> {
        self.memo(record, field, memo, |this| {
            let value = this.cell(record, field)?;
            let found = lookup(this, &value);
            if found.is_none() {
                let (message, reason) = unknown(this, &shown(&value));
                this.leave_blank(
                    report,
                    line,
                    field,
                    message,
                    reason.with("value", shown(&value)),
                );
            }
            found
        })
    }
}

impl Kind for Visits {
    type Field = Field;
    type Record<'r> = VisitRecord<'r>;

    fn read<'r>(
        rows: &mut RowReader<'_, Self>,
        row: &Row<'r>,
        line: u64,
        symbols: &mut Symbols,
        report: &mut PieceReport,
    ) -> Option<VisitRecord<'r>> {
        rows.visit(row, line, symbols, report)
    }
}

impl RowReader<'_, Visits> {
    fn visit<'r>(
        &mut self,
        record: &Row<'r>,
        line: u64,
        symbols: &mut Symbols,
        report: &mut PieceReport,
    ) -> Option<VisitRecord<'r>> {
        // The fields a row cannot do without are not guessed from broken bytes.
        let date = self.required_date(record, line, Field::Date, "date_empty", report)?;
        let department = self.required_name(
            record,
            line,
            Field::Department,
            "department_empty",
            symbols,
            report,
        )?;

        self.check_width(record.record, line, report);
        let vocabulary = self.ctx.vocabulary;
        let id = match self.cell(record, Field::Id) {
            Some(id) => id,
            None => Cow::Owned(format!("{}:{line}", self.layout.file_name)),
        };
        let site = self.sym(record, Field::Site, symbols);
        let visit_type = self.sym(record, Field::VisitType, symbols);
        let channel = self.sym(record, Field::Channel, symbols);
        let staff = self.sym(record, Field::Staff, symbols);
        let contact = self.memo(
            record,
            Field::ContactResult,
            |m, _| &mut m.contact,
            |this| {
                let value = this.cell(record, Field::ContactResult)?;
                Some((
                    symbols.intern(&crate::privacy::label(&value)),
                    vocabulary.is_contact_success(&value),
                ))
            },
        );
        let contact_result = contact.map(|(sym, _)| sym);
        let contact = match contact {
            Some((_, true)) => Contact::Reached,
            Some((_, false)) => Contact::NotReached,
            None if self.layout.map.has(Field::ContactResult) => Contact::Blank,
            None => Contact::NoColumn,
        };
        let satisfaction = self.level(record, line, Field::Satisfaction, report);
        let comment = self.cell(record, Field::Comment);
        let order = self.cell(record, Field::Order);
        let household = self
            .cell(record, Field::Household)
            .map(|key| crate::model::household_key(&key));
        let complaint = self.complaint(record, line, date, symbols, report);

        Some(VisitRecord {
            id,
            date,
            department,
            site,
            visit_type,
            channel,
            contact_result,
            contact,
            satisfaction,
            complaint,
            comment,
            staff,
            order,
            household,
        })
    }

    pub(super) fn level(
        &mut self,
        record: &Row<'_>,
        line: u64,
        field: Field,
        report: &mut PieceReport,
    ) -> Option<LevelId> {
        self.known(
            record,
            line,
            field,
            report,
            |m, field| &mut m.levels[field.index()],
            |this, value| this.ctx.vocabulary.satisfaction(value),
            |this, value| {
                let expected = Vocabulary::satisfaction_expected(this.ctx.config);
                let levels = &this.ctx.config.satisfaction.levels;
                (
                    format!("`{value}` is not a satisfaction level (expected {expected})"),
                    Reason::new("unknown_level")
                        .expecting(levels.iter().map(|l| l.label.clone()).collect()),
                )
            },
        )
    }

    pub(super) fn optional_date(
        &mut self,
        record: &Row<'_>,
        line: u64,
        field: Field,
        report: &mut PieceReport,
    ) -> Option<NaiveDate> {
        let value = self.cell(record, field)?;
        match parse_date(&value, self.ctx.config.timezone.0) {
            Ok(d) => Some(d),
            Err(e) => {
                let message = format!("`{}` is not a date: {e}", shown(&value));
                let reason = Reason::new("not_a_date").with("value", shown(&value));
                self.leave_blank(report, line, field, message, reason);
                None
            }
        }
    }

    pub(super) fn complaint(
        &mut self,
        record: &Row<'_>,
        line: u64,
        date: NaiveDate,
        symbols: &mut Symbols,
        report: &mut PieceReport,
    ) -> Option<Complaint> {
        const COMPLAINT_FIELDS: [Field; 5] = [
            Field::Severity,
            Field::Status,
            Field::DueDate,
            Field::ClosedDate,
            Field::RevisitSatisfaction,
        ];
        let category = self.sym(record, Field::ComplaintCategory, symbols);
        let Some(category) = category else {
            if let Some(&field) = COMPLAINT_FIELDS
                .iter()
                .find(|&&f| self.cell(record, f).is_some())
            {
                let message = format!(
                    "{field} is filled but complaint_category is empty, so the row raised no complaint; the value is ignored"
                );
                let reason = Reason::new("filled_without_category");
                report.push(self.diagnostic(line, field, Impact::Warning, message, reason));
            }
            return None;
        };

        let severity = self.known(
            record,
            line,
            Field::Severity,
            report,
            |m, _| &mut m.severity,
            |_, value| Severity::parse(value),
            |_, value| {
                (
                    format!("`{value}` is not a complaint level (expected 重大, 重要 or 轻微)"),
                    Reason::new("unknown_severity"),
                )
            },
        );
        let status = self.known(
            record,
            line,
            Field::Status,
            report,
            |m, _| &mut m.status,
            |this, value| this.ctx.vocabulary.status(value),
            |this, value| {
                let known: Vec<&str> = this.ctx.config.status.all().map(|(s, _)| s).collect();
                (
                    format!(
                        "`{value}` is not a known status (expected {}; add it to [status] open or closed)",
                        known.join(", ")
                    ),
                    Reason::new("unknown_status")
                        .expecting(known.iter().map(|s| s.to_string()).collect()),
                )
            },
        );
        let due_date = self.optional_date(record, line, Field::DueDate, report);
        let mut closed_date = self.optional_date(record, line, Field::ClosedDate, report);
        if let Some(closed) = closed_date
            && closed < date
        {
            let message = format!("closed date {closed} is before the visit date {date}");
            let reason = Reason::new("closed_before_visit")
                .with("closed", closed)
                .with("date", date);
            self.leave_blank(report, line, Field::ClosedDate, message, reason);
            closed_date = None;
        }
        let revisit_satisfaction = self.level(record, line, Field::RevisitSatisfaction, report);
        Some(Complaint {
            category,
            severity,
            status,
            due_date,
            closed_date,
            revisit_satisfaction,
        })
    }
}
