//! `cargo xtask corpus <dir>...`: every spec file under the folders, through the
//! one-off form, then `cargo check` of all the crates at once; prints a table and
//! totals.
//!
//! The crates are written to `target/corpus/crates/<name>/` and checked as members
//! of one throwaway workspace (`target/corpus/Cargo.toml`), so their shared
//! dependencies compile once and the crates compile in parallel. With `--test`,
//! each crate's own tests run too: the runtime's, and one round trip per example
//! of its spec.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::{sanitize_crate_name, workspace_root, write_tree};

const USAGE: &str =
    "usage: cargo xtask corpus <dir or file>... [--no-compile] [--test] [--allow-failures]";

/// What happened to one spec file.
struct Entry {
    /// The spec's path relative to the folder given.
    spec: String,
    /// The crate name, and so its folder.
    crate_name: String,
    /// Generation time in milliseconds.
    millis: f64,
    /// Generator warnings (generation went on).
    gen_warnings: usize,
    /// The first generator error, when generation failed.
    gen_error: Option<String>,
    /// rustc warnings.
    rustc_warnings: usize,
    /// rustc errors.
    rustc_errors: usize,
    /// The first rustc error or warning.
    first_rustc: Option<String>,
    /// With `--test`: the crate's tests that passed and failed, and the first failure.
    tests: Option<(usize, usize, Option<String>)>,
}

impl Entry {
    fn ok(&self, compiled: bool) -> bool {
        self.gen_error.is_none()
            && (!compiled || (self.rustc_errors == 0 && self.rustc_warnings == 0))
            && self
                .tests
                .as_ref()
                .is_none_or(|(_, failed, _)| *failed == 0)
    }
}

