//! DynamoDB's wire edge: each operation reads its request (the members the API reference names),
//! validates all of it, and only then changes the tables. Errors carry DynamoDB's codes and
//! messages.

use super::expr::ast::{Comparator, Condition, Operand, PathElement};
use super::expr::eval;
use super::expr::resolve::{DocPath, ExprKind, Placeholders, Step};
use super::index::{Index, IndexStatus, Projection};
use super::model::{item_from_wire, item_size, item_to_wire, AttributeValue, Item, ScalarType};
use super::streams::ViewType;
use super::table::{Billing, KeyAttribute, KeySchema, KeyValue, Table, TableStatus, TRANSITION_MS};
use super::{DynamoDb, Job};
use crate::effect;
use crate::error::AwsError;
use crate::wire::{json_type, object_with};
use crate::world::Ctx;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// The operations this simulator implements, in the API reference's order.
pub const ACTIONS: &[&str] = &[
    "CreateTable",
    "DeleteItem",
    "DeleteTable",
    "DescribeTable",
    "GetItem",
    "ListTables",
    "PutItem",
    "Query",
    "Scan",
    "UpdateItem",
];

/// Largest item, in bytes.
const MAX_ITEM_BYTES: usize = 400 * 1024;
/// A Query or Scan page stops after reading this many bytes (before any filter).
const PAGE_BYTES: usize = 1024 * 1024;

type Request<'a> = &'a Map<String, Value>;

fn invalid(message: impl Into<String>) -> AwsError {
    AwsError::client("ValidationException", message)
}

fn not_found() -> AwsError {
    AwsError::client("ResourceNotFoundException", "Requested resource not found")
}

fn missing(member: &str) -> AwsError {
    AwsError::param_validation(format!("Missing required parameter in input: \"{member}\""))
}

/// A request member this simulator does not implement yet: refused out loud, never ignored.
fn unsupported(member: &str) -> AwsError {
    AwsError::client(
        "SimulatorLimitation",
        format!("The simulator does not support {member} yet; see docs/differences.md."),
    )
}

fn string<'a>(request: Request<'a>, member: &str) -> Result<Option<&'a str>, AwsError> {
    match request.get(member) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(AwsError::param_validation(format!(
            "Invalid type for parameter {member}, value: {other}, type: {}, valid types: string",
            json_type(other)
        ))),
    }
}

fn required<'a>(request: Request<'a>, member: &str) -> Result<&'a str, AwsError> {
    string(request, member)?.ok_or_else(|| missing(member))
}

fn boolean(request: Request, member: &str) -> Result<Option<bool>, AwsError> {
    match request.get(member) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(other) => Err(AwsError::param_validation(format!(
            "Invalid type for parameter {member}, value: {other}, type: {}, valid types: boolean",
            json_type(other)
        ))),
    }
}

fn integer(request: Request, member: &str) -> Result<Option<i64>, AwsError> {
    match request.get(member) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v.as_i64().map(Some).ok_or_else(|| {
            AwsError::param_validation(format!(
                "Invalid type for parameter {member}, value: {v}, type: {}, valid types: integer",
                json_type(v)
            ))
        }),
    }
}

fn map<'a>(request: Request<'a>, member: &str) -> Result<Option<&'a Map<String, Value>>, AwsError> {
    match request.get(member) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(m)) => Ok(Some(m)),
        Some(other) => Err(AwsError::param_validation(format!(
            "Invalid type for parameter {member}, value: {other}, type: {}, valid types: object",
            json_type(other)
        ))),
    }
}

/// `Constraint` failures are reported the way DynamoDB's model validation words them.
fn constraint(value: &str, member: &str, rule: &str) -> AwsError {
    invalid(format!("1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: {rule}"))
}

fn enum_member<'a>(
    request: Request<'a>,
    member: &str,
    field: &str,
    allowed: &[&str],
) -> Result<Option<&'a str>, AwsError> {
    let Some(value) = string(request, member)? else { return Ok(None) };
    if allowed.contains(&value) {
        Ok(Some(value))
    } else {
        Err(constraint(value, field, &format!("Member must satisfy enum value set: [{}]", allowed.join(", "))))
    }
}

fn refuse_legacy(request: Request, members: &[&str]) -> Result<(), AwsError> {
    match members.iter().find(|m| request.get(**m).is_some_and(|v| !v.is_null())) {
        Some(member) => Err(unsupported(&format!("the legacy parameter {member} (use the expression parameters)"))),
        None => Ok(()),
    }
}

pub fn call(db: &mut DynamoDb, ctx: &mut Ctx, action: &str, request: &Value) -> Result<Value, AwsError> {
    match action {
        "CreateTable" => create_table(db, ctx, request),
        "DescribeTable" => describe_table(db, request),
        "UpdateTable" => update_table(db, ctx, request),
        "DeleteTable" => delete_table(db, ctx, request),
        "ListTables" => list_tables(db, request),
        "PutItem" => put_item(db, ctx, request),
        "GetItem" => get_item(db, ctx, request),
        "DeleteItem" => delete_item(db, ctx, request),
        "UpdateItem" => update_item(db, ctx, request),
        "BatchWriteItem" => batch_write_item(db, ctx, request),
        "BatchGetItem" => batch_get_item(db, ctx, request),
        "TransactWriteItems" => transact_write_items(db, ctx, request),
        "TransactGetItems" => transact_get_items(db, ctx, request),
        "UpdateTimeToLive" => update_time_to_live(db, ctx, request),
        "DescribeTimeToLive" => describe_time_to_live(db, request),
        "TagResource" => tag_resource(db, request),
        "UntagResource" => untag_resource(db, request),
        "ListTagsOfResource" => list_tags_of_resource(db, request),
        "DescribeLimits" => describe_limits(request),
        "EnableKinesisStreamingDestination" => enable_kinesis_streaming_destination(db, ctx, request),
        "DescribeKinesisStreamingDestination" => describe_kinesis_streaming_destination(db, request),
        "DisableKinesisStreamingDestination" => disable_kinesis_streaming_destination(db, ctx, request),
        "Query" => query(db, ctx, request),
        "Scan" => scan(db, ctx, request),
        _ => Err(AwsError::client("UnknownOperationException", "An unknown operation was requested.")),
    }
}

// ---------------------------------------------------------------------------------------------
// Tables

