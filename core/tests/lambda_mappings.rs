//! Event source mappings: DynamoDB Streams, Kinesis and SQS feeding a function on their own,
//! through `World::call` and `World::advance` as `lab run` would make them.

use lab_core::lambda::package;
use lab_core::observed::Event;
use lab_core::wire::encode_base64;
use lab_core::{AwsError, World};
use proptest::prelude::*;
use serde_json::{json, Value};

const ACCOUNT: &str = "123456789012";
const REGION: &str = "ap-southeast-1";
const TRUST_LAMBDA: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;

fn call(world: &mut World, service: &str, action: &str, request: Value) -> Result<Value, AwsError> {
    world.call(service, action, &request)
}

fn ok(world: &mut World, service: &str, action: &str, request: Value) -> Value {
    call(world, service, action, request.clone()).unwrap_or_else(|e| panic!("{service} {action} {request}: {e:?}"))
}

fn queue_arn(name: &str) -> String {
    format!("arn:aws:sqs:{REGION}:{ACCOUNT}:{name}")
}

fn queue_url(name: &str) -> String {
    format!("https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{name}")
}

/// The curriculum's history handler, in JavaScript: every MODIFY's old image goes to
/// ORDERS_HISTORY_DB with pk = the order's id and sk = the record's sequence number. An order
/// whose `poison` attribute is set fails the whole batch.
const HISTORY: &str = "import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
const client = new DynamoDBClient({});
export const handler = async (event) => {
  for (const r of event.Records) {
    if (r.eventName !== 'MODIFY') continue;
    const old = r.dynamodb.OldImage;
    if (r.dynamodb.NewImage.poison) throw new Error('poison order ' + old.id.S);
    await client.send(new PutItemCommand({ TableName: process.env.ORDERS_HISTORY_DB,
      Item: { ...old, pk: old.id, sk: { S: r.dynamodb.SequenceNumber } } }));
  }
  return { seen: event.Records.length };
};";

/// A role for `function` with `statements` (besides the basic logging policy), and the function.
fn function(world: &mut World, name: &str, code: &str, statements: Value) {
    let role = format!("{name}-role");
    ok(world, "iam", "CreateRole", json!({"RoleName": role, "AssumeRolePolicyDocument": TRUST_LAMBDA}));
    let basic = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";
    ok(world, "iam", "AttachRolePolicy", json!({"RoleName": role, "PolicyArn": basic}));
    let policy = json!({"Version": "2012-10-17", "Statement": statements});
    ok(
        world,
        "iam",
        "PutRolePolicy",
        json!({"RoleName": role, "PolicyName": "mapping", "PolicyDocument": policy.to_string()}),
    );
    let zip = encode_base64(&package::write(&[("index.mjs", code)], true));
    ok(
        world,
        "lambda",
        "CreateFunction",
        json!({
            "FunctionName": name, "Runtime": "nodejs22.x", "Role": format!("arn:aws:iam::{ACCOUNT}:role/{role}"),
            "Handler": "index.handler", "Code": {"ZipFile": zip},
            "Environment": {"Variables": {"ORDERS_HISTORY_DB": "OrdersHistory"}},
        }),
    );
}

fn allow(actions: &[&str], resource: &str) -> Value {
    json!({"Effect": "Allow", "Action": actions, "Resource": resource})
}

const STREAM_READ: &[&str] =
    &["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams"];

