//! Amazon CloudWatch Logs: log groups, log streams, log events, retention and filter patterns.
//!
//! `group.rs` is the model, `pattern/` parses and evaluates filter patterns, `api/` is the wire
//! edge (AWS JSON 1.1): each operation reads its request into a typed value, checks it against
//! the groups, then commits. Retention needs no job: it is judged at each read from the virtual
//! now (as DynamoDB Streams' 24 hours are). A Lambda function will write its logs through these
//! same calls, as its execution role: CreateLogGroup `/aws/lambda/<name>`, CreateLogStream
//! `YYYY/MM/DD/[$LATEST]<32 hex digits>`, PutLogEvents.

mod api;
pub mod group;
pub mod pattern;

pub use api::{ACTIONS, READ_ONLY};

use crate::error::AwsError;
use crate::service::{Ctx, Outcome, Service, View};
use group::LogGroup;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// Every log group of the account's region.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Logs {
    /// The groups, by name.
    pub groups: BTreeMap<String, LogGroup>,
    /// The last event number handed out; numbers only grow, across every stream.
    pub last_event: u64,
}

/// CloudWatch Logs has no work on the clock: retention is judged when events are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Job {}

impl Service for Logs {
    const SDK_IDS: &'static [&'static str] = &["logs"];
    const IAM_PREFIX: &'static str = "logs";

    /// The log group (or its stream) a request names, as IAM sees it: CreateLogStream and
    /// PutLogEvents act on `log-group:G:log-stream:S`, which the basic execution role's
    /// `log-group:G:*` covers.
    fn resources(&self, view: View, _sdk_id: &str, _action: &str, request: &Value) -> Vec<String> {
        let base = format!("arn:aws:logs:{}:{}", view.account.region, view.account.id);
        let group = request.get("logGroupName").or_else(|| request.get("logGroupIdentifier")).and_then(Value::as_str);
        let stream = request.get("logStreamName").and_then(Value::as_str);
        match (group, stream) {
            (Some(g), _) if g.starts_with("arn:") => vec![g.to_string()],
            (Some(g), Some(s)) => vec![format!("{base}:log-group:{g}:log-stream:{s}")],
            (Some(g), None) => vec![format!("{base}:log-group:{g}")],
            (None, _) => vec![format!("{base}:log-group:*")],
        }
    }
    type Job = Job;

    fn actions(_sdk_id: &str) -> &'static [&'static str] {
        ACTIONS
    }

    fn call(&mut self, ctx: &mut Ctx<Job>, _sdk_id: &str, action: &str, request: &Value) -> Outcome {
        api::call(self, ctx.now_ms, ctx.account, action, request).into()
    }

    fn read_only_actions(_sdk_id: &str) -> &'static [&'static str] {
        READ_ONLY
    }

    fn read(&self, view: View, _sdk_id: &str, action: &str, request: &Value) -> Option<Result<Value, AwsError>> {
        READ_ONLY.contains(&action).then(|| api::read(self, view.now_ms, action, request))
    }

    fn run_job(&mut self, _ctx: &mut Ctx<Job>, job: Job) {
        match job {}
    }
}
