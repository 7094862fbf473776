//! Secondary indexes: definitions, sparse entries, projections, queries and scans, paging, and
//! index keys checked on writes.

use lab_core::World;
use proptest::prelude::*;
use serde_json::{json, Value};

fn call(world: &mut World, action: &str, request: Value) -> Result<Value, String> {
    world.call("dynamodb", action, &request).map_err(|e| format!("{}: {}", e.code, e.message))
}

fn ok(world: &mut World, action: &str, request: Value) -> Value {
    call(world, action, request).unwrap_or_else(|e| panic!("{action}: {e}"))
}

/// Orders by id, with a GSI on status (KEYS_ONLY plus total) and an LSI-capable single-table
/// layout for AppTable.
fn orders() -> World {
    let mut world = World::default();
    ok(
        &mut world,
        "CreateTable",
        json!({
            "TableName": "Orders",
            "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}, {"AttributeName": "status", "AttributeType": "S"}, {"AttributeName": "orderDate", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
            "BillingMode": "PAY_PER_REQUEST",
            "GlobalSecondaryIndexes": [{
                "IndexName": "ByStatus",
                "KeySchema": [{"AttributeName": "status", "KeyType": "HASH"}, {"AttributeName": "orderDate", "KeyType": "RANGE"}],
                "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["total"]},
            }],
        }),
    );
    world.advance(5).unwrap();
    for (id, status, date, total) in [
        ("4514280", Some("PLACED"), "2023-10-01 01:05:54", "162"),
        ("9844720", Some("PLACED"), "2023-10-01 01:49:13", "218"),
        ("6421680", Some("COMPLETE"), "2023-10-01 20:39:08", "146"),
        ("9953371", None, "2023-10-01 00:21:53", "260"),
    ] {
        let mut item =
            json!({"id": {"S": id}, "orderDate": {"S": date}, "total": {"N": total}, "customer": {"S": "x"}});
        if let Some(status) = status {
            item["status"] = json!({"S": status});
        }
        ok(&mut world, "PutItem", json!({"TableName": "Orders", "Item": item}));
    }
    world
}

fn ids(response: &Value) -> Vec<String> {
    response["Items"].as_array().unwrap().iter().map(|i| i["id"]["S"].as_str().unwrap().to_string()).collect()
}

#[test]
fn a_gsi_is_sparse_projected_and_ordered() {
    let mut world = orders();
    let d = ok(&mut world, "DescribeTable", json!({"TableName": "Orders"}));
    let gsi = &d["Table"]["GlobalSecondaryIndexes"][0];
    assert_eq!(gsi["IndexName"], "ByStatus");
    assert_eq!(gsi["IndexStatus"], "ACTIVE");
    assert_eq!(gsi["ItemCount"], 3, "the order without a status is not in the index");
    assert_eq!(gsi["IndexArn"], "arn:aws:dynamodb:ap-southeast-1:123456789012:table/Orders/index/ByStatus");
    let placed = ok(
        &mut world,
        "Query",
        json!({"TableName": "Orders", "IndexName": "ByStatus", "KeyConditionExpression": "#s = :s", "ExpressionAttributeNames": {"#s": "status"}, "ExpressionAttributeValues": {":s": {"S": "PLACED"}}}),
    );
    assert_eq!(ids(&placed), ["4514280", "9844720"], "sorted by orderDate");
    let first = &placed["Items"][0];
    assert_eq!(
        first.as_object().unwrap().keys().cloned().collect::<Vec<_>>(),
        ["id", "orderDate", "status", "total"],
        "keys and INCLUDE attributes only"
    );
    let scan = ok(&mut world, "Scan", json!({"TableName": "Orders", "IndexName": "ByStatus"}));
    assert_eq!(scan["Count"], 3);
    let backwards = ok(
        &mut world,
        "Query",
        json!({"TableName": "Orders", "IndexName": "ByStatus", "KeyConditionExpression": "#s = :s AND orderDate < :d", "ExpressionAttributeNames": {"#s": "status"}, "ExpressionAttributeValues": {":s": {"S": "PLACED"}, ":d": {"S": "2023-10-01 02"}}, "ScanIndexForward": false}),
    );
    assert_eq!(ids(&backwards), ["9844720", "4514280"]);
}

