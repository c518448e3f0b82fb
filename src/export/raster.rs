//! Charts as pictures for documents that cannot show SVG text: a chart's SVG rasterised to a
//! PNG with resvg, its Chinese text drawn with a CJK font found on the system.
//!
//! Loading the system's fonts takes a noticeable time (every font file is opened), so
//! [`Charts`] is built once per export run and shared by every report it writes.

use resvg::tiny_skia::{Pixmap, Transform};
use resvg::usvg::{self, fontdb};
use std::sync::Arc;

/// Families that draw Simplified Chinese well, in the order they are preferred; the first one
/// installed draws every chart's text. Any other font covering [`PROBE`] is taken after them.
const CJK_FAMILIES: &[&str] = &[
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Noto Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "SimHei",
    "Droid Sans Fallback",
];

/// A character every report's charts show (满意率): a font without it cannot draw them.
const PROBE: char = '满';

/// Pixels per CSS pixel of the SVG: a chart 720 px wide becomes 1440 pixels, about 230 dpi
/// across the 16 cm of an A4 page's text.
const SCALE: f32 = 2.0;

/// What is printed when no font draws Chinese.
pub const NO_CJK_FONT: &str = "no CJK font found: charts in the Word file would have no Chinese \
     text; install fonts-noto-cjk (Debian/Ubuntu) or another font with Chinese characters";

/// The fonts charts are drawn with, loaded once.
pub struct Charts {
    fonts: Arc<fontdb::Database>,
    cjk: Option<String>,
}

/// A chart as a PNG, with its size in pixels.
#[derive(Debug, Clone)]
pub struct Png {
    pub bytes: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

#[derive(Debug, thiserror::Error)]
pub enum RasterError {
    #[error("the chart's SVG cannot be read: {0}")]
    Parse(#[from] usvg::Error),
    #[error("the chart is {width}×{height} pixels, too large or empty to draw")]
    Size { width: u32, height: u32 },
    #[error("the chart cannot be encoded as PNG: {0}")]
    Encode(String),
}

impl Charts {
    /// The system's fonts (fontconfig's folders on Linux).
    pub fn load() -> Charts {
        let mut fonts = fontdb::Database::new();
        fonts.load_system_fonts();
        Charts::with_fonts(fonts)
    }

    /// Given fonts only: for tests, and for a run that must not depend on the machine.
    pub fn with_fonts(mut fonts: fontdb::Database) -> Charts {
        let cjk = cjk_family(&fonts);
        if let Some(family) = &cjk {
            // The charts name PingFang SC, Microsoft YaHei… then `sans-serif`: on a machine
            // with none of the named ones, the generic family must be one that draws Chinese.
            fonts.set_sans_serif_family(family.clone());
            fonts.set_serif_family(family.clone());
        }
        Charts {
            fonts: Arc::new(fonts),
            cjk,
        }
    }

    /// The family Chinese text is drawn with, or `None` when no font has Chinese characters.
    pub fn cjk_family(&self) -> Option<&str> {
        self.cjk.as_deref()
    }

    /// What to tell the user before exporting, when charts would lose their Chinese text.
    pub fn warning(&self) -> Option<&'static str> {
        self.cjk.is_none().then_some(NO_CJK_FONT)
    }

    /// Rasterises one chart at [`SCALE`] times its own size.
    pub fn png(&self, svg: &str) -> Result<Png, RasterError> {
        let options = usvg::Options {
            fontdb: Arc::clone(&self.fonts),
            font_family: self.cjk.clone().unwrap_or_else(|| "sans-serif".to_owned()),
            languages: vec!["zh-CN".to_owned(), "en".to_owned()],
            ..usvg::Options::default()
        };
        let tree = usvg::Tree::from_str(svg, &options)?;
        let size = tree.size().to_int_size().scale_by(SCALE);
        let (width, height) = size.map_or((0, 0), |s| (s.width(), s.height()));
        // 8000 pixels is a chart ten times wider than any the site draws.
        let mut pixmap = Pixmap::new(width, height)
            .filter(|_| width <= 8000 && height <= 8000)
            .ok_or(RasterError::Size { width, height })?;
        pixmap.fill(resvg::tiny_skia::Color::WHITE);
        resvg::render(
            &tree,
            Transform::from_scale(SCALE, SCALE),
            &mut pixmap.as_mut(),
        );
        let bytes = pixmap
            .encode_png()
            .map_err(|e| RasterError::Encode(e.to_string()))?;
        Ok(Png {
            bytes,
            width,
            height,
        })
    }
}

/// The preferred family that is installed and draws [`PROBE`], else the first (by family
/// name, so the choice does not depend on the order fonts were found) that draws it.
fn cjk_family(fonts: &fontdb::Database) -> Option<String> {
    let draws_chinese = |face: &fontdb::FaceInfo| {
        fonts
            .with_face_data(face.id, |data, index| {
                skrifa::FontRef::from_index(data, index)
                    .ok()
                    .and_then(|font| skrifa::MetadataProvider::charmap(&font).map(PROBE))
                    .is_some()
            })
            .unwrap_or(false)
    };
    let covering: Vec<&fontdb::FaceInfo> = fonts.faces().filter(|f| draws_chinese(f)).collect();
    let has = |family: &str| {
        covering
            .iter()
            .any(|f| f.families.iter().any(|(name, _)| name == family))
    };
    if let Some(family) = CJK_FAMILIES.iter().find(|family| has(family)) {
        return Some((*family).to_owned());
    }
    covering
        .iter()
        .filter_map(|f| f.families.first().map(|(name, _)| name.clone()))
        .min()
}
