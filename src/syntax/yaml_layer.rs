//! Rasa 2.8/3.6's YAML layer for training-data files (spec rasa-yaml §2): what its
//! `read_yaml` does to a file before the NLU and stories readers see it, and where it
//! refuses or crashes where a plain YAML 1.2 parser would read on.
//!
//! Rasa reads each file twice: a schema pass (ruamel's round-trip loader, pure-Python
//! scanner) and a loading pass (ruamel's safe loader on libyaml). In order:
//!
//! 1. a file of ASCII characters only has its `\u` escapes decoded first
//!    ([`super::yaml_escapes`]); a broken escape crashes Rasa;
//! 2. the schema pass refuses every TAB outside quoted texts, block scalars and comments
//!    (libyaml, and serde-saphyr, accept many), and under a `%YAML 1.1` directive resolves
//!    plain scalars as YAML 1.1 (`yes` is a boolean there); it sees an unquoted `${…}` as a
//!    tagged value, not a string ([`super::yaml_env`]);
//! 3. the loading pass refuses what libyaml's older scanner refuses (`?` and `:` without a
//!    space inside an unquoted text in `[…]`/`{…}`, a block scalar whose first line starts
//!    with a TAB) and expands `${…}` from the environment, stopping at unset variables.
//!
//! The checks run on the decoded text; the tree and every finding are then given the
//! source's byte spans back, so readers and rules never see the decoded text.

use crate::source::{FileId, Span};
use crate::syntax::problem::{Problem, ProblemKind};
use crate::syntax::yaml_env::{self, Environment};
use crate::syntax::yaml_escapes::{BadEscape, Decoded, predecode};
use crate::syntax::yaml_scalar::{Style, style};
use crate::yaml::{Node, Value, YamlError, parse};

/// What Rasa's YAML layer makes of a training-data file.
#[derive(Debug, Default)]
pub struct Layered {
    /// The tree Rasa's loading pass builds (environment variables expanded), spans in the
    /// source; `None` when the text cannot be parsed.
    pub root: Option<Node>,
    /// The tree Rasa's schema pass checks, when it differs from [`Layered::root`]: under
    /// `%YAML 1.1` scalars as YAML 1.1 resolves them, and `${…}` not expanded.
    pub schema_root: Option<Node>,
    /// Refusals and rewrites of the file itself, spans in the source.
    pub problems: Vec<Problem>,
    /// Problems of expanding environment variables, at their scalars: the caller drops
    /// those at a scalar the schema refuses first.
    pub env_problems: Vec<Problem>,
    /// Python's exception when Rasa crashes before parsing (the pre-decoding).
    pub crash: Option<String>,
    /// Rasa's first error before the schema pass: the crash, or a syntax error.
    pub early_error: Option<String>,
    /// Rasa's first error of the loading pass, which comes after the schema's.
    pub late_error: Option<String>,
    /// The `%YAML 1.1` directive that makes the schema pass read YAML 1.1, if there is one.
    pub yaml_1_1: Option<Yaml11>,
}

/// A `%YAML 1.1` directive and what it changes for the schema pass.
#[derive(Debug)]
pub struct Yaml11 {
    pub directive: Span,
    /// The scalars YAML 1.1 reads as another type than YAML 1.2 (`yes` a boolean).
    pub changed: Vec<Span>,
}

/// Reads `text` through Rasa's YAML layer; `consequence` is the help of refusals.
pub fn read(file: FileId, text: &str, env: &Environment, consequence: &str) -> Layered {
    let mut out = Layered::default();
    let decoded = match predecode(text) {
        Ok(decoded) => decoded,
        Err(bad) => {
            // Rasa stops here; the text is read as written for the rest of the checks.
            let crash = bad.rasa_error();
            out.early_error = Some(crash.clone());
            out.crash = Some(crash);
            out.problems.push(bad_escape_problem(file, text, &bad));
            None
        }
    };
    let parsed = decoded.as_ref().map_or(text, |d| d.text.as_str());
    let root = match parse(parsed) {
        Ok(root) => root,
        Err(error) => {
            let problem = syntax_problem(file, text, decoded.as_ref(), &error, consequence);
            out.early_error
                .get_or_insert_with(|| format!("YamlSyntaxException: {}", error.message));
            out.problems.push(problem);
            return out;
        }
    };
    let mut cx = Cx {
        file,
        text: parsed,
        env,
        consequence,
        out,
    };
    cx.refused_tabs(&root);
    cx.libyaml_refusals(&root);
    let yaml_1_1 = yaml_1_1_directive(parsed).map(|directive| {
        let (view, changed) = yaml_1_1_view(parsed, &root);
        cx.out.yaml_1_1 = Some(Yaml11 { directive, changed });
        view
    });
    let mut root = root;
    let unexpanded = cx.expand_env(&mut root);
    if let Some(decoded) = &decoded {
        cx.decoded_escapes(decoded, &root);
    }
    let mut out = cx.out;
    out.schema_root = yaml_1_1.or(unexpanded);
    if let Some(decoded) = &decoded {
        to_source(&mut root, decoded);
        if let Some(schema_root) = &mut out.schema_root {
            to_source(schema_root, decoded);
        }
        if let Some(yaml_1_1) = &mut out.yaml_1_1 {
            yaml_1_1.directive = decoded.source_span(&yaml_1_1.directive);
            for span in &mut yaml_1_1.changed {
                *span = decoded.source_span(span);
            }
        }
        for problem in out.problems.iter_mut().chain(&mut out.env_problems) {
            problem.span = decoded.source_span(&problem.span);
            for related in &mut problem.related {
                related.span = decoded.source_span(&related.span);
            }
        }
    }
    out.root = Some(root);
    out
}

