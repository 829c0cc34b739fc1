//! Hostile and careless input, each reproduction of a defect once seen: no panic, no hang,
//! nothing clobbered, bounded memory. Every case ends in one clear line or the right result.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::cli_common::{bin, fails_with, stderr};
use super::{fixture, json};

fn path(p: &Path) -> &str {
    p.to_str().expect("UTF-8 temp path")
}

/// A Fortran-ordered X (documented as accepted) trains exactly as the same X in C order.
#[test]
fn a_fortran_ordered_file_trains_like_its_c_ordered_twin() {
    let run = |file: &str| {
        let f = fixture(file);
        let args = [
            "run",
            "--data",
            path(&f),
            "--method",
            "sgd",
            "--gamma",
            "0.05",
        ];
        json(&[&args[..], &["--steps", "3000", "--json"]].concat())
    };
    let (c, fortran) = (run("numpy.npz"), run("fortran.npz"));
    for key in ["final_loss", "recovery_error", "alpha_ratio", "steps_run"] {
        assert_eq!(c[key], fortran[key], "{key}");
    }
    assert!(
        c["final_loss"].as_f64().expect("loss") < 1e-6,
        "it trained: {c}"
    );
}

/// A `.npz` of one `X.npy` entry with the given header text.
fn npz_with_header(header: &str) -> Vec<u8> {
    let mut npy = b"\x93NUMPY\x01\x00".to_vec();
    let text = format!("{header}\n");
    npy.extend_from_slice(&(text.len() as u16).to_le_bytes());
    npy.extend_from_slice(text.as_bytes());
    npy.extend_from_slice(&[0u8; 8]);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("X.npy", options).expect("entry");
    zip.write_all(&npy).expect("write");
    zip.finish().expect("finish").into_inner()
}

/// Nested brackets in a 64-byte header made parsing time double per level (30 levels: an hour).
#[test]
fn a_deeply_nested_npy_header_is_refused_at_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let f = dir.path().join("nested.npz");
    let nested = format!("{}{}", "[".repeat(30), "]".repeat(30));
    std::fs::write(&f, npz_with_header(&nested)).expect("write");
    let start = Instant::now();
    fails_with(
        &["run", "--data", path(&f)],
        &["nested.npz", "nested more than 3 deep"],
    );
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
}

/// `/dev/zero` as a config grew until memory ran out; a FIFO blocked forever.
#[test]
fn inputs_that_are_not_regular_files_are_refused_before_reading() {
    fails_with(
        &["run", "--config", "/dev/zero"],
        &["/dev/zero", "not a regular file"],
    );
    fails_with(
        &["sweep", "--summary", "/dev/zero"],
        &["not a regular file"],
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let zero = dir.path().join("zero.toml");
    std::os::unix::fs::symlink("/dev/zero", &zero).expect("symlink");
    fails_with(&["gui", "--lesson", path(&zero)], &["not a regular file"]);
    let fifo = dir.path().join("pipe.toml");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|s| s.success()) {
        fails_with(&["run", "--config", path(&fifo)], &["not a regular file"]);
    }
    let big = dir.path().join("big.toml");
    let file = std::fs::File::create(&big).expect("create");
    file.set_len(3 << 30).expect("sparse 3 GB file");
    fails_with(
        &["run", "--config", path(&big)],
        &["too large", "at most 1048576 bytes"],
    );
}

/// A small sweep-CSV header naming 10⁶ α hung in a quadratic duplicate check.
#[test]
fn a_sweep_header_with_a_million_alphas_is_refused_quickly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let f = dir.path().join("sweep.csv");
    let alphas: Vec<String> = (1..=1_000_000).map(|k| format!("{k}e-7")).collect();
    let text = format!(
        "# dln-explorer 0.1.0\n# alphas = [{}]\n# methods = [\"gd\"]\n# seeds = 10000\n# with_gamma_max = false\n# title = \"x\"\n",
        alphas.join(", ")
    );
    std::fs::write(&f, text).expect("write");
    let start = Instant::now();
    fails_with(
        &["sweep", "--summary", path(&f)],
        &["alphas", "at most 1000 values"],
    );
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "{:?}",
        start.elapsed()
    );
}

