//! The page's side of the checker: starts the Web Worker (right after the
//! page is shown, so the page's first load is the interface only), holds
//! requests until the worker says it is ready, and hands each reply to the
//! page. The worker's files come from Trunk (`index.html`:
//! `data-type="worker"`), not hashed, beside the page.
//!
//! The worker is started from a two-line `blob:` script that loads those
//! files, rather than from a file of the site: a worker started from a blob
//! keeps the page's Content-Security-Policy, so the checker, which holds the
//! token and does all the fetching, can connect to GitHub's hosts only,
//! like the page (a `<meta>` policy does not reach a worker loaded from a
//! file).

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Uint8Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, BlobPropertyBag, ErrorEvent, Event, MessageEvent, Url, Worker};

use super::protocol::{Reply, Request};
use crate::fetch::error::LoadError;

/// What Trunk writes for the worker binary `m13-checker`: wasm-bindgen's
/// `no-modules` glue (it defines `wasm_bindgen`) and the wasm.
const CHECKER_GLUE: &str = "m13-checker.js";
const CHECKER_WASM: &str = "m13-checker_bg.wasm";

/// The worker's script: load the glue, then the wasm, from `base` (the
/// page's base URL, ending with `/`). Trunk does not hash a worker's file
/// names, so `build` (the hash in the page's own wasm name) goes in the
/// query: after a deployment, a cached checker of another build (GitHub
/// Pages caches for ten minutes) is not paired with the new page, which
/// could not read its messages.
pub fn worker_script(base: &str, build: &str) -> String {
    let query = if build.is_empty() { String::new() } else { format!("?build={build}") };
    format!(
        "importScripts({});wasm_bindgen({});",
        js_string(&format!("{base}{CHECKER_GLUE}{query}")),
        js_string(&format!("{base}{CHECKER_WASM}{query}"))
    )
}

/// The hash Trunk put in the page's wasm name (`m13-app-HASH_bg.wasm`, in
/// the preload link `web/boot.js` reads), or "" if it is not there.
pub fn build_of(wasm_href: &str) -> String {
    let name = wasm_href.rsplit('/').next().unwrap_or_default();
    let hash = name.strip_prefix("m13-app-").and_then(|n| n.strip_suffix("_bg.wasm")).unwrap_or_default();
    if hash.chars().all(|c| c.is_ascii_alphanumeric()) { hash.to_owned() } else { String::new() }
}

/// `text` as a JavaScript string literal.
fn js_string(text: &str) -> String {
    let mut literal = String::from("\"");
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                literal.push('\\');
                literal.push(c);
            }
            c if c.is_control() || c == '\u{2028}' || c == '\u{2029}' => {
                literal.push_str(&format!("\\u{{{:x}}}", c as u32))
            }
            c => literal.push(c),
        }
    }
    literal.push('"');
    literal
}

/// A started worker and its listeners, which must live as long as it does.
pub struct Checker {
    worker: Worker,
    /// The `blob:` URL of the worker's script, released with the worker.
    script_url: String,
    link: Rc<RefCell<Link>>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(Event)>,
}

/// What the listeners share with [`Checker::send`].
struct Link {
    ready: bool,
    /// The worker could not load, or stopped: a new one is needed.
    broken: bool,
    /// Requests posted before the worker was ready, in order.
    waiting: Vec<Array>,
    /// The jobs sent and not answered yet: a crash of the worker is
    /// reported against each (the class view has several at once).
    pending: Vec<u32>,
}

