//! What a regeneration changes in a vendor's API, for the people reviewing it.
//!
//! [`compare`] takes two [`Surface`]s (the one in `generated/` and the new
//! model's, or two specs') and lists every difference as a [`Change`],
//! classified on two axes:
//!
//! - [`Code`]: does code that compiles against the old crate still compile?
//!   Judged from how emit prints the model: methods take exact types, `new()`
//!   takes the required fields as `impl Into<T>`, fields are public and read
//!   with their declared type, enums are not `#[non_exhaustive]` (so a variant
//!   added breaks an exhaustive `match`). Struct literals are not part of the
//!   API (construction is `new()` and setters).
//! - [`Wire`]: does a client already shipped still work against the new
//!   server? Judged from whether requests or responses carry the type: a new
//!   required request field breaks, a new response field is harmless (kept in
//!   `additional_properties`), a new response enum value is harmless (read as
//!   `Unknown`), and so on; every rule says why.
//!
//! Every change also names the items of the oracle's usage program it breaks
//! ([`Change::oracle`]), which `cargo xtask diff-oracle` checks against rustc.

pub mod report;
pub mod surface;

use std::collections::{BTreeMap, BTreeSet};

pub use surface::Surface;
use surface::{At, CredentialsSurface, Member, OpSurface, TypeSurface};

/// What kind of change: one class each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    /// A new client method.
    OperationAdded,
    /// A client method is gone.
    OperationRemoved,
    /// Same HTTP method and path, another method name.
    OperationRenamed,
    /// The path template changed.
    PathChanged,
    /// The HTTP method changed.
    MethodChanged,
    /// A parameter (a method argument, or a field of the parameters struct) was added.
    ParamAdded {
        /// Whether it must be given.
        required: bool,
    },
    /// A parameter is gone.
    ParamRemoved,
    /// A parameter's type changed.
    ParamRetyped,
    /// A method argument has another name at the same place, of the same type.
    ParamRenamed,
    /// A parameter became required or optional, or nullable.
    ParamRequirednessChanged,
    /// A parameter moved (query, header, path, cookie).
    ParamMoved,
    /// A request body was added.
    BodyAdded {
        /// Whether it must be given.
        required: bool,
    },
    /// The request body is gone.
    BodyRemoved,
    /// The request body's type changed.
    BodyRetyped,
    /// The request body became required or optional.
    BodyRequirednessChanged,
    /// The request's `Content-Type` or the response's `Accept` changed.
    MediaTypeChanged,
    /// The success type changed.
    ResponseRetyped,
    /// The error type changed.
    ErrorRetyped,
    /// The security requirements changed.
    AuthChanged,
    /// A new type.
    TypeAdded,
    /// A type is gone.
    TypeRemoved,
    /// Same schema, another Rust name.
    TypeRenamed,
    /// A struct became an enum, an alias a struct...
    TypeKindChanged,
    /// A type alias names another type.
    AliasRetyped,
    /// A struct field was added.
    FieldAdded {
        /// Whether it must be present (then `new()` takes it).
        required: bool,
    },
    /// A struct field is gone.
    FieldRemoved,
    /// A struct field's type changed.
    FieldRetyped,
    /// A field became required or optional, or nullable or not.
    FieldRequirednessChanged,
    /// A field's wire name changed, its Rust name kept.
    FieldWireRenamed,
    /// A field's `…_or_default` reader appeared, changed or went.
    FieldDefaultChanged,
    /// `new()` takes its arguments in another order.
    ConstructorChanged,
    /// An enum or union variant was added.
    VariantAdded,
    /// An enum or union variant is gone.
    VariantRemoved,
    /// A union or error variant carries another type, or an enum value its wire spelling.
    VariantRetyped,
    /// Only documentation changed.
    DocsChanged,
    /// The client offers a new token source (an OAuth 2 client-credentials flow).
    TokenSourceAdded,
    /// A token source is gone.
    TokenSourceRemoved,
    /// A token source's token URL or scopes changed.
    TokenSourceChanged,
}

impl ChangeKind {
    /// Its name in reports: `field-added (required)`.
    pub fn label(self) -> &'static str {
        use ChangeKind::*;
        match self {
            OperationAdded => "operation-added",
            OperationRemoved => "operation-removed",
            OperationRenamed => "operation-renamed",
            PathChanged => "path-changed",
            MethodChanged => "method-changed",
            ParamAdded { required: true } => "param-added (required)",
            ParamAdded { required: false } => "param-added (optional)",
            ParamRemoved => "param-removed",
            ParamRetyped => "param-retyped",
            ParamRenamed => "param-renamed",
            ParamRequirednessChanged => "param-requiredness-changed",
            ParamMoved => "param-moved",
            BodyAdded { required: true } => "body-added (required)",
            BodyAdded { required: false } => "body-added (optional)",
            BodyRemoved => "body-removed",
            BodyRetyped => "body-retyped",
            BodyRequirednessChanged => "body-requiredness-changed",
            MediaTypeChanged => "media-type-changed",
            ResponseRetyped => "response-retyped",
            ErrorRetyped => "error-retyped",
            AuthChanged => "auth-changed",
            TypeAdded => "type-added",
            TypeRemoved => "type-removed",
            TypeRenamed => "type-renamed",
            TypeKindChanged => "type-kind-changed",
            AliasRetyped => "alias-retyped",
            FieldAdded { required: true } => "field-added (required)",
            FieldAdded { required: false } => "field-added (optional)",
            FieldRemoved => "field-removed",
            FieldRetyped => "field-retyped",
            FieldRequirednessChanged => "field-requiredness-changed",
            FieldWireRenamed => "field-wire-renamed",
            FieldDefaultChanged => "field-default-changed",
            ConstructorChanged => "constructor-changed",
            VariantAdded => "variant-added",
            VariantRemoved => "variant-removed",
            VariantRetyped => "variant-retyped",
            DocsChanged => "docs-changed",
            TokenSourceAdded => "token-source-added",
            TokenSourceRemoved => "token-source-removed",
            TokenSourceChanged => "token-source-changed",
        }
    }
}

