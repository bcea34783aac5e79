//! The graph of a release ([`m13_rules::graph::Graph`]) as a Mermaid
//! flowchart, which GitHub draws in issues, pull requests, comments and job
//! summaries.
//!
//! Links that hold are solid arrows with their label (`selector
//! app=mysite`); broken ones are dashed, red (`linkStyle`) and labelled with
//! their problem. Missing nodes have a dashed red border, broken ones a
//! solid red border, leftovers a dashed amber border; each also says so in
//! words, so the picture reads without colour.
//!
//! Every label comes from the student's repository, so it is written as a
//! quoted Mermaid string in which anything but letters, digits and plain
//! punctuation becomes an entity code (`#35;`): no quote, bracket, pipe,
//! `<`, backtick or newline can end the string, start a tag, open Markdown
//! (GitHub renders labels as Markdown), or close the surrounding ```` ``` ````
//! fence. Node ids are made from the graph's ids with only `[A-Za-z0-9_]`.

use std::collections::HashMap;
use std::fmt::Write;

use m13_rules::graph::{Graph, Node, NodeStatus};

use crate::visible;

/// Widest line of a node label, in characters, before it wraps: about
/// what Mermaid fits in its own wrapping width (200 px), so it does not
/// break the line again.
const NODE_WIDTH: usize = 28;
/// Widest line of an edge label.
const EDGE_WIDTH: usize = 26;
/// Longest text of one label part (a detail, a problem) before it is cut.
const MAX_TEXT: usize = 160;

const RED: &str = "#d1242f";
const AMBER: &str = "#9a6700";

/// The graph as a Mermaid `flowchart TD` (top-down, so it stacks on a phone).
pub fn to_mermaid(graph: &Graph) -> String {
    let mut out = String::from("flowchart TD\n");
    let ids = node_ids(graph);
    for node in &graph.nodes {
        let Some(id) = ids.get(node.id.as_str()) else { continue };
        let _ = writeln!(out, "    {id}[\"{}\"]", node_label(node));
    }
    let mut broken = Vec::new();
    let mut index = 0;
    for edge in &graph.edges {
        let (Some(from), Some(to)) = (ids.get(edge.from.as_str()), ids.get(edge.to.as_str())) else { continue };
        match (&edge.problem, edge.holds) {
            (Some(problem), false) => {
                let _ = writeln!(out, "    {from} -.->|\"{}\"| {to}", label(&format!("✗ {problem}"), EDGE_WIDTH));
                broken.push(index.to_string());
            }
            _ => {
                let _ = writeln!(out, "    {from} -->|\"{}\"| {to}", label(&edge.label, EDGE_WIDTH));
            }
        }
        index += 1;
    }
    if !broken.is_empty() {
        let _ = writeln!(
            out,
            "    linkStyle {} stroke:{RED},stroke-width:2px,stroke-dasharray:6 4,color:{RED}",
            broken.join(",")
        );
    }
    for (status, style) in [
        (NodeStatus::Broken, format!("stroke:{RED},stroke-width:2px")),
        (NodeStatus::Missing, format!("stroke:{RED},stroke-width:2px,stroke-dasharray:6 4")),
        (NodeStatus::Leftover, format!("stroke:{AMBER},stroke-width:2px,stroke-dasharray:6 4")),
    ] {
        let members: Vec<&str> = graph
            .nodes
            .iter()
            .filter(|n| n.status == status)
            .filter_map(|n| ids.get(n.id.as_str()).map(String::as_str))
            .collect();
        if !members.is_empty() {
            let _ = writeln!(out, "    classDef {} {style}", status.as_str());
            let _ = writeln!(out, "    class {} {}", members.join(","), status.as_str());
        }
    }
    out
}

/// A Mermaid id for every graph id: `n_` and the id with anything outside
/// `[A-Za-z0-9_]` as `_`, numbered when two would collide.
fn node_ids(graph: &Graph) -> HashMap<&str, String> {
    let mut ids: HashMap<&str, String> = HashMap::new();
    let mut taken: Vec<String> = Vec::new();
    for (index, node) in graph.nodes.iter().enumerate() {
        if ids.contains_key(node.id.as_str()) {
            continue;
        }
        let base: String =
            node.id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' }).collect();
        let mut id = format!("n_{base}");
        if taken.contains(&id) {
            id = format!("{id}_{index}");
        }
        taken.push(id.clone());
        ids.insert(node.id.as_str(), id);
    }
    ids
}

/// `Kind: name`, the details, and what is wrong, one part per line.
fn node_label(node: &Node) -> String {
    let mut parts = vec![label(&format!("{}: {}", node.kind.as_str(), node.label), NODE_WIDTH)];
    parts.extend(node.details.iter().map(|d| label(d, NODE_WIDTH)));
    if let Some(problem) = &node.problem {
        let mark = if node.status == NodeStatus::Leftover { "⚠" } else { "✗" };
        parts.push(label(&format!("{mark} {}: {problem}", node.status.as_str()), NODE_WIDTH));
    }
    parts.join("<br/>")
}

/// Text for inside a quoted label: cut to [`MAX_TEXT`] characters, wrapped
/// at spaces to `width`, each line escaped, lines joined with `<br/>`.
fn label(text: &str, width: usize) -> String {
    let text = visible(text);
    let text: String = if text.chars().count() > MAX_TEXT {
        text.chars().take(MAX_TEXT - 1).chain(std::iter::once('…')).collect()
    } else {
        text.into_owned()
    };
    wrap(&text, width).iter().map(|line| escape(line)).collect::<Vec<_>>().join("<br/>")
}

/// Splits at spaces into lines of at most `width` characters (a longer
/// word stays whole on its own line).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let fits = line.chars().count() + 1 + word.chars().count() <= width;
        if line.is_empty() || fits {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        } else {
            lines.push(std::mem::take(&mut line));
            line.push_str(word);
        }
    }
    lines.push(line);
    lines
}

