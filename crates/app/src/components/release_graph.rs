//! How the release's pieces connect (`Report::graph`), drawn as inline SVG:
//! a box per object, an arrow per reference, broken arrows red and dashed
//! with their problem, missing pieces in dashed boxes, leftovers in amber.
//! Selecting a box or an arrow (click, Enter or Space) asks the app to show
//! the finding that decides it.
//!
//! Two pictures are drawn from the same graph, one for a desktop and one
//! column for a phone; the stylesheet shows one of them. Every position
//! comes from [`crate::graph_layout`], run by the checker; every text is a text node
//! (Yew escapes it), every colour a CSS variable, so dark mode follows.

use std::rc::Rc;

use m13_rules::RuleId;
use m13_rules::graph::{Edge, EdgeKind, Graph, Node, NodeStatus};
use yew::{Callback, Html, KeyboardEvent, Properties, classes, component, html};

use super::thousands;
use crate::graph_layout::{
    EdgeRoute, Layout, LeftOut, Line, MAX_EDGES, MAX_NODES, NodeBox, Picture, Shape, path, status_mark,
};
use crate::state::Checked;

/// The most broken links, and pieces, read out to a screen reader; the
/// rest are counted.
const MAX_LISTED: usize = 40;

/// How tall the picture's frame is on a phone until "Show the whole
/// picture" is opened, in CSS pixels (web/style.css: `.graph-frame.tall`,
/// 26rem): a taller one-column picture scrolls inside it, so the cluster
/// steps and the review come sooner.
pub const PHONE_FRAME_PX: i32 = 416;

/// Whether the one-column picture is taller than its frame on a phone.
pub fn taller_than_phone_frame(pictures: &[Picture]) -> bool {
    pictures.iter().any(|p| p.layout.shape == Shape::Narrow && p.layout.height > PHONE_FRAME_PX)
}

#[derive(Properties, PartialEq)]
pub struct ReleaseGraphProps {
    pub checked: Rc<Checked>,
    /// Asks to show the finding of this rule.
    pub on_select: Callback<RuleId>,
}

/// The kebab-case name of an edge's kind, as the JSON report spells it.
pub fn edge_kind_name(kind: EdgeKind) -> &'static str {
    match kind {
        EdgeKind::Selects => "selects",
        EdgeKind::TargetPort => "target-port",
        EdgeKind::Probe => "probe",
        EdgeKind::EnvFrom => "env-from",
        EdgeKind::ValueFrom => "value-from",
        EdgeKind::Hostname => "hostname",
        EdgeKind::Credential => "credential",
        EdgeKind::HelmValues => "helm-values",
        EdgeKind::ScaleTarget => "scale-target",
        EdgeKind::Claims => "claims",
    }
}

/// `Service mysite-svc`.
fn name(node: &Node) -> String {
    format!("{} {}", node.kind.as_str(), node.label)
}

/// What a screen reader says for a box.
pub fn node_description(node: &Node) -> String {
    let mut text = name(node);
    for detail in &node.details {
        text.push_str(", ");
        text.push_str(detail);
    }
    match (node.status, &node.problem) {
        (NodeStatus::Ok, _) => {}
        (status, Some(problem)) => text.push_str(&format!("; {}: {problem}", status.as_str())),
        (status, None) => text.push_str(&format!("; {}", status.as_str())),
    }
    text
}

/// What a screen reader says for an arrow.
pub fn edge_description(edge: &Edge, graph: &Graph) -> String {
    let end = |id: &str| graph.node(id).map_or_else(|| id.to_owned(), name);
    let state = match (&edge.problem, edge.holds) {
        (Some(problem), false) => format!("broken: {problem}"),
        (None, false) => "broken".to_owned(),
        _ => "holds".to_owned(),
    };
    format!("{} to {}, {}: {state}", end(&edge.from), end(&edge.to), edge.label)
}

