//! One GET with the browser's `fetch`: no cookies, CORS mode, and the token
//! (if any) only for api.github.com. Every failure to get an answer is a
//! [`NetworkError`]; any answer, whatever its status, is a [`Reply`].

use js_sys::Uint8Array;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, Request, RequestCredentials, RequestInit, RequestMode, Response, WorkerGlobalScope};

use super::github::{API_HOST, NetworkError, Reply};
use super::rate::RateLimit;

/// What GitHub's REST API documents as its media type. `Accept` is a
/// CORS-safelisted header, so an anonymous call needs no preflight.
const GITHUB_JSON: &str = "application/vnd.github+json";

/// The media type that makes `git/blobs/SHA` answer the file's bytes
/// rather than JSON with base64 content.
const GITHUB_RAW: &str = "application/vnd.github.raw+json";

fn js_error(value: JsValue) -> NetworkError {
    NetworkError(crate::js_error::message(&value).unwrap_or_else(|| "the request failed".to_owned()))
}

/// Whether `url` is GitHub's API: the only host that gets the token and
/// whose rate-limit headers mean anything.
pub fn is_api(url: &str) -> bool {
    url.strip_prefix("https://").and_then(|rest| rest.strip_prefix(API_HOST)).is_some_and(|rest| rest.starts_with('/'))
}

/// GETs `url`. The token goes only to api.github.com, whatever the caller asks.
pub async fn get(url: &str, token: Option<&str>) -> Result<Reply, NetworkError> {
    get_as(url, token, GITHUB_JSON).await
}

/// GETs a `git/blobs/SHA` URL as the file's raw bytes.
pub async fn get_blob(url: &str, token: Option<&str>) -> Result<Reply, NetworkError> {
    get_as(url, token, GITHUB_RAW).await
}

async fn get_as(url: &str, token: Option<&str>, accept: &str) -> Result<Reply, NetworkError> {
    let to_api = is_api(url);
    let headers = Headers::new().map_err(js_error)?;
    if to_api {
        headers.set("Accept", accept).map_err(js_error)?;
        if let Some(token) = token.filter(|t| !t.is_empty()) {
            headers.set("Authorization", &format!("Bearer {token}")).map_err(js_error)?;
        }
    }
    let init = RequestInit::new();
    init.set_method("GET");
    init.set_mode(RequestMode::Cors);
    init.set_credentials(RequestCredentials::Omit);
    init.set_headers(&headers);
    let request = Request::new_with_str_and_init(url, &init).map_err(js_error)?;
    // The checker fetches from its Web Worker; the window is there for tests
    // that run this in a page.
    let global = js_sys::global();
    let pending = if let Some(worker) = global.dyn_ref::<WorkerGlobalScope>() {
        worker.fetch_with_request(&request)
    } else if let Some(window) = global.dyn_ref::<web_sys::Window>() {
        window.fetch_with_request(&request)
    } else {
        return Err(NetworkError("this browser context cannot fetch".to_owned()));
    };
    let response: Response = JsFuture::from(pending).await.map_err(js_error)?.dyn_into().map_err(js_error)?;
    let answer_headers = response.headers();
    let rate = if to_api { RateLimit::from_headers(|name| answer_headers.get(name).ok().flatten()) } else { None };
    let buffer = JsFuture::from(response.array_buffer().map_err(js_error)?).await.map_err(js_error)?;
    Ok(Reply { status: response.status(), body: Uint8Array::new(&buffer).to_vec(), rate })
}

/// Whether the browser says it is offline.
pub fn offline() -> bool {
    let global = js_sys::global();
    if let Some(worker) = global.dyn_ref::<WorkerGlobalScope>() {
        !worker.navigator().on_line()
    } else {
        global.dyn_ref::<web_sys::Window>().is_some_and(|w| !w.navigator().on_line())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_api_is_the_api() {
        assert!(is_api("https://api.github.com/repos/a/b/releases/tags/t"));
        assert!(!is_api("https://api.github.com.evil.example/repos"));
        assert!(!is_api("http://api.github.com/repos"));
        assert!(!is_api("https://raw.githubusercontent.com/a/b/t/x"));
        assert!(!is_api("https://cdn.jsdelivr.net/gh/a/b@t/x"));
    }
}
