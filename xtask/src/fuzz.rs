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
//! - `cargo xtask fuzz mutants <dir>... [--count N] [--seed S] [--batch B]`:
//!   mutates the single-file OpenAPI documents under the folders (hostile
//!   names and text in place of the spec's, huge numbers, `$ref`s to
//!   themselves, broken path placeholders, unions that loop, keys removed),
//!   writes N mutants to `target/mutants/specs/`, generates each on its own
//!   (a panic, or a failure without an error, is a finding; an error is a
//!   sound refusal), and compiles the ones that generated with rustc as the
//!   oracle: B at a time (default 100) as the vendor modules of one
//!   standalone crate, `cargo check --tests` (examples included), every
//!   warning or error charged to the mutant whose module it is in. One crate
//!   per mutant would check the runtime and link the dependencies a
//!   thousand times; this way a mutant costs what its own code costs.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use crate::workspace_root;

const USAGE: &str = "usage:
  cargo xtask fuzz <load_bytes|generate_structured> [--minutes N]
  cargo xtask fuzz mutants <dir or file>... [--count N] [--seed S] [--batch B]";

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
    let findings_before = count_files(&artifacts);
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
    } else if count_files(&artifacts) == findings_before {
        eprintln!("the fuzzer stopped without a finding (interrupted, or it could not start)");
        ExitCode::FAILURE
    } else {
        eprintln!(
            "the fuzzer stopped on a finding: see {} (reproduce with `cargo +nightly fuzz run --fuzz-dir generator/fuzz {target} <file>`)",
            artifacts.display()
        );
        ExitCode::FAILURE
    })
}

fn count_files(dir: &Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |entries| entries.count())
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
    let mut batch = 100usize;
    let mut inputs = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--count" => count = it.next().context("--count needs a number")?.parse()?,
            "--seed" => seed = it.next().context("--seed needs a number")?.parse()?,
            "--batch" => {
                batch = it
                    .next()
                    .context("--batch needs a number")?
                    .parse::<usize>()?
                    .max(1)
            }
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
            if value.get("openapi").is_some() && !refers_outside(&value) {
                docs.push((stem, value));
            }
        }
    }
    if docs.is_empty() {
        bail!("no single-file OpenAPI document under {inputs:?}\n{USAGE}");
    }
    let out = workspace_root().join("target/mutants");
    let specs = out.join("specs");
    if specs.exists() {
        std::fs::remove_dir_all(&specs)?;
    }
    let mut rng = Rng(seed);
    let mut mutants = Vec::new();
    for i in 0..count {
        let (stem, doc) = rng.pick(&docs).clone();
        let mut doc = doc;
        for _ in 0..1 + rng.below(4) {
            mutate(&mut doc, &mut rng);
        }
        // The folder is the vendor: its module name in a batch's crate.
        let vendor = format!(
            "m{i:04}_{}",
            crate::sanitize_crate_name(&stem).replace('-', "_")
        );
        let dir = specs.join(&vendor);
        std::fs::create_dir_all(&dir)?;
        std::fs::write(
            dir.join("openapi.json"),
            serde_json::to_string_pretty(&doc)?,
        )?;
        mutants.push(vendor);
    }
    eprintln!(
        "{count} mutants of {} documents in {} (seed {seed})",
        docs.len(),
        specs.display()
    );
    run_mutants(&out, &mutants, batch)
}

/// Whether a document has a `$ref` to another file (its mutant, alone in a
/// folder, could only be refused).
fn refers_outside(value: &Value) -> bool {
    match value {
        Value::Object(map) => map.iter().any(|(k, v)| match v {
            Value::String(r) if k == "$ref" => !r.starts_with('#'),
            v => refers_outside(v),
        }),
        Value::Array(items) => items.iter().any(refers_outside),
        _ => false,
    }
}

/// What became of one mutant.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    /// Refused with an error diagnostic (the first): a sound answer.
    Refused(String),
    /// Generated, compiled with no warning.
    Compiled,
    /// A finding: a panic, a failure without an error, or rustc's complaint.
    Failed(String),
}

