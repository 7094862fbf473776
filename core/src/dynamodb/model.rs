//! DynamoDB's data model: attribute values and items, typed, with their wire form (DynamoDB
//! JSON such as `{"S": "Acme Band"}`) read and written only through [`AttributeValue::from_wire`]
//! and [`AttributeValue::to_wire`].

use super::number::Number;
use crate::error::AwsError;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::fmt;

/// An item: attribute names to values.
pub type Item = BTreeMap<String, AttributeValue>;

/// One attribute value, of one of DynamoDB's ten types.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AttributeValue {
    S(String),
    N(Number),
    /// Raw bytes; base64 on the wire.
    B(Vec<u8>),
    Bool(bool),
    Null,
    M(Item),
    L(Vec<AttributeValue>),
    /// Sets keep the order they were written in; members are unique.
    Ss(Vec<String>),
    Ns(Vec<Number>),
    Bs(Vec<Vec<u8>>),
}

/// The type descriptor of a value, as DynamoDB names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ScalarType {
    S,
    N,
    B,
}

impl ScalarType {
    pub fn parse(text: &str) -> Option<ScalarType> {
        match text {
            "S" => Some(ScalarType::S),
            "N" => Some(ScalarType::N),
            "B" => Some(ScalarType::B),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            ScalarType::S => "S",
            ScalarType::N => "N",
            ScalarType::B => "B",
        }
    }
}

fn invalid(message: impl Into<String>) -> AwsError {
    AwsError::client("ValidationException", message)
}

fn param_type(path: &WirePath, value: &Value, valid: &str) -> AwsError {
    crate::wire::invalid_type(&path.to_string(), value, valid)
}

/// Where a value sits in a request (`Item.Tags.L[2]`), for error messages only: it is written
/// out when an error needs it, never while reading a valid request.
#[derive(Clone, Copy)]
enum WirePath<'a> {
    /// The member the caller named (`Item`, `ExpressionAttributeValues.:v`).
    Root(&'a str),
    /// A member of a map or of an attribute value: `parent.member`.
    Member(&'a WirePath<'a>, &'a str),
    /// An element of a list or set: `parent.L[2]`.
    Element(&'a WirePath<'a>, &'a str, usize),
}

impl fmt::Display for WirePath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WirePath::Root(path) => f.write_str(path),
            WirePath::Member(parent, member) => write!(f, "{parent}.{member}"),
            WirePath::Element(parent, kind, i) => write!(f, "{parent}.{kind}[{i}]"),
        }
    }
}

