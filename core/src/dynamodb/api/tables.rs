//! CreateTable, DescribeTable, UpdateTable, DeleteTable, ListTables: definitions, lifecycles and secondary indexes.
//!
//! Each operation is a typed input: `parse` reads the request's own shape and nothing else;
//! `check` looks at the tables through `&DynamoDb` and can fail, returning what to change;
//! `commit` takes `&mut DynamoDb` and cannot fail. So a failed request has changed nothing, by
//! construction rather than by statement order. The reads parse, then answer from `&DynamoDb`.
//! UpdateTable's ProvisionedThroughput members and GlobalSecondaryIndexUpdates are read in its
//! `check`: they are judged against the table (its billing mode, indexes and definitions), after
//! its state, in the order DynamoDB reports problems.

use super::*;
use crate::clock::Millis;

/// An operation's input checked against the table it changes: what its commit needs.
pub(super) struct Checked<T> {
    /// What the request asked for.
    pub(super) input: T,
    /// The table's creation instant, which tells it apart from a later table of the same name
    /// (the jobs a commit schedules carry it).
    pub(super) created_ms: Millis,
}

/// The input of the operations whose only member is TableName: DescribeTable, DeleteTable,
/// DescribeTimeToLive and DescribeKinesisStreamingDestination.
pub(super) struct TableName {
    /// The table the operation is about.
    pub(super) name: String,
}

impl TableName {
    pub(super) fn parse(request: &Value) -> Result<TableName, AwsError> {
        let r = object_with(request, &["TableName"])?;
        Ok(TableName { name: required(r, "TableName")?.to_string() })
    }

    /// The table, in any state.
    pub(super) fn table<'a>(&self, db: &'a DynamoDb) -> Result<&'a Table, AwsError> {
        table_for_describe(db, &self.name)
    }
}

pub(super) fn check_table_name(name: &str) -> Result<(), AwsError> {
    if name.len() < 3 {
        return Err(constraint(name, "tableName", "Member must have length greater than or equal to 3"));
    }
    if name.len() > 255 {
        return Err(constraint(name, "tableName", "Member must have length less than or equal to 255"));
    }
    if !name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')) {
        return Err(constraint(name, "tableName", "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"));
    }
    Ok(())
}

/// CreateTable's input.
struct CreateTable {
    /// TableName: the new table's name, unique in the region.
    name: String,
    /// AttributeDefinitions: the type of every key attribute of the table and its indexes.
    definitions: Vec<KeyAttribute>,
    /// KeySchema: the partition key and, if any, the sort key.
    key: KeySchema,
    /// BillingMode (PROVISIONED unless named) with its ProvisionedThroughput.
    billing: Billing,
    /// GlobalSecondaryIndexes, then LocalSecondaryIndexes.
    indexes: Vec<Index>,
    /// StreamSpecification: the view type of the stream to open, if one is enabled.
    stream: Option<ViewType>,
    /// Tags (a key given twice keeps its last value).
    tags: BTreeMap<String, String>,
}

impl CreateTable {
    /// All of the request: DynamoDB judges its whole shape before it looks at the account.
    fn parse(request: &Value) -> Result<CreateTable, AwsError> {
        let r = object_with(
            request,
            &[
                "AttributeDefinitions",
                "TableName",
                "KeySchema",
                "LocalSecondaryIndexes",
                "GlobalSecondaryIndexes",
                "BillingMode",
                "ProvisionedThroughput",
                "StreamSpecification",
                "SSESpecification",
                "Tags",
                "TableClass",
                "DeletionProtectionEnabled",
                "ResourcePolicy",
                "OnDemandThroughput",
                "WarmThroughput",
            ],
        )?;
        let name = required(r, "TableName")?;
        check_table_name(name)?;
        for member in ["ResourcePolicy", "WarmThroughput"] {
            if r.get(member).is_some_and(|v| !v.is_null()) {
                return Err(unsupported(member));
            }
        }
        let definitions =
            attribute_definitions(r.get("AttributeDefinitions").ok_or_else(|| missing("AttributeDefinitions"))?)?;
        let key = key_schema(r.get("KeySchema").ok_or_else(|| missing("KeySchema"))?, &definitions, None)?;
        let mode = BillingMode::parse(r)?.unwrap_or(BillingMode::Provisioned);
        let billing = billing(mode, map(r, "ProvisionedThroughput")?)?;
        let indexes = secondary_indexes(r, &definitions, &key, &billing)?;
        check_definitions_used(&definitions, &key, &indexes)?;
        let stream = stream_spec(r)?.flatten();
        let tags = r.get("Tags").filter(|v| !v.is_null()).map(read_tags).transpose()?.unwrap_or_default();
        Ok(CreateTable {
            name: name.to_string(),
            definitions,
            key,
            billing,
            indexes,
            stream,
            tags: tags.into_iter().collect(),
        })
    }

    /// No table, in any state, may have the same name. The new table is created at `now_ms`.
    fn check(self, db: &DynamoDb, now_ms: Millis) -> Result<Checked<CreateTable>, AwsError> {
        if db.tables.contains_key(&self.name) {
            return Err(AwsError::client("ResourceInUseException", format!("Table already exists: {}", self.name)));
        }
        Ok(Checked { input: self, created_ms: now_ms })
    }
}

