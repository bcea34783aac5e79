//! A small, safe reader of Django `settings.py` files.
//!
//! It reads enough Python to say what a file assigns to top-level names: `A = value`, chained and
//! annotated assignments, `A += value`, `A.append(...)`-style expression statements, and the same
//! inside `if`/`elif`/`else` and `try`/`except`/`else`/`finally` blocks. Values are read as
//! literals (strings, numbers, lists, tuples, sets, dicts), names, attribute/subscript/call chains
//! and the common operators, so `os.environ.get('X', 'd')` or `BASE_DIR / 'static'` keep their shape.
//!
//! It deliberately does not read everything: bodies of `def`, `class`, `for`, `while`, `with` and
//! `match` are skipped, and statements or expressions it does not understand (imports,
//! comprehensions, lambdas, slices...) become `Other` nodes holding their source text. Anything
//! malformed (unterminated strings, unbalanced brackets, bad indentation) is reported in
//! [`Module::issues`] with a line number (at most [`MAX_ISSUES`]), and reading goes on with the next
//! logical line.
//!
//! The files are untrusted student code, so the reader never panics, recursion is capped at
//! [`MAX_DEPTH`], every [`Expr`] tree it returns is at most [`MAX_HEIGHT`] levels high (callers may
//! walk them recursively), and time is linear in the input. The project owns this small reader
//! because a full Python parser crate would weigh heavily in the web app's wasm, and the rules only
//! need literals and assignments.

use std::borrow::Cow;

mod expressions;
mod lexer;
mod statements;

use lexer::tokenize;
use statements::StmtReader;

/// How deep brackets, unary operators and nested blocks are followed before the rest is read as text.
pub const MAX_DEPTH: usize = 64;
/// The greatest height of an [`Expr`] tree handed out; a taller one is collapsed to `Other` text.
pub const MAX_HEIGHT: usize = 64;
/// At most this many issues are kept (the earliest by line), so garbage input cannot make a huge list.
pub const MAX_ISSUES: usize = 100;
const STMT_TEXT_CHARS: usize = 120;
const EXPR_TEXT_CHARS: usize = 200;

/// A parsed settings file: statements in source order plus what could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct Module {
    pub body: Vec<Stmt>,
    pub issues: Vec<Issue>,
}

/// Something the reader could not read, at a 1-based line.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    pub line: u32,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Stmt {
    /// `A = value`, `A = B = value`, `A: int = value`, `DATABASES['default'] = {...}`
    Assign { line: u32, targets: Vec<Expr>, value: Expr },
    /// `A += value` (op is "+=", "|=", ...)
    AugAssign { line: u32, target: Expr, op: String, value: Expr },
    /// A bare expression statement, e.g. `CSRF_TRUSTED_ORIGINS.append('x')`.
    Expr { line: u32, expr: Expr },
    /// `if`/`elif`/`else`: each branch has its condition (None for `else`) and its body.
    If { line: u32, branches: Vec<Branch> },
    /// `try:` ... : the try body, each except body, else body, finally body, in order, flattened as blocks.
    Try { line: u32, blocks: Vec<Vec<Stmt>> },
    /// import, from-import, def, class, for, while, with, pass, etc. Bodies of def/class/for/while/with
    /// are skipped (not parsed). `text` is the first line of the statement, trimmed, at most 120 chars.
    Other { line: u32, text: String },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Branch {
    pub line: u32,
    pub condition: Option<Expr>,
    pub body: Vec<Stmt>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub line: u32,
    pub kind: ExprKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// `value`: decoded text (for f-strings, the raw text between quotes).
    Str {
        value: String,
        is_fstring: bool,
    },
    /// Ints that overflow i64 become `Other`.
    Int(i64),
    Float(f64),
    Bool(bool),
    NoneLit,
    Name(String),
    /// `os.environ`
    Attribute {
        value: Box<Expr>,
        attr: String,
    },
    /// `os.environ['X']`, `DATABASES['default']`
    Subscript {
        value: Box<Expr>,
        index: Box<Expr>,
    },
    /// `os.environ.get('X', 'd')`, `env('X', default=...)`; `**kw` arguments appear as ("**", kw).
    Call {
        func: Box<Expr>,
        args: Vec<Expr>,
        kwargs: Vec<(String, Expr)>,
    },
    List(Vec<Expr>),
    Tuple(Vec<Expr>),
    Set(Vec<Expr>),
    /// `**other` entries become (Other("**"), value).
    Dict(Vec<(Expr, Expr)>),
    /// + - * / // % @ ** | ^ & << >> == != < > <= >= in, "not in", is, "is not", and, or.
    ///
    /// A chained comparison `a < b < c` becomes `(a < b) and (b < c)`.
    BinOp {
        left: Box<Expr>,
        op: String,
        right: Box<Expr>,
    },
    Not(Box<Expr>),
    /// `a if cond else b`
    IfExp {
        body: Box<Expr>,
        test: Box<Expr>,
        orelse: Box<Expr>,
    },
    /// Anything else (comprehensions, lambdas, starred, slices...): its source text, trimmed, at most 200 chars.
    Other(String),
}

