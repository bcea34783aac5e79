//! What the user typed or deep-linked: a release to check, or a link that
//! is not a release and must be explained instead of checked.

use m13_rules::url::GitHubLink;
use serde::{Deserialize, Serialize};

/// A release named by its page URL: everything a check needs to ask GitHub.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleaseRef {
    pub owner: String,
    pub repo: String,
    pub tag: String,
    /// The URL as posted (trimmed), which the `release-tag` rule judges.
    pub url: String,
}

impl ReleaseRef {
    /// The canonical release page URL.
    pub fn page_url(&self) -> String {
        format!("https://github.com/{}/{}/releases/tag/{}", self.owner, self.repo, self.tag)
    }
}

/// How the page reads the URL field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Nothing typed yet.
    Empty,
    /// A release page: check it.
    Release(ReleaseRef),
    /// A GitHub link that is not a release page. `explanation` says what it
    /// is and what to do; `suggestion` is a release URL the link points to
    /// (a download or a tag's tree), if any.
    NotRelease { explanation: String, suggestion: Option<String> },
    /// Not a GitHub repository link at all.
    NotGitHub(String),
}

/// Branch names that mean "they posted the default branch".
const MAIN_BRANCHES: &[&str] = &["main", "master", "HEAD"];

/// Reads the URL field (or a `?url=` deep link).
pub fn classify(text: &str) -> Input {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Input::Empty;
    }
    let link = match GitHubLink::parse(trimmed) {
        Ok(link) => link,
        Err(error) => {
            return Input::NotGitHub(format!(
                "{}. Paste the release page's URL: https://github.com/OWNER/REPO/releases/tag/milestone-13.N",
                error.0
            ));
        }
    };
    let (owner, repo) = link.owner_repo();
    let release_url = |tag: &str| format!("https://github.com/{owner}/{repo}/releases/tag/{tag}");
    match &link {
        GitHubLink::Release { owner, repo, tag } => Input::Release(ReleaseRef {
            owner: owner.clone(),
            repo: repo.clone(),
            tag: tag.clone(),
            url: trimmed.to_owned(),
        }),
        GitHubLink::Tree { reference, .. } if MAIN_BRANCHES.contains(&reference.as_str()) => Input::NotRelease {
            explanation: format!(
                "This is the {reference} branch, not a release: stop and ask for the release URL (…/releases/tag/milestone-13.N)."
            ),
            suggestion: None,
        },
        GitHubLink::Tree { reference, .. } if reference.to_ascii_lowercase().starts_with("milestone") => {
            Input::NotRelease {
                explanation: format!(
                    "This is {}. It names a tag, so the release may exist: ask for its release page URL, or check it below.",
                    link.explain()
                ),
                suggestion: Some(release_url(reference)),
            }
        }
        GitHubLink::Archive { reference, .. } => Input::NotRelease {
            explanation: format!("This is {}.", link.explain()),
            suggestion: Some(release_url(reference)),
        },
        _ => {
            Input::NotRelease { explanation: format!("This is {}.", capitalise_end(&link.explain())), suggestion: None }
        }
    }
}

/// `explain()` texts are clauses; make sure the sentence ends with a period.
fn capitalise_end(text: &str) -> String {
    if text.ends_with('.') { text.to_owned() } else { format!("{text}.") }
}

