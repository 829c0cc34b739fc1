//! `dln-explorer gui`: the live visualiser, with headless screenshot and frame-timing hooks.

use std::path::PathBuf;

use clap::Args;

use super::{CliError, SimArgs};
use crate::app::{App, Capture};

/// Flags of `gui`.
#[derive(Args, Debug, Default)]
pub struct GuiArgs {
    /// The scene (the same flags as `run`; --steps is each method's step budget).
    #[command(flatten)]
    pub sim: SimArgs,
    /// Run the step budget flat out, save a PNG of the window here and exit.
    #[arg(long, value_name = "PNG")]
    pub screenshot: Option<PathBuf>,
    /// Run the step budget flat out, time this many frames, print JSON and exit.
    #[arg(long, value_name = "N")]
    pub frame_stats: Option<usize>,
    /// Start with anti-aliasing off (default: off on software GL renderers except for
    /// --screenshot; drawing is then about three times cheaper).
    #[arg(long)]
    pub no_smooth: bool,
    /// Start in presentation mode (large type, thick lines, light theme; F5 toggles it).
    #[arg(long)]
    pub presentation: bool,
}

/// Opens the window (and closes it after a capture).
pub fn main(args: &GuiArgs) -> Result<(), CliError> {
    let scene_given = args.sim != SimArgs::default();
    // Without a preset or config file the scene is the default preset (flags still apply).
    let preset_name = args.sim.preset.clone().or_else(|| {
        args.sim
            .config
            .is_none()
            .then(|| crate::presets::DEFAULT.to_string())
    });
    let sim = SimArgs {
        preset: preset_name.clone(),
        ..args.sim.clone()
    };
    let (_, settings) = sim.settings()?;
    let preset = preset_name
        .map(|name| crate::presets::get(&name))
        .transpose()?
        .map(|p| (p.title, p.caption));
    let capture = (args.screenshot.is_some() || args.frame_stats.is_some()).then(|| Capture {
        screenshot: args.screenshot.clone(),
        frame_stats: args.frame_stats.map(|n| n.max(1)),
    });
    let options = eframe::NativeOptions {
        viewport: eframe::egui::ViewportBuilder::default()
            .with_inner_size([1600.0, 900.0])
            .with_title("dln-explorer — implicit bias of SGD on diagonal linear networks"),
        ..Default::default()
    };
    let outcome = std::sync::Arc::new(std::sync::Mutex::new(None));
    let slot = outcome.clone();
    let smooth_off = args.no_smooth;
    let screenshot = args.screenshot.is_some();
    let presentation = args.presentation;
    eframe::run_native(
        "dln-explorer",
        options,
        Box::new(move |cc| {
            let mut app = App::new(&cc.egui_ctx, &settings);
            app.controls_mut().preset = preset;
            if let Some(storage) = cc.storage
                && capture.is_none()
            {
                app.restore(&cc.egui_ctx, storage, !scene_given);
            }
            if presentation {
                app.set_presentation(&cc.egui_ctx, true);
            }
            let software = cc.gl.as_deref().is_some_and(is_software_renderer);
            app.controls_mut().smooth = !(smooth_off || (software && !screenshot));
            if let Some(c) = capture {
                // Captures are reproducible: no zoom or theme carried over from earlier sessions.
                app.set_presentation(&cc.egui_ctx, presentation);
                app = app.with_capture(c);
            }
            app.outcome = slot;
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| CliError::Io(PathBuf::from("display"), e.to_string()))?;
    let result = outcome.lock().ok().and_then(|mut o| o.take());
    match result {
        Some(Ok(text)) if !text.is_empty() => {
            println!("{text}");
            Ok(())
        }
        Some(Err(msg)) => Err(CliError::Io(
            args.screenshot.clone().unwrap_or_default(),
            msg,
        )),
        _ => Ok(()),
    }
}

/// Whether GL draws on the CPU (Mesa llvmpipe/softpipe), where anti-aliased lines are costly.
fn is_software_renderer(gl: &eframe::glow::Context) -> bool {
    use eframe::glow::HasContext;
    // SAFETY: called from eframe's creation callback, on the thread whose GL context is current;
    // GL_RENDERER is a valid string parameter.
    let renderer = unsafe { gl.get_parameter_string(eframe::glow::RENDERER) };
    let renderer = renderer.to_ascii_lowercase();
    ["llvmpipe", "softpipe", "swrast", "software"]
        .iter()
        .any(|s| renderer.contains(s))
}
