//! The poller: one job per poll, which reads the source as the function's execution role,
//! invokes the function as `lambda.amazonaws.com` and settles each batch.
//!
//! Streams (DynamoDB, Kinesis): each shard is read in order, one batch at a time. A batch that
//! fails blocks its shard: it is tried again after 1, 2, 4... seconds (at most 60), until it
//! succeeds, its attempts pass MaximumRetryAttempts, or its oldest record passes
//! MaximumRecordAgeInSeconds (the stream's 24 hours when that is -1). Then the shard moves on;
//! the batch's positions (never its records) go to the on-failure destination. With
//! BisectBatchOnFunctionError a failed batch is split in two first (which uses no retry); with
//! ReportBatchItemFailures the records before the lowest failed one are done.
//!
//! Queues (SQS): a poll receives up to BatchSize messages, invokes the function, and deletes
//! what succeeded; what failed becomes visible again when its visibility timeout ends (SQS
//! tells the world when, and the mapping polls then), and the queue's redrive policy moves it
//! to a dead-letter queue after maxReceiveCount receives. Messages the filters drop are deleted.

use super::{queue_url, Batch, Cursor, Mapping, Source};
use crate::clock::{iso8601, Millis};
use crate::effect::{Call, Effect, Principal};
use crate::error::AwsError;
use crate::lambda::asynchronous::LAMBDA;
use crate::lambda::invoke::Waiting;
use crate::lambda::{Job, Lambda};
use crate::pattern::Pattern;
use crate::service::Ctx;
use crate::wire::decode_base64;
use serde_json::{json, Value};

type LambdaCtx<'a> = Ctx<'a, Job>;

/// The longest wait between two attempts of a failing stream batch.
const MAX_BACKOFF_MS: Millis = 60_000;

/// How long after a failed read (the source gone, a permission lost) the poller tries again.
const PROBLEM_RETRY_MS: Millis = 60_000;

/// How long a DynamoDB Streams iterator stays valid, and a Kinesis one.
fn iterator_life_ms(source: Source) -> Millis {
    match source {
        Source::DynamoDb => 15 * 60 * 1000,
        _ => 5 * 60 * 1000,
    }
}

/// A poll in progress, waiting for a call's answer.
#[derive(Clone)]
pub(crate) struct Poll {
    uuid: String,
    stage: Stage,
    /// Stream shards still to visit in this poll.
    todo: Vec<String>,
    /// Whether a source had more than one batch to give: poll again at once.
    more: bool,
    /// Whether the queue gave a whole batch.
    full: bool,
    /// Whether a read failed (poll again later).
    failed: bool,
}

#[derive(Clone)]
enum Stage {
    /// The stream's description (its shards).
    Shards,
    /// A shard iterator for `shard`.
    Iterator(String),
    /// GetRecords on `shard`.
    Records(String),
    /// The function's answer to the first pending batch of `shard`.
    Invoked(String),
    /// Receives from the queue so far.
    Receive(Vec<Value>),
    /// The function's answer to these messages.
    Delivered(Vec<Value>),
}

/// Asks for a poll of `m` at `at_ms` (once per instant). Whether the mapping polls then is
/// decided then: one disabled now may be enabled by that time.
pub(crate) fn wake(m: &mut Mapping, ctx: &mut LambdaCtx, at_ms: Millis) {
    if m.wakes.insert(at_ms) {
        ctx.schedule(at_ms, Job::Poll { uuid: m.uuid.clone(), due: at_ms });
    }
}

/// Something new can be read at `source` from `at_ms`: every mapping on it wakes then.
pub(crate) fn source_changed(lambda: &mut Lambda, ctx: &mut LambdaCtx, source: &str, at_ms: Millis) {
    let cause = ctx.request_id.map(str::to_string);
    for m in lambda.mappings.values_mut().filter(|m| m.source_arn == source && m.state != "Deleting") {
        let due = at_ms.max(ctx.now_ms) + m.source.poll_delay_ms() + m.window_s * 1000;
        if m.cause.is_none() {
            m.cause.clone_from(&cause);
        }
        wake(m, ctx, due);
    }
}

fn token(lambda: &mut Lambda, poll: Poll) -> u64 {
    let token = lambda.warm.next_token;
    lambda.warm.next_token += 1;
    lambda.warm.waiting.insert(token, Waiting::Poll(Box::new(poll)));
    token
}

/// The function's execution role, as the poller reads and delivers with it.
fn role(lambda: &Lambda, m: &Mapping) -> Option<Principal> {
    lambda.functions.get(&m.function).map(|f| Principal::Role { arn: f.role.clone(), session: f.name.clone() })
}

fn caused(mut call: Call, m: &Mapping) -> Call {
    call.cause.clone_from(&m.cause);
    call
}

