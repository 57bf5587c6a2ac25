//! Whether Python 3.7's `re.compile` accepts a pattern, and if not, which exception it
//! raises and where. Rasa 1.10 hands `## regex:` patterns to `re` untouched (a `str`
//! pattern, no flags), so this is the grammar that decides whether training works.
//!
//! Validation only: nothing is matched and no program is built. The checks run in the order
//! Python runs them, because only the first error is ever reported:
//!
//! 1. reading the pattern (`re.error` with a position, `OverflowError` for huge counts);
//! 2. the global flags (`ValueError` when `(?a)` and `(?u)` are both given);
//! 3. an unmatched `)`;
//! 4. building the program: a lookbehind must have a fixed width, and the undocumented
//!    template flag `(?t)` forbids repeats (`re.error` without a position);
//! 5. the engine's own check of the program (`RuntimeError: invalid SRE code`), for the two
//!    cases known to reach it: a conditional on a group the pattern does not have, and a
//!    lookbehind 2³¹ characters wide or more.
//!
//! Positions are counted in characters, as Python counts them. Where the answer depends on
//! something this module cannot know exactly, it says [`Verdict::Undecided`]: a group name
//! with non-ASCII characters outside a few well-known alphabets (Python asks the Unicode
//! database whether it is an identifier), a non-ASCII conditional group number, or groups
//! nested more than [`MAX_DEPTH`] deep (Python's recursion limit, which depends on the
//! caller, may be reached). Nested so deep that Python's parser needs more than
//! [`PYTHON_FRAMES`] frames, the pattern fails from any caller: `RecursionError`.

use std::collections::HashMap;

/// Python's `MAXREPEAT` (on 64-bit builds): the count meaning "no upper bound", one more
/// than the largest count allowed.
const MAX_REPEAT: u64 = 4_294_967_295;

/// Python's `MAXGROUPS`: the largest group number a conditional may name.
const MAX_GROUPS: u64 = 2_147_483_647;

/// Nesting beyond which Python's recursion limit may decide instead of the grammar.
pub const MAX_DEPTH: usize = 100;

/// The most frames Python 3.7's `sre_parse` can hold under the default recursion limit
/// (1000) from the shallowest caller, a module calling `re.compile`: each group or
/// lookaround takes two (`_parse_sub`, `_parse`), each conditional one (`_parse`). 495
/// nested groups compile there and 496 raise `RecursionError`, as do 991 nested
/// conditionals; a caller such as Rasa's training, deeper in the stack, fails sooner.
pub const PYTHON_FRAMES: usize = 990;

/// The frames Python's parser takes for a group or lookaround (`_parse_sub` and `_parse`)
/// and for a conditional's branches (`_parse`).
const GROUP_FRAMES: usize = 2;
const CONDITIONAL_FRAMES: usize = 1;

/// The frames of groups nested [`MAX_DEPTH`] deep.
const SAFE_FRAMES: usize = 2 * MAX_DEPTH;

/// The stack the parser runs on for patterns nested deeper than [`MAX_DEPTH`]: its
/// recursion follows Python's, up to [`PYTHON_FRAMES`] levels.
const DEEP_STACK: usize = 64 << 20;

/// What Python 3.7 makes of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Valid,
    Invalid(RegexError),
    /// The answer depends on something not modelled here (the reason says what).
    Undecided(&'static str),
}

/// The exception `re.compile` raises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exception {
    /// `re.error` (`sre_constants.error`).
    ReError,
    OverflowError,
    ValueError,
    RuntimeError,
    /// The parser's recursion went past Python's limit (no position).
    RecursionError,
    /// `sre_parse.Verbose`, which escapes when `(?x)` is turned on inside a group that
    /// turned it off.
    Verbose,
}

impl Exception {
    /// The name Python prints in a traceback.
    pub fn python_name(self) -> &'static str {
        match self {
            Exception::ReError => "re.error",
            Exception::OverflowError => "OverflowError",
            Exception::ValueError => "ValueError",
            Exception::RuntimeError => "RuntimeError",
            Exception::RecursionError => "RecursionError",
            Exception::Verbose => "sre_parse.Verbose",
        }
    }
}

/// Why Python refuses a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegexError {
    pub exception: Exception,
    /// Python's message, without the position (`re.error.msg`).
    pub message: String,
    /// The character index Python reports (`re.error.pos`), when it reports one.
    pub position: Option<usize>,
    /// The characters to show: the offending token, group or quantifier. Starts at
    /// `position` when there is one; empty at the end of the pattern.
    pub at: std::ops::Range<usize>,
}

impl RegexError {
    /// The text of the exception as Python prints it: `bad escape \p at position 0`.
    pub fn python_text(&self) -> String {
        match self.position {
            Some(position) => format!("{} at position {position}", self.message),
            None => self.message.clone(),
        }
    }
}

/// Decides whether Python 3.7 compiles `pattern` (a `str`, no flags).
pub fn check(pattern: &str) -> Verdict {
    if parentheses_depth(pattern) <= MAX_DEPTH {
        return check_here(pattern);
    }
    // The parser recurses as deep as Python's does: on a thread with room for it.
    let owned = pattern.to_owned();
    std::thread::Builder::new()
        .stack_size(DEEP_STACK)
        .spawn(move || check_here(&owned))
        .ok()
        .and_then(|thread| thread.join().ok())
        .unwrap_or(Verdict::Undecided(
            "no thread to read a deeply nested pattern",
        ))
}

