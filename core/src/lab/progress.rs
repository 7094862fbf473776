//! What the browser keeps: the learner's progress, saved worlds, and export files.
//!
//! Every stored value carries a version. Reading one never guesses: text that is not JSON, is
//! not ours, or has a version this build does not know is reported as a [`SaveError`] and the
//! caller keeps the original text (the app moves it to a backup key and offers it for export).

use crate::world::World;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;

/// The version of the progress and world records this build writes and reads.
pub const SAVE_VERSION: u32 = 1;

/// The `format` member that marks an export file as ours.
pub const EXPORT_FORMAT: &str = "serverless-lab-save";

/// Progress in every lab.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// By lab id.
    pub labs: BTreeMap<String, LabProgress>,
}

/// Progress in one lab.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabProgress {
    /// By step id; a step appears once the learner has done something in it.
    pub steps: BTreeMap<String, StepProgress>,
}

/// Progress in one step.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepProgress {
    /// When "check my work" first found every check passing (wall-clock ms from the browser).
    pub done_at_ms: Option<u64>,
    /// Indexes of the hints revealed, in the order they were revealed.
    pub hints: Vec<usize>,
    /// How many times the learner pressed "check my work" on this step.
    pub checks_run: u32,
}

impl Progress {
    pub fn step(&self, lab: &str, step: &str) -> Option<&StepProgress> {
        self.labs.get(lab)?.steps.get(step)
    }

    pub fn step_mut(&mut self, lab: &str, step: &str) -> &mut StepProgress {
        self.labs.entry(lab.to_string()).or_default().steps.entry(step.to_string()).or_default()
    }

    pub fn is_done(&self, lab: &str, step: &str) -> bool {
        self.step(lab, step).is_some_and(|s| s.done_at_ms.is_some())
    }

    /// How many steps of `lab` are done.
    pub fn done_count(&self, lab: &str) -> usize {
        self.labs.get(lab).map_or(0, |l| l.steps.values().filter(|s| s.done_at_ms.is_some()).count())
    }
}

/// Why stored text could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SaveError {
    /// Not JSON at all (truncated, edited by hand...).
    NotJson(String),
    /// JSON, but not a save of ours (an export file has the wrong `format`).
    NotASave,
    /// A version this build does not read (a newer build wrote it, or it was edited).
    UnknownVersion(Value),
    /// Ours and the right version, but its content does not fit.
    Invalid(String),
}

impl fmt::Display for SaveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SaveError::NotJson(err) => write!(f, "not valid JSON: {err}"),
            SaveError::NotASave => write!(f, "not a serverless-lab save file"),
            SaveError::UnknownVersion(v) => {
                write!(f, "save version {v} is not one this app reads (it reads version {SAVE_VERSION})")
            }
            SaveError::Invalid(err) => write!(f, "damaged save: {err}"),
        }
    }
}

impl std::error::Error for SaveError {}

/// `{"version": 1, "progress": {...}}`, as stored under the progress key.
#[derive(Serialize, Deserialize)]
struct StoredProgress {
    version: u32,
    progress: Progress,
}

/// `{"version": 1, "world": {...}}`, as stored under a world key.
#[derive(Serialize, Deserialize)]
struct StoredWorld {
    version: u32,
    world: World,
}

/// An export file: everything the browser keeps, in one JSON document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SaveFile {
    /// Always [`EXPORT_FORMAT`].
    pub format: String,
    /// Always [`SAVE_VERSION`] when written by this build.
    pub version: u32,
    /// When the file was made (wall-clock ms from the browser).
    pub exported_at_ms: u64,
    pub progress: Progress,
    /// Each saved account, by key (`lab:<lab id>` or `sandbox`).
    pub worlds: BTreeMap<String, World>,
}

pub fn write_progress(progress: &Progress) -> String {
    serde_json::to_string(&StoredProgress { version: SAVE_VERSION, progress: progress.clone() })
        .expect("progress always serializes")
}

pub fn read_progress(text: &str) -> Result<Progress, SaveError> {
    Ok(read_versioned::<StoredProgress>(text, None)?.progress)
}

pub fn write_world(world: &World) -> String {
    serde_json::to_string(&StoredWorld { version: SAVE_VERSION, world: world.clone() })
        .expect("a world always serializes")
}

pub fn read_world(text: &str) -> Result<World, SaveError> {
    Ok(read_versioned::<StoredWorld>(text, None)?.world)
}

pub fn write_save_file(save: &SaveFile) -> String {
    serde_json::to_string_pretty(save).expect("a save always serializes")
}

