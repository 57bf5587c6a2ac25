//! The tree built from granit-parser's events, as ruamel's safe constructor builds Python
//! values from the same text: scalars resolved by [`super::resolve`], explicit core tags
//! honoured, merge keys (`<<`) flattened, aliases replayed within a budget proportional to
//! the text, and every other tag refused as Rasa refuses it.
//!
//! The builder keeps an explicit stack of open collections, so nesting costs heap, not
//! call stack; granit-parser bounds it (255 nested flow and 255 nested block collections).

use std::borrow::Cow;

use granit_parser::{ErrorKind, Event, Parser, ScalarStyle, ScanError, StructureStyle, Tag};
use rustc_hash::FxHashMap;

use super::resolve::{self, Resolved};
use super::{KeyId, Node, Value, YamlError};
use crate::source::{Span, floor_char_boundary};

/// Reads the one document of `text` into a tree.
pub(super) fn build(text: &str) -> Result<Node, YamlError> {
    // A block scalar on the text's last line, with no line break after it, ends there
    // (`a: |\n  b` is "b"), as ruamel reads it, not as the YAML test suite would.
    let options = granit_parser::options! {
        emit_comments: false,
        block_scalar_eof_without_line_feed: true,
    };
    let mut tree = TreeBuilder::new(text);
    for next in Parser::new_from_str_with_options(text, options) {
        let (event, span) = next.map_err(|error| scan_error(&error, text))?;
        let span = tree.byte_span(&span);
        tree.event(event, span)?;
    }
    Ok(tree.finish())
}

/// How many nodes aliases may replay in a text of `len` bytes: twice what the text could
/// hold, and at least 100,000. An alias bomb (aliases of aliases, each level multiplying
/// the last) passes it within milliseconds and is refused.
pub(super) fn replay_bound(len: usize) -> usize {
    len.saturating_mul(2).saturating_add(100_000)
}

struct TreeBuilder<'t> {
    text: &'t str,
    open: Vec<Open>,
    root: Option<Node>,
    documents: usize,
    /// Anchored nodes by granit's anchor id, with their node counts.
    anchors: FxHashMap<usize, (Node, usize)>,
    /// Nodes aliases may still replay.
    replay_budget: usize,
}

/// A collection whose end has not been read yet.
struct Open {
    start: usize,
    flow: bool,
    anchor: usize,
    tag: Option<CoreTag>,
    children: Children,
}

enum Children {
    Seq(Vec<Node>),
    Map {
        entries: Vec<(Node, Node)>,
        /// The key read, waiting for its value.
        key: Option<Key>,
        /// The values of `<<` keys, merged when the mapping closes.
        merges: Vec<(Span, Node)>,
    },
}

/// What a scalar event builds: a node, or the merge key, which is no node of the tree.
enum Scalar {
    Node(Node),
    MergeKey(Span),
}

enum Key {
    Plain(Node),
    /// `<<`, at this span.
    Merge(Span),
}

/// The tags of YAML's core schema (and ruamel's extras) the safe constructor builds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CoreTag {
    Str,
    Int,
    Float,
    Bool,
    Null,
    Seq,
    Map,
    /// `!!binary`, `!!timestamp`, `!!set`, `!!omap`, `!!pairs`: kept as written; nothing
    /// Rasa reads holds them.
    Other,
    /// `!!merge`: a merge key spelled out.
    Merge,
}

impl<'t> TreeBuilder<'t> {
    fn new(text: &'t str) -> Self {
        TreeBuilder {
            text,
            open: Vec::new(),
            root: None,
            documents: 0,
            anchors: FxHashMap::default(),
            replay_budget: replay_bound(text.len()),
        }
    }

    fn byte_span(&self, span: &granit_parser::Span) -> Span {
        let offset = |marker: &granit_parser::Marker| {
            let at = marker.byte_offset().unwrap_or_else(|| marker.index());
            floor_char_boundary(self.text, at.min(self.text.len()))
        };
        let start = offset(&span.start);
        start..offset(&span.end).max(start)
    }

