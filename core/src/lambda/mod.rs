//! AWS Lambda: functions whose Node.js handlers run in the sandbox ([`runtime`]), as their
//! execution role.
//!
//! - [`api`]: the control plane (CreateFunction, GetFunction, UpdateFunctionCode...), each
//!   operation read (`parse`), judged against the functions (`check`), then applied (`commit`).
//! - [`invoke`]: Invoke. A handler's SDK calls are [`Outcome::Await`]: the world makes them as
//!   the function's role and resumes the handler ([`Service::resume`]). Its log lines go to
//!   CloudWatch Logs as calls the role makes, so a role without the logs permissions leaves no
//!   logs, as on AWS.
//! - Warm execution environments live in [`Warm`], a cache beside the saved state: it is never
//!   saved or compared, and a clone (a reloaded world) starts cold.

pub mod api;
pub mod asynchronous;
pub mod invoke;
pub mod layers;
pub mod mappings;
pub mod package;
pub mod permissions;
pub mod runtime;
pub mod versions;

use crate::clock::Millis;
use crate::error::AwsError;
use crate::service::{Ctx, Outcome, Service, View};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// The operations the simulator implements, in the API reference's order.
pub const ACTIONS: &[&str] = &[
    "AddPermission",
    "CreateAlias",
    "CreateEventSourceMapping",
    "CreateFunction",
    "DeleteAlias",
    "DeleteEventSourceMapping",
    "DeleteFunction",
    "DeleteFunctionConcurrency",
    "DeleteFunctionEventInvokeConfig",
    "DeleteLayerVersion",
    "GetAlias",
    "GetEventSourceMapping",
    "GetFunction",
    "GetFunctionConcurrency",
    "GetFunctionConfiguration",
    "GetFunctionEventInvokeConfig",
    "GetLayerVersion",
    "GetLayerVersionByArn",
    "GetPolicy",
    "Invoke",
    "ListAliases",
    "ListEventSourceMappings",
    "ListFunctionEventInvokeConfigs",
    "ListFunctions",
    "ListLayerVersions",
    "ListLayers",
    "ListTags",
    "ListVersionsByFunction",
    "PublishLayerVersion",
    "PublishVersion",
    "PutFunctionConcurrency",
    "PutFunctionEventInvokeConfig",
    "RemovePermission",
    "TagResource",
    "UntagResource",
    "UpdateAlias",
    "UpdateEventSourceMapping",
    "UpdateFunctionCode",
    "UpdateFunctionConfiguration",
    "UpdateFunctionEventInvokeConfig",
];

/// The operations that only read.
pub const READ_ONLY_ACTIONS: &[&str] = &[
    "GetAlias",
    "GetEventSourceMapping",
    "GetFunction",
    "GetFunctionConcurrency",
    "GetFunctionConfiguration",
    "GetFunctionEventInvokeConfig",
    "GetLayerVersion",
    "GetLayerVersionByArn",
    "GetPolicy",
    "ListAliases",
    "ListEventSourceMappings",
    "ListFunctionEventInvokeConfigs",
    "ListFunctions",
    "ListLayerVersions",
    "ListLayers",
    "ListTags",
    "ListVersionsByFunction",
];

/// How long a new function stays Pending, and an update InProgress, on the virtual clock.
pub const SETTLE_MS: Millis = 1_000;

