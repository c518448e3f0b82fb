//! The partial tables as Parquet files (cargo feature `parquet`): read into the same text
//! cells a CSV row holds, so one reader checks both; written with the column types DuckDB
//! and Spark give the generated SQL's tables (DATE, BIGINT, VARCHAR).

use super::Kind;
#[cfg(feature = "parquet")]
use super::table::{Cell, Cells};
use super::table::{Row, Table, TableError, TableFile};
use std::path::Path;

/// Whether this huifang reads and writes Parquet.
pub const AVAILABLE: bool = cfg!(feature = "parquet");

#[cfg(not(feature = "parquet"))]
pub(super) fn read(
    _path: &Path,
    table: &Table<'_>,
    _handle: &mut dyn FnMut(&Row<'_>) -> Result<(), TableError>,
) -> Result<TableFile, TableError> {
    Err(TableError::new(table.shown, None, without_feature()))
}

#[cfg(not(feature = "parquet"))]
pub(super) fn write(
    _columns: &[&str],
    _kinds: &[Kind],
    _rows: &[Vec<String>],
) -> std::io::Result<Vec<u8>> {
    Err(std::io::Error::other(without_feature()))
}

#[cfg(not(feature = "parquet"))]
fn without_feature() -> String {
    "is Parquet, and this huifang was built without Parquet: build it with the `parquet` \
     feature (`cargo install huifang --features parquet`, on by default), or export the tables \
     as CSV (docs/partials.md)"
        .to_owned()
}

#[cfg(feature = "parquet")]
pub(super) use with_parquet::{read, write};

#[cfg(feature = "parquet")]
mod with_parquet {
    use super::super::table::{file_of, positions};
    use super::*;
    use chrono::NaiveDate;
    use parquet::basic::{ConvertedType, LogicalType, Repetition, Type as Physical};
    use parquet::column::reader::{ColumnReader, ColumnReaderImpl};
    use parquet::data_type::{ByteArray, ByteArrayType, DataType, Int32Type, Int64Type};
    use parquet::file::properties::WriterProperties;
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::file::writer::SerializedFileWriter;
    use parquet::schema::types::Type;
    use std::sync::Arc;

    /// Day 0 of Parquet's DATE.
    const EPOCH: NaiveDate = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();

    /// Reads one Parquet file of `table`: its columns must be exactly the table's (in any
    /// order) with the types their kinds need; each row goes to `handle` as text cells.
    pub(in super::super) fn read(
        path: &Path,
        table: &Table<'_>,
        handle: &mut dyn FnMut(&Row<'_>) -> Result<(), TableError>,
    ) -> Result<TableFile, TableError> {
        let shown = table.shown;
        let bytes = std::fs::read(path)
            .map_err(|e| TableError::new(shown, None, format!("cannot read: {e}")))?;
        let file = file_of(shown, &bytes, 0);
        // The decoder is another crate's: a file damaged in a way it does not check must
        // still end in a message, not a crash.
        let rows = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            read_rows(bytes::Bytes::from(bytes), table, handle)
        }))
        .unwrap_or_else(|_| Err(corrupt(shown, "its data cannot be decoded")))?;
        Ok(TableFile { rows, ..file })
    }

    fn corrupt(shown: &str, why: &str) -> TableError {
        TableError::new(
            shown,
            None,
            format!(
                "is not a readable Parquet file ({why}): write it again (a file cut short by a \
                 copy, or not Parquet at all, reads so)"
            ),
        )
    }

    fn read_rows(
        bytes: bytes::Bytes,
        table: &Table<'_>,
        handle: &mut dyn FnMut(&Row<'_>) -> Result<(), TableError>,
    ) -> Result<u64, TableError> {
        let shown = table.shown;
        let reader =
            SerializedFileReader::new(bytes).map_err(|e| corrupt(shown, &e.to_string()))?;
        let schema = reader.metadata().file_metadata().schema();
        let fields = schema.get_fields();
        let names: Vec<&str> = fields.iter().map(|f| f.name()).collect();
        let at = positions(&names, table.columns, shown, None)?;
        for (i, &kind) in table.kinds.iter().enumerate() {
            let field = &fields[at[i]];
            if !is_of_kind(field, kind) {
                return Err(TableError {
                    column: Some((at[i] + 1, table.columns[i].to_owned())),
                    ..TableError::new(
                        shown,
                        None,
                        format!(
                            "the column is {}, expected {}",
                            type_name(field),
                            expected(kind)
                        ),
                    )
                });
            }
        }
        let mut rows = 0;
        // Which of the file's columns are dates: their INT32 values are days, not counts.
        let mut dates = vec![false; fields.len()];
        for (i, &kind) in table.kinds.iter().enumerate() {
            dates[at[i]] = kind == Kind::Date;
        }
        for group in 0..reader.num_row_groups() {
            let group =
                (reader.get_row_group(group)).map_err(|e| corrupt(shown, &e.to_string()))?;
            let count = usize::try_from(group.metadata().num_rows()).unwrap_or(0);
            let mut columns = Vec::with_capacity(fields.len());
            for (i, &date) in dates.iter().enumerate() {
                let reader =
                    (group.get_column_reader(i)).map_err(|e| corrupt(shown, &e.to_string()))?;
                let max_def = group.metadata().column(i).column_descr().max_def_level();
                columns.push(
                    Column::read(reader, max_def, count, date).map_err(|e| corrupt(shown, &e))?,
                );
            }
            let mut next = vec![0usize; columns.len()];
            let mut cells = Vec::with_capacity(columns.len());
            for r in 0..count {
                rows += 1;
                cells.clear();
                for (column, (values, next)) in columns.iter().zip(&mut next).enumerate() {
                    let cell = values.cell(r, next).ok_or_else(|| TableError {
                        line: Some(rows),
                        in_rows: true,
                        column: Some((column + 1, names[column].to_owned())),
                        ..TableError::new(
                            shown,
                            None,
                            format!(
                                "`{}` cannot be read as text: it is not UTF-8",
                                values.lossy(*next)
                            ),
                        )
                    })?;
                    cells.push(cell);
                }
                handle(&Row {
                    file: shown,
                    line: rows,
                    in_rows: true,
                    columns: table.columns,
                    at: &at,
                    cells: Cells::Typed(&cells),
                })?;
            }
        }
        Ok(rows)
    }

    /// One column of a row group, decoded: its definition levels (a value is NULL below the
    /// column's highest) and its non-null values, typed.
    struct Column {
        max_def: i16,
        levels: Vec<i16>,
        values: Values,
    }

    enum Values {
        Text(Vec<ByteArray>),
        Int32(Vec<i32>),
        /// INT32 DATE: days from 1970-01-01.
        Dates(Vec<i32>),
        Int64(Vec<i64>),
        /// A type no kind reads: refused by `is_of_kind` before any row is read.
        Other,
    }

    impl Column {
        /// Every value of the `count` rows of a column chunk.
        fn read(
            reader: ColumnReader,
            max_def: i16,
            count: usize,
            date: bool,
        ) -> Result<Column, String> {
            let mut levels = Vec::with_capacity(count);
            let values = match reader {
                ColumnReader::ByteArrayColumnReader(mut r) => {
                    Values::Text(all(&mut r, &mut levels, count)?)
                }
                ColumnReader::Int32ColumnReader(mut r) if date => {
                    Values::Dates(all(&mut r, &mut levels, count)?)
                }
                ColumnReader::Int32ColumnReader(mut r) => {
                    Values::Int32(all(&mut r, &mut levels, count)?)
                }
                ColumnReader::Int64ColumnReader(mut r) => {
                    Values::Int64(all(&mut r, &mut levels, count)?)
                }
                _ => Values::Other,
            };
            Ok(Column {
                max_def,
                levels,
                values,
            })
        }

        /// Row `r`'s cell, `next` being the index of the next non-null value; `None`: text
        /// that is not UTF-8, at `next`.
        fn cell(&self, r: usize, next: &mut usize) -> Option<Cell<'_>> {
            let present = self.max_def == 0 || self.levels.get(r) == Some(&self.max_def);
            if !present {
                return Some(Cell::Null);
            }
            let at = *next;
            let cell = match &self.values {
                Values::Text(values) => match values.get(at) {
                    Some(value) => Cell::Text(value.as_utf8().ok()?),
                    None => Cell::Null,
                },
                Values::Int32(values) => values
                    .get(at)
                    .map_or(Cell::Null, |&n| Cell::Count(n.into())),
                Values::Dates(values) => values.get(at).map_or(Cell::Null, |&n| Cell::Date(n)),
                Values::Int64(values) => values.get(at).map_or(Cell::Null, |&n| Cell::Count(n)),
                Values::Other => Cell::Null,
            };
            // Not before: a message names the value that is not UTF-8 by `next`.
            *next += 1;
            Some(cell)
        }

        fn lossy(&self, at: usize) -> String {
            match &self.values {
                Values::Text(values) => values.get(at).map_or_else(String::new, |v| {
                    String::from_utf8_lossy(v.data()).into_owned()
                }),
                _ => String::new(),
            }
        }
    }

    /// Reads a column chunk to its end: `count` rows' levels, and the non-null values.
    fn all<T: DataType>(
        reader: &mut ColumnReaderImpl<T>,
        levels: &mut Vec<i16>,
        count: usize,
    ) -> Result<Vec<T::T>, String> {
        let mut values = Vec::with_capacity(count);
        let mut read = 0;
        while read < count {
            let (records, _, _) =
                (reader.read_records(count - read, Some(levels), None, &mut values))
                    .map_err(|e| e.to_string())?;
            if records == 0 {
                return Err(format!("a column holds {read} rows, the row group {count}"));
            }
            read += records;
        }
        Ok(values)
    }

    /// A column of one value per row whose type the kind reads: text as UTF-8 strings (or
    /// plain bytes), a date as DATE, a count as a whole number of 32 or 64 bits.
    fn is_of_kind(field: &Type, kind: Kind) -> bool {
        if !field.is_primitive() || field.get_basic_info().repetition() == Repetition::REPEATED {
            return false;
        }
        let info = field.get_basic_info();
        let logical = info.logical_type_ref();
        let converted = info.converted_type();
        match (kind, field.get_physical_type()) {
            (Kind::Text, Physical::BYTE_ARRAY) => {
                matches!(
                    logical,
                    None | Some(LogicalType::String | LogicalType::Enum)
                ) && matches!(
                    converted,
                    ConvertedType::NONE | ConvertedType::UTF8 | ConvertedType::ENUM
                )
            }
            (Kind::Date, Physical::INT32) => {
                matches!(logical, Some(LogicalType::Date)) || converted == ConvertedType::DATE
            }
            (Kind::Count, Physical::INT32 | Physical::INT64) => match logical {
                None => matches!(
                    converted,
                    ConvertedType::NONE
                        | ConvertedType::INT_8
                        | ConvertedType::INT_16
                        | ConvertedType::INT_32
                        | ConvertedType::INT_64
                        | ConvertedType::UINT_8
                        | ConvertedType::UINT_16
                        | ConvertedType::UINT_32
                        | ConvertedType::UINT_64
                ),
                Some(logical) => matches!(logical, LogicalType::Integer(_)),
            },
            _ => false,
        }
    }

    fn type_name(field: &Type) -> String {
        if !field.is_primitive() {
            return "a group (nested columns)".to_owned();
        }
        let info = field.get_basic_info();
        let mut name = format!("{}", field.get_physical_type());
        if let Some(logical) = info.logical_type_ref() {
            name.push_str(&format!(" ({logical:?})"));
        } else if info.converted_type() != ConvertedType::NONE {
            name.push_str(&format!(" ({})", info.converted_type()));
        }
        if info.repetition() == Repetition::REPEATED {
            name.push_str(", repeated");
        }
        name
    }

    fn expected(kind: Kind) -> &'static str {
        match kind {
            Kind::Text => "text (BYTE_ARRAY, String): cast it to VARCHAR/STRING",
            Kind::Date => "a date (INT32, Date): cast it to DATE",
            Kind::Count => "a whole number (INT32 or INT64): cast it to BIGINT",
        }
    }

    /// The rows (text cells, empty for NULL, as the CSV tables hold them) as one Parquet
    /// file, snappy-compressed, typed as the engines type the SQL's tables.
    pub(in super::super) fn write(
        columns: &[&str],
        kinds: &[Kind],
        rows: &[Vec<String>],
    ) -> std::io::Result<Vec<u8>> {
        let fields = (columns.iter().zip(kinds))
            .map(|(&name, &kind)| field(name, kind).map(Arc::new))
            .collect::<Result<Vec<_>, _>>()
            .map_err(std::io::Error::other)?;
        let schema = Type::group_type_builder("huifang_partials")
            .with_fields(fields)
            .build()
            .map_err(std::io::Error::other)?;
        let properties = WriterProperties::builder()
            .set_compression(parquet::basic::Compression::SNAPPY)
            .build();
        let mut out = Vec::new();
        let mut writer =
            SerializedFileWriter::new(&mut out, Arc::new(schema), Arc::new(properties))
                .map_err(std::io::Error::other)?;
        let mut group = writer.next_row_group().map_err(std::io::Error::other)?;
        for (i, &kind) in kinds.iter().enumerate() {
            let cells: Vec<&str> = rows.iter().map(|row| row[i].as_str()).collect();
            let levels: Vec<i16> = cells.iter().map(|c| i16::from(!c.is_empty())).collect();
            let present = cells.iter().filter(|c| !c.is_empty());
            let Some(mut column) = group.next_column().map_err(std::io::Error::other)? else {
                break;
            };
            let written = match kind {
                Kind::Text => {
                    let values: Vec<ByteArray> = present.map(|c| ByteArray::from(*c)).collect();
                    (column.typed::<ByteArrayType>()).write_batch(&values, Some(&levels), None)
                }
                Kind::Date => {
                    let values = present
                        .map(|c| days(c))
                        .collect::<std::io::Result<Vec<_>>>()?;
                    (column.typed::<Int32Type>()).write_batch(&values, Some(&levels), None)
                }
                Kind::Count => {
                    let values = present
                        .map(|c| c.parse::<i64>().map_err(std::io::Error::other))
                        .collect::<std::io::Result<Vec<_>>>()?;
                    (column.typed::<Int64Type>()).write_batch(&values, Some(&levels), None)
                }
            };
            written.map_err(std::io::Error::other)?;
            column.close().map_err(std::io::Error::other)?;
        }
        group.close().map_err(std::io::Error::other)?;
        writer.close().map_err(std::io::Error::other)?;
        Ok(out)
    }

    fn field(name: &str, kind: Kind) -> parquet::errors::Result<Type> {
        // A count is a plain INT64, as DuckDB and Spark write BIGINT.
        let (physical, logical) = match kind {
            Kind::Text => (Physical::BYTE_ARRAY, Some(LogicalType::String)),
            Kind::Date => (Physical::INT32, Some(LogicalType::Date)),
            Kind::Count => (Physical::INT64, None),
        };
        Type::primitive_type_builder(name, physical)
            .with_repetition(Repetition::OPTIONAL)
            .with_logical_type(logical)
            .build()
    }

    /// A `YYYY-MM-DD` cell as Parquet's DATE: days from 1970-01-01.
    fn days(cell: &str) -> std::io::Result<i32> {
        let date = NaiveDate::parse_from_str(cell, "%Y-%m-%d").map_err(std::io::Error::other)?;
        i32::try_from((date - EPOCH).num_days()).map_err(std::io::Error::other)
    }
}

