//! The checks over what a serverless app does: a Lambda function's invocations and the calls its
//! handler made (`invocation`), the events of a CloudWatch Logs group (`log_line`), and what IAM
//! lets a role do (`allowed`).
//!
//! Invocations are read from the Observed log, as `call_made` reads calls (`check.rs`'s
//! `LoggedCall`, with the same condition expressions); log events from the logs service's groups,
//! matched by the service's own filter patterns (`crate::logs::pattern`); and IAM's judgement is
//! `crate::iam::Iam::explain`, the evaluator the world asks before a role's call.

use super::check::{broken, logged_calls, LoggedCall, Verdict};
use super::model::*;
use crate::dynamodb::probe::{item_from_plain, Conditions};
use crate::effect::Principal;
use crate::error::AwsError;
use crate::iam::PolicySource;
use crate::logs::pattern;
use crate::observed::Json;
use crate::policy::Decision;
use crate::world::{World, SERVICES};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};

fn invalid(message: impl Into<String>) -> AwsError {
    AwsError::client("ValidationException", message)
}

impl InvocationCheck {
    /// Condition 0 is over the event, 1 over the returned payload, 2 and 3 over the traced call's
    /// request and response: one set of names and values for all four, as DynamoDB requires of
    /// one request's expressions.
    fn conditions(&self) -> Result<Conditions, AwsError> {
        let called = self.called.as_ref();
        Conditions::parse(
            &[
                self.payload_condition.as_deref(),
                self.response_condition.as_deref(),
                called.and_then(|c| c.request_condition.as_deref()),
                called.and_then(|c| c.response_condition.as_deref()),
            ],
            &self.names,
            &self.values,
        )
    }

    pub(super) fn validate(&self) -> Result<(), AwsError> {
        let name = &self.function;
        let valid = !name.is_empty()
            && name.len() <= 64
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !valid {
            return Err(invalid(format!(
                "invocation.function is a function's name (1 to 64 letters, digits, `-` and `_`), not `{name}`"
            )));
        }
        self.conditions().map(drop)
    }

    pub(super) fn evaluate(&self, world: &World) -> Verdict {
        let mut conditions = match self.conditions() {
            Ok(conditions) => conditions,
            Err(err) => return broken(&err),
        };
        let calls: Vec<LoggedCall> = logged_calls(world).collect();
        // Who asked for each asynchronous invocation: Lambda runs it with an Invoke of its own,
        // caused by the asking call.
        let asked: HashMap<&str, &Principal> = calls
            .iter()
            .filter(|k| k.is("lambda", "Invoke", None) && k.request.value()["InvocationType"] == "Event")
            .map(|k| (k.request_id, k.caller))
            .collect();
        // The calls each call caused: a handler's SDK calls are caused by its Invoke.
        let mut caused: HashMap<&str, Vec<&LoggedCall>> = HashMap::new();
        if self.called.is_some() {
            for k in &calls {
                if let Some(cause) = k.cause {
                    caused.entry(cause).or_default().push(k);
                }
            }
        }
        let (mut matching, mut latest) = (0u64, None);
        for k in &calls {
            if !k.is("lambda", "Invoke", None) {
                continue;
            }
            let request = k.request.value();
            if function_name(request["FunctionName"].as_str().unwrap_or_default()) != self.function {
                continue;
            }
            // An Event (202) or DryRun (204) Invoke ran nothing itself.
            let Some(response) = k.response.map(Json::value) else { continue };
            if response["StatusCode"] != 200 {
                continue;
            }
            let by_lambda = matches!(k.caller, Principal::Service { name } if name == "lambda.amazonaws.com");
            let origin = k.cause.and_then(|cause| asked.get(cause)).filter(|_| by_lambda);
            if !self.by.made(k.caller) && !origin.is_some_and(|o| self.by.made(o)) {
                continue;
            }
            let returned = response.get("Payload").map(payload);
            let ending = Ending::of(&response, returned.as_ref());
            let outcome_holds = self.outcome.is_none_or(|o| ending.is(o));
            latest = Some(ending);
            if !outcome_holds {
                continue;
            }
            let event = payload(request.get("Payload").unwrap_or(&Value::Null));
            let holds = self.run_holds(&mut conditions, &event, returned.as_ref(), caused.get(k.request_id));
            match holds {
                Ok(true) => matching += 1,
                Ok(false) => {}
                Err(err) => return broken(&err),
            }
        }
        let count = u64::from(self.count);
        let passed = matching >= count;
        let found = match latest {
            None => Some("no invocation".to_string()),
            Some(_) if passed => (count > 1).then(|| format!("{matching}/{count}")),
            Some(ending) => Some(format!("{matching}/{count}, latest: {}", ending.describe())),
        };
        Verdict { passed, found }
    }

    /// Whether one run's event, returned payload and trace (the calls its Invoke caused) satisfy
    /// the conditions.
    fn run_holds(
        &self,
        conditions: &mut Conditions,
        event: &Value,
        returned: Option<&Value>,
        trace: Option<&Vec<&LoggedCall>>,
    ) -> Result<bool, AwsError> {
        if !conditions.holds(0, Some(&item_from_plain(event)))?
            || !conditions.holds(1, returned.map(item_from_plain).as_ref())?
        {
            return Ok(false);
        }
        let Some(called) = &self.called else { return Ok(true) };
        for call in trace.into_iter().flatten() {
            if call.is(&called.service, &called.action, called.error_code.as_deref())
                && call.exchange_holds(conditions, 2)?
            {
                return Ok(true);
            }
        }
        Ok(false)
    }

