//! Readers of a release: a "Source code (zip)" file, a directory, or (in the
//! native CLI) GitHub. Each lists the release's paths with sizes; [`load`]
//! asks the rules which files they need and reads only those into a
//! [`Snapshot`], within the caps of [`limits`].
//!
//! This is the one crate of the checker that touches files and the network;
//! `m13-rules` stays pure.

mod bytes;
mod capped;
pub mod dir;
pub mod error;
#[cfg(not(target_arch = "wasm32"))]
pub mod github;
mod load;
pub mod zip;

pub use error::SourceError;
pub use load::{Source, load};

/// Re-exported so a caller needs only this crate to name the caps.
pub use m13_rules::snapshot::limits;
