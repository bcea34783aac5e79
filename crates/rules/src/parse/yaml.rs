//! YAML with line and column numbers, built from `saphyr-parser` events.
//!
//! We build our own small tree instead of using a loader because findings
//! need the line of every value, `kubectl` rejects duplicate keys (a loader
//! silently keeps one), and untrusted input needs caps on depth and on alias
//! expansion ("billion laughs"). Building from events is iterative, so deep
//! nesting cannot overflow the stack.

use std::collections::HashMap;
use std::ops::Deref;

use saphyr_parser::{Event, Marker, Parser, ScalarStyle, ScanError};

/// Deepest nesting accepted; real manifests stay under 20.
pub const MAX_DEPTH: usize = 128;
/// Most nodes one file may expand to, aliases included.
pub const MAX_NODES: usize = 250_000;

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// 1-based line of the node's first character.
    pub line: u32,
    /// 1-based column (in characters) of the node's first character, so a
    /// message can point at `path:line:column`.
    pub column: u32,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Scalar(Scalar),
    Seq(Vec<Node>),
    /// Entries in file order; keys are unique (a duplicate is an error).
    Map(Mapping),
}

/// A mapping's entries in file order, found by key in constant time once
/// there are more than a few (a ConfigMap of 10,000 keys looked up for
/// each variable the settings read).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Mapping {
    entries: Box<[(Node, Node)]>,
    /// Position of each string key, for mappings of more than
    /// [`SCAN_ENTRIES`] (boxed: most mappings have none, and a node stays small).
    #[expect(clippy::box_collection, reason = "a pointer keeps every `Node` as small as before the index")]
    index: Option<Box<HashMap<String, usize>>>,
}

/// Whether `node` is the string key `key` (its text compared first: a
/// scalar's type is only worked out for the one that matches).
fn is_key(node: &Node, key: &str) -> bool {
    node.scalar().is_some_and(|s| s.text == key) && node.as_str().is_some()
}

/// Mappings this small are searched in order: faster than hashing.
const SCAN_ENTRIES: usize = 8;

impl Mapping {
    pub fn new(entries: Vec<(Node, Node)>) -> Mapping {
        let index = (entries.len() > SCAN_ENTRIES).then(|| {
            let mut index = HashMap::with_capacity(entries.len());
            for (position, (key, _)) in entries.iter().enumerate() {
                if let Some(text) = key.as_str() {
                    index.entry(text.to_owned()).or_insert(position);
                }
            }
            Box::new(index)
        });
        Mapping { entries: entries.into_boxed_slice(), index }
    }

    /// The entry whose key is the string `key`.
    pub fn entry(&self, key: &str) -> Option<&(Node, Node)> {
        match &self.index {
            Some(index) => index.get(key).and_then(|&position| self.entries.get(position)),
            None => self.entries.iter().find(|(k, _)| is_key(k, key)),
        }
    }
}

impl Deref for Mapping {
    type Target = [(Node, Node)];
    fn deref(&self) -> &Self::Target {
        &self.entries
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Scalar {
    pub text: String,
    /// Quoted or block scalars are always strings; plain ones may be
    /// numbers, booleans or null.
    pub quoted: bool,
}

/// One `---` document of a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub root: Node,
}

/// Why a file is not valid YAML, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub line: u32,
    /// 1-based column where the parser stopped.
    pub column: u32,
    pub message: String,
}

/// A parsed file: the documents read before any error, and the error.
/// A file with an error is rejected whole by kubectl and helm.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct YamlFile {
    pub documents: Vec<Document>,
    pub error: Option<YamlError>,
}

/// The type a plain scalar resolves to under the YAML 1.1 rules that
/// Kubernetes' YAML library (go-yaml v2) applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarType {
    Null,
    Bool,
    Int,
    Float,
    Str,
}

