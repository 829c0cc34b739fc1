//! Settings as written in files and flags, and their validation into checked types.

use std::fmt;

use serde::{Deserialize, Serialize};

pub use super::checks::*;
use super::design::{BetaRule, Design};
use super::error::SimError;
use super::format::exact;
pub use super::method_kind::{MethodKind, method_names};
use super::problem::{ProblemSpec, Source};
use super::schedule::Schedule;

/// How the step size γ is chosen.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum StepSize {
    /// A fixed γ.
    Fixed(f64),
    /// `γ = C / max_i κ_i(β_ℓ1, ρ₀)` (docs/step-size.md).
    Stable(f64),
}

impl StepSize {
    /// Parses a gamma rule `stable:C` with `0 < C ≤ 10`.
    pub fn parse_rule(rule: &str) -> Result<StepSize, SimError> {
        const RANGE: &str = "stable:C with 0 < C ≤ 10 (C < 2 is stable)";
        let c = rule
            .trim()
            .strip_prefix("stable:")
            .and_then(|c| c.trim().parse::<f64>().ok())
            .ok_or_else(|| SimError::invalid("gamma-rule", rule, RANGE))?;
        if !(c > 0.0 && c <= 10.0) {
            return Err(SimError::invalid("gamma-rule", rule, RANGE));
        }
        Ok(StepSize::Stable(c))
    }
}

impl fmt::Display for StepSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StepSize::Fixed(g) => write!(f, "{g}"),
            StepSize::Stable(c) => write!(f, "stable:{c}"),
        }
    }
}

/// Default σ_ℓ of label-noise GD.
pub const DEFAULT_SIGMA_LABEL: f64 = 0.5;
/// Default σ_iso of isotropic-noise GD.
pub const DEFAULT_SIGMA_ISO: f64 = 0.001;

/// Every setting of a run, as read from a TOML file or flags (unchecked).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Number of training samples n.
    pub n: usize,
    /// Dimension d.
    pub d: usize,
    /// Number of non-zeros s of β*.
    pub s: usize,
    /// Label-noise standard deviation σ.
    pub noise: f64,
    /// Seed of the data, initialisation and sampling streams.
    pub seed: u64,
    /// Size of the held-out test set.
    pub n_test: usize,
    /// Method: gd, sgd, sgf, gf, label-noise, iso-noise, momentum, n-sam or 1-sam.
    pub method: String,
    /// Initialisation scale α (`u₀ = α·𝟙`, `v₀ = 0`).
    pub alpha: f64,
    /// Fixed step size γ (overrides `gamma_rule`).
    pub gamma: Option<f64>,
    /// Step-size rule `stable:C`.
    pub gamma_rule: Option<String>,
    /// Mini-batch size b (SGD, and the noise level γ/b of SGF).
    pub batch: usize,
    /// Integration step h of SGF and GF (default γ).
    pub h: Option<f64>,
    /// Label-noise level σ_ℓ of `label-noise` GD (fresh noise on the labels each step).
    pub sigma_label: f64,
    /// Noise level σ_iso of `iso-noise` GD (isotropic noise on the layers each step).
    pub sigma_iso: f64,
    /// The noise methods add noise for this many steps only, then step as GD (default: always).
    pub noise_steps: Option<u64>,
    /// Weight decay λ_wd on both layers, any method (0: none; docs/dynamics.md).
    #[serde(skip_serializing_if = "is_zero")]
    pub weight_decay: f64,
    /// Momentum β_m of `momentum` GD (left out of files at its default).
    #[serde(skip_serializing_if = "is_default_momentum")]
    pub momentum: f64,
    /// Radius ρ of the ascent step of `n-sam` and `1-sam` (left out of files at its default).
    #[serde(skip_serializing_if = "is_default_sam_radius")]
    pub sam_radius: f64,
    /// Step-size schedule, any method: constant, cosine or step:F1,F2,…:FACTOR.
    #[serde(skip_serializing_if = "is_constant")]
    pub schedule: String,
    /// Step budget.
    pub steps: u64,
    /// Stop when the training loss is at most this (0: never).
    pub tol: f64,
    /// Feature distribution: isotropic, anisotropic:κ, correlated:c or uncentred:μ.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub design: Option<String>,
    /// Ground truth: gaussian, signs:m or given:v1,…,vd.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub beta_star: Option<String>,
    /// A data file (.npz or .csv) used instead of generated data (relative to the scene file).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            n: 40,
            d: 100,
            s: 5,
            noise: 0.0,
            seed: 0,
            n_test: 500,
            method: "sgd".into(),
            alpha: 0.1,
            gamma: None,
            gamma_rule: None,
            batch: 1,
            h: None,
            sigma_label: DEFAULT_SIGMA_LABEL,
            sigma_iso: DEFAULT_SIGMA_ISO,
            noise_steps: None,
            weight_decay: 0.0,
            momentum: DEFAULT_MOMENTUM,
            sam_radius: DEFAULT_SAM_RADIUS,
            schedule: "constant".into(),
            steps: 400_000,
            tol: 1e-20,
            design: None,
            beta_star: None,
            data: None,
        }
    }
}

