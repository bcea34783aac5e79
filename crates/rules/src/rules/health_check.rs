use crate::finding::{Evidence, Verdict};
use crate::model::Release;
use crate::model::k8s::describe_probe;
use crate::registry::{Kind, declare_rule};

declare_rule! {
    /// ## What it checks
    /// The Django container has a liveness, readiness or startup probe with
    /// a handler (`httpGet`, `tcpSocket`, `exec` or `grpc`).
    ///
    /// ## Why it matters
    /// Requirements 1.2: "A health check". Without one, Kubernetes sends
    /// traffic to pods that are not ready and never restarts a hung one.
    ///
    /// ## Passes
    /// `livenessProbe: {httpGet: {path: /, port: 8000}}` on the Django
    /// container.
    ///
    /// ## Fails
    /// No probe; a probe only on another container; a probe with no handler.
    ///
    /// ## How to fix
    /// Add to the Django container a `livenessProbe` (or `readinessProbe`)
    /// with `httpGet` on the port Django listens on.
    pub static RULE = Rule {
        title: "The Django container has a health check",
        source: "Requirements 1.2",
        kind: Kind::Requirement,
        remediation: "Add a livenessProbe or readinessProbe with httpGet on Django's port to the Django container.",
        check: check,
    };
}

fn check(release: &Release<'_>) -> Verdict {
    let (Some(container), Some(object)) = (release.django_container(), release.django_object()) else {
        return super::without_django(release, "the health check");
    };
    let probes = container.probes();
    let evidence: Vec<Evidence> = probes
        .iter()
        .map(|(kind, probe)| {
            Evidence::at(&object.path, Some(container.node.key_node(kind).map_or(probe.line, |k| k.line)))
                .found(format!("{kind}: {}", describe_probe(probe)))
        })
        .collect();
    let handled: Vec<&str> = probes
        .iter()
        .filter(|(_, p)| ["httpGet", "tcpSocket", "exec", "grpc"].iter().any(|h| p.get(h).is_some()))
        .map(|(kind, _)| *kind)
        .collect();
    if !handled.is_empty() {
        Verdict::pass(format!("The Django container has a {}.", handled.join(" and a "))).with_all(evidence)
    } else if !probes.is_empty() {
        Verdict::fail("The Django container's probe has no handler (httpGet, tcpSocket, exec or grpc).")
            .with_all(evidence)
    } else if let Some((key, probe)) = container
        .node
        .entries()
        .iter()
        .filter_map(|(k, _)| k.as_str().map(|name| (k, name)))
        .find_map(|(k, name)| super::misspelt_probe_key(name).map(|p| (k, p)))
    {
        // The probe as written, misspelt: kubectl's strict decoding refuses the Deployment for it.
        let written = key.as_str().unwrap_or("?");
        Verdict::fail(format!(
            "The Django container's `{written}` is not a probe: kubectl rejects the field (strict decoding), so the container has no {probe}."
        ))
        .with(
            Evidence::at(&object.path, Some(key.line))
                .column(key.column)
                .found(format!("{written}:"))
                .expected(format!("{probe}:")),
        )
        .fix(format!("Rename `{written}` to `{probe}` at line {} of `{}`.", key.line, object.path))
    } else {
        Verdict::fail(format!(
            "The Django container of {} has no liveness, readiness or startup probe.",
            object.display()
        ))
        .with(
            Evidence::at(&object.path, Some(container.line()))
                .found(format!("container {} without probes", container.name().unwrap_or("?")))
                .expected("livenessProbe or readinessProbe"),
        )
    }
}
