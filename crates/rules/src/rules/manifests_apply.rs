use crate::finding::{Evidence, Verdict};
use crate::model::{ManifestState, Release};
use crate::registry::{Kind, declare_rule};
use crate::shown;

declare_rule! {
    /// ## What it checks
    /// What `kubectl apply -f deployment/` would do on Kubernetes 1.34: it
    /// reads every `.yaml`, `.yml` and `.json` file directly in `deployment/`
    /// (`kind: List` flattened, empty documents skipped), and the API server
    /// judges each object against its strict schema (unknown fields, types,
    /// required fields, quantities, base64) and its own validation (names,
    /// labels, selectors, ports, enum values, requests against limits,
    /// removed API versions). Every rejection is listed at its
    /// `path:line:column`, with the field path and kubectl's words.
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
    /// file inside `deployment/`; `PORT: 5432` unquoted in a ConfigMap;
    /// `containerPort: "8000"`; a misspelt field (`livenesProbe`);
    /// `type: Loadbalancer`; `apiVersion: extensions/v1beta1` for a
    /// Deployment; `kind: deployment` (kinds are case-sensitive).
    ///
    /// ## Manual
    /// An object of a kind the checker has no schema for (a CRD such as
    /// cert-manager's `Certificate`): only the cluster can say.
    ///
    /// ## How to fix
    /// Fix the file at the line and column shown, or move non-manifest files
    /// out of `deployment/`.
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
    for rejection in release.manifests.iter().flat_map(|m| &m.rejections) {
        broken.push(format!("`{}` has a document that is not a Kubernetes object", rejection.path));
        evidence.push(crate::model::rejection_evidence(rejection, rejection.what(), rejection.wanted()));
    }
    let mut undecided = Vec::new();
    for object in &release.objects {
        if object.rejections.is_empty() {
            applied += 1;
            if let Some(reason) = &object.undecided {
                undecided.push(Evidence::at(&object.path, Some(object.line)).found(format!(
                    "{}: {}",
                    object.display(),
                    reason
                )));
            }
            continue;
        }
        let looks_like_values = object.kind.is_empty()
            && ["auth", "primary", "architecture", "global"].iter().any(|k| object.root.get(k).is_some());
        broken.push(format!("`{}` has a document kubectl rejects", object.path));
        for rejection in &object.rejections {
            let (found, expected) = if looks_like_values {
                (
                    format!(
                        "{}: this looks like Helm values, which belong at the root, not in {dir}/",
                        rejection.message
                    ),
                    format!("only Kubernetes objects in {dir}/"),
                )
            } else {
                (rejection.what(), rejection.wanted())
            };
            evidence.push(crate::model::rejection_evidence(rejection, found, expected));
        }
    }
    broken.dedup();
    if broken.is_empty() {
        let skipped = release.manifests.iter().filter(|m| m.state == ManifestState::Ignored).count();
        let note =
            if skipped > 0 { format!(" ({skipped} other file(s) are skipped by kubectl)") } else { String::new() };
        let objects: Vec<Evidence> =
            release.objects.iter().map(|o| Evidence::at(&o.path, Some(o.line)).found(o.display())).collect();
        if !undecided.is_empty() {
            return Verdict::manual(format!(
                "{} object(s) in `{dir}/` are of a kind this checker has no Kubernetes 1.34 schema for: \
                 apply them on the cluster to see whether it accepts them{note}.",
                undecided.len()
            ))
            .with_all(undecided);
        }
        return Verdict::pass(format!("All {applied} objects in `{dir}/` would apply{note}."))
            .with_all(objects)
            .counting("objects");
    }
    Verdict::fail(format!("`kubectl apply -f {dir}/` would fail: {}.", shown::some_sentences(&broken)))
        .with_all(evidence)
}
