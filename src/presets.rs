//! Scenes: named settings with a title and a caption, shipped in `assets/presets/*.toml` and
//! embedded in the binary, or loaded from a user's own TOML file of the same format.
//!
//! A scene file has a top-level `title` and `caption` and a `[config]` table with the keys of
//! [`Config`] (missing keys take their defaults):
//!
//! ```toml
//! title = "SGD beats GD"
//! caption = "Same data, same α, same γ: SGD ends sparser."
//! [config]
//! alpha = 0.1
//! gamma_rule = "stable:1"
//! ```

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::model::{Config, MethodKind};
use crate::shipped::Shipped;

/// The scene opened when none is named.
pub const DEFAULT: &str = "sgd-beats-gd";

/// The shipped scenes: name and embedded TOML text, in menu order.
const SHIPPED: Shipped = Shipped(&[
    (
        "sgd-beats-gd",
        include_str!("../assets/presets/sgd-beats-gd.toml"),
    ),
    (
        "kernel-vs-rich",
        include_str!("../assets/presets/kernel-vs-rich.toml"),
    ),
    (
        "large-steps-help-sgd",
        include_str!("../assets/presets/large-steps-help-sgd.toml"),
    ),
    (
        "edge-of-stability",
        include_str!("../assets/presets/edge-of-stability.toml"),
    ),
    (
        "batch-size-weakens",
        include_str!("../assets/presets/batch-size-weakens.toml"),
    ),
    (
        "too-large-step-diverges",
        include_str!("../assets/presets/too-large-step-diverges.toml"),
    ),
    (
        "slow-convergence-better-bias",
        include_str!("../assets/presets/slow-convergence-better-bias.toml"),
    ),
    (
        "anisotropic-features",
        include_str!("../assets/presets/anisotropic-features.toml"),
    ),
    (
        "uncentred-data",
        include_str!("../assets/presets/uncentred-data.toml"),
    ),
    (
        "shape-of-the-noise",
        include_str!("../assets/presets/shape-of-the-noise.toml"),
    ),
    (
        "incremental-learning",
        include_str!("../assets/presets/incremental-learning.toml"),
    ),
    (
        "weight-decay-lasso",
        include_str!("../assets/presets/weight-decay-lasso.toml"),
    ),
    (
        "momentum-lambda",
        include_str!("../assets/presets/momentum-lambda.toml"),
    ),
    (
        "loss-stabilisation",
        include_str!("../assets/presets/loss-stabilisation.toml"),
    ),
    (
        "sam-sparser",
        include_str!("../assets/presets/sam-sparser.toml"),
    ),
]);

/// A scene: a name, what to show about it, and its settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Preset {
    /// Short name used with `--preset` (the file stem for user files).
    pub name: String,
    /// Title shown in menus and on figures.
    pub title: String,
    /// One- or two-sentence explanation shown in the app.
    pub caption: String,
    /// The settings.
    pub config: Config,
    /// The methods the scene runs side by side (`None`: the app's choice, GD, SGD and SGF).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub methods: Option<Vec<MethodKind>>,
    /// The x axis the scene is shown on (`None`: the viewer's choice).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x_axis: Option<SceneAxis>,
}

/// The x axis a scene asks for: steps, time, or the rescaled time τ = t/ln(1/α).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SceneAxis {
    /// Step k (log scale).
    Steps,
    /// Time t (log scale).
    Time,
    /// τ = t/ln(1/α) (linear), with the small-α staircase.
    Tau,
}

/// The on-disk layout of a scene file.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SceneFile {
    #[serde(default)]
    title: String,
    #[serde(default)]
    caption: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    methods: Option<Vec<MethodKind>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    x_axis: Option<SceneAxis>,
    config: Config,
}

/// Why a scene could not be loaded.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum PresetError {
    /// No shipped scene has this name.
    #[error("unknown preset '{name}': must be {}", available())]
    Unknown {
        /// The name asked for.
        name: String,
    },
    /// The file could not be read.
    #[error("cannot access {0}: {1}")]
    Io(PathBuf, String),
    /// The file is not a valid scene (the message names the line).
    #[error("invalid file {0}: {1}")]
    BadFile(PathBuf, String),
}

