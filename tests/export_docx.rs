//! The Word export: a report's outline, written as a `.docx` and unzipped again, shows its
//! parts under Word heading styles, its tables as Word tables with the numbers worked out
//! here, its charts as PNG pictures, and its properties; the same outline gives the same
//! bytes, and LibreOffice converts it to a PDF that reads like the report.

use crate::util;
use huifang::export::docx::{self, CoverLabels, Properties};
use huifang::export::raster::{Charts, NO_CJK_FONT};
use huifang::site::outline::{Block, Cover, Outline, Part};
use huifang::site::view::{Cell, Figure, Kpi, NotedTable, Table, TargetMark, TrendLine, TrendView};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

/// The system's fonts, loaded once for all tests as an export run would.
fn charts() -> &'static Charts {
    static CHARTS: OnceLock<Charts> = OnceLock::new();
    CHARTS.get_or_init(Charts::load)
}

/// Departments with their visits and satisfied answers: the ranking table's rows.
const DEPARTMENTS: [(&str, u32, u32); 3] =
    [("工程部", 120, 96), ("保洁部", 80, 60), ("客服部", 50, 47)];

fn percent(part: u32, whole: u32) -> String {
    format!("{:.1}%", f64::from(part) * 100.0 / f64::from(whole))
}

fn table(label: &str, caption: &str, head: &[&str], rows: Vec<Vec<Cell>>) -> Table {
    Table {
        label: Some(label.to_owned()),
        caption: Some(caption.to_owned()),
        head: head.iter().map(|h| (*h).to_owned()).collect(),
        rows,
    }
}

const CHART_SVG: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 720 360\" \
     width=\"100%\" font-family=\"PingFang SC, Noto Sans CJK SC, sans-serif\">\
     <rect x=\"40\" y=\"40\" width=\"200\" height=\"280\" fill=\"#0072B2\"/>\
     <text x=\"300\" y=\"200\" font-size=\"40\">满意率 80.0%</text></svg>";

const COMMENTARY: &str = "## 结论\n\n本季度**满意率**为 80.0%，*较上季度*提高。\n\n\
     1. 工程部满意率最高；\n2. 保洁部满意率最低。\n\n## 建议\n\n- 工程部：专项排查；\n\
     - 保洁部：增加清运 <b>频次</b>。\n";

fn outline() -> Outline {
    let ranking = DEPARTMENTS
        .iter()
        .map(|&(name, visits, satisfied)| {
            vec![
                Cell::text(name),
                Cell::num(visits.to_string()),
                Cell::num(percent(satisfied, visits)),
            ]
        })
        .collect();
    let kpi = Kpi {
        metric: "satisfied_rate",
        label: "满意率".to_owned(),
        text: "81.2%".to_owned(),
        value: "0.812".to_owned(),
        detail: Some("203/250 位受访客户满意".to_owned()),
        basis: None,
        trends: vec![TrendLine {
            label: "较上季度".to_owned(),
            trend: TrendView {
                arrow: "▲",
                class: "up",
                text: "+2.0".to_owned(),
            },
        }],
        target: Some(TargetMark {
            met: false,
            symbol: "✗",
            class: "missed",
            text: "目标 85.0%".to_owned(),
            title: "未达标（目标 85.0%）".to_owned(),
        }),
        warn: None,
    };
    let noted = |table: Table, notes: &[&str]| NotedTable {
        table,
        notes: notes.iter().map(|n| (*n).to_owned()).collect(),
    };
    Outline {
        cover: Cover {
            organisation: Some("翠湖物业".to_owned()),
            site_title: "客户回访报告".to_owned(),
            title: "2026年第三季度".to_owned(),
            subtitle: Some("季度回访分析".to_owned()),
            period: "2026年7月1日 – 2026年9月30日".to_owned(),
            as_of: "2026年10月8日".to_owned(),
            version: Some(2),
        },
        parts: vec![
            Part {
                id: "overview",
                heading: "一、回访概况".to_owned(),
                blocks: vec![
                    Block::Kpis { kpis: vec![kpi] },
                    Block::Tables {
                        tables: vec![noted(
                            table(
                                "表1",
                                "回访方式",
                                &["方式", "次数"],
                                vec![
                                    vec![Cell::text("电话"), Cell::num("230")],
                                    vec![Cell::text("上门 <&>"), Cell::num("20")],
                                ],
                            ),
                            &[],
                        )],
                    },
                ],
            },
            Part {
                id: "satisfaction",
                heading: "二、总体满意度".to_owned(),
                blocks: vec![Block::Figure(Figure {
                    label: Some("图1".to_owned()),
                    id: "trend".to_owned(),
                    title: "满意率走势".to_owned(),
                    svg: CHART_SVG.to_owned(),
                    table: Table {
                        label: None,
                        caption: None,
                        head: vec!["月份".to_owned(), "满意率".to_owned()],
                        rows: vec![vec![Cell::text("2026年9月"), Cell::num("80.0%")]],
                    },
                })],
            },
            Part {
                id: "departments",
                heading: "三、各部门情况".to_owned(),
                blocks: vec![
                    Block::Table(noted(
                        table(
                            "表2",
                            "部门满意度排名",
                            &["部门", "回访", "满意率"],
                            ranking,
                        ),
                        &["✓ 达到目标，✗ 未达到。"],
                    )),
                    Block::Actions,
                ],
            },
            Part {
                id: "conclusions",
                heading: "四、结论与建议".to_owned(),
                blocks: vec![Block::Prose {
                    html: String::new(),
                    markdown: COMMENTARY.to_owned(),
                }],
            },
        ],
    }
}