fn check_table_name(name: &str) -> Result<(), AwsError> {
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

fn create_table(db: &mut DynamoDb, ctx: &mut Ctx, request: &Value) -> Result<Value, AwsError> {
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
    let billing = billing(r, "PROVISIONED")?;
    let indexes = secondary_indexes(r, &definitions, &key, &billing)?;
    check_definitions_used(&definitions, &key, &indexes)?;
    let stream = stream_spec(r)?;
    let tags = r.get("Tags").filter(|v| !v.is_null()).map(read_tags).transpose()?.unwrap_or_default();
    if db.tables.contains_key(name) {
        return Err(AwsError::client("ResourceInUseException", format!("Table already exists: {name}")));
    }
    let arn = format!("arn:aws:dynamodb:{}:{}:table/{name}", ctx.account.region, ctx.account.id);
    let mut table = Table::new(name.to_string(), arn, ctx.ids.uuid(), ctx.now_ms, key.clone(), definitions, billing);
    table.tags = tags.into_iter().collect();
    table.indexes = indexes;
    if let Some(Some(view_type)) = stream {
        let stream_arn = db.open_stream(name, view_type, key, ctx);
        table.stream = Some(stream_arn.clone());
        table.latest_stream = Some(stream_arn);
    }
    let description = describe(db, &table);
    ctx.schedule.push((
        ctx.now_ms + TRANSITION_MS,
        effect::Job::DynamoDb(Job::TableActive { table: name.to_string(), created_ms: ctx.now_ms }),
    ));
    db.tables.insert(name.to_string(), table);
    Ok(json!({ "TableDescription": description }))
}

fn attribute_definitions(value: &Value) -> Result<Vec<KeyAttribute>, AwsError> {
    let Value::Array(list) = value else {
        return Err(AwsError::param_validation(format!(
            "Invalid type for parameter AttributeDefinitions, value: {value}, type: {}, valid types: array",
            json_type(value)
        )));
    };
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
fn key_schema(value: &Value, definitions: &[KeyAttribute], index: Option<&str>) -> Result<KeySchema, AwsError> {
    let Value::Array(list) = value else {
        return Err(AwsError::param_validation(format!(
            "Invalid type for parameter KeySchema, value: {value}, type: {}, valid types: array",
            json_type(value)
        )));
    };
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

fn billing(r: Request, default: &str) -> Result<Billing, AwsError> {
    let mode = enum_member(r, "BillingMode", "billingMode", &["PROVISIONED", "PAY_PER_REQUEST"])?.unwrap_or(default);
    let throughput = map(r, "ProvisionedThroughput")?;
    match (mode, throughput) {
        ("PAY_PER_REQUEST", None) => Ok(Billing::PayPerRequest),
        ("PAY_PER_REQUEST", Some(_)) => Err(invalid(
            "One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST",
        )),
        (_, None) => Err(invalid("One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED")),
        (_, Some(t)) => {
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
fn check_definitions_used(definitions: &[KeyAttribute], key: &KeySchema, indexes: &[Index]) -> Result<(), AwsError> {
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
fn secondary_indexes(
    r: Request,
    definitions: &[KeyAttribute],
    key: &KeySchema,
    billing: &Billing,
) -> Result<Vec<Index>, AwsError> {
    let mut indexes: Vec<Index> = Vec::new();
    for (member, global) in [("GlobalSecondaryIndexes", true), ("LocalSecondaryIndexes", false)] {
        let Some(value) = r.get(member).filter(|v| !v.is_null()) else { continue };
        let Value::Array(list) = value else {
            return Err(AwsError::param_validation(format!(
                "Invalid type for parameter {member}, value: {value}, type: {}, valid types: array",
                json_type(value)
            )));
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

fn index_definition(
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
enum IndexChange {
    /// The new index (CREATING) and the table's AttributeDefinitions with its keys added.
    Create(Index, Vec<KeyAttribute>),
    Delete(String),
    Throughput(String, u64, u64),
}

/// Validates UpdateTable's GlobalSecondaryIndexUpdates: one Create, Delete or Update.
fn plan_index_update(table: &Table, list: &[Value], r: Request) -> Result<IndexChange, AwsError> {
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
            let mut definitions = table.attribute_definitions.clone();
            if let Some(extra) = r.get("AttributeDefinitions").filter(|v| !v.is_null()) {
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
fn stream_spec(r: Request) -> Result<Option<Option<ViewType>>, AwsError> {
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

fn update_table(db: &mut DynamoDb, ctx: &mut Ctx, request: &Value) -> Result<Value, AwsError> {
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
    let mode = enum_member(r, "BillingMode", "billingMode", &["PROVISIONED", "PAY_PER_REQUEST"])?;
    let throughput = map(r, "ProvisionedThroughput")?;
    let index_updates = match r.get("GlobalSecondaryIndexUpdates").filter(|v| !v.is_null()) {
        Some(Value::Array(list)) => Some(list),
        Some(other) => {
            return Err(AwsError::param_validation(format!(
                "Invalid type for parameter GlobalSecondaryIndexUpdates, value: {other}, type: {}, valid types: array",
                json_type(other)
            )))
        }
        None => None,
    };
    if stream.is_none() && mode.is_none() && throughput.is_none() && index_updates.is_none() {
        return Err(invalid("At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates, SSESpecification, ReplicaUpdates, MultiAccountReplicaReady, ReplicaTransitRoleArn, MultiRegionConsistency, DeletionProtectionEnabled, OnDemandThroughput, WarmThroughput or TableClass is required"));
    }
    let table = table_for_describe(db, name)?;
    match table.status {
        TableStatus::Active => {}
        TableStatus::Creating => {
            return Err(AwsError::client(
                "ResourceInUseException",
                format!("Attempt to change a resource which is still in use: Table is being created: {name}"),
            ))
        }
        TableStatus::Deleting => {
            return Err(AwsError::client(
                "ResourceInUseException",
                format!("Attempt to change a resource which is still in use: Table is being deleted: {name}"),
            ))
        }
    }
    let current = if table.billing == Billing::PayPerRequest { "PAY_PER_REQUEST" } else { "PROVISIONED" };
    if mode == Some("PROVISIONED") && current == "PAY_PER_REQUEST" && throughput.is_none() {
        return Err(invalid(
            "One or more parameter values were invalid: ProvisionedThroughput must be specified when BillingMode is PROVISIONED",
        ));
    }
    let billing =
        if mode.is_some() || throughput.is_some() { Some(billing(r, mode.unwrap_or(current))?) } else { None };
    let mut switched_to_on_demand = false;
    if let Some(new) = &billing {
        match (&table.billing, new) {
            (Billing::Provisioned { .. }, Billing::PayPerRequest) => {
                let day_ago = ctx.now_ms.saturating_sub(24 * 3600 * 1000);
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
    match stream {
        Some(Some(_)) if table.stream.is_some() => {
            return Err(invalid(format!("Table already has an enabled stream: TableName: {name}")));
        }
        Some(None) if table.stream.is_none() => {
            return Err(invalid(format!("Table does not have an enabled stream to disable: TableName: {name}")));
        }
        _ => {}
    }
    let index_change = match index_updates {
        Some(list) => Some(plan_index_update(table, list, r)?),
        None => None,
    };
    // Everything is valid: apply.
    let key = table.key.clone();
    if let Some(change) = index_change {
        let created_ms = table.created_ms;
        let table = db.tables.get_mut(name).expect("checked above");
        match change {
            IndexChange::Create(index, definitions) => {
                ctx.schedule.push((
                    ctx.now_ms + TRANSITION_MS,
                    effect::Job::DynamoDb(Job::IndexActive {
                        table: name.to_string(),
                        created_ms,
                        index: index.name.clone(),
                    }),
                ));
                table.attribute_definitions = definitions;
                table.indexes.push(index);
            }
            IndexChange::Delete(index) => {
                ctx.schedule.push((
                    ctx.now_ms + TRANSITION_MS,
                    effect::Job::DynamoDb(Job::IndexGone { table: name.to_string(), created_ms, index: index.clone() }),
                ));
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
    let table = &db.tables[name];
    let enabled = table.stream.clone();
    match stream {
        Some(Some(view_type)) => {
            let arn = db.open_stream(name, view_type, key, ctx);
            let table = db.tables.get_mut(name).expect("checked above");
            table.stream = Some(arn.clone());
            table.latest_stream = Some(arn);
        }
        Some(None) => {
            if let Some(stream) = enabled.as_ref().and_then(|arn| db.streams.get_mut(arn)) {
                stream.disabled_ms = Some(ctx.now_ms);
            }
            db.tables.get_mut(name).expect("checked above").stream = None;
        }
        None => {}
    }
    let table = db.tables.get_mut(name).expect("checked above");
    if let Some(billing) = billing {
        // A table that becomes provisioned has saved no capacity yet; one that stays provisioned
        // keeps what it saved (capped at the new burst size when it is read).
        if table.billing == Billing::PayPerRequest {
            table.capacity = super::table::Capacity::fresh(&billing, ctx.now_ms);
        }
        table.billing = billing;
    }
    if switched_to_on_demand {
        table.on_demand_switches.push(ctx.now_ms);
    }
    let table = &db.tables[name];
    Ok(json!({ "TableDescription": describe(db, table) }))
}

fn describe(db: &DynamoDb, table: &Table) -> Value {
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

fn table_for_describe<'a>(db: &'a DynamoDb, name: &str) -> Result<&'a Table, AwsError> {
    db.tables.get(name).ok_or_else(|| {
        AwsError::client("ResourceNotFoundException", format!("Requested resource not found: Table: {name} not found"))
    })
}

fn describe_table(db: &DynamoDb, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(request, &["TableName"])?;
    let table = table_for_describe(db, required(r, "TableName")?)?;
    Ok(json!({ "Table": describe(db, table) }))
}

fn delete_table(db: &mut DynamoDb, ctx: &mut Ctx, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(request, &["TableName"])?;
    let name = required(r, "TableName")?;
    let table = table_for_describe(db, name)?;
    match table.status {
        TableStatus::Creating => {
            return Err(AwsError::client(
                "ResourceInUseException",
                format!("Attempt to change a resource which is still in use: Table is being created: {name}"),
            ))
        }
        TableStatus::Deleting => {
            return Err(AwsError::client(
                "ResourceInUseException",
                format!("Attempt to change a resource which is still in use: Table is being deleted: {name}"),
            ))
        }
        TableStatus::Active => {}
    }
    let created_ms = table.created_ms;
    let table = db.tables.get_mut(name).expect("checked above");
    table.status = TableStatus::Deleting;
    // Deleting a table disables its stream, which stays readable for 24 hours.
    if let Some(arn) = table.stream.take() {
        if let Some(stream) = db.streams.get_mut(&arn) {
            stream.disabled_ms = Some(ctx.now_ms);
        }
    }
    ctx.schedule.push((
        ctx.now_ms + TRANSITION_MS,
        effect::Job::DynamoDb(Job::TableGone { table: name.to_string(), created_ms }),
    ));
    Ok(json!({ "TableDescription": describe(db, &db.tables[name]) }))
}

fn list_tables(db: &DynamoDb, request: &Value) -> Result<Value, AwsError> {
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
    let names: Vec<&String> = db.tables.keys().filter(|n| start.is_none_or(|s| n.as_str() > s)).collect();
    let page: Vec<&String> = names.iter().take(limit as usize).copied().collect();
    let mut response = json!({ "TableNames": page });
    if names.len() > page.len() {
        response["LastEvaluatedTableName"] = json!(page.last());
    }
    Ok(response)
}

// ---------------------------------------------------------------------------------------------
// Items

/// The ACTIVE table named in the request.
fn active_table<'a>(db: &'a DynamoDb, name: &str) -> Result<&'a Table, AwsError> {
    match db.tables.get(name) {
        Some(t) if t.status == TableStatus::Active => Ok(t),
        _ => Err(not_found()),
    }
}

/// Which expression members an operation has, for the checks on its placeholders.
struct Expressions {
    /// Members that may use values (ConditionExpression...).
    with_values: &'static [&'static str],
    /// How DynamoDB says that none of them is present.
    none_present: &'static str,
}

const PUT_DELETE: Expressions =
    Expressions { with_values: &["ConditionExpression"], none_present: "ConditionExpression is null" };
const UPDATE: Expressions = Expressions {
    with_values: &["UpdateExpression", "ConditionExpression"],
    none_present: "UpdateExpression and ConditionExpression are null",
};
const QUERY: Expressions = Expressions {
    with_values: &["FilterExpression", "KeyConditionExpression"],
    none_present: "FilterExpression and KeyConditionExpression are null",
};
const SCAN: Expressions = Expressions { with_values: &["FilterExpression"], none_present: "FilterExpression is null" };
const GET: Expressions = Expressions { with_values: &[], none_present: "" };

/// ExpressionAttributeNames and ExpressionAttributeValues, read and checked as DynamoDB checks
/// them before parsing any expression.
fn placeholders(r: Request, expressions: &Expressions) -> Result<Placeholders, AwsError> {
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
                    return Err(AwsError::param_validation(format!(
                        "Invalid type for parameter ExpressionAttributeNames.{k}, value: {v}, type: {}, valid types: string",
                        json_type(v)
                    )));
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
fn check_key_value(
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
fn check_index_keys(table: &Table, item: &Item, updated: bool) -> Result<(), AwsError> {
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

fn check_item_key(table: &Table, item: &Item) -> Result<(), AwsError> {
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
fn read_key(table: &Table, r: Request, member: &str) -> Result<(Item, (KeyValue, KeyValue)), AwsError> {
    let key = map(r, member)?.ok_or_else(|| missing(member))?;
    let key = item_from_wire(key, member)?;
    check_key(table, &key, "The provided key element does not match the schema")?;
    let k = table.key_of(&key).expect("checked against the schema");
    Ok((key, k))
}

fn check_key(table: &Table, key: &Item, mismatch: &str) -> Result<(), AwsError> {
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

fn return_values<'a>(r: Request<'a>, allowed: &[&str]) -> Result<&'a str, AwsError> {
    let all = ["NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"];
    let value = enum_member(r, "ReturnValues", "returnValues", &all)?.unwrap_or("NONE");
    if allowed.contains(&value) {
        Ok(value)
    } else {
        Err(invalid("ReturnValues can only be ALL_OLD or NONE"))
    }
}

/// ReturnConsumedCapacity: NONE (default), TOTAL or INDEXES.
fn wants_capacity<'a>(r: Request<'a>) -> Result<Option<&'a str>, AwsError> {
    Ok(enum_member(r, "ReturnConsumedCapacity", "returnConsumedCapacity", &["INDEXES", "TOTAL", "NONE"])?
        .filter(|v| *v != "NONE"))
}

fn consumed(table: &Table, units: f64, mode: Option<&str>) -> Option<Value> {
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
fn write_capacity(table: &Table, old: Option<&Item>, new: Option<&Item>, mode: Option<&str>) -> (f64, Option<Value>) {
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
fn write_units(old: Option<&Item>, new: Option<&Item>) -> f64 {
    let size = old.map_or(0, item_size).max(new.map_or(0, item_size));
    size.div_ceil(1024).max(1) as f64
}

/// Read units: 1 per 4 KB (rounded up) strongly consistent, half that eventually consistent.
fn read_units(bytes: usize, consistent: bool) -> f64 {
    let units = bytes.div_ceil(4096).max(1) as f64;
    if consistent {
        units
    } else {
        units / 2.0
    }
}

fn throttled() -> AwsError {
    AwsError::client(
        "ProvisionedThroughputExceededException",
        "The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.",
    )
}

/// Refuses a request when a provisioned table has no read (or write) capacity left this second.
fn admit(table: &Table, now_ms: u64, write: bool) -> Result<(), AwsError> {
    if table.available(now_ms, write) > 0.0 {
        Ok(())
    } else {
        Err(throttled())
    }
}

/// Spends capacity on the table `name`.
fn charge(db: &mut DynamoDb, name: &str, now_ms: u64, units: f64, write: bool) {
    if let Some(table) = db.tables.get_mut(name) {
        table.consume(now_ms, units, write);
    }
}

/// Admits a single-item write and checks its ConditionExpression against the item it would
/// replace. A conditional write that fails still consumes write capacity, as on AWS.
fn guard_write(
    db: &mut DynamoDb,
    name: &str,
    key: &(KeyValue, KeyValue),
    condition: Option<&Condition>,
    ph: &mut Placeholders,
    on_failure: Option<&str>,
    now_ms: u64,
) -> Result<(), AwsError> {
    let table = &db.tables[name];
    admit(table, now_ms, true)?;
    let existing = table.get(key);
    let units = write_units(existing, None);
    if let Err(e) = check_condition(condition, existing, ph, on_failure) {
        charge(db, name, now_ms, units, true);
        return Err(e);
    }
    Ok(())
}

/// The ConditionExpression of a write, if any, checked against the item it would replace.
fn check_condition(
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

fn with_extras(mut response: Value, attributes: Option<Item>, capacity: Option<Value>) -> Value {
    if let Some(attributes) = attributes.filter(|a| !a.is_empty()) {
        response["Attributes"] = item_to_wire(&attributes);
    }
    if let Some(capacity) = capacity {
        response["ConsumedCapacity"] = capacity;
    }
    response
}

const WRITE_MEMBERS: [&str; 4] = [
    "ConditionExpression",
    "ExpressionAttributeNames",
    "ExpressionAttributeValues",
    "ReturnValuesOnConditionCheckFailure",
];

fn on_failure<'a>(r: Request<'a>) -> Result<Option<&'a str>, AwsError> {
    enum_member(r, "ReturnValuesOnConditionCheckFailure", "returnValuesOnConditionCheckFailure", &["ALL_OLD", "NONE"])
}

fn put_item(db: &mut DynamoDb, ctx: &mut Ctx, request: &Value) -> Result<Value, AwsError> {
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
    guard_write(db, name, &key, condition.as_ref(), &mut ph, on_failure, ctx.now_ms)?;
    let table = &db.tables[name];
    let existing = table.get(&key);
    let (units, capacity) = write_capacity(table, existing, Some(&item), capacity);
    let old = db.store(name, item, ctx);
    charge(db, name, ctx.now_ms, units, true);
    Ok(with_extras(json!({}), old.filter(|_| returns == "ALL_OLD"), capacity))
}

fn get_item(db: &mut DynamoDb, ctx: &mut Ctx, request: &Value) -> Result<Value, AwsError> {
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
    let item = table.get(&key);
    let units = read_units(item.map_or(0, item_size), consistent);
    let capacity = consumed(table, units, capacity);
    let mut response = json!({});
    if let Some(item) = item {
        let shown = match &projection {
            Some(paths) => eval::project(item, paths),
            None => item.clone(),
        };
        response["Item"] = item_to_wire(&shown);
    }
    charge(db, name, ctx.now_ms, units, false);
    Ok(with_extras(response, None, capacity))
}

fn delete_item(db: &mut DynamoDb, ctx: &mut Ctx, request: &Value) -> Result<Value, AwsError> {
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
    guard_write(db, name, &key, condition.as_ref(), &mut ph, on_failure, ctx.now_ms)?;
    let table = &db.tables[name];
    let existing = table.get(&key);
    let (units, capacity) = write_capacity(table, existing, None, capacity);
    let old = db.remove(name, &key, ctx);
    charge(db, name, ctx.now_ms, units, true);
    Ok(with_extras(json!({}), old.filter(|_| returns == "ALL_OLD"), capacity))
}

fn update_item(db: &mut DynamoDb, ctx: &mut Ctx, request: &Value) -> Result<Value, AwsError> {
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
    guard_write(db, name, &key, condition.as_ref(), &mut ph, on_failure, ctx.now_ms)?;
    let table = &db.tables[name];
    let existing = table.get(&key);
    let base = existing.cloned().unwrap_or(key_item);
    let updated = eval::update(&base, &actions, &mut ph)?;
    check_index_keys(table, &updated, true)?;
    if item_size(&updated) > MAX_ITEM_BYTES {
        return Err(invalid("Item size to update has exceeded the maximum allowed size"));
    }
    // The paths the update touched, for UPDATED_OLD and UPDATED_NEW.
    let mut touched: Vec<DocPath> = Vec::new();
    // After REMOVE of a list element, the updated attribute is the list itself.
    let mut touched_after: Vec<DocPath> = Vec::new();
    for action in &actions {
        use super::expr::ast::UpdateAction;
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
        "ALL_OLD" => existing.cloned(),
        "ALL_NEW" => Some(updated.clone()),
        "UPDATED_OLD" => existing.map(|old| eval::project(old, &touched)),
        "UPDATED_NEW" => Some(eval::project(&updated, &touched_after)),
        _ => None,
    };
    let (units, capacity) = write_capacity(table, existing, Some(&updated), capacity);
    db.store(name, updated, ctx);
    charge(db, name, ctx.now_ms, units, true);
    Ok(with_extras(json!({}), attributes, capacity))
}

// ---------------------------------------------------------------------------------------------
// Query and Scan

/// What Query and Scan share: which items are read, then how they are filtered and shown.
struct Read<'a> {
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
    fn page<'i>(mut self, items: impl Iterator<Item = &'i Item>) -> Result<(Value, f64), AwsError> {
        let (mut bytes, mut scanned, mut out) = (0usize, 0usize, Vec::new());
        let mut last = None;
        let mut stopped = false;
        for item in items {
            if self.limit.is_some_and(|l| scanned >= l) || bytes >= PAGE_BYTES {
                stopped = true;
                break;
            }
            scanned += 1;
            // An index holds projected items: that is what is read, filtered and returned.
            let item = match self.index {
                Some(index) => std::borrow::Cow::Owned(index.project(self.table, item)),
                None => std::borrow::Cow::Borrowed(item),
            };
            bytes += item_size(&item);
            last = Some(item.clone());
            let keep = match &self.filter {
                Some(f) => eval::condition(f, Some(&item), &mut self.ph, ExprKind::Filter)?,
                None => true,
            };
            if keep {
                out.push(item);
            }
        }
        let mut response = json!({ "Count": out.len(), "ScannedCount": scanned });
        if !self.count_only {
            let items: Vec<Value> = out
                .iter()
                .map(|item| match &self.projection {
                    Some(paths) => item_to_wire(&eval::project(item, paths)),
                    None => item_to_wire(item),
                })
                .collect();
            response["Items"] = json!(items);
        }
        // The page ended on a limit (items or bytes), not at the end of the data: say where.
        let limit_hit = self.limit.is_some_and(|l| scanned >= l) || bytes >= PAGE_BYTES;
        if stopped || limit_hit {
            if let Some(item) = last {
                let names = match self.index {
                    Some(index) => index.key_names(self.table),
                    None => self.table.key.names(),
                };
                let key: Item = names.iter().filter_map(|n| item.get(*n).map(|v| (n.to_string(), v.clone()))).collect();
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

const READ_MEMBERS: [&str; 9] = [
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

/// Parses what Query and Scan share, leaving the placeholders open for the key condition.
fn read_request<'a>(
    db: &'a DynamoDb,
    r: Request<'a>,
    legacy: &[&str],
    expressions: &Expressions,
) -> Result<(Read<'a>, Option<Item>), AwsError> {
    let name = required(r, "TableName")?;
    refuse_legacy(r, legacy)?;
    let index_name = string(r, "IndexName")?;
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
    let table = active_table(db, name)?;
    let index = match index_name {
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
        if consistent {
            return Err(invalid("Consistent reads are not supported on global secondary indexes"));
        }
        if select == Some("ALL_ATTRIBUTES") && index.projection != Projection::All {
            return Err(invalid(format!(
                "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index {} because its projection type is not ALL",
                index.name
            )));
        }
    }
    let start = match map(r, "ExclusiveStartKey")? {
        Some(m) => {
            let key = item_from_wire(m, "ExclusiveStartKey")?;
            match index {
                None => check_key(
                    table,
                    &key,
                    "The provided starting key is invalid: The provided key element does not match the schema",
                )?,
                Some(index) => {
                    let names = index.key_names(table);
                    let fits = key.len() == names.len()
                        && names.iter().all(|n| key.contains_key(*n))
                        && index.key_of(&key).is_some()
                        && table.key_of(&key).is_some();
                    if !fits {
                        return Err(invalid("The provided starting key is invalid"));
                    }
                }
            }
            Some(key)
        }
        None => None,
    };
    let read =
        Read { table, index, ph, filter, projection, count_only: select == Some("COUNT"), limit, consistent, capacity };
    Ok((read, start))
}

fn scan(db: &mut DynamoDb, ctx: &mut Ctx, request: &Value) -> Result<Value, AwsError> {
    let mut members = READ_MEMBERS.to_vec();
    members.extend([
        "ScanFilter",
        "TotalSegments",
        "Segment",
        "ProjectionExpression",
        "FilterExpression",
        "ExpressionAttributeNames",
        "ExpressionAttributeValues",
    ]);
    let r = object_with(request, &members)?;
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
    let (read, start) = read_request(db, r, &["AttributesToGet", "ScanFilter", "ConditionalOperator"], &SCAN)?;
    read.ph.check_all_used()?;
    let table = read.table;
    admit(table, ctx.now_ms, false)?;
    let name = table.name.clone();
    let (response, units) = match read.index {
        None => {
            let start_key = start.as_ref().and_then(|k| table.key_of(k));
            let items = table
                .items()
                .filter(|item| segments.is_none_or(|(s, t)| segment_of(table, item, t) == s))
                .filter(|item| start_key.as_ref().is_none_or(|start| table.key_of(item).is_some_and(|k| k > *start)));
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
    charge(db, &name, ctx.now_ms, units, false);
    Ok(response)
}

/// Which of `total` segments an item belongs to: a stable hash of its partition key.
fn segment_of(table: &Table, item: &Item, total: u64) -> u64 {
    let text = item.get(&table.key.hash.name).map(|v| v.to_wire().to_string()).unwrap_or_default();
    // FNV-1a: stable across runs and platforms, unlike the standard library's hasher.
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    hash % total
}

/// A key condition, taken apart: the partition key's value and the sort key's condition.
struct KeyCondition {
    hash: KeyValue,
    range: Option<(Comparator, Vec<KeyValue>, bool)>,
}

fn query(db: &mut DynamoDb, ctx: &mut Ctx, request: &Value) -> Result<Value, AwsError> {
    let mut members = READ_MEMBERS.to_vec();
    members.extend([
        "KeyConditions",
        "QueryFilter",
        "ScanIndexForward",
        "ProjectionExpression",
        "FilterExpression",
        "KeyConditionExpression",
        "ExpressionAttributeNames",
        "ExpressionAttributeValues",
    ]);
    let r = object_with(request, &members)?;
    let forward = boolean(r, "ScanIndexForward")?.unwrap_or(true);
    let (mut read, start) =
        read_request(db, r, &["AttributesToGet", "KeyConditions", "QueryFilter", "ConditionalOperator"], &QUERY)?;
    let text = string(r, "KeyConditionExpression")?.ok_or_else(|| {
        invalid("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.")
    })?;
    let condition = read.ph.condition(text, ExprKind::KeyCondition)?;
    read.ph.check_all_used()?;
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
    if let Some(index) = read.index {
        if let Some(start) = &start {
            if index.key_of(start).is_some_and(|k| k.0 != key.hash) {
                return Err(invalid(
                    "The provided starting key is invalid: The provided key element does not match the schema",
                ));
            }
        }
        let start_at = start.as_ref().and_then(|k| Some((index.key_of(k)?.1, table.key_of(k)?)));
        admit(table, ctx.now_ms, false)?;
        let name = table.name.clone();
        let entries: Vec<_> = index.entries(table).into_iter().filter(|(ik, _, _)| ik.0 == key.hash).collect();
        let wanted = |(ik, tk, _): &&((KeyValue, KeyValue), (KeyValue, KeyValue), &Item)| {
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
        let (response, units) = if forward {
            read.page(entries.iter().filter(wanted).map(|(_, _, item)| *item))?
        } else {
            read.page(entries.iter().rev().filter(wanted).map(|(_, _, item)| *item))?
        };
        charge(db, &name, ctx.now_ms, units, false);
        return Ok(response);
    }
    if let Some(start) = &start {
        if table.key_of(start).is_some_and(|k| k.0 != key.hash) {
            return Err(invalid(
                "The provided starting key is invalid: The provided key element does not match the schema",
            ));
        }
    }
    let start_key = start.as_ref().and_then(|k| table.key_of(k)).map(|k| k.1);
    let wanted = |(sort, _): &(&KeyValue, &Item)| {
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
    admit(table, ctx.now_ms, false)?;
    let name = table.name.clone();
    let partition = table.partition_entries(&key.hash);
    let (response, units) = if forward {
        read.page(partition.filter(wanted).map(|(_, item)| item))?
    } else {
        read.page(partition.rev().filter(wanted).map(|(_, item)| item))?
    };
    charge(db, &name, ctx.now_ms, units, false);
    Ok(response)
}

fn sort_matches(sort: &KeyValue, cmp: Comparator, bounds: &[KeyValue], begins: bool) -> bool {
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
fn key_condition(schema: &KeySchema, condition: &Condition, ph: &mut Placeholders) -> Result<KeyCondition, AwsError> {
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

fn key_text(value: &KeyValue) -> String {
    match value {
        KeyValue::S(s) => s.clone(),
        KeyValue::N(n) => n.to_string(),
        KeyValue::B(b) => super::model::encode_base64(b),
        KeyValue::None => String::new(),
    }
}

fn flip(cmp: Comparator) -> Comparator {
    match cmp {
        Comparator::Lt => Comparator::Gt,
        Comparator::Le => Comparator::Ge,
        Comparator::Gt => Comparator::Lt,
        Comparator::Ge => Comparator::Le,
        other => other,
    }
}

/// The AND-ed parts of a key condition; an operator a key condition cannot use is the error.
fn flatten_and<'a>(condition: &'a Condition, out: &mut Vec<&'a Condition>) -> Result<(), &'static str> {
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

// ---------------------------------------------------------------------------------------------
// Batches

fn request_items<'a>(r: Request<'a>, max: usize, what: &str) -> Result<&'a Map<String, Value>, AwsError> {
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
enum BatchWrite {
    Put(Item),
    Delete((KeyValue, KeyValue)),
}

fn batch_write_item(db: &mut DynamoDb, ctx: &mut Ctx, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(request, &["RequestItems", "ReturnConsumedCapacity", "ReturnItemCollectionMetrics"])?;
    let capacity = wants_capacity(r)?;
    let requests = request_items(r, 25, "BatchWriteItem")?;
    // Validate everything first: a batch that fails validation writes nothing.
    let mut plan: Vec<(String, Vec<(BatchWrite, &Value)>)> = Vec::new();
    for (name, writes) in requests {
        let Value::Array(writes) = writes else {
            return Err(AwsError::param_validation(format!(
                "Invalid type for parameter RequestItems.{name}, value: {writes}, type: {}, valid types: array",
                json_type(writes)
            )));
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

fn batch_get_item(db: &mut DynamoDb, ctx: &mut Ctx, request: &Value) -> Result<Value, AwsError> {
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
                return Err(AwsError::param_validation(format!("Invalid type for parameter RequestItems.{name}.Keys[{i}], value: {key}, type: {}, valid types: object", json_type(key))));
            };
            let key = item_from_wire(key, &format!("RequestItems.{name}.Keys[{i}]"))?;
            check_key(table, &key, "The provided key element does not match the schema")?;
            let k = table.key_of(&key).expect("checked");
            if seen.contains(&k) {
                return Err(invalid("Provided list of item keys contains duplicates"));
            }
            let item = table.get(&k);
            units += read_units(item.map_or(0, item_size), consistent);
            if let Some(item) = item {
                found.push(item_to_wire(&match &projection {
                    Some(paths) => eval::project(item, paths),
                    None => item.clone(),
                }));
            }
            seen.push(k);
        }
        // A provisioned table out of read capacity leaves its keys unprocessed.
        if table.available(ctx.now_ms, false) <= 0.0 {
            unprocessed.insert(name.clone(), Value::Object(spec.clone()));
            continue;
        }
        responses.insert(name.clone(), json!(found));
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

/// Every document path a condition mentions.
fn condition_paths(condition: &Condition) -> Vec<&super::expr::ast::Path> {
    fn operand<'a>(o: &'a Operand, out: &mut Vec<&'a super::expr::ast::Path>) {
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

// ---------------------------------------------------------------------------------------------
// Transactions

/// How long a ClientRequestToken makes a TransactWriteItems request idempotent.
const TOKEN_MS: u64 = 10 * 60 * 1000;

/// One validated action of a transaction.
struct TransactAction {
    table: String,
    key: (KeyValue, KeyValue),
    kind: TransactKind,
    condition: Option<Condition>,
    ph: Placeholders,
    on_failure: bool,
}

/// A write a transaction will make: table, the new item (`None` deletes), key.
type PlannedWrite = (String, Option<Item>, (KeyValue, KeyValue));

enum TransactKind {
    Check,
    Put(Item),
    Delete,
    Update(Vec<super::expr::ast::UpdateAction>, Item),
}

fn transact_items<'a>(r: Request<'a>) -> Result<&'a Vec<Value>, AwsError> {
    let items = match r.get("TransactItems") {
        Some(Value::Array(items)) => items,
        Some(other) => {
            return Err(AwsError::param_validation(format!(
                "Invalid type for parameter TransactItems, value: {other}, type: {}, valid types: array",
                json_type(other)
            )))
        }
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

fn is_cancellation_reason(e: &AwsError) -> bool {
    e.message == "The provided key element does not match the schema"
        || e.message.starts_with("One or more parameter values were invalid: Type mismatch for key")
        || e.message.starts_with("One or more parameter values were invalid: Missing the key")
        || e.message.starts_with("One or more parameter values were invalid: Type mismatch for Index Key")
}

fn transact_write_items(db: &mut DynamoDb, ctx: &mut Ctx, request: &Value) -> Result<Value, AwsError> {
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

fn transact_get_items(db: &mut DynamoDb, ctx: &mut Ctx, request: &Value) -> Result<Value, AwsError> {
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
        let item = table.get(&key);
        *units.entry(name.to_string()).or_default() += 2.0 * read_units(item.map_or(0, item_size), true);
        responses.push(match item {
            Some(item) => json!({"Item": item_to_wire(&match &projection {
                Some(paths) => eval::project(item, paths),
                None => item.clone(),
            })}),
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

// ---------------------------------------------------------------------------------------------
// Time to live, tags, limits

fn update_time_to_live(db: &mut DynamoDb, ctx: &mut Ctx, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(request, &["TableName", "TimeToLiveSpecification"])?;
    let name = required(r, "TableName")?;
    let spec = map(r, "TimeToLiveSpecification")?.ok_or_else(|| missing("TimeToLiveSpecification"))?;
    let spec = object_with(&Value::Object(spec.clone()), &["Enabled", "AttributeName"])?.clone();
    let enabled = boolean(&spec, "Enabled")?.ok_or_else(|| missing("TimeToLiveSpecification.Enabled"))?;
    let attribute = string(&spec, "AttributeName")?.ok_or_else(|| missing("TimeToLiveSpecification.AttributeName"))?;
    if attribute.is_empty() || attribute.len() > 255 {
        return Err(constraint(
            attribute,
            "timeToLiveSpecification.attributeName",
            "Member must have length greater than or equal to 1",
        ));
    }
    let table = active_table(db, name)?;
    match (&table.ttl, enabled) {
        (Some(_), true) => return Err(invalid("TimeToLive is already enabled")),
        (None, false) => return Err(invalid("TimeToLive is already disabled")),
        _ => {}
    }
    if table.ttl_changed_ms.is_some_and(|at| ctx.now_ms < at + super::TTL_SWEEP_MS) {
        return Err(invalid("Time to live has been modified multiple times within a fixed interval"));
    }
    let created_ms = table.created_ms;
    let table = db.tables.get_mut(name).expect("checked above");
    table.ttl = enabled.then(|| attribute.to_string());
    table.ttl_changed_ms = Some(ctx.now_ms);
    if enabled {
        ctx.schedule.push((
            ctx.now_ms + super::TTL_SWEEP_MS,
            effect::Job::DynamoDb(Job::TtlSweep { table: name.to_string(), created_ms }),
        ));
    }
    Ok(json!({ "TimeToLiveSpecification": {"Enabled": enabled, "AttributeName": attribute} }))
}

fn describe_time_to_live(db: &DynamoDb, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(request, &["TableName"])?;
    let table = table_for_describe(db, required(r, "TableName")?)?;
    Ok(json!({ "TimeToLiveDescription": match &table.ttl {
        Some(attribute) => json!({"TimeToLiveStatus": "ENABLED", "AttributeName": attribute}),
        None => json!({"TimeToLiveStatus": "DISABLED"}),
    }}))
}

/// The table a resource ARN names.
fn table_by_arn<'a>(db: &'a DynamoDb, arn: &str) -> Result<&'a Table, AwsError> {
    db.tables.values().find(|t| t.arn == arn && t.status != TableStatus::Deleting).ok_or_else(|| {
        AwsError::client(
            "ResourceNotFoundException",
            format!("Requested resource not found: ResourceArn: {arn} not found"),
        )
    })
}

fn read_tags(value: &Value) -> Result<Vec<(String, String)>, AwsError> {
    let Value::Array(list) = value else {
        return Err(AwsError::param_validation(format!(
            "Invalid type for parameter Tags, value: {value}, type: {}, valid types: array",
            json_type(value)
        )));
    };
    let mut tags = Vec::new();
    for (i, tag) in list.iter().enumerate() {
        let t = object_with(tag, &["Key", "Value"])?;
        let key = string(t, "Key")?.ok_or_else(|| missing(&format!("Tags[{i}].Key")))?;
        let value = string(t, "Value")?.ok_or_else(|| missing(&format!("Tags[{i}].Value")))?;
        if key.is_empty() || key.len() > 128 {
            return Err(constraint(
                key,
                &format!("tags.{}.member.key", i + 1),
                "Member must have length less than or equal to 128",
            ));
        }
        if value.len() > 256 {
            return Err(constraint(
                value,
                &format!("tags.{}.member.value", i + 1),
                "Member must have length less than or equal to 256",
            ));
        }
        tags.push((key.to_string(), value.to_string()));
    }
    Ok(tags)
}

fn tag_resource(db: &mut DynamoDb, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(request, &["ResourceArn", "Tags"])?;
    let arn = required(r, "ResourceArn")?;
    let tags = read_tags(r.get("Tags").ok_or_else(|| missing("Tags"))?)?;
    let table = table_by_arn(db, arn)?;
    let mut merged = table.tags.clone();
    merged.extend(tags);
    if merged.len() > 50 {
        return Err(AwsError::client("LimitExceededException", "Too many tags: a resource may have at most 50 tags"));
    }
    let name = table.name.clone();
    db.tables.get_mut(&name).expect("found above").tags = merged;
    Ok(json!({}))
}

fn untag_resource(db: &mut DynamoDb, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(request, &["ResourceArn", "TagKeys"])?;
    let arn = required(r, "ResourceArn")?;
    let Some(Value::Array(keys)) = r.get("TagKeys") else { return Err(missing("TagKeys")) };
    let keys: Vec<&str> = keys.iter().filter_map(Value::as_str).collect();
    let name = table_by_arn(db, arn)?.name.clone();
    db.tables.get_mut(&name).expect("found above").tags.retain(|k, _| !keys.contains(&k.as_str()));
    Ok(json!({}))
}

fn list_tags_of_resource(db: &DynamoDb, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(request, &["ResourceArn", "NextToken"])?;
    let table = table_by_arn(db, required(r, "ResourceArn")?)?;
    let tags: Vec<Value> = table.tags.iter().map(|(k, v)| json!({"Key": k, "Value": v})).collect();
    Ok(json!({ "Tags": tags }))
}

/// The default quotas of a new account, per region.
fn describe_limits(request: &Value) -> Result<Value, AwsError> {
    object_with(request, &[])?;
    Ok(json!({
        "AccountMaxReadCapacityUnits": 80000,
        "AccountMaxWriteCapacityUnits": 80000,
        "TableMaxReadCapacityUnits": 40000,
        "TableMaxWriteCapacityUnits": 40000,
    }))
}

// ---------------------------------------------------------------------------------------------
// Kinesis streaming destination

fn kinesis_request<'a>(db: &'a DynamoDb, r: Request<'a>) -> Result<(&'a Table, &'a str), AwsError> {
    let name = required(r, "TableName")?;
    let arn = required(r, "StreamArn")?;
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let valid = parts.len() == 6
        && parts[0] == "arn"
        && parts[2] == "kinesis"
        && parts[5].starts_with("stream/")
        && parts[5].len() > 7;
    if !valid {
        return Err(invalid(format!("Invalid StreamArn: {arn}")));
    }
    Ok((active_table(db, name)?, arn))
}

fn enable_kinesis_streaming_destination(db: &mut DynamoDb, ctx: &mut Ctx, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(request, &["TableName", "StreamArn", "EnableKinesisStreamingConfiguration"])?;
    let precision = match map(r, "EnableKinesisStreamingConfiguration")? {
        Some(c) => {
            let c = object_with(&Value::Object(c.clone()), &["ApproximateCreationDateTimePrecision"])?.clone();
            enum_member(
                &c,
                "ApproximateCreationDateTimePrecision",
                "enableKinesisStreamingConfiguration.approximateCreationDateTimePrecision",
                &["MILLISECOND", "MICROSECOND"],
            )?
            .unwrap_or("MICROSECOND")
            .to_string()
        }
        None => "MICROSECOND".to_string(),
    };
    let (table, arn) = kinesis_request(db, r)?;
    if table.kinesis.iter().any(|d| d.stream_arn == arn && matches!(d.status.as_str(), "ENABLING" | "ACTIVE")) {
        return Err(AwsError::client(
            "ResourceInUseException",
            format!("Table {} is already streaming to {arn}", table.name),
        ));
    }
    let (name, created_ms, arn) = (table.name.clone(), table.created_ms, arn.to_string());
    let table = db.tables.get_mut(&name).expect("checked above");
    table.kinesis.retain(|d| d.stream_arn != arn);
    table.kinesis.push(super::table::KinesisDestination {
        stream_arn: arn.clone(),
        status: "ENABLING".into(),
        precision: precision.clone(),
    });
    ctx.schedule.push((
        ctx.now_ms + TRANSITION_MS,
        effect::Job::DynamoDb(Job::KinesisSettled { table: name.clone(), created_ms, stream_arn: arn.clone() }),
    ));
    Ok(json!({
        "TableName": name, "StreamArn": arn, "DestinationStatus": "ENABLING",
        "EnableKinesisStreamingConfiguration": {"ApproximateCreationDateTimePrecision": precision},
    }))
}

fn describe_kinesis_streaming_destination(db: &DynamoDb, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(request, &["TableName"])?;
    let table = table_for_describe(db, required(r, "TableName")?)?;
    let destinations: Vec<Value> = table
        .kinesis
        .iter()
        .map(|d| json!({"StreamArn": d.stream_arn, "DestinationStatus": d.status, "ApproximateCreationDateTimePrecision": d.precision}))
        .collect();
    Ok(json!({ "TableName": table.name, "KinesisDataStreamDestinations": destinations }))
}

fn disable_kinesis_streaming_destination(db: &mut DynamoDb, ctx: &mut Ctx, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(request, &["TableName", "StreamArn", "EnableKinesisStreamingConfiguration"])?;
    let (table, arn) = kinesis_request(db, r)?;
    if !table.kinesis.iter().any(|d| d.stream_arn == arn && d.status == "ACTIVE") {
        return Err(invalid(format!("Table {} is not streaming to {arn}", table.name)));
    }
    let (name, created_ms, arn) = (table.name.clone(), table.created_ms, arn.to_string());
    let table = db.tables.get_mut(&name).expect("checked above");
    for d in table.kinesis.iter_mut().filter(|d| d.stream_arn == arn) {
        d.status = "DISABLING".into();
    }
    ctx.schedule.push((
        ctx.now_ms + TRANSITION_MS,
        effect::Job::DynamoDb(Job::KinesisSettled { table: name.clone(), created_ms, stream_arn: arn.clone() }),
    ));
    Ok(json!({ "TableName": name, "StreamArn": arn, "DestinationStatus": "DISABLING" }))
}
