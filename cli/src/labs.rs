//! `lab labs check [DIR]`: load every lab from disk, then prove each step.

use lab_core::lab::{parse_catalog, parse_lab, verify_lab, Lab, LabError, Lang};
use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Write};
use std::path::Path;

/// A lab folder read from disk: the lab, or every error that stops it loading.
pub struct Loaded {
    pub id: String,
    pub result: Result<Lab, Vec<LabError>>,
}

/// Reads `dir/labs.toml` and every lab it lists. Errors in one lab do not stop the others.
pub fn load_dir(dir: &Path) -> Result<Vec<Loaded>, Vec<LabError>> {
    let catalog_path = dir.join("labs.toml");
    let catalog_name = catalog_path.display().to_string();
    let text = fs::read_to_string(&catalog_path)
        .map_err(|err| vec![LabError::file(&catalog_name, format!("cannot read: {err}"))])?;
    let catalog = parse_catalog(&catalog_name, &text)?;
    let mut loaded: Vec<Loaded> =
        catalog.labs.iter().map(|id| Loaded { id: id.clone(), result: load_lab(&dir.join(id), id) }).collect();
    // A lab folder the catalog forgot would silently never be shown: report it.
    let listed: BTreeSet<&String> = catalog.labs.iter().collect();
    if let Ok(entries) = fs::read_dir(dir) {
        let mut unlisted: Vec<String> = entries
            .filter_map(Result::ok)
            .filter(|e| e.path().join("lab.toml").is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|name| !listed.contains(name))
            .collect();
        unlisted.sort();
        for id in unlisted {
            let error = LabError::file(&catalog_name, format!("lab folder `{id}` is not listed in `labs`"));
            loaded.push(Loaded { id, result: Err(vec![error]) });
        }
    }
    Ok(loaded)
}

/// Reads one lab folder: lab.toml, its request files, and checks that every prose file exists.
pub fn load_lab(lab_dir: &Path, id: &str) -> Result<Lab, Vec<LabError>> {
    let toml_path = lab_dir.join("lab.toml");
    let toml_name = toml_path.display().to_string();
    let text = fs::read_to_string(&toml_path)
        .map_err(|err| vec![LabError::file(&toml_name, format!("cannot read: {err}"))])?;
    let draft = parse_lab(id, &toml_name, &text)?;
    let lab = draft.finish(|file| fs::read_to_string(lab_dir.join(file)).ok())?;
    let mut errors = Vec::new();
    for step in &lab.steps {
        for lang in Lang::ALL {
            let path = lab_dir.join(step.prose_file(lang));
            match fs::read_to_string(&path) {
                Ok(text) if text.trim().is_empty() => {
                    errors.push(LabError::file(&path.display().to_string(), "prose file is empty"))
                }
                Ok(_) => {}
                Err(err) => {
                    errors.push(LabError::file(&path.display().to_string(), format!("cannot read prose: {err}")))
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(lab)
    } else {
        Err(errors)
    }
}

/// Prints a report and `N passed, M failed` (steps; a lab that does not load counts as one
/// failure). Returns whether everything passed.
pub fn check(dir: &Path, mut out: impl Write) -> io::Result<bool> {
    let (mut passed, mut failed) = (0, 0);
    match load_dir(dir) {
        Err(errors) => {
            for error in errors {
                writeln!(out, "{error}")?;
            }
            failed += 1;
        }
        Ok(labs) => {
            for loaded in labs {
                writeln!(out, "{}", loaded.id)?;
                match loaded.result {
                    Err(errors) => {
                        for error in errors {
                            writeln!(out, "  error {error}")?;
                        }
                        failed += 1;
                    }
                    Ok(lab) => {
                        for report in verify_lab(&lab) {
                            if report.problems.is_empty() {
                                writeln!(out, "  ok    {}", report.step)?;
                                passed += 1;
                            } else {
                                writeln!(out, "  FAIL  {}", report.step)?;
                                for problem in report.problems {
                                    writeln!(out, "        {problem}")?;
                                }
                                failed += 1;
                            }
                        }
                    }
                }
            }
        }
    }
    writeln!(out, "{passed} passed, {failed} failed")?;
    Ok(failed == 0)
}
