//! Following an environment variable of the Django container to where the
//! release sets it: the container's `env`, a ConfigMap or Secret loaded by
//! `envFrom` or `valueFrom`, or the Dockerfile's `ENV`. Kubernetes'
//! precedence: `env` beats `envFrom` (the last `envFrom` source wins), and
//! both beat the image.
//!
//! Settings may read thousands of variables, so each name is resolved once
//! per release and remembered ([`Cache`]), the container's `env` and the
//! image's `ENV` are indexed by name, and objects are found by name through
//! the release's index: a lookup costs one step per `envFrom` source.

use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;

use base64::Engine;

use crate::finding::Evidence;
use crate::parse::dockerfile::EnvVar;
use crate::parse::yaml::Node;

use super::{Container, Object, Release};

/// What one release has resolved so far, and the indexes that make a
/// lookup cheap. Built lazily, dropped with the release.
#[derive(Debug, Default)]
pub struct Cache {
    resolved: RefCell<HashMap<String, Option<Binding>>>,
    /// Position of the last `env` entry of each name in the container's `env`.
    container_env: OnceCell<HashMap<String, usize>>,
    /// The last `ENV` of each name in the Dockerfile's final stage.
    image_env: OnceCell<HashMap<String, EnvVar>>,
}

/// Where a variable's value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    /// A literal `value:` in the container's `env`.
    Container,
    ConfigMap(String),
    Secret(String),
    /// `ENV` in the Dockerfile: the image's default.
    Dockerfile,
    /// `valueFrom.fieldRef` and the like: known only in the cluster.
    Cluster,
}

/// A variable as the Django container would see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub name: String,
    /// `None` when the value cannot be known from the files.
    pub value: Option<String>,
    pub via: Via,
    /// Each hop, e.g. the `envFrom` line then the ConfigMap key line.
    pub chain: Vec<Evidence>,
}

/// Decodes a Secret `data` value; `None` if it is not valid base64 or not UTF-8.
pub fn decode_base64(text: &str) -> Option<String> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(&compact)
        .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(&compact))
        .ok()?;
    String::from_utf8(bytes).ok()
}

/// A key of a ConfigMap's `data`, with its evidence.
pub fn config_map_value(object: &Object, key: &str) -> Option<(String, Evidence)> {
    let node = object.root.path(&["data", key])?;
    let value = node.as_str()?.to_owned();
    Some((value.clone(), Evidence::at(&object.path, Some(node.line)).found(format!("{key}: {value}"))))
}

/// A key of a Secret, from `stringData` (which wins) or base64 `data`.
pub fn secret_value(object: &Object, key: &str) -> Option<(String, Evidence)> {
    if let Some(node) = object.root.path(&["stringData", key]) {
        let value = node.as_str()?.to_owned();
        return Some((
            value.clone(),
            // Escaped: a newline a `|` block keeps is shown as `\n`, not lost.
            Evidence::at(&object.path, Some(node.line)).found(format!("stringData.{key}: {}", value.escape_debug())),
        ));
    }
    let node = object.root.path(&["data", key])?;
    let encoded = node.as_str()?;
    let value = decode_base64(encoded)?;
    Some((
        value.clone(),
        Evidence::at(&object.path, Some(node.line))
            .found(format!("data.{key}: {encoded} (base64 of \"{}\")", value.escape_debug())),
    ))
}

/// Resolves `name` for the Django container (once per release: later
/// calls return what the first found).
pub fn resolve(release: &Release<'_>, name: &str) -> Option<Binding> {
    if let Some(known) = release.env_cache.resolved.borrow().get(name) {
        return known.clone();
    }
    let found = find(release, name);
    release.env_cache.resolved.borrow_mut().insert(name.to_owned(), found.clone());
    found
}

/// What one [`resolve`] of a new name costs at most, in lookups: one for
/// the `env`, one per `envFrom` source, one for the image. The settings
/// interpreter charges it to its budget.
pub fn lookup_work(release: &Release<'_>) -> u64 {
    let sources = release.django_container().and_then(|c| c.node.get("envFrom")).map_or(0, |s| s.items().len());
    sources as u64 + 2
}

fn find(release: &Release<'_>, name: &str) -> Option<Binding> {
    let container = release.django_container();
    let object = release.django_object();
    if let (Some(container), Some(object)) = (container, object) {
        if let Some(binding) = from_env(release, object, &container, name) {
            return Some(binding);
        }
        if let Some(binding) = from_env_from(release, object, &container, name) {
            return Some(binding);
        }
    }
    from_dockerfile(release, name)
}

