//! ConfigMaps and Secrets (their keys), PersistentVolumeClaims (access
//! modes, the storage request), HorizontalPodAutoscalers (target, replica
//! bounds, metric types) and Ingresses (paths and their types).

use crate::parse::yaml::Node;

use super::super::names;
use super::{Check, FieldPath, Shown, int, list, map, text};

pub(super) fn config_map(check: &mut Check<'_>, root: &Node) {
    let mut seen = Vec::new();
    for part in ["data", "binaryData"] {
        keys(check, root, part, &FieldPath::root().field(part), &mut seen);
    }
}

pub(super) fn secret(check: &mut Check<'_>, root: &Node) {
    // stringData is merged into data before validation, so its keys are
    // reported as data's.
    let data = FieldPath::root().field("data");
    for part in ["data", "stringData"] {
        keys(check, root, part, &data, &mut Vec::new());
    }
}

fn keys<'a>(check: &mut Check<'_>, root: &'a Node, part: &str, path: &FieldPath, seen: &mut Vec<&'a str>) {
    let Some(entries) = map(root, part) else { return };
    for (key, _) in entries.entries() {
        let Some(name) = key.scalar().map(|s| s.text.as_str()) else { continue };
        let field = path.key(name);
        check.each(
            key,
            &field,
            name,
            names::config_map_key(name),
            "a key of letters, digits, '-', '_' and '.'",
            "use letters, digits, '-', '_' and '.' in the key (an environment variable name works)",
        );
        if part == "binaryData" && seen.contains(&name) {
            check.invalid(
                key,
                &field,
                Shown::Str(name),
                "duplicate of key present in data",
                "a key in data or binaryData, not both",
                "keep the key in one of data and binaryData",
            );
        }
        seen.push(name);
    }
}

const ACCESS_MODES: [&str; 4] = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"];

pub(super) fn claim(check: &mut Check<'_>, spec: &Node, path: &FieldPath) {
    let modes = list(spec, "accessModes");
    if modes.is_empty() {
        check.required(
            spec.get("accessModes").unwrap_or(spec),
            &path.field("accessModes"),
            "at least 1 access mode is required",
            "`accessModes: [ReadWriteOnce]`",
            "add `accessModes:` with `- ReadWriteOnce`",
        );
    }
    for (i, mode) in modes.iter().enumerate() {
        if let Some(written) = super::as_text(mode)
            && !ACCESS_MODES.contains(&written)
        {
            check.not_supported(mode, &path.field("accessModes").index(i), written, &ACCESS_MODES);
        }
    }
    let storage = map(spec, "resources").and_then(|r| map(r, "requests")).and_then(|r| r.get("storage"));
    if storage.is_none() && spec.get("dataSource").is_none() && spec.get("dataSourceRef").is_none() {
        check.required(
            spec.get("resources").unwrap_or(spec),
            &path.field("resources").key("storage"),
            "",
            "`resources: {requests: {storage: 1Gi}}`",
            "add `resources:` with `requests:` and `storage: 1Gi`",
        );
    }
    if let Some((mode, at)) = text(spec, "volumeMode").filter(|(m, _)| !m.is_empty())
        && mode != "Block"
        && mode != "Filesystem"
    {
        check.not_supported(at, &path.field("volumeMode"), mode, &["Block", "Filesystem"]);
    }
}

const METRIC_TYPES: [&str; 5] = ["ContainerResource", "External", "Object", "Pods", "Resource"];
const TARGET_TYPES: [&str; 3] = ["AverageValue", "Utilization", "Value"];

