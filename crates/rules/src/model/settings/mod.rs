//! The Django settings module, read as a reviewer would: top-level
//! assignments evaluated when their value is a literal or an environment
//! lookup the release answers (`os.environ.get('X', default)` followed to
//! the ConfigMap, Secret, Deployment `env` or Dockerfile `ENV`). What cannot
//! be known from the files stays `Unknown` with the reason, so rules can say
//! `manual` instead of guessing. `from .base import *` runs the imported
//! module in place, as Python does, so a settings package is read whole and
//! each assignment points at its own file.

use std::collections::BTreeMap;

use crate::finding::Evidence;
use crate::parse::python::{self, Expr, ExprKind, Issue, Stmt};

use super::{Release, Text, discover, env, text};

/// How many files a settings module and its `from x import *` may span.
const MAX_SETTINGS_FILES: usize = 8;

/// A Python value as far as the files tell.
#[derive(Debug, Clone, PartialEq)]
pub enum PyValue {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    None,
    /// Items with their lines.
    List(Vec<(PyValue, u32)>),
    /// Entries with the line of each key.
    Dict(Vec<(PyValue, PyValue, u32)>),
    /// Not knowable from the files; the string says why, e.g.
    /// "`os.environ['DB_ENGINE']`, which the release does not set".
    Unknown(String),
}

impl PyValue {
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

    fn truthy(&self) -> Option<bool> {
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

    /// Python-like source text, for evidence.
    pub fn render(&self) -> String {
        match self {
            PyValue::Str(s) => format!("'{s}'"),
            PyValue::Int(i) => i.to_string(),
            PyValue::Float(f) => f.to_string(),
            PyValue::Bool(b) => if *b { "True" } else { "False" }.to_owned(),
            PyValue::None => "None".to_owned(),
            PyValue::List(items) => {
                format!("[{}]", items.iter().map(|(v, _)| v.render()).collect::<Vec<_>>().join(", "))
            }
            PyValue::Dict(entries) => {
                format!(
                    "{{{}}}",
                    entries
                        .iter()
                        .map(|(k, v, _)| format!("{}: {}", k.render(), v.render()))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
            PyValue::Unknown(why) => format!("<unknown: {why}>"),
        }
    }
}

/// One assignment to a top-level name.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    /// The file it is in: the settings module or one it imports.
    pub path: String,
    pub line: u32,
    pub value: PyValue,
    /// Inside an `if` whose condition the files cannot decide.
    pub conditional: bool,
    /// Where environment values came from, hop by hop.
    pub chain: Vec<Evidence>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SettingsState {
    Unreadable(String),
    Parsed,
}

/// The settings module of the release.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub path: String,
    pub state: SettingsState,
    /// The files read: the module, then each one it imports with `*`.
    pub files: Vec<String>,
    /// Where `DJANGO_SETTINGS_MODULE` names this module, when it does.
    pub chosen_by: Vec<Evidence>,
    /// What the reader could not parse (an unterminated string...), by file.
    pub issues: Vec<(String, Issue)>,
    /// Every assignment to each top-level name, in execution order.
    pub names: BTreeMap<String, Vec<Assignment>>,
    /// `os.environ['X']` read where it surely runs (not in a `try`, not
    /// under an undecided `if`) while nothing in the release sets `X`:
    /// Django stops with a KeyError.
    pub unset_required: Vec<EnvRead>,
}

/// The default `manage.py` gives `DJANGO_SETTINGS_MODULE`:
/// `os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")`, as
/// `django-admin startproject` writes it. The line number and the module.
pub fn settings_module_default(manage_py: &str) -> Option<(u32, String)> {
    manage_py.lines().zip(1u32..).find_map(|(line, number)| {
        let code = line.split('#').next().unwrap_or_default();
        let after = code.split_once("setdefault(")?.1.trim_start();
        let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let rest = after[1..].strip_prefix("DJANGO_SETTINGS_MODULE")?.strip_prefix(quote)?;
        let rest = rest.trim_start().strip_prefix(',')?.trim_start();
        let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let (module, _) = rest[1..].split_once(quote)?;
        (!module.trim().is_empty()).then(|| (number, module.trim().to_owned()))
    })
}

/// An environment variable read by the settings, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvRead {
    pub name: String,
    pub path: String,
    pub line: u32,
}

impl Settings {
    pub fn read(release: &Release<'_>, path: String) -> Settings {
        let mut interpreter = Interpreter {
            release,
            path: path.clone(),
            files: Vec::new(),
            issues: Vec::new(),
            names: BTreeMap::new(),
            chain: Vec::new(),
            in_try: false,
            conditional: false,
            unset_required: Vec::new(),
        };
        let state = match interpreter.run_file(&path, false) {
            Ok(()) => SettingsState::Parsed,
            Err(reason) => SettingsState::Unreadable(reason),
        };
        Settings {
            path,
            state,
            files: interpreter.files,
            chosen_by: Vec::new(),
            issues: interpreter.issues,
            names: interpreter.names,
            unset_required: interpreter.unset_required,
        }
    }

