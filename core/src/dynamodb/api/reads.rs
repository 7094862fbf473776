//! Query and Scan, on tables and indexes: key conditions, filters, projections, paging.
//!
//! Each is a typed input: `parse` reads the request (its expressions parsed, ExclusiveStartKey's
//! attribute values read), `check` finds the table and index, judges the request against them and
//! reads the page, and the commit spends the read capacity the page consumed (see `items.rs`).

use super::*;

/// What Query and Scan share: which items are read, then how they are filtered and shown.
pub(super) struct Read<'a> {
    table: &'a Table,
    /// The index read instead of the table, if any.
    index: Option<&'a Index>,
    ph: Placeholders,
    filter: Option<Condition>,
    projection: Option<Vec<DocPath>>,
    count_only: bool,
    limit: Option<usize>,
    consistent: bool,
    capacity: Option<&'a str>,
}

impl Read<'_> {
    /// Reads `items` in order after `start` (an ExclusiveStartKey), one page.
    /// Returns the response and the read units it consumed.
    ///
    /// An item is decoded only when something needs it as an item (an index projection, a
    /// filter, a projection expression); otherwise its size and DynamoDB JSON come straight from
    /// its stored form.
    fn page<'i>(mut self, items: impl Iterator<Item = &'i StoredItem>) -> Result<(Value, f64), AwsError> {
        let (mut bytes, mut scanned, mut count, mut out) = (0usize, 0usize, 0usize, Vec::new());
        let mut last = None;
        let mut stopped = false;
        let decode = self.index.is_some() || self.filter.is_some() || self.projection.is_some();
        for stored in items {
            if self.limit.is_some_and(|l| scanned >= l) || bytes >= PAGE_BYTES {
                stopped = true;
                break;
            }
            scanned += 1;
            last = Some(stored);
            // An index holds projected items: that is what is read, filtered and returned.
            let item = match self.index {
                Some(index) => Some(index.project(self.table, &stored.decode())),
                None if decode => Some(stored.decode()),
                None => None,
            };
            bytes += item.as_ref().map_or_else(|| stored.size(), item_size);
            let keep = match (&self.filter, &item) {
                (Some(f), Some(item)) => eval::condition(f, Some(item), &mut self.ph, ExprKind::Filter)?,
                _ => true,
            };
            if !keep {
                continue;
            }
            count += 1;
            if !self.count_only {
                out.push(match (&self.projection, &item) {
                    (Some(paths), Some(item)) => item_to_wire(&eval::project(item, paths)),
                    (_, Some(item)) => item_to_wire(item),
                    (_, None) => stored.to_wire(),
                });
            }
        }
        let mut response = json!({ "Count": count, "ScannedCount": scanned });
        if !self.count_only {
            response["Items"] = Value::Array(out);
        }
        // The page ended on a limit (items or bytes), not at the end of the data: say where.
        let limit_hit = self.limit.is_some_and(|l| scanned >= l) || bytes >= PAGE_BYTES;
        if stopped || limit_hit {
            if let Some(item) = last {
                let names = match self.index {
                    Some(index) => index.key_names(self.table),
                    None => self.table.key.names(),
                };
                // Projections keep every key attribute, so the stored item has the same ones.
                let key: Item = names.iter().filter_map(|n| item.get(n).map(|v| (n.to_string(), v))).collect();
                response["LastEvaluatedKey"] = item_to_wire(&key);
            }
        }
        let units = read_units(bytes, self.consistent);
        if let Some(mut c) = consumed(self.table, units, self.capacity) {
            // Reads through an index are the index's, not the table's.
            if let (Some(index), Some("INDEXES")) = (self.index, self.capacity) {
                if let Value::Object(map) = &mut c {
                    map.remove("Table");
                }
                let member = if index.global { "GlobalSecondaryIndexes" } else { "LocalSecondaryIndexes" };
                c[member] = json!({ index.name.clone(): {"CapacityUnits": units} });
            }
            response["ConsumedCapacity"] = c;
        }
        Ok((response, units))
    }
}

pub(super) const READ_MEMBERS: [&str; 9] = [
    "TableName",
    "IndexName",
    "Select",
    "AttributesToGet",
    "Limit",
    "ConsistentRead",
    "ExclusiveStartKey",
    "ReturnConsumedCapacity",
    "ConditionalOperator",
];

