//! The CSV data reader on arbitrary bytes (what `--data FILE.csv` reads); every accepted data set
//! is then trained on: GD and SGD as `run --json` does, every method side by side and every
//! scene plot drawn as `figure` does. A file whose header names the label column `y` twice is
//! ambiguous and must be refused (which column would be trained on?).
#![no_main]

#[path = "common.rs"]
mod common;

use dln_explorer::data::table;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    if bytes.is_empty() {
        return; // `data::load` refuses an empty file before the reader sees it.
    }
    match table::read(bytes, "fuzz.csv") {
        Ok(data) => {
            let labels = csv::ReaderBuilder::new()
                .trim(csv::Trim::All)
                .from_reader(bytes)
                .headers()
                .map_or(0, |h| h.iter().filter(|c| *c == "y").count());
            assert!(labels <= 1, "a header with {labels} columns named y was accepted");
            common::train_on_data(data, common::whole(bytes))
        }
        Err(e) => common::note(format!("refused: {e}")),
    }
});
