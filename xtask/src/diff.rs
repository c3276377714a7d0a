//! The API-change report: `cargo xtask diff OLD NEW`, and the report
//! `cargo xtask codegen` prints before writing.
//!
//! Both compare two [`Surface`]s per vendor (`generator::compare`): `diff`
//! lowers both sides (spec files, folders, or `API.md` surface files) without
//! emitting; `codegen` reads the `API.md` in `generated/` back and compares it
//! with the one it is about to write.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use generator::compare::report::{self, VendorChanges};
use generator::compare::{Change, Surface, Wire, compare};

/// How the report is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Terminal text.
    Text,
    /// A pull-request comment.
    Markdown,
    /// For tools.
    Json,
}

/// Which changes fail the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deny {
    /// Nothing.
    Nothing,
    /// Changes that break code or the wire.
    Breaking,
    /// Changes that break code.
    Code,
    /// Changes that break the wire.
    Wire,
    /// Any change but documentation.
    Changes,
}

/// The report options shared by `diff` and `codegen`.
#[derive(Debug, Clone, Copy)]
pub struct ReportOptions {
    /// How to print.
    pub format: Format,
    /// What fails the run.
    pub deny: Deny,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            format: Format::Text,
            deny: Deny::Nothing,
        }
    }
}

impl ReportOptions {
    /// Takes `--format X` or `--deny X` from `args` at `arg`; false when `arg` is neither.
    pub fn take(&mut self, arg: &str, it: &mut std::slice::Iter<'_, String>) -> Result<bool> {
        match arg {
            "--format" => {
                self.format = match it.next().map(String::as_str) {
                    Some("text") => Format::Text,
                    Some("markdown") => Format::Markdown,
                    Some("json") => Format::Json,
                    _ => bail!("--format takes text, markdown or json"),
                }
            }
            "--deny" => {
                self.deny = match it.next().map(String::as_str) {
                    Some("breaking") => Deny::Breaking,
                    Some("code") => Deny::Code,
                    Some("wire") => Deny::Wire,
                    Some("changes") => Deny::Changes,
                    _ => bail!("--deny takes breaking, code, wire or changes"),
                }
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Whether a change fails the run.
    fn denies(&self, c: &Change) -> bool {
        let code = c.code.affected();
        let wire = matches!(c.wire, Wire::Breaks(_));
        match self.deny {
            Deny::Nothing => false,
            Deny::Breaking => code || wire,
            Deny::Code => code,
            Deny::Wire => wire,
            Deny::Changes => !c.is_docs(),
        }
    }

    /// Prints the report; whether a denied change is in it.
    pub fn print(&self, vendors: &[VendorChanges]) -> bool {
        match self.format {
            Format::Text => print!("{}", report::text(vendors)),
            Format::Markdown => print!("{}", report::markdown(vendors)),
            Format::Json => println!(
                "{}",
                serde_json::to_string_pretty(&report::json(vendors)).unwrap_or_default()
            ),
        }
        let denied = vendors
            .iter()
            .flat_map(|v| &v.changes)
            .filter(|c| self.denies(c))
            .count();
        if denied > 0 {
            eprintln!("{denied} change(s) denied by --deny");
        }
        denied > 0
    }
}

/// `cargo xtask diff OLD NEW [--format F] [--deny D] [--timings]`.
pub fn diff(args: &[String]) -> Result<ExitCode> {
    let mut opts = ReportOptions::default();
    let mut paths = Vec::new();
    let mut timings = false;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        if opts.take(arg, &mut it)? {
            continue;
        }
        match arg.as_str() {
            "--timings" => timings = true,
            a if a.starts_with("--") => bail!("unknown argument `{a}`"),
            a => paths.push(a.to_string()),
        }
    }
    let [old, new] = paths.as_slice() else {
        bail!(
            "usage: cargo xtask diff OLD NEW [--format text|markdown|json] [--deny breaking|code|wire|changes]"
        );
    };
    let start = std::time::Instant::now();
    let old = load_surfaces(Path::new(old))?;
    let new = load_surfaces(Path::new(new))?;
    let lowered = start.elapsed();
    let start = std::time::Instant::now();
    let vendors = compare_all(&old, &new);
    let compared = start.elapsed();
    if timings {
        eprintln!(
            "load and lower both sides: {} ms; compare: {:.1} ms",
            lowered.as_millis(),
            compared.as_secs_f64() * 1000.0
        );
    }
    let denied = opts.print(&vendors);
    Ok(if denied {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// The surfaces of a specs path by module; an `API.md` file is read as it is.
pub fn load_surfaces(path: &Path) -> Result<BTreeMap<String, Surface>> {
    if path.extension().is_some_and(|e| e == "md") {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let s = Surface::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        return Ok(BTreeMap::from([(s.vendor.clone(), s)]));
    }
    match generator::surfaces(path) {
        Ok((surfaces, _warnings)) => Ok(surfaces),
        Err(diags) => {
            eprintln!("{diags}");
            bail!("{} does not generate", path.display())
        }
    }
}

/// Compares vendor by vendor (by module name); when each side has one vendor,
/// those two whatever their names (`old.json` against `new.json`). A vendor on
/// one side only counts as all added or all removed.
pub fn compare_all(
    old: &BTreeMap<String, Surface>,
    new: &BTreeMap<String, Surface>,
) -> Vec<VendorChanges> {
    if old.len() == 1 && new.len() == 1 {
        if let (Some((_, o)), Some((name, n))) = (old.iter().next(), new.iter().next()) {
            return vec![VendorChanges {
                vendor: name.clone(),
                changes: compare(o, n),
            }];
        }
    }
    let empty = Surface::default();
    let mut names: Vec<&String> = old.keys().chain(new.keys()).collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .map(|name| VendorChanges {
            vendor: name.clone(),
            changes: compare(
                old.get(name).unwrap_or(&empty),
                new.get(name).unwrap_or(&empty),
            ),
        })
        .collect()
}

/// The report `codegen` prints: each vendor's `API.md` in `files` against
/// the one in `dir`. A vendor without one in `dir` yet is new (or predates
/// the surface files) and is only named.
pub fn codegen_report(
    dir: &Path,
    files: &BTreeMap<String, String>,
    opts: &ReportOptions,
) -> Result<bool> {
    let suffix = format!("/{}", generator::compare::surface::FILE_NAME);
    let mut vendors = Vec::new();
    for (rel, text) in files.iter().filter(|(rel, _)| rel.ends_with(&suffix)) {
        let new = Surface::parse(text).map_err(|e| anyhow::anyhow!("{rel}: {e}"))?;
        let Ok(old_text) = std::fs::read_to_string(dir.join(rel)) else {
            eprintln!("{}: no {rel} yet, nothing to compare with", new.vendor);
            continue;
        };
        let old = Surface::parse(&old_text).map_err(|e| anyhow::anyhow!("{rel}: {e}"))?;
        vendors.push(VendorChanges {
            vendor: new.vendor.clone(),
            changes: compare(&old, &new),
        });
    }
    if vendors.iter().all(|v| v.changes.is_empty()) {
        eprintln!("the generated API does not change");
        return Ok(false);
    }
    Ok(opts.print(&vendors))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn surface_file(dir: &str, side: &str) -> String {
        let spec = crate::workspace_root()
            .join("generator/tests/changes")
            .join(dir)
            .join(format!("{side}.yaml"));
        let surfaces = load_surfaces(&spec).unwrap();
        surfaces.values().next().unwrap().render()
    }

    /// `codegen` compares the surface it is about to write with the one on
    /// disk, and `--deny` turns a breaking change into a refusal.
    #[test]
    fn codegen_report_denies_breaking_changes() {
        let dir = crate::workspace_root().join("target/test-scratch/codegen-report");
        let _ = std::fs::remove_dir_all(&dir);
        let rel = "src/vendors/shop/API.md";
        std::fs::create_dir_all(dir.join("src/vendors/shop")).unwrap();
        std::fs::write(dir.join(rel), surface_file("field-added-required", "old")).unwrap();
        let files =
            BTreeMap::from([(rel.to_string(), surface_file("field-added-required", "new"))]);
        let deny = |deny| ReportOptions {
            format: Format::Json,
            deny,
        };
        assert!(codegen_report(&dir, &files, &deny(Deny::Breaking)).unwrap());
        assert!(codegen_report(&dir, &files, &deny(Deny::Wire)).unwrap());
        assert!(!codegen_report(&dir, &files, &deny(Deny::Nothing)).unwrap());
        // An optional field is additive: nothing to deny.
        std::fs::write(dir.join(rel), surface_file("field-added-optional", "old")).unwrap();
        let files =
            BTreeMap::from([(rel.to_string(), surface_file("field-added-optional", "new"))]);
        assert!(!codegen_report(&dir, &files, &deny(Deny::Breaking)).unwrap());
        assert!(codegen_report(&dir, &files, &deny(Deny::Changes)).unwrap());
    }
}
