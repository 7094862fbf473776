//! Unit tests of IAM's judgements for the world: [`Iam::authorize`], [`Iam::trusts`] and
//! [`denial_message`], on an account built through IAM's own API.

use super::*;
use crate::effect::Principal;
use crate::ids::Ids;
use serde_json::json;

fn account() -> Account {
    Account {
        id: "123456789012".into(),
        region: "ap-southeast-1".into(),
        user_name: "student".into(),
        user_id: "AIDAXCEAOVBDZCUPUDBXW".into(),
    }
}

const LAMBDA_TRUST: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#;
const ROLE: &str = "arn:aws:iam::123456789012:role/service-role/orders-role";
const HISTORY: &str = "arn:aws:dynamodb:ap-southeast-1:123456789012:table/OrdersHistory";

/// An account's IAM after `calls` (action, request), each of which must succeed.
fn iam_after(calls: &[(&str, Value)]) -> Iam {
    let (account, mut ids, mut iam) = (account(), Ids::seeded(1), Iam::default());
    for (action, request) in calls {
        let mut ctx = Ctx::new(0, &account, &mut ids, &Principal::Learner, None);
        match iam.call(&mut ctx, "iam", action, request) {
            Outcome::Done(Ok(_)) => {}
            other => panic!("{action}: {other:?}"),
        }
    }
    iam
}

fn orders_role(extra: &[(&str, Value)]) -> Iam {
    let mut calls = vec![(
        "CreateRole",
        json!({"RoleName": "orders-role", "Path": "/service-role/", "AssumeRolePolicyDocument": LAMBDA_TRUST}),
    )];
    calls.extend(extra.iter().cloned());
    iam_after(&calls)
}

fn inline(name: &str, statements: Value) -> (&'static str, Value) {
    let document = json!({"Version": "2012-10-17", "Statement": statements}).to_string();
    ("PutRolePolicy", json!({"RoleName": "orders-role", "PolicyName": name, "PolicyDocument": document}))
}

fn decide(iam: &Iam, action: &str, resource: &str) -> Decision {
    iam.authorize(&account(), ROLE, action, resource, &BTreeMap::new())
}

#[test]
fn a_new_role_may_do_nothing() {
    let iam = orders_role(&[]);
    assert_eq!(decide(&iam, "dynamodb:PutItem", HISTORY), Decision::ImplicitDeny);
    assert_eq!(decide(&Iam::default(), "dynamodb:PutItem", HISTORY), Decision::ImplicitDeny);
}

#[test]
fn inline_and_attached_policies_allow_and_deny_wins() {
    let put = inline("put", json!([{"Effect": "Allow", "Action": "dynamodb:PutItem", "Resource": HISTORY}]));
    let iam = orders_role(std::slice::from_ref(&put));
    assert_eq!(decide(&iam, "dynamodb:PutItem", HISTORY), Decision::Allowed);
    assert_eq!(decide(&iam, "dynamodb:PutItem", &HISTORY.replace("History", "")), Decision::ImplicitDeny);
    assert_eq!(decide(&iam, "dynamodb:GetItem", HISTORY), Decision::ImplicitDeny);

    let attach = (
        "AttachRolePolicy",
        json!({"RoleName": "orders-role", "PolicyArn": "arn:aws:iam::aws:policy/service-role/AWSLambdaDynamoDBExecutionRole"}),
    );
    let iam = orders_role(&[put.clone(), attach.clone()]);
    let stream = "arn:aws:dynamodb:ap-southeast-1:123456789012:table/Orders/stream/2025-01-01T00:00:00.000";
    assert_eq!(decide(&iam, "dynamodb:GetRecords", stream), Decision::Allowed);
    assert_eq!(decide(&iam, "logs:PutLogEvents", "*"), Decision::Allowed);

    let deny = inline("deny", json!({"Effect": "Deny", "Action": "dynamodb:*", "Resource": "*"}));
    let iam = orders_role(&[put, attach, deny]);
    assert_eq!(decide(&iam, "dynamodb:PutItem", HISTORY), Decision::ExplicitDeny);
    assert_eq!(decide(&iam, "logs:PutLogEvents", "*"), Decision::Allowed);
    let evaluation = iam.explain(&account(), ROLE, "dynamodb:PutItem", HISTORY, &BTreeMap::new());
    assert_eq!(evaluation.matched, [policy::Matched { policy: 0, statement: 0 }]);
}

