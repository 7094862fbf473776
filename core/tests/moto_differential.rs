//! The simulator against an independent implementation: the scripted steps of
//! tools/record/record_moto.py (Lambda's control plane, IAM, Secrets Manager, CloudWatch Logs), as
//! moto answered them (core/tests/recorded/*-moto.json, recorded once, replayed offline), run
//! against a world that starts at the instant of the recording.
//!
//! For each step both must succeed or both fail; failures must have the same error code; answers
//! must agree on every member both have, once the members that differ by nature are left out
//! (generated ids, dates, tokens, code locations). Where moto departs from AWS's documentation, or
//! the simulator differs on purpose, the difference is listed in `KNOWN` with the reason.

use lab_core::{World, WorldConfig};
use serde_json::Value;

/// Members that differ between any two implementations: generated ids, wall-clock dates, tokens,
/// URLs, storage figures.
const VOLATILE: &[&str] = &[
    "RevisionId",
    "LastModified",
    "CreatedDate",
    "CreateDate",
    "LastChangedDate",
    "LastAccessedDate",
    "DeletionDate",
    "DeletedDate",
    "Location",
    "RoleId",
    "PolicyId",
    "RoleLastUsed",
    "creationTime",
    "ingestionTime",
    "firstEventTimestamp",
    "lastEventTimestamp",
    "lastIngestionTime",
    "uploadSequenceToken",
    "nextSequenceToken",
    "nextForwardToken",
    "nextBackwardToken",
    "eventId",
    "storedBytes",
    "UpdateDate",
    // SQS's ids, handles and instants.
    "MessageId",
    "ReceiptHandle",
    "SequenceNumber",
    "SenderId",
    "SentTimestamp",
    "ApproximateFirstReceiveTimestamp",
    "CreatedTimestamp",
    "LastModifiedTimestamp",
    // Kinesis's iterators, sequence numbers (moto counts 1, 2, 3...) and instants.
    "ShardIterator",
    "NextShardIterator",
    "StartingSequenceNumber",
    "StreamCreationTimestamp",
    "ApproximateArrivalTimestamp",
    "MillisBehindLatest",
];

/// Known differences: (action, a text the step's request contains or "", the difference's path or
/// `error CODE` or `answer`, why).
const KNOWN: &[(&str, &str, &str, &str)] = &[
    ("CreateAlias", "", "error ConflictException", "moto's code; AWS's API reference names ResourceConflictException"),
    ("GetLayerVersionByArn", "", "answer", "moto answers {} (it does not implement the operation)"),
    ("DeleteFunction", "", "StatusCode", "moto puts the HTTP status in the body; the operation has no output members"),
    ("CreateRole", "", "Role.MaxSessionDuration", "moto adds it to CreateRole's answer; AWS shows it in GetRole"),
    ("CreateFunction", "", "State", "a new function is Pending for a moment on AWS (and here); moto makes it Active at once"),
    ("UpdateFunctionCode", "", "LastUpdateStatus", "an update is InProgress for a moment on AWS (and here); moto is done at once"),
    ("UpdateFunctionConfiguration", "", "LastUpdateStatus", "likewise"),
    ("PutRetentionPolicy", "", "answer", "moto takes any number of days; AWS takes only the values of its enum"),
    ("FilterLogEvents", "", "searchedLogStreams", "deprecated by AWS in 2020: always an empty list since"),
    ("FilterLogEvents", "$.level", "events", "moto does not read JSON filter patterns and matches every event"),
    ("FilterLogEvents", "?START", "events", "moto does not read `?term` alternatives and matches every event"),
    ("CreatePolicyVersion", "", "PolicyVersion.Document", "AWS returns Document only from GetPolicyVersion"),
    ("ListPolicyVersions", "", "Versions", "AWS lists the newest version first, without Document (the IAM reference); moto lists the oldest first, with it"),
    ("ListSecretVersionIds", "", "ARN", "moto answers the secret's name as its ARN"),
    ("PutFunctionEventInvokeConfig", "", "FunctionArn", "AWS's reference answers the qualified ARN (`:$LATEST`); moto the unqualified one"),
    ("UpdateFunctionEventInvokeConfig", "", "FunctionArn", "likewise"),
    ("GetFunctionEventInvokeConfig", "", "FunctionArn", "likewise"),
    ("ListFunctionEventInvokeConfigs", "", "FunctionEventInvokeConfigs[0].FunctionArn", "likewise"),
    ("GetFunctionEventInvokeConfig", "", "DestinationConfig", "moto forgets the destinations an Update set"),
    ("CreateStream", "bad name", "answer", "moto takes any stream name; AWS's model allows [a-zA-Z0-9_.-]+"),
    ("ListStreams", "", "StreamNames", "moto listed the badly named stream it accepted"),
    ("ListStreams", "", "StreamSummaries", "likewise"),
];

