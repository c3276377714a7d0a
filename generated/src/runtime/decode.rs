//! Why a success body did not decode, said so a person can act on it: where in
//! the body (a JSON pointer), what the documented type expected there and what
//! arrived instead, cut short.
//!
//! [`decode_json`](super::decode_json) decodes with plain `serde_json` first, so a
//! body that decodes costs nothing extra; only when that fails is the body decoded
//! again through `serde_path_to_error`, which records the path to the value that
//! failed, and [`DecodeError::new`] reads the rest from serde's message and the
//! body. serde's messages have a fixed form (`invalid type: {found}, expected
//! {expected}`, `missing field `{name}``); a message of another form (a type's own
//! parser refusing a value) is kept whole as a [`DecodeProblem::Invalid`] reason.

use std::fmt;

use serde::de::DeserializeOwned;
use serde_json::Value;
use serde_json::error::Category;

/// The most characters of a value or body an error shows before cutting it short.
const SHOWN_CHARS: usize = 60;

/// Why a success body did not decode as the documented type, and where.
#[derive(Debug)]
pub struct DecodeError {
    /// Where in the body: a JSON pointer (RFC 6901) to the value that failed,
    /// such as `/data/attributes/created-at` or `/items/3/id`; empty for the whole
    /// body. For a missing field, the object that lacks it.
    pub path: String,
    /// What is wrong there.
    pub problem: DecodeProblem,
    /// `serde_json`'s own error, with the line and column in the body.
    pub source: serde_json::Error,
}

/// What is wrong with a body that did not decode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeProblem {
    /// The body is not JSON, or stops early: `serde_json`'s reason, where it
    /// stopped, and the text there, cut short.
    NotJson {
        /// What the parser wanted: `expected value`, `EOF while parsing an object`.
        reason: String,
        /// Line of the stop, from 1.
        line: usize,
        /// Column of the stop, in bytes from 1 (0 for an empty line).
        column: usize,
        /// The body around the stop, cut short.
        near: String,
    },
    /// A required field is absent from the object at the path.
    MissingField {
        /// The field's name as the API spells it.
        field: String,
    },
    /// The value at the path is not of the type the API documents: `null` in a
    /// required field, a string for an integer…
    Mismatch {
        /// What the type needs: `a string`, `i64`, `struct Service`.
        expected: String,
        /// What arrived, as JSON, cut short: `"yesterday"`, `null`, `{"id":1,…`.
        found: String,
    },
    /// The type refused the value at the path for a reason of its own, in words
    /// of another form than serde's (a date-time that does not parse, a value
    /// matching no alternative of a union).
    Invalid {
        /// Why, in the type's own words.
        reason: String,
        /// What arrived, as JSON, cut short, when the body shows it.
        found: Option<String>,
    },
}

impl DecodeError {
    /// Describes `error`, the failure of `T` to decode from `body`. Runs only
    /// when decoding has failed: it decodes `body` again to find the path.
    #[cold]
    pub fn new<T: DeserializeOwned>(body: &[u8], error: serde_json::Error) -> Self {
        let message = message_of(&error);
        if matches!(
            error.classify(),
            Category::Syntax | Category::Eof | Category::Io
        ) {
            return DecodeError {
                path: String::new(),
                problem: DecodeProblem::NotJson {
                    near: near(body, error.line(), error.column()),
                    reason: message,
                    line: error.line(),
                    column: error.column(),
                },
                source: error,
            };
        }
        let mut reader = serde_json::Deserializer::from_slice(body);
        let (path, steps) = match serde_path_to_error::deserialize::<_, T>(&mut reader) {
            Err(traced) => pointer(traced.path()),
            // Cannot be: the same bytes, the same type. The message still says why.
            Ok(_) => (String::new(), Vec::new()),
        };
        // The value at the path, when the body parses whole (it may not: the
        // first error can come before a later syntax error).
        let at = serde_json::from_slice::<Value>(body)
            .ok()
            .and_then(|value| lookup(value, &steps));
        DecodeError {
            path,
            problem: problem(&message, at.as_ref()),
            source: error,
        }
    }

