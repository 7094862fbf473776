//! CloudWatch Logs' wire edge (AWS JSON 1.1): each operation reads its request, checks it against
//! the groups, then commits; errors carry CloudWatch Logs' codes and messages.
//!
//! One file per group of operations (`groups.rs`, `streams.rs`, `events.rs`); this one
//! dispatches and holds the readers they share: names, identifiers, limits and tokens.

use super::group::{LogGroup, LogStream};
use super::Logs;
use crate::clock::Millis;
use crate::error::AwsError;
use crate::service::Account;
use crate::wire::{self, object_with, string};
use serde_json::{json, Map, Value};

mod events;
mod groups;
mod streams;

/// The operations this simulator implements, in the API reference's order.
pub const ACTIONS: &[&str] = &[
    "CreateLogGroup",
    "CreateLogStream",
    "DeleteLogGroup",
    "DeleteLogStream",
    "DeleteRetentionPolicy",
    "DescribeLogGroups",
    "DescribeLogStreams",
    "FilterLogEvents",
    "GetLogEvents",
    "ListTagsForResource",
    "PutLogEvents",
    "PutRetentionPolicy",
    "TagResource",
    "UntagResource",
];

/// CloudWatch Logs' other operations a course meets (metric and subscription filters, Logs
/// Insights queries, the older tagging API...): refused as a simulator limitation, not as unknown.
const NOT_YET: &[&str] = &[
    "AssociateKmsKey",
    "CreateExportTask",
    "DeleteMetricFilter",
    "DeleteResourcePolicy",
    "DeleteSubscriptionFilter",
    "DescribeMetricFilters",
    "DescribeQueries",
    "DescribeResourcePolicies",
    "DescribeSubscriptionFilters",
    "DisassociateKmsKey",
    "GetLogRecord",
    "GetQueryResults",
    "ListLogGroups",
    "ListTagsLogGroup",
    "PutLogGroupDeletionProtection",
    "PutMetricFilter",
    "PutResourcePolicy",
    "PutSubscriptionFilter",
    "StartLiveTail",
    "StartQuery",
    "StopQuery",
    "TagLogGroup",
    "TestMetricFilter",
    "UntagLogGroup",
];

/// The operations that only read.
pub const READ_ONLY: &[&str] =
    &["DescribeLogGroups", "DescribeLogStreams", "FilterLogEvents", "GetLogEvents", "ListTagsForResource"];

type Request<'a> = &'a Map<String, Value>;

pub(super) fn call(
    logs: &mut Logs,
    now_ms: Millis,
    account: &Account,
    action: &str,
    request: &Value,
) -> Result<Value, AwsError> {
    match action {
        "CreateLogGroup" => groups::create_log_group(logs, now_ms, account, request),
        "CreateLogStream" => streams::create_log_stream(logs, now_ms, request),
        "DeleteLogGroup" => groups::delete_log_group(logs, request),
        "DeleteLogStream" => streams::delete_log_stream(logs, request),
        "DeleteRetentionPolicy" => groups::delete_retention_policy(logs, request),
        "PutLogEvents" => events::put_log_events(logs, now_ms, request),
        "PutRetentionPolicy" => groups::put_retention_policy(logs, request),
        "TagResource" => groups::tag_resource(logs, request),
        "UntagResource" => groups::untag_resource(logs, request),
        _ => read(logs, now_ms, action, request),
    }
}

/// A read-only operation, run without changing anything.
pub(super) fn read(logs: &Logs, now_ms: Millis, action: &str, request: &Value) -> Result<Value, AwsError> {
    match action {
        "DescribeLogGroups" => groups::describe_log_groups(logs, now_ms, request),
        "DescribeLogStreams" => streams::describe_log_streams(logs, request),
        "FilterLogEvents" => events::filter_log_events(logs, now_ms, request),
        "GetLogEvents" => events::get_log_events(logs, now_ms, request),
        "ListTagsForResource" => groups::list_tags_for_resource(logs, request),
        _ => Err(crate::wire::unknown_operation(action, NOT_YET)),
    }
}

fn invalid(message: impl Into<String>) -> AwsError {
    AwsError::client("InvalidParameterException", message)
}

/// CloudWatch Logs' model validation: InvalidParameterException, `1 validation error detected: ...`.
fn constraint(value: &str, member: &str, rule: &str) -> AwsError {
    wire::constraint("InvalidParameterException", Some(value), member, rule)
}

fn group_not_found() -> AwsError {
    AwsError::client("ResourceNotFoundException", "The specified log group does not exist.")
}

fn stream_not_found() -> AwsError {
    AwsError::client("ResourceNotFoundException", "The specified log stream does not exist.")
}

fn invalid_token() -> AwsError {
    invalid("The specified nextToken is invalid.")
}

/// A name member (`logGroupName`, `logStreamNamePrefix`...): 1 to 512 characters, each allowed by
/// `allowed`, whose pattern the error names.
fn name_member<'a>(
    r: Request<'a>,
    member: &str,
    allowed: fn(char) -> bool,
    pattern: &str,
) -> Result<Option<&'a str>, AwsError> {
    let Some(name) = string(r, member)? else { return Ok(None) };
    wire::min_length(name, member, 1)?;
    if name.chars().count() > 512 {
        return Err(constraint(name, member, "Member must have length less than or equal to 512"));
    }
    if !name.chars().all(allowed) {
        return Err(constraint(name, member, &format!("Member must satisfy regular expression pattern: {pattern}")));
    }
    Ok(Some(name))
}