/// The "your code" axis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Code {
    /// Code using the old crate may no longer compile: why.
    Breaks(String),
    /// Code using the old crate still compiles, but means something else
    /// (`new()` takes arguments of the same types for other fields): why.
    Silent(String),
    /// Code using the old crate still compiles.
    Compatible,
}

impl Code {
    /// Whether code is affected: it no longer compiles, or silently means
    /// something else.
    pub fn affected(&self) -> bool {
        !matches!(self, Code::Compatible)
    }
}

/// The wire axis: clients already shipped against the new server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wire {
    /// Old clients may fail: why.
    Breaks(String),
    /// Something differs on the wire, and old clients cope: why.
    Harmless(String),
    /// Nothing differs on the wire.
    None,
}

/// One side of a change: where, and the Rust type (empty when none applies).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Side {
    /// The spec location.
    pub at: At,
    /// The Rust type as text.
    pub ty: String,
}

/// One difference between two surfaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Which class.
    pub kind: ChangeKind,
    /// The Rust item: `Client::add_pet`, `Pet::name`, `Status::Sold`, `Pet`.
    pub item: String,
    /// The old side, when there is one.
    pub old: Option<Side>,
    /// The new side, when there is one.
    pub new: Option<Side>,
    /// Your code.
    pub code: Code,
    /// The wire.
    pub wire: Wire,
    /// The oracle's usage items this breaks (`op:add_pet`, `new:Pet`,
    /// `field:Pet.name`, `match:Status`, `type:Tag`); for a type removed or
    /// renamed, `mentions:Pet`: every item naming the type.
    pub oracle: Vec<String>,
}

impl Change {
    /// Whether it is only documentation.
    pub fn is_docs(&self) -> bool {
        self.kind == ChangeKind::DocsChanged
    }

    /// Whether it breaks code or the wire.
    pub fn is_breaking(&self) -> bool {
        self.code.affected() || matches!(self.wire, Wire::Breaks(_))
    }
}

/// Every difference between `old` and `new`, operations first, then types,
/// each in name order.
pub fn compare(old: &Surface, new: &Surface) -> Vec<Change> {
    let mut cx = Cx {
        old,
        new,
        out: Vec::new(),
    };
    cx.operations();
    cx.types();
    cx.credentials();
    cx.out
}

struct Cx<'a> {
    old: &'a Surface,
    new: &'a Surface,
    out: Vec<Change>,
}

fn side(at: &At, ty: &str) -> Option<Side> {
    Some(Side {
        at: at.clone(),
        ty: ty.to_string(),
    })
}

fn breaks(s: &str) -> Code {
    Code::Breaks(s.to_string())
}

fn wire_breaks(s: impl Into<String>) -> Wire {
    Wire::Breaks(s.into())
}

fn harmless(s: impl Into<String>) -> Wire {
    Wire::Harmless(s.into())
}

/// The worse of two wire verdicts.
fn worse(a: Wire, b: Wire) -> Wire {
    match (&a, &b) {
        (Wire::Breaks(_), _) => a,
        (_, Wire::Breaks(_)) => b,
        (Wire::Harmless(_), _) => a,
        (_, Wire::Harmless(_)) => b,
        _ => Wire::None,
    }
}

/// Items of two sides paired by name, then unpaired ones by a rename rule.
struct Paired<'a, T> {
    /// Same name on both sides.
    same: Vec<(&'a T, &'a T)>,
    /// Another name, paired by the rule.
    renamed: Vec<(&'a T, &'a T)>,
    /// Old side only.
    removed: Vec<&'a T>,
    /// New side only.
    added: Vec<&'a T>,
}

/// Pairs `old` and `new` (each sorted by name) by name; of the rest, each old
/// item with the one new item `renamed` accepts, when exactly one does.
fn pair_up<'a, T>(
    old: &'a [T],
    new: &'a [T],
    name: impl Fn(&T) -> &String,
    renamed: impl Fn(&T, &T) -> bool,
) -> Paired<'a, T> {
    let new_names: BTreeSet<&String> = new.iter().map(&name).collect();
    let old_names: BTreeSet<&String> = old.iter().map(&name).collect();
    let by_name: BTreeMap<&String, &T> = new.iter().map(|t| (name(t), t)).collect();
    let mut paired = Paired {
        same: Vec::new(),
        renamed: Vec::new(),
        removed: Vec::new(),
        added: new
            .iter()
            .filter(|t| !old_names.contains(name(t)))
            .collect(),
    };
    for o in old {
        match by_name.get(name(o)) {
            Some(n) => paired.same.push((o, n)),
            None if new_names.contains(name(o)) => {}
            None => paired.removed.push(o),
        }
    }
    paired.rematch(renamed)
}

impl<'a, T> Paired<'a, T> {
    /// Pairs each removed item with the added one `renamed` accepts, when
    /// exactly one does.
    fn rematch(mut self, renamed: impl Fn(&T, &T) -> bool) -> Self {
        let mut removed = Vec::new();
        for o in std::mem::take(&mut self.removed) {
            let found: Vec<usize> = (0..self.added.len())
                .filter(|&i| renamed(o, self.added[i]))
                .collect();
            match found.as_slice() {
                [i] => {
                    let n = self.added.remove(*i);
                    self.renamed.push((o, n));
                }
                _ => removed.push(o),
            }
        }
        self.removed = removed;
        self
    }

    /// Every pair (same name or renamed), in old order.
    fn both(&self) -> Vec<(&'a T, &'a T)> {
        let mut all: Vec<(&'a T, &'a T)> = self.same.iter().chain(&self.renamed).copied().collect();
        all.sort_by_key(|(o, _)| std::ptr::from_ref(*o) as usize);
        all
    }
}

