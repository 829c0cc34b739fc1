//! How a run ended.

/// Why a call to [`Trainer::run`](super::Trainer::run) returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    /// The requested step was reached.
    Budget,
    /// The training loss fell to the tolerance.
    Converged,
    /// Values became non-finite or exploded.
    Diverged,
    /// The budget ran out with the loss no lower than halfway through: the run oscillates
    /// (GD past its edge of stability) rather than converging slowly.
    NotConverged,
}

impl Stop {
    /// The name used in tables, JSON and CSV: converged, budget, diverged or not-converged.
    pub fn name(self) -> &'static str {
        match self {
            Stop::Budget => "budget",
            Stop::Converged => "converged",
            Stop::Diverged => "diverged",
            Stop::NotConverged => "not-converged",
        }
    }

    /// How the GUI and tables describe it.
    pub fn describe(self) -> &'static str {
        match self {
            Stop::Budget => "step budget reached",
            Stop::Converged => "converged",
            Stop::Diverged => "diverged",
            Stop::NotConverged => "not converged (oscillating)",
        }
    }
}
