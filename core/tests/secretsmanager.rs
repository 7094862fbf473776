//! Secrets Manager through the wire entry point, as transcripts: each line of a script is
//! `Action {request}` or `advance SECONDS`, and the transcript shows each answer. Dates are the
//! virtual clock's; the random parts (ARN suffixes, generated version ids) are shown as
//! `XXXXXX` and `<uuid>` so transcripts read cleanly.

mod transcript;

use lab_core::World;
use serde_json::Value;

/// Runs `script` in `world` and renders every answer, one line each, with the random parts hidden.
fn run(world: &mut World, script: &str) -> String {
    transcript::run(world, "secretsmanager", script, &|answer| scrub(&transcript::plain(answer)))
}

/// Hides what the seeded ids choose: the six characters that end a secret's ARN, and version ids
/// the world generated (the tokens the scripts give, `11111111-...`, stay).
fn scrub(text: &str) -> String {
    let mut out = text.to_string();
    let mut from = 0;
    while let Some(at) = out[from..].find(":secret:").map(|i| from + i) {
        let rest = &out[at..];
        let mut end = at + rest.find(['"', ' ']).unwrap_or(rest.len());
        if out[..end].ends_with('.') {
            end -= 1;
        }
        if end >= at + 8 + 7 && out.as_bytes()[end - 7] == b'-' {
            out.replace_range(end - 6..end, "XXXXXX");
        }
        from = end;
    }
    transcript::hide_uuids(&out)
}

/// Runs `script` in a fresh account and compares the transcript with `expect`.
fn check(script: &str, expect: &str) {
    let got = run(&mut World::default(), script);
    assert_eq!(got.trim_end(), expect.trim(), "\n--- got ---\n{got}");
}

const CREATE: &str = r#"CreateSecret {"Name": "orders/payment-api-key", "SecretString": "{\"apiKey\":\"sk-1\"}", "Description": "Payment provider key", "ClientRequestToken": "11111111-1111-4111-8111-111111111111"}"#;

#[test]
fn versions_move_their_labels_as_values_change() {
    insta::assert_snapshot!(run(
        &mut World::default(),
        &format!(
            r#"
{CREATE}
GetSecretValue {{"SecretId": "orders/payment-api-key"}}
PutSecretValue {{"SecretId": "orders/payment-api-key", "SecretString": "{{\"apiKey\":\"sk-2\"}}", "ClientRequestToken": "22222222-2222-4222-8222-222222222222"}}
GetSecretValue {{"SecretId": "orders/payment-api-key"}}
GetSecretValue {{"SecretId": "orders/payment-api-key", "VersionStage": "AWSPREVIOUS"}}
GetSecretValue {{"SecretId": "orders/payment-api-key", "VersionId": "11111111-1111-4111-8111-111111111111"}}
advance 60
UpdateSecret {{"SecretId": "orders/payment-api-key", "SecretString": "{{\"apiKey\":\"sk-3\"}}", "Description": "Rotated by hand"}}
ListSecretVersionIds {{"SecretId": "orders/payment-api-key"}}
ListSecretVersionIds {{"SecretId": "orders/payment-api-key", "IncludeDeprecated": true}}
PutSecretValue {{"SecretId": "orders/payment-api-key", "SecretString": "staged", "VersionStages": ["test"], "ClientRequestToken": "44444444-4444-4444-8444-444444444444"}}
GetSecretValue {{"SecretId": "orders/payment-api-key", "VersionStage": "test"}}
DescribeSecret {{"SecretId": "orders/payment-api-key"}}
UpdateSecret {{"SecretId": "orders/payment-api-key", "KmsKeyId": "alias/orders"}}
ListSecretVersionIds {{"SecretId": "orders/payment-api-key", "MaxResults": 1}}
"#
        )
    ));
}

