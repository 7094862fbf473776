//! The boa side of the runtime: the context, its virtual clock, its job queue, its module loader,
//! the few native hooks the bootstrap script is given, and the memory meter. Everything else a
//! handler sees is JavaScript (`js/bootstrap.js`, `js/node.js`, `js/sdk.js`).

use super::{to_json, CallResult, Code, FunctionError, Invocation, LogLine, SdkCall, INSTRUCTIONS_PER_MS, TASK_ROOT};
use crate::clock::Millis;
use boa_engine::builtins::typed_array::TypedArray;
use boa_engine::context::time::JsInstant;
use boa_engine::context::{Clock, HostHooks};
use boa_engine::error::{EngineError, RuntimeLimitError};
use boa_engine::gc::{Finalize, Trace};
use boa_engine::job::{Job, JobExecutor, NativeAsyncJob, PromiseJob};
use boa_engine::module::{ModuleLoader, ModuleRequest, Referrer, SyntheticModuleInitializer};
use boa_engine::object::builtins::{JsArray, JsTypedArray};
use boa_engine::object::{FunctionObjectBuilder, ObjectInitializer};
use boa_engine::property::Attribute;
use boa_engine::{
    js_string, Context, JsError, JsNativeError, JsObject, JsResult, JsString, JsValue, Module, NativeFunction, Script,
    Source,
};
use serde_json::Value;
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::future::Future;
use std::path::Path;
use std::rc::Rc;
use std::task::{Context as TaskContext, Poll, Waker};

const BOOTSTRAP: &str = include_str!("js/bootstrap.js");
const SDK: &str = include_str!("js/sdk.js");
const NODE: &str = include_str!("js/node.js");

/// Where module loads that have no referrer (the handler itself) come from, as on AWS.
const RUNTIME_ENTRY: &str = "/var/runtime/index.mjs";

/// How the engine stopped a piece of code.
pub(super) enum ErrorKind {
    /// The instruction budget ran out: the invocation timed out.
    OutOfInstructions,
    /// Too deep: Node's "Maximum call stack size exceeded".
    Recursion,
    /// The code holds more than the function's memory: Lambda kills the runtime.
    OutOfMemory,
    /// A JavaScript exception.
    Js,
}

/// The context's clock: the virtual instant, which the runtime moves.
struct VirtualClock(Rc<Cell<Millis>>);

impl Clock for VirtualClock {
    fn now(&self) -> JsInstant {
        let ms = self.0.get();
        JsInstant::new(ms / 1000, ((ms % 1000) * 1_000_000) as u32)
    }

    fn system_time_millis(&self) -> i64 {
        self.0.get() as i64
    }
}

/// The job queue: promise reactions and the loader's (always ready) futures. Timers are the
/// bootstrap's own, on virtual time, so nothing here waits on a real clock.
#[derive(Default)]
struct Jobs {
    promises: RefCell<VecDeque<PromiseJob>>,
    futures: RefCell<VecDeque<NativeAsyncJob>>,
}

impl JobExecutor for Jobs {
    fn enqueue_job(self: Rc<Self>, job: Job, _context: &mut Context) {
        match job {
            Job::PromiseJob(job) => self.promises.borrow_mut().push_back(job),
            Job::AsyncJob(job) => self.futures.borrow_mut().push_back(job),
            // Timeouts, intervals and finalization jobs come from built-ins this runtime does not
            // install (its timers are the bootstrap's); generic jobs likewise.
            _ => {}
        }
    }

    fn run_jobs(self: Rc<Self>, context: &mut Context) -> JsResult<()> {
        loop {
            let future = self.futures.borrow_mut().pop_front();
            if let Some(job) = future {
                let cell = RefCell::new(&mut *context);
                let mut running = std::pin::pin!(job.call(&cell));
                let mut waker = TaskContext::from_waker(Waker::noop());
                // The loader answers at once, so its futures are ready on the first poll.
                loop {
                    if let Poll::Ready(result) = running.as_mut().poll(&mut waker) {
                        result?;
                        break;
                    }
                }
                continue;
            }
            let promise = self.promises.borrow_mut().pop_front();
            match promise {
                Some(job) => {
                    job.call(context)?;
                }
                None => return Ok(()),
            }
        }
    }
}

/// Resolves and loads modules from the function's files and the built-in modules.
struct Loader {
    code: Rc<Code>,
    control: Rc<RefCell<Option<JsObject>>>,
    modules: RefCell<HashMap<String, Module>>,
}

impl ModuleLoader for Loader {
    async fn load_imported_module(
        self: Rc<Self>,
        referrer: Referrer,
        request: ModuleRequest,
        context: &std::cell::RefCell<&mut Context>,
    ) -> JsResult<Module> {
        let specifier = request.specifier().to_std_string_escaped();
        let from =
            referrer.path().map(|p| p.to_string_lossy().into_owned()).unwrap_or_else(|| RUNTIME_ENTRY.to_string());
        let context = &mut *context.borrow_mut();
        let control =
            self.control.borrow().clone().ok_or_else(|| JsNativeError::error().with_message("runtime not booted"))?;
        let builtin = specifier.strip_prefix("node:").unwrap_or(&specifier).to_string();
        let builtins = control.get(js_string!("builtins"), context)?;
        let is_builtin = builtins
            .as_object()
            .is_some_and(|b| b.has_own_property(JsString::from(builtin.as_str()), context).unwrap_or(false));
        let key = if is_builtin {
            format!("builtin:{builtin}")
        } else {
            resolve(&self.code, &specifier, &from, true).map_err(|m| JsNativeError::error().with_message(m))?
        };
        if let Some(module) = self.modules.borrow().get(&key) {
            return Ok(module.clone());
        }
        let module = if !is_builtin && is_esm(&self.code, &key) {
            let text = self.code.files.get(&key).cloned().unwrap_or_default();
            Module::parse(Source::from_bytes(text.as_bytes()).with_path(Path::new(&key)), None, context)?
        } else {
            // CommonJS (and the built-ins, which are written as CommonJS): evaluate through the
            // bootstrap's `require`, and offer `module.exports` as the default export and its
            // keys as named exports, as Node does.
            let require = control.get(js_string!("require"), context)?;
            let spec = if is_builtin {
                JsValue::from(JsString::from(builtin.as_str()))
            } else {
                JsValue::from(JsString::from(key.as_str()))
            };
            let exports = call(&require, &[spec, JsValue::from(JsString::from(from.as_str()))], context)?;
            synthetic(exports, context)?
        };
        self.modules.borrow_mut().insert(key, module.clone());
        Ok(module)
    }
}