impl Checked<CreateTable> {
    fn commit(self, db: &mut DynamoDb, ctx: &mut Ctx) -> Value {
        let CreateTable { name, definitions, key, billing, indexes, stream, tags } = self.input;
        let arn = format!("arn:aws:dynamodb:{}:{}:table/{name}", ctx.account.region, ctx.account.id);
        let created_ms = self.created_ms;
        let mut table = Table::new(name.clone(), arn, ctx.ids.uuid(), created_ms, key.clone(), definitions, billing);
        table.tags = tags;
        table.indexes = indexes;
        if let Some(view_type) = stream {
            let stream_arn = db.open_stream(&name, view_type, key, ctx);
            table.stream = Some(stream_arn.clone());
            table.latest_stream = Some(stream_arn);
        }
        let description = describe(db, &table);
        ctx.schedule(ctx.now_ms + TRANSITION_MS, Job::TableActive { table: name.clone(), created_ms });
        db.tables.insert(name, table);
        json!({ "TableDescription": description })
    }
}

pub(super) fn create_table(db: &mut DynamoDb, ctx: &mut Ctx, request: &Value) -> Result<Value, AwsError> {
    let plan = CreateTable::parse(request)?.check(db, ctx.now_ms)?;
    Ok(plan.commit(db, ctx))
}

pub(super) fn attribute_definitions(value: &Value) -> Result<Vec<KeyAttribute>, AwsError> {
    let list = crate::wire::array(value, "AttributeDefinitions")?;
    let mut definitions = Vec::new();
    for (i, entry) in list.iter().enumerate() {
        let e = object_with(entry, &["AttributeName", "AttributeType"])?;
        let name =
            string(e, "AttributeName")?.ok_or_else(|| missing(&format!("AttributeDefinitions[{i}].AttributeName")))?;
        let kind_text =
            string(e, "AttributeType")?.ok_or_else(|| missing(&format!("AttributeDefinitions[{i}].AttributeType")))?;
        let kind = ScalarType::parse(kind_text).ok_or_else(|| {
            constraint(
                kind_text,
                &format!("attributeDefinitions.{}.member.attributeType", i + 1),
                "Member must satisfy enum value set: [B, N, S]",
            )
        })?;
        if definitions.iter().any(|d: &KeyAttribute| d.name == name) {
            return Err(invalid(format!(
                "Cannot have two attributes with the same name. Duplicate AttributeName: {name}"
            )));
        }
        definitions.push(KeyAttribute { name: name.to_string(), kind });
    }
    Ok(definitions)
}

/// Reads a KeySchema: the table's (`index` None) or an index's.
pub(super) fn key_schema(
    value: &Value,
    definitions: &[KeyAttribute],
    index: Option<&str>,
) -> Result<KeySchema, AwsError> {
    let list = crate::wire::array(value, "KeySchema")?;
    let mut hash = None;
    let mut range = None;
    for (i, entry) in list.iter().enumerate() {
        let e = object_with(entry, &["AttributeName", "KeyType"])?;
        let name = string(e, "AttributeName")?.ok_or_else(|| missing(&format!("KeySchema[{i}].AttributeName")))?;
        let key_type = string(e, "KeyType")?.ok_or_else(|| missing(&format!("KeySchema[{i}].KeyType")))?;
        match key_type {
            "HASH" if hash.is_none() => hash = Some(name),
            "RANGE" if range.is_none() => range = Some(name),
            "HASH" | "RANGE" => return Err(invalid("Invalid KeySchema: Too many hash or range keys")),
            other => {
                return Err(constraint(
                    other,
                    &format!("keySchema.{}.member.keyType", i + 1),
                    "Member must satisfy enum value set: [HASH, RANGE]",
                ))
            }
        }
    }
    if list.len() > 2 {
        return Err(constraint("KeySchema", "keySchema", "Member must have length less than or equal to 2"));
    }
    let Some(hash) = hash else {
        return Err(invalid("Invalid KeySchema: The first KeySchemaElement is not a HASH key type"));
    };
    if list.first().and_then(|e| e.get("KeyType")).and_then(Value::as_str) != Some("HASH") {
        return Err(invalid("Invalid KeySchema: The first KeySchemaElement is not a HASH key type"));
    }
    if Some(hash) == range {
        return Err(invalid("Both the Hash Key and the Range Key element in the KeySchema have the same name"));
    }
    let keys: Vec<&str> = [Some(hash), range].into_iter().flatten().collect();
    if keys.iter().any(|k| !definitions.iter().any(|d| d.name == *k)) {
        return Err(match index {
            None => invalid("Invalid KeySchema: Some index key attribute have no definition"),
            Some(_) => {
                let defined: Vec<&str> = definitions.iter().map(|d| d.name.as_str()).collect();
                invalid(format!(
                    "One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [{}], AttributeDefinitions: [{}]",
                    keys.join(", "),
                    defined.join(", ")
                ))
            }
        });
    }
    let attribute = |name: &str| KeyAttribute {
        name: name.to_string(),
        kind: definitions.iter().find(|d| d.name == name).unwrap().kind,
    };
    Ok(KeySchema { hash: attribute(hash), range: range.map(attribute) })
}

