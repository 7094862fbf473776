//! Invoke: runs a function's handler in a warm or cold execution environment.
//!
//! The handler's SDK calls are [`Outcome::Await`]: the world makes them as the function's
//! execution role (a session named after the function, as AWS names it) and hands back their
//! results, and the handler runs on. When it ends, Lambda writes the invocation's log lines
//! (START, the handler's own, END, REPORT) to CloudWatch Logs as calls the role makes, before it
//! answers: a role without the logs permissions leaves no logs, and once it has them the next
//! invocation's lines appear.

use super::api::{self, error, FunctionRef};
use super::asynchronous;
use super::layers;
use super::runtime::{CallResult, Code, Config, Ending, Environment, Finished, FunctionError, Invocation, Step};
use super::versions::{self, Qualified};
use super::{Function, Job, Lambda};
use crate::clock::{iso8601, Millis};
use crate::effect::{Call, Principal};
use crate::error::AwsError;
use crate::service::{Ctx, Outcome};
use crate::wire::{object_with, required, string};
use serde_json::{json, Value};
use std::collections::BTreeMap;

type LambdaCtx<'a> = Ctx<'a, Job>;

/// The largest request and response payload of a synchronous invocation (6 MB).
pub const MAX_PAYLOAD_BYTES: usize = 6 * 1024 * 1024;

/// How much of the log `LogType: Tail` returns: the last 4 KB.
pub const TAIL_BYTES: usize = 4 * 1024;

/// The memory a Node.js environment reports using. The sandbox does not measure memory; this
/// is a typical figure for a small handler (docs/differences.md).
pub const REPORTED_MEMORY_MB: u64 = 68;

/// An operation waiting for calls the world is making for it.
pub(crate) enum Waiting {
    /// CreateFunction, waiting for IAM's answer about its role.
    Create(Box<api::CreateFunction>),
    /// UpdateFunctionConfiguration with a new role, likewise.
    Configure(Box<api::UpdateConfiguration>),
    /// A running invocation, waiting for its handler's SDK calls.
    Invoke(Box<Running>),
    /// A finished invocation, waiting for its log lines to be delivered; then its answer.
    Logs(Box<(Delivery, Value)>),
    /// CreateEventSourceMapping, waiting for the source's description and IAM's simulation.
    CreateMapping(Box<super::mappings::Create>),
    /// An event source mapping's poll, waiting for a read or an invocation.
    Poll(Box<super::mappings::poll::Poll>),
}

/// Whether the environment is still starting or running the handler.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Init,
    Handler,
}

/// A synchronous invocation in progress.
pub(crate) struct Running {
    function: String,
    /// `$LATEST` or the published version running.
    version: String,
    generation: u64,
    role: String,
    env: Environment,
    stream: String,
    phase: Phase,
    cold: bool,
    event: Value,
    invocation: Invocation,
    tail: bool,
    /// The virtual instant the invocation started, and how long the init took.
    started_ms: Millis,
    init_ms: Millis,
    /// The log lines so far: (instant, text).
    lines: Vec<(Millis, String)>,
    /// The asynchronous event this run is an attempt of.
    attempt: Option<String>,
}

/// An idle execution environment of a function.
pub(crate) struct Idle {
    generation: u64,
    stream: String,
    env: Environment,
}

/// Invoke's input.
struct Invoke {
    reference: FunctionRef,
    kind: String,
    tail: bool,
    payload: Value,
    payload_text: String,
}

