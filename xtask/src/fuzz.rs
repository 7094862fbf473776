//! `cargo xtask fuzz [TARGET] [--seconds N]`: every cargo-fuzz target in turn, on the stable toolchain.
//!
//! Targets are the `[[bin]]` entries of fuzz/Cargo.toml, so a new parser's target is run without
//! editing this file.
//! Each target starts from its seed corpus in fuzz/seeds/<target>/ (kept in git, a handful of real
//! inputs) and grows fuzz/corpus/<target>/ (not in git).
//! A crash leaves its reproducer in fuzz/artifacts/<target>/; libFuzzer's whole output is kept in
//! fuzz/logs/<target>.log.
//! The summary at the end gives each target's runs, seconds and findings; any finding fails the command.

use crate::{output_of, path_with_tools, step, Result};
use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// The cargo-fuzz release measured to work on stable with `RUSTC_BOOTSTRAP=1` (see TOOLCHAIN.md).
const CARGO_FUZZ_VERSION: &str = "0.13.2";
const FUZZ_DIR: &str = "fuzz";
/// How long each target runs unless `--seconds` says otherwise.
const DEFAULT_SECONDS: u64 = 60;

/// What the command line asked for.
#[derive(Debug, PartialEq, Eq)]
struct Request {
    /// One target, or every target when `None`.
    target: Option<String>,
    seconds: u64,
}

/// What one target's run found.
#[derive(Debug, Default, PartialEq, Eq)]
struct Outcome {
    /// Inputs tried, as libFuzzer last reported it.
    runs: Option<u64>,
    /// Seconds spent fuzzing, as libFuzzer reported it, else measured from its start (a crash
    /// stops it before it reports).
    seconds: u64,
    /// Reproducers written to fuzz/artifacts/<target>/ by this run.
    findings: Vec<PathBuf>,
    /// Why the run failed when it left no reproducer (a build error, say).
    failure: Option<String>,
}

pub fn run(args: &[String]) -> Result {
    let request = parse_args(args)?;
    let manifest = std::fs::read_to_string(Path::new(FUZZ_DIR).join("Cargo.toml"))
        .map_err(|err| format!("cannot read {FUZZ_DIR}/Cargo.toml: {err}"))?;
    let all = targets(&manifest)?;
    let chosen: Vec<String> = match &request.target {
        Some(name) if all.contains(name) => vec![name.clone()],
        Some(name) => return Err(format!("no fuzz target `{name}`; the targets are {}", all.join(", "))),
        None => all,
    };
    install_cargo_fuzz()?;
    let mut results = Vec::new();
    for target in &chosen {
        step(&format!("fuzz {target} for {} s", request.seconds));
        results.push((target.clone(), fuzz_target(target, request.seconds)?));
    }
    let table = summary(&results);
    eprintln!("\n==> fuzz summary\n{table}");
    let failed =
        results.iter().filter(|(_, outcome)| !outcome.findings.is_empty() || outcome.failure.is_some()).count();
    if failed == 0 {
        Ok(())
    } else {
        Err(format!("{failed} fuzz target(s) found a crash or failed to run"))
    }
}

fn parse_args(args: &[String]) -> Result<Request> {
    let mut request = Request { target: None, seconds: DEFAULT_SECONDS };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        if arg == "--seconds" {
            let value = args.next().ok_or("--seconds needs a number")?;
            request.seconds = value
                .parse()
                .ok()
                .filter(|&n| n > 0)
                .ok_or_else(|| format!("--seconds needs a positive whole number, not `{value}`"))?;
        } else if arg.starts_with('-') || request.target.is_some() {
            return Err(format!("unexpected argument `{arg}`; usage: cargo xtask fuzz [TARGET] [--seconds N]"));
        } else {
            request.target = Some(arg.clone());
        }
    }
    Ok(request)
}

/// The names of the `[[bin]]` targets in fuzz/Cargo.toml, in file order.
fn targets(manifest: &str) -> Result<Vec<String>> {
    let manifest: toml::Table = manifest.parse().map_err(|err| format!("{FUZZ_DIR}/Cargo.toml: {err}"))?;
    let bins = manifest.get("bin").and_then(toml::Value::as_array).map(Vec::as_slice).unwrap_or_default();
    let names: Vec<String> = bins.iter().filter_map(|bin| bin.get("name")?.as_str().map(str::to_string)).collect();
    if names.is_empty() {
        return Err(format!("{FUZZ_DIR}/Cargo.toml lists no [[bin]] fuzz target"));
    }
    Ok(names)
}

