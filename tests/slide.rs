//! Slides: the 2×2 view (or one plot) of real runs on a 16:9 page under the scene's title and
//! caption, inside the page, rasterised at 1920×1080 and 3840×2160.

use dln_explorer::cli::figure::{PlotKind, run_scene};
use dln_explorer::figure::png::svg_to_png;
use dln_explorer::figure::scene::{LIVE_PLOTS, ViewOptions, figure};
use dln_explorer::figure::slide::{self, PAGE};
use dln_explorer::presets;

fn number(node: roxmltree::Node<'_, '_>, name: &str) -> f64 {
    (node.attribute(name).and_then(|v| v.parse().ok())).unwrap_or_else(|| panic!("{name}"))
}

#[test]
fn a_slide_holds_the_title_the_caption_and_every_plot_inside_a_16_by_9_page() {
    let scene = presets::get("sgd-beats-gd").expect("shipped");
    let mut config = scene.config.clone();
    config.steps = 3000;
    let record = run_scene(config.validate().expect("valid")).expect("runs");
    for plots in [&LIVE_PLOTS[..], &[PlotKind::Error]] {
        let fig = figure(plots, &record, ViewOptions::default(), &scene.title);
        let text = slide::render(&fig, &scene.caption);
        let doc = roxmltree::Document::parse(&text).expect("XML");
        let root = doc.root_element();
        assert_eq!([number(root, "width"), number(root, "height")], PAGE);
        let texts = |class: &str| -> Vec<&str> {
            (doc.descendants())
                .filter(|n| n.attribute("class") == Some(class))
                .filter_map(|n| n.text())
                .collect()
        };
        assert_eq!(texts("slide-title"), [scene.title.as_str()]);
        let caption = texts("slide-caption").join(" ");
        assert!(
            scene.caption.starts_with(caption.trim_end_matches(" …")),
            "{caption}"
        );
        let panels = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("panel"));
        assert_eq!(panels.count(), plots.len(), "{plots:?}");
        // The figure fills the page's width (within the margins) and stays on the page.
        let body = (root.children())
            .find(|n| n.has_tag_name("svg"))
            .expect("the figure");
        let (x, y) = (number(body, "x"), number(body, "y"));
        let (w, h) = (number(body, "width"), number(body, "height"));
        assert!(
            x >= 0.0 && y > 0.0 && x + w <= PAGE[0] && y + h <= PAGE[1],
            "{x} {y} {w} {h}"
        );
        assert!(w >= 0.6 * PAGE[0], "{plots:?}: the figure is {w} wide");
    }
    let fig = figure(&LIVE_PLOTS, &record, ViewOptions::default(), &scene.title);
    let text = slide::render(&fig, &scene.caption);
    for (scale, size) in [(1.0, (1920, 1080)), (2.0, (3840, 2160))] {
        let png = svg_to_png(&text, scale).expect("rasterises");
        let img = image::load_from_memory(&png).expect("decodes");
        assert_eq!((img.width(), img.height()), size);
    }
}
