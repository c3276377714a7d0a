//! Date-times (`format: date-time`): [`DateTime`], an instant with the offset
//! it was written with.
//!
//! RFC 3339 asks for an offset, but vendors send `2026-04-16T15:18:43`,
//! `2026-04-16 15:18:43`, lower-case `t`/`z` and seven fraction digits. Such a
//! value decodes (the rules are [`parse_date_time`]); one written without an
//! offset is taken as UTC, and [`DateTime::has_offset`] tells it apart. A
//! value is sent as RFC 3339 with its offset (`Z` when none was written), so
//! what a client read it can send back in the form the description asks.

use std::fmt;
use std::str::FromStr;

use chrono::{FixedOffset, Offset, SecondsFormat, TimeZone, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::formats::parse_date_time;

/// An instant: `format: date-time` on a string.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime {
    value: chrono::DateTime<FixedOffset>,
    offset_given: bool,
}

impl DateTime {
    /// The instant in UTC.
    pub fn utc(&self) -> chrono::DateTime<Utc> {
        self.value.with_timezone(&Utc)
    }

    /// The instant with the offset it was written with (UTC when none was).
    pub fn fixed(&self) -> chrono::DateTime<FixedOffset> {
        self.value
    }

    /// Whether the text carried an offset (`Z`, `+02:00`); `false` for a
    /// value such as `2026-04-16T15:18:43`, read as UTC.
    pub fn has_offset(&self) -> bool {
        self.offset_given
    }
}

impl std::ops::Deref for DateTime {
    type Target = chrono::DateTime<FixedOffset>;

    fn deref(&self) -> &chrono::DateTime<FixedOffset> {
        &self.value
    }
}

impl<Tz: TimeZone> From<chrono::DateTime<Tz>> for DateTime {
    fn from(value: chrono::DateTime<Tz>) -> Self {
        DateTime {
            value: value.fixed_offset(),
            offset_given: true,
        }
    }
}

impl From<DateTime> for chrono::DateTime<Utc> {
    fn from(value: DateTime) -> Self {
        value.utc()
    }
}

impl From<DateTime> for chrono::DateTime<FixedOffset> {
    fn from(value: DateTime) -> Self {
        value.value
    }
}

impl fmt::Debug for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DateTime({self}")?;
        if !self.offset_given {
            f.write_str(", no offset sent")?;
        }
        f.write_str(")")
    }
}

/// RFC 3339 with the value's offset: `2026-04-16T15:18:43Z`,
/// `2026-04-16T17:18:43.5+02:00`.
impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value.to_rfc3339_opts(SecondsFormat::AutoSi, true))
    }
}

/// Why a text is not a date-time.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a date-time (YYYY-MM-DDThh:mm:ss, with an optional fraction and offset)")]
pub struct DateTimeError(pub String);

impl FromStr for DateTime {
    type Err = DateTimeError;

    fn from_str(text: &str) -> Result<Self, DateTimeError> {
        let error = || DateTimeError(text.to_string());
        let (local, offset) = parse_date_time(text).ok_or_else(error)?;
        let offset_given = offset.is_some();
        let offset = offset.unwrap_or_else(|| Utc.fix());
        let value = offset
            .from_local_datetime(&local)
            .single()
            .ok_or_else(error)?;
        Ok(DateTime {
            value,
            offset_given,
        })
    }
}

impl Serialize for DateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Text;
        impl serde::de::Visitor<'_> for Text {
            type Value = DateTime;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date-time")
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<DateTime, E> {
                // serde's own form, so a decode error reads `expected a date-time,
                // found "yesterday"`.
                v.parse()
                    .map_err(|_| E::invalid_value(serde::de::Unexpected::Str(v), &self))
            }
        }
        deserializer.deserialize_str(Text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_offset_is_kept_and_a_missing_one_is_utc() {
        let with: DateTime = "2026-04-16T17:18:43+02:00".parse().unwrap();
        let without: DateTime = "2026-04-16 15:18:43".parse().unwrap();
        assert!(with.has_offset());
        assert!(!without.has_offset());
        assert_eq!(with.utc(), without.utc());
        assert_eq!(with.to_string(), "2026-04-16T17:18:43+02:00");
        assert_eq!(without.to_string(), "2026-04-16T15:18:43Z");
        assert_eq!(
            format!("{without:?}"),
            "DateTime(2026-04-16T15:18:43Z, no offset sent)"
        );
    }

    #[test]
    fn json_both_ways() {
        let read: DateTime = serde_json::from_str("\"2020-03-31T04:32:56.9537857\"").unwrap();
        assert_eq!(
            serde_json::to_string(&read).unwrap(),
            "\"2020-03-31T04:32:56.953785700Z\""
        );
        let error = serde_json::from_str::<DateTime>("\"yesterday\"").unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("invalid value: string \"yesterday\", expected a date-time"),
            "{error}"
        );
        assert!(serde_json::from_str::<DateTime>("1700000000").is_err());
        let sent = DateTime::from(Utc.with_ymd_and_hms(2024, 1, 2, 3, 4, 5).unwrap());
        assert_eq!(
            serde_json::to_value(sent).unwrap(),
            serde_json::json!("2024-01-02T03:04:05Z")
        );
    }
}