#[test]
fn index_reads_refuse_what_dynamodb_refuses() {
    let mut world = orders();
    let q = |extra: Value| {
        let mut r = json!({"TableName": "Orders", "IndexName": "ByStatus", "KeyConditionExpression": "#s = :s", "ExpressionAttributeNames": {"#s": "status"}, "ExpressionAttributeValues": {":s": {"S": "PLACED"}}});
        for (k, v) in extra.as_object().unwrap() {
            r[k] = v.clone();
        }
        r
    };
    assert_eq!(
        call(&mut world, "Query", q(json!({"ConsistentRead": true}))).unwrap_err(),
        "ValidationException: Consistent reads are not supported on global secondary indexes"
    );
    assert_eq!(call(&mut world, "Query", q(json!({"Select": "ALL_ATTRIBUTES"}))).unwrap_err(), "ValidationException: One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index ByStatus because its projection type is not ALL");
    assert_eq!(
        call(&mut world, "Query", q(json!({"IndexName": "Nope"}))).unwrap_err(),
        "ValidationException: The table does not have the specified index: Nope"
    );
    assert_eq!(
        call(&mut world, "Query", json!({"TableName": "Orders", "IndexName": "ByStatus", "KeyConditionExpression": "id = :s", "ExpressionAttributeValues": {":s": {"S": "1"}}})).unwrap_err(),
        "ValidationException: Query condition missed key schema element: status"
    );
    assert!(call(&mut world, "Query", q(json!({"Select": "ALL_PROJECTED_ATTRIBUTES"}))).is_ok());
}

#[test]
fn writes_check_index_key_types() {
    let mut world = orders();
    assert_eq!(
        call(&mut world, "PutItem", json!({"TableName": "Orders", "Item": {"id": {"S": "1"}, "status": {"N": "1"}}})).unwrap_err(),
        "ValidationException: One or more parameter values were invalid: Type mismatch for Index Key status Expected: S Actual: N IndexName: ByStatus"
    );
    assert_eq!(
        call(&mut world, "PutItem", json!({"TableName": "Orders", "Item": {"id": {"S": "1"}, "status": {"S": ""}}})).unwrap_err(),
        "ValidationException: One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: ByStatus, IndexKey: status"
    );
    assert_eq!(
        call(&mut world, "UpdateItem", json!({"TableName": "Orders", "Key": {"id": {"S": "4514280"}}, "UpdateExpression": "SET #s = :n", "ExpressionAttributeNames": {"#s": "status"}, "ExpressionAttributeValues": {":n": {"N": "1"}}})).unwrap_err(),
        "ValidationException: The update expression attempted to update the secondary index key to unsupported type"
    );
}

