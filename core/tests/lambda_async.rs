//! Asynchronous invocation: Event invokes, retries on the virtual clock, the event invoke
//! configuration, destinations and the dead-letter queue, through `World::call` as `lab run`
//! would make the calls.

use lab_core::lambda::package;
use lab_core::observed::Event;
use lab_core::wire::encode_base64;
use lab_core::{AwsError, World};
use serde_json::{json, Value};

const ACCOUNT: &str = "123456789012";
const TRUST_LAMBDA: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
const QUEUES: &str = "https://sqs.ap-southeast-1.amazonaws.com/123456789012";

fn call(world: &mut World, service: &str, action: &str, request: Value) -> Result<Value, AwsError> {
    world.call(service, action, &request)
}

/// `processOrder`: fails while `event.fail` is true, or for its first `failFirst` attempts, and
/// counts its runs in module state. Its role may send to any queue.
fn world(extra: Value) -> World {
    let mut world = World::default();
    call(&mut world, "iam", "CreateRole", json!({"RoleName": "orders-role", "AssumeRolePolicyDocument": TRUST_LAMBDA}))
        .unwrap();
    let basic = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";
    call(&mut world, "iam", "AttachRolePolicy", json!({"RoleName": "orders-role", "PolicyArn": basic})).unwrap();
    let send = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"}]});
    call(
        &mut world,
        "iam",
        "PutRolePolicy",
        json!({"RoleName": "orders-role", "PolicyName": "send", "PolicyDocument": send.to_string()}),
    )
    .unwrap();
    for q in ["orders-success", "orders-failed", "orders-dlq"] {
        call(&mut world, "sqs", "CreateQueue", json!({"QueueName": q})).unwrap();
    }
    let code = "let runs = 0;\nexport const handler = async (event) => { runs++; if (event.fail || runs <= (event.failFirst || 0)) throw new Error('payment declined on run ' + runs); return { ok: true, runs }; };";
    let mut request = json!({
        "FunctionName": "processOrder", "Runtime": "nodejs22.x", "Role": format!("arn:aws:iam::{ACCOUNT}:role/orders-role"),
        "Handler": "index.handler", "Code": {"ZipFile": encode_base64(&package::write(&[("index.mjs", code)], true))},
    });
    for (k, v) in extra.as_object().unwrap() {
        request[k] = v.clone();
    }
    call(&mut world, "lambda", "CreateFunction", request).unwrap();
    world.advance(2).unwrap();
    world
}

fn invoke_async(world: &mut World, payload: Value) -> Value {
    call(
        world,
        "lambda",
        "Invoke",
        json!({"FunctionName": "processOrder", "InvocationType": "Event", "Payload": payload.to_string()}),
    )
    .unwrap()
}

/// The Invokes Lambda made to itself: (the payload the run answered, whether it failed).
fn attempts(world: &World) -> Vec<(String, bool)> {
    world
        .observed()
        .events()
        .filter_map(|e| match &e.event {
            Event::Call { action, caller, response, .. }
                if action == "Invoke" && caller.label() == "lambda.amazonaws.com" =>
            {
                let r = response.as_ref().map(|r| r.value()).unwrap_or_default();
                let payload: Value = serde_json::from_str(r["Payload"].as_str().unwrap_or("null")).unwrap_or_default();
                Some((payload.to_string(), r.get("FunctionError").is_some()))
            }
            _ => None,
        })
        .collect()
}

/// Every message in `queue`: (body, message attributes).
fn drain(world: &mut World, queue: &str) -> Vec<(Value, Value)> {
    let answer = call(
        world,
        "sqs",
        "ReceiveMessage",
        json!({"QueueUrl": format!("{QUEUES}/{queue}"), "MaxNumberOfMessages": 10, "MessageAttributeNames": ["All"]}),
    )
    .unwrap();
    answer["Messages"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|m| {
            (
                serde_json::from_str(m["Body"].as_str().unwrap()).unwrap_or_else(|_| json!(m["Body"])),
                m["MessageAttributes"].clone(),
            )
        })
        .collect()
}

fn configure(world: &mut World, config: Value) -> Result<Value, AwsError> {
    let mut request = json!({"FunctionName": "processOrder"});
    for (k, v) in config.as_object().unwrap() {
        request[k] = v.clone();
    }
    call(world, "lambda", "PutFunctionEventInvokeConfig", request)
}

