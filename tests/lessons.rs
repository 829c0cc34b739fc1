//! Lesson files: steps applied on the previous state, line-numbered errors, the shipped lessons.

use dln_explorer::lessons::{Highlight, LessonError, get, list, names, parse};
use dln_explorer::model::{Config, MethodKind};
use dln_explorer::presets;

const GOOD: &str = r#"title = "T"

[[step]]
scene = "kernel-vs-rich"
narration = "one"
highlight = "coords"

[[step]]
title = "smaller α"
methods = ["gd", "sgd"]
narration = """
two
lines"""
[step.config]
alpha = 0.01
gamma = 0.02

[[step]]
narration = "three"
config = { gamma_rule = "stable:1.5", batch = 4 }
"#;

#[test]
fn steps_apply_changes_on_the_previous_state() {
    let lesson = parse("t", GOOD).expect("valid lesson");
    assert_eq!(lesson.steps.len(), 3);
    let kernel = presets::get("kernel-vs-rich").expect("shipped").config;
    let [a, b, c] = &lesson.steps[..] else {
        panic!("three steps")
    };
    assert_eq!(a.scene.config, kernel);
    assert_eq!(a.highlight, Some(Highlight::Coords));
    assert_eq!(a.title, "Step 1");
    assert_eq!(
        a.scene.methods.as_deref(),
        Some(&[MethodKind::Gd, MethodKind::Sgd, MethodKind::Sgf][..])
    );
    // Step 2: α and a fixed γ on top of step 1; everything else kept.
    let expected = Config {
        alpha: 0.01,
        gamma: Some(0.02),
        gamma_rule: None,
        ..kernel.clone()
    };
    assert_eq!(b.scene.config, expected);
    assert_eq!(b.narration, "two lines");
    assert_eq!(b.title, "smaller α");
    assert_eq!(
        b.scene.methods.as_deref(),
        Some(&[MethodKind::Gd, MethodKind::Sgd][..])
    );
    // Step 3: a rule replaces the fixed γ; α and the methods carry over.
    let expected = Config {
        gamma: None,
        gamma_rule: Some("stable:1.5".into()),
        batch: 4,
        ..expected
    };
    assert_eq!(c.scene.config, expected);
    assert_eq!(c.scene.methods, b.scene.methods);
    assert_eq!(c.highlight, None);
}

/// The error of `text`, which must be invalid.
fn error(text: &str) -> String {
    match parse("bad", text) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(e) => e,
    }
}

#[test]
fn bad_lessons_name_their_line() {
    let typo = "title = \"T\"\n\n[[step]]\nnarration = \"x\"\n[step.config]\nalpah = 0.1\n";
    let e = error(typo);
    assert!(e.starts_with("line 6: "), "{e}");
    assert!(e.contains("alpah"), "{e}");

    let highlight = "title = \"T\"\n[[step]]\nnarration = \"x\"\nhighlight = \"los\"\n";
    let e = error(highlight);
    assert!(e.starts_with("line 4: "), "{e}");
    assert!(e.contains("loss") && e.contains("los"), "{e}");

    // Out of range: the step's line and the value's range.
    let range = "title = \"T\"\n[[step]]\nnarration = \"a\"\n\n[[step]]\nnarration = \"b\"\nconfig = { alpha = -1.0 }\n";
    let e = error(range);
    assert!(e.starts_with("line 5: step 2: invalid alpha = -1"), "{e}");

    let scene = "title = \"T\"\n[[step]]\nnarration = \"a\"\nscene = \"nope\"\n";
    let e = error(scene);
    assert!(
        e.starts_with("line 2: step 1: unknown preset 'nope'"),
        "{e}"
    );

    let broken = "title = \"T\"\n[[step]]\nnarration = \"a\n";
    assert!(error(broken).starts_with("line 3: "), "{}", error(broken));
    assert!(error("title = \"T\"\n").contains("step"));
    assert_eq!(
        error("title = \"T\"\nstep = []\n"),
        "line 1: a lesson needs at least one [[step]]"
    );
    let sweep =
        "title = \"T\"\n[[step]]\nnarration = \"a\"\n[step.sweep]\ngamma_fractions = [0.5, 0.5]\n";
    let e = error(sweep);
    assert!(e.starts_with("line 2: step 1: sweep: "), "{e}");
}

#[test]
fn shipped_lessons_load() {
    for name in names() {
        let lesson = get(name).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!((6..=9).contains(&lesson.steps.len()), "{name}");
        for step in &lesson.steps {
            assert!(!step.narration.is_empty(), "{name}: {}", step.title);
        }
    }
    assert_eq!(list().len(), names().count());
    assert!(matches!(get("nope"), Err(LessonError::Unknown { .. })));
}
