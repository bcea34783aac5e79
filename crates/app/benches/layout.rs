//! `cargo xtask bench`: how the web app's graph layout grows. Times
//! `graph_layout::pictures` (both pictures: cut to what is drawn, the
//! phone's merged links, the two layouts) on graphs of N and 10N nodes and
//! prints the medians and their ratio. A plain harness (no criterion),
//! natively, release build; no timing assertion anywhere.

use std::time::{Duration, Instant};

use m13_app::graph_layout::{MAX_NODES, pictures};
use m13_rules::RuleId;
use m13_rules::graph::{Edge, EdgeKind, Graph, Node, NodeKind, NodeStatus};

fn node(id: String, kind: NodeKind, status: NodeStatus) -> Node {
    Node {
        label: id.rsplit('/').next().unwrap_or_default().to_owned(),
        id,
        kind,
        details: vec!["app=mysite".to_owned(), "port 8000".to_owned()],
        path: Some("deployment/deployment.yaml".to_owned()),
        line: Some(12),
        status,
        problem: (status != NodeStatus::Ok).then(|| "should have been deleted".to_owned()),
        rule: Some(RuleId::PodRemoved),
    }
}

fn edge(from: &str, to: &str, kind: EdgeKind, holds: bool, label: &str) -> Edge {
    Edge {
        from: from.to_owned(),
        to: to.to_owned(),
        kind,
        label: label.to_owned(),
        holds,
        problem: (!holds).then(|| format!("{label} names nothing")),
        rule: Some(RuleId::EnvRefsExist),
        evidence: Vec::new(),
    }
}

/// `nodes` pieces: a Service, a Deployment, a PVC, then ConfigMaps and
/// Secrets the Deployment loads (one in five missing) and leftover Pods
/// claiming the PVC: about one edge a node, as in a release.
fn graph(nodes: usize) -> Graph {
    let mut graph = Graph {
        nodes: vec![
            node("service/web".into(), NodeKind::Service, NodeStatus::Ok),
            node("deployment/web".into(), NodeKind::Deployment, NodeStatus::Ok),
            node("pvc/data".into(), NodeKind::PersistentVolumeClaim, NodeStatus::Leftover),
        ],
        edges: vec![edge("service/web", "deployment/web", EdgeKind::Selects, true, "selector app=web")],
    };
    for i in 0..nodes.saturating_sub(3) {
        match i % 3 {
            0 | 1 => {
                let (kind, prefix) =
                    if i % 3 == 0 { (NodeKind::ConfigMap, "configmap") } else { (NodeKind::Secret, "secret") };
                let id = format!("{prefix}/config-{i}");
                let status = if i % 5 == 4 { NodeStatus::Missing } else { NodeStatus::Ok };
                graph.edges.push(edge("deployment/web", &id, EdgeKind::EnvFrom, status == NodeStatus::Ok, "envFrom"));
                graph.nodes.push(node(id, kind, status));
            }
            _ => {
                let id = format!("pod/old-{i}");
                graph.edges.push(edge(&id, "pvc/data", EdgeKind::Claims, true, "claimName data"));
                graph.nodes.push(node(id, NodeKind::Pod, NodeStatus::Leftover));
            }
        }
    }
    graph
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples.get(samples.len() / 2).copied().unwrap_or_default()
}

/// The median of `runs` layouts of `graph`, after a few to warm up.
fn time(graph: &Graph, runs: usize) -> Duration {
    for _ in 0..3 {
        std::hint::black_box(pictures(graph));
    }
    median(
        (0..runs)
            .map(|_| {
                let start = Instant::now();
                std::hint::black_box(pictures(std::hint::black_box(graph)));
                start.elapsed()
            })
            .collect(),
    )
}

fn main() {
    // `cargo test --benches` runs this too; keep that quick.
    if std::env::args().any(|a| a == "--test" || a == "--list") {
        return;
    }
    println!("| layout of the graph (`graph_layout::pictures`) | N | 10N | ratio |");
    println!("|---|---|---|---|");
    for (what, n, runs) in
        [(format!("all drawn (the cap is {MAX_NODES})"), 4, 2_000), ("past the cap".to_owned(), 2_000, 100)]
    {
        let (small, large) = (time(&graph(n), runs), time(&graph(10 * n), runs));
        println!(
            "| {n} → {} nodes, {what} | {:.3} ms | {:.3} ms | {:.1}× |",
            10 * n,
            small.as_secs_f64() * 1e3,
            large.as_secs_f64() * 1e3,
            large.as_secs_f64() / small.as_secs_f64().max(1e-12)
        );
    }
}