fn install_cargo_fuzz() -> Result {
    step("setup: cargo-fuzz");
    let wanted = format!("cargo-fuzz {CARGO_FUZZ_VERSION}");
    if output_of("cargo", &["fuzz", "--version"]).as_deref() != Some(wanted.as_str()) {
        crate::run("cargo", &["install", "cargo-fuzz", "--version", CARGO_FUZZ_VERSION, "--locked"])?;
    }
    Ok(())
}

/// Runs one target for `seconds`, its output going to its log and its status lines to stderr.
fn fuzz_target(target: &str, seconds: u64) -> Result<Outcome> {
    let fuzz_dir = Path::new(FUZZ_DIR);
    let absolute = std::env::current_dir().map_err(|err| format!("no current folder: {err}"))?.join(fuzz_dir);
    let corpus = absolute.join("corpus").join(target);
    let seeds = absolute.join("seeds").join(target);
    let artifacts = fuzz_dir.join("artifacts").join(target);
    std::fs::create_dir_all(&corpus).map_err(|err| format!("cannot create the corpus: {err}"))?;
    std::fs::create_dir_all(fuzz_dir.join("logs")).map_err(|err| format!("cannot create fuzz/logs: {err}"))?;
    let log_path = fuzz_dir.join("logs").join(format!("{target}.log"));
    let mut log =
        std::fs::File::create(&log_path).map_err(|err| format!("cannot write {}: {err}", log_path.display()))?;
    let before = files_in(&artifacts);

    let mut args: Vec<String> =
        ["fuzz", "run", "--sanitizer", "none", "--debug-assertions", target].iter().map(|s| s.to_string()).collect();
    // libFuzzer writes what it learns to the first corpus folder and only reads the others.
    args.push(corpus.display().to_string());
    if seeds.is_dir() {
        args.push(seeds.display().to_string());
    } else {
        eprintln!("warning: {FUZZ_DIR}/seeds/{target}/ is missing: {target} starts from an empty corpus");
    }
    args.extend(["--".to_string(), format!("-max_total_time={seconds}")]);

    // libFuzzer and cargo report on stderr, read here line by line; the little that goes to
    // stdout goes straight to the log.
    let stdout = log.try_clone().map_err(|err| format!("cannot write {}: {err}", log_path.display()))?;
    let mut child = Command::new("cargo")
        .args(&args)
        .current_dir(fuzz_dir)
        .env("PATH", path_with_tools())
        // cargo-fuzz passes nightly-only flags to rustc; stable accepts them with this set.
        .env("RUSTC_BOOTSTRAP", "1")
        .stdout(Stdio::from(stdout))
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|err| format!("cannot run cargo fuzz: {err}"))?;
    let stderr = child.stderr.take().expect("stderr is piped");
    let mut outcome = Outcome::default();
    // Set when libFuzzer starts, after the build: the seconds are the fuzzing's, not the build's.
    let mut fuzzing_since: Option<Instant> = None;
    for line in BufReader::new(stderr).lines().map_while(std::io::Result::ok) {
        let _ = writeln!(log, "{line}");
        read_line(&line, &mut outcome);
        if line.starts_with("INFO: Seed:") {
            fuzzing_since.get_or_insert_with(Instant::now);
        }
        if fuzzing_since.is_none() || is_notable(&line) {
            eprintln!("{line}");
        }
    }
    let status = child.wait().map_err(|err| format!("cargo fuzz did not finish: {err}"))?;
    if outcome.seconds == 0 {
        outcome.seconds = fuzzing_since.map_or(0, |since| since.elapsed().as_secs());
    }
    let after = files_in(&artifacts);
    outcome.findings = after.difference(&before).cloned().collect();
    if !status.success() && outcome.findings.is_empty() {
        outcome.failure = Some(format!("cargo fuzz failed ({status}); see {}", log_path.display()));
    }
    Ok(outcome)
}

/// Takes the run count and time from one line of libFuzzer's output.
///
/// libFuzzer prints `#4900000\tpulse  cov: ...` as it goes and `Done 4900000 runs in 61 second(s)` at the end.
fn read_line(line: &str, outcome: &mut Outcome) {
    if let Some(rest) = line.strip_prefix("Done ") {
        let mut words = rest.split_whitespace();
        if let (Some(runs), Some("runs"), Some("in"), Some(seconds)) =
            (words.next(), words.next(), words.next(), words.next())
        {
            outcome.runs = runs.parse().ok().or(outcome.runs);
            outcome.seconds = seconds.parse().unwrap_or(outcome.seconds);
        }
    } else if let Some(rest) = line.strip_prefix('#') {
        if let Some(runs) = rest.split_whitespace().next().and_then(|n| n.parse().ok()) {
            outcome.runs = Some(runs);
        }
    }
}

