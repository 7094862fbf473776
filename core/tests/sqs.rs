//! SQS as transcripts: each script line is `Action {request}` or `advance SECONDS` against `sqs`,
//! and the transcript shows each answer (message ids shown as `<uuid>`; receipt handles are
//! opaque, so scripts that need one read it from the world with `receipt`).

mod transcript;

use lab_core::World;
use serde_json::{json, Value};

const URL: &str = "https://sqs.ap-southeast-1.amazonaws.com/123456789012";

fn run(world: &mut World, script: &str) -> String {
    transcript::run(world, "sqs", script, &|answer| transcript::hide_uuids(&transcript::plain(answer)))
}

fn call(world: &mut World, action: &str, request: Value) -> Result<Value, lab_core::AwsError> {
    world.call("sqs", action, &request)
}

/// Receives up to `max` messages from `queue` with every attribute: (bodies, receipt handles, receive counts).
fn receive(world: &mut World, queue: &str, max: u64) -> (Vec<String>, Vec<String>, Vec<String>) {
    let answer = call(
        world,
        "ReceiveMessage",
        json!({"QueueUrl": format!("{URL}/{queue}"), "MaxNumberOfMessages": max, "MessageSystemAttributeNames": ["All"]}),
    )
    .unwrap();
    let messages = answer["Messages"].as_array().cloned().unwrap_or_default();
    let field = |f: &dyn Fn(&Value) -> String| messages.iter().map(f).collect::<Vec<_>>();
    (
        field(&|m| m["Body"].as_str().unwrap().to_string()),
        field(&|m| m["ReceiptHandle"].as_str().unwrap().to_string()),
        field(&|m| m["Attributes"]["ApproximateReceiveCount"].as_str().unwrap().to_string()),
    )
}

