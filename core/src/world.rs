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
use crate::dynamodb::{self, DynamoDb};
use crate::effect::{Effect, Job};
use crate::error::AwsError;
use crate::ids::Ids;
use crate::observed::{keep_response, CallError, Event, Observed};
use crate::scheduler::Scheduler;
use crate::sts;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The services this simulator implements, by their SDK ids in lower case.
pub const SERVICES: &[&str] = &["dynamodb", "dynamodbstreams", "sts"];

/// The operations the simulator implements for `service`, for pickers and completion.
pub fn actions(service: &str) -> &'static [&'static str] {
    match service {
        "dynamodb" => dynamodb::ACTIONS,
        "dynamodbstreams" => dynamodb::streams::ACTIONS,
        "sts" => sts::ACTIONS,
        _ => &[],
    }
}

/// The longest single clock move: ten years. Longer moves are refused so that a typo cannot
/// send the world past the end of the calendar.
pub const MAX_ADVANCE_SECONDS: u64 = 10 * 366 * 86_400;

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
    /// DynamoDB's tables.
    pub dynamodb: DynamoDb,
}

impl<'a> Ctx<'a> {
    fn new(now_ms: Millis, account: &'a Account, ids: &'a mut Ids) -> Ctx<'a> {
        Ctx { now_ms, account, ids, schedule: Vec::new(), effects: Vec::new() }
    }
}

/// What an operation may use of the world besides its own service's state.
pub struct Ctx<'a> {
    pub now_ms: Millis,
    pub account: &'a Account,
    pub ids: &'a mut Ids,
    /// Jobs the operation asks the world to schedule: (due instant, job).
    pub schedule: Vec<(Millis, Job)>,
    /// Requests to other services, for the world to route once the operation is done.
    pub effects: Vec<Effect>,
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
        World {
            account: Account {
                id: config.account_id.clone(),
                region: config.region.clone(),
                user_name: "student".into(),
                user_id,
            },
            clock: Clock::starting_at(config.start_ms),
            scheduler: Scheduler::default(),
            ids,
            observed: Observed::default(),
            dynamodb: DynamoDb::default(),
        }
    }

    /// Runs one API operation: `service` is the SDK id in lower case (`dynamodb`), `action` the
    /// operation name (`PutItem`), `request` its input shape.
    ///
    /// A failed call changes no resource; like every call, it is recorded in the Observed log.
    pub fn call(&mut self, service: &str, action: &str, request: &Value) -> Result<Value, AwsError> {
        let request_id = self.ids.uuid();
        let mut ctx = Ctx::new(self.clock.now_ms(), &self.account, &mut self.ids);
        let result = match service {
            "dynamodb" => dynamodb::call(&mut self.dynamodb, &mut ctx, action, request),
            "dynamodbstreams" => dynamodb::streams::call(&mut self.dynamodb, &mut ctx, action, request),
            "sts" => sts::call(&self.account, action, request),
            _ => Err(unknown_service(service)),
        };
        let (schedule, effects) = (std::mem::take(&mut ctx.schedule), std::mem::take(&mut ctx.effects));
        let error = result.as_ref().err().map(|err| CallError { code: err.code.clone(), message: err.message.clone() });
        let (response, truncated) = match &result {
            Ok(response) => {
                let (kept, truncated) = keep_response(response);
                (Some(kept), truncated)
            }
            Err(_) => (None, false),
        };
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
            },
        );
        self.settle(schedule, effects);
        result
    }

    /// Runs a read-only operation without recording it or changing anything: what lab checks
    /// and the console's views use. Other operations are refused.
    pub fn read(&self, service: &str, action: &str, request: &Value) -> Result<Value, AwsError> {
        let refused = || {
            AwsError::client(
                "InvalidAction",
                format!("{service} {action} is not an operation that only reads, so it cannot be run here."),
            )
        };
        match service {
            "dynamodb" => self.dynamodb.read(action, request).unwrap_or_else(|| Err(refused())),
            "sts" if action == "GetCallerIdentity" => sts::call(&self.account, action, request),
            "dynamodbstreams" | "sts" => Err(refused()),
            _ => Err(unknown_service(service)),
        }
    }

    /// Records the learner's answer to a lab question (see `lab::Check::Answer`).
    pub fn answer(&mut self, id: &str, value: &str) {
        self.observed.record(self.clock.now_ms(), Event::Answer { id: id.to_string(), value: value.to_string() });
    }

    /// Schedules the jobs an operation asked for and routes its effects.
    fn settle(&mut self, schedule: Vec<(Millis, Job)>, effects: Vec<Effect>) {
        for (due, job) in schedule {
            self.scheduler.schedule(due, job);
        }
        for effect in effects {
            self.route(effect);
        }
    }

    /// Delivers one effect to the service it is for.
    fn route(&mut self, effect: Effect) {
        match effect {
            Effect::KinesisRecord { stream_arn, data, .. } => {
                // The simulator has no Kinesis yet: the change is recorded, not delivered.
                let stream = stream_arn.rsplit('/').next().unwrap_or_default().to_string();
                let summary = format!(
                    "{} record for table {} to stream {stream}",
                    data["eventName"].as_str().unwrap_or_default(),
                    data["tableName"].as_str().unwrap_or_default()
                );
                self.observed.record(
                    self.clock.now_ms(),
                    Event::Effect { from: "dynamodb".into(), to: "kinesis".into(), summary, delivered: false },
                );
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

    /// Advances straight to each pending job in turn until none is left.
    pub fn run_until_idle(&mut self) -> AdvanceReport {
        let from_ms = self.clock.now_ms();
        let mut jobs_run = 0;
        while let Some(due) = self.scheduler.next_due() {
            if let Some((due, job)) = self.scheduler.pop_due(due) {
                self.clock.move_to(due);
                self.run_job(job);
                jobs_run += 1;
            }
        }
        AdvanceReport { from_ms, to_ms: self.clock.now_ms(), jobs_run }
    }

    fn run_job(&mut self, job: Job) {
        let mut ctx = Ctx::new(self.clock.now_ms(), &self.account, &mut self.ids);
        match job {
            Job::DynamoDb(job) => self.dynamodb.run_job(job, &mut ctx),
        }
        let (schedule, effects) = (std::mem::take(&mut ctx.schedule), std::mem::take(&mut ctx.effects));
        self.settle(schedule, effects);
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
            "error UnknownService: The simulated account has no service named \"s3\". Simulated services: dynamodb, dynamodbstreams, sts.",
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
}

#[cfg(test)]
mod action_lists {
    use super::*;

    /// The action lists (for pickers and completion) name exactly the operations each service
    /// answers: every listed one is dispatched, and an unlisted name is unknown.
    #[test]
    fn actions_lists_match_dispatch() {
        for service in SERVICES {
            for action in actions(service) {
                let err = World::default().call(service, action, &serde_json::json!({})).err();
                let unknown = err.is_some_and(|e| e.code == "UnknownOperationException" || e.code == "InvalidAction");
                assert!(!unknown, "{service} {action} is listed but not dispatched");
            }
            let err = World::default().call(service, "NoSuchAction", &serde_json::json!({})).unwrap_err();
            assert!(err.code == "UnknownOperationException" || err.code == "InvalidAction", "{service}: {err}");
        }
    }
}
