//! The workload side: the Django Service, the Deployment and its probes,
//! an autoscaler, volume claims, and the Pod and PVC that should be gone.

use crate::finding::Evidence;
use crate::model::k8s::{
    TargetPort, describe_probe, probe_port, selects, service_ports, service_selector, service_type,
};
use crate::model::ports::{Listening, describe, listen_ports, reaches};
use crate::model::{Container, Object, Release};
use crate::rule_id::RuleId;
use crate::shown;

use super::builder::{Builder, object_name, object_node, pairs};
use super::{Edge, EdgeKind, Ids, Node, NodeKind, NodeStatus};

/// Handlers a probe may have; one without any does nothing.
const HANDLERS: [&str; 4] = ["httpGet", "tcpSocket", "exec", "grpc"];

/// The Service, the Deployment and the probes, with the edges between them.
pub(super) fn add_front(b: &mut Builder<'_>, release: &Release<'_>) -> Ids {
    // The Service the rules judge: the one fronting Django, else the first.
    let service = release.django_service().or_else(|| release.applied_of_kind("Service").next());
    let service_id = service_node(b, release, service);
    let ids = deployment_node(b, release);
    selector_edge(b, release, service, &service_id, &ids);
    if let (Some(object), Some(container)) = (release.django_object(), release.django_container()) {
        let listening = listen_ports(release, object, &container);
        if let Some(service) = service {
            target_port_edges(b, service, &service_id, &ids.deployment, &listening);
        }
        probes(b, object, &container, &ids.deployment, &listening);
    }
    ids
}

/// The autoscaler, the claims and the leftovers.
pub(super) fn add_rest(b: &mut Builder<'_>, release: &Release<'_>, ids: &Ids) {
    autoscalers(b, release, ids);
    claims(b, release, ids);
    leftovers(b, release);
}

fn service_node(b: &mut Builder<'_>, release: &Release<'_>, service: Option<&Object>) -> String {
    let Some(service) = service else {
        // A Service kubectl rejects is still shown, broken.
        if let Some(rejected) = release.objects.iter().find(|o| o.kind == "Service") {
            let node = object_node(format!("service/{}", object_name(rejected)), NodeKind::Service, rejected);
            return b.node(node.rule(RuleId::ServiceLoadbalancer));
        }
        return b.node(
            Node::new("service/(none)", NodeKind::Service, "no Service")
                .status(NodeStatus::Missing, "no Service fronts the Django pods")
                .rule(RuleId::ServiceLoadbalancer),
        );
    };
    let (kind, line) = service_type(service);
    let mut node = object_node(format!("service/{}", object_name(service)), NodeKind::Service, service)
        .detail(format!("type {kind}"));
    for port in service_ports(service) {
        let number = port.port.map_or("?".to_owned(), |p| p.to_string());
        node = node.detail(match &port.target {
            Some(target) => format!("port {number} → targetPort {target}"),
            None => format!("port {number}"),
        });
    }
    if kind != "LoadBalancer" {
        node = node.status(
            NodeStatus::Broken,
            match line {
                Some(_) => format!("type {kind}, not LoadBalancer"),
                None => "no type, so ClusterIP, not LoadBalancer".to_owned(),
            },
        );
    }
    b.node(node.rule(RuleId::ServiceLoadbalancer))
}

fn deployment_node(b: &mut Builder<'_>, release: &Release<'_>) -> Ids {
    if let (Some(object), Some(container)) = (release.django_object(), release.django_container()) {
        let mut node = object_node(format!("deployment/{}", object_name(object)), NodeKind::Deployment, object)
            .detail(format!("pods {}", pairs(&object.template_labels())));
        let ports: Vec<String> = container
            .ports()
            .iter()
            .map(|p| match (p.number, &p.name) {
                (Some(n), Some(name)) => format!("{n} ({name})"),
                (Some(n), None) => n.to_string(),
                (None, Some(name)) => name.clone(),
                (None, None) => "?".to_owned(),
            })
            .collect();
        if !ports.is_empty() {
            node = node.detail(format!("containerPort {}", ports.join(", ")));
        }
        let deployment = b.node(node.rule(RuleId::DeploymentPresent));
        return Ids { deployment, django: true };
    }
    // No Deployment runs Django: show the one that is there instead, or a gap.
    let node = match release.objects.iter().find(|o| o.kind == "Deployment") {
        Some(other) => {
            let node = object_node(format!("deployment/{}", object_name(other)), NodeKind::Deployment, other)
                .detail(format!("pods {}", pairs(&other.template_labels())));
            let node = if other.defect.is_none() {
                node.status(NodeStatus::Broken, format!("runs {}, not the Django app", other.images()))
            } else {
                node
            };
            node.rule(RuleId::DeploymentPresent)
        }
        None => Node::new("deployment/(none)", NodeKind::Deployment, "no Deployment")
            .status(NodeStatus::Missing, "no Deployment runs the Django app")
            .rule(RuleId::DeploymentPresent),
    };
    Ids { deployment: b.node(node), django: false }
}

