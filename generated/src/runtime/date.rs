//! Calendar dates (`format: date`): [`Date`], a [`chrono::NaiveDate`] sent as
//! `YYYY-MM-DD`.
//!
//! Vendors often send a date-time where their description says date
//! (`2020-05-01T00:00:00`, `1999-01-01T00:00:00Z`): such a value decodes to its
//! date, so a response is not refused over a time of day the schema says is not
//! there. Anything else that is not a date is a decode error.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A calendar date: `format: date` on a string.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub chrono::NaiveDate);

impl Date {
    /// The date, if `year-month-day` is one.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Self> {
        chrono::NaiveDate::from_ymd_opt(year, month, day).map(Date)
    }

    /// The date.
    pub fn value(self) -> chrono::NaiveDate {
        self.0
    }
}

impl std::ops::Deref for Date {
    type Target = chrono::NaiveDate;
    fn deref(&self) -> &chrono::NaiveDate {
        &self.0
    }
}

impl From<chrono::NaiveDate> for Date {
    fn from(date: chrono::NaiveDate) -> Self {
        Date(date)
    }
}

impl From<Date> for chrono::NaiveDate {
    fn from(date: Date) -> Self {
        date.0
    }
}

impl fmt::Debug for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Date({})", self.0)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

/// Why a text is not a date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a date (YYYY-MM-DD, or a date-time whose date is taken)")]
pub struct DateError(pub String);

impl FromStr for Date {
    type Err = DateError;

    /// `YYYY-MM-DD`, or a date-time starting with one (`T` or a space after the
    /// date): its date.
    fn from_str(text: &str) -> Result<Self, DateError> {
        super::formats::parse_date(text)
            .map(Date)
            .ok_or_else(|| DateError(text.to_string()))
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Text;
        impl serde::de::Visitor<'_> for Text {
            type Value = Date;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date (YYYY-MM-DD)")
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Date, E> {
                // serde's own form, so a decode error reads `expected a date
                // (YYYY-MM-DD), found "tomorrow"`.
                v.parse()
                    .map_err(|_| E::invalid_value(serde::de::Unexpected::Str(v), &self))
            }
        }
        deserializer.deserialize_str(Text)
    }
}

#[cfg(test)]
mod tests {
    use super::Date;

    #[test]
    fn dates_and_date_times_decode_to_their_date() {
        let want = Date::from_ymd(2020, 5, 1).unwrap();
        for text in [
            "2020-05-01",
            "2020-05-01T00:00:00",
            "2020-05-01T13:45:00Z",
            "2020-05-01 00:00:00",
        ] {
            assert_eq!(text.parse::<Date>(), Ok(want), "{text}");
        }
        for text in ["2020-5-1", "2020-05-01x", "01/05/2020", "", "2020-02-30"] {
            assert!(text.parse::<Date>().is_err(), "{text}");
        }
        assert_eq!(
            serde_json::to_string(
                &serde_json::from_str::<Date>("\"2020-05-01T00:00:00\"").unwrap()
            )
            .unwrap(),
            "\"2020-05-01\""
        );
    }
}
