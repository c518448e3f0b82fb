//! What a row's problems say: rejections and warnings naming the line, the column and the
//! value, and the bytes a cell held that the encoding cannot read.

use super::*;

impl<K: Kind> RowReader<'_, K> {
    /// Rejects the row for the broken bytes of a field it cannot do without.
    pub(super) fn reject_broken<T>(
        &self,
        record: &Record<'_>,
        line: u64,
        field: K::Field,
        report: &mut PieceReport,
    ) -> Option<T> {
        let text = self.broken(field).unwrap_or_default();
        let mut message = self.broken_bytes(&format!("{field} holds bytes"), text);
        message.push_str(&self.other_encoding(record, field));
        let reason = self.broken_reason();
        self.reject(report, line, field, message, reason)
    }

    pub(super) fn diagnostic(
        &self,
        line: u64,
        field: K::Field,
        impact: Impact,
        message: String,
        reason: Reason,
    ) -> Diagnostic {
        Diagnostic {
            line,
            column: self.column(field),
            impact,
            message,
            reason,
        }
    }

    pub(super) fn reject<T>(
        &self,
        report: &mut PieceReport,
        line: u64,
        field: K::Field,
        message: String,
        reason: Reason,
    ) -> Option<T> {
        report.push(self.diagnostic(line, field, Impact::Rejected, message, reason));
        None
    }

    pub(super) fn leave_blank(
        &mut self,
        report: &mut PieceReport,
        line: u64,
        field: K::Field,
        message: String,
        reason: Reason,
    ) {
        self.blanked.push(field);
        let message = format!("{message}; the cell is left blank");
        let reason = Reason {
            left_blank: true,
            ..reason
        };
        report.push(self.diagnostic(line, field, Impact::Warning, message, reason));
    }

    /// The site's words for bytes a cell held that the file's encoding cannot read.
    pub(super) fn broken_reason(&self) -> Reason {
        Reason::new("broken_bytes").with("encoding", self.encoding.name())
    }

    /// A message about `what` is not valid in the encoding, in a cell read as `value`.
    pub(super) fn broken_bytes(&self, what: &str, value: &str) -> String {
        format!(
            "{what} not valid {} (read as `{}`); check the file's encoding, or set `encoding` \
             on this source (\"utf-8\" or \"gb18030\")",
            self.encoding.name(),
            shown(value)
        )
    }

    /// What to add to a message about a cell of `field` whose bytes are not valid in the
    /// file's encoding when they read cleanly in the other: the file mixes two.
    pub(super) fn other_encoding(&self, record: &Record<'_>, field: K::Field) -> String {
        let other = match self.encoding {
            Encoding::Utf8 => Encoding::Gb18030,
            Encoding::Gb18030 | Encoding::Windows1252 => Encoding::Utf8,
        };
        let bytes = self.layout.map.get(field).and_then(|i| record.get(i));
        match bytes.map(|b| decode::decode(other, b)) {
            Some((text, false)) => format!(
                "; the cell reads as {} (`{}`): the file mixes two encodings, save it again in one",
                other.name(),
                shown(&text)
            ),
            _ => String::new(),
        }
    }

    /// A warning for each cell of an accepted row that held bytes invalid in the encoding
    /// (they read as U+FFFD), but those already left blank with a message quoting them.
    pub(super) fn report_lossy(
        &mut self,
        record: &Record<'_>,
        line: u64,
        report: &mut PieceReport,
    ) {
        let lossy = std::mem::take(&mut self.lossy);
        for (field, value) in lossy.iter().filter(|(f, _)| !self.blanked.contains(f)) {
            let mut message = self.broken_bytes("bytes that are", value);
            message.push_str(&self.other_encoding(record, *field));
            let reason = self.broken_reason();
            report.push(self.diagnostic(line, *field, Impact::Warning, message, reason));
        }
        self.lossy = lossy;
    }
}
