//! Versions of reports: the snapshot store, what changed between versions, the fingerprint
//! of a build's inputs, and the project lock. Data keeps changing after a period ends, so a
//! report gets a new version when (and only when) its numbers change, and every version
//! stays readable.

pub mod checked;
pub mod diff;
pub mod fingerprint;
pub mod lock;
pub mod store;

pub use store::{InputFile, Snapshot, Store};
