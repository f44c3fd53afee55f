//! The `docask` binary: parses the command line, runs it, and maps failures to exit
//! codes (1 for user errors, 2 for bad arguments, which clap handles).

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = docask::cli::Cli::parse();
    match docask::cli::run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(1)
        }
    }
}