/// Orders (with a NEW_AND_OLD_IMAGES stream) and OrdersHistory, orders 1..=n PLACED, the
/// history function and a DLQ; answers the stream's ARN.
fn orders(world: &mut World, n: usize, put_item: bool) -> String {
    let table = ok(
        world,
        "dynamodb",
        "CreateTable",
        json!({
            "TableName": "Orders", "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
            "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"},
        }),
    );
    ok(
        world,
        "dynamodb",
        "CreateTable",
        json!({
            "TableName": "OrdersHistory", "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        }),
    );
    world.advance(10).unwrap();
    for i in 1..=n {
        ok(
            world,
            "dynamodb",
            "PutItem",
            json!({"TableName": "Orders", "Item": {"id": {"S": i.to_string()}, "status": {"S": "PLACED"}}}),
        );
    }
    ok(world, "sqs", "CreateQueue", json!({"QueueName": "orders-ddbs-dlq"}));
    let stream = table["TableDescription"]["LatestStreamArn"].as_str().unwrap().to_string();
    let mut statements =
        vec![allow(STREAM_READ, &format!("arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/Orders/stream/*"))];
    statements.push(allow(&["sqs:SendMessage"], &queue_arn("orders-ddbs-dlq")));
    if put_item {
        statements
            .push(allow(&["dynamodb:PutItem"], &format!("arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/OrdersHistory")));
    }
    function(world, "create-order-history", HISTORY, json!(statements));
    world.advance(2).unwrap();
    stream
}

fn update(world: &mut World, id: usize, status: &str) {
    ok(
        world,
        "dynamodb",
        "UpdateItem",
        json!({
            "TableName": "Orders", "Key": {"id": {"S": id.to_string()}},
            "UpdateExpression": "SET #s = :s", "ExpressionAttributeNames": {"#s": "status"},
            "ExpressionAttributeValues": {":s": {"S": status}},
        }),
    );
}

fn poison(world: &mut World, id: usize) {
    ok(
        world,
        "dynamodb",
        "UpdateItem",
        json!({"TableName": "Orders", "Key": {"id": {"S": id.to_string()}}, "UpdateExpression": "SET poison = :t", "ExpressionAttributeValues": {":t": {"BOOL": true}}}),
    );
}

fn history(world: &mut World) -> Vec<(String, String)> {
    let items = ok(world, "dynamodb", "Scan", json!({"TableName": "OrdersHistory"}));
    let mut out: Vec<(String, String)> = items["Items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["pk"]["S"].as_str().unwrap().to_string(), i["status"]["S"].as_str().unwrap().to_string()))
        .collect();
    out.sort();
    out
}

/// The batches the mappings handed to functions: each invocation's records, and whether it failed.
fn invocations(world: &World) -> Vec<(Vec<Value>, bool)> {
    world
        .observed()
        .events()
        .filter_map(|e| match &e.event {
            Event::Call { action, caller, request, response, .. }
                if action == "Invoke" && caller.label() == "lambda.amazonaws.com" =>
            {
                let payload: Value = serde_json::from_str(request.value()["Payload"].as_str()?).ok()?;
                let failed = response.as_ref().is_none_or(|r| r.value().get("FunctionError").is_some());
                Some((payload["Records"].as_array()?.clone(), failed))
            }
            _ => None,
        })
        .collect()
}

fn drain(world: &mut World, queue: &str) -> Vec<Value> {
    let mut out = Vec::new();
    loop {
        let answer = ok(
            world,
            "sqs",
            "ReceiveMessage",
            json!({"QueueUrl": queue_url(queue), "MaxNumberOfMessages": 10, "VisibilityTimeout": 0}),
        );
        let Some(messages) = answer["Messages"].as_array().cloned() else { return out };
        for m in messages {
            ok(
                world,
                "sqs",
                "DeleteMessage",
                json!({"QueueUrl": queue_url(queue), "ReceiptHandle": m["ReceiptHandle"]}),
            );
            out.push(serde_json::from_str(m["Body"].as_str().unwrap()).unwrap_or_else(|_| m["Body"].clone()));
        }
    }
}

fn mapping(world: &mut World, request: Value) -> Value {
    let created = ok(world, "lambda", "CreateEventSourceMapping", request);
    world.advance(1).unwrap();
    created
}

#[test]
fn a_streams_mapping_is_created_then_enabled_and_feeds_the_history_table() {
    let mut world = World::default();
    let stream = orders(&mut world, 3, true);
    let created = ok(
        &mut world,
        "lambda",
        "CreateEventSourceMapping",
        json!({"EventSourceArn": stream, "FunctionName": "create-order-history", "StartingPosition": "LATEST", "BatchSize": 10}),
    );
    let uuid = created["UUID"].as_str().unwrap().to_string();
    assert_eq!(uuid.len(), 36);
    let mut shown = created.clone();
    for volatile in ["UUID", "LastModified", "EventSourceMappingArn"] {
        shown.as_object_mut().unwrap().remove(volatile);
    }
    assert_eq!(
        shown,
        json!({
            "BatchSize": 10, "BisectBatchOnFunctionError": false, "DestinationConfig": {"OnFailure": {}},
            "EventSourceArn": stream,
            "FunctionArn": format!("arn:aws:lambda:{REGION}:{ACCOUNT}:function:create-order-history"),
            "FunctionResponseTypes": [], "LastProcessingResult": "No records processed",
            "MaximumBatchingWindowInSeconds": 0, "MaximumRecordAgeInSeconds": -1, "MaximumRetryAttempts": -1,
            "ParallelizationFactor": 1, "StartingPosition": "LATEST", "State": "Creating",
            "StateTransitionReason": "User action", "TumblingWindowInSeconds": 0,
        })
    );
    assert_eq!(
        created["EventSourceMappingArn"],
        format!("arn:aws:lambda:{REGION}:{ACCOUNT}:event-source-mapping:{uuid}")
    );
    // The student updates an order at once, before the clock moves: LATEST began at creation.
    update(&mut world, 1, "COMPLETE");
    assert!(history(&mut world).is_empty(), "nothing is read before the clock moves");
    world.advance(1).unwrap();
    let got = ok(&mut world, "lambda", "GetEventSourceMapping", json!({"UUID": uuid}));
    assert_eq!(got["State"], "Enabled");
    assert_eq!(got["LastProcessingResult"], "OK");
    assert_eq!(history(&mut world), [("1".to_string(), "PLACED".to_string())]);
    // The handler got AWS's record shape.
    let batches = invocations(&world);
    assert_eq!(batches.len(), 1);
    let record = &batches[0].0[0];
    assert_eq!(record["eventName"], "MODIFY");
    assert_eq!(record["eventVersion"], "1.1");
    assert_eq!(record["eventSource"], "aws:dynamodb");
    assert_eq!(record["awsRegion"], REGION);
    assert_eq!(record["eventSourceARN"], stream);
    assert_eq!(record["dynamodb"]["StreamViewType"], "NEW_AND_OLD_IMAGES");
    assert_eq!(record["dynamodb"]["OldImage"]["status"], json!({"S": "PLACED"}));
    assert_eq!(record["dynamodb"]["NewImage"]["status"], json!({"S": "COMPLETE"}));
    assert_eq!(record["dynamodb"]["Keys"], json!({"id": {"S": "1"}}));
    // Two updates of one order reach the handler in order, in one batch.
    update(&mut world, 2, "COMPLETE");
    update(&mut world, 2, "RETURNED");
    world.advance(1).unwrap();
    let batches = invocations(&world);
    assert_eq!(batches.len(), 2);
    let statuses: Vec<&str> =
        batches[1].0.iter().map(|r| r["dynamodb"]["NewImage"]["status"]["S"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["COMPLETE", "RETURNED"]);
    let listed = ok(&mut world, "lambda", "ListEventSourceMappings", json!({"FunctionName": "create-order-history"}));
    assert_eq!(listed["EventSourceMappings"].as_array().unwrap().len(), 1);
    // The mapping's reads were made as the function's role, caused by the student's update.
    let reads: Vec<String> = world
        .observed()
        .events()
        .filter_map(|e| match &e.event {
            Event::Call { service, action, caller, cause, .. } if service == "dynamodbstreams" => {
                Some(format!("{action} by {} caused: {}", caller.label(), cause.is_some()))
            }
            _ => None,
        })
        .collect();
    // Only the check that the stream exists is Lambda's own.
    assert_eq!(reads[0], "DescribeStream by lambda.amazonaws.com caused: true");
    assert!(reads[1..].iter().all(|r| r.contains("create-order-history-role/create-order-history")), "{reads:?}");
    assert!(reads.iter().any(|r| r.starts_with("GetRecords") && r.ends_with("caused: true")), "{reads:?}");
}

#[test]
fn a_batch_failing_for_want_of_put_item_is_tried_four_times_then_its_positions_go_to_the_dlq() {
    let mut world = World::default();
    let stream = orders(&mut world, 3, false);
    mapping(
        &mut world,
        json!({
            "EventSourceArn": stream, "FunctionName": "create-order-history", "StartingPosition": "LATEST",
            "BatchSize": 10, "MaximumRetryAttempts": 3,
            "DestinationConfig": {"OnFailure": {"Destination": queue_arn("orders-ddbs-dlq")}},
        }),
    );
    update(&mut world, 1, "COMPLETE");
    world.advance(1).unwrap();
    assert_eq!(invocations(&world).len(), 1);
    // While the batch is retried the shard is blocked: a second order waits behind it.
    update(&mut world, 2, "COMPLETE");
    world.advance(60).unwrap();
    let runs = invocations(&world);
    assert_eq!(runs.len(), 8, "4 attempts of the first batch, then 4 of the second");
    assert!(runs.iter().all(|(records, failed)| *failed && records.len() == 1));
    assert!(runs[..4].iter().all(|(records, _)| records[0]["dynamodb"]["Keys"]["id"]["S"] == "1"));
    assert_eq!(runs[4].0[0]["dynamodb"]["Keys"]["id"]["S"], "2", "the shard moved on");
    let dead = drain(&mut world, "orders-ddbs-dlq");
    assert_eq!(dead.len(), 2, "the second batch failed the same way: {dead:?}");
    let record = &dead[0];
    assert_eq!(record["requestContext"]["condition"], "RetryAttemptsExhausted");
    assert_eq!(record["requestContext"]["approximateInvokeCount"], 4);
    assert_eq!(
        record["requestContext"]["functionArn"],
        format!("arn:aws:lambda:{REGION}:{ACCOUNT}:function:create-order-history")
    );
    assert_eq!(
        record["responseContext"],
        json!({"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"})
    );
    assert_eq!(record["version"], "1.0");
    let info = &record["DDBStreamBatchInfo"];
    let sequence = runs[0].0[0]["dynamodb"]["SequenceNumber"].clone();
    assert_eq!(info["startSequenceNumber"], sequence);
    assert_eq!(info["endSequenceNumber"], sequence);
    assert_eq!(info["batchSize"], 1);
    assert_eq!(info["streamArn"], stream);
    assert!(info["shardId"].as_str().unwrap().starts_with("shardId-"));
    let arrival = info["approximateArrivalOfFirstRecord"].as_str().unwrap();
    assert!(arrival.len() == 20 && arrival.ends_with('Z'), "whole seconds, as DynamoDB gives them: {info}");
    // Positions only, never the data.
    assert!(!record.to_string().contains("PLACED"));
    assert!(history(&mut world).is_empty());
}

#[test]
fn bisecting_isolates_a_poison_record_and_the_rest_of_the_batch_succeeds() {
    let mut world = World::default();
    let stream = orders(&mut world, 8, true);
    mapping(
        &mut world,
        json!({
            "EventSourceArn": stream, "FunctionName": "create-order-history", "StartingPosition": "LATEST",
            "BatchSize": 10, "MaximumRetryAttempts": 1, "BisectBatchOnFunctionError": true,
            "DestinationConfig": {"OnFailure": {"Destination": queue_arn("orders-ddbs-dlq")}},
        }),
    );
    // Eight orders complete; the fifth is poisoned first (its MODIFY fails every batch holding it).
    poison(&mut world, 5);
    for id in 1..=8 {
        update(&mut world, id, "COMPLETE");
    }
    world.advance(30).unwrap();
    let done = history(&mut world);
    let ids: Vec<&str> = done.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, ["1", "2", "3", "4", "6", "7", "8"], "every order but the poisoned one");
    // The order's two poisoned changes (setting the flag, then completing) end up alone.
    let dead = drain(&mut world, "orders-ddbs-dlq");
    assert_eq!(dead.len(), 2, "{dead:?}");
    for record in &dead {
        assert_eq!(record["DDBStreamBatchInfo"]["batchSize"], 1, "a poison record alone: {dead:?}");
        assert_eq!(record["requestContext"]["approximateInvokeCount"], 2, "splitting used no retry");
    }
}

#[test]
fn a_kinesis_mapping_is_fed_by_the_tables_streaming_destination() {
    let mut world = World::default();
    orders(&mut world, 2, true);
    ok(&mut world, "kinesis", "CreateStream", json!({"StreamName": "Orders", "ShardCount": 2}));
    world.advance(10).unwrap();
    let stream = format!("arn:aws:kinesis:{REGION}:{ACCOUNT}:stream/Orders");
    ok(
        &mut world,
        "dynamodb",
        "EnableKinesisStreamingDestination",
        json!({"TableName": "Orders", "StreamArn": stream}),
    );
    world.advance(10).unwrap();
    let code = "import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
const client = new DynamoDBClient({});
export const handler = async (event) => {
  for (const r of event.Records) {
    const data = JSON.parse(Buffer.from(r.kinesis.data, 'base64').toString());
    if (data.eventName !== 'MODIFY') continue;
    const old = data.dynamodb.OldImage;
    await client.send(new PutItemCommand({ TableName: 'OrdersHistory', Item: { ...old, pk: old.id, sk: { S: r.kinesis.sequenceNumber } } }));
  }
};";
    let read = ["kinesis:DescribeStream", "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:ListStreams"];
    let history_arn = format!("arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/OrdersHistory");
    function(
        &mut world,
        "create-order-history-kds",
        code,
        json!([allow(&read, &stream), allow(&["dynamodb:PutItem"], &history_arn)]),
    );
    world.advance(2).unwrap();
    mapping(
        &mut world,
        json!({"EventSourceArn": stream, "FunctionName": "create-order-history-kds", "StartingPosition": "LATEST", "BatchSize": 10}),
    );
    update(&mut world, 1, "COMPLETE");
    update(&mut world, 2, "ACTIVE");
    update(&mut world, 2, "CANCELLED");
    world.advance(2).unwrap();
    assert_eq!(
        history(&mut world),
        [("1".into(), "PLACED".into()), ("2".into(), "ACTIVE".into()), ("2".into(), "PLACED".into())]
    );
    let record = &invocations(&world)[0].0[0];
    assert_eq!(record["eventSource"], "aws:kinesis");
    assert_eq!(record["eventName"], "aws:kinesis:record");
    assert_eq!(record["eventVersion"], "1.0");
    assert_eq!(record["kinesis"]["kinesisSchemaVersion"], "1.0");
    assert_eq!(record["invokeIdentityArn"], format!("arn:aws:iam::{ACCOUNT}:role/create-order-history-kds-role"));
    let id = record["eventID"].as_str().unwrap();
    assert!(
        id.starts_with("shardId-00000000000") && id.ends_with(record["kinesis"]["sequenceNumber"].as_str().unwrap())
    );
}

/// `work`: fails for messages whose body says `"fail"`, reporting them as batch item failures.
const QUEUE_WORKER: &str = "export const handler = async (event) => ({
  batchItemFailures: event.Records.filter((r) => r.body.includes('fail')).map((r) => ({ itemIdentifier: r.messageId })),
});";

