//! What a schema is: [`Shape::of`] reads the keywords of one schema object and
//! decides, in one fixed order, which construct it is. It is pure (no document,
//! no `$ref` following, no diagnostics), so every lowering path asks the same
//! question the same way; the predicates it uses live here too.
//!
//! The order, first match wins: reference, struct, `allOf`, string enum, value
//! enum, enum of listed constants (a `oneOf`/`anyOf` of `const`s), union
//! (`oneOf`/`anyOf`), type array, scalar, array, map, any value.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::model::TypeRef;

/// The construct a schema object describes.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape<'s> {
    /// `$ref`: the referenced schema (siblings only annotate it).
    Reference(&'s str),
    /// An object with declared properties: a struct.
    Struct,
    /// `allOf`: a value matching every part.
    AllOf(&'s [Value]),
    /// An `enum` or `const` of strings (nulls left out), or a `oneOf`/`anyOf`
    /// of string constants ([`listed_values`]).
    StringEnum(Vec<Listed<'s, String>>),
    /// An `enum` or `const` of scalars not all strings (integers, or a mix),
    /// or a `oneOf`/`anyOf` of such constants.
    ValueEnum(Vec<Listed<'s, Value>>),
    /// `oneOf` or `anyOf`: a value matching one of the alternatives.
    Union {
        /// `oneOf` or `anyOf`.
        keyword: &'static str,
        /// The alternatives, `null` schemas included.
        parts: &'s [Value],
    },
    /// A `type` array of several non-null types (3.1).
    TypeArray(Vec<String>),
    /// A string, number, integer or boolean, typed by its `format`.
    Scalar(TypeRef),
    /// `type: array`, or `items` without a type.
    Array,
    /// An object without declared properties: a map typed by
    /// `additionalProperties` (or `patternProperties`).
    Map,
    /// A `type` this generator does not know.
    UnknownType(String),
    /// Anything: `{}`, `true`, a schema with no type-shaping keyword.
    Any,
}

impl<'s> Shape<'s> {
    /// Classifies `schema`.
    pub fn of(schema: &'s Value) -> Shape<'s> {
        let Some(obj) = schema.as_object() else {
            // `true`, `false` or garbage: any value.
            return Shape::Any;
        };
        if let Some(reference) = obj.get("$ref").and_then(Value::as_str) {
            return Shape::Reference(reference);
        }
        if is_struct_schema(schema) {
            return Shape::Struct;
        }
        if let Some(Value::Array(parts)) = obj.get("allOf") {
            return Shape::AllOf(parts);
        }
        if let Some(values) = string_enum(schema) {
            return Shape::StringEnum(values.into_iter().map(Listed::bare).collect());
        }
        if let Some(values) = value_enum(schema) {
            return Shape::ValueEnum(values.into_iter().map(Listed::bare).collect());
        }
        if let Some(listed) = listed_values(schema) {
            return listed;
        }
        for keyword in ["oneOf", "anyOf"] {
            if let Some(Value::Array(parts)) = obj.get(keyword) {
                return Shape::Union { keyword, parts };
            }
        }
        let types: Vec<String> = schema_types(schema)
            .into_iter()
            .filter(|t| t != "null")
            .collect();
        if types.len() > 1 {
            return Shape::TypeArray(types);
        }
        let format = obj.get("format").and_then(Value::as_str);
        match types.first().map(String::as_str) {
            Some("string") => Shape::Scalar(match format {
                Some("decimal") => TypeRef::DecimalString,
                Some("binary") => TypeRef::Binary,
                Some("date-time") => TypeRef::DateTime,
                Some("date") => TypeRef::Date,
                Some("uuid") => TypeRef::Uuid,
                _ => TypeRef::String,
            }),
            Some("boolean") => Shape::Scalar(TypeRef::Bool),
            Some("integer") if format == Some("int32") => Shape::Scalar(TypeRef::I32),
            Some("integer") => Shape::Scalar(TypeRef::I64),
            Some("number") if format == Some("decimal") => Shape::Scalar(TypeRef::Decimal),
            Some("number") => Shape::Scalar(TypeRef::F64),
            Some("array") => Shape::Array,
            Some("object") => Shape::Map,
            Some(other) => Shape::UnknownType(other.to_string()),
            None if obj.contains_key("items") => Shape::Array,
            None if obj.contains_key("additionalProperties")
                || obj.contains_key("patternProperties") =>
            {
                Shape::Map
            }
            None => Shape::Any,
        }
    }
}

/// One value of an enum, with the `title` and `description` of the `oneOf`
/// alternative that lists it (none for a plain `enum`).
#[derive(Debug, Clone, PartialEq)]
pub struct Listed<'s, T> {
    /// The value.
    pub value: T,
    /// The alternative's `title`: what the variant is named after.
    pub title: Option<&'s str>,
    /// The alternative's `description`: the variant's documentation.
    pub description: Option<&'s str>,
}

impl<'s, T> Listed<'s, T> {
    /// A value an `enum` lists, with nothing said of it.
    pub fn bare(value: T) -> Self {
        Listed {
            value,
            title: None,
            description: None,
        }
    }

    /// `value`, with what is said of this one.
    fn with<U>(&self, value: U) -> Listed<'s, U> {
        Listed {
            value,
            title: self.title,
            description: self.description,
        }
    }
}

/// A `oneOf` or `anyOf` whose every alternative is one constant (`const`, or an
/// `enum` of one value) with only annotations beside it: an enum whose values
/// are each named by their alternative's `title` and documented by its
/// `description`, the way documented enums are commonly written. Strings give
/// a string enum; other scalars a value enum. A value listed twice is taken
/// once. `None` when an alternative is anything else (a `$ref`, an object,
/// `null`, several values): that stays a union.
pub fn listed_values(schema: &Value) -> Option<Shape<'_>> {
    let parts = ["oneOf", "anyOf"]
        .iter()
        .find_map(|keyword| schema.get(*keyword)?.as_array())
        .filter(|parts| !parts.is_empty())?;
    let mut listed: Vec<Listed<'_, &Value>> = Vec::new();
    let mut seen = BTreeSet::new();
    for part in parts {
        let obj = part.as_object()?;
        let only_annotated = obj.keys().all(|key| {
            matches!(key.as_str(), "const" | "enum" | "type")
                || ANNOTATIONS.contains(&key.as_str())
                || key.starts_with("x-")
        });
        let value = match (obj.get("const"), obj.get("enum")) {
            (Some(value), None) => value,
            (None, Some(Value::Array(values))) if values.len() == 1 => &values[0],
            _ => return None,
        };
        if !only_annotated || matches!(value, Value::Null | Value::Array(_) | Value::Object(_)) {
            return None;
        }
        let text = |key: &str| {
            obj.get(key)
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|t| !t.is_empty())
        };
        if seen.insert(scalar_key(value)) {
            listed.push(Listed {
                value,
                title: text("title"),
                description: text("description"),
            });
        }
    }
    let strings: Option<Vec<_>> = listed
        .iter()
        .map(|l| Some(l.with(l.value.as_str()?.to_string())))
        .collect();
    if let Some(strings) = strings {
        return Some(Shape::StringEnum(strings));
    }
    // `[true, false]` lists every boolean: that stays a union of two booleans.
    let every_bool = listed.len() == 2 && listed.iter().all(|l| l.value.is_boolean());
    (!every_bool)
        .then(|| Shape::ValueEnum(listed.iter().map(|l| l.with(l.value.clone())).collect()))
}

