//! What paired runs stream to a front end, and the front end's one copy of the histories.

use std::sync::Arc;

use crate::model::{ErrorMeasure, MethodKind, Point, Settings, Stop};

use super::scene::MethodSet;

/// What a set of paired runs is, sent once per restart.
#[derive(Clone, Debug)]
pub struct RunInfo {
    /// The scene it runs.
    pub scene: Settings,
    /// The methods that run on it.
    pub methods: MethodSet,
    /// The resolved step size γ (shown, never written back into the scene).
    pub gamma: f64,
    /// Single-sample SGD stability limit `2 / max_i κ_i(β_ℓ1, ρ₀)`, if `d > n`.
    pub gamma_limit: Option<f64>,
    /// Counts data generations: unchanged when a restart kept the data.
    pub data_generation: u64,
    /// Followed coordinates of β (support of β* first).
    pub coords: Vec<usize>,
    /// β* at the followed coordinates.
    pub beta_star: Vec<f64>,
    /// Which followed coordinates are in the support of β*.
    pub in_support: Vec<bool>,
    /// The support of β*, ascending.
    pub support: Vec<usize>,
    /// `‖β_ℓ1 − β*‖²`, `‖β_ℓ2 − β*‖²`, `‖β_GF − β*‖²` when `d > n` (in the error measure).
    pub reference_errors: Option<[f64; 3]>,
    /// What the error measures (`‖β − β*‖²` unless the data has no β*).
    pub error_measure: ErrorMeasure,
    /// Whether the test error differs from the error and is shown beside it.
    pub shows_test_error: bool,
    /// The data's staircase and Lasso path (docs/saddles.md), when computed.
    pub small_alpha: Option<Arc<super::small_alpha::SmallAlpha>>,
}

/// The theory's predicted limit of one method from its current state.
#[derive(Clone, Debug, PartialEq)]
pub struct Prediction {
    /// Step it was computed at.
    pub step: u64,
    /// The predicted limit at the followed coordinates.
    pub coords: Vec<f64>,
    /// `‖β_t − β_pred‖/‖β_t‖`.
    pub gap: f64,
    /// Every coordinate's exact `α_{t,j}/α` at that step.
    pub alpha_exact: Vec<f64>,
    /// P21's per-coordinate formula `exp(−2(γ/b)(XᵀX/n)_jj ∫₀ᵗ L)` at that step.
    pub alpha_p21: Vec<f64>,
    /// The product formula `exp(−½ Σ_k q(D_k,j))` per coordinate, for the noise methods.
    pub alpha_product: Option<Vec<f64>>,
    /// Where the identity fails (isotropic noise): the prediction from the dual steps alone at
    /// the followed coordinates, and `β_t`'s relative distance to it.
    pub product: Option<(Vec<f64>, f64)>,
}

/// The state of one method's run.
#[derive(Clone, Debug, PartialEq)]
pub struct MethodStatus {
    /// The method.
    pub kind: MethodKind,
    /// Steps taken.
    pub step: u64,
    /// Why it stopped, if it did.
    pub stop: Option<Stop>,
    /// The step at which it diverged.
    pub diverged_at: Option<u64>,
}

/// New history points of one run: keep the first `keep` points sent before, then append `new`
/// (the run's history decimates itself; the receiver mirrors it without re-decimating).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Points {
    /// Points of the previous copy still in the history.
    pub keep: usize,
    /// Points after those.
    pub new: Vec<Point>,
}

/// Work of the current run still going on in the background (the GUI's pace only).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pending {
    /// The scene is being prepared (data, basis pursuit, γ): no runs yet.
    pub preparing: bool,
    /// Gradient flow's limit or a predicted limit is being solved.
    pub solving: bool,
}

/// An update streamed from the runs to a front end.
#[derive(Clone, Debug, Default)]
pub struct Frame {
    /// Which run this belongs to (counts restarts).
    pub run: u64,
    /// Present on the first frame of a run.
    pub info: Option<Arc<RunInfo>>,
    /// History changes per method since the previous frame.
    pub points: Vec<(MethodKind, Points)>,
    /// Fresh predictions.
    pub predictions: Vec<(MethodKind, Prediction)>,
    /// Status of every method.
    pub status: Vec<MethodStatus>,
    /// Whether the runs are playing.
    pub playing: bool,
    /// A failure to show.
    pub error: Option<String>,
    /// What is still running in the background.
    pub pending: Pending,
}

