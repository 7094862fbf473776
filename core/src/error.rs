//! The one wire-facing error shape.
//!
//! Every front end (app, CLI, tests) sees a failed request as an [`AwsError`]: the error code AWS
//! itself answers with (`ValidationException`, `ConditionalCheckFailedException`, ...), AWS's
//! message for it, and the HTTP status the real endpoint would use.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A failed request, as AWS reports it on the wire.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AwsError {
    /// AWS's error code, e.g. `ResourceNotFoundException`. The CLI prints it as `type`.
    pub code: String,
    /// AWS's message, word for word where AWS documents or is known to send one.
    pub message: String,
    /// The HTTP status the real service answers with (400 for client errors, 500 for service faults).
    pub status: u16,
    /// Further members of the error body some errors carry (`Item` of a
    /// ConditionalCheckFailedException with ReturnValuesOnConditionCheckFailure, say).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<serde_json::Map<String, serde_json::Value>>,
}

impl AwsError {
    /// A client error (HTTP 400), the status of nearly every error a learner meets.
    pub fn client(code: impl Into<String>, message: impl Into<String>) -> AwsError {
        AwsError { code: code.into(), message: message.into(), status: 400, details: None }
    }

    /// A service fault (HTTP 500): the service, not the request, is at fault.
    pub fn server(code: impl Into<String>, message: impl Into<String>) -> AwsError {
        AwsError { code: code.into(), message: message.into(), status: 500, details: None }
    }

    /// The error an SDK or the AWS CLI raises before sending a request whose shape is wrong.
    ///
    /// The request never reaches AWS, so there is no AWS error code; `ParamValidation` is the
    /// name botocore gives this class of error and its message follows botocore's wording.
    pub fn param_validation(detail: impl fmt::Display) -> AwsError {
        AwsError::client("ParamValidation", format!("Parameter validation failed:\n{detail}"))
    }
}

impl AwsError {
    /// The same error with another HTTP status (404 for Lambda's ResourceNotFoundException...).
    pub fn with_status(mut self, status: u16) -> AwsError {
        self.status = status;
        self
    }

    /// The same error with one more member in its body.
    pub fn with_detail(mut self, member: &str, value: serde_json::Value) -> AwsError {
        self.details.get_or_insert_with(Default::default).insert(member.to_string(), value);
        self
    }
}

impl fmt::Display for AwsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for AwsError {}
