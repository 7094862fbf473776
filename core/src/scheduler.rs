//! Due jobs on the virtual clock: waits, retries with backoff, visibility timeouts, schedules.
//!
//! Jobs are keyed by `(instant, seq)`: the instant orders them in time and the sequence number,
//! handed out in scheduling order, breaks ties so that two jobs due at the same instant run in
//! the order they were scheduled. Same inputs, same order: no hash maps, no wall clock.

use crate::clock::Millis;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;

/// A queue of jobs of type `J`, each due at an instant of virtual time.
#[derive(Clone, Debug, PartialEq)]
pub struct Scheduler<J> {
    /// Pending jobs, ordered by when they are due and then by scheduling order.
    jobs: BTreeMap<(Millis, u64), J>,
    /// The next tiebreak number; only ever grows, so it also counts jobs ever scheduled.
    next_seq: u64,
}

impl<J> Default for Scheduler<J> {
    fn default() -> Self {
        Scheduler { jobs: BTreeMap::new(), next_seq: 0 }
    }
}

impl<J> Scheduler<J> {
    /// Schedules `job` to run at `due`; returns its sequence number.
    pub fn schedule(&mut self, due: Millis, job: J) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.jobs.insert((due, seq), job);
        seq
    }

    /// Removes and returns the earliest job due at or before `until`.
    pub fn pop_due(&mut self, until: Millis) -> Option<(Millis, J)> {
        let (&(due, seq), _) = self.jobs.first_key_value()?;
        if due > until {
            return None;
        }
        self.jobs.remove(&(due, seq)).map(|job| (due, job))
    }

    /// When the earliest pending job is due.
    pub fn next_due(&self) -> Option<Millis> {
        self.jobs.keys().next().map(|&(due, _)| due)
    }

    pub fn len(&self) -> usize {
        self.jobs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.jobs.is_empty()
    }

    /// Drops every pending job for which `keep` is false (a deleted resource's retries, say).
    pub fn retain(&mut self, mut keep: impl FnMut(&J) -> bool) {
        self.jobs.retain(|_, job| keep(job));
    }
}

/// On the wire (saves, exports) a scheduler is `{"next_seq": n, "jobs": [[due, seq, job], ...]}`:
/// JSON objects cannot have tuple keys.
#[derive(Serialize, Deserialize)]
struct Wire<J> {
    next_seq: u64,
    jobs: Vec<(Millis, u64, J)>,
}

impl<J: Serialize + Clone> Serialize for Scheduler<J> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let jobs = self.jobs.iter().map(|(&(due, seq), job)| (due, seq, job.clone())).collect();
        Wire { next_seq: self.next_seq, jobs }.serialize(serializer)
    }
}

impl<'de, J: DeserializeOwned> Deserialize<'de> for Scheduler<J> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let wire = Wire::<J>::deserialize(deserializer)?;
        let mut jobs = BTreeMap::new();
        for (due, seq, job) in wire.jobs {
            if seq >= wire.next_seq {
                return Err(serde::de::Error::custom(format!(
                    "scheduler job seq {seq} is not below next_seq {}",
                    wire.next_seq
                )));
            }
            jobs.insert((due, seq), job);
        }
        Ok(Scheduler { jobs, next_seq: wire.next_seq })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(scheduled: &[(Millis, &'static str)], until: Millis, expect: &[&str]) {
        let mut scheduler = Scheduler::default();
        for &(due, name) in scheduled {
            scheduler.schedule(due, name);
        }
        let mut ran = Vec::new();
        while let Some((_, name)) = scheduler.pop_due(until) {
            ran.push(name);
        }
        assert_eq!(ran, expect);
    }

    #[test]
    fn runs_due_jobs_in_time_then_scheduling_order() {
        check(&[(30, "c"), (10, "a"), (20, "b")], 100, &["a", "b", "c"]);
        check(&[(10, "first"), (10, "second"), (5, "zeroth")], 10, &["zeroth", "first", "second"]);
        check(&[(10, "due"), (11, "later")], 10, &["due"]);
        check(&[], 10, &[]);
    }

    #[test]
    fn round_trips_through_json() {
        let mut scheduler = Scheduler::default();
        scheduler.schedule(20, "b".to_string());
        scheduler.schedule(10, "a".to_string());
        let json = serde_json::to_string(&scheduler).unwrap();
        assert_eq!(json, r#"{"next_seq":2,"jobs":[[10,1,"a"],[20,0,"b"]]}"#);
        let back: Scheduler<String> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, scheduler);
    }

    #[test]
    fn rejects_a_corrupt_sequence() {
        let err = serde_json::from_str::<Scheduler<String>>(r#"{"next_seq":1,"jobs":[[10,1,"a"]]}"#).unwrap_err();
        assert!(err.to_string().contains("not below next_seq"), "{err}");
    }
}
