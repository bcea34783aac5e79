//! Quantities as the API server's decoder parses them
//! (`ParseQuantity` in `k8s.io/apimachinery/pkg/api/resource`): which
//! strings it refuses, with its words, and a value to compare requests with
//! limits.

use std::fmt;

/// The grammar's regular expression, as its error message prints it.
pub const GRAMMAR: &str = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuantityError {
    /// Outside the grammar (`abc`, `1 Gi`, empty).
    Format,
    /// In the grammar, but the suffix is not one (`512mi`, `1gi`, `2MB`).
    Suffix,
}

impl fmt::Display for QuantityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QuantityError::Format => write!(f, "quantities must match the regular expression '{GRAMMAR}'"),
            QuantityError::Suffix => f.write_str("unable to parse quantity's suffix"),
        }
    }
}

/// Parses a quantity string as the decoder does (after trimming spaces,
/// as `UnmarshalJSON` does) and returns its value in base units (cores,
/// bytes). `1.G` and `.5` are accepted, as they are by Kubernetes.
pub fn parse(text: &str) -> Result<f64, QuantityError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(QuantityError::Format);
    }
    let bytes = text.as_bytes();
    let mut pos = 0;
    if matches!(bytes.first(), Some(b'+' | b'-')) {
        pos += 1;
    }
    let number_start = pos;
    while bytes.get(pos).is_some_and(u8::is_ascii_digit) {
        pos += 1;
    }
    if bytes.get(pos) == Some(&b'.') {
        pos += 1;
        while bytes.get(pos).is_some_and(u8::is_ascii_digit) {
            pos += 1;
        }
    }
    let number_end = pos;
    let suffix_start = pos;
    while bytes.get(pos).is_some_and(|b| b"eEinumkKMGTP".contains(b)) {
        pos += 1;
    }
    if pos < bytes.len() {
        if matches!(bytes.get(pos), Some(b'+' | b'-')) {
            pos += 1;
        }
        while bytes.get(pos).is_some_and(u8::is_ascii_digit) {
            pos += 1;
        }
        if pos < bytes.len() {
            return Err(QuantityError::Format);
        }
    }
    let number = text.get(number_start..number_end).unwrap_or_default();
    let suffix = text.get(suffix_start..).unwrap_or_default();
    let multiplier = multiplier(suffix).ok_or(QuantityError::Suffix)?;
    // An empty number or a lone dot is zero to the scanner.
    let digits = if number.is_empty() || number == "." { "0" } else { number };
    let value: f64 = digits.parse().or_else(|_| format!("0{digits}").parse()).unwrap_or(0.0);
    let sign = if text.starts_with('-') { -1.0 } else { 1.0 };
    Ok(sign * value * multiplier)
}

/// What a suffix multiplies by: SI, binary, or a decimal exponent.
fn multiplier(suffix: &str) -> Option<f64> {
    const KI: f64 = 1024.0;
    Some(match suffix {
        "" => 1.0,
        "n" => 1e-9,
        "u" => 1e-6,
        "m" => 1e-3,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "P" => 1e15,
        "E" => 1e18,
        "Ki" => KI,
        "Mi" => KI * KI,
        "Gi" => KI * KI * KI,
        "Ti" => KI * KI * KI * KI,
        "Pi" => KI * KI * KI * KI * KI,
        "Ei" => KI * KI * KI * KI * KI * KI,
        _ => {
            let exponent = suffix.strip_prefix(['e', 'E'])?;
            let digits = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let exponent: i32 = exponent.parse().ok()?;
            10f64.powi(exponent)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_what_kubernetes_accepts() {
        assert!(parse("1001m").is_ok_and(|v| (v - 1.001).abs() < 1e-12));
        assert_eq!(parse("0.5"), Ok(0.5));
        assert_eq!(parse("512Mi"), Ok(512.0 * 1024.0 * 1024.0));
        assert_eq!(parse("1G"), Ok(1e9));
        assert_eq!(parse("1e3"), Ok(1000.0));
        assert_eq!(parse("1.G"), Ok(1e9));
        assert_eq!(parse(".5"), Ok(0.5));
        assert_eq!(parse(" 250m "), Ok(0.25));
        assert_eq!(parse("-1"), Ok(-1.0));
    }

    #[test]
    fn refuses_with_the_decoders_words() {
        assert_eq!(parse("512mi"), Err(QuantityError::Suffix));
        assert_eq!(parse("1Mb"), Err(QuantityError::Format));
        // `g` is no suffix letter at all, so the grammar fails first.
        assert_eq!(parse("1gi"), Err(QuantityError::Format));
        assert_eq!(parse("1e"), Err(QuantityError::Suffix));
        assert_eq!(parse("2MB"), Err(QuantityError::Format));
        assert_eq!(parse("abc"), Err(QuantityError::Format));
        assert_eq!(parse("1 Gi"), Err(QuantityError::Format));
        assert_eq!(parse(""), Err(QuantityError::Format));
        assert_eq!(QuantityError::Suffix.to_string(), "unable to parse quantity's suffix");
        assert_eq!(
            QuantityError::Format.to_string(),
            "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
        );
    }
}
