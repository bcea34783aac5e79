//! Python values as far as the files tell, cheap to share and bounded.
//!
//! Strings, lists and dicts are reference-counted, so naming a value
//! (`Y = X`, a history of assignments) copies a pointer, not the value.
//! Each list and dict knows its [`Size`] as if written out in full (a dict
//! holding the same dict twice counts it twice), so the caps hold for what
//! the value *means*, and any walk over a value (rendering, comparing) is
//! bounded by them. A value over a cap is never built: it becomes
//! [`PyValue::Unknown`] with the reason, which the rules report as `manual`.

use std::ops::Deref;
use std::rc::Rc;

use crate::shown;

/// Longest text a value may hold, all its strings together: real settings
/// hold a few hundred bytes.
pub const MAX_TEXT_BYTES: usize = 64 * 1024;
/// Most items and entries a value may hold, nested ones included.
pub const MAX_ITEMS: usize = 10_000;
/// Deepest nesting of lists and dicts (`LOGGING` reaches 4 or 5).
pub const MAX_NESTING: usize = 32;
/// Longest reason an unknown value keeps (it is quoted in messages).
const MAX_REASON_CHARS: usize = 160;

/// A Python value as far as the files tell.
#[derive(Debug, Clone, PartialEq)]
pub enum PyValue {
    Str(Rc<str>),
    Int(i64),
    Float(f64),
    Bool(bool),
    None,
    /// Items with their lines.
    List(Rc<PyList>),
    /// Entries with the line of each key.
    Dict(Rc<PyDict>),
    /// Not knowable from the files; the string says why, e.g.
    /// "`os.environ['DB_ENGINE']`, which the release does not set", or
    /// "a value over 64 KiB".
    Unknown(String),
}

/// What a value holds when written out in full.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Size {
    /// Bytes of all its strings.
    pub text: usize,
    /// Items and entries, nested ones included.
    pub items: usize,
    /// Levels of lists and dicts: 0 for a string or a number.
    pub nesting: usize,
}

impl Size {
    /// Why a value of this size is not kept, if it is over a cap.
    pub fn over_cap(&self) -> Option<String> {
        if self.text > MAX_TEXT_BYTES {
            Some(format!("a value over {} KiB", MAX_TEXT_BYTES / 1024))
        } else if self.items > MAX_ITEMS {
            Some(format!("a value of more than {} items", shown::thousands(MAX_ITEMS)))
        } else if self.nesting > MAX_NESTING {
            Some(format!("a value nested more than {MAX_NESTING} levels deep"))
        } else {
            None
        }
    }

    fn add(self, other: Size) -> Size {
        Size {
            text: self.text.saturating_add(other.text),
            items: self.items.saturating_add(other.items),
            nesting: self.nesting.max(other.nesting),
        }
    }
}

/// The items of a list, tuple or set, and their size.
#[derive(Debug, PartialEq)]
pub struct PyList {
    items: Vec<(PyValue, u32)>,
    size: Size,
}

/// The entries of a dict (key, value, line of the key), and their size.
#[derive(Debug, PartialEq)]
pub struct PyDict {
    entries: Vec<(PyValue, PyValue, u32)>,
    size: Size,
}

impl Deref for PyList {
    type Target = [(PyValue, u32)];
    fn deref(&self) -> &Self::Target {
        &self.items
    }
}

impl Deref for PyDict {
    type Target = [(PyValue, PyValue, u32)];
    fn deref(&self) -> &Self::Target {
        &self.entries
    }
}

impl PyList {
    pub fn size(&self) -> Size {
        self.size
    }
}

impl PyDict {
    pub fn size(&self) -> Size {
        self.size
    }
}

impl PyValue {
    /// A string, or unknown when over [`MAX_TEXT_BYTES`].
    pub fn str(text: &str) -> PyValue {
        match (Size { text: text.len(), ..Size::default() }).over_cap() {
            Some(why) => PyValue::Unknown(why),
            None => PyValue::Str(Rc::from(text)),
        }
    }

    /// A list of `items`, or unknown when it would be over a cap.
    pub fn list(items: Vec<(PyValue, u32)>) -> PyValue {
        let size = nested(items.iter().map(|(v, _)| v.size()), items.len());
        match size.over_cap() {
            Some(why) => PyValue::Unknown(why),
            None => PyValue::List(Rc::new(PyList { items, size })),
        }
    }

    /// A dict of `entries`, or unknown when it would be over a cap.
    pub fn dict(entries: Vec<(PyValue, PyValue, u32)>) -> PyValue {
        let size = nested(entries.iter().map(|(k, v, _)| k.size().add(v.size())), entries.len());
        match size.over_cap() {
            Some(why) => PyValue::Unknown(why),
            None => PyValue::Dict(Rc::new(PyDict { entries, size })),
        }
    }

    /// An unknown value; a long reason (it may quote the file) is clipped.
    pub fn unknown(why: impl Into<String>) -> PyValue {
        let why = why.into();
        if why.len() <= MAX_REASON_CHARS {
            return PyValue::Unknown(why);
        }
        let cut = why.char_indices().nth(MAX_REASON_CHARS).map_or(why.len(), |(i, _)| i);
        PyValue::Unknown(format!("{}…", why.get(..cut).unwrap_or_default()))
    }

