//! The API server's decoding of an object under strict field validation,
//! against the embedded schema: unknown fields, JSON types (YAML resolved as
//! kubectl's converter does: `"8000"` is a string, `8000` a number, `yes` a
//! boolean), required fields, and what only the decoder checks (quantity
//! syntax, base64, the range of an int32).

use base64::Engine;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

use crate::parse::yaml::{Node, ScalarType};

use super::directory::json_type;
use super::names::did_you_mean;
use super::schema::{Def, Schema, Ty};
use super::{FieldPath, KubeObject, Rejection, RejectionKind, quantity};

/// Go's `base64.StdEncoding`: padding required, stray bits after the last
/// symbol tolerated.
const STD: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::RequireCanonical)
        .with_decode_allow_trailing_bits(true),
);

pub(super) fn decode(object: &KubeObject<'_>, def: &Def, schema: &Schema) -> Vec<Rejection> {
    let mut decoder = Decoder { path: &object.path, schema, kind: object.kind().unwrap_or_default(), out: Vec::new() };
    decoder.object(object.node, def, &FieldPath::root(), object.node);
    decoder.out
}

struct Decoder<'a> {
    path: &'a str,
    schema: &'a Schema,
    kind: &'a str,
    out: Vec<Rejection>,
}

impl Decoder<'_> {
    /// A mapping against a definition; `at` is where a missing field is
    /// reported (the key of the mapping, or the mapping itself).
    fn object(&mut self, node: &Node, def: &Def, field: &FieldPath, at: &Node) {
        let is_root = field.to_string().is_empty();
        // A misspelt required field (`prt` for `port`) is one mistake: the
        // unknown field says it, the missing one is not said again.
        let mut misspelt = Vec::new();
        for (key, value) in node.entries() {
            let Some(name) = key.as_str().or_else(|| key.scalar().map(|s| s.text.as_str())) else { continue };
            let child = field.field(name);
            match def.field(name) {
                // apiVersion and kind were matched when the schema was chosen.
                Some(_) if is_root && (name == "apiVersion" || name == "kind") => {}
                Some(spec) => {
                    if value.is_null() && spec.required && !matches!(spec.ty, Ty::Ref(_)) {
                        self.required(&child, key);
                    } else {
                        self.value(value, &spec.ty, def, &child, key);
                    }
                }
                None => misspelt.extend(self.unknown(key, name, def, &child)),
            }
        }
        for spec in def.fields.iter().filter(|f| f.required) {
            if node.get(spec.name).is_none() && !misspelt.contains(&spec.name) {
                self.required(&field.field(spec.name), at);
            }
        }
    }

    fn value(&mut self, node: &Node, ty: &Ty, parent: &Def, field: &FieldPath, key: &Node) {
        if node.is_null() {
            return;
        }
        let scalar = node.scalar().map(|s| s.resolved_type());
        let fits = match ty {
            Ty::Str | Ty::Enum(_) | Ty::Bytes | Ty::Time => scalar == Some(ScalarType::Str),
            Ty::Bool => scalar == Some(ScalarType::Bool),
            Ty::Int32 | Ty::Int64 => matches!(scalar, Some(ScalarType::Int | ScalarType::Float)),
            Ty::Number => matches!(scalar, Some(ScalarType::Int | ScalarType::Float)),
            Ty::IntOrString => matches!(scalar, Some(ScalarType::Str | ScalarType::Int | ScalarType::Float)),
            Ty::Quantity => matches!(scalar, Some(ScalarType::Str | ScalarType::Int | ScalarType::Float)),
            Ty::Object | Ty::Map(_) | Ty::Ref(_) => node.is_map(),
            Ty::List(_) => node.is_seq(),
        };
        if !fits {
            self.type_error(node, ty, parent, field, json_type(node).to_owned());
            return;
        }
        match ty {
            Ty::Int32 | Ty::Int64 => self.integer(node, ty, parent, field),
            Ty::IntOrString if scalar != Some(ScalarType::Str) => self.integer(node, &Ty::Int32, parent, field),
            Ty::Quantity => self.quantity(node, field),
            Ty::Bytes => self.base64(node, field),
            Ty::Enum(values) => self.one_of(node, values, field),
            Ty::Ref(index) => {
                if let Some(def) = self.schema.def(*index) {
                    self.object(node, def, field, key);
                }
            }
            Ty::List(inner) => {
                for (i, item) in node.items().iter().enumerate() {
                    self.value(item, inner, parent, &field.index(i), item);
                }
            }
            Ty::Map(inner) => {
                for (k, v) in node.entries() {
                    let name = k.scalar().map(|s| s.text.as_str()).unwrap_or_default();
                    self.value(v, inner, parent, &field.key(name), k);
                }
            }
            _ => {}
        }
    }

    /// `json: cannot unmarshal number 3.5 into Go struct field ...`: a
    /// number that is not a whole number of the field's size.
    fn integer(&mut self, node: &Node, ty: &Ty, parent: &Def, field: &FieldPath) {
        let Some(text) = node.as_str() else { return };
        let (low, high) =
            if *ty == Ty::Int32 { (i64::from(i32::MIN), i64::from(i32::MAX)) } else { (i64::MIN, i64::MAX) };
        match integer_value(text) {
            Some(value) if (low..=high).contains(&value) => {}
            // A whole number too big for the field: the schema says
            // "integer" and stops there; Go's decoder refuses it.
            Some(_) => {
                let mut rejection =
                    self.type_rejection(node, ty, parent, field, format!("number {}", text.replace('_', "")));
                rejection.kind = RejectionKind::Decode;
                rejection.fix = format!("use a number from {low} to {high}");
                self.out.push(rejection);
            }
            None => self.type_error(node, ty, parent, field, format!("number {}", text.replace('_', ""))),
        }
    }

    fn quantity(&mut self, node: &Node, field: &FieldPath) {
        let Some(text) = node.as_str() else { return };
        let is_string = node.scalar().is_some_and(|s| s.resolved_type() == ScalarType::Str);
        if let Err(error) = quantity::parse(text) {
            let fix = if error == quantity::QuantityError::Suffix {
                suffix_fix(text)
            } else {
                "write a number and a suffix with nothing between them: 250m, 0.5, 512Mi, 1Gi".to_owned()
            };
            self.push(
                node,
                field,
                RejectionKind::Decode,
                error.to_string(),
                "a quantity such as 250m, 0.5, 128Mi or 1Gi",
                fix,
            );
        } else if !is_string {
            // A number is a quantity too (`cpu: 0.5`); nothing to say.
        }
    }

    fn base64(&mut self, node: &Node, field: &FieldPath) {
        let Some(text) = node.as_str() else { return };
        // Go's decoder skips line breaks (a `|` block's last newline).
        let compact: String = text.chars().filter(|c| *c != '\n' && *c != '\r').collect();
        if let Err(error) = STD.decode(compact.as_bytes()) {
            let offset = match error {
                base64::DecodeError::InvalidByte(offset, _) | base64::DecodeError::InvalidLastSymbol(offset, _) => {
                    offset
                }
                base64::DecodeError::InvalidLength(length) => length - length % 4,
                base64::DecodeError::InvalidPadding => compact.find('=').unwrap_or(compact.len()),
            };
            self.push(
                node,
                field,
                RejectionKind::Decode,
                format!("illegal base64 data at input byte {offset}"),
                "the value base64-encoded (Secret `data`)",
                "encode it with `echo -n 'value' | base64`, or move it under `stringData:`, which takes plain text",
            );
        }
    }

    fn one_of(&mut self, node: &Node, values: &[&str], field: &FieldPath) {
        let Some(text) = node.as_str() else { return };
        if values.contains(&text) {
            return;
        }
        let quoted: Vec<String> = values.iter().map(|v| format!("{v:?}")).collect();
        let fix = match did_you_mean(text, values.iter().copied()) {
            Some(right) => format!("write `{right}`"),
            None => format!("use one of {}", values.join(", ")),
        };
        self.push(
            node,
            field,
            RejectionKind::Enum,
            format!("{field}: Unsupported value: {text:?}: supported values: {}", quoted.join(", ")),
            format!("one of {}", values.join(", ")),
            fix,
        );
    }

    /// An unknown field; returns the field it misspells, if one.
    fn unknown(&mut self, key: &Node, name: &str, def: &Def, field: &FieldPath) -> Option<&'static str> {
        let known = def.fields.iter().map(|f| f.name);
        let meant = did_you_mean(name, known);
        let (expected, fix) = match meant {
            Some(right) => {
                (format!("`{right}` (a field of {})", def.struct_name()), format!("rename `{name}` to `{right}`"))
            }
            None => (
                format!("a field of {}: {}", def.struct_name(), field_list(def)),
                format!("remove `{name}`, or move it to where it belongs"),
            ),
        };
        self.push(
            key,
            field,
            RejectionKind::Strict,
            format!("strict decoding error: unknown field \"{field}\""),
            expected,
            fix,
        );
        meant
    }

    fn required(&mut self, field: &FieldPath, at: &Node) {
        let name = field.last_field().unwrap_or_default();
        self.push(
            at,
            field,
            RejectionKind::Required,
            format!("{field}: Required value"),
            format!("`{name}:` here"),
            format!("add `{name}:` (the {} schema requires it)", self.kind),
        );
    }

    fn type_error(&mut self, node: &Node, ty: &Ty, parent: &Def, field: &FieldPath, found: String) {
        let rejection = self.type_rejection(node, ty, parent, field, found);
        self.out.push(rejection);
    }

    fn type_rejection(&self, node: &Node, ty: &Ty, parent: &Def, field: &FieldPath, found: String) -> Rejection {
        // A quantity's own decoder words it, whatever it was given.
        let message = if *ty == Ty::Quantity {
            quantity::QuantityError::Format.to_string()
        } else {
            format!(
                "json: cannot unmarshal {found} into Go struct field {}.{} of type {}",
                parent.struct_name(),
                field.go_fields(),
                ty.go_type(self.schema)
            )
        };
        let fix = type_fix(node, ty);
        Rejection::new(self.path, node, field.to_string(), RejectionKind::Type, message, ty.describe(self.schema), fix)
    }

    fn push(
        &mut self,
        at: &Node,
        field: &FieldPath,
        kind: RejectionKind,
        message: String,
        expected: impl Into<String>,
        fix: impl Into<String>,
    ) {
        self.out.push(Rejection::new(self.path, at, field.to_string(), kind, message, expected, fix));
    }
}

