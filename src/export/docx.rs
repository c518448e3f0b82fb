//! A report's outline as a Word document (`.docx`): the cover, then each part under a
//! Heading 1, its numbers as Word tables with a repeating header row, its charts as pictures
//! captioned 图1…, its commentary as paragraphs and numbered lists.
//!
//! The same outline gives the same bytes: nothing is dated now (the document's dates are
//! the data-as-of date) and nothing is numbered by the process (see [`package`]).

mod package;
mod prose;
mod styles;

use super::raster::{Charts, RasterError};
use crate::site::outline::{Block, Cover, Outline};
use crate::site::view::{Cell, Figure, Kpi, NotedTable, Table};
use chrono::NaiveDate;
use docx_rs::{
    AlignmentType, BreakType, Docx, Footer, Header, LevelOverride, Numbering, PageMargin, PageNum,
    Paragraph, Pic, Run, Shading, ShdType, TableCell, TableCellContent, TableRow, WidthType,
};

/// What the document says about itself, besides the outline: its properties and the
/// cover's labels in the report's language.
#[derive(Debug, Clone)]
pub struct Properties {
    /// The report's id, `2026-Q3`.
    pub report: String,
    /// The version's data-as-of date: the document's created and modified date.
    pub as_of: NaiveDate,
    /// The version's checksum as the snapshot records it (`sha256:…`), when there is one.
    pub checksum: Option<String>,
    /// `zh-CN` or `en`.
    pub language: String,
    pub labels: CoverLabels,
}

/// Labels of the cover's lines ("统计期间", "数据截至", "版本"): the `cover_period`,
/// `data_as_of` and `cover_version` strings of the theme.
#[derive(Debug, Clone)]
pub struct CoverLabels {
    pub period: String,
    pub as_of: String,
    pub version: String,
}

#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    #[error("figure {figure}: {source}")]
    Chart {
        figure: String,
        #[source]
        source: RasterError,
    },
    #[error("packing the Word document: {0}")]
    Pack(#[from] zip::result::ZipError),
    #[error("packing the Word document: {0}")]
    Io(#[from] std::io::Error),
}

const GENERATOR: &str = concat!("huifang ", env!("CARGO_PKG_VERSION"));

/// A4 in twips, with 2.5 cm margins: 16 cm of text across.
const PAGE_WIDTH: u32 = 11906;
const PAGE_HEIGHT: u32 = 16838;
const MARGIN: i32 = 1418;
const TEXT_WIDTH: usize = (PAGE_WIDTH as usize) - 2 * (MARGIN as usize);
const EMU_PER_TWIP: u32 = 635;
/// The tallest a chart is drawn: about half the page's text height, so a chart, its caption
/// and the start of its table fit on one page.
const MAX_FIGURE_HEIGHT: u32 = 7000 * EMU_PER_TWIP;

/// The Word document of one report.
pub fn write(
    outline: &Outline,
    properties: &Properties,
    charts: &Charts,
) -> Result<Vec<u8>, DocxError> {
    let docx = Docx::new()
        .page_size(PAGE_WIDTH, PAGE_HEIGHT)
        .page_margin(
            PageMargin::new()
                .top(MARGIN)
                .bottom(MARGIN)
                .left(MARGIN)
                .right(MARGIN)
                .header(851)
                .footer(851),
        )
        // The cover has neither the running head nor a page number.
        .title_pg()
        .header(Header::new().add_paragraph(running_head(&outline.cover)))
        .footer(
            Footer::new().add_paragraph(
                Paragraph::new()
                    .style(styles::RUNNING)
                    .align(AlignmentType::Center)
                    .add_page_num(PageNum::new()),
            ),
        );
    let docx = styles::all().into_iter().fold(docx, Docx::add_style);
    let docx = styles::lists()
        .into_iter()
        .fold(docx, Docx::add_abstract_numbering);
    let mut doc = Document {
        docx,
        lists: Lists::default(),
        charts_svg: Vec::new(),
        charts,
    };
    doc.cover(&outline.cover, properties);
    for (i, part) in outline.parts.iter().enumerate() {
        // The cover stands alone on the first page.
        doc.push(styled(styles::HEADINGS[0], &part.heading).page_break_before(i == 0));
        for block in &part.blocks {
            doc.block(block)?;
        }
    }
    let docx = doc
        .lists
        .numberings
        .into_iter()
        .fold(doc.docx, Docx::add_numbering);
    let mut packed = std::io::Cursor::new(Vec::new());
    docx.pack(&mut packed)?;
    let package = package::Package {
        cover: &outline.cover,
        properties,
        generator: GENERATOR,
        svgs: &doc.charts_svg,
    };
    package.repack(packed.get_ref())
}

/// The Word numberings of the document's lists: one for all bullet lists, one per numbered
/// list so each starts again at its own first number.
struct Lists {
    numberings: Vec<Numbering>,
}

impl Default for Lists {
    fn default() -> Lists {
        Lists {
            numberings: vec![Numbering::new(styles::BULLETS, styles::BULLETS)],
        }
    }
}

impl Lists {
    fn bullet(&mut self) -> usize {
        styles::BULLETS
    }

    fn ordered(&mut self, first: u64) -> usize {
        // Numbering ids 1 (docx-rs's default) and 2 (the bullets) are taken.
        let id = self.numberings.len() + 2;
        let start = usize::try_from(first).unwrap_or(1);
        self.numberings.push(
            Numbering::new(id, styles::NUMBERED).add_override(LevelOverride::new(0).start(start)),
        );
        id
    }
}

/// The document as it is written, part by part.
struct Document<'a> {
    docx: Docx,
    lists: Lists,
    /// The SVG of each picture, in order: Word shows it, with the PNG for older readers.
    charts_svg: Vec<String>,
    charts: &'a Charts,
}

