//! Seeded ids: request ids, UUIDs, sequence numbers. Same seed, same world.
//!
//! A SplitMix64 generator (Steele, Lea and Flood, 2014): tiny, fast, and its whole state is one
//! `u64`, so it saves and restores with the world.

use serde::{Deserialize, Serialize};

/// The world's source of ids and randomness.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ids {
    /// The generator state; advancing it is the only way core makes "random" choices.
    state: u64,
}

impl Ids {
    pub fn seeded(seed: u64) -> Ids {
        Ids { state: seed }
    }

    /// The next 64 pseudo-random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A version 4 UUID in its canonical lower-case form, as AWS request ids look.
    pub fn uuid(&mut self) -> String {
        // Written digit by digit into one buffer: every API call asks for a request id, and
        // `format!` spent more time parsing its pattern than writing the 36 characters.
        let hi = self.next_u64();
        let lo = self.next_u64();
        let hi = (hi & !0xF000) | 0x4000; // version 4
        let lo = (lo & !(0xC000 << 48)) | (0x8000 << 48); // RFC 4122 variant
        let mut text = [b'-'; 36];
        let mut at = 0;
        for half in [hi, lo] {
            let mut shift = 64;
            while shift > 0 {
                shift -= 4;
                if matches!(at, 8 | 13 | 18 | 23) {
                    at += 1;
                }
                text[at] = b"0123456789abcdef"[((half >> shift) & 0xF) as usize];
                at += 1;
            }
        }
        String::from_utf8(text.to_vec()).expect("hex digits and dashes are ASCII")
    }

    /// `len` characters from `alphabet`, for ids such as IAM's `AIDA...` unique ids.
    pub fn string_from(&mut self, alphabet: &[u8], len: usize) -> String {
        (0..len).map(|_| alphabet[(self.next_u64() % alphabet.len() as u64) as usize] as char).collect()
    }
}

/// IAM's unique-id alphabet: upper-case letters and the digits 2 to 7.
pub const IAM_ID_ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// 17 characters of [`IAM_ID_ALPHABET`] derived from `text` (FNV-1a, 128 bits): the same text,
/// the same id, for ids that must not depend on the order things were made in.
pub fn derived_iam_id(text: &str) -> String {
    let mut hash: u128 = 0x6c62272e07bb014262b821756295c58d;
    for byte in text.bytes() {
        hash ^= u128::from(byte);
        hash = hash.wrapping_mul(0x0000000001000000000000000000013B);
    }
    (0..17).map(|i| IAM_ID_ALPHABET[((hash >> (i * 5)) & 31) as usize] as char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_ids() {
        let (mut a, mut b) = (Ids::seeded(7), Ids::seeded(7));
        assert_eq!(a.uuid(), b.uuid());
        assert_ne!(a.uuid(), Ids::seeded(8).uuid());
    }

    #[test]
    fn uuids_are_written_as_their_two_halves_in_hex() {
        let (mut ids, mut raw) = (Ids::seeded(7), Ids::seeded(7));
        for _ in 0..100 {
            let hi = (raw.next_u64() & !0xF000) | 0x4000;
            let lo = (raw.next_u64() & !(0xC000 << 48)) | (0x8000 << 48);
            let expected = format!(
                "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
                hi >> 32,
                (hi >> 16) & 0xFFFF,
                hi & 0xFFFF,
                lo >> 48,
                lo & 0xFFFF_FFFF_FFFF
            );
            assert_eq!(ids.uuid(), expected);
        }
    }

    #[test]
    fn uuids_are_version_4() {
        let mut ids = Ids::seeded(42);
        for _ in 0..100 {
            let uuid = ids.uuid();
            assert_eq!(uuid.len(), 36);
            assert_eq!(&uuid[14..15], "4", "{uuid}");
            assert!(matches!(&uuid[19..20], "8" | "9" | "a" | "b"), "{uuid}");
        }
    }
}
