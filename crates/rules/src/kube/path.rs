//! Field paths as the API server prints them:
//! `spec.template.spec.containers[0].ports[0].containerPort`,
//! `metadata.labels[app]` for a map key.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Field(String),
    Index(usize),
    Key(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FieldPath(Vec<Segment>);

impl FieldPath {
    pub fn root() -> FieldPath {
        FieldPath::default()
    }

    pub fn field(&self, name: &str) -> FieldPath {
        self.with(Segment::Field(name.to_owned()))
    }

    pub fn index(&self, index: usize) -> FieldPath {
        self.with(Segment::Index(index))
    }

    pub fn key(&self, key: &str) -> FieldPath {
        self.with(Segment::Key(key.to_owned()))
    }

    fn with(&self, segment: Segment) -> FieldPath {
        let mut segments = self.0.clone();
        segments.push(segment);
        FieldPath(segments)
    }

    /// The path Go's JSON decoder names in a type error: field names only,
    /// no indices or keys (`spec.template.spec.containers.ports.containerPort`).
    pub fn go_fields(&self) -> String {
        let names: Vec<&str> = self
            .0
            .iter()
            .filter_map(|s| match s {
                Segment::Field(name) => Some(name.as_str()),
                _ => None,
            })
            .collect();
        names.join(".")
    }

    /// The last field name, if the path ends in one.
    pub fn last_field(&self) -> Option<&str> {
        match self.0.last() {
            Some(Segment::Field(name)) => Some(name),
            _ => None,
        }
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Field(name) if i == 0 => f.write_str(name)?,
                Segment::Field(name) => write!(f, ".{name}")?,
                Segment::Index(index) => write!(f, "[{index}]")?,
                Segment::Key(key) => write!(f, "[{key}]")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_like_the_api_server() {
        let path = FieldPath::root().field("spec").field("containers").index(0).field("ports").index(1).field("name");
        assert_eq!(path.to_string(), "spec.containers[0].ports[1].name");
        assert_eq!(path.go_fields(), "spec.containers.ports.name");
        assert_eq!(FieldPath::root().field("data").key("a.b").to_string(), "data[a.b]");
        assert_eq!(FieldPath::root().to_string(), "");
    }
}