/// Where the two answers of one step differ.
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
        // IAM answers documents URL-encoded, as AWS does; boto3 hands them over decoded.
        (Value::String(a), Value::Object(_)) if a.starts_with("%7B") => {
            match serde_json::from_str::<Value>(&lab_core::wire::url_decode(a)) {
                Ok(decoded) => differences(path, &decoded, theirs, out),
                Err(_) => out.push(format!("{path}: {a} here is not a URL-encoded document")),
            }
        }
        (Value::String(a), Value::String(b)) if unsuffixed(a) != unsuffixed(b) => {
            out.push(format!("{path}: {ours} here, moto has {theirs}"))
        }
        (Value::String(_), Value::String(_)) => {}
        (Value::Number(a), Value::Number(b)) if a.as_f64() == b.as_f64() => {}
        _ if ours != theirs => out.push(format!("{path}: {ours} here, moto has {theirs}")),
        _ => {}
    }
}

/// A secret's ARN without the six random characters that end it.
fn unsuffixed(text: &str) -> &str {
    match text.find(":secret:") {
        Some(_) if text.len() > 7 && text.as_bytes()[text.len() - 7] == b'-' => &text[..text.len() - 7],
        _ => text,
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

fn known(action: &str, request: &str, difference: &str) -> bool {
    KNOWN.iter().any(|(a, asked, what, _)| {
        *a == action
            && request.contains(asked)
            && (difference.starts_with(what) || difference.starts_with("answer") && *what == "answer")
    })
}

/// Replays one recording; answers the differences not known.
fn replay(text: &str) -> (usize, Vec<String>) {
    let recorded: Value = serde_json::from_str(text).expect("a recording is JSON");
    let start_ms = recorded["recorded_at_ms"].as_u64().expect("a recording says when it was made");
    let mut world = World::new(&WorldConfig { start_ms, ..WorldConfig::default() });
    let mut report = Vec::new();
    let mut compared = 0;
    let mut receipt = String::new();
    let mut shard_iterator = String::new();
    for (i, step) in recorded["steps"].as_array().expect("steps").iter().enumerate() {
        if let Some(seconds) = step["advance"].as_u64() {
            world.advance(seconds).expect("a short clock move");
            continue;
        }
        let (service, action) = (step["service"].as_str().unwrap(), step["action"].as_str().unwrap());
        let request = step["request"].to_string();
        // `$RECEIPT` and `$ITERATOR` stand for the receipt handle of the last message received and
        // the last shard iterator handed out (the recorder's rule); both are base64 here.
        let sent: Value =
            serde_json::from_str(&request.replace("$RECEIPT", &receipt).replace("$ITERATOR", &shard_iterator))
                .expect("still JSON");
        let answer = world.call(service, action, &sent);
        if let Some(handle) = answer.as_ref().ok().and_then(|a| a["Messages"][0]["ReceiptHandle"].as_str()) {
            receipt = handle.to_string();
        }
        if let Some(it) = answer.as_ref().ok().and_then(|a| a["ShardIterator"].as_str()) {
            shard_iterator = it.to_string();
        }
        compared += 1;
        let mut found = Vec::new();
        match (&answer, step.get("ok"), step.get("error")) {
            (Ok(ours), Some(theirs), _) => differences("", ours, theirs, &mut found),
            (Err(e), _, Some(theirs)) if e.code != theirs["code"] => found.push(format!(
                "error {}: moto's message {}, here {}: {}",
                theirs["code"].as_str().unwrap_or(""),
                theirs["message"],
                e.code,
                e.message
            )),
            (Err(_), _, Some(_)) => {}
            (Ok(ours), None, Some(theirs)) => found.push(format!("error {theirs} at moto, here ok {ours}")),
            (Err(e), Some(theirs), _) => found.push(format!("answer {theirs} at moto, here {}: {}", e.code, e.message)),
            _ => panic!("step {i} has neither an answer nor an error"),
        }
        report.extend(
            found
                .into_iter()
                .filter(|d| !known(action, &request, d))
                .map(|d| format!("step {i} {service} {action}: {d}")),
        );
    }
    (compared, report)
}

fn check(name: &str, text: &str, at_least: usize) {
    let (compared, report) = replay(text);
    assert!(compared >= at_least, "{name}: only {compared} steps compared");
    assert!(report.is_empty(), "{name}: {} differences from moto:\n{}", report.len(), report.join("\n"));
}

#[test]
fn lambdas_control_plane_agrees_with_moto() {
    check("lambda", include_str!("recorded/lambda-moto.json"), 55);
}

#[test]
fn lambdas_event_invoke_configuration_agrees_with_moto() {
    check("lambda-async", include_str!("recorded/lambda-async-moto.json"), 11);
}

#[test]
fn iam_agrees_with_moto() {
    check("iam", include_str!("recorded/iam-moto.json"), 25);
}

#[test]
fn secrets_manager_agrees_with_moto() {
    check("secretsmanager", include_str!("recorded/secretsmanager-moto.json"), 18);
}

#[test]
fn sqs_agrees_with_moto() {
    check("sqs", include_str!("recorded/sqs-moto.json"), 40);
}

#[test]
fn kinesis_agrees_with_moto() {
    check("kinesis", include_str!("recorded/kinesis-moto.json"), 27);
}

#[test]
fn cloudwatch_logs_agrees_with_moto() {
    check("logs", include_str!("recorded/logs-moto.json"), 18);
}
