//! A resource's status as AWS words it (ACTIVE, CREATING...), coloured by whether it is usable,
//! changing, or neither; the word itself always says it, not only the colour.

use leptos::prelude::*;

#[component]
pub fn StatusBadge(#[prop(into)] value: String) -> impl IntoView {
    let class = match value.as_str() {
        "ACTIVE" | "ENABLED" | "SUCCEEDED" | "Active" | "Successful" => "status ok",
        "CREATING" | "UPDATING" | "DELETING" | "ENABLING" | "DISABLING" | "PENDING" | "RUNNING" | "Pending" => {
            "status busy"
        }
        "FAILED" | "Failed" | "TIMED_OUT" | "ABORTED" => "status failed",
        _ => "status",
    };
    view! { <span class=class data-testid="status">{value}</span> }
}
