//! huifang: customer follow-up visit (回访) reports.
//!
//! Data flows one way: [`ingest`] reads visit logs into the typed records of [`model`]
//! according to [`config`]; [`metrics`] counts them; [`versions`] keeps each report's
//! numbers; [`site`] writes the pages; [`build`] runs the stages in turn. Imports follow the
//! same direction, in the layers `tests/layers.rs` lists and checks.

pub mod archive;
pub mod build;
pub mod chars;
pub mod charts;
pub mod clock;
pub mod config;
pub mod dates;
pub mod export;
pub mod ingest;
pub mod memory;
pub mod metrics;
pub mod model;
pub mod output;
pub mod period;
pub mod privacy;
pub mod sample;
pub mod scaffold;
pub mod seal;
pub mod site;
pub mod slug;
pub mod survey;
pub mod versions;
