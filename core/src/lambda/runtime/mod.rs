//! The Node.js runtime: a handler's JavaScript, run by an embedded engine (boa) the same way
//! natively and in the browser's engine worker.
//!
//! An [`Environment`] is one execution environment: a JS context with the handler's code
//! loaded, kept warm between invocations (module-level state survives), and a cache beside the
//! World, never part of it. Running code is a small state machine: [`Environment::cold`] and
//! [`Environment::invoke`] start work, and each answers a [`Step`]: either the SDK calls the
//! code is waiting on (the world makes them as the function's role, then
//! [`Environment::resume`] hands back their results), or the finished result.
//!
//! What bounds the code (DESIGN.md, "Lambda code"):
//! - time: every engine instruction counts; [`INSTRUCTIONS_PER_MS`] of them are one virtual
//!   millisecond, so a duration is derived from the work done, the same on every machine. A
//!   handler past its timeout is stopped by the engine's instruction budget, which ends the
//!   environment (as AWS ends it after a timeout);
//! - depth: the engine's recursion limit ends deep recursion as a RangeError;
//! - memory: a deterministic estimate of what the code holds (engine.rs, `Meter`), checked by the
//!   built-ins that grow arrays and strings; past the function's memory (less the runtime's own
//!   [`RUNTIME_MEMORY_MB`]) the invocation ends with Lambda's `Runtime.OutOfMemory` and the
//!   environment is spent;
//! - reach: the only ways out of the sandbox are the SDK calls and the log lines this module
//!   hands to its caller. There is no page, no storage and no network: `fetch` answers only for
//!   the Parameters and Secrets extension (its requests are GetSecretValue calls the world
//!   makes as the function's role) and fails for every other URL as Node does offline.
//!
//! Date and Math.random follow the virtual clock and the function's seed.

mod engine;

use crate::clock::Millis;
use boa_engine::builtins::promise::PromiseState;
use boa_engine::object::builtins::JsPromise;
use boa_engine::{Context, JsError, JsObject, JsValue, Module, Source};
use engine::{Engine, ErrorKind};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::Path;
use std::rc::Rc;

/// Virtual speed of the engine: instructions per virtual millisecond. Chosen so that a timed-out
/// loop ends in about a second of real time in the browser, and a small handler reports a few
/// milliseconds, as on AWS.
pub const INSTRUCTIONS_PER_MS: u64 = 5_000;

/// The most virtual time of pure computation an invocation may use, whatever its timeout: past
/// it the invocation times out (docs/differences.md). Waiting (timers, SDK calls) is not counted.
pub const MAX_BUSY_MS: Millis = 60_000;

/// Where the function's own code lives, as on AWS.
pub const TASK_ROOT: &str = "/var/task";

/// The files of a function and its layers, by absolute path (`/var/task/index.mjs`,
/// `/opt/nodejs/node_modules/x/index.js`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Code {
    pub files: BTreeMap<String, String>,
}

impl Code {
    /// The function's own files, relative paths under [`TASK_ROOT`].
    pub fn task<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> Code {
        Code {
            files: files
                .into_iter()
                .map(|(path, text)| (format!("{TASK_ROOT}/{}", path.trim_start_matches('/')), text.to_string()))
                .collect(),
        }
    }
}

/// What an environment is started with: the function's configuration as the code sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// `file.export` (`index.handler`), or with a folder (`src/app.handler`).
    pub handler: String,
    /// The variables of `process.env`: the function's own and the runtime's (AWS_REGION...).
    pub env: BTreeMap<String, String>,
    /// The function's timeout.
    pub timeout_ms: Millis,
    /// Seeds Math.random (and crypto.randomUUID).
    pub seed: u64,
    /// Whether the Parameters and Secrets extension listens on its port (the function has AWS's
    /// extension layer); without it `fetch` to localhost:2773 is refused like any closed port.
    pub secrets_extension: bool,
}

/// What `context` tells the handler about this invocation.
#[derive(Clone, Debug, PartialEq)]
pub struct Invocation {
    pub request_id: String,
    pub function_name: String,
    pub function_version: String,
    pub invoked_function_arn: String,
    pub memory_limit_mb: u64,
    pub log_group_name: String,
    pub log_stream_name: String,
}

/// A call the code is waiting on, for the world to make as the function's role.
#[derive(Clone, Debug, PartialEq)]
pub struct SdkCall {
    pub service: String,
    pub action: String,
    pub input: Value,
}

