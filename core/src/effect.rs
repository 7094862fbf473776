//! What one service asks of another: a call the world makes on its behalf.
//!
//! Services never import each other. When a service's work has to reach another service (a
//! table's change to a Kinesis stream, a mapping's batch to a function, a rule's event to its
//! target), it asks the world for a [`Call`]: the service, action and request, and the
//! [`Principal`] it acts as. The world runs the call like any other, as that principal, and
//! records it in the Observed log with the request id of the call (or job) that caused it, so the
//! timeline can follow a change from hop to hop and IAM can judge every hop.
//!
//! A call asked for with `Ctx::call` runs once the operation that asked for it is done
//! ([`Effect::Call`]); a call the operation must wait for is an `Outcome::Await` (see
//! `service.rs`).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Who makes a call.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Principal {
    /// The learner's IAM user: the console, the API panel, the CLI, a lab's setup or solution.
    #[default]
    Learner,
    /// An AWS service acting for the account, named as AWS names service principals
    /// (`dynamodb.amazonaws.com`).
    Service { name: String },
    /// A session of an IAM role: a Lambda function's execution role, a state machine's role.
    Role { arn: String, session: String },
}

impl Principal {
    /// The service principal `name` (`dynamodb.amazonaws.com`).
    pub fn service(name: &str) -> Principal {
        Principal::Service { name: name.to_string() }
    }

    /// How the timeline names the caller.
    pub fn label(&self) -> String {
        match self {
            Principal::Learner => "you".to_string(),
            Principal::Service { name } => name.clone(),
            Principal::Role { arn, session } => format!("{arn}/{session}"),
        }
    }
}

/// One API call for the world to make on a service's behalf.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Call {
    /// Who the call is made as; IAM judges the call as this principal.
    pub principal: Principal,
    /// The SDK id of the service called, in lower case (`kinesis`).
    pub service: String,
    /// The operation (`PutRecord`).
    pub action: String,
    /// The operation's input, with AWS's member names.
    pub request: Value,
    /// The request id of the call this one follows from. `None` lets the world fill it in with
    /// the call (or job) that asked for this one; a job that carries its cause (a retry, a
    /// mapping's poll) sets it to the original request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
}

impl Call {
    pub fn new(principal: Principal, service: &str, action: &str, request: Value) -> Call {
        Call { principal, service: service.to_string(), action: action.to_string(), request, cause: None }
    }
}

/// What an operation leaves for the world to do once it is done.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Effect {
    /// Make this call, caused by the operation that asked for it.
    Call(Call),
    /// New data can be read at `source` (a stream's or a queue's ARN) from the virtual instant
    /// `at` on: a record was appended, a message sent, or a received message becomes visible
    /// again when its visibility timeout ends. The world tells every service
    /// (`Service::source_changed`), so a reader that polls on its own (an event source mapping)
    /// can wake up then; nothing is called, nothing is recorded.
    Changed { source: String, at: crate::clock::Millis },
}
