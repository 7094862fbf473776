//! Lambda through the wire entry point: functions created from real zips, run as their role.
//! Each test builds a world with `setup`, then reads answers through `call`.

use lab_core::lambda::package;
use lab_core::observed::Event;
use lab_core::wire::{decode_base64, encode_base64};
use lab_core::World;
use serde_json::{json, Value};

const ACCOUNT: &str = "123456789012";

const TRUST_LAMBDA: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;

fn zip(files: &[(&str, &str)]) -> String {
    encode_base64(&package::write(files, true))
}

fn role_arn(name: &str) -> String {
    format!("arn:aws:iam::{ACCOUNT}:role/{name}")
}

/// `service Action` with `request`: the answer as `ok {...}` or `Code: message`.
fn call(world: &mut World, service: &str, action: &str, request: Value) -> Result<Value, String> {
    world.call(service, action, &request).map_err(|e| format!("{}: {}", e.code, e.message))
}

/// A role Lambda may assume, with the managed policies `attached`.
fn role(world: &mut World, name: &str, attached: &[&str]) {
    call(world, "iam", "CreateRole", json!({"RoleName": name, "AssumeRolePolicyDocument": TRUST_LAMBDA})).unwrap();
    for policy in attached {
        let arn = format!("arn:aws:iam::aws:policy/{policy}");
        call(world, "iam", "AttachRolePolicy", json!({"RoleName": name, "PolicyArn": arn})).unwrap();
    }
}

/// A Node.js 22 function `name` with `code` as index.mjs, Active.
fn function(world: &mut World, name: &str, role: &str, code: &str) -> Value {
    let created = create(world, name, role, &[("index.mjs", code)], json!({})).unwrap();
    world.advance(2).unwrap();
    created
}

fn create(world: &mut World, name: &str, role: &str, files: &[(&str, &str)], extra: Value) -> Result<Value, String> {
    let mut request = json!({
        "FunctionName": name, "Runtime": "nodejs22.x", "Role": role_arn(role), "Handler": "index.handler",
        "Code": {"ZipFile": zip(files)},
    });
    for (k, v) in extra.as_object().unwrap() {
        request[k] = v.clone();
    }
    call(world, "lambda", "CreateFunction", request)
}

fn invoke(world: &mut World, name: &str, payload: Value) -> Value {
    call(world, "lambda", "Invoke", json!({"FunctionName": name, "Payload": payload.to_string(), "LogType": "Tail"}))
        .unwrap()
}

/// Every logged call of `action`: who made it, and the request that caused it.
fn calls(world: &World, action: &str) -> Vec<(String, Option<String>)> {
    world
        .observed()
        .events()
        .filter_map(|e| match &e.event {
            Event::Call { action: a, caller, cause, .. } if a == action => Some((caller.label(), cause.clone())),
            _ => None,
        })
        .collect()
}

fn payload(answer: &Value) -> Value {
    serde_json::from_str(answer["Payload"].as_str().unwrap()).unwrap()
}

fn tail(answer: &Value) -> String {
    String::from_utf8(decode_base64(answer["LogResult"].as_str().unwrap()).unwrap()).unwrap()
}

#[test]
fn a_function_is_created_pending_then_active_and_answers_its_configuration() {
    let mut world = World::default();
    role(&mut world, "echo-role", &["service-role/AWSLambdaBasicExecutionRole"]);
    let created = create(
        &mut world,
        "echo",
        "echo-role",
        &[("index.mjs", "export const handler = async (e) => e;")],
        json!({"Timeout": 5, "Environment": {"Variables": {"TABLE": "Orders"}}}),
    )
    .unwrap();
    assert_eq!(created["State"], "Pending");
    assert_eq!(created["StateReasonCode"], "Creating");
    assert_eq!(created["FunctionArn"], format!("arn:aws:lambda:ap-southeast-1:{ACCOUNT}:function:echo"));
    assert_eq!(created["Timeout"], 5);
    assert_eq!(created["MemorySize"], 128);
    assert_eq!(created["Environment"], json!({"Variables": {"TABLE": "Orders"}}));
    assert_eq!(created["CodeSha256"].as_str().unwrap().len(), 44);
    assert!(created["LastModified"].as_str().unwrap().ends_with("+0000"));
    let early = call(&mut world, "lambda", "Invoke", json!({"FunctionName": "echo"})).unwrap_err();
    assert_eq!(early, "ResourceConflictException: The operation cannot be performed at this time. The function is currently in the following state: Pending");
    world.advance(2).unwrap();
    let got = call(&mut world, "lambda", "GetFunction", json!({"FunctionName": "echo"})).unwrap();
    assert_eq!(got["Configuration"]["State"], "Active");
    let listed = call(&mut world, "lambda", "ListFunctions", json!({})).unwrap();
    assert_eq!(listed["Functions"].as_array().unwrap().len(), 1);
    let again = create(&mut world, "echo", "echo-role", &[("index.mjs", "")], json!({})).unwrap_err();
    assert_eq!(again, "ResourceConflictException: Function already exist: echo");
    call(&mut world, "lambda", "DeleteFunction", json!({"FunctionName": "echo"})).unwrap();
    let gone = call(&mut world, "lambda", "GetFunction", json!({"FunctionName": "echo"})).unwrap_err();
    assert_eq!(
        gone,
        format!("ResourceNotFoundException: Function not found: arn:aws:lambda:ap-southeast-1:{ACCOUNT}:function:echo")
    );
}

