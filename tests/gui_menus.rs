//! GUI tests of presentation mode, the export menu, scenario files, help and the α-sweep window,
//! driven through the real menus and shortcuts with egui_kittest.

mod common;

use dln_explorer::app::commands::{self, Action, COMMANDS};
use dln_explorer::app::{App, controls};
use dln_explorer::cli::SimArgs;
use dln_explorer::model::{MethodKind, Settings};
use dln_explorer::presets;
use eframe::egui::{self, accesskit::Role};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

fn settings() -> Settings {
    common::settings(SimArgs {
        steps: Some(2000),
        ..SimArgs::default()
    })
}

fn harness() -> Harness<'static, App> {
    common::harness(App::inline(&settings(), 500), 6)
}

/// Runs frames until the app's background file writes are done (at most ~10 s).
fn until_written(h: &mut Harness<'static, App>) {
    for _ in 0..1000 {
        h.run_steps(1);
        if !h.state().writing() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("files still being written after 10 s");
}

fn open_menu(h: &mut Harness<'static, App>, name: &str) {
    h.get_by_label(name).click();
    h.run_steps(2);
}

#[test]
fn f5_toggles_presentation_mode() {
    let mut h = harness();
    assert!(!h.state().presentation());
    assert!(
        h.query_by_role_and_label(Role::Slider, controls::ALPHA)
            .is_some()
    );
    h.key_press(egui::Key::F5);
    h.run_steps(3);
    assert!(h.state().presentation());
    assert!(!h.ctx.global_style().visuals.dark_mode, "light theme");
    assert!(h.ctx.zoom_factor() > 1.2, "large type");
    assert!(
        h.query_by_role_and_label(Role::Slider, controls::N)
            .is_none(),
        "the side panel collapsed"
    );
    // The strip keeps what a caption or lesson may ask for: α, γ and b, and moving one restarts.
    for label in [controls::ALPHA, controls::GAMMA, controls::BATCH] {
        assert!(
            h.query_by_role_and_label(Role::Slider, label).is_some(),
            "{label}"
        );
    }
    let run = h.state().live().run;
    h.get_by_role_and_label(Role::Slider, controls::ALPHA)
        .set_value_accesskit(0.01);
    h.run_steps(2);
    assert!(h.state().live().run > run, "α restarted the runs");
    let alpha = (h.state().live().info.as_ref()).map(|i| i.scene.alpha);
    assert_eq!(alpha, Some(0.01));
    assert!(
        h.query_all_by_label_contains("PRESENTATION")
            .next()
            .is_some(),
        "visible indicator"
    );
    h.key_press(egui::Key::F5);
    h.run_steps(3);
    assert!(!h.state().presentation());
    assert!(h.ctx.global_style().visuals.dark_mode);
    assert!(
        h.query_by_role_and_label(Role::Slider, controls::N)
            .is_some()
    );
}

#[test]
fn view_menu_item_enters_presentation_and_ctrl_zoom_works() {
    let mut h = harness();
    open_menu(&mut h, "View");
    h.get_by_label_contains(commands::spec(Action::Presentation).label)
        .click();
    h.run_steps(3);
    assert!(h.state().presentation());
    let z = h.ctx.zoom_factor();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Minus);
    h.run_steps(2);
    assert!(h.ctx.zoom_factor() < z);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num0);
    h.run_steps(2);
    assert_eq!(h.ctx.zoom_factor(), 1.0);
}

