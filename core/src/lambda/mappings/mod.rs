//! Event source mappings: Lambda reading a DynamoDB stream, a Kinesis stream or an SQS queue on
//! its own and invoking a function with batches of what it finds.
//!
//! - This module is the control plane: Create/Get/Update/Delete/ListEventSourceMappings, with
//!   AWS's defaults and limits for each kind of source, and the states a mapping passes through
//!   on the virtual clock (Creating → Enabled, Updating, Enabling, Disabling → Disabled,
//!   Deleting). Creating a mapping asks the world two things first, as Lambda asks AWS: whether
//!   the source exists (a describe call made as `lambda.amazonaws.com`) and whether the
//!   function's role may read it (IAM's SimulatePrincipalPolicy); for a stream starting at
//!   LATEST it also takes its shard iterators then, so that what is written after the mapping is
//!   created reaches the function even when the clock has not moved (docs/differences.md).
//! - [`poll`] is the poller: a job that reads the source as the function's role, invokes the
//!   function as `lambda.amazonaws.com` and settles the batch (checkpoint, retry, bisect,
//!   on-failure record, SQS deletes). A poll is scheduled when the source tells the world it has
//!   something new (`Effect::Changed`), not on a fixed beat.

pub mod poll;

use super::api::{self, error, invalid, FunctionRef};
use super::invoke::Waiting;
use super::{Job, Lambda};
use crate::clock::Millis;
use crate::effect::{Call, Principal};
use crate::error::AwsError;
use crate::service::{Ctx, Outcome, View};
use crate::wire::{self, array, boolean, integer, map, object_with, required, string};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

type LambdaCtx<'a> = Ctx<'a, Job>;

/// How long a mapping stays in a transitional state (Creating, Updating, Enabling, Disabling,
/// Deleting) on the virtual clock.
pub const SETTLE_MS: Millis = 1_000;

/// The most filters a mapping's FilterCriteria may hold (AWS's default quota).
pub const MAX_FILTERS: usize = 5;

/// What a mapping reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Source {
    DynamoDb,
    Kinesis,
    Sqs,
}

impl Source {
    /// The kind of source an ARN names, if Lambda can read it here.
    pub fn of(arn: &str) -> Option<Source> {
        let parts: Vec<&str> = arn.splitn(6, ':').collect();
        let [_, _, service, _, _, resource] = parts.as_slice() else { return None };
        match *service {
            "dynamodb" if resource.starts_with("table/") && resource.contains("/stream/") => Some(Source::DynamoDb),
            "kinesis" if resource.starts_with("stream/") => Some(Source::Kinesis),
            "sqs" if !resource.is_empty() && !resource.contains('/') => Some(Source::Sqs),
            _ => None,
        }
    }

    pub fn is_stream(self) -> bool {
        self != Source::Sqs
    }

    /// The `eventSource` of the records a handler gets.
    pub fn event_source(self) -> &'static str {
        match self {
            Source::DynamoDb => "aws:dynamodb",
            Source::Kinesis => "aws:kinesis",
            Source::Sqs => "aws:sqs",
        }
    }

    /// The IAM actions the function's role needs on the source, checked when the mapping is
    /// created (the first is the one AWS's message names for SQS).
    fn needs(self) -> &'static [&'static str] {
        match self {
            Source::DynamoDb => {
                &["dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:DescribeStream", "dynamodb:ListStreams"]
            }
            Source::Kinesis => {
                &["kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:DescribeStream", "kinesis:ListStreams"]
            }
            Source::Sqs => &["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
        }
    }

    /// How long after something new arrives the poller reads it: Lambda polls a DynamoDB stream's
    /// shards four times a second, a Kinesis shard once a second, and long-polls a queue.
    pub fn poll_delay_ms(self) -> Millis {
        match self {
            Source::DynamoDb => 250,
            Source::Kinesis => 1_000,
            Source::Sqs => 20,
        }
    }
}

/// Where a stream mapping's poller is in one shard.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Cursor {
    /// The iterator to read on with, and when it was handed out (it expires).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iterator: Option<(String, Millis)>,
    /// The sequence number of the last record read from the shard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_to: Option<String>,
    /// The shard is closed and has been read to its end.
    #[serde(default)]
    pub finished: bool,
    /// The shard appeared after the mapping started (a reshard's child): read from its start.
    #[serde(default)]
    pub from_start: bool,
    /// When the LATEST position was taken, while nothing has been read since: an expired
    /// iterator is taken again from that instant, not from a new LATEST that would skip what
    /// came between.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since_ms: Option<Millis>,
    /// Batches read but not yet done with (the first is being retried), oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pending: Vec<Batch>,
}

/// Records handed to the function together, and how often they have been.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Batch {
    /// The records as the function gets them.
    pub records: Vec<Value>,
    /// Failed invocations of this batch (or the batch it was split from) that count against
    /// MaximumRetryAttempts: not the ones that were split, nor throttles.
    pub attempts: u64,
    /// Every invocation of it, which sets how long the poller waits before the next.
    #[serde(default)]
    pub tries: u64,
    /// When the next attempt is due.
    pub due_ms: Millis,
}

