//! Tokens to syntax trees, with DynamoDB's syntax error messages and the span of the fault.
//!
//! Precedence, loosest first: OR, AND, NOT, then comparisons, BETWEEN, IN and functions;
//! parentheses group.

use super::ast::*;
use super::lexer::{lex, Tok, Token};

/// A parse error: DynamoDB's message (without the `Invalid XExpression: ` prefix) and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    pub span: Span,
}

struct Parser<'a> {
    text: &'a str,
    tokens: Vec<Token>,
    pos: usize,
}

type Result<T> = std::result::Result<T, ParseError>;

/// How deep parentheses and NOTs may nest before the parser stops (DynamoDB caps expression
/// size anyway; this keeps hostile input from exhausting the stack).
const MAX_DEPTH: usize = 50;

fn new_parser(text: &str) -> Result<Parser<'_>> {
    match lex(text) {
        Ok(tokens) => Ok(Parser { text, tokens, pos: 0 }),
        Err(bad) => {
            let end = bad.at + bad.ch.len_utf8();
            let near_start = text[..bad.at].trim_end().rfind(' ').map_or(0, |i| i + 1);
            Err(ParseError {
                message: format!("Syntax error; token: \"{}\", near: \"{}\"", bad.ch, &text[near_start..end]),
                span: bad.at..end,
            })
        }
    }
}

pub fn parse_condition(text: &str) -> Result<Condition> {
    let mut p = new_parser(text)?;
    let condition = p.or(0)?;
    p.expect_end()?;
    Ok(condition)
}

pub fn parse_projection(text: &str) -> Result<Vec<Path>> {
    let mut p = new_parser(text)?;
    let mut paths = vec![p.path()?];
    while p.eat(&Tok::Comma) {
        paths.push(p.path()?);
    }
    p.expect_end()?;
    Ok(paths)
}

pub fn parse_update(text: &str) -> Result<Vec<UpdateAction>> {
    let mut p = new_parser(text)?;
    let mut actions = Vec::new();
    let mut seen: Vec<&'static str> = Vec::new();
    loop {
        let keyword = match &p.peek().tok {
            Tok::Word(w) => match w.to_ascii_uppercase().as_str() {
                "SET" => "SET",
                "REMOVE" => "REMOVE",
                "ADD" => "ADD",
                "DELETE" => "DELETE",
                _ => return Err(p.syntax_error()),
            },
            _ => return Err(p.syntax_error()),
        };
        if seen.contains(&keyword) {
            return Err(ParseError {
                message: format!("The \"{keyword}\" section can only be used once in an update expression;"),
                span: p.peek().span.clone(),
            });
        }
        seen.push(keyword);
        p.pos += 1;
        loop {
            let path = p.path()?;
            let action = match keyword {
                "SET" => {
                    p.expect(&Tok::Eq)?;
                    UpdateAction::Set(path, p.set_value(0)?)
                }
                "REMOVE" => UpdateAction::Remove(path),
                "ADD" => UpdateAction::Add(path, p.value_operand()?),
                _ => UpdateAction::Delete(path, p.value_operand()?),
            };
            actions.push(action);
            if !p.eat(&Tok::Comma) {
                break;
            }
        }
        if p.peek().tok == Tok::Eof {
            return Ok(actions);
        }
    }
}

