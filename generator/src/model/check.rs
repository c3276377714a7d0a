//! Check: what the model cannot express faithfully, reported with locations.
//!
//! Lowering already reports what it could not read; this pass looks at the finished
//! model for combinations that compile but would surprise a user at run time.

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{Api, HttpMethod, TypeKind, TypeRef};

/// Reports surprising combinations in a finished model.
pub fn check(api: &Api) -> Diagnostics {
    let mut diags = Diagnostics::default();
    for op in &api.operations {
        let bodiless = matches!(
            op.method,
            HttpMethod::Get | HttpMethod::Head | HttpMethod::Delete
        );
        if op.body.is_some() && bodiless {
            diags.push(
                Diagnostic::warning(
                    op.origin.join("requestBody"),
                    format!(
                        "{} with a request body: many servers and proxies drop it",
                        op.method.as_str()
                    ),
                )
                .with_help("send the data as query parameters, or use POST"),
            );
        }
        if op.has_secured_and_anonymous() {
            diags.push(Diagnostic::warning(
                op.origin.join("security"),
                "security lists an empty requirement: the call is sent without credentials when none are configured",
            ));
        }
    }
    for id in &api.type_order {
        let def = api.ty(*id);
        if let TypeKind::Alias(TypeRef::Named(target)) = &def.kind {
            if target == id {
                diags.push(
                    Diagnostic::error(
                        def.origin.clone(),
                        format!("schema `{}` is only a reference to itself", def.name.wire),
                    )
                    .with_help("give the schema a type or properties"),
                );
            }
        }
    }
    diags
}

impl crate::model::Operation {
    fn has_secured_and_anonymous(&self) -> bool {
        self.security.iter().any(Vec::is_empty) && self.security.iter().any(|r| !r.is_empty())
    }
}
