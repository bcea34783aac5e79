use crate::finding::{Evidence, Verdict};
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
    let mut paths = vec![
        "deployment/pvc.yaml".to_owned(),
        "deployment/pvc.yml".to_owned(),
        release.manifest_path("pvc.yaml"),
        release.manifest_path("pvc.yml"),
    ];
    paths.sort();
    paths.dedup();
    let mut evidence: Vec<Evidence> = paths
        .iter()
        .filter(|p| release.snapshot.exists(p))
        .map(|p| Evidence::at(p, None).found("the file exists").expected("no such file"))
        .collect();
    for claim in release.objects.iter().filter(|o| o.kind == "PersistentVolumeClaim") {
        evidence.push(
            Evidence::at(&claim.path, Some(claim.line))
                .found(format!("kind: PersistentVolumeClaim ({})", claim.display()))
                .expected("no claim: the Postgres chart has its own storage"),
        );
    }
    if evidence.is_empty() {
        Verdict::pass("No PersistentVolumeClaim is left in the release.")
    } else {
        Verdict::fail("A PersistentVolumeClaim is still in the release.").with_all(evidence)
    }
}