#[test]
fn a_standard_queue_as_the_workshop_uses_it() {
    let mut world = World::default();
    insta::assert_snapshot!(run(
        &mut world,
        r#"
        CreateQueue {"QueueName": "orders-failed", "tags": {"project": "fcj"}}
        CreateQueue {"QueueName": "orders-failed"}
        CreateQueue {"QueueName": "orders-failed", "Attributes": {"VisibilityTimeout": "60"}}
        CreateQueue {"QueueName": "bad name"}
        CreateQueue {"QueueName": "q", "Attributes": {"VisibilityTimeout": "43201"}}
        CreateQueue {"QueueName": "q", "Attributes": {"ContentBasedDeduplication": "true"}}
        CreateQueue {"QueueName": "q", "Attributes": {"Colour": "blue"}}
        GetQueueUrl {"QueueName": "orders-failed"}
        GetQueueUrl {"QueueName": "nope"}
        ListQueues
        GetQueueAttributes {"QueueUrl": "https://sqs.ap-southeast-1.amazonaws.com/123456789012/orders-failed", "AttributeNames": ["All"]}
        SendMessage {"QueueUrl": "https://sqs.ap-southeast-1.amazonaws.com/123456789012/orders-failed", "MessageBody": "hello"}
        SendMessage {"QueueUrl": "https://sqs.ap-southeast-1.amazonaws.com/123456789012/orders-failed", "MessageBody": "later", "DelaySeconds": 10, "MessageAttributes": {"a": {"DataType": "String", "StringValue": "b"}}}
        SendMessage {"QueueUrl": "https://sqs.ap-southeast-1.amazonaws.com/123456789012/orders-failed", "MessageBody": ""}
        SendMessage {"QueueUrl": "https://sqs.ap-southeast-1.amazonaws.com/123456789012/orders-failed", "MessageBody": "x", "DelaySeconds": 901}
        SendMessage {"QueueUrl": "https://sqs.ap-southeast-1.amazonaws.com/123456789012/orders-failed", "MessageBody": "x", "MessageAttributes": {"n": {"DataType": "Number", "StringValue": "ten"}}}
        SendMessage {"QueueUrl": "https://sqs.ap-southeast-1.amazonaws.com/123456789012/nope", "MessageBody": "x"}
        GetQueueAttributes {"QueueUrl": "https://sqs.ap-southeast-1.amazonaws.com/123456789012/orders-failed", "AttributeNames": ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"]}
        ReceiveMessage {"QueueUrl": "https://sqs.ap-southeast-1.amazonaws.com/123456789012/orders-failed", "MaxNumberOfMessages": 11}
        ListQueueTags {"QueueUrl": "https://sqs.ap-southeast-1.amazonaws.com/123456789012/orders-failed"}
        PurgeQueue {"QueueUrl": "https://sqs.ap-southeast-1.amazonaws.com/123456789012/orders-failed"}
        PurgeQueue {"QueueUrl": "https://sqs.ap-southeast-1.amazonaws.com/123456789012/orders-failed"}
        DeleteQueue {"QueueUrl": "https://sqs.ap-southeast-1.amazonaws.com/123456789012/orders-failed"}
        CreateQueue {"QueueName": "orders-failed"}
        advance 61
        CreateQueue {"QueueName": "orders-failed"}
        "#
    ));
}

#[test]
fn visibility_timeouts_hide_a_received_message_until_deleted_or_timed_out() {
    let mut world = World::default();
    call(&mut world, "CreateQueue", json!({"QueueName": "work", "Attributes": {"VisibilityTimeout": "30"}})).unwrap();
    for body in ["one", "two"] {
        call(&mut world, "SendMessage", json!({"QueueUrl": format!("{URL}/work"), "MessageBody": body})).unwrap();
    }
    let (bodies, handles, counts) = receive(&mut world, "work", 1);
    assert_eq!((bodies, counts), (vec!["one".to_string()], vec!["1".to_string()]));
    // In flight: the next receive gets the other message only.
    assert_eq!(receive(&mut world, "work", 10).0, ["two"]);
    assert!(receive(&mut world, "work", 10).0.is_empty());
    world.advance(31).unwrap();
    let (bodies, again, counts) = receive(&mut world, "work", 10);
    assert_eq!((bodies, counts), (vec!["one".to_string(), "two".to_string()], vec!["2".to_string(), "2".to_string()]));
    // The first receive's handle is stale: deleting with it succeeds and deletes nothing.
    call(&mut world, "DeleteMessage", json!({"QueueUrl": format!("{URL}/work"), "ReceiptHandle": handles[0]})).unwrap();
    let change = json!({"QueueUrl": format!("{URL}/work"), "ReceiptHandle": handles[0], "VisibilityTimeout": 0});
    assert_eq!(
        call(&mut world, "ChangeMessageVisibility", change).unwrap_err().code,
        "AWS.SimpleQueueService.MessageNotInflight"
    );
    let garbage = json!({"QueueUrl": format!("{URL}/work"), "ReceiptHandle": "not-a-handle"});
    let e = call(&mut world, "DeleteMessage", garbage).unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        ("ReceiptHandleIsInvalid", "The input receipt handle \"not-a-handle\" is not a valid receipt handle.")
    );
    // The latest handle deletes; a visibility of 0 makes the other visible at once.
    call(&mut world, "DeleteMessage", json!({"QueueUrl": format!("{URL}/work"), "ReceiptHandle": again[0]})).unwrap();
    let batch = json!({"QueueUrl": format!("{URL}/work"), "Entries": [
        {"Id": "a", "ReceiptHandle": again[1], "VisibilityTimeout": 0},
        {"Id": "b", "ReceiptHandle": "bogus", "VisibilityTimeout": 0}]});
    let answer = call(&mut world, "ChangeMessageVisibilityBatch", batch).unwrap();
    assert_eq!(answer["Successful"], json!([{"Id": "a"}]));
    assert_eq!(answer["Failed"][0]["Code"], "ReceiptHandleIsInvalid");
    assert_eq!(receive(&mut world, "work", 10).0, ["two"]);
}