/// One event source mapping.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Mapping {
    pub uuid: String,
    pub source_arn: String,
    pub source: Source,
    /// The function's name, and the qualifier the mapping invokes, if any.
    pub function: String,
    pub qualifier: Option<String>,
    /// The function's ARN as the mapping was given it (qualified when a qualifier was).
    pub function_arn: String,
    pub batch_size: u64,
    pub window_s: u64,
    pub starting_position: Option<String>,
    pub starting_timestamp_s: Option<f64>,
    pub parallelization: u64,
    pub max_record_age_s: i64,
    pub bisect: bool,
    pub max_retries: i64,
    pub tumbling_window_s: u64,
    pub response_types: Vec<String>,
    pub on_failure: Option<String>,
    /// FilterCriteria's patterns, as given.
    pub filters: Vec<String>,
    /// ScalingConfig's MaximumConcurrency (SQS).
    pub max_concurrency: Option<u64>,
    /// Whether the learner wants it polling.
    pub enabled: bool,
    pub state: String,
    pub state_reason: String,
    pub last_result: String,
    pub last_modified_ms: Millis,
    /// Bumped by every change of state; a state job of an older generation does nothing.
    pub generation: u64,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
    /// Stream shards by id (streams only).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub shards: BTreeMap<String, Cursor>,
    /// The instants polls are asked for (each has its `Job::Poll`); a poll at `t` answers every
    /// one up to `t`.
    #[serde(default, skip_serializing_if = "std::collections::BTreeSet::is_empty")]
    pub wakes: std::collections::BTreeSet<Millis>,
    /// Hours the source keeps records (the stream's retention; 24 for DynamoDB).
    #[serde(default = "day")]
    pub retention_h: u64,
    /// The call whose change the next poll follows (for the timeline).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
}

impl Mapping {
    pub fn arn(&self, region: &str, account: &str) -> String {
        format!("arn:aws:lambda:{region}:{account}:event-source-mapping:{}", self.uuid)
    }

    /// Whether the poller reads the source.
    pub fn polling(&self) -> bool {
        self.enabled && matches!(self.state.as_str(), "Enabled" | "Updating")
    }

    fn transition_reason(&self) -> &'static str {
        if self.source.is_stream() {
            "User action"
        } else {
            "USER_INITIATED"
        }
    }

    fn settled(&self) -> bool {
        matches!(self.state.as_str(), "Enabled" | "Disabled")
    }
}

fn day() -> u64 {
    24
}

/// The operations.
pub const ACTIONS: &[&str] = &[
    "CreateEventSourceMapping",
    "DeleteEventSourceMapping",
    "GetEventSourceMapping",
    "ListEventSourceMappings",
    "UpdateEventSourceMapping",
];

/// Every member CreateEventSourceMapping's input has.
const CREATE_MEMBERS: &[&str] = &[
    "EventSourceArn",
    "FunctionName",
    "Enabled",
    "BatchSize",
    "FilterCriteria",
    "MaximumBatchingWindowInSeconds",
    "ParallelizationFactor",
    "StartingPosition",
    "StartingPositionTimestamp",
    "DestinationConfig",
    "MaximumRecordAgeInSeconds",
    "BisectBatchOnFunctionError",
    "MaximumRetryAttempts",
    "Tags",
    "TumblingWindowInSeconds",
    "Topics",
    "Queues",
    "SourceAccessConfigurations",
    "SelfManagedEventSource",
    "FunctionResponseTypes",
    "AmazonManagedKafkaEventSourceConfig",
    "SelfManagedKafkaEventSourceConfig",
    "ScalingConfig",
    "DocumentDBEventSourceConfig",
    "KMSKeyArn",
    "MetricsConfig",
    "ProvisionedPollerConfig",
];

/// Members for sources this simulator does not have (Kafka, MQ, DocumentDB) and settings it
/// does not model.
const FOREIGN_MEMBERS: &[&str] = &[
    "Topics",
    "Queues",
    "SourceAccessConfigurations",
    "SelfManagedEventSource",
    "AmazonManagedKafkaEventSourceConfig",
    "SelfManagedKafkaEventSourceConfig",
    "DocumentDBEventSourceConfig",
    "KMSKeyArn",
    "MetricsConfig",
    "ProvisionedPollerConfig",
];

/// The settings a Create or Update names; `None` where it names nothing.
#[derive(Clone, Debug, Default, PartialEq)]
struct Settings {
    enabled: Option<bool>,
    batch_size: Option<u64>,
    window_s: Option<u64>,
    parallelization: Option<u64>,
    max_record_age_s: Option<i64>,
    bisect: Option<bool>,
    max_retries: Option<i64>,
    tumbling_window_s: Option<u64>,
    response_types: Option<Vec<String>>,
    /// `Some(None)`: the destination is removed.
    on_failure: Option<Option<String>>,
    filters: Option<Vec<String>>,
    max_concurrency: Option<Option<u64>>,
}