fn properties() -> Properties {
    Properties {
        report: "2026-Q3".to_owned(),
        as_of: chrono::NaiveDate::from_ymd_opt(2026, 10, 8).unwrap(),
        checksum: Some(format!("sha256:{}", "ab".repeat(32))),
        language: "zh-CN".to_owned(),
        labels: CoverLabels {
            period: "统计期间".to_owned(),
            as_of: "数据截至".to_owned(),
            version: "版本".to_owned(),
        },
    }
}

/// The package's entries by name.
fn unzip(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut entry = archive.by_index(i).unwrap();
            let mut data = Vec::new();
            entry.read_to_end(&mut data).unwrap();
            (entry.name().to_owned(), data)
        })
        .collect()
}

fn text_of(entries: &BTreeMap<String, Vec<u8>>, name: &str) -> String {
    String::from_utf8(entries[name].clone()).unwrap()
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// Each paragraph of `xml` outside tables: its style and its text.
fn paragraphs(xml: &str) -> Vec<(String, String)> {
    let paragraph = regex::Regex::new(r"(?s)<w:p[ >].*?</w:p>").unwrap();
    let style = regex::Regex::new(r#"<w:pStyle w:val="([^"]*)""#).unwrap();
    let without_tables = regex::Regex::new(r"(?s)<w:tbl>.*?</w:tbl>")
        .unwrap()
        .replace_all(xml, "");
    paragraph
        .find_iter(&without_tables)
        .map(|p| {
            let p = p.as_str();
            let style = style.captures(p).map_or(String::new(), |c| c[1].to_owned());
            (style, runs_text(p))
        })
        .collect()
}

/// The texts of the paragraphs of one style.
fn texts_in(xml: &str, style: &str) -> Vec<String> {
    paragraphs(xml)
        .into_iter()
        .filter(|(s, _)| s == style)
        .map(|(_, text)| text)
        .collect()
}

fn runs_text(xml: &str) -> String {
    let text = regex::Regex::new(r"(?s)<w:t(?: [^>]*)?>(.*?)</w:t>").unwrap();
    text.captures_iter(xml).map(|c| unescape(&c[1])).collect()
}

/// Each table of `xml`: its rows of cell texts.
fn tables(xml: &str) -> Vec<Vec<Vec<String>>> {
    let table = regex::Regex::new(r"(?s)<w:tbl>.*?</w:tbl>").unwrap();
    let row = regex::Regex::new(r"(?s)<w:tr[ >].*?</w:tr>").unwrap();
    let cell = regex::Regex::new(r"(?s)<w:tc>.*?</w:tc>").unwrap();
    table
        .find_iter(xml)
        .map(|t| {
            row.find_iter(t.as_str())
                .map(|r| {
                    cell.find_iter(r.as_str())
                        .map(|c| runs_text(c.as_str()))
                        .collect()
                })
                .collect()
        })
        .collect()
}

#[test]
fn parts_are_heading_1_and_the_commentary_headings_heading_2() {
    let entries = unzip(&docx::write(&outline(), &properties(), charts()).unwrap());
    let document = text_of(&entries, "word/document.xml");
    let headings: Vec<(String, String)> = paragraphs(&document)
        .into_iter()
        .filter(|(style, _)| style.starts_with("Heading"))
        .collect();
    let expected = [
        ("Heading1", "一、回访概况"),
        ("Heading1", "二、总体满意度"),
        ("Heading1", "三、各部门情况"),
        ("Heading1", "四、结论与建议"),
        ("Heading2", "结论"),
        ("Heading2", "建议"),
    ];
    assert_eq!(
        headings,
        expected.map(|(s, t)| (s.to_owned(), t.to_owned())),
        "{document}"
    );
    // Word finds headings by their outline level, which the styles carry.
    let styles = text_of(&entries, "word/styles.xml");
    for (id, name, level) in [("Heading1", "heading 1", 0), ("Heading2", "heading 2", 1)] {
        let start = styles
            .find(&format!("w:styleId=\"{id}\""))
            .unwrap_or_else(|| panic!("no style {id}"));
        let style = &styles[start..start + styles[start..].find("</w:style>").unwrap()];
        assert!(
            style.contains(&format!("<w:name w:val=\"{name}\" />")),
            "{style}"
        );
        assert!(
            style.contains(&format!("<w:outlineLvl w:val=\"{level}\" />")),
            "{style}"
        );
        assert!(style.contains("w:eastAsia=\"SimHei\""), "{style}");
    }
}

#[test]
fn tables_carry_the_numbers_with_their_header_rows_and_captions() {
    let entries = unzip(&docx::write(&outline(), &properties(), charts()).unwrap());
    let document = text_of(&entries, "word/document.xml");
    let tables = tables(&document);
    // The KPI card, 表1, the figure's numbers, 表2.
    assert_eq!(tables.len(), 4, "{tables:?}");
    let kpi = &tables[0][0];
    assert_eq!(kpi[0], "满意率");
    assert_eq!(kpi[1], "81.2%");
    assert_eq!(kpi[2], "✗ 未达标（目标 85.0%）203/250 位受访客户满意");
    assert_eq!(kpi[3], "较上季度 ▲ +2.0");
    assert_eq!(tables[1][2], ["上门 <&>", "20"]);
    let mut ranking = vec![vec![
        "部门".to_owned(),
        "回访".to_owned(),
        "满意率".to_owned(),
    ]];
    for (name, visits, satisfied) in DEPARTMENTS {
        ranking.push(vec![
            name.to_owned(),
            visits.to_string(),
            percent(satisfied, visits),
        ]);
    }
    assert_eq!(tables[3], ranking);
    assert_eq!(tables[3][1][2], "80.0%");
    // Every data table's first row repeats on each page; the KPI card has no header row.
    assert_eq!(document.matches("<w:tblHeader />").count(), 3);
    let captions = texts_in(&document, "Caption");
    assert_eq!(
        captions,
        ["表1 回访方式", "图1 满意率走势", "表2 部门满意度排名"]
    );
    let notes = texts_in(&document, "TableNote");
    assert!(
        notes.contains(&"✓ 达到目标，✗ 未达到。".to_owned()),
        "{notes:?}"
    );
    let styles = text_of(&entries, "word/styles.xml");
    assert!(styles.contains("w:styleId=\"Caption\""));
}

#[test]
fn the_commentary_is_paragraphs_with_bold_runs_and_word_numbered_lists() {
    let entries = unzip(&docx::write(&outline(), &properties(), charts()).unwrap());
    let document = text_of(&entries, "word/document.xml");
    let texts: Vec<String> = paragraphs(&document).into_iter().map(|(_, t)| t).collect();
    let first = texts
        .iter()
        .position(|t| t == "本季度满意率为 80.0%，较上季度提高。")
        .unwrap_or_else(|| panic!("{texts:?}"));
    assert_eq!(
        texts[first + 1..first + 6],
        [
            "工程部满意率最高；",
            "保洁部满意率最低。",
            "建议",
            "工程部：专项排查；",
            // Raw HTML is text, as on the page.
            "保洁部：增加清运 <b>频次</b>。",
        ]
    );
    assert!(document.contains("<w:b />"));
    assert!(document.contains("<w:i />"));
    // The numbered items share a numbering of the decimal list; the bullets another.
    let num_id = regex::Regex::new(r#"<w:numId w:val="(\d+)" />"#).unwrap();
    let ids: Vec<&str> = num_id
        .captures_iter(&document)
        .map(|c| c.get(1).unwrap().as_str())
        .collect();
    assert_eq!(ids.len(), 4, "{ids:?}");
    assert_eq!(ids[0], ids[1]);
    assert_eq!(ids[2], ids[3]);
    assert_ne!(ids[0], ids[2]);
    let numbering = text_of(&entries, "word/numbering.xml");
    assert!(
        numbering.contains("<w:numFmt w:val=\"decimal\" />"),
        "{numbering}"
    );
    assert!(
        numbering.contains("<w:lvlText w:val=\"%1.\" />"),
        "{numbering}"
    );
    assert!(
        numbering.contains("<w:numFmt w:val=\"bullet\" />"),
        "{numbering}"
    );
}

#[test]
fn each_figure_is_an_svg_picture_with_a_png_fallback_the_width_of_the_text() {
    let entries = unzip(&docx::write(&outline(), &properties(), charts()).unwrap());
    let document = text_of(&entries, "word/document.xml");
    assert_eq!(document.matches("<w:drawing>").count(), 1);
    let media: Vec<&String> = entries
        .keys()
        .filter(|k| k.starts_with("word/media/"))
        .collect();
    assert_eq!(
        media,
        ["word/media/rIdImage1.png", "word/media/rIdImage1.svg"]
    );
    let png = &entries["word/media/rIdImage1.png"];
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    // The SVG as a file of its own: sized in pixels, its Chinese text kept as text.
    let svg = text_of(&entries, "word/media/rIdImage1.svg");
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 720 360\" width=\"720\" height=\"360\""), "{svg}");
    assert!(svg.contains(">满意率 80.0%</text>"));
    assert!(document.contains("<a:blip r:embed=\"rIdImage1\"><a:extLst><a:ext uri=\"{96DAC541-7B7A-43D3-8B79-37D633B846F1}\"><asvg:svgBlip xmlns:asvg=\"http://schemas.microsoft.com/office/drawing/2016/SVG/main\" r:embed=\"rIdSvg1\" /></a:ext></a:extLst></a:blip>"), "{document}");
    // 16 cm of text (A4 less two 2.5 cm margins, 9070 twips), the chart 2:1.
    let extent = regex::Regex::new(r#"<wp:extent cx="(\d+)" cy="(\d+)""#).unwrap();
    let size = extent.captures(&document).unwrap();
    assert_eq!(&size[1], (9070 * 635).to_string());
    assert_eq!(&size[2], (9070 * 635 / 2).to_string());
    let rels = text_of(&entries, "word/_rels/document.xml.rels");
    for (id, target) in [
        ("rIdImage1", "media/rIdImage1.png"),
        ("rIdSvg1", "media/rIdImage1.svg"),
    ] {
        assert!(rels.contains(&format!("Id=\"{id}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"{target}\"")), "{rels}");
    }
    let types = text_of(&entries, "[Content_Types].xml");
    assert!(
        types.contains("<Default ContentType=\"image/svg+xml\" Extension=\"svg\" />"),
        "{types}"
    );
}

#[test]
fn the_properties_carry_version_as_of_date_and_checksum() {
    let entries = unzip(&docx::write(&outline(), &properties(), charts()).unwrap());
    let core = text_of(&entries, "docProps/core.xml");
    let generator = format!("huifang {}", env!("CARGO_PKG_VERSION"));
    let checksum = format!("sha256:{}", "ab".repeat(32));
    for expected in [
        "<dc:title>客户回访报告 2026年第三季度</dc:title>".to_owned(),
        "<dc:subject>2026年7月1日 – 2026年9月30日</dc:subject>".to_owned(),
        format!("<dc:creator>{generator}</dc:creator>"),
        format!("<cp:keywords>2026-Q3; v2; 2026-10-08; {checksum}</cp:keywords>"),
        "<dcterms:created xsi:type=\"dcterms:W3CDTF\">2026-10-08T00:00:00Z</dcterms:created>"
            .to_owned(),
        "<dcterms:modified xsi:type=\"dcterms:W3CDTF\">2026-10-08T00:00:00Z</dcterms:modified>"
            .to_owned(),
    ] {
        assert!(core.contains(&expected), "{expected} not in {core}");
    }
    let custom = text_of(&entries, "docProps/custom.xml");
    for (name, value) in [
        ("huifang-version", "2"),
        ("huifang-as-of", "2026-10-08"),
        ("huifang-checksum", checksum.as_str()),
    ] {
        assert!(
            custom.contains(&format!("name=\"{name}\"><vt:lpwstr>{value}</vt:lpwstr>")),
            "{name} in {custom}"
        );
    }
    let content_types = text_of(&entries, "[Content_Types].xml");
    assert!(
        content_types.contains("/docProps/custom.xml"),
        "{content_types}"
    );
}

#[test]
fn the_same_outline_gives_the_same_bytes() {
    // docx-rs numbers paragraphs with a counter per thread, which a failed write leaves
    // where it stopped.
    let mut broken = outline();
    if let Block::Figure(f) = &mut broken.parts[1].blocks[0] {
        f.svg = "<svg".to_owned();
    }
    assert!(docx::write(&broken, &properties(), charts()).is_err());
    let first = docx::write(&outline(), &properties(), charts()).unwrap();
    let second = std::thread::spawn(|| docx::write(&outline(), &properties(), charts()).unwrap())
        .join()
        .unwrap();
    let third = docx::write(&outline(), &properties(), charts()).unwrap();
    assert!(first == second && second == third, "the bytes differ");
    let entries = unzip(&first);
    let id = regex::Regex::new(r#"w14:paraId="([0-9A-F]{8})""#).unwrap();
    let mut ids: Vec<String> = ["word/document.xml", "word/header1.xml", "word/footer1.xml"]
        .iter()
        .flat_map(|part| {
            let xml = text_of(&entries, part);
            id.captures_iter(&xml)
                .map(|c| c[1].to_owned())
                .collect::<Vec<_>>()
        })
        .collect();
    let count = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), count, "paragraph ids repeat");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&first)).unwrap();
    for i in 0..archive.len() {
        let entry = archive.by_index(i).unwrap();
        let time = entry.last_modified().unwrap();
        assert_eq!(
            (time.year(), time.month(), time.day(), time.hour()),
            (2026, 10, 8, 0),
            "{}",
            entry.name()
        );
    }
}

