//! Data files dropped on the app's window (kittest, inline backend): a NumPy `.npz` restarts
//! the runs on its X and y; a bad file says why and leaves the scene as it was.

mod common;

use common::harness;
use std::path::Path;

use dln_explorer::app::App;
use dln_explorer::cli::SimArgs;
use dln_explorer::model::Settings;
use eframe::egui;
use egui_kittest::Harness;

fn settings() -> Settings {
    common::settings(SimArgs {
        steps: Some(2000),
        gamma: Some(0.05),
        ..SimArgs::default()
    })
}

/// A file dropped from the disk, as the native integration hands it over.
#[derive(Debug)]
struct OnDisk(std::path::PathBuf);

impl egui::DroppedFile for OnDisk {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

fn drop_file(h: &mut Harness<'_, App>, name: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(OnDisk(path)));
    // The file is read on its own thread: frames go on until it has been used.
    h.run_steps(1);
    for _ in 0..500 {
        if !h.state().is_loading() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
        h.run_steps(1);
    }
    assert!(
        !h.state().is_loading(),
        "the file is still loading after 5 s"
    );
    h.run_steps(30);
}

#[test]
fn a_dropped_npz_restarts_on_its_data_and_a_bad_file_changes_nothing() {
    let mut h = harness(App::inline(&settings(), 100), 2);
    drop_file(&mut h, "numpy.npz");
    let problem = &h.state().controls().settings.problem;
    assert_eq!((problem.n, problem.d), (4, 6), "the file's sizes");
    let data = problem.source.data.as_ref().expect("loaded data");
    assert!(data.name.ends_with("numpy.npz"), "{}", data.name);
    assert_eq!(
        h.state().controls().title(),
        "numpy.npz",
        "exports are titled by the data"
    );
    let info = h.state().live().info.clone().expect("the runs restarted");
    assert_eq!((info.scene.problem.n, info.scene.problem.d), (4, 6));
    let before = h.state().controls().settings.clone();
    drop_file(&mut h, "bad_nan.npz");
    let notice = h.state_mut().menus_mut().notice().unwrap_or_default();
    assert!(notice.contains("NaN at row 2, column 3"), "{notice}");
    assert_eq!(
        h.state().controls().settings,
        before,
        "the scene stays as it was"
    );
}

/// With n ≥ d the stable rule has no limit to take half of: the plots stayed blank at
/// "running · step 0". The runs now go on at a fixed γ, and the app says so.
#[test]
fn n_at_least_d_runs_at_a_fixed_gamma_and_says_so() {
    let s = common::settings(SimArgs {
        n: Some(100),
        d: Some(100),
        steps: Some(300),
        ..SimArgs::default()
    });
    let mut h = harness(App::inline(&s, 100), 6);
    let notice = h.state_mut().menus_mut().notice().unwrap_or_default();
    assert!(
        notice.contains("n = 100 ≥ d = 100") && notice.contains("γ fixed at 0.01"),
        "{notice}"
    );
    let info = h.state().live().info.clone().expect("the runs started");
    assert_eq!(info.gamma, 0.01);
    let gd = dln_explorer::model::MethodKind::Gd;
    let step = h.state().live().latest(gd).map(|p| p.sample.step);
    assert!(step.is_some_and(|k| k > 0), "{step:?}");
}
