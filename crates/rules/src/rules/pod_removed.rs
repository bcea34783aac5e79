use crate::finding::Verdict;
use crate::model::Release;
use crate::registry::{Kind, declare_rule};

declare_rule! {
    /// ## What it checks
    /// `deployment/pod.yaml` is gone, and no other manifest still defines a
    /// bare `kind: Pod`.
    ///
    /// ## Why it matters
    /// Requirements 3.1: the Deployment replaces the Pod. A leftover Pod
    /// runs a second copy of the app next to the Deployment's.
    ///
    /// ## Passes
    /// No `deployment/pod.yaml`, no `kind: Pod` in the manifests.
    ///
    /// ## Fails
    /// `deployment/pod.yaml` exists, or a `kind: Pod` is defined in any
    /// file of `deployment/`.
    ///
    /// ## How to fix
    /// `git rm deployment/pod.yaml`, commit, tag a new release.
    pub static RULE = Rule {
        title: "The Pod definition is removed",
        source: "Requirements 3.1",
        kind: Kind::Requirement,
        remediation: "Delete `deployment/pod.yaml` (git rm), commit, and make a new release.",
        check: check,
    };
}

fn check(release: &Release<'_>) -> Verdict {
    super::leftovers(release, "pod", "Pod", "a Deployment instead")
}