/// The `type` keyword as a list (3.1 allows an array).
pub fn schema_types(schema: &Value) -> Vec<String> {
    match schema.get("type") {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

/// Whether a schema allows `null`: `nullable: true` (3.0), `"null"` among its types
/// (3.1), or `null` among its enum values.
pub fn is_nullable(schema: &Value) -> bool {
    schema.get("nullable").and_then(Value::as_bool) == Some(true)
        || schema_types(schema).iter().any(|t| t == "null")
        || schema
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|e| e.iter().any(Value::is_null))
}

/// 3.1 allows `nullable`-like siblings next to `$ref`; 3.0 tools commonly write them too.
pub fn is_nullable_site(site: &Value) -> bool {
    site.get("nullable").and_then(Value::as_bool) == Some(true)
}

/// Whether a schema is `{type: null}`: in a composition, it makes the value nullable.
pub fn is_null_schema(schema: &Value) -> bool {
    let types = schema_types(schema);
    types.len() == 1 && types[0] == "null"
}

/// Whether a schema describes an object with declared properties.
pub fn is_struct_schema(schema: &Value) -> bool {
    let props = schema.get("properties").and_then(Value::as_object);
    let types = schema_types(schema);
    let objecty = types.is_empty() || types.iter().any(|t| t == "object");
    objecty
        && props.is_some_and(|p| !p.is_empty())
        && !schema.get("allOf").is_some_and(Value::is_array)
}

/// Whether a schema is an object with no declared properties and no value schema:
/// a free-form object, whose shape examples may tell.
pub fn is_free_form_object(schema: &Value) -> bool {
    let types = schema_types(schema);
    types.iter().any(|t| t == "object")
        && schema
            .get("properties")
            .and_then(Value::as_object)
            .is_none_or(|p| p.is_empty())
        && !matches!(schema.get("additionalProperties"), Some(Value::Object(o)) if !o.is_empty())
        && ["allOf", "oneOf", "anyOf"]
            .iter()
            .all(|k| schema.get(*k).is_none())
}

/// The values of a string `enum`, or of a string `const` (an enum of one value);
/// nulls are left out (they make the use site nullable), repeats dropped.
pub fn string_enum(schema: &Value) -> Option<Vec<String>> {
    if let Some(Value::String(value)) = schema.get("const") {
        return Some(vec![value.clone()]);
    }
    let values = schema.get("enum")?.as_array()?;
    // `type: string` with `enum: [1, 2]` (YAML reads unquoted digits as numbers):
    // the values are the strings the type says.
    let typed_string = schema_types(schema).iter().any(|t| t == "string");
    let strings: Vec<String> = values
        .iter()
        .filter(|v| !v.is_null())
        .map(|v| match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(_) | Value::Bool(_) if typed_string => Some(v.to_string()),
            _ => None,
        })
        .collect::<Option<_>>()?;
    let mut seen = BTreeSet::new();
    let unique: Vec<String> = strings
        .into_iter()
        .filter(|s| seen.insert(s.clone()))
        .collect();
    (!unique.is_empty()).then_some(unique)
}

