//! IAM policy documents: JSON text parsed into a typed [`Policy`], then evaluated against a
//! request (`eval.rs`).
//!
//! A leaf module, so that every service may use it: IAM for its identity (permissions) and trust
//! (assume-role) policies, Lambda for its resource policies. [`parse`] never panics, whatever the
//! text; it answers with the policy or a [`PolicyError`] that carries IAM's own message for the
//! mistake (`Syntax errors in policy.`, `Policy statement must contain resources.`...), the kind of
//! mistake (so another service can word it its own way) and, where the text gives one, the line
//! and column it is at (a JSON syntax error's, or the statement's).
//!
//! The checks run in the order IAM runs them, which decides which message a policy with several
//! mistakes gets: JSON, then the grammar (unknown or mistyped elements, both `Action` and
//! `NotAction`...), then the flavour's own rule on `Principal`, the "legacy parsing" (effects are
//! case-sensitive, dates, resource shapes), unique statement ids, actions present, resources
//! present (or, in a trust policy, absent), resource ARNs, action vendors, and last the principals.

mod eval;
mod spans;

pub use eval::{evaluate, Caller, Context, Decision, Evaluation, Matched, Request};

use serde_json::{Map, Value};
use std::fmt;

/// Which kind of policy a document is: the same grammar, different rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavour {
    /// A permissions policy attached to a role, user or group (inline or managed): no
    /// `Principal` (the identity it is attached to is the principal), `Resource` required.
    Identity,
    /// A role's trust policy (`AssumeRolePolicyDocument`): who may assume the role. `Principal`
    /// required, `Resource` prohibited, only STS actions.
    Trust,
    /// A resource-based policy (a Lambda function's, a queue's): `Principal` and `Resource`
    /// required.
    Resource,
}

/// A parsed policy document.
#[derive(Clone, Debug, PartialEq)]
pub struct Policy {
    /// `Version`, when the document names one.
    pub version: Option<Version>,
    /// `Id`, an optional label.
    pub id: Option<String>,
    /// `Statement`, one object or an array of them, in document order.
    pub statements: Vec<Statement>,
}

/// The policy language versions IAM knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    /// `2012-10-17`, the current version (policy variables are resolved).
    Current,
    /// `2008-10-17`, the earlier one.
    Legacy,
}

/// One statement of a policy.
#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    /// `Sid`: unique within the policy when given.
    pub sid: Option<String>,
    pub effect: Effect,
    /// `Principal` or `NotPrincipal`, in trust and resource policies.
    pub principal: Option<Principals>,
    /// `Action` or `NotAction`: `service:Action` patterns with `*` and `?`, matched without case.
    pub action: Option<Items>,
    /// `Resource` or `NotResource`: ARN patterns with `*` and `?`, matched with case.
    pub resource: Option<Items>,
    /// `Condition`, flattened: every (operator, key) pair must hold.
    pub conditions: Vec<Condition>,
    /// Where the statement is in the text.
    pub span: Option<Span>,
}

/// `Allow` or `Deny`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
}

/// The patterns of `Action`/`Resource`, or of `NotAction`/`NotResource` when `negated`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Items {
    pub negated: bool,
    pub patterns: Vec<String>,
}

/// `Principal`, or `NotPrincipal` when `negated`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principals {
    pub negated: bool,
    pub principal: Principal,
}

/// Who a statement is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Principal {
    /// `"*"`: everyone, anonymous callers too.
    Anyone,
    /// `{"AWS": ..., "Service": ..., "Federated": ..., "CanonicalUser": ...}`, each value a
    /// string or a list of them.
    Listed(Vec<(PrincipalKind, String)>),
}

/// The kinds of principal a `Principal` object names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrincipalKind {
    /// `AWS`: an account (`123456789012`, `arn:aws:iam::123456789012:root`), a user, a role, a
    /// role session, or `*`.
    Aws,
    /// `Service`: a service principal such as `lambda.amazonaws.com`.
    Service,
    /// `Federated`: an identity provider.
    Federated,
    /// `CanonicalUser`: an S3 canonical user id.
    CanonicalUser,
}

impl PrincipalKind {
    /// The element's name in the document.
    pub fn name(self) -> &'static str {
        match self {
            PrincipalKind::Aws => "AWS",
            PrincipalKind::Service => "Service",
            PrincipalKind::Federated => "Federated",
            PrincipalKind::CanonicalUser => "CanonicalUser",
        }
    }
}

/// One condition: `operator` applied to the request's values of `key` and the policy's `values`
/// (any one of which may match).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Condition {
    pub operator: Operator,
    /// The condition key as written (`aws:SourceArn`); keys are matched without case.
    pub key: String,
    pub values: Vec<String>,
}

/// A condition operator with its qualifiers (`ForAnyValue:StringLike`, `ArnLikeIfExists`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Operator {
    pub test: Test,
    /// `...IfExists`: true when the request has no value for the key.
    pub if_exists: bool,
    /// `ForAnyValue:` or `ForAllValues:`, for keys with several values.
    pub set: Option<SetQualifier>,
}

