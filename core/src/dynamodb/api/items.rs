//! Single-item operations (PutItem, GetItem, UpdateItem, DeleteItem) and what every data-plane
//! operation shares: placeholders, key checks, conditions, capacity, and the shape of a checked
//! request.
//!
//! Each operation is a typed input, as the table operations are: `parse` reads the request's own
//! shape and nothing else; `check` looks at the tables through `&DynamoDb` and can fail, returning
//! a plan with everything the commit needs (the new item, the answer, the capacity to spend);
//! `commit` takes `&mut DynamoDb` and cannot fail. Reads are planned the same way: their check
//! computes the answer, their commit spends the read capacity.
//!
//! The one change a failed request may make is in the types: a refusal ([`Refused`]) carries the
//! capacity DynamoDB charges for it, and only a write whose ConditionExpression fails has one
//! (as on AWS). [`run`] parses, checks and commits an operation ([`Operation`]), or spends what a
//! refusal carries and reports its error.
//!
//! DynamoDB judges parts of a request's shape only after it has found the table (UpdateItem's
//! expressions, every `Key`, the entries of a batch one table at a time). `parse` reads them all
//! the same and keeps what it found ([`Later`], [`Entries`]); `check` reports it at its place in
//! DynamoDB's order, so a request wrong in two ways gets the same error as from DynamoDB.

use super::*;

/// A part of a request that `parse` has read, problem included, and that `check` reports at its
/// place in DynamoDB's order: after the table lookup and the checks that come before it.
pub(super) type Later<T> = Result<T, AwsError>;

/// A list of a request read by `parse` as far as its first problem. DynamoDB judges a list's
/// entries one at a time, each against its table, so a problem in an entry is reported only after
/// the entries before it passed: `check` judges `read`, then reports `problem`.
pub(super) struct Entries<T> {
    /// The entries before the first problem, read.
    read: Vec<T>,
    /// The first problem, if any.
    problem: Option<AwsError>,
}

impl<T> Entries<T> {
    /// Reads `list` with `entry` until an entry fails.
    pub(super) fn read<I>(list: impl IntoIterator<Item = I>, mut entry: impl FnMut(I) -> Result<T, AwsError>) -> Self {
        let mut read = Vec::new();
        for item in list {
            match entry(item) {
                Ok(value) => read.push(value),
                Err(problem) => return Entries { read, problem: Some(problem) },
            }
        }
        Entries { read, problem: None }
    }

    /// Judges each entry read with `judge`, in order, then reports the problem `parse` found.
    pub(super) fn check<U, E: From<AwsError>>(self, mut judge: impl FnMut(T) -> Result<U, E>) -> Result<Vec<U>, E> {
        let judged = self.read.into_iter().map(&mut judge).collect::<Result<Vec<U>, E>>()?;
        match self.problem {
            Some(problem) => Err(problem.into()),
            None => Ok(judged),
        }
    }
}

/// Capacity a request spends on one table: a read's commit, or what a refused write costs.
pub(super) struct Charge<'r> {
    pub(super) table: &'r str,
    pub(super) units: f64,
    pub(super) write: bool,
}

impl Charge<'_> {
    pub(super) fn commit(self, db: &mut DynamoDb, now_ms: u64) {
        charge(db, self.table, now_ms, self.units, self.write);
    }
}

/// A request `check` refused, and the capacity it is charged all the same (a write refused by its
/// ConditionExpression, as on AWS); every other refusal costs nothing.
pub(super) struct Refused<'r> {
    pub(super) error: AwsError,
    pub(super) charge: Option<Charge<'r>>,
}

impl From<AwsError> for Refused<'_> {
    fn from(error: AwsError) -> Self {
        Refused { error, charge: None }
    }
}

/// What `check` returns for a request it accepts: a commit that cannot fail.
pub(super) trait Commit {
    fn commit(self, db: &mut DynamoDb, ctx: &mut Ctx) -> Value;
}