    pub(super) fn describe(&self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        let mut text = if vi {
            let outcome = match self.outcome {
                None => "",
                Some(InvocationOutcome::Success) => " thành công",
                Some(InvocationOutcome::Error) => " và báo lỗi",
                Some(InvocationOutcome::Timeout) => " và hết thời gian (timeout)",
            };
            let by = match &self.by {
                Invoker::Learner => "bởi bạn".to_string(),
                Invoker::Any => "bởi bất kỳ ai".to_string(),
                Invoker::Service(name) | Invoker::Role(name) => format!("bởi {name}"),
            };
            format!("Hàm {} được invoke{outcome} {by} (ít nhất {} lần)", self.function, self.count)
        } else {
            let outcome = match self.outcome {
                None => "",
                Some(InvocationOutcome::Success) => "successful ",
                Some(InvocationOutcome::Error) => "failed ",
                Some(InvocationOutcome::Timeout) => "timed-out ",
            };
            let by = match &self.by {
                Invoker::Learner => "by you".to_string(),
                Invoker::Any => "by anyone".to_string(),
                Invoker::Service(name) | Invoker::Role(name) => format!("by {name}"),
            };
            format!("A {outcome}invocation of function {} {by} (at least {})", self.function, self.count)
        };
        if let Some(c) = &self.payload_condition {
            text += &if vi { format!(", event thỏa `{c}`") } else { format!(", event where `{c}`") };
        }
        if let Some(c) = &self.response_condition {
            text += &if vi {
                format!(", payload trả về thỏa `{c}`")
            } else {
                format!(", returned payload where `{c}`")
            };
        }
        if let Some(called) = &self.called {
            text += &match (&called.error_code, vi) {
                (None, true) => format!(", handler gọi thành công {} {}", called.service, called.action),
                (Some(code), true) => format!(", handler gọi {} {} và nhận lỗi {code}", called.service, called.action),
                (None, false) => format!(", whose handler called {} {}", called.service, called.action),
                (Some(code), false) => {
                    format!(", whose handler's {} {} call failed with {code}", called.service, called.action)
                }
            };
            if let Some(c) = &called.request_condition {
                text += &if vi { format!(", request thỏa `{c}`") } else { format!(", request where `{c}`") };
            }
            if let Some(c) = &called.response_condition {
                text += &if vi { format!(", response thỏa `{c}`") } else { format!(", response where `{c}`") };
            }
        }
        text
    }
}

impl Invoker {
    /// Whether a call made by `caller` counts as made by this invoker.
    fn made(&self, caller: &Principal) -> bool {
        match (self, caller) {
            (Invoker::Any, _) | (Invoker::Learner, Principal::Learner) => true,
            (Invoker::Service(want), Principal::Service { name }) => want == name,
            (Invoker::Role(want), Principal::Role { arn, .. }) => want == arn,
            _ => false,
        }
    }
}

/// The function an Invoke's FunctionName names: `NAME`, `NAME:QUALIFIER`,
/// `ACCOUNT:function:NAME[:QUALIFIER]` or `arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]`.
fn function_name(reference: &str) -> &str {
    let parts: Vec<&str> = reference.split(':').collect();
    match parts.as_slice() {
        ["arn", _, "lambda", _, _, "function", name, ..] | [_, "function", name, ..] => name,
        [name, ..] => name,
        [] => "",
    }
}

/// A `Payload` member (JSON text, as Invoke takes and answers it) as JSON: nothing is `{}`, and a
/// text that is not JSON stays a string (which has no attributes).
fn payload(member: &Value) -> Value {
    match member {
        Value::Null => json!({}),
        Value::String(text) if text.trim().is_empty() => json!({}),
        Value::String(text) => serde_json::from_str(text).unwrap_or_else(|_| member.clone()),
        other => other.clone(),
    }
}

/// How one invocation ended, as its Invoke response says.
struct Ending {
    outcome: InvocationOutcome,
    /// The returned `errorType` of a failed one (`TypeError`), when the log kept it.
    error_type: Option<String>,
}

impl Ending {
    fn of(response: &Value, returned: Option<&Value>) -> Ending {
        if response.get("FunctionError").is_none() {
            return Ending { outcome: InvocationOutcome::Success, error_type: None };
        }
        let error_type = returned.and_then(|p| p.get("errorType")).and_then(Value::as_str);
        let message = returned.and_then(|p| p.get("errorMessage")).and_then(Value::as_str).unwrap_or_default();
        // Lambda answers a timeout with only an errorMessage (newer runtimes: Sandbox.Timedout).
        let timed_out = message.contains("Task timed out after") && error_type.is_none_or(|t| t == "Sandbox.Timedout");
        Ending {
            outcome: if timed_out { InvocationOutcome::Timeout } else { InvocationOutcome::Error },
            error_type: error_type.map(str::to_string),
        }
    }

    /// Whether this ending is `outcome`: a timeout is an error too.
    fn is(&self, outcome: InvocationOutcome) -> bool {
        self.outcome == outcome || (outcome == InvocationOutcome::Error && self.outcome == InvocationOutcome::Timeout)
    }

    fn describe(&self) -> String {
        match &self.error_type {
            Some(error_type) => format!("{} ({error_type})", self.outcome.as_str()),
            None => self.outcome.as_str().to_string(),
        }
    }
}

impl LogLine {
    fn pattern(&self) -> Result<Option<pattern::Pattern>, AwsError> {
        let Some(text) = &self.pattern else { return Ok(None) };
        pattern::parse(text).map(Some).map_err(|err| {
            let code = if err.unsupported { "SimulatorLimitation" } else { "InvalidParameterException" };
            AwsError::client(
                code,
                format!("log_line.pattern `{text}` at {}: {} ({})", err.position(text), err.detail, err.message),
            )
        })
    }

    pub(super) fn validate(&self) -> Result<(), AwsError> {
        if self.group.is_empty() || self.group.len() > 512 {
            return Err(invalid("log_line.group is a log group's name, 1 to 512 characters"));
        }
        if self.contains.as_deref() == Some("") {
            return Err(invalid("log_line.contains is a text to find; an empty one is in every event"));
        }
        self.pattern().map(drop)
    }

