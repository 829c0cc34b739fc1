//! The model and its dynamics: no egui, no I/O, no threads of its own.

pub mod aligned;
pub mod analysis;
pub mod bias;
pub mod checks;
pub mod cholesky;
pub mod config;
pub mod dataset;
pub mod design;
pub mod error;
pub mod format;
pub mod gram;
pub mod homotopy;
pub mod kernels;
pub mod lasso;
pub mod linalg;
pub mod method;
pub mod method_kind;
pub mod net;
pub mod problem;
pub mod recorder;
pub mod references;
pub mod saddles;
pub mod sampling;
pub mod schedule;
pub mod sharpness;
pub mod stability;
pub mod stop;
pub mod trainer;

pub use analysis::{Outcome, References};
pub use config::{Config, MethodKind, Settings, StepSize};
pub use dataset::DataSet;
pub use design::{BetaRule, Design};
pub use error::SimError;
pub use method::Method;
pub use problem::{ErrorMeasure, Problem, ProblemSpec, Source};
pub use trainer::{Point, Sample, Stop, Trainer};
