//! Single-item operations (PutItem, GetItem, UpdateItem, DeleteItem) and what every data-plane operation shares: placeholders, key checks, conditions, capacity.

use super::*;

/// The ACTIVE table named in the request.
pub(super) fn active_table<'a>(db: &'a DynamoDb, name: &str) -> Result<&'a Table, AwsError> {
    match db.tables.get(name) {
        Some(t) if t.status == TableStatus::Active => Ok(t),
        _ => Err(not_found()),
    }
}

/// Which expression members an operation has, for the checks on its placeholders.
pub(super) struct Expressions {
    /// Members that may use values (ConditionExpression...).
    with_values: &'static [&'static str],
    /// How DynamoDB says that none of them is present.
    none_present: &'static str,
}

pub(super) const PUT_DELETE: Expressions =
    Expressions { with_values: &["ConditionExpression"], none_present: "ConditionExpression is null" };
pub(super) const UPDATE: Expressions = Expressions {
    with_values: &["UpdateExpression", "ConditionExpression"],
    none_present: "UpdateExpression and ConditionExpression are null",
};
pub(super) const QUERY: Expressions = Expressions {
    with_values: &["FilterExpression", "KeyConditionExpression"],
    none_present: "FilterExpression and KeyConditionExpression are null",
};
pub(super) const SCAN: Expressions =
    Expressions { with_values: &["FilterExpression"], none_present: "FilterExpression is null" };
pub(super) const GET: Expressions = Expressions { with_values: &[], none_present: "" };

/// ExpressionAttributeNames and ExpressionAttributeValues, read and checked as DynamoDB checks
/// them before parsing any expression.
pub(super) fn placeholders(r: Request, expressions: &Expressions) -> Result<Placeholders, AwsError> {
    let present = |m: &&str| r.get(*m).is_some_and(|v| !v.is_null());
    let any_value_expression = expressions.with_values.iter().any(present);
    let any_expression = any_value_expression || present(&"ProjectionExpression");
    let names = match map(r, "ExpressionAttributeNames")? {
        Some(_) if !any_expression => {
            return Err(invalid("ExpressionAttributeNames can only be specified when using expressions"))
        }
        Some(m) if m.is_empty() => return Err(invalid("ExpressionAttributeNames must not be empty")),
        Some(m) => {
            let mut names = BTreeMap::new();
            for (k, v) in m {
                if !k.starts_with('#') {
                    return Err(invalid(format!(
                        "ExpressionAttributeNames contains invalid key: Syntax error; key: \"{k}\""
                    )));
                }
                let Some(name) = v.as_str() else {
                    return Err(invalid_type(&format!("ExpressionAttributeNames.{k}"), v, "string"));
                };
                names.insert(k.clone(), name.to_string());
            }
            names
        }
        None => BTreeMap::new(),
    };
    let values = match map(r, "ExpressionAttributeValues")? {
        Some(_) if !any_value_expression => {
            return Err(invalid(format!(
                "ExpressionAttributeValues can only be specified when using expressions: {}",
                expressions.none_present
            )))
        }
        Some(m) if m.is_empty() => return Err(invalid("ExpressionAttributeValues must not be empty")),
        Some(m) => {
            let mut values = Item::new();
            for (k, v) in m {
                if !k.starts_with(':') {
                    return Err(invalid(format!(
                        "ExpressionAttributeValues contains invalid key: Syntax error; key: \"{k}\""
                    )));
                }
                let value = AttributeValue::from_wire(v, &format!("ExpressionAttributeValues.{k}")).map_err(|e| {
                    if e.code == "ValidationException" {
                        invalid(format!("ExpressionAttributeValues contains invalid value: {} for key {k}", e.message))
                    } else {
                        e
                    }
                })?;
                values.insert(k.clone(), value);
            }
            values
        }
        None => Item::new(),
    };
    Ok(Placeholders::new(names, values))
}