#[test]
fn the_role_must_exist_and_trust_lambda() {
    let mut world = World::default();
    let missing = create(&mut world, "f", "nobody", &[("index.mjs", "")], json!({})).unwrap_err();
    assert_eq!(
        missing,
        "InvalidParameterValueException: The role defined for the function cannot be assumed by Lambda."
    );
    let trust_ec2 = TRUST_LAMBDA.replace("lambda.amazonaws.com", "ec2.amazonaws.com");
    call(&mut world, "iam", "CreateRole", json!({"RoleName": "ec2-role", "AssumeRolePolicyDocument": trust_ec2}))
        .unwrap();
    let untrusted = create(&mut world, "f", "ec2-role", &[("index.mjs", "")], json!({})).unwrap_err();
    assert_eq!(
        untrusted,
        "InvalidParameterValueException: The role defined for the function cannot be assumed by Lambda."
    );
    assert!(call(&mut world, "lambda", "ListFunctions", json!({})).unwrap()["Functions"]
        .as_array()
        .unwrap()
        .is_empty());
}

#[test]
fn requests_lambda_refuses() {
    let mut world = World::default();
    role(&mut world, "r", &[]);
    let cases: Vec<(Value, &str)> = vec![
        (json!({"Runtime": "nodejs12.x"}), "InvalidParameterValueException: The runtime parameter of nodejs12.x is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions."),
        (json!({"Timeout": 0}), "ValidationException: 1 validation error detected: Value '0' at 'timeout' failed to satisfy constraint: Member must have value greater than or equal to 1"),
        (json!({"Timeout": 901}), "ValidationException: 1 validation error detected: Value '901' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900"),
        (json!({"MemorySize": 64}), "ValidationException: 1 validation error detected: Value '64' at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128"),
        (json!({"Environment": {"Variables": {"AWS_REGION": "x"}}}), "InvalidParameterValueException: Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: AWS_REGION"),
        (json!({"Code": {"ZipFile": encode_base64(b"not a zip")}}), "InvalidParameterValueException: Could not unzip uploaded file. Please check your file, then try to upload again."),
        (json!({"FunctionName": "bad name"}), "ValidationException: 1 validation error detected: Value 'bad name' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern"),
        (json!({"Role": "admin"}), "ValidationException: 1 validation error detected: Value 'admin' at 'role' failed to satisfy constraint: Member must satisfy regular expression pattern"),
    ];
    for (extra, expect) in cases {
        let got = create(&mut world, "f", "r", &[("index.mjs", "")], extra.clone()).unwrap_err();
        assert!(got.starts_with(expect), "{extra}\n got: {got}\nwant: {expect}");
    }
    let big = "x".repeat(4100);
    let got = create(&mut world, "f", "r", &[("index.mjs", "")], json!({"Environment": {"Variables": {"BIG": big}}}))
        .unwrap_err();
    assert!(got.starts_with("InvalidParameterValueException: Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit."), "{got}");
}

