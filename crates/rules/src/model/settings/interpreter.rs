//! Runs a settings module's statements over [`PyValue`]s: assignments,
//! `+=`, `append`/`extend`, `if`, `try`, `from .base import *`, and the
//! expressions `settings.py` files write. Every step is charged to a
//! [`Budget`] before it is taken, and every value is built through the
//! constructors that enforce the caps, so no input makes it crawl.

use std::collections::{BTreeMap, HashSet};

use crate::finding::Evidence;
use crate::model::{Release, Text, discover, env, text};
use crate::parse::python::{self, Expr, ExprKind, Issue, Stmt};

use super::budget::{self, Budget};
use super::value::{PyValue, Size};
use super::{Assignment, EnvRead, MAX_SETTINGS_FILES};

/// Most environment hops kept as the evidence of one assignment.
const MAX_CHAIN_HOPS: usize = 16;

/// Functions that read an environment variable: `name(VAR, default)`.
const ENV_GETTERS: [&str; 12] = [
    "os.environ.get",
    "os.getenv",
    "environ.get",
    "getenv",
    "env",
    "env.str",
    "env.bool",
    "env.int",
    "env.list",
    "config",
    "environ.Env",
    "os.environ.setdefault",
];

pub(super) struct Interpreter<'r, 's> {
    release: &'r Release<'s>,
    /// The file being run.
    path: String,
    pub files: Vec<String>,
    pub issues: Vec<(String, Issue)>,
    pub names: BTreeMap<String, Vec<Assignment>>,
    /// Environment evidence gathered while evaluating the current statement.
    chain: Vec<Evidence>,
    /// Inside a `try` body, where a KeyError may be caught.
    in_try: bool,
    /// The statement runs only under a condition the files cannot decide.
    conditional: bool,
    pub unset_required: Vec<EnvRead>,
    /// Names already in `unset_required`: the first read of each is kept.
    unset_names: HashSet<String>,
    budget: Budget,
}

impl<'r, 's> Interpreter<'r, 's> {
    pub fn new(release: &'r Release<'s>, path: &str) -> Interpreter<'r, 's> {
        Interpreter {
            release,
            path: path.to_owned(),
            files: Vec::new(),
            issues: Vec::new(),
            names: BTreeMap::new(),
            chain: Vec::new(),
            in_try: false,
            conditional: false,
            unset_required: Vec::new(),
            unset_names: HashSet::new(),
            budget: Budget::default(),
        }
    }

    /// Why the evaluation stopped before the end, if it did.
    pub fn cut_short(&self) -> Option<String> {
        self.budget.exhausted().then(Budget::reason)
    }

    /// Parses and runs one file in place (the settings module, or one it
    /// imports with `*`).
    pub fn run_file(&mut self, path: &str, conditional: bool) -> Result<(), String> {
        let source = match text(self.release.snapshot, path) {
            Text::Ok(source) => source,
            Text::Unreadable(reason) => return Err(reason),
        };
        let module = python::parse(&source);
        self.files.push(path.to_owned());
        self.issues.extend(module.issues.into_iter().map(|issue| (path.to_owned(), issue)));
        let importer = std::mem::replace(&mut self.path, path.to_owned());
        self.run(&module.body, conditional);
        self.path = importer;
        Ok(())
    }

    /// `from .base import *`: the module's names become ours. A module not
    /// in the release (`from .local import *` in a `try`) is skipped, and a
    /// module already read is not read again, which also ends cycles.
    fn import_star(&mut self, spec: &str, conditional: bool) {
        if self.files.len() >= MAX_SETTINGS_FILES {
            return;
        }
        let Some(path) = discover::module_file(self.release.snapshot, &self.path, spec) else { return };
        if !self.files.contains(&path) {
            // Unreadable imported modules leave the names as they are.
            let _ = self.run_file(&path, conditional);
        }
    }