/// Checks a key attribute's value: the schema's type, not empty, within the size limits.
pub(super) fn check_key_value(
    attribute: &KeyAttribute,
    value: &AttributeValue,
    hash: bool,
    in_item: bool,
) -> Result<(), AwsError> {
    if value.scalar_type() != Some(attribute.kind) {
        return Err(if in_item {
            invalid(format!(
                "One or more parameter values were invalid: Type mismatch for key {} expected: {} actual: {}",
                attribute.name,
                attribute.kind.name(),
                value.type_name()
            ))
        } else {
            invalid("The provided key element does not match the schema")
        });
    }
    let len = match value {
        AttributeValue::S(s) => s.len(),
        AttributeValue::B(b) => b.len(),
        _ => 1,
    };
    if len == 0 {
        let kind = if matches!(value, AttributeValue::B(_)) { "binary" } else { "string" };
        return Err(invalid(format!(
            "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty {kind} value. Key: {}",
            attribute.name
        )));
    }
    if hash && value.size() > 2048 {
        return Err(invalid("One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes"));
    }
    if !hash && value.size() > 1024 {
        return Err(invalid("One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes"));
    }
    Ok(())
}

/// Validates an item for PutItem: every key attribute present, typed and sized right.
/// Checks an item's values for the table's secondary index keys: an attribute that is an index
/// key must have the index's type and must not be empty. `updated` selects UpdateItem's wording.
pub(super) fn check_index_keys(table: &Table, item: &Item, updated: bool) -> Result<(), AwsError> {
    let mut indexes: Vec<&Index> = table.indexes.iter().collect();
    indexes.sort_by(|a, b| a.name.cmp(&b.name));
    for index in indexes {
        for attribute in [Some(&index.key.hash), index.key.range.as_ref()].into_iter().flatten() {
            let Some(value) = item.get(&attribute.name) else { continue };
            if value.scalar_type() != Some(attribute.kind) {
                return Err(invalid(if updated {
                    "The update expression attempted to update the secondary index key to unsupported type".to_string()
                } else {
                    format!(
                        "One or more parameter values were invalid: Type mismatch for Index Key {} Expected: {} Actual: {} IndexName: {}",
                        attribute.name,
                        attribute.kind.name(),
                        value.type_name(),
                        index.name
                    )
                }));
            }
            let empty = matches!(value, AttributeValue::S(s) if s.is_empty())
                || matches!(value, AttributeValue::B(b) if b.is_empty());
            if empty {
                let kind = if matches!(value, AttributeValue::B(_)) { "binary" } else { "string" };
                return Err(invalid(if updated {
                    format!("One or more parameter values are not valid. The update expression attempted to update a secondary index key to a value that is not supported. The AttributeValue for a key attribute cannot contain an empty {kind} value.")
                } else {
                    format!(
                        "One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty {kind} value. IndexName: {}, IndexKey: {}",
                        index.name, attribute.name
                    )
                }));
            }
        }
    }
    Ok(())
}

pub(super) fn check_item_key(table: &Table, item: &Item) -> Result<(), AwsError> {
    for (attribute, hash) in [(Some(&table.key.hash), true), (table.key.range.as_ref(), false)] {
        let Some(attribute) = attribute else { continue };
        let Some(value) = item.get(&attribute.name) else {
            return Err(invalid(format!(
                "One or more parameter values were invalid: Missing the key {} in the item",
                attribute.name
            )));
        };
        check_key_value(attribute, value, hash, true)?;
    }
    Ok(())
}

/// Reads a `Key` member: exactly the key attributes, typed right.
pub(super) fn read_key(table: &Table, r: Request, member: &str) -> Result<(Item, (KeyValue, KeyValue)), AwsError> {
    let key = map(r, member)?.ok_or_else(|| missing(member))?;
    let key = item_from_wire(key, member)?;
    check_key(table, &key, "The provided key element does not match the schema")?;
    let k = table.key_of(&key).expect("checked against the schema");
    Ok((key, k))
}

