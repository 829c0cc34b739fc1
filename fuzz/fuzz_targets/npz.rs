//! The `.npz` reader (what `--data FILE.npz`, the app's *Open data…* and drag-and-drop read);
//! every accepted data set is then trained on: GD and SGD as `run --json` does, every method
//! side by side and every scene plot drawn as `figure` does.
//!
//! Two input forms, so that mutations reach the `.npy` parser past the zip's checksums:
//! * bytes starting with `PK`: the archive itself, as a file would hold it;
//! * anything else: the `.npy` entries `X`, `y`, `beta_star`, `X_test`, `y_test` in that order,
//!   separated by `|NPZ|` (an empty piece: no such entry), stored into a valid archive here.
#![no_main]

#[path = "common.rs"]
mod common;

use std::io::{Cursor, Write};

use dln_explorer::data::npz;
use libfuzzer_sys::fuzz_target;
use zip::write::SimpleFileOptions;

const SEP: &[u8] = b"|NPZ|";
const NAMES: [&str; 5] = ["X", "y", "beta_star", "X_test", "y_test"];

/// The pieces of `bytes` between separators.
fn pieces(bytes: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut rest = bytes;
    while let Some(at) = rest.windows(SEP.len()).position(|w| w == SEP) {
        out.push(&rest[..at]);
        rest = &rest[at + SEP.len()..];
    }
    out.push(rest);
    out
}

/// A stored (uncompressed) zip of the named `.npy` entries, as `numpy.savez` writes.
fn archive(bytes: &[u8]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options =
        SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, npy) in NAMES.iter().zip(pieces(bytes)) {
        if npy.is_empty() {
            continue;
        }
        zip.start_file(format!("{name}.npy"), options)
            .expect("zip entry");
        zip.write_all(npy).expect("zip write");
    }
    zip.finish().expect("zip finish").into_inner()
}

fuzz_target!(|bytes: &[u8]| {
    if bytes.is_empty() {
        return; // `data::load` refuses an empty file before the reader sees it.
    }
    let file = if bytes.starts_with(b"PK") {
        bytes.to_vec()
    } else {
        archive(bytes)
    };
    match npz::read(Cursor::new(file), "fuzz.npz") {
        Ok(data) => common::train_on_data(data, common::whole(bytes)),
        Err(e) => common::note(format!("refused: {e}")),
    }
});
