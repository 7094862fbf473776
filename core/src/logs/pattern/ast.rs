//! A parsed filter pattern: one of CloudWatch Logs' three syntaxes. Each variant's comment shows
//! the pattern text that produces it.

/// A whole filter pattern.
#[derive(Clone, Debug, PartialEq)]
pub enum Pattern {
    /// `` (empty) or `" "`: every event matches.
    Everything,
    /// `ERROR "not found" ?WARN -DEBUG`: words and phrases looked for in the message text.
    Terms(Terms),
    /// `{ $.level = "error" && $.latency > 500 }`: conditions on a JSON event.
    Json(Condition),
    /// `[ip, user, ..., status = 4*, bytes > 1000]`: fields of a space-delimited event.
    Delimited(Delimited),
}

/// The terms of an unstructured pattern, each matched as a case-sensitive substring.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Terms {
    /// `ERROR "not found"`: every one must appear.
    pub all: Vec<String>,
    /// `?ERROR ?WARN`: at least one must appear (when there are any).
    pub any: Vec<String>,
    /// `-DEBUG`: none may appear.
    pub none: Vec<String>,
}

/// A condition of a JSON pattern, or of the fields of a space-delimited one.
#[derive(Clone, Debug, PartialEq)]
pub enum Condition {
    /// `a || b`
    Or(Box<Condition>, Box<Condition>),
    /// `a && b`
    And(Box<Condition>, Box<Condition>),
    /// `$.status = 404`, `status_code = 4*`
    Compare(Field, Comparator, Literal),
    /// `$.error IS NULL`
    IsNull(Field),
    /// `$.ok IS TRUE`, `$.ok IS FALSE`
    IsBool(Field, bool),
    /// `$.user NOT EXISTS`
    NotExists(Field),
}

/// What a condition looks at.
#[derive(Clone, Debug, PartialEq)]
pub enum Field {
    /// `$.user.ids[0]`: a path into the JSON event.
    Json(Vec<Step>),
    /// `status_code`: a named field of a space-delimited pattern.
    Named(String),
}

/// One step of a JSON selector.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// `.name`
    Key(String),
    /// `[3]`
    Index(usize),
}

/// How a field is compared with a literal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparator {
    /// `=`: equal (text with `*` at either end, or numbers).
    Equal,
    /// `!=`: present and not equal.
    NotEqual,
    /// `<`: numbers only, as the three below.
    Less,
    /// `<=`
    AtMost,
    /// `>`
    Greater,
    /// `>=`
    AtLeast,
}

/// The right side of a comparison.
#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    /// `404`, `-1.5`, `10e3`: compared as a number (and as its text with `=` and `!=`).
    Number(f64, String),
    /// `"Update*"`, `4*`, `*`: compared as text, `*` standing for any characters.
    Text(String),
}

/// A space-delimited pattern: its fields in order.
#[derive(Clone, Debug, PartialEq)]
pub struct Delimited {
    pub fields: Vec<Slot>,
}

/// One position of a space-delimited pattern.
#[derive(Clone, Debug, PartialEq)]
pub enum Slot {
    /// `...`: any number of the event's fields.
    Any,
    /// `status_code` or `status_code = 4* && bytes > 1000`: one field, named, and the condition
    /// written at its position (which may name other fields too).
    Field(String, Option<Condition>),
}
