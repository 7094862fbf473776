//! TransactWriteItems and TransactGetItems.

use super::*;

/// How long a ClientRequestToken makes a TransactWriteItems request idempotent.
pub(super) const TOKEN_MS: u64 = 10 * 60 * 1000;

/// One validated action of a transaction.
pub(super) struct TransactAction {
    table: String,
    key: (KeyValue, KeyValue),
    kind: TransactKind,
    condition: Option<Condition>,
    ph: Placeholders,
    on_failure: bool,
}

/// A write a transaction will make: table, the new item (`None` deletes), key.
pub(super) type PlannedWrite = (String, Option<Item>, (KeyValue, KeyValue));

pub(super) enum TransactKind {
    Check,
    Put(Item),
    Delete,
    Update(Vec<crate::dynamodb::expr::ast::UpdateAction>, Item),
}

pub(super) fn transact_items<'a>(r: Request<'a>) -> Result<&'a Vec<Value>, AwsError> {
    let items = match r.get("TransactItems") {
        Some(Value::Array(items)) => items,
        Some(other) => return Err(invalid_type("TransactItems", other, "array")),
        None => return Err(missing("TransactItems")),
    };
    if items.is_empty() {
        return Err(constraint("[]", "transactItems", "Member must have length greater than or equal to 1"));
    }
    if items.len() > 100 {
        return Err(constraint("[...]", "transactItems", "Member must have length less than or equal to 100"));
    }
    Ok(items)
}

pub(super) fn is_cancellation_reason(e: &AwsError) -> bool {
    e.message == "The provided key element does not match the schema"
        || e.message.starts_with("One or more parameter values were invalid: Type mismatch for key")
        || e.message.starts_with("One or more parameter values were invalid: Missing the key")
        || e.message.starts_with("One or more parameter values were invalid: Type mismatch for Index Key")
}

