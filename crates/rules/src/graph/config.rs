//! The configuration side: the ConfigMaps and Secrets the Django container
//! loads, the Postgres Service `helm install postgres` creates, the chart's
//! values, and the variables that must reach them.

use std::collections::HashMap;

use crate::finding::{Evidence, Status};
use crate::model::env::{self, Via, config_map_value, secret_value};
use crate::model::k8s::EnvReference;
use crate::model::values::{CREDENTIALS, ValuesState};
use crate::model::{Object, Release, VALUES_PATH};
use crate::parse::yaml::Node as Yaml;
use crate::procedure::{HELM_RELEASE, expected_host};
use crate::rule_id::RuleId;
use crate::shown;

use super::builder::{Builder, file_problem, object_name, object_node};
use super::{Edge, EdgeKind, Ids, Node, NodeKind, NodeStatus};

const HOSTNAME: &str = "POSTGRES_HOSTNAME";

pub(super) fn add(b: &mut Builder<'_>, release: &Release<'_>, ids: &Ids) {
    if ids.django {
        references(b, release, &ids.deployment);
    }
    let postgres = postgres_node(b, release);
    let values = values_node(b, release);
    helm_edge(b, release, &postgres, &values);
    hostname_edge(b, release, ids, &postgres);
    credential_edges(b, release, ids, &values);
}

/// The Django container's references, each an edge to its ConfigMap or
/// Secret (a missing one becomes a `missing` node).
fn references(b: &mut Builder<'_>, release: &Release<'_>, deployment: &str) {
    let (Some(object), Some(container)) = (release.django_object(), release.django_container()) else { return };
    // Per kind, the names defined (worked out once, not per reference).
    let mut defined_of: HashMap<&str, String> = HashMap::new();
    for reference in container.env_references() {
        let EnvReference { kind, name, key, optional, line } = reference;
        let target_id = config_node(b, release, kind, &name);
        let target = release.find(kind, &name);
        let rejected = target.is_none() && release.find_any(kind, &name).is_some();
        let missing_key = match (&key, target) {
            (Some((key, _)), Some(t)) => {
                t.root.path(&["data", key]).is_none() && t.root.path(&["stringData", key]).is_none()
            }
            _ => false,
        };
        let problem = if optional {
            None
        } else if rejected {
            Some(format!("kubectl rejects {kind} {name}, so the container cannot load it"))
        } else if target.is_none() {
            let defined = defined_of.entry(kind).or_insert_with(|| defined(release, kind));
            Some(format!("{kind} {} does not exist{defined}", shown::clip(&name)))
        } else if missing_key {
            key.as_ref().map(|(key, _)| format!("{kind} {name} has no key {key}"))
        } else {
            None
        };
        let (edge_kind, label, found) = match &key {
            None => (EdgeKind::EnvFrom, "envFrom".to_owned(), format!("{kind} {name}")),
            Some((key, var)) => {
                (EdgeKind::ValueFrom, format!("{var} from key {key}"), format!("{kind} {name} key {key}"))
            }
        };
        let evidence = b.cite(RuleId::EnvRefsExist, vec![Evidence::at(&object.path, Some(line)).found(found)]);
        b.edge(
            Edge::new(deployment, &target_id, edge_kind, label).broken(problem).rule(RuleId::EnvRefsExist, evidence),
        );
    }
}

/// ` (defined: a, b)`, ` (none is defined)` or, when the file that should
/// define it is unreadable, why.
fn defined(release: &Release<'_>, kind: &str) -> String {
    let file = release.manifest_path(if kind == "Secret" { "secret.yaml" } else { "config.yaml" });
    if let Some(problem) = file_problem(release, &file) {
        return format!(" ({problem})");
    }
    let names: Vec<String> = release.applied_of_kind(kind).filter_map(|o| o.name.clone()).collect();
    if names.is_empty() {
        " (none is defined)".to_owned()
    } else {
        format!(" (defined: {})", shown::some_of(&names, ", "))
    }
}

