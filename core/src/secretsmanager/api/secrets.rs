//! CreateSecret, PutSecretValue, UpdateSecret, DeleteSecret, RestoreSecret: the operations that
//! make secrets and versions, and schedule or cancel deletions.
//!
//! Each is a typed input: `parse` reads the request and nothing else; `check` looks at the
//! secrets through `&SecretsManager` and can fail, returning what to change; `commit` takes
//! `&mut SecretsManager` and cannot fail. A failed request has changed nothing, by construction.

use super::*;
use crate::clock::Millis;
use crate::secretsmanager::secret::{Deletion, DAY_MS};
use crate::wire::{boolean, integer};

/// Members this simulator does not implement: refused out loud, never ignored.
fn refuse_unsupported(r: Request, members: &[&str]) -> Result<(), AwsError> {
    match members.iter().find(|m| r.get(**m).is_some_and(|v| !v.is_null())) {
        Some(member) => Err(AwsError::client(
            "SimulatorLimitation",
            format!("The simulator does not support {member} yet; see docs/differences.md."),
        )),
        None => Ok(()),
    }
}

/// CreateSecret's input.
struct CreateSecret {
    /// Name: unique in the region, ASCII letters, digits and `/_+=.@-`.
    name: String,
    /// ClientRequestToken: the first version's id.
    token: Option<String>,
    description: Option<String>,
    kms_key_id: Option<String>,
    /// SecretString or SecretBinary; a secret may be created without a value (and no version).
    value: Option<SecretValue>,
    /// Tags, if given (an empty list is kept, and shown).
    tags: Option<Vec<(String, String)>>,
}

/// What a write does: something new, or the same request again (a retry with the same
/// ClientRequestToken and value), which answers as the first one did.
enum Plan<T> {
    Change(T),
    Repeat(Value),
}

impl CreateSecret {
    fn parse(request: &Value) -> Result<CreateSecret, AwsError> {
        let r = object_with(
            request,
            &[
                "Name",
                "ClientRequestToken",
                "Description",
                "KmsKeyId",
                "SecretBinary",
                "SecretString",
                "Tags",
                "AddReplicaRegions",
                "ForceOverwriteReplicaSecret",
                "Type",
            ],
        )?;
        let name = required(r, "Name")?;
        wire::min_length(name, "Name", 1)?;
        if name.chars().count() > 512 {
            return Err(constraint(Some(name), "name", &longer_than(512)));
        }
        check_name(name)?;
        refuse_unsupported(r, &["AddReplicaRegions", "Type"])?;
        boolean(r, "ForceOverwriteReplicaSecret")?;
        let tags = r.get("Tags").filter(|v| !v.is_null()).map(read_tags).transpose()?;
        Ok(CreateSecret {
            name: name.to_string(),
            token: client_token(r)?,
            description: description(r)?,
            kms_key_id: kms_key_id(r)?,
            value: secret_value(r)?,
            tags,
        })
    }

    /// The name must be free; a secret of that name scheduled for deletion still holds it.
    fn check(self, sm: &SecretsManager) -> Result<Plan<CreateSecret>, AwsError> {
        let Some(existing) = sm.secrets.get(&self.name) else { return Ok(Plan::Change(self)) };
        if existing.deletion.is_some() {
            return Err(AwsError::client(
                "InvalidRequestException",
                "You can't create this secret because a secret with this name is already scheduled for deletion.",
            ));
        }
        if let (Some(token), Some(value)) = (&self.token, &self.value) {
            if existing.version(token).is_some() && !version_plan(Some(existing), Some(token), value)? {
                let mut answer = arn_and_name(existing);
                answer.insert("VersionId".into(), json!(token));
                return Ok(Plan::Repeat(Value::Object(answer)));
            }
        }
        Err(AwsError::client(
            "ResourceExistsException",
            format!("The operation failed because the secret {} already exists.", self.name),
        ))
    }

    fn commit(self, sm: &mut SecretsManager, ctx: &mut Ctx) -> Value {
        let CreateSecret { name, token, description, kms_key_id, value, tags } = self;
        let suffix = ctx.ids.string_from(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 6);
        let arn = format!("arn:aws:secretsmanager:{}:{}:secret:{name}-{suffix}", ctx.account.region, ctx.account.id);
        let mut secret = Secret {
            name: name.clone(),
            arn,
            description,
            kms_key_id,
            tags,
            created_ms: ctx.now_ms,
            last_changed_ms: ctx.now_ms,
            last_accessed_day_ms: None,
            deletion: None,
            versions: Vec::new(),
        };
        let mut answer = arn_and_name(&secret);
        if let Some(value) = value {
            let version = new_version(ctx, token, value, current());
            answer.insert("VersionId".into(), json!(version.id));
            secret.add_version(version);
        }
        sm.secrets.insert(name, secret);
        Value::Object(answer)
    }
}

pub(super) fn create_secret(sm: &mut SecretsManager, ctx: &mut Ctx, request: &Value) -> Result<Value, AwsError> {
    Ok(match CreateSecret::parse(request)?.check(sm)? {
        Plan::Change(input) => input.commit(sm, ctx),
        Plan::Repeat(answer) => answer,
    })
}

