//! Types inferred from examples, for free-form objects that only examples
//! describe (error bodies documented by example).

use serde_json::Value;

use super::Lowerer;
use super::object::name_clear_setters;
use crate::diag::Location;
use crate::model::{Additional, Constraints, Field, Struct, TypeKind, TypeRef};
use crate::naming::{self, Name, Namer};

impl Lowerer<'_> {
    /// Infers a type from example values: objects become structs whose fields are
    /// all optional, `null` becomes any JSON value, disagreeing examples widen to
    /// any JSON value. Unknown fields are kept by every struct.
    pub fn infer(&mut self, file: &str, pointer: &str, examples: &[&Value], hint: &str) -> TypeRef {
        let non_null: Vec<&Value> = examples.iter().copied().filter(|v| !v.is_null()).collect();
        let Some(first) = non_null.first() else {
            return TypeRef::Any;
        };
        let same_kind = non_null
            .iter()
            .all(|v| std::mem::discriminant(*v) == std::mem::discriminant(*first));
        if !same_kind {
            return TypeRef::Any;
        }
        match first {
            Value::Bool(_) => TypeRef::Bool,
            Value::String(_) => TypeRef::String,
            Value::Number(_) => {
                if non_null.iter().all(|v| v.as_i64().is_some()) {
                    TypeRef::I64
                } else {
                    TypeRef::F64
                }
            }
            Value::Array(_) => {
                let items: Vec<&Value> = non_null
                    .iter()
                    .filter_map(|v| v.as_array())
                    .flatten()
                    .collect();
                TypeRef::Array(Box::new(self.infer(
                    file,
                    pointer,
                    &items,
                    &format!("{hint}Item"),
                )))
            }
            Value::Object(_) => {
                let mut keys: Vec<&String> = Vec::new();
                for v in &non_null {
                    for k in v.as_object().into_iter().flat_map(|o| o.keys()) {
                        if !keys.contains(&k) {
                            keys.push(k);
                        }
                    }
                }
                let mut namer = Namer::with_reserved(&["new"]);
                let mut fields = Vec::new();
                for key in keys {
                    let values: Vec<&Value> = non_null
                        .iter()
                        .filter_map(|v| v.get(key.as_str()))
                        .collect();
                    let field_hint = format!("{hint}{}", naming::bare(&naming::type_name(key)));
                    let ty = self.infer(file, pointer, &values, &field_hint);
                    let (rust, _) = namer.claim(&naming::snake_name(key));
                    let saw_null = values.iter().any(|v| v.is_null());
                    fields.push(Field {
                        name: Name::new(key.clone(), rust),
                        nullable: saw_null || ty == TypeRef::Any,
                        ty,
                        required: false,
                        docs: None,
                        constraints: Constraints::default(),
                        clear_setter: None,
                        default: None,
                        default_getter: None,
                    });
                }
                let (field, _) = namer.claim("additional_properties");
                name_clear_setters(&mut fields, &mut namer);
                let st = Struct {
                    fields,
                    additional: Additional {
                        field,
                        value: TypeRef::Any,
                        denied: false,
                    },
                    inferred: true,
                };
                let id = self.add_type(
                    hint.to_string(),
                    true,
                    Location::new(file, pointer),
                    None,
                    TypeKind::Struct(st),
                );
                TypeRef::Named(id)
            }
            Value::Null => TypeRef::Any,
        }
    }
}
