//! Stream records through an event source mapping: 10,000 order updates through DynamoDB
//! Streams → a mapping with batch size 10 → the history handler (one PutItem per record) →
//! OrdersHistory, and records through a mapping to a handler that does nothing.
//!
//! `cargo bench -p lab-core --bench mappings` prints, for each case, how long the updates took,
//! how long the clock move that delivers them took, records per second, and the process's
//! resident memory at its peak.

use lab_core::lambda::package;
use lab_core::wire::encode_base64;
use lab_core::World;
use serde_json::{json, Value};
use std::time::Instant;

const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;

const HISTORY: &str = "import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
const client = new DynamoDBClient({});
export const handler = async (event) => {
  for (const r of event.Records) {
    if (r.eventName !== 'MODIFY') continue;
    const old = r.dynamodb.OldImage;
    await client.send(new PutItemCommand({ TableName: 'OrdersHistory', Item: { ...old, pk: old.id, sk: { S: r.dynamodb.SequenceNumber } } }));
  }
};";

const NOTHING: &str = "export const handler = async (event) => event.Records.length;";

fn call(world: &mut World, service: &str, action: &str, request: Value) -> Value {
    world.call(service, action, &request).unwrap_or_else(|e| panic!("{service} {action}: {e}"))
}

fn table(world: &mut World, name: &str, keys: &[&str], stream: bool) {
    let mut request = json!({
        "TableName": name, "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": keys.iter().map(|k| json!({"AttributeName": k, "AttributeType": "S"})).collect::<Vec<_>>(),
        "KeySchema": keys.iter().enumerate().map(|(i, k)| json!({"AttributeName": k, "KeyType": if i == 0 { "HASH" } else { "RANGE" }})).collect::<Vec<_>>(),
    });
    if stream {
        request["StreamSpecification"] = json!({"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"});
    }
    call(world, "dynamodb", "CreateTable", request);
}

/// Orders with `orders` items, OrdersHistory, and a mapping (batch size 10) to `code`.
fn world_with(code: &str, orders: usize) -> World {
    let mut world = World::default();
    call(&mut world, "iam", "CreateRole", json!({"RoleName": "r", "AssumeRolePolicyDocument": TRUST}));
    for policy in ["service-role/AWSLambdaBasicExecutionRole", "AmazonDynamoDBFullAccess"] {
        let arn = format!("arn:aws:iam::aws:policy/{policy}");
        call(&mut world, "iam", "AttachRolePolicy", json!({"RoleName": "r", "PolicyArn": arn}));
    }
    table(&mut world, "Orders", &["id"], true);
    table(&mut world, "OrdersHistory", &["pk", "sk"], false);
    world.advance(10).unwrap();
    for i in 0..orders {
        let item = json!({"id": {"S": i.to_string()}, "status": {"S": "PLACED"}, "total": {"N": "42"}});
        call(&mut world, "dynamodb", "PutItem", json!({"TableName": "Orders", "Item": item}));
    }
    let zip = encode_base64(&package::write(&[("index.mjs", code)], true));
    call(
        &mut world,
        "lambda",
        "CreateFunction",
        json!({
            "FunctionName": "f", "Runtime": "nodejs22.x", "Role": "arn:aws:iam::123456789012:role/r",
            "Handler": "index.handler", "Code": {"ZipFile": zip},
        }),
    );
    world.advance(5).unwrap();
    let stream = call(&mut world, "dynamodb", "DescribeTable", json!({"TableName": "Orders"}))["Table"]
        ["LatestStreamArn"]
        .clone();
    call(
        &mut world,
        "lambda",
        "CreateEventSourceMapping",
        json!({"EventSourceArn": stream, "FunctionName": "f", "StartingPosition": "LATEST", "BatchSize": 10}),
    );
    world.advance(2).unwrap();
    world
}

/// How many items `table` holds, page by page.
fn count(world: &mut World, table: &str) -> u64 {
    let mut request = json!({"TableName": table, "Select": "COUNT"});
    let mut total = 0;
    loop {
        let page = world.call("dynamodb", "Scan", &request).unwrap();
        total += page["Count"].as_u64().unwrap_or(0);
        match page.get("LastEvaluatedKey") {
            Some(key) => request["ExclusiveStartKey"] = key.clone(),
            None => return total,
        }
    }
}

/// The peak resident memory of this process so far, in MB (Linux).
fn peak_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb: f64 = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0.0);
    kb / 1024.0
}

fn run(label: &str, code: &str, updates: usize) {
    let orders = 1000;
    let mut world = world_with(code, orders);
    let start = Instant::now();
    for i in 0..updates {
        let key = json!({"id": {"S": (i % orders).to_string()}});
        call(
            &mut world,
            "dynamodb",
            "UpdateItem",
            json!({"TableName": "Orders", "Key": key, "UpdateExpression": "SET #s = :s",
                   "ExpressionAttributeNames": {"#s": "status"}, "ExpressionAttributeValues": {":s": {"S": format!("S{i}")}}}),
        );
    }
    let written = start.elapsed();
    let start = Instant::now();
    let report = world.advance(60).unwrap();
    let delivered = start.elapsed();
    let kept = if code == HISTORY { count(&mut world, "OrdersHistory") } else { updates as u64 };
    assert_eq!(kept, updates as u64, "every update reached the history table");
    let total = written + delivered;
    println!(
        "{label:<52} {updates:>6} updates in {:>7.1} ms, delivered in {:>7.1} ms ({} jobs), {:>7.0} records/s through the mapping, {:>7.1} ms end to end, peak RSS {:>6.1} MB",
        written.as_secs_f64() * 1000.0,
        delivered.as_secs_f64() * 1000.0,
        report.jobs_run,
        updates as f64 / delivered.as_secs_f64(),
        total.as_secs_f64() * 1000.0,
        peak_mb()
    );
}

fn main() {
    println!("Event source mappings, natively, one thread (batch size 10):");
    run("Streams -> mapping -> handler doing nothing", NOTHING, 2_000);
    run("Streams -> mapping -> history handler -> OrdersHistory", HISTORY, 10_000);
}
