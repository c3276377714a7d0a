//! Unions: `oneOf`/`anyOf` of several alternatives, tagged by a discriminator
//! when its values reach every alternative, else untagged; and `type` arrays
//! (`[string, integer]`), untagged unions of one variant per type.

use serde_json::Value;

use super::object::non_null_parts;
use super::shape::is_nullable;
use super::{Lowered, Lowerer, Register, ref_name};
use crate::diag::{Diagnostic, Location, pointer_join};
use crate::model::{TypeKind, TypeRef, Union, UnionVariant};
use crate::naming::{self, Name, Namer};

impl Lowerer<'_> {
    /// `oneOf`/`anyOf`: `null` alternatives make the value nullable; one
    /// alternative left is the value itself; several are a union.
    pub(super) fn lower_union(
        &mut self,
        file: &str,
        pointer: &str,
        schema: &Value,
        (keyword, parts): (&str, &[Value]),
        reg: Register,
    ) -> Lowered {
        let at = pointer_join(pointer, keyword);
        let alternatives = non_null_parts(parts);
        let has_null = alternatives.len() < parts.len();
        let mut lowered = match alternatives[..] {
            [] => Lowered::any(),
            [(i, part)] => self.lower_part(file, &pointer_join(&at, &i.to_string()), part, reg),
            _ => {
                let hint = self.hint(reg);
                let union = self.union_from_parts(file, &at, &alternatives, schema, &hint);
                // Made-up unions carry no description: the use site's field has it.
                let ty = self.register(reg, Location::new(file, at), None, TypeKind::Union(union));
                Lowered {
                    ty,
                    nullable: false,
                }
            }
        };
        lowered.nullable |= has_null || is_nullable(schema);
        lowered
    }

    /// A `type` array of several non-null types: an untagged union, or any JSON
    /// value (with a warning) when one of the types is unknown.
    pub(super) fn lower_type_array(
        &mut self,
        file: &str,
        pointer: &str,
        schema: &Value,
        types: &[String],
        reg: Register,
    ) -> Lowered {
        let hint = self.hint(reg);
        match self.type_array_union(file, pointer, schema, types, &hint) {
            Some(union) => {
                let origin = Location::new(file, pointer);
                let ty = self.register(reg, origin, None, TypeKind::Union(union));
                Lowered {
                    ty,
                    nullable: is_nullable(schema),
                }
            }
            None => {
                self.diags.push(
                    Diagnostic::warning(
                        Location::new(file, pointer_join(pointer, "type")),
                        format!("a value of types {types:?} is typed as any JSON value for now"),
                    )
                    .with_help("the value is kept whole as serde_json::Value; nothing is dropped"),
                );
                Lowered::any()
            }
        }
    }

    /// The variants of a union: each alternative lowered and named, and the
    /// discriminator's values when `schema` has one that tags every alternative.
    pub(super) fn union_from_parts(
        &mut self,
        file: &str,
        pointer: &str,
        parts: &[(usize, &Value)],
        schema: &Value,
        hint: &str,
    ) -> Union {
        let mut names = Namer::with_reserved(&["Unknown"]);
        let mut variants = Vec::new();
        let mut refs: Vec<Option<(String, String)>> = Vec::new();
        for (n, (i, part)) in parts.iter().enumerate() {
            let target = part
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| self.doc.resolve(file, r).ok())
                .map(|r| {
                    (
                        r.file.to_string(),
                        r.pointer.clone(),
                        ref_name(r.file, &r.pointer, r.value),
                    )
                });
            let title = part
                .get("title")
                .and_then(Value::as_str)
                .map(str::to_string);
            let inline_hint = format!(
                "{hint}{}",
                naming::type_name(title.as_deref().unwrap_or(&format!("Variant{}", n + 1)))
            );
            let lowered = self.lower(
                file,
                &pointer_join(pointer, &i.to_string()),
                part,
                &inline_hint,
            );
            let candidate = match (&target, &title) {
                (Some((_, _, name)), _) => name.clone(),
                (None, Some(title)) => title.clone(),
                (None, None) => variant_word(&lowered.ty, n),
            };
            let (rust, _) = names.claim(&naming::type_name(&candidate));
            // A nullable alternative is its type: `null` makes the union's use site nullable.
            variants.push(UnionVariant {
                name: Name::new(candidate, rust),
                ty: lowered.ty,
                tags: Vec::new(),
            });
            refs.push(target.map(|(f, p, _)| (f, p)));
        }
        let tag = self.discriminator_tags(file, schema, &refs, &mut variants);
        Union { variants, tag }
    }

    /// Fills each variant's tag values from `discriminator` (its `mapping`, else the
    /// referenced schema's name); the property name when every variant has one.
    fn discriminator_tags(
        &mut self,
        file: &str,
        schema: &Value,
        refs: &[Option<(String, String)>],
        variants: &mut [UnionVariant],
    ) -> Option<String> {
        let discriminator = schema.get("discriminator")?;
        let property = discriminator.get("propertyName")?.as_str()?.to_string();
        let mapping = discriminator.get("mapping").and_then(Value::as_object);
        for (variant, target) in variants.iter_mut().zip(refs) {
            let Some((target_file, target_pointer)) = target else {
                return None;
            };
            if let Some(mapping) = mapping {
                for (value, reference) in mapping {
                    let Some(reference) = reference.as_str() else {
                        continue;
                    };
                    let reference = if reference.contains('#') || reference.contains('/') {
                        reference.to_string()
                    } else {
                        format!("#/components/schemas/{reference}")
                    };
                    if let Ok(r) = self.doc.resolve(file, &reference) {
                        if r.file == target_file && &r.pointer == target_pointer {
                            variant.tags.push(value.clone());
                        }
                    }
                }
            }
            if variant.tags.is_empty() {
                let name = target_pointer.rsplit('/').next().unwrap_or_default();
                variant.tags.push(crate::load::unescape_segment(name));
            }
        }
        Some(property)
    }

    /// The untagged union of a `type` array (`[string, integer]`,
    /// `[string, array]`): one variant per type, arrays typed by `items` and
    /// objects as maps typed by `additionalProperties`. `None` for a type it does
    /// not know.
    fn type_array_union(
        &mut self,
        file: &str,
        pointer: &str,
        schema: &Value,
        types: &[String],
        hint: &str,
    ) -> Option<Union> {
        let mut variants = Vec::new();
        for t in types {
            let ty = match t.as_str() {
                "string" => TypeRef::String,
                "integer" => TypeRef::I64,
                "number" => TypeRef::F64,
                "boolean" => TypeRef::Bool,
                "array" => self.lower_items(file, pointer, schema, hint),
                "object" => self.lower_map(file, pointer, schema, hint),
                _ => return None,
            };
            let word = variant_word(&ty, variants.len());
            if variants.iter().any(|v: &UnionVariant| v.name.rust == word) {
                continue;
            }
            variants.push(UnionVariant {
                name: Name::new(t.as_str(), word),
                ty,
                tags: Vec::new(),
            });
        }
        // An integer is also a number: the more precise type is tried first.
        variants.sort_by_key(|v| match v.ty {
            TypeRef::Bool => 0,
            TypeRef::I64 => 1,
            TypeRef::F64 => 2,
            _ => 3,
        });
        Some(Union {
            variants,
            tag: None,
        })
    }
}

/// A word for a variant with no schema name or title, after its type.
fn variant_word(ty: &TypeRef, n: usize) -> String {
    match ty {
        TypeRef::Array(_) => "List".into(),
        TypeRef::Map(_) => "Map".into(),
        other => other
            .scalar_word()
            .map_or_else(|| format!("Variant{}", n + 1), str::to_string),
    }
}
