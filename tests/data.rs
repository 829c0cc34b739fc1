//! Data files: NumPy's own `.npz` (float64, float32, Fortran order, compressed), CSV, the export
//! `data --out` and its bit-identical round trip, and each bad file's one-line error (exit 2).
//! The fixtures in tests/fixtures were written by tests/fixtures/make_fixtures.py.

#[path = "common/cli.rs"]
mod cli_common;

#[path = "data/hostile.rs"]
mod hostile;

use cli_common::{bin, stderr};
use std::path::{Path, PathBuf};

use dln_explorer::data;
use dln_explorer::model::ErrorMeasure;
use ndarray::{Array1, Array2};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn json(args: &[&str]) -> serde_json::Value {
    let o = bin(args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    serde_json::from_slice(&o.stdout).expect("valid JSON")
}

/// The arrays make_fixtures.py wrote, rebuilt exactly (dyadic values, exact in float32 too).
fn expected() -> (Array2<f64>, Array1<f64>, Array1<f64>) {
    let x = Array2::from_shape_fn((4, 6), |(i, j)| {
        ((3 * i * i + 5 * j + 2 * i * j) % 11) as f64 / 8.0 - 1.0
    });
    let beta = Array1::from(vec![1.5, 0.0, 0.0, -2.0, 0.0, 0.25]);
    let y = x.dot(&beta);
    (x, y, beta)
}

#[test]
fn numpy_npz_in_every_layout_loads_to_the_same_arrays() {
    let (x, y, beta) = expected();
    for name in ["numpy.npz", "float32.npz", "fortran.npz", "compressed.npz"] {
        let d = data::load(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(d.x, x, "{name}: X");
        assert_eq!(d.y, y, "{name}: y");
        assert_eq!(d.beta_star.as_ref(), Some(&beta), "{name}: beta_star");
        assert!(d.test.is_none());
    }
}

#[test]
fn a_csv_with_a_header_loads_with_y_taken_from_its_column() {
    let (x, y, _) = expected();
    let d = data::load(&fixture("data.csv")).expect("loads");
    assert_eq!(d.x, x);
    assert_eq!(d.y, y);
    assert!(d.beta_star.is_none());
}

#[test]
fn without_beta_star_the_error_is_the_test_error_or_the_distance_to_l1() {
    let v = json(&[
        "run",
        "--data",
        fixture("test_set.npz").to_str().unwrap(),
        "--json",
        "--method",
        "gd",
        "--alpha",
        "0.1",
        "--steps",
        "2000",
    ]);
    assert_eq!(v["error_measure"], "test_error");
    assert!(v["recovery_error"].is_null());
    assert!(v["test_error"].as_f64().is_some());
    let v = json(&[
        "run",
        "--data",
        fixture("no_beta.npz").to_str().unwrap(),
        "--json",
        "--method",
        "gd",
        "--alpha",
        "0.1",
        "--steps",
        "2000",
    ]);
    assert_eq!(v["error_measure"], "l1_distance");
    // The ℓ1 interpolator is at distance 0 from itself.
    assert_eq!(v["l1_recovery_error"].as_f64(), Some(0.0));
    assert!(v["l1_distance"].as_f64().is_some_and(|e| e > 0.0));
    let p = dln_explorer::model::Problem::generate(
        &dln_explorer::model::Config {
            data: None,
            ..Default::default()
        }
        .validate_with(Some(std::sync::Arc::new(
            data::load(&fixture("no_beta.npz")).unwrap(),
        )))
        .unwrap()
        .problem,
    );
    assert_eq!(p.measure, ErrorMeasure::L1Distance);
}

/// `data --out` then `run --data` gives the same run, number for number, as the scene itself:
/// only the keys that say where the data came from differ.
#[test]
fn exported_data_reproduces_the_scene_bit_for_bit() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (scene, method) in [
        (&["--preset", "sgd-beats-gd", "--noise", "0.1"][..], "sgd"),
        (
            &[
                "--design",
                "anisotropic:50",
                "--n",
                "20",
                "--d",
                "40",
                "--s",
                "3",
            ][..],
            "gd",
        ),
    ] {
        let out = dir.path().join("problem.npz");
        let out = out.to_str().unwrap();
        let mut args = vec!["data", "--out", out];
        args.extend_from_slice(scene);
        let o = bin(&args);
        assert!(o.status.success(), "{}", stderr(&o));
        let common = [
            "--method", method, "--alpha", "0.05", "--steps", "20000", "--json",
        ];
        let mut a: Vec<&str> = vec!["run"];
        a.extend_from_slice(scene);
        a.extend_from_slice(&common);
        let mut b: Vec<&str> = vec!["run", "--data", out];
        b.extend_from_slice(&common);
        let (a, b) = (json(&a), json(&b));
        let provenance = [
            "data",
            "design",
            "beta_star",
            "noise",
            "expected_test_error",
        ];
        let (a, b) = (a.as_object().unwrap(), b.as_object().unwrap());
        assert_eq!(a.len(), b.len());
        for (key, va) in a {
            if !provenance.contains(&key.as_str()) {
                assert_eq!(Some(va), b.get(key), "{scene:?}: key {key}");
            }
        }
        assert!(a["steps_run"].as_u64().unwrap() > 0);
        // Loading the export gives back exactly the generated arrays.
        let loaded = data::load(Path::new(out)).expect("loads");
        assert_eq!(loaded.n_test(), 500);
    }
}

#[test]
fn a_loaded_file_is_never_modified_nor_overwritten() {
    let dir = tempfile::tempdir().expect("temp dir");
    let copy = dir.path().join("mine.npz");
    std::fs::copy(fixture("numpy.npz"), &copy).expect("copy");
    let before = std::fs::read(&copy).expect("read");
    let c = copy.to_str().unwrap();
    let o = bin(&[
        "run", "--data", c, "--method", "gd", "--steps", "1000", "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = bin(&["data", "--data", c, "--out", c]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("never overwritten"), "{}", stderr(&o));
    assert_eq!(std::fs::read(&copy).expect("read"), before);
}

/// Asserts exit status 2 and one stderr line containing every fragment.
fn fails_with(file: &str, fragments: &[&str]) {
    let path = fixture(file);
    let o = bin(&["run", "--data", path.to_str().unwrap(), "--steps", "10"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{file} → {err}");
    assert_eq!(
        err.trim_end().lines().count(),
        1,
        "{file}: one line, got\n{err}"
    );
    assert!(err.contains(file), "{file}: «{err}» does not name the file");
    for f in fragments {
        assert!(err.contains(f), "{file}: «{err}» lacks «{f}»");
    }
}

#[test]
fn each_bad_file_gives_its_own_one_line_error() {
    fails_with("bad_missing_y.npz", &["no array named y", "X"]);
    fails_with("bad_shape.npz", &["y has 3 entries", "n = 4"]);
    fails_with("bad_nan.npz", &["NaN at row 2, column 3"]);
    fails_with("bad_dtype.npz", &["dtype", "float64 or float32"]);
    fails_with("bad_truncated.npz", &["zip"]);
    fails_with("bad_empty.npz", &["empty file"]);
    fails_with("bad_huge.npz", &["too large"]);
    fails_with(
        "bad_cell.csv",
        &["row 2, column 2", "\"five\"", "not a number"],
    );
    fails_with("bad_ragged.csv", &["row 2", "truncated"]);
    fails_with("bad_no_y.csv", &["no column named y"]);
    let o = bin(&["run", "--data", "/nonexistent/x.npz"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot access"));
}

/// d ≤ n: the stable rule says it needs d > n; a fixed γ still trains.
#[test]
fn data_with_d_at_most_n_trains_with_a_fixed_gamma() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("tall.csv");
    let mut text = String::from("a,b,y\n");
    for i in 0..10 {
        let (a, b) = (i as f64 / 4.0 - 1.0, (i % 3) as f64 - 1.0);
        text += &format!("{a},{b},{}\n", 2.0 * a - b);
    }
    std::fs::write(&path, text).expect("write");
    let p = path.to_str().unwrap();
    let o = bin(&["run", "--data", p, "--steps", "10"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("needs d > n"), "{}", stderr(&o));
    let v = json(&[
        "run", "--data", p, "--gamma", "0.05", "--method", "gd", "--steps", "20000", "--json",
    ]);
    assert_eq!(v["overparametrised"], false);
    assert!(v["final_loss"].as_f64().unwrap() < 1e-12, "{v}");
}

/// Linearly dependent rows (rank 2 < n = 4 < d = 6): the stable rule names the rank; a fixed γ
/// still trains to an interpolator, without the implicit-bias references.
#[test]
fn data_with_dependent_rows_trains_with_a_fixed_gamma() {
    let path = fixture("rank_deficient.npz");
    let p = path.to_str().unwrap();
    let o = bin(&["run", "--data", p, "--steps", "10"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("rank 2 < n = 4"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    let o = bin(&[
        "run", "--data", p, "--gamma", "0.05", "--method", "gd", "--steps", "200000", "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("full row rank"), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    assert_eq!(v["overparametrised"], false);
    assert!(v["predicted_gap"].is_null(), "{v}");
    assert!(v["final_loss"].as_f64().unwrap() < 1e-12, "{v}");
}

/// A scene file names its data file relative to itself.
#[test]
fn a_scene_file_names_its_data_relative_to_itself() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("scenes")).unwrap();
    std::fs::copy(fixture("numpy.npz"), dir.path().join("scenes/mine.npz")).unwrap();
    let scene = dir.path().join("scenes/mine.toml");
    std::fs::write(
        &scene,
        "title = \"mine\"\n[config]\ndata = \"mine.npz\"\nalpha = 0.1\n",
    )
    .unwrap();
    let v = json(&[
        "run",
        "--preset",
        scene.to_str().unwrap(),
        "--method",
        "gd",
        "--steps",
        "100",
        "--json",
    ]);
    assert_eq!(
        (v["n"].as_u64(), v["d"].as_u64(), v["s"].as_u64()),
        (Some(4), Some(6), Some(3))
    );
}
