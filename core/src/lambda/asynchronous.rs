//! Asynchronous invocation: Invoke with InvocationType Event, its retries on the virtual clock,
//! the event invoke configuration (MaximumRetryAttempts, MaximumEventAgeInSeconds, destinations)
//! and the dead-letter queue.
//!
//! An Event invoke is queued ([`Event`]) and answered 202. Each attempt is a call Lambda makes to
//! itself as `lambda.amazonaws.com`: a synchronous Invoke that carries the event's request id
//! (`AsyncRequestId`, honoured only from Lambda itself), so every attempt runs with the same
//! request id, as on AWS. When an attempt ends, [`settled`] decides: success goes to the OnSuccess
//! destination; a failure is retried after about one minute, then two ([`RETRY_DELAYS_MS`]),
//! while attempts and the event's age allow; after that the invocation record goes to the
//! OnFailure destination and the event to the function's dead-letter queue. Destinations and the
//! DLQ are calls the function's execution role makes, so IAM decides whether they arrive.

use super::api::{self, error, FunctionRef};
use super::{Function, Job, Lambda};
use crate::clock::{iso8601, Millis};
use crate::effect::{Call, Effect, Principal};
use crate::error::AwsError;
use crate::service::{Ctx, View};
use crate::wire::{map, object_with, required, string};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

type LambdaCtx<'a> = Ctx<'a, Job>;

/// The service principal Lambda's own attempts are made as.
pub const LAMBDA: &str = "lambda.amazonaws.com";

/// When a failed attempt is tried again: about a minute after the first, two after the second.
pub const RETRY_DELAYS_MS: [Millis; 2] = [60_000, 120_000];

/// The defaults of an event invoke configuration.
pub const DEFAULT_RETRIES: u64 = 2;
pub const DEFAULT_MAX_AGE_S: u64 = 21_600;

/// PutFunctionEventInvokeConfig's settings for one function or qualifier.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventInvokeConfig {
    /// The qualified ARN (`...:function:NAME:$LATEST`, `:1`, `:live`).
    pub function_arn: String,
    pub max_retries: Option<u64>,
    pub max_age_s: Option<u64>,
    pub on_success: Option<String>,
    pub on_failure: Option<String>,
    pub last_modified_ms: Millis,
}

/// A queued asynchronous event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub request_id: String,
    pub function: String,
    /// The qualifier it was invoked with, if any.
    pub qualifier: Option<String>,
    pub payload: String,
    pub received_ms: Millis,
    /// Attempts made so far.
    pub attempts: u64,
    /// The last attempt's executed version, error type and response payload.
    #[serde(default)]
    pub last: Option<(String, Option<String>, Value)>,
}

/// The key configurations and events are kept under: `NAME:QUALIFIER` (`$LATEST` when none).
fn key(name: &str, qualifier: Option<&str>) -> String {
    format!("{name}:{}", qualifier.unwrap_or("$LATEST"))
}

/// The configuration that applies to an invocation of `name` with `qualifier`.
fn config_for<'a>(lambda: &'a Lambda, name: &str, qualifier: Option<&str>) -> Option<&'a EventInvokeConfig> {
    lambda.event_configs.get(&key(name, qualifier))
}

// ---- Invoke with InvocationType Event ----

/// Queues an event for `function` (checked to exist and be Active) and asks for its first attempt.
pub(super) fn queue(
    lambda: &mut Lambda,
    ctx: &mut LambdaCtx,
    name: &str,
    qualifier: Option<&str>,
    payload: &str,
) -> Value {
    let request_id = ctx.request_id.map(str::to_string).unwrap_or_else(|| ctx.ids.uuid());
    lambda.events.insert(
        request_id.clone(),
        Event {
            request_id: request_id.clone(),
            function: name.to_string(),
            qualifier: qualifier.map(str::to_string),
            payload: payload.to_string(),
            received_ms: ctx.now_ms,
            attempts: 0,
            last: None,
        },
    );
    let event = &lambda.events[&request_id];
    ctx.effects.push(Effect::Call(attempt_call(ctx.account.region.as_str(), &ctx.account.id, event)));
    json!({ "StatusCode": 202 })
}

/// The call that makes one attempt of `event`, caused by the Event invoke.
fn attempt_call(region: &str, account: &str, event: &Event) -> Call {
    let mut arn = api::function_arn(region, account, &event.function);
    if let Some(q) = &event.qualifier {
        arn = format!("{arn}:{q}");
    }
    let request = json!({
        "FunctionName": arn, "InvocationType": "RequestResponse", "Payload": event.payload,
        "AsyncRequestId": event.request_id,
    });
    let mut call = Call::new(Principal::service(LAMBDA), "lambda", "Invoke", request);
    call.cause = Some(event.request_id.clone());
    call
}

