//! GitHub links as students post them: a release page, or one of the many
//! things that are not one (the repository, a branch, a commit, the list of
//! releases...). Pure string work, shared by the `release-tag` rule, the CLI
//! and the web app.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;

/// The schemes a posted link may start with; compared case-insensitively.
const SCHEMES: [&str; 2] = ["https://", "http://"];

/// How a URL may start without a scheme, as students paste them:
/// github.com's host, with or without `www.`, followed by a path.
const HOSTS_WITHOUT_SCHEME: [&str; 2] = ["github.com/", "www.github.com/"];

/// Whether `host` (as written in a URL, any case) is github.com.
pub fn is_github_host(host: &str) -> bool {
    host.eq_ignore_ascii_case("github.com") || host.eq_ignore_ascii_case("www.github.com")
}

/// Where a URL starts in `text`, in bytes: the first scheme, or github.com's
/// host (`www.` or not) without one, in any case. `Ana, GitHub.com/ana/r`
/// holds one at 5. The CLI reads its arguments and `--from` lines with it,
/// so it agrees with [`GitHubLink::parse`] on what is a URL.
pub fn url_start(text: &str) -> Option<usize> {
    let lower = text.to_ascii_lowercase();
    SCHEMES.iter().chain(&HOSTS_WITHOUT_SCHEME).filter_map(|start| lower.find(start)).min()
}

/// Whether `text` reads as a URL rather than a file path: it starts with a
/// scheme or with github.com's host (`www.github.com/...` too).
pub fn looks_like_url(text: &str) -> bool {
    url_start(text) == Some(0)
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    text.get(..prefix.len()).filter(|s| s.eq_ignore_ascii_case(prefix)).and(text.get(prefix.len()..))
}

/// What a GitHub URL points at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum GitHubLink {
    /// `/OWNER/REPO/releases/tag/TAG`: what the page asks for.
    Release { owner: String, repo: String, tag: String },
    /// `/OWNER/REPO` alone.
    Repository { owner: String, repo: String },
    /// `/OWNER/REPO/tree/REF` (a branch, usually `main`) or `/blob/REF/...`.
    Tree { owner: String, repo: String, reference: String },
    /// `/OWNER/REPO/commit/SHA`.
    Commit { owner: String, repo: String, sha: String },
    /// `/OWNER/REPO/releases` or `/releases/latest`.
    Releases { owner: String, repo: String, latest: bool },
    /// `/OWNER/REPO/archive/refs/tags/TAG.zip` or `/zipball/TAG`: a download.
    Archive { owner: String, repo: String, reference: String },
    /// `/OWNER/REPO/tags` or a compare, pull request, issue...
    Other { owner: String, repo: String, what: String },
}

/// Why a string is not a GitHub repository link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotGitHub(pub String);

impl GitHubLink {
    pub fn parse(url: &str) -> Result<GitHubLink, NotGitHub> {
        let trimmed = url.trim();
        let rest = SCHEMES.iter().find_map(|scheme| strip_prefix_ignore_case(trimmed, scheme)).unwrap_or(trimmed);
        let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
        if !is_github_host(host) {
            return Err(NotGitHub(format!("`{trimmed}` is not a github.com link")));
        }
        let path = path.split(['?', '#']).next().unwrap_or("");
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        let (owner, repo) = match parts.as_slice() {
            [owner, repo, ..] => ((*owner).to_owned(), repo.trim_end_matches(".git").to_owned()),
            _ => return Err(NotGitHub(format!("`{trimmed}` does not name a repository (github.com/OWNER/REPO)"))),
        };
        let tail: Vec<String> = parts.iter().skip(2).map(|p| percent_decode(p)).collect();
        let tail: Vec<&str> = tail.iter().map(String::as_str).collect();
        Ok(match tail.as_slice() {
            [] => GitHubLink::Repository { owner, repo },
            ["releases", "tag", tag @ ..] if !tag.is_empty() => GitHubLink::Release { owner, repo, tag: tag.join("/") },
            ["releases", "latest"] => GitHubLink::Releases { owner, repo, latest: true },
            ["releases"] | ["releases", "tag"] => GitHubLink::Releases { owner, repo, latest: false },
            ["tree" | "blob", reference, ..] => GitHubLink::Tree { owner, repo, reference: (*reference).to_owned() },
            ["commit", sha, ..] => GitHubLink::Commit { owner, repo, sha: (*sha).to_owned() },
            ["archive", "refs", "tags", file] | ["archive", file] => GitHubLink::Archive {
                owner,
                repo,
                reference: file.trim_end_matches(".zip").trim_end_matches(".tar.gz").to_owned(),
            },
            ["zipball" | "tarball", reference] => {
                GitHubLink::Archive { owner, repo, reference: (*reference).to_owned() }
            }
            other => GitHubLink::Other { owner, repo, what: other.join("/") },
        })
    }

