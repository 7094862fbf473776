//! What a service is, and what it may use of the world: the one module every service imports.
//!
//! A service is a folder `core/src/<service>/` whose state implements [`Service`]; the world
//! lists each service once (the registry in `world.rs`) and derives its fields, dispatch, reads,
//! jobs and action lists from that list. A service sees the world only through a [`Ctx`] (the
//! virtual now, the account, the id source) and answers in three ways:
//!
//! - its response (or an [`AwsError`]);
//! - jobs on the virtual clock, its own type ([`Ctx::schedule`]);
//! - calls for the world to make on its behalf, later ([`Ctx::call`]) or now ([`Outcome::Await`]),
//!   each as a [`Principal`] with the request that caused it, so IAM can judge every hop and the
//!   timeline can follow a change from service to service.
//!
//! This module depends only on the other leaf modules (clock, ids, error, effect), never on
//! `world.rs` or on any service: that is what keeps services from reaching into each other.

use crate::clock::Millis;
use crate::effect::{Call, Effect, Principal};
use crate::error::AwsError;
use crate::ids::Ids;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt::Debug;

/// The account's identity: who "you" are when you call.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// The 12-digit account id.
    pub id: String,
    /// The region every resource lives in.
    pub region: String,
    /// The learner's IAM user name.
    pub user_name: String,
    /// The learner's IAM unique id (`AIDA` + 17 characters), as GetCallerIdentity's `UserId`.
    pub user_id: String,
}

impl Account {
    /// `arn:aws:iam::<account>:user/<name>`.
    pub fn user_arn(&self) -> String {
        format!("arn:aws:iam::{}:user/{}", self.id, self.user_name)
    }
}

/// What an operation or a job may use of the world besides its own service's state.
///
/// `J` is the service's own job type: a service schedules only its own work.
pub struct Ctx<'a, J> {
    /// The virtual instant the operation runs at.
    pub now_ms: Millis,
    /// Who the account is and where it lives.
    pub account: &'a Account,
    /// The world's one id source (request ids, sequence numbers, UUIDs).
    pub ids: &'a mut Ids,
    /// Who made the call being answered: the learner, or a service or role acting for them.
    pub caller: &'a Principal,
    /// The request id of the call being answered; `None` in a job. A job that must remember
    /// what caused it (a retry) keeps this.
    pub request_id: Option<&'a str>,
    /// Jobs the operation asks the world to schedule: (due instant, job).
    pub schedule: Vec<(Millis, J)>,
    /// Calls for the world to make once the operation is done.
    pub effects: Vec<Effect>,
    /// Set by a job that has to wait for calls before it can go on (a mapping's poll reads its
    /// source, then invokes the function): the world makes them, in order, then hands their
    /// results to [`Service::resume`] with the token. Operations wait with [`Outcome::Await`].
    pub waiting: Option<(Vec<Call>, u64)>,
}

impl<'a, J> Ctx<'a, J> {
    pub fn new(
        now_ms: Millis,
        account: &'a Account,
        ids: &'a mut Ids,
        caller: &'a Principal,
        request_id: Option<&'a str>,
    ) -> Ctx<'a, J> {
        Ctx { now_ms, account, ids, caller, request_id, schedule: Vec::new(), effects: Vec::new(), waiting: None }
    }

    /// Asks the world to run `job` at `due_ms` of virtual time.
    pub fn schedule(&mut self, due_ms: Millis, job: J) {
        self.schedule.push((due_ms, job));
    }

    /// Asks the world to make an API call once this operation is done, as `principal`: the
    /// one way a service's work reaches another service. The world records the call with the
    /// request that caused this one.
    pub fn call(&mut self, principal: Principal, service: &str, action: &str, request: Value) {
        self.effects.push(Effect::Call(Call::new(principal, service, action, request)));
    }

    /// Tells whoever reads `source` on its own that there is something new to read now.
    pub fn changed(&mut self, source: &str) {
        self.changed_at(source, self.now_ms);
    }

    /// Tells whoever reads `source` on its own that something becomes readable at `at_ms` (a
    /// delayed message, a received one whose visibility timeout ends then).
    pub fn changed_at(&mut self, source: &str, at_ms: Millis) {
        self.effects.push(Effect::Changed { source: source.to_string(), at: at_ms });
    }

    /// From a job: waits for `calls` before going on (see [`Ctx::waiting`]).
    pub fn wait_for(&mut self, calls: Vec<Call>, token: u64) {
        self.waiting = Some((calls, token));
    }
}

