//! CloudWatch Logs filter patterns, as FilterLogEvents (and metric and subscription filters)
//! read them: `parser.rs` turns the text into an `ast.rs` tree or a located error, `eval.rs`
//! decides whether a message matches.
//!
//! Three syntaxes, told apart by the first character:
//! - terms: `ERROR "not found"` (all must appear), `?ERROR ?WARN` (any), `-DEBUG` (none), `" "`
//!   or nothing (every event); case-sensitive; a term with characters other than letters, digits
//!   and `_` must be in double quotes;
//! - JSON: `{ $.level = "error" && ($.latency > 500 || $.retry IS TRUE) }` with `=`, `!=` (text,
//!   `*` a wildcard, or numbers), `<`, `<=`, `>`, `>=` (numbers), `IS NULL`, `IS TRUE`,
//!   `IS FALSE`, `NOT EXISTS`, selectors such as `$.users[0].id`;
//! - space-delimited: `[ip, user, ..., status = 4*, bytes > 1000]`.
//!
//! Regular expressions (`%...%`) are not simulated yet: they are refused as a simulator limitation.
//! Parsing never panics, whatever the text (the `filter_pattern` fuzz target tries).

pub mod ast;
mod eval;
mod parser;

pub use ast::Pattern;
pub use eval::{fields_of, wildcard};
pub use parser::parse;

use std::ops::Range;

/// Why a pattern was refused, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PatternError {
    /// What AWS answers, word for word where it is known (`Invalid filter pattern` when AWS says
    /// nothing more).
    pub message: String,
    /// What exactly is wrong, for the console and the tests.
    pub detail: String,
    /// The bytes of the pattern at fault.
    pub span: Range<usize>,
    /// A valid pattern the simulator does not handle yet (a regular expression).
    pub unsupported: bool,
}

impl PatternError {
    /// A pattern AWS refuses with a message of its own.
    pub(crate) fn aws(message: impl Into<String>, detail: impl Into<String>, span: Range<usize>) -> PatternError {
        PatternError { message: message.into(), detail: detail.into(), span, unsupported: false }
    }

    /// A pattern AWS refuses with its plain `Invalid filter pattern`.
    pub(crate) fn invalid(detail: impl Into<String>, span: Range<usize>) -> PatternError {
        PatternError::aws("Invalid filter pattern", detail, span)
    }

    /// A regular expression, which AWS accepts and the simulator cannot run yet.
    pub(crate) fn regex(span: Range<usize>) -> PatternError {
        PatternError {
            message: "The simulator does not support regular expressions (%...%) in filter patterns yet; see docs/differences.md.".into(),
            detail: "regular expressions are not simulated".into(),
            span,
            unsupported: true,
        }
    }

