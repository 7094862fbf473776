//! Time to live, tags and account limits.
//!
//! Each operation is a typed input: `parse` reads the request's own shape and nothing else;
//! `check` looks at the tables through `&DynamoDb` and can fail, returning what to change;
//! `commit` takes `&mut DynamoDb` and cannot fail. So a failed request has changed nothing, by
//! construction rather than by statement order. The reads parse, then answer from `&DynamoDb`.

use super::*;
use crate::clock::Millis;

/// UpdateTimeToLive's input.
struct UpdateTimeToLive {
    /// The table whose TTL is turned on or off.
    table: String,
    /// TimeToLiveSpecification.Enabled: on or off.
    enabled: bool,
    /// TimeToLiveSpecification.AttributeName: the attribute holding each item's expiry, in epoch
    /// seconds (echoed back when disabling too).
    attribute: String,
}

impl UpdateTimeToLive {
    fn parse(request: &Value) -> Result<UpdateTimeToLive, AwsError> {
        let r = object_with(request, &["TableName", "TimeToLiveSpecification"])?;
        let table = required(r, "TableName")?;
        let spec = map(r, "TimeToLiveSpecification")?.ok_or_else(|| missing("TimeToLiveSpecification"))?;
        let spec = object_with(&Value::Object(spec.clone()), &["Enabled", "AttributeName"])?.clone();
        let enabled = boolean(&spec, "Enabled")?.ok_or_else(|| missing("TimeToLiveSpecification.Enabled"))?;
        let attribute =
            string(&spec, "AttributeName")?.ok_or_else(|| missing("TimeToLiveSpecification.AttributeName"))?;
        if attribute.is_empty() || attribute.len() > 255 {
            return Err(constraint(
                attribute,
                "timeToLiveSpecification.attributeName",
                "Member must have length greater than or equal to 1",
            ));
        }
        Ok(UpdateTimeToLive { table: table.to_string(), enabled, attribute: attribute.to_string() })
    }

    /// The table must be ACTIVE, TTL must change, and not twice within an hour.
    fn check(self, db: &DynamoDb, now_ms: Millis) -> Result<Checked<UpdateTimeToLive>, AwsError> {
        let table = active_table(db, &self.table)?;
        match (&table.ttl, self.enabled) {
            (Some(_), true) => return Err(invalid("TimeToLive is already enabled")),
            (None, false) => return Err(invalid("TimeToLive is already disabled")),
            _ => {}
        }
        if table.ttl_changed_ms.is_some_and(|at| now_ms < at + crate::dynamodb::TTL_SWEEP_MS) {
            return Err(invalid("Time to live has been modified multiple times within a fixed interval"));
        }
        Ok(Checked { created_ms: table.created_ms, input: self })
    }
}

impl Checked<UpdateTimeToLive> {
    fn commit(self, db: &mut DynamoDb, ctx: &mut Ctx) -> Value {
        let UpdateTimeToLive { table: name, enabled, attribute } = self.input;
        let table = db.tables.get_mut(&name).expect("checked");
        table.ttl = enabled.then(|| attribute.clone());
        table.ttl_changed_ms = Some(ctx.now_ms);
        if enabled {
            ctx.schedule(
                ctx.now_ms + crate::dynamodb::TTL_SWEEP_MS,
                Job::TtlSweep { table: name, created_ms: self.created_ms },
            );
        }
        json!({ "TimeToLiveSpecification": {"Enabled": enabled, "AttributeName": attribute} })
    }
}

pub(super) fn update_time_to_live(db: &mut DynamoDb, ctx: &mut Ctx, request: &Value) -> Result<Value, AwsError> {
    let plan = UpdateTimeToLive::parse(request)?.check(db, ctx.now_ms)?;
    Ok(plan.commit(db, ctx))
}

/// DescribeTimeToLive's input.
type DescribeTimeToLive = TableName;