/// The answer of a call the world made for the code: the response, or AWS's error.
#[derive(Clone, Debug, PartialEq)]
pub enum CallResult {
    Ok(Value),
    Err { code: String, message: String, fault: &'static str, status: u16 },
}

/// One line the code wrote with `console.*`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogLine {
    /// The virtual instant it was written.
    pub time_ms: Millis,
    /// INFO, WARN, ERROR, DEBUG or TRACE.
    pub level: String,
    pub message: String,
    /// The invocation it belongs to (none while the module initialises).
    pub request_id: Option<String>,
}

impl LogLine {
    /// As the Node.js runtimes write it: `timestamp\trequestId\tLEVEL\tmessage`.
    pub fn text(&self) -> String {
        format!(
            "{}\t{}\t{}\t{}",
            crate::clock::iso8601(self.time_ms),
            self.request_id.as_deref().unwrap_or("undefined"),
            self.level,
            self.message
        )
    }
}

/// How code failed, as Lambda reports it: `errorType`, `errorMessage`, `trace`.
#[derive(Clone, Debug, PartialEq)]
pub struct FunctionError {
    pub error_type: String,
    pub message: String,
    pub trace: Vec<String>,
}

impl FunctionError {
    fn new(error_type: &str, message: impl Into<String>) -> FunctionError {
        let message = message.into();
        FunctionError { trace: vec![format!("{error_type}: {message}")], error_type: error_type.to_string(), message }
    }

    /// The JSON payload Lambda answers with. The runtime's own exits (`Runtime.ExitError`,
    /// `Runtime.OutOfMemory`) carry no trace.
    pub fn payload(&self) -> Value {
        if self.trace.is_empty() && self.error_type.starts_with("Runtime.") {
            return json!({ "errorType": self.error_type, "errorMessage": self.message });
        }
        json!({ "errorType": self.error_type, "errorMessage": self.message, "trace": self.trace })
    }
}

/// How a piece of work ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Ending {
    /// The handler's result (JSON; `null` for undefined), or for initialisation `null`.
    Returned(Value),
    /// The code threw, or the runtime could not run it.
    Failed(FunctionError),
    /// The invocation ran past its timeout (the environment is spent).
    TimedOut,
}

/// What [`Environment::cold`], [`Environment::invoke`] and [`Environment::resume`] answer.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// The code waits for these calls; resume with their results in this order.
    Calls(Vec<SdkCall>),
    /// The work is done.
    Finished(Finished),
}

/// A finished piece of work: its ending, its log lines and its virtual duration.
#[derive(Clone, Debug, PartialEq)]
pub struct Finished {
    pub ending: Ending,
    pub logs: Vec<LogLine>,
    /// Virtual time from start to end, in milliseconds (computation and waiting).
    pub duration_ms: Millis,
}

/// What is running in an environment now.
enum Phase {
    Idle,
    /// The handler's module is being evaluated (it may await SDK calls at its top level).
    Init {
        promise: JsPromise,
    },
    /// The handler is running; `outcome` is the bootstrap's record of how it ends.
    Invoke {
        outcome: JsObject,
        deadline_ms: Millis,
    },
}

/// One execution environment: a JS context with the function's code loaded.
pub struct Environment {
    engine: Engine,
    /// The handler function, once the module has initialised.
    handler: Option<JsObject>,
    phase: Phase,
    /// The resolve/reject functions of the calls handed out by the last step.
    waiting: Vec<JsObject>,
    config: Config,
    started_ms: Millis,
    /// Set when the environment can run nothing more (after a timeout or a runtime crash).
    spent: bool,
    /// Whether the handler module is an ES module (for the messages AWS words differently).
    esm: bool,
    /// The invocation running now (for the runtime's exit messages).
    request_id: Option<String>,
}

impl Environment {
    /// Starts a cold environment at `now_ms`: loads the runtime and the handler's module. The
    /// returned step is the initialisation's (it may wait for SDK calls made at module top level).
    pub fn cold(code: Code, mut config: Config, now_ms: Millis) -> (Environment, Step) {
        credentials(&mut config);
        let budget = 2 * busy_instructions(config.timeout_ms);
        let mut engine = Engine::new(Rc::new(code), config.seed, now_ms, budget);
        let memory_mb = config.env.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE").and_then(|m| m.parse().ok()).unwrap_or(128);
        engine.set_memory_limit(memory_limit_bytes(memory_mb));
        let mut env = Environment {
            engine,
            handler: None,
            phase: Phase::Idle,
            waiting: Vec::new(),
            config,
            started_ms: now_ms,
            spent: false,
            esm: false,
            request_id: None,
        };
        let step = env.init();
        (env, step)
    }

