//! The Mermaid picture of a release: snapshots for the rules' fixtures that
//! show each kind of broken connection, and properties of the text that
//! keep it a valid diagram whatever the repository holds.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers stop loudly, like the tests they serve (clippy.toml covers the tests themselves)"
)]

mod common;

use m13_report::{to_markdown, to_mermaid};
use m13_rules::graph::{Graph, NodeStatus};

/// A passing release, and one per kind of broken connection.
const FIXTURES: [&str; 8] = [
    "sp24-pass",
    "service-selects-nothing",
    "wrong-target-port",
    "missing-configmap-ref",
    "hostname-near-miss",
    "postgres-password-confusion",
    "claim-without-pvc",
    "bare-pod-left-behind",
];

#[test]
fn mermaid_snapshot() {
    // Every fixture is compared before failing: one change's whole reach is seen at once.
    let mut differ = Vec::new();
    for name in FIXTURES {
        let mermaid = to_mermaid(&common::fixture(name).graph);
        let compared = std::panic::catch_unwind(|| {
            insta::with_settings!({ snapshot_suffix => name, prepend_module_to_snapshot => false }, {
                insta::assert_snapshot!("mermaid", mermaid);
            });
        });
        if compared.is_err() {
            differ.push(name);
        }
    }
    assert!(differ.is_empty(), "{} snapshots differ (read each diff above): {}", differ.len(), differ.join(", "));
}

/// One statement of the flowchart, as this writer writes them.
#[derive(Debug, PartialEq)]
enum Line<'a> {
    Node { id: &'a str, label: &'a str },
    Edge { from: &'a str, to: &'a str, label: &'a str, dashed: bool },
    LinkStyle(Vec<usize>),
    ClassDef,
    Class,
}

fn is_id(id: &str) -> bool {
    id.starts_with("n_") && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A quoted label's content: no quote ends it early, nothing in it starts
/// a tag but the writer's own `<br/>`, no Markdown or fence character.
fn is_label(label: &str) -> bool {
    let without_breaks = label.replace("<br/>", "");
    !without_breaks.chars().any(|c| {
        matches!(c, '"' | '<' | '>' | '[' | ']' | '{' | '}' | '|' | '`' | '*' | '&' | '%' | '\\' | '\n' | '\r')
    })
}

/// Parses the writer's output, failing on any line it would not write.
fn parse(text: &str) -> Vec<Line<'_>> {
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("flowchart TD"));
    lines
        .map(|line| {
            let line = line.strip_prefix("    ").unwrap_or_else(|| panic!("not indented: {line:?}"));
            if let Some(rest) = line.strip_prefix("linkStyle ") {
                let (indexes, style) = rest.split_once(' ').expect("a style");
                assert!(style.starts_with("stroke:#d1242f"), "{line}");
                return Line::LinkStyle(indexes.split(',').map(|i| i.parse().expect("an index")).collect());
            }
            if line.starts_with("classDef ") {
                return Line::ClassDef;
            }
            if let Some(rest) = line.strip_prefix("class ") {
                let (ids, _) = rest.split_once(' ').expect("a class name");
                assert!(ids.split(',').all(is_id), "{line}");
                return Line::Class;
            }
            for (arrow, dashed) in [(" -->|\"", false), (" -.->|\"", true)] {
                if let Some((from, rest)) = line.split_once(arrow) {
                    let (label, to) = rest.rsplit_once("\"| ").expect("a closed label");
                    assert!(is_id(from) && is_id(to) && is_label(label), "{line}");
                    return Line::Edge { from, to, label, dashed };
                }
            }
            let (id, rest) = line.split_once("[\"").unwrap_or_else(|| panic!("unknown line {line:?}"));
            let label = rest.strip_suffix("\"]").expect("a closed node");
            assert!(is_id(id) && is_label(label), "{line}");
            Line::Node { id, label }
        })
        .collect()
}

fn check_structure(graph: &Graph) {
    let text = to_mermaid(graph);
    let lines = parse(&text);
    let nodes: Vec<&str> =
        lines.iter().filter_map(|l| if let Line::Node { id, .. } = l { Some(*id) } else { None }).collect();
    assert_eq!(nodes.len(), graph.nodes.len(), "{text}");
    let edges: Vec<(&str, &str, bool)> = lines
        .iter()
        .filter_map(|l| if let Line::Edge { from, to, dashed, .. } = l { Some((*from, *to, *dashed)) } else { None })
        .collect();
    assert_eq!(edges.len(), graph.edges.len(), "{text}");
    for (from, to, _) in &edges {
        assert!(nodes.contains(from) && nodes.contains(to), "{from} -> {to} joins an unknown node");
    }
    // linkStyle colours exactly the broken edges, by their position.
    let broken: Vec<usize> = graph.edges.iter().enumerate().filter(|(_, e)| !e.holds).map(|(i, _)| i).collect();
    let styled: Vec<usize> =
        lines.iter().flat_map(|l| if let Line::LinkStyle(i) = l { i.clone() } else { Vec::new() }).collect();
    assert_eq!(styled, broken, "{text}");
    let dashed: Vec<usize> = edges.iter().enumerate().filter(|(_, e)| e.2).map(|(i, _)| i).collect();
    assert_eq!(dashed, broken, "{text}");
}

