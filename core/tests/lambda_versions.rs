//! Lambda's versions, aliases, resource policies, layers and reserved concurrency, as
//! transcripts: each script line is `Action {request}` or `advance SECONDS` against `lambda`, and
//! the transcript shows each answer (the uuids the world made, revision ids and request ids,
//! shown as `<uuid>`).

mod transcript;

use lab_core::lambda::package;
use lab_core::wire::encode_base64;
use lab_core::World;
use serde_json::{json, Value};

const ACCOUNT: &str = "123456789012";
const TRUST_LAMBDA: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;

fn zip(files: &[(&str, &str)]) -> String {
    encode_base64(&package::write(files, true))
}

/// A world with the role `app` (trusting Lambda, with the basic execution policy).
fn world() -> World {
    let mut world = World::default();
    world.call("iam", "CreateRole", &json!({"RoleName": "app", "AssumeRolePolicyDocument": TRUST_LAMBDA})).unwrap();
    let policy = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";
    world.call("iam", "AttachRolePolicy", &json!({"RoleName": "app", "PolicyArn": policy})).unwrap();
    world
}

fn run(world: &mut World, script: &str) -> String {
    transcript::run(world, "lambda", script, &|answer| transcript::hide_uuids(&transcript::plain(answer)))
}

/// A CreateFunction request line for `name` running `code` as index.mjs.
fn create_line(name: &str, code: &str, extra: &str) -> String {
    let request = json!({
        "FunctionName": name, "Runtime": "nodejs22.x", "Role": format!("arn:aws:iam::{ACCOUNT}:role/app"),
        "Handler": "index.handler", "Code": {"ZipFile": zip(&[("index.mjs", code)])},
    });
    let mut text = request.to_string();
    if !extra.is_empty() {
        text.pop();
        text.push_str(&format!(",{extra}}}"));
    }
    format!("CreateFunction {text}")
}

fn code_line(name: &str, code: &str, extra: &str) -> String {
    let mut request = json!({"FunctionName": name, "ZipFile": zip(&[("index.mjs", code)])}).to_string();
    if !extra.is_empty() {
        request.pop();
        request.push_str(&format!(",{extra}}}"));
    }
    format!("UpdateFunctionCode {request}")
}

const V1: &str = "export const handler = async () => ({ version: 'one' });";
const V2: &str = "export const handler = async () => ({ version: 'two' });";

