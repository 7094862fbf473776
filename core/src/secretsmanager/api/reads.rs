//! GetSecretValue, DescribeSecret, ListSecrets, ListSecretVersionIds: the reads.
//!
//! Each parses its request, then answers from `&SecretsManager`. GetSecretValue called by the
//! learner also records the day it was read (LastAccessedDate); its check finds the version,
//! its commit stamps the day, which cannot fail.

use super::*;
use crate::clock::Millis;
use crate::secretsmanager::secret::day_of;
use crate::wire::boolean;

/// GetSecretValue's input.
struct GetSecretValue {
    id: String,
    /// VersionId: the version wanted.
    version_id: Option<String>,
    /// VersionStage: the label of the version wanted (AWSCURRENT when neither is given).
    stage: Option<String>,
}

impl GetSecretValue {
    fn parse(request: &Value) -> Result<GetSecretValue, AwsError> {
        let r = object_with(request, &["SecretId", "VersionId", "VersionStage"])?;
        let id = secret_id(r)?;
        let version_id = string(r, "VersionId")?;
        if let Some(version) = version_id {
            wire::min_length(version, "VersionId", 32)?;
            if version.chars().count() > 64 {
                return Err(constraint(Some(version), "versionId", &longer_than(64)));
            }
        }
        let stage = string(r, "VersionStage")?;
        if let Some(stage) = stage {
            wire::min_length(stage, "VersionStage", 1)?;
            if stage.chars().count() > 256 {
                return Err(constraint(Some(stage), "versionStage", &longer_than(256)));
            }
        }
        Ok(GetSecretValue { id, version_id: version_id.map(str::to_string), stage: stage.map(str::to_string) })
    }

    /// The secret (not scheduled for deletion) and the version asked for.
    fn check<'a>(&self, sm: &'a SecretsManager) -> Result<(&'a Secret, &'a Version), AwsError> {
        let secret = find_live(sm, &self.id)?;
        let missing_value = |what: String| {
            AwsError::client(
                "ResourceNotFoundException",
                format!("Secrets Manager can't find the specified secret value for {what}"),
            )
        };
        let version = match (&self.version_id, &self.stage) {
            (Some(id), stage) => {
                let version = secret.version(id).ok_or_else(|| missing_value(format!("VersionId: {id}")))?;
                if stage.as_ref().is_some_and(|stage| !version.stages.contains(stage)) {
                    return Err(AwsError::client(
                        "InvalidRequestException",
                        "You provided a VersionStage that is not associated to the provided VersionId.",
                    ));
                }
                version
            }
            (None, stage) => {
                let stage = stage.as_deref().unwrap_or(CURRENT);
                secret.staged(stage).ok_or_else(|| missing_value(format!("staging label: {stage}")))?
            }
        };
        Ok((secret, version))
    }
}

/// GetSecretValue's answer.
fn secret_value_answer(secret: &Secret, version: &Version) -> Value {
    let mut answer = arn_and_name(secret);
    answer.insert("VersionId".into(), json!(version.id));
    let (member, value) = version.value.member();
    answer.insert(member.into(), json!(value));
    answer.insert("VersionStages".into(), json!(version.stages));
    answer.insert("CreatedDate".into(), seconds(version.created_ms));
    Value::Object(answer)
}

pub(super) fn get_secret_value(sm: &mut SecretsManager, now_ms: Millis, request: &Value) -> Result<Value, AwsError> {
    let input = GetSecretValue::parse(request)?;
    let (secret, version) = input.check(sm)?;
    let answer = secret_value_answer(secret, version);
    let (name, version) = (secret.name.clone(), version.id.clone());
    let secret = sm.secrets.get_mut(&name).expect("checked");
    secret.last_accessed_day_ms = Some(day_of(now_ms));
    if let Some(v) = secret.versions.iter_mut().find(|v| v.id == version) {
        v.last_accessed_day_ms = Some(day_of(now_ms));
    }
    Ok(answer)
}

