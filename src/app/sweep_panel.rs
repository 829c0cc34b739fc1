//! The α-sweep panel: runs the α-sweep on a background thread and plots, against α,
//! the recovery error per method (median and inter-quartile band) and the paired ratio to GD.

use eframe::egui;

use super::colour_bar;
use super::coverage::Look;
use super::job::Job;
use super::plot_view::Drawn;
use crate::experiment::grid::{MAX_ALPHAS, log_grid, parse_numbers};
use crate::experiment::summary::{CellSummary, notes, summarise};
use crate::experiment::sweep::{GammaAxis, SweepSpec};
use crate::figure::Figure;
use crate::figure::figures::{gamma_sweep, phase, sweep};
use crate::model::{Config, MethodKind, SimError, Stop};

/// Label of the button that starts a sweep.
pub const RUN: &str = "Run sweep";
/// Label of the button that cancels a running sweep.
pub const CANCEL: &str = "Cancel sweep";
/// The methods the panel offers.
pub const METHODS: [MethodKind; 3] = [MethodKind::Gd, MethodKind::Sgd, MethodKind::Sgf];

use super::sweep_job::Outcome;

/// What the γ axis of a sweep is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GammaChoice {
    /// The scene's own γ: an α-sweep.
    Scene,
    /// Fixed step sizes.
    Values,
    /// Fractions of each (α, method, seed)'s γ_max.
    Fractions,
}

/// A sweep in flight.
struct Running {
    spec: SweepSpec,
    job: Job<Outcome>,
}

/// A finished (or cancelled) sweep, its figure and the panels drawn of it.
struct Results {
    spec: SweepSpec,
    cells: Vec<CellSummary>,
    figure: Figure,
    drawn: Vec<Drawn>,
}

/// The α-sweep panel: grid controls, run/cancel, progress, and the two log–log plots.
pub struct SweepPanel {
    /// Smallest α of the log grid.
    pub alpha_min: f64,
    /// Largest α of the log grid.
    pub alpha_max: f64,
    /// Points per decade of the log grid.
    pub per_decade: u32,
    /// Use the typed α list instead of the log grid.
    pub use_list: bool,
    /// The typed α list (comma- or space-separated).
    pub alpha_list: String,
    /// Which of GD, SGD, SGF to run (same order as [`METHODS`]).
    pub methods: [bool; 3],
    /// Number of seeds.
    pub seeds: u64,
    /// Step budget of each run (`None`: the scene's budget, until the user sets one).
    pub steps: Option<u64>,
    /// The γ axis: the scene's γ, typed values, or typed fractions of each run's γ_max.
    pub gamma_axis: GammaChoice,
    /// The typed γ list (values or fractions).
    pub gamma_list: String,
    running: Option<Running>,
    /// Progress of the last finished sweep.
    last_progress: (usize, usize),
    results: Option<Results>,
    pub(super) status: Option<(bool, String)>,
}

impl Default for SweepPanel {
    fn default() -> Self {
        SweepPanel {
            alpha_min: 0.01,
            alpha_max: 2.0,
            per_decade: 3,
            use_list: false,
            alpha_list: "0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2".into(),
            methods: [true; 3],
            seeds: 5,
            steps: None,
            gamma_axis: GammaChoice::Scene,
            gamma_list: "0.1, 0.3, 0.5, 0.7, 0.9".into(),
            running: None,
            last_progress: (0, 0),
            results: None,
            status: None,
        }
    }
}

impl SweepPanel {
    /// The figure of the last sweep, as shown and exported.
    pub fn figure(&self) -> Option<&Figure> {
        self.results.as_ref().map(|r| &r.figure)
    }

    /// The per-cell summaries of the last sweep (partial if it was cancelled).
    pub fn cells(&self) -> Option<&[CellSummary]> {
        self.results.as_ref().map(|r| r.cells.as_slice())
    }

    /// The grid of the last sweep whose results are shown.
    pub fn spec(&self) -> Option<&SweepSpec> {
        self.results.as_ref().map(|r| &r.spec)
    }

    /// Whether a sweep is running.
    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    /// Runs finished and runs in total of the current (or last) sweep.
    pub fn progress(&self) -> (usize, usize) {
        self.running
            .as_ref()
            .map_or(self.last_progress, |r| r.job.progress())
    }

    /// The status line: an error, or what the last sweep did (None before any).
    pub fn status(&self) -> Option<&str> {
        self.status.as_ref().map(|(_, s)| s.as_str())
    }