impl AttributeValue {
    /// The type descriptor: `S`, `N`, `B`, `BOOL`, `NULL`, `M`, `L`, `SS`, `NS` or `BS`.
    pub fn type_name(&self) -> &'static str {
        match self {
            AttributeValue::S(_) => "S",
            AttributeValue::N(_) => "N",
            AttributeValue::B(_) => "B",
            AttributeValue::Bool(_) => "BOOL",
            AttributeValue::Null => "NULL",
            AttributeValue::M(_) => "M",
            AttributeValue::L(_) => "L",
            AttributeValue::Ss(_) => "SS",
            AttributeValue::Ns(_) => "NS",
            AttributeValue::Bs(_) => "BS",
        }
    }

    pub fn scalar_type(&self) -> Option<ScalarType> {
        match self {
            AttributeValue::S(_) => Some(ScalarType::S),
            AttributeValue::N(_) => Some(ScalarType::N),
            AttributeValue::B(_) => Some(ScalarType::B),
            _ => None,
        }
    }

    /// Reads DynamoDB JSON. `path` names the value in errors (`Item.Artist`).
    pub fn from_wire(value: &Value, path: &str) -> Result<AttributeValue, AwsError> {
        AttributeValue::read(value, &WirePath::Root(path))
    }

    fn read(value: &Value, path: &WirePath) -> Result<AttributeValue, AwsError> {
        let Value::Object(object) = value else { return Err(param_type(path, value, "object")) };
        let mut present = object.iter().filter(|(_, v)| !v.is_null());
        let Some((kind, inner)) = present.next() else {
            return Err(invalid(
                "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes",
            ));
        };
        if present.next().is_some() {
            return Err(invalid(
                "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes",
            ));
        }
        let at = |member| WirePath::Member(path, member);
        let string = |v: &Value, p: WirePath| v.as_str().map(str::to_string).ok_or_else(|| param_type(&p, v, "string"));
        Ok(match kind.as_str() {
            "S" => AttributeValue::S(string(inner, at("S"))?),
            "N" => AttributeValue::N(parse_number(&string(inner, at("N"))?)?),
            "B" => AttributeValue::B(decode_binary(inner, &at("B"))?),
            "BOOL" => AttributeValue::Bool(inner.as_bool().ok_or_else(|| param_type(&at("BOOL"), inner, "boolean"))?),
            "NULL" => match inner.as_bool() {
                Some(true) => AttributeValue::Null,
                Some(false) => return Err(invalid(
                    "One or more parameter values were invalid: Null attribute value types must have the value of true",
                )),
                None => return Err(param_type(&at("NULL"), inner, "boolean")),
            },
            "M" => {
                let Value::Object(map) = inner else { return Err(param_type(&at("M"), inner, "object")) };
                AttributeValue::M(read_item(map, &at("M"))?)
            }
            "L" => AttributeValue::L(
                as_array(inner, &at("L"))?
                    .iter()
                    .enumerate()
                    .map(|(i, v)| AttributeValue::read(v, &WirePath::Element(path, "L", i)))
                    .collect::<Result<_, _>>()?,
            ),
            "SS" => {
                let members: Vec<String> = as_array(inner, &at("SS"))?
                    .iter()
                    .enumerate()
                    .map(|(i, v)| string(v, WirePath::Element(path, "SS", i)))
                    .collect::<Result<_, _>>()?;
                check_set(
                    &members,
                    "An string set  may not be empty",
                    |s| s.clone(),
                    |shown| format!("Input collection [{shown}] contains duplicates."),
                )?;
                AttributeValue::Ss(members)
            }
            "NS" => {
                let members: Vec<Number> = as_array(inner, &at("NS"))?
                    .iter()
                    .enumerate()
                    .map(|(i, v)| string(v, WirePath::Element(path, "NS", i)).and_then(|s| parse_number(&s)))
                    .collect::<Result<_, _>>()?;
                check_set(
                    &members,
                    "An number set  may not be empty",
                    |n| n.to_string(),
                    |_| "Input collection contains duplicates".into(),
                )?;
                AttributeValue::Ns(members)
            }
            "BS" => {
                let members: Vec<Vec<u8>> = as_array(inner, &at("BS"))?
                    .iter()
                    .enumerate()
                    .map(|(i, v)| decode_binary(v, &WirePath::Element(path, "BS", i)))
                    .collect::<Result<_, _>>()?;
                check_set(
                    &members,
                    "Binary sets should not be empty",
                    |b| encode_base64(b),
                    |shown| format!("Input collection [{shown}]of type BS contains duplicates."),
                )?;
                AttributeValue::Bs(members)
            }
            other => {
                return Err(AwsError::param_validation(format!(
                    "Unknown parameter in input: \"{other}\", must be one of: S, N, B, SS, NS, BS, M, L, NULL, BOOL"
                )))
            }
        })
    }

    /// Writes DynamoDB JSON.
    pub fn to_wire(&self) -> Value {
        match self {
            AttributeValue::S(s) => json!({ "S": s }),
            AttributeValue::N(n) => json!({ "N": n.to_string() }),
            AttributeValue::B(b) => json!({ "B": encode_base64(b) }),
            AttributeValue::Bool(b) => json!({ "BOOL": b }),
            AttributeValue::Null => json!({ "NULL": true }),
            AttributeValue::M(m) => json!({ "M": item_to_wire(m) }),
            AttributeValue::L(l) => json!({ "L": l.iter().map(AttributeValue::to_wire).collect::<Vec<_>>() }),
            AttributeValue::Ss(s) => json!({ "SS": s }),
            AttributeValue::Ns(n) => json!({ "NS": n.iter().map(Number::to_string).collect::<Vec<_>>() }),
            AttributeValue::Bs(b) => json!({ "BS": b.iter().map(|b| encode_base64(b)).collect::<Vec<_>>() }),
        }
    }

    /// The bytes DynamoDB counts for this value (attribute names are counted by the item).
    pub fn size(&self) -> usize {
        match self {
            AttributeValue::S(s) => s.len(),
            AttributeValue::N(n) => n.size(),
            AttributeValue::B(b) => b.len(),
            AttributeValue::Bool(_) | AttributeValue::Null => 1,
            // Maps and lists: 3 bytes of overhead, plus 1 byte per element.
            AttributeValue::M(m) => 3 + m.iter().map(|(k, v)| k.len() + v.size() + 1).sum::<usize>(),
            AttributeValue::L(l) => 3 + l.iter().map(|v| v.size() + 1).sum::<usize>(),
            AttributeValue::Ss(s) => s.iter().map(String::len).sum(),
            AttributeValue::Ns(n) => n.iter().map(Number::size).sum(),
            AttributeValue::Bs(b) => b.iter().map(Vec::len).sum(),
        }
    }
}

fn as_array<'a>(value: &'a Value, path: &WirePath) -> Result<&'a Vec<Value>, AwsError> {
    value.as_array().ok_or_else(|| param_type(path, value, "array"))
}

fn parse_number(text: &str) -> Result<Number, AwsError> {
    Number::parse(text).map_err(|err| invalid(err.to_string()))
}

