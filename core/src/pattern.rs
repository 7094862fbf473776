//! Amazon EventBridge event-pattern matcher (also the dialect of Lambda event source mapping `FilterCriteria`).
//!
//! [`Pattern::parse`] compiles pattern text; [`Pattern::matches`] tests an event (a `serde_json::Value`).
//! The pattern text is parsed by a small JSON parser of our own so that every error carries the byte offset
//! (and 1-based line/column) of the offending token. Error messages are the reason texts of aws/event-ruler,
//! the engine behind EventBridge; a caller that emulates the AWS API should report them as
//! `InvalidEventPatternException: "Event pattern is not valid. Reason: {message}"`.
//!
//! Supported (semantics follow the EventBridge user guide and event-ruler):
//! - Object keys AND; a leaf must be a non-empty array whose entries OR; nested objects descend into the event.
//! - Arrays in the event: a leaf matches if any element matches; an object sub-pattern must be satisfied by a
//!   single array element (event-ruler's "array consistency"); nested arrays are flattened.
//! - Exact values: strings, numbers (compared numerically, `300` matches `3.0e2`), `true`, `false`, `null`,
//!   and `""`. Exact strings that are IP addresses compare as addresses (as event-ruler does).
//! - `prefix` / `suffix` (string, or `{"equals-ignore-case": "..."}`), `equals-ignore-case`,
//!   `wildcard` (`*` = any run of characters, `\*` and `\\` escapes, `**` rejected).
//! - `anything-but`: a string, a number, a list of only strings or only numbers, or an object with
//!   `prefix` / `suffix` / `equals-ignore-case` / `wildcard` (value or list of strings). Needs the field present.
//! - `numeric`: `["=", n]`, `["<", n]`, `["<=", n]`, `[">", n]`, `[">=", n]`, or a lower bound followed by an
//!   upper bound (`[">", 0, "<=", 5]`); only matches JSON numbers; bounds are IEEE-754 doubles.
//! - `exists`: `true` needs at least one leaf value (`null` counts; objects and empty arrays do not),
//!   `false` matches when there is none.
//! - `cidr`: IPv4 (mask 0-31) and IPv6 (mask 0-127) blocks, matched against string IP addresses.
//! - `$or`: an array of at least two sub-patterns, at any level; operator names are reserved field names inside.
//! - Pattern nesting is bounded at 64 objects/arrays; matching never recurses on event depth alone.
//!
//! Not supported / known differences:
//! - event-ruler's undocumented `exactly` operator and the reserved-but-unimplemented ones (`regex`,
//!   `date-*`, ...) are rejected as "Unrecognized match type".
//! - event-ruler flattens field paths with dots, so `{"a.b": [1]}` would also match `{"a": {"b": 1}}`; we
//!   treat keys literally. Duplicate keys: the later one wins (nested objects are merged).
//! - Legacy mode where `$or` is an ordinary field name; size/complexity quotas (pattern length, wildcard
//!   complexity); the API's own JSON-parse wording. Trailing text after the pattern object is rejected.
//! - Case folding uses Rust's `to_lowercase`, which may differ from Java for a few exotic characters.
//! - `exists: false` under an event array holds only if no element has the field, unless sibling conditions
//!   pick the element: a close approximation of event-ruler's array-consistent absence check.
//! - No per-consumer subsets: Pipes and Lambda do not accept every operator (see the operator table in the
//!   EventBridge guide); callers restrict if needed. Quirky reason texts are kept verbatim from event-ruler
//!   (e.g. "prefix match pattern must be a string" for a non-string `cidr`; wildcard positions count a quote).

use core::net::{Ipv4Addr, Ipv6Addr};
use serde_json::Value;
use std::fmt;

/// Deepest nesting of JSON objects/arrays accepted in a pattern.
const MAX_DEPTH: usize = 64;

const TOO_MANY: &str = "Too many elements in numeric expression";
const ONE_KEY: &str = "Only one key allowed in match expression";
/// Names that may not be used as field names inside `$or` (event-ruler's RESERVED_FIELD_NAMES_IN_OR_RELATIONSHIP).
const RESERVED: &str =
    "exactly equals-ignore-case prefix suffix anything-but exists wildcard numeric cidr = < <= > >= \
    regex not-wildcard not-equals-ignore-case date-after date-on-or-after date-before date-on-or-before in-date-range \
    ip-address-in-range ip-address-not-in-range";
/// A parsed event pattern.
#[derive(Clone, Debug)]
pub struct Pattern {
    root: Node,
}

/// Where and why a pattern is invalid. `offset` is a byte offset into the pattern text, `line` and `column` are 1-based.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PatternError {
    pub offset: usize,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for PatternError {}

impl Pattern {
    /// Parses and validates pattern text.
    pub fn parse(text: &str) -> Result<Pattern, PatternError> {
        parse_pattern(text).map_err(|(offset, message)| locate(text, offset, message))
    }

    /// Whether `event` matches the pattern.
    pub fn matches(&self, event: &Value) -> bool {
        self.root.matches(Some(event))
    }
}

// ---------------------------------------------------------------------------------------------------------------
// JSON with offsets

type Res<T> = Result<T, (usize, String)>;

fn err<T>(offset: usize, message: impl Into<String>) -> Res<T> {
    Err((offset, message.into()))
}

fn locate(text: &str, offset: usize, message: String) -> PatternError {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    PatternError { offset, line, column, message }
}

#[derive(Debug)]
struct J {
    off: usize,
    kind: Kind,
}

#[derive(Debug)]
enum Kind {
    Null,
    Bool(bool),
    Num(String),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<Member>),
}

#[derive(Debug)]
struct Member {
    key: String,
    off: usize,
    val: J,
}

/// Jackson-style `getText()` of a token, used in a few event-ruler messages.
fn token_text(j: Option<&J>) -> String {
    match j.map(|j| &j.kind) {
        None => "]".into(),
        Some(Kind::Null) => "null".into(),
        Some(Kind::Bool(b)) => b.to_string(),
        Some(Kind::Num(t) | Kind::Str(t)) => t.clone(),
        Some(Kind::Arr(_)) => "[".into(),
        Some(Kind::Obj(_)) => "{".into(),
    }
}

