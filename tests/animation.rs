//! Animated exports through the real binary: the GIF's frames, their size, and its first and
//! last frames against the still figures of the same scene at those steps.
//!
//! Why the comparison is exact up to the palette: a frame at step k is the record the runs hold
//! at step k, and the recorder's schedule (log-spaced, then strided with stride doubling) depends
//! only on the steps taken, so a run stopped at k holds exactly the points a run given a budget
//! of k steps holds; the frame's SVG is the still's SVG with the axes the finished run's still
//! has, plus the counter in the title band. Both go through the same rasteriser at the same
//! scale, so the pixels below the title band agree before quantisation; the GIF then rounds each
//! colour that is not kept exactly to the nearest level of a 6-level cube (levels 51 apart), an
//! error of at most 25 per channel (`gif::MAX_ERROR`).

#[path = "common/cli.rs"]
mod cli_common;

use cli_common::{bin, fails_with};
use std::path::Path;
use std::process::Command;

use dln_explorer::cli::SimArgs;
use dln_explorer::cli::figure::{SCENE_METHODS, run_scene_of};
use dln_explorer::figure::animation::gif::MAX_ERROR;
use dln_explorer::figure::png::Rasteriser;
use dln_explorer::figure::scene::{self, LIVE_PLOTS, ViewOptions};
use dln_explorer::figure::svg::{self, Options, TITLE_BAND};
use image::{AnimationDecoder, RgbaImage};

/// A small scene that runs in well under a second.
const SCENE: [&str; 8] = ["--n", "20", "--d", "40", "--s", "3", "--steps", "4000"];

fn run_ok(args: &[&str]) {
    let o = bin(args);
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// The frames of a GIF, composited as a viewer shows them.
fn gif_frames(path: &Path) -> Vec<RgbaImage> {
    let file = std::io::BufReader::new(std::fs::File::open(path).expect("the GIF exists"));
    let decoder = image::codecs::gif::GifDecoder::new(file).expect("a valid GIF");
    (decoder
        .into_frames()
        .collect_frames()
        .expect("decodable frames"))
    .into_iter()
    .map(|f| f.into_buffer())
    .collect()
}

/// Largest per-channel difference over the rows from `from_row` down.
fn max_diff(a: &RgbaImage, b: &RgbaImage, from_row: u32) -> u8 {
    assert_eq!(a.dimensions(), b.dimensions());
    (from_row..a.height())
        .flat_map(|y| (0..a.width()).map(move |x| (x, y)))
        .flat_map(|(x, y)| {
            let (p, q) = (a.get_pixel(x, y).0, b.get_pixel(x, y).0);
            (0..3).map(move |c| p[c].abs_diff(q[c]))
        })
        .max()
        .unwrap_or(0)
}

/// Whether the rows above `to_row` differ by more than the palette can explain.
fn band_differs(a: &RgbaImage, b: &RgbaImage, to_row: u32) -> bool {
    (0..to_row).any(|y| {
        (0..a.width()).any(|x| {
            let (p, q) = (a.get_pixel(x, y).0, b.get_pixel(x, y).0);
            (0..3).any(|c| p[c].abs_diff(q[c]) > MAX_ERROR)
        })
    })
}

fn scene_args() -> SimArgs {
    SimArgs {
        n: Some(20),
        d: Some(40),
        s: Some(3),
        steps: Some(4000),
        ..SimArgs::default()
    }
}

#[test]
fn gif_of_the_2x2_view_matches_the_stills_at_its_first_and_last_steps() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let gif = dir.path().join("run.gif");
    let still = dir.path().join("still.png");
    let (gif_s, still_s) = (gif.to_str().unwrap(), still.to_str().unwrap());
    let frames = 5;
    let mut args = vec!["figure", "--plot", "all", "--frames", "5", "--fps", "4"];
    args.extend(SCENE);
    run_ok(&[args.as_slice(), &["--out", gif_s]].concat());
    run_ok(
        &[
            &["figure", "--plot", "all", "--scale", "1", "--out", still_s],
            &SCENE[..],
        ]
        .concat(),
    );

    let decoded = gif_frames(&gif);
    assert_eq!(decoded.len(), frames, "the requested number of frames");
    let size = decoded[0].dimensions();
    assert_eq!(size.0, 960, "960 pixels wide at scale 1");
    assert!(decoded.iter().all(|f| f.dimensions() == size), "one size");
    for (i, pair) in decoded.windows(2).enumerate() {
        assert!(pair[0] != pair[1], "frames {i} and {} are identical", i + 1);
    }

    // The last frame is the still of the finished runs, plus the counter.
    let band = TITLE_BAND as u32;
    let last_still = image::open(&still).expect("the still PNG").into_rgba8();
    let last = &decoded[frames - 1];
    assert!(max_diff(last, &last_still, band) <= MAX_ERROR);
    assert!(
        band_differs(last, &last_still, band),
        "the counter is drawn"
    );

    // The first frame (step 1: log-spaced steps start there) is the still of a run given a
    // budget of one step, on the finished run's axes. Such a run reports that its budget ran
    // out ("not converged" after one step); the frame shows runs still going, so the stop
    // reasons are cleared before drawing it.
    let (_, settings) = scene_args().settings().expect("valid settings");
    let view = ViewOptions::default();
    let full = run_scene_of(settings.clone(), &SCENE_METHODS).expect("the full run");
    let full_fig = scene::figure(&LIVE_PLOTS, &full, view, "dln-explorer");
    let mut first_settings = settings;
    first_settings.steps = 1;
    let mut first = run_scene_of(first_settings, &SCENE_METHODS).expect("a one-step run");
    first.status.iter_mut().for_each(|s| s.stop = None);
    let grid = Options {
        grid: true,
        ..Options::default()
    };
    let options = Options {
        bounds: full_fig
            .panels
            .iter()
            .map(|p| Some(svg::bounds(p)))
            .collect(),
        height: Some(svg::height(&full_fig, &grid)),
        ..grid
    };
    let first_fig = scene::figure(&LIVE_PLOTS, &first, view, "dln-explorer");
    let pixmap = Rasteriser::default()
        .pixmap(&svg::render_with(&first_fig, &options), 1.0)
        .expect("rasterised");
    let first_still =
        RgbaImage::from_raw(pixmap.width(), pixmap.height(), pixmap.data().to_vec()).unwrap();
    assert!(max_diff(&decoded[0], &first_still, band) <= MAX_ERROR);
    assert!(
        band_differs(&decoded[0], &first_still, band),
        "the counter is drawn"
    );
}

