//! Labs as data: what `lab.toml` holds once loaded and checked.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// The lab file format this build reads. A lab with another `format_version` is refused with a
/// located error rather than half-read.
pub const FORMAT_VERSION: u32 = 1;

/// A UI and prose language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Vi,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Vi, Lang::En];

    /// The language code used in file names (`01-first-call.vi.md`) and saves.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "vi" => Some(Lang::Vi),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// Vietnamese for a browser language starting with `vi`, English for anything else.
    pub fn from_browser(language: &str) -> Lang {
        if language.to_ascii_lowercase().starts_with("vi") {
            Lang::Vi
        } else {
            Lang::En
        }
    }
}

/// A text in both languages. Both are required: a lab is not done until it reads in each.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Localized {
    pub vi: String,
    pub en: String,
}

impl Localized {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Vi => &self.vi,
            Lang::En => &self.en,
        }
    }
}

/// `labs/labs.toml`: which labs exist, in course order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalog {
    /// Folder names under `labs/`, in the order the catalog shows them.
    pub labs: Vec<String>,
}

/// One lab, loaded and validated.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Lab {
    /// The folder name, e.g. `01-how-labs-work`; also the id in URLs and saves.
    pub id: String,
    pub title: Localized,
    pub summary: Localized,
    /// About how long the lab takes, in minutes.
    pub minutes: u32,
    /// SDK ids of the services the lab uses.
    pub services: Vec<String>,
    /// Calls that prepare the lab's account before the first step.
    pub setup: Vec<Action>,
    pub steps: Vec<Step>,
}

/// One step: prose in `<id>.vi.md` and `<id>.en.md`, checks, hints and a reference solution.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Step {
    /// Unique within the lab; names the prose files.
    pub id: String,
    pub title: Localized,
    /// All must pass for the step to be done.
    pub checks: Vec<CheckSpec>,
    /// Revealed one at a time, in this order.
    pub hints: Vec<Hint>,
    /// What a learner could do to pass the step; `lab labs check` replays it.
    pub solution: Vec<Action>,
}

impl Step {
    /// The prose file of this step in `lang`, relative to the lab's folder.
    pub fn prose_file(&self, lang: Lang) -> String {
        format!("{}.{}.md", self.id, lang.code())
    }
}

/// A check and how the step list labels it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckSpec {
    pub check: Check,
    /// The author's label; without one the UI describes the check itself.
    pub label: Option<Localized>,
}

/// A predicate over the simulated account. Closed: every kind is evaluated by `check.rs`, and a
/// lab file naming another kind is refused when it loads.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    /// At least `count` calls of `service`/`action` succeeded or, with `error_code`, failed with
    /// that code.
    CallMade(CallMade),
    /// The most recent failed call failed with `code`.
    LastError(LastError),
    /// At least `seconds` of virtual time have passed since the lab's account was created.
    ClockAtLeast(ClockAtLeast),
    /// A DynamoDB item exists (and satisfies a condition expression), or does not.
    Item(ItemCheck),
    /// Exactly `count` items of a DynamoDB table satisfy a condition expression.
    ItemCount(ItemCount),
    /// A read-only describe call succeeds and its response satisfies a condition expression, or
    /// the resource does not exist.
    Resource(Resource),
    /// A record of a table's latest stream satisfies a condition expression.
    StreamRecord(StreamRecordCheck),
    /// The learner's latest answer to question `id` is the number `equals`.
    Answer(Answer),
    /// At least `count` invocations of a Lambda function, by the learner or a service, ended
    /// with an outcome, and their event, returned payload and SDK calls satisfy conditions.
    Invocation(InvocationCheck),
    /// A CloudWatch Logs event of a group matches a filter pattern or holds a text, or none does.
    LogLine(LogLine),
    /// IAM's evaluator allows (or denies) a role's action on a resource.
    Allowed(Allowed),
    /// A Lambda function's resource-based policy lets a principal (a service, an account)
    /// call it, or does not.
    ResourcePolicy(ResourcePolicy),
}