/// A YAML integer's value: decimal, `0x`, `0o`, `0b`, `_` separators, or a
/// float with no fraction (kubectl's converter writes `3.0` as `3`).
pub(super) fn integer_value(text: &str) -> Option<i64> {
    let cleaned = text.replace('_', "");
    let (negative, digits) = match cleaned.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, cleaned.strip_prefix('+').unwrap_or(&cleaned)),
    };
    let (radix, digits) = match digits.get(..2) {
        Some("0x") => (16, digits.get(2..).unwrap_or_default()),
        Some("0o") => (8, digits.get(2..).unwrap_or_default()),
        Some("0b") => (2, digits.get(2..).unwrap_or_default()),
        _ => (10, digits),
    };
    // Beyond i64 is beyond every field's range anyway: saturate.
    let magnitude = if !digits.is_empty() && digits.chars().all(|c| c.is_digit(radix)) {
        digits.chars().try_fold(0i64, |acc, c| {
            Some(acc.saturating_mul(i64::from(radix)).saturating_add(i64::from(c.to_digit(radix)?)))
        })?
    } else if radix == 10 {
        let value: f64 = digits.parse().ok()?;
        if value.fract() != 0.0 || value.abs() >= 1e21 {
            return None;
        }
        value as i64
    } else {
        return None;
    };
    Some(if negative { magnitude.saturating_neg() } else { magnitude })
}

