//! DynamoDB Streams through the wire entry point: records per change, view types, retention,
//! disabling and re-enabling, and the law that replaying a NEW_AND_OLD_IMAGES stream rebuilds
//! the table.

use lab_core::World;
use proptest::prelude::*;
use serde_json::{json, Value};
use std::collections::BTreeMap;

fn call(world: &mut World, service: &str, action: &str, request: Value) -> Value {
    world.call(service, action, &request).unwrap_or_else(|e| panic!("{action}: {e}"))
}

fn orders(world: &mut World, view: &str) -> String {
    call(
        world,
        "dynamodb",
        "CreateTable",
        json!({
            "TableName": "Orders",
            "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
            "BillingMode": "PAY_PER_REQUEST",
        }),
    );
    world.advance(5).unwrap();
    let t = call(
        world,
        "dynamodb",
        "UpdateTable",
        json!({"TableName": "Orders", "StreamSpecification": {"StreamEnabled": true, "StreamViewType": view}}),
    );
    t["TableDescription"]["LatestStreamArn"].as_str().unwrap().to_string()
}

fn put(world: &mut World, id: &str, status: &str) {
    call(
        world,
        "dynamodb",
        "PutItem",
        json!({"TableName": "Orders", "Item": {"id": {"S": id}, "status": {"S": status}}}),
    );
}

/// Every record of the stream's shard from TRIM_HORIZON.
fn records(world: &mut World, arn: &str) -> Vec<Value> {
    let d = call(world, "dynamodbstreams", "DescribeStream", json!({"StreamArn": arn}));
    let shard = d["StreamDescription"]["Shards"][0]["ShardId"].as_str().unwrap().to_string();
    let mut iterator = call(
        world,
        "dynamodbstreams",
        "GetShardIterator",
        json!({"StreamArn": arn, "ShardId": shard, "ShardIteratorType": "TRIM_HORIZON"}),
    )["ShardIterator"]
        .clone();
    let mut out = Vec::new();
    for _ in 0..100 {
        let page = call(world, "dynamodbstreams", "GetRecords", json!({"ShardIterator": iterator, "Limit": 2}));
        let got = page["Records"].as_array().unwrap().clone();
        let done = got.is_empty();
        out.extend(got);
        match page.get("NextShardIterator") {
            Some(next) if !done => iterator = next.clone(),
            _ => break,
        }
    }
    out
}

/// A record as one readable line.
fn line(r: &Value) -> String {
    let d = &r["dynamodb"];
    let image =
        |k: &str| d.get(k).map(|i| format!(" {k}={}", i["status"]["S"].as_str().unwrap_or("-"))).unwrap_or_default();
    format!(
        "{} {}{}{}",
        r["eventName"].as_str().unwrap(),
        d["Keys"]["id"]["S"].as_str().unwrap(),
        image("OldImage"),
        image("NewImage")
    )
}

#[test]
fn records_follow_changes_in_order() {
    let mut world = World::default();
    let arn = orders(&mut world, "NEW_AND_OLD_IMAGES");
    put(&mut world, "6421680", "PLACED");
    put(&mut world, "6421680", "PLACED"); // no change, no record
    call(
        &mut world,
        "dynamodb",
        "UpdateItem",
        json!({"TableName": "Orders", "Key": {"id": {"S": "6421680"}}, "UpdateExpression": "SET #s = :s", "ExpressionAttributeNames": {"#s": "status"}, "ExpressionAttributeValues": {":s": {"S": "COMPLETE"}}}),
    );
    call(&mut world, "dynamodb", "DeleteItem", json!({"TableName": "Orders", "Key": {"id": {"S": "6421680"}}}));
    let got: Vec<String> = records(&mut world, &arn).iter().map(line).collect();
    assert_eq!(
        got,
        [
            "INSERT 6421680 NewImage=PLACED",
            "MODIFY 6421680 OldImage=PLACED NewImage=COMPLETE",
            "REMOVE 6421680 OldImage=COMPLETE"
        ]
    );
    let first = &records(&mut world, &arn)[0];
    assert_eq!(first["eventSource"], "aws:dynamodb");
    assert_eq!(first["awsRegion"], "ap-southeast-1");
    assert_eq!(first["dynamodb"]["StreamViewType"], "NEW_AND_OLD_IMAGES");
    assert_eq!(first["dynamodb"]["SequenceNumber"].as_str().unwrap().len(), 21);
}

