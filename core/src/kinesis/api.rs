//! Kinesis's wire edge (AWS JSON 1.1): each operation reads its request, checks it against the
//! streams, then commits. Blobs (`Data`) are base64 on the wire, as the CLI and the SDKs send them.

use super::stream::{self, hash_key, Record, Stream};
use super::{Ctx, Job, Kinesis, TRANSITION_MS};
use crate::clock::Millis;
use crate::error::AwsError;
use crate::service::View;
use crate::wire::{self, array, decode_base64, encode_base64, integer, map, object_with, required, string};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// The operations this simulator implements, in the API reference's order.
pub const ACTIONS: &[&str] = &[
    "AddTagsToStream",
    "CreateStream",
    "DecreaseStreamRetentionPeriod",
    "DeleteStream",
    "DescribeStream",
    "DescribeStreamSummary",
    "GetRecords",
    "GetShardIterator",
    "IncreaseStreamRetentionPeriod",
    "ListShards",
    "ListStreams",
    "ListTagsForStream",
    "PutRecord",
    "PutRecords",
    "RemoveTagsFromStream",
    "UpdateShardCount",
];

/// Kinesis's other operations: refused as a simulator limitation.
const NOT_YET: &[&str] = &[
    "DeregisterStreamConsumer",
    "DescribeLimits",
    "DescribeStreamConsumer",
    "DisableEnhancedMonitoring",
    "EnableEnhancedMonitoring",
    "ListStreamConsumers",
    "MergeShards",
    "RegisterStreamConsumer",
    "SplitShard",
    "StartStreamEncryption",
    "StopStreamEncryption",
    "SubscribeToShard",
    "UpdateStreamMode",
];

/// The operations that only read. GetShardIterator hands out a token and changes nothing.
pub const READ_ONLY: &[&str] = &[
    "DescribeStream",
    "DescribeStreamSummary",
    "GetRecords",
    "GetShardIterator",
    "ListShards",
    "ListStreams",
    "ListTagsForStream",
];

type Request<'a> = &'a Map<String, Value>;

pub(super) fn call(k: &mut Kinesis, ctx: &mut Ctx, action: &str, request: &Value) -> Result<Value, AwsError> {
    let view = View { now_ms: ctx.now_ms, account: ctx.account };
    match action {
        "AddTagsToStream" => add_tags(k, view, request),
        "CreateStream" => create_stream(k, ctx, request),
        "DecreaseStreamRetentionPeriod" => retention(k, view, request, false),
        "DeleteStream" => delete_stream(k, ctx, request),
        "IncreaseStreamRetentionPeriod" => retention(k, view, request, true),
        "PutRecord" | "PutRecords" => {
            let (answer, arn) =
                if action == "PutRecord" { put_record(k, view, request)? } else { put_records(k, view, request)? };
            // A mapping reading the stream wakes up.
            ctx.changed(&arn);
            Ok(answer)
        }
        "RemoveTagsFromStream" => remove_tags(k, view, request),
        "UpdateShardCount" => update_shard_count(k, ctx, request),
        _ => read(k, view, action, request),
    }
}

/// A read-only operation, run without changing anything.
pub(super) fn read(k: &Kinesis, view: View, action: &str, request: &Value) -> Result<Value, AwsError> {
    match action {
        "DescribeStream" => describe_stream(k, view, request),
        "DescribeStreamSummary" => describe_stream_summary(k, view, request),
        "GetRecords" => get_records(k, view, request),
        "GetShardIterator" => get_shard_iterator(k, view, request),
        "ListShards" => list_shards(k, view, request),
        "ListStreams" => list_streams(k, request),
        "ListTagsForStream" => list_tags(k, view, request),
        _ => Err(wire::unknown_operation(action, NOT_YET)),
    }
}

// ---- errors ----

fn invalid(message: impl Into<String>) -> AwsError {
    AwsError::client("InvalidArgumentException", message)
}

fn constraint(value: Option<&str>, member: &str, rule: &str) -> AwsError {
    wire::constraint("ValidationException", value, member, rule)
}

fn not_found(name: &str, view: View) -> AwsError {
    AwsError::client("ResourceNotFoundException", format!("Stream {name} under account {} not found.", view.account.id))
}

fn in_use(stream: &Stream, view: View) -> AwsError {
    AwsError::client(
        "ResourceInUseException",
        format!(
            "Stream {} under account {} not ACTIVE, instead in state {}",
            stream.name, view.account.id, stream.status
        ),
    )
}

/// An instant as Kinesis's timestamps are sent: epoch seconds, milliseconds as the fraction.
fn seconds(ms: Millis) -> Value {
    json!(ms as f64 / 1000.0)
}

