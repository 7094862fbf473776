//! Virtual time: the only "now" in core.
//!
//! Nothing in core reads the wall clock. The world starts at an instant its creator chooses and
//! moves only when a front end advances it (the UI's clock bar, `{"advance": N}` in `lab run`).

use serde::{Deserialize, Serialize};

/// Milliseconds since the Unix epoch, in virtual time.
pub type Millis = u64;

/// The world's clock.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clock {
    /// When this world was created; lab checks measure elapsed time from here.
    started_ms: Millis,
    /// The current virtual instant. Never moves backwards.
    now_ms: Millis,
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
