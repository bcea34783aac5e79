//! `GitHub::fetch` against a local stand-in for api.github.com: the release
//! lookups, the zipball download with its redirect, and the failures a
//! student's link or a campus network produce. No real network is used.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers stop loudly, like the tests they serve (clippy.toml covers the tests themselves)"
)]

mod common;
mod server;

use std::time::{SystemTime, UNIX_EPOCH};

use m13_rules::{ReleaseProof, SourceKind};
use m13_source::Source;
use m13_source::github::{GitHub, GitHubError, RateLimit};

use common::github_zipball;
use server::{Answer, MockServer};

const RELEASE_URL: &str = "https://github.com/ana/cis-92/releases/tag/milestone-13.1";
const RELEASE_JSON: &str =
    r#"{"tag_name":"milestone-13.1","name":"Milestone 13","draft":false,"prerelease":false,"assets":[]}"#;

fn paths(fetched: &m13_source::github::Fetched) -> Vec<&str> {
    fetched.source.entries().iter().map(|e| e.path.as_str()).collect()
}

#[test]
fn a_published_release_is_proved_and_downloaded() {
    let server = MockServer::start(|request, _| match request.path.as_str() {
        "/repos/ana/cis-92/releases/tags/milestone-13.1" => Answer::json(200, RELEASE_JSON)
            .with_header("x-ratelimit-limit", "5000")
            .with_header("x-ratelimit-remaining", "4998")
            .with_header("x-ratelimit-reset", "1700000000"),
        "/repos/ana/cis-92/zipball/milestone-13.1" => Answer::bytes(github_zipball()),
        _ => Answer::not_found(),
    });
    let github = GitHub::with_api_base(&server.base(), Some("sekret".into()));
    let fetched = github.fetch(RELEASE_URL).unwrap();

    assert_eq!(fetched.origin.posted_url.as_deref(), Some(RELEASE_URL));
    assert_eq!(fetched.origin.source, SourceKind::GitHub);
    assert_eq!(
        fetched.origin.release,
        ReleaseProof::Published {
            tag: "milestone-13.1".into(),
            name: Some("Milestone 13".into()),
            draft: false,
            prerelease: false
        }
    );
    assert_eq!(paths(&fetched), ["README.md", "deployment/deployment.yaml", "mysite/mysite/settings.py"]);
    assert_eq!(fetched.source.name(), "cis-92-milestone-13.1.zip");
    assert_eq!(github.rate_limit(), Some(RateLimit { remaining: 4998, reset: 1_700_000_000, limit: Some(5000) }));

    // Two calls, each with the API's headers and the token.
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(request.header("authorization"), Some("Bearer sekret"));
        assert_eq!(request.header("accept"), Some("application/vnd.github+json"));
        assert_eq!(request.header("x-github-api-version"), Some("2022-11-28"));
        assert_eq!(request.header("user-agent"), Some("milestone-check"));
    }
}

#[test]
fn without_a_token_no_authorization_is_sent() {
    let server = MockServer::start(|request, _| match request.path.as_str() {
        "/repos/ana/cis-92/releases/tags/milestone-13.1" => Answer::json(200, RELEASE_JSON),
        "/ana/cis-92/archive/refs/tags/milestone-13.1.zip" => Answer::bytes(github_zipball()),
        _ => Answer::not_found(),
    });
    GitHub::with_api_base(&server.base(), None).fetch(RELEASE_URL).unwrap();
    assert!(server.requests().iter().all(|r| r.header("authorization").is_none()));
}

