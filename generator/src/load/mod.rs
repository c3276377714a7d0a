//! Load: read a vendor folder, parse every file, pull in files reached by `$ref`,
//! convert Swagger 2.0 documents to OpenAPI 3.0 ([`swagger2`]), and merge several
//! OpenAPI documents into one API.
//!
//! The result is a [`Document`]: every parsed file as a `serde_json::Value`, keyed by
//! its path relative to the vendor folder, plus which of them are OpenAPI documents
//! and which stand alone as JSON Schemas. `$ref` resolution is a pure lookup here
//! because every referenced file was read up front. Nothing in this module knows
//! about the model or about Rust.

pub mod swagger2;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use serde_json::Value;

use crate::diag::{Diagnostic, Diagnostics, Location, pointer_join};
use swagger2::SourceMap;

mod yaml;

/// What one file in a vendor folder is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// An OpenAPI 3.x document (a Swagger 2.0 one once converted).
    OpenApi,
    /// A JSON Schema that stands alone (types only, no client).
    JsonSchema,
    /// A file that is only reached through `$ref` from another file.
    Fragment,
    /// The vendor's generator settings ([`CONFIG_FILE`] at the folder's top).
    Config,
}

/// The name of a vendor folder's generator settings file: not an API description.
pub const CONFIG_FILE: &str = "codegen.yaml";

/// All the files of one vendor, parsed.
#[derive(Debug, Clone)]
pub struct Document {
    /// The vendor folder's name.
    pub vendor: String,
    /// Parsed files by path relative to the vendor folder (`/`-separated).
    pub files: BTreeMap<String, Value>,
    /// What each file is.
    pub kinds: BTreeMap<String, FileKind>,
    /// A `(file, pointer)` defined identically in an earlier file maps to that one,
    /// so several documents sharing components produce one type each.
    pub canonical: BTreeMap<(String, String), (String, String)>,
    /// For each file converted from Swagger 2.0: where its nodes came from.
    pub converted: BTreeMap<String, SourceMap>,
    /// Warnings found while loading (converting Swagger 2.0 documents).
    pub warnings: Diagnostics,
}

/// A resolved reference: the file, the pointer within it, and the value there.
#[derive(Debug, Clone)]
pub struct Resolved<'a> {
    /// File path relative to the vendor folder.
    pub file: &'a str,
    /// JSON pointer (`#/components/schemas/Pet`), or `#` for the whole file.
    pub pointer: String,
    /// The value found there.
    pub value: &'a Value,
}

impl Document {
    /// Files of the given kind, in path order.
    pub fn files_of(&self, kind: FileKind) -> impl Iterator<Item = (&str, &Value)> {
        self.kinds
            .iter()
            .filter(move |(_, k)| **k == kind)
            .filter_map(|(f, _)| self.files.get_key_value(f.as_str()))
            .map(|(f, v)| (f.as_str(), v))
    }

    /// Resolves `reference` written in `file` to the value it names, following
    /// chains of `$ref`-only objects. Errors say what could not be found.
    pub fn resolve<'a>(&'a self, file: &str, reference: &str) -> Result<Resolved<'a>, String> {
        let mut file = file.to_string();
        let mut reference = reference.to_string();
        for _ in 0..64 {
            let (target_file, pointer) = split_reference(&file, &reference);
            let (target_file, pointer) = self.canonicalize(target_file, pointer);
            let (stored_file, root) =
                self.files
                    .get_key_value(target_file.as_str())
                    .ok_or_else(|| {
                        format!("`{reference}` names file `{target_file}`, which was not loaded")
                    })?;
            let value = lookup_pointer(root, &pointer).ok_or_else(|| {
                format!("`{reference}`: nothing at `{pointer}` in `{target_file}`")
            })?;
            if let Some(next) = only_ref(value) {
                file = stored_file.clone();
                reference = next.to_string();
                continue;
            }
            return Ok(Resolved {
                file: stored_file.as_str(),
                pointer,
                value,
            });
        }
        Err(format!(
            "`{reference}`: a chain of more than 64 `$ref`s (a cycle of references to references)"
        ))
    }

    /// Where `location` (in a loaded file) was written: in a file converted from
    /// Swagger 2.0, the place in the 2.0 document; elsewhere, `location` itself.
    pub fn original_location(&self, location: &Location) -> Location {
        match self.converted.get(&location.file) {
            Some(map) => {
                let (file, pointer) = map.original(&location.file, &location.pointer);
                Location {
                    file,
                    pointer,
                    line_col: location.line_col,
                }
            }
            None => location.clone(),
        }
    }

    fn canonicalize(&self, file: String, pointer: String) -> (String, String) {
        match self.canonical.get(&(file.clone(), pointer.clone())) {
            Some((f, p)) => (f.clone(), p.clone()),
            None => (file, pointer),
        }
    }
}

