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

// ---------------------------------------------------------------------------------------------
// Tokenizer: source text to logical lines of tokens.

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    /// A name or keyword; its text is the token's span of the source.
    Name,
    /// A number; its text is the token's span of the source.
    Number,
    Str {
        value: String,
        is_fstring: bool,
    },
    Op(&'static str),
    /// Something the tokenizer could not read; it has already been reported as an issue.
    Error,
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    line: u32,
    start: usize,
    end: usize,
}

/// One logical line: physical lines joined by open brackets or backslashes.
#[derive(Debug)]
struct LogicalLine {
    indent: usize,
    line: u32,
    tokens: Vec<Token>,
    /// The tokenizer already reported a problem here, so the statement reader stays quiet about it.
    broken: bool,
}

/// Longest first, so that `**=` is not read as `**` then `=`.
const OPERATORS: [&str; 48] = [
    "**=", "//=", ">>=", "<<=", "...", "->", ":=", "**", "//", "<<", ">>", "<=", ">=", "==", "!=", "+=", "-=", "*=",
    "/=", "%=", "&=", "|=", "^=", "@=", "+", "-", "*", "/", "%", "@", "&", "|", "^", "~", "<", ">", "(", ")", "[", "]",
    "{", "}", ",", ":", ".", ";", "=", "!",
];
const AUG_OPS: [&str; 13] = ["+=", "-=", "*=", "/=", "//=", "%=", "@=", "&=", "|=", "^=", ">>=", "<<=", "**="];

fn is_open(op: &str) -> bool {
    matches!(op, "(" | "[" | "{")
}

fn is_close(op: &str) -> bool {
    matches!(op, ")" | "]" | "}")
}

struct Lexer<'s> {
    src: &'s str,
    bytes: &'s [u8],
    pos: usize,
    line: u32,
    issues: Vec<Issue>,
    broken: bool,
}

fn tokenize(src: &str) -> (Vec<LogicalLine>, Vec<Issue>) {
    let mut lx = Lexer { src, bytes: src.as_bytes(), pos: 0, line: 1, issues: Vec::new(), broken: false };
    let mut lines = Vec::new();
    let mut tokens: Vec<Token> = Vec::new();
    let mut brackets: Vec<(&'static str, u32)> = Vec::new();
    let mut indent = 0;
    let mut at_line_start = true;
    loop {
        if at_line_start {
            at_line_start = false;
            indent = lx.measure_indent();
        }
        let Some(byte) = lx.byte(0) else { break };
        let start = lx.pos;
        let line = lx.line;
        let tok = match byte {
            b'\n' => {
                lx.pos += 1;
                lx.line = lx.line.saturating_add(1);
                if brackets.is_empty() {
                    lx.finish_line(&mut lines, &mut tokens, indent);
                    at_line_start = true;
                }
                continue;
            }
            b' ' | b'\t' | b'\x0c' => {
                lx.pos += 1;
                continue;
            }
            b'#' => {
                lx.pos = lx.bytes.iter().skip(lx.pos).position(|&b| b == b'\n').map_or(lx.bytes.len(), |n| lx.pos + n);
                continue;
            }
            b'\\' if lx.byte(1) == Some(b'\n') => {
                lx.pos += 2;
                lx.line = lx.line.saturating_add(1);
                continue;
            }
            b'"' | b'\'' => lx.string(""),
            b'0'..=b'9' => lx.number(),
            b'.' if lx.byte(1).is_some_and(|b| b.is_ascii_digit()) => lx.number(),
            _ => match lx.char_at(lx.pos) {
                Some(c) if c == '_' || c.is_alphabetic() => lx.name_or_prefixed_string(),
                Some(c) if c.is_ascii() => lx.operator(),
                Some(c) => {
                    lx.pos += c.len_utf8();
                    lx.report(line, format!("unexpected character {c:?}"));
                    Tok::Error
                }
                None => break,
            },
        };
        if let Tok::Op(op) = tok {
            if is_open(op) {
                brackets.push((op, line));
            } else if is_close(op) {
                match brackets.pop() {
                    None => lx.report(line, format!("unmatched '{op}'")),
                    Some((open, open_line)) if !matches!((open, op), ("(", ")") | ("[", "]") | ("{", "}")) => {
                        lx.report(line, format!("closing '{op}' does not match '{open}' on line {open_line}"));
                    }
                    Some(_) => {}
                }
            }
        }
        tokens.push(Token { tok, line, start, end: lx.pos });
    }
    if let Some((open, line)) = brackets.first() {
        // Report the outermost bracket: that is where the swallowed statement starts.
        lx.report(*line, format!("'{open}' was never closed"));
    }
    lx.finish_line(&mut lines, &mut tokens, indent);
    (lines, lx.issues)
}

impl Lexer<'_> {
    fn byte(&self, ahead: usize) -> Option<u8> {
        self.bytes.get(self.pos.saturating_add(ahead)).copied()
    }

    fn char_at(&self, pos: usize) -> Option<char> {
        self.src.get(pos..)?.chars().next()
    }

    fn report(&mut self, line: u32, message: String) {
        push_issue(&mut self.issues, line, message);
        self.broken = true;
    }

    fn finish_line(&mut self, lines: &mut Vec<LogicalLine>, tokens: &mut Vec<Token>, indent: usize) {
        if let Some(first) = tokens.first() {
            let line = first.line;
            lines.push(LogicalLine { indent, line, tokens: std::mem::take(tokens), broken: self.broken });
        }
        self.broken = false;
    }

    /// Column of the first token; a tab goes to the next multiple of 8 and a form feed resets, as in CPython.
    fn measure_indent(&mut self) -> usize {
        let mut column = 0;
        while let Some(byte) = self.byte(0) {
            match byte {
                b' ' => column += 1,
                b'\t' => column = (column / 8 + 1) * 8,
                b'\x0c' => column = 0,
                _ => break,
            }
            self.pos += 1;
        }
        column
    }

    fn name_or_prefixed_string(&mut self) -> Tok {
        let start = self.pos;
        let mut end = start;
        while let Some(c) = self.char_at(end).filter(|&c| c == '_' || c.is_alphanumeric()) {
            end += c.len_utf8();
        }
        let word = self.src.get(start..end).unwrap_or("");
        self.pos = end;
        let is_prefix = matches!(word.to_ascii_lowercase().as_str(), "r" | "u" | "b" | "f" | "br" | "rb" | "fr" | "rf");
        if is_prefix && matches!(self.byte(0), Some(b'"' | b'\'')) { self.string(word) } else { Tok::Name }
    }

    /// Reads a number greedily (digits, letters, `_`, `.` and an exponent's sign); `number_kind` judges the text.
    fn number(&mut self) -> Tok {
        let radix = self.byte(0) == Some(b'0') && matches!(self.byte(1), Some(b'x' | b'X' | b'o' | b'O' | b'b' | b'B'));
        let mut previous = 0u8;
        while let Some(byte) = self.byte(0) {
            let exponent_sign = !radix && matches!(byte, b'+' | b'-') && matches!(previous, b'e' | b'E');
            if !(byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'.' || exponent_sign) {
                break;
            }
            previous = byte;
            self.pos += 1;
        }
        Tok::Number
    }

    fn operator(&mut self) -> Tok {
        let rest = self.src.get(self.pos..).unwrap_or("");
        match OPERATORS.iter().find(|op| rest.starts_with(**op)) {
            // `!` alone is not Python outside f-strings.
            Some(&op) if op != "!" => {
                self.pos += op.len();
                Tok::Op(op)
            }
            _ => {
                let c = self.char_at(self.pos).unwrap_or('?');
                self.pos += c.len_utf8().max(1);
                self.report(self.line, format!("unexpected character {c:?}"));
                Tok::Error
            }
        }
    }

    /// Reads a string literal whose prefix (possibly empty) has been consumed; `pos` is at the quote.
    fn string(&mut self, prefix: &str) -> Tok {
        let lower = prefix.to_ascii_lowercase();
        let (raw, fstring, bytes_literal) = (lower.contains('r'), lower.contains('f'), lower.contains('b'));
        let start_line = self.line;
        let quote = self.byte(0).unwrap_or(b'"');
        let triple = self.byte(1) == Some(quote) && self.byte(2) == Some(quote);
        let quote_len = if triple { 3 } else { 1 };
        self.pos += quote_len;
        let content_start = self.pos;
        // Depth of `{...}` replacement fields, inside which an f-string may hold other strings (PEP 701).
        let mut fields = 0usize;
        loop {
            let Some(byte) = self.byte(0) else {
                let what = if triple {
                    "unterminated triple-quoted string starting here"
                } else {
                    "unterminated string starting here"
                };
                self.report(start_line, what.to_string());
                return Tok::Error;
            };
            match byte {
                b'\\' => {
                    if self.byte(1) == Some(b'\n') {
                        self.line = self.line.saturating_add(1);
                    }
                    self.pos = (self.pos + 2).min(self.bytes.len());
                }
                b'\n' if !triple => {
                    self.report(start_line, "unterminated string starting here".to_string());
                    return Tok::Error;
                }
                b'\n' => {
                    self.line = self.line.saturating_add(1);
                    self.pos += 1;
                }
                _ if byte == quote
                    && fields == 0
                    && (!triple || (self.byte(1) == Some(quote) && self.byte(2) == Some(quote))) =>
                {
                    let content = self.src.get(content_start..self.pos).unwrap_or("");
                    self.pos += quote_len;
                    let value =
                        if raw || fstring { content.to_string() } else { decode_escapes(content, bytes_literal) };
                    return Tok::Str { value, is_fstring: fstring };
                }
                b'{' if fstring => {
                    if fields == 0 && self.byte(1) == Some(b'{') {
                        self.pos += 1;
                    } else {
                        fields += 1;
                    }
                    self.pos += 1;
                }
                b'}' if fstring => {
                    if fields == 0 && self.byte(1) == Some(b'}') {
                        self.pos += 1;
                    }
                    fields = fields.saturating_sub(1);
                    self.pos += 1;
                }
                b'"' | b'\'' if fstring && fields > 0 => {
                    // A string nested in a replacement field: skip to its end on this line.
                    self.pos += 1;
                    while let Some(inner) = self.byte(0).filter(|&b| b != b'\n') {
                        self.pos += 1;
                        if inner == byte {
                            break;
                        }
                    }
                }
                _ => self.pos += 1,
            }
        }
    }
}

