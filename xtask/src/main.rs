//! Workspace tasks.
//!
//! - `cargo xtask codegen`: regenerate `generated/` from `specs/`.
//! - `cargo xtask codegen --check`: write nothing; print a diff and fail when `generated/` is stale.
//! - `cargo xtask codegen --specs <dir> --out <dir> [--crate-name <name>]`: a standalone crate.
//! - `cargo xtask codegen` prints what changed in each vendor's API against `generated/` first
//!   (`--format text|markdown|json`, `--deny breaking|code|wire|changes`: then nothing is written).
//! - `cargo xtask diff OLD NEW [--format F] [--deny D]`: the same report for two specs (files,
//!   folders, or `API.md` surface files).
//! - `cargo xtask diff-oracle <pairs dir>`: the report's "your code" verdicts checked against rustc.
//! - `cargo xtask corpus <dir>... [--no-compile] [--test] [--allow-failures]`: every spec file under
//!   the folders as a one-off crate, all checked by cargo; a table and totals.
//! - `cargo xtask extract-doc-page <page> <out.yaml>`: the OpenAPI document embedded in a doc page.
//! - `cargo xtask fuzz <target> --minutes N`: a cargo-fuzz target of `generator/fuzz` (nightly);
//!   `cargo xtask fuzz mutants <dir>...`: mutated specs, generated and compiled (see `fuzz.rs`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

/// Generation allocates and frees millions of small strings, token trees and
/// syntax nodes across its emit threads: mimalloc (v2) makes GitHub's API
/// generate in about 0.65 the time of the system allocator, for some 15 MiB
/// more peak memory (`xtask/bench-generation.sh`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod corpus;
mod diff;
mod doc_page;
mod fuzz;
mod oracle;
mod tree;

pub use tree::write_tree;

const USAGE: &str = "usage:
  cargo xtask codegen [--check] [--format text|markdown|json] [--deny breaking|code|wire|changes] [--timings]
  cargo xtask codegen --specs <dir or file> --out <dir> [--crate-name <name>] [--timings]
  cargo xtask diff <old> <new> [--format text|markdown|json] [--deny breaking|code|wire|changes] [--timings]
  cargo xtask diff-oracle <pairs dir or pair dir>... [--sanity] [--only a,b]
  cargo xtask corpus <dir or file>... [--no-compile] [--test] [--allow-failures]
  cargo xtask extract-doc-page <page.txt|page.md> <out.yaml>
  cargo xtask fuzz <load_bytes|generate_structured> [--minutes N]
  cargo xtask fuzz mutants <dir or file>... [--count N] [--seed S]";

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<ExitCode> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("codegen") => codegen(&args[1..]),
        Some("diff") => diff::diff(&args[1..]),
        Some("diff-oracle") => oracle::oracle(&args[1..]),
        Some("corpus") => corpus::corpus(&args[1..]),
        Some("fuzz") => fuzz::fuzz(&args[1..]),
        Some("extract-doc-page") => {
            let [page, out] = &args[1..] else {
                bail!("{USAGE}")
            };
            doc_page::extract_to_file(Path::new(page), Path::new(out))?;
            Ok(ExitCode::SUCCESS)
        }
        _ => bail!("{USAGE}"),
    }
}

/// The workspace root (this crate's parent folder).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn codegen(args: &[String]) -> Result<ExitCode> {
    let mut check = false;
    let mut timings = false;
    let mut specs = None;
    let mut out = None;
    let mut crate_name = None;
    let mut report = diff::ReportOptions::default();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        if report.take(arg, &mut it)? {
            continue;
        }
        match arg.as_str() {
            "--check" => check = true,
            "--timings" => timings = true,
            "--specs" => {
                specs = Some(PathBuf::from(
                    it.next().context("--specs needs a folder or a file")?,
                ))
            }
            "--out" => out = Some(PathBuf::from(it.next().context("--out needs a folder")?)),
            "--crate-name" => {
                crate_name = Some(it.next().context("--crate-name needs a name")?.clone())
            }
            other => bail!("unknown argument `{other}`\n{USAGE}"),
        }
    }
    match (specs, out) {
        (None, None) => {
            let root = workspace_root();
            let output = run_generator(&root.join("specs"), generator::Layout::Workspace)?;
            if timings {
                print_timings(&output);
            }
            check_features(&root.join("generated/Cargo.toml"), &output)?;
            let out_dir = root.join("generated");
            let denied = diff::codegen_report(&out_dir, &output.files, &report)?;
            if denied && !check {
                bail!("not written: the API changes above are denied");
            }
            if check {
                return check_tree(&out_dir, &output.files, "src/vendors");
            }
            write_tree(&out_dir, &output.files, "src/vendors")?;
            eprintln!(
                "generated/ is up to date ({} files, vendors: {})",
                output.files.len(),
                output.modules.join(", ")
            );
            Ok(ExitCode::SUCCESS)
        }
        (Some(specs), Some(out)) => {
            let name = crate_name.unwrap_or_else(|| {
                out.file_name()
                    .and_then(|n| n.to_str())
                    .map(sanitize_crate_name)
                    .unwrap_or_else(|| "api-client".into())
            });
            let output = run_generator(&specs, generator::Layout::Standalone { crate_name: name })?;
            if timings {
                print_timings(&output);
            }
            if check {
                return check_tree(&out, &output.files, "");
            }
            write_tree(&out, &output.files, "")?;
            eprintln!(
                "wrote a crate to {} (vendors: {})",
                out.display(),
                output.modules.join(", ")
            );
            Ok(ExitCode::SUCCESS)
        }
        _ => bail!("--specs and --out go together\n{USAGE}"),
    }
}

