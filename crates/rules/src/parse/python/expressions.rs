//! Expressions: one statement's tokens to `Expr`s, by precedence climbing, with every tree
//! kept under `MAX_HEIGHT` and recursion under `MAX_DEPTH`.

use super::lexer::{AUG_OPS, Tok, Token, first_line_text, is_close, is_open, number_kind, push_issue, span_text};
use super::{EXPR_TEXT_CHARS, Expr, ExprKind, Issue, MAX_DEPTH, MAX_HEIGHT, Stmt};

pub(super) const HARD_KEYWORDS: [&str; 35] = [
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
    "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
    "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
];
pub(super) const EXPR_KEYWORDS: [&str; 5] = ["True", "False", "None", "not", "lambda"];

/// The tokens could not be read as the construct asked for.
pub(super) struct Unreadable;
pub(super) type Parsed<T> = Result<T, Unreadable>;
pub(super) type Keyword = (String, Expr);

/// An expression with the height of its tree, so that no tree taller than `MAX_HEIGHT` is built.
pub(super) struct Node {
    pub(super) expr: Expr,
    pub(super) height: usize,
}

/// Precedence of `not`, of comparisons and of `|`, the loosest operator allowed after `*` and `**`.
pub(super) const NOT: u8 = 3;
pub(super) const COMPARISON: u8 = 4;
pub(super) const BITWISE_OR: u8 = 5;

pub(super) struct ExprReader<'a> {
    pub(super) src: &'a str,
    pub(super) toks: &'a [Token],
    pub(super) pos: usize,
    pub(super) depth: usize,
    pub(super) issues: Vec<Issue>,
    pub(super) reported_too_deep: bool,
}

impl<'a> ExprReader<'a> {
    pub(super) fn new(src: &'a str, toks: &'a [Token], pos: usize) -> Self {
        ExprReader { src, toks, pos, depth: 0, issues: Vec::new(), reported_too_deep: false }
    }

