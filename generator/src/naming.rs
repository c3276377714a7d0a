//! Naming: the only code that turns spec strings into Rust identifiers.
//!
//! Every name in the model is a [`Name`] holding the wire spelling and the Rust
//! spelling. Cleaning comes first (apostrophes dropped, other non-identifier
//! characters become word breaks, a leading digit gets a letter prefix), then heck
//! does the casing, then keywords are escaped. [`Namer`] hands out unique names in
//! one scope, deterministically.

use std::collections::{BTreeMap, BTreeSet};

use heck::{ToKebabCase, ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

/// A name as it is on the wire and as it is in Rust.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Name {
    /// The exact spelling in the spec or on the wire.
    pub wire: String,
    /// The Rust identifier, possibly a raw identifier (`r#type`).
    pub rust: String,
}

impl Name {
    /// A name whose Rust spelling was chosen by one of this module's functions.
    pub fn new(wire: impl Into<String>, rust: impl Into<String>) -> Self {
        Name {
            wire: wire.into(),
            rust: rust.into(),
        }
    }
}

/// Keywords of every edition up to 2024, strict and reserved.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "try",
    "type", "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "_",
];

/// Keywords that cannot be raw identifiers; they get a `_` suffix instead.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Escapes a keyword: a raw identifier where Rust allows one, else a `_` suffix.
pub fn escape_keyword(ident: &str) -> String {
    if NOT_RAW.contains(&ident) {
        format!("{ident}_")
    } else if KEYWORDS.contains(&ident) {
        format!("r#{ident}")
    } else {
        ident.to_string()
    }
}

/// Symbols that make up a whole enum value (`+`, `<=`) get spelled out.
fn spell_symbol(c: char) -> Option<&'static str> {
    Some(match c {
        '+' => "plus",
        '-' => "minus",
        '*' => "star",
        '/' => "slash",
        '<' => "lt",
        '>' => "gt",
        '=' => "eq",
        '!' => "not",
        '.' => "dot",
        '@' => "at",
        '#' => "hash",
        '$' => "dollar",
        '%' => "percent",
        '&' => "and",
        '|' => "or",
        '~' => "tilde",
        '^' => "caret",
        '?' => "question",
        ':' => "colon",
        _ => return None,
    })
}

/// Splits a spec string into identifier words: apostrophes vanish, anything that
/// is not an ASCII letter or digit is a break. A string with no letter or digit is
/// spelled out symbol by symbol.
fn clean(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c == '\'' || c == '’' {
            continue;
        }
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else {
            out.push(' ');
        }
    }
    if out.trim().is_empty() {
        let spelled: Vec<&str> = raw.chars().filter_map(spell_symbol).collect();
        return spelled.join(" ");
    }
    out
}

fn starts_with_digit(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_digit())
}

/// `UpperCamelCase` for a type, with `fallback` when nothing is left.
pub fn type_name(raw: &str) -> String {
    camel(raw, "T", "Type")
}

/// `UpperCamelCase` for an enum variant, with `fallback` when nothing is left.
pub fn variant_name(raw: &str) -> String {
    camel(raw, "V", "Empty")
}

fn camel(raw: &str, digit_prefix: &str, empty: &str) -> String {
    let cased = clean(raw).to_upper_camel_case();
    let cased = if cased.is_empty() {
        empty.to_string()
    } else if starts_with_digit(&cased) {
        format!("{digit_prefix}{cased}")
    } else {
        cased
    };
    escape_keyword(&cased)
}

/// `snake_case` for a field, a method or a parameter.
pub fn snake_name(raw: &str) -> String {
    let cased = clean(raw).to_snake_case();
    let cased = if cased.is_empty() {
        "value".to_string()
    } else if starts_with_digit(&cased) {
        format!("n{cased}")
    } else {
        cased
    };
    escape_keyword(&cased)
}

/// The `Client` function that makes the client-credentials token source of a
/// security scheme: `client_credentials` when the API has one such scheme,
/// else `<scheme>_client_credentials`.
pub fn client_credentials_name(scheme: Option<&str>) -> String {
    match scheme {
        None => "client_credentials".to_string(),
        Some(scheme) => format!("{}_client_credentials", bare(&snake_name(scheme))),
    }
}

/// The `Client` constant holding an OAuth 2 scope: `SCOPE_READ_PETS` for
/// `read:pets` (`<SCHEME>_SCOPE_…` when the API has several client-credentials
/// schemes).
pub fn scope_const_name(scheme: Option<&str>, scope: &str) -> String {
    let words = clean(scope).to_shouty_snake_case();
    let words = if words.is_empty() {
        "EMPTY".to_string()
    } else {
        words
    };
    match scheme {
        None => format!("SCOPE_{words}"),
        Some(scheme) => {
            let prefix = clean(scheme).to_shouty_snake_case();
            let prefix = if prefix.is_empty() || starts_with_digit(&prefix) {
                format!("S{prefix}")
            } else {
                prefix
            };
            format!("{prefix}_SCOPE_{words}")
        }
    }
}

