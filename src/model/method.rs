//! The dynamics (docs/dynamics.md) as one multiplicative update `u ← u + D⊙v, v ← v + D⊙u`
//! (isotropic-noise GD adds noise outside it: `noise`).

mod noise;
mod params;
mod run;
mod sam;

use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

use super::kernels::{self, full_batch};
use super::net::DiagNet;
use super::problem::Problem;

/// A method with its parameters.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Method {
    /// Gradient descent: `D = −(γ/n) Xᵀr`.
    Gd,
    /// SGD with batch b: `D = −(γ/b) Σ_{i∈B} r_i x_i`.
    Sgd {
        /// Batch size b.
        batch: usize,
    },
    /// Stochastic gradient flow, Euler–Maruyama with step h, noise level γ/b.
    Sgf {
        /// Batch size b of the SGD it models.
        batch: usize,
        /// Integration step h (default γ).
        h: Option<f64>,
    },
    /// Gradient flow, RK4 in the mirror coordinate Γ with step h (default γ).
    Gf {
        /// Integration step h (default γ).
        h: Option<f64>,
    },
    /// Label-noise GD: `D = −(γ/n) Xᵀ(r − σ_ℓ ξ_k)`, `ξ_k ~ N(0, I_n)` fresh each step.
    LabelNoise {
        /// σ_ℓ.
        sigma: f64,
        /// Steps that carry noise (`None`: all); later steps are GD's.
        noise_steps: Option<u64>,
    },
    /// Isotropic-noise GD: GD's step plus `sqrt(γ) σ_iso (ζ_u, ζ_v)`, `ζ ~ N(0, I_d)`.
    IsoNoise {
        /// σ_iso.
        sigma: f64,
        /// Steps that carry noise (`None`: all); later steps are GD's.
        noise_steps: Option<u64>,
    },
    /// Heavy-ball momentum: GD's step plus `β_m` times each layer's last displacement.
    Momentum {
        /// β_m in [0, 1).
        beta: f64,
    },
    /// SAM: GD's step with the gradient taken at an ascent point of radius ρ, from the
    /// full-batch gradient (n-SAM) or one per sample (1-SAM, `per_sample`).
    Sam {
        /// The radius ρ of the ascent step.
        rho: f64,
        /// One ascent per sample (1-SAM) instead of one on the full batch (n-SAM).
        per_sample: bool,
    },
}

/// What one step saw at the state it started from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StepInfo {
    /// Unbiased estimate of `L` at the pre-step state (exact for GD, SGF and GF).
    pub loss_estimate: f64,
    /// Sum of squared residuals the step computed (a divergence signal).
    pub residual_sq: f64,
}

/// How the last dual step can be rebuilt.
#[derive(Clone, Copy, Debug)]
enum Last {
    None,
    Row { row: usize, coef: f64 },
    Dense,
}

/// Steps one method: owns its sampling stream and scratch buffers, so stepping never allocates.
#[derive(Clone, Debug)]
pub struct Stepper {
    method: Method,
    gamma: f64,
    dt: f64,
    /// Weight decay λ_wd.
    decay: f64,
    /// `1 − 2·(gradient step)·λ_wd`, the factor weight decay keeps of each layer per step.
    keep: f64,
    rng: ChaCha8Rng,
    beta: Vec<f64>,
    r: Vec<f64>,
    dual: Vec<f64>,
    stage: Vec<f64>,
    coef: Vec<f64>,
    perm: Vec<usize>,
    partials: full_batch::Partials,
    last: Last,
    /// Noisy steps left (the noise methods).
    noise_left: u64,
    /// `Σ_k ln|1 + D_k|` then `Σ_k ln|1 − D_k|` per coordinate, tracked by the noise methods
    /// (empty otherwise).
    dual_logs: Vec<f64>,
    /// Momentum's last displacement of `s`, then of `d` (empty for the other methods).
    velocity: Vec<f64>,
}

impl Stepper {
    /// A stepper for `method` with step size γ on a problem of size n × d.
    pub fn new(method: Method, gamma: f64, n: usize, d: usize, rng: ChaCha8Rng) -> Stepper {
        Stepper {
            method,
            gamma,
            dt: method.dt(gamma),
            decay: 0.0,
            keep: 1.0,
            rng,
            beta: vec![0.0; d],
            r: vec![0.0; n],
            dual: vec![0.0; d],
            stage: vec![0.0; d],
            coef: vec![0.0; n],
            perm: (0..n).collect(),
            partials: match method {
                Method::Gd | Method::Momentum { .. } | Method::Sam { .. } => {
                    full_batch::Partials::new(n, d)
                }
                _ => full_batch::Partials::default(),
            },
            last: Last::None,
            noise_left: match method {
                Method::LabelNoise { noise_steps, .. } | Method::IsoNoise { noise_steps, .. } => {
                    noise_steps.unwrap_or(u64::MAX)
                }
                _ => 0,
            },
            dual_logs: match method {
                Method::LabelNoise { .. } | Method::IsoNoise { .. } => vec![0.0; 2 * d],
                _ => Vec::new(),
            },
            velocity: match method {
                Method::Momentum { .. } => vec![0.0; 2 * d],
                _ => Vec::new(),
            },
        }
    }

