//! Managed policies: the account's own (create, version, delete) and AWS's (read-only), and
//! their attachment to roles.

use super::*;
use crate::clock::{iso8601, Millis};
use crate::iam::{ManagedPolicy, PolicyVersion};
use crate::ids::IAM_ID_ALPHABET;

/// A managed policy may hold this many characters, whitespace aside.
const POLICY_SIZE: usize = 6144;
/// How many versions a managed policy may have.
const VERSIONS: usize = 5;
/// How many customer managed policies an account may have.
const POLICIES_PER_ACCOUNT: usize = 1500;
/// How many managed policies a role may have attached.
const POLICIES_PER_ROLE: usize = 10;

/// Which members a policy's JSON has.
#[derive(Clone, Copy, PartialEq, Eq)]
enum PolicyView {
    /// CreatePolicy: tags, no description.
    Created,
    /// GetPolicy: description and tags.
    Full,
    /// ListPolicies: neither.
    Listed,
}

fn policy_json(iam: &Iam, policy: Managed, view: PolicyView) -> Value {
    let (name, id, arn, path, default, create, update, description, tags) = match policy {
        Managed::Aws(p) => (
            p.name.as_str(),
            p.id.as_str(),
            p.arn.as_str(),
            p.path.as_str(),
            p.default_version.clone(),
            p.create_date.clone(),
            p.update_date.clone(),
            None,
            &[][..],
        ),
        Managed::Local(p) => (
            p.name.as_str(),
            p.id.as_str(),
            p.arn.as_str(),
            p.path.as_str(),
            format!("v{}", p.default_version),
            iso8601(p.created_ms),
            iso8601(p.updated_ms),
            p.description.as_deref(),
            p.tags.as_slice(),
        ),
    };
    let mut out = Map::new();
    out.insert("PolicyName".into(), json!(name));
    out.insert("PolicyId".into(), json!(id));
    out.insert("Arn".into(), json!(arn));
    out.insert("Path".into(), json!(path));
    out.insert("DefaultVersionId".into(), json!(default));
    out.insert("AttachmentCount".into(), json!(attachment_count(iam, arn)));
    out.insert("PermissionsBoundaryUsageCount".into(), json!(0));
    out.insert("IsAttachable".into(), json!(true));
    if view == PolicyView::Full {
        if let Some(description) = description {
            out.insert("Description".into(), json!(description));
        }
    }
    out.insert("CreateDate".into(), json!(create));
    out.insert("UpdateDate".into(), json!(update));
    if view != PolicyView::Listed && !tags.is_empty() {
        out.insert("Tags".into(), tags_json(tags));
    }
    Value::Object(out)
}

fn not_found(arn: &str) -> AwsError {
    no_such_entity(format!("Policy {arn} was not found."))
}

/// The policy `arn`, or IAM's `NoSuchEntity`.
fn existing<'a>(iam: &'a Iam, arn: &str) -> Result<Managed<'a>, AwsError> {
    find_policy(iam, arn).ok_or_else(|| not_found(arn))
}

/// The account's own policy `arn`; AWS's are read-only.
fn own<'a>(iam: &'a Iam, arn: &str) -> Result<&'a ManagedPolicy, AwsError> {
    match existing(iam, arn)? {
        Managed::Local(policy) => Ok(policy),
        Managed::Aws(_) => Err(invalid_input(format!(
            "The policy {arn} is an AWS managed policy, which cannot be deleted or changed."
        ))),
    }
}

fn own_mut<'a>(iam: &'a mut Iam, arn: &str) -> &'a mut ManagedPolicy {
    iam.policies.values_mut().find(|p| p.arn == arn).expect("checked")
}

/// The size quota of a managed policy's document.
fn within_size(text: &str) -> Result<(), AwsError> {
    if policy::size_without_whitespace(text) > POLICY_SIZE {
        return Err(limit_exceeded(format!("Cannot exceed quota for PolicySize: {POLICY_SIZE}")));
    }
    Ok(())
}

