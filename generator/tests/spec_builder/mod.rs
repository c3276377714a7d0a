//! Random OpenAPI documents from unstructured bytes, for the generator's fuzz
//! target (`generator/fuzz`, bytes from libFuzzer) and its stable smoke test
//! (`tests/random_specs.rs`, bytes from a seeded generator).
//!
//! The documents are built to reach what hand-written fixtures do not: names
//! that are keywords, std types or collide after casing, text with
//! text-direction controls, fences and comment closers, `$ref`s that form
//! cycles, `allOf`/`oneOf` that nest and refer back to their parent, numbers
//! past 64 bits, odd statuses, media types and path templates. Sizes are
//! bounded so that one document generates in milliseconds.

#![allow(dead_code)]

use arbitrary::{Result, Unstructured};
use serde_json::{Map, Value, json};

/// Names chosen to break naming: keywords, std names, collisions after
/// casing and punctuation, the generator's own reserved names, symbols,
/// invisible characters.
const NAMES: &[&str] = &[
    "type",
    "self",
    "Self",
    "crate",
    "super",
    "_",
    "r#type",
    "async",
    "gen",
    "try",
    "dyn",
    "Option",
    "Result",
    "Box",
    "Vec",
    "String",
    "Value",
    "Some",
    "None",
    "Ok",
    "Err",
    "new",
    "builder",
    "base_url",
    "body",
    "params",
    "path",
    "request",
    "additional_properties",
    "runtime",
    "vendors",
    "types",
    "client",
    "foo-bar",
    "foo_bar",
    "FooBar",
    "fooBar",
    "FOO_BAR",
    "foo.bar",
    "foo bar",
    "Foo-Bar",
    "foo__bar",
    "2fa",
    "1",
    "200",
    "",
    " ",
    "+",
    "-",
    "<=",
    "*/",
    "\"#",
    "]]",
    "`",
    "```",
    "id\"}",
    "{id}",
    "a/b",
    "~",
    "%20",
    "\u{202E}x",
    "x\u{200B}",
    "é",
    "日本",
    "Ω",
    "null",
    "true",
    "default",
    "Error",
    "Params",
    "Request",
    "Response",
    "ListPets",
    "list_pets",
    "list-pets",
    "clear_x",
    "x_or_default",
];

/// Text for descriptions, titles, examples and enum values.
const TEXTS: &[&str] = &[
    "plain text",
    "```\nfn main() { panic!() }\n```",
    "```rust\nfn main() {}\n```",
    "~~~\nfn main() {}\n~~~",
    "    fn main() {}",
    "-     fn main() {}",
    "```\n~~~\n```rust\nlet x = 1;\n```\nafter",
    "*/ \"# ]] `unclosed",
    "\u{202E}evil\u{2066}\u{2069}",
    "zero\u{200B}width\u{FEFF}",
    "nul\u{0}bell\u{7}\r\ncr\rline\u{2028}sep",
    "<script>alert(1)</script> [link] [x](http://a) http://bare.url",
    "#![deny(warnings)] #[doc = \"x\"] /* open",
    "\\u{202E} r#\"raw\"# b\"bytes\"",
    "",
];

const STATUSES: &[&str] = &[
    "200", "201", "204", "2XX", "4XX", "5XX", "default", "404", "999", "abc", "0", "1XX",
];

const MEDIA: &[&str] = &[
    "application/json",
    "application/vnd.api+json",
    "text/plain",
    "application/octet-stream",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "multipart/mixed",
    "*/*",
    "json",
    "text/\u{202E}",
];

const FORMATS: &[&str] = &[
    "int32",
    "int64",
    "float",
    "double",
    "date-time",
    "date",
    "uuid",
    "binary",
    "decimal",
    "byte",
    "email",
    "weird",
];

/// Builds documents with a bounded budget of schemas.
pub struct Builder<'a, 'b> {
    u: &'a mut Unstructured<'b>,
    /// Component schema names, so `$ref`s can point at any of them (cycles too).
    components: Vec<String>,
    /// Schemas still allowed to be built; keeps documents small.
    budget: usize,
}

impl<'a, 'b> Builder<'a, 'b> {
    pub fn new(u: &'a mut Unstructured<'b>) -> Self {
        Builder {
            u,
            components: Vec::new(),
            budget: 200,
        }
    }

