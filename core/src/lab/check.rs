//! Evaluating checks against the account, and describing them in both languages.

use super::model::*;
use crate::dynamodb::probe::{item_from_plain, Conditions};
use crate::effect::Principal;
use crate::error::AwsError;
use crate::observed::{CallError, Event, Json};
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
                let mut conditions = match c.conditions() {
                    Ok(conditions) => conditions,
                    Err(err) => return broken(&err),
                };
                let mut matching = 0u64;
                for call in logged_calls(world) {
                    // Steps check what the learner did; calls services made for them are theirs.
                    if *call.caller != Principal::Learner || !call.is(&c.service, &c.action, c.error_code.as_deref()) {
                        continue;
                    }
                    match call.exchange_holds(&mut conditions, 0) {
                        Ok(true) => matching += 1,
                        Ok(false) => {}
                        Err(err) => return broken(&err),
                    }
                }
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
            Check::Item(c) => {
                let item = match world.dynamodb.item(&c.table, &c.key) {
                    Ok(item) => item,
                    Err(err) => return Verdict { passed: false, found: Some(err.code) },
                };
                match (item.as_ref(), c.absent) {
                    (None, absent) => Verdict { passed: absent, found: Some("no item".into()) },
                    (Some(_), true) => Verdict { passed: false, found: Some("item exists".into()) },
                    (Some(item), false) => {
                        match condition_of(&c.condition, &c.names, &c.values).and_then(|mut k| k.holds(0, Some(item))) {
                            Ok(holds) => {
                                Verdict { passed: holds, found: (!holds).then(|| "condition is false".into()) }
                            }
                            Err(err) => broken(&err),
                        }
                    }
                }
            }
            Check::ItemCount(c) => {
                let Some(table) = world.dynamodb.tables.get(&c.table) else {
                    return Verdict { passed: false, found: Some("ResourceNotFoundException".into()) };
                };
                let mut conditions = match condition_of(&c.condition, &c.names, &c.values) {
                    Ok(conditions) => conditions,
                    Err(err) => return broken(&err),
                };
                let mut count = 0u64;
                for item in table.items() {
                    match conditions.holds(0, Some(&item)) {
                        Ok(true) => count += 1,
                        Ok(false) => {}
                        Err(err) => return broken(&err),
                    }
                }
                Verdict { passed: count == c.count, found: Some(format!("{count}/{}", c.count)) }
            }
            Check::Resource(c) => match (world.read(&c.service, &c.action, &c.request), c.absent) {
                (Err(err), true) => Verdict { passed: err.code == "ResourceNotFoundException", found: Some(err.code) },
                (Ok(_), true) => Verdict { passed: false, found: Some("exists".into()) },
                (Err(err), false) => Verdict { passed: false, found: Some(err.code) },
                (Ok(response), false) => match condition_of(&c.condition, &c.names, &c.values)
                    .and_then(|mut k| k.holds(0, Some(&item_from_plain(&response))))
                {
                    Ok(holds) => Verdict { passed: holds, found: (!holds).then(|| "condition is false".into()) },
                    Err(err) => broken(&err),
                },
            },
            Check::StreamRecord(c) => {
                let mut conditions = match condition_of(&c.condition, &c.names, &c.values) {
                    Ok(conditions) => conditions,
                    Err(err) => return broken(&err),
                };
                let records = world.dynamodb.stream_records(&c.table, world.clock().now_ms(), &world.account.region);
                let mut matching = 0;
                for record in &records {
                    match conditions.holds(0, Some(&item_from_plain(record))) {
                        Ok(true) => matching += 1,
                        Ok(false) => {}
                        Err(err) => return broken(&err),
                    }
                }
                Verdict { passed: matching > 0, found: Some(format!("{matching}/{}", records.len())) }
            }
            Check::Answer(c) => {
                let latest = world.observed().events().rev().find_map(|e| match &e.event {
                    Event::Answer { id, value } if *id == c.id => Some(value.clone()),
                    _ => None,
                });
                let passed = latest
                    .as_deref()
                    .and_then(|v| v.trim().replace(',', ".").parse::<f64>().ok())
                    .is_some_and(|v| (v - c.equals).abs() <= 1e-9 * c.equals.abs().max(1.0));
                Verdict { passed, found: latest }
            }
            Check::Invocation(c) => c.evaluate(world),
            Check::LogLine(c) => c.evaluate(world),
            Check::Allowed(c) => c.evaluate(world),
            Check::ResourcePolicy(c) => c.evaluate(world),
        }
    }

    /// The condition expressions this check carries, parsed and checked as DynamoDB would; the
    /// loader reports their errors with the check's position.
    pub fn validate(&self) -> Result<(), AwsError> {
        match self {
            Check::CallMade(c) => c.conditions().map(drop),
            Check::Item(ItemCheck { condition, names, values, absent, .. }) => {
                if *absent && condition.is_some() {
                    return Err(AwsError::client("ValidationException", "an absent item has no condition to check"));
                }
                condition_of(condition, names, values).map(drop)
            }
            Check::ItemCount(ItemCount { condition, names, values, .. })
            | Check::StreamRecord(StreamRecordCheck { condition, names, values, .. }) => {
                condition_of(condition, names, values).map(drop)
            }
            Check::Resource(c) => {
                let reads = crate::world::read_only_actions(&c.service);
                if !reads.contains(&c.action.as_str()) {
                    let listed = if reads.is_empty() { "none".to_string() } else { reads.join(", ") };
                    return Err(AwsError::client(
                        "ValidationException",
                        format!(
                            "resource checks run a read-only operation; `{} {}` is not one ({}: {listed})",
                            c.service, c.action, c.service
                        ),
                    ));
                }
                if c.absent && c.condition.is_some() {
                    return Err(AwsError::client(
                        "ValidationException",
                        "an absent resource has no condition to check",
                    ));
                }
                condition_of(&c.condition, &c.names, &c.values).map(drop)
            }
            Check::Invocation(c) => c.validate(),
            Check::LogLine(c) => c.validate(),
            Check::Allowed(c) => c.validate(),
            Check::ResourcePolicy(c) => c.validate(),
            Check::LastError(_) | Check::ClockAtLeast(_) | Check::Answer(_) => Ok(()),
        }
    }

    /// A label for the step list when the author gave none.
    pub fn describe(&self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        let cond = |condition: &Option<String>| match condition {
            Some(c) if vi => format!(" thỏa `{c}`"),
            Some(c) => format!(" where `{c}`"),
            None => String::new(),
        };
        match self {
            Check::CallMade(c) => {
                let mut text = match (&c.error_code, vi) {
                    (None, true) => format!("Gọi thành công {} {} (ít nhất {} lần)", c.service, c.action, c.count),
                    (Some(code), true) => {
                        format!("Gọi {} {} và nhận lỗi {code} (ít nhất {} lần)", c.service, c.action, c.count)
                    }
                    (None, false) => format!("A successful {} {} call (at least {})", c.service, c.action, c.count),
                    (Some(code), false) => {
                        format!("A {} {} call failing with {code} (at least {})", c.service, c.action, c.count)
                    }
                };
                if let Some(r) = &c.request_condition {
                    text += &if vi { format!(", request thỏa `{r}`") } else { format!(", request where `{r}`") };
                }
                if let Some(r) = &c.response_condition {
                    text += &if vi { format!(", response thỏa `{r}`") } else { format!(", response where `{r}`") };
                }
                text
            }
            Check::LastError(c) if vi => format!("Lỗi gần nhất là {}", c.code),
            Check::LastError(c) => format!("The latest error is {}", c.code),
            Check::ClockAtLeast(c) if vi => format!("Đồng hồ ảo đã chạy ít nhất {}", duration(c.seconds, lang)),
            Check::ClockAtLeast(c) => format!("The virtual clock has run at least {}", duration(c.seconds, lang)),
            Check::Item(c) => {
                let key = serde_json::to_string(&c.key).unwrap_or_default();
                match (c.absent, vi) {
                    (true, true) => format!("Bảng {} không có mục {key}", c.table),
                    (true, false) => format!("Table {} has no item {key}", c.table),
                    (false, true) => format!("Bảng {} có mục {key}{}", c.table, cond(&c.condition)),
                    (false, false) => format!("Table {} has the item {key}{}", c.table, cond(&c.condition)),
                }
            }
            Check::ItemCount(c) if vi => format!("Bảng {} có đúng {} mục{}", c.table, c.count, cond(&c.condition)),
            Check::ItemCount(c) => format!("Table {} has exactly {} items{}", c.table, c.count, cond(&c.condition)),
            Check::Resource(c) => match (c.absent, vi) {
                (true, true) => format!("{} {} báo ResourceNotFoundException", c.service, c.action),
                (true, false) => format!("{} {} says ResourceNotFoundException", c.service, c.action),
                (false, true) => format!("{} {} thành công{}", c.service, c.action, cond(&c.condition)),
                (false, false) => format!("{} {} succeeds{}", c.service, c.action, cond(&c.condition)),
            },
            Check::StreamRecord(c) if vi => format!("Stream của bảng {} có bản ghi{}", c.table, cond(&c.condition)),
            Check::StreamRecord(c) => format!("The stream of table {} has a record{}", c.table, cond(&c.condition)),
            Check::Answer(c) if vi => format!("Câu trả lời cho `{}`", c.id),
            Check::Answer(c) => format!("The answer to `{}`", c.id),
            Check::Invocation(c) => c.describe(lang),
            Check::LogLine(c) => c.describe(lang),
            Check::Allowed(c) => c.describe(lang),
            Check::ResourcePolicy(c) => c.describe(lang),
        }
    }
}

