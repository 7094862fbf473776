//! Placeholders and validation: every `#name` and `:value` defined, no reserved word used as a
//! bare name, every supplied placeholder used, update paths that do not overlap. All of it runs
//! before anything is evaluated.

use super::ast::*;
use super::parser::{self, ParseError};
use super::reserved::is_reserved;
use crate::dynamodb::model::{AttributeValue, Item};
use crate::error::AwsError;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// Which request parameter an expression came from; DynamoDB names it in its messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExprKind {
    Condition,
    KeyCondition,
    Filter,
    Projection,
    Update,
}

impl ExprKind {
    pub fn parameter(self) -> &'static str {
        match self {
            ExprKind::Condition => "ConditionExpression",
            ExprKind::KeyCondition => "KeyConditionExpression",
            ExprKind::Filter => "FilterExpression",
            ExprKind::Projection => "ProjectionExpression",
            ExprKind::Update => "UpdateExpression",
        }
    }
}

/// One step of a resolved document path.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// A document path with its placeholders replaced: `#a.b[2]` -> `[Key(Artist), Key(b), Index(2)]`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct DocPath(pub Vec<Step>);

impl fmt::Display for DocPath {
    /// As DynamoDB prints paths in messages: `[a, b, [2]]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|s| match s {
                Step::Key(k) => k.clone(),
                Step::Index(i) => format!("[{i}]"),
            })
            .collect();
        write!(f, "[{}]", parts.join(", "))
    }
}

impl DocPath {
    pub fn top(&self) -> &str {
        match self.0.first() {
            Some(Step::Key(k)) => k,
            _ => "",
        }
    }

    fn overlaps(&self, other: &DocPath) -> bool {
        self.0.iter().zip(&other.0).all(|(a, b)| a == b)
    }
}

/// A request's ExpressionAttributeNames and ExpressionAttributeValues, and which of them the
/// request's expressions used.
#[derive(Debug, Default)]
pub struct Placeholders {
    pub names: BTreeMap<String, String>,
    pub values: Item,
    used_names: BTreeSet<String>,
    used_values: BTreeSet<String>,
}

fn invalid(kind: ExprKind, message: impl fmt::Display) -> AwsError {
    AwsError::client("ValidationException", format!("Invalid {}: {message}", kind.parameter()))
}

fn parse_error(kind: ExprKind, err: ParseError) -> AwsError {
    invalid(kind, err.message)
}

impl Placeholders {
    pub fn new(names: BTreeMap<String, String>, values: Item) -> Placeholders {
        Placeholders { names, values, ..Placeholders::default() }
    }

    pub fn condition(&mut self, text: &str, kind: ExprKind) -> Result<Condition, AwsError> {
        if text.is_empty() {
            return Err(invalid(kind, "The expression can not be empty;"));
        }
        let condition = parser::parse_condition(text).map_err(|e| parse_error(kind, e))?;
        self.check_condition(&condition, kind)?;
        Ok(condition)
    }

    pub fn projection(&mut self, text: &str) -> Result<Vec<DocPath>, AwsError> {
        let kind = ExprKind::Projection;
        if text.is_empty() {
            return Err(invalid(kind, "The expression can not be empty;"));
        }
        let paths = parser::parse_projection(text).map_err(|e| parse_error(kind, e))?;
        let resolved: Vec<DocPath> = paths.iter().map(|p| self.path(p, kind)).collect::<Result<_, _>>()?;
        check_overlaps(&resolved, kind)?;
        Ok(resolved)
    }

