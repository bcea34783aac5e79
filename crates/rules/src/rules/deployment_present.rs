use crate::finding::{Evidence, Verdict};
use crate::model::Release;
use crate::registry::{Kind, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A `kind: Deployment` in the manifests runs the Django app: not a test
    /// image such as nginx, and one kubectl accepts (`apiVersion`, a name, a
    /// selector matching the pod labels).
    ///
    /// ## Why it matters
    /// Requirements 1: "A Deployment definition for Django". The Deployment
    /// is what lets the app scale and restart.
    ///
    /// ## Passes
    /// `deployment/deployment.yaml` with `kind: Deployment` whose container
    /// runs the Django image.
    ///
    /// ## Fails
    /// No Deployment; only a bare Pod; a Deployment running `nginx`; a
    /// Deployment kubectl rejects (invalid YAML, no `apiVersion`, selector
    /// not matching the template labels, an unknown field). The rules that
    /// read the Deployment still judge what it holds, and say it must be
    /// fixed first; a request above its limit is `limits-not-below-requests`'
    /// failure alone.
    ///
    /// ## How to fix
    /// Turn the Pod into a Deployment: `apiVersion: apps/v1`, `kind:
    /// Deployment`, `spec.selector.matchLabels` equal to
    /// `spec.template.metadata.labels`, and the Pod's spec under
    /// `spec.template.spec`.
    pub static RULE = Rule {
        title: "A Deployment runs the Django app",
        source: "Requirements 1",
        kind: Kind::Requirement,
        remediation: "Add a Deployment (apps/v1) whose pod template runs the Django image, with a selector matching the template labels.",
        check: check,
    };
}

fn check(release: &Release<'_>) -> Verdict {
    let blockers = super::django_blockers(release);
    if let (Some(object), Some(first)) = (release.django_object(), blockers.first()) {
        let more = match blockers.len() {
            1 => String::new(),
            n => format!(" (and {} more)", n - 1),
        };
        return Verdict::fail(format!(
            "kubectl rejects {}, so it never runs: {} at line {}, column {}{more}. \
             The other rules judge what it holds; fix it first.",
            object.display(),
            first.what(),
            first.line,
            first.column,
        ))
        .with_all(blockers.iter().map(|r| crate::model::rejection_evidence(r, r.what(), r.expected.clone())))
        .fix(blockers.iter().map(|r| r.fix.as_str()).collect::<Vec<_>>().join("; "));
    }
    if let (Some(object), Some(container)) = (release.django_object(), release.django_container()) {
        return Verdict::pass(format!(
            "{} runs the Django image {}.",
            object.display(),
            container.image().unwrap_or("(no image)")
        ))
        .with(Evidence::at(&object.path, Some(object.line)).found(format!(
            "kind: Deployment, container {} image {}",
            container.name().unwrap_or("?"),
            container.image().unwrap_or("?")
        )));
    }
    let deployments: Vec<&crate::model::Object> = release.objects.iter().filter(|o| o.kind == "Deployment").collect();
    let pods: Vec<Evidence> = release
        .objects
        .iter()
        .filter(|o| o.kind == "Pod")
        .map(|o| {
            Evidence::at(&o.path, Some(o.line))
                .found(format!("kind: Pod running {}", o.images()))
                .expected("kind: Deployment")
        })
        .collect();
    let rejected = release.rejected_evidence(None);
    let file = release.manifest_path("deployment.yaml");
    let message = if let Some((problem, _)) = release.manifest_problem(&file) {
        format!("`{file}` {problem}, so no Deployment is created.")
    } else if let Some(foreign) = deployments.iter().find(|o| o.defect.is_none()) {
        format!(
            "The only Deployment, {}, runs {}: a test image, not the Django app.",
            foreign.display(),
            foreign.images()
        )
    } else if let Some((object, defect)) = deployments.iter().find_map(|o| o.defect.as_ref().map(|d| (o, d))) {
        format!("kubectl rejects {}: {} (line {}).", object.display(), defect.message, defect.line)
    } else if !pods.is_empty() {
        "Django still runs as a bare Pod, not a Deployment.".to_owned()
    } else if !rejected.is_empty() {
        "No Deployment kubectl would accept is in the manifests.".to_owned()
    } else {
        "No Deployment is defined in the manifests.".to_owned()
    };
    let mut verdict = super::without_django(release, "the Deployment");
    verdict.message = message;
    verdict.fix = None;
    if verdict.evidence.is_empty() && pods.is_empty() {
        verdict = verdict.with(
            Evidence::at(format!("{}/", release.manifest_dir), None)
                .found("no kind: Deployment")
                .expected("a Deployment for Django"),
        );
    }
    verdict.with_all(pods)
}
