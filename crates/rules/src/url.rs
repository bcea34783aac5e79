//! GitHub links as students post them: a release page, or one of the many
//! things that are not one (the repository, a branch, a commit, the list of
//! releases...). Pure string work, shared by the `release-tag` rule, the CLI
//! and the web app.

use serde::Serialize;

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
        // Schemes and host names are case-insensitive: `HTTPS://GitHub.com/...` is github.com.
        let rest = ["https://", "http://"]
            .iter()
            .find_map(|scheme| {
                trimmed.get(..scheme.len()).filter(|s| s.eq_ignore_ascii_case(scheme)).and(trimmed.get(scheme.len()..))
            })
            .unwrap_or(trimmed);
        let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
        let host = host.to_ascii_lowercase();
        if host != "github.com" && host != "www.github.com" {
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

/// Decodes `%XX` escapes (invalid ones are kept as written); shared with
/// the web app, which reads `?url=` with it.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        // Two hex digits exactly (`from_str_radix` alone would take `%+a`).
        let hex = bytes
            .get(i + 1..i + 3)
            .filter(|h| h.iter().all(u8::is_ascii_hexdigit))
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b, hex) {
            (b'%', Some(value)) => {
                out.push(value);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encodes every byte outside RFC 3986's unreserved set, `/`
/// included: one segment of a URL path (an owner, a repository).
pub fn encode_segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// [`encode_segment`] for each `/`-separated segment, keeping the slashes:
/// a file path, or a tag such as `milestone-13/final` (GitHub's API takes a
/// tag with `/` as several segments).
pub fn encode_path(path: &str) -> String {
    path.split('/').map(encode_segment).collect::<Vec<_>>().join("/")
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
        assert_eq!(percent_decode("a%+ab%2Fc%zz"), "a%+ab/c%zz");
        assert_eq!(encode_path("milestone-13/final v2"), "milestone-13/final%20v2");
        assert_eq!(encode_segment("a/b#c"), "a%2Fb%23c");
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
