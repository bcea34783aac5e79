use crate::finding::{Evidence, Verdict};
use crate::model::{ManifestState, Release};
use crate::registry::{Kind, declare_rule};
use crate::shown;

declare_rule! {
    /// ## What it checks
    /// Every `.yaml`, `.yml` and `.json` file directly in `deployment/` is
    /// valid YAML without duplicate keys, and each document is a Kubernetes
    /// object kubectl accepts: `apiVersion`, `kind`, `metadata.name`, string
    /// values in ConfigMaps and Secrets, base64 in Secret `data`, and a
    /// workload selector that matches its pod labels.
    ///
    /// ## Why it matters
    /// Step 7 runs `kubectl apply -f deployment/`, which applies every such
    /// file. One stray values file or broken document makes it fail.
    ///
    /// ## Passes
    /// Only valid manifests in `deployment/`; other files (`README.md`) are
    /// skipped by kubectl and ignored here.
    ///
    /// ## Fails
    /// Invalid YAML (tabs, bad indentation, duplicate keys); a Helm values
    /// file inside `deployment/`; `PORT: 5432` unquoted in a ConfigMap; a
    /// document without `apiVersion`; `kind: deployment` (kinds are
    /// case-sensitive).
    ///
    /// ## How to fix
    /// Fix the file at the line shown, or move non-manifest files out of
    /// `deployment/`.
    pub static RULE = Rule {
        title: "Every file in deployment/ applies",
        source: "Test Procedure, step 7",
        kind: Kind::Deeper,
        remediation: "Fix each file at the line shown, and move files that are not Kubernetes objects out of deployment/.",
        check: check,
    };
}

fn check(release: &Release<'_>) -> Verdict {
    let dir = &release.manifest_dir;
    if release.manifests.is_empty() {
        return Verdict::fail(format!("There is no `{dir}/` directory with manifests to apply.")).with(
            Evidence::at(format!("{dir}/"), None).found("no such directory").expected("the Kubernetes manifests"),
        );
    }
    let mut broken = Vec::new();
    let mut evidence = Vec::new();
    let mut applied = 0;
    for file in &release.manifests {
        match &file.state {
            ManifestState::Invalid(error) => {
                broken.push(format!("`{}` is not valid YAML", file.path));
                evidence.push(
                    Evidence::at(&file.path, Some(error.line)).found(error.message.clone()).expected("valid YAML"),
                );
            }
            ManifestState::Unreadable(reason) => {
                broken.push(format!("`{}` could not be read", file.path));
                evidence.push(Evidence::at(&file.path, None).found(reason.clone()));
            }
            ManifestState::Ignored | ManifestState::Parsed => {}
        }
    }
    for object in &release.objects {
        match &object.defect {
            None => applied += 1,
            Some(defect) => {
                let looks_like_values = object.kind.is_empty()
                    && ["auth", "primary", "architecture", "global"].iter().any(|k| object.root.get(k).is_some());
                let (found, expected) = if looks_like_values {
                    (
                        format!(
                            "{}: this looks like Helm values, which belong at the root, not in {dir}/",
                            defect.message
                        ),
                        format!("only Kubernetes objects in {dir}/"),
                    )
                } else {
                    (defect.message.clone(), defect.expected.clone())
                };
                broken.push(format!("`{}` has a document kubectl rejects", object.path));
                evidence.push(Evidence::at(&object.path, Some(defect.line)).found(found).expected(expected));
            }
        }
    }
    broken.dedup();
    if broken.is_empty() {
        let skipped = release.manifests.iter().filter(|m| m.state == ManifestState::Ignored).count();
        let note =
            if skipped > 0 { format!(" ({skipped} other file(s) are skipped by kubectl)") } else { String::new() };
        let objects: Vec<Evidence> =
            release.objects.iter().map(|o| Evidence::at(&o.path, Some(o.line)).found(o.display())).collect();
        return Verdict::pass(format!("All {applied} objects in `{dir}/` would apply{note}."))
            .with_all(objects)
            .counting("objects");
    }
    Verdict::fail(format!("`kubectl apply -f {dir}/` would fail: {}.", shown::some_sentences(&broken)))
        .with_all(evidence)
}
