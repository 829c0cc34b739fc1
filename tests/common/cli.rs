//! What the command-line tests share: running the binary and checking its one-line errors.
// Each test binary uses its own subset of these.
#![allow(dead_code)]

use std::process::{Command, Output};

/// Runs the binary with `args`.
pub fn bin(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dln-explorer"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// The standard error of a run, as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts exit status 2 and one stderr line containing every fragment.
pub fn fails_with(args: &[&str], fragments: &[&str]) {
    let o = bin(args);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{args:?} → {err}");
    assert_eq!(
        err.trim_end().lines().count(),
        1,
        "{args:?} must print one line, got:\n{err}"
    );
    for f in fragments {
        assert!(err.contains(f), "{args:?}: «{err}» lacks «{f}»");
    }
}
