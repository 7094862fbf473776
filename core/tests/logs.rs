//! CloudWatch Logs through the wire entry point, as transcripts: each line of a script is
//! `Action {request}` or `advance SECONDS`, and the transcript shows each answer. The world
//! starts at 2025-01-01T00:00:00Z, 1735689600000 in the milliseconds CloudWatch Logs speaks.

mod transcript;

use lab_core::World;
use serde_json::Value;

/// Runs `script` in `world` and renders every answer, one line each.
fn run(world: &mut World, script: &str) -> String {
    transcript::run(world, "logs", script, &transcript::plain)
}

/// Runs `script` in a fresh account and compares the transcript with `expect`.
fn check(script: &str, expect: &str) {
    let got = run(&mut World::default(), script);
    assert_eq!(got.trim_end(), expect.trim(), "\n--- got ---\n{got}");
}

/// The world's start, in milliseconds.
const T0: u64 = 1_735_689_600_000;

/// `PutLogEvents` of `messages` to `group`/`stream`, one each `step` milliseconds from `start`.
fn put(group: &str, stream: &str, start: u64, step: u64, messages: &[&str]) -> String {
    let events: Vec<Value> = messages
        .iter()
        .enumerate()
        .map(|(i, m)| serde_json::json!({"timestamp": start + i as u64 * step, "message": m}))
        .collect();
    let request = serde_json::json!({"logGroupName": group, "logStreamName": stream, "logEvents": events});
    format!("PutLogEvents {request}")
}

