//! Rasterises the SVG figures to PNG with resvg, using the embedded DejaVu Sans font so the
//! output looks the same on every machine.

use std::sync::Arc;

use resvg::{tiny_skia, usvg};

/// The font embedded for text in rasterised figures.
const FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// Largest accepted scale factor.
pub const MAX_SCALE: f32 = 4.0;

/// An SVG rasteriser with the embedded font loaded once (for many frames).
pub struct Rasteriser {
    options: usvg::Options<'static>,
}

impl Default for Rasteriser {
    fn default() -> Self {
        let mut fonts = usvg::fontdb::Database::new();
        fonts.load_font_data(FONT.to_vec());
        Rasteriser {
            options: usvg::Options {
                font_family: "DejaVu Sans".into(),
                fontdb: Arc::new(fonts),
                ..usvg::Options::default()
            },
        }
    }
}

impl Rasteriser {
    /// Renders an SVG document on white at `scale` × its size (`0 < scale ≤ 4`).
    pub fn pixmap(&self, svg: &str, scale: f32) -> Result<tiny_skia::Pixmap, String> {
        if !(scale > 0.0 && scale <= MAX_SCALE) {
            return Err(format!(
                "invalid scale = {scale}: must be a number in (0, {MAX_SCALE}]"
            ));
        }
        let tree =
            usvg::Tree::from_str(svg, &self.options).map_err(|e| format!("invalid SVG: {e}"))?;
        let size = tree
            .size()
            .to_int_size()
            .scale_by(scale)
            .ok_or("image too large")?;
        let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height())
            .ok_or_else(|| format!("cannot allocate a {}×{} image", size.width(), size.height()))?;
        pixmap.fill(tiny_skia::Color::WHITE);
        resvg::render(
            &tree,
            tiny_skia::Transform::from_scale(scale, scale),
            &mut pixmap.as_mut(),
        );
        Ok(pixmap)
    }
}

/// Renders an SVG document to PNG bytes at `scale` × its size (`0 < scale ≤ 4`).
pub fn svg_to_png(svg: &str, scale: f32) -> Result<Vec<u8>, String> {
    Rasteriser::default()
        .pixmap(svg, scale)?
        .encode_png()
        .map_err(|e| format!("PNG encoding failed: {e}"))
}
