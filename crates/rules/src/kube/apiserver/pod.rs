//! `ValidatePodSpec` and the containers in it: names, ports, protocols,
//! pull and restart policies, environment names, resources, probes, mounts.

use crate::parse::yaml::Node;

use super::super::{names, quantity};
use super::{Check, FieldPath, Shown, as_text, first_time, int, list, map, port_num_or_name, text};

/// Who holds the pod spec: its restart policies and required image differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Owner {
    Pod,
    /// A Deployment's or StatefulSet's template: only `Always`.
    Replicated,
    /// A Job's (or CronJob's) template: `OnFailure` or `Never`, no default.
    Job,
}

const PROTOCOLS: [&str; 3] = ["SCTP", "TCP", "UDP"];
const PULL_POLICIES: [&str; 3] = ["Always", "IfNotPresent", "Never"];

pub(super) fn pod_spec(check: &mut Check<'_>, spec: &Node, path: &FieldPath, owner: Owner) {
    let volumes = volumes(check, spec, path);
    let mut names_seen = Vec::new();
    for group in ["initContainers", "containers"] {
        let containers = list(spec, group);
        if group == "containers"
            && containers.is_empty()
            && spec.get("containers").is_some_and(|c| c.is_seq())
            && let Some(at) = spec.get("containers")
        {
            check.required(
                at,
                &path.field("containers"),
                "",
                "at least one container",
                "add a container under `containers:`",
            );
        }
        for (i, container) in containers.iter().enumerate() {
            if container.is_map() {
                self::container(check, container, &path.field(group).index(i), owner, &volumes, &mut names_seen);
            }
        }
    }
    restart_policy(check, spec, path, owner);
}

fn volumes<'a>(check: &mut Check<'_>, spec: &'a Node, path: &FieldPath) -> Vec<&'a str> {
    let mut seen = Vec::new();
    for (i, volume) in list(spec, "volumes").iter().enumerate() {
        let Some((name, at)) = text(volume, "name") else { continue };
        let field = path.field("volumes").index(i).field("name");
        check.each(
            at,
            &field,
            name,
            names::dns1123_label(name),
            "a volume name: lowercase letters, digits and '-'",
            "use lowercase letters, digits and '-'",
        );
        if !first_time(&mut seen, name) {
            check.duplicate(at, &field, name, "volume");
        }
    }
    seen
}

fn restart_policy(check: &mut Check<'_>, spec: &Node, path: &FieldPath, owner: Owner) {
    let field = path.field("restartPolicy");
    let policy = text(spec, "restartPolicy");
    match (owner, policy) {
        (Owner::Pod, Some((policy, at))) if !["Always", "OnFailure", "Never"].contains(&policy) => {
            check.not_supported(at, &field, policy, &["Always", "OnFailure", "Never"]);
        }
        (Owner::Replicated, Some((policy, at))) if policy != "Always" && !policy.is_empty() => {
            check.not_supported(at, &field, policy, &["Always"]);
        }
        (Owner::Job, Some((policy, at))) if policy != "OnFailure" && policy != "Never" => {
            check.not_supported(at, &field, policy, &["OnFailure", "Never"]);
        }
        (Owner::Job, None) if spec.get("restartPolicy").is_none_or(Node::is_null) => {
            check.required(
                spec,
                &field,
                "valid values: \"OnFailure\", \"Never\"",
                "`restartPolicy: OnFailure` or `Never`",
                "add `restartPolicy: OnFailure` (or `Never`) to the Job's pod template spec",
            );
        }
        _ => {}
    }
}

