//! Whether an event's message matches a [`Pattern`].
//!
//! Terms are case-sensitive substrings. A JSON pattern matches only a message that is JSON, and
//! a condition holds only where its selector reaches a value (a string, number or boolean; never
//! an array or an object). A space-delimited pattern splits the message at spaces, keeping text
//! in `"..."` or `[...]` as one field, and lines its positions up with the fields (`...` taking
//! any number of them).

use super::ast::*;
use super::parser::number;
use serde_json::Value;

impl Pattern {
    pub fn matches(&self, message: &str) -> bool {
        match self {
            Pattern::Everything => true,
            Pattern::Terms(terms) => {
                let found = |term: &String| message.contains(term.as_str());
                terms.all.iter().all(found)
                    && (terms.any.is_empty() || terms.any.iter().any(found))
                    && !terms.none.iter().any(found)
            }
            Pattern::Json(condition) => {
                serde_json::from_str::<Value>(message.trim()).is_ok_and(|event| json_holds(condition, &event))
            }
            Pattern::Delimited(pattern) => pattern.matches(&fields_of(message)),
        }
    }
}

fn json_holds(condition: &Condition, event: &Value) -> bool {
    let at = |field: &Field| match field {
        Field::Json(steps) => reach(event, steps),
        Field::Named(_) => None,
    };
    match condition {
        Condition::Or(a, b) => json_holds(a, event) || json_holds(b, event),
        Condition::And(a, b) => json_holds(a, event) && json_holds(b, event),
        Condition::IsNull(field) => at(field).is_some_and(Value::is_null),
        Condition::IsBool(field, wanted) => at(field).and_then(Value::as_bool) == Some(*wanted),
        Condition::NotExists(field) => at(field).is_none(),
        Condition::Compare(field, op, literal) => match at(field) {
            Some(Value::String(text)) => compare_text(text, *op, literal),
            Some(Value::Number(n)) => match literal {
                Literal::Number(wanted, _) => n.as_f64().is_some_and(|n| ordered(n, *op, *wanted)),
                Literal::Text(_) => compare_text(&n.to_string(), *op, literal),
            },
            Some(Value::Bool(b)) => compare_text(if *b { "true" } else { "false" }, *op, literal),
            _ => false,
        },
    }
}

/// The value `steps` lead to in `event`.
fn reach<'a>(event: &'a Value, steps: &[Step]) -> Option<&'a Value> {
    steps.iter().try_fold(event, |value, step| match step {
        Step::Key(key) => value.as_object()?.get(key),
        Step::Index(index) => value.as_array()?.get(*index),
    })
}

/// A text value against a literal: `=` and `!=` only, with `*` as a wildcard; a number literal
/// is compared with the text as written, or as a number when the text is one.
fn compare_text(text: &str, op: Comparator, literal: &Literal) -> bool {
    match (literal, op) {
        (Literal::Number(wanted, written), _) => match number(text) {
            Some(n) => ordered(n, op, *wanted),
            None => match op {
                Comparator::Equal => text == written,
                Comparator::NotEqual => text != written,
                _ => false,
            },
        },
        (Literal::Text(pattern), Comparator::Equal) => wildcard(pattern, text),
        (Literal::Text(pattern), Comparator::NotEqual) => !wildcard(pattern, text),
        (Literal::Text(_), _) => false,
    }
}

fn ordered(n: f64, op: Comparator, wanted: f64) -> bool {
    match op {
        Comparator::Equal => n == wanted,
        Comparator::NotEqual => n != wanted,
        Comparator::Less => n < wanted,
        Comparator::AtMost => n <= wanted,
        Comparator::Greater => n > wanted,
        Comparator::AtLeast => n >= wanted,
    }
}

/// Whether `text` matches `pattern`: a `*` at the start or the end stands for any text there (a
/// `*` inside is itself, as AWS reads `Ev*ent`).
pub fn wildcard(pattern: &str, text: &str) -> bool {
    let (any_before, rest) = match pattern.strip_prefix('*') {
        Some(rest) => (true, rest),
        None => (false, pattern),
    };
    let (any_after, middle) = match rest.strip_suffix('*') {
        Some(middle) => (true, middle),
        None => (false, rest),
    };
    match (any_before, any_after) {
        (true, true) => text.contains(middle),
        (true, false) => text.ends_with(middle),
        (false, true) => text.starts_with(middle),
        (false, false) => text == middle,
    }
}

/// A message's space-delimited fields; `"..."` and `[...]` each make one field, without their
/// quotes or brackets.
pub fn fields_of(message: &str) -> Vec<&str> {
    let mut fields = Vec::new();
    let mut rest = message;
    loop {
        rest = rest.trim_start_matches(' ');
        let Some(first) = rest.chars().next() else { break };
        let close = match first {
            '"' => Some('"'),
            '[' => Some(']'),
            _ => None,
        };
        let (field, after) = match close.and_then(|c| rest[1..].find(c).map(|i| (c, i))) {
            Some((_, i)) => (&rest[1..1 + i], &rest[2 + i..]),
            None => {
                let end = rest.find(' ').unwrap_or(rest.len());
                (&rest[..end], &rest[end..])
            }
        };
        fields.push(field);
        rest = after;
    }
    fields
}

impl Delimited {
    /// Whether the positions line up with `fields`, each condition holding on its field. Solved
    /// position by position over the set of field indexes reachable so far, so that many `...`
    /// cost no more than one.
    fn matches(&self, fields: &[&str]) -> bool {
        let mut reachable = vec![false; fields.len() + 1];
        reachable[0] = true;
        for slot in &self.fields {
            let mut next = vec![false; fields.len() + 1];
            match slot {
                Slot::Any => {
                    let mut seen = false;
                    for (at, reached) in reachable.iter().enumerate() {
                        seen |= reached;
                        next[at] = seen;
                    }
                }
                Slot::Field(_, condition) => {
                    for at in 0..fields.len() {
                        let holds = || condition.as_ref().is_none_or(|c| field_holds(c, fields[at]));
                        next[at + 1] = reachable[at] && holds();
                    }
                }
            }
            reachable = next;
        }
        reachable[fields.len()]
    }
}

fn field_holds(condition: &Condition, field: &str) -> bool {
    match condition {
        Condition::Or(a, b) => field_holds(a, field) || field_holds(b, field),
        Condition::And(a, b) => field_holds(a, field) && field_holds(b, field),
        Condition::Compare(_, op, literal) => compare_text(field, *op, literal),
        Condition::IsNull(_) | Condition::IsBool(..) | Condition::NotExists(_) => false,
    }
}
