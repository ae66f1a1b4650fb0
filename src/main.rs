//! The `goto-sso-wizard` program: with no arguments it opens the wizard window, with a
//! subcommand it runs the command line. Everything real happens in the library.

use std::process::ExitCode;

use clap::Parser;

mod cli;
#[cfg(feature = "gui")]
mod gui;

fn main() -> ExitCode {
    let arguments = cli::Arguments::parse();
    match arguments.command {
        Some(command) => cli::run(command),
        None => open_window(),
    }
}

#[cfg(feature = "gui")]
fn open_window() -> ExitCode {
    match gui::run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!(
                "error: the window could not be opened: {error}\n\
                 The command line still works: run `goto-sso-wizard --help`."
            );
            ExitCode::FAILURE
        }
    }
}

#[cfg(not(feature = "gui"))]
fn open_window() -> ExitCode {
    eprintln!(
        "this build has no window (built without the `gui` feature); run `goto-sso-wizard --help` for the commands"
    );
    ExitCode::from(cli::EXIT_USAGE)
}