#[test]
fn export_menu_writes_svg_csv_and_png() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness();
    h.state_mut().menus_mut().export_dir = dir.path().display().to_string();
    open_menu(&mut h, "Export");
    h.get_by_label_contains(commands::spec(Action::ExportSvg).label)
        .click();
    h.run_steps(2);
    until_written(&mut h);
    for plot in ["loss", "coords", "alpha", "error"] {
        let path = dir.path().join(format!("dln-{plot}.svg"));
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let doc = roxmltree::Document::parse(&text).expect("SVG is XML");
        let series = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("series"))
            .count();
        assert!(series >= 3, "{plot}: {series} series");
    }
    let loss = std::fs::read_to_string(dir.path().join("dln-loss.svg")).expect("loss svg");
    for m in ["GD", "SGD", "SGF"] {
        assert!(
            loss.contains(&format!("data-series=\"{m}\"")),
            "loss SVG lacks {m}"
        );
    }
    open_menu(&mut h, "Export");
    h.get_by_label_contains(commands::spec(Action::ExportCsv).label)
        .click();
    h.run_steps(2);
    until_written(&mut h);
    let csv = std::fs::read_to_string(dir.path().join("dln-series.csv")).expect("csv");
    let (config, gamma) = dln_explorer::figure::csv::parse_header(&csv).expect("header parses");
    assert_eq!(config, h.state().controls().config());
    assert!(gamma > 0.0);
    open_menu(&mut h, "Export");
    h.get_by_label("loss plot as PNG (2×)").click();
    h.run_steps(2);
    until_written(&mut h);
    let png = std::fs::read(dir.path().join("dln-loss@2x.png")).expect("png");
    assert_eq!(&png[1..4], b"PNG");
    // One click, one slide: the 2×2 view on a 16:9 page, as SVG and as a 3840×2160 PNG.
    open_menu(&mut h, "Export");
    h.get_by_label("Slide 3840×2160 (PNG + SVG)").click();
    h.run_steps(2);
    until_written(&mut h);
    let svg = std::fs::read_to_string(dir.path().join("dln-slide.svg")).expect("slide svg");
    let panels = svg.matches(r#"class="panel""#).count();
    assert_eq!(panels, 4, "the 2×2 view");
    let png = std::fs::read(dir.path().join("dln-slide-3840x2160.png")).expect("slide png");
    let img = image::load_from_memory(&png).expect("decodes");
    assert_eq!((img.width(), img.height()), (3840, 2160));
}

/// Opens the Scene menu and presses Enter in its file field (the path typed there).
fn load_typed_path(h: &mut Harness<'_, App>) {
    h.get_by_role_and_label(Role::Button, "Scene").click();
    h.run_steps(2);
    h.get_by_role_and_label(Role::TextInput, "file").focus();
    h.run_steps(1);
    h.key_press(egui::Key::Enter);
    h.run_steps(2);
}

#[test]
fn scenario_saves_and_reloads_to_the_same_settings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("mine.toml");
    let mut h = harness();
    h.state_mut().menus_mut().scenario_path = path.display().to_string();
    let p = presets::get("large-steps-help-sgd").expect("preset");
    h.state_mut().load_preset(p);
    h.run_steps(2);
    let saved = h.state().controls().config();
    let ctx = h.ctx.clone();
    h.state_mut().act(&ctx, Action::SaveScenario);
    h.state_mut()
        .load_preset(presets::get("kernel-vs-rich").expect("preset"));
    h.run_steps(2);
    assert_ne!(h.state().controls().config(), saved);
    load_typed_path(&mut h);
    h.run_steps(2);
    assert_eq!(h.state().controls().config(), saved);
    // A malformed file is reported, and the scene stays.
    std::fs::write(
        &path,
        "title = \"x\"\ncaption = \"y\"\n[config]\nalpha = \"big\"\n",
    )
    .expect("write");
    load_typed_path(&mut h);
    h.run_steps(2);
    assert_eq!(h.state().controls().config(), saved);
    assert!(
        h.query_all_by_label_contains("line 4").next().is_some(),
        "the error names the line"
    );
}

#[test]
fn help_lists_every_shortcut_and_sweep_window_opens() {
    let mut h = harness();
    h.key_press(egui::Key::F1);
    h.run_steps(3);
    assert!(
        h.query_all_by_label_contains("The theorem")
            .next()
            .is_some()
    );
    for c in COMMANDS {
        assert!(
            h.query_all_by_label(c.help).next().is_some(),
            "help lacks {}",
            c.label
        );
    }
    h.key_press(egui::Key::F6);
    h.run_steps(3);
    assert!(h.query_by_label("Run sweep").is_some());
}

#[test]
fn right_click_on_a_plot_exports_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness();
    h.state_mut().menus_mut().export_dir = dir.path().display().to_string();
    // The loss plot fills the top-left quarter of the plot area.
    let pos = egui::pos2(600.0, 250.0);
    h.event(egui::Event::PointerMoved(pos));
    for pressed in [true, false] {
        h.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Secondary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        });
    }
    h.run_steps(3);
    h.get_by_label("Export loss plot as SVG").click();
    h.run_steps(2);
    until_written(&mut h);
    let text = std::fs::read_to_string(dir.path().join("dln-loss.svg")).expect("svg written");
    assert!(roxmltree::Document::parse(&text).is_ok());
    assert!(text.contains("data-series=\"SGD\""));
}