    /// Whether the environment can take another invocation: not spent, and with enough
    /// instruction budget left for a whole invocation (else the caller starts a fresh one, as
    /// AWS may at any time).
    pub fn reusable(&self) -> bool {
        !self.spent && self.handler.is_some() && self.engine.remaining() >= busy_instructions(self.config.timeout_ms)
    }

    /// The configuration the environment was started with (with the credentials Lambda adds).
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Whether the code ran out of memory (the environment is then spent).
    pub fn out_of_memory(&self) -> bool {
        self.engine.out_of_memory()
    }

    /// What the REPORT line's `Max Memory Used` shows: the function's memory size after an
    /// out-of-memory end, else the runtime's own `baseline_mb` and the most the code was found
    /// to hold.
    pub fn max_memory_used_mb(&self, baseline_mb: u64, memory_size_mb: u64) -> u64 {
        if self.out_of_memory() {
            return memory_size_mb;
        }
        (baseline_mb + self.engine.peak_bytes().div_ceil(1 << 20)).min(memory_size_mb)
    }

    fn init(&mut self) -> Step {
        if let Err(e) = self.engine.boot(&self.config.env, self.config.secrets_extension) {
            return self.crash(FunctionError::new("Runtime.Unknown", e));
        }
        let (file, export) = match self.config.handler.rsplit_once('.') {
            Some((file, export)) if !file.is_empty() && !export.is_empty() => (file.to_string(), export.to_string()),
            _ => {
                return self.crash(FunctionError::new(
                    "Runtime.MalformedHandlerName",
                    "Bad handler: the handler must be in the form file.export",
                ))
            }
        };
        let base = format!("{TASK_ROOT}/{file}");
        let Some(path) =
            [".js", ".mjs", ".cjs"].iter().map(|ext| format!("{base}{ext}")).find(|p| self.engine.has_file(p))
        else {
            return self.crash(FunctionError::new(
                "Runtime.ImportModuleError",
                format!("Error: Cannot find module '{file}'\nRequire stack:\n- /var/runtime/index.mjs"),
            ));
        };
        self.esm = self.engine.is_esm(&path);
        if self.esm {
            let text = self.engine.file(&path).unwrap_or_default().to_string();
            let source = Source::from_bytes(text.as_bytes()).with_path(Path::new(&path));
            let module = match Module::parse(source, None, self.engine.context()) {
                Ok(module) => module,
                Err(e) => {
                    let message = self.engine.describe(&e);
                    return self.crash(FunctionError::new("Runtime.UserCodeSyntaxError", message));
                }
            };
            let promise = module.load_link_evaluate(self.engine.context());
            self.engine.set_module(module, export);
            self.phase = Phase::Init { promise };
        } else {
            match self.engine.require_main(&path) {
                Ok(exports) => {
                    let handler = self.engine.export_of(&exports, &export);
                    let promise = match JsPromise::resolve(exports, self.engine.context()) {
                        Ok(promise) => promise,
                        Err(e) => return self.fail_with(e),
                    };
                    self.engine.set_cjs(handler, export);
                    self.phase = Phase::Init { promise };
                }
                Err(e) if !matches!(self.engine.kind(&e), ErrorKind::Js) => return self.fail_with(e),
                Err(e) => {
                    let error = self.engine.function_error(&e);
                    let error = if error.error_type == "SyntaxError" {
                        FunctionError::new("Runtime.UserCodeSyntaxError", format!("SyntaxError: {}", error.message))
                    } else if error.message.starts_with("Cannot find module") {
                        FunctionError::new("Runtime.ImportModuleError", format!("Error: {}", error.message))
                    } else {
                        error
                    };
                    return self.crash(error);
                }
            }
        }
        // The init phase is everything from the cold start: the runtime's boot, loading and
        // evaluating the module, and its top-level awaits.
        self.drive()
    }

    /// Starts an invocation of the handler with `event` at `now_ms`.
    pub fn invoke(&mut self, event: &Value, invocation: &Invocation, now_ms: Millis) -> Step {
        if self.spent || self.handler.is_none() || !matches!(self.phase, Phase::Idle) {
            return Step::Finished(Finished {
                ending: Ending::Failed(FunctionError::new("Runtime.Unknown", "The execution environment cannot run.")),
                logs: Vec::new(),
                duration_ms: 0,
            });
        }
        self.engine.set_now(now_ms.max(self.engine.now()));
        self.engine.set_memory_limit(memory_limit_bytes(invocation.memory_limit_mb));
        self.request_id = Some(invocation.request_id.clone());
        self.started_ms = self.engine.now();
        let deadline_ms = self.started_ms + self.config.timeout_ms;
        let handler = self.handler.clone().expect("checked");
        match self.engine.start_invoke(&handler, event, invocation, deadline_ms) {
            Ok(outcome) => {
                self.phase = Phase::Invoke { outcome, deadline_ms };
                self.drive()
            }
            Err(e) => self.fail_with(e),
        }
    }