fn container<'a>(
    check: &mut Check<'_>,
    container: &'a Node,
    path: &FieldPath,
    owner: Owner,
    volumes: &[&str],
    names_seen: &mut Vec<&'a str>,
) {
    if let Some((name, at)) = text(container, "name") {
        let field = path.field("name");
        check.each(
            at,
            &field,
            name,
            names::dns1123_label(name),
            "a container name: lowercase letters, digits and '-'",
            "use lowercase letters, digits and '-'",
        );
        if !name.is_empty() && !first_time(names_seen, name) {
            check.duplicate(at, &field, name, "container");
        }
    }
    if owner == Owner::Pod && text(container, "image").is_none_or(|(image, _)| image.is_empty()) {
        let at = container.get("image").unwrap_or(container);
        if container.get("image").is_none_or(|i| i.is_null() || as_text(i).is_some()) {
            check.required(at, &path.field("image"), "", "an `image:`", "add `image:` with the image to run");
        }
    }
    if let Some((policy, at)) = text(container, "imagePullPolicy").filter(|(p, _)| !p.is_empty())
        && !PULL_POLICIES.contains(&policy)
    {
        check.not_supported(at, &path.field("imagePullPolicy"), policy, &PULL_POLICIES);
    }
    ports(check, container, path);
    env(check, container, path);
    resources(check, container, &path.field("resources"));
    for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
        if let Some(node) = map(container, probe) {
            self::probe(check, node, &path.field(probe));
        }
    }
    for (i, mount) in list(container, "volumeMounts").iter().enumerate() {
        if let Some((name, at)) = text(mount, "name")
            && !volumes.contains(&name)
        {
            let field = path.field("volumeMounts").index(i).field("name");
            let message = format!("{field}: Not found: {}", super::go_quote(name));
            check.out.push(super::Rejection::new(
                check.path,
                at,
                field.to_string(),
                super::RejectionKind::ApiServer,
                message,
                "the name of a volume under the pod's `volumes:`",
                format!("add a volume named `{name}` under `volumes:`, or mount one that exists"),
            ));
        }
    }
}

fn ports(check: &mut Check<'_>, container: &Node, path: &FieldPath) {
    let mut seen = Vec::new();
    for (i, port) in list(container, "ports").iter().enumerate() {
        let field = path.field("ports").index(i);
        if let Some((name, at)) = text(port, "name").filter(|(n, _)| !n.is_empty()) {
            let messages = names::port_name(name);
            if messages.is_empty() {
                if !first_time(&mut seen, name) {
                    check.duplicate(at, &field.field("name"), name, "port name");
                }
            } else {
                let lower = name.to_ascii_lowercase();
                let fix = if names::port_name(&lower).is_empty() {
                    format!("write `{lower}` (and the same wherever a probe or Service names this port)")
                } else {
                    "use at most 15 lowercase letters, digits and '-', with at least one letter".to_owned()
                };
                check.each(
                    at,
                    &field.field("name"),
                    name,
                    messages,
                    "an IANA port name: lowercase letters, digits and '-', at most 15",
                    &fix,
                );
            }
        }
        match int(port, "containerPort") {
            Some((0, at)) => check.required(
                at,
                &field.field("containerPort"),
                "",
                "a port from 1 to 65535",
                "set the port Django listens on",
            ),
            Some((number, at)) => check.each_int(at, &field.field("containerPort"), number),
            None => {}
        }
        if let Some((number, at)) = int(port, "hostPort").filter(|(n, _)| *n != 0) {
            check.each_int(at, &field.field("hostPort"), number);
        }
        protocol(check, port, &field);
    }
}

/// `protocol` (default TCP): TCP, UDP or SCTP, in capitals.
pub(super) fn protocol(check: &mut Check<'_>, port: &Node, field: &FieldPath) {
    if let Some((protocol, at)) = text(port, "protocol").filter(|(p, _)| !p.is_empty())
        && !PROTOCOLS.contains(&protocol)
    {
        check.not_supported(at, &field.field("protocol"), protocol, &PROTOCOLS);
        if matches!(protocol.to_ascii_lowercase().as_str(), "http" | "https" | "http2" | "grpc")
            && let Some(last) = check.out.last_mut()
        {
            last.fix = format!("write `TCP` ({protocol} runs over TCP; a port's protocol is TCP, UDP or SCTP)");
        }
    }
}

