//! `dln-explorer link`: the address of a scene or a lesson on the web page.

use clap::Args;

use super::args::LessonArgs;
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
    /// The lesson to link instead of a scene.
    #[command(flatten)]
    pub lesson: LessonArgs,
    /// The page the link opens [default: the published page].
    #[arg(long, value_name = "URL")]
    pub base: Option<String>,
}

/// Prints the link.
pub fn main(args: &LinkArgs) -> Result<(), CliError> {
    args.lesson.check()?;
    let fragment = match &args.lesson.lesson {
        Some(name) if args.sim == SimArgs::default() => {
            let fragment = link::encode_lesson(name, args.lesson.lesson_step.unwrap_or(1));
            link::decode(&fragment)?;
            fragment
        }
        Some(name) => {
            let why = "given without the scene flags (each lesson step sets its own scene)";
            return Err(SimError::invalid("lesson", name, why).into());
        }
        None => link::encode_scene(&scene(&args.sim)?),
    };
    let base = args.base.as_deref().unwrap_or(link::PAGE);
    outln!("{}", link::url(base, &fragment))
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
