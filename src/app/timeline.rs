//! The timeline: the runs are computed ahead and revealed over a chosen duration (log-spaced in
//! steps on a log axis, linear on a linear one) on the axes of the whole runs, so nothing
//! rescales; a scrubber drags through them. Where stepping is slower than the reveal, the reveal
//! waits for the computation and says so. The reveal is spaced as the GIF and MP4 exports'
//! frames ([`step_at`]).

use eframe::egui;

use super::Live;
use crate::figure::animation::{fraction_at, step_at};

/// Seconds a reveal takes by default.
pub const DEFAULT_SECONDS: f64 = 8.0;
/// Label of the scrubber (tests find it by this label).
pub const SCRUBBER: &str = "timeline";

/// Where the reveal stands.
#[derive(Clone, Debug, PartialEq)]
pub struct Timeline {
    /// Seconds a whole reveal takes; 0 shows every step at once.
    pub seconds: f64,
    /// Fraction of the reveal shown, in `[0, 1]`.
    pub at: f64,
    /// Whether the reveal advances.
    pub playing: bool,
    /// The x axis is logarithmic: the reveal is log-spaced in steps.
    pub log: bool,
    /// The input time of the last frame, and the run revealed.
    last: Option<(f64, u64)>,
}

impl Timeline {
    /// A timeline revealing each new run over `seconds` (0: none).
    pub fn new(seconds: f64) -> Timeline {
        Timeline {
            seconds,
            at: 1.0,
            playing: false,
            log: true,
            last: None,
        }
    }

    /// Advances to the input time `now` (seconds); a new run starts the reveal over.
    pub fn advance(&mut self, now: f64, live: &Live) {
        let revealing = self.seconds > 0.0;
        match self.last {
            Some((_, run)) if run != live.run => {
                self.at = if revealing { 0.0 } else { 1.0 };
                self.playing = revealing;
            }
            // Where the computation is behind, the reveal waits for it.
            Some((then, _)) if self.playing && self.at < 1.0 && !self.waiting(live) => {
                self.at = (self.at + (now - then).max(0.0) / self.seconds).min(1.0);
            }
            None if revealing => {
                (self.at, self.playing) = (0.0, true);
            }
            _ => {}
        }
        if self.at >= 1.0 && live.finished() {
            self.playing = false;
        }
        self.last = Some((now, live.run));
    }

    /// The last step of the reveal: every method's final step once finished, else the budget.
    fn end(live: &Live) -> u64 {
        match (live.finished(), live.info.as_deref()) {
            (false, Some(info)) => info.scene.steps.max(live.max_step()),
            _ => live.max_step(),
        }
        .max(1)
    }

    /// The step the reveal has reached at `at`, spaced as the animations' frames.
    fn target(&self, live: &Live) -> u64 {
        step_at(Timeline::end(live), self.at, self.log)
    }

    /// Whether the reveal is ahead of the computation (it then waits).
    pub fn waiting(&self, live: &Live) -> bool {
        self.at < 1.0 && !live.finished() && self.target(live) > live.max_step()
    }

    /// The step to show, or `None` to show every step computed.
    pub fn shown(&self, live: &Live) -> Option<u64> {
        (self.at < 1.0).then(|| self.target(live).min(live.max_step()))
    }

    /// The runs as far as revealed (all of them once the reveal is over), playing as it does.
    pub fn part<'a>(&self, live: &'a Live) -> std::borrow::Cow<'a, Live> {
        match self.shown(live) {
            Some(k) => {
                let mut part = live.up_to(k);
                part.playing = self.playing;
                std::borrow::Cow::Owned(part)
            }
            None => std::borrow::Cow::Borrowed(live),
        }
    }

    /// Pauses the reveal and shows the next recorded step (false when the reveal is over and
    /// only the computation can step further).
    pub fn step(&mut self, live: &Live) -> bool {
        let Some(shown) = self.shown(live) else {
            return false;
        };
        self.playing = false;
        let end = Timeline::end(live);
        self.at = match live.next_step_after(shown) {
            Some(k) if k < end => fraction_at(end, k, self.log),
            _ => 1.0,
        };
        true
    }

    /// Plays or pauses the reveal (from the start again once it is over).
    pub fn toggle(&mut self) {
        if !self.playing && self.at >= 1.0 {
            self.at = 0.0;
        }
        self.playing = !self.playing;
    }

    /// The scrubber: dragging it pauses the reveal at that point (spaced as the x axis).
    pub fn scrubber(&mut self, ui: &mut egui::Ui, live: &Live) {
        let end = Timeline::end(live);
        let shown = self.shown(live).unwrap_or(live.max_step());
        let slider = egui::Slider::new(&mut self.at, 0.0..=1.0)
            .show_value(false)
            .text(SCRUBBER);
        let response = ui
            .add(slider)
            .on_hover_text("drag through the runs: every plot and number shows that step");
        if response.dragged() || response.changed() {
            self.playing = false;
        }
        let mut text = format!("step {shown} of {end}");
        if self.waiting(live) {
            text.push_str(" · computing ahead…");
        }
        ui.label(text);
        let label = if self.playing {
            "Pause reveal"
        } else {
            "▶ Reveal"
        };
        if ui
            .button(label)
            .on_hover_text("play or pause the reveal of the runs (Space)")
            .clicked()
        {
            self.toggle();
        }
    }
}