pub fn corpus(args: &[String]) -> Result<ExitCode> {
    let mut inputs = Vec::new();
    let mut compile = true;
    let mut test = false;
    let mut allow_failures = false;
    for arg in args {
        match arg.as_str() {
            "--no-compile" => compile = false,
            "--test" => test = true,
            "--allow-failures" => allow_failures = true,
            flag if flag.starts_with("--") => bail!("unknown argument `{flag}`\n{USAGE}"),
            path => inputs.push(PathBuf::from(path)),
        }
    }
    if inputs.is_empty() {
        bail!("{USAGE}");
    }
    let mut specs = Vec::new();
    for input in &inputs {
        let base = if input.is_file() {
            input.parent().unwrap_or(Path::new(".")).to_path_buf()
        } else {
            input.clone()
        };
        let mut found = Vec::new();
        collect(input, &mut found).with_context(|| format!("reading {}", input.display()))?;
        found.sort();
        specs.extend(found.into_iter().map(|p| {
            let rel = p
                .strip_prefix(&base)
                .unwrap_or(&p)
                .to_string_lossy()
                .into_owned();
            (rel, p)
        }));
    }
    if specs.is_empty() {
        bail!("no .yaml, .yml or .json file under {inputs:?}");
    }

    let root = workspace_root().join("target/corpus");
    let crates_dir = root.join("crates");
    if crates_dir.exists() {
        std::fs::remove_dir_all(&crates_dir)
            .with_context(|| format!("clearing {}", crates_dir.display()))?;
    }
    let mut entries = Vec::new();
    let mut names = generator::naming::Namer::default();
    for (rel, path) in specs {
        let stem = Path::new(&rel)
            .with_extension("")
            .to_string_lossy()
            .into_owned();
        let (crate_name, _) = names.claim(&sanitize_crate_name(&stem));
        entries.push(generate_one(&crates_dir, rel, &path, crate_name)?);
    }
    let members: Vec<String> = entries
        .iter()
        .filter(|e| e.gen_error.is_none())
        .map(|e| e.crate_name.clone())
        .collect();
    if compile && !members.is_empty() {
        let messages = check_all(&root, &members)?;
        attribute(&mut entries, &messages);
        if test {
            test_all(&root, &mut entries)?;
        }
    }
    print_table(&entries, compile);
    let failed = entries.iter().filter(|e| !e.ok(compile)).count();
    Ok(if failed == 0 || allow_failures {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn collect(path: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    if path.is_file() {
        if generator::load::is_spec_file(path) {
            out.push(path.to_path_buf());
        }
        return Ok(());
    }
    for entry in std::fs::read_dir(path)? {
        let p = entry?.path();
        if p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'))
        {
            continue;
        }
        collect(&p, out)?;
    }
    Ok(())
}

fn generate_one(crates_dir: &Path, spec: String, path: &Path, crate_name: String) -> Result<Entry> {
    let config = generator::Config {
        specs_dir: path.to_path_buf(),
        layout: generator::Layout::Standalone {
            crate_name: crate_name.clone(),
        },
    };
    let start = Instant::now();
    let result = generator::generate(&config);
    let millis = start.elapsed().as_secs_f64() * 1000.0;
    let mut entry = Entry {
        spec,
        crate_name,
        millis,
        gen_warnings: 0,
        gen_error: None,
        rustc_warnings: 0,
        rustc_errors: 0,
        first_rustc: None,
        tests: None,
    };
    match result {
        Ok(output) => {
            entry.gen_warnings = output.warnings.0.len();
            // A member of the corpus workspace, not a workspace of its own.
            let mut files = output.files;
            if let Some(manifest) = files.get_mut("Cargo.toml") {
                *manifest = manifest.replace("\n[workspace]\n", "\n");
            }
            write_tree(&crates_dir.join(&entry.crate_name), &files, "")?;
        }
        Err(diags) => {
            let first = diags
                .sorted()
                .into_iter()
                .find(|d| d.severity == generator::Severity::Error)
                .map(|d| one_line(&d.to_string()));
            entry.gen_error = Some(first.unwrap_or_else(|| "failed".into()));
        }
    }
    Ok(entry)
}

/// One compiler message: the crate it belongs to, its level and its first line.
struct Message {
    crate_name: String,
    level: String,
    text: String,
}

/// `cargo check` of every crate as one workspace; the compiler's messages.
fn check_all(root: &Path, members: &[String]) -> Result<Vec<Message>> {
    let list: Vec<String> = members
        .iter()
        .map(|m| format!("  \"crates/{m}\","))
        .collect();
    std::fs::write(
        root.join("Cargo.toml"),
        format!(
            "# Written by cargo xtask corpus.\n[workspace]\nresolver = \"3\"\nmembers = [\n{}\n]\n",
            list.join("\n")
        ),
    )?;
    eprintln!("checking {} crates…", members.len());
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(root)
        .args([
            "check",
            "--workspace",
            "--keep-going",
            "--message-format=json",
        ])
        .env_remove("RUSTFLAGS")
        .output()
        .context("running cargo check")?;
    let mut messages = Vec::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(value) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if value["reason"] != "compiler-message" {
            continue;
        }
        let manifest = value["manifest_path"].as_str().unwrap_or_default();
        let Some(crate_name) = Path::new(manifest)
            .parent()
            .and_then(Path::file_name)
            .and_then(|n| n.to_str())
        else {
            continue;
        };
        let message = &value["message"];
        let level = message["level"].as_str().unwrap_or_default().to_string();
        if level != "warning" && level != "error" {
            continue;
        }
        let text = message["rendered"]
            .as_str()
            .or_else(|| message["message"].as_str())
            .unwrap_or_default();
        messages.push(Message {
            crate_name: crate_name.to_string(),
            level,
            text: one_line(text),
        });
    }
    if !output.status.success() && messages.iter().all(|m| m.level != "error") {
        bail!(
            "cargo check failed without a compiler error:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(messages)
}

/// Runs each compiling crate's tests: builds all test binaries at once, then one
/// `cargo test` per crate, reading its counts and first failure.
fn test_all(root: &Path, entries: &mut [Entry]) -> Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    eprintln!("building the crates' tests…");
    Command::new(&cargo)
        .current_dir(root)
        .args([
            "test",
            "--workspace",
            "--lib",
            "--no-run",
            "--keep-going",
            "--quiet",
        ])
        .env_remove("RUSTFLAGS")
        // A test binary per crate, each linking the whole HTTP stack: without
        // debug info they take a few GB for a corpus of a hundred, not tens.
        .env("CARGO_PROFILE_DEV_DEBUG", "0")
        .env("CARGO_PROFILE_TEST_DEBUG", "0")
        .output()
        .context("building the tests")?;
    for entry in entries
        .iter_mut()
        .filter(|e| e.gen_error.is_none() && e.rustc_errors == 0)
    {
        let output = Command::new(&cargo)
            .current_dir(root)
            .args([
                "test",
                "--quiet",
                "--lib",
                "--no-fail-fast",
                "-p",
                &entry.crate_name,
            ])
            .env_remove("RUSTFLAGS")
            .env("CARGO_PROFILE_DEV_DEBUG", "0")
            .env("CARGO_PROFILE_TEST_DEBUG", "0")
            .output()
            .context("running the tests")?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        let count = |line: &str, word: &str| -> usize {
            line.split(';')
                .find(|part| part.trim_end().ends_with(word))
                .and_then(|part| part.split_whitespace().rev().nth(1))
                .and_then(|n| n.parse().ok())
                .unwrap_or(0)
        };
        let (mut passed, mut failed) = (0, 0);
        for line in stdout.lines().filter(|l| l.starts_with("test result:")) {
            passed += count(line, "passed");
            failed += count(line, "failed");
        }
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first = stdout
            .lines()
            .chain(stderr.lines())
            .skip_while(|l| !l.contains("panicked at"))
            .nth(1)
            .map(one_line);
        if failed == 0 && !output.status.success() {
            failed = 1;
        }
        entry.tests = Some((passed, failed, first));
    }
    Ok(())
}

fn attribute(entries: &mut [Entry], messages: &[Message]) {
    for entry in entries.iter_mut() {
        for m in messages.iter().filter(|m| m.crate_name == entry.crate_name) {
            // The summary line "N warnings emitted" is not a finding.
            if m.text.contains("warnings emitted") || m.text.contains("warning emitted") {
                continue;
            }
            match m.level.as_str() {
                "error" => entry.rustc_errors += 1,
                _ => entry.rustc_warnings += 1,
            }
            let replace =
                entry.first_rustc.is_none() || (m.level == "error" && entry.rustc_errors == 1);
            if replace {
                entry.first_rustc = Some(m.text.clone());
            }
        }
    }
}

fn one_line(text: &str) -> String {
    let joined: String = text.lines().take(2).collect::<Vec<_>>().join(" ");
    let squeezed = joined.split_whitespace().collect::<Vec<_>>().join(" ");
    if squeezed.chars().count() > 110 {
        format!("{}…", squeezed.chars().take(110).collect::<String>())
    } else {
        squeezed
    }
}

/// ", N crates' tests pass (P of T tests)" when tests ran.
fn test_totals(entries: &[Entry]) -> String {
    let tested: Vec<&(usize, usize, Option<String>)> =
        entries.iter().filter_map(|e| e.tests.as_ref()).collect();
    if tested.is_empty() {
        return String::new();
    }
    let green = tested.iter().filter(|(_, failed, _)| *failed == 0).count();
    let passed: usize = tested.iter().map(|(p, _, _)| p).sum();
    let all: usize = tested.iter().map(|(p, f, _)| p + f).sum();
    format!(
        ", {green} of {} crates' tests pass ({passed} of {all} tests)",
        tested.len()
    )
}

fn print_table(entries: &[Entry], compiled: bool) {
    let width = entries
        .iter()
        .map(|e| e.spec.len())
        .max()
        .unwrap_or(4)
        .max(4);
    println!(
        "{:width$}  {:>9}  {:>8}  {:>8}  {:>9}  {:>8}  {:>11}  first error",
        "spec", "generated", "compiled", "warnings", "gen diags", "gen ms", "tests"
    );
    for e in entries {
        let generated = if e.gen_error.is_none() { "yes" } else { "NO" };
        let compiled_text = match (compiled, &e.gen_error) {
            (false, _) | (true, Some(_)) => "-",
            (true, None) if e.rustc_errors == 0 => "yes",
            _ => "NO",
        };
        let first = e
            .gen_error
            .clone()
            .or_else(|| e.first_rustc.clone())
            .or_else(|| e.tests.as_ref().and_then(|(_, _, f)| f.clone()))
            .unwrap_or_default();
        let tests = match &e.tests {
            Some((passed, failed, _)) => format!("{passed}/{}", passed + failed),
            None => "-".into(),
        };
        println!(
            "{:width$}  {:>9}  {:>8}  {:>8}  {:>9}  {:>8.1}  {:>11}  {}",
            e.spec,
            generated,
            compiled_text,
            e.rustc_warnings,
            e.gen_warnings,
            e.millis,
            tests,
            first
        );
    }
    let total = entries.len();
    let generated = entries.iter().filter(|e| e.gen_error.is_none()).count();
    let millis: f64 = entries.iter().map(|e| e.millis).sum();
    let slowest = entries
        .iter()
        .max_by(|a, b| a.millis.total_cmp(&b.millis))
        .map(|e| format!("{} {:.0} ms", e.spec, e.millis))
        .unwrap_or_default();
    println!();
    if compiled {
        let compiling = entries
            .iter()
            .filter(|e| e.gen_error.is_none() && e.rustc_errors == 0)
            .count();
        let no_warning = entries
            .iter()
            .filter(|e| e.gen_error.is_none() && e.rustc_errors == 0 && e.rustc_warnings == 0)
            .count();
        println!(
            "totals: {total} specs, {generated} generated, {compiling} compiled, {no_warning} compiled with no warning{}; generation {millis:.0} ms in all, slowest {slowest}",
            test_totals(entries)
        );
    } else {
        println!(
            "totals: {total} specs, {generated} generated (not compiled); generation {millis:.0} ms in all, slowest {slowest}"
        );
    }
}