pub(super) fn check_key(table: &Table, key: &Item, mismatch: &str) -> Result<(), AwsError> {
    let names = table.key.names();
    if key.len() != names.len() || !names.iter().all(|n| key.contains_key(*n)) {
        return Err(invalid(mismatch));
    }
    for (attribute, hash) in [(Some(&table.key.hash), true), (table.key.range.as_ref(), false)] {
        if let Some(attribute) = attribute {
            check_key_value(attribute, &key[&attribute.name], hash, false).map_err(|e| {
                if e.message.starts_with("The provided key") {
                    invalid(mismatch)
                } else {
                    e
                }
            })?;
        }
    }
    Ok(())
}

pub(super) fn return_values<'a>(r: Request<'a>, allowed: &[&str]) -> Result<&'a str, AwsError> {
    let all = ["NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"];
    let value = enum_member(r, "ReturnValues", "returnValues", &all)?.unwrap_or("NONE");
    if allowed.contains(&value) {
        Ok(value)
    } else {
        Err(invalid("ReturnValues can only be ALL_OLD or NONE"))
    }
}

/// ReturnConsumedCapacity: NONE (default), TOTAL or INDEXES.
pub(super) fn wants_capacity<'a>(r: Request<'a>) -> Result<Option<&'a str>, AwsError> {
    Ok(enum_member(r, "ReturnConsumedCapacity", "returnConsumedCapacity", &["INDEXES", "TOTAL", "NONE"])?
        .filter(|v| *v != "NONE"))
}

pub(super) fn consumed(table: &Table, units: f64, mode: Option<&str>) -> Option<Value> {
    let mode = mode?;
    let mut c = json!({"TableName": table.name, "CapacityUnits": units});
    if mode == "INDEXES" {
        c["Table"] = json!({"CapacityUnits": units});
    }
    Some(c)
}

/// The capacity a single-item write consumes, table and secondary indexes: each index the item
/// is in, before or after, is written too (twice when the item's index key changes: a delete
/// and a put). Returns the units to charge to the table's capacity (the table and its local
/// indexes, which share it; global indexes have their own) and the ConsumedCapacity to report.
pub(super) fn write_capacity(
    table: &Table,
    old: Option<&Item>,
    new: Option<&Item>,
    mode: Option<&str>,
) -> (f64, Option<Value>) {
    let table_units = write_units(old, new);
    let (mut globals, mut locals) = (Map::new(), Map::new());
    let (mut total, mut shared) = (table_units, table_units);
    for index in &table.indexes {
        let old_entry = old.filter(|i| index.key_of(i).is_some()).map(|i| index.project(table, i));
        let new_entry = new.filter(|i| index.key_of(i).is_some()).map(|i| index.project(table, i));
        let units = match (&old_entry, &new_entry) {
            (None, None) => continue,
            (Some(o), Some(n)) if index.key_of(o) != index.key_of(n) => {
                write_units(Some(o), None) + write_units(None, Some(n))
            }
            (o, n) => write_units(o.as_ref(), n.as_ref()),
        };
        total += units;
        if index.global {
            globals.insert(index.name.clone(), json!({"CapacityUnits": units}));
        } else {
            shared += units;
            locals.insert(index.name.clone(), json!({"CapacityUnits": units}));
        }
    }
    let report = mode.map(|mode| {
        let mut c = json!({"TableName": table.name, "CapacityUnits": total});
        if mode == "INDEXES" {
            c["Table"] = json!({"CapacityUnits": table_units});
            if !globals.is_empty() {
                c["GlobalSecondaryIndexes"] = Value::Object(globals);
            }
            if !locals.is_empty() {
                c["LocalSecondaryIndexes"] = Value::Object(locals);
            }
        }
        c
    });
    (shared, report)
}

