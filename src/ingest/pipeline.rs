//! Reading every source with every core. One thread reads the files in turn and cuts each
//! body into pieces at record ends ([`super::chunks`]); workers turn pieces into records, each
//! with its own symbol table and sink; the calling thread puts every file back together in
//! piece order. A large file is thus read by all cores, and the result is the same as reading
//! it front to back: pieces merge in order, and line numbers are counted as they are cut.

use super::chunks::{count_line_ends, last_record_end};
use super::columns::Columns;
use super::decode::Encoding;
use super::guard::{FileGuard, Guard};
use super::open::{self, HashedFile, Layout, SourceFile};
use super::report::{
    Diagnostic, FileError, FileFailure, FileReport, Impact, IngestReport, PieceReport, Reason,
};
use super::rows::{Context, Kind, read_piece};
use crate::model::{Field, Sym, Symbols, VisitRecord};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};

/// Bytes per piece: large enough that a piece's fixed costs (a fresh sink, merging it) are
/// noise, small enough that one file gives every core work and pieces in flight stay a few MB.
const PIECE_BYTES: usize = 2 << 20;

/// Pieces cut and not yet merged, per worker. Each holds its bytes and the records read from
/// them until its turn to be merged comes: unbounded, pieces read faster than one thread
/// merges them piled up (30 MB more at the peak of 1M rows over 3,000 sites once reading got
/// faster, and more with more cores).
const PIECES_PER_WORKER: usize = 4;

/// Leave to have one more piece in flight, given back when the piece is merged or dropped.
struct Ticket(mpsc::SyncSender<()>);

impl Drop for Ticket {
    fn drop(&mut self) {
        // Never full: at most as many tickets are out as the channel holds.
        let _ = self.0.try_send(());
    }
}

/// The tickets: `PIECES_PER_WORKER` per worker, taken by the cutter, returned by dropping.
struct Tickets<'a> {
    give: mpsc::SyncSender<()>,
    take: mpsc::Receiver<()>,
    /// Set when a worker panicked: the piece it held never comes, and the pieces after it
    /// keep their tickets, so the cutter must stop waiting for one.
    panicked: &'a AtomicBool,
}

impl Tickets<'_> {
    fn new(count: usize, panicked: &AtomicBool) -> Tickets<'_> {
        let (give, take) = mpsc::sync_channel(count);
        for _ in 0..count {
            let _ = give.try_send(());
        }
        Tickets {
            give,
            take,
            panicked,
        }
    }

    /// Waits until a piece in flight is merged or dropped; `None` once a worker panicked.
    fn next(&self) -> Option<Ticket> {
        loop {
            match self.take.recv_timeout(std::time::Duration::from_millis(50)) {
                Ok(()) => return Some(Ticket(self.give.clone())),
                Err(mpsc::RecvTimeoutError::Timeout) if !self.panicked.load(Ordering::Relaxed) => {}
                Err(_) => return None,
            }
        }
    }
}

/// Held by a worker: says so when the worker panics (see [`Tickets::panicked`]).
struct Worker<'a>(&'a AtomicBool);

impl Drop for Worker<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.store(true, Ordering::Relaxed);
        }
    }
}

/// One file of a source, resolved.
pub struct Job<F = Field> {
    pub path: PathBuf,
    pub display: String,
    pub encoding: crate::config::EncodingChoice,
    pub sheet: Option<String>,
    pub mapping: super::columns::Mapping<F>,
}

/// What one file contributed: its own symbol table and its own sink, for the caller to merge
/// (see [`Symbols::absorb`]).
pub struct FilePart<S> {
    pub symbols: Symbols,
    pub sink: S,
}

/// How a sink is made, fed, and merged: `merge(into, from, map)` adds `from`, whose symbols
/// `map` translates into those of `into`.
pub struct Sinks<I, A, M> {
    pub init: I,
    pub add: A,
    pub merge: M,
}

