//! The browser's storage: progress, saved accounts, backups, export and import files.
//!
//! Keys (all under `serverless-lab/`):
//! - `lang`: "vi" or "en", once the learner picks one;
//! - `progress`: `{"version": 1, "progress": {...}}`;
//! - `world/<key>`: `{"version": 1, "world": {...}}`, one per account (`lab:<id>`, `sandbox`);
//! - `backup/<what>/<ms>`: the exact text of a record that could not be read, never deleted by
//!   the app, offered for download;
//! - `recent-services`: the service menu's recently visited services, a JSON array of SDK ids.

use lab_core::lab::progress::{read_progress, write_progress, EXPORT_FORMAT, SAVE_VERSION};
use lab_core::lab::Progress;
use serde_json::{json, Map, Value};
use wasm_bindgen::JsCast;
use web_sys::Storage;

pub const LANG_KEY: &str = "serverless-lab/lang";
pub const PROGRESS_KEY: &str = "serverless-lab/progress";
pub const WORLD_PREFIX: &str = "serverless-lab/world/";
pub const BACKUP_PREFIX: &str = "serverless-lab/backup/";
pub const RECENT_KEY: &str = "serverless-lab/recent-services";
/// How long the engine watchdog waits, in ms (for tests; see `account::watchdog_ms`).
pub const WATCHDOG_KEY: &str = "serverless-lab/watchdog-ms";

fn storage() -> Option<Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn get(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

/// The browser refused to store a value (quota exceeded, storage disabled).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StorageRefused;

/// Stores `value`.
pub fn set(key: &str, value: &str) -> Result<(), StorageRefused> {
    storage().ok_or(StorageRefused)?.set_item(key, value).map_err(|_| StorageRefused)
}

pub fn remove(key: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(key);
    }
}

pub fn keys_with_prefix(prefix: &str) -> Vec<String> {
    let Some(storage) = storage() else { return Vec::new() };
    let count = storage.length().unwrap_or(0);
    let mut keys: Vec<String> =
        (0..count).filter_map(|i| storage.key(i).ok().flatten()).filter(|k| k.starts_with(prefix)).collect();
    keys.sort();
    keys
}

pub fn world_key(account: &str) -> String {
    format!("{WORLD_PREFIX}{account}")
}

/// A record that could not be read, moved aside.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Backup {
    /// Where the original text now is.
    pub key: String,
    /// Why it could not be read.
    pub reason: String,
}

/// Copies the text under `key` to a backup key, then removes `key`. Returns the backup key.
pub fn back_up(key: &str, what: &str) -> Option<String> {
    let text = get(key)?;
    let backup = format!("{BACKUP_PREFIX}{what}/{}", js_sys::Date::now() as u64);
    set(&backup, &text).ok()?;
    remove(key);
    Some(backup)
}

/// The saved progress; an unreadable record is backed up and reported, and progress starts
/// empty.
pub fn load_progress() -> (Progress, Option<Backup>) {
    let Some(text) = get(PROGRESS_KEY) else { return (Progress::default(), None) };
    match read_progress(&text) {
        Ok(progress) => (progress, None),
        Err(err) => {
            let backup = back_up(PROGRESS_KEY, "progress").map(|key| Backup { key, reason: err.to_string() });
            (Progress::default(), backup)
        }
    }
}

pub fn save_progress(progress: &Progress) -> Result<(), StorageRefused> {
    set(PROGRESS_KEY, &write_progress(progress))
}

/// An export file with everything stored: progress and every readable saved account.
pub fn export_text(progress: &Progress) -> String {
    let mut worlds = Map::new();
    for key in keys_with_prefix(WORLD_PREFIX) {
        let record = get(&key).and_then(|text| serde_json::from_str::<Value>(&text).ok());
        if let Some(world) = record.and_then(|mut record| record.get_mut("world").map(Value::take)) {
            worlds.insert(key[WORLD_PREFIX.len()..].to_string(), world);
        }
    }
    let save = json!({
        "format": EXPORT_FORMAT,
        "version": SAVE_VERSION,
        "exported_at_ms": js_sys::Date::now() as u64,
        "progress": progress,
        "worlds": worlds,
    });
    serde_json::to_string_pretty(&save).expect("JSON values serialize")
}

/// Deletes progress and every saved account (the language choice and backups stay).
pub fn reset_all() {
    remove(PROGRESS_KEY);
    for key in keys_with_prefix(WORLD_PREFIX) {
        remove(&key);
    }
}

/// Offers `text` to the learner as a file download.
pub fn download(filename: &str, text: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let parts = js_sys::Array::of1(&text.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    if let Ok(anchor) = document.create_element("a") {
        let anchor: web_sys::HtmlAnchorElement = anchor.unchecked_into();
        anchor.set_href(&url);
        anchor.set_download(filename);
        anchor.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// `serverless-lab-YYYY-MM-DD.json`, dated by the browser's clock.
pub fn export_filename() -> String {
    let iso = lab_core::clock::iso8601(js_sys::Date::now() as u64);
    format!("serverless-lab-{}.json", &iso[..10])
}
