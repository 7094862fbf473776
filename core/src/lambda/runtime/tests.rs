//! The runtime through one helper: run a handler on an event, answering its SDK calls from a
//! script, and read what it returned, logged and asked for.

use super::*;

const NOW: Millis = 1_764_590_400_000; // 2025-12-01T12:00:00Z

fn config(handler: &str) -> Config {
    let mut env = BTreeMap::new();
    env.insert("AWS_REGION".to_string(), "ap-southeast-1".to_string());
    env.insert("TABLE".to_string(), "Orders".to_string());
    Config { handler: handler.to_string(), env, timeout_ms: 3_000, seed: 7, secrets_extension: true }
}

fn invocation(n: u32) -> Invocation {
    Invocation {
        request_id: format!("req-{n}"),
        function_name: "echo".into(),
        function_version: "$LATEST".into(),
        invoked_function_arn: "arn:aws:lambda:ap-southeast-1:123456789012:function:echo".into(),
        memory_limit_mb: 128,
        log_group_name: "/aws/lambda/echo".into(),
        log_stream_name: "2025/12/01/[$LATEST]abc".into(),
    }
}

/// What one run did: the calls made (as `service.Action input`), the log lines, the ending.
#[derive(Debug)]
struct Run {
    calls: Vec<String>,
    logs: Vec<String>,
    ending: Ending,
    duration_ms: Millis,
}

/// Drives `step` to its end, answering each SDK call with `answer`.
fn finish(env: &mut Environment, mut step: Step, answer: &dyn Fn(&SdkCall) -> CallResult) -> Run {
    let mut calls = Vec::new();
    loop {
        match step {
            Step::Calls(list) => {
                let results = list.iter().map(answer).collect();
                calls.extend(list.iter().map(|c| format!("{}.{} {}", c.service, c.action, c.input)));
                step = env.resume(results);
            }
            Step::Finished(f) => {
                return Run {
                    calls,
                    logs: f.logs.iter().map(|l| format!("{}\t{}", l.level, l.message)).collect(),
                    ending: f.ending,
                    duration_ms: f.duration_ms,
                }
            }
        }
    }
}

fn echo(call: &SdkCall) -> CallResult {
    CallResult::Ok(json!({ "Echo": call.input.clone() }))
}

/// Starts an environment for `files`, checks that it initialised, and invokes it once per event.
fn check(files: &[(&str, &str)], handler: &str, events: &[Value]) -> Vec<Run> {
    let (mut env, step) = Environment::cold(Code::task(files.iter().copied()), config(handler), NOW);
    let init = finish(&mut env, step, &echo);
    if let Ending::Failed(_) | Ending::TimedOut = init.ending {
        return vec![init];
    }
    events
        .iter()
        .enumerate()
        .map(|(i, event)| {
            let step = env.invoke(event, &invocation(i as u32 + 1), NOW + 1_000 * i as Millis);
            finish(&mut env, step, &echo)
        })
        .collect()
}

fn returned(run: &Run) -> &Value {
    match &run.ending {
        Ending::Returned(v) => v,
        other => panic!("expected a result, got {other:?} (logs {:?})", run.logs),
    }
}

fn failed(run: &Run) -> &FunctionError {
    match &run.ending {
        Ending::Failed(e) => e,
        other => panic!("expected an error, got {other:?}"),
    }
}

#[test]
fn an_es_module_handler_returns_and_keeps_module_state_warm() {
    let runs = check(
        &[("index.mjs", "let count = 0;\nexport const handler = async (event, context) => { count++; return { count, got: event, id: context.awsRequestId, env: process.env.TABLE }; };")],
        "index.handler",
        &[json!({"a": 1}), json!({"a": 2})],
    );
    assert_eq!(returned(&runs[0]), &json!({"count": 1, "got": {"a": 1}, "id": "req-1", "env": "Orders"}));
    assert_eq!(returned(&runs[1]), &json!({"count": 2, "got": {"a": 2}, "id": "req-2", "env": "Orders"}));
}

