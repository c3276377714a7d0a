//! Cargo features per OpenAPI tag (`tag-features: true` in a vendor's
//! `codegen.yaml`): pay for what you use. Each operation belongs to the feature
//! of its first tag; each type to the features of the operations that reach it
//! (through parameters, bodies, responses, errors, and the types those hold).
//! The vendor's own feature still compiles everything, types no operation
//! reaches included. This is the one place the gates are decided; emit prints
//! them as `#[cfg(...)]`.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Api, Success, TypeId, TypeRef};
use crate::naming;

/// Which cargo features compile which operations and types of one vendor.
#[derive(Debug, Clone, PartialEq)]
pub struct Features {
    /// The vendor's feature: everything (`github`).
    pub vendor: String,
    /// Every tag feature, sorted (`github-issues`, `github-repos`…).
    pub tags: Vec<String>,
    /// The tag feature of each operation, by index in [`Api::operations`].
    pub of_operation: Vec<String>,
    /// The tag features that compile each type; a type no operation reaches
    /// has none (only the vendor's feature compiles it).
    pub of_type: BTreeMap<TypeId, BTreeSet<String>>,
}

impl Features {
    /// The features any of which compiles the type, the vendor's first; `None`
    /// when every tag reaches it (whatever compiles the module compiles it).
    pub fn of_type(&self, id: TypeId) -> Option<Vec<&str>> {
        let tags = self.of_type.get(&id);
        if tags.is_some_and(|t| t.len() == self.tags.len()) {
            return None;
        }
        let mut all = vec![self.vendor.as_str()];
        all.extend(tags.into_iter().flatten().map(String::as_str));
        Some(all)
    }

    /// The features any of which compiles the operation; `None` when the
    /// vendor has one tag.
    pub fn of_operation(&self, index: usize) -> Option<Vec<&str>> {
        if self.tags.len() < 2 {
            return None;
        }
        let mut all = vec![self.vendor.as_str()];
        all.extend(self.of_operation.get(index).map(String::as_str));
        Some(all)
    }

    /// The features that compile every type `ty` names (each inner list: any of
    /// them compiles that type); empty when it names none that needs a gate.
    pub fn of_type_ref(&self, ty: &TypeRef) -> Vec<Vec<&str>> {
        let mut ids = BTreeSet::new();
        ty.visit_named(&mut |id| {
            ids.insert(id);
        });
        ids.into_iter().filter_map(|id| self.of_type(id)).collect()
    }
}

/// Gives each operation its tag's feature and each type the features of the
/// operations that reach it.
pub fn decide_features(api: &Api) -> Features {
    let vendor = naming::bare(&api.module.rust).to_string();
    let mut of_type: BTreeMap<TypeId, BTreeSet<String>> = BTreeMap::new();
    let mut of_operation = Vec::with_capacity(api.operations.len());
    for op in &api.operations {
        let feature = naming::tag_feature_name(&vendor, op.tag.as_deref());
        let mut roots: Vec<TypeId> = op.params_type.into_iter().collect();
        let mut push = |ty: &TypeRef| ty.visit_named(&mut |id| roots.push(id));
        if let Some(body) = &op.body {
            push(&body.ty);
        }
        if let Success::Json(ty) = &op.success {
            push(ty);
        }
        if let Some(ty) = op.stream.as_ref().and_then(|s| s.event_type()) {
            push(ty);
        }
        push(&op.error);
        op.error_responses.iter().for_each(|e| push(&e.ty));
        for id in api.reachable(roots) {
            of_type.entry(id).or_default().insert(feature.clone());
        }
        of_operation.push(feature);
    }
    let tags: BTreeSet<String> = of_operation.iter().cloned().collect();
    Features {
        vendor,
        tags: tags.into_iter().collect(),
        of_operation,
        of_type,
    }
}
