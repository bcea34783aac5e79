use crate::finding::Verdict;
use crate::model::Release;
use crate::registry::{Kind, declare_rule};

declare_rule! {
    /// ## What it checks
    /// `deployment/pvc.yaml` is gone, and no manifest still defines a
    /// `PersistentVolumeClaim`.
    ///
    /// ## Why it matters
    /// Requirements 3.2: the data now lives in Postgres, whose chart brings
    /// its own storage. The old claim holds a SQLite file nobody uses.
    ///
    /// ## Passes
    /// No `deployment/pvc.yaml`, no `kind: PersistentVolumeClaim`.
    ///
    /// ## Fails
    /// `deployment/pvc.yaml` exists, or any manifest defines a claim.
    ///
    /// ## How to fix
    /// `git rm deployment/pvc.yaml`, remove any volume that claims it from
    /// the Deployment, commit, tag a new release.
    pub static RULE = Rule {
        title: "The PVC definition is removed",
        source: "Requirements 3.2",
        kind: Kind::Requirement,
        remediation: "Delete `deployment/pvc.yaml` (git rm) and any volume that claims it, commit, and make a new release.",
        check: check,
    };
}

fn check(release: &Release<'_>) -> Verdict {
    super::leftovers(release, "pvc", "PersistentVolumeClaim", "no claim: the Postgres chart has its own storage")
}
