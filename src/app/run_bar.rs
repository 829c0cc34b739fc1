//! The run bar under the menus: play / step / reset, the presentation badge, the status line,
//! the scene's caption in presentation mode, and warnings (divergence, errors).

use eframe::egui;

use super::commands::Action;
use super::{PAUSE, PLAY, RESET, STEP};
use crate::experiment::Record;
use crate::experiment::frame::MethodStatus;
use crate::figure::num;
use crate::model::Stop;

/// What the run bar shows.
pub struct RunBar<'a> {
    /// The runs.
    pub live: &'a Record,
    /// Presentation mode on.
    pub presentation: bool,
    /// The timeline is revealing the runs (computed ahead).
    pub revealing: bool,
    /// The scene's title and caption, with what the controls changed since it was loaded.
    pub caption: Option<String>,
}

impl RunBar<'_> {
    /// Draws the bar; returns the commands clicked.
    pub fn ui(&self, ui: &mut egui::Ui) -> Vec<Action> {
        let mut actions = Vec::new();
        ui.horizontal_wrapped(|ui| {
            let label = if self.live.playing { PAUSE } else { PLAY };
            if ui.button(label).on_hover_text("Space").clicked() {
                actions.push(Action::PlayPause);
            }
            if ui
                .button(STEP)
                .on_hover_text("→: one step of each method")
                .clicked()
            {
                actions.push(Action::Step);
            }
            if ui
                .button(RESET)
                .on_hover_text("R: restart on the same data")
                .clicked()
            {
                actions.push(Action::Reset);
            }
            ui.separator();
            if self.presentation {
                ui.label(
                    egui::RichText::new("● PRESENTATION (F5 to leave)")
                        .strong()
                        .color(egui::Color32::from_rgb(200, 30, 30)),
                );
                ui.separator();
            }
            // One label per item, so a narrow window wraps between items, not inside one.
            // At a projector: the error and the end of each run, on one line.
            for part in status_parts(self.live, self.revealing, self.presentation) {
                ui.add(egui::Label::new(part).extend());
            }
        });
        if self.presentation
            && let Some(caption) = &self.caption
        {
            ui.label(egui::RichText::new(caption).strong());
        }
        let diverged: Vec<String> = (self.live.status.iter())
            .filter_map(|s| {
                s.diverged_at
                    .map(|k| format!("{} diverged at step {k}", s.kind.label()))
            })
            .collect();
        if !diverged.is_empty() {
            ui.colored_label(
                ui.visuals().error_fg_color,
                format!(
                    "⚠ {} — γ is above the stability limit; lower γ",
                    diverged.join(", ")
                ),
            );
        }
        if let Some(e) = &self.live.error {
            ui.colored_label(ui.visuals().error_fg_color, format!("⚠ {e}"));
        }
        actions
    }
}

/// `state · step k · t · γ · per method loss and error`.
pub fn status_line(live: &Record) -> String {
    status_parts(live, false, false).join("   ")
}

/// The items of the status line: the state (with the step while running), t and γ, then each
/// method's loss and error; once stopped, why and at which step — said once when every method
/// stopped alike, else after each method. `compact` leaves out t, γ and the losses.
fn status_parts(live: &Record, revealing: bool, compact: bool) -> Vec<String> {
    let decay = (live.info.as_ref()).is_some_and(|i| i.scene.weight_decay > 0.0);
    let ends: Vec<String> = live.status.iter().map(|s| end(s, decay)).collect();
    let alike = live.finished() && ends.windows(2).all(|w| w[0] == w[1]);
    // Compact: every run converged is said once, without the steps.
    let converged = compact
        && live.finished()
        && (live.status.iter()).all(|s| s.stop == Some(Stop::Converged) && s.diverged_at.is_none());
    let mut parts = vec![match (live.finished(), ends.first()) {
        (true, Some(_)) if converged => "ended · every run converged".to_string(),
        (true, Some(e)) if alike => format!("ended · {e}"),
        (true, _) => "ended".to_string(),
        (false, _) => {
            let state = match (revealing, live.playing) {
                (true, _) => "revealing",
                (false, true) => "running",
                (false, false) => "paused",
            };
            format!("{state} · step {}", live.min_step())
        }
    }];
    if live.pending.preparing {
        parts.push("preparing the scene (data, basis pursuit, γ)…".into());
    }
    if let Some(info) = live.info.as_ref().filter(|_| !compact) {
        // The earliest time any method has reached (SGF and GF advance by h, not γ).
        let t = (live.status.iter())
            .filter_map(|s| live.latest(s.kind))
            .map(|p| p.sample.time)
            .fold(f64::INFINITY, f64::min);
        let t = if t.is_finite() { t } else { 0.0 };
        parts.push(format!("t = {}", num(t)));
        parts.push(format!("γ = {}", num(info.gamma)));
    }
    for (s, e) in live.status.iter().zip(&ends) {
        let Some(p) = live.latest(s.kind) else {
            continue;
        };
        // Compact: a divergence is the warning line's to say.
        let diverged = compact && (s.diverged_at.is_some() || s.stop == Some(Stop::Diverged));
        let state = if alike || converged || diverged || e.is_empty() {
            String::new()
        } else {
            format!(" · {e}")
        };
        let loss = match compact {
            true => String::new(),
            false => format!("L = {}, ", num(p.sample.loss)),
        };
        parts.push(format!(
            "{}: {loss}err = {}{state}",
            s.kind.label(),
            num(p.sample.recovery_error)
        ));
    }
    parts
}

/// How and when a method's run stopped ("" while it runs); with weight `decay` the loss settles
/// above 0, so a run at its budget has settled rather than still descending.
fn end(s: &MethodStatus, decay: bool) -> String {
    match (s.diverged_at, s.stop) {
        (Some(k), _) => format!("diverged at step {k}"),
        (None, Some(Stop::Diverged)) => format!("diverged at step {}", s.step),
        (None, Some(Stop::Converged)) => format!("converged at step {}", s.step),
        (None, Some(Stop::NotConverged)) => {
            format!(
                "step {}: budget reached, oscillating (not converged)",
                s.step
            )
        }
        (None, Some(Stop::Budget)) if decay => format!("step {}: budget reached", s.step),
        (None, Some(Stop::Budget)) => {
            format!("step {}: budget reached, still descending", s.step)
        }
        (None, None) => String::new(),
    }
}
