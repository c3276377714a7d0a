//! How the clients read values that vendors write more loosely than their API
//! descriptions say: date-times without an offset, numbers and booleans as
//! text. Pure functions of text over `std` and `chrono`, so the generator
//! includes this same file to judge a description's examples by the rules the
//! clients decode with (one rule, two users).
//!
//! Only readings whose meaning is unambiguous are accepted. Sending always
//! follows the description.

use chrono::{FixedOffset, NaiveDate, NaiveDateTime, NaiveTime};

/// A date-time as written: `YYYY-MM-DD`, then `T`, `t` or a space, then
/// `hh:mm`, optional `:ss`, an optional fraction of any length (`.` or `,`;
/// digits past nanoseconds are dropped), then `Z`, `z`, `±hh:mm`, `±hhmm`,
/// `±hh`, or nothing. Returns the local date-time and the offset when one is
/// written. A leap second (`:60`) is kept as chrono keeps it.
pub fn parse_date_time(text: &str) -> Option<(NaiveDateTime, Option<FixedOffset>)> {
    let text = text.trim();
    let date = NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d").ok()?;
    let rest = text.get(10..)?;
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    let (hour, rest) = two_digits(rest)?;
    let rest = rest.strip_prefix(':')?;
    let (minute, mut rest) = two_digits(rest)?;
    let mut second = 0;
    if let Some(after) = rest.strip_prefix(':') {
        (second, rest) = two_digits(after)?;
    }
    let mut nanos: u32 = 0;
    if let Some(after) = rest.strip_prefix(['.', ',']) {
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        for (i, d) in after.bytes().take(digits).enumerate() {
            if i < 9 {
                nanos = nanos * 10 + u32::from(d - b'0');
            }
        }
        nanos *= 10u32.pow(9u32.saturating_sub(digits as u32));
        rest = &after[digits..];
    }
    let (second, nanos) = if second == 60 {
        (59, nanos + 1_000_000_000)
    } else {
        (second, nanos)
    };
    let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?;
    let offset = match rest {
        "" => None,
        "Z" | "z" => Some(FixedOffset::east_opt(0)?),
        _ => Some(parse_offset(rest)?),
    };
    Some((date.and_time(time), offset))
}

/// `±hh:mm`, `±hhmm` or `±hh`.
fn parse_offset(text: &str) -> Option<FixedOffset> {
    let (sign, rest) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => return None,
    };
    let (hours, rest) = two_digits(rest)?;
    let rest = rest.strip_prefix(':').unwrap_or(rest);
    let (minutes, rest) = if rest.is_empty() {
        (0, rest)
    } else {
        two_digits(rest)?
    };
    if !rest.is_empty() || minutes > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (hours as i32 * 3600 + minutes as i32 * 60))
}

/// Two ASCII digits at the start of `text`, and what follows.
fn two_digits(text: &str) -> Option<(u32, &str)> {
    let bytes = text.as_bytes();
    if bytes.len() < 2 || !bytes[0].is_ascii_digit() || !bytes[1].is_ascii_digit() {
        return None;
    }
    Some((
        u32::from(bytes[0] - b'0') * 10 + u32::from(bytes[1] - b'0'),
        &text[2..],
    ))
}

/// A calendar date: `YYYY-MM-DD`, or a date-time starting with one (`T`, `t`
/// or a space after the date), whose date is taken.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let (day, rest) = text.split_at_checked(10)?;
    if !(rest.is_empty() || rest.starts_with(['T', 't', ' '])) {
        return None;
    }
    NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()
}

