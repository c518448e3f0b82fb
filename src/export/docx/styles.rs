//! The document's styles, as a Chinese report sets them: 宋体 (SimSun) for the text, 黑体
//! (SimHei) for headings, 五号 (10.5 pt) body text, headings with outline levels so Word's
//! navigation pane and a table of contents find them. Latin text is set in Times New Roman
//! and Arial beside them, as Word does for Chinese documents.

use docx_rs::{
    AbstractNumbering, AlignmentType, Level, LevelJc, LevelText, LineSpacing, LineSpacingType,
    NumberFormat, RunFonts, SpecialIndentType, Start, Style, StyleType,
};

pub const BODY: &str = "Normal";
pub const TITLE: &str = "Title";
pub const SUBTITLE: &str = "Subtitle";
pub const COVER: &str = "CoverLine";
pub const CAPTION: &str = "Caption";
pub const TABLE_TEXT: &str = "TableText";
pub const NOTE: &str = "TableNote";
pub const FIGURE: &str = "FigureImage";
pub const RUNNING: &str = "HeaderFooter";
/// Heading 1 (the parts) to Heading 4.
pub const HEADINGS: [&str; 4] = ["Heading1", "Heading2", "Heading3", "Heading4"];
pub const MONOSPACE: &str = "Courier New";

/// Abstract numbering ids, and the bullet lists' numbering id: 1 is docx-rs's own default.
pub const BULLETS: usize = 2;
pub const NUMBERED: usize = 3;
/// Levels of nesting a list is numbered at; deeper items are indented as the last.
pub const LIST_LEVELS: usize = 3;
/// Twips of indentation per block-quote level.
pub const QUOTE_INDENT: i32 = 420;

/// Sizes in half-points (Word's unit): 五号 10.5 pt, 小五 9 pt, 三号 16 pt ….
const BODY_SIZE: usize = 21;
const SMALL_SIZE: usize = 18;

fn body_fonts() -> RunFonts {
    RunFonts::new()
        .ascii("Times New Roman")
        .hi_ansi("Times New Roman")
        .cs("Times New Roman")
        .east_asia("SimSun")
}

fn heading_fonts() -> RunFonts {
    RunFonts::new()
        .ascii("Arial")
        .hi_ansi("Arial")
        .cs("Arial")
        .east_asia("SimHei")
}

/// Spacing before and after in twips, and the line height in 240ths of a line. The rule is
/// written out: LibreOffice reads a line height without one as exact, which cuts pictures.
fn spacing(before: u32, after: u32, line: i32) -> LineSpacing {
    LineSpacing::new()
        .before(before)
        .after(after)
        .line(line)
        .line_rule(LineSpacingType::Auto)
}

fn paragraph(id: &str, name: &str) -> Style {
    Style::new(id, StyleType::Paragraph)
        .name(name)
        .based_on(BODY)
        .next(BODY)
        .q_format(true)
}

fn keep_with_next(mut style: Style) -> Style {
    style.paragraph_property = style.paragraph_property.keep_next(true).keep_lines(true);
    style
}

pub fn all() -> Vec<Style> {
    let heading = |level: usize, size: usize, before: u32, after: u32| {
        keep_with_next(
            paragraph(HEADINGS[level], &format!("heading {}", level + 1))
                .fonts(heading_fonts())
                .size(size)
                .bold()
                .outline_lvl(level)
                .line_spacing(spacing(before, after, 240)),
        )
    };
    vec![
        Style::new(BODY, StyleType::Paragraph)
            .name("Normal")
            .q_format(true)
            .fonts(body_fonts())
            .size(BODY_SIZE)
            .line_spacing(spacing(0, 120, 300))
            .align(AlignmentType::Both),
        heading(0, 32, 480, 240),
        heading(1, 28, 360, 180),
        heading(2, 24, 240, 120),
        heading(3, BODY_SIZE, 240, 120),
        paragraph(TITLE, "Title")
            .fonts(heading_fonts())
            .size(44)
            .bold()
            .align(AlignmentType::Center)
            .line_spacing(spacing(240, 360, 240)),
        paragraph(SUBTITLE, "Subtitle")
            .fonts(heading_fonts())
            .size(30)
            .align(AlignmentType::Center)
            .line_spacing(spacing(0, 480, 240)),
        paragraph(COVER, "Cover Line")
            .size(28)
            .align(AlignmentType::Center)
            .line_spacing(spacing(0, 160, 240)),
        keep_with_next(
            paragraph(CAPTION, "caption")
                .fonts(heading_fonts())
                .size(SMALL_SIZE)
                .align(AlignmentType::Center)
                .line_spacing(spacing(120, 120, 240)),
        ),
        paragraph(TABLE_TEXT, "Table Text")
            .size(SMALL_SIZE)
            .align(AlignmentType::Left)
            .line_spacing(spacing(0, 0, 240)),
        paragraph(NOTE, "Table Note")
            .size(SMALL_SIZE)
            .line_spacing(spacing(60, 60, 240)),
        keep_with_next(
            paragraph(FIGURE, "Figure Image")
                .align(AlignmentType::Center)
                .line_spacing(spacing(240, 0, 240)),
        ),
        paragraph(RUNNING, "header")
            .size(SMALL_SIZE)
            .line_spacing(spacing(0, 0, 240)),
    ]
}

/// Twips of indentation of a list at `level` (0 the outermost).
pub fn list_indent(level: usize) -> i32 {
    420 * (level as i32 + 1)
}

/// The two list kinds: bullets (•, ◦, ▪) and numbers (1. a) i.).
pub fn lists() -> Vec<AbstractNumbering> {
    let level = |level: usize, format: &str, text: &str| {
        Level::new(
            level,
            Start::new(1),
            NumberFormat::new(format),
            LevelText::new(text),
            LevelJc::new("left"),
        )
        .indent(
            Some(list_indent(level)),
            Some(SpecialIndentType::Hanging(420)),
            None,
            None,
        )
    };
    let bullets = ["•", "◦", "▪"];
    let numbers = [
        ("decimal", "%1."),
        ("lowerLetter", "%2)"),
        ("lowerRoman", "%3."),
    ];
    vec![
        (0..LIST_LEVELS).fold(AbstractNumbering::new(BULLETS), |a, l| {
            a.add_level(level(l, "bullet", bullets[l]))
        }),
        (0..LIST_LEVELS).fold(AbstractNumbering::new(NUMBERED), |a, l| {
            a.add_level(level(l, numbers[l].0, numbers[l].1))
        }),
    ]
}
