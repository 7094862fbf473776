//! A table: its definition, its lifecycle on the virtual clock, and its items in key order.
//!
//! Items are kept in their stored form ([`StoredItem`], `table/stored.rs`): one byte buffer
//! each, read as DynamoDB JSON or decoded into an [`Item`] when an operation needs one.

mod stored;

pub use stored::StoredItem;

use super::model::{AttributeValue, Item, ScalarType};
use super::number::Number;
use crate::clock::Millis;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;

/// How long a new table stays CREATING, and a deleted one DELETING, in virtual time.
pub const TRANSITION_MS: Millis = 5_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TableStatus {
    Creating,
    Active,
    Deleting,
}

impl TableStatus {
    pub fn name(self) -> &'static str {
        match self {
            TableStatus::Creating => "CREATING",
            TableStatus::Active => "ACTIVE",
            TableStatus::Deleting => "DELETING",
        }
    }
}

/// An attribute of the primary key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyAttribute {
    pub name: String,
    pub kind: ScalarType,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeySchema {
    pub hash: KeyAttribute,
    pub range: Option<KeyAttribute>,
}

impl KeySchema {
    pub fn names(&self) -> Vec<&str> {
        let mut names = vec![self.hash.name.as_str()];
        if let Some(range) = &self.range {
            names.push(range.name.as_str());
        }
        names
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Billing {
    PayPerRequest,
    Provisioned { read: u64, write: u64 },
}

impl Billing {
    /// The provisioned (read, write) units; `None` for on-demand.
    pub fn provisioned(&self) -> Option<(u64, u64)> {
        match self {
            Billing::Provisioned { read, write } => Some((*read, *write)),
            Billing::PayPerRequest => None,
        }
    }
}

/// How much capacity beyond the current second a provisioned table may use: DynamoDB keeps up to
/// five minutes (300 seconds) of unused read and write capacity as burst capacity.
pub const BURST_SECONDS: f64 = 300.0;

/// A provisioned table's unused capacity: two token buckets that refill at the provisioned rate
/// and hold at most [`BURST_SECONDS`] of it. A new table starts with one second's worth: it has
/// had no time to save any.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Capacity {
    pub read: f64,
    pub write: f64,
    pub at_ms: Millis,
}

impl Capacity {
    pub fn fresh(billing: &Billing, now_ms: Millis) -> Capacity {
        match billing {
            Billing::PayPerRequest => Capacity { read: 0.0, write: 0.0, at_ms: now_ms },
            Billing::Provisioned { read, write } => {
                Capacity { read: *read as f64, write: *write as f64, at_ms: now_ms }
            }
        }
    }
}

impl Table {
    /// The read (or write) units available at `now_ms`; infinite for on-demand tables.
    pub fn available(&self, now_ms: Millis, write: bool) -> f64 {
        let Billing::Provisioned { read, write: w } = self.billing else { return f64::INFINITY };
        let rate = if write { w } else { read } as f64;
        let saved = if write { self.capacity.write } else { self.capacity.read };
        let seconds = now_ms.saturating_sub(self.capacity.at_ms) as f64 / 1000.0;
        (saved + seconds * rate).min(rate * BURST_SECONDS)
    }

    /// Spends `units` of read (or write) capacity at `now_ms`. A request that starts with
    /// capacity left may overdraw it; the debt is paid back as capacity refills.
    pub fn consume(&mut self, now_ms: Millis, units: f64, write: bool) {
        self.metrics.record(now_ms, units, write, &self.billing);
        if !matches!(self.billing, Billing::Provisioned { .. }) {
            return;
        }
        let (read_now, write_now) = (self.available(now_ms, false), self.available(now_ms, true));
        self.capacity = Capacity { read: read_now, write: write_now, at_ms: now_ms.max(self.capacity.at_ms) };
        if write {
            self.capacity.write -= units;
        } else {
            self.capacity.read -= units;
        }
    }
}

/// How many minutes of metrics a table keeps: one day, like the console's longest default graph.
pub const METRIC_MINUTES: usize = 1440;

/// A table's consumed capacity, summed per minute of virtual time.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// By the minute's start, in ms.
    pub minutes: BTreeMap<Millis, MinuteMetrics>,
}

/// One minute of consumption.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MinuteMetrics {
    /// Read and write units consumed during the minute.
    pub read: f64,
    pub write: f64,
    /// The provisioned (read, write) units during the minute; `None` for on-demand.
    pub provisioned: Option<(u64, u64)>,
}