/// A Query or Scan request: the members they share and `members`, theirs.
fn read_object<'r>(request: &'r Value, members: &[&str]) -> Result<Request<'r>, AwsError> {
    let mut all = READ_MEMBERS.to_vec();
    all.extend(members);
    object_with(request, &all)
}

/// What Query and Scan share, read from the request.
pub(super) struct ReadRequest<'r> {
    /// TableName.
    name: &'r str,
    /// IndexName.
    index: Option<&'r str>,
    /// Select.
    select: Option<&'r str>,
    /// Limit.
    limit: Option<usize>,
    /// ConsistentRead.
    consistent: bool,
    /// ReturnConsumedCapacity, unless NONE.
    capacity: Option<&'r str>,
    /// The placeholders, left open for Query's key condition.
    ph: Placeholders,
    /// ProjectionExpression, resolved.
    projection: Option<Vec<DocPath>>,
    /// FilterExpression.
    filter: Option<Condition>,
    /// ExclusiveStartKey, whose problems DynamoDB reports after the index's.
    start: Later<Option<Item>>,
}

impl<'r> ReadRequest<'r> {
    /// Reads what Query and Scan share, refusing the `legacy` members.
    pub(super) fn parse(r: Request<'r>, legacy: &[&str], expressions: &Expressions) -> Result<Self, AwsError> {
        let name = required(r, "TableName")?;
        refuse_legacy(r, legacy)?;
        let index = string(r, "IndexName")?;
        let select = enum_member(
            r,
            "Select",
            "select",
            &["ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES", "SPECIFIC_ATTRIBUTES", "COUNT"],
        )?;
        let limit = match integer(r, "Limit")? {
            Some(l) if l < 1 => {
                return Err(constraint(&l.to_string(), "limit", "Member must have value greater than or equal to 1"))
            }
            other => other.map(|l| l as usize),
        };
        let consistent = boolean(r, "ConsistentRead")?.unwrap_or(false);
        let capacity = wants_capacity(r)?;
        let mut ph = placeholders(r, expressions)?;
        let projection = string(r, "ProjectionExpression")?.map(|p| ph.projection(p)).transpose()?;
        let filter = string(r, "FilterExpression")?.map(|f| ph.condition(f, ExprKind::Filter)).transpose()?;
        if select == Some("COUNT") && projection.is_some() {
            return Err(invalid("Cannot specify the ProjectionExpression when choosing to get only the Count"));
        }
        if select == Some("SPECIFIC_ATTRIBUTES") && projection.is_none() {
            return Err(invalid(
                "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES",
            ));
        }
        let start = map(r, "ExclusiveStartKey")
            .and_then(|start| start.map(|m| item_from_wire(m, "ExclusiveStartKey")).transpose());
        Ok(ReadRequest { name, index, select, limit, consistent, capacity, ph, projection, filter, start })
    }

    /// The table and index to read, and the start key judged against them.
    fn check<'a>(self, db: &'a DynamoDb) -> Result<(Read<'a>, Option<Item>), AwsError>
    where
        'r: 'a,
    {
        let select = self.select;
        let table = active_table(db, self.name)?;
        let index = match self.index {
            Some(wanted) => Some(
                table
                    .indexes
                    .iter()
                    .find(|i| i.name == wanted && i.status == IndexStatus::Active)
                    .ok_or_else(|| invalid(format!("The table does not have the specified index: {wanted}")))?,
            ),
            None => None,
        };
        if select == Some("ALL_PROJECTED_ATTRIBUTES") && index.is_none() {
            return Err(invalid("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName"));
        }
        if let Some(index) = index.filter(|i| i.global) {
            if self.consistent {
                return Err(invalid("Consistent reads are not supported on global secondary indexes"));
            }
            if select == Some("ALL_ATTRIBUTES") && index.projection != Projection::All {
                return Err(invalid(format!(
                    "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index {} because its projection type is not ALL",
                    index.name
                )));
            }
        }
        let start = self.start?;
        if let Some(key) = &start {
            match index {
                None => check_key(
                    table,
                    key,
                    "The provided starting key is invalid: The provided key element does not match the schema",
                )?,
                Some(index) => {
                    let names = index.key_names(table);
                    let fits = key.len() == names.len()
                        && names.iter().all(|n| key.contains_key(*n))
                        && index.key_of(key).is_some()
                        && table.key_of(key).is_some();
                    if !fits {
                        return Err(invalid("The provided starting key is invalid"));
                    }
                }
            }
        }
        let read = Read {
            table,
            index,
            ph: self.ph,
            filter: self.filter,
            projection: self.projection,
            count_only: select == Some("COUNT"),
            limit: self.limit,
            consistent: self.consistent,
            capacity: self.capacity,
        };
        Ok((read, start))
    }
}

