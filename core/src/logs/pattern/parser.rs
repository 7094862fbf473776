//! Filter pattern text to a [`Pattern`], or an error with where it went wrong.
//!
//! A pattern whose first character is `{` is JSON, `[` space-delimited, anything else terms.
//! The structured two share a lexer and the grammar of conditions: `||` binds loosest, then
//! `&&`; parentheses group.

use super::ast::*;
use super::PatternError;
use std::ops::Range;

/// How deep parentheses may nest before the parser gives up (AWS caps patterns at 1024
/// characters; this keeps hostile input from exhausting the stack).
const MAX_DEPTH: usize = 32;

pub fn parse(text: &str) -> Result<Pattern, PatternError> {
    let trimmed = text.trim();
    let start = text.len() - text.trim_start().len();
    if trimmed.is_empty() {
        return Ok(Pattern::Everything);
    }
    if trimmed.starts_with('{') && !trimmed.ends_with('}') {
        return Err(PatternError::aws(
            "If a filter pattern starts with '{' it must end with '}'",
            "the JSON pattern is not closed with `}`",
            start..text.len(),
        ));
    }
    match trimmed.as_bytes()[0] {
        b'{' => Parser::new(text)?.json(),
        b'[' => Parser::new(text)?.delimited(),
        _ => terms(text),
    }
}

/// Characters a term may hold without quotes.
fn bare(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// An unstructured pattern: terms separated by spaces, each bare or "quoted", `?` before a term
/// making it one of several alternatives and `-` excluding it.
fn terms(text: &str) -> Result<Pattern, PatternError> {
    let mut terms = Terms::default();
    let mut at = 0;
    let next_non_space = |from: usize| from + text[from..].len() - text[from..].trim_start().len();
    loop {
        at = next_non_space(at);
        let Some(first) = text[at..].chars().next() else { break };
        let start = at;
        let list = match first {
            '?' => Some(&mut terms.any),
            '-' => Some(&mut terms.none),
            _ => None,
        };
        let list = match list {
            Some(list) => {
                at = next_non_space(at + 1);
                list
            }
            None => &mut terms.all,
        };
        match text[at..].chars().next() {
            None => {
                return Err(PatternError::invalid(
                    format!("`{first}` must come right before a term"),
                    start..text.len(),
                ))
            }
            Some('"') => {
                let (inner, end) = quoted(text, at)?;
                if inner.is_empty() {
                    return Err(PatternError::aws(
                        "Invalid character(s) in term '\"\"'",
                        "an empty quoted term; `\" \"` (a space in quotes) matches everything",
                        at..end,
                    ));
                }
                // `" "` stands for every event: the empty text, found in any message.
                list.push(if inner.trim().is_empty() { String::new() } else { inner });
                at = end;
            }
            Some('%') => return Err(PatternError::regex(at..text.len())),
            Some(_) => {
                let end = text[at..].find(char::is_whitespace).map_or(text.len(), |i| at + i);
                let word = &text[at..end];
                if let Some(bad) = word.chars().find(|c| !bare(*c)) {
                    return Err(PatternError::aws(
                        format!("Invalid character(s) in term '{word}'"),
                        format!("`{bad}` in a term needs the term in double quotes"),
                        at..end,
                    ));
                }
                list.push(word.to_string());
                at = end;
            }
        }
    }
    terms.all.retain(|t| !t.is_empty());
    if terms == Terms::default() {
        return Ok(Pattern::Everything);
    }
    Ok(Pattern::Terms(terms))
}

/// The text of the quoted string that opens at `at` (`\"` and `\\` escape), and where it ends.
fn quoted(text: &str, at: usize) -> Result<(String, usize), PatternError> {
    let mut inner = String::new();
    let mut chars = text[at + 1..].char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Ok((inner, at + 1 + i + 1)),
            '\\' => match chars.next() {
                Some((_, escaped)) => inner.push(escaped),
                None => break,
            },
            c => inner.push(c),
        }
    }
    Err(PatternError::invalid("this quoted text is never closed with `\"`", at..text.len()))
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    LBrace,
    RBrace,
    LBracket,
    RBracket,
    LParen,
    RParen,
    Comma,
    And,
    Or,
    Cmp(Comparator),
    /// `$.a.b[0]`
    Selector(Vec<Step>),
    /// `"text"`
    Quoted(String),
    /// A bare word: a name, a number, a keyword, `...` or an unquoted value such as `4*`.
    Word(String),
    End,
}

