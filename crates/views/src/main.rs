//! The views loaded on demand (see `m13_views`). Built by Trunk for wasm32 with the
//! worker target (`index.html`), so its files keep one name a page can
//! load on demand; `web/boot.js` loads it. A native build says where it runs.

#[cfg(target_arch = "wasm32")]
fn main() {
    m13_views::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "m13-views holds the web app's class and comparison views: `cargo xtask serve`, then open http://127.0.0.1:8080/?class"
    );
}