/// A module whose default export is `exports` and whose named exports are its own keys.
fn synthetic(exports: JsValue, context: &mut Context) -> JsResult<Module> {
    let mut names = vec![js_string!("default")];
    if let Some(object) = exports.as_object() {
        for key in object.own_property_keys(context)? {
            if let boa_engine::property::PropertyKey::String(name) = key {
                if name != js_string!("default") {
                    names.push(name);
                }
            }
        }
    }
    let holder = JsArray::from_iter([exports], context);
    Ok(Module::synthetic(
        &names.clone(),
        SyntheticModuleInitializer::from_copy_closure_with_captures(
            |module, holder: &JsObject, context| {
                let exports = holder.get(0, context)?;
                module.set_export(&js_string!("default"), exports.clone())?;
                if let Some(object) = exports.as_object() {
                    for key in object.own_property_keys(context)? {
                        if let boa_engine::property::PropertyKey::String(name) = key {
                            if name != js_string!("default") {
                                let value = object.get(name.clone(), context)?;
                                module.set_export(&name, value)?;
                            }
                        }
                    }
                }
                Ok(())
            },
            JsObject::from(holder),
        ),
        None,
        None,
        context,
    ))
}

fn call(function: &JsValue, args: &[JsValue], context: &mut Context) -> JsResult<JsValue> {
    let function = function.as_callable().ok_or_else(|| JsNativeError::typ().with_message("not a function"))?;
    function.call(&JsValue::undefined(), args, context)
}

fn text(value: &str) -> JsValue {
    JsValue::from(JsString::from(value))
}

/// The directory of a path (`/var/task` for `/var/task/index.mjs`).
fn dir_of(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) => "/",
        Some(at) => &path[..at],
        None => "",
    }
}

/// Joins and normalises `base/relative` (handling `.` and `..`).
fn join(base: &str, relative: &str) -> String {
    let mut parts: Vec<&str> =
        if relative.starts_with('/') { Vec::new() } else { base.split('/').filter(|p| !p.is_empty()).collect() };
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    format!("/{}", parts.join("/"))
}

/// Whether a JavaScript file is an ES module, as Node decides: `.mjs` yes, `.cjs` no, `.js` by
/// the nearest package.json's `type`, else by its syntax (Node 22 detects `import`/`export`).
pub(super) fn is_esm(code: &Code, path: &str) -> bool {
    if path.ends_with(".mjs") {
        return true;
    }
    if !path.ends_with(".js") {
        return false;
    }
    let mut dir = dir_of(path).to_string();
    loop {
        if let Some(manifest) = code.files.get(&format!("{dir}/package.json")) {
            if let Ok(Value::Object(m)) = serde_json::from_str::<Value>(manifest) {
                return m.get("type").and_then(Value::as_str) == Some("module");
            }
        }
        if dir == "/" || dir.is_empty() {
            break;
        }
        dir = dir_of(&dir).to_string();
    }
    code.files.get(path).is_some_and(|text| {
        text.lines().any(|l| {
            let l = l.trim_start();
            l.starts_with("import ") || l.starts_with("import{") || l.starts_with("export ") || l.starts_with("export{")
        })
    })
}

/// Resolves `specifier` imported (or required) from the file `from`, as Node does: relative and
/// absolute paths (CommonJS also tries extensions and index files; ES modules need the exact
/// file), and bare names in `node_modules` up from the file, then in the layers' `/opt/nodejs`.
pub(super) fn resolve(code: &Code, specifier: &str, from: &str, esm: bool) -> Result<String, String> {
    let exists = |p: &str| code.files.contains_key(p);
    let as_file = |p: &str| -> Option<String> {
        if exists(p) {
            return Some(p.to_string());
        }
        if esm {
            return None;
        }
        for ext in [".js", ".mjs", ".cjs", ".json"] {
            if exists(&format!("{p}{ext}")) {
                return Some(format!("{p}{ext}"));
            }
        }
        None
    };
    let as_package = |dir: &str| -> Option<String> {
        if let Some(manifest) = code.files.get(&format!("{dir}/package.json")) {
            if let Ok(m) = serde_json::from_str::<Value>(manifest) {
                let entry = match m.get("exports") {
                    Some(Value::String(s)) => Some(s.clone()),
                    Some(Value::Object(e)) => {
                        let dot = e.get(".").unwrap_or(&Value::Null);
                        let pick = |v: &Value| -> Option<String> {
                            match v {
                                Value::String(s) => Some(s.clone()),
                                Value::Object(c) => ["import", "require", "node", "default"]
                                    .iter()
                                    .filter(|k| (**k != "import" || esm) && (**k != "require" || !esm))
                                    .find_map(|k| c.get(*k).and_then(Value::as_str).map(str::to_string)),
                                _ => None,
                            }
                        };
                        pick(dot).or_else(|| pick(&Value::Object(e.clone())))
                    }
                    _ => None,
                }
                .or_else(|| m.get("main").and_then(Value::as_str).map(str::to_string));
                if let Some(entry) = entry {
                    let path = join(dir, &entry);
                    if let Some(found) = as_file(&path)
                        .or_else(|| ["index.js", "index.mjs"].iter().map(|i| format!("{path}/{i}")).find(|p| exists(p)))
                    {
                        return Some(found);
                    }
                }
            }
        }
        ["index.js", "index.mjs", "index.cjs", "index.json"].iter().map(|i| format!("{dir}/{i}")).find(|p| exists(p))
    };
    if specifier.starts_with("./")
        || specifier.starts_with("../")
        || specifier.starts_with('/')
        || specifier == "."
        || specifier == ".."
    {
        let path = join(dir_of(from), specifier);
        let found = as_file(&path).or_else(|| if esm { None } else { as_package(&path) });
        return found.ok_or_else(|| {
            if esm {
                format!("Cannot find module '{path}' imported from {from}")
            } else {
                format!("Cannot find module '{specifier}'\nRequire stack:\n- {from}")
            }
        });
    }
    // A bare name: `pkg` or `@scope/pkg`, with an optional subpath.
    let segments: Vec<&str> = specifier.splitn(if specifier.starts_with('@') { 3 } else { 2 }, '/').collect();
    let (name, subpath) = if specifier.starts_with('@') && segments.len() >= 2 {
        (format!("{}/{}", segments[0], segments[1]), segments.get(2).copied())
    } else {
        (segments[0].to_string(), segments.get(1).copied())
    };
    let mut roots = Vec::new();
    let mut dir = dir_of(from).to_string();
    loop {
        if !dir.ends_with("/node_modules") {
            roots.push(format!("{}/node_modules", dir.trim_end_matches('/')));
        }
        if dir == "/" || dir.is_empty() {
            break;
        }
        dir = dir_of(&dir).to_string();
    }
    roots.extend(["/opt/nodejs/node22/node_modules".to_string(), "/opt/nodejs/node_modules".to_string()]);
    for root in roots {
        let package = format!("{root}/{name}");
        let found = match subpath {
            Some(sub) => as_file(&format!("{package}/{sub}")).or_else(|| as_package(&format!("{package}/{sub}"))),
            None => as_package(&package),
        };
        if let Some(found) = found {
            return Ok(found);
        }
    }
    Err(if esm {
        format!("Cannot find package '{name}' imported from {from}")
    } else {
        format!("Cannot find module '{specifier}'\nRequire stack:\n- {from}")
    })
}