#[test]
fn a_customer_managed_policy_counts_by_its_default_version() {
    let v1 = json!({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"}});
    let v2 = json!({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "sqs:ReceiveMessage", "Resource": "*"}});
    let arn = "arn:aws:iam::123456789012:policy/queue";
    let iam = orders_role(&[
        ("CreatePolicy", json!({"PolicyName": "queue", "PolicyDocument": v1.to_string()})),
        ("CreatePolicyVersion", json!({"PolicyArn": arn, "PolicyDocument": v2.to_string()})),
        ("AttachRolePolicy", json!({"RoleName": "orders-role", "PolicyArn": arn})),
    ]);
    assert_eq!(decide(&iam, "sqs:SendMessage", "*"), Decision::Allowed);
    assert_eq!(decide(&iam, "sqs:ReceiveMessage", "*"), Decision::ImplicitDeny);
    let iam = orders_role(&[
        ("CreatePolicy", json!({"PolicyName": "queue", "PolicyDocument": v1.to_string()})),
        ("CreatePolicyVersion", json!({"PolicyArn": arn, "PolicyDocument": v2.to_string(), "SetAsDefault": true})),
        ("AttachRolePolicy", json!({"RoleName": "orders-role", "PolicyArn": arn})),
    ]);
    assert_eq!(decide(&iam, "sqs:ReceiveMessage", "*"), Decision::Allowed);
    assert_eq!(decide(&iam, "sqs:SendMessage", "*"), Decision::ImplicitDeny);
}

#[test]
fn conditions_see_the_keys_iam_knows_and_the_context_given() {
    let region = inline(
        "region",
        json!({"Effect": "Allow", "Action": "sqs:*", "Resource": "*", "Condition": {"StringEquals": {"aws:RequestedRegion": "ap-southeast-1", "aws:PrincipalAccount": "123456789012"}}}),
    );
    let source = inline(
        "source",
        json!({"Effect": "Deny", "Action": "sqs:SendMessage", "Resource": "*", "Condition": {"ArnNotLike": {"aws:SourceArn": "arn:aws:lambda:*:123456789012:function:*"}}}),
    );
    let iam = orders_role(&[region, source]);
    assert_eq!(decide(&iam, "sqs:ReceiveMessage", "*"), Decision::Allowed);
    // The deny's key is absent: a negated operator holds, so it denies.
    assert_eq!(decide(&iam, "sqs:SendMessage", "*"), Decision::ExplicitDeny);
    let from_function: BTreeMap<String, Vec<String>> =
        [("aws:SourceArn".to_string(), vec!["arn:aws:lambda:ap-southeast-1:123456789012:function:f".to_string()])]
            .into();
    assert_eq!(iam.authorize(&account(), ROLE, "sqs:SendMessage", "*", &from_function), Decision::Allowed);
    let elsewhere: BTreeMap<String, Vec<String>> =
        [("aws:RequestedRegion".to_string(), vec!["us-east-1".to_string()])].into();
    assert_eq!(iam.authorize(&account(), ROLE, "sqs:ReceiveMessage", "*", &elsewhere), Decision::ImplicitDeny);
}

#[test]
fn trust_is_judged_by_the_trust_policy() {
    let iam = orders_role(&[]);
    assert_eq!(iam.trusts(ROLE, "lambda.amazonaws.com"), Ok(()));
    assert_eq!(iam.trusts(ROLE, "states.amazonaws.com"), Err(Untrusted::NotAllowed(Decision::ImplicitDeny)));
    assert_eq!(iam.trusts("arn:aws:iam::123456789012:role/nope", "lambda.amazonaws.com"), Err(Untrusted::NoSuchRole));
    // The same name under another path is another ARN.
    assert_eq!(
        iam.trusts("arn:aws:iam::123456789012:role/orders-role", "lambda.amazonaws.com"),
        Err(Untrusted::NoSuchRole)
    );
}

#[test]
fn denials_are_worded_as_aws_words_them() {
    let session = session_arn(ROLE, "create-order-history");
    assert_eq!(session, "arn:aws:sts::123456789012:assumed-role/orders-role/create-order-history");
    assert_eq!(denial_message(&session, "dynamodb:PutItem", HISTORY, Decision::Allowed), None);
    assert_eq!(
        denial_message(&session, "dynamodb:PutItem", HISTORY, Decision::ImplicitDeny).unwrap(),
        "User: arn:aws:sts::123456789012:assumed-role/orders-role/create-order-history is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:ap-southeast-1:123456789012:table/OrdersHistory because no identity-based policy allows the dynamodb:PutItem action"
    );
    assert_eq!(
        denial_message(&session, "dynamodb:PutItem", HISTORY, Decision::ExplicitDeny).unwrap(),
        "User: arn:aws:sts::123456789012:assumed-role/orders-role/create-order-history is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:ap-southeast-1:123456789012:table/OrdersHistory with an explicit deny in an identity-based policy"
    );
}
