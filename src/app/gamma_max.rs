//! γ_max of the running methods, bisected on a background job whenever the scene changes, so
//! the side panel can show the current γ as a fraction of each method's γ_max.

use rayon::prelude::*;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use eframe::egui;

use super::App;
use super::job::{Job, Progress};
use crate::experiment::gamma_max::{Bisection, GammaMax, converges_eventually};
use crate::experiment::{MethodSet, RunInfo};
use crate::figure::num;
use crate::model::{MethodKind, Problem, Settings, SimError};
use crate::platform::Instant;

/// Largest `n·d·steps` bisected automatically (`40 × 100 × 400 000` is 1.6e9): beyond it the
/// bisection's dozen runs would keep a core busy for minutes.
const MAX_WORK: f64 = 4e10;
/// The same on the web page, where the bisection runs a slice at a time between frames: every
/// shipped scene (at most `40 × 100 × 10⁶`), about a minute of a tab's time at most.
const PAGE_MAX_WORK: f64 = 4e9;

/// What the side panel shows of γ_max.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum GammaMaxView {
    /// No scene yet.
    #[default]
    Unknown,
    /// Bisecting in the background.
    Computing,
    /// Each running method's γ_max (`None` where no bracket was found).
    Known(Vec<(MethodKind, Option<f64>)>),
    /// Not computed at this size.
    TooLarge,
    /// On the web page: waiting for the runs to finish (they share its one thread).
    AfterRuns,
}

/// Each running method's γ_max (`None` where no bracket was found).
type Found = Vec<(MethodKind, Option<f64>)>;

/// The scene a bisection belongs to, and its job.
pub(super) struct ForScene {
    key: (Settings, MethodSet, u64),
    job: Option<Job<Found>>,
}

impl App {
    /// Starts a bisection when the runs' scene changed; takes in a finished one.
    pub(super) fn refresh_gamma_max(&mut self, ctx: &egui::Context) {
        let Some(info) = self.live.info.clone() else {
            return;
        };
        // Compared in place: the scene is cloned only when it changed, not every frame.
        let same = |b: &ForScene| {
            b.key.0 == info.scene && b.key.1 == info.methods && b.key.2 == info.gamma.to_bits()
        };
        if !self.gamma_max.as_ref().is_some_and(same) {
            if !crate::platform::THREADS && !self.live.finished() {
                self.controls.gamma_max = GammaMaxView::AfterRuns;
                self.gamma_max = None;
                return;
            }
            let key = (info.scene.clone(), info.methods, info.gamma.to_bits());
            let Some(work) = bisect(&info) else {
                self.controls.gamma_max = GammaMaxView::TooLarge;
                self.gamma_max = Some(ForScene { key, job: None });
                return;
            };
            let kinds = work.kinds.len();
            // The tests' inline backend bisects on the spot, so what it shows is reproducible.
            let (view, job) = if !crate::platform::THREADS {
                let job = Job::sliced(ctx, kinds, work.sliced());
                (GammaMaxView::Computing, job.ok())
            } else if matches!(self.backend, super::worker::Backend::Inline(_)) {
                (GammaMaxView::Known(work.all(&AtomicBool::new(false))), None)
            } else {
                let job = Job::spawn(ctx, "gamma-max", kinds, move |p| work.all(p.cancelled()));
                (GammaMaxView::Computing, job.ok())
            };
            self.controls.gamma_max = view;
            self.gamma_max = Some(ForScene { key, job });
        }
        let Some(bisection) = &mut self.gamma_max else {
            return;
        };
        let Some(result) = bisection.job.as_ref().and_then(|j| j.poll(ctx)) else {
            return;
        };
        bisection.job = None;
        self.controls.gamma_max = match result {
            Ok(found) => GammaMaxView::Known(found),
            Err(_) => GammaMaxView::Unknown,
        };
    }
}

impl App {
    /// Whether a bisection is still running (captures wait for it, so they are reproducible).
    pub(super) fn gamma_max_pending(&self) -> bool {
        self.gamma_max.as_ref().is_some_and(|b| b.job.is_some())
    }
}

