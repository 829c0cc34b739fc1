//! Reading and writing data sets: NumPy `.npz` archives and CSV files (docs/file-formats.md).
//! A loaded file is only read, never modified; every bad file gives one error naming it.

pub mod npz;
pub mod table;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use thiserror::Error;

use crate::model::{Config, DataSet, Problem, Settings, SimError};

/// Why a data file could not be used.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum DataError {
    /// The file could not be opened, read or written.
    #[error("cannot access {0}: {1}")]
    Io(PathBuf, String),
    /// The file is malformed or inconsistent.
    #[error("invalid data file {0}: {1}")]
    Bad(PathBuf, String),
    /// The settings around it are invalid.
    #[error(transparent)]
    Sim(#[from] SimError),
}

impl From<DataError> for SimError {
    fn from(e: DataError) -> SimError {
        match e {
            DataError::Sim(e) => e,
            other => SimError::Data(other.to_string()),
        }
    }
}

/// The file formats, by extension.
pub const FORMATS: &str =
    ".npz (NumPy arrays X, y [, beta_star, X_test, y_test]) or .csv (a header row, a column y)";

/// Reads a data set from a `.npz` or `.csv` file.
pub fn load(path: &Path) -> Result<DataSet, DataError> {
    let npz = format_of(path)?;
    let (file, size) = crate::files::open(path, crate::files::Kind::Data)
        .map_err(|e| DataError::Io(e.path, e.reason))?;
    if size == 0 {
        return Err(DataError::Bad(path.to_path_buf(), "empty file".into()));
    }
    parse(npz, std::io::BufReader::new(file), path)
}

/// Reads a data set from the bytes of a `.npz` or `.csv` file named `path` (a file dropped on
/// the web page).
pub fn from_bytes(path: &Path, bytes: &[u8]) -> Result<DataSet, DataError> {
    let npz = format_of(path)?;
    if bytes.is_empty() {
        return Err(DataError::Bad(path.to_path_buf(), "empty file".into()));
    }
    parse(npz, std::io::Cursor::new(bytes), path)
}

/// Whether `path` names a `.npz` file (else `.csv`; any other extension is refused).
fn format_of(path: &Path) -> Result<bool, DataError> {
    let ext = (path.extension())
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "npz" => Ok(true),
        "csv" => Ok(false),
        _ => Err(DataError::Bad(
            path.to_path_buf(),
            format!("unknown format: must be {FORMATS}"),
        )),
    }
}

fn parse(
    npz: bool,
    reader: impl std::io::Read + std::io::Seek,
    path: &Path,
) -> Result<DataSet, DataError> {
    let bad = |e: SimError| DataError::Bad(path.to_path_buf(), e.to_string());
    let name = path.display().to_string();
    match npz {
        true => npz::read(reader, &name).map_err(bad),
        false => {
            table::read(crate::files::LineLimit::new(reader, table::MAX_LINE), &name).map_err(bad)
        }
    }
}

/// Validated settings of `config`, with the data file it names loaded (generated data else).
pub fn settings(config: &Config) -> Result<Settings, DataError> {
    match &config.data {
        None => Ok(config.validate()?),
        Some(path) => {
            let data = Arc::new(load(Path::new(path))?);
            Ok(config.validate_with(Some(data))?)
        }
    }
}

/// Writes the problem's arrays to an `.npz` file (atomically: a failed write leaves the old
/// file as it was); a loaded data file is never overwritten (see [`crate::files`]).
pub fn write(path: &Path, problem: &Problem) -> Result<(), DataError> {
    if path
        .extension()
        .is_none_or(|e| !e.eq_ignore_ascii_case("npz"))
    {
        return Err(DataError::Bad(
            path.to_path_buf(),
            "the output must end in .npz".into(),
        ));
    }
    crate::files::write_atomic_with(path, |file| {
        npz::write(std::io::BufWriter::new(file), problem)
    })
    .map_err(|e| DataError::Io(e.path, e.reason))
}

/// `data` (a path in a scene file) resolved against the scene file's folder.
pub fn resolve(scene_file: &Path, data: &str) -> String {
    let p = Path::new(data);
    if p.is_absolute() {
        return data.to_string();
    }
    let dir = scene_file.parent().unwrap_or(Path::new(""));
    let joined = dir.join(p);
    std::path::absolute(&joined)
        .unwrap_or(joined)
        .display()
        .to_string()
}