/// A poll falls due.
pub(crate) fn run(lambda: &mut Lambda, ctx: &mut LambdaCtx, uuid: &str, due: Millis) {
    let Some(m) = lambda.mappings.get_mut(uuid) else { return };
    if !m.wakes.contains(&due) {
        return; // an earlier poll at this instant answered it
    }
    // This poll answers every wake asked for up to now.
    m.wakes.retain(|&at| at > due);
    if !m.polling() {
        return;
    }
    let poll = Poll {
        uuid: uuid.to_string(),
        stage: Stage::Shards,
        todo: Vec::new(),
        more: false,
        full: false,
        failed: false,
    };
    let m = m.clone();
    if m.source == Source::Sqs {
        let poll = Poll { stage: Stage::Receive(Vec::new()), ..poll };
        return ask(lambda, ctx, &m, poll);
    }
    if m.source == Source::Kinesis || m.shards.is_empty() {
        // Kinesis shards split and merge: the poller looks at them every time.
        return ask(lambda, ctx, &m, poll);
    }
    let poll = Poll { todo: m.shards.keys().cloned().collect(), ..poll };
    next_shard(lambda, ctx, poll);
}

/// Makes the call `poll`'s stage waits for.
fn ask(lambda: &mut Lambda, ctx: &mut LambdaCtx, m: &Mapping, poll: Poll) {
    let Some(principal) = role(lambda, m) else {
        set_result(lambda, &m.uuid, "PROBLEM: Function not found");
        return try_later(lambda, ctx, &poll);
    };
    let call = match &poll.stage {
        Stage::Shards => match m.source {
            Source::DynamoDb => {
                Call::new(principal, "dynamodbstreams", "DescribeStream", json!({"StreamArn": m.source_arn}))
            }
            _ => Call::new(principal, "kinesis", "DescribeStream", json!({"StreamARN": m.source_arn})),
        },
        Stage::Iterator(shard) => {
            let cursor = m.shards.get(shard).cloned().unwrap_or_default();
            let (kind, sequence, at) = match (&cursor.read_to, cursor.since_ms) {
                (Some(seq), _) => ("AFTER_SEQUENCE_NUMBER", Some(seq.as_str()), None),
                // LATEST's iterator expired before anything came: from the instant it was taken
                // (a DynamoDB stream has no AT_TIMESTAMP: from its start, dropping what is older).
                (None, Some(since)) if m.source == Source::Kinesis => {
                    ("AT_TIMESTAMP", None, Some(since as f64 / 1000.0))
                }
                (None, Some(_)) => ("TRIM_HORIZON", None, None),
                (None, None) if cursor.from_start => ("TRIM_HORIZON", None, None),
                (None, None) => {
                    (m.starting_position.as_deref().unwrap_or("TRIM_HORIZON"), None, m.starting_timestamp_s)
                }
            };
            iterator_call(m, principal, shard, kind, sequence, at)
        }
        Stage::Records(shard) => {
            let iterator = m.shards.get(shard).and_then(|c| c.iterator.clone()).map(|(i, _)| i).unwrap_or_default();
            let most = if m.source == Source::DynamoDb { 1000 } else { 10_000 };
            let (service, request) = match m.source {
                Source::DynamoDb => {
                    ("dynamodbstreams", json!({"ShardIterator": iterator, "Limit": m.batch_size.min(most)}))
                }
                _ => ("kinesis", json!({"ShardIterator": iterator, "Limit": m.batch_size.min(most)})),
            };
            Call::new(principal, service, "GetRecords", request)
        }
        Stage::Invoked(shard) => {
            let records =
                m.shards.get(shard).and_then(|c| c.pending.first()).map(|b| b.records.clone()).unwrap_or_default();
            invoke_call(m, records)
        }
        Stage::Receive(got) => {
            let want = (m.batch_size as usize - got.len()).min(10);
            Call::new(
                principal,
                "sqs",
                "ReceiveMessage",
                json!({
                    "QueueUrl": queue_url(&m.source_arn),
                    "MaxNumberOfMessages": want,
                    "AttributeNames": ["All"],
                    "MessageAttributeNames": ["All"],
                }),
            )
        }
        Stage::Delivered(messages) => invoke_call(m, messages.clone()),
    };
    let call = caused(call, m);
    let token = token(lambda, poll);
    ctx.wait_for(vec![call], token);
}