/// V8's longest string (2^29 - 24 UTF-16 code units): past it Node throws "Invalid string length".
const MAX_STRING_LENGTH: u64 = 536_870_888;

/// Arrays shorter than this are accounted inside whatever holds them; longer ones on their own.
const SMALL_ARRAY: u64 = 1024;

/// The memory bound: a deterministic estimate of the bytes the code holds.
///
/// boa has no heap limit and no hook inside its interpreter loop, so the estimate is kept where
/// the runtime gets control: the built-ins that grow arrays and build strings are wrapped
/// (`push`, `fill`, `concat`, `map`, `repeat`, `join`, `JSON.stringify`...). Each wrapped call
/// adds what it allocated, attributed to the array that now holds it. When the bytes added since
/// the last census would pass the limit, a census collects garbage (boa's collector is exact)
/// and sums the attributions of the arrays still alive (held weakly by the bootstrap). Past the
/// limit, the wrapped call ends the work with an error no JavaScript can catch, and the
/// environment is discarded, as Lambda kills a runtime that runs out of memory.
pub(super) struct Meter {
    /// The bytes the code may hold.
    limit: Cell<u64>,
    /// Attributions not yet handed to the bootstrap's registry (coalesced by target).
    pending: RefCell<Vec<(JsObject, u64)>>,
    pending_bytes: Cell<u64>,
    /// Bytes added since the last census, and what the last census found alive.
    since: Cell<u64>,
    live: Cell<u64>,
    peak: Cell<u64>,
    exhausted: Cell<bool>,
    /// Set while the meter runs JavaScript (its own pushes are not accounted).
    busy: Cell<bool>,
    control: Rc<RefCell<Option<JsObject>>>,
}

impl Meter {
    fn new(control: Rc<RefCell<Option<JsObject>>>) -> Meter {
        Meter {
            limit: Cell::new(u64::MAX),
            pending: RefCell::default(),
            pending_bytes: Cell::new(0),
            since: Cell::new(0),
            live: Cell::new(0),
            peak: Cell::new(0),
            exhausted: Cell::new(false),
            busy: Cell::new(false),
            control,
        }
    }

    /// Records `bytes` allocated by a call (held by `target` if any; `transient` bytes are a
    /// result only the caller holds yet), and takes a census when the estimate passes the limit.
    fn add(&self, target: Option<&JsObject>, bytes: u64, transient: u64, context: &mut Context) -> JsResult<()> {
        if self.busy.get() || bytes == 0 {
            return Ok(());
        }
        self.since.set(self.since.get().saturating_add(bytes));
        if let Some(target) = target {
            let mut pending = self.pending.borrow_mut();
            match pending.last_mut() {
                Some((last, n)) if JsObject::equals(last, target) => *n = n.saturating_add(bytes),
                _ => pending.push((target.clone(), bytes)),
            }
            self.pending_bytes.set(self.pending_bytes.get().saturating_add(bytes));
            let full = pending.len() >= 64 || self.pending_bytes.get() >= 1 << 20;
            drop(pending);
            if full {
                self.flush(context)?;
            }
        }
        if self.live.get().saturating_add(self.since.get()) > self.limit.get() {
            self.census(transient, context)?;
        }
        Ok(())
    }

    /// Hands the pending attributions to the bootstrap's registry.
    fn flush(&self, context: &mut Context) -> JsResult<()> {
        let pending = std::mem::take(&mut *self.pending.borrow_mut());
        self.pending_bytes.set(0);
        if pending.is_empty() {
            return Ok(());
        }
        let mut items = Vec::with_capacity(pending.len() * 2);
        for (target, bytes) in pending {
            items.push(JsValue::from(target));
            items.push(JsValue::from(bytes as f64));
        }
        self.run_js("meterAccount", items, context).map(|_| ())
    }

    fn run_js(&self, name: &str, items: Vec<JsValue>, context: &mut Context) -> JsResult<JsValue> {
        let Some(control) = self.control.borrow().clone() else { return Ok(JsValue::undefined()) };
        self.busy.set(true);
        let list = JsArray::from_iter(items, context);
        let result = control.get(JsString::from(name), context).and_then(|f| call(&f, &[list.into()], context));
        self.busy.set(false);
        result
    }