struct Parser<'a> {
    text: &'a str,
    b: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while matches!(self.b.get(self.pos), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// Skips whitespace, then consumes `c` if it is next.
    fn eat(&mut self, c: u8) -> bool {
        self.ws();
        let hit = self.b.get(self.pos) == Some(&c);
        self.pos += usize::from(hit);
        hit
    }

    fn unexpected<T>(&self, expected: &str) -> Res<T> {
        match self.text[self.pos..].chars().next() {
            None => err(self.pos, format!("Unexpected end of input: expected {expected}")),
            Some(c) => err(self.pos, format!("Unexpected character '{c}': expected {expected}")),
        }
    }

    fn value(&mut self, depth: usize) -> Res<J> {
        self.ws();
        let off = self.pos;
        let kind = match self.b.get(off) {
            Some(b'{' | b'[') if depth >= MAX_DEPTH => {
                return err(off, format!("Pattern is nested too deeply (more than {MAX_DEPTH} levels)"));
            }
            Some(&open @ (b'{' | b'[')) => {
                let (obj, close) = (open == b'{', if open == b'{' { b'}' } else { b']' });
                self.pos += 1;
                let (mut members, mut items) = (Vec::new(), Vec::new());
                if !self.eat(close) {
                    loop {
                        if obj {
                            self.ws();
                            let key_off = self.pos;
                            if self.b.get(key_off) != Some(&b'"') {
                                return self.unexpected("a field name in double quotes");
                            }
                            let key = self.string()?;
                            if !self.eat(b':') {
                                return self.unexpected("':'");
                            }
                            members.push(Member { key, off: key_off, val: self.value(depth + 1)? });
                        } else {
                            items.push(self.value(depth + 1)?);
                        }
                        if self.eat(close) {
                            break;
                        }
                        if !self.eat(b',') {
                            return self.unexpected(if obj { "',' or '}'" } else { "',' or ']'" });
                        }
                    }
                }
                if obj {
                    Kind::Obj(members)
                } else {
                    Kind::Arr(items)
                }
            }
            Some(b'"') => Kind::Str(self.string()?),
            Some(b'-' | b'0'..=b'9') => Kind::Num(self.number()?),
            _ => {
                let words = ["true", "false", "null"];
                let Some(w) = words.into_iter().find(|w| self.b[off..].starts_with(w.as_bytes())) else {
                    return self.unexpected("a JSON value");
                };
                self.pos += w.len();
                match w {
                    "null" => Kind::Null,
                    _ => Kind::Bool(w == "true"),
                }
            }
        };
        Ok(J { off, kind })
    }

    fn digits(&mut self) -> bool {
        let start = self.pos;
        while self.b.get(self.pos).is_some_and(u8::is_ascii_digit) {
            self.pos += 1;
        }
        self.pos > start
    }

    /// Strict JSON number grammar; the text is kept so that messages can quote it.
    fn number(&mut self) -> Res<String> {
        let start = self.pos;
        self.pos += usize::from(self.b[start] == b'-');
        let int = self.pos;
        let mut ok = self.digits() && !(self.b[int] == b'0' && self.pos - int > 1);
        if ok && self.b.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            ok = self.digits();
        }
        if ok && matches!(self.b.get(self.pos), Some(b'e' | b'E')) {
            self.pos += 1 + usize::from(matches!(self.b.get(self.pos + 1), Some(b'+' | b'-')));
            ok = self.digits();
        }
        if !ok {
            return err(start, "Invalid number");
        }
        Ok(self.text[start..self.pos].to_string())
    }

    /// Finds the end of a string literal, then lets serde_json decode its escapes.
    fn string(&mut self) -> Res<String> {
        let start = self.pos;
        self.pos += 1;
        loop {
            match self.b.get(self.pos) {
                None => return err(start, "Unterminated string"),
                Some(b'"') => break,
                Some(b'\\') => self.pos += 2,
                Some(0..=0x1f) => return err(self.pos, "Control character in string"),
                Some(_) => self.pos += 1,
            }
        }
        self.pos += 1;
        serde_json::from_str(&self.text[start..self.pos]).map_err(|e| {
            let msg = e.to_string();
            let msg = msg.split(" at line ").next().unwrap_or_default();
            (start + e.column().saturating_sub(1), format!("Invalid string: {msg}"))
        })
    }
}

fn parse_pattern(text: &str) -> Res<Pattern> {
    let mut p = Parser { text, b: text.as_bytes(), pos: 0 };
    p.ws();
    if p.b.get(p.pos) != Some(&b'{') {
        return err(p.pos, "Filter is not an object");
    }
    let top = p.value(0)?;
    p.ws();
    if p.pos < p.b.len() {
        return p.unexpected("end of input after the pattern");
    }
    let Kind::Obj(members) = &top.kind else {
        return err(top.off, "Filter is not an object");
    };
    Ok(Pattern { root: compile_object(members, top.off, false)? })
}

// ---------------------------------------------------------------------------------------------------------------
// Compiled form

#[derive(Clone, Debug, Default)]
struct Node {
    fields: Vec<(String, Field)>,
    /// Each entry is one `$or`: at least one alternative must match (entries AND together).
    ors: Vec<Vec<Node>>,
}

#[derive(Clone, Debug)]
enum Field {
    Leaf(Vec<M>),
    Nested(Node),
}

/// One matcher of a leaf array.
#[derive(Clone, Debug)]
enum M {
    Exact(Lit),
    Prefix(String),
    PrefixIc(String),
    Suffix(String),
    SuffixIc(String),
    EqIc(String),
    Wildcard(Glob),
    Numeric(Vec<(Cmp, f64)>),
    Cidr(Net),
    Exists(bool),
    /// `anything-but`: matches a present value that none of these match.
    Not(Vec<M>),
}

#[derive(Clone, Debug)]
enum Lit {
    Null,
    Bool(bool),
    /// The string and, if it is an IP address, its parsed form.
    Str(String, Option<(u32, u128)>),
    /// Comparable double (None if the literal is not exactly a double) and exact integer value.
    Num(Option<f64>, Option<i128>),
}

#[derive(Clone, Copy, Debug)]
enum Cmp {
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Clone, Debug)]
struct Net {
    width: u32,
    addr: u128,
    mask: u32,
}

/// Wildcard pattern as bytes; `None` is `*`.
type Glob = Vec<Option<u8>>;

fn insert(fields: &mut Vec<(String, Field)>, key: String, field: Field) {
    match fields.iter_mut().find(|(k, _)| *k == key) {
        Some((_, Field::Nested(old))) if matches!(field, Field::Nested(_)) => {
            let Field::Nested(new) = field else { unreachable!() };
            for (k, f) in new.fields {
                insert(&mut old.fields, k, f);
            }
            old.ors.extend(new.ors);
        }
        Some((_, slot)) => *slot = field,
        None => fields.push((key, field)),
    }
}

fn compile_object(members: &[Member], off: usize, in_or: bool) -> Res<Node> {
    if members.is_empty() {
        return err(off, "Empty objects are not allowed");
    }
    let mut node = Node::default();
    for m in members {
        if m.key == "$or" {
            let Kind::Arr(items) = &m.val.kind else {
                return err(m.val.off, "It must be an Array followed with $or.");
            };
            let mut alts = Vec::new();
            for it in items {
                let Kind::Obj(ms) = &it.kind else {
                    return err(it.off, "Only JSON object is allowed in array of $or relationship.");
                };
                alts.push(compile_object(ms, it.off, true)?);
            }
            if alts.len() < 2 {
                return err(m.val.off, "There must have at least 2 Objects in $or relationship.");
            }
            node.ors.push(alts);
            continue;
        }
        if in_or && RESERVED.split_whitespace().any(|r| r == m.key) {
            return err(m.off, format!("{} is Ruler reserved fieldName which cannot be used inside $or.", m.key));
        }
        let field = match &m.val.kind {
            Kind::Obj(ms) => Field::Nested(compile_object(ms, m.val.off, in_or)?),
            Kind::Arr(items) => Field::Leaf(compile_leaf(items, m.val.off)?),
            _ => return err(m.val.off, format!("\"{}\" must be an object or an array", m.key)),
        };
        insert(&mut node.fields, m.key.clone(), field);
    }
    Ok(node)
}

