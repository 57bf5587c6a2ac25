//! The dictionary Rasa 2.8 and 3.6 build a domain from (`Domain.from_dict`), as
//! references into the files' YAML trees: one file's top-level mapping, or the mappings of
//! a domain folder merged as `Domain.from_directory` merges them (spec rasa-yaml §6.12).

use rustc_hash::FxHashSet;

use crate::rasa::RasaVersion;
use crate::source::FileId;
use crate::yaml::{Node, Value};

/// A node and the file it is written in.
#[derive(Debug, Clone, Copy)]
pub struct At<'a> {
    pub file: FileId,
    pub node: &'a Node,
}

impl<'a> At<'a> {
    pub fn new(file: FileId, node: &'a Node) -> At<'a> {
        At { file, node }
    }
}

/// A mapping entry and the file it is written in.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    pub file: FileId,
    pub key: &'a Node,
    pub value: &'a Node,
}

/// A top-level value: as one file writes it, or merged from several files.
#[derive(Debug, Clone)]
pub enum Section<'a> {
    Node(At<'a>),
    /// A list merged from several files (`intents`, `entities`, `actions`, `e2e_actions`).
    Items(Vec<At<'a>>),
    /// A mapping merged from several files (`forms`, `responses`, `slots`).
    Entries(Vec<Entry<'a>>),
}

/// What a top-level value is, seen as Python sees it.
#[derive(Debug, Clone)]
pub enum View<'a> {
    Null(At<'a>),
    List(Vec<At<'a>>),
    Dict(Vec<Entry<'a>>),
    /// A scalar.
    Other(At<'a>),
}

impl<'a> Section<'a> {
    pub fn view(&self) -> View<'a> {
        match self {
            Section::Items(items) => View::List(items.clone()),
            Section::Entries(entries) => View::Dict(entries.clone()),
            Section::Node(at) => view_of(*at),
        }
    }
}

/// A node as a [`View`].
pub fn view_of(at: At<'_>) -> View<'_> {
    match &at.node.value {
        Value::Null => View::Null(at),
        Value::Seq(items) => View::List(items.iter().map(|node| At::new(at.file, node)).collect()),
        Value::Map(entries) => View::Dict(
            entries
                .iter()
                .map(|(key, value)| Entry {
                    file: at.file,
                    key,
                    value,
                })
                .collect(),
        ),
        _ => View::Other(at),
    }
}

/// The top-level dictionary: keys (Python's `str()` of each) in order, each once, with
/// where the key is written (in the first file that has it).
#[derive(Debug, Clone, Default)]
pub struct RawDomain<'a> {
    pub entries: Vec<(String, At<'a>, Section<'a>)>,
}

/// How Python compares and hashes a value used as a name (`True == 1 == 1.0`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PyKey {
    None,
    Int(i64),
    Float(u64),
    Str(String),
    /// A list or a mapping: Python cannot hash it.
    Unhashable,
}

impl PyKey {
    pub fn of(node: &Node) -> PyKey {
        match &node.value {
            Value::Null => PyKey::None,
            Value::Bool(b) => PyKey::Int(i64::from(*b)),
            Value::Int(i) => PyKey::Int(*i),
            Value::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => PyKey::Int(*f as i64),
            Value::Float(f) => PyKey::Float(f.to_bits()),
            Value::Str(s) => PyKey::Str(s.to_string()),
            Value::Seq(_) | Value::Map(_) => PyKey::Unhashable,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            PyKey::Str(s) => Some(s),
            _ => None,
        }
    }
}

impl<'a> RawDomain<'a> {
    /// One file's top-level mapping (a later duplicate key replaces an earlier one, as
    /// Python's dict does; ruamel refuses such a file anyway).
    pub fn of_file(file: FileId, root: &'a Node) -> RawDomain<'a> {
        let mut raw = RawDomain::default();
        for (key, value) in root.as_map().unwrap_or_default() {
            let name = key.python_str().unwrap_or_else(|| "None".to_owned());
            let key_at = At::new(file, key);
            raw.set(&name, key_at, Section::Node(At::new(file, value)));
        }
        raw
    }

    pub fn get(&self, key: &str) -> Option<&Section<'a>> {
        self.entries
            .iter()
            .find(|(k, ..)| k == key)
            .map(|(.., s)| s)
    }

    /// Where `key` is written.
    pub fn key_at(&self, key: &str) -> Option<At<'a>> {
        self.entries
            .iter()
            .find(|(k, ..)| k == key)
            .map(|(_, at, _)| *at)
    }

    /// The value of `key` as Python sees it, `None` when the key is missing.
    pub fn view(&self, key: &str) -> Option<View<'a>> {
        self.get(key).map(Section::view)
    }

    /// Sets `key`; a key already there keeps the place it is written at.
    pub fn set(&mut self, key: &str, key_at: At<'a>, section: Section<'a>) {
        match self.entries.iter_mut().find(|(k, ..)| k == key) {
            Some((.., old)) => *old = section,
            None => self.entries.push((key.to_owned(), key_at, section)),
        }
    }

    /// Python's truthiness of the whole dictionary.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Names found in both the domain merged so far and the next file, by key, as Rasa
/// records them while merging (`duplicates`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Duplicates {
    /// Each key (`intents`, `slots`, …) with the names both sides have, sorted.
    pub by_key: Vec<(&'static str, Vec<String>)>,
}

/// Why a folder's files cannot be merged: Python fails while merging them.
#[derive(Debug, Clone)]
pub struct MergeError<'a> {
    pub at: At<'a>,
    pub exception: &'static str,
    pub rasa: String,
}

/// The keys merged, in the order Rasa merges them, and whether each is merged as a list
/// of names (else as a mapping).
const MERGED_3_6: &[(&str, Merge)] = &[
    ("intents", Merge::ListOfDicts),
    ("entities", Merge::ListOfDicts),
    ("actions", Merge::ListOfDicts),
    ("e2e_actions", Merge::SortedSet),
    ("forms", Merge::Dicts),
    ("responses", Merge::Dicts),
    ("slots", Merge::Dicts),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Merge {
    /// `merge_lists_of_dicts`: items by name, the first file's winning.
    ListOfDicts,
    /// `merge_lists`: the sorted set of both lists.
    SortedSet,
    /// `merge_dicts`: entries by key, the first file's winning.
    Dicts,
}

/// The files of a domain folder merged in the order given (Rasa's `os.walk` order), as
/// `version` merges them, with the duplicates of the last merge step that found any (the
/// only ones Rasa keeps).
pub fn merge<'a>(
    files: &[RawDomain<'a>],
    version: RasaVersion,
) -> Result<(RawDomain<'a>, Duplicates), MergeError<'a>> {
    let mut combined = RawDomain::default();
    let mut duplicates = Duplicates::default();
    for file in files {
        if file.is_empty() {
            continue;
        }
        if combined.is_empty() {
            combined = file.clone();
            continue;
        }
        let found = match version {
            RasaVersion::V3 => merge_3_6(&mut combined, file.clone())?,
            RasaVersion::V1 | RasaVersion::V2 => merge_2_8(&mut combined, file.clone())?,
        };
        if !found.by_key.is_empty() {
            duplicates = found;
        }
    }
    Ok((combined, duplicates))
}

/// 3.6 `merge_domain_dicts(new, combined)`.
fn merge_3_6<'a>(
    combined: &mut RawDomain<'a>,
    mut new: RawDomain<'a>,
) -> Result<Duplicates, MergeError<'a>> {
    let is_default = |view: Option<View>| match view {
        None | Some(View::Null(_)) => true,
        Some(View::Dict(entries)) => is_default_session(&entries),
        Some(_) => false,
    };
    if is_default(combined.view("session_config"))
        && let Some(section) = new.get("session_config")
        && !is_default(Some(section.view()))
        && let Some(at) = new.key_at("session_config")
    {
        combined.set("session_config", at, section.clone());
    }
    remove_form_actions(combined, &mut new)?;
    let mut duplicates = Duplicates::default();
    for &(key, how) in MERGED_3_6 {
        merge_key(combined, &new, key, how, &mut duplicates)?;
    }
    Ok(duplicates)
}

/// 2.8 `merge_domain_dicts(combined, new)`.
fn merge_2_8<'a>(
    combined: &mut RawDomain<'a>,
    mut new: RawDomain<'a>,
) -> Result<Duplicates, MergeError<'a>> {
    // A later file's session config wins when it is truthy.
    if let Some(section) = new.get("session_config")
        && truthy(&section.view())
        && let Some(at) = new.key_at("session_config")
    {
        combined.set("session_config", at, section.clone());
    }
    let mut duplicates = Duplicates::default();
    for key in ["intents", "entities"] {
        let either = [combined.view(key), new.view(key)]
            .iter()
            .any(|v| v.as_ref().is_some_and(truthy));
        if either {
            merge_key(combined, &new, key, Merge::ListOfDicts, &mut duplicates)?;
        }
    }
    remove_form_actions(combined, &mut new)?;
    for key in ["actions", "e2e_actions"] {
        merge_key(combined, &new, key, Merge::SortedSet, &mut duplicates)?;
    }
    for key in ["forms", "responses", "slots"] {
        merge_key(combined, &new, key, Merge::Dicts, &mut duplicates)?;
    }
    Ok(duplicates)
}