/// Scan's input.
pub(super) struct Scan<'r> {
    read: ReadRequest<'r>,
    /// Segment and TotalSegments.
    segments: Option<(u64, u64)>,
    /// Every placeholder used, which DynamoDB judges after the start key.
    all_used: Later<()>,
}

impl<'r> Operation<'r> for Scan<'r> {
    type Plan = Answer<'r>;
    type Refusal = AwsError;

    fn parse(request: &'r Value) -> Result<Scan<'r>, AwsError> {
        let r = read_object(
            request,
            &[
                "ScanFilter",
                "TotalSegments",
                "Segment",
                "ProjectionExpression",
                "FilterExpression",
                "ExpressionAttributeNames",
                "ExpressionAttributeValues",
            ],
        )?;
        let segment = integer(r, "Segment")?;
        let total = integer(r, "TotalSegments")?;
        let segments = match (segment, total) {
            (None, None) => None,
            (Some(_), None) => return Err(invalid("The TotalSegments parameter is required but was not present in the request when Segment parameter is present")),
            (None, Some(_)) => return Err(invalid("The Segment parameter is required but was not present in the request when parameter TotalSegments is present")),
            (Some(s), Some(t)) => {
                if !(1..=1_000_000).contains(&t) {
                    let rule = if t < 1 { "Member must have value greater than or equal to 1" } else { "Member must have value less than or equal to 1000000" };
                    return Err(constraint(&t.to_string(), "totalSegments", rule));
                }
                if s < 0 || s >= t {
                    return Err(invalid(format!("The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: {s} is not less than TotalSegments: {t}")));
                }
                Some((s as u64, t as u64))
            }
        };
        let read = ReadRequest::parse(r, &["AttributesToGet", "ScanFilter", "ConditionalOperator"], &SCAN)?;
        let all_used = read.ph.check_all_used();
        Ok(Scan { read, segments, all_used })
    }

    /// Reads one page of the table or index.
    fn check(self, db: &DynamoDb, now_ms: u64) -> Result<Answer<'r>, AwsError> {
        let (name, segments) = (self.read.name, self.segments);
        let (read, start) = self.read.check(db)?;
        self.all_used?;
        let table = read.table;
        admit(table, now_ms, false)?;
        let (response, units) = match read.index {
            None => {
                let start_key = start.as_ref().and_then(|k| table.key_of(k));
                let items = table
                    .stored_items()
                    .filter(|(_, item)| segments.is_none_or(|(s, t)| segment_of(table, item, t) == s))
                    .filter(|((hash, sort), _)| {
                        start_key.as_ref().is_none_or(|start| (*hash, *sort) > (&start.0, &start.1))
                    })
                    .map(|(_, item)| item);
                read.page(items)?
            }
            Some(index) => {
                let start_at = start.as_ref().and_then(|k| Some((index.key_of(k)?, table.key_of(k)?)));
                let entries = index.entries(table);
                let items = entries
                    .iter()
                    .filter(|(_, _, item)| segments.is_none_or(|(s, t)| segment_of(table, item, t) == s))
                    .filter(|(ik, tk, _)| start_at.as_ref().is_none_or(|(si, st)| (ik, tk) > (si, st)))
                    .map(|(_, _, item)| *item);
                read.page(items)?
            }
        };
        Ok(Answer { response, charges: vec![Charge { table: name, units, write: false }] })
    }
}

/// Which of `total` segments an item belongs to: a stable hash of its partition key.
pub(super) fn segment_of(table: &Table, item: &StoredItem, total: u64) -> u64 {
    let text = item.get(&table.key.hash.name).map(|v| v.to_wire().to_string()).unwrap_or_default();
    // FNV-1a: stable across runs and platforms, unlike the standard library's hasher.
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    hash % total
}