fn queues(world: &mut World) {
    ok(world, "sqs", "CreateQueue", json!({"QueueName": "jobs-dlq"}));
    let redrive = json!({"deadLetterTargetArn": queue_arn("jobs-dlq"), "maxReceiveCount": 2}).to_string();
    ok(
        world,
        "sqs",
        "CreateQueue",
        json!({"QueueName": "jobs", "Attributes": {"VisibilityTimeout": "30", "RedrivePolicy": redrive}}),
    );
    let read = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"];
    function(world, "work", QUEUE_WORKER, json!([allow(&read, &queue_arn("jobs"))]));
    world.advance(2).unwrap();
}

fn count(world: &mut World, queue: &str) -> (u64, u64) {
    let a = ok(
        world,
        "sqs",
        "GetQueueAttributes",
        json!({"QueueUrl": queue_url(queue), "AttributeNames": ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]}),
    );
    let n = |k: &str| a["Attributes"][k].as_str().unwrap().parse().unwrap();
    (n("ApproximateNumberOfMessages"), n("ApproximateNumberOfMessagesNotVisible"))
}

#[test]
fn an_sqs_mapping_deletes_what_succeeded_and_the_queue_redrives_what_keeps_failing() {
    let mut world = World::default();
    queues(&mut world);
    let created = mapping(
        &mut world,
        json!({"EventSourceArn": queue_arn("jobs"), "FunctionName": "work", "BatchSize": 5, "FunctionResponseTypes": ["ReportBatchItemFailures"]}),
    );
    assert_eq!(created["StateTransitionReason"], "USER_INITIATED");
    assert!(created.get("StartingPosition").is_none() && created.get("LastProcessingResult").is_none(), "{created}");
    for body in ["ok 1", "ok 2", "fail 3", "ok 4"] {
        ok(
            &mut world,
            "sqs",
            "SendMessage",
            json!({"QueueUrl": queue_url("jobs"), "MessageBody": body, "MessageAttributes": {"kind": {"DataType": "String", "StringValue": "job"}}}),
        );
    }
    world.advance(1).unwrap();
    let runs = invocations(&world);
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].0.len(), 4);
    let record = &runs[0].0[0];
    assert_eq!(record["eventSource"], "aws:sqs");
    assert_eq!(record["eventSourceARN"], queue_arn("jobs"));
    assert_eq!(record["attributes"]["ApproximateReceiveCount"], "1");
    assert_eq!(
        record["messageAttributes"]["kind"],
        json!({"stringValue": "job", "stringListValues": [], "binaryListValues": [], "dataType": "String"})
    );
    assert!(record["md5OfBody"].is_string() && record["md5OfMessageAttributes"].is_string());
    // Three were deleted; the failed one is in flight until its visibility timeout ends.
    assert_eq!(count(&mut world, "jobs"), (0, 1));
    world.advance(31).unwrap();
    let runs = invocations(&world);
    assert_eq!(runs.len(), 2, "received again once visible");
    assert_eq!(runs[1].0[0]["body"], "fail 3");
    assert_eq!(runs[1].0[0]["attributes"]["ApproximateReceiveCount"], "2");
    world.advance(31).unwrap();
    // Received twice: the next receive moves it to the dead-letter queue instead.
    assert_eq!(invocations(&world).len(), 2);
    assert_eq!(count(&mut world, "jobs"), (0, 0));
    let dead = drain(&mut world, "jobs-dlq");
    assert_eq!(dead, [json!("fail 3")]);
}