#[test]
fn log_groups_are_created_described_and_deleted() {
    check(
        r#"
CreateLogGroup {"logGroupName": "/aws/lambda/processOrder"}
CreateLogGroup {"logGroupName": "/aws/lambda/processOrder"}
CreateLogGroup {"logGroupName": "orders app"}
CreateLogGroup {"logGroupName": ""}
CreateLogGroup {"logGroupName": "app", "logGroupClass": "COLD"}
CreateLogGroup {"logGroupName": "app", "kmsKeyId": "arn:aws:kms:ap-southeast-1:123456789012:key/k1", "logGroupClass": "INFREQUENT_ACCESS"}
DescribeLogGroups
DescribeLogGroups {"logGroupNamePrefix": "/aws/"}
DescribeLogGroups {"logGroupNamePattern": "Order"}
DescribeLogGroups {"logGroupNamePrefix": "/aws/", "logGroupNamePattern": "Order"}
DescribeLogGroups {"limit": 1}
DescribeLogGroups {"limit": 1, "nextToken": "L2F3cy9sYW1iZGEvcHJvY2Vzc09yZGVy"}
DescribeLogGroups {"nextToken": "nonsense!"}
DescribeLogGroups {"limit": 51}
DescribeLogGroups {"limit": 0}
DeleteLogGroup {"logGroupName": "app"}
DeleteLogGroup {"logGroupName": "app"}
DescribeLogGroups {"logGroupIdentifiers": ["arn:aws:logs:ap-southeast-1:123456789012:log-group:/aws/lambda/processOrder", "app"]}
"#,
        r#"
CreateLogGroup -> ok {}
CreateLogGroup -> ResourceAlreadyExistsException: The specified log group already exists
CreateLogGroup -> InvalidParameterException: 1 validation error detected: Value 'orders app' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\.\-_/#A-Za-z0-9]+
CreateLogGroup -> ParamValidation: Parameter validation failed:
Invalid length for parameter logGroupName, value: 0, valid min length: 1
CreateLogGroup -> InvalidParameterException: 1 validation error detected: Value 'COLD' at 'logGroupClass' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, INFREQUENT_ACCESS, DELIVERY]
CreateLogGroup -> ok {}
DescribeLogGroups -> ok {"logGroups":[{"arn":"arn:aws:logs:ap-southeast-1:123456789012:log-group:/aws/lambda/processOrder:*","creationTime":1735689600000,"deletionProtectionEnabled":false,"logGroupArn":"arn:aws:logs:ap-southeast-1:123456789012:log-group:/aws/lambda/processOrder","logGroupClass":"STANDARD","logGroupName":"/aws/lambda/processOrder","metricFilterCount":0,"storedBytes":0},{"arn":"arn:aws:logs:ap-southeast-1:123456789012:log-group:app:*","creationTime":1735689600000,"deletionProtectionEnabled":false,"kmsKeyId":"arn:aws:kms:ap-southeast-1:123456789012:key/k1","logGroupArn":"arn:aws:logs:ap-southeast-1:123456789012:log-group:app","logGroupClass":"INFREQUENT_ACCESS","logGroupName":"app","metricFilterCount":0,"storedBytes":0}]}
DescribeLogGroups -> ok {"logGroups":[{"arn":"arn:aws:logs:ap-southeast-1:123456789012:log-group:/aws/lambda/processOrder:*","creationTime":1735689600000,"deletionProtectionEnabled":false,"logGroupArn":"arn:aws:logs:ap-southeast-1:123456789012:log-group:/aws/lambda/processOrder","logGroupClass":"STANDARD","logGroupName":"/aws/lambda/processOrder","metricFilterCount":0,"storedBytes":0}]}
DescribeLogGroups -> ok {"logGroups":[{"arn":"arn:aws:logs:ap-southeast-1:123456789012:log-group:/aws/lambda/processOrder:*","creationTime":1735689600000,"logGroupArn":"arn:aws:logs:ap-southeast-1:123456789012:log-group:/aws/lambda/processOrder","logGroupClass":"STANDARD","logGroupName":"/aws/lambda/processOrder","metricFilterCount":0}]}
DescribeLogGroups -> InvalidParameterException: LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.
DescribeLogGroups -> ok {"logGroups":[{"arn":"arn:aws:logs:ap-southeast-1:123456789012:log-group:/aws/lambda/processOrder:*","creationTime":1735689600000,"deletionProtectionEnabled":false,"logGroupArn":"arn:aws:logs:ap-southeast-1:123456789012:log-group:/aws/lambda/processOrder","logGroupClass":"STANDARD","logGroupName":"/aws/lambda/processOrder","metricFilterCount":0,"storedBytes":0}],"nextToken":"L2F3cy9sYW1iZGEvcHJvY2Vzc09yZGVy"}
DescribeLogGroups -> ok {"logGroups":[{"arn":"arn:aws:logs:ap-southeast-1:123456789012:log-group:app:*","creationTime":1735689600000,"deletionProtectionEnabled":false,"kmsKeyId":"arn:aws:kms:ap-southeast-1:123456789012:key/k1","logGroupArn":"arn:aws:logs:ap-southeast-1:123456789012:log-group:app","logGroupClass":"INFREQUENT_ACCESS","logGroupName":"app","metricFilterCount":0,"storedBytes":0}]}
DescribeLogGroups -> InvalidParameterException: The specified nextToken is invalid.
DescribeLogGroups -> InvalidParameterException: 1 validation error detected: Value '51' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 50
DescribeLogGroups -> ParamValidation: Parameter validation failed:
Invalid value for parameter limit, value: 0, valid min value: 1
DeleteLogGroup -> ok {}
DeleteLogGroup -> ResourceNotFoundException: The specified log group does not exist.
DescribeLogGroups -> ok {"logGroups":[{"arn":"arn:aws:logs:ap-southeast-1:123456789012:log-group:/aws/lambda/processOrder:*","creationTime":1735689600000,"deletionProtectionEnabled":false,"logGroupArn":"arn:aws:logs:ap-southeast-1:123456789012:log-group:/aws/lambda/processOrder","logGroupClass":"STANDARD","logGroupName":"/aws/lambda/processOrder","metricFilterCount":0,"storedBytes":0}]}
"#,
    );
}