// ---- finding streams ----

fn check_name(name: &str) -> Result<(), AwsError> {
    if name.is_empty() || name.len() > 128 {
        return Err(constraint(Some(name), "streamName", "Member must have length less than or equal to 128"));
    }
    if !name.bytes().all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b)) {
        return Err(constraint(
            Some(name),
            "streamName",
            "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
        ));
    }
    Ok(())
}

/// The stream a request names by StreamName or StreamARN (at least one; both must agree).
fn name_of<'a>(r: Request<'a>, view: View) -> Result<&'a str, AwsError> {
    let name = string(r, "StreamName")?;
    let arn = string(r, "StreamARN")?;
    if let Some(n) = name {
        check_name(n)?;
    }
    let from_arn = match arn {
        Some(a) => {
            let prefix = format!("arn:aws:kinesis:{}:{}:stream/", view.account.region, view.account.id);
            match a.strip_prefix(&prefix) {
                Some(n) => Some(n),
                None if a.starts_with("arn:aws:kinesis:") => {
                    return Err(not_found(a.rsplit('/').next().unwrap_or(a), view))
                }
                None => {
                    return Err(constraint(
                        Some(a),
                        "streamARN",
                        "Member must satisfy regular expression pattern: arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+",
                    ))
                }
            }
        }
        None => None,
    };
    match (name, from_arn) {
        (Some(n), Some(a)) if n != a => Err(invalid("StreamARN and StreamName do not match.")),
        (Some(n), _) => Ok(n),
        (None, Some(a)) => Ok(a),
        (None, None) => Err(invalid("Either StreamName or StreamARN should be provided.")),
    }
}

fn find<'a>(k: &'a Kinesis, view: View, r: Request) -> Result<&'a Stream, AwsError> {
    let name = name_of(r, view)?;
    k.streams.get(name).ok_or_else(|| not_found(name, view))
}

/// The stream, which must be ACTIVE (or UPDATING, which still takes records).
fn find_writable<'a>(k: &'a mut Kinesis, view: View, r: Request) -> Result<&'a mut Stream, AwsError> {
    let name = name_of(r, view)?;
    let stream = k.streams.get_mut(name).ok_or_else(|| not_found(name, view))?;
    if stream.status == "CREATING" || stream.status == "DELETING" {
        return Err(not_found(name, view));
    }
    let retention = stream.retention_hours;
    for shard in &mut stream.shards {
        shard.expire(view.now_ms, retention);
    }
    Ok(stream)
}

// ---- streams ----

fn create_stream(k: &mut Kinesis, ctx: &mut Ctx, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(
        request,
        &["StreamName", "ShardCount", "StreamModeDetails", "Tags", "WarmThroughputMiBps", "MaxRecordSizeInKiB"],
    )?;
    let name = required(r, "StreamName")?;
    check_name(name)?;
    let mode = match map(r, "StreamModeDetails")? {
        Some(m) => match m.get("StreamMode").and_then(Value::as_str) {
            Some(mode @ ("PROVISIONED" | "ON_DEMAND")) => mode,
            Some(other) => {
                return Err(constraint(
                    Some(other),
                    "streamModeDetails.streamMode",
                    "Member must satisfy enum value set: [PROVISIONED, ON_DEMAND]",
                ))
            }
            None => return Err(wire::missing("StreamModeDetails.StreamMode")),
        },
        None => "PROVISIONED",
    };
    let shards = match (integer(r, "ShardCount")?, mode) {
        (Some(n), _) if n < 1 => return Err(constraint(Some(&n.to_string()), "shardCount", "Member must have value greater than or equal to 1")),
        (Some(n), _) if n > 500 => {
            return Err(AwsError::client(
                "LimitExceededException",
                format!("This request would exceed the shard limit for the account {} in {}. Current shard count for the account: 0. Limit: 500. Number of additional shards that would have resulted from this request: {n}.", ctx.account.id, ctx.account.region),
            ))
        }
        (Some(n), "PROVISIONED") => n as u64,
        (Some(_), _) => return Err(invalid("ShardCount must not be specified for an ON_DEMAND stream.")),
        (None, "ON_DEMAND") => stream::ON_DEMAND_SHARDS,
        (None, _) => return Err(invalid("ShardCount is required for a PROVISIONED stream.")),
    };
    let tags = tag_map(r)?;
    let view = View { now_ms: ctx.now_ms, account: ctx.account };
    if k.streams.contains_key(name) {
        return Err(AwsError::client(
            "ResourceInUseException",
            format!("Stream {name} under account {} already exists.", view.account.id),
        ));
    }
    let now = ctx.now_ms;
    let mut s = Stream {
        name: name.to_string(),
        arn: format!("arn:aws:kinesis:{}:{}:stream/{name}", ctx.account.region, ctx.account.id),
        status: "CREATING".into(),
        mode: mode.to_string(),
        created_ms: now,
        retention_hours: stream::DEFAULT_RETENTION_HOURS,
        shards: Vec::new(),
        tags,
        target_shards: None,
    };
    s.add_shards(shards, now, &[]);
    k.streams.insert(name.to_string(), s);
    ctx.schedule(now + TRANSITION_MS, Job::Active { stream: name.to_string(), created_ms: now });
    Ok(json!({}))
}