    pub(super) fn peek(&self) -> Option<&'a Token> {
        self.toks.get(self.pos)
    }

    pub(super) fn peek_op(&self) -> Option<&'static str> {
        match self.peek()?.tok {
            Tok::Op(op) => Some(op),
            _ => None,
        }
    }

    pub(super) fn name_at(&self, index: usize) -> Option<&'a str> {
        let token = self.toks.get(index).filter(|t| t.tok == Tok::Name)?;
        self.src.get(token.start..token.end)
    }

    /// Whether the next token is the name or operator `text`.
    pub(super) fn at(&self, text: &str) -> bool {
        let token = self.peek().filter(|t| matches!(t.tok, Tok::Name | Tok::Op(_)));
        token.and_then(|t| self.src.get(t.start..t.end)) == Some(text)
    }

    pub(super) fn eat(&mut self, text: &str) -> bool {
        let found = self.at(text);
        self.pos += usize::from(found);
        found
    }

    pub(super) fn require(&mut self, text: &str) -> Parsed<()> {
        if self.eat(text) { Ok(()) } else { Err(Unreadable) }
    }

    pub(super) fn line_at(&self, index: usize) -> u32 {
        self.toks.get(index).or(self.toks.last()).map_or(0, |t| t.line)
    }

    pub(super) fn leaf(&self, start: usize, kind: ExprKind) -> Node {
        Node { expr: Expr { line: self.line_at(start), kind }, height: 1 }
    }

    /// The source text from token `start` to the last one read, as an `Other` leaf.
    pub(super) fn other_since(&self, start: usize) -> Node {
        let toks = self.toks.get(start..self.pos).unwrap_or(&[]);
        self.leaf(start, ExprKind::Other(span_text(self.src, toks, EXPR_TEXT_CHARS)))
    }

    /// A node over children whose tallest is `child_height`, collapsed to text if it would be too tall.
    pub(super) fn branch(&mut self, start: usize, kind: ExprKind, child_height: usize) -> Node {
        if child_height >= MAX_HEIGHT {
            self.note_too_deep(start);
            return self.other_since(start);
        }
        Node { expr: Expr { line: self.line_at(start), kind }, height: child_height + 1 }
    }

    pub(super) fn binop(&mut self, start: usize, left: Node, op: &str, right: Node) -> Node {
        let height = left.height.max(right.height);
        let kind = ExprKind::BinOp { left: Box::new(left.expr), op: op.to_string(), right: Box::new(right.expr) };
        self.branch(start, kind, height)
    }

    pub(super) fn collection(&mut self, start: usize, items: Vec<Node>, make: fn(Vec<Expr>) -> ExprKind) -> Node {
        let height = items.iter().map(|n| n.height).max().unwrap_or(0);
        self.branch(start, make(items.into_iter().map(|n| n.expr).collect()), height)
    }

    pub(super) fn note_too_deep(&mut self, at: usize) {
        if !self.reported_too_deep {
            self.reported_too_deep = true;
            let line = self.line_at(at);
            push_issue(&mut self.issues, line, "expression nested too deeply; read as text".into());
        }
    }

    /// Moves to the next `stops` operator or unmatched closing bracket outside brackets (not consumed).
    pub(super) fn skip_until(&mut self, stops: &[&str]) {
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
    pub(super) fn nested(&mut self, step: impl FnOnce(&mut Self) -> Parsed<Node>) -> Parsed<Node> {
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
    pub(super) fn statement(&mut self) -> Parsed<Stmt> {
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
    pub(super) fn testlist(&mut self) -> Parsed<Node> {
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
    pub(super) fn element(&mut self) -> Parsed<Node> {
        if !self.at("*") {
            return self.test();
        }
        let start = self.pos;
        self.pos += 1;
        self.binary(BITWISE_OR)?;
        Ok(self.other_since(start))
    }

    pub(super) fn test(&mut self) -> Parsed<Node> {
        self.nested(Self::test_inner)
    }

    pub(super) fn test_inner(&mut self) -> Parsed<Node> {
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
    pub(super) fn binary_op(&self) -> Option<(&'static str, u8, usize)> {
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
    pub(super) fn binary(&mut self, min_precedence: u8) -> Parsed<Node> {
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
    pub(super) fn unary(&mut self) -> Parsed<Node> {
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

    pub(super) fn power(&mut self) -> Parsed<Node> {
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
    pub(super) fn primary(&mut self) -> Parsed<Node> {
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
    pub(super) fn call_args(&mut self) -> Parsed<(Vec<Expr>, Vec<Keyword>, usize)> {
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
    pub(super) fn subscript(&mut self) -> Parsed<Node> {
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

    pub(super) fn at_comprehension(&self) -> bool {
        self.at("for") || (self.at("async") && self.name_at(self.pos + 1) == Some("for"))
    }

    /// Skips a comprehension's `for ...` clauses through the closing bracket; the whole is kept as text.
    pub(super) fn finish_comprehension(&mut self, start: usize, close: &str) -> Parsed<Node> {
        self.skip_until(&[]);
        self.require(close)?;
        Ok(self.other_since(start))
    }

    pub(super) fn atom(&mut self) -> Parsed<Node> {
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
    pub(super) fn sequence(&mut self, close: &str, make: fn(Vec<Expr>) -> ExprKind) -> Parsed<Node> {
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
    pub(super) fn rest_of_sequence(&mut self, first: Node, close: &str) -> Parsed<Vec<Node>> {
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
    pub(super) fn brace(&mut self) -> Parsed<Node> {
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

    pub(super) fn dict_entry(&mut self) -> Parsed<(Node, Node)> {
        if self.at("**") {
            let key = self.leaf(self.pos, ExprKind::Other("**".to_string()));
            self.pos += 1;
            return Ok((key, self.binary(BITWISE_OR)?));
        }
        let key = self.test()?;
        self.require(":")?;
        Ok((key, self.test()?))
    }

    pub(super) fn rest_of_dict(&mut self, start: usize, first: (Node, Node)) -> Parsed<Node> {
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
    use super::super::tests::*;
    use super::super::*;

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
}