/// Validated settings: every value is in range.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// The problem to generate.
    pub problem: ProblemSpec,
    /// The method of a single run.
    pub method: MethodKind,
    /// Initialisation scale α.
    pub alpha: f64,
    /// Step-size choice.
    pub step_size: StepSize,
    /// Mini-batch size b.
    pub batch: usize,
    /// Integration step of SGF/GF, if not γ.
    pub h: Option<f64>,
    /// σ_ℓ of label-noise GD.
    pub sigma_label: f64,
    /// σ_iso of isotropic-noise GD.
    pub sigma_iso: f64,
    /// Noisy steps of the noise methods (`None`: all).
    pub noise_steps: Option<u64>,
    /// Weight decay λ_wd (0: none).
    pub weight_decay: f64,
    /// Momentum β_m of `momentum` GD.
    pub momentum: f64,
    /// Radius ρ of SAM's ascent step.
    pub sam_radius: f64,
    /// Step-size schedule over the budget.
    pub schedule: Schedule,
    /// Step budget.
    pub steps: u64,
    /// Loss tolerance.
    pub tol: f64,
}

impl From<&Settings> for Config {
    /// The settings as a scene file's table (a fixed γ, or the rule).
    fn from(s: &Settings) -> Config {
        let (gamma, gamma_rule) = match s.step_size {
            StepSize::Fixed(g) => (Some(g), None),
            rule => (None, Some(rule.to_string())),
        };
        let p = &s.problem;
        Config {
            n: p.n,
            d: p.d,
            s: p.s,
            noise: p.noise,
            seed: p.seed,
            n_test: p.n_test,
            method: s.method.name().into(),
            alpha: s.alpha,
            gamma,
            gamma_rule,
            batch: s.batch,
            h: s.h,
            sigma_label: s.sigma_label,
            sigma_iso: s.sigma_iso,
            noise_steps: s.noise_steps,
            weight_decay: s.weight_decay,
            momentum: s.momentum,
            sam_radius: s.sam_radius,
            schedule: s.schedule.to_string(),
            steps: s.steps,
            tol: s.tol,
            design: (p.source.design != Design::Isotropic).then(|| p.source.design.to_string()),
            beta_star: (p.source.beta != BetaRule::Gaussian).then(|| p.source.beta.to_string()),
            data: p.source.data.as_ref().map(|d| d.name.clone()),
        }
    }
}

impl Config {
    /// The step-size choice: a fixed γ wins over a rule; the default is `stable:1`.
    pub fn step_size(&self) -> Result<StepSize, SimError> {
        match (self.gamma, &self.gamma_rule) {
            (Some(g), _) => Ok(StepSize::Fixed(check_positive("gamma", g)?)),
            (None, Some(rule)) => StepSize::parse_rule(rule),
            (None, None) => Ok(StepSize::Stable(1.0)),
        }
    }

