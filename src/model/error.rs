//! Typed errors of the simulation core; every message names the bad value and the allowed range.

use thiserror::Error;

/// An error from validating settings or from a numerical routine.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum SimError {
    /// A setting is outside its allowed range.
    #[error("invalid {name} = {value}: must be {range}")]
    Invalid {
        /// Name of the setting as written on the command line and in config files.
        name: &'static str,
        /// The offending value as the user wrote it.
        value: String,
        /// The allowed range in words.
        range: String,
    },
    /// The problem is not over-parametrised, but the requested quantity needs `d > n`.
    #[error("n = {n} ≥ d = {d}: not over-parametrised; {what} needs d > n")]
    NotOverparametrised {
        /// Number of samples.
        n: usize,
        /// Dimension.
        d: usize,
        /// What needed `d > n`.
        what: &'static str,
    },
    /// `d > n` but the rows of `X` are linearly dependent, and the quantity needs full row rank.
    #[error(
        "X has rank {rank} < n = {n} (linearly dependent rows); {what} needs X of full row rank"
    )]
    RankDeficient {
        /// Number of samples.
        n: usize,
        /// Rank of `X`.
        rank: usize,
        /// What needed full row rank.
        what: &'static str,
    },
    /// A data set is inconsistent (shapes, non-finite values, size).
    #[error("{0}")]
    Data(String),
    /// A numerical routine failed.
    #[error("{0}")]
    Numerical(String),
    /// A γ_max bisection found no bracket: no step size in reach converges, or every one does.
    #[error("{0}")]
    NoBracket(String),
    /// The computation was cancelled (a newer request superseded it).
    #[error("cancelled")]
    Cancelled,
}

impl SimError {
    /// Shorthand for [`SimError::Invalid`].
    pub fn invalid(name: &'static str, value: impl ToString, range: impl Into<String>) -> Self {
        SimError::Invalid {
            name,
            value: value.to_string(),
            range: range.into(),
        }
    }
}
