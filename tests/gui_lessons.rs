//! GUI tests of lessons through the real UI (egui_kittest, inline simulation): each shipped
//! lesson opened from the Lesson menu and stepped through with PageDown, each step applying the
//! settings it names; the lesson's own state wins over the sliders; → / ← turn pages only while a
//! lesson is open.

mod common;

use dln_explorer::app::lesson::{self, EXIT, NEXT};
use dln_explorer::app::{App, controls};
use dln_explorer::cli::SimArgs;
use dln_explorer::lessons::{self, Lesson};
use dln_explorer::model::{MethodKind, Settings};
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
    common::harness(App::inline(&settings(), 200), 3)
}

/// Opens `lesson` from the Lesson menu.
fn open_from_menu(h: &mut Harness<'static, App>, lesson: &Lesson) {
    h.get_by_label("Lesson").click();
    h.run_steps(2);
    h.get_by_label(&lesson.title).click();
    h.run_steps(3);
}

fn lesson_named(name: &str) -> Lesson {
    lessons::get(name).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Asserts that the app shows step `k` of `lesson`: its settings in the controls and in the
/// running scene, its methods, its highlighted plot, its sweep, its counter and narration.
fn assert_at_step(h: &Harness<'static, App>, lesson: &Lesson, k: usize) {
    let app = h.state();
    let step = &lesson.steps[k];
    let what = format!("{} step {}", lesson.name, k + 1);
    assert_eq!(app.lesson().map(|l| l.at), Some(k), "{what}");
    let expected = step.scene.config.validate().expect("validated at load");
    assert_eq!(app.controls().settings, expected, "{what}: controls");
    let info = app.live().info.clone().expect("run info");
    assert_eq!(info.scene.problem, expected.problem, "{what}: running data");
    assert_eq!(info.scene.alpha, expected.alpha, "{what}: running α");
    assert_eq!(
        info.scene.step_size, expected.step_size,
        "{what}: running γ"
    );
    assert_eq!(info.scene.batch, expected.batch, "{what}: running b");
    let methods: Vec<MethodKind> = app.controls().methods.iter().collect();
    assert_eq!(Some(methods.clone()), step.scene.methods, "{what}: methods");
    let running: Vec<MethodKind> = app.live().histories.iter().map(|(k, _)| *k).collect();
    assert_eq!(running, methods, "{what}: running methods");
    assert_eq!(
        app.highlighted(),
        lesson::view(step.highlight).0,
        "{what}: highlight"
    );
    if let Some(sweep) = &step.sweep {
        // The panel's controls describe the lesson's grid (checked against the lesson's spec).
        let want = sweep.spec(&step.scene.config).expect("checked at load");
        let got = app
            .sweep_panel()
            .sweep_spec(&app.controls().config())
            .expect("panel grid valid");
        assert_eq!(got.alphas, want.alphas, "{what}: sweep α");
        assert_eq!(got.gammas, want.gammas, "{what}: sweep γ");
        assert_eq!(got.seeds, want.seeds, "{what}: sweep seeds");
        assert_eq!(got.methods, want.methods, "{what}: sweep methods");
    }
    let counter = format!("step {} / {}", k + 1, lesson.steps.len());
    assert!(h.query_by_label(&counter).is_some(), "{what}: {counter}");
    assert!(
        h.query_by_label(&step.narration).is_some(),
        "{what}: narration on screen"
    );
}

/// Opens the Lesson menu and presses Enter in its file field (the path typed there).
fn open_typed_path(h: &mut Harness<'_, App>) {
    h.get_by_label("Lesson").click();
    h.run_steps(2);
    h.get_by_role_and_label(Role::TextInput, "file").focus();
    h.run_steps(1);
    h.key_press(egui::Key::Enter);
    h.run_steps(3);
}

#[test]
fn every_shipped_lesson_steps_through_with_page_down() {
    for lesson in lessons::list() {
        let mut h = harness();
        open_from_menu(&mut h, &lesson);
        for k in 0..lesson.steps.len() {
            assert_at_step(&h, &lesson, k);
            h.key_press(egui::Key::PageDown);
            h.run_steps(3);
        }
        // PageDown at the last step stays there.
        assert_at_step(&h, &lesson, lesson.steps.len() - 1);
    }
}

#[test]
fn a_step_starts_from_the_lessons_state_not_the_sliders() {
    let lesson = lesson_named("sgd-sparser");
    let mut h = harness();
    open_from_menu(&mut h, &lesson);
    assert_at_step(&h, &lesson, 0);
    // The sliders stay live inside a lesson.
    h.get_by_role_and_label(Role::Slider, controls::ALPHA)
        .set_value_accesskit(0.5);
    h.get_by_role_and_label(Role::Slider, controls::BATCH)
        .set_value_accesskit(3.0);
    h.run_steps(3);
    assert_eq!(h.state().controls().settings.alpha, 0.5);
    assert_eq!(
        h.state().live().info.as_ref().map(|i| i.scene.alpha),
        Some(0.5)
    );
    // The next step is the lesson's, the fiddling forgotten; so is the way back.
    h.get_by_label(NEXT).click();
    h.run_steps(3);
    assert_at_step(&h, &lesson, 1);
    h.key_press(egui::Key::PageUp);
    h.run_steps(3);
    assert_at_step(&h, &lesson, 0);
}

#[test]
fn arrows_turn_pages_only_while_a_lesson_is_open() {
    let lesson = lesson_named("sgd-sparser");
    let mut h = harness();
    open_from_menu(&mut h, &lesson);
    h.key_press(egui::Key::ArrowRight);
    h.run_steps(3);
    assert_at_step(&h, &lesson, 1);
    h.key_press(egui::Key::ArrowLeft);
    h.run_steps(3);
    assert_at_step(&h, &lesson, 0);
    // → did not step the runs: they still play.
    assert!(h.state().live().playing);

    h.get_by_label(EXIT).click();
    h.run_steps(3);
    assert!(h.state().lesson().is_none());
    assert_eq!(h.state().highlighted(), None);
    assert!(h.query_by_label(NEXT).is_none(), "the strip is gone");
    // Without a lesson → is one step of the runs again (it pauses them).
    h.key_press(egui::Key::ArrowRight);
    h.run_steps(2);
    assert!(!h.state().live().playing);
}

#[test]
fn a_lesson_file_opens_from_the_menu_and_a_bad_one_says_its_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let good = dir.path().join("mine.toml");
    std::fs::write(
        &good,
        "title = \"Mine\"\n[[step]]\nscene = \"kernel-vs-rich\"\nnarration = \"Large α.\"\nhighlight = \"error\"\n",
    )
    .expect("write");
    let mut h = harness();
    h.state_mut().menus_mut().lesson_path = good.display().to_string();
    open_typed_path(&mut h);
    let lesson = lessons::load_file(&good).expect("valid");
    assert_at_step(&h, &lesson, 0);

    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "title = \"Bad\"\n[[step]]\nnarration = \"x\"\nhighlight = \"los\"\n",
    )
    .expect("write");
    h.state_mut().menus_mut().lesson_path = bad.display().to_string();
    open_typed_path(&mut h);
    let notice = h.state_mut().menus_mut().notice().unwrap_or_default();
    assert!(
        notice.contains("bad.toml") && notice.contains("line 4"),
        "{notice}"
    );
    // The open lesson is kept.
    assert_at_step(&h, &lesson, 0);
}

