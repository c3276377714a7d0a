//! The type table: every type lowering defines, by [`TypeId`], with the name it
//! asks for. Lowering only adds and fills in types; this module decides what
//! becomes of them as a whole: structurally identical spec types merged into one
//! ([`TypeTable::merge_identical`]), final unique names with spec names first
//! ([`TypeTable::finish`]), and recursive types boxed ([`box_cycles`]).

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::model::{Struct, TypeDef, TypeId, TypeKind, TypeRef};
use crate::naming::{self, Name, Namer};

/// How operations use a type; decides names of merged types.
#[derive(Debug, Clone, Copy, Default)]
pub struct Usage {
    /// Used outside error responses (request, success response, other types).
    pub other: bool,
    /// Used as an error response body.
    pub error: bool,
}

/// A type as lowering left it: its definition and the name it asks for.
struct Pending {
    /// Its definition; `def.made_up`: named by lowering rather than by the spec
    /// (components, `$defs`), so spec names win collisions.
    def: TypeDef,
    candidate: String,
}

/// The types of one vendor, as they are lowered.
#[derive(Default)]
pub struct TypeTable {
    pending: Vec<Pending>,
    /// How operations use each type.
    usage: BTreeMap<TypeId, Usage>,
    /// Types that belong to one place and never merge (an operation's
    /// parameters).
    apart: BTreeSet<TypeId>,
}

impl TypeTable {
    /// Registers a type with a candidate name; its final name comes from [`TypeTable::finish`].
    pub fn add(
        &mut self,
        candidate: String,
        made_up: bool,
        origin: Location,
        docs: Option<String>,
        kind: TypeKind,
    ) -> TypeId {
        let id = TypeId(self.pending.len());
        self.pending.push(Pending {
            def: TypeDef {
                name: Name::new(candidate.clone(), String::new()),
                docs,
                kind,
                origin,
                aliases: Vec::new(),
                made_up,
            },
            candidate,
        });
        id
    }

    /// Keeps `id` out of [`merge_identical`](Self::merge_identical): it
    /// belongs to one place, whatever its shape.
    pub fn keep_apart(&mut self, id: TypeId) {
        self.apart.insert(id);
    }

    /// The definition of a type added earlier.
    pub fn kind(&self, id: TypeId) -> &TypeKind {
        &self.pending[id.0].def.kind
    }

    /// Fills in the definition of a type added earlier (a named schema is added
    /// before it is lowered, so references back to it end there).
    pub fn define(&mut self, id: TypeId, kind: TypeKind) {
        self.pending[id.0].def.kind = kind;
    }

    /// The name a type asks for.
    pub fn candidate(&self, id: TypeId) -> &str {
        &self.pending[id.0].candidate
    }

    /// Whether `ty` is a struct (through aliases), as lowered so far.
    pub fn is_struct(&self, ty: &TypeRef) -> bool {
        self.struct_of(ty).is_some()
    }

    /// The struct `ty` is (through aliases), as lowered so far.
    pub fn struct_of(&self, ty: &TypeRef) -> Option<&Struct> {
        let mut ty = ty.clone();
        for _ in 0..self.pending.len() {
            let TypeRef::Named(id) = ty else {
                return None;
            };
            match &self.pending[id.0].def.kind {
                TypeKind::Struct(st) => return Some(st),
                TypeKind::Alias(target) => ty = target.clone(),
                _ => return None,
            }
        }
        None
    }

    /// Records that an operation uses `ty` (and so the named type inside it).
    pub fn note_usage(&mut self, ty: &TypeRef, as_error: bool) {
        if let Some(id) = named_inside(ty) {
            let usage = self.usage.entry(id).or_default();
            if as_error {
                usage.error = true;
            } else {
                usage.other = true;
            }
        }
    }

