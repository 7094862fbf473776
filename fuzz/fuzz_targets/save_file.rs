//! Saved progress, worlds and export files: any text is read or reported, never a panic, and a
//! world that reads is usable: its tables and streams answer, its consoles render, its clock runs.
#![no_main]
use lab_core::World;
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(save) = lab_core::lab::progress::read_save_file(text) {
        save.worlds.into_values().for_each(use_world);
    }
    let _ = lab_core::lab::progress::read_progress(text);
    if let Ok(world) = lab_core::lab::progress::read_world(text) {
        use_world(world);
    }
});

/// What the app does with a world it has read: render it, read every table and stream, write to
/// each table, and move the clock a day.
fn use_world(mut world: World) {
    let _ = lab_core::console::dynamodb_tables(&world);
    let tables = world.call("dynamodb", "ListTables", &json!({})).unwrap_or_default();
    for table in names(&tables["TableNames"]) {
        let _ = world.call("dynamodb", "DescribeTable", &json!({"TableName": table}));
        let scan = world.call("dynamodb", "Scan", &json!({"TableName": table})).unwrap_or_default();
        if let Some(item) = scan["Items"].get(0) {
            let _ = world.call("dynamodb", "PutItem", &json!({"TableName": table, "Item": item}));
        }
    }
    let streams = world.call("dynamodbstreams", "ListStreams", &json!({})).unwrap_or_default();
    for stream in streams["Streams"].as_array().into_iter().flatten() {
        let arn = &stream["StreamArn"];
        let described = world.call("dynamodbstreams", "DescribeStream", &json!({"StreamArn": arn})).unwrap_or_default();
        for shard in described["StreamDescription"]["Shards"].as_array().into_iter().flatten() {
            let request = json!({"StreamArn": arn, "ShardId": shard["ShardId"], "ShardIteratorType": "TRIM_HORIZON"});
            let iterator = world.call("dynamodbstreams", "GetShardIterator", &request).unwrap_or_default();
            let _ = world.call("dynamodbstreams", "GetRecords", &json!({"ShardIterator": iterator["ShardIterator"]}));
        }
    }
    let _ = world.advance(86_400);
    let _ = lab_core::console::dynamodb_tables(&world);
}

fn names(list: &Value) -> Vec<String> {
    list.as_array().into_iter().flatten().filter_map(|name| name.as_str().map(str::to_string)).collect()
}