#[test]
fn without_a_token_the_zip_comes_from_the_release_page_not_the_api() {
    let server = MockServer::start(|request, _| match request.path.as_str() {
        "/repos/ana/cis-92/releases/tags/milestone-13.1" => Answer::json(200, RELEASE_JSON),
        "/ana/cis-92/archive/refs/tags/milestone-13.1.zip" => Answer::bytes(github_zipball()),
        "/repos/ana/cis-92/zipball/milestone-13.1" => Answer::json(500, r#"{"message":"not this one"}"#),
        _ => Answer::not_found(),
    });
    let fetched = GitHub::with_api_base(&server.base(), None).fetch(RELEASE_URL).unwrap();
    assert_eq!(paths(&fetched).len(), 3);
    // One API call per release: a class of 40 fits in the anonymous 60 an hour.
    assert_eq!(
        server.paths(),
        ["/repos/ana/cis-92/releases/tags/milestone-13.1", "/ana/cis-92/archive/refs/tags/milestone-13.1.zip"]
    );
}

#[test]
fn when_the_release_page_has_no_zip_the_api_is_asked() {
    // As for a private repository: the site answers 404, the API knows more.
    let server = MockServer::start(|request, _| match request.path.as_str() {
        "/repos/ana/cis-92/releases/tags/milestone-13.1" => Answer::json(200, RELEASE_JSON),
        "/repos/ana/cis-92/zipball/milestone-13.1" => Answer::bytes(github_zipball()),
        _ => Answer::not_found(),
    });
    let fetched = GitHub::with_api_base(&server.base(), None).fetch(RELEASE_URL).unwrap();
    assert_eq!(paths(&fetched).len(), 3);
    assert_eq!(
        server.paths(),
        [
            "/repos/ana/cis-92/releases/tags/milestone-13.1",
            "/ana/cis-92/archive/refs/tags/milestone-13.1.zip",
            "/repos/ana/cis-92/zipball/milestone-13.1",
        ]
    );
}

#[test]
fn the_token_follows_a_redirect_on_the_api_host_only() {
    let server = MockServer::start(|request, port| match request.path.as_str() {
        "/repos/ana/cis-92/releases/tags/milestone-13.1" => Answer::json(200, RELEASE_JSON),
        // Like a renamed repository: same host, so the token still applies.
        "/repos/ana/cis-92/zipball/milestone-13.1" => Answer::redirect("/repositories/42/zipball/milestone-13.1"),
        // Like codeload.github.com: another host.
        "/repositories/42/zipball/milestone-13.1" => {
            Answer::redirect(&format!("http://localhost:{port}/codeload/ana/cis-92/zip/milestone-13.1?token=PRIVATE"))
        }
        "/codeload/ana/cis-92/zip/milestone-13.1?token=PRIVATE" => Answer::bytes(github_zipball()),
        _ => Answer::not_found(),
    });
    let fetched = GitHub::with_api_base(&server.base(), Some("sekret".into())).fetch(RELEASE_URL).unwrap();
    assert_eq!(paths(&fetched).len(), 3);

    let requests = server.requests();
    let paths: Vec<&str> = requests.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "/repos/ana/cis-92/releases/tags/milestone-13.1",
            "/repos/ana/cis-92/zipball/milestone-13.1",
            "/repositories/42/zipball/milestone-13.1",
            "/codeload/ana/cis-92/zip/milestone-13.1?token=PRIVATE",
        ]
    );
    assert_eq!(requests[2].header("authorization"), Some("Bearer sekret"));
    assert!(requests[3].header("host").is_some_and(|h| h.starts_with("localhost:")));
    assert_eq!(requests[3].header("authorization"), None);
    assert_eq!(requests[3].header("x-github-api-version"), None);
}

