//! The runtime through one helper: run a handler on an event, answering its SDK calls from a
//! script, and read what it returned, logged and asked for.

use super::*;

const NOW: Millis = 1_764_590_400_000; // 2025-12-01T12:00:00Z

fn config(handler: &str) -> Config {
    let mut env = BTreeMap::new();
    env.insert("AWS_REGION".to_string(), "ap-southeast-1".to_string());
    env.insert("TABLE".to_string(), "Orders".to_string());
    Config { handler: handler.to_string(), env, timeout_ms: 3_000, seed: 7 }
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
    assert_eq!(returned(&a[0])["start"], json!(NOW));
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