/// The deepest nesting of `(` in the pattern, escapes left out: at least the nesting of
/// its groups.
fn parentheses_depth(pattern: &str) -> usize {
    let (mut depth, mut deepest, mut escaped) = (0usize, 0, false);
    for c in pattern.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '(' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

fn check_here(pattern: &str) -> Verdict {
    let chars: Vec<char> = pattern.chars().collect();
    let outcome = match Parser::run(&chars, false) {
        Err(Stop::VerboseFound) => Parser::run(&chars, true),
        outcome => outcome,
    };
    match outcome {
        Ok(deepest) if deepest > SAFE_FRAMES => {
            Verdict::Undecided("groups nested deep enough for the caller's depth to decide")
        }
        Ok(_) => Verdict::Valid,
        Err(Stop::Error(error)) => Verdict::Invalid(error),
        Err(Stop::Undecided(why)) => Verdict::Undecided(why),
        // Only the first reading asks for a second one.
        Err(Stop::VerboseFound) => Verdict::Undecided("verbose flag found twice"),
    }
}

/// Why reading stopped.
enum Stop {
    Error(RegexError),
    Undecided(&'static str),
    /// `(?x)` was found while reading without it: Python reads the whole pattern again,
    /// verbose from the start.
    VerboseFound,
}

type Parse<T> = Result<T, Stop>;

fn re_error(message: impl Into<String>, position: usize, end: usize) -> Stop {
    Stop::Error(RegexError {
        exception: Exception::ReError,
        message: message.into(),
        position: Some(position),
        at: position..end.max(position),
    })
}

fn unplaced_error(exception: Exception, message: &str, at: std::ops::Range<usize>) -> Stop {
    Stop::Error(RegexError {
        exception,
        message: message.to_string(),
        position: None,
        at,
    })
}

// ---------------------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------------------

/// A character of the pattern, or a backslash with the character after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Token {
    at: usize,
    ch: char,
    escaped: bool,
}

impl Token {
    /// The unescaped character `c`.
    fn is(self, c: char) -> bool {
        !self.escaped && self.ch == c
    }

    fn width(self) -> usize {
        if self.escaped { 2 } else { 1 }
    }

    fn end(self) -> usize {
        self.at + self.width()
    }

    fn text(self) -> String {
        if self.escaped {
            format!("\\{}", self.ch)
        } else {
            self.ch.to_string()
        }
    }

    fn unescaped_in(self, set: fn(char) -> bool) -> bool {
        !self.escaped && set(self.ch)
    }
}

/// Python reads a pattern one token ahead: the next token is always prepared, so a lone
/// backslash at the end is an error as soon as the token before it is taken.
struct Lexer<'p> {
    chars: &'p [char],
    next: Option<Token>,
}

impl<'p> Lexer<'p> {
    fn new(chars: &'p [char]) -> Parse<Self> {
        let mut lexer = Lexer { chars, next: None };
        lexer.prepare(0)?;
        Ok(lexer)
    }

    fn prepare(&mut self, at: usize) -> Parse<()> {
        self.next = match self.chars.get(at) {
            None => None,
            Some('\\') => match self.chars.get(at + 1) {
                Some(&ch) => Some(Token {
                    at,
                    ch,
                    escaped: true,
                }),
                None => return Err(re_error("bad escape (end of pattern)", at, at + 1)),
            },
            Some(&ch) => Some(Token {
                at,
                ch,
                escaped: false,
            }),
        };
        Ok(())
    }

    /// Where the next token starts (the pattern's length at its end).
    fn tell(&self) -> usize {
        self.next.map_or(self.chars.len(), |t| t.at)
    }

    fn peek(&self) -> Option<Token> {
        self.next
    }

    fn bump(&mut self) -> Parse<Option<Token>> {
        let token = self.next;
        if let Some(token) = token {
            self.prepare(token.end())?;
        }
        Ok(token)
    }

    /// Takes the next token if it is the unescaped `c`.
    fn eat(&mut self, c: char) -> Parse<bool> {
        if self.next.is_some_and(|t| t.is(c)) {
            self.bump()?;
            return Ok(true);
        }
        Ok(false)
    }

    fn seek(&mut self, at: usize) -> Parse<()> {
        self.prepare(at)
    }

    /// Takes up to `max` unescaped characters of `set`.
    fn take_while(&mut self, max: usize, set: fn(char) -> bool) -> Parse<String> {
        let mut taken = String::new();
        for _ in 0..max {
            match self.next {
                Some(token) if token.unescaped_in(set) => {
                    taken.push(token.ch);
                    self.bump()?;
                }
                _ => break,
            }
        }
        Ok(taken)
    }

    fn take_digits(&mut self) -> Parse<String> {
        self.take_while(usize::MAX, |c| c.is_ascii_digit())
    }

    /// A group name up to `terminator` (escapes kept as written, as Python keeps them).
    fn name_until(&mut self, terminator: char) -> Parse<Name> {
        let start = self.tell();
        let mut text = String::new();
        loop {
            match self.bump()? {
                None if text.is_empty() => {
                    return Err(re_error("missing group name", self.tell(), self.tell()));
                }
                None => {
                    let message = format!("missing {terminator}, unterminated name");
                    return Err(re_error(message, start, self.tell()));
                }
                Some(token) if token.is(terminator) => {
                    if text.is_empty() {
                        return Err(re_error("missing group name", token.at, token.end()));
                    }
                    return Ok(Name { text, start });
                }
                Some(token) => text.push_str(&token.text()),
            }
        }
    }
}

/// A group name as written, and where it starts.
struct Name {
    text: String,
    start: usize,
}

impl Name {
    fn end(&self) -> usize {
        self.start + self.text.chars().count()
    }

    fn error(&self, message: String) -> Stop {
        re_error(message, self.start, self.end())
    }
}

fn is_octal(c: char) -> bool {
    ('0'..='7').contains(&c)
}

fn is_hex(c: char) -> bool {
    c.is_ascii_hexdigit()
}

/// The whitespace a verbose pattern ignores (ASCII only).
fn is_verbose_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{0b}' | '\u{0c}')
}

// ---------------------------------------------------------------------------------------
// The tree: only what the later checks need
// ---------------------------------------------------------------------------------------

#[derive(Debug)]
enum Node {
    /// Matches one character: a literal, a class, `.`, `\d`.
    Char,
    /// A zero-width position (`^`, `$`, `\b`, `\A`…): nothing to repeat.
    Anchor,
    Repeat {
        min: u64,
        max: u64,
        lazy: bool,
        /// The quantifier's characters, to show a template-flag error.
        quantifier: std::ops::Range<usize>,
        body: Vec<Node>,
    },
    Group(Vec<Node>),
    Lookaround {
        behind: bool,
        /// Where the `(` is, to show a width error.
        open: usize,
        end: usize,
        body: Vec<Node>,
    },
    Backref(usize),
    Conditional {
        yes: Vec<Node>,
        no: Option<Vec<Node>>,
    },
    Alternation(Vec<Vec<Node>>),
}

/// The fewest and most characters a part of a pattern matches, capped as Python caps them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Width {
    min: u64,
    max: u64,
}

impl Width {
    fn capped(min: u128, max: u128) -> Width {
        Width {
            min: min.min(u128::from(MAX_REPEAT - 1)) as u64,
            max: max.min(u128::from(MAX_REPEAT)) as u64,
        }
    }
}

// Inline flags: one bit per letter Python accepts after `(?`.
const FLAG_IGNORECASE: u8 = 1;
const FLAG_MULTILINE: u8 = 2;
const FLAG_DOTALL: u8 = 4;
const FLAG_VERBOSE: u8 = 8;
const FLAG_ASCII: u8 = 16;
const FLAG_UNICODE: u8 = 32;
const FLAG_LOCALE: u8 = 64;
/// `(?t)`, an undocumented flag that forbids repeats.
const FLAG_TEMPLATE: u8 = 128;
const TYPE_FLAGS: u8 = FLAG_ASCII | FLAG_UNICODE | FLAG_LOCALE;

