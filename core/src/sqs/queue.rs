//! A queue and its messages: attributes, visibility, delays, receive counts, redrive, and FIFO
//! message groups and deduplication.
//!
//! Nothing here runs on a job: a message's state (delayed, visible, in flight, expired) follows
//! from the instants it carries and the virtual now, so every operation first looks at the clock
//! (`Queue::expire`) and a queue left alone costs nothing.

use crate::clock::Millis;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A queue attribute a request may set, with its default and its bounds.
pub struct Setting {
    pub name: &'static str,
    pub default: &'static str,
    pub range: Option<(u64, u64)>,
}

/// The attributes CreateQueue and SetQueueAttributes take, as SQS's developer guide lists them.
pub const SETTINGS: &[Setting] = &[
    Setting { name: "DelaySeconds", default: "0", range: Some((0, 900)) },
    Setting { name: "MaximumMessageSize", default: "1048576", range: Some((1024, 1_048_576)) },
    Setting { name: "MessageRetentionPeriod", default: "345600", range: Some((60, 1_209_600)) },
    Setting { name: "ReceiveMessageWaitTimeSeconds", default: "0", range: Some((0, 20)) },
    Setting { name: "VisibilityTimeout", default: "30", range: Some((0, 43_200)) },
    Setting { name: "Policy", default: "", range: None },
    Setting { name: "RedrivePolicy", default: "", range: None },
    Setting { name: "RedriveAllowPolicy", default: "", range: None },
    Setting { name: "KmsMasterKeyId", default: "", range: None },
    Setting { name: "KmsDataKeyReusePeriodSeconds", default: "300", range: Some((60, 86_400)) },
    Setting { name: "SqsManagedSseEnabled", default: "true", range: None },
    Setting { name: "FifoQueue", default: "", range: None },
    Setting { name: "ContentBasedDeduplication", default: "false", range: None },
    Setting { name: "DeduplicationScope", default: "queue", range: None },
    Setting { name: "FifoThroughputLimit", default: "perQueue", range: None },
];

/// How long FIFO queues remember a deduplication id: five minutes.
pub const DEDUPLICATION_MS: Millis = 5 * 60 * 1000;

/// One queue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Queue {
    pub name: String,
    pub url: String,
    pub arn: String,
    pub created_ms: Millis,
    /// The queue's place among the queues made (ListQueues lists them in that order).
    #[serde(default)]
    pub created_seq: u64,
    pub modified_ms: Millis,
    /// The attributes set on the queue (defaults filled in at creation), as strings, as SQS keeps them.
    pub attributes: BTreeMap<String, String>,
    pub tags: BTreeMap<String, String>,
    /// Messages in the order they were sent (a redriven message joins at the end).
    pub messages: Vec<Message>,
    /// FIFO: deduplication ids seen in the last five minutes, with when they were sent and the
    /// answer SendMessage gave.
    #[serde(default)]
    pub deduplication: BTreeMap<String, Remembered>,
    /// FIFO: the last sequence number handed out.
    #[serde(default)]
    pub sequence: u64,
    /// When the last PurgeQueue ran (SQS allows one per 60 seconds).
    #[serde(default)]
    pub purged_ms: Option<Millis>,
    /// How many receipt handles the queue has handed out: each receive gets a new one.
    #[serde(default)]
    pub receipts: u64,
}

/// A FIFO deduplication id's first send.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Remembered {
    pub sent_ms: Millis,
    pub message_id: String,
    pub sequence: String,
}

/// A message attribute as sent: its data type and one value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attribute {
    pub data_type: String,
    /// StringValue (String and Number types) or BinaryValue.
    pub value: AttributeValue,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AttributeValue {
    String(String),
    /// The bytes (base64 on the wire).
    Binary(Vec<u8>),
}