/// BillingMode.
#[derive(Clone, Copy, PartialEq, Eq)]
enum BillingMode {
    Provisioned,
    PayPerRequest,
}

impl BillingMode {
    /// The request's BillingMode, if it names one.
    fn parse(r: Request) -> Result<Option<BillingMode>, AwsError> {
        let mode = enum_member(r, "BillingMode", "billingMode", &["PROVISIONED", "PAY_PER_REQUEST"])?;
        Ok(mode.map(|m| if m == "PAY_PER_REQUEST" { BillingMode::PayPerRequest } else { BillingMode::Provisioned }))
    }

    /// The mode a table is billed in now.
    fn of(billing: &Billing) -> BillingMode {
        match billing {
            Billing::PayPerRequest => BillingMode::PayPerRequest,
            Billing::Provisioned { .. } => BillingMode::Provisioned,
        }
    }
}

/// The billing of `mode` with the ProvisionedThroughput `throughput`, read and checked.
fn billing(mode: BillingMode, throughput: Option<&Map<String, Value>>) -> Result<Billing, AwsError> {
    match (mode, throughput) {
        (BillingMode::PayPerRequest, None) => Ok(Billing::PayPerRequest),
        (BillingMode::PayPerRequest, Some(_)) => Err(invalid(
            "One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST",
        )),
        (BillingMode::Provisioned, None) => Err(invalid("One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED")),
        (BillingMode::Provisioned, Some(t)) => {
            let t = object_with(&Value::Object(t.clone()), &["ReadCapacityUnits", "WriteCapacityUnits"])?.clone();
            let read = integer(&t, "ReadCapacityUnits")?.ok_or_else(|| missing("ProvisionedThroughput.ReadCapacityUnits"))?;
            let write = integer(&t, "WriteCapacityUnits")?.ok_or_else(|| missing("ProvisionedThroughput.WriteCapacityUnits"))?;
            for (value, field) in [(read, "provisionedThroughput.readCapacityUnits"), (write, "provisionedThroughput.writeCapacityUnits")] {
                if value < 1 {
                    return Err(constraint(&value.to_string(), field, "Member must have value greater than or equal to 1"));
                }
            }
            Ok(Billing::Provisioned { read: read as u64, write: write as u64 })
        }
    }
}

/// Every AttributeDefinition must be a key of the table or of an index.
pub(super) fn check_definitions_used(
    definitions: &[KeyAttribute],
    key: &KeySchema,
    indexes: &[Index],
) -> Result<(), AwsError> {
    let mut used: Vec<&str> = key.names();
    for index in indexes {
        for n in index.key.names() {
            if !used.contains(&n) {
                used.push(n);
            }
        }
    }
    if definitions.len() == used.len() {
        return Ok(());
    }
    let mut defined: Vec<&str> = definitions.iter().map(|d| d.name.as_str()).collect();
    defined.sort_unstable();
    used.sort_unstable();
    Err(invalid(format!(
        "One or more parameter values were invalid: Some AttributeDefinitions are not used. AttributeDefinitions: [{}], keys used: [{}]",
        defined.join(", "),
        used.join(", ")
    )))
}

/// Reads GlobalSecondaryIndexes and LocalSecondaryIndexes of a CreateTable request.
pub(super) fn secondary_indexes(
    r: Request,
    definitions: &[KeyAttribute],
    key: &KeySchema,
    billing: &Billing,
) -> Result<Vec<Index>, AwsError> {
    let mut indexes: Vec<Index> = Vec::new();
    for (member, global) in [("GlobalSecondaryIndexes", true), ("LocalSecondaryIndexes", false)] {
        let Some(value) = r.get(member).filter(|v| !v.is_null()) else { continue };
        let Value::Array(list) = value else {
            return Err(invalid_type(member, value, "array"));
        };
        if list.is_empty() {
            return Err(invalid(format!("One or more parameter values were invalid: List of {member} is empty")));
        }
        let limit = if global { 20 } else { 5 };
        if list.len() > limit {
            return Err(invalid(if global {
                format!("One or more parameter values were invalid: GlobalSecondaryIndex count exceeds the per-table limit of {limit}")
            } else {
                format!("One or more parameter values were invalid: Number of LocalSecondaryIndexes exceeds per-table limit of {limit}")
            }));
        }
        if !global && key.range.is_none() {
            return Err(invalid("One or more parameter values were invalid: Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex"));
        }
        for entry in list {
            indexes.push(index_definition(entry, global, definitions, key, billing)?);
        }
    }
    let mut names: Vec<&str> = Vec::new();
    for index in &indexes {
        if names.contains(&index.name.as_str()) {
            return Err(invalid(format!(
                "One or more parameter values were invalid: Duplicate index name: {}",
                index.name
            )));
        }
        names.push(&index.name);
    }
    Ok(indexes)
}