impl Document<'_> {
    fn push(&mut self, paragraph: Paragraph) {
        self.docx = std::mem::take(&mut self.docx).add_paragraph(paragraph);
    }

    fn paragraph(&mut self, style: &str, text: &str) {
        self.push(styled(style, text));
    }

    fn cover(&mut self, cover: &Cover, properties: &Properties) {
        // Space above the title, as on a printed cover.
        for _ in 0..4 {
            self.paragraph(styles::COVER, "");
        }
        let site = match &cover.organisation {
            Some(org) => format!("{org} · {}", cover.site_title),
            None => cover.site_title.clone(),
        };
        self.paragraph(styles::COVER, &site);
        self.paragraph(styles::TITLE, &cover.title);
        if let Some(subtitle) = &cover.subtitle {
            self.paragraph(styles::SUBTITLE, subtitle);
        }
        let labels = &properties.labels;
        let line = |label: &str, value: &str| format!("{label}：{value}");
        self.paragraph(styles::COVER, &line(&labels.period, &cover.period));
        self.paragraph(styles::COVER, &line(&labels.as_of, &cover.as_of));
        if let Some(version) = cover.version {
            self.paragraph(
                styles::COVER,
                &line(&labels.version, &format!("v{version}")),
            );
        }
        if let Some(checksum) = &properties.checksum {
            let hex = checksum.strip_prefix("sha256:").unwrap_or(checksum);
            let line = styled(styles::NOTE, &format!("SHA-256 {hex}"));
            self.push(line.align(AlignmentType::Center));
        }
    }

    fn block(&mut self, block: &Block) -> Result<(), DocxError> {
        match block {
            Block::Kpis { kpis } => self.kpis(kpis),
            Block::Table(table) => self.noted_table(table),
            Block::Tables { tables } => tables.iter().for_each(|t| self.noted_table(t)),
            Block::Figure(figure) => self.figure(figure)?,
            // Drawn from the visit rows, which an export from the snapshots does not have.
            Block::Actions => {}
            Block::Prose { markdown, .. } => {
                for p in prose::paragraphs(markdown, &mut self.lists) {
                    self.push(p);
                }
            }
            Block::Note { text } => self.paragraph(styles::BODY, text),
        }
        Ok(())
    }

    /// The headline numbers, one row each: the label, the value, the target met or missed,
    /// the comparisons.
    fn kpis(&mut self, kpis: &[Kpi]) {
        let widths = [2100, 1500, 2600, TEXT_WIDTH - 6200];
        let rows = kpis.iter().map(|k| {
            let mut value = vec![Run::new().add_text(clean(&k.text)).bold().size(26)];
            if let Some(warn) = &k.warn {
                value.push(Run::new().add_break(BreakType::TextWrapping));
                value.push(Run::new().add_text(clean(warn)));
            }
            let target = k.target.iter().map(|m| format!("{} {}", m.symbol, m.title));
            let about: Vec<String> = target.chain(k.detail.clone()).collect();
            let trends: Vec<String> = k
                .trends
                .iter()
                .map(|t| format!("{} {} {}", t.label, t.trend.arrow, t.trend.text))
                .chain(k.basis.clone())
                .collect();
            vec![
                cell(vec![text_paragraph(vec![
                    Run::new().add_text(clean(&k.label)).bold(),
                ])]),
                cell(vec![text_paragraph(value)]),
                cell(lines(&about)),
                cell(lines(&trends)),
            ]
        });
        self.table(&widths, None, rows.collect());
    }

    fn noted_table(&mut self, noted: &NotedTable) {
        self.data_table(&noted.table);
        for note in &noted.notes {
            self.paragraph(styles::NOTE, note);
        }
    }

    /// A table with its caption above ("表1 部门满意度排名") and its header row repeated on
    /// every page it runs onto.
    fn data_table(&mut self, table: &Table) {
        let columns = table
            .rows
            .iter()
            .map(Vec::len)
            .chain([table.head.len()])
            .max()
            .unwrap_or(0);
        if columns == 0 {
            return;
        }
        let caption = [table.label.as_deref(), table.caption.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        if !caption.is_empty() {
            self.push(styled(styles::CAPTION, &caption).keep_next(true));
        }
        let widths = column_widths(table, columns);
        let head = (!table.head.is_empty()).then(|| {
            (0..columns)
                .map(|i| {
                    let text = table.head.get(i).map_or("", String::as_str);
                    cell(vec![text_paragraph(vec![
                        Run::new().add_text(clean(text)).bold(),
                    ])])
                    .shading(Shading::new().shd_type(ShdType::Clear).fill("E7E6E6"))
                })
                .collect()
        });
        let body = table
            .rows
            .iter()
            .map(|row| {
                (0..columns)
                    .map(|i| row.get(i).map_or_else(|| cell(Vec::new()), data_cell))
                    .collect()
            })
            .collect();
        self.table(&widths, head, body);
    }

    /// A table of fixed column widths, centred; `head`, when given, repeats on every page.
    /// The table is kept on one page where it fits: every row but the last keeps with the
    /// next, and no row is split.
    fn table(&mut self, widths: &[usize], head: Option<Vec<TableCell>>, body: Vec<Vec<TableCell>>) {
        let head_row = head.is_some();
        let rows = body.len() + usize::from(head_row);
        let row = |(i, cells): (usize, Vec<TableCell>)| {
            let keep = i + 1 < rows;
            let cells = cells
                .into_iter()
                .zip(widths)
                .map(|(c, w)| keep_with_next(c, keep).width(*w, WidthType::Dxa))
                .collect();
            TableRow::new(cells)
        };
        // A header row keeps docx-rs's empty row property: the mark `package` turns into a
        // repeating header.
        let mut all = head.into_iter().chain(body).enumerate().map(row);
        let head = head_row.then(|| all.next()).flatten();
        let table = docx_rs::Table::new(
            head.into_iter()
                .chain(all.map(TableRow::cant_split))
                .collect(),
        )
        .set_grid(widths.to_vec())
        .width(widths.iter().sum(), WidthType::Dxa)
        .align(docx_rs::TableAlignmentType::Center)
        .layout(docx_rs::TableLayoutType::Fixed);
        self.docx = std::mem::take(&mut self.docx).add_table(table);
    }

    /// The chart as a picture the width of the text, its caption under it, then its numbers.
    fn figure(&mut self, figure: &Figure) -> Result<(), DocxError> {
        let name = figure.label.clone().unwrap_or_else(|| figure.id.clone());
        if !figure.svg.is_empty() {
            let png = self
                .charts
                .png(&figure.svg)
                .map_err(|source| DocxError::Chart {
                    figure: format!("{name} ({})", figure.title),
                    source,
                })?;
            self.charts_svg.push(figure.svg.clone());
            let (width, height) = picture_size(png.width, png.height);
            let pic = Pic::new_with_dimensions(png.bytes, png.width, png.height)
                .id(package::picture_id(self.charts_svg.len()))
                .size(width, height);
            self.push(
                Paragraph::new()
                    .style(styles::FIGURE)
                    .add_run(Run::new().add_image(pic)),
            );
        }
        let caption = match &figure.label {
            Some(label) => format!("{label} {}", figure.title),
            None => figure.title.clone(),
        };
        // The caption is under the picture: it keeps with what follows only if a table does.
        let caption = styled(styles::CAPTION, &caption);
        self.push(if figure.table.rows.is_empty() {
            caption
        } else {
            caption.keep_next(true)
        });
        self.data_table(&figure.table);
        Ok(())
    }
}