/// Gives every span of `node` (decoded offsets) its source bytes back. Recursion depth
/// is bounded by the parser's nesting budget.
fn to_source(node: &mut Node, decoded: &Decoded) {
    node.span = decoded.source_span(&node.span);
    match &mut node.value {
        Value::Seq(items) => items.iter_mut().for_each(|n| to_source(n, decoded)),
        Value::Map(entries) => entries.iter_mut().for_each(|(k, v)| {
            to_source(k, decoded);
            to_source(v, decoded);
        }),
        _ => {}
    }
}

/// The finding for an escape Rasa's pre-decoding crashes on.
fn bad_escape_problem(file: FileId, text: &str, bad: &BadEscape) -> Problem {
    let written = text.get(bad.span.clone()).unwrap_or("\\u");
    Problem::new(
        ProblemKind::YamlSyntax,
        file,
        bad.span.clone(),
        format!(
            "`{written}` {}: in a file of ASCII characters only, Rasa decodes every `\\u` escape before reading the YAML, and crashes at this one ({})",
            bad.what(),
            bad.rasa_error()
        ),
    )
    .with_help("double the backslash (`\\\\u`) to keep it as written, or write the character itself; Rasa's traceback names no file, so training and `rasa data validate` stop without saying where")
}

/// A syntax error of the text Rasa parses, at its place in the source; when the
/// pre-decoding made it (`\u0022` became a quote), said so, with the escape nearest
/// before the error as related location.
fn syntax_problem(
    file: FileId,
    text: &str,
    decoded: Option<&Decoded>,
    error: &YamlError,
    consequence: &str,
) -> Problem {
    let made_by_decoding = decoded.filter(|_| parse(text).is_ok());
    let Some(decoded) = made_by_decoding else {
        let span = decoded.map_or(error.span.clone(), |d| d.source_span(&error.span));
        return crate::syntax::yaml::syntax_problem(file, span, error, "this file", consequence);
    };
    let span = decoded.source_span(&error.span);
    let culprit = decoded
        .replaced
        .iter()
        .rev()
        .find(|r| r.source.start <= span.start)
        .or(decoded.replaced.first());
    let mut problem = Problem::new(
        ProblemKind::YamlSyntax,
        file,
        span,
        format!(
            "this file is not valid YAML once Rasa has decoded its `\\u` escapes (it does in a file of ASCII characters only): {}",
            error.message
        ),
    )
    .with_help(format!("write a quote or backslash inside double quotes as `\\\"` or `\\\\`, not as a `\\u` escape; {consequence}"));
    if let Some(culprit) = culprit {
        problem = problem.with_related(
            file,
            culprit.source.clone(),
            format!("Rasa reads this as `{}`", shown(culprit.character)),
        );
    }
    problem
}

/// The checks' shared state; spans are in the decoded text until [`read`] maps them.
struct Cx<'t> {
    file: FileId,
    /// The text parsed (decoded when Rasa decodes it).
    text: &'t str,
    env: &'t Environment,
    consequence: &'t str,
    out: Layered,
}

/// What Rasa does with a file its loading pass refuses, as the findings' help.
const LOAD_REFUSED: &str =
    "Rasa stops loading the training data at this file, so training and `rasa data validate` fail";

/// A character as a message shows it: control characters escaped.
fn shown(c: char) -> String {
    if c.is_control() {
        c.escape_debug().to_string()
    } else {
        c.to_string()
    }
}