impl Node {
    /// The value under `key` if this is a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(_, v)| v)
    }

    /// The key node (for its line) of `key`.
    pub fn key_node(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(k, _)| k)
    }

    fn entry(&self, key: &str) -> Option<&(Node, Node)> {
        match &self.value {
            Value::Map(mapping) => mapping.entry(key),
            _ => None,
        }
    }

    /// Follows a path of mapping keys: `node.path(&["spec", "template"])`.
    pub fn path(&self, keys: &[&str]) -> Option<&Node> {
        keys.iter().try_fold(self, |node, key| node.get(key))
    }

    pub fn entries(&self) -> &[(Node, Node)] {
        match &self.value {
            Value::Map(entries) => entries,
            _ => &[],
        }
    }

    pub fn items(&self) -> &[Node] {
        match &self.value {
            Value::Seq(items) => items,
            _ => &[],
        }
    }

    pub fn is_map(&self) -> bool {
        matches!(self.value, Value::Map(_))
    }

    pub fn is_seq(&self) -> bool {
        matches!(self.value, Value::Seq(_))
    }

    pub fn scalar(&self) -> Option<&Scalar> {
        match &self.value {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The text of a scalar that is not null. Numbers and booleans come
    /// back as written (`500m`, `1`, `true`).
    pub fn as_str(&self) -> Option<&str> {
        self.scalar().filter(|s| s.resolved_type() != ScalarType::Null).map(|s| s.text.as_str())
    }

    pub fn is_null(&self) -> bool {
        self.scalar().is_some_and(|s| s.resolved_type() == ScalarType::Null)
    }

    /// A short name of the node's type, for messages: "a mapping", "a number"...
    pub fn describe(&self) -> &'static str {
        match &self.value {
            Value::Map(_) => "a mapping",
            Value::Seq(_) => "a list",
            Value::Scalar(s) => match s.resolved_type() {
                ScalarType::Null => "null",
                ScalarType::Bool => "a boolean",
                ScalarType::Int | ScalarType::Float => "a number",
                ScalarType::Str => "a string",
            },
        }
    }
}

impl Scalar {
    pub fn resolved_type(&self) -> ScalarType {
        if self.quoted {
            return ScalarType::Str;
        }
        resolve_plain(&self.text)
    }
}

fn resolve_plain(text: &str) -> ScalarType {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return ScalarType::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "n" | "N" | "no" | "No" | "NO" | "true" | "True" | "TRUE" | "false"
        | "False" | "FALSE" | "on" | "On" | "ON" | "off" | "Off" | "OFF" => return ScalarType::Bool,
        ".inf" | "-.inf" | "+.inf" | ".Inf" | ".INF" | ".nan" | ".NaN" | ".NAN" => return ScalarType::Float,
        _ => {}
    }
    let body = text.strip_prefix(['-', '+']).unwrap_or(text);
    // Most plain scalars are words: a number starts with a digit or `.` once
    // its `_`s are left out. Deciding that first spares a copy per lookup.
    if !body.chars().find(|&c| c != '_').is_some_and(|c| c.is_ascii_digit() || c == '.') {
        return ScalarType::Str;
    }
    let digits = body.replace('_', "");
    let is_int = digits.chars().all(|c| c.is_ascii_digit())
        || digits.strip_prefix("0x").is_some_and(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit()))
        || digits.strip_prefix("0o").is_some_and(|o| !o.is_empty() && o.chars().all(|c| c.is_digit(8)))
        || digits.strip_prefix("0b").is_some_and(|b| !b.is_empty() && b.chars().all(|c| c == '0' || c == '1'));
    if is_int {
        return ScalarType::Int;
    }
    let looks_float = digits.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+'))
        && digits.chars().any(|c| c.is_ascii_digit())
        && digits.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && digits.parse::<f64>().is_ok();
    if looks_float { ScalarType::Float } else { ScalarType::Str }
}

/// Parses every document of `text`. Never panics; an invalid file gives the
/// documents before the error plus the error with its line.
pub fn parse(text: &str) -> YamlFile {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut builder = Builder::default();
    for event in Parser::new_from_str(text) {
        let step = match event {
            Ok((event, span)) => builder.event(event, Pos::of(&span.start)),
            Err(error) => Err(scan_error(&error)),
        };
        if let Err(error) = step {
            builder.file.error = Some(error);
            break;
        }
    }
    builder.file
}

fn line_of(line: usize) -> u32 {
    u32::try_from(line).unwrap_or(u32::MAX)
}

/// Where an event starts: 1-based line and column.
#[derive(Clone, Copy)]
struct Pos {
    line: u32,
    column: u32,
}

impl Pos {
    fn of(marker: &Marker) -> Pos {
        Pos { line: line_of(marker.line()), column: line_of(marker.col().saturating_add(1)) }
    }

    fn error(self, message: impl Into<String>) -> YamlError {
        YamlError { line: self.line, column: self.column, message: message.into() }
    }
}

fn scan_error(error: &ScanError) -> YamlError {
    Pos::of(error.marker()).error(error.info())
}