#[test]
fn versions_freeze_latest_and_aliases_name_them() {
    let mut world = world();
    let script = format!(
        r#"
{create}
advance 2
# Nothing changed since version 1: Lambda answers version 1 again.
PublishVersion {{"FunctionName": "orders"}}
{update}
PublishVersion {{"FunctionName": "orders", "Description": "second"}}
advance 2
PublishVersion {{"FunctionName": "orders", "Description": "second"}}
PublishVersion {{"FunctionName": "orders", "CodeSha256": "not-the-sha"}}
ListVersionsByFunction {{"FunctionName": "orders"}}
ListVersionsByFunction {{"FunctionName": "orders", "MaxItems": 2}}
GetFunctionConfiguration {{"FunctionName": "orders", "Qualifier": "1"}}
GetFunctionConfiguration {{"FunctionName": "orders:7"}}
Invoke {{"FunctionName": "orders", "Qualifier": "1"}}
Invoke {{"FunctionName": "orders:2"}}
CreateAlias {{"FunctionName": "orders", "Name": "live", "FunctionVersion": "1", "Description": "what customers call"}}
CreateAlias {{"FunctionName": "orders", "Name": "live", "FunctionVersion": "1"}}
CreateAlias {{"FunctionName": "orders", "Name": "42", "FunctionVersion": "1"}}
CreateAlias {{"FunctionName": "orders", "Name": "beta", "FunctionVersion": "9"}}
CreateAlias {{"FunctionName": "orders", "Name": "beta", "FunctionVersion": "$LATEST", "RoutingConfig": {{"AdditionalVersionWeights": {{"2": 0.5}}}}}}
CreateAlias {{"FunctionName": "orders", "Name": "beta", "FunctionVersion": "1", "RoutingConfig": {{"AdditionalVersionWeights": {{"2": 1.5}}}}}}
UpdateAlias {{"FunctionName": "orders", "Name": "live", "RoutingConfig": {{"AdditionalVersionWeights": {{"2": 0.1}}}}}}
GetAlias {{"FunctionName": "orders", "Name": "live"}}
ListAliases {{"FunctionName": "orders"}}
ListAliases {{"FunctionName": "orders", "FunctionVersion": "2"}}
GetFunctionConfiguration {{"FunctionName": "orders", "Qualifier": "live"}}
DeleteFunction {{"FunctionName": "orders", "Qualifier": "2"}}
DeleteFunction {{"FunctionName": "orders", "Qualifier": "$LATEST"}}
UpdateFunctionConfiguration {{"FunctionName": "orders:1", "Timeout": 10}}
UpdateAlias {{"FunctionName": "orders", "Name": "live", "FunctionVersion": "2", "RoutingConfig": {{"AdditionalVersionWeights": {{}}}}}}
DeleteFunction {{"FunctionName": "orders", "Qualifier": "1"}}
ListVersionsByFunction {{"FunctionName": "orders"}}
DeleteAlias {{"FunctionName": "orders", "Name": "live"}}
GetAlias {{"FunctionName": "orders", "Name": "live"}}
"#,
        create = create_line("orders", V1, r#""Publish": true"#),
        update = code_line("orders", V2, ""),
    );
    insta::assert_snapshot!(run(&mut world, &script));
}

#[test]
fn an_alias_with_routing_sends_about_its_weight_to_the_second_version() {
    let mut world = world();
    let script = format!(
        "{}\nadvance 2\n{}\nadvance 2\nPublishVersion {{\"FunctionName\": \"orders\"}}\n",
        create_line("orders", V1, r#""Publish": true"#),
        code_line("orders", V2, ""),
    );
    run(&mut world, &script);
    let weights = json!({"AdditionalVersionWeights": {"2": 0.25}});
    let alias = json!({"FunctionName": "orders", "Name": "live", "FunctionVersion": "1", "RoutingConfig": weights});
    world.call("lambda", "CreateAlias", &alias).unwrap();
    let mut twos = 0;
    for _ in 0..400 {
        let answer = world.call("lambda", "Invoke", &json!({"FunctionName": "orders:live"})).unwrap();
        let payload: Value = serde_json::from_str(answer["Payload"].as_str().unwrap()).unwrap();
        let executed = answer["ExecutedVersion"].as_str().unwrap().to_string();
        assert_eq!(payload["version"], if executed == "2" { "two" } else { "one" }, "{answer}");
        twos += usize::from(executed == "2");
    }
    assert!((60..=140).contains(&twos), "version 2 ran {twos} times of 400 at weight 0.25");
}

#[test]
fn resource_policies_are_kept_per_qualifier() {
    let mut world = world();
    let script = format!(
        r#"
{create}
advance 2
GetPolicy {{"FunctionName": "orders"}}
AddPermission {{"FunctionName": "orders", "StatementId": "events", "Action": "lambda:InvokeFunction", "Principal": "events.amazonaws.com", "SourceArn": "arn:aws:events:ap-southeast-1:123456789012:rule/nightly"}}
AddPermission {{"FunctionName": "orders", "StatementId": "events", "Action": "lambda:InvokeFunction", "Principal": "events.amazonaws.com"}}
AddPermission {{"FunctionName": "orders", "StatementId": "s3", "Action": "lambda:InvokeFunction", "Principal": "s3.amazonaws.com", "SourceAccount": "123456789012", "SourceArn": "arn:aws:s3:::uploads"}}
AddPermission {{"FunctionName": "orders", "StatementId": "partner", "Action": "lambda:GetFunction", "Principal": "111122223333"}}
AddPermission {{"FunctionName": "orders", "StatementId": "bad id!", "Action": "lambda:InvokeFunction", "Principal": "s3.amazonaws.com"}}
AddPermission {{"FunctionName": "orders", "StatementId": "x", "Action": "dynamodb:PutItem", "Principal": "s3.amazonaws.com"}}
AddPermission {{"FunctionName": "orders", "StatementId": "x", "Action": "lambda:InvokeFunction", "Principal": "s3.amazonaws.com", "SourceAccount": "12"}}
AddPermission {{"FunctionName": "orders", "StatementId": "x", "Action": "lambda:InvokeFunction", "Principal": "s3.amazonaws.com", "Qualifier": "live"}}
AddPermission {{"FunctionName": "missing", "StatementId": "x", "Action": "lambda:InvokeFunction", "Principal": "s3.amazonaws.com"}}
GetPolicy {{"FunctionName": "orders"}}
AddPermission {{"FunctionName": "orders", "StatementId": "v1", "Action": "lambda:InvokeFunction", "Principal": "apigateway.amazonaws.com", "Qualifier": "1"}}
GetPolicy {{"FunctionName": "orders", "Qualifier": "1"}}
RemovePermission {{"FunctionName": "orders", "StatementId": "s3"}}
RemovePermission {{"FunctionName": "orders", "StatementId": "s3"}}
RemovePermission {{"FunctionName": "orders", "StatementId": "v1", "Qualifier": "1"}}
GetPolicy {{"FunctionName": "orders", "Qualifier": "1"}}
GetPolicy {{"FunctionName": "orders", "RevisionId": "x"}}
"#,
        create = create_line("orders", V1, r#""Publish": true"#),
    );
    insta::assert_snapshot!(run(&mut world, &script));
}

#[test]
fn a_resource_policy_decides_who_may_invoke() {
    use lab_core::policy::{Caller, Context};
    let mut world = world();
    run(&mut world, &format!("{}\nadvance 2\n", create_line("orders", V1, "")));
    let permission = json!({
        "FunctionName": "orders", "StatementId": "nightly", "Action": "lambda:InvokeFunction",
        "Principal": "events.amazonaws.com", "SourceArn": "arn:aws:events:ap-southeast-1:123456789012:rule/nightly",
    });
    world.call("lambda", "AddPermission", &permission).unwrap();
    let lambda = &world.lambda;
    let f = &lambda.functions["orders"];
    let events = Caller::Service { name: "events.amazonaws.com".into() };
    let s3 = Caller::Service { name: "s3.amazonaws.com".into() };
    let from = |arn: &str| Context::from([("aws:SourceArn".to_string(), vec![arn.to_string()])]);
    let nightly = from("arn:aws:events:ap-southeast-1:123456789012:rule/nightly");
    let other = from("arn:aws:events:ap-southeast-1:123456789012:rule/other");
    let allowed = |caller: &Caller, context: &Context| {
        lab_core::lambda::permissions::invoke_allowed(f, None, caller, "lambda:InvokeFunction", context)
    };
    assert!(allowed(&events, &nightly));
    assert!(!allowed(&events, &other), "another rule is not the one the statement names");
    assert!(!allowed(&s3, &nightly), "another service is not the principal named");
    assert!(!allowed(&events, &Context::new()), "without a source ARN the condition does not hold");
}

#[test]
fn layers_unpack_under_opt() {
    let mut world = world();
    let layer = zip(&[("nodejs/node_modules/greet/index.js", "exports.greet = (n) => `xin chào ${n}`;")]);
    let flat = zip(&[("greet/index.js", "exports.greet = () => 'flat';")]);
    let uses = "import { greet } from 'greet';\nexport const handler = async (e) => greet(e.name);";
    let arn = |n: u64| format!("arn:aws:lambda:ap-southeast-1:{ACCOUNT}:layer:common-utils:{n}");
    let script = format!(
        r#"
PublishLayerVersion {{"LayerName": "common-utils", "Description": "greetings", "Content": {{"ZipFile": "{layer}"}}, "CompatibleRuntimes": ["nodejs22.x"], "LicenseInfo": "MIT"}}
PublishLayerVersion {{"LayerName": "common-utils", "Content": {{"ZipFile": "{flat}"}}}}
PublishLayerVersion {{"LayerName": "bad name", "Content": {{"ZipFile": "{flat}"}}}}
PublishLayerVersion {{"LayerName": "x", "Content": {{"ZipFile": "bm90IGEgemlw"}}}}
PublishLayerVersion {{"LayerName": "x", "Content": {{"ZipFile": "{flat}"}}, "CompatibleRuntimes": ["cobol"]}}
GetLayerVersion {{"LayerName": "common-utils", "VersionNumber": 1}}
GetLayerVersionByArn {{"Arn": "{arn1}"}}
GetLayerVersion {{"LayerName": "common-utils", "VersionNumber": 9}}
ListLayerVersions {{"LayerName": "common-utils"}}
ListLayers {{}}
ListLayers {{"CompatibleRuntime": "nodejs22.x"}}
{with_layer}
{with_flat}
{too_many}
{missing}
{twice}
advance 2
Invoke {{"FunctionName": "greeter", "Payload": "{{\"name\": \"An\"}}"}}
Invoke {{"FunctionName": "flat", "Payload": "{{\"name\": \"An\"}}"}}
GetFunctionConfiguration {{"FunctionName": "greeter"}}
DeleteLayerVersion {{"LayerName": "common-utils", "VersionNumber": 1}}
DeleteLayerVersion {{"LayerName": "common-utils", "VersionNumber": 1}}
GetLayerVersion {{"LayerName": "common-utils", "VersionNumber": 1}}
# A function keeps the layer version it was given.
Invoke {{"FunctionName": "greeter", "Payload": "{{\"name\": \"Bình\"}}"}}
UpdateFunctionConfiguration {{"FunctionName": "greeter", "Layers": ["{arn1}"]}}
UpdateFunctionConfiguration {{"FunctionName": "greeter", "Layers": []}}
advance 2
Invoke {{"FunctionName": "greeter", "Payload": "{{\"name\": \"An\"}}"}}
"#,
        arn1 = arn(1),
        with_layer = create_line("greeter", uses, &format!(r#""Layers": ["{}"]"#, arn(1))),
        with_flat = create_line("flat", uses, &format!(r#""Layers": ["{}"]"#, arn(2))),
        too_many = create_line(
            "many",
            uses,
            &format!(r#""Layers": ["{}","{}","{}","{}","{}","{}"]"#, arn(1), arn(2), arn(3), arn(4), arn(5), arn(6))
        ),
        missing = create_line("missing", uses, &format!(r#""Layers": ["{}"]"#, arn(7))),
        twice = create_line("twice", uses, &format!(r#""Layers": ["{}","{}"]"#, arn(1), arn(2))),
    );
    insta::assert_snapshot!(run(&mut world, &script));
}

#[test]
fn reserved_concurrency_of_zero_throttles() {
    let mut world = world();
    let script = format!(
        r#"
{create}
{other}
advance 2
GetFunctionConcurrency {{"FunctionName": "orders"}}
PutFunctionConcurrency {{"FunctionName": "orders", "ReservedConcurrentExecutions": 0}}
GetFunctionConcurrency {{"FunctionName": "orders"}}
Invoke {{"FunctionName": "orders"}}
Invoke {{"FunctionName": "orders", "InvocationType": "DryRun"}}
PutFunctionConcurrency {{"FunctionName": "other", "ReservedConcurrentExecutions": 901}}
PutFunctionConcurrency {{"FunctionName": "other", "ReservedConcurrentExecutions": 900}}
PutFunctionConcurrency {{"FunctionName": "orders", "ReservedConcurrentExecutions": 1}}
PutFunctionConcurrency {{"FunctionName": "orders", "ReservedConcurrentExecutions": -1}}
PutFunctionConcurrency {{"FunctionName": "orders"}}
DeleteFunctionConcurrency {{"FunctionName": "orders"}}
Invoke {{"FunctionName": "orders"}}
DeleteFunctionConcurrency {{"FunctionName": "missing"}}
"#,
        create = create_line("orders", V1, ""),
        other = create_line("other", V1, ""),
    );
    insta::assert_snapshot!(run(&mut world, &script));
}
