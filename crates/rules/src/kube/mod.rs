//! What Kubernetes 1.34 accepts: `kubectl apply -f deployment/` on
//! minikube, without a cluster.
//!
//! [`read_manifest`] reads a parsed file as kubectl does (documents, empty
//! ones skipped, `kind: List` flattened); [`validate`] says what the API
//! server would reject in one object, each [`Rejection`] with the file's
//! line and column, the field path, the words kubectl prints, what was
//! expected and the fix. Three layers, in the order the server applies them:
//!
//! 1. the apiVersion and kind: a version no longer served names its
//!    replacement; a kind this checker has no schema for is
//!    [`RejectionKind::UnknownKind`] (undecided, never a silent pass);
//! 2. decoding against the embedded 1.34 schema (`schema.rs`): unknown
//!    fields under strict field validation, types, required fields, and what
//!    only the decoder checks (quantity syntax, base64, int32 range);
//! 3. the API server's validation beyond the schema (`apiserver/`): names,
//!    labels, selectors, ports, enum values, requests against limits.
//!
//! kubectl shows the first layer that fails (a decoding error hides the
//! validation errors until it is fixed); here every layer is reported at
//! once, and a value of the wrong type is judged only by layer 2.

mod apiserver;
mod decode;
mod directory;
pub mod names;
mod path;
pub mod quantity;
pub mod schema;
mod versions;

use std::fmt;

use crate::parse::yaml::Node;

pub use directory::{MANIFEST_EXTENSIONS, Manifest, read_manifest, reads_file};
pub use path::FieldPath;
pub use versions::{Removed, removed_version};

/// One object as kubectl sends it: a document of a file, or an item of a
/// list in it.
#[derive(Debug, Clone, PartialEq)]
pub struct KubeObject<'a> {
    pub path: String,
    /// 0-based index of the `---` document in the file.
    pub document: usize,
    /// Indices into nested `items` lists; empty for a plain document.
    pub item: Vec<usize>,
    pub node: &'a Node,
    /// The (apiVersion, kind) an item without either takes from its list.
    inherited: Option<(&'a str, &'a str)>,
}

impl<'a> KubeObject<'a> {
    pub fn api_version(&self) -> Option<&'a str> {
        self.inherited.map(|(v, _)| v).or_else(|| self.node.get("apiVersion").and_then(Node::as_str))
    }

    pub fn kind(&self) -> Option<&'a str> {
        self.inherited.map(|(_, k)| k).or_else(|| self.node.get("kind").and_then(Node::as_str))
    }

    /// `metadata.name` when it is a string.
    pub fn name(&self) -> Option<&'a str> {
        self.node.path(&["metadata", "name"]).and_then(Node::as_str)
    }

    pub fn line(&self) -> u32 {
        self.node.line
    }

    pub fn column(&self) -> u32 {
        self.node.column
    }
}

/// Why the cluster would refuse an object (or a file), and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub path: String,
    pub line: u32,
    pub column: u32,
    /// The field path as the API server prints it; empty for the whole
    /// object or file.
    pub field: String,
    pub kind: RejectionKind,
    /// What kubectl prints (the part after `error when creating "...": `).
    pub message: String,
    pub expected: String,
    pub fix: String,
}

/// Which check refuses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RejectionKind {
    /// Not valid YAML: kubectl reads nothing of the file from there on.
    Yaml,
    /// A field the schema does not have (strict field validation).
    Strict,
    /// A value of the wrong JSON type for its field.
    Type,
    /// A field the schema requires is missing (or null).
    Required,
    /// What only the decoder checks beyond the schema: quantity syntax,
    /// base64, the range of an int32.
    Decode,
    /// A value outside the set the API server supports (`protocol: HTTP`).
    Enum,
    /// Any other check of the API server: names, labels, selectors, ports.
    ApiServer,
    /// An apiVersion no longer served for this kind, or a kind no built-in
    /// group has: "no matches for kind".
    NoMatch,
    /// Not a rejection: a kind this checker has no schema for (a CRD, or a
    /// built-in kind outside the ones students use). The caller says
    /// `manual`, with [`Rejection::message`] as the reason.
    UnknownKind,
}

impl RejectionKind {
    /// Whether the strict OpenAPI schema alone decides this, so an
    /// independent schema validator must agree (the differential test).
    pub fn schema_decides(self) -> bool {
        matches!(self, RejectionKind::Strict | RejectionKind::Type | RejectionKind::Required)
    }

    /// Whether the cluster refuses the object (every kind but `UnknownKind`).
    pub fn rejects(self) -> bool {
        self != RejectionKind::UnknownKind
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}", self.path, self.line, self.column, self.message)
    }
}

impl Rejection {
    /// What was refused, for a student: kubectl's words, led by the field
    /// path when those words do not name it (a decoding error's do not).
    pub fn what(&self) -> String {
        if self.field.is_empty() || self.message.contains(&self.field) || self.kind == RejectionKind::NoMatch {
            self.message.clone()
        } else {
            format!("`{}`: {}", self.field, self.message)
        }
    }

    /// What was expected and how to get there, in one line.
    pub fn wanted(&self) -> String {
        if self.fix.is_empty() { self.expected.clone() } else { format!("{}; {}", self.expected, self.fix) }
    }

    fn new(
        path: &str,
        at: &Node,
        field: impl Into<String>,
        kind: RejectionKind,
        message: impl Into<String>,
        expected: impl Into<String>,
        fix: impl Into<String>,
    ) -> Rejection {
        Rejection {
            path: path.to_owned(),
            line: at.line,
            column: at.column,
            field: field.into(),
            kind,
            message: message.into(),
            expected: expected.into(),
            fix: fix.into(),
        }
    }
}

/// Everything the API server would refuse in `object`, in file order
/// within each layer. Empty when Kubernetes 1.34 accepts it.
pub fn validate(object: &KubeObject<'_>) -> Vec<Rejection> {
    let schema = schema::Schema::get();
    let (def, kind) = match versions::resolve(object, schema) {
        Ok(found) => found,
        Err(rejection) => return vec![*rejection],
    };
    let mut rejections = decode::decode(object, def, schema);
    rejections.extend(apiserver::validate(object, kind));
    rejections
}