#[test]
fn invoke_runs_the_handler_warm_after_cold_and_tails_its_log() {
    let mut world = World::default();
    role(&mut world, "echo-role", &["service-role/AWSLambdaBasicExecutionRole"]);
    function(&mut world, "echo", "echo-role", "let n = 0;\nexport const handler = async (event, context) => { n++; console.log('event', event); return { n, got: event, fn: context.functionName, region: process.env.AWS_REGION }; };");
    let first = invoke(&mut world, "echo", json!({"hello": "world"}));
    assert_eq!(first["StatusCode"], 200);
    assert_eq!(first["ExecutedVersion"], "$LATEST");
    assert!(first.get("FunctionError").is_none());
    assert_eq!(payload(&first), json!({"n": 1, "got": {"hello": "world"}, "fn": "echo", "region": "ap-southeast-1"}));
    let log = tail(&first);
    assert!(log.starts_with("START RequestId: "), "{log}");
    assert!(log.contains("\tINFO\tevent { hello: 'world' }\n"), "{log}");
    assert!(log.contains("\nEND RequestId: "), "{log}");
    assert!(log.contains("REPORT RequestId: ") && log.contains("Init Duration: "), "{log}");
    let second = invoke(&mut world, "echo", json!({}));
    assert_eq!(payload(&second)["n"], 2, "the environment stayed warm");
    assert!(!tail(&second).contains("Init Duration"));
    // A reloaded world starts cold: module state is gone.
    let saved = serde_json::to_string(&world).unwrap();
    let mut reloaded: World = serde_json::from_str(&saved).unwrap();
    assert_eq!(payload(&invoke(&mut reloaded, "echo", json!({})))["n"], 1);
    // New code retires the environment.
    let code = zip(&[("index.mjs", "export const handler = async () => 'v2';")]);
    call(&mut world, "lambda", "UpdateFunctionCode", json!({"FunctionName": "echo", "ZipFile": code})).unwrap();
    world.advance(2).unwrap();
    assert_eq!(payload(&invoke(&mut world, "echo", json!({}))), json!("v2"));
}

#[test]
fn errors_timeouts_dry_runs_and_bad_payloads() {
    let mut world = World::default();
    role(&mut world, "r", &["service-role/AWSLambdaBasicExecutionRole"]);
    function(&mut world, "thrower", "r", "export const handler = async () => { throw new Error('Order has no id'); };");
    let failed = invoke(&mut world, "thrower", json!({}));
    assert_eq!(failed["FunctionError"], "Unhandled");
    assert_eq!(payload(&failed)["errorType"], "Error");
    assert_eq!(payload(&failed)["errorMessage"], "Order has no id");

    create(
        &mut world,
        "spin",
        "r",
        &[("index.mjs", "export const handler = async () => { while (true) {} };")],
        json!({"Timeout": 1}),
    )
    .unwrap();
    world.advance(2).unwrap();
    let spun = invoke(&mut world, "spin", json!({}));
    assert_eq!(spun["FunctionError"], "Unhandled");
    let message = payload(&spun)["errorMessage"].as_str().unwrap().to_string();
    assert!(message.ends_with("Task timed out after 1.00 seconds"), "{message}");
    assert!(tail(&spun).contains("Task timed out after 1.00 seconds"));
    // The world goes on: the same function answers the next call (in a fresh environment).
    assert_eq!(invoke(&mut world, "spin", json!({}))["FunctionError"], "Unhandled");

    let dry =
        call(&mut world, "lambda", "Invoke", json!({"FunctionName": "thrower", "InvocationType": "DryRun"})).unwrap();
    assert_eq!(dry, json!({"StatusCode": 204}));
    let bad =
        call(&mut world, "lambda", "Invoke", json!({"FunctionName": "thrower", "Payload": "{not json"})).unwrap_err();
    assert!(
        bad.starts_with(
            "InvalidRequestContentException: Could not parse request body into json: Could not parse payload into json"
        ),
        "{bad}"
    );
}

#[test]
fn an_event_invocation_is_accepted_and_run_by_lambda_itself() {
    let mut world = World::default();
    role(&mut world, "r", &[]);
    function(&mut world, "async", "r", "export const handler = async (e) => e;");
    let accepted = call(
        &mut world,
        "lambda",
        "Invoke",
        json!({"FunctionName": "async", "InvocationType": "Event", "Payload": "{\"a\":1}"}),
    )
    .unwrap();
    assert_eq!(accepted, json!({"StatusCode": 202}));
    let invokes: Vec<String> = calls(&world, "Invoke").into_iter().map(|(who, _)| who).collect();
    assert_eq!(invokes, ["you", "lambda.amazonaws.com"]);
}

