use super::Failure;
use crate::cli::{SampleArgs, SampleEncodingArg, SampleFormatArg};
use anyhow::Context as _;
use huifang::sample::{
    SampleEncoding, SampleOptions, write_sample_with_orders, write_sample_workbooks,
};

pub fn run(args: &SampleArgs) -> Result<(), Failure> {
    if args.end < args.start {
        return Err(Failure::Config(format!(
            "--end {} is before --start {}",
            args.end, args.start
        )));
    }
    let options = SampleOptions {
        rows: args.rows,
        seed: args.seed,
        start: args.start,
        end: args.end,
        departments: args.departments as usize,
        sites: args.sites as usize,
        encoding: match args.encoding {
            SampleEncodingArg::Native => SampleEncoding::Native,
            SampleEncodingArg::Utf8 => SampleEncoding::Utf8,
            SampleEncodingArg::Gb18030 => SampleEncoding::Gb18030,
        },
    };
    let files = match (args.format, &args.orders) {
        (SampleFormatArg::Csv, orders) => {
            write_sample_with_orders(&options, &args.out, orders.as_deref())
        }
        (SampleFormatArg::Xlsx, None) => write_sample_workbooks(&options, &args.out),
        (SampleFormatArg::Xlsx, Some(_)) => {
            return Err(Failure::Config(
                "--orders writes CSV files: leave out --format xlsx, or --orders".to_owned(),
            ));
        }
    }
    .with_context(|| format!("writing sample data to {}", args.out.display()))?;
    for file in files {
        eprintln!("wrote {}", file.display());
    }
    Ok(())
}
