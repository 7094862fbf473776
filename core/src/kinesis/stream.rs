//! A data stream and its shards: hash-key ranges, records with sequence numbers that increase per
//! shard, retention, and resharding.

use crate::clock::Millis;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The largest hash key: 2^128 - 1.
pub const MAX_HASH: u128 = u128::MAX;

/// A stream's retention by default, and its bounds, in hours.
pub const DEFAULT_RETENTION_HOURS: u64 = 24;
pub const MAX_RETENTION_HOURS: u64 = 8760;

/// How many shards an on-demand stream starts with.
pub const ON_DEMAND_SHARDS: u64 = 4;

/// How long a shard iterator stays valid: five minutes.
pub const ITERATOR_MS: Millis = 5 * 60 * 1000;

/// One stream.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stream {
    pub name: String,
    pub arn: String,
    /// CREATING, ACTIVE, UPDATING or DELETING.
    pub status: String,
    /// PROVISIONED or ON_DEMAND.
    pub mode: String,
    pub created_ms: Millis,
    pub retention_hours: u64,
    /// Every shard the stream has had, open and closed, in the order they were made.
    pub shards: Vec<Shard>,
    pub tags: BTreeMap<String, String>,
    /// Resharding waiting for the stream to settle: the shard count asked for.
    #[serde(default)]
    pub target_shards: Option<u64>,
}

/// One shard.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Shard {
    /// `shardId-000000000000`.
    pub id: String,
    pub start_hash: u128,
    pub end_hash: u128,
    pub parent: Option<String>,
    pub adjacent_parent: Option<String>,
    pub starting_sequence: String,
    /// Set when the shard is closed by resharding.
    pub ending_sequence: Option<String>,
    /// How many records the shard has been given: the tail of each sequence number.
    pub written: u64,
    pub records: Vec<Record>,
}

/// One record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub sequence: String,
    pub partition_key: String,
    pub data: Vec<u8>,
    pub arrival_ms: Millis,
}

impl Shard {
    pub fn open(&self) -> bool {
        self.ending_sequence.is_none()
    }

    /// The sequence number of the shard's `n`th record written at `at_ms`: 56 digits (as
    /// Kinesis's), `49`, the instant, the shard's index and the count, so that numbers increase
    /// within a shard and compare as text.
    pub fn sequence(&self, at_ms: Millis, n: u64) -> String {
        let index: u64 = self.id.trim_start_matches("shardId-").parse().unwrap_or(0);
        format!("49{at_ms:022}{:03}{n:029}", index % 1000)
    }

    /// Drops the records older than the retention period.
    pub fn expire(&mut self, now: Millis, retention_hours: u64) {
        let keep_ms = retention_hours * 3_600_000;
        self.records.retain(|r| r.arrival_ms + keep_ms > now);
    }
}

impl Stream {
    /// The open shard whose range holds `hash`.
    pub fn shard_for(&self, hash: u128) -> Option<usize> {
        self.shards.iter().position(|s| s.open() && s.start_hash <= hash && hash <= s.end_hash)
    }

    pub fn open_shards(&self) -> usize {
        self.shards.iter().filter(|s| s.open()).count()
    }

    /// Adds `count` open shards splitting the hash space evenly, with the given parents.
    pub fn add_shards(&mut self, count: u64, now: Millis, parents: &[String]) {
        // floor(2^128 / count), from 2^128 - 1 (one more when count divides 2^128); one shard has it all.
        let n = u128::from(count.max(1));
        let size = if n == 1 { 0 } else { MAX_HASH / n + u128::from(MAX_HASH % n == n - 1) };
        for i in 0..count {
            let start = size * u128::from(i);
            let end = if i + 1 == count { MAX_HASH } else { size * u128::from(i + 1) - 1 };
            let id = format!("shardId-{:012}", self.shards.len());
            let mut shard = Shard {
                id,
                start_hash: start,
                end_hash: end,
                parent: None,
                adjacent_parent: None,
                starting_sequence: String::new(),
                ending_sequence: None,
                written: 0,
                records: Vec::new(),
            };
            // A new shard's parents are the closed shards whose ranges overlap its own.
            let overlapping: Vec<&String> = parents
                .iter()
                .filter(|p| self.shards.iter().any(|s| &s.id == *p && s.start_hash <= end && start <= s.end_hash))
                .collect();
            shard.parent = overlapping.first().map(|p| p.to_string());
            shard.adjacent_parent = overlapping.get(1).map(|p| p.to_string());
            shard.starting_sequence = shard.sequence(now, 0);
            self.shards.push(shard);
        }
    }
}

/// The hash key of a partition key: its MD5 digest read as a 128-bit big-endian number.
pub fn hash_key(partition_key: &str) -> u128 {
    use md5::{Digest, Md5};
    u128::from_be_bytes(Md5::digest(partition_key.as_bytes()).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stream(shards: u64) -> Stream {
        let mut s = Stream {
            name: "s".into(),
            arn: "arn".into(),
            status: "ACTIVE".into(),
            mode: "PROVISIONED".into(),
            created_ms: 0,
            retention_hours: 24,
            shards: Vec::new(),
            tags: BTreeMap::new(),
            target_shards: None,
        };
        s.add_shards(shards, 0, &[]);
        s
    }

    #[test]
    fn shards_split_the_hash_space_as_kinesis_does() {
        let two = stream(2);
        assert_eq!(two.shards[0].end_hash, 170_141_183_460_469_231_731_687_303_715_884_105_727);
        assert_eq!(two.shards[1].start_hash, 170_141_183_460_469_231_731_687_303_715_884_105_728);
        assert_eq!(two.shards[1].end_hash, MAX_HASH);
        let three = stream(3);
        assert_eq!(three.shards[0].end_hash, 113_427_455_640_312_821_154_458_202_477_256_070_484);
        assert_eq!(three.shards[2].end_hash, MAX_HASH);
        for n in 1..=8 {
            let s = stream(n);
            assert_eq!(s.shards[0].start_hash, 0);
            for w in s.shards.windows(2) {
                assert_eq!(w[0].end_hash + 1, w[1].start_hash);
            }
        }
    }

    #[test]
    fn a_partition_key_hashes_by_md5() {
        // MD5("o-1") read as a big-endian number.
        assert_eq!(format!("{:032x}", hash_key("o-1")), "ab8e7263ab3ab8220b9ada31fa9c435c");
    }

    #[test]
    fn sequence_numbers_have_56_digits_and_grow() {
        let s = stream(1);
        let (a, b, c) = (s.shards[0].sequence(5, 1), s.shards[0].sequence(5, 2), s.shards[0].sequence(6, 3));
        assert_eq!(a.len(), 56);
        assert!(a < b && b < c);
    }
}
