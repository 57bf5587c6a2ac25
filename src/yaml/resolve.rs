//! Plain scalars resolved as Rasa's YAML reader resolves them: ruamel's YAML 1.2 implicit
//! resolvers (not the 1.2 spec's core schema, which differs in the details below).
//!
//! ruamel picks the resolvers to try by a scalar's first character, then matches their
//! regular expressions in order (bool, float, int, merge, null, timestamp):
//!
//! * bool: `true`, `True`, `TRUE`, `false`, `False`, `FALSE` (`yes`, `on`, `y` stay text);
//! * float: `[-+]?[0-9][0-9_]*\.[0-9_]*([eE][-+]?[0-9]+)?`, `[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+`,
//!   `[-+]?\.[0-9_]+([eE][-+][0-9]+)?` (the exponent's sign is required there: `.5e3` is
//!   text), `[-+]?\.(inf|Inf|INF)`, `\.(nan|NaN|NAN)` (no sign: `-.nan` is text);
//! * int: `[-+]?0b[01_]+`, `[-+]?0o?[0-7_]+`, `[-+]?[0-9_]+`, `[-+]?0x[0-9a-fA-F_]+`, tried
//!   only when the first character is a sign or a digit (`_1` is text, `-_1` is -1), and
//!   read without their underscores; a leading zero is decimal (`017` is 17);
//! * null: `~`, `null`, `Null`, `NULL` and the empty scalar.
//!
//! Every line of that was checked against Rasa 3.6 (`tests` below hold its answers).

use super::Value;

/// What ruamel makes of a plain scalar written as `text` (a string is [`Resolved::Text`]:
/// no copy is made here).
pub fn plain(text: &str) -> Resolved {
    let Some(&first) = text.as_bytes().first() else {
        return Resolved::Value(Value::Null);
    };
    match first {
        b't' | b'T' | b'f' | b'F' => boolean(text),
        b'-' | b'+' | b'.' | b'0'..=b'9' => number(text),
        b'~' | b'n' | b'N' => null(text),
        b'<' if text == "<<" => Some(Resolved::Merge),
        b'=' if text == "=" => Some(Resolved::ValueKey),
        _ => None,
    }
    .unwrap_or(Resolved::Text)
}

/// A plain scalar's meaning: a value, or one of the two keys ruamel gives a tag of its own.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolved {
    Value(Value),
    /// A string: the text itself (left to the caller, who may own it already).
    Text,
    /// `<<`: the merge key (`<<: *defaults`).
    Merge,
    /// `=`: the value key, which ruamel's safe constructor cannot build.
    ValueKey,
}

fn boolean(text: &str) -> Option<Resolved> {
    let value = match text {
        "true" | "True" | "TRUE" => true,
        "false" | "False" | "FALSE" => false,
        _ => return None,
    };
    Some(Resolved::Value(Value::Bool(value)))
}

fn null(text: &str) -> Option<Resolved> {
    matches!(text, "~" | "null" | "Null" | "NULL").then_some(Resolved::Value(Value::Null))
}

fn number(text: &str) -> Option<Resolved> {
    float(text)
        .map(Value::Float)
        .or_else(|| int(text))
        .map(Resolved::Value)
}

/// `text` without a leading sign, and whether the sign was `-`.
fn unsigned(text: &str) -> (&str, bool) {
    match text.as_bytes().first() {
        Some(b'-') => (&text[1..], true),
        Some(b'+') => (&text[1..], false),
        _ => (text, false),
    }
}

fn all_of(text: &str, allowed: impl Fn(u8) -> bool) -> bool {
    !text.is_empty() && text.bytes().all(allowed)
}

fn digit_or_underscore(b: u8) -> bool {
    b.is_ascii_digit() || b == b'_'
}

/// `[eE][-+]?[0-9]+` (or with the sign required), or nothing: whether `text` is one.
fn exponent(text: &str, sign_required: bool) -> bool {
    if text.is_empty() {
        return true;
    }
    let Some(rest) = text.strip_prefix(['e', 'E']) else {
        return false;
    };
    let digits = match rest.strip_prefix(['-', '+']) {
        Some(digits) => digits,
        None if sign_required => return false,
        None => rest,
    };
    all_of(digits, |b| b.is_ascii_digit())
}

/// The value of a float as ruamel writes them, or `None` when `text` is none.
pub fn float(text: &str) -> Option<f64> {
    let (body, negative) = unsigned(text);
    let sign = if negative { -1.0 } else { 1.0 };
    match body {
        ".inf" | ".Inf" | ".INF" => return Some(sign * f64::INFINITY),
        ".nan" | ".NaN" | ".NAN" if body.len() == text.len() => return Some(f64::NAN),
        _ => {}
    }
    let matches = if let Some(fraction) = body.strip_prefix('.') {
        let end = fraction
            .find(|c: char| !c.is_ascii_digit() && c != '_')
            .unwrap_or(fraction.len());
        end > 0 && exponent(&fraction[end..], true)
    } else {
        let whole = body.find(|c: char| !c.is_ascii_digit() && c != '_');
        let whole_end = whole.unwrap_or(body.len());
        let starts_with_digit = body.as_bytes().first().is_some_and(u8::is_ascii_digit);
        match body[whole_end..].strip_prefix('.') {
            Some(after_point) => {
                let end = after_point
                    .find(|c: char| !c.is_ascii_digit() && c != '_')
                    .unwrap_or(after_point.len());
                starts_with_digit && exponent(&after_point[end..], false)
            }
            None => {
                let rest = &body[whole_end..];
                starts_with_digit && !rest.is_empty() && exponent(rest, false)
            }
        }
    };
    if !matches {
        return None;
    }
    let cleaned: String = body.chars().filter(|&c| c != '_').collect();
    // Python's float() takes "1." and ".5"; Rust's parser does too.
    cleaned.parse::<f64>().ok().map(|f| sign * f)
}