impl Expr {
    /// The string value if this is a plain (non f-) string literal.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            ExprKind::Str { value, is_fstring: false } => Some(value),
            _ => None,
        }
    }

    /// Dotted name for Name/Attribute chains: `os.environ.get` -> Some("os.environ.get").
    pub fn dotted_name(&self) -> Option<String> {
        let mut parts = Vec::new();
        let mut current = self;
        loop {
            match &current.kind {
                ExprKind::Name(name) => {
                    parts.push(name.as_str());
                    break;
                }
                ExprKind::Attribute { value, attr } => {
                    parts.push(attr.as_str());
                    current = value;
                }
                _ => return None,
            }
        }
        parts.reverse();
        Some(parts.join("."))
    }
}

/// Parses a whole file. Never panics; `issues` lists what could not be read.
pub fn parse(source: &str) -> Module {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    // Python reads source with universal newlines; normalising once keeps every later step simple.
    let source: Cow<'_, str> = if source.contains('\r') {
        Cow::Owned(source.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(source)
    };
    let (lines, mut issues) = tokenize(&source);
    let mut reader = StmtReader { src: &source, lines: &lines, next: 0, issues: Vec::new() };
    let body = reader.read_block(0, 0);
    issues.append(&mut reader.issues);
    crate::order::sort_by_key(&mut issues, |issue| issue.line);
    issues.truncate(MAX_ISSUES);
    Module { body, issues }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The value last assigned to `target` (a dotted name) among `body`'s top-level statements.
    pub(super) fn value_of<'m>(body: &'m [Stmt], target: &str) -> Option<&'m Expr> {
        body.iter().rev().find_map(|stmt| match stmt {
            Stmt::Assign { targets, value, .. }
                if targets.iter().any(|t| t.dotted_name().as_deref() == Some(target)) =>
            {
                Some(value)
            }
            _ => None,
        })
    }

    pub(super) fn dict_get<'e>(expr: &'e Expr, key: &str) -> Option<&'e Expr> {
        match &expr.kind {
            ExprKind::Dict(entries) => entries.iter().find(|(k, _)| k.as_str() == Some(key)).map(|(_, v)| v),
            _ => None,
        }
    }

    pub(super) fn strings(expr: &Expr) -> Vec<&str> {
        match &expr.kind {
            ExprKind::List(items) | ExprKind::Tuple(items) | ExprKind::Set(items) => {
                items.iter().filter_map(Expr::as_str).collect()
            }
            _ => Vec::new(),
        }
    }

    pub(super) fn call_parts(expr: &Expr) -> (Option<String>, Vec<&str>) {
        match &expr.kind {
            ExprKind::Call { func, args, .. } => (func.dotted_name(), args.iter().filter_map(Expr::as_str).collect()),
            _ => (None, Vec::new()),
        }
    }

    pub(super) fn single_value(source: &str) -> Expr {
        let module = parse(source);
        match module.body.into_iter().next() {
            Some(Stmt::Assign { value, .. }) => value,
            other => panic!("expected an assignment in {source:?}, got {other:?}"),
        }
    }

    pub(super) fn height(expr: &Expr) -> usize {
        let children: Vec<&Expr> = match &expr.kind {
            ExprKind::Attribute { value, .. } | ExprKind::Not(value) => vec![value],
            ExprKind::Subscript { value, index } => vec![value, index],
            ExprKind::Call { func, args, kwargs } => {
                std::iter::once(&**func).chain(args).chain(kwargs.iter().map(|(_, v)| v)).collect()
            }
            ExprKind::List(items) | ExprKind::Tuple(items) | ExprKind::Set(items) => items.iter().collect(),
            ExprKind::Dict(entries) => entries.iter().flat_map(|(k, v)| [k, v]).collect(),
            ExprKind::BinOp { left, right, .. } => vec![left, right],
            ExprKind::IfExp { body, test, orelse } => vec![body, test, orelse],
            _ => Vec::new(),
        };
        1 + children.into_iter().map(height).max().unwrap_or(0)
    }

    /// Checks the bounds promised to callers, returning the deepest block nesting.
    pub(super) fn check_bounds(body: &[Stmt]) -> usize {
        let check = |e: &Expr| {
            assert!(height(e) <= MAX_HEIGHT);
            if let ExprKind::Other(text) = &e.kind {
                assert!(text.chars().count() <= EXPR_TEXT_CHARS);
            }
        };
        let mut deepest = 0;
        for stmt in body {
            let nested = match stmt {
                Stmt::Assign { targets, value, .. } => {
                    targets.iter().chain([value]).for_each(check);
                    0
                }
                Stmt::AugAssign { target, value, .. } => {
                    [target, value].into_iter().for_each(check);
                    0
                }
                Stmt::Expr { expr, .. } => {
                    check(expr);
                    0
                }
                Stmt::If { branches, .. } => {
                    branches.iter().filter_map(|b| b.condition.as_ref()).for_each(check);
                    1 + branches.iter().map(|b| check_bounds(&b.body)).max().unwrap_or(0)
                }
                Stmt::Try { blocks, .. } => 1 + blocks.iter().map(|b| check_bounds(b)).max().unwrap_or(0),
                Stmt::Other { text, .. } => {
                    assert!(text.chars().count() <= STMT_TEXT_CHARS && !text.contains('\n'));
                    0
                }
            };
            deepest = deepest.max(nested);
        }
        assert!(deepest <= MAX_DEPTH);
        deepest
    }

    pub(super) const STARTPROJECT: &str = r#""""