impl Invoke {
    fn parse(request: &Value) -> Result<Invoke, AwsError> {
        let r = object_with(
            request,
            &["FunctionName", "InvocationType", "LogType", "ClientContext", "Payload", "Qualifier"],
        )?;
        let mut reference = FunctionRef::parse(required(r, "FunctionName")?, "functionName")?;
        if let Some(q) = string(r, "Qualifier")? {
            reference.qualifier = Some(q.to_string());
        }
        let kind = string(r, "InvocationType")?.unwrap_or("RequestResponse").to_string();
        if !["RequestResponse", "Event", "DryRun"].contains(&kind.as_str()) {
            return Err(error(
                "ValidationException",
                400,
                format!("1 validation error detected: Value '{kind}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]"),
            ));
        }
        let tail = match string(r, "LogType")? {
            None | Some("None") => false,
            Some("Tail") => true,
            Some(other) => {
                return Err(error(
                    "ValidationException",
                    400,
                    format!("1 validation error detected: Value '{other}' at 'logType' failed to satisfy constraint: Member must satisfy enum value set: [Tail, None]"),
                ))
            }
        };
        // The payload is the request body: JSON text (a JSON value is taken as its text).
        let payload_text = match r.get("Payload") {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
        };
        if payload_text.len() > MAX_PAYLOAD_BYTES {
            return Err(error(
                "RequestTooLargeException",
                413,
                format!("Request must be smaller than {MAX_PAYLOAD_BYTES} bytes for the InvokeFunction operation"),
            ));
        }
        let payload = if payload_text.trim().is_empty() {
            json!({})
        } else {
            serde_json::from_str(&payload_text).map_err(|e| {
                error(
                    "InvalidRequestContentException",
                    400,
                    format!("Could not parse request body into json: Could not parse payload into json: {e}"),
                )
            })?
        };
        Ok(Invoke { reference, kind, tail, payload, payload_text })
    }
}

/// Runs Invoke.
pub(super) fn invoke(lambda: &mut Lambda, ctx: &mut LambdaCtx, request: &Value) -> Outcome {
    let (request, attempt) = asynchronous::attempt_of(ctx.caller, request);
    match start(lambda, ctx, &request, attempt) {
        Ok(outcome) => outcome,
        Err(e) => Outcome::Done(Err(e)),
    }
}

fn start(
    lambda: &mut Lambda,
    ctx: &mut LambdaCtx,
    request: &Value,
    attempt: Option<String>,
) -> Result<Outcome, AwsError> {
    let input = Invoke::parse(request)?;
    let (region, account) = (ctx.account.region.clone(), ctx.account.id.clone());
    let function = api::base(lambda, &region, &account, &input.reference.name)?;
    let qualified_arn = match &input.reference.qualifier {
        Some(q) => format!("{}:{q}", function.arn),
        None => function.arn.clone(),
    };
    let f = match versions::qualified(function, input.reference.qualifier.as_deref()) {
        Some(Qualified::Version(v)) => v,
        Some(Qualified::Alias(alias)) => {
            let chosen = alias.pick(ctx.ids);
            versions::version(function, &chosen).ok_or_else(|| api::not_found(&qualified_arn))?
        }
        None => return Err(api::not_found(&qualified_arn)),
    };
    if f.state != "Active" {
        return Err(error(
            "ResourceConflictException",
            409,
            format!(
                "The operation cannot be performed at this time. The function is currently in the following state: {}",
                f.state
            ),
        ));
    }
    match input.kind.as_str() {
        "DryRun" => return Ok(Outcome::Done(Ok(json!({ "StatusCode": 204 })))),
        "Event" => {
            // Queued; Lambda makes the attempts itself (asynchronous.rs).
            let (name, qualifier) = (input.reference.name.clone(), input.reference.qualifier.clone());
            return Ok(Outcome::Done(Ok(asynchronous::queue(
                lambda,
                ctx,
                &name,
                qualifier.as_deref(),
                &input.payload_text,
            ))));
        }
        _ if function.reserved_concurrency == Some(0) => {
            if let Some(id) = &attempt {
                // A throttled attempt is tried again later, as a failed one is.
                let version = f.version.clone();
                let throttle = json!({"errorMessage": "Rate Exceeded."});
                asynchronous::settled(lambda, ctx, id, &version, Some("TooManyRequestsException".into()), &throttle);
            }
            return Err(throttled());
        }
        _ => {}
    }
    if !api::NODE_RUNTIMES.contains(&f.runtime.as_str()) {
        return Err(error(
            "InvalidRuntimeException",
            502,
            format!(
                "The runtime parameter of {} is stored, but this simulator runs only Node.js handlers (nodejs18.x, nodejs20.x, nodejs22.x).",
                f.runtime
            ),
        ));
    }
    // Every attempt of an asynchronous event runs with the event's request id.
    let request_id = match &attempt {
        Some(id) => id.clone(),
        None => ctx.request_id.map(str::to_string).unwrap_or_else(|| ctx.ids.uuid()),
    };
    let f = f.clone();
    let warm = take_idle(lambda, &f);
    let (cold, idle, step) = match warm {
        Some(idle) => (false, idle, None),
        None => {
            let stream = stream_name(ctx, &f.version);
            let config = Config {
                handler: f.handler.clone(),
                env: variables(&f, &stream, &ctx.account.region),
                timeout_ms: f.timeout_s * 1000,
                seed: ctx.ids.next_u64(),
                secrets_extension: layers::has_secrets_extension(&f),
            };
            let (env, step) = Environment::cold(code(&f), config, ctx.now_ms);
            (true, Idle { generation: f.generation, stream, env }, Some(step))
        }
    };
    let invocation = Invocation {
        request_id: request_id.clone(),
        function_name: f.name.clone(),
        function_version: f.version.clone(),
        invoked_function_arn: qualified_arn,
        memory_limit_mb: f.memory_mb,
        log_group_name: f.log_group.clone(),
        log_stream_name: idle.stream.clone(),
    };
    let mut running = Running {
        function: f.name.clone(),
        version: f.version.clone(),
        generation: f.generation,
        role: f.role.clone(),
        env: idle.env,
        stream: idle.stream,
        phase: if cold { Phase::Init } else { Phase::Handler },
        cold,
        event: input.payload,
        invocation,
        tail: input.tail,
        started_ms: ctx.now_ms,
        init_ms: 0,
        lines: Vec::new(),
        attempt,
    };
    let step = match step {
        Some(step) => step,
        None => {
            running.lines.push((ctx.now_ms, start_line(&request_id, &running.version)));
            let event = running.event.clone();
            running.env.invoke(&event, &running.invocation, ctx.now_ms)
        }
    };
    Ok(drive(lambda, ctx, running, step))
}