fn delete_stream(k: &mut Kinesis, ctx: &mut Ctx, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(request, &["StreamName", "StreamARN", "EnforceConsumerDeletion"])?;
    wire::boolean(r, "EnforceConsumerDeletion")?;
    let view = View { now_ms: ctx.now_ms, account: ctx.account };
    let name = name_of(r, view)?.to_string();
    let stream = k.streams.get_mut(&name).ok_or_else(|| not_found(&name, view))?;
    if stream.status == "CREATING" || stream.status == "UPDATING" {
        return Err(in_use(stream, view));
    }
    if stream.status != "DELETING" {
        stream.status = "DELETING".into();
        let created_ms = stream.created_ms;
        ctx.schedule(ctx.now_ms + TRANSITION_MS, Job::Deleted { stream: name, created_ms });
    }
    Ok(json!({}))
}

fn mode_details(s: &Stream) -> Value {
    json!({ "StreamMode": s.mode })
}

fn shard_json(shard: &stream::Shard) -> Value {
    let mut range = json!({ "StartingSequenceNumber": shard.starting_sequence });
    if let Some(end) = &shard.ending_sequence {
        range["EndingSequenceNumber"] = json!(end);
    }
    let mut out = json!({
        "ShardId": shard.id,
        "HashKeyRange": {"StartingHashKey": shard.start_hash.to_string(), "EndingHashKey": shard.end_hash.to_string()},
        "SequenceNumberRange": range,
    });
    if let Some(p) = &shard.parent {
        out["ParentShardId"] = json!(p);
    }
    if let Some(p) = &shard.adjacent_parent {
        out["AdjacentParentShardId"] = json!(p);
    }
    out
}

fn describe_stream(k: &Kinesis, view: View, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(request, &["StreamName", "StreamARN", "Limit", "ExclusiveStartShardId"])?;
    let s = find(k, view, r)?;
    let limit = match integer(r, "Limit")? {
        Some(l) if !(1..=10_000).contains(&l) => {
            return Err(constraint(Some(&l.to_string()), "limit", "Member must have value between 1 and 10000"))
        }
        Some(l) => l as usize,
        None => 100,
    };
    let after = string(r, "ExclusiveStartShardId")?;
    let shards: Vec<&stream::Shard> = s.shards.iter().filter(|sh| after.is_none_or(|a| sh.id.as_str() > a)).collect();
    Ok(json!({ "StreamDescription": {
        "StreamName": s.name,
        "StreamARN": s.arn,
        "StreamStatus": s.status,
        "StreamModeDetails": mode_details(s),
        "Shards": shards.iter().take(limit).map(|sh| shard_json(sh)).collect::<Vec<_>>(),
        "HasMoreShards": shards.len() > limit,
        "RetentionPeriodHours": s.retention_hours,
        "StreamCreationTimestamp": seconds(s.created_ms),
        "EnhancedMonitoring": [{"ShardLevelMetrics": []}],
        "EncryptionType": "NONE",
    }}))
}

fn describe_stream_summary(k: &Kinesis, view: View, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(request, &["StreamName", "StreamARN"])?;
    let s = find(k, view, r)?;
    Ok(json!({ "StreamDescriptionSummary": {
        "StreamName": s.name,
        "StreamARN": s.arn,
        "StreamStatus": s.status,
        "StreamModeDetails": mode_details(s),
        "RetentionPeriodHours": s.retention_hours,
        "StreamCreationTimestamp": seconds(s.created_ms),
        "EnhancedMonitoring": [{"ShardLevelMetrics": []}],
        "EncryptionType": "NONE",
        "OpenShardCount": s.open_shards(),
        "ConsumerCount": 0,
    }}))
}

