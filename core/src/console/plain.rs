//! The item editor's plain JSON, read and written exactly.
//!
//! Plain JSON (`{"Awards": 10}`) is what the console's item editor shows by default; DynamoDB JSON
//! (`{"Awards": {"N": "10"}}`) is what the API takes. A JSON number read through a double would
//! lose digits silently (`12345678901234567890123` became `12345678901234568000000`), so numbers are
//! never read that way here: each value's text is kept as written (serde_json's `RawValue`) and a
//! number goes straight to DynamoDB's exact [`Number`], which refuses what DynamoDB refuses (more
//! than 38 significant digits, magnitudes outside 1E-130 to 9.99...E+125) with DynamoDB's reason
//! and the attribute's path, at any depth. Written back, numbers keep their exact digits too.

use crate::dynamodb::model::{item_from_wire, item_to_wire, AttributeValue, Item};
use crate::dynamodb::number::Number;
use serde_json::value::RawValue;
use serde_json::Value;
use std::collections::BTreeMap;

/// Plain JSON as DynamoDB JSON: strings are S, numbers N (exactly), booleans BOOL, null NULL,
/// arrays L and objects M. The editor's toggle and its Save use this.
pub fn plain_to_dynamodb(text: &str) -> Result<String, String> {
    let item = plain_item(text)?;
    Ok(serde_json::to_string_pretty(&item_to_wire(&item)).unwrap_or_default())
}

/// Plain JSON text as an item, every number read exactly.
pub fn plain_item(text: &str) -> Result<Item, String> {
    let raw: &RawValue = serde_json::from_str(text).map_err(|e| e.to_string())?;
    match read(raw, "")? {
        AttributeValue::M(item) => Ok(item),
        _ => Err("an item is a JSON object".into()),
    }
}

/// One value, `path` naming it in errors (`Meta.scores[2]`).
fn read(raw: &RawValue, path: &str) -> Result<AttributeValue, String> {
    let text = raw.get().trim();
    let json = |e: serde_json::Error| e.to_string();
    Ok(match text.as_bytes().first() {
        Some(b'{') => {
            let members: BTreeMap<String, &RawValue> = serde_json::from_str(text).map_err(json)?;
            let mut item = Item::new();
            for (name, value) in members {
                let inner = if path.is_empty() { name.clone() } else { format!("{path}.{name}") };
                item.insert(name, read(value, &inner)?);
            }
            AttributeValue::M(item)
        }
        Some(b'[') => {
            let list: Vec<&RawValue> = serde_json::from_str(text).map_err(json)?;
            let values = list.into_iter().enumerate().map(|(i, v)| read(v, &format!("{path}[{i}]")));
            AttributeValue::L(values.collect::<Result<_, _>>()?)
        }
        Some(b'"') => AttributeValue::S(serde_json::from_str(text).map_err(json)?),
        Some(b't') => AttributeValue::Bool(true),
        Some(b'f') => AttributeValue::Bool(false),
        Some(b'n') => AttributeValue::Null,
        _ => AttributeValue::N(Number::parse(text).map_err(|e| {
            if path.is_empty() {
                e.to_string()
            } else {
                format!("{path}: {e}")
            }
        })?),
    })
}

/// DynamoDB JSON as plain JSON, pretty, numbers with their exact digits. Sets and binary values
/// have no plain JSON form: those items stay in DynamoDB JSON.
pub fn dynamodb_to_plain(text: &str) -> Result<String, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let Value::Object(map) = &value else { return Err("an item is a JSON object".into()) };
    let item = item_from_wire(map, "Item").map_err(|e| format!("{}: {}", e.code, e.message))?;
    let mut out = String::new();
    write(&AttributeValue::M(item), Some(0), &mut out, "")?;
    Ok(out)
}

/// One DynamoDB JSON value (`{"M": {...}}`, `{"SS": [...]}`...) as compact plain JSON text, or
/// why it has none.
pub fn value_to_plain(value: &Value) -> Result<String, String> {
    let attribute = AttributeValue::from_wire(value, "value").map_err(|e| format!("{}: {}", e.code, e.message))?;
    let mut out = String::new();
    write(&attribute, None, &mut out, "")?;
    Ok(out)
}