/// A function whose reserved concurrency is 0 runs nothing (an Event invocation is accepted, and
/// its run is throttled like this).
fn throttled() -> AwsError {
    error("TooManyRequestsException", 429, "Rate Exceeded.")
        .with_detail("Reason", json!("ReservedFunctionConcurrentInvocationLimitExceeded"))
        .with_detail("Type", json!("User"))
}

/// Continues an operation that waited for calls.
pub(super) fn resume(
    lambda: &mut Lambda,
    ctx: &mut LambdaCtx,
    waiting: Waiting,
    results: Vec<Result<Value, AwsError>>,
) -> Outcome {
    match waiting {
        Waiting::Create(input) => {
            let role = input.role_arn().to_string();
            let answer = results.into_iter().next().unwrap_or_else(|| Err(AwsError::client("NoSuchEntity", "")));
            match api::role_assumable(&role, &answer) {
                Ok(()) if !lambda.functions.contains_key(input.name()) => Outcome::Done(Ok(input.commit(lambda, ctx))),
                Ok(()) => Outcome::Done(Err(error(
                    "ResourceConflictException",
                    409,
                    format!("Function already exist: {}", input.name()),
                ))),
                Err(e) => Outcome::Done(Err(e)),
            }
        }
        Waiting::Configure(input) => {
            let role = input.role_arn().unwrap_or_default().to_string();
            let answer = results.into_iter().next().unwrap_or_else(|| Err(AwsError::client("NoSuchEntity", "")));
            match api::role_assumable(&role, &answer) {
                Ok(()) if lambda.functions.contains_key(input.name()) => Outcome::Done(Ok(input.commit(lambda, ctx))),
                Ok(()) => Outcome::Done(Err(api::not_found(&api::function_arn(
                    &ctx.account.region,
                    &ctx.account.id,
                    input.name(),
                )))),
                Err(e) => Outcome::Done(Err(e)),
            }
        }
        Waiting::Logs(delivery) => {
            let (delivery, response) = *delivery;
            delivery.sent(lambda, response, &results)
        }
        Waiting::Invoke(mut running) => {
            let results = results.into_iter().map(call_result).collect();
            let step = running.env.resume(results);
            drive(lambda, ctx, *running, step)
        }
        Waiting::CreateMapping(create) => super::mappings::resume_create(lambda, ctx, create, results),
        Waiting::Poll(poll) => {
            super::mappings::poll::resume(lambda, ctx, poll, results);
            Outcome::Done(Ok(Value::Null))
        }
    }
}