fn range(r: &Map<String, Value>, member: &str, wire_name: &str, min: i64, max: i64) -> Result<Option<i64>, AwsError> {
    match integer(r, member)? {
        None => Ok(None),
        Some(v) if v < min => Err(api::validation(
            &v.to_string(),
            wire_name,
            &format!("Member must have value greater than or equal to {min}"),
        )),
        Some(v) if v > max => Err(api::validation(
            &v.to_string(),
            wire_name,
            &format!("Member must have value less than or equal to {max}"),
        )),
        Some(v) => Ok(Some(v)),
    }
}

impl Settings {
    /// The members Create and Update share, read and checked against the model's limits.
    fn read(r: &Map<String, Value>) -> Result<Settings, AwsError> {
        for member in FOREIGN_MEMBERS {
            if r.get(*member).is_some_and(|v| !v.is_null()) {
                return Err(invalid(format!(
                    "{member} is not supported in this simulator: it applies to Kafka, Amazon MQ and DocumentDB sources, or to settings it does not model."
                )));
            }
        }
        let response_types = match r.get("FunctionResponseTypes") {
            None | Some(Value::Null) => None,
            Some(v) => {
                let list = array(v, "FunctionResponseTypes")?;
                if list.len() > 1 {
                    return Err(api::validation(
                        &v.to_string(),
                        "functionResponseTypes",
                        "Member must have length less than or equal to 1",
                    ));
                }
                let mut out = Vec::new();
                for item in list {
                    match item.as_str() {
                        Some("ReportBatchItemFailures") => out.push("ReportBatchItemFailures".to_string()),
                        _ => {
                            return Err(api::validation(
                                &v.to_string(),
                                "functionResponseTypes",
                                "Member must satisfy enum value set: [ReportBatchItemFailures]",
                            ))
                        }
                    }
                }
                Some(out)
            }
        };
        let on_failure = match map(r, "DestinationConfig")? {
            None => None,
            Some(d) => {
                let d = object_with(&Value::Object(d.clone()), &["OnSuccess", "OnFailure"])?.clone();
                if map(&d, "OnSuccess")?.is_some_and(|s| s.get("Destination").is_some_and(|v| !v.is_null())) {
                    return Err(invalid(
                        "Unsupported DestinationConfig parameter for given event source mapping type.",
                    ));
                }
                match map(&d, "OnFailure")? {
                    None => Some(None),
                    Some(f) => {
                        let f = Value::Object(f.clone());
                        let f = object_with(&f, &["Destination"])?;
                        Some(string(f, "Destination")?.map(str::to_string))
                    }
                }
            }
        };
        let filters = match map(r, "FilterCriteria")? {
            None => None,
            Some(criteria) => {
                let criteria = object_with(&Value::Object(criteria.clone()), &["Filters"])?.clone();
                let mut out = Vec::new();
                if let Some(list) = criteria.get("Filters").filter(|v| !v.is_null()) {
                    for (i, filter) in array(list, "FilterCriteria.Filters")?.iter().enumerate() {
                        let f = filter.as_object().ok_or_else(|| {
                            wire::invalid_type(&format!("FilterCriteria.Filters[{i}]"), filter, "object")
                        })?;
                        let f = Value::Object(f.clone());
                        let f = object_with(&f, &["Pattern"])?;
                        let pattern = string(f, "Pattern")?.unwrap_or_default();
                        if pattern.len() > 4096 {
                            return Err(api::validation(
                                pattern,
                                &format!("filterCriteria.filters.{}.member.pattern", i + 1),
                                "Member must have length less than or equal to 4096",
                            ));
                        }
                        // AWS says only this; the parser's located error is for the console.
                        crate::pattern::Pattern::parse(pattern)
                            .map_err(|_| invalid("Invalid filter pattern definition."))?;
                        out.push(pattern.to_string());
                    }
                }
                if out.len() > MAX_FILTERS {
                    return Err(invalid(format!(
                        "The number of filters exceeds the limit of {MAX_FILTERS} filters per event source mapping."
                    )));
                }
                Some(out)
            }
        };
        let max_concurrency = match map(r, "ScalingConfig")? {
            None => None,
            Some(s) => {
                let s = Value::Object(s.clone());
                let s = object_with(&s, &["MaximumConcurrency"])?;
                Some(range(s, "MaximumConcurrency", "scalingConfig.maximumConcurrency", 2, 1000)?.map(|n| n as u64))
            }
        };
        Ok(Settings {
            enabled: boolean(r, "Enabled")?,
            batch_size: range(r, "BatchSize", "batchSize", 1, 10_000)?.map(|n| n as u64),
            window_s: range(r, "MaximumBatchingWindowInSeconds", "maximumBatchingWindowInSeconds", 0, 300)?
                .map(|n| n as u64),
            parallelization: range(r, "ParallelizationFactor", "parallelizationFactor", 1, 10)?.map(|n| n as u64),
            max_record_age_s: range(r, "MaximumRecordAgeInSeconds", "maximumRecordAgeInSeconds", -1, 604_800)?,
            bisect: boolean(r, "BisectBatchOnFunctionError")?,
            max_retries: range(r, "MaximumRetryAttempts", "maximumRetryAttempts", -1, 10_000)?,
            tumbling_window_s: range(r, "TumblingWindowInSeconds", "tumblingWindowInSeconds", 0, 900)?
                .map(|n| n as u64),
            response_types,
            on_failure,
            filters,
            max_concurrency,
        })
    }

