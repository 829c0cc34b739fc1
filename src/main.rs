//! dln-explorer: parses the command line and dispatches.

use std::process::ExitCode;

use clap::Parser;
use dln_explorer::cli::{
    Cli, CliError, Command, bench, data, figure, gamma_max, gui, merge, run, sweep,
};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            let text = e.render().to_string();
            eprintln!(
                "{}",
                text.lines().next().unwrap_or("error: invalid arguments")
            );
            return ExitCode::from(2);
        }
    };
    let result: Result<(), CliError> = match &cli.command {
        Some(Command::Run(a)) => run::main(a),
        Some(Command::Sweep(a)) => sweep::main(a),
        Some(Command::Bench(a)) => bench::main(a),
        Some(Command::Figure(a)) => figure::main(a),
        Some(Command::Gui(a)) => gui::main(a),
        Some(Command::GammaMax(a)) => gamma_max::main(a),
        Some(Command::Merge(a)) => merge::main(a),
        Some(Command::Data(a)) => data::main(a),
        None => gui::main(&gui::GuiArgs::default()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
