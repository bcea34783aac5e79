//! Kubernetes objects as read from the manifests, with just enough typing
//! for the rules: kinds, names, pod templates, containers, ports.

use std::collections::HashSet;

use crate::kube::{self, KubeObject, Rejection};
use crate::parse::yaml::{Node, Value};
use crate::shown;

/// One document of a manifest file.
#[derive(Debug, Clone, PartialEq)]
pub struct Object {
    pub path: String,
    /// Line of the document's first key.
    pub line: u32,
    /// `kind`, or empty when missing.
    pub kind: String,
    pub name: Option<String>,
    pub root: Node,
    /// Why kubectl would reject this object, if it would: the first of
    /// [`Object::rejections`].
    pub defect: Option<Defect>,
    /// Everything the API server would refuse in it, each at its
    /// `line:column` with the field path.
    pub rejections: Vec<Rejection>,
    /// Why the checker cannot tell whether the cluster accepts it: a kind
    /// it has no schema for (a CRD, say).
    pub undecided: Option<String>,
}

/// Why kubectl or the API server rejects an object, where, and what it wants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Defect {
    pub line: u32,
    pub column: u32,
    pub message: String,
    pub expected: String,
}

impl From<&Rejection> for Defect {
    fn from(rejection: &Rejection) -> Defect {
        Defect {
            line: rejection.line,
            column: rejection.column,
            message: rejection.what(),
            expected: rejection.expected.clone(),
        }
    }
}

impl std::fmt::Display for Defect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (line {})", self.message, self.line)
    }
}

/// The Deployment container that runs Django: indexes into
/// [`Release::objects`](super::Release) and its containers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workload {
    pub object: usize,
    pub container: usize,
}

/// A container of a pod template.
#[derive(Debug, Clone, Copy)]
pub struct Container<'a> {
    pub node: &'a Node,
}

/// A `containerPort` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerPort {
    pub number: Option<u16>,
    pub name: Option<String>,
    pub line: u32,
}

/// Kinds whose pods come from `spec.template`.
const TEMPLATED: [&str; 6] = ["Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "ReplicationController"];

impl Object {
    /// An object as kubectl sends it (a document, or an item of a list),
    /// judged by the Kubernetes 1.34 validator ([`crate::kube::validate`]).
    pub fn from_kube(object: &KubeObject<'_>) -> Object {
        let root = object.node.clone();
        let kind = object.kind().unwrap_or("").to_owned();
        let name = object.name().map(str::to_owned);
        let line = root.entries().first().map_or(root.line, |(k, _)| k.line);
        let mut rejections = kube::validate(object);
        let undecided = rejections.iter().find(|r| !r.kind.rejects()).map(|r| r.message.clone());
        rejections.retain(|r| r.kind.rejects());
        let defect = rejections.first().map(Defect::from);
        Object { path: object.path.clone(), line, kind, name, root, defect, rejections, undecided }
    }

    /// `kind/name` as kubectl prints it, e.g. `Deployment/mysite-deployment`.
    /// Long kinds and names (a rejected object's) are clipped.
    pub fn display(&self) -> String {
        let kind = if self.kind.is_empty() { "?" } else { &self.kind };
        format!("{}/{}", shown::clip(kind), shown::clip(self.name.as_deref().unwrap_or("?")))
    }

    /// The pod spec: `spec.template.spec` for workloads, `spec` for a Pod.
    pub fn pod_spec(&self) -> Option<&Node> {
        if self.kind == "Pod" {
            self.root.get("spec")
        } else if TEMPLATED.contains(&self.kind.as_str()) {
            self.root.path(&["spec", "template", "spec"])
        } else {
            None
        }
    }

    /// Labels of the pods this object makes.
    pub fn template_labels(&self) -> Vec<(String, String)> {
        let labels = if self.kind == "Pod" {
            self.root.path(&["metadata", "labels"])
        } else {
            self.root.path(&["spec", "template", "metadata", "labels"])
        };
        labels.map(string_pairs).unwrap_or_default()
    }

    /// The images of its containers, for messages: `nginx:1.27, busybox`.
    pub fn images(&self) -> String {
        let images: Vec<&str> = self.containers().iter().map(|c| c.image().unwrap_or("no image")).collect();
        if images.is_empty() { "no containers".to_owned() } else { images.join(", ") }
    }

    pub fn containers(&self) -> Vec<Container<'_>> {
        self.pod_spec()
            .and_then(|s| s.get("containers"))
            .map(|c| c.items().iter().map(|node| Container { node }).collect())
            .unwrap_or_default()
    }

    /// The container at `position` of the pod spec.
    pub fn container(&self, position: usize) -> Option<Container<'_>> {
        let node = self.pod_spec()?.get("containers")?.items().get(position)?;
        Some(Container { node })
    }
}