#[test]
fn view_types_choose_the_images() {
    for (view, expect) in [
        ("KEYS_ONLY", "MODIFY 1"),
        ("NEW_IMAGE", "MODIFY 1 NewImage=B"),
        ("OLD_IMAGE", "MODIFY 1 OldImage=A"),
        ("NEW_AND_OLD_IMAGES", "MODIFY 1 OldImage=A NewImage=B"),
    ] {
        let mut world = World::default();
        let arn = orders(&mut world, view);
        put(&mut world, "1", "A");
        put(&mut world, "1", "B");
        assert_eq!(line(&records(&mut world, &arn)[1]), expect, "{view}");
    }
}

#[test]
fn disabling_and_reenabling_gives_a_new_stream() {
    let mut world = World::default();
    let first = orders(&mut world, "OLD_IMAGE");
    put(&mut world, "1", "A");
    let t = call(
        &mut world,
        "dynamodb",
        "UpdateTable",
        json!({"TableName": "Orders", "StreamSpecification": {"StreamEnabled": false}}),
    );
    assert!(t["TableDescription"].get("StreamSpecification").is_none(), "{t}");
    put(&mut world, "2", "A"); // not recorded: the stream is disabled
    assert_eq!(records(&mut world, &first).len(), 1);
    let err = world
        .call(
            "dynamodb",
            "UpdateTable",
            &json!({"TableName": "Orders", "StreamSpecification": {"StreamEnabled": false}}),
        )
        .unwrap_err();
    assert_eq!(err.code, "ValidationException");
    world.advance(1).unwrap();
    let t = call(
        &mut world,
        "dynamodb",
        "UpdateTable",
        json!({"TableName": "Orders", "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_IMAGE"}}),
    );
    let second = t["TableDescription"]["LatestStreamArn"].as_str().unwrap().to_string();
    assert_ne!(first, second);
    let listed = call(&mut world, "dynamodbstreams", "ListStreams", json!({"TableName": "Orders"}));
    assert_eq!(listed["Streams"].as_array().unwrap().len(), 2);
    let d = call(&mut world, "dynamodbstreams", "DescribeStream", json!({"StreamArn": first}));
    assert_eq!(d["StreamDescription"]["StreamStatus"], "DISABLED");
    assert!(d["StreamDescription"]["Shards"][0]["SequenceNumberRange"].get("EndingSequenceNumber").is_some());
    // Records and disabled streams are kept 24 hours.
    world.advance(24 * 3600 + 1).unwrap();
    let listed = call(&mut world, "dynamodbstreams", "ListStreams", json!({}));
    assert_eq!(listed["Streams"].as_array().unwrap().len(), 1);
    assert!(records(&mut world, &second).is_empty());
}

#[test]
fn iterators_expire_and_errors_are_dynamodbs() {
    let mut world = World::default();
    let arn = orders(&mut world, "KEYS_ONLY");
    let d = call(&mut world, "dynamodbstreams", "DescribeStream", json!({"StreamArn": arn}));
    let shard = d["StreamDescription"]["Shards"][0]["ShardId"].clone();
    let it = call(
        &mut world,
        "dynamodbstreams",
        "GetShardIterator",
        json!({"StreamArn": arn, "ShardId": shard, "ShardIteratorType": "LATEST"}),
    )["ShardIterator"]
        .clone();
    world.advance(16 * 60).unwrap();
    let err = world.call("dynamodbstreams", "GetRecords", &json!({"ShardIterator": it})).unwrap_err();
    assert_eq!(err.code, "ExpiredIteratorException");
    let err = world
        .call(
            "dynamodbstreams",
            "GetShardIterator",
            &json!({"StreamArn": arn, "ShardId": shard, "ShardIteratorType": "AT_SEQUENCE_NUMBER"}),
        )
        .unwrap_err();
    assert_eq!(err.code, "ValidationException");
    let err = world.call("dynamodbstreams", "DescribeStream", &json!({"StreamArn": "arn:nope"})).unwrap_err();
    assert_eq!(err.code, "ResourceNotFoundException");
}