fn selector_edge(b: &mut Builder<'_>, release: &Release<'_>, service: Option<&Object>, service_id: &str, ids: &Ids) {
    let Some(service) = service else {
        let evidence = b.cite(RuleId::ServiceLoadbalancer, Vec::new());
        b.edge(
            Edge::new(service_id, &ids.deployment, EdgeKind::Selects, "selects the Django pods")
                .broken(Some("no Service selects the Django pods".to_owned()))
                .rule(RuleId::ServiceLoadbalancer, evidence),
        );
        return;
    };
    let selector = service_selector(service);
    let selector_line = service.root.path(&["spec", "selector"]).map_or(service.line, |n| n.line);
    let label = if selector.is_empty() { "no selector".to_owned() } else { format!("selector {}", pairs(&selector)) };
    let mut places = vec![Evidence::at(&service.path, Some(selector_line)).found(label.clone())];
    let problem = match release.django_object() {
        None => Some(match release.objects.iter().find(|o| o.kind == "Deployment") {
            Some(other) if selects(&selector, &other.template_labels()) => {
                format!("{label} selects pods that do not run Django")
            }
            _ => format!("{label}: no Django pods to select"),
        }),
        Some(object) => {
            let labels = object.template_labels();
            let labels_line =
                object.root.path(&["spec", "template", "metadata", "labels"]).map_or(object.line, |n| n.line);
            places.push(Evidence::at(&object.path, Some(labels_line)).found(format!("pod labels {}", pairs(&labels))));
            if selects(&selector, &labels) {
                None
            } else if selector.is_empty() {
                Some("the Service has no selector, so it sends traffic to no pod".to_owned())
            } else {
                Some(format!("{label} matches no pods (they have {})", pairs(&labels)))
            }
        }
    };
    let evidence = b.cite(RuleId::ServiceLoadbalancer, places);
    b.edge(
        Edge::new(service_id, &ids.deployment, EdgeKind::Selects, label)
            .broken(problem)
            .rule(RuleId::ServiceLoadbalancer, evidence),
    );
}

fn target_port_edges(b: &mut Builder<'_>, service: &Object, service_id: &str, deployment: &str, listening: &Listening) {
    let ports = service_ports(service);
    if ports.is_empty() {
        let evidence = b.cite(RuleId::ServiceTargetPort, vec![Evidence::at(&service.path, Some(service.line))]);
        b.edge(
            Edge::new(service_id, deployment, EdgeKind::TargetPort, "no ports")
                .broken(Some("the Service has no ports".to_owned()))
                .rule(RuleId::ServiceTargetPort, evidence),
        );
        return;
    }
    for port in ports {
        let Some(target) = port.target.clone().or_else(|| port.port.map(TargetPort::Number)) else { continue };
        // With no known container port the rule asks a person: nothing shows it broken.
        let problem = (!listening.is_empty() && !reaches(&target, listening))
            .then(|| format!("targetPort {target} is not a port Django listens on ({})", describe(listening)));
        let mut places = vec![Evidence::at(&service.path, Some(port.line)).found(format!("targetPort: {target}"))];
        places.extend(listening.iter().take(shown::MAX_EVIDENCE).map(|p| p.evidence.clone()));
        let evidence = b.cite(RuleId::ServiceTargetPort, places);
        b.edge(
            Edge::new(service_id, deployment, EdgeKind::TargetPort, format!("targetPort {target}"))
                .broken(problem)
                .rule(RuleId::ServiceTargetPort, evidence),
        );
    }
}

