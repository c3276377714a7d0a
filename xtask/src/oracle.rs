//! `cargo xtask diff-oracle <pairs>...`: the report's "your code" verdicts
//! checked against rustc.
//!
//! For each pair (a folder with `old.*` and `new.*` spec files): both crates
//! are generated; a usage program is written from the old surface, one
//! function per public item (each method called with arguments of its
//! parameter types and its result bound to the old return type; each struct
//! built by `new(…)`; each field read with its type written out, its setter,
//! `null` setter and default reader called; each enum matched exhaustively,
//! payloads bound with their types; each alias converted to its target).
//! The program is checked against the new crate (`cargo check`, JSON
//! diagnostics); the functions rustc reports errors in are the items that
//! break. The report predicts them ([`Change::oracle`]); the two sets must be
//! equal: a miss is an item rustc breaks that the report calls compatible, a
//! false claim an item the report calls broken that compiles. With
//! `--sanity` the program is first checked against the old crate, where it
//! must compile.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context, Result, bail};
use generator::compare::surface::{PRELUDE, TypeSurface};
use generator::compare::{Change, Code, Surface, compare, report};

/// The module both crates of a pair are generated as.
const MODULE: &str = "shop";

/// `cargo xtask diff-oracle <pairs dir or pair dir>... [--sanity] [--only a,b]`.
pub fn oracle(args: &[String]) -> Result<ExitCode> {
    let mut dirs = Vec::new();
    let mut sanity = false;
    let mut only: Option<BTreeSet<String>> = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--sanity" => sanity = true,
            "--only" => {
                only = Some(
                    it.next()
                        .context("--only needs pair names")?
                        .split(',')
                        .map(str::to_string)
                        .collect(),
                )
            }
            a if a.starts_with("--") => bail!("unknown argument `{a}`"),
            a => dirs.push(PathBuf::from(a)),
        }
    }
    if dirs.is_empty() {
        bail!("usage: cargo xtask diff-oracle <pairs dir or pair dir>... [--sanity] [--only a,b]");
    }
    let mut pairs = Vec::new();
    for dir in dirs {
        if spec_file(&dir, "old").is_some() {
            pairs.push(dir);
            continue;
        }
        let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
            .with_context(|| format!("reading {}", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| spec_file(p, "old").is_some())
            .collect();
        found.sort();
        pairs.extend(found);
    }
    let work = crate::workspace_root().join("target/diff-oracle");
    let mut all_agree = true;
    for pair in pairs {
        let name = pair
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("pair")
            .to_string();
        if only.as_ref().is_some_and(|o| !o.contains(&name)) {
            continue;
        }
        let start = std::time::Instant::now();
        match run_pair(&pair, &work.join(&name), sanity) {
            Ok(outcome) => {
                println!("{name}: {}", outcome.summary());
                all_agree &= outcome.agrees();
            }
            Err(e) => {
                println!("{name}: not checked: {e:#}");
                all_agree = false;
            }
        }
        eprintln!("{name}: {:.0} s", start.elapsed().as_secs_f64());
    }
    Ok(if all_agree {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// `old.yaml`, `old.json`… in a folder.
fn spec_file(dir: &Path, stem: &str) -> Option<PathBuf> {
    ["yaml", "yml", "json"]
        .iter()
        .map(|ext| dir.join(format!("{stem}.{ext}")))
        .find(|p| p.is_file())
}

/// What the oracle found for one pair.
#[derive(Debug, Default)]
pub struct Outcome {
    /// The report's changes.
    pub changes: Vec<Change>,
    /// Usage items.
    pub items: usize,
    /// Items rustc reports errors in, against the new crate.
    pub broken: BTreeSet<String>,
    /// Items the report says break.
    pub predicted: BTreeSet<String>,
    /// Items that do not compile against the old crate (with `--sanity`):
    /// left out of the comparison.
    pub unsound: BTreeSet<String>,
}

impl Outcome {
    /// Broken but not predicted.
    pub fn misses(&self) -> Vec<&String> {
        self.broken.difference(&self.predicted).collect()
    }

    /// Predicted but compiles.
    pub fn false_claims(&self) -> Vec<&String> {
        self.predicted.difference(&self.broken).collect()
    }

    /// No miss and no false claim.
    pub fn agrees(&self) -> bool {
        self.misses().is_empty() && self.false_claims().is_empty()
    }

    fn summary(&self) -> String {
        let mut out = report::summary(&self.changes);
        out.push_str("\n  per class:");
        for (label, n) in report::counts(&self.changes) {
            let _ = write!(out, " {label} {n};");
        }
        let _ = write!(
            out,
            "\n  oracle: {} usage items, rustc breaks {}, the report predicts {}, {} agree; misses {}, false claims {}",
            self.items,
            self.broken.len(),
            self.predicted.len(),
            self.broken.intersection(&self.predicted).count(),
            self.misses().len(),
            self.false_claims().len()
        );
        if !self.unsound.is_empty() {
            let _ = write!(
                out,
                "; {} items do not compile against the old crate (left out)",
                self.unsound.len()
            );
        }
        let list = |v: Vec<&String>| {
            v.iter()
                .take(12)
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !self.misses().is_empty() {
            let _ = write!(out, "\n  misses: {}", list(self.misses()));
        }
        if !self.false_claims().is_empty() {
            let _ = write!(out, "\n  false claims: {}", list(self.false_claims()));
        }
        out
    }
}

/// Generates, compares and compiles one pair in `work`.
pub fn run_pair(pair: &Path, work: &Path, sanity: bool) -> Result<Outcome> {
    let old_spec = spec_file(pair, "old").context("no old.* spec")?;
    let new_spec = spec_file(pair, "new").context("no new.* spec")?;
    std::fs::create_dir_all(work)?;
    let mut surfaces = Vec::new();
    for (side, spec) in [("old", &old_spec), ("new", &new_spec)] {
        // Both sides as vendor `shop`, so the usage program's paths hold on both.
        let specs = work.join(format!("{side}-spec"));
        let _ = std::fs::remove_dir_all(&specs);
        std::fs::create_dir_all(&specs)?;
        let ext = spec.extension().and_then(|e| e.to_str()).unwrap_or("yaml");
        std::fs::copy(spec, specs.join(format!("{MODULE}.{ext}")))?;
        let output = generator::generate(&generator::Config {
            specs_dir: specs.join(format!("{MODULE}.{ext}")),
            layout: generator::Layout::Standalone {
                crate_name: "api".into(),
            },
        })
        .map_err(|d| anyhow::anyhow!("{side} does not generate:\n{d}"))?;
        crate::write_tree(&work.join(side), &output.files, "")?;
        let surface = output
            .files
            .get(&format!(
                "src/{MODULE}/{}",
                generator::compare::surface::FILE_NAME
            ))
            .context("no surface file")?;
        surfaces.push(Surface::parse(surface).map_err(|e| anyhow::anyhow!("{e}"))?);
    }
    let (old, new) = (&surfaces[0], &surfaces[1]);
    let changes = compare(old, new);
    let usage = Usage::of(old);
    let manifest = std::fs::read_to_string(work.join("new/Cargo.toml"))?;
    let deps = dependencies(&manifest);
    let target = crate::workspace_root().join("target/generated-crates");
    let mut unsound = BTreeSet::new();
    if sanity {
        let dir = work.join("usage-old");
        write_usage(&dir, "../old", &deps, &usage.text)?;
        unsound = usage.broken(&check(&dir, &target)?);
    }
    let dir = work.join("usage-new");
    write_usage(&dir, "../new", &deps, &usage.text)?;
    let mut broken = usage.broken(&check(&dir, &target)?);
    let mut predicted = usage.predicted(&changes);
    for u in &unsound {
        broken.remove(u);
        predicted.remove(u);
    }
    Ok(Outcome {
        changes,
        items: usage.ranges.len(),
        broken,
        predicted,
        unsound,
    })
}

/// The `[dependencies]` lines of a manifest.
fn dependencies(manifest: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for line in manifest.lines() {
        if line.trim_start().starts_with('[') {
            inside = line.trim() == "[dependencies]";
            continue;
        }
        if inside {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

fn write_usage(dir: &Path, api: &str, deps: &str, text: &str) -> Result<()> {
    std::fs::create_dir_all(dir.join("src"))?;
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"usage\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\napi = {{ path = \"{api}\" }}\n{deps}\n[workspace]\n"
        ),
    )?;
    std::fs::write(dir.join("src/lib.rs"), text)?;
    Ok(())
}

/// The lines of `src/lib.rs` rustc reports errors on.
fn check(dir: &Path, target: &Path) -> Result<BTreeSet<usize>> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .current_dir(dir)
        .args(["check", "--quiet", "--message-format=json"])
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .output()
        .context("running cargo check")?;
    let mut lines = BTreeSet::new();
    let mut other = Vec::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if msg["reason"] != "compiler-message" || msg["message"]["level"] != "error" {
            continue;
        }
        let ours = msg["target"]["name"] == "usage";
        let spans = msg["message"]["spans"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let mut found = false;
        for span in &spans {
            if ours && span["file_name"] == "src/lib.rs" {
                if let Some(l) = span["line_start"].as_u64() {
                    lines.insert(l as usize);
                    found = true;
                }
            }
        }
        if !found {
            other.push(
                msg["message"]["rendered"]
                    .as_str()
                    .unwrap_or_default()
                    .lines()
                    .take(3)
                    .collect::<Vec<_>>()
                    .join(" "),
            );
        }
    }
    // "aborting due to N previous errors" carries no span.
    other.retain(|m| !m.contains("aborting due to") && !m.contains("could not compile"));
    if !other.is_empty() {
        bail!(
            "errors outside the usage program:\n{}",
            other.into_iter().take(5).collect::<Vec<_>>().join("\n")
        );
    }
    if lines.is_empty() && !output.status.success() {
        bail!(
            "cargo check failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(lines)
}

/// The usage program of a surface.
struct Usage {
    /// `src/lib.rs`.
    text: String,
    /// Per item (`op:get_pet`, `new:Pet`...): its function's lines, first and last.
    ranges: BTreeMap<String, (usize, usize)>,
    /// Per item, the generated types its function names.
    mentions: BTreeMap<String, BTreeSet<String>>,
}

impl Usage {
    fn of(s: &Surface) -> Usage {
        let mut u = Usage {
            text: String::from(
                "//! Uses every public item of the old crate; checked against the new one.\n#![allow(unused, clippy::all)]\n",
            ),
            ranges: BTreeMap::new(),
            mentions: BTreeMap::new(),
        };
        let types: BTreeSet<&str> = s.types.iter().map(|t| t.name.as_str()).collect();
        let mut n = 0;
        for op in &s.operations {
            let mut m = BTreeSet::new();
            let params: Vec<String> = op
                .args
                .iter()
                .enumerate()
                .map(|(i, a)| format!("a{i}: {}", path_of(&a.ty, &types, &mut m)))
                .collect();
            let args: Vec<String> = (0..op.args.len()).map(|i| format!("a{i}")).collect();
            let ok = path_of(&op.ok, &types, &mut m);
            let err = path_of(&op.error, &types, &mut m);
            let body = format!(
                "    let r: ::std::result::Result<api::runtime::Response<{ok}>, api::runtime::Error<{err}>> =\n        client.{}({}).await;\n",
                op.name,
                args.join(", ")
            );
            u.item(
                format!("op:{}", op.name),
                &mut n,
                &format!(
                    "pub async fn u{{n}}(client: &api::{MODULE}::Client, {}) {{\n{body}}}\n",
                    params.join(", ")
                ),
                m,
            );
        }
        for t in &s.types {
            u.ty(t, &types, &mut n);
        }
        u
    }

    fn item(&mut self, id: String, n: &mut usize, code: &str, mentions: BTreeSet<String>) {
        let code = code.replace("{n}", &n.to_string());
        *n += 1;
        let first = self.text.lines().count() + 1;
        self.text.push_str(&code);
        let last = self.text.lines().count();
        self.ranges.insert(id.clone(), (first, last));
        self.mentions.insert(id, mentions);
    }

    fn ty(&mut self, t: &TypeSurface, types: &BTreeSet<&str>, n: &mut usize) {
        let me = type_path(&t.name);
        let own = || BTreeSet::from([t.name.clone()]);
        match t.kind.as_str() {
            "struct" | "params" => {
                let mut m = own();
                let args: Vec<&generator::compare::surface::Member> =
                    t.members.iter().filter(|f| f.new_arg).collect();
                let params: Vec<String> = args
                    .iter()
                    .enumerate()
                    .map(|(i, f)| format!("a{i}: {}", path_of(&f.ty, types, &mut m)))
                    .collect();
                let names: Vec<String> = (0..args.len()).map(|i| format!("a{i}")).collect();
                self.item(
                    format!("new:{}", t.name),
                    n,
                    &format!(
                        "pub fn u{{n}}({}) -> {me} {{\n    {me}::new({})\n}}\n",
                        params.join(", "),
                        names.join(", ")
                    ),
                    m,
                );
                for f in &t.members {
                    let mut m = own();
                    let ty = path_of(&f.ty, types, &mut m);
                    let mut params = format!("v: &{me}");
                    let mut body = format!("    let x: &{ty} = &v.{};\n", f.name);
                    if f.setter != "-" {
                        let s = path_of(&f.setter, types, &mut m);
                        let _ = write!(params, ", s: {s}");
                        let _ = writeln!(body, "    let y: {me} = v.clone().{}(s);", f.name);
                    }
                    if f.clear != "-" {
                        let _ = writeln!(body, "    let z: {me} = v.clone().{}();", f.clear);
                    }
                    if let Some((getter, ret)) = f.getter.split_once(": ") {
                        let ret = path_of(ret, types, &mut m);
                        let _ = writeln!(body, "    let w: {ret} = v.{getter}();");
                    }
                    self.item(
                        format!("field:{}.{}", t.name, f.name),
                        n,
                        &format!("pub fn u{{n}}({params}) {{\n{body}}}\n"),
                        m,
                    );
                }
            }
            "alias" => {
                let mut m = own();
                let target = path_of(t.target.as_deref().unwrap_or("()"), types, &mut m);
                self.item(
                    format!("type:{}", t.name),
                    n,
                    &format!("pub fn u{{n}}(v: {me}) -> {target} {{\n    v\n}}\n"),
                    m,
                );
            }
            _ => {
                let mut m = own();
                let mut arms = String::new();
                for v in &t.members {
                    if v.ty == "-" {
                        let _ = writeln!(arms, "        {me}::{} => {{}}", v.name);
                    } else {
                        let ty = path_of(&v.ty, types, &mut m);
                        let _ = writeln!(
                            arms,
                            "        {me}::{}(p) => {{ let x: {ty} = p; }}",
                            v.name
                        );
                    }
                }
                self.item(
                    format!("match:{}", t.name),
                    n,
                    &format!("pub fn u{{n}}(v: {me}) {{\n    match v {{\n{arms}    }}\n}}\n"),
                    m,
                );
            }
        }
    }

    /// The items rustc reported errors in.
    fn broken(&self, lines: &BTreeSet<usize>) -> BTreeSet<String> {
        self.ranges
            .iter()
            .filter(|(_, (a, b))| lines.range(*a..=*b).next().is_some())
            .map(|(id, _)| id.clone())
            .collect()
    }

    /// The items the report says break.
    fn predicted(&self, changes: &[Change]) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        for c in changes.iter().filter(|c| matches!(c.code, Code::Breaks(_))) {
            for id in &c.oracle {
                if let Some(ty) = id.strip_prefix("mentions:") {
                    out.extend(
                        self.mentions
                            .iter()
                            .filter(|(_, m)| m.contains(ty))
                            .map(|(id, _)| id.clone()),
                    );
                } else if self.ranges.contains_key(id) {
                    out.insert(id.clone());
                }
            }
        }
        out
    }
}

fn type_path(name: &str) -> String {
    format!("api::{MODULE}::types::{name}")
}

/// A surface type text as a Rust type with full paths; the generated types it
/// names go into `mentions`.
fn path_of(text: &str, types: &BTreeSet<&str>, mentions: &mut BTreeSet<String>) -> String {
    let mut out = String::new();
    let mut word = String::new();
    let mut generated_next = false;
    let flush = |word: &mut String,
                 out: &mut String,
                 generated_next: &mut bool,
                 mentions: &mut BTreeSet<String>| {
        if word.is_empty() {
            return;
        }
        if word == "types" {
            *generated_next = true;
            word.clear();
            return;
        }
        let generated = *generated_next || !PRELUDE.contains(&word.as_str());
        *generated_next = false;
        if generated {
            if types.contains(word.as_str()) || !PRELUDE.contains(&word.as_str()) {
                mentions.insert(word.clone());
            }
            out.push_str(&type_path(word));
        } else {
            let path = match word.as_str() {
                "Vec" => "::std::vec::Vec".to_string(),
                "Option" => "::std::option::Option".to_string(),
                "BTreeMap" => "::std::collections::BTreeMap".to_string(),
                "String" => "::std::string::String".to_string(),
                "Box" => "::std::boxed::Box".to_string(),
                "Value" => "::serde_json::Value".to_string(),
                "Uuid" => "::uuid::Uuid".to_string(),
                "Bytes" => "::bytes::Bytes".to_string(),
                "Result" => "::std::result::Result".to_string(),
                "bool" | "i32" | "i64" | "f64" | "str" | "u8" => word.clone(),
                other => format!("api::runtime::{other}"),
            };
            out.push_str(&path);
        }
        word.clear();
    };
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() || c == '_' || (c == '#' && word == "r") {
            word.push(c);
        } else if c == ':' && chars.peek() == Some(&':') {
            chars.next();
            flush(&mut word, &mut out, &mut generated_next, mentions);
        } else {
            flush(&mut word, &mut out, &mut generated_next, mentions);
            out.push(c);
        }
    }
    flush(&mut word, &mut out, &mut generated_next, mentions);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_texts_become_paths() {
        let types = BTreeSet::from(["Pet", "String"]);
        let mut m = BTreeSet::new();
        assert_eq!(
            path_of("Option<Vec<types::String>>", &types, &mut m),
            "::std::option::Option<::std::vec::Vec<api::shop::types::String>>"
        );
        assert_eq!(
            path_of("Option<&Pet>", &types, &mut m),
            "::std::option::Option<&api::shop::types::Pet>"
        );
        assert_eq!(
            path_of("BTreeMap<String, Nullable<DateTime>>", &types, &mut m),
            "::std::collections::BTreeMap<::std::string::String, api::runtime::Nullable<api::runtime::DateTime>>"
        );
        assert_eq!(m, BTreeSet::from(["Pet".to_string(), "String".to_string()]));
    }

    /// Every pair of `../shared/corpus/changes` (real versions of public
    /// specs; minutes per pair): `cargo test -p xtask -- --ignored corpus_pairs`.
    #[test]
    #[ignore = "compiles two crates per pair of the shared corpus"]
    fn corpus_pairs_agree_with_rustc() {
        let root = crate::workspace_root();
        let corpus = root.join("../shared/corpus/changes");
        let Ok(entries) = std::fs::read_dir(&corpus) else {
            eprintln!("no {}: nothing to check", corpus.display());
            return;
        };
        let mut pairs: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| spec_file(p, "old").is_some())
            .collect();
        pairs.sort();
        let mut disagree = Vec::new();
        for pair in &pairs {
            let name = pair.file_name().unwrap().to_string_lossy().into_owned();
            let outcome = run_pair(pair, &root.join("target/diff-oracle").join(&name), true)
                .unwrap_or_else(|e| panic!("{name}: {e:#}"));
            if !outcome.agrees() {
                disagree.push(format!("{name}: {}", outcome.summary()));
            }
        }
        assert!(disagree.is_empty(), "{}", disagree.join("\n"));
    }

    /// The committed pair with a change of every class: rustc agrees with the
    /// report on every item (one small crate, compiled twice).
    #[test]
    fn every_class_pair_agrees_with_rustc() {
        let root = crate::workspace_root();
        let pair = root.join("generator/tests/change-pairs/every-class");
        let outcome = run_pair(&pair, &root.join("target/diff-oracle/every-class"), true)
            .unwrap_or_else(|e| panic!("{e:#}"));
        assert!(outcome.unsound.is_empty(), "{:?}", outcome.unsound);
        assert!(
            !outcome.broken.is_empty(),
            "nothing broke: the oracle saw nothing"
        );
        assert!(outcome.agrees(), "{}", outcome.summary());
    }
}