#[test]
fn an_event_failing_twice_then_succeeding_is_retried_after_one_and_two_minutes() {
    let mut world = world(json!({}));
    let success = json!({"Destination": format!("arn:aws:sqs:ap-southeast-1:{ACCOUNT}:orders-success")});
    configure(&mut world, json!({"DestinationConfig": {"OnSuccess": success}})).unwrap();
    assert_eq!(invoke_async(&mut world, json!({"orderId": "o-1", "failFirst": 2})), json!({"StatusCode": 202}));
    // The first attempt ran right after the 202, and failed.
    assert_eq!(attempts(&world).len(), 1);
    world.advance(59).unwrap();
    assert_eq!(attempts(&world).len(), 1, "the first retry waits about a minute");
    world.advance(1).unwrap();
    assert_eq!(attempts(&world).len(), 2);
    world.advance(119).unwrap();
    assert_eq!(attempts(&world).len(), 2, "the second retry waits two minutes more");
    world.advance(1).unwrap();
    let runs = attempts(&world);
    assert_eq!(runs.iter().map(|(_, failed)| *failed).collect::<Vec<_>>(), [true, true, false]);
    // Success goes to OnSuccess with AWS's invocation record.
    let records = drain(&mut world, "orders-success");
    assert_eq!(records.len(), 1);
    let record = &records[0].0;
    assert_eq!(record["version"], "1.0");
    assert_eq!(record["requestContext"]["condition"], "Success");
    assert_eq!(record["requestContext"]["approximateInvokeCount"], 3);
    assert_eq!(
        record["requestContext"]["functionArn"],
        format!("arn:aws:lambda:ap-southeast-1:{ACCOUNT}:function:processOrder:$LATEST")
    );
    assert_eq!(record["requestPayload"], json!({"orderId": "o-1", "failFirst": 2}));
    assert_eq!(record["responseContext"], json!({"statusCode": 200, "executedVersion": "$LATEST"}));
    assert_eq!(record["responsePayload"], json!({"ok": true, "runs": 3}));
    // Every attempt ran with the Event invoke's request id, which the logs show.
    let id = record["requestContext"]["requestId"].as_str().unwrap().to_string();
    let events = call(
        &mut world,
        "logs",
        "FilterLogEvents",
        json!({"logGroupName": "/aws/lambda/processOrder", "filterPattern": "START"}),
    )
    .unwrap();
    let starts: Vec<&str> =
        events["events"].as_array().unwrap().iter().map(|e| e["message"].as_str().unwrap()).collect();
    assert_eq!(starts.len(), 3);
    assert!(starts.iter().all(|s| s.contains(&id)), "{starts:?}");
}

#[test]
fn after_the_retries_the_record_goes_to_on_failure_and_the_event_to_the_dlq() {
    let dlq = format!("arn:aws:sqs:ap-southeast-1:{ACCOUNT}:orders-dlq");
    let mut world = world(json!({"DeadLetterConfig": {"TargetArn": dlq}}));
    let failed = json!({"Destination": format!("arn:aws:sqs:ap-southeast-1:{ACCOUNT}:orders-failed")});
    let config = configure(&mut world, json!({"MaximumRetryAttempts": 1, "MaximumEventAgeInSeconds": 3600, "DestinationConfig": {"OnFailure": failed}})).unwrap();
    assert_eq!(config["MaximumRetryAttempts"], 1);
    assert_eq!(config["DestinationConfig"]["OnSuccess"], json!({}));
    let shown =
        call(&mut world, "lambda", "GetFunctionConfiguration", json!({"FunctionName": "processOrder"})).unwrap();
    assert_eq!(shown["DeadLetterConfig"], json!({"TargetArn": dlq}));
    invoke_async(&mut world, json!({"orderId": "o-2", "fail": true}));
    world.advance(60).unwrap();
    world.advance(120).unwrap();
    assert_eq!(attempts(&world).len(), 2, "1 + 1 retry");
    let records = drain(&mut world, "orders-failed");
    assert_eq!(records.len(), 1);
    let record = &records[0].0;
    assert_eq!(record["requestContext"]["condition"], "RetriesExhausted");
    assert_eq!(record["requestContext"]["approximateInvokeCount"], 2);
    assert_eq!(record["requestPayload"], json!({"orderId": "o-2", "fail": true}));
    assert_eq!(record["responseContext"]["functionError"], "Unhandled");
    assert_eq!(record["responsePayload"]["errorType"], "Error");
    assert_eq!(record["responsePayload"]["errorMessage"], "payment declined on run 2");
    // The DLQ gets the event itself, with the request id and the error as message attributes.
    let dead = drain(&mut world, "orders-dlq");
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0].0, json!({"orderId": "o-2", "fail": true}));
    let attributes = &dead[0].1;
    assert_eq!(attributes["RequestID"]["StringValue"], record["requestContext"]["requestId"]);
    assert_eq!(attributes["ErrorCode"], json!({"DataType": "Number", "StringValue": "200"}));
    assert_eq!(attributes["ErrorMessage"]["StringValue"], "payment declined on run 2");
}

