//! The Lambda, CloudWatch Logs and IAM check kinds proved through a real account: the test lab in
//! `core/tests/labs/` (a role, a secret and a function made in its setup) is loaded from disk and
//! replayed step by step, as `lab labs check` replays the shipped labs.

use lab_core::lab::{parse_catalog, parse_lab, verify_lab, Lab};
use std::path::{Path, PathBuf};

fn labs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/labs")
}

fn load(id: &str) -> Lab {
    let dir = labs_dir().join(id);
    let text = std::fs::read_to_string(dir.join("lab.toml")).unwrap();
    let draft = parse_lab(id, &format!("{id}/lab.toml"), &text)
        .unwrap_or_else(|errors| panic!("{}", errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")));
    draft.finish(|file| std::fs::read_to_string(dir.join(file)).ok()).unwrap()
}

#[test]
fn every_step_fails_before_its_solution_and_passes_after() {
    let catalog = std::fs::read_to_string(labs_dir().join("labs.toml")).unwrap();
    let catalog = parse_catalog("labs.toml", &catalog).unwrap();
    for id in &catalog.labs {
        let lab = load(id);
        let reports = verify_lab(&lab);
        let problems: Vec<String> =
            reports.iter().flat_map(|r| r.problems.iter().map(move |p| format!("{} {}: {p}", id, r.step))).collect();
        assert!(problems.is_empty(), "{}", problems.join("\n"));
        assert_eq!(reports.len(), lab.steps.len());
    }
}