    /// Makes every name final and unique, merges identical component types, and
    /// returns the types, their sorted order, and the merged-away → kept map (the
    /// caller rewrites its own references with it). `reserved` names are taken by
    /// other items of the module (the client).
    pub fn finish(mut self, reserved: &[&str], merge: Merge, mut diags: Diagnostics) -> Finished {
        let Merge {
            merged,
            aliases: alias_candidates,
        } = merge;

        let mut namer = Namer::with_reserved(reserved);
        let mut order: Vec<usize> = (0..self.pending.len())
            .filter(|i| !merged.contains_key(&TypeId(*i)))
            .collect();
        order.sort_by_key(|i| (self.pending[*i].def.made_up, *i));
        for i in order {
            let candidate = naming::type_name(&self.pending[i].candidate);
            let (rust, renamed) = namer.claim(&candidate);
            if renamed && !self.pending[i].def.made_up {
                diags.push(Diagnostic::warning(
                    self.pending[i].def.origin.clone(),
                    format!(
                        "schema `{}` has the same Rust name as another type; it is `{rust}`",
                        self.pending[i].candidate
                    ),
                ));
            }
            self.pending[i].def.name.rust = rust;
        }
        for (keep, candidates) in alias_candidates {
            let mut names = Vec::new();
            for candidate in candidates {
                let rust = naming::type_name(&candidate);
                if rust == self.pending[keep.0].def.name.rust {
                    continue;
                }
                let (rust, _) = namer.claim(&rust);
                names.push(Name::new(candidate, rust));
            }
            names.sort();
            self.pending[keep.0].def.aliases = names;
        }
        let mut types: Vec<TypeDef> = self.pending.into_iter().map(|p| p.def).collect();
        for def in &mut types {
            remap_kind(&mut def.kind, &merged);
        }
        let mut order: Vec<TypeId> = (0..types.len())
            .map(TypeId)
            .filter(|id| !merged.contains_key(id))
            .collect();
        order.sort_by(|a, b| types[a.0].name.rust.cmp(&types[b.0].name.rust));
        Finished {
            types,
            order,
            merged,
            diags,
        }
    }

    /// Groups structurally identical types and keeps one per group: named
    /// structs and enums with named ones, structs, enums and unions written in
    /// place (a large API repeats the same inline error object or enum dozens
    /// of times) with ones written in place; types [kept
    /// apart](Self::keep_apart) never merge. Repeats until nothing changes,
    /// since merging two types can make the types that contain them identical.
    /// Returns merged-away → kept, and for each kept type the names that
    /// become aliases of it.
    pub fn merge_identical(&mut self) -> Merge {
        let mut merged: BTreeMap<TypeId, TypeId> = BTreeMap::new();
        let mut aliases: BTreeMap<TypeId, Vec<String>> = BTreeMap::new();
        loop {
            let mut groups: BTreeMap<String, Vec<TypeId>> = BTreeMap::new();
            for (i, p) in self.pending.iter().enumerate() {
                let id = TypeId(i);
                let mergeable = match p.def.kind {
                    TypeKind::Struct(_) | TypeKind::Enum(_) | TypeKind::ValueEnum(_) => true,
                    // A union written in place is merged once its alternatives
                    // are (an error's details, repeated per operation).
                    TypeKind::Union(_) => p.def.made_up,
                    _ => false,
                };
                if merged.contains_key(&id) || self.apart.contains(&id) || !mergeable {
                    continue;
                }
                let mut kind = p.def.kind.clone();
                remap_kind(&mut kind, &merged);
                // Documentation does not make two shapes different.
                if let TypeKind::Struct(st) = &mut kind {
                    st.fields.iter_mut().for_each(|f| f.docs = None);
                }
                // Schemas written in place merge among themselves, named ones
                // among themselves: a spec's name is never lost to a made-up one.
                groups
                    .entry(format!("{}{kind:?}", p.def.made_up))
                    .or_default()
                    .push(id);
            }
            let mut changed = false;
            for members in groups.into_values().filter(|m| m.len() > 1) {
                changed = true;
                let keep = members[0];
                let mut names: Vec<String> = Vec::new();
                for member in &members {
                    names.push(self.pending[member.0].candidate.clone());
                    names.extend(aliases.remove(member).unwrap_or_default());
                }
                for other in &members[1..] {
                    merged.insert(*other, keep);
                }
                for target in merged.values_mut() {
                    if members.contains(target) {
                        *target = keep;
                    }
                }
                let usage = members.iter().fold(Usage::default(), |acc, m| {
                    let u = self.usage.get(m).copied().unwrap_or_default();
                    Usage {
                        other: acc.other || u.other,
                        error: acc.error || u.error,
                    }
                });
                self.usage.insert(keep, usage);
                let listed = names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let p = &mut self.pending[keep.0];
                p.candidate = merged_name(&names, usage, p.def.made_up);
                p.def.docs = Some(if p.def.made_up {
                    // Its own description stays: a schema written in place has
                    // no name that says what it is.
                    let note =
                        format!("One type for identical schemas written in place: {listed}.");
                    match p.def.docs.take() {
                        Some(docs) => format!("{docs}\n\n{note}"),
                        None => note,
                    }
                } else {
                    format!("One type for the structurally identical schemas {listed}.")
                });
                aliases.insert(keep, names);
            }
            if !changed {
                return Merge { merged, aliases };
            }
        }
    }
}