fn field_list(def: &Def) -> String {
    let names: Vec<&str> = def.fields.iter().map(|f| f.name).collect();
    if names.len() > 12 {
        format!("{}, ...", names.iter().take(12).copied().collect::<Vec<_>>().join(", "))
    } else {
        names.join(", ")
    }
}

fn suffix_fix(text: &str) -> String {
    let trimmed = text.trim();
    let split =
        trimmed.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '+' || c == '-')).unwrap_or(trimmed.len());
    let (number, suffix) = trimmed.split_at(split);
    let right = match suffix {
        "mi" | "MI" | "mI" => Some("Mi"),
        "gi" | "GI" | "gI" => Some("Gi"),
        "ki" | "KI" | "kI" => Some("Ki"),
        "ti" | "TI" => Some("Ti"),
        _ => None,
    };
    match right {
        Some(right) => format!("write `{number}{right}`: the binary suffixes are Ki, Mi, Gi (capital first letter)"),
        None => "use a suffix Kubernetes knows: m (milli), k, M, G, or Ki, Mi, Gi".to_owned(),
    }
}

fn type_fix(node: &Node, ty: &Ty) -> String {
    let text = node.scalar().map(|s| s.text.as_str()).unwrap_or_default();
    let quoted = node.scalar().is_some_and(|s| s.quoted);
    match ty {
        Ty::Int32 | Ty::Int64 | Ty::Number if quoted && integer_value(text).is_some() => {
            format!("write {text} without quotes: it is a number, not a string")
        }
        Ty::Int32 | Ty::Int64 => "write a whole number in range".to_owned(),
        Ty::Str | Ty::Enum(_) | Ty::Bytes if node.scalar().is_some() => {
            format!("quote it: \"{text}\" (YAML reads {text} as {})", describe_scalar(node))
        }
        Ty::Str | Ty::Enum(_) | Ty::Bytes => {
            "write it as one string: this value cannot be a mapping or a list (a `|` block holds several lines)"
                .to_owned()
        }
        Ty::Bool => "write true or false, without quotes".to_owned(),
        Ty::List(_) => "make it a list: each item on its own line starting with `- `".to_owned(),
        Ty::Map(_) | Ty::Ref(_) | Ty::Object => "make it a mapping of `key: value` lines, indented under it".to_owned(),
        Ty::IntOrString => "write a port number, or the name of a port".to_owned(),
        Ty::Quantity => "write a quantity such as 250m or 512Mi".to_owned(),
        _ => "write a value of the expected type".to_owned(),
    }
}

fn describe_scalar(node: &Node) -> &'static str {
    match node.scalar().map(|s| s.resolved_type()) {
        Some(ScalarType::Bool) => "a boolean",
        Some(ScalarType::Int | ScalarType::Float) => "a number",
        _ => node.describe(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_yaml_integers() {
        assert_eq!(integer_value("8000"), Some(8000));
        assert_eq!(integer_value("0x1F"), Some(31));
        assert_eq!(integer_value("1_000"), Some(1000));
        assert_eq!(integer_value("3.0"), Some(3));
        assert_eq!(integer_value("1e3"), Some(1000));
        assert_eq!(integer_value("3.5"), None);
        assert_eq!(integer_value("-2"), Some(-2));
    }
}
