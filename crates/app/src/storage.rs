//! The browser's storage, at the edge: the token in session storage only
//! (gone when the tab closes), and in local storage the last rate-limit
//! window, finished checks and ticked cluster steps. Every failure (private
//! mode, a full quota) is swallowed: storage only saves work, the page
//! works without it.

use std::collections::BTreeSet;

use gloo::storage::{LocalStorage, SessionStorage, Storage};

use crate::cache::{INDEX_KEY, MAX_RECORD_CHARS, StoredCheck, touch};
use crate::fetch::rate::RateLimit;

const TOKEN_KEY: &str = "m13.token";
const RATE_KEY: &str = "m13.rate.v1";

pub fn load_token() -> String {
    SessionStorage::get::<String>(TOKEN_KEY).unwrap_or_default()
}

pub fn save_token(token: &str) {
    if token.is_empty() {
        SessionStorage::delete(TOKEN_KEY);
    } else {
        let _ = SessionStorage::set(TOKEN_KEY, token);
    }
}

/// The anonymous window only: a token's window is its own.
pub fn load_rate() -> Option<RateLimit> {
    LocalStorage::get::<RateLimit>(RATE_KEY).ok()
}

pub fn save_rate(rate: Option<&RateLimit>) {
    match rate {
        Some(rate) => {
            let _ = LocalStorage::set(RATE_KEY, rate);
        }
        None => LocalStorage::delete(RATE_KEY),
    }
}

pub fn load_check(key: &str) -> Option<StoredCheck> {
    let text = LocalStorage::raw().get_item(key).ok().flatten()?;
    StoredCheck::parse(&text)
}

/// Stores a finished check, forgetting the oldest ones past the cap, and
/// once more after forgetting the oldest if the quota is full.
pub fn save_check(key: &str, record: &StoredCheck) {
    let Some(json) = record.to_json().filter(|j| j.len() <= MAX_RECORD_CHARS) else { return };
    let storage = LocalStorage::raw();
    let index: Vec<String> = LocalStorage::get(INDEX_KEY).unwrap_or_default();
    let (mut index, evicted) = touch(index, key);
    for old in evicted {
        let _ = storage.remove_item(&old);
    }
    while storage.set_item(key, &json).is_err() {
        // Quota: forget the oldest other check and try again.
        let Some(position) = index.iter().position(|k| k != key) else { break };
        let old = index.remove(position);
        let _ = storage.remove_item(&old);
    }
    let _ = LocalStorage::set(INDEX_KEY, &index);
}

pub fn load_steps(key: &str) -> BTreeSet<String> {
    LocalStorage::get::<BTreeSet<String>>(key).unwrap_or_default()
}

pub fn save_steps(key: &str, steps: &BTreeSet<String>) {
    if steps.is_empty() {
        LocalStorage::delete(key);
    } else {
        let _ = LocalStorage::set(key, steps);
    }
}
