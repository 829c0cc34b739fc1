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
            self.next_log = (step + 1).max((step as f64 * LOG_RATIO) as u64);
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
                self.stride *= 2;
                let stride = self.stride;
                self.items
                    .retain(|(s, k, _)| *k != Kind::Strided || s.is_multiple_of(stride));
                self.strided = self.items.iter().filter(|i| i.1 == Kind::Strided).count();
            }
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