    pub(super) fn evaluate(&self, world: &World) -> Verdict {
        let pattern = match self.pattern() {
            Ok(pattern) => pattern,
            Err(err) => return broken(&err),
        };
        let Some(group) = world.logs.groups.get(&self.group) else {
            return Verdict { passed: self.absent, found: Some("no log group".into()) };
        };
        let now = world.clock().now_ms();
        let prefix = self.stream_prefix.as_deref().unwrap_or_default();
        let (mut total, mut matching) = (0usize, 0usize);
        for stream in group.streams.values().filter(|s| s.name.starts_with(prefix)) {
            for event in group.retained(stream, now) {
                total += 1;
                let contains = self.contains.as_deref().is_none_or(|text| event.message.contains(text));
                if contains && pattern.as_ref().is_none_or(|p| p.matches(&event.message)) {
                    matching += 1;
                }
            }
        }
        Verdict { passed: (matching > 0) != self.absent, found: Some(format!("{matching}/{total}")) }
    }

    pub(super) fn describe(&self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        let mut what = Vec::new();
        if let Some(p) = &self.pattern {
            what.push(if vi { format!("khớp `{p}`") } else { format!("matching `{p}`") });
        }
        if let Some(t) = &self.contains {
            what.push(if vi { format!("chứa `{t}`") } else { format!("containing `{t}`") });
        }
        let what = what.join(if vi { " và " } else { " and " });
        let streams = match &self.stream_prefix {
            Some(p) if vi => format!(" trong các stream bắt đầu bằng `{p}`"),
            Some(p) => format!(" in streams starting with `{p}`"),
            None => String::new(),
        };
        let space = if what.is_empty() { "" } else { " " };
        match (self.absent, vi) {
            (false, true) => format!("Log group {} có sự kiện{space}{what}{streams}", self.group),
            (true, true) => format!("Log group {} không có sự kiện nào{space}{what}{streams}", self.group),
            (false, false) => format!("Log group {} has an event{space}{what}{streams}", self.group),
            (true, false) => format!("Log group {} has no event{space}{what}{streams}", self.group),
        }
    }
}

impl Allowed {
    /// The action's service prefix and name (`secretsmanager`, `GetSecretValue`).
    fn action_parts(&self) -> Option<(&str, &str)> {
        let (prefix, name) = self.action.split_once(':')?;
        let prefix_ok =
            !prefix.is_empty() && prefix.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        let name_ok = !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric());
        (prefix_ok && name_ok).then_some((prefix, name))
    }

    /// The request's condition keys, each a list of texts.
    fn context(&self) -> Result<BTreeMap<String, Vec<String>>, AwsError> {
        let text = |key: &str, value: &Value| match value {
            Value::String(s) => Ok(s.clone()),
            Value::Number(n) => Ok(n.to_string()),
            Value::Bool(b) => Ok(b.to_string()),
            _ => Err(invalid(format!("allowed.context.\"{key}\" is a text or a list of texts"))),
        };
        let mut context = BTreeMap::new();
        for (key, value) in &self.context {
            if key.is_empty() {
                return Err(invalid("allowed.context has an empty key"));
            }
            let values = match value {
                Value::Array(items) => items.iter().map(|v| text(key, v)).collect::<Result<Vec<_>, _>>()?,
                other => vec![text(key, other)?],
            };
            context.insert(key.clone(), values);
        }
        Ok(context)
    }

    pub(super) fn validate(&self) -> Result<(), AwsError> {
        let role = &self.role;
        let role_ok = !role.is_empty()
            && role.len() <= 64
            && role.chars().all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c));
        if !role_ok {
            return Err(invalid(format!(
                "allowed.role is a role's name (1 to 64 letters, digits and `+=,.@_-`), not `{role}`"
            )));
        }
        let Some((prefix, _)) = self.action_parts() else {
            return Err(invalid(format!(
                "allowed.action is one IAM action, `service:Action` such as `secretsmanager:GetSecretValue` (no wildcards), not `{}`",
                self.action
            )));
        };
        match (&self.resource, &self.request) {
            (Some(resource), None) => {
                if resource != "*" && !resource.starts_with("arn:") {
                    return Err(invalid(format!("allowed.resource is an ARN or `*`, not `{resource}`")));
                }
            }
            (None, Some(request)) => {
                if !request.is_object() {
                    return Err(invalid("allowed.request is a request, a table of its members"));
                }
                if !SERVICES.contains(&prefix) {
                    return Err(invalid(format!(
                        "allowed.request names resources through a simulated service, and `{prefix}` is not one ({}); give `resource` instead",
                        SERVICES.join(", ")
                    )));
                }
            }
            _ => {
                return Err(invalid(
                    "allowed needs exactly one of `resource` (an ARN) or `request` (the call's request, whose resources the service names)",
                ))
            }
        }
        self.context().map(drop)
    }

    pub(super) fn evaluate(&self, world: &World) -> Verdict {
        let (Some((prefix, name)), Ok(context)) = (self.action_parts(), self.context()) else {
            return broken(&self.validate().err().unwrap_or_else(|| invalid("allowed is malformed")));
        };
        let role_arn = match world.read("iam", "GetRole", &json!({ "RoleName": self.role })) {
            Ok(answer) => answer["Role"]["Arn"].as_str().unwrap_or_default().to_string(),
            Err(err) => return Verdict { passed: false, found: Some(err.code) },
        };
        let resources = match (&self.resource, &self.request) {
            (Some(resource), _) => vec![resource.clone()],
            (None, Some(request)) => match world.resources(prefix, name, request) {
                Some(resources) => resources,
                None => return broken(&invalid(format!("no simulated service answers to `{prefix}`"))),
            },
            (None, None) => return broken(&invalid("allowed needs `resource` or `request`")),
        };
        let policies = world.iam.identity_policies(&role_arn);
        let policy_names = |matched: &[crate::policy::Matched]| {
            let mut names: Vec<&str> = matched
                .iter()
                .filter_map(|m| policies.get(m.policy))
                .map(|(source, _)| match source {
                    PolicySource::Inline { name, .. } | PolicySource::Managed { name, .. } => name.as_str(),
                })
                .collect();
            names.dedup();
            names.join(", ")
        };
        let mut allowed_by = Vec::new();
        for resource in &resources {
            let evaluation = world.iam.explain(&world.account, &role_arn, &self.action, resource, &context);
            let found = match evaluation.decision {
                Decision::Allowed => {
                    allowed_by.push(policy_names(&evaluation.matched));
                    continue;
                }
                Decision::ImplicitDeny => format!("implicitDeny on {resource}"),
                Decision::ExplicitDeny => {
                    format!("explicitDeny on {resource} by {}", policy_names(&evaluation.matched))
                }
            };
            return Verdict { passed: self.denied, found: Some(found) };
        }
        allowed_by.dedup();
        let found = if resources.is_empty() {
            "no resource to judge".to_string()
        } else {
            format!("allowed by {}", allowed_by.join(", "))
        };
        Verdict { passed: !self.denied, found: Some(found) }
    }

    pub(super) fn describe(&self, lang: Lang) -> String {
        let on = match (&self.resource, &self.request, lang) {
            (Some(resource), _, _) => resource.clone(),
            (None, Some(request), Lang::Vi) => format!("tài nguyên của request `{request}`"),
            (None, Some(request), Lang::En) => format!("the resources of request `{request}`"),
            (None, None, _) => "?".to_string(),
        };
        match (self.denied, lang) {
            (false, Lang::Vi) => format!("IAM cho phép role {} thực hiện {} trên {on}", self.role, self.action),
            (true, Lang::Vi) => format!("IAM không cho phép role {} thực hiện {} trên {on}", self.role, self.action),
            (false, Lang::En) => format!("IAM allows role {} to {} on {on}", self.role, self.action),
            (true, Lang::En) => format!("IAM does not allow role {} to {} on {on}", self.role, self.action),
        }
    }
}

