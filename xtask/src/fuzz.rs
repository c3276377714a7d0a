//! `cargo xtask fuzz`: the generator's fuzzing, in two forms.
//!
//! - `cargo xtask fuzz <load_bytes|generate_structured> [--minutes N]`: runs a
//!   cargo-fuzz target of `generator/fuzz` (nightly and `cargo install
//!   cargo-fuzz` needed; CI never does) for N minutes (default 10), with the
//!   bounds [`BOUNDS`]: 10 s per input, 2 GiB of memory. Without a sanitizer
//!   (the generator forbids `unsafe`), with debug assertions and overflow
//!   checks. The corpus grows in `generator/fuzz/corpus/<target>/` (seeded
//!   from `specs/` and the fixtures), findings land in
//!   `generator/fuzz/artifacts/<target>/`.
//! - `cargo xtask fuzz mutants <dir>... [--count N] [--seed S]`: mutates the
//!   spec files under the folders (hostile names and text in place of the
//!   spec's, huge numbers, `$ref`s to themselves, broken path placeholders,
//!   unions that loop, keys removed), writes N mutants to `target/mutants/`,
//!   and runs them through `cargo xtask corpus` (rustc is the oracle: every
//!   mutant must generate and compile without a warning, or be refused with
//!   a diagnostic).

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use crate::workspace_root;

const USAGE: &str = "usage:
  cargo xtask fuzz <load_bytes|generate_structured> [--minutes N]
  cargo xtask fuzz mutants <dir or file>... [--count N] [--seed S]";

/// libFuzzer's bounds on one input: seconds, and resident memory in MiB.
pub const BOUNDS: (u32, u32) = (10, 2048);

pub fn fuzz(args: &[String]) -> Result<ExitCode> {
    match args.first().map(String::as_str) {
        Some("mutants") => mutants(&args[1..]),
        Some(target @ ("load_bytes" | "generate_structured")) => run_target(target, &args[1..]),
        _ => bail!("{USAGE}"),
    }
}

fn run_target(target: &str, args: &[String]) -> Result<ExitCode> {
    let mut minutes: u64 = 10;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--minutes" => {
                minutes = it
                    .next()
                    .context("--minutes needs a number")?
                    .parse()
                    .context("--minutes needs a whole number")?
            }
            other => bail!("unknown argument `{other}`\n{USAGE}"),
        }
    }
    let root = workspace_root();
    let fuzz_dir = root.join("generator/fuzz");
    let corpus = fuzz_dir.join("corpus").join(target);
    let artifacts = fuzz_dir.join("artifacts").join(target);
    std::fs::create_dir_all(&artifacts)?;
    if !corpus.exists() {
        std::fs::create_dir_all(&corpus)?;
        if target == "load_bytes" {
            // Real documents are the best start for mutating text.
            let mut seeds = Vec::new();
            for dir in ["specs", "generator/tests/fixtures"] {
                collect(&root.join(dir), &mut seeds);
            }
            for (i, seed) in seeds.iter().enumerate() {
                std::fs::copy(seed, corpus.join(format!("seed-{i}")))?;
            }
        }
    }
    let max_len = if target == "load_bytes" {
        262_144
    } else {
        4096
    };
    let (timeout, rss) = BOUNDS;
    let status = Command::new("cargo")
        .args(["+nightly", "fuzz", "run", "--sanitizer", "none", "--fuzz-dir"])
        .arg(&fuzz_dir)
        .arg("--target-dir")
        .arg(root.join("target/fuzz"))
        .arg(target)
        .arg(&corpus)
        .arg("--")
        .arg(format!("-max_total_time={}", minutes * 60))
        .arg(format!("-timeout={timeout}"))
        .arg(format!("-rss_limit_mb={rss}"))
        .arg(format!("-max_len={max_len}"))
        // Structured inputs mean little when short: use the whole length at once.
        .arg("-len_control=0")
        .arg(format!("-artifact_prefix={}/", artifacts.display()))
        .arg("-print_final_stats=1")
        .current_dir(&root)
        .status()
        .context("running `cargo +nightly fuzz` (needs the nightly toolchain and `cargo install cargo-fuzz`)")?;
    Ok(if status.success() {
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "the fuzzer stopped on a finding: see {} (reproduce with `cargo +nightly fuzz run --fuzz-dir generator/fuzz {target} <file>`)",
            artifacts.display()
        );
        ExitCode::FAILURE
    })
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            collect(&p, out);
        } else if generator::load::is_spec_file(&p) {
            out.push(p);
        }
    }
}

/// splitmix64: mutants depend only on the seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Names and text put in place of the spec's.
const HOSTILE: &[&str] = &[
    "type",
    "self",
    "Self",
    "crate",
    "super",
    "Option",
    "Result",
    "Box",
    "Vec",
    "String",
    "_",
    "new",
    "builder",
    "additional_properties",
    "body",
    "path",
    "params",
    "foo-bar",
    "foo_bar",
    "FooBar",
    "2fa",
    "",
    "*/",
    "\"#",
    "]]",
    "`",
    "```",
    "\u{202E}rtl",
    "zero\u{200B}width",
    "nul\u{0}",
    "é",
    "id\"}",
    "{x}",
    "```\nfn main() { panic!() }\n```",
    "~~~\n#![deny(warnings)]\n~~~",
    "-     fn main() {}",
    "<script>x</script> [a] http://x.y/",
];