/// The `$ref` of an object whose only meaningful key is `$ref` (3.0 ignores siblings).
pub fn only_ref(value: &Value) -> Option<&str> {
    value.get("$ref").and_then(Value::as_str)
}

/// Splits `other.yaml#/a/b` written in `file` into (resolved file path, pointer).
pub(crate) fn split_reference(file: &str, reference: &str) -> (String, String) {
    let (path_part, fragment) = match reference.split_once('#') {
        Some((p, f)) => (p, f),
        None => (reference, ""),
    };
    let target = if path_part.is_empty() {
        file.to_string()
    } else {
        let base = Path::new(file).parent().unwrap_or(Path::new(""));
        normalize(&base.join(path_part))
    };
    let pointer = if fragment.is_empty() || fragment == "/" {
        "#".to_string()
    } else {
        format!("#{}", fragment.trim_end_matches('/'))
    };
    (target, pointer)
}

/// A `$ref` written in `from` (a path relative to the vendor folder) to `pointer`
/// in `target`.
pub(crate) fn relative_reference(from: &str, target: &str, pointer: &str) -> String {
    if from == target {
        return pointer.to_string();
    }
    let from_dir: Vec<&str> = from.split('/').collect();
    let from_dir = &from_dir[..from_dir.len() - 1];
    let target_parts: Vec<&str> = target.split('/').collect();
    let common = from_dir
        .iter()
        .zip(&target_parts)
        .take_while(|(a, b)| a == b)
        .count()
        .min(target_parts.len() - 1);
    let mut parts: Vec<&str> = vec![".."; from_dir.len() - common];
    parts.extend(&target_parts[common..]);
    let fragment = if pointer == "#" { "" } else { pointer };
    format!("{}{fragment}", parts.join("/"))
}

/// Normalises `a/b/../c` to `a/c` without touching the disk; keeps leading `..`.
fn normalize(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                if parts.last().is_some_and(|p| p != "..") {
                    parts.pop();
                } else {
                    parts.push("..".into());
                }
            }
            Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    parts.join("/")
}

