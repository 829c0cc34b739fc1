//! Bounded history of a run: log-spaced early samples plus evenly strided ones, decimated by
//! doubling the stride whenever the strided part fills up.

/// Why a sample was kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Log,
    Strided,
    Extra,
}

/// A bounded, decimated record of `(step, T)` pairs, in increasing step order.
#[derive(Clone, Debug)]
pub struct Recorder<T> {
    capacity: usize,
    stride: u64,
    next_log: u64,
    strided: usize,
    items: Vec<(u64, Kind, T)>,
}

/// Ratio between consecutive log-spaced sample steps.
const LOG_RATIO: f64 = 1.08;

impl<T> Recorder<T> {
    /// A recorder keeping at most about `capacity` strided samples (plus ~30 per decade of log ones).
    pub fn new(capacity: usize) -> Recorder<T> {
        Recorder {
            capacity: capacity.max(4),
            stride: 1,
            next_log: 0,
            strided: 0,
            items: Vec::new(),
        }
    }

    /// The first step `≥ step` at which a sample is due.
    pub fn next_due(&self, step: u64) -> u64 {
        let strided = step.div_ceil(self.stride) * self.stride;
        strided.min(self.next_log.max(step))
    }

    /// Records `value` taken at `step`; off-schedule samples are kept only until the next one.
    pub fn push(&mut self, step: u64, value: T) {
        if matches!(self.items.last(), Some((_, Kind::Extra, _))) {
            self.items.pop();
        }
        if matches!(self.items.last(), Some((s, _, _)) if *s >= step) {
            return;
        }
        let kind = if step >= self.next_log {
            self.pass(step);
            Kind::Log
        } else if step.is_multiple_of(self.stride) {
            Kind::Strided
        } else {
            Kind::Extra
        };
        self.items.push((step, kind, value));
        if kind == Kind::Strided {
            self.strided += 1;
            if self.strided > self.capacity {
                self.widen();
            }
        }
    }

    /// Doubles the stride, dropping the strided samples off the new one.
    fn widen(&mut self) {
        self.stride *= 2;
        let stride = self.stride;
        self.items
            .retain(|(s, k, _)| *k != Kind::Strided || s.is_multiple_of(stride));
        self.strided = self.items.iter().filter(|i| i.1 == Kind::Strided).count();
    }

    /// Moves the schedule past a sample due at `step` that was not taken, as if it had been:
    /// the log-spaced schedule moves on and the stride widens with the steps, so skipped samples
    /// leave the later ones as sparse as kept ones would.
    pub fn pass(&mut self, step: u64) {
        if step >= self.next_log {
            self.next_log = (step + 1).max((step as f64 * LOG_RATIO) as u64);
        }
        while step / self.stride > self.capacity as u64 {
            self.widen();
        }
    }

    /// Records `value` at `step`, replacing the latest sample if it was taken at this step.
    pub fn put(&mut self, step: u64, value: T) {
        match self.items.last_mut() {
            Some((s, _, v)) if *s == step => *v = value,
            _ => self.push(step, value),
        }
    }

    /// Number of samples held.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether nothing has been recorded.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The samples in step order.
    pub fn iter(&self) -> impl Iterator<Item = (u64, &T)> {
        self.items.iter().map(|(s, _, v)| (*s, v))
    }

    /// The latest sample.
    pub fn last(&self) -> Option<(u64, &T)> {
        self.items.last().map(|(s, _, v)| (*s, v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Visits every due step up to `end`, keeping the first `kept` samples and skipping the rest;
    /// returns the number of due steps visited.
    fn dues(kept: usize, end: u64) -> (usize, Recorder<()>) {
        let mut rec = Recorder::new(64);
        let (mut step, mut visited) = (0, 0);
        while step <= end {
            visited += 1;
            if visited <= kept {
                rec.push(step, ());
            } else {
                rec.pass(step);
            }
            step = rec.next_due(step + 1);
        }
        (visited, rec)
    }

    #[test]
    fn skipped_samples_leave_the_schedule_as_sparse_as_kept_ones() {
        let (all, kept) = dues(usize::MAX, 1_000_000);
        assert!(kept.len() <= 64 + 200, "{} samples held", kept.len());
        for first in [0, 10, 100] {
            let (visited, rec) = dues(first, 1_000_000);
            assert!(rec.len() <= first, "{} held of {first} kept", rec.len());
            // Skipping changes which samples are held, not how often one falls due.
            assert!(
                visited.abs_diff(all) <= all / 10,
                "{visited} due steps with {first} kept, {all} with all kept"
            );
            assert!(rec.stride >= 1_000_000 / 128, "stride {}", rec.stride);
        }
    }
}
