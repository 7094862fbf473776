//! DynamoDB expressions: any text parses to a tree or a located error, never a panic.
#![no_main]
use lab_core::dynamodb::expr::parser;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let errors =
        [parser::parse_condition(text).err(), parser::parse_projection(text).err(), parser::parse_update(text).err()];
    for err in errors.into_iter().flatten() {
        assert!(err.span.start <= text.len() && err.span.end <= text.len());
    }
});
