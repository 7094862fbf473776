//! STS's wire edge: requests in, responses and errors out, in the members the AWS API names.

use crate::effect::Principal;
use crate::error::AwsError;
use crate::service::Account;
use crate::wire;
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

/// GetCallerIdentity's input: it has no members.
struct GetCallerIdentity;

impl GetCallerIdentity {
    fn parse(request: &Value) -> Result<GetCallerIdentity, AwsError> {
        wire::object_with(request, &[])?;
        Ok(GetCallerIdentity)
    }

    /// The caller's identity: the learner's IAM user, or the assumed-role session a service
    /// acts in (`arn:aws:sts::<account>:assumed-role/<role>/<session>`).
    fn apply(self, account: &Account, caller: &Principal) -> Value {
        let (user_id, arn) = match caller {
            Principal::Learner => (account.user_id.clone(), account.user_arn()),
            Principal::Role { arn, session } => {
                let role = arn.rsplit('/').next().unwrap_or(arn);
                (
                    format!("{}:{session}", role_id(arn)),
                    format!("arn:aws:sts::{}:assumed-role/{role}/{session}", account.id),
                )
            }
            // A service principal acts for the account as a whole.
            Principal::Service { .. } => (account.id.clone(), format!("arn:aws:iam::{}:root", account.id)),
        };
        json!({"UserId": user_id, "Account": account.id, "Arn": arn})
    }
}

/// A role's unique id (`AROA` + 17 characters), the same for the same role ARN. IAM hands
/// out role ids, but STS does not read IAM's state (services never reach into each other), so
/// one is derived from the ARN.
fn role_id(arn: &str) -> String {
    format!("AROA{}", crate::ids::derived_iam_id(arn))
}

/// Runs one STS operation as `caller`. STS holds no state of its own: it reads the account.
pub fn call(account: &Account, caller: &Principal, action: &str, request: &Value) -> Result<Value, AwsError> {
    match Operation::parse(action)? {
        Operation::GetCallerIdentity => Ok(GetCallerIdentity::parse(request)?.apply(account, caller)),
    }
}