/// Lines worth showing while a target runs: the crash report and the end, not each new input.
fn is_notable(line: &str) -> bool {
    let progress = line.starts_with('#') && !line.contains("DONE");
    !progress && !line.trim_start().starts_with("NEW_FUNC")
}

fn files_in(dir: &Path) -> BTreeSet<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return BTreeSet::new() };
    entries.filter_map(|entry| entry.ok()).map(|entry| entry.path()).filter(|path| path.is_file()).collect()
}

/// One row per target: runs, seconds, findings.
fn summary(results: &[(String, Outcome)]) -> String {
    let width = results.iter().map(|(name, _)| name.len()).max().unwrap_or(0).max("target".len());
    let mut out = format!("{:width$}  {:>12}  {:>7}  findings\n", "target", "runs", "seconds");
    for (name, outcome) in results {
        let runs = outcome.runs.map_or("?".to_string(), thousands);
        let findings = if let Some(failure) = &outcome.failure {
            failure.clone()
        } else if outcome.findings.is_empty() {
            "none".to_string()
        } else {
            outcome.findings.iter().map(|path| path.display().to_string()).collect::<Vec<_>>().join(", ")
        };
        out.push_str(&format!("{name:width$}  {runs:>12}  {:>7}  {findings}\n", outcome.seconds));
    }
    out
}

/// `4900000` as `4,900,000`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn arguments() {
        assert_eq!(parse_args(&args("")), Ok(Request { target: None, seconds: 60 }));
        assert_eq!(
            parse_args(&args("expression --seconds 5")),
            Ok(Request { target: Some("expression".into()), seconds: 5 })
        );
        assert_eq!(
            parse_args(&args("--seconds 5 lab_file")),
            Ok(Request { target: Some("lab_file".into()), seconds: 5 })
        );
        assert!(parse_args(&args("--seconds")).is_err());
        assert!(parse_args(&args("--seconds 0")).is_err());
        assert!(parse_args(&args("a b")).is_err());
        assert!(parse_args(&args("--jobs 2")).is_err());
    }

    #[test]
    fn targets_come_from_the_fuzz_manifest() {
        let manifest =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/Cargo.toml")).unwrap();
        let names = targets(&manifest).unwrap();
        assert!(names.contains(&"expression".to_string()), "{names:?}");
        assert!(targets("[package]\nname = \"x\"\n").is_err());
    }

    #[test]
    fn every_target_has_a_seed_corpus() {
        let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
        let manifest = std::fs::read_to_string(fuzz.join("Cargo.toml")).unwrap();
        for target in targets(&manifest).unwrap() {
            let seeds = files_in(&fuzz.join("seeds").join(&target));
            assert!(seeds.len() >= 3, "fuzz/seeds/{target}/ needs a handful of real inputs, has {}", seeds.len());
        }
    }

    #[test]
    fn libfuzzer_output_gives_runs_and_seconds() {
        let mut outcome = Outcome::default();
        read_line("#524288\tpulse  cov: 1234 ft: 5678 corp: 90/1Kb exec/s: 87381 rss: 60Mb", &mut outcome);
        assert_eq!(outcome.runs, Some(524_288));
        read_line("Done 4900000 runs in 61 second(s)", &mut outcome);
        assert_eq!((outcome.runs, outcome.seconds), (Some(4_900_000), 61));
        read_line("INFO: Seed: 12345", &mut outcome);
        assert_eq!(outcome.runs, Some(4_900_000));
        assert!(!is_notable("#4096\tpulse  cov: 1 ft: 2 corp: 3/4b exec/s: 5 rss: 6Mb"));
        assert!(!is_notable("\tNEW_FUNC[1/10]: 0x55cea51051c1"));
        assert!(is_notable("#4900000\tDONE   cov: 1 ft: 2 corp: 3/4b exec/s: 5 rss: 6Mb"));
        assert!(is_notable("thread '<unnamed>' panicked at core/src/lab/load.rs:57:30:"));
    }

    #[test]
    fn the_summary_is_a_table() {
        let results = vec![
            ("expression".to_string(), Outcome { runs: Some(4_900_000), seconds: 61, ..Outcome::default() }),
            (
                "world_call".to_string(),
                Outcome {
                    runs: Some(12),
                    seconds: 1,
                    findings: vec![PathBuf::from("fuzz/artifacts/world_call/crash-1")],
                    failure: None,
                },
            ),
        ];
        assert_eq!(
            summary(&results),
            "target              runs  seconds  findings\n\
             expression     4,900,000       61  none\n\
             world_call            12        1  fuzz/artifacts/world_call/crash-1\n"
        );
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
    }
}