impl Cx<'_> {
    /// A refusal of the schema pass (`early`) or of the loading pass.
    fn refuse(&mut self, span: Span, message: String, help: &str, early: bool) {
        let consequence = if early {
            self.consequence
        } else {
            LOAD_REFUSED
        };
        let help = format!("{help}; {consequence}");
        self.out
            .problems
            .push(Problem::new(ProblemKind::YamlSyntax, self.file, span, message).with_help(help));
    }

    /// Every TAB the schema pass's pure-Python scanner refuses: outside quoted texts,
    /// block scalar content and comments.
    fn refused_tabs(&mut self, root: &Node) {
        if !self.text.contains('\t') {
            return;
        }
        let allowed = tab_allowed(self.text, root);
        let mut runs: Vec<Span> = Vec::new();
        for (at, _) in self.text.match_indices('\t') {
            if allowed.iter().any(|r| r.contains(&at)) {
                continue;
            }
            match runs.last_mut() {
                Some(run) if run.end == at => run.end = at + 1,
                _ => runs.push(at..at + 1),
            }
        }
        for run in runs {
            self.out.early_error.get_or_insert_with(|| {
                "YamlSyntaxException: found character '\\t' that cannot start any token".into()
            });
            self.refuse(
                run,
                "a TAB here makes Rasa refuse the file: its first reading (ruamel's pure-Python scanner) accepts TABs only inside quoted texts, block scalars and comments".into(),
                "replace it by spaces, or remove it",
                true,
            );
        }
    }

    /// What the loading pass's libyaml refuses although the schema pass read it.
    fn libyaml_refusals(&mut self, root: &Node) {
        let mut found = Vec::new();
        let tabs = memchr::memchr(b'\t', self.text.as_bytes()).is_some();
        libyaml_walk(self.text, root, (false, tabs), &mut found);
        for (span, refusal) in found {
            let (message, help, error) = match refusal {
                Libyaml::QuestionMark => (
                    "Rasa's second reading of the file (libyaml) ends an unquoted text at `?` inside `[…]` or `{…}`, and then stops",
                    "quote the text, as in `[{text: \"where?\"}]`",
                    "ParserError: while parsing a flow collection did not find expected ',' or ']'",
                ),
                Libyaml::Colon => (
                    "Rasa's second reading of the file (libyaml) stops at a `:` not followed by a space in an unquoted text inside `[…]` or `{…}`",
                    "quote the text, as in `[\"http://example.com\"]`",
                    "ScannerError: while scanning a plain scalar found unexpected ':'",
                ),
                Libyaml::BlockTab => (
                    "Rasa's second reading of the file (libyaml) stops at a TAB that starts the first line of a block scalar",
                    "indent the line with spaces only, or give the indentation after the indicator (`|2`)",
                    "ScannerError: while scanning a block scalar found a tab character where an indentation space is expected",
                ),
            };
            self.out.late_error.get_or_insert_with(|| error.into());
            let message = format!("{message} (a traceback, not a YamlSyntaxException)");
            self.refuse(span, message, help, false);
        }
    }

    /// Expands the environment variables of plain scalars as Rasa's loading pass does;
    /// returns the tree before expansion (what the schema pass sees) when there were any.
    fn expand_env(&mut self, root: &mut Node) -> Option<Node> {
        if !self.text.contains("${") {
            return None;
        }
        let before = root.clone();
        let mut found = false;
        let mut stack = vec![root];
        while let Some(node) = stack.pop() {
            let tagged = matches!(&node.value, Value::Str(v) if yaml_env::is_env_scalar(v))
                && style(self.text, node) == Style::Plain;
            if tagged {
                found = true;
                let problem = self.expand_one(node);
                self.out.env_problems.extend(problem);
                continue;
            }
            // Children pushed last first: nodes are expanded in file order, as Rasa does.
            match &mut node.value {
                Value::Seq(items) => stack.extend(items.iter_mut().rev()),
                Value::Map(entries) => {
                    for (key, value) in entries.iter_mut().rev() {
                        stack.push(value);
                        stack.push(key);
                    }
                }
                _ => {}
            }
        }
        found.then_some(before)
    }

    /// Expands one tagged scalar; the finding of what Rasa reads instead.
    fn expand_one(&mut self, node: &mut Node) -> Option<Problem> {
        let Value::Str(value) = &node.value else {
            return None;
        };
        let env = self.env;
        match yaml_env::expand(value, env) {
            Ok(expanded) if expanded == *value => None,
            Ok(expanded) => {
                let names = variable_names(value);
                let problem = Problem::new(
                    ProblemKind::YamlTextRewritten,
                    self.file,
                    node.span.clone(),
                    format!("Rasa reads this unquoted text with {names} replaced by the environment's value, so what it reads depends on where it runs"),
                )
                .with_help("quote the text (`\"…\"`) to keep it as written");
                node.value = Value::Str(expanded.into());
                Some(problem)
            }
            Err(left) => {
                self.out
                    .late_error
                    .get_or_insert_with(|| yaml_env::rasa_error(value, &left));
                let message = format!(
                    "Rasa expands the environment variables of this unquoted text and stops at `{}`, which is no variable set here (RasaException)",
                    left.join("`, `")
                );
                let help = format!(
                    "quote the text (`\"…\"`) to keep it as written, or set the variable where Rasa runs; {LOAD_REFUSED}"
                );
                Some(
                    Problem::new(
                        ProblemKind::YamlSyntax,
                        self.file,
                        node.span.clone(),
                        message,
                    )
                    .with_help(help),
                )
            }
        }
    }

    /// One finding for the escapes Rasa's pre-decoding turns into other text than YAML
    /// would read: those in plain, single-quoted and block scalars (YAML decodes the
    /// escapes of double-quoted ones itself; in comments they change nothing).
    fn decoded_escapes(&mut self, decoded: &Decoded, root: &Node) {
        let mut scalars = Vec::new();
        scalar_styles(self.text, root, &mut scalars);
        scalars.sort_by_key(|(span, _)| span.start);
        let rewritten: Vec<&crate::syntax::yaml_escapes::Replaced> = decoded
            .replaced
            .iter()
            .filter(|r| {
                let at = r.decoded.start;
                let index = scalars.partition_point(|(span, _)| span.start <= at);
                index
                    .checked_sub(1)
                    .and_then(|i| scalars.get(i))
                    .is_some_and(|(span, style)| {
                        span.contains(&at) && *style != Style::DoubleQuoted
                    })
            })
            .collect();
        let Some(first) = rewritten.first() else {
            return;
        };
        let more = match rewritten.len() - 1 {
            0 => String::new(),
            1 => " (and 1 more escape)".to_owned(),
            n => format!(" (and {n} more escapes)"),
        };
        self.out.problems.push(
            Problem::new(
                ProblemKind::YamlTextRewritten,
                self.file,
                first.decoded.clone(),
                format!(
                    "Rasa reads this escape as `{}`{more}, where YAML keeps it as written: it decodes `\\u` escapes outside double quotes only because every character of the file is ASCII",
                    shown(first.character)
                ),
            )
            .with_help("write the characters themselves: one non-ASCII character anywhere in the file turns the decoding off, and Rasa then reads the escapes as written"),
        );
    }
}

