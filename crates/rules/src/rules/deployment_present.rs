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
    /// not matching the template labels).
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
    let mut verdict = super::without_django(release, "the Deployment");
    verdict.fix = None;
    let file = release.manifest_path("deployment.yaml");
    if let Some(problem) = release.manifest_problem(&file) {
        verdict = verdict.with(
            Evidence::at(&file, None).found(format!("the file {problem}")).expected("a valid Deployment manifest"),
        );
    }
    let deployments = release.objects.iter().filter(|o| o.kind == "Deployment").count();
    let pods: Vec<Evidence> = release
        .objects
        .iter()
        .filter(|o| o.kind == "Pod")
        .map(|o| {
            Evidence::at(&o.path, Some(o.line))
                .found(format!("kind: Pod running {}", super::images(o)))
                .expected("kind: Deployment")
        })
        .collect();
    verdict.message = match (deployments, pods.is_empty()) {
        (0, true) => "No Deployment is defined in the manifests.".to_owned(),
        (0, false) => "Django still runs as a bare Pod, not a Deployment.".to_owned(),
        (_, _) => "No Deployment kubectl would accept runs the Django app.".to_owned(),
    };
    if verdict.evidence.is_empty() && pods.is_empty() {
        verdict = verdict.with(
            Evidence::at(format!("{}/", release.manifest_dir), None)
                .found("no kind: Deployment")
                .expected("a Deployment for Django"),
        );
    }
    verdict.with_all(pods)
}