    fn event(&mut self, event: Event<'_>, span: Span) -> Result<(), YamlError> {
        match event {
            Event::DocumentStart(..) => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(YamlError {
                        message: "multiple documents in one file (a second `---`): Rasa expects a single document and stops here".into(),
                        span,
                    });
                }
            }
            Event::Scalar(value, style, anchor, tag) => {
                match self.scalar(value, style, tag.as_deref(), span)? {
                    Scalar::Node(node) => self.complete(node, anchor)?,
                    Scalar::MergeKey(span) => self.merge_key(span),
                }
            }
            Event::Alias(id) => {
                let node = self.replay(id, span)?;
                self.complete(node, 0)?;
            }
            Event::SequenceStart(style, anchor, tag) => {
                self.start(
                    Children::Seq(Vec::new()),
                    style,
                    anchor,
                    tag.as_deref(),
                    span,
                )?;
            }
            Event::MappingStart(style, anchor, tag) => {
                let children = Children::Map {
                    entries: Vec::new(),
                    key: None,
                    merges: Vec::new(),
                };
                self.start(children, style, anchor, tag.as_deref(), span)?;
            }
            Event::SequenceEnd | Event::MappingEnd => self.end(span)?,
            _ => {}
        }
        Ok(())
    }

    fn finish(self) -> Node {
        self.root.unwrap_or(Node {
            value: Value::Null,
            span: 0..0,
        })
    }

    /// Whether the next node completed is a mapping key.
    fn at_key(&self) -> bool {
        matches!(
            self.open.last(),
            Some(Open {
                children: Children::Map { key: None, .. },
                ..
            })
        )
    }

    fn scalar(
        &self,
        value: Cow<'_, str>,
        style: ScalarStyle,
        tag: Option<&Tag>,
        span: Span,
    ) -> Result<Scalar, YamlError> {
        let value = match tag.map(|tag| core_tag(tag, &span)).transpose()? {
            None if style == ScalarStyle::Plain => match resolve::plain(&value) {
                Resolved::Value(value) => value,
                Resolved::Text => Value::Str(value.into()),
                Resolved::Merge if self.at_key() => return Ok(Scalar::MergeKey(span)),
                Resolved::ValueKey if self.at_key() => Value::Str(value.into()),
                Resolved::Merge | Resolved::ValueKey => {
                    return Err(no_constructor(&format!("`{value}` as a value"), span));
                }
            },
            None | Some(CoreTag::Str | CoreTag::Other) => Value::Str(value.into()),
            Some(CoreTag::Merge) if self.at_key() => return Ok(Scalar::MergeKey(span)),
            Some(tag) => tagged_scalar(&value, tag, &span)?,
        };
        Ok(Scalar::Node(Node { value, span }))
    }

    /// A `<<` key: the mapping's next value is merged into it.
    fn merge_key(&mut self, span: Span) {
        if let Some(Open {
            children: Children::Map { key, .. },
            ..
        }) = self.open.last_mut()
        {
            *key = Some(Key::Merge(span));
        }
    }

    fn start(
        &mut self,
        children: Children,
        style: StructureStyle,
        anchor: usize,
        tag: Option<&Tag>,
        span: Span,
    ) -> Result<(), YamlError> {
        let tag = tag.map(|tag| core_tag(tag, &span)).transpose()?;
        self.open.push(Open {
            start: span.start,
            flow: style == StructureStyle::Flow,
            anchor,
            tag,
            children,
        });
        Ok(())
    }

    fn end(&mut self, span: Span) -> Result<(), YamlError> {
        let Some(open) = self.open.pop() else {
            return Ok(());
        };
        let (value, last_end) = match open.children {
            Children::Seq(items) => {
                let end = items.last().map(|n| n.span.end);
                (Value::Seq(items), end)
            }
            Children::Map {
                entries, merges, ..
            } => {
                let end = entries.iter().map(|(_, v)| v.span.end).max();
                let end = end.max(merges.iter().map(|(_, v)| v.span.end).max());
                (Value::Map(merged(entries, merges)?), end)
            }
        };
        let end = if open.flow {
            span.end
        } else {
            last_end.unwrap_or(open.start).max(open.start)
        };
        let node = Node {
            value,
            span: open.start..end,
        };
        check_collection_tag(&node, open.tag)?;
        self.complete(node, open.anchor)
    }

    /// Files a finished node: under its anchor, then into the open collection (or as the
    /// document).
    fn complete(&mut self, node: Node, anchor: usize) -> Result<(), YamlError> {
        if anchor != 0 {
            let size = node_count(&node);
            self.anchors.insert(anchor, (node.clone(), size));
        }
        let Some(parent) = self.open.last_mut() else {
            self.root = Some(node);
            return Ok(());
        };
        match &mut parent.children {
            Children::Seq(items) => items.push(node),
            Children::Map {
                entries,
                key,
                merges,
            } => match key.take() {
                None => *key = Some(Key::Plain(node)),
                Some(Key::Plain(key)) => entries.push((key, node)),
                Some(Key::Merge(at)) => merges.push((at, node)),
            },
        }
        Ok(())
    }

    /// A copy of the anchored node, every part of it located at the alias.
    fn replay(&mut self, id: usize, span: Span) -> Result<Node, YamlError> {
        let Some((node, size)) = self.anchors.get(&id) else {
            return Err(YamlError {
                message: "this alias refers to the collection it is inside of (a recursive structure), which Rasa cannot use".into(),
                span,
            });
        };
        if *size > self.replay_budget {
            return Err(YamlError {
                message: format!(
                    "YAML document too large or too complex: its aliases (`*name`) expand to more than {} nodes, far more than the text holds; rasalint stops reading it (an alias bomb?)",
                    replay_bound(self.text.len())
                ),
                span,
            });
        }
        self.replay_budget -= size;
        let mut copy = node.clone();
        locate_at(&mut copy, &span);
        Ok(copy)
    }
}

