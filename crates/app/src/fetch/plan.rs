//! Choosing between GitHub and the mirror, and what the page says about the
//! choice. Pure: the clock reading and its formatting come in as arguments.

use std::collections::HashMap;

use m13_rules::snapshot::limits;
use m13_rules::{Entry, wanted_files};

use super::error::LoadError;
use super::github::{API_HOST, MirrorReason};
use super::rate::RateLimit;

/// Where a check starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// GitHub's API (two calls), then the raw host.
    Api,
    /// The mirror, without spending API calls.
    Mirror(MirrorReason),
}

/// The files a check downloads: those the rules want, in order, while their
/// listed sizes fit in the byte budget of one check (`m13_source::load`
/// checks the real sizes again).
pub fn files_to_fetch(entries: &[Entry]) -> Vec<String> {
    let mut budget = limits::MAX_TOTAL_BYTES;
    let sizes: HashMap<&str, u64> = entries.iter().map(|e| (e.path.as_str(), e.size)).collect();
    wanted_files(entries)
        .into_iter()
        .filter(|path| {
            let size = sizes.get(path.as_str()).copied().unwrap_or(0);
            let fits = size <= budget;
            budget = budget.saturating_sub(size);
            fits
        })
        .collect()
}

/// GitHub unless the last known window has too few calls left.
pub fn route(rate: Option<&RateLimit>, now: u64) -> Route {
    match rate {
        Some(rate) if rate.is_low(now) => {
            Route::Mirror(MirrorReason::LowLimit { remaining: rate.remaining, reset: rate.reset })
        }
        _ => Route::Api,
    }
}

/// How the mirror failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MirrorFailure {
    /// No answer at all.
    Network(String),
    /// An answer that refuses (404, 403 over 50 MB...) or cannot be read.
    Refused(String),
}

impl MirrorFailure {
    fn detail(&self) -> String {
        match self {
            MirrorFailure::Network(_) => "it could not be reached either.".to_owned(),
            MirrorFailure::Refused(detail) => format!("{detail}."),
        }
    }
}

/// What the page says when the mirror served the files.
pub fn mirror_note(reason: &MirrorReason, clock: impl Fn(u64) -> String) -> String {
    let why = match reason {
        MirrorReason::RateLimited { reset: Some(reset) } => {
            format!("GitHub's API refused: its hourly limit is used up until {}", clock(*reset))
        }
        MirrorReason::RateLimited { reset: None } => "GitHub's API refused: its rate limit is used up".to_owned(),
        MirrorReason::LowLimit { remaining, reset } => format!(
            "only {remaining} GitHub API call{} left until {}, kept for others on this network",
            if *remaining == 1 { " is" } else { "s are" },
            clock(*reset)
        ),
        MirrorReason::ForClass { remaining } => {
            format!("GitHub's API calls left this hour ({remaining}) were kept for the rest of the class")
        }
        MirrorReason::Network(_) => "GitHub's API could not be reached".to_owned(),
        MirrorReason::Truncated => "GitHub's file listing was cut short (a very large repository)".to_owned(),
        MirrorReason::Unavailable { status } => format!("GitHub's API answered HTTP {status}"),
    };
    format!(
        "Files from the jsDelivr mirror of GitHub, because {why}. A mirror cannot tell a release from a tag, so `release-tag` needs a look by hand. {STALE_TAG}"
    )
}

/// jsDelivr caches a tag's files for good once it has served them.
pub const STALE_TAG: &str = "jsDelivr keeps a tag's files as it first fetched them: if the tag was deleted and pushed again, they may be the old files.";

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// What the page says when GitHub listed the release and served the files
/// without a token: `mirrored` is (served by jsDelivr, refused by the raw
/// host, why) when the raw host refused some.
pub fn github_note(api_calls: usize, from_raw: usize, mirrored: Option<(usize, usize, String)>) -> String {
    let listed = format!(
        "Files from GitHub: the release and its file list from api.github.com ({}), then {} from raw.githubusercontent.com.",
        plural(api_calls, "call", "calls"),
        plural(from_raw, "file", "files")
    );
    match mirrored {
        None => listed,
        Some((served, refused, why)) => format!(
            "{listed} raw.githubusercontent.com refused {} ({why}), so {} came from the jsDelivr mirror instead; the release was still judged from GitHub's API. {STALE_TAG}",
            plural(refused, "file", "files"),
            if served == refused { "they".to_owned() } else { format!("{served} of them") }
        ),
    }
}

/// What the page says when the files came through the API with a token.
pub fn api_note(api_calls: usize, files: usize) -> String {
    format!(
        "Files from GitHub's API with the token: the release and its file list ({}), then {} read one call each, {} in all.",
        plural(api_calls, "call", "calls"),
        plural(files, "file", "files"),
        plural(api_calls + files, "call", "calls")
    )
}

