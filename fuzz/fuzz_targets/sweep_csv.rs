//! Sweep CSVs (`sweep --summary FILE`, `merge`, `figure --from FILE`) on arbitrary text: the
//! reader, the shard header `# shard = "K/N"` (and `--shard K/N`), the slice's pairs, the merge
//! of the file with itself as the only shard, the summary, and the figures drawn from a whole
//! sweep.
#![no_main]

#[path = "common.rs"]
mod common;

use std::path::PathBuf;

use dln_explorer::cli::merge::merge;
use dln_explorer::experiment::shard::Shard;
use dln_explorer::experiment::summary::{notes, summarise};
use dln_explorer::experiment::sweep::GammaAxis;
use dln_explorer::figure::figures;
use dln_explorer::figure::svg;
use dln_explorer::figure::sweep_csv::read_sweep;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return; // read as UTF-8 text; anything else is refused first
    };
    // The shard parser alone, on every line that could be a shard value.
    for line in text.lines().take(64) {
        let value = line.strip_prefix("# shard = ").unwrap_or(line);
        if let Ok(shard) = value.trim_matches('"').parse::<Shard>() {
            let _ = (shard.index(), shard.count(), shard.holds(7), shard.to_string());
        }
    }
    let file = match read_sweep(text) {
        Ok(f) => f,
        Err(e) => {
            common::note(format!("refused: {e}"));
            return;
        }
    };
    common::note(format!(
        "accepted: shard {}, {} rows",
        file.shard,
        file.rows.len()
    ));
    let _ = file.grid_keys();
    let _ = file.shard.pair_count(&file.spec);
    let _ = file.shard.pairs_of_seed(&file.spec, 0).count();
    let rows = file.sweep_rows();
    // `merge` of this file alone (a whole sweep merges to itself, a shard is missing the rest).
    let whole = file.shard.count() == 1;
    match merge(&[(PathBuf::from("fuzz.csv"), file.clone())]) {
        Ok(merged) => {
            assert!(whole, "a lone shard {} merged", file.shard);
            // The merged text reads back to the same rows.
            let again = read_sweep(&merged)
                .unwrap_or_else(|e| panic!("merge wrote a sweep CSV it cannot read: {e}"));
            assert_eq!(again.rows.len(), file.rows.len(), "merge lost rows");
        }
        Err(e) => common::note(format!("merge refused: {e}")),
    }
    if !whole {
        return; // `sweep --summary` and `figure --from` refuse a shard
    }
    // `sweep --summary FILE`.
    let cells = summarise(&file.spec, &rows);
    let _ = notes(&file.spec, &rows);
    // `figure --plot sweep|gamma-sweep|phase --from FILE`.
    let figs = if file.spec.gammas == GammaAxis::Scene {
        vec![
            figures::sweep(&file.title, &file.spec, &rows),
            figures::sweep_figure(&file.title, "", &cells),
        ]
    } else {
        vec![
            figures::gamma_sweep(&file.title, &file.spec, &rows),
            figures::phase(&file.title, &file.spec, &rows),
        ]
    };
    for fig in figs {
        let _ = svg::render(&fig);
    }
});