pub(super) fn create_policy(iam: &mut Iam, ctx: &mut Ctx<Job>, request: &Value) -> Result<Value, AwsError> {
    let r = wire::object_with(request, &["PolicyName", "Path", "PolicyDocument", "Description", "Tags"])?;
    let name = super::name(r, "PolicyName", "policyName", 128)?;
    let path = policy_path(r, "Path")?.unwrap_or_else(|| "/".to_string());
    let text = document(r, "PolicyDocument")?;
    let description = bounded(r, "Description", "description", 1000)?.map(str::to_string);
    let tags = tags(r, "Tags")?;
    identity_policy(text)?;
    within_size(text)?;
    if iam.policies.contains_key(&name.to_lowercase()) {
        return Err(already_exists(format!("A policy called {name} already exists. Duplicate names are not allowed.")));
    }
    if iam.policies.len() >= POLICIES_PER_ACCOUNT {
        return Err(limit_exceeded(format!("Cannot exceed quota for PoliciesPerAccount: {POLICIES_PER_ACCOUNT}")));
    }
    let policy = ManagedPolicy {
        name: name.to_string(),
        arn: format!("arn:aws:iam::{}:policy{path}{name}", ctx.account.id),
        path,
        id: format!("ANPA{}", ctx.ids.string_from(IAM_ID_ALPHABET, 17)),
        description,
        created_ms: ctx.now_ms,
        updated_ms: ctx.now_ms,
        tags,
        versions: vec![PolicyVersion { number: 1, document: text.to_string(), created_ms: ctx.now_ms }],
        default_version: 1,
        next_version: 2,
    };
    let answer = json!({ "Policy": policy_json(iam, Managed::Local(&policy), PolicyView::Created) });
    iam.policies.insert(name.to_lowercase(), policy);
    Ok(answer)
}

pub(super) fn get_policy(iam: &Iam, request: &Value) -> Result<Value, AwsError> {
    let r = wire::object_with(request, &["PolicyArn"])?;
    let arn = policy_arn(r, "PolicyArn")?;
    Ok(json!({ "Policy": policy_json(iam, existing(iam, arn)?, PolicyView::Full) }))
}

pub(super) fn delete_policy(iam: &mut Iam, request: &Value) -> Result<Value, AwsError> {
    let r = wire::object_with(request, &["PolicyArn"])?;
    let arn = policy_arn(r, "PolicyArn")?;
    let policy = own(iam, arn)?;
    if attachment_count(iam, arn) > 0 {
        return Err(delete_conflict("Cannot delete a policy attached to entities."));
    }
    if policy.versions.len() > 1 {
        return Err(delete_conflict(
            "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
        ));
    }
    let key = policy.name.to_lowercase();
    iam.policies.remove(&key);
    Ok(json!({}))
}