#[test]
fn a_single_plot_gif_has_fixed_axes_and_a_counter() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let gif = dir.path().join("loss.gif");
    let mut args = vec!["figure", "--plot", "loss", "--frames", "3"];
    args.extend(SCENE);
    run_ok(&[args.as_slice(), &["--out", gif.to_str().unwrap()]].concat());
    let decoded = gif_frames(&gif);
    assert_eq!(decoded.len(), 3);
    // Fixed axes: the tick labels left of the plot (x < 90) never change between frames.
    let (w, h) = decoded[0].dimensions();
    assert_eq!(w, 960);
    for f in &decoded[1..] {
        for y in TITLE_BAND as u32..h {
            for x in 0..90 {
                assert_eq!(f.get_pixel(x, y), decoded[0].get_pixel(x, y), "({x}, {y})");
            }
        }
    }
}

#[test]
fn bad_animation_flags_name_the_value_and_the_range() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join("x.gif");
    let out = out.to_str().unwrap();
    fails_with(
        &["figure", "--out", out, "--frames", "0"],
        &["0", "1..=2000"],
    );
    fails_with(&["figure", "--out", out, "--fps", "0"], &["0", "1..=50"]);
    fails_with(&["figure", "--out", "x.avi"], &["x.avi", ".gif", ".mp4"]);
    fails_with(
        &["figure", "--out", out, "--plot", "sweep"],
        &["sweep", "a scene plot for an animation"],
    );
    assert!(!Path::new(out).exists(), "nothing written");
}

#[test]
fn mp4_without_ffmpeg_says_so_in_one_line() {
    let empty = tempfile::tempdir().expect("a temporary folder");
    let out = empty.path().join("x.mp4");
    let o = Command::new(env!("CARGO_BIN_EXE_dln-explorer"))
        .args(["figure", "--out", out.to_str().unwrap()])
        .env("PATH", empty.path())
        .output()
        .expect("the binary runs");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains("ffmpeg") && err.contains("x.mp4"), "{err}");
    assert!(!out.exists());
}

/// Where ffmpeg is installed (CI does not install it), the MP4 has the requested frames at the
/// figure's width; ffprobe, which ships with ffmpeg, reads it back.
#[test]
fn mp4_with_ffmpeg_has_the_requested_frames() {
    let probe = |args: &[&str]| Command::new("ffprobe").args(args).output();
    if Command::new("ffmpeg").arg("-version").output().is_err() || probe(&["-version"]).is_err() {
        eprintln!("skipped: ffmpeg is not on the PATH");
        return;
    }
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join("run.mp4");
    let o = Command::new(env!("CARGO_BIN_EXE_dln-explorer"))
        .args([
            "figure", "--plot", "loss", "--frames", "12", "--steps", "2000",
        ])
        .args(["--out", out.to_str().unwrap()])
        .output()
        .expect("the binary runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = probe(&[
        "-v",
        "error",
        "-count_frames",
        "-show_entries",
        "stream=width,nb_read_frames",
        "-of",
        "csv=p=0",
        out.to_str().unwrap(),
    ])
    .expect("ffprobe runs");
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), "960,12");
}
