//! BatchWriteItem and BatchGetItem, typed inputs that parse, check and commit as the single-item
//! operations do (see `items.rs`). A batch is judged table by table, in the request's order:
//! `parse` reads it as far as its first problem, `check` judges what was read against the tables
//! and then reports that problem.

use super::*;

pub(super) fn request_items<'a>(r: Request<'a>, max: usize, what: &str) -> Result<&'a Map<String, Value>, AwsError> {
    let items = map(r, "RequestItems")?.ok_or_else(|| missing("RequestItems"))?;
    if items.is_empty() {
        return Err(constraint("{}", "requestItems", "Member must have length greater than or equal to 1"));
    }
    for (table, v) in items {
        let count = v.as_array().map_or(0, Vec::len).max(v.get("Keys").and_then(Value::as_array).map_or(0, Vec::len));
        if count > max {
            return Err(if what == "BatchGetItem" {
                invalid(format!("1 validation error detected: Value at 'RequestItems.{table}.member.Keys' failed to satisfy constraint: Member must have length less than or equal to {max}"))
            } else {
                constraint(
                    &format!("{{{table}=[...]}}"),
                    "requestItems",
                    &format!("Map value must satisfy constraint: [Member must have length less than or equal to {max}, Member must have length greater than or equal to 1]"),
                )
            });
        }
    }
    Ok(items)
}

/// One write of a batch as the request gives it: its key not yet judged against the table.
enum BatchWrite {
    Put(Item),
    /// The key of the item to delete.
    Delete(Item),
}

/// BatchWriteItem's input.
pub(super) struct BatchWriteItem<'r> {
    /// ReturnConsumedCapacity, unless NONE.
    capacity: Option<&'r str>,
    /// RequestItems, table by table: DynamoDB judges a table's writes against it before it reads
    /// the next table's, so this is read as far as its first problem.
    tables: Entries<TableWrites<'r>>,
}

/// The writes of one table in a BatchWriteItem.
struct TableWrites<'r> {
    name: &'r str,
    /// Each write read, with its JSON (for UnprocessedItems), as far as the first problem.
    writes: Entries<(BatchWrite, &'r Value)>,
}