#[test]
fn a_secret_is_found_by_name_full_arn_or_partial_arn() {
    let mut world = World::default();
    let request: Value = serde_json::from_str(CREATE.split_once(' ').unwrap().1).unwrap();
    let arn = world.call("secretsmanager", "CreateSecret", &request).unwrap()["ARN"].as_str().unwrap().to_string();
    let partial = "arn:aws:secretsmanager:ap-southeast-1:123456789012:secret:orders/payment-api-key";
    assert_eq!(arn.len(), partial.len() + 7, "{arn}: a hyphen and six characters end the ARN");
    let got = run(
        &mut world,
        &format!(
            r#"
DescribeSecret {{"SecretId": "{arn}"}}
GetSecretValue {{"SecretId": "{partial}"}}
DescribeSecret {{"SecretId": "{arn}X"}}
DescribeSecret {{"SecretId": "{partial}-zzzzzz"}}
DescribeSecret {{"SecretId": "arn:aws:secretsmanager:ap-southeast-1:123456789012:secret:"}}
# A name that itself ends like a suffix is found by its name and its full ARN, not by the ARN without the suffix.
CreateSecret {{"Name": "db-abcdef", "SecretString": "x"}}
DescribeSecret {{"SecretId": "arn:aws:secretsmanager:ap-southeast-1:123456789012:secret:db-abcdef"}}
GetSecretValue {{"SecretId": "db-abcdef"}}
"#
        ),
    );
    assert_eq!(
        got.trim_end(),
        r#"
DescribeSecret -> ok {"ARN":"arn:aws:secretsmanager:ap-southeast-1:123456789012:secret:orders/payment-api-key-XXXXXX","CreatedDate":1735689600.0,"Description":"Payment provider key","LastChangedDate":1735689600.0,"Name":"orders/payment-api-key","VersionIdsToStages":{"11111111-1111-4111-8111-111111111111":["AWSCURRENT"]}}
GetSecretValue -> ok {"ARN":"arn:aws:secretsmanager:ap-southeast-1:123456789012:secret:orders/payment-api-key-XXXXXX","CreatedDate":1735689600.0,"Name":"orders/payment-api-key","SecretString":"{\"apiKey\":\"sk-1\"}","VersionId":"11111111-1111-4111-8111-111111111111","VersionStages":["AWSCURRENT"]}
DescribeSecret -> ResourceNotFoundException: Secrets Manager can't find the specified secret.
DescribeSecret -> ResourceNotFoundException: Secrets Manager can't find the specified secret.
DescribeSecret -> ResourceNotFoundException: Secrets Manager can't find the specified secret.
CreateSecret -> ok {"ARN":"arn:aws:secretsmanager:ap-southeast-1:123456789012:secret:db-abcdef-XXXXXX","Name":"db-abcdef","VersionId":"<uuid>"}
DescribeSecret -> ResourceNotFoundException: Secrets Manager can't find the specified secret.
GetSecretValue -> ok {"ARN":"arn:aws:secretsmanager:ap-southeast-1:123456789012:secret:db-abcdef-XXXXXX","CreatedDate":1735689600.0,"Name":"db-abcdef","SecretString":"x","VersionId":"<uuid>","VersionStages":["AWSCURRENT"]}
"#
        .trim()
    );
}