/// A data-plane operation as a typed input (see the module doc); [`run`] runs it.
pub(super) trait Operation<'r>: Sized {
    /// What `check` returns for a request it accepts.
    type Plan: Commit;
    /// What `check` returns for a request it refuses: an error, which costs nothing, or a
    /// [`Refused`], which may carry a charge.
    type Refusal: Into<Refused<'r>>;
    /// Reads the request's own shape, and nothing else.
    fn parse(request: &'r Value) -> Result<Self, AwsError>;
    /// Judges the request against the tables.
    fn check(self, db: &DynamoDb, now_ms: u64) -> Result<Self::Plan, Self::Refusal>;
}

/// Parses, checks and commits the operation `O`. A refused request changes nothing but the
/// capacity its refusal is charged.
pub(super) fn run<'r, O: Operation<'r>>(
    db: &mut DynamoDb,
    ctx: &mut Ctx,
    request: &'r Value,
) -> Result<Value, AwsError> {
    match O::parse(request)?.check(db, ctx.now_ms) {
        Ok(plan) => Ok(plan.commit(db, ctx)),
        Err(refusal) => {
            let Refused { error, charge } = refusal.into();
            if let Some(charge) = charge {
                charge.commit(db, ctx.now_ms);
            }
            Err(error)
        }
    }
}

/// A read, checked: its answer, computed from `&DynamoDb`, and the read capacity it consumed.
pub(super) struct Answer<'r> {
    pub(super) response: Value,
    pub(super) charges: Vec<Charge<'r>>,
}

impl Commit for Answer<'_> {
    fn commit(self, db: &mut DynamoDb, ctx: &mut Ctx) -> Value {
        for charge in self.charges {
            charge.commit(db, ctx.now_ms);
        }
        self.response
    }
}

/// One item written: the new item, or the key of the item deleted.
pub(super) enum Change {
    Put(Item),
    Delete((KeyValue, KeyValue)),
}

impl Change {
    /// Makes the change in the table `name`, stream records and Kinesis calls included.
    pub(super) fn commit(self, db: &mut DynamoDb, name: &str, ctx: &mut Ctx) {
        match self {
            Change::Put(item) => {
                db.store(name, item, ctx);
            }
            Change::Delete(key) => {
                db.remove(name, &key, ctx);
            }
        }
    }
}

/// A single-item write (PutItem, DeleteItem, UpdateItem), checked: the change, the write units it
/// costs and the answer.
pub(super) struct Write<'r> {
    table: &'r str,
    change: Change,
    units: f64,
    response: Value,
}

impl Commit for Write<'_> {
    fn commit(self, db: &mut DynamoDb, ctx: &mut Ctx) -> Value {
        self.change.commit(db, self.table, ctx);
        charge(db, self.table, ctx.now_ms, self.units, true);
        self.response
    }
}

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

/// Validates an item for PutItem: every key attribute present, typed and sized right.
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

/// Reads a `Key` member, the request's side of it: an object of attribute values. Its problems
/// come after the table lookup (see [`Later`]); [`table_key`] judges it against the table.
pub(super) fn key_member(r: Request, member: &str, path: &str) -> Later<Item> {
    item_from_wire(map(r, member)?.ok_or_else(|| missing(member))?, path)
}

/// A `Key` judged against the table: exactly the key attributes, typed right.
pub(super) fn table_key(table: &Table, key: &Item) -> Result<(KeyValue, KeyValue), AwsError> {
    check_key(table, key, "The provided key element does not match the schema")?;
    Ok(table.key_of(key).expect("checked against the schema"))
}

/// ProjectionExpression, with its ExpressionAttributeNames, of a request whose only expression it
/// is (GetItem, BatchGetItem, TransactGetItems).
pub(super) fn projection(r: Request) -> Result<Option<Vec<DocPath>>, AwsError> {
    let mut ph = placeholders(r, &GET)?;
    let projection = string(r, "ProjectionExpression")?.map(|p| ph.projection(p)).transpose()?;
    ph.check_all_used()?;
    Ok(projection)
}

