//! SQS's wire edge (AWS JSON 1.0, query-compatible error codes): each operation reads its
//! request, checks it against the queues, then commits.

use super::queue::{self, md5_hex, md5_of_attributes, Attribute, AttributeValue, Message, Queue, Remembered, SETTINGS};
use super::{Ctx, Sqs};
use crate::clock::Millis;
use crate::effect::Principal;
use crate::error::AwsError;
use crate::service::View;
use crate::wire::{self, array, decode_base64, encode_base64, integer, map, object_with, required, string};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// The operations this simulator implements, in the API reference's order.
pub const ACTIONS: &[&str] = &[
    "ChangeMessageVisibility",
    "ChangeMessageVisibilityBatch",
    "CreateQueue",
    "DeleteMessage",
    "DeleteMessageBatch",
    "DeleteQueue",
    "GetQueueAttributes",
    "GetQueueUrl",
    "ListDeadLetterSourceQueues",
    "ListQueueTags",
    "ListQueues",
    "PurgeQueue",
    "ReceiveMessage",
    "SendMessage",
    "SendMessageBatch",
    "SetQueueAttributes",
    "TagQueue",
    "UntagQueue",
];

/// SQS's other operations: refused as a simulator limitation.
const NOT_YET: &[&str] =
    &["AddPermission", "CancelMessageMoveTask", "ListMessageMoveTasks", "RemovePermission", "StartMessageMoveTask"];

/// The operations that only read (ReceiveMessage changes visibility, so it is not one).
pub const READ_ONLY: &[&str] =
    &["GetQueueAttributes", "GetQueueUrl", "ListDeadLetterSourceQueues", "ListQueueTags", "ListQueues"];

type Request<'a> = &'a Map<String, Value>;

pub(super) fn call(sqs: &mut Sqs, ctx: &mut Ctx, action: &str, request: &Value) -> Result<Value, AwsError> {
    let view = View { now_ms: ctx.now_ms, account: ctx.account };
    match action {
        "ChangeMessageVisibility" => change_visibility(sqs, ctx, request),
        "ChangeMessageVisibilityBatch" => change_visibility_batch(sqs, ctx, request),
        "CreateQueue" => create_queue(sqs, ctx, request),
        "DeleteMessage" => delete_message(sqs, ctx, request),
        "DeleteMessageBatch" => delete_message_batch(sqs, ctx, request),
        "DeleteQueue" => delete_queue(sqs, ctx, request),
        "PurgeQueue" => purge_queue(sqs, ctx, request),
        "ReceiveMessage" => receive_message(sqs, ctx, request),
        "SendMessage" => send_message(sqs, ctx, request),
        "SendMessageBatch" => send_message_batch(sqs, ctx, request),
        "SetQueueAttributes" => set_queue_attributes(sqs, ctx, request),
        "TagQueue" => tag_queue(sqs, ctx, request),
        "UntagQueue" => untag_queue(sqs, ctx, request),
        _ => read(sqs, view, action, request),
    }
}

/// A read-only operation, run without changing anything.
pub(super) fn read(sqs: &Sqs, view: View, action: &str, request: &Value) -> Result<Value, AwsError> {
    match action {
        "GetQueueAttributes" => get_queue_attributes(sqs, view, request),
        "GetQueueUrl" => get_queue_url(sqs, view, request),
        "ListDeadLetterSourceQueues" => list_dead_letter_source_queues(sqs, view, request),
        "ListQueueTags" => list_queue_tags(sqs, view, request),
        "ListQueues" => list_queues(sqs, request),
        _ => Err(wire::unknown_operation(action, NOT_YET)),
    }
}

// ---- errors, as the SDKs report them ----

fn no_queue() -> AwsError {
    AwsError::client("AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist.")
}

fn invalid(message: impl Into<String>) -> AwsError {
    AwsError::client("InvalidParameterValue", message)
}

fn bad_value(member: &str, value: i64, reason: &str) -> AwsError {
    invalid(format!("Value {value} for parameter {member} is invalid. Reason: {reason}"))
}

fn unknown_attribute(name: &str) -> AwsError {
    AwsError::client("InvalidAttributeName", format!("Unknown Attribute {name}."))
}

fn bad_attribute(name: &str) -> AwsError {
    AwsError::client("InvalidAttributeValue", format!("Invalid value for the parameter {name}."))
}

fn bad_receipt(handle: &str) -> AwsError {
    AwsError::client(
        "ReceiptHandleIsInvalid",
        format!("The input receipt handle \"{handle}\" is not a valid receipt handle."),
    )
}

fn missing_parameter(name: &str) -> AwsError {
    AwsError::client("MissingParameter", format!("The request must contain the parameter {name}."))
}

// ---- finding queues ----

/// The queue a QueueUrl names: `https://sqs.REGION.amazonaws.com/ACCOUNT/NAME` (any host, as the
/// SDKs send the URL they were given).
fn queue_name<'a>(view: View, url: &'a str) -> Result<&'a str, AwsError> {
    let mut parts = url.trim_end_matches('/').rsplit('/');
    let (Some(name), Some(account)) = (parts.next(), parts.next()) else {
        return Err(AwsError::client("InvalidAddress", format!("The address {url} is not valid for this endpoint.")));
    };
    if !url.contains("://") {
        return Err(AwsError::client("InvalidAddress", format!("The address {url} is not valid for this endpoint.")));
    }
    if account != view.account.id {
        return Err(no_queue());
    }
    Ok(name)
}

fn find<'a>(sqs: &'a Sqs, view: View, r: Request) -> Result<&'a Queue, AwsError> {
    let name = queue_name(view, required(r, "QueueUrl")?)?;
    sqs.queues.get(name).ok_or_else(no_queue)
}

fn find_mut<'a>(sqs: &'a mut Sqs, view: View, r: Request) -> Result<&'a mut Queue, AwsError> {
    let name = queue_name(view, required(r, "QueueUrl")?)?;
    let queue = sqs.queues.get_mut(name).ok_or_else(no_queue)?;
    queue.expire(view.now_ms);
    Ok(queue)
}

