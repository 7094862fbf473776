//! Secrets Manager's wire edge (AWS JSON 1.1): each operation reads its request, checks it against
//! the secrets, then commits; errors carry Secrets Manager's codes and messages.
//!
//! One file per group of operations (`secrets.rs` writes, `reads.rs` reads, `tags.rs`); this one
//! dispatches and holds what they share: finding a secret by name or ARN, and reading secret
//! values, tokens and tags.

use super::secret::{Secret, SecretValue, Version, CURRENT};
use super::{Ctx, Job, SecretsManager};
use crate::error::AwsError;
use crate::service::View;
use crate::wire::{self, array, object_with, required, string};
use serde_json::{json, Map, Value};

mod reads;
mod secrets;
mod tags;

/// The operations this simulator implements, in the API reference's order.
pub const ACTIONS: &[&str] = &[
    "CreateSecret",
    "DeleteSecret",
    "DescribeSecret",
    "GetSecretValue",
    "ListSecretVersionIds",
    "ListSecrets",
    "PutSecretValue",
    "RestoreSecret",
    "TagResource",
    "UntagResource",
    "UpdateSecret",
];

/// Secrets Manager's other operations: refused as a simulator limitation, not as unknown.
const NOT_YET: &[&str] = &[
    "BatchGetSecretValue",
    "CancelRotateSecret",
    "DeleteResourcePolicy",
    "GetRandomPassword",
    "GetResourcePolicy",
    "PutResourcePolicy",
    "RemoveRegionsFromReplication",
    "ReplicateSecretToRegions",
    "RotateSecret",
    "StopReplicationToReplica",
    "UpdateSecretVersionStage",
    "ValidateResourcePolicy",
];

/// The operations that only read. GetSecretValue is one (CloudTrail counts it as a read); run by
/// a check or a console it leaves LastAccessedDate alone.
pub const READ_ONLY: &[&str] = &["DescribeSecret", "GetSecretValue", "ListSecretVersionIds", "ListSecrets"];

type Request<'a> = &'a Map<String, Value>;

pub(super) fn call(sm: &mut SecretsManager, ctx: &mut Ctx, action: &str, request: &Value) -> Result<Value, AwsError> {
    let view = View { now_ms: ctx.now_ms, account: ctx.account };
    match action {
        "CreateSecret" => secrets::create_secret(sm, ctx, request),
        "DeleteSecret" => secrets::delete_secret(sm, ctx, request),
        "GetSecretValue" => reads::get_secret_value(sm, ctx.now_ms, request),
        "PutSecretValue" => secrets::put_secret_value(sm, ctx, request),
        "RestoreSecret" => secrets::restore_secret(sm, ctx, request),
        "TagResource" => tags::tag_resource(sm, ctx, request),
        "UntagResource" => tags::untag_resource(sm, ctx, request),
        "UpdateSecret" => secrets::update_secret(sm, ctx, request),
        _ => read(sm, view, action, request),
    }
}

/// A read-only operation, run without changing anything.
pub(super) fn read(sm: &SecretsManager, view: View, action: &str, request: &Value) -> Result<Value, AwsError> {
    match action {
        "DescribeSecret" => reads::describe_secret(sm, request),
        "GetSecretValue" => reads::peek_secret_value(sm, request),
        "ListSecretVersionIds" => reads::list_secret_version_ids(sm, request),
        "ListSecrets" => reads::list_secrets(sm, view, request),
        _ => Err(wire::unknown_operation(action, NOT_YET)),
    }
}

fn not_found() -> AwsError {
    AwsError::client("ResourceNotFoundException", "Secrets Manager can't find the specified secret.")
}

fn marked_for_deletion() -> AwsError {
    AwsError::client(
        "InvalidRequestException",
        "You can't perform this operation on the secret because it was marked for deletion.",
    )
}

fn invalid_parameter(message: impl Into<String>) -> AwsError {
    AwsError::client("InvalidParameterException", message)
}

/// Secrets Manager's model validation (ValidationException, `1 validation error detected: ...`).
fn constraint(value: Option<&str>, member: &str, rule: &str) -> AwsError {
    wire::constraint("ValidationException", value, member, rule)
}

fn longer_than(max: usize) -> String {
    format!("Member must have length less than or equal to {max}")
}

/// A secret name may hold ASCII letters, digits and `/_+=.@-`.
fn check_name(name: &str) -> Result<(), AwsError> {
    if name.bytes().all(|b| b.is_ascii_alphanumeric() || b"/_+=.@-".contains(&b)) {
        return Ok(());
    }
    Err(AwsError::client(
        "ValidationException",
        "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!",
    ))
}

