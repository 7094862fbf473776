//! A function's resource-based policy: AddPermission, RemovePermission, GetPolicy, and
//! [`invoke_allowed`], which judges a service or account invoking the function by it.
//!
//! Each qualifier (the unqualified function, a version, an alias) has its own policy, as on AWS.
//! Statements are kept as the JSON Lambda answers in GetPolicy; they are read back with
//! [`crate::policy`] (the resource-policy flavour) when a call is judged.

use super::api::{error, function_arn, not_found, validation, FunctionRef};
use super::versions::qualified;
use super::{Function, Lambda};
use crate::error::AwsError;
use crate::ids::Ids;
use crate::policy::{self, Caller, Context, Decision, Flavour, Request};
use crate::wire::{object_with, required, string};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

/// The largest resource policy Lambda keeps, in bytes of its JSON.
pub const MAX_POLICY_BYTES: usize = 20_480;

/// One qualifier's policy.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Policy {
    /// The statements, as GetPolicy shows them.
    pub statements: Vec<Value>,
    pub revision_id: String,
}

impl Policy {
    /// The document GetPolicy answers, as JSON text.
    pub fn document(&self) -> String {
        json!({ "Version": "2012-10-17", "Id": "default", "Statement": self.statements }).to_string()
    }
}

const STATEMENT_ID_PATTERN: &str = r"([a-zA-Z0-9-_.]+)";
const ACTION_PATTERN: &str = r"(lambda:[*]|lambda:[a-zA-Z]+|[*])";

fn statement_id(r: &Map<String, Value>) -> Result<String, AwsError> {
    let sid = required(r, "StatementId")?;
    if sid.is_empty() || sid.len() > 100 {
        return Err(validation(sid, "statementId", "Member must have length less than or equal to 100"));
    }
    if !sid.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)) {
        return Err(validation(
            sid,
            "statementId",
            &format!("Member must satisfy regular expression pattern: {STATEMENT_ID_PATTERN}"),
        ));
    }
    Ok(sid.to_string())
}

/// The policy key and resource ARN a request's FunctionName and Qualifier name, checked to exist.
fn target(
    lambda: &Lambda,
    region: &str,
    account: &str,
    r: &Map<String, Value>,
) -> Result<(FunctionRef, String, String), AwsError> {
    let mut reference = FunctionRef::parse(required(r, "FunctionName")?, "functionName")?;
    if let Some(q) = string(r, "Qualifier")? {
        reference.qualifier = Some(q.to_string());
    }
    let arn = function_arn(region, account, &reference.name);
    let f = lambda.functions.get(&reference.name).ok_or_else(|| not_found(&arn))?;
    let key = reference.qualifier.clone().unwrap_or_default();
    let resource = if key.is_empty() { arn.clone() } else { format!("{arn}:{key}") };
    if !key.is_empty() && qualified(f, Some(&key)).is_none() {
        return Err(not_found(&resource));
    }
    Ok((reference, key, resource))
}

fn revision_matches(r: &Map<String, Value>, current: Option<&Policy>) -> Result<(), AwsError> {
    match string(r, "RevisionId")? {
        Some(rev) if current.is_none_or(|p| p.revision_id != rev) => Err(error(
            "PreconditionFailedException",
            412,
            "The Revision Id provided does not match the latest Revision Id. Call the GetPolicy API to retrieve the latest Revision Id",
        )),
        _ => Ok(()),
    }
}

/// `Principal` as the statement names it: a service, an account's root, an ARN, or anyone.
fn principal(text: &str) -> Value {
    if text == "*" {
        json!("*")
    } else if text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit()) {
        json!({ "AWS": format!("arn:aws:iam::{text}:root") })
    } else if text.starts_with("arn:") {
        json!({ "AWS": text })
    } else {
        json!({ "Service": text })
    }
}

