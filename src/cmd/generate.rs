//! `completions`, `man` and `schema`: files generated from huifang's own definitions (the clap
//! flags, the config structs), printed to stdout for packagers and editors to put in place.

use super::Failure;
use crate::cli::{Cli, CompletionsArgs};
use clap::CommandFactory;
use std::io::Write;

pub fn completions(args: &CompletionsArgs) -> Result<(), Failure> {
    let mut command = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut command, "huifang", &mut out);
    print(&out)
}

pub fn man() -> Result<(), Failure> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut out)
        .map_err(anyhow::Error::from)?;
    print(&out)
}

pub fn schema() -> Result<(), Failure> {
    print(huifang::config::schema_json().as_bytes())
}

/// Writes `bytes` to stdout; a closed pipe (`huifang man | head`) is not an error.
pub(super) fn print(bytes: &[u8]) -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(anyhow::Error::from(e).into()),
        _ => Ok(()),
    }
}