    /// The α values the controls describe, ascending, or why they are invalid.
    pub fn alphas(&self) -> Result<Vec<f64>, SimError> {
        let mut alphas = if self.use_list {
            let values = parse_numbers("alphas", &self.alpha_list)?;
            (values.into_iter())
                .map(crate::model::config::check_alpha)
                .collect::<Result<Vec<f64>, SimError>>()?
        } else {
            let lo = crate::model::config::check_alpha(self.alpha_min)?;
            let hi = crate::model::config::check_alpha(self.alpha_max)?;
            if hi < lo {
                return Err(SimError::invalid(
                    "α max",
                    hi,
                    format!("a number ≥ α min = {lo}"),
                ));
            }
            if !(1..=50).contains(&self.per_decade) {
                return Err(SimError::invalid(
                    "points per decade",
                    self.per_decade,
                    "an integer in 1..=50",
                ));
            }
            log_grid(lo, hi, self.per_decade)?
        };
        alphas.sort_by(f64::total_cmp);
        alphas.dedup();
        if alphas.len() > MAX_ALPHAS {
            return Err(SimError::invalid(
                "alphas",
                alphas.len(),
                format!("at most {MAX_ALPHAS} values"),
            ));
        }
        Ok(alphas)
    }

    /// The sweep the controls describe on the scene `base` (its method is ignored).
    pub fn sweep_spec(&self, base: &Config) -> Result<SweepSpec, SimError> {
        let config = Config {
            steps: self.steps.unwrap_or(base.steps),
            ..base.clone()
        };
        let mut spec = SweepSpec {
            base: crate::data::settings(&config)?,
            alphas: self.alphas()?,
            methods: METHODS
                .iter()
                .zip(self.methods)
                .filter_map(|(&m, on)| on.then_some(m))
                .collect(),
            seeds: self.seeds,
            gammas: match self.gamma_axis {
                GammaChoice::Scene => GammaAxis::Scene,
                GammaChoice::Values => {
                    GammaAxis::Values(parse_numbers("gammas", &self.gamma_list)?)
                }
                GammaChoice::Fractions => {
                    GammaAxis::Fractions(parse_numbers("gamma-fractions", &self.gamma_list)?)
                }
            },
            find_gamma_max: false,
        };
        // A γ-sweep at one α draws each method's γ_max.
        spec.find_gamma_max = spec.alphas.len() == 1 && spec.gammas != GammaAxis::Scene;
        spec.validate()?;
        Ok(spec)
    }

    /// Starts a sweep on the scene `base` in the background (no-op while one runs).
    pub fn start(&mut self, ctx: &egui::Context, base: &Config) {
        if self.running.is_some() {
            return;
        }
        let spec = match self.sweep_spec(base) {
            Ok(s) => s,
            Err(e) => {
                self.status = Some((true, e.to_string()));
                return;
            }
        };
        match super::sweep_job::start(ctx, &spec) {
            Ok(job) => {
                self.status = None;
                self.running = Some(Running { spec, job });
            }
            Err(e) => self.status = Some((true, e)),
        }
    }

    /// Asks the running sweep to stop after the runs in progress.
    pub fn cancel(&mut self) {
        if let Some(r) = &self.running {
            r.job.cancel();
        }
    }

