//! An OpenAPI / JSON Schema → Rust client generator.
//!
//! [`generate`] runs the pipeline for every vendor folder of a specs folder:
//! load → lower → check → emit. It reads files and returns text; it never writes.

#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod compare;
pub mod diag;
pub mod emit;
pub mod load;
pub mod model;
pub mod naming;

use std::collections::BTreeMap;
use std::path::PathBuf;

pub use diag::{Diagnostic, Diagnostics, Location, Severity};

/// The runtime every generated crate carries, file by file; hand-written in
/// `generated/src/runtime/`.
pub const RUNTIME_FILES: &[(&str, &str)] = &[
    ("mod.rs", include_str!("../../generated/src/runtime/mod.rs")),
    (
        "auth.rs",
        include_str!("../../generated/src/runtime/auth.rs"),
    ),
    (
        "builder.rs",
        include_str!("../../generated/src/runtime/builder.rs"),
    ),
    (
        "call.rs",
        include_str!("../../generated/src/runtime/call.rs"),
    ),
    (
        "clock.rs",
        include_str!("../../generated/src/runtime/clock.rs"),
    ),
    (
        "date.rs",
        include_str!("../../generated/src/runtime/date.rs"),
    ),
    (
        "datetime.rs",
        include_str!("../../generated/src/runtime/datetime.rs"),
    ),
    (
        "decimal.rs",
        include_str!("../../generated/src/runtime/decimal.rs"),
    ),
    (
        "decode.rs",
        include_str!("../../generated/src/runtime/decode.rs"),
    ),
    (
        "error.rs",
        include_str!("../../generated/src/runtime/error.rs"),
    ),
    (
        "events.rs",
        include_str!("../../generated/src/runtime/events.rs"),
    ),
    (
        "formats.rs",
        include_str!("../../generated/src/runtime/formats.rs"),
    ),
    (
        "examples.rs",
        include_str!("../../generated/src/runtime/examples.rs"),
    ),
    (
        "lenient.rs",
        include_str!("../../generated/src/runtime/lenient.rs"),
    ),
    (
        "multipart.rs",
        include_str!("../../generated/src/runtime/multipart.rs"),
    ),
    (
        "nullable.rs",
        include_str!("../../generated/src/runtime/nullable.rs"),
    ),
    (
        "object.rs",
        include_str!("../../generated/src/runtime/object.rs"),
    ),
    (
        "rate_limit.rs",
        include_str!("../../generated/src/runtime/rate_limit.rs"),
    ),
    (
        "request.rs",
        include_str!("../../generated/src/runtime/request.rs"),
    ),
    (
        "response.rs",
        include_str!("../../generated/src/runtime/response.rs"),
    ),
    (
        "retry.rs",
        include_str!("../../generated/src/runtime/retry.rs"),
    ),
    (
        "stream.rs",
        include_str!("../../generated/src/runtime/stream.rs"),
    ),
    (
        "string_enum.rs",
        include_str!("../../generated/src/runtime/string_enum.rs"),
    ),
    (
        "tagged.rs",
        include_str!("../../generated/src/runtime/tagged.rs"),
    ),
    (
        "token.rs",
        include_str!("../../generated/src/runtime/token.rs"),
    ),
    (
        "upload.rs",
        include_str!("../../generated/src/runtime/upload.rs"),
    ),
    (
        "validate.rs",
        include_str!("../../generated/src/runtime/validate.rs"),
    ),
];

/// The dependencies every generated crate has; hand-written in `generated/Cargo.toml`.
const GENERATED_MANIFEST: &str = include_str!("../../generated/Cargo.toml");

/// Where the output goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Layout {
    /// This workspace's `generated/` crate: its `Cargo.toml`, `lib.rs` and runtime are
    /// hand-written, so only the vendor modules and their index are produced.
    Workspace,
    /// A complete crate of its own, buildable anywhere.
    Standalone {
        /// The package name.
        crate_name: String,
    },
}

