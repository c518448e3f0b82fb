//! `huifang sql`: prints the SQL that counts the partial tables in a warehouse
//! (docs/partials.md).

use super::Failure;
use crate::cli::{DialectArg, SqlArgs};
use huifang::config::Project;
use huifang::metrics::partial_tables::{self, Dialect};

pub fn run(args: &SqlArgs) -> Result<(), Failure> {
    let project = Project::load(&args.project.config)?;
    let config = &project.config;
    let as_of = args.as_of.unwrap_or_else(|| config.as_of_or_today());
    let dialect = match args.dialect {
        DialectArg::DuckDb => Dialect::DuckDb,
        DialectArg::Spark => Dialect::Spark,
    };
    let sql = partial_tables::sql(config, as_of, dialect, &args.table)
        .map_err(|e| Failure::Config(e.to_string()))?;
    super::generate::print(sql.as_bytes())
}