/// A mapping's entries after ruamel's `flatten_mapping`: with no `<<` key, the entries as
/// written (duplicates kept for the readers to report); with one, the merged mappings'
/// entries first (of a list of mappings, the last first), then the mapping's own, each key
/// once, at its first place with its last value, as a Python dict built from them holds
/// them (ruamel checks no duplicates in a mapping that merges).
fn merged(
    entries: Vec<(Node, Node)>,
    merges: Vec<(Span, Node)>,
) -> Result<Vec<(Node, Node)>, YamlError> {
    if merges.is_empty() {
        return Ok(entries);
    }
    if let Some((at, _)) = merges.get(1) {
        return Err(YamlError {
            message:
                "duplicate key `<<`: a mapping merges one value (a mapping, or a list of mappings)"
                    .into(),
            span: at.clone(),
        });
    }
    let mut all = Vec::new();
    for (_, value) in merges {
        match value.value {
            Value::Map(merged) => all.extend(merged),
            Value::Seq(items) => {
                for item in items.into_iter().rev() {
                    match item.value {
                        Value::Map(merged) => all.extend(merged),
                        other => {
                            return Err(YamlError {
                                message: format!(
                                    "expected a mapping for merging (`<<`), but found {}",
                                    other.kind()
                                ),
                                span: item.span,
                            });
                        }
                    }
                }
            }
            other => {
                return Err(YamlError {
                    message: format!(
                        "expected a mapping or list of mappings for merging (`<<`), but found {}",
                        other.kind()
                    ),
                    span: value.span,
                });
            }
        }
    }
    all.extend(entries);
    Ok(dict_entries(all))
}

/// Entries as a Python dict built from them in order keeps them: each key at its first
/// place, with its last value (and key node, so findings point at the mapping's own key).
fn dict_entries(all: Vec<(Node, Node)>) -> Vec<(Node, Node)> {
    let mut first: FxHashMap<KeyId<'_>, usize> = FxHashMap::default();
    let place: Vec<usize> = (all.iter().enumerate())
        .map(|(i, (key, _))| key.key_id().map_or(i, |id| *first.entry(id).or_insert(i)))
        .collect();
    drop(first);
    let mut slots: Vec<Option<(Node, Node)>> =
        std::iter::repeat_with(|| None).take(all.len()).collect();
    for (entry, at) in all.into_iter().zip(place) {
        slots[at] = Some(entry);
    }
    slots.into_iter().flatten().collect()
}

fn node_count(node: &Node) -> usize {
    1 + match &node.value {
        Value::Seq(items) => items.iter().map(node_count).sum(),
        Value::Map(entries) => entries
            .iter()
            .map(|(k, v)| node_count(k) + node_count(v))
            .sum(),
        _ => 0,
    }
}

/// Locates every part of a replayed node at the alias that replays it.
fn locate_at(node: &mut Node, span: &Span) {
    node.span = span.clone();
    match &mut node.value {
        Value::Seq(items) => items.iter_mut().for_each(|n| locate_at(n, span)),
        Value::Map(entries) => entries.iter_mut().for_each(|(k, v)| {
            locate_at(k, span);
            locate_at(v, span);
        }),
        _ => {}
    }
}

