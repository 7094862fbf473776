//! JSON as the consoles show it: pretty, monospaced, wrapping inside its box.

use leptos::prelude::*;
use serde_json::Value;

/// Pretty JSON text.
pub fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

/// A JSON value, or JSON text already written (`text`, e.g. plain JSON with exact numbers).
#[component]
pub fn JsonView(
    #[prop(optional)] value: Option<Value>,
    #[prop(optional, into)] text: Option<String>,
    #[prop(optional, into)] testid: Option<String>,
    /// A successful response (green edge).
    #[prop(optional)]
    ok: bool,
) -> impl IntoView {
    let text = text.unwrap_or_else(|| value.as_ref().map(pretty).unwrap_or_default());
    view! { <pre class="json" class:ok=ok data-testid=testid><code>{text}</code></pre> }
}