/// Looks up a `#/a/b` pointer (percent-decoded, `~1`/`~0` unescaped).
pub fn lookup_pointer<'a>(root: &'a Value, pointer: &str) -> Option<&'a Value> {
    let body = pointer.strip_prefix('#').unwrap_or(pointer);
    if body.is_empty() {
        return Some(root);
    }
    let mut current = root;
    for raw in body.trim_start_matches('/').split('/') {
        let token = percent_decode(raw).replace("~1", "/").replace("~0", "~");
        current = match current {
            Value::Object(map) => map.get(&token)?,
            Value::Array(items) => items.get(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(current)
}

/// One JSON pointer segment as the name it stands for (`~1` → `/`, `~0` → `~`,
/// percent-escapes decoded).
pub fn unescape_segment(segment: &str) -> String {
    percent_decode(&segment.replace("~1", "/").replace("~0", "~"))
}

fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        // Read as bytes: the two after `%` may be part of a wider character.
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(high), Some(low)) = (hex_digit(bytes[i + 1]), hex_digit(bytes[i + 2])) {
                out.push(high << 4 | low);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_digit(byte: u8) -> Option<u8> {
    (byte as char).to_digit(16).map(|d| d as u8)
}

/// Parses one file's text as JSON or YAML, by extension (YAML also reads JSON).
/// Numbers of any size load: an integer past 64 bits as the nearest `f64`, a
/// number past `f64` (`1e400`) as its text.
pub fn parse_text(file: &str, text: &str) -> Result<Value, Diagnostic> {
    let is_json = file.ends_with(".json");
    if is_json {
        return serde_json::from_str(text).or_else(|e| {
            // serde_json refuses a number past f64; the YAML reader keeps its text.
            if e.to_string().starts_with("number out of range") {
                if let Ok(value) = yaml::parse(text) {
                    return Ok(value);
                }
            }
            let mut location = Location::new(file, "");
            location.line_col = Some((e.line(), e.column()));
            Err(Diagnostic::error(location, format!("not valid JSON: {e}"))
                .with_help("fix the syntax at the line and column shown"))
        });
    }
    yaml::parse(text).map_err(|e| {
        let mut location = Location::new(file, "");
        location.line_col = e.location().map(|l| (l.line(), l.column()));
        Diagnostic::error(location, format!("not valid YAML: {e}"))
            .with_help("fix the syntax at the line and column shown")
    })
}

/// The file names a vendor folder's loader reads.
pub fn is_spec_file(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml" | "json")
    )
}

/// Reads and parses every spec file of one vendor folder (recursively), then every
/// file reached from them by `$ref`, then merges documents. All problems are
/// collected before returning.
pub fn load_vendor(vendor: &str, dir: &Path) -> Result<Document, Diagnostics> {
    let mut diags = Diagnostics::default();
    let mut listed = Vec::new();
    collect_files(dir, dir, &mut listed, &mut diags);
    listed.sort();
    load_listed(vendor, dir, listed, diags)
}

/// Reads one spec file as a vendor of its own, then every file reached from it by
/// `$ref` (relative to the file's folder).
pub fn load_file(vendor: &str, path: &Path) -> Result<Document, Diagnostics> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    load_listed(vendor, dir, vec![name], Diagnostics::default())
}

fn load_listed(
    vendor: &str,
    dir: &Path,
    listed: Vec<String>,
    mut diags: Diagnostics,
) -> Result<Document, Diagnostics> {
    let mut files = BTreeMap::new();
    for rel in &listed {
        match std::fs::read_to_string(dir.join(rel)) {
            Ok(text) => match parse_text(rel, &text) {
                Ok(v) => {
                    files.insert(rel.clone(), v);
                }
                Err(d) => diags.push(d),
            },
            Err(e) => diags.push(Diagnostic::error(
                Location::new(rel.as_str(), ""),
                format!("cannot read the file: {e}"),
            )),
        }
    }
    if listed.is_empty() {
        diags.push(
            Diagnostic::error(
                Location::new("", ""),
                format!("vendor folder `{vendor}` holds no .yaml, .yml or .json file"),
            )
            .with_help("put the vendor's OpenAPI document or JSON Schema files in the folder"),
        );
    }

    let mut kinds = BTreeMap::new();
    for (rel, value) in &files {
        match classify(rel, value) {
            Ok(kind) => {
                kinds.insert(rel.clone(), kind);
            }
            Err(d) => diags.push(d),
        }
    }
    let top_level: BTreeSet<String> = files.keys().cloned().collect();
    load_referenced(dir, &mut files, &mut diags);
    let swagger: BTreeSet<String> = kinds
        .iter()
        .filter(|(f, k)| {
            **k == FileKind::OpenApi && files.get(*f).is_some_and(swagger2::is_swagger2)
        })
        .map(|(f, _)| f.clone())
        .collect();
    let mut warnings = Diagnostics::default();
    let converted = swagger2::convert(&mut files, &swagger, &mut warnings);
    for rel in files.keys() {
        kinds.entry(rel.clone()).or_insert(FileKind::Fragment);
    }
    // A top-level file that another file references is a fragment of that one,
    // unless it is an OpenAPI document in its own right.
    let referenced = referenced_files(&files);
    for rel in &top_level {
        if referenced.contains(rel) && kinds.get(rel) == Some(&FileKind::JsonSchema) {
            kinds.insert(rel.clone(), FileKind::Fragment);
        }
    }

    let mut document = Document {
        vendor: vendor.to_string(),
        files,
        kinds,
        canonical: BTreeMap::new(),
        converted,
        warnings,
    };
    merge_documents(&mut document, &mut diags);
    if diags.has_errors() {
        diags.extend(document.warnings);
        Err(diags)
    } else {
        Ok(document)
    }
}

