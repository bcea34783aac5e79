//! Why a release could not be checked, each case with its own message and
//! what to do next. A failure to read one file is not here: it becomes
//! `Content::Unreadable` and the rules name the file.

use serde::{Deserialize, Serialize};

/// The zip fallback, offered whenever GitHub cannot be used.
pub const ZIP_FALLBACK: &str =
    "On the release page, download \"Source code (zip)\" and drop it on this page: it is checked without GitHub.";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum LoadError {
    /// The release and the tree both 404: no such public repository or tag.
    NotFound { owner: String, repo: String, tag: String, with_token: bool },
    /// Without a token, GitHub listed the files but refused every one (404):
    /// a private repository, most likely.
    MaybePrivate { host: String },
    /// GitHub's API refused for the rate limit, and the mirror could not
    /// stand in. `reset` is the reset time as the user's clock shows it.
    RateLimited { reset: Option<String>, mirror: Option<String> },
    /// 401: the token is wrong or expired.
    BadToken,
    /// 403 for another reason than the rate limit (GitHub's message).
    Forbidden { message: String },
    /// The browser could not reach the hosts at all.
    Offline,
    /// The API answered, but no file could be downloaded from `host` (a
    /// network filter blocking raw.githubusercontent.com, a dropped connection).
    FilesUnreachable { host: String },
    /// The tree listing was cut short (a huge repository) and the mirror
    /// could not list it either.
    TruncatedTree { mirror: Option<String> },
    /// A host answered with an unexpected status.
    Http { host: String, status: u16, mirror: Option<String> },
    /// A host answered with something that is not what it documents.
    BadResponse { host: String, detail: String },
    /// The mirror refused (too large, unknown tag...) and GitHub was not used.
    Mirror { detail: String },
    /// The dropped file could not be read as a release zip.
    Zip { detail: String },
    /// The dropped file could not be read from disk.
    File { detail: String },
    /// The checker (the page's Web Worker) could not start or stopped.
    Checker { detail: String },
    /// The checker was busy for `seconds` without a word (it computes, it
    /// does not wait for the network), so the page's watchdog stopped it.
    TimedOut { seconds: u32 },
}