/// The names of the shipped scenes, in menu order.
pub fn names() -> impl Iterator<Item = &'static str> {
    SHIPPED.names()
}

/// The allowed values of `--preset`, in words.
pub fn available() -> String {
    SHIPPED.available("scene")
}

/// Every shipped scene, in menu order.
pub fn list() -> Vec<Preset> {
    SHIPPED.list(parse)
}

/// A shipped scene by name, or a user's scene file if `name` ends in `.toml`.
pub fn get(name: &str) -> Result<Preset, PresetError> {
    if name.ends_with(".toml") {
        return load_file(Path::new(name));
    }
    let (name, text) = SHIPPED
        .find(name)
        .ok_or_else(|| PresetError::Unknown { name: name.into() })?;
    parse(name, text).map_err(|msg| PresetError::BadFile(PathBuf::from(name), msg))
}

/// Loads a user's scene file; its name is the file stem.
pub fn load_file(path: &Path) -> Result<Preset, PresetError> {
    let text = read(path)?;
    let name = path
        .file_stem()
        .map_or_else(|| "scene".into(), |s| s.to_string_lossy().into_owned());
    let mut preset =
        parse(&name, &text).map_err(|msg| PresetError::BadFile(path.to_path_buf(), msg))?;
    resolve_data(&mut preset.config, path);
    Ok(preset)
}

/// Makes the `data` file a settings file names relative to that file's folder.
pub fn resolve_data(config: &mut Config, settings_file: &Path) {
    if let Some(data) = &mut config.data {
        *data = crate::data::resolve(settings_file, data);
    }
}

/// Parses scene text; the error is one line naming the line number.
pub fn parse(name: &str, text: &str) -> Result<Preset, String> {
    let file: SceneFile = toml::from_str(text).map_err(|e| toml_message(text, &e))?;
    if file.methods.as_ref().is_some_and(Vec::is_empty) {
        let line = text
            .lines()
            .position(|l| l.trim_start().starts_with("methods"));
        return Err(format!(
            "line {}: methods = []: a scene runs at least one method (one of {})",
            line.map_or(1, |k| k + 1),
            crate::model::method_kind::method_names()
        ));
    }
    Ok(Preset {
        name: name.into(),
        title: file.title,
        caption: file.caption,
        config: file.config,
        methods: file.methods,
        x_axis: file.x_axis,
    })
}

impl Preset {
    /// The scene as TOML text in the scene-file format (reloads to the same preset).
    pub fn to_toml(&self) -> String {
        let file = SceneFile {
            title: self.title.clone(),
            caption: self.caption.clone(),
            methods: self.methods.clone(),
            x_axis: self.x_axis,
            config: self.config.clone(),
        };
        toml::to_string(&file).unwrap_or_default()
    }

    /// `"title — caption"`, followed by `" — modified: α 0.1 → 0.002"` when `now` differs.
    pub fn caption_for(&self, now: &Config) -> String {
        let changed = changes(&self.config, now);
        if changed.is_empty() {
            format!("{} — {}", self.title, self.caption)
        } else {
            format!("{} — modified: {}", self.title, changed.join(", "))
        }
    }
}