/// GetSecretValue as a check or a console runs it: the same answer, no access recorded.
pub(super) fn peek_secret_value(sm: &SecretsManager, request: &Value) -> Result<Value, AwsError> {
    let input = GetSecretValue::parse(request)?;
    let (secret, version) = input.check(sm)?;
    Ok(secret_value_answer(secret, version))
}

/// DescribeSecret's input.
struct DescribeSecret {
    id: String,
}

impl DescribeSecret {
    fn parse(request: &Value) -> Result<DescribeSecret, AwsError> {
        let r = object_with(request, &["SecretId"])?;
        Ok(DescribeSecret { id: secret_id(r)? })
    }
}

/// A secret's details as DescribeSecret (`VersionIdsToStages`) and ListSecrets
/// (`SecretVersionsToStages`) show them: only the members that have a value.
fn details(secret: &Secret, stages_member: &str) -> Value {
    let mut out = arn_and_name(secret);
    if let Some(description) = &secret.description {
        out.insert("Description".into(), json!(description));
    }
    if let Some(key) = &secret.kms_key_id {
        out.insert("KmsKeyId".into(), json!(key));
    }
    out.insert("LastChangedDate".into(), seconds(secret.last_changed_ms));
    if let Some(day) = secret.last_accessed_day_ms {
        out.insert("LastAccessedDate".into(), seconds(day));
    }
    if let Some(deletion) = secret.deletion {
        out.insert("DeletedDate".into(), seconds(deletion.requested_ms));
    }
    if let Some(tags) = &secret.tags {
        let tags: Vec<Value> = tags.iter().map(|(k, v)| json!({"Key": k, "Value": v})).collect();
        out.insert("Tags".into(), json!(tags));
    }
    let stages: Map<String, Value> = secret.labelled().map(|v| (v.id.clone(), json!(v.stages))).collect();
    if !stages.is_empty() {
        out.insert(stages_member.into(), Value::Object(stages));
    }
    out.insert("CreatedDate".into(), seconds(secret.created_ms));
    Value::Object(out)
}

pub(super) fn describe_secret(sm: &SecretsManager, request: &Value) -> Result<Value, AwsError> {
    let input = DescribeSecret::parse(request)?;
    Ok(details(find(sm, &input.id)?, "VersionIdsToStages"))
}

/// One entry of ListSecrets' Filters: a key and the values it matches (any of them), each
/// negated by a leading `!`.
struct Filter {
    key: String,
    values: Vec<String>,
}

const FILTER_KEYS: &[&str] =
    &["description", "name", "tag-key", "tag-value", "primary-region", "owning-service", "all"];

impl Filter {
    fn parse(entry: &Value, at: usize) -> Result<Filter, AwsError> {
        let f = object_with(entry, &["Key", "Values"])?;
        let member = |part: &str| format!("filters.{}.member.{part}", at + 1);
        let key = string(f, "Key")?.ok_or_else(|| wire::missing(&format!("Filters[{at}].Key")))?;
        if !FILTER_KEYS.contains(&key) {
            let rule = format!("Member must satisfy enum value set: [{}]", FILTER_KEYS.join(", "));
            return Err(constraint(Some(key), &member("key"), &rule));
        }
        let list =
            f.get("Values").filter(|v| !v.is_null()).ok_or_else(|| wire::missing(&format!("Filters[{at}].Values")))?;
        let list = array(list, &format!("Filters[{at}].Values"))?;
        wire::min_items(list.len(), &format!("Filters[{at}].Values"), 1)?;
        if list.len() > 10 {
            return Err(constraint(None, &member("values"), &longer_than(10)));
        }
        let mut values = Vec::new();
        for (i, value) in list.iter().enumerate() {
            let path = format!("Filters[{at}].Values[{i}]");
            let value = value.as_str().ok_or_else(|| wire::invalid_type(&path, value, "string"))?;
            let allowed = |c: char| c.is_ascii_alphanumeric() || " :_@/+=.-!".contains(c);
            if value.chars().count() > 512 || !value.chars().all(allowed) {
                let rule = if value.chars().count() > 512 {
                    longer_than(512)
                } else {
                    "Member must satisfy regular expression pattern: ^\\!?[a-zA-Z0-9 :_@\\/\\+\\=\\.\\-\\!]*$"
                        .to_string()
                };
                return Err(constraint(Some(value), &format!("{}.{}.member", member("values"), i + 1), &rule));
            }
            values.push(value.to_string());
        }
        Ok(Filter { key: key.to_string(), values })
    }