/// The node of the ConfigMap or Secret `name`: the object kubectl accepts,
/// else a rejected one (broken), else a `missing` node.
fn config_node(b: &mut Builder<'_>, release: &Release<'_>, kind: &str, name: &str) -> String {
    let (prefix, node_kind) =
        if kind == "Secret" { ("secret", NodeKind::Secret) } else { ("configmap", NodeKind::ConfigMap) };
    let id = format!("{prefix}/{name}");
    if b.has(&id) {
        return id;
    }
    let object = release.find(kind, name).or_else(|| release.find_any(kind, name));
    match object {
        Some(object) => b.node(object_node(id, node_kind, object)),
        None => {
            let file = release.manifest_path(if kind == "Secret" { "secret.yaml" } else { "config.yaml" });
            let problem = match file_problem(release, &file) {
                Some(problem) => format!("not in the manifests ({problem})"),
                None => "not in the manifests".to_owned(),
            };
            b.node(Node::new(id, node_kind, name).status(NodeStatus::Missing, problem).rule(RuleId::EnvRefsExist))
        }
    }
}

/// The node of an object holding a variable: its ConfigMap or Secret node.
fn holder_node(b: &mut Builder<'_>, release: &Release<'_>, object: &Object) -> String {
    config_node(b, release, if object.kind == "Secret" { "Secret" } else { "ConfigMap" }, &object_name(object))
}

/// Why `helm install` cannot use the values file, in plain words.
fn values_problem(release: &Release<'_>) -> Option<String> {
    let values = &release.values;
    match &values.state {
        ValuesState::Missing => Some(format!("there is no {VALUES_PATH} at the root")),
        ValuesState::Unreadable(reason) => Some(format!("{} could not be read ({reason})", values.path)),
        ValuesState::Invalid(error) => {
            Some(format!("{} is not valid YAML (line {}: {})", values.path, error.line, error.message))
        }
        ValuesState::Parsed(_) if !values.at_root() => {
            Some(format!("the values file is at {}, but helm install runs from the root", values.path))
        }
        ValuesState::Parsed(_) => None,
    }
}

/// `postgres-postgresql`: created by the test procedure, not by a file of
/// the release, so it has no path. Missing when `helm install` would fail.
fn postgres_node(b: &mut Builder<'_>, release: &Release<'_>) -> String {
    let name = expected_host();
    let mut node = Node::new(format!("service/{name}"), NodeKind::Service, name.as_str())
        .detail(format!("created by helm install {HELM_RELEASE}"))
        .rule(RuleId::ValuesPostgresPresent);
    if let Some(problem) = values_problem(release) {
        node = node.status(NodeStatus::Missing, format!("helm install {HELM_RELEASE} fails: {problem}"));
    }
    b.node(node)
}

/// The `auth` block of the chart's values (passwords are not shown).
fn values_node(b: &mut Builder<'_>, release: &Release<'_>) -> String {
    let values = &release.values;
    let auth_line = values.root().and_then(|root| {
        root.path(&["global", "postgresql"]).and_then(|g| g.key_node("auth")).or_else(|| root.key_node("auth"))
    });
    let mut node =
        Node::new("values/auth", NodeKind::HelmValues, values.path.as_str()).rule(RuleId::ValuesPostgresPresent);
    if values.state != ValuesState::Missing {
        node = node.at(values.path.as_str(), auth_line.map(|n| n.line).or(values.error_line()));
    }
    for key in ["username", "database"] {
        if let Some(auth) = values.auth(key) {
            node = node.detail(format!("auth.{key} {}", auth.value));
        }
    }
    for key in ["password", "postgresPassword"] {
        if values.auth(key).is_some() {
            node = node.detail(format!("auth.{key} set"));
        }
    }
    let no_auth = ["username", "password", "database"].iter().all(|k| values.auth(k).is_none());
    let problem = values_problem(release)
        .or_else(|| no_auth.then(|| "sets none of auth.username, auth.password, auth.database".to_owned()));
    if let Some(problem) = problem {
        let status = if values.state == ValuesState::Missing { NodeStatus::Missing } else { NodeStatus::Broken };
        node = node.status(status, problem);
    }
    b.node(node)
}