/// What the world answered, as the SDK sees it.
fn call_result(result: Result<Value, AwsError>) -> CallResult {
    match result {
        Ok(value) => CallResult::Ok(value),
        Err(e) => CallResult::Err {
            fault: if e.status >= 500 { "server" } else { "client" },
            status: e.status,
            code: e.code,
            message: e.message,
        },
    }
}

/// Runs the environment until the handler waits for calls or the invocation ends.
fn drive(lambda: &mut Lambda, ctx: &mut LambdaCtx, mut running: Running, mut step: Step) -> Outcome {
    loop {
        match step {
            Step::Calls(calls) => {
                let principal = Principal::Role { arn: running.role.clone(), session: running.function.clone() };
                let calls =
                    calls.into_iter().map(|c| Call::new(principal.clone(), &c.service, &c.action, c.input)).collect();
                let token = lambda.warm.next_token;
                lambda.warm.next_token += 1;
                lambda.warm.waiting.insert(token, Waiting::Invoke(Box::new(running)));
                return Outcome::Await { calls, token };
            }
            Step::Finished(finished) => {
                let Finished { ending, logs, duration_ms } = finished;
                running.lines.extend(logs.iter().map(|l| (l.time_ms, l.text())));
                match (running.phase, ending) {
                    (Phase::Init, Ending::Returned(_)) => {
                        running.init_ms = duration_ms;
                        running.phase = Phase::Handler;
                        let at = running.started_ms + duration_ms;
                        running.lines.push((at, start_line(&running.invocation.request_id, &running.version)));
                        let event = running.event.clone();
                        step = running.env.invoke(&event, &running.invocation, at);
                    }
                    (Phase::Init, ending) => {
                        running.init_ms = duration_ms;
                        return finish(lambda, ctx, running, ending, 0);
                    }
                    (Phase::Handler, ending) => return finish(lambda, ctx, running, ending, duration_ms),
                }
            }
        }
    }
}

fn start_line(request_id: &str, version: &str) -> String {
    format!("START RequestId: {request_id} Version: {version}")
}