fn compile_leaf(items: &[J], off: usize) -> Res<Vec<M>> {
    if items.is_empty() {
        return err(off, "Empty arrays are not allowed");
    }
    items
        .iter()
        .map(|it| {
            Ok(match &it.kind {
                Kind::Obj(ms) => compile_expr(ms, it.off)?,
                Kind::Str(s) => M::Exact(Lit::Str(s.clone(), parse_ip(s))),
                Kind::Num(t) => M::Exact(Lit::Num(comparable(t), t.parse().ok())),
                Kind::Bool(b) => M::Exact(Lit::Bool(*b)),
                Kind::Null => M::Exact(Lit::Null),
                Kind::Arr(_) => return err(it.off, "Match value must be String, number, true, false, or null"),
            })
        })
        .collect()
}

/// A `{ "operator": ... }` entry of a leaf array.
fn compile_expr(ms: &[Member], off: usize) -> Res<M> {
    let Some(first) = ms.first() else {
        return err(off, "Match expression name not found");
    };
    let (op, v) = (first.key.as_str(), &first.val);
    let m = match (op, &v.kind) {
        ("prefix", Kind::Str(s)) => M::Prefix(s.clone()),
        ("suffix", Kind::Str(s)) => M::Suffix(s.clone()),
        ("prefix" | "suffix", Kind::Obj(inner)) => {
            let Some(im) = inner.first() else {
                let name = if op == "prefix" { "Prefix" } else { "Suffix" };
                return err(v.off, format!("{name} expression name not found"));
            };
            if im.key != "equals-ignore-case" {
                return err(im.off, format!("Unsupported {op} pattern: {}", im.key));
            }
            let Kind::Str(s) = &im.val.kind else {
                return err(im.val.off, "equals-ignore-case match pattern must be a string");
            };
            if let Some(extra) = inner.get(1) {
                return err(extra.off, ONE_KEY);
            }
            let s = s.to_lowercase();
            if op == "prefix" {
                M::PrefixIc(s)
            } else {
                M::SuffixIc(s)
            }
        }
        ("prefix" | "suffix", _) => return err(v.off, format!("{op} match pattern must be a string")),
        ("numeric", Kind::Arr(items)) => compile_numeric(items, v.off)?,
        ("numeric", _) => return err(v.off, "Value of numeric must be an array."),
        ("anything-but", _) => compile_anything_but(v)?,
        ("exists", Kind::Bool(b)) => M::Exists(*b),
        ("exists", _) => return err(v.off, "exists match pattern must be either true or false."),
        ("cidr", Kind::Str(s)) => M::Cidr(compile_cidr(s).map_err(|e| (v.off, e))?),
        ("cidr", _) => return err(v.off, "prefix match pattern must be a string"), // sic, as in event-ruler
        ("equals-ignore-case", Kind::Str(s)) => M::EqIc(s.to_lowercase()),
        ("equals-ignore-case", _) => return err(v.off, "equals-ignore-case match pattern must be a string"),
        ("wildcard", Kind::Str(s)) => M::Wildcard(compile_wildcard(s, v.off)?),
        ("wildcard", _) => return err(v.off, "wildcard match pattern must be a string"),
        _ => return err(first.off, format!("Unrecognized match type {op}")),
    };
    match ms.get(1) {
        Some(extra) => err(extra.off, if matches!(op, "numeric" | "anything-but") { TOO_MANY } else { ONE_KEY }),
        None => Ok(m),
    }
}

fn compile_numeric(items: &[J], off: usize) -> Res<M> {
    let at = |i: usize| items.get(i).map_or(off, |j| j.off);
    let num = |i: usize, msg: String| -> Res<f64> {
        match items.get(i).map(|j| (&j.kind, j.off)) {
            Some((Kind::Num(t), o)) => comparable(t).ok_or((o, format!("Cannot compare number : {t}"))),
            _ => err(at(i), msg),
        }
    };
    let op = match items.first() {
        Some(J { kind: Kind::Str(s), .. }) => s.as_str(),
        first => return err(at(0), format!("Invalid member in numeric match: {}", token_text(first))),
    };
    let (cmp, msg) = match op {
        "=" => (Cmp::Eq, "equals"),
        "<" => (Cmp::Lt, op),
        "<=" => (Cmp::Le, op),
        ">" => (Cmp::Gt, op),
        ">=" => (Cmp::Ge, op),
        _ => return err(at(0), format!("Unrecognized numeric range operator: {op}")),
    };
    let bottom = num(1, format!("Value of {msg} must be numeric"))?;
    let mut terms = vec![(cmp, bottom)];
    if matches!(cmp, Cmp::Gt | Cmp::Ge) && items.len() > 2 {
        let top_cmp = match &items[2].kind {
            Kind::Str(s) if s == "<" => Cmp::Lt,
            Kind::Str(s) if s == "<=" => Cmp::Le,
            Kind::Str(s) => return err(at(2), format!("Bad numeric range operator: {s}")),
            _ => {
                return err(at(2), format!("Bad value in numeric range: {}", token_text(items.get(2))));
            }
        };
        let top = num(3, format!("Value of {} must be numeric", token_text(items.get(2))))?;
        if items.len() > 4 {
            return err(at(4), "Too many terms in numeric range expression");
        }
        if bottom >= top {
            return err(off, "Bottom must be less than top");
        }
        terms.push((top_cmp, top));
    } else if items.len() > 2 {
        return err(at(2), TOO_MANY);
    }
    Ok(M::Numeric(terms))
}

fn compile_anything_but(v: &J) -> Res<M> {
    const BAD_VALUE: &str = "Value of anything-but must be an array or single string/number value.";
    let number = |j: &J, t: &str| match comparable(t) {
        Some(f) => Ok(M::Exact(Lit::Num(Some(f), None))),
        None => err(j.off, format!("Cannot compare number : {t}")),
    };
    let excluded = match &v.kind {
        Kind::Obj(inner) => {
            let Some(im) = inner.first() else {
                return err(v.off, "Anything-But expression name not found");
            };
            let op = im.key.as_str();
            let type_error = match op {
                "equals-ignore-case" => {
                    "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported."
                }
                "prefix" | "suffix" => "prefix/suffix match pattern must be a string",
                "wildcard" => "wildcard match pattern must be a string",
                _ => return err(im.off, format!("Unsupported anything-but pattern: {op}")),
            };
            let vals = match &im.val.kind {
                Kind::Arr(items) => items.iter().collect(),
                Kind::Str(_) | Kind::Num(_) => vec![&im.val],
                _ => return err(im.val.off, BAD_VALUE),
            };
            let mut out = Vec::new();
            for j in vals {
                let Kind::Str(s) = &j.kind else {
                    return err(j.off, type_error);
                };
                out.push(match op {
                    "prefix" | "suffix" if s.is_empty() => return err(j.off, "Null prefix/suffix not allowed"),
                    "prefix" => M::Prefix(s.clone()),
                    "suffix" => M::Suffix(s.clone()),
                    "wildcard" => M::Wildcard(compile_wildcard(s, j.off)?),
                    _ => M::EqIc(s.to_lowercase()),
                });
            }
            if let Some(extra) = inner.get(1) {
                return err(extra.off, TOO_MANY);
            }
            out
        }
        Kind::Arr(items) => {
            let mut out = Vec::new();
            for j in items {
                out.push(match &j.kind {
                    Kind::Str(s) => M::Exact(Lit::Str(s.clone(), None)),
                    Kind::Num(t) => number(j, t)?,
                    _ => return err(j.off, "Inside anything but list, start|null|boolean is not supported."),
                });
            }
            let strings = items.iter().filter(|j| matches!(j.kind, Kind::Str(_))).count();
            if items.is_empty() || (strings > 0 && strings < items.len()) {
                let msg =
                    "Inside anything but list, either all values are number or string, mixed type is not supported";
                return err(v.off, msg);
            }
            out
        }
        Kind::Str(s) => vec![M::Exact(Lit::Str(s.clone(), None))],
        Kind::Num(t) => vec![number(v, t)?],
        _ => return err(v.off, BAD_VALUE),
    };
    Ok(M::Not(excluded))
}

