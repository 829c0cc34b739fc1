//! Flags shared by every command that builds a scene, and how they override a config file.

use std::path::{Path, PathBuf};

use clap::Args;

use super::CliError;
use crate::model::{Config, Settings, SimError};
use crate::presets::{self, parse_config};

/// Parses a count (a non-negative integer) with a message that names the allowed form.
fn count(s: &str) -> Result<usize, String> {
    s.trim()
        .parse()
        .map_err(|_| "expected an integer ≥ 0".to_string())
}

/// Parses a real number.
fn real(s: &str) -> Result<f64, String> {
    s.trim()
        .parse()
        .map_err(|_| "expected a number".to_string())
}

/// The settings of a scene; each flag overrides the config file.
#[derive(Args, Debug, Clone, Default, PartialEq)]
pub struct SimArgs {
    /// Scene: a shipped preset name or a .toml scene file; --config and flags override it.
    #[arg(long, value_name = "NAME")]
    pub preset: Option<String>,
    /// Settings file (TOML, same keys as the flags with _ for -); flags override it.
    #[arg(long, value_name = "FILE.toml")]
    pub config: Option<PathBuf>,
    /// Number of training samples n [default: 40; 1..=100000].
    #[arg(long, value_parser = count)]
    pub n: Option<usize>,
    /// Dimension d [default: 100; 1..=100000; the theory needs d > n].
    #[arg(long, value_parser = count)]
    pub d: Option<usize>,
    /// Non-zeros s of the sparse ground truth β* [default: 5; 0..=d].
    #[arg(long, value_parser = count)]
    pub s: Option<usize>,
    /// Label-noise standard deviation σ [default: 0; 0 to 1e3].
    #[arg(long, value_parser = real)]
    pub noise: Option<f64>,
    /// Seed of the data, initialisation and sampling streams [default: 0; any u64].
    #[arg(long)]
    pub seed: Option<u64>,
    /// Size of the held-out test set [default: 500; ≥ 0].
    #[arg(long, value_parser = count)]
    pub n_test: Option<usize>,
    /// Method: gd, sgd, sgf, gf, label-noise, iso-noise, momentum, n-sam or 1-sam [default: sgd].
    #[arg(long)]
    pub method: Option<String>,
    /// Initialisation scale α: u₀ = α·𝟙, v₀ = 0 [default: 0.1; > 0].
    #[arg(long, value_parser = real)]
    pub alpha: Option<f64>,
    /// Fixed step size γ [> 0; default: the rule stable:1].
    #[arg(long, value_parser = real, conflicts_with = "gamma_rule")]
    pub gamma: Option<f64>,
    /// Step-size rule stable:C, γ = C / max_i κ_i(β_ℓ1, ρ₀) [default: stable:1; 0 < C ≤ 10].
    #[arg(long, value_name = "stable:C")]
    pub gamma_rule: Option<String>,
    /// Mini-batch size b of SGD (and the noise level γ/b of SGF) [default: 1; 1..=n].
    #[arg(long, value_parser = count)]
    pub batch: Option<usize>,
    /// Integration step h of SGF and GF [default: γ; > 0].
    #[arg(long, value_parser = real)]
    pub h: Option<f64>,
    /// σ_ℓ of label-noise GD: D = −(γ/n)Xᵀ(r − σ_ℓ ξ), fresh ξ each step [default: 0.5; 0 to 1e3].
    #[arg(long, value_parser = real)]
    pub sigma_label: Option<f64>,
    /// σ_iso of isotropic-noise GD: GD plus sqrt(γ)σ_iso·N(0, I) on u and v [default: 0.001; 0 to 1e3].
    #[arg(long, value_parser = real)]
    pub sigma_iso: Option<f64>,
    /// The noise methods add noise for this many steps, then step as GD [default: every step].
    #[arg(long)]
    pub noise_steps: Option<u64>,
    /// Momentum β_m of heavy-ball GD (method momentum): GD's step plus β_m times the last
    /// displacement; its path depends on λ = γ/(1 − β_m)² [default: 0.9; 0 ≤ β_m < 1].
    #[arg(long, value_parser = real)]
    pub momentum: Option<f64>,
    /// Radius ρ of the ascent step of n-sam and 1-sam [default: 0.1; 0 to 100].
    #[arg(long, value_parser = real)]
    pub sam_radius: Option<f64>,
    /// Step-size schedule, any method: constant, cosine, or step:F1,F2,…:FACTOR (γ times FACTOR
    /// at each fraction F of the budget) [default: constant].
    #[arg(long, value_name = "SCHEDULE")]
    pub schedule: Option<String>,
    /// Weight decay λ_wd on both layers, any method: the step of L + (λ_wd/2)(‖u‖² + ‖v‖²),
    /// whose limit is the Lasso point of penalty λ_wd [default: 0; 0 to 1e3].
    #[arg(long, value_parser = real)]
    pub weight_decay: Option<f64>,
    /// Step budget [default: 400000; ≥ 1].
    #[arg(long)]
    pub steps: Option<u64>,
    /// Stop once the training loss is ≤ tol; 0 never stops early [default: 1e-20; ≥ 0].
    #[arg(long, value_parser = real)]
    pub tol: Option<f64>,
    /// Feature distribution: isotropic, anisotropic:κ (1 ≤ κ ≤ 1e8), correlated:c (0 ≤ c < 1)
    /// or uncentred:μ (|μ| ≤ 1e3) [default: isotropic].
    #[arg(long, value_name = "NAME[:P]")]
    pub design: Option<String>,
    /// Ground truth β*: gaussian, signs:m (±m on a random support) or given:v1,…,vd
    /// [default: gaussian].
    #[arg(long, value_name = "RULE")]
    pub beta_star: Option<String>,
    /// Your own data instead of generated data: .npz (arrays X, y [, beta_star, X_test,
    /// y_test]) or .csv (a header row, a column y); n, d, s and the test set come from it.
    #[arg(long, value_name = "FILE")]
    pub data: Option<PathBuf>,
}