/// The wire verdict for a value whose JSON shape is `oj` before and `nj`
/// after, sent in requests and / or received in responses: any other shape
/// breaks (the same shape: the types' own changes are listed on their own).
fn shape_wire(request: bool, response: bool, oj: &str, nj: &str) -> Wire {
    if oj == nj {
        return Wire::None;
    }
    let mut w = Wire::None;
    if request && accepts(nj, oj) {
        w = harmless(format!(
            "the server takes `{nj}`, which includes what old clients send"
        ));
    } else if request {
        w = wire_breaks(format!(
            "old clients send `{oj}`, the server expects `{nj}`"
        ));
    }
    if response && accepts(oj, nj) {
        w = worse(
            w,
            harmless(format!(
                "old clients read `{oj}`, which includes what the server sends"
            )),
        );
    } else if response {
        w = worse(
            w,
            wire_breaks(format!(
                "old clients expect `{oj}`, the server sends `{nj}`"
            )),
        );
    }
    w
}

/// Whether JSON of shape `wide` takes every value of shape `narrow`: the same
/// shape, or one of an untagged union's alternatives.
fn accepts(wide: &str, narrow: &str) -> bool {
    wide == narrow
        || wide
            .strip_prefix("one-of<")
            .and_then(|r| r.strip_suffix('>'))
            .is_some_and(|alts| alts.split('|').any(|a| a == narrow))
}

/// How a type text names the generated type `name`.
fn type_text(name: &str) -> String {
    if surface::PRELUDE.contains(&name) {
        format!("types::{name}")
    } else {
        name.to_string()
    }
}

/// The generated type a type text names, when it is one name: `Pet`,
/// `types::String` (a generated type named like a prelude one).
fn generated_name(text: &str) -> Option<&str> {
    match text.strip_prefix("types::") {
        Some(name) => Some(name),
        None if surface::PRELUDE.contains(&text) => None,
        None if text
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '#') =>
        {
            Some(text)
        }
        None => None,
    }
}

/// A type text with every alias of `surface` replaced by what it names.
fn canonical(surface: &Surface, text: &str) -> String {
    let mut text = text.to_string();
    for _ in 0..16 {
        let mut out = String::with_capacity(text.len());
        let mut word = String::new();
        let mut changed = false;
        let mut flush = |word: &mut String, out: &mut String| {
            match generated_name(word)
                .and_then(|name| surface.ty(name))
                .filter(|t| t.kind == "alias")
            {
                Some(t) => {
                    out.push_str(t.target.as_deref().unwrap_or(word));
                    changed = true;
                }
                None => out.push_str(word),
            }
            word.clear();
        };
        for c in text.chars() {
            if c.is_alphanumeric() || c == '_' || c == ':' || c == '#' {
                word.push(c);
            } else {
                flush(&mut word, &mut out);
                out.push(c);
            }
        }
        flush(&mut word, &mut out);
        if !changed {
            return out;
        }
        text = out;
    }
    text
}

/// A path template with its placeholders blank: `/pets/{}`.
fn url_shape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut inside = false;
    for c in path.chars() {
        match c {
            '{' => {
                inside = true;
                out.push('{');
            }
            '}' if inside => {
                inside = false;
                out.push('}');
            }
            _ if inside => {}
            c => out.push(c),
        }
    }
    out
}

/// Whether a value of type `old` converts `Into` type `new` (what a
/// `new(x: impl Into<T>)` or setter argument accepts): `T` into `Option<T>`,
/// `Box<T>`, `Nullable<T>`, a wider number, or a union of the new `surface`
/// that has exactly one alternative of type `old` (unions implement `From`
/// each alternative).
fn converts(surface: &Surface, old: &str, new: &str) -> bool {
    let (old, new) = (&canonical(surface, old), &canonical(surface, new));
    let (old, new) = (old.as_str(), new.as_str());
    let into_union = || {
        generated_name(new)
            .and_then(|name| surface.ty(name))
            .is_some_and(|t| {
                t.kind == "union" && t.members.iter().filter(|m| m.ty == old).count() == 1
            })
    };
    into_union()
        || old == new
        || new == format!("Option<{old}>")
        || new == format!("Box<{old}>")
        || new == format!("Nullable<{old}>")
        || matches!(
            (old, new),
            ("i32", "i64") | ("i32", "f64") | ("String" | "bool" | "i32" | "i64" | "f64", "Value")
        )
}

