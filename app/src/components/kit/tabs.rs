//! A tab bar as WAI-ARIA's tabs pattern has it: one tab in the tab order, arrow keys, Home and End
//! move between tabs (and select them). The panel is the caller's, `id="tab-panel"`, labelled by
//! `tab-<id>` of the selected tab.

use super::focus_id;
use leptos::prelude::*;

#[component]
pub fn TabBar(
    /// Each tab's id (its testid is `tab-<id>`) and label.
    tabs: Vec<(&'static str, Signal<&'static str>)>,
    selected: RwSignal<&'static str>,
    #[prop(into)] label: Signal<String>,
) -> impl IntoView {
    let ids: Vec<&'static str> = tabs.iter().map(|(id, _)| *id).collect();
    let keydown = move |ev: leptos::ev::KeyboardEvent| {
        let Some(at) = ids.iter().position(|id| *id == selected.get_untracked()) else { return };
        let to = match ev.key().as_str() {
            "ArrowRight" => (at + 1) % ids.len(),
            "ArrowLeft" => (at + ids.len() - 1) % ids.len(),
            "Home" => 0,
            "End" => ids.len() - 1,
            _ => return,
        };
        ev.prevent_default();
        selected.set(ids[to]);
        focus_id(&format!("tab-{}", ids[to]));
    };
    view! {
        <div class="tabs" role="tablist" aria-label=label on:keydown=keydown>
            {tabs.into_iter().map(|(id, text)| {
                let active = move || selected.get() == id;
                view! {
                    <button type="button" role="tab" id=format!("tab-{id}") data-testid=format!("tab-{id}")
                        aria-selected=move || active().to_string() aria-controls="tab-panel"
                        tabindex=move || if active() { "0" } else { "-1" }
                        on:click=move |_| selected.set(id)>{text}</button>
                }
            }).collect_view()}
        </div>
    }
}