/// A key condition, taken apart: the partition key's value and the sort key's condition.
pub(super) struct KeyCondition {
    hash: KeyValue,
    range: Option<(Comparator, Vec<KeyValue>, bool)>,
}

/// Query's input.
pub(super) struct Query<'r> {
    read: ReadRequest<'r>,
    /// ScanIndexForward.
    forward: bool,
    /// KeyConditionExpression, with every placeholder used: DynamoDB judges them after the start
    /// key.
    key_condition: Later<Condition>,
}

impl<'r> Operation<'r> for Query<'r> {
    type Plan = Answer<'r>;
    type Refusal = AwsError;

    fn parse(request: &'r Value) -> Result<Query<'r>, AwsError> {
        let r = read_object(
            request,
            &[
                "KeyConditions",
                "QueryFilter",
                "ScanIndexForward",
                "ProjectionExpression",
                "FilterExpression",
                "KeyConditionExpression",
                "ExpressionAttributeNames",
                "ExpressionAttributeValues",
            ],
        )?;
        let forward = boolean(r, "ScanIndexForward")?.unwrap_or(true);
        let mut read =
            ReadRequest::parse(r, &["AttributesToGet", "KeyConditions", "QueryFilter", "ConditionalOperator"], &QUERY)?;
        let key_condition = key_condition_expression(r, &mut read.ph);
        Ok(Query { read, forward, key_condition })
    }

    /// Judges the key condition against the table's or index's key, then reads one page of the
    /// partition.
    fn check(self, db: &DynamoDb, now_ms: u64) -> Result<Answer<'r>, AwsError> {
        let (name, forward) = (self.read.name, self.forward);
        let (mut read, start) = self.read.check(db)?;
        let condition = self.key_condition?;
        let schema = read.index.map_or(&read.table.key, |i| &i.key);
        let key = key_condition(schema, &condition, &mut read.ph)?;
        if let Some(filter) = &read.filter {
            let names = schema.names();
            if let Some(attr) = condition_paths(filter)
                .into_iter()
                .filter_map(|p| match p.elements.first() {
                    Some(PathElement::Name(n, _)) => Some(n.clone()),
                    Some(PathElement::Placeholder(n, _)) => read.ph.names.get(n).cloned(),
                    _ => None,
                })
                .find(|n| names.contains(&n.as_str()))
            {
                return Err(invalid(format!(
                    "Filter Expression can only contain non-primary key attributes: Primary key attribute: {attr}"
                )));
            }
        }
        let table = read.table;
        let (response, units) = if let Some(index) = read.index {
            if let Some(start) = &start {
                if index.key_of(start).is_some_and(|k| k.0 != key.hash) {
                    return Err(invalid(
                        "The provided starting key is invalid: The provided key element does not match the schema",
                    ));
                }
            }
            let start_at = start.as_ref().and_then(|k| Some((index.key_of(k)?.1, table.key_of(k)?)));
            admit(table, now_ms, false)?;
            let entries: Vec<_> = index.entries(table).into_iter().filter(|(ik, _, _)| ik.0 == key.hash).collect();
            let wanted = |(ik, tk, _): &&((KeyValue, KeyValue), (KeyValue, KeyValue), &StoredItem)| {
                let in_range = match &key.range {
                    None => true,
                    Some((cmp, bounds, begins)) => sort_matches(&ik.1, *cmp, bounds, *begins),
                };
                let position = (&ik.1, tk);
                let after_start = match &start_at {
                    Some((sr, st)) if forward => position > (sr, st),
                    Some((sr, st)) => position < (sr, st),
                    None => true,
                };
                in_range && after_start
            };
            if forward {
                read.page(entries.iter().filter(wanted).map(|(_, _, item)| *item))?
            } else {
                read.page(entries.iter().rev().filter(wanted).map(|(_, _, item)| *item))?
            }
        } else {
            if let Some(start) = &start {
                if table.key_of(start).is_some_and(|k| k.0 != key.hash) {
                    return Err(invalid(
                        "The provided starting key is invalid: The provided key element does not match the schema",
                    ));
                }
            }
            let start_key = start.as_ref().and_then(|k| table.key_of(k)).map(|k| k.1);
            let wanted = |(sort, _): &(&KeyValue, &StoredItem)| {
                let in_range = match &key.range {
                    None => true,
                    Some((cmp, bounds, begins)) => sort_matches(sort, *cmp, bounds, *begins),
                };
                let after_start = match &start_key {
                    Some(start) if forward => *sort > start,
                    Some(start) => *sort < start,
                    None => true,
                };
                in_range && after_start
            };
            admit(table, now_ms, false)?;
            let partition = table.partition_entries(&key.hash);
            if forward {
                read.page(partition.filter(wanted).map(|(_, item)| item))?
            } else {
                read.page(partition.rev().filter(wanted).map(|(_, item)| item))?
            }
        };
        Ok(Answer { response, charges: vec![Charge { table: name, units, write: false }] })
    }
}