    /// Parses and validates an update. The path each action writes is pushed onto `targets` once
    /// the action has passed its own checks, error or not afterwards: whether an action writes a
    /// key attribute is for the table to say ([`key_untouched`]), and DynamoDB reports it at that
    /// action, before any problem in the actions after it.
    pub fn update(&mut self, text: &str, targets: &mut Vec<DocPath>) -> Result<Vec<UpdateAction>, AwsError> {
        let kind = ExprKind::Update;
        if text.is_empty() {
            return Err(invalid(kind, "The expression can not be empty;"));
        }
        let actions = parser::parse_update(text).map_err(|e| parse_error(kind, e))?;
        let first = targets.len();
        for action in &actions {
            let (path, operand) = match action {
                UpdateAction::Set(p, o) | UpdateAction::Add(p, o) | UpdateAction::Delete(p, o) => (p, Some(o)),
                UpdateAction::Remove(p) => (p, None),
            };
            let resolved = self.path(path, kind)?;
            if let Some(operand) = operand {
                self.check_operand(operand, kind)?;
            }
            match action {
                UpdateAction::Add(_, Operand::Value(name, _)) => {
                    let value = &self.values[name];
                    if !matches!(
                        value,
                        AttributeValue::N(_) | AttributeValue::Ss(_) | AttributeValue::Ns(_) | AttributeValue::Bs(_)
                    ) {
                        return Err(invalid(
                            kind,
                            format!(
                                "Incorrect operand type for operator or function; operator: ADD, operand type: {}, typeSet: ALLOWED_FOR_ADD_OPERAND",
                                type_word(value)
                            ),
                        ));
                    }
                }
                UpdateAction::Delete(_, Operand::Value(name, _)) => {
                    let value = &self.values[name];
                    if !matches!(value, AttributeValue::Ss(_) | AttributeValue::Ns(_) | AttributeValue::Bs(_)) {
                        return Err(invalid(
                            kind,
                            format!(
                                "Incorrect operand type for operator or function; operator: DELETE, operand type: {}, typeSet: ALLOWED_FOR_DELETE_OPERAND",
                                type_word(value)
                            ),
                        ));
                    }
                }
                UpdateAction::Set(_, operand) => self.check_set_literals(operand)?,
                _ => {}
            }
            targets.push(resolved);
        }
        check_overlaps(&targets[first..], kind)?;
        Ok(actions)
    }

    /// After every expression of a request: placeholders supplied but never used are errors.
    pub fn check_all_used(&self) -> Result<(), AwsError> {
        let unused: Vec<&String> = self.names.keys().filter(|n| !self.used_names.contains(*n)).collect();
        if !unused.is_empty() {
            return Err(AwsError::client(
                "ValidationException",
                format!(
                    "Value provided in ExpressionAttributeNames unused in expressions: keys: {{{}}}",
                    join(&unused)
                ),
            ));
        }
        let unused: Vec<&String> = self.values.keys().filter(|n| !self.used_values.contains(*n)).collect();
        if !unused.is_empty() {
            return Err(AwsError::client(
                "ValidationException",
                format!(
                    "Value provided in ExpressionAttributeValues unused in expressions: keys: {{{}}}",
                    join(&unused)
                ),
            ));
        }
        Ok(())
    }

    /// Resolves a path's placeholders, refusing reserved words and undefined names.
    pub fn path(&mut self, path: &Path, kind: ExprKind) -> Result<DocPath, AwsError> {
        let mut steps = Vec::with_capacity(path.elements.len());
        for element in &path.elements {
            steps.push(match element {
                PathElement::Name(name, _) => {
                    if is_reserved(name) {
                        return Err(invalid(kind, format!("Attribute name is a reserved keyword; reserved keyword: {name}")));
                    }
                    Step::Key(name.clone())
                }
                PathElement::Placeholder(name, _) => match self.names.get(name) {
                    Some(real) => {
                        self.used_names.insert(name.clone());
                        Step::Key(real.clone())
                    }
                    None => {
                        return Err(invalid(
                            kind,
                            format!("An expression attribute name used in the document path is not defined; attribute name: {name}"),
                        ))
                    }
                },
                PathElement::Index(i) => Step::Index(*i),
            });
        }
        Ok(DocPath(steps))
    }

    /// The value of a `:placeholder` (after validation it is always defined).
    pub fn value(&self, name: &str) -> &AttributeValue {
        &self.values[name]
    }

    fn use_value(&mut self, name: &str, kind: ExprKind) -> Result<&AttributeValue, AwsError> {
        if !self.values.contains_key(name) {
            return Err(invalid(
                kind,
                format!("An expression attribute value used in expression is not defined; attribute value: {name}"),
            ));
        }
        self.used_values.insert(name.to_string());
        Ok(&self.values[name])
    }

