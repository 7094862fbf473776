//! Log groups, log streams and log events, named after CloudWatch Logs' own concepts.
//!
//! A group holds streams and a retention setting; a stream holds events in time order. Retention
//! is judged when events are read: an event older than the group's retention, counted back from
//! the virtual now, is no longer returned (nor counted in storedBytes), and it is pruned when
//! its stream is next written to.

use crate::clock::Millis;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One day of virtual time.
pub const DAY_MS: Millis = 86_400_000;

/// A log group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LogGroup {
    /// logGroupName, unique in the region.
    pub name: String,
    /// logGroupArn: `arn:aws:logs:<region>:<account>:log-group:<name>` (the `arn` member adds `:*`).
    pub arn: String,
    /// creationTime.
    pub created_ms: Millis,
    /// retentionInDays; `None` keeps events forever.
    pub retention_days: Option<u32>,
    /// kmsKeyId as given: stored and shown, nothing is encrypted.
    pub kms_key_id: Option<String>,
    /// logGroupClass: STANDARD unless said.
    pub class: String,
    /// Tags by key.
    pub tags: BTreeMap<String, String>,
    /// The group's streams, by name.
    pub streams: BTreeMap<String, LogStream>,
}

/// A log stream of a group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LogStream {
    pub name: String,
    /// creationTime.
    pub created_ms: Millis,
    /// firstEventTimestamp, lastEventTimestamp and lastIngestionTime, once events arrived.
    pub first_event_ms: Option<Millis>,
    pub last_event_ms: Option<Millis>,
    pub last_ingestion_ms: Option<Millis>,
    /// uploadSequenceToken: the token the last PutLogEvents answered (now ignored by AWS, still shown).
    pub upload_sequence_token: Option<String>,
    /// The events, ordered by [`Event::key`].
    pub events: Vec<Event>,
}

/// One log event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// timestamp: when it happened, as the writer says.
    pub timestamp: Millis,
    pub message: String,
    /// ingestionTime: when PutLogEvents stored it.
    pub ingestion_ms: Millis,
    /// The account-wide order of arrival: it breaks ties between equal timestamps and makes the
    /// event's id.
    pub seq: u64,
}

/// Where an event stands among all events: by timestamp, then by arrival. Also used as a
/// boundary between events by GetLogEvents' tokens.
pub type Key = (Millis, u64);

impl Event {
    pub fn key(&self) -> Key {
        (self.timestamp, self.seq)
    }

    /// eventId: 56 digits, ordered as the events are.
    pub fn id(&self) -> String {
        key_digits(self.key())
    }
}

/// A key as 56 decimal digits: the timestamp in 20, the arrival in 36.
pub fn key_digits((timestamp, seq): Key) -> String {
    format!("{timestamp:020}{seq:036}")
}

/// The key 56 digits spell, if they spell one.
pub fn key_from_digits(digits: &str) -> Option<Key> {
    if digits.len() != 56 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((digits[..20].parse().ok()?, digits[20..].parse().ok()?))
}

impl LogGroup {
    /// The instant before which events are past retention, at `now_ms`.
    pub fn cutoff(&self, now_ms: Millis) -> Millis {
        self.retention_days.map_or(0, |days| now_ms.saturating_sub(u64::from(days) * DAY_MS))
    }

    /// The events of `stream` still retained at `now_ms`, in order.
    pub fn retained<'a>(&self, stream: &'a LogStream, now_ms: Millis) -> impl Iterator<Item = &'a Event> {
        let cutoff = self.cutoff(now_ms);
        stream.events.iter().filter(move |e| e.timestamp >= cutoff)
    }

    /// storedBytes: the UTF-8 bytes of the messages still retained.
    pub fn stored_bytes(&self, now_ms: Millis) -> usize {
        self.streams.values().flat_map(|s| self.retained(s, now_ms)).map(|e| e.message.len()).sum()
    }
}

impl LogStream {
    pub fn new(name: String, created_ms: Millis) -> LogStream {
        LogStream {
            name,
            created_ms,
            first_event_ms: None,
            last_event_ms: None,
            last_ingestion_ms: None,
            upload_sequence_token: None,
            events: Vec::new(),
        }
    }

    /// Adds events (in time order among themselves), keeping the stream in order, and drops the
    /// ones before `cutoff`.
    pub fn append(&mut self, events: Vec<Event>, cutoff: Millis) {
        let Some(last) = events.last() else { return };
        self.first_event_ms = Some(self.first_event_ms.map_or(events[0].timestamp, |t| t.min(events[0].timestamp)));
        self.last_event_ms = Some(self.last_event_ms.map_or(last.timestamp, |t| t.max(last.timestamp)));
        self.last_ingestion_ms = Some(last.ingestion_ms);
        let in_order = self.events.last().is_none_or(|e| e.key() <= events[0].key());
        self.events.extend(events);
        if !in_order {
            self.events.sort_by_key(Event::key);
        }
        self.events.retain(|e| e.timestamp >= cutoff);
    }
}