/// What a read-only look at a service may use: the virtual now and the account.
#[derive(Clone, Copy, Debug)]
pub struct View<'a> {
    pub now_ms: Millis,
    pub account: &'a Account,
}

/// How an operation ends: with its answer, or waiting for calls the world makes for it.
#[derive(Debug)]
pub enum Outcome {
    /// The response, or AWS's error.
    Done(Result<Value, AwsError>),
    /// The operation cannot answer until the world has made `calls` (in order, each as its own
    /// principal, caused by this call); the world then hands their results to
    /// [`Service::resume`] with `token`. A Lambda handler's SDK calls are this: the handler
    /// awaits them, the world runs them as the function's role, and the handler resumes.
    Await { calls: Vec<Call>, token: u64 },
}

impl From<Result<Value, AwsError>> for Outcome {
    fn from(result: Result<Value, AwsError>) -> Outcome {
        Outcome::Done(result)
    }
}

/// One simulated AWS service: its state, its operations, its jobs.
pub trait Service: Clone + Debug + Default + PartialEq + Serialize + DeserializeOwned {
    /// The SDK ids (lower case) this service answers to; DynamoDB answers `dynamodb` and
    /// `dynamodbstreams`.
    const SDK_IDS: &'static [&'static str];

    /// The prefix of the service's actions in IAM policies (`dynamodb` for DynamoDB Streams too).
    const IAM_PREFIX: &'static str;

    /// The code the service answers a call IAM refused with (`AccessDeniedException` for the
    /// JSON protocols, `AccessDenied` for the Query ones).
    const ACCESS_DENIED: &'static str = "AccessDeniedException";

    /// The IAM action (after the prefix) that governs an API operation: nearly always its own
    /// name, but Lambda's `Invoke` is `lambda:InvokeFunction`.
    fn iam_action(action: &str) -> &str {
        action
    }

    /// How an AccessDenied message names the refused action (`dynamodb:PutItem`); SQS writes
    /// it in lower case (`sqs:sendmessage`).
    fn denied_action(iam_action: &str) -> String {
        iam_action.to_string()
    }

    /// The ARNs of the resources a request acts on, as IAM judges a call made as a role: every
    /// one must be allowed. `["*"]` for actions that name no resource (ListTables); empty for
    /// actions no policy governs (STS GetCallerIdentity).
    fn resources(&self, view: View, sdk_id: &str, action: &str, request: &Value) -> Vec<String> {
        let _ = (view, sdk_id, action, request);
        vec!["*".to_string()]
    }

    /// The service's work on the virtual clock.
    type Job: Clone + Debug + PartialEq + Serialize + DeserializeOwned;

    /// The operations implemented under `sdk_id`, in the API reference's order (for pickers and
    /// completion; a test keeps each list equal to what `call` dispatches).
    fn actions(sdk_id: &str) -> &'static [&'static str];

    /// Runs one operation. A failed operation changes nothing.
    fn call(&mut self, ctx: &mut Ctx<Self::Job>, sdk_id: &str, action: &str, request: &Value) -> Outcome;

    /// Continues an operation that answered [`Outcome::Await`], with the results of its calls in
    /// the order it asked for them.
    fn resume(&mut self, ctx: &mut Ctx<Self::Job>, token: u64, results: Vec<Result<Value, AwsError>>) -> Outcome {
        let _ = (ctx, results);
        Outcome::Done(Err(AwsError::server(
            "InternalFailure",
            format!("{} has no operation waiting with token {token}.", Self::SDK_IDS[0]),
        )))
    }

    /// The operations under `sdk_id` that only read: what [`Service::read`] answers (lab checks
    /// and console views may run them).
    fn read_only_actions(sdk_id: &str) -> &'static [&'static str];

    /// Runs a read-only operation without changing or recording anything (lab checks, console
    /// views); `None` when `action` is not one that only reads.
    fn read(&self, view: View, sdk_id: &str, action: &str, request: &Value) -> Option<Result<Value, AwsError>>;

    /// Runs one of the service's jobs when it falls due. A job that must wait for calls asks
    /// with [`Ctx::wait_for`]; it goes on in [`Service::resume`].
    fn run_job(&mut self, ctx: &mut Ctx<Self::Job>, job: Self::Job);

    /// New data can be read at `source` from the instant `at_ms` (an [`Effect::Changed`] some
    /// service asked for, with the call that caused it as `ctx.request_id`). Most services read
    /// nothing on their own.
    fn source_changed(&mut self, ctx: &mut Ctx<Self::Job>, source: &str, at_ms: Millis) {
        let _ = (ctx, source, at_ms);
    }
}