#[test]
fn commonjs_handlers_use_exports_require_and_callbacks() {
    let runs = check(
        &[
            ("index.js", "const util = require('./lib/util');\nexports.handler = function (event, context, callback) { callback(null, util.twice(event.n)); };"),
            ("lib/util.js", "module.exports = { twice: (n) => n * 2 };"),
        ],
        "index.handler",
        &[json!({"n": 21})],
    );
    assert_eq!(returned(&runs[0]), &json!(42));
    let runs = check(&[("app.cjs", "module.exports.handler = async () => 'ok';")], "app.handler", &[json!({})]);
    assert_eq!(returned(&runs[0]), &json!("ok"));
    // Neither async nor given a callback: the answer is null, as on AWS.
    let runs = check(&[("index.js", "exports.handler = (event) => 5;")], "index.handler", &[json!({})]);
    assert_eq!(returned(&runs[0]), &Value::Null);
}

#[test]
fn sdk_calls_wait_for_the_world_and_answer_as_the_sdk_does() {
    let code = r#"import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand, GetCommand } from "@aws-sdk/lib-dynamodb";
const client = new DynamoDBClient({});
const doc = DynamoDBDocumentClient.from(client);
export const handler = async (event) => {
  const low = await client.send(new PutItemCommand({ TableName: "Orders", Item: { id: { S: "1" } } }));
  await doc.send(new PutCommand({ TableName: "Orders", Item: { id: "2", total: 10, tags: new Set(["a"]) } }));
  const got = await doc.send(new GetCommand({ TableName: "Orders", Key: { id: "2" } }));
  try {
    await client.send(new PutItemCommand({ TableName: "Missing", Item: {} }));
  } catch (e) {
    return { echo: low.Echo, status: low.$metadata.httpStatusCode, item: got.Item, error: e.name, message: e.message, fault: e.$fault, code: e.$metadata.httpStatusCode };
  }
};"#;
    let (mut env, step) = Environment::cold(Code::task([("index.mjs", code)]), config("index.handler"), NOW);
    finish(&mut env, step, &echo);
    let step = env.invoke(&json!({}), &invocation(1), NOW);
    let run = finish(&mut env, step, &|call| match (call.action.as_str(), call.input["TableName"].as_str()) {
        (_, Some("Missing")) => CallResult::Err {
            code: "ResourceNotFoundException".into(),
            message: "Requested resource not found".into(),
            fault: "client",
            status: 400,
        },
        ("GetItem", _) => CallResult::Ok(json!({"Item": {"id": {"S": "2"}, "total": {"N": "10"}}})),
        _ => echo(call),
    });
    assert_eq!(
        run.calls,
        [
            r#"dynamodb.PutItem {"Item":{"id":{"S":"1"}},"TableName":"Orders"}"#,
            r#"dynamodb.PutItem {"Item":{"id":{"S":"2"},"tags":{"SS":["a"]},"total":{"N":"10"}},"TableName":"Orders"}"#,
            r#"dynamodb.GetItem {"Key":{"id":{"S":"2"}},"TableName":"Orders"}"#,
            r#"dynamodb.PutItem {"Item":{},"TableName":"Missing"}"#,
        ]
    );
    assert_eq!(
        returned(&run),
        &json!({
            "echo": {"TableName": "Orders", "Item": {"id": {"S": "1"}}}, "status": 200,
            "item": {"id": "2", "total": 10},
            "error": "ResourceNotFoundException", "message": "Requested resource not found", "fault": "client", "code": 400
        })
    );
}

#[test]
fn top_level_await_may_call_the_sdk_while_the_module_initialises() {
    let code = "import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';\nconst me = await new STSClient({}).send(new GetCallerIdentityCommand({}));\nexport const handler = async () => me.Echo;";
    let (mut env, step) = Environment::cold(Code::task([("index.mjs", code)]), config("index.handler"), NOW);
    let init = finish(&mut env, step, &echo);
    assert_eq!(init.calls, ["sts.GetCallerIdentity {}"]);
    let step = env.invoke(&json!({}), &invocation(1), NOW);
    assert_eq!(returned(&finish(&mut env, step, &echo)), &json!({}));
}

#[test]
fn console_lines_are_formatted_as_node_prints_them() {
    let runs = check(
        &[("index.mjs", "export const handler = async () => { console.log('total %d for %s', 3, 'An', { a: [1, 'x'], b: null }); console.error(new Error('bad').message); console.warn([1, 2]); console.info({ nested: { deep: { deeper: { deepest: 1 } } } }); };")],
        "index.handler",
        &[json!({})],
    );
    assert_eq!(
        runs[0].logs,
        [
            "INFO\ttotal 3 for An { a: [ 1, 'x' ], b: null }",
            "ERROR\tbad",
            "WARN\t[ 1, 2 ]",
            "INFO\t{ nested: { deep: { deeper: [Object] } } }"
        ]
    );
}