fn list_streams(k: &Kinesis, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(request, &["Limit", "ExclusiveStartStreamName", "NextToken"])?;
    let limit = match integer(r, "Limit")? {
        Some(l) if !(1..=10_000).contains(&l) => {
            return Err(constraint(Some(&l.to_string()), "limit", "Member must have value between 1 and 10000"))
        }
        Some(l) => l as usize,
        None => 100,
    };
    let after = match string(r, "NextToken")? {
        Some(t) => Some(wire::read_page_token(t).ok_or_else(|| invalid("Invalid NextToken."))?),
        None => string(r, "ExclusiveStartStreamName")?.map(str::to_string),
    };
    let all: Vec<&Stream> =
        k.streams.values().filter(|s| after.as_deref().is_none_or(|a| s.name.as_str() > a)).collect();
    let page: Vec<&Stream> = all.iter().take(limit).copied().collect();
    let mut out = json!({
        "StreamNames": page.iter().map(|s| &s.name).collect::<Vec<_>>(),
        "HasMoreStreams": all.len() > limit,
        "StreamSummaries": page.iter().map(|s| json!({
            "StreamName": s.name, "StreamARN": s.arn, "StreamStatus": s.status,
            "StreamModeDetails": mode_details(s), "StreamCreationTimestamp": seconds(s.created_ms),
        })).collect::<Vec<_>>(),
    });
    if all.len() > limit {
        out["NextToken"] = json!(wire::page_token(&page[limit - 1].name));
    }
    Ok(out)
}

fn list_shards(k: &Kinesis, view: View, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(
        request,
        &[
            "StreamName",
            "StreamARN",
            "NextToken",
            "ExclusiveStartShardId",
            "MaxResults",
            "StreamCreationTimestamp",
            "ShardFilter",
        ],
    )?;
    let limit = match integer(r, "MaxResults")? {
        Some(l) if !(1..=10_000).contains(&l) => {
            return Err(constraint(Some(&l.to_string()), "maxResults", "Member must have value between 1 and 10000"))
        }
        Some(l) => l as usize,
        None => 1000,
    };
    let (s, after) = match string(r, "NextToken")? {
        Some(token) => {
            if r.contains_key("StreamName") || r.contains_key("StreamARN") {
                return Err(invalid("NextToken and StreamName cannot be provided together."));
            }
            let text = wire::read_page_token(token).ok_or_else(|| invalid("Invalid NextToken."))?;
            let (name, after) = text.split_once('/').ok_or_else(|| invalid("Invalid NextToken."))?;
            (k.streams.get(name).ok_or_else(|| not_found(name, view))?, Some(after.to_string()))
        }
        None => (find(k, view, r)?, string(r, "ExclusiveStartShardId")?.map(str::to_string)),
    };
    let filter = match map(r, "ShardFilter")? {
        Some(f) => {
            Some(f.get("Type").and_then(Value::as_str).ok_or_else(|| wire::missing("ShardFilter.Type"))?.to_string())
        }
        None => None,
    };
    let shards: Vec<&stream::Shard> = s
        .shards
        .iter()
        .filter(|sh| after.as_deref().is_none_or(|a| sh.id.as_str() > a))
        .filter(|sh| match filter.as_deref() {
            Some("AT_LATEST") => sh.open(),
            _ => true,
        })
        .collect();
    let page: Vec<&&stream::Shard> = shards.iter().take(limit).collect();
    let mut out = json!({ "Shards": page.iter().map(|sh| shard_json(sh)).collect::<Vec<_>>() });
    if shards.len() > limit {
        out["NextToken"] = json!(wire::page_token(&format!("{}/{}", s.name, page[limit - 1].id)));
    }
    Ok(out)
}

fn retention(k: &mut Kinesis, view: View, request: &Value, increase: bool) -> Result<Value, AwsError> {
    let r = object_with(request, &["StreamName", "StreamARN", "RetentionPeriodHours"])?;
    let hours = integer(r, "RetentionPeriodHours")?.ok_or_else(|| wire::missing("RetentionPeriodHours"))?;
    if !(1..=100_000).contains(&hours) {
        return Err(constraint(
            Some(&hours.to_string()),
            "retentionPeriodHours",
            "Member must have value between 1 and 100000",
        ));
    }
    let name = name_of(r, view)?;
    let s = k.streams.get_mut(name).ok_or_else(|| not_found(name, view))?;
    if s.status != "ACTIVE" {
        return Err(in_use(s, view));
    }
    let hours = hours as u64;
    let bounds = (stream::DEFAULT_RETENTION_HOURS..=stream::MAX_RETENTION_HOURS).contains(&hours);
    if !bounds {
        let which = if hours < stream::DEFAULT_RETENTION_HOURS {
            "shorter than the minimum retention period of 24"
        } else {
            "longer than the maximum retention period of 8760"
        };
        return Err(invalid(format!("Minimum allowed retention period is 24 hours. Maximum allowed retention period is 8760 hours. Requested retention period ({hours} hours) is {which} hours.")));
    }
    if increase && hours < s.retention_hours {
        return Err(invalid(format!("Requested retention period ({hours} hours) for stream {name} can not be shorter than existing retention period ({} hours). Use DecreaseRetentionPeriod API.", s.retention_hours)));
    }
    if !increase && hours > s.retention_hours {
        return Err(invalid(format!("Requested retention period ({hours} hours) for stream {name} can not be longer than existing retention period ({} hours). Use IncreaseRetentionPeriod API.", s.retention_hours)));
    }
    s.retention_hours = hours;
    Ok(json!({}))
}

