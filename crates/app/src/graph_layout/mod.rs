//! Where the boxes and arrows of the release graph go: a small, deterministic
//! layered layout of [`m13_rules::graph::Graph`], computed in Rust with no
//! web API so `cargo test` covers it. The component
//! (`components::release_graph`) only draws what this returns.
//!
//! The picture reads top-down as the release does: the autoscaler, the
//! Django Service, the Deployment, then what it loads (probes, ConfigMaps,
//! Secrets), the Postgres Service `helm install` creates, the Helm values.
//! Pieces that should be gone (Pods, PVCs, files) sit at the right end of
//! their row on a desktop and at the bottom on a phone.
//!
//! How: nodes get a rank from their kind, ranks become rows (one node per row
//! in [`Shape::Narrow`]); every edge's label is a box of its own in a row of
//! labels just below the edge's upper end, and an edge that spans more rows
//! passes each one through a thin slot of its own. So every row is a line
//! of boxes that never overlap, an edge only ever runs between two
//! neighbouring rows (where nothing else is) or straight down inside its own
//! slot, and it cannot cross a box. Text is measured by counting characters
//! (the component draws it in a monospace font; see `text.rs`).

mod text;

use std::collections::HashSet;

use m13_rules::graph::{Edge, EdgeKind, Graph, Node, NodeKind, NodeStatus};
use m13_rules::order;
use serde::{Deserialize, Serialize};

use text::{char_width, clip_chars, ellipsis, fits};
pub use text::{text_cells, wrap};

/// The most boxes one picture lays out. A release of this milestone has
/// about fifteen pieces; past this the layout's row ordering (quadratic in
/// the boxes and arrows of a row) would cost more than the picture is
/// worth, and no one reads a picture of thousands of Pods. The rest are
/// left out, and the picture says how many ([`Layout::left_out`]).
pub const MAX_NODES: usize = 40;
/// The most arrows one picture lays out (twice the boxes: a release has
/// about one and a half per piece).
pub const MAX_EDGES: usize = 80;
/// The longest label, detail or problem a picture keeps, in characters:
/// a box shows two to four lines of about 30, and a screen reader's label
/// needs no more.
pub const MAX_TEXT_CHARS: usize = 300;

/// What a picture leaves out of its graph: the nodes past [`MAX_NODES`],
/// and the edges past [`MAX_EDGES`] or to a node left out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeftOut {
    pub nodes: usize,
    pub edges: usize,
}

impl LeftOut {
    pub fn is_empty(&self) -> bool {
        self.nodes == 0 && self.edges == 0
    }
}

/// The part of `graph` a picture draws: its first [`MAX_NODES`] nodes (the
/// graph's order puts the Django Service, the Deployment and what it loads
/// first, leftovers last), the first [`MAX_EDGES`] edges among them, each
/// text cut to [`MAX_TEXT_CHARS`]; and how much was left out. A graph
/// within both caps keeps every edge. One pass over the graph, looking ids
/// up among the kept nodes only.
fn bounded(graph: &Graph) -> (Graph, LeftOut) {
    let nodes: Vec<Node> = graph
        .nodes
        .iter()
        .take(MAX_NODES)
        .map(|node| Node {
            id: node.id.clone(),
            kind: node.kind,
            label: clip_chars(&node.label, MAX_TEXT_CHARS),
            details: node.details.iter().take(DETAIL_LINES + 1).map(|d| clip_chars(d, MAX_TEXT_CHARS)).collect(),
            path: node.path.clone(),
            line: node.line,
            status: node.status,
            problem: node.problem.as_deref().map(|p| clip_chars(p, MAX_TEXT_CHARS)),
            rule: node.rule,
        })
        .collect();
    let whole = graph.nodes.len() <= MAX_NODES && graph.edges.len() <= MAX_EDGES;
    let kept: HashSet<&str> = nodes.iter().map(|n| n.id.as_str()).collect();
    let drawn = |e: &&Edge| whole || (kept.contains(e.from.as_str()) && kept.contains(e.to.as_str()));
    let edges: Vec<Edge> = graph
        .edges
        .iter()
        .filter(drawn)
        .take(MAX_EDGES)
        .map(|edge| Edge {
            from: edge.from.clone(),
            to: edge.to.clone(),
            kind: edge.kind,
            label: clip_chars(&edge.label, MAX_TEXT_CHARS),
            holds: edge.holds,
            problem: edge.problem.as_deref().map(|p| clip_chars(p, MAX_TEXT_CHARS)),
            rule: edge.rule,
            evidence: edge.evidence.clone(),
        })
        .collect();
    let left_out = LeftOut {
        nodes: graph.nodes.len().saturating_sub(nodes.len()),
        edges: graph.edges.len().saturating_sub(edges.len()),
    };
    (Graph { nodes, edges }, left_out)
}

/// The graph as the phone draws it. In one column every link that skips a
/// row runs down a lane of its own, so links that hold between the same two
/// boxes for the same rule (`POSTGRES_USER = auth.username`, `POSTGRES_DB =
/// auth.database`) become one arrow with their labels joined. Broken links
/// stay apart: each keeps its own red label. Quadratic in the edges: only
/// for a [`bounded`] graph.
fn merge_parallel(graph: &Graph) -> Graph {
    let mut edges: Vec<Edge> = Vec::with_capacity(graph.edges.len());
    for edge in &graph.edges {
        let twin = edges.iter_mut().find(|e| {
            e.holds
                && edge.holds
                && e.from == edge.from
                && e.to == edge.to
                && e.kind == edge.kind
                && e.rule == edge.rule
        });
        match twin {
            Some(twin) => {
                twin.label = format!("{}, {}", twin.label, edge.label);
                twin.evidence.extend(edge.evidence.iter().cloned());
            }
            None => edges.push(edge.clone()),
        }
    }
    Graph { nodes: graph.nodes.clone(), edges }
}

/// One drawing of the graph: the graph as drawn (at most [`MAX_NODES`]
/// nodes and [`MAX_EDGES`] edges; a phone's merges parallel edges) and
/// where everything goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Picture {
    pub graph: Graph,
    pub layout: Layout,
}

/// Both drawings of `graph`, wide then narrow; the stylesheet shows one.
/// Made by the checker, so the page's first load has no layout code. The
/// work is bounded whatever the graph: a linear pass cuts it to what a
/// picture draws, and only that is laid out.
pub fn pictures(graph: &Graph) -> Vec<Picture> {
    let (drawn, left_out) = bounded(graph);
    let phone = merge_parallel(&drawn);
    let mut wide = layout(&drawn, Shape::Wide);
    let mut narrow = layout(&phone, Shape::Narrow);
    wide.left_out = left_out;
    narrow.left_out = left_out;
    vec![Picture { graph: drawn, layout: wide }, Picture { graph: phone, layout: narrow }]
}

/// Which picture: side by side for a desktop, one column for a phone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Shape {
    Wide,
    Narrow,
}

impl Shape {
    pub fn as_str(self) -> &'static str {
        match self {
            Shape::Wide => "wide",
            Shape::Narrow => "narrow",
        }
    }
}

/// Font sizes in user units (the component sets them as attributes, so the
/// measurements below and the drawing agree).
pub const CAPTION_SIZE: i32 = 11;
pub const NAME_SIZE: i32 = 13;
pub const DETAIL_SIZE: i32 = 11;
pub const LABEL_SIZE: i32 = 11;

const CAPTION_LINE: i32 = 15;
const NAME_LINE: i32 = 17;
const DETAIL_LINE: i32 = 15;
const LABEL_LINE: i32 = 14;

const MARGIN: i32 = 8;
const NODE_PAD_X: i32 = 10;
const NODE_PAD_Y: i32 = 8;
const LABEL_PAD_X: i32 = 6;
const LABEL_PAD_Y: i32 = 3;
/// The slot an edge passes a row through.
const THROUGH_WIDTH: i32 = 8;
/// Between two boxes of a row, and between two rows (where edges bend).
const NODE_GAP: i32 = 24;
const ITEM_GAP: i32 = 12;
/// Between two lanes of edges beside the column on a phone.
const LANE_GAP: i32 = 4;
const ROW_GAP: i32 = 22;