    /// What the type expected at [`path`](Self::path), when that is known.
    pub fn expected(&self) -> Option<&str> {
        match &self.problem {
            DecodeProblem::Mismatch { expected, .. } => Some(expected),
            _ => None,
        }
    }

    /// What arrived at [`path`](Self::path), as JSON cut short, when the body shows it.
    pub fn found(&self) -> Option<&str> {
        match &self.problem {
            DecodeProblem::Mismatch { found, .. } => Some(found),
            DecodeProblem::Invalid { found, .. } => found.as_deref(),
            _ => None,
        }
    }
}

impl fmt::Display for DecodeError {
    /// `at /data/attributes/created-at: expected a date-time, found "yesterday"`;
    /// `at /data/attributes: missing field "name"`; ``not JSON: expected value at
    /// line 1 column 1, near `<html>…` ``.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let DecodeProblem::NotJson {
            reason,
            line,
            column,
            near,
        } = &self.problem
        {
            write!(f, "not JSON: {reason} at line {line} column {column}")?;
            if !near.is_empty() {
                write!(f, ", near `{near}`")?;
            }
            return Ok(());
        }
        if !self.path.is_empty() {
            write!(f, "at {}: ", self.path)?;
        }
        match &self.problem {
            DecodeProblem::MissingField { field } => {
                write!(f, "missing field {}", Value::from(field.as_str()))
            }
            DecodeProblem::Mismatch { expected, found } => {
                write!(f, "expected {expected}, found {found}")
            }
            DecodeProblem::Invalid {
                reason,
                found: Some(found),
            } => write!(f, "found {found}: {reason}"),
            DecodeProblem::Invalid {
                reason,
                found: None,
            } => f.write_str(reason),
            DecodeProblem::NotJson { .. } => Ok(()),
        }
    }
}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// `serde_json`'s message without the position it appends.
fn message_of(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let position = format!(" at line {} column {}", error.line(), error.column());
    match text.strip_suffix(&position) {
        Some(message) if error.line() != 0 => message.to_string(),
        _ => text,
    }
}

/// What serde's `message` says is wrong with `at`, the value it is about.
fn problem(message: &str, at: Option<&Value>) -> DecodeProblem {
    if let Some(field) = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.strip_suffix('`'))
    {
        return DecodeProblem::MissingField {
            field: field.to_string(),
        };
    }
    let shown = at.map(|value| cut(&value.to_string(), SHOWN_CHARS));
    // serde's forms; its `found` text comes from the wire, its `expected` text
    // from code, so the last ", expected " is the separator.
    let split = |rest: &str| {
        rest.rfind(", expected ")
            .map(|at| (rest[..at].to_string(), rest[at + 11..].to_string()))
    };
    let typed = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "))
        .and_then(split);
    if let Some((unexpected, expected)) = typed {
        let found = match (shown, at) {
            // serde names only the kind of an object or array; the body shows it.
            // A value of another kind at the path means the message is about
            // something inside it that the path could not follow (a union read
            // through a buffer): serde's own words are then the better account.
            (Some(shown), Some(value)) if same_kind(&unexpected, value) => shown,
            _ => unexpected_as_json(&unexpected),
        };
        return DecodeProblem::Mismatch { expected, found };
    }
    let other = message
        .strip_prefix("invalid length ")
        .or_else(|| message.strip_prefix("unknown variant "))
        .or_else(|| message.strip_prefix("unknown field "))
        .and_then(split);
    match (other, shown) {
        (Some((_, expected)), Some(found)) => DecodeProblem::Mismatch { expected, found },
        (_, found) => DecodeProblem::Invalid {
            reason: message.to_string(),
            found,
        },
    }
}

/// Whether serde's `unexpected` text (`string "x"`, `integer `1``, `map`…)
/// describes a value of `value`'s JSON kind.
fn same_kind(unexpected: &str, value: &Value) -> bool {
    match value {
        Value::Null => unexpected == "null" || unexpected == "unit value",
        Value::Bool(_) => unexpected.starts_with("boolean "),
        Value::Number(_) => {
            unexpected.starts_with("integer ") || unexpected.starts_with("floating point ")
        }
        Value::String(_) => {
            unexpected.starts_with("string ") || unexpected.starts_with("character ")
        }
        Value::Array(_) => unexpected == "sequence",
        Value::Object(_) => unexpected == "map",
    }
}