#[test]
fn create_secret_validation_and_idempotency() {
    check(
        &format!(
            r#"
CreateSecret {{"Name": "bad name!", "SecretString": "x"}}
CreateSecret {{"Name": "", "SecretString": "x"}}
CreateSecret {{"SecretString": "x"}}
CreateSecret {{"Name": "s", "SecretString": "x", "SecretBinary": "eA=="}}
CreateSecret {{"Name": "s", "SecretString": ""}}
CreateSecret {{"Name": "s", "SecretString": "x", "ClientRequestToken": "short"}}
CreateSecret {{"Name": "s", "SecretBinary": "not base64"}}
CreateSecret {{"Name": "s", "SecretString": "x", "Type": "partner"}}
CreateSecret {{"Name": "s", "SecretString": "x", "Tags": [{{"Key": "", "Value": "v"}}]}}
{CREATE}
{CREATE}
CreateSecret {{"Name": "orders/payment-api-key", "SecretString": "other", "ClientRequestToken": "11111111-1111-4111-8111-111111111111"}}
CreateSecret {{"Name": "orders/payment-api-key", "SecretString": "x"}}
CreateSecret {{"Name": "empty"}}
GetSecretValue {{"SecretId": "empty"}}
PutSecretValue {{"SecretId": "empty"}}
PutSecretValue {{"SecretId": "empty", "SecretBinary": "AAEC/w=="}}
GetSecretValue {{"SecretId": "empty"}}
"#
        ),
        r#"
CreateSecret -> ValidationException: Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!
CreateSecret -> ParamValidation: Parameter validation failed:
Invalid length for parameter Name, value: 0, valid min length: 1
CreateSecret -> ParamValidation: Parameter validation failed:
Missing required parameter in input: "Name"
CreateSecret -> InvalidParameterException: You can't specify both a binary secret value and a string secret value in the same secret.
CreateSecret -> ParamValidation: Parameter validation failed:
Invalid length for parameter SecretString, value: 0, valid min length: 1
CreateSecret -> ParamValidation: Parameter validation failed:
Invalid length for parameter ClientRequestToken, value: 5, valid min length: 32
CreateSecret -> SerializationException: Base64 encoded length is expected a multiple of 4 bytes but found: 10
CreateSecret -> SimulatorLimitation: The simulator does not support Type yet; see docs/differences.md.
CreateSecret -> ParamValidation: Parameter validation failed:
Invalid length for parameter Tags[0].Key, value: 0, valid min length: 1
CreateSecret -> ok {"ARN":"arn:aws:secretsmanager:ap-southeast-1:123456789012:secret:orders/payment-api-key-XXXXXX","Name":"orders/payment-api-key","VersionId":"11111111-1111-4111-8111-111111111111"}
CreateSecret -> ok {"ARN":"arn:aws:secretsmanager:ap-southeast-1:123456789012:secret:orders/payment-api-key-XXXXXX","Name":"orders/payment-api-key","VersionId":"11111111-1111-4111-8111-111111111111"}
CreateSecret -> ResourceExistsException: You can't use ClientRequestToken 11111111-1111-4111-8111-111111111111 because that value is already in use for a version of secret arn:aws:secretsmanager:ap-southeast-1:123456789012:secret:orders/payment-api-key-XXXXXX.
CreateSecret -> ResourceExistsException: The operation failed because the secret orders/payment-api-key already exists.
CreateSecret -> ok {"ARN":"arn:aws:secretsmanager:ap-southeast-1:123456789012:secret:empty-XXXXXX","Name":"empty"}
GetSecretValue -> ResourceNotFoundException: Secrets Manager can't find the specified secret value for staging label: AWSCURRENT
PutSecretValue -> InvalidRequestException: You must provide either SecretString or SecretBinary.
PutSecretValue -> ok {"ARN":"arn:aws:secretsmanager:ap-southeast-1:123456789012:secret:empty-XXXXXX","Name":"empty","VersionId":"<uuid>","VersionStages":["AWSCURRENT"]}
GetSecretValue -> ok {"ARN":"arn:aws:secretsmanager:ap-southeast-1:123456789012:secret:empty-XXXXXX","CreatedDate":1735689600.0,"Name":"empty","SecretBinary":"AAEC/w==","VersionId":"<uuid>","VersionStages":["AWSCURRENT"]}
"#,
    );
}

