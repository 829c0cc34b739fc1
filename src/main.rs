//! dln-explorer: parses the command line and dispatches.

use std::process::ExitCode;

use clap::Parser;
use std::io::Write;

use dln_explorer::cli::{
    self, Cli, CliError, Command, bench, data, figure, gamma_max, gui, link, merge, run, saddles,
    sweep,
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
            let first = text.lines().next().unwrap_or("error: invalid arguments");
            let _ = writeln!(std::io::stderr(), "{}", one_line(first));
            return ExitCode::from(2);
        }
    };
    if !matches!(&cli.command, None | Some(Command::Gui(_))) {
        dln_explorer::files::protect_inputs();
    }
    let result: Result<(), CliError> = match &cli.command {
        Some(Command::Run(a)) => run::main(a),
        Some(Command::Sweep(a)) => sweep::main(a),
        Some(Command::Bench(a)) => bench::main(a),
        Some(Command::Figure(a)) => figure::main(a),
        Some(Command::Gui(a)) => gui::main(a),
        Some(Command::GammaMax(a)) => gamma_max::main(a),
        Some(Command::Merge(a)) => merge::main(a),
        Some(Command::Data(a)) => data::main(a),
        Some(Command::Saddles(a)) => saddles::main(a),
        Some(Command::Link(a)) => link::main(a),
        None => gui::main(&gui::GuiArgs::default()),
    };
    match result.and_then(|()| cli::flush()) {
        Ok(()) => ExitCode::SUCCESS,
        // The reader went away (`… | head`): nothing more to say to anyone.
        Err(CliError::Stdout(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "error: {}", one_line(&e.to_string()));
            ExitCode::from(2)
        }
    }
}

/// A message on one line, with control characters (line breaks, terminal escapes) shown as
/// spaces or `\u{…}` so a file's bytes cannot reach the terminal.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' => " ".to_string(),
            c if c.is_control() => c.escape_unicode().to_string(),
            c => c.to_string(),
        })
        .collect()
}
