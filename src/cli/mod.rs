//! The headless commands: `run`, `sweep`, `bench`.

/// `println!` that returns an error instead of panicking when standard output fails.
macro_rules! outln {
    () => { $crate::cli::out(format_args!("\n")) };
    ($($t:tt)*) => { $crate::cli::out(format_args!("{}\n", format_args!($($t)*))) };
}

/// `print!` that returns an error instead of panicking when standard output fails.
macro_rules! out {
    ($($t:tt)*) => { $crate::cli::out(format_args!($($t)*)) };
}

/// `eprintln!` that never panics (a message to a closed standard error is dropped).
macro_rules! note {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($t)*);
    }};
}

pub mod animate;
pub mod args;
pub mod bench;
pub mod data;
pub mod figure;
pub mod gamma_max;
pub mod gui;
pub mod link;
pub mod merge;
pub mod run;
pub mod saddles;
pub mod sweep;

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use thiserror::Error;

use crate::model::SimError;
use crate::presets::PresetError;

pub use crate::figure::num as fmt_num;
pub use args::SimArgs;

/// An error a command reports on one line before exiting with status 2.
#[derive(Debug, Error)]
pub enum CliError {
    /// A setting is invalid or a computation failed.
    #[error(transparent)]
    Sim(#[from] SimError),
    /// A file could not be read or written.
    #[error("cannot access {0}: {1}")]
    Io(PathBuf, String),
    /// A file is malformed.
    #[error("invalid file {0}: {1}")]
    BadFile(PathBuf, String),
    /// Files cannot be merged together.
    #[error("cannot merge: {0}")]
    Merge(String),
    /// A link could not be read.
    #[error(transparent)]
    Link(#[from] crate::link::LinkError),
    /// Standard output failed (a closed pipe ends the command quietly).
    #[error("cannot write to standard output: {0}")]
    Stdout(std::io::Error),
}

/// Writes to standard output, returning the failure instead of panicking.
pub fn out(args: std::fmt::Arguments) -> Result<(), CliError> {
    use std::io::Write;
    std::io::stdout()
        .lock()
        .write_fmt(args)
        .map_err(CliError::Stdout)
}

/// Flushes standard output at the end of a command.
pub fn flush() -> Result<(), CliError> {
    use std::io::Write;
    std::io::stdout().flush().map_err(CliError::Stdout)
}

/// dln-explorer: watch SGD's noise shrink the effective initialisation of a diagonal linear
/// network and find sparser solutions than GD. Without a command, opens the GUI.
#[derive(Parser, Debug)]
#[command(name = "dln-explorer", version, about, allow_negative_numbers = true)]
pub struct Cli {
    /// What to do (default: open the GUI).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The commands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Train one method and report where it ended against the theory.
    #[command(allow_negative_numbers = true)]
    Run(run::RunArgs),
    /// The α-sweep "SGD beats GD": α list × methods × seeds, paired data and γ.
    #[command(allow_negative_numbers = true)]
    Sweep(sweep::SweepArgs),
    /// Measure steps per second of one method.
    #[command(allow_negative_numbers = true)]
    Bench(bench::BenchArgs),
    /// Render a scene's plot or the α-sweep headless to SVG or PNG.
    #[command(allow_negative_numbers = true)]
    Figure(figure::FigureArgs),
    /// The largest converging step size γ_max of one method, by bisection, and its
    /// linear-stability prediction.
    #[command(allow_negative_numbers = true)]
    GammaMax(gamma_max::GammaMaxArgs),
    /// Merge the CSV files of a sharded sweep (`sweep --shard K/N`) into the unsharded sweep's.
    Merge(merge::MergeArgs),
    /// The saddle-to-saddle staircase of a scene's data as α → 0: saddles, jump times in
    /// τ = t/ln(1/α), the coordinates that join and leave.
    #[command(allow_negative_numbers = true)]
    Saddles(saddles::SaddlesArgs),
    /// Write a scene's data (X, y, β*, the test set) as a NumPy .npz archive.
    #[command(allow_negative_numbers = true)]
    Data(data::DataArgs),
    /// Open the live visualiser (or capture a screenshot / frame timings headless).
    #[command(allow_negative_numbers = true)]
    Gui(gui::GuiArgs),
    /// Print the web page's link to a scene (the same flags as `run`) or to a lesson's step.
    #[command(allow_negative_numbers = true)]
    Link(link::LinkArgs),
}

/// The scene's keys of a command's JSON object, with `rest` (the command's own keys) added.
pub fn scene_json(s: &crate::model::Settings, rest: serde_json::Value) -> serde_json::Value {
    let mut keys = serde_json::json!({
        "method": s.method.name(),
        "n": s.problem.n,
        "d": s.problem.d,
        "s": s.problem.s,
        "noise": s.problem.noise,
        "seed": s.problem.seed,
        "alpha": s.alpha,
        "batch": s.batch,
    });
    if let (Some(map), serde_json::Value::Object(extra)) = (keys.as_object_mut(), rest) {
        map.extend(extra);
    }
    keys
}

/// Writes `bytes` to `path` atomically, naming the path on failure.
pub fn write_file(path: &std::path::Path, bytes: &[u8]) -> Result<(), CliError> {
    Ok(crate::files::write_atomic(path, bytes)?)
}

impl From<crate::files::FileError> for CliError {
    fn from(e: crate::files::FileError) -> CliError {
        CliError::Io(e.path, e.reason)
    }
}

impl From<crate::lessons::LessonError> for CliError {
    fn from(e: crate::lessons::LessonError) -> CliError {
        match e {
            crate::lessons::LessonError::Unknown { name } => CliError::Sim(SimError::invalid(
                "lesson",
                name,
                crate::lessons::available(),
            )),
            crate::lessons::LessonError::File(e) => e.into(),
        }
    }
}

impl From<crate::data::DataError> for CliError {
    fn from(e: crate::data::DataError) -> CliError {
        use crate::data::DataError;
        match e {
            DataError::Io(path, msg) => CliError::Io(path, msg),
            DataError::Bad(path, msg) => CliError::BadFile(path, msg),
            DataError::Sim(e) => CliError::Sim(e),
        }
    }
}

impl From<PresetError> for CliError {
    fn from(e: PresetError) -> CliError {
        match e {
            PresetError::Unknown { name } => CliError::Sim(SimError::invalid(
                "preset",
                name,
                crate::presets::available(),
            )),
            PresetError::Io(path, msg) => CliError::Io(path, msg),
            PresetError::BadFile(path, msg) => CliError::BadFile(path, msg),
        }
    }
}
