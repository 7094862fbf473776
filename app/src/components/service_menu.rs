//! The service menu in the header, like the AWS console's "Services" menu: a search box (by name or
//! by what a service is, in Vietnamese or English), the recently visited services and every
//! service, each a link to its page (`#/sandbox/<service>`).
//!
//! Keyboard: the button opens it with focus in the search box; ↓ and ↑ move through the links,
//! Enter in the box opens the first match, Escape closes it and gives the focus back to the button.
//! The entries, the search and the recently visited list are `lab_core::console::menu`'s.

use super::kit::focus_id;
use crate::route::Route;
use crate::shell::Shell;
use lab_core::console::menu::{self, MenuEntry};
use lab_core::lab::Lang;
use leptos::prelude::*;

fn href(service: &str) -> String {
    Route::Sandbox { service: service.to_string() }.href()
}

#[component]
pub fn ServiceMenu() -> impl IntoView {
    let shell = expect_context::<Shell>();
    let open = RwSignal::new(false);
    let query = RwSignal::new(String::new());
    let found = Memo::new(move |_| query.with(|q| menu::search(q)));
    // The recently visited list shows only while nothing is typed.
    let recent = Memo::new(move |_| {
        if query.with(|q| q.trim().is_empty()) {
            shell.recent.get().iter().filter_map(|s| menu::entry(s)).collect()
        } else {
            Vec::<&'static MenuEntry>::new()
        }
    });
    let input = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(input) = input.get() {
            let _ = input.focus();
        }
    });
    let close = move || {
        open.set(false);
        query.set(String::new());
        focus_id("service-menu-button");
    };
    // The links in the order shown, for the arrow keys: `service-menu-item-<n>`.
    let count = move || recent.with(Vec::len) + found.with(Vec::len);
    let keydown = move |ev: leptos::ev::KeyboardEvent| {
        let active = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.active_element())
            .map(|e| e.id())
            .unwrap_or_default();
        let at = active.strip_prefix("service-menu-item-").and_then(|n| n.parse::<usize>().ok());
        let n = count();
        let to = match (ev.key().as_str(), at) {
            ("Escape", _) => {
                ev.prevent_default();
                return close();
            }
            ("Enter", None) if active == "service-menu-search" => {
                ev.prevent_default();
                if let Some(first) = found.with(|f| f.first().map(|e| e.service)) {
                    if let Some(window) = web_sys::window() {
                        let _ = window.location().set_hash(&href(first));
                    }
                    close();
                }
                return;
            }
            ("ArrowDown", None) if n > 0 => 0,
            ("ArrowDown", Some(i)) => (i + 1).min(n.saturating_sub(1)),
            ("ArrowUp", Some(0)) => {
                ev.prevent_default();
                return focus_id("service-menu-search");
            }
            ("ArrowUp", Some(i)) => i - 1,
            ("Home", Some(_)) => 0,
            ("End", Some(_)) if n > 0 => n - 1,
            _ => return,
        };
        ev.prevent_default();
        focus_id(&format!("service-menu-item-{to}"));
    };
    let link = move |entry: &'static MenuEntry, n: usize, section: &'static str| {
        let what = move || if shell.lang.get() == Lang::Vi { entry.vi } else { entry.en };
        view! {
            <li>
                <a href=href(entry.service) id=format!("service-menu-item-{n}") class="menu-link"
                    data-testid=format!("service-menu-{section}-{}", entry.service) on:click=move |_| close()>
                    <span class="name">{entry.name}</span>
                    <span class="what">{what}</span>
                </a>
            </li>
        }
    };
    let lists = move || {
        let recent = recent.get();
        let offset = recent.len();
        let found = found.get();
        let t = shell.t();
        let searching = !query.with(|q| q.trim().is_empty());
        view! {
            {(!recent.is_empty()).then(|| view! {
                <h3 class="small" id="service-menu-recent">{t.menu_recent}</h3>
                <ul aria-labelledby="service-menu-recent" data-testid="service-menu-recent">
                    {recent.iter().enumerate().map(|(n, e)| link(e, n, "recent")).collect_view()}
                </ul>
            })}
            <h3 class="small" id="service-menu-all">{if searching { t.menu_results } else { t.menu_all }}</h3>
            {if found.is_empty() {
                view! { <p class="muted" data-testid="service-menu-none">{t.menu_none}</p> }.into_any()
            } else {
                view! {
                    <ul aria-labelledby="service-menu-all" data-testid="service-menu-results">
                        {found.iter().enumerate().map(|(n, e)| link(e, offset + n, "item")).collect_view()}
                    </ul>
                }
                .into_any()
            }}
        }
    };
    view! {
        <div class="service-menu">
            <button type="button" id="service-menu-button" class="menu-button" data-testid="service-menu-button"
                aria-haspopup="dialog" aria-expanded=move || open.get().to_string() aria-controls="service-menu"
                on:click=move |_| if open.get_untracked() { close() } else { open.set(true) }>
                <span aria-hidden="true">"☰ "</span>{move || shell.t().menu_button}
            </button>
            <Show when=move || open.get()>
                <div class="menu-backdrop" aria-hidden="true" on:click=move |_| close()></div>
                <div id="service-menu" class="menu-panel" role="dialog" aria-label=move || shell.t().menu_label
                    data-testid="service-menu" on:keydown=keydown>
                    <div class="menu-head">
                        <label for="service-menu-search" class="small">{move || shell.t().menu_search}</label>
                        <button type="button" class="small" data-testid="service-menu-close" aria-label=move || shell.t().menu_close
                            on:click=move |_| close()>"✕"</button>
                    </div>
                    <input type="search" id="service-menu-search" data-testid="service-menu-search" node_ref=input
                        autocomplete="off" spellcheck="false" placeholder=move || shell.t().menu_placeholder
                        aria-describedby="service-menu-keys"
                        prop:value=move || query.get() on:input=move |ev| query.set(event_target_value(&ev))/>
                    <p id="service-menu-keys" class="muted small-text">{move || shell.t().menu_keys}</p>
                    <div class="menu-lists" aria-live="polite">{lists}</div>
                </div>
            </Show>
        </div>
    }
}
