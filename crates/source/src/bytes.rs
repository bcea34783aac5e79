//! Sizes written for people ("1 MiB", "312.5 KiB"), for error messages.

/// `n` bytes in the largest binary unit that keeps the number at least 1.
pub fn human(n: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if n < 1024 {
        return format!("{n} bytes");
    }
    let mut value = n as f64 / 1024.0;
    let mut unit = UNITS[0];
    for next in &UNITS[1..] {
        if value < 1024.0 {
            break;
        }
        value /= 1024.0;
        unit = next;
    }
    let text = format!("{value:.1}");
    let text = text.strip_suffix(".0").unwrap_or(&text);
    format!("{text} {unit}")
}

#[cfg(test)]
mod tests {
    use super::human;

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(human(0), "0 bytes");
        assert_eq!(human(1023), "1023 bytes");
        assert_eq!(human(1024), "1 KiB");
        assert_eq!(human(1024 * 1024), "1 MiB");
        assert_eq!(human(16 * 1024 * 1024), "16 MiB");
        assert_eq!(human(1536 * 1024), "1.5 MiB");
        assert_eq!(human(300 * 1024 * 1024), "300 MiB");
        assert_eq!(human(3 * 1024 * 1024 * 1024), "3 GiB");
    }
}