/// Answers the invocation, writes its logs and keeps its environment warm if it can be reused.
fn finish(
    lambda: &mut Lambda,
    ctx: &mut LambdaCtx,
    mut running: Running,
    ending: Ending,
    duration_ms: Millis,
) -> Outcome {
    let id = running.invocation.request_id.clone();
    let begun = running.started_ms + running.init_ms;
    // The invocation lasted at least until the last line the handler wrote (a line's instant is
    // the virtual clock's when it was written), so the lines Lambda adds come after it.
    let written = running.lines.iter().map(|(t, _)| *t).max().unwrap_or(begun);
    let duration_ms = duration_ms.max(written.saturating_sub(begun));
    let end = begun + duration_ms;
    if running.phase == Phase::Init {
        // The init failed: Lambda reports it, then the invocation (which never ran the handler).
        let status = match &ending {
            Ending::TimedOut => "timeout".to_string(),
            Ending::Failed(e) => format!("error\tError Type: {}", e.error_type),
            Ending::Returned(_) => "success".to_string(),
        };
        running.lines.push((
            begun,
            format!("INIT_REPORT Init Duration: {}.00 ms\tPhase: init\tStatus: {status}", running.init_ms),
        ));
        running.lines.push((begun, start_line(&id, &running.version)));
    }
    let (payload, function_error) = match &ending {
        Ending::Returned(value) => {
            let text = serde_json::to_string(value).unwrap_or_else(|_| "null".into());
            if text.len() > MAX_PAYLOAD_BYTES {
                let e = FunctionError {
                    error_type: "Function.ResponseSizeTooLarge".into(),
                    message: format!(
                        "Response payload size exceeded maximum allowed payload size ({MAX_PAYLOAD_BYTES} bytes)."
                    ),
                    trace: Vec::new(),
                };
                (json!({"errorType": e.error_type, "errorMessage": e.message}), true)
            } else {
                (value.clone(), false)
            }
        }
        Ending::Failed(e) if runtime_died(e) => {
            // The runtime process itself ended: Lambda, not the runtime, reports it (no
            // `Invoke Error` line), as the message and the error type on two lines.
            running.lines.push((end, format!("{}\n{}", e.message, e.error_type)));
            (e.payload(), true)
        }
        Ending::Failed(e) => {
            if running.phase == Phase::Handler {
                running.lines.push((end, format!("{}\t{id}\tERROR\tInvoke Error \t{}", iso8601(end), e.payload())));
            }
            (e.payload(), true)
        }
        Ending::TimedOut => {
            let at = running.started_ms + running.init_ms + running.env.config().timeout_ms;
            let text = format!(
                "{} {id} Task timed out after {}.00 seconds",
                iso8601(at),
                running.env.config().timeout_ms / 1000
            );
            running.lines.push((at, text.clone()));
            (json!({ "errorMessage": text }), true)
        }
    };
    let duration = if ending == Ending::TimedOut { running.env.config().timeout_ms } else { duration_ms.max(1) };
    let end = begun + duration;
    running.lines.push((end, format!("END RequestId: {id}")));
    let mut report = format!(
        "REPORT RequestId: {id}\tDuration: {duration}.00 ms\tBilled Duration: {duration} ms\tMemory Size: {} MB\tMax Memory Used: {} MB",
        running.invocation.memory_limit_mb,
        running.env.max_memory_used_mb(REPORTED_MEMORY_MB, running.invocation.memory_limit_mb)
    );
    if running.cold {
        report.push_str(&format!("\tInit Duration: {}.00 ms", running.init_ms));
    }
    match &ending {
        Ending::TimedOut => report.push_str("\tStatus: timeout"),
        Ending::Failed(e) if runtime_died(e) => {
            report.push_str(&format!("\tStatus: error\tError Type: {}", e.error_type))
        }
        _ => {}
    }
    report.push('\t');
    running.lines.push((end, report));
    let delivery = lambda.functions.get(&running.function).map(|f| Delivery::of(&running, f));

    let mut response = json!({
        "StatusCode": 200,
        "ExecutedVersion": running.version,
        "Payload": serde_json::to_string(&payload).unwrap_or_default(),
    });
    if function_error {
        response["FunctionError"] = json!("Unhandled");
    }
    if let Some(id) = &running.attempt {
        let error_type = function_error.then(|| payload["errorType"].as_str().unwrap_or("Unhandled").to_string());
        asynchronous::settled(lambda, ctx, id, &running.version, error_type, &payload);
    }
    if running.tail {
        let text: String = running.lines.iter().map(|(_, l)| format!("{l}\n")).collect();
        let bytes = text.as_bytes();
        let mut from = bytes.len().saturating_sub(TAIL_BYTES);
        while from < bytes.len() && !text.is_char_boundary(from) {
            from += 1;
        }
        response["LogResult"] = json!(crate::wire::encode_base64(&bytes[from..]));
    }
    let current = lambda
        .functions
        .get(&running.function)
        .and_then(|f| versions::version(f, &running.version))
        .is_some_and(|f| f.generation == running.generation);
    if current && running.env.reusable() {
        lambda.warm.idle.entry(warm_key(&running.function, &running.version)).or_default().push(Idle {
            generation: running.generation,
            stream: running.stream,
            env: running.env,
        });
    }
    match delivery {
        Some(delivery) => delivery.send(lambda, response),
        None => Outcome::Done(Ok(response)),
    }
}

/// An invocation's log lines on their way to CloudWatch Logs, as calls the function's role makes
/// (so IAM decides whether a function has logs). A new environment creates its group and stream
/// first; a warm one only puts events, and creates them when they turn out to be missing (the
/// role was given the permission since, or the group was deleted), as Lambda's log agent does.
pub(crate) struct Delivery {
    principal: Principal,
    group: String,
    stream: String,
    events: Vec<Value>,
    /// Whether the group and stream are yet to be created.
    create: bool,
    /// Whether creating them may still be tried after a failed put.
    may_retry: bool,
}

impl Delivery {
    fn of(running: &Running, function: &Function) -> Delivery {
        Delivery {
            principal: Principal::Role { arn: running.role.clone(), session: running.function.clone() },
            group: function.log_group.clone(),
            stream: running.stream.clone(),
            events: running.lines.iter().map(|(t, m)| json!({ "timestamp": t, "message": format!("{m}\n") })).collect(),
            create: running.cold,
            may_retry: !running.cold,
        }
    }

