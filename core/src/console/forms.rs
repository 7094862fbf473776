//! The console's forms, turned into the exact API requests they send.
//!
//! The UI shows each request before and after sending it, so a learner sees the API behind every
//! button: what the console does is what `aws dynamodb ... --cli-input-json` would do.

use crate::dynamodb::model::{AttributeValue, Item};
use crate::dynamodb::number::Number;
use crate::dynamodb::probe::from_plain;
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

/// Plain JSON (what the item editor shows by default) as DynamoDB JSON: strings are S, numbers
/// N, booleans BOOL, null NULL, arrays L and objects M. The editor's toggle uses this.
pub fn plain_to_dynamodb(text: &str) -> Result<String, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let Value::Object(map) = &value else { return Err("an item is a JSON object".into()) };
    for (name, v) in map {
        if let Value::Number(n) = v {
            if Number::parse(&n.to_string()).is_err() {
                return Err(format!("{name}: {n} is outside the numbers DynamoDB can store"));
            }
        }
    }
    let AttributeValue::M(item) = from_plain(&value) else { unreachable!("an object is a map") };
    Ok(pretty(&crate::dynamodb::model::item_to_wire(&item)))
}

/// DynamoDB JSON as plain JSON. Sets and binary values have no plain JSON form, and numbers
/// beyond a double's precision would change: those items stay in DynamoDB JSON.
pub fn dynamodb_to_plain(text: &str) -> Result<String, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let Value::Object(map) = &value else { return Err("an item is a JSON object".into()) };
    let item: Item =
        crate::dynamodb::model::item_from_wire(map, "Item").map_err(|e| format!("{}: {}", e.code, e.message))?;
    let plain = Value::Object(
        item.iter()
            .map(|(k, v)| Ok((k.clone(), to_plain(v).map_err(|why| format!("{k}: {why}"))?)))
            .collect::<Result<_, String>>()?,
    );
    Ok(pretty(&plain))
}

/// One DynamoDB JSON value (`{"M": {...}}`, `{"SS": [...]}`...) as plain JSON, or why it has none.
pub fn value_to_plain(value: &Value) -> Result<Value, String> {
    let attribute = AttributeValue::from_wire(value, "value").map_err(|e| format!("{}: {}", e.code, e.message))?;
    to_plain(&attribute)
}

fn to_plain(value: &AttributeValue) -> Result<Value, String> {
    Ok(match value {
        AttributeValue::S(s) => json!(s),
        AttributeValue::N(n) => {
            let text = n.to_string();
            let parsed: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
            match Number::parse(&parsed.to_string()) {
                Ok(back) if back.to_string() == text => parsed,
                _ => return Err(format!("{text} has more digits than plain JSON keeps; use DynamoDB JSON")),
            }
        }
        AttributeValue::Bool(b) => json!(b),
        AttributeValue::Null => Value::Null,
        AttributeValue::M(m) => {
            Value::Object(m.iter().map(|(k, v)| Ok((k.clone(), to_plain(v)?))).collect::<Result<_, String>>()?)
        }
        AttributeValue::L(l) => Value::Array(l.iter().map(to_plain).collect::<Result<_, _>>()?),
        AttributeValue::B(_) | AttributeValue::Ss(_) | AttributeValue::Ns(_) | AttributeValue::Bs(_) => {
            return Err(format!("{} values have no plain JSON form; use DynamoDB JSON", value.type_name()))
        }
    })
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
        assert!(dynamodb_to_plain(r#"{"n": {"N": "12345678901234567890123"}}"#).unwrap_err().contains("more digits"));
        assert_eq!(plain_to_dynamodb("[1]").unwrap_err(), "an item is a JSON object");
        assert_eq!(value_to_plain(&json!({"M": {"id": {"N": "7"}}})), Ok(json!({"id": 7})));
        assert!(value_to_plain(&json!({"SS": ["a"]})).is_err());
        assert!(dynamodb_to_plain(r#"{"a": {"Q": "1"}}"#).unwrap_err().starts_with("ParamValidation"));
    }
}
