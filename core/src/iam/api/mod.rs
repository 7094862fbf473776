//! IAM's wire edge: requests in, responses and errors out, with the member names, limits and
//! error codes of the IAM API (botocore's `iam` service model).
//!
//! On the wire IAM speaks the Query protocol (form-encoded requests, XML responses); here, as
//! for STS, a request is the JSON of the operation's input shape and a response the members of
//! its result wrapper (`CreateRoleResult` -> `{"Role": {...}}`), as the SDKs model them.
//! Timestamps are ISO 8601 strings. Policy documents in responses (`AssumeRolePolicyDocument`,
//! `PolicyDocument`, `Document`) are the text that was sent, URL-encoded, as IAM returns them
//! (the AWS CLI and SDKs decode them; the simulator's callers see what the wire carries).
//!
//! Every operation reads and validates its whole request, then checks it against the state, and
//! only then changes anything: a failed request changes nothing.
//!
//! One file per group of operations: `roles.rs` (roles, their tags and inline policies),
//! `policies.rs` (managed policies, versions, attachments), `simulate.rs` (the policy simulator).

mod policies;
mod roles;
mod simulate;

use crate::error::AwsError;
use crate::iam::managed::{self, ManagedPolicyData};
use crate::iam::{Iam, Job, ManagedPolicy, Role, API_VERSION};
use crate::policy::{self, Flavour, Policy, PrincipalKind};
use crate::service::{Account, Ctx};
use crate::wire;
use serde_json::{json, Map, Value};

/// The operations this simulator implements, in the API reference's order.
pub const ACTIONS: &[&str] = &[
    "AttachRolePolicy",
    "CreatePolicy",
    "CreatePolicyVersion",
    "CreateRole",
    "DeletePolicy",
    "DeletePolicyVersion",
    "DeleteRole",
    "DeleteRolePolicy",
    "DetachRolePolicy",
    "GetPolicy",
    "GetPolicyVersion",
    "GetRole",
    "GetRolePolicy",
    "ListAttachedRolePolicies",
    "ListEntitiesForPolicy",
    "ListPolicies",
    "ListPolicyVersions",
    "ListRolePolicies",
    "ListRoleTags",
    "ListRoles",
    "PutRolePolicy",
    "SetDefaultPolicyVersion",
    "SimulatePrincipalPolicy",
    "TagRole",
    "UntagRole",
    "UpdateAssumeRolePolicy",
    "UpdateRole",
];

/// The operations that only read.
pub const READ_ONLY_ACTIONS: &[&str] = &[
    "GetPolicy",
    "GetPolicyVersion",
    "GetRole",
    "GetRolePolicy",
    "ListAttachedRolePolicies",
    "ListEntitiesForPolicy",
    "ListPolicies",
    "ListPolicyVersions",
    "ListRolePolicies",
    "ListRoleTags",
    "ListRoles",
    "SimulatePrincipalPolicy",
];

/// Runs one IAM operation.
pub fn call(iam: &mut Iam, ctx: &mut Ctx<Job>, action: &str, request: &Value) -> Result<Value, AwsError> {
    if READ_ONLY_ACTIONS.contains(&action) {
        return read(iam, ctx.account, action, request);
    }
    match action {
        "CreateRole" => roles::create_role(iam, ctx, request),
        "DeleteRole" => roles::delete_role(iam, request),
        "UpdateRole" => roles::update_role(iam, request),
        "UpdateAssumeRolePolicy" => roles::update_assume_role_policy(iam, ctx.account, request),
        "TagRole" => roles::tag_role(iam, request),
        "UntagRole" => roles::untag_role(iam, request),
        "PutRolePolicy" => roles::put_role_policy(iam, request),
        "DeleteRolePolicy" => roles::delete_role_policy(iam, request),
        "CreatePolicy" => policies::create_policy(iam, ctx, request),
        "DeletePolicy" => policies::delete_policy(iam, request),
        "CreatePolicyVersion" => policies::create_policy_version(iam, ctx.now_ms, request),
        "DeletePolicyVersion" => policies::delete_policy_version(iam, request),
        "SetDefaultPolicyVersion" => policies::set_default_policy_version(iam, ctx.now_ms, request),
        "AttachRolePolicy" => policies::attach_role_policy(iam, request),
        "DetachRolePolicy" => policies::detach_role_policy(iam, request),
        // IAM speaks the Query protocol, whose answer to an unknown action is `InvalidAction`.
        _ => Err(AwsError::client(
            "InvalidAction",
            format!("Could not find operation {action} for version {API_VERSION}"),
        )),
    }
}