/// One function's configuration and code: its `$LATEST`, which also holds the function's
/// published versions, aliases, resource policy and reserved concurrency; or a published
/// version (a snapshot of `$LATEST` with those left empty).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Function {
    pub name: String,
    /// `$LATEST`, or the number of a published version.
    #[serde(default = "latest")]
    pub version: String,
    pub arn: String,
    pub runtime: String,
    pub role: String,
    pub handler: String,
    pub description: String,
    pub timeout_s: u64,
    pub memory_mb: u64,
    pub environment: BTreeMap<String, String>,
    pub package: package::Package,
    pub tags: BTreeMap<String, String>,
    /// Pending, Active, Inactive or Failed.
    pub state: String,
    /// InProgress, Successful or Failed.
    pub last_update_status: Option<String>,
    pub last_modified_ms: Millis,
    pub revision_id: String,
    /// Bumped by every change of code or configuration: environments of an older generation
    /// are retired, as AWS retires them.
    pub generation: u64,
    /// The log group Lambda writes to (`/aws/lambda/NAME`).
    pub log_group: String,
    /// The layer versions it uses, in order, each with its content as it was when attached (a
    /// function keeps a layer version that is later deleted, as on AWS).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub layers: Vec<layers::Attached>,
    /// Published versions by number (on `$LATEST` only).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub published: BTreeMap<u64, Function>,
    /// The last version number given out: numbers are never reused, even after a version is
    /// deleted.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub last_version: u64,
    /// Aliases by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub aliases: BTreeMap<String, versions::Alias>,
    /// Resource-based policies, by qualifier (`""` for the unqualified function).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub policies: BTreeMap<String, permissions::Policy>,
    /// PutFunctionConcurrency's ReservedConcurrentExecutions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reserved_concurrency: Option<u64>,
    /// DeadLetterConfig's TargetArn: where an asynchronous event that failed for good goes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dead_letter: Option<String>,
}

fn latest() -> String {
    "$LATEST".to_string()
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// A published layer and its versions.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Layer {
    /// The last version number given out (never reused).
    pub last_version: u64,
    pub versions: BTreeMap<u64, layers::LayerVersion>,
}

/// Lambda's state in the account.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Lambda {
    pub functions: BTreeMap<String, Function>,
    /// Layers by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub layers: BTreeMap<String, Layer>,
    /// Event invoke configurations, by `NAME:QUALIFIER`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub event_configs: BTreeMap<String, asynchronous::EventInvokeConfig>,
    /// Asynchronous events not yet delivered or given up, by request id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub events: BTreeMap<String, asynchronous::Event>,
    /// Event source mappings, by UUID.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub mappings: BTreeMap<String, mappings::Mapping>,
    /// Calls waiting for the world (a CreateFunction judging its role, an Invoke's handler).
    #[serde(skip)]
    pub(crate) warm: Warm,
}

/// Lambda's work on the clock.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Job {
    /// A new function becomes Active.
    Active { function: String, generation: u64 },
    /// An update finishes (LastUpdateStatus Successful).
    Updated { function: String, generation: u64 },
    /// The next attempt of an asynchronous event falls due.
    Retry { request_id: String },
    /// An event source mapping leaves a transitional state (Creating, Updating, Deleting...).
    Mapping { uuid: String, generation: u64 },
    /// An event source mapping polls its source (asked for at `due`).
    Poll { uuid: String, due: Millis },
}

/// What outlives one call but is not the account's state: warm execution environments, and the
/// operations waiting for calls the world is making for them.
#[derive(Default)]
pub(crate) struct Warm {
    /// Idle environments by function and version (`NAME:$LATEST`, `NAME:3`), with the
    /// generation they were started for.
    pub(crate) idle: HashMap<String, Vec<invoke::Idle>>,
    /// Operations waiting on [`Outcome::Await`], by token.
    pub(crate) waiting: HashMap<u64, invoke::Waiting>,
    pub(crate) next_token: u64,
}

impl Clone for Warm {
    /// Environments cannot be copied; a copy of the account starts cold (as a reloaded one does).
    fn clone(&self) -> Warm {
        Warm::default()
    }
}

impl PartialEq for Warm {
    /// A cache: never part of what makes two accounts equal.
    fn eq(&self, _: &Warm) -> bool {
        true
    }
}

impl std::fmt::Debug for Warm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let idle: usize = self.idle.values().map(Vec::len).sum();
        write!(f, "Warm {{ idle environments: {idle}, waiting: {} }}", self.waiting.len())
    }
}