fn update_shard_count(k: &mut Kinesis, ctx: &mut Ctx, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(request, &["StreamName", "StreamARN", "TargetShardCount", "ScalingType"])?;
    let target = integer(r, "TargetShardCount")?.ok_or_else(|| wire::missing("TargetShardCount"))?;
    match required(r, "ScalingType")? {
        "UNIFORM_SCALING" => {}
        other => {
            return Err(constraint(Some(other), "scalingType", "Member must satisfy enum value set: [UNIFORM_SCALING]"))
        }
    }
    if target < 1 {
        return Err(constraint(
            Some(&target.to_string()),
            "targetShardCount",
            "Member must have value greater than or equal to 1",
        ));
    }
    let view = View { now_ms: ctx.now_ms, account: ctx.account };
    let name = name_of(r, view)?.to_string();
    let s = k.streams.get_mut(&name).ok_or_else(|| not_found(&name, view))?;
    if s.status != "ACTIVE" {
        return Err(in_use(s, view));
    }
    if s.mode == "ON_DEMAND" {
        return Err(invalid(format!("UpdateShardCount is not supported for stream {name} in ON_DEMAND mode.")));
    }
    let current = s.open_shards() as i64;
    if target > current * 2 || target * 2 < current {
        return Err(invalid(format!("UpdateShardCount cannot scale up over double your current open shard count ({current}) or scale down below half your current open shard count. Requested target: {target}.")));
    }
    s.status = "UPDATING".into();
    s.target_shards = Some(target as u64);
    let created_ms = s.created_ms;
    let arn = s.arn.clone();
    ctx.schedule(ctx.now_ms + TRANSITION_MS, Job::Resharded { stream: name.clone(), created_ms });
    Ok(json!({ "StreamName": name, "CurrentShardCount": current, "TargetShardCount": target, "StreamARN": arn }))
}

/// Closes every open shard and opens `target` new ones over the whole hash space, each with the
/// closed shards whose ranges it overlaps as parents.
pub(super) fn reshard(s: &mut Stream, target: u64, now: Millis) {
    let mut parents = Vec::new();
    for shard in s.shards.iter_mut().filter(|sh| sh.open()) {
        shard.ending_sequence = Some(shard.sequence(now, shard.written + 1));
        parents.push(shard.id.clone());
    }
    s.add_shards(target, now, &parents);
}

// ---- tags ----

fn tag_map(r: Request) -> Result<BTreeMap<String, String>, AwsError> {
    let mut out = BTreeMap::new();
    if let Some(tags) = map(r, "Tags")? {
        if tags.len() > 50 {
            return Err(invalid("Failed to add tags to stream because the number of tags exceeds 50."));
        }
        for (key, value) in tags {
            let v = value.as_str().ok_or_else(|| wire::invalid_type(&format!("Tags.{key}"), value, "string"))?;
            if key.is_empty() || key.chars().count() > 128 || v.chars().count() > 256 {
                return Err(invalid("Tag keys must be 1 to 128 characters long and tag values at most 256."));
            }
            out.insert(key.clone(), v.to_string());
        }
    }
    Ok(out)
}

fn add_tags(k: &mut Kinesis, view: View, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(request, &["StreamName", "StreamARN", "Tags"])?;
    if r.get("Tags").is_none() {
        return Err(wire::missing("Tags"));
    }
    let tags = tag_map(r)?;
    let name = name_of(r, view)?;
    let s = k.streams.get_mut(name).ok_or_else(|| not_found(name, view))?;
    let mut next = s.tags.clone();
    next.extend(tags);
    if next.len() > 50 {
        return Err(invalid("Failed to add tags to stream because the number of tags exceeds 50."));
    }
    s.tags = next;
    Ok(json!({}))
}

