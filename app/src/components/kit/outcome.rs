//! What came of an action: done, a response, an AWS error, or a problem with the form or its
//! JSON before anything was sent.

use super::{ErrorBox, JsonView};
use crate::shell::Shell;
use lab_core::AwsError;
use leptos::prelude::*;
use serde_json::Value;

#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// It worked; the console's view shows the change.
    Done,
    /// It worked, and the response is worth showing.
    Response(Value),
    /// The service answered with an error.
    Failed { service: String, error: AwsError },
    /// The form cannot make a request (a number that is not a number...), so nothing was sent.
    Form(String),
    /// The text is not JSON, so nothing was sent.
    NotJson(String),
}

impl Outcome {
    /// The outcome of a call to `service`.
    pub fn of(service: &str, result: Result<Value, AwsError>) -> Outcome {
        match result {
            Ok(_) => Outcome::Done,
            Err(error) => Outcome::Failed { service: service.to_string(), error },
        }
    }
}

/// Shows an outcome. Its pieces are named `<testid>-error` (with `-code` and `-hint`) and
/// `<testid>-response`; a form problem is `form-problem`.
#[component]
pub fn OutcomeView(#[prop(into)] outcome: Signal<Option<Outcome>>, testid: &'static str) -> impl IntoView {
    let shell = expect_context::<Shell>();
    let error_id = format!("{testid}-error");
    move || {
        outcome.get().map(|o| match o {
            Outcome::Done => ().into_any(),
            Outcome::Response(value) => view! {
                <h3 class="small">{move || shell.t().api_response}</h3>
                <JsonView value=value testid=format!("{testid}-response") ok=true/>
            }
            .into_any(),
            Outcome::Failed { service, error } => view! { <ErrorBox error=error service=service testid=error_id.clone()/> }.into_any(),
            Outcome::Form(text) => view! {
                <p class="error" role="alert" data-testid="form-problem">{move || shell.t().kit_form_problem} ": " {text.clone()}</p>
            }
            .into_any(),
            Outcome::NotJson(why) => view! {
                <div class="error" role="alert" data-testid=error_id.clone()>
                    <p>{move || shell.t().api_not_json} ": " <code>{why.clone()}</code></p>
                </div>
            }
            .into_any(),
        })
    }
}