/// Runs one read-only IAM operation.
pub fn read(iam: &Iam, account: &Account, action: &str, request: &Value) -> Result<Value, AwsError> {
    match action {
        "GetRole" => roles::get_role(iam, request),
        "ListRoles" => roles::list_roles(iam, request),
        "ListRoleTags" => roles::list_role_tags(iam, request),
        "GetRolePolicy" => roles::get_role_policy(iam, request),
        "ListRolePolicies" => roles::list_role_policies(iam, request),
        "GetPolicy" => policies::get_policy(iam, request),
        "ListPolicies" => policies::list_policies(iam, request),
        "GetPolicyVersion" => policies::get_policy_version(iam, request),
        "ListPolicyVersions" => policies::list_policy_versions(iam, request),
        "ListAttachedRolePolicies" => policies::list_attached_role_policies(iam, request),
        "ListEntitiesForPolicy" => policies::list_entities_for_policy(iam, request),
        "SimulatePrincipalPolicy" => simulate::simulate_principal_policy(iam, account, request),
        _ => Err(AwsError::client(
            "InvalidAction",
            format!("Could not find operation {action} for version {API_VERSION}"),
        )),
    }
}

// ---- Errors, with IAM's codes and statuses.

fn error(code: &str, status: u16, message: impl Into<String>) -> AwsError {
    AwsError { code: code.to_string(), message: message.into(), status, details: None }
}

fn no_such_entity(message: impl Into<String>) -> AwsError {
    error("NoSuchEntity", 404, message)
}

fn already_exists(message: impl Into<String>) -> AwsError {
    error("EntityAlreadyExists", 409, message)
}

fn delete_conflict(message: impl Into<String>) -> AwsError {
    error("DeleteConflict", 409, message)
}

fn limit_exceeded(message: impl Into<String>) -> AwsError {
    error("LimitExceeded", 409, message)
}

fn invalid_input(message: impl Into<String>) -> AwsError {
    error("InvalidInput", 400, message)
}

fn malformed(message: impl Into<String>) -> AwsError {
    error("MalformedPolicyDocument", 400, message)
}

/// A request member this simulator does not implement yet: refused out loud, never ignored.
fn unsupported(member: &str) -> AwsError {
    AwsError::client(
        "SimulatorLimitation",
        format!("The simulator does not support {member} yet; see docs/differences.md."),
    )
}

/// A constraint of the API model that IAM checks (a maximum length, a pattern), as IAM words it.
fn constraint(value: &str, member: &str, rule: &str) -> AwsError {
    error(
        "ValidationError",
        400,
        format!("1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: {rule}"),
    )
}

/// A string shorter than the model's minimum: the SDKs and the CLI refuse it before sending.
fn too_short(param: &str, length: usize, min: usize) -> AwsError {
    AwsError::param_validation(format!(
        "Invalid length for parameter {param}, value: {length}, valid min length: {min}"
    ))
}

/// The role `name` (any case), or IAM's error.
fn role<'a>(iam: &'a Iam, name: &str) -> Result<&'a Role, AwsError> {
    iam.roles
        .get(&name.to_lowercase())
        .ok_or_else(|| no_such_entity(format!("The role with name {name} cannot be found.")))
}

// ---- Member readers.

/// Where a name must be from: IAM's `[\w+=,.@-]+`.
const NAME_PATTERN: &str = r"[\w+=,.@-]+";

fn is_name(name: &str) -> bool {
    name.chars().all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c))
}

/// A required name member (`RoleName`, `PolicyName`): 1 to `max` characters of `[\w+=,.@-]`.
/// `field` is how IAM names the member in a constraint message (`roleName`).
fn name<'a>(r: &'a Map<String, Value>, member: &str, field: &str, max: usize) -> Result<&'a str, AwsError> {
    let value = wire::required(r, member)?;
    let length = value.chars().count();
    if length == 0 {
        return Err(too_short(member, 0, 1));
    }
    if length > max {
        return Err(constraint(value, field, &format!("Member must have length less than or equal to {max}")));
    }
    if !is_name(value) {
        return Err(constraint(
            value,
            field,
            &format!("Member must satisfy regular expression pattern: {NAME_PATTERN}"),
        ));
    }
    Ok(value)
}

