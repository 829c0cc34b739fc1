//! A scene or a lesson as a URL fragment: the one versioned codec behind the web page's address,
//! the desktop's *Copy link* and `gui --link`, and `dln-explorer link`.
//!
//! A fragment is `v=1&scene=NAME&key=value&…` (docs/web.md): a shipped scene to start from
//! (`scene=`, else the defaults) and every key of a scene file that differs from it — the
//! top-level `name`, `title`, `caption`, `methods` (comma-separated) and `x_axis`, and the
//! `[config]` keys — each value percent-encoded as it would be written in TOML (strings bare
//! unless they would read as a number or a boolean). A lesson is `v=1&lesson=NAME&step=K`.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use thiserror::Error;

use crate::lessons::{self, Lesson};
use crate::model::{Config, MethodKind, Settings};
use crate::presets::{self, Preset};

/// The published web page, the default base of every link.
pub const PAGE: &str = "https://dln-explorer.github.io/dln-explorer/";
/// The codec's version, written as `v=1` and refused when newer.
pub const VERSION: u32 = 1;
/// The top-level keys of a scene file a link may hold, besides the `[config]` keys.
const SCENE_KEYS: [&str; 5] = ["name", "title", "caption", "methods", "x_axis"];
/// Characters written as they are: letters, digits and the punctuation of numbers and rules.
const KEEP: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b':')
    .remove(b',')
    .remove(b'+');

/// What a link opens.
#[derive(Clone, Debug, PartialEq)]
pub enum Linked {
    /// A scene.
    Scene(Box<Preset>),
    /// A shipped lesson at a step (from 1).
    Lesson {
        /// The lesson's name.
        name: String,
        /// The step, from 1.
        step: usize,
    },
}

/// Why a fragment is not a link this app opens (each message names the value and what is allowed).
#[derive(Debug, Clone, PartialEq, Error)]
pub enum LinkError {
    /// A part that is not `key=value`, or a key no scene has.
    #[error("link: '{0}' is not a scene key (allowed: v, scene, lesson, step, {keys})", keys = allowed_keys())]
    UnknownKey(String),
    /// A version this app does not read.
    #[error("link: v={0} is not a link version this app reads (v={VERSION})")]
    Version(String),
    /// A value that does not parse.
    #[error("link: {key}={value}: {reason}")]
    BadValue {
        /// The key.
        key: String,
        /// The value as written.
        value: String,
        /// What is allowed.
        reason: String,
    },
    /// The scene the keys make is not a valid scene.
    #[error("link: {0}")]
    BadScene(String),
}

/// The keys a link may hold besides `v`, `scene`, `lesson` and `step`, in words.
fn allowed_keys() -> String {
    let config = full_keys();
    let keys: Vec<&str> = (SCENE_KEYS.into_iter())
        .chain(config.iter().map(String::as_str))
        .collect();
    keys.join(", ")
}

/// The default settings with every optional key present (to list the keys).
fn full_config() -> Config {
    Config {
        gamma: Some(0.0),
        gamma_rule: Some(String::new()),
        h: Some(0.0),
        noise_steps: Some(0),
        weight_decay: 1.0,
        momentum: 0.5,
        sam_radius: 1.0,
        schedule: "cosine".into(),
        design: Some(String::new()),
        beta_star: Some(String::new()),
        data: Some(String::new()),
        ..Config::default()
    }
}

/// The fragment of `scene` (without `#`): the keys that differ from the shipped scene of the
/// same name, or from the defaults.
pub fn encode_scene(scene: &Preset) -> String {
    let base = shipped(&scene.name);
    let mut parts = vec![format!("v={VERSION}")];
    match &base {
        Some(_) => parts.push(format!("scene={}", escape(&scene.name))),
        None if scene.name != blank().name => parts.push(format!("name={}", escape(&scene.name))),
        None => {}
    }
    let base = base.unwrap_or_else(blank);
    let mut put = |key: &str, value: String| parts.push(format!("{key}={}", escape(&value)));
    if scene.title != base.title {
        put("title", bare(&scene.title));
    }
    if scene.caption != base.caption {
        put("caption", bare(&scene.caption));
    }
    if scene.methods != base.methods {
        let names: Vec<&str> = (scene.methods.iter().flatten()).map(|m| m.name()).collect();
        put("methods", names.join(","));
    }
    if scene.x_axis != base.x_axis {
        put("x_axis", scene.x_axis.map_or(String::new(), axis_name));
    }
    let from = toml::Table::try_from(&base.config).unwrap_or_default();
    let to = toml::Table::try_from(&scene.config).unwrap_or_default();
    // γ and its rule are one setting: a link that changes either writes both.
    let step_changed = ["gamma", "gamma_rule"].map(|k| from.get(k) != to.get(k));
    let differs = |key: &str| match key {
        "gamma" | "gamma_rule" => step_changed.contains(&true),
        _ => from.get(key) != to.get(key),
    };
    let mut keys: Vec<&String> = to.keys().chain(from.keys()).collect();
    keys.sort();
    keys.dedup();
    for key in keys.into_iter().filter(|k| differs(k)) {
        put(key, to.get(key).map_or(String::new(), value_text));
    }
    parts.join("&")
}