    /// This stepper with weight decay λ_wd on both layers: the gradient step of
    /// `L + (λ_wd/2)(‖u‖² + ‖v‖²)` (GF: its flow, exact in the decay). At 0 the steps are bit for
    /// bit those without.
    pub fn with_weight_decay(mut self, lambda: f64) -> Stepper {
        self.decay = lambda;
        self.set_gamma(self.gamma);
        self
    }

    /// Weight decay λ_wd (0: none).
    pub fn weight_decay(&self) -> f64 {
        self.decay
    }

    /// Steps from now on with step size γ (a schedule's next value): its time step and weight
    /// decay's factor follow.
    pub fn set_gamma(&mut self, gamma: f64) {
        self.gamma = gamma;
        self.dt = self.method.dt(gamma);
        self.keep = 1.0 - 2.0 * self.method.gradient_step(gamma) * self.decay;
    }

    /// The time step of the steps now.
    pub fn dt(&self) -> f64 {
        self.dt
    }

    /// The step size of the steps now.
    pub fn gamma(&self) -> f64 {
        self.gamma
    }

    /// Advances `net` by one step. Every dual step is `D = Xᵀw` for some `w ∈ R^n`; when `TRACK`,
    /// `w` is added to `coef_sum`, so that `Γ = Σ D = Xᵀ·coef_sum` costs O(b) per step.
    pub fn step<const TRACK: bool>(
        &mut self,
        p: &Problem,
        net: &mut DiagNet,
        coef_sum: &mut [f64],
    ) -> StepInfo {
        let (x, y) = (p.x_slice(), p.y_slice());
        let n = p.n();
        match self.method {
            Method::Sgd { batch: 1 } => {
                // One step of the fused run (run.rs), which holds SGD's b = 1 step.
                let mut info = None;
                self.steps::<TRACK>(p, net, coef_sum, 1, |i| info.replace(i).is_none());
                info.expect("a run of one step hands over its step")
            }
            Method::Sgd { batch } => {
                for k in 0..batch {
                    let j = self.rng.random_range(k..n);
                    self.perm.swap(k, j);
                }
                let rows = &self.perm[..batch];
                kernels::beta_from_state(&net.s, &net.d, &mut self.beta);
                let r = &mut self.r[..batch];
                let sq = kernels::residuals_rows(x, y, &self.beta, rows, r);
                let scale = -self.gamma / batch as f64;
                r.iter_mut().for_each(|ri| *ri *= scale);
                if TRACK {
                    rows.iter()
                        .zip(r.iter())
                        .for_each(|(&i, w)| coef_sum[i] += w);
                }
                kernels::xt_mul(x, r, Some(rows), &mut self.dual);
                self.apply(net);
                StepInfo {
                    loss_estimate: sq / (4.0 * batch as f64),
                    residual_sq: sq,
                }
            }
            Method::Sam { rho, .. } if rho != 0.0 => self.sam_step::<TRACK>(p, net, coef_sum),
            Method::Gd | Method::Momentum { .. } | Method::Sam { .. } => {
                kernels::beta_from_state(&net.s, &net.d, &mut self.beta);
                let drift = -self.gamma / n as f64;
                let sq = full_batch::pass(
                    x,
                    y,
                    &self.beta,
                    drift,
                    &mut self.r,
                    &mut self.dual,
                    &mut self.partials,
                );
                if TRACK {
                    coef_sum.iter_mut().zip(&self.r).for_each(|(c, w)| *c += w);
                }
                self.apply(net);
                StepInfo {
                    loss_estimate: sq / (4.0 * n as f64),
                    residual_sq: sq,
                }
            }
            Method::Sgf { batch, .. } => {
                kernels::beta_from_state(&net.s, &net.d, &mut self.beta);
                let sq = kernels::residuals_all(p.x_slice(), y, &self.beta, &mut self.r);
                let drift = -self.dt / n as f64;
                let c = (self.dt * self.gamma / batch as f64).sqrt() * sq.sqrt() / n as f64;
                for ri in self.r.iter_mut() {
                    let z: f64 = StandardNormal.sample(&mut self.rng);
                    *ri = drift * *ri + c * z;
                }
                if TRACK {
                    coef_sum.iter_mut().zip(&self.r).for_each(|(c, w)| *c += w);
                }
                kernels::xt_mul(x, &self.r, None, &mut self.dual);
                self.apply(net);
                StepInfo {
                    loss_estimate: sq / (4.0 * n as f64),
                    residual_sq: sq,
                }
            }
            Method::Gf { .. } => self.gf_step::<TRACK>(p, net, coef_sum),
            Method::LabelNoise { .. } | Method::IsoNoise { .. } => {
                self.noise_step::<TRACK>(p, net, coef_sum)
            }
        }
    }

