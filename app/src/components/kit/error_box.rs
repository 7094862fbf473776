//! An AWS error as AWS shows it, code and message, with a hint under it when there is one for the
//! service that answered (hints are keyed by service and code).

use crate::shell::Shell;
use lab_core::console::hints::error_hint;
use lab_core::AwsError;
use leptos::prelude::*;

/// `testid` names the box; its code and hint are `<testid>-code` and `<testid>-hint`.
#[component]
pub fn ErrorBox(error: AwsError, service: String, #[prop(into)] testid: String) -> impl IntoView {
    let shell = expect_context::<Shell>();
    let (code, message) = (error.code.clone(), error.message.clone());
    let hint = move || error_hint(&service, &code, &message, shell.lang.get());
    let hint_id = format!("{testid}-hint");
    view! {
        <div class="error" role="alert" data-testid=testid.clone()>
            <p><code class="code" data-testid=format!("{testid}-code")>{error.code.clone()}</code></p>
            <p class="message">{error.message.clone()}</p>
            {move || hint().map(|h| view! {
                <div class="hint" data-testid=hint_id.clone()>
                    <strong>{move || shell.t().kit_hint}</strong>
                    <div inner_html=crate::markdown::render(h)></div>
                </div>
            })}
        </div>
    }
}
