use crate::finding::{Evidence, Verdict};
use crate::model::Release;
use crate::model::k8s::{TargetPort, service_ports};
use crate::model::ports::{describe, listen_ports, reaches};
use crate::registry::{Kind, declare_rule};
use crate::shown;

declare_rule! {
    /// ## What it checks
    /// Every port of the Django Service sends traffic to a port the Django
    /// container listens on: `targetPort` (or `port` when unset) equals a
    /// `containerPort` number or name, or the port in the command or the
    /// Dockerfile when the container declares none.
    ///
    /// ## Why it matters
    /// Step 9 forwards to the Service; a `targetPort` nobody listens on
    /// gives "connection refused" even though every object exists.
    ///
    /// ## Passes
    /// `port: 80, targetPort: 8000` with `containerPort: 8000`.
    ///
    /// ## Fails
    /// `targetPort: 80` while Django listens on 8000; a named `targetPort`
    /// that no container port has.
    ///
    /// ## How to fix
    /// Set the Service's `targetPort` to the container's port.
    pub static RULE = Rule {
        title: "The Service's targetPort reaches Django",
        source: "Requirements 4; step 9",
        kind: Kind::Deeper,
        remediation: "Set the Service's `targetPort` to the port the Django container listens on.",
        check: check,
    };
}

fn check(release: &Release<'_>) -> Verdict {
    let (Some(object), Some(container)) = (release.django_object(), release.django_container()) else {
        return Verdict::manual("No Django Deployment, so no port to compare the Service with.");
    };
    let Some(service) = release.django_service() else {
        return Verdict::manual("No Service for Django (see `service-loadbalancer`), so no targetPort to check.");
    };
    let listening = listen_ports(release, object, &container);
    let ports = service_ports(service);
    if ports.is_empty() {
        return Verdict::fail(format!("{} has no ports.", service.display())).with(
            Evidence::at(&service.path, Some(service.line))
                .found("no spec.ports")
                .expected("port: 80, targetPort: the container's port"),
        );
    }
    if listening.is_empty() {
        return Verdict::manual(format!(
            "The Django container declares no containerPort and its port is not in the command or Dockerfile: check that {} reaches it.",
            service.display()
        ));
    }
    let mut evidence = Vec::new();
    let mut broken = Vec::new();
    let expected = format!("one of {}", describe(&listening));
    for port in &ports {
        let Some(target) = port.target.clone().or_else(|| port.port.map(TargetPort::Number)) else { continue };
        let e = Evidence::at(&service.path, Some(port.line))
            .found(format!("targetPort: {target}"))
            .expected(expected.clone());
        if !reaches(&target, &listening) {
            broken.push(target.to_string());
        }
        evidence.push(e);
    }
    evidence.extend(listening.into_iter().map(|p| p.evidence));
    if broken.is_empty() {
        Verdict::pass(format!("{} forwards to a port the Django container listens on.", service.display()))
            .with_all(evidence)
    } else {
        Verdict::fail(format!(
            "{} forwards to port {}, where the Django container does not listen.",
            service.display(),
            shown::some_of(&broken, ", ")
        ))
        .with_all(evidence)
    }
}