/// Decodes the escapes of a non-raw literal. Unknown or malformed escapes are kept as written.
fn decode_escapes(content: &str, bytes_literal: bool) -> String {
    let mut out = String::with_capacity(content.len());
    let mut chars = content.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(escape) = chars.next() else {
            out.push('\\');
            break;
        };
        let hex_len = match escape {
            'x' => 2,
            'u' if !bytes_literal => 4,
            'U' if !bytes_literal => 8,
            _ => 0,
        };
        let decoded = match escape {
            '\n' => continue,
            'n' => '\n',
            't' => '\t',
            'r' => '\r',
            'a' => '\x07',
            'b' => '\x08',
            'f' => '\x0c',
            'v' => '\x0b',
            '\\' | '\'' | '"' => escape,
            '0'..='7' => {
                // Up to three octal digits.
                let mut code = escape.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match chars.clone().next().and_then(|d| d.to_digit(8)) {
                        Some(digit) => code = code * 8 + digit,
                        None => break,
                    }
                    chars.next();
                }
                char::from_u32(code).unwrap_or('\u{fffd}')
            }
            _ if hex_len > 0 => {
                let digits: String = chars.clone().take(hex_len).take_while(char::is_ascii_hexdigit).collect();
                match u32::from_str_radix(&digits, 16).ok().filter(|_| digits.len() == hex_len) {
                    Some(code) => {
                        chars.nth(hex_len - 1);
                        char::from_u32(code).unwrap_or('\u{fffd}')
                    }
                    None => {
                        out.push('\\');
                        escape
                    }
                }
            }
            _ => {
                out.push('\\');
                escape
            }
        };
        out.push(decoded);
    }
    out
}

fn number_kind(text: &str) -> ExprKind {
    let clean: String = text.chars().filter(|&c| c != '_').collect::<String>().to_ascii_lowercase();
    let radix_digits =
        [("0x", 16), ("0o", 8), ("0b", 2)].into_iter().find_map(|(p, r)| Some((clean.strip_prefix(p)?, r)));
    let kind = if let Some((digits, radix)) = radix_digits {
        i64::from_str_radix(digits, radix).ok().map(ExprKind::Int)
    } else if clean.ends_with('j') {
        None
    } else if clean.contains(['.', 'e']) {
        clean.parse::<f64>().ok().map(ExprKind::Float)
    } else {
        clean.parse::<i64>().ok().map(ExprKind::Int)
    };
    kind.unwrap_or_else(|| ExprKind::Other(text.to_string()))
}

// ---------------------------------------------------------------------------------------------
// Text helpers.

/// Trims `text`, keeps at most `max_chars` characters and, if asked, only its first line.
fn clip(text: &str, max_chars: usize, first_line_only: bool) -> String {
    let text = text.trim_start();
    let end = text
        .char_indices()
        .enumerate()
        .find(|&(count, (_, c))| count == max_chars || (first_line_only && c == '\n'))
        .map_or(text.len(), |(_, (index, _))| index);
    text.get(..end).unwrap_or("").trim_end().to_string()
}

fn push_issue(issues: &mut Vec<Issue>, line: u32, message: String) {
    if issues.len() < MAX_ISSUES {
        issues.push(Issue { line, message });
    }
}

/// The source text covered by `toks`.
fn span_text(src: &str, toks: &[Token], max_chars: usize) -> String {
    match (toks.first(), toks.last()) {
        (Some(first), Some(last)) => clip(src.get(first.start..last.end).unwrap_or(""), max_chars, false),
        _ => String::new(),
    }
}

/// The first physical line of a statement, for `Stmt::Other`.
fn first_line_text(src: &str, toks: &[Token]) -> String {
    let Some(first) = toks.first() else { return String::new() };
    let end = toks.iter().take_while(|t| t.line == first.line).map(|t| t.end).last().unwrap_or(first.end);
    clip(src.get(first.start..end).unwrap_or(""), STMT_TEXT_CHARS, true)
}

/// Index of the first `op` outside brackets, from `from` on.
fn find_top_level(toks: &[Token], from: usize, wanted: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (index, token) in toks.iter().enumerate().skip(from) {
        if let Tok::Op(op) = token.tok {
            if op == wanted && depth == 0 {
                return Some(index);
            }
            if is_open(op) {
                depth += 1;
            } else if is_close(op) {
                depth = depth.saturating_sub(1);
            }
        }
    }
    None
}