impl Checker {
    /// Starts the worker; `on_reply` gets every reply, and a `Failed` one if
    /// the worker cannot load or stops.
    pub fn start(on_reply: impl Fn(Reply) + 'static) -> Result<Checker, LoadError> {
        let (worker, script_url) = spawn().map_err(|e| LoadError::Checker { detail: describe(&e) })?;
        let link =
            Rc::new(RefCell::new(Link { ready: false, broken: false, waiting: Vec::new(), pending: Vec::new() }));
        let on_reply = Rc::new(on_reply);

        let on_message = {
            let (worker, link, on_reply) = (worker.clone(), link.clone(), on_reply.clone());
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                let bytes = event.data().dyn_into::<Uint8Array>().map(|b| b.to_vec()).unwrap_or_default();
                match Reply::decode(&bytes) {
                    Ok(Reply::Ready) => {
                        let waiting = {
                            let mut link = link.borrow_mut();
                            link.ready = true;
                            std::mem::take(&mut link.waiting)
                        };
                        for message in waiting {
                            let _ = worker.post_message(&message);
                        }
                        on_reply(Reply::Ready);
                    }
                    Ok(reply) => {
                        // A finished job is not one a later crash stopped.
                        if let Reply::Loaded { id, .. } | Reply::Failed { id, .. } | Reply::ForView { id, .. } = &reply
                        {
                            link.borrow_mut().pending.retain(|pending| pending != id);
                        }
                        on_reply(reply);
                    }
                    Err(detail) => {
                        // Whose answer it was cannot be read either.
                        let pending = std::mem::take(&mut link.borrow_mut().pending);
                        for id in pending {
                            let detail = format!("its answer could not be read ({detail})");
                            on_reply(Reply::Failed { id, error: LoadError::Checker { detail } });
                        }
                    }
                }
            })
        };
        let on_error = {
            let link = link.clone();
            // A script that fails to load gives a plain `Event`; an
            // exception in the worker, an `ErrorEvent` with its message.
            Closure::<dyn FnMut(Event)>::new(move |event: Event| {
                event.prevent_default();
                let pending = {
                    let mut link = link.borrow_mut();
                    link.broken = true;
                    link.waiting.clear();
                    std::mem::take(&mut link.pending)
                };
                let message = event.dyn_ref::<ErrorEvent>().map(ErrorEvent::message).unwrap_or_default();
                for id in pending {
                    let detail = why_stopped(&message, offline());
                    on_reply(Reply::Failed { id, error: LoadError::Checker { detail } });
                }
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(Checker { worker, script_url, link, _on_message: on_message, _on_error: on_error })
    }

    /// False once the worker could not load or stopped: start another.
    pub fn is_working(&self) -> bool {
        !self.link.borrow().broken
    }

    /// Sends one job; `zip` is the dropped file for a zip job.
    pub fn send(&self, request: &Request, zip: Option<&web_sys::File>) {
        let message = Array::of2(&JsValue::from(request.id), &Uint8Array::from(request.encode().as_slice()));
        if let Some(file) = zip {
            message.push(file);
        }
        let mut link = self.link.borrow_mut();
        link.pending.push(request.id);
        if link.ready {
            let _ = self.worker.post_message(&message);
        } else {
            link.waiting.push(message);
        }
    }
}

impl Drop for Checker {
    fn drop(&mut self) {
        self.worker.terminate();
        let _ = Url::revoke_object_url(&self.script_url);
    }
}

/// A worker running [`worker_script`] from a `blob:` URL.
fn spawn() -> Result<(Worker, String), JsValue> {
    let document = web_sys::window().and_then(|w| w.document());
    let base = document
        .as_ref()
        .and_then(|d| d.base_uri().ok().flatten())
        .ok_or_else(|| JsValue::from_str("the page has no base address"))?;
    let base = Url::new_with_base(".", &base)?.href();
    let wasm_href = document.and_then(|d| d.get_element_by_id("m13-wasm")).and_then(|link| link.get_attribute("href"));
    let build = build_of(&wasm_href.unwrap_or_default());
    let options = BlobPropertyBag::new();
    options.set_type("text/javascript");
    let blob = Blob::new_with_str_sequence_and_options(
        &Array::of1(&JsValue::from_str(&worker_script(&base, &build))),
        &options,
    )?;
    let script_url = Url::create_object_url_with_blob(&blob)?;
    match Worker::new(&script_url) {
        Ok(worker) => Ok((worker, script_url)),
        Err(error) => {
            let _ = Url::revoke_object_url(&script_url);
            Err(error)
        }
    }
}

/// Why the worker stopped, from its error event's message (empty when its
/// script could not be fetched at all).
pub fn why_stopped(message: &str, offline: bool) -> String {
    let download = message.is_empty() || message.contains("importScripts") || message.contains("NetworkError");
    match (download, offline) {
        (true, true) => "its files could not be downloaded from this site, and the device looks offline".to_owned(),
        (true, false) => "its files could not be downloaded from this site".to_owned(),
        (false, _) => format!("it crashed ({})", message.trim_end_matches('.')),
    }
}

fn offline() -> bool {
    web_sys::window().is_some_and(|w| !w.navigator().on_line())
}

fn describe(error: &JsValue) -> String {
    crate::js_error::message(error).unwrap_or_else(|| "the browser refused to start it".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_loads_the_glue_then_the_wasm_of_the_same_build() {
        assert_eq!(
            worker_script("https://ana.github.io/milestone-check/", "b633"),
            r#"importScripts("https://ana.github.io/milestone-check/m13-checker.js?build=b633");wasm_bindgen("https://ana.github.io/milestone-check/m13-checker_bg.wasm?build=b633");"#
        );
        assert_eq!(
            worker_script("http://127.0.0.1:8080/", ""),
            r#"importScripts("http://127.0.0.1:8080/m13-checker.js");wasm_bindgen("http://127.0.0.1:8080/m13-checker_bg.wasm");"#
        );
    }

    #[test]
    fn the_build_is_the_hash_in_the_page_wasm_name() {
        assert_eq!(build_of("./m13-app-b63399ef900869_bg.wasm"), "b63399ef900869");
        assert_eq!(build_of("https://x.github.io/m/m13-app-ab12_bg.wasm"), "ab12");
        assert_eq!(build_of("m13-app_bg.wasm"), "");
        assert_eq!(build_of("m13-app-a\"b_bg.wasm"), "");
        assert_eq!(build_of(""), "");
    }

    #[test]
    fn a_download_failure_is_not_called_a_crash() {
        let import = "Uncaught NetworkError: Failed to execute 'importScripts' on 'WorkerGlobalScope': The script at 'x' failed to load.";
        assert_eq!(why_stopped(import, false), "its files could not be downloaded from this site");
        assert_eq!(
            why_stopped("", true),
            "its files could not be downloaded from this site, and the device looks offline"
        );
        assert_eq!(
            why_stopped("Uncaught RuntimeError: unreachable.", false),
            "it crashed (Uncaught RuntimeError: unreachable)"
        );
    }

    #[test]
    fn a_base_cannot_end_the_string() {
        assert_eq!(js_string("a\"b\\c\nd"), r#""a\"b\\c\u{a}d""#);
    }
}