/// Symbols this crate writes itself, kept as they are so the text stays
/// readable; none has a meaning to Mermaid or Markdown.
const SYMBOLS: [char; 5] = ['→', '✗', '⚠', '…', '·'];

/// Escapes one line for a quoted Mermaid label: letters, digits, spaces,
/// `. , - / = : ( ) ' + ? !` and the [`SYMBOLS`] stay; an `_` between two letters or digits
/// stays (it cannot start Markdown emphasis there); the `:` of `://` and
/// the `.` of `www.` do not (no autolink); everything else becomes
/// its decimal entity code, `#35;` for `#`. Control characters must already
/// be made visible (`\n`), which [`label`] does.
pub(crate) fn escape(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    for (i, &c) in chars.iter().enumerate() {
        let intraword = c == '_'
            && i > 0
            && chars.get(i - 1).is_some_and(|p| p.is_alphanumeric())
            && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
        let plain = c.is_alphanumeric()
            || matches!(c, ' ' | '.' | ',' | '-' | '/' | '=' | ':' | '(' | ')' | '\'' | '+' | '?' | '!')
            || SYMBOLS.contains(&c);
        // `http://` and `www.` could become links where labels are Markdown.
        let link = (c == ':' && chars.get(i + 1..i + 3) == Some(&['/', '/']))
            || (c == '.'
                && i >= 3
                && chars.get(i - 3..i).is_some_and(|w| w.iter().all(|c| c.eq_ignore_ascii_case(&'w'))));
        if ((plain && !c.is_control()) || intraword) && !link {
            out.push(c);
        } else {
            let _ = write!(out, "#{};", u32::from(c));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Nothing that can end a quoted label, start a tag, an entity of its
    /// own, Markdown, a Mermaid directive or a code fence survives.
    fn assert_inert(escaped: &str) {
        for bad in ['"', '<', '>', '[', ']', '{', '}', '|', '`', '*', '&', '%', ';', '\\', '~', '$', '\n', '\r'] {
            let stray = escaped.replace(|c: char| c.is_ascii_digit(), "").replace("#;", "");
            assert!(!stray.contains(bad), "{bad:?} left in {escaped:?}");
        }
    }

    #[test]
    fn escapes_quotes_brackets_and_tags() {
        assert_eq!(escape(r#"a"b"#), "a#34;b");
        assert_eq!(escape("<script>alert(1)</script>"), "#60;script#62;alert(1)#60;/script#62;");
        assert_eq!(escape("x]-->y[z"), "x#93;--#62;y#91;z");
        assert_eq!(escape("a|b"), "a#124;b");
        assert_eq!(escape("{x}"), "#123;x#125;");
        assert_eq!(escape("#quot;"), "#35;quot#59;");
        assert_eq!(escape("http://evil www.evil.com"), "http#58;//evil www#46;evil.com");
        for hostile in [
            r#"a"];click A "javascript:alert(1)"%%"#,
            "</span><img src=x onerror=alert(1)>",
            "```\nrm -rf /\n```",
            "%%{init: {'theme':'dark'}}%%",
            "*bold* `code` ~~del~~ $x$ [link](http://evil)",
            "&lt; &#60; \\u{1b}",
        ] {
            assert_inert(&escape(hostile));
        }
    }

    #[test]
    fn keeps_plain_names_readable() {
        assert_eq!(escape("selector app=mysite"), "selector app=mysite");
        assert_eq!(escape("POSTGRES_PASSWORD = auth.password"), "POSTGRES_PASSWORD = auth.password");
        assert_eq!(escape("deployment/config.yaml (line 7)"), "deployment/config.yaml (line 7)");
        // An `_` that could open emphasis is escaped.
        assert_eq!(escape("_x_"), "#95;x#95;");
        assert_eq!(escape("a _b"), "a #95;b");
    }

    #[test]
    fn labels_stay_on_one_line_of_source() {
        let out = label("line one\nline two\r\n\u{202e}evil", 80);
        assert!(!out.contains('\n') && !out.contains('\r') && !out.contains('\u{202e}'), "{out}");
        assert_inert(&out.replace("<br/>", ""));
    }

    #[test]
    fn long_labels_wrap_and_are_cut() {
        assert_eq!(
            label("selector app=web matches no pods (they have app=mysite)", 32),
            "selector app=web matches no pods<br/>(they have app=mysite)"
        );
        let long = "x".repeat(500);
        let out = label(&long, 32);
        assert_eq!(out.chars().filter(|&c| c == 'x').count(), MAX_TEXT - 1);
        assert!(out.ends_with('…'), "{out}");
    }

    #[test]
    fn wrap_keeps_long_words_whole() {
        assert_eq!(wrap("a bb ccc", 4), ["a bb", "ccc"]);
        assert_eq!(wrap("abcdefgh ij", 4), ["abcdefgh", "ij"]);
        assert_eq!(wrap("", 4), [""]);
    }

    fn node(id: &str) -> Node {
        Node::new(id, m13_rules::graph::NodeKind::Host, id)
    }

    #[test]
    fn node_ids_are_safe_and_unique() {
        let graph = Graph {
            nodes: vec![node("service/a-b"), node("service/a_b"), node("host/\"];end"), node("end")],
            edges: Vec::new(),
        };
        let ids = node_ids(&graph);
        let mut values: Vec<&String> = ids.values().collect();
        values.sort();
        values.dedup();
        assert_eq!(values.len(), 4, "{ids:?}");
        assert!(
            values.iter().all(|id| id.starts_with("n_") && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        );
        assert_eq!(ids.get("end").map(String::as_str), Some("n_end"));
    }
}
