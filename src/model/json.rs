//! The JSON values training data gives entities and slots, kept small.
//!
//! A bot writes an entity or slot value on nearly every turn (`{"city": "Berlin"}`), and
//! nearly all of them are short strings. A `serde_json::Value` is 72 bytes (its objects
//! keep their order) and puts every string on the heap; a [`JsonValue`] is 24 bytes and
//! keeps a string of up to 24 bytes inline. Other values (numbers, booleans, lists,
//! objects) are rare, and boxed as Rasa holds them.

use std::borrow::Cow;

use compact_str::CompactString;
use serde_json::Value;

/// A JSON value, as [`serde_json::Value`] holds it, stored compactly.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JsonValue(Repr);

/// Each value has one form: a string or null is never boxed, so equal values are equal
/// forms.
#[derive(Debug, Clone, Default, PartialEq)]
enum Repr {
    #[default]
    Null,
    String(CompactString),
    Other(Box<Value>),
}

// Stored once per entity and slot of the bot: keep it as small as a string.
const _: () = assert!(std::mem::size_of::<JsonValue>() <= 24);

impl JsonValue {
    pub const NULL: JsonValue = JsonValue(Repr::Null);

    /// The value as JSON (a copy for a string or null).
    pub fn json(&self) -> Cow<'_, Value> {
        match &self.0 {
            Repr::Null => Cow::Owned(Value::Null),
            Repr::String(s) => Cow::Owned(Value::String(s.to_string())),
            Repr::Other(value) => Cow::Borrowed(value),
        }
    }

    /// The value as an owned `serde_json::Value`.
    pub fn to_json(&self) -> Value {
        self.json().into_owned()
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.0 {
            Repr::String(s) => Some(s),
            _ => None,
        }
    }

    /// The items of a list value.
    pub fn as_array(&self) -> Option<&[Value]> {
        match &self.0 {
            Repr::Other(value) => value.as_array().map(Vec::as_slice),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.0, Repr::Null)
    }

    pub fn is_number(&self) -> bool {
        matches!(&self.0, Repr::Other(value) if value.is_number())
    }
}

impl From<Value> for JsonValue {
    fn from(value: Value) -> Self {
        JsonValue(match value {
            Value::Null => Repr::Null,
            Value::String(s) => Repr::String(s.into()),
            other => Repr::Other(Box::new(other)),
        })
    }
}

impl From<&Value> for JsonValue {
    fn from(value: &Value) -> Self {
        match value {
            Value::Null => JsonValue::NULL,
            Value::String(s) => JsonValue::from(s.as_str()),
            other => JsonValue(Repr::Other(Box::new(other.clone()))),
        }
    }
}

impl From<&str> for JsonValue {
    fn from(text: &str) -> Self {
        JsonValue(Repr::String(text.into()))
    }
}

impl PartialEq<Value> for JsonValue {
    fn eq(&self, other: &Value) -> bool {
        match (&self.0, other) {
            (Repr::Null, Value::Null) => true,
            (Repr::String(a), Value::String(b)) => a == b,
            (Repr::Other(a), b) => **a == *b,
            _ => false,
        }
    }
}

impl std::fmt::Display for JsonValue {
    /// The value's JSON text, as `serde_json::Value` writes it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.json().fmt(f)
    }
}

impl serde::Serialize for JsonValue {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            Repr::Null => serializer.serialize_unit(),
            Repr::String(s) => serializer.serialize_str(s),
            Repr::Other(value) => value.serialize(serializer),
        }
    }
}

/// Read straight from JSON text, as `serde_json::Value` would read it: a string is kept
/// without a heap copy first, any other value is built by `Value`'s own reading and boxed.
impl<'de> serde::Deserialize<'de> for JsonValue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonValueVisitor)
    }
}

struct JsonValueVisitor;

impl<'de> serde::de::Visitor<'de> for JsonValueVisitor {
    type Value = JsonValue;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<JsonValue, E> {
        Ok(JsonValue::from(text))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<JsonValue, E> {
        Ok(JsonValue::NULL)
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<JsonValue, E> {
        Ok(JsonValue::NULL)
    }

    // Scalars as `Value::from` makes them, which is how `Value`'s own reading makes them
    // (a float that is no finite number would be null, as there).
    fn visit_bool<E: serde::de::Error>(self, value: bool) -> Result<JsonValue, E> {
        Ok(JsonValue::from(Value::from(value)))
    }

    fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<JsonValue, E> {
        Ok(JsonValue::from(Value::from(value)))
    }

    fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<JsonValue, E> {
        Ok(JsonValue::from(Value::from(value)))
    }

    fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<JsonValue, E> {
        Ok(JsonValue::from(Value::from(value)))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, items: A) -> Result<JsonValue, A::Error> {
        use serde::Deserialize;
        Value::deserialize(serde::de::value::SeqAccessDeserializer::new(items)).map(JsonValue::from)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, pairs: A) -> Result<JsonValue, A::Error> {
        use serde::Deserialize;
        Value::deserialize(serde::de::value::MapAccessDeserializer::new(pairs)).map(JsonValue::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_value_comes_back_as_it_went_in() {
        for value in [
            json!(null),
            json!("Berlin"),
            json!("a string longer than twenty-four bytes"),
            json!(5),
            json!(1.5),
            json!(true),
            json!(["a", 1]),
            json!({"b": 1, "a": 2}),
            json!(-3),
            json!(u64::MAX),
            json!(1e300),
            json!(-0.0),
            json!("tab\there, \"quoted\", é"),
            json!([{"a": [null, "a string longer than twenty-four bytes"]}]),
        ] {
            let compact = JsonValue::from(&value);
            assert_eq!(compact.to_json(), value);
            assert_eq!(compact, value);
            assert_eq!(JsonValue::from(value.clone()), compact);
            assert_eq!(compact.to_string(), value.to_string());
            assert_eq!(serde_json::to_value(&compact).unwrap(), value);
            let read: JsonValue = serde_json::from_str(&value.to_string()).unwrap();
            assert_eq!(read, compact);
        }
    }

    #[test]
    fn strings_and_null_are_told_from_other_values() {
        assert_eq!(JsonValue::from("x").as_str(), Some("x"));
        assert!(JsonValue::NULL.is_null());
        assert!(JsonValue::from(json!(2)).is_number());
        assert!(!JsonValue::from(json!("2")).is_number());
        assert_ne!(JsonValue::from(json!("2")), JsonValue::from(json!(2)));
    }
}