/// Write units: 1 per KB (rounded up) of the larger of the old and new item, at least 1.
pub(super) fn write_units(old: Option<&Item>, new: Option<&Item>) -> f64 {
    let size = old.map_or(0, item_size).max(new.map_or(0, item_size));
    size.div_ceil(1024).max(1) as f64
}

/// Read units: 1 per 4 KB (rounded up) strongly consistent, half that eventually consistent.
pub(super) fn read_units(bytes: usize, consistent: bool) -> f64 {
    let units = bytes.div_ceil(4096).max(1) as f64;
    if consistent {
        units
    } else {
        units / 2.0
    }
}

pub(super) fn throttled() -> AwsError {
    AwsError::client(
        "ProvisionedThroughputExceededException",
        "The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.",
    )
}

/// Refuses a request when a provisioned table has no read (or write) capacity left this second.
pub(super) fn admit(table: &Table, now_ms: u64, write: bool) -> Result<(), AwsError> {
    if table.available(now_ms, write) > 0.0 {
        Ok(())
    } else {
        Err(throttled())
    }
}

/// Spends capacity on the table `name`.
pub(super) fn charge(db: &mut DynamoDb, name: &str, now_ms: u64, units: f64, write: bool) {
    if let Some(table) = db.tables.get_mut(name) {
        table.consume(now_ms, units, write);
    }
}

/// Admits a single-item write and checks its ConditionExpression against `existing`, the item
/// it would replace. A conditional write that fails still consumes write capacity, as on AWS.
pub(super) fn guard_write(
    db: &mut DynamoDb,
    name: &str,
    existing: Option<&Item>,
    condition: Option<&Condition>,
    ph: &mut Placeholders,
    on_failure: Option<&str>,
    now_ms: u64,
) -> Result<(), AwsError> {
    admit(&db.tables[name], now_ms, true)?;
    let units = write_units(existing, None);
    if let Err(e) = check_condition(condition, existing, ph, on_failure) {
        charge(db, name, now_ms, units, true);
        return Err(e);
    }
    Ok(())
}

/// The ConditionExpression of a write, if any, checked against the item it would replace.
pub(super) fn check_condition(
    condition: Option<&Condition>,
    existing: Option<&Item>,
    ph: &mut Placeholders,
    on_failure: Option<&str>,
) -> Result<(), AwsError> {
    let Some(condition) = condition else { return Ok(()) };
    if eval::condition(condition, existing, ph, ExprKind::Condition)? {
        return Ok(());
    }
    let error = AwsError::client("ConditionalCheckFailedException", "The conditional request failed");
    Err(match (on_failure, existing) {
        (Some("ALL_OLD"), Some(item)) => error.with_detail("Item", item_to_wire(item)),
        _ => error,
    })
}

pub(super) fn with_extras(mut response: Value, attributes: Option<Item>, capacity: Option<Value>) -> Value {
    if let Some(attributes) = attributes.filter(|a| !a.is_empty()) {
        response["Attributes"] = item_to_wire(&attributes);
    }
    if let Some(capacity) = capacity {
        response["ConsumedCapacity"] = capacity;
    }
    response
}

pub(super) const WRITE_MEMBERS: [&str; 4] = [
    "ConditionExpression",
    "ExpressionAttributeNames",
    "ExpressionAttributeValues",
    "ReturnValuesOnConditionCheckFailure",
];

pub(super) fn on_failure<'a>(r: Request<'a>) -> Result<Option<&'a str>, AwsError> {
    enum_member(r, "ReturnValuesOnConditionCheckFailure", "returnValuesOnConditionCheckFailure", &["ALL_OLD", "NONE"])
}