#[test]
fn filters_keep_what_matches_and_the_queue_loses_what_they_drop() {
    let mut world = World::default();
    queues(&mut world);
    mapping(
        &mut world,
        json!({"EventSourceArn": queue_arn("jobs"), "FunctionName": "work",
               "FilterCriteria": {"Filters": [{"Pattern": "{\"body\": {\"priority\": [\"high\"]}}"}]}}),
    );
    for body in [r#"{"priority": "high", "n": 1}"#, r#"{"priority": "low", "n": 2}"#, "not json"] {
        ok(&mut world, "sqs", "SendMessage", json!({"QueueUrl": queue_url("jobs"), "MessageBody": body}));
    }
    world.advance(1).unwrap();
    let runs = invocations(&world);
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].0.len(), 1);
    assert_eq!(runs[0].0[0]["body"], r#"{"priority": "high", "n": 1}"#, "the body is passed as sent");
    assert_eq!(count(&mut world, "jobs"), (0, 0), "dropped messages are deleted");
    let shown = ok(&mut world, "lambda", "ListEventSourceMappings", json!({}));
    assert_eq!(
        shown["EventSourceMappings"][0]["FilterCriteria"],
        json!({"Filters": [{"Pattern": "{\"body\": {\"priority\": [\"high\"]}}"}]})
    );
}