pub(super) fn index_definition(
    entry: &Value,
    global: bool,
    definitions: &[KeyAttribute],
    key: &KeySchema,
    billing: &Billing,
) -> Result<Index, AwsError> {
    let members: &[&str] = if global {
        &["IndexName", "KeySchema", "Projection", "ProvisionedThroughput", "OnDemandThroughput", "WarmThroughput"]
    } else {
        &["IndexName", "KeySchema", "Projection"]
    };
    let e = object_with(entry, members)?;
    let name = required(e, "IndexName")?;
    if name.len() < 3 {
        return Err(constraint(name, "indexName", "Member must have length greater than or equal to 3"));
    }
    if name.len() > 255 {
        return Err(constraint(name, "indexName", "Member must have length less than or equal to 255"));
    }
    if !name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')) {
        return Err(constraint(name, "indexName", "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"));
    }
    let index_key = key_schema(e.get("KeySchema").ok_or_else(|| missing("KeySchema"))?, definitions, Some(name))?;
    if !global {
        if index_key.hash.name != key.hash.name {
            return Err(invalid(format!(
                "One or more parameter values were invalid: Index KeySchema does not have the same leading hash key as table KeySchema for index: {name}. index hash key: {}, table hash key: {}",
                index_key.hash.name, key.hash.name
            )));
        }
        if index_key.range.is_none() {
            return Err(invalid(format!("One or more parameter values were invalid: Index KeySchema does not have a range key for index: {name}")));
        }
    }
    let projection = match map(e, "Projection")? {
        None => return Err(missing("Projection")),
        Some(p) => {
            let p = object_with(&Value::Object(p.clone()), &["ProjectionType", "NonKeyAttributes"])?.clone();
            let attrs: Option<Vec<String>> = match p.get("NonKeyAttributes") {
                Some(Value::Array(a)) => Some(a.iter().filter_map(Value::as_str).map(str::to_string).collect()),
                _ => None,
            };
            match (string(&p, "ProjectionType")?, attrs) {
                (Some("ALL"), None) => Projection::All,
                (Some("KEYS_ONLY"), None) => Projection::KeysOnly,
                (Some("INCLUDE"), Some(attrs)) => Projection::Include(attrs),
                (Some(t @ ("ALL" | "KEYS_ONLY")), Some(_)) => {
                    return Err(invalid(format!("One or more parameter values were invalid: ProjectionType is {t}, but NonKeyAttributes is specified")))
                }
                (Some("INCLUDE"), None) => return Err(invalid("One or more parameter values were invalid: ProjectionType is INCLUDE, but NonKeyAttributes is not specified")),
                (None, _) => return Err(invalid("One or more parameter values were invalid: Unknown ProjectionType: null")),
                (Some(other), _) => return Err(constraint(other, "projection.projectionType", "Member must satisfy enum value set: [ALL, INCLUDE, KEYS_ONLY]")),
            }
        }
    };
    let throughput = match (global, billing, map(e, "ProvisionedThroughput")?) {
        (false, _, _) => None,
        (true, Billing::PayPerRequest, None) => None,
        (true, Billing::PayPerRequest, Some(_)) => {
            return Err(invalid(format!("One or more parameter values were invalid: ProvisionedThroughput should not be specified for index: {name} when BillingMode is PAY_PER_REQUEST")))
        }
        (true, Billing::Provisioned { .. }, None) => {
            return Err(invalid(format!("One or more parameter values were invalid: ProvisionedThroughput is not specified for index: {name}")))
        }
        (true, Billing::Provisioned { .. }, Some(t)) => {
            let t = object_with(&Value::Object(t.clone()), &["ReadCapacityUnits", "WriteCapacityUnits"])?.clone();
            let read = integer(&t, "ReadCapacityUnits")?.ok_or_else(|| missing("ProvisionedThroughput.ReadCapacityUnits"))?;
            let write = integer(&t, "WriteCapacityUnits")?.ok_or_else(|| missing("ProvisionedThroughput.WriteCapacityUnits"))?;
            if read < 1 || write < 1 {
                return Err(invalid(format!("Given value {} for {} is out of bounds for index {name}", read.min(write), if read < 1 { "ReadCapacityUnits" } else { "WriteCapacityUnits" })));
            }
            Some((read as u64, write as u64))
        }
    };
    Ok(Index { name: name.to_string(), global, key: index_key, projection, status: IndexStatus::Active, throughput })
}

/// One change to a table's global secondary indexes.
pub(super) enum IndexChange {
    /// The new index (CREATING) and the table's AttributeDefinitions with its keys added.
    Create(Index, Vec<KeyAttribute>),
    Delete(String),
    Throughput(String, u64, u64),
}