#[test]
fn indexes_are_added_and_removed_on_the_clock() {
    let mut world = orders();
    let update = ok(
        &mut world,
        "UpdateTable",
        json!({
            "TableName": "Orders",
            "AttributeDefinitions": [{"AttributeName": "customer", "AttributeType": "S"}],
            "GlobalSecondaryIndexUpdates": [{"Create": {"IndexName": "ByCustomer", "KeySchema": [{"AttributeName": "customer", "KeyType": "HASH"}], "Projection": {"ProjectionType": "KEYS_ONLY"}}}],
        }),
    );
    let created = update["TableDescription"]["GlobalSecondaryIndexes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["IndexName"] == "ByCustomer")
        .unwrap()
        .clone();
    assert_eq!(created["IndexStatus"], "CREATING");
    assert_eq!(created["Backfilling"], true);
    let query = json!({"TableName": "Orders", "IndexName": "ByCustomer", "KeyConditionExpression": "customer = :c", "ExpressionAttributeValues": {":c": {"S": "x"}}});
    assert!(call(&mut world, "Query", query.clone()).unwrap_err().contains("does not have the specified index"));
    world.advance(5).unwrap();
    assert_eq!(ok(&mut world, "Query", query.clone())["Count"], 4, "backfilled from existing items");
    ok(
        &mut world,
        "UpdateTable",
        json!({"TableName": "Orders", "GlobalSecondaryIndexUpdates": [{"Delete": {"IndexName": "ByCustomer"}}]}),
    );
    world.advance(5).unwrap();
    let d = ok(&mut world, "DescribeTable", json!({"TableName": "Orders"}));
    assert_eq!(d["Table"]["GlobalSecondaryIndexes"].as_array().unwrap().len(), 1);
    assert!(!d["Table"]["AttributeDefinitions"].to_string().contains("customer"));
}

#[test]
fn create_table_index_validation() {
    let mut world = World::default();
    let base = |extra: Value| {
        let mut r = json!({"TableName": "Tab1", "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "g", "AttributeType": "S"}], "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}], "BillingMode": "PAY_PER_REQUEST"});
        for (k, v) in extra.as_object().unwrap() {
            r[k] = v.clone();
        }
        r
    };
    let gsi = json!([{"IndexName": "Gsi", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}], "Projection": {"ProjectionType": "ALL"}}]);
    assert_eq!(call(&mut world, "CreateTable", base(json!({}))).unwrap_err(), "ValidationException: One or more parameter values were invalid: Some AttributeDefinitions are not used. AttributeDefinitions: [g, pk], keys used: [pk]");
    assert_eq!(
        call(&mut world, "CreateTable", base(json!({"LocalSecondaryIndexes": [{"IndexName": "L", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "g", "KeyType": "RANGE"}], "Projection": {"ProjectionType": "ALL"}}]}))).unwrap_err(),
        "ValidationException: One or more parameter values were invalid: Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex"
    );
    let mut with_throughput = gsi.clone();
    with_throughput[0]["ProvisionedThroughput"] = json!({"ReadCapacityUnits": 1, "WriteCapacityUnits": 1});
    assert_eq!(
        call(&mut world, "CreateTable", base(json!({"GlobalSecondaryIndexes": with_throughput}))).unwrap_err(),
        "ValidationException: One or more parameter values were invalid: ProvisionedThroughput should not be specified for index: Gsi when BillingMode is PAY_PER_REQUEST"
    );
    let mut include_without = gsi.clone();
    include_without[0]["Projection"] = json!({"ProjectionType": "INCLUDE"});
    assert_eq!(
        call(&mut world, "CreateTable", base(json!({"GlobalSecondaryIndexes": include_without}))).unwrap_err(),
        "ValidationException: One or more parameter values were invalid: ProjectionType is INCLUDE, but NonKeyAttributes is not specified"
    );
    let mut short = gsi.clone();
    short[0]["IndexName"] = json!("G");
    assert_eq!(
        call(&mut world, "CreateTable", base(json!({"GlobalSecondaryIndexes": short}))).unwrap_err(),
        "ValidationException: 1 validation error detected: Value 'G' at 'indexName' failed to satisfy constraint: Member must have length greater than or equal to 3"
    );
    assert!(call(&mut world, "CreateTable", base(json!({"GlobalSecondaryIndexes": gsi}))).is_ok());
}

#[test]
fn a_local_index_sorts_the_partition_another_way() {
    let mut world = World::default();
    ok(
        &mut world,
        "CreateTable",
        json!({
            "TableName": "AppTable",
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "S"}, {"AttributeName": "total", "AttributeType": "N"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            "LocalSecondaryIndexes": [{"IndexName": "ByTotal", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "total", "KeyType": "RANGE"}], "Projection": {"ProjectionType": "ALL"}}],
            "BillingMode": "PAY_PER_REQUEST",
        }),
    );
    world.advance(5).unwrap();
    for (sk, total) in [("ORDER#1", "30"), ("ORDER#2", "10"), ("ORDER#3", "20"), ("PROFILE", "")] {
        let mut item = json!({"pk": {"S": "CUSTOMER#1"}, "sk": {"S": sk}});
        if !total.is_empty() {
            item["total"] = json!({"N": total});
        }
        ok(&mut world, "PutItem", json!({"TableName": "AppTable", "Item": item}));
    }
    let r = ok(
        &mut world,
        "Query",
        json!({"TableName": "AppTable", "IndexName": "ByTotal", "KeyConditionExpression": "pk = :p AND #t >= :t", "ExpressionAttributeNames": {"#t": "total"}, "ExpressionAttributeValues": {":p": {"S": "CUSTOMER#1"}, ":t": {"N": "15"}}, "ConsistentRead": true}),
    );
    let order: Vec<&str> = r["Items"].as_array().unwrap().iter().map(|i| i["sk"]["S"].as_str().unwrap()).collect();
    assert_eq!(order, ["ORDER#3", "ORDER#1"]);
    let d = ok(&mut world, "DescribeTable", json!({"TableName": "AppTable"}));
    assert_eq!(d["Table"]["LocalSecondaryIndexes"][0]["ItemCount"], 3);
}

