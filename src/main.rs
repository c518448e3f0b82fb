//! The `huifang` binary: parse arguments, run the command, map failures to exit codes.

mod cli;
mod cmd;

use clap::Parser;
use cmd::Failure;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    // The workbook reader panics on some damaged files; huifang catches those panics and says
    // the file cannot be read (`ingest::workbook::read_sheet`), so they are not printed as if
    // huifang had crashed. Every other panic is.
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let in_reader = info
            .location()
            .is_some_and(|l| l.file().replace('\\', "/").contains("/calamine-"));
        if !in_reader {
            report(info);
        }
    }));
    // A panic is a bug, never the data's fault: report it as an internal error (exit 3).
    let result = std::panic::catch_unwind(|| run(&cli)).unwrap_or_else(|_| {
        Err(Failure::Internal(anyhow::anyhow!(
            "huifang stopped on an internal error (a bug); please report it with the input that caused it"
        )))
    });
    exit(result)
}

fn run(cli: &cli::Cli) -> Result<(), Failure> {
    match &cli.command {
        cli::Command::Build(args) => cmd::build::run(args),
        cli::Command::Check(args) => cmd::check::run(args),
        cli::Command::Sample(args) => cmd::sample::run(args),
        cli::Command::Partials(args) => cmd::partials::run(args),
        cli::Command::Sql(args) => cmd::sql::run(args),
        cli::Command::Init(args) => cmd::init::run(args),
        cli::Command::Archive(args) => cmd::archive::run(args),
        cli::Command::Export(args) => cmd::export::run(args),
        cli::Command::PrivacyScan(args) => cmd::privacy_scan::run(args),
        cli::Command::Serve(args) => cmd::serve::run(args),
        cli::Command::Completions(args) => cmd::generate::completions(args),
        cli::Command::Man => cmd::generate::man(),
        cli::Command::Schema => cmd::generate::schema(),
    }
}

fn exit(result: Result<(), Failure>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            let code = match &failure {
                Failure::Data(_) => 1,
                Failure::Config(_) => 2,
                Failure::Internal(_) => 3,
            };
            match &failure {
                Failure::Internal(e) => eprintln!("error: {e:#}"),
                other => eprintln!("error: {other}"),
            }
            ExitCode::from(code)
        }
    }
}
