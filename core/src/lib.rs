//! lab-core: a simulated AWS account, and the engine that runs labs against it.
//!
//! Pure Rust: no IO, no wall clock, no threads. The browser (in a Web Worker), the `lab` CLI
//! and the tests all drive the same code.
//!
//! # Layout
//!
//! - [`world`]: the whole account as one value, and the registry of services. `World::call(service,
//!   action, request)` is the one wire-level entry point; `World::advance(seconds)` moves virtual time.
//! - [`service`]: the `Service` trait every service implements, and `Ctx`, what an operation may use
//!   of the world.
//! - [`effect`]: the one path between services: a call the world makes on a service's behalf, as a
//!   principal, with its cause.
//! - [`clock`], [`scheduler`], [`ids`]: virtual time, jobs due on it, seeded ids.
//! - [`observed`]: the log of every call and clock move, for the timeline and the checks.
//! - [`error`]: `AwsError`, AWS's error code, message and status.
//! - [`wire`]: request readers shared by every service's edge.
//! - [`policy`]: IAM policy documents, parsed with IAM's checks and evaluated; any service may use it.
//! - The services: [`sts`] (`GetCallerIdentity`), [`dynamodb`] (tables, items, expressions,
//!   indexes, transactions, capacity, TTL, DynamoDB Streams), [`iam`] (roles, inline and managed
//!   policies, the AWS managed policies, the policy simulator, and the judgement of a role's call),
//!   [`lambda`] (functions and Invoke, handlers run by a Node.js runtime in the sandbox), [`secretsmanager`] (secrets,
//!   versions and staging labels, deletion windows), [`logs`] (CloudWatch Logs: groups, streams,
//!   events, retention, filter patterns), [`sqs`] (standard and FIFO queues, visibility, delays, redrive to
//!   dead-letter queues, message attributes and their MD5 digests), [`kinesis`] (Kinesis Data Streams: shards,
//!   records, iterators, retention, resharding).
//! - [`lab`]: lab files, checks, reference solutions, progress and saves.
//! - [`console`]: what the consoles show (read models), the requests their forms send, and hints.
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
pub mod iam;
pub mod ids;
pub mod kinesis;
pub mod lab;
pub mod lambda;
pub mod logs;
pub mod observed;
pub mod pattern;
pub mod policy;
pub mod scheduler;
pub mod secretsmanager;
pub mod service;
pub mod sqs;
pub mod sts;
pub mod wire;
pub mod world;

pub use error::AwsError;
pub use world::{World, WorldConfig};