impl ResourcePolicy {
    /// The function's name and qualifier.
    fn target(&self) -> (&str, Option<&str>) {
        match self.function.split_once(':') {
            Some((name, qualifier)) => (name, Some(qualifier)),
            None => (&self.function, None),
        }
    }

    fn caller(&self) -> crate::policy::Caller {
        let p = &self.principal;
        if p.len() == 12 && p.bytes().all(|b| b.is_ascii_digit()) {
            crate::policy::Caller::Aws { arn: format!("arn:aws:iam::{p}:root") }
        } else if p.starts_with("arn:") {
            crate::policy::Caller::Aws { arn: p.clone() }
        } else {
            crate::policy::Caller::Service { name: p.clone() }
        }
    }

    pub(super) fn validate(&self) -> Result<(), AwsError> {
        let (name, qualifier) = self.target();
        let word = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !word(name) || name.len() > 64 || qualifier.is_some_and(|q| q != "$LATEST" && !word(q)) {
            return Err(invalid(format!(
                "resource_policy.function is a function's name, or NAME:QUALIFIER for a version or alias, not `{}`",
                self.function
            )));
        }
        if self.principal.is_empty() || self.principal.chars().any(char::is_whitespace) {
            return Err(invalid("resource_policy.principal is a service principal, an account id or an ARN"));
        }
        let action_ok = self
            .action
            .strip_prefix("lambda:")
            .is_some_and(|a| !a.is_empty() && a.bytes().all(|b| b.is_ascii_alphabetic()));
        if !action_ok {
            return Err(invalid(format!(
                "resource_policy.action is one Lambda action such as `lambda:InvokeFunction`, not `{}`",
                self.action
            )));
        }
        if let Some(acct) = &self.source_account {
            if acct.len() != 12 || !acct.bytes().all(|b| b.is_ascii_digit()) {
                return Err(invalid(format!("resource_policy.source_account is a 12-digit account id, not `{acct}`")));
            }
        }
        Ok(())
    }

    pub(super) fn evaluate(&self, world: &World) -> Verdict {
        if let Err(e) = self.validate() {
            return broken(&e);
        }
        let (name, qualifier) = self.target();
        let Some(function) = world.lambda.functions.get(name) else {
            return Verdict { passed: false, found: Some("no such function".into()) };
        };
        let mut context = crate::policy::Context::new();
        if let Some(arn) = &self.source_arn {
            context.insert("aws:SourceArn".into(), vec![arn.clone()]);
        }
        if let Some(acct) = &self.source_account {
            context.insert("aws:SourceAccount".into(), vec![acct.clone()]);
        }
        let key = qualifier.unwrap_or_default();
        let statements = function.policies.get(key).map_or(0, |p| p.statements.len());
        let allowed =
            crate::lambda::permissions::invoke_allowed(function, qualifier, &self.caller(), &self.action, &context);
        let found = match (allowed, statements) {
            (true, _) => "allowed".to_string(),
            (false, 0) => "no resource policy".to_string(),
            (false, n) => format!("not allowed by its {n} statement(s)"),
        };
        Verdict { passed: allowed != self.denied, found: Some(found) }
    }

