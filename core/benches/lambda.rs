//! Lambda invocations through the wire entry point: a small handler cold (a fresh world, so a
//! new execution environment each time) and warm, and a handler that makes 10 DynamoDB PutItem
//! calls through `@aws-sdk/lib-dynamodb`.
//!
//! `cargo bench -p lab-core --bench lambda` prints criterion's figures, then invocations per
//! second for each case.

use criterion::{black_box, Criterion};
use lab_core::lambda::package;
use lab_core::wire::encode_base64;
use lab_core::World;
use serde_json::{json, Value};
use std::time::Instant;

const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;

const ECHO: &str = "export const handler = async (event) => ({ statusCode: 200, body: JSON.stringify(event) });";

const TEN_PUTS: &str = "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
let n = 0;
export const handler = async () => {
  for (let i = 0; i < 10; i++) {
    n++;
    await doc.send(new PutCommand({ TableName: 'Orders', Item: { id: 'o-' + n, total: n * 3, status: 'NEW' } }));
  }
  return n;
};";

fn call(world: &mut World, service: &str, action: &str, request: Value) -> Value {
    world.call(service, action, &request).unwrap_or_else(|e| panic!("{service} {action}: {e}"))
}

/// A world with an Orders table and the function `f` (Active) running `code` as a role that may
/// write to DynamoDB and to its logs.
fn world_with(code: &str) -> World {
    let mut world = World::default();
    call(&mut world, "iam", "CreateRole", json!({"RoleName": "r", "AssumeRolePolicyDocument": TRUST}));
    for policy in ["service-role/AWSLambdaBasicExecutionRole", "AmazonDynamoDBFullAccess"] {
        let arn = format!("arn:aws:iam::aws:policy/{policy}");
        call(&mut world, "iam", "AttachRolePolicy", json!({"RoleName": "r", "PolicyArn": arn}));
    }
    call(
        &mut world,
        "dynamodb",
        "CreateTable",
        json!({
            "TableName": "Orders", "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
        }),
    );
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
    world
}

fn invoke(world: &mut World) -> Value {
    let answer = call(world, "lambda", "Invoke", json!({"FunctionName": "f", "Payload": "{\"id\":1}"}));
    assert!(answer.get("FunctionError").is_none(), "{answer}");
    answer
}

/// Invocations per second of `run` over about a second.
fn rate(mut run: impl FnMut()) -> f64 {
    let start = Instant::now();
    let mut n = 0u32;
    while start.elapsed().as_millis() < 1000 {
        run();
        n += 1;
    }
    f64::from(n) / start.elapsed().as_secs_f64()
}

fn main() {
    let mut c = Criterion::default().configure_from_args().sample_size(20);
    let ready = world_with(ECHO);
    c.bench_function("invoke cold (echo)", |b| {
        b.iter_batched(|| ready.clone(), |mut w| black_box(invoke(&mut w)), criterion::BatchSize::SmallInput)
    });
    let mut warm = world_with(ECHO);
    invoke(&mut warm);
    c.bench_function("invoke warm (echo)", |b| b.iter(|| black_box(invoke(&mut warm))));
    let mut puts = world_with(TEN_PUTS);
    invoke(&mut puts);
    c.bench_function("invoke warm (10 PutItem via lib-dynamodb)", |b| b.iter(|| black_box(invoke(&mut puts))));
    c.final_summary();

    // A clone of a world holds no environments, so each of these invocations starts cold.
    let cold = rate(|| {
        let mut w = ready.clone();
        invoke(&mut w);
    });
    let warm_rate = rate(|| {
        invoke(&mut warm);
    });
    let puts_rate = rate(|| {
        invoke(&mut puts);
    });
    println!("\nLambda invocations per second (native, one thread):");
    println!("  cold, echo handler:                    {cold:>8.1}");
    println!("  warm, echo handler:                    {warm_rate:>8.1}");
    println!("  warm, 10 PutItem through lib-dynamodb: {puts_rate:>8.1}");
}
