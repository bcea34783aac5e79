use super::resources::amount;
use crate::finding::{Evidence, Verdict};
use crate::model::Release;
use crate::registry::{Kind, declare_rule};
use crate::shown;

declare_rule! {
    /// ## What it checks
    /// For every container of every workload, a CPU or memory limit is not
    /// below the matching request.
    ///
    /// ## Why it matters
    /// The API server rejects such a pod template ("must be less than or
    /// equal to cpu limit"), so `kubectl apply` in step 7 fails for that
    /// Deployment.
    ///
    /// ## Passes
    /// `requests: {cpu: 250m}` with `limits: {cpu: 500m}`; no limits.
    ///
    /// ## Fails
    /// `requests: {memory: 512Mi}` with `limits: {memory: 256Mi}`.
    ///
    /// ## How to fix
    /// Raise the limit to at least the request, or lower the request.
    pub static RULE = Rule {
        title: "Limits are not below requests",
        source: "Requirements 1.1; step 7",
        kind: Kind::Deeper,
        remediation: "Raise each limit to at least its request, or remove the limit.",
        check: check,
    };
}

fn check(release: &Release<'_>) -> Verdict {
    let mut broken = Vec::new();
    let mut evidence = Vec::new();
    // Every object as written: the API server's refusal of these is this rule's to report.
    for object in &release.objects {
        for container in object.containers() {
            for resource in ["cpu", "memory"] {
                let (Some(request), Some(limit)) =
                    (amount(&container, "requests", resource), amount(&container, "limits", resource))
                else {
                    continue;
                };
                let (Ok(request_value), Ok(limit_value)) = (&request.parsed, &limit.parsed) else { continue };
                let written = |a: &super::resources::Amount<'_>| a.node.as_str().unwrap_or("?").to_owned();
                let e = Evidence::at(&object.path, Some(limit.node.line))
                    .found(format!("limits.{resource}: {}", written(&limit)))
                    .expected(format!(
                        "at least requests.{resource}: {} (line {})",
                        written(&request),
                        request.node.line
                    ));
                if limit_value < request_value {
                    broken.push(format!(
                        "{} container {}: {resource} limit {} is below the request {}",
                        object.display(),
                        container.name().unwrap_or("?"),
                        written(&limit),
                        written(&request)
                    ));
                    evidence.push(e);
                }
            }
        }
    }
    if broken.is_empty() {
        Verdict::pass("No limit is below its request.")
    } else {
        Verdict::fail(format!("{}: the API server rejects it.", shown::some_sentences(&broken))).with_all(evidence)
    }
}
