//! What a JavaScript exception says, for messages: an `Error`'s message, a
//! thrown string, or `None` for anything else.

use wasm_bindgen::{JsCast, JsValue};

pub fn message(value: &JsValue) -> Option<String> {
    value.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).or_else(|| value.as_string())
}