fn view<'a>(ctx: &'a Ctx) -> View<'a> {
    View { now_ms: ctx.now_ms, account: ctx.account }
}

// ---- queues ----

/// 1 to 80 letters, digits, hyphens and underscores; FIFO queue names end in `.fifo`.
fn check_queue_name(name: &str, fifo: bool) -> Result<(), AwsError> {
    let stem = if fifo { name.strip_suffix(".fifo") } else { Some(name) };
    let ok = stem
        .is_some_and(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
        && name.len() <= 80;
    if ok {
        return Ok(());
    }
    Err(invalid(if fifo {
        "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length."
    } else {
        "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length"
    }))
}

/// Reads and checks an `Attributes` map for a queue of the given type.
fn queue_attributes(r: Request, fifo: bool, creating: bool) -> Result<BTreeMap<String, String>, AwsError> {
    let mut out = BTreeMap::new();
    let Some(attributes) = map(r, "Attributes")? else { return Ok(out) };
    for (name, value) in attributes {
        let Some(value) = value.as_str() else {
            return Err(wire::invalid_type(&format!("Attributes.{name}"), value, "string"));
        };
        let Some(setting) = SETTINGS.iter().find(|s| s.name == name) else {
            return Err(unknown_attribute(name));
        };
        let fifo_only =
            matches!(name.as_str(), "ContentBasedDeduplication" | "DeduplicationScope" | "FifoThroughputLimit");
        if fifo_only && !fifo {
            return Err(unknown_attribute(name));
        }
        if let Some((lo, hi)) = setting.range {
            if !value.parse::<u64>().is_ok_and(|n| (lo..=hi).contains(&n)) {
                return Err(bad_attribute(name));
            }
        }
        match name.as_str() {
            "FifoQueue" if !creating => {
                return Err(AwsError::client(
                    "InvalidAttributeValue",
                    "Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.",
                ))
            }
            "FifoQueue" | "ContentBasedDeduplication" | "SqsManagedSseEnabled"
                if value != "true" && value != "false" =>
            {
                return Err(bad_attribute(name))
            }
            "DeduplicationScope" if value != "messageGroup" && value != "queue" => return Err(bad_attribute(name)),
            "FifoThroughputLimit" if value != "perQueue" && value != "perMessageGroupId" => {
                return Err(bad_attribute(name))
            }
            "RedrivePolicy" if !value.is_empty() => {
                let redrive = queue::parse_redrive(value).map_err(|m| {
                    invalid(format!("Value {value} for parameter RedrivePolicy is invalid. Reason: {m}"))
                })?;
                if !redrive.dead_letter_arn.starts_with("arn:aws:sqs:") {
                    return Err(invalid(format!("Value {value} for parameter RedrivePolicy is invalid. Reason: Invalid value for deadLetterTargetArn.")));
                }
                // Kept as SQS shows it: the count as a number, whichever way it was given.
                let shown = json!({"deadLetterTargetArn": redrive.dead_letter_arn, "maxReceiveCount": redrive.max_receive_count});
                out.insert(name.clone(), shown.to_string());
                continue;
            }
            "Policy" | "RedriveAllowPolicy"
                if !value.is_empty()
                    && serde_json::from_str::<Value>(value).map(|v| !v.is_object()).unwrap_or(true) =>
            {
                return Err(bad_attribute(name))
            }
            _ => {}
        }
        out.insert(name.clone(), value.to_string());
    }
    Ok(out)
}

fn create_queue(sqs: &mut Sqs, ctx: &mut Ctx, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(request, &["QueueName", "Attributes", "tags"])?;
    let name = required(r, "QueueName")?;
    let asked_fifo = map(r, "Attributes")?.and_then(|a| a.get("FifoQueue")).and_then(Value::as_str) == Some("true");
    let fifo = asked_fifo || name.ends_with(".fifo");
    if name.ends_with(".fifo") && !asked_fifo {
        check_queue_name(name, false)?;
    }
    check_queue_name(name, fifo)?;
    let given = queue_attributes(r, fifo, true)?;
    let tags = tag_map(r, "tags")?;
    let now = ctx.now_ms;
    let mut attributes: BTreeMap<String, String> = SETTINGS
        .iter()
        .filter(|s| !s.default.is_empty())
        .filter(|s| {
            fifo || !matches!(s.name, "ContentBasedDeduplication" | "DeduplicationScope" | "FifoThroughputLimit")
        })
        .filter(|s| s.name != "KmsDataKeyReusePeriodSeconds")
        .map(|s| (s.name.to_string(), s.default.to_string()))
        .collect();
    if fifo {
        attributes.insert("FifoQueue".into(), "true".into());
    }
    if given.contains_key("KmsMasterKeyId") {
        attributes.remove("SqsManagedSseEnabled");
        attributes.insert("KmsDataKeyReusePeriodSeconds".into(), "300".into());
    }
    attributes.extend(given.clone());
    attributes.retain(|_, v| !v.is_empty());
    if let Some(existing) = sqs.queues.get(name) {
        // The same name again: the same queue, unless an attribute asked for differs.
        for (k, v) in &given {
            if existing.attributes.get(k).map(String::as_str).unwrap_or("") != v {
                return Err(AwsError::client(
                    "QueueAlreadyExists",
                    format!("A queue already exists with the same name and a different value for attribute {k}"),
                ));
            }
        }
        return Ok(json!({ "QueueUrl": existing.url }));
    }
    if sqs.deleted.get(name).is_some_and(|&at| at + 60_000 > now) {
        return Err(AwsError::client(
            "AWS.SimpleQueueService.QueueDeletedRecently",
            "You must wait 60 seconds after deleting a queue before you can create another with the same name.",
        ));
    }
    let account = ctx.account;
    let url = format!("https://sqs.{}.amazonaws.com/{}/{name}", account.region, account.id);
    let arn = format!("arn:aws:sqs:{}:{}:{name}", account.region, account.id);
    sqs.deleted.remove(name);
    sqs.made += 1;
    sqs.queues.insert(
        name.to_string(),
        Queue {
            name: name.to_string(),
            url: url.clone(),
            arn,
            created_ms: now,
            created_seq: sqs.made,
            modified_ms: now,
            attributes,
            tags,
            messages: Vec::new(),
            deduplication: BTreeMap::new(),
            sequence: 0,
            purged_ms: None,
            receipts: 0,
        },
    );
    Ok(json!({ "QueueUrl": url }))
}

fn get_queue_url(sqs: &Sqs, view: View, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(request, &["QueueName", "QueueOwnerAWSAccountId"])?;
    let name = required(r, "QueueName")?;
    if string(r, "QueueOwnerAWSAccountId")?.is_some_and(|owner| owner != view.account.id) {
        return Err(no_queue());
    }
    sqs.queues.get(name).map(|q| json!({ "QueueUrl": q.url })).ok_or_else(no_queue)
}

fn list_queues(sqs: &Sqs, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(request, &["QueueNamePrefix", "NextToken", "MaxResults"])?;
    let prefix = string(r, "QueueNamePrefix")?.unwrap_or("");
    let max = integer(r, "MaxResults")?;
    if let Some(m) = max {
        if !(1..=1000).contains(&m) {
            return Err(bad_value("MaxResults", m, "Must be between 1 and 1000, if provided."));
        }
    }
    if max.is_none() && string(r, "NextToken")?.is_some() {
        return Err(invalid("MaxResults is a mandatory parameter when you provide a value for NextToken."));
    }
    let after = match string(r, "NextToken")? {
        Some(token) => Some(wire::read_page_token(token).ok_or_else(|| invalid("Invalid or expired next token."))?),
        None => None,
    };
    // In the order they were made; a page token is the last queue's place in that order.
    let place = |q: &Queue| format!("{:020}", q.created_seq);
    let mut names: Vec<&Queue> = sqs
        .queues
        .values()
        .filter(|q| q.name.starts_with(prefix))
        .filter(|q| after.as_deref().is_none_or(|a| place(q).as_str() > a))
        .collect();
    names.sort_by_key(|q| place(q));
    let limit = max.map(|m| m as usize).unwrap_or(1000);
    let page: Vec<&Queue> = names.iter().take(limit).copied().collect();
    let mut out = Map::new();
    if !page.is_empty() {
        out.insert("QueueUrls".into(), json!(page.iter().map(|q| &q.url).collect::<Vec<_>>()));
    }
    if max.is_some() && names.len() > limit {
        out.insert("NextToken".into(), json!(wire::page_token(&place(page[limit - 1]))));
    }
    Ok(Value::Object(out))
}

fn delete_queue(sqs: &mut Sqs, ctx: &mut Ctx, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(request, &["QueueUrl"])?;
    let name = find(sqs, view(ctx), r)?.name.clone();
    sqs.queues.remove(&name);
    sqs.deleted.insert(name, ctx.now_ms);
    Ok(json!({}))
}

fn purge_queue(sqs: &mut Sqs, ctx: &mut Ctx, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(request, &["QueueUrl"])?;
    let now = ctx.now_ms;
    let queue = find_mut(sqs, view(ctx), r)?;
    if queue.purged_ms.is_some_and(|at| at + 60_000 > now) {
        return Err(AwsError::client(
            "AWS.SimpleQueueService.PurgeQueueInProgress",
            format!("Only one PurgeQueue operation on {} is allowed every 60 seconds.", queue.name),
        ));
    }
    queue.messages.clear();
    queue.purged_ms = Some(now);
    Ok(json!({}))
}

/// The names an `AttributeNames` list asks for (`All` is every one).
fn get_queue_attributes(sqs: &Sqs, view: View, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(request, &["QueueUrl", "AttributeNames"])?;
    let queue = find(sqs, view, r)?;
    let mut wanted: Vec<String> = Vec::new();
    if let Some(names) = r.get("AttributeNames") {
        for (i, name) in array(names, "AttributeNames")?.iter().enumerate() {
            let name =
                name.as_str().ok_or_else(|| wire::invalid_type(&format!("AttributeNames[{i}]"), name, "string"))?;
            wanted.push(name.to_string());
        }
    }
    let all = attributes_of(queue, view.now_ms);
    let mut out = Map::new();
    for name in &wanted {
        if name == "All" {
            out.extend(all.iter().map(|(k, v)| (k.clone(), json!(v))));
        } else if let Some(v) = all.get(name) {
            out.insert(name.clone(), json!(v));
        } else if !queue::SETTINGS.iter().any(|s| s.name == name) && !COMPUTED.contains(&name.as_str()) {
            return Err(unknown_attribute(name));
        }
    }
    Ok(if out.is_empty() { json!({}) } else { json!({ "Attributes": out }) })
}

/// The attributes SQS computes rather than stores.
const COMPUTED: &[&str] = &[
    "ApproximateNumberOfMessages",
    "ApproximateNumberOfMessagesNotVisible",
    "ApproximateNumberOfMessagesDelayed",
    "CreatedTimestamp",
    "LastModifiedTimestamp",
    "QueueArn",
];

/// Every attribute of `queue` as GetQueueAttributes `All` answers (counts as of `now`).
fn attributes_of(queue: &Queue, now: Millis) -> BTreeMap<String, String> {
    let (visible, flight, delayed) = queue.counts(now);
    let mut all = queue.attributes.clone();
    all.insert("QueueArn".into(), queue.arn.clone());
    all.insert("ApproximateNumberOfMessages".into(), visible.to_string());
    all.insert("ApproximateNumberOfMessagesNotVisible".into(), flight.to_string());
    all.insert("ApproximateNumberOfMessagesDelayed".into(), delayed.to_string());
    all.insert("CreatedTimestamp".into(), (queue.created_ms / 1000).to_string());
    all.insert("LastModifiedTimestamp".into(), (queue.modified_ms / 1000).to_string());
    all
}

fn set_queue_attributes(sqs: &mut Sqs, ctx: &mut Ctx, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(request, &["QueueUrl", "Attributes"])?;
    if r.get("Attributes").is_none() {
        return Err(wire::missing("Attributes"));
    }
    let now = ctx.now_ms;
    let queue = find_mut(sqs, view(ctx), r)?;
    let given = queue_attributes(r, queue.fifo(), false)?;
    for (k, v) in given {
        if v.is_empty() {
            queue.attributes.remove(&k);
        } else {
            queue.attributes.insert(k, v);
        }
    }
    queue.modified_ms = now;
    Ok(json!({}))
}

fn list_dead_letter_source_queues(sqs: &Sqs, view: View, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(request, &["QueueUrl", "NextToken", "MaxResults"])?;
    let target = find(sqs, view, r)?;
    let urls: Vec<&String> = sqs
        .queues
        .values()
        .filter(|q| q.redrive().is_some_and(|d| d.dead_letter_arn == target.arn))
        .map(|q| &q.url)
        .collect();
    Ok(json!({ "queueUrls": urls }))
}

// ---- tags ----

fn tag_map(r: Request, member: &str) -> Result<BTreeMap<String, String>, AwsError> {
    let mut out = BTreeMap::new();
    if let Some(tags) = map(r, member)? {
        for (k, v) in tags {
            let v = v.as_str().ok_or_else(|| wire::invalid_type(&format!("{member}.{k}"), v, "string"))?;
            if k.is_empty() || k.chars().count() > 128 || v.chars().count() > 256 {
                return Err(invalid("Tag keys must be between 1 and 128 characters in length, and values up to 256."));
            }
            out.insert(k.clone(), v.to_string());
        }
    }
    Ok(out)
}

fn tag_queue(sqs: &mut Sqs, ctx: &mut Ctx, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(request, &["QueueUrl", "Tags"])?;
    if r.get("Tags").is_none() {
        return Err(wire::missing("Tags"));
    }
    let tags = tag_map(r, "Tags")?;
    let queue = find_mut(sqs, view(ctx), r)?;
    let mut next = queue.tags.clone();
    next.extend(tags);
    if next.len() > 50 {
        return Err(invalid("Too many tags added for queue. Queues can have at most 50 tags."));
    }
    queue.tags = next;
    Ok(json!({}))
}

fn untag_queue(sqs: &mut Sqs, ctx: &mut Ctx, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(request, &["QueueUrl", "TagKeys"])?;
    let keys = array(r.get("TagKeys").ok_or_else(|| wire::missing("TagKeys"))?, "TagKeys")?.clone();
    let queue = find_mut(sqs, view(ctx), r)?;
    for key in keys {
        if let Some(k) = key.as_str() {
            queue.tags.remove(k);
        }
    }
    Ok(json!({}))
}

fn list_queue_tags(sqs: &Sqs, view: View, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(request, &["QueueUrl"])?;
    let queue = find(sqs, view, r)?;
    Ok(if queue.tags.is_empty() { json!({}) } else { json!({ "Tags": queue.tags }) })
}

// ---- sending ----

/// One message to send, read and checked against its queue.
struct Outgoing {
    body: String,
    attributes: BTreeMap<String, Attribute>,
    trace_header: Option<String>,
    delay_s: Option<u64>,
    group_id: Option<String>,
    deduplication_id: Option<String>,
}

const SEND_MEMBERS: &[&str] = &[
    "MessageBody",
    "DelaySeconds",
    "MessageAttributes",
    "MessageSystemAttributes",
    "MessageDeduplicationId",
    "MessageGroupId",
];

/// The characters a message body may hold (XML's): #x9, #xA, #xD, #x20 to #xD7FF, #xE000 to
/// #xFFFD, #x10000 to #x10FFFF. Rust strings never hold surrogates, so only controls and
/// U+FFFE/U+FFFF can be out.
fn check_body(body: &str) -> Result<(), AwsError> {
    if let Some(c) =
        body.chars().find(|&c| (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{FFFE}' || c == '\u{FFFF}')
    {
        return Err(AwsError::client(
            "InvalidMessageContents",
            format!("Invalid binary character '#x{:X}' was found in the message body, the set of allowed characters is #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF", c as u32),
        ));
    }
    Ok(())
}

fn message_attributes(r: Request) -> Result<BTreeMap<String, Attribute>, AwsError> {
    let mut out = BTreeMap::new();
    let Some(attributes) = map(r, "MessageAttributes")? else { return Ok(out) };
    if attributes.len() > 10 {
        return Err(invalid(format!(
            "Number of message attributes [{}] exceeds the allowed maximum [10].",
            attributes.len()
        )));
    }
    for (name, value) in attributes {
        let path = format!("MessageAttributes.{name}");
        let v = value.as_object().ok_or_else(|| wire::invalid_type(&path, value, "object"))?;
        let lower = name.to_ascii_lowercase();
        if name.is_empty()
            || name.len() > 256
            || lower.starts_with("aws.")
            || lower.starts_with("amazon.")
            || name.starts_with('.')
            || name.ends_with('.')
            || name.contains("..")
            || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b"_-.".contains(&b))
        {
            return Err(invalid(format!("Message (user) attribute name '{name}' is invalid. The attribute name can contain A-Z, a-z, 0-9, underscore (_), hyphen (-), and period (.) characters.")));
        }
        let data_type = match v.get("DataType") {
            Some(Value::String(t)) if !t.is_empty() => t.clone(),
            None | Some(Value::Null) => return Err(wire::missing(&format!("{path}.DataType"))),
            Some(Value::String(_)) => {
                return Err(invalid(format!(
                    "The message attribute '{name}' must contain non-empty message attribute type."
                )))
            }
            Some(other) => return Err(wire::invalid_type(&format!("{path}.DataType"), other, "string")),
        };
        let base = data_type.split('.').next().unwrap_or("");
        let value = match base {
            "String" | "Number" => {
                let text = match v.get("StringValue") {
                    Some(Value::String(s)) => s.clone(),
                    None | Some(Value::Null) => return Err(invalid(format!("The message attribute '{name}' with type '{base}' must use field 'String'."))),
                    Some(other) => return Err(wire::invalid_type(&format!("{path}.StringValue"), other, "string")),
                };
                if text.is_empty() {
                    return Err(invalid(format!("The message attribute '{name}' must contain non-empty message attribute value for message attribute type '{base}'.")));
                }
                if base == "Number" && !is_sqs_number(&text) {
                    return Err(invalid(format!("Can't cast the value of message (user) attribute '{name}' to a number.")));
                }
                AttributeValue::String(text)
            }
            "Binary" => {
                let text = match v.get("BinaryValue") {
                    Some(Value::String(s)) => s,
                    None | Some(Value::Null) => return Err(invalid(format!("The message attribute '{name}' with type 'Binary' must use field 'Binary'."))),
                    Some(other) => return Err(wire::invalid_type(&format!("{path}.BinaryValue"), other, "blob")),
                };
                let bytes = decode_base64(text).ok_or_else(|| AwsError::client("SerializationException", format!("Invalid base64: \"{text}\"")))?;
                if bytes.is_empty() {
                    return Err(invalid(format!("The message attribute '{name}' must contain non-empty message attribute value for message attribute type 'Binary'.")));
                }
                AttributeValue::Binary(bytes)
            }
            _ => return Err(invalid(format!("The type of message (user) attribute '{name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String."))),
        };
        out.insert(name.clone(), Attribute { data_type, value });
    }
    Ok(out)
}

/// A Number attribute: up to 38 digits of precision, between 10^-128 and 10^+126.
fn is_sqs_number(text: &str) -> bool {
    let t = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = match t.find(['e', 'E']) {
        Some(i) => (&t[..i], Some(&t[i + 1..])),
        None => (t, None),
    };
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let mantissa_ok = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && mantissa.matches('.').count() <= 1
        && digits.trim_start_matches('0').len() <= 38;
    let exponent_ok =
        exponent.is_none_or(|e| e.strip_prefix(['-', '+']).unwrap_or(e).parse::<u32>().is_ok_and(|n| n <= 128));
    mantissa_ok && exponent_ok
}

fn outgoing(r: Request, queue: &Queue) -> Result<Outgoing, AwsError> {
    let body = required(r, "MessageBody").map_err(|_| missing_parameter("MessageBody"))?;
    if body.is_empty() {
        return Err(missing_parameter("MessageBody"));
    }
    check_body(body)?;
    let attributes = message_attributes(r)?;
    let trace_header = match map(r, "MessageSystemAttributes")? {
        Some(system) => {
            for name in system.keys() {
                if name != "AWSTraceHeader" {
                    return Err(invalid(format!("Message system attribute name '{name}' is invalid.")));
                }
            }
            system.get("AWSTraceHeader").and_then(|v| v.get("StringValue")).and_then(Value::as_str).map(str::to_string)
        }
        None => None,
    };
    let delay = integer(r, "DelaySeconds")?;
    if let Some(d) = delay {
        if !(0..=900).contains(&d) {
            return Err(bad_value("DelaySeconds", d, "Must be >= 0 and <= 900, if provided."));
        }
        if queue.fifo() {
            return Err(bad_value(
                "DelaySeconds",
                d,
                "The request include parameter that is not valid for this queue type.",
            ));
        }
    }
    let group_id = string(r, "MessageGroupId")?.map(str::to_string);
    let deduplication_id = string(r, "MessageDeduplicationId")?.map(str::to_string);
    for (member, value) in [("MessageGroupId", &group_id), ("MessageDeduplicationId", &deduplication_id)] {
        if let Some(v) = value {
            if v.is_empty() || v.len() > 128 || !v.bytes().all(|b| b.is_ascii_graphic()) {
                return Err(invalid(format!("Value {v} for parameter {member} is invalid. Reason: {member} can only include alphanumeric and punctuation characters. 1 to 128 in length.")));
            }
        }
    }
    if queue.fifo() {
        if group_id.is_none() {
            return Err(missing_parameter("MessageGroupId"));
        }
        if deduplication_id.is_none()
            && queue.attributes.get("ContentBasedDeduplication").map(String::as_str) != Some("true")
        {
            return Err(invalid("The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly"));
        }
    } else if let Some(d) = &deduplication_id {
        return Err(invalid(format!("Value {d} for parameter MessageDeduplicationId is invalid. Reason: The request includes a parameter that is not valid for this queue type.")));
    }
    let size = body.len()
        + attributes
            .iter()
            .map(|(n, a)| {
                n.len()
                    + a.data_type.len()
                    + match &a.value {
                        AttributeValue::String(s) => s.len(),
                        AttributeValue::Binary(b) => b.len(),
                    }
            })
            .sum::<usize>();
    let max = queue.number("MaximumMessageSize") as usize;
    if size > max {
        return Err(invalid(format!(
            "One or more parameters are invalid. Reason: Message must be shorter than {max} bytes."
        )));
    }
    Ok(Outgoing {
        body: body.to_string(),
        attributes,
        trace_header,
        delay_s: delay.map(|d| d as u64),
        group_id,
        deduplication_id,
    })
}

/// Who the message is from, as SenderId shows it.
fn sender_id(ctx: &Ctx) -> String {
    match ctx.caller {
        Principal::Learner => ctx.account.user_id.clone(),
        Principal::Role { arn, session } => format!("AROA{}:{session}", crate::ids::derived_iam_id(arn)),
        Principal::Service { name } => name.clone(),
    }
}

/// Commits one checked message to `queue`; answers SendMessage's result members.
fn enqueue(queue: &mut Queue, message: Outgoing, ctx: &mut Ctx) -> Value {
    let now = ctx.now_ms;
    let md5_body = md5_hex(message.body.as_bytes());
    let md5_attributes = (!message.attributes.is_empty()).then(|| md5_of_attributes(&message.attributes));
    let mut out = Map::new();
    out.insert("MD5OfMessageBody".into(), json!(md5_body));
    if let Some(m) = &md5_attributes {
        out.insert("MD5OfMessageAttributes".into(), json!(m));
    }
    let mut sequence = None;
    let mut deduplication_id = message.deduplication_id.clone();
    if queue.fifo() {
        let id = deduplication_id.clone().unwrap_or_else(|| sha256_hex(message.body.as_bytes()));
        deduplication_id = Some(id.clone());
        let key = match queue.attributes.get("DeduplicationScope").map(String::as_str) {
            Some("messageGroup") => format!("{}\u{0}{id}", message.group_id.as_deref().unwrap_or("")),
            _ => id,
        };
        if let Some(seen) = queue.deduplication.get(&key) {
            // A duplicate within five minutes: accepted, answered as the first, not enqueued.
            out.insert("MessageId".into(), json!(seen.message_id));
            out.insert("SequenceNumber".into(), json!(seen.sequence));
            return Value::Object(out);
        }
        queue.sequence += 1;
        // Twenty digits, increasing per queue, as SQS's FIFO sequence numbers look.
        let number = (18_849_496_460_467_696_128u128 + u128::from(queue.sequence) * 65_536).to_string();
        sequence = Some(number.clone());
        let id = ctx.ids.uuid();
        queue.deduplication.insert(key, Remembered { sent_ms: now, message_id: id.clone(), sequence: number });
        out.insert("MessageId".into(), json!(id));
    } else {
        out.insert("MessageId".into(), json!(ctx.ids.uuid()));
    }
    if let Some(s) = &sequence {
        out.insert("SequenceNumber".into(), json!(s));
    }
    let delay = message.delay_s.unwrap_or_else(|| queue.number("DelaySeconds"));
    queue.messages.push(Message {
        id: out["MessageId"].as_str().unwrap_or_default().to_string(),
        body: message.body,
        md5_body,
        attributes: message.attributes,
        md5_attributes,
        trace_header: message.trace_header,
        sender_id: sender_id(ctx),
        sent_ms: now,
        visible_ms: now + delay * 1000,
        receive_count: 0,
        first_receive_ms: None,
        receipt: None,
        group_id: message.group_id,
        deduplication_id,
        sequence,
        dead_letter_source: None,
    });
    ctx.changed_at(&queue.arn, now + delay * 1000);
    Value::Object(out)
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn send_message(sqs: &mut Sqs, ctx: &mut Ctx, request: &Value) -> Result<Value, AwsError> {
    let mut members = vec!["QueueUrl"];
    members.extend_from_slice(SEND_MEMBERS);
    let r = object_with(request, &members)?;
    let v = view(ctx);
    let queue = find_mut(sqs, v, r)?;
    let message = outgoing(r, queue)?;
    Ok(enqueue(queue, message, ctx))
}

/// A batch's entries: 1 to 10, each with a distinct Id of letters, digits, hyphens and underscores.
/// A batch entry: its Id and its members.
type Entry<'a> = (&'a str, &'a Map<String, Value>);

fn batch_entries<'a>(r: Request<'a>, kind: &str) -> Result<Vec<Entry<'a>>, AwsError> {
    let entries = array(r.get("Entries").ok_or_else(|| wire::missing("Entries"))?, "Entries")?;
    if entries.is_empty() {
        return Err(AwsError::client(
            "AWS.SimpleQueueService.EmptyBatchRequest",
            format!("There should be at least one {kind}BatchRequestEntry in the request."),
        ));
    }
    if entries.len() > 10 {
        return Err(AwsError::client(
            "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
            format!("Maximum number of entries per request are 10. You have sent {}.", entries.len()),
        ));
    }
    let mut out: Vec<Entry> = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let e = entry.as_object().ok_or_else(|| wire::invalid_type(&format!("Entries[{i}]"), entry, "object"))?;
        let id = required(e, "Id").map_err(|_| wire::missing(&format!("Entries[{i}].Id")))?;
        if id.is_empty() || id.len() > 80 || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
            return Err(AwsError::client(
                "AWS.SimpleQueueService.InvalidBatchEntryId",
                "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.",
            ));
        }
        if out.iter().any(|(other, _)| *other == id) {
            return Err(AwsError::client(
                "AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
                format!("Id {id} repeated."),
            ));
        }
        out.push((id, e));
    }
    Ok(out)
}