/// What to generate.
#[derive(Debug, Clone)]
pub struct Config {
    /// A folder holding one folder per vendor; or, for a one-off crate, a folder of
    /// spec files that make one vendor, or a single spec file.
    pub specs_dir: PathBuf,
    /// Where the output goes.
    pub layout: Layout,
}

/// What [`generate`] produces.
#[derive(Debug, Clone, Default)]
pub struct Output {
    /// File contents by path relative to the crate root (`src/telegent/mod.rs`).
    pub files: BTreeMap<String, String>,
    /// The vendor module names, sorted.
    pub modules: Vec<String>,
    /// The cargo feature of each OpenAPI tag, by vendor module, for vendors
    /// whose `codegen.yaml` asks for them (`tag-features: true`).
    pub tag_features: BTreeMap<String, Vec<String>>,
    /// Warnings: generation went on.
    pub warnings: Diagnostics,
    /// How long each stage took, per vendor, in generation order (not part
    /// of the output: `cargo xtask codegen --timings` prints it).
    pub timings: Vec<StageTimes>,
}

/// Wall time of each stage of one vendor.
#[derive(Debug, Clone, Default)]
pub struct StageTimes {
    /// The vendor's module.
    pub module: String,
    /// Reading and parsing the files, `$ref`'d files, Swagger 2.0 conversion.
    pub load: std::time::Duration,
    /// Lowering and checking.
    pub lower: std::time::Duration,
    /// Emitting the module's Rust files.
    pub emit: std::time::Duration,
    /// Rendering the API surface (`API.md`), at the same time as emit.
    pub surface: std::time::Duration,
}

/// Module names a vendor folder cannot take.
const RESERVED_MODULES: &[&str] = &["runtime", "vendors"];

