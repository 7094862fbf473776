//! Amazon DynamoDB: tables, items, expressions, and DynamoDB Streams.
//!
//! The pipeline reads in file order: `model.rs` and `number.rs` are the data model, `expr/`
//! parses and evaluates expressions, `table.rs` stores items, `api/` is the wire edge that
//! parses and checks a request completely before it commits anything.

mod api;
pub mod expr;
pub mod index;
pub mod model;
pub mod number;
pub mod probe;
pub mod streams;
pub mod table;

pub use api::ACTIONS;

use crate::effect::Principal;
use crate::error::AwsError;
use crate::service::{Outcome, Service, View};
use model::Item;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use table::{KeyValue, Table};

/// Every table of the account's region.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DynamoDb {
    pub tables: BTreeMap<String, Table>,
    /// Every stream still readable, enabled or disabled within the last 24 hours, by ARN.
    #[serde(default)]
    pub streams: BTreeMap<String, streams::Stream>,
    /// The last stream sequence number handed out; sequence numbers only grow.
    #[serde(default)]
    pub next_sequence: u128,
    /// TransactWriteItems ClientRequestTokens of the last 10 minutes: when each was used, and the
    /// request it came with.
    #[serde(default)]
    pub transaction_tokens: BTreeMap<String, (u64, serde_json::Value)>,
}

/// What DynamoDB's operations and jobs may use of the world.
pub(crate) type Ctx<'a> = crate::service::Ctx<'a, Job>;

impl Service for DynamoDb {
    const SDK_IDS: &'static [&'static str] = &["dynamodb", "dynamodbstreams"];
    const IAM_PREFIX: &'static str = "dynamodb";
    type Job = Job;

    /// The tables (and indexes, and streams) a request names, as IAM sees them: a batch or a
    /// transaction is judged on every table it touches.
    fn resources(&self, view: View, _sdk_id: &str, _action: &str, request: &Value) -> Vec<String> {
        let table = |name: &str| format!("arn:aws:dynamodb:{}:{}:table/{name}", view.account.region, view.account.id);
        let mut out: Vec<String> = Vec::new();
        if let Some(name) = request.get("TableName").and_then(Value::as_str) {
            out.push(match request.get("IndexName").and_then(Value::as_str) {
                Some(index) => format!("{}/index/{index}", table(name)),
                None => table(name),
            });
        }
        if let Some(Value::Object(items)) = request.get("RequestItems") {
            out.extend(items.keys().map(|name| table(name)));
        }
        if let Some(Value::Array(items)) = request.get("TransactItems") {
            for item in items.iter().filter_map(Value::as_object) {
                for part in item.values() {
                    if let Some(name) = part.get("TableName").and_then(Value::as_str) {
                        out.push(table(name));
                    }
                }
            }
        }
        if let Some(arn) = request.get("StreamArn").or_else(|| request.get("ResourceArn")).and_then(Value::as_str) {
            out.push(arn.to_string());
        }
        // GetRecords names its stream through the iterator.
        if let Some(arn) = request.get("ShardIterator").and_then(Value::as_str).and_then(streams::iterator_stream) {
            out.push(arn);
        }
        out.sort();
        out.dedup();
        if out.is_empty() {
            out.push("*".to_string());
        }
        out
    }

    fn actions(sdk_id: &str) -> &'static [&'static str] {
        match sdk_id {
            "dynamodbstreams" => streams::ACTIONS,
            _ => api::ACTIONS,
        }
    }

    fn call(&mut self, ctx: &mut Ctx, sdk_id: &str, action: &str, request: &serde_json::Value) -> Outcome {
        match sdk_id {
            // Every DynamoDB Streams operation only reads.
            "dynamodbstreams" => {
                streams::call(self, View { now_ms: ctx.now_ms, account: ctx.account }, action, request)
            }
            _ => api::call(self, ctx, action, request),
        }
        .into()
    }

    fn read_only_actions(sdk_id: &str) -> &'static [&'static str] {
        match sdk_id {
            "dynamodbstreams" => streams::ACTIONS,
            _ => probe::READ_ONLY,
        }
    }

    fn read(
        &self,
        view: View,
        sdk_id: &str,
        action: &str,
        request: &serde_json::Value,
    ) -> Option<Result<serde_json::Value, AwsError>> {
        match sdk_id {
            "dynamodbstreams" => Some(streams::call(self, view, action, request)),
            _ => self.read_only(action, request),
        }
    }

    fn run_job(&mut self, ctx: &mut Ctx, job: Job) {
        DynamoDb::run_job(self, job, ctx)
    }
}

