//! Mounts the web app. Built by Trunk for wasm32 (see `index.html`); a
//! native build only says where the app runs, so the workspace's native
//! `cargo build`, `test` and `clippy` keep working.

#[cfg(target_arch = "wasm32")]
fn main() {
    m13_app::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("m13-app runs in a browser: `cargo xtask serve`, then open http://127.0.0.1:8080/");
}