/// One message.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Message {
    pub id: String,
    pub body: String,
    pub md5_body: String,
    pub attributes: BTreeMap<String, Attribute>,
    pub md5_attributes: Option<String>,
    /// `AWSTraceHeader`, the one system attribute a sender may set.
    pub trace_header: Option<String>,
    pub sender_id: String,
    pub sent_ms: Millis,
    /// When the message may next be received: the end of its delay, then of each visibility timeout.
    pub visible_ms: Millis,
    pub receive_count: u64,
    pub first_receive_ms: Option<Millis>,
    /// The receipt handle of the latest receive, if it has been received.
    pub receipt: Option<String>,
    pub group_id: Option<String>,
    pub deduplication_id: Option<String>,
    pub sequence: Option<String>,
    /// The queue it was moved from by a redrive policy.
    pub dead_letter_source: Option<String>,
}

impl Message {
    /// Received and its visibility timeout not over.
    pub fn in_flight(&self, now: Millis) -> bool {
        self.receive_count > 0 && self.visible_ms > now
    }

    /// Sent with a delay that is not over (never received yet).
    pub fn delayed(&self, now: Millis) -> bool {
        self.receive_count == 0 && self.visible_ms > now
    }
}

/// A queue's redrive policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Redrive {
    pub dead_letter_arn: String,
    pub max_receive_count: u64,
}

impl Queue {
    pub fn fifo(&self) -> bool {
        self.attributes.get("FifoQueue").is_some_and(|v| v == "true")
    }

    /// A numeric attribute (they are all set, with their defaults, at creation).
    pub fn number(&self, name: &str) -> u64 {
        self.attributes.get(name).and_then(|v| v.parse().ok()).unwrap_or(0)
    }

    pub fn redrive(&self) -> Option<Redrive> {
        let text = self.attributes.get("RedrivePolicy")?;
        parse_redrive(text).ok()
    }

    /// Drops the messages whose retention period is over and the deduplication ids older than
    /// five minutes.
    pub fn expire(&mut self, now: Millis) {
        let retention = self.number("MessageRetentionPeriod") * 1000;
        self.messages.retain(|m| m.sent_ms + retention > now);
        self.deduplication.retain(|_, r| r.sent_ms + DEDUPLICATION_MS > now);
    }

    /// ApproximateNumberOfMessages, ...NotVisible and ...Delayed, of the messages still retained at `now`.
    pub fn counts(&self, now: Millis) -> (usize, usize, usize) {
        let retention = self.number("MessageRetentionPeriod") * 1000;
        let kept: Vec<&Message> = self.messages.iter().filter(|m| m.sent_ms + retention > now).collect();
        let flight = kept.iter().filter(|m| m.in_flight(now)).count();
        let delayed = kept.iter().filter(|m| m.delayed(now)).count();
        (kept.len() - flight - delayed, flight, delayed)
    }

    /// The indices of up to `max` messages a receive at `now` hands out, in order. A standard
    /// queue hands out visible messages oldest first. A FIFO queue never hands out a message of
    /// a group that has one in flight, and keeps each group's order.
    pub fn receivable(&self, now: Millis, max: usize) -> Vec<usize> {
        let fifo = self.fifo();
        let mut blocked: Vec<&str> = Vec::new();
        if fifo {
            for m in &self.messages {
                if m.in_flight(now) {
                    blocked.push(m.group_id.as_deref().unwrap_or(""));
                }
            }
        }
        let mut out = Vec::new();
        for (i, m) in self.messages.iter().enumerate() {
            if out.len() == max {
                break;
            }
            let group = m.group_id.as_deref().unwrap_or("");
            if fifo && blocked.contains(&group) {
                continue;
            }
            if m.visible_ms <= now {
                out.push(i);
            } else if fifo {
                // A later message of the group must wait for this one.
                blocked.push(group);
            }
        }
        out
    }
}