/// Identical types found by [`TypeTable::merge_identical`].
pub struct Merge {
    /// Merged-away → kept.
    pub merged: BTreeMap<TypeId, TypeId>,
    /// For each kept type, the schema names that become aliases of it.
    pub aliases: BTreeMap<TypeId, Vec<String>>,
}

/// What [`TypeTable::finish`] returns.
pub struct Finished {
    /// All types by id; merged-away ones are left in place but not in `order`.
    pub types: Vec<TypeDef>,
    /// The types to emit, sorted by Rust name.
    pub order: Vec<TypeId>,
    /// Merged-away → kept.
    pub merged: BTreeMap<TypeId, TypeId>,
    /// Diagnostics of lowering.
    pub diags: Diagnostics,
}

/// The name of a type that stands for several identical schemas: the words their
/// names end with in common (`BadRequest_Result`, `NotFound_Result` → `Result`),
/// prefixed with `Error` when the type only ever carries error responses and the
/// words do not say so already (→ `ErrorResult`); with no common words, the first
/// name, or for made-up names the shortest (`OrderPriority` rather than
/// `CaptureOrderError422DetailsItemSeverity`: the one that says least about one
/// place).
fn merged_name(names: &[String], usage: Usage, made_up: bool) -> String {
    let split: Vec<Vec<String>> = names.iter().map(|n| words(n)).collect();
    let mut common: Vec<String> = Vec::new();
    let shortest = split.iter().map(Vec::len).min().unwrap_or(0);
    for k in 1..=shortest {
        let word = &split[0][split[0].len() - k];
        if split.iter().all(|w| &w[w.len() - k] == word) {
            common.insert(0, word.clone());
        } else {
            break;
        }
    }
    let only_errors = usage.error && !usage.other;
    if only_errors && !common.iter().any(|w| w == "Error" || w == "Errors") {
        common.insert(0, "Error".to_string());
    }
    if common.is_empty() && made_up {
        let shortest = names.iter().min_by_key(|n| n.len());
        shortest.unwrap_or(&names[0]).clone()
    } else if common.is_empty() {
        names[0].clone()
    } else {
        common.concat()
    }
}

/// Splits a name into capitalised words (`BadRequest_Result` → Bad, Request, Result).
fn words(name: &str) -> Vec<String> {
    let camel = naming::type_name(name);
    let mut out: Vec<String> = Vec::new();
    for c in naming::bare(&camel).chars() {
        if c.is_ascii_uppercase() || out.is_empty() {
            out.push(c.to_string());
        } else if let Some(last) = out.last_mut() {
            last.push(c);
        }
    }
    out
}