    fn run(&mut self, body: &[Stmt], conditional: bool) {
        for statement in body {
            self.chain.clear();
            self.conditional = conditional;
            match statement {
                Stmt::Assign { line, targets, value } => {
                    let value = self.eval(value);
                    for target in targets {
                        self.assign(target, value.clone(), *line, conditional);
                    }
                }
                Stmt::AugAssign { line, target, op, value } => {
                    let added = self.eval(value);
                    if let (Some(name), "+=") = (target.dotted_name(), op.as_str()) {
                        let current = self.current(&name);
                        let combined = self.add(current, added);
                        self.set(&name, combined, *line, conditional);
                    }
                }
                Stmt::Expr { line, expr } => self.mutate(expr, *line, conditional),
                Stmt::If { branches, .. } => self.run_if(branches, conditional),
                Stmt::Try { blocks, .. } => {
                    // The `try` body is what runs when nothing fails.
                    if let Some(body) = blocks.first() {
                        let outer = std::mem::replace(&mut self.in_try, true);
                        self.run(body, conditional);
                        self.in_try = outer;
                    }
                }
                Stmt::Other { text, .. } => {
                    if let Some(spec) = star_import(text) {
                        self.import_star(spec, conditional);
                    }
                }
            }
        }
    }

    fn run_if(&mut self, branches: &[python::Branch], conditional: bool) {
        let mut undecided = false;
        for branch in branches {
            let decision = match &branch.condition {
                None => Some(true),
                Some(condition) => self.eval(condition).truthy(),
            };
            match decision {
                Some(true) => {
                    self.run(&branch.body, conditional || undecided);
                    if !undecided {
                        return;
                    }
                }
                Some(false) => {}
                None => {
                    undecided = true;
                    self.run(&branch.body, true);
                }
            }
        }
    }

    /// `X.append(v)`, `X.extend([...])`, `X.insert(0, v)`.
    fn mutate(&mut self, expr: &Expr, line: u32, conditional: bool) {
        let ExprKind::Call { func, args, .. } = &expr.kind else { return };
        let ExprKind::Attribute { value, attr } = &func.kind else { return };
        let Some(name) = value.dotted_name() else { return };
        if !self.names.contains_key(&name) {
            return;
        }
        let added = match (attr.as_str(), args.as_slice()) {
            ("append", [item]) | ("insert", [_, item]) => {
                let value = self.eval(item);
                PyValue::list(vec![(value, item.line)])
            }
            ("extend", [items]) => self.eval(items),
            _ => return,
        };
        let current = self.current(&name);
        let combined = self.add(current, added);
        self.set(&name, combined, line, conditional);
    }

    /// The value of `name` now: shared, not copied.
    fn current(&self, name: &str) -> PyValue {
        self.names
            .get(name)
            .and_then(|h| h.last())
            .map_or_else(|| PyValue::unknown(format!("`{name}` before it is set")), |a| a.value.clone())
    }

    fn set(&mut self, name: &str, value: PyValue, line: u32, conditional: bool) {
        let chain = self.chain.clone();
        let path = self.path.clone();
        self.names.entry(name.to_owned()).or_default().push(Assignment { path, line, value, conditional, chain });
    }

    /// Records one hop of where an environment value came from.
    fn hop(&mut self, evidence: &Evidence) {
        let mut evidence = evidence.clone();
        if let Some(found) = &evidence.found {
            evidence.found = Some(crate::shown::without_url_passwords(found).into_owned());
        }
        if self.chain.len() < MAX_CHAIN_HOPS && !self.chain.contains(&evidence) {
            self.chain.push(evidence);
        }
    }

    fn assign(&mut self, target: &Expr, value: PyValue, line: u32, conditional: bool) {
        match &target.kind {
            ExprKind::Name(name) => self.set(name, value, line, conditional),
            ExprKind::Subscript { .. } => {
                // DATABASES['default']['ENGINE'] = ...: update the nested dict.
                let mut keys = Vec::new();
                let mut base = target;
                while let ExprKind::Subscript { value: inner, index } = &base.kind {
                    let Some(key) = index.as_str() else { return };
                    keys.push(key);
                    base = inner;
                }
                let ExprKind::Name(name) = &base.kind else { return };
                keys.reverse();
                let current = self.current(name);
                if let Some(updated) = self.with_path(&current, &keys, value, line) {
                    self.set(name, updated, line, conditional);
                }
            }
            ExprKind::Tuple(items) | ExprKind::List(items) => {
                for (index, item) in items.iter().enumerate() {
                    let part = match &value {
                        PyValue::List(values) => {
                            values.get(index).map_or_else(|| PyValue::unknown("unpacking"), |(v, _)| v.clone())
                        }
                        _ => PyValue::unknown("unpacking"),
                    };
                    self.assign(item, part, line, conditional);
                }
            }
            _ => {}
        }
    }