fn env(check: &mut Check<'_>, container: &Node, path: &FieldPath) {
    for (i, var) in list(container, "env").iter().enumerate() {
        let field = path.field("env").index(i);
        if let Some((name, at)) = text(var, "name") {
            check.each(
                at,
                &field.field("name"),
                name,
                names::env_var_name(name),
                "an environment variable name",
                "use letters, digits and '_' (no '=')",
            );
        }
        let Some(from) = map(var, "valueFrom") else { continue };
        let sources: Vec<&Node> = ["fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef", "fileKeyRef"]
            .iter()
            .filter_map(|k| from.key_node(k).filter(|_| from.get(k).is_some_and(|v| !v.is_null())))
            .collect();
        let value_set = text(var, "value").is_some_and(|(v, _)| !v.is_empty());
        if value_set {
            check.invalid(
                from,
                &field.field("valueFrom"),
                Shown::Str(""),
                "may not be specified when `value` is not empty",
                "either `value:` or `valueFrom:`",
                "keep one of `value:` and `valueFrom:`",
            );
        }
        match sources.as_slice() {
            [] => check.invalid(
                from,
                &field.field("valueFrom"),
                Shown::Str(""),
                "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
                "one source under `valueFrom:`",
                "put `configMapKeyRef:` or `secretKeyRef:` (with `name:` and `key:`) under `valueFrom:`",
            ),
            [_] => {}
            [_, second, ..] => check.invalid(
                second,
                &field.field("valueFrom"),
                Shown::Str(""),
                "may not have more than one field specified at a time",
                "one source under `valueFrom:`",
                "give each variable its own `- name:` entry, one source each",
            ),
        }
    }
}

fn resources(check: &mut Check<'_>, container: &Node, path: &FieldPath) {
    let Some(resources) = map(container, "resources") else { return };
    let mut limits: Vec<(&str, f64, &str)> = Vec::new();
    for part in ["limits", "requests"] {
        let Some(values) = map(resources, part) else { continue };
        for (key, value) in values.entries() {
            let Some(name) = key.scalar().map(|s| s.text.as_str()) else { continue };
            let field = path.field(part).key(name);
            if !is_standard_resource(name) {
                check.invalid(
                    key,
                    &field,
                    Shown::Str(name),
                    "must be a standard resource for containers",
                    "cpu, memory or ephemeral-storage",
                    &match names::did_you_mean(name, ["cpu", "memory", "ephemeral-storage"]) {
                        Some(right) => format!("write `{right}`"),
                        None => "use cpu or memory".to_owned(),
                    },
                );
            }
            let Some(written) = value.as_str().filter(|_| value.scalar().is_some()) else { continue };
            let Ok(amount) = quantity::parse(written) else { continue };
            if amount < 0.0 {
                check.invalid(
                    value,
                    &field,
                    Shown::Str(written),
                    "must be greater than or equal to 0",
                    "a quantity of 0 or more",
                    "remove the minus sign",
                );
                continue;
            }
            if part == "limits" {
                limits.push((name, amount, written));
            } else if let Some(&(_, limit, limit_text)) = limits.iter().find(|(n, _, _)| *n == name)
                && amount > limit
            {
                check.invalid(
                    value,
                    &path.field("requests"),
                    Shown::Str(written),
                    &format!("must be less than or equal to {name} limit of {limit_text}"),
                    &format!("a {name} request of at most the limit, {limit_text}"),
                    &format!("lower the {name} request to {limit_text} or less, or raise the limit"),
                );
            }
        }
    }
}

fn is_standard_resource(name: &str) -> bool {
    matches!(name, "cpu" | "memory" | "ephemeral-storage") || name.starts_with("hugepages-") || name.contains('/')
}

fn probe(check: &mut Check<'_>, probe: &Node, path: &FieldPath) {
    let handlers: Vec<&str> = ["exec", "httpGet", "tcpSocket", "grpc"]
        .into_iter()
        .filter(|h| probe.get(h).is_some_and(|v| !v.is_null()))
        .collect();
    match handlers.as_slice() {
        [] => check.required(
            probe,
            path,
            "must specify a handler type",
            "`httpGet:`, `tcpSocket:`, `exec:` or `grpc:` under the probe",
            "add `httpGet:` with `path: /` and the container's `port:`",
        ),
        [_] => {}
        [_, second, ..] => {
            let at = probe.key_node(second).unwrap_or(probe);
            check.forbidden(
                at,
                &path.field(second),
                "may not specify more than 1 handler type",
                "one handler",
                "keep one of the probe's handlers",
            );
        }
    }
    for handler in ["httpGet", "tcpSocket"] {
        if let Some(port) = map(probe, handler).and_then(|h| h.get("port")) {
            port_num_or_name(check, port, &path.field(handler).field("port"));
        }
    }
}
