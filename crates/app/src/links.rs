//! Links from evidence to the file on GitHub: `path:line` in a report
//! becomes `https://github.com/O/R/blob/TAG/PATH#LLINE`.

use m13_rules::Evidence;
use serde::{Deserialize, Serialize};

/// Where a release's files live on github.com.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlobBase {
    pub owner: String,
    pub repo: String,
    pub tag: String,
}

impl BlobBase {
    /// The link for one piece of evidence, or `None` when its path is not a
    /// file of the release (the posted URL of `release-tag`).
    pub fn link(&self, evidence: &Evidence) -> Option<String> {
        let path = evidence.path.as_str();
        if path.is_empty() || path.contains("://") || path.starts_with('/') {
            return None;
        }
        let anchor = evidence.line.map(|l| format!("#L{l}")).unwrap_or_default();
        Some(format!(
            "https://github.com/{}/{}/blob/{}/{}{anchor}",
            encode_segment(&self.owner),
            encode_segment(&self.repo),
            encode_path(&self.tag),
            encode_path(path)
        ))
    }
}

// One encoder for the CLI, the writers and the web app.
pub use m13_rules::url::{encode_path, encode_segment};

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> BlobBase {
        BlobBase { owner: "ana".into(), repo: "cis-92".into(), tag: "milestone-13.1".into() }
    }

    #[test]
    fn links_a_path_and_line() {
        let evidence = Evidence::at("deployment/deployment.yaml", Some(21));
        assert_eq!(
            base().link(&evidence).as_deref(),
            Some("https://github.com/ana/cis-92/blob/milestone-13.1/deployment/deployment.yaml#L21")
        );
        assert_eq!(
            base().link(&Evidence::at("values-postgres.yaml", None)).as_deref(),
            Some("https://github.com/ana/cis-92/blob/milestone-13.1/values-postgres.yaml")
        );
    }

    #[test]
    fn encodes_what_would_break_the_url() {
        let evidence = Evidence::at("my dir/a#b?.yaml", Some(1));
        assert_eq!(
            base().link(&evidence).as_deref(),
            Some("https://github.com/ana/cis-92/blob/milestone-13.1/my%20dir/a%23b%3F.yaml#L1")
        );
    }

    #[test]
    fn the_posted_url_is_not_linked() {
        assert_eq!(base().link(&Evidence::at("https://github.com/ana/cis-92/tree/main", None)), None);
        assert_eq!(
            base()
                .link(&Evidence::at("javascript:alert(1)//x", None))
                .as_deref()
                .map(|l| l.contains("javascript%3Aalert")),
            Some(true)
        );
        assert_eq!(base().link(&Evidence::at("", None)), None);
    }
}