    /// `target` with `keys` set inside its nested dicts (each dict on the
    /// way copied, as the value is shared); `None` when the path does not
    /// exist.
    fn with_path(&mut self, target: &PyValue, keys: &[&str], value: PyValue, line: u32) -> Option<PyValue> {
        let Some((first, rest)) = keys.split_first() else { return Some(value) };
        let PyValue::Dict(entries) = target else { return None };
        if !self.budget.charge(budget::item_steps(entries.len())) {
            return Some(PyValue::unknown(Budget::reason()));
        }
        let mut copied: Vec<(PyValue, PyValue, u32)> = entries.to_vec();
        match copied.iter_mut().rev().find(|(k, _, _)| k.as_str() == Some(*first)) {
            Some((_, existing, _)) => *existing = self.with_path(existing, rest, value, line)?,
            None if rest.is_empty() => copied.push((PyValue::str(first), value, line)),
            None => return None,
        }
        Some(PyValue::dict(copied))
    }

    fn eval(&mut self, expr: &Expr) -> PyValue {
        if !self.budget.charge(1) {
            return PyValue::unknown(Budget::reason());
        }
        match &expr.kind {
            ExprKind::Str { value, is_fstring: false } => self.text(value),
            ExprKind::Str { value, is_fstring: true } => PyValue::unknown(format!("the f-string f'{value}'")),
            ExprKind::Int(i) => PyValue::Int(*i),
            ExprKind::Float(f) => PyValue::Float(*f),
            ExprKind::Bool(b) => PyValue::Bool(*b),
            ExprKind::NoneLit => PyValue::None,
            ExprKind::List(items) | ExprKind::Tuple(items) | ExprKind::Set(items) => {
                if !self.budget.charge(budget::item_steps(items.len())) {
                    return PyValue::unknown(Budget::reason());
                }
                let values = items.iter().map(|item| (self.eval(item), item.line)).collect();
                PyValue::list(values)
            }
            ExprKind::Dict(entries) => {
                if !self.budget.charge(budget::item_steps(entries.len())) {
                    return PyValue::unknown(Budget::reason());
                }
                let values = entries.iter().map(|(k, v)| (self.eval(k), self.eval(v), k.line)).collect();
                PyValue::dict(values)
            }
            ExprKind::Name(name) => self
                .names
                .get(name)
                .and_then(|h| h.last())
                .map_or_else(|| PyValue::unknown(format!("`{name}`")), |a| a.value.clone()),
            ExprKind::Call { func, args, kwargs } => self.call(func, args, kwargs),
            ExprKind::Subscript { value, index } => {
                if value.dotted_name().as_deref() == Some("os.environ") {
                    let Some(var) = index.as_str() else {
                        return PyValue::unknown("a computed variable name");
                    };
                    return self.env_at(var, None, Some(expr.line));
                }
                let base = self.eval(value);
                if let PyValue::Unknown(why) = base {
                    return PyValue::Unknown(why);
                }
                if !self.budget.charge(budget::size_steps(base.size())) {
                    return PyValue::unknown(Budget::reason());
                }
                // The key may itself be computed: `ENGINES[os.environ.get('DB_ENGINE', 'sqlite')]`
                // picks the entry the environment the release sets names.
                let key = match index.as_str() {
                    Some(key) => PyValue::str(key),
                    None => self.eval(index),
                };
                match (&key, &base) {
                    (PyValue::Str(key), PyValue::Dict(_)) => base.get(key).map_or_else(
                        || PyValue::unknown(format!("key '{key}', which the dict has not")),
                        |(v, _)| v.clone(),
                    ),
                    (PyValue::Int(i), PyValue::List(items)) => usize::try_from(*i)
                        .ok()
                        .and_then(|i| items.get(i))
                        .map_or_else(|| PyValue::unknown(format!("item {i}, past the list's end")), |(v, _)| v.clone()),
                    (PyValue::Unknown(why), _) => PyValue::unknown(format!("an entry chosen by {why}")),
                    // Never the whole value: it may hold a password.
                    _ => PyValue::unknown(format!("a subscript of {}", base.kind_name())),
                }
            }
            ExprKind::BinOp { left, op, right } => self.binop(left, op, right),
            ExprKind::Not(inner) => {
                self.eval(inner).truthy().map_or_else(|| PyValue::unknown("a negated unknown"), |b| PyValue::Bool(!b))
            }
            ExprKind::IfExp { body, test, orelse } => match self.eval(test).truthy() {
                Some(true) => self.eval(body),
                Some(false) => self.eval(orelse),
                None => PyValue::unknown("a conditional expression"),
            },
            ExprKind::Attribute { .. } | ExprKind::Other(_) => {
                PyValue::unknown(expr.dotted_name().map_or_else(|| "an expression".to_owned(), |n| format!("`{n}`")))
            }
        }
    }