/// A stored item as a read returns it: its DynamoDB JSON straight from the stored form, or, with a
/// ProjectionExpression, the attributes it names.
pub(super) fn shown(item: &StoredItem, projection: Option<&[DocPath]>) -> Value {
    match projection {
        Some(paths) => item_to_wire(&eval::project(&item.decode(), paths)),
        None => item.to_wire(),
    }
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

/// A write's ConditionExpression, read with its placeholders and its
/// ReturnValuesOnConditionCheckFailure.
pub(super) struct Conditional<'r> {
    pub(super) ph: Placeholders,
    pub(super) condition: Option<Condition>,
    pub(super) on_failure: Option<&'r str>,
}

impl<'r> Conditional<'r> {
    /// Reads the members of PutItem and DeleteItem that judge the item replaced.
    pub(super) fn parse(r: Request<'r>) -> Result<Conditional<'r>, AwsError> {
        let on_failure = on_failure(r)?;
        let mut ph = placeholders(r, &PUT_DELETE)?;
        let condition = string(r, "ConditionExpression")?.map(|c| ph.condition(c, ExprKind::Condition)).transpose()?;
        ph.check_all_used()?;
        Ok(Conditional { ph, condition, on_failure })
    }
}

/// Admits a single-item write to `table` (named `name` in the request) and checks its condition
/// against `existing`, the item it would replace. A conditional write that fails still consumes
/// write capacity, as on AWS: the refusal carries the charge.
pub(super) fn guard_write<'r>(
    table: &Table,
    name: &'r str,
    existing: Option<&Item>,
    conditional: &mut Conditional,
    now_ms: u64,
) -> Result<(), Refused<'r>> {
    admit(table, now_ms, true)?;
    let Conditional { ph, condition, on_failure } = conditional;
    check_condition(condition.as_ref(), existing, ph, *on_failure).map_err(|error| Refused {
        error,
        charge: Some(Charge { table: name, units: write_units(existing, None), write: true }),
    })
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

/// What PutItem and DeleteItem share, read.
struct ItemWrite<'r> {
    /// TableName.
    name: &'r str,
    /// ReturnValues is ALL_OLD.
    all_old: bool,
    /// ReturnConsumedCapacity, unless NONE.
    capacity: Option<&'r str>,
    conditional: Conditional<'r>,
}

impl<'r> ItemWrite<'r> {
    /// Reads a request of `members` (besides the condition's); `target` reads the member that
    /// names the item, after TableName and the legacy members, as DynamoDB does.
    fn parse<T>(
        request: &'r Value,
        members: &[&str],
        target: impl FnOnce(Request<'r>) -> Result<T, AwsError>,
    ) -> Result<(ItemWrite<'r>, T), AwsError> {
        let mut members = members.to_vec();
        members.extend(WRITE_MEMBERS);
        let r = object_with(request, &members)?;
        let name = required(r, "TableName")?;
        refuse_legacy(r, &["Expected", "ConditionalOperator"])?;
        let target = target(r)?;
        let all_old = return_values(r, &["NONE", "ALL_OLD"])? == "ALL_OLD";
        let capacity = wants_capacity(r)?;
        let conditional = Conditional::parse(r)?;
        Ok((ItemWrite { name, all_old, capacity, conditional }, target))
    }

    /// Judges the condition against `existing`, the item in `table` now, then plans `change`.
    fn plan(
        mut self,
        table: &Table,
        existing: Option<Item>,
        change: Change,
        now_ms: u64,
    ) -> Result<Write<'r>, Refused<'r>> {
        guard_write(table, self.name, existing.as_ref(), &mut self.conditional, now_ms)?;
        let new = match &change {
            Change::Put(item) => Some(item),
            Change::Delete(_) => None,
        };
        let (units, capacity) = write_capacity(table, existing.as_ref(), new, self.capacity);
        let response = with_extras(json!({}), existing.filter(|_| self.all_old), capacity);
        Ok(Write { table: self.name, change, units, response })
    }
}

/// PutItem's input.
pub(super) struct PutItem<'r> {
    write: ItemWrite<'r>,
    /// Item: the new item, attribute values read (its key is judged against the table).
    item: Item,
}

