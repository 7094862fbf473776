//! The Node.js runtime's globals and bounds through the world: a handler reading a secret through
//! the Parameters and Secrets extension (as its role, judged by IAM, logged with the invocation),
//! fetch reaching nothing else, an allocation bomb ending with Lambda's out-of-memory outcome, and
//! the init phase's duration.

use lab_core::lambda::package;
use lab_core::observed::Event;
use lab_core::wire::{decode_base64, encode_base64};
use lab_core::World;
use serde_json::{json, Value};

const ACCOUNT: &str = "123456789012";

const TRUST_LAMBDA: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;

fn call(world: &mut World, service: &str, action: &str, request: Value) -> Result<Value, String> {
    world.call(service, action, &request).map_err(|e| format!("{}: {}", e.code, e.message))
}

/// A role Lambda may assume, with the basic execution policy and `inline` statements if any.
fn role(world: &mut World, name: &str, inline: Option<Value>) {
    call(world, "iam", "CreateRole", json!({"RoleName": name, "AssumeRolePolicyDocument": TRUST_LAMBDA})).unwrap();
    let basic = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";
    call(world, "iam", "AttachRolePolicy", json!({"RoleName": name, "PolicyArn": basic})).unwrap();
    if let Some(statement) = inline {
        let document = json!({"Version": "2012-10-17", "Statement": [statement]}).to_string();
        call(world, "iam", "PutRolePolicy", json!({"RoleName": name, "PolicyName": "app", "PolicyDocument": document}))
            .unwrap();
    }
}

/// A Node.js 22 function with `code` as index.mjs, Active.
fn function(world: &mut World, name: &str, role: &str, code: &str, extra: Value) {
    let mut request = json!({
        "FunctionName": name, "Runtime": "nodejs22.x", "Role": format!("arn:aws:iam::{ACCOUNT}:role/{role}"),
        "Handler": "index.handler", "Code": {"ZipFile": encode_base64(&package::write(&[("index.mjs", code)], true))},
    });
    for (k, v) in extra.as_object().unwrap() {
        request[k] = v.clone();
    }
    call(world, "lambda", "CreateFunction", request).unwrap();
    world.advance(2).unwrap();
}

fn invoke(world: &mut World, name: &str, payload: Value) -> Value {
    call(world, "lambda", "Invoke", json!({"FunctionName": name, "Payload": payload.to_string(), "LogType": "Tail"}))
        .unwrap()
}

fn payload(answer: &Value) -> Value {
    serde_json::from_str(answer["Payload"].as_str().unwrap()).unwrap()
}

fn tail(answer: &Value) -> String {
    String::from_utf8(decode_base64(answer["LogResult"].as_str().unwrap()).unwrap()).unwrap()
}

/// Every logged call of `action`: who made it, whether it was an error, and whether an Invoke caused it.
fn calls(world: &World, action: &str) -> Vec<(String, bool)> {
    world
        .observed()
        .events()
        .filter_map(|e| match &e.event {
            Event::Call { action: a, caller, cause, .. } if a == action => Some((caller.label(), cause.is_some())),
            _ => None,
        })
        .collect()
}

const READ_SECRET: &str = r#"const token = { 'X-Aws-Parameters-Secrets-Token': process.env.AWS_SESSION_TOKEN };
export const handler = async (event) => {
  const url = 'http://localhost:2773/secretsmanager/get?secretId=' + encodeURIComponent('orders/payment-api-key');
  const res = await fetch(url, { headers: event.noToken ? {} : token });
  if (!res.ok) return { status: res.status, body: await res.text() };
  const secret = await res.json();
  console.log('read', secret.Name, 'version', secret.VersionStages);
  return { status: res.status, key: JSON.parse(secret.SecretString).apiKey, name: secret.Name, stages: secret.VersionStages, meta: secret.ResultMetadata };
};"#;

fn secret_world() -> (World, String) {
    let mut world = World::default();
    let created = call(
        &mut world,
        "secretsmanager",
        "CreateSecret",
        json!({"Name": "orders/payment-api-key", "SecretString": "{\"apiKey\":\"sk-live-1\"}"}),
    )
    .unwrap();
    let arn = created["ARN"].as_str().unwrap().to_string();
    role(
        &mut world,
        "reader",
        Some(json!({"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": arn})),
    );
    role(&mut world, "plain", None);
    let layers = json!({"Layers": [EXTENSION_LAYER]});
    function(&mut world, "pay", "reader", READ_SECRET, layers.clone());
    function(&mut world, "nopolicy", "plain", READ_SECRET, layers);
    function(&mut world, "nolayer", "reader", READ_SECRET, json!({}));
    (world, arn)
}

/// AWS's Parameters and Secrets extension layer as its documentation lists it for Singapore.
const EXTENSION_LAYER: &str =
    "arn:aws:lambda:ap-southeast-1:044395824272:layer:AWS-Parameters-and-Secrets-Lambda-Extension:12";

