//! Animated scene plots: frames at steps spread over the whole run (log-spaced on a log x axis),
//! each the still figure of the record at that step drawn by the one scene builder, on the axes
//! of the finished run (pinned: nothing jumps), with a step counter. GIF in memory, MP4 through
//! ffmpeg.

pub mod gif;
pub mod mp4;

use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use resvg::tiny_skia::Pixmap;

use super::figures::PlotKind;
use super::png::Rasteriser;
use super::scene::{self, LIVE_PLOTS, ViewOptions};
use super::svg::{self, Options};
use crate::experiment::Record;
use crate::experiment::snapshots::Snapshots;
use crate::model::format::short;

/// Largest number of frames.
pub const MAX_FRAMES: usize = 2000;
/// Largest frame rate (GIF delays are whole centiseconds; players slow anything above 50).
pub const MAX_FPS: u32 = 50;
/// Frames rendered at once: bounds the memory held while rayon keeps every core busy.
const CHUNK: usize = 24;

/// What an animation shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Spec {
    /// One scene plot, or `None` for the app's 2×2 view ([`LIVE_PLOTS`]).
    pub plot: Option<PlotKind>,
    /// How the plots are shown (x axis, log x, whose β…).
    pub view: ViewOptions,
    /// The figure title.
    pub title: String,
    /// Output width in pixels.
    pub width: u32,
}

impl Spec {
    /// The plots drawn.
    pub fn kinds(&self) -> Vec<PlotKind> {
        self.plot.map_or(LIVE_PLOTS.to_vec(), |k| vec![k])
    }

    /// The layout: a grid for the 2×2 view, stacked for one plot.
    fn options(&self) -> Options {
        Options {
            grid: self.plot.is_none(),
            ..Options::default()
        }
    }
}

/// `frames` steps from the start to `end` (the last exactly `end`), spaced as [`step_at`]
/// spaces them (rounded, so early ones may repeat).
pub fn frame_steps(end: u64, frames: usize, log: bool) -> Vec<u64> {
    let last = frames.saturating_sub(1).max(1) as f64;
    (0..frames)
        .map(|i| {
            let t = if frames == 1 { 1.0 } else { i as f64 / last };
            step_at(end, t, log)
        })
        .collect()
}

/// The step a fraction `t` of the way through a run of `end` steps: log-spaced from step 1 on
/// a log x axis, evenly from 0 on a linear one. The app's reveal and the animations' frames
/// both follow it.
pub fn step_at(end: u64, t: f64, log: bool) -> u64 {
    if log {
        ((end.max(1) as f64).powf(t).round() as u64).clamp(1, end.max(1))
    } else {
        (end as f64 * t).round() as u64
    }
}

/// The fraction of the way at which [`step_at`] reaches step `k` (`k ≤ end`).
pub fn fraction_at(end: u64, k: u64, log: bool) -> f64 {
    match log {
        true if end > 1 => (k.max(1) as f64).ln() / (end as f64).ln(),
        false if end > 0 => k as f64 / end as f64,
        _ => 1.0,
    }
}

/// The counter of a frame: the step, its time t = kγ and the last step.
pub fn counter(record: &Record, step: u64, end: u64) -> String {
    let gamma = record.info.as_ref().map_or(f64::NAN, |i| i.gamma);
    format!(
        "step {step} of {end} · t = kγ = {}",
        short(step as f64 * gamma)
    )
}

/// Draws the frames of an animation: a record at a step → the SVG of its frame.
pub struct Framer {
    spec: Spec,
    options: Options,
    end: u64,
}

impl Framer {
    /// Frames on the axes and at the height of the finished runs' still figure, counting to
    /// the last step `end`.
    pub fn new(spec: Spec, finished: &Record, end: u64) -> Framer {
        let last = scene::figure(&spec.kinds(), finished, spec.view, &spec.title);
        let options = Options {
            bounds: (last.panels.iter()).map(|p| Some(svg::bounds(p))).collect(),
            height: Some(svg::height(&last, &spec.options())),
            ..spec.options()
        };
        Framer { spec, options, end }
    }