#[test]
fn a_redrive_policy_moves_a_message_to_the_dead_letter_queue_after_max_receives() {
    let mut world = World::default();
    call(&mut world, "CreateQueue", json!({"QueueName": "orders-dlq"})).unwrap();
    let dlq = "arn:aws:sqs:ap-southeast-1:123456789012:orders-dlq";
    let policy = json!({"deadLetterTargetArn": dlq, "maxReceiveCount": "2"}).to_string();
    let attributes = json!({"VisibilityTimeout": "5", "RedrivePolicy": policy});
    call(&mut world, "CreateQueue", json!({"QueueName": "orders", "Attributes": attributes})).unwrap();
    call(&mut world, "SendMessage", json!({"QueueUrl": format!("{URL}/orders"), "MessageBody": "poison"})).unwrap();
    for n in ["1", "2"] {
        assert_eq!(receive(&mut world, "orders", 1).2, [n]);
        world.advance(6).unwrap();
    }
    // The third receive finds it received twice already: it moves to the DLQ instead.
    assert!(receive(&mut world, "orders", 1).0.is_empty());
    let answer = call(
        &mut world,
        "ReceiveMessage",
        json!({"QueueUrl": format!("{URL}/orders-dlq"), "MessageSystemAttributeNames": ["DeadLetterQueueSourceArn"]}),
    )
    .unwrap();
    assert_eq!(answer["Messages"][0]["Body"], "poison");
    assert_eq!(
        answer["Messages"][0]["Attributes"]["DeadLetterQueueSourceArn"],
        "arn:aws:sqs:ap-southeast-1:123456789012:orders"
    );
    let sources =
        call(&mut world, "ListDeadLetterSourceQueues", json!({"QueueUrl": format!("{URL}/orders-dlq")})).unwrap();
    assert_eq!(sources, json!({"queueUrls": [format!("{URL}/orders")]}));
    let bad = json!({"QueueName": "x", "Attributes": {"RedrivePolicy": "{\"deadLetterTargetArn\": \"arn:aws:sqs:ap-southeast-1:123456789012:orders-dlq\", \"maxReceiveCount\": 0}"}});
    assert_eq!(call(&mut world, "CreateQueue", bad).unwrap_err().code, "InvalidParameterValue");
}

#[test]
fn a_fifo_queue_keeps_group_order_and_drops_duplicates_for_five_minutes() {
    let mut world = World::default();
    let e = call(&mut world, "CreateQueue", json!({"QueueName": "orders", "Attributes": {"FifoQueue": "true"}}))
        .unwrap_err();
    assert_eq!(e.code, "InvalidParameterValue");
    call(&mut world, "CreateQueue", json!({"QueueName": "orders.fifo", "Attributes": {"FifoQueue": "true"}})).unwrap();
    let url = format!("{URL}/orders.fifo");
    let send = |world: &mut World, body: &str, group: &str, dedup: &str| {
        call(
            world,
            "SendMessage",
            json!({"QueueUrl": url, "MessageBody": body, "MessageGroupId": group, "MessageDeduplicationId": dedup}),
        )
    };
    let first = send(&mut world, "a1", "a", "1").unwrap();
    send(&mut world, "a2", "a", "2").unwrap();
    send(&mut world, "b1", "b", "3").unwrap();
    // The same deduplication id within five minutes: accepted, answered as the first, not enqueued.
    let again = send(&mut world, "a1 again", "a", "1").unwrap();
    assert_eq!(
        (again["MessageId"].clone(), again["SequenceNumber"].clone()),
        (first["MessageId"].clone(), first["SequenceNumber"].clone())
    );
    let e = call(&mut world, "SendMessage", json!({"QueueUrl": url, "MessageBody": "x"})).unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        ("MissingParameter", "The request must contain the parameter MessageGroupId.")
    );
    let e = call(&mut world, "SendMessage", json!({"QueueUrl": url, "MessageBody": "x", "MessageGroupId": "a"}))
        .unwrap_err();
    assert_eq!(
        e.message,
        "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly"
    );
    let (bodies, handles, _) = receive(&mut world, "orders.fifo", 1);
    assert_eq!(bodies, ["a1"]);
    // Group a is blocked while a1 is in flight; group b is not.
    assert_eq!(receive(&mut world, "orders.fifo", 10).0, ["b1"]);
    call(&mut world, "DeleteMessage", json!({"QueueUrl": url, "ReceiptHandle": handles[0]})).unwrap();
    assert_eq!(receive(&mut world, "orders.fifo", 10).0, ["a2"]);
    world.advance(301).unwrap();
    send(&mut world, "a1 later", "a", "1").unwrap();
    world.advance(31).unwrap();
    assert_eq!(receive(&mut world, "orders.fifo", 10).0, ["a2", "b1", "a1 later"]);
}