/// The fragment of a shipped lesson at `step` (from 1).
pub fn encode_lesson(name: &str, step: usize) -> String {
    format!("v={VERSION}&lesson={}&step={step}", escape(name))
}

/// The address of a fragment on the page at `base`.
pub fn url(base: &str, fragment: &str) -> String {
    format!("{}#{fragment}", base.split('#').next().unwrap_or(base))
}

/// What a link, a URL or a bare fragment (with or without `#`) opens.
pub fn decode(link: &str) -> Result<Linked, LinkError> {
    let fragment = link.split_once('#').map_or(link, |(_, f)| f).trim();
    let mut pairs = Vec::new();
    for part in fragment.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = part
            .split_once('=')
            .ok_or_else(|| LinkError::UnknownKey(unescape(part)))?;
        pairs.push((unescape(key), unescape(value)));
    }
    let take = |pairs: &mut Vec<(String, String)>, key: &str| {
        let at = pairs.iter().position(|(k, _)| k == key)?;
        Some(pairs.remove(at).1)
    };
    if let Some(v) = take(&mut pairs, "v")
        && v != VERSION.to_string()
    {
        return Err(LinkError::Version(v));
    }
    if let Some(name) = take(&mut pairs, "lesson") {
        return lesson(name, take(&mut pairs, "step"), &pairs);
    }
    let mut scene = match take(&mut pairs, "scene") {
        Some(name) => shipped(&name).ok_or_else(|| LinkError::BadValue {
            key: "scene".into(),
            value: name,
            reason: format!("must name a shipped scene ({})", names(presets::names())),
        })?,
        None => blank(),
    };
    let mut config = toml::Table::new();
    for (key, value) in pairs {
        let bad = |reason: String| LinkError::BadValue {
            key: key.clone(),
            value: value.clone(),
            reason,
        };
        match key.as_str() {
            "name" => scene.name = value,
            "title" => scene.title = string(&value),
            "caption" => scene.caption = string(&value),
            "methods" if value.is_empty() => scene.methods = None,
            "methods" => scene.methods = Some(methods(&value).map_err(bad)?),
            "x_axis" if value.is_empty() => scene.x_axis = None,
            "x_axis" => {
                scene.x_axis = Some(
                    toml_value(&value)
                        .try_into()
                        .map_err(|_| bad("must be steps, time or tau".into()))?,
                )
            }
            _ if !full_keys().contains(&key) => return Err(LinkError::UnknownKey(key)),
            _ if value.is_empty() => {
                let mut table = toml::Table::try_from(&scene.config).unwrap_or_default();
                table.remove(&key);
                scene.config = table.try_into().map_err(|e| bad(one_line(&e)))?;
            }
            _ => {
                config.insert(key, toml_value(&value));
            }
        }
    }
    scene.config =
        presets::overlay(&scene.config, config).map_err(|e| LinkError::BadScene(one_line(&e)))?;
    Ok(Linked::Scene(Box::new(scene)))
}

/// What a link opens, checked: the settings, the scene they are shown as, and the lesson at its
/// step (from 0).
pub type Opened = (Settings, Preset, Option<(Lesson, usize)>);

/// The checked scene (or lesson step) of a link, a URL or a bare fragment.
pub fn open(link: &str) -> Result<Opened, LinkError> {
    let (scene, lesson) = match decode(link)? {
        Linked::Scene(scene) => (*scene, None),
        Linked::Lesson { name, step } => {
            let lesson = lessons::get(&name).map_err(|e| LinkError::BadScene(e.to_string()))?;
            (
                lesson.steps[step - 1].scene.clone(),
                Some((lesson, step - 1)),
            )
        }
    };
    let settings =
        crate::data::settings(&scene.config).map_err(|e| LinkError::BadScene(one_line(&e)))?;
    // A changed shipped scene is shown as that scene, modified ("α 0.1 → 0.05"): its caption
    // describes the shipped settings, not the link's.
    let scene = match shipped(&scene.name).filter(|_| lesson.is_none()) {
        Some(base) if (&base.title, &base.caption) == (&scene.title, &scene.caption) => Preset {
            config: base.config,
            ..scene
        },
        _ => scene,
    };
    Ok((settings, scene, lesson))
}

