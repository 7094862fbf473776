//! DynamoDB's data model: numbers, attribute values in DynamoDB JSON and base64 binaries.
//!
//! Any text is read or refused, never a panic, and what reads writes back to the same value: a
//! number's canonical text parses to the same number, a value's wire JSON reads to the same value.
#![no_main]
use lab_core::dynamodb::model::{decode_base64, encode_base64, AttributeValue};
use lab_core::dynamodb::number::Number;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(number) = Number::parse(text) {
        assert_eq!(Number::parse(&number.to_string()).as_ref(), Ok(&number), "{text}");
        let _ = (number.add(&number), number.sub(&number.negate()), number.size());
    }
    if let Some(bytes) = decode_base64(text) {
        assert_eq!(decode_base64(&encode_base64(&bytes)), Some(bytes), "{text}");
    }
    if let Ok(json) = serde_json::from_str::<serde_json::Value>(text) {
        if let Ok(value) = AttributeValue::from_wire(&json, "Item") {
            let _ = value.size();
            assert_eq!(AttributeValue::from_wire(&value.to_wire(), "Item").as_ref(), Ok(&value), "{text}");
        }
    }
});