/// The `url` parameter of a query string such as `?url=https%3A%2F%2F…`,
/// decoded. The browser's `URLSearchParams` does this at the edge; this pure
/// version keeps the rule testable and is used natively.
pub fn url_parameter(query: &str) -> Option<String> {
    let query = query.strip_prefix('?').unwrap_or(query);
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key == "url")
            .then(|| m13_rules::url::percent_decode(&value.replace('+', " ")))
            .filter(|v| !v.trim().is_empty())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn explanation(text: &str) -> String {
        match classify(text) {
            Input::NotRelease { explanation, .. } => explanation,
            other => panic!("expected NotRelease for {text}, got {other:?}"),
        }
    }

    #[test]
    fn a_release_page_is_checked() {
        let Input::Release(release) = classify("  https://github.com/ana/cis-92/releases/tag/milestone-13.1 \n") else {
            panic!("not a release");
        };
        assert_eq!(release.owner, "ana");
        assert_eq!(release.repo, "cis-92");
        assert_eq!(release.tag, "milestone-13.1");
        assert_eq!(release.url, "https://github.com/ana/cis-92/releases/tag/milestone-13.1");
        assert_eq!(release.page_url(), release.url);
    }

    #[test]
    fn a_release_without_scheme_is_checked() {
        assert!(
            matches!(classify("github.com/ana/cis-92/releases/tag/Milestone-13.1"), Input::Release(r) if r.tag == "Milestone-13.1")
        );
    }

    #[test]
    fn the_main_branch_is_explained_plainly() {
        assert_eq!(
            explanation("https://github.com/ana/cis-92/tree/main"),
            "This is the main branch, not a release: stop and ask for the release URL (…/releases/tag/milestone-13.N)."
        );
        assert!(
            explanation("https://github.com/ana/cis-92/blob/master/README.md").starts_with("This is the master branch")
        );
    }

    #[test]
    fn every_other_link_is_explained() {
        assert!(explanation("https://github.com/ana/cis-92").contains("main branch, not a release"));
        assert!(explanation("https://github.com/ana/cis-92/commit/abc123").contains("commit `abc123`"));
        assert!(explanation("https://github.com/ana/cis-92/releases").contains("list of releases"));
        assert!(explanation("https://github.com/ana/cis-92/releases/latest").contains("latest release"));
        assert!(explanation("https://github.com/ana/cis-92/tags").contains("not a release page"));
        assert!(explanation("https://github.com/ana/cis-92/tree/feature-x").contains("`feature-x`"));
        for text in ["https://github.com/ana/cis-92", "https://github.com/ana/cis-92/tags"] {
            assert!(explanation(text).ends_with('.'), "{text}");
        }
    }

    #[test]
    fn links_that_name_a_tag_suggest_its_release() {
        let Input::NotRelease { suggestion, .. } =
            classify("https://github.com/ana/cis-92/archive/refs/tags/milestone-13.1.zip")
        else {
            panic!("not explained");
        };
        assert_eq!(suggestion.as_deref(), Some("https://github.com/ana/cis-92/releases/tag/milestone-13.1"));
        let Input::NotRelease { suggestion, .. } = classify("https://github.com/ana/cis-92/tree/milestone-13.2") else {
            panic!("not explained");
        };
        assert_eq!(suggestion.as_deref(), Some("https://github.com/ana/cis-92/releases/tag/milestone-13.2"));
    }

    #[test]
    fn other_text_is_not_github() {
        assert_eq!(classify("   "), Input::Empty);
        assert!(
            matches!(classify("https://gitlab.com/ana/cis-92"), Input::NotGitHub(m) if m.contains("not a github.com link"))
        );
        assert!(matches!(classify("https://github.com/ana"), Input::NotGitHub(m) if m.contains("OWNER/REPO")));
    }

    #[test]
    fn reads_the_url_parameter() {
        assert_eq!(
            url_parameter("?url=https%3A%2F%2Fgithub.com%2Fana%2Fcis-92%2Freleases%2Ftag%2Fmilestone-13.1"),
            Some("https://github.com/ana/cis-92/releases/tag/milestone-13.1".to_owned())
        );
        assert_eq!(
            url_parameter("a=1&url=https://github.com/ana/r/releases/tag/x&b=2"),
            Some("https://github.com/ana/r/releases/tag/x".to_owned())
        );
        assert_eq!(url_parameter("?url="), None);
        assert_eq!(url_parameter(""), None);
        assert_eq!(url_parameter("?other=1"), None);
    }

    #[test]
    fn the_url_parameter_keeps_bad_escapes_and_reads_non_ascii() {
        // `+` is a space in a query and `%2B` a plus; `%-a` or `%zz` is no
        // escape at all and stays as written (as `%+a` does, its `+` a space).
        assert_eq!(url_parameter("?url=a+b%2Bc%-a%zz%+a").as_deref(), Some("a b+c%-a%zz% a"));
        assert_eq!(
            url_parameter("?url=github.com/ana/r/releases/tag/%C3%A9t%C3%A9").as_deref(),
            Some("github.com/ana/r/releases/tag/été")
        );
        assert!(
            matches!(classify("https://GitHub.com/ana/r/releases/tag/%C3%A9t%C3%A9"), Input::Release(r) if r.tag == "été")
        );
    }
}
