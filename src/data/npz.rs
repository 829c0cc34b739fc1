//! NumPy `.npz` archives: arrays `X`, `y` and optionally `beta_star`, `X_test`, `y_test`,
//! float64 or float32, C or Fortran order. Every size is checked against the memory limits
//! before anything that size is allocated (the zip entry's size, then the `.npy` header's
//! shape against the bytes that follow it).

use std::io::{Read, Seek, Write};

use ndarray::{Array1, Array2, ArrayD};
use ndarray_npy::ReadNpyExt;
use ndarray_npy::npy::header::Header;
use zip::ZipArchive;

use crate::model::config::{MAX_DIM, MAX_ENTRIES};
use crate::model::dataset::check_size;
use crate::model::{DataSet, Problem, SimError};

/// Largest `.npy` entry read: `MAX_ENTRIES` float64 values and a header.
const MAX_ENTRY_BYTES: u64 = 8 * MAX_ENTRIES as u64 + (1 << 16);

fn bad(msg: String) -> SimError {
    SimError::Data(msg)
}

/// The element type of an array: 8 (float64) or 4 (float32) bytes, any byte order.
fn float_width(header: &Header, name: &str) -> Result<usize, SimError> {
    let descr = header.type_descriptor.to_string();
    let code = descr.trim_matches(|c| c == '\'' || c == '"');
    match code.get(1..) {
        Some("f8") => Ok(8),
        Some("f4") => Ok(4),
        _ => Err(bad(format!(
            "{name} has dtype {code}: must be float64 or float32"
        ))),
    }
}

/// The raw bytes of an entry, at most [`MAX_ENTRY_BYTES`], or None if the archive lacks it.
fn entry_bytes<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
    name: &str,
) -> Result<Option<Vec<u8>>, SimError> {
    let Some(index) = zip
        .index_for_name(&format!("{name}.npy"))
        .or_else(|| zip.index_for_name(name))
    else {
        return Ok(None);
    };
    let mut entry = zip
        .by_index(index)
        .map_err(|e| bad(format!("{name}: cannot read the archive entry ({e})")))?;
    let too_large = || {
        bad(format!(
            "{name} is too large: more than {MAX_ENTRY_BYTES} bytes ({MAX_ENTRIES} float64 entries are held in memory at most)"
        ))
    };
    if entry.size() > MAX_ENTRY_BYTES {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(entry.size() as usize);
    (&mut entry)
        .take(MAX_ENTRY_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| bad(format!("{name}: truncated or corrupt archive entry ({e})")))?;
    if bytes.len() as u64 > MAX_ENTRY_BYTES {
        return Err(too_large());
    }
    Ok(Some(bytes))
}

/// Parses one `.npy` entry into f64 values with its shape, after checking that the header is
/// complete, the shape is within the limits and exactly that many values follow.
fn parse_npy(name: &str, bytes: &[u8]) -> Result<ArrayD<f64>, SimError> {
    const MAGIC: &[u8] = b"\x93NUMPY";
    if bytes.len() < 10 || !bytes.starts_with(MAGIC) {
        return Err(bad(format!(
            "{name} is not a .npy array (bad magic string)"
        )));
    }
    let (prefix, header_len) = match bytes[6] {
        1 => (
            10,
            10 + usize::from(u16::from_le_bytes([bytes[8], bytes[9]])),
        ),
        2 | 3 if bytes.len() >= 12 => (
            12,
            12 + u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize,
        ),
        v => {
            return Err(bad(format!(
                "{name} has .npy format version {v}: must be 1, 2 or 3"
            )));
        }
    };
    if header_len > bytes.len() {
        return Err(bad(format!("{name} is truncated inside its .npy header")));
    }
    check_header_text(name, &bytes[prefix..header_len])?;
    let header = Header::from_reader(&mut &bytes[..header_len])
        .map_err(|e| bad(format!("{name} has an unreadable .npy header ({e})")))?;
    let width = float_width(&header, name)?;
    let shape = &header.shape;
    if shape.iter().any(|&k| k > MAX_DIM) || shape.len() > 2 {
        return Err(bad(format!(
            "{name} has shape {shape:?}: too large or more than 2-D (at most {MAX_DIM} per axis)"
        )));
    }
    let count = shape.iter().product::<usize>();
    if count > MAX_ENTRIES {
        return Err(bad(format!(
            "{name} has shape {shape:?}: too large (at most {MAX_ENTRIES} entries are held in memory)"
        )));
    }
    let data = bytes.len() - header_len;
    if data != count * width {
        return Err(bad(format!(
            "{name} is truncated or padded: its header says {count} values of {width} bytes ({} bytes), {data} bytes follow",
            count * width
        )));
    }
    let read = |e: ndarray_npy::ReadNpyError| bad(format!("{name}: cannot decode ({e})"));
    if width == 8 {
        ArrayD::<f64>::read_npy(bytes).map_err(read)
    } else {
        Ok(ArrayD::<f32>::read_npy(bytes)
            .map_err(read)?
            .mapv(f64::from))
    }
}

/// Longest `.npy` header text accepted (NumPy writes about 120 bytes for a 2-D float array).
const MAX_HEADER_TEXT: usize = 4096;
/// Deepest bracket nesting accepted in a header (`{'shape': (n, d)}` nests 2 deep).
const MAX_HEADER_DEPTH: usize = 3;

/// Refuses a header text the dictionary parser should not see: too long, not ASCII, or nested
/// deeper than a `.npy` header ever is (the parser's time grows exponentially with nesting).
fn check_header_text(name: &str, text: &[u8]) -> Result<(), SimError> {
    if text.len() > MAX_HEADER_TEXT || !text.is_ascii() {
        return Err(bad(format!(
            "{name} has an unreadable .npy header (longer than {MAX_HEADER_TEXT} bytes or not ASCII)"
        )));
    }
    let mut depth = 0usize;
    for &c in text {
        match c {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth > MAX_HEADER_DEPTH {
            return Err(bad(format!(
                "{name} has an unreadable .npy header (brackets nested more than {MAX_HEADER_DEPTH} deep)"
            )));
        }
    }
    Ok(())
}

/// A 2-D array by name (None if absent).
fn matrix<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
    name: &str,
) -> Result<Option<Array2<f64>>, SimError> {
    let Some(bytes) = entry_bytes(zip, name)? else {
        return Ok(None);
    };
    let a = parse_npy(name, &bytes)?;
    let shape = a.shape().to_vec();
    if let [rows, cols] = shape[..] {
        check_size(name, rows, cols)?;
    }
    a.into_dimensionality().map(Some).map_err(|_| {
        bad(format!(
            "{name} has shape {shape:?}: must be 2-D (rows × columns)"
        ))
    })
}

/// A 1-D array by name (a column or row vector is accepted too; None if absent).
fn vector<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
    name: &str,
) -> Result<Option<Array1<f64>>, SimError> {
    let Some(bytes) = entry_bytes(zip, name)? else {
        return Ok(None);
    };
    let a = parse_npy(name, &bytes)?;
    match a.shape() {
        [_] => Ok(a.into_dimensionality().ok()),
        [1, _] | [_, 1] => Ok(Some(Array1::from_iter(a.iter().copied()))),
        s => Err(bad(format!("{name} has shape {s:?}: must be 1-D"))),
    }
}