#[test]
fn a_scene_file_with_its_own_h_runs_sgf_with_it_and_saves_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("own-h.toml");
    std::fs::write(
        &path,
        "title = \"own h\"\ncaption = \"SGF with h = γ/4\"\n[config]\ngamma = 0.02\nh = 0.005\n",
    )
    .expect("write");
    let mut h = harness();
    h.state_mut().menus_mut().scenario_path = path.display().to_string();
    let ctx = h.ctx.clone();
    load_typed_path(&mut h);
    h.run_steps(6);
    assert_eq!(h.state().controls().config().h, Some(0.005));
    for (kind, dt) in [(MethodKind::Sgf, 0.005), (MethodKind::Gd, 0.02)] {
        let s = h
            .state()
            .live()
            .latest(kind)
            .expect("the method runs")
            .sample;
        assert!(s.step > 0, "{kind:?} has stepped");
        assert!(
            (s.time - dt * s.step as f64).abs() <= 1e-12 * s.time,
            "{kind:?}: time {} after {} steps",
            s.time,
            s.step
        );
    }
    std::fs::remove_file(&path).expect("remove");
    h.state_mut().act(&ctx, Action::SaveScenario);
    h.run_steps(2);
    let text = std::fs::read_to_string(&path).expect("saved");
    let saved = presets::parse("own-h", &text).expect("parses");
    assert_eq!(saved.config.h, Some(0.005));
    let notice = h.state_mut().menus_mut().notice().unwrap_or_default();
    assert!(!notice.contains("replaced"), "{notice}");
    // Saving again over the file says so.
    h.state_mut().act(&ctx, Action::SaveScenario);
    let notice = h.state_mut().menus_mut().notice().unwrap_or_default();
    assert!(notice.contains("replaced the file there"), "{notice}");
}

#[test]
fn every_live_plot_draws_the_panel_its_export_writes_on_log_and_linear_x() {
    use dln_explorer::figure::Scale;
    use dln_explorer::figure::scene::LIVE_PLOTS;
    let mut h = harness();
    h.run_steps(4);
    for log_x in [true, false] {
        if !log_x {
            h.get_by_label("log x").click();
            h.run_steps(2);
        }
        for kind in LIVE_PLOTS {
            let shown = h.state().shown_panel(kind).cloned();
            let Some(shown) = shown else {
                panic!("{kind}: nothing drawn")
            };
            let want = if log_x { Scale::Log } else { Scale::Linear };
            assert_eq!(shown.x.scale, want, "{kind}: x scale");
            assert!(!shown.series.is_empty(), "{kind}: no series");
            assert_eq!(
                Some(shown),
                h.state().exported_panel(kind),
                "{kind}, log x {log_x}"
            );
        }
    }
}

#[test]
fn the_alpha_plot_switches_to_every_coordinate_on_screen_and_in_its_export() {
    use dln_explorer::figure::Scale;
    use dln_explorer::figure::figures::PlotKind;
    let mut h = harness();
    h.run_steps(4);
    let before = h
        .state()
        .shown_panel(PlotKind::Alpha)
        .cloned()
        .expect("α plot");
    assert_eq!(before.x.scale, Scale::Log, "α over time");
    h.get_by_label("α per coordinate").click();
    h.run_steps(3);
    let shown = h
        .state()
        .shown_panel(PlotKind::Alpha)
        .cloned()
        .expect("α plot");
    assert!(
        shown.title.starts_with("α_j/α of every coordinate"),
        "{}",
        shown.title
    );
    assert_eq!(shown.x.scale, Scale::Linear, "coordinates by rank");
    let d = h.state().controls().settings.problem.d;
    let sgd = shown
        .series
        .iter()
        .find(|s| s.name == "SGD")
        .expect("SGD series");
    assert_eq!(sgd.points.len(), d, "every coordinate");
    assert_eq!(Some(shown), h.state().exported_panel(PlotKind::Alpha));
}

/// Kept state in memory, as eframe's storage holds it between launches.
#[derive(Default)]
struct Memory(std::collections::HashMap<String, String>);

impl eframe::Storage for Memory {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }
    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.to_string(), value);
    }
    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }
    fn flush(&mut self) {}
}