/// Writes `value` as plain JSON: pretty at `indent` levels (two spaces each, as
/// `serde_json::to_string_pretty`), or compact for `None`.
fn write(value: &AttributeValue, indent: Option<usize>, out: &mut String, path: &str) -> Result<(), String> {
    let newline = |out: &mut String, level: usize| {
        if indent.is_some() {
            out.push('\n');
            out.push_str(&"  ".repeat(level));
        }
    };
    let level = indent.unwrap_or(0);
    let inner = indent.map(|i| i + 1);
    match value {
        AttributeValue::S(s) => out.push_str(&Value::String(s.clone()).to_string()),
        AttributeValue::N(n) => out.push_str(&n.to_string()),
        AttributeValue::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        AttributeValue::Null => out.push_str("null"),
        AttributeValue::M(m) if m.is_empty() => out.push_str("{}"),
        AttributeValue::M(m) => {
            out.push('{');
            for (i, (name, v)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, level + 1);
                out.push_str(&Value::String(name.clone()).to_string());
                out.push_str(if indent.is_some() { ": " } else { ":" });
                let inner_path = if path.is_empty() { name.clone() } else { format!("{path}.{name}") };
                write(v, inner, out, &inner_path)?;
            }
            newline(out, level);
            out.push('}');
        }
        AttributeValue::L(l) if l.is_empty() => out.push_str("[]"),
        AttributeValue::L(l) => {
            out.push('[');
            for (i, v) in l.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, level + 1);
                write(v, inner, out, &format!("{path}[{i}]"))?;
            }
            newline(out, level);
            out.push(']');
        }
        AttributeValue::B(_) | AttributeValue::Ss(_) | AttributeValue::Ns(_) | AttributeValue::Bs(_) => {
            let why = format!("{} values have no plain JSON form; use DynamoDB JSON", value.type_name());
            return Err(if path.is_empty() { why } else { format!("{path}: {why}") });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Plain JSON in, DynamoDB JSON (or the reason it is refused) out.
    fn check(plain: &str, expect: Result<Value, &str>) {
        let got = plain_to_dynamodb(plain).map(|wire| serde_json::from_str::<Value>(&wire).unwrap());
        assert_eq!(got, expect.map_err(str::to_string), "{plain}");
    }

    #[test]
    fn numbers_are_read_exactly_at_any_depth() {
        check(r#"{"Awards": 12345678901234567890123}"#, Ok(json!({"Awards": {"N": "12345678901234567890123"}})));
        check(
            r#"{"a": 0.1, "b": -0, "c": 1e3, "d": 1.50, "e": 12345678901234567890123456789012345678}"#,
            Ok(json!({"a": {"N": "0.1"}, "b": {"N": "0"}, "c": {"N": "1000"}, "d": {"N": "1.5"},
                "e": {"N": "12345678901234567890123456789012345678"}})),
        );
        check(
            r#"{"Meta": {"scores": [1, 2.000000000000000000001]}}"#,
            Ok(json!({"Meta": {"M": {"scores": {"L": [{"N": "1"}, {"N": "2.000000000000000000001"}]}}}})),
        );
        check(
            r#"{"small": 1e-130, "big": 9.9999999999999999999999999999999999999E+125}"#,
            Ok(json!({
                "small": {"N": format!("0.{}1", "0".repeat(129))},
                "big": {"N": format!("99999999999999999999999999999999999999{}", "0".repeat(88))},
            })),
        );
    }

    #[test]
    fn numbers_dynamodb_cannot_store_are_refused_with_its_reason() {
        check(
            r#"{"n": 123456789012345678901234567890123456789012}"#,
            Err("n: Attempting to store more than 38 significant digits in a Number"),
        );
        check(
            r#"{"Meta": {"list": [1, {"x": 1e126}]}}"#,
            Err("Meta.list[1].x: Number overflow. Attempting to store a number with magnitude larger than supported range"),
        );
        check(
            r#"{"tiny": [1e-131]}"#,
            Err("tiny[0]: Number underflow. Attempting to store a number with magnitude smaller than supported range"),
        );
        check("[1]", Err("an item is a JSON object"));
        check("7", Err("an item is a JSON object"));
        assert!(plain_to_dynamodb(r#"{"a": 1"#).unwrap_err().contains("EOF"));
    }

    #[test]
    fn plain_json_round_trips_exactly() {
        let plain = "{\n  \"Awards\": 12345678901234567890123,\n  \"Empty\": {},\n  \"Live\": true,\n  \"Meta\": {\n    \"x\": null\n  },\n  \"Name\": \"Acme \\\"Band\\\"\",\n  \"Tags\": [\n    \"a\",\n    -1.5\n  ]\n}";
        let wire = plain_to_dynamodb(plain).unwrap();
        assert_eq!(dynamodb_to_plain(&wire).unwrap(), plain);
        assert_eq!(value_to_plain(&json!({"M": {"id": {"N": "7"}, "l": {"L": []}}})), Ok(r#"{"id":7,"l":[]}"#.into()));
        assert_eq!(
            dynamodb_to_plain(r#"{"m": {"M": {"s": {"SS": ["a"]}}}}"#).unwrap_err(),
            "m.s: SS values have no plain JSON form; use DynamoDB JSON"
        );
    }
}