fn flag(c: char) -> Option<u8> {
    Some(match c {
        'i' => FLAG_IGNORECASE,
        'm' => FLAG_MULTILINE,
        's' => FLAG_DOTALL,
        'x' => FLAG_VERBOSE,
        'a' => FLAG_ASCII,
        'u' => FLAG_UNICODE,
        'L' => FLAG_LOCALE,
        't' => FLAG_TEMPLATE,
        _ => return None,
    })
}

fn flag_of(token: Token) -> Option<u8> {
    if token.escaped { None } else { flag(token.ch) }
}

// ---------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------

struct Parser<'p> {
    lexer: Lexer<'p>,
    /// The global flags given so far.
    flags: u8,
    /// Whether this is the second reading, verbose from the start.
    second_reading: bool,
    /// The width of every group by number, `None` while the group is open. Entry 0 stands
    /// for the whole match, which is never closed.
    groups: Vec<Option<Width>>,
    names: HashMap<String, usize>,
    /// Inside a lookbehind: the number of the first group opened inside it.
    lookbehind_floor: Option<usize>,
    /// The frames Python's parser holds at this point of the pattern (see
    /// [`PYTHON_FRAMES`]), and the most it held.
    frames: usize,
    deepest: usize,
    /// The group number every conditional tests, and where the conditional is.
    conditions: Vec<(usize, std::ops::Range<usize>)>,
}

impl<'p> Parser<'p> {
    /// Reads and checks the pattern; the most frames Python's parser holds for it.
    fn run(chars: &'p [char], second_reading: bool) -> Parse<usize> {
        let mut parser = Parser {
            lexer: Lexer::new(chars)?,
            flags: if second_reading { FLAG_VERBOSE } else { 0 },
            second_reading,
            groups: vec![None],
            names: HashMap::new(),
            lookbehind_floor: None,
            frames: 0,
            deepest: 0,
            conditions: Vec::new(),
        };
        let tree = parser.alternation(second_reading)?;
        parser.check_global_flags()?;
        if let Some(token) = parser.lexer.peek() {
            return Err(re_error("unbalanced parenthesis", token.at, token.end()));
        }
        parser.check_program(&tree)?;
        parser.check_engine_limits(&tree)?;
        Ok(parser.deepest)
    }

    /// Alternatives separated by `|`, up to a `)` or the end.
    fn alternation(&mut self, verbose: bool) -> Parse<Vec<Node>> {
        let mut branches = vec![self.sequence(verbose)?];
        while self.lexer.eat('|')? {
            branches.push(self.sequence(verbose)?);
        }
        Ok(match branches.len() {
            1 => branches.pop().unwrap_or_default(),
            _ => vec![Node::Alternation(branches)],
        })
    }

    /// Items up to a `|`, a `)` or the end.
    fn sequence(&mut self, verbose: bool) -> Parse<Vec<Node>> {
        let mut items = Vec::new();
        while let Some(token) = self.lexer.peek() {
            if token.is('|') || token.is(')') {
                break;
            }
            self.lexer.bump()?;
            if token.escaped {
                items.push(self.escape(token)?);
                continue;
            }
            if verbose && is_verbose_space(token.ch) {
                continue;
            }
            if verbose && token.ch == '#' {
                self.skip_verbose_comment()?;
                continue;
            }
            match token.ch {
                '[' => {
                    self.class(token)?;
                    items.push(Node::Char);
                }
                '*' | '+' | '?' | '{' => self.quantifier(token, &mut items)?,
                '(' => {
                    if let Some(node) = self.group(token, verbose)? {
                        items.push(node);
                    }
                }
                '^' | '$' => items.push(Node::Anchor),
                _ => items.push(Node::Char),
            }
        }
        Ok(items)
    }

    fn skip_verbose_comment(&mut self) -> Parse<()> {
        while let Some(token) = self.lexer.bump()? {
            if token.is('\n') {
                break;
            }
        }
        Ok(())
    }

    /// Enters the group opened by `open`, which takes `frames` of Python's parser.
    fn enter(&mut self, open: Token, frames: usize) -> Parse<()> {
        self.frames += frames;
        self.deepest = self.deepest.max(self.frames);
        if self.frames > PYTHON_FRAMES {
            return Err(Stop::Error(RegexError {
                exception: Exception::RecursionError,
                message: "maximum recursion depth exceeded".to_string(),
                position: None,
                at: open.at..open.end(),
            }));
        }
        Ok(())
    }

    fn leave(&mut self, frames: usize) {
        self.frames -= frames;
    }

    // --- escapes --------------------------------------------------------------------------

    /// A backslash escape outside a character class.
    fn escape(&mut self, token: Token) -> Parse<Node> {
        match token.ch {
            'A' | 'b' | 'B' | 'Z' => Ok(Node::Anchor),
            'd' | 'D' | 's' | 'S' | 'w' | 'W' | 'a' | 'f' | 'n' | 'r' | 't' | 'v' | '\\' => {
                Ok(Node::Char)
            }
            'x' | 'u' | 'U' => self.hex_escape(token).map(|_| Node::Char),
            '0' => {
                self.lexer.take_while(2, is_octal)?;
                Ok(Node::Char)
            }
            '1'..='9' => self.numbered_escape(token),
            c if c.is_ascii_alphabetic() => Err(bad_escape(&token.text(), token)),
            _ => Ok(Node::Char),
        }
    }

    /// `\x41`, `\u00e9`, `\U0001F600`: exactly 2, 4 or 8 hex digits.
    fn hex_escape(&mut self, token: Token) -> Parse<u32> {
        let wanted = match token.ch {
            'x' => 2,
            'u' => 4,
            _ => 8,
        };
        let digits = self.lexer.take_while(wanted, is_hex)?;
        let text = format!("{}{digits}", token.text());
        if digits.len() != wanted {
            let message = format!("incomplete escape {text}");
            return Err(re_error(message, token.at, self.lexer.tell()));
        }
        let value = u32::from_str_radix(&digits, 16).unwrap_or(u32::MAX);
        if value > 0x7FFF_FFFF {
            // Python's `chr` cannot even take it as a C `int`.
            let message = "signed integer is greater than maximum";
            let at = token.at..self.lexer.tell();
            return Err(unplaced_error(Exception::OverflowError, message, at));
        }
        if value > 0x10_FFFF {
            // Python's `chr` refuses it, and the escape is reported as unknown.
            return Err(re_error(
                format!("bad escape {text}"),
                token.at,
                self.lexer.tell(),
            ));
        }
        Ok(value)
    }