#[derive(Clone, Debug)]
enum Op {
    Put(u8, u8),
    Update(u8, u8),
    Delete(u8),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0u8..4, 0u8..3).prop_map(|(k, v)| Op::Put(k, v)),
        (0u8..4, 0u8..3).prop_map(|(k, v)| Op::Update(k, v)),
        (0u8..4).prop_map(Op::Delete),
    ]
}

proptest! {
    /// Applying a NEW_AND_OLD_IMAGES stream's records in order to an empty table gives the table.
    #[test]
    fn replaying_the_stream_rebuilds_the_table(ops in prop::collection::vec(op(), 0..30)) {
        let mut world = World::default();
        let arn = orders(&mut world, "NEW_AND_OLD_IMAGES");
        for op in &ops {
            match op {
                Op::Put(k, v) => put(&mut world, &k.to_string(), &v.to_string()),
                Op::Update(k, v) => {
                    call(&mut world, "dynamodb", "UpdateItem", json!({"TableName": "Orders", "Key": {"id": {"S": k.to_string()}}, "UpdateExpression": "SET n = :v", "ExpressionAttributeValues": {":v": {"N": v.to_string()}}}));
                }
                Op::Delete(k) => {
                    call(&mut world, "dynamodb", "DeleteItem", json!({"TableName": "Orders", "Key": {"id": {"S": k.to_string()}}}));
                }
            }
        }
        let mut rebuilt: BTreeMap<String, Value> = BTreeMap::new();
        for r in records(&mut world, &arn) {
            let id = r["dynamodb"]["Keys"]["id"]["S"].as_str().unwrap().to_string();
            match r["eventName"].as_str().unwrap() {
                "REMOVE" => { rebuilt.remove(&id); }
                _ => { rebuilt.insert(id, r["dynamodb"]["NewImage"].clone()); }
            }
        }
        let scan = call(&mut world, "dynamodb", "Scan", json!({"TableName": "Orders"}));
        let table: BTreeMap<String, Value> = scan["Items"].as_array().unwrap().iter()
            .map(|i| (i["id"]["S"].as_str().unwrap().to_string(), i.clone())).collect();
        prop_assert_eq!(rebuilt, table);
    }
}

#[test]
fn ttl_deletes_expired_items_and_says_so_in_the_stream() {
    let mut world = World::default();
    let arn = orders(&mut world, "OLD_IMAGE");
    let now = world.clock().now_ms() / 1000;
    let t = call(
        &mut world,
        "dynamodb",
        "UpdateTimeToLive",
        json!({"TableName": "Orders", "TimeToLiveSpecification": {"Enabled": true, "AttributeName": "expiresAt"}}),
    );
    assert_eq!(t["TimeToLiveSpecification"]["Enabled"], true);
    let d = call(&mut world, "dynamodb", "DescribeTimeToLive", json!({"TableName": "Orders"}));
    assert_eq!(d["TimeToLiveDescription"], json!({"TimeToLiveStatus": "ENABLED", "AttributeName": "expiresAt"}));
    for (id, expires) in [
        ("soon", json!({"N": (now + 60).to_string()})),
        ("later", json!({"N": (now + 86_400 * 3).to_string()})),
        ("text", json!({"S": "0"})),
    ] {
        call(
            &mut world,
            "dynamodb",
            "PutItem",
            json!({"TableName": "Orders", "Item": {"id": {"S": id}, "expiresAt": expires}}),
        );
    }
    world.advance(2 * 3600).unwrap();
    let scan = call(&mut world, "dynamodb", "Scan", json!({"TableName": "Orders", "Select": "COUNT"}));
    assert_eq!(scan["Count"], 2, "only the expired number was deleted");
    let records = records(&mut world, &arn);
    let removal = records.iter().find(|r| r["eventName"] == "REMOVE").unwrap();
    assert_eq!(removal["userIdentity"], json!({"type": "Service", "principalId": "dynamodb.amazonaws.com"}));
    assert!(records.iter().filter(|r| r["eventName"] == "INSERT").all(|r| r.get("userIdentity").is_none()));
    let err = world
        .call(
            "dynamodb",
            "UpdateTimeToLive",
            &json!({"TableName": "Orders", "TimeToLiveSpecification": {"Enabled": true, "AttributeName": "expiresAt"}}),
        )
        .unwrap_err();
    assert_eq!(err.message, "TimeToLive is already enabled");
}