fn error_of(world: &mut World, request: Value) -> (String, String) {
    let e = call(world, "lambda", "CreateEventSourceMapping", request).unwrap_err();
    (e.code, e.message)
}

#[test]
fn mappings_are_refused_as_lambda_refuses_them() {
    let mut world = World::default();
    let stream = orders(&mut world, 1, true);
    queues(&mut world);
    let f = "create-order-history";
    let check = |world: &mut World, request: Value, code: &str, message: &str| {
        assert_eq!(error_of(world, request.clone()), (code.to_string(), message.to_string()), "{request}");
    };
    check(
        &mut world,
        json!({"EventSourceArn": stream, "FunctionName": f}),
        "InvalidParameterValueException",
        "1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null.",
    );
    check(
        &mut world,
        json!({"EventSourceArn": stream, "FunctionName": f, "StartingPosition": "NEWEST"}),
        "ValidationException",
        "1 validation error detected: Value 'NEWEST' at 'startingPosition' failed to satisfy constraint: Member must satisfy enum value set: [LATEST, AT_TIMESTAMP, TRIM_HORIZON]",
    );
    check(
        &mut world,
        json!({"EventSourceArn": stream, "FunctionName": f, "StartingPosition": "AT_TIMESTAMP", "StartingPositionTimestamp": 1}),
        "InvalidParameterValueException",
        &format!("Unsupported starting position for arn type: {stream}"),
    );
    check(&mut world, json!({"FunctionName": f}), "InvalidParameterValueException", "Unrecognized event source.");
    check(
        &mut world,
        json!({"EventSourceArn": stream, "FunctionName": "nope", "StartingPosition": "LATEST"}),
        "InvalidParameterValueException",
        "Function does not exist",
    );
    let missing = format!("arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/Missing/stream/2025-01-01T00:00:00.000");
    check(
        &mut world,
        json!({"EventSourceArn": missing, "FunctionName": f, "StartingPosition": "LATEST"}),
        "InvalidParameterValueException",
        &format!("Stream not found: {missing}"),
    );
    check(
        &mut world,
        json!({"EventSourceArn": queue_arn("nope"), "FunctionName": "work"}),
        "InvalidParameterValueException",
        "Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: The specified queue does not exist.",
    );
    check(
        &mut world,
        json!({"EventSourceArn": queue_arn("jobs"), "FunctionName": "work", "BatchSize": 11}),
        "InvalidParameterValueException",
        "Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10",
    );
    check(
        &mut world,
        json!({"EventSourceArn": stream, "FunctionName": f, "StartingPosition": "LATEST", "BatchSize": 10001}),
        "ValidationException",
        "1 validation error detected: Value '10001' at 'batchSize' failed to satisfy constraint: Member must have value less than or equal to 10000",
    );
    check(
        &mut world,
        json!({"EventSourceArn": queue_arn("jobs"), "FunctionName": "work", "FilterCriteria": {"Filters": [{"Pattern": "{\"body\": \"x\"}"}]}}),
        "InvalidParameterValueException",
        "Invalid filter pattern definition.",
    );
    // The queue's function may read it, the history function may not.
    check(
        &mut world,
        json!({"EventSourceArn": queue_arn("jobs"), "FunctionName": f}),
        "InvalidParameterValueException",
        "The provided execution role does not have permissions to call ReceiveMessage on SQS",
    );
    check(
        &mut world,
        json!({"EventSourceArn": stream, "FunctionName": "work", "StartingPosition": "LATEST"}),
        "InvalidParameterValueException",
        &format!("Cannot access stream {stream}. Please ensure the role can perform the GetRecords, GetShardIterator, DescribeStream, and ListStreams Actions on your stream in IAM."),
    );
    let first = ok(
        &mut world,
        "lambda",
        "CreateEventSourceMapping",
        json!({"EventSourceArn": stream, "FunctionName": f, "StartingPosition": "TRIM_HORIZON"}),
    );
    let uuid = first["UUID"].as_str().unwrap();
    check(
        &mut world,
        json!({"EventSourceArn": stream, "FunctionName": f, "StartingPosition": "LATEST"}),
        "ResourceConflictException",
        &format!("The event source arn (\" {stream} \") and function (\" {f} \") provided mapping already exists. Please update or delete the existing mapping with UUID {uuid}"),
    );
    // A mapping in a transitional state cannot be changed.
    let e = call(&mut world, "lambda", "UpdateEventSourceMapping", json!({"UUID": uuid, "BatchSize": 5})).unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        ("ResourceInUseException", "Cannot update the event source mapping because it is in use.")
    );
    let e =
        call(&mut world, "lambda", "GetEventSourceMapping", json!({"UUID": "00000000-0000-0000-0000-000000000000"}))
            .unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.message.as_str(), e.status),
        ("ResourceNotFoundException", "The resource you requested does not exist.", 404)
    );
    // Nothing a refused create asked for was made.
    let listed = ok(&mut world, "lambda", "ListEventSourceMappings", json!({}));
    assert_eq!(listed["EventSourceMappings"].as_array().unwrap().len(), 1);
}