#[test]
fn retention_policies_take_aws_values() {
    check(
        r#"
PutRetentionPolicy {"logGroupName": "app", "retentionInDays": 7}
CreateLogGroup {"logGroupName": "app"}
PutRetentionPolicy {"logGroupName": "app", "retentionInDays": 4}
PutRetentionPolicy {"logGroupName": "app", "retentionInDays": 7}
DescribeLogGroups
DeleteRetentionPolicy {"logGroupName": "app"}
DeleteRetentionPolicy {"logGroupName": "nope"}
DescribeLogGroups
"#,
        r#"
PutRetentionPolicy -> ResourceNotFoundException: The specified log group does not exist.
CreateLogGroup -> ok {}
PutRetentionPolicy -> InvalidParameterException: 1 validation error detected: Value '4' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]
PutRetentionPolicy -> ok {}
DescribeLogGroups -> ok {"logGroups":[{"arn":"arn:aws:logs:ap-southeast-1:123456789012:log-group:app:*","creationTime":1735689600000,"deletionProtectionEnabled":false,"logGroupArn":"arn:aws:logs:ap-southeast-1:123456789012:log-group:app","logGroupClass":"STANDARD","logGroupName":"app","metricFilterCount":0,"retentionInDays":7,"storedBytes":0}]}
DeleteRetentionPolicy -> ok {}
DeleteRetentionPolicy -> ResourceNotFoundException: The specified log group does not exist.
DescribeLogGroups -> ok {"logGroups":[{"arn":"arn:aws:logs:ap-southeast-1:123456789012:log-group:app:*","creationTime":1735689600000,"deletionProtectionEnabled":false,"logGroupArn":"arn:aws:logs:ap-southeast-1:123456789012:log-group:app","logGroupClass":"STANDARD","logGroupName":"app","metricFilterCount":0,"storedBytes":0}]}
"#,
    );
}

#[test]
fn tags_of_a_log_group() {
    let arn = "arn:aws:logs:ap-southeast-1:123456789012:log-group:app";
    check(
        &format!(
            r#"
CreateLogGroup {{"logGroupName": "app", "tags": {{"team": "orders"}}}}
TagResource {{"resourceArn": "{arn}", "tags": {{"env": "dev", "team": "payments"}}}}
ListTagsForResource {{"resourceArn": "{arn}"}}
UntagResource {{"resourceArn": "{arn}", "tagKeys": ["team", "absent"]}}
ListTagsForResource {{"resourceArn": "{arn}"}}
ListTagsForResource {{"resourceArn": "{arn}:*"}}
TagResource {{"resourceArn": "{arn}", "tags": {{}}}}
TagResource {{"resourceArn": "arn:aws:logs:ap-southeast-1:123456789012:log-group:nope", "tags": {{"a": "b"}}}}
"#
        ),
        r#"
CreateLogGroup -> ok {}
TagResource -> ok {}
ListTagsForResource -> ok {"tags":{"env":"dev","team":"payments"}}
UntagResource -> ok {}
ListTagsForResource -> ok {"tags":{"env":"dev"}}
ListTagsForResource -> InvalidParameterException: 1 validation error detected: Value 'arn:aws:logs:ap-southeast-1:123456789012:log-group:app:*' at 'resourceArn' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=/:,.@-]*
TagResource -> ParamValidation: Parameter validation failed:
Invalid length for parameter tags, value: 0, valid min length: 1
TagResource -> ResourceNotFoundException: The specified log group does not exist.
"#,
    );
}

