//! Statements: logical lines to `Stmt`s, following indentation (the bodies of `if` and `try`
//! read, those of `def`, `class`, loops, `with` and `match` skipped).

use super::expressions::{ExprReader, Unreadable};
use super::lexer::{LogicalLine, Tok, Token, find_top_level, first_line_text, push_issue, span_text};
use super::{Branch, EXPR_TEXT_CHARS, Expr, ExprKind, Issue, MAX_DEPTH, Stmt};

/// Compound statements whose body is skipped; clause keywords are here for when they have no `if`/`try`.
pub(super) const SKIPPED_COMPOUNDS: [&str; 10] =
    ["def", "class", "for", "while", "with", "async", "elif", "else", "except", "finally"];

pub(super) struct StmtReader<'a> {
    pub(super) src: &'a str,
    pub(super) lines: &'a [LogicalLine],
    pub(super) next: usize,
    pub(super) issues: Vec<Issue>,
}

impl<'a> StmtReader<'a> {
    pub(super) fn issue(&mut self, line: u32, message: &str) {
        push_issue(&mut self.issues, line, message.to_string());
    }

    pub(super) fn peek_line(&self) -> Option<&'a LogicalLine> {
        let lines = self.lines;
        lines.get(self.next)
    }

    pub(super) fn keyword(&self, line: &'a LogicalLine) -> Option<&'a str> {
        let src = self.src;
        line.tokens.first().filter(|t| t.tok == Tok::Name).and_then(|t| src.get(t.start..t.end))
    }

    /// Reads statements while lines are indented at least `indent`.
    pub(super) fn read_block(&mut self, indent: usize, depth: usize) -> Vec<Stmt> {
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

    pub(super) fn read_statement(&mut self, line: &'a LogicalLine, depth: usize, out: &mut Vec<Stmt>) {
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

    pub(super) fn skip_body(&mut self, indent: usize) {
        while self.peek_line().is_some_and(|line| line.indent > indent) {
            self.next += 1;
        }
    }

    /// Reads `;`-separated simple statements.
    pub(super) fn read_simple_statements(&mut self, toks: &'a [Token], broken: bool) -> Vec<Stmt> {
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

    pub(super) fn read_simple(&mut self, segment: &'a [Token], broken: bool) -> Stmt {
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
    pub(super) fn read_clauses(&mut self, first: &'a LogicalLine, depth: usize, followers: &[&str]) -> Vec<Branch> {
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
    pub(super) fn peek_clause(&mut self, indent: usize, words: &[&str]) -> Option<&'a LogicalLine> {
        let line = self.peek_line().filter(|line| line.indent == indent)?;
        let word = self.keyword(line)?;
        words.contains(&word).then(|| {
            self.next += 1;
            line
        })
    }

    /// Reads a clause header: its condition (if it takes one) and the statements after its colon on the same line.
    pub(super) fn read_header(
        &mut self,
        header: &'a LogicalLine,
        with_condition: bool,
    ) -> (Option<Expr>, Option<&'a [Token]>) {
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

    pub(super) fn read_clause_body(
        &mut self,
        header: &'a LogicalLine,
        inline: Option<&'a [Token]>,
        depth: usize,
    ) -> Vec<Stmt> {
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

#[cfg(test)]
mod tests {
    use super::super::tests::*;
    use super::super::*;

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
}
