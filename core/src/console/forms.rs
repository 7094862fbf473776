//! The console's forms, turned into the exact API requests they send.
//!
//! The UI shows each request before and after sending it, so a learner sees the API behind every
//! button: what the console does is what `aws dynamodb ... --cli-input-json` would do.

use super::plain::plain_item;
pub use super::plain::{dynamodb_to_plain, plain_to_dynamodb, value_to_plain};
use crate::dynamodb::model::item_to_wire;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

/// A key attribute as the create form asks for it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct KeyField {
    pub name: String,
    /// S, N or B.
    pub kind: String,
}

/// A secondary index in the create form.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct IndexForm {
    /// `true` for a global index, `false` for a local one (same partition key as the table).
    pub global: bool,
    pub name: String,
    /// Ignored for a local index.
    pub partition: KeyField,
    /// An empty name: no sort key.
    pub sort: KeyField,
    /// ALL or KEYS_ONLY.
    pub projection: String,
}

/// The "Create table" form.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CreateTableForm {
    pub name: String,
    pub partition: KeyField,
    /// An empty name: no sort key.
    pub sort: KeyField,
    pub on_demand: bool,
    pub read_units: String,
    pub write_units: String,
    /// Empty: no stream; else the StreamViewType.
    pub stream: String,
    pub indexes: Vec<IndexForm>,
}

impl CreateTableForm {
    /// The CreateTable request. Only what a form cannot express is refused here (a number that
    /// is not a number); everything else is DynamoDB's to judge, with its own errors.
    pub fn request(&self) -> Result<Value, String> {
        let mut fields: Vec<KeyField> = Vec::new();
        let mut add = |field: &KeyField| {
            if !field.name.trim().is_empty() && !fields.iter().any(|d| d.name == field.name.trim()) {
                fields.push(KeyField { name: field.name.trim().to_string(), kind: field.kind.clone() });
            }
        };
        add(&self.partition);
        add(&self.sort);
        let mut global = Vec::new();
        let mut local = Vec::new();
        for index in &self.indexes {
            let partition = if index.global { &index.partition } else { &self.partition };
            add(partition);
            add(&index.sort);
            let mut schema = vec![json!({"AttributeName": partition.name.trim(), "KeyType": "HASH"})];
            if !index.sort.name.trim().is_empty() {
                schema.push(json!({"AttributeName": index.sort.name.trim(), "KeyType": "RANGE"}));
            }
            let mut spec = json!({
                "IndexName": index.name.trim(),
                "KeySchema": schema,
                "Projection": {"ProjectionType": if index.projection.is_empty() { "ALL" } else { &index.projection }},
            });
            if index.global {
                if !self.on_demand {
                    spec["ProvisionedThroughput"] = self.throughput()?;
                }
                global.push(spec);
            } else {
                local.push(spec);
            }
        }
        let mut key = vec![json!({"AttributeName": self.partition.name.trim(), "KeyType": "HASH"})];
        if !self.sort.name.trim().is_empty() {
            key.push(json!({"AttributeName": self.sort.name.trim(), "KeyType": "RANGE"}));
        }
        let mut request = json!({
            "TableName": self.name.trim(),
            "AttributeDefinitions": fields.iter().map(|f| json!({"AttributeName": f.name, "AttributeType": f.kind})).collect::<Vec<_>>(),
            "KeySchema": key,
            "BillingMode": if self.on_demand { "PAY_PER_REQUEST" } else { "PROVISIONED" },
        });
        if !self.on_demand {
            request["ProvisionedThroughput"] = self.throughput()?;
        }
        if !global.is_empty() {
            request["GlobalSecondaryIndexes"] = json!(global);
        }
        if !local.is_empty() {
            request["LocalSecondaryIndexes"] = json!(local);
        }
        if !self.stream.is_empty() {
            request["StreamSpecification"] = json!({"StreamEnabled": true, "StreamViewType": self.stream});
        }
        Ok(request)
    }

