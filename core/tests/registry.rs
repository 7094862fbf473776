//! The registry as the outside sees it: the services and operations a front end can name.

use lab_core::world::{actions, read_only_actions, SERVICES};
use lab_core::World;
use serde_json::json;

#[test]
fn the_simulated_services_in_registry_order() {
    assert_eq!(
        SERVICES,
        ["dynamodb", "dynamodbstreams", "sts", "iam", "lambda", "secretsmanager", "logs", "sqs", "kinesis"]
    );
    let err = World::default().call("s3", "ListBuckets", &json!({})).unwrap_err();
    assert_eq!(
        err.to_string(),
        "UnknownService: The simulated account has no service named \"s3\". Simulated services: dynamodb, dynamodbstreams, sts, iam, lambda, secretsmanager, logs, sqs, kinesis."
    );
}

#[test]
fn every_stream_operation_only_reads() {
    assert_eq!(read_only_actions("dynamodbstreams"), actions("dynamodbstreams"));
    assert_eq!(read_only_actions("sts"), ["GetCallerIdentity"]);
    assert!(read_only_actions("dynamodb").contains(&"DescribeTable"));
    assert!(!read_only_actions("dynamodb").contains(&"PutItem"));
    assert!(read_only_actions("iam").contains(&"GetRole") && !read_only_actions("iam").contains(&"CreateRole"));
    assert!(read_only_actions("s3").is_empty());
    assert_eq!(
        read_only_actions("secretsmanager"),
        ["DescribeSecret", "GetSecretValue", "ListSecretVersionIds", "ListSecrets"]
    );
    assert!(read_only_actions("logs").contains(&"FilterLogEvents"));
    assert!(!read_only_actions("logs").contains(&"PutLogEvents"));
    // ReceiveMessage changes visibility: it is not a read.
    assert!(
        read_only_actions("sqs").contains(&"GetQueueAttributes")
            && !read_only_actions("sqs").contains(&"ReceiveMessage")
    );
}

#[test]
fn a_save_without_a_service_loads_with_that_service_empty() {
    let mut saved = serde_json::to_value(World::default()).unwrap();
    saved.as_object_mut().unwrap().remove("sts");
    saved.as_object_mut().unwrap().remove("dynamodb");
    saved.as_object_mut().unwrap().remove("iam");
    saved.as_object_mut().unwrap().remove("lambda");
    saved.as_object_mut().unwrap().remove("secretsmanager");
    saved.as_object_mut().unwrap().remove("sqs");
    saved.as_object_mut().unwrap().remove("kinesis");
    saved.as_object_mut().unwrap().remove("logs");
    let world: World = serde_json::from_value(saved).unwrap();
    assert_eq!(world, World::default());
}