/// `ForAnyValue:` or `ForAllValues:`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetQualifier {
    AnyValue,
    AllValues,
}

/// The condition operators of the IAM policy language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Test {
    StringEquals,
    StringNotEquals,
    StringEqualsIgnoreCase,
    StringNotEqualsIgnoreCase,
    StringLike,
    StringNotLike,
    NumericEquals,
    NumericNotEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateNotEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    BinaryEquals,
    IpAddress,
    NotIpAddress,
    ArnEquals,
    ArnLike,
    ArnNotEquals,
    ArnNotLike,
    Null,
}

impl Test {
    const ALL: [(&'static str, Test); 27] = [
        ("StringEquals", Test::StringEquals),
        ("StringNotEquals", Test::StringNotEquals),
        ("StringEqualsIgnoreCase", Test::StringEqualsIgnoreCase),
        ("StringNotEqualsIgnoreCase", Test::StringNotEqualsIgnoreCase),
        ("StringLike", Test::StringLike),
        ("StringNotLike", Test::StringNotLike),
        ("NumericEquals", Test::NumericEquals),
        ("NumericNotEquals", Test::NumericNotEquals),
        ("NumericLessThan", Test::NumericLessThan),
        ("NumericLessThanEquals", Test::NumericLessThanEquals),
        ("NumericGreaterThan", Test::NumericGreaterThan),
        ("NumericGreaterThanEquals", Test::NumericGreaterThanEquals),
        ("DateEquals", Test::DateEquals),
        ("DateNotEquals", Test::DateNotEquals),
        ("DateLessThan", Test::DateLessThan),
        ("DateLessThanEquals", Test::DateLessThanEquals),
        ("DateGreaterThan", Test::DateGreaterThan),
        ("DateGreaterThanEquals", Test::DateGreaterThanEquals),
        ("Bool", Test::Bool),
        ("BinaryEquals", Test::BinaryEquals),
        ("IpAddress", Test::IpAddress),
        ("NotIpAddress", Test::NotIpAddress),
        ("ArnEquals", Test::ArnEquals),
        ("ArnLike", Test::ArnLike),
        ("ArnNotEquals", Test::ArnNotEquals),
        ("ArnNotLike", Test::ArnNotLike),
        ("Null", Test::Null),
    ];

    /// The operator named `name` (case-sensitive, as IAM reads it).
    pub fn named(name: &str) -> Option<Test> {
        Test::ALL.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
    }

    /// The operator's name in a policy.
    pub fn name(self) -> &'static str {
        Test::ALL.iter().find(|(_, t)| *t == self).map(|(n, _)| *n).unwrap_or("Null")
    }

    /// Whether the operator is a negated one (`StringNotEquals`, `NotIpAddress`...): true when no
    /// value matches, and true when the request has no value for the key.
    pub fn negated(self) -> bool {
        matches!(
            self,
            Test::StringNotEquals
                | Test::StringNotEqualsIgnoreCase
                | Test::StringNotLike
                | Test::NumericNotEquals
                | Test::DateNotEquals
                | Test::NotIpAddress
                | Test::ArnNotEquals
                | Test::ArnNotLike
        )
    }
}

/// A place in the policy text, 1-based.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// Where a statement starts and ends in the text (the end is just past its closing brace).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub start: Position,
    pub end: Position,
}

/// What is wrong with a policy document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyError {
    pub kind: ErrorKind,
    /// IAM's message for the mistake, in the document's flavour.
    pub message: String,
    /// Where it is: a JSON syntax error's position, or the start of the statement at fault.
    pub at: Option<Position>,
}

/// The kinds of mistake, for services that word them their own way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The text is not JSON.
    InvalidJson,
    /// JSON, but not of the policy grammar.
    Syntax,
    /// An identity policy names a principal.
    PrincipalNotAllowed,
    /// A case-insensitive effect, a bad date, a resource with empty parts.
    LegacyParsing,
    DuplicateSid,
    MissingActions,
    MissingResources,
    /// A trust policy with `Resource` or `NotResource`.
    ResourceProhibited,
    /// A resource that is not an ARN or `*`, or an ARN IAM refuses.
    InvalidResource,
    /// An action without a vendor, with two colons, or with a vendor of bad characters.
    InvalidAction,
    /// A trust or resource policy statement without a principal.
    MissingPrincipal,
    /// A principal that is no account, user, role, session or known service.
    InvalidPrincipal,
    /// A trust policy action that is not an STS one.
    TrustAction,
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.at {
            Some(at) => write!(f, "{}:{}: {}", at.line, at.column, self.message),
            None => write!(f, "{}", self.message),
        }
    }
}

impl PolicyError {
    fn new(kind: ErrorKind, message: impl Into<String>, at: Option<Position>) -> PolicyError {
        PolicyError { kind, message: message.into(), at }
    }
}

