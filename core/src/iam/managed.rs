//! The AWS managed policies every account has (`arn:aws:iam::aws:policy/...`), and the Lambda
//! console's policy templates.
//!
//! The documents are facts from AWS's managed policy reference, kept as data in
//! `aws_managed_policies.json` (each policy's name, path, default version, dates and document);
//! they are the same in every account, so they are read from here and never stored in a save.
//! Only their default version is known.

use crate::ids::derived_iam_id;
use serde::Deserialize;
use serde_json::Value;
use std::sync::OnceLock;

/// The ARN prefix of every AWS managed policy.
pub const AWS_MANAGED_PREFIX: &str = "arn:aws:iam::aws:policy";

/// One AWS managed policy.
#[derive(Clone, Debug, PartialEq)]
pub struct ManagedPolicyData {
    pub name: String,
    pub path: String,
    pub arn: String,
    /// `ANPA` + 17 characters, derived from the name (AWS's own ids are not in the reference).
    pub id: String,
    /// `v1`, `v15`...
    pub default_version: String,
    /// ISO 8601.
    pub create_date: String,
    pub update_date: String,
    /// The default version's document, as JSON text.
    pub document: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Entry {
    policy_name: String,
    path: String,
    default_version_id: String,
    create_date: String,
    update_date: String,
    document: Value,
}

/// Every AWS managed policy the simulator knows, by name.
pub fn all() -> &'static [ManagedPolicyData] {
    static ALL: OnceLock<Vec<ManagedPolicyData>> = OnceLock::new();
    ALL.get_or_init(|| {
        let entries: Vec<Entry> = serde_json::from_str(include_str!("aws_managed_policies.json"))
            .expect("aws_managed_policies.json is checked by a test");
        entries
            .into_iter()
            .map(|e| ManagedPolicyData {
                arn: format!("{AWS_MANAGED_PREFIX}{}{}", e.path, e.policy_name),
                id: format!("ANPA{}", derived_iam_id(&e.policy_name)),
                name: e.policy_name,
                path: e.path,
                default_version: e.default_version_id,
                create_date: e.create_date,
                update_date: e.update_date,
                document: serde_json::to_string_pretty(&e.document).expect("a JSON value prints"),
            })
            .collect()
    })
}

/// The AWS managed policy whose ARN is `arn`.
pub fn by_arn(arn: &str) -> Option<&'static ManagedPolicyData> {
    all().iter().find(|p| p.arn == arn)
}

/// The document of one of the Lambda console's "policy templates" for a new execution role, for
/// `account` and `region`; `None` for a template the simulator does not have.
///
/// The console does not attach an AWS managed policy for a template: it creates a customer
/// managed policy from it, named after the template with a suffix
/// (`AWSLambdaMicroserviceExecutionRole-<id>`, path `/service-role/`). "Simple microservice
/// permissions" (`AWSLambdaMicroserviceExecutionRole`) allows DeleteItem, GetItem, PutItem, Scan
/// and UpdateItem on every table of the account.
pub fn console_template(template: &str, account: &str, region: &str) -> Option<String> {
    match template {
        "AWSLambdaMicroserviceExecutionRole" => Some(format!(
            r#"{{
    "Version": "2012-10-17",
    "Statement": [
        {{
            "Effect": "Allow",
            "Action": [
                "dynamodb:DeleteItem",
                "dynamodb:GetItem",
                "dynamodb:PutItem",
                "dynamodb:Scan",
                "dynamodb:UpdateItem"
            ],
            "Resource": "arn:aws:dynamodb:{region}:{account}:table/*"
        }}
    ]
}}"#
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{parse, Flavour};

    #[test]
    fn every_managed_policy_is_a_valid_identity_policy() {
        let names: Vec<&str> = all().iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names.len(), 15);
        for policy in all() {
            parse(&policy.document, Flavour::Identity).unwrap_or_else(|e| panic!("{}: {e}", policy.name));
            assert!(policy.arn.starts_with("arn:aws:iam::aws:policy/"));
            assert!(policy.id.starts_with("ANPA") && policy.id.len() == 21);
        }
        let basic = by_arn("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole").unwrap();
        assert!(basic.document.contains("logs:PutLogEvents"));
        let template =
            console_template("AWSLambdaMicroserviceExecutionRole", "123456789012", "ap-southeast-1").unwrap();
        parse(&template, Flavour::Identity).unwrap();
        assert!(template.contains("arn:aws:dynamodb:ap-southeast-1:123456789012:table/*"));
    }
}
