//! Printing generated code straight to text, in the layout prettyplease gives
//! the same code's tokens: its margin, and where it breaks a list, a call, a
//! method chain, a struct expression, a function's parameters.
//!
//! Only the shapes the emitters print this way are modelled (`object.rs`,
//! `declaration.rs`); a line whose layout would depend on anything else (it is
//! too long to stay on one line and is not a list) is refused, and the emitter
//! falls back to its tokens. Each emitter's tests hold its text equal to
//! prettyplease's output of its tokens.

use proc_macro2::{Spacing, TokenStream, TokenTree};

use crate::emit::docs::Doc;

/// Code printed two ways: its tokens are the definition, its text what
/// prettyplease prints for them, or `None` where that layout is not modelled.
pub trait Printable {
    fn tokens(&self) -> TokenStream;
    fn text(&self) -> Option<String>;
}

/// A piece of a file's code: tokens, or code that can also print itself
/// straight to text.
pub enum Piece {
    /// Items to format.
    Tokens(TokenStream),
    /// Items with a text form.
    Code(Box<dyn Printable>),
}

impl Piece {
    /// The piece as tokens only.
    pub fn into_tokens(self) -> TokenStream {
        match self {
            Piece::Tokens(tokens) => tokens,
            Piece::Code(code) => code.tokens(),
        }
    }
}

/// The pieces, in order, as prettyplease prints them: each piece's text where
/// it has one, the tokens between formatted together.
pub fn print_pieces(pieces: Vec<Piece>) -> Result<String, String> {
    let mut text = String::new();
    let mut pending = TokenStream::new();
    for piece in pieces {
        match piece {
            Piece::Code(code) => match code.text() {
                Some(printed) => {
                    if !pending.is_empty() {
                        text.push_str(&super::format_items(std::mem::take(&mut pending))?);
                    }
                    text.push_str(&printed);
                }
                None => pending.extend(code.tokens()),
            },
            Piece::Tokens(tokens) => pending.extend(tokens),
        }
    }
    if !pending.is_empty() {
        text.push_str(&super::format_items(pending)?);
    }
    Ok(text)
}

/// A type's or a plain value's tokens (`Option<Vec<super::types::Pet>>`,
/// `&str`, `impl Into<String>`, `super::types::Kind::Cat`, `"text"`, `-1.5`)
/// as prettyplease prints them on one line; `None` for tokens outside that
/// small grammar (a tuple, an array, a call).
pub fn flat_text(tokens: &TokenStream) -> Option<String> {
    type_item(tokens).map(|item| item.flat())
}

/// A type's tokens as an [`Item`]: each list of generic arguments is a list
/// prettyplease breaks, one argument per line, when the line is too long.
/// `None` for tokens outside [`flat_text`]'s grammar.
pub fn type_item(tokens: &TokenStream) -> Option<Item> {
    let tokens: Vec<TokenTree> = tokens.clone().into_iter().collect();
    let mut at = 0;
    let item = type_at(&tokens, &mut at)?;
    (at == tokens.len()).then_some(item)
}

/// The type starting at `tokens[*at]`, up to the `,` or `>` that ends it.
fn type_at(tokens: &[TokenTree], at: &mut usize) -> Option<Item> {
    let mut head = String::new();
    // Whether the last token was a word, which a following word is spaced from.
    let mut word = false;
    let mut joint = false;
    while let Some(token) = tokens.get(*at) {
        match token {
            TokenTree::Ident(_) | TokenTree::Literal(_) => {
                if word {
                    head.push(' ');
                }
                head.push_str(&token.to_string());
                word = true;
                joint = false;
            }
            TokenTree::Punct(punct) => match punct.as_char() {
                ',' | '>' => break,
                '<' => {
                    head.push('<');
                    *at += 1;
                    let mut items = Vec::new();
                    loop {
                        items.push(type_at(tokens, at)?);
                        let end = tokens.get(*at)?;
                        *at += 1;
                        match end {
                            TokenTree::Punct(p) if p.as_char() == ',' => {}
                            TokenTree::Punct(p) if p.as_char() == '>' => break,
                            _ => return None,
                        }
                    }
                    // Nothing of this type follows its arguments.
                    return match tokens.get(*at) {
                        None => Some(Item::call(head, items, ">")),
                        Some(TokenTree::Punct(p)) if matches!(p.as_char(), ',' | '>') => {
                            Some(Item::call(head, items, ">"))
                        }
                        Some(_) => None,
                    };
                }
                // `::` is two joint colons; a lone one is not a type's. A
                // path from the root is spaced from a keyword before it.
                ':' if joint || punct.spacing() == Spacing::Joint => {
                    if !joint && matches!(head.rsplit(' ').next(), Some("impl" | "dyn")) {
                        head.push(' ');
                    }
                    head.push(':');
                    word = false;
                    joint = punct.spacing() == Spacing::Joint;
                }
                c @ ('&' | '\'' | '-') => {
                    head.push(c);
                    word = false;
                    joint = punct.spacing() == Spacing::Joint;
                }
                _ => return None,
            },
            TokenTree::Group(_) => return None,
        }
        *at += 1;
    }
    Some(Item::Word(head))
}