    /// `\1`…`\99` refer to a group; three octal digits (`\101`) are a character.
    fn numbered_escape(&mut self, token: Token) -> Parse<Node> {
        let mut digits = token.ch.to_string();
        if let Some(second) = self
            .lexer
            .peek()
            .filter(|t| t.unescaped_in(|c| c.is_ascii_digit()))
        {
            self.lexer.bump()?;
            digits.push(second.ch);
            let third = self.lexer.peek().filter(|t| t.unescaped_in(is_octal));
            if let Some(third) = third.filter(|_| is_octal(token.ch) && is_octal(second.ch)) {
                self.lexer.bump()?;
                digits.push(third.ch);
                return self.octal_value(&digits, token).map(|_| Node::Char);
            }
        }
        let group: usize = digits.parse().unwrap_or(usize::MAX);
        let end = self.lexer.tell();
        if group >= self.groups.len() {
            let message = format!("invalid group reference {group}");
            return Err(re_error(message, token.at + 1, end));
        }
        if self.groups[group].is_none() {
            return Err(re_error("cannot refer to an open group", token.at, end));
        }
        self.check_lookbehind_reference(group)?;
        Ok(Node::Backref(group))
    }

    /// An octal escape's value, at most 0o377.
    fn octal_value(&self, digits: &str, token: Token) -> Parse<u32> {
        let value = u32::from_str_radix(digits, 8).unwrap_or(u32::MAX);
        if value > 0o377 {
            let message = format!("octal escape value \\{digits} outside of range 0-0o377");
            return Err(re_error(message, token.at, self.lexer.tell()));
        }
        Ok(value)
    }

    /// Inside a lookbehind, a group reference must name a group closed before the
    /// lookbehind began. Python reports it just after the reference.
    fn check_lookbehind_reference(&self, group: usize) -> Parse<()> {
        let Some(floor) = self.lookbehind_floor else {
            return Ok(());
        };
        let here = self.lexer.tell();
        if !self.is_closed(group) {
            return Err(re_error("cannot refer to an open group", here, here));
        }
        if group >= floor {
            let message = "cannot refer to group defined in the same lookbehind subpattern";
            return Err(re_error(message, here, here));
        }
        Ok(())
    }

    fn is_closed(&self, group: usize) -> bool {
        self.groups.get(group).is_some_and(Option::is_some)
    }

    // --- character classes --------------------------------------------------------------

    fn class(&mut self, open: Token) -> Parse<()> {
        self.lexer.eat('^')?;
        let mut items = 0usize;
        loop {
            let Some(this) = self.lexer.bump()? else {
                return Err(self.unterminated_class(open));
            };
            if this.is(']') && items > 0 {
                return Ok(());
            }
            let first = self.class_item(this)?;
            if self.lexer.eat('-')? {
                let Some(that) = self.lexer.bump()? else {
                    return Err(self.unterminated_class(open));
                };
                if that.is(']') {
                    return Ok(());
                }
                let last = self.class_item(that)?;
                if !matches!((first, last), (Some(lo), Some(hi)) if lo <= hi) {
                    return Err(self.bad_range(this, that));
                }
            }
            items += 1;
        }
    }

    fn unterminated_class(&self, open: Token) -> Stop {
        re_error("unterminated character set", open.at, self.lexer.tell())
    }

    /// Python counts back from the end of the range by the written lengths of its two
    /// ends, so after `\x41` it points into the escape: kept, as that is what it reports.
    fn bad_range(&self, this: Token, that: Token) -> Stop {
        let end = self.lexer.tell();
        let position = end.saturating_sub(this.width() + 1 + that.width());
        let message = format!("bad character range {}-{}", this.text(), that.text());
        re_error(message, position, end)
    }

    /// A class member: `Some(code point)` for a character, `None` for `\d` and the like.
    fn class_item(&mut self, token: Token) -> Parse<Option<u32>> {
        if !token.escaped {
            return Ok(Some(u32::from(token.ch)));
        }
        let code = match token.ch {
            'a' => 7,
            'b' => 8,
            't' => 9,
            'n' => 10,
            'v' => 11,
            'f' => 12,
            'r' => 13,
            'd' | 'D' | 's' | 'S' | 'w' | 'W' => return Ok(None),
            'x' | 'u' | 'U' => self.hex_escape(token)?,
            c if is_octal(c) => {
                let more = self.lexer.take_while(2, is_octal)?;
                self.octal_value(&format!("{c}{more}"), token)?
            }
            c if c.is_ascii_alphanumeric() => return Err(bad_escape(&token.text(), token)),
            c => u32::from(c),
        };
        Ok(Some(code))
    }

    // --- quantifiers --------------------------------------------------------------------

    fn quantifier(&mut self, quantifier: Token, items: &mut Vec<Node>) -> Parse<()> {
        let (min, max) = match quantifier.ch {
            '?' => (0, 1),
            '*' => (0, MAX_REPEAT),
            '+' => (1, MAX_REPEAT),
            _ => match self.braces()? {
                Some(bounds) => bounds,
                None => {
                    items.push(Node::Char); // a `{` that is not a quantifier is literal
                    return Ok(());
                }
            },
        };
        let end = self.lexer.tell();
        match items.last() {
            None | Some(Node::Anchor) => {
                return Err(re_error("nothing to repeat", quantifier.at, end));
            }
            Some(Node::Repeat { .. }) => {
                return Err(re_error("multiple repeat", quantifier.at, end));
            }
            Some(_) => {}
        }
        let lazy = self.lexer.eat('?')?;
        let body = items.pop().into_iter().collect();
        items.push(Node::Repeat {
            min,
            max,
            lazy,
            quantifier: quantifier.at..self.lexer.tell(),
            body,
        });
        Ok(())
    }

    /// `{m}`, `{m,}`, `{,n}`, `{m,n}` after the `{`; `None` when the text is not one of
    /// them (then the `{` is an ordinary character and reading resumes after it).
    fn braces(&mut self) -> Parse<Option<(u64, u64)>> {
        let after_brace = self.lexer.tell();
        if self.lexer.peek().is_some_and(|t| t.is('}')) {
            return Ok(None);
        }
        let low = self.lexer.take_digits()?;
        let high = match self.lexer.eat(',')? {
            true => self.lexer.take_digits()?,
            false => low.clone(),
        };
        if !self.lexer.eat('}')? {
            self.lexer.seek(after_brace)?;
            return Ok(None);
        }
        let count_end = self.lexer.tell() - 1;
        let too_large = || {
            unplaced_error(
                Exception::OverflowError,
                "the repetition number is too large",
                after_brace..count_end,
            )
        };
        let mut min = 0;
        let mut max = MAX_REPEAT;
        if !low.is_empty() {
            min = saturating_number(&low);
            if min >= MAX_REPEAT {
                return Err(too_large());
            }
        }
        if !high.is_empty() {
            max = saturating_number(&high);
            if max >= MAX_REPEAT {
                return Err(too_large());
            }
            if max < min {
                let message = "min repeat greater than max repeat";
                return Err(re_error(message, after_brace, count_end));
            }
        }
        Ok(Some((min, max)))
    }

