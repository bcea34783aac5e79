//! The checker's edge in its Web Worker: it says [`Reply::Ready`], then
//! takes each request from `postMessage` (its bytes, and a dropped zip's
//! `File` beside it), runs it and posts the replies back as bytes.

use js_sys::{Array, Uint8Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{JsFuture, spawn_local};
use web_sys::{DedicatedWorkerGlobalScope, File, MessageEvent};

use super::protocol::{ALIVE_EVERY_MS, Reply, Request};
use super::run::run;
use crate::fetch::error::LoadError;

/// Starts listening. Called once, by the worker binary's `main`.
pub fn start() {
    let Ok(scope) = js_sys::global().dyn_into::<DedicatedWorkerGlobalScope>() else { return };
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        spawn_local(answer(event.data()));
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    post(&Reply::Ready);
}

fn post(reply: &Reply) {
    if let Ok(scope) = js_sys::global().dyn_into::<DedicatedWorkerGlobalScope>() {
        let _ = scope.post_message(&Uint8Array::from(reply.encode().as_slice()));
    }
}

/// One message: `[id, request bytes, file?]`. The id comes apart from the
/// bytes so that a request this build cannot read (a page and a checker from
/// two different deployments) still gets its failure.
async fn answer(data: JsValue) {
    let parts = Array::from(&data);
    let id = parts.get(0).as_f64().map_or(0, |id| id as u32);
    let bytes = parts.get(1).dyn_into::<Uint8Array>().map(|b| b.to_vec()).unwrap_or_default();
    let request = match Request::decode(&bytes) {
        Ok(request) => request,
        Err(detail) => {
            let detail = format!("it could not read the request ({detail}); reloading the page loads matching parts");
            post(&Reply::Failed { id, error: LoadError::Checker { detail } });
            return;
        }
    };
    // Signs of life while the job waits for the network or the file, none
    // while it computes: what the page's watchdog looks for. Dropped, and
    // so stopped, when the job is done.
    let id = request.id;
    let alive = gloo::timers::callback::Interval::new(ALIVE_EVERY_MS, move || post(&Reply::Alive { id }));
    let zip = match parts.get(2).dyn_into::<File>() {
        Ok(file) => match read(&file).await {
            Ok(bytes) => Some(bytes),
            Err(detail) => {
                post(&Reply::Failed { id: request.id, error: LoadError::File { detail } });
                return;
            }
        },
        Err(_) => None,
    };
    let reply = run(request, zip, &|reply| post(&reply)).await;
    drop(alive);
    post(&reply);
}

async fn read(file: &File) -> Result<Vec<u8>, String> {
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|e| crate::js_error::message(&e).unwrap_or_else(|| "unknown error".to_owned()))?;
    Ok(Uint8Array::new(&buffer).to_vec())
}