#[test]
fn without_its_layer_nothing_listens_on_the_extensions_port() {
    let (mut world, _) = secret_world();
    let answer = invoke(&mut world, "nolayer", json!({}));
    assert_eq!(answer["FunctionError"], "Unhandled", "{answer}");
    let error = payload(&answer);
    assert_eq!(
        (error["errorType"].as_str(), error["errorMessage"].as_str()),
        (Some("TypeError"), Some("fetch failed"))
    );
    assert!(calls(&world, "GetSecretValue").is_empty());
}

#[test]
fn a_handler_reads_a_secret_through_the_extension_as_its_role() {
    let (mut world, _) = secret_world();
    let answer = invoke(&mut world, "pay", json!({}));
    assert!(answer.get("FunctionError").is_none(), "{answer}");
    assert_eq!(
        payload(&answer),
        json!({"status": 200, "key": "sk-live-1", "name": "orders/payment-api-key", "stages": ["AWSCURRENT"], "meta": {}})
    );
    // The extension's request is a GetSecretValue the function's role made, tied to the Invoke.
    assert_eq!(calls(&world, "GetSecretValue"), [(format!("arn:aws:iam::{ACCOUNT}:role/reader/pay"), true)]);
    let log = tail(&answer);
    assert!(log.contains("\tINFO\tread orders/payment-api-key version [ 'AWSCURRENT' ]\n"), "{log}");
    assert!(!log.contains("sk-live-1"), "the secret stays out of the logs");
    // The secret was read: Secrets Manager records the day it was last accessed.
    let described =
        call(&mut world, "secretsmanager", "DescribeSecret", json!({"SecretId": "orders/payment-api-key"})).unwrap();
    assert!(described.get("LastAccessedDate").is_some(), "{described}");
}

#[test]
fn without_a_policy_the_extension_answers_access_denied() {
    let (mut world, arn) = secret_world();
    let answer = invoke(&mut world, "nopolicy", json!({}));
    let got = payload(&answer);
    assert_eq!(got["status"], 400);
    let body: Value = serde_json::from_str(got["body"].as_str().unwrap()).unwrap();
    assert_eq!(body["__type"], "AccessDeniedException");
    assert_eq!(
        body["message"],
        format!("User: arn:aws:sts::{ACCOUNT}:assumed-role/plain/nopolicy is not authorized to perform: secretsmanager:GetSecretValue on resource: {arn} because no identity-based policy allows the secretsmanager:GetSecretValue action")
    );
    assert_eq!(calls(&world, "GetSecretValue"), [(format!("arn:aws:iam::{ACCOUNT}:role/plain/nopolicy"), true)]);
}

#[test]
fn without_the_token_the_extension_answers_401_and_asks_nothing() {
    let (mut world, _) = secret_world();
    let answer = invoke(&mut world, "pay", json!({"noToken": true}));
    assert_eq!(payload(&answer), json!({"status": 401, "body": "Unauthorized"}));
    assert!(calls(&world, "GetSecretValue").is_empty());
}

#[test]
fn fetch_reaches_nothing_outside_the_sandbox() {
    let mut world = World::default();
    role(&mut world, "r", None);
    let code = "export const handler = async () => { const out = []; for (const u of ['https://example.com/', 'http://169.254.169.254/latest/api/token', 'http://localhost:9001/2018-06-01/runtime/invocation/next']) { try { await fetch(u); out.push('reached ' + u); } catch (e) { out.push(e.message + ': ' + e.cause.code); } } return out; };";
    function(&mut world, "net", "r", code, json!({}));
    let answer = invoke(&mut world, "net", json!({}));
    assert_eq!(
        payload(&answer),
        json!(["fetch failed: ENOTFOUND", "fetch failed: ENOTFOUND", "fetch failed: ECONNREFUSED"])
    );
}

const BOMB: &str = "let invocations = 0;\nexport const handler = async (event) => { invocations++; if (event.bomb) { const keep = []; while (true) keep.push('x'.repeat(1 << 20)); } return { invocations }; };";

