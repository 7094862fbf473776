//! Loading lab files: every error located, every input answered without a panic.

use lab_core::lab::{parse_catalog, parse_lab};
use proptest::prelude::*;

/// Parses `text` as `labs/demo/lab.toml` and renders the outcome as text: the errors, one per
/// line, or a one-line summary of the lab.
fn load(text: &str) -> String {
    match parse_lab("demo", "labs/demo/lab.toml", text) {
        Ok(draft) => {
            let lab = draft.lab();
            format!(
                "ok: {} steps, {} checks, request files {:?}",
                lab.steps.len(),
                lab.steps.iter().map(|s| s.checks.len()).sum::<usize>(),
                draft.request_files()
            )
        }
        Err(errors) => errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"),
    }
}

fn check(text: &str, expect: expect_test_free::Expect) {
    expect.assert_eq(&load(text));
}

/// A tiny stand-in for expect-test: the expected text sits next to the input.
mod expect_test_free {
    pub struct Expect(pub &'static str);
    impl Expect {
        pub fn assert_eq(&self, got: &str) {
            assert_eq!(got, self.0, "\n--- got ---\n{got}\n");
        }
    }
}
use expect_test_free::Expect;

const HEAD: &str = r#"format_version = 1
minutes = 5
services = ["sts"]
title = { vi = "T", en = "T" }
summary = { vi = "S", en = "S" }
"#;

const STEP: &str = r#"
[[steps]]
id = "one"
title = { vi = "Một", en = "One" }
[[steps.checks]]
call_made = { service = "sts", action = "GetCallerIdentity" }
[[steps.solution]]
call = { service = "sts", action = "GetCallerIdentity" }
"#;

#[test]
fn a_valid_lab() {
    check(&format!("{HEAD}{STEP}"), Expect("ok: 1 steps, 1 checks, request files []"));
}

#[test]
fn request_files_are_listed_and_read() {
    let text = format!(
        "{HEAD}{}",
        STEP.replace(
            "call = { service = \"sts\", action = \"GetCallerIdentity\" }",
            "call = { service = \"sts\", action = \"GetCallerIdentity\", request_file = \"requests/me.json\" }"
        )
    );
    check(&text, Expect("ok: 1 steps, 1 checks, request files [\"requests/me.json\"]"));
    let draft = parse_lab("demo", "labs/demo/lab.toml", &text).unwrap();
    let errors = draft.clone().finish(|_| Some("{oops".into())).unwrap_err();
    insta::assert_snapshot!(errors[0].to_string(), @"labs/demo/lab.toml:12:1: request_file `requests/me.json` is not valid JSON: key must be a string at line 1 column 2");
    let errors = draft.clone().finish(|_| None).unwrap_err();
    insta::assert_snapshot!(errors[0].to_string(), @"labs/demo/lab.toml:12:1: request_file `requests/me.json` does not exist");
    let lab = draft.finish(|_| Some("{}".into())).unwrap();
    assert_eq!(lab.steps[0].solution.len(), 1);
}

#[test]
fn syntax_and_shape_errors_are_located() {
    check(
        "format_version = 1\nminutes = \n",
        Expect("labs/demo/lab.toml:2:11: string values must be quoted, expected literal string"),
    );
    check(
        "minutes = 5\n",
        Expect("labs/demo/lab.toml:1:1: missing `format_version`; this build reads format_version = 1"),
    );
    check(
        "format_version = 2\n",
        Expect("labs/demo/lab.toml:1:18: unsupported format_version 2; this build reads format_version = 1"),
    );
    check(
        "format_version = \"1\"\n",
        Expect("labs/demo/lab.toml:1:18: format_version must be an integer, not a string"),
    );
    check(
        &format!("{HEAD}{}", STEP.replace("id = \"one\"", "id = \"one\"\ntitel = 1")),
        Expect("labs/demo/lab.toml:9:1: unknown field `titel`, expected one of `id`, `title`, `checks`, `hints`, `solution`"),
    );
    check(&format!("{}{STEP}", HEAD.replace("vi = \"T\", ", "")), Expect("labs/demo/lab.toml:4:9: missing field `vi`"));
}

#[test]
fn meaning_errors_are_all_reported() {
    let text = format!(
        "{}{}{}",
        HEAD.replace("[\"sts\"]", "[\"sts\", \"s4\"]"),
        STEP.replace(
            "service = \"sts\", action = \"GetCallerIdentity\" }\n[[steps.solution]]",
            "service = \"states\", action = \"X\" }\nlast_error = { code = \"E\" }\n[[steps.solution]]"
        ),
        STEP.replace("[[steps.solution]]\ncall = { service = \"sts\", action = \"GetCallerIdentity\" }\n", "")
    );
    insta::assert_snapshot!(load(&text), @r"
    labs/demo/lab.toml:3:20: unknown service `s4`; the simulator has: dynamodb, dynamodbstreams, sts, iam, lambda, secretsmanager, logs, sqs, kinesis
    labs/demo/lab.toml:10:1: unknown service `states`; the simulator has: dynamodb, dynamodbstreams, sts, iam, lambda, secretsmanager, logs, sqs, kinesis
    labs/demo/lab.toml:10:1: a check needs exactly one kind (call_made, last_error, clock_at_least, item, item_count, resource, stream_record, answer, invocation, log_line, allowed, resource_policy); this one has 2
    labs/demo/lab.toml:17:6: step id `one` is used twice
    labs/demo/lab.toml:16:1: step `one` has no solution: every step ships a reference solution
    ");
}

#[test]
fn check_expressions_are_checked_as_dynamodb_checks_them() {
    let step = |checks: &str| {
        format!(
            "{HEAD}\n[[steps]]\nid = \"one\"\ntitle = {{ vi = \"M\", en = \"O\" }}\n{checks}\n[[steps.solution]]\nanswer = {{ id = \"q\", value = 20 }}\n"
        )
    };
    let text = step(
        r##"[[steps.checks]]
item_count = { table = "Music", count = 4, condition = "Count = :n", values = { ":n" = { N = "4" } } }
[[steps.checks]]
item = { table = "Music", key = { Artist = { S = "A" } }, condition = "#a = :a", names = { "#a" = "Album" } }
[[steps.checks]]
call_made = { service = "dynamodb", action = "Query", response_condition = "#c = :n", names = { "#c" = "Count", "#x" = "X" }, values = { ":n" = { N = "1" } } }
[[steps.checks]]
resource = { service = "dynamodb", action = "DeleteTable", request = { TableName = "Music" } }
[[steps.checks]]
stream_record = { table = "Orders", condition = "eventName = :m", values = { ":m" = { Q = "MODIFY" } } }
[[steps.checks]]
item = { table = "Music", key = { Artist = { S = "A" } }, absent = true, condition = "attribute_exists(Album)" }
[[steps.checks]]
answer = { id = "q", equals = 20 }
"##,
    );
    insta::assert_snapshot!(load(&text), @r#"
    labs/demo/lab.toml:10:1: ValidationException: Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: Count
    labs/demo/lab.toml:12:1: ValidationException: Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :a
    labs/demo/lab.toml:14:1: ValidationException: Value provided in ExpressionAttributeNames unused in expressions: keys: {#x}
    labs/demo/lab.toml:16:1: ValidationException: resource checks run a read-only operation; `dynamodb DeleteTable` is not one (dynamodb: DescribeKinesisStreamingDestination, DescribeLimits, DescribeTable, DescribeTimeToLive, ListTables, ListTagsOfResource)
    labs/demo/lab.toml:18:1: ParamValidation: Parameter validation failed: Unknown parameter in input: "Q", must be one of: S, N, B, SS, NS, BS, M, L, NULL, BOOL
    labs/demo/lab.toml:20:1: ValidationException: an absent item has no condition to check
    "#);
}

/// A lab of one step with `checks` (TOML of `[[steps.checks]]` tables) and an answer as solution.
fn one_step(checks: &str) -> String {
    format!(
        "{HEAD}\n[[steps]]\nid = \"one\"\ntitle = {{ vi = \"M\", en = \"O\" }}\n{checks}\n[[steps.solution]]\nanswer = {{ id = \"q\", value = 20 }}\n"
    )
}

#[test]
fn lambda_logs_and_iam_checks_are_checked_when_loaded() {
    let text = one_step(
        r##"[[steps.checks]]
invocation = { function = "orders", count = 0, called = { service = "states", action = "StartExecution" } }
[[steps.checks]]
invocation = { function = "orders:prod" }
[[steps.checks]]
invocation = { function = "orders", payload_condition = "id = :id", called = { service = "secretsmanager", action = "GetSecretValue", request_condition = "SecretId = :s" }, values = { ":s" = { S = "k" } } }
[[steps.checks]]
log_line = { group = "/aws/lambda/orders", pattern = "ERROR 404." }
[[steps.checks]]
log_line = { group = "/aws/lambda/orders", pattern = "{ $.level = error" }
[[steps.checks]]
allowed = { role = "orders-role", action = "secretsmanager:GetSecretValue" }
[[steps.checks]]
allowed = { role = "orders-role", action = "dynamodb:PutItem", request = { TableName = "Orders" }, context = { "aws:SourceArn" = ["arn:x", { a = 1 }] } }
[[steps.checks]]
allowed = { role = "orders role", action = "sqs:SendMessage", resource = "*" }
[[steps.checks]]
invocation = { function = "orders", outcome = "timeout", by = "events.amazonaws.com", called = { service = "dynamodb", action = "PutItem", error_code = "AccessDeniedException" } }
[[steps.checks]]
log_line = { group = "/aws/lambda/orders", contains = "s3cr3t", absent = true, stream_prefix = "2025/" }
[[steps.checks]]
allowed = { role = "orders-role", action = "sqs:SendMessage", resource = "arn:aws:sqs:ap-southeast-1:123456789012:orders-dlq", context = { "aws:SourceArn" = "arn:aws:lambda:ap-southeast-1:123456789012:function:orders" }, denied = true }
"##,
    );
    insta::assert_snapshot!(load(&text), @r#"
    labs/demo/lab.toml:10:1: unknown service `states`; the simulator has: dynamodb, dynamodbstreams, sts, iam, lambda, secretsmanager, logs, sqs, kinesis
    labs/demo/lab.toml:10:1: invocation.count must be at least 1
    labs/demo/lab.toml:12:1: ValidationException: invocation.function is a function's name (1 to 64 letters, digits, `-` and `_`), not `orders:prod`
    labs/demo/lab.toml:14:1: ValidationException: Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :id
    labs/demo/lab.toml:16:1: InvalidParameterException: log_line.pattern `ERROR 404.` at 1:7: `.` in a term needs the term in double quotes (Invalid character(s) in term '404.')
    labs/demo/lab.toml:18:1: InvalidParameterException: log_line.pattern `{ $.level = error` at 1:1: the JSON pattern is not closed with `}` (If a filter pattern starts with '{' it must end with '}')
    labs/demo/lab.toml:20:1: ValidationException: allowed needs exactly one of `resource` (an ARN) or `request` (the call's request, whose resources the service names)
    labs/demo/lab.toml:22:1: ValidationException: allowed.context."aws:SourceArn" is a text or a list of texts
    labs/demo/lab.toml:24:1: ValidationException: allowed.role is a role's name (1 to 64 letters, digits and `+=,.@_-`), not `orders role`
    "#);
}

#[test]
fn lambda_logs_and_iam_checks_refuse_unknown_values_where_they_stand() {
    let render = |check: &str| load(&one_step(&format!("[[steps.checks]]\n{check}")));
    insta::assert_snapshot!(
        render(r#"invocation = { function = "orders", outcome = "crashed" }"#),
        @"labs/demo/lab.toml:11:47: unknown variant `crashed`, expected one of `success`, `error`, `timeout`"
    );
    insta::assert_snapshot!(
        render(r#"invocation = { function = "orders", by = "someone" }"#),
        @r#"labs/demo/lab.toml:11:42: `by` is "learner", "any", a service principal such as "lambda.amazonaws.com" or a role ARN "arn:aws:iam::ACCOUNT:role/NAME", not "someone""#
    );
    insta::assert_snapshot!(
        render(r#"log_line = { group = "/aws/lambda/orders", lines = 2 }"#),
        @"labs/demo/lab.toml:11:44: unknown field `lines`, expected one of `group`, `pattern`, `contains`, `stream_prefix`, `absent`"
    );
    insta::assert_snapshot!(
        render(r#"allowed = { role = "r", action = "iam:PassRole", resource = "*", denied = "yes" }"#),
        @r#"labs/demo/lab.toml:11:75: invalid type: string "yes", expected a boolean"#
    );
}

#[test]
fn catalogs() {
    let render = |text: &str| match parse_catalog("labs/labs.toml", text) {
        Ok(catalog) => format!("ok {:?}", catalog.labs),
        Err(errors) => errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"),
    };
    assert_eq!(render("format_version = 1\nlabs = [\"01-a\", \"02-b\"]"), "ok [\"01-a\", \"02-b\"]");
    insta::assert_snapshot!(render("format_version = 1\nlabs = [\"01-a\", \"01-a\", \"Bad Name\"]"), @r"
    labs/labs.toml:2:17: lab `01-a` is listed twice
    labs/labs.toml:2:25: lab folder name `Bad Name` must be 1 to 64 lower-case letters, digits or dashes
    ");
}

proptest! {
    /// Whatever the text, loading answers: a lab or located errors, never a panic.
    #[test]
    fn never_panics_on_any_text(text in "\\PC{0,400}") {
        let _ = parse_lab("demo", "lab.toml", &text);
        let _ = parse_catalog("labs.toml", &text);
    }

    /// Mangling a valid lab one character at a time never panics, and every error has a line.
    #[test]
    fn never_panics_on_near_misses(position in 0usize..400, replacement in "[\\[\\]{}=\"a-z0-9\n ]") {
        let mut text: Vec<char> = format!("{HEAD}{STEP}").chars().collect();
        let position = position % text.len();
        text[position] = replacement.chars().next().unwrap();
        let text: String = text.into_iter().collect();
        if let Err(errors) = parse_lab("demo", "lab.toml", &text) {
            prop_assert!(!errors.is_empty());
            prop_assert!(errors.iter().all(|e| e.line >= 1));
        }
    }
}