/// event-ruler's WildcardParser; positions count the opening quote it prepends, hence `i + 1`.
fn compile_wildcard(s: &str, off: usize) -> Res<Glob> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'*' if b.get(i + 1) == Some(&b'*') => {
                return err(off, format!("Consecutive wildcard characters at pos {}", i + 1));
            }
            b'*' => out.push(None),
            b'\\' => match b.get(i + 1) {
                Some(&c @ (b'*' | b'\\')) => {
                    out.push(Some(c));
                    i += 1;
                }
                _ => return err(off, format!("Invalid escape character at pos {}", i + 1)),
            },
            c => out.push(Some(c)),
        }
        i += 1;
    }
    Ok(out)
}

fn compile_cidr(s: &str) -> Result<Net, String> {
    let mut parts: Vec<&str> = s.split('/').collect();
    while parts.len() > 1 && parts.last() == Some(&"") {
        parts.pop(); // like Java's String.split
    }
    let [ip, bits] = parts[..] else {
        return Err("Malformed CIDR, one '/' required".into());
    };
    let mask: i32 = bits.parse().map_err(|_| "Malformed CIDR, mask bits must be an integer".to_string())?;
    if mask < 0 {
        return Err("Malformed CIDR, mask bits must not be negative".into());
    }
    if !looks_like_ip(ip) {
        return Err(format!("Nonstandard IP address: {ip}"));
    }
    let (width, addr) = parse_ip(ip).ok_or_else(|| format!("Invalid IP address: {ip}"))?;
    if width == 32 && mask > 31 {
        return Err("IPv4 mask bits must be < 32".into());
    }
    if width == 128 && mask > 127 {
        return Err("IPv6 mask bits must be < 128".into());
    }
    Ok(Net { width, addr, mask: mask as u32 })
}

/// event-ruler's IPv4/IPv6 shape check (`[0-9]+(\.[0-9]+){3}` or hex digits and colons with a colon).
fn looks_like_ip(s: &str) -> bool {
    let v4 = s.split('.').count() == 4 && s.split('.').all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    v4 || (s.contains(':') && s.bytes().all(|b| b.is_ascii_hexdigit() || b == b':'))
}

/// (address width in bits, address) of an IP literal.
fn parse_ip(s: &str) -> Option<(u32, u128)> {
    if !looks_like_ip(s) {
        return None;
    }
    if let Ok(a) = s.parse::<Ipv4Addr>() {
        return Some((32, u32::from(a).into()));
    }
    s.parse::<Ipv6Addr>().ok().map(|a| (128, u128::from(a)))
}

/// The number as a double, if finite and exactly equal to the decimal literal (event-ruler's ComparableNumber).
fn comparable(text: &str) -> Option<f64> {
    let f: f64 = text.parse().ok().filter(|f: &f64| f.is_finite())?;
    (decimal(text) == decimal(&format!("{f:e}"))).then_some(f)
}

/// Canonical (negative, significant digits, exponent) of a decimal literal; zero is (false, "", 0).
fn decimal(text: &str) -> (bool, String, i64) {
    let (neg, t) = text.strip_prefix('-').map_or((false, text), |t| (true, t));
    let (mant, exp) = t.split_once(['e', 'E']).unwrap_or((t, "0"));
    let (int, frac) = mant.split_once('.').unwrap_or((mant, ""));
    let digits: String = format!("{int}{frac}").trim_start_matches('0').to_string();
    let trimmed = digits.trim_end_matches('0');
    if trimmed.is_empty() {
        return (false, String::new(), 0);
    }
    let exp = exp.parse::<i64>().unwrap_or(i64::MAX / 2);
    let exp = exp.saturating_sub(frac.len() as i64).saturating_add((digits.len() - trimmed.len()) as i64);
    (neg, trimmed.to_string(), exp)
}

// ---------------------------------------------------------------------------------------------------------------
// Matching

/// Non-array values reachable through nested arrays (iteratively, so event depth cannot overflow the stack).
fn flatten(v: Option<&Value>) -> Vec<&Value> {
    let mut out = Vec::new();
    let mut stack: Vec<&Value> = v.into_iter().collect();
    while let Some(x) = stack.pop() {
        match x {
            Value::Array(a) => stack.extend(a.iter().rev()),
            _ => out.push(x),
        }
    }
    out
}

impl Node {
    /// True if every condition below is `exists: false` (such a sub-pattern must hold for all array elements).
    fn absence_only(&self) -> bool {
        self.fields.iter().all(|(_, f)| match f {
            Field::Leaf(ms) => ms.iter().all(|m| matches!(m, M::Exists(false))),
            Field::Nested(n) => n.absence_only(),
        }) && self.ors.iter().all(|alts| alts.iter().all(Node::absence_only))
    }

    fn matches(&self, v: Option<&Value>) -> bool {
        if let Some(Value::Array(_)) = v {
            let elems = flatten(v);
            return if self.absence_only() {
                elems.into_iter().all(|e| self.matches_one(Some(e)))
            } else {
                elems.into_iter().any(|e| self.matches_one(Some(e)))
            };
        }
        self.matches_one(v)
    }

    fn matches_one(&self, v: Option<&Value>) -> bool {
        let obj = v.and_then(Value::as_object);
        self.fields.iter().all(|(k, f)| {
            let child = obj.and_then(|o| o.get(k));
            match f {
                Field::Nested(n) => n.matches(child),
                Field::Leaf(ms) => {
                    let leaves: Vec<&Value> = flatten(child).into_iter().filter(|x| !x.is_object()).collect();
                    ms.iter().any(|m| match m {
                        M::Exists(want) => leaves.is_empty() != *want,
                        _ => leaves.iter().any(|l| m.test(l)),
                    })
                }
            }
        }) && self.ors.iter().all(|alts| alts.iter().any(|n| n.matches(v)))
    }
}

fn glob(p: &[Option<u8>], s: &[u8]) -> bool {
    let (mut i, mut j, mut star, mut mark) = (0, 0, None, 0);
    while j < s.len() {
        if i < p.len() && p[i] == Some(s[j]) {
            i += 1;
            j += 1;
        } else if i < p.len() && p[i].is_none() {
            star = Some(i);
            mark = j;
            i += 1;
        } else if let Some(st) = star {
            i = st + 1;
            mark += 1;
            j = mark;
        } else {
            return false;
        }
    }
    p[i..].iter().all(Option::is_none)
}

