//! The link codec both ways: every shipped scene and lesson, every scene key, malformed links.

use proptest::prelude::*;

use super::*;
use crate::presets::SceneAxis;

fn scene_of(link: &str) -> Preset {
    match decode(link) {
        Ok(Linked::Scene(p)) => *p,
        other => panic!("{link}: {other:?}"),
    }
}

#[test]
fn every_shipped_scene_is_its_name_and_round_trips() {
    for p in presets::list() {
        let fragment = encode_scene(&p);
        assert_eq!(fragment, format!("v=1&scene={}", p.name));
        assert_eq!(scene_of(&fragment), p);
    }
}

#[test]
fn a_changed_scene_lists_only_what_changed_and_round_trips() {
    let mut p = presets::get("kernel-vs-rich").unwrap();
    p.config.alpha = 0.05;
    p.config.gamma = Some(1e-3);
    p.config.gamma_rule = None;
    p.config.design = Some("anisotropic:10".into());
    p.title = "α & γ: 50% = \"half\"".into();
    p.methods = Some(vec![MethodKind::Gd, MethodKind::LabelNoise]);
    p.x_axis = Some(SceneAxis::Tau);
    let fragment = encode_scene(&p);
    let expected = "v=1&scene=kernel-vs-rich&title=%CE%B1%20%26%20%CE%B3:%2050%25%20%3D%20%22half%22\
        &methods=gd,label-noise&x_axis=tau&alpha=0.05&design=anisotropic:10&gamma=0.001&gamma_rule=";
    assert_eq!(fragment, expected);
    let url = url("https://example.org/app/#old", &fragment);
    assert!(url.starts_with("https://example.org/app/#v=1&"), "{url}");
    assert_eq!(scene_of(&url), p);
}

#[test]
fn every_lesson_step_is_a_link() {
    for lesson in crate::lessons::list() {
        for step in 1..=lesson.steps.len() {
            let link = url(PAGE, &encode_lesson(&lesson.name, step));
            let name = lesson.name.clone();
            assert_eq!(decode(&link), Ok(Linked::Lesson { name, step }));
        }
    }
    // The short form (no version) opens step 1.
    assert_eq!(scene_of("#methods=").methods, None);
    let first = decode("#lesson=sgd-sparser");
    assert_eq!(
        first,
        Ok(Linked::Lesson {
            name: "sgd-sparser".into(),
            step: 1
        })
    );
}

#[test]
fn a_malformed_link_names_what_is_wrong() {
    let cases = [
        ("#section-2", "'section-2' is not a scene key"),
        (
            "#v=1&colour=red",
            "'colour' is not a scene key (allowed: v, scene",
        ),
        (
            "#v=2&scene=sgd-beats-gd",
            "v=2 is not a link version this app reads (v=1)",
        ),
        (
            "#scene=nope",
            "scene=nope: must name a shipped scene (sgd-beats-gd,",
        ),
        (
            "#scene=/etc/passwd.toml",
            "scene=/etc/passwd.toml: must name a shipped scene",
        ),
        (
            "#lesson=mine.toml",
            "lesson=mine.toml: must name a shipped lesson",
        ),
        (
            "#lesson=sgd-sparser&step=0",
            "step=0: must be an integer in 1..=",
        ),
        ("#lesson=sgd-sparser&alpha=1", "'alpha' is not a scene key"),
        ("#methods=gd,adam", "methods=gd,adam: "),
        ("#methods=,", "methods=,: "),
        ("#x_axis=depth", "x_axis=depth: must be steps, time or tau"),
        ("#n=forty", "link: "),
        ("#alpha=1%0An%3D3", "link: "),
    ];
    for (link, expected) in cases {
        let message = decode(link)
            .map(|l| format!("{l:?}"))
            .unwrap_err()
            .to_string();
        assert!(message.contains(expected), "{link}: {message}");
        assert!(!message.contains('\n'), "{link}: {message}");
    }
}

fn float() -> impl Strategy<Value = f64> {
    prop_oneof![0.0..1e6, (1e-300..1e300f64), Just(f64::INFINITY), Just(1.0)]
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,12}",
        Just(String::new()),
        Just("1".to_string()),
        Just("true".to_string()),
        Just("\"q\"".to_string()),
        Just("a&b=c#d%e".to_string())
    ]
}

fn maybe<T: std::fmt::Debug + Clone>(
    s: impl Strategy<Value = T>,
) -> impl Strategy<Value = Option<T>> {
    prop::option::of(s)
}

prop_compose! {
    fn configs()(
        (n, d, s, seed, n_test, batch, steps) in (any::<usize>(), any::<usize>(), any::<usize>(),
            0..=crate::model::config::MAX_SEED, any::<usize>(), any::<usize>(), any::<u32>()),
        (noise, alpha, sigma_label, sigma_iso, tol) in (float(), float(), float(), float(), float()),
        (gamma, h, noise_steps, weight_decay, momentum, sam_radius) in
            (maybe(float()), maybe(float()), maybe(any::<u32>()), float(), float(), float()),
        (method, gamma_rule, design, beta_star, data, schedule) in
            (text(), maybe(text()), maybe(text()), maybe(text()), maybe(text()), text()),
    ) -> Config {
        let small = |v: usize| v % (i64::MAX as usize);
        Config {
            n: small(n), d: small(d), s: small(s), seed, n_test: small(n_test),
            batch: small(batch), steps: u64::from(steps), noise, alpha, sigma_label, sigma_iso,
            tol, gamma, h, noise_steps: noise_steps.map(u64::from), weight_decay, momentum, sam_radius, schedule, method,
            gamma_rule, design, beta_star, data,
        }
    }
}

proptest! {
    #[test]
    fn every_scene_key_round_trips(
        config in configs(),
        base in prop::sample::select(presets::names().collect::<Vec<_>>()),
        shipped in any::<bool>(),
        (title, caption) in (text(), text()),
        methods in maybe(prop::sample::subsequence(MethodKind::ALL.to_vec(), 1..=MethodKind::ALL.len())),
        x_axis in maybe(prop::sample::select(vec![SceneAxis::Steps, SceneAxis::Time, SceneAxis::Tau])),
    ) {
        let name = if shipped { base.to_string() } else { "mine".to_string() };
        let p = Preset { name, title, caption, config, methods, x_axis };
        let fragment = encode_scene(&p);
        prop_assert!(!fragment.contains(['#', ' ', '\n']), "{}", fragment);
        prop_assert_eq!(scene_of(&fragment), p);
    }
}

#[test]
fn a_changed_shipped_scene_opens_as_that_scene_modified() {
    let (settings, scene, lesson) =
        open("#v=1&scene=kernel-vs-rich&alpha=0.05&n=30").expect("opens");
    assert_eq!(
        (settings.alpha, settings.problem.n, lesson.is_none()),
        (0.05, 30, true)
    );
    let shipped = presets::get("kernel-vs-rich").expect("shipped");
    assert_eq!(scene.config, shipped.config, "shown as the shipped scene");
    let mut now = shipped.config.clone();
    (now.alpha, now.n) = (0.05, 30);
    let caption = scene.caption_for(&now);
    assert!(
        caption.contains("modified: n 40 → 30, α 2 → 0.05"),
        "{caption}"
    );
}