    /// `+`, `-` and list_append with a literal of the wrong type are refused before execution.
    fn check_set_literals(&self, operand: &Operand) -> Result<(), AwsError> {
        let literal = |o: &Operand| match o {
            Operand::Value(name, _) => Some(self.value(name)),
            _ => None,
        };
        let wrong = |function: &str, value: &AttributeValue| {
            invalid(
                ExprKind::Update,
                format!("Incorrect operand type for operator or function; operator or function: {function}, operand type: {}", value.type_name()),
            )
        };
        match operand {
            Operand::Plus(a, b, _) | Operand::Minus(a, b, _) => {
                let symbol = if matches!(operand, Operand::Plus(..)) { "+" } else { "-" };
                for side in [a, b] {
                    if let Some(v) = literal(side).filter(|v| !matches!(v, AttributeValue::N(_))) {
                        return Err(wrong(symbol, v));
                    }
                    self.check_set_literals(side)?;
                }
                Ok(())
            }
            Operand::ListAppend(a, b, _) => {
                for side in [a, b] {
                    if let Some(v) = literal(side).filter(|v| !matches!(v, AttributeValue::L(_))) {
                        return Err(wrong("list_append", v));
                    }
                    self.check_set_literals(side)?;
                }
                Ok(())
            }
            Operand::IfNotExists(_, fallback, _) => self.check_set_literals(fallback),
            _ => Ok(()),
        }
    }

    /// `a = a`, `contains(a, a)`: the first operand must differ from the others.
    fn check_distinct(
        &mut self,
        first: &Operand,
        others: &[&Operand],
        operator: &str,
        kind: ExprKind,
    ) -> Result<(), AwsError> {
        let Operand::Path(first) = first else { return Ok(()) };
        let first = self.path(first, kind)?;
        for other in others {
            if let Operand::Path(p) = other {
                if self.path(p, kind)? == first {
                    return Err(invalid(
                        kind,
                        format!("The first operand must be distinct from the remaining operands for this operator or function; operator: {operator}, first operand: {first}"),
                    ));
                }
            }
        }
        Ok(())
    }

    fn check_operand(&mut self, operand: &Operand, kind: ExprKind) -> Result<(), AwsError> {
        match operand {
            Operand::Path(p) | Operand::Size(p, _) => self.path(p, kind).map(drop),
            Operand::Value(name, _) => self.use_value(name, kind).map(drop),
            Operand::IfNotExists(p, fallback, _) => {
                self.path(p, kind)?;
                self.check_operand(fallback, kind)
            }
            Operand::ListAppend(a, b, _) | Operand::Plus(a, b, _) | Operand::Minus(a, b, _) => {
                self.check_operand(a, kind)?;
                self.check_operand(b, kind)
            }
        }
    }

