//! DynamoDB's wire edge: each operation reads its request (the members the API reference names),
//! validates all of it, and only then changes the tables. Errors carry DynamoDB's codes and
//! messages. Every operation that changes anything is a typed input that `parse`s the request,
//! `check`s it against `&DynamoDb` and `commit`s with `&mut DynamoDb`, which cannot fail (see
//! `tables.rs` and `items.rs`).
//!
//! One file per group of operations; this one dispatches and holds the request readers they share.

use super::expr::ast::{Comparator, Condition, Operand, PathElement, UpdateAction};
use super::expr::eval;
use super::expr::resolve::{key_untouched, DocPath, ExprKind, Placeholders, Step};
use super::index::{Index, IndexStatus, Projection};
use super::model::{item_from_wire, item_size, item_to_wire, AttributeValue, Item, ScalarType};
use super::streams::ViewType;
use super::table::{Billing, KeyAttribute, KeySchema, KeyValue, StoredItem, Table, TableStatus, TRANSITION_MS};
use super::{Ctx, DynamoDb, Job};
use crate::error::AwsError;
use crate::wire::{boolean, integer, invalid_type, map, missing, object_with, required, string};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

mod batches;
mod items;
mod kinesis;
mod reads;
mod tables;
mod transactions;
mod ttl_tags;

use batches::*;
use items::*;
use kinesis::*;
use reads::*;
use tables::*;
use transactions::*;
use ttl_tags::*;

/// The operations this simulator implements, in the API reference's order.
pub const ACTIONS: &[&str] = &[
    "BatchGetItem",
    "BatchWriteItem",
    "CreateTable",
    "DeleteItem",
    "DeleteTable",
    "DescribeKinesisStreamingDestination",
    "DescribeLimits",
    "DescribeTable",
    "DescribeTimeToLive",
    "DisableKinesisStreamingDestination",
    "EnableKinesisStreamingDestination",
    "GetItem",
    "ListTables",
    "ListTagsOfResource",
    "PutItem",
    "Query",
    "Scan",
    "TagResource",
    "TransactGetItems",
    "TransactWriteItems",
    "UntagResource",
    "UpdateItem",
    "UpdateTable",
    "UpdateTimeToLive",
];

/// Largest item, in bytes.
const MAX_ITEM_BYTES: usize = 400 * 1024;
/// A Query or Scan page stops after reading this many bytes (before any filter).
const PAGE_BYTES: usize = 1024 * 1024;

type Request<'a> = &'a Map<String, Value>;

fn invalid(message: impl Into<String>) -> AwsError {
    AwsError::client("ValidationException", message)
}

fn not_found() -> AwsError {
    AwsError::client("ResourceNotFoundException", "Requested resource not found")
}

/// A request member this simulator does not implement yet: refused out loud, never ignored.
fn unsupported(member: &str) -> AwsError {
    AwsError::client(
        "SimulatorLimitation",
        format!("The simulator does not support {member} yet; see docs/differences.md."),
    )
}

/// `Constraint` failures are reported the way DynamoDB's model validation words them.
fn constraint(value: &str, member: &str, rule: &str) -> AwsError {
    invalid(format!("1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: {rule}"))
}

fn enum_member<'a>(
    request: Request<'a>,
    member: &str,
    field: &str,
    allowed: &[&str],
) -> Result<Option<&'a str>, AwsError> {
    let Some(value) = string(request, member)? else { return Ok(None) };
    if allowed.contains(&value) {
        Ok(Some(value))
    } else {
        Err(constraint(value, field, &format!("Member must satisfy enum value set: [{}]", allowed.join(", "))))
    }
}

fn refuse_legacy(request: Request, members: &[&str]) -> Result<(), AwsError> {
    match members.iter().find(|m| request.get(**m).is_some_and(|v| !v.is_null())) {
        Some(member) => Err(unsupported(&format!("the legacy parameter {member} (use the expression parameters)"))),
        None => Ok(()),
    }
}