/// An output naming an input replaced the data with a trajectory and exited 0.
#[test]
fn an_output_naming_an_input_is_refused_and_the_input_kept() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("in.csv");
    std::fs::copy(fixture("data.csv"), &data).expect("copy");
    let before = std::fs::read(&data).expect("read");
    let d = path(&data);
    let run = ["run", "--data", d, "--gamma", "0.01", "--steps", "10"];
    fails_with(
        &[&run[..], &["--csv", d]].concat(),
        &["input of this command"],
    );
    // Another path to the same file is the same input.
    let other = format!("{}/./in.csv", path(dir.path()));
    fails_with(
        &[&run[..], &["--csv", &other]].concat(),
        &["never overwritten"],
    );
    assert_eq!(std::fs::read(&data).expect("read"), before);
    let scene = dir.path().join("s.toml");
    std::fs::write(&scene, "steps = 10\n").expect("write");
    let s = path(&scene);
    fails_with(
        &["run", "--config", s, "--csv", s],
        &["input of this command"],
    );
    assert_eq!(
        std::fs::read_to_string(&scene).expect("read"),
        "steps = 10\n"
    );
}

/// `run --json | true` and `run --json > /dev/full` exited 101 with a backtrace.
#[test]
fn a_closed_or_full_stdout_ends_without_a_panic() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dln-explorer"))
        .args(["run", "--steps", "50", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take());
    let o = child.wait_with_output().expect("wait");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(o.stderr.is_empty(), "{}", stderr(&o));
    if Path::new("/dev/full").exists() {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full");
        let o = Command::new(env!("CARGO_BIN_EXE_dln-explorer"))
            .args(["run", "--steps", "50", "--json"])
            .stdout(full)
            .output()
            .expect("run");
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        let err = stderr(&o);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("cannot write to standard output"), "{err}");
    }
}

/// A scene file with `methods = []` made the app wait forever.
#[test]
fn a_scene_without_methods_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let f = dir.path().join("none.toml");
    std::fs::write(
        &f,
        "title = \"t\"\ncaption = \"c\"\nmethods = []\n[config]\nn = 20\n",
    )
    .expect("write");
    let err = dln_explorer::presets::load_file(&f).expect_err("refused");
    assert!(err.to_string().contains("line 3: methods = []"), "{err}");
    fails_with(
        &["gui", "--config", path(&f), "--screenshot", "x.png"],
        &["methods = []"],
    );
}

/// A CSV with two `y` columns trained on one of them in silence.
#[test]
fn a_csv_with_two_label_columns_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let f = dir.path().join("two.csv");
    std::fs::write(&f, "x1,y,x2,y\n1,2,3,4\n5,6,7,8\n").expect("write");
    fails_with(
        &["run", "--data", path(&f)],
        &["2 columns are named y (columns 2, 4)"],
    );
}

/// A CSV line without end is refused at its cap, not buffered whole.
#[test]
fn a_csv_line_without_end_is_refused_at_its_cap() {
    let dir = tempfile::tempdir().expect("temp dir");
    let f = dir.path().join("long.csv");
    let mut text = String::from("x1,y\n");
    text.push_str(&"1".repeat(7_000_000));
    std::fs::write(&f, text).expect("write");
    fails_with(&["run", "--data", path(&f)], &["a line longer than"]);
}

