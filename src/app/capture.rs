//! Headless capture: after the runs finish, save a screenshot of the window or time frames,
//! print the result and close (`gui --screenshot`, `gui --frame-stats`). Frame timing also
//! reports the frames drawn while the runs were stepping, and how long they took.

use crate::platform::Instant;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use eframe::egui;

use super::App;
use super::export::save_png;

/// Headless capture: after the runs finish, save a screenshot or measure frame times, then close.
#[derive(Clone, Debug, Default)]
pub struct Capture {
    /// Where to save a PNG of the window.
    pub screenshot: Option<PathBuf>,
    /// How many frames to time.
    pub frame_stats: Option<usize>,
}

/// Capture progress.
#[derive(Default)]
pub(super) struct CaptureState {
    settle: u32,
    /// The first frame, and the frame at which the runs had finished.
    started: Option<Instant>,
    finished_after: Option<f64>,
    /// eframe's CPU time of the frames drawn while the runs stepped.
    running_ms: Vec<f32>,
    requested: bool,
    saved: Arc<Mutex<Option<Result<(), String>>>>,
    frame_ms: Vec<f32>,
    body_ms: Vec<f32>,
}

impl App {
    /// Headless capture: `cpu` is eframe's CPU time of the last frame, `body` this `ui_body`'s.
    pub(super) fn capture_step(&mut self, ctx: &egui::Context, cpu: Option<f32>, body: f32) {
        let settled = !self.gamma_max_pending()
            && !self.lesson_sweep_busy()
            && self.live.pending == Default::default();
        let finished = (self.live.finished() && settled) || self.live.error.is_some();
        // Once the runs are over, measure the legends against the data for the report.
        if finished
            && self
                .capture
                .as_ref()
                .is_some_and(|(c, _)| c.screenshot.is_some())
        {
            self.plots.measure = true;
        }
        // What the screenshot's frame shows (a small JSON, taken until the picture is asked for).
        let report_json = match &self.capture {
            Some((c, s)) if c.screenshot.is_some() && !s.requested => Some(self.layout_json()),
            _ => None,
        };
        let Some((capture, state)) = &mut self.capture else {
            return;
        };
        ctx.request_repaint();
        let started = *state.started.get_or_insert_with(Instant::now);
        if !finished {
            state.running_ms.extend(cpu.map(|ms| ms * 1000.0));
            return;
        }
        if state.finished_after.is_none() {
            state.finished_after = Some(started.elapsed().as_secs_f64());
        }
        state.settle += 1;
        if state.settle < 5 {
            return;
        }
        if let Some(n) = capture.frame_stats {
            if let Some(ms) = cpu {
                state.frame_ms.push(ms * 1000.0);
                state.body_ms.push(body);
            }
            if state.frame_ms.len() >= n {
                let smooth = self.controls.smooth;
                let json = frame_stats_json(state, smooth);
                self.finish(ctx, Ok(json));
            }
            return;
        }
        let Some(path) = capture.screenshot.clone() else {
            self.finish(ctx, Ok(String::new()));
            return;
        };
        if !state.requested {
            state.requested = true;
            // What the picture shows, measured on this frame: beside it as PNG.json.
            let mut report = path.clone().into_os_string();
            report.push(".json");
            let json = report_json.unwrap_or_default();
            if let Err(e) = crate::files::write_atomic(Path::new(&report), json.as_bytes()) {
                self.finish(ctx, Err(e.to_string()));
                return;
            }
            let saved = state.saved.clone();
            ctx.request_screenshot(move |img: Arc<egui::ColorImage>| {
                let result = save_png(&img, &path);
                if let Ok(mut slot) = saved.lock() {
                    *slot = Some(result);
                }
            });
            return;
        }
        let done = state.saved.lock().ok().and_then(|mut s| s.take());
        if let Some(result) = done {
            self.finish(ctx, result.map(|()| String::new()));
        }
    }

    /// Per plot the data points drawn and those under a legend entry; per method its steps and
    /// how it stopped (converged, budget, diverged or not-converged).
    fn layout_json(&self) -> String {
        let plots: Vec<serde_json::Value> = (self.plots.coverage().into_iter())
            .map(|(kind, title, c)| {
                let c = c.unwrap_or_default();
                serde_json::json!({
                    "plot": kind.name(),
                    "title": title,
                    "points_drawn": c.points,
                    "points_under_legends_and_labels": c.under_legend,
                })
            })
            .collect();
        let methods: Vec<serde_json::Value> = (self.live.status.iter())
            .map(|s| {
                serde_json::json!({
                    "method": s.kind.label(),
                    "steps": s.step,
                    "stop": s.stop.map(|stop| stop.name()),
                    "diverged_at": s.diverged_at,
                })
            })
            .collect();
        let report = serde_json::json!({ "plots": plots, "methods": methods });
        format!("{report:#}\n")
    }

    fn finish(&mut self, ctx: &egui::Context, result: Result<String, String>) {
        if let Ok(mut slot) = self.outcome.lock() {
            *slot = Some(result);
        }
        self.capture = None;
        ctx.send_viewport_cmd(egui::ViewportCommand::Close);
    }
}

/// The `q`-quantile of frame times in ms (interpolated, as the sweep's; NaN when empty).
fn quantile(ms: &[f32], q: f64) -> f64 {
    let mut values: Vec<f64> = ms.iter().map(|&v| f64::from(v)).collect();
    crate::experiment::summary::quantile(&mut values, q)
}

/// `{frames, ui_ms_p50, ui_ms_p95, rss_mb, …}` from eframe's per-frame CPU time (UI pass plus
/// tessellation and painting) after the runs finished, the same quantiles of the app's own UI
/// code alone, and of the frames drawn while the runs stepped (`running_*`, with the seconds
/// from the first frame until they finished).
fn frame_stats_json(state: &CaptureState, smooth: bool) -> String {
    let running = &state.running_ms;
    serde_json::json!({
        "smooth_lines": smooth,
        "frames": state.frame_ms.len(),
        "ui_ms_p50": quantile(&state.frame_ms, 0.5),
        "ui_ms_p95": quantile(&state.frame_ms, 0.95),
        "app_ms_p50": quantile(&state.body_ms, 0.5),
        "app_ms_p95": quantile(&state.body_ms, 0.95),
        "running_frames": running.len(),
        "running_ui_ms_p50": quantile(running, 0.5),
        "running_ui_ms_p95": quantile(running, 0.95),
        "seconds_to_finish": state.finished_after,
        "rss_mb": rss_mb(),
    })
    .to_string()
}

/// Resident memory in MB from /proc/self/status (None where unavailable).
pub fn rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}
