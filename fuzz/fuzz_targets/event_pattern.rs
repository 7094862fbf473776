//! EventBridge event patterns (Lambda's FilterCriteria too): any text parses to a pattern or a
//! located error, never a panic, and a pattern matches any event without one.
#![no_main]
use lab_core::pattern::Pattern;
use libfuzzer_sys::fuzz_target;

/// Events of the shapes patterns look at: an EventBridge event, a stream record, a queue message.
const EVENTS: &[&str] = &[
    r#"{"source": "orders", "detail-type": "Order Placed", "detail": {"id": 7, "amount": 12.5, "tags": ["a", null], "ip": "10.0.0.1"}}"#,
    r#"{"eventName": "MODIFY", "dynamodb": {"NewImage": {"status": {"S": "COMPLETE"}}}}"#,
    r#"{"body": {"priority": "high"}, "attributes": {"ApproximateReceiveCount": "1"}}"#,
    "[]",
    "null",
];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match Pattern::parse(text) {
        Ok(pattern) => {
            for event in EVENTS.iter().copied().chain([text]) {
                if let Ok(value) = serde_json::from_str(event) {
                    pattern.matches(&value);
                }
            }
        }
        Err(err) => {
            assert!(err.offset <= text.len(), "{err:?}");
            assert!(err.line >= 1 && err.column >= 1, "{err:?}");
            assert!(!err.message.is_empty());
        }
    }
});