    pub fn owner_repo(&self) -> (&str, &str) {
        match self {
            GitHubLink::Release { owner, repo, .. }
            | GitHubLink::Repository { owner, repo }
            | GitHubLink::Tree { owner, repo, .. }
            | GitHubLink::Commit { owner, repo, .. }
            | GitHubLink::Releases { owner, repo, .. }
            | GitHubLink::Archive { owner, repo, .. }
            | GitHubLink::Other { owner, repo, .. } => (owner, repo),
        }
    }

    /// What a reviewer should say about a link that is not a release page.
    pub fn explain(&self) -> String {
        match self {
            GitHubLink::Release { tag, .. } => format!("a release page for the tag `{tag}`"),
            GitHubLink::Repository { .. } => {
                "a link to the repository, which shows the main branch, not a release: stop and ask for the release URL".to_owned()
            }
            GitHubLink::Tree { reference, .. } => format!(
                "a link to the branch or ref `{reference}`, not a release: stop and ask for the release URL (…/releases/tag/milestone-13.N)"
            ),
            GitHubLink::Commit { sha, .. } => format!("a link to the commit `{sha}`, not a release: ask for the release URL"),
            GitHubLink::Releases { latest: true, .. } => {
                "a link to the latest release, which changes with every new release: ask for the URL of the milestone-13 release itself".to_owned()
            }
            GitHubLink::Releases { latest: false, .. } => "a link to the list of releases: ask for the URL of the milestone-13 release".to_owned(),
            GitHubLink::Archive { reference, .. } => {
                format!("a download link for `{reference}`: ask for the release page URL (…/releases/tag/{reference})")
            }
            GitHubLink::Other { what, .. } => format!("a link to `{what}`, not a release page"),
        }
    }
}

/// Decodes `%XX` escapes; an invalid one (`%zz`, `%+a`: two hex digits or
/// nothing) is kept as written, and bytes that are not UTF-8 become U+FFFD.
/// Shared with the web app, which reads `?url=` with it.
pub fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text).decode_utf8_lossy().into_owned()
}

/// Every byte outside RFC 3986's unreserved set (`A-Z a-z 0-9 - . _ ~`):
/// one path segment (an owner, a repository, a blob's sha), which must not
/// hold `/`, `?` or `#`.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// A query component (the value after `title=`): `&`, `=`, `+` and `#`
/// would end or change it, so the same strict set as a segment.
const QUERY_COMPONENT: &AsciiSet = SEGMENT;

/// A path of several segments, or a relative URI reference such as a SARIF
/// `artifactLocation.uri`: a segment's set with `/` kept. `:` stays encoded,
/// so `c:x/y` cannot read as a URI with the scheme `c`.
const PATH: &AsciiSet = &SEGMENT.remove(b'/');

/// Percent-encodes one segment of a URL path, `/` included.
pub fn encode_segment(text: &str) -> String {
    // Collected, not `to_string()`: no formatter in the page's first load.
    utf8_percent_encode(text, SEGMENT).collect()
}

/// Percent-encodes a query component (an issue's title or body).
pub fn encode_query_component(text: &str) -> String {
    utf8_percent_encode(text, QUERY_COMPONENT).collect()
}

