//! What every front end does with the maths: prepare a scene once, drive paired runs through
//! one loop, sweep over α. No egui, no file I/O.

pub mod background;
pub mod driver;
pub mod frame;
pub mod gamma_max;
pub mod grid;
pub mod predict;
pub mod prepare;
pub mod runs;
pub mod scene;
pub mod shard;
pub mod small_alpha;
pub mod snapshots;
pub mod summary;
pub mod sweep;
pub mod sweep_paged;
pub mod sweep_run;

pub use driver::{Command, Driver, Pace, run_to_end};
pub use frame::{Frame, MethodStatus, Pending, Points, Prediction, Record, RunInfo};
pub use prepare::{Prepared, prepare};
pub use runs::PairedRuns;
pub use scene::MethodSet;