/// How many lines each part of a box may take before it is cut with `…`.
const NAME_LINES: usize = 2;
const DETAIL_LINES: usize = 4;
const PROBLEM_LINES: usize = 3;
const LABEL_LINES: usize = 2;
const PROBLEM_LABEL_LINES: usize = 4;
/// The most lines of a label joined by [`merge_parallel`].
const JOINED_LABEL_LINES: usize = 8;

struct Metrics {
    node_width: i32,
    /// Widest a row of labels may grow before it is split in two.
    row_budget: i32,
    /// Most nodes side by side.
    row_nodes: usize,
    /// Widest label line, in characters.
    label_chars: usize,
}

fn metrics(shape: Shape) -> Metrics {
    match shape {
        Shape::Wide => Metrics { node_width: 200, row_budget: 872, row_nodes: 4, label_chars: 26 },
        Shape::Narrow => Metrics { node_width: 232, row_budget: 232, row_nodes: 1, label_chars: 30 },
    }
}

/// Where a graph is drawn, in user units from the top left.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Layout {
    pub shape: Shape,
    pub width: i32,
    pub height: i32,
    /// One per node of the graph, in the graph's order.
    pub nodes: Vec<NodeBox>,
    /// One per edge of the graph, in the graph's order.
    pub edges: Vec<EdgeRoute>,
    /// What [`pictures`] left out of the release's graph to draw this one.
    pub left_out: LeftOut,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rect {
    pub x: i32,
    pub y: i32,
    pub w: i32,
    pub h: i32,
}

impl Rect {
    pub fn right(&self) -> i32 {
        self.x + self.w
    }

    pub fn bottom(&self) -> i32 {
        self.y + self.h
    }

    /// Whether the two share any area (touching edges do not count).
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x < other.right() && other.x < self.right() && self.y < other.bottom() && other.y < self.bottom()
    }

    /// Whether `(x, y)` is on the border.
    pub fn on_border(&self, (x, y): (i32, i32)) -> bool {
        let inside_x = (self.x..=self.right()).contains(&x);
        let inside_y = (self.y..=self.bottom()).contains(&y);
        (inside_x && (y == self.y || y == self.bottom())) || (inside_y && (x == self.x || x == self.right()))
    }
}

/// What a line of text is, for its style.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LineRole {
    /// The kind (`Deployment`), small.
    Caption,
    /// The object's name, bold.
    Name,
    Detail,
    /// What is wrong with the piece, in the status colour.
    Problem,
    /// An edge's label (centred on `x`).
    Label,
}

impl LineRole {
    pub fn as_str(self) -> &'static str {
        match self {
            LineRole::Caption => "caption",
            LineRole::Name => "name",
            LineRole::Detail => "detail",
            LineRole::Problem => "problem",
            LineRole::Label => "label",
        }
    }

    pub fn size(self) -> i32 {
        match self {
            LineRole::Caption => CAPTION_SIZE,
            LineRole::Name => NAME_SIZE,
            LineRole::Detail | LineRole::Problem => DETAIL_SIZE,
            LineRole::Label => LABEL_SIZE,
        }
    }

    fn height(self) -> i32 {
        match self {
            LineRole::Caption => CAPTION_LINE,
            LineRole::Name => NAME_LINE,
            LineRole::Detail | LineRole::Problem => DETAIL_LINE,
            LineRole::Label => LABEL_LINE,
        }
    }
}

/// A line of text at its baseline: left-aligned at `x` in a node, centred
/// on `x` in a label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub text: String,
    pub x: i32,
    pub y: i32,
    pub role: LineRole,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeBox {
    pub rect: Rect,
    pub lines: Vec<Line>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EdgeRoute {
    /// From the `from` node's border to the `to` node's border (where the
    /// arrowhead goes). Between two points with the same x or y the line is
    /// straight; otherwise it is an S-bend that leaves and arrives
    /// vertically ([`path`]). Empty when an end is not a node of the graph.
    pub points: Vec<(i32, i32)>,
    /// The label's box; `None` for an edge with no place to draw it.
    pub label: Option<NodeBox>,
    /// The arrowhead at the `to` end: tip, then the two back corners.
    pub head: Option<[(i32, i32); 3]>,
}

/// The arrowhead at the end of `points`: routes always arrive straight or
/// with a vertical tangent, so it points along an axis.
fn head(points: &[(i32, i32)]) -> Option<[(i32, i32); 3]> {
    let [.., (x1, y1), (x2, y2)] = points else { return None };
    let (dx, dy) =
        if x1 != x2 && y1 != y2 { (0, (y2 - y1).signum()) } else { ((x2 - x1).signum(), (y2 - y1).signum()) };
    let (length, half) = (8, 4);
    let (bx, by) = (x2 - dx * length, y2 - dy * length);
    Some([(*x2, *y2), (bx - dy * half, by - dx * half), (bx + dy * half, by + dx * half)])
}

/// The SVG path data of a route: straight runs and vertical S-bends.
pub fn path(points: &[(i32, i32)]) -> String {
    let mut d = String::new();
    let Some(&(x0, y0)) = points.first() else { return d };
    d.push_str(&format!("M{x0} {y0}"));
    for pair in points.windows(2) {
        let &[(x1, y1), (x2, y2)] = pair else { continue };
        if x1 == x2 || y1 == y2 {
            d.push_str(&format!(" L{x2} {y2}"));
        } else {
            let mid = (y1 + y2) / 2;
            d.push_str(&format!(" C{x1} {mid} {x2} {mid} {x2} {y2}"));
        }
    }
    d
}

/// What a node shows, line by line, before it is placed.
fn node_text(node: &Node, width: i32) -> Vec<(String, LineRole)> {
    let inner = width - 2 * NODE_PAD_X;
    let mut lines = Vec::new();
    lines.extend(wrap(node.kind.as_str(), fits(inner, CAPTION_SIZE), 1).into_iter().map(|l| (l, LineRole::Caption)));
    let name = if node.label.trim().is_empty() { "(no name)" } else { node.label.as_str() };
    lines.extend(wrap(name, fits(inner, NAME_SIZE), NAME_LINES).into_iter().map(|l| (l, LineRole::Name)));
    let detail_width = fits(inner, DETAIL_SIZE);
    let mut details: Vec<String> = Vec::new();
    for detail in &node.details {
        if details.len() > DETAIL_LINES {
            break;
        }
        details.extend(wrap(detail, detail_width, DETAIL_LINES));
    }
    if details.len() > DETAIL_LINES {
        details.truncate(DETAIL_LINES);
        if let Some(last) = details.last_mut() {
            *last = ellipsis(&format!("{last} …"), detail_width);
        }
    }
    lines.extend(details.into_iter().map(|l| (l, LineRole::Detail)));
    if node.status != NodeStatus::Ok {
        let text = match &node.problem {
            Some(problem) => format!("{} {}: {problem}", status_mark(node.status), node.status.as_str()),
            None => format!("{} {}", status_mark(node.status), node.status.as_str()),
        };
        lines.extend(wrap(&text, detail_width, PROBLEM_LINES).into_iter().map(|l| (l, LineRole::Problem)));
    }
    lines
}

/// `⚠` for a piece that should be gone, `✗` for one that is wrong or missing.
pub fn status_mark(status: NodeStatus) -> &'static str {
    match status {
        NodeStatus::Leftover => "⚠",
        NodeStatus::Ok => "✓",
        NodeStatus::Broken | NodeStatus::Missing => "✗",
    }
}

/// What an edge's label says: its problem when it is broken.
pub fn edge_text(edge: &Edge) -> String {
    match (&edge.problem, edge.holds) {
        (Some(problem), false) => format!("✗ {problem}"),
        (None, false) => format!("✗ {}", edge.label),
        _ => edge.label.clone(),
    }
}

