//! CreateTable, DescribeTable, UpdateTable, DeleteTable, ListTables: definitions, lifecycles and secondary indexes.

use super::*;

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

pub(super) fn create_table(db: &mut DynamoDb, ctx: &mut Ctx, request: &Value) -> Result<Value, AwsError> {
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
    ctx.schedule(ctx.now_ms + TRANSITION_MS, Job::TableActive { table: name.to_string(), created_ms: ctx.now_ms });
    db.tables.insert(name.to_string(), table);
    Ok(json!({ "TableDescription": description }))
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

pub(super) fn billing(r: Request, default: &str) -> Result<Billing, AwsError> {
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

/// Validates UpdateTable's GlobalSecondaryIndexUpdates: one Create, Delete or Update.
pub(super) fn plan_index_update(table: &Table, list: &[Value], r: Request) -> Result<IndexChange, AwsError> {
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

pub(super) fn update_table(db: &mut DynamoDb, ctx: &mut Ctx, request: &Value) -> Result<Value, AwsError> {
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
        Some(other) => return Err(invalid_type("GlobalSecondaryIndexUpdates", other, "array")),
        None => None,
    };
    if stream.is_none() && mode.is_none() && throughput.is_none() && index_updates.is_none() {
        return Err(invalid("At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates, SSESpecification, ReplicaUpdates, MultiAccountReplicaReady, ReplicaTransitRoleArn, MultiRegionConsistency, DeletionProtectionEnabled, OnDemandThroughput, WarmThroughput or TableClass is required"));
    }
    let table = table_for_describe(db, name)?;
    check_not_in_transition(table)?;
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
                ctx.schedule(
                    ctx.now_ms + TRANSITION_MS,
                    Job::IndexActive { table: name.to_string(), created_ms, index: index.name.clone() },
                );
                table.attribute_definitions = definitions;
                table.indexes.push(index);
            }
            IndexChange::Delete(index) => {
                ctx.schedule(
                    ctx.now_ms + TRANSITION_MS,
                    Job::IndexGone { table: name.to_string(), created_ms, index: index.clone() },
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
            table.capacity = crate::dynamodb::table::Capacity::fresh(&billing, ctx.now_ms);
        }
        table.billing = billing;
    }
    if switched_to_on_demand {
        table.on_demand_switches.push(ctx.now_ms);
    }
    let table = &db.tables[name];
    Ok(json!({ "TableDescription": describe(db, table) }))
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

pub(super) fn describe_table(db: &DynamoDb, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(request, &["TableName"])?;
    let table = table_for_describe(db, required(r, "TableName")?)?;
    Ok(json!({ "Table": describe(db, table) }))
}

pub(super) fn delete_table(db: &mut DynamoDb, ctx: &mut Ctx, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(request, &["TableName"])?;
    let name = required(r, "TableName")?;
    let table = table_for_describe(db, name)?;
    check_not_in_transition(table)?;
    let created_ms = table.created_ms;
    let table = db.tables.get_mut(name).expect("checked above");
    table.status = TableStatus::Deleting;
    // Deleting a table disables its stream, which stays readable for 24 hours.
    if let Some(arn) = table.stream.take() {
        if let Some(stream) = db.streams.get_mut(&arn) {
            stream.disabled_ms = Some(ctx.now_ms);
        }
    }
    ctx.schedule(ctx.now_ms + TRANSITION_MS, Job::TableGone { table: name.to_string(), created_ms });
    Ok(json!({ "TableDescription": describe(db, &db.tables[name]) }))
}

pub(super) fn list_tables(db: &DynamoDb, request: &Value) -> Result<Value, AwsError> {
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
