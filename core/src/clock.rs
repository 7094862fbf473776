//! Virtual time: the only "now" in core.
//!
//! Nothing in core reads the wall clock. The world starts at an instant its creator chooses and
//! moves only when a front end advances it (the UI's clock bar, `{"advance": N}` in `lab run`).

use serde::{Deserialize, Serialize};

/// Milliseconds since the Unix epoch, in virtual time.
pub type Millis = u64;

/// The last instant a saved clock may show: 9999-12-31T23:59:59.999Z. Ten-year moves from there
/// stay far from the end of a `u64`, so no sum of instants in core can overflow.
pub const LAST_SAVED_MS: Millis = 253_402_300_799_999;

/// The world's clock.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ClockRecord")]
pub struct Clock {
    /// When this world was created; lab checks measure elapsed time from here.
    started_ms: Millis,
    /// The current virtual instant. Never moves backwards.
    now_ms: Millis,
}

/// A clock as a save holds it, checked before it becomes a [`Clock`]: a hand-edited save may
/// hold any numbers.
#[derive(Deserialize)]
struct ClockRecord {
    started_ms: Millis,
    now_ms: Millis,
}

impl TryFrom<ClockRecord> for Clock {
    type Error = String;

    fn try_from(record: ClockRecord) -> Result<Clock, String> {
        let ClockRecord { started_ms, now_ms } = record;
        if now_ms > LAST_SAVED_MS {
            Err(format!("the clock ({now_ms} ms) is past the year 9999"))
        } else if started_ms > now_ms {
            Err(format!("the clock started ({started_ms} ms) after its present ({now_ms} ms)"))
        } else {
            Ok(Clock { started_ms, now_ms })
        }
    }
}

impl Clock {
    pub fn starting_at(started_ms: Millis) -> Clock {
        Clock { started_ms, now_ms: started_ms }
    }

    pub fn now_ms(&self) -> Millis {
        self.now_ms
    }

    pub fn started_ms(&self) -> Millis {
        self.started_ms
    }

    /// Virtual milliseconds since the world was created.
    pub fn elapsed_ms(&self) -> Millis {
        self.now_ms - self.started_ms
    }

    /// Moves the clock to `instant`; an instant in the past leaves it where it is.
    pub(crate) fn move_to(&mut self, instant: Millis) {
        self.now_ms = self.now_ms.max(instant);
    }
}

/// Formats an instant as ISO 8601 in UTC with millisecond precision (`2025-01-01T00:00:00.000Z`).
pub fn iso8601(ms: Millis) -> String {
    let secs = ms / 1000;
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (year, month, day) = civil_from_days(days as i64);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z", rem / 3600, rem % 3600 / 60, rem % 60, ms % 1000)
}

/// Days since 1970-01-01 to a proleptic Gregorian (year, month, day), after Howard Hinnant's
/// public-domain `civil_from_days` algorithm.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(ms: Millis, expect: &str) {
        assert_eq!(iso8601(ms), expect);
    }

    #[test]
    fn a_saved_clock_is_checked() {
        let read = |text: &str| serde_json::from_str::<Clock>(text).map_err(|err| err.to_string());
        assert_eq!(read(r#"{"started_ms": 1, "now_ms": 2}"#), Ok(Clock { started_ms: 1, now_ms: 2 }));
        assert_eq!(iso8601(LAST_SAVED_MS), "9999-12-31T23:59:59.999Z");
        // A clock at the end of a u64 overflowed the next clock move (a hand-made save_file fuzz input).
        assert_eq!(
            read(r#"{"started_ms": 1, "now_ms": 18446744073709551000}"#),
            Err("the clock (18446744073709551000 ms) is past the year 9999".to_string())
        );
        // A clock that started after its present underflowed elapsed_ms.
        assert_eq!(
            read(r#"{"started_ms": 3, "now_ms": 2}"#),
            Err("the clock started (3 ms) after its present (2 ms)".to_string())
        );
    }

    #[test]
    fn formats_instants() {
        check(0, "1970-01-01T00:00:00.000Z");
        check(951_782_400_000, "2000-02-29T00:00:00.000Z");
        check(1_735_689_600_123, "2025-01-01T00:00:00.123Z");
        check(1_798_761_599_999, "2026-12-31T23:59:59.999Z");
    }

    #[test]
    fn never_moves_backwards() {
        let mut clock = Clock::starting_at(1000);
        clock.move_to(5000);
        clock.move_to(2000);
        assert_eq!(clock.now_ms(), 5000);
        assert_eq!(clock.elapsed_ms(), 4000);
    }
}