    /// The settings that make no sense for `source`, refused as Lambda refuses them.
    fn check_for(&self, source: Source, fifo: bool) -> Result<(), AwsError> {
        if source == Source::Sqs {
            let stream_only = [
                ("MaximumRecordAgeInSeconds", self.max_record_age_s.is_some()),
                ("BisectBatchOnFunctionError", self.bisect.is_some()),
                ("MaximumRetryAttempts", self.max_retries.is_some()),
                ("ParallelizationFactor", self.parallelization.is_some()),
                ("TumblingWindowInSeconds", self.tumbling_window_s.is_some()),
            ];
            if let Some((member, _)) = stream_only.iter().find(|(_, given)| *given) {
                return Err(invalid(format!("Unsupported {member} parameter for given event source mapping type.")));
            }
            if self.on_failure.as_ref().is_some_and(Option::is_some) {
                return Err(invalid("Unsupported DestinationConfig parameter for given event source mapping type."));
            }
            let max = if fifo { 10 } else { 10_000 };
            if let Some(size) = self.batch_size.filter(|n| *n > max) {
                return Err(invalid(format!("Maximum batch size must be within 1-{max} (given {size}).")));
            }
        } else if self.max_concurrency.is_some_and(|c| c.is_some()) {
            return Err(invalid("Unsupported ScalingConfig parameter for given event source mapping type."));
        }
        if self.tumbling_window_s.is_some_and(|w| w > 0) {
            return Err(invalid(
                "TumblingWindowInSeconds above 0 is not supported in this simulator: tumbling-window aggregation is not modelled (docs/differences.md).",
            ));
        }
        if let Some(age) = self.max_record_age_s {
            if age != -1 && age < 60 {
                return Err(invalid(format!(
                    "Invalid MaximumRecordAgeInSeconds {age}: it must be -1 (no limit) or between 60 and 604800."
                )));
            }
        }
        if let Some(Some(arn)) = &self.on_failure {
            let service = arn.split(':').nth(2).unwrap_or("");
            if !arn.starts_with("arn:aws:") || !["sqs", "sns"].contains(&service) || arn.split(':').count() < 6 {
                return Err(invalid(format!(
                    "The provided destination config DestinationConfig(OnFailure=OnFailure(Destination={arn})) is invalid."
                )));
            }
            if service == "sqs" && arn.ends_with(".fifo") {
                return Err(invalid("FIFO SQS queues are not supported as an on-failure destination."));
            }
        }
        Ok(())
    }

    /// Lays these settings over `m`.
    fn apply(self, m: &mut Mapping) {
        if let Some(v) = self.batch_size {
            m.batch_size = v;
        }
        if let Some(v) = self.window_s {
            m.window_s = v;
        }
        if let Some(v) = self.parallelization {
            m.parallelization = v;
        }
        if let Some(v) = self.max_record_age_s {
            m.max_record_age_s = v;
        }
        if let Some(v) = self.bisect {
            m.bisect = v;
        }
        if let Some(v) = self.max_retries {
            m.max_retries = v;
        }
        if let Some(v) = self.tumbling_window_s {
            m.tumbling_window_s = v;
        }
        if let Some(v) = self.response_types {
            m.response_types = v;
        }
        if let Some(v) = self.on_failure {
            m.on_failure = v;
        }
        if let Some(v) = self.filters {
            m.filters = v;
        }
        if let Some(v) = self.max_concurrency {
            m.max_concurrency = v;
        }
    }
}

/// A mapping's batching window must be at least a second for a queue batch above 10.
fn check_window(m: &Mapping) -> Result<(), AwsError> {
    if m.source == Source::Sqs && m.batch_size > 10 && m.window_s < 1 {
        return Err(invalid(
            "Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10",
        ));
    }
    Ok(())
}

