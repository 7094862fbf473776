//! lab-app: the serverless-lab single-page app.
//!
//! Two wasm binaries come out of this package: the UI (`src/main.rs`, this library's [`App`]) on
//! the page's main thread, and the engine (`src/bin/engine.rs`), the simulated account in a Web
//! Worker. They speak the messages in [`protocol`].
//!
//! # Layout
//!
//! - [`shell`]: the app's state (language, route, progress, notices) and its top-level view.
//! - [`account`]: the handle on the engine worker, provided as context.
//! - [`labs`]: fetching and parsing lab files; [`markdown`]: safe prose rendering.
//! - [`store`]: the browser's storage, export and import.
//! - [`route`]: hash routes. [`i18n`]: every UI string in Vietnamese and English; [`console_texts`]:
//!   the DynamoDB console's.
//! - `pages/`: one file per page. `components/`: the clock bar, timeline, API panel and the
//!   DynamoDB console (`components/dynamodb/`).

pub mod account;
mod components;
pub mod console_texts;
pub mod i18n;
pub mod labs;
pub mod markdown;
mod pages;
pub mod protocol;
pub mod route;
pub mod shell;
pub mod store;

pub use shell::App;