impl<I, A, M> Sinks<I, A, M> {
    /// Bounds stated here let closures be written inline, records of any lifetime included.
    pub fn new<S>(init: I, add: A, merge: M) -> Self
    where
        I: Fn() -> S,
        A: Fn(&mut S, VisitRecord<'_>),
        M: Fn(&mut S, S, &[Sym]),
    {
        Sinks { init, add, merge }
    }
}

struct Piece<F> {
    file: usize,
    index: usize,
    first_line: u64,
    bytes: Vec<u8>,
    layout: Arc<Layout<F>>,
    _ticket: Ticket,
}

struct ReadPiece<S, F> {
    piece: Piece<F>,
    part: FilePart<S>,
    report: PieceReport,
}

enum Message<S, F> {
    Opened {
        file: usize,
        report: FileReport,
        layout: Arc<Layout<F>>,
    },
    Read(ReadPiece<S, F>),
    /// Every piece of the file has been sent; the file's physical lines, size and SHA-256.
    Cut {
        file: usize,
        pieces: usize,
        lines: u64,
        size: u64,
        sha256: String,
    },
    Failed {
        file: usize,
        error: FileError,
    },
}

/// A file read, with its layout and distinct departments and sites, or why it could not be.
type Outcome<S, F> = Result<(FileReport, FilePart<S>, Arc<Layout<F>>, FileGuard), FileFailure>;

/// A file being put back together.
struct Assembly<S, F> {
    layout: Arc<Layout<F>>,
    report: FileReport,
    part: FilePart<S>,
    next: usize,
    waiting: BTreeMap<usize, ReadPiece<S, F>>,
    pieces: Option<usize>,
    /// The file's encoding once settled: by its first bytes, or else by the first piece
    /// that holds text that is not ASCII.
    encoding: Option<Encoding>,
    guard: FileGuard,
}

/// Reads `jobs` and returns the report (files in order) and one part per file read, in the
/// same order. A file that fails is reported and contributes nothing, not even the rows read
/// before it failed.
pub fn run<K, S, I, A, M>(
    jobs: &[Job<K::Field>],
    ctx: &Context<'_>,
    sinks: &Sinks<I, A, M>,
) -> (IngestReport, Vec<FilePart<S>>)
where
    K: Kind,
    S: Send,
    I: Fn() -> S + Sync,
    A: Fn(&mut S, K::Record<'_>) + Sync,
    M: Fn(&mut S, S, &[Sym]) + Sync,
{
    let workers = std::thread::available_parallelism().map_or(1, usize::from);
    let (work_tx, work_rx) = mpsc::sync_channel::<Piece<K::Field>>(2 * workers);
    let work_rx = Arc::new(Mutex::new(work_rx));
    let (results_tx, results_rx) = mpsc::channel::<Message<S, K::Field>>();
    let (spare_tx, spare_rx) = mpsc::channel::<Vec<u8>>();
    let mut outcomes: Vec<Option<Outcome<S, K::Field>>> = jobs.iter().map(|_| None).collect();
    let panicked = AtomicBool::new(false);

    std::thread::scope(|scope| {
        for _ in 0..workers {
            let work_rx = Arc::clone(&work_rx);
            let results_tx = results_tx.clone();
            let panicked = &panicked;
            scope.spawn(move || {
                let _worker = Worker(panicked);
                loop {
                    let next = match work_rx.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => break,
                    };
                    let Ok(piece) = next else { break };
                    let read = read_one::<K, _, _, _, _>(piece, None, ctx, sinks);
                    if results_tx.send(Message::Read(read)).is_err() {
                        break;
                    }
                }
            });
        }
        // Only the workers hold the receiving end, so that if they all die (a panic, which
        // the scope passes on), the reading thread's next send fails instead of blocking.
        drop(work_rx);
        let producer_tx = results_tx.clone();
        let tickets = Tickets::new(PIECES_PER_WORKER * workers, &panicked);
        scope.spawn(move || cut_files(jobs, &work_tx, &producer_tx, &spare_rx, &tickets));
        drop(results_tx);

        let mut assemblies: Vec<Option<Assembly<S, K::Field>>> =
            jobs.iter().map(|_| None).collect();
        for message in results_rx {
            let file = match message {
                Message::Opened {
                    file,
                    report,
                    layout,
                } => {
                    let encoding = layout.settled.then_some(layout.encoding);
                    assemblies[file] = Some(Assembly {
                        layout,
                        report,
                        part: FilePart {
                            symbols: Symbols::default(),
                            sink: (sinks.init)(),
                        },
                        next: 0,
                        waiting: BTreeMap::new(),
                        pieces: None,
                        encoding,
                        guard: FileGuard::default(),
                    });
                    file
                }
                Message::Read(read) => {
                    let file = read.piece.file;
                    match &mut assemblies[file] {
                        Some(a) => {
                            a.waiting.insert(read.piece.index, read);
                        }
                        // The file failed: what was read of it counts for nothing.
                        None => drop(spare_tx.send(read.piece.bytes)),
                    }
                    file
                }
                Message::Cut {
                    file,
                    pieces,
                    lines,
                    size,
                    sha256,
                } => {
                    if let Some(a) = &mut assemblies[file] {
                        a.pieces = Some(pieces);
                        a.report.lines = lines;
                        a.report.size = size;
                        a.report.sha256 = sha256;
                    }
                    file
                }
                Message::Failed { file, error } => {
                    assemblies[file] = None;
                    outcomes[file] = Some(Err(FileFailure {
                        path: jobs[file].display.clone(),
                        error,
                    }));
                    continue;
                }
            };
            let Some(a) = &mut assemblies[file] else {
                continue;
            };
            let mut failed = None;
            while let Some(read) = a.waiting.remove(&a.next) {
                let (bytes, implausible) = absorb::<K, _, _, _, _>(a, read, ctx, sinks);
                drop(spare_tx.send(bytes));
                if let Some(error) = implausible {
                    failed = Some(error);
                    break;
                }
            }
            if let Some(error) = failed {
                // The rest of the file is read and dropped: what was merged goes with it.
                assemblies[file] = None;
                outcomes[file] = Some(Err(FileFailure {
                    path: jobs[file].display.clone(),
                    error,
                }));
                continue;
            }
            if a.pieces == Some(a.next)
                && let Some(a) = assemblies[file].take()
            {
                outcomes[file] = Some(Ok(finish(a)));
            }
        }
    });

    let mut report = IngestReport::default();
    let mut parts = Vec::new();
    // Files are checked against the limits together, in file order: files finish in any
    // order, and which one is named must not depend on that.
    let mut guard = Guard::default();
    for (outcome, job) in outcomes.into_iter().zip(jobs) {
        let Some(outcome) = outcome else { continue };
        let outcome = outcome.and_then(|(file, part, layout, seen)| {
            let header = |field| header_of(&layout, field);
            match guard.add_file(&seen, &part.symbols, &ctx.config.limits, header) {
                Ok(()) => Ok((file, part)),
                Err(error) => Err(FileFailure {
                    path: job.display.clone(),
                    error: FileError::Implausible(error),
                }),
            }
        });
        match outcome {
            Ok((file, part)) => {
                report.files.push(file);
                parts.push(part);
            }
            Err(failure) => report.failures.push(failure),
        }
    }
    (report, parts)
}

/// Reads one piece, in the file's encoding unless `encoding` says otherwise.
fn read_one<K, S, I, A, M>(
    piece: Piece<K::Field>,
    encoding: Option<Encoding>,
    ctx: &Context<'_>,
    sinks: &Sinks<I, A, M>,
) -> ReadPiece<S, K::Field>
where
    K: Kind,
    I: Fn() -> S,
    A: Fn(&mut S, K::Record<'_>),
{
    let mut symbols = Symbols::default();
    let mut sink = (sinks.init)();
    let report = read_piece::<K>(
        &piece.bytes,
        piece.first_line,
        &piece.layout,
        encoding,
        ctx,
        &mut symbols,
        &mut |record| (sinks.add)(&mut sink, record),
    );
    ReadPiece {
        piece,
        part: FilePart { symbols, sink },
        report,
    }
}

/// Adds the next piece to its file and hands its buffer back for reuse, with an error when
/// the file now has implausibly many departments or sites.
fn absorb<K, S, I, A, M>(
    a: &mut Assembly<S, K::Field>,
    read: ReadPiece<S, K::Field>,
    ctx: &Context<'_>,
    sinks: &Sinks<I, A, M>,
) -> (Vec<u8>, Option<FileError>)
where
    K: Kind,
    I: Fn() -> S,
    A: Fn(&mut S, K::Record<'_>),
    M: Fn(&mut S, S, &[Sym]),
{
    // In a file that starts with ASCII only, the first piece holding other text settles the
    // encoding; a later piece that read its text otherwise is read again, so the whole file
    // is in one encoding, as a front-to-back read would have it.
    let read = match (a.encoding, read.report.met) {
        (None, met) => {
            a.encoding = met;
            read
        }
        (Some(settled), Some(met)) if met != settled => {
            // The line of the piece's first text that is not ASCII.
            let bytes = &read.piece.bytes;
            let before = super::decode::first_text(bytes).map_or(0, |t| bytes.len() - t.len());
            let line = read.piece.first_line + count_line_ends(&bytes[..before]);
            let mut read = read_one::<K, _, _, _, _>(read.piece, Some(settled), ctx, sinks);
            read.report.push(Diagnostic {
                line,
                column: None,
                impact: Impact::Warning,
                message: format!(
                    "the text from this line on reads as {}, but earlier text settled the file as \
                     {}, so it is read as {}: the file mixes two encodings. Save it again in one",
                    met.name(),
                    settled.name(),
                    settled.name()
                ),
                reason: Reason::new("mixed_encodings")
                    .with("met", met.name())
                    .with("settled", settled.name()),
            });
            read
        }
        _ => read,
    };
    let map = a.part.symbols.absorb(&read.part.symbols);
    let layout = &a.layout;
    let header = |field| header_of(layout, field);
    let seen = &read.report.seen;
    let guarded = a
        .guard
        .add(seen, &map, &a.part.symbols, &ctx.config.limits, header);
    (sinks.merge)(&mut a.part.sink, read.part.sink, &map);
    a.report.absorb(read.report);
    a.next += 1;
    (read.piece.bytes, guarded.err().map(FileError::Implausible))
}

/// The header of the column `field` is read from, for messages.
fn header_of<F: Columns>(layout: &Layout<F>, field: F) -> String {
    let column = layout.map.get(field);
    column.map_or_else(String::new, |c| layout.headers[c].clone())
}

fn finish<S, F>(a: Assembly<S, F>) -> (FileReport, FilePart<S>, Arc<Layout<F>>, FileGuard) {
    let mut report = a.report;
    let encoding = a.encoding.unwrap_or(a.layout.encoding);
    if report.sheet.is_none() {
        report.encoding = encoding.name();
    }
    if let Some(notice) = encoding.notice().filter(|_| a.layout.detected) {
        report.push(Diagnostic {
            line: 1,
            column: None,
            impact: Impact::Warning,
            message: notice.to_owned(),
            reason: Reason::new("guessed_encoding").with("encoding", encoding.name()),
        });
    }
    if !report.lines_add_up() {
        let message = format!(
            "huifang counted {} lines in the file but accounted for {} ({} above the rows, {} \
             in rows, {} blank): a bug in huifang, please report it with the file",
            report.lines,
            report.lines_above_rows + report.row_lines + report.blank_lines,
            report.lines_above_rows,
            report.row_lines,
            report.blank_lines
        );
        report.push(Diagnostic {
            line: 1,
            column: None,
            impact: Impact::Warning,
            message,
            reason: Reason::new("lines_unaccounted"),
        });
    }
    (report, a.part, a.layout, a.guard)
}

/// The reading thread: opens each file in turn and cuts its body into pieces for the workers.
fn cut_files<S, F: Columns>(
    jobs: &[Job<F>],
    work: &mpsc::SyncSender<Piece<F>>,
    results: &mpsc::Sender<Message<S, F>>,
    spare: &mpsc::Receiver<Vec<u8>>,
    tickets: &Tickets<'_>,
) {
    for (file, job) in jobs.iter().enumerate() {
        let source = SourceFile {
            path: &job.path,
            display: job.display.clone(),
            encoding: job.encoding,
            sheet: job.sheet.as_deref(),
            mapping: job.mapping.clone(),
        };
        let opened = match open::open(&source) {
            Ok(opened) => opened,
            Err(error) => {
                if results.send(Message::Failed { file, error }).is_err() {
                    return;
                }
                continue;
            }
        };
        let layout = Arc::new(opened.layout);
        let above = opened.report.lines_above_rows;
        let message = Message::Opened {
            file,
            report: opened.report,
            layout: Arc::clone(&layout),
        };
        if results.send(message).is_err() {
            return;
        }
        let mut body = Body {
            file: opened.file,
            layout,
            index: file,
            spare,
            tickets,
        };
        let sent = body.cut(opened.body, opened.first_line, above, |piece| {
            work.send(piece).is_ok()
        });
        let message = match sent {
            Ok(Some((pieces, lines))) => {
                let (size, sha256) = body.file.finish();
                Message::Cut {
                    file,
                    pieces,
                    lines,
                    size,
                    sha256,
                }
            }
            // The workers are gone (one panicked); nothing more to do.
            Ok(None) => return,
            Err(error) => Message::Failed {
                file,
                error: error.into(),
            },
        };
        if results.send(message).is_err() {
            return;
        }
    }
}

struct Body<'a, F> {
    file: HashedFile,
    layout: Arc<Layout<F>>,
    index: usize,
    spare: &'a mpsc::Receiver<Vec<u8>>,
    tickets: &'a Tickets<'a>,
}

impl<F> Body<'_, F> {
    /// Reads the rest of the file after `buf` and sends it on in pieces; the number of pieces
    /// sent and of the file's physical lines, or `None` when `send` refused one. `above`:
    /// the lines above the body.
    fn cut(
        &mut self,
        mut buf: Vec<u8>,
        mut line: u64,
        above: u64,
        mut send: impl FnMut(Piece<F>) -> bool,
    ) -> std::io::Result<Option<(usize, u64)>> {
        let mut index = 0;
        let mut lines_read = above;
        let mut want = PIECE_BYTES;
        loop {
            let at_end = if buf.len() < want {
                let missing = want - buf.len();
                buf.reserve(missing);
                self.file.read_more(&mut buf, missing)?
            } else {
                false
            };
            let cut = if at_end {
                buf.len()
            } else {
                match last_record_end(&buf, &self.layout.shape) {
                    Some(cut) => cut,
                    // One record longer than a piece: read on until it ends, doubling, so
                    // that the scans for its end add up to a few passes over it.
                    None => {
                        want = (2 * buf.len()).max(buf.len() + PIECE_BYTES);
                        continue;
                    }
                }
            };
            let mut rest = self.spare.try_recv().unwrap_or_default();
            rest.clear();
            rest.extend_from_slice(&buf[cut..]);
            buf.truncate(cut);
            if !buf.is_empty() {
                let lines = count_line_ends(&buf);
                // The last line of a file need not end with a line end.
                let open_end = !matches!(buf.last(), Some(b'\n' | b'\r'));
                lines_read = line - 1 + lines + u64::from(open_end);
                let Some(ticket) = self.tickets.next() else {
                    return Ok(None);
                };
                let piece = Piece {
                    file: self.index,
                    index,
                    first_line: line,
                    bytes: buf,
                    layout: Arc::clone(&self.layout),
                    _ticket: ticket,
                };
                if !send(piece) {
                    return Ok(None);
                }
                index += 1;
                line += lines;
            }
            if at_end {
                return Ok(Some((index, lines_read)));
            }
            buf = rest;
            want = PIECE_BYTES;
        }
    }
}
