//! Exact decimal numbers: [`Decimal`] (a JSON number on the wire) and
//! [`DecimalString`] (a JSON string on the wire), for schemas with
//! `format: decimal`. Both hold a [`rust_decimal::Decimal`] and decode from either
//! form, so a vendor that sends `"123.45"` where it takes `123.45` is understood.
//!
//! Exactness: a value written with up to 15 significant digits travels unchanged
//! both ways (`123.45` stays `123.45`); JSON numbers pass through `f64` on their way
//! in and out, strings do not.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub use rust_decimal;

macro_rules! decimal_type {
    ($(#[$doc:meta])* $name:ident, $other:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
        pub struct $name(pub rust_decimal::Decimal);

        impl $name {
            /// `mantissa × 10^-scale`: `new(12345, 2)` is 123.45.
            pub fn new(mantissa: i64, scale: u32) -> Self {
                $name(rust_decimal::Decimal::new(mantissa, scale))
            }

            /// The decimal.
            pub fn value(self) -> rust_decimal::Decimal {
                self.0
            }
        }

        impl std::ops::Deref for $name {
            type Target = rust_decimal::Decimal;
            fn deref(&self) -> &rust_decimal::Decimal {
                &self.0
            }
        }

        impl From<rust_decimal::Decimal> for $name {
            fn from(value: rust_decimal::Decimal) -> Self {
                $name(value)
            }
        }

        impl From<$name> for rust_decimal::Decimal {
            fn from(value: $name) -> Self {
                value.0
            }
        }

        impl From<$other> for $name {
            fn from(value: $other) -> Self {
                $name(value.0)
            }
        }

        impl From<i64> for $name {
            fn from(value: i64) -> Self {
                $name(rust_decimal::Decimal::from(value))
            }
        }

        impl From<i32> for $name {
            fn from(value: i32) -> Self {
                $name(rust_decimal::Decimal::from(value))
            }
        }

        impl FromStr for $name {
            type Err = rust_decimal::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                parse(s).map($name)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl super::Number for $name {
            fn as_f64(self) -> f64 {
                self.0.to_string().parse().unwrap_or(f64::NAN)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_any(DecimalVisitor).map($name)
            }
        }
    };
}

decimal_type!(
    /// A decimal number sent as a JSON number (`123.45`); decoded from a number or
    /// a numeric string.
    Decimal,
    DecimalString
);

decimal_type!(
    /// A decimal number sent as a JSON string (`"123.45"`); decoded from a string or
    /// a number.
    DecimalString,
    Decimal
);

impl Serialize for Decimal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // The shortest `f64` text of a value with up to 15 significant digits is
        // that value's own text.
        let float: f64 = self
            .0
            .to_string()
            .parse()
            .map_err(serde::ser::Error::custom)?;
        serializer.serialize_f64(float)
    }
}

impl Serialize for DecimalString {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

/// Decimal text, in plain or exponent notation.
fn parse(text: &str) -> Result<rust_decimal::Decimal, rust_decimal::Error> {
    let text = text.trim();
    rust_decimal::Decimal::from_str_exact(text)
        .or_else(|_| rust_decimal::Decimal::from_scientific(text))
}

struct DecimalVisitor;

impl Visitor<'_> for DecimalVisitor {
    type Value = rust_decimal::Decimal;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a decimal number, as a JSON number or string")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        // `{}` prints the shortest text that reads back as `v`: the number as written.
        parse(&v.to_string()).map_err(|e| E::custom(format!("{v} is not a decimal: {e}")))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        parse(v).map_err(|e| E::custom(format!("{v:?} is not a decimal: {e}")))
    }
}