/// AddPermission: a statement letting a principal call the function.
pub(super) fn add(
    lambda: &mut Lambda,
    region: &str,
    account: &str,
    ids: &mut Ids,
    request: &Value,
) -> Result<Value, AwsError> {
    let r = object_with(
        request,
        &[
            "FunctionName",
            "StatementId",
            "Action",
            "Principal",
            "SourceArn",
            "SourceAccount",
            "EventSourceToken",
            "Qualifier",
            "RevisionId",
            "PrincipalOrgID",
            "FunctionUrlAuthType",
            "InvokedViaFunctionUrl",
        ],
    )?;
    let sid = statement_id(r)?;
    let action = required(r, "Action")?;
    let action_ok = action == "*"
        || action == "lambda:*"
        || action.strip_prefix("lambda:").is_some_and(|a| !a.is_empty() && a.bytes().all(|b| b.is_ascii_alphabetic()));
    if !action_ok {
        return Err(validation(
            action,
            "action",
            &format!("Member must satisfy regular expression pattern: {ACTION_PATTERN}"),
        ));
    }
    let who = required(r, "Principal")?;
    if who.is_empty() || who.chars().any(char::is_whitespace) {
        return Err(validation(who, "principal", r"Member must satisfy regular expression pattern: [^\s]+"));
    }
    let source_arn = string(r, "SourceArn")?;
    let source_account = string(r, "SourceAccount")?;
    if let Some(acct) = source_account {
        if acct.len() != 12 || !acct.bytes().all(|b| b.is_ascii_digit()) {
            return Err(validation(acct, "sourceAccount", r"Member must satisfy regular expression pattern: \d{12}"));
        }
    }
    let org = string(r, "PrincipalOrgID")?;
    let url_auth = string(r, "FunctionUrlAuthType")?;
    if let Some(t) = url_auth {
        if t != "NONE" && t != "AWS_IAM" {
            return Err(validation(t, "functionUrlAuthType", "Member must satisfy enum value set: [NONE, AWS_IAM]"));
        }
    }
    let (reference, key, resource) = target(lambda, region, account, r)?;
    let f = &lambda.functions[&reference.name];
    let current = f.policies.get(&key);
    revision_matches(r, current)?;
    if current.is_some_and(|p| p.statements.iter().any(|s| s["Sid"] == sid)) {
        return Err(error(
            "ResourceConflictException",
            409,
            format!("The statement id ({sid}) provided already exists. Please provide a new statement id, or remove the existing statement."),
        ));
    }
    let mut condition = Map::new();
    let mut string_equals = Map::new();
    if let Some(acct) = source_account {
        string_equals.insert("AWS:SourceAccount".into(), json!(acct));
    }
    if let Some(org) = org {
        string_equals.insert("aws:PrincipalOrgID".into(), json!(org));
    }
    if let Some(t) = url_auth {
        string_equals.insert("lambda:FunctionUrlAuthType".into(), json!(t));
    }
    if !string_equals.is_empty() {
        condition.insert("StringEquals".into(), Value::Object(string_equals));
    }
    if let Some(arn) = source_arn {
        condition.insert("ArnLike".into(), json!({ "AWS:SourceArn": arn }));
    }
    let mut statement = json!({
        "Sid": sid,
        "Effect": "Allow",
        "Principal": principal(who),
        "Action": if action == "*" { "lambda:*" } else { action },
        "Resource": resource,
    });
    if !condition.is_empty() {
        statement["Condition"] = Value::Object(condition);
    }
    let mut policy = current.cloned().unwrap_or_default();
    policy.statements.push(statement.clone());
    if policy.document().len() > MAX_POLICY_BYTES {
        return Err(error(
            "PolicyLengthExceededException",
            400,
            format!(
                "The final policy size ({}) is bigger than the limit ({MAX_POLICY_BYTES}).",
                policy.document().len()
            ),
        ));
    }
    policy.revision_id = ids.uuid();
    lambda.functions.get_mut(&reference.name).expect("found").policies.insert(key, policy);
    Ok(json!({ "Statement": statement.to_string() }))
}

/// RemovePermission.
pub(super) fn remove(
    lambda: &mut Lambda,
    region: &str,
    account: &str,
    ids: &mut Ids,
    request: &Value,
) -> Result<Value, AwsError> {
    let r = object_with(request, &["FunctionName", "StatementId", "Qualifier", "RevisionId"])?;
    let sid = statement_id(r)?;
    let (reference, key, _) = target(lambda, region, account, r)?;
    let f = &lambda.functions[&reference.name];
    let current = f.policies.get(&key);
    revision_matches(r, current)?;
    let Some(index) = current.and_then(|p| p.statements.iter().position(|s| s["Sid"] == sid)) else {
        return Err(error(
            "ResourceNotFoundException",
            404,
            format!("Statement {sid} is not found in resource policy."),
        ));
    };
    let f = lambda.functions.get_mut(&reference.name).expect("found");
    let policy = f.policies.get_mut(&key).expect("found");
    policy.statements.remove(index);
    if policy.statements.is_empty() {
        f.policies.remove(&key);
    } else {
        policy.revision_id = ids.uuid();
    }
    Ok(json!({}))
}

/// GetPolicy.
pub(super) fn get(lambda: &Lambda, region: &str, account: &str, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(request, &["FunctionName", "Qualifier"])?;
    let (reference, key, _) = target(lambda, region, account, r)?;
    match lambda.functions[&reference.name].policies.get(&key) {
        Some(p) => Ok(json!({ "Policy": p.document(), "RevisionId": p.revision_id })),
        None => Err(error("ResourceNotFoundException", 404, "The resource you requested does not exist.")),
    }
}

/// Whether `caller` may call `action` (`lambda:InvokeFunction`) on the function, version or alias
/// by its resource policy, with `context` (`aws:SourceArn`, `aws:SourceAccount`). A policy that
/// no longer parses (it cannot, as Lambda writes it) allows nothing.
pub fn invoke_allowed(f: &Function, qualifier: Option<&str>, caller: &Caller, action: &str, context: &Context) -> bool {
    let key = qualifier.unwrap_or_default();
    let Some(stored) = f.policies.get(key) else { return false };
    let Ok(parsed) = policy::parse(&stored.document(), Flavour::Resource) else { return false };
    let resource = if key.is_empty() { f.arn.clone() } else { format!("{}:{key}", f.arn) };
    let request = Request { action, resource: &resource, caller: Some(caller), context };
    policy::evaluate(&[&parsed], &request).decision == Decision::Allowed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn principals_read_as_lambda_writes_them() {
        assert_eq!(principal("s3.amazonaws.com"), json!({"Service": "s3.amazonaws.com"}));
        assert_eq!(principal("123456789012"), json!({"AWS": "arn:aws:iam::123456789012:root"}));
        assert_eq!(principal("*"), json!("*"));
    }
}
