//! The web page's view of the app: the scene's link in the address bar and the tab's title
//! (updated on every restart, never adding history entries), and what the runs reached and how
//! long frames take, for the page's script (`window.dlnState`).

use std::collections::{BTreeMap, VecDeque};

use eframe::egui;
use serde_json::json;

use super::App;
use super::gamma_max::{GammaMaxView, gamma_max_line};

/// Frames whose duration is kept for the page's statistics.
const FRAMES: usize = 240;
/// Frames after a change of scene that prepare it rather than step it.
const SETTLING: u64 = 3;
/// Frames between two reports to the page.
const REPORT_EVERY: u64 = 15;

/// Where the widgets the page's script may click are, by name (in points).
type Widgets = BTreeMap<&'static str, egui::Rect>;
/// The key of [`Widgets`] in the context's memory.
const WIDGETS: &str = "page-widgets";

/// Notes where the widget `name` was drawn this frame, for the web page's script (its test
/// clicks it).
pub fn mark(ctx: &egui::Context, name: &'static str, rect: egui::Rect) {
    ctx.data_mut(|d| {
        (d.get_temp_mut_or_default::<Widgets>(egui::Id::unique(WIDGETS))).insert(name, rect);
    });
}

/// What the page was last told.
#[derive(Default)]
pub struct Page {
    run: u64,
    frames: u64,
    /// Frames since the scene last changed (the first ones prepare it).
    since_restart: u64,
    /// Of the recent frames while the runs stepped: the UI's time, the whole frame's time on
    /// the page's thread (eframe's measure, drawing included) and the time since the frame
    /// before, in milliseconds.
    times: VecDeque<[f32; 3]>,
    /// When the last frame started.
    last: Option<crate::platform::Instant>,
    /// What the page was last told changes: the runs finished, γ_max, a sweep running, its
    /// progress, the widgets' places.
    told: (bool, GammaMaxView, bool, (usize, usize), Widgets),
}

impl App {
    /// Tells the page about a new scene and, every few frames, the runs' state; `ui_ms` is the
    /// time this frame's UI took, `frame_ms` the whole last frame's.
    pub(super) fn sync_page(&mut self, ctx: &egui::Context, ui_ms: f32, frame_ms: f32) {
        if !crate::platform::WEB_PAGE {
            return;
        }
        if self.page.run != self.next_run {
            self.page.run = self.next_run;
            self.page.since_restart = 0;
            self.page.times.clear();
            let scene = self.scenario();
            crate::platform::show_scene(&self.link(), &crate::link::title(&scene));
        }
        let finished = self.live.finished();
        // Frames that stepped the runs, not the ones that prepared the scene.
        if !finished && self.page.since_restart >= SETTLING {
            if self.page.times.len() == FRAMES {
                self.page.times.pop_front();
            }
            let now = crate::platform::Instant::now();
            let gap = (self.page.last).map_or(f32::NAN, |t| (now - t).as_secs_f32() * 1000.0);
            self.page.times.push_back([ui_ms, frame_ms, gap]);
        }
        self.page.frames += 1;
        self.page.last = Some(crate::platform::Instant::now());
        self.page.since_restart += 1;
        let widgets = ctx.data(|d| d.get_temp::<Widgets>(egui::Id::unique(WIDGETS)));
        let (sweeping, swept) = (self.sweep.is_running(), self.sweep.progress());
        let view = self.controls.gamma_max.clone();
        let told = (finished, view, sweeping, swept, widgets.unwrap_or_default());
        if self.page.frames.is_multiple_of(REPORT_EVERY) || told != self.page.told {
            crate::platform::expose(&self.page_state(ctx, &told.4).to_string());
            self.page.told = told;
        }
    }

    /// The runs' state and the frame times as JSON.
    fn page_state(&self, ctx: &egui::Context, widgets: &Widgets) -> serde_json::Value {
        let quantiles = |i: usize| {
            let mut times: Vec<f32> = (self.page.times.iter()).map(|t| t[i]).collect();
            times.retain(|t| t.is_finite());
            times.sort_by(f32::total_cmp);
            let at = |q: usize| times.get(times.len() * q / 100).copied().unwrap_or(0.0);
            json!({"p50": at(50), "p95": at(95), "max": times.last().copied().unwrap_or(0.0)})
        };
        let runs: Vec<_> = (self.live.histories.iter())
            .map(|(kind, points)| {
                let last = points.last();
                let status = self.live.status.iter().find(|s| s.kind == *kind);
                json!({
                    "method": kind.name(),
                    "step": status.map_or(0, |s| s.step),
                    "stopped": status.and_then(|s| s.stop).map(|s| format!("{s:?}")),
                    "loss": last.map(|p| p.sample.loss),
                    "recovery_error": last.map(|p| p.sample.recovery_error),
                    "l1_norm": last.map(|p| p.sample.l1_norm),
                    "coords": last.map(|p| p.coords.clone()),
                })
            })
            .collect();
        // In CSS pixels: points times the zoom.
        let zoom = ctx.zoom_factor();
        let widgets: BTreeMap<_, _> = (widgets.iter())
            .map(|(name, r)| {
                (
                    name,
                    [r.min.x, r.min.y, r.width(), r.height()].map(|v| v * zoom),
                )
            })
            .collect();
        let (done, total) = self.sweep.progress();
        json!({
            "link": self.link(),
            "widgets": widgets,
            "sweep": {
                "running": self.sweep.is_running(),
                "done": done,
                "total": total,
                "cells": self.sweep.cells().map_or(0, <[_]>::len),
                "status": self.sweep.status(),
            },
            "finished": self.live.finished(),
            "gamma_max": self.gamma_max_state(),
            "frames": self.page.frames,
            "stepping_frames": self.page.times.len(),
            "ui_ms": quantiles(0),
            "frame_ms": quantiles(1),
            "gap_ms": quantiles(2),
            "runs": runs,
        })
    }

    /// The side panel's γ/γ_max line and each method's bisected γ_max (`null` where none).
    fn gamma_max_state(&self) -> serde_json::Value {
        let view = &self.controls.gamma_max;
        let gamma = self.live.info.as_ref().map_or(f64::NAN, |i| i.gamma);
        let values: BTreeMap<_, _> = match view {
            GammaMaxView::Known(found) => found.iter().map(|(k, g)| (k.name(), *g)).collect(),
            _ => BTreeMap::new(),
        };
        json!({ "line": gamma_max_line(gamma, view).0, "values": values })
    }
}
