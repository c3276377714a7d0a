//! Checking a request against the API description's rules before it is sent.
//!
//! Generated types whose schemas carry rules (`maxLength`, `minimum`, `enum`,
//! `additionalProperties: false`...) implement [`Validate`]; a generated method calls
//! it on its body and returns [`Error::Invalid`](super::Error::Invalid) without
//! sending anything when a rule is broken. Responses are never validated: they are
//! decoded leniently.

use std::collections::BTreeMap;
use std::fmt;

use super::Nullable;

/// A rule of the API description.
#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    /// `minLength`: at least this many characters.
    MinLength(u64),
    /// `maxLength`: at most this many characters.
    MaxLength(u64),
    /// `minimum`: at least this.
    Minimum(f64),
    /// `maximum`: at most this.
    Maximum(f64),
    /// `exclusiveMinimum`: more than this.
    ExclusiveMinimum(f64),
    /// `exclusiveMaximum`: less than this.
    ExclusiveMaximum(f64),
    /// `minItems`: at least this many items.
    MinItems(u64),
    /// `maxItems`: at most this many items.
    MaxItems(u64),
    /// `enum`: one of these values.
    Enum(&'static [&'static str]),
    /// `additionalProperties: false`: no property the schema does not list.
    NoAdditionalProperties,
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::MinLength(n) => write!(f, "minLength {n} (at least {n} characters)"),
            Rule::MaxLength(n) => write!(f, "maxLength {n} (at most {n} characters)"),
            Rule::Minimum(n) => write!(f, "minimum {n}"),
            Rule::Maximum(n) => write!(f, "maximum {n}"),
            Rule::ExclusiveMinimum(n) => write!(f, "exclusiveMinimum {n} (more than {n})"),
            Rule::ExclusiveMaximum(n) => write!(f, "exclusiveMaximum {n} (less than {n})"),
            Rule::MinItems(n) => write!(f, "minItems {n}"),
            Rule::MaxItems(n) => write!(f, "maxItems {n}"),
            Rule::Enum(values) => {
                f.write_str("enum (one of")?;
                for (i, v) in values.iter().enumerate() {
                    write!(f, "{} {v:?}", if i == 0 { "" } else { "," })?;
                }
                f.write_str(")")
            }
            Rule::NoAdditionalProperties => {
                f.write_str("additionalProperties: false (no property the schema does not list)")
            }
        }
    }
}

/// One broken rule: where, which rule, and the value that broke it.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// Where in the body, by wire names: `uom`, `variants[0].sku`.
    pub path: String,
    /// The rule.
    pub rule: Rule,
    /// The offending value, as text (strings quoted, long ones shortened).
    pub value: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() {
            "(body)"
        } else {
            &self.path
        };
        write!(f, "`{path}` = {} breaks {}", self.value, self.rule)
    }
}

/// Every broken rule of one value, in field order; never empty.
#[derive(Debug, Clone, PartialEq)]
pub struct Violations(pub Vec<Violation>);

impl fmt::Display for Violations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, v) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{v}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Violations {}

/// A value that can be checked against its schema's rules.
pub trait Validate {
    /// Appends every broken rule to `out`; `path` is where the value stands.
    fn validate_into(&self, path: &str, out: &mut Vec<Violation>);

    /// `Ok` when no rule is broken.
    fn validate(&self) -> Result<(), Violations> {
        let mut out = Vec::new();
        self.validate_into("", &mut out);
        if out.is_empty() {
            Ok(())
        } else {
            Err(Violations(out))
        }
    }
}

impl<T: Validate> Validate for Option<T> {
    fn validate_into(&self, path: &str, out: &mut Vec<Violation>) {
        if let Some(v) = self {
            v.validate_into(path, out);
        }
    }
}

impl<T: Validate> Validate for Nullable<T> {
    fn validate_into(&self, path: &str, out: &mut Vec<Violation>) {
        if let Nullable::Value(v) = self {
            v.validate_into(path, out);
        }
    }
}