/// A CreateEventSourceMapping read and checked, waiting for the world's answers about its
/// source and role.
pub(crate) struct Create {
    mapping: Mapping,
    role: String,
    stage: CreateStage,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum CreateStage {
    /// Waiting for the source's description and the role's simulated permissions.
    Checks,
    /// Waiting for LATEST iterators of these shards, in this order.
    Latest(Vec<String>),
}

/// The queue URL of a queue ARN.
pub(crate) fn queue_url(arn: &str) -> String {
    let parts: Vec<&str> = arn.split(':').collect();
    match parts.as_slice() {
        [_, _, _, region, account, name] => format!("https://sqs.{region}.amazonaws.com/{account}/{name}"),
        _ => arn.to_string(),
    }
}

fn lambda_principal() -> Principal {
    Principal::service(super::asynchronous::LAMBDA)
}

/// The call that describes a source (made as Lambda itself: it only shows whether it exists).
fn describe_call(source: Source, arn: &str) -> Call {
    let (service, action, request) = match source {
        Source::DynamoDb => ("dynamodbstreams", "DescribeStream", json!({ "StreamArn": arn })),
        Source::Kinesis => ("kinesis", "DescribeStream", json!({ "StreamARN": arn })),
        Source::Sqs => (
            "sqs",
            "GetQueueAttributes",
            json!({ "QueueUrl": queue_url(arn), "AttributeNames": ["QueueArn", "FifoQueue"] }),
        ),
    };
    Call::new(lambda_principal(), service, action, request)
}

fn not_found_mapping() -> AwsError {
    error("ResourceNotFoundException", 404, "The resource you requested does not exist.")
}

/// The message Lambda gives when the role cannot read the source.
fn cannot_read(source: Source, arn: &str) -> AwsError {
    invalid(match source {
        Source::DynamoDb | Source::Kinesis => format!(
            "Cannot access stream {arn}. Please ensure the role can perform the GetRecords, GetShardIterator, DescribeStream, and ListStreams Actions on your stream in IAM."
        ),
        Source::Sqs => "The provided execution role does not have permissions to call ReceiveMessage on SQS".to_string(),
    })
}

fn missing_source(source: Source, arn: &str) -> AwsError {
    invalid(match source {
        Source::DynamoDb => format!("Stream not found: {arn}"),
        Source::Kinesis => format!("Stream not found: {arn}"),
        Source::Sqs => "Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: The specified queue does not exist.".to_string(),
    })
}

/// The operations, by name.
pub(super) fn call(lambda: &mut Lambda, ctx: &mut LambdaCtx, action: &str, request: &Value) -> Outcome {
    let result = match action {
        "CreateEventSourceMapping" => return create(lambda, ctx, request),
        "UpdateEventSourceMapping" => update(lambda, ctx, request),
        "DeleteEventSourceMapping" => delete(lambda, ctx, request),
        _ => read(lambda, View { now_ms: ctx.now_ms, account: ctx.account }, action, request),
    };
    Outcome::Done(result)
}

fn create(lambda: &mut Lambda, ctx: &mut LambdaCtx, request: &Value) -> Outcome {
    match parse_create(lambda, ctx, request) {
        Ok(create) => {
            let calls = vec![
                describe_call(create.mapping.source, &create.mapping.source_arn),
                Call::new(
                    lambda_principal(),
                    "iam",
                    "SimulatePrincipalPolicy",
                    json!({
                        "PolicySourceArn": create.role,
                        "ActionNames": create.mapping.source.needs(),
                        "ResourceArns": [create.mapping.source_arn],
                    }),
                ),
            ];
            Outcome::Await { calls, token: wait(lambda, Waiting::CreateMapping(Box::new(create))) }
        }
        Err(e) => Outcome::Done(Err(e)),
    }
}

fn wait(lambda: &mut Lambda, waiting: Waiting) -> u64 {
    let token = lambda.warm.next_token;
    lambda.warm.next_token += 1;
    lambda.warm.waiting.insert(token, waiting);
    token
}

fn parse_create(lambda: &Lambda, ctx: &mut LambdaCtx, request: &Value) -> Result<Create, AwsError> {
    let r = object_with(request, CREATE_MEMBERS)?;
    let reference = FunctionRef::parse(required(r, "FunctionName")?, "functionName")?;
    let settings = Settings::read(r)?;
    let source_arn = string(r, "EventSourceArn")?.ok_or_else(|| invalid("Unrecognized event source."))?.to_string();
    let source = Source::of(&source_arn).ok_or_else(|| invalid("Unrecognized event source."))?;
    settings.check_for(source, source_arn.ends_with(".fifo"))?;
    let (region, account) = (ctx.account.region.clone(), ctx.account.id.clone());
    let f = api::find(lambda, &region, &account, &reference).map_err(|_| invalid("Function does not exist"))?;
    let role = f.role.clone();
    let function_arn = match &reference.qualifier {
        Some(q) => format!("{}:{q}", api::function_arn(&region, &account, &reference.name)),
        None => api::function_arn(&region, &account, &reference.name),
    };
    let position = string(r, "StartingPosition")?.map(str::to_string);
    let timestamp = match r.get("StartingPositionTimestamp") {
        None | Some(Value::Null) => None,
        Some(v) => Some(v.as_f64().ok_or_else(|| wire::invalid_type("StartingPositionTimestamp", v, "timestamp"))?),
    };
    match (source, position.as_deref()) {
        (Source::Sqs, Some(_)) => {
            return Err(invalid("StartingPosition is not valid for SQS event sources."));
        }
        (Source::Sqs, None) => {}
        (_, None) => {
            return Err(invalid(
                "1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null.",
            ))
        }
        (_, Some("TRIM_HORIZON" | "LATEST")) => {}
        (Source::Kinesis, Some("AT_TIMESTAMP")) => {
            if timestamp.is_none() {
                return Err(invalid("StartingPositionTimestamp must be provided when StartingPosition is AT_TIMESTAMP."));
            }
        }
        (_, Some("AT_TIMESTAMP")) => {
            return Err(invalid(format!("Unsupported starting position for arn type: {source_arn}")));
        }
        (_, Some(other)) => {
            return Err(api::validation(
                other,
                "startingPosition",
                "Member must satisfy enum value set: [LATEST, AT_TIMESTAMP, TRIM_HORIZON]",
            ))
        }
    }
    if timestamp.is_some() && position.as_deref() != Some("AT_TIMESTAMP") {
        return Err(invalid("StartingPositionTimestamp is only valid when StartingPosition is AT_TIMESTAMP."));
    }
    if let Some(existing) = lambda
        .mappings
        .values()
        .find(|m| m.source_arn == source_arn && m.function == reference.name && m.qualifier == reference.qualifier)
    {
        let message = if source == Source::Sqs {
            format!(
                "An event source mapping with SQS arn (\" {source_arn} \") and function (\" {} \") already exists. Please update or delete the existing mapping with UUID {}",
                reference.name, existing.uuid
            )
        } else {
            format!(
                "The event source arn (\" {source_arn} \") and function (\" {} \") provided mapping already exists. Please update or delete the existing mapping with UUID {}",
                reference.name, existing.uuid
            )
        };
        return Err(error("ResourceConflictException", 409, message));
    }
    let tags = match map(r, "Tags")? {
        None => BTreeMap::new(),
        Some(t) => t
            .iter()
            .map(|(k, v)| {
                v.as_str()
                    .map(|v| (k.clone(), v.to_string()))
                    .ok_or_else(|| wire::invalid_type(&format!("Tags.{k}"), v, "string"))
            })
            .collect::<Result<_, _>>()?,
    };
    let stream = source.is_stream();
    let mut mapping = Mapping {
        uuid: ctx.ids.uuid(),
        source_arn,
        source,
        function: reference.name.clone(),
        qualifier: reference.qualifier.clone(),
        function_arn,
        batch_size: if stream { 100 } else { 10 },
        window_s: 0,
        starting_position: position,
        starting_timestamp_s: timestamp,
        parallelization: 1,
        max_record_age_s: -1,
        bisect: false,
        max_retries: -1,
        tumbling_window_s: 0,
        response_types: Vec::new(),
        on_failure: None,
        filters: Vec::new(),
        max_concurrency: None,
        enabled: settings.enabled.unwrap_or(true),
        // A mapping created disabled is Disabled at once, as on AWS.
        state: if settings.enabled == Some(false) { "Disabled" } else { "Creating" }.into(),
        state_reason: if stream { "User action" } else { "USER_INITIATED" }.into(),
        last_result: "No records processed".into(),
        last_modified_ms: ctx.now_ms,
        generation: 0,
        tags,
        shards: BTreeMap::new(),
        wakes: Default::default(),
        retention_h: 24,
        cause: None,
    };
    settings.apply(&mut mapping);
    check_window(&mapping)?;
    Ok(Create { mapping, role, stage: CreateStage::Checks })
}

/// CreateEventSourceMapping goes on with the world's answers.
pub(crate) fn resume_create(
    lambda: &mut Lambda,
    ctx: &mut LambdaCtx,
    mut create: Box<Create>,
    results: Vec<Result<Value, AwsError>>,
) -> Outcome {
    let source = create.mapping.source;
    let arn = create.mapping.source_arn.clone();
    match std::mem::replace(&mut create.stage, CreateStage::Checks) {
        CreateStage::Checks => {
            let mut results = results.into_iter();
            let described = results.next().unwrap_or_else(|| Err(AwsError::client("ResourceNotFoundException", "")));
            let simulated = results.next().unwrap_or_else(|| Err(AwsError::client("NoSuchEntity", "")));
            let Ok(described) = described else { return Outcome::Done(Err(missing_source(source, &arn))) };
            let allowed = simulated.as_ref().is_ok_and(|answer| {
                answer["EvaluationResults"]
                    .as_array()
                    .is_some_and(|all| !all.is_empty() && all.iter().all(|r| r["EvalDecision"] == "allowed"))
            });
            if !allowed {
                return Outcome::Done(Err(cannot_read(source, &arn)));
            }
            if source == Source::Sqs {
                let fifo = described["Attributes"]["FifoQueue"] == "true";
                if fifo && create.mapping.batch_size > 10 {
                    return Outcome::Done(Err(invalid(format!(
                        "Maximum batch size must be within 1-10 (given {}).",
                        create.mapping.batch_size
                    ))));
                }
                return Outcome::Done(Ok(commit(lambda, ctx, create.mapping)));
            }
            if let Some(hours) = described["StreamDescription"]["RetentionPeriodHours"].as_u64() {
                create.mapping.retention_h = hours;
            }
            let shards = poll::shard_ids(&described);
            if create.mapping.starting_position.as_deref() != Some("LATEST") || shards.is_empty() {
                return Outcome::Done(Ok(commit(lambda, ctx, create.mapping)));
            }
            // LATEST means what comes after now: the poller takes its iterators now, as the role.
            let role = Principal::Role { arn: create.role.clone(), session: create.mapping.function.clone() };
            let calls = shards
                .iter()
                .map(|shard| poll::iterator_call(&create.mapping, role.clone(), shard, "LATEST", None, None))
                .collect();
            create.stage = CreateStage::Latest(shards);
            Outcome::Await { calls, token: wait(lambda, Waiting::CreateMapping(create)) }
        }
        CreateStage::Latest(shards) => {
            for (shard, result) in shards.into_iter().zip(results) {
                let iterator = result.ok().and_then(|a| a["ShardIterator"].as_str().map(str::to_string));
                let cursor = Cursor {
                    iterator: iterator.map(|i| (i, ctx.now_ms)),
                    since_ms: Some(ctx.now_ms),
                    ..Cursor::default()
                };
                create.mapping.shards.insert(shard, cursor);
            }
            Outcome::Done(Ok(commit(lambda, ctx, create.mapping)))
        }
    }
}

fn commit(lambda: &mut Lambda, ctx: &mut LambdaCtx, mapping: Mapping) -> Value {
    let out = shown(&mapping, &ctx.account.region, &ctx.account.id);
    if mapping.state == "Creating" {
        ctx.schedule(
            ctx.now_ms + SETTLE_MS,
            Job::Mapping { uuid: mapping.uuid.clone(), generation: mapping.generation },
        );
    }
    lambda.mappings.insert(mapping.uuid.clone(), mapping);
    out
}

/// The mapping a request's UUID names.
fn named<'a>(lambda: &'a Lambda, r: &Map<String, Value>) -> Result<&'a Mapping, AwsError> {
    let uuid = required(r, "UUID")?;
    lambda.mappings.get(uuid).ok_or_else(not_found_mapping)
}

