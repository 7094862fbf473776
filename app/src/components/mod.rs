//! Pieces shared by the lab page and the sandbox: the console kit every console is built from,
//! the consoles, the service menu, the clock bar, the timeline and the API panel.

pub mod api_panel;
pub mod clock_bar;
pub mod dynamodb;
pub mod kit;
pub mod service_menu;
pub mod timeline;

use crate::account::Account;
use crate::protocol::WorldView;
use leptos::prelude::*;

/// The account's latest view, if it is the account `key` (a view of another account, still in
/// flight after a page change, is not shown).
pub fn view_of(account: Account, key: &str) -> Option<WorldView> {
    account.view.get().filter(|view| view.key == key)
}

/// `HH:MM:SS` of an instant, in UTC shifted by `offset_hours`.
pub fn clock_time(ms: u64, offset_hours: u64) -> String {
    let iso = lab_core::clock::iso8601(ms + offset_hours * 3_600_000);
    iso[11..19].to_string()
}

/// `YYYY-MM-DD` of an instant, in UTC shifted by `offset_hours`.
pub fn clock_date(ms: u64, offset_hours: u64) -> String {
    let iso = lab_core::clock::iso8601(ms + offset_hours * 3_600_000);
    iso[..10].to_string()
}