/// prettyplease's line width: a group that fits in it is printed on one line.
pub const MARGIN: usize = 89;

/// prettyplease prints a struct expression on one line only up to this width
/// (from its path to the space before its closing brace).
pub const STRUCT_MAX_WIDTH: usize = 34;

/// A piece of an expression: text that never breaks, or a bracketed,
/// comma-separated list (`&[a, b]`, `f(a, b)`, `(a, b)`) whose `open` holds
/// what precedes the bracket on its line.
#[derive(Debug, Clone)]
pub enum Item {
    Text(String),
    /// Text prettyplease has no place to break (a path): printed whole even
    /// where it overflows the margin.
    Word(String),
    /// A method call on a receiver, broken before its dot.
    Chain(String, &'static str),
    List {
        open: String,
        items: Vec<Item>,
        close: String,
    },
}

impl Item {
    pub fn text(text: String) -> Item {
        Item::Text(text)
    }

    pub fn call(open: String, items: Vec<Item>, close: &str) -> Item {
        Item::List {
            open,
            items,
            close: close.to_string(),
        }
    }

    /// This item after `prefix` on its first line.
    pub fn after(self, prefix: &str) -> Item {
        match self {
            Item::Text(text) => Item::Text(format!("{prefix}{text}")),
            Item::Word(text) => Item::Word(format!("{prefix}{text}")),
            Item::Chain(receiver, call) => Item::Chain(format!("{prefix}{receiver}"), call),
            Item::List { open, items, close } => Item::List {
                open: format!("{prefix}{open}"),
                items,
                close,
            },
        }
    }

    /// The item on one line.
    pub fn flat(&self) -> String {
        let mut out = String::with_capacity(self.width());
        self.write_flat(&mut out);
        out
    }

    /// The length of [`flat`](Self::flat), in bytes as prettyplease counts.
    pub fn width(&self) -> usize {
        match self {
            Item::Text(t) | Item::Word(t) => t.len(),
            Item::Chain(receiver, call) => receiver.len() + call.len(),
            Item::List { open, items, close } => {
                let inner: usize = items.iter().map(Item::width).sum();
                open.len() + inner + 2 * items.len().saturating_sub(1) + close.len()
            }
        }
    }

    /// Appends [`flat`](Self::flat) to `out`.
    fn write_flat(&self, out: &mut String) {
        match self {
            Item::Text(t) | Item::Word(t) => out.push_str(t),
            Item::Chain(receiver, call) => {
                out.push_str(receiver);
                out.push_str(call);
            }
            Item::List { open, items, close } => {
                out.push_str(open);
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    item.write_flat(out);
                }
                out.push_str(close);
            }
        }
    }
}

/// Text being laid out line by line, as prettyplease breaks it: a list that
/// fits on the rest of its line stays there, else each item goes on a line
/// of its own, one level in, with a trailing comma.
#[derive(Default)]
pub struct Layout {
    pub text: String,
    /// The line it could not lay out.
    pub refused: Option<String>,
}

impl Layout {
    pub fn line(&mut self, indent: usize, text: &str) {
        self.text.extend(std::iter::repeat_n(' ', indent));
        self.text.push_str(text);
        self.text.push('\n');
    }

    /// A line that prettyplease prints as it is: `None` if it is too long to
    /// know where it would break it.
    pub fn fitting_line(&mut self, indent: usize, text: &str) -> Option<()> {
        if indent + text.len() <= MARGIN {
            self.line(indent, text);
            return Some(());
        }
        self.refused = Some(text.to_string());
        None
    }

    /// A doc comment at `indent` ([`Doc::text`]).
    pub fn doc(&mut self, indent: usize, doc: &Doc) -> Option<()> {
        let printed = doc.text(indent, &mut self.text);
        if printed.is_none() {
            self.refused = Some(format!("{doc:?}"));
        }
        printed
    }

