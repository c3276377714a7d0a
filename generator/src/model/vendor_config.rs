//! A vendor's generator settings: `codegen.yaml` beside its API description, for
//! what the description does not say and cannot be edited to say (a vendor's
//! document kept byte for byte).
//!
//! ```yaml
//! # Operations safe to repeat although their method is not (retried like PUT).
//! idempotent:
//!   - POST /v1.0/services/update
//! # A cargo feature per OpenAPI tag (`<vendor>-<tag>`): a user who enables
//! # one compiles only its operations and the types they reach.
//! tag-features: true
//! ```

use std::collections::BTreeMap;

use serde_json::Value;

use crate::diag::{Diagnostic, Diagnostics, Location, pointer_join};
use crate::load::{CONFIG_FILE, Document, FileKind};

/// What `codegen.yaml` says.
#[derive(Debug, Default)]
pub struct VendorConfig {
    /// `METHOD /path` → where it is written, and whether an operation matched it.
    idempotent: BTreeMap<String, (Location, bool)>,
    /// `tag-features: true`.
    tag_features: bool,
}

impl VendorConfig {
    /// Reads the vendor's settings file, if it has one; problems go to `diags`.
    pub fn read(doc: &Document, diags: &mut Diagnostics) -> Self {
        let mut config = VendorConfig::default();
        for (file, root) in doc.files_of(FileKind::Config) {
            let Some(object) = root.as_object() else {
                if !root.is_null() {
                    diags.push(
                        Diagnostic::error(
                            Location::new(file, ""),
                            format!("`{CONFIG_FILE}` is not a mapping"),
                        )
                        .with_help(
                            "write `idempotent:` followed by a list of `METHOD /path` lines",
                        ),
                    );
                }
                continue;
            };
            for (key, value) in object {
                let at = Location::new(file, pointer_join("", key));
                match key.as_str() {
                    "idempotent" => config.read_idempotent(&at, value, diags),
                    "tag-features" => match value {
                        Value::Bool(on) => config.tag_features = *on,
                        other => diags.push(
                            Diagnostic::error(
                                at,
                                format!(
                                    "`tag-features` is `{}`, not true or false",
                                    display(other)
                                ),
                            )
                            .with_help(
                                "write `tag-features: true` for a cargo feature per OpenAPI tag",
                            ),
                        ),
                    },
                    _ => diags.push(
                        Diagnostic::error(at, format!("unknown setting `{key}`"))
                            .with_help("the settings are: `idempotent`, `tag-features`"),
                    ),
                }
            }
        }
        config
    }

    fn read_idempotent(&mut self, at: &Location, value: &Value, diags: &mut Diagnostics) {
        let Some(items) = value.as_array() else {
            diags.push(
                Diagnostic::error(at.clone(), "`idempotent` is not a list")
                    .with_help("list operations as `METHOD /path`, one per line"),
            );
            return;
        };
        for (i, item) in items.iter().enumerate() {
            let here = at.join(&i.to_string());
            let parsed = item.as_str().and_then(|text| {
                let (method, path) = text.trim().split_once(' ')?;
                let path = path.trim();
                path.starts_with('/').then(|| operation_key(method, path))
            });
            match parsed {
                Some(key) => {
                    self.idempotent.insert(key, (here, false));
                }
                None => diags.push(
                    Diagnostic::error(here, format!("`{}` is not `METHOD /path`", display(item)))
                        .with_help("write the method and the path as the API description does, e.g. `POST /orders/{id}/cancel`"),
                ),
            }
        }
    }

    /// Whether each OpenAPI tag gets a cargo feature of its own.
    pub fn tag_features(&self) -> bool {
        self.tag_features
    }

    /// Whether the settings mark this operation idempotent; marks the entry used.
    pub fn marks_idempotent(&mut self, method: &str, path: &str) -> bool {
        match self.idempotent.get_mut(&operation_key(method, path)) {
            Some((_, used)) => {
                *used = true;
                true
            }
            None => false,
        }
    }

    /// Entries that named no operation: errors, so a typo is not silently ignored.
    pub fn report_unused(&self, diags: &mut Diagnostics) {
        for (key, (at, used)) in &self.idempotent {
            if !used {
                diags.push(
                    Diagnostic::error(
                        at.clone(),
                        format!("no operation `{key}` in the API description"),
                    )
                    .with_help(
                        "write the method and the path exactly as the document's `paths` has them",
                    ),
                );
            }
        }
    }
}

fn operation_key(method: &str, path: &str) -> String {
    format!("{} {path}", method.to_uppercase())
}

fn display(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