    /// Whether `secret` passes: one of the plain values matches (when there are any) and none of
    /// the negated ones does.
    fn admits(&self, secret: &Secret, region: &str) -> bool {
        let (negated, plain): (Vec<&str>, Vec<&str>) =
            self.values.iter().map(String::as_str).partition(|v| v.starts_with('!'));
        let hit = |value: &str| self.matches(secret, region, value);
        (plain.is_empty() || plain.iter().any(|v| hit(v))) && !negated.iter().any(|v| hit(&v[1..]))
    }

    /// Prefix matches, case-sensitive but for `description` and `all`; `all` splits the value
    /// into words, each of which must begin a word of the name, the description or a tag.
    fn matches(&self, secret: &Secret, region: &str, value: &str) -> bool {
        let tags = secret.tags.as_deref().unwrap_or_default();
        let folded = |text: &str, prefix: &str| text.to_lowercase().starts_with(&prefix.to_lowercase());
        match self.key.as_str() {
            "name" => secret.name.starts_with(value),
            "description" => secret.description.as_deref().is_some_and(|d| folded(d, value)),
            "tag-key" => tags.iter().any(|(k, _)| k.starts_with(value)),
            "tag-value" => tags.iter().any(|(_, v)| v.starts_with(value)),
            "primary-region" => region.starts_with(value),
            "owning-service" => false,
            _ => value.split_whitespace().all(|word| {
                let attributes = [secret.name.as_str(), secret.description.as_deref().unwrap_or_default()];
                let tag_texts = tags.iter().flat_map(|(k, v)| [k.as_str(), v.as_str()]);
                let words =
                    attributes.into_iter().chain(tag_texts).flat_map(|a| a.split(|c: char| !c.is_alphanumeric()));
                words.into_iter().any(|w| folded(w, word))
            }),
        }
    }
}

/// ListSecrets' input.
struct ListSecrets {
    /// IncludePlannedDeletion: list secrets scheduled for deletion too.
    include_deleted: bool,
    paging: Paging,
    filters: Vec<Filter>,
    /// SortBy (created-date unless said) and whether SortOrder is desc.
    sort_by: String,
    descending: bool,
}

impl ListSecrets {
    fn parse(request: &Value) -> Result<ListSecrets, AwsError> {
        let r = object_with(
            request,
            &["IncludePlannedDeletion", "MaxResults", "NextToken", "Filters", "SortOrder", "SortBy"],
        )?;
        let include_deleted = boolean(r, "IncludePlannedDeletion")?.unwrap_or(false);
        let paging = Paging::parse(r)?;
        let mut filters = Vec::new();
        if let Some(list) = r.get("Filters").filter(|v| !v.is_null()) {
            let list = array(list, "Filters")?;
            if list.len() > 10 {
                return Err(constraint(None, "filters", &longer_than(10)));
            }
            for (at, entry) in list.iter().enumerate() {
                filters.push(Filter::parse(entry, at)?);
            }
        }
        let order = string(r, "SortOrder")?.unwrap_or("asc");
        if !["asc", "desc"].contains(&order) {
            return Err(constraint(Some(order), "sortOrder", "Member must satisfy enum value set: [asc, desc]"));
        }
        let sort_by = string(r, "SortBy")?.unwrap_or("created-date");
        let keys = ["created-date", "last-accessed-date", "last-changed-date", "name"];
        if !keys.contains(&sort_by) {
            let rule = format!("Member must satisfy enum value set: [{}]", keys.join(", "));
            return Err(constraint(Some(sort_by), "sortBy", &rule));
        }
        Ok(ListSecrets { include_deleted, paging, filters, sort_by: sort_by.to_string(), descending: order == "desc" })
    }

