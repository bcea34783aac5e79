//! Which build this is, for the footer and the review: the version every
//! crate shares, the commit and the build date (from the build script the
//! web app shares with the CLI, so both name a build the same way).

/// The release version, `0.2.0`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The commit built from (12 hex digits), or `unknown`.
pub const COMMIT: &str = env!("M13_COMMIT");

/// The day of the build, `YYYY-MM-DD`.
pub const BUILD_DATE: &str = env!("M13_BUILD_DATE");

/// `milestone-check 0.2.0 (1a2b3c4d5e6f), built 2026-12-02`, the commit left
/// out when it is not known.
pub fn footer_line() -> String {
    let commit = if COMMIT == "unknown" { String::new() } else { format!(" ({COMMIT})") };
    format!("milestone-check {VERSION}{commit}, built {BUILD_DATE}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_footer_names_the_version_and_a_date() {
        let line = footer_line();
        assert!(line.starts_with(&format!("milestone-check {VERSION}")), "{line}");
        let date = line.rsplit("built ").next().unwrap_or_default();
        let parts: Vec<&str> = date.split('-').collect();
        assert_eq!(parts.iter().map(|p| p.len()).collect::<Vec<_>>(), [4, 2, 2], "{line}");
        assert!(parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit())), "{line}");
    }
}