    // --- groups -------------------------------------------------------------------------

    /// What follows a `(`: a group, a lookaround, a conditional, a reference, or nothing
    /// (a comment, global flags).
    fn group(&mut self, open: Token, verbose: bool) -> Parse<Option<Node>> {
        if !self.lexer.eat('?')? {
            return self.capturing_group(open, None, verbose).map(Some);
        }
        let Some(kind) = self.lexer.bump()? else {
            let end = self.lexer.tell();
            return Err(re_error("unexpected end of pattern", end, end));
        };
        let unknown = |parser: &Self, written: String| {
            let message = format!("unknown extension ?{written}");
            re_error(message, open.at + 1, parser.lexer.tell())
        };
        if kind.escaped {
            return Err(unknown(self, kind.text()));
        }
        match kind.ch {
            'P' => self.python_extension(open, verbose),
            ':' => self.group_body(open, None, verbose).map(Some),
            '#' => self.comment(open).map(|()| None),
            '=' | '!' => self.lookaround(open, false, verbose).map(Some),
            '<' => {
                let Some(direction) = self.lexer.bump()? else {
                    let end = self.lexer.tell();
                    return Err(re_error("unexpected end of pattern", end, end));
                };
                if !(direction.is('=') || direction.is('!')) {
                    return Err(unknown(self, format!("<{}", direction.text())));
                }
                self.lookaround(open, true, verbose).map(Some)
            }
            '(' => self.conditional(open, verbose).map(Some),
            c if flag(c).is_some() || c == '-' => self.flags_group(open, kind, verbose),
            _ => Err(unknown(self, kind.text())),
        }
    }

    /// `(?P<name>…)` and `(?P=name)`.
    fn python_extension(&mut self, open: Token, verbose: bool) -> Parse<Option<Node>> {
        if self.lexer.eat('<')? {
            let name = self.lexer.name_until('>')?;
            self.require_identifier(&name)?;
            return self.capturing_group(open, Some(name), verbose).map(Some);
        }
        if self.lexer.eat('=')? {
            let name = self.lexer.name_until(')')?;
            self.require_identifier(&name)?;
            let Some(&group) = self.names.get(&name.text) else {
                return Err(name.error(format!("unknown group name {}", py_repr(&name.text))));
            };
            if !self.is_closed(group) {
                return Err(name.error("cannot refer to an open group".to_string()));
            }
            self.check_lookbehind_reference(group)?;
            return Ok(Some(Node::Backref(group)));
        }
        match self.lexer.bump()? {
            None => {
                let end = self.lexer.tell();
                Err(re_error("unexpected end of pattern", end, end))
            }
            Some(token) => {
                let message = format!("unknown extension ?P{}", token.text());
                Err(re_error(message, open.at + 1, self.lexer.tell()))
            }
        }
    }

    fn require_identifier(&self, name: &Name) -> Parse<()> {
        match is_identifier(&name.text) {
            Some(true) => Ok(()),
            Some(false) => Err(name.error(format!(
                "bad character in group name {}",
                py_repr(&name.text)
            ))),
            None => Err(Stop::Undecided("non-ASCII group name")),
        }
    }

    fn capturing_group(&mut self, open: Token, name: Option<Name>, verbose: bool) -> Parse<Node> {
        let number = self.groups.len();
        self.groups.push(None);
        if let Some(name) = name {
            if let Some(&earlier) = self.names.get(&name.text) {
                return Err(name.error(format!(
                    "redefinition of group name {} as group {number}; was group {earlier}",
                    py_repr(&name.text)
                )));
            }
            self.names.insert(name.text, number);
        }
        self.group_body(open, Some(number), verbose)
    }

    /// The inside of a group up to its `)`; a capturing group's width is recorded when it
    /// closes (a later reference to it matches that many characters).
    fn group_body(&mut self, open: Token, number: Option<usize>, verbose: bool) -> Parse<Node> {
        self.enter(open, GROUP_FRAMES)?;
        let body = self.alternation(verbose)?;
        self.leave(GROUP_FRAMES);
        self.close(open)?;
        if let Some(number) = number {
            self.groups[number] = Some(self.width(&body));
        }
        Ok(Node::Group(body))
    }

    fn close(&mut self, open: Token) -> Parse<()> {
        if self.lexer.eat(')')? {
            return Ok(());
        }
        Err(re_error(
            "missing ), unterminated subpattern",
            open.at,
            open.end(),
        ))
    }

    fn comment(&mut self, open: Token) -> Parse<()> {
        loop {
            if self.lexer.peek().is_none() {
                let end = self.lexer.tell();
                return Err(re_error("missing ), unterminated comment", open.at, end));
            }
            if self.lexer.bump()?.is_some_and(|t| t.is(')')) {
                return Ok(());
            }
        }
    }

    fn lookaround(&mut self, open: Token, behind: bool, verbose: bool) -> Parse<Node> {
        let outermost_lookbehind = behind && self.lookbehind_floor.is_none();
        if outermost_lookbehind {
            self.lookbehind_floor = Some(self.groups.len());
        }
        self.enter(open, GROUP_FRAMES)?;
        let body = self.alternation(verbose)?;
        self.leave(GROUP_FRAMES);
        if outermost_lookbehind {
            self.lookbehind_floor = None;
        }
        self.close(open)?;
        Ok(Node::Lookaround {
            behind,
            open: open.at,
            end: self.lexer.tell(),
            body,
        })
    }

    /// `(?(1)yes|no)` or `(?(name)yes|no)`.
    fn conditional(&mut self, open: Token, verbose: bool) -> Parse<Node> {
        let name = self.lexer.name_until(')')?;
        let group = self.condition_group(&name)?;
        self.check_lookbehind_reference(group)?;
        self.enter(open, CONDITIONAL_FRAMES)?;
        let yes = self.sequence(verbose)?;
        let mut no = None;
        if self.lexer.eat('|')? {
            no = Some(self.sequence(verbose)?);
            if let Some(bar) = self.lexer.peek().filter(|t| t.is('|')) {
                let message = "conditional backref with more than two branches";
                return Err(re_error(message, bar.at, bar.end()));
            }
        }
        self.leave(CONDITIONAL_FRAMES);
        self.close(open)?;
        self.conditions.push((group, open.at..self.lexer.tell()));
        Ok(Node::Conditional { yes, no })
    }