pub(super) fn put_item(db: &mut DynamoDb, ctx: &mut Ctx, request: &Value) -> Result<Value, AwsError> {
    let mut members = vec![
        "TableName",
        "Item",
        "Expected",
        "ReturnValues",
        "ReturnConsumedCapacity",
        "ReturnItemCollectionMetrics",
        "ConditionalOperator",
    ];
    members.extend(WRITE_MEMBERS);
    let r = object_with(request, &members)?;
    let name = required(r, "TableName")?;
    refuse_legacy(r, &["Expected", "ConditionalOperator"])?;
    let item = item_from_wire(map(r, "Item")?.ok_or_else(|| missing("Item"))?, "Item")?;
    let returns = return_values(r, &["NONE", "ALL_OLD"])?;
    let capacity = wants_capacity(r)?;
    let on_failure = on_failure(r)?;
    let mut ph = placeholders(r, &PUT_DELETE)?;
    let condition = string(r, "ConditionExpression")?.map(|c| ph.condition(c, ExprKind::Condition)).transpose()?;
    ph.check_all_used()?;
    let table = active_table(db, name)?;
    check_item_key(table, &item)?;
    check_index_keys(table, &item, false)?;
    if item_size(&item) > MAX_ITEM_BYTES {
        return Err(invalid("Item size has exceeded the maximum allowed size"));
    }
    let key = table.key_of(&item).expect("key checked");
    let existing = table.get(&key);
    guard_write(db, name, existing.as_ref(), condition.as_ref(), &mut ph, on_failure, ctx.now_ms)?;
    let table = &db.tables[name];
    let (units, capacity) = write_capacity(table, existing.as_ref(), Some(&item), capacity);
    let old = db.store(name, item, ctx);
    charge(db, name, ctx.now_ms, units, true);
    Ok(with_extras(json!({}), old.filter(|_| returns == "ALL_OLD"), capacity))
}

pub(super) fn get_item(db: &mut DynamoDb, ctx: &mut Ctx, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(
        request,
        &[
            "TableName",
            "Key",
            "AttributesToGet",
            "ConsistentRead",
            "ReturnConsumedCapacity",
            "ProjectionExpression",
            "ExpressionAttributeNames",
        ],
    )?;
    let name = required(r, "TableName")?;
    refuse_legacy(r, &["AttributesToGet"])?;
    let consistent = boolean(r, "ConsistentRead")?.unwrap_or(false);
    let capacity = wants_capacity(r)?;
    let mut ph = placeholders(r, &GET)?;
    let projection = string(r, "ProjectionExpression")?.map(|p| ph.projection(p)).transpose()?;
    ph.check_all_used()?;
    let table = active_table(db, name)?;
    let (_, key) = read_key(table, r, "Key")?;
    admit(table, ctx.now_ms, false)?;
    let item = table.stored(&key);
    let units = read_units(item.map_or(0, StoredItem::size), consistent);
    let capacity = consumed(table, units, capacity);
    let mut response = json!({});
    if let Some(item) = item {
        response["Item"] = match &projection {
            Some(paths) => item_to_wire(&eval::project(&item.decode(), paths)),
            None => item.to_wire(),
        };
    }
    charge(db, name, ctx.now_ms, units, false);
    Ok(with_extras(response, None, capacity))
}

pub(super) fn delete_item(db: &mut DynamoDb, ctx: &mut Ctx, request: &Value) -> Result<Value, AwsError> {
    let mut members = vec![
        "TableName",
        "Key",
        "Expected",
        "ConditionalOperator",
        "ReturnValues",
        "ReturnConsumedCapacity",
        "ReturnItemCollectionMetrics",
    ];
    members.extend(WRITE_MEMBERS);
    let r = object_with(request, &members)?;
    let name = required(r, "TableName")?;
    refuse_legacy(r, &["Expected", "ConditionalOperator"])?;
    let returns = return_values(r, &["NONE", "ALL_OLD"])?;
    let capacity = wants_capacity(r)?;
    let on_failure = on_failure(r)?;
    let mut ph = placeholders(r, &PUT_DELETE)?;
    let condition = string(r, "ConditionExpression")?.map(|c| ph.condition(c, ExprKind::Condition)).transpose()?;
    ph.check_all_used()?;
    let table = active_table(db, name)?;
    let (_, key) = read_key(table, r, "Key")?;
    let existing = table.get(&key);
    guard_write(db, name, existing.as_ref(), condition.as_ref(), &mut ph, on_failure, ctx.now_ms)?;
    let table = &db.tables[name];
    let (units, capacity) = write_capacity(table, existing.as_ref(), None, capacity);
    let old = db.remove(name, &key, ctx);
    charge(db, name, ctx.now_ms, units, true);
    Ok(with_extras(json!({}), old.filter(|_| returns == "ALL_OLD"), capacity))
}