/// The value of an integer as ruamel writes them (as a float beyond 64 bits), or `None`
/// when `text` is none.
pub fn int(text: &str) -> Option<Value> {
    let (body, negative) = unsigned(text);
    let (digits, radix) = if let Some(bin) = body.strip_prefix("0b") {
        (
            all_of(bin, |b| matches!(b, b'0' | b'1' | b'_')).then_some(bin)?,
            2,
        )
    } else if let Some(hex) = body.strip_prefix("0x") {
        (
            all_of(hex, |b| b.is_ascii_hexdigit() || b == b'_').then_some(hex)?,
            16,
        )
    } else if let Some(oct) = body.strip_prefix("0o") {
        (
            all_of(oct, |b| matches!(b, b'0'..=b'7' | b'_')).then_some(oct)?,
            8,
        )
    } else {
        (all_of(body, digit_or_underscore).then_some(body)?, 10)
    };
    let cleaned: String = digits.chars().filter(|&c| c != '_').collect();
    if cleaned.is_empty() {
        // `0x_`: matched by the resolver, then `int('', 16)` fails in ruamel; as text.
        return None;
    }
    let value = match i128::from_str_radix(&cleaned, radix) {
        Ok(m) if negative => -m,
        Ok(m) => m,
        // Beyond 127 bits Python still has an integer: the nearest float stands for it.
        Err(_) => {
            let magnitude = if radix == 10 {
                cleaned.parse::<f64>().unwrap_or(f64::INFINITY)
            } else {
                f64::INFINITY
            };
            return Some(Value::Float(if negative { -magnitude } else { magnitude }));
        }
    };
    // Integers beyond i64 are kept as the nearest float, as elsewhere in the tree.
    Some(i64::try_from(value).map_or(Value::Float(value as f64), Value::Int))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str) -> Value {
        match plain(text) {
            Resolved::Value(value) => value,
            Resolved::Text => Value::Str(text.into()),
            other => panic!("{text:?} resolved to {other:?}"),
        }
    }

    /// Rasa 3.6's answers (`read_yaml("k: <text>")["k"]`), asked on 2026-12-06.
    #[test]
    fn scalars_resolve_as_rasa_reads_them() {
        use Value::{Bool, Float, Int, Null};
        let string = |s: &str| Value::Str(s.into());
        let cases: &[(&str, Value)] = &[
            ("true", Bool(true)),
            ("True", Bool(true)),
            ("TRUE", Bool(true)),
            ("tRue", string("tRue")),
            ("yes", string("yes")),
            ("off", string("off")),
            ("y", string("y")),
            ("~", Null),
            ("null", Null),
            ("Null", Null),
            ("NULL", Null),
            ("nULL", string("nULL")),
            ("", Null),
            ("017", Int(17)),
            ("0o17", Int(15)),
            ("0x1F", Int(31)),
            ("0X1F", string("0X1F")),
            ("0b11", Int(3)),
            ("1_000", Int(1000)),
            ("+1", Int(1)),
            ("-0", Int(0)),
            ("1e3", Float(1000.0)),
            ("1E3", Float(1000.0)),
            ("1.0e+3", Float(1000.0)),
            (".5", Float(0.5)),
            ("-.5", Float(-0.5)),
            ("+.5", Float(0.5)),
            ("1.", Float(1.0)),
            (".inf", Float(f64::INFINITY)),
            ("-.inf", Float(f64::NEG_INFINITY)),
            ("+.inf", Float(f64::INFINITY)),
            ("-.nan", string("-.nan")),
            ("2.0", Float(2.0)),
            ("3.10", Float(3.1)),
            ("3.1.0", string("3.1.0")),
            ("1:30", string("1:30")),
            ("_", string("_")),
            ("__1", string("__1")),
            ("1_", Int(1)),
            ("0x", string("0x")),
            ("0o", string("0o")),
            ("0b", string("0b")),
            ("0x_1", Int(1)),
            ("0o8", string("0o8")),
            ("09", Int(9)),
            ("08.5", Float(8.5)),
            ("1e", string("1e")),
            ("1e+", string("1e+")),
            ("1.5e3", Float(1500.0)),
            (".5e3", string(".5e3")),
            (".5e+3", Float(500.0)),
            ("1__0", Int(10)),
            ("0_", Int(0)),
            ("-_1", Int(-1)),
            ("1_000.5_0", Float(1000.5)),
            ("99999999999999999999", Float(99999999999999999999.0)),
            ("-9223372036854775809", Float(-9223372036854775809.0)),
            ("9223372036854775807", Int(i64::MAX)),
            ("0.", Float(0.0)),
            ("-0.0", Float(-0.0)),
            ("1e400", Float(f64::INFINITY)),
            ("-1e400", Float(f64::NEG_INFINITY)),
            ("1_e3", Float(1000.0)),
            ("0b2", string("0b2")),
            ("0xg", string("0xg")),
            ("+0x1F", Int(31)),
            ("-0b11", Int(-3)),
            ("-0o17", Int(-15)),
        ];
        for (text, expected) in cases {
            assert_eq!(&value(text), expected, "{text:?}");
        }
        for nan in [".NaN", ".nan", ".NAN"] {
            assert!(matches!(value(nan), Float(f) if f.is_nan()), "{nan}");
        }
    }

    #[test]
    fn merge_and_value_keys_are_their_own() {
        assert_eq!(plain("<<"), Resolved::Merge);
        assert_eq!(plain("="), Resolved::ValueKey);
        assert_eq!(value("<<<"), Value::Str("<<<".into()));
    }
}