/// The error when GitHub could not list the release and the mirror failed too.
pub fn both_failed(reason: &MirrorReason, mirror: &MirrorFailure, clock: impl Fn(u64) -> String) -> LoadError {
    let detail = Some(mirror.detail());
    match (reason, mirror) {
        (MirrorReason::Network(_), MirrorFailure::Network(_)) => LoadError::Offline,
        (MirrorReason::RateLimited { reset }, _) => LoadError::RateLimited { reset: reset.map(&clock), mirror: detail },
        (MirrorReason::LowLimit { reset, .. }, _) => {
            LoadError::RateLimited { reset: Some(clock(*reset)), mirror: detail }
        }
        (MirrorReason::ForClass { .. }, MirrorFailure::Network(_)) => LoadError::Offline,
        (MirrorReason::ForClass { .. }, MirrorFailure::Refused(detail)) => LoadError::Mirror {
            detail: format!("GitHub's API calls were kept for the rest of the class, and the mirror says: {detail}."),
        },
        (MirrorReason::Truncated, _) => LoadError::TruncatedTree { mirror: detail },
        (MirrorReason::Unavailable { status }, _) => {
            LoadError::Http { host: API_HOST.to_owned(), status: *status, mirror: detail }
        }
        (MirrorReason::Network(_), MirrorFailure::Refused(detail)) => {
            LoadError::Mirror { detail: format!("GitHub's API could not be reached, and the mirror says: {detail}.") }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clock(secs: u64) -> String {
        format!("T{secs}")
    }

    #[test]
    fn routes_to_the_mirror_only_when_the_window_is_low() {
        assert_eq!(route(None, 100), Route::Api);
        let plenty = RateLimit { limit: 60, remaining: 30, reset: 200 };
        assert_eq!(route(Some(&plenty), 100), Route::Api);
        let low = RateLimit { remaining: 1, ..plenty };
        assert_eq!(route(Some(&low), 100), Route::Mirror(MirrorReason::LowLimit { remaining: 1, reset: 200 }));
        assert_eq!(route(Some(&low), 300), Route::Api, "the window has reset");
    }

    #[test]
    fn notes_say_which_source_and_why() {
        assert_eq!(
            github_note(2, 7, None),
            "Files from GitHub: the release and its file list from api.github.com (2 calls), then 7 files from raw.githubusercontent.com."
        );
        let partly = github_note(3, 1, Some((6, 6, "raw.githubusercontent.com answered HTTP 429".into())));
        assert!(partly.contains("(3 calls), then 1 file from raw.githubusercontent.com."), "{partly}");
        assert!(partly.contains(
            "refused 6 files (raw.githubusercontent.com answered HTTP 429), so they came from the jsDelivr mirror"
        ));
        assert!(partly.contains("still judged from GitHub's API"));
        assert!(partly.ends_with(STALE_TAG));
        assert!(github_note(2, 0, Some((4, 5, "x".into()))).contains("so 4 of them came"));
        assert_eq!(
            api_note(2, 9),
            "Files from GitHub's API with the token: the release and its file list (2 calls), then 9 files read one call each, 11 calls in all."
        );
        let note = mirror_note(&MirrorReason::RateLimited { reset: Some(42) }, clock);
        assert!(note.starts_with("Files from the jsDelivr mirror of GitHub, because GitHub's API refused: its hourly limit is used up until T42."));
        assert!(note.contains("`release-tag` needs a look by hand"));
        assert!(note.ends_with(STALE_TAG));
        assert!(
            mirror_note(&MirrorReason::LowLimit { remaining: 1, reset: 9 }, clock)
                .contains("only 1 GitHub API call is left until T9")
        );
        assert!(mirror_note(&MirrorReason::Truncated, clock).contains("cut short"));
        assert!(mirror_note(&MirrorReason::Network("x".into()), clock).contains("could not be reached"));
        assert!(mirror_note(&MirrorReason::Unavailable { status: 502 }, clock).contains("HTTP 502"));
    }

    #[test]
    fn both_failing_gives_the_specific_error() {
        let offline = MirrorFailure::Network("Failed to fetch".into());
        let refused = MirrorFailure::Refused("Package size exceeded the configured limit of 50 MB. (HTTP 403)".into());
        assert_eq!(both_failed(&MirrorReason::Network("x".into()), &offline, clock), LoadError::Offline);
        assert_eq!(
            both_failed(&MirrorReason::RateLimited { reset: Some(5) }, &offline, clock),
            LoadError::RateLimited { reset: Some("T5".into()), mirror: Some("it could not be reached either.".into()) }
        );
        assert!(
            matches!(both_failed(&MirrorReason::Truncated, &refused, clock), LoadError::TruncatedTree { mirror: Some(m) } if m.contains("50 MB"))
        );
        assert!(matches!(
            both_failed(&MirrorReason::Unavailable { status: 502 }, &refused, clock),
            LoadError::Http { status: 502, .. }
        ));
        assert!(matches!(both_failed(&MirrorReason::Network("x".into()), &refused, clock), LoadError::Mirror { .. }));
        assert!(matches!(
            both_failed(&MirrorReason::LowLimit { remaining: 1, reset: 3 }, &refused, clock),
            LoadError::RateLimited { reset: Some(r), .. } if r == "T3"
        ));
    }
}
