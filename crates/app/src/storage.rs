//! The browser's storage, at the edge: the token in session storage only
//! (gone when the tab closes), and in local storage the last rate-limit
//! window, finished checks and ticked cluster steps. Every failure (private
//! mode, a full quota) is swallowed: storage only saves work, the page
//! works without it.
//!
//! Values are plain text (a token, three numbers, one name per line), not
//! JSON: the page's first-load wasm has no JSON parser (README, Size). The
//! records of finished checks are JSON, but only the checker reads them.

use std::collections::BTreeSet;

use web_sys::Storage;

use crate::cache::{INDEX_KEY, MAX_RECORD_CHARS, touch};
use crate::fetch::rate::RateLimit;

const TOKEN_KEY: &str = "m13.token";
const RATE_KEY: &str = "m13.rate.v2";

fn local() -> Option<Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn session() -> Option<Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

fn get(storage: Option<Storage>, key: &str) -> Option<String> {
    storage?.get_item(key).ok().flatten()
}

fn set(storage: Option<Storage>, key: &str, value: &str) {
    if let Some(storage) = storage {
        let _ = storage.set_item(key, value);
    }
}

fn remove(storage: Option<Storage>, key: &str) {
    if let Some(storage) = storage {
        let _ = storage.remove_item(key);
    }
}

pub fn load_token() -> String {
    get(session(), TOKEN_KEY).unwrap_or_default()
}

pub fn save_token(token: &str) {
    if token.is_empty() {
        remove(session(), TOKEN_KEY);
    } else {
        set(session(), TOKEN_KEY, token);
    }
}

/// The anonymous window only: a token's window is its own.
pub fn load_rate() -> Option<RateLimit> {
    RateLimit::from_text(&get(local(), RATE_KEY)?)
}

pub fn save_rate(rate: Option<&RateLimit>) {
    match rate {
        Some(rate) => set(local(), RATE_KEY, &rate.to_text()),
        None => remove(local(), RATE_KEY),
    }
}

/// The record of a finished check, as stored: the checker reads it.
pub fn load_check(key: &str) -> Option<String> {
    get(local(), key)
}

/// Stores the record of a finished check (made by the checker), forgetting
/// the oldest ones past the cap, and once more after forgetting the oldest
/// if the quota is full.
pub fn save_check(key: &str, json: &str) {
    let Some(storage) = local().filter(|_| json.len() <= MAX_RECORD_CHARS) else { return };
    let index = lines(&get(Some(storage.clone()), INDEX_KEY).unwrap_or_default());
    let (mut index, evicted) = touch(index, key);
    for old in evicted {
        let _ = storage.remove_item(&old);
    }
    while storage.set_item(key, json).is_err() {
        // Quota: forget the oldest other check and try again.
        let Some(position) = index.iter().position(|k| k != key) else { break };
        let old = index.remove(position);
        let _ = storage.remove_item(&old);
    }
    let _ = storage.set_item(INDEX_KEY, &index.join("\n"));
}

pub fn load_steps(key: &str) -> BTreeSet<String> {
    lines(&get(local(), key).unwrap_or_default()).into_iter().collect()
}

pub fn save_steps(key: &str, steps: &BTreeSet<String>) {
    if steps.is_empty() {
        remove(local(), key);
    } else {
        set(local(), key, &steps.iter().map(String::as_str).collect::<Vec<_>>().join("\n"));
    }
}

/// One name per line (step ids and storage keys have no line breaks).
fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_name_per_line() {
        assert_eq!(lines("install-postgres\n\n port-forward \n"), ["install-postgres", "port-forward"]);
        assert!(lines("").is_empty());
    }
}