/// An optional string member of at most `max` characters.
fn bounded<'a>(r: &'a Map<String, Value>, member: &str, field: &str, max: usize) -> Result<Option<&'a str>, AwsError> {
    let Some(value) = wire::string(r, member)? else { return Ok(None) };
    if value.chars().count() > max {
        return Err(constraint(value, field, &format!("Member must have length less than or equal to {max}")));
    }
    Ok(Some(value))
}

/// A role's `Path` (`/` unless given): `/` alone or `/.../` of printable ASCII, at most 512.
fn role_path(r: &Map<String, Value>, member: &str) -> Result<String, AwsError> {
    let Some(path) = wire::string(r, member)? else { return Ok("/".to_string()) };
    if path.is_empty() {
        return Err(too_short(member, 0, 1));
    }
    if path.len() > 512 {
        return Err(constraint(path, "path", "Member must have length less than or equal to 512"));
    }
    let printable = path.chars().all(|c| ('\u{21}'..='\u{7E}').contains(&c));
    if path != "/" && !(path.len() > 2 && path.starts_with('/') && path.ends_with('/') && printable) {
        return Err(constraint(
            path,
            "path",
            r"Member must satisfy regular expression pattern: (\u002F)|(\u002F[\u0021-\u007E]+\u002F)",
        ));
    }
    Ok(path.to_string())
}

/// A managed policy's `Path`: `/` or `/a/b/` of `[A-Za-z0-9.,+@=_-]`.
fn policy_path(r: &Map<String, Value>, member: &str) -> Result<Option<String>, AwsError> {
    let Some(path) = wire::string(r, member)? else { return Ok(None) };
    if path.is_empty() {
        return Err(too_short(member, 0, 1));
    }
    if path.len() > 512 {
        return Err(constraint(path, "path", "Member must have length less than or equal to 512"));
    }
    let segments_ok = path
        .strip_prefix('/')
        .and_then(|p| p.strip_suffix('/').or(if p.is_empty() { Some("") } else { None }))
        .is_some_and(|inner| {
            inner.is_empty()
                || inner
                    .split('/')
                    .all(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || ".,+@=_-".contains(c)))
        });
    if !segments_ok {
        return Err(constraint(
            path,
            "path",
            r"Member must satisfy regular expression pattern: ((/[A-Za-z0-9\.,\+@=_-]+)*)/",
        ));
    }
    Ok(Some(path.to_string()))
}

/// A `PathPrefix` member: `/` followed by printable ASCII.
fn path_prefix<'a>(r: &'a Map<String, Value>, member: &str) -> Result<Option<&'a str>, AwsError> {
    let Some(prefix) = wire::string(r, member)? else { return Ok(None) };
    if prefix.is_empty() {
        return Err(too_short(member, 0, 1));
    }
    if !prefix.starts_with('/') || !prefix.chars().all(|c| ('\u{21}'..='\u{7F}').contains(&c)) {
        return Err(constraint(
            prefix,
            "pathPrefix",
            r"Member must satisfy regular expression pattern: \u002F[\u0021-\u007F]*",
        ));
    }
    Ok(Some(prefix))
}

/// A required policy document member: 1 to 131072 characters of tab, newline, carriage return
/// and `\u0020`-`\u00FF`.
fn document<'a>(r: &'a Map<String, Value>, member: &str) -> Result<&'a str, AwsError> {
    let text = wire::required(r, member)?;
    if text.is_empty() {
        return Err(too_short(member, 0, 1));
    }
    let field = match member {
        "AssumeRolePolicyDocument" => "assumeRolePolicyDocument",
        _ => "policyDocument",
    };
    if text.chars().count() > 131_072 {
        return Err(constraint(text, field, "Member must have length less than or equal to 131072"));
    }
    if !text.chars().all(|c| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{FF}')) {
        return Err(constraint(
            text,
            field,
            r"Member must satisfy regular expression pattern: [\u0009\u000A\u000D\u0020-\u00FF]+",
        ));
    }
    Ok(text)
}

