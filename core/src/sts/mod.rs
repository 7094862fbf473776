//! AWS Security Token Service: who is calling.
//!
//! The simulated account has one IAM user, the learner, whose identity `GetCallerIdentity`
//! returns. It is the smallest real AWS operation there is, which makes it the first call the
//! first lab teaches. Called as a role's session (a Lambda function's SDK call), it answers with
//! that session's assumed-role identity, as AWS does.

mod api;

use crate::error::AwsError;
use crate::service::{Ctx, Outcome, Service, View};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The operations the simulator implements.
pub const ACTIONS: &[&str] = &["GetCallerIdentity"];

/// The STS API version; the Query protocol names it in its `InvalidAction` message.
pub const API_VERSION: &str = "2011-06-15";

/// STS keeps no state of its own: it answers from the account and the caller.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sts;

/// STS has no work on the clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Job {}

impl Service for Sts {
    const SDK_IDS: &'static [&'static str] = &["sts"];
    const IAM_PREFIX: &'static str = "sts";
    const ACCESS_DENIED: &'static str = "AccessDenied";

    /// GetCallerIdentity needs no permission: no policy can deny it.
    fn resources(&self, _view: View, _sdk_id: &str, action: &str, _request: &Value) -> Vec<String> {
        if action == "GetCallerIdentity" {
            Vec::new()
        } else {
            vec!["*".to_string()]
        }
    }
    type Job = Job;

    fn actions(_sdk_id: &str) -> &'static [&'static str] {
        ACTIONS
    }

    fn call(&mut self, ctx: &mut Ctx<Job>, _sdk_id: &str, action: &str, request: &Value) -> Outcome {
        api::call(ctx.account, ctx.caller, action, request).into()
    }

    fn read_only_actions(_sdk_id: &str) -> &'static [&'static str] {
        ACTIONS
    }

    fn read(&self, view: View, _sdk_id: &str, action: &str, request: &Value) -> Option<Result<Value, AwsError>> {
        // GetCallerIdentity only reads; a check runs it as the learner.
        ACTIONS.contains(&action).then(|| api::call(view.account, &crate::effect::Principal::Learner, action, request))
    }

    fn run_job(&mut self, _ctx: &mut Ctx<Job>, job: Job) {
        match job {}
    }
}
