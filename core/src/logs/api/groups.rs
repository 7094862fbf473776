//! CreateLogGroup, DeleteLogGroup, DescribeLogGroups, PutRetentionPolicy, DeleteRetentionPolicy
//! and the tagging operations (TagResource, UntagResource, ListTagsForResource, the current API;
//! the older TagLogGroup family is on its way out).
//!
//! Each is a typed input: `parse` reads the request, `check` looks at the groups and can fail,
//! `commit` changes them and cannot. A failed request has changed nothing.

use super::*;
use crate::logs::group::LogGroup;
use std::collections::BTreeMap;

/// The values PutRetentionPolicy accepts.
const RETENTION_DAYS: &[u32] =
    &[1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

const CLASSES: &[&str] = &["STANDARD", "INFREQUENT_ACCESS", "DELIVERY"];

/// CreateLogGroup's input.
struct CreateLogGroup {
    name: String,
    kms_key_id: Option<String>,
    tags: Vec<(String, String)>,
    class: String,
}

impl CreateLogGroup {
    fn parse(request: &Value) -> Result<CreateLogGroup, AwsError> {
        let r =
            object_with(request, &["logGroupName", "kmsKeyId", "tags", "logGroupClass", "deletionProtectionEnabled"])?;
        let name = required_group_name(r)?;
        let kms_key_id = string(r, "kmsKeyId")?;
        if let Some(key) = kms_key_id.filter(|k| k.chars().count() > 256) {
            return Err(constraint(key, "kmsKeyId", "Member must have length less than or equal to 256"));
        }
        let tags = match r.get("tags").filter(|v| !v.is_null()) {
            Some(tags) => read_tags(tags, "tags")?,
            None => Vec::new(),
        };
        let class = string(r, "logGroupClass")?.unwrap_or("STANDARD");
        if !CLASSES.contains(&class) {
            let rule = format!("Member must satisfy enum value set: [{}]", CLASSES.join(", "));
            return Err(constraint(class, "logGroupClass", &rule));
        }
        if wire::boolean(r, "deletionProtectionEnabled")? == Some(true) {
            return Err(AwsError::client(
                "SimulatorLimitation",
                "The simulator does not support deletionProtectionEnabled yet; see docs/differences.md.",
            ));
        }
        Ok(CreateLogGroup { name, kms_key_id: kms_key_id.map(str::to_string), tags, class: class.to_string() })
    }

    fn check(self, logs: &Logs) -> Result<CreateLogGroup, AwsError> {
        if logs.groups.contains_key(&self.name) {
            return Err(AwsError::client("ResourceAlreadyExistsException", "The specified log group already exists"));
        }
        Ok(self)
    }

    fn commit(self, logs: &mut Logs, now_ms: Millis, account: &Account) -> Value {
        let CreateLogGroup { name, kms_key_id, tags, class } = self;
        let group = LogGroup {
            arn: format!("arn:aws:logs:{}:{}:log-group:{name}", account.region, account.id),
            name: name.clone(),
            created_ms: now_ms,
            retention_days: None,
            kms_key_id,
            class,
            tags: tags.into_iter().collect(),
            streams: BTreeMap::new(),
        };
        logs.groups.insert(name, group);
        done()
    }
}

pub(super) fn create_log_group(
    logs: &mut Logs,
    now_ms: Millis,
    account: &Account,
    request: &Value,
) -> Result<Value, AwsError> {
    let plan = CreateLogGroup::parse(request)?.check(logs)?;
    Ok(plan.commit(logs, now_ms, account))
}

/// The input of the operations whose only member is logGroupName: DeleteLogGroup and
/// DeleteRetentionPolicy.
struct GroupName {
    name: String,
}

impl GroupName {
    fn parse(request: &Value) -> Result<GroupName, AwsError> {
        let r = object_with(request, &["logGroupName"])?;
        Ok(GroupName { name: required_group_name(r)? })
    }

    /// The group must exist.
    fn check(self, logs: &Logs) -> Result<String, AwsError> {
        find_group(logs, &self.name)?;
        Ok(self.name)
    }
}

pub(super) fn delete_log_group(logs: &mut Logs, request: &Value) -> Result<Value, AwsError> {
    let name = GroupName::parse(request)?.check(logs)?;
    logs.groups.remove(&name);
    Ok(done())
}

pub(super) fn delete_retention_policy(logs: &mut Logs, request: &Value) -> Result<Value, AwsError> {
    let name = GroupName::parse(request)?.check(logs)?;
    logs.groups.get_mut(&name).expect("checked").retention_days = None;
    Ok(done())
}

/// PutRetentionPolicy's input.
struct PutRetentionPolicy {
    name: String,
    days: u32,
}

impl PutRetentionPolicy {
    fn parse(request: &Value) -> Result<PutRetentionPolicy, AwsError> {
        let r = object_with(request, &["logGroupName", "retentionInDays"])?;
        let name = required_group_name(r)?;
        let days = wire::integer(r, "retentionInDays")?.ok_or_else(|| wire::missing("retentionInDays"))?;
        let Some(&days) = RETENTION_DAYS.iter().find(|&&d| i64::from(d) == days) else {
            let allowed: Vec<String> = RETENTION_DAYS.iter().map(u32::to_string).collect();
            let rule = format!("Member must satisfy enum value set: [{}]", allowed.join(", "));
            return Err(constraint(&days.to_string(), "retentionInDays", &rule));
        };
        Ok(PutRetentionPolicy { name, days })
    }
}

pub(super) fn put_retention_policy(logs: &mut Logs, request: &Value) -> Result<Value, AwsError> {
    let input = PutRetentionPolicy::parse(request)?;
    let name = GroupName { name: input.name }.check(logs)?;
    logs.groups.get_mut(&name).expect("checked").retention_days = Some(input.days);
    Ok(done())
}

/// DescribeLogGroups' input.
struct DescribeLogGroups {
    /// logGroupNamePrefix: names that start with it.
    prefix: Option<String>,
    /// logGroupNamePattern: names that contain it (case-sensitive); the answer then has fewer members.
    pattern: Option<String>,
    /// logGroupIdentifiers: only these groups (names or ARNs).
    identifiers: Option<Vec<String>>,
    class: Option<String>,
    /// The name the previous page ended with.
    after: Option<String>,
    limit: usize,
}

impl DescribeLogGroups {
    fn parse(request: &Value) -> Result<DescribeLogGroups, AwsError> {
        let r = object_with(
            request,
            &[
                "accountIdentifiers",
                "logGroupNamePrefix",
                "logGroupNamePattern",
                "nextToken",
                "limit",
                "includeLinkedAccounts",
                "logGroupClass",
                "logGroupIdentifiers",
            ],
        )?;
        // No account is linked to this one, so linked accounts add nothing.
        wire::boolean(r, "includeLinkedAccounts")?;
        if let Some(accounts) = r.get("accountIdentifiers").filter(|v| !v.is_null()) {
            wire::array(accounts, "accountIdentifiers")?;
        }
        let prefix = group_name(r, "logGroupNamePrefix")?;
        let pattern = string(r, "logGroupNamePattern")?;
        if let Some(pattern) = pattern.filter(|p| !p.chars().all(group_char) || p.chars().count() > 512) {
            return Err(constraint(
                pattern,
                "logGroupNamePattern",
                "Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]*",
            ));
        }
        if prefix.is_some() && pattern.is_some_and(|p| !p.is_empty()) {
            return Err(invalid("LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters."));
        }
        let identifiers = match r.get("logGroupIdentifiers").filter(|v| !v.is_null()) {
            None => None,
            Some(list) => {
                let list = wire::array(list, "logGroupIdentifiers")?;
                wire::min_items(list.len(), "logGroupIdentifiers", 1)?;
                let names = list.iter().enumerate().map(|(at, id)| {
                    let path = format!("logGroupIdentifiers[{at}]");
                    let id = id.as_str().ok_or_else(|| wire::invalid_type(&path, id, "string"))?;
                    identifier_name(id, &path)
                });
                Some(names.collect::<Result<Vec<String>, AwsError>>()?)
            }
        };
        let class = string(r, "logGroupClass")?;
        if let Some(class) = class.filter(|c| !CLASSES.contains(c)) {
            let rule = format!("Member must satisfy enum value set: [{}]", CLASSES.join(", "));
            return Err(constraint(class, "logGroupClass", &rule));
        }
        Ok(DescribeLogGroups {
            prefix: prefix.map(str::to_string),
            pattern: pattern.filter(|p| !p.is_empty()).map(str::to_string),
            identifiers,
            class: class.map(str::to_string),
            after: name_token(r)?,
            limit: limit(r, 50)?,
        })
    }

    fn answer(&self, logs: &Logs, now_ms: Millis) -> Value {
        let chosen: Vec<&LogGroup> = logs
            .groups
            .values()
            .filter(|g| self.prefix.as_ref().is_none_or(|p| g.name.starts_with(p.as_str())))
            .filter(|g| self.pattern.as_ref().is_none_or(|p| g.name.contains(p.as_str())))
            .filter(|g| self.identifiers.as_ref().is_none_or(|ids| ids.contains(&g.name)))
            .filter(|g| self.class.as_ref().is_none_or(|c| *c == g.class))
            .filter(|g| self.after.as_ref().is_none_or(|after| g.name > *after))
            .collect();
        let page = &chosen[..chosen.len().min(self.limit)];
        let groups: Vec<Value> = page.iter().map(|g| self.describe(g, now_ms)).collect();
        let mut answer = json!({ "logGroups": groups });
        if chosen.len() > page.len() {
            answer["nextToken"] = json!(wire::page_token(&page[page.len() - 1].name));
        }
        answer
    }

    /// A group as DescribeLogGroups shows it; with logGroupNamePattern, only its identity.
    fn describe(&self, group: &LogGroup, now_ms: Millis) -> Value {
        let mut out = json!({
            "logGroupName": group.name,
            "creationTime": group.created_ms,
            "metricFilterCount": 0,
            "arn": format!("{}:*", group.arn),
            "logGroupClass": group.class,
            "logGroupArn": group.arn,
        });
        if self.pattern.is_some() {
            return out;
        }
        if let Some(days) = group.retention_days {
            out["retentionInDays"] = json!(days);
        }
        out["storedBytes"] = json!(group.stored_bytes(now_ms));
        if let Some(key) = &group.kms_key_id {
            out["kmsKeyId"] = json!(key);
        }
        out["deletionProtectionEnabled"] = json!(false);
        out
    }
}

pub(super) fn describe_log_groups(logs: &Logs, now_ms: Millis, request: &Value) -> Result<Value, AwsError> {
    Ok(DescribeLogGroups::parse(request)?.answer(logs, now_ms))
}

/// The group a tagging request's resourceArn names: `arn:aws:logs:<region>:<account>:log-group:<name>`.
fn tagged_group(logs: &Logs, r: Request) -> Result<String, AwsError> {
    let arn = wire::required(r, "resourceArn")?;
    wire::min_length(arn, "resourceArn", 1)?;
    let allowed = |c: char| c.is_alphanumeric() || "_+=/:,.@-".contains(c);
    if arn.chars().count() > 1011 || !arn.chars().all(allowed) {
        return Err(constraint(arn, "resourceArn", "Member must satisfy regular expression pattern: [\\w+=/:,.@-]*"));
    }
    logs.groups.values().find(|g| g.arn == arn).map(|g| g.name.clone()).ok_or_else(group_not_found)
}

pub(super) fn tag_resource(logs: &mut Logs, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(request, &["resourceArn", "tags"])?;
    let tags = read_tags(r.get("tags").filter(|v| !v.is_null()).ok_or_else(|| wire::missing("tags"))?, "tags")?;
    wire::min_items(tags.len(), "tags", 1)?;
    let name = tagged_group(logs, r)?;
    let mut merged = logs.groups[&name].tags.clone();
    merged.extend(tags);
    if merged.len() > 50 {
        return Err(AwsError::client("TooManyTagsException", "A resource can have no more than 50 tags."));
    }
    logs.groups.get_mut(&name).expect("checked").tags = merged;
    Ok(done())
}

pub(super) fn untag_resource(logs: &mut Logs, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(request, &["resourceArn", "tagKeys"])?;
    let list = r.get("tagKeys").filter(|v| !v.is_null()).ok_or_else(|| wire::missing("tagKeys"))?;
    let mut keys = Vec::new();
    for (at, key) in wire::array(list, "tagKeys")?.iter().enumerate() {
        let path = format!("tagKeys[{at}]");
        let key = key.as_str().ok_or_else(|| wire::invalid_type(&path, key, "string"))?;
        wire::min_length(key, &path, 1)?;
        keys.push(key.to_string());
    }
    let name = tagged_group(logs, r)?;
    logs.groups.get_mut(&name).expect("checked").tags.retain(|k, _| !keys.contains(k));
    Ok(done())
}

pub(super) fn list_tags_for_resource(logs: &Logs, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(request, &["resourceArn"])?;
    let name = tagged_group(logs, r)?;
    Ok(json!({ "tags": logs.groups[&name].tags }))
}
