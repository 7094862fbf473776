//! Roles: create, read, list, update, delete; their tags; their inline policies.

use super::*;
use crate::clock::iso8601;
use crate::iam::Role;
use crate::ids::IAM_ID_ALPHABET;
use std::collections::BTreeMap;

/// How many roles an account may have.
const ROLES_PER_ACCOUNT: usize = 1000;

/// The inline policies of one role may hold this many characters (whitespace aside), together.
const INLINE_POLICY_SIZE: usize = 10_240;

/// Which members a role's JSON has: each operation returns a different set, as IAM does.
#[derive(Clone, Copy, PartialEq, Eq)]
enum RoleView {
    /// CreateRole: no `MaxSessionDuration`, no `RoleLastUsed`.
    Created,
    /// GetRole: everything.
    Full,
    /// ListRoles: no tags, no `RoleLastUsed`.
    Listed,
}

fn role_json(role: &Role, view: RoleView) -> Value {
    let mut out = Map::new();
    out.insert("Path".into(), json!(role.path));
    out.insert("RoleName".into(), json!(role.name));
    out.insert("RoleId".into(), json!(role.id));
    out.insert("Arn".into(), json!(role.arn));
    out.insert("CreateDate".into(), json!(iso8601(role.created_ms)));
    out.insert("AssumeRolePolicyDocument".into(), json!(url_encoded(&role.trust)));
    if let Some(description) = &role.description {
        out.insert("Description".into(), json!(description));
    }
    if view != RoleView::Created {
        out.insert("MaxSessionDuration".into(), json!(role.max_session_seconds));
    }
    if view != RoleView::Listed && !role.tags.is_empty() {
        out.insert("Tags".into(), tags_json(&role.tags));
    }
    if view == RoleView::Full {
        out.insert("RoleLastUsed".into(), json!({}));
    }
    Value::Object(out)
}

/// `MaxSessionDuration`: 3600 to 43200 seconds.
fn max_session(r: &Map<String, Value>) -> Result<Option<i64>, AwsError> {
    match wire::integer(r, "MaxSessionDuration")? {
        Some(n) if n < 3600 => Err(AwsError::param_validation(format!(
            "Invalid value for parameter MaxSessionDuration, value: {n}, valid min value: 3600"
        ))),
        Some(n) if n > 43_200 => {
            Err(constraint(&n.to_string(), "maxSessionDuration", "Member must have value less than or equal to 43200"))
        }
        other => Ok(other),
    }
}

/// A role's `Description`: at most 1000 characters, printable.
fn description(r: &Map<String, Value>) -> Result<Option<String>, AwsError> {
    let Some(text) = bounded(r, "Description", "description", 1000)? else { return Ok(None) };
    if !text.chars().all(|c| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{7E}' | '\u{A1}'..='\u{FF}')) {
        return Err(constraint(
            text,
            "description",
            r"Member must satisfy regular expression pattern: [\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*",
        ));
    }
    Ok(Some(text.to_string()))
}

pub(super) fn create_role(iam: &mut Iam, ctx: &mut Ctx<Job>, request: &Value) -> Result<Value, AwsError> {
    let r = wire::object_with(
        request,
        &[
            "Path",
            "RoleName",
            "AssumeRolePolicyDocument",
            "Description",
            "MaxSessionDuration",
            "MaxSigninSessionDuration",
            "PermissionsBoundary",
            "Tags",
        ],
    )?;
    let name = super::name(r, "RoleName", "roleName", 64)?;
    let trust = document(r, "AssumeRolePolicyDocument")?;
    let path = role_path(r, "Path")?;
    let description = description(r)?;
    let max_session = max_session(r)?.unwrap_or(3600);
    let tags = tags(r, "Tags")?;
    for member in ["PermissionsBoundary", "MaxSigninSessionDuration"] {
        if r.get(member).is_some_and(|v| !v.is_null()) {
            return Err(unsupported(member));
        }
    }
    // The request is read; now it is checked against the account.
    if iam.roles.contains_key(&name.to_lowercase()) {
        return Err(already_exists(format!("Role with name {name} already exists.")));
    }
    trust_policy(iam, ctx.account, trust)?;
    if iam.roles.len() >= ROLES_PER_ACCOUNT {
        return Err(limit_exceeded(format!("Cannot exceed quota for RolesPerAccount: {ROLES_PER_ACCOUNT}")));
    }
    let role = Role {
        name: name.to_string(),
        arn: format!("arn:aws:iam::{}:role{path}{name}", ctx.account.id),
        path,
        id: format!("AROA{}", ctx.ids.string_from(IAM_ID_ALPHABET, 17)),
        created_ms: ctx.now_ms,
        trust: trust.to_string(),
        description,
        max_session_seconds: max_session,
        tags,
        inline: BTreeMap::new(),
        attached: Vec::new(),
    };
    let answer = json!({ "Role": role_json(&role, RoleView::Created) });
    iam.roles.insert(name.to_lowercase(), role);
    Ok(answer)
}