/// KeyConditionExpression, parsed with the request's placeholders, after which all of them must
/// have been used.
fn key_condition_expression(r: Request, ph: &mut Placeholders) -> Later<Condition> {
    let text = string(r, "KeyConditionExpression")?.ok_or_else(|| {
        invalid("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.")
    })?;
    let condition = ph.condition(text, ExprKind::KeyCondition)?;
    ph.check_all_used()?;
    Ok(condition)
}

pub(super) fn sort_matches(sort: &KeyValue, cmp: Comparator, bounds: &[KeyValue], begins: bool) -> bool {
    if begins {
        return match (sort, &bounds[0]) {
            (KeyValue::S(s), KeyValue::S(p)) => s.starts_with(p.as_str()),
            (KeyValue::B(s), KeyValue::B(p)) => s.starts_with(p),
            _ => false,
        };
    }
    if bounds.len() == 2 {
        return *sort >= bounds[0] && *sort <= bounds[1];
    }
    let b = &bounds[0];
    match cmp {
        Comparator::Eq => sort == b,
        Comparator::Lt => sort < b,
        Comparator::Le => sort <= b,
        Comparator::Gt => sort > b,
        Comparator::Ge => sort >= b,
        Comparator::Ne => false,
    }
}

/// Checks a KeyConditionExpression's shape: `hash = :v`, optionally AND one condition on the
/// sort key (`= < <= > >=`, BETWEEN, begins_with).
pub(super) fn key_condition(
    schema: &KeySchema,
    condition: &Condition,
    ph: &mut Placeholders,
) -> Result<KeyCondition, AwsError> {
    let unsupported = || invalid("Query key condition not supported");
    let mut parts = Vec::new();
    flatten_and(condition, &mut parts)
        .map_err(|op| invalid(format!("Invalid operator used in KeyConditionExpression: {op}")))?;
    if parts.len() > 2 {
        return Err(invalid("Conditions can be of length 1 or 2 only"));
    }
    let mut hash = None;
    let mut range = None;
    for part in parts {
        if let Condition::Compare(Operand::Path(_), _, Operand::Path(_)) = part {
            return Err(invalid(
                "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition",
            ));
        }
        let (path, values, cmp, begins) = match part {
            Condition::Compare(Operand::Path(p), cmp, Operand::Value(v, _)) if *cmp != Comparator::Ne => {
                (p, vec![v.clone()], *cmp, false)
            }
            Condition::Compare(Operand::Value(v, _), cmp, Operand::Path(p)) if *cmp != Comparator::Ne => {
                (p, vec![v.clone()], flip(*cmp), false)
            }
            Condition::Between(Operand::Path(p), Operand::Value(a, _), Operand::Value(b, _)) => {
                (p, vec![a.clone(), b.clone()], Comparator::Eq, false)
            }
            Condition::BeginsWith(Operand::Path(p), Operand::Value(v, _)) => (p, vec![v.clone()], Comparator::Eq, true),
            _ => return Err(unsupported()),
        };
        if path.elements.len() != 1 || matches!(path.elements[0], PathElement::Index(_)) {
            return Err(unsupported());
        }
        let resolved = ph.path(path, ExprKind::KeyCondition)?;
        let Some(Step::Key(attribute)) = resolved.0.first() else { return Err(unsupported()) };
        let is_hash = *attribute == schema.hash.name;
        let is_range = schema.range.as_ref().is_some_and(|r| r.name == *attribute);
        if !is_hash && !is_range {
            return Err(invalid(format!(
                "Query condition missed key schema element: {}",
                if hash.is_none() { &schema.hash.name } else { attribute }
            )));
        }
        let kind = if is_hash { schema.hash.kind } else { schema.range.as_ref().unwrap().kind };
        let mut bounds = Vec::new();
        for v in &values {
            let value = ph.value(v);
            if value.scalar_type() != Some(kind) {
                return Err(invalid(
                    "One or more parameter values were invalid: Condition parameter type does not match schema type",
                ));
            }
            bounds.push(KeyValue::of(value).expect("a scalar"));
        }
        if is_hash {
            if hash.is_some() {
                return Err(invalid("KeyConditionExpressions must only contain one condition per key"));
            }
            if cmp != Comparator::Eq || begins || bounds.len() != 1 {
                return Err(unsupported());
            }
            hash = bounds.pop();
        } else {
            if range.is_some() {
                return Err(invalid("KeyConditionExpressions must only contain one condition per key"));
            }
            if bounds.len() == 2 && bounds[0] > bounds[1] {
                return Err(invalid(format!(
                    "Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {{{}:{}}}, upper bound operand: AttributeValue: {{{}:{}}}",
                    kind.name(), key_text(&bounds[0]), kind.name(), key_text(&bounds[1])
                )));
            }
            range = Some((cmp, bounds, begins));
        }
    }
    let Some(hash) = hash else {
        return Err(invalid(format!("Query condition missed key schema element: {}", schema.hash.name)));
    };
    Ok(KeyCondition { hash, range })
}

