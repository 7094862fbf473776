//! DynamoDB through the wire entry point, as transcripts: each line of a script is
//! `Action {request}` or `advance SECONDS`, and the transcript shows each answer.

mod fixture;
mod transcript;

use lab_core::World;
use proptest::prelude::*;
use proptest::test_runner::{TestCaseError, TestRunner};
use serde_json::{json, Value};
use std::cell::Cell;

/// Runs `script` in `world` and renders every answer, one line each.
fn run(world: &mut World, script: &str) -> String {
    transcript::run(world, "dynamodb", script, &|answer| match answer {
        Ok(v) => format!("ok {}", scrub(v)),
        Err(e) => match e.details {
            Some(d) => format!("{}: {} {}", e.code, e.message, Value::Object(d)),
            None => format!("{}: {}", e.code, e.message),
        },
    })
}

/// Hides the values that differ from run to run (ids, times) so transcripts read cleanly.
fn scrub(mut v: Value) -> Value {
    for member in ["TableDescription", "Table"] {
        if let Some(d) = v.get_mut(member) {
            d["TableId"] = json!("<id>");
            d["CreationDateTime"] = json!("<time>");
        }
    }
    v
}

fn check(script: &str, expect: &str) {
    let mut world = World::default();
    let got = run(&mut world, script);
    assert_eq!(got.trim_end(), expect.trim(), "\n--- got ---\n{got}");
}

const MUSIC: &str = r##"CreateTable {"TableName": "Music", "AttributeDefinitions": [{"AttributeName": "Artist", "AttributeType": "S"}, {"AttributeName": "SongTitle", "AttributeType": "S"}], "KeySchema": [{"AttributeName": "Artist", "KeyType": "HASH"}, {"AttributeName": "SongTitle", "KeyType": "RANGE"}], "BillingMode": "PAY_PER_REQUEST"}
advance 5"##;

fn music(extra: &str) -> String {
    format!("{MUSIC}\n{extra}")
}

#[test]
fn a_table_goes_creating_active_deleting_gone() {
    insta::assert_snapshot!(run(
        &mut World::default(),
        &format!(
            r##"
{}
PutItem {{"TableName": "Music", "Item": {{"Artist": {{"S": "A"}}, "SongTitle": {{"S": "B"}}}}}}
DescribeTable {{"TableName": "Music"}}
advance 5
DescribeTable {{"TableName": "Music"}}
ListTables
DeleteTable {{"TableName": "Music"}}
PutItem {{"TableName": "Music", "Item": {{"Artist": {{"S": "A"}}, "SongTitle": {{"S": "B"}}}}}}
advance 5
DescribeTable {{"TableName": "Music"}}
ListTables
"##,
            MUSIC.lines().next().unwrap()
        )
    ));
}