/// Reads a TOML settings file, with a one-line error naming the file, line and problem.
pub fn load_config(path: &Path) -> Result<Config, CliError> {
    let text = crate::files::read_text(path, crate::files::Kind::Scene)?;
    let mut config =
        parse_config(&text).map_err(|msg| CliError::BadFile(path.to_path_buf(), msg))?;
    presets::resolve_data(&mut config, path);
    Ok(config)
}

impl SimArgs {
    /// The preset (or defaults), then the config file's keys, then every given flag.
    pub fn config(&self) -> Result<Config, CliError> {
        let mut c = match (&self.preset, &self.config) {
            (None, Some(path)) => load_config(path)?,
            (Some(name), Some(path)) => presets::overlay_file(&presets::get(name)?.config, path)?,
            (Some(name), None) => presets::get(name)?.config,
            (None, None) => Config::default(),
        };
        // Scene files and CSV headers record the data file's path as text.
        if let Some(path) = &self.data
            && path.to_str().is_none()
        {
            let range = "a path of UTF-8 characters (rename the file or its folder)";
            return Err(SimError::invalid("data", path.display(), range).into());
        }
        self.apply(&mut c);
        Ok(c)
    }

    /// Overrides the fields of `c` that were given as flags.
    pub fn apply(&self, c: &mut Config) {
        macro_rules! set {
            ($($f:ident),*) => { $( if let Some(v) = &self.$f { c.$f = v.clone(); } )* };
        }
        set!(
            n, d, s, noise, seed, n_test, method, alpha, batch, steps, tol
        );
        set!(
            sigma_label,
            sigma_iso,
            weight_decay,
            momentum,
            sam_radius,
            schedule
        );
        if self.noise_steps.is_some() {
            c.noise_steps = self.noise_steps;
        }
        if self.h.is_some() {
            c.h = self.h;
        }
        if self.gamma.is_some() {
            c.gamma = self.gamma;
            c.gamma_rule = None;
        }
        if self.gamma_rule.is_some() {
            c.gamma_rule = self.gamma_rule.clone();
            c.gamma = None;
        }
        if self.design.is_some() {
            c.design = self.design.clone();
        }
        if self.beta_star.is_some() {
            c.beta_star = self.beta_star.clone();
        }
        if let Some(path) = &self.data {
            c.data = Some(path.display().to_string());
        }
    }

    /// Validated settings.
    pub fn settings(&self) -> Result<(Config, Settings), CliError> {
        let config = self.config()?;
        let settings = crate::data::settings(&config)?;
        Ok((config, settings))
    }
}

/// The flags that open a lesson (`gui`, `link`).
#[derive(Args, Debug, Clone, Default, PartialEq)]
pub struct LessonArgs {
    /// A lesson: a shipped lesson's name (sgd-sparser, large-steps, incremental-learning) or,
    /// for `gui`, a lesson file (.toml), whose steps PageDown / PageUp (or → / ←) turn. Takes
    /// the place of the scene flags.
    #[arg(long, value_name = "NAME|FILE")]
    pub lesson: Option<String>,
    /// The lesson's step to open [default: 1; 1..=the lesson's number of steps].
    #[arg(long, value_name = "K")]
    pub lesson_step: Option<usize>,
}

impl LessonArgs {
    /// Refuses a step without a lesson.
    pub fn check(&self) -> Result<(), CliError> {
        match (self.lesson_step, &self.lesson) {
            (Some(k), None) => Err(CliError::Sim(SimError::invalid(
                "lesson-step",
                k,
                "given with --lesson NAME|FILE",
            ))),
            _ => Ok(()),
        }
    }

    /// Whether either flag is given.
    pub fn given(&self) -> bool {
        *self != LessonArgs::default()
    }
}
