//! The fuzz targets' seed corpora (fuzz/seeds/<target>/) stay real inputs: every expression
//! parses, every lab file loads, every save reads, every request succeeds in the fuzz account,
//! every attribute value seed reads as a number, a base64 binary or an attribute value, every
//! policy document seed parses as an identity, trust or resource policy, every filter pattern
//! parses and every function zip reads as a package. A seed that stops being valid would only teach the fuzzer less, silently.

mod fixture;

use lab_core::dynamodb::expr::parser::{parse_condition, parse_projection, parse_update};
use lab_core::dynamodb::model::{decode_base64, AttributeValue};
use lab_core::dynamodb::number::Number;
use lab_core::lab::progress::{read_progress, read_save_file, read_world};
use std::path::{Path, PathBuf};

/// The files of fuzz/seeds/<target>/, by name, with their text.
fn seeds(target: &str) -> Vec<(String, String)> {
    let dir: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/seeds").join(target);
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|err| panic!("{}: {err}", dir.display()))
        .map(|entry| {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&path).unwrap())
        })
        .collect();
    files.sort();
    assert!(files.len() >= 3, "fuzz/seeds/{target}/ has {} files; a handful are wanted", files.len());
    files
}

/// Requires that `reads` takes every seed of `target`, described as `what` when one is refused.
fn check(target: &str, what: &str, reads: impl Fn(&str, &str) -> bool) {
    for (name, text) in seeds(target) {
        assert!(reads(&name, &text), "fuzz/seeds/{target}/{name} is no {what}");
    }
}

#[test]
fn expression_seeds_parse() {
    let what = "condition, projection or update expression";
    check("expression", what, |_, t| {
        parse_condition(t).is_ok() || parse_projection(t).is_ok() || parse_update(t).is_ok()
    });
}

#[test]
fn lab_file_seeds_load() {
    check("lab_file", "lab or catalog that loads", |name, text| match name {
        "labs.toml" => lab_core::lab::parse_catalog(name, text).is_ok(),
        _ => lab_core::lab::parse_lab("seed", name, text).is_ok(),
    });
}

#[test]
fn save_file_seeds_read() {
    let what = "export file, progress or world record";
    check("save_file", what, |_, t| read_save_file(t).is_ok() || read_progress(t).is_ok() || read_world(t).is_ok());
}

#[test]
fn attribute_value_seeds_read() {
    check("attribute_value", "number, base64 binary or attribute value", |_, text| {
        let value = || serde_json::from_str(text).is_ok_and(|json| AttributeValue::from_wire(&json, "Item").is_ok());
        Number::parse(text).is_ok() || decode_base64(text).is_some() || value()
    });
}

#[test]
fn policy_document_seeds_parse() {
    use lab_core::policy::{parse, Flavour};
    check("policy_document", "identity, trust or resource policy", |_, text| {
        [Flavour::Identity, Flavour::Trust, Flavour::Resource].into_iter().any(|f| parse(text, f).is_ok())
    });
}

#[test]
fn filter_pattern_seeds_parse() {
    check("filter_pattern", "filter pattern", |_, text| lab_core::logs::pattern::parse(text).is_ok());
}

#[test]
fn event_pattern_seeds_parse() {
    check("event_pattern", "event pattern", |_, text| lab_core::pattern::Pattern::parse(text).is_ok());
}

#[test]
fn function_zip_seeds_are_packages() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/seeds/function_zip");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let package = lab_core::lambda::package::read(&std::fs::read(&path).unwrap());
        assert!(package.is_ok_and(|p| !p.files.is_empty()), "{} is no function package", path.display());
        count += 1;
    }
    assert!(count >= 3, "fuzz/seeds/function_zip/ has {count} files; a handful are wanted");
}

#[test]
fn world_call_seeds_succeed_in_the_fuzz_account() {
    for (name, text) in seeds("world_call") {
        let mut parts = text.splitn(3, '\n');
        let (Some(service), Some(action), Some(request)) = (parts.next(), parts.next(), parts.next()) else {
            panic!("{name}: a seed is `service\\naction\\nrequest JSON`");
        };
        let request: serde_json::Value = serde_json::from_str(request).unwrap_or_else(|err| panic!("{name}: {err}"));
        let mut world = fixture::world_with_state();
        if let Err(err) = world.call(service, action, &request) {
            panic!("{name}: {err}");
        }
    }
}
