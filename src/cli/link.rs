//! `dln-explorer link`: the address of a scene or a lesson on the web page.

use clap::Args;

use super::{CliError, SimArgs};
use crate::link;
use crate::model::SimError;
use crate::presets::Preset;

/// Flags of `link`.
#[derive(Args, Debug, Default)]
pub struct LinkArgs {
    /// The scene (the same flags as `run`; without --preset or --config, the default scene).
    #[command(flatten)]
    pub sim: SimArgs,
    /// Link a shipped lesson (sgd-sparser, large-steps, incremental-learning) instead of a scene.
    #[arg(long, value_name = "NAME")]
    pub lesson: Option<String>,
    /// The lesson's step the link opens [default: 1].
    #[arg(long, value_name = "K")]
    pub lesson_step: Option<usize>,
    /// The page the link opens [default: the published page].
    #[arg(long, value_name = "URL")]
    pub base: Option<String>,
}

/// Prints the link.
pub fn main(args: &LinkArgs) -> Result<(), CliError> {
    let fragment = match &args.lesson {
        Some(name) if args.sim == SimArgs::default() => {
            let fragment = link::encode_lesson(name, args.lesson_step.unwrap_or(1));
            link::decode(&fragment)?;
            fragment
        }
        Some(name) => return Err(given_with("lesson", name, "the scene flags")),
        None if args.lesson_step.is_some() => {
            return Err(given_with("lesson-step", "K", "without --lesson"));
        }
        None => link::encode_scene(&scene(&args.sim)?),
    };
    let base = args.base.as_deref().unwrap_or(link::PAGE);
    outln!("{}", link::url(base, &fragment))
}

fn given_with(flag: &'static str, value: &str, other: &str) -> CliError {
    SimError::invalid(flag, value, format!("not given with {other}")).into()
}

/// The scene the flags describe, checked: the named scene (the default one without
/// --preset or --config) with the flags' settings.
pub fn scene(sim: &SimArgs) -> Result<Preset, CliError> {
    let name = (sim.preset.clone())
        .or_else(|| sim.config.is_none().then(|| crate::presets::DEFAULT.into()));
    let base = name.map(|n| crate::presets::get(&n)).transpose()?;
    let sim = SimArgs {
        preset: base.as_ref().map(|p| p.name.clone()).or(sim.preset.clone()),
        ..sim.clone()
    };
    let (config, _) = sim.settings()?;
    Ok(match base {
        Some(p) => Preset { config, ..p },
        None => link::untitled(config),
    })
}
