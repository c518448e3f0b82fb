//! A row's cells: the value of a field, normalised and decoded, and the memo that lets a
//! piece read each distinct value once.

use super::*;

impl<K: Kind> RowReader<'_, K> {
    /// `read` of the cell of `field`, or the value it gave for the same bytes before. Only
    /// rows read as UTF-8 are remembered: bytes read in another encoding, or before a file
    /// switched encoding, may mean something else.
    pub(super) fn memo<V: Copy>(
        &mut self,
        row: &Row<'_>,
        field: K::Field,
        memo: fn(&mut Memos, K::Field) -> &mut Memo<V>,
        read: impl FnOnce(&mut Self) -> Option<V>,
    ) -> Option<V> {
        let raw = row
            .utf8
            .and(self.layout.map.get(field))
            .and_then(|i| row.record.get(i));
        if raw.is_some_and(<[u8]>::is_empty) {
            return None;
        }
        if let Some(raw) = raw
            && let Some(value) = memo(&mut self.memos, field).get(raw)
        {
            return Some(value);
        }
        let value = read(self);
        if let (Some(raw), Some(value)) = (raw, value) {
            memo(&mut self.memos, field).insert(raw, value);
        }
        value
    }

    /// The interned value of a name column.
    pub(super) fn sym(
        &mut self,
        row: &Row<'_>,
        field: K::Field,
        symbols: &mut Symbols,
    ) -> Option<Sym> {
        self.memo(row, field, Memos::sym, |this| {
            let value = this.cell(row, field)?;
            Some(this.intern(field, &value, symbols))
        })
    }

    /// A name read from a cell of `field`, interned: a department or a site under the name
    /// the config gives its spelling, and counted for the plausibility guard.
    pub(super) fn intern(&mut self, field: K::Field, value: &str, symbols: &mut Symbols) -> Sym {
        let vocabulary = self.ctx.vocabulary;
        if field == K::Field::DEPARTMENT {
            let sym = symbols.intern(&crate::privacy::label(vocabulary.department(value)));
            self.seen.departments.insert(sym);
            sym
        } else if field == K::Field::SITE {
            let sym = symbols.intern(&crate::privacy::label(vocabulary.site(value)));
            self.seen.sites.insert(sym);
            sym
        } else {
            symbols.intern(&crate::privacy::label(value))
        }
    }

    pub(super) fn column(&self, field: K::Field) -> Option<Column> {
        self.column_at(self.layout.map.get(field)?)
    }

    /// The column at a 0-based index, with the field read from it, if any.
    pub(super) fn column_at(&self, index: usize) -> Option<Column> {
        let header = self.layout.headers.get(index)?.clone();
        let field = K::Field::ALL
            .iter()
            .find(|&&f| self.layout.map.get(f) == Some(index));
        Some(Column {
            number: index + 1,
            header,
            field: field.map(|f| f.name()),
        })
    }

    /// The normalised, non-empty value of `field` in this row, if the file has the column.
    pub(super) fn cell<'r>(&mut self, row: &Row<'r>, field: K::Field) -> Option<Cow<'r, str>> {
        let index = self.layout.map.get(field)?;
        if row.record.range(index).is_none_or(|r| r.is_empty()) {
            return None;
        }
        // A field that is not valid UTF-8 on its own (only the whole row is checked) falls
        // through to the decoder, which says so.
        if let Some(field) = row.utf8.and_then(|text| text.get(row.record.range(index)?)) {
            let value = if row.wide {
                normalize(field)
            } else {
                Cow::Borrowed(trim_blank(field))
            };
            return (!value.is_empty()).then_some(value);
        }
        let bytes = row.record.get(index)?;
        let (text, lossy) = decode::decode(self.encoding, bytes);
        let value = match text {
            Cow::Borrowed(s) => normalize(s),
            Cow::Owned(s) => Cow::Owned(normalize(&s).into_owned()),
        };
        if lossy && !self.lossy.iter().any(|(f, _)| *f == field) {
            self.lossy.push((field, value.to_string()));
        }
        (!value.is_empty()).then_some(value)
    }

    /// The text of a cell of `field` in the row being read that held bytes invalid in the
    /// encoding, as decoded.
    pub(super) fn broken(&self, field: K::Field) -> Option<&str> {
        let (_, text) = self.lossy.iter().find(|(f, _)| *f == field)?;
        Some(text)
    }
}
