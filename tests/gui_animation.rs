//! Export → Animation… in the app: the window, the background render and the GIF it writes.

mod common;

use common::harness;
use dln_explorer::app::App;
use dln_explorer::app::animation::{RENDER, WINDOW};
use dln_explorer::cli::SimArgs;
use dln_explorer::model::Settings;
use egui_kittest::kittest::Queryable;
use image::AnimationDecoder;

fn settings() -> Settings {
    common::settings(SimArgs {
        n: Some(20),
        d: Some(40),
        s: Some(3),
        steps: Some(2000),
        ..SimArgs::default()
    })
}

#[test]
fn export_animation_renders_the_2x2_view_in_the_background() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(App::inline(&settings(), 500), 4);
    h.state_mut().menus_mut().export_dir = dir.path().display().to_string();
    h.get_by_label("Export").click();
    h.run_steps(2);
    h.get_by_label("Animation…").click();
    h.run_steps(2);
    assert!(h.query_by_label(WINDOW).is_some(), "the window opens");
    h.state_mut().animation_mut().frames = 4;
    h.get_by_label(RENDER).click();
    h.run_steps(1);
    assert!(h.state().animating(), "rendering in the background");
    let mut saw_progress = false;
    for _ in 0..3000 {
        h.run_steps(1);
        let notice = h.state_mut().menus_mut().notice().unwrap_or_default();
        saw_progress |= notice.contains("rendering the animation");
        if !h.state().animating() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(!h.state().animating(), "done within 30 s");
    assert!(saw_progress, "the notice shows the progress");
    let path = dir.path().join("dln-2x2.gif");
    let notice = h.state_mut().menus_mut().notice().unwrap_or_default();
    assert!(notice.contains("dln-2x2.gif"), "{notice}");
    let file = std::io::BufReader::new(std::fs::File::open(&path).expect("the GIF"));
    let decoder = image::codecs::gif::GifDecoder::new(file).expect("a GIF");
    let frames = decoder.into_frames().collect_frames().expect("frames");
    assert_eq!(frames.len(), 4);
    assert!(frames.iter().all(|f| f.buffer().width() == 960));
}
