//! Transcripts, shared by the tests that write them: a script is one request per line,
//! `Action {request}` (the request may be left out: `{}`) or `advance SECONDS`, run against one
//! service through `World::call`; each answer is rendered on a line of its own,
//! `Action -> <answer>`. Blank lines and lines starting with `#` (comments) are skipped.

// Each test file that includes this module uses only part of it.
#![allow(dead_code)]

use lab_core::{AwsError, World};
use serde_json::Value;

/// Runs `script` against `service` in `world`; `render` shows each call's answer.
pub fn run(
    world: &mut World,
    service: &str,
    script: &str,
    render: &dyn Fn(Result<Value, AwsError>) -> String,
) -> String {
    let mut out = String::new();
    for line in script.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let (head, rest) = line.split_once(' ').unwrap_or((line, ""));
        let answer = if head == "advance" {
            match world.advance(rest.parse().expect("advance takes whole seconds")) {
                Ok(_) => "ok".to_string(),
                Err(e) => format!("{}: {}", e.code, e.message),
            }
        } else {
            let request: Value = serde_json::from_str(if rest.is_empty() { "{}" } else { rest })
                .unwrap_or_else(|err| panic!("{line}: the request is not JSON: {err}"));
            render(world.call(service, head, &request))
        };
        out.push_str(&format!("{head} -> {answer}\n"));
    }
    out
}

/// An answer as `ok <response JSON>` or `<code>: <message>`.
pub fn plain(answer: Result<Value, AwsError>) -> String {
    match answer {
        Ok(response) => format!("ok {response}"),
        Err(e) => format!("{}: {}", e.code, e.message),
    }
}

/// Shows each uuid the world generated as `<uuid>` (the ones scripts give, such as
/// `11111111-1111-...`, stay as they are).
pub fn hide_uuids(out: &str) -> String {
    let bytes: Vec<char> = out.chars().collect();
    let mut scrubbed = String::new();
    let mut i = 0;
    while i < bytes.len() {
        let window: String = bytes[i..bytes.len().min(i + 36)].iter().collect();
        let uuid = window.len() == 36
            && window
                .char_indices()
                .all(|(j, c)| if [8, 13, 18, 23].contains(&j) { c == '-' } else { c.is_ascii_hexdigit() });
        if uuid && !window[..8].chars().all(|c| c == window.as_bytes()[0] as char) {
            scrubbed.push_str("<uuid>");
            i += 36;
        } else {
            scrubbed.push(bytes[i]);
            i += 1;
        }
    }
    scrubbed
}