    /// A name: mostly from [`NAMES`], sometimes arbitrary text, sometimes two joined.
    fn name(&mut self) -> Result<String> {
        Ok(match self.u.int_in_range(0..=9)? {
            0 => self.u.arbitrary::<String>()?.chars().take(24).collect(),
            1 => format!("{}{}", self.u.choose(NAMES)?, self.u.choose(NAMES)?),
            _ => self.u.choose(NAMES)?.to_string(),
        })
    }

    fn text(&mut self) -> Result<String> {
        Ok(match self.u.int_in_range(0..=5)? {
            0 => self.u.arbitrary::<String>()?.chars().take(200).collect(),
            1 => format!("{}\n{}", self.u.choose(TEXTS)?, self.u.choose(TEXTS)?),
            _ => self.u.choose(TEXTS)?.to_string(),
        })
    }

    /// A number, small or past 64 bits.
    fn number(&mut self) -> Result<Value> {
        Ok(match self.u.int_in_range(0..=5)? {
            0 => json!(self.u.arbitrary::<i64>()?),
            1 => json!(self.u.arbitrary::<u64>()?),
            2 => serde_json::Number::from_f64(self.u.arbitrary::<f64>()?)
                .map_or(Value::Null, Value::Number),
            3 => json!(-9.223372036854776e18),
            4 => json!(1e300),
            _ => json!(self.u.int_in_range(-5i64..=5)?),
        })
    }

    /// A scalar value for examples, defaults and enums.
    fn scalar(&mut self) -> Result<Value> {
        Ok(match self.u.int_in_range(0..=4)? {
            0 => Value::String(self.text()?),
            1 => Value::String(self.name()?),
            2 => self.number()?,
            3 => Value::Bool(self.u.arbitrary()?),
            _ => Value::Null,
        })
    }

    fn reference(&mut self) -> Result<Value> {
        if self.components.is_empty() || self.u.ratio(1, 20)? {
            // A dangling reference now and then.
            return Ok(json!({"$ref": "#/components/schemas/Missing"}));
        }
        let name = self.u.choose(&self.components)?.clone();
        let escaped = name.replace('~', "~0").replace('/', "~1");
        Ok(json!({ "$ref": format!("#/components/schemas/{escaped}") }))
    }

    /// A schema, `depth` levels deep at most.
    pub fn schema(&mut self, depth: u32) -> Result<Value> {
        if self.budget == 0 || depth == 0 {
            return self.leaf();
        }
        self.budget -= 1;
        let mut s = match self.u.int_in_range(0..=11)? {
            0 | 1 => self.leaf()?,
            2 | 3 => self.object(depth)?,
            4 => json!({"type": "array", "items": self.schema(depth - 1)?}),
            5 => json!({"type": "object", "additionalProperties": self.schema(depth - 1)?}),
            6 => self.reference()?,
            7 | 8 => {
                let keyword = *self.u.choose(&["oneOf", "anyOf", "allOf"])?;
                let count = self.u.int_in_range(0..=5)?;
                let mut parts = Vec::new();
                for _ in 0..count {
                    parts.push(if self.u.arbitrary()? {
                        self.reference()?
                    } else {
                        self.schema(depth - 1)?
                    });
                }
                let mut s = json!({ keyword: parts });
                if keyword != "allOf" && self.u.ratio(1, 3)? {
                    s["discriminator"] = json!({"propertyName": self.name()?});
                }
                s
            }
            9 => {
                let count = self.u.int_in_range(0..=6)?;
                let mut values = Vec::new();
                for _ in 0..count {
                    values.push(self.scalar()?);
                }
                json!({"enum": values})
            }
            10 => {
                let count = self.u.int_in_range(0..=6)?;
                let mut values = Vec::new();
                for _ in 0..count {
                    values.push(Value::String(self.name()?));
                }
                json!({"type": "string", "enum": values})
            }
            _ => {
                let a = *self.u.choose(&[
                    "string", "integer", "number", "boolean", "null", "object", "array",
                ])?;
                let b = *self.u.choose(&[
                    "string", "integer", "number", "boolean", "null", "object", "array",
                ])?;
                json!({"type": [a, b]})
            }
        };
        self.decorate(&mut s)?;
        Ok(s)
    }