/// `${A}`, `${A} and ${B}`: the variables a tagged value names, for messages.
fn variable_names(value: &str) -> String {
    let mut names: Vec<&str> = Vec::new();
    let mut rest = value;
    while let Some(at) = rest.find("${") {
        let Some(close) = rest[at..].find('}') else {
            break;
        };
        names.push(&rest[at..at + close + 1]);
        rest = &rest[at + close + 1..];
    }
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    quoted.join(" and ")
}

/// The ranges of `text` in which the pure-Python scanner accepts a TAB: inside quotes,
/// block scalar content after its indentation, comments.
fn tab_allowed(text: &str, root: &Node) -> Vec<Span> {
    let mut scalars = Vec::new();
    scalar_styles(text, root, &mut scalars);
    let mut allowed = Vec::new();
    for (span, style) in &scalars {
        match style {
            Style::DoubleQuoted | Style::SingleQuoted if span.len() >= 2 => {
                allowed.push(span.start + 1..span.end - 1);
            }
            Style::Literal(at) | Style::Folded(at) => {
                allowed.extend(block_content(text, *at).into_iter().map(|l| l.content));
            }
            _ => {}
        }
    }
    allowed.sort_by_key(|r| r.start);
    let comments: Vec<Span> = comment_starts(text, &allowed)
        .map(|at| at..line_end(text, at))
        .collect();
    allowed.extend(comments);
    allowed
}

/// Where comments start: a `#` after a blank or at a line's start, outside `inside`
/// (quoted texts and block scalars; sorted).
fn comment_starts<'a>(text: &'a str, inside: &'a [Span]) -> impl Iterator<Item = usize> + 'a {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'#', bytes).filter(move |&at| {
        let after_blank = at == 0 || matches!(bytes[at - 1], b' ' | b'\t' | b'\n' | b'\r');
        let index = inside.partition_point(|r| r.start <= at);
        let within = inside[..index]
            .iter()
            .rev()
            .take(8)
            .any(|r| r.contains(&at));
        after_blank && !within
    })
}

fn line_end(text: &str, at: usize) -> usize {
    memchr::memchr2(b'\n', b'\r', &text.as_bytes()[at..]).map_or(text.len(), |i| at + i)
}