/// Generates every mutant on its own (a panic or a failure without an error
/// is a finding), then compiles the ones that generated in batches: each
/// batch one standalone crate with a vendor module per mutant, so the
/// dependencies and the runtime are checked once while rustc still checks
/// every mutant's code (`cargo check --tests`, its examples included). A
/// warning or error is the mutant's whose module it is in.
fn run_mutants(out: &Path, mutants: &[String], batch: usize) -> Result<ExitCode> {
    let specs = out.join("specs");
    let mut outcomes: Vec<Outcome> = Vec::new();
    // The generator's panics are findings, reported in the table.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    for vendor in mutants {
        let config = generator::Config {
            specs_dir: specs.join(vendor),
            layout: generator::Layout::Standalone {
                crate_name: "mutant".into(),
            },
        };
        let result = std::panic::catch_unwind(|| generator::generate(&config));
        outcomes.push(match result {
            Ok(Ok(_)) => Outcome::Compiled,
            Ok(Err(diags)) if diags.has_errors() => Outcome::Refused(
                diags
                    .sorted()
                    .into_iter()
                    .find(|d| d.severity == generator::Severity::Error)
                    .map(|d| d.to_string().lines().next().unwrap_or_default().to_string())
                    .unwrap_or_default(),
            ),
            Ok(Err(diags)) => Outcome::Failed(format!("failed without an error: {diags}")),
            Err(panic) => Outcome::Failed(format!(
                "the generator panicked: {}",
                panic
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| panic.downcast_ref::<&str>().copied())
                    .unwrap_or("(no message)")
            )),
        });
    }
    std::panic::set_hook(hook);
    let generated: Vec<usize> = (0..mutants.len())
        .filter(|&i| outcomes[i] == Outcome::Compiled)
        .collect();
    eprintln!(
        "{} generated, {} refused with an error, {} failed; compiling in batches of {batch}…",
        generated.len(),
        outcomes
            .iter()
            .filter(|o| matches!(o, Outcome::Refused(_)))
            .count(),
        outcomes
            .iter()
            .filter(|o| matches!(o, Outcome::Failed(_)))
            .count(),
    );
    for (n, chunk) in generated.chunks(batch).enumerate() {
        let staged = out.join("batch").join("specs");
        if staged.exists() {
            std::fs::remove_dir_all(&staged)?;
        }
        for &i in chunk {
            let dir = staged.join(&mutants[i]);
            std::fs::create_dir_all(&dir)?;
            std::fs::copy(
                specs.join(&mutants[i]).join("openapi.json"),
                dir.join("openapi.json"),
            )?;
        }
        let config = generator::Config {
            specs_dir: staged,
            layout: generator::Layout::Standalone {
                crate_name: "mutants".into(),
            },
        };
        let output = match generator::generate(&config) {
            Ok(output) => output,
            Err(diags) => {
                for &i in chunk {
                    outcomes[i] =
                        Outcome::Failed(format!("generated alone, not with its batch: {diags}"));
                }
                continue;
            }
        };
        let crate_dir = out.join("batch").join("crate");
        if crate_dir.exists() {
            std::fs::remove_dir_all(&crate_dir)?;
        }
        crate::write_tree(&crate_dir, &output.files, "")?;
        let start = std::time::Instant::now();
        let messages = check_batch(&crate_dir, &out.join("target"))?;
        let mut stray = Vec::new();
        for (file, text) in messages {
            let owner = chunk
                .iter()
                .find(|&&i| file.starts_with(&format!("src/{}/", mutants[i])));
            match owner {
                Some(&i) => {
                    if !matches!(outcomes[i], Outcome::Failed(_)) {
                        outcomes[i] = Outcome::Failed(format!("rustc: {text}"));
                    }
                }
                None => stray.push(format!("{file}: {text}")),
            }
        }
        eprintln!(
            "batch {n}: {} mutants checked in {:.0?}",
            chunk.len(),
            start.elapsed()
        );
        if !stray.is_empty() {
            bail!(
                "batch {n}: rustc complained outside any mutant's module:\n{}",
                stray.join("\n")
            );
        }
    }
    let mut failed = 0;
    for (vendor, outcome) in mutants.iter().zip(&outcomes) {
        match outcome {
            Outcome::Failed(why) => {
                failed += 1;
                let why: String = why.lines().take(6).collect::<Vec<_>>().join("\n    ");
                println!("FAILED {vendor}: {why}");
            }
            Outcome::Refused(error) => println!("refused {vendor}: {error}"),
            Outcome::Compiled => {}
        }
    }
    let compiled = outcomes.iter().filter(|o| **o == Outcome::Compiled).count();
    let refused = outcomes
        .iter()
        .filter(|o| matches!(o, Outcome::Refused(_)))
        .count();
    println!(
        "{} mutants: {compiled} generated and compiled without a warning, {refused} refused with an error, {failed} failed (specs in {})",
        mutants.len(),
        specs.display()
    );
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// `cargo check --tests` of one batch's crate: each warning or error as
/// (file relative to the crate, first line).
fn check_batch(crate_dir: &Path, target: &Path) -> Result<Vec<(String, String)>> {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(crate_dir)
        .args(["check", "--tests", "--message-format=json", "--quiet"])
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .output()
        .context("running cargo check")?;
    let mut messages = Vec::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(value) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        if value["reason"] != "compiler-message" {
            continue;
        }
        // Dependencies' messages are not the crate's.
        let manifest = value["manifest_path"].as_str().unwrap_or_default();
        if Path::new(manifest).parent() != Some(crate_dir) {
            continue;
        }
        let message = &value["message"];
        let level = message["level"].as_str().unwrap_or_default();
        if level != "warning" && level != "error" {
            continue;
        }
        let text = message["message"].as_str().unwrap_or_default();
        if text.ends_with("warnings emitted") || text.ends_with("warning emitted") {
            continue;
        }
        let file = message["spans"]
            .as_array()
            .and_then(|spans| {
                spans
                    .iter()
                    .find(|s| s["is_primary"] == true)
                    .or(spans.first())
            })
            .and_then(|span| span["file_name"].as_str())
            .unwrap_or("")
            .to_string();
        messages.push((file, format!("{level}: {text}")));
    }
    if !output.status.success() && messages.is_empty() {
        bail!(
            "cargo check failed without a compiler message:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(messages)
}
