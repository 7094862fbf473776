//! Read models for the consoles: what the UI shows of the account between the learner's calls.
//!
//! Like the AWS console's pages, these are built from the service's own read operations
//! (DescribeTable, DescribeTimeToLive, ListTagsOfResource), from CloudWatch-style metrics and from
//! the stream, but running them here records nothing: the timeline shows only what the learner
//! did. Everything the learner *does* in a console (create a table, put an item, run a query) is
//! a real API call, recorded like any other.
//!
//! There is one [`ReadModel`] per service that has a console, built only for the services a page
//! shows ([`read_model`]), and [`read_model_stamp`] says when one needs no rebuilding.

pub mod forms;
pub mod hints;
pub mod menu;
pub mod plain;

use crate::clock::Millis;
use crate::observed::Event;
use crate::world::World;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// How many of a stream's newest records the console carries.
pub const STREAM_RECORDS_SHOWN: usize = 100;
/// How many minutes the capacity graph covers, ending now.
pub const CAPACITY_MINUTES: u64 = 60;

/// The DynamoDB console's view of one table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TableView {
    pub name: String,
    /// DescribeTable's `Table`.
    pub description: Value,
    /// DescribeTimeToLive's `TimeToLiveDescription`.
    pub ttl: Value,
    /// ListTagsOfResource's `Tags`.
    pub tags: Value,
    /// One point per minute for the last [`CAPACITY_MINUTES`] minutes, oldest first.
    pub capacity: Vec<CapacityPoint>,
    /// The newest records of the table's latest stream, oldest first, as GetRecords returns them.
    pub stream_records: Vec<Value>,
    /// How many records that stream keeps in all.
    pub stream_total: usize,
}

/// One minute of the capacity graph.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CapacityPoint {
    /// The minute's start (virtual time).
    pub at_ms: Millis,
    /// Units consumed in the minute.
    pub read: f64,
    pub write: f64,
    /// Provisioned units per second during the minute; `None` for on-demand.
    pub provisioned: Option<(u64, u64)>,
    /// Requests refused with ProvisionedThroughputExceededException in the minute.
    pub read_throttled: u32,
    pub write_throttled: u32,
}

/// What one service's console shows: one variant per service with a console. Externally tagged
/// (`{"dynamodb": {...}}`): an internally tagged enum would make serde compile a second, buffered
/// deserializer of every table view into the UI's wasm.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReadModel {
    /// The DynamoDB console: every table, by name.
    Dynamodb { tables: Vec<TableView> },
}

impl ReadModel {
    /// The SDK id of the service whose console this is.
    pub fn service(&self) -> &'static str {
        match self {
            ReadModel::Dynamodb { .. } => "dynamodb",
        }
    }
}

/// The services that have a read model, each with the services whose calls can change it.
const READ_MODELS: &[(&str, &[&str])] = &[("dynamodb", &["dynamodb", "dynamodbstreams"])];

/// The read model of `service`'s console, or `None` for a service without a console.
pub fn read_model(world: &World, service: &str) -> Option<ReadModel> {
    match service {
        "dynamodb" => Some(ReadModel::Dynamodb { tables: dynamodb_tables(world) }),
        _ => None,
    }
}

/// What `service`'s read model depends on, in two numbers: the virtual time (tables becoming
/// ACTIVE, the capacity graph's window) and the newest Observed event that could change it (a call
/// to, or an effect on, one of the services it reads). Equal stamps, equal read models, so a
/// front end rebuilds only when the stamp moves. `None` for a service without a read model.
pub fn read_model_stamp(world: &World, service: &str) -> Option<(Millis, Option<u64>)> {
    let (_, reads) = READ_MODELS.iter().find(|(s, _)| *s == service)?;
    let newest = world.observed().events().rev().find(|e| match &e.event {
        Event::Call { service, .. } => reads.contains(&service.as_str()),
        Event::Effect { to, .. } => reads.contains(&to.as_str()),
        Event::Answer { .. } | Event::Advance { .. } => false,
    });
    Some((world.clock().now_ms(), newest.map(|e| e.seq)))
}