#[test]
fn errors_are_shaped_as_lambda_reports_them() {
    let runs = check(
        &[("index.mjs", "export const handler = async () => { const e = new TypeError('no total'); throw e; };")],
        "index.handler",
        &[json!({})],
    );
    let error = failed(&runs[0]);
    assert_eq!((error.error_type.as_str(), error.message.as_str()), ("TypeError", "no total"));
    assert!(error.trace[0].starts_with("TypeError: no total"), "{:?}", error.trace);

    let runs = check(
        &[("index.mjs", "export const handler = async () => { throw 'plain'; };")],
        "index.handler",
        &[json!({})],
    );
    assert_eq!(failed(&runs[0]).payload(), json!({"errorType": "string", "errorMessage": "plain", "trace": []}));

    let runs = check(&[("index.mjs", "export const handler = async () => {\n  let x = ;\n};")], "index.handler", &[]);
    let error = failed(&runs[0]);
    assert_eq!(error.error_type, "Runtime.UserCodeSyntaxError");
    assert!(error.message.starts_with("SyntaxError: ") && error.message.contains("line 2"), "{}", error.message);

    let runs = check(&[("index.mjs", "export const handle = async () => 1;")], "index.handler", &[]);
    assert_eq!(failed(&runs[0]).payload()["errorType"], "Runtime.HandlerNotFound");
    assert_eq!(failed(&runs[0]).message, "index.handler is undefined or not exported");

    let runs = check(&[("main.mjs", "export const handler = async () => 1;")], "index.handler", &[]);
    assert_eq!(failed(&runs[0]).error_type, "Runtime.ImportModuleError");
    assert!(failed(&runs[0]).message.starts_with("Error: Cannot find module 'index'"));

    let runs = check(
        &[("index.mjs", "import x from 'left-pad';\nexport const handler = async () => x;")],
        "index.handler",
        &[],
    );
    assert_eq!(failed(&runs[0]).message, "Cannot find package 'left-pad' imported from /var/task/index.mjs");
}

#[test]
fn a_busy_loop_times_out_and_the_environment_is_spent() {
    let (mut env, step) = Environment::cold(
        Code::task([("index.mjs", "export const handler = async () => { while (true) {} };")]),
        config("index.handler"),
        NOW,
    );
    finish(&mut env, step, &echo);
    let step = env.invoke(&json!({}), &invocation(1), NOW);
    let run = finish(&mut env, step, &echo);
    assert_eq!(run.ending, Ending::TimedOut);
    assert_eq!(run.duration_ms, 3_000);
    assert!(!env.reusable());
}

#[test]
fn deep_recursion_is_a_range_error() {
    let runs = check(
        &[("index.mjs", "const f = (n) => f(n + 1) + 1;\nexport const handler = async () => f(0);")],
        "index.handler",
        &[json!({})],
    );
    assert_eq!(failed(&runs[0]).error_type, "RangeError");
    assert_eq!(failed(&runs[0]).message, "Maximum call stack size exceeded");
}

#[test]
fn time_and_randomness_are_virtual_and_repeat() {
    let code = "export const handler = async () => { const start = Date.now(); await new Promise((r) => setTimeout(r, 250)); return { start, waited: Date.now() - start, r: Math.random(), id: crypto.randomUUID().length, left: 0 }; };";
    let a = check(&[("index.mjs", code)], "index.handler", &[json!({})]);
    let b = check(&[("index.mjs", code)], "index.handler", &[json!({})]);
    assert_eq!(returned(&a[0]), returned(&b[0]));
    // The invocation starts once the environment has initialised (the runtime's boot counts).
    let start = returned(&a[0])["start"].as_u64().unwrap();
    assert!((NOW..NOW + 50).contains(&start), "{start}");
    assert_eq!(returned(&a[0])["waited"], json!(250));
    assert!(a[0].duration_ms >= 250);
    // A timer past the deadline is a timeout.
    let runs = check(
        &[("index.mjs", "export const handler = () => new Promise((r) => setTimeout(r, 5000));")],
        "index.handler",
        &[json!({})],
    );
    assert_eq!(runs[0].ending, Ending::TimedOut);
}

