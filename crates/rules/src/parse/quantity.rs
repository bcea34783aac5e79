//! Kubernetes resource quantities (`250m`, `0.5`, `512Mi`, `1G`, `1e3`),
//! following the grammar of `k8s.io/apimachinery/pkg/api/resource`.

/// A parsed quantity in base units: cores for CPU, bytes for memory.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Quantity(pub f64);

/// Why a quantity was rejected; kubectl rejects the same strings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuantityError(pub String);

impl Quantity {
    /// Parses a quantity as written in a manifest. Case matters (`128mi` is
    /// invalid, `1M` is mega and `1m` milli), as it does for kubectl.
    pub fn parse(text: &str) -> Result<Quantity, QuantityError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(QuantityError("an empty quantity".to_owned()));
        }
        let number_end = text
            .char_indices()
            .find(|&(i, c)| !(c.is_ascii_digit() || c == '.' || ((c == '+' || c == '-') && i == 0)))
            .map_or(text.len(), |(i, _)| i);
        let (number, suffix) = text.split_at(number_end);
        let digits = number.trim_start_matches(['+', '-']);
        if digits.is_empty() || digits == "." || digits.matches('.').count() > 1 {
            return Err(QuantityError(format!("`{text}` does not start with a number")));
        }
        let value: f64 = digits.parse().map_err(|_| QuantityError(format!("`{text}` is not a number")))?;
        let value = if number.starts_with('-') { -value } else { value };
        let multiplier = suffix_multiplier(suffix).ok_or_else(|| {
            QuantityError(format!(
                "`{suffix}` is not a quantity suffix (use m for millicores, Ki/Mi/Gi for bytes, or k/M/G)"
            ))
        })?;
        Ok(Quantity(value * multiplier))
    }

    /// Millicores, for CPU quantities.
    pub fn millis(self) -> f64 {
        self.0 * 1000.0
    }

    /// A short human form of a CPU quantity: `250m`.
    pub fn format_cpu(self) -> String {
        format!("{}m", trim_float(self.millis()))
    }

    /// A short human form of a memory quantity: `128Mi` when exact, else bytes.
    pub fn format_memory(self) -> String {
        const UNITS: [(&str, f64); 4] = [
            ("Ti", 1024f64 * 1024.0 * 1024.0 * 1024.0),
            ("Gi", 1024f64 * 1024.0 * 1024.0),
            ("Mi", 1024f64 * 1024.0),
            ("Ki", 1024.0),
        ];
        for (unit, size) in UNITS {
            if self.0 >= size && (self.0 / size).fract() == 0.0 {
                return format!("{}{unit}", trim_float(self.0 / size));
            }
        }
        if self.0 >= 1024.0 * 1024.0 {
            return format!("{:.1}Mi", self.0 / (1024.0 * 1024.0));
        }
        format!("{} bytes", trim_float(self.0))
    }
}

/// `1001` for 1000.9999999 (what `1001m` parses to), `0.5` for 0.5: never
/// `1001.` with a dangling point.
fn trim_float(value: f64) -> String {
    let rounded = value.round();
    if (value - rounded).abs() < 1e-6 && rounded.abs() < 1e15 {
        format!("{}", rounded as i64)
    } else {
        format!("{value:.3}").trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

fn suffix_multiplier(suffix: &str) -> Option<f64> {
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
        "Ki" => 1024.0,
        "Mi" => 1024f64.powi(2),
        "Gi" => 1024f64.powi(3),
        "Ti" => 1024f64.powi(4),
        "Pi" => 1024f64.powi(5),
        "Ei" => 1024f64.powi(6),
        exponent => {
            let power = exponent.strip_prefix(['e', 'E'])?;
            let power: i32 = power.parse().ok().filter(|p: &i32| p.abs() <= 30)?;
            10f64.powi(power)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cpu(text: &str) -> f64 {
        Quantity::parse(text).map(Quantity::millis).unwrap_or(f64::NAN)
    }

    fn mem(text: &str) -> f64 {
        Quantity::parse(text).map(|q| q.0).unwrap_or(f64::NAN)
    }

    #[test]
    fn reads_cpu_forms() {
        assert_eq!(cpu("250m"), 250.0);
        assert_eq!(cpu("0.5"), 500.0);
        assert_eq!(cpu("1"), 1000.0);
        assert_eq!(cpu(".25"), 250.0);
        assert_eq!(cpu("1000m"), 1000.0);
        assert_eq!(cpu("2"), 2000.0);
        assert!(Quantity::parse("1e3m").is_err());
    }

    #[test]
    fn reads_memory_forms() {
        assert_eq!(mem("128Mi"), 128.0 * 1024.0 * 1024.0);
        assert_eq!(mem("1Gi"), mem("1024Mi"));
        assert_eq!(mem("1G"), 1e9);
        assert_eq!(mem("512M"), 512e6);
        assert_eq!(mem("1e9"), 1e9);
        assert_eq!(mem("134217728"), 128.0 * 1024.0 * 1024.0);
    }

    #[test]
    fn rejects_what_kubectl_rejects() {
        for bad in ["", "Mi", "128mi", "128MB", "1.2.3", "abc", "250 m", "1e99"] {
            assert!(Quantity::parse(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn formats_for_messages() {
        assert_eq!(Quantity::parse("0.5").map(Quantity::format_cpu), Ok("500m".to_owned()));
        assert_eq!(Quantity::parse("1024Mi").map(Quantity::format_memory), Ok("1Gi".to_owned()));
        assert_eq!(Quantity::parse("64Mi").map(Quantity::format_memory), Ok("64Mi".to_owned()));
        assert_eq!(Quantity::parse("1G").map(Quantity::format_memory), Ok("953.7Mi".to_owned()));
    }
}

#[cfg(test)]
mod format_tests {
    use super::*;

    #[test]
    fn cpu_prints_as_written() {
        for written in ["1001m", "250m", "1", "0.5", "2500m"] {
            let formatted = Quantity::parse(written).map(Quantity::format_cpu).unwrap_or_default();
            let again = Quantity::parse(&formatted).map(Quantity::format_cpu).unwrap_or_default();
            assert!(!formatted.contains(".m"), "{written} -> {formatted}");
            assert_eq!(formatted, again, "{written}");
        }
        assert_eq!(Quantity::parse("1001m").map(Quantity::format_cpu).ok(), Some("1001m".to_owned()));
    }
}
