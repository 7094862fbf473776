//! `lab labs check` end to end: the shipped labs pass, a broken lab folder fails with located
//! errors and exit status 1.

use std::path::{Path, PathBuf};
use std::process::Command;

fn lab(args: &[&str]) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_lab")).args(args).output().expect("lab runs");
    (output.status.success(), String::from_utf8(output.stdout).unwrap())
}

fn repo_labs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../labs")
}

#[test]
fn the_shipped_labs_pass() {
    let (ok, out) = lab(&["labs", "check", repo_labs().to_str().unwrap()]);
    assert!(ok, "{out}");
    assert!(out.ends_with(" passed, 0 failed\n"), "{out}");
}

#[test]
fn the_test_labs_of_the_lambda_logs_and_iam_checks_pass() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/labs");
    let (ok, out) = lab(&["labs", "check", dir.to_str().unwrap()]);
    assert!(ok, "{out}");
    assert!(out.ends_with(" passed, 0 failed\n"), "{out}");
}

#[test]
fn a_broken_lab_is_reported_and_the_others_still_checked() {
    let dir = std::env::temp_dir().join(format!("lab-check-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("02-broken")).unwrap();
    copy_dir(&repo_labs().join("01-how-labs-work"), &dir.join("01-how-labs-work"));
    std::fs::write(dir.join("labs.toml"), "format_version = 1\nlabs = [\"01-how-labs-work\", \"02-broken\"]\n")
        .unwrap();
    std::fs::write(dir.join("02-broken/lab.toml"), "format_version = 1\nminutes = \"ten\"\n").unwrap();
    let (ok, out) = lab(&["labs", "check", dir.to_str().unwrap()]);
    assert!(!ok, "{out}");
    let out = out.replace(dir.to_str().unwrap(), "DIR");
    insta::assert_snapshot!(out, @r#"
    01-how-labs-work
      ok    01-who-am-i
      ok    02-read-an-error
      ok    03-move-the-clock
    02-broken
      error DIR/02-broken/lab.toml:2:11: invalid type: string "ten", expected u32
    3 passed, 1 failed
    "#);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn lab_run_speaks_jsonl() {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_lab"))
        .arg("sts")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"{\"action\": \"GetCallerIdentity\"}\n{\"advance\": 1}\n").unwrap();
    let out = String::from_utf8(child.wait_with_output().unwrap().stdout).unwrap();
    assert_eq!(out.lines().count(), 2, "{out}");
    assert!(out.starts_with("{\"ok\":{\"Account\":\"123456789012\""), "{out}");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}
