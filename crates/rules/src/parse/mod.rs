//! Readers for the file formats of a release. Each keeps line numbers and
//! never panics on input.

pub mod dockerfile;
pub mod python;
pub mod quantity;
pub mod requirements;
pub mod yaml;