#[test]
fn batches_answer_per_entry_and_check_the_whole_batch_first() {
    let mut world = World::default();
    call(&mut world, "CreateQueue", json!({"QueueName": "q"})).unwrap();
    let url = format!("{URL}/q");
    let answer = call(
        &mut world,
        "SendMessageBatch",
        json!({"QueueUrl": url, "Entries": [{"Id": "ok", "MessageBody": "fine"}, {"Id": "bad", "MessageBody": "x", "DelaySeconds": 1000}]}),
    )
    .unwrap();
    assert_eq!(answer["Successful"][0]["Id"], "ok");
    assert_eq!(answer["Successful"][0]["MD5OfMessageBody"], "fff25994ee3941b225ba898fd17d186f");
    assert_eq!(answer["Failed"][0]["Code"], "InvalidParameterValue");
    for (entries, code) in [
        (json!([]), "AWS.SimpleQueueService.EmptyBatchRequest"),
        (
            json!([{"Id": "a", "MessageBody": "1"}, {"Id": "a", "MessageBody": "2"}]),
            "AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
        ),
        (json!([{"Id": "no spaces", "MessageBody": "1"}]), "AWS.SimpleQueueService.InvalidBatchEntryId"),
        (
            json!((0..11).map(|i| json!({"Id": format!("m{i}"), "MessageBody": "x"})).collect::<Vec<_>>()),
            "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
        ),
    ] {
        let e = call(&mut world, "SendMessageBatch", json!({"QueueUrl": url, "Entries": entries})).unwrap_err();
        assert_eq!(e.code, code);
    }
    // Only the first good entry was ever enqueued.
    assert_eq!(receive(&mut world, "q", 10).0, ["fine"]);
}

/// SQS's delivery laws against a naive model: what was sent and not deleted is all delivered
/// again once visibility timeouts run out (at least once); a FIFO group is delivered in order.
mod laws {
    use super::{call, URL};
    use lab_core::World;
    use proptest::prelude::*;
    use serde_json::json;