impl Cx<'_> {
    fn push(&mut self, change: Change) {
        self.out.push(change);
    }

    /// Whether old code naming type `old` compiles where the new crate has
    /// `new`: the same text once the new crate's aliases are followed.
    fn same(&self, old: &str, new: &str) -> bool {
        old == new || canonical(self.new, old) == canonical(self.new, new)
    }

    /// `Breaks(why)` unless `compatible`.
    fn code_unless(&self, compatible: bool, why: &str) -> Code {
        if compatible {
            Code::Compatible
        } else {
            breaks(why)
        }
    }

    /// The type a new alias names in the end, when that is a generated type.
    fn resolve_new<'s>(&'s self, t: &'s TypeSurface) -> Option<&'s TypeSurface> {
        let mut t = t;
        for _ in 0..16 {
            if t.kind != "alias" {
                return Some(t);
            }
            let target = t.target.as_deref()?;
            t = self.new.ty(generated_name(target)?)?;
        }
        None
    }

    /// The token sources, paired by function name. The oracle's usage program
    /// does not call them, so their items (`credentials:…`) are the report's only.
    fn credentials(&mut self) {
        let paired = pair_up(
            &self.old.credentials,
            &self.new.credentials,
            |c| &c.name,
            |_, _| false,
        );
        let item = |c: &CredentialsSurface| format!("Client::{}", c.name);
        for o in &paired.removed {
            self.push(Change {
                kind: ChangeKind::TokenSourceRemoved,
                item: item(o),
                old: side(&o.at, &o.token_url),
                new: None,
                code: breaks("the function is gone, and its scope constants"),
                wire: wire_breaks(
                    "the description no longer documents the token endpoint old clients use",
                ),
                oracle: vec![format!("credentials:{}", o.name)],
            });
        }
        for n in &paired.added {
            self.push(Change {
                kind: ChangeKind::TokenSourceAdded,
                item: item(n),
                old: None,
                new: side(&n.at, &n.token_url),
                code: Code::Compatible,
                wire: Wire::None,
                oracle: Vec::new(),
            });
        }
        for (o, n) in paired.both() {
            if o.token_url != n.token_url {
                self.push(Change {
                    kind: ChangeKind::TokenSourceChanged,
                    item: item(o),
                    old: side(&o.at, &o.token_url),
                    new: side(&n.at, &n.token_url),
                    code: Code::Compatible,
                    wire: wire_breaks("old clients fetch tokens at the old token URL"),
                    oracle: Vec::new(),
                });
            }
            for (name, wire) in &o.scopes {
                if !n.scopes.iter().any(|(m, w)| m == name && w == wire) {
                    self.push(Change {
                        kind: ChangeKind::TokenSourceChanged,
                        item: format!("Client::{name}"),
                        old: side(&o.at, wire),
                        new: None,
                        code: breaks("the scope constant is gone or holds another scope"),
                        wire: wire_breaks(
                            "old clients may ask for a scope the description no longer lists",
                        ),
                        oracle: vec![format!("credentials:{name}")],
                    });
                }
            }
            for (name, wire) in &n.scopes {
                if !o.scopes.iter().any(|(m, _)| m == name) {
                    self.push(Change {
                        kind: ChangeKind::TokenSourceChanged,
                        item: format!("Client::{name}"),
                        old: None,
                        new: side(&n.at, wire),
                        code: Code::Compatible,
                        wire: Wire::None,
                        oracle: Vec::new(),
                    });
                }
            }
        }
    }

    fn operations(&mut self) {
        // A rename: same method and path, another name.
        let paired = pair_up(
            &self.old.operations,
            &self.new.operations,
            |o| &o.name,
            |o, n| n.method == o.method && url_shape(&n.path) == url_shape(&o.path),
        );
        for (o, n) in &paired.renamed {
            self.push(Change {
                kind: ChangeKind::OperationRenamed,
                item: format!("Client::{}", o.name),
                old: side(&o.at, &o.name),
                new: side(&n.at, &n.name),
                code: breaks("the method has another name"),
                wire: Wire::None,
                oracle: vec![format!("op:{}", o.name)],
            });
        }
        for o in &paired.removed {
            self.push(Change {
                kind: ChangeKind::OperationRemoved,
                item: format!("Client::{}", o.name),
                old: side(&o.at, &format!("{} {}", o.method, o.path)),
                new: None,
                code: breaks("the method is gone"),
                wire: wire_breaks("the server no longer documents the operation"),
                oracle: vec![format!("op:{}", o.name)],
            });
        }
        for n in &paired.added {
            self.push(Change {
                kind: ChangeKind::OperationAdded,
                item: format!("Client::{}", n.name),
                old: None,
                new: side(&n.at, &format!("{} {}", n.method, n.path)),
                code: Code::Compatible,
                wire: Wire::None,
                oracle: Vec::new(),
            });
        }
        for (o, n) in paired.both() {
            self.operation(o, n);
        }
    }

    fn operation(&mut self, o: &OpSurface, n: &OpSurface) {
        let item = format!("Client::{}", o.name);
        let op = vec![format!("op:{}", o.name)];
        let ch = |kind, old: Option<Side>, new: Option<Side>, code, wire, oracle: &Vec<String>| {
            let oracle = if matches!(code, Code::Breaks(_)) {
                oracle.clone()
            } else {
                Vec::new()
            };
            Change {
                kind,
                item: item.clone(),
                old,
                new,
                code,
                wire,
                oracle,
            }
        };
        let mut out = Vec::new();
        if o.method != n.method {
            out.push(ch(
                ChangeKind::MethodChanged,
                side(&o.at, &o.method),
                side(&n.at, &n.method),
                Code::Compatible,
                wire_breaks("old clients call with the old method"),
                &op,
            ));
        }
        // Renaming a placeholder (`{petId}` → `{id}`) leaves the URLs as they are.
        let path_changed = url_shape(&o.path) != url_shape(&n.path);
        if path_changed {
            out.push(ch(
                ChangeKind::PathChanged,
                side(&o.at, &o.path),
                side(&n.at, &n.path),
                Code::Compatible,
                wire_breaks("old clients call the old path"),
                &op,
            ));
        }
        // Arguments other than the body (path parameters and `params`), by name.
        let args = |s: &OpSurface| -> BTreeMap<String, String> {
            s.args
                .iter()
                .filter(|a| a.name != "body")
                .map(|a| (a.name.clone(), a.ty.clone()))
                .collect()
        };
        let (oa, na) = (args(o), args(n));
        let order = |s: &OpSurface| -> Vec<String> {
            s.args
                .iter()
                .filter(|a| oa.contains_key(&a.name) && na.contains_key(&a.name))
                .map(|a| a.name.clone())
                .collect()
        };
        let reordered = order(o) != order(n);
        let new_params_required = n.params.iter().any(|p| p.location != "path" && p.required);
        // Arguments are positional: calls compile when each keeps its type at its place.
        let positional = |s: &'_ OpSurface| -> Vec<(String, String)> {
            s.args
                .iter()
                .filter(|a| a.name != "body")
                .map(|a| (a.name.clone(), a.ty.clone()))
                .collect()
        };
        let (op_args, np_args) = (positional(o), positional(n));
        let calls_compile = op_args.len() == np_args.len()
            && op_args
                .iter()
                .zip(&np_args)
                .all(|(a, b)| self.same(&a.1, &b.1));
        if calls_compile {
            for (a, b) in op_args.iter().zip(&np_args).filter(|(a, b)| a.0 != b.0) {
                // An argument of the same type moved here from another place.
                let moved = op_args.iter().any(|x| x.0 == b.0);
                out.push(ch(
                    ChangeKind::ParamRenamed,
                    side(&o.at, &format!("{}: {}", a.0, a.1)),
                    side(&n.at, &format!("{}: {}", b.0, b.1)),
                    if moved {
                        Code::Silent(
                            "arguments of the same type swapped places: old calls compile and pass them the wrong way round".into(),
                        )
                    } else {
                        Code::Compatible
                    },
                    if path_changed {
                        harmless("the path change is listed on its own")
                    } else {
                        Wire::None
                    },
                    &op,
                ));
            }
        }
        for (name, ty) in oa.iter().filter(|_| !calls_compile) {
            match na.get(name) {
                None => out.push(ch(
                    ChangeKind::ParamRemoved,
                    side(&o.at, &format!("{name}: {ty}")),
                    None,
                    breaks("the method takes one argument less"),
                    if name == "params" {
                        harmless(
                            "old clients still send the parameters; servers ignore unknown ones",
                        )
                    } else if path_changed {
                        harmless("the path change is listed on its own")
                    } else {
                        Wire::None
                    },
                    &op,
                )),
                Some(nt) if nt != ty => out.push(ch(
                    ChangeKind::ParamRetyped,
                    side(&o.at, &format!("{name}: {ty}")),
                    side(&n.at, &format!("{name}: {nt}")),
                    self.code_unless(self.same(ty, nt), "the argument has another type"),
                    Wire::None,
                    &op,
                )),
                Some(_) => {}
            }
        }
        for (name, ty) in na.iter().filter(|_| !calls_compile) {
            if !oa.contains_key(name) {
                let required = name != "params" || new_params_required;
                out.push(ch(
                    ChangeKind::ParamAdded { required },
                    None,
                    side(&n.at, &format!("{name}: {ty}")),
                    breaks("the method takes a new argument"),
                    if name == "params" && required {
                        wire_breaks(
                            "old clients do not send the new required parameters; the server rejects the request",
                        )
                    } else if path_changed {
                        harmless("the path change is listed on its own")
                    } else {
                        Wire::None
                    },
                    &op,
                ));
            }
        }
        if reordered && !calls_compile {
            out.push(ch(
                ChangeKind::ParamRetyped,
                side(&o.at, &order(o).join(", ")),
                side(&n.at, &order(n).join(", ")),
                breaks("the method takes its arguments in another order"),
                Wire::None,
                &op,
            ));
        }
        // Where each parameter goes.
        for p in &o.params {
            if let Some(q) = n.params.iter().find(|q| q.wire == p.wire) {
                if q.location != p.location {
                    out.push(ch(
                        ChangeKind::ParamMoved,
                        side(&o.at, &format!("{} in {}", p.wire, p.location)),
                        side(&n.at, &format!("{} in {}", q.wire, q.location)),
                        Code::Compatible,
                        wire_breaks("old clients send it in the old place"),
                        &op,
                    ));
                } else if p.location == "path" && p.json != q.json {
                    out.push(ch(
                        ChangeKind::ParamRetyped,
                        side(&o.at, &format!("{}: {}", p.wire, p.json)),
                        side(&n.at, &format!("{}: {}", q.wire, q.json)),
                        Code::Compatible,
                        shape_wire(true, false, &p.json, &q.json),
                        &op,
                    ));
                }
            }
        }
        // The body.
        match (&o.body, &n.body) {
            (None, Some(b)) => out.push(ch(
                ChangeKind::BodyAdded {
                    required: b.required,
                },
                None,
                side(&n.at, &b.ty),
                breaks("the method takes a body argument"),
                if b.required {
                    wire_breaks("old clients send no body; the server requires one")
                } else {
                    Wire::None
                },
                &op,
            )),
            (Some(b), None) => out.push(ch(
                ChangeKind::BodyRemoved,
                side(&o.at, &b.ty),
                None,
                breaks("the method no longer takes a body"),
                harmless("old clients send a body the server no longer reads"),
                &op,
            )),
            (Some(ob), Some(nb)) => {
                if ob.media_type != nb.media_type {
                    out.push(ch(
                        ChangeKind::MediaTypeChanged,
                        side(&o.at, &ob.media_type),
                        side(&n.at, &nb.media_type),
                        Code::Compatible,
                        wire_breaks(format!(
                            "old clients send `{}`, the server expects `{}`",
                            ob.media_type, nb.media_type
                        )),
                        &op,
                    ));
                }
                if ob.ty != nb.ty {
                    out.push(ch(
                        ChangeKind::BodyRetyped,
                        side(&o.at, &ob.ty),
                        side(&n.at, &nb.ty),
                        self.code_unless(
                            self.same(&ob.ty, &nb.ty),
                            "the body argument has another type",
                        ),
                        shape_wire(true, false, &ob.json, &nb.json),
                        &op,
                    ));
                }
                if ob.required != nb.required {
                    out.push(ch(
                        ChangeKind::BodyRequirednessChanged,
                        side(&o.at, if ob.required { "required" } else { "optional" }),
                        side(&n.at, if nb.required { "required" } else { "optional" }),
                        breaks("the body argument is `&T` one side and `Option<&T>` the other"),
                        if nb.required {
                            wire_breaks("old clients may send no body; the server requires one")
                        } else {
                            Wire::None
                        },
                        &op,
                    ));
                }
            }
            (None, None) => {}
        }
        if o.ok != n.ok {
            out.push(ch(
                ChangeKind::ResponseRetyped,
                side(&o.at, &o.ok),
                side(&n.at, &n.ok),
                self.code_unless(self.same(&o.ok, &n.ok), "the method returns another type"),
                shape_wire(false, true, &o.ok_json, &n.ok_json),
                &op,
            ));
        }
        if o.accept != n.accept {
            let json = |a: &str| a.contains("json");
            out.push(ch(
                ChangeKind::MediaTypeChanged,
                side(&o.at, &format!("Accept: {}", o.accept)),
                side(&n.at, &format!("Accept: {}", n.accept)),
                Code::Compatible,
                if json(&o.accept) && json(&n.accept) || o.ok == "()" && n.ok == "()" {
                    harmless("both are JSON, or no body is read")
                } else {
                    wire_breaks("old clients read the old media type")
                },
                &op,
            ));
        }
        if o.error != n.error {
            out.push(ch(
                ChangeKind::ErrorRetyped,
                side(&o.at, &o.error),
                side(&n.at, &n.error),
                self.code_unless(
                    self.same(&o.error, &n.error),
                    "the method's error type changed",
                ),
                harmless("an error body that does not decode is kept as bytes"),
                &op,
            ));
        }
        if o.auth != n.auth {
            out.push(ch(
                ChangeKind::AuthChanged,
                side(&o.at, &o.auth),
                side(&n.at, &n.auth),
                Code::Compatible,
                if n.auth == "-" {
                    harmless("old clients send credentials the server no longer asks for")
                } else {
                    wire_breaks("old clients send the credentials the old description asked for")
                },
                &op,
            ));
        }
        if o.docs != n.docs {
            out.push(ch(
                ChangeKind::DocsChanged,
                side(&o.at, ""),
                side(&n.at, ""),
                Code::Compatible,
                Wire::None,
                &op,
            ));
        }
        self.out.extend(out);
    }

    fn types(&mut self) {
        // A rename: the same schema (place) and kind; else the only type of
        // the same schema name and kind. Aliases are only names of others.
        let paired = pair_up(
            &self.old.types,
            &self.new.types,
            |t| &t.name,
            |o, n| n.kind == o.kind && n.at.pointer == o.at.pointer && o.kind != "alias",
        );
        let paired = paired.rematch(|o, n| n.kind == o.kind && n.wire == o.wire);
        for (o, n) in &paired.renamed {
            self.push(Change {
                kind: ChangeKind::TypeRenamed,
                item: o.name.clone(),
                old: side(&o.at, &o.name),
                new: side(&n.at, &n.name),
                code: breaks("the type has another name"),
                wire: Wire::None,
                oracle: vec![format!("mentions:{}", o.name)],
            });
        }
        for o in &paired.removed {
            self.push(Change {
                kind: ChangeKind::TypeRemoved,
                item: o.name.clone(),
                old: side(&o.at, &o.kind),
                new: None,
                code: breaks("the type is gone"),
                wire: Wire::None,
                oracle: vec![format!("mentions:{}", o.name)],
            });
        }
        for n in &paired.added {
            self.push(Change {
                kind: ChangeKind::TypeAdded,
                item: n.name.clone(),
                old: None,
                new: side(&n.at, &n.kind),
                code: Code::Compatible,
                wire: Wire::None,
                oracle: Vec::new(),
            });
        }
        for (o, n) in paired.both() {
            self.ty(o, n);
        }
    }

    fn ty(&mut self, o: &TypeSurface, n: &TypeSurface) {
        let item = o.name.clone();
        let own_items = |t: &TypeSurface| -> Vec<String> {
            match t.kind.as_str() {
                "struct" | "params" => std::iter::once(format!("new:{}", t.name))
                    .chain(
                        t.members
                            .iter()
                            .map(|m| format!("field:{}.{}", t.name, m.name)),
                    )
                    .collect(),
                "alias" => vec![format!("type:{}", t.name)],
                _ => vec![format!("match:{}", t.name)],
            }
        };
        if o.kind != n.kind && n.kind == "alias" {
            // Now a name of another type: old code still compiles when that
            // type offers what this one did (compared as if it were this one).
            if let Some(target) = self
                .resolve_new(n)
                .filter(|t| t.kind == o.kind || (is_struct(&t.kind) && is_struct(&o.kind)))
            {
                let t = TypeSurface {
                    name: n.name.clone(),
                    ..target.clone()
                };
                self.push(Change {
                    kind: ChangeKind::TypeKindChanged,
                    item: item.clone(),
                    old: side(&o.at, &o.kind),
                    new: side(&n.at, &format!("alias of {}", target.name)),
                    code: Code::Compatible,
                    wire: Wire::None,
                    oracle: Vec::new(),
                });
                if is_struct(&o.kind) {
                    self.fields(o, &t);
                } else {
                    self.variants(o, &t);
                }
                return;
            }
        }
        if o.kind == "alias" && n.kind != "alias" {
            // The alias and the type it named swapped roles (`A = B` became
            // `B = A`): both names still mean one type, compared under `B`.
            let target = o.target.clone().unwrap_or_default();
            if self.same(&target, &type_text(&o.name)) {
                self.push(Change {
                    kind: ChangeKind::TypeKindChanged,
                    item,
                    old: side(&o.at, &format!("alias of {target}")),
                    new: side(&n.at, &n.kind),
                    code: Code::Compatible,
                    wire: Wire::None,
                    oracle: Vec::new(),
                });
                return;
            }
        }
        if o.kind != n.kind && !(is_struct(&o.kind) && is_struct(&n.kind)) {
            self.push(Change {
                kind: ChangeKind::TypeKindChanged,
                item,
                old: side(&o.at, &o.kind),
                new: side(&n.at, &n.kind),
                code: breaks("the type is another kind of item"),
                wire: if o.json == n.json {
                    Wire::None
                } else {
                    self.value_wire(o, n, &o.json, &n.json)
                },
                oracle: own_items(o),
            });
            return;
        }
        if o.kind == "alias" && o.target != n.target {
            let t = |s: &Option<String>| s.clone().unwrap_or_default();
            self.push(Change {
                kind: ChangeKind::AliasRetyped,
                item: item.clone(),
                old: side(&o.at, &t(&o.target)),
                new: side(&n.at, &t(&n.target)),
                code: self.code_unless(
                    self.same(&t(&o.target), &t(&n.target)),
                    "the alias names another type",
                ),
                wire: if o.json == n.json {
                    Wire::None
                } else {
                    self.value_wire(o, n, &o.json, &n.json)
                },
                oracle: if self.same(&t(&o.target), &t(&n.target)) {
                    Vec::new()
                } else {
                    vec![format!("type:{}", o.name)]
                },
            });
        }
        if is_struct(&o.kind) {
            self.fields(o, n);
        } else if o.kind != "alias" {
            self.variants(o, n);
        }
        if o.docs != n.docs {
            self.push(Change {
                kind: ChangeKind::DocsChanged,
                item,
                old: side(&o.at, ""),
                new: side(&n.at, ""),
                code: Code::Compatible,
                wire: Wire::None,
                oracle: Vec::new(),
            });
        }
    }

    /// The wire verdict for a value of type `o` / `n` whose JSON shape changed.
    fn value_wire(&self, o: &TypeSurface, n: &TypeSurface, oj: &str, nj: &str) -> Wire {
        shape_wire(o.request || n.request, o.response || n.response, oj, nj)
    }

    fn fields(&mut self, o: &TypeSurface, n: &TypeSurface) {
        let params = o.kind == "params" || n.kind == "params";
        let request = o.request || n.request || params;
        let response = o.response || n.response;
        let new_args = |t: &TypeSurface| -> Vec<(String, String)> {
            t.members
                .iter()
                .filter(|m| m.new_arg)
                .map(|m| (m.name.clone(), m.ty.clone()))
                .collect()
        };
        let (onew, nnew) = (new_args(o), new_args(n));
        // `new(a, b)` written against the old crate compiles when each
        // argument converts into the new one at its place.
        let new_compiles = onew.len() == nnew.len()
            && onew
                .iter()
                .zip(&nnew)
                .all(|(a, b)| converts(self.new, &a.1, &b.1));
        let new_item = format!("new:{}", o.name);
        let mut claimed_new = false;
        let find = |t: &'_ TypeSurface, name: &str| -> Option<Member> {
            t.members.iter().find(|m| m.name == name).cloned()
        };
        let mut out = Vec::new();
        for om in &o.members {
            let item = format!("{}::{}", o.name, om.name);
            let field_item = format!("field:{}.{}", o.name, om.name);
            let Some(nm) = find(n, &om.name) else {
                let mut oracle = vec![field_item];
                if om.new_arg && !new_compiles {
                    oracle.push(new_item.clone());
                    claimed_new = true;
                }
                let wire = worse(
                    if request {
                        harmless("old clients still send it; servers ignore unknown properties")
                    } else {
                        Wire::None
                    },
                    if response && om.required() && !om.nullable() {
                        wire_breaks("old clients fail to decode a response without it")
                    } else if response {
                        harmless("old clients read it as absent")
                    } else {
                        Wire::None
                    },
                );
                out.push(Change {
                    kind: if params {
                        ChangeKind::ParamRemoved
                    } else {
                        ChangeKind::FieldRemoved
                    },
                    item,
                    old: side(&o.at, &om.ty),
                    new: None,
                    code: breaks("the field and its setter are gone"),
                    wire,
                    oracle,
                });
                continue;
            };
            // The `new()` argument, when it is one on either side.
            let new_arg_breaks = !new_compiles
                && match (om.new_arg, nm.new_arg) {
                    (true, true) => !converts(self.new, &om.ty, &nm.ty),
                    (false, false) => false,
                    _ => true,
                };
            let mut oracle = Vec::new();
            let read_breaks = !self.same(&om.ty, &nm.ty)
                || (om.setter != nm.setter && !converts(self.new, &om.setter, &nm.setter))
                || om.clear != nm.clear
                || om.getter != nm.getter;
            if read_breaks {
                oracle.push(field_item.clone());
            }
            if new_arg_breaks {
                oracle.push(new_item.clone());
                claimed_new = true;
            }
            let code = |what: &str| {
                if oracle.is_empty() {
                    Code::Compatible
                } else {
                    Code::Breaks(what.to_string())
                }
            };
            let shape_changed = om.shape != nm.shape;
            let ty_changed = (om.ty != nm.ty && !shape_changed)
                || (shape_changed && inner(&om.ty) != inner(&nm.ty));
            if shape_changed {
                let mut wire = Wire::None;
                if request && nm.required() && !om.required() {
                    wire = worse(wire, wire_breaks("old clients may leave it out"));
                }
                if request && om.nullable() && !nm.nullable() {
                    wire = worse(wire, wire_breaks("old clients may send null"));
                }
                if response && om.required() && !nm.required() && !om.nullable() {
                    wire = worse(
                        wire,
                        wire_breaks("the server may leave it out; old clients require it"),
                    );
                }
                if response && nm.nullable() && !om.nullable() && om.required() {
                    wire = worse(
                        wire,
                        wire_breaks("the server may send null; old clients do not accept it"),
                    );
                }
                if response && nm.nullable() && !om.nullable() && !om.required() {
                    wire = worse(wire, harmless("old clients read null as absent"));
                }
                out.push(Change {
                    kind: if params {
                        ChangeKind::ParamRequirednessChanged
                    } else {
                        ChangeKind::FieldRequirednessChanged
                    },
                    item: item.clone(),
                    old: side(&o.at, &format!("{} ({})", om.ty, om.shape)),
                    new: side(&n.at, &format!("{} ({})", nm.ty, nm.shape)),
                    code: code("the field's Rust type (or `new()`) changed with it"),
                    wire,
                    oracle: if ty_changed {
                        Vec::new()
                    } else {
                        oracle.clone()
                    },
                });
            }
            if ty_changed {
                let wire = shape_wire(request, response, &om.json, &nm.json);
                out.push(Change {
                    kind: if params {
                        ChangeKind::ParamRetyped
                    } else {
                        ChangeKind::FieldRetyped
                    },
                    item: item.clone(),
                    old: side(&o.at, &om.ty),
                    new: side(&n.at, &nm.ty),
                    code: code("reading the field (or `new()`) no longer compiles"),
                    wire,
                    oracle: oracle.clone(),
                });
            }
            if !shape_changed && !ty_changed && (read_breaks || new_arg_breaks) {
                // The setter, clear setter or default reader differ.
                out.push(Change {
                    kind: ChangeKind::FieldDefaultChanged,
                    item: item.clone(),
                    old: side(&o.at, &accessors(om)),
                    new: side(&n.at, &accessors(&nm)),
                    code: code("a reader or setter of the field changed"),
                    wire: Wire::None,
                    oracle: oracle.clone(),
                });
            }
            if om.wire != nm.wire {
                out.push(Change {
                    kind: ChangeKind::FieldWireRenamed,
                    item: item.clone(),
                    old: side(&o.at, &om.wire),
                    new: side(&n.at, &nm.wire),
                    code: Code::Compatible,
                    wire: wire_breaks("old clients use the old property name"),
                    oracle: Vec::new(),
                });
            }
            if om.docs != nm.docs {
                out.push(Change {
                    kind: ChangeKind::DocsChanged,
                    item,
                    old: side(&o.at, ""),
                    new: side(&n.at, ""),
                    code: Code::Compatible,
                    wire: Wire::None,
                    oracle: Vec::new(),
                });
            }
        }
        for nm in &n.members {
            if find(o, &nm.name).is_some() {
                continue;
            }
            let required = nm.required();
            let mut oracle = Vec::new();
            let new_breaks = nm.new_arg && !new_compiles;
            if new_breaks {
                oracle.push(new_item.clone());
                claimed_new = true;
            }
            let wire = worse(
                if request && required {
                    wire_breaks("old clients do not send it; the server rejects the request")
                } else {
                    Wire::None
                },
                if response {
                    harmless("old clients keep it in `additional_properties`")
                } else {
                    Wire::None
                },
            );
            out.push(Change {
                kind: if params {
                    ChangeKind::ParamAdded { required }
                } else {
                    ChangeKind::FieldAdded { required }
                },
                item: format!("{}::{}", o.name, nm.name),
                old: None,
                new: side(&n.at, &nm.ty),
                code: if new_breaks {
                    breaks("`new()` takes it as a new argument")
                } else {
                    Code::Compatible
                },
                wire,
                oracle,
            });
        }
        let renamed_args = onew.iter().map(|a| &a.0).ne(nnew.iter().map(|a| &a.0));
        if (!new_compiles && !claimed_new) || (new_compiles && renamed_args) {
            out.push(Change {
                kind: ChangeKind::ConstructorChanged,
                item: format!("{}::new", o.name),
                old: side(&o.at, &names(&onew)),
                new: side(&n.at, &names(&nnew)),
                code: if new_compiles {
                    Code::Silent(
                        "`new()` takes arguments of the same types at the same places, for other fields: old calls compile and set the wrong fields".into(),
                    )
                } else {
                    breaks("`new()` takes its arguments in another order")
                },
                wire: Wire::None,
                oracle: if new_compiles { Vec::new() } else { vec![new_item] },
            });
        }
        self.out.extend(out);
    }

    fn variants(&mut self, o: &TypeSurface, n: &TypeSurface) {
        let request = o.request || n.request;
        let response = o.response || n.response;
        let item = format!("match:{}", o.name);
        let open = o.kind == "enum"
            || o.kind == "value-enum"
            || o.members.iter().any(|m| m.name == "Unknown");
        let mut out = Vec::new();
        for om in &o.members {
            let Some(nm) = n.members.iter().find(|m| m.name == om.name) else {
                let wire = worse(
                    if request {
                        wire_breaks("old clients may send it; the server no longer accepts it")
                    } else {
                        Wire::None
                    },
                    if response {
                        harmless("old clients never receive it")
                    } else {
                        Wire::None
                    },
                );
                out.push(Change {
                    kind: ChangeKind::VariantRemoved,
                    item: format!("{}::{}", o.name, om.name),
                    old: side(&o.at, &variant_text(om)),
                    new: None,
                    code: breaks("naming the variant no longer compiles"),
                    wire,
                    oracle: vec![item.clone()],
                });
                continue;
            };
            if om.ty != nm.ty || om.wire != nm.wire {
                let wire = if om.wire != nm.wire {
                    wire_breaks("the value is spelled differently on the wire")
                } else if om.json != nm.json {
                    self.value_wire(o, n, &om.json, &nm.json)
                } else {
                    Wire::None
                };
                let code = if !self.same(&om.ty, &nm.ty) {
                    breaks("the variant carries another type")
                } else {
                    Code::Compatible
                };
                out.push(Change {
                    kind: ChangeKind::VariantRetyped,
                    item: format!("{}::{}", o.name, om.name),
                    old: side(&o.at, &variant_text(om)),
                    new: side(&n.at, &variant_text(nm)),
                    oracle: if matches!(code, Code::Breaks(_)) {
                        vec![item.clone()]
                    } else {
                        Vec::new()
                    },
                    code,
                    wire,
                });
            }
        }
        for nm in &n.members {
            if o.members.iter().any(|m| m.name == nm.name) {
                continue;
            }
            let wire = if o.kind == "status-enum" {
                harmless("old clients keep an error body of an undocumented status as bytes")
            } else if response && open {
                harmless("our enums are open: old clients read it as `Unknown`")
            } else if response {
                wire_breaks("a value of the new alternative decodes as none of the old ones")
            } else {
                Wire::None
            };
            out.push(Change {
                kind: ChangeKind::VariantAdded,
                item: format!("{}::{}", o.name, nm.name),
                old: None,
                new: side(&n.at, &variant_text(nm)),
                code: breaks(
                    "an exhaustive `match` misses it (the enum is not `#[non_exhaustive]`)",
                ),
                wire,
                oracle: vec![item.clone()],
            });
        }
        self.out.extend(out);
    }
}

/// A field's setter, `null` setter and default reader, for a report.
fn accessors(m: &Member) -> String {
    let mut parts = Vec::new();
    if m.setter != "-" {
        parts.push(format!("setter({})", m.setter));
    }
    if m.clear != "-" {
        parts.push(format!("{}()", m.clear));
    }
    if m.getter != "-" {
        parts.push(format!("reader {}", m.getter));
    }
    if parts.is_empty() {
        "no setter or reader".into()
    } else {
        parts.join(", ")
    }
}

fn is_struct(kind: &str) -> bool {
    kind == "struct" || kind == "params"
}

/// `Option<T>` / `Nullable<T>` → `T`.
fn inner(ty: &str) -> &str {
    for wrap in ["Option<", "Nullable<"] {
        if let Some(rest) = ty.strip_prefix(wrap).and_then(|r| r.strip_suffix('>')) {
            return rest;
        }
    }
    ty
}

fn names(args: &[(String, String)]) -> String {
    args.iter()
        .map(|(n, t)| format!("{n}: {t}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn variant_text(m: &Member) -> String {
    if m.ty == "-" {
        format!("`{}`", m.wire)
    } else {
        format!("{}({}) `{}`", m.name, m.ty, m.wire)
    }
}