fn failed(id: &str, e: AwsError) -> Value {
    json!({ "Id": id, "SenderFault": e.status < 500, "Code": e.code, "Message": e.message })
}

fn batch_answer(successful: Vec<Value>, failures: Vec<Value>) -> Value {
    json!({ "Successful": successful, "Failed": failures })
}

fn send_message_batch(sqs: &mut Sqs, ctx: &mut Ctx, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(request, &["QueueUrl", "Entries"])?;
    let entries = batch_entries(r, "SendMessage")?;
    let v = view(ctx);
    let queue = find_mut(sqs, v, r)?;
    let mut members = vec!["Id"];
    members.extend_from_slice(SEND_MEMBERS);
    let mut checked = Vec::new();
    let mut total = 0usize;
    for (i, (id, e)) in entries.iter().enumerate() {
        wire::object_with(&Value::Object((*e).clone()), &members).map_err(|err| {
            AwsError::param_validation(
                err.message
                    .replace("input: ", &format!("input: Entries[{i}] "))
                    .trim_start_matches("Parameter validation failed:\n"),
            )
        })?;
        let one = outgoing(e, queue);
        if let Ok(m) = &one {
            total += m.body.len();
        }
        checked.push((*id, one));
    }
    let max = queue.number("MaximumMessageSize") as usize;
    if total > max {
        return Err(AwsError::client(
            "AWS.SimpleQueueService.BatchRequestTooLong",
            format!("Batch requests cannot be longer than {max} bytes. You have sent {total} bytes."),
        ));
    }
    let (mut ok, mut bad) = (Vec::new(), Vec::new());
    for (id, one) in checked {
        match one {
            Ok(message) => {
                let mut answer = enqueue(queue, message, ctx);
                answer["Id"] = json!(id);
                ok.push(answer);
            }
            Err(e) => bad.push(failed(id, e)),
        }
    }
    Ok(batch_answer(ok, bad))
}

