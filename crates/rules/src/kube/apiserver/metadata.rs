//! `ValidateObjectMeta`: the name (which check depends on the kind), the
//! namespace, label keys and values, annotation keys.

use crate::parse::yaml::Node;

use super::super::names;
use super::{Check, CheckedKind, FieldPath, as_text, map, text};

pub(super) fn object_meta(check: &mut Check<'_>, root: &Node, kind: CheckedKind) {
    let meta_path = FieldPath::root().field("metadata");
    let meta = map(root, "metadata");
    let name = meta.and_then(|m| text(m, "name"));
    match name {
        Some((name, at)) if !name.is_empty() => {
            let (messages, rule) = name_check(kind, name);
            check.each(at, &meta_path.field("name"), name, messages, rule, &name_fix(name));
        }
        // A name of the wrong type is the decoder's.
        _ if meta.and_then(|m| m.get("name")).is_some_and(|n| !n.is_null() && as_text(n).is_none()) => {}
        _ => {
            let at = meta.and_then(|m| m.get("name")).or(meta).unwrap_or(root);
            // kubectl itself stops here, before asking the server.
            check.required(
                at,
                &meta_path.field("name"),
                "resource name may not be empty",
                "a `metadata.name`",
                "add `metadata:` with `name: <lowercase-name>` (apply needs a name, generateName is not enough)",
            );
        }
    }
    if let Some(meta) = meta {
        if let Some((namespace, at)) = text(meta, "namespace").filter(|(n, _)| !n.is_empty()) {
            check.each(
                at,
                &meta_path.field("namespace"),
                namespace,
                names::dns1123_label(namespace),
                "a namespace name: lowercase letters, digits and '-'",
                "write the namespace in lowercase, or remove `namespace:` to use the default one",
            );
        }
        if let Some(labels) = map(meta, "labels") {
            labels_of(check, labels, &meta_path.field("labels"));
        }
        if let Some(annotations) = map(meta, "annotations") {
            for (key, _) in annotations.entries() {
                let Some(key_text) = key.scalar().map(|s| s.text.as_str()) else { continue };
                check.each(
                    key,
                    &meta_path.field("annotations"),
                    key_text,
                    names::qualified_name(&key_text.to_ascii_lowercase()),
                    "an annotation key: `name` or `prefix/name`",
                    "use letters, digits, '-', '_' and '.' in the key, with at most one '/'",
                );
            }
        }
    }
}

/// Which name check each kind's validation uses, and how to say it.
fn name_check(kind: CheckedKind, name: &str) -> (Vec<String>, &'static str) {
    match kind {
        CheckedKind::Service => (
            names::dns1035_label(name),
            "a Service name: lowercase letters, digits and '-', starting with a letter (DNS-1035)",
        ),
        CheckedKind::Namespace => {
            (names::dns1123_label(name), "a Namespace name: lowercase letters, digits and '-' (DNS-1123 label)")
        }
        CheckedKind::CronJob => {
            let mut messages = names::dns1123_subdomain(name);
            // Its Jobs get the name plus an 11-character suffix.
            if name.chars().count() > 52 {
                messages.insert(0, "must be no more than 52 characters".to_owned());
            }
            (messages, "a CronJob name: at most 52 lowercase letters, digits, '-' and '.'")
        }
        _ => (
            names::dns1123_subdomain(name),
            "a name of lowercase letters, digits, '-' and '.', starting and ending with a letter or digit (DNS-1123)",
        ),
    }
}

fn name_fix(name: &str) -> String {
    let lower: String = name
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '.' { c } else { '-' })
        .collect();
    let lower = lower.trim_matches(|c| c == '-' || c == '.');
    if lower.is_empty() || lower == name {
        "use lowercase letters, digits and '-' only".to_owned()
    } else {
        format!("rename it `{lower}` (and every reference to it)")
    }
}

/// `ValidateLabels`: every key a qualified name, every value a label value.
/// The API server names the whole map's path, not the key's.
pub(super) fn labels_of(check: &mut Check<'_>, labels: &Node, field: &FieldPath) {
    for (key, value) in labels.entries() {
        if let Some(key_text) = key.scalar().map(|s| s.text.as_str()) {
            check.each(
                key,
                field,
                key_text,
                names::qualified_name(key_text),
                "a label key: `name` or `prefix/name`, letters, digits, '-', '_', '.'",
                "use letters, digits, '-', '_' and '.' in the key, with at most one '/'",
            );
        }
        if let Some(value_text) = as_text(value) {
            let fixed: String = value_text.chars().map(|c| if c == ' ' { '-' } else { c }).collect();
            let fix = if fixed != value_text && names::label_value(&fixed).is_empty() {
                format!("write `{fixed}`: a label value has no spaces")
            } else {
                "use at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit"
                    .to_owned()
            };
            check.each(value, field, value_text, names::label_value(value_text), "a label value", &fix);
        }
    }
}