    fn throughput(&self) -> Result<Value, String> {
        Ok(json!({
            "ReadCapacityUnits": units(&self.read_units, "Read capacity units")?,
            "WriteCapacityUnits": units(&self.write_units, "Write capacity units")?,
        }))
    }
}

fn units(text: &str, what: &str) -> Result<u64, String> {
    text.trim().parse().map_err(|_| format!("{what}: `{text}` is not a whole number"))
}

/// The (partition, sort) key of a table, or of its index `index` when not empty, with the types
/// its AttributeDefinitions declare, read from a DescribeTable `Table`. A missing key is empty.
pub fn key_fields(description: &Value, index: &str) -> (KeyField, KeyField) {
    let schema = if index.is_empty() {
        &description["KeySchema"]
    } else {
        ["GlobalSecondaryIndexes", "LocalSecondaryIndexes"]
            .iter()
            .filter_map(|member| description[*member].as_array())
            .flatten()
            .find(|i| i["IndexName"] == index)
            .map_or(&Value::Null, |i| &i["KeySchema"])
    };
    let field = |key_type: &str| {
        let Some(name) = schema
            .as_array()
            .and_then(|s| s.iter().find(|k| k["KeyType"] == key_type))
            .and_then(|k| k["AttributeName"].as_str())
        else {
            return KeyField::default();
        };
        let kind = description["AttributeDefinitions"]
            .as_array()
            .and_then(|d| d.iter().find(|a| a["AttributeName"] == name))
            .and_then(|a| a["AttributeType"].as_str())
            .unwrap_or("S");
        KeyField { name: name.to_string(), kind: kind.to_string() }
    };
    (field("HASH"), field("RANGE"))
}

/// The Query/Scan builder ("Explore items" → "Scan or query items").
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReadForm {
    pub table: String,
    /// `true` for Query, `false` for Scan.
    pub query: bool,
    /// Empty: the table itself.
    pub index: String,
    /// The key attributes of the table or index read: (partition, sort), with their types.
    pub partition: KeyField,
    pub sort: KeyField,
    /// Query: the partition key value (as typed).
    pub partition_value: String,
    /// Query: `=`, `<`, `<=`, `>`, `>=`, `between`, `begins_with`, or empty for no sort condition.
    pub sort_op: String,
    pub sort_value: String,
    /// The upper bound of `between`.
    pub sort_value2: String,
    pub filters: Vec<FilterForm>,
    /// A comma-separated list of attributes; empty: all.
    pub projection: String,
    /// Query: `false` reads the sort key backwards (ScanIndexForward false).
    pub descending: bool,
    /// Empty: no limit.
    pub limit: String,
    pub consistent: bool,
    /// LastEvaluatedKey of the previous page, to read the next one.
    pub start_key: Option<Value>,
}

/// One filter condition.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FilterForm {
    pub attribute: String,
    /// `=`, `<>`, `<`, `<=`, `>`, `>=`, `between`, `begins_with`, `contains`, `exists`, `not_exists`.
    pub op: String,
    /// S, N or BOOL.
    pub kind: String,
    pub value: String,
    pub value2: String,
}