    /// Hands the results of the last step's calls back to the code and runs it on.
    pub fn resume(&mut self, results: Vec<CallResult>) -> Step {
        let waiting = std::mem::take(&mut self.waiting);
        for (record, result) in waiting.into_iter().zip(results) {
            if let Err(e) = self.engine.settle(&record, result) {
                return self.fail_with(e);
            }
        }
        self.drive()
    }

    /// Runs the engine until the work finishes or waits for calls.
    fn drive(&mut self) -> Step {
        loop {
            if let Err(e) = self.engine.run_jobs() {
                return self.fail_with(e);
            }
            if self.over_time() {
                return self.time_out();
            }
            if let Some(step) = self.settled() {
                return step;
            }
            match self.engine.take_calls() {
                Ok((calls, records)) if !calls.is_empty() => {
                    self.waiting = records;
                    return Step::Calls(calls);
                }
                Ok(_) => {}
                Err(e) => return self.fail_with(e),
            }
            match self.engine.next_timer() {
                Ok(Some(due)) => {
                    if let Phase::Invoke { deadline_ms, .. } = self.phase {
                        if due >= deadline_ms {
                            self.engine.set_now(deadline_ms);
                            return self.time_out();
                        }
                    }
                    self.engine.wait_until(due);
                    if let Err(e) = self.engine.fire_timers() {
                        return self.fail_with(e);
                    }
                }
                Ok(None) => return self.loop_empty(),
                Err(e) => return self.fail_with(e),
            }
        }
    }

    /// The step when the work has finished, if it has.
    fn settled(&mut self) -> Option<Step> {
        match &self.phase {
            Phase::Idle => None,
            Phase::Init { promise } => match promise.state() {
                PromiseState::Pending => None,
                PromiseState::Fulfilled(_) => {
                    let handler = match self.engine.handler() {
                        Ok(handler) => handler,
                        Err(e) => return Some(self.crash(e)),
                    };
                    self.handler = Some(handler);
                    self.phase = Phase::Idle;
                    Some(self.finish(Ending::Returned(Value::Null)))
                }
                PromiseState::Rejected(reason) => {
                    let error = self.engine.function_error(&JsError::from_opaque(reason.clone()));
                    let error = if error.error_type == "SyntaxError" {
                        FunctionError::new("Runtime.UserCodeSyntaxError", format!("SyntaxError: {}", error.message))
                    } else {
                        error
                    };
                    Some(self.crash(error))
                }
            },
            Phase::Invoke { outcome, .. } => {
                let outcome = outcome.clone();
                match self.engine.outcome(&outcome) {
                    Ok(None) => None,
                    Ok(Some(Ok(value))) => {
                        self.phase = Phase::Idle;
                        Some(self.finish(Ending::Returned(value)))
                    }
                    Ok(Some(Err(error))) => {
                        self.phase = Phase::Idle;
                        Some(self.finish(Ending::Failed(error)))
                    }
                    Err(e) => Some(self.fail_with(e)),
                }
            }
        }
    }

    /// Nothing is left to run (no jobs, no calls, no timers) and the work has not finished.
    fn loop_empty(&mut self) -> Step {
        match &self.phase {
            Phase::Invoke { outcome, .. } => {
                let outcome = outcome.clone();
                if self.engine.finish_empty(&outcome).unwrap_or(false) {
                    if let Some(step) = self.settled() {
                        return step;
                    }
                }
                // An async handler whose promise can never settle: Node.js exits, and Lambda says so.
                let request = self.request_id.as_deref().map(|id| format!("RequestId: {id} ")).unwrap_or_default();
                self.crash(FunctionError::new(
                    "Runtime.ExitError",
                    format!("{request}Error: Runtime exited without providing a reason"),
                ))
            }
            _ => self.crash(FunctionError::new(
                "Runtime.ExitError",
                "Error: Runtime exited without providing a reason (the module's top-level await never settled)",
            )),
        }
    }

