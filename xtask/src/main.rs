//! `cargo xtask <command>`: the only scripts anyone needs.
//!
//! - `setup`: install what is missing (wasm32 target, rustfmt and clippy, Trunk, wasm-bindgen-cli,
//!   Chromium and ChromeDriver, the npm packages of the browser tests). Quick when all is there.
//! - `serve`: setup, then build and serve the app on http://127.0.0.1:8080 (simulated account).
//! - `test`: setup, then every check CI runs: fmt, clippy (native and wasm), native tests, the
//!   lab check, the release build and the browser tests. The browser tests' summary is last.
//! - `dist`: setup, then the release build in dist/, ready for any static host.
//! - `figures`: the release build's sizes, and load times measured in headless Chromium.
//! - `fuzz [TARGET] [--seconds N]`: install cargo-fuzz if missing, then run every fuzz target (or
//!   one) for N seconds each (60 by default) and print each one's runs, seconds and findings.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

mod figures;
mod fuzz;
mod tidy;

/// Versions pinned here, in Trunk.toml and in Cargo.lock must agree.
const TRUNK_VERSION: &str = "0.21.14";
const WASM_BINDGEN_VERSION: &str = "0.2.130";
const E2E_DIR: &str = "tests/e2e";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_path_buf();
    std::env::set_current_dir(&root).expect("workspace root exists");
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup(Browser::Yes),
        Some("serve") => serve(),
        Some("test") => test(),
        Some("dist") => setup(Browser::No).and_then(|()| dist()),
        Some("figures") => setup(Browser::Yes).and_then(|()| dist()).and_then(|()| figures::run(&root)),
        Some("fuzz") => fuzz::run(&args[1..]),
        _ => {
            eprintln!("usage: cargo xtask setup | serve | test | dist | figures | fuzz [TARGET] [--seconds N]");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("xtask: {err}");
            ExitCode::FAILURE
        }
    }
}

type Result<T = ()> = std::result::Result<T, String>;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Browser {
    Yes,
    No,
}

fn step(name: &str) {
    eprintln!("\n==> {name}");
}

/// Runs a command, failing with its name if it fails.
fn run(program: &str, args: &[&str]) -> Result {
    run_in(program, args, None)
}

fn run_in(program: &str, args: &[&str], dir: Option<&Path>) -> Result {
    let mut command = Command::new(program);
    command.args(args).env("PATH", path_with_tools());
    if let Some(dir) = dir {
        command.current_dir(dir);
    }
    let status = command.status().map_err(|err| format!("cannot run {program}: {err}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{program} {}` failed ({status})", args.join(" ")))
    }
}

/// The first line a command prints, if it runs at all.
fn output_of(program: &str, args: &[&str]) -> Option<String> {
    let output = Command::new(program).args(args).env("PATH", path_with_tools()).output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).lines().next().unwrap_or("").trim().to_string())
}