    /// The settings module for messages: its path, and the modules it
    /// imports when there are any.
    pub fn described(&self) -> String {
        match self.files.get(1..) {
            Some(imported) if !imported.is_empty() => {
                let names: Vec<String> = imported.iter().map(|p| format!("`{p}`")).collect();
                format!("`{}` (and {}, which it imports)", self.path, names.join(", "))
            }
            _ => format!("`{}`", self.path),
        }
    }

    /// The last assignment to `name`.
    pub fn get(&self, name: &str) -> Option<&Assignment> {
        self.names.get(name).and_then(|history| history.last())
    }

    /// Every assignment that may be in force at the end: the last
    /// unconditional one and any conditional ones after it.
    pub fn candidates(&self, name: &str) -> Vec<&Assignment> {
        let Some(history) = self.names.get(name) else { return Vec::new() };
        let start = history.iter().rposition(|a| !a.conditional).unwrap_or(0);
        history.get(start..).map(|tail| tail.iter().collect()).unwrap_or_default()
    }

    /// Evidence pointing at an assignment.
    pub fn evidence(&self, assignment: &Assignment) -> Evidence {
        Evidence::at(&assignment.path, Some(assignment.line))
    }
}

struct Interpreter<'r, 's> {
    release: &'r Release<'s>,
    /// The file being run.
    path: String,
    files: Vec<String>,
    issues: Vec<(String, Issue)>,
    names: BTreeMap<String, Vec<Assignment>>,
    /// Environment evidence gathered while evaluating the current statement.
    chain: Vec<Evidence>,
    /// Inside a `try` body, where a KeyError may be caught.
    in_try: bool,
    /// The statement runs only under a condition the files cannot decide.
    conditional: bool,
    unset_required: Vec<EnvRead>,
}

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

impl Interpreter<'_, '_> {
    /// Parses and runs one file in place (the settings module, or one it
    /// imports with `*`).
    fn run_file(&mut self, path: &str, conditional: bool) -> Result<(), String> {
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
                        let combined = add(current, added);
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
            ("append", [item]) => PyValue::List(vec![(self.eval(item), item.line)]),
            ("insert", [_, item]) => PyValue::List(vec![(self.eval(item), item.line)]),
            ("extend", [items]) => self.eval(items),
            _ => return,
        };
        let combined = add(self.current(&name), added);
        self.set(&name, combined, line, conditional);
    }

    fn current(&self, name: &str) -> PyValue {
        self.names
            .get(name)
            .and_then(|h| h.last())
            .map_or_else(|| PyValue::Unknown(format!("`{name}` before it is set")), |a| a.value.clone())
    }

