use crate::finding::{Evidence, Verdict};
use crate::model::Release;
use crate::origin::ReleaseProof;
use crate::registry::{Kind, declare_rule};
use crate::url::{GitHubLink, TagReading, read_tag};

declare_rule! {
    /// ## What it checks
    /// The tag of the Django container's image does not name another
    /// milestone (`ghcr.io/ana/cis-92:milestone-10.1`), nor another release
    /// of this one (`milestone-13.1` in release `milestone-13.2`).
    ///
    /// ## Why it matters
    /// The page: "This release requires changes to your application and its
    /// Dockerfile", and the CSRF fix only counts once the image is rebuilt.
    /// A Deployment that still runs an earlier milestone's image runs the
    /// earlier code: the login of step 9 fails with the old CSRF setting,
    /// whatever `settings.py` now says.
    ///
    /// ## Passes
    /// A tag naming this release (`milestone-13.1` in release
    /// `milestone-13.1`), or one that names no milestone (`latest`, a
    /// version, a digest): step 9's login then shows whether the image has
    /// the fix.
    ///
    /// ## Warns
    /// A tag naming another milestone, or another release of milestone 13.
    /// It warns rather than fails: the image may have been rebuilt under an
    /// old name, which only the cluster can tell.
    ///
    /// ## How to fix
    /// Build and push the image from this release (a workflow that tags it
    /// with the release tag does this), and put that tag in the Deployment.
    pub static RULE = Rule {
        title: "The image is not an older milestone's build",
        source: "Release; Fix the CSRF Setting",
        kind: Kind::Deeper,
        remediation: "Rebuild and push the image from this release, tag it with the release tag, and use that tag in the Deployment.",
        check: check,
    };
}

fn check(release: &Release<'_>) -> Verdict {
    let (Some(object), Some(container)) = (release.django_object(), release.django_container()) else {
        return Verdict::manual("No Django Deployment, so no image to look at.");
    };
    let Some(image) = container.image() else {
        return Verdict::manual(format!("The Django container of {} names no image.", object.display()));
    };
    let line = container.node.get("image").map(|n| n.line);
    let at = || Evidence::at(&object.path, line).found(format!("image: {image}"));
    let names_no_milestone = || {
        Verdict::pass(format!("`{image}` names no milestone; step 9's login shows whether it has the CSRF fix."))
            .with(at())
    };
    let Some(tag) = image_tag(image) else { return names_no_milestone() };
    let posted = posted_tag(release);
    match read_tag(tag) {
        TagReading::OtherMilestone(number) => Verdict::warn(format!(
            "The Deployment runs `{image}`, built for milestone {number}: the CSRF fix and this release's Dockerfile are not in it unless it was rebuilt under the old name."
        ))
        .with(at().expected(format!("an image tagged {}", posted.as_deref().unwrap_or("milestone-13.N"))))
        .fix(format!(
            "Build and push the image from this release, tag it `{}`, and use that tag in `{}`.",
            posted.as_deref().unwrap_or("milestone-13.N"),
            object.path
        )),
        TagReading::Milestone13 | TagReading::Milestone13Unusual(_) => match posted {
            Some(posted) if release_number(&posted).zip(release_number(tag)).is_some_and(|(p, t)| p != t) => Verdict::warn(format!(
                "The image is tagged `{tag}`, but this release is `{posted}`: if the code changed since, the cluster runs the older build."
            ))
            .with(at().expected(format!("an image tagged {posted}")))
            .fix(format!("Rebuild the image from `{posted}` and use its tag in `{}`.", object.path)),
            _ => Verdict::pass(format!("The image `{image}` is tagged for this release.")).with(at()),
        },
        TagReading::Unrelated => names_no_milestone(),
    }
}

/// The tag of an image reference: after the last `:` of the last path part
/// (`host:5000/app` has a port, not a tag), `None` for a digest or no tag.
fn image_tag(image: &str) -> Option<&str> {
    if image.contains('@') {
        return None;
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    last.split_once(':').map(|(_, tag)| tag).filter(|tag| !tag.is_empty())
}

/// The `N` of a milestone-13 tag (`milestone-13.2` -> `2`), if it has one.
fn release_number(tag: &str) -> Option<String> {
    if !matches!(read_tag(tag), TagReading::Milestone13 | TagReading::Milestone13Unusual(_)) {
        return None;
    }
    let (_, number) = tag.split_once("13.")?;
    let digits: String = number.chars().take_while(char::is_ascii_digit).collect();
    (!digits.is_empty()).then(|| digits.trim_start_matches('0').to_owned())
}

/// The release tag the student posted, as GitHub confirmed it or as the URL
/// says.
fn posted_tag(release: &Release<'_>) -> Option<String> {
    match &release.origin.release {
        ReleaseProof::Published { tag, .. } | ReleaseProof::TagWithoutRelease { tag } => return Some(tag.clone()),
        ReleaseProof::NotChecked { .. } | ReleaseProof::NoSuchTag { .. } => {}
    }
    match GitHubLink::parse(release.origin.posted_url.as_deref()?).ok()? {
        GitHubLink::Release { tag, .. } => Some(tag),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::image_tag;
    use crate::finding::Status;
    use crate::model::Release;
    use crate::origin::{Origin, SourceKind};
    use crate::snapshot::Snapshot;

    #[test]
    fn tags_are_read_after_the_last_path_part() {
        assert_eq!(image_tag("ghcr.io/ana/cis-92:milestone-10.1"), Some("milestone-10.1"));
        assert_eq!(image_tag("localhost:5000/mysite"), None);
        assert_eq!(image_tag("localhost:5000/mysite:v2"), Some("v2"));
        assert_eq!(image_tag("mysite@sha256:abc"), None);
        assert_eq!(image_tag("mysite:"), None);
    }

    fn status(image: &str, posted: &str) -> Status {
        let deployment = format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n        - name: web\n          image: {image}\n          ports:\n            - containerPort: 8000\n"
        );
        let snapshot = Snapshot::from_files([("deployment/deployment.yaml", deployment)]);
        let origin = Origin::new(SourceKind::Sample).posted_url(posted);
        let release = Release::new(&snapshot, &origin);
        super::check(&release).status
    }

    #[test]
    fn an_older_milestone_or_release_warns() {
        let url = |tag: &str| format!("https://github.com/ana/cis-92/releases/tag/{tag}");
        assert_eq!(status("ghcr.io/ana/cis-92:milestone-10.1", &url("milestone-13.1")), Status::Warn);
        assert_eq!(status("ghcr.io/ana/cis-92:milestone-13.1", &url("milestone-13.2")), Status::Warn);
        assert_eq!(status("ghcr.io/ana/cis-92:milestone-13.2", &url("milestone-13.2")), Status::Pass);
        assert_eq!(status("ghcr.io/ana/cis-92:Milestone-13.2", &url("milestone-13.2")), Status::Pass);
        assert_eq!(status("ghcr.io/ana/cis-92:latest", &url("milestone-13.2")), Status::Pass);
        assert_eq!(status("ghcr.io/ana/cis-92", &url("milestone-13.2")), Status::Pass);
        // Only two release numbers of milestone 13 are compared.
        assert_eq!(status("ghcr.io/ana/cis-92:milestone-13.1", &url("milestone-13")), Status::Pass);
        assert_eq!(status("ghcr.io/ana/cis-92:milestone-13.1", &url("milestone-10.1")), Status::Pass);
        assert_eq!(status("ghcr.io/ana/cis-92:milestone-13.01", &url("milestone-13.1")), Status::Pass);
    }
}
