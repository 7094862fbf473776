//! One property per service: a request that fails leaves the world unchanged, apart from its
//! Observed log and id counter (see `fixture::state`).
//!
//! Requests go through the public `World::call` for every action of `lab_core::world::actions`,
//! against an account with tables, items and a stream. They are malformed on purpose: members of
//! the wrong type, unknown members, required members left out, garbage values and random JSON,
//! mixed with plausible values so that some get past the first checks. The member names come
//! from the operation itself (its answer to an unknown member lists them), so a new operation is
//! covered without editing this file. Each property counts its failures and the error codes it
//! saw, so it proves that it exercised errors.

mod fixture;

use lab_core::world::{actions, SERVICES};
use lab_core::World;
use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{json, Map, Value};
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

const MUSIC_STREAM: &str = "arn:aws:dynamodb:ap-southeast-1:123456789012:table/Music/stream/2025-01-01T00:00:00.000";

#[test]
fn every_service_has_its_property() {
    // A new service gets its own `#[test]` below, with the error codes it is expected to show.
    assert_eq!(
        SERVICES,
        ["dynamodb", "dynamodbstreams", "sts", "iam", "lambda", "secretsmanager", "logs", "sqs", "kinesis"]
    );
}

#[test]
fn a_failed_dynamodb_request_changes_nothing() {
    check_service("dynamodb", 768, &["ParamValidation", "ValidationException", "ResourceNotFoundException"]);
}

#[test]
fn a_failed_dynamodbstreams_request_changes_nothing() {
    check_service("dynamodbstreams", 256, &["ParamValidation", "ValidationException", "ResourceNotFoundException"]);
}

#[test]
fn a_failed_sts_request_changes_nothing() {
    check_service("sts", 128, &["ParamValidation", "InvalidAction"]);
}

#[test]
fn a_failed_iam_request_changes_nothing() {
    check_service(
        "iam",
        768,
        &[
            "ParamValidation",
            "ValidationError",
            "InvalidAction",
            "NoSuchEntity",
            "MalformedPolicyDocument",
            "DeleteConflict",
            "InvalidInput",
        ],
    );
}

#[test]
fn a_failed_secretsmanager_request_changes_nothing() {
    check_service(
        "secretsmanager",
        384,
        &["ParamValidation", "ValidationException", "ResourceNotFoundException", "InvalidRequestException"],
    );
}

#[test]
fn a_failed_lambda_request_changes_nothing() {
    check_service("lambda", 256, &["ParamValidation", "ValidationException", "ResourceNotFoundException"]);
}

#[test]
fn a_failed_logs_request_changes_nothing() {
    check_service("logs", 384, &["ParamValidation", "InvalidParameterException", "ResourceNotFoundException"]);
}

#[test]
fn a_failed_sqs_request_changes_nothing() {
    check_service(
        "sqs",
        384,
        &[
            "ParamValidation",
            "InvalidParameterValue",
            "AWS.SimpleQueueService.NonExistentQueue",
            "ReceiptHandleIsInvalid",
        ],
    );
}

#[test]
fn a_failed_kinesis_request_changes_nothing() {
    check_service(
        "kinesis",
        384,
        &["ParamValidation", "ValidationException", "InvalidArgumentException", "ResourceNotFoundException"],
    );
}

/// Runs `cases` random sequences of calls to `service` and checks every failed call; then
/// requires that at least half the calls failed and that each of `codes` was seen.
fn check_service(service: &str, cases: u32, codes: &[&str]) {
    let start = fixture::world_with_state();
    let calls = vec(call(service, &start), 1..4);
    let (made, failed) = (Cell::new(0u32), Cell::new(0u32));
    let seen = RefCell::new(BTreeMap::<String, u32>::new());
    let mut runner = TestRunner::new(Config { cases, failure_persistence: None, ..Config::default() });
    let result = runner.run(&calls, |calls| {
        let mut world = start.clone();
        for (action, request) in calls {
            made.set(made.get() + 1);
            let answer = fixture::call_checked(&mut world, service, &action, &request).map_err(TestCaseError::fail)?;
            if let Err(error) = answer {
                failed.set(failed.get() + 1);
                *seen.borrow_mut().entry(error.code).or_default() += 1;
            }
        }
        Ok(())
    });
    if let Err(failure) = result {
        panic!("{failure}");
    }
    let (made, failed, seen) = (made.get(), failed.get(), seen.into_inner());
    eprintln!("{service}: {failed} of {made} calls failed, by code {seen:?}");
    assert!(failed * 2 >= made, "{service}: only {failed} of {made} calls failed");
    for code in codes {
        assert!(seen.contains_key(*code), "{service}: no call failed with {code}; seen {seen:?}");
    }
}