pub(super) fn transact_write_items(db: &mut DynamoDb, ctx: &mut Ctx, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(
        request,
        &["TransactItems", "ReturnConsumedCapacity", "ReturnItemCollectionMetrics", "ClientRequestToken"],
    )?;
    let capacity = wants_capacity(r)?;
    let token = string(r, "ClientRequestToken")?;
    let items = transact_items(r)?;
    // Idempotency: the same token with the same request within 10 minutes does nothing again.
    db.transaction_tokens.retain(|_, (at, _)| *at + TOKEN_MS > ctx.now_ms);
    if let Some(token) = token {
        if let Some((_, earlier)) = db.transaction_tokens.get(token) {
            if earlier == request {
                return Ok(json!({}));
            }
            return Err(AwsError::client(
                "IdempotentParameterMismatchException",
                "The provided idempotency token was used with different parameters",
            ));
        }
    }
    let mut actions = Vec::new();
    let mut reasons: Vec<Option<AwsError>> = Vec::new();
    for (i, entry) in items.iter().enumerate() {
        let e = object_with(entry, &["ConditionCheck", "Put", "Delete", "Update"])?;
        let present: Vec<(&String, &Value)> = e.iter().filter(|(_, v)| !v.is_null()).collect();
        let [(kind, body)] = present.as_slice() else {
            return Err(invalid("TransactItems can only contain one of Check, Put, Update or Delete"));
        };
        let mut members = vec![
            "TableName",
            "ConditionExpression",
            "ExpressionAttributeNames",
            "ExpressionAttributeValues",
            "ReturnValuesOnConditionCheckFailure",
        ];
        members.push(if kind.as_str() == "Put" { "Item" } else { "Key" });
        if kind.as_str() == "Update" {
            members.push("UpdateExpression");
        }
        let b = object_with(body, &members)?;
        let name = required(b, "TableName")?;
        let on_failure = on_failure(b)?.is_some_and(|v| v == "ALL_OLD");
        let expressions = if kind.as_str() == "Update" { &UPDATE } else { &PUT_DELETE };
        let mut ph = placeholders(b, expressions)?;
        let table = active_table(db, name)?;
        let key_names = table.key.names();
        let update = match kind.as_str() {
            "Update" => Some(ph.update(required(b, "UpdateExpression")?, &key_names)?),
            _ => None,
        };
        let condition = match string(b, "ConditionExpression")? {
            Some(c) => Some(ph.condition(c, ExprKind::Condition)?),
            None if kind.as_str() == "ConditionCheck" => {
                return Err(missing(&format!("TransactItems[{i}].ConditionCheck.ConditionExpression")))
            }
            None => None,
        };
        ph.check_all_used()?;
        // Key problems of one item cancel the transaction with a ValidationError reason.
        let parsed = match kind.as_str() {
            "Put" => {
                let item = item_from_wire(
                    map(b, "Item")?.ok_or_else(|| missing("Item"))?,
                    &format!("TransactItems[{i}].Put.Item"),
                )?;
                if item_size(&item) > MAX_ITEM_BYTES {
                    return Err(invalid("Item size has exceeded the maximum allowed size"));
                }
                check_item_key(table, &item)
                    .and_then(|()| check_index_keys(table, &item, false))
                    .map(|()| (table.key_of(&item).expect("key checked"), TransactKind::Put(item)))
            }
            other => {
                let key = item_from_wire(
                    map(b, "Key")?.ok_or_else(|| missing("Key"))?,
                    &format!("TransactItems[{i}].{other}.Key"),
                )?;
                check_key(table, &key, "The provided key element does not match the schema").map(|()| {
                    let k = table.key_of(&key).expect("key checked");
                    let kind = match other {
                        "ConditionCheck" => TransactKind::Check,
                        "Delete" => TransactKind::Delete,
                        _ => TransactKind::Update(update.clone().unwrap_or_default(), key),
                    };
                    (k, kind)
                })
            }
        };
        match parsed {
            Ok((key, kind)) => {
                if actions.iter().any(|a: &TransactAction| a.table == name && a.key == key) {
                    return Err(invalid("Transaction request cannot include multiple operations on one item"));
                }
                actions.push(TransactAction { table: name.to_string(), key, kind, condition, ph, on_failure });
                reasons.push(None);
            }
            // A key that does not fit the schema cancels with a ValidationError reason; other
            // problems (an empty key value, say) fail the whole request.
            Err(e) if is_cancellation_reason(&e) => reasons.push(Some(e)),
            Err(e) => return Err(e),
        }
    }
    // Evaluate every condition, and compute every new item, against the tables as they are.
    let mut writes: Vec<Option<PlannedWrite>> = Vec::new();
    let mut units = BTreeMap::<String, f64>::new();
    let mut action_iter = actions.iter_mut();
    for reason in reasons.iter_mut() {
        if reason.is_some() {
            writes.push(None);
            continue;
        }
        let action = action_iter.next().expect("one action per reason slot");
        let table = &db.tables[&action.table];
        let existing = table.get(&action.key);
        let existing = existing.as_ref();
        if let Err(e) = check_condition(
            action.condition.as_ref(),
            existing,
            &mut action.ph,
            if action.on_failure { Some("ALL_OLD") } else { None },
        ) {
            *reason = Some(e);
            writes.push(None);
            continue;
        }
        let new = match &action.kind {
            TransactKind::Check => {
                writes.push(None);
                continue;
            }
            TransactKind::Put(item) => Some(item.clone()),
            TransactKind::Delete => None,
            TransactKind::Update(update, key_item) => {
                let base = existing.cloned().unwrap_or_else(|| key_item.clone());
                match eval::update(&base, update, &mut action.ph) {
                    Ok(item) if item_size(&item) > MAX_ITEM_BYTES => {
                        *reason = Some(invalid("Item size to update has exceeded the maximum allowed size"));
                        writes.push(None);
                        continue;
                    }
                    Ok(item) if check_index_keys(table, &item, true).is_err() => {
                        *reason = check_index_keys(table, &item, true).err();
                        writes.push(None);
                        continue;
                    }
                    Ok(item) => Some(item),
                    Err(e) => {
                        *reason = Some(e);
                        writes.push(None);
                        continue;
                    }
                }
            }
        };
        *units.entry(action.table.clone()).or_default() += 2.0 * write_capacity(table, existing, new.as_ref(), None).0;
        writes.push(Some((action.table.clone(), new, action.key.clone())));
    }
    if units.keys().any(|t| db.tables[t].available(ctx.now_ms, true) <= 0.0) {
        return Err(throttled());
    }
    if reasons.iter().any(Option::is_some) {
        let codes: Vec<&str> = reasons
            .iter()
            .map(|r| match r {
                None => "None",
                Some(e) if e.code == "ConditionalCheckFailedException" => "ConditionalCheckFailed",
                Some(_) => "ValidationError",
            })
            .collect();
        let details: Vec<Value> = reasons
            .iter()
            .map(|r| match r {
                None => json!({"Code": "None"}),
                Some(e) => {
                    let code = if e.code == "ConditionalCheckFailedException" {
                        "ConditionalCheckFailed"
                    } else {
                        "ValidationError"
                    };
                    let mut reason = json!({"Code": code, "Message": e.message});
                    if let Some(item) = e.details.as_ref().and_then(|d| d.get("Item")) {
                        reason["Item"] = item.clone();
                    }
                    reason
                }
            })
            .collect();
        return Err(AwsError::client(
            "TransactionCanceledException",
            format!(
                "Transaction cancelled, please refer cancellation reasons for specific reasons [{}]",
                codes.join(", ")
            ),
        )
        .with_detail("CancellationReasons", json!(details)));
    }
    for (table, new, key) in writes.into_iter().flatten() {
        match new {
            Some(item) => {
                db.store(&table, item, ctx);
            }
            None => {
                db.remove(&table, &key, ctx);
            }
        }
    }
    for (table, spent) in &units {
        charge(db, table, ctx.now_ms, *spent, true);
    }
    if let Some(token) = token {
        db.transaction_tokens.insert(token.to_string(), (ctx.now_ms, request.clone()));
    }
    let mut response = json!({});
    if capacity.is_some() {
        let list: Vec<Value> = units.iter().map(|(t, u)| json!({"TableName": t, "CapacityUnits": u})).collect();
        response["ConsumedCapacity"] = json!(list);
    }
    Ok(response)
}