/// GetShardIterator for `shard` of `m`'s stream.
pub(crate) fn iterator_call(
    m: &Mapping,
    principal: Principal,
    shard: &str,
    kind: &str,
    sequence: Option<&str>,
    at_s: Option<f64>,
) -> Call {
    match m.source {
        Source::DynamoDb => {
            let mut request = json!({"StreamArn": m.source_arn, "ShardId": shard, "ShardIteratorType": kind});
            if let Some(s) = sequence {
                request["SequenceNumber"] = json!(s);
            }
            Call::new(principal, "dynamodbstreams", "GetShardIterator", request)
        }
        _ => {
            let mut request = json!({"StreamARN": m.source_arn, "ShardId": shard, "ShardIteratorType": kind});
            if let Some(s) = sequence {
                request["StartingSequenceNumber"] = json!(s);
            }
            if kind == "AT_TIMESTAMP" {
                request["Timestamp"] = json!(at_s.unwrap_or(0.0));
            }
            Call::new(principal, "kinesis", "GetShardIterator", request)
        }
    }
}

/// The synchronous invocation of `m`'s function with `records`, made as Lambda itself.
fn invoke_call(m: &Mapping, records: Vec<Value>) -> Call {
    let payload = json!({ "Records": records }).to_string();
    Call::new(
        Principal::service(LAMBDA),
        "lambda",
        "Invoke",
        json!({"FunctionName": m.function_arn, "InvocationType": "RequestResponse", "Payload": payload}),
    )
}

/// The shards a DescribeStream answer lists, each with its parent, oldest first.
pub(crate) fn shard_ids(described: &Value) -> Vec<String> {
    shards(described).into_iter().map(|(id, _)| id).collect()
}

/// Each shard with its parents (two after a merge).
fn shards(described: &Value) -> Vec<(String, Vec<String>)> {
    described["StreamDescription"]["Shards"]
        .as_array()
        .map(|all| {
            all.iter()
                .filter_map(|s| {
                    let id = s["ShardId"].as_str()?.to_string();
                    let parents = ["ParentShardId", "AdjacentParentShardId"]
                        .iter()
                        .filter_map(|k| s[*k].as_str().map(str::to_string))
                        .collect();
                    Some((id, parents))
                })
                .collect()
        })
        .unwrap_or_default()
}

fn set_result(lambda: &mut Lambda, uuid: &str, result: &str) {
    if let Some(m) = lambda.mappings.get_mut(uuid) {
        if m.source.is_stream() {
            m.last_result = result.to_string();
        }
    }
}

