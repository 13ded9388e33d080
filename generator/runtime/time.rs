//! [`UnixTime`]: timestamps the spec marks `format: unixtime`, seconds since the Unix epoch.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A point in time as whole seconds since 1970-01-01T00:00:00Z, the way the API sends it.
///
/// It (de)serializes as the very integer the server sent, so a value read and written back
/// is unchanged. Convert with [`to_system_time`](UnixTime::to_system_time) or
/// [`as_secs`](UnixTime::as_secs); `Display` writes it as an RFC 3339 date in UTC
/// (`2024-05-01T12:00:00Z`). A value that is not an integer fails decoding with an
/// [`Error::Decode`](crate::Error::Decode) naming its field, never a panic.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(transparent)]
pub struct UnixTime(i64);

impl UnixTime {
    /// The timestamp `secs` seconds after the epoch (before it when negative).
    pub const fn from_secs(secs: i64) -> Self {
        UnixTime(secs)
    }

    /// Seconds since the epoch, as sent on the wire.
    pub const fn as_secs(self) -> i64 {
        self.0
    }

    /// The current time, to whole seconds.
    pub fn now() -> Self {
        UnixTime::from(SystemTime::now())
    }

    /// The same instant as a [`SystemTime`]; `None` only for values outside what the
    /// platform's `SystemTime` can hold.
    pub fn to_system_time(self) -> Option<SystemTime> {
        let offset = Duration::from_secs(self.0.unsigned_abs());
        if self.0 >= 0 {
            UNIX_EPOCH.checked_add(offset)
        } else {
            UNIX_EPOCH.checked_sub(offset)
        }
    }
}

impl From<i64> for UnixTime {
    fn from(secs: i64) -> Self {
        UnixTime(secs)
    }
}

impl From<UnixTime> for i64 {
    fn from(time: UnixTime) -> Self {
        time.0
    }
}

/// Whole seconds, rounded towards the past; instants beyond `i64` seconds saturate.
impl From<SystemTime> for UnixTime {
    fn from(time: SystemTime) -> Self {
        match time.duration_since(UNIX_EPOCH) {
            Ok(after) => UnixTime(i64::try_from(after.as_secs()).unwrap_or(i64::MAX)),
            Err(before) => {
                let before = before.duration();
                let secs = i64::try_from(before.as_secs()).unwrap_or(i64::MAX);
                let partial = i64::from(before.subsec_nanos() > 0);
                UnixTime(secs.saturating_neg().saturating_sub(partial))
            }
        }
    }
}

impl TryFrom<UnixTime> for SystemTime {
    type Error = UnixTime;

    /// Fails (returning the value) only outside the platform's `SystemTime` range.
    fn try_from(time: UnixTime) -> Result<Self, UnixTime> {
        time.to_system_time().ok_or(time)
    }
}

impl std::fmt::Display for UnixTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let days = self.0.div_euclid(86_400);
        let secs_of_day = self.0.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        write!(
            f,
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
            secs_of_day / 3600,
            secs_of_day % 3600 / 60,
            secs_of_day % 60
        )
    }
}

/// The proleptic Gregorian date `days` after 1970-01-01, counting in 400-year eras of
/// 146 097 days (H. Hinnant's `civil_from_days`); exact for every `i64` day count that
/// `i64` seconds can reach.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * shifted_month + 2) / 5 + 1) as u32;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_to_the_integer_it_was_read_from() {
        for wire in ["1711471533", "0", "-1", "9223372036854775807"] {
            let time: UnixTime = serde_json::from_str(wire).unwrap();
            assert_eq!(serde_json::to_string(&time).unwrap(), wire);
        }
        assert!(serde_json::from_str::<UnixTime>("\"2024-01-01\"").is_err());
        assert!(serde_json::from_str::<UnixTime>("1.5").is_err());
    }

    #[test]
    fn displays_as_a_utc_date() {
        let cases = [
            (0, "1970-01-01T00:00:00Z"),
            (1_711_471_533, "2024-03-26T16:45:33Z"),
            (951_782_400, "2000-02-29T00:00:00Z"),
            (-1, "1969-12-31T23:59:59Z"),
            (-62_135_596_800, "0001-01-01T00:00:00Z"),
        ];
        for (secs, text) in cases {
            assert_eq!(UnixTime::from_secs(secs).to_string(), text, "{secs}");
        }
    }

    #[test]
    fn converts_to_and_from_system_time() {
        let time = UnixTime::from_secs(1_711_471_533);
        let system = time.to_system_time().unwrap();
        assert_eq!(
            system.duration_since(UNIX_EPOCH).unwrap().as_secs(),
            1_711_471_533
        );
        assert_eq!(UnixTime::from(system), time);
        let before = UNIX_EPOCH - Duration::from_millis(1500);
        assert_eq!(UnixTime::from(before), UnixTime::from_secs(-2));
    }
}