/// IAM's messages.
const SYNTAX: &str = "Syntax errors in policy.";
const INVALID_JSON_TRUST: &str = "This policy contains invalid Json";
const NO_PRINCIPAL_ALLOWED: &str = "Policy document should not specify a principal.";
const LEGACY: &str = "The policy failed legacy parsing";
const DUPLICATE_SID: &str = "Statement IDs (SID) in a single policy must be unique.";
const NO_ACTIONS: &str = "Policy statement must contain actions.";
const NO_RESOURCES: &str = "Policy statement must contain resources.";
const RESOURCE_PROHIBITED: &str = "Has prohibited field Resource";
const NO_PRINCIPALS_TRUST: &str = "Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement with no principals!";
const NO_PRINCIPALS_RESOURCE: &str = "Missing required field Principal";
const NO_VENDOR: &str = "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.";
const TWO_COLONS: &str = "Actions/Condition can contain only one colon.";
const TRUST_ACTIONS: &str = "Trust Policy statement actions can only be sts:AssumeRole, sts:AssumeRoleWithSAML,  and sts:AssumeRoleWithWebIdentity";

/// The STS actions a trust policy may allow (the STS service authorization reference).
const STS_ACTIONS: &[&str] = &[
    "sts:AssumeRole",
    "sts:AssumeRoleWithSAML",
    "sts:AssumeRoleWithWebIdentity",
    "sts:AssumeRoot",
    "sts:DecodeAuthorizationMessage",
    "sts:GetAccessKeyInfo",
    "sts:GetCallerIdentity",
    "sts:GetFederationToken",
    "sts:GetServiceBearerToken",
    "sts:GetSessionToken",
    "sts:SetContext",
    "sts:SetSourceIdentity",
    "sts:TagSession",
];

/// Service principals the simulator accepts in trust and resource policies: the services of the
/// course and the common ones besides. IAM refuses a service principal it does not know.
pub const SERVICE_PRINCIPALS: &[&str] = &[
    "apigateway.amazonaws.com",
    "appsync.amazonaws.com",
    "autoscaling.amazonaws.com",
    "backup.amazonaws.com",
    "batch.amazonaws.com",
    "bedrock.amazonaws.com",
    "cloudformation.amazonaws.com",
    "cloudfront.amazonaws.com",
    "cloudtrail.amazonaws.com",
    "codebuild.amazonaws.com",
    "codedeploy.amazonaws.com",
    "codepipeline.amazonaws.com",
    "cognito-idp.amazonaws.com",
    "config.amazonaws.com",
    "delivery.logs.amazonaws.com",
    "dms.amazonaws.com",
    "dynamodb.amazonaws.com",
    "ec2.amazonaws.com",
    "ecs-tasks.amazonaws.com",
    "ecs.amazonaws.com",
    "edgelambda.amazonaws.com",
    "eks.amazonaws.com",
    "elasticmapreduce.amazonaws.com",
    "events.amazonaws.com",
    "firehose.amazonaws.com",
    "glue.amazonaws.com",
    "iot.amazonaws.com",
    "kinesis.amazonaws.com",
    "kinesisanalytics.amazonaws.com",
    "kms.amazonaws.com",
    "lambda.amazonaws.com",
    "logs.amazonaws.com",
    "monitoring.rds.amazonaws.com",
    "pipes.amazonaws.com",
    "rds.amazonaws.com",
    "redshift.amazonaws.com",
    "s3.amazonaws.com",
    "sagemaker.amazonaws.com",
    "scheduler.amazonaws.com",
    "secretsmanager.amazonaws.com",
    "ses.amazonaws.com",
    "sns.amazonaws.com",
    "sqs.amazonaws.com",
    "ssm.amazonaws.com",
    "states.amazonaws.com",
    "sts.amazonaws.com",
    "vpc-flow-logs.amazonaws.com",
    "xray.amazonaws.com",
];

/// Identity providers a `Federated` principal may name besides a SAML or OIDC provider ARN.
const WEB_IDENTITY_PROVIDERS: &[&str] =
    &["cognito-identity.amazonaws.com", "accounts.google.com", "graph.facebook.com", "www.amazon.com"];

/// Parses `text` as a policy of `flavour`, checking it as IAM does.
pub fn parse(text: &str, flavour: Flavour) -> Result<Policy, PolicyError> {
    let value: Value = serde_json::from_str(text).map_err(|err| {
        let message = if flavour == Flavour::Trust { INVALID_JSON_TRUST } else { SYNTAX };
        PolicyError::new(ErrorKind::InvalidJson, message, Some(Position { line: err.line(), column: err.column() }))
    })?;
    let spans = spans::statements(text);
    let (policy, raw) = grammar(&value, &spans)?;
    check(&policy, &raw, flavour)?;
    Ok(policy)
}

/// The number of characters of `text` that are not whitespace: what IAM's size quotas count.
pub fn size_without_whitespace(text: &str) -> usize {
    text.chars().filter(|c| !c.is_whitespace()).count()
}

/// The statements as written, for the checks that look at values the typed form normalises.
struct Raw<'a> {
    effects: Vec<&'a str>,
}

fn syntax(at: Option<Position>) -> PolicyError {
    PolicyError::new(ErrorKind::Syntax, SYNTAX, at)
}

