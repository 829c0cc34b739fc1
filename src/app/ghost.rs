//! Compare with before: after a change of the training (α, γ, b, noise, seed …), the previous
//! runs' curves stay in the plots as faint ghosts — one generation, one legend entry saying what
//! changed, hidden or shown with the option row's checkbox or by clicking that entry.

use super::Live;
use crate::figure::figures::PlotKind;
use crate::figure::scene::{self, ViewOptions};
use crate::figure::{Series, Style};
use crate::model::{Config, Settings};
use crate::presets;

/// Label of the option row's checkbox.
pub const BEFORE: &str = "before";

/// Settings whose change makes the previous runs a different problem (other data, other
/// coordinates): no ghost is kept then.
const NEW_PROBLEM: [&str; 6] = ["n", "d", "s", "design", "β*", "data"];

/// The previous runs and what changed since.
pub struct Ghost {
    /// The previous runs.
    pub live: Live,
    /// Their legend entry: `before: α 0.1 → 0.01`.
    pub label: String,
}

impl Ghost {
    /// The ghost of the runs `old` when the runs restart on `new`: none if `old` drew nothing,
    /// nothing changed, or the problem itself changed.
    pub fn after(old: Live, new: &Settings) -> Option<Ghost> {
        let before = Config::from(&old.info.as_deref()?.scene);
        let changed = presets::changes(&before, &Config::from(new));
        let other_problem = changed
            .iter()
            .any(|c| NEW_PROBLEM.iter().any(|p| c.starts_with(&format!("{p} "))));
        let drawn = old.histories.iter().any(|(_, h)| h.len() > 1);
        (drawn && !changed.is_empty() && !other_problem).then(|| Ghost {
            label: format!("{BEFORE}: {}", changed.join(", ")),
            live: old,
        })
    }

    /// The lines of plot `kind` in the previous runs, faded toward grey, under one legend entry.
    pub fn series(&self, kind: PlotKind, options: ViewOptions) -> Vec<Series> {
        let Some(panel) = scene::panel(kind, &self.live, options) else {
            return Vec::new();
        };
        (panel.series.into_iter())
            .filter(|s| matches!(s.style, Style::Line | Style::LineDots))
            .map(|mut s| {
                s.color = s
                    .color
                    .map(|c| (0.35 * f64::from(c) + 0.65 * 160.0).round() as u8);
                s.band.clear();
                s.style = Style::Line;
                s.grouped(self.label.clone())
            })
            .collect()
    }
}