fn truthy(view: &View) -> bool {
    match view {
        View::Null(_) => false,
        View::List(items) => !items.is_empty(),
        View::Dict(entries) => !entries.is_empty(),
        View::Other(at) => at.node.is_truthy(),
    }
}

/// Whether a session config equals Rasa's default `{session_expiration_time: 60,
/// carry_over_slots_to_new_session: true}` (as a dict: both keys, nothing else).
fn is_default_session(entries: &[Entry]) -> bool {
    entries.len() == 2
        && entries.iter().all(|e| match e.key.as_str() {
            Some("session_expiration_time") => PyKey::of(e.value) == PyKey::Int(60),
            Some("carry_over_slots_to_new_session") => e.value.value == Value::Bool(true),
            _ => false,
        })
}

/// Form names of the merged domain are taken out of the next file's actions (the first
/// occurrence of each).
fn remove_form_actions<'a>(
    combined: &RawDomain<'a>,
    new: &mut RawDomain<'a>,
) -> Result<(), MergeError<'a>> {
    let forms: Vec<PyKey> = match combined.view("forms") {
        Some(View::Dict(entries)) => entries.iter().map(|e| PyKey::of(e.key)).collect(),
        Some(View::List(items)) => items.iter().map(|a| PyKey::of(a.node)).collect(),
        _ => Vec::new(),
    };
    if forms.is_empty() {
        return Ok(());
    }
    let mut actions = match new.view("actions") {
        None => return Ok(()),
        Some(View::List(items)) => items,
        Some(View::Null(at) | View::Other(at)) => {
            return Err(not_iterable(at));
        }
        Some(View::Dict(_)) => return Ok(()),
    };
    for form in &forms {
        if let Some(at) = actions
            .iter()
            .position(|a| a.node.as_map().is_none() && PyKey::of(a.node) == *form)
        {
            actions.remove(at);
        }
    }
    if let Some(at) = new.key_at("actions") {
        new.set("actions", at, Section::Items(actions));
    }
    Ok(())
}

