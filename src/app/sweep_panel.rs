//! The α-sweep panel: runs the α-sweep on a background thread and plots, against α,
//! the recovery error per method (median and inter-quartile band) and the paired ratio to GD.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use eframe::egui;

use super::plot_view::Drawn;
use crate::experiment::sweep::{CellSummary, SweepRow, SweepSpec, notes, run_sweep, summarise};
use crate::figure::Figure;
use crate::figure::figures::sweep;
use crate::model::{Config, MethodKind, SimError, Stop};

/// Label of the button that starts a sweep.
pub const RUN: &str = "Run sweep";
/// Label of the button that cancels a running sweep.
pub const CANCEL: &str = "Cancel sweep";
/// The methods the panel offers.
pub const METHODS: [MethodKind; 3] = [MethodKind::Gd, MethodKind::Sgd, MethodKind::Sgf];
/// Most α values a grid may have.
pub const MAX_ALPHAS: usize = 200;

/// What a sweep thread sends back.
type Outcome = Result<Vec<SweepRow>, SimError>;

/// A sweep in flight.
struct Job {
    spec: SweepSpec,
    cancel: Arc<AtomicBool>,
    rx: mpsc::Receiver<Outcome>,
    started: Instant,
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
    job: Option<Job>,
    done: Arc<AtomicUsize>,
    total: usize,
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
            job: None,
            done: Arc::new(AtomicUsize::new(0)),
            total: 0,
            results: None,
            status: None,
        }
    }
}

impl Drop for Job {
    /// A dropped panel (or a replaced job) stops its sweep thread at the next run.
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}

/// Rounds to three significant digits (grid values read cleanly).
fn round3(v: f64) -> f64 {
    format!("{v:.2e}").parse().unwrap_or(v)
}