/// A link opens its lesson at its step or its scene, whose own link is the same fragment; a
/// broken link opens the default scene and says why.
#[test]
fn a_link_opens_its_lesson_step_or_scene_and_a_broken_one_the_default_scene() {
    use dln_explorer::app::launch::Launch;
    let ctx = egui::Context::default();
    let mut app = Launch::from_link("https://x/#v=1&lesson=large-steps&step=2").build(&ctx, None);
    let open = app.lesson().expect("the lesson is open");
    assert_eq!((open.lesson.name.as_str(), open.at), ("large-steps", 1));
    assert_eq!(app.link(), "v=1&lesson=large-steps&step=2");

    let fragment = "v=1&scene=kernel-vs-rich&alpha=0.05&n=30";
    app = Launch::from_link(&format!("#{fragment}")).build(&ctx, None);
    assert_eq!(app.controls().settings.alpha, 0.05);
    assert_eq!(app.controls().settings.problem.n, 30);
    assert!(app.lesson().is_none());
    assert_eq!(app.link(), fragment, "Copy link gives the link back");
    let scene = app.controls().preset.as_ref().expect("the scene");
    let caption = scene.caption_for(&app.controls().config());
    assert!(
        caption.contains("modified: ") && caption.contains("α 2 → 0.05"),
        "{caption}"
    );

    app = Launch::from_link("#v=1&scene=nope").build(&ctx, None);
    let preset = app.controls().preset.as_ref().map(|p| p.name.clone());
    assert_eq!(preset.as_deref(), Some("sgd-beats-gd"));
    let notice = app.menus_mut().notice.lock().expect("notice").clone();
    let notice = notice.expect("a notice");
    assert!(
        notice.contains("the default scene") && notice.contains("scene=nope"),
        "{notice}"
    );
}
