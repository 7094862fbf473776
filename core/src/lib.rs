//! lab-core: a simulated AWS account, and the engine that runs labs against it.
//!
//! Pure Rust: no IO, no wall clock, no threads. The browser (in a Web Worker), the `lab` CLI
//! and the tests all drive the same code.
//!
//! # Layout
//!
//! - [`world`]: the whole account as one value. `World::call(service, action, request)` is the
//!   one wire-level entry point; `World::advance(seconds)` moves virtual time.
//! - [`clock`], [`scheduler`], [`ids`]: virtual time, jobs due on it, seeded ids.
//! - [`observed`]: the log of every call and clock move, for the timeline and the checks.
//! - [`effect`]: what one service asks of another; only `world.rs` routes effects.
//! - [`error`]: `AwsError`, AWS's error code, message and status.
//! - [`wire`]: helpers for reading requests at a service's edge.
//! - [`sts`]: the first service: `GetCallerIdentity`.
//! - [`lab`]: lab files, checks, reference solutions, progress and saves.
//! - [`examples`]: ready-to-send example requests for the API panel.
//!
//! # Example
//!
//! ```
//! use lab_core::World;
//! use serde_json::json;
//!
//! let mut world = World::default();
//! let me = world.call("sts", "GetCallerIdentity", &json!({})).unwrap();
//! assert_eq!(me["Account"], "123456789012");
//!
//! let err = world.call("sts", "GetCallerIdentityy", &json!({})).unwrap_err();
//! assert_eq!(err.code, "InvalidAction");
//!
//! world.advance(3600).unwrap();
//! assert_eq!(world.clock().elapsed_ms(), 3_600_000);
//! assert_eq!(world.observed().total(), 3); // two calls and one clock move
//! ```

pub mod clock;
pub mod console;
pub mod dynamodb;
pub mod effect;
pub mod error;
pub mod examples;
pub mod ids;
pub mod lab;
pub mod observed;
pub mod scheduler;
pub mod sts;
pub mod wire;
pub mod world;

pub use error::AwsError;
pub use world::{World, WorldConfig};