#[test]
fn get_secret_value_errors() {
    check(
        &format!(
            r#"
GetSecretValue {{"SecretId": "nope"}}
GetSecretValue {{"SecretId": "has space"}}
{CREATE}
GetSecretValue {{"SecretId": "orders/payment-api-key", "VersionStage": "AWSPREVIOUS"}}
GetSecretValue {{"SecretId": "orders/payment-api-key", "VersionId": "99999999-9999-4999-8999-999999999999"}}
GetSecretValue {{"SecretId": "orders/payment-api-key", "VersionId": "11111111-1111-4111-8111-111111111111", "VersionStage": "AWSPREVIOUS"}}
GetSecretValue {{"SecretId": "orders/payment-api-key", "VersionId": "short"}}
PutSecretValue {{"SecretId": "orders/payment-api-key", "SecretString": "again", "ClientRequestToken": "11111111-1111-4111-8111-111111111111"}}
PutSecretValue {{"SecretId": "orders/payment-api-key", "SecretString": "{{\"apiKey\":\"sk-1\"}}", "ClientRequestToken": "11111111-1111-4111-8111-111111111111"}}
"#
        ),
        r#"
GetSecretValue -> ResourceNotFoundException: Secrets Manager can't find the specified secret.
GetSecretValue -> ValidationException: Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!
CreateSecret -> ok {"ARN":"arn:aws:secretsmanager:ap-southeast-1:123456789012:secret:orders/payment-api-key-XXXXXX","Name":"orders/payment-api-key","VersionId":"11111111-1111-4111-8111-111111111111"}
GetSecretValue -> ResourceNotFoundException: Secrets Manager can't find the specified secret value for staging label: AWSPREVIOUS
GetSecretValue -> ResourceNotFoundException: Secrets Manager can't find the specified secret value for VersionId: 99999999-9999-4999-8999-999999999999
GetSecretValue -> InvalidRequestException: You provided a VersionStage that is not associated to the provided VersionId.
GetSecretValue -> ParamValidation: Parameter validation failed:
Invalid length for parameter VersionId, value: 5, valid min length: 32
PutSecretValue -> ResourceExistsException: You can't use ClientRequestToken 11111111-1111-4111-8111-111111111111 because that value is already in use for a version of secret arn:aws:secretsmanager:ap-southeast-1:123456789012:secret:orders/payment-api-key-XXXXXX.
PutSecretValue -> ok {"ARN":"arn:aws:secretsmanager:ap-southeast-1:123456789012:secret:orders/payment-api-key-XXXXXX","Name":"orders/payment-api-key","VersionId":"11111111-1111-4111-8111-111111111111","VersionStages":["AWSCURRENT"]}
"#,
    );
}

#[test]
fn a_deleted_secret_waits_out_its_recovery_window_then_is_gone() {
    insta::assert_snapshot!(run(
        &mut World::default(),
        &format!(
            r#"
{CREATE}
DeleteSecret {{"SecretId": "orders/payment-api-key"}}
GetSecretValue {{"SecretId": "orders/payment-api-key"}}
PutSecretValue {{"SecretId": "orders/payment-api-key", "SecretString": "x"}}
UpdateSecret {{"SecretId": "orders/payment-api-key", "Description": "x"}}
TagResource {{"SecretId": "orders/payment-api-key", "Tags": [{{"Key": "a", "Value": "b"}}]}}
UntagResource {{"SecretId": "orders/payment-api-key", "TagKeys": ["a"]}}
DescribeSecret {{"SecretId": "orders/payment-api-key"}}
ListSecrets
ListSecrets {{"IncludePlannedDeletion": true}}
ListSecretVersionIds {{"SecretId": "orders/payment-api-key"}}
CreateSecret {{"Name": "orders/payment-api-key", "SecretString": "new"}}
DeleteSecret {{"SecretId": "orders/payment-api-key"}}
RestoreSecret {{"SecretId": "orders/payment-api-key"}}
GetSecretValue {{"SecretId": "orders/payment-api-key"}}
# The 30-day job of the first deletion finds the secret restored and leaves it.
advance 2678400
DescribeSecret {{"SecretId": "orders/payment-api-key"}}
DeleteSecret {{"SecretId": "orders/payment-api-key", "RecoveryWindowInDays": 7}}
advance 604799
DescribeSecret {{"SecretId": "orders/payment-api-key"}}
advance 1
DescribeSecret {{"SecretId": "orders/payment-api-key"}}
RestoreSecret {{"SecretId": "orders/payment-api-key"}}
CreateSecret {{"Name": "orders/payment-api-key", "SecretString": "new"}}
"#
        )
    ));
}