/// A condition expression with its placeholders, as the checks that use one carry it: the same
/// members a DynamoDB request has (ExpressionAttributeNames, ExpressionAttributeValues in
/// DynamoDB JSON).
pub type Names = BTreeMap<String, String>;
pub type Values = BTreeMap<String, Value>;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallMade {
    pub service: String,
    pub action: String,
    /// Match failed calls with this error code instead of successful ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// How many matching calls are needed; 1 when absent.
    #[serde(default = "one")]
    pub count: u32,
    /// A condition expression the call's request must satisfy (the request's JSON as attributes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_condition: Option<String>,
    /// A condition expression the call's response must satisfy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_condition: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub names: Names,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub values: Values,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemCheck {
    pub table: String,
    /// The full primary key, in DynamoDB JSON.
    pub key: serde_json::Map<String, Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub names: Names,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub values: Values,
    /// Pass when the item does not exist instead.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub absent: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemCount {
    pub table: String,
    pub count: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub names: Names,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub values: Values,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resource {
    pub service: String,
    /// A read-only operation (DescribeTable, ListTables...).
    pub action: String,
    #[serde(default = "empty_object")]
    pub request: Value,
    /// Over the response's JSON as attributes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub names: Names,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub values: Values,
    /// Pass when the call fails with ResourceNotFoundException instead.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub absent: bool,
}

fn empty_object() -> Value {
    Value::Object(Default::default())
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StreamRecordCheck {
    pub table: String,
    /// Over the record as GetRecords returns it (eventName, dynamodb.NewImage...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub names: Names,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub values: Values,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    /// Names the question within the lab; the check's label asks it.
    pub id: String,
    pub equals: f64,
}

fn one() -> u32 {
    1
}

/// `invocation`: runs of a Lambda function, found in the Observed log as the Invoke calls that ran
/// it (a synchronous Invoke, or the one Lambda makes itself for an asynchronous Invoke).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvocationCheck {
    /// The function's name; any qualifier, and the function named by ARN, count.
    pub function: String,
    /// How the invocations must have ended; any way when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<InvocationOutcome>,
    /// Who must have invoked it; the learner when absent.
    #[serde(default, skip_serializing_if = "Invoker::is_learner")]
    pub by: Invoker,
    /// How many matching invocations are needed; 1 when absent.
    #[serde(default = "one")]
    pub count: u32,
    /// Over the event (the request's `Payload`, parsed as JSON) as attributes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload_condition: Option<String>,
    /// Over the returned payload (the response's `Payload`, parsed as JSON) as attributes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_condition: Option<String>,
    /// A call the handler must have made during the invocation (its trace).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub called: Option<TracedCall>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub names: Names,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub values: Values,
}

/// How an invocation ended, as its Invoke response tells.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InvocationOutcome {
    /// The handler returned (no `FunctionError`).
    Success,
    /// `FunctionError` is set: the handler threw, its initialisation failed, or it timed out.
    Error,
    /// The invocation ran past the function's timeout (an `error` too).
    Timeout,
}

impl InvocationOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            InvocationOutcome::Success => "success",
            InvocationOutcome::Error => "error",
            InvocationOutcome::Timeout => "timeout",
        }
    }
}

/// Who invoked a function: `"learner"`, `"any"`, a service principal (`"lambda.amazonaws.com"`)
/// or an IAM role's ARN (the role a handler or a state machine calls as). An asynchronous
/// invocation counts as made both by whoever asked for it and by `lambda.amazonaws.com`, which
/// runs it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Invoker {
    #[default]
    Learner,
    Any,
    /// A service principal, `*.amazonaws.com`.
    Service(String),
    /// An IAM role's ARN.
    Role(String),
}

impl Invoker {
    fn is_learner(&self) -> bool {
        *self == Invoker::Learner
    }
}

impl TryFrom<String> for Invoker {
    type Error = String;