fn remove_tags(k: &mut Kinesis, view: View, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(request, &["StreamName", "StreamARN", "TagKeys"])?;
    let keys = array(r.get("TagKeys").ok_or_else(|| wire::missing("TagKeys"))?, "TagKeys")?.clone();
    let name = name_of(r, view)?;
    let s = k.streams.get_mut(name).ok_or_else(|| not_found(name, view))?;
    for key in keys {
        if let Some(key) = key.as_str() {
            s.tags.remove(key);
        }
    }
    Ok(json!({}))
}

fn list_tags(k: &Kinesis, view: View, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(request, &["StreamName", "StreamARN", "ExclusiveStartTagKey", "Limit"])?;
    let s = find(k, view, r)?;
    let after = string(r, "ExclusiveStartTagKey")?;
    let limit = integer(r, "Limit")?.map(|l| l.max(1) as usize).unwrap_or(50);
    let tags: Vec<(&String, &String)> =
        s.tags.iter().filter(|(key, _)| after.is_none_or(|a| key.as_str() > a)).collect();
    Ok(json!({
        "Tags": tags.iter().take(limit).map(|(key, v)| json!({"Key": key, "Value": v})).collect::<Vec<_>>(),
        "HasMoreTags": tags.len() > limit,
    }))
}

// ---- records ----

/// One record to put, read and checked.
struct Incoming {
    partition_key: String,
    data: Vec<u8>,
    hash: u128,
}

fn incoming(r: Request, path: &str) -> Result<Incoming, AwsError> {
    let member = |m: &str| if path.is_empty() { m.to_string() } else { format!("{path}.{m}") };
    let data = required(r, "Data").map_err(|_| wire::missing(&member("Data")))?;
    let data = decode_base64(data)
        .ok_or_else(|| AwsError::client("SerializationException", format!("Invalid base64: \"{data}\"")))?;
    let key = required(r, "PartitionKey").map_err(|_| wire::missing(&member("PartitionKey")))?;
    if key.is_empty() || key.chars().count() > 256 {
        let rule = if key.is_empty() {
            "Member must have length greater than or equal to 1"
        } else {
            "Member must have length less than or equal to 256"
        };
        return Err(constraint(Some(key), "partitionKey", rule));
    }
    if data.len() + key.len() > 1_048_576 {
        return Err(constraint(None, "data", "Member must have length less than or equal to 1048576"));
    }
    let hash = match string(r, "ExplicitHashKey")? {
        Some(explicit) => explicit.parse::<u128>().ok().filter(|_| explicit.bytes().all(|b| b.is_ascii_digit())).ok_or_else(|| {
            invalid(format!("Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was {explicit}"))
        })?,
        None => hash_key(key),
    };
    Ok(Incoming { partition_key: key.to_string(), data, hash })
}

/// Appends a checked record to the open shard its hash falls in: (shard id, sequence number).
fn append(s: &mut Stream, record: Incoming, now: Millis) -> (String, String) {
    let i = s.shard_for(record.hash).unwrap_or(0);
    let shard = &mut s.shards[i];
    shard.written += 1;
    let sequence = shard.sequence(now, shard.written);
    shard.records.push(Record {
        sequence: sequence.clone(),
        partition_key: record.partition_key,
        data: record.data,
        arrival_ms: now,
    });
    (shard.id.clone(), sequence)
}

/// PutRecord's answer, and the stream's ARN.
fn put_record(k: &mut Kinesis, view: View, request: &Value) -> Result<(Value, String), AwsError> {
    let r = object_with(
        request,
        &["StreamName", "StreamARN", "Data", "PartitionKey", "ExplicitHashKey", "SequenceNumberForOrdering"],
    )?;
    let record = incoming(r, "")?;
    if let Some(order) = string(r, "SequenceNumberForOrdering")? {
        if !order.bytes().all(|b| b.is_ascii_digit()) || order.is_empty() {
            return Err(constraint(
                Some(order),
                "sequenceNumberForOrdering",
                "Member must satisfy regular expression pattern: 0|([1-9]\\d{0,128})",
            ));
        }
    }
    let s = find_writable(k, view, r)?;
    let (shard, sequence) = append(s, record, view.now_ms);
    Ok((json!({ "ShardId": shard, "SequenceNumber": sequence }), s.arn.clone()))
}

