//! One GET, with redirects followed by hand so that `Authorization` is sent
//! to the API's own origin and nowhere else. (ureq 3 by default drops the
//! header on every redirect, which is safe but also loses it on a same-host
//! redirect such as a renamed repository's; following by hand keeps it
//! there and drops it for codeload.github.com or any other host.)

use std::time::Duration;

use ureq::Agent;
use ureq::http::Response;
use url::Url;

use super::error::GitHubError;

const MAX_REDIRECTS: usize = 5;

pub(super) struct Client {
    agent: Agent,
    /// `scheme://host:port` of the API, lowercase, default port left out.
    api_origin: String,
    token: Option<String>,
}

pub(super) struct Reply {
    pub status: u16,
    /// Where the answer finally came from, after redirects.
    pub url: String,
    /// Whether that is the API (so its rate-limit headers count).
    pub from_api: bool,
    pub response: Response<ureq::Body>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.response.headers().get(name).and_then(|v| v.to_str().ok())
    }

    pub fn header_u64(&self, name: &str) -> Option<u64> {
        self.header(name).and_then(|v| v.trim().parse().ok())
    }
}

impl Client {
    pub fn new(api_base: &str, token: Option<String>) -> Client {
        let config = Agent::config_builder()
            .max_redirects(0)
            .http_status_as_error(false)
            .user_agent("milestone-check")
            .timeout_connect(Some(Duration::from_secs(20)))
            .timeout_recv_response(Some(Duration::from_secs(60)))
            .timeout_global(Some(Duration::from_secs(600)))
            .build();
        Client { agent: Agent::new_with_config(config), api_origin: origin_of(api_base).unwrap_or_default(), token }
    }

    pub fn get(&self, url: &str) -> Result<Reply, GitHubError> {
        let mut current = url.to_owned();
        for _ in 0..=MAX_REDIRECTS {
            let from_api = origin_of(&current).is_some_and(|o| o == self.api_origin);
            let mut request = self.agent.get(&current);
            if from_api {
                request = request
                    .header("Accept", "application/vnd.github+json")
                    .header("X-GitHub-Api-Version", "2022-11-28");
                if let Some(token) = &self.token {
                    request = request.header("Authorization", format!("Bearer {token}"));
                }
            }
            let response = request.call().map_err(|error| network(&current, &error))?;
            let status = response.status().as_u16();
            if matches!(status, 301 | 302 | 303 | 307 | 308) {
                let location = response.headers().get("location").and_then(|v| v.to_str().ok());
                let Some(location) = location else {
                    return Err(GitHubError::BadResponse {
                        url: shown(&current),
                        detail: format!("a {status} redirect without a Location"),
                    });
                };
                current = resolve(&current, location);
                continue;
            }
            return Ok(Reply { status, url: current, from_api, response });
        }
        Err(GitHubError::TooManyRedirects { url: shown(url), limit: MAX_REDIRECTS })
    }
}

/// A transport failure, naming the host. The URL's query is cut from the
/// detail: a private download link carries a token there.
pub(super) fn network(url: &str, error: &ureq::Error) -> GitHubError {
    let mut detail = error.to_string();
    if let Some((_, query)) = url.split_once('?') {
        detail = detail.replace(query, "…");
    }
    GitHubError::Network { host: host_of(url), detail }
}

/// The URL without its query or fragment, for messages.
pub(super) fn shown(url: &str) -> String {
    match Url::parse(url) {
        Ok(mut parsed) => {
            parsed.set_query(None);
            parsed.set_fragment(None);
            parsed.into()
        }
        // Not a URL: cut by hand, since it is only shown.
        Err(_) => url.split(['?', '#']).next().unwrap_or(url).to_owned(),
    }
}