impl Parser<'_> {
    fn peek(&self) -> &Token {
        &self.tokens[self.pos.min(self.tokens.len() - 1)]
    }

    fn peek_at(&self, offset: usize) -> &Token {
        &self.tokens[(self.pos + offset).min(self.tokens.len() - 1)]
    }

    fn eat(&mut self, tok: &Tok) -> bool {
        if &self.peek().tok == tok {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, tok: &Tok) -> Result<()> {
        if self.eat(tok) {
            Ok(())
        } else {
            Err(self.syntax_error())
        }
    }

    fn expect_end(&self) -> Result<()> {
        if self.peek().tok == Tok::Eof {
            Ok(())
        } else {
            Err(self.syntax_error())
        }
    }

    fn is_keyword(&self, keyword: &str) -> bool {
        matches!(&self.peek().tok, Tok::Word(w) if w.eq_ignore_ascii_case(keyword))
    }

    /// DynamoDB's syntax error: the offending token and the text around it (the tokens before
    /// and after).
    fn syntax_error(&self) -> ParseError {
        let token = self.peek();
        let shown = if token.tok == Tok::Eof { "<EOF>".to_string() } else { self.text[token.span.clone()].to_string() };
        let start = if self.pos > 0 { self.tokens[self.pos - 1].span.start } else { token.span.start };
        let end = self.peek_at(1).span.end.max(token.span.end);
        ParseError {
            message: format!("Syntax error; token: \"{shown}\", near: \"{}\"", &self.text[start..end]),
            span: token.span.clone(),
        }
    }

    fn too_deep(&self) -> ParseError {
        ParseError { message: "The expression is nested too deeply".into(), span: self.peek().span.clone() }
    }

    fn or(&mut self, depth: usize) -> Result<Condition> {
        let mut left = self.and(depth)?;
        while self.is_keyword("OR") {
            self.pos += 1;
            let right = self.and(depth)?;
            left = Condition::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self, depth: usize) -> Result<Condition> {
        let mut left = self.not(depth)?;
        while self.is_keyword("AND") {
            self.pos += 1;
            let right = self.not(depth)?;
            left = Condition::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn not(&mut self, depth: usize) -> Result<Condition> {
        if depth > MAX_DEPTH {
            return Err(self.too_deep());
        }
        if self.is_keyword("NOT") {
            self.pos += 1;
            return Ok(Condition::Not(Box::new(self.not(depth + 1)?)));
        }
        self.primary(depth)
    }

    /// The index of the `)` that closes the `(` at token `open`.
    fn matching_paren(&self, open: usize) -> Option<usize> {
        let mut depth = 0usize;
        for (i, token) in self.tokens.iter().enumerate().skip(open) {
            match token.tok {
                Tok::LParen => depth += 1,
                Tok::RParen => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(i);
                    }
                }
                _ => {}
            }
        }
        None
    }

    fn primary(&mut self, depth: usize) -> Result<Condition> {
        if self.peek().tok == Tok::LParen && self.peek_at(1).tok == Tok::LParen {
            // `((a = :v))`: DynamoDB refuses parentheses that group nothing.
            let inner = self.matching_paren(self.pos + 1);
            let outer = self.matching_paren(self.pos);
            if inner.is_some() && inner.map(|i| i + 1) == outer {
                return Err(ParseError {
                    message: "The expression has redundant parentheses;".into(),
                    span: self.peek().span.clone(),
                });
            }
        }
        if self.eat(&Tok::LParen) {
            let inner = self.or(depth + 1)?;
            self.expect(&Tok::RParen)?;
            return Ok(inner);
        }
        if let (Tok::Word(name), Tok::LParen) = (&self.peek().tok, &self.peek_at(1).tok) {
            let name = name.clone();
            let span = self.peek().span.clone();
            if name != "size" {
                return self.function_condition(&name, span);
            }
        }
        let left = self.operand()?;
        let comparator = match self.peek().tok {
            Tok::Eq => Some(Comparator::Eq),
            Tok::Ne => Some(Comparator::Ne),
            Tok::Lt => Some(Comparator::Lt),
            Tok::Le => Some(Comparator::Le),
            Tok::Gt => Some(Comparator::Gt),
            Tok::Ge => Some(Comparator::Ge),
            _ => None,
        };
        if let Some(comparator) = comparator {
            self.pos += 1;
            let right = self.operand()?;
            return Ok(Condition::Compare(left, comparator, right));
        }
        if self.is_keyword("BETWEEN") {
            self.pos += 1;
            let low = self.operand()?;
            if !self.is_keyword("AND") {
                return Err(self.syntax_error());
            }
            self.pos += 1;
            let high = self.operand()?;
            return Ok(Condition::Between(left, low, high));
        }
        if self.is_keyword("IN") {
            self.pos += 1;
            self.expect(&Tok::LParen)?;
            let mut list = vec![self.operand()?];
            while self.eat(&Tok::Comma) {
                list.push(self.operand()?);
            }
            self.expect(&Tok::RParen)?;
            return Ok(Condition::In(left, list));
        }
        if let Operand::Size(_, span) = &left {
            return Err(not_allowed("size", span.clone()));
        }
        Err(self.syntax_error())
    }

    /// `name(` already seen: a function used as a condition.
    fn function_condition(&mut self, name: &str, span: Span) -> Result<Condition> {
        let args = self.arguments()?;
        let count = args.len();
        let arity = |n: usize| -> Result<()> {
            if count == n {
                Ok(())
            } else {
                Err(ParseError {
                    message: format!("Incorrect number of operands for operator or function; operator or function: {name}, number of operands: {count}"),
                    span: span.clone(),
                })
            }
        };
        let path_arg = |operand: Operand| -> Result<Path> {
            match operand {
                Operand::Path(path) => Ok(path),
                other => Err(ParseError {
                    message: format!("Operator or function requires a document path; operator or function: {name}"),
                    span: operand_span(&other),
                }),
            }
        };
        let mut args = args.into_iter();
        match name {
            "attribute_exists" => {
                arity(1)?;
                Ok(Condition::AttributeExists(path_arg(args.next().unwrap())?))
            }
            "attribute_not_exists" => {
                arity(1)?;
                Ok(Condition::AttributeNotExists(path_arg(args.next().unwrap())?))
            }
            "attribute_type" => {
                arity(2)?;
                let path = path_arg(args.next().unwrap())?;
                Ok(Condition::AttributeType(path, args.next().unwrap()))
            }
            "begins_with" => {
                arity(2)?;
                Ok(Condition::BeginsWith(args.next().unwrap(), args.next().unwrap()))
            }
            "contains" => {
                arity(2)?;
                Ok(Condition::Contains(args.next().unwrap(), args.next().unwrap()))
            }
            "if_not_exists" | "list_append" => Err(not_allowed(name, span)),
            _ => Err(ParseError { message: format!("Invalid function name; function: {name}"), span }),
        }
    }

    /// `( operand, ... )` after a function name.
    fn arguments(&mut self) -> Result<Vec<Operand>> {
        self.pos += 1; // the name
        self.expect(&Tok::LParen)?;
        let mut args = vec![self.operand()?];
        while self.eat(&Tok::Comma) {
            args.push(self.operand()?);
        }
        self.expect(&Tok::RParen)?;
        Ok(args)
    }

    /// An operand of a condition: a path, a value, or `size(path)`.
    fn operand(&mut self) -> Result<Operand> {
        let token = self.peek().clone();
        match &token.tok {
            Tok::ValuePlaceholder(name) => {
                self.pos += 1;
                Ok(Operand::Value(name.clone(), token.span))
            }
            Tok::Word(name) if self.peek_at(1).tok == Tok::LParen => {
                let name = name.clone();
                if name != "size" {
                    return Err(match name.as_str() {
                        "attribute_exists"
                        | "attribute_not_exists"
                        | "attribute_type"
                        | "begins_with"
                        | "contains"
                        | "if_not_exists"
                        | "list_append" => not_allowed(&name, token.span),
                        _ => {
                            ParseError { message: format!("Invalid function name; function: {name}"), span: token.span }
                        }
                    });
                }
                let args = self.arguments()?;
                if args.len() != 1 {
                    return Err(ParseError {
                        message: format!("Incorrect number of operands for operator or function; operator or function: size, number of operands: {}", args.len()),
                        span: token.span,
                    });
                }
                match args.into_iter().next().unwrap() {
                    Operand::Path(path) => Ok(Operand::Size(path, token.span.start..self.prev_end())),
                    other => Err(ParseError {
                        message: "Operator or function requires a document path; operator or function: size".into(),
                        span: operand_span(&other),
                    }),
                }
            }
            Tok::Word(_) | Tok::NamePlaceholder(_) => Ok(Operand::Path(self.path()?)),
            _ => Err(self.syntax_error()),
        }
    }

    fn prev_end(&self) -> usize {
        self.tokens[self.pos.saturating_sub(1)].span.end
    }

    /// The right-hand side of `SET path = ...`: an operand, optionally `+` or `-` another.
    fn set_value(&mut self, depth: usize) -> Result<Operand> {
        if depth > MAX_DEPTH {
            return Err(self.too_deep());
        }
        let start = self.peek().span.start;
        let left = self.set_operand(depth)?;
        if self.eat(&Tok::Plus) {
            let right = self.set_operand(depth)?;
            return Ok(Operand::Plus(Box::new(left), Box::new(right), start..self.prev_end()));
        }
        if self.eat(&Tok::Minus) {
            let right = self.set_operand(depth)?;
            return Ok(Operand::Minus(Box::new(left), Box::new(right), start..self.prev_end()));
        }
        Ok(left)
    }

    fn set_operand(&mut self, depth: usize) -> Result<Operand> {
        let token = self.peek().clone();
        match &token.tok {
            Tok::Word(name) if self.peek_at(1).tok == Tok::LParen => {
                let name = name.clone();
                self.pos += 2;
                let result = match name.as_str() {
                    "if_not_exists" => {
                        let path = self.path()?;
                        self.expect(&Tok::Comma)?;
                        let fallback = self.set_value(depth + 1)?;
                        Operand::IfNotExists(path, Box::new(fallback), token.span.start..0)
                    }
                    "list_append" => {
                        let a = self.set_value(depth + 1)?;
                        self.expect(&Tok::Comma)?;
                        let b = self.set_value(depth + 1)?;
                        Operand::ListAppend(Box::new(a), Box::new(b), token.span.start..0)
                    }
                    "size"
                    | "attribute_exists"
                    | "attribute_not_exists"
                    | "attribute_type"
                    | "begins_with"
                    | "contains" => return Err(not_allowed(&name, token.span)),
                    _ => {
                        return Err(ParseError {
                            message: format!("Invalid function name; function: {name}"),
                            span: token.span,
                        })
                    }
                };
                self.expect(&Tok::RParen)?;
                let end = self.prev_end();
                Ok(match result {
                    Operand::IfNotExists(p, f, span) => Operand::IfNotExists(p, f, span.start..end),
                    Operand::ListAppend(a, b, span) => Operand::ListAppend(a, b, span.start..end),
                    other => other,
                })
            }
            Tok::ValuePlaceholder(name) => {
                self.pos += 1;
                Ok(Operand::Value(name.clone(), token.span))
            }
            Tok::Word(_) | Tok::NamePlaceholder(_) => Ok(Operand::Path(self.path()?)),
            _ => Err(self.syntax_error()),
        }
    }

    /// The value of ADD and DELETE: a value placeholder.
    fn value_operand(&mut self) -> Result<Operand> {
        let token = self.peek().clone();
        match &token.tok {
            Tok::ValuePlaceholder(name) => {
                self.pos += 1;
                Ok(Operand::Value(name.clone(), token.span))
            }
            _ => Err(self.syntax_error()),
        }
    }

    fn path(&mut self) -> Result<Path> {
        let start = self.peek().span.start;
        let mut elements = vec![self.path_name()?];
        loop {
            if self.eat(&Tok::Dot) {
                elements.push(self.path_name()?);
            } else if self.peek().tok == Tok::LBracket {
                self.pos += 1;
                let token = self.peek().clone();
                let Tok::Integer(digits) = &token.tok else { return Err(self.syntax_error()) };
                let index = digits.parse::<usize>().map_err(|_| ParseError {
                    message: format!("List index is not within the allowable range; index: {digits}"),
                    span: token.span.clone(),
                })?;
                self.pos += 1;
                self.expect(&Tok::RBracket)?;
                elements.push(PathElement::Index(index));
            } else {
                break;
            }
        }
        Ok(Path { elements, span: start..self.prev_end() })
    }

    fn path_name(&mut self) -> Result<PathElement> {
        let token = self.peek().clone();
        let element = match token.tok {
            Tok::Word(name) => PathElement::Name(name, token.span),
            Tok::NamePlaceholder(name) => PathElement::Placeholder(name, token.span),
            _ => return Err(self.syntax_error()),
        };
        self.pos += 1;
        Ok(element)
    }
}

fn not_allowed(function: &str, span: Span) -> ParseError {
    ParseError {
        message: format!("The function is not allowed to be used this way in an expression; function: {function}"),
        span,
    }
}

pub fn operand_span(operand: &Operand) -> Span {
    match operand {
        Operand::Path(path) => path.span.clone(),
        Operand::Value(_, span)
        | Operand::Size(_, span)
        | Operand::IfNotExists(_, _, span)
        | Operand::ListAppend(_, _, span)
        | Operand::Plus(_, _, span)
        | Operand::Minus(_, _, span) => span.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_condition(text: &str, expect: &str) {
        let got = match parse_condition(text) {
            Ok(c) => format!("{c:?}"),
            Err(e) => format!("error at {:?}: {}", e.span, e.message),
        };
        assert!(got.contains(expect) || got == expect, "{text}\n got: {got}\nwant: {expect}");
    }

    #[test]
    fn conditions() {
        check_condition("a = :v", "Compare(Path(Path { elements: [Name(\"a\", 0..1)]");
        check_condition(
            "attribute_exists(#a.b[2])",
            "AttributeExists(Path { elements: [Placeholder(\"#a\", 17..19), Name(\"b\", 20..21), Index(2)]",
        );
        check_condition("NOT a = :v AND (b < :w OR c BETWEEN :x AND :y)", "And(Not(Compare(");
        check_condition("size(a) > :n", "Compare(Size(");
        check_condition("a IN (:x, :y)", "In(Path");
        check_condition("begins_with(sk, :p)", "BeginsWith(");
    }

    #[test]
    fn syntax_errors() {
        check_condition("a = ", "error at 4..4: Syntax error; token: \"<EOF>\", near: \"= \"");
        check_condition("a == :v", "error at 3..4: Syntax error; token: \"=\", near: \"== :v\"");
        check_condition("a = :v b", "error at 7..8: Syntax error; token: \"b\", near: \":v b\"");
        check_condition("a = $x", "error at 4..5: Syntax error; token: \"$\", near: \"= $\"");
        check_condition("foo(a)", "error at 0..3: Invalid function name; function: foo");
        check_condition(
            "size(a)",
            "error at 0..7: The function is not allowed to be used this way in an expression; function: size",
        );
        check_condition("attribute_exists(a, b)", "error at 0..16: Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 2");
        check_condition(
            "attribute_exists(:v)",
            "error at 17..19: Operator or function requires a document path; operator or function: attribute_exists",
        );
        check_condition(&"(".repeat(500), "nested too deeply");
        check_condition("((a = :v))", "error at 0..1: The expression has redundant parentheses;");
        check_condition("(a = :v) AND ((b = :w) OR c = :x)", "And(");
    }

    #[test]
    fn updates() {
        let actions = parse_update("SET a = :v, b = b + :one REMOVE c[1] ADD n :x DELETE s :y").unwrap();
        assert_eq!(actions.len(), 5);
        let err = parse_update("SET a = :v SET b = :w").unwrap_err();
        assert_eq!(err.message, "The \"SET\" section can only be used once in an update expression;");
        let err = parse_update("PUT a = :v").unwrap_err();
        assert_eq!(err.message, "Syntax error; token: \"PUT\", near: \"PUT a\"");
        assert!(matches!(
            &parse_update("SET l = list_append(l, :v), c = if_not_exists(c, :z)").unwrap()[0],
            UpdateAction::Set(_, Operand::ListAppend(..))
        ));
    }

    #[test]
    fn projections() {
        assert_eq!(parse_projection("a, b.c, d[0]").unwrap().len(), 3);
        assert_eq!(parse_projection("a,").unwrap_err().message, "Syntax error; token: \"<EOF>\", near: \",\"");
    }
}
