//! The sandbox: an account of its own, with no steps and no checks.

use crate::account::Account;
use crate::components::{api_panel::ApiPanel, clock_bar::ClockBar, dynamodb::DynamoDbConsole, timeline::Timeline};
use crate::shell::Shell;
use leptos::prelude::*;

const KEY: &str = "sandbox";

#[component]
pub fn SandboxPage(service: String) -> impl IntoView {
    let shell = expect_context::<Shell>();
    let account = expect_context::<Account>();
    Effect::new(move |_| {
        shell.generation.track();
        account.open(KEY, Vec::new(), Vec::new());
    });
    view! {
        <div class="workspace">
            <div class="main-column">
                <section class="page">
                    <h1>{move || shell.t().sandbox_title} <span class="badge">{move || shell.t().simulated_badge}</span></h1>
                    <p class="lead">{move || shell.t().sandbox_intro}</p>
                    <p class="muted small-text">
                        {move || shell.t().simulated_note} " "
                        <a href="#/about/differences" data-testid="differences-link">{move || shell.t().differences_link}</a>
                    </p>
                </section>
                <ClockBar key=KEY.to_string()/>
                {(service == "dynamodb").then(|| view! { <DynamoDbConsole key=KEY.to_string()/> })}
                <ApiPanel service=service.clone()/>
            </div>
            <aside class="side-column">
                <Timeline key=KEY.to_string()/>
            </aside>
        </div>
    }
}
