//! Evaluating checks against the account, and describing them in both languages.

use super::model::*;
use crate::observed::Event;
use crate::world::World;
use serde::{Deserialize, Serialize};

/// The result of one check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    pub passed: bool,
    /// What the account shows instead, when that helps (the actual last error code, say).
    pub found: Option<String>,
}

impl Check {
    pub fn evaluate(&self, world: &World) -> Verdict {
        match self {
            Check::CallMade(c) => {
                let matching = world
                    .observed()
                    .events()
                    .filter(|e| match &e.event {
                        Event::Call { service, action, error, .. } => {
                            *service == c.service
                                && *action == c.action
                                && match (&c.error_code, error) {
                                    (None, None) => true,
                                    (Some(code), Some(error)) => *code == error.code,
                                    _ => false,
                                }
                        }
                        Event::Advance { .. } | Event::Effect { .. } => false,
                    })
                    .count() as u64;
                Verdict {
                    passed: matching >= u64::from(c.count),
                    found: (c.count > 1).then(|| format!("{matching}/{}", c.count)),
                }
            }
            Check::LastError(c) => {
                let last = last_error_code(world);
                Verdict { passed: last.as_deref() == Some(c.code.as_str()), found: last }
            }
            Check::ClockAtLeast(c) => {
                let elapsed = world.clock().elapsed_ms() / 1000;
                Verdict { passed: elapsed >= c.seconds, found: Some(format!("{elapsed} s")) }
            }
        }
    }

    /// A label for the step list when the author gave none.
    pub fn describe(&self, lang: Lang) -> String {
        match (self, lang) {
            (Check::CallMade(c), Lang::Vi) => match &c.error_code {
                None => format!("Gọi thành công {} {} (ít nhất {} lần)", c.service, c.action, c.count),
                Some(code) => format!("Gọi {} {} và nhận lỗi {code} (ít nhất {} lần)", c.service, c.action, c.count),
            },
            (Check::CallMade(c), Lang::En) => match &c.error_code {
                None => format!("A successful {} {} call (at least {})", c.service, c.action, c.count),
                Some(code) => format!("A {} {} call failing with {code} (at least {})", c.service, c.action, c.count),
            },
            (Check::LastError(c), Lang::Vi) => format!("Lỗi gần nhất là {}", c.code),
            (Check::LastError(c), Lang::En) => format!("The latest error is {}", c.code),
            (Check::ClockAtLeast(c), Lang::Vi) => format!("Đồng hồ ảo đã chạy ít nhất {}", duration(c.seconds, lang)),
            (Check::ClockAtLeast(c), Lang::En) => {
                format!("The virtual clock has run at least {}", duration(c.seconds, lang))
            }
        }
    }
}

impl CheckSpec {
    /// The author's label, or the check's own description.
    pub fn label(&self, lang: Lang) -> String {
        match &self.label {
            Some(label) => label.get(lang).to_string(),
            None => self.check.describe(lang),
        }
    }
}

/// The error code of the most recent failed call, if any call failed.
pub fn last_error_code(world: &World) -> Option<String> {
    world.observed().events().rev().find_map(|e| match &e.event {
        Event::Call { error: Some(error), .. } => Some(error.code.clone()),
        _ => None,
    })
}

/// Evaluates every check of every step of `lab`, in order.
pub fn evaluate_lab(lab: &Lab, world: &World) -> Vec<StepStatus> {
    lab.steps
        .iter()
        .map(|step| StepStatus {
            step: step.id.clone(),
            checks: step.checks.iter().map(|spec| spec.check.evaluate(world)).collect(),
        })
        .collect()
}

/// The verdicts of one step's checks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepStatus {
    pub step: String,
    pub checks: Vec<Verdict>,
}

impl StepStatus {
    pub fn passed(&self) -> bool {
        self.checks.iter().all(|v| v.passed)
    }
}

/// The index of the hint to reveal next: a not-yet-revealed hint whose `when_error` matches the
/// learner's latest error, else the first not yet revealed.
pub fn next_hint(step: &Step, revealed: &[usize], last_error: Option<&str>) -> Option<usize> {
    let unrevealed = || (0..step.hints.len()).filter(|i| !revealed.contains(i));
    unrevealed()
        .find(|&i| last_error.is_some() && step.hints[i].when_error.as_deref() == last_error)
        .or_else(|| unrevealed().find(|&i| step.hints[i].when_error.is_none()))
        .or_else(|| unrevealed().next())
}