/// Runs the pipeline over every vendor folder in `config.specs_dir`. Errors of all
/// vendors are collected before returning.
pub fn generate(config: &Config) -> Result<Output, Diagnostics> {
    let mut diags = Diagnostics::default();
    let vendors = list_vendors(&config.specs_dir, &mut diags);
    let mut output = Output::default();
    let mut modules = naming::Namer::with_reserved(RESERVED_MODULES);
    for (vendor, source) in vendors {
        let (module, renamed) = modules.claim(naming::bare(&naming::snake_name(&vendor)));
        if renamed {
            diags.push(Diagnostic::warning(
                Location::new(vendor.as_str(), ""),
                format!("vendor folder `{vendor}` becomes module `{module}`"),
            ));
        }
        let mut times = StageTimes {
            module: module.clone(),
            ..StageTimes::default()
        };
        let result = generate_vendor(&vendor, &source, &module, &mut times);
        output.timings.push(times);
        match result {
            Ok((files, tags, warnings)) => {
                // The workspace crate's hand-written lib.rs declares `mod vendors;`.
                let dir = match config.layout {
                    Layout::Workspace => "src/vendors",
                    Layout::Standalone { .. } => "src",
                };
                output.files.extend(
                    files
                        .into_iter()
                        .map(|(path, text)| (format!("{dir}/{path}"), text)),
                );
                if !tags.is_empty() {
                    output.tag_features.insert(module.clone(), tags);
                }
                output.modules.push(module);
                diags.extend(warnings);
            }
            Err(errors) => diags.extend(errors),
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    output.modules.sort();
    let standalone = matches!(config.layout, Layout::Standalone { .. });
    let index = emit::emit_vendor_index(&output.modules, &output.tag_features, standalone)
        .map_err(internal)?;
    match &config.layout {
        Layout::Workspace => {
            output.files.insert("src/vendors.rs".into(), index);
        }
        Layout::Standalone { crate_name } => {
            output.files.insert("src/lib.rs".into(), index);
            for (name, text) in RUNTIME_FILES {
                // Headed like every file the generator writes, so a tool can
                // tell the crate's files from a user's.
                output.files.insert(
                    format!("src/runtime/{name}"),
                    format!("{}{text}", emit::HEADER),
                );
            }
            output.files.insert(
                "Cargo.toml".into(),
                standalone_manifest(crate_name, &output.modules, &output.tag_features),
            );
        }
    }
    output.warnings = diags;
    Ok(output)
}

fn internal(message: String) -> Diagnostics {
    Diagnostics(vec![Diagnostic::error(
        Location::default(),
        format!("internal error, please report: {message}"),
    )])
}

/// One vendor's files (by path in its module), its tag features, and warnings.
type VendorOutput = (BTreeMap<String, String>, Vec<String>, Diagnostics);

/// One vendor: load → lower → check → emit. Diagnostic locations are made relative
/// to the specs folder.
fn generate_vendor(
    vendor: &str,
    source: &Source,
    module: &str,
    times: &mut StageTimes,
) -> Result<VendorOutput, Diagnostics> {
    let (api, diags) = lower_vendor(vendor, source, module, times)?;
    // The API surface is rendered beside emit, filling the cores emit's last
    // jobs leave idle.
    let (emitted, surface) = std::thread::scope(|scope| {
        let surface = scope.spawn(|| {
            let start = std::time::Instant::now();
            (compare::Surface::of(&api).render(), start.elapsed())
        });
        let start = std::time::Instant::now();
        let emitted = emit::emit_vendor(&api);
        times.emit = start.elapsed();
        (emitted, surface.join())
    });
    let mut files = emitted.map_err(internal)?;
    let (surface, surface_time) =
        surface.map_err(|_| internal("rendering the API surface panicked".to_string()))?;
    files.insert(
        format!(
            "{}/{}",
            naming::bare(&api.module.rust),
            compare::surface::FILE_NAME
        ),
        surface,
    );
    times.surface = surface_time;
    let tags = api.features.map(|f| f.tags).unwrap_or_default();
    Ok((files, tags, diags))
}

/// The API surface of every vendor of `specs_dir` (load → lower → check, no
/// emit), by module name: what `cargo xtask diff` compares.
pub fn surfaces(
    specs_dir: &std::path::Path,
) -> Result<(BTreeMap<String, compare::Surface>, Diagnostics), Diagnostics> {
    let mut diags = Diagnostics::default();
    let vendors = list_vendors(specs_dir, &mut diags);
    let mut out = BTreeMap::new();
    let mut modules = naming::Namer::with_reserved(RESERVED_MODULES);
    for (vendor, source) in vendors {
        let (module, _) = modules.claim(naming::bare(&naming::snake_name(&vendor)));
        match lower_vendor(&vendor, &source, &module, &mut StageTimes::default()) {
            Ok((api, warnings)) => {
                out.insert(module, compare::Surface::of(&api));
                diags.extend(warnings);
            }
            Err(errors) => diags.extend(errors),
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    Ok((out, diags))
}

/// One vendor: load → lower → check. Diagnostic locations are made relative
/// to the specs folder.
fn lower_vendor(
    vendor: &str,
    source: &Source,
    module: &str,
    times: &mut StageTimes,
) -> Result<(model::Api, Diagnostics), Diagnostics> {
    let prefix = |mut d: Diagnostics| {
        for diag in &mut d.0 {
            diag.location.file = if diag.location.file.is_empty() {
                vendor.to_string()
            } else {
                format!("{vendor}/{}", diag.location.file)
            };
        }
        d
    };
    let start = std::time::Instant::now();
    let document = match source {
        Source::Folder(dir) => load::load_vendor(vendor, dir),
        Source::File(path) => load::load_file(vendor, path),
    }
    .map_err(prefix)?;
    times.load = start.elapsed();
    let start = std::time::Instant::now();
    let (mut api, mut diags) = model::lower_api::lower(&document);
    api.module = naming::Name::new(vendor, module);
    diags.extend(model::check::check(&api));
    // Diagnostics about a converted Swagger 2.0 document name its own places.
    for diag in &mut diags.0 {
        diag.location = document.original_location(&diag.location);
    }
    diags.extend(document.warnings.clone());
    times.lower = start.elapsed();
    if diags.has_errors() {
        return Err(prefix(diags));
    }
    Ok((api, prefix(diags)))
}

/// Where one vendor's files are.
enum Source {
    /// Every spec file under the folder.
    Folder(PathBuf),
    /// One file (and whatever it references).
    File(PathBuf),
}

/// The vendors of a specs path: a folder with spec files of its own is one vendor
/// (named after the folder, sub-folders included); otherwise each sub-folder is one
/// vendor; a file is one vendor named after the file.
fn list_vendors(specs: &std::path::Path, diags: &mut Diagnostics) -> Vec<(String, Source)> {
    let stem = |p: &std::path::Path| {
        p.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "api".to_string())
    };
    if specs.is_file() {
        return vec![(stem(specs), Source::File(specs.to_path_buf()))];
    }
    let entries = match std::fs::read_dir(specs) {
        Ok(e) => e,
        Err(e) => {
            diags.push(Diagnostic::error(
                Location::new(specs.display().to_string(), ""),
                format!("cannot read the specs folder: {e}"),
            ));
            return Vec::new();
        }
    };
    let mut folders = Vec::new();
    let mut has_loose_files = false;
    for path in entries.filter_map(Result::ok).map(|e| e.path()) {
        let Some(name) = path
            .file_name()
            .and_then(|n| n.to_str())
            .map(str::to_string)
        else {
            continue;
        };
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            folders.push((name, Source::Folder(path)));
        } else if load::is_spec_file(&path) {
            has_loose_files = true;
        }
    }
    folders.sort_by(|a, b| a.0.cmp(&b.0));
    if has_loose_files {
        let dir = std::fs::canonicalize(specs).unwrap_or_else(|_| specs.to_path_buf());
        return vec![(stem(&dir), Source::Folder(specs.to_path_buf()))];
    }
    if folders.is_empty() {
        diags.push(
            Diagnostic::error(
                Location::new(specs.display().to_string(), ""),
                "the specs folder holds no vendor folder and no spec file",
            )
            .with_help(
                "put each vendor's files in a folder of its own: specs/<vendor>/openapi.yaml",
            ),
        );
    }
    folders
}

/// `Cargo.toml` of a standalone crate: the generated crate's dependencies, one
/// feature per vendor (and per tag where asked), and an empty `[workspace]` so it
/// builds wherever it lands.
fn standalone_manifest(
    crate_name: &str,
    modules: &[String],
    tag_features: &BTreeMap<String, Vec<String>>,
) -> String {
    let deps = manifest_section(GENERATED_MANIFEST, "dependencies");
    let features: Vec<String> = modules
        .iter()
        .flat_map(|m| std::iter::once(m).chain(tag_features.get(m).into_iter().flatten()))
        .map(|f| format!("{f} = []"))
        .collect();
    let default: Vec<String> = modules.iter().map(|m| format!("\"{m}\"")).collect();
    format!(
        "# @generated by cargo xtask codegen — do not edit\n[package]\nname = \"{crate_name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n[features]\ndefault = [{}]\n{}\n\n[dependencies]\n{}\n[workspace]\n",
        default.join(", "),
        features.join("\n"),
        deps.trim_end()
    )
}

/// The body of one `[section]` of a TOML manifest, as text.
fn manifest_section(manifest: &str, section: &str) -> String {
    let header = format!("[{section}]");
    let mut out = String::new();
    let mut inside = false;
    for line in manifest.lines() {
        if line.trim_start().starts_with('[') {
            inside = line.trim() == header;
            continue;
        }
        if inside {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}
