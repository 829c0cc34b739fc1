//! CSV data files: a header row, a column named `y` (the labels) and every other column a
//! feature. Rows and cells are counted from 1, not counting the header.

use std::io::Read;

use ndarray::{Array1, Array2};

use crate::model::config::{MAX_DIM, MAX_ENTRIES};
use crate::model::{DataSet, SimError};

/// Longest line read: a header or row of `MAX_DIM + 1` cells of 64 bytes each.
pub const MAX_LINE: usize = (MAX_DIM + 1) * 64;

fn bad(msg: String) -> SimError {
    SimError::Data(msg)
}

/// Reads a data set from CSV text; memory grows with the rows read and stops at the limits.
pub fn read<R: Read>(reader: R, name: &str) -> Result<DataSet, SimError> {
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(true)
        .trim(csv::Trim::All)
        .from_reader(reader);
    let header = csv
        .headers()
        .map_err(|e| bad(format!("cannot read the header row ({e})")))?
        .clone();
    if header.is_empty() || header.iter().all(str::is_empty) {
        return Err(bad(
            "empty file: expected a header row naming the columns, one of them y".into(),
        ));
    }
    let label = header.iter().position(|h| h == "y").ok_or_else(|| {
        let cols: Vec<&str> = header.iter().take(8).collect();
        bad(format!(
            "no column named y (the header row has: {}{})",
            cols.join(", "),
            if header.len() > 8 { ", …" } else { "" }
        ))
    })?;
    let labels: Vec<String> = (header.iter().enumerate())
        .filter(|(_, h)| *h == "y")
        .map(|(k, _)| (k + 1).to_string())
        .collect();
    if labels.len() > 1 {
        return Err(bad(format!(
            "{} columns are named y (columns {}): the label must be one column",
            labels.len(),
            labels.join(", ")
        )));
    }
    let d = header.len() - 1;
    if d == 0 {
        return Err(bad("only the column y: no feature columns".into()));
    }
    if d > MAX_DIM {
        return Err(bad(format!(
            "{d} feature columns: too large (at most {MAX_DIM})"
        )));
    }
    let (mut x, mut y) = (Vec::new(), Vec::new());
    let mut record = csv::StringRecord::new();
    let mut row = 0usize;
    loop {
        let more = csv.read_record(&mut record).map_err(|e| match e.kind() {
            csv::ErrorKind::UnequalLengths { len, .. } => bad(format!(
                "row {} has {len} cells but the header has {}: truncated or ragged file",
                row + 1,
                header.len()
            )),
            _ => bad(format!("cannot read row {} ({e})", row + 1)),
        })?;
        if !more {
            break;
        }
        row += 1;
        if row > MAX_DIM || row * d > MAX_ENTRIES {
            return Err(bad(format!(
                "more than {} rows of {d} features: too large (at most {MAX_DIM} rows and {MAX_ENTRIES} entries are held in memory)",
                row - 1
            )));
        }
        for (col, cell) in record.iter().enumerate() {
            let v: f64 = cell.parse().map_err(|_| {
                bad(format!(
                    "the cell at row {row}, column {} ({}) is {cell:?}: not a number",
                    col + 1,
                    &header[col]
                ))
            })?;
            if col == label { y.push(v) } else { x.push(v) }
        }
    }
    if row == 0 {
        return Err(bad("no data rows after the header".into()));
    }
    let x =
        Array2::from_shape_vec((row, d), x).map_err(|e| bad(format!("inconsistent rows ({e})")))?;
    DataSet::new(name, x, Array1::from(y), None, None)
}
