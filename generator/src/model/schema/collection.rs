//! Arrays and maps: `items`, and objects without declared properties typed by
//! `additionalProperties` or a single `patternProperties` schema.

use serde_json::Value;

use super::Lowerer;
use crate::diag::pointer_join;
use crate::model::TypeRef;

impl Lowerer<'_> {
    /// A list of what `items` says.
    pub(super) fn lower_items(
        &mut self,
        file: &str,
        pointer: &str,
        schema: &Value,
        hint: &str,
    ) -> TypeRef {
        TypeRef::Array(Box::new(self.lower_child(
            file,
            pointer,
            schema,
            "items",
            &format!("{hint}Item"),
        )))
    }

    /// A map from strings to what `additionalProperties` says; with
    /// `additionalProperties: false`, to what the one pattern's schema says.
    pub(super) fn lower_map(
        &mut self,
        file: &str,
        pointer: &str,
        schema: &Value,
        hint: &str,
    ) -> TypeRef {
        if schema.get("additionalProperties") == Some(&Value::Bool(false))
            && schema.get("patternProperties").is_some()
        {
            return TypeRef::Map(Box::new(self.pattern_value(file, pointer, schema, hint)));
        }
        let value = self.lower_child(
            file,
            pointer,
            schema,
            "additionalProperties",
            &format!("{hint}Value"),
        );
        TypeRef::Map(Box::new(value))
    }

    /// The value type of `patternProperties` when every other key is refused
    /// (`additionalProperties: false`): the one pattern's schema, or any JSON
    /// value for several patterns.
    pub(super) fn pattern_value(
        &mut self,
        file: &str,
        pointer: &str,
        schema: &Value,
        hint: &str,
    ) -> TypeRef {
        let Some(Value::Object(patterns)) = schema.get("patternProperties") else {
            return TypeRef::Any;
        };
        match patterns.iter().next() {
            Some((pattern, child)) if patterns.len() == 1 && child.is_object() => {
                let at = pointer_join(&pointer_join(pointer, "patternProperties"), pattern);
                self.lower(file, &at, child, &format!("{hint}Value")).ty
            }
            _ => TypeRef::Any,
        }
    }

    /// The type of the schema under `key` (`items`, `additionalProperties`); any JSON
    /// value when it is absent or not a schema object (`true`).
    // A nullable item is typed `T`, not `Option<T>`, for now: `null` items fail to decode
    // unless `T` is `Any`. Optional items need an `Option` in `TypeRef`.
    fn lower_child(
        &mut self,
        file: &str,
        pointer: &str,
        schema: &Value,
        key: &str,
        hint: &str,
    ) -> TypeRef {
        match schema.get(key) {
            Some(child) if child.is_object() => {
                self.lower(file, &pointer_join(pointer, key), child, hint)
                    .ty
            }
            _ => TypeRef::Any,
        }
    }
}
