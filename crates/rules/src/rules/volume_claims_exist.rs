use crate::finding::{Evidence, Verdict};
use crate::model::Release;
use crate::parse::yaml::Node;
use crate::registry::{Kind, declare_rule};

declare_rule! {
    /// ## What it checks
    /// No workload mounts a `persistentVolumeClaim` that the release no
    /// longer defines, and the Django Deployment needs no claim at all.
    ///
    /// ## Why it matters
    /// Removing `pvc.yaml` (Requirements 3.2) while the Deployment still
    /// claims it leaves every pod `Pending`: step 7 never gets ready.
    ///
    /// ## Passes
    /// No `persistentVolumeClaim` volumes.
    ///
    /// ## Fails
    /// A claim whose PVC is gone. A claim whose PVC still exists warns:
    /// with Postgres the app keeps no data on a volume.
    ///
    /// ## How to fix
    /// Remove the volume and its `volumeMounts` from the Deployment.
    pub static RULE = Rule {
        title: "No volume claims a deleted PVC",
        source: "Requirements 3.2; step 7",
        kind: Kind::Deeper,
        remediation: "Remove the persistentVolumeClaim volume and its volumeMounts from the Deployment.",
        check: check,
    };
}

fn check(release: &Release<'_>) -> Verdict {
    let mut missing = Vec::new();
    let mut existing = Vec::new();
    // A database Pod's claim is `pod-removed`'s and `pvc-removed`'s to judge.
    for object in release.applied().filter(|o| !super::database_workload(o)) {
        let volumes = object.pod_spec().and_then(|s| s.get("volumes")).map(Node::items).unwrap_or_default();
        for volume in volumes {
            let Some(claim) = volume.path(&["persistentVolumeClaim", "claimName"]) else { continue };
            let name = claim.as_str().unwrap_or("").to_owned();
            let evidence =
                Evidence::at(&object.path, Some(claim.line)).found(format!("{} claims PVC {name}", object.display()));
            if release.find("PersistentVolumeClaim", &name).is_some() {
                existing.push(evidence.expected("no claim: the data is in Postgres"));
            } else {
                missing.push(evidence.expected(format!("a PersistentVolumeClaim named {name}, or no claim")));
            }
        }
    }
    if !missing.is_empty() {
        return Verdict::fail("A volume claims a PVC the release does not define: the pods will stay Pending.")
            .with_all(missing)
            .with_all(existing);
    }
    if !existing.is_empty() {
        return Verdict::warn("A volume still claims a PVC; with Postgres the app needs none.").with_all(existing);
    }
    Verdict::pass("No workload claims a PersistentVolumeClaim.")
}
