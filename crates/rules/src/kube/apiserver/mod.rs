//! The API server's validation beyond the schema, for the kinds students
//! apply (`pkg/apis/core/validation`, `pkg/apis/apps/validation`...): only
//! values of the right type are judged here; a value of the wrong type is
//! the decoder's (`decode.rs`) and is skipped, so one mistake gives one
//! rejection. Defaults the server fills in first are applied where they
//! matter (`protocol: TCP`, a Deployment's `restartPolicy: Always`).

mod config;
mod metadata;
mod pod;
mod service;
mod workloads;

use crate::parse::yaml::{Node, ScalarType};

use super::decode::integer_value;
use super::names::did_you_mean;
use super::{FieldPath, KubeObject, Rejection, RejectionKind};

/// The kinds with a schema, and so with checks here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckedKind {
    Deployment,
    StatefulSet,
    Job,
    CronJob,
    Pod,
    Service,
    ConfigMap,
    Secret,
    PersistentVolumeClaim,
    HorizontalPodAutoscaler,
    Ingress,
    Namespace,
    ServiceAccount,
}

impl CheckedKind {
    pub fn of(kind: &str) -> Option<CheckedKind> {
        Some(match kind {
            "Deployment" => CheckedKind::Deployment,
            "StatefulSet" => CheckedKind::StatefulSet,
            "Job" => CheckedKind::Job,
            "CronJob" => CheckedKind::CronJob,
            "Pod" => CheckedKind::Pod,
            "Service" => CheckedKind::Service,
            "ConfigMap" => CheckedKind::ConfigMap,
            "Secret" => CheckedKind::Secret,
            "PersistentVolumeClaim" => CheckedKind::PersistentVolumeClaim,
            "HorizontalPodAutoscaler" => CheckedKind::HorizontalPodAutoscaler,
            "Ingress" => CheckedKind::Ingress,
            "Namespace" => CheckedKind::Namespace,
            "ServiceAccount" => CheckedKind::ServiceAccount,
            _ => return None,
        })
    }
}

pub(super) fn validate(object: &KubeObject<'_>, kind: CheckedKind) -> Vec<Rejection> {
    let mut check = Check { path: &object.path, out: Vec::new() };
    let root = object.node;
    let top = FieldPath::root();
    metadata::object_meta(&mut check, root, kind);
    let spec = root.get("spec").filter(|s| s.is_map());
    let spec_path = top.field("spec");
    match (kind, spec) {
        (CheckedKind::Pod, Some(spec)) => pod::pod_spec(&mut check, spec, &spec_path, pod::Owner::Pod),
        (CheckedKind::Deployment | CheckedKind::StatefulSet, Some(spec)) => {
            workloads::replicated(&mut check, spec, &spec_path, kind);
        }
        (CheckedKind::Job, Some(spec)) => workloads::job(&mut check, spec, &spec_path),
        (CheckedKind::CronJob, Some(spec)) => workloads::cron_job(&mut check, spec, &spec_path),
        (CheckedKind::Service, Some(spec)) => service::service(&mut check, spec, &spec_path, root),
        (CheckedKind::PersistentVolumeClaim, Some(spec)) => config::claim(&mut check, spec, &spec_path),
        (CheckedKind::HorizontalPodAutoscaler, Some(spec)) => config::autoscaler(&mut check, spec, &spec_path),
        (CheckedKind::Ingress, Some(spec)) => config::ingress(&mut check, spec, &spec_path),
        (CheckedKind::Service, None) => service::service(&mut check, &empty_map(root), &spec_path, root),
        _ => {}
    }
    match kind {
        CheckedKind::ConfigMap => config::config_map(&mut check, root),
        CheckedKind::Secret => config::secret(&mut check, root),
        _ => {}
    }
    check.out
}

/// Collects rejections for one object, in the API server's words.
pub(super) struct Check<'a> {
    path: &'a str,
    out: Vec<Rejection>,
}

/// A bad value as `field.Invalid` prints it: strings quoted, numbers bare.
pub(super) enum Shown<'a> {
    Str(&'a str),
    Int(i64),
    /// Already formatted (a Go map literal, a canonical quantity).
    Raw(String),
}

impl Shown<'_> {
    fn render(&self) -> String {
        match self {
            Shown::Str(text) => go_quote(text),
            Shown::Int(value) => value.to_string(),
            Shown::Raw(text) => text.clone(),
        }
    }
}

/// Go's `%q` for the strings manifests hold.
pub(super) fn go_quote(text: &str) -> String {
    format!("{text:?}")
}