/// The input of the operations that name only a role.
fn role_name(request: &Value, members: &[&str]) -> Result<String, AwsError> {
    let r = wire::object_with(request, members)?;
    Ok(super::name(r, "RoleName", "roleName", 64)?.to_string())
}

pub(super) fn get_role(iam: &Iam, request: &Value) -> Result<Value, AwsError> {
    let name = role_name(request, &["RoleName"])?;
    Ok(json!({ "Role": role_json(role(iam, &name)?, RoleView::Full) }))
}

pub(super) fn list_roles(iam: &Iam, request: &Value) -> Result<Value, AwsError> {
    let r = wire::object_with(request, &["PathPrefix", "Marker", "MaxItems"])?;
    let prefix = path_prefix(r, "PathPrefix")?.unwrap_or("/");
    let paging = Paging::read(r)?;
    let roles = iam.roles.values().filter(|role| role.path.starts_with(prefix));
    Ok(paging.page("Roles", roles.map(|role| role_json(role, RoleView::Listed)).collect()))
}

pub(super) fn delete_role(iam: &mut Iam, request: &Value) -> Result<Value, AwsError> {
    let name = role_name(request, &["RoleName"])?;
    let role = role(iam, &name)?;
    if !role.attached.is_empty() {
        return Err(delete_conflict("Cannot delete entity, must detach all policies first."));
    }
    if !role.inline.is_empty() {
        return Err(delete_conflict("Cannot delete entity, must delete policies first."));
    }
    iam.roles.remove(&name.to_lowercase());
    Ok(json!({}))
}

pub(super) fn update_role(iam: &mut Iam, request: &Value) -> Result<Value, AwsError> {
    let r = wire::object_with(
        request,
        &["RoleName", "Description", "MaxSessionDuration", "MaxSigninSessionDuration", "ResetMaxSigninSessionDuration"],
    )?;
    let name = super::name(r, "RoleName", "roleName", 64)?;
    let description = description(r)?;
    let max_session = max_session(r)?;
    for member in ["MaxSigninSessionDuration", "ResetMaxSigninSessionDuration"] {
        if r.get(member).is_some_and(|v| !v.is_null()) {
            return Err(unsupported(member));
        }
    }
    role(iam, name)?;
    let role = iam.roles.get_mut(&name.to_lowercase()).expect("checked");
    if let Some(description) = description {
        role.description = Some(description);
    }
    if let Some(seconds) = max_session {
        role.max_session_seconds = seconds;
    }
    Ok(json!({}))
}

pub(super) fn update_assume_role_policy(iam: &mut Iam, account: &Account, request: &Value) -> Result<Value, AwsError> {
    let r = wire::object_with(request, &["RoleName", "PolicyDocument"])?;
    let name = super::name(r, "RoleName", "roleName", 64)?;
    let text = document(r, "PolicyDocument")?;
    role(iam, name)?;
    trust_policy(iam, account, text)?;
    iam.roles.get_mut(&name.to_lowercase()).expect("checked").trust = text.to_string();
    Ok(json!({}))
}

pub(super) fn tag_role(iam: &mut Iam, request: &Value) -> Result<Value, AwsError> {
    let r = wire::object_with(request, &["RoleName", "Tags"])?;
    let name = super::name(r, "RoleName", "roleName", 64)?;
    if r.get("Tags").is_none_or(Value::is_null) {
        return Err(wire::missing("Tags"));
    }
    let new = tags(r, "Tags")?;
    let mut merged = role(iam, name)?.tags.clone();
    for (key, value) in new {
        match merged.iter_mut().find(|(k, _)| k.eq_ignore_ascii_case(&key)) {
            Some(existing) => *existing = (key, value),
            None => merged.push((key, value)),
        }
    }
    if merged.len() > 50 {
        return Err(limit_exceeded("Cannot exceed quota for TagsPerRole: 50"));
    }
    iam.roles.get_mut(&name.to_lowercase()).expect("checked").tags = merged;
    Ok(json!({}))
}

