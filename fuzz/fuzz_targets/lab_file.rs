//! Lab files: any text gives a lab or located errors, never a panic; and a lab that loads can be
//! proved (its setup, solutions and checks run against an account) without a panic either.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = lab_core::lab::parse_catalog("labs.toml", text);
    match lab_core::lab::parse_lab("fuzz", "lab.toml", text) {
        // Every request_file reads as an empty request, so that labs which name one load too.
        Ok(draft) => {
            if let Ok(lab) = draft.finish(|_| Some("{}".to_string())) {
                let _ = lab_core::lab::verify_lab(&lab);
            }
        }
        Err(errors) => assert!(errors.iter().all(|e| e.line >= 1)),
    }
});
