//! Diagnostics: every problem the generator finds, with where it is and what to do.
//!
//! A diagnostic names the file (relative to the specs folder), a JSON pointer into
//! that file, and, where a parser gave one, a line and column. Stages collect all
//! their diagnostics before stopping so one run shows every problem.

use std::fmt;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Generation went on; the output may differ from what the spec author meant.
    Warning,
    /// Generation cannot produce correct output.
    Error,
}

/// Where in the input a diagnostic points.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Location {
    /// File path relative to the specs folder, with `/` separators.
    pub file: String,
    /// JSON pointer into the file (`#/paths/~1pets/get`), empty for the whole file.
    pub pointer: String,
    /// 1-based line and column, when the parser reported one.
    pub line_col: Option<(usize, usize)>,
}

impl Location {
    /// A location at a JSON pointer in a file.
    pub fn new(file: impl Into<String>, pointer: impl Into<String>) -> Self {
        Location {
            file: file.into(),
            pointer: pointer.into(),
            line_col: None,
        }
    }

    /// The same file, one level deeper.
    pub fn join(&self, segment: &str) -> Self {
        Location {
            file: self.file.clone(),
            pointer: pointer_join(&self.pointer, segment),
            line_col: None,
        }
    }
}

/// Appends one reference token to a JSON pointer, escaping `~` and `/`.
pub fn pointer_join(pointer: &str, segment: &str) -> String {
    // Called for every place lowering visits: one allocation, no formatting.
    let mut out = String::with_capacity(pointer.len().max(1) + segment.len() + 2);
    out.push_str(if pointer.is_empty() { "#" } else { pointer });
    out.push('/');
    for c in segment.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    out
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some((line, col)) = self.line_col {
            write!(f, ":{line}:{col}")?;
        }
        if !self.pointer.is_empty() {
            write!(f, " {}", self.pointer)?;
        }
        Ok(())
    }
}

/// One problem found in the input.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Where.
    pub location: Location,
    /// What is wrong.
    pub message: String,
    /// What to change, when there is something to say.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error at a location.
    pub fn error(location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            location,
            message: message.into(),
            help: None,
        }
    }

    /// A warning at a location.
    pub fn warning(location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            location,
            message: message.into(),
            help: None,
        }
    }

    /// Adds a sentence on what to change.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{level}: {}\n  --> {}", self.message, self.location)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// A list of diagnostics, kept in the order found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Adds one.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// Adds all of another list.
    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The diagnostics, sorted so output does not depend on discovery order.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut all: Vec<&Diagnostic> = self.0.iter().collect();
        all.sort_by(|a, b| {
            (&a.location.file, &a.location.pointer, &a.message).cmp(&(
                &b.location.file,
                &b.location.pointer,
                &b.message,
            ))
        });
        all.dedup();
        all
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.sorted().into_iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

#[cfg(test)]
mod tests {
    use super::pointer_join;

    #[test]
    fn pointer_segments_are_escaped() {
        assert_eq!(pointer_join("", "paths"), "#/paths");
        assert_eq!(
            pointer_join("#/paths", "/pets/{id}"),
            "#/paths/~1pets~1{id}"
        );
        assert_eq!(pointer_join("#/a", "x~y/z"), "#/a/x~0y~1z");
        assert_eq!(pointer_join("#/a", "é"), "#/a/é");
        assert_eq!(pointer_join("#/a", ""), "#/a/");
    }
}
