//! The sandbox: an account of its own, with no steps and no checks, showing one service: its
//! console when it has one, and the API panel. The service menu reaches every service's page.

use crate::account::Account;
use crate::components::{api_panel::ApiPanel, clock_bar::ClockBar, dynamodb::DynamoDbConsole, timeline::Timeline};
use crate::shell::Shell;
use lab_core::console::menu;
use lab_core::lab::Lang;
use leptos::prelude::*;

const KEY: &str = "sandbox";

#[component]
pub fn SandboxPage(service: String) -> impl IntoView {
    let shell = expect_context::<Shell>();
    let account = expect_context::<Account>();
    let entry = menu::entry(&service);
    let services = vec![service.clone()];
    Effect::new(move |_| {
        shell.generation.track();
        account.open(KEY, Vec::new(), Vec::new(), services.clone());
    });
    view! {
        <div class="workspace">
            <div class="main-column">
                <section class="page">
                    <h1>{move || shell.t().sandbox_title} {entry.map(|e| view! { " · " <span data-testid="sandbox-service">{e.name}</span> })}
                        " " <span class="badge">{move || shell.t().simulated_badge}</span></h1>
                    <p class="lead">{move || shell.t().sandbox_intro}
                        {entry.map(|e| view! { " " <span>{move || if shell.lang.get() == Lang::Vi { e.vi } else { e.en }} "."</span> })}</p>
                    <p class="muted small-text">
                        {move || shell.t().simulated_note} " "
                        <a href="#/about/differences" data-testid="differences-link">{move || shell.t().differences_link}</a>
                    </p>
                </section>
                <ClockBar key=KEY.to_string()/>
                {(service == "dynamodb").then(|| view! { <DynamoDbConsole/> })}
                <ApiPanel service=service.clone()/>
            </div>
            <aside class="side-column">
                <Timeline key=KEY.to_string()/>
            </aside>
        </div>
    }
}
