//! `cargo xtask figures`: what a learner downloads and how long they wait.
//!
//! Sizes of the release bundle (raw and gzip -9), then load times measured in headless Chromium
//! by tests/e2e/figures.mjs: navigation to the catalog being interactive, and to the engine
//! being ready, median of several cold loads.

use flate2::write::GzEncoder;
use flate2::Compression;
use std::io::Write;
use std::path::Path;

pub fn run(root: &Path) -> super::Result {
    let dist = root.join("dist");
    let mut rows = Vec::new();
    let entries = std::fs::read_dir(&dist).map_err(|err| format!("cannot read dist/: {err}"))?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !(name.ends_with(".wasm") || name.ends_with(".js") || name.ends_with(".css") || name == "index.html") {
            continue;
        }
        let bytes = std::fs::read(entry.path()).map_err(|err| err.to_string())?;
        let mut gz = GzEncoder::new(Vec::new(), Compression::best());
        gz.write_all(&bytes).map_err(|err| err.to_string())?;
        let gzip = gz.finish().map_err(|err| err.to_string())?.len();
        rows.push((role(&name), name, bytes.len(), gzip));
    }
    rows.sort();
    println!("\nRelease bundle (dist/)");
    println!("{:<10} {:<40} {:>12} {:>12}", "part", "file", "raw bytes", "gzip -9");
    let (mut raw_total, mut gzip_total) = (0, 0);
    for (role, name, raw, gzip) in &rows {
        println!("{role:<10} {name:<40} {raw:>12} {gzip:>12}");
        raw_total += raw;
        gzip_total += gzip;
    }
    println!("{:<10} {:<40} {raw_total:>12} {gzip_total:>12}", "total", "");
    super::step("load times in headless Chromium");
    super::run("node", &["tests/e2e/figures.mjs"])
}

/// Which half of the app a file belongs to.
fn role(name: &str) -> &'static str {
    if name.starts_with("engine") {
        "engine"
    } else if name.starts_with("lab-app") || name.ends_with(".css") || name == "index.html" {
        "ui"
    } else {
        "other"
    }
}