    fn try_from(text: String) -> Result<Invoker, String> {
        match text.as_str() {
            "learner" => Ok(Invoker::Learner),
            "any" => Ok(Invoker::Any),
            t if t.ends_with(".amazonaws.com") && t.len() > ".amazonaws.com".len() && !t.contains(['*', ' ']) => {
                Ok(Invoker::Service(text))
            }
            t if t.starts_with("arn:aws:iam::") && t.contains(":role/") => Ok(Invoker::Role(text)),
            _ => Err(format!(
                "`by` is \"learner\", \"any\", a service principal such as \"lambda.amazonaws.com\" or a role ARN \"arn:aws:iam::ACCOUNT:role/NAME\", not \"{text}\""
            )),
        }
    }
}

impl From<Invoker> for String {
    fn from(invoker: Invoker) -> String {
        match invoker {
            Invoker::Learner => "learner".into(),
            Invoker::Any => "any".into(),
            Invoker::Service(name) | Invoker::Role(name) => name,
        }
    }
}

/// A call a handler made during an invocation (the calls the world made as the function's role,
/// caused by that Invoke).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TracedCall {
    pub service: String,
    pub action: String,
    /// Match a call that failed with this code instead of a successful one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// Over the call's request, with the invocation check's `names` and `values`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_condition: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_condition: Option<String>,
}

/// `log_line`: the retained events of a CloudWatch Logs group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogLine {
    /// The log group's name (`/aws/lambda/NAME` for a function's logs).
    pub group: String,
    /// A CloudWatch Logs filter pattern the event's message must match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// A text the event's message must contain (exactly, case and all).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contains: Option<String>,
    /// Only streams whose name starts with this (FilterLogEvents' logStreamNamePrefix).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream_prefix: Option<String>,
    /// Pass when no event matches instead (a missing group has none).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub absent: bool,
}

/// `allowed`: the judgement IAM makes of a call made as a session of `role` (its inline and
/// attached policies), without making the call.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Allowed {
    /// The role's name.
    pub role: String,
    /// One IAM action, `service:Action` (`secretsmanager:GetSecretValue`).
    pub action: String,
    /// The resource's ARN, or `*`. Either this or `request`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// A request of the action, whose resources are named by the simulated service as it names
    /// them when it judges a role's call (a secret's ARN with its suffix, a table's ARN).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<Value>,
    /// Condition keys of the request (`aws:SourceArn`): a text, or a list of texts.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub context: BTreeMap<String, Value>,
    /// Pass when IAM does not allow it instead (implicitly or explicitly denied).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub denied: bool,
}

/// `resource_policy`: the judgement of a Lambda function's resource-based policy (AddPermission's
/// statements) on a call by `principal`, as the service or account calling it would get it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourcePolicy {
    /// The function: `NAME`, or `NAME:QUALIFIER` for a version's or an alias's policy.
    pub function: String,
    /// Who calls: a service principal (`events.amazonaws.com`), an account id or an ARN.
    pub principal: String,
    /// The action, `lambda:InvokeFunction` unless given.
    #[serde(default = "invoke_function")]
    pub action: String,
    /// `aws:SourceArn` of the call (the rule, API or bucket it comes from).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_arn: Option<String>,
    /// `aws:SourceAccount` of the call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_account: Option<String>,
    /// Pass when the policy does not allow it instead.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub denied: bool,
}

fn invoke_function() -> String {
    "lambda:InvokeFunction".to_string()
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LastError {
    pub code: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClockAtLeast {
    pub seconds: u64,
}

/// A hint. Hints are revealed in order; one with `when_error` is offered first while the
/// learner's most recent failed call has that error code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hint {
    pub vi: String,
    pub en: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when_error: Option<String>,
}

impl Hint {
    pub fn text(&self, lang: Lang) -> &str {
        match lang {
            Lang::Vi => &self.vi,
            Lang::En => &self.en,
        }
    }
}

/// Something done to the account: a setup call, or one move of a reference solution.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// One API call, as `World::call` takes it.
    Call { service: String, action: String, request: Value },
    /// Move the virtual clock forward this many seconds.
    Advance(u64),
    /// Answer the question `id` of an `answer` check.
    Answer { id: String, value: String },
}