// ---- receiving ----

/// The message system attributes ReceiveMessage may ask for.
const SYSTEM_ATTRIBUTES: &[&str] = &[
    "All",
    "SenderId",
    "SentTimestamp",
    "ApproximateReceiveCount",
    "ApproximateFirstReceiveTimestamp",
    "SequenceNumber",
    "MessageDeduplicationId",
    "MessageGroupId",
    "AWSTraceHeader",
    "DeadLetterQueueSourceArn",
];

fn names(r: Request, member: &str) -> Result<Vec<String>, AwsError> {
    let Some(list) = r.get(member) else { return Ok(Vec::new()) };
    array(list, member)?
        .iter()
        .enumerate()
        .map(|(i, v)| {
            v.as_str().map(str::to_string).ok_or_else(|| wire::invalid_type(&format!("{member}[{i}]"), v, "string"))
        })
        .collect()
}

fn receive_message(sqs: &mut Sqs, ctx: &mut Ctx, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(
        request,
        &[
            "QueueUrl",
            "AttributeNames",
            "MessageSystemAttributeNames",
            "MessageAttributeNames",
            "MaxNumberOfMessages",
            "VisibilityTimeout",
            "WaitTimeSeconds",
            "ReceiveRequestAttemptId",
        ],
    )?;
    let max = integer(r, "MaxNumberOfMessages")?.unwrap_or(1);
    if !(1..=10).contains(&max) {
        return Err(bad_value("MaxNumberOfMessages", max, "Must be between 1 and 10, if provided."));
    }
    let visibility = integer(r, "VisibilityTimeout")?;
    if let Some(t) = visibility {
        if !(0..=43_200).contains(&t) {
            return Err(bad_value("VisibilityTimeout", t, "Must be between 0 and 43200, if provided."));
        }
    }
    if let Some(w) = integer(r, "WaitTimeSeconds")? {
        if !(0..=20).contains(&w) {
            return Err(bad_value("WaitTimeSeconds", w, "Must be >= 0 and <= 20, if provided."));
        }
    }
    let mut system = names(r, "AttributeNames")?;
    system.extend(names(r, "MessageSystemAttributeNames")?);
    if let Some(bad) = system.iter().find(|n| !SYSTEM_ATTRIBUTES.contains(&n.as_str())) {
        return Err(unknown_attribute(bad));
    }
    let user = names(r, "MessageAttributeNames")?;
    let now = ctx.now_ms;
    let v = view(ctx);
    let name = find(sqs, v, r)?.name.clone();
    // Redrive first: a message received maxReceiveCount times moves to its dead-letter queue
    // instead of being handed out again.
    let queue = sqs.queues.get_mut(&name).ok_or_else(no_queue)?;
    queue.expire(now);
    let redrive = queue.redrive();
    let mut moved = Vec::new();
    if let Some(policy) = &redrive {
        let dead_letter_exists =
            policy.dead_letter_arn.rsplit(':').next().is_some_and(|n| n != name && sqs.queues.contains_key(n));
        let queue = sqs.queues.get_mut(&name).ok_or_else(no_queue)?;
        if dead_letter_exists {
            let mut kept = Vec::new();
            for m in std::mem::take(&mut queue.messages) {
                if m.visible_ms <= now && m.receive_count >= policy.max_receive_count {
                    moved.push(m);
                } else {
                    kept.push(m);
                }
            }
            queue.messages = kept;
        }
    }
    let source_arn = sqs.queues.get(&name).map(|q| q.arn.clone()).unwrap_or_default();
    if let Some(policy) = &redrive {
        if let Some(dlq) = policy.dead_letter_arn.rsplit(':').next().and_then(|n| sqs.queues.get_mut(n)) {
            let arrived = !moved.is_empty();
            for mut m in moved {
                m.dead_letter_source = Some(source_arn.clone());
                m.receipt = None;
                m.visible_ms = now;
                dlq.messages.push(m);
            }
            if arrived {
                ctx.changed(&dlq.arn);
            }
        }
    }
    let queue = sqs.queues.get_mut(&name).ok_or_else(no_queue)?;
    let timeout = visibility.map(|t| t as u64).unwrap_or_else(|| queue.number("VisibilityTimeout"));
    let mut messages = Vec::new();
    for i in queue.receivable(now, max as usize) {
        queue.receipts += 1;
        let receipt =
            encode_base64(format!("{}\u{1}{}\u{1}{}", queue.arn, queue.messages[i].id, queue.receipts).as_bytes());
        let m = &mut queue.messages[i];
        m.receive_count += 1;
        m.first_receive_ms.get_or_insert(now);
        m.visible_ms = now + timeout * 1000;
        m.receipt = Some(receipt.clone());
        messages.push(received(m, &receipt, &system, &user));
    }
    if !messages.is_empty() {
        // What was received becomes visible again when its timeout ends, unless deleted.
        let arn = queue.arn.clone();
        ctx.changed_at(&arn, now + timeout * 1000);
    }
    Ok(if messages.is_empty() { json!({}) } else { json!({ "Messages": messages }) })
}