pub fn read_save_file(text: &str) -> Result<SaveFile, SaveError> {
    read_versioned(text, Some(EXPORT_FORMAT))
}

/// Reads `text` as JSON, checks `format` (when given) and `version`, then the whole shape.
///
/// The shape is read from the text itself, not from the `Value`: a `Value` holds no integer
/// above `u64::MAX`, and stream sequence numbers are `u128`s that start at 10^20.
fn read_versioned<T: DeserializeOwned>(text: &str, format: Option<&str>) -> Result<T, SaveError> {
    let value: Value = serde_json::from_str(text).map_err(|err| SaveError::NotJson(err.to_string()))?;
    let Value::Object(object) = &value else {
        return Err(SaveError::NotASave);
    };
    if let Some(format) = format {
        if object.get("format").and_then(Value::as_str) != Some(format) {
            return Err(SaveError::NotASave);
        }
    }
    match object.get("version") {
        Some(Value::Number(n)) if n.as_u64() == Some(u64::from(SAVE_VERSION)) => {}
        Some(other) => return Err(SaveError::UnknownVersion(other.clone())),
        None => return Err(SaveError::NotASave),
    }
    serde_json::from_str(text).map_err(|err| SaveError::Invalid(err.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expect: &str) {
        let got = match read_save_file(text) {
            Ok(save) => format!("ok {} labs, {} worlds", save.progress.labs.len(), save.worlds.len()),
            Err(err) => format!("error {err}"),
        };
        assert_eq!(got, expect);
    }

    fn sample() -> SaveFile {
        let mut progress = Progress::default();
        progress.step_mut("01-how-labs-work", "01-who-am-i").done_at_ms = Some(1);
        SaveFile {
            format: EXPORT_FORMAT.into(),
            version: SAVE_VERSION,
            exported_at_ms: 2,
            progress,
            worlds: BTreeMap::from([("sandbox".to_string(), World::default())]),
        }
    }

    #[test]
    fn reads_what_it_writes() {
        let save = sample();
        assert_eq!(read_save_file(&write_save_file(&save)).unwrap(), save);
        let progress = save.progress;
        assert_eq!(read_progress(&write_progress(&progress)).unwrap(), progress);
        let world = World::default();
        assert_eq!(read_world(&write_world(&world)).unwrap(), world);
    }

    #[test]
    fn reports_what_it_cannot_read() {
        check("{", "error not valid JSON: EOF while parsing an object at line 1 column 1");
        check("[]", "error not a serverless-lab save file");
        check(r#"{"format":"other","version":1}"#, "error not a serverless-lab save file");
        check(
            r#"{"format":"serverless-lab-save","version":2}"#,
            "error save version 2 is not one this app reads (it reads version 1)",
        );
        check(
            r#"{"format":"serverless-lab-save","version":1,"exported_at_ms":0,"progress":{"labs":{}}}"#,
            "error damaged save: missing field `worlds` at line 1 column 86",
        );
        let valid = write_save_file(&sample());
        check(&valid, "ok 1 labs, 1 worlds");
        let broken = valid.replace("\"next_seq\"", "\"nxt\"");
        assert!(read_save_file(&broken).unwrap_err().to_string().starts_with("damaged save:"));
    }

    #[test]
    fn a_world_with_a_stream_reads_back() {
        // Stream sequence numbers start at 10^20, past what a JSON `Value` holds as an integer.
        let mut world = World::default();
        let table = serde_json::json!({
            "TableName": "Music",
            "AttributeDefinitions": [{"AttributeName": "Artist", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "Artist", "KeyType": "HASH"}],
            "BillingMode": "PAY_PER_REQUEST",
            "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "KEYS_ONLY"}
        });
        world.call("dynamodb", "CreateTable", &table).unwrap();
        world.advance(10).unwrap();
        world
            .call("dynamodb", "PutItem", &serde_json::json!({"TableName": "Music", "Item": {"Artist": {"S": "A"}}}))
            .unwrap();
        assert_eq!(read_world(&write_world(&world)).unwrap(), world);
        let mut save = sample();
        save.worlds.insert("sandbox".into(), world);
        assert_eq!(read_save_file(&write_save_file(&save)).unwrap(), save);
    }

    #[test]
    fn progress_counts_done_steps() {
        let mut progress = Progress::default();
        progress.step_mut("lab", "a").done_at_ms = Some(5);
        progress.step_mut("lab", "b").hints.push(0);
        assert!(progress.is_done("lab", "a"));
        assert!(!progress.is_done("lab", "b"));
        assert_eq!(progress.done_count("lab"), 1);
        assert_eq!(progress.done_count("other"), 0);
    }
}
