//! AWS Identity and Access Management: roles, their trust and permissions policies, customer
//! managed policies with versions, the AWS managed policies every account has, and the judgement
//! of a role's call.
//!
//! The state is the account's roles and customer managed policies; the AWS managed policies are
//! data (`managed.rs`), the same in every account, never in a save. Documents are kept as the text
//! the learner sent, as IAM keeps them, and parsed (`crate::policy`) when judged.
//!
//! Besides its API (`api/`), IAM offers the world two pure judgements, for when the world makes a
//! call as a role (a function's execution role) or a service asks to act through a role:
//! [`Iam::authorize`] (do the role's identity policies allow `dynamodb:PutItem` on this table?) with
//! [`denial_message`] for AWS's wording of a refusal, and [`Iam::trusts`] (does the role's trust
//! policy let `lambda.amazonaws.com` assume it?).

mod api;
mod managed;

pub use managed::{console_template, ManagedPolicyData, AWS_MANAGED_PREFIX};

use crate::clock::Millis;
use crate::error::AwsError;
use crate::policy::{self, Caller, Context, Decision, Evaluation, Flavour, Policy, Request};
use crate::service::{Account, Ctx, Outcome, Service, View};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// The IAM API version; the Query protocol names it in its `InvalidAction` message.
pub const API_VERSION: &str = "2010-05-08";

/// The account's IAM resources. Names are unique without case, as IAM's are: each map is keyed by
/// the lower-cased name.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Iam {
    /// Roles, by lower-cased name.
    pub(crate) roles: BTreeMap<String, Role>,
    /// Customer managed policies, by lower-cased name (unique in the account whatever the path).
    pub(crate) policies: BTreeMap<String, ManagedPolicy>,
}

/// A role.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Role {
    pub name: String,
    /// `/` or `/a/b/`.
    pub path: String,
    /// `AROA` + 17 characters.
    pub id: String,
    pub arn: String,
    pub created_ms: Millis,
    /// The trust policy, as sent.
    pub trust: String,
    pub description: Option<String>,
    /// Seconds a session may last (3600 to 43200).
    pub max_session_seconds: i64,
    /// Tags in the order they were first added; keys unique without case.
    pub tags: Vec<(String, String)>,
    /// Inline policies by lower-cased name: (name as given, document text).
    pub inline: BTreeMap<String, (String, String)>,
    /// The ARNs of the managed policies attached, in the order they were attached.
    pub attached: Vec<String>,
}

/// A customer managed policy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ManagedPolicy {
    pub name: String,
    pub path: String,
    /// `ANPA` + 17 characters.
    pub id: String,
    pub arn: String,
    pub description: Option<String>,
    pub created_ms: Millis,
    /// When the default version last changed.
    pub updated_ms: Millis,
    pub tags: Vec<(String, String)>,
    /// At most five versions, oldest first.
    pub versions: Vec<PolicyVersion>,
    /// The number of the default version (`v3` is 3).
    pub default_version: u32,
    /// The number the next version gets: numbers are never reused.
    pub next_version: u32,
}

/// One version of a managed policy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PolicyVersion {
    pub number: u32,
    pub document: String,
    pub created_ms: Millis,
}

impl ManagedPolicy {
    /// The default version's document.
    pub fn default_document(&self) -> &str {
        self.versions.iter().find(|v| v.number == self.default_version).map_or("", |v| v.document.as_str())
    }
}

/// IAM has no work on the clock (the simulator has no eventual consistency to wait for).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Job {}

impl Service for Iam {
    const SDK_IDS: &'static [&'static str] = &["iam"];
    const IAM_PREFIX: &'static str = "iam";
    const ACCESS_DENIED: &'static str = "AccessDenied";
    type Job = Job;

    fn actions(_sdk_id: &str) -> &'static [&'static str] {
        api::ACTIONS
    }

    fn call(&mut self, ctx: &mut Ctx<Job>, _sdk_id: &str, action: &str, request: &Value) -> Outcome {
        api::call(self, ctx, action, request).into()
    }

    fn read_only_actions(_sdk_id: &str) -> &'static [&'static str] {
        api::READ_ONLY_ACTIONS
    }

    fn read(&self, view: View, _sdk_id: &str, action: &str, request: &Value) -> Option<Result<Value, AwsError>> {
        api::READ_ONLY_ACTIONS.contains(&action).then(|| api::read(self, view.account, action, request))
    }

    fn run_job(&mut self, _ctx: &mut Ctx<Job>, job: Job) {
        match job {}
    }
}

/// Why a role cannot be assumed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Untrusted {
    /// No role has that ARN.
    NoSuchRole,
    /// The trust policy does not allow the principal to assume the role (or denies it).
    NotAllowed(Decision),
}

impl Iam {
    /// The role whose ARN is `arn`, if the account has it.
    pub fn role_by_arn(&self, arn: &str) -> Option<&Role> {
        let name = arn.rsplit('/').next()?;
        self.roles.get(&name.to_lowercase()).filter(|role| role.arn == arn)
    }

    /// Judges a call the world makes as a session of the role `role_arn`: does the role's
    /// identity policies (its inline policies and the default versions of its attached managed
    /// policies) allow `action` (`dynamodb:PutItem`) on `resource` (an ARN)? `context` adds to the
    /// keys IAM always knows (`aws:PrincipalArn`, `aws:PrincipalAccount`, `aws:RequestedRegion`,
    /// `aws:PrincipalType`); a key it also names wins. A role the account does not have is
    /// allowed nothing.
    pub fn authorize(
        &self,
        account: &Account,
        role_arn: &str,
        action: &str,
        resource: &str,
        context: &BTreeMap<String, Vec<String>>,
    ) -> Decision {
        self.explain(account, role_arn, action, resource, context).decision
    }

