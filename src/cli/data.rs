//! `dln-explorer data`: writes a scene's problem — X, y, β* and the test set — as a NumPy
//! `.npz` archive, so the exact data of any scene can be used elsewhere or loaded back.

use std::path::PathBuf;

use clap::Args;

use super::{CliError, SimArgs};
use crate::model::Problem;

/// Flags of `data`.
#[derive(Args, Debug)]
pub struct DataArgs {
    /// The scene whose data to write.
    #[command(flatten)]
    pub sim: SimArgs,
    /// The .npz file to write (arrays X, y, beta_star, X_test, y_test; float64).
    #[arg(long, value_name = "FILE.npz")]
    pub out: PathBuf,
}

/// Runs the command.
pub fn main(args: &DataArgs) -> Result<(), CliError> {
    let (_, settings) = args.sim.settings()?;
    let problem = Problem::generate(&settings.problem);
    crate::data::write(&args.out, &problem)?;
    let p = &problem.spec;
    outln!(
        "wrote {}: X {}×{}, y, beta_star{} (seed {}, {})",
        args.out.display(),
        p.n,
        p.d,
        if p.n_test > 0 {
            format!(", X_test {}×{}, y_test", p.n_test, p.d)
        } else {
            String::new()
        },
        p.seed,
        match &p.source.data {
            Some(d) => format!("from {}", d.name),
            None => format!("design {}", p.source.design),
        }
    )?;
    Ok(())
}