/// Reads and checks UpdateTable's GlobalSecondaryIndexUpdates against `table`: one Create, Delete
/// or Update. `definitions` is the request's AttributeDefinitions, for a Create's keys.
fn plan_index_update(table: &Table, list: &[Value], definitions: Option<&Value>) -> Result<IndexChange, AwsError> {
    if list.len() != 1 {
        return Err(AwsError::client(
            "LimitExceededException",
            "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table",
        ));
    }
    if table.indexes.iter().any(|i| i.status != IndexStatus::Active) {
        return Err(AwsError::client(
            "LimitExceededException",
            "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table",
        ));
    }
    let update = object_with(&list[0], &["Create", "Delete", "Update"])?;
    let present: Vec<(&String, &Value)> = update.iter().filter(|(_, v)| !v.is_null()).collect();
    let [(action, body)] = present.as_slice() else {
        return Err(invalid("One or more parameter values were invalid: One of GlobalSecondaryIndexUpdate.Create, Update, or Delete must be specified"));
    };
    let find = |name: &str| table.indexes.iter().find(|i| i.global && i.name == name);
    match action.as_str() {
        "Create" => {
            // The new index's keys come from the request's AttributeDefinitions, merged with the table's.
            let extra = definitions;
            let mut definitions = table.attribute_definitions.clone();
            if let Some(extra) = extra {
                for d in attribute_definitions(extra)? {
                    match definitions.iter().find(|e| e.name == d.name) {
                        Some(e) if e.kind != d.kind => {
                            return Err(invalid(format!(
                                "One or more parameter values were invalid: Cannot change the type of attribute {} used by the table or an index",
                                d.name
                            )))
                        }
                        Some(_) => {}
                        None => definitions.push(d),
                    }
                }
            }
            let index = index_definition(body, true, &definitions, &table.key, &table.billing)?;
            if table.indexes.iter().any(|i| i.name == index.name) {
                return Err(invalid(format!(
                    "One or more parameter values were invalid: Duplicate index name: {}",
                    index.name
                )));
            }
            if table.indexes.iter().filter(|i| i.global).count() >= 20 {
                return Err(invalid("One or more parameter values were invalid: GlobalSecondaryIndex count exceeds the per-table limit of 20"));
            }
            let mut with_new = table.indexes.clone();
            with_new.push(index.clone());
            check_definitions_used(&definitions, &table.key, &with_new)?;
            Ok(IndexChange::Create(Index { status: IndexStatus::Creating, ..index }, definitions))
        }
        "Delete" => {
            let b = object_with(body, &["IndexName"])?;
            let name = required(b, "IndexName")?;
            find(name).ok_or_else(|| {
                AwsError::client("ResourceNotFoundException", format!("Requested resource not found: Index: {name}"))
            })?;
            Ok(IndexChange::Delete(name.to_string()))
        }
        _ => {
            let b = object_with(body, &["IndexName", "ProvisionedThroughput", "OnDemandThroughput", "WarmThroughput"])?;
            let name = required(b, "IndexName")?;
            find(name).ok_or_else(|| {
                AwsError::client("ResourceNotFoundException", format!("Requested resource not found: Index: {name}"))
            })?;
            let t = map(b, "ProvisionedThroughput")?.ok_or_else(|| missing("ProvisionedThroughput"))?;
            if table.billing == Billing::PayPerRequest {
                return Err(invalid(format!("One or more parameter values were invalid: ProvisionedThroughput should not be specified for index: {name} when BillingMode is PAY_PER_REQUEST")));
            }
            let t = object_with(&Value::Object(t.clone()), &["ReadCapacityUnits", "WriteCapacityUnits"])?.clone();
            let read =
                integer(&t, "ReadCapacityUnits")?.ok_or_else(|| missing("ProvisionedThroughput.ReadCapacityUnits"))?;
            let write = integer(&t, "WriteCapacityUnits")?
                .ok_or_else(|| missing("ProvisionedThroughput.WriteCapacityUnits"))?;
            if read < 1 || write < 1 {
                return Err(invalid(format!(
                    "Given value {} for ReadCapacityUnits is out of bounds for index {name}",
                    read.min(write)
                )));
            }
            Ok(IndexChange::Throughput(name.to_string(), read as u64, write as u64))
        }
    }
}

/// A StreamSpecification: `None` when absent, `Some(None)` to disable, `Some(Some(view))` to enable.
pub(super) fn stream_spec(r: Request) -> Result<Option<Option<ViewType>>, AwsError> {
    let Some(spec) = map(r, "StreamSpecification")? else { return Ok(None) };
    let spec = object_with(&Value::Object(spec.clone()), &["StreamEnabled", "StreamViewType"])?.clone();
    let enabled = boolean(&spec, "StreamEnabled")?.ok_or_else(|| missing("StreamSpecification.StreamEnabled"))?;
    let view = enum_member(
        &spec,
        "StreamViewType",
        "streamSpecification.streamViewType",
        &["NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY"],
    )?;
    match (enabled, view) {
        (true, Some(view)) => Ok(Some(Some(ViewType::parse(view).expect("checked against the enum")))),
        (true, None) => Err(invalid(
            "One or more parameter values were invalid: Table is being created with a stream enabled, UpdateViewType is required",
        )),
        (false, Some(_)) => Err(invalid(
            "One or more parameter values were invalid: Table is being created with a stream disabled, UpdateViewType should not be specified",
        )),
        (false, None) => Ok(Some(None)),
    }
}