/// An attempt's request without its `AsyncRequestId`, and the event it is an attempt of, when
/// Lambda itself made the call; anyone else's `AsyncRequestId` stays in the request (and the
/// request is refused as having an unknown member).
pub(super) fn attempt_of(caller: &Principal, request: &Value) -> (Value, Option<String>) {
    let lambda = matches!(caller, Principal::Service { name } if name == LAMBDA);
    match request.get("AsyncRequestId").and_then(Value::as_str) {
        Some(id) if lambda => {
            let mut plain = request.clone();
            if let Some(o) = plain.as_object_mut() {
                o.remove("AsyncRequestId");
            }
            (plain, Some(id.to_string()))
        }
        _ => (request.clone(), None),
    }
}

/// An attempt of event `id` ended: with the executed version, the function's error type if it
/// failed, and its response payload. Retries, or sends the outcome where it is configured to go.
pub(super) fn settled(
    lambda: &mut Lambda,
    ctx: &mut LambdaCtx,
    id: &str,
    version: &str,
    error_type: Option<String>,
    response: &Value,
) {
    let Some(event) = lambda.events.get_mut(id) else { return };
    event.attempts += 1;
    event.last = Some((version.to_string(), error_type.clone(), response.clone()));
    let event = event.clone();
    let config = config_for(lambda, &event.function, event.qualifier.as_deref()).cloned();
    if error_type.is_none() {
        lambda.events.remove(id);
        if let Some(destination) = config.as_ref().and_then(|c| c.on_success.clone()) {
            send_record(lambda, ctx, &event, &destination, "Success");
        }
        return;
    }
    let retries = config.as_ref().and_then(|c| c.max_retries).unwrap_or(DEFAULT_RETRIES);
    let max_age_ms = config.as_ref().and_then(|c| c.max_age_s).unwrap_or(DEFAULT_MAX_AGE_S) * 1000;
    if event.attempts <= retries {
        let delay = RETRY_DELAYS_MS[(event.attempts as usize - 1).min(RETRY_DELAYS_MS.len() - 1)];
        if ctx.now_ms + delay < event.received_ms + max_age_ms {
            ctx.schedule(ctx.now_ms + delay, Job::Retry { request_id: id.to_string() });
            return;
        }
        give_up(lambda, ctx, id, "EventAgeExceeded");
        return;
    }
    give_up(lambda, ctx, id, "RetriesExhausted");
}

/// A retry falls due: the next attempt, unless the event has grown too old meanwhile.
pub(super) fn retry(lambda: &mut Lambda, ctx: &mut LambdaCtx, id: &str) {
    let Some(event) = lambda.events.get(id).cloned() else { return };
    if !lambda.functions.contains_key(&event.function) {
        lambda.events.remove(id);
        return;
    }
    let max_age_s = config_for(lambda, &event.function, event.qualifier.as_deref()).and_then(|c| c.max_age_s);
    if ctx.now_ms > event.received_ms + max_age_s.unwrap_or(DEFAULT_MAX_AGE_S) * 1000 {
        give_up(lambda, ctx, id, "EventAgeExceeded");
        return;
    }
    ctx.effects.push(Effect::Call(attempt_call(&ctx.account.region, &ctx.account.id, &event)));
}

/// The event failed for good (`condition`): its record to the OnFailure destination and the event
/// to the dead-letter queue, each if configured.
fn give_up(lambda: &mut Lambda, ctx: &mut LambdaCtx, id: &str, condition: &str) {
    let Some(event) = lambda.events.remove(id) else { return };
    let config = config_for(lambda, &event.function, event.qualifier.as_deref()).cloned();
    if let Some(destination) = config.and_then(|c| c.on_failure) {
        send_record(lambda, ctx, &event, &destination, condition);
    }
    let Some(function) = lambda.functions.get(&event.function) else { return };
    let Some(dlq) = function.dead_letter.clone() else { return };
    let message = event
        .last
        .as_ref()
        .and_then(|(_, _, r)| r.get("errorMessage").and_then(Value::as_str).map(str::to_string))
        .unwrap_or_default();
    let attributes = json!({
        "RequestID": {"DataType": "String", "StringValue": event.request_id},
        "ErrorCode": {"DataType": "Number", "StringValue": "200"},
        "ErrorMessage": {"DataType": "String", "StringValue": truncate(&message, 1024)},
    });
    let principal = role_principal(function);
    if let Some(call) = delivery(&dlq, principal, &event.payload, Some(attributes), "Failure") {
        ctx.effects.push(Effect::Call(caused(call, &event.request_id)));
    }
}

fn truncate(text: &str, max: usize) -> String {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_string()
}

fn role_principal(f: &Function) -> Principal {
    Principal::Role { arn: f.role.clone(), session: f.name.clone() }
}

fn caused(mut call: Call, by: &str) -> Call {
    call.cause = Some(by.to_string());
    call
}