/// PutSecretValue's input.
struct PutSecretValue {
    id: String,
    token: Option<String>,
    value: SecretValue,
    /// VersionStages: the labels of the new version (AWSCURRENT unless said).
    stages: Vec<String>,
}

/// A new version checked against its secret.
struct NewVersion<T> {
    input: T,
    /// The secret's name (its key in the state).
    name: String,
}

impl PutSecretValue {
    fn parse(request: &Value) -> Result<PutSecretValue, AwsError> {
        let r = object_with(
            request,
            &["SecretId", "ClientRequestToken", "SecretBinary", "SecretString", "VersionStages", "RotationToken"],
        )?;
        let id = secret_id(r)?;
        refuse_unsupported(r, &["RotationToken"])?;
        let token = client_token(r)?;
        let value = secret_value(r)?.ok_or_else(|| {
            AwsError::client("InvalidRequestException", "You must provide either SecretString or SecretBinary.")
        })?;
        let stages = match r.get("VersionStages").filter(|v| !v.is_null()) {
            None => current(),
            Some(list) => {
                let list = array(list, "VersionStages")?;
                wire::min_items(list.len(), "VersionStages", 1)?;
                if list.len() > 20 {
                    return Err(constraint(None, "versionStages", &longer_than(20)));
                }
                let mut stages: Vec<String> = Vec::new();
                for (at, stage) in list.iter().enumerate() {
                    let path = format!("VersionStages[{at}]");
                    let stage = stage.as_str().ok_or_else(|| wire::invalid_type(&path, stage, "string"))?;
                    wire::min_length(stage, &path, 1)?;
                    if stage.chars().count() > 256 {
                        return Err(constraint(
                            Some(stage),
                            &format!("versionStages.{}.member", at + 1),
                            &longer_than(256),
                        ));
                    }
                    if !stages.iter().any(|s| s == stage) {
                        stages.push(stage.to_string());
                    }
                }
                stages
            }
        };
        Ok(PutSecretValue { id, token, value, stages })
    }

    fn check(self, sm: &SecretsManager) -> Result<Plan<NewVersion<PutSecretValue>>, AwsError> {
        let secret = find_live(sm, &self.id)?;
        if !version_plan(Some(secret), self.token.as_deref(), &self.value)? {
            let version = secret.version(self.token.as_deref().unwrap_or_default()).expect("planned as a repeat");
            return Ok(Plan::Repeat(put_answer(secret, version)));
        }
        Ok(Plan::Change(NewVersion { name: secret.name.clone(), input: self }))
    }
}

/// PutSecretValue's answer about `version` of `secret`.
fn put_answer(secret: &Secret, version: &Version) -> Value {
    let mut answer = arn_and_name(secret);
    answer.insert("VersionId".into(), json!(version.id));
    answer.insert("VersionStages".into(), json!(version.stages));
    Value::Object(answer)
}

impl NewVersion<PutSecretValue> {
    fn commit(self, sm: &mut SecretsManager, ctx: &mut Ctx) -> Value {
        let PutSecretValue { token, value, stages, .. } = self.input;
        let version = new_version(ctx, token, value, stages);
        let id = version.id.clone();
        let secret = sm.secrets.get_mut(&self.name).expect("checked");
        secret.add_version(version);
        secret.last_changed_ms = ctx.now_ms;
        put_answer(secret, secret.version(&id).expect("just added"))
    }
}

pub(super) fn put_secret_value(sm: &mut SecretsManager, ctx: &mut Ctx, request: &Value) -> Result<Value, AwsError> {
    Ok(match PutSecretValue::parse(request)?.check(sm)? {
        Plan::Change(plan) => plan.commit(sm, ctx),
        Plan::Repeat(answer) => answer,
    })
}

/// UpdateSecret's input.
struct UpdateSecret {
    id: String,
    token: Option<String>,
    description: Option<String>,
    kms_key_id: Option<String>,
    /// A new value, which becomes a new AWSCURRENT version.
    value: Option<SecretValue>,
}

impl UpdateSecret {
    fn parse(request: &Value) -> Result<UpdateSecret, AwsError> {
        let r = object_with(
            request,
            &["SecretId", "ClientRequestToken", "Description", "KmsKeyId", "SecretBinary", "SecretString", "Type"],
        )?;
        let id = secret_id(r)?;
        refuse_unsupported(r, &["Type"])?;
        Ok(UpdateSecret {
            id,
            token: client_token(r)?,
            description: description(r)?,
            kms_key_id: kms_key_id(r)?,
            value: secret_value(r)?,
        })
    }

    /// The secret must not be scheduled for deletion. A value sent again with the token it was
    /// first sent with makes no second version.
    fn check(mut self, sm: &SecretsManager) -> Result<NewVersion<UpdateSecret>, AwsError> {
        let secret = find_live(sm, &self.id)?;
        if let Some(value) = &self.value {
            if !version_plan(Some(secret), self.token.as_deref(), value)? {
                self.value = None;
            }
        }
        Ok(NewVersion { name: secret.name.clone(), input: self })
    }
}

