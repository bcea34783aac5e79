//! A class list, as an instructor pastes it: one source a line, or a name
//! and then a URL (`Ana Lopez, https://github.com/...`, a spreadsheet's
//! tab-separated columns, `"Lopez, Ana";https://...`). The CLI's `--from`
//! file and the web app's class view read it with the same code, so a list
//! that works in one works in the other.

/// One line of a class list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterEntry {
    /// The student's name, when the line gives one before the URL.
    pub name: Option<String>,
    /// The release URL (or, for the CLI, a zip or directory path).
    pub source: String,
}

impl RosterEntry {
    /// What a table calls this entry: the name, else the source.
    pub fn label(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.source)
    }
}

/// Every entry of `text`: a `#` starts a comment, blank lines are skipped.
pub fn parse(text: &str) -> Vec<RosterEntry> {
    text.lines()
        .map(|line| line.split('#').next().unwrap_or("").trim())
        .filter(|line| !line.is_empty())
        .map(entry)
        .collect()
}

/// One line (already trimmed): a source, or a name and then a URL.
pub fn entry(line: &str) -> RosterEntry {
    let start = crate::url::url_start(line);
    // A name holds no `/`: `downloads/github.com/x.zip` stays a path.
    let split = start
        .filter(|&start| start > 0)
        .and_then(|start| line.get(..start).zip(line.get(start..)))
        .filter(|(name, _)| !name.contains(['/', '\\']));
    let Some((name, rest)) = split else {
        // A URL first keeps only itself (`URL<TAB>2026-11-20` from a
        // spreadsheet); anything else is a path, spaces and all.
        let source = if start == Some(0) { url_of(line) } else { line.to_owned() };
        return RosterEntry { name: None, source };
    };
    let source = url_of(rest);
    let separators: &[char] = &[',', ';', '\t', '|', '"', '\'', ' '];
    let name = name.trim_matches(separators).trim();
    RosterEntry { name: (!name.is_empty()).then(|| name.to_owned()), source }
}

/// The URL at the start of `text`, up to a space or a column separator.
fn url_of(text: &str) -> String {
    text.chars().take_while(|c| !c.is_whitespace() && !matches!(c, ',' | ';' | '"' | '\'')).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "https://github.com/ana/cis-92/releases/tag/milestone-13.1";

    fn named(name: &str, source: &str) -> RosterEntry {
        RosterEntry { name: Some(name.to_owned()), source: source.to_owned() }
    }

    fn bare(source: &str) -> RosterEntry {
        RosterEntry { name: None, source: source.to_owned() }
    }

    #[test]
    fn a_line_names_its_url() {
        assert_eq!(entry(URL), bare(URL));
        assert_eq!(entry(&format!("Ana Lopez, {URL}")), named("Ana Lopez", URL));
        assert_eq!(entry(&format!("\"Lopez, Ana\"\t{URL}\t2026-11-20")), named("Lopez, Ana", URL));
        assert_eq!(entry(&format!("Sam;\"{URL}\";late")), named("Sam", URL));
        assert_eq!(
            entry("Kim | GitHub.com/kim/cis-92/releases/tag/m"),
            named("Kim", "GitHub.com/kim/cis-92/releases/tag/m")
        );
    }

    #[test]
    fn a_url_first_keeps_only_itself() {
        assert_eq!(entry(&format!("{URL}\t2026-11-20")), bare(URL));
        assert_eq!(entry(&format!("{URL}, late")), bare(URL));
    }

    #[test]
    fn a_path_is_never_split() {
        assert_eq!(entry("zips/ana lopez.zip"), bare("zips/ana lopez.zip"));
        assert_eq!(entry("saved/github.com/a.zip"), bare("saved/github.com/a.zip"));
    }

    #[test]
    fn comments_and_blank_lines_are_skipped() {
        let text = format!("# class of fall 2026\n\nAna, {URL}  # resubmitted\n  \n{URL}\r\n");
        assert_eq!(parse(&text), vec![named("Ana", URL), bare(URL)]);
        assert_eq!(parse(&text)[0].label(), "Ana");
        assert_eq!(parse(&text)[1].label(), URL);
    }

    #[test]
    fn text_that_is_not_ascii_does_not_split_a_character() {
        assert_eq!(entry(&format!("José Núñez, {URL}")), named("José Núñez", URL));
        assert_eq!(entry("ünïcödé only"), bare("ünïcödé only"));
    }
}
