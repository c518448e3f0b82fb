//! The floor reading workbooks is measured against: one bare `calamine` pass over the first
//! sheet of each given workbook, counting rows and non-empty cells and doing nothing with
//! them. `bench/run.sh` times the whole process, as it times builds; the seconds printed here
//! are the pass alone.
//!
//!     cargo run --release --example xlsx_floor -- FILE...

use calamine::{Data, Reader};
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        eprintln!("usage: xlsx_floor FILE...");
        std::process::exit(2);
    }
    let started = Instant::now();
    let (mut rows, mut cells, mut bytes) = (0u64, 0u64, 0u64);
    for file in &files {
        bytes += std::fs::metadata(file)?.len();
        let mut book = calamine::open_workbook_auto(file)?;
        let first = book.sheet_names().first().cloned().ok_or("no sheet")?;
        let range = book.worksheet_range(&first)?;
        for row in range.rows() {
            rows += 1;
            cells += row.iter().filter(|c| !matches!(c, Data::Empty)).count() as u64;
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    // One line, key=value, for the bench script to read.
    println!("rows={rows} cells={cells} bytes={bytes} seconds={seconds:.4}");
    Ok(())
}
