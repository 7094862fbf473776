//! Saved worlds keep loading: storing items encoded and keeping the call log as JSON text changed
//! only the in-memory form, so a save written before those changes reads back, answers as it did,
//! and is written again byte for byte.

use lab_core::lab::progress::{read_world, write_world};
use lab_core::observed::Event;
use serde_json::json;

/// A world with a table, an item (a number, a map, a set) and three calls, in the save format of
/// commit 58b8ec2 (from before the compact forms): this test pins that format.
const SAVED: &str = r#"{"version":1,"world":{"account":{"id":"123456789012","region":"ap-southeast-1","user_name":"student","user_id":"AIDAXCEAOVBDZCUPUDBXW"},"clock":{"started_ms":1735689600000,"now_ms":1735689605000},"scheduler":{"next_seq":1,"jobs":[]},"ids":{"state":8316709377436689910},"observed":{"events":[{"seq":0,"at_ms":1735689600000,"event":{"type":"call","service":"dynamodb","action":"CreateTable","request_id":"3a020ff7-2243-4743-91c9-86cd2f6228b8","request":{"AttributeDefinitions":[{"AttributeName":"Artist","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST","KeySchema":[{"AttributeName":"Artist","KeyType":"HASH"}],"TableName":"Music"},"error":null,"response":{"TableDescription":{"AttributeDefinitions":[{"AttributeName":"Artist","AttributeType":"S"}],"BillingModeSummary":{"BillingMode":"PAY_PER_REQUEST"},"CreationDateTime":1735689600.0,"DeletionProtectionEnabled":false,"ItemCount":0,"KeySchema":[{"AttributeName":"Artist","KeyType":"HASH"}],"ProvisionedThroughput":{"NumberOfDecreasesToday":0,"ReadCapacityUnits":0,"WriteCapacityUnits":0},"TableArn":"arn:aws:dynamodb:ap-southeast-1:123456789012:table/Music","TableId":"1afe58bc-8c12-42df-98fb-60044a31288e","TableName":"Music","TableSizeBytes":0,"TableStatus":"CREATING"}}}},{"seq":1,"at_ms":1735689605000,"event":{"type":"advance","from_ms":1735689600000,"to_ms":1735689605000}},{"seq":2,"at_ms":1735689605000,"event":{"type":"call","service":"dynamodb","action":"PutItem","request_id":"be520dba-2990-41e9-bb3b-ce05d3bf93ec","request":{"Item":{"Artist":{"S":"Acme Band"},"Tags":{"M":{"genre":{"SS":["rock"]}}},"Year":{"N":"2020"}},"TableName":"Music"},"error":null,"response":{}}},{"seq":3,"at_ms":1735689605000,"event":{"type":"call","service":"dynamodb","action":"GetItem","request_id":"a6c9d4fb-c95c-4d9f-97d2-283a249929d5","request":{"Key":{"Artist":{"S":"Acme Band"}},"TableName":"Music"},"error":null,"response":{"Item":{"Artist":{"S":"Acme Band"},"Tags":{"M":{"genre":{"SS":["rock"]}}},"Year":{"N":"2020"}}}}}],"next_seq":4},"dynamodb":{"tables":{"Music":{"name":"Music","arn":"arn:aws:dynamodb:ap-southeast-1:123456789012:table/Music","id":"1afe58bc-8c12-42df-98fb-60044a31288e","created_ms":1735689600000,"status":"Active","key":{"hash":{"name":"Artist","kind":"S"},"range":null},"attribute_definitions":[{"name":"Artist","kind":"S"}],"billing":"PayPerRequest","stream":null,"latest_stream":null,"on_demand_switches":[],"ttl":null,"ttl_changed_ms":null,"tags":{},"kinesis":[],"capacity":{"read":0.0,"write":0.0,"at_ms":1735689605000},"indexes":[],"metrics":{"minutes":{"1735689600000":{"read":0.5,"write":1.0,"provisioned":null}}},"items":[{"Artist":{"S":"Acme Band"},"Tags":{"M":{"genre":{"Ss":["rock"]}}},"Year":{"N":"2020"}}]}},"streams":{},"next_sequence":0,"transaction_tokens":{}}}}"#;

#[test]
fn a_world_saved_before_the_compact_forms_loads_and_saves_the_same() {
    let mut world = read_world(SAVED).unwrap();
    // The save predates the registry's `sts`, `iam`, `lambda`, `secretsmanager`, `logs`, `sqs` and `kinesis` members
    // (STS keeps no state: `null`; the others are empty); it is written back with them, and
    // otherwise byte for byte.
    let resaved = SAVED.replacen(
        r#""transaction_tokens":{}}}}"#,
        r#""transaction_tokens":{}},"sts":null,"iam":{"roles":{},"policies":{}},"lambda":{"functions":{}},"secretsmanager":{"secrets":{}},"logs":{"groups":{},"last_event":0},"sqs":{"queues":{},"deleted":{},"made":0},"kinesis":{"streams":{}}}}"#,
        1,
    );
    assert_ne!(resaved, SAVED);
    assert_eq!(write_world(&world), resaved);
    let Some(Event::Call { request, response: Some(response), .. }) =
        world.observed().events().last().map(|e| &e.event)
    else {
        panic!("the last event is the GetItem call")
    };
    assert_eq!(request.value(), json!({"TableName": "Music", "Key": {"Artist": {"S": "Acme Band"}}}));
    let logged = response.value();
    assert_eq!(logged["Item"]["Tags"], json!({"M": {"genre": {"SS": ["rock"]}}}));
    let got = world.call("dynamodb", "GetItem", &json!({"TableName": "Music", "Key": {"Artist": {"S": "Acme Band"}}}));
    assert_eq!(got.unwrap(), logged);
}