#[test]
fn a_handler_calls_dynamodb_as_its_role_and_iam_decides() {
    let mut world = World::default();
    call(
        &mut world,
        "dynamodb",
        "CreateTable",
        json!({
            "TableName": "Orders", "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
        }),
    )
    .unwrap();
    world.advance(5).unwrap();
    let code = "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nimport { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';\nconst doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));\nexport const handler = async (event) => { await doc.send(new PutCommand({ TableName: 'Orders', Item: { id: event.id, total: 42 } })); return 'saved'; };";
    role(&mut world, "writer", &["service-role/AWSLambdaBasicExecutionRole", "AmazonDynamoDBFullAccess"]);
    role(&mut world, "logger", &["service-role/AWSLambdaBasicExecutionRole"]);
    function(&mut world, "save", "writer", code);
    function(&mut world, "cannot", "logger", code);

    assert_eq!(payload(&invoke(&mut world, "save", json!({"id": "o-1"}))), json!("saved"));
    let item =
        call(&mut world, "dynamodb", "GetItem", json!({"TableName": "Orders", "Key": {"id": {"S": "o-1"}}})).unwrap();
    assert_eq!(item["Item"], json!({"id": {"S": "o-1"}, "total": {"N": "42"}}));
    let puts = calls(&world, "PutItem");
    assert_eq!(puts[0].0, format!("arn:aws:iam::{ACCOUNT}:role/writer/save"));
    assert!(puts[0].1.is_some(), "the PutItem is tied to the Invoke that made it");

    let refused = invoke(&mut world, "cannot", json!({"id": "o-2"}));
    assert_eq!(refused["FunctionError"], "Unhandled");
    assert_eq!(payload(&refused)["errorType"], "AccessDeniedException");
    assert_eq!(
        payload(&refused)["errorMessage"],
        format!("User: arn:aws:sts::{ACCOUNT}:assumed-role/logger/cannot is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:ap-southeast-1:{ACCOUNT}:table/Orders because no identity-based policy allows the dynamodb:PutItem action")
    );
}

#[test]
fn logs_appear_only_when_the_role_allows_them() {
    let mut world = World::default();
    role(&mut world, "bare", &[]);
    function(
        &mut world,
        "quiet",
        "bare",
        "export const handler = async () => { console.log('order saved'); return 1; };",
    );
    invoke(&mut world, "quiet", json!({}));
    let groups = call(&mut world, "logs", "DescribeLogGroups", json!({})).unwrap();
    assert_eq!(groups["logGroups"], json!([]), "the classic mistake: no logs without the permissions");
    let refused: Vec<String> = calls(&world, "CreateLogGroup").into_iter().map(|(who, _)| who).collect();
    assert_eq!(refused, [format!("arn:aws:iam::{ACCOUNT}:role/bare/quiet")]);

    let basic = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";
    call(&mut world, "iam", "AttachRolePolicy", json!({"RoleName": "bare", "PolicyArn": basic})).unwrap();
    invoke(&mut world, "quiet", json!({}));
    let found = call(
        &mut world,
        "logs",
        "FilterLogEvents",
        json!({"logGroupName": "/aws/lambda/quiet", "filterPattern": "\"order saved\""}),
    )
    .unwrap();
    let messages: Vec<&str> =
        found["events"].as_array().unwrap().iter().map(|e| e["message"].as_str().unwrap()).collect();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(messages[0].contains("\tINFO\torder saved"), "{messages:?}");
    let streams = call(&mut world, "logs", "DescribeLogStreams", json!({"logGroupName": "/aws/lambda/quiet"})).unwrap();
    let name = streams["logStreams"][0]["logStreamName"].as_str().unwrap();
    assert!(name.starts_with("2025/01/01/[$LATEST]") && name.len() == "2025/01/01/[$LATEST]".len() + 32, "{name}");
}

#[test]
fn a_handler_invoking_another_function_needs_lambda_invoke_function() {
    let mut world = World::default();
    role(&mut world, "caller", &["service-role/AWSLambdaBasicExecutionRole"]);
    role(&mut world, "callee", &["service-role/AWSLambdaBasicExecutionRole"]);
    function(&mut world, "inner", "callee", "export const handler = async (e) => ({ doubled: e.n * 2 });");
    let code = "import { LambdaClient, InvokeCommand } from '@aws-sdk/client-lambda';\nconst lambda = new LambdaClient({});\nexport const handler = async (e) => { const out = await lambda.send(new InvokeCommand({ FunctionName: 'inner', Payload: JSON.stringify({ n: e.n }) })); return JSON.parse(new TextDecoder().decode(out.Payload)); };";
    function(&mut world, "outer", "caller", code);

    let refused = invoke(&mut world, "outer", json!({"n": 21}));
    assert_eq!(payload(&refused)["errorType"], "AccessDeniedException", "{refused}");
    let message = payload(&refused)["errorMessage"].as_str().unwrap().to_string();
    assert!(
        message
            .contains("lambda:InvokeFunction on resource: arn:aws:lambda:ap-southeast-1:123456789012:function:inner"),
        "{message}"
    );

    let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:*:*:function:inner"}]}"#;
    call(
        &mut world,
        "iam",
        "PutRolePolicy",
        json!({"RoleName": "caller", "PolicyName": "invoke", "PolicyDocument": policy}),
    )
    .unwrap();
    let answered = invoke(&mut world, "outer", json!({"n": 21}));
    assert_eq!(payload(&answered), json!({"doubled": 42}), "{answered}");
}
