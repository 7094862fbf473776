//! Kinesis Data Streams as transcripts and properties: streams on the virtual clock, records
//! routed by the MD5 of their partition keys, sequence numbers increasing per shard, the five
//! iterator types, retention and resharding.

mod transcript;

use lab_core::wire::{decode_base64, encode_base64};
use lab_core::World;
use proptest::prelude::*;
use serde_json::{json, Value};

fn run(world: &mut World, script: &str) -> String {
    transcript::run(world, "kinesis", script, &|answer| transcript::plain(answer))
}

fn call(world: &mut World, action: &str, request: Value) -> Result<Value, lab_core::AwsError> {
    world.call("kinesis", action, &request)
}

/// An ACTIVE stream `name` with `shards` shards.
fn stream(world: &mut World, name: &str, shards: u64) {
    call(world, "CreateStream", json!({"StreamName": name, "ShardCount": shards})).unwrap();
    world.advance(5).unwrap();
}

fn put(world: &mut World, name: &str, key: &str, data: &str) -> Value {
    call(world, "PutRecord", json!({"StreamName": name, "PartitionKey": key, "Data": encode_base64(data.as_bytes())}))
        .unwrap()
}

fn iterator(world: &mut World, name: &str, shard: &str, kind: &str, extra: Value) -> String {
    let mut request = json!({"StreamName": name, "ShardId": shard, "ShardIteratorType": kind});
    for (k, v) in extra.as_object().unwrap() {
        request[k] = v.clone();
    }
    call(world, "GetShardIterator", request).unwrap()["ShardIterator"].as_str().unwrap().to_string()
}

/// The records' data from a new iterator on.
fn read_from(
    world: &mut World,
    name: &str,
    shard: &str,
    kind: &str,
    extra: Value,
) -> (Vec<String>, Option<String>, Value) {
    let it = iterator(world, name, shard, kind, extra);
    read(world, &it)
}