impl CallMade {
    fn conditions(&self) -> Result<Conditions, AwsError> {
        Conditions::parse(
            &[self.request_condition.as_deref(), self.response_condition.as_deref()],
            &self.names,
            &self.values,
        )
    }
}

/// One call of the Observed log, borrowed.
pub(super) struct LoggedCall<'a> {
    pub service: &'a str,
    pub action: &'a str,
    pub request_id: &'a str,
    pub request: &'a Json,
    pub error: Option<&'a CallError>,
    pub response: Option<&'a Json>,
    pub caller: &'a Principal,
    pub cause: Option<&'a str>,
}

/// Every call the Observed log still holds, oldest first.
pub(super) fn logged_calls(world: &World) -> impl Iterator<Item = LoggedCall<'_>> {
    world.observed().events().filter_map(|e| match &e.event {
        Event::Call { service, action, request_id, request, error, response, caller, cause, .. } => Some(LoggedCall {
            service,
            action,
            request_id,
            request,
            error: error.as_ref(),
            response: response.as_ref(),
            caller,
            cause: cause.as_deref(),
        }),
        _ => None,
    })
}

impl LoggedCall<'_> {
    /// Whether this is a call of `service` `action` that succeeded or, with `error_code`, failed
    /// with that code.
    pub(super) fn is(&self, service: &str, action: &str, error_code: Option<&str>) -> bool {
        let outcome = match (error_code, self.error) {
            (None, None) => true,
            (Some(code), Some(error)) => code == error.code,
            _ => false,
        };
        outcome && self.service == service && self.action == action
    }

    /// Whether condition `at` holds over the request and `at + 1` over the response, both as
    /// attributes.
    pub(super) fn exchange_holds(&self, conditions: &mut Conditions, at: usize) -> Result<bool, AwsError> {
        if !conditions.holds(at, Some(&item_from_plain(&self.request.value())))? {
            return Ok(false);
        }
        let response = self.response.map(|r| item_from_plain(&r.value()));
        conditions.holds(at + 1, response.as_ref())
    }
}