pub(super) fn list_policies(iam: &Iam, request: &Value) -> Result<Value, AwsError> {
    let r = wire::object_with(
        request,
        &["Scope", "OnlyAttached", "PathPrefix", "PolicyUsageFilter", "Marker", "MaxItems"],
    )?;
    let scope = match wire::string(r, "Scope")? {
        None | Some("All") => (true, true),
        Some("AWS") => (true, false),
        Some("Local") => (false, true),
        Some(other) => {
            return Err(constraint(other, "scope", "Member must satisfy enum value set: [All, AWS, Local]"));
        }
    };
    let only_attached = wire::boolean(r, "OnlyAttached")?.unwrap_or(false);
    let prefix = policy_path(r, "PathPrefix")?.unwrap_or_else(|| "/".to_string());
    let usage = wire::string(r, "PolicyUsageFilter")?;
    if let Some(usage) = usage.filter(|u| !matches!(*u, "PermissionsPolicy" | "PermissionsBoundary")) {
        return Err(constraint(
            usage,
            "policyUsageFilter",
            "Member must satisfy enum value set: [PermissionsPolicy, PermissionsBoundary]",
        ));
    }
    let paging = Paging::read(r)?;
    let mut all: Vec<Managed> = Vec::new();
    if scope.0 {
        all.extend(managed::all().iter().map(Managed::Aws));
    }
    if scope.1 {
        all.extend(iam.policies.values().map(Managed::Local));
    }
    let arn = |p: &Managed| match p {
        Managed::Aws(p) => p.arn.clone(),
        Managed::Local(p) => p.arn.clone(),
    };
    let path = |p: &Managed| match p {
        Managed::Aws(p) => p.path.clone(),
        Managed::Local(p) => p.path.clone(),
    };
    // No role here has a permissions boundary, so that filter leaves nothing.
    let boundary = usage == Some("PermissionsBoundary");
    let items = all
        .into_iter()
        .filter(|p| !boundary && path(p).starts_with(&prefix))
        .filter(|p| !only_attached || attachment_count(iam, &arn(p)) > 0)
        .map(|p| policy_json(iam, p, PolicyView::Listed))
        .collect();
    Ok(paging.page("Policies", items))
}

/// `VersionId`: `v` and a number (`v1`, `v2`), as IAM's pattern has it.
fn version_id(r: &Map<String, Value>) -> Result<&str, AwsError> {
    let id = wire::required(r, "VersionId")?;
    let valid = id.strip_prefix('v').is_some_and(|rest| {
        let (number, suffix) = rest.split_once('.').unwrap_or((rest, ""));
        number.starts_with(|c: char| ('1'..='9').contains(&c))
            && number.bytes().all(|b| b.is_ascii_digit())
            && suffix.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    });
    if !valid {
        return Err(constraint(
            id,
            "versionId",
            r"Member must satisfy regular expression pattern: v[1-9][0-9]*(\.[A-Za-z0-9-]*)?",
        ));
    }
    Ok(id)
}

fn no_such_version(arn: &str, id: &str) -> AwsError {
    no_such_entity(format!("Policy {arn} version {id} does not exist or is not attachable."))
}

fn version_json(number: String, default: bool, created: String, document: Option<&str>) -> Value {
    let mut out = Map::new();
    if let Some(document) = document {
        out.insert("Document".into(), json!(url_encoded(document)));
    }
    out.insert("VersionId".into(), json!(number));
    out.insert("IsDefaultVersion".into(), json!(default));
    out.insert("CreateDate".into(), json!(created));
    Value::Object(out)
}

pub(super) fn create_policy_version(iam: &mut Iam, now_ms: Millis, request: &Value) -> Result<Value, AwsError> {
    let r = wire::object_with(request, &["PolicyArn", "PolicyDocument", "SetAsDefault"])?;
    let arn = policy_arn(r, "PolicyArn")?;
    let text = document(r, "PolicyDocument")?;
    let set_as_default = wire::boolean(r, "SetAsDefault")?.unwrap_or(false);
    let policy = own(iam, arn)?;
    identity_policy(text)?;
    within_size(text)?;
    if policy.versions.len() >= VERSIONS {
        return Err(limit_exceeded(
            "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.",
        ));
    }
    let policy = own_mut(iam, arn);
    let number = policy.next_version;
    policy.next_version += 1;
    policy.versions.push(PolicyVersion { number, document: text.to_string(), created_ms: now_ms });
    if set_as_default {
        policy.default_version = number;
        policy.updated_ms = now_ms;
    }
    Ok(json!({ "PolicyVersion": version_json(format!("v{number}"), set_as_default, iso8601(now_ms), None) }))
}

