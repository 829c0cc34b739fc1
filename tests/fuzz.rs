//! Property-based fuzzing of the inputs a user controls: scene/settings files and the `.npz` and
//! `.csv` readers never panic, whatever the bytes; every failure is an error value. The `.npz`
//! cases mutate the NumPy-written fixtures (the corpus) and forge `.npy` headers whose shapes
//! claim far more data than follows, which must be refused before any allocation that size.
//! `PROPTEST_CASES` raises the case count (the default keeps the suite fast).

use std::io::{Cursor, Write};
use std::path::Path;

use dln_explorer::data::{npz, table};
use dln_explorer::presets;
use proptest::prelude::*;

/// The corpus: every `.npz` fixture written by NumPy (tests/fixtures/make_fixtures.py).
fn corpus() -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("fixtures")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "npz"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| std::fs::read(p).expect("read"))
        .collect()
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(400)
}

/// A zip holding one `X.npy` with the given header text and `data` bytes after it, and `y.npy`.
fn forged_npz(header: &str, data: usize) -> Vec<u8> {
    let mut npy = b"\x93NUMPY\x01\x00".to_vec();
    let mut text = header.to_string();
    text.push('\n');
    npy.extend_from_slice(&(text.len() as u16).to_le_bytes());
    npy.extend_from_slice(text.as_bytes());
    npy.extend(std::iter::repeat_n(0u8, data));
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("X.npy", options).expect("entry");
    zip.write_all(&npy).expect("write");
    zip.finish().expect("finish").into_inner()
}

const KEYS: [&str; 20] = [
    "n",
    "d",
    "s",
    "noise",
    "seed",
    "n_test",
    "method",
    "alpha",
    "gamma",
    "gamma_rule",
    "batch",
    "h",
    "steps",
    "tol",
    "design",
    "beta_star",
    "title",
    "caption",
    "methods",
    "bogus",
];

/// A TOML value of any of the kinds a user might write.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i64>().prop_map(|v| v.to_string()),
        any::<f64>().prop_map(|v| format!("{v:?}")),
        "[a-z:0-9.,+-]{0,16}".prop_map(|s| format!("{s:?}")),
        prop::sample::select(vec![
            "\"anisotropic:1e9\"",
            "\"correlated:1\"",
            "\"uncentred:nan\"",
            "\"signs:0\"",
            "\"given:1,2\"",
            "\"stable:0\"",
            "nan",
            "inf",
            "-0.0",
            "[\"gd\", \"sgd\"]",
            "true",
            "18446744073709551615",
            "1e308",
        ])
        .prop_map(String::from),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    /// Arbitrary text never panics the scene parser.
    #[test]
    fn scene_text_never_panics(text in "\\PC{0,300}") {
        let _ = presets::parse("fuzz", &text);
        let _ = presets::parse_config(&text);
    }

    /// Scene files of known and unknown keys with odd values parse and validate to a value or
    /// an error, never a panic.
    #[test]
    fn scene_files_validate_or_fail_cleanly(
        entries in prop::collection::vec((prop::sample::select(KEYS.to_vec()), value()), 0..12),
        table in any::<bool>(),
    ) {
        let mut text = String::from(if table { "title = \"t\"\n[config]\n" } else { "" });
        for (k, v) in &entries {
            text += &format!("{k} = {v}\n");
        }
        if let Ok(mut config) = presets::parse_config(&text) {
            config.data = None;
            if let Ok(settings) = config.validate() {
                prop_assert!(settings.problem.n >= 1 && settings.batch <= settings.problem.n);
            }
        }
    }

    /// Arbitrary bytes never panic the `.npz` reader.
    #[test]
    fn npz_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let _ = npz::read(Cursor::new(bytes), "fuzz");
    }

    /// The NumPy-written fixtures, with bytes overwritten or cut, never panic the reader.
    #[test]
    fn mutated_numpy_files_never_panic(
        file in 0usize..64,
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..8),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
    ) {
        let corpus = corpus();
        let mut bytes = corpus[file % corpus.len()].clone();
        for (at, b) in edits {
            if !bytes.is_empty() {
                let i = at.index(bytes.len());
                bytes[i] = b;
            }
        }
        if truncate {
            bytes.truncate(cut.index(bytes.len() + 1));
        }
        let _ = npz::read(Cursor::new(bytes), "fuzz");
    }

    /// Forged `.npy` headers — any shape, dtype and order over a few bytes — are refused or read,
    /// never allocating what the header claims beyond what the file holds.
    #[test]
    fn forged_headers_are_checked_before_allocating(
        dims in prop::collection::vec(0usize..=usize::MAX, 0..4),
        descr in prop::sample::select(vec!["<f8", ">f8", "<f4", "<i8", "|b1", "<c16", "x"]),
        fortran in any::<bool>(),
        data in 0usize..256,
    ) {
        let shape: Vec<String> = dims.iter().map(|d| d.to_string()).collect();
        let header = format!(
            "{{'descr': '{descr}', 'fortran_order': {}, 'shape': ({}{}), }}",
            if fortran { "True" } else { "False" },
            shape.join(", "),
            if shape.len() == 1 { "," } else { "" }
        );
        let _ = npz::read(Cursor::new(forged_npz(&header, data)), "fuzz");
    }

    /// Arbitrary CSV-like text never panics the CSV reader.
    #[test]
    fn csv_text_never_panics(text in "[a-z,y0-9.\\n eE+\"-]{0,300}") {
        let _ = table::read(text.as_bytes(), "fuzz");
    }
}