    /// Collects garbage and sums what is still held; past the limit, ends the work.
    fn census(&self, transient: u64, context: &mut Context) -> JsResult<()> {
        self.flush(context)?;
        // WeakRef targets are kept until the job ends; the census needs them released.
        context.clear_kept_objects();
        boa_engine::gc::force_collect();
        let live = self.run_js("meterCensus", Vec::new(), context)?.as_number().unwrap_or(0.0).max(0.0) as u64;
        self.live.set(live);
        self.since.set(0);
        let held = live.saturating_add(transient);
        self.peak.set(self.peak.get().max(held));
        if held > self.limit.get() {
            return Err(self.exhaust());
        }
        Ok(())
    }

    fn exhaust(&self) -> JsError {
        self.exhausted.set(true);
        self.pending.borrow_mut().clear();
        EngineError::NoInstructionsRemain.into()
    }
}

/// The host hooks: no single buffer may be larger than the memory the code may hold (a buffer
/// held in an array counts there, see [`slot`]).
struct Hooks(Rc<Meter>);

impl HostHooks for Hooks {
    fn max_buffer_size(&self, _context: &mut Context) -> u64 {
        self.0.limit.get()
    }
}

/// How a wrapped built-in grows memory.
#[derive(Clone, Copy)]
enum Grows {
    /// `push`, `unshift`: its arguments, into `this`.
    Pushed,
    /// `splice`: its arguments after the second, into `this`.
    Spliced,
    /// `fill`: every element of `this`.
    Filled,
    /// `concat`, `slice`, `map`...: a new array, its result.
    Produced,
    /// `repeat`, `join`, `JSON.stringify`...: a new string, its result.
    Text,
    /// `repeat`: a string `this.length * count` long.
    Repeated,
    /// `padStart`, `padEnd`: a string as long as the first argument.
    Padded,
}

/// A wrapped built-in: the original and how it grows memory.
struct Metered {
    original: JsObject,
    meter: Rc<Meter>,
    grows: Grows,
}

impl Finalize for Metered {}

// SAFETY: `original` is the only value the collector manages; the meter and the kind are plain
// Rust data (the meter's pending objects are released when the engine drops).
unsafe impl Trace for Metered {
    boa_engine::gc::custom_trace!(this, mark, mark(&this.original));
}

fn length_of(object: &JsObject, context: &mut Context) -> JsResult<u64> {
    object.get(js_string!("length"), context)?.to_length(context)
}

fn string_bytes(text: &JsString) -> u64 {
    let units = text.len() as u64;
    16 + if text.as_str().is_latin1() { units } else { 2 * units }
}

/// What one element holding `value` costs its array: the slot, and what only it holds.
fn slot(value: &JsValue, context: &mut Context) -> JsResult<u64> {
    if let Some(text) = value.as_string() {
        return Ok(8 + string_bytes(&text));
    }
    let Some(object) = value.as_object() else { return Ok(8) };
    if object.is_array() {
        let n = length_of(&object, context)?;
        return Ok(8 + if n < SMALL_ARRAY { 16 + 8 * n } else { 0 });
    }
    if object.is::<TypedArray>() {
        return Ok(8 + JsTypedArray::from_object(object.clone())?.byte_length(context)? as u64);
    }
    Ok(8 + 64)
}

fn invalid_string_length() -> JsError {
    JsNativeError::range().with_message("Invalid string length").into()
}

/// A wrapped built-in's body: checks the strings it would make, calls the original, accounts.
fn metered(this: &JsValue, args: &[JsValue], m: &Metered, context: &mut Context) -> JsResult<JsValue> {
    match m.grows {
        Grows::Repeated => {
            let units = this.to_string(context)?.len() as f64;
            let count = args.first().cloned().unwrap_or_default().to_number(context)?;
            if count.is_finite() && count >= 0.0 && units * count.trunc() > MAX_STRING_LENGTH as f64 {
                return Err(invalid_string_length());
            }
        }
        Grows::Padded => {
            let wanted = args.first().cloned().unwrap_or_default().to_number(context)?;
            if wanted > MAX_STRING_LENGTH as f64 {
                return Err(invalid_string_length());
            }
        }
        _ => {}
    }
    let result = m.original.call(this, args, context)?;
    if m.meter.busy.get() {
        return Ok(result);
    }
    let (target, bytes, transient) = match m.grows {
        Grows::Pushed | Grows::Spliced => {
            let skip = if matches!(m.grows, Grows::Spliced) { 2 } else { 0 };
            let mut bytes = 0;
            for arg in args.iter().skip(skip) {
                bytes += slot(arg, context)?;
            }
            (this.as_object(), bytes, 0)
        }
        Grows::Filled => match this.as_object() {
            Some(object) => {
                let n = length_of(&object, context)?;
                (Some(object), if n < SMALL_ARRAY { 0 } else { 8 * n }, 0)
            }
            None => (None, 0, 0),
        },
        Grows::Produced => match result.as_object() {
            Some(object) if object.is_array() => {
                let n = length_of(&object, context)?;
                (Some(object), if n < SMALL_ARRAY { 0 } else { 16 + 8 * n }, 0)
            }
            _ => (None, 0, 0),
        },
        Grows::Text | Grows::Repeated | Grows::Padded => match result.as_string() {
            Some(text) if text.len() as u64 > MAX_STRING_LENGTH => return Err(invalid_string_length()),
            Some(text) => {
                let bytes = string_bytes(&text);
                (None, if bytes < 4096 { 0 } else { bytes }, bytes)
            }
            None => (None, 0, 0),
        },
    };
    m.meter.add(target.as_ref(), bytes, transient, context)?;
    Ok(result)
}

