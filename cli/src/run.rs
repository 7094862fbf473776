//! `lab run` and `lab <service>`: JSONL in, one JSON line out per line in.

use lab_core::World;
use serde_json::{json, Value};
use std::io::{self, BufRead, Write};

/// Reads lines until end of input, answering each before reading the next. Blank lines are
/// skipped without an answer. Returns Ok(true): a failed call is an answer, not a failure of
/// the run.
pub fn run(input: impl BufRead, mut output: impl Write, service: Option<&str>) -> io::Result<bool> {
    let mut world = World::default();
    for line in input.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let answer = answer(&mut world, &line, service);
        serde_json::to_writer(&mut output, &answer)?;
        output.write_all(b"\n")?;
        output.flush()?;
    }
    Ok(true)
}

/// The answer to one line.
fn answer(world: &mut World, line: &str, service: Option<&str>) -> Value {
    let outcome = match parse_line(line, service) {
        Ok(Line::Call { service, action, request }) => world.call(&service, &action, &request),
        Ok(Line::Advance(seconds)) => world.advance(seconds).map(|report| json!(report)),
        Err(message) => return json!({"error": {"type": "InvalidInput", "message": message}}),
    };
    match outcome {
        Ok(response) => json!({ "ok": response }),
        Err(err) => {
            let mut error = serde_json::Map::new();
            error.insert("type".into(), json!(err.code));
            error.insert("message".into(), json!(err.message));
            // Members some errors carry besides type and message (e.g. "Item").
            error.extend(err.details.unwrap_or_default());
            json!({ "error": error })
        }
    }
}

enum Line {
    Call { service: String, action: String, request: Value },
    Advance(u64),
}

fn parse_line(line: &str, implied: Option<&str>) -> Result<Line, String> {
    let value: Value = serde_json::from_str(line).map_err(|err| format!("the line is not JSON: {err}"))?;
    let Value::Object(mut object) = value else {
        return Err("each line must be a JSON object".into());
    };
    if let Some(seconds) = object.get("advance") {
        if object.len() != 1 {
            return Err("an advance line has only the member \"advance\"".into());
        }
        return seconds
            .as_u64()
            .map(Line::Advance)
            .ok_or_else(|| format!("\"advance\" must be a whole number of seconds >= 0, not {seconds}"));
    }
    let (call, service) = match implied {
        Some(service) => (object, service.to_string()),
        None => {
            let Some(Value::Object(mut call)) = object.remove("call") else {
                return Err(
                    "each line is {\"call\": {\"service\", \"action\", \"request\"}} or {\"advance\": SECONDS}".into(),
                );
            };
            if !object.is_empty() {
                return Err("a call line has only the member \"call\"".into());
            }
            let Some(Value::String(service)) = call.remove("service") else {
                return Err("\"call.service\" must be a string, e.g. \"dynamodb\"".into());
            };
            (call, service)
        }
    };
    let mut call = call;
    let Some(Value::String(action)) = call.remove("action") else {
        return Err("\"action\" must be a string, e.g. \"PutItem\"".into());
    };
    let request = call.remove("request").unwrap_or_else(|| json!({}));
    if let Some(extra) = call.keys().next() {
        return Err(format!("unexpected member \"{extra}\"; a call has \"action\" and \"request\""));
    }
    Ok(Line::Call { service, action, request })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(service: Option<&str>, input: &str, expect: &str) {
        let mut output = Vec::new();
        run(input.as_bytes(), &mut output, service).unwrap();
        assert_eq!(String::from_utf8(output).unwrap(), expect);
    }

    #[test]
    fn answers_each_line() {
        check(
            None,
            r#"{"call": {"service": "sts", "action": "GetCallerIdentity", "request": {}}}

{"advance": 60}
{"call": {"service": "sts", "action": "Nope"}}
"#,
            r#"{"ok":{"Account":"123456789012","Arn":"arn:aws:iam::123456789012:user/student","UserId":"AIDAXCEAOVBDZCUPUDBXW"}}
{"ok":{"from_ms":1735689600000,"jobs_run":0,"to_ms":1735689660000}}
{"error":{"message":"Could not find operation Nope for version 2011-06-15","type":"InvalidAction"}}
"#,
        );
    }

    #[test]
    fn implied_service() {
        check(Some("sts"), r#"{"action": "GetCallerIdentity"}"#, "{\"ok\":{\"Account\":\"123456789012\",\"Arn\":\"arn:aws:iam::123456789012:user/student\",\"UserId\":\"AIDAXCEAOVBDZCUPUDBXW\"}}\n");
    }

    #[test]
    fn bad_lines_get_clear_errors() {
        let cases = [
            ("nope", "the line is not JSON: expected ident at line 1 column 2"),
            ("[1]", "each line must be a JSON object"),
            (r#"{"advance": -1}"#, "\"advance\" must be a whole number of seconds >= 0, not -1"),
            (r#"{"advance": 1, "x": 2}"#, "an advance line has only the member \"advance\""),
            (
                r#"{"cal": {}}"#,
                "each line is {\"call\": {\"service\", \"action\", \"request\"}} or {\"advance\": SECONDS}",
            ),
            (r#"{"call": {"action": "X"}}"#, "\"call.service\" must be a string, e.g. \"dynamodb\""),
            (r#"{"call": {"service": "sts"}}"#, "\"action\" must be a string, e.g. \"PutItem\""),
            (
                r#"{"call": {"service": "sts", "action": "X", "reqest": {}}}"#,
                "unexpected member \"reqest\"; a call has \"action\" and \"request\"",
            ),
        ];
        for (line, message) in cases {
            let expect =
                serde_json::to_string(&json!({"error": {"type": "InvalidInput", "message": message}})).unwrap();
            check(None, line, &format!("{expect}\n"));
        }
    }
}