impl<'r> Operation<'r> for BatchWriteItem<'r> {
    type Plan = BatchWritePlan<'r>;
    type Refusal = AwsError;

    fn parse(request: &'r Value) -> Result<BatchWriteItem<'r>, AwsError> {
        let r = object_with(request, &["RequestItems", "ReturnConsumedCapacity", "ReturnItemCollectionMetrics"])?;
        let capacity = wants_capacity(r)?;
        let requests = request_items(r, 25, "BatchWriteItem")?;
        let tables = Entries::read(requests, |(name, writes)| {
            let Value::Array(writes) = writes else {
                return Err(invalid_type(&format!("RequestItems.{name}"), writes, "array"));
            };
            if writes.is_empty() {
                return Err(constraint("[]", "requestItems", "Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]"));
            }
            let writes =
                Entries::read(writes.iter().enumerate(), |(i, write)| Ok((batch_write(name, i, write)?, write)));
            Ok(TableWrites { name: name.as_str(), writes })
        });
        Ok(BatchWriteItem { capacity, tables })
    }

    /// Every write must fit its table, no item twice; then each table takes its writes while it
    /// has write capacity left, leaving the rest unprocessed.
    fn check(self, db: &DynamoDb, now_ms: u64) -> Result<BatchWritePlan<'r>, AwsError> {
        let checked = self.tables.check(|TableWrites { name, writes }| {
            let table = active_table(db, name)?;
            let mut seen = Vec::new();
            let writes = writes.check(|(write, wire)| {
                let change = match write {
                    BatchWrite::Put(item) => {
                        check_item_key(table, &item)?;
                        check_index_keys(table, &item, false)?;
                        // A size limit that needs no table, but DynamoDB reports it after the key
                        // checks.
                        if item_size(&item) > MAX_ITEM_BYTES {
                            return Err(invalid("Item size has exceeded the maximum allowed size"));
                        }
                        Change::Put(item)
                    }
                    BatchWrite::Delete(key) => Change::Delete(table_key(table, &key)?),
                };
                let key = match &change {
                    Change::Put(item) => table.key_of(item).expect("key checked"),
                    Change::Delete(key) => key.clone(),
                };
                if seen.contains(&key) {
                    return Err(invalid("Provided list of item keys contains duplicates"));
                }
                seen.push(key);
                Ok((change, wire))
            })?;
            Ok::<_, AwsError>((name, table, writes))
        })?;
        // A provisioned table out of capacity leaves the rest of its writes unprocessed; if nothing
        // at all could be written, the whole call is throttled (and nothing was written).
        if checked.iter().all(|(_, table, _)| table.available(now_ms, true) <= 0.0) {
            return Err(throttled());
        }
        let mut consumed_list = Vec::new();
        let mut unprocessed = Map::new();
        let mut tables = Vec::new();
        for (name, table, writes) in checked {
            // Spending capacity lowers what is available by as much (see `Table::consume`).
            let mut available = table.available(now_ms, true);
            let (mut units, mut made) = (0.0, Vec::new());
            for (change, wire) in writes {
                if available <= 0.0 {
                    unprocessed
                        .entry(name.to_string())
                        .or_insert_with(|| json!([]))
                        .as_array_mut()
                        .expect("an array")
                        .push(wire.clone());
                    continue;
                }
                // Keys are unique in a table's writes: each replaces the item there now.
                let spent = match &change {
                    Change::Put(item) => {
                        let old = table.get(&table.key_of(item).expect("key checked"));
                        write_capacity(table, old.as_ref(), Some(item), None).0
                    }
                    Change::Delete(key) => write_capacity(table, table.get(key).as_ref(), None, None).0,
                };
                available -= spent;
                units += spent;
                made.push((change, spent));
            }
            if let Some(c) = consumed(table, units, self.capacity) {
                consumed_list.push(c);
            }
            tables.push((name, made));
        }
        let mut response = json!({ "UnprocessedItems": unprocessed });
        if self.capacity.is_some() {
            response["ConsumedCapacity"] = json!(consumed_list);
        }
        Ok(BatchWritePlan { tables, response })
    }
}

/// One write of a batch, read: a put or a delete, the request's shape only.
fn batch_write(name: &str, i: usize, write: &Value) -> Result<BatchWrite, AwsError> {
    let w = object_with(write, &["PutRequest", "DeleteRequest"])?;
    let path = format!("RequestItems.{name}[{i}]");
    match (map(w, "PutRequest")?, map(w, "DeleteRequest")?) {
        (Some(_), None) => {
            let put = object_with(&w["PutRequest"], &["Item"])?;
            let item_path = format!("{path}.PutRequest.Item");
            let item = item_from_wire(map(put, "Item")?.ok_or_else(|| missing(&item_path))?, &item_path)?;
            Ok(BatchWrite::Put(item))
        }
        (None, Some(_)) => {
            let delete = object_with(&w["DeleteRequest"], &["Key"])?;
            Ok(BatchWrite::Delete(key_member(delete, "Key", "Key")?))
        }
        _ => Err(invalid("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes")),
    }
}

/// BatchWriteItem, checked: table by table, the writes to make with the write units each costs,
/// and the answer.
pub(super) struct BatchWritePlan<'r> {
    tables: Vec<(&'r str, Vec<(Change, f64)>)>,
    response: Value,
}

impl Commit for BatchWritePlan<'_> {
    fn commit(self, db: &mut DynamoDb, ctx: &mut Ctx) -> Value {
        for (name, writes) in self.tables {
            for (change, spent) in writes {
                change.commit(db, name, ctx);
                charge(db, name, ctx.now_ms, spent, true);
            }
        }
        self.response
    }
}

/// BatchGetItem's input.
pub(super) struct BatchGetItem<'r> {
    /// ReturnConsumedCapacity, unless NONE.
    capacity: Option<&'r str>,
    /// RequestItems, table by table, read as far as the first problem.
    tables: Entries<TableGets<'r>>,
}