    /// A function's signature: `head` (up to its open parenthesis), its
    /// parameters and `tail` (from the close parenthesis to the open brace), on
    /// one line when the whole fits, else a parameter per line with a trailing
    /// comma.
    pub fn signature(
        &mut self,
        indent: usize,
        head: &str,
        params: Vec<Item>,
        tail: &str,
    ) -> Option<()> {
        let list = Item::call(head.to_string(), params, tail);
        match &list {
            Item::List { items, close, .. } if !items.is_empty() => {
                if indent + close.len() > MARGIN {
                    self.refused = Some(close.clone());
                    return None;
                }
                self.item(indent, &list, "", false)
            }
            _ => self.fitting_line(indent, &list.flat()),
        }
    }

    /// `<path>::<ty>(<args>);` as a statement at `indent` (`head` holds the
    /// path and `::<`). prettyplease measures the generic arguments up to the
    /// end of the statement, so they break, one per line, whenever the whole
    /// call does not fit; the arguments then break if `>(<args>);` does not.
    pub fn turbofish_call(
        &mut self,
        indent: usize,
        head: &str,
        ty: Item,
        args: Vec<Item>,
    ) -> Option<()> {
        let call = Item::call(">(".to_string(), args, ")");
        let one = format!("{head}{}{};", ty.flat(), call.flat());
        if indent + one.len() <= MARGIN {
            self.line(indent, &one);
            return Some(());
        }
        self.fitting_line(indent, head)?;
        self.item(indent + 4, &ty, ",", false)?;
        self.item(indent, &call, ";", true)
    }

    /// `impl<generics> <trait> for <name> {`, with `for` on a line of its own
    /// when the whole does not fit.
    pub fn impl_header(&mut self, generics: &str, trait_: &str, name: &str) {
        let head = format!("impl{generics} {trait_}");
        let one = format!("{head} for {name} {{");
        if one.len() <= MARGIN {
            self.line(0, &one);
        } else {
            self.line(0, &head);
            self.line(0, &format!("for {name} {{"));
        }
    }

    /// `item` and then `suffix` starting a line at `indent`. `suffix` takes
    /// room on the line when `counted` (a comma between items), not when it is
    /// the trailing comma prettyplease adds to a broken list.
    pub fn item(&mut self, indent: usize, item: &Item, suffix: &str, counted: bool) -> Option<()> {
        let width = indent + item.width() + if counted { suffix.len() } else { 0 };
        match item {
            Item::List { open, items, close } if !items.is_empty() && width > MARGIN => {
                self.fitting_line(indent, open)?;
                self.items(indent + 4, items)?;
                self.fitting_line(indent, &format!("{close}{suffix}"))
            }
            Item::Chain(receiver, call) if width > MARGIN => {
                self.fitting_line(indent, receiver)?;
                self.fitting_line(indent + 4, &format!("{call}{suffix}"))
            }
            Item::Text(_) | Item::List { .. } | Item::Chain(..) if width > MARGIN => {
                self.refused = Some(item.flat());
                None
            }
            _ => {
                self.text.extend(std::iter::repeat_n(' ', indent));
                item.write_flat(&mut self.text);
                self.text.push_str(suffix);
                self.text.push('\n');
                Some(())
            }
        }
    }

    /// The items of a broken list, a line each with a comma.
    pub fn items(&mut self, indent: usize, items: &[Item]) -> Option<()> {
        for (i, item) in items.iter().enumerate() {
            self.item(indent, item, ",", i + 1 < items.len())?;
        }
        Some(())
    }

    /// `object.read_fields(<args>)?;`: on one line if it fits, else broken
    /// before the dot and one argument per line.
    pub fn read_fields(&mut self, args: Vec<Item>) -> Option<()> {
        let call = Item::call(".read_fields(".into(), args, ")");
        let one = format!("object{}?;", call.flat());
        if 8 + one.len() <= MARGIN {
            self.line(8, &one);
            return Some(());
        }
        self.line(8, "object");
        let Item::List { open, items, .. } = &call else {
            return None;
        };
        self.line(12, open);
        self.items(16, items)?;
        self.line(12, ")?;");
        Some(())
    }

