//! Extracting the OpenAPI document a documentation page embeds.
//!
//! Doc portals (Mintlify and others) publish one page per operation with the whole
//! OpenAPI document in a fenced block: a line of three or more backticks followed
//! by `yaml` (and, optionally, more words), up to a line of the same backticks.
//! The block's content is copied byte for byte.

use std::path::Path;

use anyhow::{Context, Result, bail};

/// The first fenced `yaml` or `json` block that holds an `openapi:` document.
pub fn extract(page: &str) -> Result<String> {
    let lines: Vec<&str> = page.split_inclusive('\n').collect();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim_end_matches(['\n', '\r']);
        let ticks = line.chars().take_while(|c| *c == '`').count();
        let info = line[ticks..].trim();
        let lang = info.split_whitespace().next().unwrap_or("");
        if ticks >= 3 && (lang == "yaml" || lang == "yml" || lang == "json") {
            let fence = "`".repeat(ticks);
            let start = i + 1;
            let end = (start..lines.len())
                .find(|j| lines[*j].trim_end_matches(['\n', '\r']) == fence)
                .with_context(|| format!("the fence opened on line {} is never closed", i + 1))?;
            let body: String = lines[start..end].concat();
            let first = body.trim_start();
            if first.starts_with("openapi:")
                || first.starts_with('{') && first.contains("\"openapi\"")
            {
                return Ok(body);
            }
            i = end + 1;
            continue;
        }
        i += 1;
    }
    bail!("the page has no fenced yaml or json block holding an OpenAPI document")
}

/// Extracts from `page` into `out`.
pub fn extract_to_file(page: &Path, out: &Path) -> Result<()> {
    let text =
        std::fs::read_to_string(page).with_context(|| format!("reading {}", page.display()))?;
    let body = extract(&text).with_context(|| format!("in {}", page.display()))?;
    if let Some(parent) = out.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(out, body).with_context(|| format!("writing {}", out.display()))?;
    eprintln!("extracted {} → {}", page.display(), out.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_the_fenced_openapi_block_verbatim() {
        let page = "# Title\n\n```json\n{\"not\": 1}\n```\n\n````yaml /api.json post /x\nopenapi: 3.0.3\ninfo:\n  title: t\n````\ntrailer\n";
        assert_eq!(
            extract(page).unwrap(),
            "openapi: 3.0.3\ninfo:\n  title: t\n"
        );
    }

    #[test]
    fn unclosed_fence_is_an_error() {
        let err = extract("````yaml\nopenapi: 3.0.3\n").unwrap_err();
        assert!(err.to_string().contains("never closed"), "{err}");
    }
}