/// Presentation mode once leaked into later launches: its zoom was kept as the user's and
/// multiplied again. Now neither the mode nor its zoom is kept; the user's own zoom is.
#[test]
fn presentation_mode_and_its_zoom_are_not_kept_between_launches() {
    let mut h = harness();
    h.ctx.set_zoom_factor(1.5);
    h.run_steps(2);
    h.key_press(egui::Key::F5);
    h.run_steps(3);
    assert!(h.state().presentation());
    assert_ne!(h.ctx.zoom_factor(), 1.5, "presentation zooms to the window");
    let mut storage = Memory::default();
    h.state().save_state(&mut storage);
    let saved = storage.0.values().next().cloned().unwrap_or_default();
    assert!(!saved.contains("presentation"), "{saved}");
    // The next launch: egui's own kept zoom (the presentation zoom) is replaced by the user's.
    let mut next = harness();
    next.ctx.set_zoom_factor(2.5);
    let ctx = next.ctx.clone();
    next.state_mut().restore(&ctx, &storage, false);
    next.run_steps(2);
    assert!(!next.state().presentation());
    assert_eq!(next.ctx.zoom_factor(), 1.5);
    // F5 twice returns to the user's zoom, not to 100 %.
    next.key_press(egui::Key::F5);
    next.run_steps(2);
    next.key_press(egui::Key::F5);
    next.run_steps(2);
    assert_eq!(next.ctx.zoom_factor(), 1.5);
}

/// `--window 1280x720` after a session closed in presentation mode opened an 819×461 window:
/// the size was divided by the zoom egui kept (the presentation zoom), not by the user's.
#[test]
fn the_window_asked_for_is_the_window_opened_whatever_zoom_egui_kept() {
    let ctx = egui::Context::default();
    ctx.set_zoom_factor(1.5625);
    let mut first = ctx.run_ui(egui::RawInput::default(), |_| {});
    first.textures_delta.clear();
    assert_eq!(ctx.zoom_factor(), 1.5625, "egui's kept zoom applies");
    let mut storage = Memory::default();
    let mut user = harness();
    user.ctx.set_zoom_factor(1.25);
    user.run_steps(2);
    user.state().save_state(&mut storage);
    let launch =
        dln_explorer::app::launch::Launch::new(&settings()).window_size(Some([1280.0, 720.0]));
    let _app = launch.build(&ctx, Some(&storage));
    let mut out = ctx.run_ui(egui::RawInput::default(), |_| {});
    out.textures_delta.clear();
    let size = (out.viewport_output.values())
        .flat_map(|v| v.commands.iter())
        .find_map(|c| match c {
            egui::ViewportCommand::InnerSize(s) => Some(*s),
            _ => None,
        })
        .expect("the window is sized");
    // In points at the user's zoom 1.25: 1280×720 pixels.
    assert_eq!(size * 1.25, egui::vec2(1280.0, 720.0));
}

/// Clicking a file-name field inside a menu once closed the menu, and the keys typed next fired
/// the app's shortcuts ("n" → New seed). The menu now stays open and the field takes the text.
#[test]
fn a_file_name_typed_into_the_scene_menu_stays_there_and_fires_no_shortcut() {
    let mut h = harness();
    let seed = h.state().controls().settings.problem.seed;
    // "Scene" also names a side-panel heading: the menu is the first.
    h.get_all_by_label("Scene")
        .next()
        .expect("the Scene menu")
        .click();
    h.run_steps(2);
    let fields = h.get_all_by_role(Role::TextInput).count();
    assert_eq!(fields, 2, "the scene-file and data-file fields");
    h.get_all_by_role(Role::TextInput)
        .nth(1)
        .expect("data field")
        .click();
    h.run_steps(2);
    h.get_all_by_role(Role::TextInput)
        .nth(1)
        .expect("still open")
        .focus();
    h.run_steps(1);
    h.get_all_by_role(Role::TextInput)
        .nth(1)
        .expect("still open")
        .type_text("mine.npz");
    h.run_steps(2);
    assert!(
        h.state_mut().menus_mut().data_path.ends_with("mine.npz"),
        "{}",
        h.state_mut().menus_mut().data_path
    );
    assert_eq!(
        h.state().controls().settings.problem.seed,
        seed,
        "no New seed"
    );
    assert_eq!(
        h.get_all_by_role(Role::TextInput).count(),
        2,
        "the menu is open"
    );
}