/// Replaces `holder[name]` with a metered wrapper of the same name and length.
fn wrap(holder: &JsObject, name: &str, grows: Grows, meter: &Rc<Meter>, context: &mut Context) -> JsResult<()> {
    let original = holder.get(JsString::from(name), context)?;
    let Some(original) = original.as_object().filter(|o| o.is_callable()) else { return Ok(()) };
    let length = original.get(js_string!("length"), context)?.to_length(context)?;
    let function = NativeFunction::from_copy_closure_with_captures(
        metered,
        Metered { original: original.clone(), meter: meter.clone(), grows },
    );
    let realm = context.realm().clone();
    let wrapper = FunctionObjectBuilder::new(&realm, function)
        .name(JsString::from(name))
        .length(usize::try_from(length).unwrap_or(0))
        .constructor(false)
        .build();
    holder.define_property_or_throw(
        JsString::from(name),
        boa_engine::property::PropertyDescriptor::builder()
            .value(wrapper)
            .writable(true)
            .enumerable(false)
            .configurable(true),
        context,
    )?;
    Ok(())
}

/// Wraps the built-ins that grow memory.
fn install_meter(meter: &Rc<Meter>, context: &mut Context) -> JsResult<()> {
    let global = context.global_object();
    let prototype = |name: &str, context: &mut Context| -> JsResult<Option<JsObject>> {
        let ctor = global.get(JsString::from(name), context)?;
        match ctor.as_object() {
            Some(c) => Ok(c.get(js_string!("prototype"), context)?.as_object()),
            None => Ok(None),
        }
    };
    if let Some(array) = prototype("Array", context)? {
        for (name, grows) in [
            ("push", Grows::Pushed),
            ("unshift", Grows::Pushed),
            ("splice", Grows::Spliced),
            ("fill", Grows::Filled),
            ("concat", Grows::Produced),
            ("slice", Grows::Produced),
            ("map", Grows::Produced),
            ("filter", Grows::Produced),
            ("flat", Grows::Produced),
            ("flatMap", Grows::Produced),
            ("join", Grows::Text),
        ] {
            wrap(&array, name, grows, meter, context)?;
        }
    }
    if let Some(array) = global.get(js_string!("Array"), context)?.as_object() {
        wrap(&array, "from", Grows::Produced, meter, context)?;
    }
    if let Some(string) = prototype("String", context)? {
        for (name, grows) in [
            ("repeat", Grows::Repeated),
            ("padStart", Grows::Padded),
            ("padEnd", Grows::Padded),
            ("concat", Grows::Text),
            ("replace", Grows::Text),
            ("replaceAll", Grows::Text),
        ] {
            wrap(&string, name, grows, meter, context)?;
        }
    }
    if let Some(json) = global.get(js_string!("JSON"), context)?.as_object() {
        wrap(&json, "stringify", Grows::Text, meter, context)?;
    }
    Ok(())
}

/// The `name` the SDK gives an error whose wire code is `code`, and the query-protocol code it
/// keeps as `Code` for the services whose JSON protocol is query-compatible (SQS): the SDK names
/// `AWS.SimpleQueueService.NonExistentQueue` `QueueDoesNotExist`, as its model's error shape.
fn sdk_error_name(code: &str) -> (&str, Option<&str>) {
    match code {
        "AWS.SimpleQueueService.NonExistentQueue" => ("QueueDoesNotExist", Some(code)),
        "QueueAlreadyExists" => ("QueueNameExists", Some(code)),
        _ => match code.strip_prefix("AWS.SimpleQueueService.") {
            Some(shape) => (shape, Some(code)),
            None => (code, None),
        },
    }
}

/// The engine of one environment.
pub(super) struct Engine {
    context: Context,
    code: Rc<Code>,
    clock: Rc<Cell<Millis>>,
    /// Instructions counted so far that have not yet made a whole virtual millisecond.
    spare: u64,
    /// The budget left when the clock was last synchronised.
    counted: u64,
    control: Rc<RefCell<Option<JsObject>>>,
    /// The handler module (ES) or the handler itself (CommonJS), and the export's name.
    module: Option<Module>,
    cjs_handler: Option<JsValue>,
    export: String,
    /// Seeds the sandbox's Math.random.
    seed: u64,
    meter: Rc<Meter>,
}

impl Drop for Engine {
    /// Pending attributions hold objects outside the collector's view: let them go.
    fn drop(&mut self) {
        self.meter.pending.borrow_mut().clear();
    }
}

impl Engine {
    pub(super) fn new(code: Rc<Code>, seed: u64, now_ms: Millis, budget: u64) -> Engine {
        let clock = Rc::new(Cell::new(now_ms));
        let control = Rc::new(RefCell::new(None));
        let loader = Loader { code: code.clone(), control: control.clone(), modules: RefCell::default() };
        let meter = Rc::new(Meter::new(control.clone()));
        let mut context = Context::builder()
            .host_hooks(Rc::new(Hooks(meter.clone())))
            .clock(Rc::new(VirtualClock(clock.clone())))
            .job_executor(Rc::new(Jobs::default()))
            .module_loader(Rc::new(loader))
            .instructions_remaining(usize::try_from(budget).unwrap_or(usize::MAX))
            .build()
            .expect("a context with these parts builds");
        // Node's default stack allows about 10,000 frames of a small function; boa's frames are
        // larger, so the limit sits where both engines stay well inside their memory.
        context.runtime_limits_mut().set_recursion_limit(2_000);
        context.runtime_limits_mut().set_stack_size_limit(1024 * 1024);
        let counted = context.instructions_remaining() as u64;
        Engine {
            context,
            code,
            clock,
            spare: 0,
            counted,
            control,
            module: None,
            cjs_handler: None,
            export: String::new(),
            seed,
            meter,
        }
    }

    /// Bounds what the code may hold (Lambda's memory size less the runtime's own).
    pub(super) fn set_memory_limit(&mut self, bytes: u64) {
        self.meter.limit.set(bytes);
    }

    /// Whether the code ran out of memory.
    pub(super) fn out_of_memory(&self) -> bool {
        self.meter.exhausted.get()
    }

    /// The most the code was found to hold, in bytes.
    pub(super) fn peak_bytes(&self) -> u64 {
        self.meter.peak.get()
    }

