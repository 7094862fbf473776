//! A Lambda function's `Code.ZipFile`: any bytes read as a package or as Lambda's "Could not
//! unzip uploaded file" error, never a panic, and a package's sizes add up.
#![no_main]
use lab_core::lambda::package;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match package::read(data) {
        Ok(p) => {
            assert_eq!(p.size, data.len() as u64);
            assert!(p.unzipped <= package::MAX_UNZIPPED_BYTES);
            assert!(p.files.keys().all(|name| !name.split('/').any(|part| part == "..")));
        }
        Err(e) => assert_eq!(e.code, "InvalidParameterValueException"),
    }
});