#[test]
fn delete_secret_options() {
    check(
        &format!(
            r#"
DeleteSecret {{"SecretId": "nope"}}
{CREATE}
DeleteSecret {{"SecretId": "orders/payment-api-key", "RecoveryWindowInDays": 6}}
DeleteSecret {{"SecretId": "orders/payment-api-key", "RecoveryWindowInDays": 31}}
DeleteSecret {{"SecretId": "orders/payment-api-key", "RecoveryWindowInDays": 7, "ForceDeleteWithoutRecovery": true}}
DeleteSecret {{"SecretId": "orders/payment-api-key", "RecoveryWindowInDays": 10, "ForceDeleteWithoutRecovery": false}}
DeleteSecret {{"SecretId": "orders/payment-api-key"}}
DeleteSecret {{"SecretId": "orders/payment-api-key", "ForceDeleteWithoutRecovery": true}}
DescribeSecret {{"SecretId": "orders/payment-api-key"}}
CreateSecret {{"Name": "orders/payment-api-key", "SecretString": "fresh"}}
"#
        ),
        r#"
DeleteSecret -> ResourceNotFoundException: Secrets Manager can't find the specified secret.
CreateSecret -> ok {"ARN":"arn:aws:secretsmanager:ap-southeast-1:123456789012:secret:orders/payment-api-key-XXXXXX","Name":"orders/payment-api-key","VersionId":"11111111-1111-4111-8111-111111111111"}
DeleteSecret -> InvalidParameterException: The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).
DeleteSecret -> InvalidParameterException: The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).
DeleteSecret -> InvalidParameterException: You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.
DeleteSecret -> ok {"ARN":"arn:aws:secretsmanager:ap-southeast-1:123456789012:secret:orders/payment-api-key-XXXXXX","DeletionDate":1736553600.0,"Name":"orders/payment-api-key"}
DeleteSecret -> InvalidRequestException: You tried to perform the operation on a secret that's currently marked deleted.
DeleteSecret -> ok {"ARN":"arn:aws:secretsmanager:ap-southeast-1:123456789012:secret:orders/payment-api-key-XXXXXX","DeletionDate":1735689600.0,"Name":"orders/payment-api-key"}
DescribeSecret -> ResourceNotFoundException: Secrets Manager can't find the specified secret.
CreateSecret -> ok {"ARN":"arn:aws:secretsmanager:ap-southeast-1:123456789012:secret:orders/payment-api-key-XXXXXX","Name":"orders/payment-api-key","VersionId":"<uuid>"}
"#,
    );
}

#[test]
fn tags_are_metadata_kept_in_order() {
    check(
        r#"
CreateSecret {"Name": "s", "SecretString": "x", "Tags": [{"Key": "team", "Value": "orders"}]}
TagResource {"SecretId": "s", "Tags": [{"Key": "env", "Value": "dev"}, {"Key": "team", "Value": "payments"}]}
DescribeSecret {"SecretId": "s"}
UntagResource {"SecretId": "s", "TagKeys": ["team", "absent"]}
UntagResource {"SecretId": "s", "TagKeys": ["env"]}
DescribeSecret {"SecretId": "s"}
TagResource {"SecretId": "s"}
TagResource {"SecretId": "nope", "Tags": []}
"#,
        r#"
CreateSecret -> ok {"ARN":"arn:aws:secretsmanager:ap-southeast-1:123456789012:secret:s-XXXXXX","Name":"s","VersionId":"<uuid>"}
TagResource -> ok {}
DescribeSecret -> ok {"ARN":"arn:aws:secretsmanager:ap-southeast-1:123456789012:secret:s-XXXXXX","CreatedDate":1735689600.0,"LastChangedDate":1735689600.0,"Name":"s","Tags":[{"Key":"team","Value":"payments"},{"Key":"env","Value":"dev"}],"VersionIdsToStages":{"<uuid>":["AWSCURRENT"]}}
UntagResource -> ok {}
UntagResource -> ok {}
DescribeSecret -> ok {"ARN":"arn:aws:secretsmanager:ap-southeast-1:123456789012:secret:s-XXXXXX","CreatedDate":1735689600.0,"LastChangedDate":1735689600.0,"Name":"s","Tags":[],"VersionIdsToStages":{"<uuid>":["AWSCURRENT"]}}
TagResource -> ParamValidation: Parameter validation failed:
Missing required parameter in input: "Tags"
TagResource -> ResourceNotFoundException: Secrets Manager can't find the specified secret.
"#,
    );
}