fn probes(b: &mut Builder<'_>, object: &Object, container: &Container<'_>, deployment: &str, listening: &Listening) {
    let name = object_name(object);
    let probes = container.probes();
    if probes.is_empty() {
        let problem = "the Django container has no liveness, readiness or startup probe";
        let id = b.node(
            Node::new(format!("probe/{name}/(none)"), NodeKind::Probe, "no probe")
                .at(&object.path, Some(container.line()))
                .status(NodeStatus::Missing, "not set on the Django container")
                .rule(RuleId::HealthCheck),
        );
        let evidence = b.cite(RuleId::HealthCheck, Vec::new());
        b.edge(
            Edge::new(&id, deployment, EdgeKind::Probe, "health check")
                .broken(Some(problem.to_owned()))
                .rule(RuleId::HealthCheck, evidence),
        );
        return;
    }
    for (kind, probe) in probes {
        let line = container.node.key_node(kind).map_or(probe.line, |k| k.line);
        let handled = HANDLERS.iter().any(|h| probe.get(h).is_some());
        let mut node = Node::new(format!("probe/{name}/{kind}"), NodeKind::Probe, kind)
            .at(&object.path, Some(line))
            .detail(describe_probe(probe));
        if !handled {
            node = node.status(NodeStatus::Broken, "the probe has no handler (httpGet, tcpSocket, exec or grpc)");
        }
        let id = b.node(node.rule(RuleId::HealthCheck));
        match probe_port(probe) {
            Some((port, port_line)) => {
                let problem = (!listening.is_empty() && !reaches(&port, listening))
                    .then(|| format!("{kind} port {port} is not a port Django listens on ({})", describe(listening)));
                let mut places = vec![Evidence::at(&object.path, Some(port_line)).found(format!("{kind} port {port}"))];
                places.extend(listening.iter().take(shown::MAX_EVIDENCE).map(|p| p.evidence.clone()));
                let evidence = b.cite(RuleId::ProbePort, places);
                b.edge(
                    Edge::new(&id, deployment, EdgeKind::Probe, format!("port {port}"))
                        .broken(problem)
                        .rule(RuleId::ProbePort, evidence),
                );
            }
            None => {
                let label = if probe.get("exec").is_some() { "exec" } else { "no handler" };
                let problem = (!handled).then(|| format!("{kind} has no handler, so it checks nothing"));
                let evidence = b.cite(RuleId::HealthCheck, vec![Evidence::at(&object.path, Some(line))]);
                b.edge(
                    Edge::new(&id, deployment, EdgeKind::Probe, label)
                        .broken(problem)
                        .rule(RuleId::HealthCheck, evidence),
                );
            }
        }
    }
}

/// HorizontalPodAutoscalers and the workload each scales. No rule checks
/// them; the edge cites the `scaleTargetRef` line.
fn autoscalers(b: &mut Builder<'_>, release: &Release<'_>, ids: &Ids) {
    for hpa in release.objects.iter().filter(|o| o.kind == "HorizontalPodAutoscaler") {
        let mut node = object_node(format!("hpa/{}", object_name(hpa)), NodeKind::HorizontalPodAutoscaler, hpa);
        let replicas = |key: &str| hpa.root.path(&["spec", key]).and_then(|n| n.as_str()).unwrap_or("?").to_owned();
        node = node.detail(format!("replicas {} to {}", replicas("minReplicas"), replicas("maxReplicas")));
        let id = b.node(node);
        let Some(target) = hpa.root.path(&["spec", "scaleTargetRef"]) else { continue };
        let kind = target.get("kind").and_then(|n| n.as_str()).unwrap_or("");
        let name = target.get("name").and_then(|n| n.as_str()).unwrap_or("");
        let (prefix, node_kind) =
            if kind == "Deployment" { ("deployment", NodeKind::Deployment) } else { ("workload", NodeKind::Workload) };
        let found = release.find(kind, name);
        let target_id = match found {
            Some(object) if release.django_object().is_some_and(|d| std::ptr::eq(d, object)) => ids.deployment.clone(),
            Some(object) => b.node(object_node(format!("{prefix}/{name}"), node_kind, object)),
            None => b.node(
                Node::new(format!("{prefix}/{name}"), node_kind, name)
                    .status(NodeStatus::Missing, "not in the manifests"),
            ),
        };
        let problem =
            found.is_none().then(|| format!("scaleTargetRef names {kind} {name}, which the release does not define"));
        b.edge(
            Edge::new(&id, &target_id, EdgeKind::ScaleTarget, "scaleTargetRef").broken(problem).evidence(vec![
                Evidence::at(&hpa.path, Some(target.line)).found(format!("scaleTargetRef {kind}/{name}")),
            ]),
        );
    }
}