/// A collection being built; `start` is the node count when it opened, so
/// its own count is known when it closes.
enum Frame {
    Seq {
        at: Pos,
        anchor: usize,
        start: usize,
        items: Vec<Node>,
    },
    Map {
        at: Pos,
        anchor: usize,
        start: usize,
        entries: Vec<(Node, Node)>,
        key: Option<Node>,
        seen: HashMap<String, u32>,
    },
}

#[derive(Default)]
struct Builder {
    file: YamlFile,
    stack: Vec<Frame>,
    /// Each anchored node and how many nodes it counts, aliases expanded.
    anchors: HashMap<usize, (Node, usize)>,
    nodes: usize,
}

impl Builder {
    fn event(&mut self, event: Event<'_>, at: Pos) -> Result<(), YamlError> {
        let Pos { line, column } = at;
        match event {
            Event::Scalar(text, style, anchor, _tag) => {
                let quoted = !matches!(style, ScalarStyle::Plain);
                let node = Node { line, column, value: Value::Scalar(Scalar { text: text.into_owned(), quoted }) };
                self.count(1, at)?;
                self.remember(anchor, &node, 1);
                self.push(node)
            }
            Event::Alias(id) => {
                // Counted before it is copied: a bomb stops before it is built.
                let unknown = || at.error("alias to an unknown anchor");
                let count = self.anchors.get(&id).map(|(_, count)| *count).ok_or_else(unknown)?;
                self.count(count, at)?;
                let node = self.anchors.get(&id).map(|(node, _)| node.clone()).ok_or_else(unknown)?;
                self.push(Node { line, column, ..node })
            }
            Event::SequenceStart(anchor, _) => {
                self.open(at)?;
                self.stack.push(Frame::Seq { at, anchor, start: self.nodes, items: Vec::new() });
                Ok(())
            }
            Event::MappingStart(anchor, _) => {
                self.open(at)?;
                let start = self.nodes;
                self.stack.push(Frame::Map { at, anchor, start, entries: Vec::new(), key: None, seen: HashMap::new() });
                Ok(())
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (node, anchor, start) = match self.stack.pop() {
                    Some(Frame::Seq { at, anchor, start, items }) => {
                        (Node { line: at.line, column: at.column, value: Value::Seq(items) }, anchor, start)
                    }
                    Some(Frame::Map { at, anchor, start, entries, .. }) => (
                        Node { line: at.line, column: at.column, value: Value::Map(Mapping::new(entries)) },
                        anchor,
                        start,
                    ),
                    None => return Err(at.error("unbalanced end of a collection")),
                };
                self.count(1, at)?;
                let count = self.nodes.saturating_sub(start);
                self.remember(anchor, &node, count);
                self.push(node)
            }
            Event::DocumentStart(_) => {
                self.anchors.clear();
                Ok(())
            }
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => Ok(()),
        }
    }

