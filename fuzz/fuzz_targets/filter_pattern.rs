//! CloudWatch Logs filter patterns: any text parses to a pattern or a located error, never a
//! panic, and a pattern matches any message without one.
#![no_main]
use lab_core::logs::pattern;
use libfuzzer_sys::fuzz_target;

/// Messages of every shape a pattern distinguishes: words, JSON, space-delimited fields.
const MESSAGES: &[&str] = &[
    "",
    "[ERROR] 500 GET /orders",
    r#"{"level": "error", "latency": 1200, "user": {"id": 1, "tags": ["a", null, true]}}"#,
    "127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] \"GET /apache_pb.gif HTTP/1.0\" 404 1534",
    "\"unclosed [bracket",
];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match pattern::parse(text) {
        Ok(parsed) => {
            for message in MESSAGES.iter().copied().chain([text]) {
                parsed.matches(message);
            }
        }
        Err(err) => {
            assert!(err.span.start <= err.span.end && err.span.end <= text.len(), "{err:?}");
            assert!(!err.message.is_empty());
            err.position(text);
        }
    }
});