pub(super) fn key_text(value: &KeyValue) -> String {
    match value {
        KeyValue::S(s) => s.clone(),
        KeyValue::N(n) => n.to_string(),
        KeyValue::B(b) => crate::dynamodb::model::encode_base64(b),
        KeyValue::None => String::new(),
    }
}

pub(super) fn flip(cmp: Comparator) -> Comparator {
    match cmp {
        Comparator::Lt => Comparator::Gt,
        Comparator::Le => Comparator::Ge,
        Comparator::Gt => Comparator::Lt,
        Comparator::Ge => Comparator::Le,
        other => other,
    }
}

/// The AND-ed parts of a key condition; an operator a key condition cannot use is the error.
pub(super) fn flatten_and<'a>(condition: &'a Condition, out: &mut Vec<&'a Condition>) -> Result<(), &'static str> {
    match condition {
        Condition::And(a, b) => {
            flatten_and(a, out)?;
            flatten_and(b, out)
        }
        Condition::Or(..) => Err("OR"),
        Condition::Not(..) => Err("NOT"),
        Condition::In(..) => Err("IN"),
        Condition::Compare(_, Comparator::Ne, _) => Err("<>"),
        Condition::AttributeExists(..) => Err("attribute_exists"),
        Condition::AttributeNotExists(..) => Err("attribute_not_exists"),
        Condition::AttributeType(..) => Err("attribute_type"),
        Condition::Contains(..) => Err("contains"),
        Condition::Compare(Operand::Size(..), ..) | Condition::Compare(_, _, Operand::Size(..)) => Err("size"),
        other => {
            out.push(other);
            Ok(())
        }
    }
}

/// Every document path a condition mentions.
pub(super) fn condition_paths(condition: &Condition) -> Vec<&crate::dynamodb::expr::ast::Path> {
    fn operand<'a>(o: &'a Operand, out: &mut Vec<&'a crate::dynamodb::expr::ast::Path>) {
        match o {
            Operand::Path(p) | Operand::Size(p, _) => out.push(p),
            _ => {}
        }
    }
    let mut out = Vec::new();
    match condition {
        Condition::Compare(a, _, b) | Condition::BeginsWith(a, b) | Condition::Contains(a, b) => {
            operand(a, &mut out);
            operand(b, &mut out);
        }
        Condition::Between(a, b, c) => {
            for o in [a, b, c] {
                operand(o, &mut out);
            }
        }
        Condition::In(a, list) => {
            operand(a, &mut out);
            list.iter().for_each(|o| operand(o, &mut out));
        }
        Condition::And(a, b) | Condition::Or(a, b) => {
            out.extend(condition_paths(a));
            out.extend(condition_paths(b));
        }
        Condition::Not(a) => out.extend(condition_paths(a)),
        Condition::AttributeExists(p) | Condition::AttributeNotExists(p) | Condition::AttributeType(p, _) => {
            out.push(p)
        }
    }
    out
}
