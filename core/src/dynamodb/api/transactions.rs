//! TransactWriteItems and TransactGetItems, typed inputs that parse, check and commit as the
//! single-item operations do (see `items.rs`). A transaction's actions are judged one at a time,
//! each against its table: `parse` reads them as far as the first problem, `check` judges what it
//! read, then reports that problem. Every condition and every new item is then worked out against
//! the tables as they are; only if all of them hold does the commit write.

use super::*;

/// How long a ClientRequestToken makes a TransactWriteItems request idempotent.
pub(super) const TOKEN_MS: u64 = 10 * 60 * 1000;

/// What one action of a TransactWriteItems does.
enum TransactKind {
    Check,
    Put,
    Delete,
    Update(Vec<UpdateAction>),
}

/// One action of a TransactWriteItems, read.
struct TransactEntry<'r> {
    /// TableName.
    name: &'r str,
    /// ReturnValuesOnConditionCheckFailure is ALL_OLD.
    on_failure: bool,
    /// The paths an Update's actions write, those read before any problem (see UpdateItem).
    targets: Vec<DocPath>,
    /// What DynamoDB reads after it has found the table.
    rest: Later<TransactParts>,
}

/// The part of an action that DynamoDB reads after it has found the table: its expressions, and
/// its Item (a Put) or Key (the others).
struct TransactParts {
    ph: Placeholders,
    condition: Option<Condition>,
    kind: TransactKind,
    /// The item to put, or the key of the item the action is about.
    item: Item,
}

impl<'r> TransactEntry<'r> {
    fn parse(i: usize, entry: &'r Value) -> Result<TransactEntry<'r>, AwsError> {
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
        let ph = placeholders(b, expressions)?;
        let mut targets = Vec::new();
        let rest = TransactParts::parse(b, kind, i, ph, &mut targets);
        Ok(TransactEntry { name, on_failure, targets, rest })
    }
}

impl TransactParts {
    fn parse(b: Request, kind: &str, i: usize, mut ph: Placeholders, targets: &mut Vec<DocPath>) -> Later<Self> {
        let update = match kind {
            "Update" => Some(ph.update(required(b, "UpdateExpression")?, targets)?),
            _ => None,
        };
        let condition = match string(b, "ConditionExpression")? {
            Some(c) => Some(ph.condition(c, ExprKind::Condition)?),
            None if kind == "ConditionCheck" => {
                return Err(missing(&format!("TransactItems[{i}].ConditionCheck.ConditionExpression")))
            }
            None => None,
        };
        ph.check_all_used()?;
        let member = if kind == "Put" { "Item" } else { "Key" };
        let item = key_member(b, member, &format!("TransactItems[{i}].{kind}.{member}"))?;
        if kind == "Put" && item_size(&item) > MAX_ITEM_BYTES {
            return Err(invalid("Item size has exceeded the maximum allowed size"));
        }
        let kind = match (kind, update) {
            ("ConditionCheck", _) => TransactKind::Check,
            ("Put", _) => TransactKind::Put,
            ("Delete", _) => TransactKind::Delete,
            (_, update) => TransactKind::Update(update.unwrap_or_default()),
        };
        Ok(TransactParts { ph, condition, kind, item })
    }
}

/// One action of a transaction judged against its table.
struct TransactAction<'r> {
    table: &'r str,
    key: (KeyValue, KeyValue),
    on_failure: bool,
    parts: TransactParts,
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

/// TransactWriteItems's input.
pub(super) struct TransactWriteItems<'r> {
    /// The whole request, which a ClientRequestToken is remembered with.
    request: &'r Value,
    /// ReturnConsumedCapacity, unless NONE.
    capacity: Option<&'r str>,
    /// ClientRequestToken.
    token: Option<&'r str>,
    /// TransactItems, read as far as the first problem.
    actions: Entries<TransactEntry<'r>>,
}

