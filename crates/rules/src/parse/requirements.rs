//! `requirements.txt`: which Python packages the image installs.

/// A requirement line: the normalised package name (lower case, `_` as `-`,
/// extras and version dropped) and its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    pub line: u32,
    pub name: String,
    pub text: String,
}

pub fn parse(text: &str) -> Vec<Requirement> {
    text.lines()
        .enumerate()
        .filter_map(|(index, raw)| {
            let text = raw.split(" #").next().unwrap_or("").trim().trim_start_matches('\u{feff}');
            if text.is_empty() || text.starts_with('#') || text.starts_with('-') {
                return None;
            }
            let end =
                text.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))).unwrap_or(text.len());
            let name = text.get(..end)?.to_ascii_lowercase().replace('_', "-");
            (!name.is_empty()).then(|| Requirement {
                line: u32::try_from(index + 1).unwrap_or(u32::MAX),
                name,
                text: text.to_owned(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn normalises_names() {
        let reqs = super::parse("Django>=4.2\n# c\npsycopg[binary]==3.2\npsycopg2_binary  # driver\n-r base.txt\n\n");
        let names: Vec<(u32, String)> = reqs.into_iter().map(|r| (r.line, r.name)).collect();
        assert_eq!(names, [(1, "django".to_owned()), (3, "psycopg".to_owned()), (4, "psycopg2-binary".to_owned())]);
    }
}