fn not_iterable(at: At<'_>) -> MergeError<'_> {
    MergeError {
        at,
        exception: "TypeError",
        rasa: format!("'{}' object is not iterable", py_type(at.node)),
    }
}

/// Python's type name of a loaded YAML value.
pub fn py_type(node: &Node) -> &'static str {
    match node.value {
        Value::Null => "NoneType",
        Value::Bool(_) => "bool",
        Value::Int(_) => "int",
        Value::Float(_) => "float",
        Value::Str(_) => "str",
        Value::Seq(_) => "list",
        Value::Map(_) => "dict",
    }
}

/// Merges `key` of `new` into `combined` the way `how` says, recording the names both
/// have.
fn merge_key<'a>(
    combined: &mut RawDomain<'a>,
    new: &RawDomain<'a>,
    key: &'static str,
    how: Merge,
    duplicates: &mut Duplicates,
) -> Result<(), MergeError<'a>> {
    let old = named(combined.view(key), how)?;
    let added = named(new.view(key), how)?;
    let old_names: FxHashSet<&PyKey> = old.iter().map(|(k, _)| k).collect();
    let mut both: Vec<String> = added
        .iter()
        .map(|(k, _)| k)
        .filter(|k| old_names.contains(k))
        .map(py_key_str)
        .collect();
    both.sort();
    both.dedup();
    if !both.is_empty() {
        duplicates.by_key.push((key, both));
    }
    let section = match how {
        Merge::SortedSet => {
            let mut all: Vec<(PyKey, Named)> = old.into_iter().chain(added).collect();
            all.sort_by(|a, b| a.0.cmp(&b.0));
            all.dedup_by(|a, b| a.0 == b.0);
            Section::Items(all.into_iter().filter_map(|(_, n)| n.item()).collect())
        }
        Merge::ListOfDicts | Merge::Dicts => {
            // The new file's names first, then the others; a name's value is the first
            // file's.
            let old_by_name: Vec<(PyKey, Named)> = dedup_last_wins(old);
            let added = dedup_last_wins(added);
            let old_index: rustc_hash::FxHashMap<&PyKey, &Named> =
                old_by_name.iter().map(|(k, v)| (k, v)).collect();
            let mut merged: Vec<Named> = Vec::new();
            for (name, value) in &added {
                let winner = old_index.get(name).copied().unwrap_or(value);
                merged.push(winner.clone());
            }
            let added_names: FxHashSet<&PyKey> = added.iter().map(|(k, _)| k).collect();
            merged.extend(
                old_by_name
                    .iter()
                    .filter(|(k, _)| !added_names.contains(k))
                    .map(|(_, v)| v.clone()),
            );
            if how == Merge::Dicts {
                Section::Entries(merged.into_iter().filter_map(|n| n.entry()).collect())
            } else {
                Section::Items(merged.into_iter().filter_map(|n| n.item()).collect())
            }
        }
    };
    // A key missing from both files is written nowhere: Rasa's dict has it, empty.
    if let Some(at) = combined.key_at(key).or_else(|| new.key_at(key)) {
        combined.set(key, at, section);
    }
    Ok(())
}