    /// Validates every setting into [`Settings`] on generated data (a `data` file is loaded by
    /// the front end, which calls [`Config::validate_with`]).
    pub fn validate(&self) -> Result<Settings, SimError> {
        if let Some(path) = &self.data {
            return Err(SimError::invalid(
                "data",
                path,
                "a data file loaded before the scene is run",
            ));
        }
        self.validate_with(None)
    }

    /// Checks every key without loading a data file it names (a file's header or a lesson step
    /// read back): the settings returned stand for the recorded sizes, not the data.
    pub fn validate_keys(&self) -> Result<Settings, SimError> {
        Config {
            data: None,
            ..self.clone()
        }
        .validate_with(None)
    }

    /// Validates every setting into [`Settings`]; with a data set, its sizes replace `n`, `d`,
    /// `s` and `n_test` and the design and β* rule are not used.
    pub fn validate_with(
        &self,
        data: Option<std::sync::Arc<super::dataset::DataSet>>,
    ) -> Result<Settings, SimError> {
        let mut this = self.clone();
        if let Some(data) = &data {
            (this.n, this.d, this.s, this.n_test) = (data.n(), data.d(), data.s(), data.n_test());
        }
        let design: Design = self.design.as_deref().unwrap_or("isotropic").parse()?;
        let beta: BetaRule = self.beta_star.as_deref().unwrap_or("gaussian").parse()?;
        if let (BetaRule::Given(v), None) = (&beta, &data) {
            beta.validate(this.d)?;
            this.s = v.iter().filter(|x| **x != 0.0).count();
        }
        let source = Source { design, beta, data };
        this.checked(source)
    }

    fn checked(&self, source: Source) -> Result<Settings, SimError> {
        let n = check_range("n", self.n, 1, MAX_DIM)?;
        let d = check_range("d", self.d, 1, MAX_DIM)?;
        if n * d > MAX_ENTRIES {
            return Err(SimError::invalid(
                "n·d",
                n * d,
                format!("at most {MAX_ENTRIES} (the design matrix is held in memory)"),
            ));
        }
        let s = check_range("s", self.s, 0, d).map_err(|_| {
            SimError::invalid("s", self.s, format!("an integer in 0..=d (d = {d})"))
        })?;
        let batch = check_range("batch", self.batch, 1, n).map_err(|_| {
            SimError::invalid(
                "batch",
                self.batch,
                format!("an integer in 1..=n (n = {n})"),
            )
        })?;
        let noise = check_non_negative("noise", self.noise)?;
        if noise > MAX_NOISE {
            return Err(SimError::invalid(
                "noise",
                exact(noise),
                format!("a number in [0, {}]", exact(MAX_NOISE)),
            ));
        }
        let n_test = check_range("n-test", self.n_test, 0, MAX_ENTRIES / d.max(1))?;
        let alpha = check_alpha(self.alpha)?;
        let step_size = self.step_size()?;
        let h = self.h.map(|h| check_positive("h", h)).transpose()?;
        if self.steps == 0 {
            return Err(SimError::invalid("steps", 0, "an integer ≥ 1"));
        }
        let tol = check_non_negative("tol", self.tol)?;
        Ok(Settings {
            problem: ProblemSpec {
                n,
                d,
                s,
                noise,
                seed: check_seed(self.seed)?,
                n_test,
                source,
            },
            method: self.method.parse()?,
            alpha,
            step_size,
            batch,
            h,
            sigma_label: check_sigma("sigma-label", self.sigma_label)?,
            sigma_iso: check_sigma("sigma-iso", self.sigma_iso)?,
            noise_steps: self.noise_steps,
            weight_decay: check_weight_decay(self.weight_decay)?,
            momentum: check_momentum(self.momentum)?,
            sam_radius: check_sam_radius(self.sam_radius)?,
            schedule: self.schedule.parse()?,
            steps: self.steps,
            tol,
        })
    }
}