/// Each vendor's stage times, on standard error.
fn print_timings(output: &generator::Output) {
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    for t in &output.timings {
        eprintln!(
            "timings {}: load {:.1} ms, lower {:.1} ms, emit {:.1} ms, API.md {:.1} ms",
            t.module,
            ms(t.load),
            ms(t.lower),
            ms(t.emit),
            ms(t.surface)
        );
    }
}

/// A package name from a folder name: ASCII letters and digits, single `-` between
/// words (rustc warns on `__` in crate names), starting with a letter.
pub fn sanitize_crate_name(name: &str) -> String {
    let words: Vec<String> = name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let joined = words.join("-");
    if joined
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
    {
        joined
    } else {
        format!("api-{joined}")
    }
}

fn run_generator(specs: &Path, layout: generator::Layout) -> Result<generator::Output> {
    let config = generator::Config {
        specs_dir: specs.to_path_buf(),
        layout,
    };
    match generator::generate(&config) {
        Ok(output) => {
            for w in output.warnings.sorted() {
                eprintln!("{w}");
            }
            Ok(output)
        }
        Err(diags) => {
            let errors = diags
                .0
                .iter()
                .filter(|d| d.severity == generator::Severity::Error)
                .count();
            eprintln!("{diags}");
            bail!("generation failed with {errors} error(s); nothing was written")
        }
    }
}

/// Each vendor needs a feature of its name in the hand-written manifest, and each
/// of its tags one when its `codegen.yaml` asks for them.
fn check_features(manifest: &Path, output: &generator::Output) -> Result<()> {
    let text = std::fs::read_to_string(manifest)
        .with_context(|| format!("reading {}", manifest.display()))?;
    let declared = |feature: &str| {
        text.lines()
            .any(|l| l.trim().starts_with(&format!("{feature} = ")))
    };
    let missing: Vec<&String> = output.modules.iter().filter(|m| !declared(m)).collect();
    if !missing.is_empty() {
        bail!(
            "{} has no feature for vendor(s) {}: add `<vendor> = []` under [features] (and to `default`)",
            manifest.display(),
            missing
                .iter()
                .map(|m| format!("`{m}`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let missing_tags: Vec<&String> = output
        .tag_features
        .values()
        .flatten()
        .filter(|f| !declared(f))
        .collect();
    if !missing_tags.is_empty() {
        bail!(
            "{} lacks the tag features its vendors' codegen.yaml asks for; add under [features]:\n{}",
            manifest.display(),
            missing_tags
                .iter()
                .map(|f| format!("{f} = []"))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
    Ok(())
}

/// Compares what would be written with what is there; prints a diff.
fn check_tree(dir: &Path, files: &BTreeMap<String, String>, scope: &str) -> Result<ExitCode> {
    let mut stale = 0;
    for (rel, want) in files {
        let have = std::fs::read_to_string(dir.join(rel)).unwrap_or_default();
        if &have != want {
            stale += 1;
            let diff = similar::TextDiff::from_lines(&have, want);
            print!(
                "{}",
                diff.unified_diff()
                    .context_radius(3)
                    .header(&format!("a/{rel}"), &format!("b/{rel}"))
            );
        }
    }
    let plan = tree::plan(dir, files, scope);
    for extra in plan.stale {
        stale += 1;
        println!("--- a/{extra}\n+++ /dev/null\n(file would be removed)");
    }
    for foreign in &plan.foreign {
        println!("{foreign}: not written by cargo xtask codegen; codegen would refuse the folder");
    }
    stale += plan.foreign.len();
    if stale == 0 {
        eprintln!("{} is up to date", dir.display());
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!(
            "{stale} file(s) in {} are stale: run `cargo xtask codegen`",
            dir.display()
        );
        Ok(ExitCode::FAILURE)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn crate_names_from_folder_names() {
        assert_eq!(
            super::sanitize_crate_name("out-oai__petstore"),
            "out-oai-petstore"
        );
        assert_eq!(super::sanitize_crate_name("2fa API"), "api-2fa-api");
        assert_eq!(super::sanitize_crate_name("My_Client"), "my-client");
    }
}