fn collect_files(root: &Path, dir: &Path, out: &mut Vec<String>, diags: &mut Diagnostics) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            diags.push(Diagnostic::error(
                Location::new(dir.display().to_string(), ""),
                format!("cannot list the folder: {e}"),
            ));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            collect_files(root, &path, out, diags);
        } else if is_spec_file(&path) {
            if let Ok(rel) = path.strip_prefix(root) {
                out.push(normalize(rel));
            }
        }
    }
}

fn classify(file: &str, value: &Value) -> Result<FileKind, Diagnostic> {
    let at = Location::new(file, "");
    if file == CONFIG_FILE {
        return Ok(FileKind::Config);
    }
    let Some(obj) = value.as_object() else {
        return Err(
            Diagnostic::error(at, "the file's top level is not an object")
                .with_help("an OpenAPI document or a JSON Schema is a JSON object"),
        );
    };
    if let Some(v) = obj.get("swagger") {
        if swagger2::is_swagger2(value) {
            return Ok(FileKind::OpenApi);
        }
        return Err(Diagnostic::error(
            at.join("swagger"),
            format!(
                "this is a Swagger {} document; Swagger 2.0 and OpenAPI 3.0 and 3.1 are read",
                display_scalar(v)
            ),
        )
        .with_help(
            "convert it to Swagger 2.0 or OpenAPI 3 first and put the result in the folder",
        ));
    }
    if let Some(v) = obj.get("openapi") {
        let version = display_scalar(v);
        if version.starts_with("3.0") || version.starts_with("3.1") || version.starts_with("3.2") {
            return Ok(FileKind::OpenApi);
        }
        return Err(Diagnostic::error(
            at.join("openapi"),
            format!("OpenAPI version `{version}` is not supported"),
        )
        .with_help("use an OpenAPI 3.0.x or 3.1.x document"));
    }
    if obj.contains_key("info") && obj.contains_key("paths") {
        return Err(Diagnostic::error(
            at,
            "the document has `info` and `paths` but no `openapi` version field",
        )
        .with_help("add `openapi: 3.0.3` (or the version the document follows) at the top"));
    }
    Ok(FileKind::JsonSchema)
}

fn display_scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Every file named by a `$ref` anywhere in the loaded files.
fn referenced_files(files: &BTreeMap<String, Value>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (file, value) in files {
        visit_refs(value, &mut |r| {
            if let Some(target) = external_target(file, r) {
                out.insert(target);
            }
        });
    }
    out
}

pub(crate) fn external_target(file: &str, reference: &str) -> Option<String> {
    let path = reference.split('#').next().unwrap_or("");
    if path.is_empty() || path.contains("://") {
        return None;
    }
    Some(split_reference(file, reference).0)
}

pub(crate) fn visit_refs<'a>(value: &'a Value, f: &mut impl FnMut(&'a str)) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                if k == "$ref" {
                    if let Some(s) = v.as_str() {
                        f(s);
                    }
                } else if k == "example" || k == "examples" || k == "x-codeSamples" {
                    // Example payloads are data; a `$ref` key inside one is not a reference.
                    if k == "examples" {
                        if let Value::Object(named) = v {
                            for ex in named.values() {
                                if let Some(s) = ex.get("$ref").and_then(Value::as_str) {
                                    f(s);
                                }
                            }
                        }
                    }
                } else {
                    visit_refs(v, f);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| visit_refs(v, f)),
        _ => {}
    }
}