    /// What the value holds when written out in full.
    pub fn size(&self) -> Size {
        match self {
            PyValue::Str(s) => Size { text: s.len(), ..Size::default() },
            PyValue::List(list) => list.size,
            PyValue::Dict(dict) => dict.size,
            _ => Size::default(),
        }
    }

    /// What kind of value this is, in a few words that quote none of it.
    pub fn kind_name(&self) -> String {
        match self {
            PyValue::Str(_) => "a string".to_owned(),
            PyValue::Int(_) | PyValue::Float(_) => "a number".to_owned(),
            PyValue::Bool(_) => "a boolean".to_owned(),
            PyValue::None => "None".to_owned(),
            PyValue::List(items) => format!("a list of {} items", items.len()),
            PyValue::Dict(entries) => format!("a dict of {} entries", entries.len()),
            PyValue::Unknown(why) => why.clone(),
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            PyValue::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The value under a string key of a dict.
    pub fn get(&self, key: &str) -> Option<(&PyValue, u32)> {
        match self {
            PyValue::Dict(entries) => {
                entries.iter().rev().find(|(k, _, _)| k.as_str() == Some(key)).map(|(_, v, l)| (v, *l))
            }
            _ => None,
        }
    }

    pub(super) fn truthy(&self) -> Option<bool> {
        Some(match self {
            PyValue::Str(s) => !s.is_empty(),
            PyValue::Int(i) => *i != 0,
            PyValue::Float(f) => *f != 0.0,
            PyValue::Bool(b) => *b,
            PyValue::None => false,
            PyValue::List(items) => !items.is_empty(),
            PyValue::Dict(entries) => !entries.is_empty(),
            PyValue::Unknown(_) => return None,
        })
    }

    /// Python-like source text, for evidence. Bounded by the caps; the
    /// evidence clips it further.
    pub fn render(&self) -> String {
        let mut out = String::new();
        self.render_into(&mut out);
        out
    }

    fn render_into(&self, out: &mut String) {
        match self {
            PyValue::Str(s) => {
                out.push('\'');
                out.push_str(s);
                out.push('\'');
            }
            PyValue::Int(i) => out.push_str(&i.to_string()),
            PyValue::Float(f) => out.push_str(&f.to_string()),
            PyValue::Bool(b) => out.push_str(if *b { "True" } else { "False" }),
            PyValue::None => out.push_str("None"),
            PyValue::List(items) => {
                out.push('[');
                for (i, (value, _)) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    value.render_into(out);
                }
                out.push(']');
            }
            PyValue::Dict(entries) => {
                out.push('{');
                for (i, (key, value, _)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    key.render_into(out);
                    out.push_str(": ");
                    value.render_into(out);
                }
                out.push('}');
            }
            PyValue::Unknown(why) => {
                out.push_str("<unknown: ");
                out.push_str(why);
                out.push('>');
            }
        }
    }
}

/// The size of a list or dict of `count` direct children of these sizes.
fn nested(children: impl Iterator<Item = Size>, count: usize) -> Size {
    let inner = children.fold(Size::default(), Size::add);
    Size { text: inner.text, items: inner.items.saturating_add(count), nesting: inner.nesting.saturating_add(1) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_count_shared_values_in_full() {
        let leaf = PyValue::list(vec![(PyValue::str("ab"), 1)]);
        assert_eq!(leaf.size(), Size { text: 2, items: 1, nesting: 1 });
        let twice = PyValue::dict(vec![(PyValue::str("x"), leaf.clone(), 1), (PyValue::str("y"), leaf, 1)]);
        assert_eq!(twice.size(), Size { text: 6, items: 4, nesting: 2 });
    }

    #[test]
    fn values_over_a_cap_are_unknown_with_the_reason() {
        assert_eq!(PyValue::str(&"a".repeat(MAX_TEXT_BYTES + 1)), PyValue::Unknown("a value over 64 KiB".into()));
        let many = vec![(PyValue::Int(1), 1); MAX_ITEMS + 1];
        assert_eq!(PyValue::list(many), PyValue::Unknown("a value of more than 10,000 items".into()));
        let mut deep = PyValue::list(Vec::new());
        for _ in 0..MAX_NESTING {
            deep = PyValue::list(vec![(deep, 1)]);
        }
        assert_eq!(deep, PyValue::Unknown("a value nested more than 32 levels deep".into()));
        assert!(matches!(PyValue::unknown("x".repeat(1_000)), PyValue::Unknown(why) if why.chars().count() == 161));
    }

    #[test]
    fn renders_like_python() {
        let value = PyValue::dict(vec![(
            PyValue::str("default"),
            PyValue::list(vec![(PyValue::Int(1), 1), (PyValue::None, 1), (PyValue::Bool(true), 1)]),
            1,
        )]);
        assert_eq!(value.render(), "{'default': [1, None, True]}");
    }
}
