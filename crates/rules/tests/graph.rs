//! The graph of how a release's pieces connect, on the fixture trees of
//! `fixtures/` (read as `fixtures.rs` reads them): snapshots of the graph
//! data for the traps it is meant to show, and properties that hold for
//! every fixture (edges join known nodes, a broken edge names its problem
//! and agrees with its rule's finding). Read every snapshot diff.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers stop loudly, like the tests they serve (clippy.toml covers the tests themselves)"
)]

mod common;

use std::fs;

use common::{fixture_names as all_fixtures, fixtures_dir, read_tree};
use m13_rules::graph::{EdgeKind, NodeStatus};
use m13_rules::{Origin, Report, Snapshot, SourceKind, Status, check};

/// The fixtures whose graph is snapshotted: a passing release, and one per
/// kind of broken connection.
const SNAPSHOTTED: [&str; 14] = [
    "sp24-pass",
    "service-selects-nothing",
    "wrong-target-port",
    "missing-configmap-ref",
    "hostname-near-miss",
    "postgres-password-confusion",
    "claim-without-pvc",
    "bare-pod-left-behind",
    "commented-out-type",
    "probe-wrong-port",
    "no-probe",
    "unquoted-configmap-number",
    "values-in-deployment-dir",
    "extra-files",
];

fn run(name: &str) -> Report {
    let snapshot = read_tree(&fixtures_dir().join(name).join("release"));
    check(&snapshot, &Origin::new(SourceKind::Directory { path: name.to_owned() }))
}

#[test]
fn graph_snapshot() {
    // Every fixture is compared before failing: one change's whole reach is seen at once.
    let mut differ = Vec::new();
    for name in SNAPSHOTTED {
        let report = run(name);
        let json = serde_json::to_string_pretty(&report.graph).expect("the graph serialises");
        let compared = std::panic::catch_unwind(|| {
            insta::with_settings!({ snapshot_suffix => name, prepend_module_to_snapshot => false }, {
                insta::assert_snapshot!("graph", json);
            });
        });
        if compared.is_err() {
            differ.push(name.to_string());
        }
    }
    assert!(differ.is_empty(), "{} graph snapshots differ (read each diff above): {}", differ.len(), differ.join(", "));
}