#[test]
fn every_fixture_draws_a_well_formed_flowchart() {
    for name in FIXTURES {
        check_structure(&common::fixture(name).graph);
    }
    check_structure(&common::passing().graph);
    check_structure(&common::failing().graph);
    check_structure(&Graph::default());
}

#[test]
fn a_passing_release_has_no_red() {
    let text = to_mermaid(&common::fixture("sp24-pass").graph);
    assert!(!text.contains("-.->") && !text.contains("linkStyle") && !text.contains("classDef"), "{text}");
}

#[test]
fn a_broken_selector_is_a_red_dashed_edge_from_the_service() {
    let text = to_mermaid(&common::fixture("service-selects-nothing").graph);
    assert!(
        text.contains(
            "n_service_mysite_svc -.->|\"✗ selector app=web matches<br/>no pods (they have<br/>app=mysite)\"| n_deployment_mysite_deployment"
        ),
        "{text}"
    );
    assert!(text.contains("linkStyle 0 stroke:#d1242f"), "{text}");
}

#[test]
fn missing_and_leftover_pieces_are_styled() {
    let text = to_mermaid(&common::fixture("missing-configmap-ref").graph);
    assert!(text.contains("class n_configmap_mysite_configmap missing"), "{text}");
    let text = to_mermaid(&common::fixture("bare-pod-left-behind").graph);
    assert!(text.contains("class n_pvc_mysite_pvc,n_pod_mysite_pod leftover"), "{text}");
}

/// The failing sample's ConfigMap points POSTGRES_HOSTNAME at
/// `<script>alert(1)</script> `db` | ![x](http://evil)`: it becomes a
/// `host/...` node whose label must stay inert.
#[test]
fn hostile_repository_text_stays_inside_its_label() {
    let report = common::failing();
    assert!(report.graph.nodes.iter().any(|n| n.label.contains("<script>")), "the sample reaches the graph");
    let text = to_mermaid(&report.graph);
    assert!(!text.contains("<script") && !text.contains('`'), "{text}");
    check_structure(&report.graph);
}

#[test]
fn hostile_labels_everywhere_keep_the_diagram_whole() {
    let hostile = [
        "\"]; click n_x \"javascript:alert(1)\"",
        "x\"]\n    n_evil[\"owned",
        "```\n# heading",
        "%%{init: {\"theme\": \"forest\"}}%%",
        "a|b|c -->|x| y",
        "<img src=x onerror=alert(1)>",
        "*em* _em_ ~~s~~ $$x$$ [l](http://e)",
        "#quot; #60; &lt; &#x3c;",
        "\u{202e}reversed\u{1b}[2J",
    ];
    for value in hostile {
        let mut report = common::failing();
        for node in &mut report.graph.nodes {
            node.id = format!("{}{value}", node.id);
            node.label = value.to_owned();
            node.details = vec![value.to_owned()];
            node.problem = Some(value.to_owned());
            node.status = NodeStatus::Missing;
        }
        for edge in &mut report.graph.edges {
            edge.from = format!("{}{value}", edge.from);
            edge.to = format!("{}{value}", edge.to);
            edge.label = value.to_owned();
            if !edge.holds {
                edge.problem = Some(value.to_owned());
            }
        }
        check_structure(&report.graph);
        // In the review, the block is fenced and nothing inside closes it.
        let markdown = to_markdown(&report, "sample.zip", &common::tool());
        let start = markdown.find("```mermaid\n").expect("a mermaid block");
        let block = &markdown[start + "```mermaid\n".len()..];
        let end = block.find("\n```\n").expect("the block is closed");
        assert!(!block[..end].contains('`'), "{value:?}: a backtick inside the block");
        assert!(!block[..end].contains('\u{202e}') && !block[..end].contains('\u{1b}'), "{value:?}");
    }
}

#[test]
fn the_review_shows_the_graph_with_a_sentence() {
    let passing = to_markdown(&common::passing(), "p", &common::tool());
    assert!(passing.contains(
        "### How the pieces connect\n\nEvery link between the Service, the Deployment, its configuration and Postgres holds.\n\n```mermaid\nflowchart TD\n"
    ));
    let failing = to_markdown(&common::fixture("service-selects-nothing"), "f", &common::tool());
    assert!(failing.contains("1 of 10 links are broken (dashed red arrows). Each is explained below."), "{failing}");
    // The picture comes before the list of fixes it illustrates.
    let picture = failing.find("### How the pieces connect").expect("the section");
    let fixes = failing.find("### What to fix").expect("fixes");
    assert!(picture < fixes);
}
