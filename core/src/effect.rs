//! What one service asks of another.
//!
//! Services never import each other: an operation returns its response plus effects, and only
//! `world.rs` routes them (a DynamoDB write's stream record to the stream, an event source
//! mapping's batch to Lambda, a failed batch to its dead-letter queue...). The enum is closed:
//! a new kind of cross-service interaction is a new variant, visible to every `match`.
//!
//! The first effect is DynamoDB's Kinesis streaming destination; until the simulator has
//! Kinesis, the world records such effects as undelivered in the Observed log. Jobs are each service's own work on the virtual clock (a table becoming
//! ACTIVE), scheduled by the world on the service's behalf.

use serde::{Deserialize, Serialize};

/// A request from one service to another, routed by the world.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Effect {
    /// DynamoDB's Kinesis streaming destination: one item change, to put on a Kinesis data stream.
    KinesisRecord {
        /// The destination stream.
        stream_arn: String,
        /// The Kinesis partition key (derived from the item's key).
        partition_key: String,
        /// The record's data: the change as DynamoDB writes it (`eventName`, `dynamodb.Keys`...).
        data: serde_json::Value,
    },
}

/// Work due at an instant of virtual time, run by the world's scheduler.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Job {
    DynamoDb(crate::dynamodb::Job),
}
