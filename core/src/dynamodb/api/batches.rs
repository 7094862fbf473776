//! BatchWriteItem and BatchGetItem.

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

/// One write of a batch, validated.
pub(super) enum BatchWrite {
    Put(Item),
    Delete((KeyValue, KeyValue)),
}

pub(super) fn batch_write_item(db: &mut DynamoDb, ctx: &mut Ctx, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(request, &["RequestItems", "ReturnConsumedCapacity", "ReturnItemCollectionMetrics"])?;
    let capacity = wants_capacity(r)?;
    let requests = request_items(r, 25, "BatchWriteItem")?;
    // Validate everything first: a batch that fails validation writes nothing.
    let mut plan: Vec<(String, Vec<(BatchWrite, &Value)>)> = Vec::new();
    for (name, writes) in requests {
        let Value::Array(writes) = writes else {
            return Err(invalid_type(&format!("RequestItems.{name}"), writes, "array"));
        };
        if writes.is_empty() {
            return Err(constraint("[]", "requestItems", "Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]"));
        }
        let table = active_table(db, name)?;
        let mut seen = Vec::new();
        let mut planned = Vec::new();
        for (i, write) in writes.iter().enumerate() {
            let w = object_with(write, &["PutRequest", "DeleteRequest"])?;
            let path = format!("RequestItems.{name}[{i}]");
            let op = match (map(w, "PutRequest")?, map(w, "DeleteRequest")?) {
                (Some(put), None) => {
                    let put = object_with(&Value::Object(put.clone()), &["Item"])?.clone();
                    let item = item_from_wire(map(&put, "Item")?.ok_or_else(|| missing(&format!("{path}.PutRequest.Item")))?, &format!("{path}.PutRequest.Item"))?;
                    check_item_key(table, &item)?;
                    check_index_keys(table, &item, false)?;
                    if item_size(&item) > MAX_ITEM_BYTES {
                        return Err(invalid("Item size has exceeded the maximum allowed size"));
                    }
                    BatchWrite::Put(item)
                }
                (None, Some(delete)) => {
                    let delete = object_with(&Value::Object(delete.clone()), &["Key"])?.clone();
                    let (_, key) = read_key(table, &delete, "Key")?;
                    BatchWrite::Delete(key)
                }
                _ => return Err(invalid("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes")),
            };
            let key = match &op {
                BatchWrite::Put(item) => table.key_of(item).expect("key checked"),
                BatchWrite::Delete(key) => key.clone(),
            };
            if seen.contains(&key) {
                return Err(invalid("Provided list of item keys contains duplicates"));
            }
            seen.push(key);
            planned.push((op, write));
        }
        plan.push((name.clone(), planned));
    }
    let mut consumed_list = Vec::new();
    // A provisioned table out of capacity leaves the rest of its writes unprocessed; if nothing
    // at all could be written, the whole call is throttled (and nothing was written).
    let nothing_fits = plan.iter().all(|(name, _)| db.tables[name].available(ctx.now_ms, true) <= 0.0);
    if nothing_fits {
        return Err(throttled());
    }
    let mut unprocessed = Map::new();
    for (name, writes) in plan {
        let mut units = 0.0;
        for (write, wire) in writes {
            if db.tables[&name].available(ctx.now_ms, true) <= 0.0 {
                unprocessed
                    .entry(name.clone())
                    .or_insert_with(|| json!([]))
                    .as_array_mut()
                    .expect("an array")
                    .push(wire.clone());
                continue;
            }
            let spent = match write {
                BatchWrite::Put(item) => {
                    let new = item.clone();
                    let old = db.store(&name, item, ctx);
                    write_capacity(&db.tables[&name], old.as_ref(), Some(&new), None).0
                }
                BatchWrite::Delete(key) => {
                    let old = db.remove(&name, &key, ctx);
                    write_capacity(&db.tables[&name], old.as_ref(), None, None).0
                }
            };
            charge(db, &name, ctx.now_ms, spent, true);
            units += spent;
        }
        let table = &db.tables[&name];
        if let Some(c) = consumed(table, units, capacity) {
            consumed_list.push(c);
        }
    }
    let mut response = json!({ "UnprocessedItems": unprocessed });
    if capacity.is_some() {
        response["ConsumedCapacity"] = json!(consumed_list);
    }
    Ok(response)
}

pub(super) fn batch_get_item(db: &mut DynamoDb, ctx: &mut Ctx, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(request, &["RequestItems", "ReturnConsumedCapacity"])?;
    let capacity = wants_capacity(r)?;
    let requests = request_items(r, 100, "BatchGetItem")?;
    let mut responses = Map::new();
    let mut consumed_list = Vec::new();
    let mut unprocessed = Map::new();
    let mut charges: Vec<(String, f64)> = Vec::new();
    for (name, spec) in requests {
        let spec = object_with(
            spec,
            &["Keys", "AttributesToGet", "ConsistentRead", "ProjectionExpression", "ExpressionAttributeNames"],
        )?;
        refuse_legacy(spec, &["AttributesToGet"])?;
        let consistent = boolean(spec, "ConsistentRead")?.unwrap_or(false);
        let mut ph = placeholders(spec, &GET)?;
        let projection = string(spec, "ProjectionExpression")?.map(|p| ph.projection(p)).transpose()?;
        ph.check_all_used()?;
        let table = active_table(db, name)?;
        let Some(Value::Array(keys)) = spec.get("Keys") else {
            return Err(missing(&format!("RequestItems.{name}.Keys")));
        };
        let mut seen = Vec::new();
        let mut found = Vec::new();
        let mut units = 0.0;
        for (i, key) in keys.iter().enumerate() {
            let Value::Object(key) = key else {
                return Err(invalid_type(&format!("RequestItems.{name}.Keys[{i}]"), key, "object"));
            };
            let key = item_from_wire(key, &format!("RequestItems.{name}.Keys[{i}]"))?;
            check_key(table, &key, "The provided key element does not match the schema")?;
            let k = table.key_of(&key).expect("checked");
            if seen.contains(&k) {
                return Err(invalid("Provided list of item keys contains duplicates"));
            }
            let item = table.stored(&k);
            units += read_units(item.map_or(0, StoredItem::size), consistent);
            if let Some(item) = item {
                found.push(match &projection {
                    Some(paths) => item_to_wire(&eval::project(&item.decode(), paths)),
                    None => item.to_wire(),
                });
            }
            seen.push(k);
        }
        // A provisioned table out of read capacity leaves its keys unprocessed.
        if table.available(ctx.now_ms, false) <= 0.0 {
            unprocessed.insert(name.clone(), Value::Object(spec.clone()));
            continue;
        }
        responses.insert(name.clone(), Value::Array(found));
        charges.push((name.clone(), units));
        if let Some(c) = consumed(table, units, capacity) {
            consumed_list.push(c);
        }
    }
    if responses.is_empty() && !unprocessed.is_empty() {
        return Err(throttled());
    }
    for (name, units) in charges {
        charge(db, &name, ctx.now_ms, units, false);
    }
    let mut response = json!({ "Responses": responses, "UnprocessedKeys": unprocessed });
    if capacity.is_some() {
        response["ConsumedCapacity"] = json!(consumed_list);
    }
    Ok(response)
}
