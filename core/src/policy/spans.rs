//! Where each statement of a policy is in its text: a small scanner over JSON that serde_json has
//! already accepted, so errors and IAM's policy simulator can point at a statement by line and
//! column.
//!
//! It walks the top-level object, finds its (last) `Statement` member and records the span of the
//! value (one object) or of each element (an array). Columns count characters, from 1.

use super::{Position, Span};

/// The spans of the statements of `text`, in order; empty when there is no `Statement` member or
/// the text is not the JSON object it should be.
pub(super) fn statements(text: &str) -> Vec<Span> {
    let mut scanner = Scanner { chars: text.chars().collect(), at: 0, line: 1, column: 1 };
    scanner.top().unwrap_or_default()
}

struct Scanner {
    chars: Vec<char>,
    at: usize,
    line: usize,
    column: usize,
}

impl Scanner {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.at += 1;
        if c == '\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
        Some(c)
    }

    fn position(&self) -> Position {
        Position { line: self.line, column: self.column }
    }

    fn blank(&mut self) {
        while self.peek().is_some_and(|c| matches!(c, ' ' | '\t' | '\n' | '\r')) {
            self.bump();
        }
    }

    fn expect(&mut self, want: char) -> Option<()> {
        self.blank();
        (self.bump()? == want).then_some(())
    }

    /// The top-level object: its members, keeping the spans under the last `Statement`.
    fn top(&mut self) -> Option<Vec<Span>> {
        self.expect('{')?;
        let mut found = Vec::new();
        self.blank();
        if self.peek() == Some('}') {
            return Some(found);
        }
        loop {
            self.blank();
            let key = self.string()?;
            self.expect(':')?;
            self.blank();
            if key == "Statement" {
                found = self.statement_value()?;
            } else {
                self.value(0)?;
            }
            self.blank();
            match self.bump()? {
                ',' => continue,
                '}' => return Some(found),
                _ => return None,
            }
        }
    }

    /// `Statement`'s value: one span for an object, one per element for an array.
    fn statement_value(&mut self) -> Option<Vec<Span>> {
        if self.peek() != Some('[') {
            let start = self.position();
            self.value(0)?;
            return Some(vec![Span { start, end: self.position() }]);
        }
        self.bump();
        let mut spans = Vec::new();
        self.blank();
        if self.peek() == Some(']') {
            self.bump();
            return Some(spans);
        }
        loop {
            self.blank();
            let start = self.position();
            self.value(0)?;
            spans.push(Span { start, end: self.position() });
            self.blank();
            match self.bump()? {
                ',' => continue,
                ']' => return Some(spans),
                _ => return None,
            }
        }
    }

    /// Skips one value. `depth` bounds the nesting, as serde_json's own limit does.
    fn value(&mut self, depth: usize) -> Option<()> {
        if depth > 256 {
            return None;
        }
        self.blank();
        match self.peek()? {
            '"' => self.string().map(drop),
            '{' | '[' => {
                let close = if self.bump()? == '{' { '}' } else { ']' };
                self.blank();
                if self.peek() == Some(close) {
                    self.bump();
                    return Some(());
                }
                loop {
                    self.blank();
                    if close == '}' {
                        self.string()?;
                        self.expect(':')?;
                    }
                    self.value(depth + 1)?;
                    self.blank();
                    match self.bump()? {
                        ',' => continue,
                        c if c == close => return Some(()),
                        _ => return None,
                    }
                }
            }
            _ => {
                // A number, true, false or null.
                let mut any = false;
                while self.peek().is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '+' | '.')) {
                    self.bump();
                    any = true;
                }
                any.then_some(())
            }
        }
    }

    /// A string, unescaped only as far as telling `Statement` from other keys needs.
    fn string(&mut self) -> Option<String> {
        if self.bump()? != '"' {
            return None;
        }
        let mut out = String::new();
        loop {
            match self.bump()? {
                '"' => return Some(out),
                '\\' => {
                    // An escaped character is never part of `Statement`; keep a marker.
                    self.bump()?;
                    out.push('\u{0}');
                }
                c => out.push(c),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (line, column) of a statement's start and of its end.
    type Ends = ((usize, usize), (usize, usize));

    fn check(text: &str, expect: &[Ends]) {
        let got: Vec<Ends> =
            statements(text).iter().map(|s| ((s.start.line, s.start.column), (s.end.line, s.end.column))).collect();
        assert_eq!(got, expect, "{text}");
    }

    #[test]
    fn finds_statements() {
        check(r#"{"Statement": {"a": 1}}"#, &[((1, 15), (1, 23))]);
        check(
            "{\"Version\": \"x\", \"Statement\": [{}, {\"b\": [1, \"]\"]}]}",
            &[((1, 32), (1, 34)), ((1, 36), (1, 51))],
        );
        check(r#"{"Statement": [], "Statement": [{}]}"#, &[((1, 33), (1, 35))]);
        check(r#"{"Id": "\"Statement\"", "Statement": {}}"#, &[((1, 38), (1, 40))]);
        check("[1]", &[]);
        check("{}", &[]);
    }
}