    /// The head of `let pattern = value else {` at `indent`, as prettyplease
    /// breaks it: on one line if it fits, else `else {` on a line of its own
    /// when `let pattern = value` fits; else the value's list broken when
    /// `let pattern =` fits; else the pattern's list broken, then the value
    /// after its close in the same way.
    pub fn let_else(&mut self, indent: usize, pattern: &Item, value: &Item) -> Option<()> {
        let (pattern_flat, value_flat) = (pattern.flat(), value.flat());
        let binding = format!("let {pattern_flat} = {value_flat}");
        if self.else_after(indent, &binding) {
            return Some(());
        }
        let (
            Item::List {
                open: p_open,
                items: p_items,
                close: p_close,
            },
            Item::List {
                open: v_open,
                items: v_items,
                close: v_close,
            },
        ) = (pattern, value)
        else {
            self.refused = Some(binding);
            return None;
        };
        // The pattern stays whole when it fits up to its `=`.
        let head = format!("let {pattern_flat} =");
        if indent + head.len() < MARGIN {
            self.line(indent, &format!("{head} {v_open}"));
        } else {
            self.fitting_line(indent, &format!("let {p_open}"))?;
            self.items(indent + 4, p_items)?;
            if self.else_after(indent, &format!("{p_close} = {value_flat}")) {
                return Some(());
            }
            self.fitting_line(indent, &format!("{p_close} = {v_open}"))?;
        }
        self.items(indent + 4, v_items)?;
        self.fitting_line(indent, &format!("{v_close} else {{"))
    }

    /// `text else {` on one line, or `else {` on the next, when `text` fits;
    /// `false` (nothing printed) when it does not. prettyplease measures the
    /// one line up to `else`, short of the margin: the brace may overhang.
    fn else_after(&mut self, indent: usize, text: &str) -> bool {
        if indent + text.len() + " else".len() < MARGIN {
            self.line(indent, &format!("{text} else {{"));
        } else if indent + text.len() <= MARGIN {
            self.line(indent, text);
            self.line(indent, "else {");
        } else {
            return false;
        }
        true
    }

    /// `Ok(Self { a: x, b: y })` at `indent`: on one line if it fits and the
    /// struct expression is short (prettyplease breaks one wider than
    /// [`STRUCT_MAX_WIDTH`] whatever room is left), else one field per line.
    pub fn struct_literal(&mut self, indent: usize, fields: &[Item]) -> Option<()> {
        let flat: Vec<String> = fields.iter().map(Item::flat).collect();
        let literal = format!("Self {{ {} }}", flat.join(", "));
        let one = format!("Ok({literal})");
        if literal.len() - 1 <= STRUCT_MAX_WIDTH && indent + one.len() <= MARGIN {
            self.line(indent, &one);
            return Some(());
        }
        self.line(indent, "Ok(Self {");
        self.items(indent + 4, fields)?;
        self.line(indent, "})");
        Some(())
    }
}

#[cfg(test)]
use crate::emit::ident;
#[cfg(test)]
use quote::quote;

/// A small deterministic generator for the text forms' tests (no dependency
/// needed for a test).
#[cfg(test)]
pub struct Rng(pub u64);

#[cfg(test)]
impl Rng {
    pub fn next(&mut self, below: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % below as u64) as usize
    }

    /// A snake-case identifier of 1 to `max` characters, not a keyword.
    pub fn ident(&mut self, max: usize) -> String {
        let len = 1 + self.next(max);
        let mut name: String = (0..len)
            .map(|i| {
                if i % 7 == 6 {
                    '_'
                } else {
                    (b'a' + self.next(26) as u8) as char
                }
            })
            .collect();
        if name.ends_with('_') {
            name.push('x');
        }
        if syn::parse_str::<syn::Ident>(&name).is_err() {
            name.insert(0, 'q');
        }
        name
    }

    /// A type name of 1 to `max` characters.
    pub fn type_name(&mut self, max: usize) -> String {
        let mut name = self.ident(max).replace('_', "");
        name[..1].make_ascii_uppercase();
        name
    }

    /// A type as `type_tokens` and `field_type` spell them, nested up to
    /// `depth` levels.
    pub fn ty(&mut self, max: usize, depth: usize) -> TokenStream {
        let leaf = depth == 0 || self.next(3) == 0;
        if leaf {
            return match self.next(7) {
                0 => quote!(String),
                6 => quote!(::std::string::String),
                1 => quote!(i64),
                2 => quote!(::serde_json::Value),
                3 => quote!(crate::runtime::DateTime),
                _ => {
                    let name = ident(&self.type_name(max));
                    quote!(super::types::#name)
                }
            };
        }
        let inner = self.ty(max, depth - 1);
        match self.next(6) {
            5 => quote!(::std::option::Option<#inner>),
            0 => quote!(Vec<#inner>),
            1 => quote!(Option<#inner>),
            2 => quote!(crate::runtime::Nullable<#inner>),
            3 => quote!(Box<#inner>),
            _ => quote!(::std::collections::BTreeMap<String, #inner>),
        }
    }
}