/// serde's `unexpected` text as the JSON it stands for, as near as it says.
fn unexpected_as_json(unexpected: &str) -> String {
    let quoted = |prefix: &str| {
        unexpected
            .strip_prefix(prefix)
            .and_then(|rest| rest.strip_prefix('`'))
            .and_then(|rest| rest.strip_suffix('`'))
            .map(str::to_string)
    };
    let text = quoted("integer ")
        .or_else(|| quoted("floating point "))
        .or_else(|| quoted("boolean "))
        .or_else(|| unexpected.strip_prefix("string ").map(str::to_string))
        .unwrap_or_else(|| match unexpected {
            "unit value" => "null".to_string(),
            "map" => "an object".to_string(),
            "sequence" => "an array".to_string(),
            other => other.to_string(),
        });
    cut(&text, SHOWN_CHARS)
}

/// A step into a JSON value.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

/// The JSON pointer of serde_path_to_error's path, and its steps. A segment it
/// could not name ends the pointer there: the failure is inside that value.
fn pointer(path: &serde_path_to_error::Path) -> (String, Vec<Step>) {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    let mut steps = Vec::new();
    for segment in path {
        let step = match segment {
            Segment::Seq { index } => Step::Index(*index),
            // An externally tagged enum is `{"Variant": …}`: a key in JSON.
            Segment::Map { key } | Segment::Enum { variant: key } => Step::Key(key.clone()),
            Segment::Unknown => break,
        };
        match &step {
            Step::Index(index) => {
                pointer.push('/');
                pointer.push_str(&index.to_string());
            }
            Step::Key(key) => push_key(&mut pointer, key),
        }
        steps.push(step);
    }
    (pointer, steps)
}

/// Appends `/key` to a JSON pointer, `~` written `~0` and `/` written `~1`.
fn push_key(pointer: &mut String, key: &str) {
    pointer.push('/');
    for c in key.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

/// The value `steps` lead to inside `value`.
fn lookup(mut value: Value, steps: &[Step]) -> Option<Value> {
    for step in steps {
        value = match (step, value) {
            (Step::Key(key), Value::Object(mut map)) => map.remove(key)?,
            (Step::Index(index), Value::Array(mut items)) if *index < items.len() => {
                items.swap_remove(*index)
            }
            _ => return None,
        };
    }
    Some(value)
}

/// `text` with at most `max` characters, an ellipsis marking a cut.
fn cut(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_string(),
        Some((end, _)) => format!("{}…", &text[..end]),
    }
}