/// `helm install postgres … --values values-postgres.yaml` reading the values.
fn helm_edge(b: &mut Builder<'_>, release: &Release<'_>, postgres: &str, values: &str) {
    let evidence = b.cite(RuleId::ValuesPostgresPresent, Vec::new());
    b.edge(
        Edge::new(postgres, values, EdgeKind::HelmValues, format!("helm install {HELM_RELEASE} --values"))
            .broken(values_problem(release))
            .rule(RuleId::ValuesPostgresPresent, evidence),
    );
}

/// `POSTGRES_HOSTNAME`, from where the release sets it to the Service it
/// names: `postgres-postgresql`, or a `missing` host.
fn hostname_edge(b: &mut Builder<'_>, release: &Release<'_>, ids: &Ids, postgres: &str) {
    let expected = expected_host();
    let config_file = release.manifest_path("config.yaml");
    // As the rule reads it: a ConfigMap with the key (accepted ones first,
    // `config.yaml` first), else wherever the container gets it.
    let mut holders: Vec<&Object> = release
        .objects
        .iter()
        .filter(|o| o.kind == "ConfigMap" && o.root.path(&["data", HOSTNAME]).is_some())
        .collect();
    crate::order::sort_by_key(&mut holders, |o| (o.defect.is_some(), o.path != config_file));
    let mut rejected = false;
    let mut via_dockerfile = false;
    let (source, value, places) = if let Some(config_map) = holders.first() {
        rejected = config_map.defect.is_some();
        let node = config_map.root.path(&["data", HOSTNAME]);
        let value = node.and_then(Yaml::as_str).map(str::to_owned);
        let place = Evidence::at(&config_map.path, node.map(|n| n.line))
            .found(format!("{HOSTNAME}: {}", value.as_deref().unwrap_or("")));
        (holder_node(b, release, config_map), value, vec![place])
    } else if let Some(binding) = env::resolve(release, HOSTNAME) {
        via_dockerfile = binding.via == Via::Dockerfile;
        let source = match &binding.via {
            Via::ConfigMap(name) => config_node(b, release, "ConfigMap", name),
            Via::Secret(name) => config_node(b, release, "Secret", name),
            Via::Container | Via::Dockerfile | Via::Cluster => ids.deployment.clone(),
        };
        (source, binding.value, binding.chain)
    } else {
        (ids.deployment.clone(), None, Vec::new())
    };
    let failed = b.status(RuleId::ConfigPostgresHostname) == Some(Status::Fail);
    let problem = match value.as_deref() {
        None => Some(match file_problem(release, &config_file) {
            Some(problem) => format!("{problem}, so {HOSTNAME} is never set"),
            None => format!("no ConfigMap sets {HOSTNAME}"),
        }),
        Some(host) if host != expected => Some(wrong_host(host, &expected)),
        Some(_) if failed && rejected => Some(format!("kubectl rejects this ConfigMap, so {HOSTNAME} is never set")),
        Some(_) if failed && via_dockerfile => {
            Some(format!("only the Dockerfile's ENV sets {HOSTNAME}; the test procedure reads the ConfigMap"))
        }
        Some(_) if failed => b.finding(RuleId::ConfigPostgresHostname).map(|f| f.message.clone()),
        Some(_) => None,
    };
    let target = match value.as_deref() {
        Some(host) if host != expected => b.node(
            Node::new(format!("host/{host}"), NodeKind::Host, if host.is_empty() { "(empty)" } else { host })
                .status(NodeStatus::Missing, format!("no such Service after helm install {HELM_RELEASE}"))
                .rule(RuleId::ConfigPostgresHostname),
        ),
        _ => postgres.to_owned(),
    };
    let evidence = b.cite(RuleId::ConfigPostgresHostname, places);
    b.edge(
        Edge::new(&source, &target, EdgeKind::Hostname, HOSTNAME)
            .broken(problem)
            .rule(RuleId::ConfigPostgresHostname, evidence),
    );
}