/// The settings that differ from `from` to `to`, as `"α 0.1 → 0.002"`. Not compared: the method
/// (the app runs them side by side) and the step budget and tolerance, which only say when the
/// runs stop, not what they do.
pub fn changes(from: &Config, to: &Config) -> Vec<String> {
    use crate::model::format::short;
    let step = |c: &Config| match (c.gamma, &c.gamma_rule) {
        (Some(g), _) => short(g),
        (None, Some(rule)) => rule.clone(),
        (None, None) => "stable:1".into(),
    };
    let h = |c: &Config| c.h.map_or("auto".into(), short);
    let noise_steps = |c: &Config| c.noise_steps.map_or("all".into(), |k| k.to_string());
    let opt = |v: &Option<String>, default: &str| v.clone().unwrap_or_else(|| default.into());
    let items = [
        ("n", from.n.to_string(), to.n.to_string()),
        ("d", from.d.to_string(), to.d.to_string()),
        ("s", from.s.to_string(), to.s.to_string()),
        ("σ", short(from.noise), short(to.noise)),
        ("seed", from.seed.to_string(), to.seed.to_string()),
        ("n_test", from.n_test.to_string(), to.n_test.to_string()),
        ("α", short(from.alpha), short(to.alpha)),
        ("γ", step(from), step(to)),
        ("b", from.batch.to_string(), to.batch.to_string()),
        ("h", h(from), h(to)),
        ("σ_ℓ", short(from.sigma_label), short(to.sigma_label)),
        ("σ_iso", short(from.sigma_iso), short(to.sigma_iso)),
        ("noise steps", noise_steps(from), noise_steps(to)),
        ("λ_wd", short(from.weight_decay), short(to.weight_decay)),
        ("β_m", short(from.momentum), short(to.momentum)),
        ("ρ", short(from.sam_radius), short(to.sam_radius)),
        ("schedule", from.schedule.clone(), to.schedule.clone()),
        (
            "design",
            opt(&from.design, "isotropic"),
            opt(&to.design, "isotropic"),
        ),
        (
            "β*",
            opt(&from.beta_star, "gaussian"),
            opt(&to.beta_star, "gaussian"),
        ),
        (
            "data",
            opt(&from.data, "generated"),
            opt(&to.data, "generated"),
        ),
    ];
    items
        .into_iter()
        .filter(|(_, a, b)| a != b)
        .map(|(name, a, b)| format!("{name} {a} → {b}"))
        .collect()
}

/// `base` with the keys present in the settings file at `path` replaced by the file's values.
pub fn overlay_file(base: &Config, path: &Path) -> Result<Config, PresetError> {
    let bad = |msg: String| PresetError::BadFile(path.to_path_buf(), msg);
    let text = read(path)?;
    parse_config(&text).map_err(bad)?;
    let mut file: toml::Table = toml::from_str(&text).map_err(|e| bad(toml_message(&text, &e)))?;
    if let Some(toml::Value::Table(config)) = file.remove("config") {
        file = config;
    }
    let mut config = overlay(base, file).map_err(bad)?;
    resolve_data(&mut config, path);
    Ok(config)
}

/// `base` with the keys of `table` (a scene file's `[config]` keys) replaced by its values; a
/// `gamma` or `gamma_rule` in `table` replaces both of the base's.
pub fn overlay(base: &Config, table: toml::Table) -> Result<Config, String> {
    let mut merged = toml::Table::try_from(base).map_err(|e| e.to_string())?;
    if table.contains_key("gamma") || table.contains_key("gamma_rule") {
        merged.remove("gamma");
        merged.remove("gamma_rule");
    }
    merged.extend(table);
    merged
        .try_into()
        .map_err(|e: toml::de::Error| e.to_string())
}

fn read(path: &Path) -> Result<String, PresetError> {
    crate::files::read_text(path, crate::files::Kind::Scene)
        .map_err(|e| PresetError::Io(e.path, e.reason))
}

/// Parses TOML settings, or the `[config]` table of a scene file; the error is one line with
/// the line number.
pub fn parse_config(text: &str) -> Result<Config, String> {
    let scene_file = toml::from_str::<toml::Table>(text)
        .is_ok_and(|t| t.get("config").is_some_and(toml::Value::is_table));
    if scene_file {
        return parse("scene", text).map(|p| p.config);
    }
    toml::from_str::<Config>(text).map_err(|e| toml_message(text, &e))
}

/// A one-line description of a TOML error: `line L: message`.
pub fn toml_message(text: &str, e: &toml::de::Error) -> String {
    let msg = e.message().trim().replace('\n', " ");
    match e.span() {
        Some(span) => format!(
            "line {}: {msg}",
            text[..span.start.min(text.len())].matches('\n').count() + 1
        ),
        None => msg,
    }
}
