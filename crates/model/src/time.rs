//! When an article was published: a calendar day, or an instant when the time and zone are known.
//!
//! Sources give either; comparing them as strings (by slicing off the day) mixed the two, so the
//! type keeps them apart and compares by what both have: the day. It prints, parses and
//! serializes as ISO 8601 (`2021-12-13`, or RFC 3339 to the second, `2021-03-20T03:25:03Z`).

use chrono::{DateTime, FixedOffset, NaiveDate, SecondsFormat};
use std::fmt;
use std::str::FromStr;

/// A publication date as found: a day, or an instant with its UTC offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Published {
    /// Only the day is known.
    Day(NaiveDate),
    /// Day, time and offset are known; the offset is kept as the source gave it.
    Instant(DateTime<FixedOffset>),
}

impl Published {
    /// The calendar day as the source gave it (in the source's own offset, not UTC): what
    /// ordering documents by publication compares, since most sources give no time.
    pub fn day(&self) -> NaiveDate {
        match self {
            Published::Day(d) => *d,
            Published::Instant(t) => t.date_naive(),
        }
    }

    /// [`Published::day`] as days since 1970-01-01 (for distances in days).
    pub fn epoch_day(&self) -> i32 {
        use chrono::Datelike;
        self.day().num_days_from_ce() - 719_163
    }
}

impl fmt::Display for Published {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Published::Day(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            Published::Instant(t) => f.write_str(&t.to_rfc3339_opts(SecondsFormat::Secs, true)),
        }
    }
}

/// Why a string is not an ISO 8601 day or RFC 3339 instant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not an ISO 8601 date (YYYY-MM-DD) or RFC 3339 date-time: {0:?}")]
pub struct ParsePublishedError(String);

impl FromStr for Published {
    type Err = ParsePublishedError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || ParsePublishedError(s.chars().take(80).collect());
        if s.len() == 10 {
            return NaiveDate::parse_from_str(s, "%Y-%m-%d").map(Published::Day).map_err(|_| err());
        }
        DateTime::parse_from_rfc3339(s).map(Published::Instant).map_err(|_| err())
    }
}

serde_as_string!(Published);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_both_forms_exactly() {
        for s in ["2021-12-13", "2021-03-20T03:25:03Z", "2022-01-13T19:05:00+03:00"] {
            let p: Published = s.parse().unwrap();
            assert_eq!(p.to_string(), s);
            assert_eq!(serde_json::to_string(&p).unwrap(), format!("\"{s}\""));
        }
        assert!("2021-13-01".parse::<Published>().is_err());
        assert!("yesterday".parse::<Published>().is_err());
    }

    #[test]
    fn day_is_the_sources_own_day() {
        let late: Published = "2022-01-13T23:30:00-05:00".parse().unwrap();
        assert_eq!(late.day().to_string(), "2022-01-13");
    }
}
