//! The world's event log: every API call and every clock move, in order.
//!
//! It feeds the UI's timeline and the lab checks. Like CloudTrail, it records failed calls too:
//! a failed request changes no resource, but it is something the learner did and can learn from.

use crate::clock::Millis;
use crate::effect::Principal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;
use serde_json::Value;
use std::collections::VecDeque;
use std::fmt;

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
pub fn keep_response(response: &Value) -> (Json, bool) {
    // A response with a list in it (Items, Responses...) may be big: a cheap lower bound of its
    // length tells first whether writing it out is worth it.
    let may_be_big = match response {
        Value::Object(members) => members.values().any(Value::is_array),
        other => other.is_array(),
    };
    if !may_be_big || min_len(response, RESPONSE_KEEP_BYTES) <= RESPONSE_KEEP_BYTES {
        let mut text = Vec::with_capacity(256);
        if write_json(&mut text, response, RESPONSE_KEEP_BYTES) {
            return (Json::from_text(text), false);
        }
    }
    let Value::Object(members) = response else { return (Json::of(&Value::Null), true) };
    let mut text = vec![b'{'];
    for (name, member) in members {
        if min_len(member, MEMBER_KEEP_BYTES) > MEMBER_KEEP_BYTES {
            continue;
        }
        let before = text.len();
        if before > 1 {
            text.push(b',');
        }
        write_string(&mut text, name);
        text.push(b':');
        let start = text.len();
        if !write_json(&mut text, member, start + MEMBER_KEEP_BYTES) {
            text.truncate(before);
        }
    }
    text.push(b'}');
    (Json::from_text(text), true)
}

/// A lower bound of the length of `value` as JSON text, found without writing it: every string
/// counts its bytes and quotes but not its escapes, every number one digit. It stops counting
/// once past `limit`, so telling that a big response is big costs little.
fn min_len(value: &Value, limit: usize) -> usize {
    fn add(value: &Value, total: &mut usize, limit: usize) {
        match value {
            Value::Null | Value::Bool(_) => *total += 4,
            Value::Number(_) => *total += 1,
            Value::String(s) => *total += s.len() + 2,
            Value::Array(items) => {
                *total += items.len() + 1;
                for item in items {
                    if *total > limit {
                        return;
                    }
                    add(item, total, limit);
                }
            }
            Value::Object(members) => {
                *total += members.len() + 1;
                for (name, member) in members {
                    if *total > limit {
                        return;
                    }
                    *total += name.len() + 3;
                    add(member, total, limit);
                }
            }
        }
    }
    let mut total = 0;
    add(value, &mut total, limit);
    total
}

/// Appends `value` as compact JSON text, exactly as `serde_json::to_string` writes it. Returns
/// `false`, leaving `out` unfinished, as soon as `out` grows past `limit` bytes: a big response
/// is never written out whole just to learn that it is big.
fn write_json(out: &mut Vec<u8>, value: &Value, limit: usize) -> bool {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Value::Number(n) => out.extend_from_slice(n.to_string().as_bytes()),
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                if !write_json(out, item, limit) {
                    return false;
                }
            }
            out.push(b']');
        }
        Value::Object(members) => {
            out.push(b'{');
            for (i, (name, member)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_string(out, name);
                out.push(b':');
                if !write_json(out, member, limit) {
                    return false;
                }
            }
            out.push(b'}');
        }
    }
    out.len() <= limit
}

/// A JSON string with serde_json's escapes: `"`, `\\`, the short forms of control characters
/// that have one, `\u00XX` for the others.
fn write_string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut plain = 0;
    while plain < bytes.len() && bytes[plain] >= 0x20 && bytes[plain] != b'"' && bytes[plain] != b'\\' {
        plain += 1;
    }
    if plain == bytes.len() {
        out.extend_from_slice(bytes);
        out.push(b'"');
        return;
    }
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let short = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0x00..=0x1f => "",
            _ => continue,
        };
        // Every byte escaped is ASCII, so the text stays UTF-8 around it.
        out.extend_from_slice(&bytes[start..i]);
        if short.is_empty() {
            out.extend_from_slice(format!("\\u{b:04x}").as_bytes());
        } else {
            out.extend_from_slice(short.as_bytes());
        }
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// A JSON value kept in the log as its compact text.
///
/// A call's request and response are written once, when the call is recorded, and read back
/// only when a lab check or the console looks at them ([`Json::value`]). As text they cost one
/// allocation instead of one per member, which is most of what recording a call used to cost in
/// time and memory. A save holds them as ordinary JSON, as before.
#[derive(Clone)]
pub struct Json(Box<str>);

impl Json {
    /// `value` as compact JSON text.
    pub fn of(value: &Value) -> Json {
        let mut text = Vec::with_capacity(256);
        write_json(&mut text, value, usize::MAX);
        Json::from_text(text)
    }

    /// Text written by [`write_json`] (UTF-8: the strings it copies are).
    fn from_text(text: Vec<u8>) -> Json {
        Json(String::from_utf8(text).expect("JSON text written from strings").into())
    }

    /// The value, read back from its text.
    pub fn value(&self) -> Value {
        serde_json::from_str(&self.0).expect("the text was written from a JSON value")
    }

    /// The compact JSON text.
    pub fn text(&self) -> &str {
        &self.0
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
    /// The text goes into a JSON save as it is, without building a `Value` again.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let raw: &RawValue = serde_json::from_str(&self.0).map_err(serde::ser::Error::custom)?;
        raw.serialize(serializer)
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
        let big_item =
            serde_json::json!({"Item": {"a": {"S": "x".repeat(5000)}}, "ConsumedCapacity": {"CapacityUnits": 1}});
        assert_eq!(kept(&big_item), (serde_json::json!({"ConsumedCapacity": {"CapacityUnits": 1}}), true));
    }

    /// The kept text is the text serde_json writes, and the limit holds to the byte.
    #[test]
    fn writes_json_as_serde_json_does() {
        let samples = [
            serde_json::json!(null),
            serde_json::json!({"a": [1, -2, 3.5, true, false, null], "b\"\\\n\u{1}\u{7f}é": "x\ty"}),
            serde_json::json!({"Count": 0, "Items": [], "M": {}}),
            serde_json::json!([1.0e300, 0.1, 12345678901234567890u64]),
        ];
        for value in samples {
            let expected = serde_json::to_string(&value).unwrap();
            assert_eq!(Json::of(&value).text(), expected);
            assert!(write_json(&mut Vec::new(), &value, expected.len()), "{value}");
            assert!(!write_json(&mut Vec::new(), &value, expected.len() - 1), "{value}");
            assert!(min_len(&value, usize::MAX) <= expected.len(), "{value}");
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