/// Every JSON pointer in `value`, with whether it holds an object.
fn pointers(value: &Value, at: String, out: &mut Vec<(String, bool)>) {
    match value {
        Value::Object(map) => {
            out.push((at.clone(), true));
            for (k, v) in map {
                let k = k.replace('~', "~0").replace('/', "~1");
                pointers(v, format!("{at}/{k}"), out);
            }
        }
        Value::Array(items) => {
            out.push((at.clone(), false));
            for (i, v) in items.iter().enumerate() {
                pointers(v, format!("{at}/{i}"), out);
            }
        }
        _ => out.push((at, false)),
    }
}

/// One random change to a document.
fn mutate(doc: &mut Value, rng: &mut Rng) {
    let mut all = Vec::new();
    pointers(doc, String::new(), &mut all);
    let (at, is_object) = rng.pick(&all).clone();
    let schemas: Vec<String> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    match rng.below(8) {
        // Text in place of a string.
        0 | 1 => {
            if let Some(v @ Value::String(_)) = doc.pointer_mut(&at) {
                *v = Value::String(rng.pick(HOSTILE).to_string());
            }
        }
        // A key renamed (a property, a parameter's neighbour, a component).
        2 | 3 => {
            if let Some(Value::Object(map)) = doc.pointer_mut(&at) {
                if !map.is_empty() {
                    let i = rng.below(map.len());
                    let key = map.keys().nth(i).cloned().unwrap_or_default();
                    let name = format!(
                        "{}{}",
                        rng.pick(HOSTILE),
                        if rng.below(2) == 0 { "" } else { key.as_str() }
                    );
                    if let Some(v) = map.shift_remove(&key) {
                        map.insert(name, v);
                    }
                }
            }
        }
        // A number past 64 bits or a huge float.
        4 => {
            if let Some(v @ Value::Number(_)) = doc.pointer_mut(&at) {
                *v = rng
                    .pick(&[
                        json!(-9.223372036854776e18),
                        json!(1e300),
                        json!(u64::MAX),
                        json!(-1),
                    ])
                    .clone();
            } else if is_object {
                if let Some(Value::Object(map)) = doc.pointer_mut(&at) {
                    map.insert("maximum".into(), json!(1.8446744073709552e19));
                    map.insert("default".into(), json!(u64::MAX));
                }
            }
        }
        // A schema that is only a reference to a component (maybe itself).
        5 if !schemas.is_empty() && at.starts_with("/components/schemas/") && is_object => {
            let target = rng.pick(&schemas).replace('~', "~0").replace('/', "~1");
            if let Some(v) = doc.pointer_mut(&at) {
                *v = json!({ "$ref": format!("#/components/schemas/{target}") });
            }
        }
        // A path with a broken or foreign placeholder.
        6 => {
            if let Some(Value::Object(paths)) = doc.pointer_mut("/paths") {
                if !paths.is_empty() {
                    let i = rng.below(paths.len());
                    let key = paths.keys().nth(i).cloned().unwrap_or_default();
                    let suffix = *rng.pick(&["/{id\"}", "/{", "}", "/{}", "/{\u{202E}}"]);
                    if let Some(v) = paths.shift_remove(&key) {
                        paths.insert(format!("{key}{suffix}"), v);
                    }
                }
            }
        }
        // A key removed.
        _ => {
            if let Some((parent, key)) = at.rsplit_once('/') {
                let key = key.replace("~1", "/").replace("~0", "~");
                if let Some(Value::Object(map)) = doc.pointer_mut(parent) {
                    map.shift_remove(&key);
                }
            }
        }
    }
}

fn mutants(args: &[String]) -> Result<ExitCode> {
    let mut count = 40usize;
    let mut seed = 1u64;
    let mut inputs = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--count" => count = it.next().context("--count needs a number")?.parse()?,
            "--seed" => seed = it.next().context("--seed needs a number")?.parse()?,
            flag if flag.starts_with("--") => bail!("unknown argument `{flag}`\n{USAGE}"),
            path => inputs.push(PathBuf::from(path)),
        }
    }
    let mut sources = Vec::new();
    for input in &inputs {
        if input.is_file() {
            sources.push(input.clone());
        } else {
            collect(input, &mut sources);
        }
    }
    // Single-file documents only: a mutant is written as one file.
    let mut docs = Vec::new();
    for path in sources {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("spec.json");
        if let Ok(value) = generator::load::parse_text(name, &text) {
            let stem = path
                .file_stem()
                .and_then(|n| n.to_str())
                .unwrap_or("spec")
                .to_string();
            if value.get("openapi").is_some()
                && !text.contains("$ref: './")
                && !text.contains("\"$ref\": \"./")
            {
                docs.push((stem, value));
            }
        }
    }
    if docs.is_empty() {
        bail!("no single-file OpenAPI document under {inputs:?}\n{USAGE}");
    }
    let out = workspace_root().join("target/mutants");
    if out.exists() {
        std::fs::remove_dir_all(&out)?;
    }
    std::fs::create_dir_all(&out)?;
    let mut rng = Rng(seed);
    for i in 0..count {
        let (stem, doc) = rng.pick(&docs).clone();
        let mut doc = doc;
        for _ in 0..1 + rng.below(4) {
            mutate(&mut doc, &mut rng);
        }
        let file = out.join(format!("m{i:03}-{stem}.json"));
        std::fs::write(&file, serde_json::to_string_pretty(&doc)?)?;
    }
    eprintln!(
        "{count} mutants of {} documents in {} (seed {seed})",
        docs.len(),
        out.display()
    );
    crate::corpus::corpus(&[out.display().to_string(), "--allow-failures".into()])
}
