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

/// The values file at the root (or, when there is none, the first
/// values-like file elsewhere, so the Secret can still be compared with
/// what the student wrote), and other values-like files found elsewhere.
#[derive(Debug, Clone, PartialEq)]
pub struct Values {
    /// The file `state` describes: `values-postgres.yaml`, or a stand-in.
    pub path: String,
    pub state: ValuesState,
    /// Other `*values*.yaml` paths, for "it is in deployment/, move it".
    pub elsewhere: Vec<String>,
    /// Values files for another database's chart (`values-mariadb.yaml`
    /// from an earlier milestone), with that database's name. Never a
    /// stand-in: comparing the Secret with them would mislead.
    pub other_charts: Vec<(String, &'static str)>,
}

/// A setting of the chart's `auth` block.
#[derive(Debug, Clone, PartialEq)]
pub struct AuthValue {
    pub value: String,
    pub evidence: Evidence,
}

impl Values {
    pub fn read(snapshot: &Snapshot) -> Values {
        let (mut elsewhere, mut other_charts) = (Vec::new(), Vec::new());
        for path in discover::values_candidates(snapshot).into_iter().filter(|p| p != VALUES_PATH) {
            match other_chart(snapshot, &path) {
                Some(database) => other_charts.push((path, database)),
                None => elsewhere.push(path),
            }
        }
        let path = if snapshot.exists(VALUES_PATH) {
            VALUES_PATH.to_owned()
        } else {
            match elsewhere.first() {
                Some(other) => other.clone(),
                None => {
                    let state = ValuesState::Missing;
                    return Values { path: VALUES_PATH.to_owned(), state, elsewhere, other_charts };
                }
            }
        };
        let state = match parse(snapshot, &path) {
            Ok(root) => ValuesState::Parsed(root),
            Err(state) => state,
        };
        Values { path, state, elsewhere, other_charts }
    }

    /// True when the values file is where `helm install` in step 6 looks.
    pub fn at_root(&self) -> bool {
        self.path == VALUES_PATH && self.state != ValuesState::Missing
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
                evidence: Evidence::at(&self.path, Some(node.line)).found(format!("{prefix}.{key}: {value}")),
            });
        }
        None
    }

    /// The line of a YAML error, if the file has one.
    pub fn error_line(&self) -> Option<u32> {
        match &self.state {
            ValuesState::Invalid(error) => Some(error.line),
            _ => None,
        }
    }

    /// A human sentence for why the values cannot be read, or `None`.
    pub fn problem(&self) -> Option<String> {
        match &self.state {
            ValuesState::Missing => Some(format!("there is no `{VALUES_PATH}` at the root of the release")),
            ValuesState::Unreadable(reason) => Some(format!("`{}` could not be read ({reason})", self.path)),
            ValuesState::Invalid(error) => {
                Some(format!("`{}` is not valid YAML (line {}: {})", self.path, error.line, error.message))
            }
            ValuesState::Parsed(_) => None,
        }
    }
}

/// Each database variable of the app and the chart's `auth` key it must
/// equal. The course page's table of the four variables swaps the first
/// two (it pairs POSTGRES_USER with `password`), a typo the chart's own
/// keys settle: user goes with username, password with password.
pub const CREDENTIALS: [(&str, &str); 3] =
    [("POSTGRES_USER", "username"), ("POSTGRES_PASSWORD", "password"), ("POSTGRES_DB", "database")];

/// The first YAML document of a values file (helm reads one), or why not.
fn parse(snapshot: &Snapshot, path: &str) -> Result<Node, ValuesState> {
    match text(snapshot, path) {
        Text::Unreadable(reason) => Err(ValuesState::Unreadable(reason)),
        Text::Ok(source) => {
            let file = yaml::parse(&source);
            match file.error {
                Some(error) => Err(ValuesState::Invalid(error)),
                None => Ok(file.documents.into_iter().next().map(|d| d.root).unwrap_or(Node {
                    line: 1,
                    column: 1,
                    value: yaml::Value::Map(yaml::Mapping::default()),
                })),
            }
        }
    }
}

/// The database whose chart a values file is for, when it is not
/// PostgreSQL: by its name (`values-mariadb.yaml`), or by MariaDB's and
/// MySQL's `auth.rootPassword` where Postgres has `auth.postgresPassword`.
fn other_chart(snapshot: &Snapshot, path: &str) -> Option<&'static str> {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    if name.contains("postgres") {
        return None;
    }
    let named = [("mariadb", "MariaDB"), ("mysql", "MySQL"), ("mongo", "MongoDB"), ("redis", "Redis")]
        .into_iter()
        .find(|(word, _)| name.contains(word))
        .map(|(_, database)| database);
    named.or_else(|| {
        let root = parse(snapshot, path).ok()?;
        let auth = root.get("auth")?;
        (auth.get("rootPassword").is_some() && auth.get("postgresPassword").is_none()).then_some("MariaDB or MySQL")
    })
}