/// The cargo feature of one OpenAPI tag of a vendor module: `github-pull-requests`
/// (`kebab-case`, ASCII; operations without a tag: `<module>-untagged`). Tags
/// that clean to the same words share a feature, which only means enabling one
/// compiles both.
pub fn tag_feature_name(module: &str, tag: Option<&str>) -> String {
    let words = tag.map(|t| clean(t).to_kebab_case()).unwrap_or_default();
    let words = if words.is_empty() {
        "untagged".to_string()
    } else {
        words
    };
    format!("{}-{words}", bare(module))
}

/// The prelude's types generated code names. It writes them bare (`Option<T>`)
/// unless a type of the vendor takes the name (a schema called `Result`): then
/// by absolute path (`::std::result::Result<T, E>`), since `types.rs` declares
/// that type and it would win over the prelude's. The prelude's values (`Some`,
/// `None`, `Ok`, `Err`) are always written bare: generated modules declare
/// only braced structs, enums and aliases, which take no value names.
pub const PRELUDE_TYPES: &[&str] = &["Option", "Result", "String", "Vec", "Box", "From", "Into"];

/// The names of [`PRELUDE_TYPES`] that `type_names` (a vendor's types and
/// aliases, final) take.
pub fn prelude_taken<'a>(
    type_names: impl IntoIterator<Item = &'a str>,
) -> std::collections::BTreeSet<&'static str> {
    let mut taken = std::collections::BTreeSet::new();
    for name in type_names {
        if let Some(p) = PRELUDE_TYPES.iter().find(|p| **p == name) {
            taken.insert(*p);
        }
    }
    taken
}

/// The Rust name without a raw-identifier prefix, for building derived names.
pub fn bare(rust: &str) -> &str {
    rust.strip_prefix("r#").unwrap_or(rust)
}

/// The local a struct's `ReadObject::read` collects a field in: `field_type`
/// for `r#type`. The prefix keeps it apart from the reader's own `object` and
/// `key`.
pub fn field_local_name(field_rust: &str) -> String {
    format!("field_{}", bare(field_rust))
}

/// The method that sets a nullable field to `null`: `clear_sales_price`.
pub fn clear_setter_name(field_rust: &str) -> String {
    format!("clear_{}", bare(field_rust))
}

/// The method reading an optional field or its default: `per_page_or_default`.
pub fn default_getter_name(field_rust: &str) -> String {
    format!("{}_or_default", bare(field_rust))
}

/// The stem of the type names made up for an operation's parameters, body and
/// responses, from its method's Rust name: `list_pets` → `ListPets`, `r#type` →
/// `Type` (the raw-identifier prefix is not part of the name).
pub fn operation_type_prefix(method: &str) -> String {
    bare(&type_name(bare(method))).to_string()
}

/// A type made up for a member (a parameter) of what `prefix` names:
/// `ListPets` + `sort-order` → `ListPetsSortOrder`.
pub fn member_type_name(prefix: &str, wire: &str) -> String {
    format!("{prefix}{}", bare(&type_name(wire)))
}

/// The struct of an operation's query, header and cookie parameters: `ListPetsParams`.
pub fn params_type_name(prefix: &str) -> String {
    format!("{prefix}Params")
}

/// An operation's request body type: `CreatePetRequest`.
pub fn request_type_name(prefix: &str) -> String {
    format!("{prefix}Request")
}

/// The data of an operation's server-sent events: `CreateChatEvent`.
pub fn event_type_name(prefix: &str) -> String {
    format!("{prefix}Event")
}

/// The streaming form of an operation's method: `download_file_stream`.
pub fn stream_method_name(method_rust: &str) -> String {
    format!("{}_stream", bare(method_rust))
}

/// An operation's success body type: `GetPetResponse`, or with several success
/// statuses, one per status (`CreatePetResponse201`).
pub fn response_type_name(prefix: &str, status: Option<&str>) -> String {
    format!("{prefix}Response{}", status.unwrap_or(""))
}

/// An operation's error type (`GetPetError`: the per-status enum, or the body
/// inferred from error examples), or the body of one error status: `GetPetError404`,
/// `GetPetError4xx`, `GetPetErrorDefault`.
pub fn error_type_name(prefix: &str, status: Option<&str>) -> String {
    // The status as a type word without its digit prefix: `404` stays `404`.
    let status = status.map(type_name).unwrap_or_default();
    format!("{prefix}Error{}", status.trim_start_matches('T'))
}