    /// [`Iam::authorize`] with its reasons: the statements that decided (indexes into
    /// [`Iam::identity_policies`]) and the condition keys the request lacked.
    pub fn explain(
        &self,
        account: &Account,
        role_arn: &str,
        action: &str,
        resource: &str,
        context: &BTreeMap<String, Vec<String>>,
    ) -> Evaluation {
        let policies: Vec<Policy> = self.identity_policies(role_arn).into_iter().map(|(_, policy)| policy).collect();
        let context = request_context(account, role_arn, context);
        let request = Request { action, resource, caller: None, context: &context };
        policy::evaluate(&policies.iter().collect::<Vec<_>>(), &request)
    }

    /// The role's identity policies, parsed: its inline policies by name, then its attached
    /// managed policies' default versions, in the order attached. Each comes with where it is
    /// from. A document that no longer parses (it cannot: every one was checked when it was
    /// stored) is left out.
    pub fn identity_policies(&self, role_arn: &str) -> Vec<(PolicySource, Policy)> {
        let Some(role) = self.role_by_arn(role_arn) else { return Vec::new() };
        let mut out = Vec::new();
        for (name, document) in role.inline.values() {
            if let Ok(policy) = policy::parse(document, Flavour::Identity) {
                out.push((PolicySource::Inline { name: name.clone(), document: document.clone() }, policy));
            }
        }
        for arn in &role.attached {
            let Some((name, document, aws)) = self.managed_document(arn) else { continue };
            if let Ok(policy) = policy::parse(&document, Flavour::Identity) {
                out.push((PolicySource::Managed { name, arn: arn.clone(), aws, document }, policy));
            }
        }
        out
    }

    /// The name, default document and AWS-managedness of the managed policy `arn`.
    fn managed_document(&self, arn: &str) -> Option<(String, String, bool)> {
        if let Some(data) = managed::by_arn(arn) {
            return Some((data.name.to_string(), data.document.clone(), true));
        }
        let policy = self.policies.values().find(|p| p.arn == arn)?;
        Some((policy.name.clone(), policy.default_document().to_string(), false))
    }

    /// Whether `service_principal` (`lambda.amazonaws.com`) may assume the role `role_arn`: its
    /// trust policy must allow `sts:AssumeRole` to that principal, and deny it nothing.
    pub fn trusts(&self, role_arn: &str, service_principal: &str) -> Result<(), Untrusted> {
        let caller = Caller::Service { name: service_principal.to_string() };
        self.may_assume(role_arn, &caller, &Context::new())
    }

    /// Whether `caller` may assume the role `role_arn` (`sts:AssumeRole`), with `context`.
    pub fn may_assume(&self, role_arn: &str, caller: &Caller, context: &Context) -> Result<(), Untrusted> {
        let role = self.role_by_arn(role_arn).ok_or(Untrusted::NoSuchRole)?;
        let trust =
            policy::parse(&role.trust, Flavour::Trust).map_err(|_| Untrusted::NotAllowed(Decision::ImplicitDeny))?;
        let request = Request { action: "sts:AssumeRole", resource: role_arn, caller: Some(caller), context };
        match policy::evaluate(&[&trust], &request).decision {
            Decision::Allowed => Ok(()),
            other => Err(Untrusted::NotAllowed(other)),
        }
    }
}

/// Where an identity policy of a role comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PolicySource {
    Inline { name: String, document: String },
    Managed { name: String, arn: String, aws: bool, document: String },
}

/// The keys IAM knows of a call made as a session of `role_arn`, with `extra` added (and winning).
pub(crate) fn request_context(account: &Account, role_arn: &str, extra: &BTreeMap<String, Vec<String>>) -> Context {
    let mut context = Context::new();
    context.insert("aws:PrincipalArn".into(), vec![role_arn.to_string()]);
    context.insert("aws:PrincipalAccount".into(), vec![account.id.clone()]);
    context.insert("aws:RequestedRegion".into(), vec![account.region.clone()]);
    context.insert("aws:PrincipalType".into(), vec!["AssumedRole".into()]);
    for (key, values) in extra {
        context.retain(|k, _| !k.eq_ignore_ascii_case(key));
        context.insert(key.clone(), values.clone());
    }
    context
}

/// The ARN a session of `role_arn` calls as: `arn:aws:sts::<account>:assumed-role/<role>/<session>`.
pub fn session_arn(role_arn: &str, session: &str) -> String {
    let account = role_arn.split(':').nth(4).unwrap_or("");
    let role = role_arn.rsplit('/').next().unwrap_or(role_arn);
    format!("arn:aws:sts::{account}:assumed-role/{role}/{session}")
}

/// AWS's message for a call IAM refused (the error code is the called service's own:
/// `AccessDeniedException` for DynamoDB and Lambda, `AccessDenied` for Query-protocol services).
/// `caller_arn` is who called (a role session's ARN, see [`session_arn`]).
///
/// `User: arn:aws:sts::123456789012:assumed-role/R/S is not authorized to perform:
/// dynamodb:PutItem on resource: arn:aws:dynamodb:...:table/T because no identity-based policy
/// allows the dynamodb:PutItem action` (an implicit deny) or `... with an explicit deny in an
/// identity-based policy`. An allowed call has no message: `None`.
pub fn denial_message(caller_arn: &str, action: &str, resource: &str, decision: Decision) -> Option<String> {
    let head = format!("User: {caller_arn} is not authorized to perform: {action} on resource: {resource}");
    match decision {
        Decision::Allowed => None,
        Decision::ImplicitDeny => Some(format!("{head} because no identity-based policy allows the {action} action")),
        Decision::ExplicitDeny => Some(format!("{head} with an explicit deny in an identity-based policy")),
    }
}

#[cfg(test)]
mod tests;