    fn open(&mut self, at: Pos) -> Result<(), YamlError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(at.error(format!("nested more than {MAX_DEPTH} levels deep")));
        }
        Ok(())
    }

    fn count(&mut self, nodes: usize, at: Pos) -> Result<(), YamlError> {
        self.nodes = self.nodes.saturating_add(nodes);
        if self.nodes > MAX_NODES {
            return Err(at.error(format!("expands to more than {MAX_NODES} values (an alias bomb?)")));
        }
        Ok(())
    }

    fn remember(&mut self, anchor: usize, node: &Node, count: usize) {
        if anchor != 0 {
            self.anchors.insert(anchor, (node.clone(), count));
        }
    }

    /// Adds a finished node to its parent, or ends a document.
    fn push(&mut self, node: Node) -> Result<(), YamlError> {
        match self.stack.last_mut() {
            None => {
                self.file.documents.push(Document { root: node });
                Ok(())
            }
            Some(Frame::Seq { items, .. }) => {
                items.push(node);
                Ok(())
            }
            Some(Frame::Map { entries, key, seen, .. }) => match key.take() {
                None => {
                    if let Some(name) = node.scalar().map(|s| s.text.clone()) {
                        if let Some(first) = seen.get(&name) {
                            return Err(YamlError {
                                line: node.line,
                                column: node.column,
                                message: format!("duplicate key `{name}` (first at line {first})"),
                            });
                        }
                        seen.insert(name, node.line);
                    }
                    *key = Some(node);
                    Ok(())
                }
                Some(k) => {
                    entries.push((k, node));
                    Ok(())
                }
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Node {
        let file = parse(text);
        assert_eq!(file.error, None);
        file.documents.into_iter().next().map(|d| d.root).unwrap_or(Node {
            line: 0,
            column: 0,
            value: Value::Scalar(Scalar { text: String::new(), quoted: false }),
        })
    }

    #[test]
    fn keeps_line_numbers_of_values() {
        let root = one("apiVersion: v1\nkind: Service\nspec:\n  type: LoadBalancer\n  ports:\n  - port: 80\n");
        assert_eq!(root.path(&["spec", "type"]).map(|n| n.line), Some(4));
        assert_eq!(root.path(&["spec", "type"]).and_then(Node::as_str), Some("LoadBalancer"));
        let port = root.path(&["spec", "ports"]).and_then(|p| p.items().first()).and_then(|p| p.get("port"));
        assert_eq!(port.map(|n| (n.line, n.describe())), Some((6, "a number")));
    }

    #[test]
    fn keeps_columns_of_keys_and_values() {
        let root = one("spec:\n  ports:\n  - port: 80\n    name: \"web\"\n");
        let port = root.path(&["spec", "ports"]).and_then(|p| p.items().first());
        assert_eq!(port.map(|p| (p.line, p.column)), Some((3, 5)));
        assert_eq!(port.and_then(|p| p.key_node("name")).map(|k| (k.line, k.column)), Some((4, 5)));
        assert_eq!(port.and_then(|p| p.get("name")).map(|v| (v.line, v.column)), Some((4, 11)));
        let file = parse("a: [1, 2\n");
        assert!(file.error.is_some_and(|e| e.line >= 1 && e.column >= 1));
    }

    #[test]
    fn reads_several_documents() {
        let file = parse("a: 1\n---\nb: 2\n---\n");
        assert_eq!(file.error, None);
        assert_eq!(file.documents.len(), 3);
        assert_eq!(file.documents.get(1).and_then(|d| d.root.get("b")).map(|n| n.line), Some(3));
        assert!(file.documents.get(2).is_some_and(|d| d.root.is_null()));
    }

    #[test]
    fn rejects_duplicate_keys_with_both_lines() {
        let file = parse("metadata:\n  name: a\n  name: b\n");
        assert_eq!(
            file.error,
            Some(YamlError { line: 3, column: 3, message: "duplicate key `name` (first at line 2)".to_owned() })
        );
    }

    #[test]
    fn reports_invalid_yaml_with_its_line() {
        let file = parse("a: 1\nb: [1, 2\nc: 3\n");
        assert!(file.error.is_some());
        let file = parse("a:\n\tb: 1\n");
        assert_eq!(file.error.map(|e| e.line), Some(2));
    }

    #[test]
    fn stops_alias_bombs() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let prev = i - 1;
            text.push_str(&format!("a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"));
        }
        let file = parse(&text);
        assert!(file.error.is_some_and(|e| e.message.contains("alias bomb")));
    }

    #[test]
    fn stops_deep_nesting() {
        let text = "[".repeat(10_000);
        let file = parse(&text);
        assert!(file.error.is_some_and(|e| e.message.contains("levels deep") || e.message.contains("recursion limit")));
    }

    #[test]
    fn resolves_plain_scalars_like_kubernetes() {
        let root = one("a: \"500m\"\nb: 500m\nc: 1\nd: 0.5\ne: yes\nf: ~\ng: 1e3\nh: abc\n");
        let types: Vec<&str> = ["a", "b", "c", "d", "e", "f", "g", "h"]
            .iter()
            .map(|k| root.get(k).map_or("missing", Node::describe))
            .collect();
        assert_eq!(
            types,
            ["a string", "a string", "a number", "a number", "a boolean", "null", "a number", "a string"]
        );
    }

    #[test]
    fn large_mappings_are_found_by_key_and_nodes_stay_small() {
        let text: String = (0..50).map(|i| format!("k{i}: {i}\n")).collect();
        let root = one(&format!("{text}null: x\n"));
        assert_eq!(root.get("k49").map(|n| (n.line, n.as_str())), Some((50, Some("49"))));
        assert_eq!(root.key_node("k0").map(|n| n.line), Some(1));
        assert_eq!(root.get("k50"), None);
        // A plain `null` key is no string key, indexed or not.
        assert_eq!(root.get("null"), None);
        assert_eq!(std::mem::size_of::<Node>(), 40);
    }

    #[test]
    fn strips_a_byte_order_mark() {
        let root = one("\u{feff}kind: Secret\n");
        assert_eq!(root.get("kind").and_then(Node::as_str), Some("Secret"));
    }
}
