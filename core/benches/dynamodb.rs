//! DynamoDB throughput through the wire entry point, side by side with dynoxide-rs embedded in
//! the same process, plus the memory a 100,000-item table takes.
//!
//! `cargo bench -p lab-core --bench dynamodb` prints criterion's figures, then a summary of
//! operations per second for both engines (measured in alternating slices) and their ratio, then
//! the memory figure.

use criterion::{black_box, Criterion};
use lab_core::World;
use serde_json::{json, Value};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};
use std::time::Instant;

/// Counts the bytes currently allocated, for the memory figure.
struct Counting;

static ALLOCATED: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATED.fetch_add(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        ALLOCATED.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn create_table() -> Value {
    json!({
        "TableName": "Music",
        "AttributeDefinitions": [{"AttributeName": "Artist", "AttributeType": "S"}, {"AttributeName": "SongTitle", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "Artist", "KeyType": "HASH"}, {"AttributeName": "SongTitle", "KeyType": "RANGE"}],
        "BillingMode": "PAY_PER_REQUEST",
    })
}

fn item(artist: &str, song: usize) -> Value {
    json!({"Artist": {"S": artist}, "SongTitle": {"S": format!("Song {song:05}")}, "AlbumTitle": {"S": "Songs About Life"}, "Year": {"N": "2020"}, "Plays": {"N": "0"}})
}

/// The four operations the issue names, as (name, request).
fn operations() -> Vec<(&'static str, &'static str, Value)> {
    vec![
        ("PutItem", "PutItem", json!({"TableName": "Music", "Item": item("Bench", 7)})),
        (
            "GetItem",
            "GetItem",
            json!({"TableName": "Music", "Key": {"Artist": {"S": "Acme Band"}, "SongTitle": {"S": "Song 00042"}}}),
        ),
        (
            "Query (100 items)",
            "Query",
            json!({"TableName": "Music", "KeyConditionExpression": "Artist = :a", "ExpressionAttributeValues": {":a": {"S": "Acme Band"}}}),
        ),
        (
            "UpdateItem with a condition",
            "UpdateItem",
            json!({
                "TableName": "Music", "Key": {"Artist": {"S": "Acme Band"}, "SongTitle": {"S": "Song 00042"}},
                "UpdateExpression": "SET Plays = Plays + :one", "ConditionExpression": "attribute_exists(Artist) AND Plays >= :zero",
                "ExpressionAttributeValues": {":one": {"N": "1"}, ":zero": {"N": "0"}},
            }),
        ),
    ]
}

/// Both engines with the Music table and 100 songs by Acme Band.
fn engines() -> (World, dynoxide::Database) {
    let mut world = World::default();
    world.call("dynamodb", "CreateTable", &create_table()).unwrap();
    world.advance(5).unwrap();
    let db = dynoxide::Database::memory().unwrap();
    db.create_table(serde_json::from_value(create_table()).unwrap()).unwrap();
    for song in 0..100 {
        let put = json!({"TableName": "Music", "Item": item("Acme Band", song)});
        world.call("dynamodb", "PutItem", &put).unwrap();
        db.put_item(serde_json::from_value(put).unwrap()).unwrap();
    }
    (world, db)
}

/// dynoxide's side of the wire entry point: JSON request in, JSON response out.
fn dynoxide_call(db: &dynoxide::Database, action: &str, request: &Value) -> Value {
    macro_rules! run {
        ($m:ident) => {
            serde_json::to_value(db.$m(serde_json::from_value(request.clone()).unwrap()).unwrap()).unwrap()
        };
    }
    match action {
        "PutItem" => run!(put_item),
        "GetItem" => run!(get_item),
        "Query" => run!(query),
        "UpdateItem" => run!(update_item),
        other => unreachable!("{other}"),
    }
}

fn bench(c: &mut Criterion) {
    let (mut world, db) = engines();
    for (name, action, request) in operations() {
        let mut group = c.benchmark_group(name);
        group.bench_function("serverless-lab", |b| {
            b.iter(|| black_box(world.call("dynamodb", action, &request).unwrap()))
        });
        group.bench_function("dynoxide", |b| b.iter(|| black_box(dynoxide_call(&db, action, &request))));
        group.finish();
    }
}

/// Operations per second of two engines, for the summary table: about a second each, in
/// alternating slices of 50 ms, so that a change in the machine's load (other builds on a shared
/// machine) falls on both engines alike and their ratio stays meaningful.
fn ops_per_second(mut ours: impl FnMut(), mut theirs: impl FnMut()) -> (f64, f64) {
    for _ in 0..200 {
        ours();
        theirs();
    }
    let (mut ops, mut seconds) = ([0u64; 2], [0f64; 2]);
    for _ in 0..20 {
        for (engine, f) in [&mut ours as &mut dyn FnMut(), &mut theirs].into_iter().enumerate() {
            let start = Instant::now();
            while start.elapsed().as_secs_f64() < 0.05 {
                for _ in 0..10 {
                    f();
                }
                ops[engine] += 10;
            }
            seconds[engine] += start.elapsed().as_secs_f64();
        }
    }
    (ops[0] as f64 / seconds[0], ops[1] as f64 / seconds[1])
}

fn summary() {
    let (mut world, db) = engines();
    println!("\nThroughput through the wire entry point (one thread, ops/s; higher is better)");
    println!("{:<30} {:>16} {:>16} {:>8}", "operation", "serverless-lab", "dynoxide-rs", "ratio");
    for (name, action, request) in operations() {
        let (ours, theirs) = ops_per_second(
            || {
                black_box(world.call("dynamodb", action, &request).unwrap());
            },
            || {
                black_box(dynoxide_call(&db, action, &request));
            },
        );
        println!("{name:<30} {ours:>16.0} {theirs:>16.0} {:>7.2}x", ours / theirs);
    }
    let before = ALLOCATED.load(Ordering::Relaxed);
    let mut world = World::default();
    world.call("dynamodb", "CreateTable", &create_table()).unwrap();
    world.advance(5).unwrap();
    for i in 0..100_000 {
        world
            .call(
                "dynamodb",
                "PutItem",
                &json!({"TableName": "Music", "Item": item(&format!("Artist {:03}", i % 500), i)}),
            )
            .unwrap();
    }
    let bytes = ALLOCATED.load(Ordering::Relaxed) - before;
    let table_bytes = world.dynamodb.tables["Music"].size_bytes();
    println!(
        "\nMemory of a 100,000-item table: {:.1} MB in the process ({:.1} MB of item data as DynamoDB counts it; the rest is the index, the call log and allocator overhead)",
        bytes as f64 / 1e6,
        table_bytes as f64 / 1e6
    );
}

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    bench(&mut criterion);
    criterion.final_summary();
    summary();
}