fn group_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "._-/#".contains(c)
}

fn stream_char(c: char) -> bool {
    c != ':' && c != '*'
}

/// A log group name member.
fn group_name<'a>(r: Request<'a>, member: &str) -> Result<Option<&'a str>, AwsError> {
    name_member(r, member, group_char, "[\\.\\-_/#A-Za-z0-9]+")
}

/// A log stream name member.
fn stream_name<'a>(r: Request<'a>, member: &str) -> Result<Option<&'a str>, AwsError> {
    name_member(r, member, stream_char, "[^:*]*")
}

fn required_group_name(r: Request) -> Result<String, AwsError> {
    group_name(r, "logGroupName")?.map(str::to_string).ok_or_else(|| wire::missing("logGroupName"))
}

fn required_stream_name(r: Request) -> Result<String, AwsError> {
    stream_name(r, "logStreamName")?.map(str::to_string).ok_or_else(|| wire::missing("logStreamName"))
}

/// The group the operation reads: logGroupName, or logGroupIdentifier (a name or an ARN), not both.
fn target_group(r: Request) -> Result<String, AwsError> {
    let name = group_name(r, "logGroupName")?;
    let identifier = string(r, "logGroupIdentifier")?;
    match (name, identifier) {
        (Some(_), Some(_)) => Err(AwsError::client(
            "ValidationException",
            "LogGroup name and LogGroup ARN are mutually exclusive parameters.",
        )),
        (Some(name), None) => Ok(name.to_string()),
        (None, Some(identifier)) => identifier_name(identifier, "logGroupIdentifier"),
        (None, None) => Err(invalid("Either logGroupName or logGroupIdentifier must be specified.")),
    }
}

/// The group a logGroupIdentifier names: its name, or its ARN (without the `:*` of the `arn`
/// member, which the identifier's pattern does not allow).
fn identifier_name(identifier: &str, member: &str) -> Result<String, AwsError> {
    wire::min_length(identifier, member, 1)?;
    let allowed = |c: char| c.is_alphanumeric() || "_#+=/:,.@-".contains(c);
    if identifier.chars().count() > 2048 || !identifier.chars().all(allowed) {
        return Err(constraint(identifier, member, "Member must satisfy regular expression pattern: [\\w#+=/:,.@-]*"));
    }
    Ok(match identifier.split_once(":log-group:") {
        Some((_, name)) if identifier.starts_with("arn:") => name.to_string(),
        _ => identifier.to_string(),
    })
}

fn find_group<'a>(logs: &'a Logs, name: &str) -> Result<&'a LogGroup, AwsError> {
    logs.groups.get(name).ok_or_else(group_not_found)
}

fn find_stream<'a>(group: &'a LogGroup, name: &str) -> Result<&'a LogStream, AwsError> {
    group.streams.get(name).ok_or_else(stream_not_found)
}

/// `limit`: 1 to `max`, `max` unless said.
fn limit(r: Request, max: i64) -> Result<usize, AwsError> {
    let Some(limit) = wire::integer(r, "limit")? else { return Ok(max as usize) };
    wire::min_value(limit, "limit", 1)?;
    if limit > max {
        return Err(constraint(
            &limit.to_string(),
            "limit",
            &format!("Member must have value less than or equal to {max}"),
        ));
    }
    Ok(limit as usize)
}

/// nextToken of the Describe operations: the name the previous page ended with.
fn name_token(r: Request) -> Result<Option<String>, AwsError> {
    let Some(token) = string(r, "nextToken")? else { return Ok(None) };
    wire::min_length(token, "nextToken", 1)?;
    wire::read_page_token(token).map(Some).ok_or_else(invalid_token)
}

/// A tags map (`{"key": "value"}`): 1 to 50 tags, keys of 1 to 128 characters, values up to 256.
fn read_tags(value: &Value, member: &str) -> Result<Vec<(String, String)>, AwsError> {
    let map = value.as_object().ok_or_else(|| wire::invalid_type(member, value, "dict"))?;
    let mut tags = Vec::new();
    for (key, text) in map {
        let text = text.as_str().ok_or_else(|| wire::invalid_type(&format!("{member}.{key}"), text, "string"))?;
        wire::min_length(key, &format!("{member}.keys"), 1)?;
        if key.chars().count() > 128 {
            return Err(constraint(key, &format!("{member}.key"), "Member must have length less than or equal to 128"));
        }
        if text.chars().count() > 256 {
            return Err(constraint(
                text,
                &format!("{member}.{key}"),
                "Member must have length less than or equal to 256",
            ));
        }
        tags.push((key.clone(), text.to_string()));
    }
    if tags.len() > 50 {
        return Err(wire::constraint(
            "InvalidParameterException",
            None,
            member,
            "Member must have length less than or equal to 50",
        ));
    }
    Ok(tags)
}

/// The empty answer of the operations that only change things.
fn done() -> Value {
    json!({})
}