/// `text` as an identity (permissions) policy, or IAM's `MalformedPolicyDocument`.
fn identity_policy(text: &str) -> Result<Policy, AwsError> {
    policy::parse(text, Flavour::Identity).map_err(|err| malformed(err.message))
}

/// `text` as a trust policy of a role of `account`: valid, and naming no role or user of the
/// account that does not exist (IAM resolves principals to their unique ids when it stores the
/// policy, so a missing one is an invalid principal).
fn trust_policy(iam: &Iam, account: &Account, text: &str) -> Result<Policy, AwsError> {
    let trust = policy::parse(text, Flavour::Trust).map_err(|err| malformed(err.message))?;
    for statement in &trust.statements {
        let Some(policy::Principals { principal: policy::Principal::Listed(listed), .. }) = &statement.principal else {
            continue;
        };
        for (kind, name) in listed {
            if *kind != PrincipalKind::Aws {
                continue;
            }
            let own = |kind: &str| name.strip_prefix(&format!("arn:aws:iam::{}:{kind}/", account.id));
            let missing = match (own("role"), own("user")) {
                (Some(role_path), _) => {
                    let role_name = role_path.rsplit('/').next().unwrap_or("");
                    iam.roles.get(&role_name.to_lowercase()).is_none_or(|r| r.arn != *name)
                }
                (_, Some(user)) => user != account.user_name,
                _ => false,
            };
            if missing {
                return Err(malformed(format!("Invalid principal in policy: \"AWS\":\"{name}\"")));
            }
        }
    }
    if policy::size_without_whitespace(text) > 2048 {
        return Err(limit_exceeded("Cannot exceed quota for ACLSizePerRole: 2048"));
    }
    Ok(trust)
}

/// A `Tags` list: at most 50 `{Key, Value}`, keys 1-128 and values 0-256 characters of
/// `[\p{L}\p{Z}\p{N}_.:/=+\-@]`, keys unique without case.
fn tags(r: &Map<String, Value>, member: &str) -> Result<Vec<(String, String)>, AwsError> {
    let Some(list) = r.get(member).filter(|v| !v.is_null()) else { return Ok(Vec::new()) };
    let list = wire::array(list, member)?;
    let mut out: Vec<(String, String)> = Vec::new();
    for (i, tag) in list.iter().enumerate() {
        let t = wire::object_with(tag, &["Key", "Value"])?;
        let key = wire::string(t, "Key")?.ok_or_else(|| wire::missing(&format!("{member}[{i}].Key")))?;
        let value = wire::string(t, "Value")?.ok_or_else(|| wire::missing(&format!("{member}[{i}].Value")))?;
        if key.is_empty() {
            return Err(too_short(&format!("{member}[{i}].Key"), 0, 1));
        }
        out.push((key.to_string(), value.to_string()));
    }
    let allowed = |s: &str| s.chars().all(|c| c.is_alphanumeric() || c.is_whitespace() || "_.:/=+-@".contains(c));
    for (i, (key, value)) in out.iter().enumerate() {
        let at = |part: &str| format!("tags.{}.member.{part}", i + 1);
        if key.chars().count() > 128 {
            return Err(constraint(key, &at("key"), "Member must have length less than or equal to 128"));
        }
        if !allowed(key) {
            return Err(constraint(
                key,
                &at("key"),
                r"Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]+",
            ));
        }
        if value.chars().count() > 256 {
            return Err(constraint(value, &at("value"), "Member must have length less than or equal to 256"));
        }
        if !allowed(value) {
            return Err(constraint(
                value,
                &at("value"),
                r"Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]*",
            ));
        }
    }
    if out.len() > 50 {
        let keys: Vec<String> = out.iter().map(|(k, v)| format!("Tag(key={k}, value={v})")).collect();
        return Err(constraint(
            &format!("[{}]", keys.join(", ")),
            "tags",
            "Member must have length less than or equal to 50",
        ));
    }
    for (i, (key, _)) in out.iter().enumerate() {
        if out[..i].iter().any(|(k, _)| k.eq_ignore_ascii_case(key)) {
            return Err(invalid_input("Duplicate tag keys found. Please note that Tag keys are case insensitive."));
        }
    }
    Ok(out)
}

fn tags_json(tags: &[(String, String)]) -> Value {
    Value::Array(tags.iter().map(|(k, v)| json!({"Key": k, "Value": v})).collect())
}