fn condition_of(condition: &Option<String>, names: &Names, values: &Values) -> Result<Conditions, AwsError> {
    Conditions::parse(&[condition.as_deref()], names, values)
}

/// A check whose expression does not parse (the loader refuses such labs, so only a
/// hand-made check gets here): it fails, and says why.
pub(super) fn broken(err: &AwsError) -> Verdict {
    Verdict { passed: false, found: Some(format!("{}: {}", err.code, err.message)) }
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

/// The error code of the learner's most recent failed call, if any of theirs failed.
pub fn last_error_code(world: &World) -> Option<String> {
    world.observed().events().rev().find_map(|e| match &e.event {
        Event::Call { error: Some(error), caller: Principal::Learner, .. } => Some(error.code.clone()),
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
            request_condition: None,
            response_condition: None,
            names: Names::new(),
            values: Values::new(),
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

    fn names(pairs: &[(&str, &str)]) -> Names {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn values(json: serde_json::Value) -> Values {
        json.as_object().unwrap().iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    }

    fn music(world: &mut World) {
        world
            .call(
                "dynamodb",
                "CreateTable",
                &json!({"TableName": "Music", "BillingMode": "PAY_PER_REQUEST",
                    "AttributeDefinitions": [{"AttributeName": "Artist", "AttributeType": "S"}],
                    "KeySchema": [{"AttributeName": "Artist", "KeyType": "HASH"}],
                    "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"}}),
            )
            .unwrap();
    }

    #[test]
    fn dynamodb_checks_follow_the_tables() {
        let mut world = World::default();
        let key = json!({"Artist": {"S": "Acme Band"}}).as_object().unwrap().clone();
        let item = |condition: Option<&str>, absent: bool| {
            Check::Item(ItemCheck {
                table: "Music".into(),
                key: key.clone(),
                condition: condition.map(str::to_string),
                names: Names::new(),
                values: if condition.is_some() { values(json!({":t": {"S": "Live"}})) } else { Values::new() },
                absent,
            })
        };
        let count = |n: u64, condition: Option<&str>| {
            Check::ItemCount(ItemCount {
                table: "Music".into(),
                count: n,
                condition: condition.map(str::to_string),
                names: Names::new(),
                values: if condition.is_some() { values(json!({":n": {"S": "N"}})) } else { Values::new() },
            })
        };
        let active = Check::Resource(Resource {
            service: "dynamodb".into(),
            action: "DescribeTable".into(),
            request: json!({"TableName": "Music"}),
            condition: Some("#t.TableStatus = :a".into()),
            names: names(&[("#t", "Table")]),
            values: values(json!({":a": {"S": "ACTIVE"}})),
            absent: false,
        });
        let gone = Check::Resource(Resource {
            service: "dynamodb".into(),
            action: "DescribeTable".into(),
            request: json!({"TableName": "Music"}),
            condition: None,
            names: Names::new(),
            values: Values::new(),
            absent: true,
        });
        let record = Check::StreamRecord(StreamRecordCheck {
            table: "Music".into(),
            condition: Some("eventName = :m AND dynamodb.OldImage.Album.S = :t".into()),
            names: Names::new(),
            values: values(json!({":m": {"S": "MODIFY"}, ":t": {"S": "Live"}})),
        });
        check(item(None, false), &world, false, Some("ResourceNotFoundException"));
        check(gone.clone(), &world, true, Some("ResourceNotFoundException"));
        check(count(0, None), &world, false, Some("ResourceNotFoundException"));
        music(&mut world);
        check(active.clone(), &world, false, Some("condition is false"));
        check(gone.clone(), &world, false, Some("exists"));
        world.advance(10).unwrap();
        check(active, &world, true, None);
        check(item(None, false), &world, false, Some("no item"));
        check(item(None, true), &world, true, Some("no item"));
        check(count(0, None), &world, true, Some("0/0"));
        world
            .call("dynamodb", "PutItem", &json!({"TableName": "Music", "Item": {"Artist": {"S": "Acme Band"}, "Album": {"S": "Live"}, "Awards": {"S": "1"}}}))
            .unwrap();
        check(item(None, false), &world, true, None);
        check(item(None, true), &world, false, Some("item exists"));
        check(item(Some("Album = :t"), false), &world, true, None);
        check(item(Some("Album <> :t"), false), &world, false, Some("condition is false"));
        check(count(1, None), &world, true, Some("1/1"));
        check(count(1, Some("attribute_type(Awards, :n)")), &world, false, Some("0/1"));
        check(record.clone(), &world, false, Some("0/1"));
        world
            .call("dynamodb", "PutItem", &json!({"TableName": "Music", "Item": {"Artist": {"S": "Acme Band"}, "Album": {"S": "Studio"}, "Awards": {"N": "1"}}}))
            .unwrap();
        check(count(1, Some("attribute_type(Awards, :n)")), &world, true, Some("1/1"));
        check(record, &world, true, Some("1/2"));
    }

    #[test]
    fn calls_are_matched_by_request_and_response() {
        let mut world = World::default();
        music(&mut world);
        world.advance(10).unwrap();
        let query = |response: &str| {
            Check::CallMade(CallMade {
                service: "dynamodb".into(),
                action: "Query".into(),
                error_code: None,
                count: 1,
                request_condition: Some("contains(KeyConditionExpression, :eq)".into()),
                response_condition: Some(response.into()),
                names: names(&[("#c", "Count")]),
                values: values(json!({":eq": {"S": "="}, ":one": {"N": "1"}})),
            })
        };
        let request = json!({"TableName": "Music", "KeyConditionExpression": "Artist = :a",
            "ExpressionAttributeValues": {":a": {"S": "Acme Band"}}});
        world.call("dynamodb", "Query", &request).unwrap();
        check(query("#c = :one"), &world, false, None);
        world
            .call("dynamodb", "PutItem", &json!({"TableName": "Music", "Item": {"Artist": {"S": "Acme Band"}}}))
            .unwrap();
        world.call("dynamodb", "Query", &request).unwrap();
        check(query("#c = :one AND ScannedCount = #c"), &world, true, None);
        check(query("#c = :one AND ScannedCount > #c"), &world, false, None);
    }

    #[test]
    fn answers_are_numbers() {
        let mut world = World::default();
        let answer = Check::Answer(Answer { id: "rcu".into(), equals: 20.0 });
        check(answer.clone(), &world, false, None);
        world.answer("rcu", "10");
        check(answer.clone(), &world, false, Some("10"));
        world.answer("rcu", " 20,0 ");
        check(answer.clone(), &world, true, Some(" 20,0 "));
        world.answer("other", "1");
        check(answer, &world, true, Some(" 20,0 "));
    }

    #[test]
    fn bad_expressions_are_refused_before_use() {
        let c = Check::ItemCount(ItemCount {
            table: "Music".into(),
            count: 1,
            condition: Some("Count = :n".into()),
            names: Names::new(),
            values: values(json!({":n": {"N": "1"}})),
        });
        let err = c.validate().unwrap_err();
        assert_eq!(
            err.message,
            "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: Count"
        );
        let c = Check::Resource(Resource {
            service: "dynamodb".into(),
            action: "DeleteTable".into(),
            request: json!({}),
            condition: None,
            names: Names::new(),
            values: Values::new(),
            absent: false,
        });
        assert!(c.validate().unwrap_err().message.contains("not one"));
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