/// Sets must be non-empty and free of duplicates (DynamoDB words the duplicate error
/// differently for each set type).
fn check_set<T>(
    members: &[T],
    empty: &str,
    show: impl Fn(&T) -> String,
    duplicates: impl Fn(&str) -> String,
) -> Result<(), AwsError> {
    if members.is_empty() {
        return Err(invalid(format!("One or more parameter values were invalid: {empty}")));
    }
    let shown: Vec<String> = members.iter().map(&show).collect();
    let mut sorted = shown.clone();
    sorted.sort();
    if sorted.windows(2).any(|w| w[0] == w[1]) {
        return Err(invalid(format!("One or more parameter values were invalid: {}", duplicates(&shown.join(", ")))));
    }
    Ok(())
}

/// Reads a map of DynamoDB JSON values (an `Item`, a `Key`, `ExpressionAttributeValues`).
pub fn item_from_wire(map: &Map<String, Value>, path: &str) -> Result<Item, AwsError> {
    read_item(map, &WirePath::Root(path))
}

fn read_item(map: &Map<String, Value>, path: &WirePath) -> Result<Item, AwsError> {
    map.iter()
        .map(|(name, value)| Ok((name.clone(), AttributeValue::read(value, &WirePath::Member(path, name))?)))
        .collect()
}

pub fn item_to_wire(item: &Item) -> Value {
    Value::Object(item.iter().map(|(name, value)| (name.clone(), value.to_wire())).collect())
}

/// The bytes DynamoDB counts for an item: each attribute's name plus its value.
pub fn item_size(item: &Item) -> usize {
    item.iter().map(|(name, value)| name.len() + value.size()).sum()
}

fn decode_binary(value: &Value, path: &WirePath) -> Result<Vec<u8>, AwsError> {
    let text = value.as_str().ok_or_else(|| param_type(path, value, "string (base64)"))?;
    decode_base64(text).ok_or_else(|| {
        AwsError::client(
            "SerializationException",
            format!("Base64 encoded length is expected a multiple of 4 bytes but found: {}", text.len()),
        )
    })
}

pub use crate::wire::{decode_base64, encode_base64};

#[cfg(test)]
mod tests {
    use super::*;

    fn check(wire: Value, expect: &str) {
        let got = match AttributeValue::from_wire(&wire, "Item.a") {
            Ok(value) => format!("ok {}", value.to_wire()),
            Err(err) => format!("error {err}"),
        };
        assert_eq!(got, expect);
    }

    #[test]
    fn reads_and_writes_every_type() {
        check(json!({"S": "hi"}), r#"ok {"S":"hi"}"#);
        check(json!({"N": "1.50"}), r#"ok {"N":"1.5"}"#);
        check(json!({"B": "aGVsbG8="}), r#"ok {"B":"aGVsbG8="}"#);
        check(json!({"BOOL": false}), r#"ok {"BOOL":false}"#);
        check(json!({"NULL": true}), r#"ok {"NULL":true}"#);
        check(json!({"M": {"x": {"N": "1"}}}), r#"ok {"M":{"x":{"N":"1"}}}"#);
        check(json!({"L": [{"S": "a"}, {"N": "2"}]}), r#"ok {"L":[{"S":"a"},{"N":"2"}]}"#);
        check(json!({"SS": ["b", "a"]}), r#"ok {"SS":["b","a"]}"#);
        check(json!({"NS": ["1", "02"]}), r#"ok {"NS":["1","2"]}"#);
        check(json!({"BS": ["AA==", "AQ=="]}), r#"ok {"BS":["AA==","AQ=="]}"#);
    }

    #[test]
    fn rejects_what_dynamodb_rejects() {
        check(json!({}), "error ValidationException: Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
        check(json!({"S": "a", "N": "1"}), "error ValidationException: Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
        check(
            json!({"SS": []}),
            "error ValidationException: One or more parameter values were invalid: An string set  may not be empty",
        );
        check(json!({"SS": ["a", "a"]}), "error ValidationException: One or more parameter values were invalid: Input collection [a, a] contains duplicates.");
        check(json!({"NS": ["1", "1.0"]}), "error ValidationException: One or more parameter values were invalid: Input collection contains duplicates");
        check(json!({"BS": ["Yg==", "Yg=="]}), "error ValidationException: One or more parameter values were invalid: Input collection [Yg==, Yg==]of type BS contains duplicates.");
        check(json!({"N": ""}), "error ValidationException: The parameter cannot be converted to a numeric value");
        check(json!({"NULL": false}), "error ValidationException: One or more parameter values were invalid: Null attribute value types must have the value of true");
        check(json!({"N": "x"}), "error ValidationException: The parameter cannot be converted to a numeric value: x");
        check(json!({"S": 5}), "error ParamValidation: Parameter validation failed:\nInvalid type for parameter Item.a.S, value: 5, type: number, valid types: string");
        check(json!({"X": 1}), "error ParamValidation: Parameter validation failed:\nUnknown parameter in input: \"X\", must be one of: S, N, B, SS, NS, BS, M, L, NULL, BOOL");
        check(
            json!({"B": "abc"}),
            "error SerializationException: Base64 encoded length is expected a multiple of 4 bytes but found: 3",
        );
    }
}