/// Every table of the account, by name.
pub fn dynamodb_tables(world: &World) -> Vec<TableView> {
    let now = world.clock().now_ms();
    let throttles = throttles(world);
    world
        .dynamodb
        .tables
        .values()
        .map(|table| {
            let request = json!({"TableName": table.name});
            let description = world.read("dynamodb", "DescribeTable", &request).map(|r| r["Table"].clone());
            let ttl =
                world.read("dynamodb", "DescribeTimeToLive", &request).map(|r| r["TimeToLiveDescription"].clone());
            let tags = world
                .read("dynamodb", "ListTagsOfResource", &json!({"ResourceArn": table.arn}))
                .map(|r| r["Tags"].clone());
            let records = world.dynamodb.stream_records(&table.name, now, &world.account.region);
            let stream_total = records.len();
            let current = table.billing.provisioned();
            let this_minute = now - now % 60_000;
            let first = this_minute.saturating_sub((CAPACITY_MINUTES - 1) * 60_000);
            let mut provisioned =
                table.metrics.minutes.range(..first).next_back().map_or(current, |(_, m)| m.provisioned);
            let capacity = (0..CAPACITY_MINUTES)
                .map(|i| first + i * 60_000)
                .filter(|at| *at >= table.created_ms - table.created_ms % 60_000)
                .map(|at_ms| {
                    let metric = table.metrics.minutes.get(&at_ms);
                    if let Some(m) = metric {
                        provisioned = m.provisioned;
                    }
                    if at_ms == this_minute {
                        provisioned = current;
                    }
                    let (read_throttled, write_throttled) =
                        throttles.get(&(table.name.clone(), at_ms)).copied().unwrap_or_default();
                    CapacityPoint {
                        at_ms,
                        read: metric.map_or(0.0, |m| m.read),
                        write: metric.map_or(0.0, |m| m.write),
                        provisioned,
                        read_throttled,
                        write_throttled,
                    }
                })
                .collect();
            TableView {
                name: table.name.clone(),
                description: description.unwrap_or(Value::Null),
                ttl: ttl.unwrap_or(Value::Null),
                tags: tags.unwrap_or(Value::Null),
                capacity,
                stream_records: records[stream_total.saturating_sub(STREAM_RECORDS_SHOWN)..].to_vec(),
                stream_total,
            }
        })
        .collect()
}

/// Throttled requests per (table, minute): (reads, writes), from the Observed log.
fn throttles(world: &World) -> BTreeMap<(String, Millis), (u32, u32)> {
    let mut counts = BTreeMap::new();
    for event in world.observed().events() {
        let Event::Call { service, action, request, error: Some(error), .. } = &event.event else { continue };
        if service != "dynamodb" || error.code != "ProvisionedThroughputExceededException" {
            continue;
        }
        let read = matches!(action.as_str(), "GetItem" | "Query" | "Scan" | "BatchGetItem" | "TransactGetItems");
        let minute = event.at_ms - event.at_ms % 60_000;
        for table in tables_named(&request.value()) {
            let entry: &mut (u32, u32) = counts.entry((table, minute)).or_default();
            if read {
                entry.0 += 1;
            } else {
                entry.1 += 1;
            }
        }
    }
    counts
}