/// "90 s", "5 min", "2 h", "3 ngày"/"3 days": the largest unit that divides evenly.
pub fn duration(seconds: u64, lang: Lang) -> String {
    let (value, unit) = match seconds {
        s if s >= 86_400 && s % 86_400 == 0 => (s / 86_400, if lang == Lang::Vi { "ngày" } else { "days" }),
        s if s >= 3600 && s % 3600 == 0 => (s / 3600, "h"),
        s if s >= 60 && s % 60 == 0 => (s / 60, "min"),
        s => (s, "s"),
    };
    let unit = if value == 1 && unit == "days" { "day" } else { unit };
    format!("{value} {unit}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(check: Check, world: &World, passed: bool, found: Option<&str>) {
        let verdict = check.evaluate(world);
        assert_eq!(verdict, Verdict { passed, found: found.map(str::to_string) }, "{check:?}");
    }

    fn call_made(action: &str, error_code: Option<&str>, count: u32) -> Check {
        Check::CallMade(CallMade {
            service: "sts".into(),
            action: action.into(),
            error_code: error_code.map(str::to_string),
            count,
        })
    }

    #[test]
    fn checks_follow_the_account() {
        let mut world = World::default();
        check(call_made("GetCallerIdentity", None, 1), &world, false, None);
        check(Check::LastError(LastError { code: "InvalidAction".into() }), &world, false, None);
        world.call("sts", "GetCallerIdentity", &json!({})).unwrap();
        world.call("sts", "Whoami", &json!({})).unwrap_err();
        check(call_made("GetCallerIdentity", None, 1), &world, true, None);
        check(call_made("GetCallerIdentity", None, 2), &world, false, Some("1/2"));
        check(call_made("Whoami", Some("InvalidAction"), 1), &world, true, None);
        check(call_made("Whoami", None, 1), &world, false, None);
        check(Check::LastError(LastError { code: "InvalidAction".into() }), &world, true, Some("InvalidAction"));
        check(Check::ClockAtLeast(ClockAtLeast { seconds: 60 }), &world, false, Some("0 s"));
        world.advance(60).unwrap();
        check(Check::ClockAtLeast(ClockAtLeast { seconds: 60 }), &world, true, Some("60 s"));
    }

    #[test]
    fn descriptions() {
        let c = call_made("GetCallerIdentity", None, 1);
        assert_eq!(c.describe(Lang::En), "A successful sts GetCallerIdentity call (at least 1)");
        assert_eq!(c.describe(Lang::Vi), "Gọi thành công sts GetCallerIdentity (ít nhất 1 lần)");
        let c = Check::ClockAtLeast(ClockAtLeast { seconds: 86_400 });
        assert_eq!(c.describe(Lang::En), "The virtual clock has run at least 1 day");
        assert_eq!(c.describe(Lang::Vi), "Đồng hồ ảo đã chạy ít nhất 1 ngày");
        assert_eq!(duration(90, Lang::En), "90 s");
        assert_eq!(duration(7200, Lang::En), "2 h");
    }

    #[test]
    fn hints_prefer_the_one_for_the_latest_error() {
        let hint = |when: Option<&str>| Hint { vi: "v".into(), en: "e".into(), when_error: when.map(str::to_string) };
        let step = Step {
            id: "s".into(),
            title: Localized { vi: "v".into(), en: "e".into() },
            checks: vec![],
            hints: vec![hint(None), hint(Some("InvalidAction")), hint(None)],
            solution: vec![],
        };
        assert_eq!(next_hint(&step, &[], None), Some(0));
        assert_eq!(next_hint(&step, &[], Some("InvalidAction")), Some(1));
        assert_eq!(next_hint(&step, &[0], None), Some(2));
        assert_eq!(next_hint(&step, &[0, 2], None), Some(1));
        assert_eq!(next_hint(&step, &[0, 1, 2], Some("InvalidAction")), None);
    }
}