#[test]
fn log_streams_are_listed_by_name_or_by_last_event() {
    let mut world = World::default();
    let setup = format!(
        "CreateLogGroup {{\"logGroupName\": \"app\"}}\n{}\n{}\n{}\n{}\n{}",
        r#"CreateLogStream {"logGroupName": "app", "logStreamName": "b-stream"}"#,
        r#"CreateLogStream {"logGroupName": "app", "logStreamName": "a-stream"}"#,
        r#"CreateLogStream {"logGroupName": "app", "logStreamName": "c-stream"}"#,
        put("app", "b-stream", T0 - 1000, 10, &["first", "second"]),
        put("app", "a-stream", T0 - 500, 10, &["later"]),
    );
    run(&mut world, &setup);
    insta::assert_snapshot!(run(
        &mut world,
        r#"
CreateLogStream {"logGroupName": "app", "logStreamName": "a-stream"}
CreateLogStream {"logGroupName": "nope", "logStreamName": "a-stream"}
CreateLogStream {"logGroupName": "app", "logStreamName": "bad:name"}
DescribeLogStreams {"logGroupName": "app"}
DescribeLogStreams {"logGroupName": "app", "orderBy": "LastEventTime", "descending": true}
DescribeLogStreams {"logGroupName": "app", "logStreamNamePrefix": "a"}
DescribeLogStreams {"logGroupName": "app", "logStreamNamePrefix": "a", "orderBy": "LastEventTime"}
DescribeLogStreams {"logGroupName": "app", "orderBy": "Size"}
DescribeLogStreams {"logGroupIdentifier": "arn:aws:logs:ap-southeast-1:123456789012:log-group:app", "limit": 2}
DescribeLogStreams {"logGroupIdentifier": "app", "limit": 2, "nextToken": "Mg"}
DescribeLogStreams {"logGroupName": "app", "logGroupIdentifier": "app"}
DescribeLogStreams {}
DescribeLogStreams {"logGroupName": "nope"}
DeleteLogStream {"logGroupName": "app", "logStreamName": "c-stream"}
DeleteLogStream {"logGroupName": "app", "logStreamName": "c-stream"}
DescribeLogStreams {"logGroupName": "app", "descending": true}
"#
    ));
}

