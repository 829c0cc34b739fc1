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

/// The sweep window's slide: a phase diagram's three heatmaps side by side on one row, each
/// colour bar inside its own column, the figure on the page.
#[test]
fn a_phase_diagram_slide_is_landscape_with_its_heatmaps_on_one_row() {
    use dln_explorer::experiment::sweep::{GammaAxis, SweepSpec, run_sweep};
    use dln_explorer::figure::figures::phase;
    use dln_explorer::model::MethodKind;
    let mut config = presets::get("large-steps-help-sgd")
        .expect("shipped")
        .config;
    (config.steps, config.tol) = (20_000, 1e-10);
    let spec = SweepSpec {
        base: config.validate().expect("valid"),
        alphas: vec![0.1, 0.5],
        methods: vec![MethodKind::Gd, MethodKind::Sgd],
        seeds: 1,
        gammas: GammaAxis::Values(vec![0.05, 0.6]),
        find_gamma_max: false,
    };
    let never = std::sync::atomic::AtomicBool::new(false);
    let rows = run_sweep(&spec, &|| (), &never).expect("sweep");
    let fig = phase("phase", &spec, &rows);
    assert_eq!(fig.panels.len(), 3);
    let text = slide::render(&fig, "");
    let doc = roxmltree::Document::parse(&text).expect("XML");
    // Each panel's plotting area (its clip rectangle): one row, left to right.
    let areas: Vec<(f64, f64, f64)> = (doc.descendants())
        .filter(|n| n.has_tag_name("clipPath"))
        .filter_map(|c| c.first_element_child())
        .map(|r| {
            (
                number(r, "x"),
                number(r, "y"),
                number(r, "x") + number(r, "width"),
            )
        })
        .collect();
    assert_eq!(areas.len(), 3, "{areas:?}");
    for w in areas.windows(2) {
        assert_eq!(w[0].1, w[1].1, "one row: {areas:?}");
        assert!(w[0].2 < w[1].0, "side by side: {areas:?}");
    }
    // Every colour bar (22 wide) lies right of its plot and left of the next one.
    let bars: Vec<f64> = (doc.descendants())
        .filter(|n| n.has_tag_name("rect") && n.attribute("width") == Some("22"))
        .map(|r| number(r, "x"))
        .collect();
    assert!(!bars.is_empty());
    for x in bars {
        let k = areas
            .iter()
            .rposition(|a| a.2 <= x)
            .expect("right of a plot");
        assert!(
            areas.get(k + 1).is_none_or(|next| x + 22.0 < next.0),
            "bar at {x}: {areas:?}"
        );
    }
}
