//! Time to live, tags and account limits.

use super::*;

pub(super) fn update_time_to_live(db: &mut DynamoDb, ctx: &mut Ctx, request: &Value) -> Result<Value, AwsError> {
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
    if table.ttl_changed_ms.is_some_and(|at| ctx.now_ms < at + crate::dynamodb::TTL_SWEEP_MS) {
        return Err(invalid("Time to live has been modified multiple times within a fixed interval"));
    }
    let created_ms = table.created_ms;
    let table = db.tables.get_mut(name).expect("checked above");
    table.ttl = enabled.then(|| attribute.to_string());
    table.ttl_changed_ms = Some(ctx.now_ms);
    if enabled {
        ctx.schedule(ctx.now_ms + crate::dynamodb::TTL_SWEEP_MS, Job::TtlSweep { table: name.to_string(), created_ms });
    }
    Ok(json!({ "TimeToLiveSpecification": {"Enabled": enabled, "AttributeName": attribute} }))
}

pub(super) fn describe_time_to_live(db: &DynamoDb, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(request, &["TableName"])?;
    let table = table_for_describe(db, required(r, "TableName")?)?;
    Ok(json!({ "TimeToLiveDescription": match &table.ttl {
        Some(attribute) => json!({"TimeToLiveStatus": "ENABLED", "AttributeName": attribute}),
        None => json!({"TimeToLiveStatus": "DISABLED"}),
    }}))
}

/// The table a resource ARN names.
pub(super) fn table_by_arn<'a>(db: &'a DynamoDb, arn: &str) -> Result<&'a Table, AwsError> {
    db.tables.values().find(|t| t.arn == arn && t.status != TableStatus::Deleting).ok_or_else(|| {
        AwsError::client(
            "ResourceNotFoundException",
            format!("Requested resource not found: ResourceArn: {arn} not found"),
        )
    })
}

pub(super) fn read_tags(value: &Value) -> Result<Vec<(String, String)>, AwsError> {
    let list = crate::wire::array(value, "Tags")?;
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

pub(super) fn tag_resource(db: &mut DynamoDb, request: &Value) -> Result<Value, AwsError> {
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

pub(super) fn untag_resource(db: &mut DynamoDb, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(request, &["ResourceArn", "TagKeys"])?;
    let arn = required(r, "ResourceArn")?;
    let Some(Value::Array(keys)) = r.get("TagKeys") else { return Err(missing("TagKeys")) };
    let keys: Vec<&str> = keys.iter().filter_map(Value::as_str).collect();
    let name = table_by_arn(db, arn)?.name.clone();
    db.tables.get_mut(&name).expect("found above").tags.retain(|k, _| !keys.contains(&k.as_str()));
    Ok(json!({}))
}

pub(super) fn list_tags_of_resource(db: &DynamoDb, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(request, &["ResourceArn", "NextToken"])?;
    let table = table_by_arn(db, required(r, "ResourceArn")?)?;
    let tags: Vec<Value> = table.tags.iter().map(|(k, v)| json!({"Key": k, "Value": v})).collect();
    Ok(json!({ "Tags": tags }))
}

/// The default quotas of a new account, per region.
pub(super) fn describe_limits(request: &Value) -> Result<Value, AwsError> {
    object_with(request, &[])?;
    Ok(json!({
        "AccountMaxReadCapacityUnits": 80000,
        "AccountMaxWriteCapacityUnits": 80000,
        "TableMaxReadCapacityUnits": 40000,
        "TableMaxWriteCapacityUnits": 40000,
    }))
}