#[test]
fn layers_are_importable_by_name() {
    let mut code = Code::task([("index.mjs", "import pad from 'pad';\nimport { hi } from '/opt/nodejs/greet.mjs';\nexport const handler = async () => pad(hi());")]);
    code.files.insert("/opt/nodejs/node_modules/pad/index.js".into(), "module.exports = (s) => '[' + s + ']';".into());
    code.files.insert("/opt/nodejs/greet.mjs".into(), "export const hi = () => 'hi';".into());
    let (mut env, step) = Environment::cold(code, config("index.handler"), NOW);
    finish(&mut env, step, &echo);
    let step = env.invoke(&json!({}), &invocation(1), NOW);
    assert_eq!(returned(&finish(&mut env, step, &echo)), &json!("[hi]"));
}

/// Runs `testdata/NAME.mjs` and compares its result and log lines with what Node.js printed for
/// the same file (`testdata/NAME.node.json`, recorded by running the handler under Node 20 with
/// console.* going through util.format).
fn matches_node(script: &str, recorded: &str) {
    let recorded: Value = serde_json::from_str(recorded).unwrap();
    let runs = check(&[("index.mjs", script)], "index.handler", &[json!({})]);
    let got = returned(&runs[0]);
    let want = &recorded["result"];
    match want.as_object() {
        Some(fields) => {
            for (key, value) in fields {
                assert_eq!(&got[key], value, "{key} differs from Node.js");
            }
            assert_eq!(got.as_object().map(|o| o.len()), Some(fields.len()));
        }
        None => assert_eq!(got, want),
    }
    let logs: Vec<String> =
        recorded["logs"].as_array().unwrap().iter().map(|l| l.as_str().unwrap().to_string()).collect();
    assert_eq!(runs[0].logs, logs);
}

#[test]
fn buffer_text_encoder_and_text_decoder_answer_as_node_does() {
    matches_node(include_str!("testdata/buffer.mjs"), include_str!("testdata/buffer.node.json"));
}

#[test]
fn url_and_url_search_params_answer_as_node_does() {
    matches_node(include_str!("testdata/url.mjs"), include_str!("testdata/url.node.json"));
}

#[test]
fn structured_clone_and_dom_exception_answer_as_node_does() {
    matches_node(include_str!("testdata/clone.mjs"), include_str!("testdata/clone.node.json"));
}

#[test]
fn fetch_headers_and_response_answer_as_node_does_offline() {
    matches_node(include_str!("testdata/fetchnet.mjs"), include_str!("testdata/fetchnet.node.json"));
}

#[test]
fn console_prints_node_errors_typed_arrays_and_web_objects_as_node_does() {
    matches_node(include_str!("testdata/inspect.mjs"), include_str!("testdata/inspect.node.json"));
}

#[test]
fn the_node_builtins_are_importable_and_required() {
    let runs = check(
        &[
            ("index.mjs", "import { Buffer } from 'node:buffer';\nimport { URL } from 'url';\nimport util from 'node:util';\nimport lib from './lib.cjs';\nexport const handler = async () => [Buffer === globalThis.Buffer, URL === globalThis.URL, util.format('%s=%d', 'n', 2), util.inspect(Buffer.from('a')), new util.TextDecoder().decode(new util.TextEncoder().encode('é')), lib];"),
            ("lib.cjs", "const { Buffer } = require('buffer');\nconst { URLSearchParams } = require('node:url');\nmodule.exports = Buffer.from(new URLSearchParams({ a: '1' }).toString()).toString('base64');"),
        ],
        "index.handler",
        &[json!({})],
    );
    assert_eq!(returned(&runs[0]), &json!([true, true, "n=2", "<Buffer 61>", "é", "YT0x"]));
}

/// A handler reading `orders/payment-api-key` through the Parameters and Secrets extension.
const EXTENSION: &str = r#"const url = (id, extra) => 'http://localhost:2773/secretsmanager/get?secretId=' + encodeURIComponent(id) + (extra || '');
const get = async (id, headers, extra) => {
  const res = await fetch(url(id, extra), { headers });
  return { status: res.status, ok: res.ok, statusText: res.statusText, body: await res.text() };
};
export const handler = async () => {
  const token = { 'X-Aws-Parameters-Secrets-Token': process.env.AWS_SESSION_TOKEN };
  const read = await fetch(url('orders/payment-api-key'), { headers: token });
  const secret = await read.json();
  return {
    secret, status: read.status,
    versioned: await get('orders/payment-api-key', token, '&versionStage=AWSPREVIOUS&versionId=v1'),
    missing: await get('nope', token),
    denied: await get('locked', token),
    noToken: await get('orders/payment-api-key', {}),
    wrongToken: await get('orders/payment-api-key', { 'x-aws-parameters-secrets-token': 'guess' }),
    post: (await fetch(url('x'), { method: 'POST', headers: token })).status,
    other: (await fetch('http://localhost:2773/other', { headers: token })).status,
  };
};"#;