    #[derive(Clone, Debug)]
    enum Op {
        Send(u8),
        Receive {
            max: u64,
            visibility: u64,
        },
        /// Deletes with the n-th receipt handle handed out so far (a stale one deletes nothing).
        Delete(usize),
        Advance(u64),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (0u8..3).prop_map(Op::Send),
            (1u64..4, 0u64..40).prop_map(|(max, visibility)| Op::Receive { max, visibility }),
            (0usize..8).prop_map(Op::Delete),
            (0u64..50).prop_map(Op::Advance),
        ]
    }

    /// What a run did: messages sent in order (id, group), ids deleted, deliveries in order.
    struct Run {
        world: World,
        url: String,
        sent: Vec<(String, u8)>,
        deleted: Vec<String>,
        received: Vec<String>,
    }

    fn play(fifo: bool, ops: &[Op]) -> Run {
        let mut world = World::default();
        let name = if fifo { "q.fifo" } else { "q" };
        let attributes = if fifo { json!({"FifoQueue": "true"}) } else { json!({}) };
        call(&mut world, "CreateQueue", json!({"QueueName": name, "Attributes": attributes})).unwrap();
        let url = format!("{URL}/{name}");
        let (mut sent, mut deleted, mut received, mut handles) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::<(String, String)>::new());
        for (n, op) in ops.iter().enumerate() {
            match op {
                Op::Send(group) => {
                    let mut request = json!({"QueueUrl": url, "MessageBody": group.to_string()});
                    if fifo {
                        request["MessageGroupId"] = json!(format!("g{group}"));
                        request["MessageDeduplicationId"] = json!(format!("d{n}"));
                    }
                    let answer = call(&mut world, "SendMessage", request).unwrap();
                    sent.push((answer["MessageId"].as_str().unwrap().to_string(), *group));
                }
                Op::Receive { max, visibility } => {
                    let request = json!({"QueueUrl": url, "MaxNumberOfMessages": max, "VisibilityTimeout": visibility});
                    let answer = call(&mut world, "ReceiveMessage", request).unwrap();
                    for m in answer["Messages"].as_array().cloned().unwrap_or_default() {
                        let id = m["MessageId"].as_str().unwrap().to_string();
                        received.push(id.clone());
                        handles.push((id, m["ReceiptHandle"].as_str().unwrap().to_string()));
                    }
                }
                Op::Delete(i) => {
                    if let Some((id, handle)) = handles.get(*i).cloned() {
                        let latest = handles.iter().rev().find(|(other, _)| *other == id).map(|(_, h)| h.clone());
                        call(&mut world, "DeleteMessage", json!({"QueueUrl": url, "ReceiptHandle": handle})).unwrap();
                        if latest.as_deref() == Some(handle.as_str()) && !deleted.contains(&id) {
                            deleted.push(id);
                        }
                    }
                }
                Op::Advance(s) => {
                    world.advance(*s).unwrap();
                }
            }
        }
        Run { world, url, sent, deleted, received }
    }

    /// Once every visibility timeout is over: receives, deleting each message, until none is left.
    fn drain(run: &mut Run) -> Vec<String> {
        run.world.advance(100).unwrap();
        let mut out = Vec::new();
        loop {
            let request = json!({"QueueUrl": run.url, "MaxNumberOfMessages": 10, "VisibilityTimeout": 40});
            let answer = call(&mut run.world, "ReceiveMessage", request).unwrap();
            let batch = answer["Messages"].as_array().cloned().unwrap_or_default();
            if batch.is_empty() {
                return out;
            }
            for m in batch {
                out.push(m["MessageId"].as_str().unwrap().to_string());
                let handle = m["ReceiptHandle"].clone();
                call(&mut run.world, "DeleteMessage", json!({"QueueUrl": run.url, "ReceiptHandle": handle})).unwrap();
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        #[test]
        fn every_message_not_deleted_is_delivered_again_and_a_deleted_one_never(
            fifo in any::<bool>(),
            ops in prop::collection::vec(op(), 1..40),
        ) {
            let mut run = play(fifo, &ops);
            // A deleted message is not received after its deletion: it is not in the drain either.
            let mut left = drain(&mut run);
            left.sort();
            let mut expected: Vec<String> = run.sent.iter().map(|(id, _)| id.clone()).filter(|id| !run.deleted.contains(id)).collect();
            expected.sort();
            prop_assert_eq!(left, expected);
        }

        #[test]
        fn a_fifo_group_is_first_delivered_in_the_order_it_was_sent(ops in prop::collection::vec(op(), 1..40)) {
            let mut run = play(true, &ops);
            let mut firsts: Vec<String> = Vec::new();
            let drained = drain(&mut run);
            for id in run.received.iter().chain(&drained) {
                if !firsts.contains(id) {
                    firsts.push(id.clone());
                }
            }
            for group in 0u8..3 {
                let sent: Vec<&String> = run.sent.iter().filter(|(_, g)| *g == group).map(|(id, _)| id).collect();
                let delivered: Vec<&String> = firsts.iter().filter(|id| sent.contains(id)).collect();
                // Every message of the group is delivered at some point, in the order it was sent.
                prop_assert_eq!(delivered, sent);
            }
        }
    }
}