    fn calls(&self) -> Vec<Call> {
        let mut calls = Vec::new();
        let call = |action: &str, request: Value| Call::new(self.principal.clone(), "logs", action, request);
        if self.create {
            calls.push(call("CreateLogGroup", json!({ "logGroupName": self.group })));
            calls.push(call("CreateLogStream", json!({ "logGroupName": self.group, "logStreamName": self.stream })));
        }
        calls.push(call(
            "PutLogEvents",
            json!({ "logGroupName": self.group, "logStreamName": self.stream, "logEvents": self.events }),
        ));
        calls
    }

    /// Makes the calls (the Invoke answers `response` once they are made).
    fn send(self, lambda: &mut Lambda, response: Value) -> Outcome {
        let calls = self.calls();
        let token = lambda.warm.next_token;
        lambda.warm.next_token += 1;
        lambda.warm.waiting.insert(token, Waiting::Logs(Box::new((self, response))));
        Outcome::Await { calls, token }
    }

    /// After the calls: once more with the group and stream created if the put found them
    /// missing, else the Invoke's answer.
    fn sent(mut self, lambda: &mut Lambda, response: Value, results: &[Result<Value, AwsError>]) -> Outcome {
        let missing = matches!(results.last(), Some(Err(e)) if e.code == "ResourceNotFoundException");
        if missing && self.may_retry {
            self.create = true;
            self.may_retry = false;
            return self.send(lambda, response);
        }
        Outcome::Done(Ok(response))
    }
}

/// A warm environment for the function's current generation, if one is idle and reusable.
fn take_idle(lambda: &mut Lambda, f: &Function) -> Option<Idle> {
    let list = lambda.warm.idle.get_mut(&warm_key(&f.name, &f.version))?;
    list.retain(|i| i.generation == f.generation && i.env.reusable());
    list.pop()
}

/// Where the idle environments of a function's version wait.
fn warm_key(function: &str, version: &str) -> String {
    format!("{function}:{version}")
}

/// `YYYY/MM/DD/[VERSION]` and 32 hexadecimal digits, as Lambda names an environment's stream.
fn stream_name(ctx: &mut LambdaCtx, version: &str) -> String {
    let date = &iso8601(ctx.now_ms)[..10];
    format!("{}/[{version}]{}", date.replace('-', "/"), ctx.ids.string_from(b"0123456789abcdef", 32))
}

/// Whether the runtime process died (out of memory, or exited with nothing left to run) rather
/// than the handler failing.
fn runtime_died(e: &FunctionError) -> bool {
    matches!(e.error_type.as_str(), "Runtime.OutOfMemory" | "Runtime.ExitError")
}

/// The function's files under /var/task, and its layers' under /opt (a later layer's file wins
/// over an earlier one's, as layers are unpacked in order).
fn code(f: &Function) -> Code {
    let mut code = Code::task(f.package.files.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    for layer in &f.layers {
        for (path, text) in &layer.package.files {
            code.files.insert(format!("/opt/{}", path.trim_start_matches('/')), text.clone());
        }
    }
    code
}

/// `process.env`: the function's variables and the ones Lambda sets.
fn variables(f: &Function, stream: &str, region: &str) -> BTreeMap<String, String> {
    let mut env = f.environment.clone();
    for (k, v) in [
        ("AWS_REGION", region.to_string()),
        ("AWS_DEFAULT_REGION", region.to_string()),
        ("AWS_EXECUTION_ENV", format!("AWS_Lambda_{}", f.runtime)),
        ("AWS_LAMBDA_FUNCTION_NAME", f.name.clone()),
        ("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", f.memory_mb.to_string()),
        ("AWS_LAMBDA_FUNCTION_VERSION", f.version.clone()),
        ("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand".to_string()),
        ("AWS_LAMBDA_LOG_GROUP_NAME", f.log_group.clone()),
        ("AWS_LAMBDA_LOG_STREAM_NAME", stream.to_string()),
        ("LAMBDA_TASK_ROOT", "/var/task".to_string()),
        ("LAMBDA_RUNTIME_DIR", "/var/runtime".to_string()),
        ("_HANDLER", f.handler.clone()),
        ("TZ", ":UTC".to_string()),
        ("LANG", "en_US.UTF-8".to_string()),
        (
            "NODE_PATH",
            "/opt/nodejs/node22/node_modules:/opt/nodejs/node_modules:/var/runtime/node_modules:/var/runtime:/var/task"
                .to_string(),
        ),
    ] {
        env.insert(k.to_string(), v);
    }
    env
}
