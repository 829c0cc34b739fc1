//! Sharded sweeps through the real binary: shards run as separate processes merge into the
//! unsharded CSV byte for byte; bad shards are refused; summaries and figures read the CSV.

#[path = "common/cli.rs"]
mod cli_common;

use cli_common::{bin, fails_with};
use std::path::{Path, PathBuf};
use std::process::Output;

fn ok(args: &[&str]) -> Output {
    let o = bin(args);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{args:?}: {err}");
    o
}

/// A tiny scene: references and γ_max bisections in milliseconds.
const SCENE: [&str; 10] = [
    "--n", "8", "--d", "14", "--s", "2", "--steps", "30000", "--tol", "1e-8",
];

/// A fraction grid of 3 α × 2 fractions × 2 seeds × {GD, SGD}: γ_max per (α, seed, method).
const GRID: [&str; 8] = [
    "--alphas",
    "0.05,0.2,1",
    "--gamma-fractions",
    "0.3,0.9",
    "--methods",
    "gd,sgd",
    "--seeds",
    "2",
];

fn path(dir: &Path, name: &str) -> PathBuf {
    dir.join(name)
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn sweep_args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    [&["sweep"][..], &SCENE[..], &GRID[..], extra].concat()
}

/// The unsharded sweep's CSV and printed table, and its 3 shards' CSVs.
struct Fixture {
    dir: tempfile::TempDir,
    whole: PathBuf,
    table: Vec<u8>,
    parts: Vec<PathBuf>,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let whole = path(dir.path(), "whole.csv");
    let table = ok(&sweep_args(&["--csv", s(&whole)])).stdout;
    let parts: Vec<PathBuf> = (1..=3)
        .map(|k| path(dir.path(), &format!("part-{k}.csv")))
        .collect();
    for (k, part) in parts.iter().enumerate() {
        let shard = format!("{}/3", k + 1);
        let o = ok(&sweep_args(&["--shard", &shard, "--csv", s(part)]));
        assert!(o.stdout.is_empty(), "a shard prints no summary");
    }
    Fixture {
        dir,
        whole,
        table,
        parts,
    }
}

fn data_rows(text: &str) -> Vec<Vec<String>> {
    (text.lines().filter(|l| !l.starts_with('#')).skip(1))
        .map(|l| l.split(',').map(String::from).collect())
        .collect()
}

#[test]
fn shuffled_shards_merge_into_the_unsharded_csv_byte_for_byte() {
    let f = fixture();
    let whole = std::fs::read(&f.whole).expect("whole");
    let text = String::from_utf8(whole.clone()).expect("utf-8");
    // 3 α × 2 fractions × 2 seeds × 2 methods, every γ_max found, in grid order.
    let rows = data_rows(&text);
    assert_eq!(rows.len(), 24);
    let alphas = ["0.05", "0.2", "1"];
    let key = |r: &Vec<String>| {
        let a = alphas
            .iter()
            .position(|a| *a == r[0])
            .expect("an α of the grid");
        let g = ["0.3", "0.9"]
            .iter()
            .position(|g| *g == r[12])
            .expect("a fraction");
        let m = ["gd", "sgd"]
            .iter()
            .position(|m| *m == r[1])
            .expect("a method");
        (a, g, r[2].parse::<u64>().expect("seed"), m)
    };
    let keys: Vec<_> = rows.iter().map(key).collect();
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    assert_eq!(keys, sorted, "rows ordered (α, γ, seed, method)");
    sorted.dedup();
    assert_eq!(sorted.len(), 24);
    for r in &rows {
        let (gamma, gamma_max, fraction): (f64, f64, f64) = (
            r[3].parse().expect("γ"),
            r[11].parse().expect("γ_max"),
            r[12].parse().expect("fraction"),
        );
        assert_eq!(gamma, fraction * gamma_max, "γ = fraction · γ_max in {r:?}");
    }
    assert!(text.contains("\n# gamma_fractions = [0.3, 0.9]\n# methods = [\"gd\", \"sgd\"]\n"));
    assert!(!text.contains("# shard"));
    // The shards are strided over the 6 (α, seed) pairs: 2 pairs, 8 rows each.
    for (k, part) in f.parts.iter().enumerate() {
        let t = std::fs::read_to_string(part).expect("part");
        assert!(t.contains(&format!("\n# shard = \"{}/3\"\n", k + 1)));
        assert_eq!(data_rows(&t).len(), 8, "shard {}", k + 1);
    }
    let merged = path(f.dir.path(), "merged.csv");
    let order = [&f.parts[2], &f.parts[0], &f.parts[1]];
    let o = ok(&[&["merge"][..], &order.map(|p| s(p)), &["--out", s(&merged)]].concat());
    assert!(String::from_utf8_lossy(&o.stderr).contains("3 shards, 24 rows"));
    assert_eq!(std::fs::read(&merged).expect("merged"), whole);
}