/// `persistentVolumeClaim` volumes of the Django Deployment and of
/// leftover Pods.
fn claims(b: &mut Builder<'_>, release: &Release<'_>, ids: &Ids) {
    let django = if ids.django { release.django_object() } else { None };
    let pods = release.objects.iter().filter(|o| o.kind == "Pod");
    for object in django.into_iter().chain(pods) {
        let volumes = object.pod_spec().and_then(|s| s.get("volumes")).map(|v| v.items()).unwrap_or_default();
        for claim in volumes.iter().filter_map(|v| v.path(&["persistentVolumeClaim", "claimName"])) {
            let name = claim.as_str().unwrap_or("");
            let source = if django.is_some_and(|d| std::ptr::eq(d, object)) {
                ids.deployment.clone()
            } else {
                add_leftover(b, object)
            };
            let pvc = release.find("PersistentVolumeClaim", name);
            let target = match pvc {
                Some(pvc) => add_leftover(b, pvc),
                None => b.node(
                    Node::new(format!("pvc/{name}"), NodeKind::PersistentVolumeClaim, name)
                        .status(NodeStatus::Missing, "not in the manifests")
                        .rule(RuleId::VolumeClaimsExist),
                ),
            };
            let problem = pvc.is_none().then(|| format!("PVC {name} does not exist: the pods stay Pending"));
            let evidence = b.cite(
                RuleId::VolumeClaimsExist,
                vec![Evidence::at(&object.path, Some(claim.line)).found(format!("claims PVC {name}"))],
            );
            b.edge(
                Edge::new(&source, &target, EdgeKind::Claims, "claims pvc")
                    .broken(problem)
                    .rule(RuleId::VolumeClaimsExist, evidence),
            );
        }
    }
}

/// The Pod and PVC of earlier milestones, and their files when these hold
/// no object (a `pod.yaml` that does not parse).
fn leftovers(b: &mut Builder<'_>, release: &Release<'_>) {
    for object in release.objects.iter().filter(|o| o.kind == "Pod" || o.kind == "PersistentVolumeClaim") {
        add_leftover(b, object);
    }
    for (file, kind, rule) in [("pod", "Pod", RuleId::PodRemoved), ("pvc", "PersistentVolumeClaim", RuleId::PvcRemoved)]
    {
        for path in release.leftover_files(file) {
            if release.objects.iter().any(|o| o.kind == kind && o.path == path) {
                continue;
            }
            b.node(
                Node::new(format!("file/{path}"), NodeKind::File, path.as_str())
                    .at(path.as_str(), None)
                    .status(NodeStatus::Leftover, format!("the {kind} file of an earlier milestone: delete it"))
                    .rule(rule),
            );
        }
    }
}

/// Adds the node of a Pod or PVC that should be gone, building it only
/// when it is drawn (a release of 20,000 Pods draws ten).
fn add_leftover(b: &mut Builder<'_>, object: &Object) -> String {
    let (prefix, kind, _, _) = leftover_kind(object);
    let id = shown::clip_id(format!("{prefix}/{}", object_name(object)));
    b.node_with(id, kind, || leftover(object))
}

/// A leftover's id prefix, node kind, rule and why it should go.
fn leftover_kind(object: &Object) -> (&'static str, NodeKind, RuleId, &'static str) {
    match object.kind.as_str() {
        "Pod" => ("pod", NodeKind::Pod, RuleId::PodRemoved, "the Deployment replaces this Pod: delete it"),
        _ => (
            "pvc",
            NodeKind::PersistentVolumeClaim,
            RuleId::PvcRemoved,
            "Postgres keeps the data now: delete this claim",
        ),
    }
}

/// A Pod or PVC that should be gone.
fn leftover(object: &Object) -> Node {
    let (prefix, kind, rule, why) = leftover_kind(object);
    let mut node =
        object_node(format!("{prefix}/{}", object_name(object)), kind, object).status(NodeStatus::Leftover, why);
    node.rule = Some(rule);
    node
}