/// A received message as ReceiveMessage shows it, with the system and user attributes asked for.
fn received(m: &Message, receipt: &str, system: &[String], user: &[String]) -> Value {
    let mut out = json!({ "MessageId": m.id, "ReceiptHandle": receipt, "MD5OfBody": m.md5_body, "Body": m.body });
    let all = system.iter().any(|n| n == "All");
    let mut attributes = Map::new();
    let mut add = |name: &str, value: Option<String>| {
        if let Some(v) = value {
            if all || system.iter().any(|n| n == name) {
                attributes.insert(name.to_string(), json!(v));
            }
        }
    };
    add("SenderId", Some(m.sender_id.clone()));
    add("SentTimestamp", Some(m.sent_ms.to_string()));
    add("ApproximateReceiveCount", Some(m.receive_count.to_string()));
    add("ApproximateFirstReceiveTimestamp", m.first_receive_ms.map(|t| t.to_string()));
    add("SequenceNumber", m.sequence.clone());
    add("MessageDeduplicationId", m.deduplication_id.clone());
    add("MessageGroupId", m.group_id.clone());
    add("AWSTraceHeader", m.trace_header.clone());
    add("DeadLetterQueueSourceArn", m.dead_letter_source.clone());
    if !attributes.is_empty() {
        out["Attributes"] = Value::Object(attributes);
    }
    let wanted = |name: &str| {
        user.iter().any(|u| {
            u == "All"
                || u == ".*"
                || u == name
                || u.strip_suffix(".*").is_some_and(|p| name.starts_with(&format!("{p}.")))
        })
    };
    let chosen: BTreeMap<String, Attribute> =
        m.attributes.iter().filter(|(n, _)| wanted(n)).map(|(n, a)| (n.clone(), a.clone())).collect();
    if !chosen.is_empty() {
        out["MD5OfMessageAttributes"] = json!(md5_of_attributes(&chosen));
        let shown: Map<String, Value> = chosen
            .iter()
            .map(|(n, a)| {
                let v = match &a.value {
                    AttributeValue::String(s) => json!({ "StringValue": s, "DataType": a.data_type }),
                    AttributeValue::Binary(b) => json!({ "BinaryValue": encode_base64(b), "DataType": a.data_type }),
                };
                (n.clone(), v)
            })
            .collect();
        out["MessageAttributes"] = Value::Object(shown);
    }
    out
}