#[test]
fn a_mapping_is_disabled_updated_and_deleted_on_the_clock() {
    let mut world = World::default();
    let stream = orders(&mut world, 2, true);
    let uuid = mapping(
        &mut world,
        json!({"EventSourceArn": stream, "FunctionName": "create-order-history", "StartingPosition": "TRIM_HORIZON"}),
    )["UUID"]
        .as_str()
        .unwrap()
        .to_string();
    let state =
        |world: &mut World| ok(world, "lambda", "GetEventSourceMapping", json!({"UUID": uuid}))["State"].clone();
    assert_eq!(state(&mut world), "Enabled");
    let disabling = ok(&mut world, "lambda", "UpdateEventSourceMapping", json!({"UUID": uuid, "Enabled": false}));
    assert_eq!(disabling["State"], "Disabling");
    world.advance(1).unwrap();
    assert_eq!(state(&mut world), "Disabled");
    update(&mut world, 1, "COMPLETE");
    world.advance(5).unwrap();
    assert!(history(&mut world).is_empty(), "a disabled mapping reads nothing");
    let enabling =
        ok(&mut world, "lambda", "UpdateEventSourceMapping", json!({"UUID": uuid, "Enabled": true, "BatchSize": 50}));
    assert_eq!((enabling["State"].clone(), enabling["BatchSize"].clone()), (json!("Enabling"), json!(50)));
    world.advance(2).unwrap();
    assert_eq!(state(&mut world), "Enabled");
    assert_eq!(history(&mut world), [("1".to_string(), "PLACED".to_string())], "it goes on where it stopped");
    let deleting = ok(&mut world, "lambda", "DeleteEventSourceMapping", json!({"UUID": uuid}));
    assert_eq!(deleting["State"], "Deleting");
    let e = call(&mut world, "lambda", "DeleteEventSourceMapping", json!({"UUID": uuid})).unwrap_err();
    assert_eq!(e.code, "ResourceInUseException");
    world.advance(1).unwrap();
    assert_eq!(
        call(&mut world, "lambda", "GetEventSourceMapping", json!({"UUID": uuid})).unwrap_err().code,
        "ResourceNotFoundException"
    );
    let created_disabled = ok(
        &mut world,
        "lambda",
        "CreateEventSourceMapping",
        json!({"EventSourceArn": stream, "FunctionName": "create-order-history", "StartingPosition": "LATEST", "Enabled": false}),
    );
    assert_eq!(created_disabled["State"], "Disabled");
}

