//! The API request panel: any operation of any simulated service, as JSON, the way
//! `aws ... --cli-input-json` takes it. Its response, error (with the hint for the service that
//! answered) and JSON problems are shown by the console kit, as every console shows them.

use super::kit::{Outcome, OutcomeView};
use crate::account::Account;
use crate::shell::Shell;
use lab_core::examples::examples;
use lab_core::lab::Lang;
use lab_core::world::{actions, SERVICES};
use leptos::prelude::*;
use serde_json::Value;

#[component]
pub fn ApiPanel(service: String) -> impl IntoView {
    let shell = expect_context::<Shell>();
    let account = expect_context::<Account>();
    let first_action = actions(&service).first().copied().unwrap_or_default().to_string();
    let service = RwSignal::new(service);
    let action = RwSignal::new(first_action);
    let request = RwSignal::new(String::from("{}"));
    let sending = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Outcome>);
    let example_choice = RwSignal::new(String::new());
    let pick_example = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        example_choice.set(value.clone());
        let Ok(i) = value.parse::<usize>() else { return };
        if let Some(example) = examples(&service.get_untracked()).get(i) {
            action.set(example.action.to_string());
            request.set(example.request.to_string());
            outcome.set(None);
        }
    };
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let parsed: Result<Value, _> = serde_json::from_str(&request.get_untracked());
        let request = match parsed {
            Ok(request) => request,
            Err(err) => return outcome.set(Some(Outcome::NotJson(err.to_string()))),
        };
        sending.set(true);
        let to = service.get_untracked();
        let answered = to.clone();
        account.call(&to, action.get_untracked().trim(), request, move |result| {
            sending.set(false);
            outcome.set(Some(match result {
                Ok(response) => Outcome::Response(response),
                Err(error) => Outcome::Failed { service: answered, error },
            }));
        });
    };
    view! {
        <section class="api" aria-labelledby="api-heading" data-testid="api-panel">
            <h2 id="api-heading">{move || shell.t().api_heading}</h2>
            <p class="muted">{move || shell.t().api_intro}</p>
            <form on:submit=send>
                <div class="row">
                    <label>
                        <span>{move || shell.t().api_service}</span>
                        <select data-testid="api-service" on:change=move |ev| {
                                service.set(event_target_value(&ev));
                                example_choice.set(String::new());
                            }
                            prop:value=move || service.get()>
                            {SERVICES.iter().map(|s| view! { <option value=*s>{*s}</option> }).collect_view()}
                        </select>
                    </label>
                    <label>
                        <span>{move || shell.t().api_example}</span>
                        <select data-testid="api-example" on:change=pick_example prop:value=move || example_choice.get()>
                            <option value="">{move || shell.t().api_example_none}</option>
                            {move || {
                                let lang = shell.lang.get();
                                examples(&service.get())
                                    .iter()
                                    .enumerate()
                                    .map(|(i, e)| {
                                        let label = if lang == Lang::Vi { e.label_vi } else { e.label };
                                        view! { <option value=i.to_string()>{label}</option> }
                                    })
                                    .collect_view()
                            }}
                        </select>
                    </label>
                    <label>
                        <span>{move || shell.t().api_action}</span>
                        <input type="text" list="api-actions" autocomplete="off" spellcheck="false" data-testid="api-action"
                            prop:value=move || action.get() on:input=move |ev| action.set(event_target_value(&ev))/>
                        <datalist id="api-actions">
                            {move || actions(&service.get()).iter().map(|a| view! { <option value=*a></option> }).collect_view()}
                        </datalist>
                    </label>
                </div>
                <label class="block">
                    <span>{move || shell.t().api_request}</span>
                    <textarea rows="10" spellcheck="false" data-testid="api-request"
                        prop:value=move || request.get() on:input=move |ev| request.set(event_target_value(&ev))></textarea>
                </label>
                <button type="submit" class="primary" data-testid="api-send" disabled=move || sending.get()>
                    {move || if sending.get() { shell.t().api_sending } else { shell.t().api_send }}
                </button>
            </form>
            <div class="result" aria-live="polite" data-testid="api-result">
                <OutcomeView outcome=outcome testid="api"/>
            </div>
        </section>
    }
}
