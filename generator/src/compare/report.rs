//! The change report in three forms: text for a terminal, Markdown for a
//! pull-request comment, JSON for tools.
//!
//! Changes come in three groups: breaking (your code, the wire, or both),
//! additive (new operations, types, optional fields...) and documentation
//! only. Each names its Rust item, its class, the old and new Rust types and
//! spec locations, and both verdicts with their reasons.

use std::collections::BTreeMap;

use super::{Change, Code, Side, Wire};

/// Changes of one vendor.
#[derive(Debug, Clone)]
pub struct VendorChanges {
    /// The vendor.
    pub vendor: String,
    /// Its changes, in [`super::compare`] order.
    pub changes: Vec<Change>,
}

/// How many changes of each class, by label.
pub fn counts(changes: &[Change]) -> BTreeMap<&'static str, usize> {
    let mut out = BTreeMap::new();
    for c in changes {
        *out.entry(c.kind.label()).or_insert(0) += 1;
    }
    out
}

/// A one-line summary: `12 changes: 3 break code, 2 break the wire, 6 additive, 1 documentation`.
pub fn summary(changes: &[Change]) -> String {
    let code = changes.iter().filter(|c| c.code.affected()).count();
    let wire = changes
        .iter()
        .filter(|c| matches!(c.wire, Wire::Breaks(_)))
        .count();
    let docs = changes.iter().filter(|c| c.is_docs()).count();
    let additive = changes
        .iter()
        .filter(|c| !c.is_breaking() && !c.is_docs())
        .count();
    format!(
        "{} change(s): {code} break code, {wire} break the wire, {additive} additive or harmless, {docs} documentation only",
        changes.len()
    )
}

fn groups(changes: &[Change]) -> [(&'static str, Vec<&Change>); 3] {
    let mut breaking = Vec::new();
    let mut additive = Vec::new();
    let mut docs = Vec::new();
    for c in changes {
        if c.is_breaking() {
            breaking.push(c);
        } else if c.is_docs() {
            docs.push(c);
        } else {
            additive.push(c);
        }
    }
    [
        ("Breaking", breaking),
        ("Additive or harmless", additive),
        ("Documentation only", docs),
    ]
}

fn code_text(c: &Code) -> String {
    match c {
        Code::Breaks(why) => format!("breaks: {why}"),
        Code::Silent(why) => format!("compiles, but means something else: {why}"),
        Code::Compatible => "compiles".into(),
    }
}

fn wire_text(w: &Wire) -> String {
    match w {
        Wire::Breaks(why) => format!("breaks: {why}"),
        Wire::Harmless(why) => format!("harmless: {why}"),
        Wire::None => "no change".into(),
    }
}

fn side_text(s: &Side) -> String {
    if s.ty.is_empty() {
        s.at.to_string()
    } else {
        format!("{} at {}", s.ty, s.at)
    }
}

fn tags(c: &Change) -> &'static str {
    match (c.code.affected(), matches!(c.wire, Wire::Breaks(_))) {
        (true, true) => "[code, wire]",
        (true, false) => "[code]",
        (false, true) => "[wire]",
        (false, false) => "",
    }
}

/// Readable terminal text.
pub fn text(vendors: &[VendorChanges]) -> String {
    let mut out = String::new();
    for v in vendors {
        out.push_str(&format!("{}: {}\n", v.vendor, summary(&v.changes)));
        for (title, list) in groups(&v.changes) {
            if list.is_empty() {
                continue;
            }
            out.push_str(&format!("  {title}:\n"));
            for c in list {
                let t = tags(c);
                out.push_str(&format!(
                    "    {}{}{} {}\n",
                    t,
                    if t.is_empty() { "" } else { " " },
                    c.kind.label(),
                    c.item
                ));
                if let Some(s) = &c.old {
                    out.push_str(&format!("        old:  {}\n", side_text(s)));
                }
                if let Some(s) = &c.new {
                    out.push_str(&format!("        new:  {}\n", side_text(s)));
                }
                if !c.is_docs() {
                    out.push_str(&format!("        code: {}\n", code_text(&c.code)));
                    out.push_str(&format!("        wire: {}\n", wire_text(&c.wire)));
                }
            }
        }
    }
    out
}

/// Markdown for a pull-request comment: a summary per vendor, then a table per group.
pub fn markdown(vendors: &[VendorChanges]) -> String {
    let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let mut out = String::from("## API changes\n");
    for v in vendors {
        out.push_str(&format!(
            "\n### `{}`\n\n{}\n",
            v.vendor,
            cell(&summary(&v.changes))
        ));
        for (title, list) in groups(&v.changes) {
            if list.is_empty() {
                continue;
            }
            out.push_str(&format!(
                "\n<details{}><summary>{title} ({})</summary>\n\n",
                if title == "Breaking" { " open" } else { "" },
                list.len()
            ));
            out.push_str("| Change | Item | Old | New | Your code | The wire |\n");
            out.push_str("|---|---|---|---|---|---|\n");
            for c in list {
                // Types and places as code: `Option<T>` would read as HTML.
                let s = |s: &Option<Side>| {
                    s.as_ref()
                        .map(|s| match s.ty.as_str() {
                            "" => format!("`{}`", s.at),
                            ty => format!("`{ty}` at `{}`", s.at),
                        })
                        .unwrap_or_default()
                };
                out.push_str(&format!(
                    "| {} | `{}` | {} | {} | {} | {} |\n",
                    c.kind.label(),
                    cell(&c.item),
                    cell(&s(&c.old)),
                    cell(&s(&c.new)),
                    cell(&code_text(&c.code)),
                    cell(&wire_text(&c.wire))
                ));
            }
            out.push_str("\n</details>\n");
        }
    }
    out
}

/// JSON for tools: `{"vendors": [{"vendor", "summary", "changes": [...]}]}`.
pub fn json(vendors: &[VendorChanges]) -> serde_json::Value {
    use serde_json::{Value, json};
    let side = |s: &Option<Side>| match s {
        None => Value::Null,
        Some(s) => json!({"file": s.at.file, "pointer": s.at.pointer, "rust": s.ty}),
    };
    let vendors: Vec<Value> = vendors
        .iter()
        .map(|v| {
            let changes: Vec<Value> = v
                .changes
                .iter()
                .map(|c| {
                    let (code, code_why) = match &c.code {
                        Code::Breaks(w) => ("breaks", Value::from(w.as_str())),
                        Code::Silent(w) => ("silent", Value::from(w.as_str())),
                        Code::Compatible => ("compatible", Value::Null),
                    };
                    let (wire, wire_why) = match &c.wire {
                        Wire::Breaks(w) => ("breaks", Value::from(w.as_str())),
                        Wire::Harmless(w) => ("harmless", Value::from(w.as_str())),
                        Wire::None => ("none", Value::Null),
                    };
                    json!({
                        "kind": c.kind.label(),
                        "item": c.item,
                        "old": side(&c.old),
                        "new": side(&c.new),
                        "code": code,
                        "code_reason": code_why,
                        "wire": wire,
                        "wire_reason": wire_why,
                    })
                })
                .collect();
            json!({"vendor": v.vendor, "summary": summary(&v.changes), "changes": changes})
        })
        .collect();
    json!({ "vendors": vendors })
}