/// UpdateTable's input.
struct UpdateTable {
    /// TableName: the table to change.
    name: String,
    /// StreamSpecification: `None` to leave the stream be, `Some(None)` to disable it,
    /// `Some(Some(view))` to enable one.
    stream: Option<Option<ViewType>>,
    /// BillingMode, when the request names one.
    mode: Option<BillingMode>,
    /// ProvisionedThroughput as sent (an object): its members are read in `check`, where the
    /// billing mode they go with is known (the table's, when the request names none).
    throughput: Option<Map<String, Value>>,
    /// GlobalSecondaryIndexUpdates as sent (an array): read in `check`, against the table's
    /// indexes, definitions and billing.
    index_updates: Option<Vec<Value>>,
    /// AttributeDefinitions as sent: the keys of an index being created, read with it.
    definitions: Option<Value>,
}

/// A change to a table: the request, checked against the table.
struct TableUpdate {
    /// The table's name.
    name: String,
    /// The table's creation instant, which tells it apart from a later table of the same name.
    created_ms: Millis,
    /// The table's key schema, which a new stream records.
    key: KeySchema,
    /// The change to the global secondary indexes, if any.
    index_change: Option<IndexChange>,
    /// The stream to open (`Some(Some(view))`) or close (`Some(None)`), if any.
    stream: Option<Option<ViewType>>,
    /// The new billing, if the request changes it.
    billing: Option<Billing>,
    /// Whether this is a switch from provisioned to on-demand, which is limited per day.
    switched_to_on_demand: bool,
}

impl UpdateTable {
    /// What DynamoDB judges before it looks at the table.
    fn parse(request: &Value) -> Result<UpdateTable, AwsError> {
        let r = object_with(
            request,
            &[
                "AttributeDefinitions",
                "TableName",
                "BillingMode",
                "ProvisionedThroughput",
                "GlobalSecondaryIndexUpdates",
                "StreamSpecification",
                "SSESpecification",
                "ReplicaUpdates",
                "TableClass",
                "DeletionProtectionEnabled",
                "OnDemandThroughput",
                "WarmThroughput",
                "MultiRegionConsistency",
                "GlobalTableWitnessUpdates",
            ],
        )?;
        let name = required(r, "TableName")?;
        for member in ["ReplicaUpdates", "WarmThroughput", "GlobalTableWitnessUpdates"] {
            if r.get(member).is_some_and(|v| !v.is_null()) {
                return Err(unsupported(member));
            }
        }
        let stream = stream_spec(r)?;
        let mode = BillingMode::parse(r)?;
        let throughput = map(r, "ProvisionedThroughput")?.cloned();
        let index_updates = match r.get("GlobalSecondaryIndexUpdates").filter(|v| !v.is_null()) {
            Some(Value::Array(list)) => Some(list.clone()),
            Some(other) => return Err(invalid_type("GlobalSecondaryIndexUpdates", other, "array")),
            None => None,
        };
        if stream.is_none() && mode.is_none() && throughput.is_none() && index_updates.is_none() {
            return Err(invalid("At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates, SSESpecification, ReplicaUpdates, MultiAccountReplicaReady, ReplicaTransitRoleArn, MultiRegionConsistency, DeletionProtectionEnabled, OnDemandThroughput, WarmThroughput or TableClass is required"));
        }
        let definitions = r.get("AttributeDefinitions").filter(|v| !v.is_null()).cloned();
        Ok(UpdateTable { name: name.to_string(), stream, mode, throughput, index_updates, definitions })
    }

    /// The table must be ACTIVE, and each change must make sense for it: billing, then stream,
    /// then indexes.
    fn check(self, db: &DynamoDb, now_ms: Millis) -> Result<TableUpdate, AwsError> {
        let name = &self.name;
        let table = table_for_describe(db, name)?;
        check_not_in_transition(table)?;
        let current = BillingMode::of(&table.billing);
        if self.mode == Some(BillingMode::Provisioned)
            && current == BillingMode::PayPerRequest
            && self.throughput.is_none()
        {
            return Err(invalid(
                "One or more parameter values were invalid: ProvisionedThroughput must be specified when BillingMode is PROVISIONED",
            ));
        }
        let billing = if self.mode.is_some() || self.throughput.is_some() {
            Some(billing(self.mode.unwrap_or(current), self.throughput.as_ref())?)
        } else {
            None
        };
        let mut switched_to_on_demand = false;
        if let Some(new) = &billing {
            match (&table.billing, new) {
                (Billing::Provisioned { .. }, Billing::PayPerRequest) => {
                    let day_ago = now_ms.saturating_sub(24 * 3600 * 1000);
                    let recent = table.on_demand_switches.iter().filter(|&&t| t > day_ago).count();
                    if recent >= 4 {
                        return Err(AwsError::client(
                            "LimitExceededException",
                            format!("Subscriber limit exceeded: Update to PayPerRequest mode are limited to 4 times within a rolling 24-hour window. Table: {name}"),
                        ));
                    }
                    switched_to_on_demand = true;
                }
                (Billing::Provisioned { read, write }, Billing::Provisioned { read: r2, write: w2 })
                    if read == r2 && write == w2 =>
                {
                    return Err(invalid(format!(
                        "The provisioned throughput for the table will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for the table: {read}. Requested ReadCapacityUnits: {r2}. Current WriteCapacityUnits provisioned for the table: {write}. Requested WriteCapacityUnits: {w2}. Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits."
                    )));
                }
                _ => {}
            }
        }
        match self.stream {
            Some(Some(_)) if table.stream.is_some() => {
                return Err(invalid(format!("Table already has an enabled stream: TableName: {name}")));
            }
            Some(None) if table.stream.is_none() => {
                return Err(invalid(format!("Table does not have an enabled stream to disable: TableName: {name}")));
            }
            _ => {}
        }
        let index_change = match &self.index_updates {
            Some(list) => Some(plan_index_update(table, list, self.definitions.as_ref())?),
            None => None,
        };
        Ok(TableUpdate {
            created_ms: table.created_ms,
            key: table.key.clone(),
            index_change,
            stream: self.stream,
            billing,
            switched_to_on_demand,
            name: self.name,
        })
    }
}

