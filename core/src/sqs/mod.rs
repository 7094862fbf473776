//! Amazon SQS: standard and FIFO queues, their messages, visibility timeouts, delays, redrive to a
//! dead-letter queue, and tags, over the JSON protocol the current SDKs use.
//!
//! `queue.rs` is the model (a queue's attributes and messages, what a receive hands out, the MD5
//! digests); `api.rs` is the wire edge. Errors carry the codes the SDKs and the AWS CLI report
//! for SQS (its JSON protocol is query-compatible: `AWS.SimpleQueueService.NonExistentQueue`,
//! `InvalidParameterValue`, `ReceiptHandleIsInvalid`...). A message's state follows from its
//! instants and the virtual now, so SQS has no jobs of its own; polling never moves the clock
//! (see docs/differences.md).

mod api;
pub mod queue;

pub use api::{ACTIONS, READ_ONLY};

use crate::error::AwsError;
use crate::service::{Outcome, Service, View};
use queue::Queue;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// Every queue of the account's region, by name, and the names deleted in the last minute.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Sqs {
    pub queues: BTreeMap<String, Queue>,
    /// Queue names deleted, with when: a name cannot be used again for 60 seconds.
    #[serde(default)]
    pub deleted: BTreeMap<String, u64>,
    /// How many queues have been made: each queue's place in ListQueues' order.
    #[serde(default)]
    pub made: u64,
}

/// What SQS's operations may use of the world.
pub(crate) type Ctx<'a> = crate::service::Ctx<'a, Job>;

/// SQS has no work of its own on the clock: visibility, delays and retention are instants a
/// message carries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Job {}

impl Service for Sqs {
    const SDK_IDS: &'static [&'static str] = &["sqs"];
    const IAM_PREFIX: &'static str = "sqs";
    /// The query-protocol code the SDKs report (the JSON body's type is AccessDeniedException).
    const ACCESS_DENIED: &'static str = "AccessDenied";

    /// A batch operation is governed by the permission of its single form.
    fn iam_action(action: &str) -> &str {
        match action {
            "SendMessageBatch" => "SendMessage",
            "DeleteMessageBatch" => "DeleteMessage",
            "ChangeMessageVisibilityBatch" => "ChangeMessageVisibility",
            other => other,
        }
    }

    fn denied_action(iam_action: &str) -> String {
        iam_action.to_ascii_lowercase()
    }

    /// The queue a request names by its URL (or a new queue's name), as an ARN; `*` for ListQueues.
    fn resources(&self, view: View, _sdk_id: &str, _action: &str, request: &Value) -> Vec<String> {
        let arn = |name: &str| format!("arn:aws:sqs:{}:{}:{name}", view.account.region, view.account.id);
        if let Some(url) = request.get("QueueUrl").and_then(Value::as_str) {
            return vec![arn(url.rsplit('/').next().unwrap_or(url))];
        }
        match request.get("QueueName").and_then(Value::as_str) {
            Some(name) => vec![arn(name)],
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

    fn run_job(&mut self, _ctx: &mut Ctx, job: Job) {
        match job {}
    }
}