    /// A string built from `text`, its copy charged first.
    fn text(&mut self, text: &str) -> PyValue {
        if !self.budget.charge(budget::text_steps(text.len())) {
            return PyValue::unknown(Budget::reason());
        }
        PyValue::str(text)
    }

    fn call(&mut self, func: &Expr, args: &[Expr], kwargs: &[(String, Expr)]) -> PyValue {
        let name = func.dotted_name().unwrap_or_default();
        let keyword = |key: &str| kwargs.iter().find(|(k, _)| k == key).map(|(_, v)| v);
        if ENV_GETTERS.contains(&name.as_str()) {
            let Some(var) = args.first().and_then(Expr::as_str) else {
                return PyValue::unknown(format!("`{name}(...)`"));
            };
            let default = args.get(1).or_else(|| keyword("default")).map(|d| self.eval(d));
            let value = self.env(var, default);
            return match (name.as_str(), value) {
                ("env.bool", PyValue::Str(s)) => {
                    PyValue::Bool(matches!(s.to_ascii_lowercase().as_str(), "true" | "1" | "yes" | "on"))
                }
                ("env.list", PyValue::Str(s)) => self.split(&s, Some(","), true, func.line),
                (_, value) => value,
            };
        }
        if name == "dj_database_url.config" || name == "dj_database_url.parse" {
            let url = if name.ends_with("parse") {
                args.first().map(|a| self.eval(a))
            } else {
                let default = keyword("default").map(|d| self.eval(d));
                Some(self.env("DATABASE_URL", default))
            };
            return match url {
                Some(PyValue::Str(url)) => database_from_url(&url, func.line),
                Some(PyValue::Unknown(why)) => PyValue::Unknown(why),
                _ => PyValue::unknown("a database URL"),
            };
        }
        // Methods on known strings: `.split(',')`, `.lower()`, `.strip()`.
        if let ExprKind::Attribute { value, attr } = &func.kind {
            let receiver = self.eval(value);
            if let PyValue::Unknown(why) = receiver {
                return PyValue::Unknown(why);
            }
            if let PyValue::Str(s) = &receiver {
                if !self.budget.charge(budget::text_steps(s.len())) {
                    return PyValue::unknown(Budget::reason());
                }
                match attr.as_str() {
                    "split" => {
                        let separator = args.first().and_then(Expr::as_str);
                        return self.split(s, separator.filter(|sep| !sep.is_empty()), false, func.line);
                    }
                    // ASCII case only: settings compare flags, hosts and names, and
                    // Unicode's case tables would add 24 KB to the web app.
                    "lower" => return PyValue::str(&s.to_ascii_lowercase()),
                    "upper" => return PyValue::str(&s.to_ascii_uppercase()),
                    "strip" => return PyValue::str(s.trim()),
                    _ => {}
                }
            }
        }
        match (name.as_str(), args) {
            ("str", [arg]) | ("list", [arg]) | ("tuple", [arg]) => self.eval(arg),
            ("bool", [arg]) => self.eval(arg).truthy().map_or_else(|| PyValue::unknown("bool(...)"), PyValue::Bool),
            ("dict", []) => {
                let entries = kwargs.iter().map(|(k, v)| (PyValue::str(k), self.eval(v), v.line)).collect();
                PyValue::dict(entries)
            }
            _ => PyValue::unknown(format!("the call `{}(...)`", if name.is_empty() { "?" } else { &name })),
        }
    }