/// `host[:port]` (the port only when it is not the scheme's default), for
/// messages; a string that is no URL is shown as it is, without its query.
pub(super) fn host_of(url: &str) -> String {
    let parsed = Url::parse(url).ok();
    match parsed.as_ref().and_then(|u| u.host_str().map(|host| (host, u.port()))) {
        Some((host, Some(port))) => format!("{host}:{port}"),
        Some((host, None)) => host.to_owned(),
        None => shown(url),
    }
}

/// `scheme://host[:port]`, lowercase, without the scheme's default port, so
/// two spellings of one origin compare equal. `None` for what is no URL or
/// has no such origin (`data:`, `file:`), which never matches the API's.
pub(super) fn origin_of(url: &str) -> Option<String> {
    let origin = Url::parse(url).ok()?.origin();
    origin.is_tuple().then(|| origin.ascii_serialization())
}

/// The target of a `Location` header, which may be relative. One that
/// cannot be resolved is returned as it is, and its request then fails.
pub(super) fn resolve(base: &str, location: &str) -> String {
    Url::parse(base).and_then(|base| base.join(location)).map_or_else(|_| location.to_owned(), String::from)
}

/// Percent-encodes a path part (a tag can hold `+`, `#` or spaces); `/`
/// is kept, as in `git/ref/tags/a/b`.
pub(super) fn encode(part: &str) -> String {
    m13_rules::url::encode_path(part)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_compare_host_scheme_and_port() {
        assert_eq!(origin_of("https://API.github.com/repos/a/b").as_deref(), Some("https://api.github.com"));
        assert_eq!(origin_of("https://api.github.com:443/x"), origin_of("https://api.github.com"));
        assert_ne!(origin_of("https://codeload.github.com/a"), origin_of("https://api.github.com"));
        assert_ne!(origin_of("http://localhost:8080/a"), origin_of("http://127.0.0.1:8080"));
        assert_ne!(origin_of("http://api.github.com/a"), origin_of("https://api.github.com"));
        assert_eq!(origin_of("not a url"), None);
        assert_eq!(origin_of("file:///etc/passwd"), None);
        assert_eq!(origin_of("HTTP://User:pw@LOCALHOST:80/a").as_deref(), Some("http://localhost"));
    }

    #[test]
    fn locations_resolve_against_the_request() {
        let base = "https://api.github.com/repos/a/b/zipball/t?x=1";
        assert_eq!(resolve(base, "https://codeload.github.com/a/b/zip/t"), "https://codeload.github.com/a/b/zip/t");
        assert_eq!(resolve(base, "/repositories/1/zipball/t"), "https://api.github.com/repositories/1/zipball/t");
        assert_eq!(resolve(base, "//codeload.github.com/z"), "https://codeload.github.com/z");
        assert_eq!(resolve(base, "u"), "https://api.github.com/repos/a/b/zipball/u");
        assert_eq!(resolve(base, "../x?y=1"), "https://api.github.com/repos/a/b/x?y=1");
        assert_eq!(resolve("http://127.0.0.1:8080/a/b", "/c"), "http://127.0.0.1:8080/c");
    }

    #[test]
    fn hosts_for_messages() {
        assert_eq!(host_of("https://user:secret@codeload.github.com/a?token=x"), "codeload.github.com");
        assert_eq!(host_of("http://127.0.0.1:8080/a"), "127.0.0.1:8080");
        assert_eq!(host_of("https://api.github.com:443/a"), "api.github.com");
        assert_eq!(host_of("not a url?token=x"), "not a url");
    }

    #[test]
    fn tags_are_encoded_for_the_path() {
        assert_eq!(encode("milestone-13.1"), "milestone-13.1");
        assert_eq!(encode("a b#c/d"), "a%20b%23c/d");
    }

    #[test]
    fn messages_hide_queries() {
        assert_eq!(
            shown("https://codeload.github.com/a/b/zip/t?token=SECRET"),
            "https://codeload.github.com/a/b/zip/t"
        );
        assert_eq!(host_of("http://user:pw@127.0.0.1:9/x"), "127.0.0.1:9");
    }
}