    fn leaf(&mut self) -> Result<Value> {
        let ty = *self
            .u
            .choose(&["string", "integer", "number", "boolean", "object", "array"])?;
        let mut s = json!({ "type": ty });
        if self.u.ratio(1, 3)? {
            s["format"] = Value::String(self.u.choose(FORMATS)?.to_string());
        }
        Ok(s)
    }

    fn object(&mut self, depth: u32) -> Result<Value> {
        let count = self.u.int_in_range(0..=8)?;
        let mut props = Map::new();
        let mut required = Vec::new();
        for _ in 0..count {
            let name = self.name()?;
            if self.u.arbitrary()? {
                required.push(Value::String(name.clone()));
            }
            let schema = self.schema(depth - 1)?;
            props.insert(name, schema);
        }
        let mut s = json!({"type": "object", "properties": props});
        if !required.is_empty() {
            s["required"] = Value::Array(required);
        }
        if self.u.ratio(1, 4)? {
            s["additionalProperties"] = Value::Bool(self.u.arbitrary()?);
        }
        Ok(s)
    }

    /// Keywords that decorate any schema: nullable, docs, rules, defaults, examples.
    fn decorate(&mut self, s: &mut Value) -> Result<()> {
        let Value::Object(map) = s else { return Ok(()) };
        if self.u.ratio(1, 4)? {
            map.insert("nullable".into(), Value::Bool(true));
        }
        if self.u.ratio(1, 3)? {
            map.insert("description".into(), Value::String(self.text()?));
        }
        if self.u.ratio(1, 6)? {
            map.insert("title".into(), Value::String(self.name()?));
        }
        for key in [
            "minimum",
            "maximum",
            "minLength",
            "maxItems",
            "exclusiveMinimum",
        ] {
            if self.u.ratio(1, 10)? {
                let n = self.number()?;
                map.insert(key.into(), n);
            }
        }
        if self.u.ratio(1, 8)? {
            map.insert("pattern".into(), Value::String(self.text()?));
        }
        if self.u.ratio(1, 5)? {
            let v = self.scalar()?;
            map.insert("default".into(), v);
        }
        if self.u.ratio(1, 5)? {
            let v = if self.u.arbitrary()? {
                self.scalar()?
            } else {
                json!({ self.name()?: self.scalar()? })
            };
            map.insert("example".into(), v);
        }
        Ok(())
    }

    fn parameter(&mut self, placeholders: &[String]) -> Result<Value> {
        let place = *self
            .u
            .choose(&["path", "query", "header", "cookie", "body"])?;
        let name = if place == "path" && !placeholders.is_empty() && self.u.ratio(3, 4)? {
            self.u.choose(placeholders)?.clone()
        } else {
            self.name()?
        };
        let mut p = json!({"name": name, "in": place, "schema": self.schema(2)?});
        if self.u.arbitrary()? {
            p["required"] = Value::Bool(true);
        }
        if self.u.ratio(1, 4)? {
            p["style"] = Value::String(
                self.u
                    .choose(&[
                        "form",
                        "deepObject",
                        "pipeDelimited",
                        "spaceDelimited",
                        "matrix",
                    ])?
                    .to_string(),
            );
        }
        if self.u.ratio(1, 4)? {
            p["description"] = Value::String(self.text()?);
        }
        Ok(p)
    }

    fn content(&mut self) -> Result<Value> {
        let mut content = Map::new();
        for _ in 0..self.u.int_in_range(0..=2)? {
            let media = self.u.choose(MEDIA)?.to_string();
            let mut entry = json!({"schema": self.schema(3)?});
            if self.u.ratio(1, 4)? {
                entry["example"] = self.scalar()?;
            }
            content.insert(media, entry);
        }
        Ok(Value::Object(content))
    }

