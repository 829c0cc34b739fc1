//! A scene's parameters in one line (two with a noise method) for figure subtitles.

use crate::experiment::RunInfo;
use crate::model::StepSize;
use crate::model::format::short;

use super::noise::noise_description;

/// The scene's parameters for a figure's subtitle.
pub fn subtitle(info: &RunInfo) -> String {
    let s = &info.scene;
    let p = &s.problem;
    let rule = match s.step_size {
        StepSize::Fixed(_) => "fixed".to_string(),
        rule => rule.to_string(),
    };
    let source = &p.source;
    let data = match (&source.data, source.design, &source.beta) {
        (Some(data), _, _) => format!("data {}: n = {}, d = {}", file_name(&data.name), p.n, p.d),
        (None, design, beta) => {
            let mut text = format!(
                "n = {}, d = {}, s = {}, σ = {}",
                p.n,
                p.d,
                p.s,
                short(p.noise)
            );
            if design != crate::model::Design::Isotropic {
                text += &format!(" · {design}");
            }
            if *beta != crate::model::BetaRule::Gaussian
                && !matches!(beta, crate::model::BetaRule::Given(_))
            {
                text += &format!(" · β* {beta}");
            }
            text
        }
    };
    let line = format!(
        "{data} · seed {} · α = {} · γ = {} ({rule}) · batch {}",
        p.seed,
        short(s.alpha),
        short(info.gamma),
        s.batch
    );
    match noise_description(s, info.methods.iter()) {
        Some(noise) => format!("{line}\n{noise}"),
        None => line,
    }
}

/// The last component of a path, for titles.
pub fn file_name(path: &str) -> &str {
    std::path::Path::new(path)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(path)
}
