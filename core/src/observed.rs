//! The world's event log: every API call and every clock move, in order.
//!
//! It feeds the UI's timeline and the lab checks. Like CloudTrail, it records failed calls too:
//! a failed request changes no resource, but it is something the learner did and can learn from.

use crate::clock::Millis;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::collections::VecDeque;
use std::fmt::{self, Write as _};

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
        request: Json,
        /// `None` on success, the error code and message on failure.
        error: Option<CallError>,
        /// The response of a successful call, whole up to [`RESPONSE_KEEP_BYTES`] of JSON; a
        /// bigger one keeps only its small members (`Count`, `ScannedCount`...), and
        /// `truncated` says so.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        response: Option<Json>,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        truncated: bool,
    },
    /// The learner answered a question of a lab step (a quiz check).
    Answer { id: String, value: String },
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

/// How much of a response the log keeps whole, in bytes of JSON.
pub const RESPONSE_KEEP_BYTES: usize = 4096;
/// In a bigger response, members up to this size are kept.
const MEMBER_KEEP_BYTES: usize = 512;

/// What the log keeps of a response, and whether anything was left out.
pub fn keep_response(response: &Value) -> (Json, bool) {
    if json_len_within(response, RESPONSE_KEEP_BYTES).is_some() {
        return (Json::of(response), false);
    }
    let Value::Object(members) = response else { return (Json::of(&Value::Null), true) };
    let kept: Map<String, Value> = members
        .iter()
        .filter(|(_, v)| json_len_within(v, MEMBER_KEEP_BYTES).is_some())
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    (Json::of(&Value::Object(kept)), true)
}

/// The length of `value` as compact JSON text (what `serde_json::to_string` writes), or `None`
/// as soon as it is known to be longer than `limit`: a big response is never written out just
/// to learn that it is big.
fn json_len_within(value: &Value, limit: usize) -> Option<usize> {
    fn walk(value: &Value, budget: &mut usize) -> Option<()> {
        let mut spend = |n: usize| budget.checked_sub(n).map(|left| *budget = left);
        match value {
            Value::Null => spend(4),
            Value::Bool(b) => spend(if *b { 4 } else { 5 }),
            Value::Number(n) => spend(display_len(n)),
            Value::String(s) => spend(string_len(s)),
            Value::Array(items) => {
                spend(2 + items.len().saturating_sub(1))?;
                items.iter().try_for_each(|item| walk(item, budget))
            }
            Value::Object(members) => {
                spend(2 + members.len().saturating_sub(1))?;
                members.iter().try_for_each(|(k, v)| {
                    budget.checked_sub(string_len(k) + 1).map(|left| *budget = left)?;
                    walk(v, budget)
                })
            }
        }
    }
    let mut budget = limit;
    walk(value, &mut budget)?;
    Some(limit - budget)
}

/// The length of a string as JSON: quotes, and escapes where serde_json writes them.
fn string_len(s: &str) -> usize {
    2 + s
        .bytes()
        .map(|b| match b {
            b'"' | b'\\' | 0x08 | 0x0c | b'\n' | b'\r' | b'\t' => 2,
            0x00..=0x1f => 6,
            _ => 1,
        })
        .sum::<usize>()
}

/// The length of a number's text, counted without writing it anywhere.
fn display_len(n: &serde_json::Number) -> usize {
    struct Count(usize);
    impl fmt::Write for Count {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            self.0 += s.len();
            Ok(())
        }
    }
    let mut count = Count(0);
    let _ = write!(count, "{n}");
    count.0
}

/// A JSON value kept in the log as its compact text.
///
/// A call's request and response are written once, when the call is recorded, and read back
/// only when a lab check or the console looks at them ([`Json::value`]). As text they cost one
/// allocation instead of one per member, which is most of what recording a call used to cost in
/// time and memory. A save holds them as ordinary JSON, as before.
#[derive(Clone)]
pub struct Json(Box<RawValue>);

impl Json {
    /// `value` as compact JSON text.
    pub fn of(value: &Value) -> Json {
        Json(serde_json::value::to_raw_value(value).expect("a JSON value always serializes"))
    }

    /// The value, read back from its text.
    pub fn value(&self) -> Value {
        serde_json::from_str(self.0.get()).expect("the text was written from a JSON value")
    }

    /// The compact JSON text.
    pub fn text(&self) -> &str {
        self.0.get()
    }
}

impl From<&Value> for Json {
    fn from(value: &Value) -> Json {
        Json::of(value)
    }
}

impl PartialEq for Json {
    /// Texts written from JSON values are canonical (members in key order, no spaces), so equal
    /// texts are equal values.
    fn eq(&self, other: &Json) -> bool {
        self.text() == other.text()
    }
}

impl fmt::Debug for Json {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text())
    }
}

impl Serialize for Json {
    /// The text goes into a JSON save as it is, with no second conversion.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Json {
    /// Any JSON value, from text or from a `Value` (saves are read through both), written back
    /// in canonical form.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Json, D::Error> {
        Ok(Json::of(&Value::deserialize(deserializer)?))
    }
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
        let kept = |response: &Value| {
            let (kept, truncated) = keep_response(response);
            (kept.value(), truncated)
        };
        let small = serde_json::json!({"Count": 1, "Items": [{"a": {"S": "b"}}]});
        assert_eq!(kept(&small), (small.clone(), false));
        let items: Vec<Value> = (0..300).map(|i| serde_json::json!({"a": {"S": format!("item {i}")}})).collect();
        let big = serde_json::json!({"Count": 300, "ScannedCount": 300, "Items": items});
        assert_eq!(kept(&big), (serde_json::json!({"Count": 300, "ScannedCount": 300}), true));
        assert_eq!(kept(&Value::String("x".repeat(5000))), (Value::Null, true));
    }

    /// The kept size is the size of the text serde_json writes, to the byte, at the limit too.
    #[test]
    fn measures_json_as_serde_json_writes_it() {
        let samples = [
            serde_json::json!(null),
            serde_json::json!({"a": [1, -2, 3.5, true, false, null], "b\"\\\n\u{1}\u{7f}é": "x\ty"}),
            serde_json::json!({"Count": 0, "Items": [], "M": {}}),
            serde_json::json!([1.0e300, 0.1, 12345678901234567890u64]),
        ];
        for value in samples {
            let len = serde_json::to_string(&value).unwrap().len();
            assert_eq!(json_len_within(&value, len), Some(len), "{value}");
            assert_eq!(json_len_within(&value, len - 1), None, "{value}");
        }
    }

    #[test]
    fn kept_json_round_trips_through_saves() {
        let value = serde_json::json!({"TableName": "Music", "Item": {"Year": {"N": "2020"}}, "Limit": 2.5});
        let kept = Json::of(&value);
        let text = serde_json::to_string(&kept).unwrap();
        assert_eq!(text, serde_json::to_string(&value).unwrap());
        assert_eq!(serde_json::from_str::<Json>(&text).unwrap(), kept);
        assert_eq!(serde_json::from_value::<Json>(serde_json::to_value(&kept).unwrap()).unwrap(), kept);
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