/// The payload type of a webhook: `PetAddedWebhook`.
pub fn webhook_type_name(webhook: &str) -> String {
    format!("{}Webhook", type_name(webhook))
}

/// The variant of a per-status error enum for the response key `key`:
/// `Status404` for a status code, else the key as a type name (`4XX` → `T4xx`,
/// `default` → `Default`).
pub fn status_variant_name(key: &str, code: Option<u16>) -> String {
    match code {
        Some(code) => format!("Status{code}"),
        None => type_name(key),
    }
}

/// The test of an example, from the words of its type (`pet_list` →
/// `pet_list_example`).
pub fn example_test_name(stem: &str) -> String {
    snake_name(&format!("{stem}_example"))
}

/// Test-name words for a list of what `item` names: `pet` → `pet_list`.
pub fn list_stem(item: &str) -> String {
    format!("{item}_list")
}

/// Test-name words for a map of what `value` names: `pet` → `pet_map`.
pub fn map_stem(value: &str) -> String {
    format!("{value}_map")
}

/// The method name of an operation without an `operationId`: its summary if it has
/// one, else its HTTP method and path (`post /v1.0/services/update` → `post_v1_0_services_update`).
pub fn operation_name(
    operation_id: Option<&str>,
    summary: Option<&str>,
    method: &str,
    path: &str,
) -> String {
    if let Some(id) = operation_id.filter(|s| !clean(s).trim().is_empty()) {
        return snake_name(id);
    }
    if let Some(summary) = summary.filter(|s| !clean(s).trim().is_empty() && s.len() <= 80) {
        return snake_name(summary);
    }
    let path = path.replace(['{', '}'], " ");
    snake_name(&format!("{method} {path}"))
}

/// Hands out unique names within one scope (a module's types, a struct's fields,
/// an enum's variants). The first to ask gets the clean name; later ones get `2`,
/// `3`, ... appended, so the result depends only on the order of requests.
#[derive(Debug, Default, Clone)]
pub struct Namer {
    taken: BTreeSet<String>,
    /// Per base name, the suffix below which every name is taken: thousands of
    /// requests for one name stay linear. Names are never released, so starting
    /// there finds the same name as counting from 2.
    next: BTreeMap<String, usize>,
}