/// A poll goes on with the answer to its call.
pub(crate) fn resume(
    lambda: &mut Lambda,
    ctx: &mut LambdaCtx,
    mut poll: Box<Poll>,
    results: Vec<Result<Value, AwsError>>,
) {
    let answer = results.into_iter().next().unwrap_or_else(|| Err(AwsError::server("ServiceException", "no answer")));
    let Some(m) = lambda.mappings.get(&poll.uuid).cloned() else { return };
    let stage = std::mem::replace(&mut poll.stage, Stage::Shards);
    match stage {
        Stage::Shards => match answer {
            Ok(described) => {
                let listed = shards(&described);
                let known = !m.shards.is_empty();
                let m = lambda.mappings.get_mut(&poll.uuid).expect("mapping exists");
                if let Some(hours) = described["StreamDescription"]["RetentionPeriodHours"].as_u64() {
                    m.retention_h = hours;
                }
                for (id, _) in &listed {
                    m.shards.entry(id.clone()).or_insert_with(|| Cursor { from_start: known, ..Cursor::default() });
                }
                // A shard no longer listed has aged out of the stream.
                m.shards.retain(|id, _| listed.iter().any(|(l, _)| l == id));
                let finished = |parents: &Vec<String>| {
                    parents.iter().all(|p| m.shards.get(p).is_none_or(|c| c.finished && c.pending.is_empty()))
                };
                // A child shard is read once its parents have been read to their end.
                poll.todo = listed.iter().filter(|(_, parents)| finished(parents)).map(|(id, _)| id.clone()).collect();
                next_shard(lambda, ctx, *poll);
            }
            Err(e) => {
                problem(lambda, &m, &e);
                try_later(lambda, ctx, &poll);
            }
        },
        Stage::Iterator(shard) => match answer {
            Ok(a) => {
                let iterator = a["ShardIterator"].as_str().unwrap_or_default().to_string();
                if let Some(c) = lambda.mappings.get_mut(&poll.uuid).and_then(|m| m.shards.get_mut(&shard)) {
                    c.iterator = Some((iterator, ctx.now_ms));
                }
                poll.stage = Stage::Records(shard);
                let m = lambda.mappings[&poll.uuid].clone();
                ask(lambda, ctx, &m, *poll);
            }
            Err(e) => {
                problem(lambda, &m, &e);
                poll.failed = true;
                next_shard(lambda, ctx, *poll);
            }
        },
        Stage::Records(shard) => {
            match answer {
                Ok(a) => read(lambda, ctx, &mut poll, &m, &shard, &a),
                Err(e) => {
                    if let Some(c) = lambda.mappings.get_mut(&poll.uuid).and_then(|m| m.shards.get_mut(&shard)) {
                        c.iterator = None;
                        if e.code == "TrimmedDataAccessException" {
                            // What it had not read has aged out: it goes on from the oldest left.
                            c.read_to = None;
                            c.since_ms = None;
                            c.from_start = true;
                            poll.more = true;
                        }
                    }
                    if e.code != "ExpiredIteratorException" && e.code != "TrimmedDataAccessException" {
                        poll.failed = true;
                    }
                    problem(lambda, &m, &e);
                }
            }
            let m = lambda.mappings[&poll.uuid].clone();
            if m.shards.get(&shard).is_some_and(|c| c.pending.first().is_some_and(|b| b.due_ms <= ctx.now_ms)) {
                poll.stage = Stage::Invoked(shard);
                return ask(lambda, ctx, &m, *poll);
            }
            next_shard(lambda, ctx, *poll);
        }
        Stage::Invoked(shard) => {
            settle_batch(lambda, ctx, &mut poll, &shard, &answer);
            next_shard(lambda, ctx, *poll);
        }
        Stage::Receive(mut got) => match answer {
            Ok(a) => {
                let messages = a["Messages"].as_array().cloned().unwrap_or_default();
                let asked = (m.batch_size as usize - got.len()).min(10);
                let full = messages.len() == asked;
                for msg in &messages {
                    // A message visible again at once (VisibilityTimeout 0) is not taken twice.
                    if !got.iter().any(|r| r["messageId"] == msg["MessageId"]) {
                        got.push(sqs_record(&m, ctx, msg));
                    }
                }
                if full && got.len() < m.batch_size as usize {
                    poll.stage = Stage::Receive(got);
                    return ask(lambda, ctx, &m, *poll);
                }
                poll.full = got.len() == m.batch_size as usize;
                let (keep, dropped) = filter(&m, got);
                delete(lambda, ctx, &m, &dropped);
                // Only what was consumed makes room for more at once; a failed batch waits for its
                // visibility timeout, or a queue that gives it straight back would be polled forever.
                poll.more = poll.full && !dropped.is_empty();
                if keep.is_empty() {
                    return finish(lambda, ctx, &poll);
                }
                poll.stage = Stage::Delivered(keep);
                ask(lambda, ctx, &m, *poll);
            }
            Err(e) => {
                problem(lambda, &m, &e);
                try_later(lambda, ctx, &poll);
            }
        },
        Stage::Delivered(messages) => {
            let failed = match verdict(&answer, &m) {
                Verdict::Success => Vec::new(),
                Verdict::Partial(ids) => ids,
                Verdict::Failed { .. } => {
                    messages.iter().filter_map(|r| r["messageId"].as_str().map(str::to_string)).collect()
                }
            };
            // An identifier that names no message of the batch fails the whole batch.
            let known = |id: &String| messages.iter().any(|r| r["messageId"].as_str() == Some(id.as_str()));
            let done: Vec<Value> = if failed.iter().all(known) {
                messages
                    .iter()
                    .filter(|r| !failed.iter().any(|f| r["messageId"].as_str() == Some(f.as_str())))
                    .cloned()
                    .collect()
            } else {
                Vec::new()
            };
            delete(lambda, ctx, &m, &done);
            poll.more |= poll.full && !done.is_empty();
            finish(lambda, ctx, &poll);
        }
    }
}

/// What went wrong reading the source shows as the mapping's LastProcessingResult.
fn problem(lambda: &mut Lambda, m: &Mapping, e: &AwsError) {
    set_result(lambda, &m.uuid, &format!("PROBLEM: {}", e.message));
}

/// GetRecords answered: the records become a pending batch (those the filters keep).
fn read(lambda: &mut Lambda, ctx: &mut LambdaCtx, poll: &mut Poll, m: &Mapping, shard: &str, answer: &Value) {
    let records = answer["Records"].as_array().cloned().unwrap_or_default();
    let role_arn = lambda.functions.get(&m.function).map(|f| f.role.clone()).unwrap_or_default();
    let full = records.len() as u64 >= m.batch_size.min(if m.source == Source::DynamoDb { 1000 } else { 10_000 })
        || answer["MillisBehindLatest"].as_u64().is_some_and(|n| n > 0);
    let events: Vec<Value> = records.iter().map(|r| stream_record(m, ctx, shard, &role_arn, r)).collect();
    let Some(c) = lambda.mappings.get_mut(&poll.uuid).and_then(|m| m.shards.get_mut(shard)) else { return };
    match answer["NextShardIterator"].as_str() {
        Some(next) => c.iterator = Some((next.to_string(), ctx.now_ms)),
        None => {
            c.iterator = None;
            c.finished = true;
        }
    }
    if let Some(last) = events.last() {
        c.read_to = sequence_of(m.source, last).map(str::to_string);
    }
    // Read again from the start after LATEST's iterator expired: what is older than LATEST's
    // instant is not the mapping's (DynamoDB's times are whole seconds, so that second's are).
    let since = c.since_ms.take_if(|_| !events.is_empty()).filter(|_| m.source == Source::DynamoDb);
    let events: Vec<Value> = match since {
        Some(since) => events.into_iter().filter(|r| arrival_ms(m.source, r) >= since - since % 1000).collect(),
        None => events,
    };
    let (keep, _) = filter(m, events);
    if !keep.is_empty() {
        c.pending.push(Batch { records: keep, attempts: 0, tries: 0, due_ms: ctx.now_ms });
    }
    if full || c.finished {
        poll.more = true;
    }
}