#[test]
fn an_allocation_bomb_ends_with_lambdas_out_of_memory_and_the_next_invoke_is_cold() {
    let mut world = World::default();
    role(&mut world, "r", None);
    function(&mut world, "bomb", "r", BOMB, json!({"MemorySize": 256}));
    function(&mut world, "bystander", "r", "export const handler = async () => 'still here';", json!({}));
    assert_eq!(payload(&invoke(&mut world, "bomb", json!({}))), json!({"invocations": 1}));
    let killed = invoke(&mut world, "bomb", json!({"bomb": true}));
    assert_eq!(killed["StatusCode"], 200);
    assert_eq!(killed["FunctionError"], "Unhandled");
    let got = payload(&killed);
    assert_eq!(got["errorType"], "Runtime.OutOfMemory");
    let message = got["errorMessage"].as_str().unwrap();
    assert!(
        message.starts_with("RequestId: ") && message.ends_with(" Error: Runtime exited with error: signal: killed"),
        "{message}"
    );
    assert_eq!(got.as_object().unwrap().len(), 2, "no trace: the runtime itself died");
    let log = tail(&killed);
    assert!(
        log.contains(
            "\tMemory Size: 256 MB\tMax Memory Used: 256 MB\tStatus: error\tError Type: Runtime.OutOfMemory\t"
        ),
        "{log}"
    );
    // Lambda reports the killed runtime in its own words, not as the runtime's Invoke Error.
    assert!(log.contains(&format!("{message}\nRuntime.OutOfMemory\nEND RequestId: ")), "{log}");
    assert!(!log.contains("Invoke Error"), "{log}");
    // The environment was discarded: module state is gone and the next invoke starts cold.
    let next = invoke(&mut world, "bomb", json!({}));
    assert_eq!(payload(&next), json!({"invocations": 1}));
    assert!(tail(&next).contains("Init Duration: "));
    assert!(tail(&next).contains("Max Memory Used: 68 MB"), "{}", tail(&next));
    assert_eq!(payload(&invoke(&mut world, "bystander", json!({}))), json!("still here"));
}

/// The REPORT line's Init Duration, in milliseconds.
fn init_duration(answer: &Value) -> u64 {
    let log = tail(answer);
    let at = log.find("Init Duration: ").expect("a cold start") + "Init Duration: ".len();
    log[at..].split('.').next().unwrap().parse().unwrap()
}

#[test]
fn the_init_duration_counts_the_whole_init_phase() {
    let mut world = World::default();
    role(&mut world, "r", None);
    function(&mut world, "small", "r", "export const handler = async () => 1;", json!({}));
    let busy = "let x = 0;\nfor (let i = 0; i < 200000; i++) x += i;\nexport const handler = async () => x;";
    function(&mut world, "busy", "r", busy, json!({}));
    let small = init_duration(&invoke(&mut world, "small", json!({})));
    let busy = init_duration(&invoke(&mut world, "busy", json!({})));
    assert!(small > 0, "the runtime's boot takes time");
    assert!(busy >= small + 200, "top-level work is part of the init: {busy} vs {small}");
}

const SEND_TO_QUEUE: &str = r#"import { SQSClient, SendMessageCommand, GetQueueUrlCommand } from '@aws-sdk/client-sqs';
const sqs = new SQSClient({});
export const handler = async (event) => {
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'orders-failed' }));
  const sent = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: JSON.stringify(event) }));
  let missing;
  try { await sqs.send(new GetQueueUrlCommand({ QueueName: 'nope' })); } catch (e) { missing = [e.name, e.Code, e.message]; }
  return { md5: sent.MD5OfMessageBody, status: sent.$metadata.httpStatusCode, missing };
};"#;

#[test]
fn a_handler_sends_to_a_queue_through_the_sdk_as_its_role() {
    let mut world = World::default();
    call(&mut world, "sqs", "CreateQueue", json!({"QueueName": "orders-failed"})).unwrap();
    let queue_arn = format!("arn:aws:sqs:ap-southeast-1:{ACCOUNT}:orders-failed");
    role(
        &mut world,
        "sender",
        Some(json!({"Effect": "Allow", "Action": ["sqs:SendMessage", "sqs:GetQueueUrl"], "Resource": "*"})),
    );
    role(&mut world, "plain", None);
    function(&mut world, "notify", "sender", SEND_TO_QUEUE, json!({}));
    function(&mut world, "denied", "plain", SEND_TO_QUEUE, json!({}));
    let got = payload(&invoke(&mut world, "notify", json!({"orderId": "o-1"})));
    assert_eq!(
        got,
        json!({"md5": "d43159842a6911108856bdc9a0a71621", "status": 200, "missing": ["QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist."]})
    );
    let received = call(
        &mut world,
        "sqs",
        "ReceiveMessage",
        json!({"QueueUrl": format!("https://sqs.ap-southeast-1.amazonaws.com/{ACCOUNT}/orders-failed"), "MessageSystemAttributeNames": ["SenderId"]}),
    )
    .unwrap();
    assert_eq!(received["Messages"][0]["Body"], r#"{"orderId":"o-1"}"#);
    assert!(received["Messages"][0]["Attributes"]["SenderId"].as_str().unwrap().ends_with(":notify"), "{received}");
    // Without a policy, SQS refuses as SQS words it: the action in lower case.
    let denied = invoke(&mut world, "denied", json!({}));
    let error = payload(&denied);
    assert_eq!(error["errorType"], "AccessDenied");
    assert_eq!(
        error["errorMessage"],
        format!("User: arn:aws:sts::{ACCOUNT}:assumed-role/plain/denied is not authorized to perform: sqs:getqueueurl on resource: {queue_arn} because no identity-based policy allows the sqs:getqueueurl action")
    );
}
