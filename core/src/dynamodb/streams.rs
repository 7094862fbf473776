//! DynamoDB Streams: every change to a table's items, in order per item, kept 24 hours, read
//! through the `dynamodbstreams` API (ListStreams, DescribeStream, GetShardIterator, GetRecords).
//!
//! Each stream has one shard, open while the stream is enabled and closed when it is disabled;
//! real streams split shards as they grow (a deliberate simplification, listed in
//! docs/differences.md). Records are appended when a write changes an item: a write that leaves
//! the item as it was produces no record, as on AWS.

use super::model::{decode_base64, encode_base64, item_size, item_to_wire, Item};
use super::table::KeySchema;
use super::{Ctx, DynamoDb};
use crate::clock::{iso8601, Millis};
use crate::error::AwsError;
use crate::service::View;
use crate::wire::{object_with, required};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

/// How long records are kept, and how long a disabled stream stays readable.
pub const RETENTION_MS: Millis = 24 * 3600 * 1000;
/// How long a shard iterator stays valid.
pub const ITERATOR_MS: Millis = 15 * 60 * 1000;

pub const ACTIONS: &[&str] = &["DescribeStream", "GetRecords", "GetShardIterator", "ListStreams"];

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ViewType {
    KeysOnly,
    NewImage,
    OldImage,
    NewAndOldImages,
}

impl ViewType {
    pub fn parse(text: &str) -> Option<ViewType> {
        match text {
            "KEYS_ONLY" => Some(ViewType::KeysOnly),
            "NEW_IMAGE" => Some(ViewType::NewImage),
            "OLD_IMAGE" => Some(ViewType::OldImage),
            "NEW_AND_OLD_IMAGES" => Some(ViewType::NewAndOldImages),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            ViewType::KeysOnly => "KEYS_ONLY",
            ViewType::NewImage => "NEW_IMAGE",
            ViewType::OldImage => "OLD_IMAGE",
            ViewType::NewAndOldImages => "NEW_AND_OLD_IMAGES",
        }
    }
}

/// One stream of one table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stream {
    pub arn: String,
    pub table: String,
    /// The creation instant in ISO 8601, which also ends the ARN.
    pub label: String,
    pub view_type: ViewType,
    pub key: KeySchema,
    pub created_ms: Millis,
    /// When the stream was disabled; it stays readable for 24 hours after.
    pub disabled_ms: Option<Millis>,
    pub shard_id: String,
    /// The first sequence number the shard was given.
    pub first_sequence: u128,
    /// Records still within retention, oldest first.
    pub records: Vec<StreamRecord>,
}

/// One change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StreamRecord {
    pub sequence: u128,
    pub event_id: String,
    pub event_name: EventName,
    pub at_ms: Millis,
    pub keys: Item,
    pub old_image: Option<Item>,
    pub new_image: Option<Item>,
    /// Set for deletions by the TTL process: the record names the service as the actor.
    #[serde(default)]
    pub by_ttl: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventName {
    Insert,
    Modify,
    Remove,
}

impl EventName {
    pub fn name(self) -> &'static str {
        match self {
            EventName::Insert => "INSERT",
            EventName::Modify => "MODIFY",
            EventName::Remove => "REMOVE",
        }
    }
}

/// The first sequence number of every stream: 21 digits, like DynamoDB's.
const SEQUENCE_BASE: u128 = 100_000_000_000_000_000_000;

impl DynamoDb {
    /// A new enabled stream for `table`.
    pub(super) fn open_stream(&mut self, table: &str, view_type: ViewType, key: KeySchema, ctx: &mut Ctx) -> String {
        // The label is the stream's creation time. Streams re-enabled within the same virtual
        // millisecond still get a label (and ARN) of their own, as they would on AWS, where time
        // always moves between two calls.
        let (mut label, mut arn);
        let mut at = ctx.now_ms;
        loop {
            label = iso8601(at).trim_end_matches('Z').to_string();
            arn = format!("arn:aws:dynamodb:{}:{}:table/{table}/stream/{label}", ctx.account.region, ctx.account.id);
            if !self.streams.contains_key(&arn) {
                break;
            }
            at += 1;
        }
        let shard_id = format!("shardId-{:020}-{}", ctx.now_ms, &ctx.ids.uuid()[..8]);
        self.next_sequence = self.next_sequence.max(SEQUENCE_BASE);
        let stream = Stream {
            arn: arn.clone(),
            table: table.to_string(),
            label,
            view_type,
            key,
            created_ms: ctx.now_ms,
            disabled_ms: None,
            shard_id,
            first_sequence: self.next_sequence,
            records: Vec::new(),
        };
        self.streams.insert(arn.clone(), stream);
        arn
    }