impl Check<'_> {
    fn push(
        &mut self,
        at: &Node,
        field: &FieldPath,
        kind: RejectionKind,
        message: String,
        expected: &str,
        fix: String,
    ) {
        self.out.push(Rejection::new(self.path, at, field.to_string(), kind, message, expected, fix));
    }

    /// `field: Invalid value: <value>: <detail>`.
    pub(super) fn invalid(
        &mut self,
        at: &Node,
        field: &FieldPath,
        value: Shown<'_>,
        detail: &str,
        expected: &str,
        fix: &str,
    ) {
        let message = format!("{field}: Invalid value: {}: {detail}", value.render());
        self.push(at, field, RejectionKind::ApiServer, message, expected, fix.to_owned());
    }

    /// One rejection per message of a string check (`names::*`).
    pub(super) fn each(
        &mut self,
        at: &Node,
        field: &FieldPath,
        value: &str,
        messages: Vec<String>,
        expected: &str,
        fix: &str,
    ) {
        for message in messages {
            self.invalid(at, field, Shown::Str(value), &message, expected, fix);
        }
    }

    /// `field: Unsupported value: "x": supported values: "A", "B"`.
    pub(super) fn not_supported(&mut self, at: &Node, field: &FieldPath, value: &str, supported: &[&str]) {
        let quoted: Vec<String> = supported.iter().map(|v| go_quote(v)).collect();
        let message =
            format!("{field}: Unsupported value: {}: supported values: {}", go_quote(value), quoted.join(", "));
        let fix = match did_you_mean(value, supported.iter().copied()) {
            Some(right) => format!("write `{right}` (the values are case-sensitive)"),
            None => format!("use one of {}", supported.join(", ")),
        };
        self.push(at, field, RejectionKind::Enum, message, &format!("one of {}", supported.join(", ")), fix);
    }

    /// `field: Required value[: detail]`.
    pub(super) fn required(&mut self, at: &Node, field: &FieldPath, detail: &str, expected: &str, fix: &str) {
        let message = if detail.is_empty() {
            format!("{field}: Required value")
        } else {
            format!("{field}: Required value: {detail}")
        };
        self.push(at, field, RejectionKind::ApiServer, message, expected, fix.to_owned());
    }

    /// `field: Duplicate value: "x"`.
    pub(super) fn duplicate(&mut self, at: &Node, field: &FieldPath, value: &str, what: &str) {
        let message = format!("{field}: Duplicate value: {}", go_quote(value));
        self.push(
            at,
            field,
            RejectionKind::ApiServer,
            message,
            &format!("a unique {what}"),
            format!("rename one of the two {what}s called `{value}`"),
        );
    }

    /// `field: Forbidden: detail`.
    pub(super) fn forbidden(&mut self, at: &Node, field: &FieldPath, detail: &str, expected: &str, fix: &str) {
        let message = format!("{field}: Forbidden: {detail}");
        self.push(at, field, RejectionKind::ApiServer, message, expected, fix.to_owned());
    }
}

/// Whether `name` is new to `seen` (and now in it). A list, not a set: a
/// pod has a handful of each, and each set type would add its own code to
/// the web checker.
pub(super) fn first_time<'a>(seen: &mut Vec<&'a str>, name: &'a str) -> bool {
    if seen.contains(&name) {
        return false;
    }
    seen.push(name);
    true
}

/// The string under `key`, when it is one (a number or a mapping is the
/// decoder's business).
pub(super) fn text<'a>(node: &'a Node, key: &str) -> Option<(&'a str, &'a Node)> {
    node.get(key).and_then(|v| as_text(v).map(|t| (t, v)))
}

pub(super) fn as_text(node: &Node) -> Option<&str> {
    node.scalar().filter(|s| s.resolved_type() == ScalarType::Str).map(|s| s.text.as_str())
}

/// The whole number under `key`, when it is one.
pub(super) fn int<'a>(node: &'a Node, key: &str) -> Option<(i64, &'a Node)> {
    node.get(key).and_then(|v| as_int(v).map(|i| (i, v)))
}

pub(super) fn as_int(node: &Node) -> Option<i64> {
    node.scalar()
        .filter(|s| matches!(s.resolved_type(), ScalarType::Int | ScalarType::Float))
        .and_then(|s| integer_value(&s.text))
}

pub(super) fn map<'a>(node: &'a Node, key: &str) -> Option<&'a Node> {
    node.get(key).filter(|v| v.is_map())
}

pub(super) fn list<'a>(node: &'a Node, key: &str) -> &'a [Node] {
    node.get(key).map(Node::items).unwrap_or_default()
}

/// A port as an int-or-string: a number must be a port number, a string an
/// IANA port name (`ValidatePortNumOrName`).
pub(super) fn port_num_or_name(check: &mut Check<'_>, node: &Node, field: &FieldPath) {
    if let Some(number) = as_int(node) {
        check.each_int(node, field, number);
    } else if let Some(name) = as_text(node) {
        let messages = super::names::port_name(name);
        let fix = if integer_value(name).is_some() {
            format!("write {name} without quotes: a quoted port is a port *name*, which needs a letter")
        } else {
            "use the name of a container port (lowercase letters, digits and '-', at most 15), or its number".to_owned()
        };
        check.each(node, field, name, messages, "a port number, or an IANA port name such as `http`", &fix);
    }
}

impl Check<'_> {
    /// `IsValidPortNum` on a number.
    pub(super) fn each_int(&mut self, at: &Node, field: &FieldPath, number: i64) {
        for message in super::names::port_number(number) {
            self.invalid(
                at,
                field,
                Shown::Int(number),
                &message,
                "a port from 1 to 65535",
                "use a port from 1 to 65535 (Django's is usually 8000)",
            );
        }
    }
}

/// An empty mapping at `at`'s position, for the checks of a missing part.
fn empty_map(at: &Node) -> Node {
    Node {
        line: at.line,
        column: at.column,
        value: crate::parse::yaml::Value::Map(crate::parse::yaml::Mapping::default()),
    }
}