    /// The update with this step's `D` (momentum's with its last displacement; at β_m = 0 the
    /// plain update, so that it is GD bit for bit).
    fn apply(&mut self, net: &mut DiagNet) {
        match self.method {
            Method::Momentum { beta } if beta != 0.0 => {
                let (vs, vd) = self.velocity.split_at_mut(net.dim());
                let state = (&mut net.s[..], &mut net.d[..]);
                kernels::heavy_ball_update(state, &self.dual, (self.keep, beta), (vs, vd));
            }
            _ => kernels::multiplicative_update(&mut net.s, &mut net.d, &self.dual, self.keep),
        }
        self.last = Last::Dense;
    }

    /// Mirror-flow drift `−(1/n) Xᵀr` at the state rotated by `δ = shift·(previous stage)` and
    /// decayed for a time `shift`, added with `weight` into `acc` (and its `w = −r/n` into
    /// `coef`); returns `‖r‖²`.
    fn gf_drift(
        &mut self,
        p: &Problem,
        net: &DiagNet,
        (shift, weight): (f64, f64),
        acc: &mut [f64],
        coef: &mut [f64],
    ) -> f64 {
        let shrink = 2.0 * self.decay * shift;
        for j in 0..net.dim() {
            let delta = shift * self.stage[j];
            let (s, d) = (
                net.s[j] * (delta - shrink).exp(),
                net.d[j] * (-delta - shrink).exp(),
            );
            self.beta[j] = 0.25 * ((s + d) * (s - d));
        }
        let sq = kernels::residuals_all(p.x_slice(), p.y_slice(), &self.beta, &mut self.r);
        let scale = -1.0 / p.n() as f64;
        self.r.iter_mut().for_each(|ri| *ri *= scale);
        coef.iter_mut()
            .zip(&self.r)
            .for_each(|(c, w)| *c += weight * w);
        kernels::xt_mul(p.x_slice(), &self.r, None, &mut self.stage);
        for (a, k) in acc.iter_mut().zip(&self.stage) {
            *a += weight * k;
        }
        sq
    }

    /// One RK4 step of `Γ' = −(1/n)Xᵀr(β(Γ))`, applied as the exact hyperbolic rotation
    /// `u ← u cosh D + v sinh D, v ← v cosh D + u sinh D` (`s ← s e^D`, `d ← d e^{−D}`), which
    /// conserves `u² − v² = s·d`.
    fn gf_step<const TRACK: bool>(
        &mut self,
        p: &Problem,
        net: &mut DiagNet,
        coef_sum: &mut [f64],
    ) -> StepInfo {
        let h = self.dt;
        let mut acc = std::mem::take(&mut self.dual);
        acc.fill(0.0);
        self.stage.fill(0.0);
        let mut coef = std::mem::take(&mut self.coef);
        coef.fill(0.0);
        let sq = self.gf_drift(p, net, (0.0, h / 6.0), &mut acc, &mut coef);
        for stage in [(h / 2.0, h / 3.0), (h / 2.0, h / 3.0), (h, h / 6.0)] {
            self.gf_drift(p, net, stage, &mut acc, &mut coef);
        }
        if TRACK {
            coef_sum.iter_mut().zip(&coef).for_each(|(c, w)| *c += w);
        }
        self.dual = acc;
        self.coef = coef;
        let shrink = 2.0 * self.decay * h;
        for j in 0..net.dim() {
            let dj = self.dual[j];
            net.s[j] *= (dj - shrink).exp();
            net.d[j] *= (-dj - shrink).exp();
        }
        self.last = Last::Dense;
        StepInfo {
            loss_estimate: sq / (4.0 * p.n() as f64),
            residual_sq: sq,
        }
    }

    /// The dual step `D` of the last step (zeros before the first).
    pub fn last_dual_step(&self, p: &Problem, out: &mut [f64]) {
        match self.last {
            Last::None => out.fill(0.0),
            Last::Row { row, coef } => {
                for (o, x) in out.iter_mut().zip(p.row(row)) {
                    *o = coef * x;
                }
            }
            Last::Dense => out.copy_from_slice(&self.dual),
        }
    }
}