/// Visits the next shard of the poll that has something to do, or ends the poll.
fn next_shard(lambda: &mut Lambda, ctx: &mut LambdaCtx, mut poll: Poll) {
    while !poll.todo.is_empty() {
        let shard = poll.todo.remove(0);
        let Some(m) = lambda.mappings.get(&poll.uuid).cloned() else { return };
        let Some(c) = m.shards.get(&shard) else { continue };
        if c.pending.first().is_some_and(|b| b.due_ms <= ctx.now_ms) && expire(lambda, ctx, &m, &shard) {
            // Records past their age went to the on-failure destination without an invocation.
            poll.todo.insert(0, shard);
            continue;
        }
        if let Some(batch) = c.pending.first() {
            if batch.due_ms <= ctx.now_ms {
                poll.stage = Stage::Invoked(shard);
                return ask(lambda, ctx, &m, poll);
            }
            continue; // blocked until its retry
        }
        if c.finished {
            continue;
        }
        let fresh = c.iterator.as_ref().is_some_and(|(_, at)| ctx.now_ms + 1000 < at + iterator_life_ms(m.source));
        poll.stage = if fresh { Stage::Records(shard) } else { Stage::Iterator(shard) };
        return ask(lambda, ctx, &m, poll);
    }
    finish(lambda, ctx, &poll);
}

/// A read failed: the poll ends, and another is tried a minute later (the permission may be
/// given back, the function made again).
fn try_later(lambda: &mut Lambda, ctx: &mut LambdaCtx, poll: &Poll) {
    finish(lambda, ctx, &Poll { failed: false, ..poll.clone() });
    if let Some(m) = lambda.mappings.get_mut(&poll.uuid) {
        wake(m, ctx, ctx.now_ms + PROBLEM_RETRY_MS);
    }
}

/// The poll is over: the next one is due at once if a source had more, else when the first
/// blocked batch may be tried again (or a minute later, when a read failed).
fn finish(lambda: &mut Lambda, ctx: &mut LambdaCtx, poll: &Poll) {
    if poll.failed {
        return try_later(lambda, ctx, poll);
    }
    let Some(m) = lambda.mappings.get_mut(&poll.uuid) else { return };
    let retry = m.shards.values().filter_map(|c| c.pending.first().map(|b| b.due_ms)).min();
    let due = if poll.more { Some(ctx.now_ms) } else { retry };
    if poll.more || retry.is_none() {
        m.cause = None;
    }
    if let Some(due) = due {
        wake(m, ctx, due.max(ctx.now_ms));
    }
}

/// The longest a record may wait for its function: MaximumRecordAgeInSeconds, or the stream's
/// retention when that is -1.
fn max_age_ms(m: &Mapping) -> Millis {
    if m.max_record_age_s < 0 {
        m.retention_h * 3600 * 1000
    } else {
        m.max_record_age_s as u64 * 1000
    }
}

/// Gives up the shard's first pending batch if its oldest record is past its age, as
/// RecordAgeExceeded; says whether it did.
fn expire(lambda: &mut Lambda, ctx: &mut LambdaCtx, m: &Mapping, shard: &str) -> bool {
    let Some(batch) = m.shards.get(shard).and_then(|c| c.pending.first()) else { return false };
    let oldest = batch.records.first().map(|r| arrival_ms(m.source, r)).unwrap_or(ctx.now_ms);
    if ctx.now_ms <= oldest + max_age_ms(m) {
        return false;
    }
    let role = role(lambda, m);
    give_up(ctx, m, role.as_ref(), shard, batch, "RecordAgeExceeded", None);
    if let Some(c) = lambda.mappings.get_mut(&m.uuid).and_then(|m| m.shards.get_mut(shard)) {
        c.pending.remove(0);
    }
    true
}

/// How an invocation ended.
enum Verdict {
    Success,
    /// ReportBatchItemFailures named these items.
    Partial(Vec<String>),
    /// The function failed (`status`, its version and error), or the invocation did not reach it
    /// (`counted` false: throttles and service errors use no retry).
    Failed {
        status: u16,
        version: Option<String>,
        error: Option<String>,
        counted: bool,
    },
}

