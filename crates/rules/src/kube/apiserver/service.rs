//! `ValidateService`: the type, the ports (number, name, protocol,
//! targetPort, nodePort), the selector's labels.

use crate::parse::yaml::Node;

use super::super::names;
use super::metadata::labels_of;
use super::pod::protocol;
use super::{Check, FieldPath, Shown, int, list, map, port_num_or_name, text};

const TYPES: [&str; 4] = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];

pub(super) fn service(check: &mut Check<'_>, spec: &Node, path: &FieldPath, root: &Node) {
    let service_type = match text(spec, "type").filter(|(t, _)| !t.is_empty()) {
        Some((written, at)) if !TYPES.contains(&written) => {
            check.not_supported(at, &path.field("type"), written, &TYPES);
            None
        }
        Some((written, _)) => Some(written),
        None => Some("ClusterIP"),
    };
    let headless = text(spec, "clusterIP").is_some_and(|(ip, _)| ip == "None");
    let ports = list(spec, "ports");
    let ports_given = spec.get("ports").is_some_and(|p| p.is_seq());
    if ports.is_empty()
        && !headless
        && service_type != Some("ExternalName")
        && (ports_given || spec.get("ports").is_none())
    {
        let at = spec.get("ports").or_else(|| root.get("spec")).unwrap_or(root);
        check.required(
            at,
            &path.field("ports"),
            "",
            "at least one port under `ports:`",
            "add `ports:` with `- port: 80` and `targetPort: 8000`",
        );
    }
    let mut seen = Vec::new();
    for (i, port) in ports.iter().enumerate() {
        let field = path.field("ports").index(i);
        match text(port, "name").filter(|(n, _)| !n.is_empty()) {
            Some((name, at)) => {
                check.each(
                    at,
                    &field.field("name"),
                    name,
                    names::dns1123_label(name),
                    "a port name: lowercase letters, digits and '-'",
                    "write the name in lowercase letters, digits and '-'",
                );
                if !super::first_time(&mut seen, name) {
                    check.duplicate(at, &field.field("name"), name, "port name");
                }
            }
            None if ports.len() > 1 && port.get("name").is_none_or(|n| n.is_null() || super::as_text(n).is_some()) => {
                check.required(
                    port,
                    &field.field("name"),
                    "",
                    "a `name:` on each port of a Service with several",
                    "name each port (`name: http`)",
                );
            }
            None => {}
        }
        if let Some((number, at)) = int(port, "port") {
            check.each_int(at, &field.field("port"), number);
        }
        protocol(check, port, &field);
        if let Some(target) = port.get("targetPort").filter(|t| !t.is_null() && super::as_int(t) != Some(0)) {
            port_num_or_name(check, target, &field.field("targetPort"));
        }
        if let Some((node_port, at)) = int(port, "nodePort").filter(|(n, _)| *n != 0) {
            node_port_check(check, at, &field.field("nodePort"), node_port, service_type);
        }
    }
    if let Some(selector) = map(spec, "selector") {
        labels_of(check, selector, &path.field("selector"));
    }
    if let Some((affinity, at)) = text(spec, "sessionAffinity").filter(|(a, _)| !a.is_empty())
        && affinity != "ClientIP"
        && affinity != "None"
    {
        check.not_supported(at, &path.field("sessionAffinity"), affinity, &["ClientIP", "None"]);
    }
    if let Some((policy, at)) = text(spec, "externalTrafficPolicy").filter(|(p, _)| !p.is_empty())
        && policy != "Cluster"
        && policy != "Local"
    {
        check.not_supported(at, &path.field("externalTrafficPolicy"), policy, &["Cluster", "Local"]);
    }
}

fn node_port_check(check: &mut Check<'_>, at: &Node, field: &FieldPath, node_port: i64, service_type: Option<&str>) {
    if matches!(service_type, Some("ClusterIP" | "ExternalName")) {
        check.forbidden(
            at,
            field,
            &format!("may not be used when `type` is '{}'", service_type.unwrap_or_default()),
            "no nodePort on this type of Service",
            "remove `nodePort:`, or make the Service `type: NodePort` or `LoadBalancer`",
        );
    } else if !(30000..=32767).contains(&node_port) {
        check.invalid(
            at,
            field,
            Shown::Int(node_port),
            "provided port is not in the valid range. The range of valid ports is 30000-32767",
            "a nodePort from 30000 to 32767",
            "remove `nodePort:` (the cluster picks one), or use one from 30000 to 32767",
        );
    }
}