fn in_use(doing: &str) -> AwsError {
    error("ResourceInUseException", 400, format!("Cannot {doing} the event source mapping because it is in use."))
}

fn update(lambda: &mut Lambda, ctx: &mut LambdaCtx, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(
        request,
        &[
            "UUID",
            "FunctionName",
            "Enabled",
            "BatchSize",
            "FilterCriteria",
            "MaximumBatchingWindowInSeconds",
            "DestinationConfig",
            "MaximumRecordAgeInSeconds",
            "BisectBatchOnFunctionError",
            "MaximumRetryAttempts",
            "ParallelizationFactor",
            "SourceAccessConfigurations",
            "TumblingWindowInSeconds",
            "FunctionResponseTypes",
            "ScalingConfig",
            "DocumentDBEventSourceConfig",
            "KMSKeyArn",
            "MetricsConfig",
            "ProvisionedPollerConfig",
        ],
    )?;
    let settings = Settings::read(r)?;
    let current = named(lambda, r)?.clone();
    settings.check_for(current.source, current.source_arn.ends_with(".fifo"))?;
    if !current.settled() {
        return Err(in_use("update"));
    }
    let (region, account) = (ctx.account.region.clone(), ctx.account.id.clone());
    let mut m = current.clone();
    if let Some(name) = string(r, "FunctionName")? {
        let reference = FunctionRef::parse(name, "functionName")?;
        api::find(lambda, &region, &account, &reference)?;
        m.function_arn = match &reference.qualifier {
            Some(q) => format!("{}:{q}", api::function_arn(&region, &account, &reference.name)),
            None => api::function_arn(&region, &account, &reference.name),
        };
        m.function = reference.name;
        m.qualifier = reference.qualifier;
        if let Some(other) = lambda.mappings.values().find(|o| {
            o.uuid != m.uuid && o.source_arn == m.source_arn && o.function == m.function && o.qualifier == m.qualifier
        }) {
            return Err(error(
                "ResourceConflictException",
                409,
                format!(
                    "The event source arn (\" {} \") and function (\" {} \") provided mapping already exists. Please update or delete the existing mapping with UUID {}",
                    m.source_arn, m.function, other.uuid
                ),
            ));
        }
    }
    let enabled = settings.enabled;
    settings.apply(&mut m);
    check_window(&m)?;
    m.state = match enabled {
        Some(true) if !current.enabled => "Enabling",
        Some(false) if current.enabled => "Disabling",
        _ => "Updating",
    }
    .to_string();
    if let Some(e) = enabled {
        m.enabled = e;
    }
    m.state_reason = m.transition_reason().into();
    m.last_modified_ms = ctx.now_ms;
    m.generation += 1;
    ctx.schedule(ctx.now_ms + SETTLE_MS, Job::Mapping { uuid: m.uuid.clone(), generation: m.generation });
    let out = shown(&m, &region, &account);
    lambda.mappings.insert(m.uuid.clone(), m);
    Ok(out)
}