    fn set(&mut self, name: &str, value: PyValue, line: u32, conditional: bool) {
        let mut chain: Vec<Evidence> = Vec::new();
        for hop in &self.chain {
            if !chain.contains(hop) {
                chain.push(hop.clone());
            }
        }
        let path = self.path.clone();
        self.names.entry(name.to_owned()).or_default().push(Assignment { path, line, value, conditional, chain });
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
                    keys.push(key.to_owned());
                    base = inner;
                }
                let ExprKind::Name(name) = &base.kind else { return };
                keys.reverse();
                let mut updated = self.current(name);
                if set_path(&mut updated, &keys, value, line) {
                    self.set(name, updated, line, conditional);
                }
            }
            ExprKind::Tuple(items) | ExprKind::List(items) => {
                for (index, item) in items.iter().enumerate() {
                    let part = match &value {
                        PyValue::List(values) => values
                            .get(index)
                            .map_or_else(|| PyValue::Unknown("unpacking".to_owned()), |(v, _)| v.clone()),
                        _ => PyValue::Unknown("unpacking".to_owned()),
                    };
                    self.assign(item, part, line, conditional);
                }
            }
            _ => {}
        }
    }

    fn eval(&mut self, expr: &Expr) -> PyValue {
        match &expr.kind {
            ExprKind::Str { value, is_fstring: false } => PyValue::Str(value.clone()),
            ExprKind::Str { value, is_fstring: true } => PyValue::Unknown(format!("the f-string f'{value}'")),
            ExprKind::Int(i) => PyValue::Int(*i),
            ExprKind::Float(f) => PyValue::Float(*f),
            ExprKind::Bool(b) => PyValue::Bool(*b),
            ExprKind::NoneLit => PyValue::None,
            ExprKind::List(items) | ExprKind::Tuple(items) | ExprKind::Set(items) => {
                PyValue::List(items.iter().map(|item| (self.eval(item), item.line)).collect())
            }
            ExprKind::Dict(entries) => {
                PyValue::Dict(entries.iter().map(|(k, v)| (self.eval(k), self.eval(v), k.line)).collect())
            }
            ExprKind::Name(name) => self
                .names
                .get(name)
                .and_then(|h| h.last())
                .map_or_else(|| PyValue::Unknown(format!("`{name}`")), |a| a.value.clone()),
            ExprKind::Call { func, args, kwargs } => self.call(func, args, kwargs),
            ExprKind::Subscript { value, index } => {
                if value.dotted_name().as_deref() == Some("os.environ") {
                    let Some(var) = index.as_str() else {
                        return PyValue::Unknown("a computed variable name".to_owned());
                    };
                    return self.env_at(var, None, Some(expr.line));
                }
                let base = self.eval(value);
                match (index.as_str(), &base) {
                    (Some(key), PyValue::Dict(_)) => {
                        base.get(key).map_or_else(|| PyValue::Unknown(format!("key '{key}'")), |(v, _)| v.clone())
                    }
                    _ => PyValue::Unknown(format!("a subscript of {}", base.render())),
                }
            }
            ExprKind::BinOp { left, op, right } => self.binop(left, op, right),
            ExprKind::Not(inner) => self
                .eval(inner)
                .truthy()
                .map_or_else(|| PyValue::Unknown("a negated unknown".to_owned()), |b| PyValue::Bool(!b)),
            ExprKind::IfExp { body, test, orelse } => match self.eval(test).truthy() {
                Some(true) => self.eval(body),
                Some(false) => self.eval(orelse),
                None => PyValue::Unknown("a conditional expression".to_owned()),
            },
            ExprKind::Attribute { .. } | ExprKind::Other(_) => {
                PyValue::Unknown(expr.dotted_name().map_or_else(|| "an expression".to_owned(), |n| format!("`{n}`")))
            }
        }
    }

    fn call(&mut self, func: &Expr, args: &[Expr], kwargs: &[(String, Expr)]) -> PyValue {
        let name = func.dotted_name().unwrap_or_default();
        let keyword = |key: &str| kwargs.iter().find(|(k, _)| k == key).map(|(_, v)| v);
        if ENV_GETTERS.contains(&name.as_str()) {
            let Some(var) = args.first().and_then(Expr::as_str) else {
                return PyValue::Unknown(format!("`{name}(...)`"));
            };
            let default = args.get(1).or_else(|| keyword("default")).map(|d| self.eval(d));
            let value = self.env(var, default);
            return match (name.as_str(), value) {
                ("env.bool", PyValue::Str(s)) => {
                    PyValue::Bool(matches!(s.to_ascii_lowercase().as_str(), "true" | "1" | "yes" | "on"))
                }
                ("env.list", PyValue::Str(s)) => {
                    PyValue::List(s.split(',').map(|p| (PyValue::Str(p.trim().to_owned()), func.line)).collect())
                }
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
                _ => PyValue::Unknown("a database URL".to_owned()),
            };
        }
        // Methods on known strings: `.split(',')`, `.lower()`, `.strip()`.
        if let ExprKind::Attribute { value, attr } = &func.kind {
            let receiver = self.eval(value);
            if let PyValue::Unknown(why) = receiver {
                return PyValue::Unknown(why);
            }
            if let PyValue::Str(s) = &receiver {
                match attr.as_str() {
                    "split" => {
                        let separator = args.first().and_then(Expr::as_str).map(str::to_owned);
                        let parts: Vec<String> = match separator {
                            Some(sep) if !sep.is_empty() => s.split(sep.as_str()).map(str::to_owned).collect(),
                            _ => s.split_whitespace().map(str::to_owned).collect(),
                        };
                        return PyValue::List(parts.into_iter().map(|p| (PyValue::Str(p), func.line)).collect());
                    }
                    // ASCII case only: settings compare flags, hosts and names, and
                    // Unicode's case tables would add 24 KB to the web app.
                    "lower" => return PyValue::Str(s.to_ascii_lowercase()),
                    "upper" => return PyValue::Str(s.to_ascii_uppercase()),
                    "strip" => return PyValue::Str(s.trim().to_owned()),
                    _ => {}
                }
            }
        }
        match (name.as_str(), args) {
            ("str", [arg]) | ("list", [arg]) | ("tuple", [arg]) => self.eval(arg),
            ("bool", [arg]) => {
                self.eval(arg).truthy().map_or_else(|| PyValue::Unknown("bool(...)".to_owned()), PyValue::Bool)
            }
            ("dict", []) => {
                PyValue::Dict(kwargs.iter().map(|(k, v)| (PyValue::Str(k.clone()), self.eval(v), v.line)).collect())
            }
            _ => PyValue::Unknown(format!("the call `{}(...)`", if name.is_empty() { "?" } else { &name })),
        }
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
        match env::resolve(self.release, var) {
            Some(binding) => {
                self.chain.extend(binding.chain.iter().cloned());
                match binding.value {
                    Some(value) => PyValue::Str(value),
                    None => PyValue::Unknown(format!("`{var}`, which is set only in the cluster")),
                }
            }
            None => {
                if let (Some(line), false, false) = (required_at, self.in_try, self.conditional) {
                    self.unset_required.push(EnvRead { name: var.to_owned(), path: self.path.clone(), line });
                }
                default.unwrap_or_else(|| PyValue::Unknown(format!("`{var}`, which the release does not set")))
            }
        }
    }

    fn binop(&mut self, left: &Expr, op: &str, right: &Expr) -> PyValue {
        if matches!(op, "in" | "not in") && right.dotted_name().as_deref() == Some("os.environ") {
            let Some(var) = left.as_str() else { return PyValue::Unknown("a computed variable name".to_owned()) };
            let binding = env::resolve(self.release, var);
            let present = binding.is_some();
            if let Some(binding) = binding {
                self.chain.extend(binding.chain);
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
                    PyValue::Unknown("an `and`".to_owned())
                };
            }
            "or" => {
                return if l.truthy() == Some(true) {
                    l
                } else if l.truthy() == Some(false) {
                    self.eval(right)
                } else {
                    PyValue::Unknown("an `or`".to_owned())
                };
            }
            _ => {}
        }
        let r = self.eval(right);
        if matches!(l, PyValue::Unknown(_)) || matches!(r, PyValue::Unknown(_)) {
            return PyValue::Unknown(format!("`{op}` of unknown values"));
        }
        match op {
            "+" => add(l, r),
            "==" => PyValue::Bool(l == r),
            "!=" => PyValue::Bool(l != r),
            "is" => PyValue::Bool(l == r && matches!(l, PyValue::None | PyValue::Bool(_))),
            "is not" => PyValue::Bool(!(l == r && matches!(l, PyValue::None | PyValue::Bool(_)))),
            "in" | "not in" => {
                let contained = match (&l, &r) {
                    (PyValue::Str(a), PyValue::Str(b)) => Some(b.contains(a.as_str())),
                    (item, PyValue::List(items)) => Some(items.iter().any(|(v, _)| v == item)),
                    _ => None,
                };
                contained.map_or_else(
                    || PyValue::Unknown(format!("`{op}`")),
                    |c| PyValue::Bool(if op == "in" { c } else { !c }),
                )
            }
            _ => PyValue::Unknown(format!("`{op}`")),
        }
    }
}