impl<'r> Operation<'r> for PutItem<'r> {
    type Plan = Write<'r>;
    type Refusal = Refused<'r>;

    fn parse(request: &'r Value) -> Result<PutItem<'r>, AwsError> {
        let members = [
            "TableName",
            "Item",
            "Expected",
            "ReturnValues",
            "ReturnConsumedCapacity",
            "ReturnItemCollectionMetrics",
            "ConditionalOperator",
        ];
        let (write, item) = ItemWrite::parse(request, &members, |r| {
            item_from_wire(map(r, "Item")?.ok_or_else(|| missing("Item"))?, "Item")
        })?;
        Ok(PutItem { write, item })
    }

    /// The item must fit the table's key and indexes; then its condition is judged against the
    /// item it replaces.
    fn check(self, db: &DynamoDb, now_ms: u64) -> Result<Write<'r>, Refused<'r>> {
        let table = active_table(db, self.write.name)?;
        check_item_key(table, &self.item)?;
        check_index_keys(table, &self.item, false)?;
        // A size limit that needs no table, but DynamoDB reports it after the key checks.
        if item_size(&self.item) > MAX_ITEM_BYTES {
            return Err(invalid("Item size has exceeded the maximum allowed size").into());
        }
        let existing = table.get(&table.key_of(&self.item).expect("key checked"));
        self.write.plan(table, existing, Change::Put(self.item), now_ms)
    }
}

/// GetItem's input.
pub(super) struct GetItem<'r> {
    /// TableName.
    name: &'r str,
    /// ConsistentRead.
    consistent: bool,
    /// ReturnConsumedCapacity, unless NONE.
    capacity: Option<&'r str>,
    /// ProjectionExpression, resolved.
    projection: Option<Vec<DocPath>>,
    /// Key.
    key: Later<Item>,
}

impl<'r> Operation<'r> for GetItem<'r> {
    type Plan = Answer<'r>;
    type Refusal = AwsError;

    fn parse(request: &'r Value) -> Result<GetItem<'r>, AwsError> {
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
        let projection = projection(r)?;
        Ok(GetItem { name, consistent, capacity, projection, key: key_member(r, "Key", "Key") })
    }

    /// Reads the item, straight from its stored form unless projected.
    fn check(self, db: &DynamoDb, now_ms: u64) -> Result<Answer<'r>, AwsError> {
        let table = active_table(db, self.name)?;
        let key = table_key(table, &self.key?)?;
        admit(table, now_ms, false)?;
        let item = table.stored(&key);
        let units = read_units(item.map_or(0, StoredItem::size), self.consistent);
        let mut response = json!({});
        if let Some(item) = item {
            response["Item"] = shown(item, self.projection.as_deref());
        }
        let response = with_extras(response, None, consumed(table, units, self.capacity));
        Ok(Answer { response, charges: vec![Charge { table: self.name, units, write: false }] })
    }
}

/// DeleteItem's input.
pub(super) struct DeleteItem<'r> {
    write: ItemWrite<'r>,
    /// Key.
    key: Later<Item>,
}

impl<'r> Operation<'r> for DeleteItem<'r> {
    type Plan = Write<'r>;
    type Refusal = Refused<'r>;

    fn parse(request: &'r Value) -> Result<DeleteItem<'r>, AwsError> {
        let members = [
            "TableName",
            "Key",
            "Expected",
            "ConditionalOperator",
            "ReturnValues",
            "ReturnConsumedCapacity",
            "ReturnItemCollectionMetrics",
        ];
        let (write, key) = ItemWrite::parse(request, &members, |r| Ok(key_member(r, "Key", "Key")))?;
        Ok(DeleteItem { write, key })
    }

    /// The key must fit the table; then the condition is judged against the item there.
    fn check(self, db: &DynamoDb, now_ms: u64) -> Result<Write<'r>, Refused<'r>> {
        let table = active_table(db, self.write.name)?;
        let key = table_key(table, &self.key?)?;
        let existing = table.get(&key);
        self.write.plan(table, existing, Change::Delete(key), now_ms)
    }
}

/// UpdateItem's expressions, read: UpdateExpression (if any), ConditionExpression and their
/// placeholders, all of them used.
struct UpdateExpressions {
    ph: Placeholders,
    actions: Vec<UpdateAction>,
    condition: Option<Condition>,
}

