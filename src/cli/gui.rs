//! `dln-explorer gui`: the live visualiser, with headless screenshot and frame-timing hooks.

use std::path::{Path, PathBuf};

use clap::Args;

use super::args::LessonArgs;
use super::{CliError, SimArgs};
use crate::app::Capture;
use crate::app::export::{Export, View};
use crate::app::launch::Launch;
use crate::figure::scene::{LIVE_PLOTS, ViewOptions};
use crate::lessons::Lesson;
use crate::model::{Settings, SimError};
use crate::presets::Preset;

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
    /// Window size in logical pixels [default: 1600x900; each side 320 to 7680].
    #[arg(long, value_name = "WxH", value_parser = parse_window)]
    pub window: Option<[f32; 2]>,
    /// Without a window: run the step budget and write every live plot as SVG into this
    /// folder, as Export → SVG of every plot does (dln-loss.svg, dln-coords.svg, …).
    #[arg(long, value_name = "DIR")]
    pub export_svg: Option<PathBuf>,
    /// The lesson to open instead of a scene.
    #[command(flatten)]
    pub lesson: LessonArgs,
    /// Open the scene or lesson of a web-page link (a URL or its `#…` fragment, as printed by
    /// `dln-explorer link` or copied with Scene → Copy link). Takes the place of the scene flags.
    #[arg(long, value_name = "URL")]
    pub link: Option<String>,
}

/// Opens the window (and closes it after a capture).
pub fn main(args: &GuiArgs) -> Result<(), CliError> {
    if args.screenshot.is_some() || args.export_svg.is_some() {
        // Headless, the app is a command whose outputs must not replace its inputs.
        crate::files::protect_inputs();
    }
    let scene_given = args.sim != SimArgs::default() || args.link.is_some();
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
    args.lesson.check()?;
    let (settings, preset, lesson) = match (&args.link, &args.lesson.lesson) {
        (Some(text), _) => linked_scene(args, text)?,
        (None, Some(name)) => lesson_scene(args, name, args.lesson.lesson_step)?,
        (None, None) => {
            let (_, settings) = sim.settings()?;
            let preset = preset_name
                .map(|name| crate::presets::get(&name))
                .transpose()?;
            (settings, preset, None)
        }
    };
    if let Some(dir) = &args.export_svg {
        return export_svgs(dir, settings, preset.as_ref());
    }
    let capture = (args.screenshot.is_some() || args.frame_stats.is_some()).then(|| Capture {
        screenshot: args.screenshot.clone(),
        frame_stats: args.frame_stats.map(|n| n.max(1)),
    });
    let capture_store =
        std::env::temp_dir().join(format!("dln-explorer-capture-{}.ron", std::process::id()));
    let outcome = std::sync::Arc::new(std::sync::Mutex::new(None));
    let slot = outcome.clone();
    let smooth_off = args.no_smooth;
    let screenshot = args.screenshot.is_some();
    let presentation = args.presentation;
    let window = args.window;
    let size = args.window.unwrap_or([1600.0, 900.0]);
    // Captures are reproducible: they neither read nor write the kept state (eframe would
    // otherwise restore the last session's window geometry over the size asked for).
    let store = capture.as_ref().map(|_| capture_store.clone());
    let ran = crate::platform::open_window(
        size,
        store,
        Box::new(move |cc| {
            let software = cc.gl.as_deref().is_some_and(is_software_renderer);
            let app = Launch::new(&settings)
                .preset(preset)
                .presentation(presentation)
                .smooth(!(smooth_off || (software && !screenshot)))
                .capture(capture)
                .restore_scene(!scene_given)
                .window_size(window)
                .outcome(slot)
                .lesson(lesson)
                .build(&cc.egui_ctx, cc.storage);
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| CliError::Io(PathBuf::from("display"), e));
    let _ = std::fs::remove_file(&capture_store);
    ran?;
    let result = outcome.lock().ok().and_then(|mut o| o.take());
    match result {
        Some(Ok(text)) if !text.is_empty() => {
            outln!("{text}")?;
            Ok(())
        }
        Some(Err(msg)) => Err(CliError::Io(
            args.screenshot.clone().unwrap_or_default(),
            msg,
        )),
        _ => Ok(()),
    }
}

/// A scene to open with: its settings, the scene file, and the lesson at its step.
type LessonScene = (Settings, Option<Preset>, Option<(Lesson, usize)>);

/// The scene or lesson a link opens (checked before any window opens).
fn linked_scene(args: &GuiArgs, text: &str) -> Result<LessonScene, CliError> {
    if args.sim != SimArgs::default() || args.lesson.given() {
        return Err(CliError::Sim(SimError::invalid(
            "link",
            text,
            "given without --lesson, --preset, --config and the scene flags (the link holds the scene)",
        )));
    }
    let (settings, scene, lesson) = crate::link::open(text)?;
    Ok((settings, Some(scene), lesson))
}

/// The lesson `name` and its scene at `step` (checked before any window opens).
fn lesson_scene(args: &GuiArgs, name: &str, step: Option<usize>) -> Result<LessonScene, CliError> {
    if args.sim != SimArgs::default() {
        return Err(CliError::Sim(SimError::invalid(
            "lesson",
            name,
            "given without --preset, --config and the scene flags (each lesson step sets its own scene)",
        )));
    }
    let lesson = crate::lessons::get(name)?;
    let count = lesson.steps.len();
    let k = step.unwrap_or(1);
    if !(1..=count).contains(&k) {
        return Err(CliError::Sim(SimError::invalid(
            "lesson-step",
            k,
            format!(
                "an integer in 1..={count} (the steps of lesson '{}')",
                lesson.name
            ),
        )));
    }
    let scene = lesson.steps[k - 1].scene.clone();
    let settings = crate::data::settings(&scene.config)?;
    Ok((settings, Some(scene), Some((lesson, k - 1))))
}

/// A window size `WxH`, each side an integer in 320..=7680.
fn parse_window(text: &str) -> Result<[f32; 2], String> {
    let bad = || "must be WxH with each side in 320..=7680, e.g. 1920x1080".to_string();
    let (w, h) = text.split_once(['x', 'X', '×']).ok_or_else(bad)?;
    let side = |s: &str| {
        s.trim()
            .parse::<u32>()
            .ok()
            .filter(|v| (320..=7680).contains(v))
            .map(|v| v as f32)
    };
    Ok([side(w).ok_or_else(bad)?, side(h).ok_or_else(bad)?])
}

/// `gui --export-svg DIR`: the runs to the end, then the Export menu's SVGs at the default view.
fn export_svgs(dir: &Path, settings: Settings, preset: Option<&Preset>) -> Result<(), CliError> {
    let methods = super::figure::scene_methods(preset);
    let record = super::figure::run_scene_of(settings, &methods)?;
    let view = View {
        live: &record,
        options: ViewOptions::default(),
        title: preset.map_or("dln-explorer", |p| p.title.as_str()),
    };
    let paths = Export::svgs(dir, &LIVE_PLOTS, view)
        .write(|| ())
        .map_err(|msg| CliError::Io(dir.to_path_buf(), msg))?;
    for p in paths {
        note!("wrote {}", p.display());
    }
    Ok(())
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
