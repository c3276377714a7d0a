//! Text → `#[doc]` attributes: the one place any text reaches a doc comment.
//!
//! Spec descriptions stay markdown ([`doc_attrs`], [`inner_doc_attrs`]). Outside
//! code, what rustdoc would misread is escaped: bare URLs become autolinks,
//! brackets that are not links are escaped (they would be taken as intra-doc
//! links), `<`/`>` become entities (they would be taken as HTML tags), `~` is
//! escaped. Every code fence is rewritten as a fence of the same character and
//! length tagged `text`, so nothing a spec writes is compiled as a doctest; no
//! prose line keeps four spaces of indentation or a list marker followed by
//! five (an indented code block is a doctest too). Spec names and values shown
//! in generated sentences go through [`code`] (an inline code span that holds
//! any text) or [`prose`]; the sentence itself through [`doc_line`].
//!
//! Characters that change how text reads without being seen (text-direction
//! controls, which rustc denies in comments, zero-width characters, control
//! characters) are replaced by their visible escape, `\u{202E}`, in every
//! path ([`visible`]). String literals need no such care: `quote` escapes them
//! (`"\u{202e}"`), which a test here pins.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "..."]` lines for a spec description; nothing for `None`.
pub fn doc_attrs(text: Option<&str>) -> TokenStream {
    Doc::of_spec(text).tokens()
}

/// `#![doc = "..."]` lines: a sentence the generator wrote (spec text in it
/// through [`code`] or [`prose`]), then a spec description.
pub fn inner_doc_attrs(head: &str, description: Option<&str>) -> TokenStream {
    let mut lines = authored_lines(head);
    if let Some(text) = description {
        lines.push(String::new());
        lines.extend(sanitize(text));
    }
    attrs(&Doc::values(lines), true)
}

/// `#[doc = "..."]` lines for a sentence the generator wrote, whose spec text
/// went through [`code`] or [`prose`]: only made [`visible`], not escaped, so its
/// own links and code spans stay.
pub fn doc_line(text: &str) -> TokenStream {
    Doc::of_line(text).tokens()
}

/// An outer doc comment, a line per `#[doc]` attribute, as [`doc_attrs`] and
/// [`doc_line`] make it; printed as tokens or, for code printed straight to
/// text, as prettyplease prints those tokens.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Doc(Vec<String>);

impl Doc {
    /// A spec description ([`doc_attrs`]); empty for `None`.
    pub fn of_spec(text: Option<&str>) -> Doc {
        Doc(text.map(|t| Doc::values(sanitize(t))).unwrap_or_default())
    }

    /// A sentence the generator wrote ([`doc_line`]).
    pub fn of_line(text: &str) -> Doc {
        Doc(Doc::values(authored_lines(text)))
    }

    /// This comment, then `more`.
    pub fn then(mut self, more: Doc) -> Doc {
        self.0.extend(more.0);
        self
    }

    /// Each line as its attribute holds it: after a space, unless empty.
    fn values(lines: Vec<String>) -> Vec<String> {
        lines
            .into_iter()
            .map(|line| {
                if line.is_empty() {
                    line
                } else {
                    format!(" {line}")
                }
            })
            .collect()
    }

    /// The `#[doc]` attributes.
    pub fn tokens(&self) -> TokenStream {
        attrs(&self.0, false)
    }

    /// The `///` lines prettyplease prints for [`tokens`](Self::tokens) at
    /// `indent`, appended to `out`: each value with its trailing spaces
    /// trimmed. `None` for a value it would print as an attribute or a block
    /// comment (one with a line break, or starting with `/`), which no doc
    /// made here holds.
    pub fn text(&self, indent: usize, out: &mut String) -> Option<()> {
        for value in &self.0 {
            if value.contains('\n') || value.starts_with('/') {
                return None;
            }
            out.extend(std::iter::repeat_n(' ', indent));
            out.push_str("///");
            out.push_str(value.trim_end_matches(' '));
            out.push('\n');
        }
        Some(())
    }
}

fn authored_lines(text: &str) -> Vec<String> {
    visible(&normalize_breaks(text))
        .split('\n')
        .map(|l| l.trim_end().to_string())
        .collect()
}