/// A DNS-1123 subdomain, which the API server requires of object names.
/// Names that pass this are also safe to paste into a shell command.
pub fn is_dns_name(name: &str) -> bool {
    let edge_ok = |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    name.len() <= 253
        && edge_ok(name.chars().next())
        && edge_ok(name.chars().last())
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
}

/// A mapping's string entries, e.g. labels or a selector.
pub fn string_pairs(node: &Node) -> Vec<(String, String)> {
    node.entries().iter().filter_map(|(k, v)| Some((k.as_str()?.to_owned(), v.as_str()?.to_owned()))).collect()
}

impl<'a> Container<'a> {
    pub fn name(&self) -> Option<&'a str> {
        self.node.get("name").and_then(Node::as_str)
    }

    pub fn image(&self) -> Option<&'a str> {
        self.node.get("image").and_then(Node::as_str)
    }

    pub fn line(&self) -> u32 {
        self.node.entries().first().map_or(self.node.line, |(k, _)| k.line)
    }

    /// The `env` entries that write their value in the manifest
    /// (`value:`, not `valueFrom:`): name, value node and the entry's line.
    pub fn literal_env(&self) -> Vec<(&'a str, &'a Node, u32)> {
        self.node
            .get("env")
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .filter_map(|entry| Some((entry.get("name")?.as_str()?, entry.get("value")?, entry.line)))
            .collect()
    }

    pub fn ports(&self) -> Vec<ContainerPort> {
        self.node
            .get("ports")
            .map(|ports| {
                ports
                    .items()
                    .iter()
                    .map(|p| {
                        let number = p.get("containerPort");
                        ContainerPort {
                            number: number.and_then(Node::as_str).and_then(|n| n.parse().ok()),
                            name: p.get("name").and_then(Node::as_str).map(str::to_owned),
                            line: number.map_or(p.line, |n| n.line),
                        }
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// `command` and `args` joined, for recognising what runs.
    pub fn command_line(&self) -> String {
        ["command", "args"]
            .iter()
            .filter_map(|k| self.node.get(k))
            .flat_map(|n| match &n.value {
                Value::Seq(items) => items.iter().filter_map(Node::as_str).map(str::to_owned).collect::<Vec<_>>(),
                Value::Scalar(s) => vec![s.text.clone()],
                Value::Map(_) => Vec::new(),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The liveness, readiness and startup probes that are set.
    pub fn probes(&self) -> Vec<(&'static str, &'a Node)> {
        ["livenessProbe", "readinessProbe", "startupProbe"]
            .into_iter()
            .filter_map(|kind| self.node.get(kind).filter(|p| p.is_map()).map(|p| (kind, p)))
            .collect()
    }
}

/// Picks the Deployment container that runs Django. Test images (nginx,
/// httpd...) and databases are never it; among the rest, signs of Django
/// (manage.py or gunicorn, POSTGRES_* configuration, port 8000/8080, an
/// image named after the site) decide.
///
/// A Deployment kubectl rejects is still the one the student wrote for
/// Django: it is chosen when no accepted one runs Django, so the rules judge
/// what it holds and only `deployment-present` fails for the rejection.
pub fn find_django(objects: &[Object]) -> Option<Workload> {
    let mut best: Option<((bool, i32), Workload)> = None;
    for (index, object) in objects.iter().enumerate() {
        if object.kind != "Deployment" {
            continue;
        }
        for (position, container) in object.containers().iter().enumerate() {
            let score = django_score(container);
            let key = (object.defect.is_none(), score);
            if score > 0 && best.as_ref().is_none_or(|(b, _)| key > *b) {
                best = Some((key, Workload { object: index, container: position }));
            }
        }
    }
    best.map(|(_, w)| w)
}

/// Database images: never the Django app, and what an earlier milestone's
/// leftover Pod or claim runs (`rules::leftovers`). The one list of them.
pub const DATABASE_IMAGES: [&str; 4] = ["postgres", "mysql", "mariadb", "mongo"];

/// Other images that are never the Django app (web servers, test images).
pub const NOT_DJANGO_IMAGES: [&str; 6] = ["nginx", "httpd", "redis", "busybox", "hello", "traefik/whoami"];

/// True when the image is a known test or database image.
pub fn is_foreign_image(image: &str) -> bool {
    let repository = image.rsplit('/').next().unwrap_or(image).split([':', '@']).next().unwrap_or(image);
    NOT_DJANGO_IMAGES
        .iter()
        .chain(&DATABASE_IMAGES)
        .any(|n| repository == *n || repository.starts_with(&format!("{n}-")) || image.contains("bitnami/postgres"))
}

fn django_score(container: &Container<'_>) -> i32 {
    let image = container.image().unwrap_or("");
    if is_foreign_image(image) {
        return 0;
    }
    let mut score = 1;
    let command = container.command_line();
    if ["manage.py", "gunicorn", "runserver", "uwsgi", "django"].iter().any(|w| command.contains(w)) {
        score += 3;
    }
    let lowered = image.to_ascii_lowercase();
    if ["mysite", "django", "cis-92", "cis92", "polls"].iter().any(|w| lowered.contains(w)) {
        score += 2;
    }
    if container.ports().iter().any(|p| matches!(p.number, Some(8000 | 8080))) {
        score += 1;
    }
    if container.node.get("envFrom").is_some() || container.node.get("env").is_some() {
        score += 1;
    }
    score
}

/// A Service's `targetPort`: a number or a container port's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetPort {
    Number(u16),
    Name(String),
}

/// One entry of a Service's `spec.ports`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServicePort {
    pub port: Option<u16>,
    /// `None` when unset: Kubernetes then uses `port`.
    pub target: Option<TargetPort>,
    pub line: u32,
}

pub fn service_ports(service: &Object) -> Vec<ServicePort> {
    service
        .root
        .path(&["spec", "ports"])
        .map(|ports| {
            ports
                .items()
                .iter()
                .map(|p| {
                    let target = p.get("targetPort").and_then(Node::as_str).map(|t| match t.parse() {
                        Ok(number) => TargetPort::Number(number),
                        Err(_) => TargetPort::Name(t.to_owned()),
                    });
                    let line = p.get("targetPort").or_else(|| p.get("port")).map_or(p.line, |n| n.line);
                    ServicePort {
                        port: p.get("port").and_then(Node::as_str).and_then(|n| n.parse().ok()),
                        target,
                        line,
                    }
                })
                .collect()
        })
        .unwrap_or_default()
}

pub fn service_selector(service: &Object) -> Vec<(String, String)> {
    service.root.path(&["spec", "selector"]).map(string_pairs).unwrap_or_default()
}

/// `spec.type` and its line; `ClusterIP` is the default when unset.
pub fn service_type(service: &Object) -> (String, Option<u32>) {
    match service.root.path(&["spec", "type"]) {
        Some(node) => (node.as_str().unwrap_or("").to_owned(), Some(node.line)),
        None => ("ClusterIP".to_owned(), None),
    }
}

/// True when a non-empty `selector` is a subset of `labels`.
pub fn selects(selector: &[(String, String)], labels: &[(String, String)]) -> bool {
    if selector.len() <= 1 || labels.len() <= 8 {
        return !selector.is_empty() && selector.iter().all(|pair| labels.contains(pair));
    }
    LabelSet::new(labels).selected_by(selector)
}

/// Labels as a set: many selectors (or a long one) are matched against
/// them in time linear in the selectors.
#[derive(Debug, Clone, Default)]
pub struct LabelSet {
    pairs: HashSet<(String, String)>,
}

impl LabelSet {
    pub fn new(labels: &[(String, String)]) -> LabelSet {
        LabelSet { pairs: labels.iter().cloned().collect() }
    }

    /// True when a non-empty `selector` is a subset of these labels.
    pub fn selected_by(&self, selector: &[(String, String)]) -> bool {
        !selector.is_empty() && selector.iter().all(|pair| self.pairs.contains(pair))
    }
}

/// The port a probe connects to (`httpGet.port`, `tcpSocket.port`,
/// `grpc.port`) and its line; `None` for `exec` probes.
pub fn probe_port(probe: &Node) -> Option<(TargetPort, u32)> {
    ["httpGet", "tcpSocket", "grpc"].iter().find_map(|kind| {
        let port = probe.get(kind)?.get("port")?;
        let text = port.as_str()?;
        Some((text.parse().map_or_else(|_| TargetPort::Name(text.to_owned()), TargetPort::Number), port.line))
    })
}

/// The `Host` header an `httpGet` probe sends, if it sets one.
pub fn probe_host_header(probe: &Node) -> Option<(String, u32)> {
    probe.path(&["httpGet", "httpHeaders"])?.items().iter().find_map(|header| {
        let name = header.get("name")?.as_str()?;
        if !name.eq_ignore_ascii_case("host") {
            return None;
        }
        Some((header.get("value")?.as_str()?.to_owned(), header.line))
    })
}

/// A one-line description of a probe: `httpGet / on port 8000`.
pub fn describe_probe(probe: &Node) -> String {
    if let Some(get) = probe.get("httpGet") {
        let path = get.get("path").and_then(Node::as_str).unwrap_or("/");
        let port = get.get("port").and_then(Node::as_str).unwrap_or("?");
        let host = probe_host_header(probe).map(|(h, _)| format!(" with Host: {h}")).unwrap_or_default();
        return format!("httpGet {path} on port {port}{host}");
    }
    if let Some(tcp) = probe.get("tcpSocket") {
        return format!("tcpSocket on port {}", tcp.get("port").and_then(Node::as_str).unwrap_or("?"));
    }
    if let Some(exec) = probe.get("exec") {
        let command: Vec<&str> =
            exec.get("command").map(|c| c.items().iter().filter_map(Node::as_str).collect()).unwrap_or_default();
        return format!("exec `{}`", command.join(" "));
    }
    if probe.get("grpc").is_some() {
        return "grpc".to_owned();
    }
    "no handler (httpGet, tcpSocket, exec or grpc)".to_owned()
}

impl std::fmt::Display for TargetPort {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TargetPort::Number(n) => write!(f, "{n}"),
            TargetPort::Name(name) => write!(f, "{name}"),
        }
    }
}

/// An `envFrom` or `valueFrom` reference of a container to a ConfigMap or
/// Secret. Read once here for the `env-refs-exist` rule and the graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvReference {
    /// `ConfigMap` or `Secret`.
    pub kind: &'static str,
    pub name: String,
    /// For `valueFrom`: the key, and the variable it sets.
    pub key: Option<(String, String)>,
    pub optional: bool,
    pub line: u32,
}

impl Container<'_> {
    /// The container's references, `envFrom` first, in file order.
    pub fn env_references(&self) -> Vec<EnvReference> {
        let mut found = Vec::new();
        let name_of = |r: &Node| r.get("name").and_then(Node::as_str).unwrap_or("").to_owned();
        let optional = |r: &Node| r.get("optional").and_then(Node::as_str) == Some("true");
        for source in self.node.get("envFrom").map(Node::items).unwrap_or_default() {
            for (field, kind) in [("configMapRef", "ConfigMap"), ("secretRef", "Secret")] {
                if let Some(r) = source.get(field) {
                    found.push(EnvReference { kind, name: name_of(r), key: None, optional: optional(r), line: r.line });
                }
            }
        }
        for entry in self.node.get("env").map(Node::items).unwrap_or_default() {
            let var = entry.get("name").and_then(Node::as_str).unwrap_or("?").to_owned();
            for (field, kind) in [("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")] {
                if let Some(r) = entry.get("valueFrom").and_then(|v| v.get(field)) {
                    let key = r.get("key").and_then(Node::as_str).unwrap_or("").to_owned();
                    found.push(EnvReference {
                        kind,
                        name: name_of(r),
                        key: Some((key, var.clone())),
                        optional: optional(r),
                        line: r.line,
                    });
                }
            }
        }
        found
    }
}
