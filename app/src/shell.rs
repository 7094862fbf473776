//! The app's state and its frame: header, notices, and the page the route names.

use crate::account::{mark, Account, EngineStatus};
use crate::components::service_menu::ServiceMenu;
use crate::i18n::{texts, Texts};
use crate::labs::Labs;
use crate::pages::{catalog::CatalogPage, differences::DifferencesPage, lab::LabPage, sandbox::SandboxPage};
use crate::route::Route;
use crate::store;
use lab_core::console::menu;
use lab_core::lab::{Lang, Progress};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

/// App-wide state, provided as context. Domain state lives in lab-core; this only holds
/// signals.
#[derive(Clone, Copy)]
pub struct Shell {
    pub lang: RwSignal<Lang>,
    pub route: RwSignal<Route>,
    pub progress: RwSignal<Progress>,
    pub notices: RwSignal<Vec<Notice>>,
    /// Bumped when stored data is replaced (reset, import): pages reopen their account.
    pub generation: RwSignal<u32>,
    /// The services visited last, newest first (the service menu's "Recently visited").
    pub recent: RwSignal<Vec<String>>,
}

impl Shell {
    pub fn t(&self) -> &'static Texts {
        texts(self.lang.get())
    }

    pub fn notify(&self, notice: Notice) {
        self.notices.update(|n| {
            n.retain(|old| old.kind != notice.kind);
            n.push(notice);
        });
    }
}

/// A message at the top of the page.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Notice {
    pub kind: NoticeKind,
    /// Details in the language of the data (an error message), shown as code.
    pub detail: Option<String>,
    /// A backup the learner can download.
    pub backup_key: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NoticeKind {
    ProgressUnreadable,
    WorldUnreadable,
    ImportDone,
    ImportFailed,
    ExportDone,
    ResetDone,
    StorageFailed,
    EngineRestarted,
}

impl NoticeKind {
    fn text(self, t: &Texts) -> &'static str {
        match self {
            NoticeKind::ProgressUnreadable => t.notice_progress_unreadable,
            NoticeKind::WorldUnreadable => t.notice_world_unreadable,
            NoticeKind::ImportDone => t.import_done,
            NoticeKind::ImportFailed => t.import_failed,
            NoticeKind::ExportDone => t.export_done,
            NoticeKind::ResetDone => t.reset_done,
            NoticeKind::StorageFailed => t.storage_failed,
            NoticeKind::EngineRestarted => t.engine_restarted,
        }
    }

    fn is_problem(self) -> bool {
        !matches!(self, NoticeKind::ImportDone | NoticeKind::ExportDone | NoticeKind::ResetDone)
    }

    fn testid(self) -> &'static str {
        match self {
            NoticeKind::ProgressUnreadable => "notice-progress-unreadable",
            NoticeKind::WorldUnreadable => "notice-world-unreadable",
            NoticeKind::ImportDone => "notice-import-done",
            NoticeKind::ImportFailed => "notice-import-failed",
            NoticeKind::ExportDone => "notice-export-done",
            NoticeKind::ResetDone => "notice-reset-done",
            NoticeKind::StorageFailed => "notice-storage-failed",
            NoticeKind::EngineRestarted => "notice-engine-restarted",
        }
    }
}

fn initial_lang() -> Lang {
    if let Some(lang) = store::get(store::LANG_KEY).as_deref().and_then(Lang::from_code) {
        return lang;
    }
    let browser = web_sys::window().and_then(|w| w.navigator().language()).unwrap_or_default();
    Lang::from_browser(&browser)
}