proptest! {
    /// Paging through an index with Limit and LastEvaluatedKey gives the one-read result.
    #[test]
    fn index_pages_joined_equal_one_read(limit in 1u64..4, forward in any::<bool>(), scan in any::<bool>()) {
        let mut world = orders();
        let mut request = if scan {
            json!({"TableName": "Orders", "IndexName": "ByStatus"})
        } else {
            json!({"TableName": "Orders", "IndexName": "ByStatus", "KeyConditionExpression": "#s = :s", "ExpressionAttributeNames": {"#s": "status"}, "ExpressionAttributeValues": {":s": {"S": "PLACED"}}, "ScanIndexForward": forward})
        };
        let action = if scan { "Scan" } else { "Query" };
        let whole = ok(&mut world, action, request.clone())["Items"].clone();
        request["Limit"] = json!(limit);
        let mut joined = Vec::new();
        for _ in 0..10 {
            let page = ok(&mut world, action, request.clone());
            joined.extend(page["Items"].as_array().unwrap().iter().cloned());
            match page.get("LastEvaluatedKey") {
                Some(key) => {
                    prop_assert!(key.get("id").is_some() && key.get("status").is_some() && key.get("orderDate").is_some(), "{key}");
                    request["ExclusiveStartKey"] = key.clone();
                }
                None => break,
            }
        }
        prop_assert_eq!(Value::Array(joined), whole);
    }
}

#[test]
fn index_writes_and_reads_are_counted() {
    let mut world = orders();
    let put = ok(
        &mut world,
        "PutItem",
        json!({"TableName": "Orders", "Item": {"id": {"S": "1"}, "status": {"S": "PLACED"}, "orderDate": {"S": "2023-10-02"}}, "ReturnConsumedCapacity": "INDEXES"}),
    );
    assert_eq!(
        put["ConsumedCapacity"],
        json!({"TableName": "Orders", "CapacityUnits": 2.0, "Table": {"CapacityUnits": 1.0}, "GlobalSecondaryIndexes": {"ByStatus": {"CapacityUnits": 1.0}}})
    );
    // Changing the index key moves the entry: a delete and a put in the index.
    let update = ok(
        &mut world,
        "UpdateItem",
        json!({"TableName": "Orders", "Key": {"id": {"S": "1"}}, "UpdateExpression": "SET #s = :s", "ExpressionAttributeNames": {"#s": "status"}, "ExpressionAttributeValues": {":s": {"S": "COMPLETE"}}, "ReturnConsumedCapacity": "TOTAL"}),
    );
    assert_eq!(update["ConsumedCapacity"], json!({"TableName": "Orders", "CapacityUnits": 3.0}));
    // An item outside the index costs the table only.
    let sparse = ok(
        &mut world,
        "PutItem",
        json!({"TableName": "Orders", "Item": {"id": {"S": "2"}}, "ReturnConsumedCapacity": "TOTAL"}),
    );
    assert_eq!(sparse["ConsumedCapacity"]["CapacityUnits"], 1.0);
    let query = ok(
        &mut world,
        "Query",
        json!({"TableName": "Orders", "IndexName": "ByStatus", "KeyConditionExpression": "#s = :s", "ExpressionAttributeNames": {"#s": "status"}, "ExpressionAttributeValues": {":s": {"S": "PLACED"}}, "ReturnConsumedCapacity": "INDEXES"}),
    );
    assert_eq!(
        query["ConsumedCapacity"],
        json!({"TableName": "Orders", "CapacityUnits": 0.5, "GlobalSecondaryIndexes": {"ByStatus": {"CapacityUnits": 0.5}}})
    );
}
