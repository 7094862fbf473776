//! The policy simulator: SimulatePrincipalPolicy, for a role of the account.
//!
//! It evaluates the role's identity policies (and any `PolicyInputList` documents) for each pair
//! of `ActionNames` and `ResourceArns` (`*` when none is given) with the `ContextEntries` given,
//! and answers with each decision (`allowed`, `explicitDeny`, `implicitDeny`), the statements
//! that made it (where they are in their policy's text) and the context keys the policies use but
//! the request did not give.

use super::*;
use crate::iam::{request_context, PolicySource};
use crate::policy::{Evaluation, Request};
use std::collections::BTreeMap;

pub(super) fn simulate_principal_policy(iam: &Iam, account: &Account, request: &Value) -> Result<Value, AwsError> {
    let r = wire::object_with(
        request,
        &[
            "PolicySourceArn",
            "PolicyInputList",
            "PermissionsBoundaryPolicyInputList",
            "PolicyExclusionList",
            "ActionNames",
            "ResourceArns",
            "ResourcePolicy",
            "ResourceOwner",
            "CallerArn",
            "ContextEntries",
            "ResourceHandlingOption",
            "MaxItems",
            "Marker",
        ],
    )?;
    let source = wire::required(r, "PolicySourceArn")?;
    if source.len() < 20 {
        return Err(too_short("PolicySourceArn", source.len(), 20));
    }
    let actions = strings(r, "ActionNames")?.ok_or_else(|| wire::missing("ActionNames"))?;
    for (i, action) in actions.iter().enumerate() {
        if action.chars().count() < 3 {
            return Err(too_short(&format!("ActionNames[{i}]"), action.chars().count(), 3));
        }
    }
    let resources = strings(r, "ResourceArns")?.unwrap_or_else(|| vec!["*".to_string()]);
    let inputs = strings(r, "PolicyInputList")?.unwrap_or_default();
    let context = context_entries(r)?;
    for member in [
        "PermissionsBoundaryPolicyInputList",
        "PolicyExclusionList",
        "ResourcePolicy",
        "ResourceOwner",
        "CallerArn",
        "ResourceHandlingOption",
    ] {
        if r.get(member).is_some_and(|v| !v.is_null()) {
            return Err(unsupported(member));
        }
    }
    let paging = Paging::read(r)?;
    let mut extra = Vec::new();
    for text in &inputs {
        extra.push(policy::parse(text, Flavour::Identity).map_err(|err| malformed(err.message))?);
    }
    // Only roles of this account can be simulated here.
    let Some(role_path) = source.strip_prefix(&format!("arn:aws:iam::{}:role/", account.id)) else {
        if source.starts_with(&format!("arn:aws:iam::{}:", account.id)) {
            return Err(unsupported("PolicySourceArn of a user or group"));
        }
        return Err(invalid_input(format!("ARN {source} is not valid.")));
    };
    let name = role_path.rsplit('/').next().unwrap_or(role_path);
    let role = role(iam, name)?;
    if role.arn != source {
        return Err(no_such_entity(format!("The role with name {name} cannot be found.")));
    }
    let mut sources: Vec<(String, &str, Option<policy::Policy>)> = Vec::new();
    for (source, parsed) in iam.identity_policies(&role.arn) {
        let (id, kind) = match source {
            PolicySource::Inline { name, .. } => (name, "role"),
            PolicySource::Managed { name, aws: true, .. } => (name, "aws-managed"),
            PolicySource::Managed { name, aws: false, .. } => (name, "user-managed"),
        };
        sources.push((id, kind, Some(parsed)));
    }
    for (i, parsed) in extra.into_iter().enumerate() {
        sources.push((format!("PolicyInputList.{}", i + 1), "none", Some(parsed)));
    }
    let policies: Vec<&policy::Policy> = sources.iter().filter_map(|(_, _, p)| p.as_ref()).collect();
    let context = request_context(account, &role.arn, &context);
    let mut results = Vec::new();
    for action in &actions {
        for resource in &resources {
            let request = Request { action, resource, caller: None, context: &context };
            let evaluation = policy::evaluate(&policies, &request);
            results.push(result(action, resource, &evaluation, &sources));
        }
    }
    Ok(paging.page("EvaluationResults", results))
}

fn result(
    action: &str,
    resource: &str,
    evaluation: &Evaluation,
    sources: &[(String, &str, Option<policy::Policy>)],
) -> Value {
    let matched: Vec<Value> = evaluation
        .matched
        .iter()
        .map(|m| {
            let (id, kind, policy) = &sources[m.policy];
            let span = policy.as_ref().and_then(|p| p.statements.get(m.statement)).and_then(|s| s.span);
            let mut statement = json!({"SourcePolicyId": id, "SourcePolicyType": kind});
            if let Some(span) = span {
                statement["StartPosition"] = json!({"Line": span.start.line, "Column": span.start.column});
                statement["EndPosition"] = json!({"Line": span.end.line, "Column": span.end.column});
            }
            statement
        })
        .collect();
    json!({
        "EvalActionName": action,
        "EvalResourceName": resource,
        "EvalDecision": evaluation.decision.as_str(),
        "MatchedStatements": matched,
        "MissingContextValues": evaluation.missing_context,
    })
}

/// An optional list of strings.
fn strings(r: &Map<String, Value>, member: &str) -> Result<Option<Vec<String>>, AwsError> {
    let Some(value) = r.get(member).filter(|v| !v.is_null()) else { return Ok(None) };
    let list = wire::array(value, member)?;
    let mut out = Vec::new();
    for (i, item) in list.iter().enumerate() {
        let text = item.as_str().ok_or_else(|| wire::invalid_type(&format!("{member}[{i}]"), item, "string"))?;
        out.push(text.to_string());
    }
    Ok(Some(out))
}

/// `ContextEntries`: `[{ContextKeyName, ContextKeyValues, ContextKeyType}]` as a context.
fn context_entries(r: &Map<String, Value>) -> Result<BTreeMap<String, Vec<String>>, AwsError> {
    const TYPES: &[&str] = &[
        "string",
        "stringList",
        "numeric",
        "numericList",
        "boolean",
        "booleanList",
        "ip",
        "ipList",
        "binary",
        "binaryList",
        "date",
        "dateList",
    ];
    let mut context = BTreeMap::new();
    let Some(value) = r.get("ContextEntries").filter(|v| !v.is_null()) else { return Ok(context) };
    for (i, entry) in wire::array(value, "ContextEntries")?.iter().enumerate() {
        let e = wire::object_with(entry, &["ContextKeyName", "ContextKeyValues", "ContextKeyType"])?;
        let key = wire::string(e, "ContextKeyName")?.unwrap_or("");
        if key.chars().count() < 5 {
            return Err(too_short(&format!("ContextEntries[{i}].ContextKeyName"), key.chars().count(), 5));
        }
        if let Some(kind) = wire::string(e, "ContextKeyType")?.filter(|k| !TYPES.contains(k)) {
            return Err(constraint(
                kind,
                &format!("contextEntries.{}.member.contextKeyType", i + 1),
                &format!("Member must satisfy enum value set: [{}]", TYPES.join(", ")),
            ));
        }
        let values = strings(e, "ContextKeyValues")?.unwrap_or_default();
        context.insert(key.to_string(), values);
    }
    Ok(context)
}