#[test]
fn every_fixture_gives_a_consistent_graph() {
    let mut failures = Vec::new();
    for name in all_fixtures() {
        let report = run(&name);
        let graph = &report.graph;
        let mut ids: Vec<&str> = graph.nodes.iter().map(|n| n.id.as_str()).collect();
        ids.sort_unstable();
        let count = ids.len();
        ids.dedup();
        if ids.len() != count {
            failures.push(format!("{name}: node ids are not unique"));
        }
        for node in &graph.nodes {
            if (node.status == NodeStatus::Ok) == node.problem.is_some() {
                failures.push(format!("{name}: {} is {:?} with problem {:?}", node.id, node.status, node.problem));
            }
            if node.status != NodeStatus::Ok && node.rule.is_none() {
                failures.push(format!("{name}: {} is {:?} but names no rule", node.id, node.status));
            }
        }
        for edge in &graph.edges {
            let at = format!("{name}: {} -> {} ({})", edge.from, edge.to, edge.label);
            if graph.node(&edge.from).is_none() || graph.node(&edge.to).is_none() {
                failures.push(format!("{at}: joins an unknown node"));
            }
            if edge.holds == edge.problem.is_some() {
                failures.push(format!("{at}: holds is {} but problem is {:?}", edge.holds, edge.problem));
            }
            if edge.kind != EdgeKind::ScaleTarget && edge.rule.is_none() {
                failures.push(format!("{at}: no rule decides it"));
            }
            if edge.evidence.is_empty() && !edge.holds {
                failures.push(format!("{at}: broken without evidence"));
            }
            // A broken edge is never contradicted by its finding.
            if let (false, Some(rule)) = (edge.holds, edge.rule) {
                let status = report.finding(rule).map(|f| f.status);
                if status == Some(Status::Pass) {
                    failures.push(format!("{at}: broken, but `{rule}` passes"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "\n{}\n", failures.join("\n"));
}

/// A rule that checks one connection and fails shows that connection red.
#[test]
fn a_failing_connection_rule_has_a_broken_edge() {
    let connection_rules = [
        m13_rules::RuleId::ServiceTargetPort,
        m13_rules::RuleId::ProbePort,
        m13_rules::RuleId::EnvRefsExist,
        m13_rules::RuleId::VolumeClaimsExist,
        m13_rules::RuleId::ConfigPostgresHostname,
        m13_rules::RuleId::SecretMatchesValues,
    ];
    let mut failures = Vec::new();
    for name in all_fixtures() {
        let report = run(&name);
        for rule in connection_rules {
            let failed = report.finding(rule).is_some_and(|f| f.status == Status::Fail);
            let red = report.graph.broken_edges().any(|e| e.rule == Some(rule));
            if failed && !red {
                failures.push(format!("{name}: `{rule}` fails but no edge it decides is broken"));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}\n", failures.join("\n"));
}

#[test]
fn a_passing_release_holds_everywhere() {
    let report = run("sp24-pass");
    assert!(report.graph.all_hold(), "{:#?}", report.graph.broken_edges().collect::<Vec<_>>());
    let kinds: Vec<EdgeKind> = report.graph.edges.iter().map(|e| e.kind).collect();
    for kind in [
        EdgeKind::Selects,
        EdgeKind::TargetPort,
        EdgeKind::Probe,
        EdgeKind::EnvFrom,
        EdgeKind::Hostname,
        EdgeKind::Credential,
        EdgeKind::HelmValues,
    ] {
        assert!(kinds.contains(&kind), "no {kind:?} edge");
    }
}

#[test]
fn a_selector_that_matches_nothing_is_a_red_edge_from_the_service_to_the_pods() {
    let report = run("service-selects-nothing");
    let broken: Vec<_> = report.graph.broken_edges().collect();
    assert_eq!(broken.len(), 1, "{broken:#?}");
    let edge = broken[0];
    assert_eq!((edge.from.as_str(), edge.to.as_str()), ("service/mysite-svc", "deployment/mysite-deployment"));
    assert_eq!(edge.kind, EdgeKind::Selects);
    assert_eq!(edge.label, "selector app=web");
    assert_eq!(edge.problem.as_deref(), Some("selector app=web matches no pods (they have app=mysite)"));
    assert_eq!(edge.rule, Some(m13_rules::RuleId::ServiceLoadbalancer));
    let places: Vec<String> = edge.evidence.iter().map(|e| e.location()).collect();
    assert_eq!(places, ["deployment/service.yaml:8", "deployment/deployment.yaml:13"]);
}

#[test]
fn a_missing_configmap_is_a_missing_node() {
    let report = run("missing-configmap-ref");
    let node = report.graph.node("configmap/mysite-configmap").expect("the missing ConfigMap is a node");
    assert_eq!(node.status, NodeStatus::Missing);
    let edge = report.graph.edges.iter().find(|e| e.to == node.id).expect("an edge to it");
    assert!(!edge.holds);
    assert_eq!(edge.label, "envFrom");
    // The ConfigMap that does exist still shows where the hostname goes.
    let hostname = report.graph.edges.iter().find(|e| e.kind == EdgeKind::Hostname).expect("a hostname edge");
    assert_eq!((hostname.from.as_str(), hostname.holds), ("configmap/mysite-config", true));
}

/// `sp24-pass` with files added or replaced.
fn sp24_with(extra: &[(&str, &str)]) -> Report {
    let mut files = common::read_files(&fixtures_dir().join("sp24-pass/release"));
    files.retain(|(path, _)| extra.iter().all(|(replaced, _)| replaced != path));
    files.extend(extra.iter().map(|(path, text)| ((*path).to_owned(), text.as_bytes().to_vec())));
    check(&Snapshot::from_files(files), &Origin::new(SourceKind::Directory { path: "sp24-with".to_owned() }))
}

const HPA: &str = "\
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: mysite-hpa
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: TARGET
  minReplicas: 1
  maxReplicas: 5
";

#[test]
fn an_autoscaler_points_at_the_deployment_it_scales() {
    let report = sp24_with(&[("deployment/hpa.yaml", &HPA.replace("TARGET", "mysite-deployment"))]);
    let node = report.graph.node("hpa/mysite-hpa").expect("the autoscaler is a node");
    assert_eq!((node.path.as_deref(), node.line), (Some("deployment/hpa.yaml"), Some(1)));
    assert_eq!(node.details, ["replicas 1 to 5"]);
    let edge = report.graph.edges.iter().find(|e| e.kind == EdgeKind::ScaleTarget).expect("a scaleTargetRef edge");
    assert_eq!(
        (edge.from.as_str(), edge.to.as_str(), edge.holds),
        ("hpa/mysite-hpa", "deployment/mysite-deployment", true)
    );
    assert_eq!(edge.rule, None);
    assert_eq!(edge.evidence.iter().map(|e| e.location()).collect::<Vec<_>>(), ["deployment/hpa.yaml:7"]);
    assert!(report.graph.all_hold());
}

#[test]
fn an_autoscaler_of_a_missing_deployment_is_a_broken_edge() {
    let report = sp24_with(&[("deployment/hpa.yaml", &HPA.replace("TARGET", "mysite"))]);
    let node = report.graph.node("deployment/mysite").expect("the missing target is a node");
    assert_eq!(node.status, NodeStatus::Missing);
    let edge = report.graph.edges.iter().find(|e| e.kind == EdgeKind::ScaleTarget).expect("a scaleTargetRef edge");
    assert_eq!(edge.to, "deployment/mysite");
    assert_eq!(
        edge.problem.as_deref(),
        Some("scaleTargetRef names Deployment mysite, which the release does not define")
    );
}

/// Names the graph cannot trust (a key reference to a Secret that lacks
/// the key, a hostname that is not a DNS name) still make a whole graph.
#[test]
fn odd_references_and_values_still_make_a_graph() {
    let deployment = fs::read_to_string(fixtures_dir().join("sp24-pass/release/deployment/deployment.yaml"))
        .expect("fixture")
        .replace(
            "          envFrom:\n",
            "          env:\n            - name: API_KEY\n              valueFrom:\n                secretKeyRef:\n                  name: mysite-secret\n                  key: API_KEY\n          envFrom:\n",
        );
    let config = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: mysite-config\ndata:\n  POSTGRES_HOSTNAME: \"<b>db</b>\"\n";
    let report = sp24_with(&[("deployment/deployment.yaml", &deployment), ("deployment/config.yaml", config)]);
    let key = report.graph.edges.iter().find(|e| e.kind == EdgeKind::ValueFrom).expect("a valueFrom edge");
    assert_eq!(key.label, "API_KEY from key API_KEY");
    assert_eq!(key.problem.as_deref(), Some("Secret mysite-secret has no key API_KEY"));
    let host = report.graph.node("host/<b>db</b>").expect("the wrong host is a node");
    assert_eq!((host.label.as_str(), host.status), ("<b>db</b>", NodeStatus::Missing));
}