#[test]
fn a_world_with_mappings_round_trips_through_json() {
    let mut world = World::default();
    let stream = orders(&mut world, 1, false);
    mapping(
        &mut world,
        json!({"EventSourceArn": stream, "FunctionName": "create-order-history", "StartingPosition": "LATEST", "MaximumRetryAttempts": 5}),
    );
    update(&mut world, 1, "COMPLETE");
    world.advance(1).unwrap();
    let saved = serde_json::to_string(&world).unwrap();
    let mut back: World = serde_json::from_str(&saved).unwrap();
    assert_eq!(back, world);
    // The reloaded world goes on retrying the blocked batch.
    back.advance(120).unwrap();
    assert_eq!(invocations(&back).len(), 6);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Every stream record reaches a healthy mapping's function exactly once, in order per item.
    #[test]
    fn every_record_reaches_a_healthy_function_once_and_in_order(
        steps in prop::collection::vec((1usize..=4, 0u8..3, 0u64..3), 1..25),
        batch in 1u64..6,
    ) {
        let mut world = World::default();
        let stream = orders(&mut world, 4, true);
        mapping(
            &mut world,
            json!({"EventSourceArn": stream, "FunctionName": "create-order-history", "StartingPosition": "LATEST", "BatchSize": batch}),
        );
        let mut written: Vec<(String, String)> = Vec::new();
        for (i, (id, status, wait)) in steps.iter().enumerate() {
            let status = format!("S{status}-{i}");
            update(&mut world, *id, &status);
            written.push((id.to_string(), status));
            world.advance(*wait).unwrap();
        }
        world.advance(5).unwrap();
        let seen: Vec<(String, String)> = invocations(&world)
            .into_iter()
            .flat_map(|(records, failed)| {
                assert!(!failed);
                assert!(records.len() as u64 <= batch);
                records
            })
            .map(|r| {
                (
                    r["dynamodb"]["Keys"]["id"]["S"].as_str().unwrap().to_string(),
                    r["dynamodb"]["NewImage"]["status"]["S"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        prop_assert_eq!(seen, written);
    }
}

#[test]
fn a_latest_mapping_on_a_quiet_stream_still_gets_what_comes_after_its_iterator_expires() {
    let mut world = World::default();
    let stream = orders(&mut world, 2, true);
    mapping(
        &mut world,
        json!({"EventSourceArn": stream, "FunctionName": "create-order-history", "StartingPosition": "LATEST"}),
    );
    // Twenty quiet minutes: the 15-minute iterator taken at creation has expired.
    world.advance(20 * 60).unwrap();
    update(&mut world, 1, "COMPLETE");
    world.advance(2).unwrap();
    assert_eq!(history(&mut world), [("1".to_string(), "PLACED".to_string())]);
    assert_eq!(invocations(&world).len(), 1, "the orders written before the mapping are not its");
}

#[test]
fn a_record_older_than_its_maximum_age_goes_to_the_destination_without_running() {
    let mut world = World::default();
    let stream = orders(&mut world, 1, true);
    let uuid = mapping(
        &mut world,
        json!({
            "EventSourceArn": stream, "FunctionName": "create-order-history", "StartingPosition": "LATEST",
            "Enabled": false, "MaximumRecordAgeInSeconds": 60,
            "DestinationConfig": {"OnFailure": {"Destination": queue_arn("orders-ddbs-dlq")}},
        }),
    )["UUID"]
        .as_str()
        .unwrap()
        .to_string();
    ok(&mut world, "lambda", "UpdateEventSourceMapping", json!({"UUID": uuid, "Enabled": true}));
    world.advance(2).unwrap();
    poison(&mut world, 1);
    world.advance(1).unwrap();
    assert_eq!(invocations(&world).len(), 1);
    // Disabled while the poisoned batch waits; enabled again two minutes later, it is too old.
    ok(&mut world, "lambda", "UpdateEventSourceMapping", json!({"UUID": uuid, "Enabled": false}));
    world.advance(120).unwrap();
    ok(&mut world, "lambda", "UpdateEventSourceMapping", json!({"UUID": uuid, "Enabled": true}));
    world.advance(5).unwrap();
    assert_eq!(invocations(&world).len(), 1, "the old batch is not run again");
    let dead = drain(&mut world, "orders-ddbs-dlq");
    assert_eq!(dead.len(), 1, "{dead:?}");
    assert_eq!(dead[0]["requestContext"]["condition"], "RecordAgeExceeded");
    assert!(dead[0].get("responseContext").is_none(), "{}", dead[0]);
}

#[test]
fn updating_a_disabled_mapping_does_not_start_it() {
    let mut world = World::default();
    let stream = orders(&mut world, 1, true);
    let uuid = mapping(
        &mut world,
        json!({"EventSourceArn": stream, "FunctionName": "create-order-history", "StartingPosition": "LATEST", "Enabled": false}),
    )["UUID"]
        .as_str()
        .unwrap()
        .to_string();
    let updating = ok(&mut world, "lambda", "UpdateEventSourceMapping", json!({"UUID": uuid, "BatchSize": 7}));
    assert_eq!(
        (updating["State"].clone(), updating["StateTransitionReason"].clone()),
        (json!("Updating"), json!("User action"))
    );
    update(&mut world, 1, "COMPLETE");
    world.advance(5).unwrap();
    assert!(invocations(&world).is_empty());
    let got = ok(&mut world, "lambda", "GetEventSourceMapping", json!({"UUID": uuid}));
    assert_eq!(got["State"], "Disabled");
}

#[test]
fn a_mapping_goes_on_by_itself_once_its_role_may_read_again() {
    let mut world = World::default();
    let stream = orders(&mut world, 1, true);
    let uuid = mapping(
        &mut world,
        json!({"EventSourceArn": stream, "FunctionName": "create-order-history", "StartingPosition": "LATEST"}),
    )["UUID"]
        .as_str()
        .unwrap()
        .to_string();
    let role = "create-order-history-role";
    let policy = ok(&mut world, "iam", "GetRolePolicy", json!({"RoleName": role, "PolicyName": "mapping"}));
    ok(&mut world, "iam", "DeleteRolePolicy", json!({"RoleName": role, "PolicyName": "mapping"}));
    update(&mut world, 1, "COMPLETE");
    world.advance(2).unwrap();
    let got = ok(&mut world, "lambda", "GetEventSourceMapping", json!({"UUID": uuid}));
    assert!(got["LastProcessingResult"].as_str().unwrap().starts_with("PROBLEM: User: "), "{got}");
    let document = lab_core::wire::url_decode(policy["PolicyDocument"].as_str().unwrap());
    ok(
        &mut world,
        "iam",
        "PutRolePolicy",
        json!({"RoleName": role, "PolicyName": "mapping", "PolicyDocument": document}),
    );
    // No new write: the poller tries again within a minute.
    world.advance(60).unwrap();
    assert_eq!(history(&mut world), [("1".to_string(), "PLACED".to_string())]);
}

#[test]
fn a_queue_that_gives_a_failed_message_straight_back_does_not_stop_the_clock() {
    let mut world = World::default();
    ok(&mut world, "sqs", "CreateQueue", json!({"QueueName": "hot", "Attributes": {"VisibilityTimeout": "0"}}));
    let read = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"];
    function(
        &mut world,
        "fails",
        "export const handler = async () => { throw new Error('no'); };",
        json!([allow(&read, &queue_arn("hot"))]),
    );
    world.advance(2).unwrap();
    mapping(&mut world, json!({"EventSourceArn": queue_arn("hot"), "FunctionName": "fails", "BatchSize": 1}));
    ok(&mut world, "sqs", "SendMessage", json!({"QueueUrl": queue_url("hot"), "MessageBody": "again"}));
    world.advance(1).unwrap();
    let runs = invocations(&world);
    assert!(
        runs.len() > 1 && runs.len() <= 60,
        "redelivered as it becomes visible, not forever at one instant: {}",
        runs.len()
    );
    assert!(runs.iter().all(|(records, failed)| *failed && records.len() == 1));
}
