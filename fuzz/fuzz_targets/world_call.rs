//! Request decoding: any service, action and request JSON gives a response or an AwsError, and a
//! failed call changes nothing but the Observed log and the id counter.
//!
//! An input is `service\naction\nrequest JSON`; the account already has tables, items and a
//! stream (core/tests/fixture), so requests reach past "table not found".
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

#[path = "../../core/tests/fixture/mod.rs"]
mod fixture;

static WORLD: OnceLock<lab_core::World> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut parts = text.splitn(3, '\n');
    let (Some(service), Some(action), Some(request)) = (parts.next(), parts.next(), parts.next()) else { return };
    let Ok(request) = serde_json::from_str::<serde_json::Value>(request) else { return };
    let mut world = WORLD.get_or_init(fixture::world_with_state).clone();
    let before = world.clone();
    if let Err(error) = world.call(service, action, &request) {
        assert_eq!(fixture::state(&world, &error), fixture::state(&before, &error), "{error}");
    }
});
