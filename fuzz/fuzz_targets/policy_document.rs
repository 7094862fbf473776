//! IAM policy documents: any text parses (as an identity, trust or resource policy) to a policy
//! or an error with IAM's message, never a panic; a policy that parses evaluates without one, and
//! an explicit deny of everything added to it always wins.
#![no_main]
use lab_core::policy::{evaluate, parse, Caller, Context, Decision, Flavour, Request};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let deny = parse(r#"{"Statement": {"Effect": "Deny", "Action": "*", "Resource": "*"}}"#, Flavour::Identity)
        .expect("the deny-everything policy parses");
    for flavour in [Flavour::Identity, Flavour::Trust, Flavour::Resource] {
        match parse(text, flavour) {
            Err(err) => assert!(!err.message.is_empty()),
            Ok(policy) => {
                let mut context = Context::new();
                context.insert("aws:SourceArn".into(), vec!["arn:aws:sqs:ap-southeast-1:123456789012:q".into()]);
                let caller = Caller::Service { name: "lambda.amazonaws.com".into() };
                let request = Request {
                    action: "dynamodb:PutItem",
                    resource: "arn:aws:dynamodb:ap-southeast-1:123456789012:table/Orders",
                    caller: Some(&caller),
                    context: &context,
                };
                let _ = evaluate(&[&policy], &request);
                assert_eq!(evaluate(&[&policy, &deny], &request).decision, Decision::ExplicitDeny);
            }
        }
    }
});
