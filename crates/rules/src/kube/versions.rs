//! Which schema an object's apiVersion and kind select, and what kubectl
//! says when none does: a removed API version (with its replacement), a kind
//! no built-in group serves, or a kind this checker does not validate.

use crate::parse::yaml::{Node, ScalarType};

use super::apiserver::CheckedKind;
use super::directory::json_type;
use super::schema::{Def, Schema};
use super::{KubeObject, Rejection, RejectionKind};

/// An API version Kubernetes no longer serves for a kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Removed {
    /// The version that replaces it; `None` when the kind itself is gone.
    pub replacement: Option<&'static str>,
    /// The Kubernetes release that stopped serving it.
    pub removed_in: &'static str,
}

/// (apiVersion, kinds, replacement, removed in), from the Kubernetes
/// deprecated API migration guide.
const REMOVED: &[(&str, &[&str], Option<&str>, &str)] = &[
    ("extensions/v1beta1", &["Deployment", "DaemonSet", "ReplicaSet"], Some("apps/v1"), "1.16"),
    ("apps/v1beta1", &["Deployment", "StatefulSet", "ReplicaSet", "DaemonSet"], Some("apps/v1"), "1.16"),
    ("apps/v1beta2", &["Deployment", "StatefulSet", "ReplicaSet", "DaemonSet"], Some("apps/v1"), "1.16"),
    ("extensions/v1beta1", &["NetworkPolicy"], Some("networking.k8s.io/v1"), "1.16"),
    ("extensions/v1beta1", &["Ingress"], Some("networking.k8s.io/v1"), "1.22"),
    ("networking.k8s.io/v1beta1", &["Ingress", "IngressClass"], Some("networking.k8s.io/v1"), "1.22"),
    ("extensions/v1beta1", &["PodSecurityPolicy"], None, "1.25"),
    ("policy/v1beta1", &["PodSecurityPolicy"], None, "1.25"),
    ("policy/v1beta1", &["PodDisruptionBudget"], Some("policy/v1"), "1.25"),
    ("batch/v1beta1", &["CronJob"], Some("batch/v1"), "1.25"),
    ("batch/v2alpha1", &["CronJob"], Some("batch/v1"), "1.21"),
    ("autoscaling/v2beta1", &["HorizontalPodAutoscaler"], Some("autoscaling/v2"), "1.25"),
    ("autoscaling/v2beta2", &["HorizontalPodAutoscaler"], Some("autoscaling/v2"), "1.26"),
    ("discovery.k8s.io/v1beta1", &["EndpointSlice"], Some("discovery.k8s.io/v1"), "1.25"),
    ("events.k8s.io/v1beta1", &["Event"], Some("events.k8s.io/v1"), "1.25"),
    ("node.k8s.io/v1beta1", &["RuntimeClass"], Some("node.k8s.io/v1"), "1.25"),
    (
        "rbac.authorization.k8s.io/v1beta1",
        &["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"],
        Some("rbac.authorization.k8s.io/v1"),
        "1.22",
    ),
    ("apiextensions.k8s.io/v1beta1", &["CustomResourceDefinition"], Some("apiextensions.k8s.io/v1"), "1.22"),
    ("scheduling.k8s.io/v1beta1", &["PriorityClass"], Some("scheduling.k8s.io/v1"), "1.22"),
    (
        "storage.k8s.io/v1beta1",
        &["StorageClass", "VolumeAttachment", "CSIDriver", "CSINode"],
        Some("storage.k8s.io/v1"),
        "1.22",
    ),
];

/// Whether `api_version` is a version Kubernetes stopped serving `kind` at.
pub fn removed_version(api_version: &str, kind: &str) -> Option<Removed> {
    REMOVED
        .iter()
        .find(|(version, kinds, _, _)| *version == api_version && kinds.contains(&kind))
        .map(|&(_, _, replacement, removed_in)| Removed { replacement, removed_in })
}