/// A read-only operation (see `probe::READ_ONLY`), run without recording or changing anything.
pub(super) fn read(db: &DynamoDb, action: &str, request: &Value) -> Result<Value, AwsError> {
    match action {
        "DescribeTable" => describe_table(db, request),
        "ListTables" => list_tables(db, request),
        "DescribeTimeToLive" => describe_time_to_live(db, request),
        "ListTagsOfResource" => list_tags_of_resource(db, request),
        "DescribeLimits" => describe_limits(request),
        "DescribeKinesisStreamingDestination" => describe_kinesis_streaming_destination(db, request),
        _ => Err(AwsError::client("UnknownOperationException", "An unknown operation was requested.")),
    }
}

/// ExpressionAttributeNames and ExpressionAttributeValues for conditions that are not part of a
/// request (lab checks), read and checked exactly as a ConditionExpression's are.
pub(super) fn condition_placeholders(
    names: &BTreeMap<String, String>,
    values: &Map<String, Value>,
) -> Result<Placeholders, AwsError> {
    let mut request = Map::new();
    request.insert("ConditionExpression".into(), json!(""));
    if !names.is_empty() {
        request.insert("ExpressionAttributeNames".into(), json!(names));
    }
    if !values.is_empty() {
        request.insert("ExpressionAttributeValues".into(), Value::Object(values.clone()));
    }
    placeholders(&request, &PUT_DELETE)
}

/// The stored item with `key` in the ACTIVE table `name`, looked up as GetItem would.
pub(super) fn peek_item(db: &DynamoDb, name: &str, key: &Map<String, Value>) -> Result<Option<Item>, AwsError> {
    let table = active_table(db, name)?;
    let key = item_from_wire(key, "Key")?;
    check_key(table, &key, "The provided key element does not match the schema")?;
    Ok(table.key_of(&key).and_then(|k| table.get(&k)))
}

pub fn call(db: &mut DynamoDb, ctx: &mut Ctx, action: &str, request: &Value) -> Result<Value, AwsError> {
    match action {
        "CreateTable" => create_table(db, ctx, request),
        "DescribeTable" => describe_table(db, request),
        "UpdateTable" => update_table(db, ctx, request),
        "DeleteTable" => delete_table(db, ctx, request),
        "ListTables" => list_tables(db, request),
        "PutItem" => run::<PutItem>(db, ctx, request),
        "GetItem" => run::<GetItem>(db, ctx, request),
        "DeleteItem" => run::<DeleteItem>(db, ctx, request),
        "UpdateItem" => run::<UpdateItem>(db, ctx, request),
        "BatchWriteItem" => run::<BatchWriteItem>(db, ctx, request),
        "BatchGetItem" => run::<BatchGetItem>(db, ctx, request),
        "TransactWriteItems" => run::<TransactWriteItems>(db, ctx, request),
        "TransactGetItems" => run::<TransactGetItems>(db, ctx, request),
        "UpdateTimeToLive" => update_time_to_live(db, ctx, request),
        "DescribeTimeToLive" => describe_time_to_live(db, request),
        "TagResource" => tag_resource(db, request),
        "UntagResource" => untag_resource(db, request),
        "ListTagsOfResource" => list_tags_of_resource(db, request),
        "DescribeLimits" => describe_limits(request),
        "EnableKinesisStreamingDestination" => enable_kinesis_streaming_destination(db, ctx, request),
        "DescribeKinesisStreamingDestination" => describe_kinesis_streaming_destination(db, request),
        "DisableKinesisStreamingDestination" => disable_kinesis_streaming_destination(db, ctx, request),
        "Query" => run::<Query>(db, ctx, request),
        "Scan" => run::<Scan>(db, ctx, request),
        _ => Err(AwsError::client("UnknownOperationException", "An unknown operation was requested.")),
    }
}