/// One call: an action of `service` (now and then a misspelt one) and a malformed request.
fn call(service: &str, world: &World) -> impl Strategy<Value = (String, Value)> {
    let actions: Vec<String> = actions(service).iter().map(|a| a.to_string()).collect();
    assert!(!actions.is_empty(), "{service} lists no actions");
    let stream = shard_and_iterator(world);
    let choices: Vec<BoxedStrategy<(String, Value)>> = actions
        .iter()
        .map(|action| {
            let action = action.clone();
            request(&members(world, service, &action), &stream).prop_map(move |r| (action.clone(), r)).boxed()
        })
        .collect();
    let misspelt =
        (proptest::sample::select(actions), "[a-z]{0,2}").prop_map(|(a, typo)| (format!("{a}{typo}"), json!({})));
    prop_oneof![9 => proptest::strategy::Union::new(choices), 1 => misspelt]
}

/// The members `action` takes, from its answer to an unknown member (`must be one of: A, B`).
fn members(world: &World, service: &str, action: &str) -> Vec<String> {
    let answer = world.clone().call(service, action, &json!({"NoSuchMember": 0}));
    let message = answer.err().map(|err| err.message).unwrap_or_default();
    let Some((_, list)) = message.split_once("must be one of: ") else { return Vec::new() };
    list.lines().next().unwrap_or("").split(", ").filter(|m| !m.is_empty()).map(str::to_string).collect()
}

/// The Music stream's one shard and an iterator at its start, for requests that name them.
fn shard_and_iterator(world: &World) -> (String, String) {
    let mut world = world.clone();
    let described = world.call("dynamodbstreams", "DescribeStream", &json!({"StreamArn": MUSIC_STREAM}));
    let described = described.expect("the fixture's Music table has a stream");
    let shard = described["StreamDescription"]["Shards"][0]["ShardId"].as_str().expect("a shard has an id");
    let request = json!({"StreamArn": MUSIC_STREAM, "ShardId": shard, "ShardIteratorType": "TRIM_HORIZON"});
    let iterator = world.call("dynamodbstreams", "GetShardIterator", &request).expect("the shard can be read");
    (shard.to_string(), iterator["ShardIterator"].as_str().expect("an iterator is a string").to_string())
}

/// A request made of `members`, each present or not, with a plausible or a garbage value; or,
/// now and then, an unknown member or random JSON in place of the whole request. A third of the
/// requests have plausible values only, so that they get past the type checks.
fn request(members: &[String], stream: &(String, String)) -> BoxedStrategy<Value> {
    prop_oneof![5 => object(members, stream, true), 4 => object(members, stream, false), 1 => any_json()].boxed()
}

/// An object of some of `members`; with `garbage`, one value in four is random JSON and one
/// request in ten has an unknown member.
fn object(members: &[String], stream: &(String, String), garbage: bool) -> BoxedStrategy<Value> {
    let present: Vec<BoxedStrategy<Option<(String, Value)>>> = members
        .iter()
        .map(|member| {
            let name = member.clone();
            let value = match garbage {
                true => prop_oneof![3 => value_for(member, stream), 1 => any_json()].boxed(),
                false => value_for(member, stream),
            };
            // Without garbage, nearly every member is there (required ones too), legacy ones never.
            let share = match garbage {
                true => 0.6,
                false if LEGACY.contains(&member.as_str()) => 0.01,
                false => 0.85,
            };
            proptest::option::weighted(share, value).prop_map(move |v| v.map(|v| (name.clone(), v))).boxed()
        })
        .collect();
    // An operation that takes no members (GetCallerIdentity) can only be malformed this way.
    let unknown_share = if members.is_empty() {
        0.8
    } else if garbage {
        0.1
    } else {
        0.01
    };
    let unknown = proptest::option::weighted(unknown_share, ("[A-Z][a-zA-Z]{0,8}", any_json()));
    (present, unknown)
        .prop_map(|(present, unknown)| {
            let mut request: Map<String, Value> = present.into_iter().flatten().collect();
            if let Some((name, value)) = unknown {
                request.insert(name, value);
            }
            Value::Object(request)
        })
        .boxed()
}