pub(super) fn autoscaler(check: &mut Check<'_>, spec: &Node, path: &FieldPath) {
    if let Some(target) = map(spec, "scaleTargetRef") {
        for field in ["kind", "name"] {
            if text(target, field).is_none_or(|(v, _)| v.is_empty()) && target.get(field).is_none_or(Node::is_null) {
                check.required(
                    target,
                    &path.field("scaleTargetRef").field(field),
                    "",
                    "the Deployment to scale",
                    "name the Deployment: `kind: Deployment` and its `name:`",
                );
            }
        }
    }
    let min = int(spec, "minReplicas");
    if let Some((value, at)) = min.filter(|(v, _)| *v < 1) {
        check.invalid(
            at,
            &path.field("minReplicas"),
            Shown::Int(value),
            "must be greater than or equal to 1",
            "1 or more",
            "use minReplicas: 1 or more",
        );
    }
    if let Some((max, at)) = int(spec, "maxReplicas") {
        if max < 1 {
            check.invalid(
                at,
                &path.field("maxReplicas"),
                Shown::Int(max),
                "must be greater than 0",
                "1 or more",
                "use maxReplicas: 1 or more",
            );
        } else if min.is_some_and(|(min, _)| max < min) {
            check.invalid(
                at,
                &path.field("maxReplicas"),
                Shown::Int(max),
                "must be greater than or equal to `minReplicas`",
                "maxReplicas of at least minReplicas",
                "raise maxReplicas, or lower minReplicas",
            );
        }
    }
    for (i, metric) in list(spec, "metrics").iter().enumerate() {
        let field = path.field("metrics").index(i);
        if let Some((kind, at)) = text(metric, "type").filter(|(t, _)| !t.is_empty())
            && !METRIC_TYPES.contains(&kind)
        {
            check.not_supported(at, &field.field("type"), kind, &METRIC_TYPES);
        }
        for source in ["resource", "containerResource", "pods", "object", "external"] {
            let Some(target) = map(metric, source).and_then(|s| map(s, "target")) else { continue };
            if let Some((kind, at)) = text(target, "type").filter(|(t, _)| !t.is_empty())
                && !TARGET_TYPES.contains(&kind)
            {
                check.not_supported(at, &field.field(source).field("target").field("type"), kind, &TARGET_TYPES);
            }
        }
    }
}

const PATH_TYPES: [&str; 3] = ["Exact", "ImplementationSpecific", "Prefix"];

pub(super) fn ingress(check: &mut Check<'_>, spec: &Node, path: &FieldPath) {
    for (r, rule) in list(spec, "rules").iter().enumerate() {
        let rule_path = path.field("rules").index(r);
        let Some(http) = map(rule, "http") else { continue };
        for (p, entry) in list(http, "paths").iter().enumerate() {
            let field = rule_path.field("http").field("paths").index(p);
            match text(entry, "pathType") {
                Some((kind, at)) if !PATH_TYPES.contains(&kind) => {
                    check.not_supported(at, &field.field("pathType"), kind, &PATH_TYPES);
                }
                Some(_) => {}
                None if entry.get("pathType").is_none_or(Node::is_null) => check.required(
                    entry,
                    &field.field("pathType"),
                    "pathType must be specified",
                    "`pathType: Prefix` (or Exact, ImplementationSpecific)",
                    "add `pathType: Prefix`",
                ),
                None => {}
            }
            if let Some((written, at)) = text(entry, "path").filter(|(w, _)| !w.is_empty())
                && !written.starts_with('/')
            {
                check.invalid(
                    at,
                    &field.field("path"),
                    Shown::Str(written),
                    "must be an absolute path",
                    "a path starting with /",
                    &format!("write `/{written}`"),
                );
            }
            let port = map(entry, "backend").and_then(|b| map(b, "service")).and_then(|s| map(s, "port"));
            if let Some(port) = port {
                let port_path = field.field("backend").field("service").field("port");
                let named = text(port, "name").is_some_and(|(n, _)| !n.is_empty());
                let numbered = int(port, "number").is_some_and(|(n, _)| n != 0);
                if named && numbered {
                    check.invalid(
                        port,
                        &port_path,
                        Shown::Str(""),
                        "cannot set both port name & port number",
                        "a port `name:` or `number:`",
                        "keep one of `name:` and `number:`",
                    );
                } else if !named && !numbered {
                    check.invalid(
                        port,
                        &port_path,
                        Shown::Str(""),
                        "port name or number is required",
                        "a port `number:` (or `name:`)",
                        "add `number: 80` under `port:`",
                    );
                }
                if let Some((number, at)) = int(port, "number").filter(|(n, _)| *n != 0) {
                    check.each_int(at, &port_path.field("number"), number);
                }
            }
        }
    }
}