    fn operation(&mut self, placeholders: &[String]) -> Result<Value> {
        let mut op = Map::new();
        if self.u.ratio(3, 4)? {
            op.insert("operationId".into(), Value::String(self.name()?));
        }
        if self.u.arbitrary()? {
            op.insert("summary".into(), Value::String(self.text()?));
        }
        if self.u.arbitrary()? {
            op.insert("description".into(), Value::String(self.text()?));
        }
        let mut params = Vec::new();
        for _ in 0..self.u.int_in_range(0..=4)? {
            params.push(self.parameter(placeholders)?);
        }
        op.insert("parameters".into(), Value::Array(params));
        if self.u.arbitrary()? {
            let content = self.content()?;
            op.insert(
                "requestBody".into(),
                json!({"required": self.u.arbitrary::<bool>()?, "content": content}),
            );
        }
        let mut responses = Map::new();
        for _ in 0..self.u.int_in_range(0..=4)? {
            let status = self.u.choose(STATUSES)?.to_string();
            let mut r = json!({"description": self.text()?});
            if self.u.arbitrary()? {
                r["content"] = self.content()?;
            }
            responses.insert(status, r);
        }
        op.insert("responses".into(), Value::Object(responses));
        if self.u.ratio(1, 6)? {
            op.insert("security".into(), json!([{ self.name()?: [] }]));
        }
        if self.u.ratio(1, 8)? {
            op.insert("x-idempotent".into(), self.scalar()?);
        }
        Ok(Value::Object(op))
    }

    /// A path template: literal segments and placeholders, sometimes broken.
    fn path(&mut self) -> Result<(String, Vec<String>)> {
        let mut path = String::new();
        let mut placeholders = Vec::new();
        for _ in 0..self.u.int_in_range(1..=4)? {
            path.push('/');
            match self.u.int_in_range(0..=5)? {
                0 | 1 => {
                    let name = self.name()?;
                    path.push('{');
                    path.push_str(&name);
                    path.push('}');
                    placeholders.push(name);
                }
                2 => path.push_str(self.u.choose(&[
                    "{",
                    "}",
                    "{}",
                    "{a{b}",
                    "%7B",
                    "\u{202E}\"#",
                ])?),
                _ => path.push_str(self.u.choose(&["pets", "v1.0", "a b", "items", "x"])?),
            }
        }
        Ok((path, placeholders))
    }

    /// A whole OpenAPI document.
    pub fn document(&mut self) -> Result<Value> {
        let count = self.u.int_in_range(0..=12)?;
        self.components = (0..count).map(|_| self.name()).collect::<Result<_>>()?;
        let mut schemas = Map::new();
        for name in self.components.clone() {
            let schema = self.schema(4)?;
            schemas.insert(name, schema);
        }
        // A oneOf whose alternatives each allOf their parent: exponential if
        // expanded, a cycle if followed naively.
        if self.u.ratio(1, 4)? {
            let n = self.u.int_in_range(2..=18)?;
            let mut variants = Vec::new();
            for i in 0..n {
                let name = format!("Variant{i}");
                schemas.insert(
                    name.clone(),
                    json!({"allOf": [{"$ref": "#/components/schemas/Parent"}, {"type": "object", "properties": {"v": {"type": "integer"}}}]}),
                );
                variants.push(json!({ "$ref": format!("#/components/schemas/{name}") }));
            }
            schemas.insert(
                "Parent".into(),
                json!({"type": "object", "properties": {"kind": {"type": "string"}}, "oneOf": variants, "discriminator": {"propertyName": "kind"}}),
            );
        }
        // A chain of `$ref`s deeper than the lowering takes in one go (named
        // schemas past 24 levels wait for the outermost), ending anywhere.
        if self.u.ratio(1, 6)? {
            let n = self.u.int_in_range(2..=40)?;
            let end = self.u.int_in_range(0..=n)?;
            for i in 0..n {
                let next = if i + 1 == n {
                    json!({ "$ref": format!("#/components/schemas/Chain{end}") })
                } else {
                    json!({ "$ref": format!("#/components/schemas/Chain{}", i + 1) })
                };
                let mut level = if self.u.arbitrary()? {
                    json!({"type": "object", "properties": {"next": next}})
                } else {
                    json!({"oneOf": [next, {"type": "null"}]})
                };
                self.decorate(&mut level)?;
                schemas.insert(format!("Chain{i}"), level);
            }
        }
        let mut paths = Map::new();
        for _ in 0..self.u.int_in_range(0..=6)? {
            let (path, placeholders) = self.path()?;
            let mut item = Map::new();
            for _ in 0..self.u.int_in_range(1..=3)? {
                let method = *self.u.choose(&[
                    "get", "put", "post", "delete", "patch", "head", "options", "trace",
                ])?;
                let op = self.operation(&placeholders)?;
                item.insert(method.into(), op);
            }
            paths.insert(path, Value::Object(item));
        }
        let mut info = json!({"title": self.text()?, "version": self.name()?});
        if self.u.arbitrary()? {
            info["description"] = Value::String(self.text()?);
        }
        let mut doc = json!({
            "openapi": *self.u.choose(&["3.0.3", "3.1.0"])?,
            "info": info,
            "paths": paths,
            "components": {"schemas": schemas},
        });
        if self.u.arbitrary()? {
            doc["servers"] = json!([{ "url": format!("https://example.com/{}", self.name()?) }]);
        }
        if self.u.ratio(1, 4)? {
            doc["components"]["securitySchemes"] =
                json!({ self.name()?: {"type": "http", "scheme": "bearer"} });
        }
        Ok(doc)
    }
}

