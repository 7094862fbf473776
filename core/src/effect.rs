//! What one service asks of another.
//!
//! Services never import each other: an operation returns its response plus effects, and only
//! `world.rs` routes them (a DynamoDB write's stream record to the stream, an event source
//! mapping's batch to Lambda, a failed batch to its dead-letter queue...). The enum is closed:
//! a new kind of cross-service interaction is a new variant, visible to every `match`.
//!
//! No service in the simulator has a cross-service interaction yet; the first ones come with
//! DynamoDB Streams. Jobs are each service's own work on the virtual clock (a table becoming
//! ACTIVE), scheduled by the world on the service's behalf.

use serde::{Deserialize, Serialize};

/// A request from one service to another, routed by the world.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Effect {}

/// Work due at an instant of virtual time, run by the world's scheduler.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Job {
    DynamoDb(crate::dynamodb::Job),
}