    pub(super) fn describe(&self, lang: Lang) -> String {
        let from = match (&self.source_arn, lang) {
            (Some(arn), Lang::Vi) => format!(" từ {arn}"),
            (Some(arn), Lang::En) => format!(" from {arn}"),
            (None, _) => String::new(),
        };
        let (f, p, a) = (&self.function, &self.principal, &self.action);
        match (self.denied, lang) {
            (false, Lang::Vi) => format!("Resource policy của hàm {f} cho {p} gọi {a}{from}"),
            (true, Lang::Vi) => format!("Resource policy của hàm {f} không cho {p} gọi {a}{from}"),
            (false, Lang::En) => format!("The resource policy of function {f} lets {p} call {a}{from}"),
            (true, Lang::En) => format!("The resource policy of function {f} does not let {p} call {a}{from}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lambda::package;
    use crate::wire::encode_base64;

    fn check(check: Check, world: &World, passed: bool, found: Option<&str>) {
        let verdict = check.evaluate(world);
        assert_eq!(verdict, Verdict { passed, found: found.map(str::to_string) }, "{check:?}");
    }

    const TRUST_LAMBDA: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;

    /// Logs the table it works for, fails, spins past its timeout, or fetches a secret, as its
    /// event asks.
    const ORDERS: &str = r#"
import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
const client = new SecretsManagerClient({});
export const handler = async (event) => {
  console.log(`order ${event.id} for table ${process.env.TABLE_NAME}`);
  if (event.fail) throw new TypeError('no such order');
  if (event.spin) { for (;;) {} }
  if (event.secret) {
    const secret = await client.send(new GetSecretValueCommand({ SecretId: 'orders/payment-api-key' }));
    return { statusCode: 200, body: `a key of ${secret.SecretString.length} characters` };
  }
  return { statusCode: 200, body: JSON.stringify({ id: event.id }) };
};
"#;

    fn call(world: &mut World, service: &str, action: &str, request: Value) -> Value {
        world.call(service, action, &request).unwrap_or_else(|e| panic!("{service} {action}: {e}"))
    }

    /// A role Lambda may assume with the basic execution policy, a secret, and the function
    /// `orders` (1 second timeout, TABLE_NAME=Orders) running as the role, Active.
    fn orders_world() -> World {
        let mut world = World::default();
        call(
            &mut world,
            "iam",
            "CreateRole",
            json!({"RoleName": "orders-role", "AssumeRolePolicyDocument": TRUST_LAMBDA}),
        );
        call(
            &mut world,
            "iam",
            "AttachRolePolicy",
            json!({"RoleName": "orders-role", "PolicyArn": "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"}),
        );
        call(
            &mut world,
            "secretsmanager",
            "CreateSecret",
            json!({"Name": "orders/payment-api-key", "SecretString": "s3cr3t-Value"}),
        );
        let zip = encode_base64(&package::write(&[("index.mjs", ORDERS)], true));
        call(
            &mut world,
            "lambda",
            "CreateFunction",
            json!({"FunctionName": "orders", "Runtime": "nodejs22.x", "Role": "arn:aws:iam::123456789012:role/orders-role",
                "Handler": "index.handler", "Code": {"ZipFile": zip}, "Timeout": 1,
                "Environment": {"Variables": {"TABLE_NAME": "Orders"}}}),
        );
        world.advance(2).unwrap();
        world
    }

    fn invoke(world: &mut World, event: Value) -> Value {
        call(world, "lambda", "Invoke", json!({"FunctionName": "orders", "Payload": event.to_string()}))
    }

    fn values(json: Value) -> Values {
        json.as_object().unwrap().iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    }

    fn invocation(outcome: Option<InvocationOutcome>) -> InvocationCheck {
        InvocationCheck {
            function: "orders".into(),
            outcome,
            by: Invoker::Learner,
            count: 1,
            payload_condition: None,
            response_condition: None,
            called: None,
            names: Names::new(),
            values: Values::new(),
        }
    }

    fn inv(c: InvocationCheck) -> Check {
        Check::Invocation(c)
    }

    #[test]
    fn invocations_are_told_apart_by_outcome_event_and_returned_payload() {
        use InvocationOutcome::*;
        let mut world = orders_world();
        check(inv(invocation(Some(Success))), &world, false, Some("no invocation"));
        invoke(&mut world, json!({"id": "o-1"}));
        check(inv(invocation(Some(Success))), &world, true, None);
        check(inv(invocation(None)), &world, true, None);
        check(inv(invocation(Some(Error))), &world, false, Some("0/1, latest: success"));
        let with = |payload: Option<&str>, response: Option<&str>, values: Value| InvocationCheck {
            payload_condition: payload.map(str::to_string),
            response_condition: response.map(str::to_string),
            values: super::tests::values(values),
            ..invocation(Some(Success))
        };
        check(inv(with(Some("id = :id"), None, json!({":id": {"S": "o-1"}}))), &world, true, None);
        check(
            inv(with(Some("id = :id"), None, json!({":id": {"S": "o-2"}}))),
            &world,
            false,
            Some("0/1, latest: success"),
        );
        check(
            inv(with(
                None,
                Some("statusCode = :ok AND contains(body, :id)"),
                json!({":ok": {"N": "200"}, ":id": {"S": "o-1"}}),
            )),
            &world,
            true,
            None,
        );
        check(
            inv(with(None, Some("statusCode <> :ok"), json!({":ok": {"N": "200"}}))),
            &world,
            false,
            Some("0/1, latest: success"),
        );

        invoke(&mut world, json!({"id": "o-2", "fail": true}));
        check(inv(invocation(Some(Error))), &world, true, None);
        check(inv(invocation(Some(Timeout))), &world, false, Some("0/1, latest: error (TypeError)"));
        check(
            inv(with(None, Some("errorType = :t"), json!({":t": {"S": "TypeError"}}))),
            &world,
            false,
            Some("0/1, latest: error (TypeError)"),
        );
        let failed = InvocationCheck {
            outcome: Some(Error),
            names: [("#f".to_string(), "fail".to_string())].into(),
            ..with(
                Some("#f = :yes"),
                Some("errorMessage = :m"),
                json!({":yes": {"BOOL": true}, ":m": {"S": "no such order"}}),
            )
        };
        check(inv(failed), &world, true, None);

        invoke(&mut world, json!({"id": "o-3", "spin": true}));
        check(inv(invocation(Some(Timeout))), &world, true, None);
        check(inv(InvocationCheck { count: 2, ..invocation(Some(Error)) }), &world, true, Some("2/2"));
        check(
            inv(InvocationCheck { count: 2, ..invocation(Some(Success)) }),
            &world,
            false,
            Some("1/2, latest: timeout"),
        );

        // Any qualifier, and the function named by ARN; DryRun runs nothing.
        let arn = "arn:aws:lambda:ap-southeast-1:123456789012:function:orders";
        call(&mut world, "lambda", "Invoke", json!({"FunctionName": format!("{arn}:$LATEST"), "Payload": "{}"}));
        call(&mut world, "lambda", "Invoke", json!({"FunctionName": "orders", "InvocationType": "DryRun"}));
        check(
            inv(InvocationCheck { count: 3, ..invocation(Some(Success)) }),
            &world,
            false,
            Some("2/3, latest: success"),
        );
        check(
            inv(InvocationCheck { function: "other".into(), ..invocation(None) }),
            &world,
            false,
            Some("no invocation"),
        );
    }

    #[test]
    fn an_asynchronous_invocation_is_made_by_whoever_asked_and_by_lambda() {
        let mut world = orders_world();
        let by = |by: &str| InvocationCheck { by: Invoker::try_from(by.to_string()).unwrap(), ..invocation(None) };
        invoke(&mut world, json!({"id": "sync"}));
        check(inv(by("lambda.amazonaws.com")), &world, false, Some("no invocation"));
        check(inv(by("any")), &world, true, None);
        call(
            &mut world,
            "lambda",
            "Invoke",
            json!({"FunctionName": "orders", "InvocationType": "Event", "Payload": "{\"id\":\"async\"}"}),
        );
        let from_lambda = InvocationCheck {
            payload_condition: Some("id = :a".into()),
            values: values(json!({":a": {"S": "async"}})),
            ..by("lambda.amazonaws.com")
        };
        check(inv(from_lambda.clone()), &world, true, None);
        check(inv(InvocationCheck { by: Invoker::Learner, ..from_lambda }), &world, true, None);
        check(inv(InvocationCheck { count: 2, ..by("learner") }), &world, true, Some("2/2"));
        check(inv(InvocationCheck { count: 3, ..by("any") }), &world, false, Some("2/3, latest: success"));
        check(inv(by("arn:aws:iam::123456789012:role/caller")), &world, false, Some("no invocation"));
        assert_eq!(
            Invoker::try_from("me".to_string()).unwrap_err(),
            "`by` is \"learner\", \"any\", a service principal such as \"lambda.amazonaws.com\" or a role ARN \"arn:aws:iam::ACCOUNT:role/NAME\", not \"me\""
        );
    }

    fn allowed(action: &str, resource: Option<&str>, request: Option<Value>, denied: bool) -> Check {
        Check::Allowed(Allowed {
            role: "orders-role".into(),
            action: action.into(),
            resource: resource.map(str::to_string),
            request,
            context: BTreeMap::new(),
            denied,
        })
    }

    #[test]
    fn a_trace_shows_the_secret_fetched_and_iam_judges_the_role() {
        let mut world = orders_world();
        let secret =
            call(&mut world, "secretsmanager", "DescribeSecret", json!({"SecretId": "orders/payment-api-key"}));
        let secret_arn = secret["ARN"].as_str().unwrap().to_string();
        let fetched = |error_code: Option<&str>| InvocationCheck {
            called: Some(TracedCall {
                service: "secretsmanager".into(),
                action: "GetSecretValue".into(),
                error_code: error_code.map(str::to_string),
                request_condition: Some("SecretId = :s".into()),
                response_condition: None,
            }),
            values: values(json!({":s": {"S": "orders/payment-api-key"}})),
            ..invocation(None)
        };
        let get = |denied| {
            allowed("secretsmanager:GetSecretValue", None, Some(json!({"SecretId": "orders/payment-api-key"})), denied)
        };
        check(get(true), &world, true, Some(&format!("implicitDeny on {secret_arn}")));
        check(get(false), &world, false, Some(&format!("implicitDeny on {secret_arn}")));
        // The policy's ARN without the secret's six-character suffix names no secret.
        let exact = "arn:aws:secretsmanager:ap-southeast-1:123456789012:secret:orders/payment-api-key";
        let wrong = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": exact}]});
        call(
            &mut world,
            "iam",
            "PutRolePolicy",
            json!({"RoleName": "orders-role", "PolicyName": "read-key", "PolicyDocument": wrong.to_string()}),
        );
        check(get(false), &world, false, Some(&format!("implicitDeny on {secret_arn}")));

        invoke(&mut world, json!({"id": "o-1", "secret": true}));
        check(inv(fetched(None)), &world, false, Some("0/1, latest: error (AccessDeniedException)"));
        check(inv(fetched(Some("AccessDeniedException"))), &world, true, None);

        let right = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": format!("{exact}-*")}]});
        call(
            &mut world,
            "iam",
            "PutRolePolicy",
            json!({"RoleName": "orders-role", "PolicyName": "read-key", "PolicyDocument": right.to_string()}),
        );
        check(get(false), &world, true, Some("allowed by read-key"));
        check(get(true), &world, false, Some("allowed by read-key"));
        check(
            allowed("secretsmanager:GetSecretValue", Some(&secret_arn), None, false),
            &world,
            true,
            Some("allowed by read-key"),
        );
        check(
            allowed("secretsmanager:PutSecretValue", Some(&secret_arn), None, true),
            &world,
            true,
            Some(&format!("implicitDeny on {secret_arn}")),
        );
        check(
            allowed(
                "logs:PutLogEvents",
                Some("arn:aws:logs:ap-southeast-1:123456789012:log-group:/aws/lambda/orders:log-stream:x"),
                None,
                false,
            ),
            &world,
            true,
            Some("allowed by AWSLambdaBasicExecutionRole"),
        );
        let response = invoke(&mut world, json!({"id": "o-2", "secret": true}));
        assert_eq!(response.get("FunctionError"), None, "{response}");
        check(inv(fetched(None)), &world, true, None);
        let fetched_ok = InvocationCheck {
            outcome: Some(InvocationOutcome::Success),
            response_condition: Some("contains(body, :n)".into()),
            values: values(json!({":s": {"S": "orders/payment-api-key"}, ":n": {"S": "12 characters"}})),
            ..fetched(None)
        };
        check(inv(fetched_ok), &world, true, None);
        // An invocation's trace is its own handler's calls: a plain one fetched nothing.
        invoke(&mut world, json!({"id": "o-3"}));
        check(inv(InvocationCheck { count: 2, ..fetched(None) }), &world, false, Some("1/2, latest: success"));

        // An explicit deny wins, and says where it is.
        let deny = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "secretsmanager:*", "Resource": "*",
            "Condition": {"StringEquals": {"aws:RequestedRegion": "ap-southeast-1"}}}]});
        call(
            &mut world,
            "iam",
            "PutRolePolicy",
            json!({"RoleName": "orders-role", "PolicyName": "no-secrets", "PolicyDocument": deny.to_string()}),
        );
        check(get(true), &world, true, Some(&format!("explicitDeny on {secret_arn} by no-secrets")));
        let Check::Allowed(mut elsewhere) = get(false) else { unreachable!() };
        elsewhere.context.insert("aws:RequestedRegion".into(), json!(["us-east-1"]));
        check(Check::Allowed(elsewhere), &world, true, Some("allowed by read-key"));
    }

    #[test]
    fn allowed_needs_the_role_and_judges_every_resource_a_request_names() {
        let mut world = orders_world();
        let Check::Allowed(missing) = allowed("dynamodb:PutItem", Some("*"), None, true) else { unreachable!() };
        check(Check::Allowed(Allowed { role: "nobody".into(), ..missing }), &world, false, Some("NoSuchEntity"));
        let policy = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "dynamodb:PutItem",
            "Resource": "arn:aws:dynamodb:*:*:table/OrdersHistory"}]});
        call(
            &mut world,
            "iam",
            "PutRolePolicy",
            json!({"RoleName": "orders-role", "PolicyName": "history", "PolicyDocument": policy.to_string()}),
        );
        let put = |request: Value, denied| allowed("dynamodb:PutItem", None, Some(request), denied);
        check(put(json!({"TableName": "OrdersHistory"}), false), &world, true, Some("allowed by history"));
        check(
            put(json!({"TableName": "Orders"}), true),
            &world,
            true,
            Some("implicitDeny on arn:aws:dynamodb:ap-southeast-1:123456789012:table/Orders"),
        );
        check(
            allowed("dynamodb:BatchWriteItem", None, Some(json!({"RequestItems": {"OrdersHistory": []}})), false),
            &world,
            false,
            Some("implicitDeny on arn:aws:dynamodb:ap-southeast-1:123456789012:table/OrdersHistory"),
        );
        check(
            allowed("sts:GetCallerIdentity", None, Some(json!({})), false),
            &world,
            true,
            Some("no resource to judge"),
        );
    }

    fn log_line(pattern: Option<&str>, contains: Option<&str>, absent: bool) -> Check {
        Check::LogLine(LogLine {
            group: "/aws/lambda/orders".into(),
            pattern: pattern.map(str::to_string),
            contains: contains.map(str::to_string),
            stream_prefix: None,
            absent,
        })
    }

    #[test]
    fn log_lines_match_filter_patterns_and_texts() {
        let mut world = orders_world();
        check(log_line(None, Some("table Orders"), false), &world, false, Some("no log group"));
        check(log_line(None, Some("s3cr3t-Value"), true), &world, true, Some("no log group"));
        invoke(&mut world, json!({"id": "o-1"}));
        // START, the handler's line, END and REPORT.
        check(log_line(None, Some("table Orders"), false), &world, true, Some("1/4"));
        check(log_line(Some("INFO \"table Orders\""), None, false), &world, true, Some("1/4"));
        check(log_line(Some("?START ?END"), None, false), &world, true, Some("2/4"));
        check(log_line(Some("ERROR"), None, false), &world, false, Some("0/4"));
        check(log_line(Some("ERROR"), None, true), &world, true, Some("0/4"));
        check(log_line(Some("REPORT"), Some("Init Duration"), false), &world, true, Some("1/4"));
        check(log_line(None, None, false), &world, true, Some("4/4"));
        invoke(&mut world, json!({"id": "o-2", "spin": true}));
        // (How many lines a timed-out run leaves is Lambda's business: only the one line counts.)
        let total = world.logs.groups["/aws/lambda/orders"].streams.values().map(|s| s.events.len()).sum::<usize>();
        check(log_line(Some("\"Task timed out\""), None, true), &world, false, Some(&format!("1/{total}")));
        check(log_line(None, Some("s3cr3t-Value"), true), &world, true, Some(&format!("0/{total}")));
        let Check::LogLine(mut elsewhere) = log_line(None, None, false) else { unreachable!() };
        elsewhere.stream_prefix = Some("2025/01/01/[$LATEST]".into());
        check(Check::LogLine(elsewhere.clone()), &world, true, Some(&format!("{total}/{total}")));
        elsewhere.stream_prefix = Some("2024/".into());
        check(Check::LogLine(elsewhere), &world, false, Some("0/0"));
    }

    #[test]
    fn bad_fields_are_refused_before_use() {
        let refused = |check: Check| check.validate().map_err(|e| format!("{}: {}", e.code, e.message)).unwrap_err();
        assert_eq!(
            refused(log_line(Some("user@example.com"), None, false)),
            "InvalidParameterException: log_line.pattern `user@example.com` at 1:1: `@` in a term needs the term in double quotes (Invalid character(s) in term 'user@example.com')"
        );
        assert!(refused(log_line(Some("%ERROR%"), None, false)).starts_with("SimulatorLimitation: "));
        assert_eq!(
            refused(log_line(None, Some(""), true)),
            "ValidationException: log_line.contains is a text to find; an empty one is in every event"
        );
        assert_eq!(
            refused(inv(InvocationCheck { function: "arn:aws:lambda:ap-southeast-1:123456789012:function:orders".into(), ..invocation(None) })),
            "ValidationException: invocation.function is a function's name (1 to 64 letters, digits, `-` and `_`), not `arn:aws:lambda:ap-southeast-1:123456789012:function:orders`"
        );
        assert_eq!(
            refused(inv(InvocationCheck { payload_condition: Some("Count = :n".into()), values: values(json!({":n": {"N": "1"}})), ..invocation(None) })),
            "ValidationException: Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: Count"
        );
        assert_eq!(
            refused(allowed("secretsmanager:Get*", Some("*"), None, false)),
            "ValidationException: allowed.action is one IAM action, `service:Action` such as `secretsmanager:GetSecretValue` (no wildcards), not `secretsmanager:Get*`"
        );
        // (the services listed end with the test-only `relay` here)
        let not_simulated =
            refused(allowed("states:StartExecution", None, Some(json!({"stateMachineArn": "m"})), false));
        assert!(
            not_simulated.starts_with("ValidationException: allowed.request names resources through a simulated service, and `states` is not one (dynamodb, dynamodbstreams, sts, iam, lambda, secretsmanager, logs, sqs, kinesis")
                && not_simulated.ends_with("); give `resource` instead"),
            "{not_simulated}"
        );
        assert!(refused(allowed("sqs:SendMessage", None, None, false)).contains("exactly one of `resource`"));
        assert!(refused(allowed("sqs:SendMessage", Some("orders-dlq"), None, false)).contains("is an ARN or `*`"));
        let Check::Allowed(mut a) = allowed("sqs:SendMessage", Some("*"), None, false) else { unreachable!() };
        a.context.insert("aws:SourceArn".into(), json!({"x": 1}));
        assert_eq!(
            refused(Check::Allowed(a)),
            "ValidationException: allowed.context.\"aws:SourceArn\" is a text or a list of texts"
        );
    }

    #[test]
    fn descriptions() {
        let c = inv(InvocationCheck {
            outcome: Some(InvocationOutcome::Success),
            payload_condition: Some("id = :id".into()),
            called: Some(TracedCall {
                service: "secretsmanager".into(),
                action: "GetSecretValue".into(),
                error_code: None,
                request_condition: None,
                response_condition: None,
            }),
            ..invocation(None)
        });
        assert_eq!(
            c.describe(Lang::En),
            "A successful invocation of function orders by you (at least 1), event where `id = :id`, whose handler called secretsmanager GetSecretValue"
        );
        assert_eq!(
            c.describe(Lang::Vi),
            "Hàm orders được invoke thành công bởi bạn (ít nhất 1 lần), event thỏa `id = :id`, handler gọi thành công secretsmanager GetSecretValue"
        );
        let c = log_line(None, Some("s3cr3t"), true);
        assert_eq!(c.describe(Lang::En), "Log group /aws/lambda/orders has no event containing `s3cr3t`");
        assert_eq!(c.describe(Lang::Vi), "Log group /aws/lambda/orders không có sự kiện nào chứa `s3cr3t`");
        let c = allowed("secretsmanager:GetSecretValue", None, Some(json!({"SecretId": "k"})), false);
        assert_eq!(
            c.describe(Lang::En),
            "IAM allows role orders-role to secretsmanager:GetSecretValue on the resources of request `{\"SecretId\":\"k\"}`"
        );
        let c = allowed("sqs:SendMessage", Some("*"), None, true);
        assert_eq!(c.describe(Lang::Vi), "IAM không cho phép role orders-role thực hiện sqs:SendMessage trên *");
    }

    #[test]
    fn a_resource_policy_check_judges_add_permission_statements() {
        let mut world = orders_world();
        let rule = "arn:aws:events:ap-southeast-1:123456789012:rule/nightly";
        let policy = |source_arn: Option<&str>, denied: bool| {
            Check::ResourcePolicy(ResourcePolicy {
                function: "orders".into(),
                principal: "events.amazonaws.com".into(),
                action: "lambda:InvokeFunction".into(),
                source_arn: source_arn.map(str::to_string),
                source_account: None,
                denied,
            })
        };
        check(policy(Some(rule), false), &world, false, Some("no resource policy"));
        check(policy(Some(rule), true), &world, true, Some("no resource policy"));
        call(
            &mut world,
            "lambda",
            "AddPermission",
            json!({"FunctionName": "orders", "StatementId": "nightly", "Action": "lambda:InvokeFunction",
                "Principal": "events.amazonaws.com", "SourceArn": rule}),
        );
        check(policy(Some(rule), false), &world, true, Some("allowed"));
        check(
            policy(Some("arn:aws:events:ap-southeast-1:123456789012:rule/other"), false),
            &world,
            false,
            Some("not allowed by its 1 statement(s)"),
        );
        check(policy(None, true), &world, true, Some("not allowed by its 1 statement(s)"));
        let Check::ResourcePolicy(c) = policy(Some(rule), false) else { unreachable!() };
        check(
            Check::ResourcePolicy(ResourcePolicy { function: "nope".into(), ..c.clone() }),
            &world,
            false,
            Some("no such function"),
        );
        check(
            Check::ResourcePolicy(ResourcePolicy { function: "orders:live".into(), ..c.clone() }),
            &world,
            false,
            Some("no resource policy"),
        );
        let bad = ResourcePolicy { action: "dynamodb:PutItem".into(), ..c.clone() };
        assert!(bad.validate().unwrap_err().message.contains("lambda:InvokeFunction"));
        assert_eq!(
            c.describe(Lang::En),
            "The resource policy of function orders lets events.amazonaws.com call lambda:InvokeFunction from arn:aws:events:ap-southeast-1:123456789012:rule/nightly"
        );
        assert!(c.describe(Lang::Vi).starts_with("Resource policy của hàm orders cho events.amazonaws.com gọi"));
    }
}