struct Token {
    tok: Tok,
    span: Range<usize>,
}

/// Characters that end a bare word in a structured pattern.
fn ends_word(c: char) -> bool {
    c.is_whitespace() || "{}[](),&|=!<>\"".contains(c)
}

fn lex(text: &str) -> Result<Vec<Token>, PatternError> {
    let mut tokens = Vec::new();
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < text.len() {
        let c = text[at..].chars().next().expect("within the text");
        if c.is_whitespace() {
            at += c.len_utf8();
            continue;
        }
        let start = at;
        let two = |second: u8| bytes.get(at + 1) == Some(&second);
        let (tok, len) = match c {
            '{' => (Tok::LBrace, 1),
            '}' => (Tok::RBrace, 1),
            '[' => (Tok::LBracket, 1),
            ']' => (Tok::RBracket, 1),
            '(' => (Tok::LParen, 1),
            ')' => (Tok::RParen, 1),
            ',' => (Tok::Comma, 1),
            '&' if two(b'&') => (Tok::And, 2),
            '|' if two(b'|') => (Tok::Or, 2),
            '!' if two(b'=') => (Tok::Cmp(Comparator::NotEqual), 2),
            '<' if two(b'=') => (Tok::Cmp(Comparator::AtMost), 2),
            '>' if two(b'=') => (Tok::Cmp(Comparator::AtLeast), 2),
            '<' => (Tok::Cmp(Comparator::Less), 1),
            '>' => (Tok::Cmp(Comparator::Greater), 1),
            '=' => (Tok::Cmp(Comparator::Equal), 1),
            '&' | '|' | '!' => {
                let hint = match c {
                    '&' => "`&&` is AND",
                    '|' => "`||` is OR",
                    _ => "`!=` is not equal",
                };
                return Err(PatternError::invalid(format!("a lone `{c}`: {hint}"), at..at + 1));
            }
            '"' => {
                let (inner, end) = quoted(text, at)?;
                (Tok::Quoted(inner), end - at)
            }
            '%' => return Err(PatternError::regex(at..text.len())),
            '$' => {
                let (steps, end) = selector(text, at)?;
                (Tok::Selector(steps), end - at)
            }
            _ => {
                let end = text[at..].find(ends_word).map_or(text.len(), |i| at + i);
                (Tok::Word(text[at..end].to_string()), end - at)
            }
        };
        at += len;
        tokens.push(Token { tok, span: start..at });
    }
    tokens.push(Token { tok: Tok::End, span: text.len()..text.len() });
    Ok(tokens)
}

/// A JSON selector starting at the `$` at `at`: `.name` and `[index]` steps; names are letters,
/// digits, `-` and `_`.
fn selector(text: &str, at: usize) -> Result<(Vec<Step>, usize), PatternError> {
    let bytes = text.as_bytes();
    let mut steps = Vec::new();
    let mut i = at + 1;
    loop {
        match bytes.get(i) {
            Some(b'.') => {
                let start = i + 1;
                let mut end = start;
                while bytes.get(end).is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_') {
                    end += 1;
                }
                if end == start {
                    return Err(PatternError::invalid("a property name must follow `.`", at..end.max(i + 1)));
                }
                steps.push(Step::Key(text[start..end].to_string()));
                i = end;
            }
            Some(b'[') if !steps.is_empty() => {
                let start = i + 1;
                let mut end = start;
                while bytes.get(end).is_some_and(u8::is_ascii_digit) {
                    end += 1;
                }
                let index = text[start..end].parse::<usize>().ok().filter(|_| bytes.get(end) == Some(&b']'));
                let Some(index) = index else {
                    return Err(PatternError::invalid("an array index is a number in brackets: `[0]`", i..end));
                };
                steps.push(Step::Index(index));
                i = end + 1;
            }
            _ => break,
        }
    }
    if steps.is_empty() {
        return Err(PatternError::invalid("a selector starts with `$.` and a property name: `$.level`", at..i));
    }
    Ok((steps, i))
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
}

impl Parser {
    fn new(text: &str) -> Result<Parser, PatternError> {
        Ok(Parser { tokens: lex(text)?, pos: 0 })
    }

    fn peek(&self) -> &Tok {
        &self.tokens[self.pos].tok
    }

    fn span(&self) -> Range<usize> {
        self.tokens[self.pos].span.clone()
    }

