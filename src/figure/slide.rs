//! A slide: a figure on a 16:9 page under the scene's title and caption, with no app chrome.
//! At scale 1 the page is 1920×1080 pixels, at scale 2 3840×2160; the plotting areas are sized
//! so the panels fill the page's width.

use std::fmt::Write;

use super::panel::Figure;
use super::svg::{self, Options, WIDTH};

/// The page's width and height at scale 1.
pub const PAGE: [f64; 2] = [1920.0, 1080.0];
/// Margin around the page's content.
const MARGIN: f64 = 56.0;
/// Font size of the slide's title.
const TITLE_SIZE: f64 = 50.0;
/// Font size of the caption.
const CAPTION_SIZE: f64 = 27.0;
/// Lines of caption at most (the last one ends with "…" if the text goes on).
const CAPTION_LINES: usize = 3;
/// The empty title band at the top of a figure without a title, cut from the slide.
const FIGURE_TOP: f64 = 40.0;
/// Smallest and largest height of a plotting area, in figure pixels.
const CELL_HEIGHT: (f64, f64) = (110.0, 420.0);

/// The slide of `fig` as an SVG document: `fig`'s title as the slide's, `caption` under it,
/// the panels two a row (heatmaps all on one row; one panel alone on the full width).
pub fn render(fig: &Figure, caption: &str) -> String {
    let [page_w, page_h] = PAGE;
    let lines = wrap(caption, (page_w - 2.0 * MARGIN) / (0.52 * CAPTION_SIZE));
    let header = MARGIN + TITLE_SIZE + 1.35 * CAPTION_SIZE * lines.len() as f64 + 24.0;
    let area = [page_w - 2.0 * MARGIN, page_h - header - MARGIN / 2.0];
    let bare = Figure {
        title: String::new(),
        subtitle: String::new(),
        panels: fig.panels.clone(),
    };
    // Heatmaps (a phase diagram) side by side on one row, other panels two a row.
    let grid = fig.panels.len() > 1;
    let columns = match fig.panels.iter().any(|p| p.heatmap.is_some()) {
        true => fig.panels.len(),
        false => 2,
    };
    let rows = if grid {
        fig.panels.len().div_ceil(columns)
    } else {
        1
    };
    // The figure's height grows by `rows` pixels for each pixel of plotting area: choose the
    // plotting height at which the figure has the area's aspect.
    let flat = Options {
        grid,
        cell_height: Some(0.0),
        columns: Some(columns),
        ..Options::default()
    };
    let wanted = WIDTH * area[1] / area[0] + FIGURE_TOP;
    let cell =
        ((wanted - svg::height(&bare, &flat)) / rows as f64).clamp(CELL_HEIGHT.0, CELL_HEIGHT.1);
    let options = Options {
        cell_height: Some(cell),
        ..flat
    };
    let inner = svg::render_with(&bare, &options);
    let height = svg::height(&bare, &options) - FIGURE_TOP;
    let k = (area[0] / WIDTH).min(area[1] / height);
    let (w, h) = (WIDTH * k, height * k);
    let (x, y) = ((page_w - w) / 2.0, header);

    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{page_w}" height="{page_h}" viewBox="0 0 {page_w} {page_h}" font-family="{}">"#,
        svg::FONT
    );
    let _ = writeln!(s, "<title>{}</title>", svg::esc(&fig.title));
    let _ = writeln!(
        s,
        r#"<rect x="0" y="0" width="{page_w}" height="{page_h}" fill="white"/>"#
    );
    let _ = writeln!(
        s,
        r#"<text class="slide-title" x="{MARGIN}" y="{}" font-size="{TITLE_SIZE}" font-weight="bold">{}</text>"#,
        MARGIN + 0.8 * TITLE_SIZE,
        svg::esc(&fig.title)
    );
    for (i, line) in lines.iter().enumerate() {
        let _ = writeln!(
            s,
            r##"<text class="slide-caption" x="{MARGIN}" y="{:.1}" font-size="{CAPTION_SIZE}" fill="#333333">{}</text>"##,
            MARGIN + TITLE_SIZE + 1.35 * CAPTION_SIZE * (i as f64 + 1.0),
            svg::esc(line)
        );
    }
    // The figure, its empty title band cut, scaled into the area.
    let body = inner.split_once('\n').map_or("", |(_, rest)| rest);
    let _ = writeln!(
        s,
        r#"<svg x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" viewBox="0 {FIGURE_TOP} {WIDTH} {height:.1}" font-family="{}">"#,
        svg::FONT
    );
    s.push_str(body);
    s.push_str("</svg>\n");
    s
}

/// `text` in lines of at most `chars` characters, broken at spaces; at most
/// [`CAPTION_LINES`], the last ending with "…" when the text goes on.
fn wrap(text: &str, chars: f64) -> Vec<String> {
    let max = chars.floor().max(10.0) as usize;
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= max => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    if lines.len() > CAPTION_LINES {
        lines.truncate(CAPTION_LINES);
        if let Some(last) = lines.last_mut() {
            while last.chars().count() + 2 > max {
                last.pop();
            }
            last.push_str(" …");
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captions_wrap_at_spaces_within_the_width_and_stop_after_three_lines() {
        let text = "one two three four five six";
        assert_eq!(wrap(text, 10.0), ["one two", "three four", "five six"]);
        let longer = format!("{text} seven eight");
        assert_eq!(wrap(&longer, 10.0), ["one two", "three four", "five six …"]);
        assert!(wrap("", 10.0).is_empty());
    }
}
