//! `GitHub::new` takes its API base from `M13_GITHUB_API`. Its own test
//! binary, with one test, so changing the environment races with nothing.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers stop loudly, like the tests they serve (clippy.toml covers the tests themselves)"
)]

mod server;

use m13_source::github::{API_ENV, DEFAULT_API, GitHub};

use server::{Answer, MockServer};

#[test]
fn the_environment_overrides_the_api_base() {
    assert!(format!("{:?}", GitHub::new(None)).contains(DEFAULT_API) || std::env::var(API_ENV).is_ok());
    let server = MockServer::start(|_, _| Answer::not_found());
    // SAFETY: the only test of this binary; no other thread reads the environment.
    unsafe { std::env::set_var(API_ENV, server.base()) };
    let github = GitHub::new(None);
    unsafe { std::env::remove_var(API_ENV) };
    assert!(format!("{github:?}").contains(&server.base()));
    // Release, tag, the ref as a branch and the repository looked up, all on the mock.
    let error = github.fetch("https://github.com/ana/cis-92/releases/tag/milestone-13.1").unwrap_err();
    assert!(error.to_string().starts_with("`ana/cis-92` does not exist or is private"), "{error}");
    assert_eq!(server.requests().len(), 4);
}