/// The schema and kind an object is checked against, or why there is none.
pub(super) fn resolve<'s>(
    object: &KubeObject<'_>,
    schema: &'s Schema,
) -> Result<(&'s Def, CheckedKind), Box<Rejection>> {
    let path = object.path.as_str();
    let node = object.node;
    for key in ["apiVersion", "kind"] {
        if let Some(value) = node.get(key).filter(|v| !v.is_null() && !is_string(v)) {
            return Err(Box::new(Rejection::new(
                path,
                value,
                key,
                RejectionKind::Type,
                format!(
                    "couldn't get version/kind; json parse error: json: cannot unmarshal {} into Go struct field .{key} of type string",
                    json_type(value)
                ),
                format!("`{key}` as a string"),
                format!("write `{key}` as text, such as `{}`", if key == "kind" { "Deployment" } else { "apps/v1" }),
            )));
        }
    }
    let Some(kind) = object.kind() else {
        return Err(Box::new(Rejection::new(
            path,
            node,
            "kind",
            RejectionKind::Required,
            "Object 'Kind' is missing in '{...}'",
            "a `kind:` (Deployment, Service, ConfigMap, Secret...)",
            "add `kind:` with the object's kind",
        )));
    };
    let api_version = object.api_version().unwrap_or_default();
    let at = node.get("apiVersion").or_else(|| node.get("kind")).unwrap_or(node);
    let namespace = node.path(&["metadata", "namespace"]).and_then(Node::as_str).unwrap_or_default();
    let no_match_at = |at: &Node, field: &str, expected: String, fix: String| {
        Rejection::new(
            path,
            at,
            field,
            RejectionKind::NoMatch,
            format!(
                "resource mapping not found for name: \"{}\" namespace: \"{namespace}\" from \"{path}\": no matches for kind \"{kind}\" in version \"{api_version}\"",
                object.name().unwrap_or_default()
            ),
            expected,
            fix,
        )
    };
    let no_match = |expected: String, fix: String| no_match_at(at, "apiVersion", expected, fix);
    if let (Some(def), Some(checked)) = (schema.kind(api_version, kind), CheckedKind::of(kind)) {
        return Ok((def, checked));
    }
    if api_version.is_empty() {
        let versions = schema.versions_of(kind);
        let fix = match versions.last() {
            Some(version) => format!("add `apiVersion: {version}`"),
            None => "add the `apiVersion:` of this kind".to_owned(),
        };
        return Err(Box::new(Rejection {
            kind: RejectionKind::Required,
            ..no_match("an `apiVersion:`".to_owned(), fix)
        }));
    }
    if let Some(removed) = removed_version(api_version, kind) {
        let (expected, fix) = match removed.replacement {
            Some(replacement) => (
                format!("apiVersion: {replacement} ({api_version} was removed in Kubernetes {})", removed.removed_in),
                replacement_fix(kind, replacement),
            ),
            None => (
                format!("no {kind}: Kubernetes {} removed the kind", removed.removed_in),
                format!("delete the {kind}; Kubernetes 1.25 replaced it with Pod Security Admission"),
            ),
        };
        return Err(Box::new(no_match(expected, fix)));
    }
    if schema.is_builtin(api_version, kind) {
        return Err(Box::new(Rejection::new(
            path,
            at,
            "",
            RejectionKind::UnknownKind,
            format!("{kind} ({api_version}) is a built-in kind this checker does not validate"),
            "a kind this checker validates",
            "check it with `kubectl apply --dry-run=server -f` on the cluster",
        )));
    }
    if is_builtin_group(api_version, schema) {
        if let Some(right) = closest_kind(kind, api_version, schema) {
            let kind_at = node.get("kind").unwrap_or(at);
            return Err(Box::new(no_match_at(
                kind_at,
                "kind",
                format!("kind: {right}"),
                format!("write `kind: {right}` (kinds are case-sensitive)"),
            )));
        }
        let (expected, fix) = match schema.versions_of(kind).last() {
            Some(version) => (format!("apiVersion: {version}"), format!("change apiVersion to {version}")),
            None => (
                "a kind Kubernetes 1.34 serves".to_owned(),
                "check the kind's spelling and apiVersion (`kubectl api-resources` lists them)".to_owned(),
            ),
        };
        return Err(Box::new(no_match(expected, fix)));
    }
    Err(Box::new(Rejection::new(
        path,
        at,
        "",
        RejectionKind::UnknownKind,
        format!(
            "{kind} ({api_version}) is not a built-in kind: kubectl applies it only where its CustomResourceDefinition is installed"
        ),
        "a built-in kind, or a custom resource whose definition the release installs",
        "install the CustomResourceDefinition first, or use a built-in kind",
    )))
}

fn replacement_fix(kind: &str, replacement: &str) -> String {
    match replacement {
        "apps/v1" => format!(
            "change apiVersion to apps/v1; apps/v1 also requires `spec.selector.matchLabels` matching the {kind}'s template labels"
        ),
        "networking.k8s.io/v1" if kind == "Ingress" => "change apiVersion to networking.k8s.io/v1; v1 writes a backend as `service: {name: ..., port: {number: ...}}` and needs `pathType` on each path".to_owned(),
        "autoscaling/v2" => "change apiVersion to autoscaling/v2; v2 writes the CPU target as `metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}}]`".to_owned(),
        _ => format!("change apiVersion to {replacement}"),
    }
}

/// A group Kubernetes itself serves: the core group (no `/`), or one that
/// serves at least one version in 1.34. A custom resource cannot use one.
fn is_builtin_group(api_version: &str, schema: &Schema) -> bool {
    match api_version.split_once('/') {
        None => true,
        Some((group, _)) => {
            !group.contains('.')
                || schema
                    .checked_kinds()
                    .map(|(v, _)| v)
                    .chain(["extensions/v1beta1"])
                    .any(|v| v.split_once('/').is_some_and(|(g, _)| g == group))
                || group.ends_with(".k8s.io")
        }
    }
}

/// The kind of this apiVersion that `kind` misspells (case-insensitively).
fn closest_kind(kind: &str, api_version: &str, schema: &Schema) -> Option<&'static str> {
    let lower = kind.to_ascii_lowercase();
    schema
        .checked_kinds()
        .filter(|(v, _)| *v == api_version)
        .map(|(_, k)| k)
        .find(|k| k.to_ascii_lowercase() == lower || super::names::edit_distance(k, kind) <= 2)
}

fn is_string(node: &Node) -> bool {
    node.scalar().is_some_and(|s| s.resolved_type() == ScalarType::Str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_replacement_of_removed_versions() {
        assert_eq!(
            removed_version("apps/v1beta1", "Deployment"),
            Some(Removed { replacement: Some("apps/v1"), removed_in: "1.16" })
        );
        assert_eq!(
            removed_version("extensions/v1beta1", "Ingress").and_then(|r| r.replacement),
            Some("networking.k8s.io/v1")
        );
        assert_eq!(
            removed_version("autoscaling/v2beta2", "HorizontalPodAutoscaler").map(|r| r.removed_in),
            Some("1.26")
        );
        assert_eq!(removed_version("policy/v1beta1", "PodSecurityPolicy").map(|r| r.replacement), Some(None));
        assert_eq!(removed_version("apps/v1", "Deployment"), None);
    }
}