impl Namer {
    /// A scope where `reserved` names are already in use.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Namer {
            taken: reserved.iter().map(|s| s.to_string()).collect(),
            next: BTreeMap::new(),
        }
    }

    /// Claims `candidate` or, if taken, the first free `candidate2`, `candidate3`...
    /// Returns the name and whether it had to change.
    pub fn claim(&mut self, candidate: &str) -> (String, bool) {
        if self.taken.insert(candidate.to_string()) {
            return (candidate.to_string(), false);
        }
        let base = bare(candidate).trim_end_matches('_');
        let sep = if candidate.chars().any(|c| c.is_ascii_uppercase()) {
            ""
        } else {
            "_"
        };
        let key = format!("{base}{sep}");
        let start = self.next.get(&key).copied().unwrap_or(2);
        for n in start.. {
            let next = escape_keyword(&format!("{key}{n}"));
            if self.taken.insert(next.clone()) {
                self.next.insert(key, n + 1);
                return (next, true);
            }
        }
        unreachable!("an unbounded counter always finds a free name")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prelude_names_taken_by_types() {
        let taken = prelude_taken(["Pet", "Result", "Into", "OptionList", "r#Vec"]);
        assert_eq!(taken.into_iter().collect::<Vec<_>>(), ["Into", "Result"]);
        assert!(prelude_taken(["Pet", "Error"]).is_empty());
    }

    #[test]
    fn every_keyword_is_escaped() {
        // The loop below proves nothing for a keyword the table lacks: it must
        // hold at least the 2024 edition's and those that cannot be raw.
        for kw in [
            "gen", "async", "await", "try", "dyn", "type", "self", "Self", "super", "crate", "_",
        ] {
            assert!(KEYWORDS.contains(&kw), "`{kw}` is missing from KEYWORDS");
        }
        for kw in KEYWORDS {
            let escaped = escape_keyword(kw);
            assert_ne!(&escaped, kw, "{kw} was not escaped");
            let parsed = if let Some(raw) = escaped.strip_prefix("r#") {
                syn::parse_str::<syn::Ident>(&format!("r#{raw}")).is_ok()
            } else {
                syn::parse_str::<syn::Ident>(&escaped).is_ok()
            };
            assert!(
                parsed,
                "{kw} escaped to {escaped}, which is not an identifier"
            );
        }
    }

    #[test]
    fn tag_features_are_kebab_case_and_ascii() {
        assert_eq!(
            tag_feature_name("github", Some("pull requests")),
            "github-pull-requests"
        );
        assert_eq!(
            tag_feature_name("r#type", Some("Pets & Owners")),
            "type-pets-owners"
        );
        assert_eq!(tag_feature_name("api", Some("Ünïcode")), "api-n-code");
        assert_eq!(tag_feature_name("api", Some("--")), "api-minus-minus");
        assert_eq!(tag_feature_name("api", None), "api-untagged");
    }

    #[test]
    fn enum_values_become_readable_variants() {
        let cases = [
            ("Sms+Data+Voice", "SmsDataVoice"),
            ("Sms-Only", "SmsOnly"),
            ("MVNO", "Mvno"),
            ("IoT", "IoT"),
            ("p2p", "P2p"),
            ("2fa", "V2fa"),
            ("", "Empty"),
            ("+", "Plus"),
            ("<=", "LtEq"),
            ("Self", "Self_"),
        ];
        for (raw, want) in cases {
            assert_eq!(variant_name(raw), want, "variant for {raw:?}");
        }
    }

    #[test]
    fn fields_and_types() {
        assert_eq!(snake_name("ServiceId"), "service_id");
        assert_eq!(snake_name("renew-price"), "renew_price");
        assert_eq!(snake_name("type"), "r#type");
        assert_eq!(snake_name("self"), "self_");
        assert_eq!(snake_name("2nd"), "n2nd");
        assert_eq!(snake_name("service's name"), "services_name");
        assert_eq!(type_name("BadRequest_Result"), "BadRequestResult");
        assert_eq!(type_name("Result"), "Result");
    }

    #[test]
    fn operations_without_ids() {
        assert_eq!(
            operation_name(None, Some("Update Service"), "post", "/x"),
            "update_service"
        );
        assert_eq!(
            operation_name(None, Some("Numbers Update"), "post", "/x"),
            "numbers_update"
        );
        assert_eq!(
            operation_name(Some("getPet"), Some("Pet"), "get", "/x"),
            "get_pet"
        );
        assert_eq!(
            operation_name(None, None, "post", "/v1.0/services/{id}"),
            "post_v1_0_services_id"
        );
    }

    #[test]
    fn operation_types_drop_raw_prefixes() {
        assert_eq!(operation_type_prefix("list_pets_2"), "ListPets2");
        assert_eq!(operation_type_prefix("r#type"), "Type");
        assert_eq!(operation_type_prefix("self_"), "Self_");
        assert_eq!(
            params_type_name(&operation_type_prefix("r#async")),
            "AsyncParams"
        );
        assert_eq!(error_type_name("GetPet", Some("4XX")), "GetPetError4xx");
        assert_eq!(status_variant_name("404", Some(404)), "Status404");
        assert_eq!(status_variant_name("default", None), "Default");
    }

    #[test]
    fn token_source_names() {
        assert_eq!(client_credentials_name(None), "client_credentials");
        assert_eq!(
            client_credentials_name(Some("PartnerOAuth")),
            "partner_o_auth_client_credentials"
        );
        assert_eq!(
            client_credentials_name(Some("type")),
            "type_client_credentials"
        );
        assert_eq!(scope_const_name(None, "read:pets"), "SCOPE_READ_PETS");
        assert_eq!(
            scope_const_name(None, "https://api.example.com/admin"),
            "SCOPE_HTTPS_API_EXAMPLE_COM_ADMIN"
        );
        assert_eq!(scope_const_name(None, ""), "SCOPE_EMPTY");
        assert_eq!(scope_const_name(None, "::"), "SCOPE_COLON_COLON");
        assert_eq!(
            scope_const_name(Some("partner"), "partner.read"),
            "PARTNER_SCOPE_PARTNER_READ"
        );
        assert_eq!(scope_const_name(Some("1st"), "a"), "S1ST_SCOPE_A");
    }

    #[test]
    fn collisions_get_suffixes() {
        let mut namer = Namer::default();
        assert_eq!(namer.claim("foo_bar"), ("foo_bar".to_string(), false));
        assert_eq!(namer.claim("foo_bar"), ("foo_bar_2".to_string(), true));
        assert_eq!(namer.claim("FooBar"), ("FooBar".to_string(), false));
        assert_eq!(namer.claim("FooBar"), ("FooBar2".to_string(), true));
        assert_eq!(namer.claim("r#type"), ("r#type".to_string(), false));
        assert_eq!(namer.claim("r#type"), ("type_2".to_string(), true));
    }
}