impl TableUpdate {
    fn commit(self, db: &mut DynamoDb, ctx: &mut Ctx) -> Value {
        let TableUpdate { name, created_ms, key, index_change, stream, billing, switched_to_on_demand } = self;
        if let Some(change) = index_change {
            let table = db.tables.get_mut(&name).expect("checked");
            match change {
                IndexChange::Create(index, definitions) => {
                    ctx.schedule(
                        ctx.now_ms + TRANSITION_MS,
                        Job::IndexActive { table: name.clone(), created_ms, index: index.name.clone() },
                    );
                    table.attribute_definitions = definitions;
                    table.indexes.push(index);
                }
                IndexChange::Delete(index) => {
                    ctx.schedule(
                        ctx.now_ms + TRANSITION_MS,
                        Job::IndexGone { table: name.clone(), created_ms, index: index.clone() },
                    );
                    if let Some(i) = table.indexes.iter_mut().find(|i| i.name == index) {
                        i.status = IndexStatus::Deleting;
                    }
                }
                IndexChange::Throughput(index, read, write) => {
                    if let Some(i) = table.indexes.iter_mut().find(|i| i.name == index) {
                        i.throughput = Some((read, write));
                    }
                }
            }
        }
        let enabled = db.tables[&name].stream.clone();
        match stream {
            Some(Some(view_type)) => {
                let arn = db.open_stream(&name, view_type, key, ctx);
                let table = db.tables.get_mut(&name).expect("checked");
                table.stream = Some(arn.clone());
                table.latest_stream = Some(arn);
            }
            Some(None) => {
                if let Some(stream) = enabled.as_ref().and_then(|arn| db.streams.get_mut(arn)) {
                    stream.disabled_ms = Some(ctx.now_ms);
                }
                db.tables.get_mut(&name).expect("checked").stream = None;
            }
            None => {}
        }
        let table = db.tables.get_mut(&name).expect("checked");
        if let Some(billing) = billing {
            // A table that becomes provisioned has saved no capacity yet; one that stays
            // provisioned keeps what it saved (capped at the new burst size when it is read).
            if table.billing == Billing::PayPerRequest {
                table.capacity = crate::dynamodb::table::Capacity::fresh(&billing, ctx.now_ms);
            }
            table.billing = billing;
        }
        if switched_to_on_demand {
            table.on_demand_switches.push(ctx.now_ms);
        }
        json!({ "TableDescription": describe(db, &db.tables[&name]) })
    }
}

pub(super) fn update_table(db: &mut DynamoDb, ctx: &mut Ctx, request: &Value) -> Result<Value, AwsError> {
    let plan = UpdateTable::parse(request)?.check(db, ctx.now_ms)?;
    Ok(plan.commit(db, ctx))
}

pub(super) fn describe(db: &DynamoDb, table: &Table) -> Value {
    let key_schema: Vec<Value> = [Some((&table.key.hash, "HASH")), table.key.range.as_ref().map(|r| (r, "RANGE"))]
        .into_iter()
        .flatten()
        .map(|(k, t)| json!({"AttributeName": k.name, "KeyType": t}))
        .collect();
    let (read, write) = match table.billing {
        Billing::PayPerRequest => (0, 0),
        Billing::Provisioned { read, write } => (read, write),
    };
    let mut description = json!({
        "AttributeDefinitions": table.attribute_definitions.iter()
            .map(|d| json!({"AttributeName": d.name, "AttributeType": d.kind.name()})).collect::<Vec<_>>(),
        "TableName": table.name,
        "KeySchema": key_schema,
        "TableStatus": table.status.name(),
        "CreationDateTime": table.created_ms as f64 / 1000.0,
        "ProvisionedThroughput": {"NumberOfDecreasesToday": 0, "ReadCapacityUnits": read, "WriteCapacityUnits": write},
        "TableSizeBytes": table.size_bytes(),
        "ItemCount": table.item_count(),
        "TableArn": table.arn,
        "TableId": table.id,
        "DeletionProtectionEnabled": false,
    });
    if table.billing == Billing::PayPerRequest {
        description["BillingModeSummary"] = json!({"BillingMode": "PAY_PER_REQUEST"});
        if let Some(at) = table.on_demand_switches.last() {
            description["BillingModeSummary"]["LastUpdateToPayPerRequestDateTime"] = json!(*at as f64 / 1000.0);
        }
    } else if !table.on_demand_switches.is_empty() {
        description["BillingModeSummary"] = json!({"BillingMode": "PROVISIONED"});
    }
    let (globals, locals): (Vec<&Index>, Vec<&Index>) = table.indexes.iter().partition(|i| i.global);
    if !globals.is_empty() {
        description["GlobalSecondaryIndexes"] = json!(globals.iter().map(|i| i.describe(table)).collect::<Vec<_>>());
    }
    if !locals.is_empty() {
        description["LocalSecondaryIndexes"] = json!(locals.iter().map(|i| i.describe(table)).collect::<Vec<_>>());
    }
    if let Some(stream) = table.stream.as_ref().and_then(|arn| db.streams.get(arn)) {
        description["StreamSpecification"] = json!({"StreamEnabled": true, "StreamViewType": stream.view_type.name()});
    }
    if let Some(arn) = &table.latest_stream {
        description["LatestStreamArn"] = json!(arn);
        if let Some(label) = arn.rsplit('/').next() {
            description["LatestStreamLabel"] = json!(label);
        }
    }
    description
}

