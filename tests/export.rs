//! Exports: SVG is well-formed XML holding every series, CSV round-trips its parameters, PNG
//! rasterises, and `figure` rejects bad values with exit status 2.

use std::process::Command;

use dln_explorer::cli::figure::{PlotKind, run_scene};
use dln_explorer::experiment::summary::CellSummary;
use dln_explorer::figure::csv::{figure_csv, parse_header};
use dln_explorer::figure::figures::sweep_figure;
use dln_explorer::figure::png::svg_to_png;
use dln_explorer::figure::scene::{ViewOptions, figure as scene_figure_of};
use dln_explorer::figure::{Axis, Figure, Panel, Reference, Series, Style, palette, svg};
use dln_explorer::model::MethodKind;
use dln_explorer::presets;

/// The `data-series` names of the elements of a class, in document order.
fn names_of_class(doc: &roxmltree::Document, class: &str) -> Vec<String> {
    doc.descendants()
        .filter(|n| n.attribute("class") == Some(class))
        .filter_map(|n| n.attribute("data-series").map(String::from))
        .collect()
}

/// All text content of the legends.
fn legend_text(doc: &roxmltree::Document) -> String {
    doc.descendants()
        .filter(|n| n.attribute("class") == Some("legend"))
        .flat_map(|g| g.descendants().filter_map(|t| t.text()))
        .collect::<Vec<_>>()
        .join("|")
}

fn sample_figure() -> Figure {
    let line = |m: MethodKind, k: f64| {
        let points = (1..=50).map(|i| [i as f64, k / i as f64]).collect();
        let mut s = Series::new(m.label(), palette::color(m), Style::LineDots, points);
        s.band = (1..=50)
            .map(|i| [i as f64, 0.5 * k / i as f64, 2.0 * k / i as f64])
            .collect();
        s
    };
    Figure {
        title: "A <test> & figure".into(),
        subtitle: "n = 40".into(),
        panels: vec![
            Panel {
                title: "errors".into(),
                x: Axis::log("α"),
                y: Axis::log("error"),
                series: vec![line(MethodKind::Gd, 1.0), line(MethodKind::Sgd, 0.5)],
                references: vec![
                    Reference {
                        name: "ℓ2".into(),
                        value: 0.1,
                        color: palette::L2_REFERENCE,
                    },
                    Reference {
                        name: "ℓ1".into(),
                        value: 1e-30,
                        color: palette::L1_REFERENCE,
                    },
                ],
                height: 300.0,
                heatmap: None,
            },
            Panel {
                title: "linear".into(),
                x: Axis::linear("j"),
                y: Axis::linear("β_j"),
                series: vec![Series::new(
                    "β*",
                    palette::GROUND_TRUTH,
                    Style::Rings,
                    vec![[0.0, -1.0], [3.0, f64::NAN], [5.0, 2.0]],
                )],
                references: Vec::new(),
                height: 150.0,
                heatmap: None,
            },
        ],
    }
}

#[test]
fn svg_is_xml_with_one_element_per_series_a_legend_and_bands() {
    let text = svg::render(&sample_figure());
    let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    assert_eq!(names_of_class(&doc, "series"), ["GD", "SGD", "β*"]);
    assert_eq!(names_of_class(&doc, "band"), ["GD", "SGD"]);
    // ℓ1 at 1e-30 is far below the data: no line, an edge marker with its value instead.
    assert_eq!(names_of_class(&doc, "reference"), ["ℓ2"]);
    assert_eq!(names_of_class(&doc, "off-scale"), ["ℓ1"]);
    assert!(text.contains("ℓ1: 1.000e-30 (below the view)"), "{text}");
    let legend = legend_text(&doc);
    for name in ["GD", "SGD", "β*", "ℓ1", "ℓ2", "below the axis"] {
        assert!(legend.contains(name), "{name} missing from legend {legend}");
    }
    assert!(text.contains("A &lt;test&gt; &amp; figure"));
    // Ids are unique; the GD path has 50 vertices; rings skip the NaN point.
    let ids: Vec<&str> = doc
        .descendants()
        .filter_map(|n| n.attribute("id"))
        .collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(ids.len(), unique.len());
    let gd = doc
        .descendants()
        .find(|n| {
            n.attribute("class") == Some("series") && n.attribute("data-series") == Some("GD")
        })
        .and_then(|n| n.attribute("d"))
        .expect("GD path");
    assert_eq!(gd.matches(['M', 'L']).count(), 50);
    let rings = doc
        .descendants()
        .find(|n| n.attribute("data-series") == Some("β*"))
        .expect("rings");
    assert_eq!(
        rings
            .children()
            .filter(|c| c.has_tag_name("circle"))
            .count(),
        2
    );
    // Log axes label decades.
    let ticks: Vec<&str> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("tick"))
        .filter_map(|n| n.text())
        .collect();
    assert!(
        ticks.contains(&"10") && ticks.contains(&"0.01"),
        "{ticks:?}"
    );
}