// ---- receipts: deleting and changing visibility ----

/// What a receipt handle names: the queue's ARN, the message id, and which receive it was.
fn read_receipt(handle: &str) -> Option<(String, String, u64)> {
    let bytes = decode_base64(handle)?;
    let text = String::from_utf8(bytes).ok()?;
    let mut parts = text.split('\u{1}');
    let (arn, id, n) = (parts.next()?, parts.next()?, parts.next()?.parse().ok()?);
    parts.next().is_none().then(|| (arn.to_string(), id.to_string(), n))
}

/// The index of the message `handle` names in `queue`, if it is still there and the handle is its
/// latest; `Err` when the handle is not one of this queue's.
fn by_receipt(queue: &Queue, handle: &str) -> Result<Option<usize>, AwsError> {
    let Some((arn, id, _)) = read_receipt(handle) else { return Err(bad_receipt(handle)) };
    if arn != queue.arn {
        return Err(bad_receipt(handle));
    }
    Ok(queue.messages.iter().position(|m| m.id == id && m.receipt.as_deref() == Some(handle)))
}

fn delete_message(sqs: &mut Sqs, ctx: &mut Ctx, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(request, &["QueueUrl", "ReceiptHandle"])?;
    let handle = required(r, "ReceiptHandle")?;
    let queue = find_mut(sqs, view(ctx), r)?;
    if let Some(i) = by_receipt(queue, handle)? {
        queue.messages.remove(i);
    }
    Ok(json!({}))
}