/// SecretId: a name, a full ARN, or a partial ARN (the ARN without its `-XXXXXX` suffix).
fn secret_id(r: Request) -> Result<String, AwsError> {
    let id = required(r, "SecretId")?;
    wire::min_length(id, "SecretId", 1)?;
    if id.chars().count() > 2048 {
        return Err(constraint(Some(id), "secretId", &longer_than(2048)));
    }
    if !id.starts_with("arn:") {
        check_name(id)?;
    }
    Ok(id.to_string())
}

/// The secret `id` names. An ARN whose last part ends in a hyphen and six characters is read as a
/// full ARN, as AWS reads it (so a name that itself ends that way is found by its full ARN only).
pub(super) fn find<'a>(sm: &'a SecretsManager, id: &str) -> Result<&'a Secret, AwsError> {
    let found = if id.starts_with("arn:") {
        id.split_once(":secret:").and_then(|(_, last)| {
            let suffixed = last.len() > 7
                && last.as_bytes()[last.len() - 7] == b'-'
                && last[last.len() - 6..].bytes().all(|b| b.is_ascii_alphanumeric());
            sm.secrets.values().find(|s| if suffixed { s.arn == id } else { s.partial_arn() == id })
        })
    } else {
        sm.secrets.get(id)
    };
    found.ok_or_else(not_found)
}

/// The secret `id` names, which must not be scheduled for deletion.
fn find_live<'a>(sm: &'a SecretsManager, id: &str) -> Result<&'a Secret, AwsError> {
    let secret = find(sm, id)?;
    match secret.deletion {
        Some(_) => Err(marked_for_deletion()),
        None => Ok(secret),
    }
}

/// ClientRequestToken, if given: 32 to 64 characters. When it is left out the SDKs and the CLI
/// send a new UUID, which a commit draws from the world's ids.
fn client_token(r: Request) -> Result<Option<String>, AwsError> {
    let Some(token) = string(r, "ClientRequestToken")? else { return Ok(None) };
    wire::min_length(token, "ClientRequestToken", 32)?;
    if token.chars().count() > 64 {
        return Err(constraint(Some(token), "clientRequestToken", &longer_than(64)));
    }
    Ok(Some(token.to_string()))
}

/// SecretString or SecretBinary (base64 on the wire), not both.
fn secret_value(r: Request) -> Result<Option<SecretValue>, AwsError> {
    let text = string(r, "SecretString")?;
    let binary = string(r, "SecretBinary")?;
    if text.is_some() && binary.is_some() {
        return Err(invalid_parameter(
            "You can't specify both a binary secret value and a string secret value in the same secret.",
        ));
    }
    if let Some(text) = text {
        wire::min_length(text, "SecretString", 1)?;
        if text.len() > 65_536 {
            return Err(constraint(None, "secretString", &longer_than(65_536)));
        }
        return Ok(Some(SecretValue::String(text.to_string())));
    }
    let Some(base64) = binary else { return Ok(None) };
    let bytes = base64_length(base64).ok_or_else(|| {
        AwsError::client(
            "SerializationException",
            format!("Base64 encoded length is expected a multiple of 4 bytes but found: {}", base64.len()),
        )
    })?;
    if bytes == 0 {
        wire::min_length("", "SecretBinary", 1)?;
    }
    if bytes > 65_536 {
        return Err(constraint(None, "secretBinary", &longer_than(65_536)));
    }
    Ok(Some(SecretValue::Binary(base64.to_string())))
}

/// How many bytes a base64 text decodes to, if it is base64 (standard alphabet, padded).
fn base64_length(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    if !bytes.len().is_multiple_of(4) {
        return None;
    }
    let pad = bytes.iter().rev().take_while(|&&b| b == b'=').count();
    let body = &bytes[..bytes.len() - pad];
    let alphabet = |b: &u8| b.is_ascii_alphanumeric() || *b == b'+' || *b == b'/';
    (pad <= 2 && body.iter().all(alphabet)).then_some(bytes.len() / 4 * 3 - pad)
}

/// Description, at most 2048 characters.
fn description(r: Request) -> Result<Option<String>, AwsError> {
    let Some(text) = string(r, "Description")? else { return Ok(None) };
    if text.chars().count() > 2048 {
        return Err(constraint(Some(text), "description", &longer_than(2048)));
    }
    Ok(Some(text.to_string()))
}