/// Loads, breadth first, every file that a loaded file references and that is not
/// loaded yet. Remote (`http://`) references are reported, not fetched.
fn load_referenced(dir: &Path, files: &mut BTreeMap<String, Value>, diags: &mut Diagnostics) {
    let mut seen: BTreeSet<String> = files.keys().cloned().collect();
    let mut queue: Vec<String> = files.keys().cloned().collect();
    while let Some(file) = queue.pop() {
        let mut wanted = Vec::new();
        let mut remote = Vec::new();
        if let Some(value) = files.get(&file) {
            visit_refs(value, &mut |r| {
                if r.contains("://") {
                    remote.push(r.to_string());
                } else if let Some(target) = external_target(&file, r) {
                    wanted.push((r.to_string(), target));
                }
            });
        }
        for r in remote {
            diags.push(
                Diagnostic::error(
                    Location::new(file.as_str(), ""),
                    format!("remote reference `{r}` is not fetched"),
                )
                .with_help(
                    "download the referenced file into the vendor folder and use a relative path",
                ),
            );
        }
        for (reference, target) in wanted {
            if !seen.insert(target.clone()) {
                continue;
            }
            let path = dir.join(&target);
            match std::fs::read_to_string(&path) {
                Ok(text) => match parse_text(&target, &text) {
                    Ok(v) => {
                        files.insert(target.clone(), v);
                        queue.push(target);
                    }
                    Err(d) => diags.push(d),
                },
                Err(e) => diags.push(
                    Diagnostic::error(
                        Location::new(file.as_str(), ""),
                        format!("`$ref: {reference}` names `{target}`, which cannot be read: {e}"),
                    )
                    .with_help("check the relative path; it is resolved against the referring file's folder"),
                ),
            }
        }
    }
}

/// Unites several OpenAPI documents of one vendor: an operation defined in two files
/// must be identical, and so must a component defined under one name in two files.
/// Identical components map to the first file's copy.
fn merge_documents(document: &mut Document, diags: &mut Diagnostics) {
    let docs: Vec<String> = document
        .kinds
        .iter()
        .filter(|(_, k)| **k == FileKind::OpenApi)
        .map(|(f, _)| f.clone())
        .collect();
    let mut operations: BTreeMap<(String, String), (String, &Value)> = BTreeMap::new();
    let mut components: BTreeMap<(String, String), (String, &Value)> = BTreeMap::new();
    let mut canonical = BTreeMap::new();
    for file in &docs {
        let Some(root) = document.files.get(file) else {
            continue;
        };
        if let Some(paths) = root.get("paths").and_then(Value::as_object) {
            for (path, item) in paths {
                let Some(item) = item.as_object() else {
                    continue;
                };
                for (method, op) in item {
                    let key = (path.clone(), method.clone());
                    match operations.get(&key) {
                        Some((first, existing)) if *existing != op => diags.push(
                            Diagnostic::error(
                                Location::new(
                                    file.as_str(),
                                    pointer_join(&pointer_join("", "paths"), path),
                                )
                                .join(method),
                                format!(
                                    "`{} {path}` is defined differently in `{first}` and `{file}`",
                                    method.to_uppercase()
                                ),
                            )
                            .with_help("keep one definition, or make both identical"),
                        ),
                        Some(_) => {}
                        None => {
                            operations.insert(key, (file.clone(), op));
                        }
                    }
                }
            }
        }
        if let Some(groups) = root.get("components").and_then(Value::as_object) {
            for (group, entries) in groups {
                let Some(entries) = entries.as_object() else {
                    continue;
                };
                for (name, def) in entries {
                    let key = (group.clone(), name.clone());
                    let pointer =
                        pointer_join(&pointer_join(&pointer_join("", "components"), group), name);
                    match components.get(&key) {
                        Some((first, existing)) if *existing != def => diags.push(
                            Diagnostic::error(
                                Location::new(file.as_str(), pointer.clone()),
                                format!("component `{group}/{name}` is defined differently in `{first}` and `{file}`"),
                            )
                            .with_help("rename one of them, or make both definitions identical"),
                        ),
                        Some((first, _)) => {
                            canonical.insert((file.clone(), pointer.clone()), (first.clone(), pointer));
                        }
                        None => {
                            components.insert(key, (file.clone(), def));
                        }
                    }
                }
            }
        }
    }
    document.canonical = canonical;
}
