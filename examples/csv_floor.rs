//! The floor a build is measured against: one bare pass of the `csv` crate's `ByteRecord`
//! reader over the given files, doing nothing with the fields. `bench/run.sh` times the whole
//! process, as it times builds; the seconds printed here are the pass alone.
//!
//!     cargo run --release --example csv_floor -- FILE...

use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        eprintln!("usage: csv_floor FILE...");
        std::process::exit(2);
    }
    let started = Instant::now();
    let (mut rows, mut fields, mut bytes) = (0u64, 0u64, 0u64);
    for file in &files {
        bytes += std::fs::metadata(file)?.len();
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_path(file)?;
        let mut record = csv::ByteRecord::new();
        while reader.read_byte_record(&mut record)? {
            rows += 1;
            fields += record.len() as u64;
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    // One line, key=value, for the bench script to read.
    println!("rows={rows} fields={fields} bytes={bytes} seconds={seconds:.4}");
    Ok(())
}