impl<T: Validate> Validate for Box<T> {
    fn validate_into(&self, path: &str, out: &mut Vec<Violation>) {
        (**self).validate_into(path, out);
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate_into(&self, path: &str, out: &mut Vec<Violation>) {
        for (i, v) in self.iter().enumerate() {
            v.validate_into(&format!("{path}[{i}]"), out);
        }
    }
}

impl<T: Validate> Validate for BTreeMap<String, T> {
    fn validate_into(&self, path: &str, out: &mut Vec<Violation>) {
        for (k, v) in self {
            v.validate_into(&join(path, k), out);
        }
    }
}

/// The path of `field` inside `path`.
pub fn join(path: &str, field: &str) -> String {
    if path.is_empty() {
        field.to_string()
    } else {
        format!("{path}.{field}")
    }
}

fn show_str(value: &str) -> String {
    const SHOWN: usize = 64;
    let count = value.chars().count();
    if count <= SHOWN {
        format!("{value:?} ({count} characters)")
    } else {
        let head: String = value.chars().take(SHOWN).collect();
        format!("{head:?}… ({count} characters)")
    }
}

/// The rule a count breaks, if any.
fn count_rule(
    count: u64,
    min: Option<u64>,
    max: Option<u64>,
    too_few: fn(u64) -> Rule,
    too_many: fn(u64) -> Rule,
) -> Option<Rule> {
    match (min, max) {
        (Some(min), _) if count < min => Some(too_few(min)),
        (_, Some(max)) if count > max => Some(too_many(max)),
        _ => None,
    }
}

/// Checks `minLength` / `maxLength` (counted in characters, as JSON Schema does).
pub fn check_length(
    path: &str,
    field: &str,
    value: &str,
    min: Option<u64>,
    max: Option<u64>,
    out: &mut Vec<Violation>,
) {
    let count = value.chars().count() as u64;
    let Some(rule) = count_rule(count, min, max, Rule::MinLength, Rule::MaxLength) else {
        return;
    };
    out.push(Violation {
        path: join(path, field),
        rule,
        value: show_str(value),
    });
}

/// A number a bound can be checked on.
pub trait Number: Copy + fmt::Display {
    /// The value as `f64`, for comparing with a bound.
    fn as_f64(self) -> f64;
}

impl Number for i32 {
    fn as_f64(self) -> f64 {
        f64::from(self)
    }
}

impl Number for i64 {
    fn as_f64(self) -> f64 {
        // Exact up to 2^53; bounds in API descriptions are far below.
        self as f64
    }
}

impl Number for f64 {
    fn as_f64(self) -> f64 {
        self
    }
}

/// Checks one numeric bound: `rule` is `Minimum`, `Maximum`, `ExclusiveMinimum` or
/// `ExclusiveMaximum`.
pub fn check_bound(
    path: &str,
    field: &str,
    value: impl Number,
    rule: Rule,
    out: &mut Vec<Violation>,
) {
    let v = value.as_f64();
    let broken = match rule {
        Rule::Minimum(b) => v < b,
        Rule::Maximum(b) => v > b,
        Rule::ExclusiveMinimum(b) => v <= b,
        Rule::ExclusiveMaximum(b) => v >= b,
        _ => false,
    } || v.is_nan();
    if broken {
        out.push(Violation {
            path: join(path, field),
            rule,
            value: value.to_string(),
        });
    }
}

/// Checks `minItems` / `maxItems`.
pub fn check_items(
    path: &str,
    field: &str,
    len: usize,
    min: Option<u64>,
    max: Option<u64>,
    out: &mut Vec<Violation>,
) {
    let count = len as u64;
    let Some(rule) = count_rule(count, min, max, Rule::MinItems, Rule::MaxItems) else {
        return;
    };
    out.push(Violation {
        path: join(path, field),
        rule,
        value: format!("{count} items"),
    });
}

/// Checks that a struct of `additionalProperties: false` carries no extra property.
pub fn check_no_additional<V>(path: &str, extra: &BTreeMap<String, V>, out: &mut Vec<Violation>) {
    for key in extra.keys() {
        out.push(Violation {
            path: join(path, key),
            rule: Rule::NoAdditionalProperties,
            value: "a property".to_string(),
        });
    }
}

/// Reports an enum value the API description does not list (one a server sent).
pub fn report_unknown(
    path: &str,
    value: &str,
    values: &'static [&'static str],
    out: &mut Vec<Violation>,
) {
    out.push(Violation {
        path: path.to_string(),
        rule: Rule::Enum(values),
        value: format!("{value:?}"),
    });
}

/// Records that a value enum holds a value its API description does not list;
/// `values` are the documented values as JSON text.
pub fn report_unknown_value(
    path: &str,
    value: &serde_json::Value,
    values: &'static [&'static str],
    out: &mut Vec<Violation>,
) {
    out.push(Violation {
        path: path.to_string(),
        rule: Rule::Enum(values),
        value: value.to_string(),
    });
}
