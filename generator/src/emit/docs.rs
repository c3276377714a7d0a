//! Spec descriptions → `#[doc]` attributes that rustdoc renders without warnings.
//!
//! Markdown stays markdown. Outside code, what rustdoc would misread is escaped:
//! bare URLs become autolinks, brackets that are not links are escaped (they would
//! be taken as intra-doc links), `<`/`>` become entities (they would be taken as
//! HTML tags). Code fences without a language are tagged `text` so they are not
//! compiled as doctests.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "..."]` lines for a description; nothing for `None`.
pub fn doc_attrs(text: Option<&str>) -> TokenStream {
    let Some(text) = text else {
        return TokenStream::new();
    };
    let lines = sanitize(text);
    let attrs = lines.iter().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #line])
    });
    quote!(#(#attrs)*)
}

/// The sanitized lines of a description.
pub fn sanitize(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
    for raw in text.replace("\r\n", "\n").replace('\r', "\n").lines() {
        let trimmed = raw.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            let marker = &trimmed[..3];
            let lang = trimmed[3..].trim();
            if in_fence {
                out.push(raw.trim_end().to_string());
                in_fence = false;
            } else {
                in_fence = true;
                let indent = &raw[..raw.len() - trimmed.len()];
                // Spec text is shown, never compiled as a doctest, whatever its language.
                let _ = lang;
                out.push(format!("{indent}{marker}text"));
            }
            continue;
        }
        if in_fence {
            out.push(raw.trim_end().to_string());
        } else if raw.starts_with("    ") || raw.starts_with('\t') {
            // Four-space indented prose would be a code block, and so a doctest;
            // YAML block indentation produces it by accident.
            out.push(escape_line(raw.trim()));
        } else {
            out.push(escape_line(raw.trim_end()));
        }
    }
    if in_fence {
        out.push("```".to_string());
    }
    out
}

/// Escapes one line of prose, leaving inline code spans alone.
fn escape_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line;
    while !rest.is_empty() {
        if let Some(start) = rest.find('`') {
            let ticks = rest[start..].chars().take_while(|c| *c == '`').count();
            let fence = "`".repeat(ticks);
            if let Some(end) = rest[start + ticks..].find(&fence) {
                out.push_str(&escape_prose(&rest[..start]));
                let end = start + ticks + end + ticks;
                out.push_str(&rest[start..end]);
                rest = &rest[end..];
                continue;
            }
            // An unmatched backtick is literal text.
            out.push_str(&escape_prose(&rest[..start]));
            out.push_str("\\`");
            rest = &rest[start + 1..];
            continue;
        }
        out.push_str(&escape_prose(rest));
        break;
    }
    out
}

/// Escapes prose outside code: markdown links `[text](url)` are kept, other
/// brackets and angle brackets are escaped, bare URLs become `<url>`.
fn escape_prose(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '[' {
            if let Some(len) = markdown_link_len(&chars[i..]) {
                let link: String = chars[i..i + len].iter().collect();
                out.push_str(&link);
                i += len;
                continue;
            }
            out.push_str("\\[");
        } else if c == ']' {
            out.push_str("\\]");
        } else if c == '<' {
            out.push_str("&lt;");
        } else if c == '>' {
            out.push_str("&gt;");
        } else if (c == 'h') && starts_url(&chars[i..]) {
            let len = chars[i..]
                .iter()
                .take_while(|c| {
                    !c.is_whitespace() && !matches!(c, '<' | '>' | '"' | '`' | ')' | ']')
                })
                .count();
            let mut url: String = chars[i..i + len].iter().collect();
            // Trailing punctuation belongs to the sentence.
            let mut trailing = String::new();
            while url.ends_with(['.', ',', ';', ':', '!', '?', '\'']) {
                if let Some(c) = url.pop() {
                    trailing.insert(0, c);
                }
            }
            out.push('<');
            out.push_str(&url);
            out.push('>');
            out.push_str(&trailing);
            i += len;
            continue;
        } else if c == '\\' {
            out.push_str("\\\\");
        } else {
            out.push(c);
        }
        i += 1;
    }
    out
}

fn starts_url(chars: &[char]) -> bool {
    let s: String = chars.iter().take(8).collect();
    s.starts_with("http://") || s.starts_with("https://")
}

/// Length of a `[text](http...)` link at the start, if there is one.
fn markdown_link_len(chars: &[char]) -> Option<usize> {
    let close = chars.iter().position(|c| *c == ']')?;
    if chars[1..close].contains(&'[') || chars.get(close + 1) != Some(&'(') {
        return None;
    }
    let end = chars[close + 1..].iter().position(|c| *c == ')')? + close + 1;
    let target: String = chars[close + 2..end].iter().collect();
    (target.starts_with("http://") || target.starts_with("https://") || target.starts_with('#'))
        .then_some(end + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_rustdoc_misreads() {
        assert_eq!(
            sanitize("see https://x.io/a."),
            vec!["see <https://x.io/a>."]
        );
        assert_eq!(
            sanitize("an [array] of <T>"),
            vec!["an \\[array\\] of &lt;T&gt;"]
        );
        assert_eq!(
            sanitize("a [link](https://x.io) ok"),
            vec!["a [link](https://x.io) ok"]
        );
        assert_eq!(
            sanitize("`GET /v1.0/[x]` — code"),
            vec!["`GET /v1.0/[x]` — code"]
        );
        assert_eq!(
            sanitize("```\nlet x = 1;\n```"),
            vec!["```text", "let x = 1;", "```"]
        );
        assert_eq!(sanitize("```json\n{}\n```"), vec!["```text", "{}", "```"]);
        assert_eq!(
            sanitize("```\nunclosed"),
            vec!["```text", "unclosed", "```"]
        );
    }
}