#[test]
fn text_xml_cannot_carry_is_left_out() {
    let mut outline = outline();
    outline.parts[0].heading = "一、回访\u{1}概况\u{FFFF}".to_owned();
    let entries = unzip(&docx::write(&outline, &properties(), charts()).unwrap());
    let document = text_of(&entries, "word/document.xml");
    assert!(document.contains(">一、回访概况<"));
}

#[test]
fn a_chart_that_is_not_svg_is_an_error_naming_the_figure() {
    let mut outline = outline();
    if let Block::Figure(f) = &mut outline.parts[1].blocks[0] {
        f.svg = "<svg".to_owned();
    }
    let error = docx::write(&outline, &properties(), charts()).unwrap_err();
    assert!(
        error.to_string().starts_with("figure 图1 (满意率走势): "),
        "{error}"
    );
}

/// Dark pixels of a PNG: how much was drawn on the white.
fn ink(png: &[u8]) -> usize {
    let pixmap = resvg::tiny_skia::Pixmap::decode_png(png).unwrap();
    pixmap.pixels().iter().filter(|p| p.red() < 128).count()
}

#[test]
fn chinese_chart_text_is_drawn_with_a_cjk_font_found_on_the_system() {
    let text_only = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 200 100\" \
         width=\"100%\" font-family=\"sans-serif\"><text x=\"10\" y=\"70\" font-size=\"60\">满意</text></svg>";
    let Some(family) = charts().cjk_family() else {
        eprintln!("skipped: {NO_CJK_FONT}");
        assert_eq!(charts().warning(), Some(NO_CJK_FONT));
        return;
    };
    assert!(charts().warning().is_none(), "{family}");
    let drawn = charts().png(text_only).unwrap();
    // Twice the SVG's size, for print.
    assert_eq!((drawn.width, drawn.height), (400, 200));
    assert!(
        ink(&drawn.bytes) > 1000,
        "the text was not drawn with {family}"
    );
    // Without fonts the same chart has no text at all, and says so.
    let bare = Charts::with_fonts(resvg::usvg::fontdb::Database::new());
    assert_eq!(bare.warning(), Some(NO_CJK_FONT));
    assert_eq!(ink(&bare.png(text_only).unwrap().bytes), 0);
}