#[cfg(all(test, feature = "parquet"))]
mod tests {
    use super::super::{PARTIALS_COLUMNS, PARTIALS_KINDS};
    use super::*;

    /// Two rows of partials: a keyed count and a plain one with NULL site and key.
    fn rows() -> Vec<Vec<String>> {
        let row = |cells: [&str; 6]| cells.map(str::to_owned).to_vec();
        vec![
            row(["2026-03-01", "客服部", "翠湖花园", "levels", "满意", "3"]),
            row(["2026-02-01", "工程部", "", "visits", "", "0"]),
        ]
    }

    /// What `read` hands on: each row's cells in the table's column order; or the error.
    fn read_back(bytes: &[u8]) -> Result<Vec<Vec<String>>, TableError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("partials.parquet");
        std::fs::write(&path, bytes).unwrap();
        let table = Table {
            shown: "tables/partials.parquet",
            columns: &PARTIALS_COLUMNS,
            kinds: &PARTIALS_KINDS,
        };
        let mut seen = Vec::new();
        let file = read(&path, &table, &mut |row| {
            seen.push(
                (0..row.columns.len())
                    .map(|i| row.text(i).into_owned())
                    .collect(),
            );
            Ok(())
        })?;
        assert_eq!(file.rows, seen.len() as u64);
        assert_eq!(file.size, bytes.len() as u64);
        Ok(seen)
    }

    #[test]
    fn a_table_written_as_parquet_reads_back_as_the_same_cells() {
        let bytes = write(&PARTIALS_COLUMNS, &PARTIALS_KINDS, &rows()).unwrap();
        assert!(bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"));
        assert_eq!(read_back(&bytes).unwrap(), rows());
        // The same rows, the same bytes.
        assert_eq!(
            bytes,
            write(&PARTIALS_COLUMNS, &PARTIALS_KINDS, &rows()).unwrap()
        );
        // Columns in another order are found by name.
        let order = [5, 4, 3, 2, 1, 0];
        let columns = order.map(|i| PARTIALS_COLUMNS[i]);
        let kinds = order.map(|i| PARTIALS_KINDS[i]);
        let turned: Vec<Vec<String>> = rows()
            .iter()
            .map(|r| order.map(|i| r[i].clone()).to_vec())
            .collect();
        let bytes = write(&columns, &kinds, &turned).unwrap();
        assert_eq!(read_back(&bytes).unwrap(), rows());
        // No rows: a table with its columns and nothing in them.
        let bytes = write(&PARTIALS_COLUMNS, &PARTIALS_KINDS, &[]).unwrap();
        assert_eq!(read_back(&bytes).unwrap(), Vec::<Vec<String>>::new());
    }

    #[test]
    fn a_column_of_another_type_is_named_with_the_type_expected() {
        // `value` as text, as an engine writes a count it was not told to cast.
        let mut kinds = PARTIALS_KINDS;
        kinds[5] = Kind::Text;
        let bytes = write(&PARTIALS_COLUMNS, &kinds, &rows()).unwrap();
        let err = read_back(&bytes).unwrap_err().to_string();
        assert_eq!(
            err,
            "partial table tables/partials.parquet, column 6 (value): the column is BYTE_ARRAY \
             (String), expected a whole number (INT32 or INT64): cast it to BIGINT"
        );
        // `bucket` as a count of days, not a DATE.
        let mut kinds = PARTIALS_KINDS;
        kinds[0] = Kind::Count;
        let mut cells = rows();
        cells.iter_mut().for_each(|r| r[0] = "20513".to_owned());
        let bytes = write(&PARTIALS_COLUMNS, &kinds, &cells).unwrap();
        let err = read_back(&bytes).unwrap_err().to_string();
        assert!(
            err.ends_with("column 1 (bucket): the column is INT64, expected a date (INT32, Date): cast it to DATE"),
            "{err}"
        );
    }

    #[test]
    fn a_missing_or_unknown_column_is_named() {
        let short: Vec<Vec<String>> = rows().iter().map(|r| r[..5].to_vec()).collect();
        let bytes = write(&PARTIALS_COLUMNS[..5], &PARTIALS_KINDS[..5], &short).unwrap();
        let err = read_back(&bytes).unwrap_err().to_string();
        assert!(err.contains("the header has no column `value`"), "{err}");
        let mut columns = PARTIALS_COLUMNS;
        columns[4] = "keys";
        let bytes = write(&columns, &PARTIALS_KINDS, &rows()).unwrap();
        let err = read_back(&bytes).unwrap_err().to_string();
        assert!(err.contains("the header has no column `key`"), "{err}");
    }

    #[test]
    fn a_cut_or_damaged_file_is_refused_with_a_message() {
        let bytes = write(&PARTIALS_COLUMNS, &PARTIALS_KINDS, &rows()).unwrap();
        let unreadable = "is not a readable Parquet file";
        // Cut anywhere: the footer that says where everything is goes first.
        for len in [0, 3, 4, bytes.len() / 2, bytes.len() - 1] {
            let err = read_back(&bytes[..len]).unwrap_err();
            assert!(err.to_string().contains(unreadable), "{len}: {err}");
        }
        // Not Parquet at all.
        let err = read_back(b"bucket,department\n2026-01-01,x\n").unwrap_err();
        assert!(err.to_string().contains(unreadable), "{err}");
        // Every single byte of the data pages overwritten in turn: an error or the same
        // cells, never a crash (snappy checks little, so some damage reads as other text).
        let footer =
            u32::from_le_bytes(bytes[bytes.len() - 8..bytes.len() - 4].try_into().unwrap());
        let data_end = bytes.len() - 8 - footer as usize;
        for at in 4..data_end {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0xFF;
            let _ = read_back(&damaged);
        }
    }

    /// A `partials` file as an engine may write it: `value` as INT32 (SQL `INTEGER`), and the
    /// `key` cells as raw bytes, given per row.
    fn with_int32_values(keys: &[&[u8]], values: &[i32]) -> Vec<u8> {
        use parquet::basic::{LogicalType, Repetition, Type as Physical};
        use parquet::data_type::{ByteArray, ByteArrayType, Int32Type};
        use parquet::file::properties::WriterProperties;
        use parquet::file::writer::SerializedFileWriter;
        use parquet::schema::types::Type;
        use std::sync::Arc;
        let column = |name: &str, physical, logical| {
            let field = Type::primitive_type_builder(name, physical)
                .with_repetition(Repetition::REQUIRED)
                .with_logical_type(logical)
                .build()
                .unwrap();
            Arc::new(field)
        };
        let text = |name| column(name, Physical::BYTE_ARRAY, Some(LogicalType::String));
        let fields = vec![
            column("bucket", Physical::INT32, Some(LogicalType::Date)),
            text("department"),
            text("site"),
            text("measure"),
            text("key"),
            column("value", Physical::INT32, None),
        ];
        let schema = Type::group_type_builder("t")
            .with_fields(fields)
            .build()
            .unwrap();
        let mut out = Vec::new();
        let properties = Arc::new(WriterProperties::builder().build());
        let mut writer = SerializedFileWriter::new(&mut out, Arc::new(schema), properties).unwrap();
        let mut group = writer.next_row_group().unwrap();
        let rows = values.len();
        // 2026-03-01 is day 20,513 of 1970-01-01.
        let mut column = group.next_column().unwrap().unwrap();
        (column.typed::<Int32Type>())
            .write_batch(&vec![20_513; rows], None, None)
            .unwrap();
        column.close().unwrap();
        for texts in [
            vec![&b"dept"[..]; rows],
            vec![&b"site"[..]; rows],
            vec![&b"levels"[..]; rows],
            keys.to_vec(),
        ] {
            let mut column = group.next_column().unwrap().unwrap();
            let values: Vec<ByteArray> =
                texts.iter().map(|t| ByteArray::from(t.to_vec())).collect();
            (column.typed::<ByteArrayType>())
                .write_batch(&values, None, None)
                .unwrap();
            column.close().unwrap();
        }
        let mut column = group.next_column().unwrap().unwrap();
        (column.typed::<Int32Type>())
            .write_batch(values, None, None)
            .unwrap();
        column.close().unwrap();
        group.close().unwrap();
        writer.close().unwrap();
        out
    }

    #[test]
    fn int32_counts_and_required_columns_are_read() {
        let bytes = with_int32_values(&[b"a", "满意".as_bytes()], &[7, 0]);
        let cells = |key: &str, value: &str| {
            ["2026-03-01", "dept", "site", "levels", key, value]
                .map(str::to_owned)
                .to_vec()
        };
        assert_eq!(
            read_back(&bytes).unwrap(),
            vec![cells("a", "7"), cells("满意", "0")]
        );
    }

    #[test]
    fn text_that_is_not_utf8_is_named_with_its_row_and_column() {
        // Row 2's key: 0xFF starts no UTF-8 character.
        let bytes = with_int32_values(&[b"a", b"b\xFFc"], &[1, 2]);
        let err = read_back(&bytes).unwrap_err().to_string();
        assert_eq!(
            err,
            "partial table tables/partials.parquet, row 2, column 5 (key): `b\u{FFFD}c` cannot be \
             read as text: it is not UTF-8"
        );
    }
}