/// DynamoDB's work on the virtual clock.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Job {
    /// A CREATING table becomes ACTIVE. `created_ms` tells the table apart from a later one of
    /// the same name.
    TableActive { table: String, created_ms: u64 },
    /// A DELETING table is gone.
    TableGone { table: String, created_ms: u64 },
    /// A new global secondary index finishes backfilling.
    IndexActive { table: String, created_ms: u64, index: String },
    /// A deleted global secondary index is gone.
    IndexGone { table: String, created_ms: u64, index: String },
    /// A Kinesis streaming destination finishes ENABLING (to ACTIVE) or DISABLING (to DISABLED).
    KinesisSettled { table: String, created_ms: u64, stream_arn: String },
    /// The TTL background process looks for expired items in a table; it comes back every
    /// [`TTL_SWEEP_MS`] while TTL stays enabled.
    TtlSweep { table: String, created_ms: u64 },
}

/// How often, in virtual time, expired items are looked for. AWS deletes expired items
/// "within a few days"; the simulator does it within the hour, so that a lab can show it.
pub const TTL_SWEEP_MS: u64 = 3600 * 1000;

impl DynamoDb {
    /// Stores `item` in the table `name` and records the change on its stream; returns the item
    /// it replaced. The table exists and the item is valid: callers validate first.
    fn store(&mut self, name: &str, item: Item, ctx: &mut Ctx) -> Option<Item> {
        let table = self.tables.get_mut(name).expect("validated before writing");
        let stream = table.stream.clone();
        let new = item.clone();
        let old = table.put(item);
        self.record_change(stream.as_deref(), old.as_ref(), Some(&new), ctx);
        self.send_to_kinesis(name, old.as_ref(), Some(&new), ctx);
        old
    }

    /// Sends one item change to the table's ACTIVE Kinesis destinations, as effects.
    fn send_to_kinesis(&self, name: &str, old: Option<&Item>, new: Option<&Item>, ctx: &mut Ctx) {
        let table = &self.tables[name];
        if old == new {
            return;
        }
        for destination in table.kinesis.iter().filter(|d| d.status == "ACTIVE") {
            let source = new.or(old).expect("one side exists");
            let keys: Item =
                table.key.names().iter().filter_map(|n| source.get(*n).map(|v| (n.to_string(), v.clone()))).collect();
            let event_name = match (old, new) {
                (None, _) => "INSERT",
                (Some(_), Some(_)) => "MODIFY",
                (Some(_), None) => "REMOVE",
            };
            // Kinesis records carry both images whatever the table's stream view type.
            let mut body = serde_json::json!({
                "ApproximateCreationDateTime": if destination.precision == "MICROSECOND" { ctx.now_ms * 1000 } else { ctx.now_ms },
                "Keys": model::item_to_wire(&keys),
                "SizeBytes": model::item_size(&keys) + old.map_or(0, model::item_size) + new.map_or(0, model::item_size),
            });
            if let Some(new) = new {
                body["NewImage"] = model::item_to_wire(new);
            }
            if let Some(old) = old {
                body["OldImage"] = model::item_to_wire(old);
            }
            let data = serde_json::json!({
                "awsRegion": ctx.account.region,
                "eventID": ctx.ids.uuid(),
                "eventName": event_name,
                "userIdentity": null,
                "recordFormat": "application/json",
                "tableName": name,
                "dynamodb": body,
                "eventSource": "aws:dynamodb",
            });
            // DynamoDB puts the record on the stream itself, as its service principal.
            let request = serde_json::json!({
                "StreamARN": destination.stream_arn,
                "PartitionKey": model::item_to_wire(&keys).to_string(),
                "Data": model::encode_base64(data.to_string().as_bytes()),
            });
            ctx.call(Principal::service("dynamodb.amazonaws.com"), "kinesis", "PutRecord", request);
        }
    }