#[test]
fn tags_and_limits() {
    let mut world = World::default();
    orders(&mut world, "KEYS_ONLY");
    let arn =
        call(&mut world, "dynamodb", "DescribeTable", json!({"TableName": "Orders"}))["Table"]["TableArn"].clone();
    call(
        &mut world,
        "dynamodb",
        "TagResource",
        json!({"ResourceArn": arn, "Tags": [{"Key": "course", "Value": "fcj"}, {"Key": "week", "Value": "7"}]}),
    );
    call(&mut world, "dynamodb", "UntagResource", json!({"ResourceArn": arn, "TagKeys": ["week"]}));
    let tags = call(&mut world, "dynamodb", "ListTagsOfResource", json!({"ResourceArn": arn}));
    assert_eq!(tags, json!({"Tags": [{"Key": "course", "Value": "fcj"}]}));
    let limits = call(&mut world, "dynamodb", "DescribeLimits", json!({}));
    assert_eq!(limits["TableMaxReadCapacityUnits"], 40000);
    let err = world
        .call(
            "dynamodb",
            "ListTagsOfResource",
            &json!({"ResourceArn": "arn:aws:dynamodb:ap-southeast-1:123456789012:table/Nope"}),
        )
        .unwrap_err();
    assert_eq!(err.code, "ResourceNotFoundException");
}

