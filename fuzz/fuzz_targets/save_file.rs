//! Saved progress, worlds and export files: any text is read or reported, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = lab_core::lab::progress::read_save_file(text);
    let _ = lab_core::lab::progress::read_progress(text);
    let _ = lab_core::lab::progress::read_world(text);
});
