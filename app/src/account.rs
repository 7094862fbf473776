//! The UI's handle on the simulated account, which runs in the engine Web Worker.
//!
//! [`Account`] is the context newtype components use: signals for what the engine last reported,
//! and methods that post messages. Messages posted before the engine is ready are queued, so a
//! component never needs to wait for the engine before asking.

use crate::protocol::{FromEngine, ImportedSave, ToEngine, WorldView};
use crate::store;
use lab_core::console::ReadModel;
use lab_core::lab::{Action, Check};
use lab_core::AwsError;
use leptos::prelude::*;
use serde_json::Value;
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
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
}

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
    /// with the reason a saved one could not be read.
    pub fn start(on_opened: impl Fn(String, Option<String>) + 'static) -> Account {
        let account = Account {
            status: RwSignal::new(EngineStatus::Loading),
            view: RwSignal::new(None),
            models: RwSignal::new(BTreeMap::new()),
            active: RwSignal::new(None),
            storage_failed: RwSignal::new(false),
        };
        let options = web_sys::WorkerOptions::new();
        options.set_type(web_sys::WorkerType::Classic);
        let worker = match Worker::new_with_options("./engine_loader.js", &options) {
            Ok(worker) => worker,
            Err(err) => {
                account.status.set(EngineStatus::Failed(format!("{err:?}")));
                return account;
            }
        };
        let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let Some(text) = event.data().as_string() else { return };
            match serde_json::from_str::<FromEngine>(&text) {
                Ok(message) => account.receive(message, &on_opened),
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
            account.status.set(EngineStatus::Failed(message));
        });
        worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
        onerror.forget();
        WORKER.with_borrow_mut(|w| *w = Some(worker));
        account
    }

    fn receive(&self, message: FromEngine, on_opened: &impl Fn(String, Option<String>)) {
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
            FromEngine::Opened { key, error } => on_opened(key, error),
            FromEngine::Reply { id, result } => {
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

    fn next_id() -> u64 {
        NEXT_ID.with(|id| {
            let next = id.get();
            id.set(next + 1);
            next
        })
    }

    /// Makes `key`'s account active, restoring it from the browser's storage or creating it
    /// with `setup`. `checks` are evaluated after every change; `services` are those the page
    /// shows, whose consoles' read models the engine sends.
    pub fn open(&self, key: &str, setup: Vec<Action>, checks: Vec<Vec<Check>>, services: Vec<String>) {
        self.active.set(Some(key.to_string()));
        self.view.set(None);
        self.models.set(BTreeMap::new());
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