pub(super) fn untag_role(iam: &mut Iam, request: &Value) -> Result<Value, AwsError> {
    let r = wire::object_with(request, &["RoleName", "TagKeys"])?;
    let name = super::name(r, "RoleName", "roleName", 64)?;
    let keys = r.get("TagKeys").filter(|v| !v.is_null()).ok_or_else(|| wire::missing("TagKeys"))?;
    let keys = wire::array(keys, "TagKeys")?;
    let mut names = Vec::new();
    for (i, key) in keys.iter().enumerate() {
        let key = key.as_str().ok_or_else(|| wire::invalid_type(&format!("TagKeys[{i}]"), key, "string"))?;
        if key.is_empty() {
            return Err(too_short(&format!("TagKeys[{i}]"), 0, 1));
        }
        names.push(key.to_string());
    }
    if names.len() > 50 {
        return Err(constraint(
            &format!("[{}]", names.join(", ")),
            "tagKeys",
            "Member must have length less than or equal to 50",
        ));
    }
    role(iam, name)?;
    let role = iam.roles.get_mut(&name.to_lowercase()).expect("checked");
    role.tags.retain(|(k, _)| !names.iter().any(|n| n.eq_ignore_ascii_case(k)));
    Ok(json!({}))
}

pub(super) fn list_role_tags(iam: &Iam, request: &Value) -> Result<Value, AwsError> {
    let r = wire::object_with(request, &["RoleName", "Marker", "MaxItems"])?;
    let name = super::name(r, "RoleName", "roleName", 64)?;
    let paging = Paging::read(r)?;
    let role = role(iam, name)?;
    let tags = role.tags.iter().map(|(k, v)| json!({"Key": k, "Value": v})).collect();
    Ok(paging.page("Tags", tags))
}

/// The input of the operations on one inline policy.
fn role_and_policy(r: &Map<String, Value>) -> Result<(&str, &str), AwsError> {
    Ok((super::name(r, "RoleName", "roleName", 64)?, super::name(r, "PolicyName", "policyName", 128)?))
}

fn no_such_inline(policy: &str) -> AwsError {
    no_such_entity(format!("The role policy with name {policy} cannot be found."))
}

pub(super) fn put_role_policy(iam: &mut Iam, request: &Value) -> Result<Value, AwsError> {
    let r = wire::object_with(request, &["RoleName", "PolicyName", "PolicyDocument"])?;
    let (name, policy) = role_and_policy(r)?;
    let text = document(r, "PolicyDocument")?;
    let role = role(iam, name)?;
    identity_policy(text)?;
    let others: usize = role
        .inline
        .iter()
        .filter(|(key, _)| **key != policy.to_lowercase())
        .map(|(_, (_, doc))| policy::size_without_whitespace(doc))
        .sum();
    if others + policy::size_without_whitespace(text) > INLINE_POLICY_SIZE {
        return Err(limit_exceeded(format!(
            "Maximum policy size of {INLINE_POLICY_SIZE} bytes exceeded for role {}",
            role.name
        )));
    }
    let role = iam.roles.get_mut(&name.to_lowercase()).expect("checked");
    role.inline.insert(policy.to_lowercase(), (policy.to_string(), text.to_string()));
    Ok(json!({}))
}

pub(super) fn get_role_policy(iam: &Iam, request: &Value) -> Result<Value, AwsError> {
    let r = wire::object_with(request, &["RoleName", "PolicyName"])?;
    let (name, policy) = role_and_policy(r)?;
    let role = role(iam, name)?;
    let (policy_name, text) = role.inline.get(&policy.to_lowercase()).ok_or_else(|| no_such_inline(policy))?;
    Ok(json!({"RoleName": role.name, "PolicyName": policy_name, "PolicyDocument": url_encoded(text)}))
}

pub(super) fn delete_role_policy(iam: &mut Iam, request: &Value) -> Result<Value, AwsError> {
    let r = wire::object_with(request, &["RoleName", "PolicyName"])?;
    let (name, policy) = role_and_policy(r)?;
    if !role(iam, name)?.inline.contains_key(&policy.to_lowercase()) {
        return Err(no_such_inline(policy));
    }
    iam.roles.get_mut(&name.to_lowercase()).expect("checked").inline.remove(&policy.to_lowercase());
    Ok(json!({}))
}

pub(super) fn list_role_policies(iam: &Iam, request: &Value) -> Result<Value, AwsError> {
    let r = wire::object_with(request, &["RoleName", "Marker", "MaxItems"])?;
    let name = super::name(r, "RoleName", "roleName", 64)?;
    let paging = Paging::read(r)?;
    let role = role(iam, name)?;
    Ok(paging.page("PolicyNames", role.inline.values().map(|(name, _)| json!(name)).collect()))
}