/// The values of an `enum` (or `const`) that are scalars but not all strings:
/// integers, or a mix (`[1, "a", true]`). Nulls are left out (they make the use
/// site nullable), repeats are dropped; arrays or objects among the values give
/// `None` (the value stays its plain type).
pub fn value_enum(schema: &Value) -> Option<Vec<Value>> {
    let values: Vec<Value> = match (schema.get("const"), schema.get("enum")) {
        (Some(c), _) if !c.is_null() => vec![c.clone()],
        (_, Some(Value::Array(values))) => values.clone(),
        _ => return None,
    };
    let mut unique: Vec<Value> = Vec::new();
    // Repeats found through a set: enums of fifty thousand values exist.
    let mut seen = BTreeSet::new();
    for value in values {
        match value {
            Value::Null => {}
            Value::Array(_) | Value::Object(_) => return None,
            _ if !seen.insert(scalar_key(&value)) => {}
            _ => unique.push(value),
        }
    }
    // `[true, false]` lists every boolean: the value is a plain `bool`.
    let every_bool = unique.len() == 2 && unique.iter().all(Value::is_boolean);
    (!unique.is_empty() && !unique.iter().all(Value::is_string) && !every_bool).then_some(unique)
}

/// A scalar as text that is equal for equal values (as `Value`'s `==` has
/// it: `1` and `1.0` differ, `0.0` and `-0.0` do not).
fn scalar_key(value: &Value) -> String {
    match value {
        Value::Number(n) if n.is_f64() => format!("f{}", n.as_f64().unwrap_or(0.0) + 0.0),
        other => other.to_string(),
    }
}