impl ReadForm {
    /// The Query or Scan request, with ReturnConsumedCapacity TOTAL so the console can show the
    /// cost. Attribute names always go through `#` placeholders, so a reserved word as a name
    /// (status, name, items...) just works, as in the console.
    pub fn request(&self) -> Result<Value, String> {
        let mut names = Map::new();
        let mut values = Map::new();
        // `#Artist` for a plain name (readable in the request shown), `#n1` for any other.
        let mut name = |attribute: &str| {
            if let Some((placeholder, _)) = names.iter().find(|(_, v)| v.as_str() == Some(attribute)) {
                return placeholder.clone();
            }
            let plain = !attribute.is_empty() && attribute.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
            let placeholder = if plain { format!("#{attribute}") } else { format!("#n{}", names.len()) };
            names.insert(placeholder.clone(), json!(attribute));
            placeholder
        };
        let value = |text: &str, kind: &str, values: &mut Map<String, Value>| -> Result<String, String> {
            let placeholder = format!(":v{}", values.len());
            values.insert(placeholder.clone(), typed(text, kind)?);
            Ok(placeholder)
        };
        let mut request = json!({"TableName": self.table, "ReturnConsumedCapacity": "TOTAL"});
        if !self.index.is_empty() {
            request["IndexName"] = json!(self.index);
        }
        if self.query {
            let pk = name(&self.partition.name);
            let pv = value(&self.partition_value, &self.partition.kind, &mut values)?;
            let mut condition = format!("{pk} = {pv}");
            if !self.sort_op.is_empty() && !self.sort.name.is_empty() {
                let sk = name(&self.sort.name);
                let sv = value(&self.sort_value, &self.sort.kind, &mut values)?;
                condition += &match self.sort_op.as_str() {
                    "begins_with" => format!(" AND begins_with({sk}, {sv})"),
                    "between" => {
                        let upper = value(&self.sort_value2, &self.sort.kind, &mut values)?;
                        format!(" AND {sk} BETWEEN {sv} AND {upper}")
                    }
                    op => format!(" AND {sk} {op} {sv}"),
                };
            }
            request["KeyConditionExpression"] = json!(condition);
            if self.descending {
                request["ScanIndexForward"] = json!(false);
            }
        }
        let mut filters = Vec::new();
        for filter in self.filters.iter().filter(|f| !f.attribute.trim().is_empty()) {
            let n = name(filter.attribute.trim());
            filters.push(match filter.op.as_str() {
                "exists" => format!("attribute_exists({n})"),
                "not_exists" => format!("attribute_not_exists({n})"),
                "begins_with" | "contains" => {
                    format!("{}({n}, {})", filter.op, value(&filter.value, &filter.kind, &mut values)?)
                }
                "between" => {
                    let low = value(&filter.value, &filter.kind, &mut values)?;
                    let high = value(&filter.value2, &filter.kind, &mut values)?;
                    format!("{n} BETWEEN {low} AND {high}")
                }
                op => format!("{n} {op} {}", value(&filter.value, &filter.kind, &mut values)?),
            });
        }
        if !filters.is_empty() {
            request["FilterExpression"] = json!(filters.join(" AND "));
        }
        let projection: Vec<String> =
            self.projection.split(',').map(str::trim).filter(|p| !p.is_empty()).map(&mut name).collect();
        if !projection.is_empty() {
            request["ProjectionExpression"] = json!(projection.join(", "));
        }
        if !names.is_empty() {
            request["ExpressionAttributeNames"] = Value::Object(names);
        }
        if !values.is_empty() {
            request["ExpressionAttributeValues"] = Value::Object(values);
        }
        if !self.limit.trim().is_empty() {
            let limit: u64 =
                self.limit.trim().parse().map_err(|_| format!("Limit: `{}` is not a whole number", self.limit))?;
            request["Limit"] = json!(limit);
        }
        if self.consistent {
            request["ConsistentRead"] = json!(true);
        }
        if let Some(key) = &self.start_key {
            request["ExclusiveStartKey"] = key.clone();
        }
        Ok(request)
    }
}

/// A typed value as DynamoDB JSON: S as is, N as a number DynamoDB accepts (checked here only
/// for being a number at all; DynamoDB judges range and precision), BOOL true/false.
fn typed(text: &str, kind: &str) -> Result<Value, String> {
    match kind {
        "N" => Ok(json!({"N": text.trim()})),
        "BOOL" => match text.trim() {
            "true" => Ok(json!({"BOOL": true})),
            "false" => Ok(json!({"BOOL": false})),
            other => Err(format!("`{other}` is not true or false")),
        },
        "B" => Ok(json!({"B": text})),
        _ => Ok(json!({"S": text})),
    }
}