#[test]
fn an_event_older_than_its_maximum_age_is_given_up() {
    let mut world = world(json!({}));
    let failed = json!({"Destination": format!("arn:aws:sqs:ap-southeast-1:{ACCOUNT}:orders-failed")});
    configure(&mut world, json!({"MaximumEventAgeInSeconds": 60, "DestinationConfig": {"OnFailure": failed}})).unwrap();
    invoke_async(&mut world, json!({"fail": true}));
    world.advance(600).unwrap();
    assert_eq!(attempts(&world).len(), 1, "the retry would come after the event's maximum age");
    let records = drain(&mut world, "orders-failed");
    assert_eq!(records[0].0["requestContext"]["condition"], "EventAgeExceeded");
}

#[test]
fn a_destination_the_role_cannot_reach_fails_as_a_call_in_the_log() {
    let mut world = world(json!({}));
    call(&mut world, "iam", "DeleteRolePolicy", json!({"RoleName": "orders-role", "PolicyName": "send"})).unwrap();
    let success = json!({"Destination": format!("arn:aws:sqs:ap-southeast-1:{ACCOUNT}:orders-success")});
    configure(&mut world, json!({"DestinationConfig": {"OnSuccess": success}})).unwrap();
    invoke_async(&mut world, json!({}));
    let denied: Vec<String> = world
        .observed()
        .events()
        .filter_map(|e| match &e.event {
            Event::Call { service, action, error: Some(err), .. } if service == "sqs" && action == "SendMessage" => {
                Some(err.code.clone())
            }
            _ => None,
        })
        .collect();
    assert_eq!(denied, ["AccessDenied"]);
    assert!(drain(&mut world, "orders-success").is_empty());
}

#[test]
fn the_event_invoke_configuration_is_checked_and_answered_as_lambda_does() {
    let mut world = world(json!({}));
    let e = call(&mut world, "lambda", "GetFunctionEventInvokeConfig", json!({"FunctionName": "processOrder"}))
        .unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.message.as_str(), e.status),
        ("ResourceNotFoundException", "The function arn:aws:lambda:ap-southeast-1:123456789012:function:processOrder:$LATEST doesn't have an EventInvokeConfig", 404)
    );
    let e = configure(&mut world, json!({"MaximumRetryAttempts": 3})).unwrap_err();
    assert_eq!(e.code, "ValidationException");
    let e = configure(&mut world, json!({"MaximumEventAgeInSeconds": 59})).unwrap_err();
    assert_eq!(e.code, "ValidationException");
    let e = configure(&mut world, json!({"DestinationConfig": {"OnSuccess": {"Destination": "orders-success"}}}))
        .unwrap_err();
    assert_eq!(e.code, "InvalidParameterValueException");
    let e = call(
        &mut world,
        "lambda",
        "UpdateFunctionEventInvokeConfig",
        json!({"FunctionName": "processOrder", "MaximumRetryAttempts": 1}),
    )
    .unwrap_err();
    assert_eq!(e.code, "ResourceNotFoundException");
    configure(&mut world, json!({"MaximumRetryAttempts": 1, "MaximumEventAgeInSeconds": 3600})).unwrap();
    // Update keeps what it does not name; Put replaces the whole configuration.
    let updated = call(
        &mut world,
        "lambda",
        "UpdateFunctionEventInvokeConfig",
        json!({"FunctionName": "processOrder", "MaximumRetryAttempts": 0}),
    )
    .unwrap();
    assert_eq!(
        (updated["MaximumRetryAttempts"].clone(), updated["MaximumEventAgeInSeconds"].clone()),
        (json!(0), json!(3600))
    );
    let put = configure(&mut world, json!({"MaximumRetryAttempts": 2})).unwrap();
    assert!(put.get("MaximumEventAgeInSeconds").is_none(), "{put}");
    let listed =
        call(&mut world, "lambda", "ListFunctionEventInvokeConfigs", json!({"FunctionName": "processOrder"})).unwrap();
    assert_eq!(listed["FunctionEventInvokeConfigs"].as_array().unwrap().len(), 1);
    call(&mut world, "lambda", "DeleteFunctionEventInvokeConfig", json!({"FunctionName": "processOrder"})).unwrap();
    assert!(
        call(&mut world, "lambda", "GetFunctionEventInvokeConfig", json!({"FunctionName": "processOrder"})).is_err()
    );
    let e = configure(&mut world, json!({"FunctionName": "missing"})).unwrap_err();
    assert_eq!(e.code, "ResourceNotFoundException");
    // Only Lambda itself may make an attempt of an event.
    let e = call(&mut world, "lambda", "Invoke", json!({"FunctionName": "processOrder", "AsyncRequestId": "x"}))
        .unwrap_err();
    assert_eq!(e.code, "ParamValidation");
    let e = call(&mut world, "lambda", "UpdateFunctionConfiguration", json!({"FunctionName": "processOrder", "DeadLetterConfig": {"TargetArn": "arn:aws:dynamodb:ap-southeast-1:123456789012:table/x"}})).unwrap_err();
    assert_eq!(e.code, "InvalidParameterValueException");
}
