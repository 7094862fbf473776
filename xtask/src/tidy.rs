//! Conventions as tests: what ARCHITECTURE.md promises that a grep can see.

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    fn root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
    }

    fn rust_files(dir: &Path) -> Vec<PathBuf> {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                files.extend(rust_files(&path));
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
        files.sort();
        files
    }

    #[test]
    fn every_module_says_what_it_is_for() {
        for crate_dir in ["core/src", "app/src", "cli/src", "xtask/src"] {
            for file in rust_files(&root().join(crate_dir)) {
                let text = std::fs::read_to_string(&file).unwrap();
                assert!(
                    text.starts_with("//!"),
                    "{} has no module doc comment (//!) on its first line",
                    file.display()
                );
            }
        }
    }

    /// Core is pure: no IO, no wall clock, no ambient randomness. Time is virtual and ids are seeded.
    #[test]
    fn core_has_no_wall_clock_io_or_ambient_randomness() {
        let forbidden =
            ["SystemTime", "Instant::now", "thread_rng", "rand::", "std::fs", "std::net", "println!", "std::thread"];
        for file in rust_files(&root().join("core/src")) {
            let text = std::fs::read_to_string(&file).unwrap();
            for word in forbidden {
                // Whole words only: `Operand::` is not `rand::`.
                let used = text
                    .match_indices(word)
                    .any(|(at, _)| !text[..at].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_'));
                assert!(!used, "{} uses `{word}`: core is pure (ARCHITECTURE.md)", file.display());
            }
        }
    }

    /// Services never import each other: only world.rs routes effects between them.
    #[test]
    fn services_never_import_each_other() {
        let core = root().join("core/src");
        let services: Vec<String> = std::fs::read_dir(&core)
            .unwrap()
            .flatten()
            // `lab` (checks) and `console` (read models) read every service; they are not services.
            .filter(|e| e.path().is_dir() && e.file_name() != "lab" && e.file_name() != "console")
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        for service in &services {
            for file in rust_files(&core.join(service)) {
                let text = std::fs::read_to_string(&file).unwrap();
                for other in services.iter().filter(|s| *s != service) {
                    assert!(
                        !text.contains(&format!("crate::{other}")),
                        "{} imports the {other} service; return an Effect instead",
                        file.display()
                    );
                }
            }
        }
    }

    /// No test sleeps: the clock is virtual.
    #[test]
    fn no_test_sleeps() {
        for crate_dir in ["core", "cli"] {
            for file in rust_files(&root().join(crate_dir)) {
                let text = std::fs::read_to_string(&file).unwrap();
                assert!(
                    !text.contains("thread::sleep"),
                    "{} sleeps; advance the virtual clock instead",
                    file.display()
                );
            }
        }
    }
}
