//! The UI's handle on the simulated account, which runs in the engine Web Worker.
//!
//! [`Account`] is the context newtype components use: signals for what the engine last reported,
//! and methods that post messages. Messages posted before the engine is ready are queued, so a
//! component never needs to wait for the engine before asking.
//!
//! A watchdog keeps the page working whatever a learner's code does: when a request has waited
//! longer than [`watchdog_ms`] of wall-clock time (a handler the engine's own budgets did not
//! stop, say), or the worker dies (its wasm ran out of memory), the worker is ended and a new one
//! opens the account from its last saved state. Waiting requests fail with `EngineRestarted` and
//! the page says why.

use crate::protocol::{FromEngine, ImportedSave, ToEngine, WorldView};
use crate::store;
use lab_core::console::ReadModel;
use lab_core::lab::{Action, Check};
use lab_core::AwsError;
use leptos::prelude::*;
use serde_json::Value;
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{MessageEvent, Worker};

type ReplyFn = Box<dyn FnOnce(Result<Value, AwsError>)>;
type ImportFn = Box<dyn FnOnce(Result<ImportedSave, String>)>;

thread_local! {
    static WORKER: RefCell<Option<Worker>> = const { RefCell::new(None) };
    /// Messages waiting for the engine's `Ready`.
    static QUEUE: RefCell<Option<Vec<String>>> = const { RefCell::new(Some(Vec::new())) };
    static REPLIES: RefCell<HashMap<u64, ReplyFn>> = RefCell::new(HashMap::new());
    static IMPORTS: RefCell<HashMap<u64, ImportFn>> = RefCell::new(HashMap::new());
    static NEXT_ID: Cell<u64> = const { Cell::new(1) };
    /// When each waiting request was sent (`Date.now()`), for the watchdog.
    static SENT: RefCell<HashMap<u64, f64>> = RefCell::new(HashMap::new());
    /// The last account opened, to open again in a restarted engine.
    static LAST_OPEN: RefCell<Option<Opened>> = const { RefCell::new(None) };
    static HOOKS: RefCell<Option<Hooks>> = const { RefCell::new(None) };
}

/// How long a request may wait for the engine before the watchdog restarts it: 45 s, past the
/// longest the engine's own budget lets a handler compute (60 virtual seconds). A test may set
/// `serverless-lab/watchdog-ms` in localStorage to wait less.
pub fn watchdog_ms() -> f64 {
    store::get(store::WATCHDOG_KEY).and_then(|v| v.parse().ok()).filter(|ms: &f64| *ms >= 100.0).unwrap_or(45_000.0)
}

/// An `open` to repeat after a restart.
#[derive(Clone)]
struct Opened {
    key: String,
    setup: Vec<Action>,
    checks: Vec<Vec<Check>>,
    services: Vec<String>,
}

/// What the page asked to hear about the engine.
#[derive(Clone)]
struct Hooks {
    on_opened: Rc<dyn Fn(String, Option<String>)>,
    on_restarted: Rc<dyn Fn(String)>,
}

/// The id under which `open` waits for its `Opened` in [`SENT`].
const OPEN_ID: u64 = 0;

/// What the engine is doing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EngineStatus {
    Loading,
    Ready,
    Failed(String),
}

/// The account handle: cheap to copy, provided as context.
#[derive(Clone, Copy)]
pub struct Account {
    pub status: RwSignal<EngineStatus>,
    /// The latest view of the active account (its `read_models` taken out into `models`).
    pub view: RwSignal<Option<WorldView>>,
    /// The active account's consoles' read models, by service: each replaced only when the
    /// engine sends a new one, so a console re-renders only when its model changed.
    pub models: RwSignal<BTreeMap<String, ReadModel>>,
    /// The key of the account the UI asked for last (`lab:<id>` or `sandbox`).
    pub active: RwSignal<Option<String>>,
    /// A failed save to the browser's storage, shown once.
    pub storage_failed: RwSignal<bool>,
}

