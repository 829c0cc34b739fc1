//! A user's own data set (read by `crate::data`), checked for consistent shapes and finite values
//! before any problem is built from it.

use std::fmt;

use ndarray::{Array1, Array2};

use super::config::{MAX_DIM, MAX_ENTRIES};
use super::error::SimError;

/// Arrays of a data set: `X` (n×d), `y` (n), optionally `beta_star` (d), `X_test`, `y_test`.
#[derive(Clone, PartialEq)]
pub struct DataSet {
    /// Where it came from (a file name), for titles and messages.
    pub name: String,
    /// Training design.
    pub x: Array2<f64>,
    /// Training labels.
    pub y: Array1<f64>,
    /// Ground truth, if known.
    pub beta_star: Option<Array1<f64>>,
    /// Test design and labels, if given.
    pub test: Option<(Array2<f64>, Array1<f64>)>,
    /// Rank of `X` (checked when `n < d` and `n ≤` [`RANK_CHECKED_UP_TO`], else taken as
    /// `min(n, d)`): the implicit-bias theory needs rows that are linearly independent.
    pub rank: usize,
}

/// Largest n whose rank is checked on loading (an `n × n` eigenvalue problem).
pub const RANK_CHECKED_UP_TO: usize = 2000;

impl fmt::Debug for DataSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (n, d) = self.x.dim();
        write!(f, "DataSet({}: n = {n}, d = {d})", self.name)
    }
}

/// The first non-finite entry of a matrix as `(row, column)`, counted from 1.
fn first_non_finite(a: &Array2<f64>) -> Option<(usize, usize, f64)> {
    a.indexed_iter()
        .find(|(_, v)| !v.is_finite())
        .map(|((i, j), v)| (i + 1, j + 1, *v))
}

fn non_finite(name: &str, at: Option<(usize, usize, f64)>) -> Result<(), SimError> {
    match at {
        None => Ok(()),
        Some((i, j, v)) => Err(SimError::Data(format!(
            "{name} has {v} at row {i}, column {j}: every value must be finite"
        ))),
    }
}

fn column(v: &Array1<f64>) -> Array2<f64> {
    v.view().insert_axis(ndarray::Axis(1)).to_owned()
}

/// Checks that `rows × cols` fits the memory limits (before anything that size is allocated).
pub fn check_size(name: &str, rows: usize, cols: usize) -> Result<(), SimError> {
    let entries = rows.saturating_mul(cols);
    if rows > MAX_DIM || cols > MAX_DIM || entries > MAX_ENTRIES {
        return Err(SimError::Data(format!(
            "{name} is {rows}×{cols}: too large (at most {MAX_DIM} rows or columns and {MAX_ENTRIES} entries are held in memory)"
        )));
    }
    Ok(())
}

impl DataSet {
    /// A checked data set: consistent shapes, at least one sample and feature, finite values.
    pub fn new(
        name: &str,
        x: Array2<f64>,
        y: Array1<f64>,
        beta_star: Option<Array1<f64>>,
        test: Option<(Array2<f64>, Array1<f64>)>,
    ) -> Result<DataSet, SimError> {
        let (n, d) = x.dim();
        let shape = |what: String| Err(SimError::Data(what));
        if n == 0 || d == 0 {
            return shape(format!(
                "X is {n}×{d}: needs at least one row and one column"
            ));
        }
        check_size("X", n, d)?;
        if y.len() != n {
            return shape(format!("y has {} entries but X has n = {n} rows", y.len()));
        }
        if let Some(b) = &beta_star
            && b.len() != d
        {
            return shape(format!(
                "beta_star has {} entries but X has d = {d} columns",
                b.len()
            ));
        }
        if let Some((xt, yt)) = &test {
            if xt.ncols() != d {
                return shape(format!(
                    "X_test has {} columns but X has d = {d}",
                    xt.ncols()
                ));
            }
            if yt.len() != xt.nrows() {
                return shape(format!(
                    "y_test has {} entries but X_test has {} rows",
                    yt.len(),
                    xt.nrows()
                ));
            }
            check_size("X_test", xt.nrows(), d)?;
        }
        non_finite("X", first_non_finite(&x))?;
        non_finite("y", first_non_finite(&column(&y)))?;
        if let Some(b) = &beta_star {
            non_finite("beta_star", first_non_finite(&column(b)))?;
        }
        if let Some((xt, yt)) = &test {
            non_finite("X_test", first_non_finite(xt))?;
            non_finite("y_test", first_non_finite(&column(yt)))?;
        }
        // Every kernel reads X row by row from one slice: Fortran-ordered files are copied to
        // row-major order once, here.
        let x = standard(x);
        let test = test.map(|(xt, yt)| (standard(xt), yt));
        let rank = if n < d && n <= RANK_CHECKED_UP_TO {
            super::linalg::row_rank(&x)?
        } else {
            n.min(d)
        };
        Ok(DataSet {
            name: name.into(),
            x,
            y,
            beta_star,
            test,
            rank,
        })
    }

    /// Number of samples n.
    pub fn n(&self) -> usize {
        self.x.nrows()
    }

    /// Dimension d.
    pub fn d(&self) -> usize {
        self.x.ncols()
    }

    /// Whether the implicit-bias theory applies: `d > n` and linearly independent rows.
    pub fn overparametrised(&self) -> bool {
        self.d() > self.n() && self.rank == self.n()
    }

    /// Number of test samples (0 without a test set).
    pub fn n_test(&self) -> usize {
        self.test.as_ref().map_or(0, |(x, _)| x.nrows())
    }

    /// Non-zeros of β* (0 without one).
    pub fn s(&self) -> usize {
        (self.beta_star.iter().flatten())
            .filter(|v| **v != 0.0)
            .count()
    }
}

/// `a` in row-major standard layout (copied only if it is not already).
fn standard(a: Array2<f64>) -> Array2<f64> {
    if a.is_standard_layout() {
        a
    } else {
        a.as_standard_layout().into_owned()
    }
}