    /// `s.split(separator)` (whitespace when `None`), each part trimmed when
    /// `trim` (as `env.list` does). The parts are counted before any is
    /// made, so a huge string of commas is refused, not built.
    fn split(&mut self, s: &str, separator: Option<&str>, trim: bool, line: u32) -> PyValue {
        let count = match separator {
            Some(sep) => s.matches(sep).count().saturating_add(1),
            None => s.split_whitespace().count(),
        };
        if let Some(why) = (Size { items: count, ..Size::default() }).over_cap() {
            return PyValue::Unknown(why);
        }
        if !self.budget.charge(budget::item_steps(count)) {
            return PyValue::unknown(Budget::reason());
        }
        let part = |p: &str| (PyValue::str(if trim { p.trim() } else { p }), line);
        let parts = match separator {
            Some(sep) => s.split(sep).map(part).collect(),
            None => s.split_whitespace().map(part).collect(),
        };
        PyValue::list(parts)
    }

    /// The value of an environment variable for the Django container, or
    /// the default the code gives, recording the chain as evidence.
    fn env(&mut self, var: &str, default: Option<PyValue>) -> PyValue {
        self.env_at(var, default, None)
    }

    /// [`Self::env`]; with `required_at` (an `os.environ['X']` read, which
    /// raises KeyError when unset), an unset variable is also recorded, where
    /// the read surely runs: not in a `try`, not under an undecided `if`.
    fn env_at(&mut self, var: &str, default: Option<PyValue>, required_at: Option<u32>) -> PyValue {
        if !self.budget.charge(env::lookup_work(self.release)) {
            return PyValue::unknown(Budget::reason());
        }
        match env::resolve(self.release, var) {
            Some(binding) => {
                for hop in &binding.chain {
                    self.hop(hop);
                }
                match &binding.value {
                    Some(value) => self.text(value),
                    None => PyValue::unknown(format!("`{var}`, which is set only in the cluster")),
                }
            }
            None => {
                if let (Some(line), false, false) = (required_at, self.in_try, self.conditional)
                    && self.unset_names.insert(var.to_owned())
                {
                    self.unset_required.push(EnvRead { name: var.to_owned(), path: self.path.clone(), line });
                }
                default.unwrap_or_else(|| PyValue::unknown(format!("`{var}`, which the release does not set")))
            }
        }
    }

