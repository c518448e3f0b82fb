//! The commentary's markdown as Word paragraphs: headings in the heading styles, bold and
//! italic runs, lists numbered by Word. Raw HTML is text, as on the page; links and images
//! keep their text only (an exported document links nowhere).

use super::{Lists, clean, styles};
use docx_rs::{BreakType, IndentLevel, NumberingId, Paragraph, Run, RunFonts};
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// Paragraphs for `markdown`, list numberings registered in `lists`.
pub(super) fn paragraphs(markdown: &str, lists: &mut Lists) -> Vec<Paragraph> {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    let mut writer = Writer::default();
    for event in Parser::new_ext(markdown, options) {
        writer.event(event, lists);
    }
    writer.flush();
    writer.out
}

#[derive(Default, Clone, Copy)]
struct Inline {
    bold: usize,
    italic: usize,
    strike: usize,
    code: bool,
}

const CODE: Inline = Inline {
    bold: 0,
    italic: 0,
    strike: 0,
    code: true,
};

#[derive(Default)]
struct Writer {
    out: Vec<Paragraph>,
    current: Option<Paragraph>,
    /// The numbering id of each list the text is in, outermost first.
    lists: Vec<usize>,
    /// Whether the current list item's number is written: its first paragraph carries it,
    /// later ones are indented under it.
    numbered: bool,
    quotes: usize,
    code_block: bool,
    inline: Inline,
}

impl Writer {
    fn flush(&mut self) {
        self.out.extend(self.current.take());
    }

    /// Starts a body paragraph: numbered, if it is a list item's first.
    fn start(&mut self) {
        self.flush();
        let mut p = Paragraph::new().style(styles::BODY);
        if let Some(&numbering) = self.lists.last() {
            let level = (self.lists.len() - 1).min(styles::LIST_LEVELS - 1);
            p = if std::mem::replace(&mut self.numbered, true) {
                p.indent(Some(styles::list_indent(level)), None, None, None)
            } else {
                p.numbering(NumberingId::new(numbering), IndentLevel::new(level))
            };
        } else if self.quotes > 0 {
            let indent = styles::QUOTE_INDENT * i32::try_from(self.quotes).unwrap_or(1);
            p = p.indent(Some(indent), None, None, None);
        }
        self.current = Some(p);
    }

    fn text(&mut self, text: &str, inline: Inline) {
        let text = clean(text);
        if text.is_empty() {
            return;
        }
        let mut run = Run::new().add_text(text);
        if inline.bold > 0 {
            run = run.bold();
        }
        if inline.italic > 0 {
            run = run.italic();
        }
        if inline.strike > 0 {
            run = run.strike();
        }
        if inline.code {
            let mono = RunFonts::new()
                .ascii(styles::MONOSPACE)
                .hi_ansi(styles::MONOSPACE);
            run = run.fonts(mono);
        }
        self.add(run);
    }

    fn add(&mut self, run: Run) {
        let p = self
            .current
            .take()
            .unwrap_or_else(|| Paragraph::new().style(styles::BODY));
        self.current = Some(p.add_run(run));
    }

    fn line_break(&mut self) {
        self.add(Run::new().add_break(BreakType::TextWrapping));
    }

    fn event(&mut self, event: Event<'_>, lists: &mut Lists) {
        let inline = self.inline;
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                self.flush();
                self.current = Some(Paragraph::new().style(heading_style(level)));
            }
            Event::Start(Tag::Paragraph) => {
                // A tight list item's text has no paragraph of its own; a loose one's first
                // paragraph goes into the item's numbered one.
                let fresh_item = !self.lists.is_empty()
                    && self
                        .current
                        .as_ref()
                        .is_some_and(|p| p.children().is_empty());
                if !fresh_item {
                    self.start();
                }
            }
            Event::Start(Tag::List(first)) => {
                self.flush();
                let numbering = match first {
                    Some(first) => lists.ordered(first),
                    None => lists.bullet(),
                };
                self.lists.push(numbering);
            }
            Event::End(TagEnd::List(_)) => {
                self.flush();
                self.lists.pop();
            }
            Event::Start(Tag::Item) => {
                self.numbered = false;
                self.start();
            }
            Event::Start(Tag::BlockQuote(_)) => {
                self.flush();
                self.quotes += 1;
            }
            Event::End(TagEnd::BlockQuote(_)) => self.quotes = self.quotes.saturating_sub(1),
            Event::Start(Tag::CodeBlock(_)) => {
                self.start();
                self.code_block = true;
            }
            Event::End(TagEnd::CodeBlock) => {
                self.code_block = false;
                self.flush();
            }
            Event::End(
                TagEnd::Heading(_)
                | TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::TableRow
                | TagEnd::TableHead,
            ) => self.flush(),
            Event::Start(Tag::Strong) => self.inline.bold += 1,
            Event::End(TagEnd::Strong) => self.inline.bold = inline.bold.saturating_sub(1),
            Event::Start(Tag::Emphasis) => self.inline.italic += 1,
            Event::End(TagEnd::Emphasis) => self.inline.italic = inline.italic.saturating_sub(1),
            Event::Start(Tag::Strikethrough) => self.inline.strike += 1,
            Event::End(TagEnd::Strikethrough) => {
                self.inline.strike = inline.strike.saturating_sub(1)
            }
            // A markdown table is a line of text per row, its cells apart.
            Event::Start(Tag::TableRow | Tag::TableHead) => self.start(),
            Event::End(TagEnd::TableCell) => self.text("  ", inline),
            Event::Rule => {
                self.flush();
                self.out.push(Paragraph::new().style(styles::BODY));
            }
            Event::Text(text) if self.code_block => {
                let mut lines = text.lines().peekable();
                while let Some(line) = lines.next() {
                    self.text(line, CODE);
                    if lines.peek().is_some() {
                        self.line_break();
                    }
                }
            }
            Event::Text(text) | Event::Html(text) | Event::InlineHtml(text) => {
                self.text(&text, inline)
            }
            Event::Code(text) => self.text(&text, CODE),
            Event::SoftBreak => self.text(" ", inline),
            Event::HardBreak => self.line_break(),
            Event::FootnoteReference(label) => self.text(&format!("[{label}]"), inline),
            Event::Start(Tag::FootnoteDefinition(label)) => {
                self.start();
                self.text(&format!("[{label}] "), inline);
            }
            Event::TaskListMarker(done) => self.text(if done { "☑ " } else { "☐ " }, inline),
            _ => {}
        }
    }
}

/// The part's heading is Heading 1; the commentary's own headings start at Heading 2 (`#`
/// and `##` alike, as on the page where they sit under the part's heading).
fn heading_style(level: HeadingLevel) -> &'static str {
    match level {
        HeadingLevel::H1 | HeadingLevel::H2 => styles::HEADINGS[1],
        HeadingLevel::H3 => styles::HEADINGS[2],
        _ => styles::HEADINGS[3],
    }
}