impl Metrics {
    fn record(&mut self, now_ms: Millis, units: f64, write: bool, billing: &Billing) {
        let minute = self.minutes.entry(now_ms - now_ms % 60_000).or_default();
        if write {
            minute.write += units;
        } else {
            minute.read += units;
        }
        minute.provisioned = billing.provisioned();
        while self.minutes.len() > METRIC_MINUTES {
            self.minutes.pop_first();
        }
    }
}

/// A Kinesis data stream a table streams its changes to (EnableKinesisStreamingDestination).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KinesisDestination {
    pub stream_arn: String,
    /// ENABLING, ACTIVE, DISABLING or DISABLED.
    pub status: String,
    /// MILLISECOND or MICROSECOND: the precision of ApproximateCreationDateTime in records.
    pub precision: String,
}

/// A key attribute's value, ordered the way DynamoDB orders sort keys: strings and binaries by
/// bytes, numbers by value.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum KeyValue {
    /// No sort key (tables with a partition key only).
    None,
    S(String),
    N(Number),
    B(Vec<u8>),
}

impl KeyValue {
    pub fn of(value: &AttributeValue) -> Option<KeyValue> {
        match value {
            AttributeValue::S(s) => Some(KeyValue::S(s.clone())),
            AttributeValue::N(n) => Some(KeyValue::N(n.clone())),
            AttributeValue::B(b) => Some(KeyValue::B(b.clone())),
            _ => None,
        }
    }
}

/// A table and its items.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub name: String,
    pub arn: String,
    pub id: String,
    pub created_ms: Millis,
    pub status: TableStatus,
    pub key: KeySchema,
    /// As declared in CreateTable, in the order given.
    pub attribute_definitions: Vec<KeyAttribute>,
    pub billing: Billing,
    /// The ARN of the table's enabled stream.
    pub stream: Option<String>,
    /// The ARN of the most recent stream, enabled or not (DescribeTable's LatestStreamArn).
    pub latest_stream: Option<String>,
    /// When the table was switched to on-demand, for the switching limit.
    pub on_demand_switches: Vec<Millis>,
    /// The TTL attribute, while TTL is enabled.
    pub ttl: Option<String>,
    /// When TTL was last enabled or disabled (it may change once an hour).
    pub ttl_changed_ms: Option<Millis>,
    /// Tags, by key.
    pub tags: BTreeMap<String, String>,
    /// Kinesis data streams the table's changes are sent to.
    pub kinesis: Vec<KinesisDestination>,
    /// Unused read and write capacity of a provisioned table, in units, as of `capacity_at_ms`.
    pub capacity: Capacity,
    /// Secondary indexes, global and local, in the order they were declared.
    pub indexes: Vec<super::index::Index>,
    /// Consumed capacity per minute, as CloudWatch's ConsumedRead/WriteCapacityUnits sum it.
    pub metrics: Metrics,
    /// Items by partition key, then sort key, in their stored form.
    items: BTreeMap<KeyValue, BTreeMap<KeyValue, StoredItem>>,
    /// Sum of item sizes, as DynamoDB counts them.
    size_bytes: u64,
    item_count: u64,
}

/// On the wire (saves) a table's items are a plain list; the index is rebuilt when loading.
#[derive(Serialize, Deserialize)]
struct TableRecord {
    name: String,
    arn: String,
    id: String,
    created_ms: Millis,
    status: TableStatus,
    key: KeySchema,
    attribute_definitions: Vec<KeyAttribute>,
    billing: Billing,
    #[serde(default)]
    stream: Option<String>,
    #[serde(default)]
    latest_stream: Option<String>,
    #[serde(default)]
    on_demand_switches: Vec<Millis>,
    #[serde(default)]
    ttl: Option<String>,
    #[serde(default)]
    ttl_changed_ms: Option<Millis>,
    #[serde(default)]
    tags: BTreeMap<String, String>,
    #[serde(default)]
    kinesis: Vec<KinesisDestination>,
    #[serde(default)]
    capacity: Capacity,
    #[serde(default)]
    indexes: Vec<super::index::Index>,
    #[serde(default)]
    metrics: Metrics,
    items: Vec<Item>,
}