pub(super) fn update_item(db: &mut DynamoDb, ctx: &mut Ctx, request: &Value) -> Result<Value, AwsError> {
    let mut members = vec![
        "TableName",
        "Key",
        "AttributeUpdates",
        "Expected",
        "ConditionalOperator",
        "ReturnValues",
        "ReturnConsumedCapacity",
        "ReturnItemCollectionMetrics",
        "UpdateExpression",
    ];
    members.extend(WRITE_MEMBERS);
    let r = object_with(request, &members)?;
    let name = required(r, "TableName")?;
    refuse_legacy(r, &["AttributeUpdates", "Expected", "ConditionalOperator"])?;
    let returns = return_values(r, &["NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"])?;
    let capacity = wants_capacity(r)?;
    let on_failure = on_failure(r)?;
    let table = active_table(db, name)?;
    let mut ph = placeholders(r, &UPDATE)?;
    let key_names = table.key.names();
    let actions = string(r, "UpdateExpression")?.map(|u| ph.update(u, &key_names)).transpose()?.unwrap_or_default();
    let condition = string(r, "ConditionExpression")?.map(|c| ph.condition(c, ExprKind::Condition)).transpose()?;
    ph.check_all_used()?;
    let (key_item, key) = read_key(table, r, "Key")?;
    let existing = table.get(&key);
    guard_write(db, name, existing.as_ref(), condition.as_ref(), &mut ph, on_failure, ctx.now_ms)?;
    let table = &db.tables[name];
    let updated = eval::update(existing.as_ref().unwrap_or(&key_item), &actions, &mut ph)?;
    check_index_keys(table, &updated, true)?;
    if item_size(&updated) > MAX_ITEM_BYTES {
        return Err(invalid("Item size to update has exceeded the maximum allowed size"));
    }
    // The paths the update touched, for UPDATED_OLD and UPDATED_NEW.
    let mut touched: Vec<DocPath> = Vec::new();
    // After REMOVE of a list element, the updated attribute is the list itself.
    let mut touched_after: Vec<DocPath> = Vec::new();
    for action in &actions {
        use crate::dynamodb::expr::ast::UpdateAction;
        let (UpdateAction::Set(p, _) | UpdateAction::Remove(p) | UpdateAction::Add(p, _) | UpdateAction::Delete(p, _)) =
            action;
        let path = ph.path(p, ExprKind::Update)?;
        let mut after = path.clone();
        if matches!(action, UpdateAction::Remove(_)) && matches!(after.0.last(), Some(Step::Index(_))) {
            after.0.pop();
        }
        touched.push(path);
        touched_after.push(after);
    }
    let attributes = match returns {
        "ALL_OLD" => existing.clone(),
        "ALL_NEW" => Some(updated.clone()),
        "UPDATED_OLD" => existing.as_ref().map(|old| eval::project(old, &touched)),
        "UPDATED_NEW" => Some(eval::project(&updated, &touched_after)),
        _ => None,
    };
    let (units, capacity) = write_capacity(table, existing.as_ref(), Some(&updated), capacity);
    db.store(name, updated, ctx);
    charge(db, name, ctx.now_ms, units, true);
    Ok(with_extras(json!({}), attributes, capacity))
}