/// A required `PolicyArn`: an IAM policy ARN, of this account or AWS's.
fn policy_arn<'a>(r: &'a Map<String, Value>, member: &str) -> Result<&'a str, AwsError> {
    let arn = wire::required(r, member)?;
    if arn.len() < 20 {
        return Err(too_short(member, arn.len(), 20));
    }
    if arn.len() > 2048 {
        return Err(constraint(arn, "policyArn", "Member must have length less than or equal to 2048"));
    }
    let valid =
        arn.strip_prefix("arn:aws:iam::").and_then(|rest| rest.split_once(":policy/")).is_some_and(|(owner, name)| {
            (owner == "aws" || (owner.len() == 12 && owner.bytes().all(|b| b.is_ascii_digit()))) && !name.is_empty()
        });
    if !valid {
        return Err(invalid_input(format!("ARN {arn} is not valid.")));
    }
    Ok(arn)
}

/// A managed policy by ARN: one of AWS's, or one of the account's.
#[derive(Clone, Copy)]
enum Managed<'a> {
    Aws(&'static ManagedPolicyData),
    Local(&'a ManagedPolicy),
}

fn find_policy<'a>(iam: &'a Iam, arn: &str) -> Option<Managed<'a>> {
    if let Some(data) = managed::by_arn(arn) {
        return Some(Managed::Aws(data));
    }
    iam.policies.values().find(|p| p.arn == arn).map(Managed::Local)
}

/// How many roles have the policy `arn` attached.
fn attachment_count(iam: &Iam, arn: &str) -> usize {
    iam.roles.values().filter(|r| r.attached.iter().any(|a| a == arn)).count()
}

/// A policy document as IAM returns it: the text, URL-encoded.
fn url_encoded(text: &str) -> String {
    crate::wire::url_encode(text)
}

/// `MaxItems` (1 to 1000, default 100) and `Marker` of a listing.
struct Paging {
    max_items: usize,
    /// Where the page starts, from the previous page's `Marker`.
    start: usize,
}

impl Paging {
    fn read(r: &Map<String, Value>) -> Result<Paging, AwsError> {
        let max_items = match wire::integer(r, "MaxItems")? {
            None => 100,
            Some(n) if n < 1 => {
                return Err(AwsError::param_validation(format!(
                    "Invalid value for parameter MaxItems, value: {n}, valid min value: 1"
                )))
            }
            Some(n) if n > 1000 => {
                return Err(constraint(&n.to_string(), "maxItems", "Member must have value less than or equal to 1000"))
            }
            Some(n) => n as usize,
        };
        let start = match wire::string(r, "Marker")? {
            None => 0,
            Some("") => return Err(too_short("Marker", 0, 1)),
            Some(marker) => marker_offset(marker).ok_or_else(|| error("ValidationError", 400, "Invalid Marker."))?,
        };
        Ok(Paging { max_items, start })
    }

    /// One page of `items` as `{member: [...], "IsTruncated": bool, "Marker"?: ...}`.
    fn page(&self, member: &str, items: Vec<Value>) -> Value {
        let total = items.len();
        let page: Vec<Value> = items.into_iter().skip(self.start).take(self.max_items).collect();
        let next = self.start + page.len();
        let mut out = Map::new();
        out.insert(member.to_string(), Value::Array(page));
        out.insert("IsTruncated".into(), Value::Bool(next < total));
        if next < total {
            out.insert("Marker".into(), Value::String(marker(next)));
        }
        Value::Object(out)
    }
}

/// The opaque marker of the item at `offset` of a listing.
fn marker(offset: usize) -> String {
    format!("AAEA{offset:08X}")
}

fn marker_offset(marker: &str) -> Option<usize> {
    let hex = marker.strip_prefix("AAEA")?;
    (hex.len() == 8).then(|| usize::from_str_radix(hex, 16).ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_url_encoded_as_iam_returns_them() {
        assert_eq!(url_encoded(r#"{"Version": "2012-10-17"}"#), "%7B%22Version%22%3A%20%222012-10-17%22%7D");
        assert_eq!(url_encoded("a*b\n"), "a%2Ab%0A");
    }

    #[test]
    fn markers_round_trip() {
        assert_eq!(marker_offset(&marker(42)), Some(42));
        assert_eq!(marker_offset("nope"), None);
    }
}