/// α from `lo` to `hi` (both included), `per_decade` points per decade: the round 1-2-5, 1-3
/// or 1 mantissas for 3, 2 or 1 points per decade, else evenly log-spaced (3 significant digits).
fn log_grid(lo: f64, hi: f64, per_decade: u32) -> Result<Vec<f64>, SimError> {
    let span = (hi / lo).log10();
    let points = span * f64::from(per_decade) + 1.0;
    if points > MAX_ALPHAS as f64 {
        return Err(SimError::invalid(
            "α grid",
            points.ceil(),
            format!("at most {MAX_ALPHAS} points"),
        ));
    }
    let mantissas: &[f64] = match per_decade {
        1 => &[1.0],
        2 => &[1.0, 3.0],
        3 => &[1.0, 2.0, 5.0],
        _ => &[],
    };
    let mut grid = vec![lo, hi];
    if mantissas.is_empty() {
        let intervals = (span * f64::from(per_decade) - 1e-9).ceil().max(0.0) as usize;
        for i in 1..intervals {
            let t = i as f64 / intervals as f64;
            grid.push(round3(lo * 10f64.powf(span * t)));
        }
    } else {
        let (first, last) = (lo.log10().floor() as i32, hi.log10().ceil() as i32);
        for decade in first..=last {
            for m in mantissas {
                let v = round3(m * 10f64.powi(decade));
                if v > lo * (1.0 + 1e-9) && v < hi * (1.0 - 1e-9) {
                    grid.push(v);
                }
            }
        }
    }
    Ok(grid)
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
        self.job.is_some()
    }

    /// Runs finished and runs in total of the current (or last) sweep.
    pub fn progress(&self) -> (usize, usize) {
        (self.done.load(Ordering::Relaxed), self.total)
    }

    /// The status line: an error, or what the last sweep did (None before any).
    pub fn status(&self) -> Option<&str> {
        self.status.as_ref().map(|(_, s)| s.as_str())
    }

    /// The α values the controls describe, ascending, or why they are invalid.
    pub fn alphas(&self) -> Result<Vec<f64>, SimError> {
        let mut alphas = if self.use_list {
            let mut out = Vec::new();
            for token in self
                .alpha_list
                .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
                .filter(|t| !t.is_empty())
            {
                let v: f64 = token.parse().map_err(|_| {
                    SimError::invalid("alphas", token, "a comma-separated list of numbers > 0")
                })?;
                out.push(crate::model::config::check_alpha(v)?);
            }
            out
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
        };
        spec.validate()?;
        Ok(spec)
    }

    /// Starts a sweep on the scene `base` in the background (no-op while one runs).
    pub fn start(&mut self, ctx: &egui::Context, base: &Config) {
        if self.job.is_some() {
            return;
        }
        let spec = match self.sweep_spec(base) {
            Ok(s) => s,
            Err(e) => {
                self.status = Some((true, e.to_string()));
                return;
            }
        };
        let done = Arc::new(AtomicUsize::new(0));
        let cancel = Arc::new(AtomicBool::new(false));
        let (tx, rx) = mpsc::channel();
        let thread_spec = spec.clone();
        let (thread_done, thread_cancel, thread_ctx) = (done.clone(), cancel.clone(), ctx.clone());
        let spawned = std::thread::Builder::new()
            .name("alpha-sweep".into())
            .spawn(move || {
                let tick = || {
                    thread_done.fetch_add(1, Ordering::Relaxed);
                    thread_ctx.request_repaint();
                };
                let outcome = run_sweep(&thread_spec, &tick, &thread_cancel);
                // The panel may be gone (then nobody wants the result).
                let _ = tx.send(outcome);
                thread_ctx.request_repaint();
            });
        if let Err(e) = spawned {
            self.status = Some((true, format!("cannot start the sweep thread: {e}")));
            return;
        }
        self.total = spec.runs();
        self.done = done;
        self.status = None;
        self.job = Some(Job {
            spec,
            cancel,
            rx,
            started: Instant::now(),
        });
    }

    /// Asks the running sweep to stop after the runs in progress.
    pub fn cancel(&mut self) {
        if let Some(job) = &self.job {
            job.cancel.store(true, Ordering::Relaxed);
        }
    }

    /// Takes in the sweep's result if it arrived.
    fn poll(&mut self, ctx: &egui::Context) {
        let Some(job) = &self.job else { return };
        let outcome = match job.rx.try_recv() {
            Ok(outcome) => outcome,
            Err(mpsc::TryRecvError::Empty) => {
                // The thread repaints on progress; this is a safety net.
                ctx.request_repaint_after(Duration::from_millis(200));
                return;
            }
            Err(mpsc::TryRecvError::Disconnected) => {
                self.job = None;
                self.status = Some((true, "the sweep stopped unexpectedly".into()));
                return;
            }
        };
        let Some(job) = self.job.take() else { return };
        let rows = match outcome {
            Ok(rows) => rows,
            Err(e) => {
                self.status = Some((true, format!("sweep failed: {e}")));
                return;
            }
        };
        let total = job.spec.runs();
        let mut line = if rows.len() < total {
            format!(
                "cancelled after {} of {total} runs; partial results shown",
                rows.len()
            )
        } else {
            format!(
                "finished {total} runs in {:.1} s",
                job.started.elapsed().as_secs_f64()
            )
        };
        for note in notes(&job.spec, &rows) {
            line.push_str("; ");
            line.push_str(&note);
        }
        let trouble = rows.iter().any(|r| r.stop == Stop::Diverged);
        let cells = summarise(&job.spec, &rows);
        if cells.is_empty() {
            self.status = Some((false, format!("{line}; no run finished")));
            return;
        }
        self.status = Some((trouble, line));
        let figure = sweep("SGD beats GD", &job.spec, &rows);
        let drawn = figure.panels.iter().cloned().map(Drawn::new).collect();
        self.results = Some(Results {
            spec: job.spec.clone(),
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
            None if self.job.is_some() => {
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