/// " Shows the rule “…”." for an element that leads to a finding.
fn leads_to(rule: Option<RuleId>, checked: &Checked) -> String {
    rule.and_then(|id| checked.rule(id))
        .map(|r| format!(". Shows the rule \u{201c}{}\u{201d}", r.title))
        .unwrap_or_default()
}

/// Click, Enter or Space on an element that leads to `rule`'s finding.
fn handlers(
    rule: Option<RuleId>,
    on_select: &Callback<RuleId>,
) -> (Option<Callback<yew::MouseEvent>>, Option<Callback<KeyboardEvent>>) {
    let Some(rule) = rule else { return (None, None) };
    let click = on_select.reform(move |_: yew::MouseEvent| rule);
    let on_select = on_select.clone();
    let key = Callback::from(move |event: KeyboardEvent| {
        if event.key() == "Enter" || event.key() == " " {
            event.prevent_default();
            on_select.emit(rule);
        }
    });
    (Some(click), Some(key))
}

fn text_line(line: &Line, centred: bool) -> Html {
    html! {
        <text class={line.role.as_str()} x={line.x.to_string()} y={line.y.to_string()} font-size={line.role.size().to_string()}
            text-anchor={centred.then_some("middle")}>{ line.text.clone() }</text>
    }
}

fn rect(r: &crate::graph_layout::Rect, rounded: i32) -> Html {
    html! {
        <rect x={r.x.to_string()} y={r.y.to_string()} width={r.w.to_string()} height={r.h.to_string()}
            rx={rounded.to_string()} />
    }
}

fn view_node(node: &Node, placed: &NodeBox, checked: &Checked, on_select: &Callback<RuleId>) -> Html {
    let (onclick, onkeydown) = handlers(node.rule, on_select);
    let interactive = node.rule.is_some();
    let label = format!("{}{}", node_description(node), leads_to(node.rule, checked));
    html! {
        <g class={classes!("node", node.status.as_str())} data-node-id={node.id.clone()} data-node-status={node.status.as_str()}
            data-rule={node.rule.map(RuleId::as_str)} role={interactive.then_some("button")} tabindex={interactive.then_some("0")}
            aria-label={label} {onclick} {onkeydown}>
            { rect(&placed.rect, 6) }
            // A space between the lines: what the box shows then reads as
            // the words its label starts with (axe's label-content-name-mismatch).
            { for placed.lines.iter().map(|line| html! { <>{ text_line(line, false) }{ " " }</> }) }
        </g>
    }
}

fn view_edge(edge: &Edge, route: &EdgeRoute, graph: &Graph, checked: &Checked, on_select: &Callback<RuleId>) -> Html {
    if route.points.is_empty() {
        return html! {};
    }
    let (onclick, onkeydown) = handlers(edge.rule, on_select);
    let interactive = edge.rule.is_some();
    let d = path(&route.points);
    let label = format!("{}{}", edge_description(edge, graph), leads_to(edge.rule, checked));
    let head = route.head.map(|points| points.iter().map(|(x, y)| format!("{x},{y}")).collect::<Vec<_>>().join(" "));
    html! {
        <g class={classes!("edge", if edge.holds { "holds" } else { "broken" })} data-edge-kind={edge_kind_name(edge.kind)}
            data-edge-holds={edge.holds.to_string()} data-rule={edge.rule.map(RuleId::as_str)}
            role={interactive.then_some("button")} tabindex={interactive.then_some("0")} aria-label={label} {onclick} {onkeydown}>
            <path class="hit" d={d.clone()} />
            <path class="line" {d} />
            if let Some(points) = head {
                <polygon class="head" {points} />
            }
            if let Some(tag) = &route.label {
                <g class="tag">
                    { rect(&tag.rect, 4) }
                    { for tag.lines.iter().map(|line| html! { <>{ text_line(line, true) }{ " " }</> }) }
                </g>
            }
        </g>
    }
}