fn label_text(edge: &Edge, m: &Metrics) -> Vec<String> {
    // A label joined by `merge_parallel` gets a line more per joined link.
    let lines = if edge.holds {
        (LABEL_LINES + edge.label.matches(", ").count()).min(JOINED_LABEL_LINES)
    } else {
        PROBLEM_LABEL_LINES
    };
    wrap(&edge_text(edge), m.label_chars, lines)
}

fn label_size(lines: &[String]) -> (i32, i32) {
    let widest = lines.iter().map(|l| text_cells(l)).max().unwrap_or(0);
    let w = (char_width(widest, LABEL_SIZE) + 2 * LABEL_PAD_X).max(24);
    let h = i32::try_from(lines.len()).unwrap_or(1) * LABEL_LINE + 2 * LABEL_PAD_Y;
    (w, h)
}

fn text_height(lines: &[(String, LineRole)]) -> i32 {
    lines.iter().map(|(_, role)| role.height()).sum::<i32>() + 2 * NODE_PAD_Y
}

/// The baseline of a line `height` high whose top is `top`.
fn baseline(top: i32, height: i32, size: i32) -> i32 {
    top + (height - size) / 2 + (size * 4) / 5
}

// ---- ranks ----------------------------------------------------------------

/// The row a node belongs in, top to bottom, and whether it is a piece that
/// should be gone (drawn aside).
fn rank(graph: &Graph, index: usize, ends: &[Option<(usize, usize)>]) -> (u8, bool) {
    let Some(node) = graph.nodes.get(index) else { return (9, true) };
    let postgres = || {
        graph.edges.iter().zip(ends).any(|(edge, ends)| match (edge.kind, ends) {
            (EdgeKind::HelmValues, Some((from, _))) => *from == index,
            (EdgeKind::Hostname, Some((_, to))) => *to == index,
            _ => false,
        })
    };
    match node.kind {
        NodeKind::HorizontalPodAutoscaler => (0, false),
        NodeKind::Service if postgres() => (4, false),
        NodeKind::Service => (1, false),
        NodeKind::Deployment | NodeKind::Workload => (2, false),
        NodeKind::Probe | NodeKind::ConfigMap | NodeKind::Secret => (3, false),
        NodeKind::Host => (4, false),
        NodeKind::HelmValues => (5, false),
        NodeKind::Pod | NodeKind::File => (2, true),
        NodeKind::PersistentVolumeClaim => (3, true),
    }
}

/// Nodes in layers, top to bottom. Wide: a layer per rank (split past
/// `row_nodes`), leftovers at the right end. Narrow: a layer per node,
/// leftovers last. No edge joins two nodes of one layer.
fn node_layers(graph: &Graph, ends: &[Option<(usize, usize)>], shape: Shape, m: &Metrics) -> Vec<Vec<usize>> {
    let mut order: Vec<(u8, bool, usize)> =
        (0..graph.nodes.len()).map(|i| rank(graph, i, ends)).zip(0..).map(|((r, a), i)| (r, a, i)).collect();
    let mut layers: Vec<Vec<usize>> = Vec::new();
    match shape {
        Shape::Narrow => {
            order::sort_by_key(&mut order, |&(rank, aside, index)| (aside, rank, index));
            layers.extend(order.into_iter().map(|(_, _, index)| vec![index]));
        }
        Shape::Wide => {
            order::sort_by_key(&mut order, |&(rank, aside, index)| (rank, aside, index));
            let mut current: Option<u8> = None;
            for (rank, _, index) in order {
                let full = layers.last().is_none_or(|l| l.len() >= m.row_nodes);
                if current != Some(rank) || full {
                    layers.push(Vec::new());
                    current = Some(rank);
                }
                if let Some(layer) = layers.last_mut() {
                    layer.push(index);
                }
            }
        }
    }
    // An edge inside a layer: its later end moves to a layer of its own below.
    let mut guard = graph.nodes.len() + 1;
    while guard > 0 {
        guard -= 1;
        let layer_of = layer_index(&layers, graph.nodes.len());
        let clash = ends.iter().flatten().find_map(|&(a, b)| {
            let (la, lb) = (layer_of.get(a).copied().flatten()?, layer_of.get(b).copied().flatten()?);
            let layer = layers.get(la).filter(|_| a != b && la == lb)?;
            let later = if layer.iter().position(|&n| n == a) > layer.iter().position(|&n| n == b) { a } else { b };
            Some((la, later))
        });
        let Some((layer, node)) = clash else { break };
        if let Some(nodes) = layers.get_mut(layer) {
            nodes.retain(|&n| n != node);
        }
        layers.insert((layer + 1).min(layers.len()), vec![node]);
    }
    layers
}

fn layer_index(layers: &[Vec<usize>], nodes: usize) -> Vec<Option<usize>> {
    let mut of = vec![None; nodes];
    for (l, layer) in layers.iter().enumerate() {
        for &n in layer {
            if let Some(slot) = of.get_mut(n) {
                *slot = Some(l);
            }
        }
    }
    of
}

// ---- rows -----------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Item {
    Node(usize),
    Label(usize),
    Through(usize),
}

struct Placed {
    item: Item,
    w: i32,
    h: i32,
    x: i32,
}

impl Placed {
    fn center(&self) -> i32 {
        self.x + self.w / 2
    }
}

struct Row {
    items: Vec<Placed>,
    y: i32,
    h: i32,
}

/// An edge between two different nodes, by its rows: the upper end, the
/// lower end, and whether `from` is the upper one.
#[derive(Clone, Copy)]
struct Span {
    upper: usize,
    lower: usize,
    upper_layer: usize,
    lower_layer: usize,
    from_is_upper: bool,
}

/// Lays out `graph` for `shape`. The same graph always gives the same layout.
/// One phase per function, in order: layers, spans, rows, row order, sizes
/// and x (wide or narrow), stacking, boxes, anchors, routes.
pub fn layout(graph: &Graph, shape: Shape) -> Layout {
    let m = metrics(shape);
    let index = |id: &str| graph.nodes.iter().position(|n| n.id == id);
    let ends: Vec<Option<(usize, usize)>> =
        graph.edges.iter().map(|e| Some((index(&e.from)?, index(&e.to)?))).collect();
    let layers = node_layers(graph, &ends, shape, &m);
    let spans = edge_spans(&ends, &layer_index(&layers, graph.nodes.len()));
    let node_text: Vec<Vec<(String, LineRole)>> = graph.nodes.iter().map(|n| node_text(n, m.node_width)).collect();
    let label_text: Vec<Vec<String>> = graph.edges.iter().map(|e| label_text(e, &m)).collect();
    let label_sizes: Vec<(i32, i32)> = label_text.iter().map(|l| label_size(l)).collect();
    let (mut rows, node_row) = build_rows(&layers, &spans, shape, &label_sizes, &m, graph.nodes.len());
    order_rows(graph, &mut rows, &layers, &node_row, &spans, &ends);
    let mut placed = sized_rows(&rows, &m, &node_text, &label_sizes);
    match shape {
        Shape::Wide => place_wide(&mut placed, &rows, &node_row, &spans, &ends),
        Shape::Narrow => place_narrow(&mut placed, m.node_width),
    }
    let (width, height) = stack(&mut placed);
    let nodes = node_boxes(&node_text, &node_row, &placed, &m);
    let anchors = anchors(&nodes, &spans, &placed, &node_row, graph.edges.len());
    let edges = routes(&spans, &ends, &nodes, &node_row, &placed, &label_text, &anchors);
    Layout { shape, width, height, nodes, edges, left_out: LeftOut::default() }
}

