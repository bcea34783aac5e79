//! How the pieces of a release find each other, as data for a picture.
//!
//! Most failures at this milestone are broken connections: a Service whose
//! selector matches no pod template, a `targetPort` nobody listens on, an
//! `envFrom` naming a ConfigMap that does not exist, a `POSTGRES_HOSTNAME`
//! that is not the Service `helm install postgres` creates, a Secret
//! password that is not the one in the Helm values, a volume claiming a
//! deleted PVC. `m13_rules::graph::build` reads the same release the rules
//! read, plus their findings, and returns boxes ([`Node`]) and arrows
//! ([`Edge`]).
//! Every arrow says whether it holds and, through `rule` and `evidence`,
//! which finding decides it, so a picture can link each red arrow to the
//! finding that explains it.
//!
//! Arrows point from the piece that needs something to the piece it needs:
//! Service → Deployment, probe → Deployment, Deployment → ConfigMap,
//! ConfigMap → Postgres Service, Secret → Helm values, Postgres Service →
//! Helm values, HorizontalPodAutoscaler → Deployment, workload → PVC.
//!
//! The writers (`m13-report`'s Mermaid, the web app's SVG) only lay this out;
//! they decide nothing.

use serde::{Deserialize, Serialize};

use crate::finding::Evidence;
use crate::rule_id::RuleId;
use crate::shown;

/// The release's pieces and how they connect.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Graph {
    /// Each piece once, in a stable order: the Django Service, the
    /// Deployment, its probes, the ConfigMaps and Secrets it loads, the
    /// Postgres Service and the Helm values, then the rest.
    pub nodes: Vec<Node>,
    /// Every edge's `from` and `to` is the `id` of a node in `nodes`.
    pub edges: Vec<Edge>,
}

/// One piece: a Kubernetes object of the release, one the test procedure
/// creates (the Postgres Service), one that is referred to but missing, or
/// one that should have been deleted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Node {
    /// Stable and unique within the graph: `service/mysite-svc`,
    /// `deployment/mysite-deployment`, `probe/mysite-deployment/livenessProbe`,
    /// `configmap/mysite-config`, `secret/mysite-secret`,
    /// `service/postgres-postgresql`, `values/auth`, `hpa/NAME`, `pvc/NAME`,
    /// `pod/NAME`, `host/VALUE`, `file/PATH`.
    pub id: String,
    pub kind: NodeKind,
    /// The object's name, or what stands in for it (`no Service`).
    pub label: String,
    /// Short facts to show under the label: type and ports, pod labels,
    /// container ports, the probe's handler, the values' auth keys.
    pub details: Vec<String>,
    /// Where it is defined, when it comes from a file of the release.
    pub path: Option<String>,
    pub line: Option<u32>,
    pub status: NodeStatus,
    /// What is wrong with the piece itself, when `status` is not `ok`.
    pub problem: Option<String>,
    /// The rule whose finding is about this piece.
    pub rule: Option<RuleId>,
}

/// What a node stands for. Serialised as written (`ConfigMap`,
/// `HelmValues`...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NodeKind {
    Service,
    Deployment,
    /// Another workload kind (StatefulSet...), named by an autoscaler.
    Workload,
    /// A liveness, readiness or startup probe of the Django container.
    Probe,
    ConfigMap,
    Secret,
    /// The `auth` block of the Postgres chart's values file.
    HelmValues,
    HorizontalPodAutoscaler,
    PersistentVolumeClaim,
    Pod,
    /// A host name a variable points at that no Service of the test
    /// procedure has.
    Host,
    /// A file that should be gone but holds no object (`deployment/pod.yaml`
    /// that does not parse).
    File,
}

impl NodeKind {
    /// The name shown to people: the Kubernetes kind, or a short phrase.
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Service => "Service",
            NodeKind::Deployment => "Deployment",
            NodeKind::Workload => "Workload",
            NodeKind::Probe => "Probe",
            NodeKind::ConfigMap => "ConfigMap",
            NodeKind::Secret => "Secret",
            NodeKind::HelmValues => "Helm values",
            NodeKind::HorizontalPodAutoscaler => "HorizontalPodAutoscaler",
            NodeKind::PersistentVolumeClaim => "PersistentVolumeClaim",
            NodeKind::Pod => "Pod",
            NodeKind::Host => "Host",
            NodeKind::File => "File",
        }
    }
}

/// The state of a piece.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NodeStatus {
    /// Defined, and nothing is wrong with it on its own.
    Ok,
    /// Defined but wrong on its own: kubectl rejects it, a Service that is
    /// not a LoadBalancer, a Deployment that does not run Django.
    Broken,
    /// Referred to, or needed, but not defined.
    Missing,
    /// Defined but should have been removed (the old Pod and PVC).
    Leftover,
}

