//! The engine: the simulated account, in its own wasm, in a Web Worker.
//!
//! It holds the active [`World`], answers the UI's messages (see `protocol.rs`) and, after every
//! change, posts a [`WorldView`] with the lab's check verdicts and the record to save, and the read
//! models of the page's consoles, rebuilt only when what they depend on changed.

use lab_app::protocol::{FromEngine, ImportedSave, ToEngine, WorldView, TIMELINE_LENGTH};
use lab_core::clock::Millis;
use lab_core::console::{read_model, read_model_stamp};
use lab_core::lab::check::last_error_code;
use lab_core::lab::progress::{read_save_file, read_world, write_world};
use lab_core::lab::{apply, Check, StepStatus};
use lab_core::{World, WorldConfig};
use std::cell::RefCell;
use std::collections::BTreeMap;
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

/// The active account and the checks to evaluate against it.
struct Active {
    key: String,
    world: World,
    checks: Vec<Vec<Check>>,
    /// The services the page shows.
    services: Vec<String>,
    /// The stamp of each read model last sent (see `lab_core::console::read_model_stamp`).
    sent: BTreeMap<String, (Millis, Option<u64>)>,
}

thread_local! {
    static ACTIVE: RefCell<Option<Active>> = const { RefCell::new(None) };
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn post(message: &FromEngine) {
    let text = serde_json::to_string(message).expect("messages serialize");
    let _ = scope().post_message(&JsValue::from_str(&text));
}

fn main() {
    console_error_panic_hook::set_once();
    let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(|event: MessageEvent| {
        let Some(text) = event.data().as_string() else { return };
        match serde_json::from_str::<ToEngine>(&text) {
            Ok(message) => handle(message),
            Err(err) => web_sys::console::error_1(&format!("engine: unreadable message: {err}").into()),
        }
    });
    scope().set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    post(&FromEngine::Ready);
}

fn handle(message: ToEngine) {
    match message {
        ToEngine::Open { key, saved, setup, checks, services, seed, start_ms } => {
            let (world, error) = match saved.as_deref().map(read_world) {
                Some(Ok(world)) => (world, None),
                restored => {
                    let config = WorldConfig { seed, start_ms, ..WorldConfig::default() };
                    let mut world = World::new(&config);
                    for action in &setup {
                        if let Err(err) = apply(&mut world, action) {
                            web_sys::console::error_1(&format!("engine: lab setup failed: {err}").into());
                        }
                    }
                    (world, restored.and_then(Result::err).map(|err| err.to_string()))
                }
            };
            post(&FromEngine::Opened { key: key.clone(), error });
            ACTIVE.with_borrow_mut(|active| {
                *active = Some(Active { key, world, checks, services, sent: BTreeMap::new() })
            });
            post_state();
        }
        ToEngine::Call { id, service, action, request } => {
            let result = with_world(|world| world.call(&service, &action, &request));
            post(&FromEngine::Reply { id, result });
            post_state();
        }
        ToEngine::Advance { id, seconds } => {
            let result = with_world(|world| world.advance(seconds).map(|report| serde_json::json!(report)));
            post(&FromEngine::Reply { id, result });
            post_state();
        }
        ToEngine::Answer { id, value } => {
            if with_world(|world| {
                world.answer(&id, &value);
                Ok(serde_json::Value::Null)
            })
            .is_ok()
            {
                post_state();
            }
        }
        ToEngine::Import { id, text } => {
            let result = read_save_file(&text)
                .map(|save| ImportedSave {
                    progress: save.progress,
                    worlds: save.worlds.iter().map(|(key, world)| (key.clone(), write_world(world))).collect(),
                })
                .map_err(|err| err.to_string());
            post(&FromEngine::Imported { id, result });
        }
    }
}

fn with_world(
    f: impl FnOnce(&mut World) -> Result<serde_json::Value, lab_core::AwsError>,
) -> Result<serde_json::Value, lab_core::AwsError> {
    ACTIVE.with_borrow_mut(|active| match active {
        Some(active) => f(&mut active.world),
        None => Err(lab_core::AwsError::client("NoAccountOpen", "No account is open yet.")),
    })
}

fn post_state() {
    let view = ACTIVE.with_borrow_mut(|active| {
        let active = active.as_mut()?;
        let world = &active.world;
        let mut read_models = Vec::new();
        for service in &active.services {
            let Some(stamp) = read_model_stamp(world, service) else { continue };
            if active.sent.get(service) != Some(&stamp) {
                read_models.extend(read_model(world, service));
                active.sent.insert(service.clone(), stamp);
            }
        }
        let observed = world.observed();
        let skip = observed.events().len().saturating_sub(TIMELINE_LENGTH);
        Some(WorldView {
            key: active.key.clone(),
            now_ms: world.clock().now_ms(),
            started_ms: world.clock().started_ms(),
            events: observed.events().skip(skip).cloned().collect(),
            total_events: observed.total(),
            status: active
                .checks
                .iter()
                .enumerate()
                .map(|(i, checks)| StepStatus {
                    step: i.to_string(),
                    checks: checks.iter().map(|check| check.evaluate(world)).collect(),
                })
                .collect(),
            last_error: last_error_code(world),
            saved: write_world(world),
            read_models,
        })
    });
    if let Some(view) = view {
        post(&FromEngine::State(view));
    }
}