/// KmsKeyId, at most 2048 characters.
fn kms_key_id(r: Request) -> Result<Option<String>, AwsError> {
    let Some(key) = string(r, "KmsKeyId")? else { return Ok(None) };
    if key.chars().count() > 2048 {
        return Err(constraint(Some(key), "kmsKeyId", &longer_than(2048)));
    }
    Ok(Some(key.to_string()))
}

/// A Tags list: `[{"Key": ..., "Value": ...}]`, keys of 1 to 128 characters, values up to 256.
fn read_tags(value: &Value) -> Result<Vec<(String, String)>, AwsError> {
    let mut tags: Vec<(String, String)> = Vec::new();
    for (at, entry) in array(value, "Tags")?.iter().enumerate() {
        let tag = object_with(entry, &["Key", "Value"])?;
        let key = string(tag, "Key")?.unwrap_or_default();
        let text = string(tag, "Value")?.unwrap_or_default();
        wire::min_length(key, &format!("Tags[{at}].Key"), 1)?;
        let member = |part: &str| format!("tags.{}.member.{part}", at + 1);
        if key.chars().count() > 128 {
            return Err(constraint(Some(key), &member("key"), &longer_than(128)));
        }
        if text.chars().count() > 256 {
            return Err(constraint(Some(text), &member("value"), &longer_than(256)));
        }
        match tags.iter_mut().find(|(k, _)| k == key) {
            Some(existing) => existing.1 = text.to_string(),
            None => tags.push((key.to_string(), text.to_string())),
        }
    }
    Ok(tags)
}

/// What a new version would be, judged against the secret it goes into: a version already made
/// with the same token and value is the same request again (nothing to add); the same token
/// with another value is refused.
fn version_plan(secret: Option<&Secret>, token: Option<&str>, value: &SecretValue) -> Result<bool, AwsError> {
    let Some(existing) = token.and_then(|t| secret.and_then(|s| s.version(t))) else { return Ok(true) };
    if existing.value == *value {
        return Ok(false);
    }
    let arn = secret.map_or("", |s| s.arn.as_str());
    Err(AwsError::client(
        "ResourceExistsException",
        format!(
            "You can't use ClientRequestToken {} because that value is already in use for a version of secret {arn}.",
            existing.id
        ),
    ))
}

/// A new version with `stages`, its id the token or a fresh UUID.
fn new_version(ctx: &mut Ctx, token: Option<String>, value: SecretValue, stages: Vec<String>) -> Version {
    Version {
        id: token.unwrap_or_else(|| ctx.ids.uuid()),
        value,
        stages,
        created_ms: ctx.now_ms,
        last_accessed_day_ms: None,
    }
}

/// The default labels of a new version.
fn current() -> Vec<String> {
    vec![CURRENT.to_string()]
}

/// An instant as Secrets Manager's timestamps are sent: epoch seconds.
fn seconds(ms: u64) -> Value {
    json!(ms as f64 / 1000.0)
}

/// `{"ARN", "Name"}`, the start of most answers.
fn arn_and_name(secret: &Secret) -> Map<String, Value> {
    let mut out = Map::new();
    out.insert("ARN".into(), json!(secret.arn));
    out.insert("Name".into(), json!(secret.name));
    out
}

/// MaxResults and NextToken of the List operations: where a page starts and how long it is.
struct Paging {
    /// The index of the first entry of the page.
    start: usize,
    /// MaxResults (1 to 100); 100 unless said.
    size: usize,
}

impl Paging {
    fn parse(r: Request) -> Result<Paging, AwsError> {
        let size = wire::integer(r, "MaxResults")?.unwrap_or(100);
        wire::min_value(size, "MaxResults", 1)?;
        if size > 100 {
            return Err(constraint(
                Some(&size.to_string()),
                "maxResults",
                "Member must have value less than or equal to 100",
            ));
        }
        let start = match string(r, "NextToken")? {
            None => 0,
            Some(token) => {
                wire::min_length(token, "NextToken", 1)?;
                wire::read_page_token(token)
                    .and_then(|t| t.parse().ok())
                    .ok_or_else(|| AwsError::client("InvalidNextTokenException", "The NextToken value is invalid."))?
            }
        };
        Ok(Paging { start, size: size as usize })
    }

    /// This page of `entries`, and the NextToken of the next page if there is one.
    fn page<T>(&self, entries: Vec<T>) -> (Vec<T>, Option<String>) {
        let total = entries.len();
        let page: Vec<T> = entries.into_iter().skip(self.start).take(self.size).collect();
        let next = self.start + page.len();
        (page, (next < total).then(|| wire::page_token(&next.to_string())))
    }
}
