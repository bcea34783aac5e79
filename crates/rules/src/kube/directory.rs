//! How `kubectl apply -f deployment/` reads a directory: the files it
//! takes, and the objects in each (documents, `kind: List` flattened).

use crate::parse::yaml::{Node, ScalarType, YamlFile};

use super::{KubeObject, Rejection, RejectionKind};

/// The extensions kubectl reads in a directory (exactly these, case and
/// all: `.YAML` and `README.md` are skipped).
pub const MANIFEST_EXTENSIONS: [&str; 3] = [".json", ".yaml", ".yml"];

/// Whether `kubectl apply -f <dir>/` reads `path`: a file directly in
/// `dir` (no recursion without `-R`) whose extension is `.json`, `.yaml` or
/// `.yml`. Paths use `/`.
pub fn reads_file(dir: &str, path: &str) -> bool {
    let dir = dir.trim_end_matches('/');
    let Some(name) =
        (if dir.is_empty() { Some(path) } else { path.strip_prefix(dir).and_then(|r| r.strip_prefix('/')) })
    else {
        return false;
    };
    !name.is_empty() && !name.contains('/') && MANIFEST_EXTENSIONS.iter().any(|ext| extension(name) == Some(ext))
}

/// Go's `filepath.Ext`: from the last dot of the name.
fn extension(name: &str) -> Option<&str> {
    name.rfind('.').and_then(|i| name.get(i..))
}

/// What kubectl takes from one file: the objects, in order, and what it
/// could not read (a YAML error stops the file there; a document that is
/// not an object is skipped with its error).
#[derive(Debug, Clone, Default)]
pub struct Manifest<'a> {
    pub objects: Vec<KubeObject<'a>>,
    pub rejections: Vec<Rejection>,
}

/// Reads one parsed file as kubectl does: each `---` document, empty ones
/// skipped; an object with `items` is a list (`kind: List`,
/// `DeploymentList`...) whose items are the objects, flattened at any
/// depth; an item with neither `kind` nor `apiVersion` takes the list's
/// (`DeploymentList` items are Deployments).
pub fn read_manifest<'a>(path: &str, file: &'a YamlFile) -> Manifest<'a> {
    let mut manifest = Manifest::default();
    for (document, doc) in file.documents.iter().enumerate() {
        let root = &doc.root;
        if root.is_null() {
            continue;
        }
        let mut pending = vec![Pending { node: root, item: Vec::new(), inherited: None }];
        while let Some(Pending { node, item, inherited }) = pending.pop() {
            if !node.is_map() {
                manifest.rejections.push(not_an_object(path, node));
                continue;
            }
            if let Some(items) = node.get("items").filter(|i| !i.is_null()) {
                let Some(list) = items.is_seq().then(|| items.items()) else {
                    manifest.rejections.push(Rejection::new(
                        path,
                        items,
                        "items",
                        RejectionKind::Type,
                        format!("json: cannot unmarshal {} into Go value of type []interface {{}}", json_type(items)),
                        "a list of objects under `items`",
                        "make `items:` a list (`- apiVersion: ...`), or remove it",
                    ));
                    continue;
                };
                let own = (scalar_text(node, "apiVersion"), scalar_text(node, "kind"));
                let inherit = match own {
                    (Some(version), Some(kind)) => Some((version, kind.strip_suffix("List").unwrap_or(kind))),
                    _ => inherited,
                };
                // Reversed so the stack pops them in file order.
                for (index, entry) in list.iter().enumerate().rev() {
                    let mut item = item.clone();
                    item.push(index);
                    pending.push(Pending { node: entry, item, inherited: inherit });
                }
                continue;
            }
            let own_kind = node.get("kind").is_some_and(|k| !k.is_null());
            let own_version = node.get("apiVersion").is_some_and(|v| !v.is_null());
            let inherited = inherited.filter(|_| !own_kind && !own_version);
            manifest.objects.push(KubeObject { path: path.to_owned(), document, item, node, inherited });
        }
    }
    if let Some(error) = &file.error {
        manifest.rejections.push(Rejection {
            path: path.to_owned(),
            line: error.line,
            column: error.column,
            field: String::new(),
            kind: RejectionKind::Yaml,
            message: format!("error converting YAML to JSON: yaml: line {}: {}", error.line, error.message),
            expected: "valid YAML".to_owned(),
            fix: "fix the YAML at this line; kubectl reads nothing of this file from here on".to_owned(),
        });
    }
    manifest
}