fn current_hash() -> String {
    web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
}

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    let (progress, progress_backup) = store::load_progress();
    let shell = Shell {
        lang: RwSignal::new(initial_lang()),
        route: RwSignal::new(Route::parse(&current_hash())),
        progress: RwSignal::new(progress),
        notices: RwSignal::new(Vec::new()),
        generation: RwSignal::new(0),
        recent: RwSignal::new(menu::read_recent(store::get(store::RECENT_KEY).as_deref())),
    };
    if let Some(backup) = progress_backup {
        shell.notify(Notice {
            kind: NoticeKind::ProgressUnreadable,
            detail: Some(backup.reason),
            backup_key: Some(backup.key),
        });
    }
    provide_context(shell);
    provide_context(Labs::load());
    let account = Account::start(
        move |key, error| {
            let Some(reason) = error else { return };
            let backup_key = store::back_up(&store::world_key(&key), &format!("world/{key}"));
            shell.notify(Notice {
                kind: NoticeKind::WorldUnreadable,
                detail: Some(format!("{key}: {reason}")),
                backup_key,
            });
        },
        move |reason| {
            shell.notify(Notice { kind: NoticeKind::EngineRestarted, detail: Some(reason), backup_key: None })
        },
    );
    provide_context(account);

    let onhashchange = Closure::<dyn FnMut()>::new(move || shell.route.set(Route::parse(&current_hash())));
    if let Some(window) = web_sys::window() {
        window.set_onhashchange(Some(onhashchange.as_ref().unchecked_ref()));
    }
    onhashchange.forget();

    // Language: the page's `lang` attribute follows the choice (screen readers, fonts).
    Effect::new(move |_| {
        let lang = shell.lang.get();
        if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
            let _ = root.set_attribute("lang", lang.code());
        }
    });
    // A service's page, however it was reached, is recently visited.
    Effect::new(move |_| {
        if let Route::Sandbox { service } = shell.route.get() {
            let recent = menu::visit(&shell.recent.get_untracked(), &service);
            if recent != shell.recent.get_untracked() {
                let _ = store::set(store::RECENT_KEY, &menu::write_recent(&recent));
                shell.recent.set(recent);
            }
        }
    });
    // Progress is saved whenever it changes.
    Effect::new(move |_| {
        let saved = shell.progress.with(store::save_progress);
        if saved.is_err() {
            account.storage_failed.set(true);
        }
    });
    Effect::new(move |_| {
        if account.storage_failed.get() {
            shell.notify(Notice { kind: NoticeKind::StorageFailed, detail: None, backup_key: None });
        }
    });

    // The page is chosen by kind (and lab), so moving between steps keeps the lab page mounted.
    let page = Memo::new(move |_| match shell.route.get() {
        Route::Lab { lab, .. } => Route::Lab { lab, step: None },
        other => other,
    });
    view! {
        <a class="skip-link" href="#main" on:click=|ev| {
            ev.prevent_default();
            focus_main();
        }>{move || shell.t().skip_to_content}</a>
        <Header/>
        <Notices/>
        <main id="main" tabindex="-1">
            {move || match page.get() {
                Route::Catalog => view! { <CatalogPage/> }.into_any(),
                Route::Lab { lab, .. } => view! { <LabPage lab_id=lab/> }.into_any(),
                Route::Sandbox { service } => view! { <SandboxPage service=service/> }.into_any(),
                Route::Differences => view! { <DifferencesPage/> }.into_any(),
                Route::NotFound(_) => view! { <NotFound/> }.into_any(),
            }}
        </main>
    }
}

fn focus_main() {
    crate::components::kit::focus_id("main");
}