fn attrs(values: &[String], inner: bool) -> TokenStream {
    let attrs = values.iter().map(|value| {
        if inner {
            quote!(#![doc = #value])
        } else {
            quote!(#[doc = #value])
        }
    });
    quote!(#(#attrs)*)
}

/// Spec text (a name, a value, a path) as one inline code span, whatever it
/// holds: the span's backtick run is longer than any inside it, line breaks and
/// invisible characters are shown escaped.
pub fn code(text: &str) -> String {
    let text = visible(&normalize_breaks(text).replace('\n', "\\n"));
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let ticks = "`".repeat(longest + 1);
    // A span that starts or ends with a backtick (or is blank) needs a space
    // inside its delimiters, which markdown then strips.
    let pad = if text.starts_with('`') || text.ends_with('`') || text.trim().is_empty() {
        " "
    } else {
        ""
    };
    if text.is_empty() {
        return "` `".to_string();
    }
    format!("{ticks}{pad}{text}{pad}{ticks}")
}

/// Spec text (a title) as one line of escaped prose, to stand in a sentence.
pub fn prose(text: &str) -> String {
    let lines = sanitize_prose_only(text);
    lines
        .into_iter()
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every line as prose, fences included (a title is not a document).
fn sanitize_prose_only(text: &str) -> Vec<String> {
    visible(&normalize_breaks(text))
        .split('\n')
        .map(|raw| escape_line(&prose_start(raw.trim())))
        .collect()
}

/// `\r\n`, `\r` and the Unicode line and paragraph separators as `\n`.
fn normalize_breaks(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace(['\r', '\u{2028}', '\u{2029}'], "\n")
}

/// Whether a character changes how text reads or is not seen: controls other
/// than tab and line feed, text-direction controls (rustc denies these in
/// comments and literals), zero-width and other invisible format characters,
/// and tag characters.
pub fn is_invisible(c: char) -> bool {
    (c.is_control() && c != '\t' && c != '\n')
        || matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{061C}'
                | '\u{115F}'
                | '\u{1160}'
                | '\u{17B4}'
                | '\u{17B5}'
                | '\u{180B}'..='\u{180F}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{3164}'
                | '\u{FEFF}'
                | '\u{FFA0}'
                | '\u{FFF0}'..='\u{FFFB}'
                | '\u{1D173}'..='\u{1D17A}'
                | '\u{E0000}'..='\u{E0FFF}'
        )
}

/// The text with every [`is_invisible`] character written as its escape
/// (`\u{202E}`), so a reader sees it and rustc has nothing to deny.
pub fn visible(text: &str) -> String {
    if !text.chars().any(is_invisible) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_invisible(c) {
            out.push_str(&format!("\\u{{{:04X}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// A code fence opening or closing line: its character, its length, and
/// whether anything but spaces follows (an info string).
fn fence_of(line: &str) -> Option<(char, usize, bool)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &line[indent..];
    let ch = rest.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let len = rest.chars().take_while(|c| *c == ch).count();
    if len < 3 {
        return None;
    }
    let info = rest[len..].trim();
    // A backtick fence's info string holds no backtick (else it is inline code).
    if ch == '`' && info.contains('`') {
        return None;
    }
    Some((ch, len, !info.is_empty()))
}

/// The sanitized lines of a description.
pub fn sanitize(text: &str) -> Vec<String> {
    let text = visible(&normalize_breaks(text));
    let mut out = Vec::new();
    // The open fence: its character and length.
    let mut fence: Option<(char, usize)> = None;
    for raw in text.lines() {
        match fence {
            Some((ch, len)) => match fence_of(raw) {
                Some((c, n, false)) if c == ch && n >= len => {
                    out.push(ch.to_string().repeat(len));
                    fence = None;
                }
                // Code as written: it cannot close the fence, which has the
                // same character and length as the one it was written in.
                _ => out.push(raw.trim_end().to_string()),
            },
            None => match fence_of(raw) {
                Some((ch, len, _)) => {
                    // Spec text is shown, never compiled as a doctest, whatever its language.
                    out.push(format!("{}text", ch.to_string().repeat(len)));
                    fence = Some((ch, len));
                }
                None => out.push(escape_line(&prose_start(raw.trim_end()))),
            },
        }
    }
    if let Some((ch, len)) = fence {
        out.push(ch.to_string().repeat(len));
    }
    out
}

/// A prose line's start as markdown cannot read it as code: four spaces or a
/// tab of indentation are dropped (YAML block indentation produces them by
/// accident), and so are the spaces after list markers beyond one (`-     x`
/// starts an indented code block inside the item).
fn prose_start(line: &str) -> String {
    let indent = line.len() - line.trim_start().len();
    let line = if indent >= 4 || line[..indent].contains('\t') {
        line.trim_start()
    } else {
        line
    };
    let (lead, mut rest) = line.split_at(line.len() - line.trim_start().len());
    let mut out = lead.to_string();
    while let Some(marker) = list_marker(rest) {
        let after = &rest[marker..];
        let body = after.trim_start();
        if body.len() == after.len() {
            break;
        }
        out.push_str(&rest[..marker]);
        out.push(' ');
        rest = body;
    }
    out.push_str(rest);
    out
}

/// The length of a list marker (`-`, `*`, `+`, `1.`, `1)`) at the start.
fn list_marker(text: &str) -> Option<usize> {
    let first = text.chars().next()?;
    if matches!(first, '-' | '*' | '+') {
        return Some(1);
    }
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    (digits > 0 && digits <= 9 && matches!(text[digits..].chars().next(), Some('.' | ')')))
        .then_some(digits + 1)
}

/// Escapes one line of prose, leaving inline code spans alone. A span closes
/// with a backtick run of exactly its opening's length, as in CommonMark.
fn escape_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line;
    while let Some(start) = rest.find('`') {
        let ticks = run_len(&rest[start..]);
        out.push_str(&escape_prose(&rest[..start]));
        match closing_run(&rest[start + ticks..], ticks) {
            Some(end) => {
                let end = start + ticks + end + ticks;
                out.push_str(&rest[start..end]);
                rest = &rest[end..];
            }
            None => {
                // An unmatched run is literal text.
                out.push_str(&"\\`".repeat(ticks));
                rest = &rest[start + ticks..];
            }
        }
    }
    out.push_str(&escape_prose(rest));
    out
}

/// The number of backticks `text` starts with.
fn run_len(text: &str) -> usize {
    text.len() - text.trim_start_matches('`').len()
}

/// Where a backtick run of exactly `ticks` starts in `text`.
fn closing_run(text: &str, ticks: usize) -> Option<usize> {
    let mut at = 0;
    while let Some(found) = text[at..].find('`') {
        let start = at + found;
        let len = run_len(&text[start..]);
        if len == ticks {
            return Some(start);
        }
        at = start + len;
    }
    None
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
        } else if c == '~' {
            // `~~~` would open a code fence, `~~` strike through.
            out.push_str("\\~");
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

    /// Every code block of the markdown rustdoc would read, with its info string
    /// (`None`: an indented block), as pulldown-cmark (rustdoc's parser) finds them.
    fn code_blocks(lines: &[String]) -> Vec<Option<String>> {
        use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag};
        let text = lines.join("\n");
        let options = Options::ENABLE_TABLES
            | Options::ENABLE_FOOTNOTES
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_TASKLISTS;
        Parser::new_ext(&text, options)
            .filter_map(|event| match event {
                Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                    Some(Some(info.to_string()))
                }
                Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => Some(None),
                _ => None,
            })
            .collect()
    }

    /// Whether the sanitized text of `input` is safe: no code block rustdoc
    /// would compile, nothing rustc denies, nothing invisible.
    pub(crate) fn assert_safe(input: &str) {
        let lines = sanitize(input);
        for block in code_blocks(&lines) {
            assert_eq!(
                block.as_deref(),
                Some("text"),
                "a code block rustdoc would compile, from {input:?}:\n{}",
                lines.join("\n")
            );
        }
        for line in &lines {
            assert!(
                !line.contains('\n') && !line.chars().any(is_invisible),
                "{line:?}"
            );
        }
    }

    #[test]
    fn no_description_makes_a_doctest() {
        // The oracle sees what rustdoc would compile.
        let raw = |t: &str| t.lines().map(str::to_string).collect::<Vec<_>>();
        assert_eq!(code_blocks(&raw("```\nx\n```")), vec![Some(String::new())]);
        assert_eq!(code_blocks(&raw("-     x")), vec![None]);
        for input in [
            "```\n~~~\n```rust\nfn main() {}\n```\nlater prose",
            "      ```rust\nfn main() {}\n      ```",
            "    ~~~\nfn main() {}\n    ~~~",
            "1. ~~~\n   fn main() {}\n   ~~~",
            "-     fn main() {}",
            "- -      fn main() {}",
            "10)      fn main() {}",
            "> ```rust\n> fn main() {}\n> ```",
            ">     fn main() {}",
            "````\n```\nfn main() {}\n```\n````",
            "```` `x` ````\n    fn main() {}",
            "\tfn main() {}",
            "a\n\n\tfn main() {}",
            "``\u{202E}``` ``x`` ```",
            "*/ \"# ]] ` ``` ~~~",
            "<pre><code>fn main() {}</code></pre>",
            "```rust,ignore\nlet x;\n```",
            "text\r    indented\rmore",
            "line\u{2028}    fn main() {}",
        ] {
            assert_safe(input);
        }
    }

    #[test]
    fn invisible_characters_are_shown() {
        assert_eq!(sanitize("a\u{202E}b"), vec!["a\\\\u{202E}b"]);
        assert_eq!(sanitize("`a\u{200B}b`"), vec!["`a\\u{200B}b`"]);
        assert_eq!(sanitize("nul\u{0}"), vec!["nul\\\\u{0000}"]);
        assert_eq!(visible("tab\tok"), "tab\tok");
        for c in ['\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}'] {
            assert!(is_invisible(c));
        }
        for c in [
            '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}', '\u{200E}', '\u{200F}',
        ] {
            assert!(is_invisible(c));
        }
    }

    #[test]
    fn code_spans_hold_any_text() {
        assert_eq!(code("name"), "`name`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x"), "`` `x ``");
        assert_eq!(code(""), "` `");
        assert_eq!(code("a\nb"), "`a\\nb`");
        assert_eq!(code("\u{202E}"), "`\\u{202E}`");
        for text in ["``", "a```b", "` `", "*/", "\"#", "]]"] {
            let line = format!("x {} y", code(text));
            assert_eq!(sanitize(&line), vec![line.clone()], "{text:?}");
        }
    }

    #[test]
    fn string_literals_escape_text_direction_controls() {
        // rustc denies these in literals too; quote (proc-macro2) escapes them.
        for c in [
            '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}',
            '\u{2068}', '\u{2069}',
        ] {
            let text = format!("a{c}b");
            let printed = quote!(#text).to_string();
            assert!(!printed.contains(c), "{printed:?}");
            assert!(printed.contains("\\u{"), "{printed:?}");
        }
    }
}