#[test]
fn overlapping_missing_foreign_and_cut_short_shards_are_refused() {
    let f = fixture();
    let d = f.dir.path();
    let out = path(d, "out.csv");
    std::fs::write(&out, "keep me").expect("write");
    let [p1, p2, p3] = [0, 1, 2].map(|k| s(&f.parts[k]).to_string());
    let merge = |files: &[&str], fragments: &[&str]| {
        fails_with(
            &[&["merge"][..], files, &["--out", s(&out)]].concat(),
            fragments,
        );
        assert_eq!(std::fs::read_to_string(&out).expect("out"), "keep me");
    };
    merge(
        &[&p1, &p2, &p3, &p2],
        &["cannot merge", &p2, "both shard 2/3 (overlapping)"],
    );
    merge(
        &[&p3, &p1],
        &["cannot merge", "shard 2/3 missing (2 of 3 shards given)"],
    );

    // A shard of the same grid run with another step budget.
    let other = path(d, "other.csv");
    let mut args = sweep_args(&["--shard", "2/3", "--csv", s(&other)]);
    args[8] = "20000";
    ok(&args);
    merge(
        &[&p1, s(&other), &p3],
        &[
            s(&other),
            "not a shard of the same sweep as",
            &p1,
            "steps = 20000 (that one: 30000)",
        ],
    );
    // A shard of another split of the same grid.
    let half = path(d, "half.csv");
    ok(&sweep_args(&["--shard", "2/2", "--csv", s(&half)]));
    merge(
        &[&p1, s(&half), &p3],
        &[s(&half), "it is shard 2/2, that one shard 1/3"],
    );
    merge(
        &[s(&f.whole), &p2],
        &[&p2, "it is shard 2/3, that one a whole sweep"],
    );
    // Another version's shard.
    let text = std::fs::read_to_string(&f.parts[1]).expect("part");
    let version = text.lines().next().expect("version line").to_string();
    let aged = path(d, "aged.csv");
    std::fs::write(&aged, text.replacen(&version, "# dln-explorer 0.0.9", 1)).expect("write");
    merge(
        &[&p1, s(&aged), &p3],
        &[s(&aged), "version = 0.0.9 (that one: "],
    );
    // A shard whose last row was lost, and one holding a row of another shard.
    let cut = path(d, "cut.csv");
    let lines: Vec<&str> = text.lines().collect();
    std::fs::write(&cut, lines[..lines.len() - 1].join("\n") + "\n").expect("write");
    merge(
        &[&p1, s(&cut), &p3],
        &[s(&cut), "holds 7 of the 8 rows of its slice (shard 2/3)"],
    );
    let stray = path(d, "stray.csv");
    let row1 = std::fs::read_to_string(&f.parts[0]).expect("part 1");
    let row1 = row1.lines().last().expect("a row").to_string();
    std::fs::write(&stray, format!("{text}{row1}\n")).expect("write");
    merge(
        &[&p1, s(&stray), &p3],
        &[s(&stray), "belongs to shard 1/3, not 2/3"],
    );
    let twice = path(d, "twice.csv");
    let last = lines.last().expect("a row");
    std::fs::write(&twice, format!("{text}{last}\n")).expect("write");
    merge(&[&p1, s(&twice), &p3], &[s(&twice), "repeats line"]);
    // A CSV that is not a sweep's.
    let series = path(d, "series.csv");
    std::fs::write(&series, "# dln-explorer 0.1.0\n# n = 8\nstep,loss\n").expect("write");
    merge(&[s(&series)], &[s(&series), "no «# alphas = …» line"]);
    assert!(std::fs::read_dir(d).expect("dir").all(|e| {
        let name = e.expect("entry").file_name();
        !name.to_string_lossy().ends_with(".tmp")
    }));
}

#[test]
fn bad_shard_values_name_the_value_and_the_range() {
    let dir = tempfile::tempdir().expect("temp dir");
    let csv = path(dir.path(), "x.csv");
    for bad in ["0/2", "3/2", "1/0", "x"] {
        fails_with(
            &sweep_args(&["--shard", bad, "--csv", s(&csv)]),
            &[&format!(
                "invalid shard = {bad}: must be K/N with integers 1 ≤ K ≤ N"
            )],
        );
    }
    fails_with(
        &sweep_args(&["--shard", "1/7", "--csv", s(&csv)]),
        &[
            "invalid shard = 1/7",
            "N at most 6, the grid's (α, seed) pairs (3 α × 2 seeds)",
        ],
    );
    fails_with(
        &sweep_args(&["--shard", "1/2"]),
        &["invalid shard = 1/2", "--csv FILE"],
    );
    assert!(!csv.exists());
}