fn delete_message_batch(sqs: &mut Sqs, ctx: &mut Ctx, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(request, &["QueueUrl", "Entries"])?;
    let entries = batch_entries(r, "DeleteMessage")?;
    let mut handles = Vec::new();
    for (i, (id, e)) in entries.iter().enumerate() {
        let handle = required(e, "ReceiptHandle").map_err(|_| wire::missing(&format!("Entries[{i}].ReceiptHandle")))?;
        handles.push((*id, handle));
    }
    let queue = find_mut(sqs, view(ctx), r)?;
    let (mut ok, mut bad) = (Vec::new(), Vec::new());
    for (id, handle) in handles {
        match by_receipt(queue, handle) {
            Ok(found) => {
                if let Some(i) = found {
                    queue.messages.remove(i);
                }
                ok.push(json!({ "Id": id }));
            }
            Err(e) => bad.push(failed(id, e)),
        }
    }
    Ok(batch_answer(ok, bad))
}

fn not_in_flight() -> AwsError {
    AwsError::client(
        "AWS.SimpleQueueService.MessageNotInflight",
        "Message does not exist or is not available for visibility timeout change.",
    )
}

/// Sets the visibility timeout of the in-flight message `handle` names, from now.
fn change_one(queue: &mut Queue, handle: &str, timeout: i64, now: Millis) -> Result<(), AwsError> {
    if !(0..=43_200).contains(&timeout) {
        return Err(bad_value("VisibilityTimeout", timeout, "Must be between 0 and 43200, if provided."));
    }
    let i = by_receipt(queue, handle)?.ok_or_else(not_in_flight)?;
    let m = &mut queue.messages[i];
    if !m.in_flight(now) {
        return Err(not_in_flight());
    }
    m.visible_ms = now + timeout as u64 * 1000;
    Ok(())
}