impl Serialize for Table {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        TableRecord {
            name: self.name.clone(),
            arn: self.arn.clone(),
            id: self.id.clone(),
            created_ms: self.created_ms,
            status: self.status,
            key: self.key.clone(),
            attribute_definitions: self.attribute_definitions.clone(),
            billing: self.billing.clone(),
            stream: self.stream.clone(),
            latest_stream: self.latest_stream.clone(),
            on_demand_switches: self.on_demand_switches.clone(),
            ttl: self.ttl.clone(),
            ttl_changed_ms: self.ttl_changed_ms,
            tags: self.tags.clone(),
            kinesis: self.kinesis.clone(),
            capacity: self.capacity.clone(),
            indexes: self.indexes.clone(),
            metrics: self.metrics.clone(),
            items: self.items().collect(),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Table {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let record = TableRecord::deserialize(deserializer)?;
        let mut table = Table::new(
            record.name,
            record.arn,
            record.id,
            record.created_ms,
            record.key,
            record.attribute_definitions,
            record.billing,
        );
        table.status = record.status;
        table.stream = record.stream;
        table.latest_stream = record.latest_stream;
        table.on_demand_switches = record.on_demand_switches;
        table.ttl = record.ttl;
        table.ttl_changed_ms = record.ttl_changed_ms;
        table.tags = record.tags;
        table.kinesis = record.kinesis;
        table.capacity = record.capacity;
        table.indexes = record.indexes;
        table.metrics = record.metrics;
        for item in record.items {
            if table.key_of(&item).is_none() {
                return Err(serde::de::Error::custom(format!("an item of table {} lacks its key", table.name)));
            }
            table.put(item);
        }
        Ok(table)
    }
}

impl Table {
    pub fn new(
        name: String,
        arn: String,
        id: String,
        created_ms: Millis,
        key: KeySchema,
        attribute_definitions: Vec<KeyAttribute>,
        billing: Billing,
    ) -> Table {
        let billing_for_capacity = billing.clone();
        Table {
            name,
            arn,
            id,
            created_ms,
            status: TableStatus::Creating,
            key,
            attribute_definitions,
            billing,
            stream: None,
            latest_stream: None,
            on_demand_switches: Vec::new(),
            ttl: None,
            ttl_changed_ms: None,
            tags: BTreeMap::new(),
            kinesis: Vec::new(),
            capacity: Capacity::fresh(&billing_for_capacity, created_ms),
            indexes: Vec::new(),
            metrics: Metrics::default(),
            items: BTreeMap::new(),
            size_bytes: 0,
            item_count: 0,
        }
    }

    /// The (partition, sort) key of an item whose key attributes have the schema's types.
    pub fn key_of(&self, item: &Item) -> Option<(KeyValue, KeyValue)> {
        let hash = KeyValue::of(item.get(&self.key.hash.name)?)?;
        let range = match &self.key.range {
            Some(range) => KeyValue::of(item.get(&range.name)?)?,
            None => KeyValue::None,
        };
        Some((hash, range))
    }

    /// The item with `key`, decoded.
    pub fn get(&self, key: &(KeyValue, KeyValue)) -> Option<Item> {
        self.stored(key).map(StoredItem::decode)
    }

    /// The item with `key` as stored: enough for its size and its DynamoDB JSON.
    pub fn stored(&self, key: &(KeyValue, KeyValue)) -> Option<&StoredItem> {
        self.items.get(&key.0)?.get(&key.1)
    }

    /// Stores `item`, returning the item it replaced.
    pub fn put(&mut self, item: Item) -> Option<Item> {
        let key = self.key_of(&item).expect("items are validated against the key schema before they are stored");
        let item = StoredItem::encode(&item);
        self.size_bytes += item.size() as u64;
        let old = self.items.entry(key.0).or_default().insert(key.1, item);
        match &old {
            Some(old) => self.size_bytes -= old.size() as u64,
            None => self.item_count += 1,
        }
        old.as_ref().map(StoredItem::decode)
    }

    pub fn delete(&mut self, key: &(KeyValue, KeyValue)) -> Option<Item> {
        let partition = self.items.get_mut(&key.0)?;
        let old = partition.remove(&key.1)?;
        if partition.is_empty() {
            self.items.remove(&key.0);
        }
        self.size_bytes -= old.size() as u64;
        self.item_count -= 1;
        Some(old.decode())
    }

    /// Every item, decoded, by partition key and then sort key.
    pub fn items(&self) -> impl Iterator<Item = Item> + '_ {
        self.stored_items().map(|(_, item)| item.decode())
    }

    /// Every item as stored, with its (partition, sort) key, in key order.
    pub fn stored_items(&self) -> impl Iterator<Item = ((&KeyValue, &KeyValue), &StoredItem)> {
        self.items.iter().flat_map(|(hash, partition)| partition.iter().map(move |(sort, item)| ((hash, sort), item)))
    }

    /// The items of one partition as stored, with their sort keys, in sort key order.
    pub fn partition_entries(&self, hash: &KeyValue) -> impl DoubleEndedIterator<Item = (&KeyValue, &StoredItem)> {
        self.items.get(hash).into_iter().flat_map(|p| p.iter())
    }

    pub fn item_count(&self) -> u64 {
        self.item_count
    }

    pub fn size_bytes(&self) -> u64 {
        self.size_bytes
    }
}
