//! The web app's views loaded on demand, in a wasm file of their own that
//! `web/boot.js` loads only when the address asks for one, so the page's
//! first load does not carry them:
//!
//! * [`class`]: a whole class checked at once (`?urls=`, `?class`, or
//!   several zips chosen on the single-release page, which `web/views.js`
//!   hands over as `window.m13ClassFiles`);
//! * [`compare`]: one release compared with an earlier one of its
//!   repository (`?compare=URL`).
//!
//! Both talk to the same checker (a Web Worker) the page does, with the same
//! messages, so their verdicts are the single-release page's, and the CLI's.

pub mod checker_slot;
pub mod class;
pub mod compare;

/// Mounts the view the address asks for on `<div id="view">` (made if
/// missing).
pub fn start() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let root = document.get_element_by_id("view").or_else(|| {
        let root = document.create_element("div").ok()?;
        root.set_id("view");
        document.body()?.append_child(&root).ok()?;
        Some(root)
    });
    let Some(root) = root else { return };
    match compare::view::compare_parameter() {
        Some(url) => {
            yew::Renderer::<compare::view::CompareApp>::with_root_and_props(root, compare::view::CompareProps { url })
                .render();
        }
        None => {
            yew::Renderer::<class::view::ClassApp>::with_root(root).render();
        }
    }
}