    pub(super) fn context(&mut self) -> &mut Context {
        &mut self.context
    }

    pub(super) fn remaining(&self) -> u64 {
        self.context.instructions_remaining() as u64
    }

    pub(super) fn now(&self) -> Millis {
        self.clock.get()
    }

    pub(super) fn set_now(&mut self, ms: Millis) {
        self.sync_clock();
        self.clock.set(ms);
    }

    /// Waits (virtually) until `due`, as a timer does; waiting costs no instructions.
    pub(super) fn wait_until(&mut self, due: Millis) {
        self.sync_clock();
        if due > self.clock.get() {
            self.clock.set(due);
        }
    }

    /// Moves the clock on by the work done since the last look.
    fn sync_clock(&mut self) {
        let remaining = self.remaining();
        let used = self.counted.saturating_sub(remaining) + self.spare;
        self.counted = remaining;
        self.clock.set(self.clock.get() + used / INSTRUCTIONS_PER_MS);
        self.spare = used % INSTRUCTIONS_PER_MS;
    }

    pub(super) fn has_file(&self, path: &str) -> bool {
        self.code.files.contains_key(path)
    }

    pub(super) fn file(&self, path: &str) -> Option<&str> {
        self.code.files.get(path).map(String::as_str)
    }

    pub(super) fn is_esm(&self, path: &str) -> bool {
        is_esm(&self.code, path)
    }

    fn control(&self) -> JsObject {
        self.control.borrow().clone().expect("booted")
    }

    fn method(&mut self, name: &str, args: &[JsValue]) -> JsResult<JsValue> {
        let control = self.control();
        let function = control.get(JsString::from(name), &mut self.context)?;
        let result = call(&function, args, &mut self.context);
        self.sync_clock();
        result
    }

    /// Evaluates the bootstrap, the Node globals and the SDK, and sets `process.env`.
    pub(super) fn boot(&mut self, env: &BTreeMap<String, String>, secrets_extension: bool) -> Result<(), String> {
        let host = self.host(secrets_extension).map_err(|e| e.to_string())?;
        let bootstrap = self.context.eval(Source::from_bytes(BOOTSTRAP)).map_err(|e| e.to_string())?;
        let control = call(&bootstrap, &[host.into()], &mut self.context).map_err(|e| e.to_string())?;
        let control = control.as_object().ok_or("the bootstrap returned no control object")?;
        *self.control.borrow_mut() = Some(control.clone());
        let node = self.context.eval(Source::from_bytes(NODE)).map_err(|e| e.to_string())?;
        let rt = control.get(js_string!("rt"), &mut self.context).map_err(|e| e.to_string())?;
        call(&node, &[rt], &mut self.context).map_err(|e| e.to_string())?;
        let sdk = self.context.eval(Source::from_bytes(SDK)).map_err(|e| e.to_string())?;
        let define = control.get(js_string!("define"), &mut self.context).map_err(|e| e.to_string())?;
        call(&sdk, &[define], &mut self.context).map_err(|e| e.to_string())?;
        install_meter(&self.meter, &mut self.context).map_err(|e| e.to_string())?;
        let vars = serde_json::to_value(env).unwrap_or_default();
        let vars = JsValue::from_json(&vars, &mut self.context).map_err(|e| e.to_string())?;
        self.method("setEnv", &[vars]).map_err(|e| e.to_string())?;
        Ok(())
    }

    /// The native hooks the bootstrap is given: file lookup, resolution and CommonJS compilation,
    /// and whether the secrets extension listens.
    fn host(&mut self, secrets_extension: bool) -> JsResult<JsObject> {
        let code = self.code.clone();
        let seed = self.seed;
        let seed_words = JsArray::from_iter(
            [(seed >> 32) as u32, seed as u32, 0x9e37_79b9, (seed >> 16) as u32 ^ 0x85eb_ca6b].map(JsValue::from),
            &mut self.context,
        );
        let resolve_code = code.clone();
        // SAFETY (each `from_closure` below): the closures capture only `Rc<Code>` (plain Rust
        // data) and no value the garbage collector manages, so there is nothing to trace.
        let resolve_fn = unsafe {
            NativeFunction::from_closure(move |_, args, context| {
                let specifier = arg(args, 0, context)?;
                let from = arg(args, 1, context)?;
                resolve(&resolve_code, &specifier, &from, false)
                    .map(|p| text(&p))
                    .map_err(|m| JsNativeError::error().with_message(m).into())
            })
        };
        let source_code = code.clone();
        let source_fn = unsafe {
            NativeFunction::from_closure(move |_, args, context| {
                let path = arg(args, 0, context)?;
                Ok(source_code.files.get(&path).map(|t| text(t)).unwrap_or_default())
            })
        };
        let esm_code = code.clone();
        let esm_fn = unsafe {
            NativeFunction::from_closure(move |_, args, context| {
                let path = arg(args, 0, context)?;
                Ok(JsValue::from(is_esm(&esm_code, &path)))
            })
        };
        let cjs_code = code.clone();
        let compile_fn = unsafe {
            NativeFunction::from_closure(move |_, args, context| {
                let path = arg(args, 0, context)?;
                let body = cjs_code.files.get(&path).cloned().unwrap_or_default();
                // On the first line, so that line numbers in errors are the file's own.
                let wrapped = format!("(function (exports, require, module, __filename, __dirname) {{{body}\n}})");
                let script =
                    Script::parse(Source::from_bytes(wrapped.as_bytes()).with_path(Path::new(&path)), None, context)?;
                script.evaluate(context)
            })
        };
        let uptime_fn = NativeFunction::from_copy_closure(|_, _, _| Ok(JsValue::from(0)));
        // SAFETY (both): they capture only the meter, whose collected values are released when
        // the engine drops.
        let limit_meter = self.meter.clone();
        let limit_fn =
            unsafe { NativeFunction::from_closure(move |_, _, _| Ok(JsValue::from(limit_meter.limit.get() as f64))) };
        let oom_meter = self.meter.clone();
        let oom_fn = unsafe { NativeFunction::from_closure(move |_, _, _| Err(oom_meter.exhaust())) };
        let mut host = ObjectInitializer::new(&mut self.context);
        host.function(resolve_fn, js_string!("resolve"), 2)
            .function(source_fn, js_string!("source"), 1)
            .function(esm_fn, js_string!("isEsm"), 1)
            .function(compile_fn, js_string!("compileCjs"), 1)
            .function(uptime_fn, js_string!("uptime"), 0)
            .function(limit_fn, js_string!("memoryLimit"), 0)
            .function(oom_fn, js_string!("outOfMemory"), 0)
            .property(js_string!("seed"), seed_words, Attribute::all())
            .property(js_string!("secretsExtension"), secrets_extension, Attribute::all());
        Ok(host.build())
    }

