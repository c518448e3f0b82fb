use super::Failure;
use crate::cli::InitArgs;
use huifang::scaffold::{ScaffoldError, scaffold};
use std::path::Path;

pub fn run(args: &InitArgs) -> Result<(), Failure> {
    let dir = args.dir.as_deref().unwrap_or(Path::new("."));
    let written = scaffold(dir).map_err(|e| match e {
        ScaffoldError::NotEmpty(_) => Failure::Config(e.to_string()),
        // The message already holds the cause; a chained source would print it twice.
        ScaffoldError::Io { .. } => Failure::Internal(anyhow::anyhow!(
            "creating a project in {}: {e}",
            dir.display()
        )),
    })?;
    eprintln!("created a huifang project in {}:", dir.display());
    for file in &written {
        eprintln!("  {}", file.display());
    }
    if !written.iter().any(|f| f == Path::new(".gitignore")) {
        eprintln!(
            "kept the existing .gitignore: add `/public/`, `/.huifang-*` and `/.huifang.lock` to it"
        );
    }
    eprintln!("next steps:");
    if dir != Path::new(".") {
        let dir = dir.display().to_string();
        if dir.contains(char::is_whitespace) {
            eprintln!("  cd \"{dir}\"");
        } else {
            eprintln!("  cd {dir}");
        }
    }
    eprintln!("  huifang build          # writes the site into public/");
    // After the `cd`, as the commands above are.
    eprintln!("  then open public/index.html in a browser");
    eprintln!(
        "the sample data in data/visits.csv runs to 2026-10-31, so huifang.toml sets \
         `as_of = 2026-10-31`: replace the data with your own visit logs (map their headers in \
         huifang.toml if needed) and delete that line to report as of today"
    );
    Ok(())
}