pub(super) fn transact_get_items(db: &mut DynamoDb, ctx: &mut Ctx, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(request, &["TransactItems", "ReturnConsumedCapacity"])?;
    let capacity = wants_capacity(r)?;
    let items = transact_items(r)?;
    let mut responses = Vec::new();
    let mut units = BTreeMap::<String, f64>::new();
    let mut seen = Vec::new();
    for (i, entry) in items.iter().enumerate() {
        let e = object_with(entry, &["Get"])?;
        let get = map(e, "Get")?.ok_or_else(|| missing(&format!("TransactItems[{i}].Get")))?;
        let g = object_with(
            &Value::Object(get.clone()),
            &["Key", "TableName", "ProjectionExpression", "ExpressionAttributeNames"],
        )?
        .clone();
        let name = required(&g, "TableName")?;
        let mut ph = placeholders(&g, &GET)?;
        let projection = string(&g, "ProjectionExpression")?.map(|p| ph.projection(p)).transpose()?;
        ph.check_all_used()?;
        let table = active_table(db, name)?;
        let (_, key) = read_key(table, &g, "Key")?;
        if seen.contains(&(name.to_string(), key.clone())) {
            return Err(invalid("Transaction request cannot include multiple operations on one item"));
        }
        seen.push((name.to_string(), key.clone()));
        let item = table.stored(&key);
        *units.entry(name.to_string()).or_default() += 2.0 * read_units(item.map_or(0, StoredItem::size), true);
        responses.push(match item {
            Some(item) => json!({"Item": match &projection {
                Some(paths) => item_to_wire(&eval::project(&item.decode(), paths)),
                None => item.to_wire(),
            }}),
            None => json!({}),
        });
    }
    if units.keys().any(|t| db.tables[t].available(ctx.now_ms, false) <= 0.0) {
        return Err(throttled());
    }
    for (table, spent) in &units {
        charge(db, table, ctx.now_ms, *spent, false);
    }
    let mut response = json!({ "Responses": responses });
    if capacity.is_some() {
        let list: Vec<Value> = units.iter().map(|(t, u)| json!({"TableName": t, "CapacityUnits": u})).collect();
        response["ConsumedCapacity"] = json!(list);
    }
    Ok(response)
}
