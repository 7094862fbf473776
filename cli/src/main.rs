//! `lab`: the native front door to the simulated account and the lab engine.
//!
//! The contract (stable; tests and tools rely on it) is in ARCHITECTURE.md and `lab help`.

mod labs;
mod run;

use std::io::{self, Write};
use std::process::ExitCode;

const HELP: &str = "\
lab: the serverless-lab simulated AWS account and lab engine

USAGE:
  lab run                 JSONL on stdin, one answer line per input line:
                            {\"call\": {\"service\": S, \"action\": A, \"request\": {...}}}
                            {\"advance\": SECONDS}
                          answers {\"ok\": ...} or {\"error\": {\"type\": ..., \"message\": ...}}
  lab <service>           the same with the service implied: {\"action\": A, \"request\": {...}}
  lab labs check [DIR]    validate every lab in DIR (default: labs) and replay its solutions;
                          prints `N passed, M failed` (steps); exits 1 on any failure
  lab help                this text
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let stdin = io::stdin().lock();
    let stdout = io::stdout().lock();
    let result = match args.as_slice() {
        ["run"] => run::run(stdin, stdout, None),
        ["labs", "check"] => labs::check(std::path::Path::new("labs"), stdout),
        ["labs", "check", dir] => labs::check(std::path::Path::new(dir), stdout),
        ["help" | "--help" | "-h"] => {
            print!("{HELP}");
            return ExitCode::SUCCESS;
        }
        [service] if lab_core::world::SERVICES.contains(service) => run::run(stdin, stdout, Some(service)),
        _ => {
            let _ = write!(io::stderr(), "lab: unknown command `{}`\n\n{HELP}", args.join(" "));
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(err) => {
            let _ = writeln!(io::stderr(), "lab: {err}");
            ExitCode::FAILURE
        }
    }
}