/// The picture's size in EMU: the text's width, its height in proportion, both smaller when
/// that would be taller than [`MAX_FIGURE_HEIGHT`].
fn picture_size(width_px: u32, height_px: u32) -> (u32, u32) {
    let full = TEXT_WIDTH as u64 * u64::from(EMU_PER_TWIP);
    let (w, h) = (u64::from(width_px.max(1)), u64::from(height_px));
    let height = full * h / w;
    let (width, height) = if height > u64::from(MAX_FIGURE_HEIGHT) {
        let max = u64::from(MAX_FIGURE_HEIGHT);
        (full * max / height, max)
    } else {
        (full, height)
    };
    (
        u32::try_from(width).unwrap_or(u32::MAX),
        u32::try_from(height).unwrap_or(u32::MAX),
    )
}

/// Column widths in twips: each column as wide as its widest text (a CJK character counted
/// as two Latin ones), the table at least half the text's width; when it would be wider than
/// the text, the widest columns are narrowed to one width, so short columns (names, counts)
/// keep theirs and long texts wrap.
fn column_widths(table: &Table, columns: usize) -> Vec<usize> {
    // 9 pt text: a CJK character is 180 twips, a Latin one about half, and Word and
    // LibreOffice add space between the two kinds; cells have 108 twips of padding each side.
    let width = |text: &str, extra: usize| -> usize {
        let units: usize = text
            .chars()
            .map(|c| if u32::from(c) >= 0x1100 { 2 } else { 1 })
            .sum();
        (units + extra) * 115 + 400
    };
    let mut natural = vec![width("", 4); columns];
    let head = table.head.iter().map(|h| width(h, 0)).enumerate();
    let cells = table.rows.iter().flat_map(|row| {
        row.iter()
            .map(|c| width(&c.text, if c.mark.is_some() { 2 } else { 0 }))
            .enumerate()
    });
    for (i, w) in head.chain(cells) {
        natural[i] = natural[i].max(w);
    }
    let total: usize = natural.iter().sum();
    if total < TEXT_WIDTH / 2 {
        return natural.iter().map(|w| w * TEXT_WIDTH / 2 / total).collect();
    }
    if total <= TEXT_WIDTH {
        return natural;
    }
    // The cap c where the columns, none wider than c, fill the text's width.
    let mut sorted = natural.clone();
    sorted.sort_unstable();
    let (mut used, mut cap) = (0, TEXT_WIDTH / columns);
    for (i, w) in sorted.iter().enumerate() {
        let left = columns - i;
        if used + w * left >= TEXT_WIDTH {
            cap = (TEXT_WIDTH - used) / left;
            break;
        }
        used += w;
    }
    natural.iter().map(|w| (*w).min(cap)).collect()
}

