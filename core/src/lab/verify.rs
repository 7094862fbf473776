//! Proving a lab: every step's checks fail before its reference solution and pass after it,
//! and the steps before it still pass. `lab labs check` and the test suite both use this.

use super::check::evaluate_lab;
use super::model::{Action, Lab};
use crate::error::AwsError;
use crate::world::{World, WorldConfig};
use serde_json::Value;

/// Does one action to the account.
pub fn apply(world: &mut World, action: &Action) -> Result<Value, AwsError> {
    match action {
        Action::Call { service, action, request } => world.call(service, action, request),
        Action::Advance(seconds) => world.advance(*seconds).map(|report| serde_json::json!(report)),
        Action::Answer { id, value } => {
            world.answer(id, value);
            Ok(serde_json::json!({}))
        }
    }
}

/// A new account for `lab`, with its setup calls done. A failing setup call is an error in the
/// lab, reported with its position.
pub fn new_lab_world(lab: &Lab, config: &WorldConfig) -> Result<World, String> {
    let mut world = World::new(config);
    for (i, action) in lab.setup.iter().enumerate() {
        apply(&mut world, action).map_err(|err| format!("setup action {} failed: {err}", i + 1))?;
    }
    Ok(world)
}

/// The outcome of replaying one step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepReport {
    pub step: String,
    /// Empty when the step is sound.
    pub problems: Vec<String>,
}

/// Replays every step of `lab` in a fresh account. A setup failure is reported against every
/// step, since none of them can be proved.
pub fn verify_lab(lab: &Lab) -> Vec<StepReport> {
    let mut world = match new_lab_world(lab, &WorldConfig::default()) {
        Ok(world) => world,
        Err(problem) => {
            return lab
                .steps
                .iter()
                .map(|s| StepReport { step: s.id.clone(), problems: vec![problem.clone()] })
                .collect();
        }
    };
    let mut reports = Vec::new();
    for (index, step) in lab.steps.iter().enumerate() {
        let mut problems = Vec::new();
        for (i, spec) in step.checks.iter().enumerate() {
            if spec.check.evaluate(&world).passed {
                problems.push(format!(
                    "check {} ({}) already passes before the solution",
                    i + 1,
                    spec.label(super::Lang::En)
                ));
            }
        }
        // A solution may fail on purpose (a step about reading errors); only checks judge it.
        for action in &step.solution {
            let _ = apply(&mut world, action);
        }
        let status = evaluate_lab(lab, &world);
        for (i, verdict) in status[index].checks.iter().enumerate() {
            if !verdict.passed {
                let label = step.checks[i].label(super::Lang::En);
                let found = verdict.found.as_deref().map(|f| format!("; found {f}")).unwrap_or_default();
                problems.push(format!("check {} ({label}) fails after the solution{found}", i + 1));
            }
        }
        for earlier in &status[..index] {
            if !earlier.passed() {
                problems.push(format!("earlier step `{}` no longer passes after this solution", earlier.step));
            }
        }
        reports.push(StepReport { step: step.id.clone(), problems });
    }
    reports
}
