//! One year's CSV file: the flavour's header, then one record per visit, in the flavour's
//! encoding and line ends.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use super::SampleEncoding;
use super::flavour::{Fields, Flavour};

/// The byte sink under the CSV writer. For GB18030 it collects one record's UTF-8 bytes and
/// encodes the whole line when the CSV writer is flushed after the record; `flush` leaves the
/// file buffer alone (see [`YearFile::finish`]).
struct Sink {
    out: BufWriter<File>,
    gb18030: bool,
    pending: Vec<u8>,
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.gb18030 {
            self.pending.extend_from_slice(buf);
            Ok(buf.len())
        } else {
            self.out.write(buf)
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.gb18030 && !self.pending.is_empty() {
            let text = std::str::from_utf8(&self.pending)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
            let (bytes, _, _) = encoding_rs::GB18030.encode(text);
            self.out.write_all(&bytes)?;
            self.pending.clear();
        }
        Ok(())
    }
}

pub(super) struct YearFile {
    pub(super) year: i32,
    pub(super) flavour: Flavour,
    gb18030: bool,
    /// Running record number in this file (flavours A and C).
    pub(super) seq: u64,
    csv: csv::Writer<Sink>,
}

impl YearFile {
    pub(super) fn create(
        path: &Path,
        year: i32,
        flavour: Flavour,
        encoding: SampleEncoding,
    ) -> io::Result<YearFile> {
        let mut out = BufWriter::with_capacity(1 << 16, File::create(path)?);
        if flavour.writes_bom(encoding) {
            out.write_all(b"\xEF\xBB\xBF")?;
        }
        let gb18030 = flavour.writes_gb18030(encoding);
        let sink = Sink {
            out,
            gb18030,
            pending: Vec::with_capacity(1024),
        };
        let terminator = match flavour {
            Flavour::A => csv::Terminator::CRLF,
            Flavour::B | Flavour::C => csv::Terminator::Any(b'\n'),
        };
        let csv = csv::WriterBuilder::new()
            .terminator(terminator)
            .from_writer(sink);
        let mut file = YearFile {
            year,
            flavour,
            gb18030,
            seq: 0,
            csv,
        };
        file.write_record(flavour.headers())?;
        Ok(file)
    }

    pub(super) fn write_fields(&mut self, fields: &Fields) -> io::Result<()> {
        self.write_record(fields.record())
    }

    fn write_record<T: AsRef<[u8]>>(&mut self, record: &[T]) -> io::Result<()> {
        self.csv.write_record(record)?;
        if self.gb18030 {
            self.csv.flush()?;
        }
        Ok(())
    }

    pub(super) fn finish(self) -> io::Result<()> {
        let mut sink = self.csv.into_inner().map_err(|e| e.into_error())?;
        sink.out.flush()
    }
}