/// A sweep on a `--data` file is read back by `--summary` and `figure --from`, and a plotted
/// value of 5e-324 (which once hung the tick loop) draws.
#[test]
fn a_data_sweep_reads_back_and_a_subnormal_value_draws() {
    let dir = tempfile::tempdir().expect("temp dir");
    let csv = dir.path().join("sweep.csv");
    let data = fixture("numpy.npz");
    let o = bin(&[
        "sweep",
        "--data",
        path(&data),
        "--alphas",
        "0.1,1",
        "--methods",
        "gd,sgd",
        "--seeds",
        "2",
        "--gamma",
        "0.05",
        "--steps",
        "200",
        "--csv",
        path(&csv),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = bin(&["sweep", "--summary", path(&csv), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // Every run's recovery error becomes the smallest double, so the plotted medians are too.
    let text = std::fs::read_to_string(&csv).expect("read");
    let tiny: Vec<String> = (text.lines())
        .map(|line| {
            let mut fields: Vec<&str> = line.split(',').collect();
            if !line.starts_with(['#', 'a']) {
                fields[6] = "5e-324";
            }
            fields.join(",")
        })
        .collect();
    std::fs::write(&csv, tiny.join("\n") + "\n").expect("write");
    let svg = dir.path().join("sweep.svg");
    let start = Instant::now();
    let o = bin(&[
        "figure",
        "--plot",
        "sweep",
        "--from",
        path(&csv),
        "--out",
        path(&svg),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "{:?}",
        start.elapsed()
    );
    assert!(std::fs::metadata(&svg).expect("svg").len() > 1000);
}

/// Two `data --out` to one path at once each write their own temporary: both succeed and the
/// file on disk is a whole archive.
#[test]
fn concurrent_writers_to_one_path_leave_a_whole_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("d.npz");
    let spawn = || {
        Command::new(env!("CARGO_BIN_EXE_dln-explorer"))
            .args(["data", "--n", "200", "--d", "2000", "--out", path(&out)])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn")
    };
    let (a, b) = (spawn(), spawn());
    for child in [a, b] {
        let o = child.wait_with_output().expect("wait");
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let loaded = dln_explorer::data::load(&out).expect("a whole archive");
    assert_eq!((loaded.n(), loaded.d()), (200, 2000));
    let left: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").collect();
    assert_eq!(left.len(), 1, "no temporary left behind: {left:?}");
}

/// A seed past the largest TOML integer could not be read back from a CSV header.
#[test]
fn a_seed_that_a_header_cannot_hold_is_refused() {
    fails_with(
        &["run", "--seed", "9223372036854775808"],
        &["seed", "0..=9223372036854775807"],
    );
}

/// A sweep prepared every seed's data before its first run: 4.5 GB at 10 000 seeds of the
/// default scene. Now a few seeds at a time: the peak resident size stays far below 300 MB.
#[test]
#[allow(
    clippy::zombie_processes,
    reason = "reaped by wait4, which also gives its rusage"
)]
fn a_sweep_over_ten_thousand_seeds_stays_in_bounded_memory() {
    let child = Command::new(env!("CARGO_BIN_EXE_dln-explorer"))
        .args([
            "sweep",
            "--alphas",
            "0.1",
            "--methods",
            "gd",
            "--seeds",
            "10000",
        ])
        .args(["--steps", "1", "--json"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let pid = child.id() as libc::pid_t;
    let (mut status, mut usage) = (0, unsafe { std::mem::zeroed::<libc::rusage>() });
    // SAFETY: waits for our own child; `status` and `usage` are valid out-pointers.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid);
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "{status}"
    );
    let peak_mb = usage.ru_maxrss as f64 / 1024.0;
    assert!(peak_mb < 300.0, "peak resident size {peak_mb:.0} MB");
}

/// A file's bytes cannot reach the terminal through an error: control characters are escaped
/// and the message stays on one line.
#[test]
fn an_error_quoting_a_file_is_one_line_without_terminal_escapes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let f = dir.path().join("esc.csv");
    std::fs::write(&f, "x1,y\n1,\u{1b}[31mred\n").expect("write");
    let o = bin(&["run", "--data", path(&f)]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(!err.contains('\u{1b}'), "{err:?}");
    assert!(err.contains("not a number"), "{err}");
}

/// A data path that is not UTF-8 was reported as missing.
#[test]
fn a_data_path_that_is_not_utf8_is_named_as_such() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let f = dir.path().join(std::ffi::OsStr::from_bytes(b"caf\xe9.csv"));
    std::fs::copy(fixture("data.csv"), &f).expect("copy");
    let o = Command::new(env!("CARGO_BIN_EXE_dln-explorer"))
        .arg("run")
        .arg("--data")
        .arg(&f)
        .output()
        .expect("run");
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("UTF-8"), "{err}");
}