impl<'r> Operation<'r> for TransactWriteItems<'r> {
    type Plan = TransactWrite<'r>;
    type Refusal = AwsError;

    fn parse(request: &'r Value) -> Result<TransactWriteItems<'r>, AwsError> {
        let r = object_with(
            request,
            &["TransactItems", "ReturnConsumedCapacity", "ReturnItemCollectionMetrics", "ClientRequestToken"],
        )?;
        let capacity = wants_capacity(r)?;
        let token = string(r, "ClientRequestToken")?;
        let items = transact_items(r)?;
        let actions = Entries::read(items.iter().enumerate(), |(i, entry)| TransactEntry::parse(i, entry));
        Ok(TransactWriteItems { request, capacity, token, actions })
    }

    /// A token seen with this same request does nothing again; otherwise every action must fit
    /// its table and hold against it, and every table must have write capacity left.
    fn check(self, db: &DynamoDb, now_ms: u64) -> Result<TransactWrite<'r>, AwsError> {
        // Idempotency: the same token with the same request within 10 minutes does nothing again.
        if let Some(token) = self.token {
            let earlier = db.transaction_tokens.get(token).filter(|(at, _)| *at + TOKEN_MS > now_ms);
            if let Some((_, earlier)) = earlier {
                if earlier == self.request {
                    return Ok(TransactWrite::Replay);
                }
                return Err(AwsError::client(
                    "IdempotentParameterMismatchException",
                    "The provided idempotency token was used with different parameters",
                ));
            }
        }
        let mut actions = Vec::new();
        let mut reasons: Vec<Option<AwsError>> = Vec::new();
        self.actions.check(|entry| {
            let table = active_table(db, entry.name)?;
            key_untouched(&entry.targets, &table.key.names())?;
            let parts = entry.rest?;
            // Key problems of one item cancel the transaction with a ValidationError reason.
            let key = match parts.kind {
                TransactKind::Put => check_item_key(table, &parts.item)
                    .and_then(|()| check_index_keys(table, &parts.item, false))
                    .map(|()| table.key_of(&parts.item).expect("key checked")),
                _ => check_key(table, &parts.item, "The provided key element does not match the schema")
                    .map(|()| table.key_of(&parts.item).expect("key checked")),
            };
            match key {
                Ok(key) => {
                    if actions.iter().any(|a: &TransactAction| a.table == entry.name && a.key == key) {
                        return Err(invalid("Transaction request cannot include multiple operations on one item"));
                    }
                    actions.push(TransactAction { table: entry.name, key, on_failure: entry.on_failure, parts });
                    reasons.push(None);
                }
                // A key that does not fit the schema cancels with a ValidationError reason; other
                // problems (an empty key value, say) fail the whole request.
                Err(e) if is_cancellation_reason(&e) => reasons.push(Some(e)),
                Err(e) => return Err(e),
            }
            Ok(())
        })?;
        // Evaluate every condition, and compute every new item, against the tables as they are.
        let mut writes = Vec::new();
        let mut units = BTreeMap::<&str, f64>::new();
        let mut actions = actions.into_iter();
        for reason in reasons.iter_mut().filter(|r| r.is_none()) {
            let TransactAction { table: name, key, on_failure, parts } =
                actions.next().expect("one action per reason slot");
            let TransactParts { mut ph, condition, kind, item } = parts;
            let table = &db.tables[name];
            let existing = table.get(&key);
            let existing = existing.as_ref();
            let on_failure = if on_failure { Some("ALL_OLD") } else { None };
            if let Err(e) = check_condition(condition.as_ref(), existing, &mut ph, on_failure) {
                *reason = Some(e);
                continue;
            }
            let new = match kind {
                TransactKind::Check => continue,
                TransactKind::Put => Some(item),
                TransactKind::Delete => None,
                TransactKind::Update(update) => {
                    let updated = eval::update(existing.unwrap_or(&item), &update, &mut ph).and_then(|updated| {
                        if item_size(&updated) > MAX_ITEM_BYTES {
                            return Err(invalid("Item size to update has exceeded the maximum allowed size"));
                        }
                        check_index_keys(table, &updated, true)?;
                        Ok(updated)
                    });
                    match updated {
                        Ok(updated) => Some(updated),
                        Err(e) => {
                            *reason = Some(e);
                            continue;
                        }
                    }
                }
            };
            *units.entry(name).or_default() += 2.0 * write_capacity(table, existing, new.as_ref(), None).0;
            writes.push((name, new.map_or(Change::Delete(key), Change::Put)));
        }
        if units.keys().any(|t| db.tables[*t].available(now_ms, true) <= 0.0) {
            return Err(throttled());
        }
        if reasons.iter().any(Option::is_some) {
            return Err(cancelled(&reasons));
        }
        let mut response = json!({});
        if self.capacity.is_some() {
            response["ConsumedCapacity"] = transaction_capacity(&units);
        }
        let token = self.token.map(|token| (token, self.request));
        Ok(TransactWrite::Write { writes, units, token, response })
    }
}

/// The TransactionCanceledException for `reasons`, one per action (`None`: that one was fine).
fn cancelled(reasons: &[Option<AwsError>]) -> AwsError {
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
    AwsError::client(
        "TransactionCanceledException",
        format!("Transaction cancelled, please refer cancellation reasons for specific reasons [{}]", codes.join(", ")),
    )
    .with_detail("CancellationReasons", json!(details))
}