    /// The group a conditional tests: a name defined before it, or a number (which Python
    /// reads with `int()`, so ` 1`, `+1` and `0_1` are numbers too).
    fn condition_group(&self, name: &Name) -> Parse<usize> {
        match is_identifier(&name.text) {
            Some(true) => {
                return match self.names.get(&name.text) {
                    Some(&group) => Ok(group),
                    None => Err(name.error(format!("unknown group name {}", py_repr(&name.text)))),
                };
            }
            Some(false) => {}
            None => return Err(Stop::Undecided("non-ASCII group name")),
        }
        let bad_name = || {
            name.error(format!(
                "bad character in group name {}",
                py_repr(&name.text)
            ))
        };
        let number = match python_int(&name.text) {
            PyInt::Undecided => return Err(Stop::Undecided("non-ASCII group number")),
            PyInt::NotANumber => return Err(bad_name()),
            PyInt::Number { negative, digits } => {
                if digits == "0" {
                    return Err(name.error("bad group number".to_string()));
                }
                if negative {
                    return Err(bad_name());
                }
                digits
            }
        };
        let value = if number.len() > 19 {
            u64::MAX
        } else {
            number.parse().unwrap_or(u64::MAX)
        };
        if value >= MAX_GROUPS {
            return Err(name.error(format!("invalid group reference {number}")));
        }
        Ok(value as usize)
    }

    /// `(?imsx)` (global flags: nothing to parse further) or `(?i-s:…)` (a group).
    fn flags_group(&mut self, open: Token, first: Token, verbose: bool) -> Parse<Option<Node>> {
        match self.inline_flags(first)? {
            None => {
                if self.flags & FLAG_VERBOSE != 0 && !verbose {
                    if self.second_reading {
                        let end = self.lexer.tell();
                        return Err(unplaced_error(Exception::Verbose, "", open.at..end));
                    }
                    return Err(Stop::VerboseFound);
                }
                Ok(None)
            }
            Some((on, off)) => {
                let inner_verbose = (verbose || on & FLAG_VERBOSE != 0) && off & FLAG_VERBOSE == 0;
                self.group_body(open, None, inner_verbose).map(Some)
            }
        }
    }

    /// The letters after `(?`, starting with `first`. `None` for global flags `(?i)`,
    /// else the flags turned on and off for the group that follows the `:`.
    fn inline_flags(&mut self, first: Token) -> Parse<Option<(u8, u8)>> {
        let mut on = 0u8;
        let mut token = first;
        if !first.is('-') {
            loop {
                let bit = flag_of(token).unwrap_or(0);
                let here = self.lexer.tell();
                if bit == FLAG_LOCALE {
                    let message = "bad inline flags: cannot use 'L' flag with a str pattern";
                    return Err(re_error(message, here, here));
                }
                on |= bit;
                if bit & TYPE_FLAGS != 0 && on & TYPE_FLAGS != bit {
                    let message = "bad inline flags: flags 'a', 'u' and 'L' are incompatible";
                    return Err(re_error(message, here, here));
                }
                token = self.next_flag_token("missing -, : or )")?;
                if token.is(')') || token.is('-') || token.is(':') {
                    break;
                }
                if flag_of(token).is_none() {
                    return Err(self.not_a_flag(token, "missing -, : or )"));
                }
            }
        }
        if token.is(')') {
            self.flags |= on;
            return Ok(None);
        }
        if on & FLAG_TEMPLATE != 0 {
            let message = "bad inline flags: cannot turn on global flag";
            return Err(re_error(message, token.at, token.end()));
        }
        let mut off = 0u8;
        if token.is('-') {
            token = self.next_flag_token("missing flag")?;
            if flag_of(token).is_none() {
                return Err(self.not_a_flag(token, "missing flag"));
            }
            loop {
                let bit = flag_of(token).unwrap_or(0);
                if bit & TYPE_FLAGS != 0 {
                    let here = self.lexer.tell();
                    let message = "bad inline flags: cannot turn off flags 'a', 'u' and 'L'";
                    return Err(re_error(message, here, here));
                }
                off |= bit;
                token = self.next_flag_token("missing :")?;
                if token.is(':') {
                    break;
                }
                if flag_of(token).is_none() {
                    return Err(self.not_a_flag(token, "missing :"));
                }
            }
        }
        if off & FLAG_TEMPLATE != 0 {
            let message = "bad inline flags: cannot turn off global flag";
            return Err(re_error(message, token.at, token.end()));
        }
        if on & off != 0 {
            let message = "bad inline flags: flag turned on and off";
            return Err(re_error(message, token.at, token.end()));
        }
        Ok(Some((on, off)))
    }

    fn next_flag_token(&mut self, at_end: &str) -> Parse<Token> {
        match self.lexer.bump()? {
            Some(token) => Ok(token),
            None => {
                let end = self.lexer.tell();
                Err(re_error(at_end, end, end))
            }
        }
    }

    /// A token where a flag letter was expected: a letter is an unknown flag, anything
    /// else a missing separator.
    fn not_a_flag(&self, token: Token, otherwise: &str) -> Stop {
        let message = if !token.escaped && token.ch.is_alphabetic() {
            "unknown flag"
        } else {
            otherwise
        };
        re_error(message, token.at, token.end())
    }

    // --- after reading --------------------------------------------------------------------

    fn check_global_flags(&self) -> Parse<()> {
        if self.flags & FLAG_ASCII != 0 && self.flags & FLAG_UNICODE != 0 {
            let end = self.lexer.chars.len();
            return Err(unplaced_error(
                Exception::ValueError,
                "ASCII and UNICODE flags are incompatible",
                0..end,
            ));
        }
        Ok(())
    }

    /// What Python finds while it builds the program, in the order it visits the pattern.
    fn check_program(&self, nodes: &[Node]) -> Parse<()> {
        for node in nodes {
            match node {
                Node::Repeat {
                    lazy,
                    quantifier,
                    body,
                    ..
                } => {
                    if self.flags & FLAG_TEMPLATE != 0 {
                        let operator = if *lazy { "MIN_REPEAT" } else { "MAX_REPEAT" };
                        let message = format!("internal: unsupported template operator {operator}");
                        return Err(unplaced_error(
                            Exception::ReError,
                            &message,
                            quantifier.clone(),
                        ));
                    }
                    self.check_program(body)?;
                }
                Node::Lookaround {
                    behind,
                    open,
                    end,
                    body,
                } => {
                    let width = self.width(body);
                    if *behind && width.min != width.max {
                        return Err(unplaced_error(
                            Exception::ReError,
                            "look-behind requires fixed-width pattern",
                            *open..*end,
                        ));
                    }
                    self.check_program(body)?;
                }
                Node::Group(body) => self.check_program(body)?,
                Node::Conditional { yes, no } => {
                    self.check_program(yes)?;
                    self.check_program(no.as_deref().unwrap_or_default())?;
                }
                Node::Alternation(branches) => {
                    for branch in branches {
                        self.check_program(branch)?;
                    }
                }
                Node::Char | Node::Anchor | Node::Backref(_) => {}
            }
        }
        Ok(())
    }

