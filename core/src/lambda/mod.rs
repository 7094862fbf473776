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
pub mod invoke;
pub mod package;
pub mod runtime;

use crate::clock::Millis;
use crate::error::AwsError;
use crate::service::{Ctx, Outcome, Service, View};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// The operations the simulator implements, in the API reference's order.
pub const ACTIONS: &[&str] = &[
    "CreateFunction",
    "DeleteFunction",
    "GetFunction",
    "GetFunctionConfiguration",
    "Invoke",
    "ListFunctions",
    "ListTags",
    "TagResource",
    "UntagResource",
    "UpdateFunctionCode",
    "UpdateFunctionConfiguration",
];

/// The operations that only read.
pub const READ_ONLY_ACTIONS: &[&str] = &["GetFunction", "GetFunctionConfiguration", "ListFunctions", "ListTags"];

/// How long a new function stays Pending, and an update InProgress, on the virtual clock.
pub const SETTLE_MS: Millis = 1_000;

/// One function's configuration and code (its `$LATEST`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Function {
    pub name: String,
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
}

/// Lambda's state in the account.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Lambda {
    pub functions: BTreeMap<String, Function>,
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
}

/// What outlives one call but is not the account's state: warm execution environments, and the
/// operations waiting for calls the world is making for them.
#[derive(Default)]
pub(crate) struct Warm {
    /// Idle environments by function, with the generation they were started for.
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
        api::resources(view, action, request)
    }
    type Job = Job;

    fn actions(_sdk_id: &str) -> &'static [&'static str] {
        ACTIONS
    }

    fn call(&mut self, ctx: &mut Ctx<Job>, _sdk_id: &str, action: &str, request: &Value) -> Outcome {
        if action == "Invoke" {
            return invoke::invoke(self, ctx, request);
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
        READ_ONLY_ACTIONS.contains(&action).then(|| api::read(self, view, action, request))
    }

    fn run_job(&mut self, _ctx: &mut Ctx<Job>, job: Job) {
        match job {
            Job::Active { function, generation } => {
                if let Some(f) = self.functions.get_mut(&function).filter(|f| f.generation == generation) {
                    if f.state == "Pending" {
                        f.state = "Active".into();
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