fn remap(ty: &mut TypeRef, merged: &BTreeMap<TypeId, TypeId>) {
    match ty {
        TypeRef::Named(id) => {
            if let Some(to) = merged.get(id) {
                *id = *to;
            }
        }
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) => remap(inner, merged),
        _ => {}
    }
}

/// Rewrites references to merged-away types.
pub fn remap_ref(ty: &mut TypeRef, merged: &BTreeMap<TypeId, TypeId>) {
    remap(ty, merged);
}

fn remap_kind(kind: &mut TypeKind, merged: &BTreeMap<TypeId, TypeId>) {
    match kind {
        TypeKind::Struct(st) => {
            for f in &mut st.fields {
                remap(&mut f.ty, merged);
            }
            remap(&mut st.additional.value, merged);
        }
        TypeKind::Alias(t) => remap(t, merged),
        TypeKind::StatusEnum(variants) => {
            for v in variants {
                remap(&mut v.ty, merged);
            }
        }
        TypeKind::Union(u) => {
            for v in &mut u.variants {
                remap(&mut v.ty, merged);
            }
        }
        TypeKind::Enum(_) | TypeKind::ValueEnum(_) => {}
    }
}

/// The named type a reference is about (through arrays and maps).
pub fn named_inside(ty: &TypeRef) -> Option<TypeId> {
    match ty {
        TypeRef::Named(id) => Some(*id),
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) => named_inside(inner),
        _ => None,
    }
}

/// Wraps in `Box` every struct field and alias whose type leads back to the type
/// that holds it without passing through a `Vec` or a map, so recursive schemas
/// give types of finite size.
pub fn box_cycles(types: &mut [TypeDef]) {
    fn direct(ty: &TypeRef) -> Option<TypeId> {
        match ty {
            TypeRef::Named(id) => Some(*id),
            _ => None,
        }
    }
    fn edges(kind: &TypeKind) -> Vec<TypeId> {
        match kind {
            TypeKind::Struct(st) => st.fields.iter().filter_map(|f| direct(&f.ty)).collect(),
            TypeKind::Alias(t) => direct(t).into_iter().collect(),
            TypeKind::StatusEnum(vs) => vs.iter().filter_map(|v| direct(&v.ty)).collect(),
            TypeKind::Union(u) => u.variants.iter().filter_map(|v| direct(&v.ty)).collect(),
            TypeKind::Enum(_) | TypeKind::ValueEnum(_) => Vec::new(),
        }
    }
    let graph: Vec<Vec<TypeId>> = types.iter().map(|t| edges(&t.kind)).collect();
    let reaches = |from: TypeId, to: TypeId| -> bool {
        let mut stack = vec![from];
        let mut seen = BTreeSet::new();
        while let Some(n) = stack.pop() {
            if n == to {
                return true;
            }
            if seen.insert(n) {
                if let Some(next) = graph.get(n.0) {
                    stack.extend(next.iter().copied());
                }
            }
        }
        false
    };
    for (i, def) in types.iter_mut().enumerate() {
        let me = TypeId(i);
        let wrap = |ty: &mut TypeRef| {
            if let Some(target) = direct(ty) {
                if reaches(target, me) {
                    *ty = TypeRef::Boxed(Box::new(ty.clone()));
                }
            }
        };
        match &mut def.kind {
            TypeKind::Struct(st) => st.fields.iter_mut().for_each(|f| wrap(&mut f.ty)),
            TypeKind::StatusEnum(vs) => vs.iter_mut().for_each(|v| wrap(&mut v.ty)),
            TypeKind::Union(u) => u.variants.iter_mut().for_each(|v| wrap(&mut v.ty)),
            TypeKind::Alias(_) | TypeKind::Enum(_) | TypeKind::ValueEnum(_) => {}
        }
    }
}