    fn bump(&mut self) -> Tok {
        let tok = self.tokens[self.pos].tok.clone();
        if tok != Tok::End {
            self.pos += 1;
        }
        tok
    }

    fn expect(&mut self, tok: Tok, what: &str) -> Result<(), PatternError> {
        if *self.peek() == tok {
            self.bump();
            return Ok(());
        }
        Err(PatternError::invalid(format!("expected {what} here"), self.span()))
    }

    /// Whether the next token is the keyword `word` (in any case); eats it if so.
    fn keyword(&mut self, word: &str) -> bool {
        let found = matches!(self.peek(), Tok::Word(w) if w.eq_ignore_ascii_case(word));
        if found {
            self.bump();
        }
        found
    }

    /// `{ condition }`
    fn json(&mut self) -> Result<Pattern, PatternError> {
        self.expect(Tok::LBrace, "`{`")?;
        let condition = self.or(0, &mut Parser::json_test)?;
        self.expect(Tok::RBrace, "`}` or `&&` or `||`")?;
        self.expect(Tok::End, "the end of the pattern after `}`")?;
        Ok(Pattern::Json(condition))
    }

    /// `a || b || ...`, each side an `and`.
    fn or(
        &mut self,
        depth: usize,
        test: &mut dyn FnMut(&mut Parser) -> Result<Condition, PatternError>,
    ) -> Result<Condition, PatternError> {
        self.chain(Tok::Or, depth, test)
    }

    /// `a && b && ...`, each side a `primary`.
    fn and(
        &mut self,
        depth: usize,
        test: &mut dyn FnMut(&mut Parser) -> Result<Condition, PatternError>,
    ) -> Result<Condition, PatternError> {
        self.chain(Tok::And, depth, test)
    }

    /// Operands joined by `op` (`||` over `&&` operands, `&&` over primaries), grouped to the left.
    fn chain(
        &mut self,
        op: Tok,
        depth: usize,
        test: &mut dyn FnMut(&mut Parser) -> Result<Condition, PatternError>,
    ) -> Result<Condition, PatternError> {
        let or = op == Tok::Or;
        let mut operand = |p: &mut Parser| if or { p.and(depth, test) } else { p.primary(depth, test) };
        let mut left = operand(self)?;
        while *self.peek() == op {
            self.bump();
            let right = Box::new(operand(self)?);
            left = if or { Condition::Or(Box::new(left), right) } else { Condition::And(Box::new(left), right) };
        }
        Ok(left)
    }

    fn primary(
        &mut self,
        depth: usize,
        test: &mut dyn FnMut(&mut Parser) -> Result<Condition, PatternError>,
    ) -> Result<Condition, PatternError> {
        if *self.peek() != Tok::LParen {
            return test(self);
        }
        if depth >= MAX_DEPTH {
            return Err(PatternError::invalid("parentheses nest too deep", self.span()));
        }
        self.bump();
        let inner = self.or(depth + 1, test)?;
        self.expect(Tok::RParen, "`)`")?;
        Ok(inner)
    }

    /// `$.a = value`, `$.a IS NULL`, `$.a IS TRUE`, `$.a NOT EXISTS`.
    fn json_test(&mut self) -> Result<Condition, PatternError> {
        let span = self.span();
        let Tok::Selector(steps) = self.bump() else {
            return Err(PatternError::invalid("expected a selector such as `$.level` here", span));
        };
        let field = Field::Json(steps);
        if self.keyword("IS") {
            let span = self.span();
            if self.keyword("NULL") {
                return Ok(Condition::IsNull(field));
            }
            if self.keyword("TRUE") {
                return Ok(Condition::IsBool(field, true));
            }
            if self.keyword("FALSE") {
                return Ok(Condition::IsBool(field, false));
            }
            return Err(PatternError::invalid("`IS` is followed by `NULL`, `TRUE` or `FALSE`", span));
        }
        if self.keyword("NOT") {
            let span = self.span();
            if self.keyword("EXISTS") {
                return Ok(Condition::NotExists(field));
            }
            return Err(PatternError::invalid("`NOT` is followed by `EXISTS`", span));
        }
        self.comparison(field)
    }