/// Keywords that describe a schema without shaping its values.
pub const ANNOTATIONS: &[&str] = &[
    "description",
    "title",
    "nullable",
    "example",
    "examples",
    "default",
    "readOnly",
    "writeOnly",
    "deprecated",
    "externalDocs",
    "xml",
    "$comment",
    "format",
];

/// Whether an `allOf` part only annotates: no keyword that shapes a value but
/// an empty object's (`type: object`, no properties).
pub fn is_annotation_only(schema: &Value) -> bool {
    let Some(obj) = schema.as_object() else {
        return false;
    };
    obj.iter().all(|(key, value)| {
        ANNOTATIONS.contains(&key.as_str())
            || key.starts_with("x-")
            || (key == "type" && value.as_str() == Some("object"))
            || (key == "properties" && value.as_object().is_some_and(|p| p.is_empty()))
    })
}

/// Whether an `allOf` part can be merged into an object: no alternatives, enum,
/// items or non-object type (properties and `required` may be absent).
///
/// A part with `properties` (even none) beside `oneOf`/`anyOf` counts by its
/// properties: it is typically a base schema listing its own subtypes (which
/// `allOf` it back), and what its alternatives add stays in the struct's
/// catch-all map.
pub fn is_object_like(schema: &Value) -> bool {
    let Some(obj) = schema.as_object() else {
        return false;
    };
    let types = schema_types(schema);
    let with_properties = obj.get("properties").is_some_and(Value::is_object);
    let shaping: &[&str] = if with_properties {
        &["enum", "const", "items", "$ref"]
    } else {
        &["oneOf", "anyOf", "enum", "const", "items", "$ref"]
    };
    types.iter().all(|t| t == "object" || t == "null")
        && shaping.iter().all(|k| !obj.contains_key(*k))
}

/// The JSON types (besides `null`) a schema admits, from its `type` or its
/// alternatives' types; `None` when that is not written down (a `$ref`, no
/// `type`).
pub fn admitted_types(schema: &Value) -> Option<BTreeSet<String>> {
    for key in ["anyOf", "oneOf"] {
        if let Some(Value::Array(alternatives)) = schema.get(key) {
            let mut all = BTreeSet::new();
            for alternative in alternatives {
                all.extend(admitted_types(alternative)?);
            }
            return Some(all);
        }
    }
    let types: BTreeSet<String> = schema_types(schema)
        .into_iter()
        .filter(|t| t != "null")
        .collect();
    (!types.is_empty() && schema.get("$ref").is_none()).then_some(types)
}

