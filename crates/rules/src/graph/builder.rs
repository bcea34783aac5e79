//! Collects nodes (each id once, found by key) and edges, and cites the
//! findings' evidence for each edge. Beyond [`MAX_NODES_PER_KIND`] nodes of
//! one kind (20,000 leftover Pods), the rest become one node, "and 19,990
//! more Pods", and their edges lead to it.

use std::collections::{HashMap, HashSet};

use crate::finding::{Evidence, Finding, Status};
use crate::model::{ManifestState, Object, Release};
use crate::rule_id::RuleId;
use crate::shown;

use super::{Edge, EdgeKind, Graph, Node, NodeKind, NodeStatus};

/// Most nodes of one kind drawn; a release has one or two of each.
pub const MAX_NODES_PER_KIND: usize = 10;
/// Most edges of one kind drawn between two nodes (a Service of 10,000
/// ports): the rest are counted in the last one's label, and a broken one
/// takes the place of a holding one, so a break stays in the picture.
pub const MAX_PARALLEL_EDGES: usize = 4;

pub(super) struct Builder<'f> {
    findings: &'f [Finding],
    graph: Graph,
    /// The id of every node drawn.
    drawn: HashSet<String>,
    /// Nodes drawn of each kind, and the first one's id.
    kinds: HashMap<NodeKind, (usize, String)>,
    /// Nodes not drawn: each id, to its kind's summary node.
    elided: HashMap<String, String>,
    /// Per kind: the summary node's position and how many it stands for.
    summaries: HashMap<NodeKind, (usize, usize)>,
    /// Edges touching a summary node, drawn once each.
    summary_edges: HashSet<(String, String, EdgeKind)>,
    /// Per (from, to, kind): the positions of the edges drawn, and how many
    /// more there were.
    parallel: HashMap<(String, String, EdgeKind), (Vec<usize>, usize)>,
}

impl<'f> Builder<'f> {
    pub fn new(findings: &'f [Finding]) -> Builder<'f> {
        Builder {
            findings,
            graph: Graph::default(),
            drawn: HashSet::new(),
            kinds: HashMap::new(),
            elided: HashMap::new(),
            summaries: HashMap::new(),
            summary_edges: HashSet::new(),
            parallel: HashMap::new(),
        }
    }

    /// Adds `node` unless a node with its id is already there (the first
    /// one wins: it was added by the part that knows it best). Returns the
    /// id edges should use: its own, or its kind's summary node's.
    pub fn node(&mut self, node: Node) -> String {
        if let Some(id) = self.drawn(&node.id) {
            return id;
        }
        let kind = node.kind;
        let shown = self.kinds.get(&kind).map_or(0, |(count, _)| *count);
        if shown >= MAX_NODES_PER_KIND {
            return self.elide(node);
        }
        let id = node.id.clone();
        self.kinds.entry(kind).or_insert_with(|| (0, id.clone())).0 += 1;
        self.drawn.insert(id.clone());
        self.graph.nodes.push(node);
        id
    }

    /// [`Builder::node`] for a node that may not be drawn: `make` runs only
    /// when it is (the first of its kind beyond the cap included: the
    /// summary takes its status). `id` must be the id `make` gives.
    pub fn node_with(&mut self, id: String, kind: NodeKind, make: impl FnOnce() -> Node) -> String {
        if let Some(id) = self.drawn(&id) {
            return id;
        }
        let shown = self.kinds.get(&kind).map_or(0, |(count, _)| *count);
        if shown >= MAX_NODES_PER_KIND
            && let Some((position, count)) = self.summaries.get_mut(&kind)
            && let Some(summary) = self.graph.nodes.get(*position)
        {
            *count += 1;
            let summary_id = summary.id.clone();
            self.elided.insert(id, summary_id.clone());
            return summary_id;
        }
        self.node(make())
    }

    /// The id to use for `id` if it is in the graph: itself, or the summary
    /// node standing for it.
    fn drawn(&self, id: &str) -> Option<String> {
        if self.drawn.contains(id) {
            return Some(id.to_owned());
        }
        self.elided.get(id).cloned()
    }

    pub fn has(&self, id: &str) -> bool {
        self.drawn.contains(id) || self.elided.contains_key(id)
    }

    /// Counts `node` in its kind's summary node (made from the first node
    /// left out: its status and rule stand for the rest).
    fn elide(&mut self, node: Node) -> String {
        let kind = node.kind;
        let summary_id = format!("more/{}", kind.as_str());
        match self.summaries.get_mut(&kind) {
            Some((_, count)) => *count += 1,
            None => {
                let mut summary =
                    Node { id: summary_id.clone(), path: None, line: None, details: Vec::new(), ..node.clone() };
                summary.label = String::new();
                self.summaries.insert(kind, (self.graph.nodes.len(), 1));
                self.drawn.insert(summary_id.clone());
                self.graph.nodes.push(summary);
            }
        }
        self.elided.insert(node.id, summary_id.clone());
        summary_id
    }

    /// The first node of `kind` already in the graph.
    pub fn first_of(&self, kind: NodeKind) -> Option<String> {
        self.kinds.get(&kind).map(|(_, id)| id.clone())
    }

    /// Adds an edge between two nodes already in the graph (an edge to an
    /// unknown node is a bug of this module and is dropped). An edge to or
    /// from a node left out goes to its summary node, once.
    pub fn edge(&mut self, mut edge: Edge) {
        let (Some(from), Some(to)) = (self.drawn(&edge.from), self.drawn(&edge.to)) else { return };
        let summarised = from != edge.from || to != edge.to;
        if summarised && !self.summary_edges.insert((from.clone(), to.clone(), edge.kind)) {
            return;
        }
        let (drawn, more) = self.parallel.entry((from.clone(), to.clone(), edge.kind)).or_default();
        edge.from = from;
        edge.to = to;
        if drawn.len() < MAX_PARALLEL_EDGES {
            drawn.push(self.graph.edges.len());
            self.graph.edges.push(edge);
            return;
        }
        *more += 1;
        let holding = drawn.iter().rev().copied().find(|&i| self.graph.edges.get(i).is_some_and(|e| e.holds));
        if let (false, Some(position)) = (edge.holds, holding)
            && let Some(slot) = self.graph.edges.get_mut(position)
        {
            *slot = edge;
        }
    }

    pub fn status(&self, rule: RuleId) -> Option<Status> {
        self.finding(rule).map(|f| f.status)
    }

    pub fn finding(&self, rule: RuleId) -> Option<&'f Finding> {
        self.findings.iter().find(|f| f.id == rule)
    }

