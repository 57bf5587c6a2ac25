//! Mapping keys as Python compares them once ruamel has built them: `1`, `1.0` and `true`
//! are one key, and a repeated key is what makes Rasa refuse a file.

use super::{Node, Value};

/// A scalar key as Python compares it after construction (`1 == 1.0 == True`); borrowed
/// from the tree, so comparing keys allocates nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyId<'a> {
    Str(&'a str),
    /// The bits of the number's float value (`-0.0` as `0.0`).
    Number(u64),
    Null,
}

impl Node {
    /// This node's identity as a dict key; `None` for a collection, or NaN, which equals
    /// no key.
    pub fn key_id(&self) -> Option<KeyId<'_>> {
        let number = |x: f64| (!x.is_nan()).then(|| KeyId::Number((x + 0.0).to_bits()));
        match &self.value {
            Value::Str(s) => Some(KeyId::Str(s)),
            Value::Int(i) => number(*i as f64),
            Value::Float(f) => number(*f),
            Value::Bool(b) => number(f64::from(u8::from(*b))),
            Value::Null => Some(KeyId::Null),
            Value::Seq(_) | Value::Map(_) => None,
        }
    }
}

/// Every key that repeats an earlier key of its mapping, anywhere in `node` (itself
/// included): (the repetition, the first), in text order.
pub fn duplicate_keys_below(node: &Node) -> Vec<(&Node, &Node)> {
    let mut found = Vec::new();
    let mut stack = vec![node];
    // Each node is visited once: the loop is bounded by the size of the tree.
    while let Some(node) = stack.pop() {
        match &node.value {
            Value::Seq(items) => stack.extend(items.iter().rev()),
            Value::Map(entries) => {
                repeated_keys(entries, &mut found);
                stack.extend(entries.iter().rev().map(|(_, v)| v));
            }
            _ => {}
        }
    }
    found.sort_by_key(|(repeated, _)| repeated.span.start);
    found
}

/// Mappings this small are searched pairwise: no set to allocate, for the many mappings
/// of one to three keys a bot is made of.
const PAIRWISE: usize = 12;

fn repeated_keys<'n>(entries: &'n [(Node, Node)], found: &mut Vec<(&'n Node, &'n Node)>) {
    if entries.len() <= PAIRWISE {
        for (i, (key, _)) in entries.iter().enumerate() {
            let Some(id) = key.key_id() else { continue };
            if let Some((first, _)) = entries[..i].iter().find(|(k, _)| k.key_id() == Some(id)) {
                found.push((key, first));
            }
        }
        return;
    }
    let mut first: rustc_hash::FxHashMap<KeyId<'_>, &Node> = rustc_hash::FxHashMap::default();
    for (key, _) in entries {
        let Some(id) = key.key_id() else { continue };
        match first.get(&id) {
            Some(&at) => found.push((key, at)),
            None => {
                first.insert(id, key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::yaml::parse;

    #[test]
    fn repeats_are_found_in_small_and_large_mappings_with_python_equality() {
        let text = "a: {1: x, 1.0: y, true: z, b: 1}\nb:\n  - {n: 1, ~: 2, null: 3}\n";
        let root = parse(text).expect("YAML");
        let found: Vec<(&str, &str)> = super::duplicate_keys_below(&root)
            .iter()
            .map(|(again, first)| (&text[again.span.clone()], &text[first.span.clone()]))
            .collect();
        assert_eq!(found, [("1.0", "1"), ("true", "1"), ("null", "~")]);
        let large: String = (0..40).map(|i| format!("k{i}: {i}\n")).collect();
        let root = parse(&format!("{large}k7: again\n")).expect("YAML");
        let found = super::duplicate_keys_below(&root);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0.as_str(), Some("k7"));
    }
}