    pub(super) fn set_module(&mut self, module: Module, export: String) {
        self.module = Some(module);
        self.export = export;
    }

    pub(super) fn set_cjs(&mut self, handler: JsValue, export: String) {
        self.cjs_handler = Some(handler);
        self.export = export;
    }

    /// Loads a CommonJS handler file through the bootstrap's `require`.
    pub(super) fn require_main(&mut self, path: &str) -> JsResult<JsValue> {
        self.method("require", &[text(path), text(RUNTIME_ENTRY)])
    }

    pub(super) fn export_of(&mut self, exports: &JsValue, export: &str) -> JsValue {
        let mut value = exports.clone();
        for part in export.split('.') {
            value = match value.as_object() {
                Some(o) => o.get(JsString::from(part), &mut self.context).unwrap_or_default(),
                None => JsValue::undefined(),
            };
        }
        value
    }

    /// The handler function once its module has initialised, or Lambda's HandlerNotFound.
    pub(super) fn handler(&mut self) -> Result<JsObject, FunctionError> {
        let export = self.export.clone();
        let value = match (&self.module, &self.cjs_handler) {
            (Some(module), _) => {
                let namespace = module.namespace(&mut self.context);
                self.export_of(&namespace.into(), &export)
            }
            (None, Some(handler)) => handler.clone(),
            (None, None) => JsValue::undefined(),
        };
        match value.as_object() {
            Some(f) if f.is_callable() => Ok(f.clone()),
            _ => {
                let file = self.module.as_ref().and_then(|m| m.path()).map(|p| p.to_string_lossy().into_owned());
                let name = file
                    .as_deref()
                    .and_then(|p| p.strip_prefix(&format!("{TASK_ROOT}/")))
                    .map(|p| p.rsplit_once('.').map_or(p, |(stem, _)| stem).to_string())
                    .unwrap_or_else(|| "index".to_string());
                Err(FunctionError::new(
                    "Runtime.HandlerNotFound",
                    format!("{name}.{export} is undefined or not exported"),
                ))
            }
        }
    }

    pub(super) fn start_invoke(
        &mut self,
        handler: &JsObject,
        event: &Value,
        invocation: &Invocation,
        deadline_ms: Millis,
    ) -> JsResult<JsObject> {
        self.method("setRequestId", &[text(&invocation.request_id)])?;
        let event = JsValue::from_json(event, &mut self.context)?;
        let fields = serde_json::json!({
            "awsRequestId": invocation.request_id,
            "functionName": invocation.function_name,
            "functionVersion": invocation.function_version,
            "invokedFunctionArn": invocation.invoked_function_arn,
            "memoryLimitInMB": invocation.memory_limit_mb.to_string(),
            "logGroupName": invocation.log_group_name,
            "logStreamName": invocation.log_stream_name,
        });
        let fields = JsValue::from_json(&fields, &mut self.context)?;
        let outcome =
            self.method("invoke", &[handler.clone().into(), event, fields, JsValue::from(deadline_ms as f64)])?;
        outcome.as_object().ok_or_else(|| JsNativeError::error().with_message("no outcome").into())
    }

    pub(super) fn run_jobs(&mut self) -> JsResult<()> {
        let result = self.context.run_jobs();
        self.sync_clock();
        result
    }

    /// The calls the code has asked for since the last look, and their resolve/reject records.
    pub(super) fn take_calls(&mut self) -> JsResult<(Vec<SdkCall>, Vec<JsObject>)> {
        let taken = self.method("takeCalls", &[])?;
        let Some(list) = taken.as_object().and_then(|o| JsArray::from_object(o.clone()).ok()) else {
            return Ok((Vec::new(), Vec::new()));
        };
        let mut calls = Vec::new();
        let mut records = Vec::new();
        for i in 0..list.length(&mut self.context)? {
            let record = list.get(i, &mut self.context)?;
            let Some(record) = record.as_object() else { continue };
            let service = record.get(js_string!("service"), &mut self.context)?.to_string(&mut self.context)?;
            let action = record.get(js_string!("action"), &mut self.context)?.to_string(&mut self.context)?;
            let input = record.get(js_string!("input"), &mut self.context)?;
            let input = match input.to_json(&mut self.context) {
                Ok(Some(v)) => super::tidy_numbers(v),
                Ok(None) => Value::Object(Default::default()),
                Err(e) => {
                    // An input JSON cannot carry (a BigInt, a cycle): the SDK fails before sending.
                    let reject = record.get(js_string!("reject"), &mut self.context)?;
                    let error = e.into_opaque(&mut self.context).unwrap_or_default();
                    call(&reject, &[error], &mut self.context)?;
                    continue;
                }
            };
            calls.push(SdkCall {
                service: service.to_std_string_escaped(),
                action: action.to_std_string_escaped(),
                input,
            });
            records.push(record);
        }
        Ok((calls, records))
    }