/// PutRecords' answer, and the stream's ARN.
fn put_records(k: &mut Kinesis, view: View, request: &Value) -> Result<(Value, String), AwsError> {
    let r = object_with(request, &["StreamName", "StreamARN", "Records"])?;
    let records = array(r.get("Records").ok_or_else(|| wire::missing("Records"))?, "Records")?;
    if records.is_empty() || records.len() > 500 {
        let rule = if records.is_empty() {
            "Member must have length greater than or equal to 1"
        } else {
            "Member must have length less than or equal to 500"
        };
        return Err(constraint(None, "records", rule));
    }
    let mut checked = Vec::new();
    for (i, entry) in records.iter().enumerate() {
        let path = format!("Records[{i}]");
        let e = entry.as_object().ok_or_else(|| wire::invalid_type(&path, entry, "object"))?;
        object_with(entry, &["Data", "ExplicitHashKey", "PartitionKey"])?;
        checked.push(incoming(e, &path)?);
    }
    let total: usize = checked.iter().map(|c| c.data.len() + c.partition_key.len()).sum();
    if total > 5 * 1_048_576 {
        return Err(invalid(format!("Records size exceeds 5 MB limit: {total} bytes")));
    }
    let s = find_writable(k, view, r)?;
    let out: Vec<Value> = checked
        .into_iter()
        .map(|record| {
            let (shard, sequence) = append(s, record, view.now_ms);
            json!({ "SequenceNumber": sequence, "ShardId": shard })
        })
        .collect();
    Ok((json!({ "FailedRecordCount": 0, "Records": out }), s.arn.clone()))
}

// ---- iterators and GetRecords ----

/// Where an iterator reads from: the records after a sequence number (`after` empty: from the
/// oldest), at one, or at an instant.
#[derive(Clone, Debug, PartialEq)]
enum Position {
    After(String),
    At(String),
    Since(Millis),
}

/// A shard iterator: which shard, where, and when it was handed out (base64 on the wire).
fn iterator(stream_arn: &str, shard: &str, position: &Position, issued_ms: Millis) -> String {
    let (kind, value) = match position {
        Position::After(s) => ("after", s.clone()),
        Position::At(s) => ("at", s.clone()),
        Position::Since(ms) => ("since", ms.to_string()),
    };
    encode_base64(format!("{stream_arn}|{shard}|{kind}|{value}|{issued_ms}").as_bytes())
}

/// The stream an iterator reads, if it is one of ours (how IAM names GetRecords' resource).
pub(super) fn iterator_stream(text: &str) -> Option<String> {
    read_iterator(text).map(|(arn, ..)| arn)
}

fn read_iterator(text: &str) -> Option<(String, String, Position, Millis)> {
    let bytes = decode_base64(text)?;
    let text = String::from_utf8(bytes).ok()?;
    let parts: Vec<&str> = text.split('|').collect();
    let [arn, shard, kind, value, issued] = parts.as_slice() else { return None };
    let position = match *kind {
        "after" => Position::After(value.to_string()),
        "at" => Position::At(value.to_string()),
        "since" => Position::Since(value.parse().ok()?),
        _ => return None,
    };
    Some((arn.to_string(), shard.to_string(), position, issued.parse().ok()?))
}

fn get_shard_iterator(k: &Kinesis, view: View, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(
        request,
        &["StreamName", "StreamARN", "ShardId", "ShardIteratorType", "StartingSequenceNumber", "Timestamp"],
    )?;
    let shard_id = required(r, "ShardId")?;
    let kind = required(r, "ShardIteratorType")?;
    let kinds = ["AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER", "TRIM_HORIZON", "LATEST", "AT_TIMESTAMP"];
    if !kinds.contains(&kind) {
        return Err(constraint(Some(kind), "shardIteratorType", "Member must satisfy enum value set: [AFTER_SEQUENCE_NUMBER, AT_SEQUENCE_NUMBER, AT_TIMESTAMP, TRIM_HORIZON, LATEST]"));
    }
    let s = find(k, view, r)?;
    let shard = s.shards.iter().find(|sh| sh.id == shard_id).ok_or_else(|| {
        AwsError::client(
            "ResourceNotFoundException",
            format!("Shard {shard_id} in stream {} under account {} does not exist", s.name, view.account.id),
        )
    })?;
    let sequence = string(r, "StartingSequenceNumber")?;
    let position = match kind {
        "TRIM_HORIZON" => Position::After(String::new()),
        "LATEST" => Position::After(shard.records.last().map(|rec| rec.sequence.clone()).unwrap_or_default()),
        "AT_TIMESTAMP" => {
            let at = r.get("Timestamp").ok_or_else(|| invalid("Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. Current request has no timestamp parameter."))?;
            let ms = match at {
                Value::Number(n) => n.as_f64().map(|f| (f * 1000.0) as Millis),
                Value::String(t) => t.parse::<f64>().ok().map(|f| (f * 1000.0) as Millis),
                _ => None,
            }
            .ok_or_else(|| wire::invalid_type("Timestamp", at, "timestamp"))?;
            if ms > view.now_ms {
                return Err(invalid(format!("The timestampInMillis parameter cannot be greater than the currentTimestampInMillis. timestampInMillis: {ms}, currentTimestampInMillis: {}", view.now_ms)));
            }
            Position::Since(ms)
        }
        _ => {
            let seq = sequence
                .ok_or_else(|| invalid(format!("Must specify StartingSequenceNumber for iterator of type {kind}.")))?;
            if seq.len() != 56 || !seq.bytes().all(|b| b.is_ascii_digit()) || seq < shard.starting_sequence.as_str() {
                return Err(invalid(format!("StartingSequenceNumber {seq} used in GetShardIterator on shard {shard_id} in stream {} under account {} is invalid because it did not come from this stream.", s.name, view.account.id)));
            }
            if kind == "AT_SEQUENCE_NUMBER" {
                Position::At(seq.to_string())
            } else {
                Position::After(seq.to_string())
            }
        }
    };
    Ok(json!({ "ShardIterator": iterator(&s.arn, shard_id, &position, view.now_ms) }))
}