#[test]
fn put_log_events_judges_each_batch() {
    let group = r#"CreateLogGroup {"logGroupName": "app"}
CreateLogStream {"logGroupName": "app", "logStreamName": "s"}"#;
    let day = 86_400_000;
    insta::assert_snapshot!(run(
        &mut World::default(),
        &[
            group.to_string(),
            put("nope", "s", T0, 1, &["x"]),
            put("app", "nope", T0, 1, &["x"]),
            format!(
                r#"PutLogEvents {{"logGroupName": "app", "logStreamName": "s", "logEvents": [{{"timestamp": {}, "message": "b"}}, {{"timestamp": {}, "message": "a"}}]}}"#,
                T0,
                T0 - 1
            ),
            r#"PutLogEvents {"logGroupName": "app", "logStreamName": "s", "logEvents": []}"#.to_string(),
            format!(r#"PutLogEvents {{"logGroupName": "app", "logStreamName": "s", "logEvents": [{{"timestamp": {T0}, "message": ""}}]}}"#),
            r#"PutLogEvents {"logGroupName": "app", "logStreamName": "s", "logEvents": [{"timestamp": -1, "message": "x"}]}"#.to_string(),
            format!(r#"PutLogEvents {{"logGroupName": "app", "logStreamName": "s", "logEvents": [{{"timestamp": {T0}}}]}}"#),
            put("app", "s", T0 - day, day + 1, &["a day apart", "and a bit"]),
            put("app", "s", T0 - 15 * day, 14 * day, &["too old", "kept"]),
            put("app", "s", T0, 3 * 3_600_000, &["kept", "too new"]),
            put("app", "s", T0 - 15 * day, 13 * day, &["too old", "kept but for the span", "kept"]),
            format!(
                r#"PutLogEvents {{"logGroupName": "app", "logStreamName": "s", "sequenceToken": "whatever", "logEvents": [{{"timestamp": {T0}, "message": "the token is ignored"}}]}}"#
            ),
            format!(
                r#"PutLogEvents {{"logGroupName": "app", "logStreamName": "s", "entity": {{}}, "logEvents": [{{"timestamp": {T0}, "message": "x"}}]}}"#
            ),
            r#"PutRetentionPolicy {"logGroupName": "app", "retentionInDays": 1}"#.to_string(),
            put("app", "s", T0 - 2 * day, 2 * day - 60_000, &["past retention", "kept"]),
            r#"DescribeLogStreams {"logGroupName": "app"}"#.to_string(),
            r#"DescribeLogGroups"#.to_string(),
        ]
        .join("\n")
    ));
    let big = "x".repeat(600_000);
    check(
        &format!("{group}\n{}", put("app", "s", T0, 1, &[&big, &big])),
        r#"
CreateLogGroup -> ok {}
CreateLogStream -> ok {}
PutLogEvents -> InvalidParameterException: Upload too large: 1200052 bytes exceeds limit of 1048576
"#,
    );
}

#[test]
fn get_log_events_pages_forward_and_backward() {
    let mut world = World::default();
    let messages: Vec<String> = (1..=5).map(|i| format!("event {i}")).collect();
    let messages: Vec<&str> = messages.iter().map(String::as_str).collect();
    run(
        &mut world,
        &format!(
            "CreateLogGroup {{\"logGroupName\": \"app\"}}\nCreateLogStream {{\"logGroupName\": \"app\", \"logStreamName\": \"s\"}}\n{}",
            put("app", "s", T0 - 5000, 1000, &messages)
        ),
    );
    let get = |world: &mut World, request: Value| -> (Vec<String>, String, String) {
        let mut request = request;
        request["logGroupName"] = "app".into();
        request["logStreamName"] = "s".into();
        let answer = world.call("logs", "GetLogEvents", &request).unwrap();
        let events =
            answer["events"].as_array().unwrap().iter().map(|e| e["message"].as_str().unwrap().to_string()).collect();
        (
            events,
            answer["nextForwardToken"].as_str().unwrap().into(),
            answer["nextBackwardToken"].as_str().unwrap().into(),
        )
    };
    // Without a token, the newest events come first... in time order, as AWS returns them.
    let (events, forward, backward) = get(&mut world, serde_json::json!({"limit": 2}));
    assert_eq!(events, ["event 4", "event 5"]);
    assert!(forward.starts_with("f/") && forward.ends_with("/s") && forward.len() == 60, "{forward}");
    assert!(backward.starts_with("b/") && backward < forward.replace("f/", "b/"), "{backward}");
    let (events, _, backward) = get(&mut world, serde_json::json!({"limit": 2, "nextToken": backward}));
    assert_eq!(events, ["event 2", "event 3"]);
    let (events, _, backward) = get(&mut world, serde_json::json!({"limit": 2, "nextToken": backward}));
    assert_eq!(events, ["event 1"]);
    // At the start of the stream the backward token comes back unchanged.
    let (events, _, again) = get(&mut world, serde_json::json!({"limit": 2, "nextToken": backward}));
    assert!(events.is_empty());
    assert_eq!(again, backward);
    // From the head, forward, to the end, where the forward token comes back unchanged.
    let (events, forward, _) = get(&mut world, serde_json::json!({"limit": 3, "startFromHead": true}));
    assert_eq!(events, ["event 1", "event 2", "event 3"]);
    let (events, forward, _) = get(&mut world, serde_json::json!({"limit": 3, "nextToken": forward}));
    assert_eq!(events, ["event 4", "event 5"]);
    let (events, again, _) = get(&mut world, serde_json::json!({"nextToken": forward}));
    assert!(events.is_empty());
    assert_eq!(again, forward);
    // Events written later are found with the same forward token.
    run(&mut world, &put("app", "s", T0, 1, &["event 6"]));
    let (events, _, _) = get(&mut world, serde_json::json!({"nextToken": forward}));
    assert_eq!(events, ["event 6"]);
    // startTime is inclusive, endTime exclusive.
    let (events, _, _) =
        get(&mut world, serde_json::json!({"startTime": T0 - 4000, "endTime": T0 - 2000, "startFromHead": true}));
    assert_eq!(events, ["event 2", "event 3"]);
    check(
        r#"
CreateLogGroup {"logGroupName": "app"}
GetLogEvents {"logGroupName": "app", "logStreamName": "s"}
CreateLogStream {"logGroupName": "app", "logStreamName": "s"}
GetLogEvents {"logGroupName": "app", "logStreamName": "s"}
GetLogEvents {"logGroupName": "app", "logStreamName": "s", "nextToken": "f/1/s"}
GetLogEvents {"logGroupName": "app", "logStreamName": "s", "limit": 10001}
GetLogEvents {"logGroupName": "nope", "logStreamName": "s"}
GetLogEvents {"logGroupIdentifier": "arn:aws:logs:ap-southeast-1:123456789012:log-group:app", "logStreamName": "s", "startFromHead": true}
GetLogEvents {"logGroupIdentifier": "arn:aws:logs:ap-southeast-1:123456789012:log-group:app:*", "logStreamName": "s"}
"#,
        r#"
CreateLogGroup -> ok {}
GetLogEvents -> ResourceNotFoundException: The specified log stream does not exist.
CreateLogStream -> ok {}
GetLogEvents -> ok {"events":[],"nextBackwardToken":"b/00000000000000000000000000000000000000000000000000000000/s","nextForwardToken":"f/00000000000000000000000000000000000000000000000000000000/s"}
GetLogEvents -> InvalidParameterException: The specified nextToken is invalid.
GetLogEvents -> InvalidParameterException: 1 validation error detected: Value '10001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 10000
GetLogEvents -> ResourceNotFoundException: The specified log group does not exist.
GetLogEvents -> ok {"events":[],"nextBackwardToken":"b/00000000000000000000000000000000000000000000000000000000/s","nextForwardToken":"f/00000000000000000000000000000000000000000000000000000000/s"}
GetLogEvents -> InvalidParameterException: 1 validation error detected: Value 'arn:aws:logs:ap-southeast-1:123456789012:log-group:app:*' at 'logGroupIdentifier' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w#+=/:,.@-]*
"#,
    );
}

#[test]
fn filter_log_events_searches_a_group() {
    let mut world = World::default();
    run(
        &mut world,
        &[
            r#"CreateLogGroup {"logGroupName": "app"}"#.to_string(),
            r#"CreateLogStream {"logGroupName": "app", "logStreamName": "web-1"}"#.to_string(),
            r#"CreateLogStream {"logGroupName": "app", "logStreamName": "web-2"}"#.to_string(),
            r#"CreateLogStream {"logGroupName": "app", "logStreamName": "worker"}"#.to_string(),
            put(
                "app",
                "web-1",
                T0 - 10_000,
                2000,
                &["[ERROR] 500 GET /orders", "[INFO] 200 GET /health", "[WARN] slow"],
            ),
            put("app", "web-2", T0 - 9_000, 2000, &["[INFO] 200 GET /orders", "[ERROR] 404 GET /nope"]),
            put(
                "app",
                "worker",
                T0 - 8_000,
                2000,
                &[r#"{"level": "error", "latency": 1200, "order": {"id": 7}}"#, r#"{"level": "info", "latency": 80}"#],
            ),
        ]
        .join("\n"),
    );
    let filter = |world: &mut World, request: &str| -> String {
        let mut request: Value = serde_json::from_str(request).unwrap();
        request["logGroupName"] = "app".into();
        match world.call("logs", "FilterLogEvents", &request) {
            Ok(answer) => {
                let events: Vec<String> = answer["events"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|e| format!("{}: {}", e["logStreamName"].as_str().unwrap(), e["message"].as_str().unwrap()))
                    .collect();
                let more =
                    answer.get("nextToken").map_or(String::new(), |t| format!(" (nextToken {})", t.as_str().unwrap()));
                format!("{}{more}", events.join(" | "))
            }
            Err(e) => format!("{}: {}", e.code, e.message),
        }
    };
    let mut got = String::new();
    for request in [
        r#"{}"#,
        r#"{"filterPattern": "ERROR"}"#,
        r#"{"filterPattern": "?ERROR ?WARN"}"#,
        r#"{"filterPattern": "GET -health"}"#,
        r#"{"filterPattern": "\"GET /orders\""}"#,
        r#"{"filterPattern": "{ $.latency > 1000 }"}"#,
        r#"{"filterPattern": "{ $.level = \"info\" || $.order.id = 7 }"}"#,
        r#"{"filterPattern": "[level, status = 4*, ...]"}"#,
        r#"{"filterPattern": "[level, status >= 200 && status < 300, method, path]"}"#,
        r#"{"logStreamNames": ["web-2", "absent"]}"#,
        r#"{"logStreamNamePrefix": "web"}"#,
        r#"{"logStreamNames": ["web-1"], "logStreamNamePrefix": "web"}"#,
        r#"{"startTime": 1735689592000, "endTime": 1735689594000}"#,
        r#"{"startFromHead": false, "limit": 2}"#,
        r#"{"limit": 2}"#,
        r#"{"filterPattern": "user@example.com"}"#,
        r#"{"filterPattern": "{ $.latency > }"}"#,
        r#"{"filterPattern": "%ERROR%"}"#,
        r#"{"nextToken": "bad"}"#,
    ] {
        got.push_str(&format!("{request}\n  -> {}\n", filter(&mut world, request)));
    }
    insta::assert_snapshot!(got);
    // Paging with nextToken walks the matches in order, in either direction.
    for (first, expect) in [
        (r#"{"limit": 2}"#, vec!["web-1", "web-2", "web-1", "worker", "web-2", "web-1", "worker"]),
        (
            r#"{"limit": 3, "startFromHead": false}"#,
            vec!["worker", "web-1", "web-2", "worker", "web-1", "web-2", "web-1"],
        ),
    ] {
        let mut request: Value = serde_json::from_str(first).unwrap();
        request["logGroupName"] = "app".into();
        let mut streams = Vec::new();
        loop {
            let answer = world.call("logs", "FilterLogEvents", &request).unwrap();
            streams.extend(
                answer["events"].as_array().unwrap().iter().map(|e| e["logStreamName"].as_str().unwrap().to_string()),
            );
            let Some(token) = answer.get("nextToken") else { break };
            request["nextToken"] = token.clone();
        }
        assert_eq!(streams, expect, "{first}");
    }
    let one = world.call("logs", "FilterLogEvents", &serde_json::json!({"logGroupName": "app", "limit": 1})).unwrap();
    let event = &one["events"][0];
    assert_eq!(event["timestamp"], T0 - 10_000);
    assert_eq!(event["ingestionTime"], T0);
    assert!(event["eventId"].as_str().is_some_and(|id| id.len() == 56 && id.bytes().all(|b| b.is_ascii_digit())));
    assert_eq!(one["searchedLogStreams"], serde_json::json!([]));
}

#[test]
fn events_past_retention_are_not_returned() {
    let mut world = World::default();
    let day = 86_400;
    run(
        &mut world,
        &format!(
            "CreateLogGroup {{\"logGroupName\": \"app\"}}\nCreateLogStream {{\"logGroupName\": \"app\", \"logStreamName\": \"s\"}}\n{}\nPutRetentionPolicy {{\"logGroupName\": \"app\", \"retentionInDays\": 3}}",
            put("app", "s", T0 - 1000, 1000, &["old", "new"])
        ),
    );
    let visible = |world: &World| -> (usize, Value) {
        let events = world.read("logs", "FilterLogEvents", &serde_json::json!({"logGroupName": "app"})).unwrap();
        let groups = world.read("logs", "DescribeLogGroups", &serde_json::json!({})).unwrap();
        (events["events"].as_array().unwrap().len(), groups["logGroups"][0]["storedBytes"].clone())
    };
    assert_eq!(visible(&world), (2, 6.into()));
    // Three days after the newer event, the older one (a second before it) is past retention.
    world.advance(3 * day).unwrap();
    assert_eq!(visible(&world), (1, 3.into()));
    world.advance(1).unwrap();
    assert_eq!(visible(&world), (0, 0.into()));
    let get =
        world.read("logs", "GetLogEvents", &serde_json::json!({"logGroupName": "app", "logStreamName": "s"})).unwrap();
    assert_eq!(get["events"], serde_json::json!([]));
    // A longer retention shows them again until the stream is next written to, as AWS keeps
    // expired events for a while (up to 72 hours) before it deletes them.
    run(&mut world, r#"PutRetentionPolicy {"logGroupName": "app", "retentionInDays": 5}"#);
    assert_eq!(visible(&world).0, 2);
    run(&mut world, r#"PutRetentionPolicy {"logGroupName": "app", "retentionInDays": 1}"#);
    let now = T0 + 3 * day * 1000;
    run(&mut world, &put("app", "s", now, 1, &["fresh"]));
    run(&mut world, r#"DeleteRetentionPolicy {"logGroupName": "app"}"#);
    assert_eq!(visible(&world), (1, 5.into()));
}

/// How a Lambda function will write its logs, as its execution role: the group and the stream
/// are created on the first invocation of an execution environment (the group only once), then
/// each invocation puts its lines.
#[test]
fn a_lambda_function_writes_its_logs_like_this() {
    let stream = "2025/01/01/[$LATEST]0f1e2d3c4b5a69788796a5b4c3d2e1f0";
    let request_id = "8f1c2c3d-1111-4222-8333-444455556666";
    let lines = [
        "INIT_START Runtime Version: nodejs:20.v20\tRuntime Version ARN: arn:aws:lambda:ap-southeast-1::runtime:abc".to_string(),
        format!("START RequestId: {request_id} Version: $LATEST"),
        format!("2025-01-01T00:00:00.120Z\t{request_id}\tINFO\tTable: Orders"),
        format!("END RequestId: {request_id}"),
        format!("REPORT RequestId: {request_id}\tDuration: 21.37 ms\tBilled Duration: 22 ms\tMemory Size: 128 MB\tMax Memory Used: 67 MB\tInit Duration: 180.02 ms\t"),
    ];
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    insta::assert_snapshot!(run(
        &mut World::default(),
        &[
            r#"CreateLogGroup {"logGroupName": "/aws/lambda/processOrder"}"#.to_string(),
            format!(r#"CreateLogStream {{"logGroupName": "/aws/lambda/processOrder", "logStreamName": "{stream}"}}"#),
            put("/aws/lambda/processOrder", stream, T0, 30, &lines),
            "advance 5".to_string(),
            // The second invocation in the same environment: the group exists, which Lambda ignores.
            r#"CreateLogGroup {"logGroupName": "/aws/lambda/processOrder"}"#.to_string(),
            put(
                "/aws/lambda/processOrder",
                stream,
                T0 + 5000,
                10,
                &[
                    "START RequestId: 9a2b3c4d-5555-4666-8777-888899990000 Version: $LATEST",
                    "2025-01-01T00:00:05.004Z\t9a2b3c4d-5555-4666-8777-888899990000\tERROR\tInvoke Error \t{\"errorType\":\"OrderValidationError\",\"errorMessage\":\"quantity must be positive\"}",
                    "END RequestId: 9a2b3c4d-5555-4666-8777-888899990000",
                    "REPORT RequestId: 9a2b3c4d-5555-4666-8777-888899990000\tDuration: 3.10 ms\tBilled Duration: 4 ms\tMemory Size: 128 MB\tMax Memory Used: 67 MB\t",
                ],
            ),
            r#"DescribeLogStreams {"logGroupName": "/aws/lambda/processOrder", "orderBy": "LastEventTime", "descending": true, "limit": 1}"#.to_string(),
            r#"FilterLogEvents {"logGroupName": "/aws/lambda/processOrder", "filterPattern": "REPORT"}"#.to_string(),
            r#"FilterLogEvents {"logGroupName": "/aws/lambda/processOrder", "filterPattern": "OrderValidationError"}"#.to_string(),
            // Curriculum B3: the secret's value must not be in the logs.
            r#"FilterLogEvents {"logGroupName": "/aws/lambda/processOrder", "filterPattern": "\"sk-live-123\""}"#.to_string(),
            format!(r#"GetLogEvents {{"logGroupName": "/aws/lambda/processOrder", "logStreamName": "{stream}", "startFromHead": true, "limit": 2}}"#),
        ]
        .join("\n")
    ));
}
