//! The world's event log: every API call and every clock move, in order.
//!
//! It feeds the UI's timeline and the lab checks. Like CloudTrail, it records failed calls too:
//! a failed request changes no resource, but it is something the learner did and can learn from.

use crate::clock::Millis;
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
    /// An API call from a front end (console, API explorer, CLI, lab setup or solution).
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
    },
    /// The virtual clock moved forward.
    Advance { from_ms: Millis, to_ms: Millis },
    /// One service asked something of another (a change sent to a stream, an invocation...).
    Effect {
        from: String,
        to: String,
        /// What was asked, in a few words (`record for table Orders (MODIFY)`).
        summary: String,
        /// Whether the target took it; `false` when the simulator does not have the target yet.
        delivered: bool,
    },
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