/// The tables a DynamoDB request names: TableName, the keys of RequestItems, or the TableName of
/// each TransactItems entry.
fn tables_named(request: &Value) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    if let Some(name) = request["TableName"].as_str() {
        names.push(name.to_string());
    }
    if let Some(items) = request["RequestItems"].as_object() {
        names.extend(items.keys().cloned());
    }
    if let Some(list) = request["TransactItems"].as_array() {
        for entry in list.iter().filter_map(Value::as_object) {
            names.extend(entry.values().filter_map(|op| op["TableName"].as_str().map(str::to_string)));
        }
    }
    names.sort();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::WorldConfig;

    fn call(world: &mut World, action: &str, request: Value) -> Result<Value, String> {
        world.call("dynamodb", action, &request).map_err(|e| e.code)
    }

    #[test]
    fn the_console_sees_tables_metrics_throttles_and_streams() {
        let mut world = World::new(&WorldConfig { start_ms: 1_700_000_000_000, ..WorldConfig::default() });
        call(
            &mut world,
            "CreateTable",
            json!({"TableName": "Orders", "BillingMode": "PROVISIONED",
                "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
                "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
                "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
                "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"},
                "Tags": [{"Key": "course", "Value": "fcj"}]}),
        )
        .unwrap();
        world.advance(6).unwrap();
        let put = |i: u32| json!({"TableName": "Orders", "Item": {"id": {"S": format!("{i}")}}});
        let outcomes: Vec<_> = (0..12).map(|i| call(&mut world, "PutItem", put(i))).collect();
        let written = outcomes.iter().filter(|o| o.is_ok()).count();
        assert!(written < 12, "some writes are throttled: {outcomes:?}");
        let reads =
            call(&mut world, "Scan", json!({"TableName": "Orders", "ReturnConsumedCapacity": "TOTAL"})).unwrap();
        let recorded = world.observed().total();
        let views = dynamodb_tables(&world);
        assert_eq!(world.observed().total(), recorded, "reading the console records nothing");
        assert_eq!(views.len(), 1);
        let orders = &views[0];
        assert_eq!(orders.description["TableStatus"], "ACTIVE");
        assert_eq!(orders.tags, json!([{"Key": "course", "Value": "fcj"}]));
        assert_eq!(orders.ttl["TimeToLiveStatus"], "DISABLED");
        let last = orders.capacity.last().unwrap();
        assert_eq!(last.at_ms, world.clock().now_ms() - world.clock().now_ms() % 60_000);
        assert_eq!(
            (last.write, last.write_throttled, last.provisioned),
            (written as f64, 12 - written as u32, Some((1, 1)))
        );
        assert_eq!(last.read, reads["ConsumedCapacity"]["CapacityUnits"].as_f64().unwrap());
        assert!(orders.capacity.len() <= CAPACITY_MINUTES as usize);
        assert!(orders.capacity.iter().all(|p| p.provisioned == Some((1, 1))));
        assert_eq!(orders.stream_total, written);
        assert_eq!(orders.stream_records[0]["eventName"], "INSERT");
    }

    /// The stamp moves with the clock and with calls to the services the model reads, and only
    /// then.
    #[test]
    fn read_models_are_per_service_and_stamped() {
        let mut world = World::default();
        let stamp = |world: &World| read_model_stamp(world, "dynamodb").unwrap();
        assert!(read_model(&world, "sts").is_none() && read_model_stamp(&world, "sts").is_none());
        assert_eq!(read_model(&world, "dynamodb"), Some(ReadModel::Dynamodb { tables: Vec::new() }));
        let before = stamp(&world);
        world.call("sts", "GetCallerIdentity", &json!({})).unwrap();
        world.answer("q", "1");
        assert_eq!(stamp(&world), before, "an STS call or an answer leaves DynamoDB's model alone");
        call(&mut world, "DescribeTable", json!({"TableName": "Nope"})).unwrap_err();
        let failed = stamp(&world);
        assert_ne!(failed, before, "a failed DynamoDB call may be a throttle, which the model shows");
        world.advance(1).unwrap();
        assert_ne!(stamp(&world), failed, "the clock moved");
        let model = read_model(&world, "dynamodb").unwrap();
        assert_eq!(model.service(), "dynamodb");
        assert_eq!(serde_json::to_value(&model).unwrap(), json!({"dynamodb": {"tables": []}}));
    }

    #[test]
    fn requests_name_their_tables() {
        assert_eq!(tables_named(&json!({"TableName": "A"})), vec!["A"]);
        assert_eq!(tables_named(&json!({"RequestItems": {"B": [], "A": []}})), vec!["A", "B"]);
        assert_eq!(
            tables_named(&json!({"TransactItems": [{"Put": {"TableName": "A"}}, {"Update": {"TableName": "C"}}]})),
            vec!["A", "C"]
        );
    }
}
