//! The syntax tree of DynamoDB expressions: condition, key condition, filter, projection and
//! update expressions share these types.

use std::ops::Range;

/// Byte offsets into the expression text.
pub type Span = Range<usize>;

/// One step of a document path: an attribute or map key, or a list index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathElement {
    /// `Artist`, as written.
    Name(String, Span),
    /// `#a`, resolved through ExpressionAttributeNames.
    Placeholder(String, Span),
    /// `[2]`.
    Index(usize),
}

/// `a.b[2].#c`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Path {
    pub elements: Vec<PathElement>,
    pub span: Span,
}

/// A value in a condition or update.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Operand {
    Path(Path),
    /// `:v`, resolved through ExpressionAttributeValues.
    Value(String, Span),
    /// `size(path)`.
    Size(Path, Span),
    /// `if_not_exists(path, operand)` (updates only).
    IfNotExists(Path, Box<Operand>, Span),
    /// `list_append(a, b)` (updates only).
    ListAppend(Box<Operand>, Box<Operand>, Span),
    /// `a + b` (updates only).
    Plus(Box<Operand>, Box<Operand>, Span),
    /// `a - b` (updates only).
    Minus(Box<Operand>, Box<Operand>, Span),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparator {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Comparator {
    pub fn symbol(self) -> &'static str {
        match self {
            Comparator::Eq => "=",
            Comparator::Ne => "<>",
            Comparator::Lt => "<",
            Comparator::Le => "<=",
            Comparator::Gt => ">",
            Comparator::Ge => ">=",
        }
    }
}

/// A condition (ConditionExpression, FilterExpression, KeyConditionExpression).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Condition {
    Compare(Operand, Comparator, Operand),
    Between(Operand, Operand, Operand),
    In(Operand, Vec<Operand>),
    And(Box<Condition>, Box<Condition>),
    Or(Box<Condition>, Box<Condition>),
    Not(Box<Condition>),
    AttributeExists(Path),
    AttributeNotExists(Path),
    AttributeType(Path, Operand),
    BeginsWith(Operand, Operand),
    Contains(Operand, Operand),
}

/// One action of an UpdateExpression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UpdateAction {
    Set(Path, Operand),
    Remove(Path),
    Add(Path, Operand),
    Delete(Path, Operand),
}