impl M {
    /// Whether one leaf (non-array, non-object) event value satisfies this matcher.
    fn test(&self, v: &Value) -> bool {
        let s = v.as_str();
        let lower = || s.map(str::to_lowercase);
        match self {
            M::Exact(Lit::Null) => v.is_null(),
            M::Exact(Lit::Bool(b)) => v.as_bool() == Some(*b),
            M::Exact(Lit::Str(p, ip)) => s == Some(p) || (ip.is_some() && s.and_then(parse_ip) == *ip),
            M::Exact(Lit::Num(f, int)) => v.as_number().is_some_and(|n| {
                let ev_int = n.as_i64().map(i128::from).or(n.as_u64().map(i128::from));
                match (int, ev_int) {
                    (Some(a), Some(b)) => *a == b,
                    _ => f.is_some() && n.as_f64() == *f,
                }
            }),
            M::Prefix(p) => s.is_some_and(|s| s.starts_with(p.as_str())),
            M::Suffix(p) => s.is_some_and(|s| s.ends_with(p.as_str())),
            M::PrefixIc(p) => lower().is_some_and(|s| s.starts_with(p.as_str())),
            M::SuffixIc(p) => lower().is_some_and(|s| s.ends_with(p.as_str())),
            M::EqIc(p) => lower().as_ref() == Some(p),
            M::Wildcard(g) => s.is_some_and(|s| glob(g, s.as_bytes())),
            M::Numeric(terms) => {
                v.is_number()
                    && v.as_f64().is_some_and(|x| {
                        terms.iter().all(|&(c, b)| match c {
                            Cmp::Eq => x == b,
                            Cmp::Lt => x < b,
                            Cmp::Le => x <= b,
                            Cmp::Gt => x > b,
                            Cmp::Ge => x >= b,
                        })
                    })
            }
            M::Cidr(n) => s
                .and_then(parse_ip)
                .is_some_and(|(w, a)| w == n.width && (n.mask == 0 || (a ^ n.addr) >> (n.width - n.mask) == 0)),
            M::Exists(_) => false, // handled per field in Node::matches_one
            M::Not(excluded) => !excluded.iter().any(|m| m.test(v)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Parses `pattern` (must be valid) and asserts whether it matches the JSON `event`.
    fn check(pattern: &str, event: &str, expected: bool) {
        let p = Pattern::parse(pattern).unwrap_or_else(|e| panic!("pattern {pattern} rejected: {e}"));
        let ev: Value = serde_json::from_str(event).expect("test event must be JSON");
        assert_eq!(p.matches(&ev), expected, "pattern {pattern}\nevent {event}");
    }

    /// Asserts `pattern` is rejected and that "line L, column C: message" contains `expected`
    /// (a message fragment, a position such as "line 1, column 9:", or both).
    fn check_error(pattern: &str, expected: &str) {
        let e = Pattern::parse(pattern).err().unwrap_or_else(|| panic!("pattern {pattern} was accepted"));
        assert_eq!(e, locate(pattern, e.offset, e.message.clone()), "inconsistent position");
        let shown = e.to_string();
        assert!(shown.contains(expected), "pattern {pattern}\nerror {shown}\nwanted {expected}");
    }

    #[test]
    fn exact_values() {
        let p = r#"{"source": ["aws.ec2"], "detail": {"state": ["initializing", "running"]}}"#;
        check(p, r#"{"source": "aws.ec2", "detail": {"state": "running"}}"#, true);
        check(p, r#"{"source": "aws.ec2", "detail": {"state": "stopped"}}"#, false);
        check(p, r#"{"source": "aws.ec2"}"#, false);
        check(p, r#"{"source": "AWS.EC2", "detail": {"state": "running"}}"#, false);
        check(p, r#"{"source": "aws.ec2", "detail": "running"}"#, false);
        check(r#"{"n": [300]}"#, r#"{"n": 3.0e2}"#, true);
        check(r#"{"n": [3.0e2]}"#, r#"{"n": 300}"#, true);
        check(r#"{"n": [300]}"#, r#"{"n": "300"}"#, false);
        check(r#"{"n": ["300"]}"#, r#"{"n": 300}"#, false);
        check(r#"{"n": [123456789012]}"#, r#"{"n": 123456789012}"#, true);
        let p = r#"{"n": [9007199254740993]}"#; // not a double: compared as an integer
        check(p, r#"{"n": 9007199254740993}"#, true);
        check(p, r#"{"n": 9007199254740992}"#, false);
        check(r#"{"b": [true]}"#, r#"{"b": true}"#, true);
        check(r#"{"b": [true]}"#, r#"{"b": "true"}"#, false);
        check(r#"{"z": [null]}"#, r#"{"z": null}"#, true);
        check(r#"{"z": [null]}"#, r#"{}"#, false);
        check(r#"{"LastName": [""]}"#, r#"{"LastName": ""}"#, true);
        check(r#"{"LastName": [""]}"#, r#"{"LastName": null}"#, false);
        check(r#"{"ip": ["::1"]}"#, r#"{"ip": "0:0:0:0:0:0:0:1"}"#, true);
        check(r#"{"s": ["caf\u00e9 \ud83d\ude00"]}"#, r#"{"s": "café 😀"}"#, true);
    }

    #[test]
    fn event_arrays_and_nesting() {
        let p = r#"{"resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-0"]}"#;
        let ev = r#"{"resources": ["x", "arn:aws:ec2:us-east-1:123456789012:instance/i-0"]}"#;
        check(p, ev, true);
        check(p, r#"{"resources": ["arn:x"]}"#, false);
        check(p, r#"{"resources": []}"#, false);
        let ev = r#"{"employees": [[{"firstName": "John", "lastName": "Doe"}, {"firstName": "Anna",
            "lastName": "Smith"}], [{"firstName": "Peter", "lastName": "Jones"}]]}"#;
        check(r#"{"employees": {"firstName": ["Anna"]}}"#, ev, true);
        check(r#"{"employees": {"firstName": ["Anna"], "lastName": ["Smith"]}}"#, ev, true);
        check(r#"{"employees": {"firstName": ["Anna"], "lastName": ["Jones"]}}"#, ev, false);
        check(r#"{"a": {"b": {"c": [1]}}}"#, r#"{"a": {"b": {"c": [[0, 1]]}}}"#, true);
        check(r#"{"a": {"b": [1]}}"#, r#"[{"a": {"b": 1}}]"#, true);
        check(r#"{"a": [1], "a": [2]}"#, r#"{"a": 2}"#, true);
        let p = r#"{"a": {"b": [1]}, "a": {"c": [2]}}"#; // duplicate nested keys merge
        check(p, r#"{"a": {"b": 1}}"#, false);
        check(p, r#"{"a": {"b": 1, "c": 2}}"#, true);
    }

    #[test]
    fn prefix_and_suffix() {
        let p = r#"{"time": [{"prefix": "2017-10-02"}]}"#;
        check(p, r#"{"time": "2017-10-02T18:43:48Z"}"#, true);
        check(p, r#"{"time": "2017-10-03T18:43:48Z"}"#, false);
        check(r#"{"n": [{"prefix": "12"}]}"#, r#"{"n": 123}"#, false);
        let p = r#"{"detail": {"service": [{"prefix": {"equals-ignore-case": "EventB"}}]}}"#;
        check(p, r#"{"detail": {"service": "eventbridge"}}"#, true);
        check(p, r#"{"detail": {"service": "EVENTBRIDGE"}}"#, true);
        check(p, r#"{"detail": {"service": "sns"}}"#, false);
        let p = r#"{"FileName": [{"suffix": ".png"}]}"#;
        check(p, r#"{"FileName": "image.png"}"#, true);
        check(p, r#"{"FileName": "image.PNG"}"#, false);
        let p = r#"{"FileName": [{"suffix": {"equals-ignore-case": ".png"}}]}"#;
        check(p, r#"{"FileName": "image.PNG"}"#, true);
        check(p, r#"{"FileName": "image.jpg"}"#, false);
    }

    #[test]
    fn equals_ignore_case() {
        let p = r#"{"Name": [{"equals-ignore-case": "alice"}]}"#;
        check(p, r#"{"Name": "ALICE"}"#, true);
        check(p, r#"{"Name": "Alice"}"#, true);
        check(p, r#"{"Name": "Alicia"}"#, false);
        check(p, r#"{"Name": ["bob", "aLiCe"]}"#, true);
        check(p, r#"{"Name": 1}"#, false);
    }

    #[test]
    fn anything_but() {
        let p = r#"{"detail": {"state": [{"anything-but": "initializing"}]}}"#;
        check(p, r#"{"detail": {"state": "running"}}"#, true);
        check(p, r#"{"detail": {"state": "initializing"}}"#, false);
        check(p, r#"{"detail": {}}"#, false);
        check(p, r#"{"detail": {"state": 5}}"#, true);
        check(p, r#"{"detail": {"state": ["initializing", "running"]}}"#, true);
        let p = r#"{"x-limit": [{"anything-but": 123}]}"#;
        check(p, r#"{"x-limit": 123}"#, false);
        check(p, r#"{"x-limit": 1.23e2}"#, false);
        check(p, r#"{"x-limit": 124}"#, true);
        let p = r#"{"state": [{"anything-but": ["stopped", "overloaded"]}]}"#;
        check(p, r#"{"state": "stopped"}"#, false);
        check(p, r#"{"state": "running"}"#, true);
        let p = r#"{"x-limit": [{"anything-but": [100, 200, 300]}]}"#;
        check(p, r#"{"x-limit": 200}"#, false);
        check(p, r#"{"x-limit": 201}"#, true);
        let p = r#"{"state": [{"anything-but": {"prefix": "init"}}]}"#;
        check(p, r#"{"state": "initializing"}"#, false);
        check(p, r#"{"state": "running"}"#, true);
        let p = r#"{"state": [{"anything-but": {"prefix": ["init", "error"]}}]}"#;
        check(p, r#"{"state": "error-1"}"#, false);
        check(p, r#"{"state": "ok"}"#, true);
        let p = r#"{"FileName": [{"anything-but": {"suffix": ".png"}}]}"#;
        check(p, r#"{"FileName": "a.png"}"#, false);
        check(p, r#"{"FileName": "a.txt"}"#, true);
        let p = r#"{"instance-id": [{"anything-but": {"suffix": ["1234", "6789"]}}]}"#;
        check(p, r#"{"instance-id": "i-6789"}"#, false);
        check(p, r#"{"instance-id": "i-0000"}"#, true);
        let p = r#"{"state": [{"anything-but": {"equals-ignore-case": "initializing"}}]}"#;
        check(p, r#"{"state": "INITIALIZING"}"#, false);
        check(p, r#"{"state": "running"}"#, true);
        let p = r#"{"state": [{"anything-but": {"equals-ignore-case": ["Stopped", "OverLoaded"]}}]}"#;
        check(p, r#"{"state": "overloaded"}"#, false);
        check(p, r#"{"state": "fine"}"#, true);
        let p = r#"{"FilePath": [{"anything-but": {"wildcard": "*/lib/*"}}]}"#;
        check(p, r#"{"FilePath": "/usr/lib/x.so"}"#, false);
        check(p, r#"{"FilePath": "/usr/bin/x"}"#, true);
        let p = r#"{"state": [{"anything-but": {"wildcard": ["*/bin/*.jar", "*/bin/*.class"]}}]}"#;
        check(p, r#"{"state": "/opt/bin/a.class"}"#, false);
        check(p, r#"{"state": "/opt/bin/a.txt"}"#, true);
    }

    #[test]
    fn numeric() {
        let p = r#"{"detail": {"c-count": [{"numeric": [">", 0, "<=", 5]}], "d-count": [{"numeric": ["<", 10]}],
                    "x-limit": [{"numeric": ["=", 3.018e2]}]}}"#;
        check(p, r#"{"detail": {"c-count": 5, "d-count": 9.99, "x-limit": 301.8}}"#, true);
        check(p, r#"{"detail": {"c-count": 0, "d-count": 9.99, "x-limit": 301.8}}"#, false);
        check(p, r#"{"detail": {"c-count": 5, "d-count": 10, "x-limit": 301.8}}"#, false);
        check(p, r#"{"detail": {"c-count": 5, "d-count": 1, "x-limit": 301.81}}"#, false);
        check(p, r#"{"detail": {"c-count": "5", "d-count": 1, "x-limit": 301.8}}"#, false);
        let p = r#"{"n": [{"numeric": [">=", -1e3, "<", 0]}]}"#;
        check(p, r#"{"n": -1000}"#, true);
        check(p, r#"{"n": 0}"#, false);
        check(r#"{"n": [{"numeric": [">", 1]}]}"#, r#"{"n": [0, 2]}"#, true);
        check(r#"{"n": [{"numeric": ["<=", 1]}]}"#, r#"{"n": 1.0}"#, true);
        check(r#"{"n": [{"numeric": ["<", 1]}]}"#, r#"{"n": true}"#, false);
    }

    #[test]
    fn exists() {
        let p = r#"{"detail": {"c-count": [{"exists": true}]}}"#;
        check(p, r#"{"detail": {"c-count": 1}}"#, true);
        check(p, r#"{"detail": {"c-count": null}}"#, true);
        check(p, r#"{"detail": {"x": 1}}"#, false);
        check(p, r#"{"detail": {"c-count": {"c1": 100}}}"#, false);
        check(p, r#"{"detail": {"c-count": []}}"#, false);
        let p = r#"{"detail": {"c-count": [{"exists": false}]}}"#;
        check(p, r#"{"detail": {"state": "x"}}"#, true);
        check(p, r#"{"other": 1}"#, true);
        check(p, r#"{"detail": {"c-count": {"c1": 1}}}"#, true); // only leaves count
        check(p, r#"{"detail": {"c-count": 0}}"#, false);
        check(r#"{"c": [{"exists": false}, "x"]}"#, r#"{"c": "x"}"#, true);
        // Absence inside arrays: no element may have the field, unless another condition pins the element.
        check(r#"{"a": {"b": [{"exists": false}]}}"#, r#"{"a": [{"c": 1}, {"b": 1}]}"#, false);
        check(r#"{"a": {"b": [{"exists": false}]}}"#, r#"{"a": [{"c": 1}, {"c": 2}]}"#, true);
        check(r#"{"a": {"b": [{"exists": false}], "c": [1]}}"#, r#"{"a": [{"c": 1}, {"b": 1}]}"#, true);
    }

    #[test]
    fn wildcard() {
        let p = r#"{"EventBusArn": [{"wildcard": "arn:aws:events:us-east-1:*:event-bus/*"}]}"#;
        check(p, r#"{"EventBusArn": "arn:aws:events:us-east-1:1234:event-bus/default"}"#, true);
        check(p, r#"{"EventBusArn": "arn:aws:events:us-west-2:1234:event-bus/default"}"#, false);
        let p = r#"{"f": [{"wildcard": "dir/*.png"}]}"#;
        check(p, r#"{"f": "dir/sub/a.png"}"#, true);
        check(p, r#"{"f": "dir/a.png.txt"}"#, false);
        check(r#"{"f": [{"wildcard": "*"}]}"#, r#"{"f": ""}"#, true);
        check(r#"{"f": [{"wildcard": "*"}]}"#, r#"{"f": 1}"#, false);
        check(r#"{"f": [{"wildcard": "a*b*c"}]}"#, r#"{"f": "aXbbYc"}"#, true);
        check(r#"{"f": [{"wildcard": "a*b*c"}]}"#, r#"{"f": "aXcYb"}"#, false);
        check(r#"{"f": [{"wildcard": "a\\*b"}]}"#, r#"{"f": "a*b"}"#, true);
        check(r#"{"f": [{"wildcard": "a\\*b"}]}"#, r#"{"f": "axb"}"#, false);
        check(r#"{"f": [{"wildcard": "a\\\\b*"}]}"#, r#"{"f": "a\\bcd"}"#, true);
        check(r#"{"f": [{"wildcard": "é*ü"}]}"#, r#"{"f": "éxyü"}"#, true);
    }

    #[test]
    fn cidr() {
        let p = r#"{"detail": {"source-ip": [{"cidr": "10.0.0.0/24"}]}}"#;
        check(p, r#"{"detail": {"source-ip": "10.0.0.255"}}"#, true);
        check(p, r#"{"detail": {"source-ip": "10.0.1.0"}}"#, false);
        check(p, r#"{"detail": {"source-ip": "not-an-ip"}}"#, false);
        check(p, r#"{"detail": {"source-ip": "::ffff:10.0.0.1"}}"#, false);
        let p = r#"{"sourceIPAddress": [{"cidr": "2001:db8::/32"}]}"#;
        check(p, r#"{"sourceIPAddress": "2001:db8:1::7"}"#, true);
        check(p, r#"{"sourceIPAddress": "2001:db9::1"}"#, false);
        check(p, r#"{"sourceIPAddress": "10.0.0.1"}"#, false);
        check(r#"{"ip": [{"cidr": "0.0.0.0/0"}]}"#, r#"{"ip": "255.255.255.255"}"#, true);
        check(r#"{"ip": [{"cidr": "10.1.2.3/31"}]}"#, r#"{"ip": "10.1.2.2"}"#, true);
        check(r#"{"ip": [{"cidr": "10.1.2.3/31"}]}"#, r#"{"ip": "10.1.2.4"}"#, false);
    }

    #[test]
    fn or() {
        let p = r#"{"detail": {"$or": [{"c-count": [{"numeric": [">", 0, "<=", 5]}]},
                    {"d-count": [{"numeric": ["<", 10]}]}, {"x-limit": [{"numeric": ["=", 3.018e2]}]}]}}"#;
        check(p, r#"{"detail": {"c-count": 3}}"#, true);
        check(p, r#"{"detail": {"x-limit": 301.8}}"#, true);
        check(p, r#"{"detail": {"c-count": 6, "d-count": 10}}"#, false);
        let p = r#"{"source": ["aws.ec2"], "$or": [{"metricName": ["CPUUtilization", "ReadLatency"]},
                    {"namespace": ["AWS/EC2", "AWS/ES"]}]}"#;
        check(p, r#"{"source": "aws.ec2", "namespace": "AWS/ES"}"#, true);
        check(p, r#"{"source": "aws.s3", "namespace": "AWS/ES"}"#, false);
        check(p, r#"{"source": "aws.ec2", "metricName": "Other"}"#, false);
        let p = r#"{"$or": [{"a": [1]}, {"$or": [{"b": [2]}, {"c": {"d": [3]}}]}]}"#;
        check(p, r#"{"c": {"d": 3}}"#, true);
        check(p, r#"{"c": {"d": 4}}"#, false);
        check(r#"{"prefix": ["a"]}"#, r#"{"prefix": "a"}"#, true); // reserved names are fine outside $or
    }

    /// One case per line: `pattern => expected part of "line L, column C: message"`.
    const ERRORS: &str = r#"
        => line 1, column 1: Filter is not an object
         [1] => line 1, column 2: Filter is not an object
        {} => line 1, column 1: Empty objects are not allowed
        {"a": {}} => line 1, column 7: Empty objects are not allowed
        {"source": "aws.ec2"} => line 1, column 12: "source" must be an object or an array
        {"é": 1} => line 1, column 7: "é" must be an object or an array
        {"a": []} => line 1, column 7: Empty arrays are not allowed
        {"a": [[1]]} => column 8: Match value must be String, number, true, false, or null
        {"a": [1]} x => line 1, column 12: Unexpected character 'x'
        {"a": [1} => column 9: Unexpected character '}': expected ',' or ']'
        {"a" [1]} => column 6: Unexpected character '[': expected ':'
        {a: [1]} => column 2: Unexpected character 'a': expected a field name in double quotes
        {"a": [01]} => column 8: Invalid number
        {"a": [-]} => column 8: Invalid number
        {"a": [tru]} => column 8: Unexpected character 't': expected a JSON value
        {"a": ["x\q"]} => column 11: Invalid string: invalid escape
        {"a": ["\ud800"]} => Invalid string
        {"a": ["x => Unterminated string
        {"a": [{}]} => line 1, column 8: Match expression name not found
        {"a": [{"contains": "x"}]} => column 9: Unrecognized match type contains
        {"a": [{"exactly": "x"}]} => Unrecognized match type exactly
        {"a": [{"prefix": 1}]} => column 19: prefix match pattern must be a string
        {"a": [{"suffix": null}]} => suffix match pattern must be a string
        {"a": [{"prefix": "x", "suffix": "y"}]} => column 24: Only one key allowed in match expression
        {"a": [{"prefix": {}}]} => Prefix expression name not found
        {"a": [{"suffix": {"x": "y"}}]} => Unsupported suffix pattern: x
        {"a": [{"prefix": {"equals-ignore-case": 1}}]} => equals-ignore-case match pattern must be a string
        {"a": [{"prefix": {"equals-ignore-case": "a", "b": 1}}]} => Only one key allowed in match expression
        {"a": [{"equals-ignore-case": ["x"]}]} => equals-ignore-case match pattern must be a string
        {"a": [{"exists": "true"}]} => exists match pattern must be either true or false.
        {"a": [{"exists": true, "x": 1}]} => Only one key allowed in match expression
        {"a": [{"wildcard": 5}]} => wildcard match pattern must be a string
        {"a": [{"wildcard": "a**"}]} => column 21: Consecutive wildcard characters at pos 2
        {"a": [{"wildcard": "a\\b"}]} => Invalid escape character at pos 2
        {"a": [{"cidr": 10}]} => prefix match pattern must be a string
        {"a": [{"cidr": "10.0.0.0"}]} => Malformed CIDR, one '/' required
        {"a": [{"cidr": "10.0.0.0/x"}]} => Malformed CIDR, mask bits must be an integer
        {"a": [{"cidr": "10.0.0.0/-1"}]} => Malformed CIDR, mask bits must not be negative
        {"a": [{"cidr": "10.0.0.0/32"}]} => IPv4 mask bits must be < 32
        {"a": [{"cidr": "::/128"}]} => IPv6 mask bits must be < 128
        {"a": [{"cidr": "host/8"}]} => Nonstandard IP address: host
        {"a": [{"cidr": "10.0.0.300/8"}]} => Invalid IP address: 10.0.0.300
        {"a": [{"numeric": 5}]} => column 20: Value of numeric must be an array.
        {"a": [{"numeric": []}]} => Invalid member in numeric match: ]
        {"a": [{"numeric": [5]}]} => Invalid member in numeric match: 5
        {"a": [{"numeric": ["!=", 5]}]} => Unrecognized numeric range operator: !=
        {"a": [{"numeric": ["=", "5"]}]} => Value of equals must be numeric
        {"a": [{"numeric": ["<"]}]} => Value of < must be numeric
        {"a": [{"numeric": ["=", 5, "<", 6]}]} => column 29: Too many elements in numeric expression
        {"a": [{"numeric": ["<", 10, ">", 0]}]} => Too many elements in numeric expression
        {"a": [{"numeric": [">", 0, 5]}]} => Bad value in numeric range: 5
        {"a": [{"numeric": [">", 0, ">", 5]}]} => Bad numeric range operator: >
        {"a": [{"numeric": [">", 0, "<", "5"]}]} => Value of < must be numeric
        {"a": [{"numeric": [">", 0, "<", 5, 6]}]} => Too many terms in numeric range expression
        {"a": [{"numeric": [">", 5, "<=", 5]}]} => Bottom must be less than top
        {"a": [{"numeric": [">", 1e400]}]} => Cannot compare number : 1e400
        {"a": [{"numeric": ["=", 0.10000000000000000001]}]} => Cannot compare number : 0.1000
        {"a": [{"numeric": ["=", 1], "x": 1}]} => Too many elements in numeric expression
        {"a": [{"anything-but": true}]} => Value of anything-but must be an array or single string/number value.
        {"a": [{"anything-but": ["x", 1]}]} => either all values are number or string, mixed type is not supported
        {"a": [{"anything-but": []}]} => either all values are number or string
        {"a": [{"anything-but": [null]}]} => Inside anything but list, start|null|boolean is not supported.
        {"a": [{"anything-but": [1e999]}]} => Cannot compare number : 1e999
        {"a": [{"anything-but": {}}]} => Anything-But expression name not found
        {"a": [{"anything-but": {"numeric": [">", 1]}}]} => Unsupported anything-but pattern: numeric
        {"a": [{"anything-but": {"prefix": ""}}]} => Null prefix/suffix not allowed
        {"a": [{"anything-but": {"prefix": {"x": 1}}}]} => Value of anything-but must be an array or single
        {"a": [{"anything-but": {"suffix": [1]}}]} => prefix/suffix match pattern must be a string
        {"a": [{"anything-but": {"equals-ignore-case": 1}}]} => Inside anything-but/equals-ignore-case list, number
        {"a": [{"anything-but": {"wildcard": ["a**"]}}]} => Consecutive wildcard characters at pos 2
        {"a": [{"anything-but": {"prefix": "a", "x": 1}}]} => Too many elements in numeric expression
        {"a": [{"anything-but": "a", "x": 1}]} => column 30: Too many elements in numeric expression
        {"$or": {"a": [1]}} => column 9: It must be an Array followed with $or.
        {"$or": [{"a": [1]}]} => column 9: There must have at least 2 Objects in $or relationship.
        {"$or": [{"a": [1]}, 2]} => column 22: Only JSON object is allowed in array of $or relationship.
        {"$or": [{"a": [1]}, {}]} => column 22: Empty objects are not allowed
        {"$or": [{"numeric": [1]}, {"b": [2]}]} => column 11: numeric is Ruler reserved fieldName
        {"$or": [{"x": {"prefix": [1]}}, {"b": [2]}]} => prefix is Ruler reserved fieldName which cannot be used
    "#;

    #[test]
    fn errors() {
        for case in ERRORS.lines().filter(|l| !l.trim().is_empty()) {
            let case = case.strip_prefix("        ").unwrap_or(case);
            let (pattern, expected) = case.split_once("=> ").expect("case has =>");
            check_error(pattern.strip_suffix(' ').unwrap_or(pattern), expected);
        }
        check_error("{\n  \"a\": [1],\n\t\"b\": 2\n}", "line 3, column 7: \"b\" must be");
        check_error(&r#"{"a":"#.repeat(70), "column 321: Pattern is nested too deeply");
        check(&format!("{}[1]{}", r#"{"a":"#.repeat(63), "}".repeat(63)), "{}", false);
        // 64 levels is fine
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        fn json() -> impl Strategy<Value = Value> {
            let leaf = prop_oneof![
                Just(Value::Null),
                any::<bool>().prop_map(Value::from),
                any::<i64>().prop_map(Value::from),
                any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
                "[a-c*\\\\./:0-9 ]{0,6}".prop_map(Value::from),
                prop::sample::select(vec!["10.0.0.1", "::1", "A", "prefix", "exists"]).prop_map(Value::from),
            ];
            let key = "[a-c]|\\$or|numeric|prefix|anything-but|exists|cidr|wildcard";
            leaf.prop_recursive(5, 48, 6, move |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 0..5).prop_map(Value::from),
                    prop::collection::btree_map(key, inner, 0..5).prop_map(|m| Value::Object(m.into_iter().collect())),
                ]
            })
        }

        const PATTERNS: &[&str] = &[
            r#"{"a": [1, "x", null, true, {"prefix": "a"}, {"suffix": {"equals-ignore-case": "B"}}]}"#,
            r#"{"a": [{"anything-but": {"wildcard": ["*a*", "b\\*"]}}, {"numeric": [">", -1, "<=", 5]}]}"#,
            r#"{"b": {"c": [{"exists": false}]}, "$or": [{"a": [{"cidr": "10.0.0.0/8"}]}, {"c": [{"exists": true}]}]}"#,
            r#"{"a": {"b": [{"anything-but": [1, 2]}, {"equals-ignore-case": "x"}, {"wildcard": "*"}]}}"#,
        ];

        proptest! {
            #[test]
            fn parse_never_panics(s in "\\PC{0,64}") {
                let _ = Pattern::parse(&s);
            }

            #[test]
            fn parse_never_panics_on_json_like_text(s in "[\\[\\]{}\",:a-c0-9.eE+\\- \\\\u\\n]{0,48}") {
                let _ = Pattern::parse(&s);
            }

            #[test]
            fn matches_never_panics(pattern in json(), event in json()) {
                for text in PATTERNS.iter().map(|p| p.to_string()).chain([pattern.to_string()]) {
                    if let Ok(p) = Pattern::parse(&text) {
                        let _ = p.matches(&event);
                    }
                }
            }
        }

        #[test]
        fn deep_event_does_not_overflow() {
            let p = Pattern::parse(r#"{"a": [1], "b": {"c": [{"exists": false}]}}"#).unwrap();
            let deep = || (0..100_000).fold(json!(1), |v, _| Value::Array(vec![v]));
            // Built by hand: json!() would re-serialize (recursively) interpolated values.
            let event = Value::Object([("a".to_string(), deep()), ("b".to_string(), deep())].into_iter().collect());
            assert!(p.matches(&event));
            std::mem::forget(event); // serde_json's recursive Drop would overflow on this depth
        }
    }
}