/// Reads a data set from the bytes of an `.npz` archive.
pub fn read<R: Read + Seek>(reader: R, name: &str) -> Result<DataSet, SimError> {
    let mut zip = ZipArchive::new(reader)
        .map_err(|e| bad(format!("not a readable .npz (zip) archive: {e}")))?;
    let mut all: Vec<&str> = zip
        .file_names()
        .map(|n| n.trim_end_matches(".npy"))
        .collect();
    all.sort_unstable();
    let all = all.join(", ");
    let missing = |array: &str| bad(format!("no array named {array} (the archive has: {all})"));
    let x = matrix(&mut zip, "X")?.ok_or_else(|| missing("X"))?;
    let y = vector(&mut zip, "y")?.ok_or_else(|| missing("y"))?;
    let beta_star = vector(&mut zip, "beta_star")?;
    let test = match (matrix(&mut zip, "X_test")?, vector(&mut zip, "y_test")?) {
        (Some(xt), Some(yt)) => Some((xt, yt)),
        (None, None) => None,
        (Some(_), None) => return Err(missing("y_test (X_test is given)")),
        (None, Some(_)) => return Err(missing("X_test (y_test is given)")),
    };
    DataSet::new(name, x, y, beta_star, test)
}

/// The problem's arrays as an `.npz` archive: `X`, `y`, `beta_star` and, if it has one, the
/// test set `X_test`, `y_test` (float64, C order, uncompressed like `numpy.savez`).
pub fn write<W: Write + Seek>(writer: W, problem: &Problem) -> Result<(), String> {
    let mut npz = ndarray_npy::NpzWriter::new(writer);
    let err = |e: ndarray_npy::WriteNpzError| e.to_string();
    npz.add_array("X", problem.x()).map_err(err)?;
    npz.add_array("y", &problem.y).map_err(err)?;
    if problem.measure == crate::model::ErrorMeasure::Recovery {
        npz.add_array("beta_star", &problem.beta_star)
            .map_err(err)?;
    }
    if problem.spec.n_test > 0 {
        npz.add_array("X_test", &problem.x_test).map_err(err)?;
        npz.add_array("y_test", &problem.y_test).map_err(err)?;
    }
    let mut out = npz.finish().map_err(err)?;
    out.flush().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An `.npy` header claiming a huge shape over a few bytes is refused before allocating.
    #[test]
    fn a_lying_header_is_refused_before_allocating() {
        let mut bytes = b"\x93NUMPY\x01\x00".to_vec();
        let dict = b"{'descr': '<f8', 'fortran_order': False, 'shape': (100000, 100000), }\n";
        bytes.extend_from_slice(&(dict.len() as u16).to_le_bytes());
        bytes.extend_from_slice(dict);
        bytes.extend_from_slice(&[0u8; 16]);
        let e = parse_npy("X", &bytes).unwrap_err().to_string();
        assert!(e.contains("too large"), "{e}");
    }
}