#[test]
fn scene_figures_of_real_runs_hold_every_method() {
    let mut config = presets::get("sgd-beats-gd").expect("shipped").config;
    config.steps = 3000;
    let reports = run_scene(config.validate().expect("valid")).expect("runs");
    let scene_figure = |plot: PlotKind, title: &str, record: &dln_explorer::experiment::Record| {
        scene_figure_of(&[plot], record, ViewOptions::default(), title)
    };
    for plot in [
        PlotKind::Loss,
        PlotKind::Error,
        PlotKind::Alpha,
        PlotKind::FinalBeta,
    ] {
        let text = svg::render(&scene_figure(plot, "SGD beats GD", &reports));
        let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{plot}: {e}"));
        let series = names_of_class(&doc, "series");
        for m in ["GD", "SGD", "SGF"] {
            assert!(
                series.iter().any(|s| s == m),
                "{plot}: {m} missing from {series:?}"
            );
        }
        let colours: Vec<&str> = doc
            .descendants()
            .filter(|n| n.attribute("data-series") == Some("SGD"))
            .flat_map(|n| n.descendants())
            .filter_map(|n| {
                [n.attribute("stroke"), n.attribute("fill")]
                    .into_iter()
                    .flatten()
                    .find(|c| *c != "none")
            })
            .collect();
        let sgd = palette::hex(palette::color(MethodKind::Sgd));
        assert!(
            !colours.is_empty() && colours.iter().all(|c| *c == sgd),
            "{plot}: {colours:?}"
        );
    }
    let alpha_figure = scene_figure(PlotKind::Alpha, "t", &reports);
    let alpha = svg::render(&alpha_figure);
    assert!(alpha.contains("SGD (P21 formula)") && !alpha.contains("\"GD (P21 formula)\""));
    // The α axis spans at least 0.9–1, so a tiny shrinkage never fills the plot.
    let [_, (lo, hi)] = svg::bounds(&alpha_figure.panels[0]);
    assert!(lo <= 0.9 && hi >= 1.0, "{lo}..{hi}");
}

#[test]
fn sweep_figure_has_medians_with_bands_references_and_the_ratio_panel() {
    let mut cells = Vec::new();
    for (k, alpha) in [0.01, 0.1, 1.0].into_iter().enumerate() {
        for (m, scale) in [(MethodKind::Gd, 1.0), (MethodKind::Sgd, 0.5)] {
            let e = scale * 10f64.powi(k as i32 - 3);
            cells.push(CellSummary {
                alpha,
                gamma: None,
                median_gamma_max: None,
                diverged: 0,
                not_converged: 0,
                // At α = 1 most SGD runs ran out of budget: drawn hollow.
                budget: if alpha == 1.0 && m == MethodKind::Sgd {
                    3
                } else {
                    0
                },
                runs: 5,
                method: m,
                error_quartiles: [0.8 * e, e, 1.25 * e],
                median_ratio_to_gd: Some(scale),
                median_alpha_ratio: 1.0,
                reference_errors: [1e-31, 0.8],
            });
        }
    }
    let fig = sweep_figure("SGD beats GD", "5 seeds", &cells);
    assert_eq!(fig.panels.len(), 2);
    let text = svg::render(&fig);
    let doc = roxmltree::Document::parse(&text).expect("XML");
    assert_eq!(
        names_of_class(&doc, "series"),
        ["GD", "SGD", "SGD: not converged (hollow)", "SGD / GD"]
    );
    let hollow = (doc.descendants())
        .filter(|n| n.attribute("data-series") == Some("SGD: not converged (hollow)"))
        .flat_map(|g| g.descendants().filter(|c| c.has_tag_name("circle")))
        .count();
    assert_eq!(hollow, 1, "the one cell mostly out of budget");
    assert_eq!(names_of_class(&doc, "band"), ["GD", "SGD"]);
    assert_eq!(
        names_of_class(&doc, "reference"),
        ["ℓ2 interpolator", "equal to GD"]
    );
    assert!(legend_text(&doc).contains("ℓ1 interpolator"));
}