/// Each edge by its rows' layers; `None` for a loop on one node, an edge
/// within a layer, or an end that is not a node.
fn edge_spans(ends: &[Option<(usize, usize)>], layer_of: &[Option<usize>]) -> Vec<Option<Span>> {
    ends.iter()
        .map(|ends| {
            let (from, to) = (*ends)?;
            let (lf, lt) = (layer_of.get(from).copied()??, layer_of.get(to).copied()??);
            (lf != lt).then_some(if lf < lt {
                Span { upper: from, lower: to, upper_layer: lf, lower_layer: lt, from_is_upper: true }
            } else {
                Span { upper: to, lower: from, upper_layer: lt, lower_layer: lf, from_is_upper: false }
            })
        })
        .collect()
}

/// Rows: each layer of nodes, then the labels of the edges leaving it
/// downwards (split when too wide); every edge passes the rows between its
/// ends through a slot. Also the row of each node.
fn build_rows(
    layers: &[Vec<usize>],
    spans: &[Option<Span>],
    shape: Shape,
    label_sizes: &[(i32, i32)],
    m: &Metrics,
    node_count: usize,
) -> (Vec<Vec<Item>>, Vec<usize>) {
    let mut rows: Vec<Vec<Item>> = Vec::new();
    let mut node_row = vec![0usize; node_count];
    for (l, layer) in layers.iter().enumerate() {
        let mut items: Vec<Item> = layer.iter().map(|&n| Item::Node(n)).collect();
        for &n in layer {
            if let Some(row) = node_row.get_mut(n) {
                *row = rows.len();
            }
        }
        items.extend(
            spans
                .iter()
                .enumerate()
                .filter_map(|(e, s)| s.filter(|s| s.upper_layer < l && l < s.lower_layer).map(|_| Item::Through(e))),
        );
        rows.push(items);
        let crossing: Vec<usize> = spans
            .iter()
            .enumerate()
            .filter_map(|(e, s)| s.filter(|s| s.upper_layer <= l && l < s.lower_layer).map(|_| e))
            .collect();
        let starting: Vec<usize> = crossing
            .iter()
            .copied()
            .filter(|&e| spans.get(e).copied().flatten().is_some_and(|s| s.upper_layer == l))
            .collect();
        // On a phone the other edges pass in lanes beside the column.
        let slots = if shape == Shape::Wide { crossing.len() } else { 0 };
        for chunk in split_labels(&starting, slots, label_sizes, m.row_budget) {
            let mut items: Vec<Item> = chunk.iter().map(|&e| Item::Label(e)).collect();
            items.extend(crossing.iter().filter(|e| !chunk.contains(e)).map(|&e| Item::Through(e)));
            rows.push(items);
        }
    }
    (rows, node_row)
}

/// Orders each row by where its items connect in the row above.
fn order_rows(
    graph: &Graph,
    rows: &mut [Vec<Item>],
    layers: &[Vec<usize>],
    node_row: &[usize],
    spans: &[Option<Span>],
    ends: &[Option<(usize, usize)>],
) {
    let mut initial = vec![0usize; graph.nodes.len()];
    for layer in layers {
        for (pos, &n) in layer.iter().enumerate() {
            if let Some(slot) = initial.get_mut(n) {
                *slot = pos;
            }
        }
    }
    for r in 1..rows.len() {
        let key = |item: &Item| -> (i64, u8, usize, usize) {
            let ups: Vec<usize> = upper_neighbours(*item, r, rows, node_row, spans, ends)
                .iter()
                .filter_map(|u| rows.get(r - 1)?.iter().position(|i| i == u))
                .collect();
            // A node nothing above points at goes to the right end of its
            // row (a piece that should be gone, last of all), out of the
            // way of the connected ones.
            let bary = if ups.is_empty() {
                match item {
                    Item::Node(n) if rank(graph, *n, ends).1 => i64::MAX,
                    Item::Node(_) => i64::MAX - 1,
                    _ => -1,
                }
            } else {
                (ups.iter().sum::<usize>() as i64 * 1000) / ups.len() as i64
            };
            match *item {
                Item::Node(n) => (bary, 0, initial.get(n).copied().unwrap_or(0), n),
                Item::Label(e) | Item::Through(e) => {
                    let target = spans.get(e).copied().flatten().map(|s| s.lower).unwrap_or(0);
                    (bary, 1, initial.get(target).copied().unwrap_or(0), e)
                }
            }
        };
        let Some(row) = rows.get(r) else { continue };
        let mut keyed: Vec<((i64, u8, usize, usize), Item)> = row.iter().map(|i| (key(i), *i)).collect();
        order::sort_by_key(&mut keyed, |(k, _)| *k);
        if let Some(row) = rows.get_mut(r) {
            *row = keyed.into_iter().map(|(_, i)| i).collect();
        }
    }
}

/// Each item's size, each row as high as its tallest item; x comes next.
fn sized_rows(
    rows: &[Vec<Item>],
    m: &Metrics,
    node_text: &[Vec<(String, LineRole)>],
    label_sizes: &[(i32, i32)],
) -> Vec<Row> {
    rows.iter()
        .map(|items| {
            let items: Vec<Placed> = items
                .iter()
                .map(|&item| {
                    let (w, h) = match item {
                        Item::Node(n) => (m.node_width, node_text.get(n).map_or(0, |t| text_height(t))),
                        Item::Label(e) => label_sizes.get(e).copied().unwrap_or((0, 0)),
                        Item::Through(_) => (THROUGH_WIDTH, 0),
                    };
                    Placed { item, w, h, x: 0 }
                })
                .collect();
            let h = items.iter().map(|p| p.h).max().unwrap_or(0);
            Row { items, y: 0, h }
        })
        .collect()
}

/// Normalises x (the leftmost box at the margin) and stacks the rows;
/// returns the picture's width and height.
fn stack(placed: &mut [Row]) -> (i32, i32) {
    let min_x = placed.iter().flat_map(|r| r.items.iter().map(|p| p.x)).min().unwrap_or(0);
    let mut y = MARGIN;
    for row in placed.iter_mut() {
        for p in &mut row.items {
            p.x += MARGIN - min_x;
        }
        row.y = y;
        y += row.h + ROW_GAP;
    }
    let height = (y - ROW_GAP + MARGIN).max(2 * MARGIN);
    let width = placed.iter().flat_map(|r| r.items.iter().map(|p| p.x + p.w)).max().unwrap_or(0) + MARGIN;
    (width, height)
}

/// The boxes, one per node in the graph's order, with their lines of text.
fn node_boxes(node_text: &[Vec<(String, LineRole)>], node_row: &[usize], placed: &[Row], m: &Metrics) -> Vec<NodeBox> {
    let mut nodes: Vec<NodeBox> = Vec::with_capacity(node_text.len());
    for (n, text) in node_text.iter().enumerate() {
        let row = node_row.get(n).and_then(|&r| placed.get(r));
        let placed_rect = row.and_then(|row| {
            let p = row.items.iter().find(|p| p.item == Item::Node(n))?;
            Some(Rect { x: p.x, y: row.y, w: p.w, h: row.h })
        });
        let rect = placed_rect.unwrap_or(Rect {
            x: MARGIN,
            y: row.map_or(MARGIN, |row| row.y),
            w: m.node_width,
            h: row.map_or(0, |row| row.h),
        });
        let mut top = rect.y + NODE_PAD_Y;
        let lines = text
            .iter()
            .map(|(text, role)| {
                let line = Line {
                    text: text.clone(),
                    x: rect.x + NODE_PAD_X,
                    y: baseline(top, role.height(), role.size()),
                    role: *role,
                };
                top += role.height();
                line
            })
            .collect();
        nodes.push(NodeBox { rect, lines });
    }
    nodes
}

/// Where each edge leaves its upper box and enters its lower one, by edge.
struct Anchors {
    bottom: Vec<Option<i32>>,
    top: Vec<Option<i32>>,
}

