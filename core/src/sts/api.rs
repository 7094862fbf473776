//! STS's wire edge: requests in, responses and errors out, in the members the AWS API names.

use crate::error::AwsError;
use crate::wire;
use crate::world::Account;
use serde_json::{json, Value};

/// The operations this simulator implements, in the API reference's order.
enum Operation {
    GetCallerIdentity,
}

impl Operation {
    fn parse(action: &str) -> Result<Operation, AwsError> {
        match action {
            "GetCallerIdentity" => Ok(Operation::GetCallerIdentity),
            // STS speaks the Query protocol, whose answer to an unknown action is `InvalidAction`.
            _ => Err(AwsError::client(
                "InvalidAction",
                format!("Could not find operation {action} for version {}", super::API_VERSION),
            )),
        }
    }
}

/// Runs one STS operation. STS holds no state of its own: it reads the account.
pub fn call(account: &Account, action: &str, request: &Value) -> Result<Value, AwsError> {
    match Operation::parse(action)? {
        Operation::GetCallerIdentity => {
            wire::object_with(request, &[])?;
            Ok(json!({
                "UserId": account.user_id,
                "Account": account.id,
                "Arn": account.user_arn(),
            }))
        }
    }
}
