//! The checker's Web Worker (see `m13_app::checker`). Built by Trunk for
//! wasm32 as a worker (`index.html`); a native build only says where it runs.

#[cfg(target_arch = "wasm32")]
fn main() {
    m13_app::start_checker();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("m13-checker is the web app's Web Worker: `cargo xtask serve`, then open http://127.0.0.1:8080/");
}
