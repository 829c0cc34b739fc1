//! `gui --lesson` and `gui --link`: every bad lesson, link, step or flag combination fails before a
//! window opens, with one line and exit status 2; `link` prints links that open their scene.

#[path = "common/cli.rs"]
mod cli_common;

use cli_common::fails_with;

#[test]
fn a_malformed_lesson_file_names_its_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("bad.toml");
    let text = "title = \"Bad\"\n\n[[step]]\nnarration = \"x\"\n[step.config]\nalpha = 0.1\nbatchsize = 4\n";
    std::fs::write(&bad, text).expect("write");
    let path = bad.to_str().expect("UTF-8 path");
    fails_with(
        &["gui", "--lesson", path],
        &["error: invalid file", "bad.toml", "line 7", "batchsize"],
    );
    // Valid TOML, a value out of range: the step's line and the allowed range.
    let text = "title = \"Bad\"\n[[step]]\nnarration = \"x\"\n\n[[step]]\nnarration = \"y\"\n[step.config]\nbatch = 0\n";
    std::fs::write(&bad, text).expect("write");
    fails_with(
        &["gui", "--lesson", path],
        &["line 5: step 2: invalid batch = 0: must be an integer in 1..=n"],
    );
    let missing = dir.path().join("missing.toml");
    fails_with(
        &["gui", "--lesson", missing.to_str().expect("UTF-8")],
        &["cannot access", "missing.toml"],
    );
}

#[test]
fn bad_lesson_names_steps_and_flags() {
    fails_with(
        &["gui", "--lesson", "nope"],
        &["invalid lesson = nope", "sgd-sparser", "large-steps"],
    );
    fails_with(
        &["gui", "--lesson", "sgd-sparser", "--lesson-step", "99"],
        &["invalid lesson-step = 99: must be an integer in 1..=8"],
    );
    fails_with(
        &["gui", "--lesson", "sgd-sparser", "--lesson-step", "0"],
        &["lesson-step = 0"],
    );
    fails_with(
        &["gui", "--lesson", "sgd-sparser", "--alpha", "0.5"],
        &["invalid lesson = sgd-sparser", "--preset"],
    );
    fails_with(
        &["gui", "--lesson-step", "2"],
        &["invalid lesson-step = 2: must be given with --lesson"],
    );
}

#[test]
fn link_prints_what_changed_and_a_bad_link_fails_before_a_window_opens() {
    let out = cli_common::bin(&["link", "--alpha", "0.05", "--n", "20", "--d", "30"]);
    let url = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(out.status.success(), "{}", cli_common::stderr(&out));
    assert!(
        url.ends_with("/#v=1&scene=sgd-beats-gd&alpha=0.05&d=30&n=20"),
        "{url}"
    );
    let base = ["link", "--lesson", "large-steps", "--lesson-step", "2"];
    let out = cli_common::bin(&[&base[..], &["--base", "http://localhost:8000/"]].concat());
    let url = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        url.trim(),
        "http://localhost:8000/#v=1&lesson=large-steps&step=2"
    );
    fails_with(
        &["link", "--lesson", "large-steps", "--lesson-step", "99"],
        &["step=99", "1..="],
    );
    fails_with(&["link", "--alpha", "0"], &["alpha = 0", "> 0"]);
    fails_with(
        &["link", "--lesson-step", "2"],
        &["invalid lesson-step = 2: must be given with --lesson"],
    );
    fails_with(
        &["link", "--lesson", "large-steps", "--alpha", "0.1"],
        &["invalid lesson = large-steps: must be given without the scene flags"],
    );
    fails_with(
        &["gui", "--link", "http://x/#v=1&scene=nope"],
        &["scene=nope", "must name a shipped scene"],
    );
    fails_with(&["gui", "--link", "#v=1&n=3&d=2"], &["link: ", "d"]);
    fails_with(
        &["gui", "--link", "#v=1", "--alpha", "0.1"],
        &["link = #v=1", "without"],
    );
}