#[test]
fn list_secrets_filters_sorts_and_pages() {
    let mut world = World::default();
    run(
        &mut world,
        r#"
CreateSecret {"Name": "orders/db", "SecretString": "x", "Description": "Orders DATABASE", "Tags": [{"Key": "team", "Value": "orders"}]}
advance 10
CreateSecret {"Name": "orders/payment-api-key", "SecretString": "x", "Tags": [{"Key": "team", "Value": "payments"}]}
advance 10
CreateSecret {"Name": "billing/db", "SecretString": "x", "Description": "Billing database"}
"#,
    );
    let names = |world: &mut World, request: &str| -> String {
        let request: Value = serde_json::from_str(request).unwrap();
        match world.call("secretsmanager", "ListSecrets", &request) {
            Ok(answer) => {
                let names: Vec<&str> =
                    answer["SecretList"].as_array().unwrap().iter().map(|s| s["Name"].as_str().unwrap()).collect();
                format!("{} {}", names.join(" "), answer.get("NextToken").map_or("", |_| "(more)"))
            }
            Err(e) => format!("{}: {}", e.code, e.message),
        }
    };
    let mut got = String::new();
    for request in [
        r#"{}"#,
        r#"{"SortOrder": "desc"}"#,
        r#"{"SortBy": "name"}"#,
        r#"{"Filters": [{"Key": "name", "Values": ["orders/"]}]}"#,
        r#"{"Filters": [{"Key": "name", "Values": ["db"]}]}"#,
        r#"{"Filters": [{"Key": "name", "Values": ["!orders"]}]}"#,
        r#"{"Filters": [{"Key": "description", "Values": ["orders data"]}]}"#,
        r#"{"Filters": [{"Key": "description", "Values": ["billing"]}]}"#,
        r#"{"Filters": [{"Key": "tag-key", "Values": ["team"]}, {"Key": "tag-value", "Values": ["pay"]}]}"#,
        r#"{"Filters": [{"Key": "all", "Values": ["DATABASE"]}]}"#,
        r#"{"Filters": [{"Key": "all", "Values": ["pay orders"]}]}"#,
        r#"{"Filters": [{"Key": "primary-region", "Values": ["ap-southeast"]}]}"#,
        r#"{"Filters": [{"Key": "color", "Values": ["red"]}]}"#,
        r#"{"Filters": [{"Key": "name", "Values": []}]}"#,
        r#"{"Filters": [{"Key": "name", "Values": ["a*"]}]}"#,
        r#"{"MaxResults": 2}"#,
        r#"{"MaxResults": 2, "NextToken": "MQ"}"#,
        r#"{"MaxResults": 2, "NextToken": "Mg"}"#,
        r#"{"NextToken": "not a token"}"#,
        r#"{"MaxResults": 0}"#,
        r#"{"MaxResults": 101}"#,
        r#"{"SortOrder": "up"}"#,
    ] {
        got.push_str(&format!("{request} -> {}\n", names(&mut world, request)));
    }
    insta::assert_snapshot!(got);
}

#[test]
fn last_accessed_date_is_the_day_of_the_last_read_by_the_learner() {
    let mut world = World::default();
    run(&mut world, &format!("{CREATE}\nadvance 45000"));
    let describe = |world: &World| {
        world
            .read("secretsmanager", "DescribeSecret", &serde_json::json!({"SecretId": "orders/payment-api-key"}))
            .unwrap()
    };
    // A lab check or a console reading the value leaves no trace.
    let peeked =
        world.read("secretsmanager", "GetSecretValue", &serde_json::json!({"SecretId": "orders/payment-api-key"}));
    assert_eq!(peeked.unwrap()["SecretString"], "{\"apiKey\":\"sk-1\"}");
    assert!(describe(&world).get("LastAccessedDate").is_none());
    // The learner's read is recorded at the day's resolution: 2025-01-01T12:30Z reads as 2025-01-01.
    run(&mut world, r#"GetSecretValue {"SecretId": "orders/payment-api-key"}"#);
    assert_eq!(describe(&world)["LastAccessedDate"], 1_735_689_600.0);
    let versions = world
        .read("secretsmanager", "ListSecretVersionIds", &serde_json::json!({"SecretId": "orders/payment-api-key"}))
        .unwrap();
    assert_eq!(versions["Versions"][0]["LastAccessedDate"], 1_735_689_600.0);
    run(&mut world, "advance 86400\nGetSecretValue {\"SecretId\": \"orders/payment-api-key\"}");
    assert_eq!(describe(&world)["LastAccessedDate"], 1_735_776_000.0);
    assert!(world.read("secretsmanager", "PutSecretValue", &serde_json::json!({})).is_err());
}