#[test]
fn create_table_validation() {
    check(
        r##"
CreateTable {"TableName": "ab", "AttributeDefinitions": [], "KeySchema": []}
CreateTable {"TableName": "Music", "AttributeDefinitions": [{"AttributeName": "Artist", "AttributeType": "S"}, {"AttributeName": "Year", "AttributeType": "N"}], "KeySchema": [{"AttributeName": "Artist", "KeyType": "HASH"}], "BillingMode": "PAY_PER_REQUEST"}
CreateTable {"TableName": "Music", "AttributeDefinitions": [{"AttributeName": "Artist", "AttributeType": "S"}], "KeySchema": [{"AttributeName": "Artst", "KeyType": "HASH"}], "BillingMode": "PAY_PER_REQUEST"}
CreateTable {"TableName": "Music", "AttributeDefinitions": [{"AttributeName": "Artist", "AttributeType": "S"}], "KeySchema": [{"AttributeName": "Artist", "KeyType": "HASH"}]}
CreateTable {"TableName": "Music", "AttributeDefinitions": [{"AttributeName": "Artist", "AttributeType": "S"}], "KeySchema": [{"AttributeName": "Artist", "KeyType": "HASH"}], "BillingMode": "PROVISIONED", "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}}
CreateTable {"TableName": "Music", "AttributeDefinitions": [{"AttributeName": "Artist", "AttributeType": "S"}], "KeySchema": [{"AttributeName": "Artist", "KeyType": "HASH"}], "BillingMode": "PAY_PER_REQUEST"}
"##,
        r##"
CreateTable -> ValidationException: 1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3
CreateTable -> ValidationException: One or more parameter values were invalid: Some AttributeDefinitions are not used. AttributeDefinitions: [Artist, Year], keys used: [Artist]
CreateTable -> ValidationException: Invalid KeySchema: Some index key attribute have no definition
CreateTable -> ValidationException: One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED
CreateTable -> ok {"TableDescription":{"AttributeDefinitions":[{"AttributeName":"Artist","AttributeType":"S"}],"CreationDateTime":"<time>","DeletionProtectionEnabled":false,"ItemCount":0,"KeySchema":[{"AttributeName":"Artist","KeyType":"HASH"}],"ProvisionedThroughput":{"NumberOfDecreasesToday":0,"ReadCapacityUnits":5,"WriteCapacityUnits":5},"TableArn":"arn:aws:dynamodb:ap-southeast-1:123456789012:table/Music","TableId":"<id>","TableName":"Music","TableSizeBytes":0,"TableStatus":"CREATING"}}
CreateTable -> ResourceInUseException: Table already exists: Music
"##,
    );
}

#[test]
fn items_with_conditions_and_return_values() {
    check(
        &music(
            r##"
PutItem {"TableName": "Music", "Item": {"Artist": {"S": "Acme Band"}, "SongTitle": {"S": "Happy Day"}, "AlbumTitle": {"S": "Songs About Life"}, "Year": {"N": "2020"}}}
GetItem {"TableName": "Music", "Key": {"Artist": {"S": "Acme Band"}, "SongTitle": {"S": "Happy Day"}}, "ProjectionExpression": "AlbumTitle, #y", "ExpressionAttributeNames": {"#y": "Year"}}
GetItem {"TableName": "Music", "Key": {"Artist": {"S": "Acme Band"}}}
UpdateItem {"TableName": "Music", "Key": {"Artist": {"S": "Acme Band"}, "SongTitle": {"S": "Happy Day"}}, "UpdateExpression": "SET AlbumTitle = :t", "ConditionExpression": "attribute_exists(Artist)", "ExpressionAttributeValues": {":t": {"S": "Updated Album"}}, "ReturnValues": "ALL_NEW"}
UpdateItem {"TableName": "Music", "Key": {"Artist": {"S": "Acme Band"}, "SongTitle": {"S": "Happy Day"}}, "UpdateExpression": "SET status = :s", "ExpressionAttributeValues": {":s": {"S": "x"}}}
UpdateItem {"TableName": "Music", "Key": {"Artist": {"S": "Acme Band"}, "SongTitle": {"S": "Happy Day"}}, "UpdateExpression": "SET #s = :s", "ExpressionAttributeNames": {"#s": "status", "#n": "name"}, "ExpressionAttributeValues": {":s": {"S": "x"}}}
UpdateItem {"TableName": "Music", "Key": {"Artist": {"S": "Acme Band"}, "SongTitle": {"S": "Happy Day"}}, "UpdateExpression": "SET Plays = if_not_exists(Plays, :zero) + :one", "ExpressionAttributeValues": {":zero": {"N": "0"}, ":one": {"N": "1"}}, "ReturnValues": "UPDATED_NEW"}
UpdateItem {"TableName": "Music", "Key": {"Artist": {"S": "Acme Band"}, "SongTitle": {"S": "Happy Day"}}, "UpdateExpression": "ADD Plays :one, Tags :t", "ExpressionAttributeValues": {":one": {"N": "1"}, ":t": {"SS": ["rock"]}}, "ReturnValues": "UPDATED_NEW"}
UpdateItem {"TableName": "Music", "Key": {"Artist": {"S": "Acme Band"}, "SongTitle": {"S": "Happy Day"}}, "UpdateExpression": "SET Artist = :a", "ExpressionAttributeValues": {":a": {"S": "x"}}}
UpdateItem {"TableName": "Music", "Key": {"Artist": {"S": "Acme Band"}, "SongTitle": {"S": "Happy Day"}}, "UpdateExpression": "SET a = :v, a.b = :v", "ExpressionAttributeValues": {":v": {"S": "x"}}}
UpdateItem {"TableName": "Music", "Key": {"Artist": {"S": "Acme Band"}, "SongTitle": {"S": "Happy Day"}}, "UpdateExpression": "SET AlbumTitle = Plays + :one", "ExpressionAttributeValues": {":one": {"S": "1"}}}
UpdateItem {"TableName": "Music", "Key": {"Artist": {"S": "Acme Band"}, "SongTitle": {"S": "Happy Day"}}, "UpdateExpression": "SET Plays = AlbumTitle + :one", "ExpressionAttributeValues": {":one": {"N": "1"}}}
UpdateItem {"TableName": "Music", "Key": {"Artist": {"S": "No One"}, "SongTitle": {"S": "Nothing"}}, "UpdateExpression": "SET AlbumTitle = :t", "ConditionExpression": "attribute_exists(Artist)", "ExpressionAttributeValues": {":t": {"S": "x"}}}
PutItem {"TableName": "Music", "Item": {"Artist": {"S": "Acme Band"}, "SongTitle": {"S": "Happy Day"}}, "ConditionExpression": "attribute_not_exists(Artist)", "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}
PutItem {"TableName": "Music", "Item": {"Artist": {"N": "1"}, "SongTitle": {"S": "x"}}}
PutItem {"TableName": "Music", "Item": {"SongTitle": {"S": "x"}}}
PutItem {"TableName": "Music", "Item": {"Artist": {"S": ""}, "SongTitle": {"S": "x"}}}
DeleteItem {"TableName": "Music", "Key": {"Artist": {"S": "Acme Band"}, "SongTitle": {"S": "Happy Day"}}, "ReturnValues": "ALL_OLD"}
GetItem {"TableName": "Music", "Key": {"Artist": {"S": "Acme Band"}, "SongTitle": {"S": "Happy Day"}}, "ReturnConsumedCapacity": "TOTAL"}
GetItem {"TableName": "Nope", "Key": {"Artist": {"S": "Acme Band"}, "SongTitle": {"S": "Happy Day"}}}
"##,
        ),
        r##"
CreateTable -> ok {"TableDescription":{"AttributeDefinitions":[{"AttributeName":"Artist","AttributeType":"S"},{"AttributeName":"SongTitle","AttributeType":"S"}],"BillingModeSummary":{"BillingMode":"PAY_PER_REQUEST"},"CreationDateTime":"<time>","DeletionProtectionEnabled":false,"ItemCount":0,"KeySchema":[{"AttributeName":"Artist","KeyType":"HASH"},{"AttributeName":"SongTitle","KeyType":"RANGE"}],"ProvisionedThroughput":{"NumberOfDecreasesToday":0,"ReadCapacityUnits":0,"WriteCapacityUnits":0},"TableArn":"arn:aws:dynamodb:ap-southeast-1:123456789012:table/Music","TableId":"<id>","TableName":"Music","TableSizeBytes":0,"TableStatus":"CREATING"}}
advance -> ok
PutItem -> ok {}
GetItem -> ok {"Item":{"AlbumTitle":{"S":"Songs About Life"},"Year":{"N":"2020"}}}
GetItem -> ValidationException: The provided key element does not match the schema
UpdateItem -> ok {"Attributes":{"AlbumTitle":{"S":"Updated Album"},"Artist":{"S":"Acme Band"},"SongTitle":{"S":"Happy Day"},"Year":{"N":"2020"}}}
UpdateItem -> ValidationException: Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: status
UpdateItem -> ValidationException: Value provided in ExpressionAttributeNames unused in expressions: keys: {#n}
UpdateItem -> ok {"Attributes":{"Plays":{"N":"1"}}}
UpdateItem -> ok {"Attributes":{"Plays":{"N":"2"},"Tags":{"SS":["rock"]}}}
UpdateItem -> ValidationException: One or more parameter values were invalid: Cannot update attribute Artist. This attribute is part of the key
UpdateItem -> ValidationException: Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]
UpdateItem -> ValidationException: Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: +, operand type: S
UpdateItem -> ValidationException: An operand in the update expression has an incorrect data type
UpdateItem -> ConditionalCheckFailedException: The conditional request failed
PutItem -> ConditionalCheckFailedException: The conditional request failed {"Item":{"AlbumTitle":{"S":"Updated Album"},"Artist":{"S":"Acme Band"},"Plays":{"N":"2"},"SongTitle":{"S":"Happy Day"},"Tags":{"SS":["rock"]},"Year":{"N":"2020"}}}
PutItem -> ValidationException: One or more parameter values were invalid: Type mismatch for key Artist expected: S actual: N
PutItem -> ValidationException: One or more parameter values were invalid: Missing the key Artist in the item
PutItem -> ValidationException: One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: Artist
DeleteItem -> ok {"Attributes":{"AlbumTitle":{"S":"Updated Album"},"Artist":{"S":"Acme Band"},"Plays":{"N":"2"},"SongTitle":{"S":"Happy Day"},"Tags":{"SS":["rock"]},"Year":{"N":"2020"}}}
GetItem -> ok {"ConsumedCapacity":{"CapacityUnits":0.5,"TableName":"Music"}}
GetItem -> ResourceNotFoundException: Requested resource not found
"##,
    );
}

fn songs() -> String {
    let mut s = String::new();
    for (artist, song, year) in [
        ("Acme Band", "Happy Day", 2020),
        ("Acme Band", "Hello World", 2019),
        ("Acme Band", "PartiQL Rocks", 2021),
        ("Acme Band", "Another Song", 2018),
        ("No One You Know", "Call Me Today", 2015),
        ("No One You Know", "Howdy", 2016),
    ] {
        s.push_str(&format!(
            "PutItem {{\"TableName\": \"Music\", \"Item\": {{\"Artist\": {{\"S\": \"{artist}\"}}, \"SongTitle\": {{\"S\": \"{song}\"}}, \"Year\": {{\"N\": \"{year}\"}}}}}}\n"
        ));
    }
    s
}

#[test]
fn query_and_scan() {
    let mut world = World::default();
    run(&mut world, &music(&songs()));
    insta::assert_snapshot!(run(
        &mut world,
        r##"
Query {"TableName": "Music", "KeyConditionExpression": "Artist = :a", "ExpressionAttributeValues": {":a": {"S": "Acme Band"}}, "ProjectionExpression": "SongTitle"}
Query {"TableName": "Music", "KeyConditionExpression": "Artist = :a AND begins_with(SongTitle, :p)", "ExpressionAttributeValues": {":a": {"S": "Acme Band"}, ":p": {"S": "H"}}, "ScanIndexForward": false, "ProjectionExpression": "SongTitle"}
Query {"TableName": "Music", "KeyConditionExpression": "Artist = :a", "FilterExpression": "#y >= :y", "ExpressionAttributeNames": {"#y": "Year"}, "ExpressionAttributeValues": {":a": {"S": "Acme Band"}, ":y": {"N": "2020"}}, "Select": "COUNT"}
Query {"TableName": "Music", "KeyConditionExpression": "Artist = :a", "Limit": 2, "ExpressionAttributeValues": {":a": {"S": "Acme Band"}}, "ProjectionExpression": "SongTitle"}
Query {"TableName": "Music", "KeyConditionExpression": "Artist = :a", "Limit": 2, "ExclusiveStartKey": {"Artist": {"S": "Acme Band"}, "SongTitle": {"S": "Happy Day"}}, "ExpressionAttributeValues": {":a": {"S": "Acme Band"}}, "ProjectionExpression": "SongTitle"}
Query {"TableName": "Music", "KeyConditionExpression": "SongTitle = :s", "ExpressionAttributeValues": {":s": {"S": "Howdy"}}}
Query {"TableName": "Music", "KeyConditionExpression": "begins_with(Artist, :a)", "ExpressionAttributeValues": {":a": {"S": "A"}}}
Query {"TableName": "Music", "KeyConditionExpression": "Artist = :a OR Artist = :b", "ExpressionAttributeValues": {":a": {"S": "A"}, ":b": {"S": "B"}}}
Query {"TableName": "Music", "KeyConditionExpression": "Artist = :a", "ExpressionAttributeValues": {":a": {"N": "1"}}}
Query {"TableName": "Music", "KeyConditionExpression": "Artist = :a", "ExpressionAttributeValues": {":a": {"S": "Acme Band"}}, "ProjectionExpression": "SongTitle", "Select": "COUNT"}
Scan {"TableName": "Music", "FilterExpression": "#y < :y", "ExpressionAttributeNames": {"#y": "Year"}, "ExpressionAttributeValues": {":y": {"N": "2017"}}, "ProjectionExpression": "SongTitle", "ReturnConsumedCapacity": "TOTAL"}
Scan {"TableName": "Music", "Segment": 1}
Scan {"TableName": "Music", "Segment": 2, "TotalSegments": 2}
"##
    ));
}

fn world_with_songs() -> World {
    let mut world = World::default();
    run(&mut world, &music(&songs()));
    world
}

fn items_of(response: &Value) -> Vec<Value> {
    response["Items"].as_array().cloned().unwrap_or_default()
}

proptest! {
    /// Query returns exactly the items a Scan finds with the same key condition, in sort-key
    /// order (reversed when ScanIndexForward is false).
    #[test]
    fn query_is_scan_plus_key_filter_plus_order(prefix in "[A-Z]?", forward in any::<bool>()) {
        let mut world = world_with_songs();
        let values = json!({":a": {"S": "Acme Band"}, ":p": {"S": prefix}});
        let query = world.call("dynamodb", "Query", &json!({"TableName": "Music", "KeyConditionExpression": "Artist = :a AND begins_with(SongTitle, :p)", "ExpressionAttributeValues": values, "ScanIndexForward": forward})).unwrap();
        let scan = world.call("dynamodb", "Scan", &json!({"TableName": "Music", "FilterExpression": "Artist = :a AND begins_with(SongTitle, :p)", "ExpressionAttributeValues": values})).unwrap();
        let mut expected = items_of(&scan);
        expected.sort_by(|a, b| a["SongTitle"]["S"].as_str().cmp(&b["SongTitle"]["S"].as_str()));
        if !forward {
            expected.reverse();
        }
        prop_assert_eq!(items_of(&query), expected);
    }

    /// Reading page by page with Limit and ExclusiveStartKey gives the same items as one read.
    #[test]
    fn pages_joined_equal_one_read(limit in 1u64..8, forward in any::<bool>()) {
        let mut world = world_with_songs();
        for action in ["Query", "Scan"] {
            let mut request = json!({"TableName": "Music"});
            if action == "Query" {
                request["KeyConditionExpression"] = json!("Artist = :a");
                request["ExpressionAttributeValues"] = json!({":a": {"S": "Acme Band"}});
                request["ScanIndexForward"] = json!(forward);
            }
            let whole = items_of(&world.call("dynamodb", action, &request).unwrap());
            let mut joined = Vec::new();
            request["Limit"] = json!(limit);
            for _ in 0..20 {
                let page = world.call("dynamodb", action, &request).unwrap();
                joined.extend(items_of(&page));
                match page.get("LastEvaluatedKey") {
                    Some(key) => request["ExclusiveStartKey"] = key.clone(),
                    None => break,
                }
            }
            prop_assert_eq!(joined, whole);
        }
    }
}

/// How a generated write goes wrong, if it does. Every fault but `MaybeCondition` fails for sure.
#[derive(Clone, Debug)]
enum Fault {
    /// `attribute_not_exists(Artist)` on an item that exists.
    FalseCondition,
    /// `Year = :y` with this year: true for 2020 (the stored year), false otherwise.
    MaybeCondition(String),
    /// The sort key SongTitle given as a number; the table declares a string.
    WrongKeyType,
    /// A table that does not exist.
    MissingTable,
    /// A condition that does not parse or does not resolve.
    BadExpression(&'static str),
    /// A value of type N that is no number.
    BadNumber(String),
    /// The item or key without its sort key.
    MissingSortKey,
}

fn fault() -> impl Strategy<Value = Fault> {
    prop_oneof![
        Just(Fault::FalseCondition),
        prop_oneof![Just("2020".to_string()), "20[0-9]{2}"].prop_map(Fault::MaybeCondition),
        Just(Fault::WrongKeyType),
        Just(Fault::MissingTable),
        prop_oneof![
            Just("Year ="),
            Just("#bad = :y"),
            Just("Year = :missing AND Year = :y"),
            Just("size(Year) > :y AND")
        ]
        .prop_map(Fault::BadExpression),
        "[a-z]{1,3}|1e[2-9][0-9]{2}|".prop_map(Fault::BadNumber),
        Just(Fault::MissingSortKey),
    ]
}

/// `single`'s request (PutItem, UpdateItem or DeleteItem) for the song Happy Day with `fault` in
/// it, wrapped in a TransactWriteItems when `in_transaction`.
fn faulty_write(single: &str, in_transaction: bool, fault: &Fault) -> Value {
    let mut key = json!({"Artist": {"S": "Acme Band"}, "SongTitle": {"S": "Happy Day"}});
    match fault {
        Fault::WrongKeyType => key["SongTitle"] = json!({"N": "1"}),
        Fault::MissingSortKey => {
            key.as_object_mut().unwrap().remove("SongTitle");
        }
        _ => {}
    }
    let mut request = json!({"TableName": if matches!(fault, Fault::MissingTable) { "Nope" } else { "Music" }});
    match single {
        "PutItem" => {
            let mut item = key;
            item["Year"] = json!({"N": "1"});
            request["Item"] = item;
        }
        "UpdateItem" => {
            request["Key"] = key;
            request["UpdateExpression"] = json!("SET Plays = :one");
            request["ExpressionAttributeValues"] = json!({":one": {"N": "1"}});
        }
        _ => request["Key"] = key,
    }
    let (condition, year) = match fault {
        Fault::FalseCondition => ("attribute_not_exists(Artist)", None),
        Fault::MaybeCondition(year) => ("Year = :y", Some(year.as_str())),
        Fault::BadExpression(expression) => (*expression, Some("1")),
        Fault::BadNumber(number) => ("Year = :y", Some(number.as_str())),
        _ => ("attribute_exists(Artist)", None),
    };
    request["ConditionExpression"] = json!(condition);
    if let Some(year) = year {
        let values = request.as_object_mut().unwrap().entry("ExpressionAttributeValues").or_insert(json!({}));
        values[":y"] = json!({"N": year});
    }
    if in_transaction {
        let member = single.trim_end_matches("Item");
        return json!({"TransactItems": [{member: request}]});
    }
    request
}

/// A write that fails, for whatever reason, leaves the world exactly as it was (apart from the
/// call log, the request id and, for a refused condition, the capacity it consumed). The
/// generator makes most writes fail for sure, and the test counts that they did.
#[test]
fn a_failed_write_changes_nothing() {
    let writes = (prop_oneof![Just("PutItem"), Just("UpdateItem"), Just("DeleteItem")], any::<bool>(), fault());
    let (calls, failed) = (Cell::new(0u32), Cell::new(0u32));
    let mut runner =
        TestRunner::new(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() });
    let start = world_with_songs();
    let result = runner.run(&writes, |(single, in_transaction, fault)| {
        let mut world = start.clone();
        let request = faulty_write(single, in_transaction, &fault);
        let action = if in_transaction { "TransactWriteItems" } else { single };
        calls.set(calls.get() + 1);
        let answer = fixture::call_checked(&mut world, "dynamodb", action, &request).map_err(TestCaseError::fail)?;
        if answer.is_ok() {
            prop_assert!(matches!(fault, Fault::MaybeCondition(_)), "{action} {request} should have failed");
        } else {
            failed.set(failed.get() + 1);
        }
        Ok(())
    });
    if let Err(failure) = result {
        panic!("{failure}");
    }
    eprintln!("a_failed_write_changes_nothing: {} of {} generated writes failed", failed.get(), calls.get());
    // Six faults in seven fail for sure, and MaybeCondition about every other time.
    assert!(failed.get() * 4 >= calls.get() * 3, "only {} of {} generated writes failed", failed.get(), calls.get());
}

#[test]
fn batches() {
    check(
        &music(
            r##"
BatchWriteItem {"RequestItems": {"Music": [{"PutRequest": {"Item": {"Artist": {"S": "A"}, "SongTitle": {"S": "1"}}}}, {"PutRequest": {"Item": {"Artist": {"S": "A"}, "SongTitle": {"S": "2"}}}}]}}
BatchWriteItem {"RequestItems": {"Music": [{"PutRequest": {"Item": {"Artist": {"S": "B"}, "SongTitle": {"S": "1"}}}}, {"DeleteRequest": {"Key": {"Artist": {"S": "B"}, "SongTitle": {"S": "1"}}}}]}}
BatchWriteItem {"RequestItems": {"Music": [{"PutRequest": {"Item": {"Artist": {"S": "C"}, "SongTitle": {"S": "1"}}}}, {"PutRequest": {"Item": {"Artist": {"S": "C"}}}}]}}
BatchWriteItem {"RequestItems": {"Nope": [{"DeleteRequest": {"Key": {"Artist": {"S": "A"}, "SongTitle": {"S": "1"}}}}]}}
BatchWriteItem {"RequestItems": {"Music": [{"DeleteRequest": {"Key": {"Artist": {"S": "A"}, "SongTitle": {"S": "2"}}}}]}, "ReturnConsumedCapacity": "TOTAL"}
BatchGetItem {"RequestItems": {"Music": {"Keys": [{"Artist": {"S": "A"}, "SongTitle": {"S": "1"}}, {"Artist": {"S": "A"}, "SongTitle": {"S": "2"}}, {"Artist": {"S": "C"}, "SongTitle": {"S": "1"}}], "ProjectionExpression": "SongTitle"}}}
Scan {"TableName": "Music", "Select": "COUNT"}
"##,
        ),
        r##"
CreateTable -> ok {"TableDescription":{"AttributeDefinitions":[{"AttributeName":"Artist","AttributeType":"S"},{"AttributeName":"SongTitle","AttributeType":"S"}],"BillingModeSummary":{"BillingMode":"PAY_PER_REQUEST"},"CreationDateTime":"<time>","DeletionProtectionEnabled":false,"ItemCount":0,"KeySchema":[{"AttributeName":"Artist","KeyType":"HASH"},{"AttributeName":"SongTitle","KeyType":"RANGE"}],"ProvisionedThroughput":{"NumberOfDecreasesToday":0,"ReadCapacityUnits":0,"WriteCapacityUnits":0},"TableArn":"arn:aws:dynamodb:ap-southeast-1:123456789012:table/Music","TableId":"<id>","TableName":"Music","TableSizeBytes":0,"TableStatus":"CREATING"}}
advance -> ok
BatchWriteItem -> ok {"UnprocessedItems":{}}
BatchWriteItem -> ValidationException: Provided list of item keys contains duplicates
BatchWriteItem -> ValidationException: One or more parameter values were invalid: Missing the key SongTitle in the item
BatchWriteItem -> ResourceNotFoundException: Requested resource not found
BatchWriteItem -> ok {"ConsumedCapacity":[{"CapacityUnits":1.0,"TableName":"Music"}],"UnprocessedItems":{}}
BatchGetItem -> ok {"Responses":{"Music":[{"SongTitle":{"S":"1"}}]},"UnprocessedKeys":{}}
Scan -> ok {"Count":1,"ScannedCount":1}
"##,
    );
}

#[test]
fn transactions() {
    check(
        &music(
            r##"
PutItem {"TableName": "Music", "Item": {"Artist": {"S": "A"}, "SongTitle": {"S": "1"}, "Plays": {"N": "1"}}}
TransactWriteItems {"TransactItems": [{"Put": {"TableName": "Music", "Item": {"Artist": {"S": "A"}, "SongTitle": {"S": "2"}}}}, {"Update": {"TableName": "Music", "Key": {"Artist": {"S": "A"}, "SongTitle": {"S": "1"}}, "UpdateExpression": "ADD Plays :one", "ConditionExpression": "Plays = :one", "ExpressionAttributeValues": {":one": {"N": "1"}}}}], "ClientRequestToken": "t1"}
TransactWriteItems {"TransactItems": [{"Put": {"TableName": "Music", "Item": {"Artist": {"S": "A"}, "SongTitle": {"S": "2"}}}}, {"Update": {"TableName": "Music", "Key": {"Artist": {"S": "A"}, "SongTitle": {"S": "1"}}, "UpdateExpression": "ADD Plays :one", "ConditionExpression": "Plays = :one", "ExpressionAttributeValues": {":one": {"N": "1"}}}}], "ClientRequestToken": "t1"}
TransactWriteItems {"TransactItems": [{"Delete": {"TableName": "Music", "Key": {"Artist": {"S": "A"}, "SongTitle": {"S": "2"}}}}, {"ConditionCheck": {"TableName": "Music", "Key": {"Artist": {"S": "A"}, "SongTitle": {"S": "1"}}, "ConditionExpression": "Plays = :one", "ExpressionAttributeValues": {":one": {"N": "1"}}, "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}}]}
TransactWriteItems {"TransactItems": [{"Delete": {"TableName": "Music", "Key": {"Artist": {"S": "A"}, "SongTitle": {"S": "2"}}}}, {"Put": {"TableName": "Music", "Item": {"Artist": {"S": "A"}, "SongTitle": {"S": "2"}}}}]}
TransactWriteItems {"TransactItems": [{"Delete": {"TableName": "Music", "Key": {"Artist": {"S": "A"}, "SongTitle": {"N": "2"}}}}]}
TransactWriteItems {"TransactItems": []}
TransactWriteItems {"TransactItems": [{"Put": {"TableName": "Music", "Item": {"Artist": {"S": "A"}, "SongTitle": {"S": "9"}}}}], "ClientRequestToken": "t1"}
TransactGetItems {"TransactItems": [{"Get": {"TableName": "Music", "Key": {"Artist": {"S": "A"}, "SongTitle": {"S": "1"}}, "ProjectionExpression": "Plays"}}, {"Get": {"TableName": "Music", "Key": {"Artist": {"S": "Z"}, "SongTitle": {"S": "1"}}}}], "ReturnConsumedCapacity": "TOTAL"}
"##,
        ),
        r##"
CreateTable -> ok {"TableDescription":{"AttributeDefinitions":[{"AttributeName":"Artist","AttributeType":"S"},{"AttributeName":"SongTitle","AttributeType":"S"}],"BillingModeSummary":{"BillingMode":"PAY_PER_REQUEST"},"CreationDateTime":"<time>","DeletionProtectionEnabled":false,"ItemCount":0,"KeySchema":[{"AttributeName":"Artist","KeyType":"HASH"},{"AttributeName":"SongTitle","KeyType":"RANGE"}],"ProvisionedThroughput":{"NumberOfDecreasesToday":0,"ReadCapacityUnits":0,"WriteCapacityUnits":0},"TableArn":"arn:aws:dynamodb:ap-southeast-1:123456789012:table/Music","TableId":"<id>","TableName":"Music","TableSizeBytes":0,"TableStatus":"CREATING"}}
advance -> ok
PutItem -> ok {}
TransactWriteItems -> ok {}
TransactWriteItems -> ok {}
TransactWriteItems -> TransactionCanceledException: Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed] {"CancellationReasons":[{"Code":"None"},{"Code":"ConditionalCheckFailed","Item":{"Artist":{"S":"A"},"Plays":{"N":"2"},"SongTitle":{"S":"1"}},"Message":"The conditional request failed"}]}
TransactWriteItems -> ValidationException: Transaction request cannot include multiple operations on one item
TransactWriteItems -> TransactionCanceledException: Transaction cancelled, please refer cancellation reasons for specific reasons [ValidationError] {"CancellationReasons":[{"Code":"ValidationError","Message":"The provided key element does not match the schema"}]}
TransactWriteItems -> ValidationException: 1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1
TransactWriteItems -> IdempotentParameterMismatchException: The provided idempotency token was used with different parameters
TransactGetItems -> ok {"ConsumedCapacity":[{"CapacityUnits":4.0,"TableName":"Music"}],"Responses":[{"Item":{"Plays":{"N":"2"}}},{}]}
"##,
    );
}

#[test]
fn provisioned_capacity_throttles_and_bursts() {
    let mut world = World::default();
    run(
        &mut world,
        r##"
CreateTable {"TableName": "Orders", "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}], "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}], "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}}
advance 5
"##,
    );
    let put = |i: usize| format!("PutItem {{\"TableName\": \"Orders\", \"Item\": {{\"id\": {{\"S\": \"{i}\"}}}}}}\n");
    // Five writes a second fit; the sixth in the same second is throttled and changes nothing.
    let burst: String = (0..6).map(put).collect();
    let got = run(&mut world, &burst);
    assert!(got.lines().take(5).all(|l| l == "PutItem -> ok {}"), "{got}");
    assert_eq!(got.lines().nth(5).unwrap(), "PutItem -> ProvisionedThroughputExceededException: The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.");
    assert_eq!(
        run(&mut world, r#"Scan {"TableName": "Orders", "Select": "COUNT"}"#),
        "Scan -> ok {\"Count\":5,\"ScannedCount\":5}\n"
    );
    // A second later there is capacity again; ten idle minutes save at most 300 seconds' worth.
    assert_eq!(run(&mut world, &format!("advance 1\n{}", put(6))), "advance -> ok\nPutItem -> ok {}\n");
    run(&mut world, "advance 600");
    let many: String = (100..1600).map(put).collect();
    let got = run(&mut world, &many);
    let ok = got.lines().filter(|l| *l == "PutItem -> ok {}").count();
    assert_eq!(ok, 1500, "300 seconds x 5 WCU of burst");
    // A batch takes what fits and hands back the rest as UnprocessedItems.
    run(&mut world, "advance 1");
    let requests: Vec<String> =
        (2000..2010).map(|i| format!("{{\"PutRequest\": {{\"Item\": {{\"id\": {{\"S\": \"{i}\"}}}}}}}}")).collect();
    let got =
        run(&mut world, &format!("BatchWriteItem {{\"RequestItems\": {{\"Orders\": [{}]}}}}", requests.join(", ")));
    let response: Value = serde_json::from_str(got.trim_start_matches("BatchWriteItem -> ok ").trim()).unwrap();
    assert_eq!(response["UnprocessedItems"]["Orders"].as_array().unwrap().len(), 5, "{got}");
    // On-demand tables are never throttled.
    run(&mut world, r#"UpdateTable {"TableName": "Orders", "BillingMode": "PAY_PER_REQUEST"}"#);
    let many: String = (3000..3100).map(put).collect();
    assert!(run(&mut world, &many).lines().all(|l| l == "PutItem -> ok {}"));
}
