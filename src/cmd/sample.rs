use super::Failure;
use crate::cli::{SampleArgs, SampleEncodingArg, SampleFormatArg};
use anyhow::Context as _;
use huifang::sample::{SampleEncoding, SampleOptions, write_sample, write_sample_workbooks};

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
        departments: usize::from(args.departments),
        sites: usize::from(args.sites),
        encoding: match args.encoding {
            SampleEncodingArg::Native => SampleEncoding::Native,
            SampleEncodingArg::Utf8 => SampleEncoding::Utf8,
            SampleEncodingArg::Gb18030 => SampleEncoding::Gb18030,
        },
    };
    let write = match args.format {
        SampleFormatArg::Csv => write_sample,
        SampleFormatArg::Xlsx => write_sample_workbooks,
    };
    let files = write(&options, &args.out)
        .with_context(|| format!("writing sample data to {}", args.out.display()))?;
    for file in files {
        eprintln!("wrote {}", file.display());
    }
    Ok(())
}
