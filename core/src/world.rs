//! The whole simulated account, as one value.
//!
//! [`World::call`] is the one wire-level entry point every front end uses: a service's SDK id,
//! an operation name and the operation's input as JSON, with the member names the AWS API
//! reference gives (what `aws ... --cli-input-json` takes). It answers with the response JSON or
//! an [`AwsError`]. [`World::advance`] moves virtual time, running whatever falls due.
//!
//! A `World` is Clone + Serialize + Deserialize: reset, undo, snapshots and saving in the
//! browser are all just copies of this value.

use crate::clock::{Clock, Millis};
use crate::dynamodb::DynamoDb;
use crate::effect::{Call, Effect, Principal};
use crate::error::AwsError;
use crate::iam::Iam;
use crate::ids::Ids;
use crate::kinesis::Kinesis;
use crate::lambda::Lambda;
use crate::logs::Logs;
use crate::observed::{keep_response, CallError, Event, Observed};
use crate::scheduler::Scheduler;
use crate::secretsmanager::SecretsManager;
pub use crate::service::Account;
use crate::service::{Ctx, Outcome, Service, View};
use crate::sqs::Sqs;
use crate::sts::Sts;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The registry: every simulated service, once, as `field: Type => JobVariant`. World's fields,
/// [`SERVICES`], [`actions`], dispatch, reads and the [`Job`] enum all come from this list;
/// adding a service is writing its folder and adding its line here.
macro_rules! registry {
    ($($(#[cfg($cfg:meta)])? $field:ident: $service:ty => $variant:ident,)*) => {
        /// The simulated AWS account.
        #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
        pub struct World {
            /// Who the learner is and where resources live.
            pub account: Account,
            /// Virtual time.
            clock: Clock,
            /// Work due later on the virtual clock.
            scheduler: Scheduler<Job>,
            /// Source of request ids and every other id.
            ids: Ids,
            /// Every call and clock move, for the timeline and the lab checks.
            observed: Observed,
            // Each service's state, named as in the registry. `default` lets a save written
            // before a service existed load with that service empty.
            $($(#[cfg($cfg)])? #[serde(default)] pub $field: $service,)*
        }

        /// Work due at an instant of virtual time: each service's own job type, by service.
        #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
        pub enum Job {
            $($(#[cfg($cfg)])? $variant(<$service as Service>::Job),)*
        }

        /// How many SDK ids the registry's services answer to.
        const fn sdk_id_count() -> usize {
            let mut n = 0;
            $($(#[cfg($cfg)])? { n += <$service as Service>::SDK_IDS.len(); })*
            n
        }

        /// Every service's SDK ids, in registry order.
        const fn sdk_ids() -> [&'static str; sdk_id_count()] {
            let mut all = [""; sdk_id_count()];
            let mut at = 0;
            $($(#[cfg($cfg)])? {
                let ids = <$service as Service>::SDK_IDS;
                let mut i = 0;
                while i < ids.len() {
                    all[at] = ids[i];
                    at += 1;
                    i += 1;
                }
            })*
            all
        }

        /// The operations the simulator implements for `service`, for pickers and completion.
        pub fn actions(service: &str) -> &'static [&'static str] {
            $($(#[cfg($cfg)])? if <$service as Service>::SDK_IDS.contains(&service) {
                return <$service as Service>::actions(service);
            })*
            &[]
        }

        /// The operations of `service` that only read, which checks and consoles may run.
        pub fn read_only_actions(service: &str) -> &'static [&'static str] {
            $($(#[cfg($cfg)])? if <$service as Service>::SDK_IDS.contains(&service) {
                return <$service as Service>::read_only_actions(service);
            })*
            &[]
        }

        /// One accessor per service that borrows its state, the account and the id source
        /// apart, which is what a [`Ctx`] needs beside the service.
        mod parts {
            use super::*;
            $($(#[cfg($cfg)])? pub(super) fn $field(world: &mut World) -> (&mut $service, &Account, &mut Ids) {
                (&mut world.$field, &world.account, &mut world.ids)
            })*
        }

        impl World {
            fn fresh(account: Account, clock: Clock, ids: Ids) -> World {
                World {
                    account,
                    clock,
                    scheduler: Scheduler::default(),
                    ids,
                    observed: Observed::default(),
                    $($(#[cfg($cfg)])? $field: <$service>::default(),)*
                }
            }

            /// Runs `action` of the service answering to `sdk_id`; `None` when none does.
            fn dispatch(&mut self, call: &Running, sdk_id: &str, action: &str, request: &Value) -> Option<Served> {
                $($(#[cfg($cfg)])? if <$service as Service>::SDK_IDS.contains(&sdk_id) {
                    return Some(self.serve(parts::$field, Job::$variant, call, sdk_id, action, request));
                })*
                None
            }

            /// Runs a read-only operation of the service answering to `sdk_id`.
            fn dispatch_read(&self, sdk_id: &str, action: &str, request: &Value) -> Option<Option<Result<Value, AwsError>>> {
                let view = View { now_ms: self.clock.now_ms(), account: &self.account };
                $($(#[cfg($cfg)])? if <$service as Service>::SDK_IDS.contains(&sdk_id) {
                    return Some(self.$field.read(view, sdk_id, action, request));
                })*
                None
            }

            /// The ARNs of the resources IAM would judge a call of `action` with `request` on, as
            /// the service answering to `sdk_id` names them (`Service::resources`: what
            /// `World::authorize` checks for a role's call); `None` when no service answers.
            /// Lab checks ask it what a role may do.
            pub fn resources(&self, sdk_id: &str, action: &str, request: &Value) -> Option<Vec<String>> {
                let view = View { now_ms: self.clock.now_ms(), account: &self.account };
                $($(#[cfg($cfg)])? if <$service as Service>::SDK_IDS.contains(&sdk_id) {
                    return Some(self.$field.resources(view, sdk_id, action, request));
                })*
                None
            }

            fn run_job(&mut self, job: Job) {
                match job {
                    $($(#[cfg($cfg)])? Job::$variant(job) => self.work(parts::$field, Job::$variant, job),)*
                }
            }

            /// Tells every service that `source` has something new to read, in registry order.
            fn notify(&mut self, source: &str, at_ms: Millis, cause: Option<&str>) {
                $($(#[cfg($cfg)])? self.tell(parts::$field, Job::$variant, source, at_ms, cause);)*
            }
        }
    };
}

registry! {
    dynamodb: DynamoDb => DynamoDb,
    sts: Sts => Sts,
    iam: Iam => Iam,
    lambda: Lambda => Lambda,
    secretsmanager: SecretsManager => SecretsManager,
    logs: Logs => Logs,
    sqs: Sqs => Sqs,
    kinesis: Kinesis => Kinesis,
    #[cfg(test)]
    relay: relay::Relay => Relay,
}

/// The services this simulator implements, by their SDK ids in lower case.
pub const SERVICES: &[&str] = &SDK_IDS;
const SDK_IDS: [&str; sdk_id_count()] = sdk_ids();

/// The longest single clock move: ten years. Longer moves are refused so that a typo cannot
/// send the world past the end of the calendar.
pub const MAX_ADVANCE_SECONDS: u64 = 10 * 366 * 86_400;

/// How deep calls made on services' behalf may nest (a handler whose SDK call invokes a handler
/// whose SDK call...). Past it, the call is refused instead of recursing forever.
pub const MAX_CALL_DEPTH: usize = 16;

/// How a new world starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorldConfig {
    /// Seed of every id and random choice: the same seed and the same calls give the same world.
    pub seed: u64,
    /// The virtual instant the world starts at (milliseconds since the Unix epoch).
    pub start_ms: Millis,
    /// The 12-digit account id.
    pub account_id: String,
    /// The region every resource lives in.
    pub region: String,
}

impl Default for WorldConfig {
    /// Account 123456789012 (the id AWS documentation uses) in Singapore (ap-southeast-1, the
    /// region closest to Vietnam), starting at 2025-01-01T00:00:00Z.
    fn default() -> Self {
        WorldConfig {
            seed: 2025,
            start_ms: 1_735_689_600_000,
            account_id: "123456789012".into(),
            region: "ap-southeast-1".into(),
        }
    }
}

/// What an operation answered, the jobs it asked for and the calls it left for later.
type Served = (Result<Value, AwsError>, Vec<(Millis, Job)>, Vec<Effect>);

/// The call being answered: who made it, its request id, and how deep it is nested.
struct Running {
    caller: Principal,
    request_id: String,
    depth: usize,
}

/// What a clock move did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdvanceReport {
    pub from_ms: Millis,
    pub to_ms: Millis,
    /// How many scheduled jobs ran.
    pub jobs_run: u64,
}

impl Default for World {
    fn default() -> Self {
        World::new(&WorldConfig::default())
    }
}

impl World {
    pub fn new(config: &WorldConfig) -> World {
        let mut ids = Ids::seeded(config.seed);
        let user_id = format!("AIDA{}", ids.string_from(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 17));
        let account = Account {
            id: config.account_id.clone(),
            region: config.region.clone(),
            user_name: "student".into(),
            user_id,
        };
        World::fresh(account, Clock::starting_at(config.start_ms), ids)
    }

    /// Runs one API operation as the learner: `service` is the SDK id in lower case
    /// (`dynamodb`), `action` the operation name (`PutItem`), `request` its input shape.
    ///
    /// A failed call changes no resource; like every call, it is recorded in the Observed log.
    /// Calls the operation leaves for the world to make on a service's behalf run after it, each
    /// recorded with this call's request id as its cause.
    pub fn call(&mut self, service: &str, action: &str, request: &Value) -> Result<Value, AwsError> {
        self.call_as(Principal::Learner, None, 0, service, action, request)
    }

    /// Runs one call as `caller`, `depth` calls deep, recording it with its `cause`.
    fn call_as(
        &mut self,
        caller: Principal,
        cause: Option<String>,
        depth: usize,
        service: &str,
        action: &str,
        request: &Value,
    ) -> Result<Value, AwsError> {
        let running = Running { caller, request_id: self.ids.uuid(), depth };
        let (result, schedule, effects) = if depth > MAX_CALL_DEPTH {
            (Err(too_deep(service, action)), Vec::new(), Vec::new())
        } else {
            self.dispatch(&running, service, action, request)
                .unwrap_or_else(|| (Err(unknown_service(service)), Vec::new(), Vec::new()))
        };
        let error = result.as_ref().err().map(|err| CallError { code: err.code.clone(), message: err.message.clone() });
        let (response, truncated) = match &result {
            Ok(response) => {
                let (kept, truncated) = keep_response(response);
                (Some(kept), truncated)
            }
            Err(_) => (None, false),
        };
        let Running { caller, request_id, .. } = running;
        let this_call = request_id.clone();
        self.observed.record(
            self.clock.now_ms(),
            Event::Call {
                service: service.to_string(),
                action: action.to_string(),
                request_id,
                request: request.into(),
                error,
                response,
                truncated,
                caller,
                cause,
            },
        );
        self.settle(schedule, effects, Some(&this_call), depth);
        result
    }

    /// Runs one operation of service `S` to its end, through every [`Outcome::Await`] (the
    /// world makes the calls the operation waits for, then resumes it); answers with the jobs
    /// and later calls it asked for, which the world settles once the call is recorded.
    fn serve<S: Service>(
        &mut self,
        parts: fn(&mut World) -> (&mut S, &Account, &mut Ids),
        wrap: fn(S::Job) -> Job,
        running: &Running,
        sdk_id: &str,
        action: &str,
        request: &Value,
    ) -> Served {
        let now_ms = self.clock.now_ms();
        if let Err(denied) = self.authorize::<S>(parts, running, sdk_id, action, request) {
            return (Err(denied), Vec::new(), Vec::new());
        }
        let (mut schedule, mut effects) = (Vec::new(), Vec::new());
        let mut step = |world: &mut World, resume: Option<(u64, Vec<Result<Value, AwsError>>)>| {
            let (service, account, ids) = parts(world);
            let mut ctx = Ctx::new(now_ms, account, ids, &running.caller, Some(&running.request_id));
            let outcome = match resume {
                None => service.call(&mut ctx, sdk_id, action, request),
                Some((token, results)) => service.resume(&mut ctx, token, results),
            };
            schedule.extend(ctx.schedule.into_iter().map(|(due, job)| (due, wrap(job))));
            effects.extend(ctx.effects);
            outcome
        };
        let mut outcome = step(self, None);
        let result = loop {
            match outcome {
                Outcome::Done(result) => break result,
                Outcome::Await { calls, token } => {
                    let results =
                        calls.into_iter().map(|call| self.make(call, &running.request_id, running.depth + 1)).collect();
                    outcome = step(self, Some((token, results)));
                }
            }
        };
        (result, schedule, effects)
    }

    /// IAM's judgement of a call made as a role's session: every resource the request names
    /// must be allowed by the role's identity policies. The learner (an administrator) and
    /// service principals are not judged here.
    fn authorize<S: Service>(
        &mut self,
        parts: fn(&mut World) -> (&mut S, &Account, &mut Ids),
        running: &Running,
        sdk_id: &str,
        action: &str,
        request: &Value,
    ) -> Result<(), AwsError> {
        let Principal::Role { arn, session } = &running.caller else { return Ok(()) };
        let now_ms = self.clock.now_ms();
        let resources = {
            let (service, account, _) = parts(self);
            service.resources(View { now_ms, account }, sdk_id, action, request)
        };
        let iam_action = format!("{}:{}", S::IAM_PREFIX, S::iam_action(action));
        let context = std::collections::BTreeMap::new();
        for resource in &resources {
            let decision = self.iam.authorize(&self.account, arn, &iam_action, resource, &context);
            let session_arn = assumed_role_arn(arn, session);
            if let Some(message) =
                crate::iam::denial_message(&session_arn, &S::denied_action(&iam_action), resource, decision)
            {
                return Err(AwsError::client(S::ACCESS_DENIED, message));
            }
        }
        Ok(())
    }

    /// Runs one of service `S`'s jobs to its end, through every wait for calls it asks for
    /// ([`Ctx::wait_for`]), then what it asked for.
    fn work<S: Service>(
        &mut self,
        parts: fn(&mut World) -> (&mut S, &Account, &mut Ids),
        wrap: fn(S::Job) -> Job,
        job: S::Job,
    ) {
        let now_ms = self.clock.now_ms();
        let (mut schedule, mut effects) = (Vec::new(), Vec::new());
        let mut step = |world: &mut World, resume: Option<(u64, Vec<Result<Value, AwsError>>)>| {
            let (service, account, ids) = parts(world);
            let mut ctx = Ctx::new(now_ms, account, ids, &Principal::Learner, None);
            match resume {
                None => service.run_job(&mut ctx, job.clone()),
                Some((token, results)) => match service.resume(&mut ctx, token, results) {
                    Outcome::Await { calls, token } => ctx.waiting = Some((calls, token)),
                    Outcome::Done(_) => {}
                },
            }
            schedule.extend(ctx.schedule.into_iter().map(|(due, job)| (due, wrap(job))));
            effects.extend(ctx.effects);
            ctx.waiting
        };
        let mut waiting = step(self, None);
        while let Some((calls, token)) = waiting {
            // A job's calls carry the cause they name (the change a poll follows), or none.
            let results = calls
                .into_iter()
                .map(|call| {
                    let cause = call.cause.clone();
                    self.call_as(call.principal, cause, 1, &call.service, &call.action, &call.request)
                })
                .collect();
            waiting = step(self, Some((token, results)));
        }
        self.settle(schedule, effects, None, 0);
    }

    /// Tells service `S` that `source` has something new to read, then settles what it asked for.
    fn tell<S: Service>(
        &mut self,
        parts: fn(&mut World) -> (&mut S, &Account, &mut Ids),
        wrap: fn(S::Job) -> Job,
        source: &str,
        at_ms: Millis,
        cause: Option<&str>,
    ) {
        let now_ms = self.clock.now_ms();
        let (service, account, ids) = parts(self);
        let mut ctx = Ctx::new(now_ms, account, ids, &Principal::Learner, cause);
        service.source_changed(&mut ctx, source, at_ms);
        let schedule: Vec<(Millis, Job)> = ctx.schedule.into_iter().map(|(due, job)| (due, wrap(job))).collect();
        let effects = ctx.effects;
        if !schedule.is_empty() || !effects.is_empty() {
            self.settle(schedule, effects, cause, 0);
        }
    }

    /// Makes one call a service asked for, caused by `cause` unless the call names its own.
    fn make(&mut self, call: Call, cause: &str, depth: usize) -> Result<Value, AwsError> {
        let cause = call.cause.unwrap_or_else(|| cause.to_string());
        self.call_as(call.principal, Some(cause), depth, &call.service, &call.action, &call.request)
    }

    /// Runs a read-only operation without recording it or changing anything: what lab checks
    /// and the console's views use. Other operations are refused.
    pub fn read(&self, service: &str, action: &str, request: &Value) -> Result<Value, AwsError> {
        match self.dispatch_read(service, action, request) {
            Some(Some(result)) => result,
            Some(None) => Err(AwsError::client(
                "InvalidAction",
                format!("{service} {action} is not an operation that only reads, so it cannot be run here."),
            )),
            None => Err(unknown_service(service)),
        }
    }

    /// Records the learner's answer to a lab question (see `lab::Check::Answer`).
    pub fn answer(&mut self, id: &str, value: &str) {
        self.observed.record(self.clock.now_ms(), Event::Answer { id: id.to_string(), value: value.to_string() });
    }

    /// Schedules the jobs an operation (or job) asked for and makes the calls it left, in order.
    /// Calls from a job carry no cause unless they name one.
    fn settle(&mut self, schedule: Vec<(Millis, Job)>, effects: Vec<Effect>, cause: Option<&str>, depth: usize) {
        for (due, job) in schedule {
            self.scheduler.schedule(due, job);
        }
        for effect in effects {
            match effect {
                Effect::Call(call) => {
                    let cause = call.cause.clone().or(cause.map(str::to_string));
                    // What a later call answers goes nowhere: it is in the Observed log.
                    let _ = self.call_as(call.principal, cause, depth + 1, &call.service, &call.action, &call.request);
                }
                Effect::Changed { source, at } => self.notify(&source, at, cause),
            }
        }
    }

    /// Moves virtual time forward by `seconds`, running every job that falls due on the way, each
    /// at its own instant.
    pub fn advance(&mut self, seconds: u64) -> Result<AdvanceReport, AwsError> {
        if seconds > MAX_ADVANCE_SECONDS {
            return Err(AwsError::client(
                "InvalidParameterValue",
                format!(
                    "The clock can move at most {MAX_ADVANCE_SECONDS} seconds (ten years) at a time, not {seconds}."
                ),
            ));
        }
        let from_ms = self.clock.now_ms();
        let to_ms = from_ms + seconds * 1000;
        let mut jobs_run = 0;
        while let Some((due, job)) = self.scheduler.pop_due(to_ms) {
            self.clock.move_to(due);
            self.run_job(job);
            jobs_run += 1;
        }
        self.clock.move_to(to_ms);
        self.observed.record(to_ms, Event::Advance { from_ms, to_ms });
        Ok(AdvanceReport { from_ms, to_ms, jobs_run })
    }

    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    pub fn observed(&self) -> &Observed {
        &self.observed
    }

    /// Pending scheduled jobs.
    pub fn pending_jobs(&self) -> usize {
        self.scheduler.len()
    }
}

/// `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION` for a session of the role `role_arn`.
pub fn assumed_role_arn(role_arn: &str, session: &str) -> String {
    let account = role_arn.split(':').nth(4).unwrap_or_default();
    let name = role_arn.rsplit('/').next().unwrap_or_default();
    format!("arn:aws:sts::{account}:assumed-role/{name}/{session}")
}

/// The error for a call nested deeper than [`MAX_CALL_DEPTH`].
fn too_deep(service: &str, action: &str) -> AwsError {
    AwsError::client(
        "CallDepthExceeded",
        format!(
            "{service} {action} was not run: calls made on services' behalf are nested more than {MAX_CALL_DEPTH} deep, which usually means a loop (a function that invokes itself)."
        ),
    )
}

/// There is no AWS error for a service that does not exist: the real endpoint does not resolve.
/// The simulator answers with an error of its own that names what it does simulate.
fn unknown_service(service: &str) -> AwsError {
    AwsError::client(
        "UnknownService",
        format!(
            "The simulated account has no service named \"{service}\". Simulated services: {}.",
            SERVICES.join(", ")
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Runs one call in a fresh world and compares its answer, rendered as text, with `expect`.
    fn check(service: &str, action: &str, request: Value, expect: &str) {
        let mut world = World::default();
        let got = match world.call(service, action, &request) {
            Ok(response) => format!("ok {response}"),
            Err(err) => format!("error {err}"),
        };
        assert_eq!(got, expect);
    }

    #[test]
    fn get_caller_identity() {
        check(
            "sts",
            "GetCallerIdentity",
            json!({}),
            r#"ok {"Account":"123456789012","Arn":"arn:aws:iam::123456789012:user/student","UserId":"AIDAXCEAOVBDZCUPUDBXW"}"#,
        );
    }

    #[test]
    fn errors() {
        check(
            "sts",
            "GetCallerIdentityy",
            json!({}),
            "error InvalidAction: Could not find operation GetCallerIdentityy for version 2011-06-15",
        );
        check(
            "sts",
            "GetCallerIdentity",
            json!({"Foo": 1}),
            "error ParamValidation: Parameter validation failed:\nUnknown parameter in input: \"Foo\", must be one of: ",
        );
        check(
            "s3",
            "ListBuckets",
            json!({}),
            // `relay` is the test-only service below; core/tests/registry.rs checks the real list.
                        "error UnknownService: The simulated account has no service named \"s3\". Simulated services: dynamodb, dynamodbstreams, sts, iam, lambda, secretsmanager, logs, sqs, kinesis, relay.",
        );
    }

    #[test]
    fn failed_calls_change_nothing_but_the_log() {
        let mut world = World::default();
        let before = world.clone();
        world.call("sts", "Nope", &json!({})).unwrap_err();
        assert_eq!(world.account, before.account);
        assert_eq!(world.clock, before.clock);
        assert_eq!(world.observed().total(), 1);
    }

    #[test]
    fn advance_moves_the_clock_and_logs_it() {
        let mut world = World::default();
        let report = world.advance(90).unwrap();
        assert_eq!(report.to_ms - report.from_ms, 90_000);
        assert_eq!(world.clock().elapsed_ms(), 90_000);
        assert!(world.advance(MAX_ADVANCE_SECONDS + 1).is_err());
        assert_eq!(world.clock().elapsed_ms(), 90_000);
    }

    #[test]
    fn a_world_round_trips_through_json() {
        let mut world = World::default();
        world.call("sts", "GetCallerIdentity", &json!({})).unwrap();
        world.advance(5).unwrap();
        let text = serde_json::to_string(&world).unwrap();
        let back: World = serde_json::from_str(&text).unwrap();
        assert_eq!(back, world);
    }

    #[test]
    fn resources_are_named_by_the_service_that_judges_them() {
        let world = World::default();
        let table = world.resources("dynamodb", "PutItem", &json!({"TableName": "Orders"}));
        assert_eq!(table, Some(vec!["arn:aws:dynamodb:ap-southeast-1:123456789012:table/Orders".to_string()]));
        assert_eq!(world.resources("dynamodb", "ListTables", &json!({})), Some(vec!["*".to_string()]));
        assert_eq!(world.resources("s3", "GetObject", &json!({})), None);
    }
}

/// A service that exists only in tests, to prove the registry and the paths between services
/// before a second real service needs them: `Relay` makes the calls it is given and waits for
/// them (an [`Outcome::Await`], as a Lambda handler's SDK calls will), `Later` leaves them for
/// the world to make after it ([`Ctx::call`]), `Tick` makes them from a job on the clock.
#[cfg(test)]
mod relay {
    use crate::effect::{Call, Principal};
    use crate::error::AwsError;
    use crate::service::{Ctx, Outcome, Service, View};
    use serde::{Deserialize, Serialize};
    use serde_json::{json, Value};
    use std::collections::BTreeMap;

    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    pub struct Relay {
        /// Operations waiting for their calls, by token.
        pub waiting: BTreeMap<u64, usize>,
        next_token: u64,
        /// How many times a `Tick` job ran.
        pub ticks: u32,
    }

    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub enum Job {
        Tick(Vec<Call>),
    }

    /// `{"Calls": [{"Service", "Action", "Request"}], "RoleArn"?}` as calls made by the role.
    fn calls(request: &Value) -> Result<Vec<Call>, AwsError> {
        let Some(calls) = request["Calls"].as_array() else {
            return Err(AwsError::client("ValidationException", "Calls must be a list"));
        };
        let principal = match request["RoleArn"].as_str() {
            Some(arn) => Principal::Role { arn: arn.to_string(), session: "relay".into() },
            None => Principal::service("relay.amazonaws.com"),
        };
        Ok(calls
            .iter()
            .map(|c| {
                let (service, action) = (c["Service"].as_str().unwrap_or(""), c["Action"].as_str().unwrap_or(""));
                Call::new(principal.clone(), service, action, c["Request"].clone())
            })
            .collect())
    }

    impl Service for Relay {
        const SDK_IDS: &'static [&'static str] = &["relay"];
        const IAM_PREFIX: &'static str = "relay";
        type Job = Job;

        fn actions(_sdk_id: &str) -> &'static [&'static str] {
            &["Later", "Relay", "Tick"]
        }

        fn call(&mut self, ctx: &mut Ctx<Job>, _sdk_id: &str, action: &str, request: &Value) -> Outcome {
            if !Self::actions("relay").contains(&action) {
                return Outcome::Done(Err(AwsError::client("UnknownOperationException", "Unknown operation")));
            }
            let calls = match calls(request) {
                Ok(calls) => calls,
                Err(err) => return Outcome::Done(Err(err)),
            };
            match action {
                "Relay" => {
                    let token = self.next_token;
                    self.next_token += 1;
                    self.waiting.insert(token, calls.len());
                    Outcome::Await { calls, token }
                }
                "Later" => {
                    for call in calls {
                        ctx.call(call.principal, &call.service, &call.action, call.request);
                    }
                    Outcome::Done(Ok(json!({})))
                }
                "Tick" => {
                    ctx.schedule(ctx.now_ms + 1000, Job::Tick(calls));
                    Outcome::Done(Ok(json!({})))
                }
                _ => Outcome::Done(Err(AwsError::client("UnknownOperationException", "Unknown operation"))),
            }
        }

        fn resume(&mut self, _ctx: &mut Ctx<Job>, token: u64, results: Vec<Result<Value, AwsError>>) -> Outcome {
            assert_eq!(self.waiting.remove(&token), Some(results.len()), "resumed with one result per call");
            let results: Vec<Value> = results
                .into_iter()
                .map(|r| match r {
                    Ok(v) => json!({"Ok": v}),
                    Err(e) => json!({"Error": e.code}),
                })
                .collect();
            Outcome::Done(Ok(json!({ "Results": results })))
        }

        fn read_only_actions(_sdk_id: &str) -> &'static [&'static str] {
            &[]
        }

        fn read(&self, _view: View, _sdk_id: &str, _action: &str, _request: &Value) -> Option<Result<Value, AwsError>> {
            None
        }

        fn run_job(&mut self, ctx: &mut Ctx<Job>, job: Job) {
            let Job::Tick(calls) = job;
            self.ticks += 1;
            for call in calls {
                ctx.call(call.principal, &call.service, &call.action, call.request);
            }
        }
    }
}

#[cfg(test)]
mod paths_between_services {
    use super::*;
    use serde_json::json;

    /// The calls of the log, each as `caller service action -> outcome [caused by #n]`, where
    /// `#n` is the position in this list of the call that caused it.
    fn calls(world: &World) -> Vec<String> {
        let mut ids = Vec::new();
        let mut lines = Vec::new();
        for event in world.observed().events() {
            let Event::Call { service, action, request_id, error, caller, cause, .. } = &event.event else { continue };
            let outcome = error.as_ref().map_or("ok".to_string(), |e| e.code.clone());
            let cause = cause.as_ref().map_or(String::new(), |c| {
                let at = ids.iter().position(|id| id == c).map_or("?".to_string(), |i| i.to_string());
                format!(" caused by #{at}")
            });
            lines.push(format!("{} {service} {action} -> {outcome}{cause}", caller.label()));
            ids.push(request_id.clone());
        }
        lines
    }

    fn who_am_i() -> Value {
        json!({"Service": "sts", "Action": "GetCallerIdentity", "Request": {}})
    }

    /// A world whose IAM has the role `lab-role`, trusted by Lambda, allowed `actions` on every
    /// resource (none: no policy at all); its log is empty.
    fn with_role(actions: &[&str]) -> World {
        let mut setup = World::default();
        let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
        setup.call("iam", "CreateRole", &json!({"RoleName": "lab-role", "AssumeRolePolicyDocument": trust})).unwrap();
        if !actions.is_empty() {
            let policy = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]});
            let request = json!({"RoleName": "lab-role", "PolicyName": "p", "PolicyDocument": policy.to_string()});
            setup.call("iam", "PutRolePolicy", &request).unwrap();
        }
        World { iam: setup.iam.clone(), ..World::default() }
    }

    #[test]
    fn iam_judges_the_calls_made_as_a_role() {
        let mut world = with_role(&[]);
        let role = "arn:aws:iam::123456789012:role/lab-role";
        let list = json!({"Service": "dynamodb", "Action": "ListTables", "Request": {}});
        let answer = world.call("relay", "Relay", &json!({"Calls": [who_am_i(), list], "RoleArn": role})).unwrap();
        // GetCallerIdentity needs no permission; ListTables does, and the role has none.
        assert_eq!(answer["Results"][0]["Ok"]["Arn"], "arn:aws:sts::123456789012:assumed-role/lab-role/relay");
        assert_eq!(answer["Results"][1]["Error"], "AccessDeniedException");
        let mut allowed = with_role(&["dynamodb:ListTables"]);
        let answer = allowed.call("relay", "Relay", &json!({"Calls": [list], "RoleArn": role})).unwrap();
        assert_eq!(answer["Results"][0]["Ok"], json!({"TableNames": []}));
        // The learner is an administrator: never judged.
        assert!(world.call("dynamodb", "ListTables", &json!({})).is_ok());
    }

    #[test]
    fn an_operation_waits_for_the_calls_it_makes_as_a_role() {
        let mut world = with_role(&["dynamodb:DescribeTable"]);
        let role = "arn:aws:iam::123456789012:role/lab-role";
        let bad = json!({"Service": "dynamodb", "Action": "DescribeTable", "Request": {"TableName": "Nope"}});
        let answer = world.call("relay", "Relay", &json!({"Calls": [who_am_i(), bad], "RoleArn": role})).unwrap();
        let me = &answer["Results"][0]["Ok"];
        assert_eq!(me["Arn"], "arn:aws:sts::123456789012:assumed-role/lab-role/relay");
        assert!(me["UserId"].as_str().unwrap().starts_with("AROA"));
        assert!(me["UserId"].as_str().unwrap().ends_with(":relay"));
        assert_eq!(answer["Results"][1]["Error"], "ResourceNotFoundException");
        // The awaited calls finish first; each names the relay call as its cause.
        let ids: Vec<String> = world
            .observed()
            .events()
            .filter_map(|e| match &e.event {
                Event::Call { request_id, cause, .. } => Some(format!("{request_id} {cause:?}")),
                _ => None,
            })
            .collect();
        let relay_id = ids[2].split(' ').next().unwrap();
        assert!(ids[0].ends_with(&format!("Some(\"{relay_id}\")")), "{ids:?}");
        assert!(ids[1].ends_with(&format!("Some(\"{relay_id}\")")), "{ids:?}");
        assert_eq!(
            calls(&world),
            [
                format!("{role}/relay sts GetCallerIdentity -> ok"),
                format!("{role}/relay dynamodb DescribeTable -> ResourceNotFoundException"),
                "you relay Relay -> ok".to_string(),
            ]
            .map(|line| if line.starts_with("you") { line } else { line + " caused by #?" })
        );
        assert!(world.relay.waiting.is_empty());
    }

    #[test]
    fn calls_left_for_later_run_after_the_operation_with_it_as_their_cause() {
        let mut world = World::default();
        let put = json!({"Service": "dynamodb", "Action": "ListTables", "Request": {}});
        world.call("relay", "Later", &json!({"Calls": [who_am_i(), put]})).unwrap();
        assert_eq!(
            calls(&world),
            [
                "you relay Later -> ok",
                "relay.amazonaws.com sts GetCallerIdentity -> ok caused by #0",
                "relay.amazonaws.com dynamodb ListTables -> ok caused by #0",
            ]
        );
        // A hop to a service the simulator does not have is a failed call, in the log.
        let mut world = World::default();
        let put = json!({"Service": "events", "Action": "PutEvents", "Request": {}});
        world.call("relay", "Later", &json!({"Calls": [put]})).unwrap();
        assert_eq!(calls(&world)[1], "relay.amazonaws.com events PutEvents -> UnknownService caused by #0");
    }

    #[test]
    fn jobs_make_calls_on_the_clock() {
        let mut world = World::default();
        world.call("relay", "Tick", &json!({"Calls": [who_am_i()]})).unwrap();
        assert_eq!(world.pending_jobs(), 1);
        assert_eq!(calls(&world).len(), 1);
        let report = world.advance(1).unwrap();
        assert_eq!(report.jobs_run, 1);
        assert_eq!(world.relay.ticks, 1);
        assert_eq!(calls(&world)[1], "relay.amazonaws.com sts GetCallerIdentity -> ok");
        // The job survives a save in between.
        let mut world = World::default();
        world.call("relay", "Tick", &json!({"Calls": [who_am_i()]})).unwrap();
        let mut world: World = serde_json::from_str(&serde_json::to_string(&world).unwrap()).unwrap();
        world.advance(1).unwrap();
        assert_eq!(world.relay.ticks, 1);
    }

    #[test]
    fn nesting_stops_at_the_depth_limit() {
        // A relay that relays itself, 20 deep.
        let mut request = json!({"Calls": [who_am_i()]});
        for _ in 0..20 {
            request = json!({"Calls": [{"Service": "relay", "Action": "Relay", "Request": request}]});
        }
        let mut world = World::default();
        let mut answer = world.call("relay", "Relay", &request).unwrap();
        let mut depth = 0;
        while let Some(inner) = answer["Results"][0].get("Ok").cloned() {
            answer = inner;
            depth += 1;
        }
        assert_eq!(depth, MAX_CALL_DEPTH);
        assert_eq!(answer["Results"][0]["Error"], "CallDepthExceeded");
        assert!(world.relay.waiting.is_empty());
    }
}

#[cfg(test)]
mod action_lists {
    use super::*;

    /// The action lists (for pickers and completion) name exactly the operations each service
    /// answers: every listed one is dispatched, and an unlisted name is unknown. Every
    /// read-only action is listed and answered by `read`; no other action is.
    #[test]
    fn actions_lists_match_dispatch() {
        let unknown = |e: &AwsError| e.code == "UnknownOperationException" || e.code == "InvalidAction";
        for service in SERVICES {
            for action in actions(service) {
                let err = World::default().call(service, action, &serde_json::json!({})).err();
                assert!(!err.as_ref().is_some_and(unknown), "{service} {action} is listed but not dispatched");
                let read = World::default().read(service, action, &serde_json::json!({}));
                let refused = read.as_ref().is_err_and(|e| e.message.contains("not an operation that only reads"));
                assert_eq!(
                    refused,
                    !read_only_actions(service).contains(action),
                    "{service} {action}: read() and read_only_actions disagree"
                );
            }
            for action in read_only_actions(service) {
                assert!(actions(service).contains(action), "{service} {action} reads but is not listed");
            }
            let err = World::default().call(service, "NoSuchAction", &serde_json::json!({})).unwrap_err();
            assert!(unknown(&err), "{service}: {err}");
        }
    }
}
