//! Inputs that crashed the simulator, found while fuzzing (inputs written by hand for the fuzz
//! targets, after reading the code they reach), each kept as a test of the answer it gets now.

mod fixture;

use lab_core::dynamodb::model::encode_base64;
use serde_json::json;

const MUSIC_STREAM: &str = "arn:aws:dynamodb:ap-southeast-1:123456789012:table/Music/stream/2025-01-01T00:00:00.000";

/// GetRecords with a ShardIterator forged from the Music stream's real shard, `after` a sequence
/// number and issued at `issued_ms`, answered as `code` or `ok`.
fn forged_get_records(after: u128, issued_ms: u64) -> String {
    let mut world = fixture::world_with_state();
    let described = world.call("dynamodbstreams", "DescribeStream", &json!({"StreamArn": MUSIC_STREAM})).unwrap();
    let shard = described["StreamDescription"]["Shards"][0]["ShardId"].as_str().unwrap().to_string();
    let iterator = encode_base64(format!("{MUSIC_STREAM}|{shard}|{after}|{issued_ms}").as_bytes());
    match world.call("dynamodbstreams", "GetRecords", &json!({"ShardIterator": iterator})) {
        Ok(response) => format!("ok, {} records", response["Records"].as_array().map_or(0, Vec::len)),
        Err(err) => err.code,
    }
}

#[test]
fn a_shard_iterator_issued_at_the_end_of_time_does_not_overflow() {
    // `issued + 15 minutes` overflowed a u64.
    assert_eq!(forged_get_records(100_000_000_000_000_000_000, u64::MAX), "ok, 4 records");
}

#[test]
fn a_shard_iterator_after_the_last_sequence_number_does_not_overflow() {
    // `after + 100` overflowed a u128.
    assert_eq!(forged_get_records(u128::MAX, 1_735_689_610_000), "ok, 0 records");
}

#[test]
fn a_save_whose_clock_is_at_the_end_of_time_is_refused() {
    // Reading it worked; the next clock move overflowed `now + seconds * 1000`.
    let world = lab_core::lab::progress::write_world(&fixture::world_with_state());
    let at = world.find(r#""now_ms":"#).expect("a save has its clock") + r#""now_ms":"#.len();
    let digits = world[at..].bytes().take_while(u8::is_ascii_digit).count();
    let edited = format!("{}18446744073709551000{}", &world[..at], &world[at + digits..]);
    let error = lab_core::lab::progress::read_world(&edited).unwrap_err().to_string();
    assert!(error.starts_with("damaged save: the clock (18446744073709551000 ms) is past the year 9999"), "{error}");
}
