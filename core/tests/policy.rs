//! The laws of IAM policy evaluation, as properties over random policies and requests: an
//! explicit Deny that matches wins whatever else is attached; without an Allow nothing is
//! allowed; `Allow * on *` allows everything no Deny matches; the order of policies does not
//! matter. And the parser never panics, on any text.

use lab_core::policy::{evaluate, parse, Context, Decision, Flavour, Policy, Request};
use proptest::collection::vec;
use proptest::prelude::*;
use serde_json::{json, Value};

const ACTIONS: &[&str] =
    &["dynamodb:PutItem", "dynamodb:GetItem", "sqs:SendMessage", "logs:PutLogEvents", "s3:GetObject"];
const RESOURCES: &[&str] = &[
    "arn:aws:dynamodb:ap-southeast-1:123456789012:table/Orders",
    "arn:aws:dynamodb:ap-southeast-1:123456789012:table/OrdersHistory",
    "arn:aws:sqs:ap-southeast-1:123456789012:orders-dlq",
    "*",
];

fn action_pattern() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::sample::select(ACTIONS).prop_map(str::to_string),
        Just("*".to_string()),
        Just("dynamodb:*".to_string()),
        Just("DynamoDB:put*".to_string()),
        Just("sqs:?endMessage".to_string()),
        Just("s3:Get*".to_string()),
    ]
}

fn resource_pattern() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::sample::select(RESOURCES).prop_map(str::to_string),
        Just("arn:aws:dynamodb:*:*:table/Orders*".to_string()),
        Just("arn:aws:sqs:*".to_string()),
    ]
}

fn condition() -> impl Strategy<Value = Option<Value>> {
    proptest::option::weighted(
        0.3,
        prop_oneof![
            Just(json!({"StringEquals": {"aws:RequestedRegion": "ap-southeast-1"}})),
            Just(json!({"StringNotEquals": {"aws:SourceAccount": "111111111111"}})),
            Just(json!({"ArnLike": {"aws:SourceArn": "arn:aws:lambda:*:123456789012:function:*"}})),
            Just(json!({"Null": {"aws:SourceArn": "true"}})),
            Just(json!({"BoolIfExists": {"aws:SecureTransport": "true"}})),
        ],
    )
}

/// One statement as JSON, with the effect `effect`.
fn statement(effect: &'static str) -> impl Strategy<Value = Value> {
    (vec(action_pattern(), 1..3), vec(resource_pattern(), 1..3), any::<bool>(), any::<bool>(), condition()).prop_map(
        move |(actions, resources, not_action, not_resource, condition)| {
            let mut s = json!({"Effect": effect});
            s[if not_action { "NotAction" } else { "Action" }] = json!(actions);
            s[if not_resource { "NotResource" } else { "Resource" }] = json!(resources);
            if let Some(condition) = condition {
                s["Condition"] = condition;
            }
            s
        },
    )
}

fn any_statement() -> impl Strategy<Value = Value> {
    prop_oneof![statement("Allow"), statement("Deny")]
}

fn policy(statements: Vec<Value>) -> Policy {
    let text = json!({"Version": "2012-10-17", "Statement": statements}).to_string();
    parse(&text, Flavour::Identity).unwrap_or_else(|e| panic!("{e}: {text}"))
}

fn policies() -> impl Strategy<Value = Vec<Policy>> {
    vec(vec(any_statement(), 1..4).prop_map(policy), 0..4)
}

fn context() -> impl Strategy<Value = Context> {
    let pairs = vec(
        prop_oneof![
            Just(("aws:RequestedRegion", "ap-southeast-1")),
            Just(("aws:RequestedRegion", "us-east-1")),
            Just(("aws:SourceAccount", "111111111111")),
            Just(("aws:SourceArn", "arn:aws:lambda:ap-southeast-1:123456789012:function:f")),
            Just(("aws:SecureTransport", "false")),
        ],
        0..3,
    );
    pairs.prop_map(|pairs| {
        let mut context = Context::new();
        for (k, v) in pairs {
            context.insert(k.to_string(), vec![v.to_string()]);
        }
        context
    })
}

fn request_parts() -> impl Strategy<Value = (&'static str, &'static str, Context)> {
    (proptest::sample::select(ACTIONS), proptest::sample::select(RESOURCES), context())
}

fn decide(policies: &[Policy], action: &str, resource: &str, context: &Context) -> Decision {
    let refs: Vec<&Policy> = policies.iter().collect();
    evaluate(&refs, &Request { action, resource, caller: None, context }).decision
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn a_matching_explicit_deny_always_wins(mut all in policies(), (action, resource, context) in request_parts(), wildcard in any::<bool>()) {
        let pattern = if wildcard { "*".to_string() } else { action.to_string() };
        all.push(policy(vec![json!({"Effect": "Deny", "Action": pattern, "Resource": "*"})]));
        prop_assert_eq!(decide(&all, action, resource, &context), Decision::ExplicitDeny);
    }

    #[test]
    fn without_an_allow_nothing_is_allowed(denies in vec(vec(statement("Deny"), 1..4).prop_map(policy), 0..4), (action, resource, context) in request_parts()) {
        prop_assert_ne!(decide(&denies, action, resource, &context), Decision::Allowed);
    }

    #[test]
    fn allow_everything_allows_all_that_no_deny_matches(mut all in policies(), (action, resource, context) in request_parts()) {
        // What the Deny statements alone decide: an explicit deny, or nothing.
        let denies: Vec<Policy> = all.iter().map(|p| Policy {
            statements: p.statements.iter().filter(|s| s.effect == lab_core::policy::Effect::Deny).cloned().collect(),
            ..p.clone()
        }).collect();
        let denied = decide(&denies, action, resource, &context) == Decision::ExplicitDeny;
        all.push(policy(vec![json!({"Effect": "Allow", "Action": "*", "Resource": "*"})]));
        let expected = if denied { Decision::ExplicitDeny } else { Decision::Allowed };
        prop_assert_eq!(decide(&all, action, resource, &context), expected);
    }

    #[test]
    fn the_order_of_policies_does_not_matter(all in policies(), (action, resource, context) in request_parts()) {
        let mut reversed = all.clone();
        reversed.reverse();
        prop_assert_eq!(decide(&all, action, resource, &context), decide(&reversed, action, resource, &context));
    }

    #[test]
    fn parsing_any_text_never_panics(text in "\\PC{0,200}") {
        for flavour in [Flavour::Identity, Flavour::Trust, Flavour::Resource] {
            if let Err(err) = parse(&text, flavour) {
                prop_assert!(!err.message.is_empty());
            }
        }
    }

    #[test]
    fn parsing_policy_shaped_json_never_panics(statements in vec(any_statement(), 0..3), noise in json_noise(), key in "[A-Za-z]{1,10}") {
        let mut doc = json!({"Version": "2012-10-17", "Statement": statements});
        if let Some(first) = doc["Statement"].get_mut(0) {
            first[key] = noise.clone();
        } else {
            doc["Statement"] = noise;
        }
        let text = doc.to_string();
        for flavour in [Flavour::Identity, Flavour::Trust, Flavour::Resource] {
            let _ = parse(&text, flavour);
        }
    }
}

fn json_noise() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        "[ -~]{0,10}".prop_map(Value::from),
        Just(json!("*")),
        Just(json!({"AWS": "*"})),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..3).prop_map(Value::Array),
            proptest::collection::btree_map("[A-Za-z:]{1,8}", inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}