/// Every scalar node below `node` (keys included) with its style.
fn scalar_styles(text: &str, node: &Node, out: &mut Vec<(Span, Style)>) {
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        match &node.value {
            Value::Seq(items) => stack.extend(items),
            Value::Map(entries) => stack.extend(entries.iter().flat_map(|(k, v)| [k, v])),
            _ if !node.span.is_empty() => out.push((node.span.clone(), style(text, node))),
            _ => {}
        }
    }
}

/// One line of a block scalar's content.
struct BlockLine {
    /// What follows the block's indentation, to the line's end.
    content: Span,
}

/// The content lines of the block scalar whose indicator (`|`, `>`) is at `at`: the lines
/// after the header, up to the first one with text indented less than the block.
fn block_content(text: &str, at: usize) -> Vec<BlockLine> {
    let header_end = line_end(text, at);
    let mut lines = Vec::new();
    let mut start = next_line(text, header_end);
    let mut indent = explicit_indent(text, at).map(|n| parent_indent(text, at) + n);
    while let Some(line_start) = start {
        let end = line_end(text, line_start);
        let line = &text[line_start..end];
        let spaces = line.bytes().take_while(|&b| b == b' ').count();
        if spaces == line.len() {
            start = next_line(text, end);
            continue;
        }
        let indent = *indent.get_or_insert(spaces.max(1));
        if spaces < indent {
            break;
        }
        lines.push(BlockLine {
            content: line_start + indent..end,
        });
        start = next_line(text, end);
    }
    lines
}

/// The indentation indicator of the block scalar header at `at` (`|2-`), if it has one.
fn explicit_indent(text: &str, at: usize) -> Option<usize> {
    text[at + 1..line_end(text, at)]
        .bytes()
        .take_while(|b| !matches!(b, b' ' | b'\t' | b'#'))
        .find(|b| b.is_ascii_digit())
        .map(|d| usize::from(d - b'0'))
}

/// The start of the line after a line ending at `end`, if there is one.
fn next_line(text: &str, end: usize) -> Option<usize> {
    let rest = text.get(end..)?;
    let skip = if rest.starts_with("\r\n") {
        2
    } else if rest.starts_with(['\n', '\r']) {
        1
    } else {
        return None;
    };
    (end + skip < text.len()).then_some(end + skip)
}

/// The indentation a block scalar's explicit indentation indicator adds to: the column
/// of the first text on the indicator's line, past sequence dashes.
fn parent_indent(text: &str, at: usize) -> usize {
    let line_start = text[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    text[line_start..at]
        .bytes()
        .take_while(|b| matches!(b, b' ' | b'-'))
        .count()
}

/// What libyaml refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Libyaml {
    QuestionMark,
    Colon,
    BlockTab,
}

/// libyaml's refusals below `node`; `in_flow` inside a flow collection; `tabs` when the
/// text has a TAB anywhere (a block scalar can be refused only then, so most scalars need
/// no look at their style). Recursion depth is bounded by the parser's nesting budget.
fn libyaml_walk(
    text: &str,
    node: &Node,
    (in_flow, tabs): (bool, bool),
    found: &mut Vec<(Span, Libyaml)>,
) {
    let flow = in_flow || matches!(text.as_bytes().get(node.span.start), Some(b'[' | b'{'));
    match &node.value {
        Value::Seq(items) => items
            .iter()
            .for_each(|n| libyaml_walk(text, n, (flow, tabs), found)),
        Value::Map(entries) => entries.iter().for_each(|(k, v)| {
            libyaml_walk(text, k, (flow, tabs), found);
            libyaml_walk(text, v, (flow, tabs), found);
        }),
        _ if node.span.is_empty() || !(in_flow || tabs) => {}
        _ => match style(text, node) {
            Style::Plain if in_flow => found.extend(flow_plain_refusal(text, &node.span)),
            Style::Literal(at) | Style::Folded(at) => found.extend(block_first_tab(text, at)),
            _ => {}
        },
    }
}

/// libyaml's older scanner, in a flow collection, ends a plain scalar at any `?` and
/// refuses a `:` not followed by a blank, where YAML 1.2 (and ruamel's pure scanner) keep
/// them in the text.
fn flow_plain_refusal(text: &str, span: &Span) -> Option<(Span, Libyaml)> {
    // A `:` right after the scalar, which YAML 1.2 reads as the value indicator of an
    // implicit key (`[a:, b]`), is one libyaml scans as part of the scalar.
    let written =
        text.get(span.start..span.end + usize::from(text[span.end..].starts_with(':')))?;
    written.char_indices().find_map(|(i, c)| {
        let at = span.start + i;
        match c {
            '?' if i > 0 => Some((at..at + 1, Libyaml::QuestionMark)),
            ':' => {
                let next = text[at + 1..].chars().next();
                let blank = next.is_none_or(|n| {
                    matches!(
                        n,
                        ' ' | '\t' | '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}'
                    )
                });
                (!blank).then_some((at..at + 1, Libyaml::Colon))
            }
            _ => None,
        }
    })
}

