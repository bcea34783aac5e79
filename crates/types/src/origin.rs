//! Where a snapshot came from and what its reader could prove about the
//! release. The `release-tag` rule judges the posted URL with it.

use serde::Serialize;

/// Which reader produced the snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum SourceKind {
    /// A "Source code (zip)" file, or a zipball the CLI downloaded.
    Zip { name: String },
    /// A directory on disk (a clone or an unpacked zip).
    Directory { path: String },
    /// GitHub's REST API and raw file host (the web app, or the CLI).
    GitHub,
    /// The jsDelivr mirror of GitHub: it cannot tell a release from a tag.
    Jsdelivr,
    /// A release built into the program (the web app's sample).
    Sample,
}

impl SourceKind {
    pub fn describe(&self) -> String {
        match self {
            SourceKind::Zip { name } => format!("zip file `{name}`"),
            SourceKind::Directory { path } => format!("directory `{path}`"),
            SourceKind::GitHub => "GitHub API".to_owned(),
            SourceKind::Jsdelivr => "jsDelivr mirror of GitHub".to_owned(),
            SourceKind::Sample => "built-in sample release".to_owned(),
        }
    }
}

/// What the reader learned about the release behind the posted URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum ReleaseProof {
    /// GitHub's releases API returned a release for the tag.
    Published { tag: String, name: Option<String>, draft: bool, prerelease: bool },
    /// The tag exists but no release was made from it.
    TagWithoutRelease { tag: String },
    /// The repository has no tag of that name: the URL names a branch,
    /// perhaps (GitHub's trees answer for branches too). The files checked
    /// are that ref's.
    NoSuchTag { tag: String },
    /// Nobody asked GitHub (offline zip, directory, a mirror). The reason is
    /// shown to the user.
    NotChecked { reason: String },
}

/// Everything about a check that is not a file of the release.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Origin {
    /// The URL the student posted, if known.
    pub posted_url: Option<String>,
    pub source: SourceKind,
    pub release: ReleaseProof,
}

impl Origin {
    pub fn new(source: SourceKind) -> Origin {
        Origin {
            posted_url: None,
            source,
            release: ReleaseProof::NotChecked { reason: "the release was not looked up on GitHub".to_owned() },
        }
    }

    pub fn posted_url(mut self, url: impl Into<String>) -> Origin {
        self.posted_url = Some(url.into());
        self
    }

    pub fn release(mut self, release: ReleaseProof) -> Origin {
        self.release = release;
        self
    }
}