    /// What the regex engine refuses when it checks the program.
    fn check_engine_limits(&self, nodes: &[Node]) -> Parse<()> {
        let groups = self.groups.len() - 1;
        let invalid_code = |at| unplaced_error(Exception::RuntimeError, "invalid SRE code", at);
        if let Some((_, at)) = self.conditions.iter().find(|(group, _)| *group > groups) {
            return Err(invalid_code(at.clone()));
        }
        if let Some(at) = self.too_wide_lookbehind(nodes) {
            return Err(invalid_code(at));
        }
        Ok(())
    }

    /// A lookbehind of 2³¹ characters or more, which the engine cannot store.
    fn too_wide_lookbehind(&self, nodes: &[Node]) -> Option<std::ops::Range<usize>> {
        nodes.iter().find_map(|node| match node {
            Node::Lookaround {
                behind: true,
                open,
                end,
                body,
            } if self.width(body).min >= 1 << 31 => Some(*open..*end),
            Node::Repeat { body, .. } | Node::Group(body) | Node::Lookaround { body, .. } => {
                self.too_wide_lookbehind(body)
            }
            Node::Conditional { yes, no } => self
                .too_wide_lookbehind(yes)
                .or_else(|| self.too_wide_lookbehind(no.as_deref().unwrap_or_default())),
            Node::Alternation(branches) => {
                branches.iter().find_map(|b| self.too_wide_lookbehind(b))
            }
            Node::Char | Node::Anchor | Node::Backref(_) => None,
        })
    }

    // --- widths ---------------------------------------------------------------------------

    fn width(&self, nodes: &[Node]) -> Width {
        let (mut min, mut max) = (0u128, 0u128);
        for node in nodes {
            let (lo, hi) = self.node_width(node);
            min = min.saturating_add(lo);
            max = max.saturating_add(hi);
        }
        Width::capped(min, max)
    }

    fn node_width(&self, node: &Node) -> (u128, u128) {
        let of = |w: Width| (u128::from(w.min), u128::from(w.max));
        match node {
            Node::Char => (1, 1),
            Node::Anchor | Node::Lookaround { .. } => (0, 0),
            Node::Repeat { min, max, body, .. } => {
                let (lo, hi) = of(self.width(body));
                (
                    lo.saturating_mul(u128::from(*min)),
                    hi.saturating_mul(u128::from(*max)),
                )
            }
            Node::Group(body) => of(self.width(body)),
            Node::Backref(group) => of(self
                .groups
                .get(*group)
                .copied()
                .flatten()
                .unwrap_or(Width { min: 0, max: 0 })),
            Node::Conditional { yes, no } => {
                let (lo, hi) = of(self.width(yes));
                match no {
                    Some(no) => {
                        let (no_lo, no_hi) = of(self.width(no));
                        (lo.min(no_lo), hi.max(no_hi))
                    }
                    None => (0, hi),
                }
            }
            Node::Alternation(branches) => {
                let widths: Vec<(u128, u128)> =
                    branches.iter().map(|b| of(self.width(b))).collect();
                let lo = widths.iter().map(|w| w.0).min().unwrap_or(0);
                let hi = widths.iter().map(|w| w.1).max().unwrap_or(0);
                (lo.min(u128::from(MAX_REPEAT - 1)), hi)
            }
        }
    }
}

fn bad_escape(text: &str, token: Token) -> Stop {
    re_error(format!("bad escape {text}"), token.at, token.end())
}

/// A string of ASCII digits as a number, `u64::MAX` when it does not fit.
fn saturating_number(digits: &str) -> u64 {
    digits.bytes().fold(0u64, |n, d| {
        n.saturating_mul(10).saturating_add(u64::from(d - b'0'))
    })
}

// ---------------------------------------------------------------------------------------
// Python's string helpers
// ---------------------------------------------------------------------------------------

/// Python's `str.isidentifier()`, when it can be decided without the Unicode database:
/// ASCII names exactly, names with a space or control character, and names whose other
/// characters are letters of a few common
/// alphabets (Latin-1, Latin Extended-A, Greek, Cyrillic, Hebrew, Arabic, kana, CJK
/// ideographs, Hangul), which are identifier characters in every Unicode version.
fn is_identifier(name: &str) -> Option<bool> {
    let first = name.chars().next()?;
    let ascii_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    // Spaces and control characters are never part of an identifier, in any version.
    let never = |c: char| (c.is_ascii() && !ascii_word(c)) || c.is_whitespace() || c.is_control();
    if first.is_ascii_digit() || name.chars().any(never) {
        return Some(false);
    }
    if name.chars().all(|c| c.is_ascii() || is_common_letter(c)) {
        return Some(true);
    }
    None
}

fn is_common_letter(c: char) -> bool {
    matches!(c,
        '\u{c0}'..='\u{d6}' | '\u{d8}'..='\u{f6}' | '\u{f8}'..='\u{ff}'
        | '\u{100}'..='\u{148}' | '\u{14a}'..='\u{17e}'
        | '\u{391}'..='\u{3a1}' | '\u{3a3}'..='\u{3a9}' | '\u{3b1}'..='\u{3c9}'
        | '\u{400}'..='\u{45f}'
        | '\u{5d0}'..='\u{5ea}'
        | '\u{621}'..='\u{63a}' | '\u{641}'..='\u{64a}'
        | '\u{3041}'..='\u{3096}' | '\u{30a1}'..='\u{30fa}'
        | '\u{4e00}'..='\u{9fa5}'
        | '\u{ac00}'..='\u{d7a3}')
}

/// What Python's `int()` makes of a conditional's group.
enum PyInt {
    /// The sign and the digits without underscores or leading zeros.
    Number {
        negative: bool,
        digits: String,
    },
    NotANumber,
    /// Non-ASCII text: `int()` accepts any Unicode digit and space.
    Undecided,
}

fn python_int(text: &str) -> PyInt {
    if !text.is_ascii() || text.chars().any(|c| ('\u{1c}'..='\u{1f}').contains(&c)) {
        return PyInt::Undecided;
    }
    let trimmed = text.trim_matches(is_verbose_space);
    let (negative, body) = match trimmed.as_bytes().first() {
        Some(b'-') => (true, &trimmed[1..]),
        Some(b'+') => (false, &trimmed[1..]),
        _ => (false, trimmed),
    };
    let well_formed = !body.is_empty()
        && body
            .split('_')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()));
    if !well_formed {
        return PyInt::NotANumber;
    }
    let digits: String = body.chars().filter(|&c| c != '_').collect();
    let significant = digits.trim_start_matches('0');
    PyInt::Number {
        negative,
        digits: if significant.is_empty() {
            "0".to_string()
        } else {
            significant.to_string()
        },
    }
}