/// Percent-encodes each `/`-separated segment, keeping the slashes: a file
/// path, or a tag such as `milestone-13/final` (GitHub's API takes a tag
/// with `/` as several segments).
pub fn encode_path(path: &str) -> String {
    utf8_percent_encode(path, PATH).collect()
}

/// How a tag reads as a milestone name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TagReading {
    /// `milestone-13.N`: exactly what the page asks for.
    Milestone13,
    /// Milestone 13 spelled unusually (`Milestone-13.1`, `milestone-13`,
    /// `milestone13.2`); the string says how.
    Milestone13Unusual(String),
    /// Another milestone's tag, e.g. `milestone-10.1`.
    OtherMilestone(String),
    /// Not a milestone tag at all (`v1.0`, `main`).
    Unrelated,
}

pub fn read_tag(tag: &str) -> TagReading {
    let lower = tag.to_ascii_lowercase();
    let Some(rest) = lower.strip_prefix("milestone") else { return TagReading::Unrelated };
    let separated = rest.strip_prefix(['-', '_', ' ', '.']);
    let number_part = separated.unwrap_or(rest);
    let digits: String = number_part.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return TagReading::Unrelated;
    }
    if digits != "13" {
        return TagReading::OtherMilestone(digits.trim_start_matches('0').to_owned());
    }
    let suffix = number_part.get(digits.len()..).unwrap_or("");
    let has_point = suffix.strip_prefix('.').is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
    if tag.starts_with("milestone-13") && has_point && tag.len() == "milestone-13".len() + suffix.len() {
        return TagReading::Milestone13;
    }
    let mut notes = Vec::new();
    if !tag.starts_with("milestone") {
        notes.push("capitalised differently from `milestone-13.N`");
    }
    if separated.is_none() || !rest.starts_with('-') {
        notes.push("without the `-` after `milestone`");
    }
    if suffix.is_empty() {
        notes.push("without a `.N` release number");
    } else if !has_point {
        notes.push("with an unusual ending after `13`");
    }
    TagReading::Milestone13Unusual(notes.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_release_links() {
        assert_eq!(
            GitHubLink::parse("https://github.com/ana/cis-92/releases/tag/milestone-13.1"),
            Ok(GitHubLink::Release { owner: "ana".into(), repo: "cis-92".into(), tag: "milestone-13.1".into() })
        );
        assert!(matches!(GitHubLink::parse("github.com/ana/cis-92/tree/main"), Ok(GitHubLink::Tree { .. })));
        assert!(matches!(GitHubLink::parse("https://github.com/ana/cis-92"), Ok(GitHubLink::Repository { .. })));
        assert!(matches!(
            GitHubLink::parse("https://github.com/ana/cis-92/releases/latest"),
            Ok(GitHubLink::Releases { latest: true, .. })
        ));
        assert!(matches!(
            GitHubLink::parse("https://github.com/ana/cis-92/commit/abc123"),
            Ok(GitHubLink::Commit { .. })
        ));
        assert!(matches!(
            GitHubLink::parse("https://github.com/ana/cis-92/archive/refs/tags/milestone-13.1.zip"),
            Ok(GitHubLink::Archive { reference, .. }) if reference == "milestone-13.1"
        ));
        assert!(GitHubLink::parse("https://gitlab.com/ana/cis-92").is_err());
        assert!(GitHubLink::parse("https://github.com/ana").is_err());
        assert!(matches!(
            GitHubLink::parse("HTTPS://GitHub.com/ana/cis-92/releases/tag/milestone-13.1"),
            Ok(GitHubLink::Release { .. })
        ));
        assert!(matches!(GitHubLink::parse("www.github.com/ana/cis-92"), Ok(GitHubLink::Repository { .. })));
        assert!(GitHubLink::parse("https://github.com.evil.example/ana/cis-92").is_err());
        assert!(GitHubLink::parse("https://notgithub.com/ana/cis-92").is_err());
    }

    #[test]
    fn tells_urls_from_paths_whatever_their_case() {
        for url in [
            "https://github.com/ana/r",
            "HTTPS://GitHub.com/ana/r/releases/tag/milestone-13.1",
            "Http://example.com/x",
            "github.com/ana/r",
            "GitHub.COM/ana/r",
            "www.github.com/ana/r",
            "WWW.GitHub.com/ana/r",
        ] {
            assert!(looks_like_url(url), "{url}");
            assert!(GitHubLink::parse(url).is_ok() || url.contains("example"), "{url}");
        }
        for path in ["zips/ana.zip", "saved/github.com/a.zip", "./www.github.com", "github.com", "xgithub.com/a"] {
            assert!(!looks_like_url(path), "{path}");
        }
        assert_eq!(url_start("Ana Lopez, GitHub.com/ana/r"), Some(11));
        assert_eq!(url_start("Sam\twww.github.com/ana/r"), Some(4));
        assert_eq!(url_start("no url here"), None);
        assert!(is_github_host("GitHub.com") && is_github_host("WWW.github.COM"));
        assert!(!is_github_host("github.com.evil.example") && !is_github_host("gist.github.com"));
    }

    #[test]
    fn decodes_two_hex_digits_only() {
        assert_eq!(percent_decode("a%+ab%2Fc%zz"), "a%+ab/c%zz");
        // `%+a` is refused whole: `+a` is not read as a signed hex number.
        assert_eq!(percent_decode("%+a"), "%+a");
        assert_eq!(percent_decode("%-1%2"), "%-1%2");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%7e%7E"), "~~");
        // Non-ASCII: UTF-8 escapes decode to the character, a stray byte to U+FFFD.
        assert_eq!(percent_decode("%C3%BC%E2%9C%93"), "\u{fc}\u{2713}");
        assert_eq!(percent_decode("a%FFb"), "a\u{fffd}b");
        assert_eq!(percent_decode("\u{fc}"), "\u{fc}");
    }

    #[test]
    fn encodes_per_use() {
        assert_eq!(encode_path("milestone-13/final v2"), "milestone-13/final%20v2");
        assert_eq!(encode_path("c:x/my file#1?.yaml"), "c%3Ax/my%20file%231%3F.yaml");
        assert_eq!(encode_segment("a/b#c"), "a%2Fb%23c");
        assert_eq!(encode_segment("A-z.0_9~"), "A-z.0_9~");
        assert_eq!(encode_query_component("a&b=c+d e#f%"), "a%26b%3Dc%2Bd%20e%23f%25");
        // Non-ASCII is encoded as its UTF-8 bytes, and decodes back.
        assert_eq!(encode_segment("\u{fc}\u{2713}"), "%C3%BC%E2%9C%93");
        assert_eq!(encode_path("d\u{e9}p/\u{e9}"), "d%C3%A9p/%C3%A9");
        for text in ["milestone-13/\u{e9}t\u{e9} 2", "%+a & 100%", "a/b?c#d"] {
            assert_eq!(percent_decode(&encode_segment(text)), text);
            assert_eq!(percent_decode(&encode_path(text)), text);
            assert_eq!(percent_decode(&encode_query_component(text)), text);
        }
    }

    #[test]
    fn reads_tag_spellings() {
        assert_eq!(read_tag("milestone-13.1"), TagReading::Milestone13);
        assert_eq!(read_tag("milestone-13.12"), TagReading::Milestone13);
        assert!(matches!(read_tag("Milestone-13.1"), TagReading::Milestone13Unusual(n) if n.contains("capitalised")));
        assert!(matches!(read_tag("milestone-13"), TagReading::Milestone13Unusual(n) if n.contains(".N")));
        assert!(matches!(read_tag("milestone13.2"), TagReading::Milestone13Unusual(_)));
        assert_eq!(read_tag("milestone-10.1"), TagReading::OtherMilestone("10".into()));
        assert_eq!(read_tag("milestone-15.1"), TagReading::OtherMilestone("15".into()));
        assert_eq!(read_tag("milestone-130"), TagReading::OtherMilestone("130".into()));
        assert_eq!(read_tag("v1.0"), TagReading::Unrelated);
    }
}
