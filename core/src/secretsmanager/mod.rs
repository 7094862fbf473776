//! AWS Secrets Manager: secrets, their versions and staging labels, and deletion with a recovery
//! window.
//!
//! `secret.rs` is the model (a secret, its versions, how labels move); `api/` is the wire edge:
//! each operation reads its request into a typed value, checks it against the secrets, then
//! commits. Nothing is encrypted: KmsKeyId is stored and shown, and values are kept as given (see
//! docs/differences.md). A secret scheduled for deletion is removed by a job on the virtual clock
//! at its DeletionDate.

mod api;
pub mod secret;

pub use api::{ACTIONS, READ_ONLY};

use crate::error::AwsError;
use crate::service::{Outcome, Service, View};
use secret::Secret;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// Every secret of the account's region, by name.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SecretsManager {
    pub secrets: BTreeMap<String, Secret>,
}

/// What Secrets Manager's operations and jobs may use of the world.
pub(crate) type Ctx<'a> = crate::service::Ctx<'a, Job>;

/// Secrets Manager's work on the virtual clock.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Job {
    /// The recovery window of the secret `arn` ends: it is deleted for good, unless it was
    /// restored (or deleted again with another window) since the job was scheduled.
    Purge { arn: String, due_ms: u64 },
}

impl Service for SecretsManager {
    const SDK_IDS: &'static [&'static str] = &["secretsmanager"];
    const IAM_PREFIX: &'static str = "secretsmanager";

    /// The secret a request names, by its full ARN (with the suffix) when it exists, as IAM
    /// sees it; `*` for ListSecrets and the like.
    fn resources(&self, view: View, _sdk_id: &str, _action: &str, request: &Value) -> Vec<String> {
        let Some(id) = request.get("SecretId").or_else(|| request.get("Name")).and_then(Value::as_str) else {
            return vec!["*".to_string()];
        };
        match api::find(self, id) {
            Ok(secret) => vec![secret.arn.clone()],
            Err(_) if id.starts_with("arn:") => vec![id.to_string()],
            Err(_) => vec![format!("arn:aws:secretsmanager:{}:{}:secret:{id}", view.account.region, view.account.id)],
        }
    }
    type Job = Job;

    fn actions(_sdk_id: &str) -> &'static [&'static str] {
        ACTIONS
    }

    fn call(&mut self, ctx: &mut Ctx, _sdk_id: &str, action: &str, request: &Value) -> Outcome {
        api::call(self, ctx, action, request).into()
    }

    fn read_only_actions(_sdk_id: &str) -> &'static [&'static str] {
        READ_ONLY
    }

    fn read(&self, view: View, _sdk_id: &str, action: &str, request: &Value) -> Option<Result<Value, AwsError>> {
        READ_ONLY.contains(&action).then(|| api::read(self, view, action, request))
    }

    fn run_job(&mut self, _ctx: &mut Ctx, job: Job) {
        let Job::Purge { arn, due_ms } = job;
        let due = |s: &Secret| s.arn == arn && s.deletion.is_some_and(|d| d.due_ms == due_ms);
        self.secrets.retain(|_, secret| !due(secret));
    }
}
