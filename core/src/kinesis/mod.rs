//! Amazon Kinesis Data Streams: streams (provisioned or on-demand), shards with MD5 hash-key
//! ranges, PutRecord(s), the five shard iterator types, GetRecords, retention and resharding.
//!
//! `stream.rs` is the model; `api.rs` the wire edge. A new stream is CREATING and becomes ACTIVE
//! on the virtual clock, as do UpdateShardCount (UPDATING) and DeleteStream (DELETING): each is a
//! [`Job`] that finds the stream it was scheduled for by its creation instant.

mod api;
pub mod stream;

pub use api::{ACTIONS, READ_ONLY};

use crate::clock::Millis;
use crate::error::AwsError;
use crate::service::{Outcome, Service, View};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use stream::Stream;

/// How long a stream stays CREATING, UPDATING or DELETING, in virtual time.
pub const TRANSITION_MS: Millis = 5_000;

/// Every stream of the account's region, by name.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Kinesis {
    pub streams: BTreeMap<String, Stream>,
}

/// What Kinesis's operations and jobs may use of the world.
pub(crate) type Ctx<'a> = crate::service::Ctx<'a, Job>;

/// Kinesis's work on the virtual clock. `created_ms` tells the stream apart from a later one of
/// the same name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Job {
    /// A CREATING stream becomes ACTIVE.
    Active { stream: String, created_ms: Millis },
    /// An UPDATING stream reshards to its target shard count and becomes ACTIVE.
    Resharded { stream: String, created_ms: Millis },
    /// A DELETING stream is gone.
    Deleted { stream: String, created_ms: Millis },
}

impl Service for Kinesis {
    const SDK_IDS: &'static [&'static str] = &["kinesis"];
    const IAM_PREFIX: &'static str = "kinesis";

    /// The stream a request names (by ARN or name), as its ARN; `*` for ListStreams.
    fn resources(&self, view: View, _sdk_id: &str, _action: &str, request: &Value) -> Vec<String> {
        if let Some(arn) = request.get("StreamARN").and_then(Value::as_str) {
            return vec![arn.to_string()];
        }
        if let Some(arn) = request.get("ShardIterator").and_then(Value::as_str).and_then(api::iterator_stream) {
            return vec![arn]; // GetRecords names its stream through the iterator
        }
        match request.get("StreamName").and_then(Value::as_str) {
            Some(name) => vec![format!("arn:aws:kinesis:{}:{}:stream/{name}", view.account.region, view.account.id)],
            None => vec!["*".to_string()],
        }
    }
    type Job = Job;

    fn actions(_sdk_id: &str) -> &'static [&'static str] {
        ACTIONS
    }

    fn call(&mut self, ctx: &mut Ctx, _sdk_id: &str, action: &str, request: &Value) -> Outcome {
        api::call(self, ctx, action, request).into()
    }

    fn read_only_actions(_sdk_id: &str) -> &'static [&'static str] {
        READ_ONLY
    }

    fn read(&self, view: View, _sdk_id: &str, action: &str, request: &Value) -> Option<Result<Value, AwsError>> {
        READ_ONLY.contains(&action).then(|| api::read(self, view, action, request))
    }

    fn run_job(&mut self, ctx: &mut Ctx, job: Job) {
        let now = ctx.now_ms;
        let (Job::Active { stream, created_ms }
        | Job::Resharded { stream, created_ms }
        | Job::Deleted { stream, created_ms }) = &job;
        let Some(s) = self.streams.get_mut(stream).filter(|s| s.created_ms == *created_ms) else { return };
        match job {
            Job::Active { .. } => s.status = "ACTIVE".into(),
            Job::Resharded { .. } => {
                if let Some(target) = s.target_shards.take() {
                    api::reshard(s, target, now);
                }
                s.status = "ACTIVE".into();
            }
            Job::Deleted { stream, .. } => {
                self.streams.remove(&stream);
            }
        }
    }
}
