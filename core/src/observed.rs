//! The world's event log: every API call and every clock move, in order.
//!
//! It feeds the UI's timeline and the lab checks. Like CloudTrail, it records failed calls too:
//! a failed request changes no resource, but it is something the learner did and can learn from.

use crate::clock::Millis;
use crate::effect::Principal;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::VecDeque;

/// How many events the log keeps; older ones are dropped and counted in `dropped`.
pub const OBSERVED_CAPACITY: usize = 2000;

/// The event log.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Observed {
    /// The newest [`OBSERVED_CAPACITY`] events, oldest first.
    events: VecDeque<ObservedEvent>,
    /// Sequence number of the next event; also the number of events ever recorded.
    next_seq: u64,
}

/// One entry of the log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ObservedEvent {
    /// Position in the log, from 0; never reused, so the UI can ask for "events after N".
    pub seq: u64,
    /// Virtual time of the event.
    pub at_ms: Millis,
    /// What happened.
    pub event: Event,
}

/// What happened.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// An API call: from a front end (console, API explorer, CLI, lab setup or solution), or
    /// made by the world on a service's behalf (then `caller` and `cause` say so).
    Call {
        /// SDK id of the service in lower case, e.g. `dynamodb`.
        service: String,
        /// Operation name, e.g. `PutItem`.
        action: String,
        /// The request id the response carried.
        request_id: String,
        /// The request as sent.
        request: Value,
        /// `None` on success, the error code and message on failure.
        error: Option<CallError>,
        /// The response of a successful call, whole up to [`RESPONSE_KEEP_BYTES`] of JSON; a
        /// bigger one keeps only its small members (`Count`, `ScannedCount`...), and
        /// `truncated` says so.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        response: Option<Value>,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        truncated: bool,
        /// Who made the call; the learner unless a service or role acted for them.
        #[serde(default, skip_serializing_if = "is_learner")]
        caller: Principal,
        /// The request id of the call this one follows from, for a call the world made on a
        /// service's behalf: the timeline follows a change from hop to hop through it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cause: Option<String>,
    },
    /// The learner answered a question of a lab step (a quiz check).
    Answer { id: String, value: String },
    /// The virtual clock moved forward.
    Advance { from_ms: Millis, to_ms: Millis },
    /// One service asked something of another. Only in logs saved before such hops became
    /// calls the world makes (`Event::Call` with a `cause`); kept so those saves still load.
    Effect {
        from: String,
        to: String,
        /// What was asked, in a few words (`record for table Orders (MODIFY)`).
        summary: String,
        /// Whether the target took it; `false` when the simulator does not have the target yet.
        delivered: bool,
    },
}

fn is_learner(principal: &Principal) -> bool {
    *principal == Principal::Learner
}

/// How much of a response the log keeps whole, in bytes of JSON.
pub const RESPONSE_KEEP_BYTES: usize = 4096;
/// In a bigger response, members up to this size are kept.
const MEMBER_KEEP_BYTES: usize = 512;

/// What the log keeps of a response, and whether anything was left out.
pub fn keep_response(response: &Value) -> (Value, bool) {
    let size = |v: &Value| serde_json::to_string(v).map_or(usize::MAX, |t| t.len());
    if size(response) <= RESPONSE_KEEP_BYTES {
        return (response.clone(), false);
    }
    let Value::Object(members) = response else { return (Value::Null, true) };
    let kept = members.iter().filter(|(_, v)| size(v) <= MEMBER_KEEP_BYTES).map(|(k, v)| (k.clone(), v.clone()));
    (Value::Object(kept.collect()), true)
}

/// The error part of a failed call.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallError {
    pub code: String,
    pub message: String,
}

impl Observed {
    pub(crate) fn record(&mut self, at_ms: Millis, event: Event) {
        if self.events.len() == OBSERVED_CAPACITY {
            self.events.pop_front();
        }
        self.events.push_back(ObservedEvent { seq: self.next_seq, at_ms, event });
        self.next_seq += 1;
    }

    /// Every kept event, oldest first.
    pub fn events(&self) -> impl DoubleEndedIterator<Item = &ObservedEvent> + ExactSizeIterator {
        self.events.iter()
    }

    /// Events with a sequence number of at least `seq`.
    pub fn since(&self, seq: u64) -> impl Iterator<Item = &ObservedEvent> {
        self.events.iter().filter(move |event| event.seq >= seq)
    }

    /// The number of events ever recorded, kept or dropped.
    pub fn total(&self) -> u64 {
        self.next_seq
    }

    /// How many of the oldest events were dropped to stay within [`OBSERVED_CAPACITY`].
    pub fn dropped(&self) -> u64 {
        self.next_seq - self.events.len() as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn big_responses_keep_their_small_members() {
        let small = serde_json::json!({"Count": 1, "Items": [{"a": {"S": "b"}}]});
        assert_eq!(keep_response(&small), (small.clone(), false));
        let items: Vec<Value> = (0..300).map(|i| serde_json::json!({"a": {"S": format!("item {i}")}})).collect();
        let big = serde_json::json!({"Count": 300, "ScannedCount": 300, "Items": items});
        assert_eq!(keep_response(&big), (serde_json::json!({"Count": 300, "ScannedCount": 300}), true));
        assert_eq!(keep_response(&Value::String("x".repeat(5000))), (Value::Null, true));
    }

    #[test]
    fn keeps_the_newest_events() {
        let mut log = Observed::default();
        for i in 0..(OBSERVED_CAPACITY as u64 + 5) {
            log.record(i, Event::Advance { from_ms: i, to_ms: i + 1 });
        }
        assert_eq!(log.events().len(), OBSERVED_CAPACITY);
        assert_eq!(log.dropped(), 5);
        assert_eq!(log.events().next().unwrap().seq, 5);
        assert_eq!(log.since(OBSERVED_CAPACITY as u64 + 3).count(), 2);
    }
}