impl Account {
    /// Starts the engine worker. `on_opened(key, error)` runs when the engine opened an account,
    /// with the reason a saved one could not be read; `on_restarted(reason)` when the watchdog
    /// restarted the engine.
    pub fn start(
        on_opened: impl Fn(String, Option<String>) + 'static,
        on_restarted: impl Fn(String) + 'static,
    ) -> Account {
        let account = Account {
            status: RwSignal::new(EngineStatus::Loading),
            view: RwSignal::new(None),
            models: RwSignal::new(BTreeMap::new()),
            active: RwSignal::new(None),
            storage_failed: RwSignal::new(false),
        };
        HOOKS.with_borrow_mut(|h| {
            *h = Some(Hooks { on_opened: Rc::new(on_opened), on_restarted: Rc::new(on_restarted) })
        });
        account.spawn();
        gloo_timers::callback::Interval::new(1_000, move || account.watch()).forget();
        account
    }

    /// Starts a worker and listens to it.
    fn spawn(self) {
        let account = self;
        let options = web_sys::WorkerOptions::new();
        options.set_type(web_sys::WorkerType::Classic);
        let worker = match Worker::new_with_options("./engine_loader.js", &options) {
            Ok(worker) => worker,
            Err(err) => {
                account.status.set(EngineStatus::Failed(format!("{err:?}")));
                return;
            }
        };
        let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let Some(text) = event.data().as_string() else { return };
            match serde_json::from_str::<FromEngine>(&text) {
                Ok(message) => account.receive(message),
                Err(err) => web_sys::console::error_1(&format!("ui: unreadable engine message: {err}").into()),
            }
        });
        worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        onmessage.forget();
        let onerror = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
            let message = js_sys::Reflect::get(&event, &"message".into())
                .ok()
                .and_then(|m| m.as_string())
                .unwrap_or_else(|| "the engine script failed to load".into());
            // An engine that was working and stopped (its wasm trapped, out of memory) is
            // restarted; one that never started stays failed, with the reason.
            if account.status.get_untracked() == EngineStatus::Ready {
                account.restart(message);
            } else {
                account.status.set(EngineStatus::Failed(message));
            }
        });
        worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
        onerror.forget();
        WORKER.with_borrow_mut(|w| *w = Some(worker));
    }

    /// The watchdog's tick: restarts the engine when a request has waited too long.
    fn watch(self) {
        let oldest = SENT.with_borrow(|sent| sent.values().copied().fold(f64::INFINITY, f64::min));
        let waited = js_sys::Date::now() - oldest;
        if waited > watchdog_ms() {
            self.restart(format!("no answer for {} s", (waited / 1000.0).round()));
        }
    }

    /// Ends the worker, fails what waited for it, and opens the last account again in a new one
    /// (from the state the browser saved last).
    fn restart(self, reason: String) {
        if let Some(worker) = WORKER.with_borrow_mut(Option::take) {
            worker.terminate();
        }
        self.status.set(EngineStatus::Loading);
        QUEUE.with_borrow_mut(|q| *q = Some(Vec::new()));
        SENT.with_borrow_mut(HashMap::clear);
        let message = format!("The engine was restarted from the last saved state: {reason}.");
        let replies: Vec<ReplyFn> = REPLIES.with_borrow_mut(|r| r.drain().map(|(_, f)| f).collect());
        for reply in replies {
            reply(Err(AwsError::server("EngineRestarted", message.clone())));
        }
        let imports: Vec<ImportFn> = IMPORTS.with_borrow_mut(|r| r.drain().map(|(_, f)| f).collect());
        for done in imports {
            done(Err(message.clone()));
        }
        self.spawn();
        if let Some(last) = LAST_OPEN.with_borrow(Clone::clone) {
            self.open(&last.key, last.setup, last.checks, last.services);
        }
        if let Some(hooks) = HOOKS.with_borrow(Clone::clone) {
            (hooks.on_restarted)(reason);
        }
    }

    fn receive(&self, message: FromEngine) {
        match message {
            FromEngine::Ready => {
                let queued = QUEUE.with_borrow_mut(Option::take).unwrap_or_default();
                WORKER.with_borrow(|worker| {
                    if let Some(worker) = worker {
                        for text in queued {
                            let _ = worker.post_message(&JsValue::from_str(&text));
                        }
                    }
                });
                self.status.set(EngineStatus::Ready);
                mark("engine-ready");
            }
            FromEngine::Opened { key, error } => {
                SENT.with_borrow_mut(|s| s.remove(&OPEN_ID));
                if let Some(hooks) = HOOKS.with_borrow(Clone::clone) {
                    (hooks.on_opened)(key, error);
                }
            }
            FromEngine::Reply { id, result } => {
                SENT.with_borrow_mut(|s| s.remove(&id));
                if let Some(reply) = REPLIES.with_borrow_mut(|r| r.remove(&id)) {
                    reply(result);
                }
            }
            FromEngine::State(mut view) => {
                if store::set(&store::world_key(&view.key), &view.saved).is_err() {
                    self.storage_failed.set(true);
                }
                if self.active.get_untracked().as_deref() == Some(view.key.as_str()) {
                    let models = std::mem::take(&mut view.read_models);
                    if !models.is_empty() {
                        self.models.update(|m| m.extend(models.into_iter().map(|r| (r.service().to_string(), r))));
                    }
                    self.view.set(Some(view));
                }
            }
            FromEngine::Imported { id, result } => {
                SENT.with_borrow_mut(|s| s.remove(&id));
                if let Some(done) = IMPORTS.with_borrow_mut(|r| r.remove(&id)) {
                    done(result);
                }
            }
        }
    }

    fn post(&self, message: &ToEngine) {
        let text = serde_json::to_string(message).expect("messages serialize");
        let queued = QUEUE.with_borrow_mut(|queue| match queue {
            Some(queue) => {
                queue.push(text.clone());
                true
            }
            None => false,
        });
        if !queued {
            WORKER.with_borrow(|worker| {
                if let Some(worker) = worker {
                    let _ = worker.post_message(&JsValue::from_str(&text));
                }
            });
        }
    }

    /// A new request id, waiting from now on.
    fn next_id() -> u64 {
        let next = NEXT_ID.with(|id| {
            let next = id.get();
            id.set(next + 1);
            next
        });
        SENT.with_borrow_mut(|s| s.insert(next, js_sys::Date::now()));
        next
    }

    /// Makes `key`'s account active, restoring it from the browser's storage or creating it
    /// with `setup`. `checks` are evaluated after every change; `services` are those the page
    /// shows, whose consoles' read models the engine sends.
    pub fn open(&self, key: &str, setup: Vec<Action>, checks: Vec<Vec<Check>>, services: Vec<String>) {
        self.active.set(Some(key.to_string()));
        self.view.set(None);
        self.models.set(BTreeMap::new());
        LAST_OPEN.with_borrow_mut(|last| {
            *last = Some(Opened {
                key: key.to_string(),
                setup: setup.clone(),
                checks: checks.clone(),
                services: services.clone(),
            })
        });
        SENT.with_borrow_mut(|s| s.insert(OPEN_ID, js_sys::Date::now()));
        let saved = store::get(&store::world_key(key));
        let seed = (js_sys::Math::random() * 9_007_199_254_740_991.0) as u64;
        // Whole seconds, so that virtual times read cleanly.
        let start_ms = (js_sys::Date::now() as u64) / 1000 * 1000;
        self.post(&ToEngine::Open { key: key.to_string(), saved, setup, checks, services, seed, start_ms });
    }

    /// The read model of `service`'s console in the active account (tracked).
    pub fn model(&self, service: &str) -> Option<ReadModel> {
        self.models.with(|m| m.get(service).cloned())
    }

    pub fn call(
        &self,
        service: &str,
        action: &str,
        request: Value,
        done: impl FnOnce(Result<Value, AwsError>) + 'static,
    ) {
        let id = Self::next_id();
        REPLIES.with_borrow_mut(|r| r.insert(id, Box::new(done)));
        self.post(&ToEngine::Call { id, service: service.into(), action: action.into(), request });
    }

    pub fn advance(&self, seconds: u64, done: impl FnOnce(Result<Value, AwsError>) + 'static) {
        let id = Self::next_id();
        REPLIES.with_borrow_mut(|r| r.insert(id, Box::new(done)));
        self.post(&ToEngine::Advance { id, seconds });
    }

    /// Records the learner's answer to the lab question `id`.
    pub fn answer(&self, id: &str, value: &str) {
        self.post(&ToEngine::Answer { id: id.to_string(), value: value.to_string() });
    }

    pub fn import(&self, text: String, done: impl FnOnce(Result<ImportedSave, String>) + 'static) {
        let id = Self::next_id();
        IMPORTS.with_borrow_mut(|r| r.insert(id, Box::new(done)));
        self.post(&ToEngine::Import { id, text });
    }
}

/// A `performance.mark`, read by `cargo xtask figures`.
pub fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}