    /// Records a deletion by the TTL process.
    pub(super) fn record_expiry(&mut self, stream_arn: Option<&str>, old: Option<&Item>, ctx: &mut Ctx) {
        self.append_change(stream_arn, old, None, true, ctx);
    }

    /// Appends the record of one item change to the table's enabled stream, if it has one.
    pub(super) fn record_change(
        &mut self,
        stream_arn: Option<&str>,
        old: Option<&Item>,
        new: Option<&Item>,
        ctx: &mut Ctx,
    ) {
        self.append_change(stream_arn, old, new, false, ctx);
    }

    fn append_change(
        &mut self,
        stream_arn: Option<&str>,
        old: Option<&Item>,
        new: Option<&Item>,
        by_ttl: bool,
        ctx: &mut Ctx,
    ) {
        let Some(stream) = stream_arn.and_then(|arn| self.streams.get_mut(arn)) else { return };
        if old == new || stream.disabled_ms.is_some() {
            return;
        }
        let event_name = match (old, new) {
            (None, Some(_)) => EventName::Insert,
            (Some(_), Some(_)) => EventName::Modify,
            (Some(_), None) => EventName::Remove,
            (None, None) => return,
        };
        let source = new.or(old).expect("one side exists");
        let keys: Item =
            stream.key.names().iter().filter_map(|n| source.get(*n).map(|v| (n.to_string(), v.clone()))).collect();
        let (old_image, new_image) = match stream.view_type {
            ViewType::KeysOnly => (None, None),
            ViewType::NewImage => (None, new.cloned()),
            ViewType::OldImage => (old.cloned(), None),
            ViewType::NewAndOldImages => (old.cloned(), new.cloned()),
        };
        self.next_sequence += 100;
        let event_id = ctx.ids.uuid().replace('-', "");
        stream.records.push(StreamRecord {
            sequence: self.next_sequence,
            event_id,
            event_name,
            at_ms: ctx.now_ms,
            keys,
            old_image,
            new_image,
            by_ttl,
        });
        // A mapping reading the stream wakes up.
        let arn = stream.arn.clone();
        ctx.changed(&arn);
        self.prune(ctx.now_ms);
    }

    /// Drops records older than 24 hours, and streams disabled more than 24 hours ago: done on
    /// every write, to bound memory. Reads never rely on it: they see only what
    /// [`Stream::readable`] and [`Stream::live_records`] let through at the instant they run.
    pub(super) fn prune(&mut self, now_ms: Millis) {
        let horizon = now_ms.saturating_sub(RETENTION_MS);
        self.streams.retain(|_, s| s.disabled_ms.is_none_or(|d| d >= horizon));
        for stream in self.streams.values_mut() {
            let keep_from = stream.records.iter().position(|r| r.at_ms >= horizon).unwrap_or(stream.records.len());
            stream.records.drain(..keep_from);
        }
    }
}

impl Stream {
    /// Whether the stream can still be read at `now_ms`: enabled, or disabled within the last
    /// 24 hours.
    pub fn readable(&self, now_ms: Millis) -> bool {
        self.disabled_ms.is_none_or(|d| d >= now_ms.saturating_sub(RETENTION_MS))
    }

    /// The records still within the 24-hour retention at `now_ms`, oldest first.
    pub fn live_records(&self, now_ms: Millis) -> &[StreamRecord] {
        let horizon = now_ms.saturating_sub(RETENTION_MS);
        let from = self.records.partition_point(|r| r.at_ms < horizon);
        &self.records[from..]
    }

    /// Every record still within retention at `now_ms`, oldest first, as GetRecords returns them.
    pub fn records_to_wire(&self, now_ms: Millis, region: &str) -> Vec<Value> {
        self.live_records(now_ms).iter().map(|r| r.to_wire(self, region)).collect()
    }
}

impl StreamRecord {
    fn to_wire(&self, stream: &Stream, region: &str) -> Value {
        let mut body = json!({
            "ApproximateCreationDateTime": (self.at_ms / 1000) as f64,
            "Keys": item_to_wire(&self.keys),
            "SequenceNumber": self.sequence.to_string(),
            "SizeBytes": item_size(&self.keys) + self.old_image.as_ref().map_or(0, item_size) + self.new_image.as_ref().map_or(0, item_size),
            "StreamViewType": stream.view_type.name(),
        });
        if let Some(image) = &self.new_image {
            body["NewImage"] = item_to_wire(image);
        }
        if let Some(image) = &self.old_image {
            body["OldImage"] = item_to_wire(image);
        }
        let mut record = json!({
            "eventID": self.event_id,
            "eventName": self.event_name.name(),
            "eventVersion": "1.1",
            "eventSource": "aws:dynamodb",
            "awsRegion": region,
            "dynamodb": body,
        });
        if self.by_ttl {
            record["userIdentity"] = json!({"type": "Service", "principalId": "dynamodb.amazonaws.com"});
        }
        record
    }
}

