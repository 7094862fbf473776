//! Request decoding: any service, action and request JSON gives a response or an AwsError.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut parts = text.splitn(3, '\n');
    let (Some(service), Some(action), Some(request)) = (parts.next(), parts.next(), parts.next()) else { return };
    let Ok(request) = serde_json::from_str::<serde_json::Value>(request) else { return };
    let mut world = lab_core::World::default();
    let before = world.account.clone();
    let _ = world.call(service, action, &request);
    assert_eq!(world.account, before);
});