/// A list item or a mapping entry, under its name.
#[derive(Debug, Clone)]
enum Named<'a> {
    Item(At<'a>),
    Entry(Entry<'a>),
}

impl<'a> Named<'a> {
    fn item(self) -> Option<At<'a>> {
        match self {
            Named::Item(at) => Some(at),
            Named::Entry(e) => Some(At::new(e.file, e.key)),
        }
    }

    fn entry(self) -> Option<Entry<'a>> {
        match self {
            Named::Entry(e) => Some(e),
            // A list merged into a mapping (a 2.x forms list): Python fails first.
            Named::Item(_) => None,
        }
    }
}

/// The items of a value by name, as the merge functions key them: a mapping item by its
/// first key in sorted order, anything else by itself; a mapping's entries by key.
fn named<'a>(
    view: Option<View<'a>>,
    how: Merge,
) -> Result<Vec<(PyKey, Named<'a>)>, MergeError<'a>> {
    match view {
        None => Ok(Vec::new()),
        Some(View::List(items)) => items
            .into_iter()
            .map(|at| Ok((item_name(at, how)?, Named::Item(at))))
            .collect(),
        Some(View::Dict(entries)) => Ok(entries
            .into_iter()
            .map(|e| (PyKey::of(e.key), Named::Entry(e)))
            .collect()),
        Some(View::Null(at) | View::Other(at)) => Err(not_iterable(at)),
    }
}

fn item_name<'a>(at: At<'a>, how: Merge) -> Result<PyKey, MergeError<'a>> {
    match (&at.node.value, how) {
        (Value::Map(entries), Merge::ListOfDicts) => entries
            .iter()
            .map(|(k, _)| PyKey::of(k))
            .min()
            .ok_or(MergeError {
                at,
                exception: "IndexError",
                rasa: "list index out of range".to_owned(),
            }),
        _ => match PyKey::of(at.node) {
            PyKey::Unhashable => Err(MergeError {
                at,
                exception: "TypeError",
                rasa: format!("unhashable type: '{}'", py_type(at.node)),
            }),
            key => Ok(key),
        },
    }
}

/// One value per name, the last one written winning, at the place of the first: a
/// Python dict built from the list.
fn dedup_last_wins<'a>(named: Vec<(PyKey, Named<'a>)>) -> Vec<(PyKey, Named<'a>)> {
    let mut out: Vec<(PyKey, Named<'a>)> = Vec::with_capacity(named.len());
    let mut index: rustc_hash::FxHashMap<PyKey, usize> = rustc_hash::FxHashMap::default();
    for (key, value) in named {
        match index.get(&key) {
            Some(&at) => out[at].1 = value,
            None => {
                index.insert(key.clone(), out.len());
                out.push((key, value));
            }
        }
    }
    out
}

/// A name as Python's `str()` writes it.
pub fn py_key_str(key: &PyKey) -> String {
    match key {
        PyKey::None => "None".to_owned(),
        PyKey::Int(i) => i.to_string(),
        PyKey::Float(bits) => crate::yaml::python_float_str(f64::from_bits(*bits)),
        PyKey::Str(s) => s.clone(),
        PyKey::Unhashable => "?".to_owned(),
    }
}