impl Service for Lambda {
    const SDK_IDS: &'static [&'static str] = &["lambda"];
    const IAM_PREFIX: &'static str = "lambda";

    fn resources(&self, view: View, _sdk_id: &str, action: &str, request: &Value) -> Vec<String> {
        if action.ends_with("EventSourceMapping") || action == "ListEventSourceMappings" {
            // IAM names a mapping by its ARN; creating and listing name none.
            return match request.get("UUID").and_then(Value::as_str) {
                Some(uuid) => vec![format!(
                    "arn:aws:lambda:{}:{}:event-source-mapping:{uuid}",
                    view.account.region, view.account.id
                )],
                None => vec!["*".to_string()],
            };
        }
        api::resources(view, request)
    }

    fn iam_action(action: &str) -> &str {
        match action {
            "Invoke" => "InvokeFunction",
            "GetLayerVersionByArn" => "GetLayerVersion",
            other => other,
        }
    }
    type Job = Job;

    fn actions(_sdk_id: &str) -> &'static [&'static str] {
        ACTIONS
    }

    fn call(&mut self, ctx: &mut Ctx<Job>, _sdk_id: &str, action: &str, request: &Value) -> Outcome {
        if action == "Invoke" {
            return invoke::invoke(self, ctx, request);
        }
        if action.ends_with("FunctionEventInvokeConfig") {
            return Outcome::Done(asynchronous::call(self, ctx, action, request));
        }
        if action.ends_with("EventSourceMapping") || action == "ListEventSourceMappings" {
            return mappings::call(self, ctx, action, request);
        }
        api::call(self, ctx, action, request)
    }

    fn resume(&mut self, ctx: &mut Ctx<Job>, token: u64, results: Vec<Result<Value, AwsError>>) -> Outcome {
        match self.warm.waiting.remove(&token) {
            Some(waiting) => invoke::resume(self, ctx, waiting, results),
            None => Outcome::Done(Err(AwsError::server(
                "ServiceException",
                format!("Lambda has no operation waiting with token {token}."),
            ))),
        }
    }

    fn read_only_actions(_sdk_id: &str) -> &'static [&'static str] {
        READ_ONLY_ACTIONS
    }

    fn read(&self, view: View, _sdk_id: &str, action: &str, request: &Value) -> Option<Result<Value, AwsError>> {
        READ_ONLY_ACTIONS.contains(&action).then(|| {
            if action.ends_with("EventSourceMapping") || action == "ListEventSourceMappings" {
                mappings::read(self, view, action, request)
            } else {
                api::read(self, view, action, request)
            }
        })
    }

    fn source_changed(&mut self, ctx: &mut Ctx<Job>, source: &str, at_ms: Millis) {
        mappings::poll::source_changed(self, ctx, source, at_ms);
    }

    fn run_job(&mut self, ctx: &mut Ctx<Job>, job: Job) {
        match job {
            Job::Retry { request_id } => asynchronous::retry(self, ctx, &request_id),
            Job::Mapping { uuid, generation } => mappings::settle(self, ctx, &uuid, generation),
            Job::Poll { uuid, due } => mappings::poll::run(self, ctx, &uuid, due),
            Job::Active { function, generation } => {
                if let Some(f) = self.functions.get_mut(&function).filter(|f| f.generation == generation) {
                    if f.state == "Pending" {
                        f.state = "Active".into();
                        f.last_update_status = Some("Successful".into());
                    }
                    for v in f.published.values_mut().filter(|v| v.state == "Pending") {
                        v.state = "Active".into();
                        v.last_update_status = Some("Successful".into());
                    }
                }
            }
            Job::Updated { function, generation } => {
                if let Some(f) = self.functions.get_mut(&function).filter(|f| f.generation == generation) {
                    f.last_update_status = Some("Successful".into());
                }
            }
        }
    }
}