fn add(left: PyValue, right: PyValue) -> PyValue {
    match (left, right) {
        (PyValue::List(mut a), PyValue::List(b)) => {
            a.extend(b);
            PyValue::List(a)
        }
        (PyValue::Str(a), PyValue::Str(b)) => PyValue::Str(a + &b),
        (PyValue::Int(a), PyValue::Int(b)) => PyValue::Int(a.saturating_add(b)),
        (PyValue::Unknown(why), _) | (_, PyValue::Unknown(why)) => PyValue::Unknown(why),
        _ => PyValue::Unknown("`+` of mixed types".to_owned()),
    }
}

/// Sets `keys` inside nested dicts; false when the path does not exist.
fn set_path(target: &mut PyValue, keys: &[String], value: PyValue, line: u32) -> bool {
    let Some((first, rest)) = keys.split_first() else {
        *target = value;
        return true;
    };
    let PyValue::Dict(entries) = target else { return false };
    if let Some((_, existing, _)) = entries.iter_mut().rev().find(|(k, _, _)| k.as_str() == Some(first)) {
        return set_path(existing, rest, value, line);
    }
    if rest.is_empty() {
        entries.push((PyValue::Str(first.clone()), value, line));
        return true;
    }
    false
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
        _ => return PyValue::Unknown(format!("a database URL with scheme `{scheme}`")),
    };
    PyValue::Dict(vec![(PyValue::Str("ENGINE".to_owned()), PyValue::Str(engine.to_owned()), line)])
}