fn delete(lambda: &mut Lambda, ctx: &mut LambdaCtx, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(request, &["UUID"])?;
    let current = named(lambda, r)?;
    if !current.settled() {
        return Err(in_use("delete"));
    }
    let (region, account) = (ctx.account.region.clone(), ctx.account.id.clone());
    let m = lambda.mappings.get_mut(required(r, "UUID")?).ok_or_else(not_found_mapping)?;
    m.state = "Deleting".into();
    m.state_reason = m.transition_reason().into();
    m.generation += 1;
    ctx.schedule(ctx.now_ms + SETTLE_MS, Job::Mapping { uuid: m.uuid.clone(), generation: m.generation });
    Ok(shown(m, &region, &account))
}

/// A state change falls due: the mapping settles (and starts polling when enabled), or is gone.
pub(super) fn settle(lambda: &mut Lambda, ctx: &mut LambdaCtx, uuid: &str, generation: u64) {
    let Some(m) = lambda.mappings.get_mut(uuid).filter(|m| m.generation == generation) else { return };
    if m.state == "Deleting" {
        lambda.mappings.remove(uuid);
        return;
    }
    m.state = if m.enabled { "Enabled" } else { "Disabled" }.into();
    if m.enabled {
        poll::wake(m, ctx, ctx.now_ms);
    }
}

