//! The console kit: the pieces every console (and the API panel) is made of, in one place, so
//! each new console is born with the same errors, outcomes, requests, badges, tabs, grids, JSON
//! and confirmations.
//!
//! The kit depends only on the shell (for the language and its texts in `i18n.rs`); it knows no
//! service. What a piece shows is given to it: an error and the service that answered it, a
//! request as sent, a status as DescribeTable words it.

mod confirm;
mod error_box;
mod grid;
mod json_view;
mod outcome;
mod request;
mod status;
mod tabs;

pub use confirm::ConfirmButton;
pub use error_box::ErrorBox;
pub use grid::{Grid, Pager};
pub use json_view::{pretty, JsonView};
pub use outcome::{Outcome, OutcomeView};
pub use request::{sent_text, RequestView};
pub use status::StatusBadge;
pub use tabs::TabBar;

use wasm_bindgen::JsCast;

/// Moves the keyboard focus to the element with `id`, if there is one.
pub fn focus_id(id: &str) {
    let element = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id));
    if let Some(element) = element.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = element.focus();
    }
}
