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

/// An operation a JSON-protocol service does not have here: one of AWS's that this simulator has
/// not built yet (listed in `not_yet`) is a `SimulatorLimitation`; anything else is the endpoint's
/// `UnknownOperationException`.
pub fn unknown_operation(action: &str, not_yet: &[&str]) -> AwsError {
    if not_yet.contains(&action) {
        return AwsError::client(
            "SimulatorLimitation",
            format!("The simulator does not support {action} yet; see docs/differences.md."),
        );
    }
    AwsError::client("UnknownOperationException", "An unknown operation was requested.")
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

/// A string member shorter than its shape's minimum: the CLI and SDKs refuse it before sending
/// (`Invalid length for parameter Name, value: 0, valid min length: 1`; the value is the length).
pub fn min_length(text: &str, path: &str, min: usize) -> Result<(), AwsError> {
    let length = text.chars().count();
    if length >= min {
        return Ok(());
    }
    Err(AwsError::param_validation(format!(
        "Invalid length for parameter {path}, value: {length}, valid min length: {min}"
    )))
}

/// A list member with fewer entries than its shape's minimum, refused the same way.
pub fn min_items(count: usize, path: &str, min: usize) -> Result<(), AwsError> {
    if count >= min {
        return Ok(());
    }
    Err(AwsError::param_validation(format!(
        "Invalid length for parameter {path}, value: {count}, valid min length: {min}"
    )))
}

/// A number member below its shape's minimum, refused the same way
/// (`Invalid value for parameter limit, value: 0, valid min value: 1`).
pub fn min_value(number: i64, path: &str, min: i64) -> Result<(), AwsError> {
    if number >= min {
        return Ok(());
    }
    Err(AwsError::param_validation(format!(
        "Invalid value for parameter {path}, value: {number}, valid min value: {min}"
    )))
}

/// A value the service's own model validation refuses, in the wording AWS's JSON services share:
/// `1 validation error detected: Value 'x' at 'member' failed to satisfy constraint: rule`.
/// Sensitive members (`None`) are named without their value, as AWS does.
pub fn constraint(code: &str, value: Option<&str>, member: &str, rule: &str) -> AwsError {
    let value = value.map_or(String::new(), |v| format!("'{v}' "));
    AwsError::client(
        code,
        format!("1 validation error detected: Value {value}at '{member}' failed to satisfy constraint: {rule}"),
    )
}

/// An opaque pagination token (a NextToken) that carries `position`: URL-safe base64 of its text,
/// as long and as unreadable as AWS's own tokens are to a learner.
pub fn page_token(position: &str) -> String {
    const DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(position.len() * 4 / 3 + 4);
    for chunk in position.as_bytes().chunks(3) {
        let bits = chunk.iter().fold(0u32, |bits, &byte| bits << 8 | u32::from(byte)) << (8 * (3 - chunk.len()));
        for i in 0..=chunk.len() {
            out.push(DIGITS[(bits >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// The position a token from [`page_token`] carries; `None` for any other text.
pub fn read_page_token(token: &str) -> Option<String> {
    let digit = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'-' => Some(62),
        b'_' => Some(63),
        _ => None,
    };
    let mut bytes = Vec::with_capacity(token.len() * 3 / 4);
    for group in token.as_bytes().chunks(4) {
        if group.len() == 1 {
            return None;
        }
        let bits = group.iter().try_fold(0u32, |bits, &c| Some(bits << 6 | u32::from(digit(c)?)))?;
        let bits = bits << (6 * (4 - group.len()));
        bytes.extend((0..group.len() - 1).map(|i| (bits >> (16 - 8 * i)) as u8));
    }
    let text = String::from_utf8(bytes).ok()?;
    // Only the canonical spelling of a position is a token (no stray bits).
    (page_token(&text) == token).then_some(text)
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

/// URL-encodes text as IAM returns policy documents: RFC 3986's unreserved characters kept,
/// every other byte of its UTF-8 as `%XX`.
pub fn url_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Decodes `%XX` escapes (and `+` as a space), as IAM's documents arrive URL-encoded; a `%` not
/// followed by two hexadecimal digits stays as it is.
pub fn url_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                match u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"), 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 3;
                        continue;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
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
    fn page_tokens_round_trip_and_refuse_other_text() {
        for position in ["", "a", "ab", "abc", "/aws/lambda/processOrder", "2025/01/01/[$LATEST]x"] {
            let token = page_token(position);
            assert!(token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "{token}");
            assert_eq!(read_page_token(&token).as_deref(), Some(position));
        }
        for bad in ["a", "ab!c", "YW=", "YWJ", "YWK"] {
            assert_eq!(read_page_token(bad), None, "{bad}");
        }
    }

    #[test]
    fn minimums_are_refused_as_the_cli_words_them() {
        let text = |r: Result<(), AwsError>| r.map_or_else(|e| e.message, |()| "ok".to_string());
        assert_eq!(text(min_length("ab", "Name", 2)), "ok");
        assert_eq!(
            text(min_length("", "Name", 1)),
            "Parameter validation failed:\nInvalid length for parameter Name, value: 0, valid min length: 1"
        );
        assert_eq!(
            text(min_value(0, "limit", 1)),
            "Parameter validation failed:\nInvalid value for parameter limit, value: 0, valid min value: 1"
        );
        assert_eq!(
            constraint("InvalidParameterException", Some("51"), "limit", "Member must have value less than or equal to 50").message,
            "1 validation error detected: Value '51' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 50"
        );
        assert_eq!(
            constraint("ValidationException", None, "secretString", "Member must have length less than or equal to 65536").message,
            "1 validation error detected: Value at 'secretString' failed to satisfy constraint: Member must have length less than or equal to 65536"
        );
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

    proptest::proptest! {
        #[test]
        fn url_decoding_undoes_url_encoding(text in "\\PC*") {
            proptest::prop_assert_eq!(url_decode(&url_encode(&text)), text);
        }
    }
}