/// A document from bytes (the fallback when the bytes run out is a smaller one).
pub fn document(bytes: &[u8]) -> Value {
    let mut u = Unstructured::new(bytes);
    Builder::new(&mut u).document().unwrap_or_else(
        |_| json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}),
    )
}

/// Whether generated output is sound without compiling it: every Rust file
/// parses, holds no invisible or text-direction character (rustc denies
/// those in comments and literals), and no doc comment has a code block
/// rustdoc would compile (only `text` blocks). Panics with the file otherwise.
pub fn assert_sound(output: &generator::Output) {
    for (path, text) in &output.files {
        // The runtime is hand-written and the same for every document.
        if !path.ends_with(".rs") || path.starts_with("src/runtime/") {
            continue;
        }
        if let Err(e) = syn::parse_file(text) {
            panic!("{path} does not parse: {e}\n{text}");
        }
        if let Some(c) = text.chars().find(|c| invisible(*c)) {
            panic!("{path} holds U+{:04X}\n{text}", c as u32);
        }
        for block in doc_blocks(text) {
            for info in code_blocks(&block) {
                if info.as_deref() != Some("text") {
                    panic!(
                        "{path}: a doc comment has a code block rustdoc would compile ({info:?}):\n{block}"
                    );
                }
            }
        }
    }
}

fn invisible(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// Consecutive `///` or `//!` lines, as the markdown rustdoc reads.
fn doc_blocks(text: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<(&str, String)> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        let kind = ["///", "//!"].into_iter().find(|k| trimmed.starts_with(k));
        match (kind, &mut current) {
            (Some(k), Some((ck, block))) if *ck == k => {
                block.push('\n');
                block.push_str(trimmed[3..].strip_prefix(' ').unwrap_or(&trimmed[3..]));
            }
            (Some(k), _) => {
                if let Some((_, block)) = current.take() {
                    blocks.push(block);
                }
                let body = trimmed[3..].strip_prefix(' ').unwrap_or(&trimmed[3..]);
                current = Some((k, body.to_string()));
            }
            (None, _) => {
                if let Some((_, block)) = current.take() {
                    blocks.push(block);
                }
            }
        }
    }
    blocks.extend(current.map(|(_, b)| b));
    blocks
}

/// The info string of every code block (`None`: indented), as pulldown-cmark
/// (rustdoc's parser) reads the markdown.
fn code_blocks(markdown: &str) -> Vec<Option<String>> {
    use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag};
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS;
    Parser::new_ext(markdown, options)
        .filter_map(|event| match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                Some(Some(info.to_string()))
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => Some(None),
            _ => None,
        })
        .collect()
}

/// Runs the whole generator on one document, as a standalone crate from a
/// file in `dir`, and checks what it produced ([`assert_sound`]).
pub fn generate_and_check(dir: &std::path::Path, doc: &Value, yaml: bool) {
    let vendor = dir.join("fuzzed");
    let _ = std::fs::remove_dir_all(&vendor);
    std::fs::create_dir_all(&vendor).expect("scratch folder");
    let (name, text) = if yaml {
        (
            "openapi.yaml",
            serde_yaml::to_string(doc).expect("YAML text"),
        )
    } else {
        (
            "openapi.json",
            serde_json::to_string_pretty(doc).expect("JSON text"),
        )
    };
    std::fs::write(vendor.join(name), text).expect("spec file");
    let config = generator::Config {
        specs_dir: dir.to_path_buf(),
        layout: generator::Layout::Standalone {
            crate_name: "fuzzed".into(),
        },
    };
    match generator::generate(&config) {
        Ok(output) => assert_sound(&output),
        Err(diags) => assert!(diags.has_errors(), "failed without an error: {diags}"),
    }
}
