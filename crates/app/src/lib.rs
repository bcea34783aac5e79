//! The milestone-13 checker in the browser.
//!
//! A release URL, a dropped "Source code (zip)" or the built-in sample
//! becomes a [`m13_rules::Snapshot`], the rules check it, and the page shows
//! the report, the cluster steps and a copyable review.
//!
//! The cut, as in Yew's function_todomvc example: [`state`] is plain data
//! and one reducer, with no web APIs, so it runs under `cargo test`;
//! [`app`] owns that reducer and every side effect (fetching, storage, the
//! clipboard, the address bar); [`components`] show data and send
//! callbacks, one component per file, and never fetch. Repository text is
//! always a text node: nothing here builds HTML from strings.
//!
//! Pure modules (tested natively): [`state`], [`input`], [`cache`],
//! [`links`], [`fetch::github`], [`fetch::jsdelivr`], [`fetch::rate`],
//! [`fetch::error`], [`fetch::plan`], [`sample`], [`prefetched`],
//! [`graph_layout`].
//! Browser edges: [`app`], [`fetch::http`], [`fetch::run`], [`storage`],
//! [`clock`].

pub mod app;
pub mod cache;
pub mod checker;
pub mod clock;
pub mod components;
pub mod fetch;
pub mod graph_layout;
pub mod input;
pub mod links;
pub mod prefetched;
pub mod sample;
pub mod state;
pub mod storage;

/// Mounts the app on the page's `<body>` (the `m13-app` binary).
pub fn start() {
    yew::Renderer::<app::App>::new().render();
}

/// Starts the checker in its Web Worker (the `m13-checker` binary).
pub fn start_checker() {
    checker::worker::start();
}