#[cfg(test)]
mod tests {
    use super::settings_module_default;
    use crate::model::Release;
    use crate::origin::{Origin, SourceKind};
    use crate::snapshot::Snapshot;

    fn unset(settings: &str) -> Vec<(String, u32)> {
        let snapshot = Snapshot::from_files([("mysite/mysite/settings.py", settings)]);
        let origin = Origin::new(SourceKind::Sample);
        let release = Release::new(&snapshot, &origin);
        let reads = release.settings.map(|s| s.unset_required).unwrap_or_default();
        reads.into_iter().map(|read| (read.name, read.line)).collect()
    }

    fn read(files: &[(&str, &str)]) -> crate::model::Settings {
        let snapshot = Snapshot::from_files(files.iter().copied());
        let origin = Origin::new(SourceKind::Sample);
        let release = Release::new(&snapshot, &origin);
        release.settings.expect("a settings module")
    }

    #[test]
    fn star_imports_run_in_place_and_keep_their_files() {
        let settings = read(&[
            (
                "mysite/mysite/settings/__init__.py",
                "from .base import *\nDEBUG = False\ntry:\n    from .local import *\nexcept ImportError:\n    pass\n",
            ),
            (
                "mysite/mysite/settings/base.py",
                "import os\nDEBUG = True\nSECRET = os.environ['SECRET_KEY']\nfrom .__init__ import *\n",
            ),
        ]);
        assert_eq!(settings.files, ["mysite/mysite/settings/__init__.py", "mysite/mysite/settings/base.py"]);
        let debug: Vec<(&str, u32)> = settings.names["DEBUG"].iter().map(|a| (a.path.as_str(), a.line)).collect();
        assert_eq!(debug, [("mysite/mysite/settings/base.py", 2), ("mysite/mysite/settings/__init__.py", 2)]);
        assert_eq!(
            settings.unset_required,
            [super::EnvRead { name: "SECRET_KEY".into(), path: "mysite/mysite/settings/base.py".into(), line: 3 }]
        );
        assert!(settings.described().contains("`mysite/mysite/settings/base.py`, which it imports"));
    }