/// PATH with cargo's bin folder (where Trunk and wasm-bindgen are installed) and the browser
/// tests' node_modules/.bin (wasm-opt from binaryen 132) in front.
fn path_with_tools() -> String {
    let mut parts: Vec<PathBuf> = Vec::new();
    parts.push(PathBuf::from(E2E_DIR).join("node_modules/.bin").canonicalize().unwrap_or_default());
    if let Some(home) = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
    {
        parts.push(home.join("bin"));
    }
    let old = std::env::var_os("PATH").unwrap_or_default();
    parts.extend(std::env::split_paths(&old));
    std::env::join_paths(parts.into_iter().filter(|p| !p.as_os_str().is_empty()))
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn setup(browser: Browser) -> Result {
    step("setup: Rust targets and components");
    let installed = Command::new("rustup").args(["target", "list", "--installed"]).output().ok();
    let has_wasm = installed.is_some_and(|o| String::from_utf8_lossy(&o.stdout).contains("wasm32-unknown-unknown"));
    if !has_wasm {
        run("rustup", &["target", "add", "wasm32-unknown-unknown"])?;
    }
    if output_of("cargo", &["fmt", "--version"]).is_none() || output_of("cargo", &["clippy", "--version"]).is_none() {
        run("rustup", &["component", "add", "rustfmt", "clippy"])?;
    }

    step("setup: Trunk and wasm-bindgen-cli");
    if output_of("trunk", &["--version"]).as_deref() != Some(&format!("trunk {TRUNK_VERSION}")) {
        run("cargo", &["install", "trunk", "--version", TRUNK_VERSION, "--locked"])?;
    }
    if output_of("wasm-bindgen", &["--version"]).as_deref() != Some(&format!("wasm-bindgen {WASM_BINDGEN_VERSION}")) {
        // The registry mirror may lack a version its lockfile pins; then resolve afresh.
        run("cargo", &["install", "wasm-bindgen-cli", "--version", WASM_BINDGEN_VERSION, "--locked"])
            .or_else(|_| run("cargo", &["install", "wasm-bindgen-cli", "--version", WASM_BINDGEN_VERSION]))?;
    }

    step("setup: npm packages (binaryen's wasm-opt, playwright-core)");
    if !npm_packages_present() {
        run_in("npm", &["ci", "--no-audit", "--no-fund"], Some(Path::new(E2E_DIR)))?;
    }

    if browser == Browser::Yes {
        step("setup: Chromium and ChromeDriver");
        if !(Path::new("/usr/bin/chromium").exists() && Path::new("/usr/bin/chromedriver").exists()) {
            apt_install(&["chromium", "chromium-driver"])?;
        }
    }
    Ok(())
}

/// Whether tests/e2e/node_modules holds exactly the versions package-lock.json pins.
fn npm_packages_present() -> bool {
    let Ok(lock) = std::fs::read_to_string(Path::new(E2E_DIR).join("package-lock.json")) else { return false };
    ["binaryen", "playwright-core"].iter().all(|name| {
        let installed =
            std::fs::read_to_string(Path::new(E2E_DIR).join("node_modules").join(name).join("package.json"));
        let Ok(installed) = installed else { return false };
        let version = |text: &str, after: &str| -> Option<String> {
            let start = text.find(after)? + after.len();
            let rest = &text[start..];
            let v = rest.split("\"version\"").nth(1)?.split('"').nth(1)?;
            Some(v.to_string())
        };
        let pinned = version(&lock, &format!("\"node_modules/{name}\""));
        let have = version(&installed, "");
        pinned.is_some() && pinned == have
    })
}

fn apt_install(packages: &[&str]) -> Result {
    let root = output_of("id", &["-u"]).as_deref() == Some("0");
    let (program, mut prefix): (&str, Vec<&str>) =
        if root { ("apt-get", vec![]) } else { ("sudo", vec!["-n", "apt-get"]) };
    let mut update = prefix.clone();
    update.push("update");
    run(program, &update)?;
    prefix.extend(["install", "-y", "--no-install-recommends"]);
    prefix.extend(packages);
    let mut command = Command::new(program);
    command.args(&prefix).env("DEBIAN_FRONTEND", "noninteractive");
    let status = command.status().map_err(|err| format!("cannot run {program}: {err}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("installing {} failed ({status})", packages.join(" ")))
    }
}

fn trunk(args: &[&str]) -> Result {
    // Trunk's update check and tool downloads need github.com; every tool is installed instead.
    std::env::set_var("TRUNK_SKIP_VERSION_CHECK", "true");
    run("trunk", args)
}

fn dist() -> Result {
    step("release build into dist/");
    trunk(&["build", "--release", "--locked"])
}

fn serve() -> Result {
    setup(Browser::No)?;
    step("serving on http://127.0.0.1:8080 (Ctrl-C stops)");
    trunk(&["serve", "--locked"])
}

fn test() -> Result {
    setup(Browser::Yes)?;
    step("cargo fmt --check");
    run("cargo", &["fmt", "--all", "--", "--check"])?;
    step("clippy, native");
    run("cargo", &["clippy", "--workspace", "--all-targets", "--locked", "--", "-D", "warnings"])?;
    step("clippy, wasm32");
    run(
        "cargo",
        &[
            "clippy",
            "-p",
            "lab-app",
            "-p",
            "lab-core",
            "--target",
            "wasm32-unknown-unknown",
            "--locked",
            "--",
            "-D",
            "warnings",
        ],
    )?;
    step("native tests");
    run("cargo", &["test", "--workspace", "--locked"])?;
    step("lab labs check labs");
    run("cargo", &["run", "--quiet", "--locked", "-p", "lab-cli", "--", "labs", "check", "labs"])?;
    dist()?;
    step("browser tests (headless Chromium)");
    run("node", &["--test", "--test-concurrency=1", &format!("{E2E_DIR}/")])
}