/// A front end's copy of the current runs, built from frames.
#[derive(Clone, Debug, Default)]
pub struct Record {
    /// The run id expected (frames of other runs are dropped).
    pub run: u64,
    /// The runs' description, once it arrived.
    pub info: Option<Arc<RunInfo>>,
    /// The one history per method, in step order.
    pub histories: Vec<(MethodKind, Vec<Point>)>,
    /// Latest predicted limit per method.
    pub predictions: Vec<(MethodKind, Prediction)>,
    /// Latest status per method.
    pub status: Vec<MethodStatus>,
    /// Whether the runs play.
    pub playing: bool,
    /// The last error reported.
    pub error: Option<String>,
    /// What is still running in the background, as of the last frame.
    pub pending: Pending,
    /// Bumped whenever anything changes.
    pub version: u64,
}

impl Record {
    /// Forgets everything and waits for run `run`.
    pub fn reset(&mut self, run: u64) {
        *self = Record {
            run,
            playing: self.playing,
            version: self.version + 1,
            ..Record::default()
        };
    }

    /// Merges a frame of the current run (frames of other runs are ignored).
    pub fn apply(&mut self, frame: Frame) {
        if frame.run != self.run {
            return;
        }
        if let Some(info) = frame.info {
            self.info = Some(info);
        }
        for (kind, update) in frame.points {
            let i = match self.histories.iter().position(|(k, _)| *k == kind) {
                Some(i) => i,
                None => {
                    self.histories.push((kind, Vec::new()));
                    self.histories.len() - 1
                }
            };
            let history = &mut self.histories[i].1;
            history.truncate(update.keep);
            history.extend(update.new);
        }
        for (kind, p) in frame.predictions {
            self.predictions.retain(|(k, _)| *k != kind);
            self.predictions.push((kind, p));
        }
        self.status = frame.status;
        self.playing = frame.playing;
        self.pending = frame.pending;
        if frame.error.is_some() {
            self.error = frame.error;
        }
        self.version += 1;
    }

    /// The history of a method.
    pub fn history(&self, kind: MethodKind) -> Option<&[Point]> {
        (self.histories.iter())
            .find(|(k, _)| *k == kind)
            .map(|(_, h)| h.as_slice())
    }

    /// The latest point of a method.
    pub fn latest(&self, kind: MethodKind) -> Option<&Point> {
        self.history(kind).and_then(|h| h.last())
    }

    /// The latest prediction of a method.
    pub fn prediction(&self, kind: MethodKind) -> Option<&Prediction> {
        (self.predictions.iter())
            .find(|(k, _)| *k == kind)
            .map(|(_, p)| p)
    }

    /// Whether every method has stopped (budget, convergence or divergence).
    pub fn finished(&self) -> bool {
        !self.status.is_empty() && self.status.iter().all(|s| s.stop.is_some())
    }

    /// The runs as they stood at step `k`: each history up to its last point at or before `k`,
    /// each status at that step (and not yet stopped if it stopped later).
    pub fn up_to(&self, k: u64) -> Record {
        let histories = (self.histories.iter())
            .map(|(kind, h)| {
                let end = h.partition_point(|p| p.sample.step <= k);
                (*kind, h[..end].to_vec())
            })
            .collect();
        let status = (self.status.iter())
            .map(|s| match s.step > k {
                true => MethodStatus {
                    step: k,
                    stop: None,
                    diverged_at: None,
                    ..*s
                },
                false => s.clone(),
            })
            .collect();
        Record {
            histories,
            status,
            info: self.info.clone(),
            predictions: self.predictions.clone(),
            error: self.error.clone(),
            ..*self
        }
    }

    /// The largest step any method has reached.
    pub fn max_step(&self) -> u64 {
        self.status.iter().map(|s| s.step).max().unwrap_or(0)
    }

    /// The first recorded step after `k` of any method, if there is one.
    pub fn next_step_after(&self, k: u64) -> Option<u64> {
        (self.histories.iter())
            .filter_map(|(_, h)| h.get(h.partition_point(|p| p.sample.step <= k)))
            .map(|p| p.sample.step)
            .min()
    }

    /// The smallest step any method has reached.
    pub fn min_step(&self) -> u64 {
        self.status.iter().map(|s| s.step).min().unwrap_or(0)
    }
}