    /// The evidence for an edge: for each place it is written, the
    /// finding's own evidence at that `path:line` when the finding cites it,
    /// else the place as given. With no places, all the finding's evidence.
    pub fn cite(&self, rule: RuleId, places: Vec<Evidence>) -> Vec<Evidence> {
        let cited = self.finding(rule).map(|f| f.evidence.as_slice()).unwrap_or_default();
        if places.is_empty() {
            return cited.to_vec();
        }
        let mut evidence: Vec<Evidence> = places
            .into_iter()
            .map(|place| {
                let mut here = cited.iter().filter(|e| e.path == place.path && e.line == place.line);
                let first = here.clone().next();
                // Several entries at one place (a line-less `no POSTGRES_USER`...): the one saying the same.
                here.find(|e| place.found.is_some() && e.found == place.found).or(first).cloned().unwrap_or(place)
            })
            .collect();
        evidence.dedup();
        evidence
    }

    pub fn finish(mut self) -> Graph {
        for (drawn, more) in self.parallel.values() {
            if let (true, Some(edge)) = (*more > 0, drawn.last().and_then(|&i| self.graph.edges.get_mut(i))) {
                edge.label = format!("{} (and {} more)", edge.label, shown::thousands(*more));
            }
        }
        for (kind, (position, count)) in &self.summaries {
            if let Some(node) = self.graph.nodes.get_mut(*position) {
                let plural = if kind.as_str().ends_with('s') { "" } else { "s" };
                node.label = format!("and {} more {}{plural}", shown::thousands(*count), kind.as_str());
            }
        }
        self.graph
    }
}

/// A node for an object of the manifests: `broken` when kubectl rejects it.
pub(super) fn object_node(id: String, kind: NodeKind, object: &Object) -> Node {
    let mut node = Node::new(id, kind, object_name(object)).at(&object.path, Some(object.line));
    if let Some(defect) = &object.defect {
        node = node
            .status(NodeStatus::Broken, format!("kubectl rejects it: {} (line {})", defect.message, defect.line))
            .rule(RuleId::ManifestsApply);
    }
    node
}

/// An object's name, or where it is when it has none.
pub(super) fn object_name(object: &Object) -> String {
    object.name.clone().unwrap_or_else(|| format!("{}:{}", object.path, object.line))
}

/// `app=mysite, tier=web`, or `no labels`.
pub(super) fn pairs(pairs: &[(String, String)]) -> String {
    if pairs.is_empty() {
        return "no labels".to_owned();
    }
    pairs.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(", ")
}

/// Why a manifest file defines nothing, in a few words:
/// `deployment/secret.yaml is not valid YAML (line 7)`. `None` when it parsed
/// or is not in the manifests.
pub(super) fn file_problem(release: &Release<'_>, path: &str) -> Option<String> {
    match &release.manifest(path)?.state {
        ManifestState::Parsed => None,
        ManifestState::Invalid(error) => Some(format!("{path} is not valid YAML (line {})", error.line)),
        ManifestState::Unreadable(_) => Some(format!("{path} could not be read")),
        ManifestState::Ignored => Some(format!("{path} is not a .yaml, .yml or .json file")),
    }
}