    fn over_time(&self) -> bool {
        match self.phase {
            Phase::Invoke { deadline_ms, .. } => self.engine.now() >= deadline_ms,
            _ => false,
        }
    }

    fn time_out(&mut self) -> Step {
        self.spent = true;
        self.phase = Phase::Idle;
        let now = self.started_ms + self.config.timeout_ms;
        self.engine.set_now(now.max(self.engine.now()));
        self.finish(Ending::TimedOut)
    }

    /// A JS error escaped the runtime's own handling: an engine limit, or code thrown outside
    /// the handler's promise (a timer callback).
    fn fail_with(&mut self, e: JsError) -> Step {
        match self.engine.kind(&e) {
            ErrorKind::OutOfInstructions => {
                self.engine.set_now(self.started_ms + self.config.timeout_ms);
                self.time_out()
            }
            ErrorKind::OutOfMemory => {
                let request = self.request_id.as_deref().map(|id| format!("RequestId: {id} ")).unwrap_or_default();
                let error = FunctionError {
                    error_type: "Runtime.OutOfMemory".into(),
                    message: format!("{request}Error: Runtime exited with error: signal: killed"),
                    trace: Vec::new(),
                };
                self.crash(error)
            }
            ErrorKind::Recursion => {
                let error = FunctionError::new("RangeError", "Maximum call stack size exceeded");
                self.crash(error)
            }
            ErrorKind::Js => {
                let error = self.engine.function_error(&e);
                self.crash(error)
            }
        }
    }

    /// Ends the work with an error that leaves the environment unusable (Lambda starts a new one).
    fn crash(&mut self, error: FunctionError) -> Step {
        self.spent = true;
        self.phase = Phase::Idle;
        self.finish(Ending::Failed(error))
    }

    fn finish(&mut self, ending: Ending) -> Step {
        let logs = self.engine.take_logs();
        let duration_ms = self.engine.now().saturating_sub(self.started_ms);
        Step::Finished(Finished { ending, logs, duration_ms })
    }
}

/// What the runtime itself uses of a function's memory (the Node.js process, before the code
/// holds anything): what the REPORT line shows for a small handler.
pub const RUNTIME_MEMORY_MB: u64 = 68;

/// The bytes the code may hold in a function of `memory_mb`.
fn memory_limit_bytes(memory_mb: u64) -> u64 {
    memory_mb.clamp(RUNTIME_MEMORY_MB + 16, 1 << 30).saturating_sub(RUNTIME_MEMORY_MB) << 20
}

/// Lambda gives the code the execution role's temporary credentials in `AWS_ACCESS_KEY_ID`,
/// `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN` (the Parameters and Secrets extension checks
/// the token). The sandbox's are fake, derived from the environment's seed, and sign nothing.
fn credentials(config: &mut Config) {
    let mut state = config.seed ^ 0x5d58_39a1_c0ff_ee00;
    let mut next = move || {
        // splitmix64
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let mut text = |alphabet: &[u8], n: usize| -> String {
        (0..n).map(|_| alphabet[(next() % alphabet.len() as u64) as usize] as char).collect()
    };
    const UPPER: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    const BASE64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let key = format!("ASIA{}", text(UPPER, 16));
    let secret = text(BASE64, 40);
    let token = format!("IQoJb3JpZ2luX2VjE{}", text(BASE64, 300));
    for (name, value) in [("AWS_ACCESS_KEY_ID", key), ("AWS_SECRET_ACCESS_KEY", secret), ("AWS_SESSION_TOKEN", token)] {
        config.env.entry(name.to_string()).or_insert(value);
    }
}

/// The instructions an invocation with `timeout_ms` may use.
fn busy_instructions(timeout_ms: Millis) -> u64 {
    timeout_ms.clamp(1, MAX_BUSY_MS) * INSTRUCTIONS_PER_MS
}

/// JSON for the engine: numbers that are integers stay integers.
fn to_json(value: &JsValue, context: &mut Context) -> Value {
    match value.to_json(context) {
        Ok(Some(v)) => tidy_numbers(v),
        _ => Value::Null,
    }
}

/// boa turns every number into an f64 on the way to JSON; Node's JSON.stringify prints `1`, not `1.0`.
fn tidy_numbers(value: Value) -> Value {
    match value {
        Value::Number(n) => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 9.007_199_254_740_992e15 => json!(f as i64),
            _ => Value::Number(n),
        },
        Value::Array(items) => Value::Array(items.into_iter().map(tidy_numbers).collect()),
        Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (k, tidy_numbers(v))).collect()),
        other => other,
    }
}

#[cfg(test)]
mod tests;