fn from_env(release: &Release<'_>, object: &Object, container: &Container<'_>, name: &str) -> Option<Binding> {
    let entries = container.node.get("env")?.items();
    let index = release.env_cache.container_env.get_or_init(|| {
        let mut index = HashMap::new();
        for (position, entry) in entries.iter().enumerate() {
            if let Some(name) = entry.get("name").and_then(Node::as_str) {
                index.insert(name.to_owned(), position);
            }
        }
        index
    });
    let entry = entries.get(*index.get(name)?)?;
    let here = Evidence::at(&object.path, Some(entry.line));
    if let Some(value) = entry.get("value") {
        let text = value.as_str().unwrap_or("").to_owned();
        return Some(Binding {
            name: name.to_owned(),
            value: Some(text.clone()),
            via: Via::Container,
            chain: vec![here.found(format!("env {name}: {text}"))],
        });
    }
    let from = entry.get("valueFrom")?;
    for (reference, kind) in [("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")] {
        let Some(reference) = from.get(reference) else { continue };
        let target = reference.get("name").and_then(Node::as_str).unwrap_or("");
        let key = reference.get("key").and_then(Node::as_str).unwrap_or("");
        let first = here.clone().found(format!("env {name} from {kind} {target}, key {key}"));
        let found = release
            .find(kind, target)
            .and_then(|o| if kind == "Secret" { secret_value(o, key) } else { config_map_value(o, key) });
        let via = if kind == "Secret" { Via::Secret(target.to_owned()) } else { Via::ConfigMap(target.to_owned()) };
        let (value, mut chain) = match found {
            Some((value, evidence)) => (Some(value), vec![first, evidence]),
            None => (None, vec![first]),
        };
        chain.dedup();
        return Some(Binding { name: name.to_owned(), value, via, chain });
    }
    Some(Binding {
        name: name.to_owned(),
        value: None,
        via: Via::Cluster,
        chain: vec![here.found(format!("env {name} from the cluster"))],
    })
}

fn from_env_from(release: &Release<'_>, object: &Object, container: &Container<'_>, name: &str) -> Option<Binding> {
    for source in container.node.get("envFrom")?.items().iter().rev() {
        let prefix = source.get("prefix").and_then(Node::as_str).unwrap_or("");
        let Some(key) = name.strip_prefix(prefix) else { continue };
        for (reference, kind) in [("configMapRef", "ConfigMap"), ("secretRef", "Secret")] {
            let Some(target) = source.get(reference).and_then(|r| r.get("name")).and_then(Node::as_str) else {
                continue;
            };
            let Some(target_object) = release.find(kind, target) else { continue };
            let found =
                if kind == "Secret" { secret_value(target_object, key) } else { config_map_value(target_object, key) };
            if let Some((value, evidence)) = found {
                let via =
                    if kind == "Secret" { Via::Secret(target.to_owned()) } else { Via::ConfigMap(target.to_owned()) };
                return Some(Binding {
                    name: name.to_owned(),
                    value: Some(value),
                    via,
                    chain: vec![
                        Evidence::at(&object.path, Some(source.line)).found(format!("envFrom {kind} {target}")),
                        evidence,
                    ],
                });
            }
        }
    }
    None
}

fn from_dockerfile(release: &Release<'_>, name: &str) -> Option<Binding> {
    let dockerfile = release.dockerfiles.first()?;
    let index = release.env_cache.image_env.get_or_init(|| {
        dockerfile.file.env().into_iter().map(|var| (var.name.clone(), var)).collect::<HashMap<_, _>>()
    });
    let var = index.get(name)?;
    Some(Binding {
        name: name.to_owned(),
        value: Some(var.value.clone()),
        via: Via::Dockerfile,
        chain: vec![Evidence::at(&dockerfile.path, Some(var.line)).found(format!("ENV {}={}", var.name, var.value))],
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn decodes_secret_data() {
        assert_eq!(super::decode_base64("cGFzc3dvcmQ="), Some("password".to_owned()));
        assert_eq!(super::decode_base64("cGFzc3dvcmQ"), Some("password".to_owned()));
        assert_eq!(super::decode_base64("not base64!"), None);
    }
}