#[test]
fn the_summary_of_a_merged_csv_is_what_the_sweep_printed() {
    let f = fixture();
    let merged = path(f.dir.path(), "merged.csv");
    let parts = [&f.parts[1], &f.parts[2], &f.parts[0]].map(|p| s(p));
    ok(&[&["merge"][..], &parts, &["--out", s(&merged)]].concat());
    let table = ok(&["sweep", "--summary", s(&merged)]).stdout;
    assert_eq!(
        String::from_utf8_lossy(&table),
        String::from_utf8_lossy(&f.table)
    );
    assert!(String::from_utf8_lossy(&table).contains("γ/γ_max"));
    let json = ok(&sweep_args(&["--json"])).stdout;
    let from_csv = ok(&["sweep", "--summary", s(&merged), "--json"]).stdout;
    assert_eq!(
        String::from_utf8_lossy(&from_csv),
        String::from_utf8_lossy(&json)
    );
    let v: serde_json::Value = serde_json::from_slice(&from_csv).expect("JSON");
    assert_eq!(v["cells"].as_array().expect("cells").len(), 3 * 2 * 2);
    fails_with(
        &["sweep", "--summary", s(&f.parts[0])],
        &["part-1.csv", "shard 1/3 of a sweep: merge the shards first"],
    );
    fails_with(
        &["sweep", "--summary", s(&merged), "--n", "9"],
        &["invalid summary = ", "without scene flags"],
    );
}

#[test]
fn a_figure_from_a_csv_is_the_figure_drawn_by_running() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    let figure = |plot: &str, grid: &[&str], csv: &Path, out: &Path| {
        let args = [
            &["figure", "--plot", plot][..],
            &SCENE[..],
            grid,
            &["--seeds", "2", "--csv", s(csv), "--out", s(out)],
        ]
        .concat();
        ok(&args);
    };
    let from = |plot: &str, csv: &Path, out: &Path| {
        ok(&["figure", "--plot", plot, "--from", s(csv), "--out", s(out)]);
        std::fs::read(out).expect("svg")
    };
    // The phase diagram over a fraction grid; its rows again from 2 shards of `sweep`, merged.
    let phase_grid = ["--alphas", "0.05,1", "--gamma-fractions", "0.3,0.9"];
    let (rows, run) = (path(d, "phase.csv"), path(d, "phase-run.svg"));
    figure("phase", &phase_grid, &rows, &run);
    let ran = std::fs::read(&run).expect("svg");
    assert!(String::from_utf8_lossy(&ran).contains("class=\"cell\""));
    assert_eq!(from("phase", &rows, &path(d, "phase-from.svg")), ran);
    let parts: Vec<PathBuf> = (1..=2).map(|k| path(d, &format!("p{k}.csv"))).collect();
    for (k, part) in parts.iter().enumerate() {
        let shard = format!("{}/2", k + 1);
        let grid = [
            &phase_grid[..],
            &["--methods", "gd,sgd", "--seeds", "2", "--with-gamma-max"],
        ]
        .concat();
        ok(&[
            &["sweep"][..],
            &SCENE[..],
            &grid,
            &["--shard", &shard, "--csv", s(part)],
        ]
        .concat());
    }
    let merged = path(d, "merged.csv");
    ok(&["merge", s(&parts[1]), s(&parts[0]), "--out", s(&merged)]);
    assert_eq!(
        std::fs::read(&merged).expect("merged"),
        std::fs::read(&rows).expect("rows")
    );
    assert_eq!(from("phase", &merged, &path(d, "merged.svg")), ran);
    // The γ-sweep at one α with fixed γ (each method's γ_max drawn), and the α-sweep.
    let cases: [(&str, &[&str]); 2] = [
        ("gamma-sweep", &["--gammas", "0.02,0.05"]),
        ("sweep", &["--alphas", "0.05,1"]),
    ];
    for (plot, grid) in cases {
        let (rows, run) = (path(d, "rows.csv"), path(d, "run.svg"));
        figure(plot, grid, &rows, &run);
        let ran = std::fs::read(&run).expect("svg");
        assert_eq!(from(plot, &rows, &path(d, "from.svg")), ran, "{plot}");
    }
    fails_with(
        &[
            "figure",
            "--plot",
            "sweep",
            "--from",
            s(&merged),
            "--out",
            s(&run),
        ],
        &[
            "invalid plot = sweep",
            "gamma-sweep or phase for",
            "which sweeps γ",
        ],
    );
    fails_with(
        &[
            "figure",
            "--plot",
            "loss",
            "--from",
            s(&merged),
            "--out",
            s(&run),
        ],
        &["invalid plot = loss", "with --from"],
    );
    fails_with(
        &[
            "figure",
            "--plot",
            "phase",
            "--from",
            s(&parts[0]),
            "--out",
            s(&run),
        ],
        &["p1.csv", "merge the shards first"],
    );
}