pub(super) fn get_policy_version(iam: &Iam, request: &Value) -> Result<Value, AwsError> {
    let r = wire::object_with(request, &["PolicyArn", "VersionId"])?;
    let arn = policy_arn(r, "PolicyArn")?;
    let id = version_id(r)?;
    let version = match find_policy(iam, arn).ok_or_else(|| no_such_version(arn, id))? {
        Managed::Aws(p) if p.default_version == id => {
            version_json(id.to_string(), true, p.create_date.clone(), Some(&p.document))
        }
        Managed::Aws(_) => return Err(no_such_version(arn, id)),
        Managed::Local(p) => {
            let v =
                p.versions.iter().find(|v| format!("v{}", v.number) == id).ok_or_else(|| no_such_version(arn, id))?;
            version_json(id.to_string(), v.number == p.default_version, iso8601(v.created_ms), Some(&v.document))
        }
    };
    Ok(json!({ "PolicyVersion": version }))
}

pub(super) fn list_policy_versions(iam: &Iam, request: &Value) -> Result<Value, AwsError> {
    let r = wire::object_with(request, &["PolicyArn", "Marker", "MaxItems"])?;
    let arn = policy_arn(r, "PolicyArn")?;
    let paging = Paging::read(r)?;
    let versions = match existing(iam, arn)? {
        Managed::Aws(p) => vec![version_json(p.default_version.clone(), true, p.create_date.clone(), None)],
        // Newest first.
        Managed::Local(p) => p
            .versions
            .iter()
            .rev()
            .map(|v| version_json(format!("v{}", v.number), v.number == p.default_version, iso8601(v.created_ms), None))
            .collect(),
    };
    Ok(paging.page("Versions", versions))
}

/// The input of DeletePolicyVersion and SetDefaultPolicyVersion, checked: the account's policy
/// and the number of one of its versions.
fn own_version(iam: &Iam, request: &Value) -> Result<(String, u32, bool), AwsError> {
    let r = wire::object_with(request, &["PolicyArn", "VersionId"])?;
    let arn = policy_arn(r, "PolicyArn")?;
    let id = version_id(r)?;
    let policy = own(iam, arn)?;
    let version =
        policy.versions.iter().find(|v| format!("v{}", v.number) == id).ok_or_else(|| no_such_version(arn, id))?;
    Ok((arn.to_string(), version.number, version.number == policy.default_version))
}

pub(super) fn delete_policy_version(iam: &mut Iam, request: &Value) -> Result<Value, AwsError> {
    let (arn, number, default) = own_version(iam, request)?;
    if default {
        return Err(delete_conflict("Cannot delete the default version of a policy."));
    }
    own_mut(iam, &arn).versions.retain(|v| v.number != number);
    Ok(json!({}))
}

pub(super) fn set_default_policy_version(iam: &mut Iam, now_ms: Millis, request: &Value) -> Result<Value, AwsError> {
    let (arn, number, _) = own_version(iam, request)?;
    let policy = own_mut(iam, &arn);
    policy.default_version = number;
    policy.updated_ms = now_ms;
    Ok(json!({}))
}

/// The input of AttachRolePolicy and DetachRolePolicy.
fn role_and_arn(request: &Value) -> Result<(&str, &str), AwsError> {
    let r = wire::object_with(request, &["RoleName", "PolicyArn"])?;
    Ok((super::name(r, "RoleName", "roleName", 64)?, policy_arn(r, "PolicyArn")?))
}

pub(super) fn attach_role_policy(iam: &mut Iam, request: &Value) -> Result<Value, AwsError> {
    let (name, arn) = role_and_arn(request)?;
    let role = role(iam, name)?;
    if find_policy(iam, arn).is_none() {
        return Err(no_such_entity(format!("Policy {arn} does not exist or is not attachable.")));
    }
    if role.attached.iter().any(|a| a == arn) {
        return Ok(json!({}));
    }
    if role.attached.len() >= POLICIES_PER_ROLE {
        return Err(limit_exceeded(format!("Cannot exceed quota for PoliciesPerRole: {POLICIES_PER_ROLE}")));
    }
    iam.roles.get_mut(&name.to_lowercase()).expect("checked").attached.push(arn.to_string());
    Ok(json!({}))
}