impl LoadError {
    /// A short title for the error panel.
    pub fn title(&self) -> &'static str {
        match self {
            LoadError::NotFound { .. } => "Release not found",
            LoadError::MaybePrivate { .. } => "The repository may be private",
            LoadError::RateLimited { .. } => "GitHub's hourly limit is used up",
            LoadError::BadToken => "GitHub refused the token",
            LoadError::Forbidden { .. } => "GitHub refused the request",
            LoadError::Offline => "No network",
            LoadError::FilesUnreachable { .. } => "The release's files could not be downloaded",
            LoadError::TruncatedTree { .. } => "The repository is too large to list",
            LoadError::Http { .. } | LoadError::BadResponse { .. } => "GitHub did not answer as expected",
            LoadError::Mirror { .. } => "The mirror could not serve this release",
            LoadError::Zip { .. } => "This file is not a release zip",
            LoadError::File { .. } => "The file could not be read",
            LoadError::Checker { .. } => "The checker stopped",
            LoadError::TimedOut { .. } => "The check was stopped",
        }
    }

    /// What happened, in a sentence or two.
    pub fn message(&self) -> String {
        let mirror_note = |mirror: &Option<String>| {
            mirror.as_ref().map(|m| format!(" The jsDelivr mirror could not stand in: {m}")).unwrap_or_default()
        };
        match self {
            LoadError::NotFound { owner, repo, tag, with_token } => {
                let private = if *with_token {
                    "or the token cannot read it"
                } else {
                    "or the repository is private (GitHub answers \"not found\" for private repositories; a token with access can read it)"
                };
                format!(
                    "GitHub has no repository {owner}/{repo} with a tag `{tag}`: the URL may be misspelled, the tag may not be pushed (`git push --tags`), {private}."
                )
            }
            LoadError::MaybePrivate { host } => format!(
                "GitHub listed the release, but {host} refused every one of its files (HTTP 404): this repository may be private: give a token that can read it."
            ),
            LoadError::RateLimited { reset, mirror } => {
                let when = reset.as_ref().map(|r| format!(" It resets at {r}.")).unwrap_or_default();
                format!(
                    "GitHub allows 60 API calls an hour per network address without a token, and this address has used them.{when}{}",
                    mirror_note(mirror)
                )
            }
            LoadError::BadToken => {
                "GitHub answered 401: the token is wrong, expired or revoked. Clear it or paste a new one.".to_owned()
            }
            LoadError::Forbidden { message } => format!("GitHub answered 403: {message}"),
            LoadError::Offline => {
                "Neither GitHub nor the jsDelivr mirror could be reached: the device looks offline, or a network filter blocks them.".to_owned()
            }
            LoadError::FilesUnreachable { host } => format!(
                "GitHub listed the release, but none of its files could be downloaded from {host}: every request failed without an answer. A school or work network may block {host}, or the connection dropped."
            ),
            LoadError::TruncatedTree { mirror } => format!(
                "GitHub cut the file listing short (it stops at 100,000 files or 7 MB), so files the rules need may be missing from it. Is a virtualenv or node_modules committed?{}",
                mirror_note(mirror)
            ),
            LoadError::Http { host, status, mirror } => {
                format!("{host} answered HTTP {status}.{}", mirror_note(mirror))
            }
            LoadError::BadResponse { host, detail } => format!("{host} sent an answer this page cannot read: {detail}."),
            LoadError::Mirror { detail } => format!("jsDelivr: {detail}"),
            LoadError::Zip { detail } => detail.clone(),
            LoadError::File { detail } => format!("The browser could not read the file: {detail}."),
            LoadError::Checker { detail } => format!("The part of this page that runs the rules stopped: {detail}."),
            LoadError::TimedOut { seconds } => format!(
                "The check took longer than {seconds} s and was stopped: the release may hold something too large to check in a browser. Try the CLI, or check again."
            ),
        }
    }

    /// What to do next.
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            LoadError::NotFound { with_token: false, .. } => Some(
                "Open the URL in a browser to see whether it exists. For a private repository, add a GitHub token that can read it, or use the zip.",
            ),
            LoadError::NotFound { with_token: true, .. } | LoadError::Forbidden { .. } | LoadError::BadToken => {
                Some(ZIP_FALLBACK)
            }
            LoadError::RateLimited { .. } => Some(
                "Wait for the reset, add a GitHub token (5,000 calls an hour), or use the zip: on the release page, download \"Source code (zip)\" and drop it here.",
            ),
            LoadError::MaybePrivate { .. } => Some(
                "Add a GitHub token that can read the repository (it goes only to api.github.com and is kept for this tab only), or use the zip: on the release page, download \"Source code (zip)\" and drop it here.",
            ),
            LoadError::Offline => {
                Some("Check the connection and try again, or try the built-in sample, which needs no network.")
            }
            LoadError::FilesUnreachable { .. }
            | LoadError::TruncatedTree { .. }
            | LoadError::Http { .. }
            | LoadError::BadResponse { .. }
            | LoadError::Mirror { .. } => Some(ZIP_FALLBACK),
            LoadError::Zip { .. } | LoadError::File { .. } => {
                Some("Drop the \"Source code (zip)\" file from the release page (not a .tar.gz, not a folder).")
            }
            LoadError::Checker { .. } => Some(
                "Reload the page and try again. If it stops again on this release, the milestone-check command-line tool gives the same verdicts.",
            ),
            LoadError::TimedOut { .. } => Some(
                "The command-line tool runs the same rules with no time limit: run milestone-check check with the release URL.",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_has_a_title_a_message_and_a_hint() {
        let all = [
            LoadError::NotFound { owner: "a".into(), repo: "r".into(), tag: "t".into(), with_token: false },
            LoadError::NotFound { owner: "a".into(), repo: "r".into(), tag: "t".into(), with_token: true },
            LoadError::RateLimited {
                reset: Some("16:05".into()),
                mirror: Some("it could not be reached either.".into()),
            },
            LoadError::MaybePrivate { host: "raw.githubusercontent.com".into() },
            LoadError::BadToken,
            LoadError::Forbidden { message: "Resource protected by organization SAML enforcement.".into() },
            LoadError::Offline,
            LoadError::FilesUnreachable { host: "raw.githubusercontent.com".into() },
            LoadError::Checker { detail: "its script could not be loaded".into() },
            LoadError::TimedOut { seconds: 20 },
            LoadError::TruncatedTree { mirror: None },
            LoadError::Http { host: "api.github.com".into(), status: 502, mirror: None },
            LoadError::BadResponse { host: "api.github.com".into(), detail: "no `tree`".into() },
            LoadError::Mirror { detail: "Package size exceeded the configured limit of 50 MB.".into() },
            LoadError::Zip { detail: "`x.zip` is not a zip file.".into() },
            LoadError::File { detail: "NotReadableError".into() },
        ];
        for error in all {
            assert!(!error.title().is_empty());
            assert!(error.message().ends_with(['.', '?', '`']), "{}", error.message());
            assert!(error.hint().is_some());
        }
    }

    #[test]
    fn a_stopped_check_says_why_and_what_to_do() {
        let error = LoadError::TimedOut { seconds: 20 };
        assert_eq!(error.title(), "The check was stopped");
        assert_eq!(
            error.message(),
            "The check took longer than 20 s and was stopped: the release may hold something too large to check in a browser. Try the CLI, or check again."
        );
    }

    #[test]
    fn rate_limit_message_names_the_reset_and_the_zip() {
        let error =
            LoadError::RateLimited { reset: Some("16:05".into()), mirror: Some("the device is offline.".into()) };
        assert!(error.message().contains("resets at 16:05"));
        assert!(error.message().contains("jsDelivr mirror could not stand in: the device is offline."));
        assert!(error.hint().is_some_and(|h| h.contains("Source code (zip)")));
    }

    #[test]
    fn every_file_refused_may_be_a_private_repository() {
        let error = LoadError::MaybePrivate { host: "raw.githubusercontent.com".into() };
        assert!(error.message().ends_with("this repository may be private: give a token that can read it."));
    }

    #[test]
    fn not_found_mentions_private_repositories_without_a_token() {
        let message = LoadError::NotFound {
            owner: "ana".into(),
            repo: "cis-92".into(),
            tag: "milestone-13.1".into(),
            with_token: false,
        }
        .message();
        assert!(message.contains("ana/cis-92"));
        assert!(message.contains("private"));
    }
}
