use crate::finding::{Evidence, Verdict};
use crate::model::Release;
use crate::model::k8s::probe_port;
use crate::model::ports::{describe, listen_ports, reaches};
use crate::registry::{Kind, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Each `httpGet`, `tcpSocket` or `grpc` probe of the Django container
    /// targets a port the container listens on.
    ///
    /// ## Why it matters
    /// A liveness probe on the wrong port always fails: Kubernetes restarts
    /// the pod forever (CrashLoopBackOff) and step 8's `kubectl exec` has no
    /// running pod.
    ///
    /// ## Passes
    /// `httpGet: {port: 8000}` with `containerPort: 8000`; `exec` probes.
    ///
    /// ## Fails
    /// `port: 80` on a container listening on 8000; a named port no
    /// container port has.
    ///
    /// ## How to fix
    /// Point the probe at Django's port.
    pub static RULE = Rule {
        title: "Probes target Django's port",
        source: "Requirements 1.2",
        kind: Kind::Deeper,
        remediation: "Point the probe's port at the port the Django container listens on.",
        check: check,
    };
}

fn check(release: &Release<'_>) -> Verdict {
    let (Some(object), Some(container)) = (release.django_object(), release.django_container()) else {
        return Verdict::manual("No Django Deployment, so no probe to check.");
    };
    let probes = container.probes();
    let with_ports: Vec<_> =
        probes.iter().filter_map(|(kind, probe)| probe_port(probe).map(|(port, line)| (*kind, port, line))).collect();
    if with_ports.is_empty() {
        return Verdict::pass(if probes.is_empty() {
            "No probe to check (see `health-check`).".to_owned()
        } else {
            "The probes run commands, not ports.".to_owned()
        });
    }
    let listening = listen_ports(release, object, &container);
    if listening.is_empty() {
        return Verdict::manual(
            "The Django container declares no containerPort and its port is not in the command or Dockerfile: check the probe port by hand.",
        );
    }
    let mut broken = Vec::new();
    let mut evidence = Vec::new();
    for (kind, port, line) in with_ports {
        if !reaches(&port, &listening) {
            broken.push(format!("{kind} port {port}"));
        }
        evidence.push(
            Evidence::at(&object.path, Some(line))
                .found(format!("{kind} port {port}"))
                .expected(format!("one of {}", describe(&listening))),
        );
    }
    evidence.extend(listening.into_iter().map(|p| p.evidence));
    if broken.is_empty() {
        Verdict::pass("Every probe targets a port the Django container listens on.").with_all(evidence)
    } else {
        Verdict::fail(format!(
            "{} does not reach the Django container: the probe will fail and the pod restart.",
            broken.join(", ")
        ))
        .with_all(evidence)
    }
}