/// The core tag `tag` names, or the refusal ruamel's safe constructor gives any other.
fn core_tag(tag: &Tag, span: &Span) -> Result<CoreTag, YamlError> {
    // `!` alone is the non-specific tag: a string for scalars, the usual kind otherwise.
    if tag.handle() == "!" && tag.suffix().is_empty() {
        return Ok(CoreTag::Other);
    }
    let suffix = if tag.is_yaml_core_schema() || tag.handle() == "tag:yaml.org,2002:" {
        tag.suffix()
    } else {
        ""
    };
    Ok(match suffix {
        "str" => CoreTag::Str,
        "int" => CoreTag::Int,
        "float" => CoreTag::Float,
        "bool" => CoreTag::Bool,
        "null" => CoreTag::Null,
        "seq" => CoreTag::Seq,
        "map" => CoreTag::Map,
        "merge" => CoreTag::Merge,
        "binary" | "timestamp" | "set" | "omap" | "pairs" => CoreTag::Other,
        _ => return Err(no_constructor(&format!("the tag `{tag}`"), span.clone())),
    })
}

fn no_constructor(what: &str, span: Span) -> YamlError {
    YamlError {
        message: format!(
            "Rasa's YAML reader cannot build {what} (\"could not determine a constructor\") and refuses the file"
        ),
        span,
    }
}

/// A scalar with an explicit core tag, built as ruamel's constructors build it.
fn tagged_scalar(text: &str, tag: CoreTag, span: &Span) -> Result<Value, YamlError> {
    let refused = |what: &str| YamlError {
        message: format!("`{text}` is not {what}, as its tag says"),
        span: span.clone(),
    };
    Ok(match tag {
        CoreTag::Int => resolve::int(text).ok_or_else(|| refused("an integer"))?,
        CoreTag::Float => resolve::float(text)
            .map(Value::Float)
            .or_else(|| match resolve::int(text) {
                Some(Value::Int(i)) => Some(Value::Float(i as f64)),
                other => other,
            })
            .ok_or_else(|| refused("a number"))?,
        CoreTag::Bool => match text.to_lowercase().as_str() {
            "yes" | "y" | "true" | "on" => Value::Bool(true),
            "no" | "n" | "false" | "off" => Value::Bool(false),
            _ => return Err(refused("a boolean")),
        },
        CoreTag::Null => Value::Null,
        CoreTag::Seq | CoreTag::Map | CoreTag::Merge => {
            return Err(refused("a collection"));
        }
        CoreTag::Str | CoreTag::Other => Value::Str(text.into()),
    })
}

fn check_collection_tag(node: &Node, tag: Option<CoreTag>) -> Result<(), YamlError> {
    let fits = match tag {
        None | Some(CoreTag::Other) => true,
        Some(CoreTag::Seq) => matches!(node.value, Value::Seq(_)),
        Some(CoreTag::Map) => matches!(node.value, Value::Map(_)),
        Some(_) => false,
    };
    if fits {
        Ok(())
    } else {
        Err(YamlError {
            message: format!("{} cannot carry this tag", node.value.kind()),
            span: node.span.start..node.span.start,
        })
    }
}

/// granit-parser's reason and the offending character.
fn scan_error(error: &ScanError, text: &str) -> YamlError {
    let marker = error.marker();
    let at = marker.byte_offset().unwrap_or_else(|| marker.index());
    let start = floor_char_boundary(text, at.min(text.len()));
    let width = text[start..].chars().next().map_or(0, char::len_utf8);
    let message = match error.kind() {
        ErrorKind::RecursionLimitExceeded => format!(
            "YAML nested more than {MAX_NESTING} collections deep: rasalint stops reading it here"
        ),
        _ => escape_controls(&error.info()),
    };
    YamlError {
        message,
        span: start..start + width,
    }
}

/// How deep granit-parser nests flow collections, and block collections (its defaults;
/// Rasa's reader goes deeper, so deeper YAML is a deliberate difference, docs/compat.md).
const MAX_NESTING: usize = 255;

/// The message may quote input text: control characters (a tab, a stray escape) are
/// written as escapes so that they cannot break the report's layout.
fn escape_controls(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    for c in message.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}