/// AWS's invocation record, sent to a destination.
fn record(ctx: &LambdaCtx, event: &Event, condition: &str) -> Value {
    let (version, error_type, response) = event.last.clone().unwrap_or(("$LATEST".into(), None, Value::Null));
    let arn = api::function_arn(&ctx.account.region, &ctx.account.id, &event.function);
    let request_payload: Value = serde_json::from_str(&event.payload).unwrap_or_else(|_| json!(event.payload));
    let mut response_context = json!({ "statusCode": 200, "executedVersion": version });
    if error_type.is_some() {
        response_context["functionError"] = json!("Unhandled");
    }
    json!({
        "version": "1.0",
        "timestamp": iso8601(ctx.now_ms),
        "requestContext": {
            "requestId": event.request_id,
            "functionArn": format!("{arn}:{}", event.qualifier.as_deref().unwrap_or("$LATEST")),
            "condition": condition,
            "approximateInvokeCount": event.attempts,
        },
        "requestPayload": request_payload,
        "responseContext": response_context,
        "responsePayload": response,
    })
}

fn send_record(lambda: &Lambda, ctx: &mut LambdaCtx, event: &Event, destination: &str, condition: &str) {
    let Some(function) = lambda.functions.get(&event.function) else { return };
    let body = record(ctx, event, condition).to_string();
    let outcome = if condition == "Success" { "Success" } else { "Failure" };
    if let Some(call) = delivery(destination, role_principal(function), &body, None, outcome) {
        ctx.effects.push(Effect::Call(caused(call, &event.request_id)));
    }
}

/// The call that delivers `body` to the destination `arn`: SQS SendMessage, SNS Publish, an
/// asynchronous Lambda Invoke or an EventBridge PutEvents, as the function's role.
fn delivery(arn: &str, principal: Principal, body: &str, attributes: Option<Value>, outcome: &str) -> Option<Call> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    if parts.len() < 6 {
        return None;
    }
    let (service, region, account, resource) = (parts[2], parts[3], parts[4], parts[5]);
    Some(match service {
        "sqs" => {
            let mut request = json!({
                "QueueUrl": format!("https://sqs.{region}.amazonaws.com/{account}/{resource}"),
                "MessageBody": body,
            });
            if let Some(a) = attributes {
                request["MessageAttributes"] = a;
            }
            Call::new(principal, "sqs", "SendMessage", request)
        }
        "sns" => Call::new(principal, "sns", "Publish", json!({ "TopicArn": arn, "Message": body })),
        "lambda" => Call::new(
            principal,
            "lambda",
            "Invoke",
            json!({ "FunctionName": arn, "InvocationType": "Event", "Payload": body }),
        ),
        "events" => Call::new(
            principal,
            "events",
            "PutEvents",
            json!({ "Entries": [{
                "EventBusName": arn, "Source": "lambda",
                "DetailType": format!("Lambda Function Invocation Result - {outcome}"), "Detail": body,
            }]}),
        ),
        _ => return None,
    })
}

// ---- the event invoke configuration ----

/// A destination ARN: SQS, SNS, Lambda or EventBridge (S3 too for OnFailure).
fn destination(config: &Map<String, Value>, member: &str) -> Result<Option<String>, AwsError> {
    let Some(d) = map(config, member)? else { return Ok(None) };
    let d = Value::Object(d.clone());
    let d = object_with(&d, &["Destination"])?;
    let Some(arn) = string(d, "Destination")? else { return Ok(None) };
    let service = arn.split(':').nth(2).unwrap_or("");
    let allowed = ["sqs", "sns", "lambda", "events"].contains(&service) || (member == "OnFailure" && service == "s3");
    if !arn.starts_with("arn:aws:") || !allowed || arn.split(':').count() < 6 {
        return Err(error(
            "InvalidParameterValueException",
            400,
            format!("The provided destination config DestinationConfig({member}={arn}) is invalid."),
        ));
    }
    Ok(Some(arn.to_string()))
}

