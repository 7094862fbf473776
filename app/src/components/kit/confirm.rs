//! A button that asks first: the question opens in the page (an alert dialog, not the browser's
//! `confirm()`), focus goes to Cancel, the safe choice, and Escape cancels.

use crate::shell::Shell;
use leptos::prelude::*;

/// `testid` names the button; the dialog's buttons are `<testid>-confirm` and `<testid>-cancel`.
#[component]
pub fn ConfirmButton(
    #[prop(into)] label: Signal<&'static str>,
    #[prop(into)] question: Signal<&'static str>,
    testid: &'static str,
    on_confirm: Callback<()>,
) -> impl IntoView {
    let shell = expect_context::<Shell>();
    let open = RwSignal::new(false);
    let cancel_ref = NodeRef::<leptos::html::Button>::new();
    let opener_ref = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(cancel) = cancel_ref.get() {
            let _ = cancel.focus();
        }
    });
    let close = move || {
        open.set(false);
        if let Some(opener) = opener_ref.get_untracked() {
            let _ = opener.focus();
        }
    };
    let question_id = format!("{testid}-question");
    view! {
        <button type="button" class="danger" data-testid=testid node_ref=opener_ref aria-haspopup="dialog"
            aria-expanded=move || open.get().to_string() on:click=move |_| open.set(true)>{label}</button>
        <Show when=move || open.get()>
            <div class="confirm" role="alertdialog" aria-labelledby=question_id.clone() data-testid=format!("{testid}-dialog")
                on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Escape" { close() }>
                <p id=question_id.clone()>{question}</p>
                <div class="row">
                    <button type="button" class="danger" data-testid=format!("{testid}-confirm")
                        on:click=move |_| { open.set(false); on_confirm.run(()) }>{move || shell.t().kit_confirm}</button>
                    <button type="button" data-testid=format!("{testid}-cancel") node_ref=cancel_ref
                        on:click=move |_| close()>{move || shell.t().kit_cancel}</button>
                </div>
            </div>
        </Show>
    }
}