    fn answer(&self, sm: &SecretsManager, region: &str) -> Value {
        let mut listed: Vec<&Secret> = sm
            .secrets
            .values()
            .filter(|s| self.include_deleted || s.deletion.is_none())
            .filter(|s| self.filters.iter().all(|f| f.admits(s, region)))
            .collect();
        listed.sort_by(|a, b| {
            let key = |s: &Secret| match self.sort_by.as_str() {
                "last-accessed-date" => s.last_accessed_day_ms.unwrap_or(0),
                "last-changed-date" => s.last_changed_ms,
                "name" => 0,
                _ => s.created_ms,
            };
            key(a).cmp(&key(b)).then_with(|| a.name.cmp(&b.name))
        });
        if self.descending {
            listed.reverse();
        }
        let (page, next) = self.paging.page(listed);
        let mut answer =
            json!({ "SecretList": page.iter().map(|s| details(s, "SecretVersionsToStages")).collect::<Vec<_>>() });
        if let Some(token) = next {
            answer["NextToken"] = json!(token);
        }
        answer
    }
}

pub(super) fn list_secrets(sm: &SecretsManager, view: View, request: &Value) -> Result<Value, AwsError> {
    Ok(ListSecrets::parse(request)?.answer(sm, &view.account.region))
}

/// ListSecretVersionIds' input.
struct ListSecretVersionIds {
    id: String,
    paging: Paging,
    /// IncludeDeprecated: list versions without labels too.
    include_deprecated: bool,
}

impl ListSecretVersionIds {
    fn parse(request: &Value) -> Result<ListSecretVersionIds, AwsError> {
        let r = object_with(request, &["SecretId", "MaxResults", "NextToken", "IncludeDeprecated"])?;
        let id = secret_id(r)?;
        let paging = Paging::parse(r)?;
        let include_deprecated = boolean(r, "IncludeDeprecated")?.unwrap_or(false);
        Ok(ListSecretVersionIds { id, paging, include_deprecated })
    }

    fn answer(&self, sm: &SecretsManager) -> Result<Value, AwsError> {
        let secret = find(sm, &self.id)?;
        let versions: Vec<&Version> =
            secret.versions.iter().filter(|v| self.include_deprecated || !v.stages.is_empty()).collect();
        let (page, next) = self.paging.page(versions);
        let key = secret.kms_key_id.as_deref().unwrap_or("DefaultEncryptionKey");
        let versions: Vec<Value> = page
            .iter()
            .map(|v| {
                let mut entry = json!({"VersionId": v.id});
                if !v.stages.is_empty() {
                    entry["VersionStages"] = json!(v.stages);
                }
                if let Some(day) = v.last_accessed_day_ms {
                    entry["LastAccessedDate"] = seconds(day);
                }
                entry["CreatedDate"] = seconds(v.created_ms);
                entry["KmsKeyIds"] = json!([key]);
                entry
            })
            .collect();
        let mut answer = json!({"Versions": versions});
        if let Some(token) = next {
            answer["NextToken"] = json!(token);
        }
        answer["ARN"] = json!(secret.arn);
        answer["Name"] = json!(secret.name);
        Ok(answer)
    }
}

pub(super) fn list_secret_version_ids(sm: &SecretsManager, request: &Value) -> Result<Value, AwsError> {
    ListSecretVersionIds::parse(request)?.answer(sm)
}