/// How the overview's capacity settings start: the table's mode and its provisioned units (5
/// and 5, as the console suggests, for an on-demand table).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CapacityForm {
    pub on_demand: bool,
    pub read_units: String,
    pub write_units: String,
}

impl CapacityForm {
    /// The settings a DescribeTable `Table` has now.
    pub fn from_description(description: &Value) -> CapacityForm {
        let units = |member: &str| match description["ProvisionedThroughput"][member].as_u64() {
            Some(n) if n > 0 => n.to_string(),
            _ => "5".into(),
        };
        CapacityForm {
            on_demand: description["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST",
            read_units: units("ReadCapacityUnits"),
            write_units: units("WriteCapacityUnits"),
        }
    }

    /// The UpdateTable request that switches `table` to these settings.
    pub fn request(&self, table: &str) -> Result<Value, String> {
        if self.on_demand {
            return Ok(json!({"TableName": table, "BillingMode": "PAY_PER_REQUEST"}));
        }
        Ok(json!({
            "TableName": table,
            "BillingMode": "PROVISIONED",
            "ProvisionedThroughput": {
                "ReadCapacityUnits": units(&self.read_units, "Read capacity units")?,
                "WriteCapacityUnits": units(&self.write_units, "Write capacity units")?,
            },
        }))
    }
}

/// The capacity mode as the console shows it: `On-demand` or `Provisioned (5 RCU, 5 WCU)`.
pub fn capacity_label(description: &Value) -> String {
    if description["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST" {
        return "On-demand".into();
    }
    let t = &description["ProvisionedThroughput"];
    format!(
        "Provisioned ({} RCU, {} WCU)",
        t["ReadCapacityUnits"].as_u64().unwrap_or(0),
        t["WriteCapacityUnits"].as_u64().unwrap_or(0)
    )
}

/// UpdateTable turning `table`'s stream on with `view_type`, or off for `None`.
pub fn stream_request(table: &str, view_type: Option<&str>) -> Value {
    match view_type {
        Some(view_type) => json!({"TableName": table,
            "StreamSpecification": {"StreamEnabled": true, "StreamViewType": view_type}}),
        None => json!({"TableName": table, "StreamSpecification": {"StreamEnabled": false}}),
    }
}

/// UpdateTimeToLive. Enabling uses the attribute typed; disabling names the attribute TTL is on
/// now (DescribeTimeToLive's `TimeToLiveDescription` in `ttl`), as DynamoDB requires.
pub fn ttl_request(table: &str, enabled: bool, typed: &str, ttl: &Value) -> Value {
    let attribute = match ttl["AttributeName"].as_str() {
        Some(current) if !enabled => current,
        _ => typed.trim(),
    };
    json!({"TableName": table, "TimeToLiveSpecification": {"Enabled": enabled, "AttributeName": attribute}})
}

/// TagResource with one tag.
pub fn tag_request(arn: &str, key: &str, value: &str) -> Value {
    json!({"ResourceArn": arn, "Tags": [{"Key": key, "Value": value}]})
}

/// UntagResource of one tag key.
pub fn untag_request(arn: &str, key: &str) -> Value {
    json!({"ResourceArn": arn, "TagKeys": [key]})
}

pub fn delete_table_request(table: &str) -> Value {
    json!({"TableName": table})
}

/// The primary key of `item` (DynamoDB JSON) in a table described by `description`.
pub fn item_key(description: &Value, item: &Value) -> Value {
    let (partition, sort) = key_fields(description, "");
    let key: Map<String, Value> = [partition, sort]
        .into_iter()
        .filter(|k| !k.name.is_empty() && !item[&k.name].is_null())
        .map(|k| (k.name.clone(), item[&k.name].clone()))
        .collect();
    Value::Object(key)
}

/// DeleteItem of `item` (DynamoDB JSON; only its key is sent).
pub fn delete_item_request(table: &str, description: &Value, item: &Value) -> Value {
    json!({"TableName": table, "Key": item_key(description, item)})
}

/// What the item editor shows for a new item: the key attributes, empty (0 for a number).
pub fn new_item_text(description: &Value) -> String {
    let (partition, sort) = key_fields(description, "");
    let template: Map<String, Value> = [partition, sort]
        .into_iter()
        .filter(|k| !k.name.is_empty())
        .map(|k| (k.name, if k.kind == "N" { json!(0) } else { json!("") }))
        .collect();
    pretty(&Value::Object(template))
}

/// The item editor's Save: PutItem of the editor's text, in DynamoDB JSON or plain JSON (numbers
/// read exactly). A `new` item is written only if its key is not taken yet, as the console does.
pub fn put_item_request(
    table: &str,
    description: &Value,
    text: &str,
    dynamodb_json: bool,
    new: bool,
) -> Result<Value, String> {
    let item: Value = if dynamodb_json {
        let item: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if !item.is_object() {
            return Err("an item is a JSON object".into());
        }
        item
    } else {
        item_to_wire(&plain_item(text)?)
    };
    let mut request = json!({"TableName": table, "Item": item});
    let (partition, _) = key_fields(description, "");
    if new && !partition.name.is_empty() {
        request["ConditionExpression"] = json!("attribute_not_exists(#pk)");
        request["ExpressionAttributeNames"] = json!({"#pk": partition.name});
    }
    Ok(request)
}

/// The keys of a stream record (its `dynamodb.Keys`) as compact plain JSON: `{"id":"6421680"}`.
pub fn record_keys(record: &Value) -> String {
    value_to_plain(&json!({"M": record["dynamodb"]["Keys"]})).unwrap_or_default()
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::World;

    fn key(name: &str, kind: &str) -> KeyField {
        KeyField { name: name.into(), kind: kind.into() }
    }

    #[test]
    fn the_create_form_sends_a_create_table_that_works() {
        let form = CreateTableForm {
            name: "Music".into(),
            partition: key("Artist", "S"),
            sort: key("SongTitle", "S"),
            on_demand: false,
            read_units: "5".into(),
            write_units: "5".into(),
            stream: "NEW_AND_OLD_IMAGES".into(),
            indexes: vec![
                IndexForm {
                    global: true,
                    name: "ByAlbum".into(),
                    partition: key("AlbumTitle", "S"),
                    sort: key("Awards", "N"),
                    projection: "KEYS_ONLY".into(),
                },
                IndexForm {
                    global: false,
                    name: "ByYear".into(),
                    partition: key("", ""),
                    sort: key("Year", "N"),
                    projection: String::new(),
                },
            ],
        };
        let request = form.request().unwrap();
        insta::assert_snapshot!(serde_json::to_string_pretty(&request).unwrap());
        let mut world = World::default();
        let created = world.call("dynamodb", "CreateTable", &request).unwrap();
        assert_eq!(created["TableDescription"]["GlobalSecondaryIndexes"][0]["IndexName"], "ByAlbum");
        let bad = CreateTableForm { read_units: "five".into(), ..form };
        assert_eq!(bad.request().unwrap_err(), "Read capacity units: `five` is not a whole number");
    }

    /// Sends each request to `world` and writes it, with its outcome, as a readable transcript.
    fn transcript(world: &mut World, requests: &[(&str, Value)]) -> String {
        let mut out = String::new();
        for (action, request) in requests {
            let outcome = match world.call("dynamodb", action, request) {
                Ok(_) => "ok".to_string(),
                Err(err) => format!("{}: {}", err.code, err.message),
            };
            out += &format!("{action} {} -> {outcome}\n", serde_json::to_string(request).unwrap());
            world.advance(10).unwrap();
        }
        out
    }

    fn describe(world: &World, table: &str) -> (Value, Value) {
        let request = json!({"TableName": table});
        let d = world.read("dynamodb", "DescribeTable", &request).unwrap()["Table"].clone();
        let ttl = world.read("dynamodb", "DescribeTimeToLive", &request).unwrap()["TimeToLiveDescription"].clone();
        (d, ttl)
    }

    /// Every request the overview and the items tab send, built here, accepted by DynamoDB.
    #[test]
    fn the_overview_and_the_items_tab_send_requests_that_work() {
        let mut world = World::default();
        let create = CreateTableForm {
            name: "Music".into(),
            partition: key("Artist", "S"),
            sort: key("SongTitle", "S"),
            on_demand: true,
            ..CreateTableForm::default()
        };
        world.call("dynamodb", "CreateTable", &create.request().unwrap()).unwrap();
        world.advance(10).unwrap();
        let (d, ttl) = describe(&world, "Music");
        let settings = CapacityForm::from_description(&d);
        assert_eq!(settings, CapacityForm { on_demand: true, read_units: "5".into(), write_units: "5".into() });
        assert_eq!(capacity_label(&d), "On-demand");
        assert_eq!(new_item_text(&d), "{\n  \"Artist\": \"\",\n  \"SongTitle\": \"\"\n}");
        let provisioned = CapacityForm { on_demand: false, ..settings.clone() }.request("Music").unwrap();
        let arn = d["TableArn"].as_str().unwrap().to_string();
        let item = r#"{"Artist": "Acme Band", "SongTitle": "Happy Day", "Awards": 12345678901234567890123}"#;
        let put = put_item_request("Music", &d, item, false, true).unwrap();
        let steps = [
            ("UpdateTable", provisioned),
            ("UpdateTable", stream_request("Music", Some("NEW_AND_OLD_IMAGES"))),
            ("UpdateTable", stream_request("Music", None)),
            ("UpdateTimeToLive", ttl_request("Music", true, " expiresAt ", &ttl)),
            ("TagResource", tag_request(&arn, "course", "fcj")),
            ("UntagResource", untag_request(&arn, "course")),
            ("PutItem", put.clone()),
            ("PutItem", put),
        ];
        let mut out = transcript(&mut world, &steps);
        let (d, ttl) = describe(&world, "Music");
        assert_eq!(capacity_label(&d), "Provisioned (5 RCU, 5 WCU)");
        assert!(!CapacityForm::from_description(&d).on_demand);
        let stored = world.call("dynamodb", "Scan", &json!({"TableName": "Music"})).unwrap()["Items"][0].clone();
        assert_eq!(stored["Awards"], json!({"N": "12345678901234567890123"}));
        // DynamoDB takes one TTL change per table per hour.
        world.advance(3600).unwrap();
        out += &transcript(
            &mut world,
            &[
                ("UpdateTimeToLive", ttl_request("Music", false, "typed-but-ignored", &ttl)),
                (
                    "PutItem",
                    put_item_request("Music", &d, r#"{"Artist": {"S": "A"}, "SongTitle": {"S": "B"}}"#, true, false)
                        .unwrap(),
                ),
                ("DeleteItem", delete_item_request("Music", &d, &stored)),
                ("DeleteTable", delete_table_request("Music")),
            ],
        );
        insta::assert_snapshot!(out);
        assert_eq!(
            CapacityForm { on_demand: false, read_units: "x".into(), write_units: "1".into() }
                .request("T")
                .unwrap_err(),
            "Read capacity units: `x` is not a whole number"
        );
        assert_eq!(put_item_request("Music", &d, "[1]", true, false).unwrap_err(), "an item is a JSON object");
        assert_eq!(record_keys(&json!({"dynamodb": {"Keys": {"id": {"S": "6421680"}}}})), r#"{"id":"6421680"}"#);
    }

    #[test]
    fn key_fields_follow_the_table_or_index() {
        let mut world = World::default();
        world
            .call("dynamodb", "CreateTable", &json!({"TableName": "Music", "BillingMode": "PAY_PER_REQUEST",
                "AttributeDefinitions": [{"AttributeName": "Artist", "AttributeType": "S"}, {"AttributeName": "Awards", "AttributeType": "N"}],
                "KeySchema": [{"AttributeName": "Artist", "KeyType": "HASH"}],
                "GlobalSecondaryIndexes": [{"IndexName": "ByAwards", "Projection": {"ProjectionType": "ALL"},
                    "KeySchema": [{"AttributeName": "Awards", "KeyType": "HASH"}, {"AttributeName": "Artist", "KeyType": "RANGE"}]}]}))
            .unwrap();
        let d = &world.read("dynamodb", "DescribeTable", &json!({"TableName": "Music"})).unwrap()["Table"];
        assert_eq!(key_fields(d, ""), (key("Artist", "S"), KeyField::default()));
        assert_eq!(key_fields(d, "ByAwards"), (key("Awards", "N"), key("Artist", "S")));
        assert_eq!(key_fields(d, "Nope"), (KeyField::default(), KeyField::default()));
    }

    #[test]
    fn the_read_form_builds_queries_and_scans() {
        let mut form = ReadForm {
            table: "Music".into(),
            query: true,
            partition: key("Artist", "S"),
            sort: key("SongTitle", "S"),
            partition_value: "Acme Band".into(),
            sort_op: "begins_with".into(),
            sort_value: "Happy".into(),
            filters: vec![FilterForm {
                attribute: "Year".into(),
                op: ">".into(),
                kind: "N".into(),
                value: "2000".into(),
                value2: String::new(),
            }],
            projection: "SongTitle, Year".into(),
            descending: true,
            limit: "10".into(),
            ..ReadForm::default()
        };
        insta::assert_snapshot!(serde_json::to_string_pretty(&form.request().unwrap()).unwrap());
        form.query = false;
        form.filters[0].op = "exists".into();
        form.projection.clear();
        form.limit = "x".into();
        assert_eq!(form.request().unwrap_err(), "Limit: `x` is not a whole number");
        form.limit.clear();
        assert_eq!(
            form.request().unwrap(),
            json!({"TableName": "Music", "ReturnConsumedCapacity": "TOTAL", "FilterExpression": "attribute_exists(#Year)",
                "ExpressionAttributeNames": {"#Year": "Year"}})
        );
    }

    #[test]
    fn the_editor_toggles_between_plain_and_dynamodb_json() {
        let plain = r#"{"Artist": "Acme Band", "Awards": 10, "Live": true, "Tags": ["a", 1], "Meta": {"x": null}}"#;
        let wire = plain_to_dynamodb(plain).unwrap();
        let value: Value = serde_json::from_str(&wire).unwrap();
        assert_eq!(
            value,
            json!({"Artist": {"S": "Acme Band"}, "Awards": {"N": "10"}, "Live": {"BOOL": true},
                "Tags": {"L": [{"S": "a"}, {"N": "1"}]}, "Meta": {"M": {"x": {"NULL": true}}}})
        );
        let back: Value = serde_json::from_str(&dynamodb_to_plain(&wire).unwrap()).unwrap();
        assert_eq!(back, serde_json::from_str::<Value>(plain).unwrap());
        assert_eq!(
            dynamodb_to_plain(r#"{"S": {"SS": ["a"]}}"#).unwrap_err(),
            "S: SS values have no plain JSON form; use DynamoDB JSON"
        );
        assert_eq!(
            dynamodb_to_plain(r#"{"n": {"N": "12345678901234567890123"}}"#).unwrap(),
            "{\n  \"n\": 12345678901234567890123\n}"
        );
        assert_eq!(plain_to_dynamodb("[1]").unwrap_err(), "an item is a JSON object");
        assert_eq!(value_to_plain(&json!({"M": {"id": {"N": "7"}}})), Ok(r#"{"id":7}"#.into()));
        assert!(value_to_plain(&json!({"SS": ["a"]})).is_err());
        assert!(dynamodb_to_plain(r#"{"a": {"Q": "1"}}"#).unwrap_err().starts_with("ParamValidation"));
    }
}
