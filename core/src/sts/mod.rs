//! AWS Security Token Service: who is calling.
//!
//! The simulated account has one IAM user, the learner, whose identity `GetCallerIdentity`
//! returns. It is the smallest real AWS operation there is, which makes it the first call the
//! first lab teaches.

mod api;

pub use api::call;

/// The operations the simulator implements.
pub const ACTIONS: &[&str] = &["GetCallerIdentity"];

/// The STS API version; the Query protocol names it in its `InvalidAction` message.
pub const API_VERSION: &str = "2011-06-15";
