//! `dln-explorer merge`: the shards of one sweep (`sweep --shard K/N --csv`) into the CSV the
//! unsharded sweep writes, byte for byte; foreign, overlapping or missing shards are refused.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clap::Args;

use super::CliError;
use crate::figure::sweep_csv::{COLUMNS, SweepFile, read_sweep};

/// Flags of `merge`.
#[derive(Args, Debug)]
pub struct MergeArgs {
    /// The shards' CSV files (`sweep --shard K/N --csv FILE`), in any order.
    #[arg(value_name = "FILE.csv", required = true)]
    pub files: Vec<PathBuf>,
    /// The merged CSV (written only if every check passes; an existing file is replaced).
    #[arg(long, value_name = "FILE.csv")]
    pub out: PathBuf,
}

/// Runs the command.
pub fn main(args: &MergeArgs) -> Result<(), CliError> {
    let files = (args.files.iter())
        .map(|path| Ok((path.clone(), read_sweep_file(path)?)))
        .collect::<Result<Vec<_>, CliError>>()?;
    let text = merge(&files)?;
    crate::files::write_atomic(&args.out, text.as_bytes())?;
    let rows = files.iter().map(|(_, f)| f.rows.len()).sum::<usize>();
    note!(
        "wrote {} ({} shards, {rows} rows)",
        args.out.display(),
        files.len()
    );
    Ok(())
}

/// Reads a sweep CSV, naming the file in any error.
pub fn read_sweep_file(path: &Path) -> Result<SweepFile, CliError> {
    let text = crate::files::read_text(path, crate::files::Kind::Sweep)?;
    read_sweep(&text).map_err(|msg| CliError::BadFile(path.into(), msg))
}

/// Reads a whole sweep's CSV (a shard is refused: merge the shards first).
pub fn read_whole_sweep(path: &Path) -> Result<SweepFile, CliError> {
    let file = read_sweep_file(path)?;
    if file.shard.count() > 1 {
        let msg = format!(
            "it is shard {} of a sweep: merge the shards first (dln-explorer merge)",
            file.shard
        );
        return Err(CliError::BadFile(path.into(), msg));
    }
    Ok(file)
}

/// The merged CSV of `files`: every file from the same sweep (version, scene, grid, number of
/// shards), each shard exactly once, the rows in grid order under the first file's header.
pub fn merge(files: &[(PathBuf, SweepFile)]) -> Result<String, CliError> {
    let Some((first_path, first)) = files.first() else {
        return Err(CliError::Merge("no files given".into()));
    };
    let keys = first.grid_keys();
    let count = first.shard.count();
    let mut owner: BTreeMap<u64, &Path> = BTreeMap::new();
    for (path, file) in files {
        let foreign = |what: String| {
            let msg = format!(
                "not a shard of the same sweep as {}: {what}",
                first_path.display()
            );
            CliError::BadFile(path.clone(), msg)
        };
        if let Some(what) = difference(&keys, &file.grid_keys()) {
            return Err(foreign(what));
        }
        if file.shard.count() != count {
            let what = format!("it is {}, that one {}", slice(file), slice(first));
            return Err(foreign(what));
        }
        if let Some(other) = owner.insert(file.shard.index(), path) {
            return Err(CliError::Merge(format!(
                "{} and {} are both shard {} (overlapping)",
                other.display(),
                path.display(),
                file.shard
            )));
        }
    }
    let missing = count - owner.len() as u64;
    if missing > 0 {
        let shown = (1..=count)
            .filter(|k| !owner.contains_key(k))
            .take(8)
            .map(|k| format!("{k}/{count}"))
            .collect::<Vec<_>>()
            .join(", ");
        let more = missing.saturating_sub(8);
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        return Err(CliError::Merge(format!(
            "shard {shown}{more} missing ({} of {count} shards given)",
            count - missing
        )));
    }
    let mut rows: Vec<_> = files.iter().flat_map(|(_, f)| &f.rows).collect();
    rows.sort_by_key(|r| r.index);
    let gamma = rows.first().map_or(f64::NAN, |r| r.row.gamma);
    let mut out = String::new();
    for line in &first.header {
        if line.starts_with("# gamma_used = ") {
            out.push_str(&format!("# gamma_used = {gamma:e}\n"));
        } else if !line.starts_with("# shard = ") {
            out.push_str(line);
            out.push('\n');
        }
    }
    out.push_str(COLUMNS);
    out.push('\n');
    for r in rows {
        out.push_str(&r.text);
        out.push('\n');
    }
    Ok(out)
}

/// What part of a sweep a file holds, in words.
fn slice(file: &SweepFile) -> String {
    if file.shard.count() == 1 {
        "a whole sweep".into()
    } else {
        format!("shard {}", file.shard)
    }
}

/// The first key whose value differs between two headers, as `key = b (that one: a)`.
fn difference(a: &[(String, String)], b: &[(String, String)]) -> Option<String> {
    let value = |keys: &[(String, String)], k: &str| {
        (keys.iter().find(|(key, _)| key == k)).map_or("(absent)".to_string(), |(_, v)| v.clone())
    };
    (a.iter().chain(b).map(|(k, _)| k))
        .find(|k| value(a, k) != value(b, k))
        .map(|k| format!("{k} = {} (that one: {})", value(b, k), value(a, k)))
}