fn wrong_host(host: &str, expected: &str) -> String {
    if host.ends_with("-postgresql") {
        format!("helm install {HELM_RELEASE} creates {expected}, not {host}")
    } else if matches!(host, "localhost" | "127.0.0.1" | "0.0.0.0") {
        format!("{host} is the Django pod itself; Postgres is the Service {expected}")
    } else if host.is_empty() {
        format!("{HOSTNAME} is empty; Postgres is the Service {expected}")
    } else {
        format!("{host} is not the Service helm install {HELM_RELEASE} creates ({expected})")
    }
}

/// `POSTGRES_USER`, `POSTGRES_PASSWORD`, `POSTGRES_DB`: from the Secret (or
/// ConfigMap) that sets each to the values' `auth` key it must equal.
fn credential_edges(b: &mut Builder<'_>, release: &Release<'_>, ids: &Ids, values: &str) {
    let secret_file = release.manifest_path("secret.yaml");
    let mut secrets: Vec<&Object> = release.applied_of_kind("Secret").collect();
    crate::order::sort_by_key(&mut secrets, |o| o.path != secret_file);
    let config_maps: Vec<&Object> = release.applied_of_kind("ConfigMap").collect();
    let admin = release.values.auth("postgresPassword");
    let unusable = match release.values.state {
        ValuesState::Parsed(_) => None,
        _ => values_problem(release),
    };
    for (var, key) in CREDENTIALS {
        let found = secrets
            .iter()
            .find_map(|s| secret_value(s, var).map(|(v, e)| (*s, v, e)))
            .or_else(|| config_maps.iter().find_map(|c| config_map_value(c, var).map(|(v, e)| (*c, v, e))));
        let source = match (&found, secrets.first()) {
            (Some((object, _, _)), _) | (None, Some(object)) => holder_node(b, release, object),
            (None, None) => b.first_of(NodeKind::Secret).unwrap_or_else(|| ids.deployment.clone()),
        };
        let expected = release.values.auth(key);
        let mut places: Vec<Evidence> = found.iter().map(|(_, _, evidence)| evidence.clone()).collect();
        let problem = if let Some(unusable) = &unusable {
            Some(format!("nothing to compare {var} with: {unusable}"))
        } else if let Some((_, value, _)) = &found {
            match &expected {
                None => Some(format!("{} sets no auth.{key}", release.values.path)),
                Some(expected) => {
                    places.push(expected.evidence.clone());
                    if value == &expected.value {
                        None
                    } else if var == "POSTGRES_PASSWORD" && admin.as_ref().is_some_and(|a| &a.value == value) {
                        places.extend(admin.as_ref().map(|a| a.evidence.clone()));
                        Some(format!("{var} is auth.postgresPassword, the admin password, not auth.password"))
                    } else if var == "POSTGRES_PASSWORD" {
                        Some(format!("{var} is not auth.password"))
                    } else {
                        Some(format!("{var} is {value} but auth.{key} is {}", expected.value))
                    }
                }
            }
        } else {
            let in_image = env::resolve(release, var).filter(|b| b.via == Via::Dockerfile);
            places.push(Evidence::at(&secret_file, None).found(format!("no {var}")));
            places.extend(in_image.iter().flat_map(|b| b.chain.clone()));
            Some(match (file_problem(release, &secret_file), in_image) {
                (Some(problem), _) => format!("{problem}, so {var} is never set"),
                (None, Some(_)) => format!("{var} is only in the Dockerfile's ENV, which does not count"),
                (None, None) => format!("{var} is not set in any Secret"),
            })
        };
        let evidence = b.cite(RuleId::SecretMatchesValues, places);
        b.edge(
            Edge::new(&source, values, EdgeKind::Credential, format!("{var} = auth.{key}"))
                .broken(problem)
                .rule(RuleId::SecretMatchesValues, evidence),
        );
    }
}