    /// `line:column` (both from 1, columns in characters) of the start of the fault in `text`.
    pub fn position(&self, text: &str) -> String {
        let before = &text[..self.span.start.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        format!("{line}:{column}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses `pattern`, matches it against `message` and compares with `expect`: `match`,
    /// `no match`, or `error LINE:COL: detail [AWS message]`.
    fn check(pattern: &str, message: &str, expect: &str) {
        let got = match parse(pattern) {
            Ok(p) if p.matches(message) => "match".to_string(),
            Ok(_) => "no match".to_string(),
            Err(e) => format!("error {}: {} [{}]", e.position(pattern), e.detail, e.message),
        };
        assert_eq!(got, expect, "pattern {pattern:?} on {message:?}");
    }

    #[test]
    fn terms_are_case_sensitive_substrings() {
        check("ERROR", "[ERROR] A fatal exception has occurred", "match");
        check("ERROR", "Exiting with ERRORCODE: -1", "match");
        check("ERROR", "error: lower case", "no match");
        check("ERROR Exception", "[ERROR] Caught IllegalArgumentException", "match");
        check("ERROR Exception", "[ERROR] all good", "no match");
        check("Failed to process the request", "[WARN] Failed to process the request", "match");
        check("Failed to process the request", "the request Failed to process", "match");
        check("\"Failed to process\"", "the request Failed to process", "match");
        check("\"Failed to process\"", "Failed and then to process", "no match");
        check("\"ERROR 401\"", "[ERROR 401] UNAUTHORIZED", "match");
        check("Giới_hạn", "Giới_hạn vượt quá", "match");
    }

    #[test]
    fn alternatives_and_exclusions() {
        check("?ERROR ?WARN", "ERROR WARN message", "match");
        check("?ERROR ?WARN", "WARN message", "match");
        check("?ERROR ?WARN", "INFO message", "no match");
        check("ERROR -WARN", "ERROR message", "match");
        check("ERROR -WARN", "ERROR WARN message", "no match");
        check("\"ERROR\" - \"Exiting\"", "Exiting with ERRORCODE: -1", "no match");
        check("\"ERROR\" - \"Exiting\"", "[ERROR] A fatal exception", "match");
        check("?\"ERROR 401\" ?\"ERROR 403\"", "[ERROR 403] FORBIDDEN", "match");
        check("-DEBUG", "INFO started", "match");
        check("-DEBUG", "DEBUG details", "no match");
    }

    #[test]
    fn empty_patterns_match_everything() {
        check("", "anything", "match");
        check("   ", "anything", "match");
        check("\" \"", "anything", "match");
        check("\" \"", "", "match");
        check("\"\"", "anything", "error 1:1: an empty quoted term; `\" \"` (a space in quotes) matches everything [Invalid character(s) in term '\"\"']");
    }

    #[test]
    fn terms_with_other_characters_need_quotes() {
        check(
            "user@example.com",
            "x",
            "error 1:1: `@` in a term needs the term in double quotes [Invalid character(s) in term 'user@example.com']",
        );
        check("\"user@example.com\"", "sent to user@example.com", "match");
        check(
            "ERROR 404.",
            "x",
            "error 1:7: `.` in a term needs the term in double quotes [Invalid character(s) in term '404.']",
        );
        check("\"unclosed", "x", "error 1:1: this quoted text is never closed with `\"` [Invalid filter pattern]");
        check("ERROR ?", "x", "error 1:7: `?` must come right before a term [Invalid filter pattern]");
        check("\"say \\\"hi\\\"\"", "they say \"hi\"", "match");
    }

    const EVENT: &str = r#"{"eventType": "UpdateTrail", "sourceIPAddress": "111.111.111.111",
        "arrayKey": ["value", "another value"], "objectList": [{"name": "a", "id": 1}, {"name": "b", "id": 2}],
        "SomeObject": null, "ThisFlag": true, "latency": 600, "user": {"id": 1, "email": "John.Stiles@example.com"},
        "coordinates": [[0, 1, 2], [4, 5, 6]], "actions": ["GET", "PUT", "DELETE"], "code": "404"}"#;

    #[test]
    fn json_examples_from_the_aws_page() {
        check("{ $.eventType = \"UpdateTrail\" }", EVENT, "match");
        check("{ $.eventType = UpdateTrail }", EVENT, "match");
        check("{ $.eventType = Update* }", EVENT, "match");
        check("{ $.eventType = *Trail }", EVENT, "match");
        check("{ $.eventType = \"Put*\" }", EVENT, "no match");
        check("{ $.sourceIPAddress != 123.123.* }", EVENT, "match");
        check("{ $.sourceIPAddress != 111.111.* }", EVENT, "no match");
        check("{ $.arrayKey[0] = \"value\" }", EVENT, "match");
        check("{ $.objectList[1].id = 2 }", EVENT, "match");
        check("{ $.objectList[5].id = 2 }", EVENT, "no match");
        check("{ $.SomeObject IS NULL }", EVENT, "match");
        check("{ $.eventType IS NULL }", EVENT, "no match");
        check("{ $.SomeOtherObject NOT EXISTS }", EVENT, "match");
        check("{ $.eventType NOT EXISTS }", EVENT, "no match");
        check("{ $.ThisFlag IS TRUE }", EVENT, "match");
        check("{ $.ThisFlag IS FALSE }", EVENT, "no match");
        check("{ $.coordinates[1][2] = 6 }", EVENT, "match");
    }

    #[test]
    fn json_compound_conditions_follow_precedence() {
        check("{ ($.user.id = 1) && ($.objectList[0].name = \"a\") }", EVENT, "match");
        check(
            "{ ($.user.id = 2 && $.objectList[0].name = \"nonmatch\") || $.actions[2] = \"GET\" }",
            EVENT,
            "no match",
        );
        check(
            "{ $.user.email = \"John.Stiles@example.com\" || $.coordinates[0][1] = nonmatch && $.actions[2] = nomatch }",
            EVENT,
            "match",
        );
        check(
            "{ ($.user.email = \"John.Stiles@example.com\" || $.coordinates[0][1] = nonmatch) && $.actions[2] = nomatch }",
            EVENT,
            "no match",
        );
    }

    #[test]
    fn json_numbers_and_value_nodes() {
        check("{ $.latency >= 500 }", EVENT, "match");
        check("{ $.latency > +1000 }", EVENT, "no match");
        check("{ $.latency < 10e3 }", EVENT, "match");
        check("{ $.latency != 600 }", EVENT, "no match");
        check("{ $.code = 404 }", EVENT, "match");
        check("{ $.latency = * }", EVENT, "match");
        check("{ $.missing = * }", EVENT, "no match");
        // A selector that reaches an array or an object matches nothing, = or !=.
        check("{ $.actions = 1 }", EVENT, "no match");
        check("{ $.actions != 1 }", EVENT, "no match");
        check("{ $.user != 1 }", EVENT, "no match");
        check("{ $.latency > 5 }", "not json at all", "no match");
        check("{ $.latency > 5 }", "{\"latency\": \"fast\"}", "no match");
    }

    #[test]
    fn json_errors_are_located() {
        check("{ $.latency > 5", EVENT, "error 1:1: the JSON pattern is not closed with `}` [If a filter pattern starts with '{' it must end with '}']");
        check(
            "{ $.latency > }",
            EVENT,
            "error 1:15: expected a value (a number, a word or \"text\") here [Invalid filter pattern]",
        );
        check(
            "{ $.latency > fast }",
            EVENT,
            "error 1:15: `<`, `<=`, `>` and `>=` compare with a number [Invalid filter pattern]",
        );
        check(
            "{ latency = 5 }",
            EVENT,
            "error 1:3: expected a selector such as `$.level` here [Invalid filter pattern]",
        );
        check("{ $. = 5 }", EVENT, "error 1:3: a property name must follow `.` [Invalid filter pattern]");
        check(
            "{ $.a[x] = 5 }",
            EVENT,
            "error 1:6: an array index is a number in brackets: `[0]` [Invalid filter pattern]",
        );
        check("{ $.a = 5 & $.b = 6 }", EVENT, "error 1:11: a lone `&`: `&&` is AND [Invalid filter pattern]");
        check(
            "{ $.a IS MAYBE }",
            EVENT,
            "error 1:10: `IS` is followed by `NULL`, `TRUE` or `FALSE` [Invalid filter pattern]",
        );
        check(
            "{ $.a = a@b }",
            EVENT,
            "error 1:9: `@` in a value needs the value in double quotes [Invalid filter pattern]",
        );
        check("{ ($.a = 1 }", EVENT, "error 1:12: expected `)` here [Invalid filter pattern]");
        check("{ $.a = 1 } extra", EVENT, "error 1:1: the JSON pattern is not closed with `}` [If a filter pattern starts with '{' it must end with '}']");
        check(
            "{ $.a = 1 }}",
            EVENT,
            "error 1:12: expected the end of the pattern after `}` here [Invalid filter pattern]",
        );
        check(
            "{\n  $.a =\n}",
            EVENT,
            "error 3:1: expected a value (a number, a word or \"text\") here [Invalid filter pattern]",
        );
        let deep = format!("{{ {}$.a = 1{} }}", "(".repeat(40), ")".repeat(40));
        check(&deep, EVENT, "error 1:35: parentheses nest too deep [Invalid filter pattern]");
    }

    const APACHE: &str = "127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] \"GET /apache_pb.gif HTTP/1.0\" 404 1534";

    #[test]
    fn space_delimited_fields() {
        assert_eq!(
            fields_of(APACHE),
            ["127.0.0.1", "-", "frank", "10/Oct/2000:13:25:15 -0700", "GET /apache_pb.gif HTTP/1.0", "404", "1534"]
        );
        check("[ip, user, username, timestamp, request, status_code, bytes]", APACHE, "match");
        check("[ip, user, username, timestamp, request, status_code]", APACHE, "no match");
        check("[..., status_code, bytes]", APACHE, "match");
        check("[ip, user, ..., status_code, bytes]", APACHE, "match");
        check("[ip, user, ...]", APACHE, "match");
        check("[ip, ..., ..., bytes]", APACHE, "match");
        check("[ip, user, username, timestamp, request, status_code, bytes > 1000]", APACHE, "match");
        check("[ip, user, username, timestamp, request, status_code = 4*, bytes]", APACHE, "match");
        check("[ip, user, username, timestamp, request, status_code = 200, bytes]", APACHE, "no match");
        check("[ip, user, username, timestamp, request = *gif*, status_code = 4*, bytes]", APACHE, "match");
        check("[..., request=*.html*, status_code=4*,]", APACHE, "no match");
        check(
            "[ip, user, username, timestamp, request, status_code = 4* && status_code != 403, bytes]",
            APACHE,
            "match",
        );
        check("[w1=ERROR || w1=WARN, w2]", "WARN message", "match");
        check("[w1=ERROR || w1=WARN, w2]", "INFO message", "no match");
        check("[w1=ERROR, w2]", "ERROR WARN message", "no match");
    }

    #[test]
    fn space_delimited_errors_are_located() {
        check(
            "[ip, user, username, timestamp, request, status_code = 4* && bytes > 1000]",
            APACHE,
            "error 1:62: the condition at the position of `status_code` can only test `status_code`, not `bytes` [Invalid filter pattern]",
        );
        check("[ip user]", APACHE, "error 1:5: expected `,` or `]` here [Invalid filter pattern]");
        check(
            "[ip, bytes >]",
            APACHE,
            "error 1:13: expected a value (a number, a word or \"text\") here [Invalid filter pattern]",
        );
        check("[ip, $.a]", APACHE, "error 1:6: expected a field name or `...` here [Invalid filter pattern]");
        check(
            "[ip-addr]",
            APACHE,
            "error 1:2: `ip-addr` is not a field name (letters, digits and `_`) [Invalid filter pattern]",
        );
        check("[]", APACHE, "error 1:1: a space-delimited pattern names at least one field [Invalid filter pattern]");
        check("[ip", APACHE, "error 1:4: expected `,` or `]` here [Invalid filter pattern]");
    }

    #[test]
    fn regular_expressions_are_a_simulator_limitation() {
        let err = parse("%ERROR%").unwrap_err();
        assert!(err.unsupported && err.message.contains("regular expressions"), "{err:?}");
        assert!(parse("{ $.a = %x% }").unwrap_err().unsupported);
    }

    #[test]
    fn wildcards() {
        for (pattern, text, expect) in [
            ("*", "", true),
            ("a*", "abc", true),
            ("*c", "abc", true),
            ("*Event", "PutEvent", true),
            ("Event*", "EventName", true),
            ("Ev*ent", "Event", false),
            ("Ev*ent", "Ev*ent", true),
            ("*b*", "abc", true),
            ("ab", "abc", false),
        ] {
            assert_eq!(wildcard(pattern, text), expect, "{pattern} {text}");
        }
    }
}