impl UpdateExpressions {
    /// The path each update action writes goes to `targets` as the action passes its own checks
    /// (see `Placeholders::update`).
    fn parse(r: Request, targets: &mut Vec<DocPath>) -> Result<UpdateExpressions, AwsError> {
        let mut ph = placeholders(r, &UPDATE)?;
        let actions = string(r, "UpdateExpression")?.map(|u| ph.update(u, targets)).transpose()?.unwrap_or_default();
        let condition = string(r, "ConditionExpression")?.map(|c| ph.condition(c, ExprKind::Condition)).transpose()?;
        ph.check_all_used()?;
        Ok(UpdateExpressions { ph, actions, condition })
    }
}

/// UpdateItem's input.
pub(super) struct UpdateItem<'r> {
    /// TableName.
    name: &'r str,
    /// ReturnValues.
    returns: &'r str,
    /// ReturnConsumedCapacity, unless NONE.
    capacity: Option<&'r str>,
    /// ReturnValuesOnConditionCheckFailure.
    on_failure: Option<&'r str>,
    /// The paths the update actions write, those read before any problem in the expressions.
    targets: Vec<DocPath>,
    /// DynamoDB reads the expressions after it has found the table: it judges an update against
    /// the table's key, an action on a key attribute being refused where it stands among the
    /// other problems of the expressions (`targets`, judged first, say where).
    expressions: Later<UpdateExpressions>,
    /// Key.
    key: Later<Item>,
}

impl<'r> Operation<'r> for UpdateItem<'r> {
    type Plan = Write<'r>;
    type Refusal = Refused<'r>;

    fn parse(request: &'r Value) -> Result<UpdateItem<'r>, AwsError> {
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
        let mut targets = Vec::new();
        let expressions = UpdateExpressions::parse(r, &mut targets);
        Ok(UpdateItem { name, returns, capacity, on_failure, targets, expressions, key: key_member(r, "Key", "Key") })
    }

    /// The update may not touch the key; the condition is judged against the item there, then
    /// the update computes the new item, which must fit the table's indexes and size limit.
    fn check(self, db: &DynamoDb, now_ms: u64) -> Result<Write<'r>, Refused<'r>> {
        let table = active_table(db, self.name)?;
        key_untouched(&self.targets, &table.key.names())?;
        let UpdateExpressions { ph, actions, condition } = self.expressions?;
        let key_item = self.key?;
        let key = table_key(table, &key_item)?;
        let existing = table.get(&key);
        let mut conditional = Conditional { ph, condition, on_failure: self.on_failure };
        guard_write(table, self.name, existing.as_ref(), &mut conditional, now_ms)?;
        let updated = eval::update(existing.as_ref().unwrap_or(&key_item), &actions, &mut conditional.ph)?;
        check_index_keys(table, &updated, true)?;
        if item_size(&updated) > MAX_ITEM_BYTES {
            return Err(invalid("Item size to update has exceeded the maximum allowed size").into());
        }
        let (units, capacity) = write_capacity(table, existing.as_ref(), Some(&updated), self.capacity);
        let attributes = match self.returns {
            "ALL_OLD" => existing,
            "ALL_NEW" => Some(updated.clone()),
            "UPDATED_OLD" => existing.as_ref().map(|old| eval::project(old, &self.targets)),
            "UPDATED_NEW" => Some(eval::project(&updated, &updated_paths(&actions, self.targets))),
            _ => None,
        };
        let response = with_extras(json!({}), attributes, capacity);
        Ok(Write { table: self.name, change: Change::Put(updated), units, response })
    }
}

/// The attributes an update leaves changed, for UPDATED_NEW: the paths its actions write
/// (`targets`), but the list itself after a REMOVE of a list element.
fn updated_paths(actions: &[UpdateAction], mut targets: Vec<DocPath>) -> Vec<DocPath> {
    for (action, path) in actions.iter().zip(&mut targets) {
        if matches!(action, UpdateAction::Remove(_)) && matches!(path.0.last(), Some(Step::Index(_))) {
            path.0.pop();
        }
    }
    targets
}