    /// What the animation shows.
    pub fn spec(&self) -> &Spec {
        &self.spec
    }

    /// The SVG of the frame of `record` at `step`.
    pub fn svg(&self, step: u64, record: &Record) -> String {
        let spec = &self.spec;
        let fig = scene::figure(&spec.kinds(), record, spec.view, &spec.title);
        let options = Options {
            counter: Some(counter(record, step, self.end)),
            ..self.options.clone()
        };
        svg::render_with(&fig, &options)
    }
}

/// The scale that rasterises an SVG document of the figures' width to `width` pixels.
pub fn scale_for(width: u32) -> f32 {
    width as f32 / svg::WIDTH as f32
}

/// Draws and rasterises the frames in chunks — the records in order, the pictures of a chunk in
/// parallel — and hands each chunk to `sink` in order; `tick` is called per frame. A set
/// `cancel` stops with an error. The pictures do not depend on the number of threads.
fn render(
    framer: &Framer,
    frames: impl Iterator<Item = (u64, Record)>,
    tick: &(dyn Fn() + Sync),
    cancel: &AtomicBool,
    mut sink: impl FnMut(Vec<Pixmap>) -> Result<(), String>,
) -> Result<(), String> {
    let rasteriser = Rasteriser::default();
    let scale = scale_for(framer.spec.width);
    let mut frames = frames.peekable();
    while frames.peek().is_some() {
        if cancel.load(Ordering::Relaxed) {
            return Err("cancelled".into());
        }
        let chunk: Vec<(u64, Record)> = frames.by_ref().take(CHUNK).collect();
        let pictures = chunk
            .par_iter()
            .map(|(step, record)| {
                let picture = rasteriser.pixmap(&framer.svg(*step, record), scale);
                tick();
                picture
            })
            .collect::<Result<Vec<_>, _>>()?;
        sink(pictures)?;
    }
    Ok(())
}

/// The last frame, rasterised: it fixes the size, and the GIF palette is learnt from it.
fn sample(framer: &Framer, finished: &Record) -> Result<Pixmap, String> {
    let svg = framer.svg(framer.end, finished);
    Rasteriser::default().pixmap(&svg, scale_for(framer.spec.width))
}

/// Renders the frames to a looping GIF at `fps`, its palette learnt from the finished runs'
/// frame.
pub fn encode_gif(
    framer: &Framer,
    frames: Snapshots,
    fps: u32,
    tick: &(dyn Fn() + Sync),
    cancel: &AtomicBool,
) -> Result<Vec<u8>, String> {
    let last = sample(framer, &frames.finished)?;
    let palette = gif::Palette::learn(last.data());
    let mut writer = gif::GifWriter::new(last.width(), last.height(), fps, palette)?;
    render(framer, frames, tick, cancel, |f| writer.push(&f))?;
    writer.finish()
}

/// Renders the frames to an MP4 file at `fps` through ffmpeg.
pub fn encode_mp4(
    framer: &Framer,
    frames: Snapshots,
    fps: u32,
    path: &std::path::Path,
    tick: &(dyn Fn() + Sync),
    cancel: &AtomicBool,
) -> Result<(), String> {
    let last = sample(framer, &frames.finished)?;
    let mut writer = mp4::Mp4Writer::new(path, last.width(), last.height(), fps)?;
    render(framer, frames, tick, cancel, |f| writer.push(&f))?;
    writer.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_steps_cover_the_run_evenly_or_by_decades() {
        assert_eq!(frame_steps(1000, 4, true), [1, 10, 100, 1000]);
        assert_eq!(frame_steps(90, 4, false), [0, 30, 60, 90]);
        assert_eq!(frame_steps(500, 1, true), [500]);
        assert_eq!(frame_steps(500, 1, false), [500]);
        // Short runs repeat early steps rather than overshoot or drop frames.
        let s = frame_steps(3, 6, true);
        assert_eq!(s.len(), 6);
        assert!(s.windows(2).all(|w| w[0] <= w[1]) && s[0] == 1 && s[5] == 3);
    }
}