/// Python's `repr()` of a string, as its error messages quote group names. Which non-ASCII
/// characters Python escapes is approximated (controls, spaces, format characters and
/// private use are escaped; other characters are kept).
pub fn py_repr(text: &str) -> String {
    let quote = if text.contains('\'') && !text.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::from(quote);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if !is_printable(c) => {
                let code = u32::from(c);
                match code {
                    0..=0xff => out.push_str(&format!("\\x{code:02x}")),
                    0x100..=0xffff => out.push_str(&format!("\\u{code:04x}")),
                    _ => out.push_str(&format!("\\U{code:08x}")),
                }
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

fn is_printable(c: char) -> bool {
    !matches!(c,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{a0}' | '\u{ad}'
        | '\u{600}'..='\u{605}' | '\u{61c}' | '\u{6dd}' | '\u{70f}' | '\u{180e}'
        | '\u{1680}' | '\u{2000}'..='\u{200f}' | '\u{2028}'..='\u{202f}'
        | '\u{205f}'..='\u{206f}' | '\u{3000}' | '\u{e000}'..='\u{f8ff}' | '\u{feff}'
        | '\u{fff9}'..='\u{fffb}' | '\u{fffe}' | '\u{ffff}' | '\u{e0000}'..='\u{e0fff}'
        | '\u{f0000}'..)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(pattern: &str) -> (String, Option<usize>) {
        match check(pattern) {
            Verdict::Invalid(e) => (e.message, e.position),
            other => panic!("{pattern:?}: expected an error, got {other:?}"),
        }
    }

    #[test]
    fn accepts_what_python_accepts() {
        for pattern in [
            r"[0-9]{5}",
            r"hey[^\s]*",
            r"(?P<year>\d{4})-(?P=year)",
            r"(?<=ab)c",
            r"(a)(?(1)b|c)",
            r"(?i)x(?x) y",
            r"a{,3}",
            r"\Z",
            r"(?<=(?:a*){0})",
        ] {
            assert_eq!(check(pattern), Verdict::Valid, "{pattern}");
        }
    }

    #[test]
    fn reports_python_errors_where_python_does() {
        assert_eq!(error(r"\p{L}"), ("bad escape \\p".into(), Some(0)));
        assert_eq!(error(r"[z-a]"), ("bad character range z-a".into(), Some(1)));
        assert_eq!(
            error(r"[\d-\x41]"),
            ("bad character range \\d-\\x".into(), Some(3))
        );
        assert_eq!(error(r"a**"), ("multiple repeat".into(), Some(2)));
        assert_eq!(
            error(r"(a"),
            ("missing ), unterminated subpattern".into(), Some(0))
        );
        assert_eq!(
            error(r"(?<=a|bc)"),
            ("look-behind requires fixed-width pattern".into(), None)
        );
        assert_eq!(
            error(r"ab\"),
            ("bad escape (end of pattern)".into(), Some(2))
        );
    }

    #[test]
    fn leaves_undecidable_names_alone() {
        assert!(matches!(check("(?P<a\u{301}>x)"), Verdict::Undecided(_)));
        assert_eq!(check("(?P<名前>x)"), Verdict::Valid);
    }

    #[test]
    fn nested_alternatives_in_a_lookbehind_take_linear_time() {
        let depth = MAX_DEPTH - 2;
        let pattern = format!("(?<={}x{})", "(?:ab|".repeat(depth), ")".repeat(depth));
        let started = std::time::Instant::now();
        assert!(matches!(check(&pattern), Verdict::Invalid(_)));
        // A guard against the exponential case (which never ends), not a speed measure.
        assert!(started.elapsed() < std::time::Duration::from_secs(30));
    }

    fn nested(open: &str, depth: usize, close: &str) -> String {
        format!("{}x{}", open.repeat(depth), close.repeat(depth))
    }

    fn recursion_error_at(pattern: &str) -> Option<std::ops::Range<usize>> {
        match check(pattern) {
            Verdict::Invalid(e) if e.exception == Exception::RecursionError => Some(e.at),
            _ => None,
        }
    }

    #[test]
    fn deep_nesting_is_a_recursion_error_and_does_not_overflow() {
        let deep = nested("(", 5000, ")");
        assert_eq!(recursion_error_at(&deep), Some(495..496));
        let error = match check(&deep) {
            Verdict::Invalid(error) => error,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            (error.position, error.python_text()),
            (None, "maximum recursion depth exceeded".to_string())
        );
    }

    /// Python 3.7 from a module's top level (the shallowest caller): 495 nested groups
    /// compile, 496 do not; conditionals take one frame to a group's two.
    #[test]
    fn python_s_recursion_limit_is_where_python_reaches_it() {
        for open in ["(", "(?:", "(?=", "(?<=", "(?i:", "(?P<g>"] {
            let depth = if open == "(?P<g>" { 1 } else { 495 };
            let pattern = nested(open, depth, ")");
            assert!(
                matches!(check(&pattern), Verdict::Undecided(_) | Verdict::Valid),
                "{open}"
            );
        }
        assert!(matches!(
            check(&nested("(", 495, ")")),
            Verdict::Undecided(_)
        ));
        assert!(recursion_error_at(&nested("(", 496, ")")).is_some());
        assert!(recursion_error_at(&nested("(?<=", 496, ")")).is_some());
        let conditionals = |n| format!("(a){}", nested("(?(1)", n, ")"));
        assert!(matches!(check(&conditionals(990)), Verdict::Undecided(_)));
        assert_eq!(
            recursion_error_at(&conditionals(991)),
            Some(3 + 990 * 5..3 + 990 * 5 + 1)
        );
        let mixed = |n| {
            format!(
                "{}(a){}{}",
                "(".repeat(300),
                nested("(?(1)", n, ")"),
                ")".repeat(300)
            )
        };
        assert!(matches!(check(&mixed(390)), Verdict::Undecided(_)));
        assert!(recursion_error_at(&mixed(391)).is_some());
        assert_eq!(check(&nested("(", 100, ")")), Verdict::Valid);
    }

    /// Python reads in order: an error met before the limit is the one it raises.
    #[test]
    fn an_error_before_the_recursion_limit_comes_first() {
        let pattern = format!("{}\\p{}", "(".repeat(200), nested("(", 400, ")"));
        match check(&pattern) {
            Verdict::Invalid(error) => {
                assert_eq!(error.python_text(), "bad escape \\p at position 200")
            }
            other => panic!("{other:?}"),
        }
    }
}
