//! The Bitnami Postgres chart's values (`values-postgres.yaml`): the
//! database, user and passwords the chart creates.

use crate::finding::Evidence;
use crate::parse::yaml::{self, Node, YamlError};
use crate::snapshot::Snapshot;

use super::{Text, VALUES_PATH, discover, text};

#[derive(Debug, Clone, PartialEq)]
pub enum ValuesState {
    /// No file at the path the test procedure uses.
    Missing,
    Unreadable(String),
    Invalid(YamlError),
    /// The first document (helm reads one).
    Parsed(Node),
}

/// The values file at the root, and other values-like files found elsewhere.
#[derive(Debug, Clone, PartialEq)]
pub struct Values {
    pub state: ValuesState,
    /// Other `*values*.yaml` paths, for "it is in deployment/, move it".
    pub elsewhere: Vec<String>,
}

/// A setting of the chart's `auth` block.
#[derive(Debug, Clone, PartialEq)]
pub struct AuthValue {
    pub value: String,
    pub evidence: Evidence,
}

impl Values {
    pub fn read(snapshot: &Snapshot) -> Values {
        let elsewhere = discover::values_candidates(snapshot).into_iter().filter(|p| p != VALUES_PATH).collect();
        let state = if !snapshot.exists(VALUES_PATH) {
            ValuesState::Missing
        } else {
            match text(snapshot, VALUES_PATH) {
                Text::Unreadable(reason) => ValuesState::Unreadable(reason),
                Text::Ok(source) => {
                    let file = yaml::parse(&source);
                    match file.error {
                        Some(error) => ValuesState::Invalid(error),
                        None => ValuesState::Parsed(
                            file.documents
                                .into_iter()
                                .next()
                                .map(|d| d.root)
                                .unwrap_or(Node { line: 1, value: yaml::Value::Map(Vec::new()) }),
                        ),
                    }
                }
            }
        };
        Values { state, elsewhere }
    }

    pub fn root(&self) -> Option<&Node> {
        match &self.state {
            ValuesState::Parsed(root) => Some(root),
            _ => None,
        }
    }

    /// `auth.<key>`, where the chart reads it: `global.postgresql.auth.<key>`
    /// wins over `auth.<key>` when set.
    pub fn auth(&self, key: &str) -> Option<AuthValue> {
        let root = self.root()?;
        for (prefix, path) in
            [("global.postgresql.auth", &["global", "postgresql", "auth"][..]), ("auth", &["auth"][..])]
        {
            let Some(node) = root.path(path).and_then(|auth| auth.get(key)) else { continue };
            let Some(value) = node.as_str() else { continue };
            if value.is_empty() {
                continue;
            }
            return Some(AuthValue {
                value: value.to_owned(),
                evidence: Evidence::at(VALUES_PATH, Some(node.line)).found(format!("{prefix}.{key}: {value}")),
            });
        }
        None
    }

    /// A human sentence for why the values cannot be read, or `None`.
    pub fn problem(&self) -> Option<String> {
        match &self.state {
            ValuesState::Missing => Some(format!("there is no `{VALUES_PATH}` at the root of the release")),
            ValuesState::Unreadable(reason) => Some(format!("`{VALUES_PATH}` could not be read ({reason})")),
            ValuesState::Invalid(error) => {
                Some(format!("`{VALUES_PATH}` is not valid YAML (line {}: {})", error.line, error.message))
            }
            ValuesState::Parsed(_) => None,
        }
    }
}
