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
    /// Start with anti-aliasing off (about twice as fast to draw on software renderers).
    #[arg(long)]
    pub no_smooth: bool,
}

/// Opens the window (and closes it after a capture).
pub fn main(args: &GuiArgs) -> Result<(), CliError> {
    let (_, settings) = args.sim.settings()?;
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
    eframe::run_native(
        "dln-explorer",
        options,
        Box::new(move |cc| {
            let mut app = App::new(&cc.egui_ctx, &settings);
            app.controls_mut().smooth = !smooth_off;
            if let Some(c) = capture {
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