    fn binop(&mut self, left: &Expr, op: &str, right: &Expr) -> PyValue {
        if matches!(op, "in" | "not in") && right.dotted_name().as_deref() == Some("os.environ") {
            let Some(var) = left.as_str() else { return PyValue::unknown("a computed variable name") };
            if !self.budget.charge(env::lookup_work(self.release)) {
                return PyValue::unknown(Budget::reason());
            }
            let binding = env::resolve(self.release, var);
            let present = binding.is_some();
            if let Some(binding) = binding {
                for hop in &binding.chain {
                    self.hop(hop);
                }
            }
            return PyValue::Bool(if op == "in" { present } else { !present });
        }
        let l = self.eval(left);
        match op {
            "and" => {
                return if l.truthy() == Some(false) {
                    l
                } else if l.truthy() == Some(true) {
                    self.eval(right)
                } else {
                    PyValue::unknown("an `and`")
                };
            }
            "or" => {
                return if l.truthy() == Some(true) {
                    l
                } else if l.truthy() == Some(false) {
                    self.eval(right)
                } else {
                    PyValue::unknown("an `or`")
                };
            }
            _ => {}
        }
        let r = self.eval(right);
        // An unknown operand makes the result unknown for the same reason.
        if let PyValue::Unknown(why) = l {
            return PyValue::Unknown(why);
        }
        if let PyValue::Unknown(why) = r {
            return PyValue::Unknown(why);
        }
        if op == "+" {
            return self.add(l, r);
        }
        // Comparing walks both values: charged by their size first.
        if !self.budget.charge(budget::size_steps(l.size()).saturating_add(budget::size_steps(r.size()))) {
            return PyValue::unknown(Budget::reason());
        }
        match op {
            "==" => PyValue::Bool(l == r),
            "!=" => PyValue::Bool(l != r),
            "is" => PyValue::Bool(l == r && matches!(l, PyValue::None | PyValue::Bool(_))),
            "is not" => PyValue::Bool(!(l == r && matches!(l, PyValue::None | PyValue::Bool(_)))),
            "in" | "not in" => {
                let contained = match (&l, &r) {
                    (PyValue::Str(a), PyValue::Str(b)) => Some(b.contains(&**a)),
                    (item, PyValue::List(items)) => Some(items.iter().any(|(v, _)| v == item)),
                    _ => None,
                };
                contained.map_or_else(
                    || PyValue::unknown(format!("`{op}`")),
                    |c| PyValue::Bool(if op == "in" { c } else { !c }),
                )
            }
            _ => PyValue::unknown(format!("`{op}`")),
        }
    }

    /// `left + right`. The result's size is known from the operands', so a
    /// result over a cap is refused before anything is copied.
    fn add(&mut self, left: PyValue, right: PyValue) -> PyValue {
        match (left, right) {
            (PyValue::List(a), PyValue::List(b)) => {
                let (sa, sb) = (a.size(), b.size());
                let size = Size {
                    text: sa.text.saturating_add(sb.text),
                    items: sa.items.saturating_add(sb.items),
                    nesting: sa.nesting.max(sb.nesting),
                };
                if let Some(why) = size.over_cap() {
                    return PyValue::Unknown(why);
                }
                if !self.budget.charge(budget::item_steps(a.len() + b.len())) {
                    return PyValue::unknown(Budget::reason());
                }
                let mut items = Vec::with_capacity(a.len() + b.len());
                items.extend(a.iter().cloned());
                items.extend(b.iter().cloned());
                PyValue::list(items)
            }
            (PyValue::Str(a), PyValue::Str(b)) => {
                let length = a.len().saturating_add(b.len());
                if let Some(why) = (Size { text: length, ..Size::default() }).over_cap() {
                    return PyValue::Unknown(why);
                }
                if !self.budget.charge(budget::text_steps(length)) {
                    return PyValue::unknown(Budget::reason());
                }
                let mut joined = String::with_capacity(length);
                joined.push_str(&a);
                joined.push_str(&b);
                PyValue::str(&joined)
            }
            (PyValue::Int(a), PyValue::Int(b)) => PyValue::Int(a.saturating_add(b)),
            (PyValue::Unknown(why), _) | (_, PyValue::Unknown(why)) => PyValue::Unknown(why),
            _ => PyValue::unknown("`+` of mixed types"),
        }
    }
}

/// The module of `from <module> import *`.
fn star_import(statement: &str) -> Option<&str> {
    let rest = statement.strip_prefix("from ")?;
    let (module, names) = rest.split_once(" import ")?;
    (names.trim() == "*").then_some(module.trim())
}

/// What `dj_database_url` makes of a URL: a dict with the engine.
fn database_from_url(url: &str, line: u32) -> PyValue {
    let scheme = url.split("://").next().unwrap_or("");
    let engine = match scheme {
        "postgres" | "postgresql" | "pgsql" | "postgis" => "django.db.backends.postgresql",
        "sqlite" => "django.db.backends.sqlite3",
        "mysql" => "django.db.backends.mysql",
        _ => return PyValue::unknown(format!("a database URL with scheme `{scheme}`")),
    };
    PyValue::dict(vec![(PyValue::str("ENGINE"), PyValue::str(engine), line)])
}