#[component]
fn Header() -> impl IntoView {
    let shell = expect_context::<Shell>();
    let account = expect_context::<Account>();
    let toggle_lang = move |_| {
        let next = match shell.lang.get_untracked() {
            Lang::Vi => Lang::En,
            Lang::En => Lang::Vi,
        };
        shell.lang.set(next);
        let _ = store::set(store::LANG_KEY, next.code());
    };
    let export = move |_| {
        let text = shell.progress.with_untracked(store::export_text);
        store::download(&store::export_filename(), &text);
        shell.notify(Notice { kind: NoticeKind::ExportDone, detail: None, backup_key: None });
    };
    let reset = move |_| {
        let t = shell.t();
        let confirmed = web_sys::window().and_then(|w| w.confirm_with_message(t.reset_confirm).ok()).unwrap_or(false);
        if confirmed {
            store::reset_all();
            shell.progress.set(Progress::default());
            shell.generation.update(|g| *g += 1);
            shell.notify(Notice { kind: NoticeKind::ResetDone, detail: None, backup_key: None });
        }
    };
    let import = move |ev: web_sys::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|files| files.get(0)) else { return };
        input.set_value("");
        leptos::task::spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text()).await.ok().and_then(|t| t.as_string());
            let Some(text) = text else {
                shell.notify(Notice { kind: NoticeKind::ImportFailed, detail: None, backup_key: None });
                return;
            };
            account.import(text, move |result| match result {
                Ok(imported) => {
                    store::reset_all();
                    let mut failed = store::save_progress(&imported.progress).is_err();
                    for (key, record) in &imported.worlds {
                        failed |= store::set(&store::world_key(key), record).is_err();
                    }
                    if failed {
                        account.storage_failed.set(true);
                    }
                    shell.progress.set(imported.progress);
                    shell.generation.update(|g| *g += 1);
                    shell.notify(Notice { kind: NoticeKind::ImportDone, detail: None, backup_key: None });
                }
                Err(reason) => {
                    shell.notify(Notice { kind: NoticeKind::ImportFailed, detail: Some(reason), backup_key: None })
                }
            });
        });
    };
    let status = move || match account.status.get() {
        EngineStatus::Loading => ("loading", shell.t().engine_loading.to_string()),
        EngineStatus::Ready => ("ready", shell.t().engine_ready.to_string()),
        EngineStatus::Failed(why) => ("failed", format!("{}: {why}", shell.t().engine_failed)),
    };
    view! {
        <header class="top">
            <a class="brand" href="#/" data-testid="home">"serverless-lab"</a>
            <ServiceMenu/>
            <nav aria-label=move || shell.t().nav_label>
                <a href="#/" data-testid="nav-catalog">{move || shell.t().nav_catalog}</a>
                <a href="#/sandbox/sts" data-testid="nav-sandbox">{move || shell.t().nav_sandbox}</a>
            </nav>
            <span class="engine" role="status" data-testid="engine-status" data-status=move || status().0>
                <span class="dot" aria-hidden="true"></span>
                {move || status().1}
            </span>
            <div class="data" role="group" aria-label=move || shell.t().save_heading>
                <button type="button" data-testid="export" on:click=export>{move || shell.t().export}</button>
                <label class="button" for="import-file">{move || shell.t().import}</label>
                <input id="import-file" class="visually-hidden" type="file" accept=".json,application/json"
                    data-testid="import-input" on:change=import/>
                <button type="button" data-testid="reset" on:click=reset>{move || shell.t().reset}</button>
            </div>
            <button type="button" class="lang" data-testid="lang-toggle" on:click=toggle_lang
                aria-label=move || shell.t().lang_toggle_label
                lang=move || match shell.lang.get() { Lang::Vi => "en", Lang::En => "vi" }>
                {move || shell.t().lang_toggle}
            </button>
        </header>
    }
}

#[component]
fn Notices() -> impl IntoView {
    let shell = expect_context::<Shell>();
    view! {
        <div class="notices" data-testid="notices">
            <For each=move || shell.notices.get() key=|n| n.clone() let:notice>
                {
                    let kind = notice.kind;
                    let dismiss = move |_| shell.notices.update(|n| n.retain(|x| x.kind != kind));
                    let backup_key = notice.backup_key.clone();
                    let download = move |_| {
                        if let Some(key) = &backup_key {
                            if let Some(text) = store::get(key) {
                                store::download("serverless-lab-backup.json", &text);
                            }
                        }
                    };
                    view! {
                        <div class="notice" class:problem=kind.is_problem()
                            role=if kind.is_problem() { "alert" } else { "status" } data-testid=kind.testid()>
                            <p>
                                <strong>{move || kind.text(shell.t())}</strong>
                                {notice.backup_key.is_some().then(|| view! { " " {move || shell.t().notice_kept} })}
                            </p>
                            {notice.detail.clone().map(|d| view! { <p><code>{d}</code></p> })}
                            <div class="actions">
                                {notice.backup_key.is_some().then(|| view! {
                                    <button type="button" data-testid="download-backup" on:click=download.clone()>
                                        {move || shell.t().notice_download}
                                    </button>
                                })}
                                <button type="button" data-testid="dismiss-notice" on:click=dismiss>
                                    {move || shell.t().notice_dismiss}
                                </button>
                            </div>
                        </div>
                    }
                }
            </For>
        </div>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    let shell = expect_context::<Shell>();
    view! {
        <section class="page narrow">
            <h1>{move || shell.t().not_found}</h1>
            <p><a href="#/">{move || shell.t().back_to_catalog}</a></p>
        </section>
    }
}

/// Marks the catalog interactive (for `cargo xtask figures`) once every lab has settled.
pub fn mark_catalog_interactive() {
    thread_local!(static DONE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) });
    if !DONE.replace(true) {
        mark("catalog-interactive");
    }
}
