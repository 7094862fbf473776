//! Lab files: any text gives a lab or located errors, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = lab_core::lab::parse_catalog("labs.toml", text);
    match lab_core::lab::parse_lab("fuzz", "lab.toml", text) {
        Ok(draft) => {
            let _ = draft.finish(|_| Some(text.to_string()));
        }
        Err(errors) => assert!(errors.iter().all(|e| e.line >= 1)),
    }
});