    /// Takes in the sweep's result if it arrived.
    fn poll(&mut self, ctx: &egui::Context) {
        let Some(outcome) = self.running.as_ref().and_then(|r| r.job.poll(ctx)) else {
            return;
        };
        let Some(Running { spec, job }) = self.running.take() else {
            return;
        };
        // A sweep that ran to its end is complete, whatever cells had no run (no γ_max).
        self.last_progress = match job.was_cancelled() {
            true => job.progress(),
            false => (job.progress().1, job.progress().1),
        };
        let rows = match outcome {
            Ok(Ok(rows)) => rows,
            Ok(Err(e)) => {
                self.status = Some((true, format!("sweep failed: {e}")));
                return;
            }
            Err(e) => {
                self.status = Some((true, format!("the sweep {e}")));
                return;
            }
        };
        let total = spec.runs();
        // Runs without a row (no γ_max found) are counted by the notes below, not as a cancel.
        let mut line = if job.was_cancelled() {
            let (done, _) = job.progress();
            format!("cancelled after {done} of {total} runs; the finished runs are shown")
        } else {
            format!(
                "finished {total} runs in {:.1} s",
                job.elapsed().as_secs_f64()
            )
        };
        for note in notes(&spec, &rows) {
            line.push_str("; ");
            line.push_str(&note);
        }
        let trouble = rows.iter().any(|r| r.stop == Stop::Diverged);
        let cells = summarise(&spec, &rows);
        if cells.is_empty() {
            // The last sweep's plots would read as this one's results: they go.
            self.results = None;
            self.status = Some((false, format!("{line}; no run finished, nothing to draw")));
            return;
        }
        self.status = Some((trouble, line));
        // Along α alone, the α-sweep; along γ at one α, the γ-sweep; an α × γ grid, the phase
        // diagram.
        let figure = match spec.gammas {
            GammaAxis::Scene => sweep("SGD beats GD", &spec, &rows),
            _ if spec.alphas.len() == 1 => gamma_sweep("Large steps: γ-sweep", &spec, &rows),
            _ => phase("Phase diagram: α × γ", &spec, &rows),
        };
        let drawn = figure.panels.iter().cloned().map(Drawn::new).collect();
        self.results = Some(Results {
            spec,
            cells,
            figure,
            drawn,
        });
    }

    /// Draws the controls, progress and plots; `base` is the scene the sweep starts from.
    pub fn ui(&mut self, ui: &mut egui::Ui, base: &Config, hover: bool) {
        let ctx = ui.ctx().clone();
        // ‖ ∞ ⚠ need the app's fallback font (idempotent; lets the panel stand alone).
        super::install_fonts(&ctx);
        self.poll(&ctx);
        self.controls(ui, base);
        ui.separator();
        match &self.results {
            Some(results) => plots(ui, results, hover),
            None if self.running.is_some() => {
                ui.label("Sweeping… the plots appear when the runs finish.");
            }
            None => {
                ui.label("Run a sweep to plot the recovery error against α.");
            }
        }
    }
}

/// How the sweep's plots are drawn: thin lines, no alignment, no measuring.
fn look(hover: bool) -> Look {
    Look {
        thickness: 1.0,
        hover,
        strip: 0.0,
        measure: false,
    }
}

/// Below this height (points) the sweep's two plots go side by side.
const SHORT: f32 = 420.0;

/// The sweep figure's panels: the error plot over the ratio plot (side by side when the window
/// is short, as in presentation mode at 1280 × 720), the heatmaps side by side; `hover` shows the
/// pointer read-out.
fn plots(ui: &mut egui::Ui, r: &Results, hover: bool) {
    // Room for the titles and the export button under the plots.
    let title = ui.text_style_height(&egui::TextStyle::Small);
    let avail = ui.available_height() - 2.0 * title - 2.0 * ui.spacing().interact_size.y;
    let width = ui.available_width();
    let show = |ui: &mut egui::Ui, i: usize, d: &Drawn, size: egui::Vec2| {
        ui.small(egui::RichText::new(&d.panel.title).strong());
        let id = format!("sweep-{i}");
        match &d.panel.heatmap {
            Some(h) => {
                ui.horizontal_top(|ui| {
                    ui.spacing_mut().item_spacing.x = 0.0;
                    let plot = egui::vec2(size.x - colour_bar::WIDTH, size.y);
                    d.show(ui, &id, plot, look(hover));
                    colour_bar::show(ui, h, size.y);
                });
            }
            None => {
                d.show(ui, &id, size, look(hover));
            }
        }
    };
    if r.drawn.len() > 2 || (r.drawn.len() == 2 && avail < SHORT) {
        let k = r.drawn.len() as f32;
        let w = (width - (k - 1.0) * ui.spacing().item_spacing.x) / k;
        ui.horizontal_top(|ui| {
            for (i, d) in r.drawn.iter().enumerate() {
                ui.vertical(|ui| show(ui, i, d, egui::vec2(w, avail.max(120.0))));
            }
        });
    } else {
        for (i, d) in r.drawn.iter().enumerate() {
            let share = if r.drawn.len() == 2 {
                [0.6, 0.4][i]
            } else {
                1.0
            };
            show(
                ui,
                i,
                d,
                egui::vec2(width, (avail * share - 12.0).max(100.0)),
            );
        }
    }
    if r.drawn.len() < 2 {
        ui.label("The paired ratio to GD needs GD among the methods.");
    }
}