/// Runs `program` with `args` in `dir`, killed after `limit`; `None` when it is not installed.
fn run(program: &str, args: &[&str], dir: &Path, limit: Duration) -> Option<std::process::Output> {
    let child = Command::new(program)
        .args(args)
        .current_dir(dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => panic!("{program}: {e}"),
    };
    let start = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > limit {
            child.kill().unwrap();
            panic!("{program} ran longer than {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Some(child.wait_with_output().unwrap())
}

/// The docx converted by LibreOffice, as the text of its PDF; `None` (with a message) when
/// LibreOffice or pdftotext is missing.
pub fn libreoffice_text(docx: &[u8], dir: &Path) -> Option<String> {
    std::fs::write(dir.join("report.docx"), docx).unwrap();
    let profile = format!("-env:UserInstallation=file://{}/profile", dir.display());
    let Some(out) = run(
        "soffice",
        &[&profile, "--headless", "--convert-to", "pdf", "report.docx"],
        dir,
        Duration::from_secs(180),
    ) else {
        eprintln!("skipped: soffice (LibreOffice) is not installed");
        return None;
    };
    assert!(
        out.status.success() && dir.join("report.pdf").exists(),
        "LibreOffice could not convert the docx: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let Some(text) = run(
        "pdftotext",
        &["-layout", "report.pdf", "-"],
        dir,
        Duration::from_secs(60),
    ) else {
        eprintln!("skipped: pdftotext (poppler-utils) is not installed");
        return None;
    };
    assert!(text.status.success());
    Some(String::from_utf8(text.stdout).unwrap())
}

#[test]
fn libreoffice_converts_it_to_a_pdf_with_the_headings_and_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let docx = docx::write(&outline(), &properties(), charts()).unwrap();
    let Some(text) = libreoffice_text(&docx, dir.path()) else {
        return;
    };
    // pdftotext puts a space between Chinese characters and digits.
    let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    for expected in [
        "2026年第三季度",
        "一、回访概况",
        "四、结论与建议",
        "表2部门满意度排名",
        "•工程部：专项排查；",
    ] {
        assert!(squeezed.contains(expected), "{expected} not in {text}");
    }
    let (name, visits, satisfied) = DEPARTMENTS[0];
    let row = regex::Regex::new(&format!(
        r"{name}\s+{visits}\s+{}",
        regex::escape(&percent(satisfied, visits))
    ))
    .unwrap();
    assert!(row.is_match(&text), "no row {name} in {text}");
}

/// The sample project's 2026-Q3 report as an export builds it: from its latest snapshot
/// (with the other reports' for the trends), with the properties of that version.
fn sample_outline() -> (Outline, Properties) {
    use huifang::site::content::{Content, Links};
    use huifang::site::pages::{SiteData, VersionView};
    let project = util::TempProject::sample();
    let built = util::huifang(project.path(), &["build", "--quiet"]);
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let config = huifang::config::Project::load(&project.config()).unwrap();
    let history = huifang::versions::Store::new(project.path().join("snapshots"))
        .load(project.path())
        .unwrap();
    let latest = |id: &str| history.latest_body(id).unwrap().unwrap();
    let snapshot = latest("2026-Q3");
    let reports: Vec<_> = std::iter::once(snapshot.report.clone())
        .chain(
            history
                .reports()
                .filter(|id| *id != "2026-Q3")
                .map(|id| latest(id).report.clone()),
        )
        .collect();
    let theme = huifang::site::theme::Theme::load(&config).unwrap();
    let mut content = Content::load(&project.path().join("content"), project.path()).unwrap();
    content.links = Links::AsText;
    let ingest = huifang::ingest::IngestReport::default();
    let input = huifang::site::SiteInput {
        numbers: None,
        reports: &reports,
        ingest: &ingest,
        after_as_of: 0,
        history: &history,
        surveys: &[],
        actions: None,
        coverage: None,
        staff: None,
        showing_latest: None,
    };
    let data = SiteData::new(&config, &input, &content, &theme.strings);
    let version = VersionView {
        number: snapshot.version,
        history_href: String::new(),
        latest_href: None,
        alone: false,
    };
    let outline =
        huifang::site::pages::outline(&data, &snapshot.report, "", Some(&version), true).unwrap();
    let t = &theme.strings;
    let properties = Properties {
        report: "2026-Q3".to_owned(),
        as_of: snapshot.as_of,
        checksum: history.checksums["2026-Q3"].get(&snapshot.version).cloned(),
        language: "zh-CN".to_owned(),
        labels: CoverLabels {
            period: t.get("cover_period").to_owned(),
            as_of: t.get("data_as_of").to_owned(),
            version: t.get("cover_version").to_owned(),
        },
    };
    (outline, properties)
}

/// The cell texts of a table as the document shows them: a target mark after its value.
fn shown(table: &Table) -> Vec<Vec<String>> {
    let head = (!table.head.is_empty()).then(|| table.head.clone());
    let rows = table.rows.iter().map(|row| {
        row.iter()
            .map(|c| match &c.mark {
                Some(mark) => format!("{} {}", c.text, mark.symbol),
                None => c.text.clone(),
            })
            .collect()
    });
    head.into_iter().chain(rows).collect()
}

#[test]
fn the_sample_report_has_every_part_table_and_chart() {
    let (outline, properties) = sample_outline();
    let bytes = docx::write(&outline, &properties, charts()).unwrap();
    let entries = unzip(&bytes);
    let document = text_of(&entries, "word/document.xml");
    let parts: Vec<String> = outline.parts.iter().map(|p| p.heading.clone()).collect();
    assert_eq!(
        parts,
        [
            "一、回访概况",
            "二、总体满意度",
            "三、各部门情况",
            "四、投诉与整改",
            "五、结论与建议"
        ]
    );
    assert_eq!(texts_in(&document, "Heading1"), parts);
    assert_eq!(texts_in(&document, "Heading2"), ["结论", "建议"]);

    // Every table of the outline, in order, with the same cells; the KPI cards first.
    let mut expected = Vec::new();
    let mut figures = 0;
    for block in outline.parts.iter().flat_map(|p| &p.blocks) {
        match block {
            Block::Table(t) => expected.push(shown(&t.table)),
            Block::Tables { tables } => expected.extend(tables.iter().map(|t| shown(&t.table))),
            Block::Figure(f) => {
                figures += 1;
                expected.push(shown(&f.table));
            }
            _ => {}
        }
    }
    let written = tables(&document);
    assert_eq!(written[1..], expected[..]);
    assert_eq!(figures, 5);
    assert_eq!(document.matches("<w:drawing>").count(), figures);
    for kind in [".png", ".svg"] {
        let pictures = entries
            .keys()
            .filter(|k| k.starts_with("word/media/") && k.ends_with(kind));
        assert_eq!(pictures.count(), figures, "{kind}");
    }

    // The visits counted by way of visit and by type both add up to the visits card.
    let count = |n: &str| n.parse::<u64>().unwrap();
    let visits = count(&written[0][0][1]);
    assert_eq!(written[0][0][0], "回访量");
    for table in [&written[1], &written[2]] {
        let sum: u64 = table[1..].iter().map(|row| count(&row[1])).sum();
        assert_eq!(sum, visits, "{table:?}");
    }

    let dir = tempfile::tempdir().unwrap();
    let Some(text) = libreoffice_text(&bytes, dir.path()) else {
        return;
    };
    let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    // The ranking's label as the outline numbers it (表3 without work orders, 表4 with them).
    let ranking = outline
        .parts
        .iter()
        .flat_map(|p| &p.blocks)
        .find_map(|b| match b {
            Block::Table(t) if t.table.caption.as_deref() == Some("部门满意度排名") => {
                Some(format!("{}部门满意度排名", t.table.label.clone().unwrap()))
            }
            _ => None,
        })
        .unwrap();
    for expected in parts
        .iter()
        .map(String::as_str)
        .chain([ranking.as_str(), "图5"])
    {
        assert!(squeezed.contains(expected), "{expected} not in {text}");
    }
}