struct Pending<'a> {
    node: &'a Node,
    item: Vec<usize>,
    inherited: Option<(&'a str, &'a str)>,
}

fn scalar_text<'a>(node: &'a Node, key: &str) -> Option<&'a str> {
    node.get(key).and_then(Node::as_str)
}

/// A document (or list item) that is a string, number or list.
fn not_an_object(path: &str, node: &Node) -> Rejection {
    Rejection::new(
        path,
        node,
        "",
        RejectionKind::Type,
        format!(
            "couldn't get version/kind; json parse error: json: cannot unmarshal {} into Go value of type struct {{ APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string \"json:\\\"kind,omitempty\\\"\" }}",
            json_type(node)
        ),
        "an object: a mapping with apiVersion, kind and metadata",
        "make this document a Kubernetes object, or move the text out of the manifests (a comment starts with #)",
    )
}

/// The JSON type Go's decoder names for a node: string, number, bool...
pub(crate) fn json_type(node: &Node) -> &'static str {
    if node.is_map() {
        return "object";
    }
    if node.is_seq() {
        return "array";
    }
    match node.scalar().map(|s| s.resolved_type()) {
        Some(ScalarType::Bool) => "bool",
        Some(ScalarType::Int | ScalarType::Float) => "number",
        Some(ScalarType::Null) => "null",
        _ => "string",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::yaml;

    #[test]
    fn reads_only_yaml_and_json_files_directly_in_the_directory() {
        assert!(reads_file("deployment", "deployment/deployment.yaml"));
        assert!(reads_file("deployment/", "deployment/service.yml"));
        assert!(reads_file("deployment", "deployment/config.json"));
        assert!(reads_file("deployment", "deployment/.hidden.yaml"));
        assert!(!reads_file("deployment", "deployment/README.md"));
        assert!(!reads_file("deployment", "deployment/secret.YAML"));
        assert!(!reads_file("deployment", "deployment/old/pod.yaml"));
        assert!(!reads_file("deployment", "deployment.yaml"));
        assert!(!reads_file("deployment", "k8s/deployment.yaml"));
        assert!(!reads_file("deployment", "deployment/yaml"));
    }

    #[test]
    fn flattens_lists_and_skips_empty_documents() {
        let file = yaml::parse(
            "---\n---\napiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n- apiVersion: v1\n  kind: List\n  items:\n  - apiVersion: v1\n    kind: Secret\n    metadata: {name: b}\n---\napiVersion: apps/v1\nkind: DeploymentList\nitems:\n- metadata: {name: c}\n",
        );
        let manifest = read_manifest("deployment/all.yaml", &file);
        assert!(manifest.rejections.is_empty(), "{:?}", manifest.rejections);
        type Seen<'a> = (usize, Vec<usize>, Option<&'a str>, Option<&'a str>);
        let seen: Vec<Seen<'_>> =
            manifest.objects.iter().map(|o| (o.document, o.item.clone(), o.api_version(), o.kind())).collect();
        assert_eq!(
            seen,
            [
                (1, vec![0], Some("v1"), Some("ConfigMap")),
                (1, vec![1, 0], Some("v1"), Some("Secret")),
                (2, vec![0], Some("apps/v1"), Some("Deployment")),
            ]
        );
        assert_eq!(manifest.objects.get(2).map(|o| (o.line(), o.column())), Some((19, 3)));
    }

    #[test]
    fn a_text_document_and_a_yaml_error_are_each_reported() {
        let file =
            yaml::parse("just some notes\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\na: [1\n");
        let manifest = read_manifest("deployment/notes.yaml", &file);
        assert_eq!(manifest.objects.len(), 1);
        let kinds: Vec<RejectionKind> = manifest.rejections.iter().map(|r| r.kind).collect();
        assert_eq!(kinds, [RejectionKind::Type, RejectionKind::Yaml]);
        assert!(manifest.rejections.first().is_some_and(|r| r.message.contains("cannot unmarshal string")));
    }
}