/// DynamoDB's legacy request members, which the simulator refuses (see docs/differences.md).
const LEGACY: &[&str] = &[
    "AttributesToGet",
    "AttributeUpdates",
    "ConditionalOperator",
    "Expected",
    "KeyConditions",
    "QueryFilter",
    "ScanFilter",
];

/// A value that fits the member `member` by its name: valid, or wrong in a way a learner would get
/// it wrong.
fn value_for(member: &str, (shard, iterator): &(String, String)) -> BoxedStrategy<Value> {
    match member {
        "TableName" => pick(vec![json!("Music"), json!("Orders"), json!("Nope"), json!("ab"), json!("")]),
        "IndexName" => pick(vec![json!("ByYear"), json!("ByAlbum"), json!("NoIndex")]),
        "Key" | "ExclusiveStartKey" => key(),
        "Item" => item(),
        "Keys" => vec(key(), 0..3).prop_map(Value::Array).boxed(),
        "ExpressionAttributeNames" => pick(vec![
            json!({"#y": "Year"}),
            json!({"#y": "Year", "#s": "status"}),
            json!({"y": "Year"}),
            json!({"#y": 5}),
            json!({}),
        ]),
        "ExpressionAttributeValues" => pick(vec![
            json!({":a": {"S": "Acme Band"}, ":p": {"S": "H"}}),
            json!({":one": {"N": "1"}}),
            json!({":y": {"N": "2020"}}),
            json!({":y": {"N": "x"}}),
            json!({":y": {"S": ""}}),
            json!({"y": {"N": "1"}}),
            json!({":y": {"Q": "1"}}),
        ]),
        name if name.ends_with("Expression") => expression(),
        "RequestItems" => request_items(),
        "TransactItems" => transact_items(),
        "StreamArn" | "ExclusiveStartStreamArn" | "ResourceArn" => pick(vec![
            json!(MUSIC_STREAM),
            json!("arn:aws:dynamodb:ap-southeast-1:123456789012:table/Music"),
            json!("arn:aws:dynamodb:ap-southeast-1:123456789012:table/Nope/stream/2025-01-01T00:00:00.000"),
            json!("arn:aws:kinesis:ap-southeast-1:123456789012:stream/orders"),
            json!("not an arn"),
        ]),
        "ShardId" | "ExclusiveStartShardId" => words(&[shard, "shardId-1", ""]),
        "Limit" | "Segment" | "TotalSegments" => {
            pick(vec![json!(0), json!(1), json!(2), json!(-1), json!(1.5), json!(100_000)])
        }
        "ConsistentRead" | "ScanIndexForward" | "DeletionProtectionEnabled" => {
            any::<bool>().prop_map(Value::from).boxed()
        }
        name if name.starts_with("Return") => {
            words(&["NONE", "ALL_OLD", "UPDATED_NEW", "ALL_NEW", "TOTAL", "INDEXES", "SIZE", "all_old"])
        }
        "Select" => words(&["ALL_ATTRIBUTES", "COUNT", "SPECIFIC_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES", "SOME"]),
        "BillingMode" => words(&["PAY_PER_REQUEST", "PROVISIONED", "ON_DEMAND"]),
        "ShardIteratorType" => {
            words(&["TRIM_HORIZON", "LATEST", "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER", "OLDEST"])
        }
        "SequenceNumber" => words(&["100000000000000000100", "100000000000000000000", "99", "x"]),
        "ShardIterator" => words(&[iterator, "not an iterator", ""]),
        // IAM's members.
        "RoleName" => words(&["orders-role", "ORDERS-ROLE", "new-role", "nope", "bad name", ""]),
        "PolicyName" => words(&["history", "queue", "new-policy", "nope", "bad name", ""]),
        "PolicyArn" | "PolicySourceArn" => words(&[
            fixture::QUEUE_POLICY,
            fixture::BASIC_POLICY,
            fixture::ORDERS_ROLE,
            "arn:aws:iam::aws:policy/AdministratorAccess",
            "arn:aws:iam::123456789012:policy/nope",
            "arn:aws:iam::123456789012:role/nope",
            "AWSLambdaBasicExecutionRole",
            "",
        ]),
        "PolicyDocument" | "AssumeRolePolicyDocument" => pick(vec![
            json!(fixture::LAMBDA_TRUST),
            json!(fixture::PUT_HISTORY),
            json!(fixture::SEND_DLQ),
            json!("{\"Statement\": ["),
            json!(r#"{"Statement": {"Effect": "Allow", "Action": "s3:GetObject"}}"#),
            json!(
                r#"{"Statement": {"Effect": "Allow", "Principal": {"Service": "lamda.amazonaws.com"}, "Action": "sts:AssumeRole"}}"#
            ),
            json!(""),
        ]),
        "PolicyInputList" => pick(vec![json!([fixture::PUT_HISTORY]), json!(["{"]), json!([])]),
        "VersionId" => words(&[
            "v1",
            "v2",
            "v3",
            "v9",
            "3",
            "",
            fixture::SECRET_TOKEN,
            "99999999-9999-4999-8999-999999999999",
            "short",
        ]),
        "Path" | "PathPrefix" => words(&["/", "/service-role/", "service-role", "", "/a b/"]),
        "Description" => words(&["Orders", "", "\u{1}"]),
        "MaxSessionDuration" => pick(vec![json!(3600), json!(43_200), json!(60), json!(50_000), json!("1h")]),
        "MaxItems" => pick(vec![json!(1), json!(2), json!(0), json!(1001), json!("1")]),
        "Marker" => words(&["AAEA00000001", "AAEA00000999", "garbage", ""]),
        "Scope" => words(&["All", "AWS", "Local", "Mine"]),
        "EntityFilter" => words(&["Role", "User", "Everyone"]),
        "PolicyUsageFilter" => words(&["PermissionsPolicy", "PermissionsBoundary", "Nope"]),
        "SetAsDefault" | "OnlyAttached" => any::<bool>().prop_map(Value::from).boxed(),
        "ActionNames" => {
            pick(vec![json!(["dynamodb:PutItem"]), json!(["sqs:SendMessage", "s3:GetObject"]), json!(["x"]), json!([])])
        }
        "ResourceArns" => {
            pick(vec![json!(["*"]), json!(["arn:aws:dynamodb:ap-southeast-1:123456789012:table/OrdersHistory"])])
        }
        "ContextEntries" => pick(vec![
            json!([{"ContextKeyName": "aws:SourceAccount", "ContextKeyValues": ["123456789012"], "ContextKeyType": "string"}]),
            json!([{"ContextKeyName": "x", "ContextKeyValues": ["1"]}]),
            json!([{"ContextKeyName": "aws:SourceArn", "ContextKeyType": "nope"}]),
        ]),
        "Tags" => pick(vec![
            json!([{"Key": "team", "Value": "x"}]),
            json!([{"Key": "a", "Value": "1"}, {"Key": "A", "Value": "2"}]),
            json!([{"Key": "bad#key", "Value": "x"}]),
            json!([{"Key": "", "Value": "x"}]),
            json!([]),
        ]),
        "TagKeys" => pick(vec![json!(["team"]), json!(["nope"]), json!([""]), json!([1])]),
        "ClientRequestToken" => words(&[
            "fixture-token",
            "another-token",
            "",
            fixture::SECRET_TOKEN,
            "33333333-3333-4333-8333-333333333333",
        ]),
        // Secrets Manager.
        "SecretId" | "Name" => words(&[
            "orders/payment-api-key",
            "old/secret",
            "nope",
            "bad name!",
            "",
            "arn:aws:secretsmanager:ap-southeast-1:123456789012:secret:orders/payment-api-key",
        ]),
        "SecretString" => words(&["{\"apiKey\":\"sk-3\"}", "{\"apiKey\":\"sk-1\"}", ""]),
        "SecretBinary" => words(&["AAEC", "not base64", ""]),
        "VersionStage" => words(&["AWSCURRENT", "AWSPREVIOUS", "AWSPENDING", ""]),
        "VersionStages" => pick(vec![json!(["AWSCURRENT"]), json!(["test"]), json!([]), json!([""])]),
        "RecoveryWindowInDays" => pick(vec![json!(7), json!(30), json!(6), json!(31)]),
        "MaxResults" => pick(vec![json!(1), json!(100), json!(0), json!(101)]),
        "Filters" => pick(vec![
            json!([{"Key": "name", "Values": ["orders"]}]),
            json!([{"Key": "color", "Values": ["x"]}]),
            json!([{"Key": "name", "Values": []}]),
        ]),
        "SortOrder" => words(&["asc", "desc", "up"]),
        "SortBy" => words(&["name", "created-date", "size"]),
        // Lambda.
        "FunctionName" => {
            words(&["orders-fn", "nope", "bad name", "", "arn:aws:lambda:ap-southeast-1:123456789012:function:nope"])
        }
        "Runtime" => words(&["nodejs22.x", "nodejs12.x", "cobol"]),
        "Role" => words(&[fixture::ORDERS_ROLE, "admin", ""]),
        "Handler" => words(&["index.handler", "", "a b"]),
        "Timeout" => pick(vec![json!(3), json!(0), json!(901)]),
        "MemorySize" => pick(vec![json!(128), json!(64), json!(20_000)]),
        "InvocationType" => words(&["RequestResponse", "Event", "DryRun", "Later"]),
        "Payload" => words(&["{}", "{bad", ""]),
        "Qualifier" | "FunctionVersion" => words(&["$LATEST", "1", "live", "9", ""]),
        "StatementId" => words(&["events", "bad id!", ""]),
        "Principal" => words(&["events.amazonaws.com", "123456789012", "*", "a b"]),
        "Action" => words(&["lambda:InvokeFunction", "dynamodb:PutItem", "*"]),
        "SourceArn" => words(&["arn:aws:events:ap-southeast-1:123456789012:rule/nightly", "x"]),
        "LayerName" => words(&["common-utils", "bad name", ""]),
        "VersionNumber" => pick(vec![json!(1), json!(0), json!(9)]),
        "ReservedConcurrentExecutions" => pick(vec![json!(0), json!(5), json!(-1), json!(1000)]),
        "RoutingConfig" => pick(vec![
            json!({"AdditionalVersionWeights": {"1": 0.5}}),
            json!({"AdditionalVersionWeights": {"1": 2}}),
            json!({}),
        ]),
        // CloudWatch Logs.
        // Kinesis's members.
        "StreamName" | "ExclusiveStartStreamName" => words(&["orders-stream", "new-stream", "missing", "bad name", ""]),
        "StreamARN" => words(&[
            "arn:aws:kinesis:ap-southeast-1:123456789012:stream/orders-stream",
            "arn:aws:kinesis:ap-southeast-1:123456789012:stream/missing",
            "arn:aws:sqs:ap-southeast-1:123456789012:orders",
            "",
        ]),
        "ShardCount" | "TargetShardCount" | "RetentionPeriodHours" => {
            pick(vec![json!(0), json!(1), json!(2), json!(3), json!(5), json!(24), json!(48), json!(9000), json!("2")])
        }
        "PartitionKey" => words(&["o-1", "", "k"]),
        "Data" => words(&["eyJvcmRlcklkIjoiby0xIn0=", "not base64!", ""]),
        "ExplicitHashKey" => words(&[
            "0",
            "340282366920938463463374607431768211455",
            "340282366920938463463374607431768211456",
            "-1",
            "x",
        ]),
        "Records" => pick(vec![
            json!([]),
            json!([{"PartitionKey": "o-1", "Data": "YQ=="}]),
            json!([{"PartitionKey": "", "Data": "YQ=="}]),
            json!([{"Data": "YQ=="}]),
        ]),
        "StartingSequenceNumber" => words(&["49000000000173568960000000000000000000000000000000000000", "1", "x"]),
        "ScalingType" => words(&["UNIFORM_SCALING", "UNIFORM"]),
        "StreamModeDetails" => pick(vec![json!({"StreamMode": "ON_DEMAND"}), json!({"StreamMode": "FAST"}), json!({})]),
        "ShardFilter" => pick(vec![json!({"Type": "AT_LATEST"}), json!({})]),
        // SQS's members.
        "QueueUrl" => words(&[
            fixture::SQS_FAILED,
            fixture::SQS_FIFO,
            "https://sqs.ap-southeast-1.amazonaws.com/123456789012/nope",
            "https://sqs.ap-southeast-1.amazonaws.com/999999999999/orders-failed",
            "orders-failed",
            "",
        ]),
        "QueueName" | "QueueNamePrefix" => {
            words(&["orders-failed", "orders.fifo", "new-queue", "bad name", "x.fifo", ""])
        }
        "MessageBody" => words(&["hello", "", "\u{0}", "{\"orderId\": \"o-2\"}"]),
        "ReceiptHandle" => {
            words(&["not-a-handle", "", "YXJuOmF3czpzcXM6YXAtc291dGhlYXN0LTE6MTIzNDU2Nzg5MDEyOm9yZGVycy1mYWlsZWQBeAEx"])
        }
        "MaxNumberOfMessages" | "VisibilityTimeout" | "WaitTimeSeconds" | "DelaySeconds" => {
            pick(vec![json!(0), json!(1), json!(10), json!(11), json!(-1), json!(43_201), json!("5")])
        }
        "MessageGroupId" | "MessageDeduplicationId" => words(&["o-1", "", "has space"]),
        "MessageAttributes" => pick(vec![
            json!({"kind": {"DataType": "String", "StringValue": "order"}}),
            json!({"n": {"DataType": "Number", "StringValue": "ten"}}),
            json!({"AWS.x": {"DataType": "String", "StringValue": "v"}}),
            json!({"b": {"DataType": "Binary"}}),
            json!({"t": {"DataType": "Colour", "StringValue": "red"}}),
        ]),
        "AttributeNames" | "MessageSystemAttributeNames" | "MessageAttributeNames" => pick(vec![
            json!(["All"]),
            json!(["QueueArn", "ApproximateNumberOfMessages"]),
            json!(["Colour"]),
            json!("All"),
        ]),
        "Attributes" => pick(vec![
            json!({"VisibilityTimeout": "60"}),
            json!({"VisibilityTimeout": "99999"}),
            json!({"FifoQueue": "true"}),
            json!({"RedrivePolicy": "{\"maxReceiveCount\": 0}"}),
            json!({"Colour": "blue"}),
            json!({"DelaySeconds": 5}),
        ]),
        "Entries" => pick(vec![
            json!([]),
            json!([{"Id": "a", "MessageBody": "x"}, {"Id": "a", "MessageBody": "y"}]),
            json!([{"Id": "bad id", "MessageBody": "x"}]),
            json!([{"Id": "a", "ReceiptHandle": "not-a-handle", "VisibilityTimeout": 0}]),
            json!([{"Id": "a"}]),
            json!((0..11).map(|i| json!({"Id": format!("m{i}"), "MessageBody": "x"})).collect::<Vec<_>>()),
        ]),
        "logGroupName" | "logGroupIdentifier" | "logGroupNamePrefix" => words(&[
            fixture::LOG_GROUP,
            "/aws/lambda/nope",
            "bad name",
            "",
            "arn:aws:logs:ap-southeast-1:123456789012:log-group:/aws/lambda/processOrder",
        ]),
        "logStreamName" | "logStreamNamePrefix" => words(&[fixture::LOG_STREAM, "nope", "bad:name", ""]),
        "logStreamNames" => pick(vec![json!([fixture::LOG_STREAM]), json!([]), json!(["nope"])]),
        "logEvents" => pick(vec![
            json!([{"timestamp": 1_735_689_605_000u64, "message": "hello"}]),
            json!([{"timestamp": 1_735_689_605_000u64, "message": "b"}, {"timestamp": 1_735_689_600_000u64, "message": "a"}]),
            json!([]),
            json!([{"timestamp": 1_735_689_605_000u64, "message": ""}]),
            json!([{"timestamp": 1_600_000_000_000u64, "message": "too old"}]),
        ]),
        "filterPattern" => words(&["ERROR", "{ $.latency > 1000 }", "{ $.latency > }", "a@b", "%x%", "[a, b]"]),
        "retentionInDays" => pick(vec![json!(7), json!(4), json!(3653)]),
        "limit" => pick(vec![json!(1), json!(50), json!(0), json!(10001)]),
        "startTime" | "endTime" => pick(vec![json!(1_735_689_600_000u64), json!(-1), json!(0)]),
        "nextToken" => words(&["f/00000000000000000000000000000000000000000000000000000000/s", "bad", ""]),
        "orderBy" => words(&["LogStreamName", "LastEventTime", "Size"]),
        "resourceArn" => words(&[
            "arn:aws:logs:ap-southeast-1:123456789012:log-group:/aws/lambda/processOrder",
            "arn:aws:logs:ap-southeast-1:123456789012:log-group:nope",
            "not an arn!",
        ]),
        "tags" => pick(vec![json!({"env": "dev"}), json!({}), json!({"": "x"})]),
        "tagKeys" => pick(vec![json!(["team"]), json!([""]), json!([])]),
        _ => generic(),
    }
}

fn words(words: &[&str]) -> BoxedStrategy<Value> {
    pick(words.iter().map(|w| Value::from(*w)).collect())
}

fn pick(values: Vec<Value>) -> BoxedStrategy<Value> {
    proptest::sample::select(values).boxed()
}

/// Keys of either table, right or wrong in every way a learner gets them wrong.
fn key() -> BoxedStrategy<Value> {
    pick(vec![
        json!({"Artist": {"S": "Acme Band"}, "SongTitle": {"S": "Happy Day"}}),
        json!({"Artist": {"S": "Acme Band"}, "SongTitle": {"S": "No Such Song"}}),
        json!({"Artist": {"S": "Acme Band"}}),
        json!({"Artist": {"S": "Acme Band"}, "SongTitle": {"N": "1"}}),
        json!({"Artist": {"S": ""}, "SongTitle": {"S": "Happy Day"}}),
        json!({"Artist": {"S": "Acme Band"}, "SongTitle": {"S": "Happy Day"}, "Year": {"N": "2020"}}),
        json!({"id": {"N": "1"}}),
        json!({"id": {"S": "1"}}),
        json!({"id": {"N": "1e400"}}),
        json!({"Artist": "Acme Band"}),
    ])
}

/// Items for either table, with good and bad attribute values.
fn item() -> BoxedStrategy<Value> {
    let extra = pick(vec![
        json!({"N": "2021"}),
        json!({"N": "twenty"}),
        json!({"SS": ["a", "a"]}),
        json!({"SS": []}),
        json!({"NS": ["1", "x"]}),
        json!({"B": "not base64!"}),
        json!({"M": {"inner": {"L": [{"NULL": true}, {"BOOL": false}]}}}),
        json!({"NULL": false}),
        json!({"S": "ok", "N": "1"}),
        json!({}),
    ]);
    (key(), extra)
        .prop_map(|(key, extra)| {
            let mut item = key;
            if let Value::Object(object) = &mut item {
                object.insert("Year".into(), extra);
            }
            item
        })
        .boxed()
}

/// Condition, key, filter, projection and update expressions, valid and not.
fn expression() -> BoxedStrategy<Value> {
    let known = pick(
        [
            "Artist = :a",
            "Artist = :a AND begins_with(SongTitle, :p)",
            "attribute_exists(Artist)",
            "attribute_not_exists(Artist)",
            "#y > :y",
            "SongTitle, #y, Tags[0]",
            "SET Plays = :one",
            "SET #y = :y REMOVE Tags",
            "ADD Plays :one",
            "DELETE Tags :y",
            "Artist =",
            "SET",
            "#s = :a",
            "status = :a",
            "size(",
            "Year BETWEEN :y AND",
            "a.b = :y AND a = :y",
            "SET a = :one, a = :one",
            "",
        ]
        .into_iter()
        .map(Value::from)
        .collect(),
    );
    prop_oneof![4 => known, 1 => "[ -~]{0,24}".prop_map(Value::from)].boxed()
}

fn request_items() -> BoxedStrategy<Value> {
    let write = prop_oneof![
        item().prop_map(|item| json!({"PutRequest": {"Item": item}})),
        key().prop_map(|key| json!({"DeleteRequest": {"Key": key}})),
        any_json(),
    ];
    let table = pick(vec![json!("Music"), json!("Orders"), json!("Nope")]);
    prop_oneof![
        (table.clone(), vec(write, 0..3)).prop_map(|(t, writes)| json!({ t.as_str().unwrap(): writes })),
        (table, vec(key(), 0..3)).prop_map(|(t, keys)| json!({ t.as_str().unwrap(): {"Keys": keys} })),
    ]
    .boxed()
}

fn transact_items() -> BoxedStrategy<Value> {
    let table = pick(vec![json!("Music"), json!("Orders"), json!("Nope")]);
    let one =
        (table, key(), item(), expression(), 0..6usize).prop_map(|(table, key, item, expression, kind)| match kind {
            0 => json!({"Put": {"TableName": table, "Item": item, "ConditionExpression": expression}}),
            1 => json!({"Update": {"TableName": table, "Key": key, "UpdateExpression": expression}}),
            2 => json!({"Delete": {"TableName": table, "Key": key}}),
            3 => json!({"ConditionCheck": {"TableName": table, "Key": key, "ConditionExpression": expression}}),
            4 => json!({"Get": {"TableName": table, "Key": key}}),
            _ => json!({"Put": {"TableName": table}, "Delete": {"TableName": table, "Key": key}}),
        });
    vec(one, 0..3).prop_map(Value::Array).boxed()
}

/// Values that fit no member in particular: enum values, names, numbers and booleans.
fn generic() -> BoxedStrategy<Value> {
    pick(vec![
        json!("ALL_OLD"),
        json!("UPDATED_NEW"),
        json!("TOTAL"),
        json!("COUNT"),
        json!("ALL_ATTRIBUTES"),
        json!("PAY_PER_REQUEST"),
        json!("PROVISIONED"),
        json!("NEW_AND_OLD_IMAGES"),
        json!("TRIM_HORIZON"),
        json!("LATEST"),
        json!("AT_SEQUENCE_NUMBER"),
        json!("100000000000000000100"),
        json!(true),
        json!(false),
        json!(1),
        json!([{"AttributeName": "Artist", "AttributeType": "S"}]),
        json!([{"AttributeName": "Artist", "KeyType": "HASH"}]),
        json!({"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}),
        json!({"StreamEnabled": false}),
        json!({"Enabled": false, "AttributeName": "expires"}),
        json!([{"Key": "team", "Value": "x"}]),
        json!(["team"]),
    ])
}

/// Any JSON at all, shallow, with object keys that look like attribute types and names.
fn any_json() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        "[ -~]{0,12}".prop_map(Value::from),
    ];
    let key = prop_oneof![
        proptest::sample::select(vec![
            "S",
            "N",
            "B",
            "SS",
            "NS",
            "BS",
            "M",
            "L",
            "NULL",
            "BOOL",
            "Artist",
            "TableName"
        ])
        .prop_map(str::to_string),
        "[A-Za-z:#]{0,6}",
    ];
    leaf.prop_recursive(3, 24, 4, move |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(Value::Array),
            btree_map(key.clone(), inner, 0..4).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
    .boxed()
}