/// The operations on event invoke configurations.
pub(super) fn call(lambda: &mut Lambda, ctx: &mut LambdaCtx, action: &str, request: &Value) -> Result<Value, AwsError> {
    let (region, account) = (ctx.account.region.clone(), ctx.account.id.clone());
    match action {
        "PutFunctionEventInvokeConfig" | "UpdateFunctionEventInvokeConfig" => {
            let r = object_with(
                request,
                &["FunctionName", "Qualifier", "MaximumRetryAttempts", "MaximumEventAgeInSeconds", "DestinationConfig"],
            )?;
            let (reference, arn) = target(lambda, &region, &account, r)?;
            let retries = api::bounded(r, "MaximumRetryAttempts", "maximumRetryAttempts", 0, 2)?;
            let age = api::bounded(r, "MaximumEventAgeInSeconds", "maximumEventAgeInSeconds", 60, 21_600)?;
            let (on_success, on_failure) = match map(r, "DestinationConfig")? {
                Some(d) => {
                    let d = object_with(&Value::Object(d.clone()), &["OnSuccess", "OnFailure"])?.clone();
                    (Some(destination(&d, "OnSuccess")?), Some(destination(&d, "OnFailure")?))
                }
                None => (None, None),
            };
            let k = key(&reference.name, reference.qualifier.as_deref());
            let existing = lambda.event_configs.get(&k).cloned();
            if action == "UpdateFunctionEventInvokeConfig" && existing.is_none() {
                return Err(no_config(&arn));
            }
            let config = match (action, existing) {
                ("UpdateFunctionEventInvokeConfig", Some(old)) => EventInvokeConfig {
                    function_arn: arn,
                    max_retries: retries.or(old.max_retries),
                    max_age_s: age.or(old.max_age_s),
                    on_success: on_success.unwrap_or(old.on_success),
                    on_failure: on_failure.unwrap_or(old.on_failure),
                    last_modified_ms: ctx.now_ms,
                },
                _ => EventInvokeConfig {
                    function_arn: arn,
                    max_retries: retries,
                    max_age_s: age,
                    on_success: on_success.flatten(),
                    on_failure: on_failure.flatten(),
                    last_modified_ms: ctx.now_ms,
                },
            };
            let out = shown(&config);
            lambda.event_configs.insert(k, config);
            Ok(out)
        }
        "DeleteFunctionEventInvokeConfig" => {
            let r = object_with(request, &["FunctionName", "Qualifier"])?;
            let (reference, arn) = target(lambda, &region, &account, r)?;
            lambda
                .event_configs
                .remove(&key(&reference.name, reference.qualifier.as_deref()))
                .ok_or_else(|| no_config(&arn))?;
            Ok(json!({}))
        }
        _ => read(lambda, View { now_ms: ctx.now_ms, account: ctx.account }, action, request),
    }
}

/// Get and List.
pub(super) fn read(lambda: &Lambda, view: View, action: &str, request: &Value) -> Result<Value, AwsError> {
    let (region, account) = (view.account.region.as_str(), view.account.id.as_str());
    match action {
        "GetFunctionEventInvokeConfig" => {
            let r = object_with(request, &["FunctionName", "Qualifier"])?;
            let (reference, arn) = target(lambda, region, account, r)?;
            config_for(lambda, &reference.name, reference.qualifier.as_deref())
                .map(shown)
                .ok_or_else(|| no_config(&arn))
        }
        _ => {
            let r = object_with(request, &["FunctionName", "Marker", "MaxItems"])?;
            let reference = FunctionRef::parse(required(r, "FunctionName")?, "functionName")?;
            api::base(lambda, region, account, &reference.name)?;
            let prefix = format!("{}:", reference.name);
            let configs: Vec<Value> =
                lambda.event_configs.iter().filter(|(k, _)| k.starts_with(&prefix)).map(|(_, c)| shown(c)).collect();
            Ok(json!({ "FunctionEventInvokeConfigs": configs }))
        }
    }
}

/// The function (and qualifier) a request names, which must exist: its reference and qualified ARN.
fn target(
    lambda: &Lambda,
    region: &str,
    account: &str,
    r: &Map<String, Value>,
) -> Result<(FunctionRef, String), AwsError> {
    let mut reference = FunctionRef::parse(required(r, "FunctionName")?, "functionName")?;
    if let Some(q) = string(r, "Qualifier")? {
        reference.qualifier = Some(q.to_string());
    }
    api::find(lambda, region, account, &reference)?;
    let arn = format!(
        "{}:{}",
        api::function_arn(region, account, &reference.name),
        reference.qualifier.as_deref().unwrap_or("$LATEST")
    );
    Ok((reference, arn))
}

fn no_config(arn: &str) -> AwsError {
    error("ResourceNotFoundException", 404, format!("The function {arn} doesn't have an EventInvokeConfig"))
}

/// A configuration as Lambda answers it.
fn shown(c: &EventInvokeConfig) -> Value {
    let side = |d: &Option<String>| d.as_ref().map(|arn| json!({ "Destination": arn })).unwrap_or_else(|| json!({}));
    let mut out = json!({
        "LastModified": c.last_modified_ms as f64 / 1000.0,
        "FunctionArn": c.function_arn,
        "DestinationConfig": { "OnSuccess": side(&c.on_success), "OnFailure": side(&c.on_failure) },
    });
    if let Some(n) = c.max_retries {
        out["MaximumRetryAttempts"] = json!(n);
    }
    if let Some(n) = c.max_age_s {
        out["MaximumEventAgeInSeconds"] = json!(n);
    }
    out
}