#[test]
fn csv_round_trips_its_parameters_and_holds_every_point() {
    let mut config = presets::get("batch-size-weakens").expect("shipped").config;
    config.h = Some(0.125);
    config.noise = 0.25;
    let fig = sample_figure();
    let text = figure_csv(&config, 0.0375, &fig);
    let (back, gamma) = parse_header(&text).expect("header parses");
    assert_eq!(back, config);
    assert_eq!(gamma, 0.0375);
    assert!(text.starts_with(&format!("# dln-explorer {}", env!("CARGO_PKG_VERSION"))));
    let mut reader = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let header = reader.headers().expect("columns").clone();
    assert_eq!(
        header.iter().collect::<Vec<_>>(),
        ["panel", "series", "x", "y", "lower", "upper"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    let gd: Vec<&csv::StringRecord> = rows.iter().filter(|r| &r[1] == "GD").collect();
    assert_eq!(gd.len(), 50);
    let (x, y, lo): (f64, f64, f64) = (
        gd[3][2].parse().unwrap(),
        gd[3][3].parse().unwrap(),
        gd[3][4].parse().unwrap(),
    );
    assert_eq!((x, y, lo), (4.0, 0.25, 0.125));
    assert_eq!(rows.iter().filter(|r| &r[1] == "ℓ1").count(), 1);
    // Every point of every series is there: 2×50 + 3 + 2 references.
    assert_eq!(rows.len(), 105);
}

#[test]
fn png_rasterises_at_the_requested_scale() {
    let text = svg::render(&sample_figure());
    let png = svg_to_png(&text, 2.0).expect("renders");
    let img = image::load_from_memory(&png).expect("decodes").to_rgba8();
    assert_eq!(img.width(), 1920);
    // Not blank: some dark text pixels and the SGD colour are present.
    assert!(img.pixels().any(|p| p[0] < 60 && p[1] < 60 && p[2] < 60));
    assert!(
        img.pixels()
            .any(|p| p[0] > 200 && (70..100).contains(&p[1]) && p[2] < 40)
    );
    assert!(svg_to_png(&text, 0.0).unwrap_err().contains("scale = 0"));
}

fn figure_cmd(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_dln-explorer"))
        .arg("figure")
        .args(args)
        .output()
        .expect("binary runs")
}

#[test]
fn figure_rejects_bad_values_with_one_line_and_status_2() {
    let cases: [(&[&str], &[&str]); 3] = [
        (&["--out", "fig.jpg"], &["fig.jpg", ".svg", ".png"]),
        (
            &["--out", "fig.svg", "--plot", "histogram"],
            &[
                "histogram",
                "loss, coords, alpha, alpha-coords, error",
                "lasso, all",
            ],
        ),
        (
            &["--out", "fig.svg", "--preset", "nope"],
            &["nope", "sgd-beats-gd"],
        ),
    ];
    for (args, needles) in cases {
        let out = figure_cmd(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        for n in needles {
            assert!(err.contains(n), "{n} missing from {err}");
        }
    }
}

#[test]
fn figure_writes_svg_png_and_csv_headless() {
    let dir = tempfile::tempdir().expect("temp dir");
    let svg_path = dir.path().join("loss.svg");
    let csv_path = dir.path().join("loss.csv");
    let out = figure_cmd(&[
        "--preset",
        "too-large-step-diverges",
        "--steps",
        "200",
        "--out",
        svg_path.to_str().expect("utf-8"),
        "--csv",
        csv_path.to_str().expect("utf-8"),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&svg_path).expect("svg written");
    let doc = roxmltree::Document::parse(&text).expect("XML");
    let legend = legend_text(&doc);
    assert!(legend.contains("SGD (diverged, step"), "{legend}");
    assert!(text.contains("Too large a step diverges"));
    let (config, gamma) =
        parse_header(&std::fs::read_to_string(&csv_path).expect("csv")).expect("header");
    assert_eq!((config.gamma, config.steps, gamma), (Some(4.0), 200, 4.0));

    let png_path = dir.path().join("sweep.png");
    let out = figure_cmd(&[
        "--plot",
        "sweep",
        "--alphas",
        "0.05,0.5",
        "--seeds",
        "2",
        "--steps",
        "3000",
        "--scale",
        "1",
        "--out",
        png_path.to_str().expect("utf-8"),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let img = image::open(&png_path).expect("png written").to_rgba8();
    assert_eq!(img.width(), 960);
}

#[test]
fn the_apps_svg_export_and_figure_write_the_same_file_for_the_same_scene_and_steps() {
    let dir = tempfile::tempdir().expect("temp dir");
    let apps = dir.path().join("app");
    let scene = ["--preset", "kernel-vs-rich", "--steps", "3000"];
    let out = Command::new(env!("CARGO_BIN_EXE_dln-explorer"))
        .arg("gui")
        .args(scene)
        .args(["--export-svg", apps.to_str().expect("utf-8")])
        .output()
        .expect("binary runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for plot in ["loss", "coords", "alpha", "error"] {
        let path = dir.path().join(format!("{plot}.svg"));
        let out = figure_cmd(
            &[
                &scene[..],
                &["--plot", plot, "--out", path.to_str().expect("utf-8")],
            ]
            .concat(),
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let app = std::fs::read_to_string(apps.join(format!("dln-{plot}.svg"))).expect("app's svg");
        let figure = std::fs::read_to_string(&path).expect("figure's svg");
        assert!(app.contains("class=\"series\""), "{plot}: no series");
        assert_eq!(app, figure, "{plot}: the app's export and figure differ");
    }
}

#[test]
fn the_per_coordinate_alpha_plot_holds_every_coordinates_exact_alpha_at_the_end() {
    use dln_explorer::experiment::{MethodSet, prepare, run_to_end};
    use dln_explorer::figure::scene::panel;
    let mut config = presets::get("sgd-beats-gd").expect("shipped").config;
    config.steps = 3000;
    let prepared = prepare(config.validate().expect("valid"), None).expect("prepared");
    let support = prepared.problem.support.clone();
    let methods = MethodSet::of(&[MethodKind::Gd, MethodKind::Sgd]);
    let (runs, record) = run_to_end(std::sync::Arc::new(prepared), methods, true).expect("runs");
    let per_coordinate = ViewOptions {
        alpha_per_coordinate: true,
        ..ViewOptions::default()
    };
    let shown = panel(PlotKind::Alpha, &record, per_coordinate).expect("panel");
    let named = panel(PlotKind::AlphaCoords, &record, ViewOptions::default()).expect("panel");
    assert_eq!(
        shown, named,
        "the α plot's per-coordinate view is the alpha-coords plot"
    );
    for run in runs.runs() {
        let t = run.trainer();
        let kind = t.method().kind();
        let p = record.prediction(kind).expect("a prediction at the end");
        assert_eq!(p.step, t.step(), "{kind}: the plot shows the final state");
        let mut exact: Vec<f64> = t.net().alpha_eff().iter().map(|a| a / t.alpha()).collect();
        let mut order: Vec<usize> = (0..exact.len()).collect();
        order.sort_by(|&a, &b| exact[a].total_cmp(&exact[b]));
        let p21: Vec<f64> = order
            .iter()
            .map(|&j| t.alpha_p21()[j] / t.alpha())
            .collect();
        exact.sort_by(f64::total_cmp);
        let series = |name: &str| {
            let s = shown.series.iter().find(|s| s.name == name);
            s.unwrap_or_else(|| panic!("{name} missing")).points.clone()
        };
        let ys = |pts: Vec<[f64; 2]>| pts.iter().map(|q| q[1]).collect::<Vec<f64>>();
        assert_eq!(
            ys(series(kind.label())),
            exact,
            "{kind}: sorted exact α_j/α"
        );
        let rings = series(&format!("{}: support of β*", kind.label()));
        assert_eq!(rings.len(), support.len());
        for [rank, y] in rings {
            assert!(support.contains(&order[rank as usize]) && y == exact[rank as usize]);
        }
        if kind.is_stochastic() {
            assert_eq!(ys(series(&format!("{} (P21 formula)", kind.label()))), p21);
            assert!(exact[0] < 0.99, "{kind}: α shrank somewhere");
        } else {
            assert!(!shown.series.iter().any(|s| s.name == "GD (P21 formula)"));
        }
    }
}

#[test]
fn the_phase_diagram_has_a_cell_per_alpha_and_gamma_and_marks_diverged_cells() {
    use dln_explorer::experiment::summary::summarise;
    use dln_explorer::experiment::sweep::{GammaAxis, SweepSpec, run_sweep};
    use dln_explorer::figure::Cell;
    use dln_explorer::figure::figures::phase;
    let mut config = presets::get("large-steps-help-sgd")
        .expect("shipped")
        .config;
    (config.steps, config.tol) = (20_000, 1e-10);
    let spec = SweepSpec {
        base: config.validate().expect("valid"),
        alphas: vec![0.1, 0.5],
        methods: vec![MethodKind::Gd, MethodKind::Sgd],
        seeds: 2,
        // 0.05 is stable for both; 0.6 is above SGD's γ_max (≈ 0.25) and below GD's (≈ 1).
        gammas: GammaAxis::Values(vec![0.05, 0.6]),
        find_gamma_max: false,
    };
    let never = std::sync::atomic::AtomicBool::new(false);
    let rows = run_sweep(&spec, &|| (), &never).expect("sweep");
    let fig = phase("phase", &spec, &rows);
    assert_eq!(fig.panels.len(), 3, "SGD/GD ratio, GD error, SGD error");
    let cells = summarise(&spec, &rows);
    for (k, panel) in fig.panels.iter().enumerate() {
        let h = panel.heatmap.as_ref().expect("a heatmap");
        assert_eq!(
            (h.xs.clone(), h.ys.clone()),
            (vec![0.1, 0.5], vec![0.05, 0.6])
        );
        for (r, &gamma) in h.ys.iter().enumerate() {
            for (c, &alpha) in h.xs.iter().enumerate() {
                let of = |m: MethodKind| {
                    (cells.iter())
                        .find(|s| s.method == m && s.alpha == alpha && s.gamma == Some(gamma))
                        .expect("cell")
                };
                let sgd_diverged = 2 * of(MethodKind::Sgd).diverged > 2;
                let want = match k {
                    0 if sgd_diverged => Cell::Diverged,
                    0 => Cell::Value(of(MethodKind::Sgd).median_ratio_to_gd.expect("ratio")),
                    1 => Cell::Value(of(MethodKind::Gd).error_quartiles[1]),
                    _ if sgd_diverged => Cell::Diverged,
                    _ => Cell::Value(of(MethodKind::Sgd).error_quartiles[1]),
                };
                assert_eq!(h.cells[r][c], want, "panel {k}, α {alpha}, γ {gamma}");
            }
        }
    }
    // SGD diverges at γ = 0.6: never a colour of the scale.
    assert!(
        fig.panels[0].heatmap.as_ref().unwrap().cells[1]
            .iter()
            .all(|c| *c == Cell::Diverged)
    );
    let text = svg::render(&fig);
    let doc = roxmltree::Document::parse(&text).expect("XML");
    let rects = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("cell"))
        .count();
    assert_eq!(rects, 3 * 4);
    assert!(text.contains(">diverged<"));
    // Each panel's ticks are its grid values, one a cell.
    let first = doc
        .descendants()
        .find(|n| n.attribute("id") == Some("panel-0"))
        .expect("panel 0");
    let ticks: Vec<&str> = (first.descendants())
        .filter(|n| n.attribute("class") == Some("tick"))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(ticks, ["0.1", "0.5", "0.05", "0.6"]);
}

/// A grid spaced unevenly on its axis (the default γ/γ_max fractions) still gets one equal cell
/// per value, each centred on the tick labelled with its value.
#[test]
fn heatmap_cells_are_equal_whatever_the_spacing_of_the_grid() {
    use dln_explorer::figure::Heatmap;
    let fractions = [0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9];
    for log in [true, false] {
        let e = Heatmap::edges(&fractions, log);
        assert_eq!(e.len(), fractions.len() + 1);
        let t = |v: f64| if log { v.log10() } else { v };
        let width = t(e[1]) - t(e[0]);
        for w in e.windows(2) {
            assert!(
                (t(w[1]) - t(w[0]) - width).abs() < 1e-12 * width.abs().max(1.0),
                "{e:?}"
            );
        }
        let c = Heatmap::centres(&fractions, log);
        for (k, w) in e.windows(2).enumerate() {
            assert!(w[0] < c[k] && c[k] < w[1], "cell {k}: {c:?} in {e:?}");
        }
    }
    // An evenly spaced grid keeps its values as the centres.
    let even = [0.01, 0.1, 1.0];
    for (c, v) in Heatmap::centres(&even, true).iter().zip(even) {
        assert!((c / v - 1.0).abs() < 1e-12, "{c} vs {v}");
    }
}