fn not_found(what: &str) -> AwsError {
    AwsError::client("ResourceNotFoundException", format!("Requested resource not found: {what}"))
}

fn limit(r: &Map<String, Value>, max: u64) -> Result<usize, AwsError> {
    match r.get("Limit") {
        None | Some(Value::Null) => Ok(max as usize),
        Some(v) => match v.as_u64() {
            Some(n) if (1..=max).contains(&n) => Ok(n as usize),
            _ => Err(AwsError::client(
                "ValidationException",
                format!("1 validation error detected: Value '{v}' at 'limit' failed to satisfy constraint: Member must have value between 1 and {max}"),
            )),
        },
    }
}

/// The `dynamodbstreams` API. Every operation only reads: records and streams past their
/// retention are left out as of `view.now_ms`, whether or not a write has pruned them yet.
pub fn call(db: &DynamoDb, view: View, action: &str, request: &Value) -> Result<Value, AwsError> {
    let now_ms = view.now_ms;
    let stream_named = |arn: &str| {
        db.streams.get(arn).filter(|s| s.readable(now_ms)).ok_or_else(|| not_found(&format!("Stream: {arn} not found")))
    };
    match action {
        "ListStreams" => {
            let r = object_with(request, &["TableName", "Limit", "ExclusiveStartStreamArn"])?;
            let table = r.get("TableName").and_then(Value::as_str);
            let start = r.get("ExclusiveStartStreamArn").and_then(Value::as_str);
            let limit = limit(r, 100)?;
            if let Some(table) = table {
                if !db.tables.contains_key(table)
                    && !db.streams.values().any(|s| s.table == table && s.readable(now_ms))
                {
                    return Err(not_found(&format!("Table: {table} not found")));
                }
            }
            let all: Vec<&Stream> = db
                .streams
                .values()
                .filter(|s| s.readable(now_ms))
                .filter(|s| table.is_none_or(|t| s.table == t))
                .filter(|s| start.is_none_or(|a| s.arn.as_str() > a))
                .collect();
            let page: Vec<Value> = all
                .iter()
                .take(limit)
                .map(|s| json!({"StreamArn": s.arn, "TableName": s.table, "StreamLabel": s.label}))
                .collect();
            let mut response = json!({ "Streams": page });
            if all.len() > limit {
                response["LastEvaluatedStreamArn"] = json!(all[limit - 1].arn);
            }
            Ok(response)
        }
        "DescribeStream" => {
            let r = object_with(request, &["StreamArn", "Limit", "ExclusiveStartShardId"])?;
            let arn = required(r, "StreamArn")?;
            limit(r, 100)?;
            let stream = stream_named(arn)?;
            let mut range = json!({ "StartingSequenceNumber": stream.first_sequence.to_string() });
            if stream.disabled_ms.is_some() {
                let last = stream.records.last().map_or(stream.first_sequence, |r| r.sequence);
                range["EndingSequenceNumber"] = json!(last.to_string());
            }
            let after = r.get("ExclusiveStartShardId").and_then(Value::as_str);
            let shards: Vec<Value> = if after.is_some_and(|a| a >= stream.shard_id.as_str()) {
                Vec::new()
            } else {
                vec![json!({"ShardId": stream.shard_id, "SequenceNumberRange": range})]
            };
            let key: Vec<Value> =
                [Some((&stream.key.hash.name, "HASH")), stream.key.range.as_ref().map(|r| (&r.name, "RANGE"))]
                    .into_iter()
                    .flatten()
                    .map(|(n, t)| json!({"AttributeName": n, "KeyType": t}))
                    .collect();
            Ok(json!({ "StreamDescription": {
                "StreamArn": stream.arn,
                "StreamLabel": stream.label,
                "StreamStatus": if stream.disabled_ms.is_some() { "DISABLED" } else { "ENABLED" },
                "StreamViewType": stream.view_type.name(),
                "CreationRequestDateTime": stream.created_ms as f64 / 1000.0,
                "TableName": stream.table,
                "KeySchema": key,
                "Shards": shards,
            }}))
        }
        "GetShardIterator" => {
            let r = object_with(request, &["StreamArn", "ShardId", "ShardIteratorType", "SequenceNumber"])?;
            let arn = required(r, "StreamArn")?;
            let shard = required(r, "ShardId")?;
            let kind = required(r, "ShardIteratorType")?;
            let stream = stream_named(arn)?;
            if shard != stream.shard_id {
                return Err(not_found(&format!("Shard: {shard} in Stream: {arn} not found")));
            }
            let sequence = || -> Result<u128, AwsError> {
                let text = r.get("SequenceNumber").and_then(Value::as_str).ok_or_else(|| {
                    AwsError::client(
                        "ValidationException",
                        format!("Must provide SequenceNumber for ShardIteratorType {kind}"),
                    )
                })?;
                text.parse()
                    .map_err(|_| AwsError::client("ValidationException", format!("Invalid SequenceNumber: {text}")))
            };
            let position = match kind {
                "TRIM_HORIZON" => Position::After(stream.first_sequence.saturating_sub(1)),
                "LATEST" => Position::After(stream.records.last().map_or(stream.first_sequence.saturating_sub(1), |r| r.sequence)),
                "AT_SEQUENCE_NUMBER" => Position::After(sequence()?.saturating_sub(1)),
                "AFTER_SEQUENCE_NUMBER" => Position::After(sequence()?),
                other => {
                    return Err(AwsError::client(
                        "ValidationException",
                        format!("1 validation error detected: Value '{other}' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [AFTER_SEQUENCE_NUMBER, LATEST, AT_SEQUENCE_NUMBER, TRIM_HORIZON]"),
                    ))
                }
            };
            let Position::After(after) = position;
            Ok(json!({ "ShardIterator": iterator(arn, shard, after, now_ms) }))
        }
        "GetRecords" => {
            let r = object_with(request, &["ShardIterator", "Limit"])?;
            let text = required(r, "ShardIterator")?;
            let limit = limit(r, 1000)?;
            let (arn, shard, after, issued) = read_iterator(text)?;
            // The iterator is the learner's text: its numbers may be anything, so no sum may overflow.
            if now_ms > issued.saturating_add(ITERATOR_MS) {
                return Err(AwsError::client(
                    "ExpiredIteratorException",
                    "Iterator expired. Iterators are valid for 15 minutes.",
                ));
            }
            let stream = stream_named(&arn)?;
            if shard != stream.shard_id {
                return Err(not_found(&format!("Shard: {shard} in Stream: {arn} not found")));
            }
            let live = stream.live_records(now_ms);
            if let Some(first) = live.first() {
                if after.saturating_add(100) < first.sequence && after >= stream.first_sequence {
                    return Err(AwsError::client(
                        "TrimmedDataAccessException",
                        "The operation attempted to read past the oldest stream record in a shard.",
                    ));
                }
            }
            let records: Vec<&StreamRecord> = live.iter().filter(|r| r.sequence > after).take(limit).collect();
            let next_after = records.last().map_or(after, |r| r.sequence);
            let body: Vec<Value> = records.iter().map(|r| r.to_wire(stream, &view.account.region)).collect();
            let mut response = json!({ "Records": body });
            let exhausted =
                stream.disabled_ms.is_some() && stream.records.last().is_none_or(|r| r.sequence <= next_after);
            if !exhausted {
                response["NextShardIterator"] = json!(iterator(&arn, &shard, next_after, now_ms));
            }
            Ok(response)
        }
        _ => Err(AwsError::client("UnknownOperationException", "An unknown operation was requested.")),
    }
}

enum Position {
    /// Read records with a sequence number greater than this.
    After(u128),
}

/// Iterators are opaque to callers: base64 of `arn|shard|after|issued_ms`.
fn iterator(arn: &str, shard: &str, after: u128, issued_ms: Millis) -> String {
    encode_base64(format!("{arn}|{shard}|{after}|{issued_ms}").as_bytes())
}

/// The stream an iterator reads, if it is one of ours (how IAM names GetRecords' resource).
pub(super) fn iterator_stream(text: &str) -> Option<String> {
    read_iterator(text).ok().map(|(arn, ..)| arn)
}

fn read_iterator(text: &str) -> Result<(String, String, u128, Millis), AwsError> {
    let bad = || AwsError::client("ValidationException", format!("Invalid ShardIterator: {text}"));
    let bytes = decode_base64(text).ok_or_else(bad)?;
    let decoded = String::from_utf8(bytes).map_err(|_| bad())?;
    let parts: Vec<&str> = decoded.split('|').collect();
    let [arn, shard, after, issued] = parts.as_slice() else { return Err(bad()) };
    Ok((arn.to_string(), shard.to_string(), after.parse().map_err(|_| bad())?, issued.parse().map_err(|_| bad())?))
}
