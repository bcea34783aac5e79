//! The tokenizer: source text to logical lines of tokens (strings decoded, numbers classified),
//! and the helpers that turn a run of tokens back into source text.

use super::{ExprKind, Issue, MAX_ISSUES, STMT_TEXT_CHARS};

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
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
pub(super) struct Token {
    pub(super) tok: Tok,
    pub(super) line: u32,
    pub(super) start: usize,
    pub(super) end: usize,
}

/// One logical line: physical lines joined by open brackets or backslashes.
#[derive(Debug)]
pub(super) struct LogicalLine {
    pub(super) indent: usize,
    pub(super) line: u32,
    pub(super) tokens: Vec<Token>,
    /// The tokenizer already reported a problem here, so the statement reader stays quiet about it.
    pub(super) broken: bool,
}

/// Longest first, so that `**=` is not read as `**` then `=`.
pub(super) const OPERATORS: [&str; 48] = [
    "**=", "//=", ">>=", "<<=", "...", "->", ":=", "**", "//", "<<", ">>", "<=", ">=", "==", "!=", "+=", "-=", "*=",
    "/=", "%=", "&=", "|=", "^=", "@=", "+", "-", "*", "/", "%", "@", "&", "|", "^", "~", "<", ">", "(", ")", "[", "]",
    "{", "}", ",", ":", ".", ";", "=", "!",
];
pub(super) const AUG_OPS: [&str; 13] =
    ["+=", "-=", "*=", "/=", "//=", "%=", "@=", "&=", "|=", "^=", ">>=", "<<=", "**="];

pub(super) fn is_open(op: &str) -> bool {
    matches!(op, "(" | "[" | "{")
}

pub(super) fn is_close(op: &str) -> bool {
    matches!(op, ")" | "]" | "}")
}

pub(super) struct Lexer<'s> {
    src: &'s str,
    bytes: &'s [u8],
    pos: usize,
    line: u32,
    issues: Vec<Issue>,
    broken: bool,
}

pub(super) fn tokenize(src: &str) -> (Vec<LogicalLine>, Vec<Issue>) {
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
    pub(super) fn byte(&self, ahead: usize) -> Option<u8> {
        self.bytes.get(self.pos.saturating_add(ahead)).copied()
    }

    pub(super) fn char_at(&self, pos: usize) -> Option<char> {
        self.src.get(pos..)?.chars().next()
    }

    pub(super) fn report(&mut self, line: u32, message: String) {
        push_issue(&mut self.issues, line, message);
        self.broken = true;
    }

    pub(super) fn finish_line(&mut self, lines: &mut Vec<LogicalLine>, tokens: &mut Vec<Token>, indent: usize) {
        if let Some(first) = tokens.first() {
            let line = first.line;
            lines.push(LogicalLine { indent, line, tokens: std::mem::take(tokens), broken: self.broken });
        }
        self.broken = false;
    }

    /// Column of the first token; a tab goes to the next multiple of 8 and a form feed resets, as in CPython.
    pub(super) fn measure_indent(&mut self) -> usize {
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

    pub(super) fn name_or_prefixed_string(&mut self) -> Tok {
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
    pub(super) fn number(&mut self) -> Tok {
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

    pub(super) fn operator(&mut self) -> Tok {
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
    pub(super) fn string(&mut self, prefix: &str) -> Tok {
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
pub(super) fn decode_escapes(content: &str, bytes_literal: bool) -> String {
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

pub(super) fn number_kind(text: &str) -> ExprKind {
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

/// Trims `text`, keeps at most `max_chars` characters and, if asked, only its first line.
pub(super) fn clip(text: &str, max_chars: usize, first_line_only: bool) -> String {
    let text = text.trim_start();
    let end = text
        .char_indices()
        .enumerate()
        .find(|&(count, (_, c))| count == max_chars || (first_line_only && c == '\n'))
        .map_or(text.len(), |(_, (index, _))| index);
    text.get(..end).unwrap_or("").trim_end().to_string()
}

pub(super) fn push_issue(issues: &mut Vec<Issue>, line: u32, message: String) {
    if issues.len() < MAX_ISSUES {
        issues.push(Issue { line, message });
    }
}

/// The source text covered by `toks`.
pub(super) fn span_text(src: &str, toks: &[Token], max_chars: usize) -> String {
    match (toks.first(), toks.last()) {
        (Some(first), Some(last)) => clip(src.get(first.start..last.end).unwrap_or(""), max_chars, false),
        _ => String::new(),
    }
}

/// The first physical line of a statement, for `Stmt::Other`.
pub(super) fn first_line_text(src: &str, toks: &[Token]) -> String {
    let Some(first) = toks.first() else { return String::new() };
    let end = toks.iter().take_while(|t| t.line == first.line).map(|t| t.end).last().unwrap_or(first.end);
    clip(src.get(first.start..end).unwrap_or(""), STMT_TEXT_CHARS, true)
}

/// Index of the first `op` outside brackets, from `from` on.
pub(super) fn find_top_level(toks: &[Token], from: usize, wanted: &str) -> Option<usize> {
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

#[cfg(test)]
mod tests {
    use super::super::tests::*;
    use super::super::*;

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
}
