//! The record a front end would hold at chosen steps of paired runs: what an animation draws,
//! one frame per step.

use std::sync::Arc;

use crate::model::SimError;

use super::driver::run_to_end;
use super::frame::Record;
use super::prepare::Prepared;
use super::runs::PairedRuns;
use super::scene::MethodSet;

/// Paired runs replayed to chosen steps: an iterator of `(step, record at that step)`.
pub struct Snapshots {
    /// The record of the runs gone to their ends (what the last step shows).
    pub finished: Record,
    /// The steps, non-decreasing; the last is where the last run stopped.
    pub steps: Vec<u64>,
    runs: PairedRuns,
    record: Record,
    now: u64,
    next: usize,
}

impl Snapshots {
    /// Runs `methods` to their ends, asks `steps` for the steps to stop at given the last step
    /// any method reached, and restarts the runs from step 0 to replay them.
    pub fn new(
        prepared: Arc<Prepared>,
        methods: MethodSet,
        steps: impl FnOnce(u64) -> Vec<u64>,
    ) -> Result<Snapshots, SimError> {
        let (_, finished) = run_to_end(prepared.clone(), methods, true)?;
        let end = finished.status.iter().map(|s| s.step).max().unwrap_or(0);
        let mut runs = PairedRuns::default();
        runs.start_prepared(0, prepared, methods)?;
        Ok(Snapshots {
            finished,
            steps: steps(end),
            runs,
            record: Record::default(),
            now: 0,
            next: 0,
        })
    }

    /// The last step.
    pub fn end(&self) -> u64 {
        self.steps.last().copied().unwrap_or(0)
    }
}

impl Iterator for Snapshots {
    type Item = (u64, Record);

    /// Steps every run on to the next step (runs that stopped stay as they ended), solves the
    /// predicted limits there as the app does while it plays, and returns a copy of the record.
    fn next(&mut self) -> Option<(u64, Record)> {
        let step = *self.steps.get(self.next)?;
        self.next += 1;
        self.runs.advance(step.saturating_sub(self.now), None);
        self.now = self.now.max(step);
        self.runs.predict();
        self.record.apply(self.runs.take_frame(false));
        Some((step, self.record.clone()))
    }
}