/// `{"deadLetterTargetArn": ARN, "maxReceiveCount": N}` (N a number or a string, 1 to 1000).
pub fn parse_redrive(text: &str) -> Result<Redrive, String> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|_| "Redrive policy is not a valid JSON map.".to_string())?;
    let object = value.as_object().ok_or("Redrive policy is not a valid JSON map.")?;
    let arn = object
        .get("deadLetterTargetArn")
        .and_then(|v| v.as_str())
        .ok_or("Redrive policy does not contain mandatory attribute: deadLetterTargetArn.")?;
    let count = match object.get("maxReceiveCount") {
        Some(serde_json::Value::Number(n)) => n.as_u64(),
        Some(serde_json::Value::String(s)) => s.parse().ok(),
        None => return Err("Redrive policy does not contain mandatory attribute: maxReceiveCount.".to_string()),
        _ => None,
    }
    .filter(|n| (1..=1000).contains(n))
    .ok_or("Value for parameter maxReceiveCount is invalid. Reason: Must be an integer from 1 to 1000.")?;
    for key in object.keys() {
        if key != "deadLetterTargetArn" && key != "maxReceiveCount" {
            return Err(format!("Redrive policy contains an unknown attribute: {key}."));
        }
    }
    Ok(Redrive { dead_letter_arn: arn.to_string(), max_receive_count: count })
}

/// MD5OfMessageAttributes, as SQS computes it: the attributes sorted by name, each as its name,
/// its data type (each a 4-byte big-endian length and UTF-8 bytes), a transport byte (1 for
/// String and Number, 2 for Binary) and its value (length and bytes).
pub fn md5_of_attributes(attributes: &BTreeMap<String, Attribute>) -> String {
    let mut bytes = Vec::new();
    let field = |bytes: &mut Vec<u8>, data: &[u8]| {
        bytes.extend_from_slice(&(data.len() as u32).to_be_bytes());
        bytes.extend_from_slice(data);
    };
    for (name, attribute) in attributes {
        field(&mut bytes, name.as_bytes());
        field(&mut bytes, attribute.data_type.as_bytes());
        match &attribute.value {
            AttributeValue::String(s) => {
                bytes.push(1);
                field(&mut bytes, s.as_bytes());
            }
            AttributeValue::Binary(b) => {
                bytes.push(2);
                field(&mut bytes, b);
            }
        }
    }
    md5_hex(&bytes)
}

/// The lower-case hex MD5 digest of `bytes`.
pub fn md5_hex(bytes: &[u8]) -> String {
    use md5::{Digest, Md5};
    Md5::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_md5(attributes: &[(&str, &str, AttributeValue)], expect: &str) {
        let map = attributes
            .iter()
            .map(|(n, t, v)| (n.to_string(), Attribute { data_type: t.to_string(), value: v.clone() }))
            .collect();
        assert_eq!(md5_of_attributes(&map), expect);
    }

    #[test]
    fn md5_of_a_body_is_the_hex_digest() {
        assert_eq!(md5_hex(b"hello"), "5d41402abc4b2a76b9719d911017c592");
        assert_eq!(md5_hex(b""), "d41d8cd98f00b204e9800998ecf8427e");
    }

    #[test]
    fn md5_of_attributes_follows_the_documented_encoding() {
        // The digests moto 5.2.1 computes for the same attributes.
        check_md5(&[("a", "String", AttributeValue::String("b".into()))], "bef8bf215374a0a228d67533b1a488be");
        check_md5(
            &[
                ("order", "Number", AttributeValue::String("42".into())),
                ("blob", "Binary", AttributeValue::Binary(vec![0, 1, 2])),
                ("kind", "String.custom", AttributeValue::String("x y".into())),
            ],
            "80e05e296e5815e2523ea423ea858dff",
        );
    }

    #[test]
    fn a_redrive_policy_needs_both_members_in_range() {
        let ok = parse_redrive(r#"{"deadLetterTargetArn":"arn:aws:sqs:r:1:dlq","maxReceiveCount":"3"}"#).unwrap();
        assert_eq!(ok.max_receive_count, 3);
        assert!(parse_redrive(r#"{"deadLetterTargetArn":"x","maxReceiveCount":0}"#).is_err());
        assert!(parse_redrive(r#"{"maxReceiveCount":2}"#).unwrap_err().contains("deadLetterTargetArn"));
        assert!(parse_redrive("not json").is_err());
    }
}