fn verdict(answer: &Result<Value, AwsError>, m: &Mapping) -> Verdict {
    let response = match answer {
        Ok(r) => r,
        Err(e) => return Verdict::Failed { status: e.status, version: None, error: None, counted: false },
    };
    let version = response["ExecutedVersion"].as_str().map(str::to_string);
    if let Some(error) = response["FunctionError"].as_str() {
        return Verdict::Failed { status: 200, version, error: Some(error.to_string()), counted: true };
    }
    if !m.response_types.iter().any(|t| t == "ReportBatchItemFailures") {
        return Verdict::Success;
    }
    let payload: Value = response["Payload"].as_str().and_then(|p| serde_json::from_str(p).ok()).unwrap_or(Value::Null);
    let failures = match &payload {
        Value::Object(o) => match o.get("batchItemFailures") {
            None | Some(Value::Null) => return Verdict::Success,
            Some(Value::Array(list)) => list,
            Some(_) => return Verdict::Failed { status: 200, version, error: None, counted: true },
        },
        _ => return Verdict::Success,
    };
    let mut ids = Vec::new();
    for f in failures {
        match f.get("itemIdentifier").and_then(Value::as_str) {
            Some(id) if !id.is_empty() => ids.push(id.to_string()),
            _ => return Verdict::Failed { status: 200, version, error: None, counted: true },
        }
    }
    if ids.is_empty() {
        Verdict::Success
    } else {
        Verdict::Partial(ids)
    }
}

fn backoff_ms(attempts: u64) -> Millis {
    (1000u64 << attempts.saturating_sub(1).min(16)).min(MAX_BACKOFF_MS)
}

/// The function answered a stream batch: done, retried, split, or given up.
fn settle_batch(
    lambda: &mut Lambda,
    ctx: &mut LambdaCtx,
    poll: &mut Poll,
    shard: &str,
    answer: &Result<Value, AwsError>,
) {
    let Some(m) = lambda.mappings.get(&poll.uuid).cloned() else { return };
    let Some(mut batch) = m.shards.get(shard).and_then(|c| c.pending.first().cloned()) else { return };
    let role = role(lambda, &m);
    let verdict = verdict(answer, &m);
    batch.tries += 1;
    let now = ctx.now_ms;
    let mut replace: Vec<Batch> = Vec::new();
    let mut result = "OK".to_string();
    match verdict {
        Verdict::Success => {}
        Verdict::Partial(ids) => {
            let position =
                |id: &String| batch.records.iter().position(|r| sequence_of(m.source, r) == Some(id.as_str()));
            let from = ids.iter().map(position).collect::<Option<Vec<usize>>>().and_then(|p| p.into_iter().min());
            batch.attempts += 1;
            result = "PROBLEM: Function call failed".into();
            match from {
                // The records before the lowest failed one are done; the rest are tried again.
                Some(from) => {
                    let rest = Batch { records: batch.records[from..].to_vec(), ..batch.clone() };
                    retry_or_give_up(ctx, &m, role.as_ref(), shard, rest, partial_context(answer), &mut replace);
                }
                // An identifier that names no record of the batch fails it all.
                None => retry_or_give_up(
                    ctx,
                    &m,
                    role.as_ref(),
                    shard,
                    batch.clone(),
                    partial_context(answer),
                    &mut replace,
                ),
            }
        }
        Verdict::Failed { status, version, error, counted } => {
            result = "PROBLEM: Function call failed".into();
            if counted && m.bisect && batch.records.len() > 1 {
                // Splitting uses no retry.
                let half = batch.records.len().div_ceil(2);
                let (left, right) = batch.records.split_at(half);
                replace.push(Batch { records: left.to_vec(), due_ms: now, ..batch.clone() });
                replace.push(Batch { records: right.to_vec(), due_ms: now, ..batch.clone() });
            } else {
                if counted {
                    batch.attempts += 1;
                }
                let context = Response { status, version, error };
                retry_or_give_up(ctx, &m, role.as_ref(), shard, batch.clone(), context, &mut replace);
            }
        }
    }
    let Some(mm) = lambda.mappings.get_mut(&poll.uuid) else { return };
    mm.last_result = result;
    let Some(c) = mm.shards.get_mut(shard) else { return };
    c.pending.remove(0);
    for (i, b) in replace.into_iter().enumerate() {
        c.pending.insert(i, b);
    }
    // The shard goes on at once: with a split batch, or with what follows (a closed shard's
    // children included).
    if c.pending.first().is_some_and(|b| b.due_ms <= now) || c.pending.is_empty() {
        poll.more = true;
    }
}

/// How the last attempt of a batch was answered, for the on-failure record.
struct Response {
    status: u16,
    /// The version that ran, when the function ran at all.
    version: Option<String>,
    /// `Unhandled`, or none (a partial batch response).
    error: Option<String>,
}