#[test]
fn a_tag_without_a_release_is_a_proof_not_an_error() {
    let server = MockServer::start(|request, _| match request.path.as_str() {
        "/repos/ana/cis-92/git/ref/tags/milestone-13.1" => {
            Answer::json(200, r#"{"ref":"refs/tags/milestone-13.1","object":{"type":"commit","sha":"1a2b3c4"}}"#)
        }
        "/ana/cis-92/archive/refs/tags/milestone-13.1.zip" => Answer::bytes(github_zipball()),
        _ => Answer::not_found(),
    });
    let fetched = GitHub::with_api_base(&server.base(), None).fetch(RELEASE_URL).unwrap();
    assert_eq!(fetched.origin.release, ReleaseProof::TagWithoutRelease { tag: "milestone-13.1".into() });
    assert_eq!(
        server.paths(),
        [
            "/repos/ana/cis-92/releases/tags/milestone-13.1",
            "/repos/ana/cis-92/git/ref/tags/milestone-13.1",
            "/ana/cis-92/archive/refs/tags/milestone-13.1.zip",
        ]
    );
}

#[test]
fn a_branch_posted_as_a_tag_is_checked_with_no_such_tag() {
    let server = MockServer::start(|request, _| match request.path.as_str() {
        "/repos/ana/cis-92/zipball/main" => Answer::bytes(github_zipball()),
        _ => Answer::not_found(),
    });
    let url = "https://github.com/ana/cis-92/releases/tag/main";
    let fetched = GitHub::with_api_base(&server.base(), None).fetch(url).unwrap();
    assert_eq!(fetched.origin.release, ReleaseProof::NoSuchTag { tag: "main".into() });
    assert_eq!(
        server.paths(),
        [
            "/repos/ana/cis-92/releases/tags/main",
            "/repos/ana/cis-92/git/ref/tags/main",
            "/repos/ana/cis-92/zipball/main",
        ]
    );
}

#[test]
fn a_missing_tag_in_an_existing_repository() {
    let server = MockServer::start(|request, _| match request.path.as_str() {
        "/repos/ana/cis-92" => Answer::json(200, r#"{"full_name":"ana/cis-92","default_branch":"main"}"#),
        _ => Answer::not_found(),
    });
    let error = GitHub::with_api_base(&server.base(), None).fetch(RELEASE_URL).unwrap_err();
    assert!(matches!(error, GitHubError::NoSuchTag { .. }), "{error:?}");
    assert_eq!(
        error.to_string(),
        "`ana/cis-92` has no tag `milestone-13.1`: check the spelling in the release URL, or publish the release"
    );
}

#[test]
fn a_missing_or_private_repository() {
    let server = MockServer::start(|_, _| Answer::not_found());
    let error = GitHub::with_api_base(&server.base(), None).fetch(RELEASE_URL).unwrap_err();
    assert!(matches!(error, GitHubError::NoSuchRepository { .. }), "{error:?}");
    assert_eq!(
        error.to_string(),
        "`ana/cis-92` does not exist or is private; a token with access can read a private repository"
    );
    assert_eq!(server.paths().last().map(String::as_str), Some("/repos/ana/cis-92"));
}

#[test]
fn a_spent_rate_limit_names_the_reset_time() {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
    let reset = now + 30 * 60;
    let server = MockServer::start(move |_, _| {
        Answer::json(403, r#"{"message":"API rate limit exceeded for 10.0.0.1."}"#)
            .with_header("x-ratelimit-limit", "60")
            .with_header("x-ratelimit-remaining", "0")
            .with_header("x-ratelimit-reset", &reset.to_string())
    });
    let github = GitHub::with_api_base(&server.base(), None);
    let error = github.fetch(RELEASE_URL).unwrap_err();
    assert!(matches!(error, GitHubError::RateLimited { .. }), "{error:?}");
    let of_day = reset % 86_400;
    let clock = format!("{:02}:{:02} UTC", of_day / 3600, of_day % 3600 / 60);
    let message = error.to_string();
    assert!(
        message.starts_with("GitHub's API rate limit is used up (60 requests an hour without a token); "),
        "{message}"
    );
    assert!(message.contains(&format!("it resets at {clock} (in 30 minutes)")), "{message}");
    assert!(message.ends_with("Use --token or download the zip."), "{message}");
    assert_eq!(github.rate_limit().map(|r| r.remaining), Some(0));
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn a_secondary_rate_limit_says_when_to_retry() {
    let server = MockServer::start(|_, _| {
        Answer::json(429, r#"{"message":"You have exceeded a secondary rate limit"}"#).with_header("retry-after", "60")
    });
    let error = GitHub::with_api_base(&server.base(), None).fetch(RELEASE_URL).unwrap_err();
    assert!(error.to_string().ends_with("try again in 60 seconds"), "{error}");
}

#[test]
fn a_refused_token_is_named() {
    let server = MockServer::start(|_, _| Answer::json(401, r#"{"message":"Bad credentials"}"#));
    let error = GitHub::with_api_base(&server.base(), Some("expired".into())).fetch(RELEASE_URL).unwrap_err();
    assert!(matches!(error, GitHubError::BadCredentials), "{error:?}");
    assert!(!format!("{error} {error:?}").contains("expired"));
}

#[test]
fn a_server_that_hangs_up_is_a_network_error() {
    let server = MockServer::start(|_, _| Answer::HangUp);
    let error = GitHub::with_api_base(&server.base(), None).fetch(RELEASE_URL).unwrap_err();
    assert!(matches!(error, GitHubError::Network { .. }), "{error:?}");
    let expected = format!("could not reach 127.0.0.1:{}: ", server.port);
    assert!(error.to_string().starts_with(&expected), "{error}");
}

#[test]
fn nothing_listening_is_a_network_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let error = GitHub::with_api_base(&format!("http://127.0.0.1:{port}"), None).fetch(RELEASE_URL).unwrap_err();
    assert!(error.to_string().starts_with(&format!("could not reach 127.0.0.1:{port}: ")), "{error}");
}

#[test]
fn a_branch_link_is_downloaded_but_proves_nothing() {
    let server = MockServer::start(|request, _| match request.path.as_str() {
        "/repos/ana/cis-92/zipball/main" => Answer::bytes(github_zipball()),
        _ => Answer::not_found(),
    });
    let fetched = GitHub::with_api_base(&server.base(), None).fetch("https://github.com/ana/cis-92/tree/main").unwrap();
    assert_eq!(
        fetched.origin.release,
        ReleaseProof::NotChecked { reason: "the link is a branch/commit, not a release".into() }
    );
    assert_eq!(server.paths(), ["/repos/ana/cis-92/zipball/main"]);
}

#[test]
fn a_repository_link_downloads_the_default_branch() {
    let server = MockServer::start(|request, _| match request.path.as_str() {
        "/repos/ana/cis-92/zipball" => Answer::bytes(github_zipball()),
        _ => Answer::not_found(),
    });
    let fetched = GitHub::with_api_base(&server.base(), None).fetch("https://github.com/ana/cis-92").unwrap();
    assert!(matches!(fetched.origin.release, ReleaseProof::NotChecked { .. }));
    assert_eq!(fetched.source.name(), "cis-92.zip");
}

#[test]
fn a_missing_branch_is_told_from_a_missing_repository() {
    let server = MockServer::start(|request, _| match request.path.as_str() {
        "/repos/ana/cis-92" => Answer::json(200, "{}"),
        _ => Answer::not_found(),
    });
    let error =
        GitHub::with_api_base(&server.base(), None).fetch("https://github.com/ana/cis-92/tree/mian").unwrap_err();
    assert_eq!(error.to_string(), "`ana/cis-92` has no branch, tag or commit `mian`");
}

#[test]
fn the_latest_release_link_is_resolved_to_its_tag() {
    let server = MockServer::start(|request, _| match request.path.as_str() {
        "/repos/ana/cis-92/releases/latest" => Answer::json(200, RELEASE_JSON),
        "/ana/cis-92/archive/refs/tags/milestone-13.1.zip" => Answer::bytes(github_zipball()),
        _ => Answer::not_found(),
    });
    let fetched =
        GitHub::with_api_base(&server.base(), None).fetch("https://github.com/ana/cis-92/releases/latest").unwrap();
    assert!(matches!(&fetched.origin.release, ReleaseProof::Published { tag, .. } if tag == "milestone-13.1"));
    assert_eq!(
        server.paths(),
        ["/repos/ana/cis-92/releases/latest", "/ana/cis-92/archive/refs/tags/milestone-13.1.zip"]
    );
}

#[test]
fn links_with_nothing_to_download_ask_for_the_release() {
    let server = MockServer::start(|_, _| Answer::not_found());
    let github = GitHub::with_api_base(&server.base(), None);
    let error = github.fetch("https://github.com/ana/cis-92/issues/3").unwrap_err();
    assert_eq!(
        error.to_string(),
        "cannot check `https://github.com/ana/cis-92/issues/3`: it is a link to `issues/3`, not a release page"
    );
    let error = github.fetch("https://github.com/ana/cis-92/releases").unwrap_err();
    assert!(error.to_string().contains("the list of releases"), "{error}");
    let error = github.fetch("https://gitlab.com/ana/cis-92").unwrap_err();
    assert!(matches!(error, GitHubError::NotGitHub(_)));
    assert!(server.requests().is_empty());
}

#[test]
fn a_download_over_the_cap_is_refused() {
    let server = MockServer::start(|request, _| match request.path.as_str() {
        "/repos/ana/cis-92/releases/tags/milestone-13.1" => Answer::json(200, RELEASE_JSON),
        "/repos/ana/cis-92/zipball/milestone-13.1" => Answer::bytes(vec![0; 5000]),
        "/repos/ana/cis-92/zipball/main" => Answer::Unsized(vec![0; 5000]),
        _ => Answer::not_found(),
    });
    let github = GitHub::with_api_base(&server.base(), None).with_max_download(4096);
    let declared = github.fetch(RELEASE_URL).unwrap_err();
    assert_eq!(
        declared.to_string(),
        "the download of `ana/cis-92@milestone-13.1` is larger than the 4 KiB limit (4.9 KiB)"
    );
    let streamed = github.fetch("https://github.com/ana/cis-92/tree/main").unwrap_err();
    assert_eq!(streamed.to_string(), "the download of `ana/cis-92@main` is larger than the 4 KiB limit");
}

#[test]
fn a_download_that_is_not_a_zip_says_so() {
    let server = MockServer::start(|request, _| match request.path.as_str() {
        "/repos/ana/cis-92/releases/tags/milestone-13.1" => Answer::json(200, RELEASE_JSON),
        _ => Answer::json(200, "<!DOCTYPE html><html>maintenance</html>"),
    });
    let error = GitHub::with_api_base(&server.base(), None).fetch(RELEASE_URL).unwrap_err();
    assert!(matches!(error, GitHubError::NotZip { .. }), "{error:?}");
    assert_eq!(
        error.to_string(),
        "the download of `ana/cis-92@milestone-13.1` is not a usable zip: \
         `cis-92-milestone-13.1.zip` is not a zip file: it is a web page (HTML), not the download itself"
    );
}

#[test]
fn the_token_never_shows_in_debug_output() {
    let github = GitHub::with_api_base("http://127.0.0.1:9", Some("ghp_secret".into()));
    let shown = format!("{github:?}");
    assert!(!shown.contains("ghp_secret"), "{shown}");
    assert!(shown.contains("<hidden>"), "{shown}");
}