Django settings for mysite project.

Generated by 'django-admin startproject' using Django 4.2.
"""

from pathlib import Path
import os

# Build paths inside the project like this: BASE_DIR / 'subdir'.
BASE_DIR = Path(__file__).resolve().parent.parent

# SECURITY WARNING: keep the secret key used in production secret!
SECRET_KEY = 'django-insecure-7$x%q#9@k!z(^w)&_3=+b-v'  # not a comment inside

DEBUG = os.environ.get('DEBUG', 'False') == 'True'

ALLOWED_HOSTS = os.environ.get('ALLOWED_HOSTS', '*').split(',')

INSTALLED_APPS = [
    'django.contrib.admin',
    'django.contrib.auth',
    'polls.apps.PollsConfig',
]

TEMPLATES = [
    {
        'BACKEND': 'django.template.backends.django.DjangoTemplates',
        'DIRS': [],
        'APP_DIRS': True,
        'OPTIONS': {
            'context_processors': [
                'django.template.context_processors.debug',
            ],
        },
    },
]

DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.postgresql_psycopg2',
        'NAME': os.environ.get('POSTGRES_DB'),
        'USER': os.environ['POSTGRES_USER'],
        'HOST': os.getenv('POSTGRES_HOSTNAME', 'localhost'),
        'PORT': 5432,
    }
}

USE_TZ = True
STATIC_URL = 'static/'
STATIC_ROOT = BASE_DIR / 'static'
DEFAULT_AUTO_FIELD = 'django.db.models.BigAutoField'

CSRF_TRUSTED_ORIGINS = [
    'https://*.cloudshell.dev',
    'https://*.github.dev',
    'https://localhost:8000',
]
"#;

    #[test]
    fn reads_the_startproject_template() {
        let module = parse(STARTPROJECT);
        assert_eq!(module.issues, []);
        let body = &module.body;
        assert!(
            matches!(&body[0], Stmt::Expr { line: 1, expr } if expr.as_str().is_some_and(|s| s.contains("mysite")))
        );
        assert_eq!(body[1], Stmt::Other { line: 7, text: "from pathlib import Path".into() });
        let secret = value_of(body, "SECRET_KEY").and_then(Expr::as_str);
        assert_eq!(secret, Some("django-insecure-7$x%q#9@k!z(^w)&_3=+b-v"));
        let Some(ExprKind::Attribute { value, attr }) = value_of(body, "BASE_DIR").map(|e| &e.kind) else { panic!() };
        assert_eq!(attr, "parent");
        assert!(matches!(&value.kind, ExprKind::Attribute { attr, .. } if attr == "parent"));
        let Some(ExprKind::BinOp { left, op, right }) = value_of(body, "DEBUG").map(|e| &e.kind) else { panic!() };
        assert_eq!((op.as_str(), right.as_str()), ("==", Some("True")));
        assert_eq!(call_parts(left), (Some("os.environ.get".into()), vec!["DEBUG", "False"]));
        let hosts = value_of(body, "ALLOWED_HOSTS").unwrap();
        let ExprKind::Call { func, args, .. } = &hosts.kind else { panic!() };
        assert!(matches!(&func.kind, ExprKind::Attribute { attr, value } if attr == "split"
            && call_parts(value) == (Some("os.environ.get".into()), vec!["ALLOWED_HOSTS", "*"])));
        assert_eq!(args[0].as_str(), Some(","));
        assert_eq!(strings(value_of(body, "INSTALLED_APPS").unwrap()).len(), 3);
        let templates = value_of(body, "TEMPLATES").unwrap();
        let ExprKind::List(items) = &templates.kind else { panic!() };
        assert_eq!(dict_get(&items[0], "APP_DIRS").map(|e| &e.kind), Some(&ExprKind::Bool(true)));
        let default = value_of(body, "DATABASES").and_then(|d| dict_get(d, "default")).unwrap();
        assert_eq!(dict_get(default, "ENGINE").and_then(Expr::as_str), Some("django.db.backends.postgresql_psycopg2"));
        assert_eq!(
            call_parts(dict_get(default, "NAME").unwrap()),
            (Some("os.environ.get".into()), vec!["POSTGRES_DB"])
        );
        let Some(ExprKind::Subscript { value, index }) = dict_get(default, "USER").map(|e| &e.kind) else { panic!() };
        assert_eq!((value.dotted_name().as_deref(), index.as_str()), (Some("os.environ"), Some("POSTGRES_USER")));
        assert_eq!(call_parts(dict_get(default, "HOST").unwrap()).0.as_deref(), Some("os.getenv"));
        assert_eq!(dict_get(default, "PORT").map(|e| &e.kind), Some(&ExprKind::Int(5432)));
        assert_eq!(dict_get(default, "PORT").map(|e| e.line), Some(45));
        let Some(ExprKind::BinOp { op, right, .. }) = value_of(body, "STATIC_ROOT").map(|e| &e.kind) else { panic!() };
        assert_eq!((op.as_str(), right.as_str()), ("/", Some("static")));
        let origins = value_of(body, "CSRF_TRUSTED_ORIGINS").unwrap();
        assert_eq!(strings(origins), ["https://*.cloudshell.dev", "https://*.github.dev", "https://localhost:8000"]);
        let ExprKind::List(items) = &origins.kind else { panic!() };
        assert_eq!((origins.line, items.iter().map(|e| e.line).collect::<Vec<_>>()), (54, vec![55, 56, 57]));
    }

    #[test]
    fn survives_deep_and_long_inputs() {
        let unclosed = format!("A = 1\nX = {}", "[".repeat(10_000));
        let module = parse(&unclosed);
        assert_eq!(value_of(&module.body, "A").map(|e| e.kind.clone()), Some(ExprKind::Int(1)));
        assert!(module.issues.iter().any(|i| i.line == 2 && i.message == "'[' was never closed"));
        let inputs = [
            format!("X = {}{}", "[".repeat(10_000), "]".repeat(10_000)),
            format!("X = {}1{}", "(".repeat(10_000), ")".repeat(10_000)),
            format!("X = 1{}", " + 1".repeat(50_000)),
            format!("X = a{}", ".b".repeat(50_000)),
            format!("X = f{}", "()".repeat(50_000)),
            format!("X = {}x", "not ".repeat(50_000)),
            format!("X = {}x", "-".repeat(50_000)),
            format!("X = 2{}", "**2".repeat(50_000)),
            format!("X = a{}", " < a".repeat(20_000)),
            format!("X = a{}", " if b else a".repeat(20_000)),
            format!("X = {}", "{'k': ".repeat(5_000)),
            "\"".repeat(10_001),
        ];
        for input in &inputs {
            check_bounds(&parse(input).body);
        }
        let nested_ifs: String = (0..500).map(|depth| format!("{}if x:\n", " ".repeat(depth))).collect();
        let module = parse(&nested_ifs);
        assert_eq!(check_bounds(&module.body), MAX_DEPTH);
        assert!(module.issues.iter().any(|i| i.line == 65 && i.message == "blocks nested too deeply; skipped"));
        let garbage = parse(&"$".repeat(10_000));
        assert_eq!((garbage.issues.len(), garbage.issues[0].line), (MAX_ISSUES, 1));
        let long_line = parse(&format!("x = {}  # {}\n", "a".repeat(300), "c".repeat(300)));
        assert!(matches!(&long_line.body[0], Stmt::Assign { .. }));
        let Stmt::Other { text, .. } = &parse(&format!("import {}\n", "m".repeat(300))).body[0] else { panic!() };
        assert_eq!(text.len(), STMT_TEXT_CHARS);
    }

    #[test]
    fn reads_empty_and_blank_files() {
        assert_eq!(parse(""), Module { body: vec![], issues: vec![] });
        assert_eq!(parse("\u{feff}\n\n   \n# only a comment\n"), Module { body: vec![], issues: vec![] });
    }

    #[test]
    fn reads_a_megabyte_without_trouble() {
        let mut big = String::new();
        while big.len() < 1 << 20 {
            big.push_str(STARTPROJECT);
        }
        let module = parse(&big);
        assert!(module.issues.is_empty() && module.body.len() > 1000);
        check_bounds(&parse(&"[".repeat(1 << 20)).body);
        check_bounds(&parse(&"(a+".repeat(1 << 18)).body);
    }

    const PYTHONISH: [&str; 48] = [
        "A", "os", ".", "environ", "get", "(", ")", "[", "]", "{", "}", ",", ":", ";", "=", "+=", "==", "+", "-", "*",
        "**", "/", "not", "in", "is", "if", "else", "elif", "try", "except", "def", "lambda", "for", "'s'", "\"d\"",
        "'''", "f'{x}'", "r'\\'", "1", "0x1F", "1.5e3", "#c", "\n", "\n    ", "\t", " ", "\\\n", "\r\n",
    ];

    proptest! {
        #[test]
        fn never_panics_on_arbitrary_text(source in "\\PC*") {
            check_bounds(&parse(&source).body);
        }

        #[test]
        fn never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            check_bounds(&parse(&String::from_utf8_lossy(&bytes)).body);
        }

        #[test]
        fn never_panics_on_python_ish_tokens(tokens in proptest::collection::vec(proptest::sample::select(&PYTHONISH[..]), 0..300)) {
            let source = tokens.concat();
            let module = parse(&source);
            check_bounds(&module.body);
            let last_line = u32::try_from(source.matches('\n').count() + 1).unwrap_or(u32::MAX);
            prop_assert!(module.issues.iter().all(|issue| (1..=last_line).contains(&issue.line)));
        }
    }
}
