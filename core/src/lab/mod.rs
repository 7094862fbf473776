//! The lab engine: labs as data, their checks, the learner's progress.
//!
//! The pipeline reads in file order: `load.rs` turns lab.toml text into a [`Lab`] (or located
//! errors), `check.rs` evaluates its checks against a [`World`](crate::World) (`serverless.rs`
//! the ones over Lambda invocations, CloudWatch Logs events and IAM's judgement), `verify.rs`
//! replays reference solutions, and `progress.rs` keeps what the browser saves.

pub mod check;
pub mod load;
pub mod model;
pub mod progress;
mod serverless;
pub mod verify;

pub use check::{evaluate_lab, next_hint, StepStatus, Verdict};
pub use load::{parse_catalog, parse_lab, LabDraft, LabError};
pub use model::*;
pub use progress::{Progress, SaveError, SaveFile};
pub use verify::{apply, new_lab_world, verify_lab, StepReport};