fn view_picture(graph: &Graph, layout: &Layout, checked: &Checked, on_select: &Callback<RuleId>) -> Html {
    let shape = layout.shape.as_str();
    let title_id = format!("graph-title-{shape}");
    html! {
        <svg class={classes!("release-graph", shape)} data-layout={shape} role="group" aria-labelledby={title_id.clone()}
            viewBox={format!("0 0 {} {}", layout.width, layout.height)} width={layout.width.to_string()} height={layout.height.to_string()}>
            <title id={title_id}>{ "How the Service, the Deployment, its configuration and Postgres connect" }</title>
            // Boxes first, so Tab visits them before the arrows; nothing
            // overlaps but an arrowhead touching its box.
            <g class="nodes">
                { for graph.nodes.iter().zip(&layout.nodes).map(|(node, placed)| view_node(node, placed, checked, on_select)) }
            </g>
            <g class="edges">
                { for graph.edges.iter().zip(&layout.edges).map(|(edge, route)| view_edge(edge, route, graph, checked, on_select)) }
            </g>
        </svg>
    }
}

/// What the pictures leave out, or `None` when they draw everything.
pub fn left_out_note(left_out: LeftOut) -> Option<String> {
    let links = |n: usize| if n == 1 { "1 link".to_owned() } else { format!("{} links", thousands(n)) };
    let what = match (left_out.nodes, left_out.edges) {
        (0, 0) => return None,
        (nodes, 0) => format!("the first {MAX_NODES} pieces and leaves out {} more", thousands(nodes)),
        (0, edges) => format!("the first {MAX_EDGES} links and leaves out {} more", thousands(edges)),
        (nodes, edges) => {
            format!("the first {MAX_NODES} pieces and leaves out {} more, with {}", thousands(nodes), links(edges))
        }
    };
    Some(format!("The picture draws {what}. The rules below read them all."))
}

/// "… and 3 more." after the first [`MAX_LISTED`] of `total`.
fn more_items(total: usize) -> Html {
    if total <= MAX_LISTED {
        return html! {};
    }
    html! { <li class="more">{ format!("… and {} more.", thousands(total - MAX_LISTED)) }</li> }
}

/// "2 broken links, 1 piece missing or left over", or that all is well.
pub fn summary(graph: &Graph) -> String {
    let broken = graph.broken_edges().count();
    let pieces = graph.nodes.iter().filter(|n| n.status != NodeStatus::Ok).count();
    let plural =
        |n: usize, one: &str, many: &str| if n == 1 { format!("1 {one}") } else { format!("{} {many}", thousands(n)) };
    match (broken, pieces) {
        (0, 0) => "Every link holds and every piece is in place.".to_owned(),
        (b, 0) => format!("{}.", plural(b, "broken link", "broken links")),
        (0, p) => format!("Every link holds; {} missing, broken or left over.", plural(p, "piece is", "pieces are")),
        (b, p) => format!(
            "{}; {} missing, broken or left over.",
            plural(b, "broken link", "broken links"),
            plural(p, "piece is", "pieces are")
        ),
    }
}