/// The records' data from `it` on, as text, and the next iterator.
fn read(world: &mut World, it: &str) -> (Vec<String>, Option<String>, Value) {
    let answer = call(world, "GetRecords", json!({"ShardIterator": it})).unwrap();
    let data = answer["Records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| String::from_utf8(decode_base64(r["Data"].as_str().unwrap()).unwrap()).unwrap())
        .collect();
    (data, answer["NextShardIterator"].as_str().map(str::to_string), answer)
}

#[test]
fn a_stream_is_created_described_and_deleted_on_the_clock() {
    let mut world = World::default();
    insta::assert_snapshot!(run(
        &mut world,
        r#"
        CreateStream {"StreamName": "orders-stream", "ShardCount": 2, "Tags": {"team": "orders"}}
        CreateStream {"StreamName": "orders-stream", "ShardCount": 2}
        CreateStream {"StreamName": "bad name", "ShardCount": 1}
        CreateStream {"StreamName": "zero", "ShardCount": 0}
        CreateStream {"StreamName": "provisioned"}
        DescribeStreamSummary {"StreamName": "orders-stream"}
        PutRecord {"StreamName": "orders-stream", "PartitionKey": "o-1", "Data": "e30="}
        advance 5
        DescribeStream {"StreamName": "orders-stream"}
        ListStreams
        ListShards {"StreamARN": "arn:aws:kinesis:ap-southeast-1:123456789012:stream/orders-stream", "MaxResults": 1}
        PutRecord {"StreamName": "orders-stream", "PartitionKey": "o-1", "Data": "eyJvcmRlcklkIjoiby0xIn0="}
        PutRecord {"StreamName": "orders-stream", "PartitionKey": "", "Data": "e30="}
        PutRecord {"StreamName": "orders-stream", "PartitionKey": "k", "Data": "e30=", "ExplicitHashKey": "340282366920938463463374607431768211456"}
        PutRecord {"StreamName": "missing", "PartitionKey": "k", "Data": "e30="}
        PutRecords {"StreamName": "orders-stream", "Records": [{"PartitionKey": "o-1", "Data": "YQ=="}, {"PartitionKey": "k", "Data": "Yg==", "ExplicitHashKey": "0"}]}
        IncreaseStreamRetentionPeriod {"StreamName": "orders-stream", "RetentionPeriodHours": 12}
        IncreaseStreamRetentionPeriod {"StreamName": "orders-stream", "RetentionPeriodHours": 48}
        DecreaseStreamRetentionPeriod {"StreamName": "orders-stream", "RetentionPeriodHours": 72}
        ListTagsForStream {"StreamName": "orders-stream"}
        GetShardIterator {"StreamName": "orders-stream", "ShardId": "shardId-000000000009", "ShardIteratorType": "LATEST"}
        GetShardIterator {"StreamName": "orders-stream", "ShardId": "shardId-000000000000", "ShardIteratorType": "OLDEST"}
        GetRecords {"ShardIterator": "garbage"}
        DeleteStream {"StreamName": "orders-stream"}
        DescribeStreamSummary {"StreamName": "orders-stream"}
        advance 5
        DescribeStreamSummary {"StreamName": "orders-stream"}
        "#
    ));
}

#[test]
fn iterators_read_from_where_they_say_and_expire_after_five_minutes() {
    let mut world = World::default();
    stream(&mut world, "s", 1);
    let shard = "shardId-000000000000";
    let first = put(&mut world, "s", "a", "one");
    let latest = iterator(&mut world, "s", shard, "LATEST", json!({}));
    world.advance(1).unwrap();
    put(&mut world, "s", "a", "two");
    put(&mut world, "s", "b", "three");
    let seq = first["SequenceNumber"].as_str().unwrap();
    assert_eq!(read_from(&mut world, "s", shard, "TRIM_HORIZON", json!({})).0, ["one", "two", "three"]);
    assert_eq!(read(&mut world, &latest).0, ["two", "three"]);
    assert_eq!(
        read_from(&mut world, "s", shard, "AT_SEQUENCE_NUMBER", json!({"StartingSequenceNumber": seq})).0,
        ["one", "two", "three"]
    );
    assert_eq!(
        read_from(&mut world, "s", shard, "AFTER_SEQUENCE_NUMBER", json!({"StartingSequenceNumber": seq})).0,
        ["two", "three"]
    );
    assert_eq!(
        read_from(&mut world, "s", shard, "AT_TIMESTAMP", json!({"Timestamp": 1_735_689_606.0})).0,
        ["two", "three"]
    );
    // A read to the tip: 0 ms behind, and the next iterator waits for new records.
    let (data, next, answer) = read_from(&mut world, "s", shard, "TRIM_HORIZON", json!({}));
    assert_eq!((data.len(), answer["MillisBehindLatest"].clone()), (3, json!(0)));
    let next = next.unwrap();
    assert!(read(&mut world, &next).0.is_empty());
    put(&mut world, "s", "a", "four");
    assert_eq!(read(&mut world, &next).0, ["four"]);
    // Limit, and how far behind the rest is.
    let it = iterator(&mut world, "s", shard, "TRIM_HORIZON", json!({}));
    let answer = call(&mut world, "GetRecords", json!({"ShardIterator": it, "Limit": 1})).unwrap();
    assert_eq!(answer["Records"].as_array().unwrap().len(), 1);
    assert_eq!(answer["MillisBehindLatest"], 1000);
    world.advance(301).unwrap();
    let e = call(&mut world, "GetRecords", json!({"ShardIterator": next})).unwrap_err();
    assert_eq!(e.code, "ExpiredIteratorException");
}

#[test]
fn records_leave_the_stream_after_its_retention() {
    let mut world = World::default();
    stream(&mut world, "s", 1);
    put(&mut world, "s", "a", "old");
    world.advance(23 * 3600).unwrap();
    put(&mut world, "s", "a", "new");
    world.advance(3601).unwrap();
    let it = iterator(&mut world, "s", "shardId-000000000000", "TRIM_HORIZON", json!({}));
    assert_eq!(read(&mut world, &it).0, ["new"]);
}

#[test]
fn resharding_closes_the_shards_and_opens_children() {
    let mut world = World::default();
    stream(&mut world, "s", 1);
    put(&mut world, "s", "a", "before");
    let answer = call(
        &mut world,
        "UpdateShardCount",
        json!({"StreamName": "s", "TargetShardCount": 2, "ScalingType": "UNIFORM_SCALING"}),
    )
    .unwrap();
    assert_eq!((answer["CurrentShardCount"].clone(), answer["TargetShardCount"].clone()), (json!(1), json!(2)));
    let e = call(
        &mut world,
        "UpdateShardCount",
        json!({"StreamName": "s", "TargetShardCount": 2, "ScalingType": "UNIFORM_SCALING"}),
    )
    .unwrap_err();
    assert_eq!(e.code, "ResourceInUseException");
    world.advance(5).unwrap();
    let shards = call(&mut world, "ListShards", json!({"StreamName": "s"})).unwrap()["Shards"].clone();
    assert_eq!(shards.as_array().unwrap().len(), 3);
    assert!(shards[0]["SequenceNumberRange"].get("EndingSequenceNumber").is_some());
    assert_eq!(shards[1]["ParentShardId"], "shardId-000000000000");
    let open =
        call(&mut world, "ListShards", json!({"StreamName": "s", "ShardFilter": {"Type": "AT_LATEST"}})).unwrap();
    assert_eq!(open["Shards"].as_array().unwrap().len(), 2);
    // The closed shard reads to its end, then names its children instead of a next iterator.
    let (data, next, answer) = read_from(&mut world, "s", "shardId-000000000000", "TRIM_HORIZON", json!({}));
    assert_eq!((data, next), (vec!["before".to_string()], None));
    assert_eq!(answer["ChildShards"].as_array().unwrap().len(), 2);
    let e = call(
        &mut world,
        "UpdateShardCount",
        json!({"StreamName": "s", "TargetShardCount": 5, "ScalingType": "UNIFORM_SCALING"}),
    )
    .unwrap_err();
    assert_eq!(e.code, "InvalidArgumentException");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Whatever is put, in whatever order and with whatever clock moves: each record lands in the
    /// one open shard whose hash range holds the MD5 of its key, and sequence numbers increase
    /// within each shard in the order the records were put.
    #[test]
    fn sequence_numbers_increase_per_shard_and_keys_route_by_md5(
        shards in 1u64..5,
        puts in prop::collection::vec(("[a-z]{1,6}", 0u64..3), 1..40),
    ) {
        let mut world = World::default();
        stream(&mut world, "s", shards);
        let described = call(&mut world, "DescribeStream", json!({"StreamName": "s"})).unwrap();
        let ranges: Vec<(String, u128, u128)> = described["StreamDescription"]["Shards"].as_array().unwrap().iter().map(|s| (
            s["ShardId"].as_str().unwrap().to_string(),
            s["HashKeyRange"]["StartingHashKey"].as_str().unwrap().parse().unwrap(),
            s["HashKeyRange"]["EndingHashKey"].as_str().unwrap().parse().unwrap(),
        )).collect();
        let mut last: std::collections::BTreeMap<String, String> = Default::default();
        for (key, wait) in puts {
            world.advance(wait).unwrap();
            let answer = put(&mut world, "s", &key, "x");
            let shard = answer["ShardId"].as_str().unwrap().to_string();
            let hash = lab_core::kinesis::stream::hash_key(&key);
            let owner = ranges.iter().find(|(_, lo, hi)| *lo <= hash && hash <= *hi).unwrap();
            prop_assert_eq!(&owner.0, &shard);
            let seq = answer["SequenceNumber"].as_str().unwrap().to_string();
            prop_assert_eq!(seq.len(), 56);
            if let Some(previous) = last.get(&shard) {
                prop_assert!(previous < &seq, "{} then {}", previous, seq);
            }
            last.insert(shard, seq);
        }
    }
}