    /// Resolves or rejects one waiting call with what the world answered, as the SDK would.
    pub(super) fn settle(&mut self, record: &JsObject, result: CallResult) -> JsResult<()> {
        let request_id = format!("{:08x}-sdk", self.clock.get());
        match result {
            CallResult::Ok(output) => {
                let mut output = match output {
                    Value::Object(m) => m,
                    _ => Default::default(),
                };
                output.insert(
                    "$metadata".into(),
                    serde_json::json!({"httpStatusCode": 200, "requestId": request_id, "attempts": 1, "totalRetryDelay": 0}),
                );
                let value = JsValue::from_json(&Value::Object(output), &mut self.context)?;
                let resolve = record.get(js_string!("resolve"), &mut self.context)?;
                call(&resolve, &[value], &mut self.context)?;
            }
            CallResult::Err { code, message, fault, status } => {
                let error = JsNativeError::error().with_message(message.clone()).into_opaque(&mut self.context);
                let define = |error: &JsObject, name: &str, value: JsValue, context: &mut Context| {
                    error.define_property_or_throw(
                        JsString::from(name),
                        boa_engine::property::PropertyDescriptor::builder()
                            .value(value)
                            .writable(true)
                            .enumerable(name != "message")
                            .configurable(true),
                        context,
                    )
                };
                let (name, query_code) = sdk_error_name(&code);
                define(&error, "name", text(name), &mut self.context)?;
                if let Some(query_code) = query_code {
                    define(&error, "Code", text(query_code), &mut self.context)?;
                }
                define(&error, "$fault", text(fault), &mut self.context)?;
                let metadata = serde_json::json!({"httpStatusCode": status, "requestId": request_id, "attempts": 1, "totalRetryDelay": 0});
                let metadata = JsValue::from_json(&metadata, &mut self.context)?;
                define(&error, "$metadata", metadata, &mut self.context)?;
                define(&error, "__type", text(name), &mut self.context)?;
                let reject = record.get(js_string!("reject"), &mut self.context)?;
                call(&reject, &[error.into()], &mut self.context)?;
            }
        }
        self.sync_clock();
        Ok(())
    }

    pub(super) fn next_timer(&mut self) -> JsResult<Option<Millis>> {
        let due = self.method("nextTimer", &[])?;
        Ok(due.as_number().map(|n| n.max(0.0) as Millis))
    }

    pub(super) fn fire_timers(&mut self) -> JsResult<()> {
        let now = JsValue::from(self.clock.get() as f64);
        self.method("fireTimers", &[now]).map(|_| ())
    }

    /// How the invocation ended, if it has: its result, or its error as Lambda shows it.
    pub(super) fn outcome(&mut self, outcome: &JsObject) -> JsResult<Option<Result<Value, FunctionError>>> {
        if !outcome.get(js_string!("settled"), &mut self.context)?.to_boolean() {
            return Ok(None);
        }
        let ok = outcome.get(js_string!("ok"), &mut self.context)?.to_boolean();
        let value = outcome.get(js_string!("value"), &mut self.context)?;
        if ok {
            return Ok(Some(Ok(to_json(&value, &mut self.context))));
        }
        Ok(Some(Err(shape(&to_json(&value, &mut self.context)))))
    }

    /// For a handler that neither returned a promise nor was given a callback: finishes it with
    /// `null`, as the runtime does once the event loop is empty.
    pub(super) fn finish_empty(&mut self, outcome: &JsObject) -> JsResult<bool> {
        if outcome.get(js_string!("waitsForLoop"), &mut self.context)?.to_boolean() {
            self.method("finishEmpty", &[outcome.clone().into()])?;
            return Ok(true);
        }
        Ok(false)
    }

    pub(super) fn take_logs(&mut self) -> Vec<LogLine> {
        let Ok(taken) = self.method("takeLogs", &[]) else { return Vec::new() };
        let lines = to_json(&taken, &mut self.context);
        lines
            .as_array()
            .map(|lines| {
                lines
                    .iter()
                    .map(|l| LogLine {
                        time_ms: l["time"].as_f64().unwrap_or(0.0) as Millis,
                        level: l["level"].as_str().unwrap_or("INFO").to_string(),
                        message: l["message"].as_str().unwrap_or_default().to_string(),
                        request_id: l["requestId"].as_str().map(str::to_string),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    pub(super) fn kind(&self, error: &JsError) -> ErrorKind {
        if self.meter.exhausted.get() {
            return ErrorKind::OutOfMemory;
        }
        match error.as_engine() {
            Some(EngineError::NoInstructionsRemain) => ErrorKind::OutOfInstructions,
            Some(EngineError::RuntimeLimit(RuntimeLimitError::LoopIteration)) => ErrorKind::OutOfInstructions,
            Some(EngineError::RuntimeLimit(_)) => ErrorKind::Recursion,
            _ => ErrorKind::Js,
        }
    }

    /// A parse error's text, as Node's SyntaxError message.
    pub(super) fn describe(&mut self, error: &JsError) -> String {
        let message = match error.try_native(&mut self.context) {
            Ok(native) => native.message().to_string(),
            Err(_) => error.to_string(),
        };
        format!("SyntaxError: {message}")
    }

    /// Any JS error as Lambda's `{errorType, errorMessage, trace}`.
    pub(super) fn function_error(&mut self, error: &JsError) -> FunctionError {
        let value = match error.clone().into_opaque(&mut self.context) {
            Ok(value) => value,
            Err(_) => return FunctionError::new("Error", error.to_string()),
        };
        match self.method("errorShape", &[value]) {
            Ok(shape_value) => shape(&to_json(&shape_value, &mut self.context)),
            Err(_) => FunctionError::new("Error", error.to_string()),
        }
    }
}

/// Reads the bootstrap's error shape.
fn shape(value: &Value) -> FunctionError {
    FunctionError {
        error_type: value["errorType"].as_str().unwrap_or("Error").to_string(),
        message: value["errorMessage"].as_str().unwrap_or_default().to_string(),
        trace: value["trace"]
            .as_array()
            .map(|t| t.iter().filter_map(Value::as_str).map(str::to_string).collect())
            .unwrap_or_default(),
    }
}

fn arg(args: &[JsValue], at: usize, context: &mut Context) -> JsResult<String> {
    Ok(args.get(at).cloned().unwrap_or_default().to_string(context)?.to_std_string_escaped())
}