impl NodeStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            NodeStatus::Ok => "ok",
            NodeStatus::Broken => "broken",
            NodeStatus::Missing => "missing",
            NodeStatus::Leftover => "leftover",
        }
    }
}

/// One reference from a piece to another, and whether it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edge {
    /// The `id` of the node that needs the other.
    pub from: String,
    pub to: String,
    pub kind: EdgeKind,
    /// What connects them: `selector app=mysite`, `targetPort 8000`,
    /// `envFrom`, `POSTGRES_HOSTNAME`, `POSTGRES_PASSWORD = auth.password`.
    pub label: String,
    /// False when the files show the connection broken. A connection the
    /// files cannot decide (its rule says `manual`) holds: nothing shows
    /// it broken, and `rule` names the finding that asks a person to look.
    pub holds: bool,
    /// When broken, a short sentence that stands on its own:
    /// `selector app=web matches no pods (they have app=mysite)`.
    pub problem: Option<String>,
    /// The rule whose finding decides the connection; `None` for the few
    /// connections no rule checks (an autoscaler's target).
    pub rule: Option<RuleId>,
    /// Where the connection is written, as the finding cites it
    /// (`path:line`, found, expected).
    pub evidence: Vec<Evidence>,
}

/// Which kind of reference an edge is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EdgeKind {
    /// A Service's selector reaching the pod template's labels.
    Selects,
    /// A Service port's `targetPort` reaching a container port.
    TargetPort,
    /// A probe reaching a container port, or the lack of a probe.
    Probe,
    EnvFrom,
    ValueFrom,
    /// `POSTGRES_HOSTNAME` reaching the Postgres Service.
    Hostname,
    /// A `POSTGRES_*` credential matching the Helm values' `auth` setting.
    Credential,
    /// `helm install postgres … --values`: the chart reading the values file.
    HelmValues,
    /// An autoscaler's `scaleTargetRef`.
    ScaleTarget,
    /// A volume's `persistentVolumeClaim.claimName`.
    Claims,
}

impl Graph {
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }

    /// The edges that do not hold.
    pub fn broken_edges(&self) -> impl Iterator<Item = &Edge> {
        self.edges.iter().filter(|e| !e.holds)
    }

    /// True when every edge holds and every node is `ok` (none missing,
    /// broken or left over).
    pub fn all_hold(&self) -> bool {
        self.edges.iter().all(|e| e.holds) && self.nodes.iter().all(|n| n.status == NodeStatus::Ok)
    }
}

impl Node {
    /// A node with nothing known but its id, kind and label (both clipped
    /// when long: they may quote the release).
    pub fn new(id: impl Into<String>, kind: NodeKind, label: impl Into<String>) -> Node {
        Node {
            id: shown::clip_id(id.into()),
            kind,
            label: shown::clip_owned(label.into()),
            details: Vec::new(),
            path: None,
            line: None,
            status: NodeStatus::Ok,
            problem: None,
            rule: None,
        }
    }

    /// Where the piece is defined.
    pub fn at(mut self, path: impl Into<String>, line: Option<u32>) -> Node {
        self.path = Some(path.into());
        self.line = line;
        self
    }

    /// One more fact to show, clipped.
    pub fn detail(mut self, detail: impl Into<String>) -> Node {
        self.details.push(shown::clip_owned(detail.into()));
        self
    }

    /// The piece's state and what is wrong with it, clipped.
    pub fn status(mut self, status: NodeStatus, problem: impl Into<String>) -> Node {
        self.status = status;
        self.problem = Some(shown::clip_owned(problem.into()));
        self
    }

    /// Sets the rule unless one is already set (a rejected object keeps
    /// `manifests-apply`).
    pub fn rule(mut self, rule: RuleId) -> Node {
        self.rule.get_or_insert(rule);
        self
    }
}

impl Edge {
    /// An edge that holds, until [`Edge::broken`] says otherwise.
    pub fn new(from: &str, to: &str, kind: EdgeKind, label: impl Into<String>) -> Edge {
        Edge {
            from: from.to_owned(),
            to: to.to_owned(),
            kind,
            label: shown::clip_owned(label.into()),
            holds: true,
            problem: None,
            rule: None,
            evidence: Vec::new(),
        }
    }

    /// Marks the edge broken with `problem`, or leaves it holding when
    /// `problem` is `None`.
    pub fn broken(mut self, problem: Option<String>) -> Edge {
        if let Some(problem) = problem {
            self.holds = false;
            self.problem = Some(shown::clip_owned(problem));
        }
        self
    }

    /// The rule that decides the connection and the evidence it cites.
    pub fn rule(mut self, rule: RuleId, evidence: Vec<Evidence>) -> Edge {
        self.rule = Some(rule);
        self.evidence = evidence;
        self
    }

    /// Evidence for an edge no rule checks.
    pub fn evidence(mut self, evidence: Vec<Evidence>) -> Edge {
        self.evidence = evidence;
        self
    }
}