/// libyaml refuses a TAB right after the spaces of a block scalar's first line when the
/// block's indentation is detected from that line (no indentation indicator).
fn block_first_tab(text: &str, at: usize) -> Option<(Span, Libyaml)> {
    if explicit_indent(text, at).is_some() {
        return None;
    }
    let header_end = line_end(text, at);
    let mut start = next_line(text, header_end);
    while let Some(line_start) = start {
        let end = line_end(text, line_start);
        let spaces = text[line_start..end]
            .bytes()
            .take_while(|&b| b == b' ')
            .count();
        match text.as_bytes().get(line_start + spaces) {
            Some(b'\t') => {
                let tab = line_start + spaces;
                return Some((tab..tab + 1, Libyaml::BlockTab));
            }
            Some(b'\n' | b'\r') | None => start = next_line(text, end),
            Some(_) => return None,
        }
    }
    None
}

/// Whether the document starts with a `%YAML 1.1` directive.
fn yaml_1_1_directive(text: &str) -> Option<Span> {
    let mut start = usize::from(text.starts_with('\u{feff}')) * '\u{feff}'.len_utf8();
    while start < text.len() {
        let end = line_end(text, start);
        let line = &text[start..end];
        if line.starts_with("---") {
            return None;
        }
        if let Some(rest) = line.strip_prefix("%YAML") {
            let version = rest.split('#').next().unwrap_or_default().trim();
            return (version == "1.1").then_some(start..end);
        }
        start = next_line(text, end)?;
    }
    None
}

/// The tree as the schema pass resolves it under `%YAML 1.1`: plain scalars with YAML
/// 1.1's booleans (`yes`, `on`, `y`…), integers (octal `017`, sexagesimal `1:30`) and
/// floats; and the scalars it reads otherwise than YAML 1.2 does.
fn yaml_1_1_view(text: &str, root: &Node) -> (Node, Vec<Span>) {
    let mut changed = Vec::new();
    let mut view = root.clone();
    let mut stack = vec![&mut view];
    while let Some(node) = stack.pop() {
        let plain = !matches!(node.value, Value::Seq(_) | Value::Map(_))
            && !node.span.is_empty()
            && style(text, node) == Style::Plain;
        if plain {
            let written = match &node.value {
                Value::Str(s) => s.to_string(),
                _ => text.get(node.span.clone()).unwrap_or_default().to_owned(),
            };
            let value = resolve_yaml_1_1(&written);
            if std::mem::discriminant(&value) != std::mem::discriminant(&node.value) {
                changed.push(node.span.clone());
            }
            node.value = value;
            continue;
        }
        match &mut node.value {
            Value::Seq(items) => stack.extend(items.iter_mut()),
            Value::Map(entries) => {
                for (key, value) in entries.iter_mut() {
                    stack.push(key);
                    stack.push(value);
                }
            }
            _ => {}
        }
    }
    (view, changed)
}

/// A plain scalar resolved with ruamel's YAML 1.1 resolvers.
fn resolve_yaml_1_1(plain: &str) -> Value {
    use std::sync::LazyLock;
    static INT: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"^[-+]?(?:0b[0-1_]+|0[0-7_]+|0|[1-9][0-9_]*|0x[0-9a-fA-F_]+|[1-9][0-9_]*(?::[0-5]?[0-9])+)$")
            .expect("the YAML 1.1 int pattern is valid")
    });
    static FLOAT: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")
            .expect("the YAML 1.1 float pattern is valid")
    });
    match plain {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            Value::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            Value::Bool(false)
        }
        _ if INT.is_match(plain) => Value::Int(yaml_1_1_int(plain)),
        _ if FLOAT.is_match(plain) => Value::Float(plain.replace('_', "").parse().unwrap_or(0.0)),
        _ => Value::Str(plain.into()),
    }
}