/// Anchors spread along the box sides in the order of where the edges go.
fn anchors(nodes: &[NodeBox], spans: &[Option<Span>], placed: &[Row], node_row: &[usize], edges: usize) -> Anchors {
    let slot = |e: usize, r: usize| {
        placed.get(r).and_then(|row| row.items.iter().find(|p| p.item == Item::Label(e) || p.item == Item::Through(e)))
    };
    let mut bottom_anchor: Vec<Option<i32>> = vec![None; edges];
    let mut top_anchor: Vec<Option<i32>> = vec![None; edges];
    for (n, node) in nodes.iter().enumerate() {
        let rect = node.rect;
        let mut down: Vec<(i32, usize)> = spans
            .iter()
            .enumerate()
            .filter_map(|(e, s)| {
                let s = (*s)?;
                (s.upper == n).then(|| (slot(e, node_row.get(n).map_or(0, |r| r + 1)), e))
            })
            .map(|(p, e)| (p.map(Placed::center).unwrap_or(rect.x), e))
            .collect();
        order::sort_by_key(&mut down, |d| *d);
        for (k, &(_, e)) in down.iter().enumerate() {
            if let Some(anchor) = bottom_anchor.get_mut(e) {
                *anchor = Some(spread(rect, k, down.len()));
            }
        }
        let mut up: Vec<(i32, usize)> = spans
            .iter()
            .enumerate()
            .filter_map(|(e, s)| {
                let s = (*s)?;
                let r = node_row.get(n)?.checked_sub(1)?;
                (s.lower == n).then(|| (slot(e, r), e))
            })
            .map(|(p, e)| (p.map(Placed::center).unwrap_or(rect.x), e))
            .collect();
        order::sort_by_key(&mut up, |u| *u);
        for (k, &(_, e)) in up.iter().enumerate() {
            if let Some(anchor) = top_anchor.get_mut(e) {
                *anchor = Some(spread(rect, k, up.len()));
            }
        }
    }
    Anchors { bottom: bottom_anchor, top: top_anchor }
}

/// Routes: each edge from its upper node, through its label and slots, into
/// its lower node; a loop on one node is a small hook on its right side.
fn routes(
    spans: &[Option<Span>],
    ends: &[Option<(usize, usize)>],
    nodes: &[NodeBox],
    node_row: &[usize],
    placed: &[Row],
    label_text: &[Vec<String>],
    anchors: &Anchors,
) -> Vec<EdgeRoute> {
    let mut edges: Vec<EdgeRoute> = Vec::with_capacity(spans.len());
    for (e, span) in spans.iter().enumerate() {
        let lines_of = |rect: Rect| -> Vec<Line> {
            let center = rect.x + rect.w / 2;
            let mut top = rect.y + LABEL_PAD_Y;
            label_text
                .get(e)
                .into_iter()
                .flatten()
                .map(|text| {
                    let line = Line {
                        text: text.clone(),
                        x: center,
                        y: baseline(top, LABEL_LINE, LABEL_SIZE),
                        role: LineRole::Label,
                    };
                    top += LABEL_LINE;
                    line
                })
                .collect()
        };
        let Some(span) = *span else {
            // A loop on one node (or an end that is not a node): a small
            // hook on the node's right side, the label beside it.
            let route = ends.get(e).copied().flatten().and_then(|(from, _)| nodes.get(from)).map(|node| {
                let r = node.rect;
                let (top, bottom, out) = (r.y + r.h / 3, r.y + 2 * r.h / 3, r.right() + ITEM_GAP);
                let points = vec![(r.right(), top), (out, top), (out, bottom), (r.right(), bottom)];
                EdgeRoute { head: head(&points), points, label: None }
            });
            edges.push(route.unwrap_or(EdgeRoute { points: Vec::new(), label: None, head: None }));
            continue;
        };
        let (Some(upper), Some(lower)) = (nodes.get(span.upper), nodes.get(span.lower)) else {
            edges.push(EdgeRoute { points: Vec::new(), label: None, head: None });
            continue;
        };
        let (upper, lower) = (upper.rect, lower.rect);
        let start_x = anchors.bottom.get(e).copied().flatten().unwrap_or(upper.x + upper.w / 2);
        let end_x = anchors.top.get(e).copied().flatten().unwrap_or(lower.x + lower.w / 2);
        let mut points = vec![(start_x, upper.bottom())];
        let mut label = None;
        let between = match (node_row.get(span.upper), node_row.get(span.lower)) {
            (Some(&upper_row), Some(&lower_row)) => placed.get(upper_row + 1..lower_row).unwrap_or_default(),
            _ => &[],
        };
        for row in between {
            let Some(p) = row.items.iter().find(|p| p.item == Item::Label(e) || p.item == Item::Through(e)) else {
                continue;
            };
            let x = p.center();
            points.push((x, row.y));
            points.push((x, row.y + row.h));
            if p.item == Item::Label(e) {
                let rect = Rect { x: p.x, y: row.y + (row.h - p.h) / 2, w: p.w, h: p.h };
                label = Some(NodeBox { rect, lines: lines_of(rect) });
            }
        }
        points.push((end_x, lower.y));
        points.dedup();
        if !span.from_is_upper {
            points.reverse();
        }
        edges.push(EdgeRoute { head: head(&points), points, label });
    }
    edges
}

/// The `k`-th of `count` anchors along a box's width.
fn spread(rect: Rect, k: usize, count: usize) -> i32 {
    let (k, count) = (i32::try_from(k).unwrap_or(0), i32::try_from(count).unwrap_or(1));
    rect.x + rect.w * (k + 1) / (count + 1)
}

/// What `item` of row `r` connects to in row `r - 1`.
fn upper_neighbours(
    item: Item,
    r: usize,
    rows: &[Vec<Item>],
    node_row: &[usize],
    spans: &[Option<Span>],
    ends: &[Option<(usize, usize)>],
) -> Vec<Item> {
    let Some(above) = r.checked_sub(1) else { return Vec::new() };
    let edge_item = |e: usize| -> Option<Item> {
        let s = spans.get(e).copied().flatten()?;
        if node_row.get(s.upper) == Some(&above) {
            return Some(Item::Node(s.upper));
        }
        rows.get(above)?.iter().copied().find(|i| *i == Item::Label(e) || *i == Item::Through(e))
    };
    match item {
        Item::Label(e) | Item::Through(e) => edge_item(e).into_iter().collect(),
        Item::Node(n) => ends
            .iter()
            .enumerate()
            .filter(|(e, _)| spans.get(*e).copied().flatten().is_some_and(|s| s.lower == n))
            .filter_map(|(e, _)| edge_item(e))
            .collect(),
    }
}

/// Splits the labels starting in one gap into rows that fit `budget`,
/// counting the slots of the other edges crossing the gap.
fn split_labels(starting: &[usize], crossing: usize, sizes: &[(i32, i32)], budget: i32) -> Vec<Vec<usize>> {
    let mut chunks: Vec<Vec<usize>> = Vec::new();
    let mut chunk: Vec<usize> = Vec::new();
    for &e in starting {
        let mut candidate = chunk.clone();
        candidate.push(e);
        let throughs = i32::try_from(crossing.saturating_sub(candidate.len())).unwrap_or(0);
        let items = i32::try_from(crossing.max(candidate.len())).unwrap_or(0);
        let width = candidate.iter().map(|&e| sizes.get(e).map_or(0, |s| s.0)).sum::<i32>()
            + throughs * THROUGH_WIDTH
            + (items - 1).max(0) * ITEM_GAP;
        if width > budget && !chunk.is_empty() {
            chunks.push(std::mem::take(&mut chunk));
        }
        chunk.push(e);
    }
    if !chunk.is_empty() {
        chunks.push(chunk);
    }
    chunks
}

/// The middle of a row's boxes.
fn extent_center(row: &Row) -> i32 {
    let left = row.items.iter().map(|p| p.x).min().unwrap_or(0);
    let right = row.items.iter().map(|p| p.x + p.w).max().unwrap_or(0);
    (left + right) / 2
}

fn gap(a: Item, b: Item) -> i32 {
    match (a, b) {
        (Item::Node(_), Item::Node(_)) => NODE_GAP,
        _ => ITEM_GAP,
    }
}