#[component]
pub fn ReleaseGraph(props: &ReleaseGraphProps) -> Html {
    let graph = &props.checked.graph;
    if graph.nodes.is_empty() {
        return html! {};
    }
    let broken: Vec<&Edge> = graph.broken_edges().collect();
    let troubled: Vec<&Node> = graph.nodes.iter().filter(|n| n.status != NodeStatus::Ok).collect();
    let left_out = props.checked.pictures.first().and_then(|p| left_out_note(p.layout.left_out));
    let tall = taller_than_phone_frame(&props.checked.pictures);
    html! {
        <section id="graph" class="graph" aria-labelledby="graph-heading">
            <h2 id="graph-heading" tabindex="-1">{ "How the pieces connect" }</h2>
            <p class="graph-summary">{ summary(graph) }</p>
            <p class="hint">{ "Arrows go from what needs something to what it needs. Red and dashed: broken or missing; amber: should be deleted. Select a box or an arrow to see its rule." }</p>
            if let Some(note) = left_out {
                <p class="hint graph-left-out">{ note }</p>
            }
            <div id="graph-frame" class={classes!("graph-frame", tall.then_some("tall"))}>
                { for props.checked.pictures.iter().map(|picture| view_picture(&picture.graph, &picture.layout, &props.checked, &props.on_select)) }
            </div>
            // On a phone only (the stylesheet hides it on a wider screen, and
            // lifts the frame's height while it is open): no state in the
            // page, so no code in its first load.
            if tall {
                <details class="graph-more">
                    <summary>{ "Show the whole picture" }</summary>
                </details>
            }
            <div class="visually-hidden">
                <h3>{ "Broken links" }</h3>
                if broken.is_empty() {
                    <p>{ "None: every link holds." }</p>
                } else {
                    <ul class="broken-links">
                        { for broken.iter().take(MAX_LISTED).map(|edge| html! { <li>{ edge_description(edge, graph) }</li> }) }
                        { more_items(broken.len()) }
                    </ul>
                }
                if !troubled.is_empty() {
                    <h3>{ "Pieces missing, broken or left over" }</h3>
                    <ul>
                        { for troubled.iter().take(MAX_LISTED).map(|node| html! {
                            <li>{ format!("{} {}", status_mark(node.status), node_description(node)) }</li>
                        }) }
                        { more_items(troubled.len()) }
                    </ul>
                }
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph_layout::edge_text;

    #[test]
    fn the_sample_reads_out_its_broken_link() {
        let report = crate::sample::report();
        let graph = &report.graph;
        assert_eq!(summary(graph), "1 broken link; 1 piece is missing, broken or left over.");
        let broken: Vec<String> = graph.broken_edges().map(|e| edge_description(e, graph)).collect();
        assert_eq!(broken.len(), 1);
        assert!(broken[0].starts_with("Secret mysite-secret to Helm values values-postgres.yaml"), "{}", broken[0]);
        assert!(broken[0].contains("broken: POSTGRES_PASSWORD is auth.postgresPassword"), "{}", broken[0]);
        assert!(edge_text(graph.broken_edges().next().expect("one")).starts_with("✗ "));
    }

    #[test]
    fn the_samples_one_column_picture_is_framed_on_a_phone() {
        let pictures = crate::graph_layout::pictures(&crate::sample::report().graph);
        assert!(taller_than_phone_frame(&pictures));
        // A desktop's picture alone is not framed.
        assert!(!taller_than_phone_frame(&pictures[..1]));
    }

    #[test]
    fn a_description_names_the_problem() {
        let report = crate::sample::report();
        let pvc = report.graph.nodes.iter().find(|n| n.status == NodeStatus::Leftover).expect("the leftover PVC");
        let text = node_description(pvc);
        assert!(text.starts_with("PersistentVolumeClaim mysite-pvc"), "{text}");
        assert!(text.contains("; leftover: "), "{text}");
    }

    #[test]
    fn what_the_picture_leaves_out_is_said() {
        assert_eq!(left_out_note(LeftOut::default()), None);
        assert_eq!(
            left_out_note(LeftOut { nodes: 19_962, edges: 39_920 }).as_deref(),
            Some(
                "The picture draws the first 40 pieces and leaves out 19,962 more, with 39,920 links. The rules below read them all."
            )
        );
        assert_eq!(
            left_out_note(LeftOut { nodes: 1, edges: 1 }).as_deref(),
            Some(
                "The picture draws the first 40 pieces and leaves out 1 more, with 1 link. The rules below read them all."
            )
        );
        assert_eq!(
            left_out_note(LeftOut { nodes: 0, edges: 3 }).as_deref(),
            Some("The picture draws the first 80 links and leaves out 3 more. The rules below read them all.")
        );
    }

    #[test]
    fn edge_kinds_are_spelled_as_in_the_json_report() {
        for kind in [EdgeKind::TargetPort, EdgeKind::EnvFrom, EdgeKind::HelmValues, EdgeKind::ScaleTarget] {
            let json = serde_json::to_value(kind).expect("serialises");
            assert_eq!(json.as_str(), Some(edge_kind_name(kind)));
        }
    }
}
