//! The messages between the UI (main thread) and the engine (Web Worker).
//!
//! The boundary is exactly `World::call` (wire JSON in, wire JSON out), clock moves, and a view
//! of the world after each change. Both sides serialize these with serde_json and post strings.

use lab_core::console::ReadModel;
use lab_core::lab::{Action, Check, Progress, StepStatus};
use lab_core::observed::ObservedEvent;
use lab_core::AwsError;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// How many of the newest Observed events a [`WorldView`] carries for the timeline.
pub const TIMELINE_LENGTH: usize = 200;

/// UI -> engine.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum ToEngine {
    /// Make `key`'s account the active one: restore it from `saved` (a stored world record) or,
    /// without one, create it and run `setup`. `checks` are the lab's checks, step by step,
    /// evaluated after every change. `services` are those the page shows: their consoles' read
    /// models come with each [`WorldView`] that changed them.
    Open {
        key: String,
        saved: Option<String>,
        setup: Vec<Action>,
        checks: Vec<Vec<Check>>,
        services: Vec<String>,
        seed: u64,
        start_ms: u64,
    },
    /// One API call against the active account.
    Call { id: u64, service: String, action: String, request: Value },
    /// Move the active account's clock.
    Advance { id: u64, seconds: u64 },
    /// The learner's answer to a lab question (an `answer` check).
    Answer { id: String, value: String },
    /// Validate an export file; the answer carries what to store.
    Import { id: u64, text: String },
}

/// Engine -> UI.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum FromEngine {
    /// The engine's wasm is loaded and it is listening. Sent once.
    Ready,
    /// `Open` is done. `error` says why the saved world could not be read (it was replaced by a
    /// fresh one; the UI keeps the old text as a backup).
    Opened { key: String, error: Option<String> },
    /// The answer to `Call` or `Advance`.
    Reply { id: u64, result: Result<Value, AwsError> },
    /// The active account after a change.
    State(WorldView),
    /// The answer to `Import`.
    Imported { id: u64, result: Result<ImportedSave, String> },
}

/// What the UI shows of the active account and saves of it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorldView {
    pub key: String,
    pub now_ms: u64,
    pub started_ms: u64,
    /// The newest [`TIMELINE_LENGTH`] events, oldest first.
    pub events: Vec<ObservedEvent>,
    /// Every event ever recorded, including those not carried.
    pub total_events: u64,
    /// Each step's check verdicts, in lab order.
    pub status: Vec<StepStatus>,
    /// The error code of the latest failed call.
    pub last_error: Option<String>,
    /// The stored world record to save under `key`.
    pub saved: String,
    /// The read models of the page's consoles that changed since the previous view of this
    /// account (all of them in the first view after `Open`); a console not here kept its model.
    pub read_models: Vec<ReadModel>,
}

/// A validated export file, ready to store.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportedSave {
    pub progress: Progress,
    /// Stored world records by key.
    pub worlds: BTreeMap<String, String>,
}