/// What a BatchGetItem reads from one table.
struct TableGets<'r> {
    name: &'r str,
    /// The table's part of the request, for UnprocessedKeys.
    spec: &'r Map<String, Value>,
    /// ConsistentRead.
    consistent: bool,
    /// ProjectionExpression, resolved.
    projection: Option<Vec<DocPath>>,
    /// Keys, each key's attribute values read, as far as the first problem; DynamoDB reports
    /// their problems after the table lookup.
    keys: Later<Entries<Item>>,
}

impl<'r> Operation<'r> for BatchGetItem<'r> {
    type Plan = Answer<'r>;
    type Refusal = AwsError;

    fn parse(request: &'r Value) -> Result<BatchGetItem<'r>, AwsError> {
        let r = object_with(request, &["RequestItems", "ReturnConsumedCapacity"])?;
        let capacity = wants_capacity(r)?;
        let requests = request_items(r, 100, "BatchGetItem")?;
        let tables = Entries::read(requests, |(name, spec)| {
            let spec = object_with(
                spec,
                &["Keys", "AttributesToGet", "ConsistentRead", "ProjectionExpression", "ExpressionAttributeNames"],
            )?;
            refuse_legacy(spec, &["AttributesToGet"])?;
            let consistent = boolean(spec, "ConsistentRead")?.unwrap_or(false);
            let projection = projection(spec)?;
            let keys = match spec.get("Keys") {
                Some(Value::Array(keys)) => Ok(Entries::read(keys.iter().enumerate(), |(i, key)| {
                    let Value::Object(key) = key else {
                        return Err(invalid_type(&format!("RequestItems.{name}.Keys[{i}]"), key, "object"));
                    };
                    item_from_wire(key, &format!("RequestItems.{name}.Keys[{i}]"))
                })),
                _ => Err(missing(&format!("RequestItems.{name}.Keys"))),
            };
            Ok(TableGets { name: name.as_str(), spec, consistent, projection, keys })
        });
        Ok(BatchGetItem { capacity, tables })
    }

    /// Reads every key; a table out of read capacity leaves its keys unprocessed, and if no
    /// table had any, the call is throttled.
    fn check(self, db: &DynamoDb, now_ms: u64) -> Result<Answer<'r>, AwsError> {
        let mut responses = Map::new();
        let mut consumed_list = Vec::new();
        let mut unprocessed = Map::new();
        let mut charges = Vec::new();
        self.tables.check(|TableGets { name, spec, consistent, projection, keys }| {
            let table = active_table(db, name)?;
            let mut seen = Vec::new();
            let mut units = 0.0;
            let found = keys?.check(|key| {
                check_key(table, &key, "The provided key element does not match the schema")?;
                let k = table.key_of(&key).expect("checked");
                if seen.contains(&k) {
                    return Err(invalid("Provided list of item keys contains duplicates"));
                }
                let item = table.stored(&k);
                units += read_units(item.map_or(0, StoredItem::size), consistent);
                seen.push(k);
                Ok(item.map(|item| shown(item, projection.as_deref())))
            })?;
            // A provisioned table out of read capacity leaves its keys unprocessed.
            if table.available(now_ms, false) <= 0.0 {
                unprocessed.insert(name.to_string(), Value::Object(spec.clone()));
                return Ok(());
            }
            responses.insert(name.to_string(), Value::Array(found.into_iter().flatten().collect()));
            charges.push(Charge { table: name, units, write: false });
            if let Some(c) = consumed(table, units, self.capacity) {
                consumed_list.push(c);
            }
            Ok::<_, AwsError>(())
        })?;
        if responses.is_empty() && !unprocessed.is_empty() {
            return Err(throttled());
        }
        let mut response = json!({ "Responses": responses, "UnprocessedKeys": unprocessed });
        if self.capacity.is_some() {
            response["ConsumedCapacity"] = json!(consumed_list);
        }
        Ok(Answer { response, charges })
    }
}
