//! The α-sweep panel: runs the α-sweep on a background thread and plots, against α,
//! the recovery error per method (median and inter-quartile band) and the paired ratio to GD.

use eframe::egui;

use super::job::Job;
use super::plot_view::Drawn;
use crate::experiment::grid::{MAX_ALPHAS, log_grid, parse_numbers};
use crate::experiment::summary::{CellSummary, notes, summarise};
use crate::experiment::sweep::{SweepRow, SweepSpec, run_sweep};
use crate::figure::Figure;
use crate::figure::figures::sweep;
use crate::model::{Config, MethodKind, SimError, Stop};

/// Label of the button that starts a sweep.
pub const RUN: &str = "Run sweep";
/// Label of the button that cancels a running sweep.
pub const CANCEL: &str = "Cancel sweep";
/// The methods the panel offers.
pub const METHODS: [MethodKind; 3] = [MethodKind::Gd, MethodKind::Sgd, MethodKind::Sgf];

/// What a sweep thread sends back.
type Outcome = Result<Vec<SweepRow>, SimError>;

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
    /// Step budget of each run.
    pub steps: u64,
    running: Option<Running>,
    /// Progress of the last finished sweep.
    last_progress: (usize, usize),
    results: Option<Results>,
    status: Option<(bool, String)>,
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
            steps: 100_000,
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
            steps: self.steps,
            ..base.clone()
        };
        let spec = SweepSpec {
            base: config.validate()?,
            alphas: self.alphas()?,
            methods: METHODS
                .iter()
                .zip(self.methods)
                .filter_map(|(&m, on)| on.then_some(m))
                .collect(),
            seeds: self.seeds,
            gammas: Default::default(),
            find_gamma_max: false,
        };
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
        let work = spec.clone();
        let job = Job::spawn(ctx, "alpha-sweep", spec.runs(), move |progress| {
            run_sweep(&work, &|| progress.tick(), progress.cancelled())
        });
        match job {
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
        self.last_progress = job.progress();
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
        let mut line = if rows.len() < total {
            format!(
                "cancelled after {} of {total} runs; partial results shown",
                rows.len()
            )
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
            self.status = Some((false, format!("{line}; no run finished")));
            return;
        }
        self.status = Some((trouble, line));
        let figure = sweep("SGD beats GD", &spec, &rows);
        let drawn = figure.panels.iter().cloned().map(Drawn::new).collect();
        self.results = Some(Results {
            spec,
            cells,
            figure,
            drawn,
        });
    }

    /// Draws the controls, progress and plots; `base` is the scene the sweep starts from.
    pub fn ui(&mut self, ui: &mut egui::Ui, base: &Config) {
        let ctx = ui.ctx().clone();
        // ‖ ∞ ⚠ need the app's fallback font (idempotent; lets the panel stand alone).
        super::install_fonts(&ctx);
        self.poll(&ctx);
        self.controls(ui, base);
        ui.separator();
        match &self.results {
            Some(results) => plots(ui, results),
            None if self.running.is_some() => {
                ui.label("Sweeping… the plots appear when the runs finish.");
            }
            None => {
                ui.label("Run a sweep to plot the recovery error against α.");
            }
        }
    }

    fn controls(&mut self, ui: &mut egui::Ui, base: &Config) {
        let running = self.is_running();
        ui.add_enabled_ui(!running, |ui| {
            ui.horizontal(|ui| {
                ui.radio_value(&mut self.use_list, false, "log grid")
                    .on_hover_text("α log-spaced from α min to α max, both included; 3 points per decade gives 1, 2, 5 × 10ᵏ");
                ui.radio_value(&mut self.use_list, true, "α list")
                    .on_hover_text("the α values typed as a comma-separated list");
            });
            ui.horizontal(|ui| {
                if self.use_list {
                    let l = ui.label("α values:");
                    ui.add(egui::TextEdit::singleline(&mut self.alpha_list).desired_width(260.0))
                        .labelled_by(l.id)
                        .on_hover_text("initialisation scales α > 0, e.g. 0.01, 0.1, 1");
                } else {
                    let speed = |v: f64| (v * 0.01).max(1e-4);
                    let (min_speed, max_speed) = (speed(self.alpha_min), speed(self.alpha_max));
                    let l = ui.label("α min");
                    ui.add(
                        egui::DragValue::new(&mut self.alpha_min)
                            .speed(min_speed)
                            .range(1e-6..=1e3),
                    )
                    .labelled_by(l.id)
                    .on_hover_text("smallest initialisation scale α (u₀ = α·𝟙, v₀ = 0)");
                    let l = ui.label("α max");
                    ui.add(
                        egui::DragValue::new(&mut self.alpha_max)
                            .speed(max_speed)
                            .range(1e-6..=1e3),
                    )
                    .labelled_by(l.id)
                    .on_hover_text("largest initialisation scale α");
                    let l = ui.label("points / decade");
                    ui.add(egui::DragValue::new(&mut self.per_decade).range(1..=50))
                        .labelled_by(l.id)
                        .on_hover_text("grid points per factor 10 of α");
                }
            });
            match self.alphas() {
                Ok(a) => {
                    let list: Vec<String> = a.iter().map(|v| format!("{v}")).collect();
                    ui.small(format!("α = {}", list.join(", ")));
                }
                Err(e) => {
                    ui.colored_label(ui.visuals().error_fg_color, format!("⚠ {e}"));
                }
            }
            ui.horizontal(|ui| {
                ui.label("methods:");
                for (on, kind) in self.methods.iter_mut().zip(METHODS) {
                    ui.checkbox(on, kind.label())
                        .on_hover_text(format!("run {} at every α and seed", kind.label()));
                }
                ui.separator();
                let l = ui.label("seeds");
                ui.add(egui::DragValue::new(&mut self.seeds).range(1..=100))
                    .labelled_by(l.id)
                    .on_hover_text("data sets per α: seed, seed+1, …; medians are over seeds");
                let l = ui.label("step budget");
                ui.add(
                    egui::DragValue::new(&mut self.steps)
                        .range(1..=100_000_000)
                        .speed(1000.0),
                )
                .labelled_by(l.id)
                .on_hover_text("most steps per run; a run also stops once L ≤ the scene's tol");
            });
        });
        ui.horizontal(|ui| {
            if ui
                .add_enabled(!running, egui::Button::new(RUN))
                .on_hover_text(
                    "every α × method × seed on the scene's n, d, s, step rule and batch",
                )
                .clicked()
            {
                self.start(ui.ctx(), base);
            }
            if ui
                .add_enabled(running, egui::Button::new(CANCEL))
                .on_hover_text("stop after the runs in progress; finished runs are kept")
                .clicked()
            {
                self.cancel();
            }
            let (done, total) = self.progress();
            if total > 0 {
                let fraction = done as f32 / total as f32;
                ui.add(
                    egui::ProgressBar::new(fraction)
                        .desired_width(220.0)
                        .text(format!("{done}/{total} runs")),
                );
            }
        });
        if let Some((error, line)) = &self.status {
            if *error {
                ui.colored_label(ui.visuals().error_fg_color, format!("⚠ {line}"));
            } else {
                ui.label(line);
            }
        }
    }
}

/// The error plot over the ratio plot, as the sweep figure's panels.
fn plots(ui: &mut egui::Ui, r: &Results) {
    // Room for the two titles and the export button under the plots.
    let avail = ui.available_height()
        - 2.0 * ui.text_style_height(&egui::TextStyle::Small)
        - 2.0 * ui.spacing().interact_size.y;
    let width = ui.available_width();
    let heights = [(avail * 0.6).max(180.0), (avail * 0.4 - 12.0).max(120.0)];
    for (k, (d, h)) in r.drawn.iter().zip(heights).enumerate() {
        ui.small(egui::RichText::new(&d.panel.title).strong());
        d.show(ui, &format!("sweep-{k}"), egui::vec2(width, h), 1.0, true);
    }
    if r.drawn.len() < 2 {
        ui.label("The paired ratio to GD needs GD among the methods.");
    }
}
