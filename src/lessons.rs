//! Lessons: an ordered list of steps through scenes, each with a short narration and the plot it
//! points at, shipped in `assets/lessons/*.toml` and embedded in the binary, or loaded from a
//! user's own TOML file of the same format (docs/file-formats.md).
//!
//! A step is a scene or a change to the current one. Its `scene` (a shipped scene's name) starts
//! from that scene; its `methods` and `[step.config]` keys — the keys of a scene file's
//! `[config]` table — are applied on top of the lesson's state at the previous step:
//!
//! ```toml
//! title = "Why SGD finds sparser solutions"
//!
//! [[step]]
//! title = "GD from a small α"
//! scene = "sgd-beats-gd"
//! methods = ["gd"]
//! highlight = "coords"
//! narration = "GD started at α = 0.1 ends close to β*."
//!
//! [[step]]
//! title = "A larger α"
//! highlight = "error"
//! narration = "At α = 2 GD ends near the minimum-ℓ2 interpolator."
//! [step.config]
//! alpha = 2.0
//! ```

use std::path::Path;

use serde::Deserialize;
use thiserror::Error;

use crate::experiment::MethodSet;
use crate::experiment::sweep::{GammaAxis, SweepSpec};
use crate::model::{Config, MethodKind, SimError};
use crate::presets::{self, Preset, PresetError};
use crate::shipped::Shipped;

/// The shipped lessons: name and embedded TOML text, in menu order.
const SHIPPED: Shipped = Shipped(&[
    (
        "sgd-sparser",
        include_str!("../assets/lessons/sgd-sparser.toml"),
    ),
    (
        "large-steps",
        include_str!("../assets/lessons/large-steps.toml"),
    ),
    (
        "incremental-learning",
        include_str!("../assets/lessons/incremental-learning.toml"),
    ),
]);

/// The plot a step points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Highlight {
    /// The training loss.
    Loss,
    /// The coordinates of β_t.
    Coords,
    /// The effective initialisation α_t/α over time.
    Alpha,
    /// Every coordinate's α_j/α at the latest step.
    AlphaCoords,
    /// The recovery error.
    Error,
    /// The curvature against 2/γ.
    Sharpness,
    /// The coordinates of β_t on the τ axis with the predicted staircase.
    Staircase,
    /// The Lasso path with the running mean β̄_t (in the α plot's place), on the τ axis.
    Lasso,
    /// Each method's final β by coordinate, side by side (in the coordinate plot's place).
    FinalBeta,
    /// The sweep panel.
    Sweep,
}

/// A sweep a step runs in the sweep panel: α values × step sizes × GD and SGD × seeds.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LessonSweep {
    /// The α values (default: the scene's α).
    #[serde(default)]
    pub alphas: Vec<f64>,
    /// Fixed step sizes.
    pub gammas: Option<Vec<f64>>,
    /// Fractions of each run's own γ_max (wins over `gammas`).
    pub gamma_fractions: Option<Vec<f64>>,
    /// Number of seeds.
    #[serde(default = "default_seeds")]
    pub seeds: u64,
    /// Step budget of each run.
    #[serde(default = "default_sweep_steps")]
    pub steps: u64,
}

fn default_seeds() -> u64 {
    5
}

fn default_sweep_steps() -> u64 {
    100_000
}

impl LessonSweep {
    /// The sweep on the scene `base`, checked.
    pub fn spec(&self, base: &Config) -> Result<SweepSpec, SimError> {
        let base = Config {
            steps: self.steps,
            ..base.clone()
        };
        let gammas = match (&self.gamma_fractions, &self.gammas) {
            (Some(f), _) => GammaAxis::Fractions(f.clone()),
            (None, Some(g)) => GammaAxis::Values(g.clone()),
            (None, None) => GammaAxis::Scene,
        };
        let alphas = if self.alphas.is_empty() {
            vec![base.alpha]
        } else {
            self.alphas.clone()
        };
        let spec = SweepSpec {
            base: base.validate_keys()?,
            find_gamma_max: alphas.len() == 1 && gammas != GammaAxis::Scene,
            alphas,
            methods: vec![MethodKind::Gd, MethodKind::Sgd],
            seeds: self.seeds,
            gammas,
        };
        spec.validate()?;
        Ok(spec)
    }
}

/// One step of a lesson, resolved: the lesson's whole state at this step.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// Short title shown in the step counter.
    pub title: String,
    /// What the picture shows, in a few sentences.
    pub narration: String,
    /// The plot the step points at.
    pub highlight: Option<Highlight>,
    /// The scene at this step: the previous step's with this step's changes (methods set).
    pub scene: Preset,
    /// A sweep the step opens and runs in the sweep panel.
    pub sweep: Option<LessonSweep>,
}

/// A lesson: a title and its steps, each a complete scene.
#[derive(Clone, Debug, PartialEq)]
pub struct Lesson {
    /// Short name (`--lesson NAME`, or the file stem).
    pub name: String,
    /// Title shown in menus and over the narration.
    pub title: String,
    /// The steps, at least one.
    pub steps: Vec<Step>,
}

/// Why a lesson could not be loaded.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum LessonError {
    /// No shipped lesson has this name.
    #[error("unknown lesson '{name}': must be {}", available())]
    Unknown {
        /// The name asked for.
        name: String,
    },
    /// The file could not be read, or is not a valid lesson (the message names the line).
    #[error(transparent)]
    File(#[from] PresetError),
}

