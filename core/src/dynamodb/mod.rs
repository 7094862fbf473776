//! Amazon DynamoDB: tables, items, expressions.
//!
//! The pipeline reads in file order: `model.rs` and `number.rs` are the data model, `expr/`
//! parses and evaluates expressions, `table.rs` stores items, `api.rs` is the wire edge that
//! validates a request completely before it changes anything.

mod api;
pub mod expr;
pub mod model;
pub mod number;
pub mod table;

pub use api::{call, ACTIONS};

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use table::Table;

/// Every table of the account's region.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DynamoDb {
    pub tables: BTreeMap<String, Table>,
}

/// DynamoDB's work on the virtual clock.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Job {
    /// A CREATING table becomes ACTIVE. `created_ms` tells the table apart from a later one of
    /// the same name.
    TableActive { table: String, created_ms: u64 },
    /// A DELETING table is gone.
    TableGone { table: String, created_ms: u64 },
}

impl DynamoDb {
    pub fn run_job(&mut self, job: Job) {
        match job {
            Job::TableActive { table, created_ms } => {
                if let Some(t) = self.tables.get_mut(&table).filter(|t| t.created_ms == created_ms) {
                    if t.status == table::TableStatus::Creating {
                        t.status = table::TableStatus::Active;
                    }
                }
            }
            Job::TableGone { table, created_ms } => {
                if self.tables.get(&table).is_some_and(|t| t.created_ms == created_ms) {
                    self.tables.remove(&table);
                }
            }
        }
    }
}