/// Places a row's items left to right at their wished centres (`ideals`,
/// one per item), never closer than the gap, then moves the row so that its
/// nodes (or, with no node wishing, all its items) sit on average where
/// they wish.
fn place_row(row: &mut Row, ideals: &[Option<i32>], fallback: i32) {
    let items = &mut row.items;
    let wish = |i: usize| ideals.get(i).copied().flatten();
    let Some(first) = (0..items.len()).find(|&i| wish(i).is_some()) else {
        // No wish at all: the row centred on `fallback`.
        let total: i32 = items.iter().map(|p| p.w).sum::<i32>() + gaps(items);
        let mut x = fallback - total / 2;
        let mut previous: Option<Item> = None;
        for p in items.iter_mut() {
            if let Some(previous) = previous {
                x += gap(previous, p.item);
            }
            p.x = x;
            x += p.w;
            previous = Some(p.item);
        }
        return;
    };
    // Items with no wish line up next to one that has one: those before
    // the first wish end where it starts.
    let first_width = items.get(first).map_or(0, |p| p.w);
    let before = items.get(..=first).unwrap_or_default();
    let mut left = wish(first).unwrap_or(0) - first_width / 2 - gaps(before);
    left -= before.iter().take(first).map(|p| p.w).sum::<i32>();
    let mut cursor: Option<(i32, Item)> = None;
    for (i, p) in items.iter_mut().enumerate() {
        let wished = match wish(i) {
            Some(center) => center - p.w / 2,
            None => cursor.map_or(left, |(right, _)| right),
        };
        let earliest = match cursor {
            Some((right, previous)) => right + gap(previous, p.item),
            None => i32::MIN,
        };
        p.x = wished.max(earliest);
        cursor = Some((p.x + p.w, p.item));
    }
    // Balance: pushing only ever moves right.
    let is_node = |p: &Placed| matches!(p.item, Item::Node(_));
    let nodes_wish = items.iter().zip(ideals).any(|(p, w)| is_node(p) && w.is_some());
    let deviations: Vec<i32> = items
        .iter()
        .zip(ideals)
        .filter(|(p, w)| w.is_some() && (!nodes_wish || is_node(p)))
        .map(|(p, w)| p.center() - w.unwrap_or(0))
        .collect();
    if deviations.is_empty() {
        return;
    }
    let shift = deviations.iter().sum::<i32>() / i32::try_from(deviations.len()).unwrap_or(1);
    for p in items.iter_mut() {
        p.x -= shift;
    }
}

/// The gaps between neighbouring items.
fn gaps(items: &[Placed]) -> i32 {
    items
        .windows(2)
        .map(|pair| match pair {
            [a, b] => gap(a.item, b.item),
            _ => 0,
        })
        .sum()
}

/// Desktop: row by row from the top, each item under what it connects to
/// in the row above.
fn place_wide(
    placed: &mut [Row],
    rows: &[Vec<Item>],
    node_row: &[usize],
    spans: &[Option<Span>],
    ends: &[Option<(usize, usize)>],
) {
    for r in 0..placed.len() {
        let Some((done, rest)) = placed.split_at_mut_checked(r) else { break };
        let Some(row) = rest.first_mut() else { break };
        let above = done.last();
        let ideals: Vec<Option<i32>> = row
            .items
            .iter()
            .map(|p| {
                let above = above?;
                let ups = upper_neighbours(p.item, r, rows, node_row, spans, ends);
                let centers: Vec<i32> =
                    above.items.iter().filter(|q| ups.contains(&q.item)).map(Placed::center).collect();
                let count = i32::try_from(centers.len()).ok().filter(|&n| n > 0)?;
                Some(centers.iter().sum::<i32>() / count)
            })
            .collect();
        let fallback = above.map_or(0, extent_center);
        place_row(row, &ideals, fallback);
    }
}

