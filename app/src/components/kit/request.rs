//! A request as the console shows it, before sending (what it will send) or after (what it sent):
//! the action and its JSON, as `aws ... --cli-input-json` would take it.

use super::pretty;
use leptos::prelude::*;
use serde_json::Value;

/// `PutItem` and its request, as the "request sent" box shows them.
pub fn sent_text(action: &str, request: &Value) -> String {
    format!("{action}\n{}", pretty(request))
}

/// A folded box with the request text; `testid` names the text.
#[component]
pub fn RequestView(
    #[prop(into)] label: Signal<&'static str>,
    #[prop(into)] text: Signal<String>,
    testid: &'static str,
) -> impl IntoView {
    view! {
        <details class="request">
            <summary>{label}</summary>
            <pre class="json" data-testid=testid><code>{text}</code></pre>
        </details>
    }
}