/// Whether every alternative under `key` beside a struct's `properties` only
/// adds rules about properties the struct lists (`required` sets, narrower
/// enums): the struct is then the whole shape, and nothing is left untyped.
pub fn only_constrains(schema: &Value, key: &str) -> bool {
    let listed = schema.get("properties").and_then(Value::as_object);
    let Some(Value::Array(alternatives)) = schema.get(key) else {
        return false;
    };
    alternatives.iter().all(|alternative| {
        let Some(obj) = alternative.as_object() else {
            return false;
        };
        obj.iter().all(|(k, v)| match k.as_str() {
            "required" | "additionalProperties" | "minProperties" | "maxProperties" => true,
            "type" => v.as_str() == Some("object"),
            "properties" => v.as_object().is_some_and(|props| {
                props
                    .keys()
                    .all(|p| listed.is_some_and(|l| l.contains_key(p)))
            }),
            other => ANNOTATIONS.contains(&other) || other.starts_with("x-"),
        })
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// Each row: a schema and the shape it must be; the order of the rules shows
    /// in the rows where two could apply.
    #[test]
    fn every_construct_is_told_apart() {
        let parts = |v: &Value, key: &str| v[key].as_array().unwrap().clone();
        let rows: Vec<(Value, &str)> = vec![
            (json!({"$ref": "#/components/schemas/Pet"}), "Reference"),
            // A reference wins over anything beside it.
            (
                json!({"$ref": "#/x", "properties": {"a": {}}, "enum": ["a"]}),
                "Reference",
            ),
            (json!({"properties": {"a": {}}}), "Struct"),
            (json!({"type": "object", "properties": {"a": {}}}), "Struct"),
            (
                json!({"type": ["object", "null"], "properties": {"a": {}}}),
                "Struct",
            ),
            // Properties with alternatives beside them: still the struct.
            (
                json!({"properties": {"a": {}}, "oneOf": [{}, {}]}),
                "Struct",
            ),
            // Properties beside `allOf` are merged with it.
            (json!({"properties": {"a": {}}, "allOf": [{}]}), "AllOf"),
            (json!({"allOf": [{"$ref": "#/a"}]}), "AllOf"),
            (json!({"allOf": [{}], "enum": ["a"]}), "AllOf"),
            (json!({"enum": ["a", "b", null]}), "StringEnum"),
            (json!({"const": "fixed"}), "StringEnum"),
            (json!({"type": "string", "enum": [1, 2]}), "StringEnum"),
            (json!({"enum": [1, 2]}), "ValueEnum"),
            (json!({"enum": [1, "a", true]}), "ValueEnum"),
            (json!({"const": 3}), "ValueEnum"),
            // Every boolean is a plain boolean; objects in an enum are its type.
            (
                json!({"type": "boolean", "enum": [true, false]}),
                "Scalar(Bool)",
            ),
            (json!({"type": "object", "enum": [{"a": 1}]}), "Map"),
            (json!({"enum": ["a"], "oneOf": [{}, {}]}), "StringEnum"),
            // Alternatives that each list one constant: an enum of them.
            (
                json!({"oneOf": [{"const": "a", "title": "A"}, {"enum": ["b"]}]}),
                "StringEnum",
            ),
            (
                json!({"type": "integer", "anyOf": [{"const": 1}, {"const": 2}]}),
                "ValueEnum",
            ),
            // Anything else among them (a reference, `null`, several values,
            // a keyword that shapes values): a union.
            (
                json!({"oneOf": [{"const": "a"}, {"$ref": "#/x"}]}),
                "Union(oneOf)",
            ),
            (
                json!({"oneOf": [{"const": "a"}, {"type": "null"}]}),
                "Union(oneOf)",
            ),
            (
                json!({"oneOf": [{"const": "a"}, {"enum": ["b", "c"]}]}),
                "Union(oneOf)",
            ),
            (
                json!({"oneOf": [{"const": "a"}, {"const": "b", "minLength": 1}]}),
                "Union(oneOf)",
            ),
            (
                json!({"anyOf": [{"const": true}, {"const": false}]}),
                "Union(anyOf)",
            ),
            (json!({"oneOf": [{}, {}]}), "Union(oneOf)"),
            (json!({"type": "string", "oneOf": []}), "Union(oneOf)"),
            (json!({"anyOf": [{}, {}]}), "Union(anyOf)"),
            (json!({"oneOf": [{}], "anyOf": [{}]}), "Union(oneOf)"),
            (json!({"type": ["string", "integer"]}), "TypeArray"),
            (json!({"type": ["string", "null"]}), "Scalar(String)"),
            (
                json!({"oneOf": [{}, {}], "type": ["string", "integer"]}),
                "Union(oneOf)",
            ),
            (json!({"type": "string"}), "Scalar(String)"),
            (
                json!({"type": "string", "format": "date-time"}),
                "Scalar(DateTime)",
            ),
            (json!({"type": "string", "format": "date"}), "Scalar(Date)"),
            (json!({"type": "string", "format": "uuid"}), "Scalar(Uuid)"),
            (
                json!({"type": "string", "format": "binary"}),
                "Scalar(Binary)",
            ),
            (
                json!({"type": "string", "format": "decimal"}),
                "Scalar(DecimalString)",
            ),
            (
                json!({"type": "number", "format": "decimal"}),
                "Scalar(Decimal)",
            ),
            (json!({"type": "number"}), "Scalar(F64)"),
            (json!({"type": "integer", "format": "int32"}), "Scalar(I32)"),
            (json!({"type": "integer", "format": "int64"}), "Scalar(I64)"),
            (json!({"type": "boolean"}), "Scalar(Bool)"),
            (json!({"type": "array", "items": {}}), "Array"),
            (json!({"items": {"type": "string"}}), "Array"),
            (json!({"type": "object"}), "Map"),
            (json!({"type": "object", "properties": {}}), "Map"),
            (json!({"additionalProperties": {"type": "string"}}), "Map"),
            (json!({"patternProperties": {"^x-": {}}}), "Map"),
            (json!({"type": "file"}), "UnknownType"),
            (json!({}), "Any"),
            (json!({"description": "anything"}), "Any"),
            (json!(true), "Any"),
            (json!("garbage"), "Any"),
        ];
        for (schema, expected) in &rows {
            let shape = Shape::of(schema);
            let got = match &shape {
                Shape::Reference(_) => "Reference".to_string(),
                Shape::Struct => "Struct".to_string(),
                Shape::AllOf(p) => {
                    assert_eq!(*p, parts(schema, "allOf").as_slice());
                    "AllOf".to_string()
                }
                Shape::StringEnum(_) => "StringEnum".to_string(),
                Shape::ValueEnum(_) => "ValueEnum".to_string(),
                Shape::Union { keyword, parts: p } => {
                    assert_eq!(*p, parts(schema, keyword).as_slice());
                    format!("Union({keyword})")
                }
                Shape::TypeArray(_) => "TypeArray".to_string(),
                Shape::Scalar(ty) => format!("Scalar({ty:?})"),
                Shape::Array => "Array".to_string(),
                Shape::Map => "Map".to_string(),
                Shape::UnknownType(_) => "UnknownType".to_string(),
                Shape::Any => "Any".to_string(),
            };
            assert_eq!(&got, expected, "Shape::of({schema})");
        }
        assert_eq!(rows.len(), 54);
    }

    #[test]
    fn enum_values_are_read_once_each() {
        assert_eq!(
            Shape::of(&json!({"enum": ["a", "b", "a", null]})),
            Shape::StringEnum(vec![Listed::bare("a".into()), Listed::bare("b".into())])
        );
        assert_eq!(
            Shape::of(&json!({"enum": [2, 1, 2, null]})),
            Shape::ValueEnum(vec![Listed::bare(json!(2)), Listed::bare(json!(1))])
        );
        let listed = json!({"oneOf": [
            {"const": 1, "title": "ONE", "description": " The first. "},
            {"const": 2},
            {"const": 1, "title": "AGAIN"},
        ]});
        assert_eq!(
            Shape::of(&listed),
            Shape::ValueEnum(vec![
                Listed {
                    value: json!(1),
                    title: Some("ONE"),
                    description: Some("The first."),
                },
                Listed::bare(json!(2)),
            ])
        );
        assert_eq!(
            Shape::of(&json!({"type": ["string", "integer", "null"]})),
            Shape::TypeArray(vec!["string".into(), "integer".into()])
        );
    }

    #[test]
    fn nullability() {
        let rows = [
            (json!({"nullable": true}), true),
            (json!({"type": ["string", "null"]}), true),
            (json!({"enum": ["a", null]}), true),
            (json!({"type": "string"}), false),
            (json!({"nullable": false}), false),
        ];
        for (schema, nullable) in rows {
            assert_eq!(is_nullable(&schema), nullable, "{schema}");
        }
        assert!(is_null_schema(&json!({"type": "null"})));
        assert!(!is_null_schema(&json!({"type": ["null", "string"]})));
    }

    #[test]
    fn all_of_parts() {
        let rows = [
            (json!({"nullable": true}), true, true),
            (json!({"description": "d", "x-tag": 1}), true, true),
            (json!({"type": "object"}), true, true),
            (json!({"type": "object", "properties": {}}), true, true),
            (json!({"required": ["a"]}), false, true),
            (json!({"properties": {"a": {}}}), false, true),
            (json!({"properties": {"a": {}}, "oneOf": [{}]}), false, true),
            (json!({"oneOf": [{}]}), false, false),
            (json!({"$ref": "#/a"}), false, false),
            (json!({"type": "string"}), false, false),
            (json!({"enum": ["a"]}), false, false),
        ];
        for (schema, annotation, object) in rows {
            assert_eq!(
                is_annotation_only(&schema),
                annotation,
                "annotation: {schema}"
            );
            assert_eq!(is_object_like(&schema), object, "object-like: {schema}");
        }
    }
}