#[test]
fn fetch_reaches_the_secrets_extension_as_the_functions_role() {
    let (mut env, step) = Environment::cold(Code::task([("index.mjs", EXTENSION)]), config("index.handler"), NOW);
    finish(&mut env, step, &echo);
    let step = env.invoke(&json!({}), &invocation(1), NOW);
    let run = finish(&mut env, step, &|call| {
        match call.input["SecretId"].as_str() {
        Some("orders/payment-api-key") => CallResult::Ok(json!({
            "ARN": "arn:aws:secretsmanager:ap-southeast-1:123456789012:secret:orders/payment-api-key-AbCdEf",
            "Name": "orders/payment-api-key", "VersionId": "v2", "SecretString": "s3cr3t",
            "VersionStages": ["AWSCURRENT"], "CreatedDate": 1_764_590_400.25
        })),
        Some("locked") => CallResult::Err {
            code: "AccessDeniedException".into(),
            message: "User: arn:aws:sts::123456789012:assumed-role/r/echo is not authorized to perform: secretsmanager:GetSecretValue".into(),
            fault: "client",
            status: 400,
        },
        _ => CallResult::Err {
            code: "ResourceNotFoundException".into(),
            message: "Secrets Manager can't find the specified secret.".into(),
            fault: "client",
            status: 400,
        },
    }
    });
    // Only the requests that reached the extension with the token became calls.
    assert_eq!(
        run.calls,
        [
            r#"secretsmanager.GetSecretValue {"SecretId":"orders/payment-api-key"}"#,
            r#"secretsmanager.GetSecretValue {"SecretId":"orders/payment-api-key","VersionId":"v1","VersionStage":"AWSPREVIOUS"}"#,
            r#"secretsmanager.GetSecretValue {"SecretId":"nope"}"#,
            r#"secretsmanager.GetSecretValue {"SecretId":"locked"}"#,
        ]
    );
    let got = returned(&run);
    assert_eq!(
        got["secret"],
        json!({
            "ARN": "arn:aws:secretsmanager:ap-southeast-1:123456789012:secret:orders/payment-api-key-AbCdEf",
            "CreatedDate": "2025-12-01T12:00:00.25Z", "Name": "orders/payment-api-key", "SecretBinary": null,
            "SecretString": "s3cr3t", "VersionId": "v2", "VersionStages": ["AWSCURRENT"], "ResultMetadata": {}
        })
    );
    assert_eq!(got["status"], 200);
    assert_eq!(got["versioned"]["status"], 200);
    assert_eq!(
        got["missing"],
        json!({"status": 400, "ok": false, "statusText": "Bad Request", "body": r#"{"__type":"ResourceNotFoundException","message":"Secrets Manager can't find the specified secret."}"#})
    );
    assert_eq!(got["denied"]["status"], 400);
    assert!(got["denied"]["body"]
        .as_str()
        .unwrap()
        .starts_with(r#"{"__type":"AccessDeniedException","message":"User: "#));
    assert_eq!(
        got["noToken"],
        json!({"status": 401, "ok": false, "statusText": "Unauthorized", "body": "Unauthorized"})
    );
    assert_eq!(got["wrongToken"]["status"], 401);
    assert_eq!((got["post"].clone(), got["other"].clone()), (json!(405), json!(404)));
}

#[test]
fn fetch_reaches_nothing_else_and_fails_as_node_does_without_a_network() {
    let code = "const fail = async (u) => { try { await fetch(u); return 'reached'; } catch (e) { return [e.name, e.message, e.cause.code, e.cause.message]; } };\nexport const handler = async () => [await fail('https://api.example.com/pay'), await fail('http://169.254.169.254/latest/meta-data/'), await fail('http://localhost:8080/'), await fail('http://localhost:2773/x'.replace('2773', '2774')), await fail('https://localhost:2773/secretsmanager/get?secretId=x')];";
    let runs = check(&[("index.mjs", code)], "index.handler", &[json!({})]);
    assert!(runs[0].calls.is_empty());
    assert_eq!(
        returned(&runs[0]),
        &json!([
            ["TypeError", "fetch failed", "ENOTFOUND", "getaddrinfo ENOTFOUND api.example.com"],
            ["TypeError", "fetch failed", "ENOTFOUND", "getaddrinfo ENOTFOUND 169.254.169.254"],
            ["TypeError", "fetch failed", "ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:8080"],
            ["TypeError", "fetch failed", "ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:2774"],
            ["TypeError", "fetch failed", "ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:2773"]
        ])
    );
}

#[test]
fn lambda_gives_the_code_fake_credentials_from_the_seed() {
    let code = "export const handler = async () => [process.env.AWS_ACCESS_KEY_ID, process.env.AWS_SECRET_ACCESS_KEY.length, process.env.AWS_SESSION_TOKEN.slice(0, 16), process.env.AWS_SESSION_TOKEN.length];";
    let a = check(&[("index.mjs", code)], "index.handler", &[json!({})]);
    let b = check(&[("index.mjs", code)], "index.handler", &[json!({})]);
    assert_eq!(returned(&a[0]), returned(&b[0]));
    let got = returned(&a[0]);
    assert!(got[0].as_str().unwrap().starts_with("ASIA") && got[0].as_str().unwrap().len() == 20, "{got}");
    assert_eq!((got[1].clone(), got[2].clone(), got[3].clone()), (json!(40), json!("IQoJb3JpZ2luX2Vj"), json!(317)));
}

/// Starts an environment with `memory_mb` and runs its handler `events` times (the first run is
/// the initialisation's).
fn with_memory(code: &str, memory_mb: u64, events: usize) -> (Environment, Vec<Run>) {
    with_files(&[("index.mjs", code)], memory_mb, events)
}

fn with_files(files: &[(&str, &str)], memory_mb: u64, events: usize) -> (Environment, Vec<Run>) {
    let mut config = config("index.handler");
    config.env.insert("AWS_LAMBDA_FUNCTION_MEMORY_SIZE".into(), memory_mb.to_string());
    let (mut env, step) = Environment::cold(Code::task(files.iter().copied()), config, NOW);
    let init = finish(&mut env, step, &echo);
    let mut runs = vec![init];
    for i in 0..events {
        if !env.reusable() {
            break;
        }
        let mut invocation = invocation(i as u32 + 1);
        invocation.memory_limit_mb = memory_mb;
        let step = env.invoke(&json!({}), &invocation, NOW + 10_000 * i as Millis);
        runs.push(finish(&mut env, step, &echo));
    }
    (env, runs)
}

fn out_of_memory(run: &Run, request: &str) {
    assert_eq!(
        failed(run).payload(),
        json!({"errorType": "Runtime.OutOfMemory", "errorMessage": format!("{request}Error: Runtime exited with error: signal: killed")})
    );
}

#[test]
fn an_allocation_bomb_runs_out_of_memory_and_the_environment_is_discarded() {
    // The bomb from the docs: arrays of a million numbers (8 MB each in V8), kept.
    let (env, runs) = with_memory(
        "export const handler = async () => { const a = []; try { while (true) a.push(new Array(1e6).fill(1)); } catch (e) { return 'caught ' + e; } };",
        128,
        1,
    );
    out_of_memory(&runs[1], "RequestId: req-1 ");
    assert!(!env.reusable() && env.out_of_memory());
    assert_eq!(env.max_memory_used_mb(68, 128), 128);
    // Strings doubling into an array, and a single string past the memory.
    for code in [
        "export const handler = async () => { const keep = []; let s = 'x'.repeat(1024); while (true) { s = s + s; keep.push(s); } };",
        "export const handler = async () => 'x'.repeat(300 * 1024 * 1024).length;",
        "export const handler = async () => { const parts = []; for (;;) parts.push(Buffer.alloc(1 << 20, 1)); };",
        "export const handler = async () => { const m = []; for (let i = 0; ; i++) m.push(JSON.stringify({ i, pad: 'p'.repeat(1 << 16) })); };",
    ] {
        let (env, runs) = with_memory(code, 128, 1);
        out_of_memory(&runs[1], "RequestId: req-1 ");
        assert!(!env.reusable(), "{code}");
    }
}

#[test]
fn memory_the_code_lets_go_of_does_not_count() {
    // 20 strings of 5 MB and 100 arrays of 800 KB, each dropped: 180 MB made, little held.
    let (env, runs) = with_memory(
        "export const handler = async () => { let n = 0; for (let i = 0; i < 20; i++) n += ('y'.repeat(5e6) + i).length; for (let i = 0; i < 100; i++) n += new Array(1e5).fill(i).length; const kept = []; for (let i = 0; i < 1000; i++) kept.push('k'.repeat(1e4)); return [n, kept.length]; };",
        128,
        2,
    );
    assert_eq!(returned(&runs[1]), &json!([110_000_030, 1000]));
    assert_eq!(returned(&runs[2]), &json!([110_000_030, 1000]));
    assert!(env.reusable());
    assert!(env.max_memory_used_mb(68, 128) < 128);
    // A small handler shows only the runtime's own memory.
    let (env, _) = with_memory("export const handler = async () => [1, 2].map((x) => x * 2);", 128, 1);
    assert_eq!(env.max_memory_used_mb(68, 128), 68);
}

#[test]
fn a_leak_across_warm_invocations_runs_out_in_a_later_one() {
    // Each invocation keeps 10 MB more at module level; 60 MB fit beside the runtime in 128 MB.
    let (env, runs) = with_memory(
        "const cache = [];\nexport const handler = async () => { cache.push('z'.repeat(10 * 1024 * 1024)); return cache.length; };",
        128,
        10,
    );
    let answered: Vec<&Ending> = runs[1..].iter().map(|r| &r.ending).collect();
    assert_eq!(answered[..5], [1, 2, 3, 4, 5].map(|n| Ending::Returned(json!(n))).iter().collect::<Vec<_>>()[..]);
    out_of_memory(&runs[6], "RequestId: req-6 ");
    assert_eq!(runs.len(), 7, "the spent environment takes no more invocations");
    assert!(!env.reusable());
    // More memory, more room.
    let (env, runs) = with_memory(
        "const cache = [];\nexport const handler = async () => { cache.push('z'.repeat(10 * 1024 * 1024)); return cache.length; };",
        512,
        10,
    );
    assert_eq!(runs[10].ending, Ending::Returned(json!(10)));
    assert!(env.reusable());
}

#[test]
fn strings_past_v8s_longest_are_a_range_error() {
    let runs = check(
        &[("index.mjs", "export const handler = async () => { const out = []; for (const f of [() => 'ab'.repeat(2 ** 28 + 1), () => 'a'.padStart(2 ** 30), () => 'a'.padEnd(2 ** 29)]) { try { f(); out.push('made'); } catch (e) { out.push(e.name + ': ' + e.message); } } return out; };")],
        "index.handler",
        &[json!({})],
    );
    assert_eq!(
        returned(&runs[0]),
        &json!([
            "RangeError: Invalid string length",
            "RangeError: Invalid string length",
            "RangeError: Invalid string length"
        ])
    );
}

#[test]
fn running_out_of_memory_while_initialising_ends_the_init() {
    let (env, runs) = with_memory(
        "const keep = [];\nwhile (true) keep.push('i'.repeat(1 << 20));\nexport const handler = async () => 1;",
        128,
        1,
    );
    out_of_memory(&runs[0], "");
    assert!(!env.reusable());
    let (_, runs) = with_files(
        &[(
            "index.js",
            "const keep = [];\nwhile (true) keep.push('i'.repeat(1 << 20));\nexports.handler = async () => 1;",
        )],
        128,
        0,
    );
    out_of_memory(&runs[0], "");
}

#[test]
fn the_init_duration_counts_the_runtime_boot_and_the_module_evaluation() {
    let (_, small) = with_memory("export const handler = async () => 1;", 128, 0);
    // The runtime's own boot takes virtual time, as Node.js's does.
    assert!(small[0].duration_ms > 0, "{}", small[0].duration_ms);
    // About 100 ms of top-level computation, synchronous (not awaited), is part of the init.
    let (_, busy) = with_memory(
        "let x = 0;\nfor (let i = 0; i < 100000; i++) x += i;\nexport const handler = async () => x;",
        128,
        0,
    );
    assert!(busy[0].duration_ms >= small[0].duration_ms + 100, "{} vs {}", busy[0].duration_ms, small[0].duration_ms);
    let (_, runs) = with_files(
        &[("index.js", "let x = 0;\nfor (let i = 0; i < 100000; i++) x += i;\nexports.handler = async () => x;")],
        128,
        0,
    );
    assert!(runs[0].duration_ms >= small[0].duration_ms + 100, "{}", runs[0].duration_ms);
}
