//! Reading the fixture trees, shared by the fixture and graph tests: the
//! workspace's test kit, under the names these tests use.

#[allow(unused_imports, reason = "each test binary uses a different part")]
pub use m13_testkit::{expected, fixture_names, fixtures_dir, read_files, read_tree};