/// Get and List.
pub(super) fn read(lambda: &Lambda, view: View, action: &str, request: &Value) -> Result<Value, AwsError> {
    let (region, account) = (view.account.region.as_str(), view.account.id.as_str());
    match action {
        "GetEventSourceMapping" => {
            let r = object_with(request, &["UUID"])?;
            Ok(shown(named(lambda, r)?, region, account))
        }
        _ => {
            let r = object_with(request, &["EventSourceArn", "FunctionName", "Marker", "MaxItems"])?;
            let source = string(r, "EventSourceArn")?;
            let function = match string(r, "FunctionName")? {
                Some(name) => Some(FunctionRef::parse(name, "functionName")?),
                None => None,
            };
            // At most 100 to a page, whatever MaxItems asks.
            let max = api::bounded(r, "MaxItems", "maxItems", 1, 10_000)?.unwrap_or(100).min(100) as usize;
            let after = string(r, "Marker")?;
            let mut all: Vec<&Mapping> = lambda
                .mappings
                .values()
                .filter(|m| source.is_none_or(|s| m.source_arn == s))
                .filter(|m| {
                    function
                        .as_ref()
                        .is_none_or(|f| m.function == f.name && (f.qualifier.is_none() || f.qualifier == m.qualifier))
                })
                .collect();
            all.sort_by_key(|m| (m.last_modified_ms, m.uuid.clone()));
            let start = match after {
                Some(marker) => {
                    let uuid = wire::read_page_token(marker).ok_or_else(|| invalid("Invalid marker."))?;
                    all.iter().position(|m| m.uuid == uuid).map(|i| i + 1).unwrap_or(all.len())
                }
                None => 0,
            };
            let page: Vec<Value> = all.iter().skip(start).take(max).map(|m| shown(m, region, account)).collect();
            let mut out = json!({ "EventSourceMappings": page });
            if start + max < all.len() {
                out["NextMarker"] = json!(wire::page_token(&all[start + max - 1].uuid));
            }
            Ok(out)
        }
    }
}

/// A mapping as Lambda answers it: the members its kind of source has.
pub fn shown(m: &Mapping, region: &str, account: &str) -> Value {
    let mut out = json!({
        "UUID": m.uuid,
        "BatchSize": m.batch_size,
        "MaximumBatchingWindowInSeconds": m.window_s,
        "EventSourceArn": m.source_arn,
        "FunctionArn": m.function_arn,
        "LastModified": m.last_modified_ms as f64 / 1000.0,
        "State": m.state,
        "StateTransitionReason": m.state_reason,
        "FunctionResponseTypes": m.response_types,
        "EventSourceMappingArn": m.arn(region, account),
    });
    if m.source.is_stream() {
        out["StartingPosition"] = json!(m.starting_position);
        if let Some(t) = m.starting_timestamp_s {
            out["StartingPositionTimestamp"] = json!(t);
        }
        out["ParallelizationFactor"] = json!(m.parallelization);
        out["LastProcessingResult"] = json!(m.last_result);
        out["DestinationConfig"] = match &m.on_failure {
            Some(arn) => json!({ "OnFailure": { "Destination": arn } }),
            None => json!({ "OnFailure": {} }),
        };
        out["MaximumRecordAgeInSeconds"] = json!(m.max_record_age_s);
        out["BisectBatchOnFunctionError"] = json!(m.bisect);
        out["MaximumRetryAttempts"] = json!(m.max_retries);
        out["TumblingWindowInSeconds"] = json!(m.tumbling_window_s);
    }
    if !m.filters.is_empty() {
        out["FilterCriteria"] =
            json!({ "Filters": m.filters.iter().map(|p| json!({ "Pattern": p })).collect::<Vec<_>>() });
    }
    if let Some(c) = m.max_concurrency {
        out["ScalingConfig"] = json!({ "MaximumConcurrency": c });
    }
    out
}