/// The page's title for a scene: `SGD beats GD — n = 40, d = 100, α = 0.1 · dln-explorer`.
pub fn title(scene: &Preset) -> String {
    let c = &scene.config;
    let name = match scene.title.is_empty() {
        true => "Scene",
        false => scene.title.as_str(),
    };
    let alpha = crate::model::format::short(c.alpha);
    format!(
        "{name} — n = {}, d = {}, α = {alpha} · dln-explorer",
        c.n, c.d
    )
}

/// A lesson link's lesson and step, checked.
fn lesson(
    name: String,
    step: Option<String>,
    rest: &[(String, String)],
) -> Result<Linked, LinkError> {
    if let Some((key, _)) = rest.first() {
        return Err(LinkError::UnknownKey(key.clone()));
    }
    let lesson = lessons::get(&name)
        .ok()
        .filter(|_| !name.ends_with(".toml"))
        .ok_or_else(|| LinkError::BadValue {
            key: "lesson".into(),
            value: name.clone(),
            reason: format!(
                "must name a shipped lesson ({})",
                names(crate::lessons::names())
            ),
        })?;
    let count = lesson.steps.len();
    let step = match step {
        None => 1,
        Some(text) => text
            .parse::<usize>()
            .ok()
            .filter(|k| (1..=count).contains(k))
            .ok_or_else(|| LinkError::BadValue {
                key: "step".into(),
                value: text,
                reason: format!("must be an integer in 1..={count}"),
            })?,
    };
    Ok(Linked::Lesson { name, step })
}

/// The `[config]` keys a link may set.
fn full_keys() -> Vec<String> {
    let table = toml::Table::try_from(full_config()).unwrap_or_default();
    table.keys().cloned().collect()
}

/// A shipped scene by name (never a file: a link cannot read the viewer's disk).
fn shipped(name: &str) -> Option<Preset> {
    (presets::names().any(|n| n == name)).then(|| presets::get(name).ok())?
}

/// The scene a link without `scene=` starts from: the defaults, untitled.
fn blank() -> Preset {
    untitled(Config::default())
}

/// A scene of these settings that no scene file names (no title, the app's methods).
pub fn untitled(config: Config) -> Preset {
    Preset {
        name: "link".into(),
        title: String::new(),
        caption: String::new(),
        config,
        methods: None,
        x_axis: None,
    }
}

/// Names joined with commas.
fn names<'a>(list: impl Iterator<Item = &'a str>) -> String {
    list.collect::<Vec<_>>().join(", ")
}

/// Methods from a comma-separated list of names.
fn methods(text: &str) -> Result<Vec<MethodKind>, String> {
    text.split(',')
        .map(|name| name.trim().parse::<MethodKind>().map_err(|e| e.to_string()))
        .collect()
}

/// A scene axis's name in files and links.
fn axis_name(axis: presets::SceneAxis) -> String {
    toml::Value::try_from(axis)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// A TOML value as a link writes it: numbers in their shortest exact form, strings bare.
fn value_text(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => bare(s),
        toml::Value::Float(x) if x.is_nan() => "nan".into(),
        toml::Value::Float(x) if x.is_infinite() => if *x > 0.0 { "inf" } else { "-inf" }.into(),
        toml::Value::Float(x) => crate::model::format::exact(*x),
        other => other.to_string(),
    }
}

/// A string as a link writes it: bare, or quoted when bare it would read as another value.
fn bare(text: &str) -> String {
    match toml_value(text) {
        toml::Value::String(s) if s == text && !s.is_empty() => text.to_string(),
        _ => toml::Value::String(text.to_string()).to_string(),
    }
}

/// The value a link's text stands for: a TOML number, boolean or quoted string, else the text.
fn toml_value(text: &str) -> toml::Value {
    let parsed = (!text.contains(['\n', '\r']))
        .then(|| toml::from_str::<toml::Table>(&format!("v = {text}")).ok())
        .flatten()
        .filter(|t| t.len() == 1)
        .and_then(|mut t| t.remove("v"));
    parsed.unwrap_or_else(|| toml::Value::String(text.to_string()))
}

/// A string-valued key's text (quotes removed if the link quoted it).
fn string(text: &str) -> String {
    match toml_value(text) {
        toml::Value::String(s) => s,
        _ => text.to_string(),
    }
}

fn escape(text: &str) -> String {
    utf8_percent_encode(text, KEEP).to_string()
}

fn unescape(text: &str) -> String {
    percent_decode_str(text).decode_utf8_lossy().into_owned()
}

fn one_line(e: &impl std::fmt::Display) -> String {
    e.to_string().trim().replace('\n', " ")
}

#[cfg(test)]
mod tests;
