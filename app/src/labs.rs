//! Lab content, fetched from `labs/` next to index.html and parsed by lab-core's loader.
//!
//! Labs are plain files an instructor can add to a deployment. Each lab loads on its own: one
//! malformed lab becomes an error card with its located errors and the others still load.

use lab_core::lab::{parse_catalog, parse_lab, Lab, LabError, Lang};
use leptos::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The state of one lab.
#[derive(Clone, Debug, PartialEq)]
pub enum LabSlot {
    Loading,
    Ready(Arc<Lab>),
    Failed(Vec<LabError>),
}

/// The state of the catalog.
#[derive(Clone, Debug, PartialEq)]
pub enum CatalogState {
    Loading,
    Failed(Vec<LabError>),
    /// Lab ids in course order, each with its state.
    Loaded(Vec<(String, LabSlot)>),
}

/// The state of one step's prose in one language.
#[derive(Clone, Debug, PartialEq)]
pub enum Prose {
    Loading,
    /// Sanitized HTML.
    Ready(String),
    Failed(String),
}

/// Lab content: the catalog and prose, as signals.
#[derive(Clone, Copy)]
pub struct Labs {
    pub catalog: RwSignal<CatalogState>,
    prose: RwSignal<HashMap<(String, String, Lang), Prose>>,
}

impl Labs {
    /// Starts fetching the catalog and every lab in it.
    pub fn load() -> Labs {
        let labs = Labs { catalog: RwSignal::new(CatalogState::Loading), prose: RwSignal::new(HashMap::new()) };
        leptos::task::spawn_local(async move {
            let file = "labs/labs.toml";
            let catalog = match fetch_text(file).await {
                Ok(text) => parse_catalog(file, &text),
                Err(err) => Err(vec![LabError::file(file, err)]),
            };
            match catalog {
                Err(errors) => labs.catalog.set(CatalogState::Failed(errors)),
                Ok(catalog) => {
                    labs.catalog.set(CatalogState::Loaded(
                        catalog.labs.iter().map(|id| (id.clone(), LabSlot::Loading)).collect(),
                    ));
                    for id in catalog.labs {
                        leptos::task::spawn_local(async move {
                            let slot = match load_lab(&id).await {
                                Ok(lab) => LabSlot::Ready(Arc::new(lab)),
                                Err(errors) => LabSlot::Failed(errors),
                            };
                            labs.catalog.update(|state| {
                                if let CatalogState::Loaded(entries) = state {
                                    if let Some(entry) = entries.iter_mut().find(|(lab, _)| *lab == id) {
                                        entry.1 = slot;
                                    }
                                }
                            });
                        });
                    }
                }
            }
        });
        labs
    }

    /// The lab `id`: `None` while the catalog loads or when no such lab is listed.
    pub fn lab(&self, id: &str) -> Option<LabSlot> {
        match &*self.catalog.read() {
            CatalogState::Loaded(entries) => entries.iter().find(|(lab, _)| lab == id).map(|(_, slot)| slot.clone()),
            _ => None,
        }
    }

    /// Whether every lab has finished loading (ready or failed).
    pub fn settled(&self) -> bool {
        match &*self.catalog.read() {
            CatalogState::Loading => false,
            CatalogState::Failed(_) => true,
            CatalogState::Loaded(entries) => entries.iter().all(|(_, slot)| *slot != LabSlot::Loading),
        }
    }

    /// A step's prose in `lang`, fetched on first use.
    pub fn prose(&self, lab: &str, step: &str, lang: Lang) -> Prose {
        let key = (lab.to_string(), step.to_string(), lang);
        // Subscribe, so that the caller re-renders when the text arrives.
        self.prose.track();
        if let Some(prose) = self.prose.read_untracked().get(&key) {
            return prose.clone();
        }
        self.prose.update_untracked(|map| {
            map.insert(key.clone(), Prose::Loading);
        });
        let prose = self.prose;
        leptos::task::spawn_local(async move {
            let file = format!("labs/{}/{}.{}.md", key.0, key.1, key.2.code());
            let loaded = match fetch_text(&file).await {
                Ok(text) => Prose::Ready(crate::markdown::render(&text)),
                Err(err) => Prose::Failed(format!("{file}: {err}")),
            };
            prose.update(|map| {
                map.insert(key, loaded);
            });
        });
        Prose::Loading
    }
}

async fn load_lab(id: &str) -> Result<Lab, Vec<LabError>> {
    let file = format!("labs/{id}/lab.toml");
    let text = fetch_text(&file).await.map_err(|err| vec![LabError::file(&file, err)])?;
    let draft = parse_lab(id, &file, &text)?;
    let mut payloads = HashMap::new();
    for path in draft.request_files() {
        if let Ok(text) = fetch_text(&format!("labs/{id}/{path}")).await {
            payloads.insert(path, text);
        }
    }
    draft.finish(|path| payloads.get(path).cloned())
}

/// GETs `url` (relative to the page) as text; any failure, including an HTTP error status, is
/// an error message.
pub async fn fetch_text(url: &str) -> Result<String, String> {
    let window = web_sys::window().ok_or("no window")?;
    let init = web_sys::RequestInit::new();
    // Revalidate: an instructor who fixes a lab file should not have to tell learners to clear caches.
    init.set_cache(web_sys::RequestCache::NoCache);
    let response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await
        .map_err(|err| format!("cannot fetch: {}", js_error(&err)))?;
    let response: web_sys::Response = response.unchecked_into();
    if !response.ok() {
        return Err(format!("HTTP {} {}", response.status(), response.status_text()));
    }
    let text = response.text().map_err(|err| js_error(&err))?;
    let text = JsFuture::from(text).await.map_err(|err| js_error(&err))?;
    text.as_string().ok_or_else(|| "response is not text".into())
}

fn js_error(value: &wasm_bindgen::JsValue) -> String {
    value.as_string().unwrap_or_else(|| format!("{value:?}"))
}