    fn check_condition(&mut self, condition: &Condition, kind: ExprKind) -> Result<(), AwsError> {
        match condition {
            Condition::Compare(a, _, b) | Condition::BeginsWith(a, b) | Condition::Contains(a, b) => {
                self.check_operand(a, kind)?;
                self.check_operand(b, kind)?;
                let operator = match condition {
                    Condition::Compare(_, cmp, _) => cmp.symbol(),
                    Condition::BeginsWith(..) => "begins_with",
                    _ => "contains",
                };
                self.check_distinct(a, &[b], operator, kind)?;
                if let (Condition::BeginsWith(..), Operand::Value(name, _)) = (condition, b) {
                    let value = self.value(name);
                    if !matches!(value, AttributeValue::S(_) | AttributeValue::B(_)) {
                        return Err(invalid(
                            kind,
                            format!("Incorrect operand type for operator or function; operator or function: begins_with, operand type: {}", value.type_name()),
                        ));
                    }
                }
                Ok(())
            }
            Condition::Between(x, low, high) => {
                self.check_operand(x, kind)?;
                self.check_operand(low, kind)?;
                self.check_operand(high, kind)?;
                self.check_distinct(x, &[low, high], "BETWEEN", kind)?;
                if let (Operand::Value(l, _), Operand::Value(h, _)) = (low, high) {
                    let (l, h) = (self.value(l), self.value(h));
                    if l.type_name() != h.type_name() {
                        return Err(invalid(
                            kind,
                            format!(
                                "The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {{{}:{}}}, upper bound operand: AttributeValue: {{{}:{}}}",
                                l.type_name(), scalar_text(l), h.type_name(), scalar_text(h)
                            ),
                        ));
                    }
                    if super::eval::compare(l, h) == Some(std::cmp::Ordering::Greater) {
                        return Err(invalid(
                            kind,
                            format!(
                                "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {{{}:{}}}, upper bound operand: AttributeValue: {{{}:{}}}",
                                l.type_name(), scalar_text(l), h.type_name(), scalar_text(h)
                            ),
                        ));
                    }
                }
                Ok(())
            }
            Condition::In(x, list) => {
                self.check_operand(x, kind)?;
                if list.len() > 100 {
                    return Err(invalid(
                        kind,
                        format!(
                            "The IN operator is provided with too many operands; number of operands: {}",
                            list.len()
                        ),
                    ));
                }
                list.iter().try_for_each(|o| self.check_operand(o, kind))?;
                let others: Vec<&Operand> = list.iter().collect();
                self.check_distinct(x, &others, "IN", kind)
            }
            Condition::And(a, b) | Condition::Or(a, b) => {
                self.check_condition(a, kind)?;
                self.check_condition(b, kind)
            }
            Condition::Not(a) => self.check_condition(a, kind),
            Condition::AttributeExists(p) | Condition::AttributeNotExists(p) => self.path(p, kind).map(drop),
            Condition::AttributeType(p, t) => {
                self.path(p, kind)?;
                self.check_operand(t, kind)?;
                if let Operand::Value(name, _) = t {
                    let valid = ["S", "SS", "N", "NS", "B", "BS", "BOOL", "NULL", "L", "M"];
                    match self.value(name) {
                        AttributeValue::S(s) if valid.contains(&s.as_str()) => {}
                        AttributeValue::S(s) => {
                            return Err(invalid(kind, format!("Invalid attribute type name found; type: {s}, valid types: {{B,NULL,SS,BOOL,L,BS,N,NS,S,M}}")))
                        }
                        other => {
                            return Err(invalid(
                                kind,
                                format!("Incorrect operand type for operator or function; operator or function: attribute_type, operand type: {}", other.type_name()),
                            ))
                        }
                    }
                }
                Ok(())
            }
        }
    }
}

/// An update may not write the table's key attributes (`key`): the first of `targets`, the paths
/// of its actions in order, that is one is the error.
pub fn key_untouched(targets: &[DocPath], key: &[&str]) -> Result<(), AwsError> {
    match targets.iter().find(|t| key.contains(&t.top())) {
        Some(target) => Err(AwsError::client(
            "ValidationException",
            format!(
                "One or more parameter values were invalid: Cannot update attribute {}. This attribute is part of the key",
                target.top()
            ),
        )),
        None => Ok(()),
    }
}

fn join(keys: &[&String]) -> String {
    keys.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", ")
}

/// How DynamoDB names operand types in update errors (`STRING`, `NUMBER`...).
fn type_word(value: &AttributeValue) -> &'static str {
    match value {
        AttributeValue::S(_) => "STRING",
        AttributeValue::N(_) => "NUMBER",
        AttributeValue::B(_) => "BINARY",
        AttributeValue::Bool(_) => "BOOLEAN",
        AttributeValue::Null => "NULL",
        AttributeValue::M(_) => "MAP",
        AttributeValue::L(_) => "LIST",
        AttributeValue::Ss(_) => "SS",
        AttributeValue::Ns(_) => "NS",
        AttributeValue::Bs(_) => "BS",
    }
}

fn scalar_text(value: &AttributeValue) -> String {
    match value {
        AttributeValue::S(s) => s.clone(),
        AttributeValue::N(n) => n.to_string(),
        other => other.to_wire().to_string(),
    }
}

/// No two paths may be the same or one inside the other.
fn check_overlaps(paths: &[DocPath], kind: ExprKind) -> Result<(), AwsError> {
    for (i, a) in paths.iter().enumerate() {
        for b in &paths[i + 1..] {
            if a.overlaps(b) {
                return Err(invalid(
                    kind,
                    format!("Two document paths overlap with each other; must remove or rewrite one of these paths; path one: {a}, path two: {b}"),
                ));
            }
        }
    }
    Ok(())
}
