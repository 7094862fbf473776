//! Lambda's control plane against an independent implementation: the steps of
//! tools/record/lambda_moto.py, as moto answered them (core/tests/recorded/lambda-moto.json,
//! recorded once, replayed offline), run against the simulator.
//!
//! For each step both must succeed or both fail; failures must have the same error code; answers
//! must agree on every member both have, once the members that differ by nature are left out
//! (revision ids, dates, code locations). Where the two differ on purpose or moto departs from
//! AWS, the difference is listed in `KNOWN` with the reason.

use lab_core::World;
use serde_json::Value;

/// Members that differ between any two implementations: generated ids, wall-clock dates, URLs.
const VOLATILE: &[&str] =
    &["RevisionId", "LastModified", "CreatedDate", "CreateDate", "Location", "RoleId", "RoleLastUsed"];

/// Known differences: (action, path or error code, why).
const KNOWN: &[(&str, &str, &str)] = &[
    (
        "CreateRole",
        "Role.AssumeRolePolicyDocument",
        "IAM answers the document URL-encoded (as AWS does); boto3 decodes it",
    ),
    ("CreateAlias", "error ConflictException", "moto's code; AWS's API reference names ResourceConflictException"),
    ("GetLayerVersionByArn", "answer", "moto answers {} (it does not implement the operation)"),
    ("DeleteFunction", "StatusCode", "moto puts the HTTP status in the body; the operation has no output members"),
    ("CreateRole", "Role.MaxSessionDuration", "moto adds it to CreateRole's answer; AWS shows it in GetRole"),
    (
        "CreateFunction",
        "State",
        "a new function is Pending for a moment on AWS (and here); moto makes it Active at once",
    ),
    (
        "UpdateFunctionCode",
        "LastUpdateStatus",
        "an update is InProgress for a moment on AWS (and here); moto is done at once",
    ),
    ("UpdateFunctionConfiguration", "LastUpdateStatus", "likewise"),
];

/// A difference found between the two answers of one step.
fn differences(path: &str, ours: &Value, theirs: &Value, out: &mut Vec<String>) {
    match (ours, theirs) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in b {
                if VOLATILE.contains(&k.as_str()) {
                    continue;
                }
                let p = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                match a.get(k) {
                    Some(mine) => differences(&p, mine, v, out),
                    None if is_empty(v) => {}
                    None => out.push(format!("{p}: missing here, moto has {v}")),
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                differences(&format!("{path}[{i}]"), x, y, out);
            }
        }
        // Policies and statements are JSON text: compare what they say, not their key order.
        (Value::String(a), Value::String(b)) if a.starts_with('{') && b.starts_with('{') => {
            match (serde_json::from_str::<Value>(a), serde_json::from_str::<Value>(b)) {
                (Ok(x), Ok(y)) => differences(path, &x, &y, out),
                _ if a != b => out.push(format!("{path}: {a} here, moto has {b}")),
                _ => {}
            }
        }
        (Value::Number(a), Value::Number(b)) if a.as_f64() == b.as_f64() => {}
        _ if ours != theirs => out.push(format!("{path}: {ours} here, moto has {theirs}")),
        _ => {}
    }
}

/// What moto writes as a default that the simulator leaves out, as AWS does (`""`, `[]`, `{}`,
/// an object of those).
fn is_empty(v: &Value) -> bool {
    match v {
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.values().all(is_empty),
        Value::Null => true,
        _ => false,
    }
}

fn known(action: &str, difference: &str) -> bool {
    KNOWN.iter().any(|(a, what, _)| *a == action && difference.starts_with(what))
}

#[test]
fn lambdas_control_plane_agrees_with_moto() {
    let text = include_str!("recorded/lambda-moto.json");
    let recorded: Value = serde_json::from_str(text).expect("the recording is JSON");
    let mut world = World::default();
    let mut report = Vec::new();
    let mut compared = 0;
    for (i, step) in recorded["steps"].as_array().expect("steps").iter().enumerate() {
        if let Some(seconds) = step["advance"].as_u64() {
            world.advance(seconds).expect("a short clock move");
            continue;
        }
        let (service, action) = (step["service"].as_str().unwrap(), step["action"].as_str().unwrap());
        let answer = world.call(service, action, &step["request"]);
        compared += 1;
        let mut found = Vec::new();
        match (&answer, step.get("ok"), step.get("error")) {
            (Ok(ours), Some(theirs), _) => differences("", ours, theirs, &mut found),
            (Err(e), _, Some(theirs)) => {
                if e.code != theirs["code"] {
                    found.push(format!(
                        "error {}: here {}: {}",
                        theirs["code"].as_str().unwrap_or(""),
                        e.code,
                        e.message
                    ));
                }
            }
            (Ok(ours), None, Some(theirs)) => found.push(format!("error {theirs} at moto, here ok {ours}")),
            (Err(e), Some(theirs), _) => {
                if !(theirs.as_object().is_some_and(|o| o.is_empty()) && known(action, "answer")) {
                    found.push(format!("answer {theirs} at moto, here {}: {}", e.code, e.message));
                }
            }
            _ => panic!("step {i} has neither an answer nor an error"),
        }
        for d in found {
            let known = known(action, &d)
                || (d.starts_with("answer") && known(action, "answer"))
                || d.split(": ").next().is_some_and(|path| known(action, path));
            if !known {
                report.push(format!("step {i} {action}: {d}"));
            }
        }
    }
    assert!(compared > 50, "only {compared} steps compared");
    assert!(report.is_empty(), "{} differences from moto:\n{}", report.len(), report.join("\n"));
}
