//! The milestone-13 checker in the browser, as two wasm binaries.
//!
//! The page (`m13-app`) is the interface: [`state`] is plain data and one
//! reducer, with no web APIs, so it runs under `cargo test`; [`app`] owns
//! that reducer and every side effect (the checker, storage, the
//! clipboard, the address bar); [`components`] show data and send
//! callbacks, one component per file, and never fetch. Repository text is
//! always a text node: nothing here builds HTML from strings.
//!
//! The checker (`m13-checker`, a Web Worker; [`checker`]) turns a release
//! URL, a dropped "Source code (zip)" or the built-in sample into a
//! [`m13_rules::Snapshot`], runs the rules and sends the page what it
//! shows. It alone calls [`fetch`], [`cache`], [`prefetched`], [`sample`]
//! and [`graph_layout`]: the page's first load carries none of them.
//!
//! Pure modules (tested natively): [`state`], [`input`], [`cache`],
//! [`links`], [`fetch::github`], [`fetch::jsdelivr`], [`fetch::rate`],
//! [`fetch::error`], [`fetch::plan`], [`sample`], [`prefetched`],
//! [`graph_layout`], [`checker::protocol`], [`checker::run`], [`version`].
//! Browser edges: [`app`], [`checker::client`], [`checker::worker`], [`js_error`],
//! [`fetch::http`], [`fetch::run`], [`storage`], [`clock`].

pub mod app;
pub mod cache;
pub mod checker;
pub mod clock;
pub mod components;
pub mod fetch;
pub mod graph_layout;
pub mod input;
pub mod js_error;
pub mod links;
pub mod prefetched;
pub mod sample;
pub mod state;
pub mod storage;
pub mod version;

/// Mounts the app on the page's `<body>` (the `m13-app` binary).
pub fn start() {
    yew::Renderer::<app::App>::new().render();
}

/// Starts the checker in its Web Worker (the `m13-checker` binary).
pub fn start_checker() {
    checker::worker::start();
}
