use crate::finding::{Evidence, Verdict};
use crate::model::Release;
use crate::origin::{ReleaseProof, SourceKind};
use crate::registry::{Kind, declare_rule};
use crate::url::{GitHubLink, TagReading, read_tag};

const EXPECTED: &str = "https://github.com/OWNER/REPO/releases/tag/milestone-13.N";

declare_rule! {
    /// ## What it checks
    /// The posted URL is a GitHub release page whose tag is milestone 13:
    /// `https://github.com/OWNER/REPO/releases/tag/milestone-13.N`, and, when
    /// GitHub was asked, that a release (not just a tag) exists for it.
    ///
    /// ## Why it matters
    /// The course page's test procedure: "It's essential to only test the
    /// code snapshot in a release, not the main branch." A link to the
    /// repository, a branch or a commit means "stop and let them know".
    ///
    /// ## Passes
    /// `https://github.com/ana/cis-92/releases/tag/milestone-13.1`. Unusual
    /// spellings of milestone 13 (`Milestone-13.1`, `milestone-13`) warn.
    ///
    /// ## Fails
    /// `…/tree/main`, the repository root, a commit, `…/releases/latest`,
    /// another milestone's tag (`milestone-10.1`), a tag with no release.
    ///
    /// ## How to fix
    /// Tag the commit `milestone-13.N`, publish a release from the tag on
    /// GitHub, and post the release page's URL.
    pub static RULE = Rule {
        title: "The URL is a milestone-13 release",
        source: "Test Procedure; Submit",
        kind: Kind::Requirement,
        remediation: "Create a release from a `milestone-13.N` tag on GitHub and post its URL (…/releases/tag/milestone-13.N).",
        check: check,
    };
}

fn check(release: &Release<'_>) -> Verdict {
    let origin = release.origin;
    let Some(url) = origin.posted_url.as_deref() else {
        return Verdict::manual(format!(
            "No release URL was given with this {}, so the tag cannot be judged.",
            origin.source.describe()
        ))
        .fix("Give the posted URL (the CLI's `--release-url`), or check the release by its URL.");
    };
    let evidence = Evidence::at(url, None).found(url).expected(EXPECTED);
    let link = match GitHubLink::parse(url) {
        Ok(link) => link,
        Err(error) => return Verdict::fail(format!("{}.", error.0)).with(evidence),
    };
    let GitHubLink::Release { tag, .. } = &link else {
        return Verdict::fail(format!("This is {}.", link.explain())).with(evidence);
    };
    // GitHub's word first: a tag that does not exist is not judged by its name.
    if let ReleaseProof::NoSuchTag { .. } = &origin.release {
        return no_such_tag(tag).with(evidence);
    }
    let mut verdict = match read_tag(tag) {
        TagReading::Milestone13 => Verdict::pass(format!("A release page for `{tag}`.")),
        TagReading::Milestone13Unusual(how) => {
            Verdict::warn(format!("`{tag}` is milestone 13, spelled {how}; the page asks for `milestone-13.N`."))
                .fix("Name the next tag `milestone-13.N` (lower case, with a dash and a release number).")
        }
        TagReading::OtherMilestone(number) => {
            return Verdict::fail(format!("`{tag}` is a milestone-{number} tag, not milestone 13.")).with(evidence);
        }
        TagReading::Unrelated => {
            return Verdict::fail(format!("`{tag}` is not a milestone-13 tag.")).with(evidence);
        }
    };
    verdict = verdict.with(evidence);
    match &origin.release {
        ReleaseProof::Published { draft: true, .. } => {
            Verdict::fail(format!("The release for `{tag}` is still a draft: reviewers cannot see it.")).with_all(verdict.evidence)
        }
        ReleaseProof::Published { name, .. } => {
            let named = name.as_deref().filter(|n| !n.is_empty() && n != tag).map(|n| format!(" (\"{n}\")")).unwrap_or_default();
            verdict.message = format!("{} GitHub has a published release{named} for it.", verdict.message);
            verdict
        }
        ReleaseProof::TagWithoutRelease { .. } => Verdict::fail(format!(
            "The tag `{tag}` exists but no release was made from it."
        ))
        .with_all(verdict.evidence)
        .fix(format!("On GitHub, open Releases, \"Draft a new release\", choose the tag `{tag}` and publish it.")),
        ReleaseProof::NoSuchTag { .. } => no_such_tag(tag).with_all(verdict.evidence),
        ReleaseProof::NotChecked { reason } if origin.source == SourceKind::Jsdelivr => Verdict::manual(format!(
            "{} The mirror used cannot tell a release from a tag ({reason}): open the URL and check that the release exists.",
            verdict.message
        ))
        .with_all(verdict.evidence),
        ReleaseProof::NotChecked { reason } => {
            verdict.message = format!("{} (Judged from the URL: {reason}.)", verdict.message);
            verdict
        }
    }
}

/// The repository has no tag `tag`: the URL names a branch, perhaps.
fn no_such_tag(tag: &str) -> Verdict {
    Verdict::fail(format!(
        "The repository has no tag `{tag}`: the URL names something else (a branch, perhaps), so there is no release to review."
    ))
    .fix(format!(
        "Tag the commit to hand in (`git tag milestone-13.N`, `git push --tags`), make a release from it, and post the release page's URL, not `{tag}`'s."
    ))
}

#[cfg(test)]
mod tests {
    use crate::origin::{Origin, ReleaseProof, SourceKind};
    use crate::snapshot::Snapshot;

    fn release_tag(url: &str, proof: ReleaseProof) -> crate::Finding {
        let origin = Origin::new(SourceKind::GitHub).posted_url(url).release(proof);
        let report = crate::check(&Snapshot::from_files(Vec::<(String, Vec<u8>)>::new()), &origin);
        report.results.into_iter().find(|f| f.id.as_str() == "release-tag").unwrap()
    }

    #[test]
    fn a_branch_posted_as_a_tag_is_no_such_tag_whatever_its_name() {
        for tag in ["main", "milestone-13.1"] {
            let url = format!("https://github.com/ana/cis-92/releases/tag/{tag}");
            let f = release_tag(&url, ReleaseProof::NoSuchTag { tag: tag.into() });
            assert_eq!(f.status, crate::Status::Fail);
            assert!(f.message.starts_with(&format!("The repository has no tag `{tag}`")), "{}", f.message);
        }
    }
}