#[test]
fn kinesis_streaming_destination_puts_changes_on_the_stream_as_dynamodb() {
    use lab_core::effect::Principal;
    use lab_core::observed::Event;
    let mut world = World::default();
    orders(&mut world, "KEYS_ONLY");
    let arn = "arn:aws:kinesis:ap-southeast-1:123456789012:stream/Orders";
    call(&mut world, "kinesis", "CreateStream", json!({"StreamName": "Orders", "ShardCount": 1}));
    let r = call(
        &mut world,
        "dynamodb",
        "EnableKinesisStreamingDestination",
        json!({"TableName": "Orders", "StreamArn": arn}),
    );
    assert_eq!(r["DestinationStatus"], "ENABLING");
    put(&mut world, "1", "PLACED"); // not sent: the destination is still ENABLING
    world.advance(5).unwrap();
    let d = call(&mut world, "dynamodb", "DescribeKinesisStreamingDestination", json!({"TableName": "Orders"}));
    assert_eq!(d["KinesisDataStreamDestinations"][0]["DestinationStatus"], "ACTIVE");
    put(&mut world, "1", "COMPLETE");
    // The change is a call DynamoDB makes as its service principal, caused by the write, right
    // after it, and it lands on the stream.
    let calls: Vec<_> = world
        .observed()
        .events()
        .filter_map(|e| match &e.event {
            Event::Call { service, action, request_id, request, error, caller, cause, .. } => Some((
                service.clone(),
                action.clone(),
                request_id.clone(),
                request.value(),
                error.clone(),
                caller.clone(),
                cause.clone(),
            )),
            _ => None,
        })
        .collect();
    let hops: Vec<_> = calls.iter().enumerate().filter(|(_, c)| c.5 != Principal::Learner).collect();
    let first = call(
        &mut world,
        "kinesis",
        "GetShardIterator",
        json!({"StreamName": "Orders", "ShardId": "shardId-000000000000", "ShardIteratorType": "TRIM_HORIZON"}),
    );
    let records = call(&mut world, "kinesis", "GetRecords", json!({"ShardIterator": first["ShardIterator"]}));
    assert_eq!(records["Records"].as_array().unwrap().len(), 1, "{records}");
    assert_eq!(hops.len(), 1);
    let (at, (service, action, _, request, error, caller, cause)) = hops[0];
    assert_eq!((service.as_str(), action.as_str()), ("kinesis", "PutRecord"));
    assert_eq!(*caller, Principal::service("dynamodb.amazonaws.com"));
    let write = &calls[at - 1];
    assert_eq!((write.0.as_str(), write.1.as_str()), ("dynamodb", "PutItem"));
    assert_eq!(cause.as_deref(), Some(write.2.as_str()));
    assert!(error.is_none(), "{error:?}");
    assert_eq!(request["StreamARN"], arn);
    assert_eq!(request["PartitionKey"], json!({"id": {"S": "1"}}).to_string());
    let data = lab_core::dynamodb::model::decode_base64(request["Data"].as_str().unwrap()).unwrap();
    let data: serde_json::Value = serde_json::from_slice(&data).unwrap();
    assert_eq!(data["eventName"], "MODIFY");
    assert_eq!(data["tableName"], "Orders");
    assert_eq!(data["eventSource"], "aws:dynamodb");
    assert_eq!(data["dynamodb"]["Keys"], json!({"id": {"S": "1"}}));
    assert_eq!(data["dynamodb"]["OldImage"]["status"], json!({"S": "PLACED"}));
    // The learner's own latest error is not DynamoDB's failed hop.
    assert_eq!(lab_core::lab::check::last_error_code(&world), None);
    let err = world
        .call(
            "dynamodb",
            "EnableKinesisStreamingDestination",
            &json!({"TableName": "Orders", "StreamArn": "not-an-arn"}),
        )
        .unwrap_err();
    assert_eq!(err.code, "ValidationException");
    let r = call(
        &mut world,
        "dynamodb",
        "DisableKinesisStreamingDestination",
        json!({"TableName": "Orders", "StreamArn": arn}),
    );
    assert_eq!(r["DestinationStatus"], "DISABLING");
}

#[test]
fn create_table_with_a_stream_and_tags() {
    let mut world = World::default();
    let t = call(
        &mut world,
        "dynamodb",
        "CreateTable",
        json!({
            "TableName": "Orders",
            "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
            "BillingMode": "PAY_PER_REQUEST",
            "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"},
            "Tags": [{"Key": "course", "Value": "fcj"}],
        }),
    );
    let d = &t["TableDescription"];
    assert_eq!(d["StreamSpecification"], json!({"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"}));
    let arn = d["LatestStreamArn"].as_str().unwrap().to_string();
    assert!(arn.starts_with("arn:aws:dynamodb:ap-southeast-1:123456789012:table/Orders/stream/"), "{arn}");
    world.advance(5).unwrap();
    put(&mut world, "1", "PLACED");
    assert_eq!(records(&mut world, &arn).len(), 1);
    let tags = call(&mut world, "dynamodb", "ListTagsOfResource", json!({"ResourceArn": d["TableArn"]}));
    assert_eq!(tags["Tags"][0]["Key"], "course");
    let err = world
        .call(
            "dynamodb",
            "CreateTable",
            &json!({
                "TableName": "Other",
                "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
                "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
                "BillingMode": "PAY_PER_REQUEST",
                "StreamSpecification": {"StreamEnabled": true},
            }),
        )
        .unwrap_err();
    assert_eq!(err.message, "One or more parameter values were invalid: Table is being created with a stream enabled, UpdateViewType is required");
    let err = world
        .call("dynamodb", "UpdateTable", &json!({"TableName": "Orders", "BillingMode": "PROVISIONED"}))
        .unwrap_err();
    assert_eq!(err.message, "One or more parameter values were invalid: ProvisionedThroughput must be specified when BillingMode is PROVISIONED");
    let keys: Vec<Value> = (0..101).map(|i| json!({"id": {"S": i.to_string()}})).collect();
    let err = world.call("dynamodb", "BatchGetItem", &json!({"RequestItems": {"Orders": {"Keys": keys}}})).unwrap_err();
    assert_eq!(err.message, "1 validation error detected: Value at 'RequestItems.Orders.member.Keys' failed to satisfy constraint: Member must have length less than or equal to 100");
}