/// Phone: the nodes in one column, each row's labels centred in it, and
/// every edge that passes rows in a lane of its own to the right: straight
/// down, the shorter runs nearer the column so that fewer lines cross.
fn place_narrow(placed: &mut [Row], column: i32) {
    // Where each edge runs beside the column: its first and last row.
    let mut runs: Vec<(usize, usize, usize)> = Vec::new();
    for (r, row) in placed.iter().enumerate() {
        for p in &row.items {
            if let Item::Through(e) = p.item {
                match runs.iter_mut().find(|(_, _, edge)| *edge == e) {
                    Some(run) => run.1 = r,
                    None => runs.push((r, r, e)),
                }
            }
        }
    }
    order::sort_by_key(&mut runs, |&(first, last, e)| (last - first, first, e));
    let mut lanes: Vec<Vec<(usize, usize)>> = Vec::new();
    let mut lane_of: Vec<i32> = vec![0; runs.iter().map(|&(_, _, e)| e + 1).max().unwrap_or(0)];
    for (first, last, e) in runs {
        // Free over the run and a row either side, where the line bends in.
        let free = |lane: &Vec<(usize, usize)>| lane.iter().all(|&(f, l)| l + 1 < first || last + 1 < f);
        let lane = match lanes.iter().position(free) {
            Some(lane) => lane,
            None => {
                lanes.push(Vec::new());
                lanes.len() - 1
            }
        };
        if let Some(runs) = lanes.get_mut(lane) {
            runs.push((first, last));
        }
        if let Some(slot) = lane_of.get_mut(e) {
            *slot = i32::try_from(lane).unwrap_or(0);
        }
    }
    let is_box = |p: &Placed| !matches!(p.item, Item::Through(_));
    let mut widest = column;
    for row in placed.iter_mut() {
        let count = i32::try_from(row.items.iter().filter(|p| is_box(p)).count()).unwrap_or(1);
        let total: i32 =
            row.items.iter().filter(|p| is_box(p)).map(|p| p.w).sum::<i32>() + ITEM_GAP * (count - 1).max(0);
        let mut x = ((column - total) / 2).max(0);
        for p in row.items.iter_mut().filter(|p| is_box(p)) {
            p.x = x;
            x += p.w + ITEM_GAP;
        }
        widest = widest.max(x - ITEM_GAP);
    }
    for row in placed.iter_mut() {
        for p in &mut row.items {
            if let Item::Through(e) = p.item {
                let lane = lane_of.get(e).copied().unwrap_or(0);
                p.x = widest + ITEM_GAP + lane * (THROUGH_WIDTH + LANE_GAP);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use m13_rules::{Origin, Snapshot, SourceKind, check};

    use super::*;

    fn fixture_graphs() -> Vec<(String, Graph)> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../rules/tests/fixtures");
        let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
            .expect("the rules' fixtures")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.join("release").is_dir())
            .collect();
        names.sort();
        let mut graphs: Vec<(String, Graph)> = names
            .into_iter()
            .map(|path| {
                let root = path.join("release");
                let mut files = Vec::new();
                let mut pending = vec![root.clone()];
                while let Some(dir) = pending.pop() {
                    for entry in std::fs::read_dir(&dir).expect("readable").flatten() {
                        let p = entry.path();
                        if p.is_dir() {
                            pending.push(p);
                        } else if let Ok(relative) = p.strip_prefix(&root) {
                            let bytes = std::fs::read(&p).expect("readable file");
                            files.push((relative.to_string_lossy().replace('\\', "/"), bytes));
                        }
                    }
                }
                let report = check(&Snapshot::from_files(files), &Origin::new(SourceKind::Sample));
                (path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(), report.graph)
            })
            .collect();
        graphs.push(("sample".to_owned(), crate::sample::report().graph));
        graphs.push(("crowded".to_owned(), crowded()));
        graphs.push(("thousands of pods".to_owned(), many_pods(2_000)));
        graphs.push(("long names".to_owned(), long_names()));
        graphs
    }

    /// [`crowded`] and `count` leftover Pods claiming its PVC.
    fn many_pods(count: usize) -> Graph {
        let mut graph = crowded();
        for i in 0..count {
            let id = format!("pod/old-{i}");
            graph.edges.push(edge(&id, "pvc/data", EdgeKind::Claims, true));
            graph.nodes.push(node(&id, NodeKind::Pod, NodeStatus::Leftover));
        }
        graph
    }

    /// [`crowded`] with a 40,000-character POSTGRES_HOSTNAME (a host node's
    /// name, a broken link's problem) and a label of thousands of joins.
    fn long_names() -> Graph {
        let mut graph = crowded();
        let long = "postgres-".repeat(4_445);
        for node in graph.nodes.iter_mut().filter(|n| n.kind == NodeKind::Host) {
            node.label = long.clone();
            node.details = vec![long.clone(); 1_000];
            node.problem = Some(format!("no Service is named {long}"));
        }
        for edge in graph.edges.iter_mut().filter(|e| e.kind == EdgeKind::Hostname) {
            edge.problem = Some(format!("{long} is not postgres-postgresql"));
        }
        for edge in graph.edges.iter_mut().filter(|e| e.kind == EdgeKind::HelmValues) {
            edge.label = ["POSTGRES_DB = auth.database"; 5_000].join(", ");
        }
        graph
    }

    fn node(id: &str, kind: NodeKind, status: NodeStatus) -> Node {
        Node {
            id: id.to_owned(),
            kind,
            label: id.rsplit('/').next().unwrap_or(id).to_owned(),
            details: vec!["a detail that is long enough to need a second line to be shown".to_owned()],
            path: None,
            line: None,
            status,
            problem: (status != NodeStatus::Ok).then(|| "something is wrong with it".to_owned()),
            rule: None,
        }
    }

    fn edge(from: &str, to: &str, kind: EdgeKind, holds: bool) -> Edge {
        Edge {
            from: from.to_owned(),
            to: to.to_owned(),
            kind,
            label: format!("{from} needs {to}"),
            holds,
            problem: (!holds).then(|| "a long problem that goes on and on about what is wrong here".to_owned()),
            rule: None,
            evidence: Vec::new(),
        }
    }

    /// Every kind of node, an autoscaler above, long edges, a loop.
    fn crowded() -> Graph {
        use NodeKind::*;
        use NodeStatus::*;
        let nodes = vec![
            node("hpa/web", HorizontalPodAutoscaler, Ok),
            node("service/web", Service, Ok),
            node("deployment/web", Deployment, Ok),
            node("probe/web/liveness", Probe, Ok),
            node("probe/web/readiness", Probe, Broken),
            node("configmap/a", ConfigMap, Ok),
            node("configmap/b", ConfigMap, Missing),
            node("secret/s", Secret, Ok),
            node("service/postgres-postgresql", Service, Ok),
            node("host/elsewhere", Host, Missing),
            node("values/auth", HelmValues, Ok),
            node("pvc/data", PersistentVolumeClaim, Leftover),
            node("pod/old", Pod, Leftover),
            node("file/deployment/pod.yaml", File, Leftover),
            node("workload/other", Workload, Missing),
        ];
        let edges = vec![
            edge("hpa/web", "deployment/web", EdgeKind::ScaleTarget, true),
            edge("service/web", "deployment/web", EdgeKind::Selects, false),
            edge("service/web", "deployment/web", EdgeKind::TargetPort, true),
            edge("probe/web/liveness", "deployment/web", EdgeKind::Probe, true),
            edge("probe/web/readiness", "deployment/web", EdgeKind::Probe, false),
            edge("deployment/web", "configmap/a", EdgeKind::EnvFrom, true),
            edge("deployment/web", "configmap/b", EdgeKind::EnvFrom, false),
            edge("deployment/web", "secret/s", EdgeKind::EnvFrom, true),
            edge("configmap/a", "host/elsewhere", EdgeKind::Hostname, false),
            edge("service/postgres-postgresql", "values/auth", EdgeKind::HelmValues, true),
            edge("secret/s", "values/auth", EdgeKind::Credential, true),
            edge("secret/s", "values/auth", EdgeKind::Credential, false),
            edge("deployment/web", "values/auth", EdgeKind::Credential, true),
            edge("deployment/web", "pvc/data", EdgeKind::Claims, true),
            edge("pod/old", "pvc/data", EdgeKind::Claims, true),
            edge("hpa/web", "workload/other", EdgeKind::ScaleTarget, false),
            edge("secret/s", "secret/s", EdgeKind::ValueFrom, true),
            edge("secret/s", "nowhere", EdgeKind::ValueFrom, true),
        ];
        Graph { nodes, edges }
    }

    /// Every picture of every graph, as the component gets them.
    fn every_layout() -> Vec<(String, Graph, Layout)> {
        fixture_graphs()
            .into_iter()
            .flat_map(|(name, graph)| {
                pictures(&graph).into_iter().map(move |Picture { graph, layout }| {
                    (format!("{name} ({})", layout.shape.as_str()), graph, layout)
                })
            })
            .collect()
    }

    #[test]
    fn the_phone_joins_links_that_hold_between_the_same_boxes() {
        let graph = crowded();
        let merged = merge_parallel(&graph);
        assert_eq!(merged.nodes, graph.nodes);
        assert_eq!(merged.edges.len(), graph.edges.len(), "nothing to join: no two holding links are twins");
        assert_eq!(merged.broken_edges().count(), graph.broken_edges().count());
        let sample = crate::sample::report().graph;
        let credentials = |g: &Graph| -> Vec<(bool, String)> {
            g.edges.iter().filter(|e| e.kind == EdgeKind::Credential).map(|e| (e.holds, e.label.clone())).collect()
        };
        assert_eq!(
            credentials(&merge_parallel(&sample)),
            [
                (true, "POSTGRES_USER = auth.username, POSTGRES_DB = auth.database".to_owned()),
                (false, "POSTGRES_PASSWORD = auth.password".to_owned()),
            ],
            "from {:?}",
            credentials(&sample)
        );
    }

    #[test]
    fn the_same_graph_gives_the_same_layout() {
        for (name, graph, first) in every_layout() {
            let again = Layout { left_out: first.left_out, ..layout(&graph, first.shape) };
            assert!(again == first, "{name}");
        }
    }

    #[test]
    fn one_box_per_node_and_one_route_per_edge() {
        for (name, graph, layout) in every_layout() {
            assert_eq!(layout.nodes.len(), graph.nodes.len(), "{name}");
            assert_eq!(layout.edges.len(), graph.edges.len(), "{name}");
        }
    }

    #[test]
    fn no_two_boxes_overlap() {
        for (name, _, layout) in every_layout() {
            let mut boxes: Vec<(String, Rect)> =
                layout.nodes.iter().enumerate().map(|(i, n)| (format!("node {i}"), n.rect)).collect();
            boxes.extend(
                layout
                    .edges
                    .iter()
                    .enumerate()
                    .filter_map(|(i, e)| Some((format!("label {i}"), e.label.as_ref()?.rect))),
            );
            for (i, (a, ra)) in boxes.iter().enumerate() {
                for (b, rb) in &boxes[i + 1..] {
                    assert!(!ra.overlaps(rb), "{name}: {a} {ra:?} overlaps {b} {rb:?}");
                }
            }
        }
    }

    #[test]
    fn everything_is_inside_the_picture() {
        for (name, _, layout) in every_layout() {
            let frame = Rect { x: 0, y: 0, w: layout.width, h: layout.height };
            let inside = |r: &Rect| r.x >= frame.x && r.y >= frame.y && r.right() <= frame.w && r.bottom() <= frame.h;
            for node in &layout.nodes {
                assert!(inside(&node.rect), "{name}: {:?} outside {frame:?}", node.rect);
            }
            for edge in &layout.edges {
                if let Some(label) = &edge.label {
                    assert!(inside(&label.rect), "{name}: label {:?} outside {frame:?}", label.rect);
                }
                for &(x, y) in &edge.points {
                    assert!((0..=frame.w).contains(&x) && (0..=frame.h).contains(&y), "{name}: point {x},{y}");
                }
            }
        }
    }

    #[test]
    fn every_edge_starts_and_ends_on_its_nodes() {
        for (name, graph, layout) in every_layout() {
            for (edge, route) in graph.edges.iter().zip(&layout.edges) {
                let from = graph.nodes.iter().position(|n| n.id == edge.from);
                let to = graph.nodes.iter().position(|n| n.id == edge.to);
                let (Some(from), Some(to)) = (from, to) else {
                    assert!(route.points.is_empty(), "{name}: an edge to an unknown node is not drawn");
                    continue;
                };
                let (Some(&first), Some(&last)) = (route.points.first(), route.points.last()) else {
                    panic!("{name}: {} -> {} has no route", edge.from, edge.to);
                };
                assert!(layout.nodes[from].rect.on_border(first), "{name}: {} starts off its box", edge.from);
                assert!(layout.nodes[to].rect.on_border(last), "{name}: {} ends off its box", edge.to);
            }
        }
    }

    #[test]
    fn edges_only_bend_between_rows_and_never_cross_a_box() {
        for (name, graph, layout) in every_layout() {
            for (e, route) in layout.edges.iter().enumerate() {
                for pair in route.points.windows(2) {
                    let [(x1, y1), (x2, y2)] = [pair[0], pair[1]];
                    let (top, bottom) = (y1.min(y2), y1.max(y2));
                    let (left, right) = (x1.min(x2), x1.max(x2));
                    for (n, node) in layout.nodes.iter().enumerate() {
                        let is_end = graph.edges[e].from == graph.nodes[n].id || graph.edges[e].to == graph.nodes[n].id;
                        let r = node.rect;
                        // The segment's bounding box reaches into the box's inside.
                        let hits = left < r.right() && r.x < right.max(left + 1) && top < r.bottom() && r.y < bottom;
                        assert!(is_end || !hits, "{name}: edge {e} crosses node {n}");
                    }
                }
            }
        }
    }

    #[test]
    fn broken_and_holding_edges_have_labels() {
        for (name, graph, layout) in every_layout() {
            for (edge, route) in graph.edges.iter().zip(&layout.edges) {
                if edge.from != edge.to && !route.points.is_empty() {
                    let label = route.label.as_ref().expect("a label");
                    let text: String = label.lines.iter().map(|l| l.text.as_str()).collect::<Vec<_>>().join(" ");
                    assert_eq!(text.starts_with('✗'), !edge.holds, "{name}: {text}");
                }
            }
        }
    }

    #[test]
    fn the_phone_picture_is_one_column_that_fits() {
        for (name, graph, layout) in every_layout().into_iter().filter(|(_, _, l)| l.shape == Shape::Narrow) {
            let xs: Vec<i32> = layout.nodes.iter().map(|n| n.rect.x).collect();
            assert!(xs.windows(2).all(|w| w[0] == w[1]), "{name}: nodes in one column {xs:?}");
            let mut ys: Vec<i32> = layout.nodes.iter().map(|n| n.rect.y).collect();
            ys.sort();
            ys.dedup();
            assert_eq!(ys.len(), layout.nodes.len(), "{name}: one node per row");
            assert_eq!(layout.nodes.len(), graph.nodes.len());
            if !["crowded", "thousands of pods", "long names"].iter().any(|g| name.starts_with(g)) {
                assert!(layout.width <= 330, "{name}: {} wide", layout.width);
            }
        }
    }

    #[test]
    fn a_release_graph_is_drawn_whole() {
        for (name, graph) in fixture_graphs().into_iter().filter(|(n, _)| n != "thousands of pods" && n != "long names")
        {
            let [wide, narrow] = <[Picture; 2]>::try_from(pictures(&graph)).expect("two pictures");
            assert_eq!(wide.graph, graph, "{name}: nothing cut");
            assert_eq!(narrow.graph, merge_parallel(&graph), "{name}");
            assert!(wide.layout.left_out.is_empty() && narrow.layout.left_out.is_empty(), "{name}");
        }
    }

    #[test]
    fn a_graph_of_thousands_is_cut_to_what_a_picture_draws() {
        let graph = many_pods(20_000);
        let kept_pods = MAX_NODES - crowded().nodes.len();
        // Cut, a graph keeps the edges between kept nodes: not the one to
        // `nowhere`, which names no node.
        let kept_edges = crowded().edges.len() - 1 + kept_pods;
        for picture in pictures(&graph) {
            assert_eq!(picture.graph.nodes.len(), MAX_NODES);
            assert_eq!(picture.graph.nodes.get(..MAX_NODES), graph.nodes.get(..MAX_NODES), "the first ones, in order");
            assert_eq!(
                picture.layout.left_out,
                LeftOut { nodes: graph.nodes.len() - MAX_NODES, edges: graph.edges.len() - kept_edges },
                "{:?}",
                picture.layout.shape
            );
            assert_eq!(picture.layout.nodes.len(), MAX_NODES);
        }
        // Past the edges' cap: the first ones are kept, the rest counted.
        let mut linked = crowded();
        linked.edges.retain(|e| e.to != "nowhere");
        for i in 0..200 {
            linked.edges.push(edge("deployment/web", "configmap/a", EdgeKind::EnvFrom, false));
            linked.edges.push(edge("secret/s", "values/auth", EdgeKind::Credential, i % 2 == 0));
        }
        let wide = pictures(&linked).remove(0);
        assert_eq!(wide.graph.edges.get(..MAX_EDGES), linked.edges.get(..MAX_EDGES));
        assert_eq!(wide.layout.left_out, LeftOut { nodes: 0, edges: linked.edges.len() - MAX_EDGES });
    }

    #[test]
    fn long_text_is_cut_before_it_is_laid_out() {
        for picture in pictures(&long_names()) {
            for node in &picture.graph.nodes {
                assert!(node.label.chars().count() <= MAX_TEXT_CHARS);
                assert!(node.details.len() <= DETAIL_LINES + 1);
            }
            for edge in &picture.graph.edges {
                assert!(edge.label.chars().count() <= MAX_TEXT_CHARS);
            }
            let boxes = picture.layout.nodes.iter().chain(picture.layout.edges.iter().filter_map(|e| e.label.as_ref()));
            for placed in boxes {
                assert!(placed.lines.len() <= 2 + NAME_LINES + DETAIL_LINES + PROBLEM_LINES + JOINED_LABEL_LINES);
                for line in &placed.lines {
                    let room = char_width(text_cells(&line.text), line.role.size());
                    assert!(room <= placed.rect.w, "{:?} is wider than its box ({})", line.text, placed.rect.w);
                }
            }
        }
    }

    #[test]
    fn the_desktop_picture_reads_top_down() {
        let graph = crate::sample::report().graph;
        let layout = layout(&graph, Shape::Wide);
        let y = |id: &str| layout.nodes[graph.nodes.iter().position(|n| n.id == id).expect(id)].rect.y;
        assert!(y("service/mysite-svc") < y("deployment/mysite-deployment"));
        assert!(y("deployment/mysite-deployment") < y("configmap/mysite-config"));
        assert_eq!(y("configmap/mysite-config"), y("secret/mysite-secret"));
        assert!(y("secret/mysite-secret") < y("service/postgres-postgresql"));
        assert!(y("service/postgres-postgresql") < y("values/auth"));
        assert!(layout.width <= 900, "{}", layout.width);
    }

    #[test]
    fn arrowheads_point_into_the_target() {
        assert_eq!(head(&[(10, 0), (10, 20), (30, 40)]), Some([(30, 40), (26, 32), (34, 32)]));
        assert_eq!(head(&[(10, 40), (10, 20)]), Some([(10, 20), (14, 28), (6, 28)]));
        assert_eq!(head(&[(10, 0), (30, 0)]), Some([(30, 0), (22, -4), (22, 4)]));
        assert_eq!(head(&[(10, 0)]), None);
    }

    #[test]
    fn path_bends_only_between_rows() {
        assert_eq!(path(&[(10, 0), (10, 20), (30, 40)]), "M10 0 L10 20 C10 30 30 30 30 40");
        assert_eq!(path(&[]), "");
    }
}