fn partial_context(answer: &Result<Value, AwsError>) -> Response {
    let version = answer.as_ref().ok().and_then(|a| a["ExecutedVersion"].as_str().map(str::to_string));
    Response { status: 200, version, error: None }
}

/// A failed stream batch is tried again later, unless it has used its attempts or grown too
/// old: then its record goes to the on-failure destination and the shard moves on.
fn retry_or_give_up(
    ctx: &mut LambdaCtx,
    m: &Mapping,
    role: Option<&Principal>,
    shard: &str,
    mut batch: Batch,
    response: Response,
    replace: &mut Vec<Batch>,
) {
    let now = ctx.now_ms;
    let oldest = batch.records.first().map(|r| arrival_ms(m.source, r)).unwrap_or(now);
    let exhausted = m.max_retries >= 0 && batch.attempts > m.max_retries as u64;
    let delay = backoff_ms(batch.tries);
    // Too old already; one that will be by its next attempt is given up then, before it runs.
    let too_old = now > oldest + max_age_ms(m);
    if exhausted || too_old {
        // A batch that grew too old is reported without the answer of its last attempt.
        let (condition, context) = if exhausted {
            let mut r = json!({ "statusCode": response.status });
            if let Some(version) = &response.version {
                r["executedVersion"] = json!(version);
                r["functionError"] = json!(response.error);
            }
            ("RetryAttemptsExhausted", Some(r))
        } else {
            ("RecordAgeExceeded", None)
        };
        give_up(ctx, m, role, shard, &batch, condition, context);
        return;
    }
    batch.due_ms = now + delay;
    replace.push(batch);
}

/// The on-failure record: where the batch was, never what it held.
fn give_up(
    ctx: &mut LambdaCtx,
    m: &Mapping,
    role: Option<&Principal>,
    shard: &str,
    batch: &Batch,
    condition: &str,
    response: Option<Value>,
) {
    let (Some(destination), Some(principal)) = (&m.on_failure, role.cloned()) else { return };
    let first = batch.records.first();
    let last = batch.records.last();
    let arrival = |r: Option<&Value>| {
        let ms = r.map(|r| arrival_ms(m.source, r)).unwrap_or(ctx.now_ms);
        match m.source {
            // DynamoDB's arrival times are whole seconds; Kinesis's keep their milliseconds.
            Source::DynamoDb => format!("{}Z", &iso8601(ms)[..19]),
            _ => iso8601(ms),
        }
    };
    let info = json!({
        "shardId": shard,
        "startSequenceNumber": first.and_then(|r| sequence_of(m.source, r)),
        "endSequenceNumber": last.and_then(|r| sequence_of(m.source, r)),
        "approximateArrivalOfFirstRecord": arrival(first),
        "approximateArrivalOfLastRecord": arrival(last),
        "batchSize": batch.records.len(),
        "streamArn": m.source_arn,
    });
    let mut record = serde_json::Map::new();
    record.insert(
        "requestContext".into(),
        json!({
            "requestId": ctx.ids.uuid(),
            "functionArn": unqualified(&m.function_arn),
            "condition": condition,
            "approximateInvokeCount": batch.attempts,
        }),
    );
    if let Some(r) = response {
        record.insert("responseContext".into(), r);
    }
    record.insert("version".into(), json!("1.0"));
    record.insert("timestamp".into(), json!(iso8601(ctx.now_ms)));
    let key = if m.source == Source::DynamoDb { "DDBStreamBatchInfo" } else { "KinesisBatchInfo" };
    record.insert(key.into(), info);
    let body = Value::Object(record).to_string();
    let call = match destination.split(':').nth(2) {
        Some("sns") => Call::new(principal, "sns", "Publish", json!({"TopicArn": destination, "Message": body})),
        _ => {
            Call::new(principal, "sqs", "SendMessage", json!({"QueueUrl": queue_url(destination), "MessageBody": body}))
        }
    };
    ctx.effects.push(Effect::Call(caused(call, m)));
}

fn unqualified(arn: &str) -> String {
    let parts: Vec<&str> = arn.split(':').collect();
    parts[..parts.len().min(7)].join(":")
}

/// Deletes handled messages from the queue, ten to a call, as the function's role.
fn delete(lambda: &Lambda, ctx: &mut LambdaCtx, m: &Mapping, records: &[Value]) {
    let Some(principal) = role(lambda, m) else { return };
    for chunk in records.chunks(10) {
        let entries: Vec<Value> = chunk
            .iter()
            .enumerate()
            .map(|(i, r)| json!({"Id": i.to_string(), "ReceiptHandle": r["receiptHandle"]}))
            .collect();
        let call = Call::new(
            principal.clone(),
            "sqs",
            "DeleteMessageBatch",
            json!({"QueueUrl": queue_url(&m.source_arn), "Entries": entries}),
        );
        ctx.effects.push(Effect::Call(caused(call, m)));
    }
}