fn get_records(k: &Kinesis, view: View, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(request, &["ShardIterator", "Limit", "StreamARN"])?;
    let text = required(r, "ShardIterator")?;
    let limit = match integer(r, "Limit")? {
        Some(l) if !(1..=10_000).contains(&l) => {
            return Err(constraint(Some(&l.to_string()), "limit", "Member must have value between 1 and 10000"))
        }
        Some(l) => l as usize,
        None => 10_000,
    };
    let (arn, shard_id, position, issued) =
        read_iterator(text).ok_or_else(|| invalid(format!("Invalid ShardIterator: {text}")))?;
    if view.now_ms > issued + stream::ITERATOR_MS {
        return Err(AwsError::client(
            "ExpiredIteratorException",
            format!("Iterator expired. The iterator was created at time {} while right now it is {} which is further in the future than the tolerated delay of 300000 milliseconds.", crate::clock::iso8601(issued), crate::clock::iso8601(view.now_ms)),
        ));
    }
    let name = arn.rsplit('/').next().unwrap_or("");
    let s = k.streams.get(name).filter(|s| s.arn == arn).ok_or_else(|| not_found(name, view))?;
    let shard = s
        .shards
        .iter()
        .find(|sh| sh.id == shard_id)
        .ok_or_else(|| invalid(format!("Invalid ShardIterator: {text}")))?;
    let keep_ms = s.retention_hours * 3_600_000;
    let live: Vec<&Record> = shard.records.iter().filter(|rec| rec.arrival_ms + keep_ms > view.now_ms).collect();
    let start = live
        .iter()
        .position(|rec| match &position {
            Position::After(seq) => rec.sequence.as_str() > seq.as_str(),
            Position::At(seq) => rec.sequence.as_str() >= seq.as_str(),
            Position::Since(ms) => rec.arrival_ms >= *ms,
        })
        .unwrap_or(live.len());
    let batch: Vec<&&Record> = live[start..].iter().take(limit).collect();
    let caught_up = start + batch.len() == live.len();
    let behind =
        if caught_up { 0 } else { batch.last().map(|rec| view.now_ms.saturating_sub(rec.arrival_ms)).unwrap_or(0) };
    let next_position = match batch.last() {
        Some(rec) => Position::After(rec.sequence.clone()),
        None => position.clone(),
    };
    let mut out = json!({
        "Records": batch.iter().map(|rec| json!({
            "SequenceNumber": rec.sequence,
            "ApproximateArrivalTimestamp": seconds(rec.arrival_ms),
            "Data": encode_base64(&rec.data),
            "PartitionKey": rec.partition_key,
        })).collect::<Vec<_>>(),
        "MillisBehindLatest": behind,
    });
    if shard.open() || !caught_up {
        out["NextShardIterator"] = json!(iterator(&arn, &shard_id, &next_position, view.now_ms));
    } else {
        // A closed shard read to its end: no next iterator, and the shards that follow it.
        let children: Vec<Value> = s
            .shards
            .iter()
            .filter(|c| c.parent.as_deref() == Some(shard_id.as_str()) || c.adjacent_parent.as_deref() == Some(shard_id.as_str()))
            .map(|c| {
                let parents: Vec<&String> = [&c.parent, &c.adjacent_parent].into_iter().flatten().collect();
                json!({"ShardId": c.id, "ParentShards": parents, "HashKeyRange": {"StartingHashKey": c.start_hash.to_string(), "EndingHashKey": c.end_hash.to_string()}})
            })
            .collect();
        out["ChildShards"] = json!(children);
    }
    Ok(out)
}