pub(super) fn table_for_describe<'a>(db: &'a DynamoDb, name: &str) -> Result<&'a Table, AwsError> {
    db.tables.get(name).ok_or_else(|| {
        AwsError::client("ResourceNotFoundException", format!("Requested resource not found: Table: {name} not found"))
    })
}

/// DescribeTable's input.
type DescribeTable = TableName;

pub(super) fn describe_table(db: &DynamoDb, request: &Value) -> Result<Value, AwsError> {
    let table = DescribeTable::parse(request)?.table(db)?;
    Ok(json!({ "Table": describe(db, table) }))
}

/// DeleteTable's input.
type DeleteTable = TableName;

impl DeleteTable {
    /// The table must exist and be ACTIVE.
    fn check(self, db: &DynamoDb) -> Result<Checked<DeleteTable>, AwsError> {
        let table = self.table(db)?;
        check_not_in_transition(table)?;
        Ok(Checked { created_ms: table.created_ms, input: self })
    }
}

impl Checked<DeleteTable> {
    fn commit(self, db: &mut DynamoDb, ctx: &mut Ctx) -> Value {
        let name = self.input.name;
        let table = db.tables.get_mut(&name).expect("checked");
        table.status = TableStatus::Deleting;
        // Deleting a table disables its stream, which stays readable for 24 hours.
        if let Some(arn) = table.stream.take() {
            if let Some(stream) = db.streams.get_mut(&arn) {
                stream.disabled_ms = Some(ctx.now_ms);
            }
        }
        ctx.schedule(ctx.now_ms + TRANSITION_MS, Job::TableGone { table: name.clone(), created_ms: self.created_ms });
        json!({ "TableDescription": describe(db, &db.tables[&name]) })
    }
}

pub(super) fn delete_table(db: &mut DynamoDb, ctx: &mut Ctx, request: &Value) -> Result<Value, AwsError> {
    let plan = DeleteTable::parse(request)?.check(db)?;
    Ok(plan.commit(db, ctx))
}

/// ListTables's input.
struct ListTables {
    /// ExclusiveStartTableName: the page starts after this name.
    start: Option<String>,
    /// Limit: at most this many names (1 to 100, 100 unless said).
    limit: usize,
}

impl ListTables {
    fn parse(request: &Value) -> Result<ListTables, AwsError> {
        let r = object_with(request, &["ExclusiveStartTableName", "Limit"])?;
        let start = string(r, "ExclusiveStartTableName")?;
        let limit = integer(r, "Limit")?.unwrap_or(100);
        if !(1..=100).contains(&limit) {
            let rule = if limit < 1 {
                "Member must have value greater than or equal to 1"
            } else {
                "Member must have value less than or equal to 100"
            };
            return Err(constraint(&limit.to_string(), "limit", rule));
        }
        Ok(ListTables { start: start.map(str::to_string), limit: limit as usize })
    }

    fn answer(&self, db: &DynamoDb) -> Value {
        let start = self.start.as_deref();
        let names: Vec<&String> = db.tables.keys().filter(|n| start.is_none_or(|s| n.as_str() > s)).collect();
        let page: Vec<&String> = names.iter().take(self.limit).copied().collect();
        let mut response = json!({ "TableNames": page });
        if names.len() > page.len() {
            response["LastEvaluatedTableName"] = json!(page.last());
        }
        response
    }
}

pub(super) fn list_tables(db: &DynamoDb, request: &Value) -> Result<Value, AwsError> {
    Ok(ListTables::parse(request)?.answer(db))
}

/// UpdateTable and DeleteTable need an ACTIVE table: one still being created or deleted is in use.
pub(super) fn check_not_in_transition(table: &Table) -> Result<(), AwsError> {
    let doing = match table.status {
        TableStatus::Active => return Ok(()),
        TableStatus::Creating => "created",
        TableStatus::Deleting => "deleted",
    };
    Err(AwsError::client(
        "ResourceInUseException",
        format!("Attempt to change a resource which is still in use: Table is being {doing}: {}", table.name),
    ))
}