/// The records the mapping's filters keep, and those they drop (all kept when there are none).
fn filter(m: &Mapping, records: Vec<Value>) -> (Vec<Value>, Vec<Value>) {
    if m.filters.is_empty() {
        return (records, Vec::new());
    }
    let patterns: Vec<Pattern> = m.filters.iter().filter_map(|p| Pattern::parse(p).ok()).collect();
    records.into_iter().partition(|r| {
        let seen = filtered_view(m.source, r);
        patterns.iter().any(|p| p.matches(&seen))
    })
}

/// What a filter sees of a record: a queue message's body and a Kinesis record's data parsed as
/// JSON when they are JSON.
fn filtered_view(source: Source, record: &Value) -> Value {
    let mut seen = record.clone();
    match source {
        Source::Sqs => {
            if let Some(body) = record["body"].as_str() {
                if let Ok(parsed) = serde_json::from_str::<Value>(body) {
                    if parsed.is_object() || parsed.is_array() {
                        seen["body"] = parsed;
                    }
                }
            }
        }
        Source::Kinesis => {
            let data = record["kinesis"]["data"].as_str().and_then(decode_base64);
            if let Some(parsed) = data.and_then(|d| serde_json::from_slice::<Value>(&d).ok()) {
                seen["data"] = parsed;
            }
        }
        Source::DynamoDb => {}
    }
    seen
}

fn sequence_of(source: Source, record: &Value) -> Option<&str> {
    match source {
        Source::DynamoDb => record["dynamodb"]["SequenceNumber"].as_str(),
        Source::Kinesis => record["kinesis"]["sequenceNumber"].as_str(),
        Source::Sqs => record["messageId"].as_str(),
    }
}

fn arrival_ms(source: Source, record: &Value) -> Millis {
    let seconds = match source {
        Source::DynamoDb => record["dynamodb"]["ApproximateCreationDateTime"].as_f64(),
        Source::Kinesis => record["kinesis"]["approximateArrivalTimestamp"].as_f64(),
        Source::Sqs => None,
    };
    seconds.map(|s| (s * 1000.0).round() as Millis).unwrap_or(0)
}

/// A stream record as the function gets it.
fn stream_record(m: &Mapping, ctx: &LambdaCtx, shard: &str, role_arn: &str, r: &Value) -> Value {
    match m.source {
        Source::DynamoDb => {
            let mut out = r.clone();
            out["eventSourceARN"] = json!(m.source_arn);
            out
        }
        _ => {
            let sequence = r["SequenceNumber"].as_str().unwrap_or_default();
            json!({
                "kinesis": {
                    "kinesisSchemaVersion": "1.0",
                    "partitionKey": r["PartitionKey"],
                    "sequenceNumber": sequence,
                    "data": r["Data"],
                    "approximateArrivalTimestamp": r["ApproximateArrivalTimestamp"],
                },
                "eventSource": "aws:kinesis",
                "eventVersion": "1.0",
                "eventID": format!("{shard}:{sequence}"),
                "eventName": "aws:kinesis:record",
                "invokeIdentityArn": role_arn,
                "awsRegion": ctx.account.region,
                "eventSourceARN": m.source_arn,
            })
        }
    }
}

/// A received message as the function gets it.
fn sqs_record(m: &Mapping, ctx: &LambdaCtx, msg: &Value) -> Value {
    let attributes = msg["MessageAttributes"].as_object().cloned().unwrap_or_default();
    let message_attributes: serde_json::Map<String, Value> = attributes
        .iter()
        .map(|(name, a)| {
            let mut out = serde_json::Map::new();
            if let Some(s) = a["StringValue"].as_str() {
                out.insert("stringValue".into(), json!(s));
            }
            if let Some(b) = a["BinaryValue"].as_str() {
                out.insert("binaryValue".into(), json!(b));
            }
            out.insert("stringListValues".into(), json!([]));
            out.insert("binaryListValues".into(), json!([]));
            out.insert("dataType".into(), a["DataType"].clone());
            (name.clone(), Value::Object(out))
        })
        .collect();
    json!({
        "messageId": msg["MessageId"],
        "receiptHandle": msg["ReceiptHandle"],
        "body": msg["Body"],
        "attributes": msg["Attributes"].as_object().cloned().unwrap_or_default(),
        "messageAttributes": message_attributes,
        "md5OfMessageAttributes": msg.get("MD5OfMessageAttributes").cloned().unwrap_or(Value::Null),
        "md5OfBody": msg["MD5OfBody"],
        "eventSource": "aws:sqs",
        "eventSourceARN": m.source_arn,
        "awsRegion": ctx.account.region,
    })
}