/// A transaction's ConsumedCapacity: one entry per table, in name order.
fn transaction_capacity(units: &BTreeMap<&str, f64>) -> Value {
    json!(units.iter().map(|(t, u)| json!({"TableName": t, "CapacityUnits": u})).collect::<Vec<Value>>())
}

/// TransactWriteItems, checked.
pub(super) enum TransactWrite<'r> {
    /// The request came again with its token: it does nothing again.
    Replay,
    /// Every write, the write units charged to each table, the token to remember and the answer.
    Write {
        writes: Vec<(&'r str, Change)>,
        units: BTreeMap<&'r str, f64>,
        token: Option<(&'r str, &'r Value)>,
        response: Value,
    },
}

impl Commit for TransactWrite<'_> {
    fn commit(self, db: &mut DynamoDb, ctx: &mut Ctx) -> Value {
        // Tokens are remembered for 10 minutes; older ones are forgotten here.
        db.transaction_tokens.retain(|_, (at, _)| *at + TOKEN_MS > ctx.now_ms);
        let TransactWrite::Write { writes, units, token, response } = self else { return json!({}) };
        for (table, change) in writes {
            change.commit(db, table, ctx);
        }
        for (table, spent) in &units {
            charge(db, table, ctx.now_ms, *spent, true);
        }
        if let Some((token, request)) = token {
            db.transaction_tokens.insert(token.to_string(), (ctx.now_ms, request.clone()));
        }
        response
    }
}

/// TransactGetItems's input.
pub(super) struct TransactGetItems<'r> {
    /// ReturnConsumedCapacity, unless NONE.
    capacity: Option<&'r str>,
    /// TransactItems, read as far as the first problem.
    gets: Entries<TransactGet<'r>>,
}

/// One Get of a TransactGetItems.
struct TransactGet<'r> {
    /// TableName.
    name: &'r str,
    /// ProjectionExpression, resolved.
    projection: Option<Vec<DocPath>>,
    /// Key, whose problems DynamoDB reports after the table lookup.
    key: Later<Item>,
}

impl<'r> Operation<'r> for TransactGetItems<'r> {
    type Plan = Answer<'r>;
    type Refusal = AwsError;

    fn parse(request: &'r Value) -> Result<TransactGetItems<'r>, AwsError> {
        let r = object_with(request, &["TransactItems", "ReturnConsumedCapacity"])?;
        let capacity = wants_capacity(r)?;
        let items = transact_items(r)?;
        let gets = Entries::read(items.iter().enumerate(), |(i, entry)| {
            let e = object_with(entry, &["Get"])?;
            map(e, "Get")?.ok_or_else(|| missing(&format!("TransactItems[{i}].Get")))?;
            let g = object_with(&e["Get"], &["Key", "TableName", "ProjectionExpression", "ExpressionAttributeNames"])?;
            let name = required(g, "TableName")?;
            let projection = projection(g)?;
            Ok(TransactGet { name, projection, key: key_member(g, "Key", "Key") })
        });
        Ok(TransactGetItems { capacity, gets })
    }

    /// Reads every item (twice the units of a strongly consistent read); every table must have
    /// read capacity left.
    fn check(self, db: &DynamoDb, now_ms: u64) -> Result<Answer<'r>, AwsError> {
        let mut units = BTreeMap::<&str, f64>::new();
        let mut seen: Vec<(&str, (KeyValue, KeyValue))> = Vec::new();
        let responses = self.gets.check(|TransactGet { name, projection, key }| {
            let table = active_table(db, name)?;
            let key = table_key(table, &key?)?;
            if seen.iter().any(|(n, k)| *n == name && *k == key) {
                return Err(invalid("Transaction request cannot include multiple operations on one item"));
            }
            let item = table.stored(&key);
            seen.push((name, key));
            *units.entry(name).or_default() += 2.0 * read_units(item.map_or(0, StoredItem::size), true);
            Ok(match item {
                Some(item) => json!({ "Item": shown(item, projection.as_deref()) }),
                None => json!({}),
            })
        })?;
        if units.keys().any(|t| db.tables[*t].available(now_ms, false) <= 0.0) {
            return Err(throttled());
        }
        let mut response = json!({ "Responses": responses });
        if self.capacity.is_some() {
            response["ConsumedCapacity"] = transaction_capacity(&units);
        }
        let charges = units.into_iter().map(|(table, units)| Charge { table, units, write: false }).collect();
        Ok(Answer { response, charges })
    }
}
