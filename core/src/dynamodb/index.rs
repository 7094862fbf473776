//! Secondary indexes: global (GSI, any partition key, eventually consistent) and local (LSI, the
//! table's partition key with another sort key). An index holds the items that have its key
//! attributes with the right types (indexes are sparse), projected as the index says.
//!
//! Index entries are derived from the table's items when an index is read, never stored
//! twice, so a table and its indexes cannot disagree.

use super::model::{item_size, Item};
use super::table::{KeySchema, KeyValue, StoredItem, Table};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Projection {
    All,
    KeysOnly,
    /// The keys and these non-key attributes.
    Include(Vec<String>),
}

impl Projection {
    pub fn to_wire(&self) -> Value {
        match self {
            Projection::All => json!({"ProjectionType": "ALL"}),
            Projection::KeysOnly => json!({"ProjectionType": "KEYS_ONLY"}),
            Projection::Include(attrs) => json!({"ProjectionType": "INCLUDE", "NonKeyAttributes": attrs}),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum IndexStatus {
    Creating,
    Active,
    Deleting,
}

impl IndexStatus {
    pub fn name(self) -> &'static str {
        match self {
            IndexStatus::Creating => "CREATING",
            IndexStatus::Active => "ACTIVE",
            IndexStatus::Deleting => "DELETING",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Index {
    pub name: String,
    /// Global (GSI) or local (LSI).
    pub global: bool,
    pub key: KeySchema,
    pub projection: Projection,
    pub status: IndexStatus,
    /// Read and write capacity units of a GSI on a provisioned table.
    pub throughput: Option<(u64, u64)>,
}

/// One entry of an index: its (partition, sort) key, the table key, the item as stored.
pub type Entry<'a> = ((KeyValue, KeyValue), (KeyValue, KeyValue), &'a StoredItem);

impl Index {
    /// The index key of `item`, if the item belongs to the index (it has every index key
    /// attribute, with the declared type).
    pub fn key_of(&self, item: &Item) -> Option<(KeyValue, KeyValue)> {
        let hash = item.get(&self.key.hash.name).filter(|v| v.scalar_type() == Some(self.key.hash.kind))?;
        let range = match &self.key.range {
            Some(r) => KeyValue::of(item.get(&r.name).filter(|v| v.scalar_type() == Some(r.kind))?)?,
            None => KeyValue::None,
        };
        Some((KeyValue::of(hash)?, range))
    }

    /// [`Index::key_of`] for an item as stored, read without decoding it.
    pub fn stored_key_of(&self, item: &StoredItem) -> Option<(KeyValue, KeyValue)> {
        let hash = item.key_value(&self.key.hash.name, self.key.hash.kind)?;
        let range = match &self.key.range {
            Some(r) => item.key_value(&r.name, r.kind)?,
            None => KeyValue::None,
        };
        Some((hash, range))
    }

    /// Every entry, by index partition key, index sort key, then table key.
    pub fn entries<'a>(&self, table: &'a Table) -> Vec<Entry<'a>> {
        let mut entries: Vec<Entry<'a>> = table
            .stored_items()
            .filter_map(|((hash, sort), item)| Some((self.stored_key_of(item)?, (hash.clone(), sort.clone()), item)))
            .collect();
        entries.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
        entries
    }

    /// The attribute names every projection includes: the table's keys and the index's.
    pub fn key_names<'a>(&'a self, table: &'a Table) -> Vec<&'a str> {
        let mut names = table.key.names();
        for n in self.key.names() {
            if !names.contains(&n) {
                names.push(n);
            }
        }
        names
    }

    /// `item` as the index stores it.
    pub fn project(&self, table: &Table, item: &Item) -> Item {
        match &self.projection {
            Projection::All => item.clone(),
            Projection::KeysOnly | Projection::Include(_) => {
                let keys = self.key_names(table);
                item.iter()
                    .filter(|(k, _)| {
                        keys.contains(&k.as_str())
                            || matches!(&self.projection, Projection::Include(a) if a.contains(k))
                    })
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect()
            }
        }
    }

    /// The index's entry in DescribeTable.
    pub fn describe(&self, table: &Table) -> Value {
        let entries = self.entries(table);
        let size: usize = entries
            .iter()
            .map(|(_, _, item)| match self.projection {
                Projection::All => item.size(),
                _ => item_size(&self.project(table, &item.decode())),
            })
            .sum();
        let key: Vec<Value> =
            [Some((&self.key.hash.name, "HASH")), self.key.range.as_ref().map(|r| (&r.name, "RANGE"))]
                .into_iter()
                .flatten()
                .map(|(n, t)| json!({"AttributeName": n, "KeyType": t}))
                .collect();
        let mut d = json!({
            "IndexName": self.name,
            "KeySchema": key,
            "Projection": self.projection.to_wire(),
            "IndexSizeBytes": size,
            "ItemCount": entries.len(),
            "IndexArn": format!("{}/index/{}", table.arn, self.name),
        });
        if self.global {
            d["IndexStatus"] = json!(self.status.name());
            let (read, write) = self.throughput.unwrap_or((0, 0));
            d["ProvisionedThroughput"] =
                json!({"NumberOfDecreasesToday": 0, "ReadCapacityUnits": read, "WriteCapacityUnits": write});
            if self.status == IndexStatus::Creating {
                d["Backfilling"] = json!(true);
            }
        }
        d
    }
}