    /// Deletes the item at `key` and records the change; returns the deleted item.
    fn remove(&mut self, name: &str, key: &(KeyValue, KeyValue), ctx: &mut Ctx) -> Option<Item> {
        let table = self.tables.get_mut(name).expect("validated before writing");
        let stream = table.stream.clone();
        let old = table.delete(key);
        self.record_change(stream.as_deref(), old.as_ref(), None, ctx);
        if old.is_some() {
            self.send_to_kinesis(name, old.as_ref(), None, ctx);
        }
        old
    }

    fn run_job(&mut self, job: Job, ctx: &mut Ctx) {
        match job {
            Job::TableActive { table, created_ms } => {
                if let Some(t) = self.tables.get_mut(&table).filter(|t| t.created_ms == created_ms) {
                    if t.status == table::TableStatus::Creating {
                        t.status = table::TableStatus::Active;
                        // Capacity starts accruing when the table can be used.
                        t.capacity = table::Capacity::fresh(&t.billing, ctx.now_ms);
                    }
                }
            }
            Job::TableGone { table, created_ms } => {
                if self.tables.get(&table).is_some_and(|t| t.created_ms == created_ms) {
                    self.tables.remove(&table);
                }
            }
            Job::IndexActive { table, created_ms, index } => {
                if let Some(t) = self.tables.get_mut(&table).filter(|t| t.created_ms == created_ms) {
                    for i in
                        t.indexes.iter_mut().filter(|i| i.name == index && i.status == index::IndexStatus::Creating)
                    {
                        i.status = index::IndexStatus::Active;
                    }
                }
            }
            Job::IndexGone { table, created_ms, index } => {
                if let Some(t) = self.tables.get_mut(&table).filter(|t| t.created_ms == created_ms) {
                    t.indexes.retain(|i| i.name != index);
                    // Attribute definitions that no key uses any more go with the index.
                    let mut used = t.key.names().into_iter().map(str::to_string).collect::<Vec<_>>();
                    for i in &t.indexes {
                        used.extend(i.key.names().into_iter().map(str::to_string));
                    }
                    t.attribute_definitions.retain(|d| used.contains(&d.name));
                }
            }
            Job::KinesisSettled { table, created_ms, stream_arn } => {
                if let Some(t) = self.tables.get_mut(&table).filter(|t| t.created_ms == created_ms) {
                    for d in t.kinesis.iter_mut().filter(|d| d.stream_arn == stream_arn) {
                        d.status = match d.status.as_str() {
                            "ENABLING" => "ACTIVE".into(),
                            "DISABLING" => "DISABLED".into(),
                            other => other.to_string(),
                        };
                    }
                }
            }
            Job::TtlSweep { table, created_ms } => {
                let Some(t) = self.tables.get(&table).filter(|t| t.created_ms == created_ms) else { return };
                let Some(attribute) = t.ttl.clone() else { return };
                let now_seconds = ctx.now_ms / 1000;
                let expired: Vec<(KeyValue, KeyValue)> = t
                    .items()
                    .filter(|item| match item.get(&attribute) {
                        // Only numbers are epoch seconds; other types never expire.
                        Some(model::AttributeValue::N(n)) => {
                            n.to_string().parse::<f64>().is_ok_and(|s| s >= 0.0 && s < now_seconds as f64)
                        }
                        _ => false,
                    })
                    .filter_map(|item| t.key_of(&item))
                    .collect();
                let stream = t.stream.clone();
                for key in expired {
                    let old = self.tables.get_mut(&table).expect("checked above").delete(&key);
                    self.record_expiry(stream.as_deref(), old.as_ref(), ctx);
                }
                ctx.schedule(ctx.now_ms + TTL_SWEEP_MS, Job::TtlSweep { table, created_ms });
            }
        }
    }
}