/// The grammar: elements, their types, their combinations.
fn grammar<'a>(value: &'a Value, spans: &[Span]) -> Result<(Policy, Raw<'a>), PolicyError> {
    let Value::Object(top) = value else { return Err(syntax(None)) };
    if top.keys().any(|k| !matches!(k.as_str(), "Version" | "Id" | "Statement")) {
        return Err(syntax(None));
    }
    let version = match top.get("Version") {
        None => None,
        Some(Value::String(v)) if v == "2012-10-17" => Some(Version::Current),
        Some(Value::String(v)) if v == "2008-10-17" => Some(Version::Legacy),
        Some(_) => return Err(syntax(None)),
    };
    let id = match top.get("Id") {
        None => None,
        Some(Value::String(id)) => Some(id.clone()),
        Some(_) => return Err(syntax(None)),
    };
    let raw_statements: Vec<&Value> = match top.get("Statement") {
        Some(Value::Object(_)) => vec![&top["Statement"]],
        Some(Value::Array(list)) if !list.is_empty() => list.iter().collect(),
        _ => return Err(syntax(None)),
    };
    let mut statements = Vec::new();
    let mut raw = Raw { effects: Vec::new() };
    for (i, value) in raw_statements.into_iter().enumerate() {
        let span = spans.get(i).copied();
        let at = span.map(|s| s.start);
        let Value::Object(s) = value else { return Err(syntax(at)) };
        let (statement, effect) = statement(s, span).ok_or_else(|| syntax(at))?;
        statements.push(statement);
        raw.effects.push(effect);
    }
    Ok((Policy { version, id, statements }, raw))
}

/// One statement's grammar; `None` when it breaks it.
fn statement(s: &Map<String, Value>, span: Option<Span>) -> Option<(Statement, &str)> {
    const ELEMENTS: &[&str] =
        &["Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"];
    if s.keys().any(|k| !ELEMENTS.contains(&k.as_str())) {
        return None;
    }
    let both = |a: &str, b: &str| s.contains_key(a) && s.contains_key(b);
    if both("Action", "NotAction") || both("Resource", "NotResource") || both("Principal", "NotPrincipal") {
        return None;
    }
    let sid = match s.get("Sid") {
        None => None,
        Some(Value::String(sid)) => Some(sid.clone()),
        Some(_) => return None,
    };
    let effect_text = s.get("Effect")?.as_str()?;
    let effect = match effect_text.to_ascii_lowercase().as_str() {
        "allow" => Effect::Allow,
        "deny" => Effect::Deny,
        _ => return None,
    };
    let items = |plain: &str, not: &str| -> Option<Option<Items>> {
        let (negated, value) = match (s.get(plain), s.get(not)) {
            (Some(v), _) => (false, v),
            (None, Some(v)) => (true, v),
            (None, None) => return Some(None),
        };
        Some(Some(Items { negated, patterns: strings(value)? }))
    };
    let action = items("Action", "NotAction")?;
    let resource = items("Resource", "NotResource")?;
    let principal = match (s.get("Principal"), s.get("NotPrincipal")) {
        (Some(v), _) => Some(Principals { negated: false, principal: principal(v)? }),
        (None, Some(v)) => Some(Principals { negated: true, principal: principal(v)? }),
        (None, None) => None,
    };
    let conditions = match s.get("Condition") {
        None => Vec::new(),
        Some(Value::Object(blocks)) => conditions(blocks)?,
        Some(_) => return None,
    };
    Some((Statement { sid, effect, principal, action, resource, conditions, span }, effect_text))
}

/// A string, or a list of strings.
fn strings(value: &Value) -> Option<Vec<String>> {
    match value {
        Value::String(s) => Some(vec![s.clone()]),
        Value::Array(list) => list.iter().map(|v| v.as_str().map(str::to_string)).collect(),
        _ => None,
    }
}

fn principal(value: &Value) -> Option<Principal> {
    match value {
        Value::String(s) if s == "*" => Some(Principal::Anyone),
        Value::Object(kinds) => {
            let mut listed = Vec::new();
            for (kind, names) in kinds {
                let kind = match kind.as_str() {
                    "AWS" => PrincipalKind::Aws,
                    "Service" => PrincipalKind::Service,
                    "Federated" => PrincipalKind::Federated,
                    "CanonicalUser" => PrincipalKind::CanonicalUser,
                    _ => return None,
                };
                listed.extend(strings(names)?.into_iter().map(|name| (kind, name)));
            }
            Some(Principal::Listed(listed))
        }
        _ => None,
    }
}