fn change_visibility(sqs: &mut Sqs, ctx: &mut Ctx, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(request, &["QueueUrl", "ReceiptHandle", "VisibilityTimeout"])?;
    let handle = required(r, "ReceiptHandle")?;
    let timeout = integer(r, "VisibilityTimeout")?.ok_or_else(|| wire::missing("VisibilityTimeout"))?;
    let now = ctx.now_ms;
    let queue = find_mut(sqs, view(ctx), r)?;
    change_one(queue, handle, timeout, now)?;
    let arn = queue.arn.clone();
    ctx.changed_at(&arn, now + timeout as u64 * 1000);
    Ok(json!({}))
}

fn change_visibility_batch(sqs: &mut Sqs, ctx: &mut Ctx, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(request, &["QueueUrl", "Entries"])?;
    let entries = batch_entries(r, "ChangeMessageVisibility")?;
    let now = ctx.now_ms;
    let queue = find_mut(sqs, view(ctx), r)?;
    let (mut ok, mut bad) = (Vec::new(), Vec::new());
    for (id, e) in entries {
        let handle = e.get("ReceiptHandle").and_then(Value::as_str).unwrap_or("");
        let timeout = e.get("VisibilityTimeout").and_then(Value::as_i64).unwrap_or(0);
        match change_one(queue, handle, timeout, now) {
            Ok(()) => {
                ctx.changed_at(&queue.arn, now + timeout as u64 * 1000);
                ok.push(json!({ "Id": id }))
            }
            Err(e) => bad.push(failed(id, e)),
        }
    }
    Ok(batch_answer(ok, bad))
}