pub(super) fn detach_role_policy(iam: &mut Iam, request: &Value) -> Result<Value, AwsError> {
    let (name, arn) = role_and_arn(request)?;
    if !role(iam, name)?.attached.iter().any(|a| a == arn) {
        return Err(not_found(arn));
    }
    iam.roles.get_mut(&name.to_lowercase()).expect("checked").attached.retain(|a| a != arn);
    Ok(json!({}))
}

pub(super) fn list_attached_role_policies(iam: &Iam, request: &Value) -> Result<Value, AwsError> {
    let r = wire::object_with(request, &["RoleName", "PathPrefix", "Marker", "MaxItems"])?;
    let name = super::name(r, "RoleName", "roleName", 64)?;
    let prefix = policy_path(r, "PathPrefix")?.unwrap_or_else(|| "/".to_string());
    let paging = Paging::read(r)?;
    let role = role(iam, name)?;
    let attached = role
        .attached
        .iter()
        .filter_map(|arn| match find_policy(iam, arn)? {
            Managed::Aws(p) => Some((p.name.clone(), p.path.clone(), arn)),
            Managed::Local(p) => Some((p.name.clone(), p.path.clone(), arn)),
        })
        .filter(|(_, path, _)| path.starts_with(&prefix))
        .map(|(name, _, arn)| json!({"PolicyName": name, "PolicyArn": arn}))
        .collect();
    Ok(paging.page("AttachedPolicies", attached))
}

pub(super) fn list_entities_for_policy(iam: &Iam, request: &Value) -> Result<Value, AwsError> {
    let r = wire::object_with(
        request,
        &["PolicyArn", "EntityFilter", "PathPrefix", "PolicyUsageFilter", "Marker", "MaxItems"],
    )?;
    let arn = policy_arn(r, "PolicyArn")?;
    let filter = wire::string(r, "EntityFilter")?;
    if let Some(f) =
        filter.filter(|f| !matches!(*f, "User" | "Role" | "Group" | "LocalManagedPolicy" | "AWSManagedPolicy"))
    {
        return Err(constraint(
            f,
            "entityFilter",
            "Member must satisfy enum value set: [User, Role, Group, LocalManagedPolicy, AWSManagedPolicy]",
        ));
    }
    let prefix = role_path_prefix(r)?;
    if let Some(usage) =
        wire::string(r, "PolicyUsageFilter")?.filter(|u| !matches!(*u, "PermissionsPolicy" | "PermissionsBoundary"))
    {
        return Err(constraint(
            usage,
            "policyUsageFilter",
            "Member must satisfy enum value set: [PermissionsPolicy, PermissionsBoundary]",
        ));
    }
    let boundary = wire::string(r, "PolicyUsageFilter")? == Some("PermissionsBoundary");
    let paging = Paging::read(r)?;
    existing(iam, arn)?;
    let roles: Vec<Value> = if filter.is_none_or(|f| f == "Role") && !boundary {
        iam.roles
            .values()
            .filter(|role| role.attached.iter().any(|a| a == arn) && role.path.starts_with(&prefix))
            .map(|role| json!({"RoleName": role.name, "RoleId": role.id}))
            .collect()
    } else {
        Vec::new()
    };
    let mut out = paging.page("PolicyRoles", roles);
    out["PolicyGroups"] = json!([]);
    out["PolicyUsers"] = json!([]);
    Ok(out)
}

/// ListEntitiesForPolicy's `PathPrefix`, a path of the entities listed.
fn role_path_prefix(r: &Map<String, Value>) -> Result<String, AwsError> {
    match wire::string(r, "PathPrefix")? {
        None => Ok("/".to_string()),
        Some(_) => role_path(r, "PathPrefix"),
    }
}