/// `{operator: {key: value or [values]}}`, flattened. A value may be a string, a number or a
/// boolean (IAM reads `"aws:SecureTransport": false` as `"false"`). An operator IAM does not know
/// is a syntax error, unless its block is empty.
fn conditions(blocks: &Map<String, Value>) -> Option<Vec<Condition>> {
    let mut out = Vec::new();
    for (name, block) in blocks {
        let Value::Object(keys) = block else { return None };
        let operator = operator(name);
        for (key, values) in keys {
            let scalar = |v: &Value| match v {
                Value::String(s) => Some(s.clone()),
                Value::Bool(b) => Some(b.to_string()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            };
            let values = match values {
                Value::Array(list) => list.iter().map(scalar).collect::<Option<Vec<_>>>()?,
                other => vec![scalar(other)?],
            };
            out.push(Condition { operator: operator?, key: key.clone(), values });
        }
    }
    Some(out)
}

/// `[ForAnyValue:|ForAllValues:]Test[IfExists]`.
fn operator(name: &str) -> Option<Operator> {
    let (set, rest) = if let Some(rest) = name.strip_prefix("ForAnyValue:") {
        (Some(SetQualifier::AnyValue), rest)
    } else if let Some(rest) = name.strip_prefix("ForAllValues:") {
        (Some(SetQualifier::AllValues), rest)
    } else {
        (None, name)
    };
    let (if_exists, base) = match rest.strip_suffix("IfExists") {
        Some(base) if Test::named(base).is_some() => (true, base),
        _ => (false, rest),
    };
    Some(Operator { test: Test::named(base)?, if_exists, set })
}

/// The checks after the grammar, in IAM's order.
fn check(policy: &Policy, raw: &Raw, flavour: Flavour) -> Result<(), PolicyError> {
    let at = |s: &Statement| s.span.map(|span| span.start);
    let statements = &policy.statements;
    if flavour == Flavour::Identity {
        if let Some(s) = statements.iter().find(|s| s.principal.is_some()) {
            return Err(PolicyError::new(ErrorKind::PrincipalNotAllowed, NO_PRINCIPAL_ALLOWED, at(s)));
        }
    }
    // Legacy parsing: effects exactly `Allow`/`Deny`, dates that read, resources whose ARN parts
    // are not empty. A resource that fails the later ARN check is left for that check.
    let mut resource_error: Option<(String, Option<Position>)> = None;
    for (s, effect) in statements.iter().zip(&raw.effects) {
        let legacy = || PolicyError::new(ErrorKind::LegacyParsing, LEGACY, at(s));
        if !matches!(*effect, "Allow" | "Deny") {
            return Err(legacy());
        }
        for c in &s.conditions {
            let date = matches!(
                c.operator.test,
                Test::DateEquals
                    | Test::DateNotEquals
                    | Test::DateLessThan
                    | Test::DateLessThanEquals
                    | Test::DateGreaterThan
                    | Test::DateGreaterThanEquals
            );
            if date && c.values.iter().any(|v| eval::parse_date(v).is_none()) {
                return Err(legacy());
            }
        }
        if flavour != Flavour::Trust {
            if let Some(items) = &s.resource {
                // The resources are checked in reverse alphabetical order: the message names the
                // last bad one in that order.
                let mut sorted: Vec<&String> = items.patterns.iter().collect();
                sorted.sort_by(|a, b| b.cmp(a));
                let first_bad = sorted.iter().find_map(|r| resource_format(r));
                match first_bad {
                    Some(message) if resource_error.is_none() => resource_error = Some((message, at(s))),
                    None if resource_error.is_none() && items.patterns.iter().any(|r| !legacy_resource(r)) => {
                        return Err(legacy());
                    }
                    _ => {}
                }
            }
        }
    }
    let mut sids = Vec::new();
    for s in statements {
        if let Some(sid) = s.sid.as_deref().filter(|sid| !sid.is_empty()) {
            if sids.contains(&sid) {
                return Err(PolicyError::new(ErrorKind::DuplicateSid, DUPLICATE_SID, at(s)));
            }
            sids.push(sid);
        }
    }
    if let Some(s) = statements.iter().find(|s| s.action.as_ref().is_none_or(|a| a.patterns.is_empty())) {
        return Err(PolicyError::new(ErrorKind::MissingActions, NO_ACTIONS, at(s)));
    }
    if flavour == Flavour::Trust {
        if let Some(s) = statements.iter().find(|s| s.resource.is_some()) {
            return Err(PolicyError::new(ErrorKind::ResourceProhibited, RESOURCE_PROHIBITED, at(s)));
        }
    } else if let Some(s) = statements.iter().find(|s| s.resource.as_ref().is_none_or(|r| r.patterns.is_empty())) {
        return Err(PolicyError::new(ErrorKind::MissingResources, NO_RESOURCES, at(s)));
    }
    if let Some((message, position)) = resource_error {
        return Err(PolicyError::new(ErrorKind::InvalidResource, message, position));
    }
    for s in statements {
        for action in s.action.iter().flat_map(|a| &a.patterns) {
            if let Some(message) = action_vendor(action) {
                return Err(PolicyError::new(ErrorKind::InvalidAction, message, at(s)));
            }
        }
    }
    if flavour == Flavour::Identity {
        return Ok(());
    }
    if let Some(s) = statements.iter().find(|s| s.principal.is_none()) {
        let message = if flavour == Flavour::Trust { NO_PRINCIPALS_TRUST } else { NO_PRINCIPALS_RESOURCE };
        return Err(PolicyError::new(ErrorKind::MissingPrincipal, message, at(s)));
    }
    if flavour == Flavour::Trust {
        for s in statements {
            let Some(actions) = &s.action else { continue };
            let sts = |pattern: &str| STS_ACTIONS.iter().any(|a| eval::glob(pattern, a, true));
            if actions.negated || !actions.patterns.iter().all(|p| p.to_ascii_lowercase().starts_with("sts:") && sts(p))
            {
                return Err(PolicyError::new(ErrorKind::TrustAction, TRUST_ACTIONS, at(s)));
            }
        }
    }
    for s in statements {
        let Some(Principals { principal: Principal::Listed(listed), .. }) = &s.principal else { continue };
        for (kind, name) in listed {
            if !principal_is_valid(*kind, name) {
                let label = match kind {
                    PrincipalKind::Aws => "AWS",
                    PrincipalKind::Service => "SERVICE",
                    PrincipalKind::Federated => "FEDERATED",
                    PrincipalKind::CanonicalUser => "CANONICAL_USER",
                };
                return Err(PolicyError::new(
                    ErrorKind::InvalidPrincipal,
                    format!("Invalid principal in policy: \"{label}\":\"{name}\""),
                    at(s),
                ));
            }
        }
    }
    Ok(())
}

/// What legacy parsing asks of a resource: an ARN's service part is not empty, and an ARN with
/// an empty part (`::`) has all six parts.
fn legacy_resource(resource: &str) -> bool {
    resource == "*"
        || ((resource.matches(':').count() >= 5 || !resource.contains("::"))
            && resource.split(':').nth(2).is_some_and(|service| !service.is_empty()))
}

/// IAM's message for a resource it refuses, if it refuses it.
fn resource_format(resource: &str) -> Option<String> {
    if resource == "*" {
        return None;
    }
    let Some((_, rest)) = resource.split_once(':') else {
        return Some(format!("Resource {resource} must be in ARN format or \"*\"."));
    };
    let (partition, rest) = match rest.split_once(':') {
        Some((partition, rest)) => (partition, Some(rest)),
        None => (rest, None),
    };
    if !matches!(partition, "aws" | "aws-cn" | "aws-us-gov" | "*") {
        let parts: Vec<&str> = rest.unwrap_or("").split(':').collect();
        let part = |i: usize| parts.get(i).copied().filter(|p| !p.is_empty() || parts.len() > i + 1).unwrap_or("*");
        let tail = if parts.len() > 3 { parts[3..].join(":") } else { "*".to_string() };
        return Some(format!(
            "Partition \"{partition}\" is not valid for resource \"arn:{partition}:{}:{}:{}:{tail}\".",
            part(0),
            part(1),
            part(2)
        ));
    }
    let Some(rest) = rest else {
        return Some("Resource vendor must be fully qualified and cannot contain regexes.".to_string());
    };
    let (service, rest) = rest.split_once(':').unwrap_or((rest, ""));
    let (region, rest) = rest.split_once(':').unwrap_or((rest, ""));
    let (_account, path) = rest.split_once(':').unwrap_or((rest, ""));
    if service == "iam" && !region.is_empty() {
        return Some(format!("IAM resource {resource} cannot contain region information."));
    }
    if service == "s3" && !region.is_empty() && !path.starts_with("accesspoint/") {
        return Some(format!("Resource {resource} can not contain region information."));
    }
    const IAM_PATHS: &[&str] = &[
        "user/",
        "federated-user/",
        "role/",
        "group/",
        "instance-profile/",
        "mfa/",
        "server-certificate/",
        "policy/",
        "sms-mfa/",
        "saml-provider/",
        "oidc-provider/",
        "report/",
        "access-report/",
    ];
    if service == "iam" && path != "*" && path != "root" && !IAM_PATHS.iter().any(|p| path.starts_with(p)) {
        return Some(format!("IAM resource path must either be \"*\", root, or start with {}.", IAM_PATHS.join(", ")));
    }
    None
}

/// IAM's message for an action it refuses, if it refuses it.
fn action_vendor(action: &str) -> Option<String> {
    let parts: Vec<&str> = action.split(':').collect();
    if parts.len() == 1 && parts[0] != "*" {
        return Some(NO_VENDOR.to_string());
    }
    if parts.len() > 2 {
        return Some(TWO_COLONS.to_string());
    }
    let vendor = parts[0];
    if vendor != "*" && vendor.chars().any(|c| !(c.is_ascii_alphanumeric() || c == '-' || c == '.')) {
        return Some(format!("Vendor {vendor} is not valid"));
    }
    None
}

/// Whether IAM accepts `name` as a principal of `kind`.
fn principal_is_valid(kind: PrincipalKind, name: &str) -> bool {
    let account = |a: &str| a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit());
    match kind {
        PrincipalKind::Aws => {
            if name == "*" || account(name) {
                return true;
            }
            let parts: Vec<&str> = name.splitn(6, ':').collect();
            let [arn, partition, service, region, acct, resource] = parts[..] else { return false };
            if arn != "arn" || partition != "aws" || !region.is_empty() || !account(acct) {
                return false;
            }
            match service {
                "iam" => {
                    resource == "root"
                        || ["user/", "role/", "federated-user/"]
                            .iter()
                            .any(|p| resource.strip_prefix(p).is_some_and(|n| !n.is_empty() && !n.contains('*')))
                }
                "sts" => ["assumed-role/", "federated-user/"]
                    .iter()
                    .any(|p| resource.strip_prefix(p).is_some_and(|n| !n.is_empty() && !n.contains('*'))),
                _ => false,
            }
        }
        PrincipalKind::Service => name == "*" || SERVICE_PRINCIPALS.contains(&name),
        PrincipalKind::Federated => {
            WEB_IDENTITY_PROVIDERS.contains(&name)
                || name.strip_prefix("arn:aws:iam::").is_some_and(|rest| {
                    rest.split_once(':').is_some_and(|(acct, provider)| {
                        account(acct)
                            && (provider.starts_with("saml-provider/") || provider.starts_with("oidc-provider/"))
                    })
                })
        }
        PrincipalKind::CanonicalUser => !name.is_empty(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses `text` as `flavour` and renders the outcome: `ok N` (statements) or the error.
    fn check(flavour: Flavour, text: &str, expect: &str) {
        let got = match parse(text, flavour) {
            Ok(policy) => format!("ok {}", policy.statements.len()),
            Err(err) => err.to_string(),
        };
        assert_eq!(got, expect, "{text}");
    }

    fn identity(text: &str, expect: &str) {
        check(Flavour::Identity, text, expect);
    }

    fn trust(text: &str, expect: &str) {
        check(Flavour::Trust, text, expect);
    }

    const OK_IDENTITY: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "dynamodb:PutItem", "Resource": "arn:aws:dynamodb:ap-southeast-1:123456789012:table/Orders"}]}"#;
    const OK_TRUST: &str = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}}"#;

    #[test]
    fn valid_documents() {
        identity(OK_IDENTITY, "ok 1");
        trust(OK_TRUST, "ok 1");
        identity(r#"{"Statement": {"Effect": "Deny", "NotAction": ["s3:*"], "NotResource": "*"}}"#, "ok 1");
        identity(
            r#"{"Version": "2008-10-17", "Id": "x", "Statement": [{"Sid": "A", "Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": false}, "NumericLessThan": {"s3:max-keys": 10}, "ForAnyValue:StringLikeIfExists": {"aws:TagKeys": ["a*", "b"]}}}]}"#,
            "ok 1",
        );
        check(
            Flavour::Resource,
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "apigateway.amazonaws.com"}, "Action": "lambda:InvokeFunction", "Resource": "arn:aws:lambda:ap-southeast-1:123456789012:function:getOrders", "Condition": {"ArnLike": {"AWS:SourceArn": "arn:aws:execute-api:ap-southeast-1:123456789012:abc/*"}}}]}"#,
            "ok 1",
        );
        // An operator IAM does not know is accepted when its block is empty.
        identity(
            r#"{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"Nope": {}}}}"#,
            "ok 1",
        );
    }

    #[test]
    fn json_errors_are_located() {
        identity("{\"Version\": \"2012-10-17\",\n  \"Statement\": [}", "2:17: Syntax errors in policy.");
        trust("{", "1:1: This policy contains invalid Json");
        identity("", "1:0: Syntax errors in policy.");
    }

    #[test]
    fn grammar_errors() {
        identity("[]", "Syntax errors in policy.");
        identity(r#"{"Statement": []}"#, "Syntax errors in policy.");
        identity(
            r#"{"Version": "2012-10-18", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}"#,
            SYNTAX,
        );
        identity(r#"{"Statment": {"Effect": "Allow", "Action": "*", "Resource": "*"}}"#, SYNTAX);
        identity("{\"Statement\": [\n  {\"Action\": \"*\", \"Resource\": \"*\"}]}", "2:3: Syntax errors in policy.");
        identity(
            r#"{"Statement": {"Effect": "Maybe", "Action": "*", "Resource": "*"}}"#,
            "1:15: Syntax errors in policy.",
        );
        identity(
            r#"{"Statement": {"Effect": "Allow", "Action": "*", "NotAction": "s3:*", "Resource": "*"}}"#,
            "1:15: Syntax errors in policy.",
        );
        identity(
            r#"{"Statement": {"Effect": "Allow", "Action": [1], "Resource": "*"}}"#,
            "1:15: Syntax errors in policy.",
        );
        identity(
            r#"{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"StringEqualz": {"a:b": "c"}}}}"#,
            "1:15: Syntax errors in policy.",
        );
        identity(
            r#"{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"StringEquals": {"a:b": {"c": 1}}}}}"#,
            "1:15: Syntax errors in policy.",
        );
        identity(
            r#"{"Statement": {"Effect": "Allow", "Action": "*", "Resources": "*"}}"#,
            "1:15: Syntax errors in policy.",
        );
    }

    #[test]
    fn identity_policy_rules() {
        identity(
            r#"{"Statement": {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}}"#,
            "1:15: Policy document should not specify a principal.",
        );
        identity(
            r#"{"Statement": {"Effect": "allow", "Action": "*", "Resource": "*"}}"#,
            "1:15: The policy failed legacy parsing",
        );
        identity(
            r#"{"Statement": [{"Sid": "A", "Effect": "Allow", "Action": "*", "Resource": "*"}, {"Sid": "A", "Effect": "Deny", "Action": "*", "Resource": "*"}]}"#,
            "1:81: Statement IDs (SID) in a single policy must be unique.",
        );
        identity(
            r#"{"Statement": {"Effect": "Allow", "Resource": "*"}}"#,
            "1:15: Policy statement must contain actions.",
        );
        identity(
            r#"{"Statement": {"Effect": "Allow", "Action": [], "Resource": "*"}}"#,
            "1:15: Policy statement must contain actions.",
        );
        identity(
            r#"{"Statement": {"Effect": "Allow", "Action": "*"}}"#,
            "1:15: Policy statement must contain resources.",
        );
        identity(
            r#"{"Statement": {"Effect": "Allow", "Action": "PutItem", "Resource": "*"}}"#,
            "1:15: Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.",
        );
        identity(
            r#"{"Statement": {"Effect": "Allow", "Action": "dynamodb:Put:Item", "Resource": "*"}}"#,
            "1:15: Actions/Condition can contain only one colon.",
        );
        identity(
            r#"{"Statement": {"Effect": "Allow", "Action": "dyn amo:PutItem", "Resource": "*"}}"#,
            "1:15: Vendor dyn amo is not valid",
        );
        identity(
            r#"{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "Orders"}}"#,
            "1:15: Resource Orders must be in ARN format or \"*\".",
        );
        identity(
            r#"{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "arn:aws:iam:ap-southeast-1:123456789012:role/x"}}"#,
            "1:15: IAM resource arn:aws:iam:ap-southeast-1:123456789012:role/x cannot contain region information.",
        );
        identity(
            r#"{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "arn:aws::ap-southeast-1:123456789012:x"}}"#,
            "1:15: The policy failed legacy parsing",
        );
        identity(
            r#"{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "arn:amazon:s3:::b"}}"#,
            "1:15: Partition \"amazon\" is not valid for resource \"arn:amazon:s3:::b\".",
        );
        identity(
            r#"{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"DateLessThan": {"aws:CurrentTime": "soon"}}}}"#,
            "1:15: The policy failed legacy parsing",
        );
    }

    #[test]
    fn trust_policy_rules() {
        trust(
            r#"{"Statement": {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole", "Resource": "*"}}"#,
            "1:15: Has prohibited field Resource",
        );
        trust(
            r#"{"Statement": {"Effect": "Allow", "Action": "sts:AssumeRole"}}"#,
            "1:15: Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement with no principals!",
        );
        trust(
            r#"{"Statement": {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "dynamodb:PutItem"}}"#,
            "1:15: Trust Policy statement actions can only be sts:AssumeRole, sts:AssumeRoleWithSAML,  and sts:AssumeRoleWithWebIdentity",
        );
        trust(
            r#"{"Statement": {"Effect": "Allow", "Principal": {"Service": "lamda.amazonaws.com"}, "Action": "sts:AssumeRole"}}"#,
            "1:15: Invalid principal in policy: \"SERVICE\":\"lamda.amazonaws.com\"",
        );
        trust(
            r#"{"Statement": {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::1234:root"}, "Action": "sts:AssumeRole"}}"#,
            "1:15: Invalid principal in policy: \"AWS\":\"arn:aws:iam::1234:root\"",
        );
        trust(
            r#"{"Statement": {"Effect": "Allow", "Principal": {"AWS": ["123456789012", "arn:aws:iam::123456789012:role/x"]}, "Action": ["sts:AssumeRole", "sts:TagSession"]}}"#,
            "ok 1",
        );
        trust(r#"{"Statement": {"Effect": "Allow", "Principal": "*", "Action": "sts:Assume*"}}"#, "ok 1");
    }

    #[test]
    fn statement_spans_follow_the_text() {
        let text = "{\n  \"Statement\": [\n    {\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"},\n    {\"Effect\": \"Deny\",\n     \"Action\": \"*\", \"Resource\": \"*\"}\n  ]\n}";
        let policy = parse(text, Flavour::Identity).unwrap();
        let spans: Vec<Span> = policy.statements.iter().map(|s| s.span.unwrap()).collect();
        assert_eq!(spans[0].start, Position { line: 3, column: 5 });
        assert_eq!(spans[0].end, Position { line: 3, column: 56 });
        assert_eq!(spans[1].start, Position { line: 4, column: 5 });
        assert_eq!(spans[1].end, Position { line: 5, column: 37 });
    }

    #[test]
    fn size_counts_what_is_not_whitespace() {
        assert_eq!(size_without_whitespace("{ \"a\" :\n 1 }"), 7);
    }
}