    /// A comparator and the value after it.
    fn comparison(&mut self, field: Field) -> Result<Condition, PatternError> {
        let span = self.span();
        let Tok::Cmp(op) = self.bump() else {
            return Err(PatternError::invalid("expected `=`, `!=`, `<`, `<=`, `>` or `>=` here", span));
        };
        let span = self.span();
        let literal = match self.bump() {
            Tok::Quoted(text) => Literal::Text(text),
            Tok::Word(word) => match number(&word) {
                Some(n) => Literal::Number(n, word),
                None => {
                    if let Some(bad) = word.chars().find(|c| !(c.is_alphanumeric() || "_-.*+:/".contains(*c))) {
                        return Err(PatternError::invalid(
                            format!("`{bad}` in a value needs the value in double quotes"),
                            span,
                        ));
                    }
                    Literal::Text(word)
                }
            },
            _ => return Err(PatternError::invalid("expected a value (a number, a word or \"text\") here", span)),
        };
        let ordering = !matches!(op, Comparator::Equal | Comparator::NotEqual);
        if ordering && !matches!(literal, Literal::Number(..)) {
            return Err(PatternError::invalid("`<`, `<=`, `>` and `>=` compare with a number", span));
        }
        Ok(Condition::Compare(field, op, literal))
    }

    /// `[field, field = value, ..., field > 5 && field < 9]`
    fn delimited(&mut self) -> Result<Pattern, PatternError> {
        self.expect(Tok::LBracket, "`[`")?;
        let mut fields: Vec<Slot> = Vec::new();
        loop {
            let span = self.span();
            match self.bump() {
                Tok::RBracket => break,
                // An empty position (`[a,,b]` or a trailing comma) holds no field.
                Tok::Comma => continue,
                Tok::Word(word) if word == "..." => {
                    if fields.last() != Some(&Slot::Any) {
                        fields.push(Slot::Any);
                    }
                }
                Tok::Word(name) if name.chars().all(bare) => {
                    let condition = match self.peek() {
                        Tok::Cmp(_) => {
                            let own = name.clone();
                            let mut test = move |p: &mut Parser| p.field_test(&own);
                            // The first test names the field itself, already read.
                            let first = self.comparison(Field::Named(name.clone()))?;
                            Some(self.rest_of_condition(first, &mut test)?)
                        }
                        _ => None,
                    };
                    fields.push(Slot::Field(name, condition));
                }
                Tok::Word(name) => {
                    return Err(PatternError::invalid(
                        format!("`{name}` is not a field name (letters, digits and `_`)"),
                        span,
                    ))
                }
                _ => return Err(PatternError::invalid("expected a field name or `...` here", span)),
            }
            match self.peek() {
                Tok::Comma => {
                    self.bump();
                }
                Tok::RBracket => {}
                _ => return Err(PatternError::invalid("expected `,` or `]` here", self.span())),
            }
        }
        self.expect(Tok::End, "the end of the pattern after `]`")?;
        if fields.is_empty() {
            return Err(PatternError::invalid("a space-delimited pattern names at least one field", 0..0));
        }
        Ok(Pattern::Delimited(Delimited { fields }))
    }

    /// The `&& ...` and `|| ...` that follow a field's first test.
    fn rest_of_condition(
        &mut self,
        first: Condition,
        test: &mut dyn FnMut(&mut Parser) -> Result<Condition, PatternError>,
    ) -> Result<Condition, PatternError> {
        let mut left = first;
        while *self.peek() == Tok::And {
            self.bump();
            let right = self.primary(0, test)?;
            left = Condition::And(Box::new(left), Box::new(right));
        }
        while *self.peek() == Tok::Or {
            self.bump();
            let right = self.and(0, test)?;
            left = Condition::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    /// `name = value` inside a field's condition, which may only test that field.
    fn field_test(&mut self, own: &str) -> Result<Condition, PatternError> {
        let span = self.span();
        match self.bump() {
            Tok::Word(name) if name == own => self.comparison(Field::Named(name)),
            Tok::Word(name) => Err(PatternError::invalid(
                format!("the condition at the position of `{own}` can only test `{own}`, not `{name}`"),
                span,
            )),
            _ => Err(PatternError::invalid(format!("expected `{own}` and a comparison here"), span)),
        }
    }
}

/// `[+-]digits[.digits][e[+-]digits]` as a number.
pub(super) fn number(word: &str) -> Option<f64> {
    let b = word.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i > start
    };
    if !digits(&mut i) {
        return None;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if !digits(&mut i) {
            return None;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !digits(&mut i) {
            return None;
        }
    }
    (i == b.len()).then(|| word.parse().ok()).flatten()
}