fn data_cell(c: &Cell) -> TableCell {
    let mut runs = vec![Run::new().add_text(clean(&c.text))];
    if let Some(mark) = &c.mark {
        runs.push(Run::new().add_text(format!(" {}", mark.symbol)));
    }
    let mut p = text_paragraph(runs);
    if c.num {
        p = p.align(AlignmentType::Right);
    }
    cell(vec![p])
}

fn styled(style: &str, text: &str) -> Paragraph {
    Paragraph::new()
        .style(style)
        .add_run(Run::new().add_text(clean(text)))
}

fn text_paragraph(runs: Vec<Run>) -> Paragraph {
    runs.into_iter().fold(
        Paragraph::new().style(styles::TABLE_TEXT),
        Paragraph::add_run,
    )
}

fn lines(texts: &[String]) -> Vec<Paragraph> {
    texts
        .iter()
        .map(|t| text_paragraph(vec![Run::new().add_text(clean(t))]))
        .collect()
}

fn keep_with_next(mut cell: TableCell, keep: bool) -> TableCell {
    if keep {
        cell.children = cell
            .children
            .into_iter()
            .map(|child| match child {
                TableCellContent::Paragraph(p) => {
                    TableCellContent::Paragraph(Box::new(p.keep_next(true)))
                }
                other => other,
            })
            .collect();
    }
    cell
}

/// A cell needs a paragraph, even an empty one, for Word to open the file.
fn cell(paragraphs: Vec<Paragraph>) -> TableCell {
    let paragraphs = if paragraphs.is_empty() {
        vec![text_paragraph(Vec::new())]
    } else {
        paragraphs
    };
    paragraphs
        .into_iter()
        .fold(TableCell::new(), TableCell::add_paragraph)
}

fn running_head(cover: &Cover) -> Paragraph {
    Paragraph::new()
        .style(styles::RUNNING)
        .align(AlignmentType::Right)
        .add_run(Run::new().add_text(clean(&format!("{} · {}", cover.site_title, cover.title))))
}

/// Text without the characters XML 1.0 cannot carry (control characters but tab, line feed
/// and carriage return, and U+FFFE, U+FFFF): one of them makes Word refuse the file.
fn clean(text: &str) -> String {
    text.chars()
        .filter(|&c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
        .filter(|&c| !matches!(c, '\u{FFFE}' | '\u{FFFF}'))
        .collect()
}