/// The value of a YAML 1.1 integer (its type is what the schema checks; the value only
/// shows in messages).
fn yaml_1_1_int(plain: &str) -> i64 {
    let digits = plain.replace('_', "");
    let (sign, digits) = match digits.strip_prefix('-') {
        Some(rest) => (-1, rest.to_owned()),
        None => (1, digits.trim_start_matches('+').to_owned()),
    };
    let value = if let Some(bin) = digits.strip_prefix("0b") {
        i64::from_str_radix(bin, 2).ok()
    } else if let Some(hex) = digits.strip_prefix("0x") {
        i64::from_str_radix(hex, 16).ok()
    } else if digits.contains(':') {
        digits.split(':').try_fold(0i64, |total, part| {
            total
                .checked_mul(60)?
                .checked_add(part.parse::<i64>().ok()?)
        })
    } else if digits.len() > 1 && digits.starts_with('0') {
        i64::from_str_radix(&digits, 8).ok()
    } else {
        digits.parse().ok()
    };
    sign * value.unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> Environment {
        Environment::fixed([("NAME", "Ada")])
    }

    fn layered(text: &str) -> Layered {
        read(FileId(0), text, &env(), "Rasa refuses it.")
    }

    /// Whether Rasa's first reading refuses `text`: a syntax error or a refused TAB.
    fn first_pass_refuses(text: &str) -> bool {
        layered(text).early_error.is_some()
    }

    /// What the checks found, as "message start @ written text".
    fn found(text: &str) -> Vec<String> {
        let out = layered(text);
        out.problems
            .iter()
            .chain(&out.env_problems)
            .map(|p| {
                let words: Vec<&str> = p.message.split_whitespace().take(4).collect();
                format!("{} @{}", words.join(" "), &text[p.span.clone()])
            })
            .collect()
    }

    /// Each case as Rasa 3.6's ruamel (pure-Python scanner) reads it.
    #[test]
    fn tabs_are_refused_where_the_pure_scanner_refuses_them() {
        let refused = [
            "a: x\t\n",
            "a:\tx\n",
            "a: \"x\"\t\n",
            "a: [x,\ty]\n",
            "a: x\ty\n",
            "key\t: v\n",
            "a: 'x'\t# c\n",
            "a: |\t\n  x\n",
            "a: x\n  \tcontinued\n",
            "a: |\n  x\n \t\n  y\n",
            "a: [x, \"y\"\t]\n",
            "a: x\n\t\nb: y\n",
            "\t# c\na: 1\n",
        ];
        for text in refused {
            assert!(first_pass_refuses(text), "{text:?} is refused");
        }
        let read = [
            "a: |\n  x\ty\n",
            "# c\tx\na: 1\n",
            "a: x # c\td\n",
            "a: 'x\ty'\n",
            "a: \"x\n\ty\"\n",
            "a: |\n  x\n\n  y\n  \t\n",
            "a: >\n  x\n  \ty\n",
            "a: | # c\t\n  x\n",
            "a: |2\n  \tx\n",
            "a: 'x\n\ty'\n",
            "a: |\n  \tx\n",
        ];
        for text in read {
            assert!(!first_pass_refuses(text), "{text:?} is read");
        }
        assert_eq!(
            found("nlu:\n- intent: greet\t\t# c\n"),
            ["a TAB here makes @\t\t"]
        );
    }

    /// Each case as Rasa 3.6's libyaml reads it after ruamel's first reading accepted it.
    #[test]
    fn libyaml_refusals_of_the_second_reading() {
        for (text, refused) in [
            ("a: [{text: where?}]\n", "?"),
            ("a: [where?]\n", "?"),
            ("a: {b: where?}\n", "?"),
            ("a: [x ?]\n", "?"),
            ("a: [x? y]\n", "?"),
            ("a: [http://x]\n", ":"),
            ("a: {u: http://x}\n", ":"),
            ("a: [a:, b]\n", ":"),
            ("a: {b:c}\n", ":"),
            ("a: [x:]\n", ":"),
            ("a: |\n  \tx\n", "\t"),
        ] {
            let out = layered(text);
            assert!(out.early_error.is_none(), "{text:?}");
            assert!(out.late_error.is_some(), "{text:?}");
            assert_eq!(found(text).len(), 1, "{text:?}");
            assert_eq!(&text[out.problems[0].span.clone()], refused, "{text:?}");
        }
        for text in [
            "a: [?b]\n",
            "a: [a: b]\n",
            "a: where?\n",
            "a: [\"x?\"]\n",
            "a: [-x]\n",
            "a: [a#b]\n",
            "a: [a,b]\n",
            "a: http://x\n",
            "a: |2\n  \tx\n",
            "a: |\n  x\n  \ty\n",
        ] {
            let out = layered(text);
            assert_eq!(out.late_error, None, "{text:?}");
            assert_eq!(found(text), Vec::<String>::new(), "{text:?}");
        }
    }

    #[test]
    fn environment_variables_are_expanded_in_plain_scalars() {
        let text =
            "a: ${NAME}\nb: \"${NAME}\"\nk_${NAME}: $NAME ${NAME}\nc: $NAME\nd: |\n  ${NAME}\n";
        let out = layered(text);
        let root = out.root.expect("read");
        let json = root.to_json();
        assert_eq!(json["a"], "Ada");
        assert_eq!(json["b"], "${NAME}");
        assert_eq!(
            json["k_Ada"], "Ada Ada",
            "keys too, and a `$NAME` beside a braced one"
        );
        assert_eq!(json["c"], "$NAME");
        assert_eq!(json["d"], "${NAME}\n");
        let schema = out
            .schema_root
            .expect("the schema pass sees them unexpanded");
        assert_eq!(schema.to_json()["a"], "${NAME}");
        assert_eq!(
            found(text),
            [
                "Rasa reads this unquoted @${NAME}",
                "Rasa reads this unquoted @k_${NAME}",
                "Rasa reads this unquoted @$NAME ${NAME}"
            ]
        );
        assert_eq!(out.late_error, None);
    }

    #[test]
    fn an_unset_variable_or_a_stray_dollar_stops_rasa() {
        let text = "a: ${UNSET}\nb: ${NAME} costs $5\n";
        let out = layered(text);
        assert_eq!(
            out.late_error.as_deref(),
            Some(
                "RasaException: Error when trying to expand the environment variables in '${UNSET}'. Please make sure to also set these environment variables: '['${UNSET}']'."
            )
        );
        assert_eq!(
            found(text),
            [
                "Rasa expands the environment @${UNSET}",
                "Rasa expands the environment @${NAME} costs $5"
            ]
        );
    }

    #[test]
    fn escapes_are_decoded_and_spans_point_into_the_source() {
        let text = "a: caf\\u00e9\nb: \"\\u00e9\"\nc: |\n  x \\ud83d\\ude00 [y](z)\n# \\u0041\n";
        let out = layered(text);
        let root = out.root.expect("read");
        let json = root.to_json();
        assert_eq!(json["a"], "caf\u{e9}");
        assert_eq!(json["c"], "x \u{1F600} [y](z)\n");
        let c = root.get("c").expect("c");
        assert_eq!(&text[c.span.clone()], "x \\ud83d\\ude00 [y](z)\n");
        assert_eq!(&text[root.get("a").expect("a").span.clone()], "caf\\u00e9");
        assert_eq!(
            found(text),
            ["Rasa reads this escape @\\u00e9"],
            "one finding, for the escapes outside double quotes"
        );
        assert!(out.problems[0].message.contains("(and 1 more escape)"));
    }

    #[test]
    fn a_decoded_quote_that_breaks_the_yaml_is_said_so() {
        let text = "a: \"say \\u0022hi\\u0022 now\"\n";
        let out = layered(text);
        assert!(out.root.is_none());
        let problem = &out.problems[0];
        assert!(
            problem
                .message
                .starts_with("this file is not valid YAML once Rasa has decoded")
        );
        assert_eq!(&text[problem.related[0].span.clone()], "\\u0022");
    }

    #[test]
    fn a_truncated_escape_crashes_rasa_and_the_text_is_read_as_written() {
        let text = "a: C:\\users\\me\n";
        let out = layered(text);
        assert!(
            out.crash
                .as_deref()
                .is_some_and(|c| c.contains("truncated"))
        );
        assert_eq!(out.root.expect("read").to_json()["a"], "C:\\users\\me");
        assert_eq!(&text[out.problems[0].span.clone()], "\\u");
    }

    #[test]
    fn a_yaml_1_1_directive_changes_what_the_schema_pass_reads() {
        let text = "%YAML 1.1\n---\na: yes\nb: 017\nc: 0o17\nd: 1:30\ne: \"yes\"\nf: 1e3\ng: y\n";
        let out = layered(text);
        let json = out.root.expect("read").to_json();
        assert_eq!(json["a"], "yes", "the loading pass reads YAML 1.2");
        let schema = out.schema_root.expect("a YAML 1.1 view").to_json();
        assert_eq!(schema["a"], true);
        assert_eq!(schema["b"], 15);
        assert_eq!(schema["c"], "0o17");
        assert_eq!(schema["d"], 90);
        assert_eq!(schema["e"], "yes");
        assert_eq!(schema["f"], 1000.0);
        assert_eq!(schema["g"], true);
        let mut changed = out.yaml_1_1.expect("the directive").changed;
        changed.sort_by_key(|s| s.start);
        let written: Vec<&str> = changed.iter().map(|s| &text[s.clone()]).collect();
        assert_eq!(written, ["yes", "0o17", "1:30", "y"]);
        assert!(layered("%YAML 1.2\n---\na: yes\n").schema_root.is_none());
        assert!(
            layered("%YAML 1.1 # old\n---\na: yes\n")
                .schema_root
                .is_some()
        );
    }
}
