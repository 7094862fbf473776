//! Helpers for reading requests at a service's wire edge (its `api.rs` or `api/`): the members
//! of a request object by type, with the errors the AWS CLI and SDKs raise for a wrong shape.

use crate::error::AwsError;
use serde_json::{Map, Value};

/// The request as a JSON object whose members are all in `members`, the operation's input shape.
///
/// The AWS CLI and SDKs check this before sending, so the error is the one they raise
/// (`Unknown parameter in input: "Foo", must be one of: A, B`).
pub fn object_with<'a>(request: &'a Value, members: &[&str]) -> Result<&'a Map<String, Value>, AwsError> {
    let Value::Object(object) = request else {
        return Err(AwsError::param_validation(format!(
            "Invalid type for parameter input, value: {request}, type: {}, valid types: object",
            json_type(request)
        )));
    };
    let unknown: Vec<String> = object
        .keys()
        .filter(|key| !members.contains(&key.as_str()))
        .map(|key| format!("Unknown parameter in input: \"{key}\", must be one of: {}", members.join(", ")))
        .collect();
    if unknown.is_empty() {
        Ok(object)
    } else {
        Err(AwsError::param_validation(unknown.join("\n")))
    }
}

/// The error the AWS CLI and SDKs raise for a member of the wrong JSON type.
pub fn invalid_type(path: &str, value: &Value, valid: &str) -> AwsError {
    AwsError::param_validation(format!(
        "Invalid type for parameter {path}, value: {value}, type: {}, valid types: {valid}",
        json_type(value)
    ))
}

/// `value` as an array, or the CLI's error for `path`.
pub fn array<'a>(value: &'a Value, path: &str) -> Result<&'a Vec<Value>, AwsError> {
    value.as_array().ok_or_else(|| invalid_type(path, value, "array"))
}

/// The error for a required member that is absent (or null).
pub fn missing(member: &str) -> AwsError {
    AwsError::param_validation(format!("Missing required parameter in input: \"{member}\""))
}

/// An optional string member.
pub fn string<'a>(request: &'a Map<String, Value>, member: &str) -> Result<Option<&'a str>, AwsError> {
    match request.get(member) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(invalid_type(member, other, "string")),
    }
}

/// A required string member.
pub fn required<'a>(request: &'a Map<String, Value>, member: &str) -> Result<&'a str, AwsError> {
    string(request, member)?.ok_or_else(|| missing(member))
}

/// An optional boolean member.
pub fn boolean(request: &Map<String, Value>, member: &str) -> Result<Option<bool>, AwsError> {
    match request.get(member) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(other) => Err(invalid_type(member, other, "boolean")),
    }
}

/// An optional integer member.
pub fn integer(request: &Map<String, Value>, member: &str) -> Result<Option<i64>, AwsError> {
    match request.get(member) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v.as_i64().map(Some).ok_or_else(|| invalid_type(member, v, "integer")),
    }
}

/// An optional object member.
pub fn map<'a>(request: &'a Map<String, Value>, member: &str) -> Result<Option<&'a Map<String, Value>>, AwsError> {
    match request.get(member) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(m)) => Ok(Some(m)),
        Some(other) => Err(invalid_type(member, other, "object")),
    }
}

/// The JSON type name of a value, as error messages print it.
pub fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Base64 (standard alphabet, padded), as AWS's JSON protocols carry blobs.
pub fn encode_base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | (u32::from(b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(BASE64[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Strict: `None` unless `text` is padded base64 of the standard alphabet.
pub fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    if !bytes.len().is_multiple_of(4) {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3);
    for (index, chunk) in bytes.chunks(4).enumerate() {
        let last = index + 1 == bytes.len() / 4;
        let pad = chunk.iter().rev().take_while(|&&b| b == b'=').count();
        if pad > 2 || (pad > 0 && !last) {
            return None;
        }
        let mut n = 0u32;
        for &b in &chunk[..4 - pad] {
            let v = BASE64.iter().position(|&c| c == b)? as u32;
            n = n << 6 | v;
        }
        n <<= 6 * pad as u32;
        let produced = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&produced[..3 - pad]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(request: Value, expect: &str) {
        let got = match object_with(&request, &["TableName", "Limit"]) {
            Ok(_) => "ok".to_string(),
            Err(err) => err.to_string(),
        };
        assert_eq!(got, expect);
    }

    #[test]
    fn validates_members() {
        check(json!({}), "ok");
        check(json!({"TableName": "Music", "Limit": 1}), "ok");
        check(
            json!({"TableNam": "Music"}),
            "ParamValidation: Parameter validation failed:\nUnknown parameter in input: \"TableNam\", must be one of: TableName, Limit",
        );
        check(
            json!([1]),
            "ParamValidation: Parameter validation failed:\nInvalid type for parameter input, value: [1], type: array, valid types: object",
        );
    }

    #[test]
    fn base64_round_trips() {
        for len in 0..20u8 {
            let bytes: Vec<u8> = (0..len).map(|i| i.wrapping_mul(37)).collect();
            assert_eq!(decode_base64(&encode_base64(&bytes)).unwrap(), bytes);
        }
        assert_eq!(encode_base64(b"hello"), "aGVsbG8=");
    }
}
