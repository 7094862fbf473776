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