    #[test]
    fn a_module_that_imports_itself_ends() {
        let settings = read(&[("mysite/mysite/settings.py", "from mysite.settings import *\nA = 1\n")]);
        assert_eq!(settings.files, ["mysite/mysite/settings.py"]);
        assert_eq!(settings.names["A"].len(), 1);
    }

    #[test]
    fn manage_py_gives_the_default_module() {
        let startproject = "import os\nimport sys\n\ndef main():\n    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n";
        assert_eq!(settings_module_default(startproject), Some((5, "mysite.settings".to_owned())));
        let double = "os.environ.setdefault( \"DJANGO_SETTINGS_MODULE\" , \"mysite.settings.prod\")";
        assert_eq!(settings_module_default(double), Some((1, "mysite.settings.prod".to_owned())));
        assert_eq!(settings_module_default("# os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'x')\n"), None);
        assert_eq!(settings_module_default("os.environ.setdefault('OTHER', 'x')\n"), None);
        assert_eq!(settings_module_default("os.environ.setdefault('DJANGO_SETTINGS_MODULE', os.getenv('X'))\n"), None);
        assert_eq!(settings_module_default("os.environ.setdefault('DJANGO_SETTINGS_MODULE', '\n"), None);
    }

    #[test]
    fn django_settings_module_names_the_module_in_force() {
        let files = [
            ("mysite/mysite/settings/__init__.py", "from .dev import *\n"),
            ("mysite/mysite/settings/dev.py", "DATABASES = 'sqlite'\n"),
            ("mysite/mysite/settings/prod.py", "DATABASES = 'postgres'\n"),
            ("Dockerfile", "FROM python:3.11\nENV DJANGO_SETTINGS_MODULE=mysite.settings.prod\n"),
        ];
        let settings = read(&files);
        assert_eq!(settings.path, "mysite/mysite/settings/prod.py");
        assert_eq!(settings.get("DATABASES").map(|a| a.value.render()).as_deref(), Some("'postgres'"));
        assert_eq!(settings.chosen_by.len(), 1);
        // Without it, the package's own choice (dev) is in force.
        let settings = read(&files[..3]);
        assert_eq!(settings.path, "mysite/mysite/settings/__init__.py");
        assert_eq!(settings.get("DATABASES").map(|a| a.value.render()).as_deref(), Some("'sqlite'"));
    }

    #[test]
    fn a_required_variable_counts_only_where_it_surely_runs() {
        assert_eq!(unset("import os\nSECRET_KEY = os.environ['SECRET_KEY']\n"), [("SECRET_KEY".to_owned(), 2)]);
        assert_eq!(unset("import os\nSECRET_KEY = os.environ.get('SECRET_KEY', 'x')\n"), []);
        assert_eq!(
            unset(
                "import os\ntry:\n    SECRET_KEY = os.environ['SECRET_KEY']\nexcept KeyError:\n    SECRET_KEY = 'x'\n"
            ),
            []
        );
        // The condition is decided (nothing sets USE_PG), so the branch never runs.
        assert_eq!(unset("import os\nif os.environ.get('USE_PG'):\n    NAME = os.environ['POSTGRES_DB']\n"), []);
        // An undecided condition: it may not run, so it is not counted.
        assert_eq!(unset("import os\nif some_flag():\n    NAME = os.environ['POSTGRES_DB']\n"), []);
    }
}