pub(super) fn describe_time_to_live(db: &DynamoDb, request: &Value) -> Result<Value, AwsError> {
    let table = DescribeTimeToLive::parse(request)?.table(db)?;
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

/// TagResource's input.
struct TagResource {
    /// The ARN of the table to tag.
    arn: String,
    /// The tags to add, in request order; a key already on the table gets the new value.
    tags: Vec<(String, String)>,
}

/// New tags for a table: the request, checked against the table.
struct Retagging {
    /// The table's name.
    table: String,
    /// The table's tags once the request's are added (at most 50).
    tags: BTreeMap<String, String>,
}

impl TagResource {
    fn parse(request: &Value) -> Result<TagResource, AwsError> {
        let r = object_with(request, &["ResourceArn", "Tags"])?;
        let arn = required(r, "ResourceArn")?;
        let tags = read_tags(r.get("Tags").ok_or_else(|| missing("Tags"))?)?;
        Ok(TagResource { arn: arn.to_string(), tags })
    }

    /// The table must exist, and may end up with at most 50 tags.
    fn check(self, db: &DynamoDb) -> Result<Retagging, AwsError> {
        let table = table_by_arn(db, &self.arn)?;
        let mut merged = table.tags.clone();
        merged.extend(self.tags);
        if merged.len() > 50 {
            return Err(AwsError::client(
                "LimitExceededException",
                "Too many tags: a resource may have at most 50 tags",
            ));
        }
        Ok(Retagging { table: table.name.clone(), tags: merged })
    }
}

impl Retagging {
    fn commit(self, db: &mut DynamoDb) -> Value {
        db.tables.get_mut(&self.table).expect("checked").tags = self.tags;
        json!({})
    }
}

pub(super) fn tag_resource(db: &mut DynamoDb, request: &Value) -> Result<Value, AwsError> {
    let plan = TagResource::parse(request)?.check(db)?;
    Ok(plan.commit(db))
}

/// UntagResource's input.
struct UntagResource {
    /// The ARN of the table to untag.
    arn: String,
    /// The tag keys to remove; keys the table does not have are ignored.
    keys: Vec<String>,
}

/// Tags to remove from a table: the request, checked against the table.
struct Untagging {
    /// The table's name.
    table: String,
    /// The tag keys to remove.
    keys: Vec<String>,
}

impl UntagResource {
    fn parse(request: &Value) -> Result<UntagResource, AwsError> {
        let r = object_with(request, &["ResourceArn", "TagKeys"])?;
        let arn = required(r, "ResourceArn")?;
        let Some(Value::Array(keys)) = r.get("TagKeys") else { return Err(missing("TagKeys")) };
        let keys = keys.iter().filter_map(Value::as_str).map(str::to_string).collect();
        Ok(UntagResource { arn: arn.to_string(), keys })
    }

    /// The table must exist.
    fn check(self, db: &DynamoDb) -> Result<Untagging, AwsError> {
        Ok(Untagging { table: table_by_arn(db, &self.arn)?.name.clone(), keys: self.keys })
    }
}

impl Untagging {
    fn commit(self, db: &mut DynamoDb) -> Value {
        db.tables.get_mut(&self.table).expect("checked").tags.retain(|k, _| !self.keys.contains(k));
        json!({})
    }
}

pub(super) fn untag_resource(db: &mut DynamoDb, request: &Value) -> Result<Value, AwsError> {
    let plan = UntagResource::parse(request)?.check(db)?;
    Ok(plan.commit(db))
}

/// ListTagsOfResource's input.
struct ListTagsOfResource {
    /// The ARN of the table whose tags are listed (all on one page: NextToken is accepted and
    /// not read).
    arn: String,
}

impl ListTagsOfResource {
    fn parse(request: &Value) -> Result<ListTagsOfResource, AwsError> {
        let r = object_with(request, &["ResourceArn", "NextToken"])?;
        Ok(ListTagsOfResource { arn: required(r, "ResourceArn")?.to_string() })
    }

    fn answer(&self, db: &DynamoDb) -> Result<Value, AwsError> {
        let table = table_by_arn(db, &self.arn)?;
        let tags: Vec<Value> = table.tags.iter().map(|(k, v)| json!({"Key": k, "Value": v})).collect();
        Ok(json!({ "Tags": tags }))
    }
}

pub(super) fn list_tags_of_resource(db: &DynamoDb, request: &Value) -> Result<Value, AwsError> {
    ListTagsOfResource::parse(request)?.answer(db)
}

/// DescribeLimits's input: it has no members.
struct DescribeLimits;

impl DescribeLimits {
    fn parse(request: &Value) -> Result<DescribeLimits, AwsError> {
        object_with(request, &[])?;
        Ok(DescribeLimits)
    }

    /// The default quotas of a new account, per region.
    fn answer(&self) -> Value {
        json!({
            "AccountMaxReadCapacityUnits": 80000,
            "AccountMaxWriteCapacityUnits": 80000,
            "TableMaxReadCapacityUnits": 40000,
            "TableMaxWriteCapacityUnits": 40000,
        })
    }
}

pub(super) fn describe_limits(request: &Value) -> Result<Value, AwsError> {
    Ok(DescribeLimits::parse(request)?.answer())
}