/// The bisections of every running method that can converge (not GF, not noise that never
/// stops), or `None` when the scene is too large.
fn bisect(info: &RunInfo) -> Option<Work> {
    let s = &info.scene;
    let work = (s.problem.n * s.problem.d) as f64 * s.steps as f64;
    if work > MAX_WORK || (!crate::platform::THREADS && work > PAGE_MAX_WORK) {
        return None;
    }
    let kinds: Vec<MethodKind> = (info.methods.iter())
        .filter(|k| *k != MethodKind::Gf && converges_eventually(*k, s))
        .collect();
    Some(Work {
        settings: s.clone(),
        kinds,
        start: info.gamma,
    })
}

/// A scene's γ_max bisections, not started.
struct Work {
    settings: Settings,
    kinds: Vec<MethodKind>,
    start: f64,
}

impl Work {
    /// Each method's bisection on the scene's problem, nothing run yet.
    fn bisections(self) -> Vec<(MethodKind, Option<Bisection>)> {
        let problem = Arc::new(Problem::generate(&self.settings.problem));
        (self.kinds.into_iter())
            .map(|kind| {
                let s = Settings {
                    method: kind,
                    ..self.settings.clone()
                };
                (kind, Bisection::new(&problem, &s, kind, self.start).ok())
            })
            .collect()
    }

    /// Every bisection to its end, the methods side by side (each is a few dozen whole runs).
    fn all(self, cancel: &AtomicBool) -> Found {
        (self.bisections().into_par_iter())
            .map(|(kind, b)| {
                (
                    kind,
                    b.and_then(|mut b| gamma_max_of(b.advance(None, cancel)?)),
                )
            })
            .collect()
    }

    /// The bisections one after another, each advanced until the deadline it is given; the
    /// result once the last has ended.
    fn sliced(self) -> impl FnMut(&Progress, Instant) -> Option<Found> + Send + 'static {
        let mut pending = std::collections::VecDeque::from(self.bisections());
        let mut found = Vec::new();
        move |progress, deadline| {
            while let Some((kind, bisection)) = pending.front_mut() {
                let end = match bisection {
                    Some(b) => gamma_max_of(b.advance(Some(deadline), progress.cancelled())?),
                    None => None,
                };
                found.push((*kind, end));
                pending.pop_front();
                progress.tick();
            }
            Some(std::mem::take(&mut found))
        }
    }
}

/// γ_max at a bisection's end (`None` without a bracket).
fn gamma_max_of(end: Result<GammaMax, SimError>) -> Option<f64> {
    end.ok().map(|g| g.gamma_max)
}

/// `γ/γ_max: GD 0.13 · SGD 0.68` (one line) and the γ_max values for the tooltip.
pub fn gamma_max_line(gamma: f64, view: &GammaMaxView) -> (String, String) {
    let line = match view {
        GammaMaxView::Unknown => "γ/γ_max: —".into(),
        GammaMaxView::Computing => "γ/γ_max: bisecting in the background…".into(),
        GammaMaxView::TooLarge if crate::platform::WEB_PAGE => {
            "γ/γ_max: bisected in the desktop app (seconds of work)".into()
        }
        GammaMaxView::TooLarge => "γ/γ_max: not bisected at this size".into(),
        GammaMaxView::AfterRuns => "γ/γ_max: bisected once the runs finish".into(),
        GammaMaxView::Known(found) if found.iter().all(|(_, g)| g.is_none()) => {
            "γ/γ_max: no γ converges within the step budget".into()
        }
        GammaMaxView::Known(found) => {
            let parts: Vec<String> = (found.iter())
                .map(|(kind, g)| match g {
                    Some(g) => format!("{} {:.2}", kind.label(), gamma / g),
                    None => format!("{} —", kind.label()),
                })
                .collect();
            format!("γ/γ_max: {}", parts.join(" · "))
        }
    };
    let values = match view {
        GammaMaxView::Known(found) => (found.iter())
            .map(|(kind, g)| {
                let g = g.map_or("no bracket found within the step budget".into(), num);
                format!("\n{}: γ_max = {g}", kind.label())
            })
            .collect(),
        _ => String::new(),
    };
    (line, values)
}