#[test]
fn a_stream_re_enabled_at_the_same_instant_is_a_new_stream() {
    let mut world = World::default();
    let first = orders(&mut world, "KEYS_ONLY");
    put(&mut world, "1", "PLACED");
    let update = |enabled: bool| {
        let mut spec = json!({"StreamEnabled": enabled});
        if enabled {
            spec["StreamViewType"] = json!("NEW_AND_OLD_IMAGES");
        }
        json!({"TableName": "Orders", "StreamSpecification": spec})
    };
    call(&mut world, "dynamodb", "UpdateTable", update(false));
    let t = call(&mut world, "dynamodb", "UpdateTable", update(true));
    let second = t["TableDescription"]["LatestStreamArn"].as_str().unwrap().to_string();
    assert_ne!(first, second, "a new stream has a new ARN and label");
    let listed = call(&mut world, "dynamodbstreams", "ListStreams", json!({"TableName": "Orders"}));
    assert_eq!(listed["Streams"].as_array().unwrap().len(), 2, "the disabled stream stays readable: {listed}");
    assert_eq!(records(&mut world, &first).len(), 1);
}

/// Retention is judged at the instant of every read, not when a write happens to prune: a
/// record past 24 hours is gone for GetRecords, the console and lab checks alike, and reading a
/// stream (even with a failing call) changes nothing.
#[test]
fn records_past_retention_are_gone_for_every_reader_without_a_write() {
    let mut world = World::default();
    let arn = orders(&mut world, "NEW_IMAGE");
    put(&mut world, "1", "PLACED");
    world.advance(12 * 3600).unwrap();
    put(&mut world, "2", "PLACED");
    let now = |w: &World| w.clock().now_ms();
    let region = world.account.region.clone();
    assert_eq!(records(&mut world, &arn).len(), 2);
    assert_eq!(world.dynamodb.stream_records("Orders", now(&world), &region).len(), 2);
    // 13 hours later the first record is 25 hours old, the second 13; no write has happened.
    world.advance(13 * 3600).unwrap();
    assert_eq!(records(&mut world, &arn).len(), 1);
    let shown = world.dynamodb.stream_records("Orders", now(&world), &region);
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0]["dynamodb"]["Keys"]["id"]["S"], "2");
    let check = lab_core::lab::Check::StreamRecord(
        serde_json::from_value(json!({
            "table": "Orders",
            "condition": "dynamodb.Keys.id.S = :one",
            "values": {":one": {"S": "1"}},
        }))
        .unwrap(),
    );
    assert!(!check.evaluate(&world).passed, "a check must not see a record GetRecords no longer returns");
    // Streams calls, failing or not, only read.
    let before = serde_json::to_string(&world.dynamodb).unwrap();
    world.call("dynamodbstreams", "GetRecords", &json!({"ShardIterator": "bogus"})).unwrap_err();
    world.call("dynamodbstreams", "DescribeStream", &json!({"StreamArn": arn})).unwrap();
    assert_eq!(serde_json::to_string(&world.dynamodb).unwrap(), before);
    // And the world can read them without a call being recorded.
    let total = world.observed().total();
    world.read("dynamodbstreams", "DescribeStream", &json!({"StreamArn": arn})).unwrap();
    assert_eq!(world.observed().total(), total);
}