/// The body from a little before where the parser stopped (`line`, `column` as
/// `serde_json` counts them), cut short, control characters escaped so it stays
/// on one line.
fn near(body: &[u8], line: usize, column: usize) -> String {
    let line_start = if line <= 1 {
        0
    } else {
        body.iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .nth(line - 2)
            .map_or(body.len(), |(i, _)| i + 1)
    };
    let stop = (line_start + column.saturating_sub(1)).min(body.len());
    // Some context before the stop, starting on a character boundary.
    let mut start = stop.saturating_sub(SHOWN_CHARS / 3);
    while start > 0 && start < body.len() && body[start] & 0xC0 == 0x80 {
        start -= 1;
    }
    let end = (start + SHOWN_CHARS * 4).min(body.len());
    let text: String = String::from_utf8_lossy(&body[start..end])
        .chars()
        .flat_map(|c| {
            let escaped: Vec<char> = if c.is_control() {
                c.escape_default().collect()
            } else {
                vec![c]
            };
            escaped
        })
        .collect();
    let shown = cut(&text, SHOWN_CHARS);
    let shown = if end < body.len() && !shown.ends_with('…') {
        format!("{shown}…")
    } else {
        shown
    };
    if start > 0 {
        format!("…{shown}")
    } else {
        shown
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Page {
        items: Vec<Item>,
        #[serde(default, rename = "by-name")]
        by_name: BTreeMap<String, Item>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Item {
        id: i64,
        name: String,
    }

    fn fail<T: DeserializeOwned + fmt::Debug>(body: &str) -> DecodeError {
        let error = serde_json::from_str::<T>(body).unwrap_err();
        DecodeError::new::<T>(body.as_bytes(), error)
    }

    fn item(id: &str) -> String {
        format!(r#"{{"id": {id}, "name": "n"}}"#)
    }

    #[test]
    fn cut_keeps_at_most_the_limit_and_marks_a_cut() {
        assert_eq!(cut("", 3), "");
        assert_eq!(cut("abc", 3), "abc");
        assert_eq!(cut("abcd", 3), "abc…");
        // Characters, not bytes: never inside a character.
        assert_eq!(cut("éééé", 3), "ééé…");
        assert_eq!(cut("日本語", 3), "日本語");
        let long = "x".repeat(SHOWN_CHARS + 1);
        assert_eq!(cut(&long, SHOWN_CHARS).chars().count(), SHOWN_CHARS + 1);
        assert!(cut(&long, SHOWN_CHARS).ends_with("x…"));
    }

    #[test]
    fn pointer_keys_escape_tilde_then_slash() {
        let mut pointer = String::new();
        push_key(&mut pointer, "a/b~c");
        push_key(&mut pointer, "~1");
        push_key(&mut pointer, "");
        push_key(&mut pointer, "plain-key");
        assert_eq!(pointer, "/a~1b~0c/~01//plain-key");
        // serde_json reads it back to the same keys.
        let value = serde_json::json!({"a/b~c": {"~1": {"": {"plain-key": 7}}}});
        assert_eq!(value.pointer(&pointer), Some(&serde_json::json!(7)));
    }

    #[test]
    fn a_wrong_type_deep_in_arrays_names_its_pointer() {
        let items: Vec<String> = ["1", "2", "3", r#""x""#].map(item).into();
        let error = fail::<Page>(&format!(r#"{{"items": [{}]}}"#, items.join(",")));
        assert_eq!(error.path, "/items/3/id");
        assert_eq!(error.expected(), Some("i64"));
        assert_eq!(error.found(), Some(r#""x""#));
        assert_eq!(
            error.to_string(),
            r#"at /items/3/id: expected i64, found "x""#
        );
        assert!(
            error.source.to_string().contains("line 1"),
            "{}",
            error.source
        );
    }

    #[test]
    fn map_keys_are_escaped_in_the_pointer() {
        let error = fail::<Page>(&format!(
            r#"{{"items": [], "by-name": {{"ok": {}, "a/b~c": {}}}}}"#,
            item("1"),
            item("{\"n\": 1}"),
        ));
        assert_eq!(error.path, "/by-name/a~1b~0c/id");
        assert_eq!(error.found(), Some(r#"{"n":1}"#));
        assert_eq!(error.expected(), Some("i64"));
    }

    #[test]
    fn a_missing_field_is_named_at_its_object() {
        let error = fail::<Page>(r#"{"items": [{"id": 1, "name": "a"}, {"id": 2}]}"#);
        assert_eq!(error.path, "/items/1");
        assert_eq!(
            error.problem,
            DecodeProblem::MissingField {
                field: "name".into()
            }
        );
        assert_eq!(error.to_string(), r#"at /items/1: missing field "name""#);
        let error = fail::<Page>("{}");
        assert_eq!(error.path, "");
        assert_eq!(error.to_string(), r#"missing field "items""#);
    }

    #[test]
    fn null_in_a_required_field_is_a_mismatch() {
        let error = fail::<Page>(r#"{"items": [{"id": 1, "name": null}]}"#);
        assert_eq!(error.path, "/items/0/name");
        assert_eq!(
            error.problem,
            DecodeProblem::Mismatch {
                expected: "a string".into(),
                found: "null".into()
            }
        );
    }

    #[test]
    fn what_arrived_is_cut_short() {
        let long = "y".repeat(100);
        let error = fail::<Page>(&format!(r#"{{"items": [{{"id": "{long}"}}]}}"#));
        let found = error.found().unwrap();
        assert_eq!(found.chars().count(), SHOWN_CHARS + 1);
        assert_eq!(found, format!("\"{}…", "y".repeat(SHOWN_CHARS - 1)));
    }

    #[test]
    fn a_body_broken_after_the_failure_shows_what_serde_saw() {
        // The type fails before the parser reaches the broken end: no value to
        // look up, so serde's own account of it is shown.
        let error = fail::<Page>(r#"{"items": [{"id": "x"}], "tail": tr"#);
        assert_eq!(error.path, "/items/0/id");
        assert_eq!(error.found(), Some(r#""x""#));
        let error = fail::<Page>(r#"{"items": [{"id": 2.5}], "tail": tr"#);
        assert_eq!(error.found(), Some("2.5"));
        let error = fail::<Page>(r#"{"items": [{"id": [1]}], "tail": tr"#);
        assert_eq!(error.found(), Some("an array"));
    }

    /// A union read through a buffer, as tagged unions are: the path stops at
    /// the union, and serde's message is about a field inside it.
    #[derive(Debug)]
    struct Buffered;

    impl<'de> Deserialize<'de> for Buffered {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let value = Value::deserialize(deserializer)?;
            serde_json::from_value::<Item>(value)
                .map(|_| Buffered)
                .map_err(serde::de::Error::custom)
        }
    }

    #[test]
    fn a_message_about_a_value_inside_the_path_keeps_serdes_words() {
        let error = fail::<Vec<Buffered>>(r#"[{"id": 1, "name": null}]"#);
        assert_eq!(error.path, "/0");
        assert_eq!(error.expected(), Some("a string"));
        assert_eq!(error.found(), Some("null"));
    }

    #[test]
    fn a_type_refusing_a_value_gives_its_reason() {
        let error = fail::<BTreeMap<String, chrono::DateTime<chrono::Utc>>>(
            r#"{"created-at": "yesterday"}"#,
        );
        assert_eq!(error.path, "/created-at");
        assert_eq!(
            error.problem,
            DecodeProblem::Invalid {
                reason: "input contains invalid characters".into(),
                found: Some(r#""yesterday""#.into()),
            }
        );
        assert_eq!(
            error.to_string(),
            r#"at /created-at: found "yesterday": input contains invalid characters"#
        );
        let error = fail::<BTreeMap<String, super::super::DateTime>>(r#"{"at": "yesterday"}"#);
        assert_eq!(
            error.to_string(),
            r#"at /at: expected a date-time, found "yesterday""#
        );
    }

    #[test]
    fn a_body_that_is_not_json_says_where_it_stops() {
        let error = fail::<Page>("<html><body><h1>502 Bad Gateway</h1></body></html>");
        assert_eq!(error.path, "");
        assert_eq!(
            error.to_string(),
            "not JSON: expected value at line 1 column 1, near `<html><body><h1>502 Bad Gateway</h1></body></html>`"
        );
        let error = fail::<Page>(r#"{"items": tr"#);
        assert_eq!(
            error.problem,
            DecodeProblem::NotJson {
                reason: "EOF while parsing a value".into(),
                line: 1,
                column: 12,
                near: r#"{"items": tr"#.into(),
            }
        );
        let error = fail::<Page>("");
        assert_eq!(
            error.to_string(),
            "not JSON: EOF while parsing a value at line 1 column 0"
        );
    }

    #[test]
    fn the_text_near_a_late_stop_is_cut_on_both_sides() {
        let body = format!(
            "{{\n\"items\": [\n{}\n], \"note\": \"{}\" oops {}\n}}",
            item("1"),
            "a".repeat(40),
            "b".repeat(100)
        );
        let error = fail::<Page>(&body);
        let DecodeProblem::NotJson {
            line, column, near, ..
        } = &error.problem
        else {
            panic!("{error}")
        };
        assert_eq!(*line, 4);
        assert!(near.starts_with('…') && near.ends_with('…'), "{near}");
        assert!(near.contains("\" oops b"), "{near}");
        assert_eq!(near.chars().count(), SHOWN_CHARS + 2);
        let _ = column;
    }

    #[test]
    fn control_characters_near_the_stop_stay_on_one_line() {
        let error = fail::<Page>("\t<p>\r\nno</p>");
        let DecodeProblem::NotJson { near, .. } = &error.problem else {
            panic!("{error}")
        };
        assert_eq!(near, r"\t<p>\r\nno</p>");
    }
}
