//! The rules a work-order row is read by: its type, department and created date it cannot do
//! without, and a completed date that is a date on or after the created one.

use super::*;

impl Kind for Orders {
    type Field = OrderField;
    type Record<'r> = OrderRow;

    fn read(
        rows: &mut RowReader<'_, Self>,
        row: &Row<'_>,
        line: u64,
        symbols: &mut Symbols,
        report: &mut PieceReport,
    ) -> Option<OrderRow> {
        let created =
            rows.required_date(row, line, OrderField::Created, "created_empty", report)?;
        let order_type = rows.required_name(
            row,
            line,
            OrderField::OrderType,
            "order_type_empty",
            symbols,
            report,
        )?;
        let department = rows.required_name(
            row,
            line,
            OrderField::Department,
            "department_empty",
            symbols,
            report,
        )?;
        // An order whose completion cannot be read is not taken for one still open: that
        // would take it out of the follow-ups it is owed.
        let completed = match rows.cell(row, OrderField::Completed) {
            None => None,
            Some(value) => Some(rows.date_of(row, line, OrderField::Completed, &value, report)?),
        };
        if let Some(completed) = completed
            && completed < created
        {
            let message = format!(
                "completed date {completed} is before the created date {created}; check both \
                 dates"
            );
            let reason = Reason::new("completed_before_created")
                .with("completed", completed)
                .with("created", created);
            return rows.reject(report, line, OrderField::Completed, message, reason);
        }
        rows.check_width(row.record, line, report);
        let site = rows.sym(row, OrderField::Site, symbols);
        let staff = rows.sym(row, OrderField::Staff, symbols);
        let (id, id_column) = match rows.cell(row, OrderField::Id) {
            Some(id) => (id.into_owned(), rows.layout.map.get(OrderField::Id)),
            None => (format!("{}:{line}", rows.layout.file_name), None),
        };
        Some(OrderRow {
            line,
            id_column: id_column.map(|c| c + 1),
            order: OrderRecord {
                id,
                order_type,
                department,
                site,
                created,
                completed,
                staff,
            },
        })
    }
}