const HARD_KEYWORDS: [&str; 35] = [
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
    "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
    "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
];
const EXPR_KEYWORDS: [&str; 5] = ["True", "False", "None", "not", "lambda"];
/// Compound statements whose body is skipped; clause keywords are here for when they have no `if`/`try`.
const SKIPPED_COMPOUNDS: [&str; 10] =
    ["def", "class", "for", "while", "with", "async", "elif", "else", "except", "finally"];

// ---------------------------------------------------------------------------------------------
// Statements: logical lines to `Stmt`s, following indentation.

struct StmtReader<'a> {
    src: &'a str,
    lines: &'a [LogicalLine],
    next: usize,
    issues: Vec<Issue>,
}

impl<'a> StmtReader<'a> {
    fn issue(&mut self, line: u32, message: &str) {
        push_issue(&mut self.issues, line, message.to_string());
    }

    fn peek_line(&self) -> Option<&'a LogicalLine> {
        let lines = self.lines;
        lines.get(self.next)
    }

    fn keyword(&self, line: &'a LogicalLine) -> Option<&'a str> {
        let src = self.src;
        line.tokens.first().filter(|t| t.tok == Tok::Name).and_then(|t| src.get(t.start..t.end))
    }

    /// Reads statements while lines are indented at least `indent`.
    fn read_block(&mut self, indent: usize, depth: usize) -> Vec<Stmt> {
        let mut body = Vec::new();
        let mut previous_indent = indent;
        while let Some(line) = self.peek_line().filter(|line| line.indent >= indent) {
            if line.indent > indent && line.indent != previous_indent {
                // Python would refuse the file; read the lines anyway so their assignments are seen.
                self.issue(line.line, "unexpected indent");
            }
            previous_indent = line.indent;
            self.next += 1;
            self.read_statement(line, depth, &mut body);
        }
        body
    }

    fn read_statement(&mut self, line: &'a LogicalLine, depth: usize, out: &mut Vec<Stmt>) {
        let ends_with_colon = line.tokens.last().is_some_and(|t| t.tok == Tok::Op(":"));
        let stmt = match self.keyword(line) {
            Some("if" | "try") if depth >= MAX_DEPTH => {
                self.issue(line.line, "blocks nested too deeply; skipped");
                self.skip_body(line.indent);
                Stmt::Other { line: line.line, text: first_line_text(self.src, &line.tokens) }
            }
            Some("if") => Stmt::If { line: line.line, branches: self.read_clauses(line, depth, &["elif", "else"]) },
            Some("try") => {
                let clauses = self.read_clauses(line, depth, &["except", "else", "finally"]);
                Stmt::Try { line: line.line, blocks: clauses.into_iter().map(|clause| clause.body).collect() }
            }
            Some(word)
                if SKIPPED_COMPOUNDS.contains(&word) || (matches!(word, "match" | "case") && ends_with_colon) =>
            {
                self.skip_body(line.indent);
                Stmt::Other { line: line.line, text: first_line_text(self.src, &line.tokens) }
            }
            _ => return out.extend(self.read_simple_statements(&line.tokens, line.broken)),
        };
        out.push(stmt);
    }

    fn skip_body(&mut self, indent: usize) {
        while self.peek_line().is_some_and(|line| line.indent > indent) {
            self.next += 1;
        }
    }

    /// Reads `;`-separated simple statements.
    fn read_simple_statements(&mut self, toks: &'a [Token], broken: bool) -> Vec<Stmt> {
        let mut statements = Vec::new();
        let mut rest = toks;
        while !rest.is_empty() {
            let end = find_top_level(rest, 0, ";").unwrap_or(rest.len());
            let segment = rest.get(..end).unwrap_or(&[]);
            if !segment.is_empty() {
                statements.push(self.read_simple(segment, broken));
            }
            rest = rest.get(end + 1..).unwrap_or(&[]);
        }
        statements
    }

    fn read_simple(&mut self, segment: &'a [Token], broken: bool) -> Stmt {
        let mut reader = ExprReader::new(self.src, segment, 0);
        let result = reader.statement();
        self.issues.append(&mut reader.issues);
        result.unwrap_or_else(|Unreadable| {
            let line = segment.first().map_or(0, |t| t.line);
            if !broken && !segment.iter().any(|t| t.tok == Tok::Error) {
                self.issue(line, "could not read this statement");
            }
            Stmt::Other { line, text: first_line_text(self.src, segment) }
        })
    }

    /// Reads an `if` or `try` and the clauses (`followers`) that come after it at the same indent.
    fn read_clauses(&mut self, first: &'a LogicalLine, depth: usize, followers: &[&str]) -> Vec<Branch> {
        let mut clauses = Vec::new();
        let mut header = first;
        loop {
            let (condition, inline) = self.read_header(header, matches!(self.keyword(header), Some("if" | "elif")));
            let body = self.read_clause_body(header, inline, depth);
            clauses.push(Branch { line: header.line, condition, body });
            match self.peek_clause(first.indent, followers) {
                Some(next) => header = next,
                None => return clauses,
            }
        }
    }

    /// Consumes and returns the next line if it is one of `words` at `indent` (an `elif`, `except`...).
    fn peek_clause(&mut self, indent: usize, words: &[&str]) -> Option<&'a LogicalLine> {
        let line = self.peek_line().filter(|line| line.indent == indent)?;
        let word = self.keyword(line)?;
        words.contains(&word).then(|| {
            self.next += 1;
            line
        })
    }

    /// Reads a clause header: its condition (if it takes one) and the statements after its colon on the same line.
    fn read_header(&mut self, header: &'a LogicalLine, with_condition: bool) -> (Option<Expr>, Option<&'a [Token]>) {
        let toks: &'a [Token] = &header.tokens;
        let mut condition = None;
        let mut colon = None;
        if with_condition {
            let mut reader = ExprReader::new(self.src, toks, 1);
            if let Ok(node) = reader.test() {
                if reader.at(":") {
                    colon = Some(reader.pos);
                    condition = Some(node.expr);
                } else if reader.peek().is_none() {
                    condition = Some(node.expr);
                }
            }
            self.issues.append(&mut reader.issues);
        }
        let colon = colon.or_else(|| find_top_level(toks, 1, ":"));
        if with_condition && condition.is_none() {
            let text_toks = toks.get(1..colon.unwrap_or(toks.len())).unwrap_or(&[]);
            let line = text_toks.first().map_or(header.line, |t| t.line);
            condition = Some(Expr { line, kind: ExprKind::Other(span_text(self.src, text_toks, EXPR_TEXT_CHARS)) });
            if !header.broken {
                self.issue(header.line, "could not read this condition");
            }
        }
        if colon.is_none() && !header.broken {
            self.issue(header.line, "expected ':'");
        }
        let inline = colon.and_then(|c| toks.get(c + 1..)).filter(|rest| !rest.is_empty());
        (condition, inline)
    }

    fn read_clause_body(&mut self, header: &'a LogicalLine, inline: Option<&'a [Token]>, depth: usize) -> Vec<Stmt> {
        if let Some(toks) = inline {
            return self.read_simple_statements(toks, header.broken);
        }
        match self.peek_line().filter(|line| line.indent > header.indent) {
            Some(line) => self.read_block(line.indent, depth + 1),
            None => {
                self.issue(header.line, "expected an indented block");
                Vec::new()
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Expressions: one statement's tokens to `Expr`s, by precedence climbing.

/// The tokens could not be read as the construct asked for.
struct Unreadable;
type Parsed<T> = Result<T, Unreadable>;
type Keyword = (String, Expr);

/// An expression with the height of its tree, so that no tree taller than `MAX_HEIGHT` is built.
struct Node {
    expr: Expr,
    height: usize,
}

/// Precedence of `not`, of comparisons and of `|`, the loosest operator allowed after `*` and `**`.
const NOT: u8 = 3;
const COMPARISON: u8 = 4;
const BITWISE_OR: u8 = 5;

struct ExprReader<'a> {
    src: &'a str,
    toks: &'a [Token],
    pos: usize,
    depth: usize,
    issues: Vec<Issue>,
    reported_too_deep: bool,
}

impl<'a> ExprReader<'a> {
    fn new(src: &'a str, toks: &'a [Token], pos: usize) -> Self {
        ExprReader { src, toks, pos, depth: 0, issues: Vec::new(), reported_too_deep: false }
    }

    fn peek(&self) -> Option<&'a Token> {
        self.toks.get(self.pos)
    }

    fn peek_op(&self) -> Option<&'static str> {
        match self.peek()?.tok {
            Tok::Op(op) => Some(op),
            _ => None,
        }
    }

    fn name_at(&self, index: usize) -> Option<&'a str> {
        let token = self.toks.get(index).filter(|t| t.tok == Tok::Name)?;
        self.src.get(token.start..token.end)
    }

    /// Whether the next token is the name or operator `text`.
    fn at(&self, text: &str) -> bool {
        let token = self.peek().filter(|t| matches!(t.tok, Tok::Name | Tok::Op(_)));
        token.and_then(|t| self.src.get(t.start..t.end)) == Some(text)
    }

    fn eat(&mut self, text: &str) -> bool {
        let found = self.at(text);
        self.pos += usize::from(found);
        found
    }

    fn require(&mut self, text: &str) -> Parsed<()> {
        if self.eat(text) { Ok(()) } else { Err(Unreadable) }
    }

    fn line_at(&self, index: usize) -> u32 {
        self.toks.get(index).or(self.toks.last()).map_or(0, |t| t.line)
    }

    fn leaf(&self, start: usize, kind: ExprKind) -> Node {
        Node { expr: Expr { line: self.line_at(start), kind }, height: 1 }
    }

    /// The source text from token `start` to the last one read, as an `Other` leaf.
    fn other_since(&self, start: usize) -> Node {
        let toks = self.toks.get(start..self.pos).unwrap_or(&[]);
        self.leaf(start, ExprKind::Other(span_text(self.src, toks, EXPR_TEXT_CHARS)))
    }

    /// A node over children whose tallest is `child_height`, collapsed to text if it would be too tall.
    fn branch(&mut self, start: usize, kind: ExprKind, child_height: usize) -> Node {
        if child_height >= MAX_HEIGHT {
            self.note_too_deep(start);
            return self.other_since(start);
        }
        Node { expr: Expr { line: self.line_at(start), kind }, height: child_height + 1 }
    }

    fn binop(&mut self, start: usize, left: Node, op: &str, right: Node) -> Node {
        let height = left.height.max(right.height);
        let kind = ExprKind::BinOp { left: Box::new(left.expr), op: op.to_string(), right: Box::new(right.expr) };
        self.branch(start, kind, height)
    }

    fn collection(&mut self, start: usize, items: Vec<Node>, make: fn(Vec<Expr>) -> ExprKind) -> Node {
        let height = items.iter().map(|n| n.height).max().unwrap_or(0);
        self.branch(start, make(items.into_iter().map(|n| n.expr).collect()), height)
    }

    fn note_too_deep(&mut self, at: usize) {
        if !self.reported_too_deep {
            self.reported_too_deep = true;
            let line = self.line_at(at);
            push_issue(&mut self.issues, line, "expression nested too deeply; read as text".into());
        }
    }

    /// Moves to the next `stops` operator or unmatched closing bracket outside brackets (not consumed).
    fn skip_until(&mut self, stops: &[&str]) {
        let mut depth = 0usize;
        while let Some(token) = self.peek() {
            if let Tok::Op(op) = token.tok {
                if depth == 0 && (stops.contains(&op) || is_close(op)) {
                    return;
                }
                if is_open(op) {
                    depth += 1;
                } else if is_close(op) {
                    depth = depth.saturating_sub(1);
                }
            }
            self.pos += 1;
        }
    }

    /// Runs a parse step one level deeper; past `MAX_DEPTH` the expression is read as text instead.
    fn nested(&mut self, step: impl FnOnce(&mut Self) -> Parsed<Node>) -> Parsed<Node> {
        if self.depth >= MAX_DEPTH {
            let start = self.pos;
            self.note_too_deep(start);
            self.skip_until(&[",", ":", "=", ";"]);
            return if self.pos == start { Err(Unreadable) } else { Ok(self.other_since(start)) };
        }
        self.depth += 1;
        let result = step(self);
        self.depth -= 1;
        result
    }

    /// A simple statement: assignment, augmented assignment, expression, or a keyword statement kept as text.
    fn statement(&mut self) -> Parsed<Stmt> {
        let first = self.peek().ok_or(Unreadable)?;
        let line = first.line;
        // Keyword statements (import, pass, del...) are kept as text; `not` and `lambda` start expressions.
        let keyword = self.name_at(self.pos).is_some_and(|w| HARD_KEYWORDS.contains(&w) && !EXPR_KEYWORDS.contains(&w));
        let type_alias = self.at("type") && self.name_at(self.pos + 1).is_some();
        if keyword || type_alias || first.tok == Tok::Op("@") {
            return Ok(Stmt::Other { line, text: first_line_text(self.src, self.toks) });
        }
        let target = self.testlist()?;
        let statement = if self.eat("=") {
            let mut targets = vec![target.expr];
            let mut value = self.testlist()?;
            while self.eat("=") {
                targets.push(value.expr);
                value = self.testlist()?;
            }
            Stmt::Assign { line, targets, value: value.expr }
        } else if self.eat(":") {
            self.test()?; // the annotation itself is not kept
            if !self.eat("=") {
                return Ok(Stmt::Other { line, text: first_line_text(self.src, self.toks) });
            }
            Stmt::Assign { line, targets: vec![target.expr], value: self.testlist()?.expr }
        } else if let Some(op) = self.peek_op().filter(|op| AUG_OPS.contains(op)) {
            self.pos += 1;
            Stmt::AugAssign { line, target: target.expr, op: op.to_string(), value: self.testlist()?.expr }
        } else {
            Stmt::Expr { line, expr: target.expr }
        };
        if self.peek().is_some() { Err(Unreadable) } else { Ok(statement) }
    }

    /// `a`, or `a, b, ...` as a tuple (a trailing comma allowed).
    fn testlist(&mut self) -> Parsed<Node> {
        let start = self.pos;
        let first = self.element()?;
        if !self.at(",") {
            return Ok(first);
        }
        let mut items = vec![first];
        while self.eat(",") {
            let at_end = match self.peek_op() {
                Some(op) => op == "=" || op == ":" || AUG_OPS.contains(&op),
                None => self.peek().is_none(),
            };
            if at_end {
                break;
            }
            items.push(self.element()?);
        }
        Ok(self.collection(start, items, ExprKind::Tuple))
    }

    /// An expression, or `*expr` (kept as text).
    fn element(&mut self) -> Parsed<Node> {
        if !self.at("*") {
            return self.test();
        }
        let start = self.pos;
        self.pos += 1;
        self.binary(BITWISE_OR)?;
        Ok(self.other_since(start))
    }

    fn test(&mut self) -> Parsed<Node> {
        self.nested(Self::test_inner)
    }

    fn test_inner(&mut self) -> Parsed<Node> {
        let start = self.pos;
        if self.eat("lambda") {
            self.skip_until(&[":"]);
            self.require(":")?;
            self.test()?;
            return Ok(self.other_since(start));
        }
        let body = self.binary(1)?;
        if self.eat(":=") {
            self.test()?;
            return Ok(self.other_since(start));
        }
        if !self.eat("if") {
            return Ok(body);
        }
        let test = self.binary(1)?;
        if !self.eat("else") {
            return Err(Unreadable);
        }
        let orelse = self.test()?;
        let height = body.height.max(test.height).max(orelse.height);
        let kind =
            ExprKind::IfExp { body: Box::new(body.expr), test: Box::new(test.expr), orelse: Box::new(orelse.expr) };
        Ok(self.branch(start, kind, height))
    }

    /// The binary operator at the cursor: its text, precedence (higher binds tighter) and length in tokens.
    fn binary_op(&self) -> Option<(&'static str, u8, usize)> {
        Some(match self.peek_op() {
            Some(op @ ("<" | ">" | "==" | ">=" | "<=" | "!=")) => (op, COMPARISON, 1),
            Some(op @ "|") => (op, 5, 1),
            Some(op @ "^") => (op, 6, 1),
            Some(op @ "&") => (op, 7, 1),
            Some(op @ ("<<" | ">>")) => (op, 8, 1),
            Some(op @ ("+" | "-")) => (op, 9, 1),
            Some(op @ ("*" | "/" | "//" | "%" | "@")) => (op, 10, 1),
            Some(_) => return None,
            None => match self.name_at(self.pos)? {
                "or" => ("or", 1, 1),
                "and" => ("and", 2, 1),
                "in" => ("in", COMPARISON, 1),
                "not" if self.name_at(self.pos + 1) == Some("in") => ("not in", COMPARISON, 2),
                "is" if self.name_at(self.pos + 1) == Some("not") => ("is not", COMPARISON, 2),
                "is" => ("is", COMPARISON, 1),
                _ => return None,
            },
        })
    }

    /// Boolean, comparison and arithmetic operators of at least `min_precedence`, by precedence climbing.
    /// `not` sits between `and` and comparisons; a chain `a < b < c` is read as `(a < b) and (b < c)`,
    /// as Python evaluates it.
    fn binary(&mut self, min_precedence: u8) -> Parsed<Node> {
        let start = self.pos;
        let mut left = if min_precedence <= NOT && self.at("not") {
            self.nested(|reader| {
                reader.pos += 1;
                let operand = reader.binary(NOT)?;
                Ok(reader.branch(start, ExprKind::Not(Box::new(operand.expr)), operand.height))
            })?
        } else {
            self.unary()?
        };
        // The right operand of the last comparison, kept only while the chain goes on.
        let mut chained: Option<(usize, Node)> = None;
        while let Some((op, precedence, len)) = self.binary_op().filter(|&(_, p, _)| p >= min_precedence) {
            self.pos += len;
            let right_start = self.pos;
            let right = self.binary(precedence + 1)?;
            let continues = precedence == COMPARISON && self.binary_op().is_some_and(|(_, p, _)| p == COMPARISON);
            let kept = continues.then(|| Node { expr: right.expr.clone(), height: right.height });
            left = match chained.take() {
                Some((middle_start, middle)) => {
                    let pair = self.binop(middle_start, middle, op, right);
                    self.binop(start, left, "and", pair)
                }
                None => self.binop(start, left, op, right),
            };
            chained = kept.map(|node| (right_start, node));
        }
        Ok(left)
    }

    /// Unary `-`/`+` on a number literal folds into it; anything else unary is kept as text.
    fn unary(&mut self) -> Parsed<Node> {
        if !matches!(self.peek_op(), Some("-" | "+" | "~")) {
            return self.power();
        }
        self.nested(|reader| {
            let start = reader.pos;
            let op = reader.peek_op();
            reader.pos += 1;
            let operand = reader.unary()?;
            let folded = match (op, operand.expr.kind) {
                (Some("-"), ExprKind::Int(n)) => n.checked_neg().map(ExprKind::Int),
                (Some("-"), ExprKind::Float(f)) => Some(ExprKind::Float(-f)),
                (Some("+"), kind @ (ExprKind::Int(_) | ExprKind::Float(_))) => Some(kind),
                _ => None,
            };
            Ok(match folded {
                Some(kind) => reader.leaf(start, kind),
                None => reader.other_since(start),
            })
        })
    }

    fn power(&mut self) -> Parsed<Node> {
        let start = self.pos;
        let base = self.primary()?;
        if !self.eat("**") {
            return Ok(base);
        }
        // `**` is right-associative, so count its nesting like brackets.
        let exponent = self.nested(Self::unary)?;
        Ok(self.binop(start, base, "**", exponent))
    }

    /// An atom followed by `.name`, `(args)` and `[index]` trailers.
    fn primary(&mut self) -> Parsed<Node> {
        let start = self.pos;
        let mut node = self.atom()?;
        loop {
            match self.peek_op() {
                Some(".") => {
                    let attr = self.name_at(self.pos + 1).ok_or(Unreadable)?.to_string();
                    self.pos += 2;
                    node = self.branch(start, ExprKind::Attribute { value: Box::new(node.expr), attr }, node.height);
                }
                Some("(") => {
                    self.pos += 1;
                    let (args, kwargs, height) = self.call_args()?;
                    let kind = ExprKind::Call { func: Box::new(node.expr), args, kwargs };
                    node = self.branch(start, kind, height.max(node.height));
                }
                Some("[") => {
                    self.pos += 1;
                    let index = self.subscript()?;
                    let kind = ExprKind::Subscript { value: Box::new(node.expr), index: Box::new(index.expr) };
                    node = self.branch(start, kind, index.height.max(node.height));
                }
                _ => return Ok(node),
            }
        }
    }

    /// Call arguments after `(`, through `)`: positional, `name=value`, `*args` (as text) and `**kwargs`.
    fn call_args(&mut self) -> Parsed<(Vec<Expr>, Vec<Keyword>, usize)> {
        let (mut args, mut kwargs, mut height) = (Vec::new(), Vec::new(), 0);
        while !self.eat(")") {
            let start = self.pos;
            let keyword =
                self.name_at(self.pos).filter(|_| self.toks.get(self.pos + 1).is_some_and(|t| t.tok == Tok::Op("=")));
            if self.eat("**") {
                let value = self.test()?;
                height = height.max(value.height);
                kwargs.push(("**".to_string(), value.expr));
            } else if let Some(name) = keyword {
                self.pos += 2;
                let value = self.test()?;
                height = height.max(value.height);
                kwargs.push((name.to_string(), value.expr));
            } else {
                let mut arg = self.element()?;
                if self.at_comprehension() {
                    self.skip_until(&[]);
                    arg = self.other_since(start);
                }
                height = height.max(arg.height);
                args.push(arg.expr);
            }
            if !self.eat(",") {
                self.require(")")?;
                break;
            }
        }
        Ok((args, kwargs, height))
    }

    /// The index after `[`, through `]`; slices are kept as text and `a[x, y]` gives a tuple.
    fn subscript(&mut self) -> Parsed<Node> {
        let start = self.pos;
        let mut items = Vec::new();
        let mut saw_comma = false;
        loop {
            let item_start = self.pos;
            let mut item = if self.at(":") { None } else { Some(self.element()?) };
            if self.at(":") {
                self.skip_until(&[","]);
                item = Some(self.other_since(item_start));
            }
            items.extend(item);
            if self.eat("]") {
                break;
            }
            self.require(",")?;
            saw_comma = true;
            if self.eat("]") {
                break;
            }
        }
        match items.pop() {
            Some(only) if items.is_empty() && !saw_comma => Ok(only),
            Some(last) => {
                items.push(last);
                Ok(self.collection(start, items, ExprKind::Tuple))
            }
            None => Err(Unreadable),
        }
    }

    fn at_comprehension(&self) -> bool {
        self.at("for") || (self.at("async") && self.name_at(self.pos + 1) == Some("for"))
    }

    /// Skips a comprehension's `for ...` clauses through the closing bracket; the whole is kept as text.
    fn finish_comprehension(&mut self, start: usize, close: &str) -> Parsed<Node> {
        self.skip_until(&[]);
        self.require(close)?;
        Ok(self.other_since(start))
    }

    fn atom(&mut self) -> Parsed<Node> {
        let token = self.peek().ok_or(Unreadable)?;
        let start = self.pos;
        match &token.tok {
            Tok::Name => {
                let word = self.name_at(start).ok_or(Unreadable)?;
                let kind = match word {
                    "True" => ExprKind::Bool(true),
                    "False" => ExprKind::Bool(false),
                    "None" => ExprKind::NoneLit,
                    _ if HARD_KEYWORDS.contains(&word) => return Err(Unreadable),
                    _ => ExprKind::Name(word.to_string()),
                };
                self.pos += 1;
                Ok(self.leaf(start, kind))
            }
            Tok::Number => {
                self.pos += 1;
                Ok(self.leaf(start, number_kind(self.src.get(token.start..token.end).unwrap_or(""))))
            }
            Tok::Str { .. } => {
                // Adjacent literals concatenate: 'a' 'b' is 'ab'.
                let (mut value, mut any_fstring) = (String::new(), false);
                while let Some(Tok::Str { value: part, is_fstring }) = self.peek().map(|t| &t.tok) {
                    value.push_str(part);
                    any_fstring |= *is_fstring;
                    self.pos += 1;
                }
                Ok(self.leaf(start, ExprKind::Str { value, is_fstring: any_fstring }))
            }
            Tok::Op("(") => self.sequence(")", ExprKind::Tuple),
            Tok::Op("[") => self.sequence("]", ExprKind::List),
            Tok::Op("{") => self.brace(),
            Tok::Op("...") => {
                self.pos += 1;
                Ok(self.other_since(start))
            }
            _ => Err(Unreadable),
        }
    }

    /// `(...)` or `[...]`: a parenthesised expression, a tuple or list, or a comprehension (kept as text).
    fn sequence(&mut self, close: &str, make: fn(Vec<Expr>) -> ExprKind) -> Parsed<Node> {
        let start = self.pos;
        self.pos += 1;
        if self.eat(close) {
            return Ok(self.leaf(start, make(Vec::new())));
        }
        let first = self.element()?;
        if self.at_comprehension() {
            return self.finish_comprehension(start, close);
        }
        if close == ")" && self.eat(")") {
            // A parenthesised expression starts at its `(`.
            return Ok(Node { expr: Expr { line: self.line_at(start), ..first.expr }, ..first });
        }
        let items = self.rest_of_sequence(first, close)?;
        Ok(self.collection(start, items, make))
    }

    /// The elements after the first, through the closing bracket; a trailing comma is allowed.
    fn rest_of_sequence(&mut self, first: Node, close: &str) -> Parsed<Vec<Node>> {
        let mut items = vec![first];
        while !self.eat(close) {
            self.require(",")?;
            if self.eat(close) {
                break;
            }
            items.push(self.element()?);
        }
        Ok(items)
    }

    /// `{...}`: a dict, a set, or a comprehension of either.
    fn brace(&mut self) -> Parsed<Node> {
        let start = self.pos;
        self.pos += 1;
        if self.eat("}") {
            return Ok(self.leaf(start, ExprKind::Dict(Vec::new())));
        }
        if self.at("**") {
            let entry = self.dict_entry()?;
            return self.rest_of_dict(start, entry);
        }
        let first = self.element()?;
        if self.eat(":") {
            let value = self.test()?;
            if self.at_comprehension() {
                return self.finish_comprehension(start, "}");
            }
            return self.rest_of_dict(start, (first, value));
        }
        if self.at_comprehension() {
            return self.finish_comprehension(start, "}");
        }
        let items = self.rest_of_sequence(first, "}")?;
        Ok(self.collection(start, items, ExprKind::Set))
    }

    fn dict_entry(&mut self) -> Parsed<(Node, Node)> {
        if self.at("**") {
            let key = self.leaf(self.pos, ExprKind::Other("**".to_string()));
            self.pos += 1;
            return Ok((key, self.binary(BITWISE_OR)?));
        }
        let key = self.test()?;
        self.require(":")?;
        Ok((key, self.test()?))
    }

    fn rest_of_dict(&mut self, start: usize, first: (Node, Node)) -> Parsed<Node> {
        let mut entries = vec![first];
        while !self.eat("}") {
            self.require(",")?;
            if self.eat("}") {
                break;
            }
            entries.push(self.dict_entry()?);
        }
        let height = entries.iter().map(|(k, v)| k.height.max(v.height)).max().unwrap_or(0);
        let pairs = entries.into_iter().map(|(k, v)| (k.expr, v.expr)).collect();
        Ok(self.branch(start, ExprKind::Dict(pairs), height))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The value last assigned to `target` (a dotted name) among `body`'s top-level statements.
    fn value_of<'m>(body: &'m [Stmt], target: &str) -> Option<&'m Expr> {
        body.iter().rev().find_map(|stmt| match stmt {
            Stmt::Assign { targets, value, .. }
                if targets.iter().any(|t| t.dotted_name().as_deref() == Some(target)) =>
            {
                Some(value)
            }
            _ => None,
        })
    }

    fn dict_get<'e>(expr: &'e Expr, key: &str) -> Option<&'e Expr> {
        match &expr.kind {
            ExprKind::Dict(entries) => entries.iter().find(|(k, _)| k.as_str() == Some(key)).map(|(_, v)| v),
            _ => None,
        }
    }

    fn strings(expr: &Expr) -> Vec<&str> {
        match &expr.kind {
            ExprKind::List(items) | ExprKind::Tuple(items) | ExprKind::Set(items) => {
                items.iter().filter_map(Expr::as_str).collect()
            }
            _ => Vec::new(),
        }
    }

    fn call_parts(expr: &Expr) -> (Option<String>, Vec<&str>) {
        match &expr.kind {
            ExprKind::Call { func, args, .. } => (func.dotted_name(), args.iter().filter_map(Expr::as_str).collect()),
            _ => (None, Vec::new()),
        }
    }

    fn single_value(source: &str) -> Expr {
        let module = parse(source);
        match module.body.into_iter().next() {
            Some(Stmt::Assign { value, .. }) => value,
            other => panic!("expected an assignment in {source:?}, got {other:?}"),
        }
    }

    fn height(expr: &Expr) -> usize {
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
    fn check_bounds(body: &[Stmt]) -> usize {
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

    const STARTPROJECT: &str = r#""""
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
    fn reads_if_else_and_nested_subscript_assignments() {
        let source = "import os\nif os.environ.get('POSTGRES_HOSTNAME'):\n    DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql'}}\nelif DEBUG:\n    pass\nelse:\n    DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': BASE_DIR / 'db.sqlite3'}}\nDATABASES['default']['ENGINE'] = 'x'\n";
        let module = parse(source);
        assert_eq!(module.issues, []);
        let Stmt::If { line: 2, branches } = &module.body[1] else { panic!("{:?}", module.body) };
        assert_eq!(branches.iter().map(|b| b.line).collect::<Vec<_>>(), [2, 4, 6]);
        assert_eq!(call_parts(branches[0].condition.as_ref().unwrap()).0.as_deref(), Some("os.environ.get"));
        assert_eq!(branches[1].body, [Stmt::Other { line: 5, text: "pass".into() }]);
        assert!(branches[2].condition.is_none());
        let sqlite = value_of(&branches[2].body, "DATABASES").and_then(|d| dict_get(d, "default")).unwrap();
        assert_eq!(dict_get(sqlite, "ENGINE").and_then(Expr::as_str), Some("django.db.backends.sqlite3"));
        let Stmt::Assign { targets, .. } = &module.body[2] else { panic!() };
        let ExprKind::Subscript { value, index } = &targets[0].kind else { panic!() };
        assert_eq!(index.as_str(), Some("ENGINE"));
        assert!(matches!(&value.kind, ExprKind::Subscript { value, index }
            if value.dotted_name().as_deref() == Some("DATABASES") && index.as_str() == Some("default")));
    }

    #[test]
    fn reads_try_blocks_in_order() {
        let source = "try:\n    from .local import *\nexcept ImportError as e:\n    A = 1\nexcept (KeyError, ValueError): B = 2\nelse:\n    C = 3\nfinally:\n    D = 4\n";
        let module = parse(source);
        assert_eq!(module.issues, []);
        let Stmt::Try { line: 1, blocks } = &module.body[0] else { panic!() };
        assert_eq!(blocks.len(), 5);
        assert_eq!(blocks[0], [Stmt::Other { line: 2, text: "from .local import *".into() }]);
        let found: Vec<_> = ["A", "B", "C", "D"]
            .into_iter()
            .zip(&blocks[1..])
            .map(|(name, block)| value_of(block, name).map(|e| e.kind.clone()))
            .collect();
        assert_eq!(found, [1, 2, 3, 4].map(|n| Some(ExprKind::Int(n))));
    }

    #[test]
    fn reads_augmented_assignments_appends_and_misspellings() {
        let source = "CSRF_TRISTED_ORIGINS = ['https://a']\nCSRF_TRUSTED_ORIGINS += [\n  'https://*.github.dev',\n]\nCSRF_TRUSTED_ORIGINS.append('https://b')\nCSRF_TRUSTED_ORIGINS.extend(['https://c'])\nFLAGS |= 4\n";
        let body = parse(source).body;
        assert!(value_of(&body, "CSRF_TRUSTED_ORIGINS").is_none());
        assert_eq!(strings(value_of(&body, "CSRF_TRISTED_ORIGINS").unwrap()), ["https://a"]);
        let Stmt::AugAssign { line: 2, target, op, value } = &body[1] else { panic!() };
        assert_eq!(
            (target.dotted_name().as_deref(), op.as_str(), strings(value)),
            (Some("CSRF_TRUSTED_ORIGINS"), "+=", vec!["https://*.github.dev"])
        );
        let Stmt::Expr { line: 5, expr } = &body[2] else { panic!() };
        assert_eq!(call_parts(expr), (Some("CSRF_TRUSTED_ORIGINS.append".into()), vec!["https://b"]));
        let Stmt::Expr { expr, .. } = &body[3] else { panic!() };
        let ExprKind::Call { args, .. } = &expr.kind else { panic!() };
        assert_eq!(strings(&args[0]), ["https://c"]);
        assert!(matches!(&body[4], Stmt::AugAssign { op, .. } if op == "|="));
    }

    #[test]
    fn reads_annotated_chained_and_semicolon_statements() {
        let body = parse("A: int = 5\nB: list[str]\nX = Y = 'v'; Z = 1;\nx, y = 1, 2\n").body;
        assert!(
            matches!(&body[0], Stmt::Assign { targets, value, .. } if targets.len() == 1 && value.kind == ExprKind::Int(5))
        );
        assert_eq!(body[1], Stmt::Other { line: 2, text: "B: list[str]".into() });
        let Stmt::Assign { line: 3, targets, value } = &body[2] else { panic!() };
        assert_eq!((targets.len(), value.as_str()), (2, Some("v")));
        assert!(matches!(&body[3], Stmt::Assign { line: 3, value, .. } if value.kind == ExprKind::Int(1)));
        assert!(matches!(&body[4], Stmt::Assign { targets, value, .. }
            if matches!(targets[0].kind, ExprKind::Tuple(_)) && matches!(value.kind, ExprKind::Tuple(_))));
    }

    #[test]
    fn skips_def_class_and_loop_bodies() {
        let source = "def get_env(name):\n    if name:\n        DEBUG = True\n    return name\n\nclass C:\n    X = 1\nfor i in range(3):\n    pass\nelse:\n    pass\nmatch x:\n    case 1:\n        pass\n@decorator\ndef f(): return 1\nAFTER = 1\n";
        let module = parse(source);
        assert_eq!(module.issues, []);
        let texts: Vec<_> = module
            .body
            .iter()
            .map(|s| match s {
                Stmt::Other { line, text } => format!("{line}:{text}"),
                other => format!("{other:?}"),
            })
            .collect();
        assert_eq!(
            texts[..6],
            ["1:def get_env(name):", "6:class C:", "8:for i in range(3):", "10:else:", "12:match x:", "15:@decorator"]
        );
        assert_eq!(texts[6], "16:def f(): return 1");
        assert_eq!(value_of(&module.body, "AFTER").map(|e| e.line), Some(17));
        assert!(value_of(&module.body, "DEBUG").is_none());
    }

    #[test]
    fn reads_string_forms() {
        let value = |s: &str| single_value(&format!("X = {s}\n")).kind;
        let plain = |v: &str| ExprKind::Str { value: v.to_string(), is_fstring: false };
        assert_eq!(value(r#"'a\n\t\\\'\"\x41\u00e9\U0001F600\101'"#), plain("a\n\t\\'\"Aé😀A"));
        assert_eq!(value(r"R'a\nb' rb'\d' Br'\x'"), plain(r"a\nb\d\x"));
        assert_eq!(value(r"b'\x41\u0041'"), plain(r"A\u0041"));
        assert_eq!(value("'''one\n'two'\n''' \"\"\"three\"\"\""), plain("one\n'two'\nthree"));
        assert_eq!(value("'a' 'b' U\"c\""), plain("abc"));
        assert_eq!(
            value(r#"f"{x['k']!r:>{w}} {{lit}}\n""#),
            ExprKind::Str { value: r"{x['k']!r:>{w}} {{lit}}\n".into(), is_fstring: true }
        );
        assert_eq!(value(r#"'a' Rf'{b}'"#), ExprKind::Str { value: "a{b}".into(), is_fstring: true });
        assert_eq!(value(r"'\q\N{DASH}\x4'"), plain(r"\q\N{DASH}\x4"));
        assert_eq!(value("'a\\\nb'"), plain("ab"));
        assert_eq!(single_value("X = f'{a}'\n").as_str(), None);
        let wrapped = single_value("X = (\n  'https://a'\n  'b'\n)\n");
        assert_eq!((wrapped.line, wrapped.as_str()), (1, Some("https://ab")));
    }

    #[test]
    fn reads_numbers_and_literals() {
        let value = |s: &str| single_value(&format!("X = {s}\n")).kind;
        assert_eq!(value("1_000_000"), ExprKind::Int(1_000_000));
        assert_eq!(value("0xFF"), ExprKind::Int(255));
        assert_eq!(value("0o17 "), ExprKind::Int(15));
        assert_eq!(value("0b101"), ExprKind::Int(5));
        assert_eq!(value("-5"), ExprKind::Int(-5));
        assert_eq!(value("+2.5"), ExprKind::Float(2.5));
        assert_eq!(value("1e3"), ExprKind::Float(1000.0));
        assert_eq!(value(".5"), ExprKind::Float(0.5));
        assert_eq!(value("99999999999999999999"), ExprKind::Other("99999999999999999999".into()));
        assert_eq!(value("2j"), ExprKind::Other("2j".into()));
        assert_eq!(value("None"), ExprKind::NoneLit);
        assert_eq!(value("False"), ExprKind::Bool(false));
        assert_eq!(value("-x"), ExprKind::Other("-x".into()));
        assert_eq!(value("..."), ExprKind::Other("...".into()));
    }

    #[test]
    fn respects_operator_precedence() {
        let show = |s: &str| render(&single_value(&format!("X = {s}\n")));
        assert_eq!(show("a or b and not c == d + e * -2"), "(a or (b and not (c == (d + (e * -2)))))");
        assert_eq!(show("a + b - c * d / e % f"), "((a + b) - (((c * d) / e) % f))");
        assert_eq!(show("x not in y is not z"), "((x not in y) and (y is not z))");
        assert_eq!(show("1 < 2 < 3"), "((1 < 2) and (2 < 3))");
        assert_eq!(show("'a' if c else 'b' if d else 'e'"), "('a' if c else ('b' if d else 'e'))");
        assert_eq!(show("2 ** 3 ** 2"), "(2 ** (3 ** 2))");
        assert_eq!(show("a | b & c << 1"), "(a | (b & (c << 1)))");
        assert_eq!(show("(a + b) * c"), "((a + b) * c)");
        assert_eq!(show("not a in b"), "not (a in b)");
    }

    /// A compact rendering for precedence tests.
    fn render(expr: &Expr) -> String {
        match &expr.kind {
            ExprKind::Str { value, .. } => format!("'{value}'"),
            ExprKind::Int(n) => n.to_string(),
            ExprKind::Name(n) | ExprKind::Other(n) => n.clone(),
            ExprKind::BinOp { left, op, right } => format!("({} {op} {})", render(left), render(right)),
            ExprKind::Not(inner) => format!("not {}", render(inner)),
            ExprKind::IfExp { body, test, orelse } => {
                format!("({} if {} else {})", render(body), render(test), render(orelse))
            }
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn keeps_unsupported_expressions_as_text() {
        let value = |s: &str| single_value(&format!("X = {s}\n")).kind;
        assert_eq!(value("[h.strip() for h in HOSTS if h]"), ExprKind::Other("[h.strip() for h in HOSTS if h]".into()));
        assert_eq!(value("{k: v for k, v in d}"), ExprKind::Other("{k: v for k, v in d}".into()));
        assert_eq!(value("lambda x: x + 1"), ExprKind::Other("lambda x: x + 1".into()));
        let ExprKind::Subscript { index, .. } = value("a[1:]") else { panic!() };
        assert_eq!(index.kind, ExprKind::Other("1:".into()));
        let ExprKind::List(items) = value("[*BASE, 'x']") else { panic!() };
        assert_eq!(items[0].kind, ExprKind::Other("*BASE".into()));
        let ExprKind::Dict(entries) = value("{**BASE, 'k': 1}") else { panic!() };
        assert_eq!(
            (entries[0].0.kind.clone(), entries[0].1.dotted_name()),
            (ExprKind::Other("**".into()), Some("BASE".into()))
        );
        let ExprKind::Call { args, kwargs, .. } = value("env('X', default=[], **opts)") else { panic!() };
        assert_eq!((args.len(), kwargs[0].0.as_str(), kwargs[1].0.as_str()), (1, "default", "**"));
        assert_eq!(
            value("{1, 2}"),
            ExprKind::Set(vec![Expr { line: 1, kind: ExprKind::Int(1) }, Expr { line: 1, kind: ExprKind::Int(2) }])
        );
        assert_eq!(value("()"), ExprKind::Tuple(vec![]));
    }

    #[test]
    fn handles_tabs_crlf_bom_and_continuations() {
        let tabs = parse("if X:\n\tA = 1\n        B = 2\n");
        assert_eq!(tabs.issues, []);
        let Stmt::If { branches, .. } = &tabs.body[0] else { panic!() };
        assert_eq!(branches[0].body.len(), 2);
        let crlf = parse("\u{feff}A = '''x\r\ny'''\r\nif B:\r\n    C = \\\r\n        3\r\n");
        assert_eq!(crlf.issues, []);
        assert_eq!(value_of(&crlf.body, "A").and_then(Expr::as_str), Some("x\ny"));
        let Stmt::If { line: 3, branches } = &crlf.body[1] else { panic!() };
        assert_eq!(value_of(&branches[0].body, "C").map(|e| (e.line, e.kind.clone())), Some((5, ExprKind::Int(3))));
    }

    #[test]
    fn reports_unterminated_strings_and_keeps_what_came_before() {
        let module = parse("A = 1\nB = 'oops\nC = 2\nD = '''never\nclosed\n");
        assert_eq!(value_of(&module.body, "A").map(|e| e.kind.clone()), Some(ExprKind::Int(1)));
        assert_eq!(value_of(&module.body, "C").map(|e| e.line), Some(3));
        let lines: Vec<_> = module.issues.iter().map(|i| (i.line, i.message.as_str())).collect();
        assert_eq!(
            lines,
            [(2, "unterminated string starting here"), (4, "unterminated triple-quoted string starting here")]
        );
    }

    #[test]
    fn reports_bad_brackets_and_indentation() {
        let module = parse("A = 1\nB = (1, 2]\nC = 3)\n  D = 4\nif x\n    E = 5\nF = [1,\n");
        let issues: Vec<_> = module.issues.iter().map(|i| (i.line, i.message.as_str())).collect();
        assert_eq!(
            issues,
            [
                (2, "closing ']' does not match '(' on line 2"),
                (3, "unmatched ')'"),
                (4, "unexpected indent"),
                (5, "expected ':'"),
                (7, "'[' was never closed"),
            ]
        );
        assert_eq!(value_of(&module.body, "D").map(|e| e.line), Some(4));
        assert!(matches!(&module.body[4], Stmt::If { branches, .. } if value_of(&branches[0].body, "E").is_some()));
        assert!(parse("print 'x'\n").issues.iter().any(|i| i.message == "could not read this statement"));
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
