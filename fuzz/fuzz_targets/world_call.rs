//! Request decoding: any service, action and request JSON gives a response or an AwsError, and a
//! failed call changes nothing but the Observed log and the id counter.
//!
//! An input is `service\naction\nrequest JSON`; the account already has tables, items and a
//! stream (core/tests/fixture), so requests reach past "table not found".
#![no_main]
use lab_core::World;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

#[path = "../../core/tests/fixture/mod.rs"]
mod fixture;

static WORLD: OnceLock<World> = OnceLock::new();

thread_local! {
    /// The fixture's state as each error code sees it (`fixture::state`), made once per code.
    static BEFORE: RefCell<HashMap<String, Value>> = RefCell::new(HashMap::new());
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut parts = text.splitn(3, '\n');
    let (Some(service), Some(action), Some(request)) = (parts.next(), parts.next(), parts.next()) else { return };
    let Ok(request) = serde_json::from_str::<Value>(request) else { return };
    let start = WORLD.get_or_init(fixture::world_with_state);
    let mut world = start.clone();
    if let Err(error) = world.call(service, action, &request) {
        let after = fixture::state(&world, &error);
        BEFORE.with_borrow_mut(|before| {
            let before = before.entry(error.code.clone()).or_insert_with(|| fixture::state(start, &error));
            assert_eq!(&after, before, "{error}");
        });
    }
});