/// The on-disk layout of a lesson file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LessonFile {
    title: String,
    step: Vec<toml::Spanned<StepFile>>,
}

/// The on-disk layout of a step; `config` is typed so that a misspelt key or a wrong type is
/// reported at its own line.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StepFile {
    #[serde(default)]
    title: String,
    narration: String,
    scene: Option<String>,
    methods: Option<Vec<MethodKind>>,
    highlight: Option<Highlight>,
    #[serde(rename = "config")]
    _config: Option<Config>,
    sweep: Option<LessonSweep>,
}

/// The names of the shipped lessons, in menu order.
pub fn names() -> impl Iterator<Item = &'static str> {
    SHIPPED.names()
}

/// The allowed values of `--lesson`, in words.
pub fn available() -> String {
    SHIPPED.available("lesson")
}

/// Every shipped lesson, in menu order.
pub fn list() -> Vec<Lesson> {
    SHIPPED.list(parse)
}

/// A shipped lesson by name, or a user's lesson file if `name` ends in `.toml`.
pub fn get(name: &str) -> Result<Lesson, LessonError> {
    if name.ends_with(".toml") {
        return Ok(load_file(Path::new(name))?);
    }
    let (name, text) = SHIPPED
        .find(name)
        .ok_or_else(|| LessonError::Unknown { name: name.into() })?;
    parse(name, text).map_err(|msg| PresetError::BadFile(name.into(), msg).into())
}

/// Loads a user's lesson file; its name is the file stem.
pub fn load_file(path: &Path) -> Result<Lesson, PresetError> {
    let text = crate::files::read_text(path, crate::files::Kind::Lesson)
        .map_err(|e| PresetError::Io(e.path, e.reason))?;
    let name = path
        .file_stem()
        .map_or_else(|| "lesson".into(), |s| s.to_string_lossy().into_owned());
    parse(&name, &text).map_err(|msg| PresetError::BadFile(path.to_path_buf(), msg))
}

/// The line (from 1) of byte offset `at` in `text`.
fn line_of(text: &str, at: usize) -> usize {
    text[..at.min(text.len())].matches('\n').count() + 1
}

/// Parses lesson text and resolves every step's scene; the error is one line naming the line.
pub fn parse(name: &str, text: &str) -> Result<Lesson, String> {
    let file: LessonFile = toml::from_str(text).map_err(|e| presets::toml_message(text, &e))?;
    if file.step.is_empty() {
        return Err("line 1: a lesson needs at least one [[step]]".into());
    }
    // The keys each step's [config] names (the typed parse above checked their names and types).
    let mut raw: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
    let tables: Vec<toml::Table> = match raw.remove("step") {
        Some(toml::Value::Array(steps)) => (steps.into_iter())
            .map(|s| match s {
                toml::Value::Table(mut t) => match t.remove("config") {
                    Some(toml::Value::Table(c)) => c,
                    _ => toml::Table::new(),
                },
                _ => toml::Table::new(),
            })
            .collect(),
        _ => Vec::new(),
    };
    let mut scene = Preset {
        name: name.into(),
        title: file.title.clone(),
        caption: String::new(),
        config: Config::default(),
        methods: Some(MethodSet::default().iter().collect()),
        x_axis: None,
    };
    let mut steps = Vec::with_capacity(file.step.len());
    for (k, (spanned, changes)) in file.step.into_iter().zip(tables).enumerate() {
        let at = |msg: String| {
            let line = line_of(text, spanned.span().start);
            format!("line {line}: step {}: {msg}", k + 1)
        };
        let step = spanned.get_ref();
        if let Some(base) = &step.scene {
            let p = presets::get(base).map_err(|e| at(e.to_string()))?;
            scene.config = p.config;
            scene.x_axis = p.x_axis;
            scene.methods = Some(
                p.methods
                    .unwrap_or_else(|| MethodSet::default().iter().collect()),
            );
        }
        if let Some(methods) = &step.methods {
            if methods.is_empty() {
                return Err(at(
                    "methods: must name at least one of gd, sgd, sgf, gf".into()
                ));
            }
            scene.methods = Some(methods.clone());
        }
        scene.config = presets::overlay(&scene.config, changes).map_err(&at)?;
        scene
            .config
            .validate_keys()
            .map_err(|e| at(e.to_string()))?;
        if let Some(sweep) = &step.sweep {
            sweep
                .spec(&scene.config)
                .map_err(|e| at(format!("sweep: {e}")))?;
        }
        let title = if step.title.is_empty() {
            format!("Step {}", k + 1)
        } else {
            step.title.clone()
        };
        steps.push(Step {
            narration: normalise(&step.narration),
            highlight: step.highlight,
            scene: Preset {
                title: format!("{} — {title}", file.title),
                ..scene.clone()
            },
            sweep: step.sweep.clone(),
            title,
        });
    }
    Ok(Lesson {
        name: name.into(),
        title: file.title,
        steps,
    })
}

/// Joins the lines of a paragraph (multi-line TOML strings) and keeps blank lines as breaks.
fn normalise(text: &str) -> String {
    (text.trim().split("\n\n"))
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n")
}