/// A number written as text: a JSON number's syntax (`45.00`, `-1e3`), with
/// surrounding spaces allowed; not `NaN`, `inf`, hex or an empty string.
pub fn number_text(text: &str) -> Option<f64> {
    let text = text.trim();
    let bytes = text.as_bytes();
    let digits = bytes.strip_prefix(b"-").unwrap_or(bytes);
    if !digits.first().is_some_and(u8::is_ascii_digit)
        || !digits.last().is_some_and(u8::is_ascii_digit)
        || !digits
            .iter()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
    {
        return None;
    }
    text.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// An integer written as text (`"12"`, `"-3"`, `"12.0"`: a number with no
/// fraction), within `i64`.
pub fn integer_text(text: &str) -> Option<i64> {
    let text = text.trim();
    if let Ok(n) = text.parse::<i64>() {
        return Some(n);
    }
    let n = number_text(text)?;
    (n.fract() == 0.0 && n >= i64::MIN as f64 && n < i64::MAX as f64).then_some(n as i64)
}

/// A boolean written as text: `true` or `false`, in any letter case.
pub fn boolean_text(text: &str) -> Option<bool> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("true") {
        Some(true)
    } else if text.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_times_as_vendors_write_them() {
        let utc = Some(FixedOffset::east_opt(0).unwrap());
        /// Text, and the local date-time and offset it reads as.
        type Row<'a> = (&'a str, Option<(&'a str, Option<FixedOffset>)>);
        let rows: &[Row] = &[
            ("2026-04-16T15:18:43Z", Some(("2026-04-16 15:18:43", utc))),
            ("2026-04-16t15:18:43z", Some(("2026-04-16 15:18:43", utc))),
            ("2026-04-16 15:18:43", Some(("2026-04-16 15:18:43", None))),
            ("2026-04-16T15:18:43", Some(("2026-04-16 15:18:43", None))),
            ("2026-04-16T15:18", Some(("2026-04-16 15:18:00", None))),
            (
                "2020-03-31T04:32:56.9537857",
                Some(("2020-03-31 04:32:56.953785700", None)),
            ),
            (
                "2020-03-31T04:32:56.123456789123+02:00",
                Some(("2020-03-31 04:32:56.123456789", FixedOffset::east_opt(7200))),
            ),
            (
                "2020-03-31T04:32:56,5-0530",
                Some(("2020-03-31 04:32:56.5", FixedOffset::east_opt(-19800))),
            ),
            (
                "2020-03-31T04:32:56+01",
                Some(("2020-03-31 04:32:56", FixedOffset::east_opt(3600))),
            ),
            ("2016-12-31T23:59:60Z", Some(("2016-12-31 23:59:60", utc))),
            ("2026-04-16", None),
            ("2026-04-16T25:00:00Z", None),
            ("2026-04-16T15:18:43.Z", None),
            ("2026-04-16T15:18:43+2:00", None),
            ("2026-04-16T15:18:43 UTC", None),
            ("last Tuesday", None),
            ("", None),
        ];
        for (text, expected) in rows {
            let got = parse_date_time(text);
            let want = expected.map(|(local, offset)| {
                let local = NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M:%S%.f")
                    .expect("a test value");
                (local, offset)
            });
            assert_eq!(got, want, "{text:?}");
        }
    }

    #[test]
    fn dates() {
        assert_eq!(
            parse_date("2024-05-31"),
            NaiveDate::from_ymd_opt(2024, 5, 31)
        );
        assert_eq!(
            parse_date("2020-05-01T00:00:00"),
            NaiveDate::from_ymd_opt(2020, 5, 1)
        );
        assert_eq!(parse_date("2024-02-30"), None);
        assert_eq!(parse_date("31/05/2024"), None);
    }

    #[test]
    fn numbers_and_booleans_as_text() {
        assert_eq!(number_text("45.00"), Some(45.0));
        assert_eq!(number_text(" -1e3 "), Some(-1000.0));
        for not_a_number in ["", "NaN", "inf", "0x10", "1.", ".5", "12abc", "1e999"] {
            assert_eq!(number_text(not_a_number), None, "{not_a_number:?}");
        }
        assert_eq!(integer_text("12"), Some(12));
        assert_eq!(integer_text("-3"), Some(-3));
        assert_eq!(integer_text("12.0"), Some(12));
        assert_eq!(integer_text("12.5"), None);
        assert_eq!(integer_text("9223372036854775807"), Some(i64::MAX));
        assert_eq!(boolean_text("true"), Some(true));
        assert_eq!(boolean_text("FALSE"), Some(false));
        assert_eq!(boolean_text("yes"), None);
        assert_eq!(boolean_text("1"), None);
    }
}