impl NewVersion<UpdateSecret> {
    fn commit(self, sm: &mut SecretsManager, ctx: &mut Ctx) -> Value {
        let UpdateSecret { token, description, kms_key_id, value, .. } = self.input;
        let repeated = token.clone().filter(|_| value.is_none());
        let added = value.map(|value| new_version(ctx, token, value, current()));
        let secret = sm.secrets.get_mut(&self.name).expect("checked");
        if description.is_some() {
            secret.description = description;
        }
        if kms_key_id.is_some() {
            secret.kms_key_id = kms_key_id;
        }
        secret.last_changed_ms = ctx.now_ms;
        let mut answer = arn_and_name(secret);
        let version_id = added.as_ref().map(|v| v.id.clone()).or(repeated.filter(|t| secret.version(t).is_some()));
        if let Some(id) = version_id {
            answer.insert("VersionId".into(), json!(id));
        }
        if let Some(version) = added {
            secret.add_version(version);
        }
        Value::Object(answer)
    }
}

pub(super) fn update_secret(sm: &mut SecretsManager, ctx: &mut Ctx, request: &Value) -> Result<Value, AwsError> {
    let plan = UpdateSecret::parse(request)?.check(sm)?;
    Ok(plan.commit(sm, ctx))
}

/// DeleteSecret's input.
struct DeleteSecret {
    id: String,
    /// None: ForceDeleteWithoutRecovery, gone at once. Else RecoveryWindowInDays (30 unless said).
    window_days: Option<u64>,
}

impl DeleteSecret {
    fn parse(request: &Value) -> Result<DeleteSecret, AwsError> {
        let r = object_with(request, &["SecretId", "RecoveryWindowInDays", "ForceDeleteWithoutRecovery"])?;
        let id = secret_id(r)?;
        let window = integer(r, "RecoveryWindowInDays")?;
        let force = boolean(r, "ForceDeleteWithoutRecovery")?.unwrap_or(false);
        if window.is_some_and(|days| !(7..=30).contains(&days)) {
            return Err(invalid_parameter("The RecoveryWindowInDays value must be between 7 and 30 days (inclusive)."));
        }
        if force && window.is_some() {
            return Err(invalid_parameter(
                "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
            ));
        }
        let window_days = (!force).then(|| window.unwrap_or(30) as u64);
        Ok(DeleteSecret { id, window_days })
    }

    /// A secret already scheduled for deletion can only be deleted at once.
    fn check(self, sm: &SecretsManager) -> Result<NewVersion<DeleteSecret>, AwsError> {
        let secret = find(sm, &self.id)?;
        if secret.deletion.is_some() && self.window_days.is_some() {
            return Err(AwsError::client(
                "InvalidRequestException",
                "You tried to perform the operation on a secret that's currently marked deleted.",
            ));
        }
        Ok(NewVersion { name: secret.name.clone(), input: self })
    }
}

impl NewVersion<DeleteSecret> {
    fn commit(self, sm: &mut SecretsManager, ctx: &mut Ctx) -> Value {
        let now = ctx.now_ms;
        let (answer, due_ms): (Map<String, Value>, Millis) = match self.input.window_days {
            None => {
                let secret = sm.secrets.remove(&self.name).expect("checked");
                (arn_and_name(&secret), now)
            }
            Some(days) => {
                let due_ms = now + days * DAY_MS;
                let secret = sm.secrets.get_mut(&self.name).expect("checked");
                secret.deletion = Some(Deletion { requested_ms: now, due_ms });
                secret.last_changed_ms = now;
                ctx.schedule(due_ms, Job::Purge { arn: secret.arn.clone(), due_ms });
                (arn_and_name(secret), due_ms)
            }
        };
        let mut answer = answer;
        answer.insert("DeletionDate".into(), seconds(due_ms));
        Value::Object(answer)
    }
}

pub(super) fn delete_secret(sm: &mut SecretsManager, ctx: &mut Ctx, request: &Value) -> Result<Value, AwsError> {
    let plan = DeleteSecret::parse(request)?.check(sm)?;
    Ok(plan.commit(sm, ctx))
}

/// RestoreSecret's input: the secret whose scheduled deletion is cancelled.
struct RestoreSecret {
    id: String,
}

impl RestoreSecret {
    fn parse(request: &Value) -> Result<RestoreSecret, AwsError> {
        let r = object_with(request, &["SecretId"])?;
        Ok(RestoreSecret { id: secret_id(r)? })
    }

    fn check(self, sm: &SecretsManager) -> Result<String, AwsError> {
        Ok(find(sm, &self.id)?.name.clone())
    }
}

pub(super) fn restore_secret(sm: &mut SecretsManager, ctx: &mut Ctx, request: &Value) -> Result<Value, AwsError> {
    let name = RestoreSecret::parse(request)?.check(sm)?;
    let secret = sm.secrets.get_mut(&name).expect("checked");
    if secret.deletion.take().is_some() {
        secret.last_changed_ms = ctx.now_ms;
    }
    Ok(Value::Object(arn_and_name(secret)))
}
