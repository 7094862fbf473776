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

    /// The modules every service may import: the leaf modules (see ARCHITECTURE.md), which
    /// themselves import only each other.
    const LEAF_MODULES: &[&str] = &["clock", "effect", "error", "ids", "pattern", "policy", "service", "wire"];

    /// The `crate::<module>` paths a file names, and whether it climbs out of its own module
    /// tree with `super::` (which would reach a module without naming it).
    fn crate_paths(text: &str, depth: usize) -> (Vec<String>, bool) {
        let mut named = Vec::new();
        for (at, _) in text.match_indices("crate::") {
            // `crate::` starts a path only where no other path or word leads into it.
            let whole_word =
                !text[..at].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':');
            if !whole_word {
                continue;
            }
            let rest = &text[at + "crate::".len()..];
            let ident = |t: &str| -> String {
                t.trim_start().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect()
            };
            if let Some(group) = rest.strip_prefix('{') {
                // `crate::{a::B, c}`: the first name of each top-level member of the group.
                let (mut level, mut start) = (0, 0);
                for (i, c) in group.char_indices() {
                    match c {
                        '{' => level += 1,
                        '}' if level == 0 => {
                            named.push(ident(&group[start..i]));
                            break;
                        }
                        '}' => level -= 1,
                        ',' if level == 0 => {
                            named.push(ident(&group[start..i]));
                            start = i + 1;
                        }
                        _ => {}
                    }
                }
            } else {
                named.push(ident(rest));
            }
        }
        named.retain(|m| !m.is_empty());
        // An inline module (`mod tests { use super::*; }`) is one level deeper than its file, so
        // its `super::` stays inside; only the file's own code (before its first inline module)
        // is judged for climbing.
        let own = text.split("\nmod ").next().unwrap_or(text);
        let own = own.split("\n#[cfg(test)]").next().unwrap_or(own);
        let climbs = own.contains(&"super::".repeat(depth));
        (named, climbs)
    }

    /// How many modules deep a file under core/src is (`dynamodb/mod.rs` is 1, `dynamodb/api/items.rs` is 3).
    fn module_depth(core: &Path, file: &Path) -> usize {
        let relative = file.strip_prefix(core).unwrap();
        let parts = relative.components().count();
        if file.file_name().is_some_and(|n| n == "mod.rs") {
            parts - 1
        } else {
            parts
        }
    }

    /// Services depend only on the leaf modules and themselves: never on another service, on
    /// `world.rs` (which lists the services, so importing it is a cycle), the lab engine or
    /// the consoles. Every hop between services is a call the world makes (effect.rs).
    #[test]
    fn services_import_only_leaf_modules_and_themselves() {
        let core = root().join("core/src");
        let services: Vec<String> = std::fs::read_dir(&core)
            .unwrap()
            .flatten()
            // `lab` (checks) and `console` (read models) read every service; they are not services.
            // A leaf module kept as a folder (`policy/`) is not one either.
            .filter(|e| e.path().is_dir() && e.file_name() != "lab" && e.file_name() != "console")
            .filter(|e| !LEAF_MODULES.contains(&e.file_name().to_string_lossy().as_ref()))
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert!(services.contains(&"dynamodb".to_string()) && services.contains(&"sts".to_string()));
        assert!(services.contains(&"iam".to_string()) && !services.contains(&"policy".to_string()));
        for service in &services {
            for file in rust_files(&core.join(service)) {
                let text = std::fs::read_to_string(&file).unwrap();
                let (named, climbs) = crate_paths(&text, module_depth(&core, &file));
                for module in named {
                    assert!(
                        module == *service || LEAF_MODULES.contains(&module.as_str()),
                        "{} imports crate::{module}; a service imports only {} and itself (ARCHITECTURE.md)",
                        file.display(),
                        LEAF_MODULES.join(", ")
                    );
                }
                assert!(!climbs, "{} reaches outside its service with super::", file.display());
            }
        }
    }

    /// The leaf modules import only each other, so a service that imports them imports nothing else.
    #[test]
    fn leaf_modules_import_only_leaf_modules() {
        let core = root().join("core/src");
        for leaf in LEAF_MODULES {
            // A leaf is one file (`clock.rs`) or one folder (`policy/`), whose files may name
            // each other by `super::` but must not climb out of it.
            let folder = core.join(leaf);
            let files = if folder.is_dir() { rust_files(&folder) } else { vec![core.join(format!("{leaf}.rs"))] };
            assert!(!files.is_empty(), "leaf module {leaf} has no files");
            for file in files {
                let text = std::fs::read_to_string(&file).unwrap();
                let (named, climbs) = crate_paths(&text, module_depth(&core, &file));
                for module in named {
                    assert!(
                        LEAF_MODULES.contains(&module.as_str()),
                        "{} is a leaf module but imports crate::{module}",
                        file.display()
                    );
                }
                assert!(!climbs, "{} reaches outside its leaf module with super::", file.display());
            }
        }
    }

    /// The allowlist test itself: it sees the imports it must refuse.
    #[test]
    fn the_import_scan_sees_crate_paths_and_climbing() {
        assert_eq!(crate_paths("use crate::world::Ctx; x::crate::no", 1).0, ["world"]);
        assert!(!crate_paths("fn a() {}\n#[cfg(test)]\nmod tests {\n    use super::*;\n}", 1).1);
        assert_eq!(crate_paths("use crate::{clock, world::{A, B}, ids};", 1).0, ["clock", "world", "ids"]);
        assert!(crate_paths("use super::super::world;", 2).1);
        assert!(!crate_paths("use super::Table;", 2).1);
    }

    /// The UI builds no requests: every request a console or page sends is made by a lab-core
    /// function with a native test, so no component or page writes JSON itself.
    #[test]
    fn the_ui_builds_no_requests() {
        for dir in ["app/src/components", "app/src/pages"] {
            for file in rust_files(&root().join(dir)) {
                let text = std::fs::read_to_string(&file).unwrap();
                assert!(
                    !text.contains("json!"),
                    "{} writes JSON with json!; build the request in lab-core (core/src/console/)",
                    file.display()
                );
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
